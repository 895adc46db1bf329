/*
 * rng_cost: what common random numbers cost. Reseeding a generator from a
 * key (done once per keyed entity, e.g. per opportunity) and drawing from
 * it, for xoshiro256pp and GSL's mt19937, and the samplers of dist.
 * The figures go into docs/random.md.
 *
 * Output: rows "name,value,unit" on stdout (see bench/run.sh).
 */
#include <stdio.h>
#include <time.h>

#include "dist.h"
#include "rng.h"

#define SEED UINT64_C(99)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Keeps results alive so the compiler cannot drop the work. */
static volatile double sink;

static void reseed_cost(enum rng_kind kind, long n)
{
    gsl_rng *r = gsl_rng_alloc(rng_type(kind));
    double acc = 0;
    double t0 = now_s();
    for (long i = 0; i < n; i++) {
        rng_reseed(r, rng_key(SEED, (uint64_t)i));
        acc += gsl_rng_uniform(r);
    }
    double dt = now_s() - t0;
    sink = acc;
    printf("reseed_%s_ns,%.2f,ns\n", rng_kind_name(kind), 1e9 * dt / n);
    gsl_rng_free(r);
}

static void uniform_cost(enum rng_kind kind, long n)
{
    gsl_rng *r = gsl_rng_alloc(rng_type(kind));
    rng_reseed(r, SEED);
    double acc = 0;
    double t0 = now_s();
    for (long i = 0; i < n; i++)
        acc += gsl_rng_uniform(r);
    double dt = now_s() - t0;
    sink = acc;
    printf("uniform_%s_ns,%.2f,ns\n", rng_kind_name(kind), 1e9 * dt / n);
    gsl_rng_free(r);
}

static void sample_cost(const char *name, const char *spec, long n)
{
    struct dist d;
    struct err e = {0};
    if (dist_parse(&d, spec, 1, &e) != 0) {
        fprintf(stderr, "rng_cost: %s: %s\n", spec, e.msg);
        return;
    }
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256pp);
    rng_reseed(r, SEED);
    double acc = 0;
    double t0 = now_s();
    for (long i = 0; i < n; i++)
        acc += dist_sample(&d, r);
    double dt = now_s() - t0;
    sink = acc;
    printf("sample_%s_ns,%.2f,ns\n", name, 1e9 * dt / n);
    gsl_rng_free(r);
}

int main(void)
{
    reseed_cost(RNG_XOSHIRO256PP, 10000000);
    reseed_cost(RNG_MT19937, 200000);
    uniform_cost(RNG_XOSHIRO256PP, 50000000);
    uniform_cost(RNG_MT19937, 50000000);
    sample_cost("exponential", "exponential(7)", 10000000);
    sample_cost("uniform", "uniform(1, 2)", 10000000);
    sample_cost("triangular", "triangular(1, 2, 5)", 10000000);
    sample_cost("normal", "normal(10, 3)", 10000000);
    sample_cost("lognormal", "lognormal(40000, 20000)", 10000000);
    sample_cost("gamma", "gamma(30, 10)", 10000000);
    sample_cost("beta", "beta(0.3, 0.1)", 10000000);
    sample_cost("empirical", "empirical(1, 2, 3, 4)", 10000000);
    return 0;
}
