/*
 * stats: Student-t summaries and the MSER-5 warm-up rule.
 */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

void acc_summary(const struct acc *a, struct summary *s)
{
    s->n = (long)a->n;
    s->mean = a->mean;
    s->sd = s->lo = s->hi = 0.0;
    s->has_ci = a->n >= 2.0;
    if (!s->has_ci)
        return;
    s->sd = sqrt(fmax(0.0, a->m2 / (a->n - 1.0)));
    double h = gsl_cdf_tdist_Pinv(0.975, a->n - 1.0) * s->sd / sqrt(a->n);
    s->lo = s->mean - h;
    s->hi = s->mean + h;
}

double acc_halfwidth(const struct acc *a)
{
    struct summary s;
    acc_summary(a, &s);
    return s.has_ci ? s.hi - s.mean : 0.0;
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
