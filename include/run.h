/*
 * run: many replications of the baseline and every scenario, on threads,
 * summarised per week, per quarter and as paired differences.
 *
 * Replication r of every scenario uses the streams of (seed, r): the same
 * people, deals and clients, so a scenario's difference from the baseline
 * is measured on common random numbers, replication by replication.
 * Threads take replications in increasing order and hand their series to
 * an in-order commit, so summaries are identical for any number of
 * threads, and memory does not grow with the number of replications.
 */
#ifndef SALESCAP_RUN_H
#define SALESCAP_RUN_H

#include <stdint.h>

#include "err.h"
#include "kpi.h"
#include "metrics.h"
#include "params.h"
#include "plan.h"
#include "stats.h"

/* Comparison metrics: every metric of metrics.h, then these. */
enum cmp_metric {
    CMP_LOST_REVENUE = M_COUNT, /* baseline - scenario revenue, $ */
    CMP_LOST_REVENUE_CUMULATIVE,
    CMP_LOST_NET_VALUE, /* baseline - scenario gross profit, $: over
                         * the total, the net value lost */
    CMP_COUNT,
};

struct run_opts {
    int jobs;              /* threads, >= 1 */
    long replications;     /* fixed count; ignored with precision > 0 */
    double precision;      /* relative half-width target, or 0 */
    long max_replications; /* cap for precision mode */
    int progress;          /* draw a progress bar on stderr */
    volatile int *stop;    /* set by a signal handler to stop early */
    /* Called by the commit, under its lock and in replication order,
     * with replication rep's values of every scenario s, metric m and
     * period q (a quarter, or the whole horizon at q = quarters):
     * v[(s * (quarters + 1) + q) * M_COUNT + m], defined where ok[the
     * same index]; and its plan metrics (plan.h) of every scenario s,
     * quarter q and plan metric k, pv[run_plan_index(r, s, q, k)],
     * defined where pok[the same index] (both NULL when the file
     * reports none). Borrowed for the call. NULL: no hook. */
    void (*on_commit)(void *ctx, long rep, const double *v,
                      const unsigned char *ok, const double *pv,
                      const unsigned char *pok);
    void *on_commit_ctx;
};

/* One team's accumulators ([team.NAME]; docs/model.md, "Teams"), laid
 * out as run_result's weekly, quarterly and cmp_* and filled from the
 * team's own raw rows; only the metrics of team_metric (metrics.h), and
 * lost revenue, mean anything (the others are the company's alone). */
struct run_team {
    struct acc *weekly, *quarterly;
    struct acc *cmp_base, *cmp_scen, *cmp_delta;
    /* the quota metrics (plan.h) from the team's reps, as plan_*: NULL
     * when the file has no quotas; plan_met is the company's alone */
    struct acc *plan_q, *plan_base, *plan_scen, *plan_delta;
};

/* Accumulators, each indexed [scenario][period][metric], scenario 0 being
 * the baseline (comparisons: [scenario - 1]). Period Q of cmp is "total". */
struct run_result {
    int nscen, weeks, quarters, weeks_total;
    long replications;
    struct acc *weekly;    /* nscen * weeks * M_COUNT */
    struct acc *quarterly; /* nscen * quarters * M_COUNT */
    struct acc *cmp_base;  /* (nscen-1) * (quarters+1) * CMP_COUNT */
    struct acc *cmp_scen;
    struct acc *cmp_delta;
    /* Each week's revenue of scenario s minus the baseline's, paired
     * (replication by replication): (nscen-1) * weeks, run_week_delta. */
    struct acc *week_delta;
    struct acc *warm_revenue; /* baseline, every week incl. warm-up */
    struct acc *warm_backlog;
    /* Option against option: pair k is scenario pair_a[k] minus scenario
     * pair_b[k] (0 is the baseline), for each a >= 1 the baseline first,
     * then every later scenario: (1,0), (1,2), ..., (2,0), (2,3), ...
     * pairs holds npairs * (quarters + 1) * CMP_COUNT accumulators of the
     * paired difference a - b, in the periods and metrics of cmp_delta:
     * a comparison metric of the baseline is 0, so pair (a, 0) is
     * cmp_delta of a. */
    int npairs;
    int *pair_a, *pair_b;
    struct acc *pairs;
    /* The commit's scratch, not a result: the replication being
     * committed's differences from the baseline, indexed as cmp_delta
     * (rep_delta_ok: defined). */
    double *rep_delta;
    unsigned char *rep_delta_ok;
    /* The decision ([decision] of params.h); dec_metric < 0: none. The
     * value of an option in a replication is dec_metric combined over
     * quarters dec_q0..dec_q1 (0-based). dec_value[s] accumulates it,
     * dec_diff[a * nscen + b] the paired a - b, and dec_wins[s] counts
     * the replications in which s was best (ties shared evenly, so the
     * wins sum to the replications). dec_lower: lower is better. */
    int dec_metric, dec_q0, dec_q1, dec_lower;
    struct acc *dec_value;
    struct acc *dec_diff;
    double *dec_wins;
    /* The commit's scratch, not a result: each option's decision value
     * in the replication being committed (what on_commit may read). */
    double *dec_rep;
    struct acc kpi[KPI_COUNT]; /* the baseline's KPIs (kpi.h) */
    /* Quotas and plan (plan.h), when the file reports any (plan_any;
     * else all NULL), by scenario, quarter and plan metric
     * (run_plan_index): plan_q summarises each scenario's values as
     * quarterly does; plan_base, plan_scen and plan_delta pair scenario
     * s >= 1 with the baseline as cmp_* do (at the index of s; the
     * baseline's rows stay empty). plan_v and plan_ok are the commit's
     * scratch: the replication's values, and where they are defined. */
    struct acc *plan_q, *plan_base, *plan_scen, *plan_delta;
    double *plan_v;
    unsigned char *plan_ok;
    /* The finite market (metrics.h, market_table), when the file has
     * one ([market] accounts > 0; else both NULL): each scenario's
     * levels at each week's end, [s][w][k], and at each quarter's end,
     * [s][q][k]. */
    struct acc *market_w, *market_q;
    /* Teams: nteams (params' n_teams; 0 without teams, and team NULL)
     * of them, in file order; team_scratch is the commit's. */
    int nteams;
    struct run_team *team;
    double *team_scratch;
    unsigned char *team_scratch_ok;
    double *team_plan_v;
    unsigned char *team_plan_ok;
    double seconds;   /* wall time of the simulation */
    double precision; /* precision mode: the target, else 0 */
    double reached;   /* precision mode: the widest relative
                       * half-width of total lost revenue (inf when
                       * a mean is 0 but its interval is not) */
};

static inline struct acc *run_weekly(const struct run_result *r, int s, int w,
                                     int m)
{
    return &r->weekly[((size_t)s * r->weeks + w) * M_COUNT + m];
}

static inline struct acc *run_quarterly(const struct run_result *r, int s,
                                        int q, int m)
{
    return &r->quarterly[((size_t)s * r->quarters + q) * M_COUNT + m];
}

/* Team t's view of r: r with t's accumulators in place of the
 * company's weekly, quarterly and cmp_* (for the accessors above). */
static inline struct run_result run_team_view(const struct run_result *r, int t)
{
    struct run_result v = *r;
    v.weekly = r->team[t].weekly;
    v.quarterly = r->team[t].quarterly;
    v.cmp_base = r->team[t].cmp_base;
    v.cmp_scen = r->team[t].cmp_scen;
    v.cmp_delta = r->team[t].cmp_delta;
    v.rep_delta = r->team_scratch;
    v.rep_delta_ok = r->team_scratch_ok;
    v.plan_q = r->team[t].plan_q;
    v.plan_base = r->team[t].plan_base;
    v.plan_scen = r->team[t].plan_scen;
    v.plan_delta = r->team[t].plan_delta;
    v.plan_v = r->team_plan_v;
    v.plan_ok = r->team_plan_ok;
    return v;
}

static inline struct acc *run_week_delta(const struct run_result *r, int s,
                                         int w)
{
    return &r->week_delta[(size_t)(s - 1) * r->weeks + w];
}

static inline size_t run_cmp_index(const struct run_result *r, int s, int q,
                                   int m)
{
    return ((size_t)(s - 1) * (r->quarters + 1) + q) * CMP_COUNT + m;
}

static inline size_t run_plan_index(const struct run_result *r, int s, int q,
                                    int k)
{
    return ((size_t)s * r->quarters + q) * PLAN_COUNT + k;
}

static inline size_t run_pair_index(const struct run_result *r, int k, int q,
                                    int m)
{
    return ((size_t)k * (r->quarters + 1) + q) * CMP_COUNT + m;
}

/* Simulates p with options o into res (zeroed). Returns 0, or -1 with e
 * set (out of memory, a runaway replication, or stopped by o->stop). */
int run_simulate(const struct params *p, const struct run_opts *o,
                 struct run_result *res, struct err *e);

/* Frees res; safe on a zeroed struct. */
void run_result_destroy(struct run_result *res);

/* The reported weeks [w0, w1) of quarter q (0-based); the last quarter may
 * be shorter than 13 weeks. */
void run_quarter_weeks(int q, int weeks, int *w0, int *w1);

#endif
