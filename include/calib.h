/*
 * calib: fits free keys of a model so that its simulated baseline meets
 * the [targets] (docs/calibration.md).
 *
 * Every evaluation simulates the baseline with the same seed and
 * replications, so the objective changes only with the free keys (common
 * random numbers): a smooth enough surface for GSL's Nelder-Mead simplex
 * (gsl_multimin_fminimizer_nmsimplex2). Bounds become no constraint by a
 * logistic transform: the simplex moves u freely, the key is
 * lo + (hi - lo) / (1 + exp(-u)).
 *
 * The objective is the weighted sum of squared relative errors,
 * sum over targets of ((simulated - target) / target)^2 weighted by
 * (target / tolerance)^2, i.e. sum of ((simulated - target) /
 * tolerance)^2: a miss by one tolerance costs 1, whatever the unit. A
 * KPI the simulation leaves undefined (no deal closed) costs
 * CALIB_UNDEFINED.
 */
#ifndef SALESCAP_CALIB_H
#define SALESCAP_CALIB_H

#include <stddef.h>

#include "config.h"
#include "err.h"
#include "kpi.h"
#include "stats.h"

#define CALIB_UNDEFINED 1e4

/* One free key. */
struct calib_free {
    char *section, *key; /* "sales", "opportunities_per_week" */
    int has_bounds;      /* bounds given as KEY=LO:HI */
    double lo, hi;       /* the bounds the fit keeps to */
    double start;        /* the model's value */
    double fitted;       /* the fit's, rounded as written */
};

/* Parses "KEY[=LO:HI],..." (KEY as SECTION.KEY, stage.NAME.KEY for a
 * stage) and appends to *f (n entries; realloc'd). Returns 0, or -1 with
 * e set (ERR_CONFIG, without location). */
int calib_parse_free(const char *spec, struct calib_free **f, size_t *n,
                     struct err *e);

/* Frees the n free keys of f. */
void calib_free_destroy(struct calib_free *f, size_t n);

/* Checks each free key against the resolved model p (a number key, its
 * bounds inside its range, not named twice), fills start and the default
 * bounds (the key's range, narrowed to [start / 4, 4 start] where it has
 * no finite end), and checks that p has targets. Returns 0, or -1 with e
 * set (ERR_CONFIG). */
int calib_prepare(const struct params *p, struct calib_free *f, size_t n,
                  struct err *e);

/* The objective above, from the targets and the KPIs' accumulators. */
double calib_objective(const struct targets_params *t, const struct acc *kpi);

struct calib_opts {
    long replications; /* per evaluation, >= 1 */
    int jobs;          /* threads */
    int max_iter;      /* simplex iterations */
    int has_seed;      /* seed overrides the file's */
    unsigned long long seed;
    volatile int *stop; /* set by a signal handler: stop early */
    /* Called after each evaluation (NULL: none). */
    void (*progress)(void *ctx, int evaluation, int iteration, double best);
    void *ctx;
};

struct calib_result {
    int evaluations, iterations;
    int converged;         /* the simplex shrank below tolerance */
    double f_start, f_fit; /* objective at start and as written */
    struct acc kpi_start[KPI_COUNT], kpi_fit[KPI_COUNT];
};

/* Fits the free keys of cfg (resolved and prepared), leaving cfg holding
 * the fitted values (rounded to 6 significant digits, as FITTED.ini
 * writes them) and r the KPIs at the start and at them. Returns 0, or -1
 * with e set (a simulation failed, or o->stop). */
int calib_run(struct config *cfg, struct calib_free *f, size_t n,
              const struct calib_opts *o, struct calib_result *r,
              struct err *e);

/* The value written for a fitted key (6 significant digits). */
void calib_format(double v, char *buf, size_t size);

#endif
