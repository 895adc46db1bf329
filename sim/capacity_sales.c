/*
 * capacity_sales: the reps' week in the analytic model (capacity.h): the
 * effectiveness quantiles, each employed rep's queue at a productivity
 * and an amount of admin support (capacity_rep.c), cached on a grid and
 * interpolated, the market's multiplier of the last stage, and the
 * team's week (cap_sales_side): the pipeline filling from empty and the
 * deals a vacancy loses.
 *
 * Invariant: nothing here draws a random number; the same params give
 * the same figures, bit for bit.
 */
#include "capacity_int.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The effectiveness quantiles: each rep's multiplier, equally likely. */
void cap_eff_points(const struct params *p, double *e)
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
    double offered;      /* work hours an opportunity asks for if none waits */
    double pre[N_EFF];   /* reach the last stage's outcome */
    double qlast[N_EFF]; /* its odds then, before the market, uncapped */
    double cycle[N_EFF]; /* creation to win, days */
};

/* The queue of a rep at productivity prod whose admin support takes
 * `absorbed` hours a week. Returns 0, or -1 when out of memory. */
static int sales_queue(const struct params *p, const double *effs, double prod,
                       double absorbed, struct sales_queue *sq)
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
        if (cap_rep_quantiles(p, effs, lam, r, o) != 0)
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
    *w = (struct sales_week){.opps = sq->opps,
                             .wins = sq->opps * win,
                             .cold = sq->cold,
                             .busy = sq->busy,
                             .work_hours = sq->work_hours,
                             .cycle_days = win > 0 ? won_days / win
                                                   : sq->cycle[N_EFF / 2],
                             .pipe_days = sq->pipe_days,
                             .sell_clock = sq->sell_clock,
                             .offered = sq->offered};
}

/* sales_queue on a grid of productivities and of admin hours support
 * takes off a rep, interpolated between its points: attrition moves both
 * a little every week. Points are solved when first needed. */
#define PROD_STEPS   32
#define ABSORB_STEPS 16

struct sales_cache {
    double admin; /* a rep's admin hours: the top of the absorbed axis */
    struct sales_queue *at[PROD_STEPS + 1][ABSORB_STEPS + 1];
};

struct sales_cache *cap_sales_cache_alloc(const struct params *p)
{
    struct sales_cache *sc = calloc(1, sizeof *sc);
    if (sc)
        sc->admin = p->sales.role.hours_per_week * p->sales.admin_share;
    return sc;
}

void cap_sales_cache_free(struct sales_cache *sc)
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
                                          struct sales_cache *sc, int i, int j)
{
    if (!sc->at[i][j]) {
        struct sales_queue *q = malloc(sizeof *q);
        double prod = fmax(i, 1) / (double)PROD_STEPS;
        if (!q ||
            sales_queue(p, effs, prod, sc->admin * j / ABSORB_STEPS, q) != 0) {
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
            const struct sales_queue *q = sales_at(p, effs, sc, i + di, j + dj);
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

int cap_sales_side(struct path *ph, const struct seats *st, double mult, int t,
                   struct week *w)
{
    const struct params *p = ph->p;
    w->reps = p->sales.role.count * st->sf;
    w->prod = st->sf > 0 ? st->sp / st->sf : 1;
    const struct support_params *su = &p->support;
    double over = ph->all_reps > 0 ? ph->all_reps : w->reps;
    double absorbed = over > 0 ? su->role.count * st->up *
                                     fmin(su->absorb_hours_per_week,
                                          su->role.hours_per_week) /
                                     over
                               : 0;
    struct sales_week swk, *sw = &swk;
    if (sales_lookup(p, ph->effs, ph->sales, w->prod, absorbed, mult, sw))
        return -1;
    /* The pipeline starts empty: wins come one cycle later (a gamma of
     * shape 4 around the won cycle), deals close after their time in
     * the pipeline (exponential). */
    double days = (t + 0.5) * DPW;
    double fill_w =
        sw->cycle_days > 0 ? gsl_cdf_gamma_P(days, 4, sw->cycle_days / 4) : 1;
    double fill_p = sw->pipe_days > 0 ? -expm1(-days / sw->pipe_days) : 1;
    double a = p->sales.role.attrition_per_year;
    double departures = a > 0 ? w->reps * -expm1(-a / 52) : 0;
    w->opps = w->reps * sw->opps;
    w->wins_full = w->reps * sw->wins;
    w->wins = w->wins_full * fill_w;
    if (isfinite(sw->cycle_days))
        w->wins = fmax(0, w->wins - departures * sw->wins * sw->cycle_days /
                                        DPW * vacancy_loss(p));
    w->closed = w->opps * fill_p;
    w->cold = w->closed * sw->cold;
    w->pipeline = w->reps * sw->opps / DPW * sw->pipe_days * fill_p;
    w->cycle_days = sw->cycle_days;
    w->sell_clock = w->reps * sw->sell_clock;
    w->sell_busy = w->sell_clock * sw->busy;
    w->offered = w->opps * sw->offered;
    w->bookings = w->wins * dist_mean(&p->sales.deal_value);
    return 0;
}

int cap_sales_teams(struct path *ph, const struct seats *st, double mult, int t,
                    struct week *w)
{
    if (!ph->n_teams)
        return cap_sales_side(ph, st, mult, t, w);
    double all = 0, won_days = 0;
    for (size_t i = 0; i < ph->n_teams; i++)
        all += ph->teams[i].p.sales.role.count * ph->teams[i].sf;
    for (size_t i = 0; i < ph->n_teams; i++) {
        struct cap_team *tm = &ph->teams[i];
        struct path tp = *ph;
        tp.p = &tm->p;
        memcpy(tp.effs, tm->effs, sizeof tp.effs);
        tp.sales = tm->sales;
        tp.n_teams = 0;
        tp.all_reps = all;
        struct seats ts = *st;
        ts.sf = tm->sf;
        ts.sp = tm->sp;
        struct week x = {0};
        if (cap_sales_side(&tp, &ts, mult, t, &x))
            return -1;
        w->prod += x.reps * x.prod;
        w->reps += x.reps;
        w->opps += x.opps;
        w->wins_full += x.wins_full;
        w->wins += x.wins;
        w->closed += x.closed;
        w->cold += x.cold;
        w->pipeline += x.pipeline;
        w->sell_clock += x.sell_clock;
        w->sell_busy += x.sell_busy;
        w->offered += x.offered;
        w->bookings += x.bookings;
        if (x.wins > 0 && isfinite(x.cycle_days))
            won_days += x.wins * x.cycle_days;
    }
    w->prod = w->reps > 0 ? w->prod / w->reps : 1;
    w->cycle_days = w->wins > 0 ? won_days / w->wins : INFINITY;
    return 0;
}
