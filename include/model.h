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
    double pipeline_area;      /* integral of open opportunities, opp-days */
    double pipeline_days;      /* summed time in pipeline of closed opps */
    double rep_hours_available;
    double rep_hours[5];       /* prospecting, selling, admin, ops, idle */
    double ops_hours_available;/* ops staff only */
    double ops_hours_busy;     /* ops staff only */
    double ops_hours_idle;     /* ops staff only */
    double tickets_started;
    double ticket_wait_sum;    /* days, over tickets_started */
    uint64_t events;           /* events processed */
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

/* Runs replication `replication` of scenario `scenario` (-1: the baseline)
 * from the start of warm-up to the end of the horizon. Writes
 * (warmup_weeks + horizon_weeks) * RAW_COUNT values to raw (week-major,
 * warm-up weeks first; see metrics.h) and,
 * if tot is not NULL, the run's totals. The same (params, scenario,
 * replication) gives the same output, bit for bit.
 * Returns 0, or -1 with e set (ERR_RUNTIME) when the event cap is hit or
 * memory runs out. */
int model_run(struct model *m, int scenario, uint64_t replication,
              double *raw, struct model_totals *tot, struct err *e);

#endif
