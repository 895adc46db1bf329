/*
 * evq: the future event list, a 4-ary min-heap in one contiguous array.
 *
 * Invariant: for every i > 0, heap[(i - 1) / 4] precedes heap[i] in the
 * order (t, key), where key = prio << 56 | seq and seq counts pushes since
 * init or clear. Keys are unique, so the order is total and the pop order
 * never depends on the heap layout: equal times pop by priority, then in
 * insertion order.
 *
 * Sifting moves a hole instead of swapping: each level costs one copy.
 * (Aligning each group of four children to two cache lines was measured
 * and made no difference, so the array is plain malloc memory.)
 */
#include "evq.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define EVQ_DEFAULT_CAP 64 /* events */
#define EVQ_SEQ_BITS 56

/* Branch-free, so that choosing the least of four children compiles to
 * conditional moves: event times are random, and a mispredicted branch
 * costs more than the comparisons. */
static inline int evq_less(const struct evq_event *a, double t, uint64_t key)
{
    /* Times are never NaN (push asserts it), so "neither is less" means
     * equal; two ordered compares avoid the parity test that == costs. */
    return (a->t < t) | (!(t < a->t) & (a->key < key));
}

static inline int evq_before(const struct evq_event *a,
                             const struct evq_event *b)
{
    return evq_less(a, b->t, b->key);
}

/* Allocates room for cap events. */
static struct evq_event *evq_alloc(size_t cap)
{
    if (cap > SIZE_MAX / sizeof(struct evq_event))
        return NULL;
    return malloc(cap * sizeof(struct evq_event));
}

int evq_init(struct evq *q, size_t cap)
{
    memset(q, 0, sizeof *q);
    if (cap == 0)
        cap = EVQ_DEFAULT_CAP;
    q->heap = evq_alloc(cap);
    if (!q->heap)
        return -1;
    q->cap = cap;
    return 0;
}

void evq_destroy(struct evq *q)
{
    free(q->heap);
    q->heap = NULL;
    q->n = q->cap = 0;
    q->seq = 0;
}

void evq_clear(struct evq *q)
{
    q->n = 0;
    q->seq = 0;
}

/* The slow path of push: the cap is reached, or the array is full and
 * doubles (to at most max_n). Returns 0, or -1 with q unchanged. */
static int evq_make_room(struct evq *q)
{
    if (q->max_n != 0 && q->n >= q->max_n)
        return -1;
    if (q->n < q->cap)
        return 0;
    size_t cap = q->cap ? q->cap : EVQ_DEFAULT_CAP / 2;
    if (cap > SIZE_MAX / 2)
        return -1;
    cap *= 2;
    if (q->max_n != 0 && cap > q->max_n)
        cap = q->max_n;
    struct evq_event *heap =
        cap <= SIZE_MAX / sizeof *heap ? realloc(q->heap, cap * sizeof *heap)
                                       : NULL;
    if (!heap)
        return -1;
    q->heap = heap;
    q->cap = cap;
    return 0;
}

/* Makes room, then pushes. Kept out of line and reached by a tail call, so
 * that the common path of evq_push needs no stack frame. */
__attribute__((noinline, cold)) static int
evq_push_slow(struct evq *q, double t, unsigned prio, uint32_t kind,
              uint32_t id, uint32_t gen, uint32_t aux)
{
    if (evq_make_room(q) != 0)
        return -1;
    return evq_push(q, t, prio, kind, id, gen, aux);
}

int evq_push(struct evq *q, double t, unsigned prio, uint32_t kind,
             uint32_t id, uint32_t gen, uint32_t aux)
{
    assert(t == t && "event time is NaN");
    assert(prio <= EVQ_PRIO_MAX);
    assert(q->seq < (UINT64_C(1) << EVQ_SEQ_BITS));
    if (__builtin_expect(q->n >= q->cap ||
                             (q->max_n != 0 && q->n >= q->max_n), 0))
        return evq_push_slow(q, t, prio, kind, id, gen, aux);
    uint64_t key = (uint64_t)prio << EVQ_SEQ_BITS | q->seq++;
    struct evq_event *h = q->heap;
    size_t i = q->n++;
    /* Sift up: move parents down into the hole until the new event fits. */
    while (i > 0) {
        size_t p = (i - 1) / 4;
        if (evq_less(&h[p], t, key))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = (struct evq_event){t, key, kind, id, gen, aux};
    return 0;
}

/* Index of the least of the four children starting at c. */
static inline size_t evq_min4(const struct evq_event *h, size_t c)
{
    size_t a = c + evq_before(&h[c + 1], &h[c]);
    size_t b = c + 2 + evq_before(&h[c + 3], &h[c + 2]);
    return evq_before(&h[b], &h[a]) ? b : a;
}

int evq_pop(struct evq *q, struct evq_event *ev)
{
    if (q->n == 0)
        return -1;
    struct evq_event *h = q->heap;
    *ev = h[0];
    size_t n = --q->n;
    if (n == 0)
        return 0;
    /* Sift down the last event from a hole at the root. */
    const struct evq_event last = h[n];
    size_t i = 0;
    for (;;) {
        size_t c = 4 * i + 1, m;
        if (c + 3 < n) {
            m = evq_min4(h, c);
        } else if (c < n) {
            m = c;
            for (size_t j = c + 1; j < n; j++)
                m = evq_before(&h[j], &h[m]) ? j : m;
        } else {
            break;
        }
        if (!evq_before(&h[m], &last))
            break;
        h[i] = h[m];
        i = m;
    }
    h[i] = last;
    return 0;
}

const struct evq_event *evq_peek(const struct evq *q)
{
    return q->n ? &q->heap[0] : NULL;
}
