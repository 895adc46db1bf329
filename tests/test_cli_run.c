/*
 * End-to-end tests of `salescap run` and `salescap trace` through the
 * binary ($SALESCAP): the files a run writes, that they do not depend on
 * the thread count, that run.ini reproduces the run, that --precision
 * equals a fixed run of the same size, that one replication writes no
 * nan, the errors users meet, and golden CSVs of a tiny fixed-seed file
 * (regenerate with SALESCAP_REGEN_GOLDEN=1 after a deliberate change).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include "util.h"

#define TINY   "tests/data/tiny.ini"
#define GOLDEN "tests/golden/tiny/"

static const char *const csvs[] = {"weekly.csv", "quarterly.csv",
                                   "comparison.csv", "scenarios.csv"};

/* Runs "$SALESCAP ARGS" with stdout and stderr captured; returns the exit
 * status. out/err may be NULL. */
static int sc(char **out, char **err, const char *fmt, ...)
{
    const char *bin = getenv("SALESCAP");
    if (!bin)
        skip();
    char args[2048], cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    snprintf(cmd, sizeof cmd,
             "'%s' %s >/tmp/sc_out.$$ 2>/tmp/sc_err.$$; "
             "rc=$?; cat /tmp/sc_out.$$; echo '\x1f'; cat /tmp/sc_err.$$; "
             "rm -f /tmp/sc_out.$$ /tmp/sc_err.$$; exit $rc",
             bin, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = open_memstream(&buf, &len);
    int c;
    while ((c = getc(p)) != EOF)
        putc(c, m);
    fclose(m);
    int st = pclose(p);
    char *sep = strstr(buf, "\x1f\n");
    assert_non_null(sep);
    *sep = '\0';
    if (out)
        *out = strdup(buf);
    if (err)
        *err = strdup(sep + 2);
    free(buf);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128;
}

static void assert_same_csvs(const char *a, const char *b)
{
    for (size_t i = 0; i < sizeof csvs / sizeof csvs[0]; i++) {
        char *x = ru_slurp(a, csvs[i]), *y = ru_slurp(b, csvs[i]);
        if (strcmp(x, y) != 0)
            fail_msg("%s differs between %s and %s", csvs[i], a, b);
        free(x);
        free(y);
    }
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A lever that saves money (a layoff) says so in its headline: "...
 * of revenue, saving $X of cost: net ...". */
static void test_headline_saving(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("saving"), *out;
    assert_int_equal(sc(&out, NULL,
                        "run " TINY " --no-plot -q -n 4 -o '%s' "
                        "--set scenario.cut.reduce.count=2 "
                        "--set scenario.cut.reduce.week=4",
                        d),
                     0);
    free(out);
    char *s = ru_slurp(d, "summary.txt");
    const char *h = strstr(s, "Headline: cut costs ");
    assert_non_null(h);
    assert_non_null(strstr(h, " of revenue, saving $"));
    assert_non_null(strstr(h, " of cost: net "));
    free(s);
    ru_rm_rf(d);
}

static void test_files_and_headers(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("run"), *out;
    assert_int_equal(sc(&out, NULL, "run " TINY " --no-plot -o '%s'", d), 0);
    assert_non_null(strstr(out, "Headline: Pull all reps for two weeks: "
                                "pulling all 8 reps"));
    assert_non_null(strstr(out, "makes no difference to revenue"));
    free(out);
    const char *head[] = {
        "scenario,week,metric,mean,sd,ci_low,ci_high,n,team\n",
        "scenario,quarter,metric,mean,sd,ci_low,ci_high,n,team\n",
        "scenario,quarter,metric,baseline_mean,scenario_mean,delta_mean,"
        "delta_ci_low,delta_ci_high,n,team\n",
        "scenario,title,start_week,end_week,label,chart,acts_from_week\n"};
    for (int i = 0; i < 4; i++) {
        char *s = ru_slurp(d, csvs[i]);
        assert_true(starts_with(s, head[i]));
        assert_null(strstr(s, "nan"));
        assert_null(strstr(s, "inf"));
        free(s);
    }
    char *s = ru_slurp(d, "comparison.csv");
    assert_non_null(strstr(s, "\npull,total,lost_revenue,"));
    assert_non_null(strstr(s, "\npull,2,lost_revenue_cumulative,"));
    free(s);
    s = ru_slurp(d, "scenarios.csv");
    assert_non_null(strstr(s, "pull,Pull all reps for two weeks,4,5,,yes,4\n"));
    assert_non_null(strstr(s, "zero,A pull of zero weeks,,,,yes,\n"));
    free(s);
    free(ru_slurp(d, "summary.txt"));
    free(ru_slurp(d, "run.ini"));
    ru_rm_rf(d);
}

/* Same CSVs with 1 or 2 threads, and re-running run.ini reproduces them. */
static void test_threads_and_run_ini(void **state)
{
    (void)state;
    char *a = ru_tmp_dir("run"), *b = ru_tmp_dir("run"), *c = ru_tmp_dir("run");
    assert_int_equal(
        sc(NULL, NULL, "run " TINY " -q --no-plot -j 1 -o '%s'", a), 0);
    assert_int_equal(
        sc(NULL, NULL, "run " TINY " -q --no-plot -j 2 -o '%s'", b), 0);
    assert_same_csvs(a, b);
    assert_int_equal(
        sc(NULL, NULL, "run '%s/run.ini' -q --no-plot -o '%s'", a, c), 0);
    assert_same_csvs(a, c);
    ru_rm_rf(a);
    ru_rm_rf(b);
    ru_rm_rf(c);
}

/* --precision stops at a multiple of its batch and equals a fixed run of
 * that many replications. */
static void test_precision(void **state)
{
    (void)state;
    char *a = ru_tmp_dir("run"), *b = ru_tmp_dir("run"), *out;
    assert_int_equal(sc(&out, NULL,
                        "run " TINY " --no-plot --precision 30%% "
                        "--set scenario.zero.pull.weeks=1 -o '%s'",
                        a),
                     0);
    long n = 0;
    char *at = strstr(out, "salescap: ");
    assert_non_null(at);
    assert_int_equal(sscanf(at, "salescap: %ld replications", &n), 1);
    assert_true(n >= 20 && n % 20 == 0);
    assert_non_null(strstr(out, "\nPrecision: asked for intervals within "
                                "±30 % of the means of total lost revenue; "
                                "the widest is ±"));
    free(out);
    /* A target the cap does not let it reach: said on stderr and in the
     * summary, status 0. */
    char *err = NULL;
    assert_int_equal(sc(&out, &err,
                        "run " TINY " --no-plot --precision 1%% "
                        "--max-replications 20 -o '%s'",
                        b),
                     0);
    assert_non_null(strstr(err, "salescap: warning: --precision 1% not "
                                "reached in 20 replications (the cap, "
                                "--max-replications); see summary.txt\n"));
    assert_non_null(strstr(out, "; not reached at the cap "
                                "(--max-replications): the widest is ±"));
    free(out);
    free(err);
    /* Without scenarios there is nothing to measure: said so. */
    assert_int_equal(sc(&out, NULL,
                        "run tests/data/one_stage.ini --no-plot "
                        "--precision 2%% -o '%s'",
                        b),
                     0);
    assert_non_null(strstr(out, "\nPrecision: a file without scenarios has "
                                "no lost revenue to measure: one batch of "
                                "replications was run\n"));
    free(out);
    assert_int_equal(sc(NULL, NULL,
                        "run " TINY " -q --no-plot -n %ld "
                        "--set scenario.zero.pull.weeks=1 -o '%s'",
                        n, b),
                     0);
    assert_same_csvs(a, b);
    ru_rm_rf(a);
    ru_rm_rf(b);
}

/* One replication: no interval, so empty fields, never nan. */
static void test_one_replication(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("run"), *out;
    assert_int_equal(sc(&out, NULL, "run " TINY " --no-plot -n 1 -o '%s'", d),
                     0);
    assert_non_null(strstr(out, "(no CI: n=1)"));
    /* The headlines claim no interval and count one replication. */
    assert_non_null(strstr(out, " of revenue over quarters 1-2 (one "
                                "replication: no interval)"));
    assert_non_null(strstr(out, "from week 4 makes no difference to "
                                "revenue in its one replication.\n"));
    assert_null(strstr(out, "95 %"));
    free(out);
    /* A pull of more reps than the team says so. */
    assert_int_equal(sc(&out, NULL,
                        "run " TINY " --no-plot -n 1 -o '%s' "
                        "--set scenario.pull.pull.reps=20",
                        d),
                     0);
    assert_non_null(strstr(out, "pulling 20 reps (of a team of 8) into ops"));
    free(out);
    /* One quarter reported: "quarter 1", not "quarters 1-1". */
    assert_int_equal(sc(&out, NULL,
                        "run " TINY " --no-plot -n 1 -o '%s' "
                        "--set simulation.horizon_weeks=13",
                        d),
                     0);
    assert_non_null(strstr(out, " of revenue over quarter 1 (one "
                                "replication: no interval)"));
    free(out);
    char *s = ru_slurp(d, "weekly.csv");
    assert_null(strstr(s, "nan"));
    assert_non_null(strstr(s, "\nbaseline,0,revenue,"));
    assert_non_null(strstr(s, ",,,1,all\n"));
    free(s);
    ru_rm_rf(d);
}

static void test_errors(void **state)
{
    (void)state;
    char *err;
    assert_int_equal(sc(NULL, &err, "run tests/data/no_such.ini"), 2);
    assert_non_null(strstr(err, "no_such.ini"));
    free(err);
    assert_int_equal(sc(NULL, &err, "run " TINY " --jobs zero"), 2);
    assert_string_equal(err,
                        "salescap: --jobs (1 to 4096): invalid value 'zero'\n");
    free(err);
    assert_int_equal(sc(NULL, &err, "run " TINY " --precision 150%%"), 2);
    free(err);
    assert_int_equal(sc(NULL, &err, "run"), 2);
    free(err);
    assert_int_equal(sc(NULL, &err, "run " TINY " --set sales.reps=ten"), 2);
    assert_string_equal(err, "salescap: --set: [sales] reps: expected a "
                             "whole number, got 'ten'\n");
    free(err);
    assert_int_equal(sc(NULL, &err, "run " TINY " --set sales.reps 10"), 2);
    assert_string_equal(err,
                        "salescap: --set 'sales.reps': expected "
                        "SECTION.KEY=VALUE as one argument (quote it if the "
                        "value holds blanks)\n");
    free(err);
    assert_int_equal(sc(NULL, &err, "run " TINY " --scenario pull"), 2);
    assert_string_equal(err, "salescap: run: --scenario and --replication "
                             "belong to 'salescap trace'\n");
    free(err);
    assert_int_equal(sc(NULL, &err, "frobnicate"), 2);
    free(err);
    /* Options: one format for every command, with the likely option. */
    static const char *const opts[][2] = {
        {"run " TINY " --output x",
         "salescap: run: unknown option "
         "'--output'; did you mean '--out'? (see 'salescap help run')\n"},
        {"run " TINY " --noplot",
         "salescap: run: unknown option '--noplot'; "
         "did you mean '--no-plot'? (see 'salescap help run')\n"},
        {"run " TINY " -n", "salescap: run: option '-n' needs a value (see "
                            "'salescap help run')\n"},
        {"run " TINY " --no-plot=1",
         "salescap: run: option '--no-plot' "
         "takes no value (see 'salescap help run')\n"},
        {"run --no-plot -xq " TINY, "salescap: run: unknown option '-x' "
                                    "(see 'salescap help run')\n"},
        {"run " TINY " --rep 3",
         "salescap: run: option '--rep' is "
         "ambiguous: --replications, --report, --replication (see "
         "'salescap help run')\n"},
        {"trace " TINY " --scenaro pull",
         "salescap: trace: unknown option "
         "'--scenaro'; did you mean '--scenario'? (see 'salescap help "
         "trace')\n"},
        {"check " TINY " -j 3", "salescap: check: unknown option '-j' (see "
                                "'salescap help check')\n"},
        {"sweep x.ini --shard", "salescap: sweep: option '--shard' needs a "
                                "value (see 'salescap help sweep')\n"},
        {"plot tests/data -o x", "salescap: plot: unknown option '-o' (see "
                                 "'salescap help plot')\n"},
        {"plot tests/data",
         "salescap: plot: tests/data: not the results "
         "folder of a run (no weekly.csv), of a sweep (no sweep.csv) or of "
         "a sensitivity analysis (no sensitivity.csv)\n"},
        {"plot " TINY, "salescap: plot: " TINY ": not a folder; give the "
                       "results folder of a run or a sweep (results/NAME)\n"},
        {"check --keys " TINY,
         "salescap: check --keys prints every key "
         "and takes no file or --set; to check a file, leave out --keys\n"},
        /* A forgotten value, or a long option with one dash. */
        {"run " TINY " -o --no-plot",
         "salescap: -o needs a value; the next "
         "argument, '--no-plot', is an option (write ./--no-plot for a file "
         "or folder of that name)\n"},
        {"plot tests/golden/tiny --plots -q",
         "salescap: --plots needs a "
         "value; the next argument, '-q', is an option (write ./-q for a "
         "file or folder of that name)\n"},
        {"sweep --merge --no-plot x",
         "salescap: --merge needs a value; the "
         "next argument, '--no-plot', is an option (write ./--no-plot for a "
         "file or folder of that name)\n"},
        {"run " TINY " -no-plot",
         "salescap: -no-plot: did you mean "
         "--no-plot? (a long option takes two dashes)\n"},
        /* Paths that cannot be written, before any work. */
        {"trace " TINY " -o /nonexistent/x.csv",
         "salescap: -o "
         "/nonexistent/x.csv: cannot create it: /nonexistent: No such file "
         "or directory\n"},
        {"trace " TINY " -o tests", "salescap: -o tests: is a folder; give "
                                    "a file name\n"},
        {"trace " TINY " -o " TINY "/t.csv",
         "salescap: -o " TINY "/t.csv: "
         "cannot create it: " TINY " is not a folder\n"},
        {"plot tests/golden/tiny --plots " TINY,
         "salescap: --plots " TINY ": exists and is not a folder\n"},
    };
    for (size_t i = 0; i < sizeof opts / sizeof opts[0]; i++) {
        assert_int_equal(sc(NULL, &err, "%s", opts[i][0]), 2);
        assert_string_equal(err, opts[i][1]);
        free(err);
    }
    /* Output folders that cannot be written are refused before the
     * simulation (which -n 100000000 would make last for days), and
     * nothing is created. */
    static const char *const dirs[][2] = {
        {"-o " TINY, "salescap: -o " TINY ": exists and is not a folder\n"},
        {"-o " TINY "/sub/out", "salescap: -o " TINY "/sub/out: cannot "
                                "create it: " TINY " is not a folder\n"},
        {"-o ''", "salescap: -o '': an empty folder name\n"},
        {"-o " TINY "/", "salescap: -o " TINY "/: cannot create it: " TINY
                         " is not a folder\n"},
        {"-o " TINY "//x", "salescap: -o " TINY "//x: cannot create it: " TINY
                           " is not a folder\n"},
        {"-o /tmp --plots " TINY, "salescap: --plots " TINY ": exists and "
                                  "is not a folder\n"},
    };
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++) {
        assert_int_equal(
            sc(NULL, &err, "run " TINY " -n 100000000 %s", dirs[i][0]), 2);
        assert_string_equal(err, dirs[i][1]);
        free(err);
    }
    /* No output replaces an input: a scenario file named run.ini run
     * into its own folder, a trace written over its model's include. */
    char *d = ru_tmp_dir("run"), want[1024];
    assert_int_equal(sc(NULL, NULL, "run " TINY " -n 2 --no-plot -o %s", d), 0);
    assert_int_equal(sc(NULL, &err, "run %s/run.ini -n 2 -o %s", d, d), 2);
    snprintf(want, sizeof want,
             "salescap: -o %s: the run would replace "
             "%s/run.ini, which it reads; write the results into another "
             "folder\n",
             d, d);
    assert_string_equal(err, want);
    free(err);
    /* Restored before any check, should the refusal fail. */
    char save[600], restore[1400];
    snprintf(save, sizeof save, "cp scenarios/model.ini %s/model.ini", d);
    snprintf(restore, sizeof restore,
             "cmp -s scenarios/model.ini "
             "%s/model.ini || cp %s/model.ini scenarios/model.ini",
             d, d);
    assert_int_equal(system(save), 0);
    int rc = sc(NULL, &err,
                "trace " TINY " -o "
                "tests/data/../../scenarios/model.ini");
    assert_int_equal(system(restore), 0);
    assert_int_equal(rc, 2);
    assert_string_equal(err, "salescap: -o tests/data/../../scenarios/"
                             "model.ini: the trace would replace tests/data/"
                             "../../scenarios/model.ini, which it reads\n");
    free(err);
    ru_rm_rf(d);
}

/* The warm-up check: a run that starts empty settles late (warning with
 * the warm-up MSER-5 found) while its revenue trends all along (a note);
 * the flagship, whose incident is cut from the series, says nothing. */
static void test_warmup_check(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("run"), *err = NULL;
    assert_int_equal(sc(NULL, &err,
                        "run scenarios/model.ini -n 40 --set "
                        "clients.initial=0 --set "
                        "simulation.warmup_weeks=1 --no-plot "
                        "-o %s/a",
                        d),
                     0);
    if (!strstr(err, "salescap: warning: MSER-5 on the baseline's weekly "
                     "ops backlog suggests a warm-up of 20 weeks; "
                     "[simulation] warmup_weeks is 1\n") ||
        !strstr(err, "salescap: note: the baseline's weekly revenue trends "
                     "through the first 118 weeks (MSER-5 finds no settled "
                     "state); "))
        fail_msg("stderr: %s", err);
    free(err);
    /* -q keeps the warning, not the note. */
    assert_int_equal(sc(NULL, &err,
                        "run scenarios/model.ini -n 40 --set "
                        "clients.initial=0 --set "
                        "simulation.warmup_weeks=1 --no-plot "
                        "-q -o %s/a",
                        d),
                     0);
    assert_non_null(strstr(err, "salescap: warning: MSER-5"));
    assert_null(strstr(err, "note:"));
    free(err);
    assert_int_equal(sc(NULL, &err,
                        "run scenarios/pull_two_weeks.ini -n 40 "
                        "--no-plot -q -o %s/b",
                        d),
                     0);
    assert_string_equal(err, "");
    free(err);
    ru_rm_rf(d);
}

static void test_trace(void **state)
{
    (void)state;
    char *out, *err;
    assert_int_equal(sc(&out, NULL,
                        "trace " TINY " --scenario pull "
                        "--replication 2"),
                     0);
    assert_true(starts_with(out, "time,week,event,entity,details\n"));
    assert_non_null(strstr(out, ",won,"));
    assert_non_null(strstr(out, ",pull_start,"));
    free(out);
    assert_int_equal(sc(NULL, &err, "trace " TINY " --scenario nope"), 2);
    assert_string_equal(err, "salescap: trace: " TINY " has no scenario "
                             "'nope'; it has: baseline, pull, zero\n");
    free(err);
    /* Options of run that trace has no use for are refused. */
    assert_int_equal(sc(NULL, &err, "trace " TINY " --precision 2%%"), 2);
    assert_string_equal(err, "salescap: trace: --precision belongs to "
                             "'salescap run' (see 'salescap help trace')\n");
    free(err);
    assert_int_equal(sc(NULL, &err, "run " TINY " --max-replications 30"), 2);
    assert_string_equal(err, "salescap: run: --max-replications goes with "
                             "--precision (without it, -n sets the "
                             "replications)\n");
    free(err);
}

/* Golden CSVs: any change to the model's numbers shows up here. */
static void test_golden(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("run");
    assert_int_equal(sc(NULL, NULL, "run " TINY " -q --no-plot -o '%s'", d), 0);
    if (getenv("SALESCAP_REGEN_GOLDEN")) {
        char cmd[1024];
        snprintf(
            cmd, sizeof cmd,
            "mkdir -p " GOLDEN " && cp '%s'/weekly.csv "
            "'%s'/quarterly.csv '%s'/comparison.csv '%s'/scenarios.csv " GOLDEN,
            d, d, d, d);
        assert_int_equal(system(cmd), 0);
    }
    assert_same_csvs(d, GOLDEN);
    ru_rm_rf(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_and_headers),
        cmocka_unit_test(test_headline_saving),
        cmocka_unit_test(test_threads_and_run_ini),
        cmocka_unit_test(test_precision),
        cmocka_unit_test(test_one_replication),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_warmup_check),
        cmocka_unit_test(test_trace),
        cmocka_unit_test(test_golden),
    };
    return cmocka_run_group_tests_name("cli_run", tests, NULL, NULL);
}
