/*
 * evq_int: the layout of the event list, private to sim/evq.c (and its
 * tests); include/evq.h is the contract, where struct evq is opaque. The
 * invariant of the two tiers (heap and calendar) is stated atop evq.c.
 */
#ifndef SALESCAP_EVQ_INT_H
#define SALESCAP_EVQ_INT_H

#include "evq.h"

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
    uint32_t *head;          /* bucket lists, nb of them (cap_b) */
    size_t nb, cap_b, nextb; /* nextb: the next bucket to open */
    uint32_t over;           /* events past the last bucket */
    size_t n_over;
    double start, inv;    /* bucket of t: (t - start) * inv */
    double nb_x;          /* = nb */
    size_t opened, moved; /* buckets opened, events they held */
    size_t check_every;   /* openings between density checks */
    double near_x;        /* = nextb: below it, an event is near */
};

#endif
