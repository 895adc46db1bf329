/*
 * sweep_int: what the sweep files share inside the module (not part of
 * the sweep.h contract). sweep_file.c reads sweep files, sweep_values.c
 * their value lists; sweep_point.c holds the grid and turns its points
 * into parameters and replications into values; sweep_run.c schedules
 * tasks on threads, sweep_mpi.c over MPI ranks; sweep_out.c writes the
 * journal and the CSVs, sweep_merge.c merges shards. The plot module
 * draws the charts (plot_sweep.c).
 */
#ifndef SALESCAP_SWEEP_INT_H
#define SALESCAP_SWEEP_INT_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "stats.h"
#include "sweep.h"

/* --- sweep_values.c --- */

/* sweep_parse_values() with errors reading "FILE:LINE: [SECTION] NAME:
 * ...". */
int sweep_values_parse(const char *spec, const char *file, int line,
                       const char *section, const char *name, char ***values,
                       size_t *n, struct err *e);

/* --- sweep_point.c --- */

/* Points a task runs at most: a block of points that share a baseline
 * (sweep_run.c), and the point-replications one task computes. */
#define SWEEP_BLOCK_MAX   64
#define SWEEP_TASK_VALUES 64

/* One task: replications [r0, r1) of n points of block `block`, which
 * share a baseline (with sw->separate, n is 1). The point list travels
 * with the task, so a worker (or another MPI rank) needs nothing else. */
struct sweep_task {
    long block; /* the engine's block number */
    long r0, r1;
    int n;
    long points[SWEEP_BLOCK_MAX];
};

/* A point's parameters in a worker's cache. */
struct sweep_entry {
    long point;
    struct params p;
    int scen, w0, w1; /* scenario index; reported weeks summarised */
    int tick;         /* model_divergence_tick of its scenario */
};

/* A worker's models for the block it ran last, kept while the next task
 * is for the same points (or the same baseline), rebuilt otherwise.
 * Invariant: when key_set, bp holds the parameters the baseline runs on
 * (a point's), m and the checkpoints cps (ticks ascending) are built on
 * bp, and e[0..n) the parameters of the last task's points. */
struct sweep_cache {
    int key_set;
    uint64_t key; /* base hash; with sw->separate, the point */
    struct params bp;
    struct model *m;
    int n_cp;
    int cp_tick[SWEEP_BLOCK_MAX];
    struct model_checkpoint *cps[SWEEP_BLOCK_MAX];
    int cp_of[SWEEP_BLOCK_MAX]; /* per entry: the checkpoint it starts from */
    int n;
    struct sweep_entry e[SWEEP_BLOCK_MAX];
    double *raw_b, *raw_s;
    size_t raw_cap; /* doubles in each raw buffer */
};

/* An empty cache. */
void sweep_cache_init(struct sweep_cache *c);

/* Frees c's models and parameters; safe on an initialised cache. */
void sweep_cache_destroy(struct sweep_cache *c);

/* Simulates task t into out[(i * (r1 - r0) + r - r0) * n_metrics + k]
 * for its point i (NaN where undefined): each replication's baseline
 * once, then every point's scenario from its checkpoint (sw->separate:
 * baseline and scenario from scratch, as model_run). Returns 0, 1 when
 * *stop was set between replications (out incomplete), or -1 with e set
 * (naming the point). */
int sweep_task_run(const struct sweep *sw, struct sweep_cache *c,
                   const struct sweep_task *t, double *out, volatile int *stop,
                   struct err *e);

/* FNV-1a, 64 bits, continuing from h (start with SWEEP_FNV_INIT). */
#define SWEEP_FNV_INIT 0xcbf29ce484222325ull

/* The first words of a journal's first line, which goes on with
 * " hash=H points=P" (H: the grid hash, 16 hex digits, as in sweep.ini). */
#define SWEEP_JOURNAL_MAGIC "salescap sweep journal 1"
uint64_t sweep_fnv(uint64_t h, const void *data, size_t len);

/* The statistic fields of a point's row from its accumulators acc[k]
 * (one per metric, fed in replication order) and the replications it
 * ran. Returns a malloc'd string, or NULL. */
char *sweep_summary_fields(const struct sweep *sw, const struct acc *acc,
                           long reps);

/* --- sweep_run.c --- */

struct sweep_block;

/* The scheduler shared by local threads and the MPI coordinator. All
 * fields after `lock` are guarded by it.
 *
 * Points to run (in this shard, not in the journal) are ordered by the
 * baseline they share, in grid order within it (order[]), and cut into
 * blocks of at most SWEEP_BLOCK_MAX points of one baseline. A block runs
 * in rounds: every replication with --precision batches of 20 (then a
 * point stops when its interval is within the precision, or at the
 * cap), else ROUND_MAX at a time. A round is split into tasks. When a
 * round's last task is in, its values are added to each point's
 * accumulators in replication order; a finished point is journalled, and
 * the block's remaining points go on with the next round. */
struct sweep_engine {
    const struct sweep *sw;
    const struct sweep_opts *o;
    struct sweep_journal *jr;
    size_t *order, n_todo; /* the points to run, by baseline */
    int workers;           /* in all ranks */
    pthread_mutex_t lock;
    pthread_cond_t cond;
    size_t cursor;             /* next point of order[] to put in a block */
    long next_block;           /* number of the next block */
    struct sweep_block **live; /* blocks in flight, by number */
    int n_live, cap_live;
    size_t done;    /* points finished by this run */
    long reps_done; /* point-replications simulated by this run */
    int running;    /* local workers still running */
    int failed;
    struct err err;
    double t0, last_log;
};

/* Hands out the next task: returns 1, 0 when there will be none (all
 * done, failed or stopping), or, when wait is 0, -1 when there is none
 * yet (a round in progress will open more). With wait set it waits for
 * one instead. Takes the lock. */
int sweep_engine_claim(struct sweep_engine *en, struct sweep_task *t, int wait);

/* Marks t complete with its values vals (as sweep_task_run writes
 * them). Ends the round when it was its last task: accumulators,
 * finished points into the journal, the next round. Takes the lock. */
void sweep_engine_complete(struct sweep_engine *en, const struct sweep_task *t,
                           const double *vals);

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
 * the finished points (and checks their hashes) and sets done[p] for
 * each, else starts an empty one. *resumed gets the count. A journal
 * cut short within its first line (a kill as it was started) counts as
 * empty. The journal stays locked (fcntl) until closed. */
int sweep_journal_open(struct sweep_journal **jr, const struct sweep *sw,
                       const struct sweep_opts *o, unsigned char *done,
                       size_t *resumed, struct err *e);

/* Appends point's summary row, written at once (a killed process loses
 * nothing) and fsynced at most once a second (a power cut may lose the
 * points of the last second, which --resume runs again). */
int sweep_journal_append(struct sweep_journal *jr, const struct sweep *sw,
                         size_t point, const char *row, struct err *e);

/* Fsyncs what was appended since the last fsync. */
int sweep_journal_sync(struct sweep_journal *jr, struct err *e);

/* Closes the journal; NULL is fine. */
void sweep_journal_close(struct sweep_journal *jr);

/* Writes sweep.csv (or the shard file) and sweep.ini from the journal,
 * which holds every point of the shard set: read back line by line, the
 * rows put in grid order, so memory does not grow with the rows. Fills
 * rep's csv, replication range and highest and lowest means. */
int sweep_write_results(const struct sweep *sw, const struct sweep_opts *o,
                        struct sweep_journal *jr, struct sweep_report *rep,
                        struct err *e);

/* Whether point belongs to o's shard. */
int sweep_in_shard(const struct sweep_opts *o, size_t point);

#endif
