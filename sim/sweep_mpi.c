/*
 * sweep_mpi: a sweep's tasks over MPI ranks (built with make MPI=1).
 *
 * Rank 0 owns the task counter (sweep_run.c) and the files. Every other
 * rank keeps one request outstanding per worker thread; rank 0 answers
 * each request with a task or with "none", and the rank sends back the
 * task's values with its next request. A rank that has had "none" for
 * every worker says goodbye; rank 0 returns once all have, and its own
 * workers are done. Only main threads call MPI (MPI_THREAD_FUNNELED):
 * they poll with MPI_Iprobe and nap 1 ms when idle, so a coordinating
 * rank does not spin a core.
 *
 * Rank 0 answers a request as soon as a task is there: a request it
 * cannot answer yet (the rounds in progress will open more tasks) waits
 * in its queue.
 *
 * Messages (tag: payload): REQ: one int. TASK: longs (block, r0, r1, n,
 * then the n points), block -1 for none. RES: doubles (block, r0, r1, n,
 * the n points, then the values as sweep_task_run writes them). ERR: a
 * struct err, as bytes. BYE: one int.
 *
 * Invariant of a worker rank: requests outstanding + tasks queued or
 * running + results not yet sent + retired slots = jobs.
 */
#include "sweep_int.h"

#ifdef SALESCAP_MPI

#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { TAG_REQ = 1, TAG_TASK, TAG_RES, TAG_ERR, TAG_BYE };

static int g_rank, g_size = 1, g_started;

/* Whether a launcher (mpirun, srun) started this process. */
static int launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                       "PMIX_RANK", "MPI_LOCALNRANKS"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

int sweep_mpi_init(int *argc, char ***argv, int *rank, int *size, struct err *e)
{
    int provided = 0;
    *rank = 0;
    *size = 1;
    if (!launched())
        return 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) !=
        MPI_SUCCESS)
        return err_set(e, ERR_RUNTIME, "MPI_Init_thread failed");
    g_started = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    *rank = g_rank;
    *size = g_size;
    if (provided < MPI_THREAD_FUNNELED)
        return err_set(e, ERR_RUNTIME,
                       "the MPI library offers no thread "
                       "support (MPI_THREAD_FUNNELED)");
    return 0;
}

void sweep_mpi_finalize(void)
{
    if (g_started)
        MPI_Finalize();
    g_started = 0;
}

int sweep_mpi_rank(void)
{
    return g_rank;
}

int sweep_mpi_started(void)
{
    return g_started;
}

int sweep_mpi_size(void)
{
    return g_size;
}

int sweep_mpi_agree(int rc)
{
    int all = rc;
    if (g_size > 1)
        MPI_Allreduce(&rc, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all;
}

static void nap(void)
{
    struct timespec ts = {0, 1000000L};
    nanosleep(&ts, NULL);
}

/* ------------------------------------------------------------ rank 0 */

static int local_running(struct sweep_engine *en)
{
    pthread_mutex_lock(&en->lock);
    int n = en->running;
    pthread_mutex_unlock(&en->lock);
    return n;
}

#define HEAD       4 /* block, r0, r1, n */
#define TASK_LONGS (HEAD + SWEEP_BLOCK_MAX)

/* Requests not answered yet: their ranks, in arrival order. */
struct pending {
    int *src;
    int n, cap;
};

/* Takes a request from src into the queue. */
static void take_request(struct sweep_engine *en, struct pending *q, int src)
{
    int dummy;
    MPI_Recv(&dummy, 1, MPI_INT, src, TAG_REQ, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (q->n == q->cap) {
        int cap = q->cap ? 2 * q->cap : 16;
        int *p = realloc(q->src, (size_t)cap * sizeof *p);
        if (!p) {
            struct err e = {0};
            err_oom(&e);
            sweep_engine_fail(en, &e);
            /* Answered at once: a failed engine hands out nothing. */
            long none[TASK_LONGS] = {-1};
            MPI_Send(none, HEAD, MPI_LONG, src, TAG_TASK, MPI_COMM_WORLD);
            return;
        }
        q->src = p;
        q->cap = cap;
    }
    q->src[q->n++] = src;
}

/* Answers the waiting requests that can be: with a task, or with none
 * when there will be no more. */
static void answer(struct sweep_engine *en, struct pending *q)
{
    while (q->n > 0) {
        struct sweep_task t;
        long msg[TASK_LONGS] = {-1};
        int rc = sweep_engine_claim(en, &t, 0), len = HEAD;
        if (rc < 0)
            return;
        if (rc == 1) {
            msg[0] = t.block;
            msg[1] = t.r0;
            msg[2] = t.r1;
            msg[3] = t.n;
            memcpy(msg + HEAD, t.points, (size_t)t.n * sizeof *t.points);
            len += t.n;
        }
        MPI_Send(msg, len, MPI_LONG, q->src[0], TAG_TASK, MPI_COMM_WORLD);
        memmove(q->src, q->src + 1, (size_t)--q->n * sizeof *q->src);
    }
}

/* The task a result message describes: 0, or -1 when it is malformed. */
static int result_task(const struct sweep_engine *en, const double *buf,
                       int count, struct sweep_task *t)
{
    if (count < HEAD)
        return -1;
    t->block = (long)buf[0];
    t->r0 = (long)buf[1];
    t->r1 = (long)buf[2];
    t->n = (int)buf[3];
    if (t->n < 1 || t->n > SWEEP_BLOCK_MAX || t->r1 <= t->r0 ||
        count != HEAD + t->n + t->n * (int)(t->r1 - t->r0) * en->sw->n_metrics)
        return -1;
    for (int i = 0; i < t->n; i++)
        t->points[i] = (long)buf[HEAD + i];
    return 0;
}

/* Takes a task's values from src to the engine. */
static void receive_result(struct sweep_engine *en, const MPI_Status *st,
                           double *buf, int cap)
{
    int count = 0;
    struct sweep_task t;
    MPI_Get_count(st, MPI_DOUBLE, &count);
    if (count > cap) {
        MPI_Recv(NULL, 0, MPI_DOUBLE, st->MPI_SOURCE, TAG_RES, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        count = -1;
    } else {
        MPI_Recv(buf, count, MPI_DOUBLE, st->MPI_SOURCE, TAG_RES,
                 MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    }
    if (count < 0 || result_task(en, buf, count, &t) != 0) {
        struct err e = {0};
        err_set(&e, ERR_RUNTIME, "MPI: a result of %d values from rank %d",
                count, st->MPI_SOURCE);
        sweep_engine_fail(en, &e);
        return;
    }
    sweep_engine_complete(en, &t, buf + HEAD + t.n);
}

/* Handles one message; counts goodbyes. */
static void handle(struct sweep_engine *en, const MPI_Status *st, double *buf,
                   int cap, struct pending *q, int *byes)
{
    int src = st->MPI_SOURCE, dummy;
    struct err e;
    switch (st->MPI_TAG) {
    case TAG_REQ:
        take_request(en, q, src);
        break;
    case TAG_RES:
        receive_result(en, st, buf, cap);
        break;
    case TAG_ERR:
        MPI_Recv(&e, (int)sizeof e, MPI_BYTE, src, TAG_ERR, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        e.msg[sizeof e.msg - 1] = '\0';
        sweep_engine_fail(en, &e);
        break;
    default:
        MPI_Recv(&dummy, 1, MPI_INT, src, st->MPI_TAG, MPI_COMM_WORLD,
                 MPI_STATUS_IGNORE);
        *byes += st->MPI_TAG == TAG_BYE;
        break;
    }
}

void sweep_mpi_coordinate(struct sweep_engine *en)
{
    int cap = HEAD + SWEEP_BLOCK_MAX + SWEEP_TASK_VALUES * en->sw->n_metrics;
    int byes = 0;
    struct pending q = {0};
    double *buf = malloc((size_t)cap * sizeof *buf);
    if (!buf) {
        struct err e = {0};
        err_oom(&e);
        sweep_engine_fail(en, &e);
        cap = 0; /* every result is then refused, with a message */
    }
    while (byes < g_size - 1 || local_running(en) > 0) {
        int flag = 0;
        MPI_Status st;
        answer(en, &q);
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (flag) {
            handle(en, &st, buf, cap, &q, &byes);
            continue;
        }
        sweep_engine_progress(en, 0);
        nap();
    }
    free(q.src);
    free(buf);
}

/* ------------------------------------------------------------ ranks > 0 */

/* A finished task waiting to be sent. */
struct outcome {
    struct sweep_task t;
    int status;   /* 0 done, 1 stopped, -1 failed */
    double *vals; /* 3 + (r1 - r0) * n_metrics, owned */
    struct err err;
};

struct proxy {
    const struct sweep *sw;
    const struct sweep_opts *o;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct sweep_task *queue; /* tasks received, not yet taken */
    int nq;
    struct outcome *out; /* results not yet sent */
    int nout;
    int quit;
};

/* Takes a task from the queue; 0 when told to quit. */
static int proxy_take(struct proxy *px, struct sweep_task *t)
{
    pthread_mutex_lock(&px->lock);
    while (px->nq == 0 && !px->quit)
        pthread_cond_wait(&px->cond, &px->lock);
    int ok = px->nq > 0;
    if (ok) {
        *t = px->queue[0];
        memmove(px->queue, px->queue + 1, (size_t)--px->nq * sizeof *t);
    }
    pthread_mutex_unlock(&px->lock);
    return ok;
}

static void proxy_put(struct proxy *px, const struct outcome *oc)
{
    pthread_mutex_lock(&px->lock);
    px->out[px->nout++] = *oc;
    pthread_mutex_unlock(&px->lock);
}

/* The length of t's result message. */
static int result_len(const struct proxy *px, const struct sweep_task *t)
{
    return HEAD + t->n + t->n * (int)(t->r1 - t->r0) * px->sw->n_metrics;
}

static void *proxy_worker(void *arg)
{
    struct proxy *px = arg;
    struct sweep_cache c;
    struct sweep_task t;
    sweep_cache_init(&c);
    while (proxy_take(px, &t)) {
        struct outcome oc = {.t = t};
        oc.vals = malloc((size_t)result_len(px, &t) * sizeof(double));
        if (!oc.vals) {
            oc.status = -1;
            err_oom(&oc.err);
        } else {
            oc.vals[0] = (double)t.block;
            oc.vals[1] = (double)t.r0;
            oc.vals[2] = (double)t.r1;
            oc.vals[3] = (double)t.n;
            for (int i = 0; i < t.n; i++)
                oc.vals[HEAD + i] = (double)t.points[i];
            oc.status = sweep_task_run(px->sw, &c, &t, oc.vals + HEAD + t.n,
                                       px->o->stop, &oc.err);
        }
        proxy_put(px, &oc);
    }
    sweep_cache_destroy(&c);
    return NULL;
}

static int stopping(const struct proxy *px)
{
    return px->o->stop && *px->o->stop;
}

static void request(void)
{
    int one = 1;
    MPI_Send(&one, 1, MPI_INT, 0, TAG_REQ, MPI_COMM_WORLD);
}

/* Sends finished results on; returns slots retired. */
static int flush_results(struct proxy *px, int *failed)
{
    struct outcome batch[64];
    int n, retired = 0;
    pthread_mutex_lock(&px->lock);
    n = px->nout < 64 ? px->nout : 64;
    memcpy(batch, px->out, (size_t)n * sizeof *batch);
    memmove(px->out, px->out + n, (size_t)(px->nout - n) * sizeof *batch);
    px->nout -= n;
    pthread_mutex_unlock(&px->lock);
    for (int i = 0; i < n; i++) {
        struct outcome *oc = &batch[i];
        int len = result_len(px, &oc->t);
        if (oc->status == 0)
            MPI_Send(oc->vals, len, MPI_DOUBLE, 0, TAG_RES, MPI_COMM_WORLD);
        if (oc->status < 0 && !*failed)
            MPI_Send(&oc->err, (int)sizeof oc->err, MPI_BYTE, 0, TAG_ERR,
                     MPI_COMM_WORLD);
        *failed |= oc->status < 0;
        if (oc->status == 0 && !stopping(px) && !*failed)
            request();
        else
            retired++;
        free(oc->vals);
    }
    return retired;
}

/* Receives one task or "none"; returns slots retired. */
static int receive_task(struct proxy *px, int failed)
{
    long msg[TASK_LONGS];
    MPI_Recv(msg, TASK_LONGS, MPI_LONG, 0, TAG_TASK, MPI_COMM_WORLD,
             MPI_STATUS_IGNORE);
    if (msg[0] < 0 || stopping(px) || failed)
        return 1;
    struct sweep_task t = {
        .block = msg[0], .r0 = msg[1], .r1 = msg[2], .n = (int)msg[3]};
    memcpy(t.points, msg + HEAD, (size_t)t.n * sizeof *t.points);
    pthread_mutex_lock(&px->lock);
    px->queue[px->nq++] = t;
    pthread_cond_broadcast(&px->cond);
    pthread_mutex_unlock(&px->lock);
    return 0;
}

/* The main thread of a worker rank: requests, tasks, results. */
static int proxy_loop(struct proxy *px, int slots)
{
    int retired = 0, failed = 0;
    for (int i = 0; i < slots; i++)
        request();
    while (retired < slots) {
        int flag = 0;
        retired += flush_results(px, &failed);
        MPI_Iprobe(0, TAG_TASK, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
        if (flag)
            retired += receive_task(px, failed);
        else
            nap();
    }
    int bye = 0;
    MPI_Send(&bye, 1, MPI_INT, 0, TAG_BYE, MPI_COMM_WORLD);
    return failed ? -1 : 0;
}

int sweep_mpi_work(const struct sweep *sw, const struct sweep_opts *o)
{
    struct proxy px = {.sw = sw, .o = o};
    int jobs = o->jobs, started = 0, rc = -1;
    pthread_t *th = calloc((size_t)jobs, sizeof *th);
    px.queue = calloc((size_t)jobs, sizeof *px.queue);
    px.out = calloc((size_t)jobs, sizeof *px.out);
    pthread_mutex_init(&px.lock, NULL);
    pthread_cond_init(&px.cond, NULL);
    for (; th && px.queue && px.out && started < jobs; started++)
        if (pthread_create(&th[started], NULL, proxy_worker, &px) != 0)
            break;
    if (started == 0) {
        struct err e = {0};
        err_set(&e, ERR_RUNTIME, "rank %d: cannot start threads", g_rank);
        MPI_Send(&e, (int)sizeof e, MPI_BYTE, 0, TAG_ERR, MPI_COMM_WORLD);
    }
    rc = proxy_loop(&px, started);
    pthread_mutex_lock(&px.lock);
    px.quit = 1;
    pthread_cond_broadcast(&px.cond);
    pthread_mutex_unlock(&px.lock);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&px.lock);
    pthread_cond_destroy(&px.cond);
    free(th);
    free(px.queue);
    free(px.out);
    return rc;
}

#else /* serial build: one process, rank 0 of 1 */

int sweep_mpi_init(int *argc, char ***argv, int *rank, int *size, struct err *e)
{
    (void)argc;
    (void)argv;
    (void)e;
    *rank = 0;
    *size = 1;
    return 0;
}

void sweep_mpi_finalize(void) {}

int sweep_mpi_rank(void)
{
    return 0;
}

int sweep_mpi_started(void)
{
    return 0;
}

int sweep_mpi_size(void)
{
    return 1;
}

int sweep_mpi_agree(int rc)
{
    return rc;
}

void sweep_mpi_coordinate(struct sweep_engine *en)
{
    (void)en;
}

int sweep_mpi_work(const struct sweep *sw, const struct sweep_opts *o)
{
    (void)sw;
    (void)o;
    return 0;
}

#endif
