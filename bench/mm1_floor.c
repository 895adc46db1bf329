/*
 * mm1_floor: the cost floor for salescap's engine. An M/M/1 queue written
 * by hand, with nothing from salescap but its random number generator
 * (xoshiro256++ from rng.h, so both programs spend the same on randomness).
 *
 * Arrival rate 0.9, service rate 1, exactly 1,000,000 customers, FIFO. The
 * event list is a plain array binary heap of {time, kind}; the run ends when
 * the list is empty. Mean time in system should be near 1 / (1 - 0.9) = 10.
 *
 * Output: rows "name,value,unit" on stdout (see bench/run.sh).
 * Usage: mm1_floor [mm1]     (the only benchmark; the argument is accepted
 *                             so bench/run.sh can call every program alike)
 */
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "rng.h"

#define NCUST        1000000
#define ARRIVAL_RATE 0.9
#define SERVICE_RATE 1.0
#define SEED         UINT64_C(2024)

enum { ARRIVAL, DEPARTURE };

struct ev {
    double t;
    int kind;
};

struct heap {
    struct ev *a;
    size_t n, cap;
};

static void heap_push(struct heap *h, double t, int kind)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? 2 * h->cap : 16;
        h->a = realloc(h->a, h->cap * sizeof *h->a);
        if (!h->a)
            abort();
    }
    size_t i = h->n++;
    while (i > 0 && h->a[(i - 1) / 2].t > t) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i] = (struct ev){t, kind};
}

static struct ev heap_pop(struct heap *h)
{
    struct ev top = h->a[0];
    struct ev last = h->a[--h->n];
    size_t i = 0, n = h->n;
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= n)
            break;
        if (c + 1 < n && h->a[c + 1].t < h->a[c].t)
            c++;
        if (h->a[c].t >= last.t)
            break;
        h->a[i] = h->a[c];
        i = c;
    }
    if (n > 0)
        h->a[i] = last;
    return top;
}

/* An exponential draw as salescap makes it (rng_exponential in rng.h:
 * -mean * log(1 - u)), through GSL's generic uniform, as the floor drew
 * through gsl_ran_exponential before: the same values as the engine's. */
static double exp_draw(gsl_rng *r, double mean)
{
    return 0.0 - mean * log(1.0 - gsl_rng_uniform(r));
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(void)
{
    gsl_rng *ra = gsl_rng_alloc(rng_xoshiro256pp);
    gsl_rng *rs = gsl_rng_alloc(rng_xoshiro256pp);
    double *arrived_at = malloc(NCUST * sizeof *arrived_at);
    if (!ra || !rs || !arrived_at)
        return 1;
    rng_reseed(ra, rng_key(SEED, 1));
    rng_reseed(rs, rng_key(SEED, 2));
    const double mean_gap = 1 / ARRIVAL_RATE, mean_service = 1 / SERVICE_RATE;

    struct heap h = {NULL, 0, 0};
    size_t scheduled = 0, arrived = 0, served = 0;
    long events = 0;
    int busy = 0;
    double total_time = 0;

    double t0 = now_s();
    heap_push(&h, exp_draw(ra, mean_gap), ARRIVAL);
    scheduled = 1;
    while (h.n > 0) {
        struct ev e = heap_pop(&h);
        events++;
        if (e.kind == ARRIVAL) {
            /* Customers are numbered in arrival order; the queue is the
             * range [served, arrived) of that numbering. */
            arrived_at[arrived++] = e.t;
            if (scheduled < NCUST) {
                heap_push(&h, e.t + exp_draw(ra, mean_gap), ARRIVAL);
                scheduled++;
            }
            if (!busy) {
                busy = 1;
                heap_push(&h, e.t + exp_draw(rs, mean_service), DEPARTURE);
            }
        } else {
            total_time += e.t - arrived_at[served++];
            if (served < arrived)
                heap_push(&h, e.t + exp_draw(rs, mean_service), DEPARTURE);
            else
                busy = 0;
        }
    }
    double dt = now_s() - t0;

    if (served != NCUST) {
        fprintf(stderr, "mm1_floor: served %zu of %d\n", served, NCUST);
        return 1;
    }
    printf("mm1_floor_events_per_s,%.0f,events/s\n", (double)events / dt);
    printf("mm1_floor_ns_per_event,%.2f,ns\n", 1e9 * dt / (double)events);
    printf("mm1_floor_ns_per_customer,%.2f,ns\n", 1e9 * dt / NCUST);
    printf("mm1_floor_mean_time_in_system,%.6f,days\n", total_time / NCUST);
    free(h.a);
    free(arrived_at);
    gsl_rng_free(ra);
    gsl_rng_free(rs);
    return 0;
}
