/*
 * plot_sweep: the charts of a sweep folder, from sweep.csv and sweep.ini.
 *
 * This file loads the folder into a struct sc_data and writes
 * the chart files through plot.c's plot_files, as a run's charts are
 * (one body per chart, NAME.gp beside each image, images copied into
 * place only when complete, a manifest, a stop on a signal);
 * plot_sweep_charts.c writes the gnuplot bodies. The house look (plot_int.h)
 * is shared.
 *
 * Invariant of loaded data: every point has an index into each key's
 * list of distinct values (in order of first appearance, which is grid
 * order); means and bounds are NaN where the CSV field is empty, and a
 * point without an interval has lo = hi = mean.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "afile.h"
#include "config.h"
#include "csvread.h"
#include "plot_sweep_int.h"

/* ------------------------------------------------------------ loading */

static double num_or_nan(const char *s)
{
    char *end;
    double v = strtod(s, &end);
    return *s && !*end ? v : NAN;
}

/* Index of v among the axis's values, adding it when new. */
static size_t axis_index(struct sc_axis *ax, const char *v)
{
    for (size_t i = 0; i < ax->n; i++)
        if (!strcmp(ax->vals[i], v))
            return i;
    ax->vals[ax->n] = v;
    ax->num[ax->n] = num_or_nan(v);
    ax->numeric &= !isnan(ax->num[ax->n]);
    return ax->n++;
}

/* Cell (p, c) of sweep.csv at path as a number into *x: NaN when empty
 * (no interval), an error when it is anything but a finite number. */
static int get_cell(const struct sc_data *d, const char *path, size_t p, int c,
                    double *x, struct err *e)
{
    const char *s = csv_get(&d->csv, p, c);
    *x = num_or_nan(s);
    if (!*s || isfinite(*x))
        return 0;
    return err_at(e, ERR_CONFIG, path, (int)p + 2,
                  "%s: '%s' is not a "
                  "number (was the file edited?)",
                  d->csv.cells[c], s);
}

static int load_points(struct sc_data *d, const char *path, struct err *e)
{
    size_t n = d->npoints, np = (size_t)d->np; /* both >= 1 */
    d->mean = malloc(3 * n * sizeof *d->mean);
    d->idx = malloc(n * np * sizeof *d->idx);
    d->ax = calloc(np, sizeof *d->ax);
    if (!d->mean || !d->idx || !d->ax)
        return err_oom(e);
    d->lo = d->mean + n;
    d->hi = d->lo + n;
    for (size_t k = 0; k < np; k++) {
        d->ax[k].vals = malloc(n * sizeof *d->ax[k].vals);
        d->ax[k].num = malloc(n * sizeof *d->ax[k].num);
        d->ax[k].numeric = 1;
        if (!d->ax[k].vals || !d->ax[k].num)
            return err_oom(e);
        d->ax[k].name = d->csv.cells[k];
        sc_key_words(d->ax[k].name, d->ax[k].words, sizeof d->ax[k].words);
    }
    int cm = csv_col(&d->csv, "mean"), cl = csv_col(&d->csv, "ci_low"),
        ch = csv_col(&d->csv, "ci_high");
    for (size_t p = 0; p < n; p++) {
        for (size_t k = 0; k < np; k++)
            d->idx[p * np + k] =
                axis_index(&d->ax[k], csv_get(&d->csv, p, (int)k));
        if (get_cell(d, path, p, cm, &d->mean[p], e) ||
            get_cell(d, path, p, cl, &d->lo[p], e) ||
            get_cell(d, path, p, ch, &d->hi[p], e))
            return -1;
        if (isnan(d->lo[p]) || isnan(d->hi[p]))
            d->lo[p] = d->hi[p] = d->mean[p];
        if (fabs(d->mean[p]) >= 10000.0)
            d->money_step = 1000.0;
    }
    return 0;
}

static const char *ini_get(const struct config *c, const char *key,
                           const char *def)
{
    const struct config_entry *en = config_find(c, "sweep", key);
    return en ? en->value : def;
}

/* Titles and units from sweep.ini; plain defaults without it. */
static void load_ini(struct sc_data *d, const char *dir)
{
    char *path = malloc(strlen(dir) + 12);
    struct config c = {0};
    struct err e = {0};
    if (path)
        sprintf(path, "%s/sweep.ini", dir);
    if (!path || access(path, F_OK) != 0 || config_load(&c, path, &e) != 0)
        memset(&c, 0, sizeof c);
    free(path);
    const char *scen =
        ini_get(&c, "scenario_title", ini_get(&c, "scenario", "the scenario"));
    const char *q = ini_get(&c, "quarters", "all");
    const char *reps = ini_get(&c, "replications", "?");
    d->zip = !strcmp(ini_get(&c, "zip", "false"), "true");
    d->money = !strcmp(ini_get(&c, "metric_unit", ""), "$");
    snprintf(d->label, sizeof d->label, "%s",
             ini_get(&c, "metric_label", "Mean"));
    snprintf(d->title, sizeof d->title, "%s", ini_get(&c, "title", ""));
    const char *dash = strchr(q, '-');
    char qs[64];
    if (!strcmp(q, "all"))
        snprintf(qs, sizeof qs, "all quarters");
    else if (dash && !strncmp(q, dash + 1, (size_t)(dash - q)) &&
             strlen(dash + 1) == (size_t)(dash - q))
        snprintf(qs, sizeof qs, "quarter %s", dash + 1);
    else
        snprintf(qs, sizeof qs, "quarters %s", q);
    char rs[64];
    if (d->reps_max > 0 && d->reps_min < d->reps_max)
        snprintf(rs, sizeof rs, "%ld-%ld", d->reps_min, d->reps_max);
    else if (d->reps_max > 0)
        snprintf(rs, sizeof rs, "%ld", d->reps_max);
    else
        snprintf(rs, sizeof rs, "%s", reps);
    snprintf(d->subtitle, sizeof d->subtitle,
             "%s vs the baseline, %s; mean of %s paired replications per "
             "point",
             scen, qs, rs);
    config_destroy(&c);
}

/* The range of the replications column (absent from files written
 * before it: then 0, and sweep.ini's count is used). */
static void load_reps(struct sc_data *d)
{
    int c = csv_col(&d->csv, "replications");
    d->reps_min = d->reps_max = 0;
    for (size_t p = 0; c >= 0 && p < d->npoints; p++) {
        long r = strtol(csv_get(&d->csv, p, c), NULL, 10);
        if (p == 0 || r < d->reps_min)
            d->reps_min = r;
        if (p == 0 || r > d->reps_max)
            d->reps_max = r;
    }
}

static int load_data(struct sc_data *d, const char *dir, struct err *e)
{
    char *path = malloc(strlen(dir) + 12);
    memset(d, 0, sizeof *d);
    if (!path)
        return err_oom(e);
    sprintf(path, "%s/sweep.csv", dir);
    int rc = csv_read(&d->csv, path, e);
    int cm = rc == 0 ? csv_col(&d->csv, "mean") : -1;
    if (rc == 0 && (cm < 1 || d->csv.nrows == 0))
        rc = err_set(e, ERR_CONFIG,
                     "%s: not a sweep result (no varied "
                     "columns before 'mean', or no rows)",
                     path);
    if (rc == 0) {
        d->np = cm;
        d->npoints = d->csv.nrows;
        load_reps(d);
        load_ini(d, dir);
        rc = load_points(d, path, e);
    }
    free(path);
    return rc;
}

static void data_destroy(struct sc_data *d)
{
    for (int k = 0; d->ax && k < d->np; k++) {
        free(d->ax[k].vals);
        free(d->ax[k].num);
    }
    free(d->ax);
    free(d->mean);
    free(d->idx);
    csv_destroy(&d->csv);
}

/* ------------------------------------------------------------ files */

/* Builds page `page` of d's charts and draws it as chart `name`. */
static int draw_one(struct plot_files *pf, const struct sc_data *d,
                    const char *name, int page, struct err *e)
{
    struct sc_body b = {.width = d->size->width, .height = d->size->height};
    FILE *f = open_memstream(&b.text, &b.len);
    if (!f)
        return err_oom(e);
    gp_linetypes(f);
    sc_chart(f, d, page, &b);
    fputs("unset output\n", f);
    int rc = ferror(f) | fclose(f) ? err_oom(e) : 0;
    if (rc == 0)
        rc = plot_files_chart(pf, name, (int[2]){b.width, b.height}, b.text,
                              b.len, e);
    free(b.text);
    return rc;
}

static int draw_all(struct plot_files *pf, const struct sc_data *d,
                    struct err *e)
{
    int pages = sc_pages(d), rc = 0;
    for (int pg = 0; rc == 0 && pg < pages; pg++) {
        char name[32];
        if (pg == 0)
            snprintf(name, sizeof name, "sweep");
        else
            snprintf(name, sizeof name, "sweep_%d", pg + 1);
        rc = draw_one(pf, d, name, pg, e);
    }
    return rc;
}

int plot_sweep_dir(const char *dir, const char *plots_dir, unsigned formats,
                   struct err *e)
{
    struct sc_data d;
    struct plot_files pf;
    int n = -1;
    /* data_destroy also frees what a failed load_data holds. */
    int rc = load_data(&d, dir, e);
    d.size = gp_size_of(formats);
    if (rc == 0 &&
        plot_files_open(&pf, plots_dir, formats, "the sweep's sweep.csv",
                        PLOT_SWEEP_MANIFEST, e) == 0)
        n = plot_files_close(&pf, draw_all(&pf, &d, e), e);
    data_destroy(&d);
    return n;
}
