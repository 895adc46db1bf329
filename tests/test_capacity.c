/*
 * test_capacity: the analytic model (capacity.h) piece by piece against
 * known answers (Erlang C, Allen-Cunneen, the renewal of seats, one
 * rep's queue), and as a whole against the simulation: on every scenario
 * file of scenarios/ (and the consultant's brief of tests/data), the
 * table `salescap check` prints must hold to the simulated baseline's
 * KPIs within the tolerances capacity.h states, and must never call a
 * queue unstable that the simulation shows stable.
 *
 * CAPACITY_VERBOSE=1 prints the comparison. Run from the repository root.
 */
#include <dirent.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capacity.h"
#include "config.h"
#include "run.h"

/* ------------------------------------------------------------ pieces */

/* Erlang C against values computed by hand (and by any queueing
 * table): M/M/1 waits with probability rho; M/M/2 at rho = 0.5 with
 * 1/3; M/M/4 at 0.85 with 0.6893. */
static void test_erlang_c(void **state)
{
    (void)state;
    assert_true(fabs(capacity_erlang_c(1, 0.7) - 0.7) < 1e-12);
    assert_true(fabs(capacity_erlang_c(2, 0.5) - 1.0 / 3) < 1e-12);
    assert_true(fabs(capacity_erlang_c(4, 0.85) - 0.6893162) < 1e-6);
    assert_true(capacity_erlang_c(4, 0) == 0);
    assert_true(capacity_erlang_c(4, 1) == 1);
    /* A fraction of a server lies between its whole neighbours at the
     * same offered load: 3.5 servers at 0.8 carry 2.8 servers' work. */
    double a = capacity_erlang_c(3, 2.8 / 3), b = capacity_erlang_c(4, 0.7);
    double m = capacity_erlang_c(3.5, 0.8);
    assert_true(m < a && m > b);
    /* Many servers: Halfin-Whitt, close to the exact value at 400. */
    assert_true(fabs(capacity_erlang_c(401, 0.95) -
                     capacity_erlang_c(400, 0.95)) < 0.02);
}

/* Allen-Cunneen is exact for M/M/c (cs2 = 1) and halves the wait for a
 * fixed service time in M/D/1 (Pollaczek-Khinchine). */
static void test_wait(void **state)
{
    (void)state;
    /* M/M/1: Wq = rho / (1 - rho) s. */
    assert_true(fabs(capacity_wait(1, 0.8, 2, 1) - 8) < 1e-12);
    /* M/D/1: half of it. */
    assert_true(fabs(capacity_wait(1, 0.8, 2, 0) - 4) < 1e-12);
    /* M/M/2 at 0.5: C / (c mu (1 - rho)) = (1/3) / (2 * 0.5) s. */
    assert_true(fabs(capacity_wait(2, 0.5, 3, 1) - 1) < 1e-12);
}

/* Seats: without attrition always full; with it, the filled share falls
 * from 1 toward held / (held + vacancy), and the productive share lags
 * it by the ramp. */
static void test_seats(void **state)
{
    (void)state;
    struct role_params r = {.count = 10,
                            .hours_per_week = 40,
                            .ramp_weeks = 20,
                            .ramp_start = 0.2,
                            .attrition_per_year = 0.5,
                            .backfill_weeks = 8};
    enum { N = 2000 };
    static double f[N], pr[N];
    assert_int_equal(capacity_seats(&r, N, f, pr), 0);
    assert_true(f[0] == 1 && pr[0] == 1);
    double q = exp(-0.5 / 52), held = 1 / (1 - q);
    double ss = held / (held + 8);
    assert_true(fabs(f[N - 1] - ss) < 1e-6);
    for (int t = 0; t < N; t++)
        assert_true(pr[t] <= f[t] + 1e-12);
    /* The first vacancy can start after one week: by week 9 someone may
     * have left, by week 8 nobody has been replaced. */
    assert_true(f[1] < 1);
    assert_true(pr[8] == f[8]);
    assert_true(pr[9] < f[9]);
}

/* One rep with nobody waiting wins the product of the stage odds and
 * takes the sum of the stages' times; a loaded rep loses deals to going
 * cold and takes longer. */
static void test_rep(void **state)
{
    (void)state;
    struct config cfg = {0};
    struct params p = {0};
    struct err e = {0};
    assert_int_equal(config_load(&cfg, "scenarios/model.ini", &e), 0);
    assert_int_equal(config_resolve(&cfg, &p, &e), 0);
    struct capacity_rep idle, busy;
    capacity_rep(&p, 1e-9, 2.25, 1.0, 1.0, &idle);
    double odds = 0.6 * 0.7 * 0.65 * 0.8;
    assert_true(fabs(idle.win - odds) < 1e-6);
    assert_true(idle.cold < 1e-6);
    /* work 2+6+12+6 = 26 h at 2.25 h/day, buyer 5+10+14+14 days. */
    assert_true(fabs(idle.cycle_days - (26 / 2.25 + 43)) < 1e-3);
    capacity_rep(&p, 0.5, 2.25, 1.0, 1.0, &busy);
    assert_true(busy.cold > 0.05);
    assert_true(busy.win < odds);
    assert_true(busy.busy > 0.3 && busy.busy < 1);
    assert_true(busy.cycle_days > idle.cycle_days);
    /* Work conservation: busy share = served work / capacity (up to the
     * grid's trapezoid rule). */
    print_message("busy %.6f, served work %.6f\n", busy.busy,
                  0.5 * busy.work_hours / 2.25);
    assert_true(fabs(busy.busy - 0.5 * busy.work_hours / 2.25) < 0.02);
    params_destroy(&p);
    config_destroy(&cfg);
}

/* ------------------------------------------------------------ whole */

#define REPLICATIONS 24

struct tol {
    int kpi;
    double rel, abs;
};

/* The tolerances of capacity.h, per KPI. */
static const struct tol tols[] = {
    {KPI_WIN_RATE, CAPACITY_TOL_REL, 0},
    {KPI_WON_CYCLE_DAYS, CAPACITY_TOL_REL, 0},
    {KPI_OPEN_OPPORTUNITIES_PER_REP, CAPACITY_TOL_REL, 0},
    {KPI_OPPORTUNITIES_PER_REP_WEEK, CAPACITY_TOL_REL, 0},
    {KPI_DEAL_VALUE, CAPACITY_TOL_REL, 0},
    {KPI_BOOKINGS_PER_QUARTER, CAPACITY_TOL_REL, 0},
    {KPI_ONBOARDING_WAIT_DAYS, CAPACITY_TOL_WAIT, CAPACITY_TOL_WAIT_ABS},
    {KPI_OPS_BACKLOG_HOURS, CAPACITY_TOL_WAIT, CAPACITY_TOL_WAIT_ABS},
    {KPI_CLIENTS, CAPACITY_TOL_REL, 0},
    {KPI_CHURN_RATE, 0, CAPACITY_TOL_SHARE},
    {KPI_ONBOARDING_DAYS, CAPACITY_TOL_WAIT, CAPACITY_TOL_WAIT_ABS},
    {KPI_OPS_UTILIZATION, 0, CAPACITY_TOL_SHARE},
};

/* A finite market (scenarios/market.ini): the table's KPIs assume an
 * unlimited one and check says so; its estimate of the long run,
 * market_opps_ss, must hold to the opportunities the simulation creates
 * in its last quarter within CAPACITY_TOL_REL (beyond the simulation's
 * own interval). A file whose market is still far from its long run at
 * the horizon would not pass: its scenario files start near it. */
static int compare_market(const char *path, const struct capacity *c,
                          const struct run_result *r, int verbose)
{
    int q = r->quarters - 1, w0, w1;
    run_quarter_weeks(q, r->weeks, &w0, &w1);
    struct summary s;
    acc_summary(run_quarterly(r, 0, q, M_OPPORTUNITIES_CREATED), &s);
    double sim = s.mean / (w1 - w0), hw = (s.hi - s.lo) / 2 / (w1 - w0);
    int ok = fabs(c->market_opps_ss - sim) <= CAPACITY_TOL_REL * sim + hw;
    if (verbose || !ok)
        print_message("%-40s %-28s analytic %12.5g  simulated %12.5g "
                      "± %.3g %s\n",
                      path, "market opportunities/week", c->market_opps_ss, sim,
                      hw, ok ? "" : "OUT OF TOLERANCE");
    return !ok;
}

/* Simulates the baseline of path (its scenarios dropped) and compares.
 * Returns the number of KPIs out of tolerance. */
static int compare_file(const char *path, int verbose)
{
    struct config cfg = {0};
    struct params p = {0};
    struct err e = {0};
    if (config_load(&cfg, path, &e) || config_resolve(&cfg, &p, &e))
        fail_msg("%s: %s", path, e.msg);
    struct capacity c;
    assert_int_equal(capacity_compute(&p, &c, &e), 0);
    size_t ns = p.n_scenarios;
    p.n_scenarios = 0; /* the baseline alone */
    p.sim.replications = REPLICATIONS;
    struct run_opts o = {.jobs = 2, .replications = REPLICATIONS};
    struct run_result r = {0};
    if (run_simulate(&p, &o, &r, &e))
        fail_msg("%s: %s", path, e.msg);
    p.n_scenarios = ns;
    int bad = 0;
    if (p.market.accounts > 0) {
        bad = compare_market(path, &c, &r, verbose);
        goto out;
    }
    double sim_util = r.kpi[KPI_OPS_UTILIZATION].mean;
    for (size_t i = 0; i < sizeof tols / sizeof tols[0]; i++) {
        struct summary s;
        acc_summary(&r.kpi[tols[i].kpi], &s);
        double a = c.kpi[tols[i].kpi];
        double slack = fmax(tols[i].rel * fabs(s.mean), tols[i].abs);
        /* The simulation's own noise is no fault of the formula. */
        double hw = s.has_ci ? (s.hi - s.lo) / 2 : 0;
        slack += hw;
        int ok = s.n == 0 || fabs(a - s.mean) <= slack;
        /* Near saturation waits and backlog are a lower bound. */
        if (tols[i].rel == CAPACITY_TOL_WAIT &&
            sim_util >= CAPACITY_WAIT_UTIL_MAX)
            ok = s.n == 0 || a <= s.mean + hw;
        bad += !ok;
        if (verbose || !ok)
            print_message("%-40s %-28s analytic %12.5g  simulated %12.5g "
                          "± %.3g %s\n",
                          path, kpi_table[tols[i].kpi].name, a, s.mean,
                          s.has_ci ? (s.hi - s.lo) / 2 : 0,
                          ok ? "" : "OUT OF TOLERANCE");
    }
    /* Never unstable where the simulation is stable: the simulated
     * backlog in the last quarter is no bigger than twice the first's. */
    int q = r.quarters - 1;
    double first = run_quarterly(&r, 0, 0, M_OPS_BACKLOG_HOURS)->mean;
    double last = run_quarterly(&r, 0, q, M_OPS_BACKLOG_HOURS)->mean;
    double util = run_quarterly(&r, 0, q, M_OPS_UTILIZATION)->mean;
    int sim_stable = util < 0.995 && last <= 2 * first + 100;
    if (sim_stable && !c.ops_ss_stable) {
        print_message("%s: check calls ops unstable (%.1f %%), the "
                      "simulation runs at %.1f %%\n",
                      path, 100 * c.ops_ss_util, 100 * util);
        bad++;
    }
out:
    run_result_destroy(&r);
    params_destroy(&p);
    config_destroy(&cfg);
    return bad;
}

static int ini_name(const struct dirent *d)
{
    size_t n = strlen(d->d_name);
    return n > 4 && !strcmp(d->d_name + n - 4, ".ini");
}

static void test_agrees_with_simulation(void **state)
{
    (void)state;
    const char *v = getenv("CAPACITY_VERBOSE");
    int verbose = v && *v == '1', bad = 0;
    struct dirent **list;
    int n = scandir("scenarios", &list, ini_name, alphasort);
    assert_true(n > 5);
    for (int i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "scenarios/%s", list[i]->d_name);
        bad += compare_file(path, verbose);
        free(list[i]);
    }
    free(list);
    bad += compare_file("tests/data/brief.ini", verbose);
    assert_int_equal(bad, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erlang_c),
        cmocka_unit_test(test_wait),
        cmocka_unit_test(test_seats),
        cmocka_unit_test(test_rep),
        cmocka_unit_test(test_agrees_with_simulation),
    };
    return cmocka_run_group_tests_name("capacity", tests, NULL, NULL);
}
