/*
 * stats: Student-t summaries and the MSER-5 warm-up rule.
 */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

/* The 0.975 quantile of Student's t with df degrees of freedom. The
 * summaries of one run ask for the same df thousands of times in a row
 * (every cell of every table has the run's replications), and each
 * gsl_cdf_tdist_Pinv costs microseconds: the last answer is kept, per
 * thread. */
static double t975(double df)
{
    static _Thread_local double last_df = -1.0, last_q;
    if (df != last_df) {
        last_q = gsl_cdf_tdist_Pinv(0.975, df);
        last_df = df;
    }
    return last_q;
}

void acc_summary(const struct acc *a, struct summary *s)
{
    s->n = (long)a->n;
    s->mean = a->mean;
    s->sd = s->lo = s->hi = 0.0;
    s->has_ci = a->n >= 2.0;
    if (!s->has_ci)
        return;
    s->sd = sqrt(fmax(0.0, a->m2 / (a->n - 1.0)));
    double h = t975(a->n - 1.0) * s->sd / sqrt(a->n);
    s->lo = s->mean - h;
    s->hi = s->mean + h;
}

double acc_halfwidth(const struct acc *a)
{
    struct summary s;
    acc_summary(a, &s);
    return s.has_ci ? s.hi - s.mean : 0.0;
}

void stats_wilson(double x, double n, double *lo, double *hi)
{
    /* z, the 0.975 quantile of the standard normal. */
    const double z = 1.959963984540054, z2 = z * z;
    double p = x / n, d = 1.0 + z2 / n;
    double c = (p + z2 / (2.0 * n)) / d;
    double h = z * sqrt(fmax(0.0, p * (1.0 - p)) / n + z2 / (4.0 * n * n)) / d;
    /* At 0 or n successes the bound is exactly 0 or 1, not a rounding
     * error away from it. */
    *lo = x <= 0.0 ? 0.0 : fmax(0.0, c - h);
    *hi = x >= n ? 1.0 : fmin(1.0, c + h);
}

int stats_mser5_max(size_t n)
{
    size_t k = n / 5;
    return k < 4 ? 0 : (int)(k / 2);
}

int stats_mser5(const double *x, size_t n)
{
    size_t k = n / 5;
    if (k < 4)
        return 0;
    double *b = malloc(k * sizeof *b);
    if (!b)
        return 0;
    for (size_t i = 0; i < k; i++) {
        double s = 0.0;
        for (size_t j = 0; j < 5; j++)
            s += x[5 * i + j];
        b[i] = s / 5.0;
    }
    /* Suffix sums make every truncation O(1). */
    double sum = 0.0, sum2 = 0.0, best = INFINITY;
    int best_d = 0;
    for (size_t d = k; d-- > 0;) {
        sum += b[d];
        sum2 += b[d] * b[d];
        size_t m = k - d;
        if (d > k / 2)
            continue;
        double mean = sum / (double)m;
        double ss = fmax(0.0, sum2 - (double)m * mean * mean);
        double v = ss / ((double)m * (double)m);
        if (v <= best) {
            best = v;
            best_d = (int)d;
        }
    }
    free(b);
    return best_d;
}
