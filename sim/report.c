/*
 * report: report.html, one self-contained page about a run (see
 * include/report.h).
 *
 * The page is written top to bottom into an afile: the heading with the
 * [report] title, author and date, the consultant's notes, the decision,
 * headlines, charts, tables, and the appendix (report_appendix.c). Its
 * style sheet carries print rules, so a browser's "print to PDF" gives a
 * clean A4 or Letter handout (tests/report_print.sh checks it in
 * Chromium). Charts are gnuplot's SVG, inlined after three changes that
 * keep the page self-contained and valid: the XML prolog and the xmlns
 * attributes (the only "http" in gnuplot's output, and optional inside
 * HTML) are dropped, and every id and reference to one gets a per-chart
 * prefix, since all charts share one document and gnuplot gives each the
 * same ids.
 */
#include "report.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "afile.h"
#include "csvread.h"
#include "plot.h"
#include "report_int.h"
#include "rundata.h"

/* What each chart of plot_chart_names shows, for its caption. */
static const char *const captions[PLOT_NCHARTS] = {
    "Weekly revenue of the baseline and each scenario: the mean with its "
    "95% confidence band; tinted spans mark the weeks interventions act.",
    "Each scenario's weekly revenue minus the baseline's, on the same "
    "random numbers, with the 95% confidence band of the difference: "
    "above zero, the scenario earns more.",
    "Revenue gained (+) or lost (-) by each scenario against doing "
    "nothing, by quarter (scenario minus baseline, paired), with 95% "
    "confidence whiskers and the running total.",
    "Ops backlog in hours (solid) and the onboarding delay a new client "
    "can expect, in days (dashed).",
    "Open opportunities (solid) and the annual value of the pipeline "
    "(dashed).",
    "Where the reps' hours go each week, stacked by activity.",
    "Each option's cumulative effect against doing nothing (the "
    "baseline), quarter by quarter, on the same random numbers: the mean "
    "with its 95% confidence band; above zero is better.",
    "Left: each option minus doing nothing over the decision's quarters, "
    "paired, with its 95% confidence interval. Right: the share of "
    "replications in which the option came out best, with its 95% Wilson "
    "interval.",
};

/* Charts only some runs have (plot.c draws them beside the others): the
 * plan's and the teams'. Their ids in the page follow the others'. */
static const struct {
    const char *name, *caption;
} extra[] = {
    {"plan", "The chance of making plan by quarter: the share of "
             "replications whose quarter met the plan, with its 95% Wilson "
             "interval, for doing nothing and each option."},
    {"revenue_by_team", "Weekly revenue stacked by team, one panel per "
                        "option: each band is a team's clients' revenue."},
    {"pipeline_by_team", "The open pipeline's annual value stacked by "
                         "team, one panel per option."},
};
#define N_EXTRA (sizeof extra / sizeof extra[0])

/* The decision's charts, shown at the top with the ranking rather than
 * with the others. */
enum { CHART_DIFF = 1, CHART_LOST = 2, CHART_IMPACT = 6, CHART_RANKING = 7 };
_Static_assert(PLOT_NCHARTS == 8, "captions and the decision's charts");

/* The screen style, then the print rules: A4 or Letter (the browser's
 * choice of paper), charts scaled to the page's width, no chart, table
 * row or list item split over two pages, headings kept with what
 * follows, run.ini (folded away on screen) left out, black on white. */
static const char page_style[] =
    "body{margin:0;background:#f4f4f2;color:#222;"
    "font-family:'DejaVu Sans','Segoe UI',Helvetica,Arial,sans-serif;"
    "line-height:1.45}\n"
    "main{max-width:1120px;margin:0 auto;padding:24px 32px 48px;"
    "background:#fff}\n"
    "h1{font-size:28px;margin:8px 0 4px}h2{font-size:20px;"
    "margin:36px 0 10px;border-bottom:1px solid #ddd;padding-bottom:4px}\n"
    "h3{font-size:16px;margin:20px 0 6px}h4{font-size:15px;"
    "margin:16px 0 4px}.meta{color:#555;margin:0}\n"
    ".notes{font-size:17px;overflow-wrap:break-word}"
    ".notes p,.notes li{max-width:48em}\n"
    ".headline li{font-size:17px;margin:6px 0}\n"
    "table{border-collapse:collapse;font-variant-numeric:tabular-nums;"
    "margin:4px 0 12px}\n"
    "th,td{padding:5px 14px;border-bottom:1px solid #e4e4e4;"
    "text-align:right;vertical-align:top}th{background:#f0f0ee;"
    "font-weight:600}\n"
    "td:first-child,th:first-child{text-align:left}"
    "tr.total td{font-weight:700;border-top:2px solid #999}\n"
    "table.ranking td:nth-child(2),table.ranking th:nth-child(2),"
    "table.changes th,table.changes td{text-align:left}\n"
    "table.changes{width:100%;table-layout:fixed}"
    "table.changes code{overflow-wrap:anywhere}\n"
    "table.changes thead th:nth-child(1){width:27%}"
    "table.changes thead th:nth-child(2),"
    "table.changes thead th:nth-child(3){width:19%}\n"
    "tr.group th{background:none;border-bottom:1px solid #999;"
    "padding-top:14px}\n"
    "figure{margin:18px 0 30px}figure svg{width:100%;height:auto;"
    "display:block}\n"
    "figcaption{color:#555;font-size:14px;margin-top:4px}\n"
    "pre{background:#f6f6f4;padding:12px;overflow-x:auto;font-size:13px;"
    "border:1px solid #e4e4e4}\n"
    "details{margin:18px 0}summary{cursor:pointer}\n"
    "footer{color:#888;font-size:13px;margin-top:40px}\n"
    "@page{margin:16mm 15mm 18mm}\n"
    "@media print{\n"
    "body{background:#fff;color:#000;font-size:10pt;line-height:1.35}\n"
    "main{max-width:none;margin:0;padding:0}\n"
    "h1{font-size:20pt;margin:0 0 4pt}h2{font-size:14pt;"
    "margin:16pt 0 6pt}h3{font-size:11.5pt;margin:12pt 0 4pt}"
    "h4{font-size:10.5pt}\n"
    "h1,h2,h3,h4,.meta,.lead{break-after:avoid;page-break-after:avoid}"
    "footer{break-before:avoid}\n"
    "figure,tr,li,thead,.quarters{break-inside:avoid;"
    "page-break-inside:avoid}"
    "p{orphans:3;widows:3}\n"
    "figure{margin:6pt 0 14pt}figure svg{max-height:150mm}"
    "figcaption{font-size:9pt;color:#333}\n"
    ".notes,.headline li{font-size:11pt}\n"
    "table{font-size:9pt;max-width:100%}th,td{padding:2pt 6pt}"
    "th{background:none;border-bottom:1px solid #000}"
    "thead{display:table-header-group}\n"
    ".screen,details,nav{display:none}\n"
    "footer{color:#444;font-size:8pt;margin-top:16pt}\n"
    "}\n";

void report_esc(FILE *f, const char *s, size_t n)
{
    for (size_t i = 0; i < n && s[i]; i++) {
        switch (s[i]) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(s[i], f);
        }
    }
}

static void html(FILE *f, const char *s)
{
    report_esc(f, s, strlen(s));
}

/* Whether a line s of summary.txt (after its prefix) is about a
 * scenario rundata_select left out: a headline whose subject (the
 * longest title it starts with, then a blank or a colon) is one, or with
 * anywhere, a sentence that names one (the decision's, naming options). */
static int about_hidden(const struct rundata *rd, const char *s, int anywhere)
{
    size_t best = 0;
    int hidden = 0;
    for (int i = 0; i < rd->nscen + rd->nhidden; i++) {
        const char *t =
            i < rd->nscen ? rd->scen[i].title : rd->hidden[i - rd->nscen];
        size_t n = strlen(t);
        if (anywhere && i >= rd->nscen && strstr(s, t))
            return 1;
        if (n > best && !strncmp(s, t, n) && (s[n] == ' ' || s[n] == ':')) {
            best = n;
            hidden = i >= rd->nscen;
        }
    }
    return !anywhere && hidden;
}

/* Writes the lines of summary.txt that start with prefix, between open
 * and close (the prefix left out unless keep), but those about_hidden()
 * says are about a scenario left out; returns how many there were (0
 * when the file is missing). keep also makes a line that names one
 * anywhere left out. */
static int lines_from_summary(FILE *f, const char *run_dir,
                              const struct rundata *rd, const char *prefix,
                              int keep, const char *open, const char *close)
{
    char *path = rundata_path(run_dir, "summary.txt");
    size_t len, plen = strlen(prefix);
    char *text = path ? csv_slurp(path, &len, NULL) : NULL;
    free(path);
    int n = 0;
    for (char *p = text; p && *p;) {
        size_t k = strcspn(p, "\n");
        if (strncmp(p, prefix, plen) == 0) {
            char *s = keep ? p : p + plen;
            while (*s == ' ')
                s++;
            size_t m = (size_t)(p + k - s);
            /* The line after its prefix, as a string of its own. */
            char *subject = strndup(p + plen, k - plen);
            int skip = !subject ||
                       about_hidden(rd, subject + strspn(subject, " "), keep);
            free(subject);
            if (skip) {
                p += k + (p[k] == '\n');
                continue;
            }
            while (m > 0 && isspace((unsigned char)s[m - 1]))
                m--;
            fputs(open, f);
            report_esc(f, s, m);
            fputs(close, f);
            n++;
        }
        p += k + (p[k] == '\n');
    }
    free(text);
    return n;
}

/* The "Headline:" lines of summary.txt as list items. */
static int headlines_from_summary(FILE *f, const char *run_dir,
                                  const struct rundata *rd)
{
    return lines_from_summary(f, run_dir, rd, "Headline:", 0, "<li>",
                              "</li>\n");
}

/* One sentence about scenario s from its total lost revenue. */
static void headline_built(FILE *f, const struct rundata *rd, int s)
{
    double lost = rundata_comp(rd, s, RD_LOST_REVENUE, 0, RD_DELTA);
    double lo = rundata_comp(rd, s, RD_LOST_REVENUE, 0, RD_DLOW);
    double hi = rundata_comp(rd, s, RD_LOST_REVENUE, 0, RD_DHIGH);
    char v[64], a[64], b[64];
    fputs("<li><strong>", f);
    html(f, rd->scen[s].title);
    if (isnan(lost)) {
        fputs("</strong>: no revenue comparison in this run.</li>\n", f);
        return;
    }
    plot_fmt_money(v, sizeof v, fabs(lost), 0.0);
    fprintf(f,
            "</strong> %s %s of revenue over %d quarter%s against the "
            "baseline",
            lost >= 0.0 ? "loses" : "gains", v, rd->quarters,
            rd->quarters == 1 ? "" : "s");
    if (!isnan(lo) && !isnan(hi)) {
        /* The interval of what the sentence says: the loss, or the gain
         * (its sign turned), never a negative loss. */
        int loss = lost >= 0.0;
        plot_fmt_money(a, sizeof a, loss ? lo : 0.0 - hi, 0.0);
        plot_fmt_money(b, sizeof b, loss ? hi : 0.0 - lo, 0.0);
        fprintf(f, " (95%% confidence interval of the %s: %s to %s%s)",
                loss ? "loss" : "gain", a, b,
                lo <= 0.0 && hi >= 0.0
                    ? "; not clearly different from no change"
                    : "");
    }
    fputs(".</li>\n", f);
}

static void write_headline(FILE *f, const struct rundata *rd,
                           const char *run_dir)
{
    fputs("<section id=\"headline\" class=\"headline\">\n<h2>Headline"
          "</h2>\n<ul>\n",
          f);
    if (headlines_from_summary(f, run_dir, rd) == 0) {
        for (int s = 1; s < rd->nscen; s++)
            headline_built(f, rd, s);
        if (rd->nscen < 2)
            fputs("<li>This run has no scenario to compare with the "
                  "baseline.</li>\n",
                  f);
    }
    fputs("</ul>\n</section>\n", f);
}

/* A money cell; "n/a" for a missing value. */
static void money_cell(FILE *f, double v)
{
    char buf[64];
    if (isnan(v)) {
        fputs("<td>n/a</td>", f);
        return;
    }
    plot_fmt_money(buf, sizeof buf, v, 0.0);
    fprintf(f, "<td>%s</td>", buf);
}

/* Quarter q's row (0: the total) of scenario s: revenue gained, which
 * is comparison.csv's lost revenue with its sign turned (0.0 - v: no
 * "-$0"), as the lost_revenue chart draws it. */
static void table_row(FILE *f, const struct rundata *rd, int s, int q)
{
    double lo = rundata_comp(rd, s, RD_LOST_REVENUE, q, RD_DLOW);
    double hi = rundata_comp(rd, s, RD_LOST_REVENUE, q, RD_DHIGH);
    char name[48];
    cal_quarter(&rd->cal, q > 0 ? q : 1, CAL_SHORT, name, sizeof name);
    if (q == 0)
        fputs("<tr class=\"total\"><td>Total</td>", f);
    else
        fprintf(f, "<tr><td>%s</td>", name);
    money_cell(f, rundata_comp(rd, s, M_REVENUE, q, RD_BASE));
    money_cell(f, rundata_comp(rd, s, M_REVENUE, q, RD_SCEN));
    money_cell(f, 0.0 - rundata_comp(rd, s, RD_LOST_REVENUE, q, RD_DELTA));
    if (isnan(lo) || isnan(hi))
        fputs("<td>n/a</td>", f);
    else
        money_cell(f, (hi - lo) / 2.0);
    money_cell(
        f, 0.0 - rundata_comp(rd, s, RD_LOST_REVENUE_CUMULATIVE, q, RD_DELTA));
    fputs("</tr>\n", f);
}

static void write_tables(FILE *f, const struct rundata *rd)
{
    fputs("<section id=\"quarters\">\n<h2>Revenue gained (+) or lost "
          "(&minus;), by quarter</h2>\n<p class=\"lead\">Gained (+) or "
          "lost (&minus;) is scenario revenue minus baseline revenue on the "
          "same random numbers (paired): above zero, the scenario earns "
          "more than doing nothing; below zero, it earns less. &plusmn; is "
          "the half-width of its 95% confidence interval.</p>\n",
          f);
    for (int s = 1; s < rd->nscen; s++) {
        fputs("<div class=\"quarters\">\n<h3>", f);
        html(f, rd->scen[s].title);
        fputs("</h3>\n<table>\n<thead><tr><th>Quarter</th><th>Baseline "
              "revenue</th><th>Scenario revenue</th><th>Gained (+) or lost "
              "(&minus;)</th><th>&plusmn; (95%)</th><th>Gained or lost so "
              "far</th></tr></thead>\n",
              f);
        for (int q = 1; q <= rd->quarters; q++)
            table_row(f, rd, s, q);
        table_row(f, rd, s, 0);
        fputs("</table>\n</div>\n", f);
    }
    fputs("</section>\n", f);
}

/* Copies gnuplot's <svg ...> start tag without its xmlns attributes;
 * returns the position after the tag. */
static const char *svg_open_tag(FILE *f, const char *p, const char *label)
{
    fputs("<svg role=\"img\" aria-label=\"", f);
    html(f, label);
    fputc('"', f);
    p += 4;
    while (*p && *p != '>') {
        size_t ws = strspn(p, " \t\r\n");
        const char *name = p + ws;
        size_t k = strcspn(name, "=> \t\r\n");
        const char *end = name + k;
        if (*end == '=' && (end[1] == '"' || end[1] == '\'')) {
            const char *close = strchr(end + 2, end[1]);
            end = close ? close + 1 : end + 2;
        }
        if (k > 0 && strncmp(name, "xmlns", 5) != 0) {
            fputc(' ', f);
            fwrite(name, 1, (size_t)(end - name), f);
        }
        p = end > p ? end : p + 1;
    }
    fputc('>', f);
    return *p ? p + 1 : p;
}

/* The rest of the SVG with ids, fragment links and url(#) prefixed. */
static void svg_body(FILE *f, const char *p, int chart)
{
    static const char *const marks[] = {"id='", "id=\"", "href='#", "href=\"#",
                                        "url(#"};
    while (*p) {
        size_t i, n = 0;
        for (i = 0; i < 5; i++) {
            n = strlen(marks[i]);
            if (strncmp(p, marks[i], n) == 0)
                break;
        }
        if (i < 5 && (i > 1 || p[-1] == ' ')) {
            fwrite(p, 1, n, f);
            fprintf(f, "c%d-", chart);
            p += n;
        } else if (strncmp(p, "<title>Gnuplot</title>", 22) == 0) {
            p += 22;
        } else {
            fputc(*p++, f);
        }
    }
}

/* Inlines the SVG at path as chart number `chart` (its ids' prefix),
 * labelled name, with its caption. */
static int inline_svg(FILE *f, const char *path, int chart, const char *name,
                      const char *caption, struct err *e)
{
    size_t len;
    char *text = csv_slurp(path, &len, e);
    if (!text)
        return -1;
    const char *p = strstr(text, "<svg");
    if (!p) {
        free(text);
        return err_set(e, ERR_RUNTIME, "%s: not an SVG file", path);
    }
    fputs("<figure>\n", f);
    p = svg_open_tag(f, p, name);
    svg_body(f, p, chart);
    fputs("\n<figcaption>", f);
    html(f, caption);
    fputs("</figcaption>\n</figure>\n", f);
    free(text);
    return 0;
}

static time_t mtime_of(const char *dir, const char *name)
{
    struct stat st;
    char *p = rundata_path(dir, name);
    int ok = p && stat(p, &st) == 0;
    free(p);
    return ok ? st.st_mtime : (time_t)-1;
}

/* Whether the run draws chart i (plot.c's rules): lost_revenue when it
 * compares scenarios, revenue_difference when it also has their weekly
 * differences, impact and ranking when it also ranked them. */
static int chart_drawn(int i, const struct rundata *rd)
{
    int compare = rd->nscen > 1 && rd->quarters > 0;
    if (i == CHART_IMPACT || i == CHART_RANKING)
        return compare && rd->ndec > 1;
    if (i == CHART_DIFF)
        return rd->nscen > 1 && rd->wdiff;
    return i != CHART_LOST || compare;
}

/* True when dir holds every chart as an SVG at least as new as the CSVs
 * (those chart_drawn says the run has). */
static int svgs_fresh(const char *dir, const char *run_dir,
                      const struct rundata *rd)
{
    static const char *const csvs[] = {"weekly.csv", "comparison.csv",
                                       "ranking.csv", "pairs.csv",
                                       "weekly_comparison.csv"};
    time_t t0 = (time_t)-1;
    for (size_t k = 0; k < sizeof csvs / sizeof csvs[0]; k++) {
        time_t t1 = mtime_of(run_dir, csvs[k]);
        if (t1 > t0)
            t0 = t1;
    }
    for (int i = 0; i < PLOT_NCHARTS; i++) {
        char name[64];
        if (!chart_drawn(i, rd))
            continue;
        snprintf(name, sizeof name, "%s.svg", plot_chart_names[i]);
        time_t t = mtime_of(dir, name);
        if (t == (time_t)-1 || t < t0)
            return 0;
    }
    return 1;
}

static void remove_tmp_charts(const char *dir)
{
    static const char *const ext[] = {".svg", ".gp"};
    for (size_t i = 0; i < PLOT_NCHARTS + N_EXTRA; i++) {
        for (int j = 0; j < 2; j++) {
            char name[64];
            snprintf(name, sizeof name, "%s%s",
                     i < PLOT_NCHARTS ? plot_chart_names[i]
                                      : extra[i - PLOT_NCHARTS].name,
                     ext[j]);
            char *p = rundata_path(dir, name);
            if (p)
                unlink(p);
            free(p);
        }
    }
    char *list = rundata_path(dir, PLOT_MANIFEST);
    if (list)
        unlink(list);
    free(list);
    rmdir(dir);
}

/* Inlines dir's SVG of chart i (plot_chart_names, then extra), if it is
 * there. */
static int chart_svg(FILE *f, const char *dir, int i, struct err *e)
{
    char name[64];
    const char *chart =
        i < PLOT_NCHARTS ? plot_chart_names[i] : extra[i - PLOT_NCHARTS].name;
    const char *caption =
        i < PLOT_NCHARTS ? captions[i] : extra[i - PLOT_NCHARTS].caption;
    snprintf(name, sizeof name, "%s.svg", chart);
    char *p = rundata_path(dir, name);
    if (!p)
        return err_oom(e);
    int rc = access(p, F_OK) == 0 ? inline_svg(f, p, i, chart, caption, e) : 0;
    free(p);
    return rc;
}

static int write_charts(FILE *f, const char *dir, struct err *e)
{
    fputs("<section id=\"charts\">\n<h2>Charts</h2>\n", f);
    for (int i = 0; i < PLOT_NCHARTS + (int)N_EXTRA; i++) {
        if (i == CHART_IMPACT || i == CHART_RANKING)
            continue; /* at the top, with the ranking */
        if (chart_svg(f, dir, i, e) != 0)
            return -1;
    }
    fputs("</section>\n", f);
    return 0;
}

/* The date the report is written, "5 March 2027": SOURCE_DATE_EPOCH
 * (seconds, UTC) when set, as reproducible builds use it; else today,
 * local time. */
static void report_date(char *buf, size_t size)
{
    static const char *const months[] = {
        "January", "February", "March",     "April",   "May",      "June",
        "July",    "August",   "September", "October", "November", "December",
    };
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    char *end = NULL;
    long long v = sde && *sde ? strtoll(sde, &end, 10) : -1;
    time_t t = v >= 0 && end && !*end ? (time_t)v : time(NULL);
    struct tm tm;
    if (!(v >= 0 && end && !*end ? gmtime_r(&t, &tm) : localtime_r(&t, &tm))) {
        snprintf(buf, size, "(no date)");
        return;
    }
    snprintf(buf, size, "%d %s %d", tm.tm_mday, months[tm.tm_mon % 12],
             tm.tm_year + 1900);
}

/* Text of the run's [report], or "" (no run.ini, or the key unset). */
static const char *word(const char *s)
{
    return s ? s : "";
}

static void write_head(FILE *f, const struct rundata *rd,
                       const struct report_run *run, const char *run_dir)
{
    const char *title = word(run->words.title);
    const char *author = word(run->words.author);
    char date[64];
    report_date(date, sizeof date);
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset="
          "\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width,"
          " initial-scale=1\">\n<title>",
          f);
    if (*title) {
        html(f, title);
    } else {
        fputs("salescap report: ", f);
        html(f, run_dir);
    }
    fprintf(f,
            "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n"
            "<header>\n<h1>",
            page_style);
    html(f, *title ? title : "What the options cost");
    fputs("</h1>\n<p class=\"meta\">", f);
    if (*author) {
        html(f, author);
        fputs(" &middot; ", f);
    }
    html(f, date);
    fputs("</p>\n<p class=\"meta\">Simulated by salescap: ", f);
    fprintf(f,
            "%d replication%s of %d weeks (%d quarter%s) &middot; run "
            "<code>",
            rd->replications, rd->replications == 1 ? "" : "s", rd->weeks,
            rd->quarters, rd->quarters == 1 ? "" : "s");
    html(f, run_dir);
    fputs("</code></p>\n</header>\n", f);
}

/* The consultant's notes, when the run has them. */
static int write_notes(FILE *f, const struct report_run *run, struct err *e)
{
    const char *text = run->words.notes_text;
    if (!text || !*text)
        return 0;
    fputs("<section id=\"notes\" class=\"notes\">\n", f);
    if (report_notes_html(f, text) != 0)
        return err_oom(e);
    fputs("</section>\n", f);
    return 0;
}

/* A value of the decision's metric: money, or a plain number. */
static void value_cell(FILE *f, double v, int money, int sign)
{
    char buf[64];
    if (isnan(v)) {
        fputs("<td>n/a</td>", f);
        return;
    }
    if (money)
        plot_fmt_money(buf, sizeof buf, v, 0.0);
    else
        snprintf(buf, sizeof buf, "%.1f", v);
    fprintf(f, "<td>%s%s</td>", sign && v > 0.0 ? "+" : "", buf);
}

static void ranking_row(FILE *f, const struct rundata *rd,
                        const struct rd_rank *d, int money)
{
    fprintf(f, "<tr><td>%d</td><td>", d->rank);
    html(f, d->s ? rd->scen[d->s].title : "Doing nothing (the baseline)");
    fputs("</td>", f);
    value_cell(f, d->mean, money, 0);
    if (d->s == 0) {
        fputs("<td>&mdash;</td><td></td>", f);
    } else {
        value_cell(f, d->vs, money, 1);
        if (isnan(d->vs_lo) || isnan(d->vs_hi))
            fputs("<td>n/a</td>", f);
        else
            value_cell(f, (d->vs_hi - d->vs_lo) / 2.0, money, 0);
    }
    fprintf(f, "<td>%.0f%%</td><td>%s</td></tr>\n", 100.0 * d->p_best,
            d->rank == 1   ? "best"
            : d->tied == 1 ? "statistically tied with the best"
                           : "");
}

/* The decision: its sentence, the ranking table and its two charts. */
static int write_decision(FILE *f, const struct rundata *rd,
                          const char *run_dir, const char *svg_dir,
                          struct err *e)
{
    int m = metric_find(rd->dec_metric);
    int money = m < 0 || !strcmp(metric_table[m].unit, "$");
    fputs("<section id=\"decision\" class=\"headline\">\n<h2>Which "
          "option is best</h2>\n",
          f);
    lines_from_summary(f, run_dir, rd, "Best:", 1, "<p><strong>",
                       "</strong></p>\n");
    char over[128];
    cal_quarters(&rd->cal, rd->dec_q0, rd->dec_q1, over, sizeof over);
    fprintf(f, "<table class=\"ranking\">\n<thead><tr><th>Rank</th>"
               "<th>Option</th><th>");
    html(f, m >= 0 ? metric_table[m].label : rd->dec_metric);
    fprintf(f,
            " over %s</th><th>vs doing nothing</th><th>&plusmn; (95%%)"
            "</th><th>Best in</th><th></th></tr></thead>\n",
            over);
    for (int i = 0; i < rd->ndec; i++)
        ranking_row(f, rd, &rd->dec[i], money);
    fputs("</table>\n", f);
    int rc = chart_svg(f, svg_dir, CHART_IMPACT, e);
    if (rc == 0)
        rc = chart_svg(f, svg_dir, CHART_RANKING, e);
    fputs("</section>\n", f);
    return rc;
}

/* The whole page, charts from svg_dir. */
static int write_page(FILE *f, const struct rundata *rd,
                      const struct report_run *run, const char *run_dir,
                      const char *svg_dir, struct err *e)
{
    write_head(f, rd, run, run_dir);
    if (write_notes(f, run, e) != 0)
        return -1;
    if (rd->nscen > 1 && rd->ndec > 1 &&
        write_decision(f, rd, run_dir, svg_dir, e) != 0)
        return -1;
    write_headline(f, rd, run_dir);
    if (write_charts(f, svg_dir, e) != 0)
        return -1;
    if (rd->nscen > 1 && rd->quarters > 0)
        write_tables(f, rd);
    if (report_appendix(f, rd, run, run_dir, e) != 0)
        return -1;
    fputs("<footer>Made by salescap from the run's CSV files and run.ini. "
          "Charts: gnuplot.</footer>\n</main>\n</body>\n</html>\n",
          f);
    return 0;
}

/* Reads run_dir/run.ini into run (zeroed): its [report] must resolve
 * (its notes are the consultant's words: a missing copy is an error, not
 * a page without them); the rest may not, which the appendix then says.
 * No run.ini: a page without words or parameters. Returns 0, or -1 with
 * e set. */
static int run_load(struct report_run *run, const char *run_dir, struct err *e)
{
    char *path = rundata_path(run_dir, "run.ini");
    if (!path)
        return err_oom(e);
    if (access(path, F_OK) != 0) {
        snprintf(run->why, sizeof run->why,
                 "run.ini is missing from the "
                 "run folder");
        free(path);
        return 0;
    }
    int rc = config_load(&run->cfg, path, e);
    free(path);
    if (rc != 0)
        return -1;
    run->have_ini = 1;
    if (config_resolve_report(&run->cfg, &run->words, e) != 0)
        return -1;
    struct err re = {0};
    run->have_params = config_resolve(&run->cfg, &run->p, &re) == 0;
    if (!run->have_params)
        snprintf(run->why, sizeof run->why, "%s", re.msg);
    return 0;
}

static void run_destroy(struct report_run *run)
{
    config_destroy(&run->cfg);
    config_destroy_report(&run->words);
    params_destroy(&run->p);
}

/* Draws the SVGs into a new temporary folder, whose name goes in buf. */
static int render_tmp(const char *run_dir, const struct rd_select *sel,
                      char *buf, size_t n, struct err *e)
{
    const char *t = getenv("TMPDIR");
    if (!t || !*t || strlen(t) > n - 32)
        t = "/tmp";
    snprintf(buf, n, "%s/salescap-report.XXXXXX", t);
    if (!mkdtemp(buf))
        return err_set(e, ERR_RUNTIME, "%s: cannot create: %s", buf,
                       strerror(errno));
    if (plot_run_dir_sel(run_dir, buf, PLOT_SVG | PLOT_SKIP_DASHBOARDS, sel,
                         e) < 0) {
        remove_tmp_charts(buf);
        return -1;
    }
    return 0;
}

int report_write(const char *run_dir, const char *plots_dir, struct err *e)
{
    return report_write_sel(run_dir, plots_dir, NULL, e);
}

int report_write_sel(const char *run_dir, const char *plots_dir,
                     const struct rd_select *sel, struct err *e)
{
    struct rundata rd;
    struct report_run run = {0};
    char tmp[128] = "";
    if (rundata_load(&rd, run_dir, e) != 0)
        return -1;
    if (rundata_select(&rd, sel, e) != 0 || run_load(&run, run_dir, e) != 0) {
        run_destroy(&run);
        rundata_destroy(&rd);
        return -1;
    }
    const char *svg_dir = plots_dir;
    int rc = 0;
    if (!plots_dir || !svgs_fresh(plots_dir, run_dir, &rd)) {
        rc = render_tmp(run_dir, sel, tmp, sizeof tmp, e);
        svg_dir = tmp;
    }
    char *path = rundata_path(run_dir, "report.html");
    struct afile a;
    if (rc == 0 && !path)
        rc = err_oom(e);
    if (rc == 0)
        rc = afile_open(&a, path, e);
    if (rc == 0) {
        rc = write_page(a.f, &rd, &run, run_dir, svg_dir, e);
        if (rc == 0)
            rc = afile_commit(&a, e);
        else
            afile_abort(&a);
    }
    if (tmp[0])
        remove_tmp_charts(tmp);
    free(path);
    run_destroy(&run);
    rundata_destroy(&rd);
    return rc;
}
