/*
 * model_int: the state of one replication, shared by the model's
 * modules (model.c: engine, clock and metrics; model_sales.c: reps,
 * prospecting, opportunities; model_ops.c: the ops backlog, its servers and
 * clients; model_staff.c: seats of every role, departures, hires,
 * support staff, costs of people; model_iv.c: the market and the
 * scenario's interventions; model_market.c: the finite market's
 * accounts; model_checkpoint.c: copies of the state).
 * include/model.h is the contract with the rest of the program; this
 * header is the contract between those files (docs/contributing.md).
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
#ifndef SALESCAP_MODEL_INT_H
#define SALESCAP_MODEL_INT_H

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

/* Marks what runs on nearly every event (the handlers and what they call
 * each time): GCC puts such functions together (.text.hot), so the
 * instruction cache holds the event loop whatever the files between
 * them. Without it, moving code between files changed the flagship's
 * first-level instruction misses threefold (cachegrind) and its time by
 * a few percent. Nothing but placement changes. */
#define MODEL_HOT __attribute__((hot))
#define NONE      (-1)

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
    S_REP = 1,  /* (seat, occupant): effectiveness, departure */
    S_PROSPECT, /* (seat, k): prospecting hours to the k-th opportunity */
    S_OPP,      /* (seat, k): the deal; then (stage) per stage */
    S_INITIAL,  /* (i): the i-th client of the initial base */
    S_CLIENT,   /* below a client's key: tickets, renewals, onboarding */
    S_TICKET,
    S_RENEW,
    S_ONBOARD,
    S_STAFF,    /* (server, occupant): departure of ops staff */
    S_INCIDENT, /* (j): the j-th ticket of the ops incident */
    S_SUPPORT,  /* (seat, occupant): departure of support staff */
    S_START,    /* [start]: (0, j) the j-th open deal, (1, j) onboarding,
                 * (2, j) ticket: the same in the baseline and every
                 * scenario */
    S_MARKET,   /* (seat, k): whether the k-th approach finds an account
                 * (only with [market] accounts) */
    S_VACATION, /* (role, seat), (occupant, year): the weeks off of one
                 * person's year (only with vacation_days) */
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

/* A seat of any role (a rep's, an ops staff member's, a support
 * person's): who sits in it, since when, how fast they ramp, when they
 * leave, and who pays. A seat is vacant (filled 0) between a departure
 * and its backfill; it is never removed. model_staff.c fills it
 * (staff_fill_seat) and empties it at departures. */
struct seat {
    int filled;
    uint32_t occupant; /* how many people have held the seat */
    double start_t;    /* the occupant's first day */
    double ramp_weeks, ramp_start;
    double depart_t;  /* attrition: when the occupant leaves */
    double release_t; /* a release (reduce, a shrinking policy):
                       * when the occupant is let go; INFINITY:
                       * never. A seat released is not refilled */
    /* who pays: a contract (its intervention's index), else the payroll,
     * as staff or, for a seat an intervention hired, as the lever's */
    int32_t contract; /* NONE: an employee */
    uint8_t lever;
    double productivity; /* a contractor's; 1 for employees */
};

/* A rep's seat. Its pipeline waits (and goes cold) while it is vacant. */
struct rep {
    struct seat seat;
    double eff; /* effectiveness of the occupant */
    uint64_t k; /* opportunities found from this seat */
    /* prospecting in operational time */
    double need;       /* effective hours still needed for the next */
    double prosp_rate; /* effective prospecting hours per day */
    double prosp_last_t;
    uint32_t prosp_gen;
    /* the queue of deal work, doubly linked through opp.prev/next */
    int32_t head, tail;
    int32_t serving;   /* opp in hand, or NONE */
    double sell_rate;  /* effective selling hours per day */
    double sell_clock; /* clock selling hours per day */
    double serve_last_t;
    uint32_t serve_gen;
    /* clock hours per day by activity, this week, and in all (less
     * than hours_per_week / 7 in a holiday or a week off) */
    double h_prosp, h_admin, h_ops, h_avail;
    double h_extra; /* a catch-up's extra hours (in h_prosp and
                     * selling), beyond h_avail */
    /* pulls */
    double pull_share, pull_eff;
    int32_t pulled_by; /* intervention index, or NONE */
    double return_t, return_prod, return_ramp_weeks;
    double leak_t, leak_share, leak_weeks, leak_eff;
    double pull_until_t; /* when the current pull ends */
    /* the habit's lasting mark (issue 17): leak share and readiness lost
     * at scar_t, recovering with time constant scar_weeks (0: never) */
    double scar_leak, scar_loss, scar_t, scar_weeks;
    int32_t server; /* this rep's ops server, or NONE */
    /* quotas (only with [sales] quota_per_rep > 0; model_sales.c): the
     * occupant's bookings and quota weeks (hire-ramp productivity summed
     * over the reported weeks in the seat) in the current quarter */
    double quota_bookings, quota_weeks;
    /* prospect_when_thin (issue 17; model_iv.c): whether the occupant
     * is prospecting now, and this week's share (used only while
     * m->thin_on) */
    uint8_t thin_prospecting;
    double thin_share;
    uint8_t team; /* the seat's team (0 without teams); a backfill keeps it */
};

enum opp_state { OPP_FREE = 0, OPP_WAITING, OPP_SERVING, OPP_BUYER };

/* An opportunity, or a task (an expectation reset: rep work with no deal). */
struct opp {
    int32_t rep, prev, next;
    uint8_t state, is_task;
    uint8_t team; /* its stages and its rows are this team's: the team
                   * of the seat it was created in */
    uint16_t stage;
    uint32_t gen;
    uint64_t key; /* the deal's stream */
    double value; /* annual contract value, $ */
    double created_t, enq_t;
    double work; /* effective hours of the stage left */
    double buyer_days, u_advance;
};

enum client_state { CL_FREE = 0, CL_ONBOARDING, CL_LIVE, CL_CHURNED };

struct client {
    uint8_t state, paying;
    uint8_t team;  /* the team of the seat that sold it (its rows) */
    int32_t owner; /* the rep seat that sold it */
    uint32_t gen, tickets, term;
    uint64_t key;
    uint64_t ticket_key; /* rng_key(key, S_TICKET), drawn per ticket */
    double value;        /* annual contract value, $ */
    double term_start;   /* start of the current contract term */
    double late;         /* late items this term (may be fractional) */
    /* a promise made at the sale (issue 17): onboarding due in this many
     * days (0: the SLA), and the weight of breaking it */
    double promise_days, promise_weight;
};

enum item_kind { ITEM_ONBOARDING = 0, ITEM_TICKET };

/* A work item of the ops backlog. */
struct item {
    int32_t client, next;
    uint8_t kind, started;
    double hours; /* effective work left */
    double arrive_t;
    uint64_t seq; /* arrival order, for fifo across kinds */
};

/* An ops server: a staff seat, or a rep's share of ops work (whose seat
 * is never filled: the rep's is in struct rep). */
struct server {
    struct seat seat;
    int32_t item; /* in hand, or NONE */
    int32_t rep;  /* NONE for staff */
    int ready;    /* item == NONE && rate > 0 (server_sync) */
    uint32_t gen;
    double rate;  /* effective hours per day */
    double clock; /* clock hours per day */
    double last_t;
    double until_t; /* a rep's ops assignment ends: INFINITY for
                     * staff */
};

/* A sales support seat: it takes admin hours off the reps. */
struct support_seat {
    struct seat seat;
    double absorb_hours_per_week; /* at full productivity */
};

/* A person hired, starting at tick `week`. */
struct pending_hire {
    int week;
    enum role role;
    int32_t seat; /* a vacant seat to refill, or NONE */
    double ramp_weeks;
    double absorb_hours_per_week; /* support */
    uint8_t lever;                /* decided by an intervention */
    uint8_t team;                 /* a rep's team */
};

struct fifo {
    int32_t head, tail;
};

/* The model's growable arrays, one X(type, name) each: `type *name`
 * holds n_name elements in use (a high-water mark: freed opps and items
 * are reused through free lists, seats are never removed) in room for
 * cap_name. The table declares them in struct model and drives what must
 * see every one of them: the bytes counted against max_memory_mb
 * (model.c), reset, release, and the checkpoint copy
 * (model_checkpoint.c). A new array is one line here; tests/test_model.c
 * (test_arrays_grow) then checks that a run grows it and that runs from
 * checkpoints still equal runs from scratch. */
#define MODEL_ARRAYS(X)                                                        \
    X(struct rep, reps) /* rep seats */                                        \
    X(struct opp, opps) /* opportunities and tasks */                          \
    X(struct client, clients)                                                  \
    X(struct item, items)                 /* ops work items */                 \
    X(struct server, servers)             /* ops staff seats, reps' shares */  \
    X(struct pending_hire, hires)         /* decided, not yet started */       \
    X(struct support_seat, support_seats) /* support seats */                  \
    X(double, cooling)                    /* cooling accounts' returns */

#define MODEL_ARRAY_FIELDS(type, name)                                         \
    type *name;                                                                \
    int32_t n_##name, cap_##name;

struct model {
    const struct params *p;
    const struct scenario *sc; /* NULL for the baseline */
    struct evq *q;             /* the future event list */
    gsl_rng *rng;
    uint64_t base_key; /* (seed, replication) */
    double t;
    int week; /* the current tick (week of warm-up + horizon) */
    int weeks_total;
    double *raw;           /* weeks_total * RAW_COUNT */
    double cur[RAW_COUNT]; /* this week's flows */
    struct model_totals tot;
    FILE *trace;

    MODEL_ARRAYS(MODEL_ARRAY_FIELDS)
    int32_t reps_filled; /* rep seats with someone in them */
    int32_t free_opp;    /* free list of opps (through next) */
    int32_t open_opps;
    double open_value;
    double arr_live; /* annual value of live clients, $ */
    int32_t clients_active;
    int32_t free_item; /* free list of items (through next) */
    struct fifo q_onb, q_tkt;
    uint64_t item_seq;
    double wait_hours[2];  /* waiting items' hours, by item kind */
    int32_t backlog_items; /* waiting + in service */
    int32_t n_ready;       /* servers free to start an item */
    double support_absorb; /* admin hours per week support absorbs */
    /* The finite market ([market] accounts > 0; model_market.c):
     * accounts free to approach, of which acct_untouched were never
     * approached; the cooling ones are m->cooling[cool_head ..
     * n_cooling), their return times, in order. Invariant: available +
     * open_opps + clients_active + cooling = accounts. */
    int32_t acct_available, acct_untouched, cool_head;

    /* integrals over time */
    struct integ revenue;      /* $ per day */
    struct integ pipeline;     /* open opportunities */
    struct integ sell_busy;    /* clock selling hours, deal work in hand */
    struct integ sell_idle;    /* clock selling hours, nothing in hand */
    struct integ rep_ops_busy; /* clock ops hours of busy rep servers */
    struct integ rep_ops_idle;
    struct integ staff_busy; /* clock hours of busy staff servers */
    struct integ staff_idle;

    /* this week's clock hours per day, set at the tick */
    double w_prosp, w_admin, w_avail, w_staff_avail;
    double w_holiday, w_staff_holiday; /* not worked ([calendar]) */

    /* Teams (docs/model.md, "Teams"): n_teams of them (1 without
     * [team.NAME]s); with teams_on, each has its rows of the week's
     * metrics (tcur, written to its own raw rows at the week's end) and
     * the integrals and levels they are made of. */
    int n_teams, teams_on;
    int quota_on; /* some team has a quota_per_rep */
    double tcur[MAX_TEAMS][RAW_COUNT];
    struct integ t_revenue[MAX_TEAMS], t_sell_busy[MAX_TEAMS],
        t_sell_idle[MAX_TEAMS], t_ops_busy[MAX_TEAMS], t_ops_idle[MAX_TEAMS];
    int32_t t_open_opps[MAX_TEAMS], t_clients_active[MAX_TEAMS];
    double t_open_value[MAX_TEAMS];
    double t_w_prosp[MAX_TEAMS], t_w_admin[MAX_TEAMS]; /* as w_prosp */

    /* intervention state, per team */
    double prosp_share[MAX_TEAMS];                   /* current (focus) */
    double adv_mult[MAX_TEAMS], opp_mult[MAX_TEAMS]; /* effectiveness */
    int expectations_on;
    double forgive, reset_hours;
    /* a catch-up this week (issue 17): extra clock hours per rep per
     * day, their output per hour, their prospecting share */
    double catch_hours[MAX_TEAMS], catch_prod[MAX_TEAMS],
        catch_prosp[MAX_TEAMS];
    /* process fixes this week (iv_process): the share of every ops
     * staff member's hours spent on them, and the share of a new item's
     * hours saved (both 0 without one) */
    double ops_invest_share, ops_saving;
    /* a promise this week (iv_on_tick): the onboarding days promised to
     * a client won now (0: none, the SLA holds) and a broken promise's
     * weight */
    double promise_days, promise_weight;
    uint8_t thin_on[MAX_TEAMS];   /* a prospect_when_thin policy holds
                                   * for the team: its reps' own
                                   * thin_share replaces prosp_share */
    double delay, delay_smooth;   /* expected onboarding delay, days */
    double market_mult;           /* the market's multiplier on the last
                                   * stage's odds (reputation) */
    double net_value;             /* gross profit since reported week 0 */
    double net_value_npv;         /* the same, discounted */
    int *busy_until, *cool_until; /* per intervention of the scenario */
    double *iv_level;             /* IV_LEVELS per intervention (index
                                   * IV_LEVELS * i + k): a budget's reps
                                   * authorised (adjust_weeks); an ops
                                   * policy's drifting goal (k = 0) and
                                   * its own perceived delay (k = 1);
                                   * NAN: unset */
    size_t max_iv;
    double *weekly_revenue; /* per tick, for hire_from_budget */
    int pause_tick;         /* stop the loop just before it, or NONE */
    size_t max_bytes;       /* [simulation] max_memory_mb in bytes */
    int over_memory;        /* an array could not grow past it */
    volatile int *stop;     /* checked at each tick; may be NULL */
};
/* model_copy (model_checkpoint.c) copies every field above; a new array
 * goes in MODEL_ARRAYS, a new array of another kind (like busy_until or
 * iv_level) in model_copy by hand (tests/test_model.c compares runs from
 * checkpoints with runs from scratch, byte for byte). */

/* Slots of m->iv_level per intervention. */
#define IV_LEVELS 2

#define PRIO_TICK  0u
#define PRIO_EVENT 1u

/* This week's row of [calendar] (params.h), or NULL with a flat
 * calendar: then nothing of the calendar is computed, and the model runs
 * exactly as it did before it had one. Before tick 0 ([start]'s deals)
 * it is week 0's. */
static inline const struct calendar_week *model_calendar(const struct model *m)
{
    const struct calendar_params *c = &m->p->calendar;
    if (!c->week)
        return NULL;
    assert(m->week >= 0 && m->week < c->n_weeks);
    return &c->week[m->week];
}

/* Team t's [sales] keys and stages (params.h). */
static inline const struct sales_params *model_sales(const struct model *m,
                                                     int t)
{
    return params_team_sales(m->p, t);
}

static inline const struct stage_params *model_stages(const struct model *m,
                                                      int t)
{
    return params_team_stages(m->p, t);
}

/* Adds v to slot of this week's row of team t: with teams only, so a
 * file without them computes exactly what it did before. */
static inline void team_add(struct model *m, int t, int slot, double v)
{
    if (m->teams_on)
        m->tcur[t][slot] += v;
}

/* integ_add of the company's integral g and, with teams, of team t's
 * (tg[t]). */
static inline void team_integ_add(struct model *m, struct integ *g,
                                  struct integ *tg, int t, double drate)
{
    integ_add(g, m->t, drate);
    if (m->teams_on)
        integ_add(&tg[t], m->t, drate);
}

/* model.c */
/* Schedules an event of `kind` for entity id at time t (days, not in the
 * past). Inline: it is on the path of nearly every event. */
static inline int model_schedule(struct model *m, double t, enum ev_kind kind,
                                 int32_t id, uint32_t gen, uint32_t aux)
{
    assert(t >= m->t);
    return evq_push(m->q, t, kind == EV_TICK ? PRIO_TICK : PRIO_EVENT,
                    (uint32_t)kind, (uint32_t)id, gen, aux);
}

/* Every stream of a replication hangs below base_key (docs/random.md):
 * model_key is stream kind's key for entity a; model_key2 adds a second
 * component b (an occupant, the k-th opportunity). The keys are the
 * contract of common random numbers: these compute what the nested
 * rng_key calls they replaced did, bit for bit. */
static inline uint64_t model_key(const struct model *m, enum stream kind,
                                 uint64_t a)
{
    return rng_key(rng_key(m->base_key, (uint64_t)kind), a);
}

static inline uint64_t model_key2(const struct model *m, enum stream kind,
                                  uint64_t a, uint64_t b)
{
    return rng_key(model_key(m, kind, a), b);
}

/* One draw of d: dist_sample, with the commonest kind inlined (the same
 * expression as dist_sample's, so the same value). */
static inline double model_draw(const struct dist *d, gsl_rng *r)
{
    if (d->kind == DIST_EXPONENTIAL)
        return rng_exponential(r, d->p[0]);
    return dist_sample(d, r);
}
void model_tracef(struct model *m, const char *event, int32_t id,
                  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define TRACE(m, ...)                                                          \
    do {                                                                       \
        if ((m)->trace)                                                        \
            model_tracef((m), __VA_ARGS__);                                    \
    } while (0)
/* Grows *arr, of *cap elements of size bytes, to at least need elements
 * (doubling). m, when not NULL, is the model that holds the array: its
 * arrays and event list must stay within m->max_bytes, or m->over_memory
 * is set. Returns 0, or -1 (out of memory, or over the cap). */
int model_grow(struct model *m, void **arr, int32_t *cap, int32_t need,
               size_t size);
/* Room in array `name` of MODEL_ARRAYS for one element more, at index
 * m->n_name (which the caller then increments). 0, or -1. */
#define MODEL_GROW(m, name)                                                    \
    model_grow((m), (void **)&(m)->name, &(m)->cap_##name, (m)->n_##name + 1,  \
               sizeof *(m)->name)
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
/* A lasting mark v of rep rp (scar_leak or scar_loss), as it stands at
 * time t after its recovery since rp->scar_t. */
static inline double sales_scar(const struct rep *rp, double v, double t)
{
    if (!(rp->scar_weeks > 0.0))
        return v;
    return v * exp(-(t - rp->scar_t) / (rp->scar_weeks * DAYS_PER_WEEK));
}
/* A new rep seat of team `team`, filled from t. */
int sales_add_rep(struct model *m, double t, double ramp_weeks, int team);
int sales_fill_seat(struct model *m, int32_t r, double t, double ramp_weeks);
void sales_vacate(struct model *m, int32_t r);
int sales_update_rates(struct model *m, int32_t r);
int sales_on_arrive(struct model *m, int32_t r);
int sales_on_rep_done(struct model *m, int32_t r);
int sales_on_buyer_done(struct model *m, int32_t o);
int sales_on_patience(struct model *m, int32_t o);
int sales_add_task(struct model *m, int32_t r, double hours);
/* The calendar's buyer speeds of this week (a tick, after the last's):
 * every deal with its buyer whose stage's speed changed goes on from the
 * buyer time it has left, at the new speed. Nothing without a calendar. */
int sales_calendar_week(struct model *m);
/* Places [start]'s open pipeline at time 0, deal j of all stages (in
 * stage order) with seat j mod reps, each with its buyer. */
int sales_start(struct model *m);
int32_t sales_filled(const struct model *m);
/* A contractor's seat (contract: the intervention's index) starting now;
 * a contractor does not leave before the contract ends. */
int sales_add_contractor(struct model *m, int32_t contract, double ramp_weeks,
                         double productivity, int team);
/* Quotas (only with [sales] quota_per_rep > 0). sales_quota_week: each
 * employee in a seat this reported week adds the productivity of their
 * hire ramp to their quota weeks. sales_quota_close: the quota period of
 * seat r's occupant ends (the quarter ends, or they leave); an employee
 * with a prorated quota above 0 adds their attainment to row's
 * R_QUOTA_* slots, and the period restarts at zero. */
void sales_quota_week(struct model *m);
void sales_quota_close(struct model *m, int32_t r, double *row, double *trow);
/* Seat r's contractor leaves: the deal in hand (with its work left), the
 * queue and the deals with their buyers pass to the employees' seats in
 * turn, so no deal is lost or counted twice; then the seat is empty. */
void sales_release(struct model *m, int32_t r);
/* Seat r's pipeline passes to the employees' seats in turn, as at a
 * contractor's leaving (sales_release), skipping r and the seats whose
 * occupant leaves now or is to be released; with none left it stays.
 * Returns the number of deals passed on. */
int sales_hand_over(struct model *m, int32_t r);

/* model_ops.c */
int ops_add_staff(struct model *m, double t, double ramp_weeks);
/* An ops contractor's server starting now (see sales_add_contractor). At
 * the contract's end the caller empties it (filled = 0); the next
 * ops_update_staff puts the item in hand back at the head of its queue. */
int ops_add_contractor(struct model *m, int32_t contract, double ramp_weeks,
                       double productivity);
int ops_fill_seat(struct model *m, int32_t s, double t, double ramp_weeks);
void ops_vacate(struct model *m, int32_t s);
int ops_update_staff(struct model *m);
/* Rep r's share of ops work this week: rate effective and clock hours
 * per day, until until_t (the rep takes no item it cannot finish by
 * then). Creates the rep's server the first time. The only way sales
 * reaches ops' servers. Returns 0, or -1 (out of memory). */
int ops_set_rep_hours(struct model *m, int32_t r, double rate, double clock,
                      double until_t);
/* Places [start]'s onboardings and tickets at time 0, before tick 0:
 * the ones in progress in the staff's hands (their work goes on when
 * tick 0 sets the staff's rates), then the waiting ones in the queues.
 * The initial clients exist already. */
int ops_start(struct model *m);
int ops_on_done(struct model *m, int32_t s);
int ops_new_client(struct model *m, int32_t owner, uint64_t key, double value,
                   int live, double term_start);
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

/* model_staff.c */
/* The parameters of role ([sales], [operations], [support]). */
const struct role_params *staff_role(const struct model *m, enum role role);
/* How many seats role has, filled or not: the length of m->reps,
 * m->servers (a rep's ops share included) or m->support_seats. Inline,
 * like staff_seat: every tick walks every seat. */
static inline int32_t staff_seats(const struct model *m, enum role role)
{
    switch (role) {
    case ROLE_SALES:
        return m->n_reps;
    case ROLE_OPS:
        return m->n_servers;
    case ROLE_SUPPORT:
    case ROLE_COUNT:
        break;
    }
    return m->n_support_seats;
}

/* Seat i of role (i < staff_seats): the pointer is valid until the
 * role's array next grows. A rep's ops server has a seat never filled. */
static inline struct seat *staff_seat(struct model *m, enum role role,
                                      int32_t i)
{
    switch (role) {
    case ROLE_SALES:
        return &m->reps[i].seat;
    case ROLE_OPS:
        return &m->servers[i].seat;
    case ROLE_SUPPORT:
    case ROLE_COUNT:
        break;
    }
    return &m->support_seats[i].seat;
}
/* Seat i of role, vacant, gets its next occupant: filled from t, ramping
 * over ramp_weeks from the role's ramp_start, staying for good (depart_t
 * INFINITY). Draws nothing: a contractor starts so. Returns the seat. */
struct seat *staff_start_seat(struct model *m, enum role role, int32_t i,
                              double t, double ramp_weeks);
/* staff_start_seat for an employee, then the occupant's draws, from
 * stream (S_REP, S_STAFF or S_SUPPORT, i, occupant): a rep's
 * effectiveness first (m->reps[i].eff, at least 0), then the departure,
 * exponential at the role's attrition_per_year. The stream is reseeded
 * only when something is drawn. The one place a person takes a seat:
 * sales_fill_seat and ops_fill_seat add only their own bookkeeping. */
void staff_fill_seat(struct model *m, enum role role, int32_t i, double t,
                     double ramp_weeks);
/* Attrition and hiring at this tick: people whose departure or release
 * is due leave (a departure's seat is queued for a backfill, after any
 * freeze of the role; a released seat is not refilled, and a rep's
 * pipeline passes to the reps who stay), then the people hired for this
 * week start. */
int staff_turnover(struct model *m);
/* Cuts up to n positions of role now, in this order: people hired and
 * not started (the latest decided first), vacant seats awaiting their
 * backfill (the backfill is cancelled), then employees in their seats not
 * already leaving, the most recently started first (ties: the higher
 * seat), who are released at leave_t (>= now; they leave at the first
 * tick at or after it). Contractors are never cut. Returns how many
 * positions were cut. */
int staff_cut(struct model *m, enum role role, int n, double leave_t, int team);
/* The releases due now (staff_cut with leave_t = now, after this tick's
 * turnover): the people leave at once. 0, or -1 (out of memory). */
int staff_leave_due(struct model *m);
/* The role's positions: employees in their seats not already leaving,
 * plus the people hired or backfilled who have not started. */
int staff_positions(const struct model *m, enum role role, int team);
/* The team a new rep of team = all joins: the one with the fewest
 * positions for its reps at the start (ties: the first); 0 without
 * teams. */
int staff_new_rep_team(const struct model *m);
/* The role parameters of seat i of role: for a rep, its team's. */
const struct role_params *staff_seat_role(const struct model *m, enum role role,
                                          int32_t i);
/* Decides now to hire `count` people of role, who start after lead weeks
 * (< 0: the role's lead_weeks), rounded up to a whole week and at least
 * one, with a ramp of ramp weeks (< 0: the role's); absorb is a support
 * person's admin hours per week. The lever pays for them. */
int staff_hire(struct model *m, enum role role, int count, double lead,
               double ramp, double absorb, int team);
/* Adds a support person starting at t (ramp_weeks 0: fully productive). */
int staff_add_support(struct model *m, double t, double ramp_weeks,
                      double absorb_hours_per_week);
/* This week's admin hours the support staff take off the reps
 * (m->support_absorb), from who is employed now. */
void staff_update_support(struct model *m);
/* The share of this week seat i of role is away on vacation ([sales]
 * or [operations] vacation_days; 0 without, for a vacant seat and for a
 * contractor): 1 in a week off, the days left over / 5 in the year's
 * partial week, else 0. A year is 52 ticks from the start of warm-up;
 * its weeks off are drawn from stream (S_VACATION, (role, i), (occupant,
 * year)), the same in the baseline and every scenario. */
double staff_vacation(struct model *m, enum role role, int32_t i);
/* The fully loaded annual cost of one person of role ([costs]), $. */
double staff_role_cost(const struct model *m, enum role role);

/* model_market.c: the finite market (docs/model.md, "A finite market").
 * With [market] accounts = 0 none of these is called: the model draws
 * and schedules exactly what it did before the market had a size. */
/* The accounts at the start, once its clients and open deals exist:
 * the others are available and untouched. */
void market_start(struct model *m);
/* The k-th approach of seat r, now: draws its uniform from stream
 * (S_MARKET, r, k) and finds an available account with probability
 * available / accounts (cooling accounts due by now are back first).
 * Returns 1 and takes the account (it is the caller's to open a deal
 * on), or 0 when the approach finds none. */
int market_approach(struct model *m, int32_t r, uint64_t k);
/* An account leaves a deal lost or gone cold, or a client churns (id:
 * the opp or the client, for the trace): it cools for cooling_days,
 * available again at once when that is 0. Returns 0, or -1 (out of
 * memory). */
int market_cool(struct model *m, int32_t id);
/* The cooling accounts whose time is up by now become available. */
void market_release(struct model *m);
/* How many accounts cool now. */
static inline int32_t market_cooling(const struct model *m)
{
    return m->n_cooling - m->cool_head;
}

/* model_iv.c */
/* The scenario's contracts: they start at the tick of their first week
 * and end at the tick after their last, like people hired and leaving.
 * Called at the staffing step, before staff rates are set. */
int iv_contracts(struct model *m);
/* The market's reading of the delay, then the scenario's interventions.
 * Called after staff rates are set, so the delay reflects this week's
 * capacity. */
int iv_on_tick(struct model *m);
/* The first reported week at which iv can change anything (INT_MAX if
 * never): before it a scenario runs exactly as the baseline. */
int iv_first_week(const struct intervention *iv);
/* What the scenario's contracts cost in reported week `week`, $. */
double iv_contract_cost(const struct model *m, int week);
/* The tick from which the backfill of a departure of role at this tick
 * may be decided: this tick, or the end of the scenario's freezes of the
 * role that cover it (one after another when they chain). */
int iv_backfill_tick(const struct model *m, enum role role, int team);
/* The scenario's process fixes this week: m->ops_invest_share and
 * m->ops_saving, from the week alone. Called at the staffing step,
 * before staff rates are set. */
void iv_process(struct model *m);

#endif
