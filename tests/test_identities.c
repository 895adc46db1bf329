/*
 * Identities of the model and of what a run reports: relations between
 * numbers that hold whatever the calibration, stated one by one, so that a
 * bug which only changes numbers fails here by name. Before these tests
 * only the golden CSVs of test_cli_run caught such bugs, and golden files
 * are regenerated whenever the model's numbers change on purpose (a new
 * metric, a cheaper draw): a bug made at the same time would be
 * regenerated with them.
 *
 * - A replication's weekly rows agree with the model's own totals; stocks
 *   (open opportunities, active clients) move by exactly their flows;
 *   win_rate counts won / (won + lost + cold) (docs/model.md); a week's
 *   rep hours add up to the reps employed times their hours.
 * - Quarters tile the horizon (run_quarter_weeks); a quarter's flow is the
 *   sum of its weeks, its level the level of its last week; the horizon
 *   total is the sum of the quarters.
 * - Comparisons: delta = scenario - baseline; lost_revenue = baseline -
 *   scenario revenue; lost_revenue_cumulative is its running sum; before a
 *   scenario's first intervention nothing differs from the baseline.
 * - win_rate is strictly inside (0, 1) in the flagship, weekly and
 *   quarterly.
 * - The CSVs hold the in-memory summaries, and the identities above hold
 *   in the files as written.
 * - Pulls: productivity is back to 1 exactly return_ramp_weeks after a
 *   pull ends, and not before; the leak fades to 0 over leak_weeks;
 *   each of the two acts on its own quantity; with leak_share = 0,
 *   leak_weeks changes nothing, and with return_productivity = 1,
 *   return_ramp_weeks changes nothing (byte-identical outputs).
 *
 * Planted bugs these tests were shown to catch with test_golden off: a
 * won deal counted twice in deals_won instead of once in win_rate's
 * numerator (sim/model_sales.c); return_ramp_weeks taking the value of
 * leak_weeks (sim/model_iv.c); each quarter ending one week early
 * (sim/run.c).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "csvread.h"
#include "metrics.h"
#include "model.h"
#include "output.h"
#include "run.h"
#include "stats.h"
/* White box for the pull tests only: the rep's rates as the model set
 * them at each tick, reached by stepping the run a tick at a time as
 * checkpoints do (model_start, model_loop, model_resume). */
#include "../sim/model_int.h"
#include "util.h"

#define FLAGSHIP "scenarios/pull_two_weeks.ini"
/* Enough replications that every weekly win rate of the flagship is
 * defined and strictly inside (0, 1) at its seed; the whole file runs in
 * well under a second even under the sanitizers. */
#define REPS 12
/* Relative tolerance of sums of means against means of sums (rounding
 * only), and of the CSVs' %.10g numbers against each other. */
#define TOL_MEM 1e-9
#define TOL_CSV 1e-8

/* Whether x and y agree to within rel of scale, plus 1e-9 for sums that
 * should be 0 (cmocka 1.1.5, Debian 12's, has no assert_double_equal). */
static int near(double x, double y, double scale, double rel)
{
    return fabs(x - y) <= rel * scale + 1e-9;
}

/* Loads path into cfg and p with "section.key=value" overrides (sets:
 * NULL-terminated, or NULL). */
static void load(struct config *cfg, struct params *p, const char *path,
                 const char *const *sets)
{
    struct err e = {0};
    memset(cfg, 0, sizeof *cfg);
    if (config_load(cfg, path, &e) != 0)
        fail_msg("%s", e.msg);
    for (size_t i = 0; sets && sets[i]; i++)
        if (config_set(cfg, sets[i], &e) != 0)
            fail_msg("%s", e.msg);
    memset(p, 0, sizeof *p);
    if (config_resolve(cfg, p, &e) != 0)
        fail_msg("%s", e.msg);
}

static const char *scen_id(const struct params *p, int s)
{
    return s == 0 ? "baseline" : p->scenarios[s - 1].id;
}

/* The comparison metrics' names, stated here: they are the interface. */
static const char *cmp_name(int m)
{
    static const char *const lost[] = {
        "lost_revenue", "lost_revenue_cumulative", "lost_net_value"};
    return m < M_COUNT ? metric_table[m].name : lost[m - M_COUNT];
}

/* Quarter q's weeks [w0, w1), stated here rather than taken from
 * run_quarter_weeks: 13 weeks each, the last one what is left. */
static void quarter(int q, int weeks, int *w0, int *w1)
{
    *w0 = 13 * q;
    *w1 = 13 * (q + 1) < weeks ? 13 * (q + 1) : weeks;
}

/* ---- quarters tile the horizon ---------------------------------------- */

static void test_quarters_tile(void **state)
{
    (void)state;
    for (int weeks = 1; weeks <= 300; weeks++) {
        int nq = (weeks + 12) / 13, end = 0;
        for (int q = 0; q < nq; q++) {
            int w0, w1;
            run_quarter_weeks(q, weeks, &w0, &w1);
            int len = w1 - w0;
            if (w0 != end || len < 1 || len > 13 || (q + 1 < nq && len != 13))
                fail_msg("horizon of %d weeks: quarter %d is weeks "
                         "[%d, %d); after the weeks before it, it should "
                         "start at %d and last %d weeks",
                         weeks, q + 1, w0, w1, end,
                         q + 1 < nq ? 13 : weeks - end);
            end = w1;
        }
        if (end != weeks)
            fail_msg("horizon of %d weeks: its %d quarters end at week %d",
                     weeks, nq, end);
    }
}

/* ---- a replication's rows against the model's totals ----------------- */

static double row_hours(const double *row)
{
    return row[M_REP_HOURS_PROSPECTING] + row[M_REP_HOURS_SELLING] +
           row[M_REP_HOURS_ADMIN] + row[M_REP_HOURS_OPS] +
           row[M_REP_HOURS_IDLE];
}

/* One week of raw (warm-up included): win_rate's and cycle_days' slots
 * count what they should, stocks moved by their flows, hours add up. */
static void check_row(const struct params *p, const double *row, int w,
                      double *pipe, double *clients, const char *what)
{
    double won = row[M_DEALS_WON], lost = row[M_DEALS_LOST],
           cold = row[M_DEALS_WENT_COLD];
    int rw = w - p->sim.warmup_weeks; /* as the CSVs number weeks */
    if (row[M_WIN_RATE] != won)
        fail_msg("%s, week %d: win_rate's numerator is %g, deals_won %g", what,
                 rw, row[M_WIN_RATE], won);
    if (row[D_WIN_RATE] != won + lost + cold)
        fail_msg("%s, week %d: win_rate's denominator is %g, won + lost + "
                 "cold = %g + %g + %g",
                 what, rw, row[D_WIN_RATE], won, lost, cold);
    if (row[D_CYCLE_DAYS] != won)
        fail_msg("%s, week %d: cycle_days averages over %g deals, %g won", what,
                 rw, row[D_CYCLE_DAYS], won);
    *pipe += row[M_OPPORTUNITIES_CREATED] - won - lost - cold;
    if (row[M_PIPELINE_COUNT] != *pipe)
        fail_msg("%s, week %d: pipeline_count %g, but the flows since the "
                 "start leave %g open",
                 what, rw, row[M_PIPELINE_COUNT], *pipe);
    *clients += won - row[M_CLIENTS_CHURNED];
    if (row[M_CLIENTS_ACTIVE] != *clients)
        fail_msg("%s, week %d: clients_active %g, but the initial base "
                 "plus wins less churn is %g",
                 what, rw, row[M_CLIENTS_ACTIVE], *clients);
    double avail = row[M_REPS_ACTIVE] * p->sales.role.hours_per_week;
    if (!near(row_hours(row), avail, avail, TOL_MEM))
        fail_msg("%s, week %d: rep hours by activity add up to %.17g, "
                 "%g reps work %.17g",
                 what, rw, row_hours(row), row[M_REPS_ACTIVE], avail);
}

static void check_totals(const struct params *p, const double *raw,
                         const struct model_totals *t, const char *what)
{
    int weeks = p->sim.warmup_weeks + p->sim.horizon_weeks;
    /* [start]'s open deals and onboarding clients are there at time 0. */
    double sum[M_COUNT] = {0}, pipe = t->opps_start,
           clients = p->clients.initial + p->start.onboardings_waiting +
                     p->start.onboardings_in_progress;
    for (int w = 0; w < weeks; w++) {
        const double *row = raw + (size_t)w * RAW_COUNT;
        check_row(p, row, w, &pipe, &clients, what);
        for (int m = 0; m < M_COUNT; m++)
            sum[m] += row[m];
    }
    const struct {
        int m;
        double total;
        const char *name;
    } flows[] = {
        {M_OPPORTUNITIES_CREATED, t->opps_created, "opps_created"},
        {M_DEALS_WON, t->opps_won, "opps_won"},
        {M_DEALS_LOST, t->opps_lost, "opps_lost"},
        {M_DEALS_WENT_COLD, t->opps_cold, "opps_cold"},
        {M_REP_HOURS_PROSPECTING, t->rep_hours[0], "rep_hours[0]"},
        {M_REP_HOURS_SELLING, t->rep_hours[1], "rep_hours[1]"},
        {M_REP_HOURS_ADMIN, t->rep_hours[2], "rep_hours[2]"},
        {M_REP_HOURS_OPS, t->rep_hours[3], "rep_hours[3]"},
        {M_REP_HOURS_IDLE, t->rep_hours[4], "rep_hours[4]"},
    };
    for (size_t i = 0; i < sizeof flows / sizeof flows[0]; i++)
        if (!near(sum[flows[i].m], flows[i].total, fabs(flows[i].total),
                  TOL_MEM))
            fail_msg("%s: the weekly rows of %s add up to %.17g, the "
                     "model's total %s is %.17g",
                     what, metric_table[flows[i].m].name, sum[flows[i].m],
                     flows[i].name, flows[i].total);
    if (pipe != t->opps_open)
        fail_msg("%s: the flows leave %g opportunities open, the model "
                 "%g",
                 what, pipe, t->opps_open);
    if (!near(sum[M_REP_HOURS_PROSPECTING] + sum[M_REP_HOURS_SELLING] +
                  sum[M_REP_HOURS_ADMIN] + sum[M_REP_HOURS_OPS] +
                  sum[M_REP_HOURS_IDLE],
              t->rep_hours_available, t->rep_hours_available, TOL_MEM))
        fail_msg("%s: the weekly rep hours do not add up to the %.17g "
                 "hours available",
                 what, t->rep_hours_available);
}

/* Every scenario of the flagship, as it is, with attrition (seats
 * empty and refilled, new reps ramping) and starting from a [start] at
 * "today" (its deals and clients counted like any others). */
static void test_rows_match_totals(void **state)
{
    (void)state;
    const char *const attrition[] = {"sales.attrition_per_year=0.4",
                                     "operations.attrition_per_year=0.3", NULL};
    const char *const start[] = {"simulation.warmup_weeks=0",
                                 "start.onboardings_waiting=19",
                                 "start.onboardings_in_progress=4",
                                 "start.tickets_waiting=12",
                                 "start.tickets_in_progress=0",
                                 "start.open.proposal=50",
                                 "start.open.qualify=20",
                                 "start.open_age_days=52",
                                 NULL};
    const char *const *variants[] = {NULL, attrition, start};
    static const char *const names[] = {"", " (attrition)", " ([start])"};
    for (int v = 0; v < 3; v++) {
        struct config cfg;
        struct params p;
        struct err e = {0};
        load(&cfg, &p, FLAGSHIP, variants[v]);
        struct model *m = model_alloc(&p, &e);
        size_t n =
            (size_t)(p.sim.warmup_weeks + p.sim.horizon_weeks) * RAW_COUNT;
        double *raw = calloc(n, sizeof *raw);
        assert_non_null(m);
        assert_non_null(raw);
        for (int s = -1; s < (int)p.n_scenarios; s++)
            for (uint64_t r = 0; r < 3; r++) {
                struct model_totals t;
                char what[128];
                snprintf(what, sizeof what, "%s%s, replication %d",
                         scen_id(&p, s + 1), names[v], (int)r);
                if (model_run(m, s, r, raw, &t, &e) != 0)
                    fail_msg("%s: %s", what, e.msg);
                check_totals(&p, raw, &t, what);
                if (v == 2 && t.opps_start != 70.0)
                    fail_msg("%s: %g deals open at the start, not 70", what,
                             t.opps_start);
            }
        free(raw);
        model_free(m);
        params_destroy(&p);
        config_destroy(&cfg);
    }
}

/* ---- a run's summaries ------------------------------------------------ */

/* The means a run reports, from memory or from its CSVs:
 * weekly [s][w][m], quarterly [s][q][m], and for s >= 1 the comparison
 * [s - 1][q][m][k] with q = quarters for the total and k = baseline_mean,
 * scenario_mean, delta_mean. */
struct view {
    int nscen, weeks, quarters;
    double *weekly, *quarterly, *cmp;
};

enum { K_BASE, K_SCEN, K_DELTA, K_COUNT };

static double *vw(const struct view *v, int s, int w, int m)
{
    return &v->weekly[((size_t)s * v->weeks + w) * M_COUNT + m];
}

static double *vq(const struct view *v, int s, int q, int m)
{
    return &v->quarterly[((size_t)s * v->quarters + q) * M_COUNT + m];
}

static double *vc(const struct view *v, int s, int q, int m, int k)
{
    return &v->cmp[(((size_t)(s - 1) * (v->quarters + 1) + q) * CMP_COUNT + m) *
                       K_COUNT +
                   k];
}

static void view_alloc(struct view *v, int nscen, int weeks, int quarters)
{
    v->nscen = nscen;
    v->weeks = weeks;
    v->quarters = quarters;
    v->weekly = calloc((size_t)nscen * weeks * M_COUNT, sizeof(double));
    v->quarterly = calloc((size_t)nscen * quarters * M_COUNT, sizeof(double));
    v->cmp = calloc((size_t)nscen * (quarters + 1) * CMP_COUNT * K_COUNT,
                    sizeof(double));
    assert_non_null(v->weekly);
    assert_non_null(v->quarterly);
    assert_non_null(v->cmp);
}

static void view_free(struct view *v)
{
    free(v->weekly);
    free(v->quarterly);
    free(v->cmp);
}

/* The comparison's three means as the CSV reports them: for lost revenue,
 * the baseline's and the scenario's revenue beside the loss. */
static void cmp_means(const struct run_result *r, int s, int q, int m,
                      double out[K_COUNT])
{
    size_t i = run_cmp_index(r, s, q, m);
    /* A loss row reports the quantity lost beside it: revenue, or gross
     * profit for lost_net_value. */
    int lost_of = m == CMP_LOST_NET_VALUE ? M_GROSS_PROFIT : M_REVENUE;
    size_t b = m >= M_COUNT ? run_cmp_index(r, s, q, lost_of) : i;
    out[K_BASE] = r->cmp_base[b].mean;
    out[K_SCEN] = r->cmp_scen[b].mean;
    out[K_DELTA] = r->cmp_delta[i].mean;
}

static void view_from_result(struct view *v, const struct run_result *r)
{
    view_alloc(v, r->nscen, r->weeks, r->quarters);
    for (int s = 0; s < r->nscen; s++) {
        for (int w = 0; w < r->weeks; w++)
            for (int m = 0; m < M_COUNT; m++)
                *vw(v, s, w, m) = run_weekly(r, s, w, m)->mean;
        for (int q = 0; q < r->quarters; q++)
            for (int m = 0; m < M_COUNT; m++)
                *vq(v, s, q, m) = run_quarterly(r, s, q, m)->mean;
        for (int q = 0; s > 0 && q <= r->quarters; q++)
            for (int m = 0; m < CMP_COUNT; m++)
                cmp_means(r, s, q, m, vc(v, s, q, m, 0));
    }
}

/* A quarter's flow is the sum of its weeks' means, its level the mean of
 * its last week (the same values in the same order). */
static void check_quarters(const struct view *v, const struct params *p,
                           double rel, const char *src)
{
    for (int s = 0; s < v->nscen; s++)
        for (int q = 0; q < v->quarters; q++) {
            int w0, w1;
            quarter(q, v->weeks, &w0, &w1);
            for (int m = 0; m < M_COUNT; m++) {
                double x = *vq(v, s, q, m), sum = 0.0, scale = fabs(x);
                for (int w = w0; w < w1; w++) {
                    sum += *vw(v, s, w, m);
                    scale += fabs(*vw(v, s, w, m));
                }
                enum metric_kind k = metric_table[m].kind;
                if (k == METRIC_FLOW && !near(x, sum, scale, rel))
                    fail_msg("%s: %s, quarter %d, %s: %.17g, but its weeks "
                             "%d-%d add up to %.17g",
                             src, scen_id(p, s), q + 1, metric_table[m].name, x,
                             w0, w1 - 1, sum);
                double last = *vw(v, s, w1 - 1, m);
                if (k == METRIC_LEVEL &&
                    !near(x, last, fabs(x) + fabs(last), rel))
                    fail_msg("%s: %s, quarter %d, %s: %.17g, but its last "
                             "week, %d, ends at %.17g",
                             src, scen_id(p, s), q + 1, metric_table[m].name, x,
                             w1 - 1, last);
            }
        }
}

/* Scenario s's comparison in quarter q (quarters: the total): delta =
 * scenario - baseline, lost revenue = baseline - scenario revenue, and
 * nothing differs in a quarter before the first intervention (start, or
 * -1: none). */
static void check_pairs(const struct view *v, const struct params *p, int s,
                        int q, int start, double rel, const char *src)
{
    char qn[32];
    if (q < v->quarters)
        snprintf(qn, sizeof qn, "quarter %d", q + 1);
    else
        snprintf(qn, sizeof qn, "total");
    for (int m = 0; m < CMP_COUNT; m++) {
        if (m == CMP_LOST_REVENUE_CUMULATIVE && q == v->quarters)
            continue;
        const double *c = vc(v, s, q, m, 0);
        double b = c[K_BASE], x = c[K_SCEN], d = c[K_DELTA];
        double scale = fabs(b) + fabs(x) + fabs(d);
        if (m < M_COUNT && !near(d, x - b, scale, rel))
            fail_msg("%s: %s, %s, %s: delta %.17g, scenario - baseline = "
                     "%.17g - %.17g",
                     src, scen_id(p, s), qn, cmp_name(m), d, x, b);
        if ((m == CMP_LOST_REVENUE || m == CMP_LOST_NET_VALUE) &&
            !near(d, b - x, scale, rel))
            fail_msg("%s: %s, %s: %s %.17g, baseline - scenario = %.17g - "
                     "%.17g",
                     src, scen_id(p, s), qn, cmp_name(m), d, b, x);
        if (start >= 0 && q < v->quarters && 13 * (q + 1) <= start && d != 0.0)
            fail_msg("%s: %s, %s, %s: delta %.17g before the scenario's "
                     "first intervention (week %d)",
                     src, scen_id(p, s), qn, cmp_name(m), d, start);
    }
}

/* lost_revenue_cumulative is the running sum of lost_revenue, and the
 * total lost revenue the sum of the quarters'. */
static void check_cumulative(const struct view *v, const struct params *p,
                             int s, double rel, const char *src)
{
    double cum = 0.0, scale = 0.0;
    for (int q = 0; q < v->quarters; q++) {
        cum += *vc(v, s, q, CMP_LOST_REVENUE, K_DELTA);
        scale += fabs(*vc(v, s, q, CMP_LOST_REVENUE, K_DELTA));
        double c = *vc(v, s, q, CMP_LOST_REVENUE_CUMULATIVE, K_DELTA);
        if (!near(c, cum, scale + fabs(c), rel))
            fail_msg("%s: %s, quarter %d: lost_revenue_cumulative %.17g, "
                     "the running sum of lost_revenue %.17g",
                     src, scen_id(p, s), q + 1, c, cum);
    }
    double total = *vc(v, s, v->quarters, CMP_LOST_REVENUE, K_DELTA);
    if (!near(total, cum, scale + fabs(total), rel))
        fail_msg("%s: %s: total lost revenue %.17g, the quarters' add up to "
                 "%.17g",
                 src, scen_id(p, s), total, cum);
}

/* Flows and levels are defined in every replication, so a comparison's
 * sides are the quarterly summaries of the baseline and the scenario,
 * and the horizon total is the sum (flows) or the end (levels) of the
 * quarters. (A ratio's pairs leave out replications where either side is
 * undefined: they are not compared here.) */
static void check_sides(const struct view *v, const struct params *p, int s,
                        double rel, const char *src)
{
    for (int m = 0; m < M_COUNT; m++) {
        enum metric_kind k = metric_table[m].kind;
        if (k == METRIC_RATIO)
            continue;
        double tb = 0.0, ts = 0.0, scale = 0.0;
        for (int q = 0; q < v->quarters; q++) {
            const double *c = vc(v, s, q, m, 0);
            double qb = *vq(v, 0, q, m), qs = *vq(v, s, q, m);
            if (!near(c[K_BASE], qb, fabs(qb), rel) ||
                !near(c[K_SCEN], qs, fabs(qs), rel))
                fail_msg("%s: %s, quarter %d, %s: the comparison's baseline "
                         "%.17g and scenario %.17g, the quarterly means "
                         "%.17g and %.17g",
                         src, scen_id(p, s), q + 1, metric_table[m].name,
                         c[K_BASE], c[K_SCEN], qb, qs);
            tb = k == METRIC_FLOW ? tb + qb : qb;
            ts = k == METRIC_FLOW ? ts + qs : qs;
            scale += fabs(qb) + fabs(qs);
        }
        const double *c = vc(v, s, v->quarters, m, 0);
        if (!near(c[K_BASE], tb, scale, rel) ||
            !near(c[K_SCEN], ts, scale, rel))
            fail_msg("%s: %s, total %s: baseline %.17g and scenario %.17g, "
                     "but the quarters give %.17g and %.17g",
                     src, scen_id(p, s), metric_table[m].name, c[K_BASE],
                     c[K_SCEN], tb, ts);
    }
}

/* Every identity between the means of v, to within rel. p gives the
 * scenarios' IDs and intervention windows; src says where v came from. */
static void check_view(const struct view *v, const struct params *p, double rel,
                       const char *src)
{
    check_quarters(v, p, rel, src);
    for (int s = 1; s < v->nscen; s++) {
        int start = -1, end;
        output_window(&p->scenarios[s - 1], v->weeks, &start, &end);
        for (int q = 0; q <= v->quarters; q++)
            check_pairs(v, p, s, q, start, rel, src);
        check_cumulative(v, p, s, rel, src);
        check_sides(v, p, s, rel, src);
    }
}

/* The flagship, run once for the tests below (group state). */
struct fixture {
    struct config cfg;
    struct params p;
    struct run_result res;
    char dir[64];
};

static int flagship_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    *state = f;
    load(&f->cfg, &f->p, FLAGSHIP, NULL);
    struct output_reps reps = {0};
    struct run_opts o = {.jobs = 2,
                         .replications = REPS,
                         .on_commit = output_reps_commit,
                         .on_commit_ctx = &reps};
    struct err e = {0};
    snprintf(f->dir, sizeof f->dir, "/tmp/salescap_identities_XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    if (output_reps_open(&reps, f->dir, &f->p, &e) != 0 ||
        run_simulate(&f->p, &o, &f->res, &e) != 0 ||
        output_write_run(f->dir, &f->cfg, &f->p, &f->res, "summary\n", &reps,
                         NULL, &e) != 0)
        fail_msg("%s", e.msg);
    output_reps_close(&reps, 0);
    return 0;
}

static void remove_run(const char *dir)
{
    char path[256];
    for (int i = 0; i < OUTPUT_NFILES; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, output_files[i]);
        unlink(path);
    }
    rmdir(dir);
}

static int flagship_teardown(void **state)
{
    struct fixture *f = *state;
    if (!f)
        return 0;
    if (f->dir[0])
        remove_run(f->dir);
    run_result_destroy(&f->res);
    params_destroy(&f->p);
    config_destroy(&f->cfg);
    free(f);
    return 0;
}

/* Quarterly flows are the sums of their weeks, the total the sum of the
 * quarters, comparisons are paired differences: in memory. */
static void test_summaries_add_up(void **state)
{
    struct fixture *f = *state;
    const struct run_result *r = &f->res;
    assert_int_equal(r->replications, REPS);
    assert_int_equal(r->weeks, f->p.sim.horizon_weeks);
    assert_int_equal(r->quarters, (r->weeks + 12) / 13);
    struct view v;
    view_from_result(&v, r);
    check_view(&v, &f->p, TOL_MEM, "in memory");
    view_free(&v);
    /* Before its first intervention a scenario is the baseline, week by
     * week, in every replication: the same summaries bit for bit. */
    for (int s = 1; s < r->nscen; s++) {
        int start, end;
        if (output_window(&f->p.scenarios[s - 1], r->weeks, &start, &end))
            continue;
        for (int w = 0; w < start; w++)
            if (memcmp(run_weekly(r, 0, w, 0), run_weekly(r, s, w, 0),
                       M_COUNT * sizeof(struct acc)) != 0)
                fail_msg("%s differs from the baseline in week %d, before "
                         "its first intervention (week %d)",
                         scen_id(&f->p, s), w, start);
    }
}

/* win_rate = won / (won + lost + cold) lies strictly inside (0, 1) in
 * every week and quarter of the flagship, defined in every quarter of
 * every replication. */
static void test_win_rate_inside(void **state)
{
    struct fixture *f = *state;
    const struct run_result *r = &f->res;
    struct summary sm;
    for (int s = 0; s < r->nscen; s++) {
        for (int w = 0; w < r->weeks; w++) {
            acc_summary(run_weekly(r, s, w, M_WIN_RATE), &sm);
            if (!(sm.n > 0 && sm.mean > 0.0 && sm.mean < 1.0))
                fail_msg("%s, week %d: win_rate %.17g over %ld "
                         "replications, not inside (0, 1)",
                         scen_id(&f->p, s), w, sm.mean, sm.n);
        }
        for (int q = 0; q < r->quarters; q++) {
            acc_summary(run_quarterly(r, s, q, M_WIN_RATE), &sm);
            if (!(sm.n == REPS && sm.mean > 0.0 && sm.mean < 1.0))
                fail_msg("%s, quarter %d: win_rate %.17g over %ld "
                         "replications, not inside (0, 1) over all %d",
                         scen_id(&f->p, s), q + 1, sm.mean, sm.n, REPS);
        }
    }
}

/* ---- the CSVs hold the summaries -------------------------------------- */

static void read_csv(struct csv *c, const char *dir, const char *name,
                     size_t rows)
{
    char path[256];
    struct err e = {0};
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (csv_read(c, path, &e) != 0)
        fail_msg("%s", e.msg);
    if (c->nrows != rows)
        fail_msg("%s: %zu rows, want %zu", name, c->nrows, rows);
}

/* Field `col` of row i holds x (empty: has no value), to %.10g. */
static void check_field(const struct csv *c, size_t i, const char *col,
                        double x, int has, const char *file)
{
    const char *s = csv_get(c, i, csv_col(c, col));
    if (!has) {
        if (*s)
            fail_msg("%s:%d: %s is '%s', want empty", file, c->lines[i], col,
                     s);
        return;
    }
    char *end;
    double y = strtod(s, &end);
    if (!*s || *end || !near(y, x, fabs(x), TOL_CSV))
        fail_msg("%s:%d: %s is '%s', the run's summary %.17g", file,
                 c->lines[i], col, s, x);
}

/* Row i names this scenario, period and metric. */
static void check_key(const struct csv *c, size_t i, const char *file,
                      const char *id, const char *period, const char *metric)
{
    const char *got[3] = {csv_get(c, i, 0), csv_get(c, i, 1), csv_get(c, i, 2)};
    if (strcmp(got[0], id) || strcmp(got[1], period) || strcmp(got[2], metric))
        fail_msg("%s:%d: row %s,%s,%s, want %s,%s,%s", file, c->lines[i],
                 got[0], got[1], got[2], id, period, metric);
}

static void check_stats_row(const struct csv *c, size_t i, const char *file,
                            const struct acc *a, double *mean)
{
    struct summary sm;
    acc_summary(a, &sm);
    check_field(c, i, "mean", sm.mean, 1, file);
    check_field(c, i, "sd", sm.sd, sm.has_ci, file);
    check_field(c, i, "ci_low", sm.lo, sm.has_ci, file);
    check_field(c, i, "ci_high", sm.hi, sm.has_ci, file);
    check_field(c, i, "n", (double)sm.n, 1, file);
    *mean = strtod(csv_get(c, i, csv_col(c, "mean")), NULL);
}

static void csv_weekly(struct view *v, const struct fixture *f)
{
    const struct run_result *r = &f->res;
    struct csv c = {0};
    read_csv(&c, f->dir, "weekly.csv", (size_t)r->nscen * r->weeks * M_COUNT);
    size_t i = 0;
    for (int s = 0; s < r->nscen; s++)
        for (int w = 0; w < r->weeks; w++)
            for (int m = 0; m < M_COUNT; m++, i++) {
                char wk[16];
                snprintf(wk, sizeof wk, "%d", w);
                check_key(&c, i, "weekly.csv", scen_id(&f->p, s), wk,
                          metric_table[m].name);
                check_stats_row(&c, i, "weekly.csv", run_weekly(r, s, w, m),
                                vw(v, s, w, m));
            }
    csv_destroy(&c);
}

static void csv_quarterly(struct view *v, const struct fixture *f)
{
    const struct run_result *r = &f->res;
    struct csv c = {0};
    read_csv(&c, f->dir, "quarterly.csv",
             (size_t)r->nscen * r->quarters * M_COUNT);
    size_t i = 0;
    for (int s = 0; s < r->nscen; s++)
        for (int q = 0; q < r->quarters; q++)
            for (int m = 0; m < M_COUNT; m++, i++) {
                char qn[16];
                snprintf(qn, sizeof qn, "%d", q + 1);
                check_key(&c, i, "quarterly.csv", scen_id(&f->p, s), qn,
                          metric_table[m].name);
                check_stats_row(&c, i, "quarterly.csv",
                                run_quarterly(r, s, q, m), vq(v, s, q, m));
            }
    csv_destroy(&c);
}

static void csv_comparison(struct view *v, const struct fixture *f)
{
    const struct run_result *r = &f->res;
    struct csv c = {0};
    /* No lost_revenue_cumulative row for the total. */
    size_t per = (size_t)(r->quarters + 1) * CMP_COUNT - 1;
    read_csv(&c, f->dir, "comparison.csv", (size_t)(r->nscen - 1) * per);
    static const char *const col[K_COUNT] = {"baseline_mean", "scenario_mean",
                                             "delta_mean"};
    size_t i = 0;
    for (int s = 1; s < r->nscen; s++)
        for (int q = 0; q <= r->quarters; q++)
            for (int m = 0; m < CMP_COUNT; m++) {
                if (m == CMP_LOST_REVENUE_CUMULATIVE && q == r->quarters)
                    continue;
                char qn[16];
                if (q < r->quarters)
                    snprintf(qn, sizeof qn, "%d", q + 1);
                else
                    snprintf(qn, sizeof qn, "total");
                check_key(&c, i, "comparison.csv", scen_id(&f->p, s), qn,
                          cmp_name(m));
                double want[K_COUNT];
                cmp_means(r, s, q, m, want);
                struct summary d;
                acc_summary(&r->cmp_delta[run_cmp_index(r, s, q, m)], &d);
                for (int k = 0; k < K_COUNT; k++) {
                    check_field(&c, i, col[k], want[k], 1, "comparison.csv");
                    *vc(v, s, q, m, k) =
                        strtod(csv_get(&c, i, csv_col(&c, col[k])), NULL);
                }
                check_field(&c, i, "delta_ci_low", d.lo, d.has_ci,
                            "comparison.csv");
                check_field(&c, i, "delta_ci_high", d.hi, d.has_ci,
                            "comparison.csv");
                check_field(&c, i, "n", (double)d.n, 1, "comparison.csv");
                i++;
            }
    csv_destroy(&c);
}

/* The files a run writes hold its summaries, row for row, and the
 * identities hold between the numbers as written. */
static void test_csvs_hold_summaries(void **state)
{
    struct fixture *f = *state;
    struct view v;
    view_alloc(&v, f->res.nscen, f->res.weeks, f->res.quarters);
    csv_weekly(&v, f);
    csv_quarterly(&v, f);
    csv_comparison(&v, f);
    check_view(&v, &f->p, TOL_CSV, "in the CSVs");
    view_free(&v);
}

/* ---- pulls ------------------------------------------------------------ */

/* What docs/model.md says of a rep of pull pu, j weeks after the pull
 * ended (negative: before it ended): productivity (*prod; NaN during the
 * pull, when the rep sells nothing) and the share of hours given to ops.
 * After the pull, productivity rises linearly from return_productivity
 * to 1 at return_ramp_weeks and the leak falls linearly from leak_share
 * to 0 at leak_weeks, each on its own clock. */
static void pull_effect(const struct iv_pull *pu, int j, double *prod,
                        double *ops)
{
    const struct pull_spec *sp = &pu->spec;
    double R = sp->return_ramp_weeks, L = sp->leak_weeks;
    if (j < -pu->weeks) {
        *prod = 1.0, *ops = 0.0;
    } else if (j < 0) {
        *prod = NAN, *ops = sp->share;
    } else {
        double p0 = sp->return_productivity;
        *prod = j < R ? p0 + (1.0 - p0) * j / R : 1.0;
        *ops = j < L ? sp->leak_share * (1.0 - j / L) : 0.0;
    }
}

/* Rep rp's rates in week j (after pull_effect) are what pull_effect
 * says: back to full productivity and no leak exactly, not nearly. */
static void check_rep_week(const struct rep *rp, int32_t r, int j,
                           const struct iv_pull *pu, double hpd)
{
    double want_prod, want_ops;
    pull_effect(pu, j, &want_prod, &want_ops);
    double ops = rp->h_ops / hpd;
    if (want_ops == 0.0 ? rp->h_ops != 0.0 : !near(ops, want_ops, 1.0, 1e-12))
        fail_msg("rep %d, %d weeks after the pull ended (leak_share %g, "
                 "leak_weeks %g): ops share of hours %.17g, want %.17g",
                 (int)r, j, pu->spec.leak_share, pu->spec.leak_weeks, ops,
                 want_ops);
    if (isnan(want_prod))
        return;
    assert_true(rp->sell_clock > 0.0);
    double prod = rp->sell_rate / rp->sell_clock;
    if (want_prod == 1.0 ? prod != 1.0
                         : !(prod < 1.0) || !near(prod, want_prod, 1, 1e-12))
        fail_msg("rep %d, %d weeks after the pull ended (return_"
                 "productivity %g, return_ramp_weeks %g): productivity "
                 "%.17g, want %.17g",
                 (int)r, j, pu->spec.return_productivity,
                 pu->spec.return_ramp_weeks, prod, want_prod);
}

/* Steps replication 0 of scenario `scen` (one pull of every rep) a tick
 * at a time, and checks after each tick, from two weeks before the pull
 * to two weeks after the ramp and the leak are over, every rep's
 * productivity (effective selling hours over clock selling hours, as the
 * model set them) and ops share of hours. */
static void check_return(const struct params *p, int scen)
{
    assert_int_equal(p->scenarios[scen].n_iv, 1);
    const struct iv_pull *pu = &p->scenarios[scen].iv[0].u.pull;
    assert_int_equal(pu->spec.select, REPS_ALL);
    assert_true(p->sales.role.attrition_per_year == 0.0);
    double hpd = p->sales.role.hours_per_week / DAYS_PER_WEEK;
    int back = p->sim.warmup_weeks + pu->start_week + pu->weeks;
    int first = back - pu->weeks - 2;
    int last = back + 2 +
               (int)ceil(fmax(pu->spec.return_ramp_weeks, pu->spec.leak_weeks));
    struct err e = {0};
    struct model *m = model_alloc(p, &e);
    size_t n = (size_t)(p->sim.warmup_weeks + p->sim.horizon_weeks) * RAW_COUNT;
    double *raw = calloc(n, sizeof *raw);
    assert_non_null(m);
    assert_non_null(raw);
    assert_int_equal(model_start(m, scen, 0, raw, &e), 0);
    m->pause_tick = first;
    assert_int_equal(model_loop(m, &e), 1);
    for (int k = first; k <= last; k++) {
        /* Tick k done and the week it opens run: its rates stand. */
        assert_int_equal(model_resume(m, k + 1, &e), 1);
        for (int32_t r = 0; r < m->n_reps; r++)
            if (m->reps[r].seat.filled)
                check_rep_week(&m->reps[r], r, k - back, pu, hpd);
    }
    free(raw);
    model_free(m);
}

static int find_scenario(const struct params *p, const char *id)
{
    for (size_t s = 0; s < p->n_scenarios; s++)
        if (strcmp(p->scenarios[s].id, id) == 0)
            return (int)s;
    fail_msg("no scenario '%s'", id);
    return -1;
}

/* The flagship's pull (ramp 3 weeks, leak 6 weeks), then the two the
 * other way round with other values: each acts on its own quantity. */
static void test_return_ramp_and_leak(void **state)
{
    (void)state;
    const char *const swapped[] = {
        "scenario.pull_two_weeks.pull.return_ramp_weeks=7",
        "scenario.pull_two_weeks.pull.leak_weeks=2",
        "scenario.pull_two_weeks.pull.return_productivity=0.5",
        "scenario.pull_two_weeks.pull.leak_share=0.3", NULL};
    const char *const *variants[] = {NULL, swapped};
    for (int v = 0; v < 2; v++) {
        struct config cfg;
        struct params p;
        load(&cfg, &p, FLAGSHIP, variants[v]);
        check_return(&p, find_scenario(&p, "pull_two_weeks"));
        params_destroy(&p);
        config_destroy(&cfg);
    }
}

/* Runs the flagship with these overrides (3 replications) into a new
 * folder, whose name goes to dir. */
static void run_into(char *dir, size_t size, const char *const *sets)
{
    struct config cfg;
    struct params p;
    struct run_result r = {0};
    struct err e = {0};
    load(&cfg, &p, FLAGSHIP, sets);
    struct output_reps reps = {0};
    struct run_opts o = {.jobs = 1,
                         .replications = 3,
                         .on_commit = output_reps_commit,
                         .on_commit_ctx = &reps};
    snprintf(dir, size, "/tmp/salescap_identities_XXXXXX");
    assert_non_null(mkdtemp(dir));
    if (output_reps_open(&reps, dir, &p, &e) != 0 ||
        run_simulate(&p, &o, &r, &e) != 0 ||
        output_write_run(dir, &cfg, &p, &r, "summary\n", &reps, NULL, &e) != 0)
        fail_msg("%s", e.msg);
    output_reps_close(&reps, 0);
    run_result_destroy(&r);
    params_destroy(&p);
    config_destroy(&cfg);
}

/* Whether the CSVs of runs with overrides a and b are the same bytes. */
static int same_outputs(const char *const *a, const char *const *b)
{
    static const char *const files[] = {"weekly.csv", "quarterly.csv",
                                        "comparison.csv", "scenarios.csv"};
    char da[64], db[64];
    run_into(da, sizeof da, a);
    run_into(db, sizeof db, b);
    int same = 1;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *x = ru_slurp(da, files[i]), *y = ru_slurp(db, files[i]);
        same &= strcmp(x, y) == 0;
        free(x);
        free(y);
    }
    remove_run(da);
    remove_run(db);
    return same;
}

#define PULL "scenario.pull_two_weeks.pull."

/* With `zero` set (its quantity gone), `key` = x and `key` = y give
 * byte-identical outputs; without it, `key` = y changes the outputs from
 * the flagship's (the test can fail). */
static void check_inert(const char *zero, const char *key, int x, int y)
{
    char kx[128], ky[128];
    snprintf(kx, sizeof kx, PULL "%s=%d", key, x);
    snprintf(ky, sizeof ky, PULL "%s=%d", key, y);
    const char *const with_x[] = {zero, kx, NULL};
    const char *const with_y[] = {zero, ky, NULL};
    if (!same_outputs(with_x, with_y))
        fail_msg("with %s, %s = %d and %d give different outputs", zero, key, x,
                 y);
    if (same_outputs(NULL, with_y + 1))
        fail_msg("in the flagship, %s = %d gives the same outputs as its "
                 "own value",
                 key, y);
}

/* With no leak, leak_weeks changes nothing; with no loss of productivity
 * after a pull, return_ramp_weeks changes nothing. */
static void test_inert_without_their_quantity(void **state)
{
    (void)state;
    check_inert(PULL "leak_share=0", "leak_weeks", 6, 30);
    check_inert(PULL "return_productivity=1", "return_ramp_weeks", 3, 20);
}

int main(void)
{
    /* One group (tests/run.sh reads one summary per program); the flagship
     * run of the setup serves the tests that take its state. */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quarters_tile),
        cmocka_unit_test(test_rows_match_totals),
        cmocka_unit_test(test_summaries_add_up),
        cmocka_unit_test(test_win_rate_inside),
        cmocka_unit_test(test_csvs_hold_summaries),
        cmocka_unit_test(test_return_ramp_and_leak),
        cmocka_unit_test(test_inert_without_their_quantity),
    };
    return cmocka_run_group_tests_name("identities", tests, flagship_setup,
                                       flagship_teardown);
}
