/*
 * test_failalloc: every allocation of a small run, made to fail in turn.
 *
 * Linked with tests/failalloc.c and -Wl,--wrap=... (see failalloc.h and
 * the Makefile), so each malloc, calloc, realloc, strdup, strndup,
 * open_memstream, gsl_rng_alloc and pthread_create that salescap's
 * library makes can be failed on purpose. For N = 1, 2, ... the N-th such
 * call of a small run fails, until a run makes fewer than N calls. Every
 * run must end in a clean error (-1 with a message) or, where the code
 * can do without (a warning's buffer, a worker thread), in success with
 * the same results; and it must leak nothing: the shim counts the blocks
 * still handed out, and `make check` runs the same loop under ASan/LSan.
 *
 * The small run: a file with an include, three --set overrides (one
 * makes a ranking on revenue), resolve,
 * simulate (2 replications, 1 thread), the summary, the run files, the
 * run read back (rundata), run.ini; a file with uncertain inputs run and
 * analysed by sensitivity; a sweep of 2 points; and the run and check
 * commands as main() calls them (out of memory must exit 1).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "cli.h"
#include "config.h"
#include "failalloc.h"
#include "output.h"
#include "run.h"
#include "rundata.h"
#include "sensitivity.h"
#include "sweep.h"

static char dir[64];

static void write_file(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    /* tmpfs when there is one: thousands of runs, each fsyncing 6 files */
    snprintf(dir, sizeof dir, "%s/salescap_failalloc_XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(dir))
        return -1;
    write_file("model.ini", "[simulation]\nwarmup_weeks = 2\n"
                            "horizon_weeks = 6\nreplications = 2\n\n"
                            "[sales]\nreps = 3\n\n[clients]\ninitial = 10\n");
    write_file("small.ini", "include = model.ini\n\n[stage.qualify]\n"
                            "advance = 0.7\n\n[stage.close]\nadvance = 0.5\n"
                            "\n[scenario.pull]\ntitle = Pull\n"
                            "pull.start_week = 1\npull.weeks = 1\n\n"
                            "[scenario.hire]\nhire.role = ops\n");
    write_file("uncertain.ini", "include = small.ini\n\n[clients]\n"
                                "late_penalty = uncertain(uniform(0, 0.05))"
                                "\n\n[scenario.pull]\npull.ops_efficiency = "
                                "uncertain(triangular(0.4, 0.6, 0.8))\n");
    write_file("sweep.ini", "[sweep]\nfile = small.ini\nscenario = pull\n"
                            "replications = 2\nmetrics = win_rate\n\n"
                            "[vary]\npull.weeks = 1, 2\n");
    return 0;
}

static int remove_tree(const char *d)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", d);
    return system(cmd);
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir) == 0 ? 0 : -1;
}

/* The run part. Returns 0, or -1 with e set; frees everything. */
static int small_run(struct err *e)
{
    char path[128], out[128];
    snprintf(path, sizeof path, "%s/small.ini", dir);
    snprintf(out, sizeof out, "%s/out", dir);
    struct config cfg = {0};
    struct params p = {0};
    struct run_result r = {0};
    struct output_reps reps = {0};
    struct rundata rd = {0};
    char *text = NULL, *ini = NULL;
    size_t len = 0, ini_len = 0;
    int rc = -1;
    if (config_load(&cfg, path, e) || config_set(&cfg, "sales.reps=4", e) ||
        config_set(&cfg, "scenario.pull.pull.reps=50%", e) ||
        config_set(&cfg, "decision.metric=revenue", e) ||
        config_resolve(&cfg, &p, e))
        goto done;
    struct run_opts o = {.jobs = 1,
                         .replications = 2,
                         .on_commit = output_reps_commit,
                         .on_commit_ctx = &reps};
    if (output_reps_open(&reps, out, &p, e) || run_simulate(&p, &o, &r, e))
        goto done;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        err_set(e, ERR_RUNTIME, "out of memory");
        goto done;
    }
    int bad = output_summary(mem, &p, &r) != 0;
    if ((fclose(mem) != 0) | bad) {
        err_set(e, ERR_RUNTIME, "out of memory");
        goto done;
    }
    if (output_write_run(out, &cfg, &p, &r, text, &reps, NULL, e))
        goto done;
    if (rundata_load(&rd, out, e))
        goto done;
    mem = open_memstream(&ini, &ini_len);
    if (!mem) {
        err_set(e, ERR_RUNTIME, "out of memory");
        goto done;
    }
    bad = config_write(mem, &cfg, &p, 1) != 0;
    if ((fclose(mem) != 0) | bad) {
        err_set(e, ERR_RUNTIME, "out of memory");
        goto done;
    }
    rc = 0;
done:
    output_reps_close(&reps, rc != 0);
    rundata_destroy(&rd);
    free(text);
    free(ini);
    run_result_destroy(&r);
    params_destroy(&p);
    config_destroy(&cfg);
    return rc;
}

/* A file with uncertain inputs: resolved (with the checks at the ends
 * of their ranges), run with replications.csv's draws, and analysed by
 * sensitivity (4 replications: enough for the fit). */
static int small_uncertain(struct err *e)
{
    char path[128], out[128];
    snprintf(path, sizeof path, "%s/uncertain.ini", dir);
    snprintf(out, sizeof out, "%s/unc", dir);
    struct config cfg = {0};
    struct params p = {0};
    struct run_result r = {0};
    struct sens_result sr = {0};
    struct output_reps reps = {0};
    char *text = NULL;
    size_t len = 0;
    int rc = -1;
    if (config_load(&cfg, path, e) || config_resolve(&cfg, &p, e))
        goto done;
    struct run_opts o = {.jobs = 1,
                         .replications = 2,
                         .on_commit = output_reps_commit,
                         .on_commit_ctx = &reps};
    struct sens_opts so = {.jobs = 1, .replications = 4};
    if (output_reps_open(&reps, out, &p, e) || run_simulate(&p, &o, &r, e) ||
        sens_run(&p, &so, &sr, e))
        goto done;
    FILE *mem = open_memstream(&text, &len);
    if (!mem) {
        err_set(e, ERR_RUNTIME, "out of memory");
        goto done;
    }
    int bad = sens_write_csv(mem, &p, &sr) | sens_write_summary(mem, &p, &sr);
    if ((fclose(mem) != 0) | bad) {
        err_set(e, ERR_RUNTIME, "out of memory");
        goto done;
    }
    rc = 0;
done:
    output_reps_close(&reps, 1);
    free(text);
    sens_result_destroy(&sr);
    run_result_destroy(&r);
    params_destroy(&p);
    config_destroy(&cfg);
    return rc;
}

/* The sweep part. */
static int small_sweep(struct err *e)
{
    char path[128], out[128];
    snprintf(path, sizeof path, "%s/sweep.ini", dir);
    snprintf(out, sizeof out, "%s/sweep", dir);
    struct sweep sw = {0};
    struct sweep_report rep = {0};
    struct sweep_opts o = {.jobs = 1, .out_dir = out};
    int rc = -1;
    if (sweep_load(&sw, path, e) == 0 && sweep_prepare(&sw, e) == 0 &&
        sweep_run(&sw, &o, &rep, e) == 0)
        rc = 0;
    sweep_destroy(&sw);
    return rc;
}

/* The commands, as main() calls them: run (without charts) and check,
 * their output thrown away. Out of memory must be status 1, not 2. */
static int small_commands(struct err *e)
{
    char path[128], out[128];
    snprintf(path, sizeof path, "%s/small.ini", dir);
    snprintf(out, sizeof out, "%s/cmd", dir);
    char *run[] = {"run", path,    "-n",           "2",  "-j", "1", "--no-plot",
                   "-q",  "--set", "sales.reps=2", "-o", out,  NULL};
    char *check[] = {"check", path, NULL};
    fflush(stdout);
    fflush(stderr);
    int null = open("/dev/null", O_WRONLY);
    int saved_out = dup(1), saved_err = dup(2);
    assert_true(null >= 0 && saved_out >= 0 && saved_err >= 0);
    dup2(null, 1);
    dup2(null, 2);
    int st = cmd_run(12, run);
    if (st == 0)
        st = cmd_check(2, check);
    fflush(stdout);
    fflush(stderr);
    dup2(saved_out, 1);
    dup2(saved_err, 2);
    close(saved_out);
    close(saved_err);
    close(null);
    if (st == 0)
        return 0;
    return err_set(e, st == 1 ? ERR_RUNTIME : ERR_CONFIG, "exit status %d", st);
}

/* Fails the N-th call of part for N = 1, 2, ... Returns the number of
 * calls of a whole run. */
static long fail_each(const char *name, int (*part)(struct err *))
{
    struct err e = {0};
    size_t live0 = failalloc_live();
    failalloc_arm(0);
    assert_int_equal(part(&e), 0);
    long total = failalloc_calls();
    assert_int_equal(failalloc_live(), live0);
    int bad = 0, recovered = 0;
    for (long n = 1; n <= total; n++) {
        err_clear(&e);
        failalloc_arm(n);
        int rc = part(&e);
        failalloc_arm(0);
        size_t leaked = failalloc_live() - live0;
        if (rc != 0 && (e.kind == ERR_NONE || !e.msg[0])) {
            print_error("%s: call %ld failed: -1 without a message\n", name, n);
            bad++;
        }
        if (rc != 0 && e.kind != ERR_RUNTIME) {
            print_error("%s: call %ld failed: reported as a configuration "
                        "error: %s\n",
                        name, n, e.msg);
            bad++;
        }
        if (rc == 0)
            recovered++;
        if (leaked) {
            print_error("%s: call %ld failed: %zu blocks leaked (%s)\n", name,
                        n, leaked, rc ? e.msg : "run succeeded");
            bad++;
        }
    }
    print_message("  %s: %ld calls, each failed in turn: %ld clean errors, "
                  "%d runs that did without\n",
                  name, total, total - recovered, recovered);
    if (bad)
        fail_msg("%s: %d failures handled badly", name, bad);
    return total;
}

static void test_run_allocations(void **state)
{
    (void)state;
    assert_true(fail_each("run", small_run) > 100);
}

static void test_uncertain_allocations(void **state)
{
    (void)state;
    assert_true(fail_each("uncertain inputs", small_uncertain) > 100);
}

static void test_sweep_allocations(void **state)
{
    (void)state;
    assert_true(fail_each("sweep", small_sweep) > 50);
}

static void test_command_allocations(void **state)
{
    (void)state;
    assert_true(fail_each("run and check commands", small_commands) > 100);
}

/* The shim itself: it fails the call it is told to, and counts. */
static void test_shim(void **state)
{
    (void)state;
    size_t live0 = failalloc_live();
    failalloc_arm(2);
    char *a = malloc(8);
    char *b = strdup("x");
    char *c = calloc(2, 8);
    assert_non_null(a);
    assert_null(b);
    assert_non_null(c);
    assert_true(failalloc_fired());
    assert_int_equal(failalloc_calls(), 3);
    assert_int_equal(failalloc_live(), live0 + 2);
    failalloc_arm(1);
    char *d = realloc(a, 64);
    int refused = d == NULL;
    failalloc_arm(0);
    if (d)
        free(d);
    else
        free(a); /* a failed realloc leaves a ours */
    assert_true(refused);
    free(c);
    assert_int_equal(failalloc_live(), live0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shim),
        cmocka_unit_test(test_run_allocations),
        cmocka_unit_test(test_uncertain_allocations),
        cmocka_unit_test(test_sweep_allocations),
        cmocka_unit_test(test_command_allocations),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
