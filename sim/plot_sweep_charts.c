/*
 * plot_sweep_charts: gnuplot bodies of a sweep's charts.
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
 * they straddle zero, which then sits in the white middle. A dot in a
 * cell's corner marks a point whose 95 % interval excludes zero (the
 * subtitle says so). Axes are named in words (sc_key_words: the key's
 * meaning from the configuration table), texts measured and cut to fit
 * (plot_text.c), tick labels thinned until they keep apart.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_int.h"
#include "plot_sweep_int.h"

#define PANELS_PER_PAGE 9
#define TICS_MAX        25 /* category tick labels, all of them up to this */
#define TICS_THIN       20 /* beyond, about this many */
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

/* The meaning of configuration key `name` ("pull.weeks",
 * "sales.reps", "stage.qualify.advance") from the table, or NULL. */
static const char *key_doc(const char *name)
{
    static const struct cfgk_table *const fixed[] = {
        &cfgk_simulation, &cfgk_sales,  &cfgk_operations, &cfgk_support,
        &cfgk_clients,    &cfgk_market, &cfgk_start,      &cfgk_costs,
    };
    const char *dot = strchr(name, '.');
    const struct cfgk_table *t = NULL;
    if (!dot)
        return NULL;
    size_t n = (size_t)(dot - name);
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed && !t; i++)
        if (strlen(fixed[i]->name) == n && !strncmp(fixed[i]->name, name, n))
            t = fixed[i];
    for (int i = 0; i < IV_TYPE_COUNT && !t; i++) {
        const struct cfgk_table *iv = cfgk_iv((enum iv_type)i);
        if (strlen(iv->name) == n && !strncmp(iv->name, name, n))
            t = iv;
    }
    const char *key = dot + 1;
    if (!t && n == 5 && !strncmp(name, "stage", 5) && strchr(key, '.')) {
        t = &cfgk_stage;
        key = strchr(key, '.') + 1;
    }
    for (size_t i = 0; t && i < t->n; i++)
        if (!strcmp(t->keys[i].key, key))
            return t->keys[i].doc;
    return NULL;
}

void sc_key_words(const char *name, char *buf, size_t n)
{
    static const char *const drop[] = {" at the start of warm-up",
                                       " at the base prospecting share"};
    const char *doc = !strcmp(name, "scenario") ? "scenario" : key_doc(name);
    if (!doc) {
        snprintf(buf, n, "%s", name);
        return;
    }
    /* The words before a colon or a parenthesis: "reps pulled" of
     * "reps pulled: a count, ...", "length of the pull, weeks" of
     * "length of the pull, weeks (0: no pull)". */
    size_t len = strcspn(doc, ":(");
    while (len > 0 && doc[len - 1] == ' ')
        len--;
    snprintf(buf, n, "%.*s", (int)len, doc);
    for (size_t i = 0; i < sizeof drop / sizeof *drop; i++) {
        char *at = strstr(buf, drop[i]);
        if (at)
            memmove(at, at + strlen(drop[i]), strlen(at + strlen(drop[i])) + 1);
    }
    if (buf[0] >= 'a' && buf[0] <= 'z')
        buf[0] = (char)(buf[0] - 'a' + 'A');
}

/* The default title: "<metric> by <key> and <key>", the keys in words
 * (lower case after the first). */
static void title_of(const struct sc_data *d, char *buf, size_t n)
{
    if (d->title[0]) {
        snprintf(buf, n, "%s", d->title);
        return;
    }
    size_t len = (size_t)snprintf(buf, n, "%s by ", d->label);
    for (int k = 0; k < d->np && len < n; k++) {
        size_t at = len;
        len += (size_t)snprintf(buf + len, n - len, "%s%s",
                                k == 0           ? ""
                                : k + 1 == d->np ? " and "
                                                 : ", ",
                                d->ax[k].words);
        at += k == 0 ? 0 : k + 1 == d->np ? 5 : 2;
        if (at < n && buf[at] >= 'A' && buf[at] <= 'Z')
            buf[at] = (char)(buf[at] - 'A' + 'a');
    }
}

/* Every how many categories of n a tick label goes: all up to TICS_MAX,
 * then about TICS_THIN, so that labels never run into each other; and
 * more apart where each category is cell_px wide and its label up to
 * label_px. */
static size_t tic_step(size_t n, double cell_px, double label_px)
{
    size_t step = n <= TICS_MAX ? 1 : (n + TICS_THIN - 1) / TICS_THIN;
    if (cell_px > 0.0)
        while (step < n && step * cell_px < label_px + 10.0)
            step++;
    return step;
}

/* Tick labels of an axis: its values at 0, 1, ... (categories), each cut
 * to most_px, thinned so that they keep apart on cells of cell_px (0:
 * by count only), side by side or, when up, one above the other.
 * Returns the widest label written. */
static double category_tics(FILE *f, const char *axis, const struct sc_axis *ax,
                            double most_px, double cell_px, int up)
{
    double widest = 0.0;
    char buf[GP_LINE_MAX];
    for (size_t i = 0; i < ax->n; i++) {
        gp_fit(buf, sizeof buf, ax->vals[i], most_px, GP_TICK_PT, 0);
        widest = fmax(widest, gp_text_width(buf, GP_TICK_PT, 0));
    }
    size_t step =
        tic_step(ax->n, cell_px, up ? 1.2 * GP_TICK_PT * GP_PX_PER_PT : widest);
    fprintf(f, "set %srange [-0.5:%zu.5]\nset %stics (", axis, ax->n - 1, axis);
    for (size_t i = 0; i < ax->n; i += step) {
        fputs(i ? ", " : "", f);
        gp_fit(buf, sizeof buf, ax->vals[i], most_px, GP_TICK_PT, 0);
        gp_str(f, buf);
        fprintf(f, " %zu", i);
    }
    fputs(")\n", f);
    return widest;
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

/* The x axis of a line over plot px pixels wide: categories, or the
 * key's values as numbers, each labelled where it keeps clear of the
 * label before it (nice steps past 15 values). */
static void line_x_axis(FILE *f, const struct sc_axis *ax, double px)
{
    if (!ax->numeric) {
        category_tics(f, "x", ax, 160.0, px / (double)ax->n, 0);
        return;
    }
    double lo = ax->num[0], hi = ax->num[0];
    for (size_t i = 1; i < ax->n; i++) {
        lo = fmin(lo, ax->num[i]);
        hi = fmax(hi, ax->num[i]);
    }
    double pad = hi > lo ? 0.04 * (hi - lo) : 0.5;
    double x0 = lo - pad, x1 = hi + pad, end = -HUGE_VAL;
    if (ax->n > 15) {
        struct gp_axis a = gp_nice(lo, hi, 0);
        gp_thin(&a, px * (a.hi - a.lo) / (x1 - x0), GP_PLAIN);
        gp_ticks(f, NULL, "x", &a, GP_PLAIN);
        fprintf(f, "set xrange [%.9g:%.9g]\n", x0, x1);
        return;
    }
    fprintf(f, "set xrange [%.9g:%.9g]\nset xtics (", x0, x1);
    int first = 1;
    for (size_t i = 0; i < ax->n; i++) {
        double at = (ax->num[i] - x0) / (x1 - x0) * px;
        double w = gp_text_width(ax->vals[i], GP_TICK_PT, 0);
        if (at - w / 2 < end + 10.0)
            continue;
        end = at + w / 2;
        fputs(first ? "" : ", ", f);
        gp_str(f, ax->vals[i]);
        fprintf(f, " %.9g", ax->num[i]);
        first = 0;
    }
    fputs(")\n", f);
}

/* A two-entry legend: the band and the mean line. */
static void band_legend(FILE *f, struct gp_frame *fr, const char *band,
                        const char *line)
{
    struct gp_key k[2] = {
        {GP_SAMPLE_BOX, "fc lt 2 fs transparent solid 0.18 noborder", NULL,
         band},
        {GP_SAMPLE_LINE, "lt 2 dt 1", "lt 2", line},
    };
    gp_legend(f, fr, k, 2);
}

static void chart_line(FILE *f, const struct sc_data *d)
{
    char title[600], sub[700];
    double min, max, box[4];
    size_t *ord = line_order(d);
    struct gp_frame fr = gp_single(d->size);
    block_line(f, d, ord);
    free(ord);
    gp_house(f, &fr, 0);
    title_of(d, title, sizeof title);
    snprintf(sub, sizeof sub, "%s; band: 95%% confidence interval",
             d->subtitle);
    gp_title(f, &fr, title, sub);
    band_legend(f, &fr, "95% confidence interval", "Mean");
    value_range(d, 1, &min, &max);
    struct gp_axis y = gp_nice(min, max, 1);
    gp_ticks(f, &fr, "y", &y, unit_of(d));
    gp_axis_label(&fr, 0, d->label);
    gp_box(&fr, box);
    line_x_axis(f, &d->ax[0], (box[1] - box[0]) * fr.width);
    fputs("set xzeroaxis lt 1 lw 1 lc rgb '#666666'\nset xlabel ", f);
    gp_str(f, d->ax[0].words);
    fputc('\n', f);
    gp_plot_area(f, &fr);
    fprintf(f,
            "plot $sweep using 1:3:4 with filledcurves lt 2 fs "
            "transparent solid 0.18 notitle, \\\n     $sweep using 1:2 "
            "with %s lt 2 dt 1 notitle\n",
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

/* "Ops backlog order = fifo, Active clients = 300" for panel id. */
static void panel_label(const struct sc_data *d, size_t id, char *buf, size_t n)
{
    size_t len = 0, v[64];
    for (int k = d->np; k-- > 2;) {
        v[k % 64] = id % d->ax[k].n;
        id /= d->ax[k].n;
    }
    buf[0] = '\0';
    for (int k = 2; k < d->np && len < n; k++)
        len +=
            (size_t)snprintf(buf + len, n - len, "%s%s = %s", k > 2 ? ", " : "",
                             d->ax[k].words, d->ax[k].vals[v[k % 64]]);
}

/* Whether a point's 95 % interval excludes zero. */
static int significant(const struct sc_data *d, size_t p)
{
    return d->lo[p] < d->hi[p] && (d->lo[p] > 0.0 || d->hi[p] < 0.0);
}

/* The cells of panel id: x, y, value, text colour, label; then, as
 * $sigID, the cells whose interval excludes zero. */
static void block_heat(FILE *f, const struct sc_data *d, size_t id,
                       const struct heat_scale *hs)
{
    size_t np = (size_t)d->np;
    fprintf(f, "$heat%zu << EOD\n", id);
    for (size_t p = 0; p < d->npoints; p++) {
        if (panel_of(d, p) != id)
            continue;
        char label[64];
        fmt_value(d, d->mean[p], label, sizeof label);
        fprintf(f, "%zu %zu ", d->idx[p * np], d->idx[p * np + 1]);
        gp_num(f, d->mean[p]);
        fprintf(f, " %d ",
                !isnan(d->mean[p]) && dark_cell(hs, d->mean[p]) ? 0xffffff
                                                                : 0x222222);
        fputc('"', f);
        fputs(label, f);
        fputs("\"\n", f);
    }
    fprintf(f,
            "EOD\n$sig%zu << EOD\n# cells whose 95%% interval "
            "excludes zero\n",
            id);
    for (size_t p = 0; p < d->npoints; p++)
        if (panel_of(d, p) == id && significant(d, p))
            fprintf(f, "%zu %zu\n", d->idx[p * np], d->idx[p * np + 1]);
    fputs("EOD\n", f);
}

static void heat_palette(FILE *f, struct gp_frame *fr,
                         const struct heat_scale *hs, enum gp_unit unit)
{
    if (hs->diverging)
        fputs("set palette defined (0 '#2166ac', 0.25 '#92c5de', "
              "0.5 '#f7f7f7', 0.75 '#f4a582', 1 '#b2182b')\n",
              f);
    else
        fputs("set palette defined (0 '#fff5eb', 0.35 '#fdbe85', "
              "0.65 '#fd8d3c', 1 '#a63603')\n",
              f);
    gp_ticks(f, fr, "cb", &hs->cb, unit);
}

/* The widest of an axis's values cut to most pixels. */
static double widest_value(const struct sc_axis *ax, double most)
{
    double w = 0.0;
    char buf[GP_LINE_MAX];
    for (size_t i = 0; i < ax->n; i++) {
        gp_fit(buf, sizeof buf, ax->vals[i], most, GP_TICK_PT, 0);
        w = fmax(w, gp_text_width(buf, GP_TICK_PT, 0));
    }
    return w;
}

/* A heatmap's cells as laid out: pixels a cell, the values' type. */
struct heat_cells {
    double w, h, pt;
    int labelled;
};

/* The settings of one heatmap in frame fr, titled: the colour bar on
 * the right with its labels and title, the keys' values as tick labels
 * (cut to a third of the frame, thinned to keep apart). */
static struct heat_cells heat_setup(FILE *f, const struct sc_data *d,
                                    struct gp_frame *fr,
                                    const struct heat_scale *hs,
                                    const char *title, const char *sub)
{
    struct heat_cells c = {0.0, 0.0, fr->compact ? 9.0 : 11.0, 0};
    double most = 0.33 * (fr->x1 - fr->x0) * fr->width, box[4];
    double px = 1.0 / fr->width;
    gp_house(f, fr, 1);
    gp_title(f, fr, title, sub);
    fputs("unset grid\nset tics scale 0\nset border 0\n", f);
    heat_palette(f, fr, hs, unit_of(d));
    fr->tick_px[0] = widest_value(&d->ax[1], most);
    fr->tick_px[1] += 36.0; /* the colour bar and its gaps */
    gp_axis_label(fr, 0, d->ax[1].words);
    gp_axis_label(fr, 1, d->label);
    gp_box(fr, box);
    c.w = (box[1] - box[0]) * fr->width / (double)d->ax[0].n;
    c.h = (box[3] - box[2]) * fr->height / (double)d->ax[1].n;
    fprintf(f,
            "set colorbox user origin screen %.4f, screen %.4f size "
            "screen %.4f, screen %.4f noborder\n",
            box[1] + 16 * px, box[2], 16 * px, box[3] - box[2]);
    category_tics(f, "x", &d->ax[0], fmin(most, 150.0), c.w, 0);
    category_tics(f, "y", &d->ax[1], most, c.h, 1);
    char xl[GP_LINE_MAX];
    gp_fit(xl, sizeof xl, d->ax[0].words, (box[1] - box[0]) * fr->width,
           GP_TICK_PT, 0);
    fputs("set xlabel ", f);
    gp_str(f, xl);
    fputc('\n', f);
    /* Values in the cells where they fit, with a margin. */
    double vw = 0.0;
    for (size_t p = 0; p < d->npoints; p++) {
        char v[64];
        fmt_value(d, d->mean[p], v, sizeof v);
        vw = fmax(vw, gp_text_width(v, c.pt, 0));
    }
    c.labelled = c.w >= vw + 8.0 && c.h >= 1.3 * c.pt * GP_PX_PER_PT + 4.0;
    gp_plot_area(f, fr);
    return c;
}

/* Draws the cells of panel id, each with its value if there is room,
 * and a dot in the corner of those whose interval excludes zero. */
static void heat_plot(FILE *f, size_t id, const struct heat_cells *c)
{
    /* The dot 6 pixels in from the top right corner, or in the middle
     * of a cell too small for a corner. */
    double dx = c->w >= 16.0 ? 0.5 - 6.0 / c->w : 0.0;
    double dy = c->h >= 16.0 ? 0.5 - 6.0 / c->h : 0.0;
    fprintf(f,
            "plot $heat%zu using 1:2:(0.5):(0.5):3 with boxxyerror "
            "fs solid 1.0 %s fc palette notitle",
            id,
            c->w < 8.0 || c->h < 8.0 ? "noborder" : "border lc rgb 'white'");
    if (c->labelled)
        fprintf(f,
                ", \\\n     $heat%zu using 1:2:5:4 with labels tc rgb "
                "variable font ',%g' notitle",
                id, c->pt);
    fprintf(f,
            ", \\\n     $sig%zu using ($1+%.4f):($2+%.4f) with points "
            "pt 7 ps %.2f lc rgb '#111111' notitle\n",
            id, dx, dy, fmin(0.6, fmin(c->w, c->h) / 20.0));
}

/* The subtitle of a heatmap: the sweep's, and what a dot says. */
static void heat_subtitle(const struct sc_data *d, char *buf, size_t n)
{
    snprintf(buf, n, "%s; dot: the 95%% interval excludes zero", d->subtitle);
}

static void chart_heatmap(FILE *f, const struct sc_data *d)
{
    char title[600], sub[700];
    struct heat_scale hs = heat_scale_of(d);
    struct gp_frame fr = gp_single(d->size);
    block_heat(f, d, 0, &hs);
    title_of(d, title, sizeof title);
    heat_subtitle(d, sub, sizeof sub);
    struct heat_cells c = heat_setup(f, d, &fr, &hs, title, sub);
    heat_plot(f, 0, &c);
}

/* Panel i of m on a page, in a grid below a header of head pixels. */
static struct gp_frame panel_frame(const struct gp_size *sz, int i, int m,
                                   double head)
{
    int cols = (int)ceil(sqrt((double)m)), rows = (m + cols - 1) / cols;
    struct gp_frame fr = gp_page(sz, sz->dash_width, sz->dash_height);
    double top = 1.0 - head / fr.height, w = 1.0 / cols, h = top / rows;
    int r = i / cols, c = i % cols;
    fr.x0 = c * w;
    fr.x1 = (c + 1) * w;
    fr.y0 = top - (r + 1) * h;
    fr.y1 = top - r * h;
    fr.compact = 1;
    return fr;
}

static void chart_panels(FILE *f, const struct sc_data *d, int page,
                         struct sc_body *b)
{
    char title[600], label[512], sub[700];
    struct heat_scale hs = heat_scale_of(d);
    size_t all = n_panels(d), first = (size_t)page * PANELS_PER_PAGE;
    int m =
        (int)(all - first < PANELS_PER_PAGE ? all - first : PANELS_PER_PAGE);
    b->width = d->size->dash_width;
    b->height = d->size->dash_height;
    for (int i = 0; i < m; i++)
        block_heat(f, d, first + (size_t)i, &hs);
    title_of(d, title, sizeof title);
    heat_subtitle(d, sub, sizeof sub);
    fputs("set multiplot\n", f);
    double head = gp_page_header(f, gp_page(d->size, b->width, b->height),
                                 title, sub, NULL, 0);
    for (int i = 0; i < m; i++) {
        struct gp_frame fr = panel_frame(d->size, i, m, head);
        panel_label(d, first + (size_t)i, label, sizeof label);
        struct heat_cells c = heat_setup(f, d, &fr, &hs, label, NULL);
        heat_plot(f, first + (size_t)i, &c);
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
            if (b.lo == (size_t)-1 ||
                key_value(d, k, p) < key_value(d, k, b.lo))
                b.lo = p;
            if (b.hi == (size_t)-1 ||
                key_value(d, k, p) > key_value(d, k, b.hi))
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

/* "Sales reps: 6 / 10" for a bar, the key's words cut so that the
 * whole fits in most pixels (the values always whole). */
static void bar_label(const struct sc_data *d, const struct bar *b, double most,
                      char *buf, size_t n)
{
    size_t np = (size_t)d->np, k = (size_t)b->k;
    const struct sc_axis *ax = &d->ax[k];
    char values[256], words[GP_LINE_MAX - 256];
    if (b->lo == b->hi)
        snprintf(values, sizeof values, ": %s",
                 ax->vals[d->idx[b->lo * np + k]]);
    else
        snprintf(values, sizeof values, ": %s / %s",
                 ax->vals[d->idx[b->lo * np + k]],
                 ax->vals[d->idx[b->hi * np + k]]);
    double room = most - gp_text_width(values, GP_TICK_PT, 0);
    gp_fit(words, sizeof words, ax->words, room > 40.0 ? room : 40.0,
           GP_TICK_PT, 0);
    snprintf(buf, n, "%s%s", words, values);
}

/* The bars' labels as y tick labels, cut to 40 % of the canvas. */
static void tornado_axes(FILE *f, struct gp_frame *fr, const struct sc_data *d,
                         const struct bar *bars, int n, double centre)
{
    double min = centre, max = centre, most = 0.4 * fr->width, box[4];
    char label[GP_LINE_MAX + 300], fit[GP_LINE_MAX];
    for (int i = 0; i < n; i++) {
        min = fmin(min, fmin(d->mean[bars[i].lo], d->mean[bars[i].hi]));
        max = fmax(max, fmax(d->mean[bars[i].lo], d->mean[bars[i].hi]));
    }
    fprintf(f, "set yrange [-0.7:%d.7]\nset ytics (", n - 1);
    fr->tick_px[0] = 0.0;
    for (int i = 0; i < n; i++) {
        bar_label(d, &bars[i], most, label, sizeof label);
        gp_fit(fit, sizeof fit, label, most, GP_TICK_PT, 0);
        fr->tick_px[0] =
            fmax(fr->tick_px[0], gp_text_width(fit, GP_TICK_PT, 0));
        fputs(i ? ", " : "", f);
        gp_str(f, fit);
        fprintf(f, " %d", n - 1 - i);
    }
    fputs(")\nset grid noytics\n", f);
    gp_box(fr, box);
    struct gp_axis x = gp_nice(min, max, 0);
    gp_thin(&x, (box[1] - box[0]) * fr->width, unit_of(d));
    gp_ticks(f, NULL, "x", &x, unit_of(d));
    fputs("set xlabel ", f);
    gp_str(f, d->label);
    fprintf(f,
            "\nset arrow 1 from %.9g, graph 0 to %.9g, graph 1 nohead "
            "front lc rgb '#333333' lw 1.5\n",
            centre, centre);
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
        struct gp_frame fr = gp_single(d->size);
        struct gp_key k[2] = {
            {GP_SAMPLE_BOX, "fc rgb '#0072B2' fs solid 1.0 noborder", NULL,
             "The key alone at its low value"},
            {GP_SAMPLE_BOX, "fc rgb '#D55E00' fs solid 1.0 noborder", NULL,
             "... at its high value"},
        };
        fputs("$tornado << EOD\n# y low_value high_value\n", f);
        for (int i = 0; i < n; i++)
            fprintf(f, "%d %.9g %.9g\n", n - 1 - i, d->mean[bars[i].lo],
                    d->mean[bars[i].hi]);
        fputs("EOD\n", f);
        gp_house(f, &fr, 0);
        fmt_value(d, d->mean[c], cv, sizeof cv);
        snprintf(title, sizeof title, "%s", d->title[0] ? d->title : "");
        if (!title[0])
            snprintf(title, sizeof title,
                     "What moves it: %s, one key at a "
                     "time",
                     d->label);
        snprintf(sub, sizeof sub,
                 "%s; line: every key at its base value, "
                 "%s",
                 d->subtitle, cv);
        gp_title(f, &fr, title, sub);
        gp_legend(f, &fr, k, 2);
        tornado_axes(f, &fr, d, bars, n, d->mean[c]);
        gp_plot_area(f, &fr);
        /* Low above high within a row, so neither hides the other. */
        fprintf(f,
                "C = %.9g\nplot $tornado using (($2 + C) / 2):($1 + 0.17):"
                "(abs($2 - C) / 2):(0.15) with boxxyerror fs solid 1.0 "
                "noborder fc rgb '#0072B2' notitle, \\\n"
                "     $tornado using (($3 + C) / 2):($1 - 0.17):"
                "(abs($3 - C) / 2):(0.15) with boxxyerror fs solid 1.0 "
                "noborder fc rgb '#D55E00' notitle\n",
                d->mean[c]);
    }
    free(base);
    free(bars);
    return n > 0 ? 0 : -1;
}

/* Any other zip sweep: the metric point by point, in file order, each
 * point's values slanted under it (cut to 150 pixels, thinned). */
static void chart_points(FILE *f, const struct sc_data *d)
{
    char title[600], sub[700], label[300], fit[GP_LINE_MAX];
    double min, max, box[4], widest = 0.0;
    struct gp_frame fr = gp_single(d->size);
    struct gp_key k = {GP_SAMPLE_BAR, "lt 2 dt 1", "lt 2 pt 7",
                       "Mean and 95% confidence interval"};
    fputs("$sweep << EOD\n", f);
    for (size_t p = 0; p < d->npoints; p++)
        fprintf(f, "%zu %.9g %.9g %.9g\n", p, d->mean[p], d->lo[p], d->hi[p]);
    fputs("EOD\n", f);
    gp_house(f, &fr, 0);
    title_of(d, title, sizeof title);
    snprintf(sub, sizeof sub, "%s; whiskers: 95%% confidence interval",
             d->subtitle);
    gp_title(f, &fr, title, sub);
    gp_legend(f, &fr, &k, 1);
    value_range(d, 1, &min, &max);
    struct gp_axis y = gp_nice(min, max, 1);
    gp_ticks(f, &fr, "y", &y, unit_of(d));
    gp_axis_label(&fr, 0, d->label);
    for (size_t p = 0; p < d->npoints; p++) {
        size_t len = 0;
        for (int j = 0; j < d->np && len < sizeof label; j++)
            len += (size_t)snprintf(
                label + len, sizeof label - len, "%s%s", j ? ", " : "",
                d->ax[j].vals[d->idx[p * (size_t)d->np + j]]);
        gp_fit(fit, sizeof fit, label, 150.0, GP_TICK_PT, 0);
        widest = fmax(widest, gp_text_width(fit, GP_TICK_PT, 0));
    }
    /* Slanted by 30 degrees: as high as half the longest label, and a
     * label's line apart along the axis. */
    fr.bottom = 0.5 * widest + 60.0;
    gp_box(&fr, box);
    size_t step =
        tic_step(d->npoints, (box[1] - box[0]) * fr.width / (double)d->npoints,
                 2.0 * GP_TICK_PT * GP_PX_PER_PT);
    fprintf(f, "set xrange [-0.5:%zu.5]\nset xtics rotate by 30 right (",
            d->npoints - 1);
    for (size_t p = 0; p < d->npoints; p += step) {
        size_t len = 0;
        for (int j = 0; j < d->np && len < sizeof label; j++)
            len += (size_t)snprintf(
                label + len, sizeof label - len, "%s%s", j ? ", " : "",
                d->ax[j].vals[d->idx[p * (size_t)d->np + j]]);
        gp_fit(fit, sizeof fit, label, 150.0, GP_TICK_PT, 0);
        fputs(p ? ", " : "", f);
        gp_str(f, fit);
        fprintf(f, " %zu", p);
    }
    fputs(")\n", f);
    gp_plot_area(f, &fr);
    fputs("plot $sweep using 1:2:3:4 with yerrorbars lt 2 pt 7 notitle\n", f);
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
    b->width = d->size->width;
    b->height = d->size->height;
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
