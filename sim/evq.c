/*
 * evq: the future event list: a small 4-ary min-heap of near events in
 * front of a calendar of buckets for the rest.
 *
 * Why two tiers: the model keeps hundreds of events pending (every client's
 * next ticket and anniversary) but almost every pop is of an event due
 * soon. In one big heap each pop sifts through all its levels; here the
 * heap holds only the current bucket's events, and an event due later
 * costs one append to its bucket's list (Brown's calendar queue, with a
 * heap for the bucket in hand).
 *
 * Invariant. Let x(t) = (t - start) * inv (a monotone non-decreasing
 * function of t: a subtraction and a multiplication by inv > 0, both
 * rounded monotonically). Then
 * - the heap holds exactly the pending events with x(t) < near_x, where
 *   near_x = nextb, the index of the next bucket to open; it is non-empty
 *   whenever any event is pending (so peek needs no work);
 * - bucket b (nextb <= b < nb) holds those with floor(x(t)) = b;
 * - the overflow list holds those with x(t) >= nb (or t infinite).
 * Because x is monotone, every heap event precedes every bucket event, and
 * bucket b's precede bucket b + 1's, in the order (t, key): the order is
 * exactly that of one heap, whatever the tiers. key = prio << 56 | seq,
 * seq counting pushes since init or clear, so keys are unique and the
 * order is total: the pop order never depends on the layout.
 *
 * Heap mode: with few events pending (or times that cannot be spread over
 * buckets: all equal, or infinite) there are no buckets (nb = 0) and
 * inv = 0, near_x = 1, so x(t) = 0 < 1 for every finite t (NaN for an
 * infinite one, which !(x >= near_x) also sends to the heap): one plain
 * heap. The calendar is (re)built from the events themselves when the
 * heap grows past switch_at, and again whenever its buckets run out.
 */
#include "evq_int.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* With the model's handlers in .text.hot (MODEL_HOT, sim/model_int.h):
 * push, pop and the calendar's advance run on every event. */
#define EVQ_HOT         __attribute__((hot))
#define EVQ_DEFAULT_CAP 64 /* events */
#define EVQ_SEQ_BITS    56
#define EVQ_NONE        UINT32_MAX
#define EVQ_SWITCH      128 /* heap size that calls for a calendar */
#define EVQ_FEW         32  /* fewer pending events: stay a heap */
/* Tuned on the event streams of the flagship file and of a pure queue
 * (replayed push for push): wider or fewer buckets cost more. */
#define EVQ_PER_BUCKET        1 /* events per bucket at the front, when built */
#define EVQ_SAMPLE            32 /* front events that set the bucket width */
#define EVQ_BUCKETS_PER_EVENT 8  /* at most, when the calendar is built */
#define EVQ_CHECK             64 /* bucket openings between density checks */
#define EVQ_DENSE             4  /* times EVQ_PER_BUCKET: too dense, rebuild */

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

/* ---- the heap --------------------------------------------------------- */

/* Sift up: moves parents down into the hole at i until ev fits. */
static inline void heap_up(struct evq_event *h, size_t i,
                           const struct evq_event *ev)
{
    while (i > 0) {
        size_t p = (i - 1) / 4;
        if (evq_less(&h[p], ev->t, ev->key))
            break;
        h[i] = h[p];
        i = p;
    }
    h[i] = *ev;
}

/* Index of the least of the four children starting at c. */
static inline size_t evq_min4(const struct evq_event *h, size_t c)
{
    size_t a = c + evq_before(&h[c + 1], &h[c]);
    size_t b = c + 2 + evq_before(&h[c + 3], &h[c + 2]);
    return evq_before(&h[b], &h[a]) ? b : a;
}

/* Sift down: moves children up into the hole at i (heap of n) until ev
 * fits. Inlined into pop even though it has three callers: a call costs
 * as much as a sift through the two-event heap of an M/M/1. */
__attribute__((always_inline)) static inline void
heap_down(struct evq_event *h, size_t n, size_t i, struct evq_event ev)
{
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
        if (!evq_before(&h[m], &ev))
            break;
        h[i] = h[m];
        i = m;
    }
    h[i] = ev;
}

/* Floyd's bottom-up construction of the heap h[0..n). */
static void heap_make(struct evq_event *h, size_t n)
{
    for (size_t i = n > 1 ? (n - 2) / 4 + 1 : 0; i-- > 0;)
        heap_down(h, n, i, h[i]);
}

/* ---- the calendar ----------------------------------------------------- */

static uint32_t pool_alloc(struct evq *q)
{
    uint32_t i = q->free;
    if (i != EVQ_NONE) {
        q->free = q->next[i];
        return i;
    }
    return q->top++;
}

static void pool_free(struct evq *q, uint32_t i)
{
    q->next[i] = q->free;
    q->free = i;
}

/* The list for an event at x = x(t) >= near_x: its bucket, or the
 * overflow. (x < nb_x < 2^32 here, so the signed conversion is exact and
 * is one instruction, where size_t's is several.) */
static inline uint32_t *list_of(struct evq *q, double x)
{
    if (x < q->nb_x)
        return &q->head[(int64_t)x];
    q->n_over++;
    return &q->over;
}

/* Files ev, with x = x(ev->t) >= near_x, in its bucket or the overflow. */
static inline void far_push(struct evq *q, double x, const struct evq_event *ev)
{
    uint32_t i = pool_alloc(q);
    q->pool[i] = *ev;
    uint32_t *list = list_of(q, x);
    q->next[i] = *list;
    *list = i;
}

static void set_heap_mode(struct evq *q)
{
    q->nb = q->nextb = 0;
    q->nb_x = 0.0;
    q->start = q->inv = 0.0;
    q->near_x = 1.0;
}

/* Moves every event of list `i` into the heap (unordered; the caller
 * restores the heap). */
static void list_to_heap(struct evq *q, uint32_t i)
{
    while (i != EVQ_NONE) {
        uint32_t nx = q->next[i];
        q->heap[q->nh++] = q->pool[i];
        pool_free(q, i);
        i = nx;
    }
}

/* Makes sure there is room for nb bucket heads. */
static int heads_reserve(struct evq *q, size_t nb)
{
    if (nb <= q->cap_b)
        return 0;
    uint32_t *h = realloc(q->head, nb * sizeof *h);
    if (!h)
        return -1;
    q->head = h;
    q->cap_b = nb;
    return 0;
}

/* The width of a bucket: enough for about EVQ_PER_BUCKET of the events at
 * the front of the overflow list (the soonest EVQ_SAMPLE finite times),
 * whose density is what the next pops meet; pending times are far from
 * uniform (a ticket due in days, an anniversary in a year). Sets *lo and
 * *hi to the least and greatest finite times. Returns 0 when no width
 * works (fewer than two distinct finite times). */
static double bucket_width(const struct evq *q, double *lo, double *hi)
{
    double k[EVQ_SAMPLE]; /* the least times seen, ascending */
    size_t nk = 0;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (uint32_t i = q->over; i != EVQ_NONE; i = q->next[i]) {
        double t = q->pool[i].t;
        if (!isfinite(t))
            continue;
        *hi = t > *hi ? t : *hi;
        if (nk == EVQ_SAMPLE && !(t < k[nk - 1]))
            continue;
        size_t j = nk < EVQ_SAMPLE ? nk++ : nk - 1;
        for (; j > 0 && k[j - 1] > t; j--)
            k[j] = k[j - 1];
        k[j] = t;
    }
    if (nk < 2 || !(*hi > k[0]))
        return 0.0;
    *lo = k[0];
    double w = (k[nk - 1] - k[0]) * EVQ_PER_BUCKET / (double)(nk - 1);
    if (!(w > 0.0)) /* ties at the front: spread over the whole range */
        w = (*hi - *lo) * EVQ_PER_BUCKET / (double)q->n_over;
    return w;
}

/* Files the overflow list's events in buckets b >= 0 or back in the
 * overflow, by x(t) with the current start and inv. */
static void distribute(struct evq *q)
{
    uint32_t i = q->over;
    q->over = EVQ_NONE;
    q->n_over = 0;
    while (i != EVQ_NONE) {
        uint32_t nx = q->next[i];
        uint32_t *list = list_of(q, (q->pool[i].t - q->start) * q->inv);
        q->next[i] = *list;
        *list = i;
        i = nx;
    }
}

/* Builds the calendar from the overflow list, which holds every pending
 * event (the heap and buckets are empty): buckets from the least time on,
 * at most EVQ_BUCKETS_PER_EVENT per event; later events stay in the
 * overflow until the buckets run out. Falls back to heap mode for few
 * events or times that cannot be spread. */
static void rebuild(struct evq *q)
{
    double lo = 0.0, hi = 0.0;
    double w = q->n_over >= EVQ_FEW ? bucket_width(q, &lo, &hi) : 0.0;
    double inv = w > 0.0 ? 1.0 / w : 0.0;
    double span = (hi - lo) * inv + 1.0,
           most = EVQ_BUCKETS_PER_EVENT * (double)q->n_over;
    size_t nb = (size_t)(span < most ? span : most) + 1;
    if (!(inv > 0.0) || !isfinite(inv) || heads_reserve(q, nb) != 0) {
        set_heap_mode(q);
        uint32_t all = q->over;
        q->over = EVQ_NONE;
        q->n_over = 0;
        list_to_heap(q, all);
        heap_make(q->heap, q->nh);
        q->switch_at = 2 * q->n > EVQ_SWITCH ? 2 * q->n : EVQ_SWITCH;
        return;
    }
    q->start = lo;
    q->inv = inv;
    q->nb = nb;
    q->nb_x = (double)nb;
    q->nextb = 0;
    q->near_x = 0.0;
    for (size_t b = 0; b < nb; b++)
        q->head[b] = EVQ_NONE;
    distribute(q);
    q->opened = q->moved = 0;
}

/* After a calendar is built and its first bucket opened: the heap may
 * grow to twice its size now (and at least to half of all events) before
 * a regather, so a bucket that holds most events (many equal times, one
 * far outlier) cannot make every push rebuild: the O(n) rebuilds stay
 * O(1) per push. */
static void set_switch(struct evq *q)
{
    size_t s = 2 * q->nh > q->n / 2 ? 2 * q->nh : q->n / 2;
    q->switch_at = s > EVQ_SWITCH ? s : EVQ_SWITCH;
}

static void evq_regather(struct evq *q);

/* Called every check_every bucket openings. Far more events per bucket
 * than the calendar was built for means the front got denser since the
 * rebuild (a run's first calendar is built from its first events, mostly
 * far off): rebuild from what is pending now. While rebuilding does not
 * help (many equal times), the interval doubles, so the O(n) rebuilds
 * cost O(1) per opening. */
__attribute__((noinline, cold)) static void evq_check_density(struct evq *q)
{
    int dense = q->moved > EVQ_DENSE * EVQ_PER_BUCKET * q->opened;
    q->opened = q->moved = 0;
    if (!dense) {
        q->check_every = EVQ_CHECK;
        return;
    }
    q->check_every *= 2;
    evq_regather(q);
}

/* Moves the events of bucket b (a non-empty list) into the empty heap. */
static inline void open_bucket(struct evq *q, size_t b)
{
    uint32_t i = q->head[b];
    q->head[b] = EVQ_NONE;
    q->nextb = b + 1;
    q->near_x = (double)(int64_t)(b + 1);
    /* A bucket holds a handful of events: sifting each one up costs less
     * than Floyd's construction would. */
    do {
        uint32_t nx = q->next[i];
        heap_up(q->heap, q->nh++, &q->pool[i]);
        pool_free(q, i);
        i = nx;
    } while (i != EVQ_NONE);
    q->moved += q->nh;
    if (__builtin_expect(++q->opened >= q->check_every, 0))
        evq_check_density(q);
}

/* The buckets ran out: a new calendar from the overflow, and its first
 * bucket opened. */
__attribute__((noinline, cold)) static void evq_next_calendar(struct evq *q)
{
    do {
        q->nextb = q->nb;
        assert(q->over != EVQ_NONE);
        rebuild(q);
        if (q->nh > 0)
            return; /* heap mode */
        size_t b = 0;
        while (b < q->nb && q->head[b] == EVQ_NONE)
            b++;
        if (b < q->nb)
            open_bucket(q, b);
    } while (q->nh == 0);
    set_switch(q);
}

/* The heap ran dry with events still pending: opens the next non-empty
 * bucket, rebuilding the calendar when the buckets run out. */
__attribute__((noinline)) EVQ_HOT static void evq_advance(struct evq *q)
{
    size_t b = q->nextb, nb = q->nb;
    while (b < nb && q->head[b] == EVQ_NONE)
        b++;
    if (b < nb)
        open_bucket(q, b);
    else
        evq_next_calendar(q);
}

/* The heap has grown past switch_at, or the buckets run too dense: every
 * event goes back to the overflow list and the calendar is rebuilt around
 * them. O(n); see set_switch and evq_check_density for why it stays O(1)
 * per operation. */
static void evq_regather(struct evq *q)
{
    for (size_t k = 0; k < q->nh; k++) {
        uint32_t i = pool_alloc(q);
        q->pool[i] = q->heap[k];
        q->next[i] = q->over;
        q->over = i;
    }
    q->n_over += q->nh;
    q->nh = 0;
    for (size_t b = q->nextb; b < q->nb; b++) {
        for (uint32_t i = q->head[b]; i != EVQ_NONE;) {
            uint32_t nx = q->next[i];
            q->next[i] = q->over;
            q->over = i;
            q->n_over++;
            i = nx;
        }
    }
    q->nb = q->nextb = 0;
    q->nb_x = 0.0;
    rebuild(q);
    if (q->nh == 0) {
        evq_advance(q);
        set_switch(q);
    }
}

/* ---- storage ---------------------------------------------------------- */

/* Resizes the three arrays of events to cap; on failure keeps them. */
static int evq_resize(struct evq *q, size_t cap)
{
    if (cap > UINT32_MAX - 1 || cap > SIZE_MAX / sizeof(struct evq_event))
        return -1;
    struct evq_event *h = realloc(q->heap, cap * sizeof *h);
    if (!h)
        return -1;
    q->heap = h;
    struct evq_event *p = realloc(q->pool, cap * sizeof *p);
    if (!p)
        return -1;
    q->pool = p;
    uint32_t *nx = realloc(q->next, cap * sizeof *nx);
    if (!nx)
        return -1;
    q->next = nx;
    q->cap = cap;
    return 0;
}

struct evq *evq_alloc(size_t cap)
{
    struct evq *q = calloc(1, sizeof *q);
    if (!q)
        return NULL;
    evq_clear(q);
    if (evq_resize(q, cap ? cap : EVQ_DEFAULT_CAP) != 0) {
        evq_free(q);
        return NULL;
    }
    return q;
}

void evq_free(struct evq *q)
{
    if (!q)
        return;
    free(q->heap);
    free(q->pool);
    free(q->next);
    free(q->head);
    free(q);
}

size_t evq_size(const struct evq *q)
{
    return q->n;
}

void evq_set_max(struct evq *q, size_t max_n)
{
    q->max_n = max_n;
}

size_t evq_max(const struct evq *q)
{
    return q->max_n;
}

void evq_clear(struct evq *q)
{
    q->n = q->nh = 0;
    q->seq = 0;
    q->top = 0;
    q->free = q->over = EVQ_NONE;
    q->n_over = 0;
    q->switch_at = EVQ_SWITCH;
    q->opened = q->moved = 0;
    q->check_every = EVQ_CHECK;
    set_heap_mode(q);
}

int evq_copy(struct evq *dst, const struct evq *src)
{
    if (dst->cap < src->cap && evq_resize(dst, src->cap) != 0)
        return -1;
    if (heads_reserve(dst, src->nb) != 0)
        return -1;
    struct evq_event *heap = dst->heap, *pool = dst->pool;
    uint32_t *next = dst->next, *head = dst->head;
    size_t cap = dst->cap, cap_b = dst->cap_b;
    *dst = *src;
    dst->heap = heap;
    dst->pool = pool;
    dst->next = next;
    dst->head = head;
    dst->cap = cap;
    dst->cap_b = cap_b;
    memcpy(heap, src->heap, src->nh * sizeof *heap);
    memcpy(pool, src->pool, src->top * sizeof *pool);
    memcpy(next, src->next, src->top * sizeof *next);
    /* Buckets below nextb are open (empty) and never read again before a
     * rebuild sets them. */
    if (src->nb > src->nextb)
        memcpy(head + src->nextb, src->head + src->nextb,
               (src->nb - src->nextb) * sizeof *head);
    return 0;
}

/* The slow path of push: the cap is reached, or the arrays are full and
 * double (to at most max_n). Returns 0, or -1 with q unchanged. */
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
    return evq_resize(q, cap);
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

EVQ_HOT int evq_push(struct evq *q, double t, unsigned prio, uint32_t kind,
                     uint32_t id, uint32_t gen, uint32_t aux)
{
    assert(t == t && "event time is NaN");
    assert(prio <= EVQ_PRIO_MAX);
    assert(q->seq < (UINT64_C(1) << EVQ_SEQ_BITS));
    /* n >= max_n is n > max_n - 1, which is never true for max_n = 0 (no
     * cap): one comparison fewer on every push. */
    if (__builtin_expect((q->n >= q->cap) | (q->n > q->max_n - 1), 0))
        return evq_push_slow(q, t, prio, kind, id, gen, aux);
    const struct evq_event ev = {
        t, (uint64_t)prio << EVQ_SEQ_BITS | q->seq++, kind, id, gen, aux};
    q->n++;
    double x = (t - q->start) * q->inv;
    if (!(x >= q->near_x)) {
        heap_up(q->heap, q->nh++, &ev);
        if (__builtin_expect(q->nh > q->switch_at, 0))
            evq_regather(q);
        return 0;
    }
    far_push(q, x, &ev);
    if (q->nh == 0)
        evq_advance(q);
    return 0;
}

EVQ_HOT int evq_pop(struct evq *q, struct evq_event *ev)
{
    if (q->n == 0)
        return -1;
    struct evq_event *h = q->heap;
    *ev = h[0];
    q->n--;
    size_t n = --q->nh;
    if (n > 1)
        heap_down(h, n, 0, h[n]);
    else if (n == 1) /* the last event left: no comparison to make */
        h[0] = h[1];
    else if (q->n > 0)
        evq_advance(q); /* out of line: pop itself then needs no frame */
    return 0;
}

const struct evq_event *evq_peek(const struct evq *q)
{
    return q->n ? &q->heap[0] : NULL;
}
