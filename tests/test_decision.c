/*
 * test_decision: option against option, end to end through the binary
 * ($SALESCAP): pairs.csv against comparison.csv (pair(a, baseline) is
 * the comparison's delta, pair(a, b) = delta(a) - delta(b) to rounding),
 * ranking.csv (p_best sums to 1, ranks follow the means, the decision's
 * quarters), replications.csv (its totals average to the quarterly and
 * comparison means), every new file identical at -j 1 and -j 2, the
 * summary's ranking, bad [decision] input (FILE:LINE, status 2), and the
 * decision charts redrawn by `salescap plot` from the CSVs.
 * Run from the repository root (make test-run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "robust_util.h"

#include "config.h"
#include "csvread.h"
#include "metrics.h"
#include "params.h"
#include "run.h"

#define DECISION "tests/data/decision.ini"
#define NSCEN    4 /* baseline, pull, zero, hire */

/* The run every test reads: decision.ini at -j 2. */
static char run_dir[256];

static struct proc run(const char *const *args)
{
    struct proc p = ru_run(args, 120.0);
    if (p.status != 0)
        fail_msg("salescap exited %d: %s", p.status, p.err);
    return p;
}

static int setup(void **state)
{
    (void)state;
    if (!getenv("SALESCAP"))
        return 0;
    ru_mkdtemp(run_dir, sizeof run_dir, "decision");
    const char *args[] = {"run", DECISION,    "-n", "12",    "-j", "2",
                          "-q",  "--no-plot", "-o", run_dir, NULL};
    struct proc p = ru_run(args, 120.0);
    int rc = p.status;
    ru_proc_free(&p);
    return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    if (run_dir[0])
        ru_rmdir(run_dir);
    return 0;
}

static void need_binary(void)
{
    if (!getenv("SALESCAP"))
        skip();
}

static void load(struct csv *c, const char *dir, const char *name)
{
    char path[512];
    struct err e = {0};
    ru_fmt(path, sizeof path, "%s/%s", dir, name);
    if (csv_read(c, path, &e) != 0)
        fail_msg("%s", e.msg);
}

static double num(const struct csv *c, size_t r, const char *col)
{
    const char *s = csv_get(c, r, csv_col(c, col));
    return *s ? strtod(s, NULL) : NAN;
}

static const char *str(const struct csv *c, size_t r, const char *col)
{
    return csv_get(c, r, csv_col(c, col));
}

/* The comparison.csv row of scenario s, quarter q and metric m, or -1. */
static long cmp_row(const struct csv *c, const char *s, const char *q,
                    const char *m)
{
    for (size_t r = 0; r < c->nrows; r++)
        if (!strcmp(str(c, r, "scenario"), s) &&
            !strcmp(str(c, r, "quarter"), q) && !strcmp(str(c, r, "metric"), m))
            return (long)r;
    return -1;
}

/* The pairs.csv row of a - b in quarter q and metric m, or -1. */
static long pair_row(const struct csv *c, const char *a, const char *b,
                     const char *q, const char *m)
{
    for (size_t r = 0; r < c->nrows; r++)
        if (!strcmp(str(c, r, "scenario_a"), a) &&
            !strcmp(str(c, r, "scenario_b"), b) &&
            !strcmp(str(c, r, "quarter"), q) && !strcmp(str(c, r, "metric"), m))
            return (long)r;
    return -1;
}

/* ---- pairs.csv -------------------------------------------------------- */

static void check_pair_row(const struct csv *pairs, size_t r,
                           const struct csv *cmp)
{
    const char *a = str(pairs, r, "scenario_a"),
               *b = str(pairs, r, "scenario_b");
    const char *q = str(pairs, r, "quarter"), *m = str(pairs, r, "metric");
    long ra = cmp_row(cmp, a, q, m);
    if (ra < 0)
        fail_msg("pairs.csv row %zu: no comparison row %s,%s,%s", r + 1, a, q,
                 m);
    if (!strcmp(b, "baseline")) {
        /* The same replications' differences, summarised the same way. */
        assert_string_equal(str(pairs, r, "mean"), str(cmp, ra, "delta_mean"));
        assert_string_equal(str(pairs, r, "ci_low"),
                            str(cmp, ra, "delta_ci_low"));
        assert_string_equal(str(pairs, r, "ci_high"),
                            str(cmp, ra, "delta_ci_high"));
        assert_string_equal(str(pairs, r, "n"), str(cmp, ra, "n"));
        return;
    }
    long rb = cmp_row(cmp, b, q, m);
    assert_true(rb >= 0);
    if (strcmp(str(cmp, ra, "n"), str(cmp, rb, "n")) ||
        strcmp(str(cmp, ra, "n"), str(pairs, r, "n")))
        return; /* a ratio undefined in some replications of one side */
    double da = num(cmp, ra, "delta_mean"), db = num(cmp, rb, "delta_mean");
    double base = num(cmp, ra, "baseline_mean");
    double got = num(pairs, r, "mean");
    double tol = 1e-9 * (fabs(base) + fabs(da) + fabs(db)) + 1e-9;
    if (fabs(got - (da - db)) > tol)
        fail_msg("pairs.csv %s - %s, quarter %s, %s: %.10g, but the "
                 "deltas give %.10g - %.10g = %.10g",
                 a, b, q, m, got, da, db, da - db);
}

static void test_pairs_match_comparison(void **state)
{
    (void)state;
    need_binary();
    struct csv pairs, cmp;
    load(&pairs, run_dir, "pairs.csv");
    load(&cmp, run_dir, "comparison.csv");
    assert_int_equal(pairs.ncols, 8);
    assert_int_equal(csv_col(&pairs, "scenario_a"), 0);
    assert_int_equal(csv_col(&pairs, "n"), 7);
    /* Every comparison row once per pair (6 pairs of 4 options), plus
     * the decision's row of each pair. */
    size_t npairs = NSCEN * (NSCEN - 1) / 2;
    size_t per = cmp.nrows / (NSCEN - 1);
    assert_int_equal(pairs.nrows, npairs * per + npairs);
    size_t checked = 0;
    for (size_t r = 0; r < pairs.nrows; r++) {
        if (strchr(str(&pairs, r, "quarter"), '-'))
            continue; /* the decision's rows: test_ranking */
        check_pair_row(&pairs, r, &cmp);
        checked++;
    }
    assert_int_equal(checked, npairs * per);
    /* Pairs in run.h's order: each scenario against the baseline, then
     * against every later one. */
    assert_string_equal(str(&pairs, 0, "scenario_a"), "pull");
    assert_string_equal(str(&pairs, 0, "scenario_b"), "baseline");
    assert_string_equal(str(&pairs, per, "scenario_b"), "zero");
    assert_string_equal(str(&pairs, 2 * per, "scenario_b"), "hire");
    assert_string_equal(str(&pairs, 3 * per, "scenario_a"), "zero");
    csv_destroy(&pairs);
    csv_destroy(&cmp);
}

/* ---- ranking.csv ------------------------------------------------------ */

static void test_ranking(void **state)
{
    (void)state;
    need_binary();
    struct csv rk, cmp, pairs;
    load(&rk, run_dir, "ranking.csv");
    load(&cmp, run_dir, "comparison.csv");
    load(&pairs, run_dir, "pairs.csv");
    static const char *const cols[] = {
        "scenario", "metric",        "mean",          "ci_low",
        "ci_high",  "p_best",        "p_best_ci_low", "p_best_ci_high",
        "rank",     "tied_with_best"};
    assert_int_equal(rk.ncols, 10);
    for (int i = 0; i < 10; i++)
        assert_int_equal(csv_col(&rk, cols[i]), i);
    assert_int_equal(rk.nrows, NSCEN);
    double sum = 0.0;
    for (size_t r = 0; r < rk.nrows; r++) {
        assert_string_equal(str(&rk, r, "metric"), "revenue");
        double p = num(&rk, r, "p_best");
        assert_true(num(&rk, r, "p_best_ci_low") <= p);
        assert_true(num(&rk, r, "p_best_ci_high") >= p);
        sum += p;
        if (r > 0) { /* best first; equal means share a rank */
            double m0 = num(&rk, r - 1, "mean"), m1 = num(&rk, r, "mean");
            int k0 = atoi(str(&rk, r - 1, "rank"));
            int k1 = atoi(str(&rk, r, "rank"));
            assert_true(m0 >= m1);
            assert_int_equal(k1, m0 == m1 ? k0 : (int)r + 1);
        }
        /* The whole horizon: the comparison's total of revenue. */
        const char *s = str(&rk, r, "scenario");
        long c = cmp_row(&cmp, strcmp(s, "baseline") ? s : "pull", "total",
                         "revenue");
        assert_true(c >= 0);
        assert_string_equal(
            str(&rk, r, "mean"),
            str(&cmp, c,
                strcmp(s, "baseline") ? "scenario_mean" : "baseline_mean"));
    }
    assert_true(fabs(sum - 1.0) < 1e-9);
    assert_string_equal(str(&rk, 0, "rank"), "1");
    assert_string_equal(str(&rk, 0, "tied_with_best"), "true");
    /* zero changes nothing: it ties the baseline in every replication,
     * which share those replications' wins evenly. */
    size_t rb = 0, rz = 0;
    for (size_t r = 0; r < rk.nrows; r++) {
        if (!strcmp(str(&rk, r, "scenario"), "baseline"))
            rb = r;
        if (!strcmp(str(&rk, r, "scenario"), "zero"))
            rz = r;
    }
    assert_string_equal(str(&rk, rb, "p_best"), str(&rk, rz, "p_best"));
    assert_string_equal(str(&rk, rb, "rank"), str(&rk, rz, "rank"));
    /* The decision's pairs are labelled by its quarters (all of them
     * here) and equal the total rows, the same replications' values. */
    int n = 0;
    for (size_t r = 0; r < pairs.nrows; r++) {
        if (strcmp(str(&pairs, r, "quarter"), "1-2"))
            continue;
        n++;
        assert_string_equal(str(&pairs, r, "metric"), "revenue");
        long t = pair_row(&pairs, str(&pairs, r, "scenario_a"),
                          str(&pairs, r, "scenario_b"), "total", "revenue");
        assert_true(t >= 0);
        for (int i = 4; i < 8; i++)
            assert_string_equal(csv_get(&pairs, r, i),
                                csv_get(&pairs, (size_t)t, i));
    }
    assert_int_equal(n, NSCEN * (NSCEN - 1) / 2);
    csv_destroy(&rk);
    csv_destroy(&cmp);
    csv_destroy(&pairs);
}

/* ---- replications.csv ------------------------------------------------- */

static int flow_count(void)
{
    int n = 0;
    for (int m = 0; m < M_COUNT; m++)
        n += metric_table[m].kind == METRIC_FLOW;
    return n;
}

/* The replications' values of scenario s and metric m average to the
 * run's mean over the horizon: the sum of quarterly.csv's means and the
 * total of comparison.csv. */
static void check_average(const struct csv *reps, const struct csv *qtr,
                          const struct csv *cmp, const char *s, const char *m)
{
    double sum = 0.0, quarters = 0.0;
    int n = 0;
    for (size_t r = 0; r < reps->nrows; r++)
        if (!strcmp(str(reps, r, "scenario"), s) &&
            !strcmp(str(reps, r, "metric"), m)) {
            assert_int_equal(atoi(str(reps, r, "replication")), n);
            sum += num(reps, r, "value");
            n++;
        }
    assert_int_equal(n, 12);
    for (size_t r = 0; r < qtr->nrows; r++)
        if (!strcmp(str(qtr, r, "scenario"), s) &&
            !strcmp(str(qtr, r, "metric"), m))
            quarters += num(qtr, r, "mean");
    double mean = sum / n;
    assert_true(fabs(mean - quarters) <= 1e-9 * fabs(quarters) + 1e-9);
    long c = cmp_row(cmp, strcmp(s, "baseline") ? s : "hire", "total", m);
    assert_true(c >= 0);
    double total =
        num(cmp, c, strcmp(s, "baseline") ? "scenario_mean" : "baseline_mean");
    assert_true(fabs(mean - total) <= 1e-9 * fabs(total) + 1e-9);
}

static void test_replications(void **state)
{
    (void)state;
    need_binary();
    struct csv reps, qtr, cmp;
    load(&reps, run_dir, "replications.csv");
    load(&qtr, run_dir, "quarterly.csv");
    load(&cmp, run_dir, "comparison.csv");
    assert_int_equal(reps.ncols, 4);
    assert_int_equal(csv_col(&reps, "scenario"), 0);
    assert_int_equal(csv_col(&reps, "replication"), 1);
    assert_int_equal(csv_col(&reps, "metric"), 2);
    assert_int_equal(csv_col(&reps, "value"), 3);
    /* Every flow metric of every scenario in every replication. */
    assert_int_equal(reps.nrows, (size_t)NSCEN * 12 * flow_count());
    for (size_t r = 0; r < reps.nrows; r++) {
        int m = metric_find(str(&reps, r, "metric"));
        assert_true(m >= 0);
        assert_int_equal(metric_table[m].kind, METRIC_FLOW);
    }
    static const char *const scen[] = {"baseline", "pull", "zero", "hire"};
    static const char *const metrics[] = {"revenue", "deals_won",
                                          "rep_hours_ops"};
    for (int s = 0; s < NSCEN; s++)
        for (int m = 0; m < 3; m++)
            check_average(&reps, &qtr, &cmp, scen[s], metrics[m]);
    csv_destroy(&reps);
    csv_destroy(&qtr);
    csv_destroy(&cmp);
}

/* ---- -j invariance ---------------------------------------------------- */

static void assert_same_file(const char *a, const char *b, const char *name)
{
    char pa[512], pb[512];
    size_t na, nb;
    ru_fmt(pa, sizeof pa, "%s/%s", a, name);
    ru_fmt(pb, sizeof pb, "%s/%s", b, name);
    char *x = ru_read_file(pa, &na), *y = ru_read_file(pb, &nb);
    assert_non_null(x);
    assert_non_null(y);
    if (na != nb || memcmp(x, y, na))
        fail_msg("%s differs between %s and %s", name, a, b);
    free(x);
    free(y);
}

/* The summary from the ranking on (its first line has the run's time). */
static char *ranking_part(const char *dir)
{
    char path[512];
    ru_fmt(path, sizeof path, "%s/summary.txt", dir);
    char *text = ru_read_file(path, NULL);
    assert_non_null(text);
    char *at = strstr(text, "\nWhich option is best:");
    assert_non_null(at);
    char *part = strdup(at);
    free(text);
    return part;
}

static void test_jobs_invariance(void **state)
{
    (void)state;
    need_binary();
    char d[256];
    ru_mkdtemp(d, sizeof d, "decision_j1");
    const char *args[] = {"run", DECISION,    "-n", "12", "-j", "1",
                          "-q",  "--no-plot", "-o", d,    NULL};
    struct proc p = run(args);
    ru_proc_free(&p);
    assert_same_file(run_dir, d, "pairs.csv");
    assert_same_file(run_dir, d, "ranking.csv");
    assert_same_file(run_dir, d, "replications.csv");
    char *a = ranking_part(run_dir), *b = ranking_part(d);
    assert_string_equal(a, b);
    free(a);
    free(b);
    ru_rmdir(d);
}

/* ---- the summary ------------------------------------------------------ */

static void test_summary_ranking(void **state)
{
    (void)state;
    need_binary();
    char *part = ranking_part(run_dir);
    /* The table: a header, a row per option, then one sentence. */
    assert_non_null(strstr(part, "Which option is best: revenue over "
                                 "quarters 1-2, higher is better (12 paired "
                                 "replications)\nrank"));
    assert_non_null(strstr(part, "Baseline (doing nothing)\n"));
    assert_non_null(strstr(part, "  Hire two ops staff"));
    char *best = strstr(part, "\nBest: ");
    assert_non_null(best);
    char *end = strchr(best + 1, '\n');
    assert_non_null(end);
    assert_string_equal(end, "\n"); /* the summary's last line */
    /* zero changes nothing, and says so; the pull is worse than doing
     * nothing, so it is no candidate. */
    assert_non_null(strstr(best, "A pull of zero weeks"));
    assert_non_null(strstr(best, "indistinguishable from doing nothing"));
    assert_non_null(strstr(best, "% of replications"));
    free(part);
}

/* ---- [decision] ------------------------------------------------------- */

/* A run with extra arguments into a new folder; returns the folder. */
static void run_into(char *d, size_t size, const char *const *extra)
{
    const char *args[32] = {"run", DECISION,    "-n", "6",
                            "-q",  "--no-plot", "-o"};
    int n = 7;
    ru_mkdtemp(d, size, "decision_set");
    args[n++] = d;
    for (int i = 0; extra[i] && n < 31; i++)
        args[n++] = extra[i];
    args[n] = NULL;
    struct proc p = run(args);
    ru_proc_free(&p);
}

/* better = lower ranks the smallest value first; quarters = 2-2 ranks on
 * quarter 2 alone, as quarterly.csv has it. */
static void test_lower_and_quarters(void **state)
{
    (void)state;
    need_binary();
    char d[256];
    const char *extra[] = {"--set", "decision.better=lower", "--set",
                           "decision.quarters=2-2", NULL};
    run_into(d, sizeof d, extra);
    struct csv rk, qtr, pairs;
    load(&rk, d, "ranking.csv");
    load(&qtr, d, "quarterly.csv");
    load(&pairs, d, "pairs.csv");
    for (size_t r = 1; r < rk.nrows; r++)
        assert_true(num(&rk, r - 1, "mean") <= num(&rk, r, "mean"));
    assert_string_equal(str(&rk, 0, "scenario"), "pull");
    for (size_t r = 0; r < rk.nrows; r++) {
        const char *s = str(&rk, r, "scenario");
        size_t q = 0;
        while (q < qtr.nrows && !(!strcmp(str(&qtr, q, "scenario"), s) &&
                                  !strcmp(str(&qtr, q, "quarter"), "2") &&
                                  !strcmp(str(&qtr, q, "metric"), "revenue")))
            q++;
        assert_true(q < qtr.nrows);
        assert_string_equal(str(&rk, r, "mean"), str(&qtr, q, "mean"));
    }
    long t = pair_row(&pairs, "hire", "baseline", "2-2", "revenue");
    long q2 = pair_row(&pairs, "hire", "baseline", "2", "revenue");
    assert_true(t >= 0 && q2 >= 0);
    assert_string_equal(str(&pairs, t, "mean"), str(&pairs, q2, "mean"));
    char *part = ranking_part(d);
    assert_non_null(strstr(part, "revenue over quarter 2, lower is "
                                 "better"));
    free(part);
    csv_destroy(&rk);
    csv_destroy(&qtr);
    csv_destroy(&pairs);
    ru_rmdir(d);
}

/* Without [decision], the options are ranked on DECISION_DEFAULT_METRIC
 * (net_value). */
static void test_default_metric(void **state)
{
    (void)state;
    need_binary();
    char d[256];
    ru_mkdtemp(d, sizeof d, "decision_default");
    const char *args[] = {
        "run", "tests/data/tiny.ini", "-q", "--no-plot", "-o", d, NULL};
    struct proc p = run(args);
    ru_proc_free(&p);
    struct csv rk;
    load(&rk, d, "ranking.csv");
    char path[512];
    ru_fmt(path, sizeof path, "%s/summary.txt", d);
    char *text = ru_read_file(path, NULL);
    assert_non_null(text);
    assert_int_equal(rk.nrows, 3);
    assert_string_equal(str(&rk, 0, "metric"), "net_value");
    assert_non_null(strstr(text, "Which option is best"));
    free(text);
    csv_destroy(&rk);
    ru_rmdir(d);
}

static void test_bad_decision(void **state)
{
    (void)state;
    need_binary();
    static const struct {
        const char *file, *msg;
    } cases[] = {
        {"bad_decision_metric.ini",
         "bad_decision_metric.ini:4: [decision] metric: unknown metric "
         "'revnue'; did you mean 'revenue'? (choices: revenue, bookings, "},
        {"bad_decision_ratio.ini",
         "bad_decision_ratio.ini:4: [decision] metric = win_rate is a "
         "ratio, which has no total over quarters; choose a flow or a "
         "level: revenue, bookings, "},
        {"bad_decision_count.ini",
         "bad_decision_count.ini:5: [decision] quarters = 2: write 1-2 for "
         "the first 2 quarters, or 2-2 for quarter 2 alone\n"},
        {"bad_decision_quarters.ini",
         "bad_decision_quarters.ini:6: [decision] quarters = 1-3: the "
         "horizon has 26 weeks, which is 2 quarters\n"},
        {"bad_decision_range.ini",
         "bad_decision_range.ini:4: [decision] quarters: expected all or a "
         "range of quarters A-B (1-6), got '1..2'\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char path[256], out[256], want[512];
        ru_fmt(path, sizeof path, "tests/data/%s", cases[i].file);
        ru_fmt(out, sizeof out, "/tmp/salescap_decision_bad_%d_%zu",
               (int)getpid(), i);
        const char *args[] = {"run", path, "--no-plot", "-o", out, NULL};
        struct proc p = ru_run(args, 60.0);
        ru_fmt(want, sizeof want, "salescap: tests/data/%s", cases[i].msg);
        if (p.status != 2 || strncmp(p.err, want, strlen(want)))
            fail_msg("%s: status %d, got: %s  want: %s", cases[i].file,
                     p.status, p.err, want);
        /* Refused before anything is written. */
        assert_int_equal(access(out, F_OK), -1);
        ru_proc_free(&p);
    }
}

/* The run draws impact and ranking; `salescap plot` redraws them from
 * the CSVs alone, byte for byte (SVG is reproducible). */
static void test_plot_redraw(void **state)
{
    (void)state;
    need_binary();
    char d[256], p1[300], p2[300];
    ru_mkdtemp(d, sizeof d, "decision_plot");
    ru_fmt(p1, sizeof p1, "%s/p1", d);
    ru_fmt(p2, sizeof p2, "%s/p2", d);
    char out[300];
    ru_fmt(out, sizeof out, "%s/run", d);
    const char *a1[] = {"run", DECISION, "-n", "6",       "-q", "--format",
                        "svg", "-o",     out,  "--plots", p1,   NULL};
    struct proc p = run(a1);
    ru_proc_free(&p);
    const char *a2[] = {"plot", out,       "-q", "--format",
                        "svg",  "--plots", p2,   NULL};
    p = run(a2);
    ru_proc_free(&p);
    static const char *const charts[] = {"impact.svg", "ranking.svg",
                                         "impact.gp", "ranking.gp"};
    for (int i = 0; i < 4; i++) {
        char path[400];
        ru_fmt(path, sizeof path, "%s/%s", p1, charts[i]);
        char *svg = ru_read_file(path, NULL);
        if (!svg)
            fail_msg("%s: not drawn by the run", path);
        if (i < 2 && !strstr(svg, "Pull all reps for two weeks"))
            fail_msg("%s: no option's title in it", path);
        free(svg);
        assert_same_file(p1, p2, charts[i]);
    }
    ru_rmdir(p1);
    ru_rmdir(p2);
    ru_rmdir(out);
    ru_rmdir(d);
}

/* A caller that shortens the horizon after resolving (the fuzzer does)
 * gets the decision's quarters cut to it, or no decision when none is
 * left, never a decision over weeks the run does not have. */
static void test_quarters_past_a_shortened_horizon(void **state)
{
    (void)state;
    static const char *const ranges[] = {"1-2", "2-2"};
    for (int i = 0; i < 2; i++) {
        struct config cfg = {0};
        struct params p = {0};
        struct run_result r = {0};
        struct err e = {0};
        char set[64];
        ru_fmt(set, sizeof set, "decision.quarters=%s", ranges[i]);
        assert_int_equal(config_load(&cfg, DECISION, &e), 0);
        assert_int_equal(config_set(&cfg, set, &e), 0);
        assert_int_equal(config_resolve(&cfg, &p, &e), 0);
        p.sim.horizon_weeks = 13;
        struct run_opts o = {.jobs = 1, .replications = 2};
        if (run_simulate(&p, &o, &r, &e) != 0)
            fail_msg("%s", e.msg);
        if (i == 0) {
            assert_int_equal(r.dec_metric, M_REVENUE);
            assert_int_equal(r.dec_q1, 0);
            assert_true(fabs(r.dec_wins[0] + r.dec_wins[1] + r.dec_wins[2] +
                             r.dec_wins[3] - 2.0) < 1e-12);
        } else {
            assert_int_equal(r.dec_metric, -1);
        }
        run_result_destroy(&r);
        params_destroy(&p);
        config_destroy(&cfg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pairs_match_comparison),
        cmocka_unit_test(test_ranking),
        cmocka_unit_test(test_replications),
        cmocka_unit_test(test_jobs_invariance),
        cmocka_unit_test(test_summary_ranking),
        cmocka_unit_test(test_lower_and_quarters),
        cmocka_unit_test(test_default_metric),
        cmocka_unit_test(test_bad_decision),
        cmocka_unit_test(test_plot_redraw),
        cmocka_unit_test(test_quarters_past_a_shortened_horizon),
    };
    return cmocka_run_group_tests_name("decision", tests, setup, teardown);
}
