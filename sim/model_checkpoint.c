/*
 * model_checkpoint: copies of a replication's whole state, so that every
 * scenario can start where it first differs from the baseline instead of
 * re-running the weeks they share.
 *
 * Why it is exact: until its first intervention can act (iv_first_week)
 * a scenario's run reads nothing the baseline's does not, so it pushes the
 * same events with the same sequence numbers, draws from the same keys
 * and accumulates the same sums in the same order. A checkpoint is taken
 * when the baseline's loop has just taken that tick's event and done
 * nothing of it; a scenario copies the state, sets its scenario and does
 * the tick. The random generator is reseeded from keys before every group
 * of draws, so copying its state is enough; the event list is copied
 * with its sequence counter (evq_copy).
 *
 * Invariant: model_copy copies every field and array of struct model but
 * those that belong to the destination (its arrays' memory, its output
 * buffer, its trace file). tests/test_model.c checks runs from checkpoints
 * against runs from scratch, byte for byte, for every scenario of the
 * flagship file and of tests/data/tiny.ini.
 */
#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "model_int.h"

struct model_checkpoint {
    struct model *m; /* the baseline's state at tick, about to do it */
    double *raw;     /* its weekly rows so far */
    int tick;
};

int model_divergence_tick(const struct params *p, int scenario)
{
    int warmup = p->sim.warmup_weeks;
    int total = warmup + p->sim.horizon_weeks;
    if (scenario < 0)
        return total;
    const struct scenario *sc = &p->scenarios[scenario];
    int first = INT_MAX;
    for (size_t i = 0; i < sc->n_iv; i++) {
        int w = iv_first_week(&sc->iv[i]);
        first = w < first ? w : first;
    }
    if (first >= total - warmup)
        return total;
    return warmup + (first > 0 ? first : 0);
}

struct model_checkpoint *model_checkpoint_alloc(const struct params *p,
                                                int tick, struct err *e)
{
    int total = p->sim.warmup_weeks + p->sim.horizon_weeks;
    struct model_checkpoint *c = calloc(1, sizeof *c);
    if (!c)
        goto fail;
    c->tick = tick < 0 ? 0 : tick > total ? total : tick;
    c->raw = malloc(model_raw_len(p) * sizeof *c->raw);
    if (!c->raw || !(c->m = model_alloc(p, e)))
        goto fail;
    return c;
fail:
    model_checkpoint_free(c);
    err_oom(e);
    return NULL;
}

void model_checkpoint_free(struct model_checkpoint *c)
{
    if (!c)
        return;
    model_free(c->m);
    free(c->raw);
    free(c);
}

/* Copies n elements of size bytes into *dst, growing it (cap) first. */
static int copy_array(void **dst, int32_t *cap, const void *src, int32_t n,
                      size_t size)
{
    if (model_grow(NULL, dst, cap, n, size) != 0)
        return -1;
    if (n > 0)
        memcpy(*dst, src, (size_t)n * size);
    return 0;
}

/* Makes d the state of s, writing d's weekly rows to raw. d keeps its own
 * memory and trace file. Returns 0, or -1 when out of memory (d is then
 * valid but meaningless until its next reset). */
static int model_copy(struct model *d, const struct model *s, double *raw)
{
    struct model own = *d;
    *d = *s;
    d->q = own.q;
    d->rng = own.rng;
    d->raw = raw;
    d->trace = own.trace;
#define ARRAY_KEEP(type, name)                                                 \
    d->name = own.name;                                                        \
    d->cap_##name = own.cap_##name;
    MODEL_ARRAYS(ARRAY_KEEP)
#undef ARRAY_KEEP
    d->busy_until = own.busy_until;
    d->cool_until = own.cool_until;
    d->iv_level = own.iv_level;
    d->weekly_revenue = own.weekly_revenue;

    size_t nraw = model_raw_len(s->p);
    memcpy(raw, s->raw, nraw * sizeof *raw);
    memcpy(d->busy_until, s->busy_until, (s->max_iv + 1) * sizeof(int));
    memcpy(d->cool_until, s->cool_until, (s->max_iv + 1) * sizeof(int));
    memcpy(d->iv_level, s->iv_level,
           IV_LEVELS * (s->max_iv + 1) * sizeof(double));
    memcpy(d->weekly_revenue, s->weekly_revenue,
           ((size_t)s->weeks_total + 1) * sizeof *s->weekly_revenue);
    gsl_rng_memcpy(d->rng, s->rng);
    if (evq_copy(d->q, s->q) != 0)
        return -1;
#define ARRAY_COPY(type, name)                                                 \
    if (copy_array((void **)&d->name, &d->cap_##name, s->name, s->n_##name,    \
                   sizeof(type)) != 0)                                         \
        return -1;
    MODEL_ARRAYS(ARRAY_COPY)
#undef ARRAY_COPY
    return 0;
}

int model_run_baseline(struct model *m, uint64_t replication, double *raw,
                       struct model_totals *tot,
                       struct model_checkpoint *const *cps, size_t n,
                       struct err *e)
{
    if (model_start(m, -1, replication, raw, e) != 0)
        return -1;
    size_t i = 0;
    m->pause_tick = n > 0 ? cps[0]->tick : NONE;
    int rc = model_loop(m, e);
    while (rc == 1) {
        /* Paused at tick w: every checkpoint of w takes a copy. */
        int w = m->pause_tick;
        for (; i < n && cps[i]->tick == w; i++)
            if (model_copy(cps[i]->m, m, cps[i]->raw) != 0)
                return err_oom(e);
        assert(i == n || cps[i]->tick > w);
        rc = model_resume(m, i < n ? cps[i]->tick : NONE, e);
    }
    if (rc < 0)
        return -1;
    assert(i == n && "a checkpoint tick was never reached");
    model_finish(m, tot);
    return 0;
}

int model_run_from(struct model *m, const struct model_checkpoint *c,
                   int scenario, double *raw, struct model_totals *tot,
                   struct err *e)
{
    return model_run_from_params(m, c, c->m->p, scenario, raw, tot, e);
}

int model_run_from_params(struct model *m, const struct model_checkpoint *c,
                          const struct params *p, int scenario, double *raw,
                          struct model_totals *tot, struct err *e)
{
    assert(c->tick <= model_divergence_tick(p, scenario));
    assert(c->m->pause_tick == c->tick);
    assert(scenario < 0 || p->scenarios[scenario].n_iv <= m->max_iv);
    if (model_copy(m, c->m, raw) != 0)
        return err_oom(e);
    /* The copy runs on with p; m then holds c's parameters again, so it
     * never keeps a pointer into p past this call. */
    m->p = p;
    m->sc = scenario >= 0 ? &p->scenarios[scenario] : NULL;
    int rc = model_resume(m, NONE, e);
    if (rc == 0)
        model_finish(m, tot);
    m->p = c->m->p;
    m->sc = NULL;
    return rc != 0 ? -1 : 0;
}
