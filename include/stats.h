/*
 * stats: summaries over replications.
 *
 * Accumulators use Welford's update, fed in replication order, so a
 * summary is the same bit for bit however many threads produced the
 * replications. Intervals are Student-t 95 % intervals of the mean; with
 * fewer than two observations there is no interval (has_ci = 0), and the
 * writers leave those fields empty rather than print nan.
 */
#ifndef SALESCAP_STATS_H
#define SALESCAP_STATS_H

#include <stddef.h>

struct acc {
    double n, mean, m2;
};

struct summary {
    long n;
    double mean, sd, lo, hi; /* sd, lo, hi are meaningful when has_ci */
    int has_ci;
};

static inline void acc_add(struct acc *a, double x)
{
    a->n += 1.0;
    double d = x - a->mean;
    a->mean += d / a->n;
    a->m2 += d * (x - a->mean);
}

/* The mean, sample sd and 95 % Student-t interval of a's observations. */
void acc_summary(const struct acc *a, struct summary *s);

/* Half-width of the 95 % interval (0 when undefined). */
double acc_halfwidth(const struct acc *a);

/* The 95 % Wilson score interval of a binomial proportion: x successes
 * (may be fractional: shared ties) in n > 0 trials, into [*lo, *hi],
 * within [0, 1]. Wilson (1927), "Probable inference, the law of
 * succession, and statistical inference", JASA 22:209-212: unlike the
 * normal approximation it stays inside [0, 1] and is not empty at 0 or 1
 * successes. */
void stats_wilson(double x, double n, double *lo, double *hi);

/* MSER-5 (White 1997): batches the series x[0..n) into means of 5 and
 * returns the truncation point d (in batches) minimising the standard
 * error of the mean of what is left; only truncations leaving at least
 * half of the batches are considered. The warm-up MSER suggests is
 * 5 * d observations. */
int stats_mser5(const double *x, size_t n);

/* The largest truncation (in batches) stats_mser5 considers for n
 * observations: returning it means the series never settles. */
int stats_mser5_max(size_t n);

#endif
