/*
 * metrics: the metric table and how weeks combine into quarters.
 * Invariant: metric_table[m].den >= M_COUNT exactly when the kind is RATIO.
 */
#include "metrics.h"

#include <string.h>

const struct metric_info metric_table[M_COUNT] = {
    [M_REVENUE] = {"revenue", METRIC_FLOW, -1, "$", "Revenue"},
    [M_BOOKINGS] = {"bookings", METRIC_FLOW, -1, "$", "Bookings"},
    [M_OPPORTUNITIES_CREATED] = {"opportunities_created", METRIC_FLOW, -1,
                                 "count", "Opportunities created"},
    [M_DEALS_WON] = {"deals_won", METRIC_FLOW, -1, "count", "Deals won"},
    [M_DEALS_LOST] = {"deals_lost", METRIC_FLOW, -1, "count", "Deals lost"},
    [M_DEALS_WENT_COLD] = {"deals_went_cold", METRIC_FLOW, -1, "count",
                           "Deals gone cold"},
    [M_PIPELINE_COUNT] = {"pipeline_count", METRIC_LEVEL, -1, "count",
                          "Open opportunities"},
    [M_PIPELINE_VALUE] = {"pipeline_value", METRIC_LEVEL, -1, "$",
                          "Pipeline value"},
    [M_WIN_RATE] = {"win_rate", METRIC_RATIO, D_WIN_RATE, "share", "Win rate"},
    [M_CYCLE_DAYS] = {"cycle_days", METRIC_RATIO, D_CYCLE_DAYS, "days",
                      "Sales cycle of won deals"},
    [M_OPS_BACKLOG_HOURS] = {"ops_backlog_hours", METRIC_LEVEL, -1, "hours",
                             "Ops backlog"},
    [M_OPS_BACKLOG_ITEMS] = {"ops_backlog_items", METRIC_LEVEL, -1, "count",
                             "Ops backlog items"},
    [M_ONBOARDING_WAIT_DAYS] = {"onboarding_wait_days", METRIC_RATIO,
                                D_ONBOARDING_WAIT_DAYS, "days",
                                "Onboarding wait"},
    [M_TICKET_WAIT_DAYS] = {"ticket_wait_days", METRIC_RATIO,
                            D_TICKET_WAIT_DAYS, "days", "Ticket wait"},
    [M_ONBOARDING_DAYS] = {"onboarding_days", METRIC_RATIO, D_ONBOARDING_DAYS,
                           "days", "Onboarding time"},
    [M_TICKET_DAYS] = {"ticket_days", METRIC_RATIO, D_TICKET_DAYS, "days",
                       "Ticket resolution time"},
    [M_EXPECTED_DELAY_DAYS] = {"expected_delay_days", METRIC_LEVEL, -1, "days",
                               "Expected onboarding delay"},
    [M_LATE_ITEMS] = {"late_items", METRIC_FLOW, -1, "count", "Items past SLA"},
    [M_CLIENTS_ACTIVE] = {"clients_active", METRIC_LEVEL, -1, "count",
                          "Active clients"},
    [M_CLIENTS_CHURNED] = {"clients_churned", METRIC_FLOW, -1, "count",
                           "Clients churned"},
    [M_REP_HOURS_PROSPECTING] = {"rep_hours_prospecting", METRIC_FLOW, -1,
                                 "hours", "Prospecting"},
    [M_REP_HOURS_SELLING] = {"rep_hours_selling", METRIC_FLOW, -1, "hours",
                             "Selling"},
    [M_REP_HOURS_ADMIN] = {"rep_hours_admin", METRIC_FLOW, -1, "hours",
                           "Admin"},
    [M_REP_HOURS_OPS] = {"rep_hours_ops", METRIC_FLOW, -1, "hours", "Ops work"},
    [M_REP_HOURS_IDLE] = {"rep_hours_idle", METRIC_FLOW, -1, "hours", "Idle"},
    [M_OPS_UTILIZATION] = {"ops_utilization", METRIC_RATIO, D_OPS_UTILIZATION,
                           "share", "Ops utilisation"},
    [M_REPS_ACTIVE] = {"reps_active", METRIC_LEVEL, -1, "count",
                       "Reps employed"},
    [M_OPS_STAFF_ACTIVE] = {"ops_staff_active", METRIC_LEVEL, -1, "count",
                            "Ops staff employed"},
    [M_STAFF_COST] = {"staff_cost", METRIC_FLOW, -1, "$", "Staff cost"},
    [M_LEVER_COST] = {"lever_cost", METRIC_FLOW, -1, "$", "Cost of the levers"},
    [M_COMMISSION] = {"commission", METRIC_FLOW, -1, "$", "Commission"},
    [M_GROSS_PROFIT] = {"gross_profit", METRIC_FLOW, -1, "$",
                        "Gross profit after staff"},
    [M_NET_VALUE] = {"net_value", METRIC_LEVEL, -1, "$",
                     "Net value (cumulative gross profit)"},
    [M_NET_VALUE_NPV] = {"net_value_npv", METRIC_LEVEL, -1, "$",
                         "Net value, present value"},
};

const struct market_info market_table[MARKET_COUNT] = {
    {"accounts_available", R_ACCOUNTS_AVAILABLE, "Accounts available"},
    {"accounts_untouched", R_ACCOUNTS_UNTOUCHED, "Accounts never approached"},
    {"accounts_cooling", R_ACCOUNTS_COOLING, "Accounts cooling"},
};

const int team_metric[TEAM_METRIC_COUNT] = {
    M_REVENUE,
    M_BOOKINGS,
    M_OPPORTUNITIES_CREATED,
    M_DEALS_WON,
    M_DEALS_LOST,
    M_DEALS_WENT_COLD,
    M_PIPELINE_COUNT,
    M_PIPELINE_VALUE,
    M_WIN_RATE,
    M_CYCLE_DAYS,
    M_CLIENTS_ACTIVE,
    M_CLIENTS_CHURNED,
    M_REP_HOURS_PROSPECTING,
    M_REP_HOURS_SELLING,
    M_REP_HOURS_ADMIN,
    M_REP_HOURS_OPS,
    M_REP_HOURS_IDLE,
    M_REPS_ACTIVE,
    M_COMMISSION,
};

int metric_find(const char *name)
{
    for (int m = 0; m < M_COUNT; m++)
        if (strcmp(metric_table[m].name, name) == 0)
            return m;
    return -1;
}

int metric_combine(const double *raw, int w0, int w1, int m, double *out)
{
    const struct metric_info *mi = &metric_table[m];
    if (w1 <= w0)
        return -1;
    if (mi->kind == METRIC_LEVEL) {
        *out = raw[(size_t)(w1 - 1) * RAW_COUNT + (size_t)m];
        return 0;
    }
    double num = 0.0, den = 0.0;
    for (int w = w0; w < w1; w++) {
        num += raw[(size_t)w * RAW_COUNT + (size_t)m];
        if (mi->den >= 0)
            den += raw[(size_t)w * RAW_COUNT + (size_t)mi->den];
    }
    if (mi->kind == METRIC_FLOW) {
        *out = num;
        return 0;
    }
    if (!(den > 0.0))
        return -1;
    *out = num / den;
    return 0;
}
