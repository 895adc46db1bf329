/*
 * test_report: report.html from the fixture run: every chart inlined,
 * the tables, the headline (from summary.txt or built), run.ini escaped,
 * and nothing fetched from outside the file; the [report] words and
 * notes (escaped, in the Markdown subset), the appendix's list of
 * parameters that differ from the defaults, and the print style. Runs
 * from the repository root; the fixture is copied so its folder stays
 * clean.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../sim/report_int.h"
#include "csvread.h"
#include "plot.h"
#include "report.h"
#include "rundata.h"

#define FIXTURE "tests/data/run_fixture"

static const char *const fixture_files[] = {
    "weekly.csv",  "quarterly.csv", "comparison.csv", "scenarios.csv",
    "summary.txt", "run.ini",       "ranking.csv",    "pairs.csv",
};

/* A temporary copy of the fixture run; the caller frees the name. */
static char *copy_fixture(void)
{
    const char *t = getenv("TMPDIR");
    char buf[512], cmd[2048];
    snprintf(buf, sizeof buf, "%s/salescap-test-report.XXXXXX",
             t && *t ? t : "/tmp");
    assert_non_null(mkdtemp(buf));
    for (size_t i = 0; i < sizeof fixture_files / sizeof *fixture_files;
         i++) {
        snprintf(cmd, sizeof cmd, "cp '%s/%s' '%s/'", FIXTURE,
                 fixture_files[i], buf);
        assert_int_equal(system(cmd), 0);
    }
    return strdup(buf);
}

static void rm_rf(char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
    free(dir);
}

static char *read_report(const char *dir)
{
    size_t n;
    char *p = rundata_path(dir, "report.html");
    char *t = csv_slurp(p, &n, NULL);
    free(p);
    assert_non_null(t);
    return t;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p++)
        n++;
    return n;
}

static void write_report(const char *dir, const char *plots)
{
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    if (report_write(dir, plots, &e) != 0)
        fail_msg("report_write: %s", e.msg);
}

static void test_report_contents(void **state)
{
    (void)state;
    char *d = copy_fixture();
    write_report(d, NULL);
    char *html = read_report(d);
    assert_int_equal(count(html, "<svg"), PLOT_NCHARTS);
    assert_int_equal(count(html, "</svg>"), PLOT_NCHARTS);
    assert_int_equal(count(html, "<figcaption>"), PLOT_NCHARTS);
    assert_int_equal(count(html, "<table>"), 2);
    assert_int_equal(count(html, "<table class=\"ranking\">"), 1);
    assert_non_null(strstr(html, "<td>Q1</td>"));
    /* The decision first: its sentence from summary.txt, the ranking,
     * then the impact and ranking charts, before the headlines. */
    const char *dec = strstr(html, "<h2>Which option is best</h2>");
    assert_non_null(dec);
    assert_true(dec < strstr(html, "<h2>Headline</h2>"));
    assert_true(strstr(html, "<p><strong>Best: Hire two ops staff, "
                             "&quot;plan B&quot;, revenue +$27k") > dec);
    assert_non_null(strstr(html, "<tr><td>1</td><td>Hire two ops staff, "
                                 "&quot;plan B&quot;</td><td>$2.62M</td>"
                                 "<td>+$27.1k</td>"));
    assert_true(strstr(html, "id=\"c5-gnuplot_canvas\"") <
                strstr(html, "id=\"c6-gnuplot_canvas\""));
    assert_true(strstr(html, "id=\"c6-gnuplot_canvas\"") <
                strstr(html, "id=\"c0-gnuplot_canvas\""));
    /* Then the headlines, the charts, the tables and the appendix. */
    assert_true(strstr(html, "<h2>Headline</h2>") <
                strstr(html, "<h2>Charts</h2>"));
    assert_true(strstr(html, "id=\"c4-gnuplot_canvas\"") <
                strstr(html, "<h2>Revenue lost, by quarter</h2>"));
    assert_true(strstr(html, "<td>Q1</td>") <
                strstr(html, "<h2>Appendix: how these numbers were made"));
    /* This run.ini does not resolve (a week past the fixture's horizon):
     * the appendix says so instead of listing the changes. */
    assert_non_null(strstr(html, "could not be compared with the "
                                 "defaults: "));
    assert_non_null(strstr(html, "run.ini:14: [scenario.pull_two_weeks] "
                                 "pull.start_week = 30 is past the "
                                 "horizon"));
    assert_non_null(strstr(html, "40 replications"));
    assert_non_null(strstr(html, "Seed 42"));
    /* No [report]: salescap's heading, no notes. */
    assert_non_null(strstr(html, "<h1>What the options cost</h1>"));
    assert_null(strstr(html, "class=\"notes\""));
    assert_non_null(strstr(html, "<td>Total</td><td>$2.59M</td>"
                                 "<td>$2.51M</td><td>$79.9k</td>"));
    /* Headline lines from summary.txt, escaped. */
    assert_non_null(strstr(html, "<li>Hire two ops staff, &quot;plan B&quot; "
                                 "gains $27k of revenue"));
    /* run.ini, escaped, in a <pre> folded away (and not printed). */
    assert_non_null(strstr(html, "&amp; &lt;escaping&gt; test"));
    assert_true(strstr(html, "<details class=\"screen\">") <
                strstr(html, "<pre>"));
    /* Self-contained: no external reference of any kind. */
    assert_null(strstr(html, "http://"));
    assert_null(strstr(html, "https://"));
    assert_null(strstr(html, "src="));
    assert_null(strstr(html, "<link"));
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "@import"));
    /* ids made unique per chart. */
    assert_int_equal(count(html, "id=\"gnuplot_canvas\""), 0);
    assert_int_equal(count(html, "id=\"c0-gnuplot_canvas\""), 1);
    assert_int_equal(count(html, "id=\"c4-gnuplot_canvas\""), 1);
    assert_null(strstr(html, "href='#gp"));
    free(html);
    /* The temporary charts are gone; only report.html was added. */
    char *p = rundata_path(d, "revenue.svg");
    assert_int_not_equal(access(p, F_OK), 0);
    free(p);
    rm_rf(d);
}

/* A run from before the decision (no ranking.csv, no pairs.csv): the
 * report has the other charts and no decision section. */
static void test_report_without_decision(void **state)
{
    (void)state;
    char *d = copy_fixture();
    for (int i = 0; i < 2; i++) {
        char *p = rundata_path(d, i ? "pairs.csv" : "ranking.csv");
        assert_int_equal(unlink(p), 0);
        free(p);
    }
    write_report(d, NULL);
    char *html = read_report(d);
    assert_int_equal(count(html, "<svg"), PLOT_NCHARTS - 2);
    assert_null(strstr(html, "Which option is best"));
    assert_int_equal(count(html, "<table>"), 2);
    free(html);
    rm_rf(d);
}

static void test_report_built_headline(void **state)
{
    (void)state;
    char *d = copy_fixture();
    char *p = rundata_path(d, "summary.txt");
    assert_int_equal(unlink(p), 0);
    free(p);
    write_report(d, NULL);
    char *html = read_report(d);
    assert_non_null(strstr(html, "<li><strong>Pull sales into ops for two "
                                 "weeks</strong> loses $79.9k of revenue "
                                 "over 2 quarters"));
    assert_non_null(strstr(html, "gains $27.1k"));
    free(html);
    rm_rf(d);
}

/* With fresh SVGs in the plots folder, the report inlines those. */
static void test_report_reuses_plots(void **state)
{
    (void)state;
    char *d = copy_fixture();
    char *plots = rundata_path(d, "plots");
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_true(plot_run_dir(d, plots, PLOT_SVG, &e) > 0);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "sed -i 's|<desc>|<desc>MARKER |' '%s/pipeline.svg'", plots);
    assert_int_equal(system(cmd), 0);
    write_report(d, plots);
    char *html = read_report(d);
    assert_int_equal(count(html, "MARKER"), 1);
    assert_int_equal(count(html, "<svg"), PLOT_NCHARTS);
    free(html);
    free(plots);
    rm_rf(d);
}

/* The charts a report draws for itself go to a private folder under
 * $TMPDIR, which is removed whole afterwards (the drawing's list of its
 * files once stayed behind and kept it). */
static void test_report_leaves_no_temporaries(void **state)
{
    (void)state;
    char *d = copy_fixture();
    char *tmp = rundata_path(d, "tmp");
    assert_int_equal(mkdir(tmp, 0777), 0);
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", tmp, 1);
    write_report(d, NULL);
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
    assert_int_equal(rmdir(tmp), 0); /* fails unless empty */
    free(tmp);
    rm_rf(d);
}

static void test_report_no_gnuplot(void **state)
{
    (void)state;
    char *d = copy_fixture();
    struct err e = {0};
    setenv(PLOT_ENV_GNUPLOT, "/nonexistent/gnuplot", 1);
    assert_int_equal(report_write(d, NULL, &e), -1);
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_string_equal(e.msg, PLOT_MSG_NOT_FOUND);
    char *p = rundata_path(d, "report.html");
    assert_int_not_equal(access(p, F_OK), 0);
    free(p);
    rm_rf(d);
}

static void test_report_bad_run(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(report_write("/nonexistent/run", NULL, &e), -1);
    assert_int_equal(e.kind, ERR_CONFIG);
    assert_non_null(strstr(e.msg, "/nonexistent/run/weekly.csv"));
}

int main(void)
{
    /* As salescap's main does: a gnuplot that is missing or dies closes
     * the pipe, and the write must fail with EPIPE, which plot_pipe
     * reports, not kill the test (status 141, now and then). */
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_contents),
        cmocka_unit_test(test_report_without_decision),
        cmocka_unit_test(test_report_built_headline),
        cmocka_unit_test(test_report_reuses_plots),
        cmocka_unit_test(test_report_leaves_no_temporaries),
        cmocka_unit_test(test_report_no_gnuplot),
        cmocka_unit_test(test_report_bad_run),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
