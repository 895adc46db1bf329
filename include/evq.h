/*
 * evq: the future event list of one replication.
 *
 * Events are ordered by time, then priority (lower first), then insertion
 * sequence, so two runs with the same inputs pop events in the same order:
 * ties never depend on the layout. Events due soon wait in a small 4-ary
 * min-heap, later ones in the buckets of a calendar (see evq.c); pushing
 * never allocates once the arrays have grown to the peak number of pending
 * events.
 *
 * Cancellation is lazy: an event carries a generation tag that the model
 * compares with the entity's current generation when the event is popped;
 * a mismatch means the event was superseded and is dropped by the caller.
 * Events name entities by index (id), never by pointer.
 */
#ifndef SALESCAP_EVQ_H
#define SALESCAP_EVQ_H

#include <stddef.h>
#include <stdint.h>

struct evq_event {
    double t;      /* simulation time, days */
    uint64_t key;  /* priority (high 8 bits) and insertion sequence */
    uint32_t kind; /* the model's event kind */
    uint32_t id;   /* entity index */
    uint32_t gen;  /* generation tag for lazy cancellation */
    uint32_t aux;  /* a small payload the model may use */
};

/* The fields are evq.c's; callers read n (via evq_size) and cap, and may
 * set max_n. */
struct evq {
    struct evq_event *heap; /* near events, a 4-ary min-heap of nh */
    size_t n, cap;          /* pending events in all tiers; room for cap */
    uint64_t seq;           /* next insertion sequence number */
    size_t max_n;           /* cap on pending events; 0 = none */
    size_t nh;              /* events in the heap */
    size_t switch_at;       /* heap size that rebuilds the calendar */
    struct evq_event *pool; /* events in buckets and overflow */
    uint32_t *next;         /* pool links; free list; high-water mark */
    uint32_t free, top;
    uint32_t *head;         /* bucket lists, nb of them (cap_b) */
    size_t nb, cap_b, nextb;/* nextb: the next bucket to open */
    uint32_t over;          /* events past the last bucket */
    size_t n_over;
    double start, inv;      /* bucket of t: (t - start) * inv */
    double nb_x;            /* = nb */
    size_t opened, moved;   /* buckets opened, events they held */
    size_t check_every;     /* openings between density checks */
    double near_x;          /* = nextb: below it, an event is near */
};

#define EVQ_PRIO_MAX 255u

/* Initialises an empty list with room for cap events (0 picks a default).
 * Returns 0, or -1 when out of memory. */
int evq_init(struct evq *q, size_t cap);

/* Frees the array; safe on a zeroed struct. */
void evq_destroy(struct evq *q);

/* Removes every event and restarts the sequence at 0; keeps the memory. */
void evq_clear(struct evq *q);

/* Makes dst (initialised) an exact copy of src: the same pending events
 * with the same keys and the same next sequence number, so both pop the
 * same events in the same order from now on. Keeps dst's memory where it
 * is big enough. Returns 0, or -1 when out of memory (dst then unusable
 * until cleared). */
int evq_copy(struct evq *dst, const struct evq *src);

/* An upper bound on the bytes per pending event of a list at its
 * largest: the event in the heap and in the pool, its link, and up to
 * eight buckets (the memory cap of the model counts events by it). */
#define EVQ_BYTES_PER_EVENT (2 * sizeof(struct evq_event) + 36)

/* Schedules an event. prio <= EVQ_PRIO_MAX. Returns 0, or -1 when the array
 * cannot grow (out of memory, or more than max_n pending events). */
int evq_push(struct evq *q, double t, unsigned prio, uint32_t kind,
             uint32_t id, uint32_t gen, uint32_t aux);

/* Removes the earliest event into *ev. Returns 0, or -1 when empty. */
int evq_pop(struct evq *q, struct evq_event *ev);

/* The earliest event, or NULL when empty. The pointer is valid until the
 * next push or pop. */
const struct evq_event *evq_peek(const struct evq *q);

static inline size_t evq_size(const struct evq *q) { return q->n; }

#endif
