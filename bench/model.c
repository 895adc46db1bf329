/*
 * model: the full model, timed in process.
 *
 *   pure_queue   one replication of bench/pure_queue.ini, the M/M/1 of
 *                bench/mm1_floor.c written as a scenario file (100 clients,
 *                one 24/7 server, load 0.9, about 1,000,000 tickets): ns per
 *                ticket, to compare with the floor's ns per customer.
 *   simulate F   run_simulate() on file F at its default replications on
 *                one thread, then on two: the simulation alone, without
 *                the loading and the output of `salescap run`, so that
 *                how the replication pool scales shows apart from them.
 *
 * Output: rows "name,value,unit" on stdout (see bench/run.sh).
 * Usage: model pure_queue | model simulate FILE.ini
 */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "model.h"
#include "run.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int load(struct params *p, const char *path)
{
    struct config cfg = {0};
    struct err e = {0};
    memset(p, 0, sizeof *p);
    int rc = config_load(&cfg, path, &e) || config_resolve(&cfg, p, &e);
    if (rc)
        fprintf(stderr, "model: %s\n", e.msg);
    config_destroy(&cfg);
    return rc;
}

static int bench_pure_queue(void)
{
    struct params p;
    if (load(&p, "bench/pure_queue.ini") != 0)
        return 1;
    struct err e = {0};
    size_t n = (size_t)(p.sim.warmup_weeks + p.sim.horizon_weeks) * RAW_COUNT;
    double *raw = malloc(n * sizeof *raw);
    struct model *m = model_alloc(&p, &e);
    struct model_totals t;
    if (!raw || !m)
        return 1;
    double t0 = now_s();
    int rc = model_run(m, -1, 0, raw, &t, &e);
    double dt = now_s() - t0;
    if (rc != 0) {
        fprintf(stderr, "model: %s\n", e.msg);
        return 1;
    }
    printf("model_pure_queue_ns_per_ticket,%.2f,ns\n",
           1e9 * dt / t.tickets_started);
    printf("model_pure_queue_tickets,%.0f,tickets\n", t.tickets_started);
    printf("model_pure_queue_events,%llu,events\n",
           (unsigned long long)t.events);
    printf("model_pure_queue_mean_wait,%.6f,days\n",
           t.ticket_wait_sum / t.tickets_started);
    model_free(m);
    free(raw);
    params_destroy(&p);
    return 0;
}

static int bench_simulate(const char *path)
{
    struct params p;
    if (load(&p, path) != 0)
        return 1;
    for (int jobs = 1; jobs <= 2; jobs++) {
        struct run_opts o = {.jobs = jobs, .replications = p.sim.replications};
        struct run_result r = {0};
        struct err e = {0};
        if (run_simulate(&p, &o, &r, &e) != 0) {
            fprintf(stderr, "model: %s\n", e.msg);
            return 1;
        }
        printf("flagship_simulate_j%d_s,%.4f,s\n", jobs, r.seconds);
        run_result_destroy(&r);
    }
    params_destroy(&p);
    return 0;
}

int main(int argc, char **argv)
{
    gsl_set_error_handler_off();
    if (argc == 2 && strcmp(argv[1], "pure_queue") == 0)
        return bench_pure_queue();
    if (argc == 3 && strcmp(argv[1], "simulate") == 0)
        return bench_simulate(argv[2]);
    fprintf(stderr, "usage: model pure_queue | model simulate FILE.ini\n");
    return 2;
}
