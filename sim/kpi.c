/*
 * kpi: the baseline's KPIs from one replication's weekly series.
 * Invariant: kpi_table[k].name is the [targets] key of KPI k, and each
 * KPI is a function of the reported weeks only (never of warm-up).
 */
#include "kpi.h"

#include <string.h>

#include "metrics.h"

const struct kpi_info kpi_table[KPI_COUNT] = {
    [KPI_WIN_RATE] = {"win_rate", KPI_SHARE, "win rate"},
    [KPI_WON_CYCLE_DAYS] = {"won_cycle_days", KPI_DAYS, "cycle of a won deal"},
    [KPI_OPEN_OPPORTUNITIES_PER_REP] = {"open_opportunities_per_rep",
                                        KPI_COUNT_UNIT,
                                        "open opportunities per rep"},
    [KPI_OPPORTUNITIES_PER_REP_WEEK] = {"opportunities_per_rep_week",
                                        KPI_COUNT_UNIT,
                                        "new opportunities per rep-week"},
    [KPI_DEAL_VALUE] = {"deal_value", KPI_MONEY, "value of a won deal"},
    [KPI_BOOKINGS_PER_QUARTER] = {"bookings_per_quarter", KPI_MONEY,
                                  "bookings per quarter"},
    [KPI_ONBOARDING_WAIT_DAYS] = {"onboarding_wait_days", KPI_DAYS,
                                  "wait before onboarding starts"},
    [KPI_OPS_BACKLOG_HOURS] = {"ops_backlog_hours", KPI_HOURS, "ops backlog"},
    [KPI_CLIENTS] = {"clients", KPI_COUNT_UNIT, "clients under contract"},
    [KPI_CHURN_RATE] = {"churn_rate", KPI_SHARE, "churned per year"},
    [KPI_ONBOARDING_DAYS] = {"onboarding_days", KPI_DAYS,
                             "signature to go-live"},
    [KPI_OPS_UTILIZATION] = {"ops_utilization", KPI_SHARE, "ops utilisation"},
};

int kpi_find(const char *name)
{
    for (int k = 0; k < KPI_COUNT; k++)
        if (!strcmp(kpi_table[k].name, name))
            return k;
    return -1;
}

/* Sum of raw column col over the weeks. */
static double column_sum(const double *raw, int weeks, int col)
{
    double s = 0.0;
    for (int w = 0; w < weeks; w++)
        s += raw[(size_t)w * RAW_COUNT + (size_t)col];
    return s;
}

/* num / den into out[k] when den > 0. */
static void ratio(double *out, unsigned char *ok, int k, double num, double den)
{
    ok[k] = den > 0.0;
    out[k] = ok[k] ? num / den : 0.0;
}

void kpi_compute(const double *raw, int weeks, double *out, unsigned char *ok)
{
    static const struct {
        int kpi, metric;
    } ratios[] = {
        {KPI_WIN_RATE, M_WIN_RATE},
        {KPI_WON_CYCLE_DAYS, M_CYCLE_DAYS},
        {KPI_ONBOARDING_WAIT_DAYS, M_ONBOARDING_WAIT_DAYS},
        {KPI_ONBOARDING_DAYS, M_ONBOARDING_DAYS},
        {KPI_OPS_UTILIZATION, M_OPS_UTILIZATION},
    };
    for (size_t i = 0; i < sizeof ratios / sizeof ratios[0]; i++)
        ok[ratios[i].kpi] = metric_combine(raw, 0, weeks, ratios[i].metric,
                                           &out[ratios[i].kpi]) == 0;
    for (size_t i = 0; i < sizeof ratios / sizeof ratios[0]; i++)
        if (!ok[ratios[i].kpi])
            out[ratios[i].kpi] = 0.0;
    double rep_weeks = column_sum(raw, weeks, M_REPS_ACTIVE);
    double clients = column_sum(raw, weeks, M_CLIENTS_ACTIVE);
    double bookings = column_sum(raw, weeks, M_BOOKINGS);
    double years = weeks / 52.0;
    ratio(out, ok, KPI_OPEN_OPPORTUNITIES_PER_REP,
          column_sum(raw, weeks, M_PIPELINE_COUNT), rep_weeks);
    ratio(out, ok, KPI_OPPORTUNITIES_PER_REP_WEEK,
          column_sum(raw, weeks, M_OPPORTUNITIES_CREATED), rep_weeks);
    ratio(out, ok, KPI_DEAL_VALUE, bookings,
          column_sum(raw, weeks, M_DEALS_WON));
    ratio(out, ok, KPI_BOOKINGS_PER_QUARTER, 13.0 * bookings, weeks);
    ratio(out, ok, KPI_OPS_BACKLOG_HOURS,
          column_sum(raw, weeks, M_OPS_BACKLOG_HOURS), weeks);
    ratio(out, ok, KPI_CLIENTS, clients, weeks);
    /* Churned per year over the mean base: (churned / years) / (clients
     * / weeks). */
    ratio(out, ok, KPI_CHURN_RATE,
          column_sum(raw, weeks, M_CLIENTS_CHURNED) * weeks, clients * years);
}
