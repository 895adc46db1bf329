/*
 * Tests of evq: pop order (time, then priority, then insertion order),
 * growth, clear, the max_n cap, and the lazy cancellation pattern the model
 * uses. Random times come from a fixed-seed xoshiro256++ stream.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>

#include <cmocka.h>

#include "../sim/evq_int.h" /* the layout: cap in test_max_n */
#include "evq.h"
#include "rng.h"

#define SEED UINT64_C(20240601)

static gsl_rng *rng_at(uint64_t key)
{
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256pp);
    assert_non_null(r);
    rng_reseed(r, key);
    return r;
}

/* a pops no later than b in the documented order. */
static int in_order(const struct evq_event *a, const struct evq_event *b)
{
    return a->t < b->t || (a->t == b->t && a->key < b->key);
}

static void test_empty(void **state)
{
    (void)state;
    struct evq *q;
    struct evq_event ev;
    assert_non_null(q = evq_alloc(0));
    assert_int_equal(evq_size(q), 0);
    assert_null(evq_peek(q));
    assert_int_equal(evq_pop(q, &ev), -1);
    evq_free(q);
    evq_free(NULL); /* safe on NULL */
}

/* Random times, random priorities, with many exact ties: every pop is in
 * order after the previous one, and the payload travels with its event. */
static void test_random_order(void **state)
{
    (void)state;
    gsl_rng *r = rng_at(rng_key(SEED, 1));
    struct evq *q;
    assert_non_null(q = evq_alloc(4));
    for (int round = 0; round < 3; round++) {
        for (uint32_t i = 0; i < 5000; i++) {
            double t = (double)gsl_rng_uniform_int(r, 300); /* ties */
            unsigned prio = (unsigned)gsl_rng_uniform_int(r, 4);
            assert_int_equal(evq_push(q, t, prio, i % 7, i, 0, (uint32_t)t), 0);
        }
        struct evq_event prev, ev;
        assert_int_equal(evq_pop(q, &prev), 0);
        size_t popped = 1;
        while (evq_pop(q, &ev) == 0) {
            assert_true(in_order(&prev, &ev));
            assert_int_equal(ev.aux, (uint32_t)ev.t);
            assert_int_equal(ev.kind, ev.id % 7);
            prev = ev;
            popped++;
        }
        assert_int_equal(popped, 5000);
    }
    evq_free(q);
    gsl_rng_free(r);
}

/* Same time: lower priority value first; same priority: insertion order. */
static void test_ties(void **state)
{
    (void)state;
    struct evq *q;
    struct evq_event ev;
    assert_non_null(q = evq_alloc(0));
    assert_int_equal(evq_push(q, 5.0, 2, 0, 0, 0, 0), 0);
    assert_int_equal(evq_push(q, 5.0, 1, 0, 1, 0, 0), 0);
    assert_int_equal(evq_push(q, 5.0, 2, 0, 2, 0, 0), 0);
    assert_int_equal(evq_push(q, 5.0, EVQ_PRIO_MAX, 0, 3, 0, 0), 0);
    assert_int_equal(evq_push(q, 5.0, 0, 0, 4, 0, 0), 0);
    assert_int_equal(evq_push(q, 4.0, EVQ_PRIO_MAX, 0, 5, 0, 0), 0);
    assert_int_equal(evq_push(q, 5.0, 1, 0, 6, 0, 0), 0);
    const uint32_t want[] = {5, 4, 1, 6, 0, 2, 3};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(evq_peek(q)->id, want[i]);
        assert_int_equal(evq_pop(q, &ev), 0);
        assert_int_equal(ev.id, want[i]);
    }
    assert_int_equal(evq_pop(q, &ev), -1);
    evq_free(q);
}

/* Many events at one time pop in insertion order, however the heap is
 * shaped by interleaved pushes and pops. */
static void test_fifo_at_equal_times(void **state)
{
    (void)state;
    struct evq *q;
    struct evq_event ev;
    assert_non_null(q = evq_alloc(0));
    uint32_t next_in = 0, next_out = 0;
    for (int k = 0; k < 1000; k++) {
        for (int j = 0; j < 3; j++)
            assert_int_equal(evq_push(q, 1.0, 3, 0, next_in++, 0, 0), 0);
        assert_int_equal(evq_pop(q, &ev), 0);
        assert_int_equal(ev.id, next_out++);
    }
    while (evq_pop(q, &ev) == 0)
        assert_int_equal(ev.id, next_out++);
    assert_int_equal(next_out, next_in);
    evq_free(q);
}

/*
 * The lazy cancellation pattern. The model never removes an event from the
 * list: to cancel or reschedule, it bumps the entity's generation and pushes
 * the new event with the new generation; when an event pops, a generation
 * that differs from the entity's current one means "superseded: ignore".
 */
struct entity {
    uint32_t gen;
    int fired;
};

static void test_lazy_cancellation(void **state)
{
    (void)state;
    struct entity ent[3] = {{0, 0}, {0, 0}, {0, 0}};
    struct evq *q;
    struct evq_event ev;
    assert_non_null(q = evq_alloc(0));
    for (uint32_t i = 0; i < 3; i++)
        assert_int_equal(evq_push(q, 10.0 + i, 0, 0, i, ent[i].gen, 0), 0);
    /* Reschedule entity 0 earlier, entity 1 later; cancel entity 2. */
    ent[0].gen++;
    assert_int_equal(evq_push(q, 3.0, 0, 0, 0, ent[0].gen, 0), 0);
    ent[1].gen++;
    assert_int_equal(evq_push(q, 30.0, 0, 0, 1, ent[1].gen, 0), 0);
    ent[2].gen++;
    double when[3] = {0};
    int stale = 0;
    while (evq_pop(q, &ev) == 0) {
        if (ev.gen != ent[ev.id].gen) {
            stale++;
            continue;
        }
        ent[ev.id].fired++;
        when[ev.id] = ev.t;
    }
    assert_int_equal(stale, 3);
    assert_int_equal(ent[0].fired, 1);
    assert_int_equal(ent[1].fired, 1);
    assert_int_equal(ent[2].fired, 0);
    assert_true(when[0] == 3.0);
    assert_true(when[1] == 30.0);
    evq_free(q);
}

/* Growth from a tiny array to 1,000,000 pending events, then a full drain
 * in order: exercises every reallocation and deep heaps. */
static void test_growth_million(void **state)
{
    (void)state;
    enum { N = 1000000 };
    gsl_rng *r = rng_at(rng_key(SEED, 2));
    struct evq *q;
    assert_non_null(q = evq_alloc(1));
    for (uint32_t i = 0; i < N; i++)
        assert_int_equal(
            evq_push(q, 1e3 * gsl_rng_uniform(r), i & 1, 0, i, 0, 0), 0);
    assert_int_equal(evq_size(q), N);
    assert_true(q->cap >= N);
    struct evq_event prev, ev;
    assert_int_equal(evq_pop(q, &prev), 0);
    size_t n = 1;
    while (evq_pop(q, &ev) == 0) {
        if (!in_order(&prev, &ev))
            fail_msg("out of order at pop %zu: %.17g after %.17g", n, ev.t,
                     prev.t);
        prev = ev;
        n++;
    }
    assert_int_equal(n, N);
    evq_free(q);
    gsl_rng_free(r);
}

/* clear empties the list, keeps the memory, and restarts the sequence:
 * the same pushes after clear pop in the same order with the same keys. */
static void test_clear(void **state)
{
    (void)state;
    struct evq *q;
    struct evq_event ev;
    assert_non_null(q = evq_alloc(0));
    for (uint32_t i = 0; i < 100; i++)
        assert_int_equal(evq_push(q, (double)(i % 10), 0, 0, i, 0, 0), 0);
    size_t cap = q->cap;
    evq_clear(q);
    assert_int_equal(evq_size(q), 0);
    assert_null(evq_peek(q));
    assert_int_equal(q->cap, cap);
    assert_int_equal(evq_push(q, 2.0, 0, 0, 7, 0, 0), 0);
    assert_int_equal(evq_push(q, 2.0, 0, 0, 8, 0, 0), 0);
    assert_int_equal(evq_pop(q, &ev), 0);
    assert_int_equal(ev.id, 7);
    assert_int_equal(ev.key, 0); /* priority 0, sequence 0 */
    assert_int_equal(evq_pop(q, &ev), 0);
    assert_int_equal(ev.key, 1);
    evq_free(q);
}

/* max_n: the push after max_n pending events fails and changes nothing;
 * a pop makes room again. */
static void test_max_n(void **state)
{
    (void)state;
    struct evq *q;
    struct evq_event ev;
    assert_non_null(q = evq_alloc(2));
    evq_set_max(q, 5);
    for (uint32_t i = 0; i < 5; i++)
        assert_int_equal(evq_push(q, 10.0 - i, 0, 0, i, 0, 0), 0);
    assert_int_equal(evq_push(q, 0.5, 0, 0, 99, 0, 0), -1);
    assert_int_equal(evq_size(q), 5);
    assert_true(q->cap <= 5);
    assert_int_equal(evq_peek(q)->id, 4);
    assert_int_equal(evq_pop(q, &ev), 0);
    assert_int_equal(evq_push(q, 0.5, 0, 0, 99, 0, 0), 0);
    assert_int_equal(evq_pop(q, &ev), 0);
    assert_int_equal(ev.id, 99);
    evq_free(q);

    /* A cap below the initial capacity also holds. */
    assert_non_null(q = evq_alloc(64));
    evq_set_max(q, 3);
    for (uint32_t i = 0; i < 3; i++)
        assert_int_equal(evq_push(q, 1.0, 0, 0, i, 0, 0), 0);
    assert_int_equal(evq_push(q, 1.0, 0, 0, 3, 0, 0), -1);
    evq_free(q);
}

/* The hold model (pop one, push one later) keeps the order invariant while
 * the heap stays at a fixed size; events carry their scheduling time. */
static void test_hold(void **state)
{
    (void)state;
    gsl_rng *r = rng_at(rng_key(SEED, 3));
    struct evq *q;
    struct evq_event ev;
    assert_non_null(q = evq_alloc(0));
    for (uint32_t i = 0; i < 1000; i++)
        assert_int_equal(evq_push(q, gsl_rng_uniform(r), 0, 0, i, 0, 0), 0);
    double now = 0;
    for (int k = 0; k < 100000; k++) {
        assert_int_equal(evq_pop(q, &ev), 0);
        assert_true(ev.t >= now);
        now = ev.t;
        double dt = -log1p(-gsl_rng_uniform(r));
        assert_int_equal(evq_push(q, now + dt, 0, 0, ev.id, 0, 0), 0);
    }
    assert_int_equal(evq_size(q), 1000);
    evq_free(q);
    gsl_rng_free(r);
}

/* ---- against a reference ---------------------------------------------- */

/* The reference: a plain binary heap on (t, key), the order evq promises,
 * with nothing else in it. */
struct ref {
    struct evq_event *e;
    size_t n, cap;
    uint64_t seq;
};

static void ref_push(struct ref *h, struct evq_event ev)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 64;
        h->e = realloc(h->e, h->cap * sizeof *h->e);
        assert_non_null(h->e);
    }
    size_t i = h->n++;
    while (i > 0 && in_order(&ev, &h->e[(i - 1) / 2]) &&
           !in_order(&h->e[(i - 1) / 2], &ev)) {
        h->e[i] = h->e[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->e[i] = ev;
}

static struct evq_event ref_pop(struct ref *h)
{
    struct evq_event top = h->e[0], last = h->e[--h->n];
    size_t i = 0;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= h->n)
            break;
        if (c + 1 < h->n && in_order(&h->e[c + 1], &h->e[c]))
            c++;
        if (!in_order(&h->e[c], &last))
            break;
        h->e[i] = h->e[c];
        i = c;
    }
    if (h->n > 0)
        h->e[i] = last;
    return top;
}

/* A time offset of shape `shape` from generator r (see test_vs_reference). */
static double draw_dt(gsl_rng *r, int shape)
{
    double u = gsl_rng_uniform(r);
    switch (shape) {
    case 0: /* exponential(1) */
        return -log1p(-u);
    case 1: /* whole days: many ties */
        return (double)gsl_rng_uniform_int(r, 20);
    case 2: /* the model's mix: tickets in days, anniversaries a year off */
        return u < 0.7 ? -5.0 * log1p(-u / 0.7) : 365.0 + u;
    case 3: /* a spread of 1e-300 */
        return u * 1e-300;
    case 4: /* a spread of 1e6 */
        return u * 1e6;
    case 5: /* now, or never */
        return u < 0.5 ? 0.0 : INFINITY;
    default: /* everything at once */
        return draw_dt(r, (int)gsl_rng_uniform_int(r, 6));
    }
}

/* evq against the reference on random interleavings of pushes and pops,
 * from a few to 20,000 pending events (so the calendar is built, rebuilt
 * and dropped again), with times of seven shapes, random priorities, and
 * a copy taken part-way that must go on exactly like the original: the
 * same events, payloads included, in the same order, every time. */
static void test_vs_reference(void **state)
{
    (void)state;
    gsl_rng *r = rng_at(rng_key(SEED, 4));
    for (int round = 0; round < 140; round++) {
        int shape = round % 7;
        size_t target = (size_t)1 << (2 + round % 13); /* 4 .. 16,384 */
        struct evq *q, *c;
        struct ref h = {0};
        assert_non_null(q = evq_alloc(0));
        assert_non_null(c = evq_alloc(0));
        double now = 0.0;
        uint32_t id = 0;
        int copied = 0;
        for (int step = 0; step < 40000; step++) {
            /* Push more than pop while filling up, then hover and drain. */
            double p_push = step < 20000 ? (h.n < target ? 0.7 : 0.5) : 0.3;
            if (h.n > 0 && step == 15000 && !copied) {
                assert_int_equal(evq_copy(c, q), 0);
                copied = 1;
            }
            if (h.n == 0 || gsl_rng_uniform(r) < p_push) {
                double t = now + draw_dt(r, shape);
                unsigned prio = (unsigned)gsl_rng_uniform_int(r, 3);
                struct evq_event ev = {t,       (uint64_t)prio << 56 | h.seq++,
                                       id % 8,  id,
                                       id * 3u, id ^ 0x5au};
                assert_int_equal(
                    evq_push(q, t, prio, ev.kind, ev.id, ev.gen, ev.aux), 0);
                if (copied)
                    assert_int_equal(
                        evq_push(c, t, prio, ev.kind, ev.id, ev.gen, ev.aux),
                        0);
                ref_push(&h, ev);
                id++;
            } else {
                struct evq_event want = ref_pop(&h), got, gotc;
                assert_int_equal(evq_pop(q, &got), 0);
                if (got.t != want.t || got.key != want.key ||
                    got.id != want.id || got.kind != want.kind ||
                    got.gen != want.gen || got.aux != want.aux)
                    fail_msg("round %d step %d: popped id %u t %a, "
                             "expected id %u t %a",
                             round, step, got.id, got.t, want.id, want.t);
                if (copied) {
                    assert_int_equal(evq_pop(c, &gotc), 0);
                    assert_memory_equal(&gotc, &got, sizeof got);
                }
                if (isfinite(got.t))
                    now = got.t;
            }
            assert_int_equal(evq_size(q), h.n);
        }
        evq_free(q);
        evq_free(c);
        free(h.e);
    }
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty),
        cmocka_unit_test(test_random_order),
        cmocka_unit_test(test_ties),
        cmocka_unit_test(test_fifo_at_equal_times),
        cmocka_unit_test(test_lazy_cancellation),
        cmocka_unit_test(test_growth_million),
        cmocka_unit_test(test_clear),
        cmocka_unit_test(test_max_n),
        cmocka_unit_test(test_hold),
        cmocka_unit_test(test_vs_reference),
    };
    return cmocka_run_group_tests_name("evq", tests, NULL, NULL);
}
