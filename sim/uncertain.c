/*
 * uncertain: one draw per uncertain input and replication, written into
 * the parameters a replication runs with (see include/uncertain.h).
 *
 * Invariant: a draw reads only (seed, replication, the input's name and
 * distribution); nothing here touches a stream the model draws from.
 */
#include "uncertain.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

/* The model's replication key (model.c's model_reset uses the same). */
#define REPLICATION_KIND 0x5a1e5ca9

/* FNV-1a, 64 bits: the input's name as a stream component. */
static uint64_t fnv1a64(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(0x100000001b3);
    }
    return h;
}

uint64_t uncertain_key(uint64_t seed, uint64_t replication, const char *name)
{
    uint64_t base = rng_key(rng_key(seed, REPLICATION_KIND), replication);
    return rng_key(rng_key(base, UNCERTAIN_STREAM), fnv1a64(name));
}

double uncertain_u(const struct params *p, const struct uncertain_input *in,
                   uint64_t replication, gsl_rng *r)
{
    rng_reseed(r, uncertain_key(p->sim.seed, replication, in->name));
    double u = rng_uniform(r);
    return u > 0.0 ? u : 0x1p-54;
}

double uncertain_value(const struct uncertain_input *in, double u)
{
    return dist_quantile(&in->dist, u);
}

void uncertain_draw(const struct params *p, uint64_t replication, gsl_rng *r,
                    double *x)
{
    for (size_t i = 0; i < p->n_uncertain; i++)
        x[i] = uncertain_value(
            &p->uncertain[i], uncertain_u(p, &p->uncertain[i], replication, r));
}

static double *field(struct params *p, const struct uncertain_place *pl)
{
    char *b = (char *)p;
    if (pl->team >= 0)
        b = pl->stage >= 0 ? (char *)&p->teams[pl->team].stages[pl->stage]
                           : (char *)&p->teams[pl->team].sales;
    else if (pl->scenario >= 0)
        b = (char *)&p->scenarios[pl->scenario].iv[pl->iv];
    else if (pl->stage >= 0)
        b = (char *)&p->stages[pl->stage];
    return (double *)(void *)(b + pl->off);
}

void uncertain_set(struct params *dst, const struct params *src,
                   const double *x)
{
    for (size_t i = 0; i < src->n_uncertain; i++) {
        const struct uncertain_input *in = &src->uncertain[i];
        for (size_t j = 0; j < in->n_places; j++) {
            const struct uncertain_place *pl = &in->places[j];
            double v = x[i];
            /* A caller that runs the baseline alone sets n_scenarios to
             * 0: the scenarios' fields are then not dst's to write. */
            if (pl->scenario >= (int)dst->n_scenarios ||
                pl->stage >= (int)dst->n_stages)
                continue;
            if (v > pl->max)
                v = pl->max;
            if (pl->min_open ? !(v > pl->min) : !(v >= pl->min))
                v = pl->min_open ? nextafter(pl->min, HUGE_VAL) : pl->min;
            *field(dst, pl) = v;
        }
    }
}

int uncertain_shadow(struct params *dst, const struct params *src)
{
    *dst = *src;
    dst->stages = NULL;
    dst->scenarios = NULL;
    dst->teams = NULL;
    size_t ns = src->n_stages, nsc = src->n_scenarios, nt = src->n_teams;
    dst->stages = malloc((ns ? ns : 1) * sizeof *dst->stages);
    dst->scenarios = calloc(nsc ? nsc : 1, sizeof *dst->scenarios);
    dst->teams = calloc(nt ? nt : 1, sizeof *dst->teams);
    if (!dst->stages || !dst->scenarios || !dst->teams)
        goto fail;
    if (ns)
        memcpy(dst->stages, src->stages, ns * sizeof *dst->stages);
    for (size_t i = 0; i < nt; i++) {
        /* the team's fields; its stages are an array of their own */
        struct stage_params *st = malloc((ns ? ns : 1) * sizeof *st);
        if (!st)
            goto fail;
        if (ns)
            memcpy(st, src->teams[i].stages, ns * sizeof *st);
        dst->teams[i] = src->teams[i];
        dst->teams[i].stages = st;
    }
    for (size_t i = 0; i < nsc; i++) {
        const struct scenario *sc = &src->scenarios[i];
        struct intervention *iv =
            malloc((sc->n_iv ? sc->n_iv : 1) * sizeof *iv);
        if (!iv)
            goto fail;
        if (sc->n_iv)
            memcpy(iv, sc->iv, sc->n_iv * sizeof *iv);
        dst->scenarios[i] = *sc;
        dst->scenarios[i].iv = iv;
    }
    return 0;
fail:
    uncertain_shadow_free(dst);
    return -1;
}

void uncertain_shadow_free(struct params *dst)
{
    /* Scenarios not yet copied have a NULL iv (calloc). */
    for (size_t i = 0; dst->scenarios && i < dst->n_scenarios; i++)
        free(dst->scenarios[i].iv);
    /* Teams not yet copied have NULL stages (calloc). */
    for (size_t i = 0; dst->teams && i < dst->n_teams; i++)
        free(dst->teams[i].stages);
    free(dst->teams);
    free(dst->scenarios);
    free(dst->stages);
    memset(dst, 0, sizeof *dst);
}

void uncertain_summary(FILE *out, const struct params *p)
{
    if (p->n_uncertain == 0)
        return;
    fputs("Uncertain inputs: ", out);
    for (size_t i = 0; i < p->n_uncertain; i++) {
        char spec[256];
        dist_format(&p->uncertain[i].dist, spec, sizeof spec);
        fprintf(out, "%s%s %s", i ? ", " : "", p->uncertain[i].name, spec);
    }
    fputs("; each drawn once per replication, the same in every option: "
          "the intervals include them\n",
          out);
}
