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

const struct gp_frame gp_full = {0.0, 0.0, 1.0, 1.0, 0, GP_WIDTH, GP_HEIGHT};

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
    a.step = mag * (r <= 1.0 ? 1.0 : r <= 2.0 ? 2.0 : r <= 2.5 ? 2.5
                                  : r <= 5.0 ? 5.0 : 10.0);
    a.lo = floor(min / a.step + 1e-9) * a.step;
    a.hi = ceil(max / a.step - 1e-9) * a.step;
    return a;
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

void gp_ticks(FILE *f, const char *axis, const struct gp_axis *a,
              enum gp_unit unit)
{
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
    }
    fputs(")\n", f);
}

/* Plot-area margins of a frame, as screen coordinates: fixed in pixels,
 * so tick labels and titles get the same room on every canvas. */
static void frame_margins(const struct gp_frame *fr, int y2, double m[4])
{
    double px = 1.0 / fr->width, py = 1.0 / fr->height;
    m[0] = fr->x0 + 90 * px;
    m[1] = fr->x1 - (y2 ? 100 : 30) * px;
    m[2] = fr->y0 + 62 * py;
    m[3] = fr->y1 - (fr->compact ? 84 : 140) * py;
}

/* Top of the key band, below the title (and subtitle). */
static double key_top(const struct gp_frame *fr)
{
    return fr->y1 - (fr->compact ? 40 : 80) / (double)fr->height;
}

void gp_house(FILE *f, const struct gp_frame *fr, int y2)
{
    double m[4];
    frame_margins(fr, y2, m);
    fputs("reset\n", f);
    fprintf(f, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
               "set bmargin at screen %.4f\nset tmargin at screen %.4f\n",
            m[0], m[1], m[2], m[3]);
    fprintf(f, "set border %d lw 1 lc rgb '#666666'\n", y2 ? 11 : 3);
    fputs("set tics nomirror out scale 0.5 textcolor rgb '#333333'\n"
          "set xtics nomirror\nset ytics nomirror\n"
          "set grid xtics ytics lt 1 lw 1 lc rgb '#e8e8e8'\n"
          "set xlabel textcolor rgb '#333333'\n"
          "set ylabel textcolor rgb '#333333'\n"
          "set y2label textcolor rgb '#333333'\n"
          "set style fill solid 1.0 noborder\n",
          f);
    fprintf(f,
            "set key at screen %.4f, screen %.4f left top horizontal "
            "Left reverse samplen 3 width -6 spacing 1.1 font ',%d' "
            "textcolor rgb '#333333'\n",
            m[0], key_top(fr), fr->compact ? 9 : 10);
}

void gp_str_fit(FILE *f, const char *s, size_t max)
{
    char buf[512];
    size_t n = strlen(s);
    if (n <= max || max < 8 || max >= sizeof buf) {
        gp_str(f, s);
        return;
    }
    n = max - 3;
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--; /* inside a UTF-8 sequence */
    memcpy(buf, s, n);
    memcpy(buf + n, "\xE2\x80\xA6", 4); /* U+2026, with its NUL */
    gp_str(f, buf);
}

void gp_title(FILE *f, const struct gp_frame *fr, const char *title,
              const char *subtitle)
{
    double x = fr->x0 + 14.0 / fr->width, py = 1.0 / fr->height;
    /* Assumption: a bold 12 pt character is about 9 pixels wide on
     * average, a 16 pt one 12. */
    double chars = (fr->x1 - fr->x0) * fr->width / (fr->compact ? 9 : 12);
    /* A compact title (label 3) can share a page with a full one. */
    fprintf(f, "set label %d ", fr->compact ? 3 : 1);
    gp_str_fit(f, title, (size_t)chars);
    fprintf(f, " at screen %.4f, screen %.4f left font 'DejaVu Sans Bold,%d'"
               " textcolor rgb '#111111'\n",
            x, fr->y1 - (fr->compact ? 22 : 34) * py, fr->compact ? 12 : 16);
    if (fr->compact || !subtitle)
        return;
    fputs("set label 2 ", f);
    gp_str(f, subtitle);
    fprintf(f, " at screen %.4f, screen %.4f left font ',10'"
               " textcolor rgb '#666666'\n",
            x, fr->y1 - 60 * py);
}

/* Weeks in a quarter: the run's own split when weeks divide evenly. */
static int weeks_per_quarter(const struct rundata *rd)
{
    if (rd->quarters > 0 && rd->weeks % rd->quarters == 0)
        return rd->weeks / rd->quarters;
    return 13;
}

/* Ticks at the first week of every `every`-th quarter: numbered weeks,
 * or with a start date, the dates those weeks start. */
static void week_ticks(FILE *f, const struct rundata *rd, int wpq,
                       int every)
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

void gp_week_axis(FILE *f, const struct rundata *rd,
                  const struct gp_frame *fr)
{
    int wpq = weeks_per_quarter(rd), h = rd->weeks, nq = (h + wpq - 1) / wpq;
    int dated = cal_dated(&rd->cal), named = !dated || rd->cal.calq1 >= 0;
    double px = fr ? (fr->x1 - fr->x0) * fr->width - 190.0 : 300.0;
    /* Labels need about 40 pixels each (a date 110); quarter names 45
     * (with a year 65). Quarters named by their first day have their
     * names on the ticks already. */
    int every = (int)ceil(nq * (dated ? 110.0 : 40.0) / px);
    every = every < 1 ? 1 : every;
    /* x = week: week w is drawn from w - 0.5 to w + 0.5. */
    fprintf(f, "set xrange [-0.5:%d.5]\n", h - 1);
    week_ticks(f, rd, wpq, every);
    for (int q = 0; fr && named && px / nq >= (dated ? 65.0 : 45.0) &&
                    q < nq; q++) {
        double mid = q * wpq + (fmin((q + 1) * wpq, h) - q * wpq) / 2.0 - 0.5;
        char name[48];
        cal_quarter(&rd->cal, q + 1, CAL_SHORT, name, sizeof name);
        fprintf(f, "set label %d '%s' at %.1f, graph 0.97 center "
                   "font ',9' textcolor rgb '#aaaaaa'\n",
                20 + q, name, mid);
    }
}

void gp_quarter_ticks(FILE *f, const struct rundata *rd, int nq, int ends)
{
    int by_day = cal_dated(&rd->cal) && rd->cal.calq1 < 0;
    if (ends)
        fprintf(f, "set xrange [0:%d]\nset xtics ('Start' 0", nq);
    else
        fprintf(f, "set xrange [0.5:%d.5]\nset xtics (", nq);
    for (int q = 1; q <= nq; q++) {
        char name[48];
        cal_quarter(&rd->cal, q, CAL_SHORT, name, sizeof name);
        fputs(q > 1 || ends ? ", " : "", f);
        gp_str(f, name);
        fprintf(f, " %d", q);
    }
    fprintf(f, ")\nset xlabel '%s'\n",
            ends ? by_day ? "End of the quarter starting" : "End of quarter"
                 : by_day ? "Quarter starting" : "Quarter");
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

/* Height (graph units) of window group k's label. */
static double window_row(int k)
{
    return 0.9 - 0.07 * k;
}

/* The label of window group k at x0: the scenario's label, or how many
 * scenarios share the window; right-aligned near the right edge. */
static void window_label(FILE *f, const struct gp_set *set, int i, int n,
                         int k, double x0, const char *c)
{
    const struct rd_scenario *sc = &set->rd->scen[set->scen[i]];
    char text[300];
    if (n == 1)
        snprintf(text, sizeof text, "%s", sc->label);
    else
        snprintf(text, sizeof text, "%d scenarios: %s", n,
                 sc->end_week < 0 ? "from here on" : "this window");
    int right = x0 > 0.6 * set->rd->weeks;
    fprintf(f, "set label %d ", 100 + k);
    gp_str(f, text);
    fprintf(f, " at %.1f, graph %.3f %s offset %s, 0 font ',9' "
               "textcolor rgb '%s' front\n",
            x0, window_row(k), right ? "right" : "left",
            right ? "-0.8" : "0.8", c);
}

/* A decision taken before its intervention acts (a hire: its lead
 * time): a short mark at the decision's week and an arrow from it to
 * the first day, on the row of the window's label (arrows 130 + k and
 * 160 + k). */
static void decision_mark(FILE *f, int k, double x_dec, double x_act,
                          const char *c)
{
    double y = window_row(k);
    fprintf(f, "set arrow %d from %.1f, graph %.3f to %.1f, graph %.3f "
               "nohead front lc rgb '%s' lw 1.5 dt 1\n",
            130 + k, x_dec, y - 0.025, x_dec, y + 0.025, c);
    fprintf(f, "set arrow %d from %.1f, graph %.3f to %.1f, graph %.3f "
               "head size screen 0.008,25 front lc rgb '%s' lw 1 dt 1\n",
            160 + k, x_dec, y, x_act, y, c);
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

void gp_windows(FILE *f, const struct gp_set *set)
{
    const struct rundata *rd = set->rd;
    int k = 0, first;
    for (int i = 1; i < set->n; i++) {
        const struct rd_scenario *sc = &rd->scen[set->scen[i]];
        int n = same_window(set, i, &first);
        if (set->scen[i] == 0 || sc->start_week < 0 || !first)
            continue;
        /* x = week; the window acts from the left edge of its first week
         * to the right edge of its last (or of the horizon). */
        double x_dec = sc->start_week - 0.5;
        double x0 = acts_from(sc) - 0.5, h = rd->weeks - 0.5;
        double x1 = sc->end_week < 0 ? h : sc->end_week + 0.5;
        const char *c = n == 1 ? gp_colour(set->scen[i]) : "#666666";
        if (x0 > x_dec)
            decision_mark(f, k, x_dec, fmin(x0, h), c);
        if (sc->end_week >= 0 && x0 < h)
            fprintf(f, "set object %d rect from %.1f, graph 0 to %.1f, "
                       "graph 1 behind fc rgb '%s' fs transparent solid 0.12 "
                       "noborder\n",
                    100 + k, x0, x1, c);
        if (x0 < h)
            fprintf(f, "set arrow %d from %.1f, graph 0 to %.1f, graph 1 "
                       "nohead back lc rgb '%s' lw 1.5 dt 3\n",
                    100 + k, x0, x0, c);
        window_label(f, set, i, n, k, x0 < h ? x0 : x_dec, c);
        k++;
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
