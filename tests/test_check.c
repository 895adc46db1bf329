/*
 * test_check: `salescap check` end to end: runs the binary named by the
 * SALESCAP environment variable (set by make test-run) on tests/data files
 * and checks its exit status, stdout and stderr. Skipped without SALESCAP.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "robust_util.h"

/* Runs $SALESCAP with args (NULL-terminated, without argv[0]), with a
 * time limit (a hang fails). */
static struct proc run(const char *const *args)
{
    return ru_run(args, 60.0);
}

static void need_binary(void)
{
    if (!getenv("SALESCAP"))
        skip();
}

static void test_good_file(void **state)
{
    (void)state;
    need_binary();
    const char *args[] = {"check", "tests/data/good_full.ini", NULL};
    struct proc r = run(args);
    if (r.status != 0)
        print_error("stderr: %s\n", r.err);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.err, "");
    assert_non_null(strstr(r.out, "\n[simulation]\n"));
    assert_non_null(strstr(r.out, "\nreps = 12                               "
                                  "; tests/data/good_full.ini:11\n"));
    assert_non_null(strstr(r.out, "\npull.share = 1                          "
                                  "; default\n"));
    assert_non_null(strstr(r.out, "expected win rate (approximation)"));
    assert_non_null(strstr(r.out, "expected cycle of a won deal"));
    assert_non_null(strstr(r.out, "selling utilisation"));
    assert_non_null(strstr(r.out, "at steady state"));
    assert_non_null(strstr(r.out, "$"));
    ru_proc_free(&r);
}

/* One ops person for 120 clients and no churn: two warnings. */
static void test_overload_warns(void **state)
{
    (void)state;
    need_binary();
    const char *args[] = {"check", "tests/data/good_overload.ini", NULL};
    struct proc r = run(args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\nWARNING: ops (at the start) utilisation "
                                  "is 253.8 % (>= 100 %): the queue is "
                                  "unstable"));
    assert_non_null(strstr(r.out, "\nWARNING: ops demand grows without "
                                  "bound"));
    assert_non_null(strstr(r.out, "renewal_rate is 1"));
    ru_proc_free(&r);
}

static void test_set_override(void **state)
{
    (void)state;
    need_binary();
    const char *args[] = {"check", "tests/data/good_include.ini", "--set",
                          "sales.reps=12", NULL};
    struct proc r = run(args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\nreps = 12                               "
                                  "; --set\n"));
    assert_non_null(strstr(r.out, "team (12 reps)"));
    ru_proc_free(&r);
}

static void test_bad_file(void **state)
{
    (void)state;
    need_binary();
    const char *args[] = {"check", "tests/data/bad_unknown_key.ini", NULL};
    struct proc r = run(args);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "salescap: tests/data/bad_unknown_key.ini:3: "
                               "unknown key 'rpes' in [sales]; did you mean "
                               "'reps'?\n");
    assert_string_equal(r.out, "");
    ru_proc_free(&r);
}

static void test_bad_set(void **state)
{
    (void)state;
    need_binary();
    const char *args[] = {"check", "tests/data/good_full.ini", "--set",
                          "sales.reps", NULL};
    struct proc r = run(args);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "salescap: --set 'sales.reps': expected "
                               "SECTION.KEY=VALUE as one argument (quote it "
                               "if the value holds blanks)\n");
    ru_proc_free(&r);
}

/* Extreme values keep the capacity table a table (no 300-digit
 * numbers), and no ops hours at all is said in words, not as n/a %. */
static void test_extreme_table(void **state)
{
    (void)state;
    need_binary();
    const char *args[] = {"check", "tests/data/check_extreme.ini", NULL};
    struct proc r = run(args);
    assert_int_equal(r.status, 0);
    const char *table = strstr(r.out, "  Sales, per week");
    assert_non_null(table);
    for (const char *l = table; *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        if (len > 120)
            fail_msg("a line of %zu bytes: %.*s", len, (int)len, l);
        l = nl ? nl + 1 : l + len;
    }
    assert_non_null(strstr(table, "selling hours demanded                      "
                                  "6.14e+300      4.91e+301\n"));
    assert_non_null(strstr(r.out, "WARNING: ops (at the start) has work to "
                                  "do but no hours to do it in: its backlog "
                                  "grows without bound\n"));
    assert_null(strstr(r.out, "n/a %"));
    ru_proc_free(&r);
}

static void test_usage(void **state)
{
    (void)state;
    need_binary();
    const char *none[] = {"check", NULL};
    struct proc r = run(none);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "check takes one FILE.ini"));
    ru_proc_free(&r);
    const char *bad[] = {"check", "--bogus", "x.ini", NULL};
    r = run(bad);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "check: unknown option '--bogus'"));
    ru_proc_free(&r);
    const char *help[] = {"check", "--help", NULL};
    r = run(help);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "usage: salescap check"));
    ru_proc_free(&r);
    const char *keys[] = {"check", "--keys", NULL};
    r = run(keys);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "| [sales] | reps | 8 |"));
    ru_proc_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_overload_warns),
        cmocka_unit_test(test_set_override),
        cmocka_unit_test(test_bad_file),
        cmocka_unit_test(test_bad_set),
        cmocka_unit_test(test_extreme_table),
        cmocka_unit_test(test_usage),
    };
    return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
