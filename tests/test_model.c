/*
 * Tests of the model against what must hold whatever the calibration:
 * conservation of opportunities and hours, queueing theory (Erlang C for
 * M/M/c), Little's law on the pipeline, binomial win counts, exact zero
 * differences for a zero-length intervention, determinism, and common
 * random numbers at work. Seeds are fixed; tolerances are justified where
 * they are set.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "config.h"
#include "model.h"
#include "params_util.h"
#include "run.h"
#include "stats.h"

#include "../sim/model_int.h" /* MODEL_ARRAYS */

#define DATA "tests/data/"

/* cmocka 1.1.5 (Debian 12) has no assert_double_equal. */
#define assert_close(a, b, tol)                                                \
    do {                                                                       \
        double a_ = (a), b_ = (b);                                             \
        if (!(fabs(a_ - b_) <= (tol)))                                         \
            fail_msg("%s = %.17g, %s = %.17g, tolerance %g", #a, a_, #b, b_,   \
                     (double)(tol));                                           \
    } while (0)

static double *raw_alloc(const struct params *p)
{
    size_t n = (size_t)(p->sim.warmup_weeks + p->sim.horizon_weeks) * RAW_COUNT;
    double *raw = calloc(n, sizeof *raw);
    assert_non_null(raw);
    return raw;
}

static size_t raw_bytes(const struct params *p)
{
    return (size_t)(p->sim.warmup_weeks + p->sim.horizon_weeks) * RAW_COUNT *
           sizeof(double);
}

/* Sum of metric m over the reported weeks of a raw series. */
static double reported(const struct params *p, const double *raw, int m)
{
    double v = 0.0;
    const double *r = raw + (size_t)p->sim.warmup_weeks * RAW_COUNT;
    assert_int_equal(metric_combine(r, 0, p->sim.horizon_weeks, m, &v), 0);
    return v;
}

static void check_conservation(const struct model_totals *t)
{
    assert_true(t->opps_created > 0);
    assert_close(t->opps_start + t->opps_created,
                 t->opps_won + t->opps_lost + t->opps_cold + t->opps_open,
                 1e-9);
    double worked = 0.0;
    for (int i = 0; i < 5; i++)
        worked += t->rep_hours[i];
    /* Hours are integrals of rates; only rounding separates the sides. */
    assert_close(worked, t->rep_hours_available, 1e-9 * t->rep_hours_available);
    assert_close(t->ops_hours_busy + t->ops_hours_idle, t->ops_hours_available,
                 1e-9 * t->ops_hours_available);
}

/* Every scenario of the flagship file conserves deals and hours. */
static void test_conservation(void **state)
{
    (void)state;
    struct params p;
    load(&p, "scenarios/pull_two_weeks.ini", "simulation.horizon_weeks=52",
         "sales.attrition_per_year=0.3", "operations.attrition_per_year=0.3",
         NULL);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    double *raw = raw_alloc(&p);
    for (int s = -1; s < (int)p.n_scenarios; s++) {
        for (uint64_t r = 0; r < 3; r++) {
            struct model_totals t;
            assert_int_equal(model_run(m, s, r, raw, &t, &e), 0);
            check_conservation(&t);
        }
    }
    free(raw);
    model_free(m);
    params_destroy(&p);
}

/* The [start] of these tests: ops work waiting and in hand (of both
 * kinds), and open deals in two stages, aged. */
#define START_OVERRIDES                                                        \
    "start.onboardings_waiting=19", "start.onboardings_in_progress=3",         \
        "start.tickets_waiting=25", "start.tickets_in_progress=1",             \
        "start.open.discovery=60", "start.open.negotiation=17",                \
        "start.open_age_days=52"

/* Work placed at the start is finished, waiting or in hand at the end,
 * never lost or counted twice: deals (every one closes or stays open) and
 * the ops backlog's items and hours, in the baseline and every scenario,
 * with and without a warm-up, people leaving and coming back. */
static void test_start_conservation(void **state)
{
    (void)state;
    for (int v = 0; v < 2; v++) {
        struct params p;
        load(&p, "scenarios/pull_two_weeks.ini", "simulation.horizon_weeks=52",
             v ? "simulation.warmup_weeks=0" : "simulation.warmup_weeks=4",
             "sales.attrition_per_year=0.3",
             "operations.attrition_per_year=0.3", START_OVERRIDES, NULL);
        struct err e = {0};
        struct model *m = model_alloc(&p, &e);
        double *raw = raw_alloc(&p);
        int last = p.sim.warmup_weeks + p.sim.horizon_weeks - 1;
        for (int s = -1; s < (int)p.n_scenarios; s++) {
            for (uint64_t r = 0; r < 3; r++) {
                struct model_totals t;
                assert_int_equal(model_run(m, s, r, raw, &t, &e), 0);
                check_conservation(&t);
                assert_true(t.opps_start == 77.0);
                /* At least the start's 48 items arrived. */
                assert_true(t.ops_items_arrived >= 48.0);
                const double *row = raw + (size_t)last * RAW_COUNT;
                assert_true(t.ops_items_arrived ==
                            t.ops_items_done + row[M_OPS_BACKLOG_ITEMS]);
                assert_close(t.ops_hours_arrived,
                             t.ops_hours_done + row[M_OPS_BACKLOG_HOURS],
                             1e-9 * t.ops_hours_arrived);
            }
        }
        free(raw);
        model_free(m);
        params_destroy(&p);
    }
}

/* A [start] backlog with nothing else to do drains at the rate the
 * staff's hours allow: 600 hours at 120 a week (tests/data/
 * start_drain.ini), so the backlog at the end of week w is 480 - 120 w
 * hours until it is empty. */
static void test_start_drain(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "start_drain.ini", NULL);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    double *raw = raw_alloc(&p);
    struct model_totals t;
    assert_int_equal(model_run(m, -1, 0, raw, &t, &e), 0);
    for (int w = 0; w < p.sim.horizon_weeks; w++) {
        const double *row = raw + (size_t)w * RAW_COUNT;
        double want = fmax(0.0, 480.0 - 120.0 * w);
        assert_close(row[M_OPS_BACKLOG_HOURS], want, 1e-6);
        /* Each server ends an item exactly at each tick, and the tick
         * comes first (PRIO_TICK): 3 items in hand with nothing left. */
        assert_close(row[M_OPS_BACKLOG_ITEMS], w < 5 ? want / 20.0 + 3 : 0,
                     1e-9);
        /* Busy the whole week while work lasts, then idle. */
        assert_close(row[M_OPS_UTILIZATION],
                     w < 5 ? row[D_OPS_UTILIZATION] : 0.0, 1e-6);
    }
    assert_true(t.ops_items_done == 30.0 && t.ops_items_arrived == 30.0);
    assert_close(t.ops_hours_done, 600.0, 1e-9);
    free(raw);
    model_free(m);
    params_destroy(&p);
}

/* The trace lines of time 0 (the people, the clients and the start's
 * work) of scenario s, replication r. */
static char *time0_trace(struct model *m, int s, uint64_t r, double *raw)
{
    char *buf = NULL, *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    struct err e = {0};
    model_set_trace(m, f);
    assert_int_equal(model_run(m, s, r, raw, NULL, &e), 0);
    model_set_trace(m, NULL);
    fclose(f);
    out = calloc(len + 1, 1);
    assert_non_null(out);
    size_t n = 0;
    for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
        if (!strncmp(line, "0.000000,", 9)) {
            n += (size_t)sprintf(out + n, "%s\n", line);
        }
    free(buf);
    return out;
}

/* Common random numbers: the baseline and every scenario start from the
 * same state in a replication (its own streams), another replication
 * from another; and with every [start] count at 0 nothing is drawn, so
 * the run is the run without [start], bit for bit. */
static void test_start_common(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "tiny.ini", "simulation.warmup_weeks=0", START_OVERRIDES,
         NULL);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    double *raw = raw_alloc(&p);
    char *base = time0_trace(m, -1, 0, raw);
    assert_non_null(strstr(base, "opp_start"));
    assert_non_null(strstr(base, "onboarding"));
    for (int s = 0; s < (int)p.n_scenarios; s++) {
        char *sc = time0_trace(m, s, 0, raw);
        assert_string_equal(sc, base);
        free(sc);
    }
    char *other = time0_trace(m, -1, 1, raw);
    assert_true(strcmp(other, base) != 0);
    free(other);
    free(base);
    free(raw);
    model_free(m);
    params_destroy(&p);

    struct params a, b;
    load(&a, DATA "tiny.ini", NULL);
    load(&b, DATA "tiny.ini", "start.open_age_days=30",
         "start.tickets_waiting=0", NULL);
    assert_true(b.start.given && !a.start.given);
    struct model *ma = model_alloc(&a, &e), *mb = model_alloc(&b, &e);
    double *ra = raw_alloc(&a), *rb = raw_alloc(&b);
    struct model_totals ta, tb;
    assert_int_equal(model_run(ma, 0, 2, ra, &ta, &e), 0);
    assert_int_equal(model_run(mb, 0, 2, rb, &tb, &e), 0);
    assert_memory_equal(ra, rb, raw_bytes(&a));
    assert_memory_equal(&ta, &tb, sizeof ta);
    free(ra);
    free(rb);
    model_free(ma);
    model_free(mb);
    params_destroy(&a);
    params_destroy(&b);
}

/* Erlang C: probability that an arrival waits in M/M/c. */
static double erlang_c(int c, double a /* offered load lambda/mu */)
{
    double term = 1.0, sum = 1.0;
    for (int k = 1; k < c; k++) {
        term *= a / k;
        sum += term;
    }
    double last = term * a / c / (1.0 - a / c);
    return last / (sum + last);
}

static void check_mmc(int c, double rho)
{
    /* 100 clients, ticket hours exponential(1) at 24 h a day: mu = 24 per
     * day per server. lambda = rho * c * mu; per client per week = lambda
     * * 7 / 100. */
    double mu = 24.0, lambda = rho * c * mu;
    char staff[64], rate[64];
    snprintf(staff, sizeof staff, "operations.staff=%d", c);
    snprintf(rate, sizeof rate, "clients.tickets_per_week=%.17g",
             lambda * 7.0 / 100.0);
    struct params p;
    load(&p, DATA "mmc.ini", staff, rate, NULL);
    double wq = erlang_c(c, lambda / mu) / (c * mu - lambda);

    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    double *raw = raw_alloc(&p);
    struct acc a = {0};
    for (uint64_t r = 0; r < 10; r++) {
        assert_int_equal(model_run(m, -1, r, raw, NULL, &e), 0);
        acc_add(&a, reported(&p, raw, M_TICKET_WAIT_DAYS));
    }
    struct summary s;
    acc_summary(&a, &s);
    /* The replications are independent estimates of the mean wait; the
     * theory must lie inside their 95 % interval widened by 50 % (so a
     * 1-in-20 miss cannot flake), and the interval must be tight enough
     * (under 10 % of Wq) to catch a wrong model. */
    double h = s.hi - s.mean;
    print_message("M/M/%d rho=%.2f: Wq theory %.5f, simulated %.5f +- %.5f\n",
                  c, rho, wq, s.mean, h);
    assert_true(fabs(s.mean - wq) < 1.5 * h);
    assert_true(h < 0.1 * wq);
    free(raw);
    model_free(m);
    params_destroy(&p);
}

static void test_erlang_c_1_090(void **state)
{
    (void)state;
    check_mmc(1, 0.9);
}
static void test_erlang_c_2_090(void **state)
{
    (void)state;
    check_mmc(2, 0.9);
}
static void test_erlang_c_3_070(void **state)
{
    (void)state;
    check_mmc(3, 0.7);
}

/* Little's law: mean open opportunities = creation rate * mean time in
 * the pipeline, over a long run (boundary effects are O(1/T)). */
static void test_little(void **state)
{
    (void)state;
    struct params p;
    load(&p, "scenarios/model.ini", "simulation.horizon_weeks=520", NULL);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    double *raw = raw_alloc(&p);
    struct model_totals t;
    assert_int_equal(model_run(m, -1, 0, raw, &t, &e), 0);
    double T = (p.sim.warmup_weeks + p.sim.horizon_weeks) * 7.0;
    double L = t.pipeline_area / T;
    double closed = t.opps_won + t.opps_lost + t.opps_cold;
    double W = t.pipeline_days / closed, lambda = closed / T;
    print_message("Little: L=%.4f lambda*W=%.4f\n", L, lambda * W);
    /* Open deals at the end hold the only gap: under 1 % here. */
    assert_true(fabs(L - lambda * W) < 0.01 * L);
    check_conservation(&t);
    free(raw);
    model_free(m);
    params_destroy(&p);
}

/* One stage that can only be won or lost: wins ~ Binomial(closed, p). */
static void test_binomial(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "one_stage.ini", NULL);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    double *raw = raw_alloc(&p);
    struct model_totals t;
    assert_int_equal(model_run(m, -1, 0, raw, &t, &e), 0);
    double n = t.opps_won + t.opps_lost, q = p.stages[0].advance;
    assert_true(t.opps_cold == 0);
    assert_true(n > 5000);
    double z = (t.opps_won - n * q) / sqrt(n * q * (1 - q));
    print_message("binomial: n=%.0f won=%.0f z=%.3f\n", n, t.opps_won, z);
    /* |z| < 4 fails by chance once in 16,000 seeds; a wrong advance rule
     * (say effectiveness applied twice, p 0.3 -> 0.33) gives |z| > 7. */
    assert_true(fabs(z) < 4.0);
    free(raw);
    model_free(m);
    params_destroy(&p);
}

/* A zero-length pull is exactly the baseline; a pull of all reps finds no
 * opportunity while it lasts; and the same run twice is the same run. */
static void test_zero_pull_and_determinism(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "tiny.ini", NULL);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    double *base = raw_alloc(&p), *x = raw_alloc(&p);
    for (uint64_t r = 0; r < 4; r++) {
        assert_int_equal(model_run(m, -1, r, base, NULL, &e), 0);
        assert_int_equal(model_run(m, 1, r, x, NULL, &e), 0);
        assert_memory_equal(base, x, raw_bytes(&p));
        assert_int_equal(model_run(m, -1, r, x, NULL, &e), 0);
        assert_memory_equal(base, x, raw_bytes(&p));
        assert_int_equal(model_run(m, 0, r, x, NULL, &e), 0);
        for (int w = 4; w < 6; w++) {
            size_t i = (size_t)(p.sim.warmup_weeks + w) * RAW_COUNT;
            assert_true(x[i + M_OPPORTUNITIES_CREATED] == 0.0);
            assert_true(x[i + M_REP_HOURS_PROSPECTING] == 0.0);
        }
        /* Before the pull the two runs are the same run. */
        size_t pre = (size_t)(p.sim.warmup_weeks + 4) * RAW_COUNT;
        assert_memory_equal(base, x, pre * sizeof(double));
    }
    free(base);
    free(x);
    model_free(m);
    params_destroy(&p);
}

static int same_accs(const struct acc *a, const struct acc *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

/* Summaries do not depend on the number of threads. */
static void test_threads_identical(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "tiny.ini", NULL);
    struct run_opts o = {.jobs = 1, .replications = 7};
    struct run_result a = {0}, b = {0};
    struct err e = {0};
    assert_int_equal(run_simulate(&p, &o, &a, &e), 0);
    o.jobs = 3;
    assert_int_equal(run_simulate(&p, &o, &b, &e), 0);
    size_t nw = (size_t)a.nscen * a.weeks * M_COUNT;
    size_t nc = (size_t)(a.nscen - 1) * (a.quarters + 1) * CMP_COUNT;
    assert_true(same_accs(a.weekly, b.weekly, nw));
    assert_true(same_accs(a.cmp_delta, b.cmp_delta, nc));
    run_result_destroy(&a);
    run_result_destroy(&b);
    params_destroy(&p);
}

/* Runs from checkpoints are runs from scratch: for every scenario, the
 * baseline's state at tick 0, halfway to the scenario's divergence tick
 * and at it gives the same raw series and totals, byte for byte, and the
 * baseline that leaves the checkpoints is the baseline. */
static void check_checkpoints(const struct params *p)
{
    struct err e = {0};
    struct model *m = model_alloc(p, &e), *ref = model_alloc(p, &e);
    assert_non_null(m);
    assert_non_null(ref);
    double *raw = raw_alloc(p), *want = raw_alloc(p);
    for (int s = 0; s < (int)p->n_scenarios; s++) {
        int d = model_divergence_tick(p, s);
        struct model_checkpoint *cps[3];
        const int ticks[3] = {0, d / 2, d};
        for (int i = 0; i < 3; i++)
            assert_non_null(cps[i] = model_checkpoint_alloc(p, ticks[i], &e));
        for (uint64_t r = 0; r < 2; r++) {
            struct model_totals t, t_want;
            assert_int_equal(model_run_baseline(m, r, raw, &t, cps, 3, &e), 0);
            assert_int_equal(model_run(ref, -1, r, want, &t_want, &e), 0);
            assert_memory_equal(raw, want, raw_bytes(p));
            assert_memory_equal(&t, &t_want, sizeof t);
            assert_int_equal(model_run(ref, s, r, want, &t_want, &e), 0);
            for (int i = 0; i < 3; i++) {
                memset(raw, 0xa5, raw_bytes(p)); /* no stale rows count */
                assert_int_equal(model_run_from(m, cps[i], s, raw, &t, &e), 0);
                if (memcmp(raw, want, raw_bytes(p)) != 0 ||
                    memcmp(&t, &t_want, sizeof t) != 0)
                    fail_msg("scenario %s, replication %d: the run from "
                             "tick %d differs from the run from scratch",
                             p->scenarios[s].id, (int)r, ticks[i]);
            }
        }
        for (int i = 0; i < 3; i++)
            model_checkpoint_free(cps[i]);
    }
    free(raw);
    free(want);
    model_free(m);
    model_free(ref);
}

static void test_checkpoints(void **state)
{
    (void)state;
    struct params p;
    load(&p, "scenarios/pull_two_weeks.ini", NULL);
    check_checkpoints(&p);
    params_destroy(&p);
    /* Departures and backfills too: hires pending at the checkpoint. */
    load(&p, "scenarios/pull_two_weeks.ini", "sales.attrition_per_year=0.3",
         "operations.attrition_per_year=0.3", NULL);
    check_checkpoints(&p);
    params_destroy(&p);
    load(&p, DATA "tiny.ini", NULL);
    check_checkpoints(&p);
    params_destroy(&p);
    /* Contracts of every role, hires paid by the lever, costs. */
    load(&p, DATA "costs.ini", NULL);
    check_checkpoints(&p);
    params_destroy(&p);
    /* Reductions, freezes, releases pending at the checkpoint, and the
     * budget's and the ops policy's state (iv_level). */
    load(&p, DATA "shrink.ini", "sales.attrition_per_year=1",
         "operations.attrition_per_year=1", NULL);
    check_checkpoints(&p);
    params_destroy(&p);
    /* A start at "today": the state placed before tick 0, a scenario
     * that acts from week 0 (a checkpoint at tick 0). */
    load(&p, DATA "tiny.ini", "simulation.warmup_weeks=0",
         "scenario.pull.pull.start_week=0", START_OVERRIDES, NULL);
    check_checkpoints(&p);
    params_destroy(&p);
}

/* ---- issue 17: the seed claims' levers -------------------------------- */

/* A lever of zero length is the baseline, byte for byte; active, it
 * conserves deals and hours, and runs from checkpoints equal runs from
 * scratch. A catch-up adds exactly its hours and their cost. */
static void test_seed_levers(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "seed_levers.ini", "sales.attrition_per_year=0.3", NULL);
    int zero = -1, nohours = -1, levers = -1;
    for (int s = 0; s < (int)p.n_scenarios; s++) {
        const char *id = p.scenarios[s].id;
        zero = !strcmp(id, "zero_levers") ? s : zero;
        nohours = !strcmp(id, "nohours") ? s : nohours;
        levers = !strcmp(id, "levers") ? s : levers;
    }
    assert_true(zero >= 0 && nohours >= 0 && levers >= 0);
    assert_int_equal(model_divergence_tick(&p, nohours),
                     p.sim.warmup_weeks + p.sim.horizon_weeks);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    double *base = raw_alloc(&p), *x = raw_alloc(&p);
    for (uint64_t r = 0; r < 3; r++) {
        struct model_totals t, tb;
        assert_int_equal(model_run(m, -1, r, base, &tb, &e), 0);
        assert_int_equal(model_run(m, zero, r, x, NULL, &e), 0);
        assert_memory_equal(base, x, raw_bytes(&p));
        assert_int_equal(model_run(m, nohours, r, x, NULL, &e), 0);
        assert_memory_equal(base, x, raw_bytes(&p));
        assert_int_equal(model_run(m, levers, r, x, &t, &e), 0);
        check_conservation(&t);
        /* The process fix: 120 hours over weeks 8-10 are 40 a week of the
         * 4 staff's 160, then a quarter of every new item's hours saved
         * (the mean item of the run falls by far more than chance). */
        for (int w = 8; w < 11; w++) {
            size_t i = (size_t)(p.sim.warmup_weeks + w) * RAW_COUNT;
            assert_close(base[i + D_OPS_UTILIZATION] - x[i + D_OPS_UTILIZATION],
                         40.0, 1e-9);
        }
        assert_true(t.ops_hours_arrived / t.ops_items_arrived <
                    0.95 * tb.ops_hours_arrived / tb.ops_items_arrived);
        size_t pre = (size_t)(p.sim.warmup_weeks + 6) * RAW_COUNT;
        assert_memory_equal(base, x, pre * sizeof(double));
        /* In the catch-up's weeks every rep in a seat (the same in both
         * runs) prospects 5 hours more, paid at 110000 / 52 / 45 $ an hour. */
        for (int w = 6; w < 10; w++) {
            size_t i = (size_t)(p.sim.warmup_weeks + w) * RAW_COUNT;
            double reps = x[i + M_REPS_ACTIVE];
            assert_close(x[i + M_REP_HOURS_PROSPECTING] -
                             base[i + M_REP_HOURS_PROSPECTING],
                         reps * 5.0, 1e-9);
            assert_close(x[i + M_LEVER_COST],
                         reps * 10.0 * 110000.0 / 52.0 / 45.0, 1e-6);
        }
    }
    free(base);
    free(x);
    model_free(m);
    check_checkpoints(&p);
    params_destroy(&p);
}

/* The habit's lasting mark: without attrition the same 8 reps, after
 * tiny.ini's pull (weeks 4-5) and its six-week leak, keep 5 % of their
 * hours in ops for good (their prospecting clock hours fall by 5 % of
 * 45 x 0.25 each), and lose readiness: in operational time, with the
 * same draws, they find fewer opportunities. */
static void test_scar(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "seed_levers.ini", NULL);
    int pull = -1, scarred = -1;
    for (int s = 0; s < (int)p.n_scenarios; s++) {
        pull = !strcmp(p.scenarios[s].id, "pull") ? s : pull;
        scarred = !strcmp(p.scenarios[s].id, "scarred") ? s : scarred;
    }
    assert_true(pull >= 0 && scarred >= 0);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    double *a = raw_alloc(&p), *b = raw_alloc(&p);
    for (uint64_t r = 0; r < 3; r++) {
        struct model_totals ta, tb;
        assert_int_equal(model_run(m, pull, r, a, &ta, &e), 0);
        assert_int_equal(model_run(m, scarred, r, b, &tb, &e), 0);
        check_conservation(&tb);
        size_t pre = (size_t)(p.sim.warmup_weeks + 6) * RAW_COUNT;
        assert_memory_equal(a, b, pre * sizeof(double));
        for (int w = 12; w < p.sim.horizon_weeks; w++) {
            size_t i = (size_t)(p.sim.warmup_weeks + w) * RAW_COUNT;
            assert_close(a[i + M_REP_HOURS_PROSPECTING] -
                             b[i + M_REP_HOURS_PROSPECTING],
                         8 * 0.05 * 45 * 0.25, 1e-9);
        }
        assert_true(tb.opps_created < ta.opps_created);
    }
    free(a);
    free(b);
    model_free(m);
    params_destroy(&p);
}

/* model_key and model_key2 are the nested rng_key calls they replaced,
 * for every stream kind, and one key is frozen: the streams are the
 * contract of common random numbers (docs/random.md). */
static void test_keys(void **state)
{
    (void)state;
    struct model m = {.base_key = 42};
    for (uint64_t k = S_REP; k <= S_START; k++) {
        enum stream s = (enum stream)k;
        assert_true(model_key(&m, s, 7) == rng_key(rng_key(42, k), 7));
        assert_true(model_key2(&m, s, 3, 5) ==
                    rng_key(rng_key(rng_key(42, k), 3), 5));
    }
    assert_true(model_key2(&m, S_OPP, 3, 5) == 0x419eb6843173b38full);
}

/* Every array of MODEL_ARRAYS outgrows its first allocation (16) in a
 * run of this file (people of every role leaving, so that backfills
 * queue), and runs from checkpoints, whose copies grow each array from
 * nothing, equal runs from scratch: the table drives the growth, the
 * memory count, the copy and the release of each. The loop goes over
 * the table itself: an array added to it that this file does not grow
 * fails here until the file grows it. */
static void test_arrays_grow(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "tiny.ini", "sales.reps=24", "operations.staff=2",
         "support.staff=20", "clients.initial=40", "sales.attrition_per_year=3",
         "operations.attrition_per_year=3", "support.attrition_per_year=3",
         "market.accounts=3000", "market.cooling_days=120", NULL);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    assert_non_null(m);
    double *raw = raw_alloc(&p);
    assert_int_equal(model_run(m, 0, 0, raw, NULL, &e), 0);
#define ARRAY_GREW(type, name)                                                 \
    if (!(m->cap_##name > 16 && m->n_##name <= m->cap_##name))                 \
        fail_msg("%s: %d in use, room for %d", #name, (int)m->n_##name,        \
                 (int)m->cap_##name);
    MODEL_ARRAYS(ARRAY_GREW)
#undef ARRAY_GREW
    free(raw);
    model_free(m);
    check_checkpoints(&p);
    params_destroy(&p);
}

/* A scenario with other parameters from the baseline's checkpoint (as a
 * sweep runs points that share a baseline): another scenario setting
 * and model keys the baseline never reads (the hire's lead weeks, the
 * [support] hours of a model without support staff) give the run from
 * scratch of those parameters, byte for byte. */
static void test_checkpoint_other_params(void **state)
{
    (void)state;
    struct params p, q;
    struct err e = {0};
    load(&p, DATA "tiny_levers.ini", NULL);
    load(&q, DATA "tiny_levers.ini", "scenario.levers.hire.week=6",
         "sales.lead_weeks=1", "support.absorb_hours_per_week=35",
         "scenario.pull.pull.weeks=3", NULL);
    struct model *m = model_alloc(&p, &e), *ref = model_alloc(&q, &e);
    double *raw = raw_alloc(&p), *want = raw_alloc(&p);
    for (int s = 0; s < (int)q.n_scenarios; s++) {
        struct model_checkpoint *cp =
            model_checkpoint_alloc(&p, model_divergence_tick(&q, s), &e);
        assert_non_null(cp);
        for (uint64_t r = 0; r < 2; r++) {
            struct model_totals t, t_want;
            assert_int_equal(model_run_baseline(m, r, raw, NULL, &cp, 1, &e),
                             0);
            assert_int_equal(model_run(ref, s, r, want, &t_want, &e), 0);
            memset(raw, 0xa5, raw_bytes(&q));
            assert_int_equal(model_run_from_params(m, cp, &q, s, raw, &t, &e),
                             0);
            if (memcmp(raw, want, raw_bytes(&q)) != 0 ||
                memcmp(&t, &t_want, sizeof t) != 0)
                fail_msg("scenario %s, replication %d: differs from the run "
                         "from scratch",
                         q.scenarios[s].id, (int)r);
        }
        model_checkpoint_free(cp);
    }
    /* m keeps no pointer into q (make check's ASan would see it). */
    model_free(ref);
    params_destroy(&q);
    ref = model_alloc(&p, &e);
    assert_int_equal(model_run(m, 0, 0, raw, NULL, &e), 0);
    assert_int_equal(model_run(ref, 0, 0, want, NULL, &e), 0);
    assert_memory_equal(raw, want, raw_bytes(&p));
    free(raw);
    free(want);
    model_free(m);
    model_free(ref);
    params_destroy(&p);
}

/* Rep admin hours over the horizon of replication 0 of tiny.ini with
 * these [support] overrides. */
static double admin_hours(const char *a, const char *b, const char *c)
{
    struct params p;
    load(&p, DATA "tiny.ini", "support.staff=2", a, b, c, NULL);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    double *raw = raw_alloc(&p);
    assert_int_equal(model_run(m, -1, 0, raw, NULL, &e), 0);
    double h = reported(&p, raw, M_REP_HOURS_ADMIN);
    free(raw);
    model_free(m);
    params_destroy(&p);
    return h;
}

/* Support staff are people: leaving (with a backfill delay), ramping when
 * they start, and absorbing at most the hours they work all take admin
 * hours back to the reps. The departures are the same draws in each run,
 * so each comparison is strict. */
/* stats.c: the Student-t interval against tabulated quantiles (also
 * after another n, since the quantile is kept between calls), and MSER-5
 * on series whose answer is known: a level shift at batch 6 of 40 is cut
 * there; a stationary sequence is not cut; a steady trend is cut as far
 * as MSER-5 may go, half of the batches. */
static void test_stats(void **state)
{
    (void)state;
    static const double t975[][2] = {{1, 12.706204736},
                                     {9, 2.262157163},
                                     {199, 1.971956544},
                                     {9, 2.262157163}};
    for (size_t i = 0; i < sizeof t975 / sizeof t975[0]; i++) {
        struct acc a = {0};
        int n = (int)t975[i][0] + 1; /* even: -1, 1, -1, 1, ... */
        for (int k = 0; k < n; k++)
            acc_add(&a, k % 2 ? 1.0 : -1.0);
        struct summary s;
        acc_summary(&a, &s);
        double sd = sqrt(n / (n - 1.0));
        assert_true(s.has_ci);
        assert_true(fabs(s.mean) < 1e-12);
        assert_true(fabs(s.sd - sd) < 1e-12);
        assert_true(fabs((s.hi - s.mean) - t975[i][1] * sd / sqrt(n)) < 1e-8);
    }
    struct acc one = {0};
    acc_add(&one, 3.0);
    struct summary s1;
    acc_summary(&one, &s1);
    assert_false(s1.has_ci);

    double x[200];
    for (int i = 0; i < 200; i++) /* shift, then a period-5-free wobble */
        x[i] = (i < 30 ? 10.0 : 0.0) + 0.1 * sin(0.7 * i);
    assert_int_equal(stats_mser5(x, 200), 6);
    for (int i = 0; i < 200; i++)
        x[i] = 0.1 * sin(0.7 * i);
    assert_int_equal(stats_mser5(x, 200), 0);
    for (int i = 0; i < 200; i++)
        x[i] = 0.01 * i;
    assert_int_equal(stats_mser5_max(200), 20);
    assert_int_equal(stats_mser5(x, 200), stats_mser5_max(200));
    assert_int_equal(stats_mser5(x, 19), 0); /* fewer than 4 batches */
    assert_int_equal(stats_mser5_max(19), 0);
}

static void test_support_staff(void **state)
{
    (void)state;
    double stay =
        admin_hours("support.attrition_per_year=0", "support.ramp_weeks=0",
                    "support.absorb_hours_per_week=20");
    double leave =
        admin_hours("support.attrition_per_year=8", "support.ramp_weeks=0",
                    "support.absorb_hours_per_week=20");
    double ramp =
        admin_hours("support.attrition_per_year=8", "support.ramp_weeks=10",
                    "support.absorb_hours_per_week=20");
    double capped =
        admin_hours("support.attrition_per_year=0", "support.ramp_weeks=0",
                    "support.hours_per_week=10");
    print_message("admin hours: stay %.1f, leave %.1f, leave+ramp %.1f, "
                  "10-hour week %.1f\n",
                  stay, leave, ramp, capped);
    assert_true(leave > stay);
    assert_true(ramp > leave);
    assert_true(capped > stay);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conservation),
        cmocka_unit_test(test_start_conservation),
        cmocka_unit_test(test_start_drain),
        cmocka_unit_test(test_start_common),
        cmocka_unit_test(test_erlang_c_1_090),
        cmocka_unit_test(test_erlang_c_2_090),
        cmocka_unit_test(test_erlang_c_3_070),
        cmocka_unit_test(test_little),
        cmocka_unit_test(test_binomial),
        cmocka_unit_test(test_zero_pull_and_determinism),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_support_staff),
        cmocka_unit_test(test_checkpoints),
        cmocka_unit_test(test_arrays_grow),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_checkpoint_other_params),
        cmocka_unit_test(test_seed_levers),
        cmocka_unit_test(test_scar),
    };
    return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
