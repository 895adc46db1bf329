/*
 * fuzz_dist: libFuzzer harness of the distribution-spec parser.
 *
 * The first byte's low bit is the nonneg flag; the rest, up to a NUL, is
 * the spec. Beyond the sanitizers, it checks dist.h's promises: a failure
 * has a message and leaves *d untouched; an accepted spec has a finite
 * mean (>= 0 when nonneg), its draws are finite (and >= 0 when nonneg),
 * and dist_format() writes a spec that parses back to the same text.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"

static gsl_rng *rng;

static void fail(const char *what, const char *spec, double v)
{
    fprintf(stderr, "fuzz_dist: %s: '%s' (%.17g)\n", what, spec, v);
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();
    rng = gsl_rng_alloc(gsl_rng_mt19937);
    return rng ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    int nonneg = data[0] & 1;
    char *spec = malloc(size);
    if (!spec)
        abort();
    memcpy(spec, data + 1, size - 1);
    spec[size - 1] = '\0';

    struct dist d, before;
    memset(&d, 0x5a, sizeof d);
    before = d;
    struct err e = {0};
    if (dist_parse(&d, spec, nonneg, &e) != 0) {
        if (e.kind == ERR_NONE || !e.msg[0])
            fail("a failure without a message", spec, 0);
        if (memcmp(&d, &before, sizeof d))
            fail("a failure changed *d", spec, 0);
        free(spec);
        return 0;
    }
    double mean = dist_mean(&d);
    if (!isfinite(mean) || (nonneg && mean < 0))
        fail("bad mean", spec, mean);
    gsl_rng_set(rng, (unsigned long)size);
    for (int i = 0; i < 32; i++) {
        double x = dist_sample(&d, rng);
        if (!isfinite(x) || (nonneg && x < 0))
            fail("bad draw", spec, x);
    }
    char buf[4096], again[4096];
    int n = dist_format(&d, buf, sizeof buf);
    if (n < 0 || (size_t)n >= sizeof buf)
        fail("dist_format overflowed", spec, n);
    struct dist d2;
    if (dist_parse(&d2, buf, nonneg, &e) != 0) {
        fprintf(stderr, "formatted '%s': %s\n", buf, e.msg);
        fail("the formatted spec does not parse back", spec, 0);
    }
    dist_format(&d2, again, sizeof again);
    if (strcmp(buf, again)) {
        fprintf(stderr, "'%s' -> '%s'\n", buf, again);
        fail("the formatted spec does not format back", spec, 0);
    }
    free(spec);
    return 0;
}
