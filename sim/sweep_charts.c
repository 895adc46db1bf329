/*
 * sweep_charts: gnuplot bodies of a sweep's charts.
 *
 * One varied key: the metric against the key's values, with its 95 %
 * band. Two: a heatmap, the first key across, the second up, each cell
 * showing its value. More: one heatmap panel per combination of the
 * other keys, up to PANELS_PER_PAGE a page, all on one colour scale. A
 * zip sweep laid out one key at a time around a centre (the most common
 * value of every key) gets a tornado chart; any other zip sweep a line
 * through its points in order.
 *
 * Heatmap cells are boxes, not `with image`, so a key with a single
 * value or a missing point still draws. Colours: ColorBrewer's Oranges
 * when the values keep one sign, RdBu (red = more of the metric) when
 * they straddle zero, which then sits in the white middle.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep_charts.h"

#define PANELS_PER_PAGE 9
#define TICS_MAX 25  /* category tick labels, all of them up to this */
#define TICS_THIN 20 /* beyond, about this many */
#define LINE_POINTS_MAX 60 /* a line chart marks its points up to this */

/* ------------------------------------------------------------ helpers */

/* Formats v for a cell or a label: "$12k" for money, else 3 digits. */
static void fmt_value(const struct sc_data *d, double v, char *buf, size_t n)
{
    if (isnan(v))
        snprintf(buf, n, "n/a");
    else if (d->money)
        plot_fmt_money(buf, n, v, d->money_step);
    else if (fabs(v) >= 10.0)
        gp_fmt_plain(buf, n, v, 0.0);
    else
        snprintf(buf, n, "%.3g", v == 0.0 ? 0.0 : v);
}

static enum gp_unit unit_of(const struct sc_data *d)
{
    return d->money ? GP_MONEY : GP_PLAIN;
}

/* Range of the means (and bounds, with band) of every point. */
static void value_range(const struct sc_data *d, int band, double *min,
                        double *max)
{
    *min = NAN;
    *max = NAN;
    for (size_t p = 0; p < d->npoints; p++) {
        double lo = band ? d->lo[p] : d->mean[p];
        double hi = band ? d->hi[p] : d->mean[p];
        if (!isnan(lo) && !(lo >= *min))
            *min = lo;
        if (!isnan(hi) && !(hi <= *max))
            *max = hi;
    }
}

/* The default title: "<metric> by <key> and <key>". */
static void title_of(const struct sc_data *d, char *buf, size_t n)
{
    if (d->title[0]) {
        snprintf(buf, n, "%s", d->title);
        return;
    }
    size_t len = (size_t)snprintf(buf, n, "%s by ", d->label);
    for (int k = 0; k < d->np && len < n; k++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s",
                                k == 0 ? "" : k + 1 == d->np ? " and " : ", ",
                                d->ax[k].name);
}

/* Every how many categories of n a tick label goes: all up to TICS_MAX,
 * then about TICS_THIN, so that labels never run into each other. */
static size_t tic_step(size_t n)
{
    return n <= TICS_MAX ? 1 : (n + TICS_THIN - 1) / TICS_THIN;
}

/* Tick labels of an axis: its values at 0, 1, ... (categories). */
static void category_tics(FILE *f, const char *axis, const struct sc_axis *ax)
{
    size_t step = tic_step(ax->n);
    fprintf(f, "set %srange [-0.5:%zu.5]\nset %stics (", axis, ax->n - 1,
            axis);
    for (size_t i = 0; i < ax->n; i += step) {
        fputs(i ? ", " : "", f);
        gp_str(f, ax->vals[i]);
        fprintf(f, " %zu", i);
    }
    fputs(")\n", f);
}

/* ------------------------------------------------------------ line */

static const struct sc_data *sort_data;

static int by_x(const void *a, const void *b)
{
    const struct sc_axis *ax = &sort_data->ax[0];
    double x = ax->num[sort_data->idx[*(const size_t *)a]];
    double y = ax->num[sort_data->idx[*(const size_t *)b]];
    return (x > y) - (x < y);
}

/* Points in x order (numeric keys), else in grid order. */
static size_t *line_order(const struct sc_data *d)
{
    size_t *ord = malloc(d->npoints * sizeof *ord);
    if (!ord)
        return NULL;
    for (size_t p = 0; p < d->npoints; p++)
        ord[p] = p;
    if (d->ax[0].numeric) {
        sort_data = d;
        qsort(ord, d->npoints, sizeof *ord, by_x);
    }
    return ord;
}

/* x: the key's value, or its category index. */
static void block_line(FILE *f, const struct sc_data *d, const size_t *ord)
{
    const struct sc_axis *ax = &d->ax[0];
    fputs("$sweep << EOD\n# x mean ci_low ci_high\n", f);
    for (size_t i = 0; i < d->npoints; i++) {
        size_t p = ord ? ord[i] : i;
        double x = ax->numeric ? ax->num[d->idx[p * (size_t)d->np]]
                               : (double)d->idx[p * (size_t)d->np];
        gp_num(f, x);
        fputc(' ', f);
        gp_num(f, d->mean[p]);
        fputc(' ', f);
        gp_num(f, d->lo[p]);
        fputc(' ', f);
        gp_num(f, d->hi[p]);
        fputc('\n', f);
    }
    fputs("EOD\n", f);
}

static void line_x_axis(FILE *f, const struct sc_axis *ax)
{
    if (!ax->numeric) {
        category_tics(f, "x", ax);
        if (ax->n > 8)
            fputs("set xtics rotate by 30 right\n", f);
        return;
    }
    double lo = ax->num[0], hi = ax->num[0];
    for (size_t i = 1; i < ax->n; i++) {
        lo = fmin(lo, ax->num[i]);
        hi = fmax(hi, ax->num[i]);
    }
    double pad = hi > lo ? 0.04 * (hi - lo) : 0.5;
    fprintf(f, "set xrange [%.9g:%.9g]\n", lo - pad, hi + pad);
    if (ax->n > 15)
        return;
    fputs("set xtics (", f);
    for (size_t i = 0; i < ax->n; i++) {
        fputs(i ? ", " : "", f);
        gp_str(f, ax->vals[i]);
        fprintf(f, " %.9g", ax->num[i]);
    }
    fputs(")\n", f);
}

static void chart_line(FILE *f, const struct sc_data *d)
{
    char title[600], sub[700];
    double min, max;
    size_t *ord = line_order(d);
    block_line(f, d, ord);
    free(ord);
    gp_house(f, &gp_full, 0);
    title_of(d, title, sizeof title);
    snprintf(sub, sizeof sub, "%s; band: 95%% confidence interval",
             d->subtitle);
    gp_title(f, &gp_full, title, sub);
    value_range(d, 1, &min, &max);
    struct gp_axis y = gp_nice(min, max, 1);
    gp_ticks(f, "y", &y, unit_of(d));
    line_x_axis(f, &d->ax[0]);
    fputs("set xzeroaxis lt 1 lw 1 lc rgb '#666666'\nset xlabel ", f);
    gp_str(f, d->ax[0].name);
    fputs("\nset ylabel ", f);
    gp_str(f, d->label);
    fprintf(f, "\nset key width 3\nplot $sweep using 1:3:4 with "
            "filledcurves lt 2 fs transparent solid 0.18 title '95%% "
            "confidence interval', \\\n     $sweep using 1:2 with %s lt 2 "
            "dt 1 title 'Mean'\n",
            d->npoints > LINE_POINTS_MAX ? "lines" : "linespoints");
}

/* ------------------------------------------------------------ heatmaps */

/* One colour scale for every panel. */
struct heat_scale {
    struct gp_axis cb;
    int diverging;
};

static struct heat_scale heat_scale_of(const struct sc_data *d)
{
    struct heat_scale hs = {{0, 1, 0.2}, 0};
    double min, max;
    value_range(d, 0, &min, &max);
    hs.diverging = min < 0.0 && max > 0.0;
    if (hs.diverging) {
        double m = fmax(-min, max);
        min = -m;
        max = m;
    }
    hs.cb = gp_nice(min, max, !hs.diverging);
    if (hs.diverging) {
        double m = fmax(-hs.cb.lo, hs.cb.hi);
        hs.cb.lo = -m;
        hs.cb.hi = m;
    }
    return hs;
}

/* Whether text on v's colour should be white. */
static int dark_cell(const struct heat_scale *hs, double v)
{
    if (hs->diverging)
        return fabs(v) > 0.6 * hs->cb.hi;
    return (v - hs->cb.lo) / (hs->cb.hi - hs->cb.lo) > 0.55;
}

/* The panel of point p: its other keys' values as one mixed-radix index,
 * the last key fastest. */
static size_t panel_of(const struct sc_data *d, size_t p)
{
    size_t id = 0;
    for (int k = 2; k < d->np; k++)
        id = id * d->ax[k].n + d->idx[p * (size_t)d->np + (size_t)k];
    return id;
}

static size_t n_panels(const struct sc_data *d)
{
    size_t n = 1;
    for (int k = 2; k < d->np; k++)
        n *= d->ax[k].n;
    return n;
}

/* "queue = fifo, clients.initial = 300" for panel id. */
static void panel_label(const struct sc_data *d, size_t id, char *buf,
                        size_t n)
{
    size_t len = 0, v[64];
    for (int k = d->np; k-- > 2;) {
        v[k % 64] = id % d->ax[k].n;
        id /= d->ax[k].n;
    }
    buf[0] = '\0';
    for (int k = 2; k < d->np && len < n; k++)
        len += (size_t)snprintf(buf + len, n - len, "%s%s = %s",
                                k > 2 ? ", " : "", d->ax[k].name,
                                d->ax[k].vals[v[k % 64]]);
}

/* Whether the cells of a heatmap in a frame (compact: a panel) are
 * large enough to show their values: a grid denser than that is read by
 * its colours, and the table of the highest and lowest means that
 * salescap sweep prints gives the numbers. */
static int cells_labelled(const struct sc_data *d, int compact)
{
    return compact ? d->ax[0].n <= 10 && d->ax[1].n <= 12
                   : d->ax[0].n <= 16 && d->ax[1].n <= 25;
}

/* Whether cells are too small for the white lines between them. */
static int cells_dense(const struct sc_data *d)
{
    return d->ax[0].n > 40 || d->ax[1].n > 40;
}

/* The cells of panel id: x, y, value, text colour, label. */
static void block_heat(FILE *f, const struct sc_data *d, size_t id,
                       const struct heat_scale *hs)
{
    fprintf(f, "$heat%zu << EOD\n", id);
    for (size_t p = 0; p < d->npoints; p++) {
        if (panel_of(d, p) != id)
            continue;
        char label[64];
        size_t np = (size_t)d->np;
        fmt_value(d, d->mean[p], label, sizeof label);
        fprintf(f, "%zu %zu ", d->idx[p * np], d->idx[p * np + 1]);
        gp_num(f, d->mean[p]);
        fprintf(f, " %d ", !isnan(d->mean[p]) && dark_cell(hs, d->mean[p])
                               ? 0xffffff : 0x222222);
        fputc('"', f);
        fputs(label, f);
        fputs("\"\n", f);
    }
    fputs("EOD\n", f);
}

static void heat_palette(FILE *f, const struct heat_scale *hs,
                         enum gp_unit unit)
{
    if (hs->diverging)
        fputs("set palette defined (0 '#2166ac', 0.25 '#92c5de', "
              "0.5 '#f7f7f7', 0.75 '#f4a582', 1 '#b2182b')\n", f);
    else
        fputs("set palette defined (0 '#fff5eb', 0.35 '#fdbe85', "
              "0.65 '#fd8d3c', 1 '#a63603')\n", f);
    gp_ticks(f, "cb", &hs->cb, unit);
}

/* Pixels left of the plot for an axis's tick labels and its title:
 * about 7 pixels a character, within [90, 40 % of the frame]. */
static double label_room(const struct sc_axis *ax, const struct gp_frame *fr)
{
    size_t longest = 0;
    for (size_t i = 0; i < ax->n; i++)
        longest = strlen(ax->vals[i]) > longest ? strlen(ax->vals[i])
                                                : longest;
    double px = 7.0 * (double)longest + 65.0;
    double most = 0.4 * (fr->x1 - fr->x0) * fr->width;
    return px < 90.0 ? 90.0 : px > most ? most : px;
}

/* The settings of one heatmap in frame fr (titles come next). */
static void heat_setup(FILE *f, const struct sc_data *d,
                       const struct gp_frame *fr,
                       const struct heat_scale *hs)
{
    double px = 1.0 / fr->width, py = 1.0 / fr->height;
    double l = fr->x0 + label_room(&d->ax[1], fr) * px;
    double r = fr->x1 - (fr->compact ? 120 : 150) * px;
    double b = fr->y0 + 62 * py, t = fr->y1 - (fr->compact ? 70 : 140) * py;
    gp_house(f, fr, 1);
    /* Room on the right for the colour bar, its labels and its title. */
    fprintf(f, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
               "set bmargin at screen %.4f\nset tmargin at screen %.4f\n"
               "set colorbox user origin screen %.4f, screen %.4f size "
               "screen %.4f, screen %.4f noborder\n",
            l, r, b, t, r + 16 * px, b, 16 * px, t - b);
    fputs("unset grid\nset tics scale 0\nset border 0\n", f);
    heat_palette(f, hs, unit_of(d));
    category_tics(f, "x", &d->ax[0]);
    if (label_room(&d->ax[0], fr) > 130.0 && d->ax[0].n > 3)
        fputs("set xtics rotate by 20 right\n", f);
    category_tics(f, "y", &d->ax[1]);
    fputs("set xlabel ", f);
    gp_str(f, d->ax[0].name);
    fputs("\nset ylabel ", f);
    gp_str(f, d->ax[1].name);
    fputs("\nset cblabel ", f);
    gp_str(f, d->label);
    fputc('\n', f);
}

/* Draws the cells of panel id, each with its value if there is room. */
static void heat_plot(FILE *f, const struct sc_data *d, size_t id,
                      const struct gp_frame *fr)
{
    fprintf(f, "plot $heat%zu using 1:2:(0.5):(0.5):3 with boxxyerror "
               "fs solid 1.0 %s fc palette notitle",
            id, cells_dense(d) ? "noborder" : "border lc rgb 'white'");
    if (cells_labelled(d, fr->compact))
        fprintf(f, ", \\\n     $heat%zu using 1:2:5:4 with labels tc rgb "
                "variable font ',%d' notitle",
                id, fr->compact ? 9 : 11);
    fputc('\n', f);
}

static void chart_heatmap(FILE *f, const struct sc_data *d)
{
    char title[600];
    struct heat_scale hs = heat_scale_of(d);
    block_heat(f, d, 0, &hs);
    heat_setup(f, d, &gp_full, &hs);
    title_of(d, title, sizeof title);
    gp_title(f, &gp_full, title, d->subtitle);
    heat_plot(f, d, 0, &gp_full);
}

/* Panel i of m on a page, in a grid below the page title. */
static struct gp_frame panel_frame(int i, int m)
{
    int cols = (int)ceil(sqrt((double)m)), rows = (m + cols - 1) / cols;
    double top = 0.9, w = 1.0 / cols, h = top / rows;
    int r = i / cols, c = i % cols;
    struct gp_frame fr = {c * w, top - (r + 1) * h, (c + 1) * w, top - r * h,
                          1, GP_DASH_WIDTH, GP_DASH_HEIGHT};
    return fr;
}

static void chart_panels(FILE *f, const struct sc_data *d, int page,
                         struct sc_body *b)
{
    char title[600], label[512];
    struct heat_scale hs = heat_scale_of(d);
    size_t all = n_panels(d), first = (size_t)page * PANELS_PER_PAGE;
    int m = (int)(all - first < PANELS_PER_PAGE ? all - first
                                                 : PANELS_PER_PAGE);
    b->width = GP_DASH_WIDTH;
    b->height = GP_DASH_HEIGHT;
    for (int i = 0; i < m; i++)
        block_heat(f, d, first + (size_t)i, &hs);
    title_of(d, title, sizeof title);
    fputs("set multiplot\n", f);
    for (int i = 0; i < m; i++) {
        struct gp_frame fr = panel_frame(i, m);
        panel_label(d, first + (size_t)i, label, sizeof label);
        heat_setup(f, d, &fr, &hs);
        gp_title(f, &fr, label, NULL);
        if (i == 0) {
            /* Labels 90 and 91: gp_title() keeps the low numbers. */
            fputs("set label 90 ", f);
            gp_str(f, title);
            fputs(" at screen 0.01, screen 0.975 left font "
                  "'DejaVu Sans Bold,16'\nset label 91 ", f);
            gp_str(f, d->subtitle);
            fputs(" at screen 0.01, screen 0.94 left font ',10' "
                  "textcolor rgb '#666666'\n", f);
        }
        heat_plot(f, d, first + (size_t)i, &fr);
    }
    fputs("unset multiplot\n", f);
}

/* ------------------------------------------------------------ tornado */

/* One bar pair: key k moved down (lo) and up (hi) from the centre. */
struct bar {
    int k;
    size_t lo, hi; /* points */
    double swing;
};

/* The most common value of each key; the point holding all of them. */
static int find_centre(const struct sc_data *d, size_t *base, size_t *centre)
{
    size_t np = (size_t)d->np;
    size_t *count = calloc(d->npoints, sizeof *count);
    if (!count)
        return -1;
    for (size_t k = 0; k < np; k++) {
        memset(count, 0, d->npoints * sizeof *count);
        base[k] = 0;
        for (size_t p = 0; p < d->npoints; p++)
            if (++count[d->idx[p * np + k]] > count[base[k]])
                base[k] = d->idx[p * np + k];
    }
    free(count);
    for (size_t p = 0; p < d->npoints; p++) {
        size_t k = 0;
        while (k < np && d->idx[p * np + k] == base[k])
            k++;
        if (k == np) {
            *centre = p;
            return 0;
        }
    }
    return -1;
}

/* The one key point p moves away from the centre, or -1. */
static int moved_key(const struct sc_data *d, const size_t *base, size_t p)
{
    int key = -1;
    for (int k = 0; k < d->np; k++) {
        if (d->idx[p * (size_t)d->np + (size_t)k] == base[k])
            continue;
        if (key >= 0)
            return -1;
        key = k;
    }
    return key;
}

/* Value of key k at point p, for ordering low and high. */
static double key_value(const struct sc_data *d, int k, size_t p)
{
    size_t i = d->idx[p * (size_t)d->np + (size_t)k];
    return d->ax[k].numeric ? d->ax[k].num[i] : (double)i;
}

/* The bars of every key moved on its own, widest swing first. */
static int find_bars(const struct sc_data *d, const size_t *base, size_t c,
                     struct bar *bars)
{
    int n = 0;
    for (int k = 0; k < d->np; k++) {
        struct bar b = {k, (size_t)-1, (size_t)-1, 0.0};
        for (size_t p = 0; p < d->npoints; p++) {
            if (moved_key(d, base, p) != k || isnan(d->mean[p]))
                continue;
            if (b.lo == (size_t)-1 || key_value(d, k, p) < key_value(d, k,
                                                                     b.lo))
                b.lo = p;
            if (b.hi == (size_t)-1 || key_value(d, k, p) > key_value(d, k,
                                                                     b.hi))
                b.hi = p;
        }
        if (b.lo == (size_t)-1)
            continue;
        double x[3] = {d->mean[c], d->mean[b.lo], d->mean[b.hi]};
        b.swing = fmax(x[0], fmax(x[1], x[2])) - fmin(x[0], fmin(x[1], x[2]));
        int i = n++;
        while (i > 0 && bars[i - 1].swing < b.swing) {
            bars[i] = bars[i - 1];
            i--;
        }
        bars[i] = b;
    }
    return n;
}

/* "sales.reps: 6 / 10" for a bar. */
static void bar_label(const struct sc_data *d, const struct bar *b,
                      char *buf, size_t n)
{
    size_t np = (size_t)d->np, k = (size_t)b->k;
    const struct sc_axis *ax = &d->ax[k];
    if (b->lo == b->hi)
        snprintf(buf, n, "%s: %s", ax->name, ax->vals[d->idx[b->lo * np + k]]);
    else
        snprintf(buf, n, "%s: %s / %s", ax->name,
                 ax->vals[d->idx[b->lo * np + k]],
                 ax->vals[d->idx[b->hi * np + k]]);
}

static void tornado_axes(FILE *f, const struct sc_data *d,
                         const struct bar *bars, int n, double centre)
{
    double min = centre, max = centre;
    char label[300];
    for (int i = 0; i < n; i++) {
        min = fmin(min, fmin(d->mean[bars[i].lo], d->mean[bars[i].hi]));
        max = fmax(max, fmax(d->mean[bars[i].lo], d->mean[bars[i].hi]));
    }
    struct gp_axis x = gp_nice(min, max, 0);
    gp_ticks(f, "x", &x, unit_of(d));
    fprintf(f, "set yrange [-0.7:%d.7]\nset ytics (", n - 1);
    for (int i = 0; i < n; i++) {
        bar_label(d, &bars[i], label, sizeof label);
        fputs(i ? ", " : "", f);
        gp_str(f, label);
        fprintf(f, " %d", n - 1 - i);
    }
    size_t longest = 0;
    for (int i = 0; i < n; i++) {
        bar_label(d, &bars[i], label, sizeof label);
        longest = strlen(label) > longest ? strlen(label) : longest;
    }
    double lm = fmin(0.45, (7.5 * (double)longest + 30.0) / GP_WIDTH);
    fprintf(f, ")\nset grid noytics\nset lmargin at screen %.4f\n"
               "set key width 3\nset xlabel ", fmax(lm, 0.1));
    gp_str(f, d->label);
    fprintf(f, "\nset arrow 1 from %.9g, graph 0 to %.9g, graph 1 nohead "
               "front lc rgb '#333333' lw 1.5\n", centre, centre);
}

/* Returns -1 when the sweep is not one key at a time around a centre. */
static int chart_tornado(FILE *f, const struct sc_data *d)
{
    size_t *base = calloc((size_t)d->np, sizeof *base), c = 0;
    struct bar *bars = calloc((size_t)d->np, sizeof *bars);
    int n = 0;
    if (base && bars && find_centre(d, base, &c) == 0 && !isnan(d->mean[c]))
        n = find_bars(d, base, c, bars);
    if (n > 0) {
        char title[600], sub[800], cv[64];
        fputs("$tornado << EOD\n# y low_value high_value\n", f);
        for (int i = 0; i < n; i++)
            fprintf(f, "%d %.9g %.9g\n", n - 1 - i, d->mean[bars[i].lo],
                    d->mean[bars[i].hi]);
        fputs("EOD\n", f);
        gp_house(f, &gp_full, 0);
        fmt_value(d, d->mean[c], cv, sizeof cv);
        snprintf(title, sizeof title, "%s", d->title[0] ? d->title : "");
        if (!title[0])
            snprintf(title, sizeof title, "What moves it: %s, one key at a "
                     "time", d->label);
        snprintf(sub, sizeof sub, "%s; line: every key at its base value, "
                 "%s", d->subtitle, cv);
        gp_title(f, &gp_full, title, sub);
        tornado_axes(f, d, bars, n, d->mean[c]);
        /* Low above high within a row, so neither hides the other. */
        fprintf(f, "C = %.9g\nplot $tornado using (($2 + C) / 2):($1 + 0.17):"
                   "(abs($2 - C) / 2):(0.15) with boxxyerror fs solid 1.0 "
                   "noborder fc rgb '#0072B2' title 'The key alone at its "
                   "low value', \\\n"
                   "     $tornado using (($3 + C) / 2):($1 - 0.17):"
                   "(abs($3 - C) / 2):(0.15) with boxxyerror fs solid 1.0 "
                   "noborder fc rgb '#D55E00' title '... at its high value'\n",
                d->mean[c]);
    }
    free(base);
    free(bars);
    return n > 0 ? 0 : -1;
}

/* Any other zip sweep: the metric point by point, in file order. */
static void chart_points(FILE *f, const struct sc_data *d)
{
    char title[600], sub[700], label[300];
    double min, max;
    fputs("$sweep << EOD\n", f);
    for (size_t p = 0; p < d->npoints; p++)
        fprintf(f, "%zu %.9g %.9g %.9g\n", p, d->mean[p], d->lo[p], d->hi[p]);
    fputs("EOD\n", f);
    gp_house(f, &gp_full, 0);
    title_of(d, title, sizeof title);
    snprintf(sub, sizeof sub, "%s; whiskers: 95%% confidence interval",
             d->subtitle);
    gp_title(f, &gp_full, title, sub);
    value_range(d, 1, &min, &max);
    struct gp_axis y = gp_nice(min, max, 1);
    gp_ticks(f, "y", &y, unit_of(d));
    fprintf(f, "set xrange [-0.5:%zu.5]\nset xtics rotate by 30 right (",
            d->npoints - 1);
    for (size_t p = 0; p < d->npoints; p += tic_step(d->npoints)) {
        size_t len = 0;
        for (int k = 0; k < d->np && len < sizeof label; k++)
            len += (size_t)snprintf(label + len, sizeof label - len, "%s%s",
                                    k ? ", " : "", d->ax[k].vals[
                                        d->idx[p * (size_t)d->np + k]]);
        fputs(p ? ", " : "", f);
        gp_str(f, label);
        fprintf(f, " %zu", p);
    }
    fputs(")\nset bmargin at screen 0.25\nset ylabel ", f);
    gp_str(f, d->label);
    fputs("\nplot $sweep using 1:2:3:4 with yerrorbars lt 2 pt 7 "
          "title 'Mean and 95% confidence interval'\n", f);
}

/* ------------------------------------------------------------ dispatch */

int sc_pages(const struct sc_data *d)
{
    if (d->zip || d->np <= 2)
        return 1;
    size_t n = n_panels(d);
    return (int)((n + PANELS_PER_PAGE - 1) / PANELS_PER_PAGE);
}

void sc_chart(FILE *f, const struct sc_data *d, int page, struct sc_body *b)
{
    b->width = GP_WIDTH;
    b->height = GP_HEIGHT;
    if (d->zip) {
        if (chart_tornado(f, d) != 0)
            chart_points(f, d);
    } else if (d->np == 1) {
        chart_line(f, d);
    } else if (d->np == 2) {
        chart_heatmap(f, d);
    } else {
        chart_panels(f, d, page, b);
    }
}
