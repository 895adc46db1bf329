/*
 * sweep_run: the tasks of a sweep on local threads, with an in-order
 * summary per point and the journal.
 *
 * Tasks are numbered in grid order (the points still to run, each split
 * into per_point runs of `chunk` replications) and handed out by one
 * counter, to local workers and, under MPI, through rank 0's main thread
 * to the other ranks (sweep_mpi.c). A task writes its values into its
 * point's buffer at the replications' own offsets, so the buffer is the
 * same whoever ran which part; the task completing a point summarises the
 * buffer in replication order, appends the row to the journal and frees
 * the buffer. The main thread only waits, draws progress and, under MPI,
 * talks to the other ranks.
 *
 * Invariant (under the lock): left[p] counts the tasks of point p not yet
 * complete; vals[p] is non-NULL from p's first claim until it finishes;
 * rows[p] is set exactly for finished points (resumed ones included).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sweep_int.h"

#define CHUNK_MAX 64       /* replications per task, at most */
#define TASKS_PER_WORKER 16 /* aim for this many tasks per worker */
#define BAR_INTERVAL_S 0.25
#define LOG_INTERVAL_S 60.0

double sweep_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int sweep_in_shard(const struct sweep_opts *o, size_t point)
{
    return o->shard_n <= 0 ||
           point % (size_t)o->shard_n == (size_t)(o->shard_k - 1);
}

/* ------------------------------------------------------------ tasks */

static int stopping(const struct sweep_engine *en)
{
    return en->o->stop && *en->o->stop;
}

int sweep_engine_claim(struct sweep_engine *en, struct sweep_task *t)
{
    pthread_mutex_lock(&en->lock);
    int ok = !en->failed && !stopping(en) && en->next < en->n_tasks;
    if (ok) {
        size_t i = en->next++;
        long c = (long)(i % (size_t)en->per_point);
        size_t p = en->todo[i / (size_t)en->per_point];
        t->point = (long)p;
        t->r0 = c * en->chunk;
        t->r1 = t->r0 + en->chunk < en->sw->replications
                    ? t->r0 + en->chunk
                    : en->sw->replications;
        if (!en->vals[p])
            en->vals[p] = malloc((size_t)en->sw->replications *
                                 (size_t)en->sw->n_metrics * sizeof(double));
        if (!en->vals[p]) {
            err_set(&en->err, ERR_RUNTIME, "out of memory");
            en->failed = 1;
            ok = 0;
        }
    }
    pthread_mutex_unlock(&en->lock);
    return ok;
}

double *sweep_engine_values(struct sweep_engine *en,
                            const struct sweep_task *t)
{
    return en->vals[t->point] + (size_t)t->r0 * (size_t)en->sw->n_metrics;
}

void sweep_engine_fail(struct sweep_engine *en, const struct err *e)
{
    pthread_mutex_lock(&en->lock);
    if (!en->failed)
        en->err = *e;
    en->failed = 1;
    pthread_cond_broadcast(&en->cond);
    pthread_mutex_unlock(&en->lock);
}

/* Summarises a complete point and journals it. Holds the lock. */
static void finish_point(struct sweep_engine *en, size_t p)
{
    struct err e = {0};
    char *row = sweep_summary_row(en->sw, en->vals[p], en->sw->replications);
    free(en->vals[p]);
    en->vals[p] = NULL;
    if (!row)
        err_set(&e, ERR_RUNTIME, "out of memory");
    else
        sweep_journal_append(en->jr, en->sw, p, row, &e);
    if (e.kind != ERR_NONE) {
        free(row);
        if (!en->failed)
            en->err = e;
        en->failed = 1;
        return;
    }
    en->rows[p] = row;
    en->done++;
}

void sweep_engine_complete(struct sweep_engine *en,
                           const struct sweep_task *t)
{
    pthread_mutex_lock(&en->lock);
    en->reps_done += t->r1 - t->r0;
    if (--en->left[t->point] == 0 && !en->failed)
        finish_point(en, (size_t)t->point);
    pthread_cond_broadcast(&en->cond);
    pthread_mutex_unlock(&en->lock);
}

/* ------------------------------------------------------------ progress */

/* "1h02m", "3m20s", "45s". */
static void fmt_duration(char *buf, size_t n, double s)
{
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(buf, n, "%ldh%02ldm", t / 3600, t / 60 % 60);
    else if (t >= 60)
        snprintf(buf, n, "%ldm%02lds", t / 60, t % 60);
    else
        snprintf(buf, n, "%lds", t);
}

void sweep_engine_progress(struct sweep_engine *en, int final)
{
    double t = sweep_now();
    pthread_mutex_lock(&en->lock);
    int mode = en->o->progress;
    double since = t - en->last_log;
    int due = mode == 1 ? final || since >= BAR_INTERVAL_S
                        : mode == 2 && !final && since >= LOG_INTERVAL_S;
    size_t all = en->n_todo, done = en->done;
    double reps = (double)en->reps_done;
    double left = (double)en->n_todo * (double)en->sw->replications - reps;
    if (due)
        en->last_log = t;
    pthread_mutex_unlock(&en->lock);
    if (!due)
        return;
    double rate = reps / fmax(1e-9, t - en->t0);
    char d[32], when[48] = "time left unknown";
    if (final || rate > 0.0)
        fmt_duration(d, sizeof d, final ? t - en->t0 : left / rate);
    if (final)
        snprintf(when, sizeof when, "took %s", d);
    else if (rate > 0.0)
        snprintf(when, sizeof when, "about %s left", d);
    if (mode == 1)
        fprintf(stderr, "\rsweep: %zu/%zu points, %.0f replications/s, %s   "
                "%s", done, all, rate, when, final ? "\n" : "");
    else
        fprintf(stderr, "salescap: sweep: %zu/%zu points done, %.0f "
                "replications/s, %s\n", done, all, rate, when);
    fflush(stderr);
}

/* ------------------------------------------------------------ workers */

static void *worker(void *arg)
{
    struct sweep_engine *en = arg;
    struct sweep_cache c;
    struct sweep_task t;
    struct err e = {0};
    sweep_cache_init(&c);
    while (sweep_engine_claim(en, &t)) {
        int rc = sweep_task_run(en->sw, &c, (size_t)t.point, t.r0, t.r1,
                                sweep_engine_values(en, &t), en->o->stop, &e);
        if (rc < 0)
            sweep_engine_fail(en, &e);
        if (rc != 0)
            break;
        sweep_engine_complete(en, &t);
    }
    sweep_cache_destroy(&c);
    pthread_mutex_lock(&en->lock);
    en->running--;
    pthread_cond_broadcast(&en->cond);
    pthread_mutex_unlock(&en->lock);
    return NULL;
}

/* Starts o->jobs workers; at least one must start. */
static int start_workers(struct sweep_engine *en, pthread_t *th, int *n,
                         struct err *e)
{
    *n = 0;
    for (int i = 0; i < en->o->jobs; i++) {
        pthread_mutex_lock(&en->lock);
        en->running++;
        pthread_mutex_unlock(&en->lock);
        if (pthread_create(&th[i], NULL, worker, en) != 0) {
            pthread_mutex_lock(&en->lock);
            en->running--;
            pthread_mutex_unlock(&en->lock);
            break;
        }
        (*n)++;
    }
    return *n > 0 ? 0 : err_set(e, ERR_RUNTIME, "cannot start threads");
}

/* The main thread without MPI peers: progress until the workers end. */
static void wait_local(struct sweep_engine *en)
{
    pthread_mutex_lock(&en->lock);
    while (en->running > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 250000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&en->cond, &en->lock, &ts);
        pthread_mutex_unlock(&en->lock);
        sweep_engine_progress(en, 0);
        pthread_mutex_lock(&en->lock);
    }
    pthread_mutex_unlock(&en->lock);
}

/* ------------------------------------------------------------ setup */

/* Replications per task: enough tasks for about TASKS_PER_WORKER per
 * worker over the run (a short tail when the last ones finish), at most
 * CHUNK_MAX, and the point's replications split evenly. The results do
 * not depend on it. */
static long pick_chunk(long reps, size_t points, int workers)
{
    double want = ceil((double)reps * (double)points /
                       (TASKS_PER_WORKER * (double)workers));
    long c = want > CHUNK_MAX ? CHUNK_MAX : want < 4 ? 4 : (long)want;
    long per_point = (reps + c - 1) / c;
    return (reps + per_point - 1) / per_point;
}

static int engine_init(struct sweep_engine *en, const struct sweep *sw,
                       const struct sweep_opts *o, struct sweep_report *rep,
                       struct err *e)
{
    size_t np = sw->n_points;
    memset(en, 0, sizeof *en);
    en->sw = sw;
    en->o = o;
    pthread_mutex_init(&en->lock, NULL);
    pthread_cond_init(&en->cond, NULL);
    en->todo = malloc(np * sizeof *en->todo);
    en->vals = calloc(np, sizeof *en->vals);
    en->left = calloc(np, sizeof *en->left);
    en->rows = calloc(np, sizeof *en->rows);
    if (!en->todo || !en->vals || !en->left || !en->rows)
        return err_set(e, ERR_RUNTIME, "out of memory");
    if (sweep_journal_open(&en->jr, sw, o, en->rows, &rep->resumed, e))
        return -1;
    for (size_t p = 0; p < np; p++) {
        if (!sweep_in_shard(o, p))
            continue;
        rep->points++;
        if (!en->rows[p])
            en->todo[en->n_todo++] = p;
    }
    en->chunk = pick_chunk(sw->replications, en->n_todo,
                           o->jobs * sweep_mpi_size());
    en->per_point = (sw->replications + en->chunk - 1) / en->chunk;
    en->n_tasks = en->n_todo * (size_t)en->per_point;
    for (size_t i = 0; i < en->n_todo; i++)
        en->left[en->todo[i]] = en->per_point;
    en->t0 = en->last_log = sweep_now();
    return 0;
}

static void engine_destroy(struct sweep_engine *en)
{
    sweep_journal_close(en->jr);
    /* Either array may be missing: engine_init stops at the first
     * allocation that fails. */
    for (size_t p = 0; p < en->sw->n_points; p++) {
        if (en->rows)
            free(en->rows[p]);
        if (en->vals)
            free(en->vals[p]);
    }
    pthread_mutex_destroy(&en->lock);
    pthread_cond_destroy(&en->cond);
    free(en->todo);
    free(en->vals);
    free(en->left);
    free(en->rows);
}

/* Runs the tasks: local workers, and the other ranks under MPI. */
static int engine_run(struct sweep_engine *en, struct sweep_report *rep,
                      struct err *e)
{
    pthread_t *th = calloc((size_t)en->o->jobs, sizeof *th);
    int n = 0;
    if (!th)
        return err_set(e, ERR_RUNTIME, "out of memory");
    int rc = start_workers(en, th, &n, e);
    if (sweep_mpi_size() > 1)
        sweep_mpi_coordinate(en);
    else if (rc == 0)
        wait_local(en);
    for (int i = 0; i < n; i++)
        pthread_join(th[i], NULL);
    free(th);
    rep->seconds = sweep_now() - en->t0;
    rep->replications = en->reps_done;
    rep->done = rep->resumed + en->done;
    if (rc == 0 && en->failed) {
        *e = en->err;
        rc = -1;
    }
    if (rc == 0 && stopping(en) && rep->done < rep->points) {
        rep->stopped = 1;
        rc = err_set(e, ERR_RUNTIME, "interrupted");
    }
    if (rc == 0 && rep->done < rep->points)
        rc = err_set(e, ERR_RUNTIME, "%zu of %zu points did not finish (a "
                     "worker rank stopped early); run again with --resume",
                     rep->points - rep->done, rep->points);
    if (en->o->progress == 1 && en->n_todo > 0)
        sweep_engine_progress(en, 1);
    return rc;
}

int sweep_run(const struct sweep *sw, const struct sweep_opts *o,
              struct sweep_report *rep, struct err *e)
{
    struct sweep_engine en;
    memset(rep, 0, sizeof *rep);
    rep->rank = sweep_mpi_rank();
    rep->ranks = sweep_mpi_size();
    rep->workers = o->jobs * rep->ranks;
    int rc = rep->rank == 0 ? engine_init(&en, sw, o, rep, e) : 0;
    if (sweep_mpi_agree(rc != 0) != 0) {
        if (rep->rank == 0)
            engine_destroy(&en);
        return -1;
    }
    if (rep->rank > 0)
        return sweep_mpi_work(sw, o);
    rc = engine_run(&en, rep, e);
    if (rc == 0)
        rc = sweep_write_results(sw, o, en.rows, rep->csv, sizeof rep->csv,
                                 e);
    engine_destroy(&en);
    return rc;
}
