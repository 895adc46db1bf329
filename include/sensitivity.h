/*
 * sensitivity: which uncertain inputs (params.h, uncertain.h) move the
 * decision metric, and how much of its spread each explains.
 *
 * The outcome of an option in a replication is the decision metric over
 * the decision's quarters ([decision], as the ranking uses it): for the
 * baseline its value, for a scenario its paired difference from the
 * baseline (what the decision between them turns on).
 *
 * Tornado: for each input, one run with it at its 10th percentile and
 * one at its 90th (UNCERTAIN_LOW_U, UNCERTAIN_HIGH_U), every other input
 * at its median, plus one run with all at their medians; all on the same
 * replications, so each swing (the outcome at the 90th minus at the 10th
 * percentile) is a paired difference on common random numbers.
 *
 * Variance share: one run with every input drawn, as `salescap run`
 * draws them; the outcome is fitted by ordinary least squares on the
 * draws, and an input's share is its standardized regression coefficient
 * squared (coefficient x sd of the input / sd of the outcome). With
 * independent inputs and a near-linear response the shares add up to
 * R^2, the part of the outcome's variance the inputs explain together;
 * the rest is the randomness of deals, tickets and people, and what a
 * straight line misses.
 */
#ifndef SALESCAP_SENSITIVITY_H
#define SALESCAP_SENSITIVITY_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "params.h"
#include "stats.h"

struct sens_opts {
    int jobs;           /* threads, >= 1 */
    long replications;  /* per run, >= 1 */
    int progress;       /* a line per run on stderr */
    volatile int *stop; /* set by a signal handler to stop early */
};

/* One input, one option. */
struct sens_cell {
    struct acc at_low, at_high; /* the outcome with the input at its 10th
                                 * and 90th percentiles */
    struct acc d_low, d_high;   /* paired: at_low and at_high minus the
                                 * outcome with every input at its median */
    struct acc swing;           /* paired: at_high - at_low */
    double share;               /* variance share; NaN when undefined */
};

struct sens_result {
    int nopt; /* options: the baseline, then each scenario */
    size_t ninputs;
    long replications;
    int runs;                     /* simulations made: 2 + 2 * ninputs */
    double *low, *central, *high; /* [ninputs]: the inputs' values */
    struct acc *at_central;       /* [nopt]: every input at its median */
    struct acc *drawn;            /* [nopt]: every input drawn */
    double *r2;                   /* [nopt]: R^2 of the fit; NaN: undefined */
    struct sens_cell *cells;      /* [opt * ninputs + input] */
    double seconds;
};

/* Runs the analysis of p (which must have uncertain inputs and a
 * decision metric) into res (zeroed). Returns 0, or -1 with e set
 * (ERR_CONFIG: no uncertain input, no decision; ERR_RUNTIME: memory, a
 * runaway replication, "interrupted"). */
int sens_run(const struct params *p, const struct sens_opts *o,
             struct sens_result *res, struct err *e);

/* Frees res; safe on a zeroed struct. */
void sens_result_destroy(struct sens_result *res);

/* Variance shares from n observations of k inputs: x row-major (n * k),
 * y the outcome. share[i] = (b_i sd(x_i) / sd(y))^2 from the least
 * squares fit of y on x with an intercept, *r2 its R^2. Returns 0, or -1
 * when the fit is undefined (n <= k + 1, or y or an input does not
 * vary; then every share and *r2 are NaN). */
int sens_variance_shares(const double *x, size_t n, size_t k, const double *y,
                         double *share, double *r2);

/* sensitivity.csv: a row per option and input, in file order (see
 * docs/config.md, "salescap sensitivity"). Returns 0, or -1 on a write
 * error. */
int sens_write_csv(FILE *f, const struct params *p,
                   const struct sens_result *r);

/* The text of the terminal and of sensitivity.txt: the method, then per
 * option the inputs ordered by the size of their swing. Returns 0, or -1
 * out of memory or on a write error. */
int sens_write_summary(FILE *f, const struct params *p,
                       const struct sens_result *r);

/* The order of the inputs for option opt, the largest |mean swing|
 * first (file order among equals), into order[ninputs]. */
void sens_order(const struct sens_result *r, int opt, size_t *order);

#endif
