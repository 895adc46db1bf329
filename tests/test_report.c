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
#include "util.h"

#define FIXTURE "tests/data/run_fixture"

static const char *const fixture_files[] = {
    "weekly.csv",    "quarterly.csv", "comparison.csv",
    "scenarios.csv", "summary.txt",   "run.ini",
    "ranking.csv",   "pairs.csv",     "weekly_comparison.csv",
};

/* A temporary copy of the fixture run; the caller frees the name. */
static char *copy_fixture(void)
{
    char buf[512], cmd[2048];
    ru_mkdtemp(buf, sizeof buf, "test_report");
    for (size_t i = 0; i < sizeof fixture_files / sizeof *fixture_files; i++) {
        snprintf(cmd, sizeof cmd, "cp '%s/%s' '%s/'", FIXTURE, fixture_files[i],
                 buf);
        assert_int_equal(system(cmd), 0);
    }
    return strdup(buf);
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
    assert_true(strstr(html, "id=\"c6-gnuplot_canvas\"") <
                strstr(html, "id=\"c7-gnuplot_canvas\""));
    assert_true(strstr(html, "id=\"c7-gnuplot_canvas\"") <
                strstr(html, "id=\"c0-gnuplot_canvas\""));
    /* Then the headlines, the charts, the tables and the appendix. */
    assert_true(strstr(html, "<h2>Headline</h2>") <
                strstr(html, "<h2>Charts</h2>"));
    assert_true(strstr(html, "id=\"c5-gnuplot_canvas\"") <
                strstr(html, "<h2>Revenue gained (+) or lost (&minus;), by "
                             "quarter</h2>"));
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
    /* Gains upward, as lost_revenue draws them: the pull's loss of
     * $79.9k (comparison.csv: lost_revenue 79.9k) reads -$79.9k. */
    assert_non_null(strstr(html, "<td>Total</td><td>$2.59M</td>"
                                 "<td>$2.51M</td><td>-$79.9k</td>"));
    assert_non_null(strstr(html, "above zero, the scenario earns more"));
    assert_null(strstr(html, "warm-up"));
    assert_null(strstr(html, "Lost revenue"));
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
    ru_rm_rf(d);
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
    ru_rm_rf(d);
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
    /* Each interval in the direction its sentence speaks of. */
    assert_non_null(strstr(html, "(95% confidence interval of the loss: "
                                 "$"));
    assert_non_null(strstr(html, "(95% confidence interval of the gain: "
                                 "$"));
    free(html);
    ru_rm_rf(d);
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
    ru_rm_rf(d);
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
    ru_rm_rf(d);
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
    ru_rm_rf(d);
}

static void test_report_bad_run(void **state)
{
    (void)state;
    struct err e = {0};
    assert_int_equal(report_write("/nonexistent/run", NULL, &e), -1);
    assert_int_equal(e.kind, ERR_CONFIG);
    assert_non_null(strstr(e.msg, "/nonexistent/run/weekly.csv"));
}

/* A run.ini for the fixture that resolves, with [report]. */
static const char words_ini[] = "[simulation]\n"
                                "warmup_weeks = 26\n"
                                "horizon_weeks = 26\n"
                                "replications = 40\n"
                                "seed = 42\n"
                                "\n"
                                "[sales]\n"
                                "reps = 12\n"
                                "\n"
                                "[report]\n"
                                "title = Board pack: \"plan B\" & <more>\n"
                                "author = A. Consultant\n"
                                "notes = notes.md\n"
                                "\n"
                                "[scenario.pull_two_weeks]\n"
                                "title = Pull sales into ops for two weeks\n"
                                "pull.start_week = 4\n"
                                "pull.weeks = 2\n"
                                "\n"
                                "[scenario.hire_ops]\n"
                                "title = Hire two ops staff, \"plan B\"\n"
                                "hire.count = 2\n"
                                "hire.week = 4\n";

/* The fixture with words_ini as run.ini and the test notes as notes.md. */
static char *copy_fixture_with_words(void)
{
    char *d = copy_fixture();
    char cmd[2048];
    char *ini = rundata_path(d, "run.ini");
    FILE *f = fopen(ini, "w");
    assert_non_null(f);
    fputs(words_ini, f);
    assert_int_equal(fclose(f), 0);
    free(ini);
    snprintf(cmd, sizeof cmd, "cp tests/data/report_notes.md '%s/notes.md'", d);
    assert_int_equal(system(cmd), 0);
    return d;
}

/* The notes of tests/data/report_notes.md as the report writes them:
 * every tag, attribute and link of the file shown as text. */
static const char notes_html[] =
    "<section id=\"notes\" class=\"notes\">\n"
    "<h2>Recommendation</h2>\n"
    "<p>Do <strong>not</strong> lend the reps to operations: the pull "
    "costs\n<strong>more than it saves</strong>, a quarter later.</p>\n"
    "<ul>\n"
    "<li>Hire ops instead &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"
    "</li>\n"
    "<li>Keep <code>pull.weeks</code> at 0 &amp; watch &quot;the "
    "backlog&quot;\ncontinued on the next line</li>\n"
    "</ul>\n"
    "<h3>Why</h3>\n"
    "<ol>\n<li>Reps lose deals while away.</li>\n"
    "<li>Deals lost now are revenue lost later.</li>\n</ol>\n"
    "<p>&lt;b&gt;not bold&lt;/b&gt; and &lt;img src=x "
    "onerror=alert(1)&gt; stay text; so do\n"
    "[links](https://example.com/) and *stars*.</p>\n"
    "</section>\n";

/* [report]: title, author and date at the top, the notes escaped in
 * their Markdown subset before the decision, and the appendix's list of
 * the parameters that differ from the defaults. */
static void test_report_words(void **state)
{
    (void)state;
    char *d = copy_fixture_with_words();
    setenv("SOURCE_DATE_EPOCH", "86400", 1);
    write_report(d, NULL);
    unsetenv("SOURCE_DATE_EPOCH");
    char *html = read_report(d);
    assert_non_null(strstr(html, "<title>Board pack: &quot;plan B&quot; "
                                 "&amp; &lt;more&gt;</title>"));
    assert_non_null(strstr(html, "<h1>Board pack: &quot;plan B&quot; &amp; "
                                 "&lt;more&gt;</h1>\n<p class=\"meta\">A. "
                                 "Consultant &middot; 2 January 1970</p>"));
    const char *notes = strstr(html, notes_html);
    if (!notes)
        fail_msg("the notes are not as expected:\n%s", html);
    assert_true(notes < strstr(html, "<h2>Which option is best</h2>"));
    /* Nothing of the notes became markup. */
    assert_null(strstr(html, "<script"));
    assert_null(strstr(html, "<img"));
    assert_null(strstr(html, "<b>"));
    assert_null(strstr(html, "href=\"http"));
    /* The appendix: what differs from the defaults, grouped, with the
     * default and the meaning; what does not differ is not there. */
    const char *app = strstr(html, "<h3>Parameters that differ from the "
                                   "defaults</h3>");
    assert_non_null(app);
    assert_true(strstr(app, "<tr class=\"group\"><th colspan=\"4\">"
                            "[simulation]</th></tr>\n<tr><td><code>"
                            "horizon_weeks</code></td><td><code>26</code>"
                            "</td><td><code>104</code></td><td>reported "
                            "weeks; week 0 is the first</td></tr>\n"));
    assert_non_null(strstr(app, "<tr><td><code>reps</code></td><td><code>"
                                "12</code></td><td><code>8</code></td>"));
    assert_non_null(strstr(app, "<th colspan=\"4\">[scenario.hire_ops] Hire "
                                "two ops staff, &quot;plan B&quot;</th>"));
    assert_non_null(strstr(app, "<tr><td><code>hire.type</code></td><td>"
                                "<code>hire</code></td><td>&mdash;</td>"));
    assert_non_null(strstr(app, "<tr><td><code>hire.count</code></td><td>"
                                "<code>2</code></td><td><code>1</code>"));
    assert_null(strstr(app, "<code>seed</code>"));
    assert_null(strstr(app, "<code>hire.role</code>"));
    assert_null(strstr(app, "<code>pull.weeks</code>"));
    assert_null(strstr(app, "[report]</th>"));
    assert_non_null(strstr(html, "<i>t</i> &times; <i>s</i> / &radic;<i>n"
                                 "</i>, where <i>n</i> is the number of "
                                 "replications"));
    assert_non_null(strstr(html, "<h3>Assumptions that matter for reading "
                                 "the results</h3>"));
    free(html);
    ru_rm_rf(d);
}

/* The print style: margins, nothing split, headings kept with what
 * follows, run.ini not printed. */
static void test_report_print_style(void **state)
{
    (void)state;
    char *d = copy_fixture();
    write_report(d, NULL);
    char *html = read_report(d);
    const char *print = strstr(html, "@media print{");
    assert_non_null(print);
    assert_non_null(strstr(html, "@page{margin:"));
    assert_non_null(strstr(print, "figure,tr,li,thead,.quarters"
                                  "{break-inside:avoid;"));
    assert_non_null(strstr(print, "h1,h2,h3,h4,.meta,.lead{break-after:"
                                  "avoid;"));
    assert_non_null(strstr(print, ".screen,details,nav{display:none}"));
    assert_non_null(strstr(print, "body{background:#fff;color:#000;"));
    assert_true(strstr(html, "</style>") > print);
    free(html);
    ru_rm_rf(d);
}

/* A run whose notes copy is gone: an error at run.ini's line, not a
 * report without the consultant's words; no report.html. */
static void test_report_notes_missing(void **state)
{
    (void)state;
    char *d = copy_fixture_with_words();
    char *notes = rundata_path(d, "notes.md");
    assert_int_equal(unlink(notes), 0);
    free(notes);
    struct err e = {0};
    unsetenv(PLOT_ENV_GNUPLOT);
    assert_int_equal(report_write(d, NULL, &e), -1);
    assert_int_equal(e.kind, ERR_CONFIG);
    char want[1024];
    snprintf(want, sizeof want,
             "%s/run.ini:13: [report] notes: cannot open "
             "'%s/notes.md': No such file or directory",
             d, d);
    assert_string_equal(e.msg, want);
    char *p = rundata_path(d, "report.html");
    assert_int_not_equal(access(p, F_OK), 0);
    free(p);
    ru_rm_rf(d);
}

static char *notes_of(const char *text)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(report_notes_html(f, text), 0);
    fclose(f);
    return buf;
}

/* The Markdown subset, case by case. */
static void test_notes_markdown(void **state)
{
    (void)state;
    char *h = notes_of("# T\n\nPara **b** `c` <x> & \"q\" 'a'\nline2\n\n"
                       "- i1\n- i2\n  cont\n3. x\n4. y\n\n## H2 ##\n### H3\n"
                       "#### H4\n#nospace\n\\*lit\\* `a<b`\n"
                       "**bold over\ntwo lines**\n\n**unclosed\n");
    assert_string_equal(h, "<h2>T</h2>\n"
                           "<p>Para <strong>b</strong> <code>c</code> &lt;x"
                           "&gt; &amp; &quot;q&quot; &#39;a&#39;\nline2</p>\n"
                           "<ul>\n<li>i1</li>\n<li>i2\ncont</li>\n</ul>\n"
                           "<ol start=\"3\">\n<li>x</li>\n<li>y</li>\n</ol>\n"
                           "<h3>H2</h3>\n<h4>H3</h4>\n<h4>H4</h4>\n"
                           "<p>#nospace\n*lit* <code>a&lt;b</code>\n"
                           "<strong>bold over\ntwo lines</strong></p>\n"
                           "<p>**unclosed</p>\n");
    free(h);
    h = notes_of("\xef\xbb\xbf"
                 "A\r\nB  \r\n\r\n\r\n* one\r\n");
    assert_string_equal(h, "<p>A\nB</p>\n<ul>\n<li>one</li>\n</ul>\n");
    free(h);
    h = notes_of("");
    assert_string_equal(h, "");
    free(h);
}

/* A run keeps its notes: notes.md beside run.ini, which names it, so the
 * report is redrawn and the run repeated after the original is gone. */
static void test_report_run_keeps_notes(void **state)
{
    (void)state;
    const char *bin = getenv("SALESCAP");
    char dir[512], cmd[8192], cwd[1024];
    ru_mkdtemp(dir, sizeof dir, "test_notes");
    assert_non_null(getcwd(cwd, sizeof cwd));
    snprintf(cmd, sizeof cmd,
             "printf 'include = %s/tests/data/tiny.ini\\n[report]\\ntitle = "
             "Board\\nnotes = n.md\\n' >'%s/board.ini' && printf "
             "'Keep **this** <b>\\n' >'%s/n.md' && '%s' run '%s/board.ini' "
             "-n 2 -q --no-plot -o '%s/run' && rm '%s/n.md' && grep -qx "
             "'notes = notes.md' '%s/run/run.ini' && '%s' run "
             "'%s/run/run.ini' -n 2 -q --no-plot -o '%s/again'",
             cwd, dir, dir, bin ? bin : "./salescap", dir, dir, dir, dir,
             bin ? bin : "./salescap", dir, dir);
    assert_int_equal(system(cmd), 0);
    char *run = rundata_path(dir, "run");
    char *copy = rundata_path(run, "notes.md");
    size_t n;
    char *text = csv_slurp(copy, &n, NULL);
    assert_non_null(text);
    assert_string_equal(text, "Keep **this** <b>\n");
    free(text);
    free(copy);
    write_report(run, NULL);
    char *html = read_report(run);
    assert_non_null(strstr(html, "<section id=\"notes\" class=\"notes\">\n"
                                 "<p>Keep "
                                 "<strong>this</strong> &lt;b&gt;</p>\n"));
    free(html);
    free(run);
    ru_rm_rf(strdup(dir));
}

/* A run with teams and a plan: the report carries their charts too
 * (revenue_by_team, pipeline_by_team, plan), each with its caption. */
static void test_report_teams_and_plan(void **state)
{
    (void)state;
    const char *bin = getenv("SALESCAP");
    char dir[512], cmd[4096];
    ru_mkdtemp(dir, sizeof dir, "test_teams_report");
    snprintf(cmd, sizeof cmd,
             "'%s' run tests/data/teams_two.ini -n 2 -q --no-plot "
             "--set plan.bookings_per_quarter=600000 -o '%s/run' 2>/dev/null",
             bin ? bin : "./salescap", dir);
    assert_int_equal(system(cmd), 0);
    char *run = rundata_path(dir, "run");
    write_report(run, NULL);
    char *html = read_report(run);
    static const char *const extra[] = {"plan", "revenue_by_team",
                                        "pipeline_by_team"};
    for (size_t i = 0; i < 3; i++) {
        char label[64];
        snprintf(label, sizeof label, "aria-label=\"%s\"", extra[i]);
        if (count(html, label) != 1)
            fail_msg("report.html: %s %d times", label, count(html, label));
    }
    assert_int_equal(count(html, "<svg"), PLOT_NCHARTS + 3);
    assert_int_equal(count(html, "<figcaption>"), PLOT_NCHARTS + 3);
    assert_non_null(strstr(html, "stacked by team"));
    free(html);
    free(run);
    ru_rm_rf(strdup(dir));
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
        cmocka_unit_test(test_report_words),
        cmocka_unit_test(test_report_print_style),
        cmocka_unit_test(test_report_notes_missing),
        cmocka_unit_test(test_notes_markdown),
        cmocka_unit_test(test_report_run_keeps_notes),
        cmocka_unit_test(test_report_teams_and_plan),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
