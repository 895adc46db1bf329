/*
 * test_kpi: the KPI table of `salescap run` (summary.txt) against the
 * CSVs the same run writes: a level KPI is the mean of its weekly.csv
 * column over the reported weeks, a flow per quarter the quarterly.csv
 * total over the quarters, both to the printed digit; a ratio KPI (a
 * mean over replications of each one's ratio) is close to the ratio of
 * the CSVs' means. Runs $SALESCAP (skipped without it) on
 * tests/data/tiny.ini: 8 reps, no attrition, 26 weeks.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "robust_util.h"

#define WEEKS 26
#define REPS  8

/* The sum over rows of the baseline's `metric` of the mean column. */
static double csv_sum(const char *csv, const char *metric)
{
    double sum = 0;
    char key[128];
    ru_fmt(key, sizeof key, ",%s,", metric);
    for (const char *l = csv; l && *l;) {
        const char *nl = strchr(l, '\n');
        if (!strncmp(l, "baseline,", 9)) {
            const char *k = strstr(l, key);
            if (k && (!nl || k < nl))
                sum += strtod(k + strlen(key), NULL);
        }
        l = nl ? nl + 1 : NULL;
    }
    return sum;
}

/* The simulated mean the KPI table prints for kpi ("$28,577" reads as
 * 28577, "17.3 %" as 0.173). */
static double printed(const char *summary, const char *kpi)
{
    char key[128], num[64];
    ru_fmt(key, sizeof key, "\n %s ", kpi);
    const char *l = strstr(summary, key);
    if (!l)
        fail_msg("no KPI row %s", kpi);
    l += strlen(key);
    while (*l == ' ' || *l == '$')
        l++;
    size_t n = 0;
    for (; (*l >= '0' && *l <= '9') || *l == '.' || *l == ','; l++)
        if (*l != ',' && n + 1 < sizeof num)
            num[n++] = *l;
    num[n] = '\0';
    const char *eol = strchr(l, '\n'), *pct = strstr(l, " %");
    double v = strtod(num, NULL);
    return pct && (!eol || pct < eol) ? v / 100 : v;
}

static void close_to(const char *what, double shown, double csv, double tol)
{
    print_message("%-28s table %.6g  csv %.6g\n", what, shown, csv);
    if (!(fabs(shown - csv) <= tol))
        fail_msg("%s: the table shows %.10g, the CSVs give %.10g (within "
                 "%g)",
                 what, shown, csv, tol);
}

static void test_table_against_csv(void **state)
{
    (void)state;
    if (!getenv("SALESCAP"))
        skip();
    char dir[256], path[300];
    ru_mkdtemp(dir, sizeof dir, "kpi");
    const char *args[] = {
        "run", "tests/data/tiny.ini", "-n", "6", "--no-plot", "-q", "-o", dir,
        NULL};
    struct proc r = ru_run(args, 120);
    assert_int_equal(r.status, 0);
    ru_proc_free(&r);
    ru_fmt(path, sizeof path, "%s/summary.txt", dir);
    char *sum = ru_read_file(path, NULL);
    ru_fmt(path, sizeof path, "%s/quarterly.csv", dir);
    char *q = ru_read_file(path, NULL);
    ru_fmt(path, sizeof path, "%s/weekly.csv", dir);
    char *w = ru_read_file(path, NULL);
    assert_non_null(sum);
    assert_non_null(q);
    assert_non_null(w);
    /* Flows and levels: the same numbers, to the printed digit. */
    close_to("bookings_per_quarter", printed(sum, "bookings_per_quarter"),
             csv_sum(q, "bookings") * 13 / WEEKS, 0.5 + 1e-6);
    close_to("opportunities_per_rep_week",
             printed(sum, "opportunities_per_rep_week"),
             csv_sum(q, "opportunities_created") / WEEKS / REPS, 0.005);
    close_to("clients", printed(sum, "clients"),
             csv_sum(w, "clients_active") / WEEKS, 0.5 + 1e-9);
    close_to("ops_backlog_hours", printed(sum, "ops_backlog_hours"),
             csv_sum(w, "ops_backlog_hours") / WEEKS, 0.05 + 1e-9);
    close_to("open_opportunities_per_rep",
             printed(sum, "open_opportunities_per_rep"),
             csv_sum(w, "pipeline_count") / WEEKS / REPS, 0.005);
    /* Ratios: a mean of ratios against the ratio of means. */
    double won = csv_sum(q, "deals_won");
    double closed =
        won + csv_sum(q, "deals_lost") + csv_sum(q, "deals_went_cold");
    double win = won / closed;
    close_to("win_rate", printed(sum, "win_rate"), win, 0.05 * win);
    double value = csv_sum(q, "bookings") / won;
    close_to("deal_value", printed(sum, "deal_value"), value, 0.05 * value);
    double churn = csv_sum(q, "clients_churned") * 52 / WEEKS /
                   (csv_sum(w, "clients_active") / WEEKS);
    close_to("churn_rate", printed(sum, "churn_rate"), churn, 0.1 * churn);
    double util = csv_sum(q, "ops_utilization") / 2;
    close_to("ops_utilization", printed(sum, "ops_utilization"), util, 0.02);
    free(sum);
    free(q);
    free(w);
    ru_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_against_csv),
    };
    return cmocka_run_group_tests_name("kpi", tests, NULL, NULL);
}
