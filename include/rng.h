/*
 * rng: reproducible random streams for common random numbers.
 *
 * Every random quantity of the model is drawn from a stream named by a key:
 * a 64-bit hash of (base seed, replication, stream kind, entity indices ...).
 * Keys are built with rng_key(), a chain of 64-bit mixes, so that any tuple
 * maps to an independent-looking seed. Reseeding a generator with a key is
 * how the model makes "the k-th opportunity of rep r" the same deal in the
 * baseline and in every scenario, whatever time it is met at.
 *
 * The default generator is xoshiro256++ wrapped as a gsl_rng_type, so every
 * gsl_ran_* sampler works with it and reseeding costs a few instructions
 * (splitmix64 expands the 64-bit key into the 256-bit state). GSL's mt19937
 * stays selectable for comparison; it keeps only 32 bits of the key and
 * costs microseconds per reseed (see docs/random.md).
 */
#ifndef SALESCAP_RNG_H
#define SALESCAP_RNG_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>

enum rng_kind {
    RNG_XOSHIRO256PP = 0,
    RNG_MT19937,
};

/* The xoshiro256++ generator as a GSL type; gsl_rng_set() takes all 64
 * bits of an unsigned long seed. get() returns 32 bits; get_double() 53. */
extern const gsl_rng_type *rng_xoshiro256pp;

/* The gsl_rng_type for a kind. */
const gsl_rng_type *rng_type(enum rng_kind kind);

/* Name of a kind as written in INI files ("xoshiro256pp", "mt19937"). */
const char *rng_kind_name(enum rng_kind kind);

/* Parses a kind name; returns 0 and sets *kind, or -1 if unknown. */
int rng_kind_parse(const char *name, enum rng_kind *kind);

/* A strong 64-bit mixer (a bijection; splitmix64's finaliser). */
static inline uint64_t rng_mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

/* Derives a child key from a parent key and one more component. Order
 * matters: rng_key(rng_key(k, a), b) differs from rng_key(rng_key(k, b), a). */
static inline uint64_t rng_key(uint64_t parent, uint64_t component)
{
    return rng_mix64(parent ^
                     rng_mix64(component + UINT64_C(0x9e3779b97f4a7c15)));
}

/* ---- the hot path ---------------------------------------------------
 * The model reseeds before almost every group of draws, so seeding and
 * drawing are inlined here for xoshiro256++ (GSL would go through two
 * calls and a function pointer each time); any other type takes GSL's
 * path. Values are the same bits either way. */

/* The state of rng_xoshiro256pp (its GSL state block). */
struct rng_xoshiro {
    uint64_t s[4];
};

static inline uint64_t rng_rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* Seeds from all 64 bits of key: four consecutive splitmix64 outputs. */
static inline void rng_xoshiro_seed(struct rng_xoshiro *st, uint64_t key)
{
    for (int i = 0; i < 4; i++) {
        key += UINT64_C(0x9e3779b97f4a7c15);
        st->s[i] = rng_mix64(key);
    }
}

static inline uint64_t rng_xoshiro_next(struct rng_xoshiro *st)
{
    uint64_t *s = st->s;
    const uint64_t result = rng_rotl64(s[0] + s[3], 23) + s[0];
    const uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl64(s[3], 45);
    return result;
}

/* 53 random bits in [0, 1): gsl_rng_uniform() of rng_xoshiro256pp. */
static inline double rng_xoshiro_double(struct rng_xoshiro *st)
{
    return (double)(rng_xoshiro_next(st) >> 11) * 0x1.0p-53;
}

/* Reseeds r from a key, in place: gsl_rng_set(r, key). */
static inline void rng_reseed(gsl_rng *r, uint64_t key)
{
    if (r->type == rng_xoshiro256pp)
        rng_xoshiro_seed(r->state, key);
    else
        gsl_rng_set(r, (unsigned long)key);
}

/* A uniform in [0, 1): exactly gsl_rng_uniform(r). */
static inline double rng_uniform(gsl_rng *r)
{
    if (r->type == rng_xoshiro256pp)
        return rng_xoshiro_double(r->state);
    return r->type->get_double(r->state);
}

/* An exponential of mean `mean` from one uniform U in [0, 1):
 * -mean * log(1 - U). 1 - U is computed exactly (U is a multiple of 2^-53,
 * or of 2^-32 with mt19937) and lies in (0, 1], so the log never sees 0:
 * the largest draw is 36.7 means, U = 0 gives 0 (+0, the "0.0 -"). It is
 * log(1 - U) as gsl_ran_exponential's log1p(-U) is, the same law, at about
 * half the cost; the two round differently in the last bit for about 7 %
 * of draws (docs/random.md). Every exponential of the model is this one. */
static inline double rng_exponential(gsl_rng *r, double mean)
{
    return 0.0 - mean * log(1.0 - rng_uniform(r));
}

#endif
