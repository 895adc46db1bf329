/*
 * evq: the future event list of one replication.
 *
 * Events are ordered by time, then priority (lower first), then insertion
 * sequence, so two runs with the same inputs pop events in the same order:
 * ties never depend on heap layout. The list is a 4-ary min-heap in one
 * contiguous array; pushing never allocates once the array has grown to the
 * peak number of pending events.
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

struct evq {
    struct evq_event *heap;
    size_t n, cap;
    uint64_t seq; /* next insertion sequence number */
    size_t max_n; /* cap on pending events; 0 = none */
};

#define EVQ_PRIO_MAX 255u

/* Initialises an empty list with room for cap events (0 picks a default).
 * Returns 0, or -1 when out of memory. */
int evq_init(struct evq *q, size_t cap);

/* Frees the array; safe on a zeroed struct. */
void evq_destroy(struct evq *q);

/* Removes every event and restarts the sequence at 0; keeps the memory. */
void evq_clear(struct evq *q);

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
