/*
 * params_util: loading a scenario file into params for the tests that
 * drive the library directly (test_model, test_costs).
 *
 * Header-only (a static function) so each test program stays one file
 * plus this; include it after <cmocka.h> and "config.h".
 */
#ifndef SALESCAP_PARAMS_UTIL_H
#define SALESCAP_PARAMS_UTIL_H

#include <stdarg.h>
#include <string.h>

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

#endif
