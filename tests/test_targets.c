/*
 * test_targets: the [targets] section (every form a consultant may type,
 * written back by run.ini, the tolerances the identities allow; each bad
 * input's FILE:LINE message is in test_config's table) and the KPIs of one
 * replication (kpi.h). Run from the repository root (make test-run).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "kpi.h"
#include "metrics.h"

#define D "tests/data/"

static int load(const char *path, const char *set, struct config *cfg,
                struct params *p, struct err *e)
{
    memset(cfg, 0, sizeof *cfg);
    memset(p, 0, sizeof *p);
    memset(e, 0, sizeof *e);
    if (config_load(cfg, path, e))
        return -1;
    if (set && config_set(cfg, set, e))
        return -1;
    return config_resolve(cfg, p, e);
}

/* ------------------------------------------------------------ good */

static void test_forms(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    assert_int_equal(load(D "targets.ini", NULL, &cfg, &p, &e), 0);
    const struct target *t = p.targets.kpi;
    assert_true(t[KPI_WIN_RATE].set);
    assert_true(t[KPI_WIN_RATE].value == 0.2);
    assert_true(fabs(t[KPI_WIN_RATE].tol - 0.05) < 1e-15);
    assert_true(t[KPI_WON_CYCLE_DAYS].tol == 10); /* ± 25 % of 40 */
    assert_true(t[KPI_WON_CYCLE_DAYS].tol_pct == 25);
    assert_true(t[KPI_DEAL_VALUE].tol == 3000); /* the default 10 % */
    assert_false(t[KPI_DEAL_VALUE].tol_given);
    assert_true(t[KPI_CLIENTS].tol == 20); /* +/- */
    assert_true(t[KPI_CHURN_RATE].set && t[KPI_CHURN_RATE].value == 0);
    assert_false(t[KPI_OPS_UTILIZATION].set); /* none */
    assert_false(t[KPI_ONBOARDING_DAYS].set); /* not written */
    params_destroy(&p);
    config_destroy(&cfg);
    /* --set takes the same forms, and none removes a target. */
    assert_int_equal(
        load(D "targets.ini", "targets.win_rate=none", &cfg, &p, &e), 0);
    assert_false(p.targets.kpi[KPI_WIN_RATE].set);
    params_destroy(&p);
    config_destroy(&cfg);
}

/* Every KPI is a key of [targets], by its kpi_table name. */
static void test_every_kpi_is_a_key(void **state)
{
    (void)state;
    for (int k = 0; k < KPI_COUNT; k++) {
        char set[128];
        struct config cfg;
        struct params p;
        struct err e;
        snprintf(set, sizeof set, "targets.%s=0.5 +- 0.1", kpi_table[k].name);
        if (load(D "tiny.ini", set, &cfg, &p, &e) != 0)
            fail_msg("%s: %s", kpi_table[k].name, e.msg);
        for (int j = 0; j < KPI_COUNT; j++)
            assert_int_equal(p.targets.kpi[j].set, j == k);
        assert_int_equal(kpi_find(kpi_table[k].name), k);
        params_destroy(&p);
        config_destroy(&cfg);
    }
    assert_int_equal(kpi_find("win_rat"), -1);
}

/* run.ini writes the targets back in a form that reads as the same. */
static void test_round_trip(void **state)
{
    (void)state;
    struct config cfg, cfg2;
    struct params p, p2;
    struct err e;
    assert_int_equal(load(D "targets.ini", NULL, &cfg, &p, &e), 0);
    char path[] = "/tmp/salescap_targets_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_int_equal(config_write(f, &cfg, &p, 0), 0);
    fclose(f);
    if (load(path, NULL, &cfg2, &p2, &e) != 0)
        fail_msg("%s", e.msg);
    for (int k = 0; k < KPI_COUNT; k++) {
        const struct target *a = &p.targets.kpi[k], *b = &p2.targets.kpi[k];
        assert_int_equal(a->set, b->set);
        assert_true(a->value == b->value && a->tol == b->tol);
        assert_true(a->tol_pct == b->tol_pct);
    }
    unlink(path);
    params_destroy(&p);
    params_destroy(&p2);
    config_destroy(&cfg);
    config_destroy(&cfg2);
}

/* ------------------------------------------------------------ bad */

/* The same targets within their tolerances of Little's law pass: the
 * check refuses only what no value inside the tolerances satisfies. */
static void test_little_within_tolerance(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    /* At most 0.65 x 104.5 / 7 = 9.7: 22 - 13 reaches it. */
    int rc = load(D "bad_targets_little.ini",
                  "targets.open_opportunities_per_rep=22 +- 13", &cfg, &p, &e);
    if (rc)
        print_error("%s\n", e.msg);
    assert_int_equal(rc, 0);
    params_destroy(&p);
    config_destroy(&cfg);
    /* Below the won deals' own share: 0.55 x 0.2 x 85.5 / 7 = 1.34. */
    rc = load(D "bad_targets_little.ini",
              "targets.open_opportunities_per_rep=1 +- 0.2", &cfg, &p, &e);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(e.msg, "so a rep holds 1.34 to 9.7 open"));
    config_destroy(&cfg);
}

/* ------------------------------------------------------------ kpis */

/* Three weeks of a made-up replication with known KPIs. */
static void test_kpi_compute(void **state)
{
    (void)state;
    double raw[3 * RAW_COUNT] = {0};
    for (int w = 0; w < 3; w++) {
        double *r = raw + w * RAW_COUNT;
        r[M_REPS_ACTIVE] = w == 2 ? 2 : 4;  /* 10 rep-weeks */
        r[M_PIPELINE_COUNT] = 10 * (w + 1); /* 60 */
        r[M_OPPORTUNITIES_CREATED] = 5;     /* 15 */
        r[M_DEALS_WON] = w == 1 ? 2 : 0;
        r[M_BOOKINGS] = w == 1 ? 50000 : 0;
        r[M_WIN_RATE] = w == 1 ? 2 : 0;
        r[D_WIN_RATE] = 4; /* 2 of 12 */
        r[M_CYCLE_DAYS] = w == 1 ? 90 : 0;
        r[D_CYCLE_DAYS] = w == 1 ? 2 : 0;
        r[M_CLIENTS_ACTIVE] = 100 + w; /* mean 101 */
        r[M_CLIENTS_CHURNED] = w == 0 ? 1 : 0;
        r[M_OPS_BACKLOG_HOURS] = 3 * w; /* mean 3 */
        r[M_OPS_UTILIZATION] = 30;
        r[D_OPS_UTILIZATION] = 40;
    }
    double v[KPI_COUNT];
    unsigned char ok[KPI_COUNT];
    kpi_compute(raw, 3, v, ok);
    assert_true(ok[KPI_WIN_RATE] && fabs(v[KPI_WIN_RATE] - 2.0 / 12) < 1e-15);
    assert_true(v[KPI_WON_CYCLE_DAYS] == 45);
    assert_true(v[KPI_OPEN_OPPORTUNITIES_PER_REP] == 6);
    assert_true(v[KPI_OPPORTUNITIES_PER_REP_WEEK] == 1.5);
    assert_true(v[KPI_DEAL_VALUE] == 25000);
    assert_true(fabs(v[KPI_BOOKINGS_PER_QUARTER] - 50000 * 13.0 / 3) < 1e-9);
    assert_true(v[KPI_CLIENTS] == 101);
    assert_true(fabs(v[KPI_CHURN_RATE] - (1 * 52.0 / 3) / 101) < 1e-12);
    assert_true(v[KPI_OPS_BACKLOG_HOURS] == 3);
    assert_true(v[KPI_OPS_UTILIZATION] == 0.75);
    /* No onboarding started or finished: undefined, not 0/0. */
    assert_false(ok[KPI_ONBOARDING_WAIT_DAYS]);
    assert_false(ok[KPI_ONBOARDING_DAYS]);
    assert_true(v[KPI_ONBOARDING_DAYS] == 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forms),
        cmocka_unit_test(test_every_kpi_is_a_key),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_little_within_tolerance),
        cmocka_unit_test(test_kpi_compute),
    };
    return cmocka_run_group_tests_name("targets", tests, NULL, NULL);
}
