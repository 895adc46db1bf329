/*
 * plot_sweep_int: what plot_sweep.c (data and files) and
 * plot_sweep_charts.c (gnuplot bodies) share. Internal to the plot
 * module, whose plot_int.h gives the house look.
 */
#ifndef SALESCAP_PLOT_SWEEP_INT_H
#define SALESCAP_PLOT_SWEEP_INT_H

#include <stddef.h>
#include <stdio.h>

#include "csvread.h"
#include "plot_int.h"

/* One varied key: its distinct values, in order of first appearance. */
struct sc_axis {
    const char *name; /* the CSV header cell */
    char words[128];  /* what it means, for axes (sc_key_words) */
    size_t n;
    const char **vals; /* strings of the CSV */
    double *num;       /* as numbers; NaN when not one */
    int numeric;       /* every value is a number */
};

/* A sweep folder, loaded. */
struct sc_data {
    struct csv csv;
    int np; /* varied keys: the columns before "mean" */
    size_t npoints;
    double *mean, *lo, *hi;
    size_t *idx; /* [point * np + k]: index into ax[k].vals */
    struct sc_axis *ax;
    int zip, money;
    double money_step;       /* cells: $1k steps once values reach $10k */
    long reps_min, reps_max; /* replications per point; 0: not known */
    char title[256], subtitle[512], label[256];
    const struct gp_size *size; /* the --size preset */
};

/* A chart body and its canvas size in pixels (set by sc_chart). */
struct sc_body {
    char *text;
    size_t len;
    int width, height;
};

/* A varied key in words, for an axis: its meaning from the
 * configuration table up to a colon or a parenthesis, capitalised
 * ("pull.weeks": "Length of the pull, weeks", "pull.reps": "Reps
 * pulled"); "Scenario"; the name itself for a key not in the table. */
void sc_key_words(const char *name, char *buf, size_t n);

/* Number of chart files d needs (heatmap panels beyond a page). */
int sc_pages(const struct sc_data *d);

/* Writes the body of page `page` of d's chart to f, and sets b's size:
 * a line with its band for one key, a heatmap for two, panels for more,
 * a tornado for zip sweeps. */
void sc_chart(FILE *f, const struct sc_data *d, int page, struct sc_body *b);

#endif
