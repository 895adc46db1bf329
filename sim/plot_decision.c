/*
 * plot_decision: the decision's charts, drawn when the run ranked its
 * options (rd->ndec > 0; ranking.csv and pairs.csv).
 *
 * impact: each option's cumulative effect against doing nothing, quarter
 * by quarter up to the end of the decision's quarters, with its 95 %
 * band, a zero line, gains upward, and each line's final value written
 * at its end. ranking: each option's paired difference from doing
 * nothing over the decision's quarters with its interval (left), and the
 * share of replications in which it was best (right).
 * Invariant: like plot_charts.c, every panel starts with gp_house (a
 * reset) and names its datablocks after the chart.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plot_int.h"

/* What impact draws: comparison metric m of rundata (metrics.h or enum
 * rd_comp_metric), times sign so that a gain is up, and a name for it. */
struct impact_series {
    int m;
    double sign;
    int level;        /* m is a level: its difference is "so far" */
    const char *name; /* "revenue", or the metric's name */
};

/* The comparison series of the decision metric that adds up to "so far"
 * at each quarter's end, gains upward: for revenue, comparison.csv's
 * lost_revenue_cumulative, negated; for a level (clients, pipeline value,
 * a running net value), its own difference at the quarter's end. Any
 * other flow has no cumulative series with an interval in comparison.csv:
 * revenue's is drawn, and the title says revenue.
 * When the build gains a cumulative comparison of another flow (issue
 * 13's lost_net_value, if net_value is a flow), map it here. */
static struct impact_series impact_series_for(const struct rundata *rd)
{
    struct impact_series is = {RD_LOST_REVENUE_CUMULATIVE, -1.0, 0, "revenue"};
    int m = metric_find(rd->dec_metric);
    if (m >= 0 && metric_table[m].kind == METRIC_LEVEL) {
        is.m = m;
        is.sign = rd->dec_lower ? -1.0 : 1.0;
        is.level = 1;
        is.name = metric_table[m].name;
    }
    return is;
}

/* Scenario s's impact in quarter q (0: the start, no difference yet):
 * v[0] the mean, v[1..2] the band (the mean when there is none). */
static void impact_at(const struct rundata *rd, const struct impact_series *is,
                      int s, int q, double v[3])
{
    if (q == 0) {
        v[0] = v[1] = v[2] = 0.0;
        return;
    }
    double m = rundata_comp(rd, s, is->m, q, RD_DELTA);
    double lo = rundata_comp(rd, s, is->m, q, RD_DLOW);
    double hi = rundata_comp(rd, s, is->m, q, RD_DHIGH);
    if (isnan(lo) || isnan(hi))
        lo = hi = m;
    v[0] = is->sign * m;
    v[1] = is->sign > 0 ? lo : -hi;
    v[2] = is->sign > 0 ? hi : -lo;
}

/* One index per scenario (set positions 1..): quarter, mean, low, high.
 * r gets the range of the bands. */
static void block_impact(FILE *f, const struct gp_set *set,
                         const struct impact_series *is, double r[2])
{
    const struct rundata *rd = set->rd;
    r[0] = r[1] = 0.0;
    fputs("$impact << EOD\n", f);
    for (int i = 1; i < set->n; i++) {
        fprintf(f, "%s# %s: quarter impact low high\n", i > 1 ? "\n\n" : "",
                rd->scen[set->scen[i]].id);
        for (int q = 0; q <= rd->dec_q1; q++) {
            double v[3];
            impact_at(rd, is, set->scen[i], q, v);
            fprintf(f, "%d", q);
            for (int k = 0; k < 3; k++) {
                fputc(' ', f);
                gp_num(f, v[k]);
                if (!isnan(v[k]))
                    r[0] = fmin(r[0], v[k]), r[1] = fmax(r[1], v[k]);
            }
            fputc('\n', f);
        }
    }
    fputs("EOD\n", f);
}

/* A value as the line ends and the ranking write it: "+$219k", "-12.5". */
void gp_value_text(char *buf, size_t n, double v, int money)
{
    char t[48];
    if (money)
        plot_fmt_money(t, sizeof t, v, 0.0);
    else
        gp_fmt_plain(t, sizeof t, v, 0.0);
    snprintf(buf, n, "%s%s", v > 0.0 ? "+" : "", t);
}

/* The end labels' heights: the lines' final values, pushed apart so that
 * no two are closer than gap (in y units), kept in order and at most
 * top (pushed down from there when the stack would pass it). */
static void spread_labels(double *y, int n, double gap, double top)
{
    int *order = malloc((size_t)n * sizeof *order);
    if (!order)
        return;
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && y[order[j - 1]] > y[i]) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (int k = 1; k < n; k++)
        if (y[order[k]] < y[order[k - 1]] + gap)
            y[order[k]] = y[order[k - 1]] + gap;
    if (n > 0 && y[order[n - 1]] > top)
        y[order[n - 1]] = top;
    for (int k = n - 1; k-- > 0;)
        if (y[order[k]] > y[order[k + 1]] - gap)
            y[order[k]] = y[order[k + 1]] - gap;
    free(order);
}

/* The line ends' values, in the right margin (no right axis there). */
static void impact_labels(FILE *f, const struct gp_set *set,
                          const struct impact_series *is,
                          const struct gp_axis *y, int money,
                          const struct gp_frame *fr)
{
    const struct rundata *rd = set->rd;
    int n = set->n - 1;
    double box[4];
    gp_box(fr, box);
    double ph = (box[3] - box[2]) * fr->height;
    double *at = malloc((size_t)(n + 1) * sizeof *at);
    if (!at)
        return;
    for (int i = 0; i < n; i++) {
        double v[3];
        impact_at(rd, is, set->scen[i + 1], rd->dec_q1, v);
        at[i] = v[0];
    }
    /* Apart by a line of 11-point bold type, 1.3 of its pixels. */
    double gap = 1.3 * 11.0 * GP_PX_PER_PT / ph * (y->hi - y->lo);
    spread_labels(at, n, gap, y->hi - gap / 2);
    for (int i = 0; i < n; i++) {
        double v[3];
        char text[64];
        impact_at(rd, is, set->scen[i + 1], rd->dec_q1, v);
        gp_value_text(text, sizeof text, v[0], money);
        fprintf(f, "set label %d ", 60 + i);
        gp_str(f, text);
        fprintf(f,
                " at %d, %.9g left offset 0.8, 0 font 'DejaVu Sans "
                "Bold,11' textcolor rgb '%s' front\n",
                rd->dec_q1, at[i], gp_colour(set->scen[i + 1]));
    }
    free(at);
}

/* The widest end label, in pixels: the right margin's room. */
static double impact_label_px(const struct gp_set *set,
                              const struct impact_series *is, int money)
{
    double w = 0.0;
    for (int i = 1; i < set->n; i++) {
        double v[3];
        char text[64];
        impact_at(set->rd, is, set->scen[i], set->rd->dec_q1, v);
        gp_value_text(text, sizeof text, v[0], money);
        w = fmax(w, gp_text_width(text, 11.0, 1));
    }
    return w;
}

static void impact_title(FILE *f, const struct gp_set *set,
                         const struct impact_series *is, struct gp_frame *fr)
{
    const struct rundata *rd = set->rd;
    char title[256], sub[512], over[160] = "", from[80] = "", q1[64];
    if (is->level)
        snprintf(title, sizeof title,
                 "%s: each option against doing "
                 "nothing, at each quarter's end",
                 metric_table[is->m].label);
    else
        snprintf(title, sizeof title,
                 "Revenue gained (+) or lost (-) so "
                 "far by each option against doing nothing");
    if (rd->dec_q0 > 1) {
        char qs[128];
        cal_quarters(&rd->cal, rd->dec_q0, rd->dec_q1, qs, sizeof qs);
        snprintf(over, sizeof over, "; the ranking counts %s", qs);
    }
    if (!is->level) {
        cal_quarter(&rd->cal, 1, CAL_TEXT, q1, sizeof q1);
        snprintf(from, sizeof from, ", summed from %s", q1);
    }
    snprintf(sub, sizeof sub,
             "Paired difference from the baseline%s "
             "(mean of %d replications); %sabove zero: better than doing "
             "nothing%s",
             from, rd->replications,
             rd->replications > 1 ? "bands: 95% confidence interval; " : "",
             over);
    gp_title(f, fr, title, sub);
}

/* The legend: doing nothing, then each option. */
static void impact_legend(FILE *f, struct gp_frame *fr,
                          const struct gp_set *set)
{
    int m = set->n - 1;
    struct gp_key *k = malloc((size_t)(m + 1) * sizeof *k);
    char(*st)[64] = malloc((size_t)(m > 0 ? m : 1) * sizeof *st);
    if (k && st) {
        k[0] = (struct gp_key){GP_SAMPLE_LINE, "lt 1 lw 2.5 dt 1", NULL,
                               "Doing nothing (the baseline)"};
        for (int i = 1; i < set->n; i++) {
            snprintf(st[i - 1], sizeof st[i - 1], "lt %d lw 2.5",
                     gp_lt(set->scen[i]));
            k[i] = (struct gp_key){GP_SAMPLE_LINE, st[i - 1], st[i - 1],
                                   set->rd->scen[set->scen[i]].label};
        }
        gp_legend(f, fr, k, m + 1);
    }
    free(k);
    free(st);
}

void chart_impact(FILE *f, const struct gp_set *set,
                  const struct gp_frame *frame)
{
    const struct rundata *rd = set->rd;
    struct impact_series is = impact_series_for(rd);
    struct gp_frame fr = *frame;
    int money =
        !strcmp(metric_table[is.m < M_COUNT ? is.m : M_REVENUE].unit, "$");
    double r[2];
    block_impact(f, set, &is, r);
    gp_house(f, &fr, 0);
    impact_title(f, set, &is, &fr);
    impact_legend(f, &fr, set);
    struct gp_axis y = gp_nice(r[0], r[1], 1);
    gp_headroom(&y, r[0], r[1]);
    gp_ticks(f, &fr, "y", &y, money ? GP_MONEY : GP_PLAIN);
    /* No right axis: the margin holds the end labels. */
    fr.tick_px[1] = impact_label_px(set, &is, money) - 4.0;
    gp_axis_label(&fr, 0,
                  !is.level     ? "Gained (+) or lost (-) so far"
                  : is.sign < 0 ? "Reduction against doing nothing"
                                : "Difference from doing nothing");
    /* Labels sit on the quarters' ends, 'Start' on the left edge. */
    gp_quarter_ticks(f, &fr, rd, rd->dec_q1, 1);
    impact_labels(f, set, &is, &y, money, &fr);
    gp_plot_area(f, &fr);
    fputs("plot ", f);
    for (int i = 1; i < set->n; i++)
        fprintf(f,
                "%s$impact index %d using 1:3:4 with filledcurves lt %d "
                "fs transparent solid 0.14 notitle",
                i > 1 ? ", \\\n     " : "", i - 1, gp_lt(set->scen[i]));
    fputs(", \\\n     0 with lines lt 1 lw 2.5 dt 1 notitle", f);
    for (int i = 1; i < set->n; i++)
        fprintf(f,
                ", \\\n     $impact index %d using 1:2 with linespoints "
                "lt %d lw 2.5 notitle",
                i - 1, gp_lt(set->scen[i]));
    fputc('\n', f);
}

/* ---- ranking ---------------------------------------------------------- */

/* Pixels of the ranking's canvas taken by the title and the axis, and by
 * each option's row. */
#define RANK_HEAD_PX 190
#define RANK_ROW_PX  70
/* Where the second panel begins (screen), and the most pixels the
 * names get (a third of a narrower canvas). */
#define RANK_SPLIT    0.70
#define RANK_NAMES_PX 372.0

int chart_ranking_height(const struct gp_size *sz, int options)
{
    int h = RANK_HEAD_PX + RANK_ROW_PX * options;
    return h < sz->height * 3 / 5 ? sz->height * 3 / 5 : h;
}

static double names_px(const struct gp_frame *page)
{
    return fmin(RANK_NAMES_PX, 0.31 * page->width);
}

static const char *rank_title(const struct rundata *rd, int s)
{
    return s == 0 ? "Doing nothing (the baseline)" : rd->scen[s].label;
}

/* Row i (rank order) at y = n - i: the best on top. Columns: y, vs, low,
 * high, p_best, low, high (percent). r gets the range of the intervals. */
static void block_ranking(FILE *f, const struct rundata *rd, double r[2])
{
    r[0] = r[1] = 0.0;
    fputs("$ranking << EOD\n# y vs_baseline low high p_best% low high\n", f);
    for (int i = 0; i < rd->ndec; i++) {
        const struct rd_rank *d = &rd->dec[i];
        double v[7] = {
            rd->ndec - i,      d->vs,           d->vs_lo,       d->vs_hi,
            100.0 * d->p_best, 100.0 * d->p_lo, 100.0 * d->p_hi};
        if (isnan(v[2]) || isnan(v[3]))
            v[2] = v[3] = v[1];
        for (int k = 0; k < 7; k++) {
            fputs(k ? " " : "", f);
            gp_num(f, v[k]);
        }
        fputc('\n', f);
        for (int k = 1; k < 4; k++)
            r[0] = fmin(r[0], v[k]), r[1] = fmax(r[1], v[k]);
    }
    fputs("EOD\n", f);
}

/* The rows' names as y tick labels, in the options' colours (a label
 * each: tick labels have one colour), cut to px, right-aligned at x. */
static void rank_names(FILE *f, const struct rundata *rd, double x, double px)
{
    fputs("unset ytics\n", f);
    for (int i = 0; i < rd->ndec; i++) {
        int s = rd->dec[i].s;
        char text[GP_LINE_MAX];
        gp_fit(text, sizeof text, rank_title(rd, s), px, 11.0,
               rd->dec[i].rank == 1);
        fprintf(f, "set label %d ", 70 + i);
        gp_str(f, text);
        fprintf(f,
                " at screen %.4f, first %d right font 'DejaVu Sans%s,11'"
                " textcolor rgb '%s'\n",
                x, rd->ndec - i, rd->dec[i].rank == 1 ? " Bold" : "",
                s ? gp_colour(s) : "#111111");
    }
}

/* The decision metric as a reader names it: its label, lower case
 * ("net value (cumulative gross profit)"), or its name if unknown. */
static void metric_words(char *buf, size_t size, const char *name)
{
    int m = metric_find(name);
    snprintf(buf, size, "%s", m >= 0 ? metric_table[m].label : name);
    if (m >= 0 && buf[0] >= 'A' && buf[0] <= 'Z')
        buf[0] = (char)(buf[0] - 'A' + 'a');
}

/* The page's title and subtitle, over both panels: written with the
 * left panel into fr, whose top then sits below them. */
static void rank_title_block(FILE *f, const struct rundata *rd,
                             const struct gp_frame *page, struct gp_frame *fr)
{
    char title[320], over[128], what[128], sub[400], hidden[64] = "";
    struct gp_frame pg = *page;
    cal_quarters(&rd->cal, rd->dec_q0, rd->dec_q1, over, sizeof over);
    metric_words(what, sizeof what, rd->dec_metric);
    snprintf(title, sizeof title, "Which option is best: %s over %s%s", what,
             over, rd->dec_lower ? " (lower is better)" : "");
    if (rd->nhidden > 0)
        snprintf(hidden, sizeof hidden, " %d option%s not shown.", rd->nhidden,
                 rd->nhidden == 1 ? "" : "s");
    snprintf(sub, sizeof sub,
             "Left: each option minus doing nothing, "
             "paired over the same %d replications%s. Right: how often "
             "it came out best%s.%s",
             rd->replications,
             rd->replications > 1 ? ", with its 95% interval" : "",
             rd->replications > 1 ? " (95% Wilson interval)" : "", hidden);
    pg.top = fr->top;
    gp_title(f, &pg, title, sub);
    fr->top = pg.top;
}

/* Row i's value label, and the x its room must reach (data units), in a
 * plot w pixels wide from lo: the tie is said in full where the label
 * takes at most 45 % of the width, shortly within 60 %, else left out
 * (the value alone always goes). */
static double rank_value(const struct rundata *rd, int i, int money, double lo,
                         double w, char *text, size_t n)
{
    static const char *const tie[] = {"   statistically tied with the best",
                                      "   tied with the best", ""};
    static const double most[] = {0.45, 0.6, 0.9};
    const struct rd_rank *d = &rd->dec[i];
    double at = isnan(d->vs_hi) ? d->vs : d->vs_hi, tw = 0.0;
    char v[64];
    gp_value_text(v, sizeof v, d->vs, money);
    for (int k = i > 0 && d->tied == 1 ? 0 : 2; k < 3; k++) {
        snprintf(text, n, "%s%s", d->s ? v : "reference", tie[k]);
        tw = gp_text_width(text, 10.0, 0) + 14.0;
        if (tw <= most[k] * w)
            break;
    }
    tw = fmin(tw, most[2] * w);
    return at <= lo ? lo : lo + (at - lo) * w / (w - tw);
}

static double rank_left(FILE *f, const struct rundata *rd, int money,
                        const struct gp_frame *page)
{
    double r[2], px = 1.0 / page->width, names = names_px(page), box[4];
    char text[160];
    block_ranking(f, rd, r);
    struct gp_frame fr = *page;
    fr.x1 = RANK_SPLIT;
    gp_house(f, &fr, 0);
    rank_title_block(f, rd, page, &fr);
    fr.tick_px[0] = -1.0; /* no y axis: the names are labels */
    gp_box(&fr, box);
    box[0] = names * px;
    double w = (box[1] - box[0]) * page->width, hi = r[1];
    /* Room on the right of each interval for its value. */
    for (int i = 0; i < rd->ndec; i++)
        hi = fmax(hi, rank_value(rd, i, money, r[0], w, text, sizeof text));
    struct gp_axis x = gp_nice(r[0], hi, 1);
    gp_thin(&x, w, money ? GP_MONEY : GP_PLAIN);
    gp_ticks(f, NULL, "x", &x, money ? GP_MONEY : GP_PLAIN);
    fprintf(f, "set yrange [0.4:%.1f]\n", rd->ndec + 0.6);
    rank_names(f, rd, box[0] - 12 * px, names - 26.0);
    /* The title names the metric and quarters: the label stays short,
     * clear of the right panel's. */
    fputs("set xlabel 'Difference from doing nothing'\n"
          "set grid xtics noytics\n"
          "set arrow 1 from 0, graph 0 to 0, graph 1 nohead back "
          "lc rgb '#444444' lw 1.5\n",
          f);
    for (int i = 0; i < rd->ndec; i++) {
        const struct rd_rank *d = &rd->dec[i];
        rank_value(rd, i, money, x.lo, w, text, sizeof text);
        fprintf(f, "set label %d ", 90 + i);
        gp_str(f, text);
        fprintf(f,
                " at %.9g, %d left offset 1, 0 font ',10' "
                "textcolor rgb '#333333' front\n",
                isnan(d->vs_hi) ? d->vs : d->vs_hi, rd->ndec - i);
    }
    gp_plot_area(f, &fr);
    fprintf(f, "set lmargin at screen %.4f\nplot ", box[0]);
    for (int i = 0; i < rd->ndec; i++)
        fprintf(f,
                "%s$ranking every ::%d::%d using 2:1:3:4 with xerrorbars "
                "lt %d dt 1 lw 2.5 pt 7 ps 1.8 notitle",
                i ? ", \\\n     " : "", i, i, gp_lt(rd->dec[i].s));
    fputc('\n', f);
    return fr.top;
}

static void rank_right(FILE *f, const struct rundata *rd,
                       const struct gp_frame *page, double top)
{
    struct gp_frame fr = *page;
    double box[4];
    fr.x0 = RANK_SPLIT;
    gp_house(f, &fr, 0);
    fr.top = top;
    fr.tick_px[0] = -1.0;
    gp_box(&fr, box);
    /* A tick label is a format: '%%' writes '%'. Every 25 % where
     * there is room. */
    if ((box[1] - box[0]) * page->width >= 260.0)
        fputs("set xrange [0:125]\nset xtics ('0%%' 0, '25%%' 25, "
              "'50%%' 50, '75%%' 75, '100%%' 100)\nunset ytics\n",
              f);
    else
        fputs("set xrange [0:125]\nset xtics ('0%%' 0, '50%%' 50, "
              "'100%%' 100)\nunset ytics\n",
              f);
    fprintf(f,
            "set yrange [0.4:%.1f]\nset grid xtics noytics\n"
            "set xlabel 'Replications in which it was best'\n",
            rd->ndec + 0.6);
    for (int i = 0; i < rd->ndec; i++) {
        char text[32];
        double p = 100.0 * rd->dec[i].p_best;
        if (p > 99.5 && p < 100.0)
            snprintf(text, sizeof text, "%.1f%%", floor(10.0 * p) / 10.0);
        else if (p > 0.0 && p < 0.5)
            snprintf(text, sizeof text, "%.1f%%", fmax(0.1, p));
        else
            snprintf(text, sizeof text, "%.0f%%", p);
        fprintf(f,
                "set label %d '%s' at %.9g, %d left offset 1, 0 "
                "font ',10' textcolor rgb '#333333' front\n",
                110 + i, text, 100.0 * rd->dec[i].p_hi, rd->ndec - i);
    }
    gp_plot_area(f, &fr);
    fputs("plot ", f);
    for (int i = 0; i < rd->ndec; i++)
        fprintf(f,
                "%s$ranking every ::%d::%d using (0):1:(0):5:($1-0.28):"
                "($1+0.28) with boxxyerror lt %d fs solid 0.55 noborder "
                "notitle",
                i ? ", \\\n     " : "", i, i, gp_lt(rd->dec[i].s));
    if (rd->replications > 1)
        fputs(", \\\n     $ranking using 5:1:6:7 with xerrorbars lt 1 "
              "lc rgb '#333333' lw 1.5 dt 1 pt 0 notitle",
              f);
    fputc('\n', f);
}

void chart_ranking(FILE *f, const struct rundata *rd, const struct gp_size *sz)
{
    const char *unit = "$";
    int m = metric_find(rd->dec_metric);
    if (m >= 0)
        unit = metric_table[m].unit;
    struct gp_frame page =
        gp_page(sz, sz->width, chart_ranking_height(sz, rd->ndec));
    fputs("set multiplot\n", f);
    double top = rank_left(f, rd, !strcmp(unit, "$"), &page);
    rank_right(f, rd, &page, top);
    fputs("unset multiplot\n", f);
}
