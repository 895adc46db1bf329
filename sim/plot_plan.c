/*
 * plot_plan: plan.EXT, the chance of making plan by quarter: for the
 * baseline and each scenario, the share of replications whose quarter
 * met the plan, with its 95 % Wilson interval, from quarterly.csv's
 * plan_met rows (docs/model.md, "Quotas and plan"). A run without a plan
 * has none, and gets no chart.
 * Invariant: like plot_charts.c, one panel that starts with gp_house (a
 * reset), its datablock named after the chart ($plan).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvread.h"
#include "plot_int.h"

/* plan_met of every scenario and quarter: mean, low, high (percent;
 * NaN where quarterly.csv has no row). */
struct plan_data {
    int nscen, quarters, replications;
    double *v; /* nscen * quarters * 3 */
};

static double *plan_at(const struct plan_data *d, int s, int q)
{
    return &d->v[((size_t)s * d->quarters + q) * 3];
}

/* Field `col` of row r as a number in [lo, hi] (an empty field: NaN). */
static int plan_num(const struct csv *c, const char *path, size_t r, int col,
                    double lo, double hi, double *out, struct err *e)
{
    const char *s = csv_get(c, r, col);
    char *end;
    errno = 0;
    *out = *s ? strtod(s, &end) : NAN;
    if (*s &&
        (end == s || *end || errno == ERANGE || !(*out >= lo) || !(*out <= hi)))
        return err_at(e, ERR_CONFIG, path, c->lines[r],
                      "plan_met: column %d: expected a number from %g to "
                      "%g, got '%s'",
                      col + 1, lo, hi, s);
    return 0;
}

/* Reads the plan_met rows of path into d (rd's scenarios). Returns 1
 * when there are some, 0 when none, -1 with e set. */
static int plan_read(struct plan_data *d, const struct rundata *rd,
                     const char *path, struct err *e)
{
    struct csv c = {0};
    if (csv_read(&c, path, e) != 0)
        return -1;
    int col[7], rc = 0;
    const char *names[7] = {"scenario", "quarter", "metric", "mean",
                            "ci_low",   "ci_high", "n"};
    for (int i = 0; i < 7; i++)
        if ((col[i] = csv_col(&c, names[i])) < 0)
            rc = err_at(e, ERR_CONFIG, path, 1, "no column '%s'", names[i]);
    d->nscen = rd->nscen;
    d->quarters = 0;
    for (size_t r = 0; rc == 0 && r < c.nrows; r++) {
        int q = atoi(csv_get(&c, r, col[1]));
        if (!strcmp(csv_get(&c, r, col[2]), "plan_met") && q > d->quarters)
            d->quarters = q < 100000 ? q : 100000;
    }
    if (rc != 0 || d->quarters < 1) {
        csv_destroy(&c);
        return rc;
    }
    size_t n = (size_t)d->nscen * d->quarters * 3;
    d->v = malloc(n * sizeof *d->v);
    for (size_t i = 0; d->v && i < n; i++)
        d->v[i] = NAN;
    if (!d->v)
        rc = err_oom(e);
    for (size_t r = 0; rc == 0 && r < c.nrows; r++) {
        if (strcmp(csv_get(&c, r, col[2]), "plan_met"))
            continue;
        int s = rundata_find(rd, csv_get(&c, r, col[0]));
        double q, x[3], reps;
        if (s < 0 && rd->nhidden > 0)
            continue; /* a scenario left out of the charts, presumably */
        if (s < 0) {
            rc = err_at(e, ERR_CONFIG, path, c.lines[r],
                        "unknown scenario '%s'", csv_get(&c, r, col[0]));
            break;
        }
        if (plan_num(&c, path, r, col[1], 1, d->quarters, &q, e) ||
            q != floor(q) || plan_num(&c, path, r, col[3], 0, 1, &x[0], e) ||
            plan_num(&c, path, r, col[4], 0, 1, &x[1], e) ||
            plan_num(&c, path, r, col[5], 0, 1, &x[2], e) ||
            plan_num(&c, path, r, col[6], 0, 1e12, &reps, e)) {
            rc = -1;
            break;
        }
        if (isnan(x[1]) || isnan(x[2]))
            x[1] = x[2] = x[0]; /* one replication: no interval */
        double *v = plan_at(d, s, (int)q - 1);
        for (int k = 0; k < 3; k++)
            v[k] = 100.0 * x[k];
        d->replications = (int)fmax(d->replications, reps);
    }
    csv_destroy(&c);
    return rc == 0 ? 1 : -1;
}

/* One index per scenario: x (the quarter, spread a little so that the
 * whiskers of different options do not hide each other), mean, low,
 * high. */
static void block_plan(FILE *f, const struct rundata *rd,
                       const struct plan_data *d)
{
    fputs("$plan << EOD\n", f);
    for (int s = 0; s < d->nscen; s++) {
        double dx =
            d->nscen > 1 ? 0.3 * ((double)s / (d->nscen - 1) - 0.5) : 0.0;
        fprintf(f, "%s# %s: quarter chance%% low high\n", s ? "\n\n" : "",
                rd->scen[s].id);
        for (int q = 0; q < d->quarters; q++) {
            const double *v = plan_at(d, s, q);
            fprintf(f, "%.4f", q + 1 + dx);
            for (int k = 0; k < 3; k++) {
                fputc(' ', f);
                gp_num(f, v[k]);
            }
            fputc('\n', f);
        }
    }
    fputs("EOD\n", f);
}

static void chart_plan(FILE *f, const struct rundata *rd,
                       const struct plan_data *d, struct gp_frame *fr)
{
    block_plan(f, rd, d);
    gp_house(f, fr, 0);
    char sub[256];
    snprintf(sub, sizeof sub,
             "Share of the %d replication%s in which the "
             "quarter met the plan%s",
             d->replications, d->replications == 1 ? "" : "s",
             d->replications > 1 ? "; whiskers: 95% Wilson interval" : "");
    gp_title(f, fr, "Chance of making plan, by quarter", sub);
    struct gp_key *k = malloc((size_t)d->nscen * sizeof *k);
    char(*st)[32] = malloc((size_t)d->nscen * sizeof *st);
    if (k && st) {
        for (int s = 0; s < d->nscen; s++) {
            snprintf(st[s], sizeof st[s], "lt %d lw 2.5", gp_lt(s));
            k[s] = (struct gp_key){GP_SAMPLE_LINE, st[s], st[s],
                                   s ? rd->scen[s].label
                                     : "Doing nothing (the baseline)"};
        }
        gp_legend(f, fr, k, d->nscen);
    }
    free(k);
    free(st);
    /* A tick label is a format: '%%' writes '%'. gp_ticks writes amounts
     * only, so the shares' labels are set here and their width recorded
     * for the layout as gp_ticks would. */
    fputs("set yrange [0:105]\nset ytics ('0%%' 0, '25%%' 25, '50%%' 50, "
          "'75%%' 75, '100%%' 100)\n",
          f);
    fr->tick_px[0] = gp_text_width("100%", GP_TICK_PT, 0);
    gp_axis_label(fr, 0, "Chance of making plan");
    gp_quarter_ticks(f, fr, rd, d->quarters, 0);
    fputs("set grid noxtics ytics\n", f);
    gp_plot_area(f, fr);
    fputs("plot ", f);
    /* Whiskers solid and thin in the option's colour, under its line. */
    for (int s = 0; s < d->nscen; s++)
        fprintf(f,
                "%s$plan index %d using 1:2:3:4 with yerrorbars lt %d "
                "dt 1 lw 1.2 pt 0 notitle",
                s ? ", \\\n     " : "", s, gp_lt(s));
    for (int s = 0; s < d->nscen; s++)
        fprintf(f,
                ", \\\n     $plan index %d using 1:2 with linespoints "
                "lt %d lw 2.5 notitle",
                s, gp_lt(s));
    fputc('\n', f);
}

int chart_plan_draw(struct plot_files *pf, const struct rundata *rd,
                    const char *run_dir, unsigned formats, struct err *e)
{
    struct plan_data d = {0};
    char *path = rundata_path(run_dir, "quarterly.csv");
    if (!path)
        return err_oom(e);
    /* A run from before quarterly.csv, or one cut short: no chart. */
    int rc = access(path, F_OK) == 0 ? plan_read(&d, rd, path, e) : 0;
    free(path);
    if (rc <= 0) {
        free(d.v);
        return rc;
    }
    char *body = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&body, &len);
    if (!f) {
        free(d.v);
        return err_oom(e);
    }
    struct gp_frame fr = gp_single(gp_size_of(formats));
    gp_linetypes(f);
    chart_plan(f, rd, &d, &fr);
    fputs("unset output\n", f);
    free(d.v);
    if (ferror(f) | fclose(f)) {
        free(body);
        return err_oom(e);
    }
    const int size[2] = {fr.width, fr.height};
    rc = plot_files_chart(pf, "plan", size, body, len, e);
    free(body);
    return rc;
}
