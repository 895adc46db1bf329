/*
 * capacity_int: what the parts of the analytic model share (the contract
 * is include/capacity.h). capacity.c: seats, the weekly step, the
 * horizon, the long run, and capacity_compute, which assembles them;
 * capacity_rep.c: one rep's queue of deals; capacity_sales.c: the reps'
 * week; capacity_ops.c: the ops queue; capacity_clients.c: the client
 * cohorts. Public functions are capacity_*, these cap_*.
 *
 * Values are per week unless named otherwise, times in days, work in
 * hours. Nothing draws a random number: the same params give the same
 * figures, bit for bit.
 */
#ifndef SALESCAP_CAPACITY_INT_H
#define SALESCAP_CAPACITY_INT_H

#include <stddef.h>

#include "capacity.h"

#define DPW       7.0      /* days per week */
#define N_EFF     24       /* effectiveness quantiles */
#define MAX_DELAY 3650.0   /* the model's reading with no ops capacity */
#define RHO_MAX   0.999999 /* a stationary queue's utilisation stays below */

/* The week's ops queue: servers, their pace and the work arriving. */
struct ops_queue {
    double c;      /* servers (staff employed) */
    double pace;   /* work hours per day of one server (with ramps) */
    double lam_o;  /* onboardings per day */
    double lam_t;  /* tickets per day */
    double s1, s2; /* mean and second moment of an item's hours */
    double cs2;    /* squared coefficient of variation of service */
};

/* Groups of clients with the same contract anniversary. */
struct cohorts {
    double *n;                /* clients */
    double *anniv;            /* next anniversary, weeks from the start */
    double *exposure;         /* weeks of the current term the run has seen */
    unsigned char *onboarded; /* its onboarding counts in this term */
    size_t len, cap;
};

/* The reps' queues, solved as needed on a grid (capacity_sales.c). */
struct sales_cache;

/* A team of a file with [team.NAME]s (docs/model.md, "Teams"): the
 * file's parameters with the team's [sales] and stages, its own grid and
 * queues, and its seats this week (set before each step). */
struct cap_team {
    struct params p;
    double effs[N_EFF];
    struct sales_cache *sales;
    double *seats; /* the horizon's filled and productive shares (2n) */
    double sf, sp; /* this week's */
};

/* What the weeks share: seats, the effectiveness grid, and the state the
 * next week starts from. */
struct path {
    const struct params *p;
    double effs[N_EFF];
    double x;         /* ops backlog, work hours */
    double x_tickets; /* of which tickets waiting (onboarding_first) */
    double perceived; /* the market's smoothed delay, days */
    double onb_days;  /* signature to go-live, last week's */
    struct cohorts co;
    struct sales_cache *sales; /* the reps' queues by productivity */
    int failed;                /* out of memory on the way */
    /* With teams: each team's sales side in turn, summed (n_teams 0:
     * the one team of p, as ever). all_reps: the reps of every team,
     * over whom support spreads (0: the week's own). */
    size_t n_teams;
    struct cap_team *teams;
    double all_reps;
};

/* One week's results. */
struct week {
    double reps, prod, opps, wins, wins_full, closed, cold, pipeline;
    double cycle_days;
    double sell_clock, sell_busy, offered;
    double ops_clock, ops_busy, ops_demand, backlog;
    double onb_wait, onb_days, late_o, late_t;
    double clients, churned, mult;
    double bookings; /* wins times the deal value's mean */
};

/* Seats of the week: shares filled and productive of each role. */
struct seats {
    double sf, sp, of, op, uf, up;
};

/* ---- capacity_rep.c */

/* capacity_rep for every effectiveness quantile effs[0 .. N_EFF) of a
 * rep finding lam opportunities a day and selling r effective hours a
 * day, into o[N_EFF]. Returns 0, or -1 when out of memory. */
int cap_rep_quantiles(const struct params *p, const double *effs, double lam,
                      double r, struct capacity_rep *o);

/* ---- capacity_sales.c */

/* The effectiveness quantiles e[0 .. N_EFF), each equally likely. */
void cap_eff_points(const struct params *p, double *e);
/* An empty cache of p's reps' queues, or NULL when out of memory. */
struct sales_cache *cap_sales_cache_alloc(const struct params *p);
/* Frees sc; safe on NULL. */
void cap_sales_cache_free(struct sales_cache *sc);
/* The reps' side of week t: employed reps, their opportunities, wins,
 * cold deals, pipeline and selling hours into w, with the market's
 * multiplier mult of the last stage. Returns 0, or -1 (out of memory). */
int cap_sales_side(struct path *ph, const struct seats *st, double mult, int t,
                   struct week *w);
/* cap_sales_side of every team of ph, summed into w (cycle days: the
 * wins' mean), each team with its own seats (its sf, sp); without teams,
 * cap_sales_side itself. Returns 0, or -1 (out of memory). */
int cap_sales_teams(struct path *ph, const struct seats *st, double mult, int t,
                    struct week *w);

/* ---- capacity_ops.c */

/* Sets q's service moments (s1, s2, cs2) from its arrival mix. */
void cap_ops_mix(const struct params *p, struct ops_queue *q);
/* Hours of work waiting or in service at utilisation rho. */
double cap_ops_hours(const struct ops_queue *q, double rho);
/* The waits of onboardings and tickets (days) when `waiting` hours wait
 * at utilisation rho, under p's queue discipline; returns the hours of
 * tickets waiting. */
double cap_ops_waits(const struct params *p, const struct ops_queue *q,
                     double rho, double waiting, double *w_o, double *w_t);
/* The shares of onboardings and tickets finished past their SLA. */
void cap_ops_late(const struct params *p, const struct ops_queue *q, double rho,
                  double w_o, double w_t, double *late_o, double *late_t);
/* The ops side of week t, after the sales side (w->wins) and the client
 * count (w->clients): the backlog ph->x moves one week, the waits and
 * late shares into w. Returns 0. */
int cap_ops_side(struct path *ph, const struct seats *st, int t,
                 struct week *w);

/* ---- capacity_clients.c */

/* Frees c's arrays (not c). */
void cap_cohorts_free(struct cohorts *c);
/* Adds n clients whose next anniversary is anniv (weeks from the start),
 * exposure weeks into their term, onboarded this term or not. Returns 0,
 * or -1 when out of memory. */
int cap_cohorts_add(struct cohorts *c, double n, double anniv, double exposure,
                    int onboarded);
/* The odds of renewing at an anniversary, given the late shares. */
double cap_renew_odds(const struct params *p, double exposure, int onboarded,
                      double late_o, double late_t);
/* Renewals and churn of the anniversaries in week [t, t + 1); returns
 * the clients churned. */
double cap_cohorts_week(struct cohorts *c, const struct params *p, int t,
                        double late_o, double late_t);
/* The initial base into ph->co. Returns 0, or -1 when out of memory. */
int cap_initial_clients(struct path *ph);

#endif
