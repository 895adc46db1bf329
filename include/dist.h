/*
 * dist: probability distributions written as in scenario files.
 *
 * Spec syntax (whitespace is free):
 *   3.5                  fixed value
 *   fixed(x)             fixed value
 *   exponential(mean)
 *   uniform(min, max)
 *   triangular(min, mode, max)
 *   normal(mean, sd)     draws below zero are clamped to zero when the
 *                        distribution is declared non-negative (see below)
 *   lognormal(mean, sd)  by arithmetic mean and sd
 *   gamma(mean, sd)      by arithmetic mean and sd
 *   beta(mean, sd)       on [0, 1], by mean and sd
 *   empirical(v1, v2, ...)  each value equally likely
 *   empirical_file(PATH[, COLUMN])  each value of a CSV column equally
 *                        likely; PATH is relative to the folder of the
 *                        file the spec was written in (dist_parse_in)
 * Parameters are validated at parse time (GSL's samplers validate nothing).
 *
 * Ownership: an empirical_file dist owns its values and its path (ext,
 * src); dist_destroy() frees them. Every other kind owns nothing, and
 * dist_destroy() on it (or on a zeroed struct) does nothing.
 */
#ifndef SALESCAP_DIST_H
#define SALESCAP_DIST_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

#include "err.h"

enum dist_kind {
    DIST_FIXED = 0,
    DIST_EXPONENTIAL,
    DIST_UNIFORM,
    DIST_TRIANGULAR,
    DIST_NORMAL,
    DIST_LOGNORMAL,
    DIST_GAMMA,
    DIST_BETA,
    DIST_EMPIRICAL,
    DIST_EMPIRICAL_FILE,
};

#define DIST_EMPIRICAL_MAX 64

struct dist {
    enum dist_kind kind;
    double p[3]; /* parameters as written (mean, sd / min, mode, max ...) */
    double a, b; /* derived sampler parameters (e.g. gamma shape, scale) */
    double mean; /* the distribution's mean (after clamping, see nonneg) */
    int nonneg;  /* draws are clamped at 0 (durations, hours, money) */
    size_t n;    /* empirical, empirical_file: number of values */
    double v[DIST_EMPIRICAL_MAX]; /* empirical values */
    double *ext;                  /* empirical_file: its n values (owned) */
    char *src; /* empirical_file: "ABSOLUTE_PATH[, COLUMN]" (owned) */
};

/* Parses spec into d. nonneg: the quantity cannot be negative (hours, days,
 * money): negative fixed values, means, minimums or empirical values are
 * rejected, and normal draws are clamped at 0. On error returns -1 and sets
 * e to a message without location, e.g. "gamma(mean, sd): sd must be > 0,
 * got -1" (the caller prefixes FILE:LINE and the key). */
int dist_parse(struct dist *d, const char *spec, int nonneg, struct err *e);

/* dist_parse for a spec written in file (a scenario file's path): the
 * PATH of empirical_file is relative to file's folder, as an include's
 * is (file NULL: the current folder). The CSV's errors name it and the
 * line: "empirical_file(PATH[, COLUMN]): data/v.csv:7: expected a number
 * in column 'amount', got '$30,000'". A file that cannot be read is an
 * ERR_CONFIG error, like a missing include. */
int dist_parse_in(struct dist *d, const char *spec, int nonneg,
                  const char *file, struct err *e);

/* The values of an empirical or empirical_file dist (d->n of them). */
const double *dist_values(const struct dist *d);

/* Frees what an empirical_file dist owns and zeroes d; safe on any dist
 * and on a zeroed struct. */
void dist_destroy(struct dist *d);
/* dst becomes a copy of src that owns its own memory (an
 * empirical_file's values and source). 0, or -1 out of memory (dst is
 * then zeroed). */
int dist_copy(struct dist *dst, const struct dist *src);

/* One draw. */
double dist_sample(const struct dist *d, gsl_rng *r);

/* Writes the canonical spec of d into buf ("gamma(30, 10)"), each number
 * with %.10g or, when that would not read back exactly, as many digits as
 * it takes; returns the length snprintf would have written. */
int dist_format(const struct dist *d, char *buf, size_t size);

/* The mean (d->mean). */
static inline double dist_mean(const struct dist *d)
{
    return d->mean;
}

/* The variance (of the clamped values for a non-negative normal). */
double dist_variance(const struct dist *d);

/* The u-quantile, u in [0, 1] (clamped): the smallest x with
 * P(X <= x) >= u for a discrete spec. An empirical spec costs O(n^2). */
double dist_quantile(const struct dist *d, double u);

/* A fixed distribution with value x. */
void dist_fixed(struct dist *d, double x);

#endif
