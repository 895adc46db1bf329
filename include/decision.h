/*
 * decision: which option is best. The options are the baseline ("doing
 * nothing") and every scenario of a run; they are ranked on the decision
 * metric of [decision] (params.h) over its quarters, from the
 * accumulators the run kept (run.h: dec_value, dec_diff, dec_wins).
 *
 * Rank is by mean value (the highest first, or the lowest with better =
 * lower); equal means share a rank. p_best is the share of replications
 * in which the option had the best value, ties shared evenly, so the
 * shares sum to 1; its interval is Wilson's (stats.h). An option is tied
 * with the best when the 95 % interval of its paired difference from the
 * best includes 0, and indistinguishable from doing nothing when that of
 * its paired difference from the baseline does.
 */
#ifndef SALESCAP_DECISION_H
#define SALESCAP_DECISION_H

#include "run.h"
#include "stats.h"

struct decision_row {
    int s;                     /* scenario index, 0 = the baseline */
    struct summary value;      /* its decision value */
    double p_best, p_lo, p_hi; /* share of replications best; interval */
    int rank;                  /* 1 = best */
    int tied;                  /* tied with the best: 1 or 0; -1 without an
                                * interval (one replication); the best: 1 */
    struct summary vs_base;    /* paired value minus the baseline's */
    int like_nothing;          /* vs_base's interval includes 0: 1 or 0;
                                * -1 without an interval; the baseline: 1 */
};

/* Fills rows[0 .. r->nscen) in rank order, the best first (ties in file
 * order). Returns 0, or -1 when the run made no decision (dec_metric <
 * 0) or has no replications. */
int decision_rank(const struct run_result *r, struct decision_row *rows);

/* "quarters 1-6", or "quarter 3" for one, into buf (q0, q1 0-based). */
void decision_quarters(char *buf, size_t size, int q0, int q1);

#endif
