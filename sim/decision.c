/*
 * decision: the ranking of a run's options (see include/decision.h).
 */
#include "decision.h"

#include <stdio.h>
#include <stdlib.h>

#include "calendar.h"

/* Whether a's interval includes 0: 1 or 0; -1 without an interval. */
static int includes_zero(const struct summary *a)
{
    if (!a->has_ci)
        return -1;
    return a->lo <= 0.0 && a->hi >= 0.0;
}

/* The mean of s as a score: higher is better. */
static double score(const struct run_result *r, int s)
{
    return r->dec_lower ? -r->dec_value[s].mean : r->dec_value[s].mean;
}

int decision_rank(const struct run_result *r, struct decision_row *rows)
{
    int n = r->nscen;
    if (r->dec_metric < 0 || r->replications < 1)
        return -1;
    /* Insertion sort by score, stable: ties keep file order. */
    for (int i = 0; i < n; i++) {
        int j = i;
        while (j > 0 && score(r, rows[j - 1].s) < score(r, i)) {
            rows[j] = rows[j - 1];
            j--;
        }
        rows[j].s = i;
    }
    int best = rows[0].s;
    for (int i = 0; i < n; i++) {
        struct decision_row *d = &rows[i];
        int s = d->s;
        acc_summary(&r->dec_value[s], &d->value);
        d->rank = i > 0 && score(r, s) == score(r, rows[i - 1].s)
                      ? rows[i - 1].rank
                      : i + 1;
        d->p_best = r->dec_wins[s] / (double)r->replications;
        stats_wilson(r->dec_wins[s], (double)r->replications, &d->p_lo,
                     &d->p_hi);
        struct summary vb;
        acc_summary(&r->dec_diff[(size_t)s * n + best], &vb);
        d->tied = s == best ? 1 : includes_zero(&vb);
        if (s == 0) {
            d->vs_base = (struct summary){.n = d->value.n, .has_ci = 1};
            d->like_nothing = 1;
        } else {
            acc_summary(&r->dec_diff[(size_t)s * n], &d->vs_base);
            d->like_nothing = includes_zero(&d->vs_base);
        }
    }
    return 0;
}

void decision_quarters(char *buf, size_t size, int q0, int q1)
{
    struct cal c;
    cal_init(&c, CAL_NO_DATE, 0);
    cal_quarters(&c, q0 + 1, q1 + 1, buf, size);
}
