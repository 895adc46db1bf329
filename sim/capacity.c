/*
 * capacity: the analytic model of a baseline (capacity.h).
 *
 * It follows the simulation's weekly tick with expected values instead of
 * draws: the seats of each role (a discrete renewal process, exact at the
 * tick's resolution), each rep's pipeline (an M/G/1 queue with impatient
 * deals, one per effectiveness quantile), the ops backlog (an M/G/c queue
 * by Allen-Cunneen, carried from week to week as a pointwise stationary
 * fluid flow: Wang, Dong and Wasserman 1996), the client base (cohorts
 * renewing at their anniversaries) and the market's reading of the
 * delivery delay. Each week uses that week's state only (quasi-static),
 * so it is exact in a steady state and lags a little in fast transients.
 *
 * Invariant: nothing here draws a random number; the same params give
 * the same table, bit for bit.
 */
#include "capacity.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define DPW 7.0           /* days per week */
#define N_EFF 24          /* effectiveness quantiles */
#define MAX_DELAY 3650.0  /* the model's reading with no ops capacity */
#define RHO_MAX 0.999999  /* a stationary queue's utilisation stays below */

/* ------------------------------------------------------------ queues */

double capacity_erlang_c(double c, double rho)
{
    if (!(rho > 0))
        return 0;
    if (!(rho < 1))
        return 1;
    if (!(c > 0))
        return 1;
    if (c > 400) {
        /* Halfin-Whitt: beta = (1 - rho) sqrt(c). */
        double b = (1 - rho) * sqrt(c);
        double phi = exp(-0.5 * b * b) * 0.39894228040143267794;
        double cdf = 0.5 * erfc(-b / sqrt(2.0));
        return 1 / (1 + b * cdf / phi);
    }
    /* Erlang B by its recurrence over whole servers, then C; a fraction
     * of a server interpolates between its neighbours. */
    int lo = (int)floor(c);
    double frac = c - lo, res[2];
    for (int j = 0; j < 2; j++) {
        int n = lo + j;
        if (n < 1) {
            res[j] = 1;
            continue;
        }
        double a = rho * c, b = 1; /* offered load in servers */
        for (int k = 1; k <= n; k++)
            b = a * b / (k + a * b);
        double r = fmin(a / n, RHO_MAX);
        res[j] = b / (1 - r * (1 - b));
    }
    double v = res[0] + frac * (res[1] - res[0]);
    return v < 0 ? 0 : v > 1 ? 1 : v;
}

double capacity_wait(double c, double rho, double s, double cs2)
{
    if (!(rho > 0) || !(c > 0))
        return 0;
    rho = fmin(rho, RHO_MAX);
    return capacity_erlang_c(c, rho) * s / (c * (1 - rho)) *
           (1 + cs2) / 2;
}

/* ------------------------------------------------------------ seats */

static double ramp(const struct role_params *r, int weeks_in)
{
    if (!(r->ramp_weeks > 0))
        return 1;
    double x = weeks_in / r->ramp_weeks;
    return x >= 1 ? 1 : r->ramp_start + (1 - r->ramp_start) * x;
}

/* Assumption (the model's): a departure empties the seat at the next
 * tick and a new person starts ceil(backfill_weeks) ticks later, so a
 * person holds the seat ceil(T) whole weeks, T ~ exponential. */
int capacity_seats(const struct role_params *r, int weeks, double *filled,
                   double *productive)
{
    double a = r->attrition_per_year;
    if (!(a > 0) || weeks <= 0) {
        for (int t = 0; t < weeks; t++)
            filled[t] = productive[t] = 1;
        return 0;
    }
    int v = (int)ceil(r->backfill_weeks);
    double *u = calloc((size_t)weeks, sizeof *u); /* successors' starts */
    double *qp = malloc((size_t)weeks * sizeof *qp); /* q^k */
    double *rp = malloc((size_t)weeks * sizeof *rp); /* ramp(k) */
    if (!u || !qp || !rp) {
        free(u);
        free(qp);
        free(rp);
        return -1;
    }
    double q = exp(-a / 52.0); /* stays another week */
    for (int k = 0; k < weeks; k++) {
        qp[k] = k ? qp[k - 1] * q : 1;
        rp[k] = ramp(r, k);
    }
    for (int t = 0; t < weeks; t++) {
        /* Someone who started at week s leaves after j whole weeks with
         * probability q^(j-1) (1 - q); a successor starts v weeks after.
         * The first occupants started fully productive at week 0. */
        int j = t - v;
        double start = j >= 1 ? qp[j - 1] * (1 - q) : 0;
        for (int s = 0; s + v + 1 <= t; s++)
            start += u[s] * qp[t - s - v - 1] * (1 - q);
        u[t] = start;
        double f = qp[t], pr = qp[t];
        for (int s = 0; s <= t; s++) {
            f += u[s] * qp[t - s];
            pr += u[s] * qp[t - s] * rp[t - s];
        }
        filled[t] = fmin(1, f);
        productive[t] = fmin(1, pr);
    }
    free(u);
    free(qp);
    free(rp);
    return 0;
}

/* The long-run shares of capacity_seats. */
static void seats_stationary(const struct role_params *r, double *filled,
                             double *productive)
{
    double a = r->attrition_per_year;
    if (!(a > 0)) {
        *filled = *productive = 1;
        return;
    }
    double q = exp(-a / 52.0), held = 1 / (1 - q), loss = 0, qa = 1;
    for (int w = 0; w < 100000 && qa > 1e-12; w++, qa *= q)
        loss += qa * (1 - ramp(r, w));
    double cycle = held + ceil(r->backfill_weeks);
    *filled = held / cycle;
    *productive = (held - loss) / cycle;
}

/* ------------------------------------------------------------ a rep */

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
    *o = (struct capacity_rep){.win = win, .cycle_days = cycle,
                               .pipe_days = cycle};
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
#define GRID_N 400
#define GRID_MIN 48
#define GRID_BUDGET (4.0 * GRID_N * GRID_N)

/* What a rep's queue needs of its stages, on a grid of waits (days):
 * for each kind of stage (stages with the same work and patience
 * distributions are one kind), the survival of its service time and of
 * its patience, and the integral of the latter (E[min(v, patience)]).
 * Shared by every effectiveness quantile of a week. */
struct rep_grid {
    size_t n;       /* stages */
    size_t kinds;   /* distinct (work, patience) pairs */
    size_t kind[64]; /* of each stage */
    int m;          /* grid points */
    double h;       /* grid step, days */
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
static void rep_kinds(struct rep_grid *g, const struct params *p,
                      size_t *first)
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
static double stage_wait(const struct rep_grid *g, const double *f,
                         size_t k, double *w_served, double *w_min)
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
    double q[64];                    /* odds of passing each stage */
    double c[64], ws[64], wm[64];    /* per kind: cold, waits */
    double lam[64], busy;
    double f[GRID_N], *b;
    int failed;                      /* beyond any workload */
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
        *o = (struct capacity_rep){
            .cold = 1, .busy = 1, .cycle_days = NAN,
            .pipe_days = dist_mean(&p->stages[0].patience_days)};
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
        q[s] = fmin(1, p->stages[s].advance * eff *
                           (s + 1 == n ? last_mult : 1));
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

/* ------------------------------------------------------------ sales */

/* The effectiveness quantiles: each rep's multiplier, equally likely. */
static void eff_points(const struct params *p, double *e)
{
    for (int i = 0; i < N_EFF; i++) {
        e[i] = dist_quantile(&p->sales.effectiveness, (i + 0.5) / N_EFF);
        if (!(e[i] > 0))
            e[i] = 0;
    }
}

/* An employed rep's queue in a week, for every effectiveness quantile,
 * before the market's multiplier of the last stage (which changes who
 * wins, never the work: nothing follows the last stage). Rates per
 * week. */
struct sales_queue {
    double opps, sell_clock, cold, busy, work_hours, pipe_days;
    double offered; /* work hours an opportunity asks for if none waits */
    double pre[N_EFF];   /* reach the last stage's outcome */
    double qlast[N_EFF]; /* its odds then, before the market, uncapped */
    double cycle[N_EFF]; /* creation to win, days */
};

/* The queue of a rep at productivity prod whose admin support takes
 * `absorbed` hours a week. Returns 0, or -1 when out of memory. */
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

static int rep_quantiles(const struct params *p, const double *effs,
                         double lam, double r, struct capacity_rep *o)
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
            rep_interpolate(&g, &rs[lo], &rs[hi],
                            (double)(i - lo) / (hi - lo), &rs[i]);
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

static int sales_queue(const struct params *p, const double *effs,
                       double prod, double absorbed, struct sales_queue *sq)
{
    const struct sales_params *s = &p->sales;
    double hpw = s->role.hours_per_week, admin = hpw * s->admin_share;
    double clock = fmax(0, hpw * (1 - s->prospecting_share - s->admin_share) +
                               fmin(admin, absorbed));
    /* Assumption (the model's): no base prospecting time, no
     * opportunities. */
    double lam = hpw * s->prospecting_share > 0
                     ? s->opportunities_per_week * prod / DPW
                     : 0;
    double r = clock / DPW * prod;
    size_t n = p->n_stages;
    struct capacity_rep o[N_EFF];
    *sq = (struct sales_queue){.opps = lam * DPW, .sell_clock = clock};
    if (lam > 0 && r > 0 && n > 0 && n <= 64) {
        if (rep_quantiles(p, effs, lam, r, o) != 0)
            return -1;
    } else {
        for (int i = 0; i < N_EFF; i++)
            capacity_rep(p, lam, r, effs[i], 1, &o[i]);
    }
    double a = n ? p->stages[n - 1].advance : 1;
    for (int i = 0; i < N_EFF; i++) {
        double reach = 1, q1 = fmin(1, a * effs[i]);
        for (size_t k = 0; k < n; k++) {
            sq->offered += reach * dist_mean(&p->stages[k].work_hours) / N_EFF;
            reach *= fmin(1, p->stages[k].advance * effs[i]);
        }
        sq->pre[i] = q1 > 0 ? o[i].win / q1 : 0;
        sq->qlast[i] = a * effs[i];
        sq->cycle[i] = o[i].cycle_days;
        sq->cold += o[i].cold / N_EFF;
        sq->busy += o[i].busy / N_EFF;
        sq->work_hours += o[i].work_hours / N_EFF;
        sq->pipe_days += o[i].pipe_days / N_EFF;
    }
    return 0;
}

/* A rep's week: the queue with the market's multiplier applied. */
struct sales_week {
    double opps, wins, cold, busy, work_hours, cycle_days, pipe_days;
    double sell_clock; /* selling clock hours */
    double offered;    /* work hours an opportunity asks for */
};

static void sales_apply(const struct sales_queue *sq, double mult,
                        struct sales_week *w)
{
    double win = 0, won_days = 0;
    for (int i = 0; i < N_EFF; i++) {
        double wi = sq->pre[i] * fmin(1, sq->qlast[i] * mult) / N_EFF;
        win += wi;
        if (wi > 0)
            won_days += wi * sq->cycle[i];
    }
    *w = (struct sales_week){
        .opps = sq->opps, .wins = sq->opps * win, .cold = sq->cold,
        .busy = sq->busy, .work_hours = sq->work_hours,
        .cycle_days = win > 0 ? won_days / win : sq->cycle[N_EFF / 2],
        .pipe_days = sq->pipe_days, .sell_clock = sq->sell_clock,
        .offered = sq->offered};
}

/* sales_queue on a grid of productivities and of admin hours support
 * takes off a rep, interpolated between its points: attrition moves both
 * a little every week. Points are solved when first needed. */
#define PROD_STEPS 32
#define ABSORB_STEPS 16

struct sales_cache {
    double admin; /* a rep's admin hours: the top of the absorbed axis */
    struct sales_queue *at[PROD_STEPS + 1][ABSORB_STEPS + 1];
};

static void sales_cache_free(struct sales_cache *sc)
{
    if (!sc)
        return;
    for (int i = 0; i <= PROD_STEPS; i++)
        for (int j = 0; j <= ABSORB_STEPS; j++)
            free(sc->at[i][j]);
    free(sc);
}

static const struct sales_queue *sales_at(const struct params *p,
                                          const double *effs,
                                          struct sales_cache *sc, int i,
                                          int j)
{
    if (!sc->at[i][j]) {
        struct sales_queue *q = malloc(sizeof *q);
        double prod = fmax(i, 1) / (double)PROD_STEPS;
        if (!q || sales_queue(p, effs, prod, sc->admin * j / ABSORB_STEPS,
                              q) != 0) {
            free(q);
            return NULL;
        }
        sc->at[i][j] = q;
    }
    return sc->at[i][j];
}

/* Position on an axis of `steps` steps over [0, top]: the point below
 * and the fraction towards the next. */
static int axis(double x, double top, int steps, double *frac)
{
    double v = top > 0 ? fmin(1, fmax(0, x / top)) * steps : 0;
    int k = (int)floor(v);
    if (k >= steps) {
        *frac = 0;
        return steps;
    }
    *frac = v - k;
    return k;
}

static int sales_lookup(const struct params *p, const double *effs,
                        struct sales_cache *sc, double prod, double absorbed,
                        double mult, struct sales_week *w)
{
    double fp, fa, acc[sizeof *w / sizeof w->opps] = {0};
    int i = axis(prod, 1, PROD_STEPS, &fp);
    int j = axis(absorbed, sc->admin, ABSORB_STEPS, &fa);
    for (int di = 0; di < 2; di++)
        for (int dj = 0; dj < 2; dj++) {
            double wgt = (di ? fp : 1 - fp) * (dj ? fa : 1 - fa);
            if (wgt == 0)
                continue;
            const struct sales_queue *q = sales_at(p, effs, sc, i + di,
                                                   j + dj);
            if (!q)
                return -1;
            struct sales_week one;
            sales_apply(q, mult, &one);
            const double *v = &one.opps;
            for (size_t k = 0; k < sizeof acc / sizeof acc[0]; k++)
                acc[k] += wgt * v[k];
        }
    memcpy(w, acc, sizeof *w);
    return 0;
}

/* ------------------------------------------------------------ ops */

/* The week's ops queue: servers, their pace and the work arriving. */
struct ops_queue {
    double c;        /* servers (staff employed) */
    double pace;     /* work hours per day of one server (with ramps) */
    double lam_o;    /* onboardings per day */
    double lam_t;    /* tickets per day */
    double s1, s2;   /* mean and second moment of an item's hours */
    double cs2;      /* squared coefficient of variation of service */
};

static void ops_mix(const struct params *p, struct ops_queue *q)
{
    const struct dist *o = &p->ops.onboarding_hours, *t = &p->ops.ticket_hours;
    double lam = q->lam_o + q->lam_t;
    double mo = dist_mean(o), mt = dist_mean(t);
    if (!(lam > 0)) { /* no work: any mix; use the onboarding's */
        q->s1 = mo;
        q->s2 = dist_variance(o) + mo * mo;
    } else {
        q->s1 = (q->lam_o * mo + q->lam_t * mt) / lam;
        q->s2 = (q->lam_o * (dist_variance(o) + mo * mo) +
                 q->lam_t * (dist_variance(t) + mt * mt)) / lam;
    }
    q->cs2 = q->s1 > 0 ? q->s2 / (q->s1 * q->s1) - 1 : 0;
}

/* Mean wait in queue, days, at utilisation rho (first come first
 * served). */
static double ops_wait(const struct ops_queue *q, double rho)
{
    if (!(q->s1 > 0) || !(q->pace > 0))
        return 0;
    return capacity_wait(q->c, rho, q->s1 / q->pace, q->cs2);
}

/* Hours of work waiting or in service at utilisation rho: Little's law
 * on the queue, and the residual work of the items in hand. */
static double ops_hours(const struct ops_queue *q, double rho)
{
    if (!(q->s1 > 0) || !(q->pace > 0))
        return 0;
    double lam = rho * q->c * q->pace / q->s1; /* items per day */
    return lam * ops_wait(q, rho) * q->s1 + q->c * rho * q->s2 / (2 * q->s1);
}

/* One week of the backlog as a pointwise stationary fluid flow: the
 * backlog x moves by the work arriving less the work done, and the work
 * done is the capacity times the utilisation whose stationary backlog
 * is x. Implicit in the week's end, so it is stable at any load. Returns
 * the week's utilisation; *x is updated. */
static double ops_step(const struct ops_queue *q, double demand, double *x)
{
    double cap = q->c * q->pace; /* work hours per day */
    if (!(cap > 0) || !(q->s1 > 0)) {
        *x += DPW * demand;
        return 0;
    }
    double lo = 0, hi = RHO_MAX, x0 = *x;
    for (int i = 0; i < 100; i++) {
        double mid = 0.5 * (lo + hi);
        if (ops_hours(q, mid) - x0 - DPW * (demand - cap * mid) < 0)
            lo = mid;
        else
            hi = mid;
    }
    *x = fmax(0, x0 + DPW * (demand - cap * lo));
    return lo;
}

/* P(wait + service > sla) for an item of hours h, when a share pw of
 * arrivals waits, exponentially with mean mq days: the service time's
 * distribution is the gamma of h's mean and variance. */
static double late_share(const struct dist *h, double pace, double pw,
                         double mq, double sla)
{
    double m = dist_mean(h) / pace, v = dist_variance(h) / (pace * pace);
    if (!(pace > 0))
        return 1;
    if (!(v > 0) || !(m > 0)) { /* a fixed service time */
        if (m > sla)
            return 1;
        return mq > 0 ? pw * exp(-(sla - m) / mq) : 0;
    }
    double k = m * m / v, b = v / m;
    double F = gsl_cdf_gamma_P(sla, k, b);
    if (!(mq > 0) || !(pw > 0))
        return 1 - F;
    /* P(E + S > x) = 1 - F(x) + e^{-x/mq} ... by parts:
     * 1 - F(x) + pw [F(x) - (1/mq) int_0^x F(s) e^{-(x-s)/mq} ds]. */
    int n = 64;
    double step = sla / n, sum = 0;
    for (int i = 0; i <= n; i++) {
        double s = i * step;
        double f = gsl_cdf_gamma_P(s, k, b) * exp(-(sla - s) / mq);
        sum += f * (i == 0 || i == n ? 1 : i % 2 ? 4 : 2);
    }
    double integral = sum * step / 3 / mq;
    double late = 1 - F + pw * (F - integral);
    return late < 0 ? 0 : late > 1 ? 1 : late;
}

/* ------------------------------------------------------------ clients */

/* Groups of clients with the same contract anniversary. */
struct cohorts {
    double *n;        /* clients */
    double *anniv;    /* next anniversary, weeks from the start */
    double *exposure; /* weeks of the current term the run has seen */
    unsigned char *onboarded; /* its onboarding counts in this term */
    size_t len, cap;
};

static void cohorts_free(struct cohorts *c)
{
    free(c->n);
    free(c->anniv);
    free(c->exposure);
    free(c->onboarded);
}

static int cohorts_add(struct cohorts *c, double n, double anniv,
                       double exposure, int onboarded)
{
    if (c->len == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        double *a = realloc(c->n, cap * sizeof *a);
        if (a)
            c->n = a;
        double *b = realloc(c->anniv, cap * sizeof *b);
        if (b)
            c->anniv = b;
        double *d = realloc(c->exposure, cap * sizeof *d);
        if (d)
            c->exposure = d;
        unsigned char *o = realloc(c->onboarded, cap);
        if (o)
            c->onboarded = o;
        if (!a || !b || !d || !o)
            return -1;
        c->cap = cap;
    }
    c->n[c->len] = n;
    c->anniv[c->len] = anniv;
    c->exposure[c->len] = exposure;
    c->onboarded[c->len] = (unsigned char)onboarded;
    c->len++;
    return 0;
}

/* The odds of renewing at an anniversary: renewal_rate, less the late
 * penalty of the term's late items (Poisson tickets, the onboarding in
 * the first term). */
static double renew_odds(const struct params *p, double exposure,
                         int onboarded, double late_o, double late_t)
{
    const struct clients_params *k = &p->clients;
    double lp = k->late_penalty, tickets = k->tickets_per_week * exposure;
    /* E[(1 - lp)^L] = exp(-lp mu) for L ~ Poisson(mu). */
    double r = k->renewal_rate * exp(-lp * tickets * late_t);
    return onboarded ? r * (1 - lp * late_o) : r;
}

/* Anniversaries in [t, t + 1): renewals and churn. Returns the churned. */
static double cohorts_week(struct cohorts *c, const struct params *p, int t,
                           double late_o, double late_t)
{
    double cw = p->clients.contract_weeks, churned = 0;
    for (size_t i = 0; i < c->len; i++) {
        while (c->anniv[i] < t + 1 && c->n[i] > 0) {
            double r = renew_odds(p, c->exposure[i], c->onboarded[i], late_o,
                                  late_t);
            churned += c->n[i] * (1 - r);
            c->n[i] *= r;
            c->onboarded[i] = 0;
            c->exposure[i] = cw;
            if (cw < 1) { /* many anniversaries a week: at once */
                double k = floor((t + 1 - c->anniv[i]) / cw);
                double rk = pow(r, k);
                churned += c->n[i] * (1 - rk);
                c->n[i] *= rk;
                c->anniv[i] += k * cw;
            }
            c->anniv[i] += cw;
        }
    }
    return churned;
}

/* ------------------------------------------------------------ one week */

/* What the weeks share: seats, the effectiveness grid, and the state the
 * next week starts from. */
struct path {
    const struct params *p;
    double effs[N_EFF];
    double x;          /* ops backlog, work hours */
    double x_tickets;  /* of which tickets waiting (onboarding_first) */
    double perceived;  /* the market's smoothed delay, days */
    double onb_days;   /* signature to go-live, last week's */
    struct cohorts co;
    struct sales_cache *sales; /* the reps' queues by productivity */
    int failed;                /* out of memory on the way */
};

/* One week's results. */
struct week {
    double reps, prod, opps, wins, wins_full, closed, cold, pipeline;
    double cycle_days;
    double sell_clock, sell_busy, offered;
    double ops_clock, ops_busy, ops_demand, backlog;
    double onb_wait, onb_days, late_o, late_t;
    double clients, churned, mult;
};

/* The market's multiplier of the last stage's odds for the delay read
 * from backlog x at capacity cap (work hours per day). */
static double market_read(struct path *ph, double x, double cap, int first)
{
    const struct params *p = ph->p;
    double own = dist_mean(&p->ops.onboarding_hours) /
                 (p->ops.role.hours_per_week / DPW);
    double d = cap > 0 ? fmin(MAX_DELAY, x / cap + own) : MAX_DELAY;
    double sm = p->market.reputation_smoothing_weeks;
    if (first || !(sm > 0))
        ph->perceived = d;
    else
        ph->perceived += (d - ph->perceived) * -expm1(-1 / sm);
    double sla = p->ops.onboarding_sla_days, s = p->market.delay_sensitivity;
    return s > 0 && sla > 0
               ? exp(-s * fmax(0, ph->perceived - sla) / sla)
               : 1;
}

/* Waits of each kind (days) at utilisation rho when `waiting` hours of
 * work wait: first come first served, both wait for the whole queue at
 * the pace work is done; with a priority, the non-preemptive
 * approximation W0 / ((1 - s_hi)(1 - s)) splits it, scaled so that the
 * two kinds' waiting work adds up to what waits. Returns the hours of
 * tickets waiting. */
static double ops_waits(const struct params *p, const struct ops_queue *q,
                        double rho, double waiting, double *w_o, double *w_t)
{
    double cap = q->c * q->pace, done = cap * rho;
    double mo = dist_mean(&p->ops.onboarding_hours);
    double mt = dist_mean(&p->ops.ticket_hours);
    double wq = done > 0 ? waiting / done : 0;
    *w_o = *w_t = wq;
    if (p->ops.queue == QUEUE_FIFO || !(cap > 0))
        return q->lam_t * mt / fmax(q->lam_o * mo + q->lam_t * mt, 1e-300) *
               waiting;
    /* The first class's share of the busy time is at most all of it (at
     * saturation it takes everything and the other starves). */
    double r = fmin(rho, RHO_MAX);
    int tickets_first = p->ops.queue == QUEUE_TICKETS_FIRST;
    double d_t = q->lam_t * mt, d_o = q->lam_o * mo; /* work a day */
    double d_hi = tickets_first ? d_t : d_o, d_lo = tickets_first ? d_o : d_t;
    double w_hi, w_lo, x_lo;
    if (d_hi >= cap * r) {
        /* The first class alone fills the servers: its backlog grows by
         * what exceeds them, the other's by all of its work. */
        double g_hi = fmax(0, d_hi - cap), share = 1;
        if (g_hi + d_lo > 0)
            share = g_hi / (g_hi + d_lo);
        x_lo = (1 - share) * waiting;
        w_hi = share * waiting / cap;
        w_lo = d_lo > 0 ? x_lo / d_lo : 0;
    } else {
        double hi = d_hi / cap;
        double a = (1 - r) / (1 - hi), b = 1 / (1 - hi);
        double work = d_hi * a + d_lo * b;
        double k = work > 0 ? waiting / work : 0; /* days per unit */
        w_hi = k * a;
        w_lo = k * b;
        x_lo = d_lo * w_lo;
    }
    *w_o = tickets_first ? w_lo : w_hi;
    *w_t = tickets_first ? w_hi : w_lo;
    return tickets_first ? waiting - x_lo : x_lo;
}

/* Assumption (the model's, docs/model.md 17): an item counts as late
 * when it is finished late, so a backlog that grows finishes fewer items
 * than arrive and counts fewer late ones against renewals: each late
 * share is scaled by the share of that kind's arrivals finished (the
 * first class of a priority queue is served first). */
static void done_shares(const struct params *p, const struct ops_queue *q,
                        double rho, double demand, double *late_o,
                        double *late_t)
{
    double done = q->c * q->pace * rho;
    if (!(demand > done))
        return;
    double d_o = q->lam_o * dist_mean(&p->ops.onboarding_hours);
    double d_t = q->lam_t * dist_mean(&p->ops.ticket_hours);
    double f_o = done / demand, f_t = f_o;
    if (p->ops.queue == QUEUE_TICKETS_FIRST) {
        f_t = d_t > 0 ? fmin(1, done / d_t) : 1;
        f_o = d_o > 0 ? fmax(0, done - d_t * f_t) / d_o : 1;
    } else if (p->ops.queue == QUEUE_ONBOARDING_FIRST) {
        f_o = d_o > 0 ? fmin(1, done / d_o) : 1;
        f_t = d_t > 0 ? fmax(0, done - d_o * f_o) / d_t : 1;
    }
    *late_o *= f_o;
    *late_t *= f_t;
}

/* The late shares of onboardings and tickets at utilisation rho. */
static void ops_late(const struct params *p, const struct ops_queue *q,
                     double rho, double w_o, double w_t, double *late_o,
                     double *late_t)
{
    double pw = capacity_erlang_c(q->c, fmin(rho, RHO_MAX));
    *late_o = late_share(&p->ops.onboarding_hours, q->pace, pw,
                         pw > 0 ? w_o / pw : 0, p->ops.onboarding_sla_days);
    *late_t = late_share(&p->ops.ticket_hours, q->pace, pw,
                         pw > 0 ? w_t / pw : 0, p->ops.ticket_sla_days);
}

/* Seats of the week: shares filled and productive of each role. */
struct seats {
    double sf, sp, of, op, uf, up;
};

/* The share of a departing rep's pipeline that goes cold before the seat
 * is filled again: the chance that a deal's patience (the stages' mean)
 * is shorter than the vacancy. */
static double vacancy_loss(const struct params *p)
{
    double v = ceil(p->sales.role.backfill_weeks) * DPW, m = 0;
    for (size_t s = 0; s < p->n_stages; s++)
        m += dist_mean(&p->stages[s].patience_days) / (double)p->n_stages;
    return v > 0 ? (m > 0 ? 1 - exp(-v / m) : 1) : 0;
}

static int sales_side(struct path *ph, const struct seats *st, double mult,
                      int t, struct week *w)
{
    const struct params *p = ph->p;
    w->reps = p->sales.role.count * st->sf;
    w->prod = st->sf > 0 ? st->sp / st->sf : 1;
    const struct support_params *su = &p->support;
    double absorbed = w->reps > 0
                          ? su->role.count * st->up *
                                fmin(su->absorb_hours_per_week,
                                     su->role.hours_per_week) / w->reps
                          : 0;
    struct sales_week swk, *sw = &swk;
    if (sales_lookup(p, ph->effs, ph->sales, w->prod, absorbed, mult, sw))
        return -1;
    /* The pipeline starts empty: wins come one cycle later (a gamma of
     * shape 4 around the won cycle), deals close after their time in
     * the pipeline (exponential). */
    double days = (t + 0.5) * DPW;
    double fill_w = sw->cycle_days > 0
                        ? gsl_cdf_gamma_P(days, 4, sw->cycle_days / 4)
                        : 1;
    double fill_p = sw->pipe_days > 0 ? -expm1(-days / sw->pipe_days) : 1;
    double a = p->sales.role.attrition_per_year;
    double departures = a > 0 ? w->reps * -expm1(-a / 52) : 0;
    w->opps = w->reps * sw->opps;
    w->wins_full = w->reps * sw->wins;
    w->wins = w->wins_full * fill_w;
    if (isfinite(sw->cycle_days))
        w->wins = fmax(0, w->wins - departures * sw->wins *
                                        sw->cycle_days / DPW *
                                        vacancy_loss(p));
    w->closed = w->opps * fill_p;
    w->cold = w->closed * sw->cold;
    w->pipeline = w->reps * sw->opps / DPW * sw->pipe_days * fill_p;
    w->cycle_days = sw->cycle_days;
    w->sell_clock = w->reps * sw->sell_clock;
    w->sell_busy = w->sell_clock * sw->busy;
    w->offered = w->opps * sw->offered;
    return 0;
}

static int ops_side(struct path *ph, const struct seats *st, int t,
                    struct week *w)
{
    const struct params *p = ph->p;
    const struct ops_params *o = &p->ops;
    struct ops_queue q = {0};
    q.c = o->role.count * st->of;
    q.pace = o->role.hours_per_week / DPW * (st->of > 0 ? st->op / st->of : 1);
    q.lam_o = w->wins / DPW;
    double live = fmax(0, w->clients - q.lam_o * ph->onb_days);
    q.lam_t = live * p->clients.tickets_per_week / DPW;
    ops_mix(p, &q);
    if (t == p->sim.warmup_weeks + o->incident_week &&
        o->incident_tickets > 0 && live >= 1)
        ph->x += o->incident_tickets * dist_mean(&o->ticket_hours);
    w->ops_demand = q.lam_o * dist_mean(&o->onboarding_hours) +
                    q.lam_t * dist_mean(&o->ticket_hours);
    double rho = ops_step(&q, w->ops_demand, &ph->x);
    /* The wait the backlog implies: the work waiting (all of it but the
     * rest of the items in hand) at the pace work is done. Equal to the
     * stationary wait when the backlog is stationary. */
    double in_hand = q.s1 > 0 ? q.c * rho * q.s2 / (2 * q.s1) : 0;
    double w_o = 0, w_t = 0;
    double x_t = ops_waits(p, &q, rho, fmax(0, ph->x - in_hand), &w_o, &w_t);
    ops_late(p, &q, rho, w_o, w_t, &w->late_o, &w->late_t);
    done_shares(p, &q, rho, w->ops_demand, &w->late_o, &w->late_t);
    ph->x_tickets = p->ops.queue == QUEUE_ONBOARDING_FIRST ? x_t : 0;
    w->ops_clock = q.c * o->role.hours_per_week;
    w->ops_busy = w->ops_clock * rho;
    w->backlog = ph->x;
    w->onb_wait = w_o;
    w->onb_days = q.pace > 0 ? w_o + dist_mean(&o->onboarding_hours) / q.pace
                             : NAN;
    if (isfinite(w->onb_days))
        ph->onb_days = w->onb_days;
    return 0;
}

static int week_step(struct path *ph, const struct seats *st, int t,
                     struct week *w)
{
    const struct params *p = ph->p;
    double cap = p->ops.role.count * st->op * p->ops.role.hours_per_week /
                 DPW;
    w->mult = market_read(ph, ph->x - ph->x_tickets, cap, t == 0);
    if (sales_side(ph, st, w->mult, t, w))
        return -1;
    double active = 0;
    for (size_t i = 0; i < ph->co.len; i++)
        active += ph->co.n[i];
    w->clients = active;
    ops_side(ph, st, t, w);
    double golive = p->clients.revenue_start == REVENUE_AT_GOLIVE &&
                            isfinite(ph->onb_days)
                        ? ph->onb_days / DPW
                        : 0;
    if (w->wins > 0 &&
        cohorts_add(&ph->co, w->wins, t + 0.5 + golive +
                                          p->clients.contract_weeks,
                    p->clients.contract_weeks, 1) != 0)
        return -1;
    w->churned = cohorts_week(&ph->co, p, t, w->late_o, w->late_t);
    w->clients = 0;
    for (size_t i = 0; i < ph->co.len; i++)
        w->clients += ph->co.n[i];
    return 0;
}

/* ------------------------------------------------------------ the horizon */

/* Sums over the reported weeks, in the way kpi.c sums a replication. */
struct sums {
    double weeks, reps, opps, wins, closed, cold, won_days, pipeline;
    double bookings;
    double onb_wait, onb_days, onb_n, backlog, clients, churned;
    double ops_clock, ops_busy, ops_demand, sell_clock, sell_busy, work;
    double late, items, prod;
};

static void sums_add(struct sums *s, const struct params *p,
                     const struct week *w)
{
    s->weeks += 1;
    s->reps += w->reps;
    s->prod += w->reps * w->prod;
    s->opps += w->opps;
    s->wins += w->wins;
    s->closed += w->closed;
    s->cold += w->cold;
    if (isfinite(w->cycle_days))
        s->won_days += w->wins * w->cycle_days;
    s->pipeline += w->pipeline;
    s->bookings += w->wins * dist_mean(&p->sales.deal_value);
    if (isfinite(w->onb_days)) {
        s->onb_wait += w->wins * w->onb_wait;
        s->onb_days += w->wins * w->onb_days;
        s->onb_n += w->wins;
    }
    s->backlog += w->backlog;
    s->clients += w->clients;
    s->churned += w->churned;
    s->ops_clock += w->ops_clock;
    s->ops_busy += w->ops_busy;
    s->ops_demand += w->ops_demand * DPW;
    s->sell_clock += w->sell_clock;
    s->sell_busy += w->sell_busy;
    s->work += w->offered;
    double tickets = w->clients * p->clients.tickets_per_week;
    s->late += w->wins * w->late_o + tickets * w->late_t;
    s->items += w->wins + tickets;
}

static double ratio(double num, double den)
{
    return den > 0 ? num / den : NAN;
}

static void kpis(struct capacity *c, const struct sums *s)
{
    double *k = c->kpi;
    k[KPI_WIN_RATE] = ratio(s->wins, s->closed);
    k[KPI_WON_CYCLE_DAYS] = ratio(s->won_days, s->wins);
    k[KPI_OPEN_OPPORTUNITIES_PER_REP] = ratio(s->pipeline, s->reps);
    k[KPI_OPPORTUNITIES_PER_REP_WEEK] = ratio(s->opps, s->reps);
    k[KPI_DEAL_VALUE] = ratio(s->bookings, s->wins);
    k[KPI_BOOKINGS_PER_QUARTER] = ratio(13 * s->bookings, s->weeks);
    k[KPI_ONBOARDING_WAIT_DAYS] = ratio(s->onb_wait, s->onb_n);
    k[KPI_OPS_BACKLOG_HOURS] = ratio(s->backlog, s->weeks);
    k[KPI_CLIENTS] = ratio(s->clients, s->weeks);
    k[KPI_CHURN_RATE] = ratio(s->churned * s->weeks,
                              s->clients * s->weeks / 52);
    k[KPI_ONBOARDING_DAYS] = ratio(s->onb_days, s->onb_n);
    k[KPI_OPS_UTILIZATION] = ratio(s->ops_busy, s->ops_clock);
    c->reps = ratio(s->reps, s->weeks);
    c->rep_prod = ratio(s->prod, s->reps);
    c->opps = ratio(s->opps, s->weeks);
    c->wins = ratio(s->wins, s->weeks);
    c->bookings = ratio(s->bookings, s->weeks);
    c->cold_share = ratio(s->cold, s->closed);
    c->sell_avail = ratio(s->sell_clock, s->reps);
    c->sell_util = ratio(s->sell_busy, s->sell_clock);
    c->sell_demand = ratio(s->work, s->reps);
    c->ops_avail = ratio(s->ops_clock, s->weeks);
    c->ops_demand = ratio(s->ops_demand, s->weeks);
    c->ops_util = k[KPI_OPS_UTILIZATION];
    c->late_share = ratio(s->late, s->items);
}

/* The initial base: live, its contract ages spread evenly over the
 * contract year (the model's assumption), in groups. */
static int initial_clients(struct path *ph)
{
    const struct clients_params *k = &ph->p->clients;
    if (k->initial <= 0)
        return 0;
    double cw = k->contract_weeks;
    int g = (int)fmin(520, fmax(1, ceil(cw)));
    for (int i = 0; i < g; i++) {
        double first = (i + 0.5) * cw / g;
        if (cohorts_add(&ph->co, (double)k->initial / g, first, first, 0))
            return -1;
    }
    return 0;
}

/* Runs the weeks of warm-up and horizon, summing the reported ones. */
static int horizon(struct path *ph, struct capacity *c, struct err *e)
{
    const struct params *p = ph->p;
    int warm = p->sim.warmup_weeks, n = warm + p->sim.horizon_weeks;
    double *a = malloc(6 * (size_t)n * sizeof *a);
    struct sums s = {0};
    int rc = -1;
    if (!a || initial_clients(ph) ||
        capacity_seats(&p->sales.role, n, a, a + n) ||
        capacity_seats(&p->ops.role, n, a + 2 * n, a + 3 * n) ||
        capacity_seats(&p->support.role, n, a + 4 * n, a + 5 * n))
        goto out;
    for (int t = 0; t < n; t++) {
        struct seats st = {a[t], a[n + t], a[2 * n + t], a[3 * n + t],
                           a[4 * n + t], a[5 * n + t]};
        struct week w = {0};
        if (week_step(ph, &st, t, &w))
            goto out;
        if (t == 0) /* the initial base, and wins once the pipeline is full */
            c->ops_start = DPW * w.ops_demand +
                           (w.wins_full - w.wins) *
                               dist_mean(&p->ops.onboarding_hours);
        if (t >= warm)
            sums_add(&s, p, &w);
    }
    kpis(c, &s);
    rc = 0;
out:
    free(a);
    if (rc)
        err_set(e, ERR_RUNTIME, "out of memory");
    return rc;
}

/* ------------------------------------------------------------ the long run */

/* The steady state at ops utilisation rho: what the base, the market and
 * the renewals make of it. Returns the utilisation the demand implies,
 * and fills the long-run figures of c. */
static double long_run(struct path *ph, const struct seats *st, double rho,
                       struct ops_queue *q, struct capacity *c)
{
    const struct params *p = ph->p;
    const struct clients_params *k = &p->clients;
    const struct ops_params *o = &p->ops;
    double cap = q->c * q->pace;
    double x = ops_hours(q, rho), w_o, w_t, late_o, late_t;
    double in_hand = q->s1 > 0 ? q->c * rho * q->s2 / (2 * q->s1) : 0;
    double x_t = ops_waits(p, q, rho, fmax(0, x - in_hand), &w_o, &w_t);
    if (o->queue != QUEUE_ONBOARDING_FIRST)
        x_t = 0;
    ph->perceived = 0;
    double mult = market_read(ph, x - x_t, cap, 1);
    struct week w = {0};
    if (sales_side(ph, st, mult, 1000000, &w))
        ph->failed = 1;
    ops_late(p, q, rho, w_o, w_t, &late_o, &late_t);
    double cw = k->contract_weeks;
    double r_first = renew_odds(p, cw, 1, late_o, late_t);
    double r_later = renew_odds(p, cw, 0, late_o, late_t);
    double onb = q->pace > 0 ? w_o + dist_mean(&o->onboarding_hours) / q->pace
                             : 0;
    double terms = r_later < 1 ? 1 + r_first / (1 - r_later) : INFINITY;
    double under = w.wins > 0 ? w.wins * terms * cw : 0; /* contracts */
    double onboarding = w.wins * onb / DPW;
    double live = under;
    c->clients_ss = under + onboarding;
    if (k->revenue_start == REVENUE_AT_SIGNATURE) {
        live = fmax(0, under - onboarding);
        c->clients_ss = under;
    }
    c->rep_mult_ss = mult;
    q->lam_o = w.wins / DPW;
    q->lam_t = live * k->tickets_per_week / DPW;
    double demand = q->lam_o * dist_mean(&o->onboarding_hours) +
                    q->lam_t * dist_mean(&o->ticket_hours);
    c->ops_ss = demand * DPW;
    return cap > 0 ? demand / cap : (demand > 0 ? INFINITY : 0);
}

/* Solves utilisation = what the demand at that utilisation implies: the
 * demand falls as the utilisation rises (a slower delivery wins fewer
 * deals and loses more renewals), so the root is unique when it exists.
 * None below 1: the queue is unstable. */
static void steady_state(struct path *ph, struct capacity *c)
{
    const struct params *p = ph->p;
    struct seats st;
    seats_stationary(&p->sales.role, &st.sf, &st.sp);
    seats_stationary(&p->ops.role, &st.of, &st.op);
    seats_stationary(&p->support.role, &st.uf, &st.up);
    struct ops_queue q = {0};
    q.c = p->ops.role.count * st.of;
    q.pace = p->ops.role.hours_per_week / DPW * (st.of > 0 ? st.op / st.of
                                                           : 1);
    double lo = 0, hi = RHO_MAX;
    /* The mix of work shapes the backlog: settle it first. */
    for (int i = 0; i < 3; i++) {
        ops_mix(p, &q);
        long_run(ph, &st, 0.5, &q, c);
    }
    ops_mix(p, &q);
    double top = long_run(ph, &st, hi, &q, c);
    if (!(top < hi)) { /* demand beyond capacity even at saturation */
        c->ops_ss_stable = !(c->ops_ss > 0);
        c->ops_ss_util = c->ops_ss > 0 ? top : 0;
        return;
    }
    for (int i = 0; i < 100; i++) {
        double mid = 0.5 * (lo + hi);
        struct ops_queue qq = q;
        if (long_run(ph, &st, mid, &qq, c) > mid)
            lo = mid;
        else
            hi = mid;
    }
    c->ops_ss_util = lo;
    c->ops_ss_stable = 1;
    long_run(ph, &st, lo, &q, c);
}

/* ------------------------------------------------------------ all */

int capacity_compute(const struct params *p, struct capacity *c,
                     struct err *e)
{
    *c = (struct capacity){0};
    struct sales_cache *sc = calloc(1, sizeof *sc);
    if (!sc)
        return err_set(e, ERR_RUNTIME, "out of memory");
    sc->admin = p->sales.role.hours_per_week * p->sales.admin_share;
    struct path ph = {.p = p, .sales = sc};
    eff_points(p, ph.effs);
    c->eff = dist_mean(&p->sales.effectiveness);
    double odds = 1;
    for (size_t s = 0; s < p->n_stages; s++)
        odds *= fmin(1, p->stages[s].advance * c->eff);
    c->odds_win_rate = odds;
    int rc = horizon(&ph, c, e);
    cohorts_free(&ph.co);
    if (rc == 0) {
        double ops_week = p->ops.role.count * p->ops.role.hours_per_week;
        c->start_overload = c->ops_start > ops_week;
        struct path ss = {.p = p, .sales = sc};
        memcpy(ss.effs, ph.effs, sizeof ss.effs);
        steady_state(&ss, c);
        if (ss.failed)
            rc = err_set(e, ERR_RUNTIME, "out of memory");
    }
    sales_cache_free(sc);
    return rc;
}
