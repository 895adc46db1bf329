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
 * This file holds the seats, the weekly step, the horizon and the long
 * run, and assembles the parts: capacity_rep.c, capacity_sales.c,
 * capacity_ops.c and capacity_clients.c (capacity_int.h).
 *
 * Invariant: nothing here draws a random number; the same params give
 * the same table, bit for bit.
 */
#include "capacity_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
    double *u = calloc((size_t)weeks, sizeof *u);    /* successors' starts */
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

/* ------------------------------------------------------------ one week */

/* What the weeks share: seats, the effectiveness grid, and the state the
 * next week starts from. */
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
    return s > 0 && sla > 0 ? exp(-s * fmax(0, ph->perceived - sla) / sla) : 1;
}

static int week_step(struct path *ph, const struct seats *st, int t,
                     struct week *w)
{
    const struct params *p = ph->p;
    double cap = p->ops.role.count * st->op * p->ops.role.hours_per_week / DPW;
    w->mult = market_read(ph, ph->x - ph->x_tickets, cap, t == 0);
    if (cap_sales_teams(ph, st, w->mult, t, w))
        return -1;
    double active = 0;
    for (size_t i = 0; i < ph->co.len; i++)
        active += ph->co.n[i];
    w->clients = active;
    cap_ops_side(ph, st, t, w);
    double golive =
        p->clients.revenue_start == REVENUE_AT_GOLIVE && isfinite(ph->onb_days)
            ? ph->onb_days / DPW
            : 0;
    if (w->wins > 0 &&
        cap_cohorts_add(&ph->co, w->wins,
                        t + 0.5 + golive + p->clients.contract_weeks,
                        p->clients.contract_weeks, 1) != 0)
        return -1;
    w->churned = cap_cohorts_week(&ph->co, p, t, w->late_o, w->late_t);
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
    s->bookings += w->bookings;
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
    k[KPI_CHURN_RATE] =
        ratio(s->churned * s->weeks, s->clients * s->weeks / 52);
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

/* Runs the weeks of warm-up and horizon, summing the reported ones. */
static int horizon(struct path *ph, struct capacity *c, struct err *e)
{
    const struct params *p = ph->p;
    int warm = p->sim.warmup_weeks, n = warm + p->sim.horizon_weeks;
    double *a = malloc(6 * (size_t)n * sizeof *a);
    struct sums s = {0};
    int rc = -1;
    for (size_t i = 0; i < ph->n_teams; i++) {
        struct cap_team *tm = &ph->teams[i];
        tm->seats = malloc(2 * (size_t)n * sizeof *tm->seats);
        if (!tm->seats ||
            capacity_seats(&tm->p.sales.role, n, tm->seats, tm->seats + n))
            goto out;
    }
    if (!a || cap_initial_clients(ph) ||
        capacity_seats(&p->sales.role, n, a, a + n) ||
        capacity_seats(&p->ops.role, n, a + 2 * n, a + 3 * n) ||
        capacity_seats(&p->support.role, n, a + 4 * n, a + 5 * n))
        goto out;
    for (int t = 0; t < n; t++) {
        struct seats st = {a[t],         a[n + t],     a[2 * n + t],
                           a[3 * n + t], a[4 * n + t], a[5 * n + t]};
        struct week w = {0};
        for (size_t i = 0; i < ph->n_teams; i++) {
            ph->teams[i].sf = ph->teams[i].seats[t];
            ph->teams[i].sp = ph->teams[i].seats[n + t];
        }
        if (week_step(ph, &st, t, &w))
            goto out;
        if (t == 0) /* the initial base, and wins once the pipeline is full */
            c->ops_start =
                DPW * w.ops_demand +
                (w.wins_full - w.wins) * dist_mean(&p->ops.onboarding_hours);
        if (t >= warm)
            sums_add(&s, p, &w);
    }
    kpis(c, &s);
    rc = 0;
out:
    free(a);
    for (size_t i = 0; i < ph->n_teams; i++) {
        free(ph->teams[i].seats);
        ph->teams[i].seats = NULL;
    }
    if (rc)
        err_oom(e);
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
    double x = cap_ops_hours(q, rho), w_o, w_t, late_o, late_t;
    double in_hand = q->s1 > 0 ? q->c * rho * q->s2 / (2 * q->s1) : 0;
    double x_t = cap_ops_waits(p, q, rho, fmax(0, x - in_hand), &w_o, &w_t);
    if (o->queue != QUEUE_ONBOARDING_FIRST)
        x_t = 0;
    ph->perceived = 0;
    double mult = market_read(ph, x - x_t, cap, 1);
    struct week w = {0};
    if (cap_sales_teams(ph, st, mult, 1000000, &w))
        ph->failed = 1;
    cap_ops_late(p, q, rho, w_o, w_t, &late_o, &late_t);
    double cw = k->contract_weeks;
    double r_first = cap_renew_odds(p, cw, 1, late_o, late_t);
    double r_later = cap_renew_odds(p, cw, 0, late_o, late_t);
    double onb =
        q->pace > 0 ? w_o + dist_mean(&o->onboarding_hours) / q->pace : 0;
    double terms = r_later < 1 ? 1 + r_first / (1 - r_later) : INFINITY;
    double under = w.wins > 0 ? w.wins * terms * cw : 0; /* contracts */
    double onboarding = w.wins * onb / DPW;
    double live = under;
    c->clients_ss = under + onboarding;
    if (k->revenue_start == REVENUE_AT_SIGNATURE) {
        live = fmax(0, under - onboarding);
        c->clients_ss = under;
    }
    c->market_mult_ss = mult;
    c->client_weeks_ss = r_later < 1 ? terms * cw : INFINITY;
    if (k->revenue_start == REVENUE_AT_GOLIVE)
        c->client_weeks_ss += onb / DPW;
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
    for (size_t i = 0; i < ph->n_teams; i++)
        seats_stationary(&ph->teams[i].p.sales.role, &ph->teams[i].sf,
                         &ph->teams[i].sp);
    seats_stationary(&p->ops.role, &st.of, &st.op);
    seats_stationary(&p->support.role, &st.uf, &st.up);
    struct ops_queue q = {0};
    q.c = p->ops.role.count * st.of;
    q.pace = p->ops.role.hours_per_week / DPW * (st.of > 0 ? st.op / st.of : 1);
    double lo = 0, hi = RHO_MAX;
    /* The mix of work shapes the backlog: settle it first. */
    for (int i = 0; i < 3; i++) {
        cap_ops_mix(p, &q);
        long_run(ph, &st, 0.5, &q, c);
    }
    cap_ops_mix(p, &q);
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

/* ------------------------------------------------------------ the market */

/* The finite market's long run (capacity.h) from the unlimited table:
 * an opportunity is open for the pipeline's weeks (Little: open deals
 * over the rate), a client for client_weeks_ss if won, then cools.
 * Assumption: fewer opportunities leave the reps' queues as they are
 * (a market-limited team is less busy, so a little more wins). */
static void market_long_run(const struct params *p, struct capacity *c)
{
    double n = p->market.accounts, lam = c->opps;
    if (!(n > 0))
        return;
    double open = c->kpi[KPI_OPEN_OPPORTUNITIES_PER_REP] * c->reps;
    double win = isfinite(c->kpi[KPI_WIN_RATE]) ? c->kpi[KPI_WIN_RATE] : 0;
    double cool = p->market.cooling_days / DPW;
    double hold = lam > 0 ? open / lam : 0;
    if (win > 0)
        hold += win * (c->client_weeks_ss + cool);
    hold += (1 - win) * cool;
    c->market_hold_weeks = hold;
    c->market_opps_ss = isfinite(hold) ? lam * n / (n + lam * hold) : 0;
    c->market_share_ss = isfinite(hold) ? n / (n + lam * hold) : 0;
}

/* ------------------------------------------------------------ all */

/* The teams of p (none without [team.NAME]s): each with p's parameters
 * but its own [sales] and stages. NULL with *n 0 when p has none or
 * memory runs out (then *n is SIZE_MAX). */
static struct cap_team *teams_alloc(const struct params *p, size_t *n)
{
    *n = 0;
    if (!p->n_teams)
        return NULL;
    struct cap_team *t = calloc(p->n_teams, sizeof *t);
    if (!t) {
        *n = SIZE_MAX;
        return NULL;
    }
    for (size_t i = 0; i < p->n_teams; i++) {
        t[i].p = *p;
        t[i].p.sales = p->teams[i].sales;
        t[i].p.stages = p->teams[i].stages;
        t[i].p.n_teams = 0;
        t[i].p.teams = NULL;
        cap_eff_points(&t[i].p, t[i].effs);
        if (!(t[i].sales = cap_sales_cache_alloc(&t[i].p))) {
            for (size_t j = 0; j < i; j++)
                cap_sales_cache_free(t[j].sales);
            free(t);
            *n = SIZE_MAX;
            return NULL;
        }
    }
    *n = p->n_teams;
    return t;
}

static void teams_free(struct cap_team *t, size_t n)
{
    for (size_t i = 0; t && i < n; i++)
        cap_sales_cache_free(t[i].sales);
    free(t);
}

/* A rep's mean effectiveness and the product of the stage odds at it:
 * with teams, the means over the teams, weighed by their reps. */
static void odds_table(const struct params *p, struct capacity *c)
{
    double eff = 0, odds = 0, reps = 0;
    for (int t = 0; t < params_teams(p); t++) {
        const struct sales_params *s = params_team_sales(p, t);
        const struct stage_params *st = params_team_stages(p, t);
        double e = dist_mean(&s->effectiveness), o = 1;
        for (size_t k = 0; k < p->n_stages; k++)
            o *= fmin(1, st[k].advance * e);
        if (!p->n_teams) {
            c->eff = e;
            c->odds_win_rate = o;
            return;
        }
        double w = s->role.count > 0 ? s->role.count : 0;
        eff += w * e;
        odds += w * o;
        reps += w;
    }
    c->eff = reps > 0 ? eff / reps : dist_mean(&p->sales.effectiveness);
    c->odds_win_rate = reps > 0 ? odds / reps : 0;
}

int capacity_compute(const struct params *p, struct capacity *c, struct err *e)
{
    *c = (struct capacity){0};
    struct sales_cache *sc = cap_sales_cache_alloc(p);
    size_t nt;
    struct cap_team *tm = teams_alloc(p, &nt);
    if (!sc || nt == SIZE_MAX) {
        cap_sales_cache_free(sc);
        return err_oom(e);
    }
    struct path ph = {.p = p, .sales = sc, .n_teams = nt, .teams = tm};
    cap_eff_points(p, ph.effs);
    odds_table(p, c);
    int rc = horizon(&ph, c, e);
    cap_cohorts_free(&ph.co);
    if (rc == 0) {
        double ops_week = p->ops.role.count * p->ops.role.hours_per_week;
        c->start_overload = c->ops_start > ops_week;
        struct path ss = {.p = p, .sales = sc, .n_teams = nt, .teams = tm};
        memcpy(ss.effs, ph.effs, sizeof ss.effs);
        steady_state(&ss, c);
        market_long_run(p, c);
        if (ss.failed)
            rc = err_oom(e);
    }
    cap_sales_cache_free(sc);
    teams_free(tm, nt);
    return rc;
}
