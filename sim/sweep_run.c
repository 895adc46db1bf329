/*
 * sweep_run: the tasks of a sweep on local threads, in blocks of points
 * that share a baseline, with in-order summaries and the journal.
 *
 * The points to run are ordered by the baseline they share (grid order
 * within it) and cut into blocks (sweep_int.h: struct sweep_engine). A
 * block runs in rounds of replications, each split into tasks that are
 * handed out in order, to local workers and, under MPI, through rank 0's
 * main thread to the other ranks (sweep_mpi.c); a task carries its
 * block's points. A task computes every point of its block for its
 * replications, each baseline once, and its values go to the block's
 * round buffer at their own places, so the buffer is the same whoever
 * ran which part. The task completing a round adds the buffer to the
 * points' accumulators in replication order and journals the points
 * that are finished. The main thread only waits, draws progress and,
 * under MPI, talks to the other ranks.
 *
 * Invariant (under the lock): live[] holds the blocks in flight,
 * ascending by number; a live block's round [r0, r1) has its replications
 * below `next` handed out and `left` tasks not yet complete; its points
 * are the ones not yet finished, and their accumulators hold replications
 * [0, r0). A point is in order[] before cursor exactly when its block was
 * opened.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sweep_int.h"

#define TASK_VALUES_MIN  4   /* point-replications per task, at least */
#define TASKS_PER_WORKER 16  /* aim for this many tasks per worker */
#define PRECISION_BATCH  20  /* replications between checks, as in run.c */
#define ROUND_MAX        500 /* replications in a round without --precision */
#define BAR_INTERVAL_S   0.25
#define LOG_INTERVAL_S   60.0

struct sweep_block {
    long id;
    int n; /* points still running */
    long points[SWEEP_BLOCK_MAX];
    struct acc acc[SWEEP_BLOCK_MAX * SWEEP_MAX_METRICS]; /* [i * nm + k] */
    long r0, r1, next; /* the round, and its next replication */
    long chunk;        /* replications per task in this round */
    long left;         /* tasks of the round not complete */
    double *vals;      /* [(i * (r1 - r0) + r - r0) * nm + k] */
    size_t cap;        /* doubles vals holds */
};

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

/* ------------------------------------------------------------ blocks */

static int stopping(const struct sweep_engine *en)
{
    return en->o->stop && *en->o->stop;
}

static void engine_failed(struct sweep_engine *en, const struct err *e)
{
    if (!en->failed)
        en->err = *e;
    en->failed = 1;
}

/* Points of the block that starts at order[i]: the rest of its
 * baseline's run in order[], cut evenly into blocks of at most
 * SWEEP_BLOCK_MAX. */
static int block_len(const struct sweep_engine *en, size_t i)
{
    if (en->sw->separate)
        return 1;
    const uint64_t *h = en->sw->base_hash;
    uint64_t b = h[en->order[i]];
    size_t j = i;
    while (j < en->n_todo && h[en->order[j]] == b)
        j++;
    size_t g = j - i, parts = (g + SWEEP_BLOCK_MAX - 1) / SWEEP_BLOCK_MAX;
    return (int)((g + parts - 1) / parts);
}

/* Replications per task: enough tasks for about TASKS_PER_WORKER per
 * worker over the run (a short tail when the last ones finish), at least
 * TASK_VALUES_MIN and at most SWEEP_TASK_VALUES point-replications, and
 * the round split evenly. The results do not depend on it. */
static long round_chunk(const struct sweep_engine *en,
                        const struct sweep_block *b)
{
    long len = b->r1 - b->r0;
    long most = SWEEP_TASK_VALUES / b->n > 1 ? SWEEP_TASK_VALUES / b->n : 1;
    long least = (TASK_VALUES_MIN + b->n - 1) / b->n;
    least = least < most ? least : most;
    double blocks = ceil((double)en->n_todo / (double)b->n);
    double want =
        ceil((double)len * blocks / (TASKS_PER_WORKER * (double)en->workers));
    long c = want > (double)most    ? most
             : want < (double)least ? least
                                    : (long)want;
    long per = (len + c - 1) / c;
    return (len + per - 1) / per;
}

/* Opens b's next round, from r0. */
static int open_round(struct sweep_engine *en, struct sweep_block *b)
{
    const struct sweep *sw = en->sw;
    long end = sw->precision > 0.0 ? sw->max_replications : sw->replications;
    long step = sw->precision > 0.0 ? PRECISION_BATCH : ROUND_MAX;
    b->r1 = end - b->r0 > step ? b->r0 + step : end;
    assert(b->r1 > b->r0); /* a point is finished once at the end */
    b->next = b->r0;
    b->chunk = round_chunk(en, b);
    b->left = (b->r1 - b->r0 + b->chunk - 1) / b->chunk;
    size_t need =
        (size_t)b->n * (size_t)(b->r1 - b->r0) * (size_t)sw->n_metrics;
    if (need > b->cap) {
        free(b->vals);
        b->vals = malloc(need * sizeof *b->vals);
        b->cap = b->vals ? need : 0;
        if (!b->vals)
            return -1;
    }
    return 0;
}

static void block_free(struct sweep_block *b)
{
    if (b)
        free(b->vals);
    free(b);
}

/* Opens the block of the next points of order[]. Holds the lock. */
static struct sweep_block *open_block(struct sweep_engine *en)
{
    struct sweep_block *b = calloc(1, sizeof *b);
    if (en->n_live == en->cap_live) {
        int cap = en->cap_live ? 2 * en->cap_live : 8;
        void *p = realloc(en->live, (size_t)cap * sizeof *en->live);
        if (p) {
            en->live = p;
            en->cap_live = cap;
        }
    }
    if (!b || en->n_live == en->cap_live) {
        block_free(b);
        return NULL;
    }
    b->id = en->next_block++;
    b->n = block_len(en, en->cursor);
    for (int i = 0; i < b->n; i++)
        b->points[i] = (long)en->order[en->cursor++];
    if (open_round(en, b) != 0) {
        block_free(b);
        return NULL;
    }
    en->live[en->n_live++] = b;
    return b;
}

/* The live block with a task to hand out, opening one if need be; NULL
 * when there is none now. */
static struct sweep_block *claimable(struct sweep_engine *en)
{
    for (int i = 0; i < en->n_live; i++)
        if (en->live[i]->next < en->live[i]->r1)
            return en->live[i];
    if (en->cursor == en->n_todo)
        return NULL;
    struct sweep_block *b = open_block(en);
    if (!b) {
        struct err e = {0};
        err_oom(&e);
        engine_failed(en, &e);
    }
    return b;
}

/* Waits on the condition for at most ns nanoseconds (< 1 s). Holds the
 * lock. */
static void wait_for(struct sweep_engine *en, long ns)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += ns;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&en->cond, &en->lock, &ts);
}

int sweep_engine_claim(struct sweep_engine *en, struct sweep_task *t, int wait)
{
    int rc;
    pthread_mutex_lock(&en->lock);
    for (;;) {
        struct sweep_block *b = NULL;
        if (en->failed || stopping(en) ||
            (!(b = claimable(en)) && en->n_live == 0)) {
            rc = 0;
            break;
        }
        if (b) {
            t->block = b->id;
            t->r0 = b->next;
            t->r1 = b->next + b->chunk < b->r1 ? b->next + b->chunk : b->r1;
            t->n = b->n;
            memcpy(t->points, b->points, (size_t)b->n * sizeof *t->points);
            b->next = t->r1;
            rc = 1;
            break;
        }
        if (!wait) {
            rc = -1;
            break;
        }
        wait_for(en, 100000000L); /* a stop by a signal broadcasts nothing */
    }
    pthread_mutex_unlock(&en->lock);
    return rc;
}

void sweep_engine_fail(struct sweep_engine *en, const struct err *e)
{
    pthread_mutex_lock(&en->lock);
    engine_failed(en, e);
    pthread_cond_broadcast(&en->cond);
    pthread_mutex_unlock(&en->lock);
}

/* Whether point i of b is finished at the end of its round. */
static int point_finished(const struct sweep *sw, const struct sweep_block *b,
                          int i)
{
    if (!(sw->precision > 0.0))
        return b->r1 >= sw->replications;
    if (b->r1 >= sw->max_replications)
        return 1;
    const struct acc *a = &b->acc[(size_t)i * (size_t)sw->n_metrics];
    if (a->n < 2.0)
        return 0;
    double hw = acc_halfwidth(a);
    return (hw == 0.0 ? 0.0 : hw / fabs(a->mean)) <= sw->precision;
}

/* Journals point i of b, finished. Holds the lock. */
static void finish_point(struct sweep_engine *en, struct sweep_block *b, int i)
{
    struct err e = {0};
    const struct sweep *sw = en->sw;
    char *row = sweep_summary_fields(
        sw, &b->acc[(size_t)i * (size_t)sw->n_metrics], b->r1);
    if (!row)
        err_oom(&e);
    else
        sweep_journal_append(en->jr, sw, (size_t)b->points[i], row, &e);
    free(row);
    if (e.kind != ERR_NONE)
        engine_failed(en, &e);
    else
        en->done++;
}

/* Removes b from the live blocks and frees it. Holds the lock. */
static void retire(struct sweep_engine *en, struct sweep_block *b)
{
    int i = 0;
    while (en->live[i] != b)
        i++;
    memmove(&en->live[i], &en->live[i + 1],
            (size_t)(en->n_live - i - 1) * sizeof *en->live);
    en->n_live--;
    block_free(b);
}

/* b's round is complete: its values into the accumulators in
 * replication order, the finished points out, the next round. Holds the
 * lock. */
static void end_round(struct sweep_engine *en, struct sweep_block *b)
{
    size_t nm = (size_t)en->sw->n_metrics, len = (size_t)(b->r1 - b->r0);
    int keep = 0;
    for (int i = 0; i < b->n; i++)
        for (size_t r = 0; r < len; r++)
            for (size_t k = 0; k < nm; k++) {
                double v = b->vals[((size_t)i * len + r) * nm + k];
                if (!isnan(v))
                    acc_add(&b->acc[(size_t)i * nm + k], v);
            }
    for (int i = 0; i < b->n && !en->failed; i++) {
        if (point_finished(en->sw, b, i)) {
            finish_point(en, b, i);
            continue;
        }
        b->points[keep] = b->points[i];
        memmove(&b->acc[(size_t)keep * nm], &b->acc[(size_t)i * nm],
                nm * sizeof *b->acc);
        keep++;
    }
    b->n = keep;
    b->r0 = b->r1;
    if (en->failed || keep == 0) {
        retire(en, b);
    } else if (open_round(en, b) != 0) {
        struct err e = {0};
        err_oom(&e);
        engine_failed(en, &e);
    }
}

void sweep_engine_complete(struct sweep_engine *en, const struct sweep_task *t,
                           const double *vals)
{
    pthread_mutex_lock(&en->lock);
    struct sweep_block *b = NULL;
    for (int i = 0; i < en->n_live && !b; i++)
        if (en->live[i]->id == t->block)
            b = en->live[i];
    size_t nm = (size_t)en->sw->n_metrics, len = (size_t)(t->r1 - t->r0);
    en->reps_done += (long)len * t->n;
    if (b && !en->failed && b->n == t->n && t->r0 >= b->r0 && t->r1 <= b->r1) {
        size_t rlen = (size_t)(b->r1 - b->r0), off = (size_t)(t->r0 - b->r0);
        for (int i = 0; i < t->n; i++)
            memcpy(&b->vals[((size_t)i * rlen + off) * nm],
                   &vals[(size_t)i * len * nm], len * nm * sizeof *vals);
        if (--b->left == 0)
            end_round(en, b);
    }
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
    double el = fmax(1e-9, t - en->t0), rate = reps / el, eta = -1.0;
    /* With --precision the replications a point takes are not known in
     * advance: the time left is estimated from the points done. */
    if (en->sw->precision > 0.0 && done > 0)
        eta = (double)(all - done) * el / (double)done;
    else if (!(en->sw->precision > 0.0) && rate > 0.0)
        eta = left / rate;
    char d[32], when[48] = "time left unknown";
    if (final || eta >= 0.0)
        fmt_duration(d, sizeof d, final ? t - en->t0 : eta);
    if (final)
        snprintf(when, sizeof when, "took %s", d);
    else if (eta >= 0.0)
        snprintf(when, sizeof when, "about %s left", d);
    if (mode == 1)
        fprintf(stderr,
                "\rsweep: %zu/%zu points, %.0f replications/s, %s   "
                "%s",
                done, all, rate, when, final ? "\n" : "");
    else
        fprintf(stderr,
                "salescap: sweep: %zu/%zu points done, %.0f "
                "replications/s, %s\n",
                done, all, rate, when);
    fflush(stderr);
}

/* ------------------------------------------------------------ workers */

static void *worker(void *arg)
{
    struct sweep_engine *en = arg;
    struct sweep_cache c;
    struct sweep_task t;
    struct err e = {0};
    double *out =
        malloc(SWEEP_TASK_VALUES * (size_t)en->sw->n_metrics * sizeof *out);
    sweep_cache_init(&c);
    if (!out) {
        err_oom(&e);
        sweep_engine_fail(en, &e);
    }
    while (out && sweep_engine_claim(en, &t, 1) == 1) {
        int rc = sweep_task_run(en->sw, &c, &t, out, en->o->stop, &e);
        if (rc < 0)
            sweep_engine_fail(en, &e);
        if (rc != 0)
            break;
        sweep_engine_complete(en, &t, out);
    }
    sweep_cache_destroy(&c);
    free(out);
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
        wait_for(en, 250000000L);
        pthread_mutex_unlock(&en->lock);
        sweep_engine_progress(en, 0);
        pthread_mutex_lock(&en->lock);
    }
    pthread_mutex_unlock(&en->lock);
}

/* ------------------------------------------------------------ setup */

struct keyed {
    uint64_t key;
    size_t point;
};

static int by_key(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    return (x->point > y->point) - (x->point < y->point);
}

/* Orders the points to run by the baseline they share, the baselines by
 * their first point, grid order within each. */
static int order_by_baseline(struct sweep_engine *en)
{
    size_t n = en->n_todo;
    struct keyed *k = malloc(n * sizeof *k + 1);
    if (!k)
        return -1;
    for (size_t i = 0; i < n; i++)
        k[i] = (struct keyed){en->sw->base_hash[en->order[i]], en->order[i]};
    qsort(k, n, sizeof *k, by_key);
    /* Each baseline's run now starts with its first point: key the
     * points by that, and sort again. */
    uint64_t prev = 0;
    for (size_t i = 0, first = 0; i < n; i++) {
        if (i == 0 || k[i].key != prev)
            first = k[i].point;
        prev = k[i].key;
        k[i].key = first;
    }
    qsort(k, n, sizeof *k, by_key);
    for (size_t i = 0; i < n; i++)
        en->order[i] = k[i].point;
    free(k);
    return 0;
}

static int engine_init(struct sweep_engine *en, const struct sweep *sw,
                       const struct sweep_opts *o, struct sweep_report *rep,
                       struct err *e)
{
    size_t np = sw->n_points;
    memset(en, 0, sizeof *en);
    en->sw = sw;
    en->o = o;
    en->workers = o->jobs * sweep_mpi_size();
    pthread_mutex_init(&en->lock, NULL);
    pthread_cond_init(&en->cond, NULL);
    unsigned char *done = calloc(np, 1);
    en->order = malloc(np * sizeof *en->order);
    if (!done || !en->order) {
        free(done);
        return err_oom(e);
    }
    if (sweep_journal_open(&en->jr, sw, o, done, &rep->resumed, e)) {
        free(done);
        return -1;
    }
    for (size_t p = 0; p < np; p++) {
        if (!sweep_in_shard(o, p))
            continue;
        rep->points++;
        if (!done[p])
            en->order[en->n_todo++] = p;
    }
    free(done);
    if (!sw->separate && order_by_baseline(en) != 0)
        return err_oom(e);
    en->t0 = en->last_log = sweep_now();
    return 0;
}

static void engine_destroy(struct sweep_engine *en)
{
    sweep_journal_close(en->jr);
    for (int i = 0; i < en->n_live; i++)
        block_free(en->live[i]);
    pthread_mutex_destroy(&en->lock);
    pthread_cond_destroy(&en->cond);
    free(en->order);
    free(en->live);
}

/* Runs the tasks: local workers, and the other ranks under MPI. */
static int engine_run(struct sweep_engine *en, struct sweep_report *rep,
                      struct err *e)
{
    pthread_t *th = calloc((size_t)en->o->jobs, sizeof *th);
    int n = 0;
    if (!th)
        return err_oom(e);
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
    /* What is in the journal is kept, whatever happened. */
    struct err se = {0};
    if (sweep_journal_sync(en->jr, &se) != 0)
        engine_failed(en, &se);
    if (rc == 0 && en->failed) {
        *e = en->err;
        rc = -1;
    }
    if (rc == 0 && stopping(en) && rep->done < rep->points) {
        rep->stopped = 1;
        rc = err_set(e, ERR_RUNTIME, "interrupted");
    }
    if (rc == 0 && rep->done < rep->points)
        rc = err_set(e, ERR_RUNTIME,
                     "%zu of %zu points did not finish (a "
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
        rc = sweep_write_results(sw, o, en.jr, rep, e);
    engine_destroy(&en);
    return rc;
}
