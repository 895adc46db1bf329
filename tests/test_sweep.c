/*
 * Tests of sweeps: value syntaxes and grid order through the library,
 * every sweep-file error with its exact FILE:LINE message, and, through
 * the binary ($SALESCAP), the promises of INTERFACE.md: the same
 * sweep.csv for -j 1 and -j 2, for merged shards, and after a resume from
 * SIGKILL or SIGINT, with no point run twice; progress only on stderr.
 * The MPI build is checked by tests/mpi.sh (run by .ci/run).
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>
#include <math.h>

#include "csvread.h"
#include "output.h"
#include "sweep.h"
#include "util.h"

#define DATA "tests/data/"

static char tmp[64]; /* this run's scratch folder */

/* ------------------------------------------------------------ helpers */

static const char *bin(void)
{
    const char *b = getenv("SALESCAP");
    if (!b)
        fail_msg("SALESCAP is not set (run through make test)");
    return b;
}

/* Runs a shell command built from fmt; returns its exit status. */
static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* The file at TMP/a/b (b NULL: TMP/a); fails when missing. */
static char *slurpf(const char *a, const char *b)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s%s%s", tmp, a, b ? "/" : "", b ? b : "");
    char *s = ru_read_file(path, NULL);
    if (!s)
        fail_msg("%s: cannot read", path);
    return s;
}

/* TMP/a + ext, e.g. the .err log of a run. */
static char *slurpf_ext(const char *a, const char *ext)
{
    char name[256];
    snprintf(name, sizeof name, "%s%s", a, ext);
    return slurpf(name, NULL);
}

static int count_lines(const char *s)
{
    int n = 0;
    for (; s && *s; s++)
        n += *s == '\n';
    return n;
}

/* Runs a sweep into TMP/out with extra options; returns its status. */
static int sweep(const char *file, const char *out, const char *opts)
{
    return sh("'%s' sweep " DATA "%s -o '%s/%s' --no-plot %s >'%s/%s.out' "
              "2>'%s/%s.err'",
              bin(), file, tmp, out, opts, tmp, out, tmp, out);
}

static void assert_same_csv(const char *a, const char *b)
{
    char *x = slurpf(a, "sweep.csv"), *y = slurpf(b, "sweep.csv");
    if (strcmp(x, y))
        fail_msg("%s/sweep.csv and %s/sweep.csv differ:\n%s\n---\n%s", a, b, x,
                 y);
    free(x);
    free(y);
}

static int setup(void **state)
{
    (void)state;
    snprintf(tmp, sizeof tmp, "/tmp/salescap-sweep-test.XXXXXX");
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return sh("rm -rf '%s'", tmp);
}

/* ------------------------------------------------------------ values */

static void expect_values(const char *spec, size_t n, const char *const *v)
{
    char **got;
    size_t m;
    struct err e = {0};
    if (sweep_parse_values(spec, "f.ini", 3, "k", &got, &m, &e) != 0)
        fail_msg("'%s': %s", spec, e.msg);
    assert_int_equal(m, n);
    for (size_t i = 0; i < n && v; i++)
        assert_string_equal(got[i], v[i]);
    sweep_values_free(got, m);
}

static void test_values(void **state)
{
    (void)state;
    expect_values("4, 8, 16", 3, (const char *[]){"4", "8", "16"});
    expect_values(
        "0:8:1", 9,
        (const char *[]){"0", "1", "2", "3", "4", "5", "6", "7", "8"});
    expect_values("0 : 1 : 0.25", 5,
                  (const char *[]){"0", "0.25", "0.5", "0.75", "1"});
    /* 0.1 * 3 is 0.30000000000000004: the stop is still included, and
     * values print as written. */
    expect_values("0:0.3:0.1", 4, (const char *[]){"0", "0.1", "0.2", "0.3"});
    expect_values("0:1:0.1", 11, NULL);
    expect_values("0:2:1, 5", 4, (const char *[]){"0", "1", "2", "5"});
    expect_values("1.5:1.5:1", 1, (const char *[]){"1.5"});
    expect_values("-1:1:1", 3, (const char *[]){"-1", "0", "1"});
    expect_values("lognormal(1, 0.2), 2", 2,
                  (const char *[]){"lognormal(1, 0.2)", "2"});
    expect_values("0:99999:1", 100000, NULL);
}

static void expect_value_error(const char *spec, const char *msg)
{
    char **got;
    size_t m;
    struct err e = {0};
    if (sweep_parse_values(spec, "f.ini", 3, "k", &got, &m, &e) == 0)
        fail_msg("'%s' was accepted", spec);
    assert_int_equal(e.kind, ERR_CONFIG);
    assert_string_equal(e.msg, msg);
}

static void test_value_errors(void **state)
{
    (void)state;
    expect_value_error("0:8:0",
                       "f.ini:3: [vary] k: step must be positive, got '0'");
    expect_value_error("0:8:-1",
                       "f.ini:3: [vary] k: step must be positive, got '-1'");
    expect_value_error("8:0:1", "f.ini:3: [vary] k: stop 0 is below start 8");
    expect_value_error("0:8", "f.ini:3: [vary] k: expected START:STOP:STEP, "
                              "got '0:8'");
    expect_value_error("0:1:1:2", "f.ini:3: [vary] k: expected "
                                  "START:STOP:STEP, got '0:1:1:2'");
    expect_value_error("0:x:1", "f.ini:3: [vary] k: stop 'x' of '0:x:1' is "
                                "not a number");
    expect_value_error("0:inf:1", "f.ini:3: [vary] k: stop 'inf' of "
                                  "'0:inf:1' is not a number");
    expect_value_error("0:100000:1", "f.ini:3: [vary] k: '0:100000:1' makes "
                                     "100001 values; at most 100000");
    expect_value_error("0:1e300:1e-300",
                       "f.ini:3: [vary] k: "
                       "'0:1e300:1e-300' makes far too many values; at most "
                       "100000");
    expect_value_error("4,,8", "f.ini:3: [vary] k: empty value at position 2 "
                               "of the list");
    expect_value_error("", "f.ini:3: [vary] k: empty value at position 1 of "
                           "the list");
    expect_value_error("lognormal(1, 2", "f.ini:3: [vary] k: unbalanced "
                                         "parentheses in 'lognormal(1, 2'");
    expect_value_error("a), b", "f.ini:3: [vary] k: unbalanced parentheses "
                                "in 'a), b'");
}

/* ------------------------------------------------------------ grids */

static void test_grid_order(void **state)
{
    (void)state;
    struct sweep sw;
    struct err e = {0};
    char label[256];
    if (sweep_load(&sw, DATA "sweep_grid3.ini", &e) != 0)
        fail_msg("%s", e.msg);
    assert_int_equal(sw.n_points, 8);
    assert_string_equal(sw.params[0].section, "scenario.pull");
    assert_string_equal(sw.params[0].key, "pull.weeks");
    assert_string_equal(sw.params[1].section, "stage.qualify");
    assert_string_equal(sw.params[1].key, "advance");
    assert_string_equal(sw.params[2].section, "sales");
    /* The last key changes fastest: point 5 = (1, 0, 1). */
    sweep_point_label(&sw, 5, label, sizeof label);
    assert_string_equal(label, "pull.weeks = 1, stage.qualify.advance = 0.5, "
                               "sales.deal_value = fixed(20000)");
    assert_int_equal(sweep_value_index(&sw, 6, 0), 1);
    assert_int_equal(sweep_value_index(&sw, 6, 1), 1);
    assert_int_equal(sweep_value_index(&sw, 6, 2), 0);
    assert_int_equal(sw.q0, 2);
    assert_int_equal(sw.q1, 2);
    if (sweep_prepare(&sw, &e) != 0)
        fail_msg("%s", e.msg);
    assert_int_equal(sw.replications, 3);
    for (size_t i = 1; i < sw.n_points; i++)
        assert_true(sw.hash[i] != sw.hash[i - 1]);
    sweep_destroy(&sw);
}

static void test_zip(void **state)
{
    (void)state;
    struct sweep sw;
    struct err e = {0};
    char label[256];
    if (sweep_load(&sw, DATA "sweep_zip.ini", &e) != 0)
        fail_msg("%s", e.msg);
    assert_true(sw.zip);
    assert_int_equal(sw.n_points, 5);
    sweep_point_label(&sw, 3, label, sizeof label);
    assert_string_equal(label, "sales.reps = 8, pull.ops_efficiency = 0.48");
    sweep_destroy(&sw);
}

/* [vary] scenario: each point compares its own scenario; a zero-week
 * pull ("zero") loses exactly nothing. */
static void test_scenario_key(void **state)
{
    (void)state;
    struct sweep sw;
    struct err e = {0};
    if (sweep_load(&sw, DATA "sweep_scen.ini", &e) != 0)
        fail_msg("%s", e.msg);
    assert_int_equal(sw.scen_param, 1);
    assert_int_equal(sw.n_points, 8);
    assert_string_equal(sweep_point_scenario(&sw, 0), "pull");
    assert_string_equal(sweep_point_scenario(&sw, 3), "zero");
    assert_string_equal(sweep_point_scenario(&sw, 5), "pull");
    sweep_destroy(&sw);
    assert_int_equal(sweep("sweep_scen.ini", "scen", "-j 2"), 0);
    char *csv = slurpf("scen", "sweep.csv");
    assert_non_null(strstr(csv, "sales.reps,scenario,"
                                "scenario.pull.pull.weeks,mean,"));
    assert_non_null(strstr(csv, "\n4,zero,1,0,0,0,0,3,3\n"));
    assert_non_null(strstr(csv, "\n8,zero,3,0,0,0,0,3,3\n"));
    free(csv);
}

static const struct {
    const char *file, *msg;
} bad[] = {
    {"bad_sweep_step.ini", "tests/data/bad_sweep_step.ini:6: [vary] "
                           "pull.weeks: step must be positive, got '0'"},
    {"bad_sweep_stop.ini", "tests/data/bad_sweep_stop.ini:6: [vary] "
                           "pull.weeks: stop 0 is below start 8"},
    {"bad_sweep_many.ini",
     "tests/data/bad_sweep_many.ini:7: [vary] "
     "clients.renewal_rate: '0:1:0.000001' makes 1000001 values; at most "
     "100000"},
    {"bad_sweep_zip.ini",
     "tests/data/bad_sweep_zip.ini:8: [vary] "
     "pull.weeks has 3 values, but sales.reps (line 7) has 2; with zip = "
     "true every list needs the same length"},
    {"bad_sweep_value.ini",
     "tests/data/bad_sweep_value.ini:7: [sales] reps: "
     "expected a whole number, got 'ten' (at pull.weeks = 1, sales.reps = "
     "ten)"},
    {"bad_sweep_no_sweep.ini",
     "tests/data/bad_sweep_no_sweep.ini: a sweep "
     "file needs a [sweep] section naming its model (file = MODEL.ini) "
     "before [vary]"},
    {"bad_sweep_thousands.ini",
     "tests/data/bad_sweep_thousands.ini:7: "
     "[vary] sales.reps: '10,000': a comma between digits would split a "
     "number into two values; write numbers without thousands separators, "
     "and separate values with ', '"},
    {"bad_sweep_quarters_end.ini",
     "tests/data/bad_sweep_quarters_end.ini:4: "
     "[sweep] quarters = 1-20: the horizon has 26 weeks, which is 2 "
     "quarters"},
    {"bad_sweep_vary_adds.ini",
     "tests/data/bad_sweep_vary_adds.ini:7: "
     "[vary] hire.count: [scenario.pull] has no intervention 'hire' (it "
     "has: pull); an override changes the interventions a scenario file "
     "defines, it does not add one"},
    {"bad_sweep_support_own.ini",
     "tests/data/bad_sweep_support_own.ini:7: "
     "[vary] support.absorb_hours_per_week: names [support] "
     "absorb_hours_per_week, the model's, but [scenario.more] sets its own "
     "support.absorb_hours_per_week, which wins in the scenario: write "
     "scenario.more.support.absorb_hours_per_week to vary the scenario's"},
    {"bad_sweep_section_slip.ini",
     "tests/data/bad_sweep_section_slip.ini:7: "
     "[vary] operation.staff: unknown section [operation]; did you mean "
     "[operations]? (nor is 'operation' an intervention of [scenario.pull], "
     "which has: pull)"},
    {"bad_sweep_scenarios.ini",
     "tests/data/bad_sweep_scenarios.ini:3: "
     "[sweep] scenario names one scenario; to sweep several, list them in "
     "[vary] instead: scenario = pull, zero"},
    {"bad_sweep_of_sweep.ini",
     "tests/data/bad_sweep_of_sweep.ini:2: "
     "[sweep] file: 'tests/data/sweep_tiny.ini' is a sweep file; name the "
     "scenario file to sweep"},
    {"bad_sweep_include.ini",
     "tests/data/bad_sweep_include.ini: a sweep "
     "file cannot include other files; name the model with file = in "
     "[sweep]"},
    {"bad_sweep_seed_twice.ini",
     "tests/data/bad_sweep_seed_twice.ini:5: "
     "[sweep] seed: the sweep varies simulation.seed ([vary] line 8); keep "
     "one"},
    {"bad_sweep_dup_number.ini",
     "tests/data/bad_sweep_dup_number.ini:7: "
     "[vary] pull.weeks: value '02' is listed twice (as '2': the same "
     "number)"},
    {"bad_sweep_vary_stage.ini",
     "tests/data/bad_sweep_vary_stage.ini:7: "
     "[vary] stage.qualifiy.advance: no stage 'qualifiy'; did you mean "
     "'qualify'? (a new stage needs a name not this close to an existing "
     "one)"},
    {"tiny.ini", "tests/data/tiny.ini: not a sweep file (it has no [sweep] "
                 "section); a scenario file runs with 'salescap run "
                 "tests/data/tiny.ini'"},
    {"bad_sweep_key.ini", "tests/data/bad_sweep_key.ini:4: unknown key "
                          "'metirc' in [sweep]; did you mean 'metric'?"},
    {"bad_sweep_metric.ini",
     "tests/data/bad_sweep_metric.ini:4: [sweep] "
     "metric: unknown metric 'lost_revenu'; did you mean 'lost_revenue'?"},
    {"bad_sweep_scenario.ini",
     "tests/data/bad_sweep_scenario.ini:3: [sweep] "
     "scenario: tests/data/tiny.ini has no [scenario.nope]; it has: pull, "
     "zero"},
    {"bad_sweep_section.ini",
     "tests/data/bad_sweep_section.ini:5: unknown "
     "section [varry] in a sweep file: expected [sweep] or [vary]"},
    {"bad_sweep_file.ini",
     "tests/data/bad_sweep_file.ini:2: [sweep] file: "
     "cannot open 'tests/data/missing.ini': No such file or directory"},
    {"bad_sweep_quarters.ini",
     "tests/data/bad_sweep_quarters.ini:4: [sweep] "
     "quarters = 3-4: the horizon has 26 weeks, which is 2 quarters"},
    {"bad_sweep_dup.ini", "tests/data/bad_sweep_dup.ini:6: [vary] "
                          "sales.reps: value '4' is listed twice"},
    {"bad_sweep_empty.ini",
     "tests/data/bad_sweep_empty.ini:6: [vary] "
     "sales.reps: empty value at position 2 of the list"},
    {"bad_sweep_reps.ini",
     "tests/data/bad_sweep_reps.ini:6: [vary] "
     "simulation.replications: cannot be varied: every point runs the same "
     "replications (set replications in [sweep])"},
    {"bad_sweep_same.ini",
     "tests/data/bad_sweep_same.ini:7: [vary] "
     "scenario.pull.pull.weeks: sets the same key as pull.weeks (line 6)"},
    {"bad_sweep_scen2.ini",
     "tests/data/bad_sweep_scen2.ini:6: [vary] "
     "scenario: [sweep] names the scenario too (line 3); keep one"},
    {"bad_sweep_scen3.ini",
     "tests/data/bad_sweep_scen3.ini:5: [vary] "
     "scenario: tests/data/tiny.ini has no [scenario.nope]; it has: pull, "
     "zero"},
    {"bad_sweep_scen4.ini",
     "tests/data/bad_sweep_scen4.ini:5: [vary] "
     "pull.weeks: the scenario is varied too: name it, as in "
     "scenario.ID.pull.weeks"},
    {"bad_sweep_scen5.ini",
     "tests/data/bad_sweep_scen5.ini:6: [vary] "
     "scenario.pull.pull.weeks: [scenario.pull] is not among the scenarios "
     "of [vary] scenario (line 5)"},
    {"bad_sweep_novary.ini",
     "tests/data/bad_sweep_novary.ini: no [vary] "
     "section: nothing to sweep (add e.g. sales.reps = 4, 8, 16)"},
};

static void test_bad_files(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct sweep sw;
        struct err e = {0};
        char path[256];
        snprintf(path, sizeof path, DATA "%s", bad[i].file);
        int rc = sweep_load(&sw, path, &e);
        if (rc == 0) {
            rc = sweep_prepare(&sw, &e);
            sweep_destroy(&sw);
        }
        if (rc == 0)
            fail_msg("%s was accepted", path);
        assert_int_equal(e.kind, ERR_CONFIG);
        assert_string_equal(e.msg, bad[i].msg);
    }
}

/* Whole numbers are compared exactly: seeds past 2^53 that differ in
 * their last bits are two points, not a value listed twice. */
static void test_big_seeds(void **state)
{
    (void)state;
    struct sweep sw;
    struct err e = {0};
    assert_int_equal(sweep_load(&sw, DATA "sweep_big_seeds.ini", &e), 0);
    if (sweep_prepare(&sw, &e) != 0)
        fail_msg("%s", e.msg);
    assert_int_equal(sw.n_points, 2);
    sweep_destroy(&sw);
}

/* The binary prints the message after "salescap: " and exits 2. */
static void test_bad_file_exit(void **state)
{
    (void)state;
    assert_int_equal(sweep("bad_sweep_step.ini", "bad", ""), 2);
    char *err = slurpf("bad.err", NULL);
    assert_string_equal(err,
                        "salescap: tests/data/bad_sweep_step.ini:6: "
                        "[vary] pull.weeks: step must be positive, got '0'\n");
    free(err);
    char *out = slurpf("bad.out", NULL);
    assert_string_equal(out, "");
    free(out);
    /* A --set of a key the grid varies would be overridden at every
     * point: refused. */
    assert_int_equal(sweep("sweep_tiny.ini", "bad", "--set sales.reps=3"), 2);
    err = slurpf("bad.err", NULL);
    assert_string_equal(err, "salescap: --set sales.reps: the sweep varies "
                             "it ([vary] sales.reps, line 12), so every point "
                             "would override the --set\n");
    free(err);
    /* --seed over a varied seed would be overridden at every point. */
    assert_int_equal(sweep("sweep_seeds.ini", "bad", "--seed 3"), 2);
    err = slurpf("bad.err", NULL);
    assert_string_equal(err, "salescap: --seed: the sweep varies it ([vary] "
                             "simulation.seed, line 7), so every point would "
                             "override the --seed\n");
    free(err);
    /* A --set that is wrong at every point names no point (naming the
     * first would send the user to the [vary] lines). */
    assert_int_equal(
        sweep("sweep_tiny.ini", "bad", "--set simulation.horizon_weeks=10"), 2);
    err = slurpf("bad.err", NULL);
    assert_string_equal(err,
                        "salescap: tests/data/sweep_tiny.ini:8: [sweep] "
                        "quarters = 1-2: the horizon has 10 weeks, which is "
                        "1 quarter\n");
    free(err);
    /* A sweep into the folder of its own sweep.ini would replace it. */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_int_equal(sh("mkdir '%s/self' && sed 's|^file = tiny.ini|file = "
                        "%s/" DATA "tiny.ini|' " DATA "sweep_tiny.ini "
                        ">'%s/self/sweep.ini'",
                        tmp, cwd, tmp),
                     0);
    assert_int_equal(sh("'%s' sweep '%s/self/sweep.ini' -o '%s/self' "
                        "2>'%s/bad.err'",
                        bin(), tmp, tmp, tmp),
                     2);
    err = slurpf("bad.err", NULL);
    char want[2048];
    snprintf(want, sizeof want,
             "salescap: -o %s/self: the sweep would "
             "replace %s/self/sweep.ini, which it reads; write the results "
             "into another folder\n",
             tmp, tmp);
    assert_string_equal(err, want);
    free(err);
    /* An output folder that cannot be made: before the sweep, status 2. */
    assert_int_equal(sweep("sweep_tiny.ini", "bad", "-o tests/data/tiny.ini"),
                     2);
    err = slurpf("bad.err", NULL);
    assert_string_equal(err, "salescap: -o tests/data/tiny.ini: exists and "
                             "is not a folder\n");
    free(err);
}

/* ------------------------------------------------------------ runs */

static void test_jobs_identical(void **state)
{
    (void)state;
    assert_int_equal(sweep("sweep_tiny.ini", "j1", "-j 1"), 0);
    assert_int_equal(sweep("sweep_tiny.ini", "j2", "-j 2"), 0);
    assert_int_equal(sweep("sweep_tiny.ini", "j3", "-j 3"), 0);
    assert_same_csv("j1", "j2");
    assert_same_csv("j1", "j3");
    char *csv = slurpf("j1", "sweep.csv");
    assert_int_equal(count_lines(csv), 1 + 6);
    assert_non_null(strstr(csv, "pull.weeks,sales.reps,mean,sd,ci_low,"
                                "ci_high,n,deals_won_mean,deals_won_ci_low,"
                                "deals_won_ci_high,win_rate_mean,"));
    /* A zero-week pull changes nothing: exactly zero, n = 6. */
    assert_non_null(strstr(csv, "\n0,4,0,0,0,0,6,"));
    free(csv);
    assert_int_equal(sweep("sweep_grid3.ini", "g1", "-j 1"), 0);
    assert_int_equal(sweep("sweep_grid3.ini", "g2", "-j 2"), 0);
    assert_same_csv("g1", "g2");
    csv = slurpf("g1", "sweep.csv");
    assert_non_null(strstr(csv, "\n1,0.5,\"lognormal(30000, 15000)\","));
    free(csv);
}

/* Points that share a baseline run it once per replication, and give
 * sweep.csv byte for byte as with a baseline per point
 * (--separate-baselines, the path before sharing): scenario keys that
 * start from different checkpoints, model keys only the scenario reads,
 * the scenario itself varied, model keys that change the baseline,
 * a zip sweep, and rounds of more than 500 replications. */
static void test_shared_baselines(void **state)
{
    (void)state;
    static const struct {
        const char *file, *opts;
        size_t baselines;
        const char *note;
    } cases[] = {
        {"sweep_shared.ini", "-j 2", 1, ""},
        {"sweep_shared.ini", "-j 2 --set support.staff=1", 2,
         "support.absorb_hours_per_week changes the baseline: 2 baselines"},
        {"sweep_tiny.ini", "-j 3", 2,
         "sales.reps changes the baseline: 2 baselines"},
        {"sweep_scen.ini", "-j 2", 2,
         "sales.reps changes the baseline: 2 baselines"},
        {"sweep_grid3.ini", "-j 2", 4,
         "stage.qualify.advance and "
         "sales.deal_value change the baseline: 4 baselines"},
        {"sweep_zip.ini", "-j 2", 3,
         "sales.reps changes the baseline: 3 baselines"},
        {"sweep_rounds.ini", "-j 2", 1, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char a[32], b[32], opts[256];
        snprintf(a, sizeof a, "shared%zu", i);
        snprintf(b, sizeof b, "separate%zu", i);
        snprintf(opts, sizeof opts, "%s --separate-baselines", cases[i].opts);
        assert_int_equal(sweep(cases[i].file, a, cases[i].opts), 0);
        assert_int_equal(sweep(cases[i].file, b, opts), 0);
        assert_same_csv(a, b);
        /* The note: once, on stderr, naming the key to blame. */
        char *err = slurpf_ext(a, ".err"), want[256] = "";
        if (cases[i].note[0])
            snprintf(want, sizeof want, "salescap: %s\n", cases[i].note);
        assert_string_equal(err, want);
        free(err);
        err = slurpf_ext(b, ".err");
        assert_string_equal(err, "");
        free(err);
    }
    /* How the points are grouped. */
    struct sweep sw;
    struct err e = {0};
    for (size_t i = 0; i < 2; i++) {
        if (sweep_load(&sw, DATA "sweep_shared.ini", &e) != 0 ||
            (i && config_set(&sw.base, "support.staff=1", &e) != 0) ||
            sweep_prepare(&sw, &e) != 0)
            fail_msg("%s", e.msg);
        assert_int_equal(sw.n_baselines, cases[i].baselines);
        for (size_t p = 1; p < sw.n_points; p++)
            assert_int_equal(sw.base_hash[p] == sw.base_hash[0],
                             !i || p % 2 == 0);
        sweep_destroy(&sw);
    }
}

/* --precision: each point stops at the first batch of 20 where its
 * interval is within P of its mean, or at --max-replications; sweep.csv
 * says how many each ran, and does not depend on -j, on shared
 * baselines or on a resume. */
static void test_precision(void **state)
{
    (void)state;
    const char *p = "--precision 10% --max-replications 200";
    char opts[256];
    snprintf(opts, sizeof opts, "%s -j 1", p);
    assert_int_equal(sweep("sweep_tiny.ini", "prec1", opts), 0);
    snprintf(opts, sizeof opts, "%s -j 3", p);
    assert_int_equal(sweep("sweep_tiny.ini", "prec3", opts), 0);
    snprintf(opts, sizeof opts, "%s -j 2 --separate-baselines", p);
    assert_int_equal(sweep("sweep_tiny.ini", "precs", opts), 0);
    assert_same_csv("prec1", "prec3");
    assert_same_csv("prec1", "precs");
    struct csv c = {0};
    struct err e = {0};
    char path[256];
    snprintf(path, sizeof path, "%s/prec1/sweep.csv", tmp);
    if (csv_read(&c, path, &e) != 0)
        fail_msg("%s", e.msg);
    int cm = csv_col(&c, "mean"), cl = csv_col(&c, "ci_low"),
        ch = csv_col(&c, "ci_high"), cr = csv_col(&c, "replications");
    assert_int_equal(cr, (int)c.ncols - 1);
    long seen_cap = 0, seen_less = 0;
    for (size_t r = 0; r < c.nrows; r++) {
        long reps = atol(csv_get(&c, r, cr));
        double mean = atof(csv_get(&c, r, cm));
        double hw = (atof(csv_get(&c, r, ch)) - atof(csv_get(&c, r, cl))) / 2;
        double rel = hw == 0.0 ? 0.0 : hw / fabs(mean);
        assert_true(reps % 20 == 0 && reps >= 20 && reps <= 200);
        if (reps < 200)
            assert_true(rel <= 0.10);
        seen_cap += reps == 200;
        seen_less += reps < 200;
    }
    /* A pull of zero weeks changes nothing: precise after one batch. */
    assert_string_equal(csv_get(&c, 0, cr), "20");
    assert_true(seen_cap > 0 && seen_less > 1);
    csv_destroy(&c);
    char *out = slurpf("prec1.out", NULL);
    assert_non_null(strstr(out, "6 points of 20-200 replications "
                                "(--precision 10%, at most 200; 0 from the "
                                "journal)"));
    free(out);
    char *ini = slurpf("prec1", "sweep.ini");
    assert_non_null(strstr(ini, "\nprecision = 0.10000000000000001\n"
                                "max_replications = 200\n"));
    free(ini);
    /* Resumed with three points kept: the same rows. */
    assert_int_equal(sh("cd '%s/prec3' && head -n 4 sweep.journal >j && "
                        "mv j sweep.journal && rm sweep.csv",
                        tmp),
                     0);
    snprintf(opts, sizeof opts, "%s -j 2 --resume", p);
    assert_int_equal(sweep("sweep_tiny.ini", "prec3", opts), 0);
    assert_same_csv("prec1", "prec3");
    /* Another precision is another sweep; the cap needs --precision. */
    assert_int_equal(sweep("sweep_tiny.ini", "prec3",
                           "--precision 5% --max-replications 200 --resume"),
                     2);
    assert_int_equal(sweep("sweep_tiny.ini", "prec4", "--max-replications 200"),
                     2);
    char *err = slurpf("prec4.err", NULL);
    assert_string_equal(err, "salescap: sweep: --max-replications goes with "
                             "--precision (without it, -n sets the "
                             "replications)\n");
    free(err);
    assert_int_equal(sweep("sweep_tiny.ini", "prec4", "--precision 1.5"), 2);
    err = slurpf("prec4.err", NULL);
    assert_string_equal(err, "salescap: --precision (a fraction below 1: 2% "
                             "or 0.02): invalid value '1.5'\n");
    free(err);
}

/* `salescap sweep ARGS --no-plot` fails with status 2 and stderr want. */
static void merge_refused(const char *args, const char *want)
{
    assert_int_equal(
        sh("'%s' sweep %s --no-plot 2>'%s/refused.err'", bin(), args, tmp), 2);
    char *err = slurpf("refused.err", NULL);
    assert_string_equal(err, want);
    free(err);
}

static void test_shards_merge(void **state)
{
    (void)state;
    assert_int_equal(sweep("sweep_tiny.ini", "whole", "-j 2"), 0);
    for (int k = 1; k <= 3; k++) {
        char opt[32];
        snprintf(opt, sizeof opt, "--shard %d/3 -j 1", k);
        assert_int_equal(sweep("sweep_tiny.ini", "shards", opt), 0);
    }
    char *s2 = slurpf("shards", "shard-2-of-3.csv");
    assert_int_equal(count_lines(s2), 1 + 2);
    assert_int_equal(strncmp(s2, "point,pull.weeks,", 17), 0);
    free(s2);
    assert_int_equal(sh("'%s' sweep --merge '%s/merged' '%s/shards' --no-plot "
                        ">/dev/null",
                        bin(), tmp, tmp),
                     0);
    assert_same_csv("whole", "merged");
    /* Without shard 3, two points are missing. */
    assert_int_equal(sh("rm '%s/shards/shard-3-of-3.csv' && '%s' sweep "
                        "--merge '%s/m2' '%s/shards' --no-plot 2>'%s/m2.err'",
                        tmp, bin(), tmp, tmp, tmp),
                     2);
    char *err = slurpf("m2.err", NULL);
    assert_string_equal(err,
                        "salescap: 2 of 6 points are in no shard file "
                        "(points 2, 5); is a shard missing or unfinished?\n");
    free(err);
    /* The sweep file given as a source, options that change results,
     * an output that is a file: each refused before merging. */
    char args[1024];
    snprintf(args, sizeof args,
             "--merge '%s/m4' " DATA "sweep_tiny.ini "
             "'%s/shards'",
             tmp, tmp);
    merge_refused(args,
                  "salescap: " DATA "sweep_tiny.ini: not a shard "
                  "file (shard-K-of-N.csv) or a folder of them; --merge OUT "
                  "takes the shards' folders, not the sweep file\n");
    snprintf(args, sizeof args, "--merge '%s/m4' '%s/shards' -n 4", tmp, tmp);
    merge_refused(args, "salescap: --merge gathers finished shards: -n has "
                        "no effect on it (give it to the shards' runs)\n");
    snprintf(args, sizeof args, "--merge " DATA "tiny.ini '%s/shards'", tmp);
    merge_refused(args, "salescap: --merge " DATA "tiny.ini: exists and is "
                        "not a folder\n");
    /* Shard 2 run again with another setting rewrites the sweep.ini the
     * shards share: shard 1's journal tells it apart. */
    assert_int_equal(sweep("sweep_tiny.ini", "shards",
                           "--shard 2/3 --set sales.hours_per_week=30"),
                     0);
    assert_int_equal(sh("'%s' sweep --merge '%s/m3' '%s/shards' --no-plot "
                        "2>'%s/m3.err'",
                        bin(), tmp, tmp, tmp),
                     2);
    err = slurpf("m3.err", NULL);
    char want[1024];
    snprintf(want, sizeof want,
             "salescap: %s/shards/shard-1-of-3.csv was "
             "run with other settings than %s/shards/sweep.ini records (the "
             "grid hash in its journal differs): the shards in that folder "
             "come from different sweeps; run them again with the same files "
             "and options\n",
             tmp, tmp);
    assert_string_equal(err, want);
    free(err);
}

/* Starts the binary on sweep_slow.ini; returns its pid. */
static pid_t start_slow(const char *out)
{
    char dir[256], log[300];
    snprintf(dir, sizeof dir, "%s/%s", tmp, out);
    snprintf(log, sizeof log, "%s/%s.err", tmp, out);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int null = open("/dev/null", O_WRONLY);
        dup2(fd, 2);
        dup2(null, 1);
        execl(bin(), bin(), "sweep", DATA "sweep_slow.ini", "-o", dir,
              "--no-plot", "-j", "1", (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Waits until the journal holds a finished point; returns its lines. */
static int wait_journal(const char *out, pid_t pid)
{
    char path[300];
    snprintf(path, sizeof path, "%s/%s/sweep.journal", tmp, out);
    for (int i = 0; i < 60000; i++) {
        char *j = ru_read_file(path, NULL);
        int n = count_lines(j);
        free(j);
        if (n >= 2)
            return n;
        if (waitpid(pid, NULL, WNOHANG) == pid)
            fail_msg("the sweep ended before its journal had a point");
        struct timespec ts = {0, 1000000L};
        nanosleep(&ts, NULL);
    }
    fail_msg("no journal line after a minute");
    return 0;
}

/* Every point of an 8-point journal once, in any order. */
static void assert_points_once(const char *journal, int points)
{
    int seen[64] = {0};
    const char *s = strchr(journal, '\n');
    assert_non_null(s);
    for (s++; *s; s = strchr(s, '\n') + 1) {
        int p = atoi(s);
        assert_true(p >= 0 && p < points);
        seen[p]++;
    }
    for (int p = 0; p < points; p++)
        if (seen[p] != 1)
            fail_msg("point %d is in the journal %d times", p, seen[p]);
}

/* Interrupts a sweep with sig after its first point, then resumes it. */
static void interrupt_and_resume(int sig, const char *out)
{
    pid_t pid = start_slow(out);
    int before = wait_journal(out, pid);
    kill(pid, sig);
    int st = 0;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    char *j = slurpf(out, "sweep.journal");
    int lines = count_lines(j);
    free(j);
    if (lines >= 1 + 8)
        fail_msg("the sweep finished before it was killed; slow it down");
    assert_true(lines >= before);
    if (sig == SIGKILL) {
        assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    } else {
        assert_true(WIFEXITED(st));
        assert_int_equal(WEXITSTATUS(st), 128 + sig);
        char *err = slurpf_ext(out, ".err");
        assert_non_null(strstr(err, "salescap: interrupted by SIGINT: "));
        assert_non_null(strstr(err, "run again with --resume to finish"));
        free(err);
    }
    assert_int_equal(sweep("sweep_slow.ini", out, "-j 2 --resume"), 0);
    char *log = slurpf_ext(out, ".out"), want[64];
    snprintf(want, sizeof want, "(%d from the journal)", lines - 1);
    assert_non_null(strstr(log, want));
    free(log);
    j = slurpf(out, "sweep.journal");
    assert_int_equal(count_lines(j), 1 + 8);
    assert_points_once(j, 8);
    free(j);
    assert_same_csv("straight", out);
}

static void test_resume_after_kill(void **state)
{
    (void)state;
    assert_int_equal(sweep("sweep_slow.ini", "straight", "-j 2"), 0);
    interrupt_and_resume(SIGKILL, "killed");
}

static void test_resume_after_sigint(void **state)
{
    (void)state;
    interrupt_and_resume(SIGINT, "sigint");
}

/* SIGKILL at any moment (before the journal exists, as it starts,
 * part-way, near the end) and --resume: the same sweep.csv, every point
 * in the journal once. A journal cut inside its first line counts as
 * empty. */
static void test_kill_anywhere(void **state)
{
    (void)state;
    static const long delay_ms[] = {0, 3, 15, 60, 200, 450};
    assert_int_equal(sweep("sweep_slow.ini", "straight2", "-j 1"), 0);
    for (size_t i = 0; i < sizeof delay_ms / sizeof delay_ms[0]; i++) {
        char out[32];
        snprintf(out, sizeof out, "anywhere%zu", i);
        pid_t pid = start_slow(out);
        struct timespec ts = {0, delay_ms[i] * 1000000L};
        nanosleep(&ts, NULL);
        kill(pid, SIGKILL);
        assert_int_equal(waitpid(pid, NULL, 0), pid);
        assert_int_equal(sweep("sweep_slow.ini", out, "-j 2 --resume"), 0);
        char *j = slurpf(out, "sweep.journal");
        assert_int_equal(count_lines(j), 1 + 8);
        assert_points_once(j, 8);
        free(j);
        assert_same_csv("straight2", out);
    }
    assert_int_equal(sh("cd '%s/anywhere0' && head -c 20 sweep.journal >j "
                        "&& mv j sweep.journal && rm sweep.csv",
                        tmp),
                     0);
    assert_int_equal(sweep("sweep_slow.ini", "anywhere0", "-j 2 --resume"), 0);
    assert_same_csv("straight2", "anywhere0");
    char *log = slurpf_ext("anywhere0", ".out");
    assert_non_null(strstr(log, "(0 from the journal)"));
    free(log);
}

/* A torn last line (a crash mid-write) is dropped; another sweep's
 * journal is refused. */
static void test_journal_checks(void **state)
{
    (void)state;
    assert_int_equal(sweep("sweep_tiny.ini", "ref", "-j 1"), 0);
    assert_int_equal(sweep("sweep_tiny.ini", "torn", "-j 2"), 0);
    assert_int_equal(sh("cd '%s/torn' && head -n 3 sweep.journal >j && "
                        "printf '4,0123' >>j && mv j sweep.journal",
                        tmp),
                     0);
    assert_int_equal(sweep("sweep_tiny.ini", "torn", "-j 2 --resume"), 0);
    char *j = slurpf("torn", "sweep.journal");
    assert_int_equal(count_lines(j), 1 + 6);
    assert_points_once(j, 6);
    free(j);
    assert_same_csv("ref", "torn");
    /* The same sweep reached by another path resumes: nothing to redo. */
    assert_int_equal(sh("cd " DATA " && '%s' sweep sweep_tiny.ini -o "
                        "'%s/torn' --resume --no-plot >'%s/torn2.out' "
                        "2>/dev/null",
                        bin(), tmp, tmp),
                     0);
    char *out = slurpf("torn2.out", NULL);
    assert_non_null(strstr(out, "(6 from the journal); 0 simulated"));
    free(out);
    assert_int_equal(sweep("sweep_tiny.ini", "torn", "-n 5 --resume"), 2);
    char *err = slurpf("torn.err", NULL);
    assert_non_null(strstr(err, "/torn/sweep.journal:1: the journal is of "
                                "another sweep"));
    free(err);
    /* An edited summary would go into sweep.csv as it is: refused. */
    assert_int_equal(sh("cd '%s/torn' && sed '3s/,[^,]*,\\([^,]*\\)$/,9e999,"
                        "\\1/' sweep.journal >j && mv j sweep.journal",
                        tmp),
                     0);
    assert_int_equal(sweep("sweep_tiny.ini", "torn", "--resume"), 2);
    err = slurpf("torn.err", NULL);
    assert_non_null(strstr(err,
                           "/torn/sweep.journal:3: summary field 11 is "
                           "'9e999', not a number: the journal was edited or "
                           "damaged; remove it or run without --resume"));
    free(err);
}

static void test_progress_on_stderr(void **state)
{
    (void)state;
    assert_int_equal(sweep("sweep_tiny.ini", "prog", "-j 2 --progress"), 0);
    char *out = slurpf("prog.out", NULL), *err = slurpf("prog.err", NULL);
    assert_null(strchr(out, '\r'));
    assert_null(strstr(out, "points,"));
    assert_non_null(strstr(out, "Results: "));
    assert_non_null(strstr(err, "sweep: 6/6 points, "));
    free(out);
    free(err);
    /* Not a terminal and no --progress: at most a line a minute, after
     * the note on baselines, once. */
    assert_int_equal(sweep("sweep_tiny.ini", "quiet", "-j 2"), 0);
    err = slurpf("quiet.err", NULL);
    assert_string_equal(err, "salescap: sales.reps changes the baseline: 2 "
                             "baselines\n");
    free(err);
}

/* Charts: the kind follows the grid; a missing gnuplot is a warning
 * unless charts were asked for. */
static void test_charts(void **state)
{
    (void)state;
    if (sh("command -v gnuplot >/dev/null") != 0)
        skip();
    static const struct {
        const char *file, *want;
    } kinds[] = {
        {"sweep_tiny.ini", "with boxxyerror fs solid 1.0 border"},
        {"sweep_grid3.ini", "set multiplot"},
        {"sweep_zip.ini", "$tornado << EOD"},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        assert_int_equal(sh("'%s' sweep " DATA "%s -q -j 2 -o '%s/c%zu' "
                            "--plots '%s/p%zu' --format svg",
                            bin(), kinds[i].file, tmp, i, tmp, i),
                         0);
        char dir[32];
        snprintf(dir, sizeof dir, "p%zu", i);
        char *gp = slurpf(dir, "sweep.gp"), *svg = slurpf(dir, "sweep.svg");
        assert_non_null(strstr(gp, kinds[i].want));
        assert_non_null(strstr(svg, "</svg>"));
        free(gp);
        free(svg);
    }
    /* The manifest: a redraw removes a chart of an earlier sweep that
     * drew more pages (listed) and keeps the user's own file (not), and
     * a run's chart in the same folder (the run's own manifest). */
    char *list = slurpf("p0", ".salescap-sweep-charts");
    assert_string_equal(list, "sweep.gp\nsweep.svg\n");
    free(list);
    assert_int_equal(sh("cd '%s/p0' && printf 'sweep_2.svg\\n' "
                        ">>.salescap-sweep-charts && touch sweep_2.svg "
                        "mine.svg revenue.svg && printf 'revenue.svg\\n' "
                        ">.salescap-charts",
                        tmp),
                     0);
    assert_int_equal(sh("'%s' plot '%s/c0' --plots '%s/p0' --format svg -q",
                        bin(), tmp, tmp),
                     0);
    assert_int_equal(sh("test ! -e '%s/p0/sweep_2.svg' && test -e "
                        "'%s/p0/mine.svg' && test -s '%s/p0/sweep.svg' && "
                        "test -e '%s/p0/revenue.svg'",
                        tmp, tmp, tmp, tmp),
                     0);
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    /* Default folders (plots/sweep_tiny/), so inside TMP. */
    assert_int_equal(sh("cd '%s' && SALESCAP_GNUPLOT=/nonexistent '%s' sweep "
                        "'%s/" DATA "sweep_tiny.ini' -q 2>p9.err",
                        tmp, bin(), cwd),
                     0);
    char *err = slurpf("p9.err", NULL);
    assert_non_null(strstr(err, "salescap: warning: gnuplot not found"));
    free(err);
    assert_int_equal(sh("SALESCAP_GNUPLOT=/nonexistent '%s' sweep " DATA
                        "sweep_tiny.ini -q -o '%s/c9' --format png "
                        "--plots '%s/p9' 2>/dev/null",
                        bin(), tmp, tmp),
                     1);
}

/* A sweep larger than the printed table: the ten highest and lowest
 * means instead, as in sweep.csv; a heatmap too dense for numbers in
 * its cells draws colours alone, with every other tick label. */
static void test_large_sweep(void **state)
{
    (void)state;
    int plot = sh("command -v gnuplot >/dev/null") == 0;
    char opts[256];
    snprintf(opts, sizeof opts, "-j 2 --plots '%s/widep' --format svg%s", tmp,
             plot ? "" : " --no-plot");
    assert_int_equal(sh("'%s' sweep " DATA "sweep_wide.ini -o '%s/wide' %s "
                        ">'%s/wide.out' 2>/dev/null",
                        bin(), tmp, opts, tmp),
                     0);
    char *out = slurpf("wide.out", NULL);
    assert_non_null(strstr(out, "The 10 highest means of 259 points:\n"
                                "pull.ops_efficiency  pull.weeks     mean"));
    assert_non_null(strstr(out, "\n\nThe 10 lowest means of 259 points:"));
    /* The whole table is in its file, and the output says where. */
    char line[300];
    snprintf(line, sizeof line,
             "The whole table, 259 rows: %s/wide/"
             "sweep_table.txt\n",
             tmp);
    assert_non_null(strstr(out, line));
    char *table = slurpf("wide", "sweep_table.txt");
    assert_int_equal(count_lines(table), 260);
    assert_non_null(strstr(table, "pull.ops_efficiency  pull.weeks"));
    free(table);
    /* The highest mean is the largest of sweep.csv's, with its keys. */
    struct csv c = {0};
    struct err e = {0};
    char path[256], want[256], money[64];
    snprintf(path, sizeof path, "%s/wide/sweep.csv", tmp);
    if (csv_read(&c, path, &e) != 0)
        fail_msg("%s", e.msg);
    size_t best = 0;
    int cm = csv_col(&c, "mean");
    for (size_t r = 1; r < c.nrows; r++)
        if (atof(csv_get(&c, r, cm)) > atof(csv_get(&c, best, cm)))
            best = r;
    output_money(money, sizeof money, atof(csv_get(&c, best, cm)));
    snprintf(want, sizeof want, "%19s  %10s  %7s", csv_get(&c, best, 0),
             csv_get(&c, best, 1), money);
    char *first = strchr(strchr(out, '\n') + 1, '\n') + 1;
    assert_int_equal(strncmp(first, want, strlen(want)), 0);
    csv_destroy(&c);
    free(out);
    if (!plot)
        return;
    char *gp = slurpf("widep", "sweep.gp");
    assert_null(strstr(gp, "with labels"));
    assert_non_null(strstr(gp, "set xtics ('0.1' 0, '0.15' 2, '0.2' 4,"));
    assert_non_null(strstr(gp, "set ytics ('0' 0, '1' 1, '2' 2,"));
    free(gp);
}

/* The whole table: on standard output when it fits a screen (40
 * points when it is not a terminal; a terminal's height less three
 * lines), always in sweep_table.txt, named when not printed; -q prints
 * nothing and still writes the file. */
static void test_table(void **state)
{
    (void)state;
    assert_int_equal(sweep("sweep_tiny.ini", "tab", "-j 2"), 0);
    char *out = slurpf_ext("tab", ".out");
    char *table = slurpf("tab", "sweep_table.txt");
    assert_int_equal(count_lines(table), 7);
    assert_int_equal(strncmp(out, table, strlen(table)), 0);
    assert_null(strstr(out, "The whole table"));
    free(out);
    free(table);
    assert_int_equal(sh("rm '%s/tab/sweep_table.txt'", tmp), 0);
    assert_int_equal(sweep("sweep_tiny.ini", "tab", "-j 2 -q"), 0);
    out = slurpf_ext("tab", ".out");
    assert_string_equal(out, "");
    free(out);
    table = slurpf("tab", "sweep_table.txt");
    assert_int_equal(count_lines(table), 7);
    free(table);
    /* A terminal 8 lines high has room for 5: the file is named. */
    if (sh("command -v script >/dev/null") != 0)
        return;
    assert_int_equal(sh("script -qec \"stty rows 8 cols 120; '%s' sweep " DATA
                        "sweep_tiny.ini -o '%s/tty' --no-plot -j 2 "
                        "--no-progress\" /dev/null >'%s/tty.out' 2>&1",
                        bin(), tmp, tmp),
                     0);
    out = slurpf_ext("tty", ".out");
    char line[300];
    snprintf(line, sizeof line,
             "The whole table, 6 rows: %s/tty/"
             "sweep_table.txt",
             tmp);
    if (!strstr(out, line))
        fail_msg("in a terminal of 8 lines:\n%s", out);
    free(out);
}

/* The heatmap dots the cells whose 95 % interval excludes zero, and
 * only those: here every pull of 1 or 2 weeks loses revenue, and a pull
 * of 0 weeks is the baseline itself (an interval of zero width). */
static void test_heat_marks(void **state)
{
    (void)state;
    if (sh("command -v gnuplot >/dev/null") != 0)
        skip();
    assert_int_equal(sh("'%s' sweep " DATA "sweep_tiny.ini -q -j 2 -o "
                        "'%s/marks' --plots '%s/marksp' --format svg",
                        bin(), tmp, tmp),
                     0);
    char *gp = slurpf("marksp", "sweep.gp");
    char *sig = strstr(gp, "$sig0 << EOD\n");
    assert_non_null(sig);
    assert_non_null(strstr(gp, "dot: the 95% interval excludes zero"));
    struct csv c = {0};
    struct err e = {0};
    char path[256], want[256] = "";
    snprintf(path, sizeof path, "%s/marks/sweep.csv", tmp);
    if (csv_read(&c, path, &e) != 0)
        fail_msg("%s", e.msg);
    int lo = csv_col(&c, "ci_low"), hi = csv_col(&c, "ci_high"), marked = 0;
    for (size_t r = 0; r < c.nrows; r++) {
        double l = atof(csv_get(&c, r, lo)), h = atof(csv_get(&c, r, hi));
        int weeks = atoi(csv_get(&c, r, 0));
        int reps = atoi(csv_get(&c, r, 1));
        assert_int_equal(l > 0.0 || h<0.0, weeks> 0);
        if (l > 0.0 || h < 0.0) {
            snprintf(want + strlen(want), sizeof want - strlen(want), "%d %d\n",
                     weeks, reps == 8);
            marked++;
        }
    }
    csv_destroy(&c);
    assert_int_equal(marked, 4);
    sig = strchr(strchr(sig, '\n') + 1, '\n') + 1; /* past the comment */
    assert_int_equal(strncmp(sig, want, strlen(want)), 0);
    assert_int_equal(strncmp(sig + strlen(want), "EOD\n", 4), 0);
    free(gp);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_values),
        cmocka_unit_test(test_value_errors),
        cmocka_unit_test(test_grid_order),
        cmocka_unit_test(test_zip),
        cmocka_unit_test(test_scenario_key),
        cmocka_unit_test(test_bad_files),
        cmocka_unit_test(test_big_seeds),
        cmocka_unit_test(test_bad_file_exit),
        cmocka_unit_test(test_jobs_identical),
        cmocka_unit_test(test_shared_baselines),
        cmocka_unit_test(test_precision),
        cmocka_unit_test(test_shards_merge),
        cmocka_unit_test(test_resume_after_kill),
        cmocka_unit_test(test_resume_after_sigint),
        cmocka_unit_test(test_kill_anywhere),
        cmocka_unit_test(test_journal_checks),
        cmocka_unit_test(test_progress_on_stderr),
        cmocka_unit_test(test_charts),
        cmocka_unit_test(test_large_sweep),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_heat_marks),
    };
    return cmocka_run_group_tests_name("sweep", tests, setup, teardown);
}
