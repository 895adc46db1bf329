/*
 * Tests of quotas and the plan (include/plan.h, docs/model.md "Quotas
 * and plan"): attainment with a known answer, exact to the bit; every
 * rep's prorated quota and bookings recomputed from the trace of a
 * replication with departures, backfills, hires and ramps; a pull that
 * keeps every quota; the chance of making plan against known answers (a
 * plan of 0, an impossible plan, a plan at the median of the baseline's
 * bookings); the plan list's rules; the CSV rows and the Wilson interval;
 * and the status of bad input. Seeds are fixed.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "model.h"
#include "output.h"
#include "params_util.h"
#include "plan.h"
#include "robust_util.h"
#include "run.h"
#include "stats.h"

#define DATA "tests/data/"

/* cmocka 1.1.5 (Debian 12) has no assert_double_equal. */
#define assert_close(a, b, tol)                                                \
    do {                                                                       \
        double a_ = (a), b_ = (b);                                             \
        if (!(fabs(a_ - b_) <= (tol)))                                         \
            fail_msg("%s = %.17g, %s = %.17g, tolerance %g", #a, a_, #b, b_,   \
                     (double)(tol));                                           \
    } while (0)

/* Simulates p (its replications, two threads) into r. */
static void simulate(const struct params *p, struct run_result *r)
{
    struct run_opts o = {.jobs = 2, .replications = p->sim.replications};
    struct err e = {0};
    if (run_simulate(p, &o, r, &e) != 0)
        fail_msg("%s", e.msg);
}

static const struct acc *pq(const struct run_result *r, int s, int q, int k)
{
    return &r->plan_q[run_plan_index(r, s, q, k)];
}

/* ---- a known answer -------------------------------------------------- */

/* Two reps book exactly $30,000 each in quarter 1 and nothing after
 * (tests/data/quota_exact.ini). Quota $40,000: attainment 0.75 each, to
 * the bit, none at quota; later quarters 0. A third rep hired for the
 * last 10 weeks of quarter 1 books nothing: the mean is (0.75 + 0.75 +
 * 0) / 3 = 0.5. Every replication agrees: sd 0. */
static void test_exact_attainment(void **state)
{
    (void)state;
    struct params p;
    struct run_result r = {0};
    load(&p, DATA "quota_exact.ini", NULL);
    simulate(&p, &r);
    assert_non_null(r.plan_q);
    const double want[2][3] = {{0.75, 0.0, 0.0}, {0.5, 0.0, 0.0}};
    for (int s = 0; s < 2; s++)
        for (int q = 0; q < 3; q++) {
            const struct acc *a = pq(&r, s, q, PLAN_QUOTA_ATTAINMENT);
            assert_true(a->n == 3);
            assert_true(a->mean == want[s][q]);
            assert_true(a->m2 == 0.0);
            assert_true(pq(&r, s, q, PLAN_REPS_AT_QUOTA)->mean == 0.0);
            /* No plan: no plan_met. */
            assert_true(pq(&r, s, q, PLAN_MET)->n == 0);
        }
    run_result_destroy(&r);
    params_destroy(&p);

    /* At quota exactly: bookings of $30,000 against a quota of $30,000
     * count as at quota ("at or above"). */
    load(&p, DATA "quota_exact.ini", "sales.quota_per_rep=30000", NULL);
    simulate(&p, &r);
    assert_true(pq(&r, 0, 0, PLAN_QUOTA_ATTAINMENT)->mean == 1.0);
    assert_true(pq(&r, 0, 0, PLAN_REPS_AT_QUOTA)->mean == 1.0);
    /* The hired rep, at quota 0 of 1: two of three reps at quota. */
    assert_true(pq(&r, 1, 0, PLAN_REPS_AT_QUOTA)->mean == 2.0 / 3.0);
    run_result_destroy(&r);
    params_destroy(&p);
}

/* The same company's plan: $60,000 of bookings in quarter 1, then none.
 * A plan of exactly $60,000 is met (at or above), one a cent more is
 * not; the list's last value repeats (0: met in quarters 2 and 3). */
static void test_exact_plan(void **state)
{
    (void)state;
    static const struct {
        const char *set;
        double met[3];
    } cases[] = {
        {"plan.bookings_per_quarter=60000, 0", {1, 1, 1}},
        {"plan.bookings_per_quarter=60000.01, 0", {0, 1, 1}},
        {"plan.bookings_per_quarter=60000, 1", {1, 0, 0}},
        {"plan.bookings_per_quarter=0", {1, 1, 1}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct params p;
        struct run_result r = {0};
        load(&p, DATA "quota_exact.ini", cases[i].set, NULL);
        simulate(&p, &r);
        for (int s = 0; s < 2; s++)
            for (int q = 0; q < 3; q++) {
                const struct acc *a = pq(&r, s, q, PLAN_MET);
                if (a->n != 3 || a->mean != cases[i].met[q])
                    fail_msg("%s: scenario %d, quarter %d: P(plan) = %g "
                             "of %g replications, want %g",
                             cases[i].set, s, q + 1, a->mean, a->n,
                             cases[i].met[q]);
            }
        run_result_destroy(&r);
        params_destroy(&p);
    }
}

/* A list shorter than the horizon repeats its last value; a short last
 * quarter's plan is prorated to its weeks (4 of 13 here). */
static void test_plan_target(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "quota_exact.ini", "plan.revenue_per_quarter=100000, 130000",
         NULL);
    assert_int_equal(p.plan.metric, M_REVENUE);
    assert_int_equal(p.plan.n, 2);
    assert_true(plan_target(&p, 0, 30) == 100000.0);
    assert_true(plan_target(&p, 1, 30) == 130000.0);
    assert_close(plan_target(&p, 2, 30), 130000.0 * 4 / 13, 1e-9);
    assert_true(plan_reports(&p, PLAN_MET));
    params_destroy(&p);
    load(&p, DATA "quota_exact.ini", "sales.quota_per_rep=0", NULL);
    assert_false(plan_any(&p));
    assert_int_equal(p.plan.metric, -1);
    params_destroy(&p);
}

/* ---- every rep's quota, from the trace ------------------------------- */

/* What the trace says of the reps of one replication. */
#define MAX_SEATS 64
#define MAX_OPPS  100000
struct seats {
    int filled[MAX_SEATS];
    double start_t[MAX_SEATS];
    double booked[MAX_SEATS]; /* since the period began, per the trace */
    int nbooked[MAX_SEATS];   /* won lines in it (for the tolerance) */
    int *opp_rep;             /* by opportunity id */
};

/* The value of key `key=` in details, or NAN. */
static double detail(const char *details, const char *key)
{
    const char *k = strstr(details, key);
    return k ? strtod(k + strlen(key), NULL) : NAN;
}

/* The quota of an occupant who started at start_t over the reported
 * ticks [t0, t1) (days): quota / 13 times the hire ramp at each tick,
 * recomputed here from docs/model.md: full speed for the reps there at
 * the start, else a linear ramp from 0.3 over 6 weeks (quota.ini). */
static double expected_quota(double quota, double start_t, double t0, double t1)
{
    double sum = 0.0;
    for (double t = fmax(t0, start_t); t < t1; t += 7.0) {
        double x = (t - start_t) / (6 * 7.0);
        sum += start_t == 0.0 ? 1.0 : x >= 1.0 ? 1.0 : 0.3 + 0.7 * x;
    }
    return quota * sum / 13.0;
}

/* One quota line of the trace, checked against the bookings and the
 * quota recomputed from the trace; returns its quota. */
static double check_quota_line(struct seats *st, const struct params *p,
                               double t, int r, const char *details, int *leave)
{
    int warm = p->sim.warmup_weeks, w = (int)lround(t / 7.0);
    /* A quarter's end closes at the tick after its last week; a leaver
     * at the tick they go. Either way the period is the ticks from the
     * start of the quarter that holds week w - 1 (or from the seat's
     * start) up to t. */
    int q = (w - 1 - warm) / 13;
    double t0 = 7.0 * (warm + 13 * q);
    double quota = detail(details, "quota=");
    double booked = detail(details, "bookings=");
    double want = expected_quota(p->sales.quota_per_rep, st->start_t[r], t0, t);
    *leave = (w - warm) % 13 != 0 && w != warm + p->sim.horizon_weeks;
    assert_close(quota, want, 0.006);
    /* Each value in the trace is rounded to the cent. */
    assert_close(booked, st->booked[r], 0.006 * (st->nbooked[r] + 1));
    assert_true(st->filled[r]);
    st->booked[r] = 0.0;
    st->nbooked[r] = 0;
    return quota;
}

/* Reads one replication's trace (text) and checks every quota line:
 * the quota prorated for the ramp and the weeks in the seat, and the
 * bookings of the seat's occupant while they held it (wins while the
 * seat is empty, and in the warm-up, count for nobody). Fills
 * quotas[0..*n) in trace order; counts closes by leavers and by
 * ramping reps. */
static void check_trace(const char *text, const struct params *p,
                        double *quotas, int *n, int *leavers, int *ramping)
{
    struct seats st;
    memset(&st, 0, sizeof st);
    st.opp_rep = calloc(MAX_OPPS, sizeof *st.opp_rep);
    assert_non_null(st.opp_rep);
    *n = *leavers = *ramping = 0;
    const char *line = strchr(text, '\n') + 1; /* the header */
    for (; *line; line = strchr(line, '\n') + 1) {
        double t;
        int week, id, used = 0;
        char ev[32];
        if (sscanf(line, "%lf,%d,%31[^,],%d,%n", &t, &week, ev, &id, &used) !=
            4)
            fail_msg("unreadable trace line: %.80s", line);
        const char *details = line + used;
        assert_true(id >= 0 && id < MAX_OPPS);
        if (!strcmp(ev, "rep_start")) {
            assert_true(id < MAX_SEATS);
            st.filled[id] = 1;
            st.start_t[id] = t;
            st.booked[id] = 0.0;
        } else if (!strcmp(ev, "rep_leave")) {
            st.filled[id] = 0;
        } else if (!strcmp(ev, "opp_created") || !strcmp(ev, "opp_start")) {
            st.opp_rep[id] = (int)detail(details, "rep=");
        } else if (!strcmp(ev, "won") && week >= 0 &&
                   st.filled[st.opp_rep[id]]) {
            st.booked[st.opp_rep[id]] += detail(details, "value=");
            st.nbooked[st.opp_rep[id]]++;
        } else if (!strcmp(ev, "quota")) {
            int leave;
            quotas[(*n)++] = check_quota_line(&st, p, t, id, details, &leave);
            *leavers += leave;
            *ramping += st.start_t[id] > 0.0 && t - st.start_t[id] < 42.0;
        }
    }
    free(st.opp_rep);
}

/* One replication's trace of scenario (-1: the baseline), in new
 * memory. */
static char *trace_of(const struct params *p, int scenario, uint64_t rep)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    struct err e = {0};
    struct model *m = model_alloc(p, &e);
    double *raw =
        calloc((size_t)(p->sim.warmup_weeks + p->sim.horizon_weeks) * RAW_COUNT,
               sizeof *raw);
    assert_non_null(f);
    assert_non_null(m);
    assert_non_null(raw);
    model_set_trace(m, f);
    if (model_run(m, scenario, rep, raw, NULL, &e) != 0)
        fail_msg("%s", e.msg);
    fclose(f);
    free(raw);
    model_free(m);
    return text;
}

/* Reps leave at random and their seats are refilled mid-quarter, two
 * are hired, backfills and hires ramp: every rep's quota and bookings
 * in every quarter agree with the trace. A pull changes bookings but
 * no quota: the same quotas, line for line, as the baseline's. */
static void test_trace_proration(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "quota.ini", NULL);
    static double base[4096], scen[4096];
    int leavers = 0, ramping = 0;
    for (uint64_t rep = 0; rep < 4; rep++) {
        int nb, ns, l, rr;
        char *text = trace_of(&p, -1, rep);
        check_trace(text, &p, base, &nb, &l, &rr);
        free(text);
        leavers += l;
        ramping += rr;
        for (int s = 0; s < (int)p.n_scenarios; s++) {
            text = trace_of(&p, s, rep);
            check_trace(text, &p, scen, &ns, &l, &rr);
            free(text);
            if (strcmp(p.scenarios[s].id, "pull"))
                continue;
            assert_int_equal(ns, nb);
            for (int i = 0; i < nb; i++)
                assert_true(scen[i] == base[i]);
        }
        assert_true(nb > 30);
    }
    /* The cases the test is for did happen. */
    assert_true(leavers >= 3);
    assert_true(ramping >= 5);
    params_destroy(&p);
}

/* ---- the chance of making plan ---------------------------------------- */

/* Quarter 2's bookings of the baseline in each replication. */
struct q2 {
    double *v;
    long n;
};

static void keep_q2(void *ctx, long rep, const double *v,
                    const unsigned char *ok, const double *pv,
                    const unsigned char *pok)
{
    (void)ok;
    (void)pv;
    (void)pok;
    struct q2 *b = ctx;
    b->v[rep] = v[1 * M_COUNT + M_BOOKINGS];
    b->n = rep + 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* P(plan) of quarter 2 of tests/data/tiny.ini, 400 replications, with
 * the overrides given. */
static double p_plan_q2(const char *plan, const char *seed,
                        struct run_result *r)
{
    struct params p;
    load(&p, DATA "tiny.ini", "simulation.replications=400", plan, seed, NULL);
    simulate(&p, r);
    params_destroy(&p);
    const struct acc *a = pq(r, 0, 1, PLAN_MET);
    assert_true(a->n == 400);
    return a->mean;
}

/* A plan of 0 is always met, an impossible one never; a plan at the
 * median of the baseline's quarter-2 bookings is met in half the
 * replications: exactly on the same random numbers, and within a
 * binomial tolerance on others (4 sd of a share of 400 at 0.5: 0.1). */
static void test_plan_chance(void **state)
{
    (void)state;
    struct params p;
    struct run_result r = {0};
    struct q2 b = {calloc(400, sizeof(double)), 0};
    assert_non_null(b.v);
    load(&p, DATA "tiny.ini", "simulation.replications=400", NULL);
    struct run_opts o = {.jobs = 2,
                         .replications = 400,
                         .on_commit = keep_q2,
                         .on_commit_ctx = &b};
    struct err e = {0};
    assert_int_equal(run_simulate(&p, &o, &r, &e), 0);
    assert_null(r.plan_q); /* no plan, no quotas: nothing reported */
    run_result_destroy(&r);
    params_destroy(&p);
    assert_int_equal(b.n, 400);
    qsort(b.v, 400, sizeof *b.v, cmp_double);
    assert_true(b.v[199] < b.v[200]);
    char median[96];
    snprintf(median, sizeof median, "plan.bookings_per_quarter=%.17g",
             (b.v[199] + b.v[200]) / 2);

    /* Exactly 200 of 400, up to the rounding of a running mean. */
    assert_close(p_plan_q2(median, "simulation.seed=3", &r), 0.5, 1e-12);
    run_result_destroy(&r);
    double other = p_plan_q2(median, "simulation.seed=4", &r);
    assert_close(other, 0.5, 0.1);
    run_result_destroy(&r);
    assert_true(p_plan_q2("plan.bookings_per_quarter=0", "simulation.seed=3",
                          &r) == 1.0);
    /* Every scenario, every quarter. */
    for (int s = 0; s < r.nscen; s++)
        for (int q = 0; q < r.quarters; q++)
            assert_true(pq(&r, s, q, PLAN_MET)->mean == 1.0);
    run_result_destroy(&r);
    assert_true(p_plan_q2("plan.bookings_per_quarter=1e15", "simulation.seed=3",
                          &r) == 0.0);
    run_result_destroy(&r);
    free(b.v);
}

/* ---- the files -------------------------------------------------------- */

/* The value of field `col` (0-based) of the first line of text that
 * starts with prefix, or NAN. */
static double csv_field(const char *text, const char *prefix, int col)
{
    for (const char *l = text; l && *l; l = strchr(l, '\n')) {
        l += *l == '\n';
        if (strncmp(l, prefix, strlen(prefix)))
            continue;
        for (int c = 0; c < col && l; c++)
            l = strchr(l, ',') + 1;
        return l && *l != ',' ? strtod(l, NULL) : NAN;
    }
    return NAN;
}

/* quarterly.csv's plan rows carry the Wilson interval of P(plan), and
 * comparison.csv pairs each scenario with the baseline; the summary
 * says how the pull changes the chance of making plan. */
static void test_rows(void **state)
{
    (void)state;
    struct params p;
    struct run_result r = {0};
    load(&p, DATA "quota.ini", "simulation.replications=40", NULL);
    simulate(&p, &r);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    for (int q = 0; q < r.quarters; q++)
        output_plan_quarterly(f, &p, &r, 0, q, "all");
    output_plan_comparison(f, &p, &r, 2, 1, "all");
    output_summary(f, &p, &r);
    fclose(f);
    const struct acc *a = pq(&r, 0, 1, PLAN_MET);
    double lo, hi;
    stats_wilson(a->mean * a->n, a->n, &lo, &hi);
    assert_close(csv_field(text, "baseline,2,plan_met,", 3), a->mean, 1e-9);
    assert_close(csv_field(text, "baseline,2,plan_met,", 5), lo, 1e-9);
    assert_close(csv_field(text, "baseline,2,plan_met,", 6), hi, 1e-9);
    assert_close(csv_field(text, "baseline,2,plan_met,", 7), 40, 0);
    assert_true(lo >= 0.0 && hi <= 1.0 && lo < a->mean && a->mean < hi);
    /* Quarter 4 is one week long: its rows exist too. */
    assert_false(isnan(csv_field(text, "baseline,4,quota_attainment,", 3)));
    /* The pull's quarter 2: scenario - baseline, paired. */
    size_t i = run_plan_index(&r, 2, 1, PLAN_MET);
    assert_close(csv_field(text, "pull,2,plan_met,", 5),
                 r.plan_scen[i].mean - r.plan_base[i].mean, 1e-9);
    assert_non_null(strstr(text, "Chance of making plan"));
    assert_non_null(strstr(text, "the chance of making plan in Q"));
    free(text);
    run_result_destroy(&r);
    params_destroy(&p);
}

/* plan.EXT is drawn from quarterly.csv when the run has a plan (its
 * datablock holds each option's chance, in percent, as the CSV has it),
 * and not when it has none. */
static void test_chart(void **state)
{
    (void)state;
    char dir[128], plots[160], path[256];
    ru_mkdtemp(dir, sizeof dir, "plan_chart");
    ru_fmt(plots, sizeof plots, "%s/plots", dir);
    const char *argv[] = {
        "run", DATA "quota.ini", "-q",  "--format", "svg", "-o",
        dir,   "--plots",        plots, NULL};
    struct proc pr = ru_run(argv, 120.0);
    assert_int_equal(pr.status, 0);
    ru_proc_free(&pr);
    ru_fmt(path, sizeof path, "%s/revenue.svg", plots);
    if (access(path, F_OK) != 0) { /* no gnuplot here: nothing drawn */
        ru_rmdir(dir);
        skip();
    }
    ru_fmt(path, sizeof path, "%s/plan.svg", plots);
    assert_int_equal(access(path, F_OK), 0);
    ru_fmt(path, sizeof path, "%s/plan.gp", plots);
    char *gp = ru_read_file(path, NULL);
    ru_fmt(path, sizeof path, "%s/quarterly.csv", dir);
    char *csv = ru_read_file(path, NULL);
    assert_non_null(gp);
    assert_non_null(csv);
    assert_non_null(strstr(gp, "Chance of making plan"));
    /* The pull (the third option, x spread by +0.15) in quarter 2. */
    double mean = csv_field(csv, "pull,2,plan_met,", 3);
    const char *row = strstr(gp, "# pull: ");
    assert_non_null(row);
    row = strstr(row, "\n2.1500 ");
    assert_non_null(row);
    assert_close(strtod(row + 8, NULL), 100.0 * mean, 1e-6);
    free(gp);
    free(csv);

    /* The same file without a plan: no plan chart, and the one of the
     * run before is gone. */
    const char *again[] = {"run",
                           DATA "quota.ini",
                           "-q",
                           "--format",
                           "svg",
                           "--set",
                           "plan.bookings_per_quarter=none",
                           "-o",
                           dir,
                           "--plots",
                           plots,
                           NULL};
    pr = ru_run(again, 120.0);
    assert_int_equal(pr.status, 0);
    ru_proc_free(&pr);
    ru_fmt(path, sizeof path, "%s/plan.svg", plots);
    assert_int_not_equal(access(path, F_OK), 0);
    ru_rmdir(dir);
}

/* Bad input stops the command with status 2 and FILE:LINE. */
static void test_bad_status(void **state)
{
    (void)state;
    const char *files[] = {"bad_quota_negative.ini", "bad_plan_too_many.ini",
                           "bad_plan_number.ini"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char path[256];
        ru_fmt(path, sizeof path, DATA "%s", files[i]);
        const char *argv[] = {"run",       "-n", "2",
                              "--no-plot", "-o", "/tmp/salescap_plan_bad",
                              path,        NULL};
        /* A refused file writes no results: the folder is never made. */
        struct proc pr = ru_run(argv, 60.0);
        assert_int_equal(pr.status, 2);
        assert_non_null(strstr(pr.err, path));
        ru_proc_free(&pr);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_attainment),
        cmocka_unit_test(test_exact_plan),
        cmocka_unit_test(test_plan_target),
        cmocka_unit_test(test_trace_proration),
        cmocka_unit_test(test_plan_chance),
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_chart),
        cmocka_unit_test(test_bad_status),
    };
    return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
