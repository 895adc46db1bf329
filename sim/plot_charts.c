/*
 * plot_charts: the gnuplot script body of each chart of a run.
 *
 * Every chart writes its data as a datablock, then one panel per frame
 * (gp_house resets all settings first), so charts can be composed into a
 * multiplot page. Weeks are drawn at x = week, numbered as in weekly.csv
 * (from 0), and quarter q (from 1) starts at week 13(q - 1).
 * Invariant: a chart's datablock names are its own ($revenue, $lost, ...),
 * so the dashboard can hold four charts in one script.
 */
#include <assert.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

/* Weekly columns: x, then for each scenario and metric mean, low, high. */
static void block_weekly(FILE *f, const char *name, const struct gp_set *set,
                         const int *metrics, int nm)
{
    fprintf(f, "$%s << EOD\n# week", name);
    for (int i = 0; i < set->n; i++)
        for (int j = 0; j < nm; j++)
            fprintf(f, " %s:%s(mean,low,high)", set->rd->scen[set->scen[i]].id,
                    metric_table[metrics[j]].name);
    fputc('\n', f);
    for (int w = 0; w < set->rd->weeks; w++) {
        fprintf(f, "%d", w);
        for (int i = 0; i < set->n; i++)
            for (int j = 0; j < nm; j++)
                for (int st = 0; st < RD_WSTATS; st++) {
                    fputc(' ', f);
                    gp_num(f, rundata_week(set->rd, set->scen[i], metrics[j], w,
                                           st));
                }
        fputc('\n', f);
    }
    fputs("EOD\n", f);
}

/* Column of statistic st of metric j for the i-th scenario of a block. */
static int col(int i, int nm, int j, int st)
{
    return 2 + (i * nm + j) * RD_WSTATS + st;
}

/* "Mean of 200 replications" or "One replication". */
static void reps_phrase(char *buf, size_t n, const struct rundata *rd)
{
    if (rd->replications > 1)
        snprintf(buf, n, "Mean of %d replications", rd->replications);
    else
        snprintf(buf, n, "One replication (no confidence bands)");
}

/* "Pull two weeks" for one scenario, "each scenario" for several. */
static const char *scenario_phrase(const struct gp_set *set)
{
    return set->n == 2 ? set->rd->scen[set->scen[1]].title : "each scenario";
}

/* "WHAT by each scenario against doing nothing", or for one scenario
 * "TITLE: what against doing nothing" (what: WHAT in lower case). */
static void gain_title(char *buf, size_t n, const struct gp_set *set,
                       const char *what)
{
    if (set->n == 2)
        snprintf(
            buf, n, "%s: %c%s against doing nothing",
            set->rd->scen[set->scen[1]].title,
            (char)(what[0] >= 'A' && what[0] <= 'Z' ? what[0] + 32 : what[0]),
            what + 1);
    else
        snprintf(buf, n, "%s by each scenario against doing nothing", what);
}

/* A legend's text for scenario position i of set: its label. */
static const char *legend(const struct gp_set *set, int i)
{
    return set->rd->scen[set->scen[i]].label;
}

/* What the tinted spans (and a decision's arrow) of gp_windows mean. */
static const char *windows_phrase(const struct gp_set *set)
{
    return gp_windows_lead(set)
               ? "tinted: when interventions act (arrow: from the "
                 "decision to the first day)"
               : "tinted: when interventions act";
}

/* Band opacity: lighter as more bands overlap. */
static double band_alpha(int n)
{
    return n <= 2 ? 0.16 : n == 3 ? 0.13 : 0.09;
}

static void plot_bands(FILE *f, const char *block, const struct gp_set *set,
                       int nm, int j, const char *axes)
{
    for (int i = 0; i < set->n; i++)
        fprintf(f,
                "%s$%s using 1:%d:%d with filledcurves lt %d "
                "fs transparent solid %.2f axes %s notitle",
                i ? ", \\\n     " : "", block, col(i, nm, j, RD_LOW),
                col(i, nm, j, RD_HIGH), gp_lt(set->scen[i]), band_alpha(set->n),
                axes);
}

/* Raises y's top so that the values top[] (one a week) keep clear of
 * the text at the top of fr's plot (gp_ceiling): the quarter names and
 * the windows of set or, with panels, of each pair of the baseline and
 * one scenario (a grid's panels share their axes). Frees top. Without
 * memory, y stays as it is: text may lie over the data. */
static void clear_top(struct gp_axis *y, const struct gp_set *set,
                      const struct gp_frame *fr, double *top, int panels)
{
    int weeks = set->rd->weeks;
    double *lim = top ? malloc((size_t)weeks * sizeof *lim) : NULL;
    if (lim) {
        for (int w = 0; w < weeks; w++)
            lim[w] = 1.0;
        if (!panels)
            gp_ceiling(set, fr, 1, lim);
        for (int i = 1; panels && i < set->n; i++) {
            int pair[2] = {set->scen[0], set->scen[i]};
            gp_ceiling(&(struct gp_set){set->rd, pair, 2}, fr, 1, lim);
        }
        gp_under_ceiling(y, lim, top, weeks);
    }
    free(lim);
    free(top);
}

/* gp_week_tops in a new array (NULL without memory). */
static double *week_tops(const struct gp_set *set, int m, int st)
{
    double *top = malloc((size_t)set->rd->weeks * sizeof *top);
    if (top)
        gp_week_tops(set, m, st, top);
    return top;
}

/* A legend of the scenarios of set from position `from` on, each a line
 * with its marker (style: how the plot draws it besides its linetype,
 * e.g. "dt 1"), then the n extra entries. */
static void scenario_legend(FILE *f, struct gp_frame *fr,
                            const struct gp_set *set, int from,
                            const char *style, const struct gp_key *extra,
                            int n)
{
    int m = set->n - from;
    struct gp_key *k = malloc((size_t)(m + n) * sizeof *k);
    char(*st)[64] = malloc((size_t)(m > 0 ? m : 1) * sizeof *st);
    if (k && st) {
        for (int i = 0; i < m; i++) {
            int s = set->scen[from + i];
            snprintf(st[i], sizeof st[i], "lt %d %s", gp_lt(s), style);
            k[i] = (struct gp_key){GP_SAMPLE_LINE, st[i], st[i],
                                   set->rd->scen[s].label};
        }
        for (int i = 0; i < n; i++)
            k[m + i] = extra[i];
        gp_legend(f, fr, k, m + n);
    }
    free(k);
    free(st);
}

void chart_revenue(FILE *f, const struct gp_set *set,
                   const struct gp_frame *frame)
{
    static const int metrics[] = {M_REVENUE};
    struct gp_frame fr = *frame;
    char title[512], sub[512], reps[128], from[64] = "", at[32];
    double lo, hi;
    block_weekly(f, "revenue", set, metrics, 1);
    gp_house(f, &fr, 0);
    gp_week_range(set, M_REVENUE, RD_LOW, RD_HIGH, &lo, &hi);
    /* Revenue moves by a few percent: from zero its lines would lie on
     * one another. The axis is cut, and says so; revenue_difference
     * shows the differences themselves, with their paired band. */
    struct gp_axis y = gp_nice(lo, hi, 0);
    if (y.lo > 0.0) {
        plot_fmt_money(at, sizeof at, y.lo, y.step);
        snprintf(from, sizeof from, "; the axis starts at %s, not zero", at);
    }
    snprintf(title, sizeof title, "Weekly revenue: %s vs the baseline",
             scenario_phrase(set));
    reps_phrase(reps, sizeof reps, set->rd);
    snprintf(sub, sizeof sub, "%s; bands: 95%% confidence interval; %s%s", reps,
             windows_phrase(set), from);
    gp_title(f, &fr, title, sub);
    scenario_legend(f, &fr, set, 0, "", NULL, 0);
    clear_top(&y, set, &fr, week_tops(set, M_REVENUE, RD_HIGH), 0);
    gp_ticks(f, &fr, "y", &y, GP_MONEY);
    /* A compact panel has no subtitle: its axis label says it. */
    gp_axis_label(&fr, 0,
                  fr.compact && y.lo > 0.0
                      ? "Revenue per week (axis not from $0)"
                      : "Revenue per week");
    gp_week_axis(f, set->rd, &fr, 1);
    gp_windows(f, set, &fr);
    gp_plot_area(f, &fr);
    fputs("plot ", f);
    plot_bands(f, "revenue", set, 1, 0, "x1y1");
    for (int i = 0; i < set->n; i++)
        fprintf(f,
                ", \\\n     $revenue using 1:%d with linespoints lt %d "
                "pi %d notitle",
                col(i, 1, 0, RD_MEAN), gp_lt(set->scen[i]),
                gp_pointinterval(set->rd));
    fputc('\n', f);
}

/* Each week's paired revenue difference of each scenario of set (from
 * position 1) from the baseline: week, then delta, low, high per
 * scenario (a zero-width band without an interval). r gets the range. */
static void block_difference(FILE *f, const struct gp_set *set, double r[2])
{
    const struct rundata *rd = set->rd;
    r[0] = r[1] = 0.0;
    fputs("$difference << EOD\n# week", f);
    for (int i = 1; i < set->n; i++)
        fprintf(f, " %s(minus baseline,low,high)", rd->scen[set->scen[i]].id);
    fputc('\n', f);
    for (int w = 0; w < rd->weeks; w++) {
        fprintf(f, "%d", w);
        for (int i = 1; i < set->n; i++) {
            double v[3];
            for (int k = 0; k < 3; k++)
                v[k] = rundata_week_diff(rd, set->scen[i], w, RD_DELTA + k);
            if (isnan(v[1]) || isnan(v[2]))
                v[1] = v[2] = v[0];
            for (int k = 0; k < 3; k++) {
                fputc(' ', f);
                gp_num(f, v[k]);
                if (!isnan(v[k]))
                    r[0] = fmin(r[0], v[k]), r[1] = fmax(r[1], v[k]);
            }
        }
        fputc('\n', f);
    }
    fputs("EOD\n", f);
}

/* The highest of each week's paired differences and their bands over
 * the scenarios of set (from position 1), as block_difference draws
 * them; NULL without memory. */
static double *difference_tops(const struct gp_set *set)
{
    const struct rundata *rd = set->rd;
    double *top = malloc((size_t)rd->weeks * sizeof *top);
    for (int w = 0; top && w < rd->weeks; w++) {
        top[w] = NAN;
        for (int i = 1; i < set->n; i++)
            for (int k = 0; k < 3; k++)
                top[w] = fmax(top[w], rundata_week_diff(rd, set->scen[i], w,
                                                        RD_DELTA + k));
    }
    return top;
}

void chart_revenue_diff(FILE *f, const struct gp_set *set,
                        const struct gp_frame *frame)
{
    static const struct gp_key baseline = {GP_SAMPLE_LINE, "lt 1 lw 2", NULL,
                                           "Doing nothing (the baseline)"};
    struct gp_frame fr = *frame;
    char title[512], sub[512];
    double r[2];
    block_difference(f, set, r);
    gp_house(f, &fr, 0);
    gain_title(title, sizeof title, set,
               "Weekly revenue gained (+) or lost (-)");
    if (set->rd->replications > 1)
        snprintf(sub, sizeof sub,
                 "Scenario minus baseline, paired over %d "
                 "replications; above zero: more revenue; bands: 95%% "
                 "interval; %s",
                 set->rd->replications, windows_phrase(set));
    else
        snprintf(sub, sizeof sub,
                 "Scenario minus baseline (one "
                 "replication: no bands); above zero: more revenue; %s",
                 windows_phrase(set));
    gp_title(f, &fr, title, sub);
    scenario_legend(f, &fr, set, 1, "", &baseline, 1);
    struct gp_axis y = gp_nice(r[0], r[1], 1);
    gp_headroom(&y, r[0], r[1]);
    clear_top(&y, set, &fr, difference_tops(set), 0);
    gp_ticks(f, &fr, "y", &y, GP_MONEY);
    gp_axis_label(&fr, 0, "Gained (+) or lost (-) per week");
    gp_week_axis(f, set->rd, &fr, 1);
    gp_windows(f, set, &fr);
    gp_plot_area(f, &fr);
    fputs("plot ", f);
    for (int i = 1; i < set->n; i++)
        fprintf(f,
                "%s$difference using 1:%d:%d with filledcurves lt %d "
                "fs transparent solid %.2f notitle",
                i > 1 ? ", \\\n     " : "", 3 * i, 3 * i + 1,
                gp_lt(set->scen[i]), band_alpha(set->n));
    fprintf(f, "%s0 with lines lt 1 lw 2 notitle",
            set->n > 1 ? ", \\\n     " : "");
    for (int i = 1; i < set->n; i++)
        fprintf(f,
                ", \\\n     $difference using 1:%d with linespoints "
                "lt %d pi %d notitle",
                3 * i - 1, gp_lt(set->scen[i]), gp_pointinterval(set->rd));
    fputc('\n', f);
}

/* Bar centre of the i-th of k scenarios in quarter q, and bar width. */
static double bar_x(int q, int i, int k, double *width)
{
    *width = 0.72 / k;
    return q + (i - (k - 1) / 2.0) * *width;
}

/* Revenue gained (scenario minus baseline: comparison.csv's lost revenue
 * with its sign turned, so gains are drawn upward), one index per
 * scenario: quarter, bar x, gained, low, high, gained so far. */
static void block_lost(FILE *f, const struct gp_set *set, double *r)
{
    const struct rundata *rd = set->rd;
    double w;
    r[0] = r[2] = NAN;
    r[1] = r[3] = NAN;
    fputs("$lost << EOD\n", f);
    for (int i = 1; i < set->n; i++) {
        int s = set->scen[i];
        fprintf(f, "%s# %s: quarter x gained low high gained_so_far\n",
                i > 1 ? "\n\n" : "", rd->scen[s].id);
        for (int q = 1; q <= rd->quarters; q++) {
            double v[4] = {
                -rundata_comp(rd, s, RD_LOST_REVENUE, q, RD_DELTA),
                -rundata_comp(rd, s, RD_LOST_REVENUE, q, RD_DHIGH),
                -rundata_comp(rd, s, RD_LOST_REVENUE, q, RD_DLOW),
                -rundata_comp(rd, s, RD_LOST_REVENUE_CUMULATIVE, q, RD_DELTA),
            };
            fprintf(f, "%d %.4f", q, bar_x(q, i - 1, set->n - 1, &w));
            for (int j = 0; j < 4; j++) {
                fputc(' ', f);
                gp_num(f, v[j]);
                int a = j == 3 ? 2 : 0;
                if (!isnan(v[j]) && !(v[j] >= r[a]))
                    r[a] = v[j];
                if (!isnan(v[j]) && !(v[j] <= r[a + 1]))
                    r[a + 1] = v[j];
            }
            fputc('\n', f);
        }
    }
    fputs("EOD\n", f);
}

static void lost_axes(FILE *f, struct gp_frame *fr, const struct gp_set *set,
                      const double *r)
{
    struct gp_axis y = gp_nice(r[0], r[1], 1);
    struct gp_axis y2 = gp_nice(r[2], r[3], 1);
    gp_headroom(&y, r[0], r[1]);
    gp_headroom(&y2, r[2], r[3]);
    gp_align_zero(&y, &y2);
    gp_ticks(f, fr, "y", &y, GP_MONEY);
    gp_ticks(f, fr, "y2", &y2, GP_MONEY);
    gp_axis_label(fr, 0, "Gained (+) or lost (-) in the quarter");
    gp_axis_label(fr, 1, "Gained (+) or lost (-) so far (line)");
    gp_quarter_ticks(f, fr, set->rd, set->rd->quarters, 0);
    fputs("set grid noxtics\nset xzeroaxis lt 1 lw 1 lc rgb '#666666'\n", f);
}

/* True when some quarter of some scenario has a confidence interval (a
 * run of one replication has none). */
static int lost_has_ci(const struct gp_set *set)
{
    for (int i = 1; i < set->n; i++)
        for (int q = 1; q <= set->rd->quarters; q++)
            if (!isnan(rundata_comp(set->rd, set->scen[i], RD_LOST_REVENUE, q,
                                    RD_DLOW)))
                return 1;
    return 0;
}

static void lost_title(FILE *f, const struct gp_set *set, struct gp_frame *fr,
                       int ci)
{
    char title[512], sub[512];
    gain_title(title, sizeof title, set, "Revenue gained (+) or lost (-)");
    if (ci)
        snprintf(sub, sizeof sub,
                 "Scenario revenue minus baseline revenue in each quarter, "
                 "paired over %d replications: above zero, the scenario "
                 "earns more; whiskers: 95%% confidence interval",
                 set->rd->replications);
    else
        snprintf(sub, sizeof sub,
                 "Scenario revenue minus baseline revenue in each quarter "
                 "(one replication: no confidence interval): above zero, "
                 "the scenario earns more");
    gp_title(f, fr, title, sub);
}

/* The legend: a box for each scenario, the whisker, the running total. */
static void lost_legend(FILE *f, struct gp_frame *fr, const struct gp_set *set,
                        int ci)
{
    int m = set->n - 1, n = 0;
    struct gp_key *k = malloc((size_t)(m + 2) * sizeof *k);
    char(*st)[128] = malloc((size_t)(m > 0 ? m : 1) * sizeof *st);
    if (k && st) {
        for (int i = 1; i < set->n; i++) {
            const char *c = gp_colour(set->scen[i]);
            snprintf(st[i - 1], sizeof st[i - 1],
                     "fc rgb '%s' fs solid 0.5 border lc rgb '%s'", c, c);
            k[n++] =
                (struct gp_key){GP_SAMPLE_BOX, st[i - 1], NULL, legend(set, i)};
        }
        if (ci)
            k[n++] = (struct gp_key){
                GP_SAMPLE_BAR, "lc rgb '#333333' lw 1.5 dt 1",
                "lt 1 lc rgb '#333333' pt 7 ps 0.5", "95% confidence interval"};
        k[n++] = (struct gp_key){
            GP_SAMPLE_LINE, "lt 1 lc rgb '#555555' lw 2.5 dt 1",
            "lt 1 lc rgb '#555555' pt 7", "Running total (right axis)"};
        gp_legend(f, fr, k, n);
    }
    free(k);
    free(st);
}

void chart_lost(FILE *f, const struct gp_set *set, const struct gp_frame *frame)
{
    struct gp_frame fr = *frame;
    double r[4], w;
    int ci = lost_has_ci(set);
    block_lost(f, set, r);
    gp_house(f, &fr, 1);
    lost_title(f, set, &fr, ci);
    lost_legend(f, &fr, set, ci);
    lost_axes(f, &fr, set, r);
    gp_plot_area(f, &fr);
    bar_x(1, 0, set->n - 1, &w);
    fprintf(f, "set boxwidth %.4f absolute\nplot ", w * 0.92);
    for (int i = 1; i < set->n; i++) {
        int s = set->scen[i];
        fprintf(f,
                "%s$lost index %d using 2:3 with boxes lt 1 "
                "lc rgb '%s' dt 1 fs solid 0.5 border lc rgb '%s' notitle",
                i > 1 ? ", \\\n     " : "", i - 1, gp_colour(s), gp_colour(s));
        if (ci)
            fprintf(f,
                    ", \\\n     $lost index %d using 2:3:4:5 with "
                    "yerrorbars lt 1 lc rgb '#333333' lw 1.5 dt 1 pt 7 "
                    "ps 0.5 notitle",
                    i - 1);
    }
    for (int i = 1; i < set->n; i++)
        fprintf(f,
                ", \\\n     $lost index %d using 2:6 axes x1y2 with "
                "linespoints lt %d dt 1 lw 2.5 notitle",
                i - 1, gp_lt(set->scen[i]));
    fputc('\n', f);
}

/* A chart of two weekly metrics over time: the first (with bands and
 * markers) on the left axis, the second (dashed) on the right. */
struct twin_spec {
    const char *block;
    int m[2];
    enum gp_unit unit[2];
    const char *axis_label[2];
    const char *key_label[2];
    const char *title, *subtitle;
};

static void twin_axes(FILE *f, struct gp_frame *fr, const struct gp_set *set,
                      const struct twin_spec *sp)
{
    double lo, hi;
    gp_week_range(set, sp->m[0], RD_LOW, RD_HIGH, &lo, &hi);
    struct gp_axis y = gp_nice(lo, hi, 1);
    gp_headroom(&y, lo, hi);
    clear_top(&y, set, fr, week_tops(set, sp->m[0], RD_HIGH), 1);
    gp_week_range(set, sp->m[1], RD_MEAN, RD_MEAN, &lo, &hi);
    struct gp_axis y2 = gp_nice(lo, hi, 1);
    gp_headroom(&y2, lo, hi);
    clear_top(&y2, set, fr, week_tops(set, sp->m[1], RD_MEAN), 1);
    gp_ticks(f, fr, "y", &y, sp->unit[0]);
    gp_ticks(f, fr, "y2", &y2, sp->unit[1]);
    gp_axis_label(fr, 0, sp->axis_label[0]);
    gp_axis_label(fr, 1, sp->axis_label[1]);
}

/* The grey entries saying which line is which axis. */
static void twin_keys(const struct twin_spec *sp, struct gp_key k[2])
{
    k[0] = (struct gp_key){GP_SAMPLE_LINE, "lt 1 lc rgb '#555555' lw 2 dt 1",
                           NULL, sp->key_label[0]};
    k[1] = (struct gp_key){GP_SAMPLE_LINE, "lt 1 lc rgb '#555555' lw 2 dt 2",
                           NULL, sp->key_label[1]};
}

/* Columns of a grid of n panels: 2x2 for four, rows of three beyond (at
 * most the preset's columns). */
static int grid_cols(const struct gp_size *sz, int n)
{
    int c = n <= 2 ? n : n == 4 ? 2 : 3;
    return c > sz->grid_cols ? sz->grid_cols : c;
}

/* Room for a grid page's title, subtitle and legend, in pixels. */
#define GRID_HEADER_PX 120

int chart_grid_height(const struct gp_size *sz, int panels)
{
    int cols = grid_cols(sz, panels), rows = (panels + cols - 1) / cols;
    int h = GRID_HEADER_PX + sz->row_px * rows;
    return rows <= 2 || h < sz->height ? sz->height : h;
}

/* The page of a grid chart of n panels, for its title. */
struct gp_frame chart_grid_page(const struct gp_size *sz, int n)
{
    return gp_page(sz, sz->width, chart_grid_height(sz, n));
}

struct gp_frame chart_grid_cell(const struct gp_size *sz, int i, int n,
                                double header_px)
{
    int cols = grid_cols(sz, n), rows = (n + cols - 1) / cols;
    struct gp_frame fr = chart_grid_page(sz, n);
    double top = 1.0 - header_px / fr.height, w = 1.0 / cols, h = top / rows;
    int r = i / cols, c = i % cols;
    fr.x0 = c * w;
    fr.x1 = (c + 1) * w;
    fr.y0 = top - (r + 1) * h;
    fr.y1 = top - r * h;
    fr.compact = 1;
    return fr;
}

/* One panel of a twin chart: the baseline and at most one scenario, at
 * positions pos[0..k) of set (the block's columns follow set; the axes
 * cover all of set, so panels share their scales). */
static void twin_panel(FILE *f, const struct gp_set *set, const int *pos, int k,
                       const struct twin_spec *sp, struct gp_frame *fr)
{
    int scen[2];
    assert(k >= 1 && k <= 2);
    for (int i = 0; i < k; i++)
        scen[i] = set->scen[pos[i]];
    struct gp_set sub = {set->rd, scen, k};
    twin_axes(f, fr, set, sp);
    gp_week_axis(f, set->rd, fr, 1);
    gp_windows(f, &sub, fr);
    gp_plot_area(f, fr);
    fputs("plot ", f);
    for (int i = 0; i < k; i++)
        fprintf(f,
                "%s$%s using 1:%d:%d with filledcurves lt %d "
                "fs transparent solid %.2f notitle",
                i ? ", \\\n     " : "", sp->block, col(pos[i], 2, 0, RD_LOW),
                col(pos[i], 2, 0, RD_HIGH), gp_lt(set->scen[pos[i]]),
                band_alpha(k));
    for (int i = 0; i < k; i++) {
        int lt = gp_lt(set->scen[pos[i]]);
        fprintf(f,
                ", \\\n     $%s using 1:%d with linespoints lt %d dt 1 "
                "pi %d notitle",
                sp->block, col(pos[i], 2, 0, RD_MEAN), lt,
                gp_pointinterval(set->rd));
        fprintf(f,
                ", \\\n     $%s using 1:%d axes x1y2 with lines lt %d "
                "dt 2 notitle",
                sp->block, col(pos[i], 2, 1, RD_MEAN), lt);
    }
    fputc('\n', f);
}

/* Many scenarios: one panel each, against the baseline, on one page; the
 * legend (the baseline, which line is which axis) once, in the header,
 * and each panel titled with its scenario in the scenario's colour. */
static void twin_grid(FILE *f, const struct gp_set *set,
                      const struct twin_spec *sp, const char *sub,
                      const struct gp_size *sz)
{
    int n = set->n - 1;
    struct gp_key k[3];
    k[0] = (struct gp_key){GP_SAMPLE_LINE, "lt 1 dt 1", "lt 1", legend(set, 0)};
    twin_keys(sp, k + 1);
    fputs("set multiplot\n", f);
    double head =
        gp_page_header(f, chart_grid_page(sz, n), sp->title, sub, k, 3);
    for (int i = 0; i < n; i++) {
        struct gp_frame cell = chart_grid_cell(sz, i, n, head);
        int pos[2] = {0, i + 1}, s = set->scen[i + 1];
        gp_house(f, &cell, 1);
        gp_title_in(f, &cell, legend(set, i + 1), NULL, gp_colour(s));
        twin_panel(f, set, pos, 2, sp, &cell);
    }
    fputs("unset multiplot\n", f);
}

static void chart_twin(FILE *f, const struct gp_set *set,
                       const struct gp_frame *frame, const struct twin_spec *sp)
{
    char sub[512], reps[128];
    struct gp_frame fr = *frame;
    block_weekly(f, sp->block, set, sp->m, 2);
    reps_phrase(reps, sizeof reps, set->rd);
    snprintf(sub, sizeof sub, "%s; %s", reps, sp->subtitle);
    if (set->n > 2 && !fr.compact) {
        twin_grid(f, set, sp, sub, fr.size);
        return;
    }
    /* One panel: the baseline and at most one scenario. */
    int pos[2] = {0, 1}, k = set->n < 2 ? 1 : 2;
    struct gp_key keys[2];
    twin_keys(sp, keys);
    gp_house(f, &fr, 1);
    gp_title(f, &fr, sp->title, sub);
    /* Small panels have no room for the grey entries; their axis labels
     * say which line is which. */
    struct gp_set shown = {set->rd, set->scen, k};
    scenario_legend(f, &fr, &shown, 0, "dt 1", keys, fr.compact ? 0 : 2);
    twin_panel(f, set, pos, k, sp, &fr);
}

void chart_backlog(FILE *f, const struct gp_set *set, const struct gp_frame *fr)
{
    static const struct twin_spec sp = {
        "backlog",
        {M_OPS_BACKLOG_HOURS, M_EXPECTED_DELAY_DAYS},
        {GP_PLAIN, GP_PLAIN},
        {"Ops backlog, hours (solid)", "Onboarding delay, days (dashed)"},
        {"Backlog, hours (left)", "Onboarding delay, days (right)"},
        "Ops backlog and the onboarding delay new clients face",
        "solid: backlog with 95% band; dashed: expected delay",
    };
    chart_twin(f, set, fr, &sp);
}

void chart_pipeline(FILE *f, const struct gp_set *set,
                    const struct gp_frame *fr)
{
    static const struct twin_spec sp = {
        "pipeline",
        {M_PIPELINE_COUNT, M_PIPELINE_VALUE},
        {GP_PLAIN, GP_MONEY},
        {"Open opportunities (solid)", "Pipeline value (dashed)"},
        {"Open opportunities (left)", "Pipeline value (right)"},
        "Sales pipeline: open opportunities and their value",
        "solid: opportunities with 95% band; dashed: value",
    };
    chart_twin(f, set, fr, &sp);
}

/* Activities stacked bottom to top (linetypes 11..15). */
static const int activities[5] = {
    M_REP_HOURS_SELLING, M_REP_HOURS_PROSPECTING, M_REP_HOURS_ADMIN,
    M_REP_HOURS_OPS,     M_REP_HOURS_IDLE,
};

/* One block per scenario: x, then the running sums of the stack. Each
 * week is a step from x = week - 0.5 to week + 0.5 (hours are weekly
 * totals, not a continuous rate). Returns the tallest stack. */
static double block_hours(FILE *f, const struct gp_set *set)
{
    double top = 0.0;
    for (int i = 0; i < set->n; i++) {
        fprintf(f,
                "$hours%d << EOD\n# x, cumulative: selling prospecting "
                "admin ops idle\n",
                i);
        for (int w = 0; w < set->rd->weeks; w++) {
            double sum[5], acc = 0.0;
            for (int a = 0; a < 5; a++) {
                double v = rundata_week(set->rd, set->scen[i], activities[a], w,
                                        RD_MEAN);
                sum[a] = acc += isnan(v) ? 0.0 : v;
            }
            for (int edge = 0; edge < 2; edge++) {
                fprintf(f, "%.1f", w - 0.5 + edge);
                for (int a = 0; a < 5; a++) {
                    fputc(' ', f);
                    gp_num(f, sum[a]);
                }
                fputc('\n', f);
            }
            top = fmax(top, acc);
        }
        fputs("EOD\n", f);
    }
    return top;
}

static const char *const activity_names[5] = {"Selling", "Prospecting", "Admin",
                                              "Ops work", "Idle"};

/* The page header: title, subtitle and a legend of colour swatches.
 * Returns its height in pixels. */
static double hours_header(FILE *f, const struct rundata *rd,
                           const struct gp_size *sz, int n)
{
    char sub[256], reps[128], st[5][96];
    struct gp_key k[5];
    reps_phrase(reps, sizeof reps, rd);
    snprintf(sub, sizeof sub, "%s; hours of all reps, stacked by activity",
             reps);
    for (int a = 0; a < 5; a++) {
        snprintf(st[a], sizeof st[a],
                 "fc lt %d fs solid 1.0 border "
                 "lc rgb '#999999'",
                 11 + a);
        k[a] = (struct gp_key){GP_SAMPLE_BOX, st[a], NULL, activity_names[a]};
    }
    return gp_page_header(f, chart_grid_page(sz, n),
                          "Where the reps' hours go, week by week", sub, k, 5);
}

static void hours_panel(FILE *f, const struct gp_set *set, int i,
                        const struct gp_axis *y, const struct gp_size *sz,
                        double head)
{
    struct gp_frame fr = chart_grid_cell(sz, i, set->n, head);
    int s = set->scen[i];
    gp_house(f, &fr, 0);
    gp_title_in(f, &fr, legend(set, i), NULL, s ? gp_colour(s) : "#111111");
    gp_ticks(f, &fr, "y", y, GP_PLAIN);
    gp_axis_label(&fr, 0, "Rep hours per week");
    gp_week_axis(f, set->rd, &fr, 0);
    gp_plot_area(f, &fr);
    fputs("set grid noxtics\nplot ", f);
    for (int a = 0; a < 5; a++) {
        fprintf(f, "%s$hours%d using 1:", a ? ", \\\n     " : "", i);
        if (a == 0)
            fputs("(0)", f);
        else
            fprintf(f, "%d", a + 1);
        fprintf(f, ":%d with filledcurves lt %d notitle", a + 2, 11 + a);
    }
    fputc('\n', f);
}

void chart_rep_hours(FILE *f, const struct gp_set *set,
                     const struct gp_size *sz)
{
    double top = block_hours(f, set);
    struct gp_axis y = gp_nice(0.0, top, 1);
    fputs("set multiplot\n", f);
    double head = hours_header(f, set->rd, sz, set->n);
    for (int i = 0; i < set->n; i++)
        hours_panel(f, set, i, &y, sz, head);
    fputs("unset multiplot\n", f);
}

void chart_dashboard(FILE *f, const struct rundata *rd, int s,
                     const struct gp_size *sz)
{
    int scen[2] = {0, s};
    struct gp_set set = {rd, scen, 2};
    char title[512];
    snprintf(title, sizeof title, "%s vs the baseline", rd->scen[s].title);
    fputs("set multiplot\n", f);
    struct gp_frame page = gp_page(sz, sz->dash_width, sz->dash_height);
    double top =
        1.0 - gp_page_header(f, page, title, NULL, NULL, 0) / page.height;
    struct gp_frame fr[4];
    for (int i = 0; i < 4; i++) {
        fr[i] = page;
        fr[i].compact = 1;
        fr[i].x0 = i % 2 ? 0.5 : 0.0;
        fr[i].x1 = fr[i].x0 + 0.5;
        fr[i].y1 = i < 2 ? top : top / 2;
        fr[i].y0 = fr[i].y1 - top / 2;
    }
    chart_revenue(f, &set, &fr[0]);
    chart_lost(f, &set, &fr[1]);
    chart_pipeline(f, &set, &fr[2]);
    chart_backlog(f, &set, &fr[3]);
    fputs("unset multiplot\n", f);
}
