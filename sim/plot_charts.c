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
#include <string.h>

#include "plot_int.h"

/* Weekly columns: x, then for each scenario and metric mean, low, high. */
static void block_weekly(FILE *f, const char *name, const struct gp_set *set,
                         const int *metrics, int nm)
{
    fprintf(f, "$%s << EOD\n# week", name);
    for (int i = 0; i < set->n; i++)
        for (int j = 0; j < nm; j++)
            fprintf(f, " %s:%s(mean,low,high)",
                    set->rd->scen[set->scen[i]].id,
                    metric_table[metrics[j]].name);
    fputc('\n', f);
    for (int w = 0; w < set->rd->weeks; w++) {
        fprintf(f, "%d", w);
        for (int i = 0; i < set->n; i++)
            for (int j = 0; j < nm; j++)
                for (int st = 0; st < RD_WSTATS; st++) {
                    fputc(' ', f);
                    gp_num(f, rundata_week(set->rd, set->scen[i], metrics[j],
                                           w, st));
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
    return set->n == 2 ? set->rd->scen[set->scen[1]].title
                       : "each scenario";
}

/* "WHAT by each scenario against doing nothing", or for one scenario
 * "TITLE: what against doing nothing" (what: WHAT in lower case). */
static void gain_title(char *buf, size_t n, const struct gp_set *set,
                       const char *what)
{
    if (set->n == 2)
        snprintf(buf, n, "%s: %c%s against doing nothing",
                 set->rd->scen[set->scen[1]].title,
                 (char)(what[0] >= 'A' && what[0] <= 'Z' ? what[0] + 32
                                                         : what[0]),
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
        fprintf(f, "%s$%s using 1:%d:%d with filledcurves lt %d "
                   "fs transparent solid %.2f axes %s notitle",
                i ? ", \\\n     " : "", block, col(i, nm, j, RD_LOW),
                col(i, nm, j, RD_HIGH), gp_lt(set->scen[i]),
                band_alpha(set->n), axes);
}

void chart_revenue(FILE *f, const struct gp_set *set,
                   const struct gp_frame *fr)
{
    static const int metrics[] = {M_REVENUE};
    char title[512], sub[512], reps[128], from[64] = "", at[32];
    double lo, hi;
    block_weekly(f, "revenue", set, metrics, 1);
    gp_house(f, fr, 0);
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
    snprintf(sub, sizeof sub, "%s; bands: 95%% confidence interval; %s%s",
             reps, windows_phrase(set), from);
    gp_title(f, fr, title, sub);
    gp_week_axis(f, set->rd, fr);
    gp_windows(f, set);
    gp_ticks(f, "y", &y, GP_MONEY);
    /* A compact panel has no subtitle: its axis label says it. */
    fprintf(f, "set ylabel 'Revenue per week%s'\nplot ",
            fr->compact && y.lo > 0.0 ? " (axis not from $0)" : "");
    plot_bands(f, "revenue", set, 1, 0, "x1y1");
    for (int i = 0; i < set->n; i++) {
        fprintf(f, ", \\\n     $revenue using 1:%d with linespoints lt %d "
                   "pi %d title ",
                col(i, 1, 0, RD_MEAN), gp_lt(set->scen[i]),
                gp_pointinterval(set->rd));
        gp_str(f, legend(set, i));
    }
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

void chart_revenue_diff(FILE *f, const struct gp_set *set,
                        const struct gp_frame *fr)
{
    char title[512], sub[512];
    double r[2];
    block_difference(f, set, r);
    gp_house(f, fr, 0);
    /* The key's entries as wide as their titles need (the baseline's
     * is long), as impact's. */
    fputs("set key width 0\n", f);
    gain_title(title, sizeof title, set,
               "Weekly revenue gained (+) or lost (-)");
    if (set->rd->replications > 1)
        snprintf(sub, sizeof sub, "Scenario minus baseline, paired over %d "
                 "replications; above zero: more revenue; bands: 95%% "
                 "interval; %s",
                 set->rd->replications, windows_phrase(set));
    else
        snprintf(sub, sizeof sub, "Scenario minus baseline (one "
                 "replication: no bands); above zero: more revenue; %s",
                 windows_phrase(set));
    gp_title(f, fr, title, sub);
    gp_week_axis(f, set->rd, fr);
    gp_windows(f, set);
    struct gp_axis y = gp_nice(r[0], r[1], 1);
    gp_ticks(f, "y", &y, GP_MONEY);
    fputs("set ylabel 'Gained (+) or lost (-) per week'\nplot ", f);
    for (int i = 1; i < set->n; i++)
        fprintf(f, "%s$difference using 1:%d:%d with filledcurves lt %d "
                   "fs transparent solid %.2f notitle",
                i > 1 ? ", \\\n     " : "", 3 * i, 3 * i + 1,
                gp_lt(set->scen[i]), band_alpha(set->n));
    fprintf(f, "%s0 with lines lt 1 lw 2 title 'Doing nothing (the "
               "baseline)'", set->n > 1 ? ", \\\n     " : "");
    for (int i = 1; i < set->n; i++) {
        fprintf(f, ", \\\n     $difference using 1:%d with linespoints "
                   "lt %d pi %d title ",
                3 * i - 1, gp_lt(set->scen[i]), gp_pointinterval(set->rd));
        gp_str(f, legend(set, i));
    }
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

static void lost_axes(FILE *f, const struct gp_set *set, const double *r)
{
    struct gp_axis y = gp_nice(r[0], r[1], 1);
    struct gp_axis y2 = gp_nice(r[2], r[3], 1);
    gp_align_zero(&y, &y2);
    gp_ticks(f, "y", &y, GP_MONEY);
    gp_ticks(f, "y2", &y2, GP_MONEY);
    gp_quarter_ticks(f, set->rd, set->rd->quarters, 0);
    fputs("set grid noxtics\nset xzeroaxis lt 1 lw 1 lc rgb '#666666'\n"
          "set ylabel 'Gained (+) or lost (-) in the quarter'\n"
          "set y2label 'Gained (+) or lost (-) so far (line)'\n", f);
}

/* True when some quarter of some scenario has a confidence interval (a
 * run of one replication has none). */
static int lost_has_ci(const struct gp_set *set)
{
    for (int i = 1; i < set->n; i++)
        for (int q = 1; q <= set->rd->quarters; q++)
            if (!isnan(rundata_comp(set->rd, set->scen[i], RD_LOST_REVENUE,
                                    q, RD_DLOW)))
                return 1;
    return 0;
}

static void lost_title(FILE *f, const struct gp_set *set,
                       const struct gp_frame *fr, int ci)
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

void chart_lost(FILE *f, const struct gp_set *set, const struct gp_frame *fr)
{
    double r[4], w;
    int ci = lost_has_ci(set);
    block_lost(f, set, r);
    gp_house(f, fr, 1);
    lost_title(f, set, fr, ci);
    lost_axes(f, set, r);
    bar_x(1, 0, set->n - 1, &w);
    fprintf(f, "set boxwidth %.4f absolute\nplot ", w * 0.92);
    for (int i = 1; i < set->n; i++) {
        int s = set->scen[i];
        fprintf(f, "%s$lost index %d using 2:3 with boxes lt 1 "
                   "lc rgb '%s' dt 1 fs solid 0.5 border lc rgb '%s' title ",
                i > 1 ? ", \\\n     " : "", i - 1, gp_colour(s),
                gp_colour(s));
        gp_str(f, legend(set, i));
        if (ci)
            fprintf(f, ", \\\n     $lost index %d using 2:3:4:5 with "
                       "yerrorbars lt 1 lc rgb '#333333' lw 1.5 dt 1 pt 7 "
                       "ps 0.5 notitle",
                    i - 1);
    }
    for (int i = 1; i < set->n; i++)
        fprintf(f, ", \\\n     $lost index %d using 2:6 axes x1y2 with "
                   "linespoints lt %d dt 1 lw 2.5 notitle",
                i - 1, gp_lt(set->scen[i]));
    if (ci)
        fputs(", \\\n     keyentry with yerrorbars lt 1 lc rgb '#333333' "
              "lw 1.5 pt 7 ps 0.5 title '95% confidence interval'", f);
    fputs(", \\\n     keyentry with linespoints lt 1 lc rgb '#555555' "
          "lw 2.5 pt 7 title 'Running total (right axis)'\n", f);
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

static void twin_axes(FILE *f, const struct gp_set *set,
                      const struct twin_spec *sp)
{
    double lo, hi;
    gp_week_range(set, sp->m[0], RD_LOW, RD_HIGH, &lo, &hi);
    struct gp_axis y = gp_nice(lo, hi, 1);
    gp_week_range(set, sp->m[1], RD_MEAN, RD_MEAN, &lo, &hi);
    struct gp_axis y2 = gp_nice(lo, hi, 1);
    gp_ticks(f, "y", &y, sp->unit[0]);
    gp_ticks(f, "y2", &y2, sp->unit[1]);
    fputs("set ylabel ", f);
    gp_str(f, sp->axis_label[0]);
    fputs("\nset y2label ", f);
    gp_str(f, sp->axis_label[1]);
    fputc('\n', f);
}

/* Columns of a grid of n panels: 2x2 for four, rows of three beyond. */
static int grid_cols(int n)
{
    return n <= 2 ? n : n == 4 ? 2 : 3;
}

int chart_grid_height(int panels)
{
    int cols = grid_cols(panels), rows = (panels + cols - 1) / cols;
    return rows <= 2 ? GP_HEIGHT : 110 + 300 * rows;
}

/* The page of a grid chart of n panels, for its title. */
static struct gp_frame grid_page(int n)
{
    struct gp_frame fr = {0.0, 0.0, 1.0, 1.0, 0, GP_WIDTH,
                          chart_grid_height(n)};
    return fr;
}

/* Cell i of a grid of n panels below a header of header_px pixels. */
static struct gp_frame grid_cell(int i, int n, double header_px)
{
    int cols = grid_cols(n), rows = (n + cols - 1) / cols;
    int height = chart_grid_height(n);
    double top = 1.0 - header_px / height, w = 1.0 / cols, h = top / rows;
    int r = i / cols, c = i % cols;
    struct gp_frame fr = {c * w,       top - (r + 1) * h, (c + 1) * w,
                          top - r * h, 1,                 GP_WIDTH,
                          height};
    return fr;
}

/* One panel of a twin chart: the baseline and at most one scenario, at
 * positions pos[0..k) of set (the block's columns follow set; the axes
 * cover all of set, so panels share their scales). */
static void twin_panel(FILE *f, const struct gp_set *set, const int *pos,
                       int k, const struct twin_spec *sp,
                       const struct gp_frame *fr)
{
    int scen[2];
    assert(k >= 1 && k <= 2);
    for (int i = 0; i < k; i++)
        scen[i] = set->scen[pos[i]];
    struct gp_set sub = {set->rd, scen, k};
    gp_week_axis(f, set->rd, fr);
    gp_windows(f, &sub);
    twin_axes(f, set, sp);
    fputs("plot ", f);
    for (int i = 0; i < k; i++)
        fprintf(f, "%s$%s using 1:%d:%d with filledcurves lt %d "
                   "fs transparent solid %.2f notitle",
                i ? ", \\\n     " : "", sp->block,
                col(pos[i], 2, 0, RD_LOW), col(pos[i], 2, 0, RD_HIGH),
                gp_lt(set->scen[pos[i]]), band_alpha(k));
    for (int i = 0; i < k; i++) {
        int lt = gp_lt(set->scen[pos[i]]);
        fprintf(f, ", \\\n     $%s using 1:%d with linespoints lt %d dt 1 "
                   "pi %d title ",
                sp->block, col(pos[i], 2, 0, RD_MEAN), lt,
                gp_pointinterval(set->rd));
        gp_str(f, legend(set, pos[i]));
        fprintf(f, ", \\\n     $%s using 1:%d axes x1y2 with lines lt %d "
                   "dt 2 notitle",
                sp->block, col(pos[i], 2, 1, RD_MEAN), lt);
    }
    /* Small panels have no room for these; their axis labels say it. */
    for (int j = 0; !fr->compact && j < 2; j++) {
        fprintf(f, ", \\\n     keyentry with lines lc rgb '#555555' lw 2 "
                   "dt %d title ",
                j + 1);
        gp_str(f, sp->key_label[j]);
    }
    fputc('\n', f);
}

/* Many scenarios: one panel each, against the baseline, on one page. */
static void twin_grid(FILE *f, const struct gp_set *set,
                      const struct twin_spec *sp, const char *sub)
{
    int n = set->n - 1;
    fputs("set multiplot\n", f);
    for (int i = 0; i < n; i++) {
        struct gp_frame cell = grid_cell(i, n, 70.0);
        int pos[2] = {0, i + 1};
        char title[300];
        gp_house(f, &cell, 1);
        struct gp_frame page = grid_page(n);
        if (i == 0)
            gp_title(f, &page, sp->title, sub);
        snprintf(title, sizeof title, "%s%s", legend(set, i + 1),
                 n <= 2 ? " vs the baseline" : "");
        gp_title(f, &cell, title, NULL);
        twin_panel(f, set, pos, 2, sp, &cell);
    }
    fputs("unset multiplot\n", f);
}

static void chart_twin(FILE *f, const struct gp_set *set,
                       const struct gp_frame *fr, const struct twin_spec *sp)
{
    char sub[512], reps[128];
    block_weekly(f, sp->block, set, sp->m, 2);
    reps_phrase(reps, sizeof reps, set->rd);
    snprintf(sub, sizeof sub, "%s; %s", reps, sp->subtitle);
    if (set->n > 2 && !fr->compact) {
        twin_grid(f, set, sp, sub);
        return;
    }
    /* One panel: the baseline and at most one scenario. */
    int pos[2] = {0, 1};
    gp_house(f, fr, 1);
    gp_title(f, fr, sp->title, sub);
    twin_panel(f, set, pos, set->n < 2 ? 1 : 2, sp, fr);
}

void chart_backlog(FILE *f, const struct gp_set *set,
                   const struct gp_frame *fr)
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
        fprintf(f, "$hours%d << EOD\n# x, cumulative: selling prospecting "
                   "admin ops idle\n",
                i);
        for (int w = 0; w < set->rd->weeks; w++) {
            double sum[5], acc = 0.0;
            for (int a = 0; a < 5; a++) {
                double v = rundata_week(set->rd, set->scen[i], activities[a],
                                        w, RD_MEAN);
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

static const char *const activity_names[5] = {"Selling", "Prospecting",
                                              "Admin", "Ops work", "Idle"};

/* The page title and a legend of colour swatches, drawn with panel 0:
 * a gnuplot key would wrap to the width of one panel. */
static void hours_header(FILE *f, const struct rundata *rd, int n)
{
    char sub[256], reps[128];
    struct gp_frame page = grid_page(n);
    reps_phrase(reps, sizeof reps, rd);
    snprintf(sub, sizeof sub, "%s; hours of all reps, stacked by activity",
             reps);
    gp_title(f, &page, "Where the reps' hours go, week by week", sub);
    double x = 14.0 / GP_WIDTH, y = 1.0 - 88.0 / page.height;
    double sw = 16.0 / GP_WIDTH, sh = 12.0 / page.height;
    for (int a = 0; a < 5; a++, x += 140.0 / GP_WIDTH) {
        fprintf(f, "set object %d rect from screen %.4f, screen %.4f to "
                   "screen %.4f, screen %.4f fc lt %d fs solid 1.0 border "
                   "lc rgb '#999999'\n",
                50 + a, x, y - sh / 2, x + sw, y + sh / 2, 11 + a);
        fprintf(f, "set label %d '%s' at screen %.4f, screen %.4f left "
                   "font ',10' textcolor rgb '#333333'\n",
                50 + a, activity_names[a], x + sw + 6.0 / GP_WIDTH, y);
    }
}

static void hours_panel(FILE *f, const struct gp_set *set, int i,
                        const struct gp_axis *y)
{
    struct gp_frame fr = grid_cell(i, set->n, 108.0);
    gp_house(f, &fr, 0);
    fprintf(f, "unset key\nset tmargin at screen %.4f\n",
            fr.y1 - 40.0 / fr.height);
    if (i == 0)
        hours_header(f, set->rd, set->n);
    fputs("set label 3 ", f);
    gp_str(f, legend(set, i));
    fprintf(f, " at graph 0, graph 1.06 left font 'DejaVu Sans Bold,11' "
               "textcolor rgb '%s'\n",
            set->scen[i] ? gp_colour(set->scen[i]) : "#111111");
    gp_week_axis(f, set->rd, NULL);
    gp_ticks(f, "y", y, GP_PLAIN);
    if (i % 3 == 0)
        fputs("set ylabel 'Rep hours per week'\n", f);
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

void chart_rep_hours(FILE *f, const struct gp_set *set)
{
    double top = block_hours(f, set);
    struct gp_axis y = gp_nice(0.0, top, 1);
    fputs("set multiplot\n", f);
    for (int i = 0; i < set->n; i++)
        hours_panel(f, set, i, &y);
    fputs("unset multiplot\n", f);
}

void chart_dashboard(FILE *f, const struct rundata *rd, int s)
{
    int scen[2] = {0, s};
    struct gp_set set = {rd, scen, 2};
    enum { W = GP_DASH_WIDTH, H = GP_DASH_HEIGHT };
    static const struct gp_frame fr[4] = {
        {0.0, 0.47, 0.5, 0.94, 1, W, H},
        {0.5, 0.47, 1.0, 0.94, 1, W, H},
        {0.0, 0.0, 0.5, 0.47, 1, W, H},
        {0.5, 0.0, 1.0, 0.47, 1, W, H},
    };
    fputs("set multiplot title ", f);
    char title[512];
    snprintf(title, sizeof title, "%s vs the baseline", rd->scen[s].title);
    gp_str(f, title);
    fputs(" font 'DejaVu Sans Bold,18'\n", f);
    chart_revenue(f, &set, &fr[0]);
    chart_lost(f, &set, &fr[1]);
    chart_pipeline(f, &set, &fr[2]);
    chart_backlog(f, &set, &fr[3]);
    fputs("unset multiplot\n", f);
}
