/*
 * plot_sensitivity: tornado.EXT, the chart of `salescap sensitivity`,
 * drawn from the sensitivity.csv of its folder (sensitivity.h).
 *
 * One panel per option compared with the baseline (each scenario's
 * difference from doing nothing), or the baseline's own value when the
 * file has no scenario. In a panel each input is a row, the largest swing
 * on top: a bar from the outcome with every input at its median to the
 * outcome with this input at its 10th percentile (blue) and one to the
 * outcome at its 90th (vermillion), each end with the 95 % interval of
 * its paired difference from the run at the medians (common random
 * numbers: how sure the move is, not how wide the outcome is); a
 * dashed line marks the outcome at the medians, a solid one zero. The
 * right column gives the swing and the input's share of the variance.
 * Invariant: like the other charts, every panel starts with gp_house (a
 * reset) and the data are inline; the panels share one x range, so bars
 * of different options compare by length.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "metrics.h"
#include "plot_int.h"
#include "rundata.h"

#define TN_LOW     "#0072B2" /* Okabe-Ito blue: an input at its 10th */
#define TN_HIGH    "#D55E00" /* vermillion: at its 90th */
#define TN_ROW_PX  58
#define TN_FOOT_PX 62 /* tick labels and the axis label */

/* The columns beside the bars, logical pixels: the inputs' names and
 * ranges at the left, the swing and share at the right. */
static double names_px(const struct gp_frame *fr)
{
    return 0.25 * fr->width;
}

static double right_px(const struct gp_frame *fr)
{
    return fmax(150.0, 0.16 * fr->width);
}

struct tn_row {
    const char *input;
    double low, high, m_low, m_low_lo, m_low_hi, m_high, m_high_lo, m_high_hi,
        swing, share;
};

struct tn_panel {
    const char *id, *title;
    int vs_base; /* the outcome is a difference from the baseline */
    double central, r2;
    struct tn_row *rows; /* the largest |swing| first */
    int n;
};

struct tn_data {
    struct csv c;
    const char *metric, *quarters;
    long reps;
    struct tn_panel *panels;
    int n;
    struct tn_row *all; /* every row, the panels' storage */
};

static const char *const tn_cols[] = {
    "scenario",
    "title",
    "compared_with",
    "input",
    "low",
    "high",
    "metric",
    "quarters",
    "metric_central",
    "metric_low",
    "change_low_ci_low",
    "change_low_ci_high",
    "metric_high",
    "change_high_ci_low",
    "change_high_ci_high",
    "swing",
    "variance_share",
    "r_squared",
    "replications",
};
enum {
    C_SCEN,
    C_TITLE,
    C_VS,
    C_INPUT,
    C_LOW,
    C_HIGH,
    C_METRIC,
    C_QUARTERS,
    C_CENTRAL,
    C_MLOW,
    C_MLOW_LO,
    C_MLOW_HI,
    C_MHIGH,
    C_MHIGH_LO,
    C_MHIGH_HI,
    C_SWING,
    C_SHARE,
    C_R2,
    C_REPS,
    C_N
};

static double num(const struct tn_data *d, size_t r, const int *col, int k)
{
    const char *s = csv_get(&d->c, r, col[k]);
    char *end;
    double v = strtod(s, &end);
    return *s && !*end ? v : NAN;
}

static void data_destroy(struct tn_data *d)
{
    csv_destroy(&d->c);
    free(d->panels);
    free(d->all);
    memset(d, 0, sizeof *d);
}

/* Sorts a panel's rows by |swing|, the largest first (stable). */
static void sort_rows(struct tn_panel *pn)
{
    for (int i = 1; i < pn->n; i++) {
        struct tn_row x = pn->rows[i];
        int j = i;
        while (j > 0 && fabs(pn->rows[j - 1].swing) < fabs(x.swing)) {
            pn->rows[j] = pn->rows[j - 1];
            j--;
        }
        pn->rows[j] = x;
    }
}

/* Groups the rows of the options to draw into panels. */
static int make_panels(struct tn_data *d, const int *col, struct err *e)
{
    size_t nr = d->c.nrows;
    int any_vs = 0;
    for (size_t r = 0; r < nr; r++)
        any_vs |= *csv_get(&d->c, r, col[C_VS]) != '\0';
    d->all = calloc(nr ? nr : 1, sizeof *d->all);
    d->panels = calloc(nr ? nr : 1, sizeof *d->panels);
    if (!d->all || !d->panels)
        return err_oom(e);
    for (size_t r = 0; r < nr; r++) {
        int vs = *csv_get(&d->c, r, col[C_VS]) != '\0';
        const char *id = csv_get(&d->c, r, col[C_SCEN]);
        if (vs != any_vs)
            continue;
        struct tn_panel *pn = d->n ? &d->panels[d->n - 1] : NULL;
        if (!pn || strcmp(pn->id, id)) {
            pn = &d->panels[d->n++];
            pn->id = id;
            pn->title = csv_get(&d->c, r, col[C_TITLE]);
            pn->vs_base = vs;
            pn->central = num(d, r, col, C_CENTRAL);
            pn->r2 = num(d, r, col, C_R2);
            pn->rows = &d->all[r];
        }
        struct tn_row *w = &pn->rows[pn->n++];
        w->input = csv_get(&d->c, r, col[C_INPUT]);
        double *v = &w->low;
        static const int k[] = {C_LOW,     C_HIGH,  C_MLOW,     C_MLOW_LO,
                                C_MLOW_HI, C_MHIGH, C_MHIGH_LO, C_MHIGH_HI,
                                C_SWING,   C_SHARE};
        for (size_t j = 0; j < sizeof k / sizeof k[0]; j++)
            v[j] = num(d, r, col, k[j]);
        /* The paired intervals of the changes, placed at the medians'
         * outcome: where the bar's end lies, give or take. */
        w->m_low_lo += pn->central;
        w->m_low_hi += pn->central;
        w->m_high_lo += pn->central;
        w->m_high_hi += pn->central;
    }
    for (int i = 0; i < d->n; i++)
        sort_rows(&d->panels[i]);
    if (d->n == 0)
        return err_set(e, ERR_CONFIG, "sensitivity.csv has no rows");
    return 0;
}

static int load(struct tn_data *d, const char *dir, struct err *e)
{
    int col[C_N];
    memset(d, 0, sizeof *d);
    char *path = rundata_path(dir, "sensitivity.csv");
    if (!path)
        return err_oom(e);
    int rc = csv_read(&d->c, path, e);
    for (int k = 0; rc == 0 && k < C_N; k++)
        if ((col[k] = csv_col(&d->c, tn_cols[k])) < 0)
            rc = err_set(e, ERR_CONFIG, "%s: no column '%s'", path, tn_cols[k]);
    free(path);
    if (rc == 0 && d->c.nrows > 0) {
        d->metric = csv_get(&d->c, 0, col[C_METRIC]);
        d->quarters = csv_get(&d->c, 0, col[C_QUARTERS]);
        d->reps = (long)num(d, 0, col, C_REPS);
    }
    return rc == 0 ? make_panels(d, col, e) : -1;
}

/* ------------------------------------------------------------ drawing */

static void panel_head(FILE *f, const struct tn_data *d,
                       const struct tn_panel *pn, struct gp_frame *fr,
                       int first);

/* The pixels panel p's head (title, the first one's subtitle and key)
 * takes on a canvas w pixels wide: laid out once, its text thrown away. */
static double head_px(const struct tn_data *d, int p,
                      const struct gp_size *size, int w)
{
    struct gp_frame fr = gp_page(size, w, 10000);
    FILE *nul = fopen("/dev/null", "w");
    if (!nul)
        return 200.0;
    gp_house(nul, &fr, 0);
    panel_head(nul, d, &d->panels[p], &fr, p == 0);
    fclose(nul);
    return fr.top + 12.0;
}

static int panel_px(const struct tn_data *d, int p, const struct gp_size *size,
                    int w)
{
    return (int)ceil(head_px(d, p, size, w)) + TN_ROW_PX * d->panels[p].n +
           TN_FOOT_PX;
}

static int canvas_height(const struct tn_data *d, const struct gp_size *size)
{
    int h = 0;
    for (int i = 0; i < d->n; i++)
        h += panel_px(d, i, size, size->width);
    return h < 420 ? 420 : h;
}

/* The range every panel shares: bars, intervals and the medians' line,
 * and 0 when a panel is a difference from the baseline. */
static struct gp_axis x_range(const struct tn_data *d)
{
    double lo = INFINITY, hi = -INFINITY;
    int zero = 0;
    for (int i = 0; i < d->n; i++) {
        const struct tn_panel *pn = &d->panels[i];
        zero |= pn->vs_base;
        if (!isnan(pn->central))
            lo = fmin(lo, pn->central), hi = fmax(hi, pn->central);
        for (int j = 0; j < pn->n; j++) {
            const double *v = &pn->rows[j].m_low;
            for (int k = 0; k < 6; k++)
                if (!isnan(v[k]))
                    lo = fmin(lo, v[k]), hi = fmax(hi, v[k]);
        }
    }
    if (!isfinite(lo))
        lo = hi = NAN;
    return gp_nice(lo, hi, zero);
}

static void block(FILE *f, int p, const struct tn_panel *pn)
{
    fprintf(f,
            "$tornado%d << EOD\n# y central at_10th low high at_90th "
            "low high\n",
            p);
    for (int j = 0; j < pn->n; j++) {
        const struct tn_row *w = &pn->rows[j];
        double v[8] = {pn->n - j,   pn->central, w->m_low,     w->m_low_lo,
                       w->m_low_hi, w->m_high,   w->m_high_lo, w->m_high_hi};
        if (isnan(v[3]) || isnan(v[4]))
            v[3] = v[4] = v[2];
        if (isnan(v[6]) || isnan(v[7]))
            v[6] = v[7] = v[5];
        for (int k = 0; k < 8; k++) {
            fputs(k ? " " : "", f);
            gp_num(f, v[k]);
        }
        fputc('\n', f);
    }
    fputs("EOD\n", f);
}

/* The inputs' names and ranges at the left, swing and share at the
 * right, as labels in screen x and first-axis y. */
static void row_labels(FILE *f, const struct tn_panel *pn,
                       const struct gp_frame *fr, int money)
{
    double px = 1.0 / fr->width, names = names_px(fr);
    for (int j = 0; j < pn->n; j++) {
        const struct tn_row *w = &pn->rows[j];
        char range[96], sw[64], text[128], name[128];
        int y = pn->n - j;
        gp_fit(name, sizeof name, w->input, names - 28.0, 11.0, 1);
        fprintf(f, "set label %d ", 300 + 3 * j);
        gp_str(f, name);
        fprintf(f,
                " at screen %.4f, first %d right offset 0, 0.45 "
                "font 'DejaVu Sans Bold,11' textcolor rgb '#111111'\n",
                (names - 14) * px, y);
        snprintf(range, sizeof range, "%.4g to %.4g", w->low, w->high);
        fprintf(f, "set label %d ", 301 + 3 * j);
        gp_str(f, range);
        fprintf(f,
                " at screen %.4f, first %d right offset 0, -0.65 "
                "font ',10' textcolor rgb '#666666'\n",
                (names - 14) * px, y);
        gp_value_text(sw, sizeof sw, w->swing, money);
        if (isnan(w->share))
            snprintf(text, sizeof text, "%s", sw);
        else
            snprintf(text, sizeof text, "%s   %.0f%%", sw, 100.0 * w->share);
        fprintf(f, "set label %d ", 302 + 3 * j);
        gp_str(f, text);
        fprintf(f,
                " at screen %.4f, first %d left font ',11' "
                "textcolor rgb '#333333'\n",
                (fr->width - right_px(fr) + 16) * px, y);
    }
}

static void panel_head(FILE *f, const struct tn_data *d,
                       const struct tn_panel *pn, struct gp_frame *fr,
                       int first)
{
    static const struct gp_key key[] = {
        {GP_SAMPLE_BOX, "fc rgb '" TN_LOW "' fs solid 0.8 noborder", NULL,
         "An input at its 10th percentile"},
        {GP_SAMPLE_BOX, "fc rgb '" TN_HIGH "' fs solid 0.8 noborder", NULL,
         "At its 90th percentile"},
        {GP_SAMPLE_LINE, "lc rgb '#111111' lw 1.5 dt 2", NULL,
         "Every input at its median"},
    };
    char title[512], sub[512], r2[48] = "";
    const char *what =
        !strcmp(d->metric, "net_value") ? "net value" : d->metric;
    if (pn->vs_base)
        snprintf(title, sizeof title,
                 "%s: what moves its %s against "
                 "doing nothing",
                 pn->title, what);
    else
        snprintf(title, sizeof title, "What moves the baseline's %s", what);
    snprintf(sub, sizeof sub,
             "Quarters %s. Each input at its 10th and its "
             "90th percentile, the others at their medians (dashed), "
             "on the same %ld replications; whiskers: 95%% intervals of the "
             "paired change",
             d->quarters, d->reps);
    gp_title(f, fr, title, first ? sub : NULL);
    if (first)
        gp_legend(f, fr, key, 3);
    if (!isnan(pn->r2))
        snprintf(r2, sizeof r2, " (R² %.2f)", pn->r2);
    snprintf(title, sizeof title, "swing   share%s", r2);
    fputs("set label 4 ", f);
    gp_str(f, title);
    fprintf(f,
            " at screen %.4f, first %.2f left font ',10' textcolor rgb "
            "'#666666'\n",
            (fr->width - right_px(fr) + 16.0) / fr->width, pn->n + 0.75);
}

static void panel(FILE *f, const struct tn_data *d, int p, struct gp_frame *fr,
                  const struct gp_axis *x, int money)
{
    const struct tn_panel *pn = &d->panels[p];
    double px = 1.0 / fr->width, py = 1.0 / fr->height;
    block(f, p, pn);
    gp_house(f, fr, 0);
    panel_head(f, d, pn, fr, p == 0);
    /* The panel's own margins: the names and the swings stand beside
     * the bars, the head above them (as laid out), the ticks below. */
    fprintf(f,
            "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
            "set tmargin at screen %.4f\nset bmargin at screen %.4f\n",
            names_px(fr) * px, (fr->width - right_px(fr)) * px,
            fr->y1 - (fr->top + 12.0) * py, fr->y0 + TN_FOOT_PX * py);
    struct gp_axis xt = *x;
    gp_thin(&xt, (fr->width - names_px(fr) - right_px(fr)),
            money ? GP_MONEY : GP_PLAIN);
    gp_ticks(f, fr, "x", &xt, money ? GP_MONEY : GP_PLAIN);
    fprintf(f,
            "set yrange [0.4:%.1f]\nunset ytics\n"
            "set grid xtics noytics\n",
            pn->n + 0.6);
    fprintf(f, "set xlabel '%s%s'\n",
            pn->vs_base ? "Difference from doing "
                          "nothing: "
                        : "",
            !strcmp(d->metric, "net_value") ? "net value" : d->metric);
    if (pn->vs_base && x->lo < 0 && x->hi > 0)
        fputs("set arrow 1 from 0, graph 0 to 0, graph 1 nohead back "
              "lc rgb '#444444' lw 1.5\n",
              f);
    if (!isnan(pn->central))
        fprintf(f,
                "set arrow 2 from %.9g, graph 0 to %.9g, graph 1 nohead "
                "front lc rgb '#111111' lw 1.5 dt 2\n",
                pn->central, pn->central);
    row_labels(f, pn, fr, money);
    fputs("unset key\n", f);
    fprintf(f,
            "plot $tornado%d using 2:1:($3<$2?$3:$2):($3<$2?$2:$3):"
            "($1-0.3):($1+0.3) with boxxyerror fs transparent solid 0.8 "
            "noborder lc rgb '%s' notitle, "
            "\\\n     $tornado%d using 2:1:($6<$2?$6:$2):($6<$2?$2:$6):"
            "($1-0.3):($1+0.3) with boxxyerror fs transparent solid 0.8 "
            "noborder lc rgb '%s' notitle, \\\n"
            "     $tornado%d using 3:1:4:5 with xerrorbars lc rgb "
            "'#333333' lw 1.2 pt 0 notitle, \\\n"
            "     $tornado%d using 6:1:7:8 with xerrorbars lc rgb "
            "'#333333' lw 1.2 pt 0 notitle\n",
            p, TN_LOW, p, TN_HIGH, p, p);
}

static void chart(FILE *f, const struct tn_data *d, const struct gp_size *size,
                  int height)
{
    struct gp_axis x = x_range(d);
    int m = metric_find(d->metric);
    int money = m >= 0 && !strcmp(metric_table[m].unit, "$");
    fputs("set multiplot\n", f);
    double top = 1.0;
    for (int p = 0; p < d->n; p++) {
        double h = (double)panel_px(d, p, size, size->width) / height;
        struct gp_frame fr = gp_page(size, size->width, height);
        fr.y0 = top - h;
        fr.y1 = top;
        panel(f, d, p, &fr, &x, money);
        top -= h;
    }
    fputs("unset multiplot\n", f);
}

int plot_sensitivity_dir(const char *dir, const char *plots_dir,
                         unsigned formats, struct err *e)
{
    struct tn_data d;
    struct plot_files pf;
    int n = -1;
    if (load(&d, dir, e) == 0 &&
        plot_files_open(&pf, plots_dir, formats, "sensitivity.csv",
                        PLOT_SENSITIVITY_MANIFEST, e) == 0) {
        char *body = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&body, &len);
        int rc = -1;
        if (f) {
            const struct gp_size *sz = gp_size_of(formats);
            int size[2] = {sz->width, canvas_height(&d, sz)};
            chart(f, &d, sz, size[1]);
            rc = fclose(f) == 0 && body
                     ? plot_files_chart(&pf, "tornado", size, body, len, e)
                     : err_oom(e);
        } else {
            err_oom(e);
        }
        free(body);
        n = plot_files_close(&pf, rc, e);
    }
    data_destroy(&d);
    return n;
}
