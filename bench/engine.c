/*
 * engine: salescap's event list, generator and distributions under load.
 *
 *   mm1       the M/M/1 of bench/mm1_floor.c (same seed, same draws in the
 *             same order, so the same mean time in system), written with
 *             evq + rng + dist as the model uses them.
 *   hold N    the classic hold model at N pending events: pop the earliest
 *             event, push it again at its time plus an exponential(1)
 *             increment drawn through dist_sample. ns per hold (one pop and
 *             one push), after a warm-up that lets the heap's time
 *             distribution settle.
 *
 * Output: rows "name,value,unit" on stdout (see bench/run.sh).
 * Usage: engine            every benchmark
 *        engine mm1 | engine hold N
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dist.h"
#include "evq.h"
#include "rng.h"

#define NCUST 1000000
#define SEED  UINT64_C(2024)

enum { ARRIVAL, DEPARTURE };

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void parse_or_die(struct dist *d, const char *spec)
{
    struct err e = {0};
    if (dist_parse(d, spec, 1, &e) != 0) {
        fprintf(stderr, "engine: %s: %s\n", spec, e.msg);
        exit(1);
    }
}

static int bench_mm1(void)
{
    char spec[64];
    struct dist gap, service;
    snprintf(spec, sizeof spec, "exponential(%.17g)", 1 / 0.9);
    parse_or_die(&gap, spec);
    parse_or_die(&service, "exponential(1)");
    gsl_rng *ra = gsl_rng_alloc(rng_xoshiro256pp);
    gsl_rng *rs = gsl_rng_alloc(rng_xoshiro256pp);
    double *arrived_at = malloc(NCUST * sizeof *arrived_at);
    struct evq *q;
    if (!ra || !rs || !arrived_at || !(q = evq_alloc(0)))
        return 1;
    rng_reseed(ra, rng_key(SEED, 1));
    rng_reseed(rs, rng_key(SEED, 2));

    uint32_t scheduled = 0, arrived = 0, served = 0;
    long events = 0;
    int busy = 0;
    double total_time = 0;
    struct evq_event e;

    double t0 = now_s();
    evq_push(q, dist_sample(&gap, ra), 0, ARRIVAL, 0, 0, 0);
    scheduled = 1;
    while (evq_pop(q, &e) == 0) {
        events++;
        switch (e.kind) {
        case ARRIVAL:
            arrived_at[arrived++] = e.t;
            if (scheduled < NCUST) {
                evq_push(q, e.t + dist_sample(&gap, ra), 0, ARRIVAL,
                         scheduled++, 0, 0);
            }
            if (!busy) {
                busy = 1;
                evq_push(q, e.t + dist_sample(&service, rs), 0, DEPARTURE,
                         served, 0, 0);
            }
            break;
        case DEPARTURE:
            total_time += e.t - arrived_at[served++];
            if (served < arrived)
                evq_push(q, e.t + dist_sample(&service, rs), 0, DEPARTURE,
                         served, 0, 0);
            else
                busy = 0;
            break;
        }
    }
    double dt = now_s() - t0;

    if (served != NCUST) {
        fprintf(stderr, "engine: served %u of %d\n", served, NCUST);
        return 1;
    }
    printf("mm1_engine_events_per_s,%.0f,events/s\n", (double)events / dt);
    printf("mm1_engine_ns_per_event,%.2f,ns\n", 1e9 * dt / (double)events);
    printf("mm1_engine_mean_time_in_system,%.6f,days\n", total_time / NCUST);
    evq_free(q);
    free(arrived_at);
    gsl_rng_free(ra);
    gsl_rng_free(rs);
    return 0;
}

static int bench_hold(size_t n)
{
    struct dist inc;
    parse_or_die(&inc, "exponential(1)");
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256pp);
    struct evq *q;
    if (!r || !(q = evq_alloc(n)))
        return 1;
    rng_reseed(r, rng_key(SEED, n));
    for (size_t i = 0; i < n; i++)
        evq_push(q, dist_sample(&inc, r), 0, 0, (uint32_t)i, 0, 0);
    /* Warm-up: after a few times n holds the pending times no longer
     * remember their initial layout. */
    const long warm = (long)(8 * n) > 1000000 ? (long)(8 * n) : 1000000;
    const long holds = 10000000;
    struct evq_event e;
    for (long k = 0; k < warm; k++) {
        evq_pop(q, &e);
        evq_push(q, e.t + dist_sample(&inc, r), 0, 0, e.id, 0, 0);
    }
    double t0 = now_s();
    for (long k = 0; k < holds; k++) {
        evq_pop(q, &e);
        evq_push(q, e.t + dist_sample(&inc, r), 0, 0, e.id, 0, 0);
    }
    double dt = now_s() - t0;
    printf("hold_%zu_ns_per_event,%.2f,ns\n", n, 1e9 * dt / (double)holds);
    evq_free(q);
    gsl_rng_free(r);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "mm1") == 0)
        return bench_mm1();
    if (argc >= 3 && strcmp(argv[1], "hold") == 0)
        return bench_hold((size_t)strtoul(argv[2], NULL, 10));
    if (argc >= 2) {
        fprintf(stderr, "usage: engine [mm1 | hold N]\n");
        return 2;
    }
    static const size_t sizes[] = {2, 1024, 65536};
    int rc = bench_mm1();
    for (size_t i = 0; i < 3 && rc == 0; i++)
        rc = bench_hold(sizes[i]);
    return rc;
}
