/*
 * test_empirical_file: the empirical_file(PATH[, COLUMN]) distribution
 * through the config loader: paths relative to the scenario file (and to
 * the current folder for --set), any number of values, the absolute path
 * in run.ini so that it reads back from any folder, and every error with
 * its exact message. Run from the repository root (make test-run).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"
#include "rng.h"

#define D "tests/data/"
#define SIG "[sales] deal_value: empirical_file(PATH[, COLUMN]): "

struct bad_case {
    const char *file;
    const char *msg;
};

static const struct bad_case bad_cases[] = {
    {"bad_empirical_file_missing.ini",
     D "bad_empirical_file_missing.ini:2: " SIG "cannot open '" D
       "no_such_values.csv': No such file or directory"},
    {"bad_empirical_file_dir.ini",
     D "bad_empirical_file_dir.ini:2: " SIG "cannot open '" D
       ".': is a directory"},
    {"bad_empirical_file_column.ini",
     D "bad_empirical_file_column.ini:2: " SIG "no column 'amout' in " D
       "values_deals.csv; it has: id, amount, owner"},
    {"bad_empirical_file_columns.ini",
     D "bad_empirical_file_columns.ini:2: " SIG D "values_deals.csv has 3 "
       "columns (id, amount, owner): name one, as in empirical_file(PATH, "
       "id)"},
    {"bad_empirical_file_number.ini",
     D "bad_empirical_file_number.ini:2: " SIG D "values_bad_number.csv:3: "
       "expected a number in column 'amount', got 'abc'"},
    {"bad_empirical_file_negative.ini",
     D "bad_empirical_file_negative.ini:2: " SIG D "values_negative.csv:3: "
       "value must be >= 0, got -5"},
    {"bad_empirical_file_empty.ini",
     D "bad_empirical_file_empty.ini:2: " SIG D "values_empty.csv: needs at "
       "least one value"},
    {"bad_empirical_file_nopath.ini",
     D "bad_empirical_file_nopath.ini:2: " SIG "needs the path of a CSV "
       "file"},
};

#define N_BAD (sizeof bad_cases / sizeof bad_cases[0])

static int load_resolve(const char *path, const char *set, struct config *cfg,
                        struct params *p, struct err *e)
{
    memset(cfg, 0, sizeof *cfg);
    memset(p, 0, sizeof *p);
    err_clear(e);
    if (config_load(cfg, path, e))
        return -1;
    if (set && config_set(cfg, set, e))
        return -1;
    return config_resolve(cfg, p, e);
}

static void test_bad_file(void **state)
{
    const struct bad_case *bc = *state;
    char path[256];
    struct config cfg;
    struct params p;
    struct err e;
    snprintf(path, sizeof path, D "%s", bc->file);
    int rc = load_resolve(path, NULL, &cfg, &p, &e);
    if (rc == 0 || strcmp(e.msg, bc->msg))
        print_error("file %s\n  got:  %s\n  want: %s\n", bc->file, e.msg,
                    bc->msg);
    assert_int_equal(rc, -1);
    assert_int_equal(e.kind, ERR_CONFIG);
    assert_string_equal(e.msg, bc->msg);
    config_destroy(&cfg);
    params_destroy(&p);
}

/* The values of deal_value and of the stage's buyer_days as read. */
static void check_values(const struct params *p)
{
    const struct dist *dv = &p->sales.deal_value;
    assert_int_equal(dv->kind, DIST_EMPIRICAL_FILE);
    assert_int_equal(dv->n, 4);
    const double want[] = {12000, 30000.5, 45000, 8000};
    for (size_t i = 0; i < 4; i++)
        assert_true(dist_values(dv)[i] == want[i]);
    assert_true(dist_mean(dv) == (12000 + 30000.5 + 45000 + 8000) / 4);
    /* A one-column file of numbers has no header: all three are values. */
    const struct dist *bd = &p->stages[0].buyer_days;
    assert_int_equal(bd->kind, DIST_EMPIRICAL_FILE);
    assert_int_equal(bd->n, 3);
    assert_true(dist_mean(bd) == 55);
}

static void test_reads_relative_to_file(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    assert_int_equal(load_resolve(D "empirical_file.ini", NULL, &cfg, &p, &e),
                     0);
    check_values(&p);
    /* Draws are the file's values, each about equally often. */
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256pp);
    rng_reseed(r, 7);
    assert_non_null(r);
    int count[4] = {0};
    for (int i = 0; i < 4000; i++) {
        double x = dist_sample(&p.sales.deal_value, r);
        int k = x == 12000 ? 0 : x == 30000.5 ? 1 : x == 45000 ? 2 : 3;
        assert_true(k < 3 || x == 8000);
        count[k]++;
    }
    for (int k = 0; k < 4; k++)
        assert_in_range(count[k], 880, 1120);
    gsl_rng_free(r);
    /* The spec written back names the file by its absolute path. */
    char buf[512], cwd[256];
    assert_non_null(getcwd(cwd, sizeof cwd));
    dist_format(&p.sales.deal_value, buf, sizeof buf);
    char want[600];
    snprintf(want, sizeof want, "empirical_file(%s/" D
             "values_deals.csv, amount)", cwd);
    assert_string_equal(buf, want);
    config_destroy(&cfg);
    params_destroy(&p);
}

/* run.ini reads the same files back from another folder. */
static void test_written_file_reads_back(void **state)
{
    (void)state;
    struct config cfg, cfg2;
    struct params p, p2;
    struct err e;
    assert_int_equal(load_resolve(D "empirical_file.ini", NULL, &cfg, &p, &e),
                     0);
    char dir[] = "/tmp/salescap_ef_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/run.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(config_write(f, &cfg, &p, 0), 0);
    fclose(f);
    if (load_resolve(path, NULL, &cfg2, &p2, &e))
        print_error("%s\n", e.msg);
    assert_int_equal(e.kind, ERR_NONE);
    check_values(&p2);
    config_destroy(&cfg);
    params_destroy(&p);
    config_destroy(&cfg2);
    params_destroy(&p2);
    remove(path);
    rmdir(dir);
}

/* A --set's path is relative to the current folder; a later value
 * replaces (and frees) an earlier file's. */
static void test_set_relative_to_cwd(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    int rc = load_resolve(D "empirical_file.ini",
                          "sales.deal_value=empirical_file(" D
                          "values_plain.csv)", &cfg, &p, &e);
    if (rc)
        print_error("%s\n", e.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(p.sales.deal_value.n, 3);
    config_destroy(&cfg);
    params_destroy(&p);
    rc = load_resolve(D "empirical_file.ini",
                      "sales.deal_value=empirical_file(values_plain.csv)",
                      &cfg, &p, &e);
    assert_int_equal(rc, -1);
    assert_string_equal(e.msg, "--set: [sales] deal_value: "
                               "empirical_file(PATH[, COLUMN]): cannot open "
                               "'values_plain.csv': No such file or "
                               "directory");
    config_destroy(&cfg);
    params_destroy(&p);
}

/* More values than empirical() takes on a line (its 64, and inih's 199
 * bytes): 5000 of them. */
static void test_many_values(void **state)
{
    (void)state;
    char dir[] = "/tmp/salescap_ef_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char csv[256], ini[256];
    snprintf(csv, sizeof csv, "%s/big.csv", dir);
    snprintf(ini, sizeof ini, "%s/big.ini", dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("days\r\n", f);
    for (int i = 1; i <= 5000; i++)
        fprintf(f, "%d.5\r\n", i);
    fclose(f);
    f = fopen(ini, "w");
    assert_non_null(f);
    fputs("[stage.only]\nbuyer_days = empirical_file(big.csv, days)\n", f);
    fclose(f);
    struct config cfg;
    struct params p;
    struct err e;
    assert_int_equal(load_resolve(ini, NULL, &cfg, &p, &e), 0);
    assert_int_equal(p.stages[0].buyer_days.n, 5000);
    assert_true(dist_mean(&p.stages[0].buyer_days) == 2501);
    config_destroy(&cfg);
    params_destroy(&p);
    remove(csv);
    remove(ini);
    rmdir(dir);
}

static const struct CMUnitTest good_tests[] = {
    cmocka_unit_test(test_reads_relative_to_file),
    cmocka_unit_test(test_written_file_reads_back),
    cmocka_unit_test(test_set_relative_to_cwd),
    cmocka_unit_test(test_many_values),
};

#define N_GOOD (sizeof good_tests / sizeof good_tests[0])

int main(void)
{
    static struct CMUnitTest tests[N_BAD + N_GOOD];
    for (size_t i = 0; i < N_BAD; i++) {
        tests[i].name = bad_cases[i].file;
        tests[i].test_func = test_bad_file;
        tests[i].initial_state = (void *)&bad_cases[i];
    }
    for (size_t i = 0; i < N_GOOD; i++)
        tests[N_BAD + i] = good_tests[i];
    return cmocka_run_group_tests_name("empirical_file", tests, NULL, NULL);
}
