/*
 * capacity_rep: one rep's queue of deal work in the analytic model
 * (capacity.h): an M/G/1 queue with impatient deals, solved as a fixed
 * point on a grid of waits, per effectiveness quantile (capacity_rep,
 * cap_rep_quantiles).
 *
 * Invariant: nothing here draws a random number; the same params give
 * the same figures, bit for bit.
 */
#include "capacity_int.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static void rep_trivial(const struct params *p, double sell_rate, double eff,
                        double last_mult, struct capacity_rep *o)
{
    double win = 1, cycle = 0;
    for (size_t s = 0; s < p->n_stages; s++) {
        const struct stage_params *st = &p->stages[s];
        double q = st->advance * eff;
        if (s + 1 == p->n_stages)
            q *= last_mult;
        win *= fmin(1, q);
        cycle += dist_mean(&st->buyer_days) +
                 (sell_rate > 0 ? dist_mean(&st->work_hours) / sell_rate : 0);
    }
    *o = (struct capacity_rep){
        .win = win, .cycle_days = cycle, .pipe_days = cycle};
}

/* The survival function of the gamma of d's mean and variance (exact
 * for fixed, exponential and gamma) at x / scale. */
static double gamma_fit_sf(const struct dist *d, double scale, double x)
{
    double m = dist_mean(d) / scale, v = dist_variance(d) / (scale * scale);
    if (!(m > 0))
        return 0;
    if (!(v > 0))
        return x < m ? 1 : 0;
    return gsl_cdf_gamma_Q(x, m * m / v, v / m);
}

/* Points of a rep's workload grid: GRID_N, fewer when there are many
 * kinds of stage (the work grows with kinds x points^2). */
#define GRID_N      400
#define GRID_MIN    48
#define GRID_BUDGET (4.0 * GRID_N * GRID_N)

/* What a rep's queue needs of its stages, on a grid of waits (days):
 * for each kind of stage (stages with the same work and patience
 * distributions are one kind), the survival of its service time and of
 * its patience, and the integral of the latter (E[min(v, patience)]).
 * Shared by every effectiveness quantile of a week. */
struct rep_grid {
    size_t n;                        /* stages */
    size_t kinds;                    /* distinct (work, patience) pairs */
    size_t kind[64];                 /* of each stage */
    int m;                           /* grid points */
    double h;                        /* grid step, days */
    double *serve, *stay, *stay_int; /* [kind][m] */
};

static void rep_grid_free(struct rep_grid *g)
{
    free(g->serve);
    free(g->stay);
    free(g->stay_int);
    *g = (struct rep_grid){0};
}

static int same_dist(const struct dist *a, const struct dist *b)
{
    if (a->kind != b->kind || a->n != b->n || a->nonneg != b->nonneg)
        return 0;
    for (int i = 0; i < 3; i++)
        if (a->p[i] != b->p[i])
            return 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->v[i] != b->v[i])
            return 0;
    return 1;
}

/* Sorts the stages into kinds; the first stage of each kind stands for
 * it. */
static void rep_kinds(struct rep_grid *g, const struct params *p, size_t *first)
{
    for (size_t s = 0; s < g->n; s++) {
        const struct stage_params *st = &p->stages[s];
        size_t k = 0;
        while (k < g->kinds &&
               !(same_dist(&st->work_hours, &p->stages[first[k]].work_hours) &&
                 same_dist(&st->patience_days,
                           &p->stages[first[k]].patience_days)))
            k++;
        if (k == g->kinds)
            first[g->kinds++] = s;
        g->kind[s] = k;
    }
}

/* The grid for work served at r hours a day: up to where nobody waits
 * any longer (every patience has run out) plus the longest service. */
static int rep_grid_init(struct rep_grid *g, const struct params *p, double r)
{
    size_t first[64];
    double patience = 0, service = 0;
    *g = (struct rep_grid){.n = p->n_stages};
    rep_kinds(g, p, first);
    for (size_t s = 0; s < g->n; s++) {
        const struct stage_params *st = &p->stages[s];
        double pm = dist_mean(&st->patience_days);
        double pv = dist_variance(&st->patience_days);
        double wm = dist_mean(&st->work_hours) / r;
        double wv = dist_variance(&st->work_hours) / (r * r);
        patience = fmax(patience, pm + 8 * sqrt(pv) + 3 * pm);
        service = fmax(service, wm + 8 * sqrt(wv));
    }
    double top = patience + service;
    g->m = (int)fmax(GRID_MIN, fmin(GRID_N, sqrt(GRID_BUDGET / g->kinds)));
    g->h = top > 0 ? top / (g->m - 1) : 1;
    size_t cells = g->kinds * (size_t)g->m;
    g->serve = malloc(cells * sizeof *g->serve);
    g->stay = malloc(cells * sizeof *g->stay);
    g->stay_int = malloc(cells * sizeof *g->stay_int);
    if (!g->serve || !g->stay || !g->stay_int)
        return -1;
    for (size_t k = 0; k < g->kinds; k++) {
        const struct stage_params *st = &p->stages[first[k]];
        double *sv = g->serve + k * g->m, *sy = g->stay + k * g->m;
        double *si = g->stay_int + k * g->m;
        for (int i = 0; i < g->m; i++) {
            sv[i] = gamma_fit_sf(&st->work_hours, r, i * g->h);
            sy[i] = gamma_fit_sf(&st->patience_days, 1, i * g->h);
            si[i] = i ? si[i - 1] + 0.5 * g->h * (sy[i - 1] + sy[i]) : 0;
        }
        sy[0] = 1; /* nobody goes cold without waiting */
    }
    return 0;
}

/* The trapezoid rule's weight of point i of m. */
static double trap(int i, int m)
{
    return i == 0 || i == m - 1 ? 0.5 : 1;
}

/* The stationary workload of an M/G/1 queue whose arrivals join only if
 * their patience exceeds the wait they find (for first come first served
 * that is going cold while waiting, exactly): its density f on the grid
 * solves the level-crossing equation
 *   f(v) = P0 sum_k lam_k S_k(v)
 *          + int_0^v f(u) sum_k lam_k G_k(u) S_k(v - u) du
 * (S_k: survival of kind k's service time, G_k: of its patience, lam_k:
 * deals a day reaching a stage of kind k), by the trapezoid rule; P0,
 * the chance of an idle rep, makes it a distribution. b is scratch of
 * kinds * m. Returns P0 (f scaled by it), or -1 when the numbers
 * overflow. */
static double rep_workload(const struct rep_grid *g, const double *lam,
                           double *f, double *b)
{
    int m = g->m;
    double h = g->h, sum = 0;
    for (int i = 0; i < m; i++) {
        double acc = 0, kii = 0;
        for (size_t k = 0; k < g->kinds; k++) {
            const double *sv = g->serve + k * m, *bk = b + k * m;
            double conv = i ? 0.5 * bk[0] * sv[i] : 0;
            for (int j = 1; j < i; j++)
                conv += bk[j] * sv[i - j];
            acc += lam[k] * sv[i] + h * conv;
            kii += lam[k] * g->stay[k * m + i] * sv[0];
        }
        f[i] = i ? acc / fmax(0.5, 1 - 0.5 * h * kii) : acc;
        for (size_t k = 0; k < g->kinds; k++)
            b[k * m + i] = lam[k] * g->stay[k * m + i] * f[i];
        sum += f[i] * trap(i, m);
    }
    double p0 = 1 / (1 + h * sum);
    if (!isfinite(sum) || !(p0 > 0))
        return -1;
    for (int i = 0; i < m; i++)
        f[i] *= p0;
    return p0;
}

/* The expectations of a stage of kind k over the workload f: going cold,
 * the wait of those served (E[W; W < patience]) and E[min(W,
 * patience)]. */
static double stage_wait(const struct rep_grid *g, const double *f, size_t k,
                         double *w_served, double *w_min)
{
    int m = g->m;
    const double *sy = g->stay + k * m, *si = g->stay_int + k * m;
    double cold = 0, ws = 0, wm = 0;
    for (int i = 0; i < m; i++) {
        double w = g->h * f[i] * trap(i, m);
        cold += w * (1 - sy[i]);
        ws += w * i * g->h * sy[i];
        wm += w * si[i];
    }
    *w_served = ws;
    *w_min = wm;
    return fmin(1, cold);
}

/* One rep's queue: the fixed point's state and its outcome per kind of
 * stage. */
struct rep_solve {
    double q[64];                 /* odds of passing each stage */
    double c[64], ws[64], wm[64]; /* per kind: cold, waits */
    double lam[64], busy;
    double f[GRID_N], *b;
    int failed; /* beyond any workload */
};

/* The flows cold shares c imply, the workload they make, and the cold
 * shares that workload implies. Returns the largest change, or -1. */
static double rep_round(const struct rep_grid *g, struct rep_solve *rs,
                        double lam)
{
    double reach = 1, change = 0;
    memset(rs->lam, 0, g->kinds * sizeof rs->lam[0]);
    for (size_t s = 0; s < g->n; s++) {
        rs->lam[g->kind[s]] += lam * reach;
        reach *= (1 - rs->c[g->kind[s]]) * rs->q[s];
    }
    double p0 = rep_workload(g, rs->lam, rs->f, rs->b);
    if (p0 < 0)
        return -1;
    rs->busy = 1 - p0;
    /* Damped: an overloaded rep would swing between "nobody waits" and
     * "everybody goes cold". */
    for (size_t k = 0; k < g->kinds; k++) {
        double next = stage_wait(g, rs->f, k, &rs->ws[k], &rs->wm[k]);
        change = fmax(change, fabs(next - rs->c[k]));
        rs->c[k] = 0.5 * rs->c[k] + 0.5 * next;
    }
    return change;
}

/* Solves the queue of a rep whose stages pass with odds rs->q, starting
 * from the cold shares in rs->c (a neighbour's). */
static void rep_fixed_point(const struct rep_grid *g, struct rep_solve *rs,
                            double lam)
{
    double ch = 1;
    for (int it = 0; it < 300 && ch > 1e-8; it++)
        ch = rep_round(g, rs, lam);
    rs->failed = ch < 0;
    if (rs->failed)
        return;
    for (size_t k = 0; k < g->kinds; k++)
        rs->c[k] = stage_wait(g, rs->f, k, &rs->ws[k], &rs->wm[k]);
}

/* The rep's outcome from its queue's per-kind results and its odds. */
static void rep_outcome(const struct params *p, const struct rep_grid *g,
                        const struct rep_solve *rs, double r,
                        struct capacity_rep *o)
{
    if (rs->failed) { /* beyond any workload: every deal goes cold */
        *o = (struct capacity_rep){.cold = 1,
                                   .busy = 1,
                                   .cycle_days = NAN,
                                   .pipe_days =
                                       dist_mean(&p->stages[0].patience_days)};
        return;
    }
    double reach = 1, cold = 0, work = 0, cycle = 0, pipe = 0;
    for (size_t s = 0; s < g->n; s++) {
        const struct stage_params *st = &p->stages[s];
        size_t k = g->kind[s];
        double c = rs->c[k], m1 = dist_mean(&st->work_hours);
        double after = m1 / r + dist_mean(&st->buyer_days);
        cold += reach * c;
        work += reach * (1 - c) * m1;
        cycle += (1 - c > 0 ? rs->ws[k] / (1 - c) : 0) + after;
        pipe += reach * (rs->wm[k] + (1 - c) * after);
        reach *= (1 - c) * rs->q[s];
    }
    *o = (struct capacity_rep){reach, cold, rs->busy, work, cycle, pipe};
}

static void rep_odds(const struct params *p, double eff, double last_mult,
                     double *q)
{
    size_t n = p->n_stages;
    for (size_t s = 0; s < n; s++)
        q[s] =
            fmin(1, p->stages[s].advance * eff * (s + 1 == n ? last_mult : 1));
}

/* Assumption: each rep's deal work is an M/G/1 queue, first come first
 * served, fed by new deals (Poisson) and deals back from their buyers
 * (taken as Poisson too); a deal goes cold when its wait passes its
 * patience, and one gone cold takes no work. */
void capacity_rep(const struct params *p, double lam, double r, double eff,
                  double last_mult, struct capacity_rep *o)
{
    size_t n = p->n_stages;
    struct rep_grid g = {0};
    struct rep_solve rs = {0};
    if (!(lam > 0) || !(r > 0) || n == 0 || n > 64) {
        rep_trivial(p, r, eff, last_mult, o);
        if (!(r > 0) && lam > 0 && n > 0) { /* nobody serves: all go cold */
            o->win = 0;
            o->cold = 1;
            o->cycle_days = NAN;
            o->pipe_days = dist_mean(&p->stages[0].patience_days);
        }
        return;
    }
    if (rep_grid_init(&g, p, r) != 0 ||
        !(rs.b = malloc(g.kinds * (size_t)g.m * sizeof *rs.b))) {
        /* Out of memory: the queue as if nobody waited. */
        rep_trivial(p, r, eff, last_mult, o);
    } else {
        rep_odds(p, eff, last_mult, rs.q);
        rep_fixed_point(&g, &rs, lam);
        rep_outcome(p, &g, &rs, r, o);
    }
    rep_grid_free(&g);
    free(rs.b);
}

/* Solves one rep's queue for every EFF_STEP-th effectiveness quantile
 * (from the best down, each starting from its neighbour's cold shares)
 * and interpolates the per-kind results between them: cold shares and
 * waits change slowly with effectiveness, the odds of each quantile are
 * its own. */
#define EFF_STEP 3

static void rep_interpolate(const struct rep_grid *g, const struct rep_solve *a,
                            const struct rep_solve *b, double t,
                            struct rep_solve *out)
{
    for (size_t k = 0; k < g->kinds; k++) {
        out->c[k] = a->c[k] + t * (b->c[k] - a->c[k]);
        out->ws[k] = a->ws[k] + t * (b->ws[k] - a->ws[k]);
        out->wm[k] = a->wm[k] + t * (b->wm[k] - a->wm[k]);
    }
    out->busy = a->busy + t * (b->busy - a->busy);
    out->failed = a->failed || b->failed;
}

int cap_rep_quantiles(const struct params *p, const double *effs, double lam,
                      double r, struct capacity_rep *o)
{
    struct rep_grid g = {0};
    struct rep_solve *rs = calloc(N_EFF, sizeof *rs);
    int rc = -1;
    if (!rs || rep_grid_init(&g, p, r) != 0 ||
        !(rs[0].b = malloc(g.kinds * (size_t)g.m * sizeof *rs[0].b)))
        goto out;
    int solved[N_EFF] = {0}, prev = -1;
    for (int i = N_EFF - 1; i >= 0; i--) {
        if (i % EFF_STEP && i != N_EFF - 1)
            continue;
        if (prev >= 0)
            memcpy(rs[i].c, rs[prev].c, sizeof rs[i].c);
        rs[i].b = rs[0].b;
        rep_odds(p, effs[i], 1, rs[i].q);
        rep_fixed_point(&g, &rs[i], lam);
        solved[i] = 1;
        prev = i;
    }
    for (int i = 0; i < N_EFF; i++) {
        if (!solved[i]) {
            int lo = i - i % EFF_STEP, hi = lo + EFF_STEP;
            if (hi >= N_EFF)
                hi = N_EFF - 1;
            rep_interpolate(&g, &rs[lo], &rs[hi], (double)(i - lo) / (hi - lo),
                            &rs[i]);
            rep_odds(p, effs[i], 1, rs[i].q);
        }
        rep_outcome(p, &g, &rs[i], r, &o[i]);
    }
    rc = 0;
out:
    if (rs)
        free(rs[0].b);
    free(rs);
    rep_grid_free(&g);
    return rc;
}
