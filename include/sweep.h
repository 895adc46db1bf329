/*
 * sweep: a grid of variants of one scenario file, each compared with its
 * baseline over many replications, run on threads, MPI ranks or shards.
 *
 * A sweep file (docs/cluster.md, INTERFACE.md "Sweeps") names a model
 * file, one scenario of it, the metric to summarise and, in [vary], the
 * keys to vary with their values. A grid point is the model file with one
 * value of each varied key put in (config_put), resolved (config_resolve).
 * Its result, per replication r, is the paired difference scenario -
 * baseline of the metric over the chosen quarters (for lost_revenue:
 * baseline - scenario revenue), both runs on the streams of (seed, r).
 *
 * Points whose baselines would be the same (sweep_baseline_note) share
 * it: each replication's baseline runs once for a block of them, and
 * each point's scenario runs on from its checkpoint. With --precision a
 * point stops at the first batch of 20 replications whose interval is
 * within the precision, or at its cap.
 *
 * Work is split into tasks (a block of points, a run of replications)
 * handed out dynamically; each point's values are summarised in
 * replication order once they are in. Nothing a task computes depends on
 * the thread, the MPI rank, the order of completion or whether the
 * baseline was shared, so sweep.csv is byte-identical for any -j, any
 * number of ranks, the serial build, merged shards and separate
 * baselines.
 *
 * Finished points go to a journal (sweep.journal, or
 * shard-K-of-N.journal), one line each, so an interrupted sweep resumes
 * where it stopped (--resume) and ends with the same sweep.csv, which is
 * written from the journal at the end: memory does not grow with the
 * number of points' results.
 */
#ifndef SALESCAP_SWEEP_H
#define SALESCAP_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "err.h"
#include "metrics.h"
#include "params.h"

/* Limits: values of one key, grid points, metrics summarised. */
#define SWEEP_MAX_VALUES  100000
#define SWEEP_MAX_POINTS  1000000
#define SWEEP_MAX_METRICS 16

/* The metric id of lost_revenue (baseline - scenario revenue): one past
 * the metrics of metrics.h. */
#define SWEEP_LOST_REVENUE M_COUNT

/* One key of [vary]. The key `scenario` varies the scenario compared
 * with the baseline: its values are scenario IDs and its section is "". */
struct sweep_param {
    char *name;    /* as written: "sales.reps", "pull.weeks" */
    char *section; /* what it sets: "sales", "scenario.pull_two_weeks" */
    char *key;     /* inside the section: "reps", "pull.weeks" */
    char *spec;    /* the values as written: "0:8:1", "4, 8, 16" */
    int line;      /* of the entry in the sweep file */
    size_t n;      /* values */
    char **values; /* expanded, as written into the model */
};

/* A loaded sweep. Invariant: n_points is the product of the params' n
 * (zip: their common n), at most SWEEP_MAX_POINTS; base holds the model
 * file, with the sweep's replications and seed put in once
 * sweep_prepare() has run. */
struct sweep {
    char *path;        /* the sweep file */
    char *model;       /* its file =, relative to the sweep file */
    char *scenario;    /* the scenario ID compared with the baseline */
    char *title;       /* [sweep] title, or NULL */
    long replications; /* per point; 0 until prepared: the file's */
    int has_seed;
    uint64_t seed;
    int metrics[SWEEP_MAX_METRICS]; /* [0] is `metric`, then `metrics` */
    int n_metrics;
    int q0, q1; /* quarters, 1-based, inclusive; q1 = 0: all */
    int zip;
    size_t n_params;
    struct sweep_param *params;
    int scen_param; /* the [vary] scenario key's index, or -1 */
    size_t n_points;
    struct config base;    /* the model file and overrides */
    double precision;      /* --precision: relative half-width, or 0 */
    long max_replications; /* its cap per point (--max-replications) */
    int separate;          /* --separate-baselines: a baseline per point */
    uint64_t *hash;        /* per point, after sweep_prepare() */
    uint64_t *base_hash;   /* per point: what its baseline reads (below) */
    size_t n_baselines;    /* distinct baselines, after sweep_prepare() */
    uint64_t sweep_hash;   /* of the whole grid, after sweep_prepare() */
    int line_file, line_scenario, line_reps, line_seed, line_quarters;
};

/* Reads the sweep file at path and the model file it names into sw
 * (zeroed). Returns 0, or -1 with e set to "FILE:LINE: message"
 * (ERR_CONFIG; ERR_RUNTIME for no memory) and sw destroyed. */
int sweep_load(struct sweep *sw, const char *path, struct err *e);

/* Frees sw and zeroes it; safe on a zeroed struct. */
void sweep_destroy(struct sweep *sw);

/* Expands a value list as written in [vary] ("4, 8, 16", "0:8:1",
 * "0:2:1, 5", "lognormal(1, 0.2), 2": commas inside parentheses do not
 * split) into *values (n strings, malloc'd; free with
 * sweep_values_free). Ranges START:STOP:STEP include STOP within a
 * relative tolerance of 1e-9 steps; values are written with %.10g.
 * Errors read "FILE:LINE: [vary] NAME: ..." (ERR_CONFIG). */
int sweep_parse_values(const char *spec, const char *file, int line,
                       const char *name, char ***values, size_t *n,
                       struct err *e);

/* Frees n strings and the array. */
void sweep_values_free(char **values, size_t n);

/* Index into params[k].values of point's value of key k. Points run in
 * grid order: the last key of [vary] changes fastest (zip: point i takes
 * value i of every key). */
size_t sweep_value_index(const struct sweep *sw, size_t point, size_t k);

/* The ID of the scenario point compares with the baseline. */
const char *sweep_point_scenario(const struct sweep *sw, size_t point);

/* Writes "pull.weeks = 2, sales.reps = 8" for point into buf. */
void sweep_point_label(const struct sweep *sw, size_t point, char *buf,
                       size_t size);

/* Applies the sweep's replications and seed to the base, resolves every
 * grid point (so a bad value stops the sweep before it starts) and
 * computes the hashes. An error names the sweep file's line and the
 * point: "FILE:LINE: message (at pull.weeks = 2, sales.reps = 8)". */
int sweep_prepare(struct sweep *sw, struct err *e);

/* Points share a baseline when everything their baseline reads is the
 * same: the model's sections, without the keys that only interventions
 * read (a role's lead_weeks; every [support] key but staff when there
 * are no support staff). Each replication's baseline is then simulated
 * once for all of them, and each point's scenario runs on from it with
 * its own parameters (model_run_from_params): the results are those of
 * separate baselines, bit for bit. Writes the note a sweep prints once
 * when it needs several: "sales.reps changes the baseline: 12
 * baselines" (the keys to blame: those that alone change it); "" when
 * every point shares one, or with sw->separate. */
void sweep_baseline_note(const struct sweep *sw, char *buf, size_t size);

/* The resolved parameters of point into p (zeroed; params_destroy it),
 * with *scen the index of the sweep's scenario in p->scenarios and
 * [*w0, *w1) the reported weeks of the quarter range. */
int sweep_point_params(const struct sweep *sw, size_t point, struct params *p,
                       int *scen, int *w0, int *w1, struct err *e);

/* Header of sweep.csv (without line end): the varied keys, then mean,
 * sd, ci_low, ci_high, n, per extra metric NAME_mean, NAME_ci_low,
 * NAME_ci_high, and last `replications`, the replications the point ran
 * (all of them: n leaves out those where the metric is undefined).
 * Returns a malloc'd string, or NULL (no memory). */
char *sweep_csv_header(const struct sweep *sw);

/* How to run. */
struct sweep_opts {
    int jobs;             /* worker threads on this process, >= 1 */
    int resume;           /* skip the points in the journal */
    int shard_k, shard_n; /* run points with index % n == k - 1; 0/0 all */
    const char *out_dir;  /* sweep.csv, sweep.ini, the journal */
    int progress;         /* 0 none, 1 a bar on stderr, 2 a log line a
                             minute at most */
    volatile int *stop;   /* set by a signal handler: stop soon */
};

/* A point of the results, for the table of the highest and lowest
 * means that a sweep too large to print whole prints instead. */
#define SWEEP_TOP_N 10
struct sweep_top {
    size_t point;
    double mean, lo, hi; /* lo, hi: NaN without an interval */
    long n;
};

/* What a run did, for the command's messages. */
struct sweep_report {
    int rank;                /* MPI rank (0 without MPI): only 0 prints */
    int ranks, workers;      /* MPI ranks and worker threads in all */
    size_t points;           /* this run's points (its shard) */
    size_t resumed;          /* of them, taken from the journal */
    size_t done;             /* finished, resumed ones included */
    long replications;       /* simulated (point, replication) pairs */
    double seconds;          /* wall time of the simulation */
    int stopped;             /* stopped by o->stop */
    char csv[4200];          /* the file written (sweep.csv or the shard) */
    long reps_min, reps_max; /* replications per point in that file */
    size_t n_top;            /* entries of top and bottom (the same count) */
    struct sweep_top top[SWEEP_TOP_N];    /* highest means, highest first */
    struct sweep_top bottom[SWEEP_TOP_N]; /* lowest means, lowest first */
};

/* Runs the prepared sweep sw (on every MPI rank when built with MPI:
 * rank 0 hands out tasks and alone writes files). Writes out_dir/sweep.csv
 * (shard: shard-K-of-N.csv) and sweep.ini atomically. Returns 0, or -1
 * with e set; when stopped by o->stop, -1 with rep->stopped set and the
 * finished points in the journal. */
int sweep_run(const struct sweep *sw, const struct sweep_opts *o,
              struct sweep_report *rep, struct err *e);

/* Combines the shard files (shard-K-of-N.csv) found in the folders (or
 * named directly) of srcs into out_dir/sweep.csv and sweep.ini, exactly
 * the files of an unsharded run. Every point must appear exactly once,
 * from shards of the same sweep (sweep.ini's hash). Returns the number
 * of points, or -1 with e set. */
long sweep_merge(const char *out_dir, char *const *srcs, int n, struct err *e);

/* MPI: initialises MPI (funnelled threads) when built with it and
 * started by mpirun; sets *rank and *size (0 and 1 without MPI).
 * Returns 0, or -1 with e set. */
int sweep_mpi_init(int *argc, char ***argv, int *rank, int *size,
                   struct err *e);

/* 1 when sweep_mpi_init() started MPI (the process runs under mpirun
 * or another launcher), else 0. */
int sweep_mpi_started(void);

/* Agrees on a status across MPI ranks (a collective call): returns the
 * largest rc of all ranks, so a failure anywhere stops every rank. */
int sweep_mpi_agree(int rc);

/* Finalises MPI if sweep_mpi_init() started it. */
void sweep_mpi_finalize(void);

#endif
