/*
 * capacity: the analytic model of a scenario file's baseline, computed
 * from its parameters alone in milliseconds: what `salescap check`
 * prints before any simulation, and what calibrate's contradiction
 * checks and the tests hold the simulation against.
 *
 * It is the simulation's model with every random quantity replaced by
 * what queueing theory says of its mean (docs/model.md, "The analytic
 * model"):
 *   - seats: attrition, backfill and the ramp of new hires as a discrete
 *     renewal process, week by week, exactly as the model ticks;
 *   - each rep: an M/G/1 queue of deal work with impatient customers
 *     (deals go cold when their wait passes their patience), solved as
 *     a fixed point per effectiveness quantile (the spread of talent
 *     matters: win odds compound over stages and are capped at 1);
 *   - ops: an M/G/c queue through the Allen-Cunneen approximation,
 *     followed through time as a pointwise stationary fluid flow, so an
 *     overloaded start drains or grows as it would;
 *   - clients: cohorts that renew at anniversaries with the odds late
 *     items leave them, and the market's delivery-delay loop.
 * Values are per week unless named otherwise; KPIs are averaged over the
 * reported weeks exactly as kpi.h defines them for a replication.
 */
#ifndef SALESCAP_CAPACITY_H
#define SALESCAP_CAPACITY_H

#include "err.h"
#include "kpi.h"
#include "params.h"

/* How far check's table may be from the simulation's means over the
 * reported horizon on the scenario files (docs/model.md; tested on every
 * file of scenarios/ by tests/test_capacity.c): relative for rates,
 * values and counts; in points for shares. */
#define CAPACITY_TOL_REL      0.10 /* win rate, cycle, opportunities, ... */
#define CAPACITY_TOL_SHARE    0.05 /* utilisations, churn: 5 points */
#define CAPACITY_TOL_WAIT     0.35 /* waits and backlog hours ... */
#define CAPACITY_TOL_WAIT_ABS 1.0  /* ... or within a day / an hour ... */
#define CAPACITY_WAIT_UTIL_MAX                                                 \
    0.90 /* ... below this ops utilisation;                                    \
          * above it they are a lower bound:                                   \
          * the mean of a queue near saturation                                \
          * is its busiest weeks' */

struct capacity {
    /* Sales, per employed rep at full productivity unless named. */
    double eff;                  /* mean rep effectiveness */
    double odds_win_rate;        /* product of the stage odds alone: the
                                  * spreadsheet's win rate */
    double cold_share;           /* of closed deals, gone cold waiting */
    double sell_avail;           /* selling hours per rep-week */
    double sell_demand;          /* deal work hours per rep-week */
    double sell_util;            /* busy share of selling hours */
    double reps;                 /* reps employed, mean over the horizon */
    double rep_prod;             /* their mean productivity (ramps) */
    double opps, wins, bookings; /* team, per week, over the horizon */
    /* Operations. */
    double ops_avail;  /* effective hours per week (staff x ramp) */
    double ops_start;  /* demanded in the first week */
    double ops_demand; /* demanded, mean over the horizon */
    double ops_util;   /* over the horizon */
    double late_share; /* of items, finished past their SLA */
    /* The long run: the steady state the model settles in, if any. */
    double clients_ss;      /* INFINITY when the base grows without end */
    double ops_ss;          /* demanded hours per week */
    double ops_ss_util;     /* busy share; >= 1: unstable */
    double market_mult_ss;  /* the market's last-stage multiplier */
    double client_weeks_ss; /* weeks a won client stays under contract
                             * (INFINITY: for good) */
    /* The finite market's long run ([market] accounts = N > 0; else 0).
     * Every opportunity holds an account for market_hold_weeks: while
     * open, then as a client if won, then cooling (if lost, cold or
     * churned). Creation settles where the rate the accounts free to
     * approach allow is the rate that holds them: rate = unlimited x N
     * / (N + unlimited x hold), at opportunities per week. The table's
     * other figures, and everything else here, assume an unlimited
     * market (docs/model.md, "A finite market"). */
    double market_hold_weeks, market_opps_ss, market_share_ss;
    int ops_ss_stable;  /* a steady state with utilisation < 1 */
    int start_overload; /* demand above capacity in the first week */
    /* Every KPI of kpi.h over the reported horizon (NAN: undefined). */
    double kpi[KPI_COUNT];
};

/* Computes c from p's model (its scenarios play no part). Returns 0, or
 * -1 with e set when out of memory. */
int capacity_compute(const struct params *p, struct capacity *c, struct err *e);

/* ---- the pieces, exposed for their unit tests ------------------------- */

/* Erlang's C formula: the probability that an arrival waits in an M/M/c
 * queue with c servers (c > 0, not necessarily whole: interpolated) and
 * utilisation rho in [0, 1). */
double capacity_erlang_c(double c, double rho);

/* Mean wait in queue of an M/G/c queue by Allen-Cunneen: Erlang C times
 * the M/M/c wait times (1 + cs2) / 2, for service time mean s and
 * squared coefficient of variation cs2, with c servers at utilisation
 * rho < 1. Same unit as s. */
double capacity_wait(double c, double rho, double s, double cs2);

/* Expected filled share and productivity-weighted share of a role's
 * seats in each of `weeks` weeks (arrays of that length) from the start
 * of warm-up, when everyone starts fully productive: departures at
 * attrition_per_year, seats empty for ceil(backfill_weeks) ticks, new
 * people ramping from ramp_start over ramp_weeks. Returns 0, or -1 when
 * out of memory. */
int capacity_seats(const struct role_params *r, int weeks, double *filled,
                   double *productive);

/* One rep's pipeline at steady state: an M/G/1 queue of deal work with
 * going cold, solved by fixed point. Inputs: opportunities and selling
 * work hours per day (opps_per_day, sell_rate), effectiveness eff, the
 * last stage's extra multiplier (the market). */
struct capacity_rep {
    double win;        /* won / created */
    double cold;       /* gone cold / created */
    double busy;       /* busy share of selling time */
    double work_hours; /* deal work per opportunity */
    double cycle_days; /* creation to win, per won deal */
    double pipe_days;  /* creation to close, per opportunity */
};
void capacity_rep(const struct params *p, double opps_per_day, double sell_rate,
                  double eff, double last_mult, struct capacity_rep *out);

#endif
