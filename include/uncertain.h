/*
 * uncertain: the draws of uncertain inputs (params.h, struct
 * uncertain_input) and parameters that carry them.
 *
 * Input i's value in replication r is its distribution's quantile at a
 * uniform u, the first uniform of the stream keyed
 *
 *     rng_key(rng_key(rng_key(rng_key(seed, 0x5a1e5ca9), r),
 *             UNCERTAIN_STREAM), fnv1a64(name))
 *
 * (the model's replication key, then a kind no model stream uses, then
 * the input's name). So the draw depends on the seed, the replication and
 * the name alone: it is the same in the baseline and every scenario of
 * the replication, it consumes nothing of the model's streams (a file
 * without uncertain inputs runs exactly as it did), and a u of 0 is
 * replaced by 2^-54 as dist_sample() does, so an end a distribution
 * never reaches (0 of a lognormal) is never drawn. Drawing by inversion
 * also lets the sensitivity analysis put an input at a chosen quantile.
 *
 * A params that a worker changes per replication is a shadow: a copy
 * that shares everything with its source (strings, distributions, the
 * list of inputs) but owns its stages, scenarios and interventions,
 * where the fields of inputs live.
 */
#ifndef SALESCAP_UNCERTAIN_H
#define SALESCAP_UNCERTAIN_H

#include <gsl/gsl_rng.h>
#include <stdint.h>
#include <stdio.h>

#include "params.h"

/* The kind of the inputs' streams, under the replication's key. */
#define UNCERTAIN_STREAM UINT64_C(0x756e6365727461)

/* Where the sensitivity analysis puts an input: its 10th and 90th
 * percentiles, and its median while another one moves. */
#define UNCERTAIN_LOW_U     0.10
#define UNCERTAIN_CENTRAL_U 0.50
#define UNCERTAIN_HIGH_U    0.90

/* The key of input `name`'s stream in replication `replication`. */
uint64_t uncertain_key(uint64_t seed, uint64_t replication, const char *name);

/* The u of input in of p in replication `replication`, from r (reseeded
 * here; of p's generator kind). In (0, 1). */
double uncertain_u(const struct params *p, const struct uncertain_input *in,
                   uint64_t replication, gsl_rng *r);

/* The value of input in at u in [0, 1]: its distribution's quantile. */
double uncertain_value(const struct uncertain_input *in, double u);

/* Every input of p for replication `replication`, into x[0, n_uncertain)
 * (r as for uncertain_u). */
void uncertain_draw(const struct params *p, uint64_t replication, gsl_rng *r,
                    double *x);

/* Writes x[i] into every field of input i of src (src's list of inputs)
 * in dst: src itself or a shadow of it. A value is kept inside its key's
 * range (it always is but for rounding at an open end). Fields of
 * scenarios past dst->n_scenarios (a caller that runs the baseline alone
 * sets it to 0) are left alone. */
void uncertain_set(struct params *dst, const struct params *src,
                   const double *x);

/* Makes dst a shadow of src (see above). Returns 0, or -1 out of memory
 * (dst is then zeroed). */
int uncertain_shadow(struct params *dst, const struct params *src);

/* Frees what a shadow owns and zeroes it; safe on a zeroed struct. Never
 * params_destroy() a shadow. */
void uncertain_shadow_free(struct params *dst);

/* Writes "Uncertain inputs: NAME DIST, ...; drawn once per replication,
 * the same in every option: the intervals include them" as a line of the
 * run's summary, or nothing when p has none. */
void uncertain_summary(FILE *out, const struct params *p);

#endif
