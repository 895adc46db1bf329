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
    return rng_mix64(parent ^ rng_mix64(component + UINT64_C(0x9e3779b97f4a7c15)));
}

/* Reseeds r from a key, in place. */
static inline void rng_reseed(gsl_rng *r, uint64_t key)
{
    gsl_rng_set(r, (unsigned long)key);
}

#endif
