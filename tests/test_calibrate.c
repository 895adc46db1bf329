/*
 * test_calibrate: calibrate's pieces (free keys and their bounds, the
 * objective), the fit itself (it recovers known parameters from targets
 * they produced, starting from perturbed ones), and the command end to
 * end: FITTED.ini reads back as the fitted model, and every bad input is
 * refused with status 2 before any simulation, writing nothing.
 * Run from the repository root (make test-run).
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

#include "calib.h"
#include "config.h"
#include "robust_util.h"
#include "run.h"

#define D "tests/data/"

static void load(const char *path, struct config *cfg, struct params *p)
{
    struct err e = {0};
    memset(cfg, 0, sizeof *cfg);
    memset(p, 0, sizeof *p);
    if (config_load(cfg, path, &e) || config_resolve(cfg, p, &e))
        fail_msg("%s: %s", path, e.msg);
}

/* ------------------------------------------------------------ pieces */

static void test_parse_free(void **state)
{
    (void)state;
    struct calib_free *f = NULL;
    size_t n = 0;
    struct err e = {0};
    assert_int_equal(calib_parse_free("sales.opportunities_per_week,"
                                      "stage.qualify.advance=0.3:0.9",
                                      &f, &n, &e),
                     0);
    assert_int_equal(calib_parse_free("clients.renewal_rate", &f, &n, &e), 0);
    assert_int_equal(n, 3);
    assert_string_equal(f[0].section, "sales");
    assert_string_equal(f[0].key, "opportunities_per_week");
    assert_false(f[0].has_bounds);
    assert_string_equal(f[1].section, "stage.qualify");
    assert_string_equal(f[1].key, "advance");
    assert_true(f[1].has_bounds && f[1].lo == 0.3 && f[1].hi == 0.9);
    assert_string_equal(f[2].section, "clients");
    calib_free_destroy(f, n);
    const char *bad[][2] = {
        {"reps", "--free 'reps': expected SECTION.KEY, as in "
                 "sales.opportunities_per_week or stage.qualify.advance"},
        {"sales.reps=1", "--free sales.reps=1: expected bounds LO:HI, as in "
                         "=0.3:1.2"},
        {"sales.x=a:b", "--free sales.x=a:b: expected bounds LO:HI, as in "
                        "=0.3:1.2"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f = NULL;
        n = 0;
        memset(&e, 0, sizeof e);
        assert_int_equal(calib_parse_free(bad[i][0], &f, &n, &e), -1);
        assert_string_equal(e.msg, bad[i][1]);
        calib_free_destroy(f, n);
    }
}

/* Bounds default to the key's range within a factor of 4 of its value;
 * given ones must lie in the range; only number keys of the model. */
static void test_prepare(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    load(D "calibrate.ini", &cfg, &p);
    struct calib_free *f = NULL;
    size_t n = 0;
    struct err e = {0};
    assert_int_equal(calib_parse_free("sales.opportunities_per_week,"
                                      "clients.renewal_rate,"
                                      "stage.qualify.advance=0.2:0.9",
                                      &f, &n, &e),
                     0);
    assert_int_equal(calib_prepare(&p, f, n, &e), 0);
    assert_true(f[0].start == 0.3 && f[0].lo == 0.075 && f[0].hi == 1.2);
    assert_true(f[1].start == 0.85 && fabs(f[1].lo - 0.2125) < 1e-12 &&
                f[1].hi == 1);
    assert_true(f[2].lo == 0.2 && f[2].hi == 0.9);
    calib_free_destroy(f, n);
    const char *bad[][2] = {
        {"sales.reps", "--free sales.reps: [sales] reps is a whole number; "
                       "calibrate fits numbers that may take any value (try "
                       "each count with --set, or sweep it)"},
        {"sales.deal_value", "--free sales.deal_value: [sales] deal_value is "
                             "a distribution; calibrate fits number keys"},
        {"simulation.warmup_weeks",
         "--free simulation.warmup_weeks: [simulation] holds nothing to fit: "
         "free keys are numbers of [sales], [stage.NAME], [operations], "
         "[support], [clients] or [market]"},
        {"sales.rpes", "--free sales.rpes: [sales] has no key 'rpes'"},
        {"stage.qualifiy.advance",
         "--free stage.qualifiy.advance: the model has no [stage.qualifiy]"},
        {"clients.renewal_rate=0.5:1.5",
         "--free clients.renewal_rate=0.5:1.5: the bounds must lie in the "
         "key's range, [0, 1]"},
        {"sales.hours_per_week=0:50",
         "--free sales.hours_per_week=0:50: the bounds must lie in the key's "
         "range, (0, 168]"},
        {"sales.admin_share=0.4:0.2",
         "--free sales.admin_share=0.4:0.2: the lower bound must be below "
         "the upper"},
        {"sales.attrition_per_year",
         "--free sales.attrition_per_year: its value is 0; give bounds it "
         "may take, as in sales.attrition_per_year=LO:HI"},
        {"sales.admin_share,sales.admin_share",
         "--free sales.admin_share: named twice"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        f = NULL;
        n = 0;
        memset(&e, 0, sizeof e);
        assert_int_equal(calib_parse_free(bad[i][0], &f, &n, &e), 0);
        int rc = calib_prepare(&p, f, n, &e);
        if (rc == 0 || strncmp(e.msg, bad[i][1], strlen(bad[i][1])))
            fail_msg("%s\n  got:  %s\n  want: %s", bad[i][0], e.msg, bad[i][1]);
        calib_free_destroy(f, n);
    }
    params_destroy(&p);
    config_destroy(&cfg);
}

/* A miss by one tolerance costs 1; an undefined KPI costs a lot. */
static void test_objective(void **state)
{
    (void)state;
    struct targets_params t = {0};
    struct acc kpi[KPI_COUNT] = {{0}};
    t.kpi[KPI_WIN_RATE] = (struct target){.set = 1, .value = 0.2, .tol = 0.02};
    t.kpi[KPI_CLIENTS] = (struct target){.set = 1, .value = 300, .tol = 30};
    acc_add(&kpi[KPI_WIN_RATE], 0.24);  /* two tolerances: 4 */
    acc_add(&kpi[KPI_CLIENTS], 270);    /* one: 1 */
    acc_add(&kpi[KPI_DEAL_VALUE], 1e9); /* no target: nothing */
    assert_true(fabs(calib_objective(&t, kpi) - 5) < 1e-9);
    t.kpi[KPI_ONBOARDING_DAYS] =
        (struct target){.set = 1, .value = 9, .tol = 1};
    assert_true(fabs(calib_objective(&t, kpi) - 5 - CALIB_UNDEFINED) < 1e-6);
}

/* ------------------------------------------------------------ the fit */

/* Targets from the model at known values, the model perturbed, the fit
 * from there: it finds the known values again. The same seed and
 * replications as the targets' simulation: at the known values every
 * target is met exactly. */
static void test_recovers_known_parameters(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e = {0};
    load(D "calibrate.ini", &cfg, &p);
    params_destroy(&p);
    assert_int_equal(config_set(&cfg, "sales.opportunities_per_week=0.6", &e),
                     0);
    assert_int_equal(config_set(&cfg, "stage.negotiation.advance=0.8", &e), 0);
    assert_int_equal(config_resolve(&cfg, &p, &e), 0);
    p.n_scenarios = 0;
    struct run_opts ro = {.jobs = 2, .replications = 6};
    struct run_result r = {0};
    assert_int_equal(run_simulate(&p, &ro, &r, &e), 0);
    char v[128];
    snprintf(v, sizeof v, "targets.opportunities_per_rep_week=%.17g +- 2%%",
             r.kpi[KPI_OPPORTUNITIES_PER_REP_WEEK].mean);
    assert_int_equal(config_set(&cfg, v, &e), 0);
    snprintf(v, sizeof v, "targets.win_rate=%.17g +- 0.01",
             r.kpi[KPI_WIN_RATE].mean);
    assert_int_equal(config_set(&cfg, v, &e), 0);
    run_result_destroy(&r);
    p.n_scenarios = 2;
    params_destroy(&p);
    /* Perturbed. */
    assert_int_equal(config_set(&cfg, "sales.opportunities_per_week=0.42", &e),
                     0);
    assert_int_equal(config_set(&cfg, "stage.negotiation.advance=0.62", &e), 0);
    assert_int_equal(config_resolve(&cfg, &p, &e), 0);
    struct calib_free *f = NULL;
    size_t n = 0;
    assert_int_equal(calib_parse_free("sales.opportunities_per_week=0.2:1.2,"
                                      "stage.negotiation.advance=0.3:1",
                                      &f, &n, &e),
                     0);
    assert_int_equal(calib_prepare(&p, f, n, &e), 0);
    struct calib_opts o = {.replications = 6, .jobs = 2, .max_iter = 200};
    struct calib_result res;
    if (calib_run(&cfg, f, n, &o, &res, &e))
        fail_msg("%s", e.msg);
    print_message("fitted %.6g and %.6g in %d simulations, objective %g "
                  "-> %g\n",
                  f[0].fitted, f[1].fitted, res.evaluations, res.f_start,
                  res.f_fit);
    assert_true(res.f_start > 10);
    assert_true(res.f_fit < 1);
    assert_true(fabs(f[0].fitted - 0.6) < 0.6 * 0.03);
    assert_true(fabs(f[1].fitted - 0.8) < 0.05);
    /* cfg now holds the fitted values, as written. */
    const struct config_entry *en =
        config_find(&cfg, "sales", "opportunities_per_week");
    char w[64];
    calib_format(f[0].fitted, w, sizeof w);
    assert_string_equal(en->value, w);
    calib_free_destroy(f, n);
    params_destroy(&p);
    config_destroy(&cfg);
}

/* ------------------------------------------------------------ command */

static void need_binary(void)
{
    if (!getenv("SALESCAP"))
        skip();
}

static struct proc run(const char *const *args)
{
    return ru_run(args, 120.0);
}

/* FITTED.ini includes the file and overrides the fitted key, with a
 * comment; it reads back as a model with the fitted value and the file's
 * targets, which the fitted KPIs meet. */
static void test_command(void **state)
{
    (void)state;
    need_binary();
    char dir[256], out[300];
    ru_mkdtemp(dir, sizeof dir, "calibrate");
    ru_fmt(out, sizeof out, "%s/fitted.ini", dir);
    const char *args[] = {"calibrate",  D "calibrate.ini",
                          "--free",     "sales.opportunities_per_week",
                          "-n",         "3",
                          "--max-iter", "40",
                          "-o",         out,
                          NULL};
    struct proc r = run(args);
    if (r.status != 0)
        print_error("stderr: %s\n", r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "salescap: calibrated " D "calibrate.ini: "));
    assert_non_null(strstr(r.out, "\n sales.opportunities_per_week "));
    assert_non_null(strstr(r.out, "\nTargets: 1 of 1 within tolerance.\n"));
    char *text = ru_read_file(out, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "\ninclude = "));
    assert_non_null(strstr(text, "tests/data/calibrate.ini\n"));
    assert_non_null(strstr(text, "\n[sales]\n; sales.opportunities_per_week "
                                 "fitted in [0.075, 1.2]; was 0.3 "
                                 "(" D "calibrate.ini:7)\n"
                                 "opportunities_per_week = "));
    free(text);
    struct config cfg;
    struct params p;
    load(out, &cfg, &p);
    assert_true(fabs(p.sales.opportunities_per_week - 0.6) < 0.1);
    assert_true(p.targets.kpi[KPI_OPPORTUNITIES_PER_REP_WEEK].set);
    assert_int_equal(p.n_scenarios, 2); /* tiny.ini's, kept */
    params_destroy(&p);
    config_destroy(&cfg);
    ru_proc_free(&r);
    ru_rmdir(dir);
}

/* A stage of the built-in pipeline: FITTED.ini writes every stage, so
 * the pipeline keeps its four. */
static void test_builtin_stages(void **state)
{
    (void)state;
    need_binary();
    char dir[256], out[300];
    ru_mkdtemp(dir, sizeof dir, "calibrate");
    ru_fmt(out, sizeof out, "%s/fitted.ini", dir);
    const char *args[] = {"calibrate",  D "calibrate_builtin.ini",
                          "--free",     "stage.negotiation.advance=0.3:1",
                          "--max-iter", "10",
                          "-q",         "-o",
                          out,          NULL};
    struct proc r = run(args);
    if (r.status != 0)
        print_error("stderr: %s\n", r.err);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "");
    struct config cfg;
    struct params p;
    load(out, &cfg, &p);
    assert_int_equal(p.n_stages, 4);
    assert_string_equal(p.stages[0].name, "qualify");
    assert_true(p.stages[0].advance == 0.6);
    assert_string_equal(p.stages[3].name, "negotiation");
    assert_true(p.stages[3].advance != 0.8);
    params_destroy(&p);
    config_destroy(&cfg);
    ru_proc_free(&r);
    ru_rmdir(dir);
}

/* Refused before any simulation, status 2, nothing written. */
static void test_refusals(void **state)
{
    (void)state;
    need_binary();
    char dir[256], out[300];
    ru_mkdtemp(dir, sizeof dir, "calibrate");
    ru_fmt(out, sizeof out, "%s/fitted.ini", dir);
    struct {
        const char *file, *free, *out, *err;
    } cases[] = {
        {D "tiny.ini", "sales.opportunities_per_week", out,
         "salescap: " D "tiny.ini: no [targets]: nothing to fit"},
        {D "bad_targets_little.ini", "sales.opportunities_per_week", out,
         "salescap: " D "bad_targets_little.ini:7: [targets] "
         "open_opportunities_per_rep = 22 contradicts Little's law"},
        {D "calibrate.ini", "sales.reps", out,
         "salescap: " D "calibrate.ini: --free sales.reps: [sales] reps is "
         "a whole number"},
        {D "calibrate.ini", "clients.renewal_rate=0.5:1.5", out,
         "salescap: " D "calibrate.ini: --free clients.renewal_rate=0.5:1.5: "
         "the bounds must lie in the key's range, [0, 1]\n"},
        {D "calibrate.ini", "sales.opportunities_per_week", D "calibrate.ini",
         "salescap: -o " D "calibrate.ini: the fitted model would replace "},
        {D "calibrate.ini", "sales.opportunities_per_week", NULL,
         "salescap: calibrate: -o FITTED.ini is required"},
        {D "calibrate.ini", NULL, out,
         "salescap: calibrate: name the keys to fit with --free"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *args[10] = {"calibrate", cases[i].file};
        int k = 2;
        if (cases[i].free) {
            args[k++] = "--free";
            args[k++] = cases[i].free;
        }
        if (cases[i].out) {
            args[k++] = "-o";
            args[k++] = cases[i].out;
        }
        struct proc r = run(args);
        if (r.status != 2 || strncmp(r.err, cases[i].err, strlen(cases[i].err)))
            fail_msg("case %zu: status %d\n  got:  %s  want: %s", i, r.status,
                     r.err, cases[i].err);
        assert_string_equal(r.out, "");
        ru_proc_free(&r);
        assert_int_equal(ru_count_files(dir, NULL), 0);
    }
    ru_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_free),
        cmocka_unit_test(test_prepare),
        cmocka_unit_test(test_objective),
        cmocka_unit_test(test_recovers_known_parameters),
        cmocka_unit_test(test_command),
        cmocka_unit_test(test_builtin_stages),
        cmocka_unit_test(test_refusals),
    };
    return cmocka_run_group_tests_name("calibrate", tests, NULL, NULL);
}
