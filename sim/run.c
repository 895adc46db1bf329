/*
 * run: parallel replications with an in-order commit.
 *
 * Workers claim replication numbers from a counter and simulate the
 * baseline and every scenario of that replication into a slot of a ring
 * of 2 * jobs slots. The slot whose replication is next in line is
 * committed (added to the accumulators) by whichever worker finds it
 * ready, under the lock, so accumulators always see replications 0, 1,
 * 2, ... in order. A worker holding replication r waits until r is
 * within 2 * jobs of the next to commit (then its slot is free, and no
 * other replication in flight maps to it): memory is bounded by the ring,
 * not by the number of replications.
 *
 * The baseline of a replication runs once and leaves checkpoints (see
 * model.h); each scenario starts from the one at its first intervention.
 *
 * Uncertain inputs (uncertain.h): a worker of a file that has them runs
 * its model on a shadow of the parameters and writes the replication's
 * draws into it before the baseline, so the baseline, the checkpoints
 * and every scenario of the replication see the same values. Without
 * them the model runs on the parameters themselves, as it always did.
 */
#include "run.h"

#include <assert.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "metrics.h"
#include "model.h"
#include "uncertain.h"

#define PRECISION_BATCH 20

struct slot {
    long rep; /* replication held, or -1 */
    int ready;
    double *raw; /* nscen * weeks_total * RAW_COUNT */
};

struct pool {
    const struct params *p;
    int n_cp; /* distinct divergence ticks, ascending */
    int *cp_tick;
    int *cp_of; /* per scenario: the checkpoint it starts from */
    const struct run_opts *o;
    struct run_result *res;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    long next, commit, target;
    int nslots;
    struct slot *slots;
    size_t raw_len; /* doubles per scenario */
    double *pv;     /* commit's period values, per scenario */
    unsigned char *pok;
    double *tpv; /* ... per team and scenario ([t][s]), with teams */
    unsigned char *tpok;
    struct err err;
    int failed;
    double t0, last_draw;
};

void run_quarter_weeks(int q, int weeks, int *w0, int *w1)
{
    *w0 = 13 * q;
    *w1 = 13 * q + 13 < weeks ? 13 * q + 13 : weeks;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ---- accumulation ----------------------------------------------------- */

/* metric_combine(raw, w, w + 1, m, out), inlined for one week: the same
 * sums from 0.0 (so the same bits, -0 included), without the loop. It is
 * called for every metric of every week of every scenario. */
static inline int week_value(const double *raw, int w, int m, double *out)
{
    const struct metric_info *mi = &metric_table[m];
    const double *row = raw + (size_t)w * RAW_COUNT;
    if (mi->kind == METRIC_LEVEL) {
        *out = row[m];
        return 0;
    }
    double num = 0.0 + row[m];
    if (mi->kind == METRIC_FLOW) {
        *out = num;
        return 0;
    }
    double den = 0.0;
    if (mi->den >= 0)
        den += row[mi->den];
    if (!(den > 0.0))
        return -1;
    *out = num / den;
    return 0;
}

static void add_weekly(struct run_result *r, int s, const double *raw)
{
    for (int w = 0; w < r->weeks; w++) {
        for (int m = 0; m < M_COUNT; m++) {
            double v;
            if (week_value(raw, w, m, &v) == 0)
                acc_add(run_weekly(r, s, w, m), v);
        }
    }
}

/* Each week's revenue of scenario s (raw) minus the baseline's (base),
 * of the same replication. */
static void add_week_delta(struct run_result *r, int s, const double *base,
                           const double *raw)
{
    for (int w = 0; w < r->weeks; w++) {
        double b, x;
        if (week_value(base, w, M_REVENUE, &b) == 0 &&
            week_value(raw, w, M_REVENUE, &x) == 0)
            acc_add(run_week_delta(r, s, w), x - b);
    }
}

/* A replication's value of every metric over each quarter and, at index
 * `quarters`, over the whole horizon (ok: defined); computed once and
 * shared by the quarterly summary and every comparison. */
static void period_values(const struct run_result *r, const double *raw,
                          double *v, unsigned char *ok)
{
    for (int q = 0; q <= r->quarters; q++) {
        int w0 = 0, w1 = r->weeks;
        if (q < r->quarters)
            run_quarter_weeks(q, r->weeks, &w0, &w1);
        for (int m = 0; m < M_COUNT; m++) {
            size_t i = (size_t)q * M_COUNT + (size_t)m;
            ok[i] = metric_combine(raw, w0, w1, m, &v[i]) == 0;
        }
    }
}

static void add_quarterly(struct run_result *r, int s, const double *v,
                          const unsigned char *ok)
{
    for (int q = 0; q < r->quarters; q++)
        for (int m = 0; m < M_COUNT; m++)
            if (ok[q * M_COUNT + m])
                acc_add(run_quarterly(r, s, q, m), v[q * M_COUNT + m]);
}

/* The finite market's levels of scenario s in one replication (raw: its
 * reported weeks), at each week's end and at each quarter's. */
static void add_market(struct run_result *r, int s, const double *raw)
{
    for (int w = 0; w < r->weeks; w++) {
        int q = w / 13, last = w + 1 == r->weeks || (w + 1) % 13 == 0;
        for (int k = 0; k < MARKET_COUNT; k++) {
            double v = raw[(size_t)w * RAW_COUNT + market_table[k].slot];
            acc_add(&r->market_w[((size_t)s * r->weeks + w) * MARKET_COUNT + k],
                    v);
            if (last)
                acc_add(
                    &r->market_q[((size_t)s * r->quarters + q) * MARKET_COUNT +
                                 k],
                    v);
        }
    }
}

/* The baseline's KPIs of one replication (raw: its reported weeks). */
static void add_kpis(struct run_result *r, const double *raw)
{
    double v[KPI_COUNT];
    unsigned char ok[KPI_COUNT];
    kpi_compute(raw, r->weeks, v, ok);
    for (int k = 0; k < KPI_COUNT; k++)
        if (ok[k])
            acc_add(&r->kpi[k], v[k]);
}

static void add_pair(struct run_result *r, int s, int q, int m, double b,
                     double x)
{
    size_t i = run_cmp_index(r, s, q, m);
    acc_add(&r->cmp_base[i], b);
    acc_add(&r->cmp_scen[i], x);
    acc_add(&r->cmp_delta[i], x - b);
    r->rep_delta[i] = x - b;
    r->rep_delta_ok[i] = 1;
}

/* Paired differences of scenario s against the baseline, per quarter and
 * for the whole horizon (period `quarters`), from both runs' period
 * values (bv, bok: the baseline's; xv, xok: the scenario's). */
static void add_comparison(struct run_result *r, int s, const double *bv,
                           const unsigned char *bok, const double *xv,
                           const unsigned char *xok)
{
    double cum_b = 0.0, cum_s = 0.0;
    for (int q = 0; q <= r->quarters; q++) {
        size_t p = (size_t)q * M_COUNT;
        for (int m = 0; m < M_COUNT; m++)
            if (bok[p + m] && xok[p + m])
                add_pair(r, s, q, m, bv[p + m], xv[p + m]);
        double b = bv[p + M_REVENUE], x = xv[p + M_REVENUE];
        /* Lost revenue is baseline minus scenario: the pair is stored
         * with the scenario's loss as "scenario" and none as "baseline",
         * so delta_mean is the mean loss. */
        add_pair(r, s, q, CMP_LOST_REVENUE, 0.0, b - x);
        if (q < r->quarters) {
            cum_b += b;
            cum_s += x;
        }
        add_pair(r, s, q, CMP_LOST_REVENUE_CUMULATIVE, 0.0, cum_b - cum_s);
        add_pair(r, s, q, CMP_LOST_NET_VALUE, 0.0,
                 bv[p + M_GROSS_PROFIT] - xv[p + M_GROSS_PROFIT]);
    }
}

/* Scenario s's value of comparison metric m over period q in this
 * replication, into *x: its period value for a metric of metrics.h, its
 * difference from the baseline for the others (lost revenue; the
 * baseline's own is 0). Returns whether it is defined. */
static int pair_value(const struct pool *pl, int s, int q, int m, double *x)
{
    const struct run_result *r = pl->res;
    if (m < M_COUNT) {
        size_t i = ((size_t)s * (r->quarters + 1) + q) * M_COUNT + m;
        *x = pl->pv[i];
        return pl->pok[i];
    }
    if (s == 0) {
        *x = 0.0;
        return 1;
    }
    size_t i = run_cmp_index(r, s, q, m);
    *x = r->rep_delta[i];
    return r->rep_delta_ok[i];
}

/* Paired differences of every pair of scenarios, from the period values
 * and differences add_comparison left for this replication. */
static void add_pairs(struct pool *pl)
{
    struct run_result *r = pl->res;
    for (int k = 0; k < r->npairs; k++)
        for (int q = 0; q <= r->quarters; q++)
            for (int m = 0; m < CMP_COUNT; m++) {
                double a, b;
                if (pair_value(pl, r->pair_a[k], q, m, &a) &&
                    pair_value(pl, r->pair_b[k], q, m, &b))
                    acc_add(&r->pairs[run_pair_index(r, k, q, m)], a - b);
            }
}

/* Each option's decision value in this replication, their paired
 * differences, and which option was best (ties share the replication
 * evenly). */
static void add_decision(struct pool *pl, const struct slot *sl, size_t off)
{
    struct run_result *r = pl->res;
    int n = r->nscen, w0, w1, unused;
    double *v = r->dec_rep, best = -INFINITY;
    run_quarter_weeks(r->dec_q0, r->weeks, &w0, &unused);
    run_quarter_weeks(r->dec_q1, r->weeks, &unused, &w1);
    for (int s = 0; s < n; s++) {
        const double *raw = sl->raw + (size_t)s * pl->raw_len + off;
        /* A flow or a level (config_decision.c): always defined. */
        int rc = metric_combine(raw, w0, w1, r->dec_metric, &v[s]);
        assert(rc == 0);
        (void)rc;
        acc_add(&r->dec_value[s], v[s]);
        double g = r->dec_lower ? -v[s] : v[s];
        if (g > best)
            best = g;
    }
    int ties = 0;
    for (int a = 0; a < n; a++) {
        for (int b = 0; b < n; b++)
            if (a != b)
                acc_add(&r->dec_diff[(size_t)a * n + b], v[a] - v[b]);
        ties += (r->dec_lower ? -v[a] : v[a]) == best;
    }
    for (int a = 0; a < n; a++)
        if ((r->dec_lower ? -v[a] : v[a]) == best)
            r->dec_wins[a] += 1.0 / ties;
}

/* The plan metrics of scenario s in this replication (raw: its reported
 * weeks), and for s >= 1 their pairs with the baseline's, computed
 * first. */
static void add_plan(struct run_result *r, const struct params *p, int s,
                     const double *raw, int team)
{
    for (int q = 0; q < r->quarters; q++)
        for (int k = 0; k < PLAN_COUNT; k++) {
            if (team && k == PLAN_MET)
                continue; /* the company's plan */
            size_t i = run_plan_index(r, s, q, k);
            size_t b = run_plan_index(r, 0, q, k);
            r->plan_ok[i] =
                plan_value(p, raw, r->weeks, q, k, &r->plan_v[i]) == 0;
            if (!r->plan_ok[i])
                continue;
            acc_add(&r->plan_q[i], r->plan_v[i]);
            if (s == 0 || !r->plan_ok[b])
                continue;
            acc_add(&r->plan_base[i], r->plan_v[b]);
            acc_add(&r->plan_scen[i], r->plan_v[i]);
            acc_add(&r->plan_delta[i], r->plan_v[i] - r->plan_v[b]);
        }
}

/* Team t's rows of every scenario in the slot's replication: as the
 * company's, into the team's accumulators (run_team_view). */
static void commit_team(struct pool *pl, const struct slot *sl, int t)
{
    struct run_result v = run_team_view(pl->res, t);
    size_t per = (size_t)(v.quarters + 1) * M_COUNT;
    size_t off = (size_t)pl->p->sim.warmup_weeks * RAW_COUNT;
    size_t group = (size_t)v.weeks_total * RAW_COUNT * (size_t)(1 + t);
    double *tv = pl->tpv + (size_t)t * v.nscen * per;
    unsigned char *tok = pl->tpok + (size_t)t * v.nscen * per;
    for (int s = 0; s < v.nscen; s++) {
        const double *raw = sl->raw + (size_t)s * pl->raw_len + group + off;
        double *x = tv + (size_t)s * per;
        unsigned char *ok = tok + (size_t)s * per;
        period_values(&v, raw, x, ok);
        add_weekly(&v, s, raw);
        add_quarterly(&v, s, x, ok);
        if (s > 0)
            add_comparison(&v, s, tv, tok, x, ok);
        if (v.plan_q)
            add_plan(&v, pl->p, s, raw, 1);
    }
}

static void commit(struct pool *pl, const struct slot *sl)
{
    struct run_result *r = pl->res;
    size_t off = (size_t)pl->p->sim.warmup_weeks * RAW_COUNT;
    size_t per = (size_t)(r->quarters + 1) * M_COUNT;
    memset(r->rep_delta_ok, 0,
           (size_t)(r->nscen - 1) * (r->quarters + 1) * CMP_COUNT + 1);
    for (int s = 0; s < r->nscen; s++) {
        const double *raw = sl->raw + (size_t)s * pl->raw_len + off;
        double *v = pl->pv + (size_t)s * per;
        unsigned char *ok = pl->pok + (size_t)s * per;
        period_values(r, raw, v, ok);
        if (s == 0)
            add_kpis(r, raw);
        add_weekly(r, s, raw);
        add_quarterly(r, s, v, ok);
        if (s > 0) {
            add_comparison(r, s, pl->pv, pl->pok, v, ok);
            add_week_delta(r, s, sl->raw + off, raw);
        }
        if (r->plan_q)
            add_plan(r, pl->p, s, raw, 0);
        if (r->market_w)
            add_market(r, s, raw);
    }
    for (int t = 0; t < r->nteams; t++)
        commit_team(pl, sl, t);
    add_pairs(pl);
    if (r->dec_metric >= 0)
        add_decision(pl, sl, off);
    if (pl->o->on_commit)
        pl->o->on_commit(pl->o->on_commit_ctx, sl->rep, pl->pv, pl->pok,
                         r->plan_v, r->plan_ok);
    for (int w = 0; w < r->weeks_total; w++) {
        acc_add(&r->warm_revenue[w],
                sl->raw[(size_t)w * RAW_COUNT + M_REVENUE]);
        acc_add(&r->warm_backlog[w],
                sl->raw[(size_t)w * RAW_COUNT + M_OPS_BACKLOG_HOURS]);
    }
    r->replications++;
}

/* ---- progress --------------------------------------------------------- */

static void draw_progress(struct pool *pl, int final)
{
    double t = now_s();
    if (!final && t - pl->last_draw < 0.1)
        return;
    pl->last_draw = t;
    long done = pl->commit, all = pl->target;
    int width = 30, fill = all > 0 ? (int)(width * done / all) : width;
    double rate = done / fmax(1e-9, t - pl->t0);
    fprintf(stderr, "\r[%.*s%*s] %ld/%ld replications, %.0f/s ", fill,
            "##############################", width - fill, "", done, all,
            rate);
    if (final)
        fputc('\n', stderr);
    fflush(stderr);
}

/* ---- workers ---------------------------------------------------------- */

/* A worker's own model and checkpoints, reused for every replication,
 * and with uncertain inputs the parameters they run on (a shadow of the
 * pool's), a generator for the draws and the draws. */
struct worker_state {
    struct model *m;
    struct model_checkpoint **cps; /* pl->n_cp of them */
    struct params shadow;
    const struct params *run_p; /* &shadow, or the pool's params */
    gsl_rng *ur;
    double *draws; /* p->n_uncertain */
};

static void worker_state_free(struct worker_state *w, int n_cp)
{
    if (w->cps)
        for (int i = 0; i < n_cp; i++)
            model_checkpoint_free(w->cps[i]);
    free(w->cps);
    model_free(w->m);
    uncertain_shadow_free(&w->shadow);
    if (w->ur)
        gsl_rng_free(w->ur);
    free(w->draws);
}

static int worker_state_init(struct worker_state *w, const struct pool *pl,
                             struct err *e)
{
    const struct params *p = pl->p;
    memset(w, 0, sizeof *w);
    w->run_p = p;
    if (p->n_uncertain > 0) {
        w->ur = gsl_rng_alloc(rng_type(p->sim.rng));
        w->draws = malloc(p->n_uncertain * sizeof *w->draws);
        if (!w->ur || !w->draws || uncertain_shadow(&w->shadow, p) != 0)
            return err_oom(e);
        w->run_p = &w->shadow;
    }
    w->m = model_alloc(w->run_p, e);
    w->cps = calloc((size_t)pl->n_cp + 1, sizeof *w->cps);
    if (!w->m || !w->cps)
        return err_oom(e);
    model_set_stop(w->m, pl->o->stop);
    for (int i = 0; i < pl->n_cp; i++)
        if (!(w->cps[i] = model_checkpoint_alloc(w->run_p, pl->cp_tick[i], e)))
            return -1;
    return 0;
}

/* The baseline runs once and leaves a checkpoint at every tick where a
 * scenario first differs from it; each scenario starts from its own. */
static int simulate_rep(struct pool *pl, struct worker_state *w,
                        struct slot *sl, struct err *e)
{
    int nscen = pl->res->nscen;
    uint64_t rep = (uint64_t)sl->rep;
    if (w->draws) {
        uncertain_draw(pl->p, rep, w->ur, w->draws);
        uncertain_set(&w->shadow, pl->p, w->draws);
    }
    if (model_run_baseline(w->m, rep, sl->raw, NULL, w->cps, (size_t)pl->n_cp,
                           e) != 0)
        return -1;
    for (int s = 1; s < nscen; s++)
        if (model_run_from(w->m, w->cps[pl->cp_of[s - 1]], s - 1,
                           sl->raw + (size_t)s * pl->raw_len, NULL, e) != 0)
            return -1;
    return 0;
}

/* Commits every ready slot that is next in line. Holds the lock. */
static void drain(struct pool *pl)
{
    for (;;) {
        struct slot *sl = &pl->slots[pl->commit % pl->nslots];
        if (sl->rep != pl->commit || !sl->ready)
            break;
        commit(pl, sl);
        sl->rep = -1;
        sl->ready = 0;
        pl->commit++;
        if (pl->o->progress)
            draw_progress(pl, 0);
    }
    pthread_cond_broadcast(&pl->cond);
}

static void *worker(void *arg)
{
    struct pool *pl = arg;
    struct err e = {0};
    struct worker_state ws;
    int ok = worker_state_init(&ws, pl, &e) == 0;
    pthread_mutex_lock(&pl->lock);
    if (!ok) {
        pl->failed = 1;
        pl->err = e;
    }
    while (!pl->failed && pl->next < pl->target) {
        if (pl->o->stop && *pl->o->stop) {
            pl->failed = 1;
            err_set(&pl->err, ERR_RUNTIME, "interrupted");
            break;
        }
        long rep = pl->next++;
        struct slot *sl = &pl->slots[rep % pl->nslots];
        /* Wait for rep's turn, not just for a free slot: a slot freed
         * while this worker sleeps could otherwise go to rep + nslots,
         * claimed later by a faster worker, and rep would never commit. */
        while (rep >= pl->commit + pl->nslots && !pl->failed)
            pthread_cond_wait(&pl->cond, &pl->lock);
        if (pl->failed)
            break;
        assert(sl->rep == -1);
        sl->rep = rep;
        pthread_mutex_unlock(&pl->lock);
        int rc = simulate_rep(pl, &ws, sl, &e);
        pthread_mutex_lock(&pl->lock);
        if (rc != 0) {
            if (!pl->failed)
                pl->err = e;
            pl->failed = 1;
            break;
        }
        sl->ready = 1;
        drain(pl);
    }
    pthread_cond_broadcast(&pl->cond);
    pthread_mutex_unlock(&pl->lock);
    worker_state_free(&ws, pl->n_cp);
    return NULL;
}

static int run_batch(struct pool *pl, long target)
{
    pl->target = target;
    int n = pl->o->jobs;
    pthread_t *th = calloc((size_t)n, sizeof *th);
    if (!th)
        return -1;
    int started = 0;
    for (; started < n; started++)
        if (pthread_create(&th[started], NULL, worker, pl) != 0)
            break;
    if (started == 0)
        worker(pl);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    free(th);
    return pl->failed ? -1 : 0;
}

/* ---- set-up ----------------------------------------------------------- */

/* The pairs in run.h's order, and the decision's accumulators. */
static int result_alloc_pairs(struct run_result *r, const struct params *p)
{
    int n = r->nscen, k = 0;
    r->npairs = n * (n - 1) / 2;
    r->pair_a = malloc(((size_t)r->npairs + 1) * sizeof *r->pair_a);
    r->pair_b = malloc(((size_t)r->npairs + 1) * sizeof *r->pair_b);
    r->pairs = calloc((size_t)r->npairs * (r->quarters + 1) * CMP_COUNT + 1,
                      sizeof *r->pairs);
    if (!r->pair_a || !r->pair_b || !r->pairs)
        return -1;
    for (int a = 1; a < n; a++)
        for (int b = 0; b < n; b = b ? b + 1 : a + 1) {
            r->pair_a[k] = a;
            r->pair_b[k++] = b;
        }
    assert(k == r->npairs);
    r->dec_metric = p->decision.metric_id;
    r->dec_q0 = p->decision.q0;
    /* config_resolve keeps the quarters inside the horizon; a caller
     * that shortens the horizon afterwards cuts them (or loses them). */
    r->dec_q1 = p->decision.q1 < r->quarters ? p->decision.q1 : r->quarters - 1;
    if (r->dec_q0 > r->dec_q1)
        r->dec_metric = -1;
    r->dec_lower = p->decision.better == DECISION_LOWER;
    if (r->dec_metric < 0)
        return 0;
    r->dec_value = calloc((size_t)n, sizeof *r->dec_value);
    r->dec_diff = calloc((size_t)n * n, sizeof *r->dec_diff);
    r->dec_wins = calloc((size_t)n, sizeof *r->dec_wins);
    r->dec_rep = calloc((size_t)n, sizeof *r->dec_rep);
    return r->dec_value && r->dec_diff && r->dec_wins && r->dec_rep ? 0 : -1;
}

static int result_alloc(struct run_result *r, const struct params *p)
{
    memset(r, 0, sizeof *r);
    r->nscen = 1 + (int)p->n_scenarios;
    r->weeks = p->sim.horizon_weeks;
    r->quarters = (r->weeks + 12) / 13;
    r->weeks_total = p->sim.warmup_weeks + p->sim.horizon_weeks;
    size_t ncmp = (size_t)(r->nscen - 1) * (r->quarters + 1) * CMP_COUNT;
    r->weekly =
        calloc((size_t)r->nscen * r->weeks * M_COUNT, sizeof(struct acc));
    r->quarterly =
        calloc((size_t)r->nscen * r->quarters * M_COUNT, sizeof(struct acc));
    r->cmp_base = calloc(ncmp + 1, sizeof(struct acc));
    r->cmp_scen = calloc(ncmp + 1, sizeof(struct acc));
    r->cmp_delta = calloc(ncmp + 1, sizeof(struct acc));
    r->week_delta =
        calloc((size_t)(r->nscen - 1) * r->weeks + 1, sizeof(struct acc));
    r->warm_revenue = calloc((size_t)r->weeks_total, sizeof(struct acc));
    r->warm_backlog = calloc((size_t)r->weeks_total, sizeof(struct acc));
    r->rep_delta = calloc(ncmp + 1, sizeof *r->rep_delta);
    r->rep_delta_ok = calloc(ncmp + 1, 1);
    if (!r->weekly || !r->quarterly || !r->cmp_base || !r->cmp_scen ||
        !r->cmp_delta || !r->week_delta || !r->warm_revenue ||
        !r->warm_backlog || !r->rep_delta || !r->rep_delta_ok)
        return -1;
    if (plan_any(p)) {
        size_t n = (size_t)r->nscen * r->quarters * PLAN_COUNT + 1;
        r->plan_q = calloc(n, sizeof *r->plan_q);
        r->plan_base = calloc(n, sizeof *r->plan_base);
        r->plan_scen = calloc(n, sizeof *r->plan_scen);
        r->plan_delta = calloc(n, sizeof *r->plan_delta);
        r->plan_v = calloc(n, sizeof *r->plan_v);
        r->plan_ok = calloc(n, sizeof *r->plan_ok);
        if (!r->plan_q || !r->plan_base || !r->plan_scen || !r->plan_delta ||
            !r->plan_v || !r->plan_ok)
            return -1;
    }
    if (p->market.accounts > 0) {
        r->market_w = calloc((size_t)r->nscen * r->weeks * MARKET_COUNT,
                             sizeof *r->market_w);
        r->market_q = calloc((size_t)r->nscen * r->quarters * MARKET_COUNT,
                             sizeof *r->market_q);
        if (!r->market_w || !r->market_q)
            return -1;
    }
    if (p->n_teams > 0) {
        r->nteams = (int)p->n_teams;
        r->team = calloc((size_t)r->nteams, sizeof *r->team);
        r->team_scratch = calloc(ncmp + 1, sizeof *r->team_scratch);
        r->team_scratch_ok = calloc(ncmp + 1, 1);
        size_t np = (size_t)r->nscen * r->quarters * PLAN_COUNT + 1;
        r->team_plan_v = calloc(np, sizeof *r->team_plan_v);
        r->team_plan_ok = calloc(np, 1);
        if (!r->team || !r->team_scratch || !r->team_scratch_ok ||
            !r->team_plan_v || !r->team_plan_ok)
            return -1;
        for (int t = 0; t < r->nteams; t++) {
            struct run_team *tm = &r->team[t];
            tm->weekly = calloc((size_t)r->nscen * r->weeks * M_COUNT,
                                sizeof(struct acc));
            tm->quarterly = calloc((size_t)r->nscen * r->quarters * M_COUNT,
                                   sizeof(struct acc));
            tm->cmp_base = calloc(ncmp + 1, sizeof(struct acc));
            tm->cmp_scen = calloc(ncmp + 1, sizeof(struct acc));
            tm->cmp_delta = calloc(ncmp + 1, sizeof(struct acc));
            if (!tm->weekly || !tm->quarterly || !tm->cmp_base ||
                !tm->cmp_scen || !tm->cmp_delta)
                return -1;
            if (r->plan_q) {
                size_t n = (size_t)r->nscen * r->quarters * PLAN_COUNT + 1;
                tm->plan_q = calloc(n, sizeof *tm->plan_q);
                tm->plan_base = calloc(n, sizeof *tm->plan_base);
                tm->plan_scen = calloc(n, sizeof *tm->plan_scen);
                tm->plan_delta = calloc(n, sizeof *tm->plan_delta);
                if (!tm->plan_q || !tm->plan_base || !tm->plan_scen ||
                    !tm->plan_delta)
                    return -1;
            }
        }
    }
    return result_alloc_pairs(r, p);
}

void run_result_destroy(struct run_result *r)
{
    free(r->weekly);
    free(r->quarterly);
    free(r->cmp_base);
    free(r->cmp_scen);
    free(r->cmp_delta);
    free(r->week_delta);
    free(r->warm_revenue);
    free(r->warm_backlog);
    free(r->pair_a);
    free(r->pair_b);
    free(r->pairs);
    free(r->rep_delta);
    free(r->rep_delta_ok);
    free(r->dec_value);
    free(r->dec_diff);
    free(r->dec_wins);
    free(r->plan_q);
    free(r->plan_base);
    free(r->plan_scen);
    free(r->plan_delta);
    free(r->plan_v);
    free(r->plan_ok);
    free(r->dec_rep);
    free(r->market_w);
    free(r->market_q);
    for (int t = 0; r->team && t < r->nteams; t++) {
        free(r->team[t].weekly);
        free(r->team[t].quarterly);
        free(r->team[t].cmp_base);
        free(r->team[t].cmp_scen);
        free(r->team[t].cmp_delta);
        free(r->team[t].plan_q);
        free(r->team[t].plan_base);
        free(r->team[t].plan_scen);
        free(r->team[t].plan_delta);
    }
    free(r->team);
    free(r->team_scratch);
    free(r->team_scratch_ok);
    free(r->team_plan_v);
    free(r->team_plan_ok);
    memset(r, 0, sizeof *r);
}

/* The distinct divergence ticks of the scenarios, ascending, and which
 * one each scenario starts from. */
static int pool_checkpoints(struct pool *pl, const struct params *p)
{
    size_t ns = p->n_scenarios;
    pl->cp_tick = malloc((ns + 1) * sizeof *pl->cp_tick);
    pl->cp_of = malloc((ns + 1) * sizeof *pl->cp_of);
    if (!pl->cp_tick || !pl->cp_of)
        return -1;
    for (size_t s = 0; s < ns; s++) {
        int t = model_divergence_tick(p, (int)s), i = pl->n_cp;
        while (i > 0 && pl->cp_tick[i - 1] > t)
            i--;
        if (i > 0 && pl->cp_tick[i - 1] == t)
            continue;
        memmove(&pl->cp_tick[i + 1], &pl->cp_tick[i],
                (size_t)(pl->n_cp - i) * sizeof *pl->cp_tick);
        pl->cp_tick[i] = t;
        pl->n_cp++;
    }
    for (size_t s = 0; s < ns; s++) {
        int t = model_divergence_tick(p, (int)s), i = 0;
        while (pl->cp_tick[i] != t)
            i++;
        pl->cp_of[s] = i;
    }
    return 0;
}

static int pool_init(struct pool *pl, const struct params *p,
                     const struct run_opts *o, struct run_result *res)
{
    memset(pl, 0, sizeof *pl);
    if (pool_checkpoints(pl, p) != 0)
        return -1;
    pl->p = p;
    pl->o = o;
    pl->res = res;
    pl->nslots = 2 * (o->jobs > 0 ? o->jobs : 1);
    pl->raw_len = model_raw_len(p);
    size_t nper = (size_t)res->nscen * (res->quarters + 1) * M_COUNT;
    pl->pv = malloc(nper * sizeof *pl->pv);
    pl->pok = malloc(nper);
    if (res->nteams > 0) {
        pl->tpv = malloc((size_t)res->nteams * nper * sizeof *pl->tpv);
        pl->tpok = malloc((size_t)res->nteams * nper);
        if (!pl->tpv || !pl->tpok)
            return -1;
    }
    pl->slots = calloc((size_t)pl->nslots, sizeof *pl->slots);
    if (!pl->pv || !pl->pok || !pl->slots)
        return -1;
    for (int i = 0; i < pl->nslots; i++) {
        pl->slots[i].rep = -1;
        pl->slots[i].raw =
            malloc((size_t)res->nscen * pl->raw_len * sizeof(double));
        if (!pl->slots[i].raw)
            return -1;
    }
    pthread_mutex_init(&pl->lock, NULL);
    pthread_cond_init(&pl->cond, NULL);
    pl->t0 = pl->last_draw = now_s();
    return 0;
}

static void pool_destroy(struct pool *pl)
{
    free(pl->cp_tick);
    free(pl->cp_of);
    free(pl->pv);
    free(pl->pok);
    free(pl->tpv);
    free(pl->tpok);
    if (!pl->slots)
        return;
    for (int i = 0; i < pl->nslots; i++)
        free(pl->slots[i].raw);
    free(pl->slots);
    pthread_mutex_destroy(&pl->lock);
    pthread_cond_destroy(&pl->cond);
}

/* Precision mode: is every scenario's total lost revenue known to within
 * the relative half-width asked for? */
static double widest_relative(const struct run_result *r)
{
    if (r->replications < 2)
        return INFINITY;
    double worst = 0.0;
    for (int s = 1; s < r->nscen; s++) {
        const struct acc *a =
            &r->cmp_delta[run_cmp_index(r, s, r->quarters, CMP_LOST_REVENUE)];
        double hw = acc_halfwidth(a);
        double rel = hw == 0.0 ? 0.0 : hw / fabs(a->mean);
        if (rel > worst)
            worst = rel;
    }
    return worst;
}

static int precise_enough(const struct run_result *r, double precision)
{
    return widest_relative(r) <= precision;
}

int run_simulate(const struct params *p, const struct run_opts *o,
                 struct run_result *res, struct err *e)
{
    struct pool pl = {0};
    int rc = -1;
    double t0 = now_s();
    if (result_alloc(res, p) != 0 || pool_init(&pl, p, o, res) != 0) {
        err_oom(e);
        goto out;
    }
    if (o->precision > 0.0) {
        long target = 0;
        do {
            target += PRECISION_BATCH;
            if (target > o->max_replications)
                target = o->max_replications;
            if (run_batch(&pl, target) != 0)
                break;
        } while (target < o->max_replications &&
                 !precise_enough(res, o->precision));
        res->precision = o->precision;
        res->reached = widest_relative(res);
    } else {
        run_batch(&pl, o->replications);
    }
    if (o->progress)
        draw_progress(&pl, 1);
    if (pl.failed) {
        *e = pl.err;
        if (e->kind == ERR_NONE)
            err_oom(e);
        goto out;
    }
    rc = 0;
out:
    pool_destroy(&pl);
    res->seconds = now_s() - t0;
    return rc;
}
