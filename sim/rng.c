/*
 * rng: xoshiro256++ (Blackman and Vigna, 2019) as a gsl_rng_type, and the
 * table of selectable generator kinds.
 *
 * Invariant: the state s[0..3] is never all zero (the one state that
 * xoshiro maps to itself). Seeding fills it with four consecutive outputs
 * of splitmix64; splitmix64's finaliser is a bijection and its four inputs
 * are distinct, so at most one of the four words can be zero.
 *
 * The GSL state block is exactly struct rng_xoshiro (rng.h, where the hot
 * path is inlined); tests rely on that to load the published reference
 * state {1, 2, 3, 4}.
 */
#include "rng.h"

#include <assert.h>
#include <string.h>

/* gsl_rng_set: all 64 bits of the seed count (unsigned long is 64 bits on
 * every platform we build for; on a 32-bit long the upper half is lost). */
static void xoshiro_set(void *vstate, unsigned long seed)
{
    rng_xoshiro_seed(vstate, (uint64_t)seed);
}

/* The upper 32 bits: xoshiro's low bits are its weakest. */
static unsigned long xoshiro_get(void *vstate)
{
    return (unsigned long)(rng_xoshiro_next(vstate) >> 32);
}

/* 53 random bits in [0, 1); 0 is possible (gsl_rng_uniform_pos retries). */
static double xoshiro_get_double(void *vstate)
{
    return rng_xoshiro_double(vstate);
}

static const gsl_rng_type xoshiro256pp_type = {
    "xoshiro256pp", /* name */
    UINT32_MAX,     /* max */
    0,              /* min */
    sizeof(struct rng_xoshiro),
    xoshiro_set,
    xoshiro_get,
    xoshiro_get_double,
};

const gsl_rng_type *rng_xoshiro256pp = &xoshiro256pp_type;

static const char *const rng_names[] = {
    [RNG_XOSHIRO256PP] = "xoshiro256pp",
    [RNG_MT19937] = "mt19937",
};

#define RNG_NKINDS (sizeof rng_names / sizeof rng_names[0])

const gsl_rng_type *rng_type(enum rng_kind kind)
{
    switch (kind) {
    case RNG_XOSHIRO256PP:
        return rng_xoshiro256pp;
    case RNG_MT19937:
        return gsl_rng_mt19937;
    }
    assert(0 && "unknown rng kind");
    return rng_xoshiro256pp;
}

const char *rng_kind_name(enum rng_kind kind)
{
    if ((unsigned)kind < RNG_NKINDS)
        return rng_names[kind];
    return "?";
}

int rng_kind_parse(const char *name, enum rng_kind *kind)
{
    for (unsigned i = 0; i < RNG_NKINDS; i++) {
        if (strcmp(name, rng_names[i]) == 0) {
            *kind = (enum rng_kind)i;
            return 0;
        }
    }
    return -1;
}
