/*
 * plan: a quarter's quota attainment, share of reps at quota and whether
 * the company made its plan, from one replication's weekly rows (see
 * include/plan.h). Invariant: nothing here reads a week outside the
 * quarter asked for, so quarters are independent of each other.
 */
#include "plan.h"

#include "metrics.h"

const char *const plan_metric_names[PLAN_COUNT] = {"quota_attainment",
                                                   "reps_at_quota", "plan_met"};

int plan_reports(const struct params *p, int k)
{
    if (k == PLAN_MET)
        return p->plan.metric >= 0;
    if (k != PLAN_QUOTA_ATTAINMENT && k != PLAN_REPS_AT_QUOTA)
        return 0;
    for (int t = 0; t < params_teams(p); t++)
        if (params_team_sales(p, t)->quota_per_rep > 0.0)
            return 1;
    return 0;
}

int plan_any(const struct params *p)
{
    for (int k = 0; k < PLAN_COUNT; k++)
        if (plan_reports(p, k))
            return 1;
    return 0;
}

/* The reported weeks [w0, w1) of quarter q, as run_quarter_weeks. */
static void quarter(int q, int weeks, int *w0, int *w1)
{
    *w0 = 13 * q;
    *w1 = 13 * q + 13 < weeks ? 13 * q + 13 : weeks;
}

double plan_target(const struct params *p, int q, int weeks)
{
    int w0, w1, n = p->plan.n;
    quarter(q, weeks, &w0, &w1);
    double v = p->plan.per_quarter[q < n ? q : n - 1];
    /* A whole quarter's target is v itself, to the bit. */
    return w1 - w0 == 13 ? v : v * (w1 - w0) / 13.0;
}

/* The sum of raw slot col over weeks [w0, w1). */
static double sum(const double *raw, int w0, int w1, int col)
{
    double s = 0.0;
    for (int w = w0; w < w1; w++)
        s += raw[(size_t)w * RAW_COUNT + (size_t)col];
    return s;
}

int plan_value(const struct params *p, const double *raw, int weeks, int q,
               int k, double *out)
{
    int w0, w1;
    if (!plan_reports(p, k))
        return -1;
    quarter(q, weeks, &w0, &w1);
    if (k == PLAN_MET) {
        double got = sum(raw, w0, w1, p->plan.metric);
        *out = got >= plan_target(p, q, weeks) ? 1.0 : 0.0;
        return 0;
    }
    double reps = sum(raw, w0, w1, R_QUOTA_REPS);
    if (!(reps > 0.0))
        return -1;
    *out = sum(raw, w0, w1,
               k == PLAN_QUOTA_ATTAINMENT ? R_QUOTA_ATTAINMENT : R_QUOTA_AT) /
           reps;
    return 0;
}
