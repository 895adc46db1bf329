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

/* The list itself: opaque (its layout is sim/evq_int.h's, private to
 * evq.c and its tests). */
struct evq;

#define EVQ_PRIO_MAX 255u

/* A new empty list with room for cap events (0 picks a default), with
 * no cap on pending events. Returns NULL when out of memory. */
struct evq *evq_alloc(size_t cap);

/* Frees q and its memory; safe on NULL. */
void evq_free(struct evq *q);

/* Removes every event and restarts the sequence at 0; keeps the memory. */
void evq_clear(struct evq *q);

/* Makes dst an exact copy of src: the same pending events
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
int evq_push(struct evq *q, double t, unsigned prio, uint32_t kind, uint32_t id,
             uint32_t gen, uint32_t aux);

/* Removes the earliest event into *ev. Returns 0, or -1 when empty. */
int evq_pop(struct evq *q, struct evq_event *ev);

/* The earliest event, or NULL when empty. The pointer is valid until the
 * next push or pop. */
const struct evq_event *evq_peek(const struct evq *q);

/* The number of pending events. */
size_t evq_size(const struct evq *q);

/* Caps the pending events at max_n (0: no cap): a push beyond fails, and
 * the arrays never grow past it. Pending events above a lowered cap
 * stay; pushes fail until pops bring them under. */
void evq_set_max(struct evq *q, size_t max_n);

/* The cap set by evq_set_max (0: none). */
size_t evq_max(const struct evq *q);

#endif
