/*
 * model_internal: the state of one replication, shared by the model's
 * modules (model.c: engine, clock and metrics; model_sales.c: reps,
 * prospecting, opportunities; model_ops.c: the ops backlog, its servers and
 * clients; model_iv.c: interventions and policies).
 *
 * Time is in days from the start of warm-up; tick w happens at 7w and
 * opens week w. Every rate (hours a person works at each activity, how
 * fast a server burns work) is piecewise constant between ticks: staffing,
 * ramps, pulls, focus and leaks change only at ticks (Assumption: a week's
 * resolution is enough for decisions made in weeks; it keeps the engine
 * exact and cheap). Within a week, work progresses at those rates and
 * completion times are exact.
 *
 * Entities live in arrays and refer to each other by index. Lazy
 * cancellation: an event carries its entity's generation (gen); bumping
 * the generation invalidates every pending event of that entity.
 */
#ifndef SALESCAP_MODEL_INTERNAL_H
#define SALESCAP_MODEL_INTERNAL_H

#include <assert.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "dist.h"
#include "evq.h"
#include "model.h"
#include "rng.h"

#define DAYS_PER_WEEK 7.0
#define NONE (-1)

enum ev_kind {
    EV_TICK = 0,    /* id = week */
    EV_OPP_ARRIVE,  /* id = rep: the next opportunity is found */
    EV_REP_DONE,    /* id = rep: the deal work in hand is finished */
    EV_BUYER_DONE,  /* id = opp: the buyer's part of a stage is over */
    EV_PATIENCE,    /* id = opp: it waited too long for its rep */
    EV_OPS_DONE,    /* id = server: the item in hand is finished */
    EV_TICKET,      /* id = client: the client raises a ticket */
    EV_ANNIVERSARY, /* id = client: renew or churn */
    EV_KIND_COUNT,
};

/* Stream kinds: the first component of every key below the replication. */
enum stream {
    S_REP = 1,   /* (seat, occupant): effectiveness, departure */
    S_PROSPECT,  /* (seat, k): prospecting hours to the k-th opportunity */
    S_OPP,       /* (seat, k): the deal; then (stage) per stage */
    S_INITIAL,   /* (i): the i-th client of the initial base */
    S_CLIENT,    /* below a client's key: tickets, renewals, onboarding */
    S_TICKET,
    S_RENEW,
    S_ONBOARD,
    S_STAFF,     /* (role, seat, occupant): departure of ops/support */
    S_INCIDENT,  /* (j): the j-th ticket of the ops incident */
    S_SUPPORT,   /* (i, occupant): departure of support person i */
    S_START,     /* [start]: (0, j) the j-th open deal, (1, j) onboarding,
                  * (2, j) ticket: the same in the baseline and every
                  * scenario */
};

/* A running integral of a piecewise-constant rate (hours, $, opp-days). */
struct integ {
    double rate, area, last_t;
};

static inline void integ_to(struct integ *g, double t)
{
    g->area += g->rate * (t - g->last_t);
    g->last_t = t;
}

static inline void integ_add(struct integ *g, double t, double drate)
{
    integ_to(g, t);
    g->rate += drate;
}

/* A rep's seat. A seat is vacant between a departure and its backfill;
 * its pipeline waits (and goes cold) meanwhile. */
struct rep {
    int filled;
    uint32_t occupant;       /* how many people have held the seat */
    double start_t;          /* the occupant's first day */
    double ramp_weeks, ramp_start;
    double depart_t;         /* attrition: when the occupant leaves */
    double eff;              /* effectiveness of the occupant */
    uint64_t k;              /* opportunities found from this seat */
    /* prospecting in operational time */
    double need;             /* effective hours still needed for the next */
    double prosp_rate;       /* effective prospecting hours per day */
    double prosp_last_t;
    uint32_t prosp_gen;
    /* the queue of deal work, doubly linked through opp.prev/next */
    int32_t head, tail;
    int32_t serving;         /* opp in hand, or NONE */
    double sell_rate;        /* effective selling hours per day */
    double sell_clock;       /* clock selling hours per day */
    double serve_last_t;
    uint32_t serve_gen;
    /* clock hours per day by activity, this week */
    double h_prosp, h_admin, h_ops;
    /* pulls */
    double pull_share, pull_eff;
    int32_t pulled_by;       /* intervention index, or NONE */
    double return_t, return_prod, return_ramp_weeks;
    double leak_t, leak_share, leak_weeks, leak_eff;
    double pull_until_t;     /* when the current pull ends */
    int32_t server;          /* this rep's ops server, or NONE */
    /* who pays: a contract (its intervention's index), else the payroll,
     * as staff or, for a seat an intervention hired, as the lever's */
    int32_t contract;        /* NONE: an employee */
    uint8_t lever;
    double productivity;     /* a contractor's; 1 for employees */
    /* quotas (only with [sales] quota_per_rep > 0; model_sales.c): the
     * occupant's bookings and quota weeks (hire-ramp productivity summed
     * over the reported weeks in the seat) in the current quarter */
    double quota_bookings, quota_weeks;
};

enum opp_state { OPP_FREE = 0, OPP_WAITING, OPP_SERVING, OPP_BUYER };

/* An opportunity, or a task (an expectation reset: rep work with no deal). */
struct opp {
    int32_t rep, prev, next;
    uint8_t state, is_task;
    uint16_t stage;
    uint32_t gen;
    uint64_t key;            /* the deal's stream */
    double value;            /* annual contract value, $ */
    double created_t, enq_t;
    double work;             /* effective hours of the stage left */
    double buyer_days, u_advance;
};

enum client_state { CL_FREE = 0, CL_ONBOARDING, CL_LIVE, CL_CHURNED };

struct client {
    uint8_t state, paying;
    int32_t owner;           /* the rep seat that sold it */
    uint32_t gen, tickets, term;
    uint64_t key;
    uint64_t ticket_key;     /* rng_key(key, S_TICKET), drawn per ticket */
    double value;            /* annual contract value, $ */
    double term_start;       /* start of the current contract term */
    double late;             /* late items this term (may be fractional) */
};

enum item_kind { ITEM_ONBOARDING = 0, ITEM_TICKET };

/* A work item of the ops backlog. */
struct item {
    int32_t client, next;
    uint8_t kind, started;
    double hours;            /* effective work left */
    double arrive_t;
    uint64_t seq;            /* arrival order, for fifo across kinds */
};

/* An ops server: a staff seat, or a rep's share of ops work. */
struct server {
    int32_t item;            /* in hand, or NONE */
    int32_t rep;             /* NONE for staff */
    int filled;
    int ready;               /* item == NONE && rate > 0 (server_sync) */
    uint32_t gen, occupant;
    double rate;             /* effective hours per day */
    double clock;            /* clock hours per day */
    double last_t;
    double start_t, ramp_weeks, ramp_start, depart_t;
    double until_t;          /* a rep's ops assignment ends: INFINITY for
                              * staff */
    int32_t contract;        /* as struct rep's */
    uint8_t lever;
    double productivity;
};

/* A sales support seat: it takes admin hours off the reps. */
struct support_person {
    int filled;
    uint32_t occupant;
    double start_t, ramp_weeks, depart_t;
    double absorb_hours_per_week; /* at full productivity */
    int32_t contract;             /* as struct rep's */
    uint8_t lever;
};

/* A person hired, starting at tick `week`. */
struct pending_hire {
    int week;
    enum role role;
    int32_t seat;                 /* a vacant seat to refill, or NONE */
    double ramp_weeks;
    double absorb_hours_per_week; /* support */
    uint8_t lever;                /* decided by an intervention */
};

struct fifo {
    int32_t head, tail;
};

struct model {
    const struct params *p;
    const struct scenario *sc;   /* NULL for the baseline */
    struct evq q;
    gsl_rng *rng;
    uint64_t base_key;           /* (seed, replication) */
    double t;
    int week;                    /* the current tick (week of warm-up + horizon) */
    int weeks_total;
    double *raw;                 /* weeks_total * RAW_COUNT */
    double cur[RAW_COUNT];       /* this week's flows */
    struct model_totals tot;
    FILE *trace;

    struct rep *reps;
    int32_t n_reps, cap_reps;
    int32_t reps_filled;         /* seats with someone in them */
    struct opp *opps;
    int32_t n_opps, cap_opps, free_opp;
    int32_t open_opps;
    double open_value;
    struct client *clients;
    int32_t n_clients, cap_clients;
    double arr_live;             /* annual value of live clients, $ */
    int32_t clients_active;
    struct item *items;
    int32_t n_items, cap_items, free_item;
    struct fifo q_onb, q_tkt;
    uint64_t item_seq;
    double wait_hours[2];        /* waiting items' hours, by item kind */
    int32_t backlog_items;       /* waiting + in service */
    struct server *servers;
    int32_t n_servers, cap_servers;
    int32_t n_staff_seats;       /* ops staff seats (servers with rep NONE) */
    int32_t n_ready;             /* servers free to start an item */
    struct pending_hire *hires;
    int32_t n_hires, cap_hires;
    struct support_person *supp;
    int32_t n_supp, cap_supp;
    int n_support;               /* support staff employed */
    double support_absorb;       /* admin hours per week they absorb */

    /* integrals over time */
    struct integ revenue;        /* $ per day */
    struct integ pipeline;       /* open opportunities */
    struct integ sell_busy;      /* clock selling hours, deal work in hand */
    struct integ sell_idle;      /* clock selling hours, nothing in hand */
    struct integ rep_ops_busy;   /* clock ops hours of busy rep servers */
    struct integ rep_ops_idle;
    struct integ staff_busy;     /* clock hours of busy staff servers */
    struct integ staff_idle;

    /* this week's clock hours per day, set at the tick */
    double w_prosp, w_admin, w_avail, w_staff_avail;

    /* intervention state */
    double prosp_share;          /* current (focus) */
    double adv_mult, opp_mult;   /* effectiveness */
    int expectations_on;
    double forgive, reset_hours;
    double delay, delay_smooth;  /* expected onboarding delay, days */
    double rep_mult;             /* reputation multiplier on the last stage */
    double net_value;            /* gross profit since reported week 0 */
    double net_value_npv;        /* the same, discounted */
    int *busy_until, *cool_until; /* per intervention of the scenario */
    size_t max_iv;
    double *weekly_revenue;      /* per tick, for hire_from_budget */
    int pause_tick;              /* stop the loop just before it, or NONE */
    size_t max_bytes;            /* [simulation] max_memory_mb in bytes */
    int over_memory;             /* an array could not grow past it */
    volatile int *stop;          /* checked at each tick; may be NULL */
};
/* model_copy (model_checkpoint.c) copies every array above: a new array
 * must be added there (tests/test_model.c compares runs from checkpoints
 * with runs from scratch, byte for byte). */

#define PRIO_TICK 0u
#define PRIO_EVENT 1u

/* model.c */
/* Schedules an event of `kind` for entity id at time t (days, not in the
 * past). Inline: it is on the path of nearly every event. */
static inline int model_schedule(struct model *m, double t,
                                 enum ev_kind kind, int32_t id, uint32_t gen,
                                 uint32_t aux)
{
    assert(t >= m->t);
    return evq_push(&m->q, t, kind == EV_TICK ? PRIO_TICK : PRIO_EVENT,
                    (uint32_t)kind, (uint32_t)id, gen, aux);
}

/* One draw of d: dist_sample, with the commonest kind inlined (the same
 * expression as dist_sample's, so the same value). */
static inline double model_draw(const struct dist *d, gsl_rng *r)
{
    if (d->kind == DIST_EXPONENTIAL)
        return -d->p[0] * log1p(-rng_uniform(r));
    return dist_sample(d, r);
}
void model_tracef(struct model *m, const char *event, int32_t id,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define TRACE(m, ...)                                                        \
    do {                                                                     \
        if ((m)->trace)                                                      \
            model_tracef((m), __VA_ARGS__);                                  \
    } while (0)
/* Grows *arr, of *cap elements of size bytes, to at least need elements
 * (doubling). m, when not NULL, is the model that holds the array: its
 * arrays and event list must stay within m->max_bytes, or m->over_memory
 * is set. Returns 0, or -1 (out of memory, or over the cap). */
int model_grow(struct model *m, void **arr, int32_t *cap, int32_t need,
               size_t size);
/* A run in steps: model_start sets up replication `replication` of
 * `scenario` up to tick 0; model_loop processes events until the end (0)
 * or until tick m->pause_tick is due (1: its event is taken, m->t is at
 * it, nothing of it is done); model_resume does that tick and goes on to
 * the end (0) or to tick next_pause (1, as model_loop; NONE: no pause);
 * model_finish writes the totals. -1 with e set on error. */
int model_start(struct model *m, int scenario, uint64_t replication,
                double *raw, struct err *e);
int model_loop(struct model *m, struct err *e);
int model_resume(struct model *m, int next_pause, struct err *e);
void model_finish(struct model *m, struct model_totals *tot);
double model_ramp(double t, double start_t, double ramp_weeks,
                  double ramp_start);

/* model_sales.c */
int sales_add_rep(struct model *m, double t, double ramp_weeks);
int sales_fill_seat(struct model *m, int32_t r, double t, double ramp_weeks);
void sales_vacate(struct model *m, int32_t r);
int sales_update_rates(struct model *m, int32_t r);
int sales_on_arrive(struct model *m, int32_t r);
int sales_on_rep_done(struct model *m, int32_t r);
int sales_on_buyer_done(struct model *m, int32_t o);
int sales_on_patience(struct model *m, int32_t o);
int sales_add_task(struct model *m, int32_t r, double hours);
/* Places [start]'s open pipeline at time 0, deal j of all stages (in
 * stage order) with seat j mod reps, each with its buyer. */
int sales_start(struct model *m);
int32_t sales_filled(const struct model *m);
/* A contractor's seat (contract: the intervention's index) starting now;
 * a contractor does not leave before the contract ends. */
int sales_add_contractor(struct model *m, int32_t contract,
                         double ramp_weeks, double productivity);
/* Quotas (only with [sales] quota_per_rep > 0). sales_quota_week: each
 * employee in a seat this reported week adds the productivity of their
 * hire ramp to their quota weeks. sales_quota_close: the quota period of
 * seat r's occupant ends (the quarter ends, or they leave); an employee
 * with a prorated quota above 0 adds their attainment to row's
 * R_QUOTA_* slots, and the period restarts at zero. */
void sales_quota_week(struct model *m);
void sales_quota_close(struct model *m, int32_t r, double *row);
/* Seat r's contractor leaves: the deal in hand (with its work left), the
 * queue and the deals with their buyers pass to the employees' seats in
 * turn, so no deal is lost or counted twice; then the seat is empty. */
void sales_release(struct model *m, int32_t r);

/* model_ops.c */
int ops_add_staff(struct model *m, double t, double ramp_weeks);
/* An ops contractor's server starting now (see sales_add_contractor). At
 * the contract's end the caller empties it (filled = 0); the next
 * ops_update_staff puts the item in hand back at the head of its queue. */
int ops_add_contractor(struct model *m, int32_t contract, double ramp_weeks,
                       double productivity);
int ops_fill_seat(struct model *m, int32_t s, double t, double ramp_weeks);
void ops_vacate(struct model *m, int32_t s);
int ops_set_server(struct model *m, int32_t s, double rate, double clock);
int ops_update_staff(struct model *m);
int ops_rep_server(struct model *m, int32_t r);
/* Places [start]'s onboardings and tickets at time 0, before tick 0:
 * the ones in progress in the staff's hands (their work goes on when
 * tick 0 sets the staff's rates), then the waiting ones in the queues.
 * The initial clients exist already. */
int ops_start(struct model *m);
int ops_on_done(struct model *m, int32_t s);
int ops_new_client(struct model *m, int32_t owner, uint64_t key,
                   double value, int live, double term_start);
int ops_on_ticket(struct model *m, int32_t c);
int ops_on_anniversary(struct model *m, int32_t c);
int ops_dispatch(struct model *m);
int ops_incident(struct model *m);
double ops_expected_delay(const struct model *m);
double ops_backlog_hours(const struct model *m);
/* At the end of a run: the work done on the items in hand since their
 * server's last rate change joins tot.ops_hours_done, so that the hours
 * arrived are the hours done plus ops_backlog_hours(). */
void ops_finish(struct model *m);

/* model_iv.c */
/* Departures and arrivals of people due at this tick. */
int iv_staffing(struct model *m);
/* Adds a support person starting at t (ramp_weeks 0: fully productive). */
int iv_support_add(struct model *m, double t, double ramp_weeks,
                   double absorb_hours_per_week);
/* The market's reading of the delay, then the scenario's interventions.
 * Called after staff rates are set, so the delay reflects this week's
 * capacity. */
int iv_on_tick(struct model *m);
/* The first reported week at which iv can change anything (INT_MAX if
 * never): before it a scenario runs exactly as the baseline. */
int iv_first_week(const struct intervention *iv);
/* The fully loaded annual cost of one person of role ([costs]), $. */
double iv_role_cost(const struct model *m, enum role role);
/* What the scenario's contracts cost in reported week `week`, $. */
double iv_contract_cost(const struct model *m, int week);

#endif
