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
                                  "; tests/data/good_full.ini:12\n"));
    assert_non_null(strstr(r.out, "\nstart_date = 2028-02-29                 "
                                  "; tests/data/good_full.ini:9\n"));
    assert_non_null(strstr(r.out, "\npull.share = 1                          "
                                  "; default\n"));
    assert_non_null(strstr(r.out, "expected win rate"));
    assert_non_null(strstr(r.out, "(stage odds alone, nobody waiting)"));
    assert_non_null(strstr(r.out, "closed deals gone cold"));
    assert_non_null(strstr(r.out, "expected cycle of a won deal"));
    assert_non_null(strstr(r.out, "selling utilisation"));
    assert_non_null(strstr(r.out, "at steady state"));
    assert_non_null(strstr(r.out, "$"));
    ru_proc_free(&r);
}

/* One ops person for 120 clients and no churn but late items: the
 * steady state the late items allow is still beyond the one person. */
static void test_overload_warns(void **state)
{
    (void)state;
    need_binary();
    const char *args[] = {"check", "tests/data/good_overload.ini", NULL};
    struct proc r = run(args);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\nWARNING: ops demand at steady state is "
                                  "4"));
    assert_non_null(strstr(r.out, " % of its hours (>= 100 %): the queue is "
                                  "unstable"));
    ru_proc_free(&r);
    /* Without late items nothing ever churns: the base grows for ever. */
    const char *none[] = {"check", "tests/data/good_overload.ini", "--set",
                          "clients.late_penalty=0", NULL};
    r = run(none);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\nWARNING: ops demand grows without "
                                  "bound"));
    assert_non_null(strstr(r.out, "renewal_rate is 1"));
    ru_proc_free(&r);
}

/* The brief of issue #14: ops demand above its hours in the first week,
 * settling below them; the old table called it unstable. */
static void test_overloaded_start_settles(void **state)
{
    (void)state;
    need_binary();
    const char *args[] = {"check", "tests/data/brief.ini", NULL};
    struct proc r = run(args);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "WARNING"));
    assert_non_null(strstr(r.out, "\nnote: ops demand in the first week is "));
    assert_non_null(strstr(r.out, "the backlog grows at first,\n      then "
                                  "settles at "));
    ru_proc_free(&r);
}

/* With [targets], check simulates the baseline briefly and prints the
 * KPI table beside them; -n 0 leaves it out; without targets, none. */
static void test_targets_table(void **state)
{
    (void)state;
    need_binary();
    const char *args[] = {"check", "tests/data/targets.ini", "-n", "3", NULL};
    struct proc r = run(args);
    if (r.status != 0)
        print_error("stderr: %s\n", r.err);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "\nBaseline KPIs over the 26 reported "
                                  "weeks: a short simulation, mean ± 95 % "
                                  "CI of 3 replications\n"));
    assert_non_null(strstr(r.out, "\n win_rate "));
    assert_non_null(strstr(r.out, "20.0 ± 5.0 %"));
    assert_non_null(strstr(r.out, "\nTargets: "));
    assert_non_null(strstr(r.out, " of 5 within tolerance.\n"));
    ru_proc_free(&r);
    const char *none[] = {"check", "tests/data/targets.ini", "-n", "0", NULL};
    r = run(none);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "Baseline KPIs"));
    ru_proc_free(&r);
    const char *plain[] = {"check", "tests/data/tiny.ini", NULL};
    r = run(plain);
    assert_int_equal(r.status, 0);
    assert_null(strstr(r.out, "Baseline KPIs"));
    ru_proc_free(&r);
    const char *bad[] = {"check", "tests/data/targets.ini", "-n", "x", NULL};
    r = run(bad);
    assert_int_equal(r.status, 2);
    assert_string_equal(r.err, "salescap: -n (0 to 100000000): invalid value "
                               "'x'\n");
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
                                  "6.24e+300      4.99e+301\n"));
    assert_non_null(strstr(r.out, "WARNING: ops has work to do but no hours "
                                  "to do it in: its backlog grows without "
                                  "bound\n"));
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
        cmocka_unit_test(test_overloaded_start_settles),
        cmocka_unit_test(test_targets_table),
        cmocka_unit_test(test_set_override),
        cmocka_unit_test(test_bad_file),
        cmocka_unit_test(test_bad_set),
        cmocka_unit_test(test_extreme_table),
        cmocka_unit_test(test_usage),
    };
    return cmocka_run_group_tests_name("check", tests, NULL, NULL);
}
