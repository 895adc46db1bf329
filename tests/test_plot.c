/*
 * test_plot: the CSV reader, the run-folder loader, number formatting,
 * the gnuplot pipe and its failures, the charts against golden SVGs, and
 * `salescap plot` end to end (the binary in $SALESCAP); which scenarios
 * are shown (chart = no, --only, --exclude), weeks counted from 0 in
 * charts and headlines alike, gains drawn upward, the paired weekly
 * differences, and dated runs.
 *
 * Golden references live in tests/golden/; after a deliberate change to
 * the charts, regenerate them with `make golden` (which runs this program
 * with SALESCAP_REGEN_GOLDEN=1) and look at them before committing.
 * Tests run from the repository root, as `make test-run` does.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../sim/plot_int.h"
#include "afile.h"
#include "csvread.h"
#include "plot.h"
#include "report.h"
#include "rundata.h"
#include "util.h"

#define FIXTURE "tests/data/run_fixture"
#define GOLDEN  "tests/golden"

/* The charts the fixture gives (baseline + 2 scenarios, ranked). */
static const char *const fixture_charts[] = {
    "revenue",
    "revenue_difference",
    "lost_revenue",
    "backlog",
    "pipeline",
    "rep_hours",
    "impact",
    "ranking",
    "dashboard_pull_two_weeks",
    "dashboard_hire_ops",
};
#define NFIXTURE (sizeof fixture_charts / sizeof fixture_charts[0])

/* ---- helpers ---- */

static void write_text(const char *dir, const char *name, const char *text)
{
    char *p = rundata_path(dir, name);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    free(p);
}

static char *read_text(const char *dir, const char *name, size_t *len)
{
    char *p = rundata_path(dir, name);
    char *t = csv_slurp(p, len, NULL);
    free(p);
    return t;
}

static int file_exists(const char *dir, const char *name)
{
    char *p = rundata_path(dir, name);
    int ok = access(p, F_OK) == 0;
    free(p);
    return ok;
}

/* Counts files in dir whose names end in suffix. */
static int count_suffix(const char *dir, const char *suffix)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "ls '%s' | grep -c '%s$'", dir, suffix);
    FILE *p = popen(cmd, "r");
    int n = -1;
    assert_non_null(p);
    if (fscanf(p, "%d", &n) != 1)
        n = -1;
    pclose(p);
    return n;
}

/* ---- csvread ---- */

static void test_csv_quoting(void **state)
{
    (void)state;
    static const char text[] = "a,b,c\r\n"
                               "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
                               "\r\n"
                               "2,\"two\nlines\",\n"
                               ",,last";
    struct csv c;
    struct err e = {0};
    assert_int_equal(csv_parse(&c, text, sizeof text - 1, "t.csv", &e), 0);
    assert_int_equal(c.ncols, 3);
    assert_int_equal(c.nrows, 3);
    assert_string_equal(csv_get(&c, 0, 1), "x, y");
    assert_string_equal(csv_get(&c, 0, 2), "say \"hi\"");
    assert_string_equal(csv_get(&c, 1, 1), "two\nlines");
    assert_string_equal(csv_get(&c, 1, 2), "");
    assert_string_equal(csv_get(&c, 2, 2), "last");
    assert_int_equal(c.lines[0], 2);
    assert_int_equal(c.lines[1], 4);
    assert_int_equal(c.lines[2], 6);
    assert_int_equal(csv_col(&c, "c"), 2);
    assert_int_equal(csv_col(&c, "zz"), -1);
    assert_string_equal(csv_get(&c, 0, -1), "");
    csv_destroy(&c);
    csv_destroy(&c);
    static const char bom[] = "\xEF\xBB\xBFscenario,week\nbaseline,0";
    assert_int_equal(csv_parse(&c, bom, sizeof bom - 1, "b.csv", &e), 0);
    assert_int_equal(csv_col(&c, "scenario"), 0);
    assert_string_equal(csv_get(&c, 0, 1), "0");
    csv_destroy(&c);
}

static void expect_csv_error(const char *text, const char *msg)
{
    struct csv c;
    struct err e = {0};
    assert_int_equal(csv_parse(&c, text, strlen(text), "t.csv", &e), -1);
    assert_int_equal(e.kind, ERR_CONFIG);
    assert_string_equal(e.msg, msg);
    assert_null(c.cells);
}

static void test_csv_errors(void **state)
{
    (void)state;
    expect_csv_error("a,b\n1,\"open\n", "t.csv:2: unterminated quoted field");
    expect_csv_error("a,b\n1,2\n3\n",
                     "t.csv:3: 1 fields, expected 2 as in the header");
    expect_csv_error("a,b\n1,x\"y\n",
                     "t.csv:2: quote inside an unquoted field");
    expect_csv_error("a,b\n\"q\"x,2\n",
                     "t.csv:2: unexpected character after a closing quote");
    expect_csv_error("\n\n", "t.csv: empty file, expected a header");
    struct csv c;
    struct err e = {0};
    assert_int_equal(csv_read(&c, "/nonexistent/x.csv", &e), -1);
    assert_int_equal(e.kind, ERR_RUNTIME);
    assert_non_null(strstr(e.msg, "/nonexistent/x.csv: cannot open"));
}

/* ---- rundata ---- */

static void test_rundata_fixture(void **state)
{
    (void)state;
    struct rundata rd;
    struct err e = {0};
    assert_int_equal(rundata_load(&rd, FIXTURE, &e), 0);
    assert_int_equal(rd.nscen, 3);
    assert_string_equal(rd.scen[0].id, "baseline");
    assert_string_equal(rd.scen[0].title, "Baseline");
    assert_string_equal(rd.scen[2].title, "Hire two ops staff, \"plan B\"");
    assert_int_equal(rd.scen[0].start_week, -1);
    assert_int_equal(rd.scen[1].start_week, 4);
    assert_int_equal(rd.scen[1].end_week, 5);
    assert_int_equal(rd.scen[2].end_week, -1);
    /* scenarios.csv's later columns: a label, the hire's first day. */
    assert_string_equal(rd.scen[1].label, "Pull two weeks");
    assert_string_equal(rd.scen[2].label, rd.scen[2].title);
    assert_int_equal(rd.scen[1].acts_week, 4);
    assert_int_equal(rd.scen[2].acts_week, 8);
    assert_int_equal(rd.scen[2].chart, 1);
    assert_false(cal_dated(&rd.cal));
    /* weekly_comparison.csv: each week's paired revenue difference. */
    assert_float_equal(rundata_week_diff(&rd, 1, 1, RD_DELTA), -10.1208, 1e-9);
    assert_float_equal(rundata_week_diff(&rd, 1, 1, RD_DLOW), -75.0552, 1e-9);
    assert_true(isnan(rundata_week_diff(&rd, 0, 1, RD_DELTA)));
    assert_int_equal(rd.weeks, 26);
    assert_int_equal(rd.quarters, 2);
    assert_int_equal(rd.replications, 40);
    assert_float_equal(rundata_week(&rd, 0, M_REVENUE, 0, RD_MEAN), 96000.0,
                       1e-9);
    assert_float_equal(rundata_week(&rd, 0, M_REVENUE, 0, RD_LOW), 92315.7,
                       1e-6);
    assert_true(isnan(rundata_week(&rd, 0, M_WIN_RATE, 0, RD_MEAN)));
    assert_true(isnan(rundata_week(&rd, 0, M_REVENUE, 26, RD_MEAN)));
    assert_float_equal(rundata_comp(&rd, 1, RD_LOST_REVENUE, 0, RD_DELTA),
                       79903.4, 1e-6);
    assert_float_equal(rundata_comp(&rd, 1, M_REVENUE, 1, RD_BASE), 1.27037e6,
                       1e-3);
    assert_true(isnan(rundata_comp(&rd, 0, M_REVENUE, 1, RD_BASE)));
    assert_int_equal(rundata_find(&rd, "hire_ops"), 2);
    /* The decision: ranking.csv in rank order, each option's difference
     * from doing nothing from pairs.csv's rows of quarters 1-2. */
    assert_int_equal(rd.ndec, 3);
    assert_string_equal(rd.dec_metric, "revenue");
    assert_int_equal(rd.dec_q0, 1);
    assert_int_equal(rd.dec_q1, 2);
    assert_int_equal(rd.dec_lower, 0);
    assert_int_equal(rd.dec[0].s, 2);
    assert_int_equal(rd.dec[0].rank, 1);
    assert_int_equal(rd.dec[0].tied, 1);
    assert_float_equal(rd.dec[0].p_best, 0.85, 1e-12);
    assert_float_equal(rd.dec[0].vs, 27121.0, 1e-9);
    assert_float_equal(rd.dec[2].vs_lo, -90126.7, 1e-9);
    assert_int_equal(rd.dec[1].s, 0);
    assert_float_equal(rd.dec[1].vs, 0.0, 0.0);
    assert_int_equal(rd.dec[2].tied, 0);
    rundata_destroy(&rd);
    rundata_destroy(&rd);
}

static const char weekly_small[] =
    "scenario,week,metric,mean,sd,ci_low,ci_high,n\n"
    "s1,0,revenue,10,,,,1\n"
    "baseline,0,revenue,12,1,11,13,2\n"
    "baseline,1,revenue,13,1,12,14,2\n";

static void test_rundata_fallbacks(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot");
    write_text(d, "weekly.csv", weekly_small);
    write_text(d, "comparison.csv",
               "scenario,quarter,metric,baseline_mean,scenario_mean,"
               "delta_mean,delta_ci_low,delta_ci_high,n\n"
               "s1,1,revenue,100,90,-10,-12,-8,2\n"
               "s1,total,revenue,100,90,-10,-12,-8,2\n");
    struct rundata rd;
    struct err e = {0};
    assert_int_equal(rundata_load(&rd, d, &e), 0);
    /* No scenarios.csv: IDs as titles, baseline moved first. */
    assert_int_equal(rd.nscen, 2);
    assert_string_equal(rd.scen[0].title, "Baseline");
    assert_string_equal(rd.scen[1].title, "s1");
    assert_int_equal(rd.replications, 2);
    /* An empty CI is a zero-width band. */
    assert_float_equal(rundata_week(&rd, 1, M_REVENUE, 0, RD_LOW), 10.0, 0);
    /* Lost revenue derived from the revenue delta, CI mirrored. */
    assert_float_equal(rundata_comp(&rd, 1, RD_LOST_REVENUE, 1, RD_DELTA), 10.0,
                       0);
    assert_float_equal(rundata_comp(&rd, 1, RD_LOST_REVENUE, 1, RD_DLOW), 8.0,
                       0);
    assert_float_equal(
        rundata_comp(&rd, 1, RD_LOST_REVENUE_CUMULATIVE, 1, RD_DELTA), 10.0, 0);
    rundata_destroy(&rd);
    ru_rm_rf(d);
}

/* Loads a folder holding weekly_small, the given comparison.csv and
 * scenarios.csv (NULL: none), and expects error msg. */
static void expect_load_error(const char *comparison, const char *scenarios,
                              const char *msg_tail, enum err_kind kind)
{
    char *d = ru_tmp_dir("test_plot");
    write_text(d, "weekly.csv", weekly_small);
    if (comparison)
        write_text(d, "comparison.csv", comparison);
    if (scenarios)
        write_text(d, "scenarios.csv", scenarios);
    struct rundata rd;
    struct err e = {0};
    assert_int_equal(rundata_load(&rd, d, &e), -1);
    assert_int_equal(e.kind, kind);
    size_t n = strlen(e.msg), k = strlen(msg_tail);
    if (n < k || strcmp(e.msg + n - k, msg_tail) != 0)
        fail_msg("got '%s', expected it to end in '%s'", e.msg, msg_tail);
    rundata_destroy(&rd);
    ru_rm_rf(d);
}

static void test_rundata_errors(void **state)
{
    (void)state;
    static const char head[] = "scenario,quarter,metric,baseline_mean,"
                               "scenario_mean,delta_mean,delta_ci_low,"
                               "delta_ci_high,n\n";
    char buf[512];
    expect_load_error(NULL, NULL,
                      "comparison.csv: missing; a run's folder "
                      "holds its weekly.csv and comparison.csv (run it again "
                      "to write them)",
                      ERR_CONFIG);
    snprintf(buf, sizeof buf, "%sghost,1,revenue,1,1,0,0,0,2\n", head);
    expect_load_error(buf, NULL, "comparison.csv:2: unknown scenario 'ghost'",
                      ERR_CONFIG);
    snprintf(buf, sizeof buf, "%ss1,1,revenue,1,1,zero,0,0,2\n", head);
    expect_load_error(buf, NULL,
                      "comparison.csv:2: column 6: expected a number, got "
                      "'zero'",
                      ERR_CONFIG);
    snprintf(buf, sizeof buf, "%ss1,Q1,revenue,1,1,0,0,0,2\n", head);
    expect_load_error(buf, NULL,
                      "comparison.csv:2: column 2: expected a whole number "
                      "from 1 to 10000, got 'Q1'",
                      ERR_CONFIG);
    expect_load_error(head,
                      "scenario,title,start_week,end_week\n"
                      "baseline,Baseline,,\n",
                      "weekly.csv:2: scenario 's1' is not in scenarios.csv",
                      ERR_CONFIG);
    expect_load_error(head, "scenario,title\nbaseline,Baseline\n",
                      "scenarios.csv:1: no column 'start_week'", ERR_CONFIG);
    expect_load_error(head,
                      "scenario,title,start_week,end_week\n"
                      "s1,S,,\n",
                      "no 'baseline' scenario", ERR_CONFIG);
}

/* ---- formatting ---- */

static void expect_money(double v, double step, const char *want)
{
    char buf[64];
    plot_fmt_money(buf, sizeof buf, v, step);
    assert_string_equal(buf, want);
}

static void expect_plain(double v, double step, const char *want)
{
    char buf[64];
    gp_fmt_plain(buf, sizeof buf, v, step);
    assert_string_equal(buf, want);
}

static void test_format(void **state)
{
    (void)state;
    expect_money(0, 50000, "$0");
    expect_money(350000, 50000, "$350k");
    expect_money(1250000, 250000, "$1.25M");
    expect_money(1500000, 250000, "$1.5M");
    expect_money(1000000, 250000, "$1M");
    expect_money(-20000, 20000, "-$20k");
    expect_money(2500, 500, "$2.5k");
    expect_money(500, 100, "$500");
    expect_money(3.2e9, 5e8, "$3.2B");
    expect_money(1e-10, 1000, "$0");
    expect_money(79903.4, 0, "$79.9k");
    expect_money(1270370, 0, "$1.27M");
    expect_money(4210.5, 0, "$4.21k");
    expect_money(2.2e6, 0, "$2.20M");
    expect_money(51.2, 0, "$51");
    expect_money(1.96, 0, "$2");
    expect_money(999999, 0, "$1.00M");
    expect_money(999.7, 0, "$1.00k");
    expect_plain(12500, 2500, "12,500");
    expect_plain(1234567, 0, "1,234,567");
    expect_plain(-1500, 500, "-1,500");
    expect_plain(2.5, 0.5, "2.5");
    expect_plain(100, 20, "100");
}

static void test_nice_axis(void **state)
{
    (void)state;
    struct gp_axis a = gp_nice(85300, 108700, 0);
    assert_float_equal(a.step, 5000, 0);
    assert_float_equal(a.lo, 85000, 0);
    assert_float_equal(a.hi, 110000, 0);
    a = gp_nice(12, 480, 1);
    assert_float_equal(a.lo, 0, 0);
    assert_float_equal(a.hi, 500, 0);
    a = gp_nice(NAN, NAN, 1);
    assert_true(a.hi > a.lo);
    a = gp_nice(7, 7, 0);
    assert_true(a.lo < 7 && a.hi > 7);
    struct gp_axis y = {-40, 80, 20}, y2 = {0, 100, 25};
    gp_align_zero(&y, &y2);
    assert_float_equal(-y.lo / (y.hi - y.lo), -y2.lo / (y2.hi - y2.lo), 1e-12);
    unsigned fmt = 0;
    assert_int_equal(plot_format_parse("svg", &fmt), 0);
    assert_int_equal(fmt, PLOT_SVG);
    assert_int_equal(plot_format_parse("gif", &fmt), -1);
}

static void test_gp_str(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len;
    FILE *f = open_memstream(&buf, &len);
    gp_str(f, "It's a\ttest");
    fclose(f);
    assert_string_equal(buf, "'It''s a test'");
    free(buf);
}

/* ---- the pipe ---- */

static void test_pipe_ok(void **state)
{
    (void)state;
    static const char s[] = "set terminal dumb\nset output '/dev/null'\n"
                            "plot x\n";
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_int_equal(plot_pipe(s, sizeof s - 1, "ok.gp", &e), 0);
}

static void test_pipe_gnuplot_error(void **state)
{
    (void)state;
    static const char syntax[] = "set terminal dumb\nset output '/dev/null'\n"
                                 "set xrange [1:\nplot x\n";
    static const char undefined[] = "set terminal dumb\n"
                                    "set output '/dev/null'\nplot foo\n";
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_int_equal(plot_pipe(syntax, sizeof syntax - 1, "bad.gp", &e), -1);
    assert_int_equal(e.kind, ERR_RUNTIME);
    assert_string_equal(e.msg, "bad.gp:3: gnuplot: constant expression "
                               "required");
    err_clear(&e);
    assert_int_equal(plot_pipe(undefined, sizeof undefined - 1, "bad2.gp", &e),
                     -1);
    assert_string_equal(e.msg, "bad2.gp: gnuplot: undefined variable: foo");
}

static void test_pipe_not_found(void **state)
{
    (void)state;
    static const char s[] = "plot x\n";
    struct err e = {0};
    setenv(PLOT_ENV_GNUPLOT, "/nonexistent/gnuplot", 1);
    assert_int_equal(plot_pipe(s, sizeof s - 1, "x.gp", &e), -1);
    assert_string_equal(e.msg, PLOT_MSG_NOT_FOUND);
    err_clear(&e);
    setenv(PLOT_ENV_GNUPLOT, "false", 1);
    assert_int_equal(plot_pipe(s, sizeof s - 1, "x.gp", &e), -1);
    assert_string_equal(e.msg, "x.gp: gnuplot failed with exit status 1");
    unsetenv(PLOT_ENV_GNUPLOT);
}

/* A stand-in gnuplot: a shell script that exits with status code. */
static char *fake_gnuplot(const char *dir, int code, int executable)
{
    char text[64];
    snprintf(text, sizeof text, "#!/bin/sh\ncat >/dev/null\nexit %d\n", code);
    write_text(dir, "fake-gnuplot", text);
    char *p = rundata_path(dir, "fake-gnuplot");
    assert_int_equal(chmod(p, executable ? 0755 : 0644), 0);
    return p;
}

static void test_pipe_statuses(void **state)
{
    (void)state;
    static const char s[] = "plot x\n";
    char *d = ru_tmp_dir("test_plot");
    struct err e = {0};
    char *prog = fake_gnuplot(d, 124, 1);
    setenv(PLOT_ENV_GNUPLOT, prog, 1);
    assert_int_equal(plot_pipe(s, sizeof s - 1, "x.gp", &e), -1);
    assert_string_equal(e.msg, "x.gp: gnuplot timed out after 60 s");
    free(prog);
    err_clear(&e);
    prog = fake_gnuplot(d, 0, 0);
    setenv(PLOT_ENV_GNUPLOT, prog, 1);
    assert_int_equal(plot_pipe(s, sizeof s - 1, "x.gp", &e), -1);
    assert_string_equal(e.msg, "x.gp: gnuplot cannot be executed");
    unsetenv(PLOT_ENV_GNUPLOT);
    free(prog);
    ru_rm_rf(d);
}

/* A gnuplot that succeeds but writes no image must not leave one. */
static void test_empty_image(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot"), *plots = rundata_path(d, "plots");
    struct err e = {0};
    char *prog = fake_gnuplot(d, 0, 1);
    setenv(PLOT_ENV_GNUPLOT, prog, 1);
    assert_int_equal(plot_run_dir(FIXTURE, plots, PLOT_PNG, &e), -1);
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_non_null(
        strstr(e.msg, "/plots/revenue.png: gnuplot wrote no image"));
    assert_int_equal(count_suffix(plots, ".png"), 0);
    assert_true(file_exists(plots, "revenue.gp"));
    free(prog);
    free(plots);
    ru_rm_rf(d);
}

/* ---- charts ---- */

/* Compares dir/NAME.svg with the golden copy (or writes the golden copy
 * when SALESCAP_REGEN_GOLDEN is set). */
static void check_golden(const char *dir, const char *name)
{
    char file[256];
    size_t n, m;
    snprintf(file, sizeof file, "%s.svg", name);
    char *got = read_text(dir, file, &n);
    assert_non_null(got);
    const char *regen = getenv("SALESCAP_REGEN_GOLDEN");
    if (regen && *regen && strcmp(regen, "0") != 0) {
        struct err e = {0};
        char *p = rundata_path(GOLDEN, file);
        assert_int_equal(mkdir_p(GOLDEN, &e), 0);
        assert_int_equal(afile_write(p, got, n, &e), 0);
        printf("wrote %s\n", p);
        free(p);
    }
    char *want = read_text(GOLDEN, file, &m);
    if (!want)
        fail_msg("%s/%s missing: run `make golden`", GOLDEN, file);
    if (n != m || memcmp(got, want, n) != 0)
        fail_msg("%s/%s differs from %s/%s (after a deliberate change: "
                 "`make golden`)",
                 dir, file, GOLDEN, file);
    free(got);
    free(want);
}

static void test_golden_svg(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot");
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    int n = plot_run_dir(FIXTURE, d, PLOT_SVG, &e);
    if (n < 0)
        fail_msg("plot_run_dir: %s", e.msg);
    assert_int_equal(n, (int)NFIXTURE);
    for (size_t i = 0; i < NFIXTURE; i++) {
        char gp[256];
        check_golden(d, fixture_charts[i]);
        snprintf(gp, sizeof gp, "%s.gp", fixture_charts[i]);
        assert_true(file_exists(d, gp));
    }
    ru_rm_rf(d);
}

/* The saved script redraws the same chart with plain gnuplot, run from
 * the plots folder. */
static void test_saved_script_reruns(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot");
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_true(plot_run_dir(FIXTURE, d, PLOT_SVG, &e) > 0);
    size_t n1, n2;
    char *first = read_text(d, "lost_revenue.svg", &n1);
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && rm lost_revenue.svg && gnuplot lost_revenue.gp", d);
    assert_int_equal(system(cmd), 0);
    char *again = read_text(d, "lost_revenue.svg", &n2);
    assert_non_null(again);
    assert_int_equal(n1, n2);
    assert_memory_equal(first, again, n1);
    free(first);
    free(again);
    ru_rm_rf(d);
}

/* Reruns d/NAME.gp with gnuplot -d in locale (C: as where LANG is
 * unset) and returns its stderr, which a good script leaves empty. */
static char *rerun_stderr(const char *d, const char *name, const char *locale)
{
    char cmd[1024], err[300];
    snprintf(err, sizeof err, "%s.rerun-err", name);
    snprintf(cmd, sizeof cmd,
             "cd '%s' && env -u LANG -u LANGUAGE -u LC_CTYPE LC_ALL=%s "
             "gnuplot -d %s.gp 2>%s",
             d, locale, name, err);
    assert_int_equal(system(cmd), 0);
    size_t n;
    char *text = read_text(d, err, &n);
    assert_non_null(text);
    return text;
}

/* Every saved script reruns silently where LANG is unset: a `set
 * encoding utf8` there made gnuplot 5.4 warn "iconv failed to convert
 * degree sign". A chart with a UTF-8 title keeps the line (gnuplot then
 * sizes its key in characters) and draws the same in either locale. */
static void test_saved_scripts_locale(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot");
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_int_equal(plot_run_dir(FIXTURE, d, PLOT_SVG, &e), (int)NFIXTURE);
    for (size_t i = 0; i < NFIXTURE; i++) {
        char *err = rerun_stderr(d, fixture_charts[i], "C");
        if (err[0])
            fail_msg("%s.gp in the C locale: %s", fixture_charts[i], err);
        free(err);
    }
    /* The fixture with a UTF-8 label (the legends') for pull_two_weeks. */
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cp -R %s '%s/run' && sed -i 's/,Pull two weeks,/,P\xc3\xbcll "
             "s\xc3\xa4les \xe2\x80\x94 into ops,/' '%s/run/scenarios.csv'",
             FIXTURE, d, d);
    assert_int_equal(system(cmd), 0);
    char *run = rundata_path(d, "run"), *plots = rundata_path(d, "p");
    assert_int_equal(plot_run_dir(run, plots, PLOT_SVG, &e), (int)NFIXTURE);
    size_t n;
    char *gp = read_text(plots, "revenue.gp", &n);
    assert_non_null(strstr(gp, "P\xc3\xbcll s\xc3\xa4les \xe2\x80\x94"));
    assert_non_null(strstr(gp, "\nset encoding utf8\n"));
    free(gp);
    gp = read_text(plots, "dashboard_hire_ops.gp", &n);
    assert_null(strstr(gp, "set encoding"));
    free(gp);
    size_t n1, n2;
    free(rerun_stderr(plots, "revenue", "C.UTF-8"));
    char *first = read_text(plots, "revenue.svg", &n1);
    free(rerun_stderr(plots, "revenue", "C"));
    char *again = read_text(plots, "revenue.svg", &n2);
    assert_int_equal(n1, n2);
    assert_memory_equal(first, again, n1);
    free(first);
    free(again);
    free(run);
    free(plots);
    ru_rm_rf(d);
}

static void test_all_formats(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot");
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    int n = plot_run_dir(FIXTURE, d, PLOT_PNG | PLOT_SVG | PLOT_PDF, &e);
    if (n < 0)
        fail_msg("plot_run_dir: %s", e.msg);
    assert_int_equal(n, 3 * (int)NFIXTURE);
    assert_int_equal(count_suffix(d, ".png"), (int)NFIXTURE);
    assert_int_equal(count_suffix(d, ".pdf"), (int)NFIXTURE);
    assert_int_equal(count_suffix(d, ".gp"), (int)NFIXTURE);
    /* One .gp per chart: the first format's (png). */
    size_t len;
    char *gp = read_text(d, "revenue.gp", &len);
    assert_non_null(strstr(gp, "set output 'revenue.png'"));
    free(gp);
    ru_rm_rf(d);
}

/* A drawing removes the charts the previous one into the same folder
 * drew and it does not (a dashboard of a scenario since dropped), keeps
 * files it never wrote and the other formats of charts it draws, and
 * follows no path a hand-edited list names. */
static void test_stale_charts(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot");
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_int_equal(plot_run_dir(FIXTURE, d, PLOT_PNG, &e), (int)NFIXTURE);
    size_t len;
    char *list = read_text(d, ".salescap-charts", &len);
    assert_non_null(strstr(list, "revenue.png\nbacklog.gp\n"));
    /* A chart of an earlier run, a file of the user's, a path out. */
    char *outside = ru_tmp_dir("test_plot");
    write_text(outside, "keep.png", "x");
    char more[4096];
    snprintf(more, sizeof more, "%sdashboard_gone.png\n../%s/keep.png\n", list,
             strrchr(outside, '/') + 1);
    write_text(d, ".salescap-charts", more);
    write_text(d, "dashboard_gone.png", "x");
    write_text(d, "mine.png", "x");
    assert_int_equal(plot_run_dir(FIXTURE, d, PLOT_SVG, &e), (int)NFIXTURE);
    assert_false(file_exists(d, "dashboard_gone.png"));
    assert_true(file_exists(d, "mine.png"));
    assert_true(file_exists(outside, "keep.png"));
    assert_true(file_exists(d, "revenue.png")); /* the other format */
    assert_true(file_exists(d, "revenue.svg"));
    free(list);
    list = read_text(d, ".salescap-charts", &len);
    assert_non_null(strstr(list, "revenue.svg\n"));
    assert_non_null(strstr(list, "revenue.png\n"));
    assert_null(strstr(list, "gone"));
    free(list);
    ru_rm_rf(outside);
    ru_rm_rf(d);
}

static void test_no_gnuplot(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot");
    struct err e = {0};
    setenv(PLOT_ENV_GNUPLOT, "/nonexistent/gnuplot", 1);
    assert_int_equal(plot_run_dir(FIXTURE, d, PLOT_PNG, &e), -1);
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_string_equal(e.msg, PLOT_MSG_NOT_FOUND);
    assert_int_equal(e.kind, ERR_RUNTIME);
    assert_int_equal(count_suffix(d, ".png"), 0);
    assert_int_equal(count_suffix(d, "tmp.*"), 0);
    ru_rm_rf(d);
}

static void test_sweep_hook(void **state)
{
    (void)state;
    struct err e = {0};
    /* A folder with no sweep.csv is not a sweep: the sweep module says so
     * (its own tests draw real sweep charts). */
    assert_int_equal(plot_sweep_dir("/nonexistent", "y", PLOT_PNG, &e), -1);
    assert_non_null(strstr(e.msg, "sweep.csv"));
}

/* ---- the binary ---- */

/* Runs `$SALESCAP ARGS` (through sh) with stderr in *err_out; returns the
 * exit status. */
static int run_salescap(const char *args, char **err_out)
{
    const char *bin = getenv("SALESCAP");
    if (!bin)
        skip();
    char *d = ru_tmp_dir("test_plot"), cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %s >/dev/null 2>'%s/err'", bin, args, d);
    int st = system(cmd);
    size_t n;
    *err_out = read_text(d, "err", &n);
    ru_rm_rf(d);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_cli_plot(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot"), args[2048], *err;
    snprintf(args, sizeof args, "plot %s --plots '%s' --format svg", FIXTURE,
             d);
    assert_int_equal(run_salescap(args, &err), 0);
    assert_string_equal(err, "");
    free(err);
    for (size_t i = 0; i < NFIXTURE; i++)
        check_golden(d, fixture_charts[i]);
    ru_rm_rf(d);
}

static void test_cli_default_dir(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot"), cwd[2048], args[4096], *err;
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(args, sizeof args, "plot %s/%s/ -q", cwd, FIXTURE);
    assert_int_equal(chdir(d), 0);
    int rc = run_salescap(args, &err);
    assert_int_equal(chdir(cwd), 0);
    assert_int_equal(rc, 0);
    free(err);
    char *plots = rundata_path(d, "plots/run_fixture");
    assert_true(file_exists(plots, "revenue.png"));
    assert_true(file_exists(plots, "dashboard_hire_ops.png"));
    assert_false(file_exists(plots, "revenue.svg"));
    free(plots);
    ru_rm_rf(d);
}

/* A run folder, d/run, made by the shell command `make` (in which $R
 * names it), is refused by plot with status 2 and "salescap: d/run/tail". */
static void plot_refused(const char *d, const char *make, const char *tail)
{
    char cmd[4096], args[4096], want[4096], *err;
    snprintf(cmd, sizeof cmd,
             "R='%s/run' && rm -rf \"$R\" && mkdir \"$R\" "
             "&& %s",
             d, make);
    assert_int_equal(system(cmd), 0);
    snprintf(args, sizeof args, "plot '%s/run' --plots '%s/p'", d, d);
    assert_int_equal(run_salescap(args, &err), 2);
    snprintf(want, sizeof want, "salescap: %s/run/%s\n", d, tail);
    assert_string_equal(err, want);
    free(err);
}

/* Width and height from a PNG's header (IHDR), or 0 x 0. */
static void png_size(const char *dir, const char *name, long wh[2])
{
    size_t n;
    unsigned char *p = (unsigned char *)read_text(dir, name, &n);
    wh[0] = wh[1] = 0;
    if (p && n > 24 && !memcmp(p + 12, "IHDR", 4)) {
        wh[0] = (long)p[16] << 24 | (long)p[17] << 16 | p[18] << 8 | p[19];
        wh[1] = (long)p[20] << 24 | (long)p[21] << 16 | p[22] << 8 | p[23];
    }
    free(p);
}

/* --size: the pixels of each preset's PNGs (twice the slide's and the
 * doc's size) and SVGs (shown at the preset's size, laid out on the
 * logical canvas), for a chart of its own and a dashboard. */
static void test_cli_sizes(void **state)
{
    (void)state;
    static const struct {
        const char *size;
        long png[2], dash[2];
        const char *svg;
    } want[] = {
        {"screen",
         {1200, 700},
         {1600, 1000},
         "width=\"1200\" height=\"700\"\n viewBox=\"0 0 1200 700\""},
        {"slide",
         {3840, 2160},
         {3840, 2160},
         "width=\"1920\" height=\"1080\"\n viewBox=\"0 0 1024 576\""},
        {"doc",
         {1950, 1200},
         {1950, 1800},
         "width=\"975\" height=\"600\"\n viewBox=\"0 0 780 480\""},
    };
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        char *d = ru_tmp_dir("test_plot"), args[2048], *err;
        long wh[2];
        size_t n;
        snprintf(args, sizeof args,
                 "plot %s --plots '%s' --format png "
                 "--format svg --size %s",
                 FIXTURE, d, want[i].size);
        assert_int_equal(run_salescap(args, &err), 0);
        assert_string_equal(err, "");
        free(err);
        png_size(d, "revenue.png", wh);
        if (wh[0] != want[i].png[0] || wh[1] != want[i].png[1])
            fail_msg("--size %s: revenue.png is %ld x %ld", want[i].size, wh[0],
                     wh[1]);
        png_size(d, "dashboard_hire_ops.png", wh);
        if (wh[0] != want[i].dash[0] || wh[1] != want[i].dash[1])
            fail_msg("--size %s: a dashboard is %ld x %ld", want[i].size, wh[0],
                     wh[1]);
        char *svg = read_text(d, "revenue.svg", &n);
        assert_non_null(svg);
        if (!strstr(svg, want[i].svg))
            fail_msg("--size %s: revenue.svg's head:\n%.200s", want[i].size,
                     svg);
        free(svg);
        ru_rm_rf(d);
    }
}

static void test_cli_errors(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot"), args[2048], *err;
    snprintf(args, sizeof args, "plot %s --format gif", FIXTURE);
    assert_int_equal(run_salescap(args, &err), 2);
    assert_string_equal(err, "salescap: --format (png, svg or pdf): invalid "
                             "value 'gif'\n");
    free(err);
    snprintf(args, sizeof args, "plot %s --size poster", FIXTURE);
    assert_int_equal(run_salescap(args, &err), 2);
    assert_string_equal(err, "salescap: --size (screen, slide or doc): "
                             "invalid value 'poster'\n");
    free(err);
    assert_int_equal(run_salescap("plot", &err), 2);
    free(err);
    snprintf(args, sizeof args, "plot %s --plots '%s'", FIXTURE, d);
    setenv(PLOT_ENV_GNUPLOT, "/nonexistent/gnuplot", 1);
    assert_int_equal(run_salescap(args, &err), 1);
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_string_equal(err, "salescap: " PLOT_MSG_NOT_FOUND "\n");
    free(err);
    assert_int_equal(count_suffix(d, ".png"), 0);
    /* A run's folder without comparison.csv: the folder is wrong. */
    plot_refused(d,
                 "cp " FIXTURE "/weekly.csv " FIXTURE "/scenarios.csv "
                 "\"$R\"",
                 "comparison.csv: missing; a run's folder holds "
                 "its weekly.csv and comparison.csv (run it again to write "
                 "them)");
    /* Rows cut out of weekly.csv: no chart drawn with holes in it. */
    plot_refused(d,
                 "cp " FIXTURE "/*.csv \"$R\" && grep -v ',revenue,' " FIXTURE
                 "/weekly.csv >\"$R/weekly.csv\"",
                 "weekly.csv: no "
                 "revenue of scenario 'baseline' in week 0; a run writes "
                 "every metric of every scenario each week (was the file "
                 "edited?)");
    /* A ranking without the decision's rows in pairs.csv, or without
     * pairs.csv: refused, not drawn without its intervals. */
    plot_refused(d, "cp " FIXTURE "/*.csv \"$R\" && rm \"$R/pairs.csv\"",
                 "pairs.csv: missing; ranking.csv needs it (run again to "
                 "write both)");
    plot_refused(d,
                 "cp " FIXTURE "/*.csv \"$R\" && grep -v '^hire_ops,"
                 "baseline,' " FIXTURE "/pairs.csv >\"$R/pairs.csv\"",
                 "pairs.csv: no row of 'hire_ops' against the baseline over "
                 "the decision's quarters (was the file edited?)");
    plot_refused(d,
                 "cp " FIXTURE "/*.csv \"$R\" && sed 's/^hire_ops,/"
                 "ghost,/' " FIXTURE "/ranking.csv >\"$R/ranking.csv\"",
                 "ranking.csv:2: unknown scenario 'ghost'");
    plot_refused(d,
                 "cp " FIXTURE "/*.csv \"$R\" && sed 's/,1-2,/,1-7,/' " FIXTURE
                 "/pairs.csv >\"$R/pairs.csv\"",
                 "pairs.csv:2: quarters '1-7' of the decision do not fit the "
                 "run");
    /* A sweep.csv cell that is no number: refused, not drawn as n/a. */
    plot_refused(d,
                 "printf 'pull.weeks,mean,sd,ci_low,ci_high,n\\n1,5,1,4,"
                 "6,2\\n2,abc,1,4,6,2\\n' >\"$R/sweep.csv\"",
                 "sweep.csv:3: "
                 "mean: 'abc' is not a number (was the file edited?)");
    write_text(d, "sweep.csv", "pull.weeks,mean,sd,ci_low,ci_high,n\n");
    snprintf(args, sizeof args, "plot '%s' --plots '%s/p'", d, d);
    assert_int_equal(run_salescap(args, &err), 2);
    assert_non_null(strstr(err, "not a sweep result"));
    free(err);
    ru_rm_rf(d);
}

/* ---- scenarios shown, weeks, signs and dates ---- */

/* The subtitle of a chart's script as one line: the texts of labels 5
 * to 7 (gp_title's wrapped lines), joined by blanks, in buf. */
static const char *subtitle_of(const char *gp, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int id = 5; id <= 7; id++) {
        char key[32];
        snprintf(key, sizeof key, "set label %d '", id);
        const char *p = strstr(gp, key), *end = p ? strstr(p, "' at ") : 0;
        if (!p || !end)
            break;
        p += strlen(key);
        len += (size_t)snprintf(buf + len, size - len, "%s%.*s", len ? " " : "",
                                (int)(end - p), p);
        assert_true(len < size);
    }
    return buf;
}

/* A copy of the fixture in d/run; the caller frees the name. */
static char *copy_fixture(const char *d)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "cp -R %s '%s/run'", FIXTURE, d);
    assert_int_equal(system(cmd), 0);
    return rundata_path(d, "run");
}

/* Runs the shell command printf would write from fmt. */
__attribute__((format(printf, 1, 2))) static void shell(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    assert_int_equal(system(cmd), 0);
}

/* The text of datablock $name of a script, up to its EOD. */
static const char *block_of(const char *gp, const char *name)
{
    char head[64];
    snprintf(head, sizeof head, "$%s << EOD\n", name);
    const char *p = strstr(gp, head);
    assert_non_null(p);
    return p + strlen(head);
}

static void assert_close(double got, double want)
{
    if (!(fabs(got - want) <= 1e-6 * fabs(want) + 1e-9))
        fail_msg("got %.10g, expected %.10g", got, want);
}

/* rundata_select: chart = no leaves a scenario out of every array and
 * the decision; --only brings it back; unknown IDs are refused. */
static void test_rundata_select(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot"), *run = copy_fixture(d);
    shell("sed -i 's/,yes,4\\r$/,no,4\\r/' '%s/run/scenarios.csv'", d);
    struct rundata full, rd;
    struct err e = {0};
    assert_int_equal(rundata_load(&full, FIXTURE, &e), 0);
    assert_int_equal(rundata_load(&rd, run, &e), 0);
    assert_int_equal(rd.scen[1].chart, 0);
    assert_int_equal(rundata_select(&rd, NULL, &e), 0);
    assert_int_equal(rd.nscen, 2);
    assert_string_equal(rd.scen[1].id, "hire_ops");
    assert_int_equal(rd.nhidden, 1);
    assert_string_equal(rd.hidden[0], "Pull sales into ops for two weeks");
    for (int w = 0; w < rd.weeks; w += 5) {
        assert_close(rundata_week(&rd, 1, M_REVENUE, w, RD_HIGH),
                     rundata_week(&full, 2, M_REVENUE, w, RD_HIGH));
        assert_close(rundata_week_diff(&rd, 1, w, RD_DLOW),
                     rundata_week_diff(&full, 2, w, RD_DLOW));
    }
    assert_close(rundata_comp(&rd, 1, RD_LOST_REVENUE, 2, RD_DELTA),
                 rundata_comp(&full, 2, RD_LOST_REVENUE, 2, RD_DELTA));
    /* The decision keeps the others, with their ranks. */
    assert_int_equal(rd.ndec, 2);
    assert_int_equal(rd.dec[0].s, 1);
    assert_int_equal(rd.dec[0].rank, 1);
    assert_int_equal(rd.dec[1].s, 0);
    assert_int_equal(rd.dec[1].rank, 2);
    rundata_destroy(&rd);
    /* --only overrides chart = no; --exclude leaves the baseline alone. */
    struct rd_select only = {"pull_two_weeks", NULL};
    assert_int_equal(rundata_load(&rd, run, &e), 0);
    assert_int_equal(rundata_select(&rd, &only, &e), 0);
    assert_int_equal(rd.nscen, 2);
    assert_string_equal(rd.scen[1].id, "pull_two_weeks");
    rundata_destroy(&rd);
    struct rd_select ex = {NULL, "hire_ops"};
    assert_int_equal(rundata_load(&rd, run, &e), 0);
    assert_int_equal(rundata_select(&rd, &ex, &e), 0);
    assert_int_equal(rd.nscen, 1);
    assert_int_equal(rd.ndec, 1);
    rundata_destroy(&rd);
    struct rd_select ghost = {"hire_ops,ghost", NULL};
    assert_int_equal(rundata_load(&rd, run, &e), 0);
    assert_int_equal(rundata_select(&rd, &ghost, &e), -1);
    assert_int_equal(e.kind, ERR_CONFIG);
    assert_string_equal(e.msg, "--only: no scenario 'ghost' in this run; "
                               "its scenarios are baseline, pull_two_weeks, "
                               "hire_ops");
    rundata_destroy(&rd);
    rundata_destroy(&full);
    free(run);
    ru_rm_rf(d);
}

/* A folder from before label, chart, acts_from_week and
 * weekly_comparison.csv draws as it did, without revenue_difference. */
static void test_old_run_folder(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot"), *run = copy_fixture(d), *plots;
    write_text(run, "scenarios.csv",
               "scenario,title,start_week,end_week\n"
               "baseline,Baseline,,\n"
               "pull_two_weeks,Pull sales into ops for two weeks,4,5\n"
               "hire_ops,\"Hire two ops staff, \"\"plan B\"\"\",4,\n");
    shell("rm '%s/run/weekly_comparison.csv'", d);
    struct rundata rd;
    struct err e = {0};
    assert_int_equal(rundata_load(&rd, run, &e), 0);
    assert_string_equal(rd.scen[1].label, rd.scen[1].title);
    assert_int_equal(rd.scen[1].chart, 1);
    assert_int_equal(rd.scen[2].acts_week, 4);
    assert_null(rd.wdiff);
    rundata_destroy(&rd);
    plots = rundata_path(d, "p");
    assert_int_equal(plot_run_dir(run, plots, PLOT_SVG, &e), (int)NFIXTURE - 1);
    assert_false(file_exists(plots, "revenue_difference.svg"));
    assert_true(file_exists(plots, "dashboard_pull_two_weeks.svg"));
    free(plots);
    free(run);
    ru_rm_rf(d);
}

/* lost_revenue draws gains upward: its bars, whiskers and running
 * total are comparison.csv's lost revenue with the sign turned. */
static void test_lost_drawn_as_gain(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot");
    struct err e = {0};
    struct rundata rd;
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_true(plot_run_dir(FIXTURE, d, PLOT_SVG, &e) > 0);
    assert_int_equal(rundata_load(&rd, FIXTURE, &e), 0);
    size_t n;
    char *gp = read_text(d, "lost_revenue.gp", &n);
    const char *p = block_of(gp, "lost");
    for (int s = 1; s < rd.nscen; s++) {
        p = strchr(p, '\n') + 1; /* the scenario's comment */
        for (int q = 1; q <= rd.quarters; q++) {
            int qq, k;
            double x, v[4];
            assert_int_equal(sscanf(p, "%d %lf %lf %lf %lf %lf%n", &qq, &x,
                                    &v[0], &v[1], &v[2], &v[3], &k),
                             6);
            assert_int_equal(qq, q);
            assert_close(v[0],
                         -rundata_comp(&rd, s, RD_LOST_REVENUE, q, RD_DELTA));
            assert_close(v[1],
                         -rundata_comp(&rd, s, RD_LOST_REVENUE, q, RD_DHIGH));
            assert_close(v[2],
                         -rundata_comp(&rd, s, RD_LOST_REVENUE, q, RD_DLOW));
            assert_close(v[3], -rundata_comp(&rd, s, RD_LOST_REVENUE_CUMULATIVE,
                                             q, RD_DELTA));
            p = strchr(p, '\n') + 1;
        }
        p += strspn(p, "\n");
    }
    /* The pull loses revenue: drawn below zero. */
    assert_true(rundata_comp(&rd, 1, RD_LOST_REVENUE, 2, RD_DELTA) > 0.0);
    assert_non_null(strstr(gp, "set label 8 'Gained (+) or lost (-) in the "
                               "quarter'"));
    assert_non_null(strstr(gp, "above zero, the scenario earns more"));
    free(gp);
    /* Plain words on every chart. */
    for (size_t i = 0; i < NFIXTURE; i++) {
        char name[128];
        snprintf(name, sizeof name, "%s.gp", fixture_charts[i]);
        gp = read_text(d, name, &n);
        assert_null(strstr(gp, "warm-up"));
        assert_null(strstr(gp, "ticks"));
        assert_null(strstr(gp, "below 0"));
        assert_null(strstr(gp, "below zero"));
        free(gp);
    }
    rundata_destroy(&rd);
    ru_rm_rf(d);
}

/* revenue_difference draws weekly_comparison.csv: each week's paired
 * difference and its band. */
static void test_difference_chart(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot");
    struct err e = {0};
    struct rundata rd;
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_true(plot_run_dir(FIXTURE, d, PLOT_SVG, &e) > 0);
    assert_int_equal(rundata_load(&rd, FIXTURE, &e), 0);
    size_t n;
    char *gp = read_text(d, "revenue_difference.gp", &n);
    const char *p = strchr(block_of(gp, "difference"), '\n') + 1;
    for (int w = 0; w < rd.weeks; w++) {
        int ww, k;
        double v[6];
        assert_int_equal(sscanf(p, "%d %lf %lf %lf %lf %lf %lf%n", &ww, &v[0],
                                &v[1], &v[2], &v[3], &v[4], &v[5], &k),
                         7);
        assert_int_equal(ww, w);
        for (int s = 1; s <= 2; s++)
            for (int st = 0; st < 3; st++)
                assert_close(v[3 * (s - 1) + st],
                             rundata_week_diff(&rd, s, w, RD_DELTA + st));
        p = strchr(p, '\n') + 1;
    }
    assert_true(strncmp(p, "EOD\n", 4) == 0);
    assert_non_null(strstr(gp, "0 with lines lt 1 lw 2 notitle"));
    assert_non_null(strstr(gp, "'Doing nothing (the baseline)' at screen"));
    free(gp);
    rundata_destroy(&rd);
    ru_rm_rf(d);
}

/* Weeks from 0 on the axis as in weekly.csv; windows over the weeks the
 * interventions act, a hire's from its first day, its decision marked. */
static void test_week_axis_and_windows(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot");
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_true(plot_run_dir(FIXTURE, d, PLOT_SVG, &e) > 0);
    size_t n;
    char *gp = read_text(d, "revenue.gp", &n);
    assert_non_null(strstr(block_of(gp, "revenue"), "\n0 96000 "));
    assert_non_null(strstr(gp, "set xrange [-0.5:25.5]\nset xtics 0, 13\n"
                               "set xlabel 'Week'\n"));
    /* The pull acts in weeks 4 and 5: from x = 3.5 to 5.5. */
    assert_non_null(strstr(gp, "set object 100 rect from 3.5, graph 0 to "
                               "5.5, graph 1"));
    /* The hire, decided in week 4, acts from week 8: its decision mark
     * at 3.5, an arrow to 7.5 on the row of its label, the dotted line
     * at 7.5. */
    double y0, y1, ya, yb, yl;
    const char *a = strstr(gp, "set arrow 131 from 3.5, graph ");
    assert_non_null(a);
    assert_int_equal(sscanf(a,
                            "set arrow 131 from 3.5, graph %lf to 3.5, "
                            "graph %lf",
                            &y0, &y1),
                     2);
    a = strstr(gp, "set arrow 161 from 3.5, graph ");
    assert_non_null(a);
    assert_int_equal(sscanf(a,
                            "set arrow 161 from 3.5, graph %lf to 7.5, "
                            "graph %lf head",
                            &ya, &yb),
                     2);
    a = strstr(gp, "set label 101 'Hire two ops staff, \"plan B\"' at 7.5, "
                   "graph ");
    assert_non_null(a);
    assert_int_equal(sscanf(strstr(a, " at 7.5, graph ") + 15, "%lf", &yl), 1);
    assert_true(y0 < ya && ya < y1 && ya == yb && ya == yl);
    assert_non_null(strstr(gp, "set arrow 101 from 7.5, graph 0 to 7.5, "
                               "graph 1 nohead"));
    assert_non_null(strstr(gp, "arrow: from the decision to the first "
                               "day"));
    /* Legends by label: the pull's, the hire's title. */
    assert_non_null(strstr(gp, "set label 201 'Pull two weeks' at screen"));
    assert_non_null(strstr(gp, "set label 202 'Hire two ops staff, "
                               "\"plan B\"' at screen"));
    assert_non_null(strstr(gp, "the axis starts at $85k, not zero"));
    free(gp);
    ru_rm_rf(d);
}

/* gp_under_ceiling raises an axis by whole steps until every week's
 * value lies under its ceiling, and gives up (leaving the axis) where a
 * doubled range would not do. */
static void test_under_ceiling(void **state)
{
    (void)state;
    double lim[5] = {1, 1, 1, 0.5, 1}, top[5] = {2, NAN, 9, 8, 3};
    struct gp_axis a = {.lo = 0, .hi = 10, .step = 2};
    gp_under_ceiling(&a, lim, top, 5);
    assert_close(a.hi, 16.0); /* 8 <= 0.5 * 16; 14 would not do */
    assert_close(a.lo, 0.0);
    a = (struct gp_axis){.lo = 0, .hi = 10, .step = 2};
    lim[3] = 0.2; /* 8 needs 40 */
    gp_under_ceiling(&a, lim, top, 5);
    assert_close(a.hi, 10.0);
    a = (struct gp_axis){.lo = -4, .hi = 10, .step = 2};
    double none[5] = {1, 1, 1, 1, 1};
    gp_under_ceiling(&a, none, top, 5);
    assert_close(a.hi, 10.0);
}

/* The label rows of a chart's windows (labels 100 on) keep clear of its
 * data: in every week under a label's first characters, the highest
 * value of the datablock lies below the label's middle. The fixture's
 * hire gains $1.5k a week from week 8, where its label starts; the axis
 * at $2.5k put the label on the line. */
static void test_labels_clear_of_data(void **state)
{
    (void)state;
    static const char *const charts[][2] = {
        {"revenue", "revenue"}, {"revenue_difference", "difference"}};
    char *d = ru_tmp_dir("test_plot");
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_true(plot_run_dir(FIXTURE, d, PLOT_SVG, &e) > 0);
    for (size_t c = 0; c < sizeof charts / sizeof charts[0]; c++) {
        char file[64];
        size_t n;
        snprintf(file, sizeof file, "%s.gp", charts[c][0]);
        char *gp = read_text(d, file, &n);
        assert_non_null(gp);
        double lo, hi;
        const char *r = strstr(gp, "set yrange [");
        assert_non_null(r);
        assert_int_equal(sscanf(r, "set yrange [%lf:%lf]", &lo, &hi), 2);
        int labels = 0;
        for (const char *l = strstr(gp, "\nset label 1"); l;
             l = strstr(l + 1, "\nset label 1")) {
            int id;
            double x, y;
            const char *at = strstr(l, "' at ");
            char side[8];
            if (sscanf(l, "\nset label %d", &id) != 1 || id < 100 ||
                id >= 130 || !at ||
                sscanf(at, "' at %lf, graph %lf %7s", &x, &y, side) != 3)
                continue;
            labels++;
            int right = strcmp(side, "right") == 0;
            const char *row = strchr(block_of(gp, charts[c][1]), '\n') + 1;
            for (; strncmp(row, "EOD", 3) != 0; row = strchr(row, '\n') + 1) {
                char *end;
                double w = strtod(row, &end), top = -INFINITY;
                if (right ? w < x - 2.0 || w > x : w < x || w > x + 2.0)
                    continue;
                for (const char *v = end; *v != '\n';) {
                    double val = strtod(v, &end);
                    if (end == v)
                        break;
                    top = fmax(top, val);
                    v = end;
                }
                if (!((top - lo) / (hi - lo) < y))
                    fail_msg("%s: label %d at graph %.3f lies over week %g's "
                             "%.6g (axis %g to %g)",
                             file, id, y, w, top, lo, hi);
            }
        }
        assert_true(labels >= 1);
        free(gp);
    }
    ru_rm_rf(d);
}

/* A run folder whose run.ini has a start date: dated weeks, calendar
 * quarters (or quarters by their first day after a mid-quarter start),
 * in charts and in the report's tables; a bad date is FILE:LINE. */
static void test_dated_run(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot"), *run = copy_fixture(d), *err;
    char *plots = rundata_path(d, "p"), args[2048];
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    shell("sed -i 's/^horizon_weeks = 26$/&\\nstart_date = 2027-07-01/' "
          "'%s/run/run.ini'",
          d);
    assert_true(plot_run_dir(run, plots, PLOT_SVG, &e) > 0);
    size_t n;
    char *gp = read_text(plots, "revenue.gp", &n);
    assert_non_null(strstr(gp, "set xtics ('1 Jul 2027' 0, '30 Sep 2027' "
                               "13)\nset xlabel 'Week starting'\n"));
    assert_non_null(strstr(gp, "'Q3 2027' at 6.0, graph 0.9"));
    free(gp);
    gp = read_text(plots, "lost_revenue.gp", &n);
    assert_non_null(strstr(gp, "set xtics ('Q3 2027' 1, 'Q4 2027' 2)\n"
                               "set xlabel 'Quarter'\n"));
    free(gp);
    gp = read_text(plots, "impact.gp", &n);
    assert_non_null(strstr(gp, "set xtics ('Start' 0, 'Q3 2027' 1, "
                               "'Q4 2027' 2)"));
    free(gp);
    gp = read_text(plots, "ranking.gp", &n);
    assert_non_null(strstr(gp, "revenue over Q3 2027 to Q4 2027"));
    free(gp);
    assert_int_equal(report_write(run, NULL, &e), 0);
    char *html = read_text(run, "report.html", &n);
    assert_non_null(strstr(html, "<tr><td>Q4 2027</td>"));
    free(html);
    /* From 15 February: quarters named by the day they start. */
    shell("sed -i 's/^start_date = .*/start_date = 2027-02-15/' "
          "'%s/run/run.ini'",
          d);
    assert_true(plot_run_dir(run, plots, PLOT_SVG, &e) > 0);
    gp = read_text(plots, "lost_revenue.gp", &n);
    assert_non_null(strstr(gp, "set xtics ('15 Feb 2027' 1, '17 May 2027' "
                               "2)\nset xlabel 'Quarter starting'\n"));
    free(gp);
    /* An edited run.ini with no such day: refused, FILE:LINE. */
    shell("sed -i 's/^start_date = .*/start_date = 2027-13-01/' "
          "'%s/run/run.ini'",
          d);
    snprintf(args, sizeof args, "plot '%s' --plots '%s'", run, plots);
    assert_int_equal(run_salescap(args, &err), 2);
    char want[1024];
    snprintf(want, sizeof want,
             "salescap: %s/run.ini:5: [simulation] "
             "start_date: expected a date as YYYY-MM-DD, got '2027-13-01'\n",
             run);
    assert_string_equal(err, want);
    free(err);
    free(plots);
    free(run);
    ru_rm_rf(d);
}

/* plot --only and --exclude: the charts, dashboards and report of the
 * scenarios chosen; unknown IDs and the baseline refused. */
static void test_cli_only_exclude(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot"), *run = copy_fixture(d), args[2048], *err;
    char *plots = rundata_path(d, "p");
    const char *opts[] = {"--only hire_ops", "--exclude pull_two_weeks"};
    for (int i = 0; i < 2; i++) {
        snprintf(args, sizeof args,
                 "plot '%s' --plots '%s' --format svg "
                 "%s --report",
                 run, plots, opts[i]);
        assert_int_equal(run_salescap(args, &err), 0);
        free(err);
        assert_true(file_exists(plots, "dashboard_hire_ops.svg"));
        assert_false(file_exists(plots, "dashboard_pull_two_weeks.svg"));
        size_t n;
        char *gp = read_text(plots, "revenue.gp", &n);
        assert_null(strstr(gp, "Pull"));
        free(gp);
        gp = read_text(plots, "ranking.gp", &n);
        assert_null(strstr(gp, "Pull"));
        char sub[1024];
        assert_non_null(
            strstr(subtitle_of(gp, sub, sizeof sub), "1 option not shown."));
        free(gp);
        /* The report, but for run.ini's text (folded away at its end),
         * knows nothing of it; its appendix says one was left out. */
        char *html = read_text(run, "report.html", &n);
        char *params = strstr(html, "<details class=\"screen\">");
        assert_non_null(params);
        *params = '\0';
        assert_null(strstr(html, "Pull"));
        assert_non_null(strstr(html, "1 more was simulated and left out "
                                     "of this report"));
        assert_non_null(strstr(html, "Hire two ops staff"));
        free(html);
    }
    snprintf(args, sizeof args, "plot '%s' --plots '%s' --only ghost", run,
             plots);
    assert_int_equal(run_salescap(args, &err), 2);
    assert_string_equal(err, "salescap: --only: no scenario 'ghost' in this "
                             "run; its scenarios are baseline, pull_two_weeks, "
                             "hire_ops\n");
    free(err);
    snprintf(args, sizeof args, "plot '%s' --plots '%s' --exclude baseline",
             run, plots);
    assert_int_equal(run_salescap(args, &err), 2);
    assert_string_equal(err, "salescap: --exclude: the baseline is in every "
                             "chart (each scenario is drawn against it)\n");
    free(err);
    free(plots);
    free(run);
    ru_rm_rf(d);
}

/* A file's chart = no, end to end: simulated and in every CSV, in no
 * chart, dashboard or report; weeks counted one way in scenarios.csv,
 * the headline and the charts; the weekly differences add up to the
 * total; with a start date, the headline speaks in dates. */
static void test_cli_run_hidden_and_weeks(void **state)
{
    (void)state;
    char *d = ru_tmp_dir("test_plot"), args[2048], *err;
    snprintf(args, sizeof args,
             "run tests/data/chart_no.ini -q -o '%s/run' "
             "--plots '%s/p' --format svg --report",
             d, d);
    int rc = run_salescap(args, &err);
    if (rc != 0)
        fail_msg("salescap %s: status %d: %s", args, rc, err);
    free(err);
    char *run = rundata_path(d, "run"), *plots = rundata_path(d, "p");
    size_t n;
    char *text = read_text(run, "weekly.csv", &n);
    assert_non_null(strstr(text, "\ntwin,0,revenue,"));
    free(text);
    text = read_text(run, "scenarios.csv", &n);
    assert_non_null(strstr(text, "\npull,Pull all reps for two weeks,4,5,"
                                 "Pull,yes,4\n"));
    assert_non_null(strstr(text, "\ntwin,A twin to isolate an effect,4,5,,"
                                 "no,4\n"));
    free(text);
    assert_false(file_exists(plots, "dashboard_twin.svg"));
    assert_true(file_exists(plots, "dashboard_pull.svg"));
    char *gp = read_text(plots, "revenue.gp", &n);
    assert_null(strstr(gp, "twin"));
    assert_non_null(strstr(gp, "set object 100 rect from 3.5, graph 0 to "
                               "5.5, graph 1"));
    assert_non_null(strstr(gp, "set label 201 'Pull' at screen"));
    free(gp);
    text = read_text(run, "report.html", &n);
    char *ini = strstr(text, "<details class=\"screen\">");
    assert_non_null(ini);
    /* run.ini's text names the twin; nothing before it does, the
     * appendix's table of changed parameters included. */
    assert_non_null(strstr(ini, "[scenario.twin]"));
    *ini = '\0';
    assert_null(strstr(text, "twin"));
    assert_non_null(strstr(text, "[scenario.pull] Pull all reps"));
    assert_non_null(strstr(text, "1 more was simulated and left out"));
    free(text);
    /* One way of counting: the pull of weeks 4-5, in the headline. */
    text = read_text(run, "summary.txt", &n);
    assert_non_null(strstr(text, "into ops for 2 weeks from week 4 "));
    assert_non_null(strstr(text, " at the end of week 5."));
    free(text);
    /* weekly_comparison.csv adds up to comparison.csv's total, and
     * revenue_difference draws it. */
    struct rundata rd;
    struct err e = {0};
    assert_int_equal(rundata_load(&rd, run, &e), 0);
    for (int s = 1; s < rd.nscen; s++) {
        double sum = 0.0;
        for (int w = 0; w < rd.weeks; w++)
            sum += rundata_week_diff(&rd, s, w, RD_DELTA);
        assert_close(sum, rundata_comp(&rd, s, M_REVENUE, 0, RD_DELTA));
    }
    rundata_destroy(&rd);
    /* With a start date (week 0 = 1 Jul 2027): dates in the headline. */
    snprintf(args, sizeof args,
             "run tests/data/chart_no.ini -q --no-plot "
             "-o '%s/dated' --set simulation.start_date=2027-07-01",
             d);
    assert_int_equal(run_salescap(args, &err), 0);
    free(err);
    char *dated = rundata_path(d, "dated");
    text = read_text(dated, "summary.txt", &n);
    assert_non_null(strstr(text, "into ops for 2 weeks from 29 Jul 2027 "));
    assert_non_null(strstr(text, " on 11 Aug 2027."));
    assert_non_null(strstr(text, "over Q3 2027 to Q4 2027"));
    assert_non_null(strstr(text, "\n Q3 2027 "));
    free(text);
    free(dated);
    free(run);
    free(plots);
    ru_rm_rf(d);
}

/* `salescap plot` on a saved run redraws exactly the run's own SVGs. */
static void test_cli_run_then_plot(void **state)
{
    (void)state;
    static const char *const ini = "scenarios/pull_two_weeks.ini";
    if (access(ini, F_OK) != 0)
        skip();
    char *d = ru_tmp_dir("test_plot"), args[2048], *err;
    snprintf(args, sizeof args,
             "run %s -n 3 -j 2 -q -o '%s/run' --plots '%s/p1' --format svg",
             ini, d, d);
    int rc = run_salescap(args, &err);
    if (rc != 0)
        fail_msg("salescap %s: status %d: %s", args, rc, err);
    free(err);
    snprintf(args, sizeof args, "plot '%s/run' --plots '%s/p2' --format svg", d,
             d);
    assert_int_equal(run_salescap(args, &err), 0);
    free(err);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "cd '%s' && ls p1/*.svg >/dev/null && diff -r p1 p2 >/dev/null",
             d);
    assert_int_equal(system(cmd), 0);
    ru_rm_rf(d);
}

int main(void)
{
    /* As salescap's main does: a gnuplot that is missing or dies closes
     * the pipe, and the write must fail with EPIPE, which plot_pipe
     * reports, not kill the test (status 141, now and then). */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_quoting),
        cmocka_unit_test(test_csv_errors),
        cmocka_unit_test(test_rundata_fixture),
        cmocka_unit_test(test_rundata_fallbacks),
        cmocka_unit_test(test_rundata_errors),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_nice_axis),
        cmocka_unit_test(test_gp_str),
        cmocka_unit_test(test_pipe_ok),
        cmocka_unit_test(test_pipe_gnuplot_error),
        cmocka_unit_test(test_pipe_not_found),
        cmocka_unit_test(test_pipe_statuses),
        cmocka_unit_test(test_empty_image),
        cmocka_unit_test(test_golden_svg),
        cmocka_unit_test(test_saved_script_reruns),
        cmocka_unit_test(test_saved_scripts_locale),
        cmocka_unit_test(test_all_formats),
        cmocka_unit_test(test_stale_charts),
        cmocka_unit_test(test_no_gnuplot),
        cmocka_unit_test(test_sweep_hook),
        cmocka_unit_test(test_cli_plot),
        cmocka_unit_test(test_cli_default_dir),
        cmocka_unit_test(test_cli_errors),
        cmocka_unit_test(test_cli_sizes),
        cmocka_unit_test(test_cli_run_then_plot),
        cmocka_unit_test(test_rundata_select),
        cmocka_unit_test(test_old_run_folder),
        cmocka_unit_test(test_lost_drawn_as_gain),
        cmocka_unit_test(test_difference_chart),
        cmocka_unit_test(test_week_axis_and_windows),
        cmocka_unit_test(test_under_ceiling),
        cmocka_unit_test(test_labels_clear_of_data),
        cmocka_unit_test(test_dated_run),
        cmocka_unit_test(test_cli_only_exclude),
        cmocka_unit_test(test_cli_run_hidden_and_weeks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
