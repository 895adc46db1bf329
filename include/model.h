/*
 * model: the world of one replication: reps and their pipelines, the ops
 * backlog and its servers, clients, and the interventions of one scenario.
 *
 * A struct model is allocated once per thread and reused for every
 * replication and scenario it runs (its arrays keep their capacity), so a
 * replication allocates nothing in steady state. All state lives in the
 * struct: no globals, so threads and MPI ranks need no locking.
 */
#ifndef SALESCAP_MODEL_H
#define SALESCAP_MODEL_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "metrics.h"
#include "params.h"

/* Whole-run totals, warm-up included: what the conservation, queueing and
 * Little's-law tests check. Hours are clock hours. */
struct model_totals {
    double opps_created, opps_won, opps_lost, opps_cold, opps_open;
    double opps_start;    /* open at time 0 ([start]): opps_start +
                           * opps_created = won + lost + cold + open */
    double pipeline_area; /* integral of open opportunities, opp-days */
    double pipeline_days; /* summed time in pipeline of closed opps */
    double rep_hours_available;
    double rep_hours[5];        /* prospecting, selling, admin, ops, idle */
    double ops_hours_available; /* ops staff only */
    double ops_hours_busy;      /* ops staff only */
    double ops_hours_idle;      /* ops staff only */
    double rep_hours_away;      /* hours the reps employed did not work:
                                 * [calendar] sales_holidays and [sales]
                                 * vacation_days (in no rep_hours
                                 * category) */
    double ops_hours_away;      /* the same, ops staff */
    double tickets_started;
    double ticket_wait_sum; /* days, over tickets_started */
    /* the ops backlog's work: items and effective hours that arrived,
     * were finished (hours: worked) and were put back in the queue by a
     * server that stopped (a pull or a contract ending, a departure) */
    double ops_items_arrived, ops_items_done, ops_items_returned;
    double ops_hours_arrived, ops_hours_done;
    /* people by role (enum role), contractors included: who took a seat
     * (the starting people too), who left by attrition, who was
     * released, whose contract ended: joined - quit - released -
     * contract_ended = the seats filled at the end. cancelled: positions
     * cut before anyone took them (a hire not started, a vacancy's
     * backfill). deals_handed: deals a released rep's seat passed on. */
    double people_joined[ROLE_COUNT], people_quit[ROLE_COUNT];
    double people_released[ROLE_COUNT], people_contract_ended[ROLE_COUNT];
    double positions_cancelled[ROLE_COUNT];
    double deals_handed;
    uint64_t events; /* events processed */
};

struct model;

/* Allocates a model for parameters p, which it borrows (p must outlive it).
 * Returns NULL with e set when out of memory. */
struct model *model_alloc(const struct params *p, struct err *e);

/* Frees m; NULL is fine. */
void model_free(struct model *m);

/* Writes one CSV line per event to out (NULL turns tracing off), starting
 * with the header "time,week,event,entity,details". out is borrowed. */
void model_set_trace(struct model *m, FILE *out);

/* Makes m check *stop at every weekly tick: set (by a signal handler),
 * the replication ends with the error "interrupted". NULL: never. */
void model_set_stop(struct model *m, volatile int *stop);

/* The doubles one run writes to raw: (warmup_weeks + horizon_weeks) *
 * RAW_COUNT for the company, and with [team.NAME]s as many again for
 * each team, after the company's (model_raw_group). */
size_t model_raw_len(const struct params *p);

/* Raw rows of group g of a run's raw: 0 the company, 1 + t team t. */
static inline double *model_raw_group(const struct params *p, double *raw,
                                      int g)
{
    return raw + (size_t)g *
                     (size_t)(p->sim.warmup_weeks + p->sim.horizon_weeks) *
                     RAW_COUNT;
}

/* Runs replication `replication` of scenario `scenario` (-1: the baseline)
 * from the start of warm-up to the end of the horizon. Writes
 * model_raw_len(p) values to raw (each group week-major,
 * warm-up weeks first; see metrics.h) and,
 * if tot is not NULL, the run's totals. The same (params, scenario,
 * replication) gives the same output, bit for bit.
 * Returns 0, or -1 with e set (ERR_RUNTIME) when the event cap is hit or
 * memory runs out. */
int model_run(struct model *m, int scenario, uint64_t replication, double *raw,
              struct model_totals *tot, struct err *e);

/* ---- checkpoints ------------------------------------------------------
 * A scenario executes exactly the baseline's events, on the same draws,
 * until the tick at which its first intervention can act. So the baseline
 * of a replication can run once, leave a copy of its whole state at that
 * tick (a checkpoint), and every scenario can start from the copy instead
 * of from week 0. Output is identical, bit for bit, to model_run's. */

struct model_checkpoint;

/* The tick (week of warm-up + horizon, 0-based) before which scenario
 * `scenario` runs exactly as the baseline; warmup + horizon when it never
 * differs (the baseline itself, -1, never does). */
int model_divergence_tick(const struct params *p, int scenario);

/* Allocates a checkpoint to be taken at tick `tick` (clamped to
 * [0, warmup + horizon]) of runs of p, which it borrows. Returns NULL with
 * e set when out of memory. */
struct model_checkpoint *model_checkpoint_alloc(const struct params *p,
                                                int tick, struct err *e);

/* Frees c; NULL is fine. */
void model_checkpoint_free(struct model_checkpoint *c);

/* Runs the baseline of `replication` exactly as model_run(m, -1, ...) and
 * fills cps[0..n) (ascending ticks) with its state at their ticks.
 * Returns 0, or -1 with e set. */
int model_run_baseline(struct model *m, uint64_t replication, double *raw,
                       struct model_totals *tot,
                       struct model_checkpoint *const *cps, size_t n,
                       struct err *e);

/* Runs scenario `scenario` of the replication c was filled for, from c,
 * whose tick must not pass model_divergence_tick(p, scenario). Writes raw
 * and tot exactly as model_run(m, scenario, replication, ...) would.
 * Returns 0, or -1 with e set. */
int model_run_from(struct model *m, const struct model_checkpoint *c,
                   int scenario, double *raw, struct model_totals *tot,
                   struct err *e);

/* As model_run_from, but the scenario runs with parameters p (borrowed
 * for the call) in place of the checkpoint's: `scenario` of p. p must
 * agree with c's parameters on everything the baseline reads, and its
 * scenario may have no more interventions than m's parameters allow; it
 * may differ in its scenarios and in model keys that only interventions
 * read. A sweep runs the baseline once for every point that shares it
 * this way; the output is that of model_run(m', scenario, replication)
 * with m' a model of p, bit for bit. */
int model_run_from_params(struct model *m, const struct model_checkpoint *c,
                          const struct params *p, int scenario, double *raw,
                          struct model_totals *tot, struct err *e);

#endif
