/*
 * plot_style: the house look of every chart, and numbers as people read
 * them ($1.2M, 12,500).
 *
 * Palette: Okabe & Ito's eight colours for colour-blind readers ("Color
 * Universal Design", 2008), each scenario also with its own dash type and
 * marker so lines stay apart in greyscale. Tick labels are written by us
 * (`set ytics ("$350k" 350000, ...)`): gnuplot's %' needs a locale that a
 * fresh machine may lack, and has no $k/$M notation.
 * Invariant: gp_house() starts with `reset`, so a panel never inherits
 * another panel's settings; linetypes survive reset and are set once.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "plot_int.h"

/* The --size presets (docs/charts.md). screen: today's charts, PNG
 * 1200 x 700 (dashboards 1600 x 1000). slide: a 16:9 canvas of 1024 x
 * 576 (dashboards and sweep panels 1280 x 720) drawn 1920 wide: 1920 x
 * 1080, PNGs at twice that (3840 x 2160); the canvas is smaller than
 * screen's, so the same type is larger against it. doc: 6.5 x 4 inches,
 * a page's text width, at 120 logical pixels an inch (10-point type
 * prints at 8 points), drawn 975 wide (150 dots an inch), PNGs at twice
 * that (1950 x 1200: 300 dots an inch). */
static const struct gp_size sizes[] = {
    {"screen", 1200, 700, 1600, 1000, 3, 300, 0, 1},
    {"slide", 1024, 576, 1280, 720, 2, 280, 1920, 2},
    {"doc", 780, 480, 780, 720, 2, 250, 975, 2},
};

double gp_scale(const struct gp_size *size, int w, int png)
{
    double k = size->out_width > 0 ? (double)size->out_width / w : 1.0;
    return png ? k * size->density : k;
}

const struct gp_size *gp_size_of(unsigned formats)
{
    if (formats & PLOT_SIZE_SLIDE)
        return &sizes[1];
    if (formats & PLOT_SIZE_DOC)
        return &sizes[2];
    return &sizes[0];
}

int plot_size_parse(const char *s, unsigned *bits)
{
    static const unsigned bit[] = {0, PLOT_SIZE_SLIDE, PLOT_SIZE_DOC};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++)
        if (!strcmp(s, sizes[i].name)) {
            *bits = bit[i];
            return 0;
        }
    return -1;
}

void plot_size_pixels(unsigned formats, int w, int h, unsigned fmt, int out[2])
{
    double k = gp_scale(gp_size_of(formats), w, fmt == PLOT_PNG);
    out[0] = (int)lround(w * k);
    out[1] = (int)lround(h * k);
}

struct gp_frame gp_page(const struct gp_size *size, int w, int h)
{
    struct gp_frame fr = {0.0,  0.0, 1.0, 1.0,          0,           w, h,
                          size, 0.0, 0.0, {-1.0, -1.0}, {NULL, NULL}};
    return fr;
}

struct gp_frame gp_single(const struct gp_size *size)
{
    return gp_page(size, size->width, size->height);
}

#define GP_NSTYLES 8

/* Scenario styles: baseline black and solid, then the Okabe-Ito colours
 * in an order that keeps the first few far apart in hue and lightness. */
static const struct {
    const char *colour;
    int dt, pt;
} scen_style[GP_NSTYLES] = {
    {"#000000", 1, 7},  {"#D55E00", 2, 5},  {"#0072B2", 4, 9},
    {"#009E73", 5, 13}, {"#E69F00", 3, 11}, {"#CC79A7", 1, 15},
    {"#56B4E9", 2, 7},  {"#999999", 4, 5},
};

/* Activities, bottom to top of the stack; lightness alternates so
 * neighbours differ in greyscale too. */
static const char *const activity_colour[5] = {
    "#009E73", "#56B4E9", "#F0E442", "#D55E00", "#DDDDDD",
};

int gp_lt(int s)
{
    return 1 + s % GP_NSTYLES;
}

const char *gp_colour(int s)
{
    return scen_style[s % GP_NSTYLES].colour;
}

void gp_linetypes(FILE *f)
{
    for (int i = 0; i < GP_NSTYLES; i++)
        fprintf(f, "set linetype %d lc rgb '%s' lw 2 dt %d pt %d ps 1.1\n",
                i + 1, scen_style[i].colour, scen_style[i].dt,
                scen_style[i].pt);
    for (int i = 0; i < 5; i++)
        fprintf(f, "set linetype %d lc rgb '%s' lw 1 dt 1\n", 11 + i,
                activity_colour[i]);
}

void gp_str(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            fputs("''", f);
        else
            fputc(c < 0x20 || c == 0x7f ? ' ' : c, f);
    }
    fputc('\'', f);
}

void gp_num(FILE *f, double v)
{
    if (isnan(v) || isinf(v))
        fputs("NaN", f);
    else
        fprintf(f, "%.9g", v);
}

/* Fewest decimals (0..3) that show x exactly enough. */
static int decimals_for(double x)
{
    x = fabs(x);
    for (int d = 0; d < 3; d++) {
        double s = x * pow(10.0, d);
        if (fabs(s - round(s)) < 1e-6 * (s > 1.0 ? s : 1.0))
            return d;
    }
    return 3;
}

/* Drops trailing zeros after a decimal point ("1.50" -> "1.5"). */
static void trim_zeros(char *s)
{
    char *dot = strchr(s, '.');
    if (!dot)
        return;
    char *end = s + strlen(s);
    while (end > dot + 1 && end[-1] == '0')
        *--end = '\0';
    if (end == dot + 1)
        *dot = '\0';
}

void plot_fmt_money(char *buf, size_t n, double v, double step)
{
    static const struct {
        double unit;
        const char *suffix;
    } scales[] = {{1e9, "B"}, {1e6, "M"}, {1e3, "k"}, {1.0, ""}};
    if (step > 0.0 && fabs(v) < step * 1e-6)
        v = 0.0;
    double av = fabs(v), x;
    size_t i = 0;
    int d;
    while (i < 3 && av < scales[i].unit)
        i++;
    for (;;) {
        x = av / scales[i].unit;
        if (step > 0.0)
            d = decimals_for(step / scales[i].unit);
        else
            d = x >= 100.0 ? 0 : x >= 10.0 ? 1 : 2;
        if (i == 3)
            d = 0; /* no cents */
        /* 999,999 rounds to "1000k": say "$1.00M" instead. */
        if (i == 0 || round(x * pow(10.0, d)) < 1000.0 * pow(10.0, d))
            break;
        i--;
    }
    char num[64];
    snprintf(num, sizeof num, "%.*f", d, x);
    /* Tick labels drop zeros ("$1.5M"); three significant digits keep
     * them, so table columns line up ("$2.20M" over "$2.32M"). */
    if (step > 0.0)
        trim_zeros(num);
    snprintf(buf, n, "%s$%s%s", v < 0.0 ? "-" : "", num, scales[i].suffix);
}

void gp_fmt_plain(char *buf, size_t n, double v, double step)
{
    if (step > 0.0 && fabs(v) < step * 1e-6)
        v = 0.0;
    int d = step > 0.0 ? decimals_for(step) : (fabs(v) < 10.0 ? 2 : 0);
    char num[64], out[96];
    snprintf(num, sizeof num, "%.*f", d, fabs(v));
    size_t digits = strcspn(num, "."), k = 0;
    if (v < 0.0)
        out[k++] = '-';
    for (size_t i = 0; num[i]; i++) {
        if (i > 0 && i < digits && (digits - i) % 3 == 0)
            out[k++] = ',';
        out[k++] = num[i];
    }
    out[k] = '\0';
    trim_zeros(out);
    snprintf(buf, n, "%s", out);
}

struct gp_axis gp_nice(double min, double max, int zero)
{
    struct gp_axis a;
    if (isnan(min) || isnan(max)) {
        min = 0.0;
        max = 1.0;
    }
    if (zero && min > 0.0)
        min = 0.0;
    if (zero && max < 0.0)
        max = 0.0;
    if (max - min <= 1e-9 * fmax(fabs(max), 1.0)) {
        double pad = fabs(max) > 0.0 ? fabs(max) * 0.1 : 1.0;
        max += pad;
        if (!(zero && min == 0.0))
            min -= pad;
    }
    double raw = (max - min) / 5.0;
    double mag = pow(10.0, floor(log10(raw)));
    double r = raw / mag;
    a.step = mag * (r <= 1.0   ? 1.0
                    : r <= 2.0 ? 2.0
                    : r <= 2.5 ? 2.5
                    : r <= 5.0 ? 5.0
                               : 10.0);
    a.lo = floor(min / a.step + 1e-9) * a.step;
    a.hi = ceil(max / a.step - 1e-9) * a.step;
    return a;
}

void gp_headroom(struct gp_axis *a, double min, double max)
{
    double span = a->hi - a->lo;
    if (!isnan(max) && max > a->lo && a->hi - max < 0.04 * span)
        a->hi += a->step;
    if (!isnan(min) && min < 0.0 && min - a->lo < 0.04 * span)
        a->lo -= a->step;
}

/* The next nice step above step: 1, 2, 2.5, 5, 10 times a power of 10. */
static double next_step(double step)
{
    double mag = pow(10.0, floor(log10(step) + 1e-9));
    double r = step / mag;
    return mag * (r < 1.5 ? 2.0 : r < 2.25 ? 2.5 : r < 4.0 ? 5.0 : 10.0);
}

/* Widest tick label of a, and how many. */
static double widest_tick(const struct gp_axis *a, enum gp_unit unit)
{
    double w = 0.0;
    long k0 = lround(ceil(a->lo / a->step - 1e-9));
    long k1 = lround(floor(a->hi / a->step + 1e-9));
    for (long k = k0; k <= k1 && k - k0 < 40; k++) {
        char label[64];
        if (unit == GP_MONEY)
            plot_fmt_money(label, sizeof label, k * a->step, a->step);
        else
            gp_fmt_plain(label, sizeof label, k * a->step, a->step);
        w = fmax(w, gp_text_width(label, GP_TICK_PT, 0));
    }
    return w;
}

void gp_thin(struct gp_axis *a, double px, enum gp_unit unit)
{
    for (int i = 0; i < 30 && a->hi > a->lo; i++) {
        double gap = px * a->step / (a->hi - a->lo);
        if (gap >= widest_tick(a, unit) + 12.0)
            return;
        a->step = next_step(a->step);
        a->lo = floor(a->lo / a->step + 1e-9) * a->step;
        a->hi = ceil(a->hi / a->step - 1e-9) * a->step;
    }
}

void gp_align_zero(struct gp_axis *a, struct gp_axis *b)
{
    double fa = -a->lo / (a->hi - a->lo), fb = -b->lo / (b->hi - b->lo);
    if (fa < 0.0 || fb < 0.0 || fa >= 1.0 || fb >= 1.0)
        return;
    if (fa > fb)
        b->lo = -fa * b->hi / (1.0 - fa);
    else if (fb > fa)
        a->lo = -fb * a->hi / (1.0 - fb);
}

/* The plot's height in fr's layout so far, in pixels. */
static double plot_height(const struct gp_frame *fr);

void gp_ticks(FILE *f, struct gp_frame *fr, const char *axis,
              const struct gp_axis *axis_range, enum gp_unit unit)
{
    double widest = 0.0;
    struct gp_axis thin = *axis_range, *a = &thin;
    /* Upright axes: labels a line and a quarter apart at least, by a
     * wider step over the same range (two axes may share their zero). */
    int up = fr && axis[0] != 'x';
    double need = 1.25 * GP_TICK_PT * GP_PX_PER_PT;
    for (int i = 0; up && i < 30 && a->hi > a->lo &&
                    plot_height(fr) * a->step / (a->hi - a->lo) < need;
         i++)
        a->step = next_step(a->step);
    fprintf(f, "set %srange [%.9g:%.9g]\nset %stics (", axis, a->lo, a->hi,
            axis);
    long k0 = lround(ceil(a->lo / a->step - 1e-9));
    long k1 = lround(floor(a->hi / a->step + 1e-9));
    for (long k = k0; k <= k1 && k - k0 < 40; k++) {
        double v = (double)k * a->step;
        char label[64];
        if (unit == GP_MONEY)
            plot_fmt_money(label, sizeof label, v, a->step);
        else
            gp_fmt_plain(label, sizeof label, v, a->step);
        fprintf(f, "%s", k > k0 ? ", " : "");
        gp_str(f, label);
        fprintf(f, " %.9g", v);
        widest = fmax(widest, gp_text_width(label, GP_TICK_PT, 0));
    }
    fputs(")\n", f);
    /* The colour bar stands where a right axis would. */
    if (fr &&
        (!strcmp(axis, "y") || !strcmp(axis, "y2") || !strcmp(axis, "cb")))
        fr->tick_px[axis[0] != 'y' || axis[1] == '2'] = widest;
}

/* ---- layout ------------------------------------------------------------
 *
 * A panel is laid out top to bottom in logical pixels: a pad, the title
 * and subtitle, the legend, then the plot, whose margins leave room for
 * the tick labels and axis labels as measured. Texts are placed as
 * labels at the vertical centre of their line (gnuplot's `set label`
 * centres a line on its y); a line of P points takes LINE_EM * P * 4/3
 * pixels, room for capitals, accents and descenders. */

#define INSET_PX           14.0 /* titles and legend from the frame's left */
#define TITLE_PT           16.0
#define TITLE_COMPACT_PT   12.0
#define SUBTITLE_PT        10.0
#define KEY_PT             10.0
#define KEY_COMPACT_PT     9.0
#define LINE_EM            1.28
#define SAMPLE_PX          42.0  /* a legend sample and the gap after it */
#define KEY_GAP_PX         22.0  /* between legend columns */
#define KEY_MIN_TEXT_PX    300.0 /* a legend text is cut no shorter */
#define KEY_MIN_COMPACT_PX 190.0
#define BOTTOM_PX          62.0 /* x tick labels and the x label */
#define TICK_GAP_PX        16.0 /* from a y axis to its tick labels' edge */
#define TOP_GAP_PX         14.0 /* above the plot: half its top tick label */

static double line_px(double pt)
{
    return LINE_EM * pt * GP_PX_PER_PT;
}

static double frame_px(const struct gp_frame *fr)
{
    return (fr->x1 - fr->x0) * fr->width;
}

/* Screen y of the point px below the frame's top. */
static double y_at(const struct gp_frame *fr, double px)
{
    return fr->y1 - px / fr->height;
}

/* Lines of axis label i, wrapped to the plot's height h (pixels). */
static int axis_lines(const struct gp_frame *fr, int i, double h,
                      char lines[][GP_LINE_MAX])
{
    if (!fr->axis_label[i] || fr->tick_px[i] < 0.0)
        return 0;
    return gp_wrap(fr->axis_label[i], h - 10.0, GP_TICK_PT, 0, 2, lines);
}

/* Pixels beside the plot for axis i's tick labels and label. */
static double side_px(const struct gp_frame *fr, int i, double h)
{
    char lines[2][GP_LINE_MAX];
    if (fr->tick_px[i] < 0.0)
        return i ? 30.0 : 20.0;
    int n = axis_lines(fr, i, h, lines);
    return 8.0 + n * line_px(GP_TICK_PT) + 6.0 + fr->tick_px[i] + TICK_GAP_PX;
}

static double plot_height(const struct gp_frame *fr)
{
    return (fr->y1 - fr->y0) * fr->height - fr->top - TOP_GAP_PX - fr->bottom;
}

void gp_box(const struct gp_frame *fr, double box[4])
{
    double h = plot_height(fr);
    box[0] = fr->x0 + side_px(fr, 0, h) / fr->width;
    box[1] = fr->x1 - side_px(fr, 1, h) / fr->width;
    box[2] = fr->y0 + fr->bottom / fr->height;
    box[3] = y_at(fr, fr->top + TOP_GAP_PX);
}

static void margins(FILE *f, const double m[4])
{
    fprintf(f,
            "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
            "set bmargin at screen %.4f\nset tmargin at screen %.4f\n",
            m[0], m[1], m[2], m[3]);
}

void gp_plot_area(FILE *f, const struct gp_frame *fr)
{
    double box[4], lh = line_px(GP_TICK_PT);
    char lines[2][GP_LINE_MAX];
    gp_box(fr, box);
    margins(f, box);
    fputs("unset ylabel\nunset y2label\n", f);
    double h = (box[3] - box[2]) * fr->height, mid = (box[2] + box[3]) / 2;
    for (int i = 0; i < 2; i++) {
        int n = axis_lines(fr, i, h, lines);
        /* Rotated to read upward: a line's top faces left, so the first
         * line is the leftmost on either side. */
        double x =
            i == 0 ? fr->x0 * fr->width + 8.0
                   : box[1] * fr->width + TICK_GAP_PX + fr->tick_px[1] + 6.0;
        for (int k = 0; k < n; k++) {
            fprintf(f, "set label %d ", 8 + 2 * i + k);
            gp_str(f, lines[k]);
            fprintf(f,
                    " at screen %.4f, screen %.4f center rotate by 90 "
                    "font ',%g' textcolor rgb '#333333'\n",
                    (x + (k + 0.5) * lh) / fr->width, mid, GP_TICK_PT);
        }
    }
}

void gp_axis_label(struct gp_frame *fr, int axis, const char *text)
{
    fr->axis_label[axis != 0] = text;
}

void gp_house(FILE *f, struct gp_frame *fr, int y2)
{
    fr->top = fr->compact ? 8.0 : 14.0;
    fr->bottom = BOTTOM_PX;
    fr->tick_px[0] = 0.0;
    fr->tick_px[1] = y2 ? 0.0 : -1.0;
    fr->axis_label[0] = fr->axis_label[1] = NULL;
    fputs("reset\n", f);
    fprintf(f, "set border %d lw 1 lc rgb '#666666'\n", y2 ? 11 : 3);
    fputs("set tics nomirror out scale 0.5 textcolor rgb '#333333'\n"
          "set xtics nomirror\nset ytics nomirror\n"
          "set grid xtics ytics lt 1 lw 1 lc rgb '#e8e8e8'\n"
          "set xlabel textcolor rgb '#333333'\n"
          "set style fill solid 1.0 noborder\n",
          f);
    /* gnuplot's own key, for a plot that still titles its lines: below
     * the title (gp_title moves it); the charts here draw gp_legend. */
    fprintf(f,
            "set key at screen %.4f, screen %.4f left top horizontal "
            "Left reverse samplen 3 width -6 spacing 1.1 font ',%d' "
            "textcolor rgb '#333333'\n",
            fr->x0 + INSET_PX / fr->width, y_at(fr, fr->top),
            fr->compact ? 9 : 10);
    double m[4];
    gp_box(fr, m);
    margins(f, m);
}

void gp_label_fit(FILE *f, int id, const char *text, double px, double pt,
                  int bold, double x, double y, const char *just,
                  const char *extra)
{
    char buf[GP_LINE_MAX];
    gp_fit(buf, sizeof buf, text, px, pt, bold);
    fprintf(f, "set label %d ", id);
    gp_str(f, buf);
    fprintf(f, " at screen %.4f, screen %.4f %s font '%s,%g' %s\n", x, y, just,
            bold ? "DejaVu Sans Bold" : "", pt, extra);
}

/* Lines of text wrapped to the frame, from label id on, taking their
 * room from the top of fr. */
static void text_block(FILE *f, struct gp_frame *fr, int id, const char *text,
                       double pt, int bold, int max, const char *colour)
{
    char lines[3][GP_LINE_MAX];
    double x = fr->x0 + INSET_PX / fr->width, lh = line_px(pt);
    int n = gp_wrap(text, frame_px(fr) - 2 * INSET_PX, pt, bold, max, lines);
    for (int i = 0; i < n; i++) {
        fprintf(f, "set label %d ", id + i);
        gp_str(f, lines[i]);
        fprintf(f,
                " at screen %.4f, screen %.4f left font '%s,%g' "
                "textcolor rgb '%s'\n",
                x, y_at(fr, fr->top + (i + 0.5) * lh),
                bold ? "DejaVu Sans Bold" : "", pt, colour);
    }
    fr->top += n * lh;
}

void gp_title(FILE *f, struct gp_frame *fr, const char *title,
              const char *subtitle)
{
    gp_title_in(f, fr, title, subtitle, "#111111");
}

void gp_title_in(FILE *f, struct gp_frame *fr, const char *title,
                 const char *subtitle, const char *colour)
{
    if (fr->compact) {
        text_block(f, fr, 3, title, TITLE_COMPACT_PT, 1, 2, colour);
        fr->top += 4.0;
    } else {
        text_block(f, fr, 1, title, TITLE_PT, 1, 2, colour);
        if (subtitle) {
            fr->top += 2.0;
            text_block(f, fr, 5, subtitle, SUBTITLE_PT, 0, 3, "#666666");
        }
        fr->top += 6.0;
    }
    fprintf(f, "set key at screen %.4f, screen %.4f\n",
            fr->x0 + INSET_PX / fr->width, y_at(fr, fr->top));
}

/* Columns of a legend: as many as fit with every text whole, or cut no
 * shorter than KEY_MIN_TEXT_PX; then as few as give the same rows. */
static int key_columns(const struct gp_key *k, int n, double avail, double pt,
                       double least)
{
    double need = 0.0;
    for (int i = 0; i < n; i++)
        need = fmax(need, gp_text_width(k[i].text, pt, 0));
    int cols = n;
    for (; cols > 1; cols--) {
        double text = (avail + KEY_GAP_PX) / cols - KEY_GAP_PX - SAMPLE_PX;
        if (text >= need || text >= least)
            break;
    }
    while (cols > 1 && (n + cols - 2) / (cols - 1) == (n + cols - 1) / cols)
        cols--;
    return cols < 1 ? 1 : cols;
}

/* Entry i's sample, its left end at screen (x, y); w, h: a pixel. */
static void key_sample(FILE *f, const struct gp_key *k, int i, double x,
                       double y, double w, double h)
{
    int id = 200 + i;
    double x1 = x + (SAMPLE_PX - 8.0) * w, mid = (x + x1) / 2;
    switch (k->sample) {
    case GP_SAMPLE_LINE:
        fprintf(f,
                "set arrow %d from screen %.4f, screen %.4f to screen "
                "%.4f, screen %.4f nohead front %s\n",
                id, x, y, x1, y, k->style);
        break;
    case GP_SAMPLE_BOX:
        fprintf(f,
                "set object %d rect from screen %.4f, screen %.4f to "
                "screen %.4f, screen %.4f front %s\n",
                id, mid - 9 * w, y - 5 * h, mid + 9 * w, y + 5 * h, k->style);
        break;
    case GP_SAMPLE_BAR:
        fprintf(f,
                "set arrow %d from screen %.4f, screen %.4f to screen "
                "%.4f, screen %.4f heads size screen %.4f, 90 front %s\n",
                id, mid, y - 7 * h, mid, y + 7 * h, 4 * w, k->style);
        break;
    }
    if (k->point)
        fprintf(f,
                "set label %d '' at screen %.4f, screen %.4f point %s "
                "front\n",
                300 + i, mid, y, k->point);
}

void gp_legend(FILE *f, struct gp_frame *fr, const struct gp_key *k, int n)
{
    double pt = fr->compact ? KEY_COMPACT_PT : KEY_PT;
    double avail = frame_px(fr) - 2 * INSET_PX, row = 1.45 * pt * GP_PX_PER_PT;
    if (n <= 0)
        return;
    int cols = key_columns(k, n, avail, pt,
                           fr->compact ? KEY_MIN_COMPACT_PX : KEY_MIN_TEXT_PX),
        rows = (n + cols - 1) / cols;
    double colw = (avail + KEY_GAP_PX) / cols - KEY_GAP_PX;
    double w = 1.0 / fr->width, h = 1.0 / fr->height;
    for (int i = 0; i < n; i++) {
        double x = fr->x0 + (INSET_PX + (i % cols) * (colw + KEY_GAP_PX)) * w;
        double y = y_at(fr, fr->top + (i / cols + 0.5) * row);
        key_sample(f, &k[i], i, x, y, w, h);
        gp_label_fit(f, 200 + i, k[i].text, colw - SAMPLE_PX, pt, 0,
                     x + SAMPLE_PX * w, y, "left", "textcolor rgb '#333333'");
    }
    fr->top += rows * row + 4.0;
}

/* A page's header as a panel of its own (texts only): the title,
 * subtitle and legend. Returns the pixels it takes. */
double gp_page_header(FILE *f, struct gp_frame page, const char *title,
                      const char *sub, const struct gp_key *k, int n)
{
    gp_house(f, &page, 0);
    gp_title(f, &page, title, sub);
    gp_legend(f, &page, k, n);
    fputs("unset border\nunset tics\nunset grid\nunset key\n"
          "set xrange [0:1]\nset yrange [0:1]\nplot NaN notitle\n",
          f);
    return page.top + 4.0;
}

/* Weeks in a quarter: the run's own split when weeks divide evenly. */
static int weeks_per_quarter(const struct rundata *rd)
{
    if (rd->quarters > 0 && rd->weeks % rd->quarters == 0)
        return rd->weeks / rd->quarters;
    return 13;
}

int gp_label_every(const struct gp_frame *fr, int n, const char *widest)
{
    double box[4];
    gp_box(fr, box);
    double px = (box[1] - box[0]) * fr->width / (n > 0 ? n : 1);
    int every = (int)ceil((gp_text_width(widest, GP_TICK_PT, 0) + 10.0) / px);
    return every < 1 ? 1 : every;
}

/* Ticks at the first week of every `every`-th quarter: numbered weeks,
 * or with a start date, the dates those weeks start. */
static void week_ticks(FILE *f, const struct rundata *rd, int wpq, int every)
{
    if (!cal_dated(&rd->cal)) {
        fprintf(f, "set xtics 0, %d\nset xlabel 'Week'\n", wpq * every);
        if (rd->weeks <= 52 || every > 1)
            fprintf(f, "set mxtics %d\n", every > 1 ? every : wpq);
        return;
    }
    fputs("set xtics (", f);
    for (int w = 0; w < rd->weeks; w += wpq * every) {
        char day[32];
        cal_week(&rd->cal, w, day, sizeof day);
        fputs(w ? ", " : "", f);
        gp_str(f, day);
        fprintf(f, " %d", w);
    }
    fputs(")\nset xlabel 'Week starting'\n", f);
}

/* Where the quarter names at the top of a week axis are centred: pixels
 * down from the top of the plot. */
#define QUARTER_DOWN 10.0

/* Whether a week axis px pixels wide names its quarters at the top: when
 * each name fits its quarter; quarters named by their first day have
 * their names on the ticks already. */
static int quarter_names(const struct rundata *rd, double px)
{
    int wpq = weeks_per_quarter(rd), nq = (rd->weeks + wpq - 1) / wpq;
    if (cal_dated(&rd->cal) && rd->cal.calq1 < 0)
        return 0;
    double room = 0.0;
    char name[48];
    for (int q = 0; q < nq; q++) {
        cal_quarter(&rd->cal, q + 1, CAL_SHORT, name, sizeof name);
        room = fmax(room, gp_text_width(name, 9.0, 0) + 8.0);
    }
    return px / nq >= room;
}

/* The week (x) at the middle of quarter q (from 0). */
static double quarter_mid(const struct rundata *rd, int q)
{
    int wpq = weeks_per_quarter(rd);
    return q * wpq + (fmin((q + 1) * wpq, rd->weeks) - q * wpq) / 2.0 - 0.5;
}

void gp_week_axis(FILE *f, const struct rundata *rd, const struct gp_frame *fr,
                  int quarters)
{
    int wpq = weeks_per_quarter(rd), h = rd->weeks, nq = (h + wpq - 1) / wpq;
    int dated = cal_dated(&rd->cal);
    double box[4];
    char name[48];
    gp_box(fr, box);
    double px = (box[1] - box[0]) * fr->width,
           ph = (box[3] - box[2]) * fr->height;
    /* A tick label every `every` quarters, so that labels keep apart:
     * the widest is the last week's number, or a date's. */
    double label = 0.0;
    for (int w = 0; w < h; w += wpq) {
        if (dated)
            cal_week(&rd->cal, w, name, sizeof name);
        else
            snprintf(name, sizeof name, "%d", w);
        label = fmax(label, gp_text_width(name, GP_TICK_PT, 0) + 12.0);
    }
    int every = (int)ceil(label / (px * wpq / h));
    every = every < 1 ? 1 : every;
    /* x = week: week w is drawn from w - 0.5 to w + 0.5. */
    fprintf(f, "set xrange [-0.5:%d.5]\n", h - 1);
    week_ticks(f, rd, wpq, every);
    if (!quarters || !quarter_names(rd, px))
        return;
    for (int q = 0; q < nq; q++) {
        cal_quarter(&rd->cal, q + 1, CAL_SHORT, name, sizeof name);
        fprintf(f, "set label %d ", 20 + q);
        gp_str(f, name);
        fprintf(f,
                " at %.1f, graph %.4f center "
                "font ',9' textcolor rgb '#aaaaaa'\n",
                quarter_mid(rd, q), 1.0 - QUARTER_DOWN / ph);
    }
}

void gp_quarter_ticks(FILE *f, const struct gp_frame *fr,
                      const struct rundata *rd, int nq, int ends)
{
    int by_day = cal_dated(&rd->cal) && rd->cal.calq1 < 0;
    char name[48], widest[48] = "Start";
    for (int q = 1; q <= nq; q++) {
        cal_quarter(&rd->cal, q, CAL_SHORT, name, sizeof name);
        if (gp_text_width(name, GP_TICK_PT, 0) >
            gp_text_width(widest, GP_TICK_PT, 0))
            snprintf(widest, sizeof widest, "%s", name);
    }
    /* Every `every`-th quarter named, so that the names keep apart. */
    int every = gp_label_every(fr, nq, widest);
    if (ends)
        fprintf(f, "set xrange [0:%d]\nset xtics ('Start' 0", nq);
    else
        fprintf(f, "set xrange [0.5:%d.5]\nset xtics (", nq);
    for (int q = every; q <= nq; q += every) {
        cal_quarter(&rd->cal, q, CAL_SHORT, name, sizeof name);
        fputs(q > every || ends ? ", " : "", f);
        gp_str(f, name);
        fprintf(f, " %d", q);
    }
    fprintf(f, ")\nset xlabel '%s'\n",
            ends     ? by_day ? "End of the quarter starting" : "End of quarter"
            : by_day ? "Quarter starting"
                     : "Quarter");
}

/* The first week scenario sc acts: its acts_week, else its start. */
static int acts_from(const struct rd_scenario *sc)
{
    return sc->acts_week >= sc->start_week ? sc->acts_week : sc->start_week;
}

/* Scenarios of set, from position i on, whose window equals scenario
 * at position i's; *first says whether i is the first such one. */
static int same_window(const struct gp_set *set, int i, int *first)
{
    const struct rd_scenario *a = &set->rd->scen[set->scen[i]];
    int n = 0;
    *first = 1;
    for (int j = 1; j < set->n; j++) {
        const struct rd_scenario *b = &set->rd->scen[set->scen[j]];
        if (set->scen[j] == 0 || b->start_week != a->start_week ||
            b->end_week != a->end_week || acts_from(b) != acts_from(a))
            continue;
        n++;
        if (j < i)
            *first = 0;
    }
    return n;
}

/* One window of gp_windows: the first scenario that has it (position i
 * of the set), how many share it (n), its row (k, from 0), and in weeks
 * as x: the decision, the first day it acts, its end and the horizon's. */
struct window {
    int i, n, k;
    double x_dec, x0, x1, h;
};

/* The window after *w in set (start from i = 0, k = -1); 0: none left. */
static int next_window(const struct gp_set *set, struct window *w)
{
    const struct rundata *rd = set->rd;
    for (int i = w->i + 1; i < set->n; i++) {
        const struct rd_scenario *sc = &rd->scen[set->scen[i]];
        int first, n = same_window(set, i, &first);
        if (set->scen[i] == 0 || sc->start_week < 0 || !first)
            continue;
        /* x = week; the window acts from the left edge of its first week
         * to the right edge of its last (or of the horizon). */
        w->i = i;
        w->n = n;
        w->k++;
        w->x_dec = sc->start_week - 0.5;
        w->x0 = acts_from(sc) - 0.5;
        w->h = rd->weeks - 0.5;
        w->x1 = sc->end_week < 0 ? w->h : sc->end_week + 0.5;
        return 1;
    }
    return 0;
}

/* Where window row k's label and decision mark go: pixels down from
 * the top of fr's plot (below the quarter names). */
static double window_down(int k)
{
    return 30.0 + 16.0 * k;
}

/* Plot width and height of fr, logical pixels. */
static void plot_size(const struct gp_frame *fr, double *pw, double *ph)
{
    double box[4];
    gp_box(fr, box);
    *pw = (box[1] - box[0]) * fr->width;
    *ph = (box[3] - box[2]) * fr->height;
}

/* The label of window w at x (a week): the scenario's label, or how many
 * scenarios share the window; right-aligned near the right edge; cut to
 * the room on its side of the line, spaced down from the plot's top
 * (below the quarter labels). Sets fit and the weeks its text covers,
 * [*xa, *xb]; returns 0 where the plot has no room for it. */
static int window_text(const struct gp_set *set, const struct gp_frame *fr,
                       const struct window *w, double x, char *fit, size_t size,
                       double *xa, double *xb)
{
    const struct rd_scenario *sc = &set->rd->scen[set->scen[w->i]];
    char text[300];
    double pw, ph;
    plot_size(fr, &pw, &ph);
    /* x runs from -0.5 to weeks - 0.5: pixels from the left. */
    double weeks = set->rd->weeks, at = (x + 0.5) / weeks * pw;
    int right = x > 0.6 * weeks;
    double room = (right ? at : pw - at) - 14.0;
    if (window_down(w->k) > ph - 24.0 || room < 30.0)
        return 0;
    if (w->n == 1)
        snprintf(text, sizeof text, "%s", sc->label);
    else
        snprintf(text, sizeof text, "%d scenarios: %s", w->n,
                 sc->end_week < 0 ? "from here on" : "this window");
    gp_fit(fit, size, text, room, 9.0, 0);
    /* The offset of 0.8 characters, then the text. */
    double lead = 8.0, len = gp_text_width(fit, 9.0, 0);
    double a = right ? at - lead - len : at + lead, b = a + len;
    *xa = a / pw * weeks - 0.5;
    *xb = b / pw * weeks - 0.5;
    return 1;
}

static void window_label(FILE *f, const struct gp_set *set,
                         const struct gp_frame *fr, const struct window *w,
                         double x, const char *c)
{
    char fit[GP_LINE_MAX];
    double xa, xb, pw, ph;
    if (!window_text(set, fr, w, x, fit, sizeof fit, &xa, &xb))
        return;
    plot_size(fr, &pw, &ph);
    int right = x > 0.6 * set->rd->weeks;
    fprintf(f, "set label %d ", 100 + w->k);
    gp_str(f, fit);
    fprintf(f,
            " at %.1f, graph %.4f %s offset %s, 0 font ',9' "
            "textcolor rgb '%s' front\n",
            x, 1.0 - window_down(w->k) / ph, right ? "right" : "left",
            right ? "-0.8" : "0.8", c);
}

/* Whether window w's decision mark and arrow (decision_mark) are drawn. */
static int has_mark(const struct gp_frame *fr, const struct window *w)
{
    double pw, ph;
    plot_size(fr, &pw, &ph);
    return w->x0 > w->x_dec && window_down(w->k) <= ph - 24.0;
}

/* A decision taken before its intervention acts (a hire: its lead
 * time): a short mark at the decision's week and an arrow from it to
 * the first day, on the row of the window's label (arrows 130 + k and
 * 160 + k); left out where the plot has no room for the row. */
static void decision_mark(FILE *f, const struct gp_frame *fr,
                          const struct window *w, const char *c)
{
    double pw, ph;
    plot_size(fr, &pw, &ph);
    double y = 1.0 - window_down(w->k) / ph, tick = 6.0 / ph;
    double x_dec = w->x_dec, x_act = fmin(w->x0, w->h);
    fprintf(f,
            "set arrow %d from %.1f, graph %.4f to %.1f, graph %.4f "
            "nohead front lc rgb '%s' lw 1.5 dt 1\n",
            130 + w->k, x_dec, y - tick, x_dec, y + tick, c);
    fprintf(f,
            "set arrow %d from %.1f, graph %.4f to %.1f, graph %.4f "
            "head size screen 0.008,25 front lc rgb '%s' lw 1 dt 1\n",
            160 + w->k, x_dec, y, x_act, y, c);
}

/* Where window w's label is anchored: the first day it acts, or its
 * decision when it acts past the horizon, or when the label, right of
 * the middle and so right-aligned, would lie over the decision's arrow
 * (it then ends before the decision's mark). */
static double label_x(const struct gp_set *set, const struct gp_frame *fr,
                      const struct window *w)
{
    if (!(w->x0 < w->h) || (w->x_dec > 0.6 * set->rd->weeks && has_mark(fr, w)))
        return w->x_dec;
    return w->x0;
}

int gp_windows_lead(const struct gp_set *set)
{
    for (int i = 1; i < set->n; i++) {
        const struct rd_scenario *sc = &set->rd->scen[set->scen[i]];
        if (set->scen[i] != 0 && sc->start_week >= 0 &&
            acts_from(sc) > sc->start_week)
            return 1;
    }
    return 0;
}

void gp_windows(FILE *f, const struct gp_set *set, const struct gp_frame *fr)
{
    struct window w = {.i = 0, .k = -1};
    while (next_window(set, &w)) {
        const char *c = w.n == 1 ? gp_colour(set->scen[w.i]) : "#666666";
        if (has_mark(fr, &w))
            decision_mark(f, fr, &w, c);
        if (set->rd->scen[set->scen[w.i]].end_week >= 0 && w.x0 < w.h)
            fprintf(f,
                    "set object %d rect from %.1f, graph 0 to %.1f, "
                    "graph 1 behind fc rgb '%s' fs transparent solid 0.12 "
                    "noborder\n",
                    100 + w.k, w.x0, w.x1, c);
        if (w.x0 < w.h)
            fprintf(f,
                    "set arrow %d from %.1f, graph 0 to %.1f, graph 1 "
                    "nohead back lc rgb '%s' lw 1.5 dt 3\n",
                    100 + w.k, w.x0, w.x0, c);
        window_label(f, set, fr, &w, label_x(set, fr, &w), c);
    }
}

/* Lowers lim[w] to f for the weeks w that [xa, xb] (weeks as x, with a
 * margin) touches. */
static void lower_ceiling(double *lim, int weeks, double xa, double xb,
                          double f)
{
    double pad = 1.0 + 0.1 * (xb - xa);
    int a = (int)floor(xa - pad + 0.5), b = (int)ceil(xb + pad - 0.5);
    for (int w = a < 0 ? 0 : a; w <= b && w < weeks; w++)
        lim[w] = fmin(lim[w], f);
}

/* Text 9 points high, centred down pixels from the plot's top: the share
 * of the plot's height below its bottom, with a gap of 3 pixels. */
static double below_text(double down, double ph)
{
    return 1.0 - (down + 4.5 * GP_PX_PER_PT + 3.0) / ph;
}

void gp_ceiling(const struct gp_set *set, const struct gp_frame *fr,
                int quarters, double *lim)
{
    const struct rundata *rd = set->rd;
    double pw, ph;
    plot_size(fr, &pw, &ph);
    if (quarters && quarter_names(rd, pw)) {
        char name[48];
        int wpq = weeks_per_quarter(rd), nq = (rd->weeks + wpq - 1) / wpq;
        for (int q = 0; q < nq; q++) {
            cal_quarter(&rd->cal, q + 1, CAL_SHORT, name, sizeof name);
            double half = gp_text_width(name, 9.0, 0) / 2.0 / pw * rd->weeks;
            lower_ceiling(lim, rd->weeks, quarter_mid(rd, q) - half,
                          quarter_mid(rd, q) + half,
                          below_text(QUARTER_DOWN, ph));
        }
    }
    struct window w = {.i = 0, .k = -1};
    while (next_window(set, &w)) {
        char fit[GP_LINE_MAX];
        double xa, xb, f = below_text(window_down(w.k), ph);
        if (window_text(set, fr, &w, label_x(set, fr, &w), fit, sizeof fit, &xa,
                        &xb))
            lower_ceiling(lim, rd->weeks, xa, xb, f);
        if (has_mark(fr, &w))
            lower_ceiling(lim, rd->weeks, w.x_dec, fmin(w.x0, w.h), f);
    }
}

void gp_under_ceiling(struct gp_axis *a, const double *lim, const double *top,
                      int weeks)
{
    /* A ceiling that a doubled range cannot clear (a label row low in a
     * small plot, over the data's highest point) is given up on: the
     * axis stays as it was. */
    double hi = a->hi, most = a->lo + 2.0 * (a->hi - a->lo);
    for (; a->hi <= most + 0.5 * a->step; a->hi += a->step) {
        int w = 0;
        while (w < weeks && !(top[w] > a->lo + lim[w] * (a->hi - a->lo)))
            w++;
        if (w == weeks)
            return;
    }
    a->hi = hi;
}

void gp_week_tops(const struct gp_set *set, int m, int st, double *top)
{
    for (int w = 0; w < set->rd->weeks; w++) {
        top[w] = NAN;
        for (int i = 0; i < set->n; i++) {
            int s = set->scen[i];
            top[w] = fmax(top[w], rundata_week(set->rd, s, m, w, st));
            top[w] = fmax(top[w], rundata_week(set->rd, s, m, w, RD_MEAN));
        }
    }
}

int gp_pointinterval(const struct rundata *rd)
{
    int pi = rd->weeks / 10;
    return pi > 1 ? pi : 1;
}

void gp_week_range(const struct gp_set *set, int m, int st_lo, int st_hi,
                   double *min, double *max)
{
    *min = NAN;
    *max = NAN;
    for (int i = 0; i < set->n; i++) {
        for (int w = 0; w < set->rd->weeks; w++) {
            double lo = rundata_week(set->rd, set->scen[i], m, w, st_lo);
            double hi = rundata_week(set->rd, set->scen[i], m, w, st_hi);
            if (!isnan(lo) && !(lo >= *min))
                *min = lo;
            if (!isnan(hi) && !(hi <= *max))
                *max = hi;
        }
    }
}
