/*
 * sweep_int: what the sweep files share inside the module (not part of
 * the sweep.h contract). sweep.c reads sweep files, sweep_values.c their
 * value lists; sweep_point.c turns grid points into parameters and
 * replications into values; sweep_run.c schedules tasks on threads,
 * sweep_mpi.c over MPI ranks; sweep_out.c writes the journal and the
 * CSVs, sweep_merge.c merges shards; sweep_plot.c draws the charts.
 */
#ifndef SALESCAP_SWEEP_INT_H
#define SALESCAP_SWEEP_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "sweep.h"

/* --- sweep_values.c --- */

/* sweep_parse_values() with errors reading "FILE:LINE: [SECTION] NAME:
 * ...". */
int sweep_values_parse(const char *spec, const char *file, int line,
                       const char *section, const char *name, char ***values,
                       size_t *n, struct err *e);

/* --- sweep_point.c --- */

/* A worker's model for the grid point it ran last: kept while the next
 * task is for the same point, rebuilt otherwise. */
struct sweep_cache {
    long point;         /* -1: empty */
    struct params p;
    struct model *m;
    int scen, w0, w1;   /* scenario index; reported weeks summarised */
    double *raw_b, *raw_s;
    size_t raw_cap;     /* doubles in each raw buffer */
};

/* An empty cache. */
void sweep_cache_init(struct sweep_cache *c);

/* Frees c's model and parameters; safe on an initialised cache. */
void sweep_cache_destroy(struct sweep_cache *c);

/* Simulates replications [r0, r1) of point into out[(r - r0) * n_metrics
 * + k] (NaN where undefined). Returns 0, 1 when *stop was set between
 * replications (out incomplete), or -1 with e set. */
int sweep_task_run(const struct sweep *sw, struct sweep_cache *c,
                   size_t point, long r0, long r1, double *out,
                   volatile int *stop, struct err *e);

/* FNV-1a, 64 bits, continuing from h (start with SWEEP_FNV_INIT). */
#define SWEEP_FNV_INIT 0xcbf29ce484222325ull

/* The first words of a journal's first line, which goes on with
 * " hash=H points=P" (H: the grid hash, 16 hex digits, as in sweep.ini). */
#define SWEEP_JOURNAL_MAGIC "salescap sweep journal 1"
uint64_t sweep_fnv(uint64_t h, const void *data, size_t len);

/* --- sweep_run.c --- */

/* One task: replications [r0, r1) of a grid point. */
struct sweep_task {
    long point, r0, r1;
};

/* The scheduler shared by local threads and the MPI coordinator. All
 * fields after `lock` are guarded by it. */
struct sweep_engine {
    const struct sweep *sw;
    const struct sweep_opts *o;
    struct sweep_journal *jr;
    size_t *todo, n_todo;  /* points to run, in grid order */
    long chunk, per_point; /* replications per task, tasks per point */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    size_t next, n_tasks;  /* next task to hand out, of n_tasks */
    double **vals;         /* per point: its values while in flight */
    long *left;            /* per point: tasks not yet complete */
    char **rows;           /* per point: summary fields once finished */
    size_t done;           /* points finished by this run */
    long reps_done;        /* replications simulated by this run */
    int running;           /* local workers still running */
    int failed;
    struct err err;
    double t0, last_log;
};

/* Hands out the next task. Returns 1, or 0 when there is none left (or
 * the run failed or is stopping). Takes the lock. */
int sweep_engine_claim(struct sweep_engine *en, struct sweep_task *t);

/* Marks t complete; its values are in en->vals[t->point] already (copy
 * them there first for remote tasks: sweep_engine_values). Finishes the
 * point when it was its last task: summary, journal. Takes the lock. */
void sweep_engine_complete(struct sweep_engine *en,
                           const struct sweep_task *t);

/* Where t's values go. Valid from claim to complete. */
double *sweep_engine_values(struct sweep_engine *en,
                            const struct sweep_task *t);

/* Records the first failure and stops handing out tasks. Takes the
 * lock. */
void sweep_engine_fail(struct sweep_engine *en, const struct err *e);

/* Seconds on a monotonic clock. */
double sweep_now(void);

/* Draws progress on stderr when due (final: the last time). Takes the
 * lock. */
void sweep_engine_progress(struct sweep_engine *en, int final);

/* --- sweep_mpi.c --- */

/* The rank and number of ranks (0 and 1 without MPI). */
int sweep_mpi_rank(void);
int sweep_mpi_size(void);

/* Rank 0, with local workers started: answers the other ranks' requests
 * until every rank has said goodbye and the local workers are done. */
void sweep_mpi_coordinate(struct sweep_engine *en);

/* Ranks > 0: runs o->jobs workers on tasks from rank 0. Returns 0, or -1
 * (the error was sent to rank 0). */
int sweep_mpi_work(const struct sweep *sw, const struct sweep_opts *o);

/* --- sweep_out.c --- */

struct sweep_journal;

/* Opens the journal of o's shard in o->out_dir: with o->resume, reads
 * the finished points into rows[] (and checks their hashes), else starts
 * an empty one. *resumed gets the count. */
int sweep_journal_open(struct sweep_journal **jr, const struct sweep *sw,
                       const struct sweep_opts *o, char **rows,
                       size_t *resumed, struct err *e);

/* Appends point's summary row, flushed and fsynced. */
int sweep_journal_append(struct sweep_journal *jr, const struct sweep *sw,
                         size_t point, const char *row, struct err *e);

/* Closes the journal; NULL is fine. */
void sweep_journal_close(struct sweep_journal *jr);

/* Writes sweep.csv (or the shard file) and sweep.ini from rows[] (every
 * point of the shard set). csv gets the path written. */
int sweep_write_results(const struct sweep *sw, const struct sweep_opts *o,
                        char *const *rows, char *csv, size_t csv_size,
                        struct err *e);

/* Whether point belongs to o's shard. */
int sweep_in_shard(const struct sweep_opts *o, size_t point);

#endif
