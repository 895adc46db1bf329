/*
 * test_uncertain: number keys written uncertain(DIST) (config_uncertain.c,
 * uncertain.c, run.c) and `salescap sensitivity` (sensitivity.c).
 *
 * The parse and its refusals (tests/data/bad_uncertain_*.ini, exact
 * messages); run.ini writes the inputs back; uncertain(fixed(x)) is x,
 * output for output; the draws are per replication, from streams of
 * their own, and the model runs on exactly them; every option of a
 * replication sees the same draw, so a zero-length pull gives exactly
 * zero; the interval widens with the spread; the variance shares recover
 * known answers; the analysis ranks a dominant input first; and the
 * command's files and errors. Run from the repository root.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "params_util.h"
#include "robust_util.h"
#include "run.h"
#include "sensitivity.h"
#include "uncertain.h"

#define D     "tests/data/"
#define UFILE D "uncertain.ini"

struct bad_case {
    const char *file, *msg;
};

static const struct bad_case bad_cases[] = {
    {"bad_uncertain_nested.ini",
     D "bad_uncertain_nested.ini:2: [stage.qualify] advance: uncertain() "
       "takes a distribution, not another uncertain(): write "
       "uncertain(DIST) once"},
    {"bad_uncertain_dist.ini",
     D "bad_uncertain_dist.ini:2: [stage.qualify] advance: uncertain(): "
       "unknown distribution 'uniformly'; did you mean 'uniform'?"},
    {"bad_uncertain_support.ini",
     D "bad_uncertain_support.ini:2: [stage.qualify] advance = "
       "uncertain(uniform(0.5, 1.2)) can draw 1.2, and every draw must be "
       "in [0, 1]"},
    {"bad_uncertain_unbounded.ini",
     D "bad_uncertain_unbounded.ini:2: [stage.qualify] advance = "
       "uncertain(lognormal(0.6, 0.1)): lognormal has no upper bound, and "
       "every draw must be in [0, 1]: use one that stays there (uniform, "
       "triangular, beta or empirical)"},
    {"bad_uncertain_open_min.ini",
     D "bad_uncertain_open_min.ini:2: [scenario.pull] pull.share = "
       "uncertain(uniform(0, 0.5)) can draw 0, and every draw must be in "
       "(0, 1]"},
    {"bad_uncertain_missing.ini",
     D "bad_uncertain_missing.ini:2: [stage.qualify] advance: expected a "
       "number, got 'uniform(0.5, 0.7)'; write uncertain(uniform(0.5, 0.7)) "
       "to make it an uncertain input, drawn once per replication"},
    {"bad_uncertain_paren.ini",
     D "bad_uncertain_paren.ini:2: [stage.qualify] advance: uncertain(DIST) "
       "needs its closing ')', got 'uncertain(uniform(0.5, 0.7)'"},
    {"bad_uncertain_count.ini",
     D "bad_uncertain_count.ini:2: [sales] reps: uncertain() takes number "
       "keys, and this one is a whole number (try each value with --set, or "
       "sweep it)"},
    {"bad_uncertain_dist_key.ini",
     D "bad_uncertain_dist_key.ini:2: [sales] deal_value: uncertain() takes "
       "number keys, and this one is a distribution already, drawn afresh "
       "for each deal, rep or item"},
    {"bad_uncertain_reps.ini",
     D "bad_uncertain_reps.ini:3: [scenario.pull] pull.reps: uncertain() "
       "takes number keys, and this one takes a count, a percent (\"50%\") "
       "or all"},
    {"bad_uncertain_simulation.ini",
     D "bad_uncertain_simulation.ini:2: [simulation] max_events: "
       "uncertain() belongs to the keys of the model and of scenarios; "
       "[simulation] says how to run them"},
    {"bad_uncertain_shares.ini",
     D "bad_uncertain_shares.ini:3: [sales] prospecting_share + admin_share "
       "= 0.25 + 0.8 = 1.05 is over 1, with the uncertain inputs at the top "
       "of their ranges, where draws can reach"},
    {"bad_uncertain_two_dists.ini",
     D "bad_uncertain_two_dists.ini:5: [scenario.b] pull.ops_efficiency = "
       "uncertain(uniform(0.3, 0.9)): input pull.ops_efficiency is "
       "uncertain(triangular(0.4, 0.6, 0.8)) at " D
       "bad_uncertain_two_dists.ini:2; one input has one distribution (one "
       "draw sets every key of that name): give both the same, or name the "
       "intervention apart (NAME.type = TYPE)"},
};

#define N_BAD (sizeof bad_cases / sizeof bad_cases[0])

static void test_bad_file(void **state)
{
    const struct bad_case *bc = *state;
    char path[256];
    struct config cfg = {0};
    struct params p = {0};
    struct err e = {0};
    snprintf(path, sizeof path, D "%s", bc->file);
    int rc = config_load(&cfg, path, &e);
    if (rc == 0)
        rc = config_resolve(&cfg, &p, &e);
    if (rc == 0 || strcmp(e.msg, bc->msg))
        print_error("file %s\n  got:  %s\n  want: %s\n", bc->file, e.msg,
                    bc->msg);
    assert_int_equal(rc, -1);
    assert_int_equal(e.kind, ERR_CONFIG);
    assert_string_equal(e.msg, bc->msg);
    config_destroy(&cfg);
    params_destroy(&p);
}

/* ------------------------------------------------------------ parsing */

static const struct uncertain_input *input(const struct params *p,
                                           const char *name)
{
    for (size_t i = 0; i < p->n_uncertain; i++)
        if (!strcmp(p->uncertain[i].name, name))
            return &p->uncertain[i];
    fail_msg("no uncertain input %s", name);
    return NULL;
}

static void test_parse(void **state)
{
    (void)state;
    struct params p;
    load(&p, UFILE, NULL);
    assert_int_equal(p.n_uncertain, 3);
    assert_string_equal(p.uncertain[0].name, "stage.qualify.advance");
    assert_string_equal(p.uncertain[1].name, "clients.late_penalty");
    const struct uncertain_input *ops = input(&p, "pull.ops_efficiency");
    /* One input for the key of both scenarios: one draw sets both. */
    assert_int_equal(ops->n_places, 2);
    assert_int_equal(ops->places[0].scenario, 0);
    assert_int_equal(ops->places[1].scenario, 2);
    assert_true(ops->dist.kind == DIST_TRIANGULAR);
    /* The fields hold the medians. */
    assert_true(fabs(p.stages[0].advance - 0.6) < 1e-12);
    assert_true(fabs(p.clients.late_penalty - 0.025) < 1e-12);
    assert_true(fabs(p.scenarios[2].iv[0].u.pull.spec.ops_efficiency - 0.6) <
                1e-12);
    params_destroy(&p);
}

/* run.ini names the inputs as the file does, and reads back to them. */
static void test_written_back(void **state)
{
    (void)state;
    struct config cfg = {0}, cfg2 = {0};
    struct params p = {0}, q = {0};
    struct err e = {0};
    char path[] = "/tmp/salescap_unc_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_int_equal(config_load(&cfg, UFILE, &e), 0);
    assert_int_equal(config_resolve(&cfg, &p, &e), 0);
    assert_int_equal(config_write(f, &cfg, &p, 0), 0);
    fclose(f);
    size_t len;
    char *text = ru_read_file(path, &len);
    assert_non_null(strstr(text, "\nadvance = uncertain(triangular(0.5, "
                                 "0.6, 0.7))\n"));
    assert_non_null(strstr(text, "\nlate_penalty = uncertain(uniform(0, "
                                 "0.05))\n"));
    if (config_load(&cfg2, path, &e) || config_resolve(&cfg2, &q, &e))
        fail_msg("%s", e.msg);
    assert_int_equal(q.n_uncertain, p.n_uncertain);
    for (size_t i = 0; i < p.n_uncertain; i++) {
        assert_string_equal(q.uncertain[i].name, p.uncertain[i].name);
        assert_int_equal(q.uncertain[i].n_places, p.uncertain[i].n_places);
    }
    free(text);
    remove(path);
    params_destroy(&p);
    params_destroy(&q);
    config_destroy(&cfg);
    config_destroy(&cfg2);
}

/* calibrate fits keys that hold one number. */
static void test_not_a_free_key(void **state)
{
    (void)state;
    struct params p;
    struct err e = {0};
    double v, lo, hi;
    int open;
    load(&p, UFILE, NULL);
    assert_int_equal(config_number_key(&p, "clients", "late_penalty", &v, &lo,
                                       &hi, &open, &e),
                     -1);
    assert_string_equal(e.msg,
                        "[clients] late_penalty is uncertain(); "
                        "calibrate fits keys that hold one number (write "
                        "it as a number to fit it)");
    params_destroy(&p);
}

/* ------------------------------------------------------------ draws */

static void test_draws(void **state)
{
    (void)state;
    struct params p, q;
    load(&p, UFILE, NULL);
    /* The same file without the qualify input: the others' draws stay. */
    load(&q, UFILE, "stage.qualify.advance=0.6", NULL);
    assert_int_equal(q.n_uncertain, 2);
    gsl_rng *r = gsl_rng_alloc(rng_type(p.sim.rng));
    double x[3], y[3], again[3], sum = 0;
    const long n = 4000;
    for (long rep = 0; rep < n; rep++) {
        uncertain_draw(&p, (uint64_t)rep, r, x);
        uncertain_draw(&p, (uint64_t)rep, r, again);
        uncertain_draw(&q, (uint64_t)rep, r, y);
        assert_memory_equal(x, again, sizeof x);
        assert_true(x[1] == y[0] && x[2] == y[1]);
        assert_true(x[0] >= 0.5 && x[0] <= 0.7);
        assert_true(x[1] >= 0 && x[1] <= 0.05);
        sum += x[1];
        if (rep > 0) {
            uncertain_draw(&p, (uint64_t)rep - 1, r, y);
            assert_true(y[1] != x[1]); /* a new draw each replication */
        }
    }
    /* uniform(0, 0.05): mean 0.025, sd 0.0144; the mean of 4000 draws
     * is within 4 sd of it (4 * 0.0144 / sqrt(4000) = 0.0009). */
    assert_true(fabs(sum / n - 0.025) < 0.0009);
    /* Another seed, other draws. */
    p.sim.seed++;
    uncertain_draw(&p, 0, r, y);
    p.sim.seed--;
    uncertain_draw(&p, 0, r, x);
    assert_true(x[1] != y[1]);
    gsl_rng_free(r);
    params_destroy(&p);
    params_destroy(&q);
}

/* Each option's decision value in each replication, from the commit. */
struct per_rep {
    const struct run_result *r;
    int nopt;
    double v[64][8];
};

static void keep(void *ctx, long rep, const double *v, const unsigned char *ok,
                 const double *pv, const unsigned char *pok)
{
    struct per_rep *k = ctx;
    (void)v;
    (void)ok;
    (void)pv;
    (void)pok;
    assert_true(rep < 64 && k->nopt <= 8);
    memcpy(k->v[rep], k->r->dec_rep, (size_t)k->nopt * sizeof(double));
}

static void run_keep(const struct params *p, long n, struct per_rep *k,
                     struct run_result *r)
{
    struct run_opts o = {
        .jobs = 2, .replications = n, .on_commit = keep, .on_commit_ctx = k};
    struct err e = {0};
    memset(r, 0, sizeof *r);
    k->r = r;
    k->nopt = 1 + (int)p->n_scenarios;
    if (run_simulate(p, &o, r, &e) != 0)
        fail_msg("%s", e.msg);
}

/* Replication r of the file runs exactly as the file with the keys set
 * to r's draws: the model sees the draws, and only them. */
static void test_model_runs_on_the_draws(void **state)
{
    (void)state;
    static struct per_rep a, b;
    struct run_result ra, rb;
    struct params p, q;
    load(&p, UFILE, NULL);
    run_keep(&p, 6, &a, &ra);
    gsl_rng *g = gsl_rng_alloc(rng_type(p.sim.rng));
    for (long rep = 0; rep < 6; rep += 5) {
        double x[3];
        char s[3][128], t[128];
        uncertain_draw(&p, (uint64_t)rep, g, x);
        snprintf(s[0], sizeof s[0], "stage.qualify.advance=%.17g", x[0]);
        snprintf(s[1], sizeof s[1], "clients.late_penalty=%.17g", x[1]);
        snprintf(s[2], sizeof s[2],
                 "scenario.pull.pull.ops_efficiency="
                 "%.17g",
                 x[2]);
        snprintf(t, sizeof t, "scenario.twin.pull.ops_efficiency=%.17g", x[2]);
        load(&q, UFILE, s[0], s[1], s[2], t, NULL);
        assert_int_equal(q.n_uncertain, 0);
        run_keep(&q, rep + 1, &b, &rb);
        assert_memory_equal(a.v[rep], b.v[rep], 4 * sizeof(double));
        run_result_destroy(&rb);
        params_destroy(&q);
    }
    gsl_rng_free(g);
    run_result_destroy(&ra);
    params_destroy(&p);
}

/* Every option of a replication sees the same draw: the zero-length
 * pull is the baseline exactly, and twin is pull exactly, in every
 * replication, though the draws move both. */
static void test_paired_and_zero(void **state)
{
    (void)state;
    static struct per_rep k;
    struct run_result r;
    struct params p;
    load(&p, UFILE, NULL);
    run_keep(&p, 12, &k, &r);
    int moved = 0;
    for (int rep = 0; rep < 12; rep++) {
        assert_true(k.v[rep][2] == k.v[rep][0]); /* zero = baseline */
        assert_true(k.v[rep][3] == k.v[rep][1]); /* twin = pull */
        moved |= k.v[rep][1] != k.v[0][1];
    }
    assert_true(moved);
    const struct acc *z =
        &r.cmp_delta[run_cmp_index(&r, 2, r.quarters, CMP_LOST_REVENUE)];
    assert_true(z->mean == 0.0 && z->m2 == 0.0);
    run_result_destroy(&r);
    /* The baseline alone (as check and calibrate run it, with the
     * scenarios cut off): the same draws, the same baseline. */
    static struct per_rep b;
    double base[12];
    for (int rep = 0; rep < 12; rep++)
        base[rep] = k.v[rep][0];
    p.n_scenarios = 0;
    run_keep(&p, 12, &b, &r);
    p.n_scenarios = 3;
    for (int rep = 0; rep < 12; rep++)
        assert_true(b.v[rep][0] == base[rep]);
    run_result_destroy(&r);
    params_destroy(&p);
}

/* The spread of the outcome over replications grows with the input's. */
static void test_interval_widens(void **state)
{
    (void)state;
    static struct per_rep k;
    const char *specs[] = {"clients.renewal_rate=0.85",
                           "clients.renewal_rate=uncertain(uniform(0.84, "
                           "0.86))",
                           "clients.renewal_rate=uncertain(uniform(0.6, "
                           "1))"};
    double sd[3];
    for (int i = 0; i < 3; i++) {
        struct params p;
        struct run_result r;
        struct summary s;
        load(&p, D "tiny.ini", "simulation.replications=30", specs[i], NULL);
        run_keep(&p, 30, &k, &r);
        acc_summary(&r.dec_value[0], &s);
        sd[i] = s.sd;
        run_result_destroy(&r);
        params_destroy(&p);
    }
    if (!(sd[2] > 1.5 * sd[1] && sd[1] > sd[0]))
        fail_msg("sd of the baseline's net value: %g, %g, %g", sd[0], sd[1],
                 sd[2]);
}

/* ------------------------------------------------------------ shares */

static void test_shares_known(void **state)
{
    (void)state;
    enum { N = 4000 };
    static double x[N * 2], y[N];
    double share[2], r2;
    gsl_rng *g = gsl_rng_alloc(gsl_rng_mt19937);
    /* y = 3 x1 + 4 x2 exactly, x independent with equal variances:
     * shares 9/25 and 16/25, R^2 1. */
    for (int i = 0; i < N; i++) {
        x[2 * i] = gsl_rng_uniform(g);
        x[2 * i + 1] = gsl_rng_uniform(g);
        y[i] = 3 * x[2 * i] + 4 * x[2 * i + 1];
    }
    assert_int_equal(sens_variance_shares(x, N, 2, y, share, &r2), 0);
    assert_true(fabs(r2 - 1) < 1e-9);
    assert_true(fabs(share[0] - 0.36) < 0.02 && fabs(share[1] - 0.64) < 0.02);
    /* One input dominates, the other does nothing, noise adds a tenth:
     * R^2 = 100 / 110 with the dominant input holding nearly all. */
    for (int i = 0; i < N; i++)
        y[i] = 10 * x[2 * i] + sqrt(10.0) * (gsl_rng_uniform(g) - 0.5);
    assert_int_equal(sens_variance_shares(x, N, 2, y, share, &r2), 0);
    assert_true(fabs(r2 - 100.0 / 110.0) < 0.03);
    assert_true(share[0] > 0.9 && share[1] < 0.01);
    /* Undefined: too few observations, or an outcome that never moves. */
    assert_int_equal(sens_variance_shares(x, 3, 2, y, share, &r2), -1);
    assert_true(isnan(r2) && isnan(share[0]));
    for (int i = 0; i < N; i++)
        y[i] = 7;
    assert_int_equal(sens_variance_shares(x, N, 2, y, share, &r2), -1);
    gsl_rng_free(g);
}

/* An input that moves the baseline's net value by millions against one
 * that barely moves it: the first ranks first, with nearly all of the
 * variance; the zero-length pull stays at exactly zero in every run. */
static void test_sensitivity_ranks(void **state)
{
    (void)state;
    struct params p;
    struct sens_result r;
    struct err e = {0};
    load(&p, D "tiny.ini",
         "stage.qualify.advance=uncertain(uniform(0.59, "
         "0.61))",
         "costs.ops_per_year=uncertain(uniform(0, 4000000))", NULL);
    struct sens_opts o = {.jobs = 2, .replications = 12};
    if (sens_run(&p, &o, &r, &e) != 0)
        fail_msg("%s", e.msg);
    assert_int_equal(r.runs, 6);
    size_t order[2];
    sens_order(&r, 0, order);
    assert_int_equal(order[0], 1);
    const struct sens_cell *c = &r.cells[1];
    struct summary s;
    acc_summary(&c->swing, &s);
    assert_true(s.has_ci && s.hi < 0); /* dearer ops, less net value */
    assert_true(c->share > 0.8 && r.r2[0] > 0.8);
    assert_true(r.low[1] == 400000 && r.high[1] == 3600000);
    /* Option 2 is the zero-length pull. */
    for (size_t i = 0; i < 2; i++) {
        const struct sens_cell *z = &r.cells[2 * 2 + i];
        assert_true(z->swing.mean == 0 && z->swing.m2 == 0);
        assert_true(z->at_low.mean == 0 && z->at_high.mean == 0);
    }
    assert_true(r.at_central[2].mean == 0 && r.drawn[2].mean == 0);
    sens_result_destroy(&r);
    params_destroy(&p);
}

/* ------------------------------------------------------------ commands */

static void need_binary(void)
{
    if (!getenv("SALESCAP"))
        skip();
}

static struct proc sc(const char *const *args)
{
    return ru_run(args, 120.0);
}

static char *file_in(const char *dir, const char *name)
{
    char path[512];
    size_t len;
    ru_fmt(path, sizeof path, "%s/%s", dir, name);
    char *s = ru_read_file(path, &len);
    if (!s)
        fail_msg("cannot read %s", path);
    return s;
}

/* uncertain(fixed(x)) is x: every file of the run is the same. */
static void test_fixed_is_the_number(void **state)
{
    (void)state;
    need_binary();
    char a[128], b[128];
    ru_mkdtemp(a, sizeof a, "unc_a");
    ru_mkdtemp(b, sizeof b, "unc_b");
    const char *x[] = {"run",       D "tiny.ini",
                       "--no-plot", "-q",
                       "-o",        a,
                       "--set",     "stage.qualify.advance=0.6",
                       NULL};
    const char *y[] = {
        "run",       D "tiny.ini",
        "--no-plot", "-q",
        "-o",        b,
        "--set",     "stage.qualify.advance=uncertain(fixed(0.6))",
        NULL};
    struct proc p = sc(x), q = sc(y);
    assert_int_equal(p.status, 0);
    assert_int_equal(q.status, 0);
    const char *files[] = {
        "weekly.csv", "quarterly.csv", "comparison.csv",   "scenarios.csv",
        "pairs.csv",  "ranking.csv",   "replications.csv", "run.ini"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        char *s = file_in(a, files[i]), *t = file_in(b, files[i]);
        if (strcmp(s, t))
            fail_msg("%s differs", files[i]);
        free(s);
        free(t);
    }
    ru_proc_free(&p);
    ru_proc_free(&q);
    ru_rmdir(a);
    ru_rmdir(b);
}

/* With quotas and a plan as well, the plan's rows of replications.csv
 * carry the draws too: every row has the header's columns. */
static void test_reps_with_plan(void **state)
{
    (void)state;
    need_binary();
    char d[128];
    ru_mkdtemp(d, sizeof d, "unc_plan");
    const char *args[] = {"run",
                          UFILE,
                          "--no-plot",
                          "-q",
                          "-o",
                          d,
                          "--replications",
                          "4",
                          "--set",
                          "sales.quota_per_rep=40000",
                          "--set",
                          "plan.bookings_per_quarter=250000",
                          NULL};
    struct proc r = sc(args);
    assert_int_equal(r.status, 0);
    char *csv = file_in(d, "replications.csv");
    int rows = 0, plan_rows = 0;
    for (char *line = csv; *line; rows++) {
        char *end = strchr(line, '\n');
        assert_non_null(end);
        int commas = 0;
        for (char *c = line; c < end; c++)
            commas += *c == ',';
        if (commas != 6)
            fail_msg("row %d has %d fields, not 7: %.*s", rows, commas + 1,
                     (int)(end - line), line);
        char *plan = strstr(line, ",plan_met_q");
        plan_rows += plan && plan < end;
        line = end + 1;
    }
    assert_true(plan_rows > 0);
    free(csv);
    ru_proc_free(&r);
    ru_rmdir(d);
}

/* The summary names the inputs; replications.csv has a column of draws
 * for each, the same on every row of a replication; trace draws them as
 * the run does. */
static void test_run_outputs(void **state)
{
    (void)state;
    need_binary();
    char d[128];
    ru_mkdtemp(d, sizeof d, "unc_run");
    const char *args[] = {"run", UFILE, "--no-plot", "-o", d, NULL};
    struct proc r = sc(args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\nUncertain inputs: stage.qualify.advance "
                                  "triangular(0.5, 0.6, 0.7), "
                                  "clients.late_penalty uniform(0, 0.05), "
                                  "pull.ops_efficiency triangular(0.4, 0.6, "
                                  "0.8); each drawn once per replication, "
                                  "the same in every option: the intervals "
                                  "include them\n"));
    char *s = file_in(d, "summary.txt");
    assert_non_null(strstr(s, "\nUncertain inputs: "));
    free(s);
    char *csv = file_in(d, "replications.csv");
    const char *head = "scenario,replication,metric,value,"
                       "uncertain.stage.qualify.advance,"
                       "uncertain.clients.late_penalty,"
                       "uncertain.pull.ops_efficiency\n";
    assert_true(!strncmp(csv, head, strlen(head)));
    /* Replication 2's draws, as the library makes them. */
    struct params p;
    load(&p, UFILE, NULL);
    gsl_rng *g = gsl_rng_alloc(rng_type(p.sim.rng));
    double x[3];
    uncertain_draw(&p, 2, g, x);
    char want[200];
    snprintf(want, sizeof want, ",%.10g,%.10g,%.10g\n", x[0], x[1], x[2]);
    char *row = strstr(csv, "\ntwin,2,revenue,");
    assert_non_null(row);
    char *end = strchr(row + 1, '\n');
    assert_true(end && !strncmp(end - strlen(want) + 1, want, strlen(want)));
    free(csv);
    /* trace of replication 2 = trace with its draws set as numbers. */
    char s0[96], s1[96], s2[96];
    snprintf(s0, sizeof s0, "stage.qualify.advance=%.17g", x[0]);
    snprintf(s1, sizeof s1, "clients.late_penalty=%.17g", x[1]);
    snprintf(s2, sizeof s2, "scenario.twin.pull.ops_efficiency=%.17g", x[2]);
    const char *ta[] = {"trace",         UFILE, "--scenario", "twin",
                        "--replication", "2",   NULL};
    const char *tb[] = {
        "trace", UFILE,   "--scenario", "twin",  "--replication",
        "2",     "--set", s0,           "--set", s1,
        "--set", s2,      NULL};
    struct proc t1 = sc(ta), t2 = sc(tb);
    assert_int_equal(t1.status, 0);
    assert_int_equal(t2.status, 0);
    assert_true(strlen(t1.out) > 1000);
    assert_string_equal(t1.out, t2.out);
    gsl_rng_free(g);
    params_destroy(&p);
    ru_proc_free(&t1);
    ru_proc_free(&t2);
    ru_proc_free(&r);
    ru_rmdir(d);
}

static void test_sweep_refuses(void **state)
{
    (void)state;
    need_binary();
    char d[128];
    ru_mkdtemp(d, sizeof d, "unc_sweep");
    const char *args[] = {
        "sweep", D "sweep_uncertain.ini", "--no-plot", "-q", "-o", d, NULL};
    struct proc r = sc(args);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "stage.qualify.advance is uncertain(); a "
                                  "sweep runs each point with numbers"));
    ru_proc_free(&r);
    ru_rmdir(d);
}

static void test_sensitivity_command(void **state)
{
    (void)state;
    need_binary();
    char d[128], pl[128];
    ru_mkdtemp(d, sizeof d, "unc_sens");
    ru_mkdtemp(pl, sizeof pl, "unc_sensp");
    const char *args[] = {"sensitivity", UFILE, "-n",      "8", "-j", "2",
                          "-o",          d,     "--plots", pl,  NULL};
    struct proc r = sc(args);
    if (r.status != 0)
        print_error("%s", r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "salescap sensitivity: 3 uncertain "
                                  "inputs, 8 runs of 8 replications each, "
                                  "net_value over quarters 1-2"));
    assert_non_null(strstr(r.out, "\nA pull of zero weeks (zero) minus the "
                                  "baseline: net_value\n"));
    char *csv = file_in(d, "sensitivity.csv");
    const char *head = "scenario,title,compared_with,input,distribution,"
                       "low,central,high,metric,quarters,";
    assert_true(!strncmp(csv, head, strlen(head)));
    /* 4 options x 3 inputs, and the header. */
    int lines = 0;
    for (char *c = csv; *c; c++)
        lines += *c == '\n';
    assert_int_equal(lines, 13);
    assert_non_null(strstr(csv, "\npull,Pull all reps for two weeks,"
                                "baseline,pull.ops_efficiency,"
                                "\"triangular(0.4, 0.6, 0.8)\","));
    char *txt = file_in(d, "sensitivity.txt");
    assert_non_null(strstr(r.out, txt));
    assert_int_equal(ru_count_files(pl, "tornado.png"), 1);
    free(csv);
    free(txt);
    ru_proc_free(&r);
    /* plot redraws the tornado from sensitivity.csv alone. */
    ru_rmdir(pl);
    const char *again[] = {"plot", d, "--plots", pl, NULL};
    r = sc(again);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "1 chart written to "));
    assert_int_equal(ru_count_files(pl, "tornado.png"), 1);
    ru_proc_free(&r);
    ru_rmdir(d);
    ru_rmdir(pl);
}

static void test_sensitivity_errors(void **state)
{
    (void)state;
    need_binary();
    const char *none[] = {"sensitivity", D "tiny.ini", "--no-plot", NULL};
    struct proc r = sc(none);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err,
                        "salescap: sensitivity: " D "tiny.ini has no "
                        "uncertain inputs: write the keys you are unsure of "
                        "as uncertain(DIST), like pull.ops_efficiency = "
                        "uncertain(triangular(0.4, 0.6, 0.8)) "
                        "(docs/config.md, \"Uncertain inputs\")\n");
    ru_proc_free(&r);
    const char *nofile[] = {"sensitivity", NULL};
    r = sc(nofile);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "expected one scenario file"));
    ru_proc_free(&r);
    const char *bad[] = {"sensitivity", UFILE, "--precision", "2%", NULL};
    r = sc(bad);
    assert_int_equal(r.status, 2);
    ru_proc_free(&r);
    const char *broken[] = {"sensitivity", D "bad_uncertain_nested.ini", NULL};
    r = sc(broken);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "bad_uncertain_nested.ini:2: "));
    ru_proc_free(&r);
    const char *help[] = {"sensitivity", "--help", NULL};
    r = sc(help);
    assert_int_equal(r.status, 0);
    assert_true(!strncmp(r.out, "usage: salescap sensitivity FILE.ini", 36));
    assert_non_null(strstr(r.out, "--replications N"));
    ru_proc_free(&r);
}

static const struct CMUnitTest good_tests[] = {
    cmocka_unit_test(test_parse),
    cmocka_unit_test(test_written_back),
    cmocka_unit_test(test_not_a_free_key),
    cmocka_unit_test(test_draws),
    cmocka_unit_test(test_model_runs_on_the_draws),
    cmocka_unit_test(test_paired_and_zero),
    cmocka_unit_test(test_interval_widens),
    cmocka_unit_test(test_shares_known),
    cmocka_unit_test(test_sensitivity_ranks),
    cmocka_unit_test(test_fixed_is_the_number),
    cmocka_unit_test(test_run_outputs),
    cmocka_unit_test(test_sweep_refuses),
    cmocka_unit_test(test_reps_with_plan),
    cmocka_unit_test(test_sensitivity_command),
    cmocka_unit_test(test_sensitivity_errors),
};

#define N_GOOD (sizeof good_tests / sizeof good_tests[0])

int main(void)
{
    static struct CMUnitTest tests[N_BAD + N_GOOD];
    for (size_t i = 0; i < N_BAD; i++) {
        tests[i].name = bad_cases[i].file;
        tests[i].test_func = test_bad_file;
        tests[i].initial_state = (void *)&bad_cases[i];
    }
    for (size_t i = 0; i < N_GOOD; i++)
        tests[N_BAD + i] = good_tests[i];
    return cmocka_run_group_tests_name("uncertain", tests, NULL, NULL);
}
