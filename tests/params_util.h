/*
 * params_util: loading a scenario file into params for the tests that
 * drive the library directly (test_model, test_costs, test_shrink), and
 * checking that bad files stop the binary.
 *
 * Header-only (a static function) so each test program stays one file
 * plus this; include it after <cmocka.h> and "config.h".
 */
#ifndef SALESCAP_PARAMS_UTIL_H
#define SALESCAP_PARAMS_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

/* Loads path with "section.key=value" overrides (NULL-terminated); a
 * file or override that does not resolve fails the test. */
static void load(struct params *p, const char *path, ...)
{
    struct config cfg = {0};
    struct err e = {0};
    if (config_load(&cfg, path, &e) != 0)
        fail_msg("%s", e.msg);
    va_list ap;
    va_start(ap, path);
    for (const char *s; (s = va_arg(ap, const char *));)
        if (config_set(&cfg, s, &e) != 0)
            fail_msg("%s", e.msg);
    va_end(ap);
    memset(p, 0, sizeof *p);
    if (config_resolve(&cfg, p, &e) != 0)
        fail_msg("%s", e.msg);
    config_destroy(&cfg);
}

/* The index of scenario id in p; a missing one fails the test. */
static __attribute__((unused)) int scenario(const struct params *p,
                                            const char *id)
{
    for (size_t s = 0; s < p->n_scenarios; s++)
        if (!strcmp(p->scenarios[s].id, id))
            return (int)s;
    fail_msg("no scenario %s", id);
    return -1;
}

/* Each of tests/data/NAME.ini (files[0..n)) stops `salescap run` with
 * "salescap: tests/data/NAME.ini:" (FILE:LINE first) and status 2. The
 * binary is $SALESCAP; without it the test is skipped. */
static __attribute__((unused)) void check_bad_files(const char *const *files,
                                                    size_t n)
{
    const char *bin = getenv("SALESCAP");
    if (!bin || !*bin)
        skip();
    for (size_t i = 0; i < n; i++) {
        char cmd[512], want[128], err[512] = "";
        snprintf(cmd, sizeof cmd,
                 "'%s' run tests/data/%s.ini -n 2 -q "
                 "--no-plot -o /nonexistent/never 2>&1 >/dev/null",
                 bin, files[i]);
        FILE *f = popen(cmd, "r");
        assert_non_null(f);
        if (!fgets(err, sizeof err, f))
            err[0] = '\0';
        int st = pclose(f);
        snprintf(want, sizeof want, "salescap: tests/data/%s.ini:", files[i]);
        if (strncmp(err, want, strlen(want)) != 0)
            fail_msg("%s: got '%s'", files[i], err);
        assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 2);
    }
}

#endif
