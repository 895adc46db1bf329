/*
 * capacity_ops: the ops backlog in the analytic model (capacity.h): an
 * M/G/c queue by Allen-Cunneen (capacity_erlang_c, capacity_wait),
 * carried from week to week as a pointwise stationary fluid flow (Wang,
 * Dong and Wasserman 1996), its waits under each queue discipline, and
 * the share of items finished late (cap_ops_side).
 *
 * Invariant: nothing here draws a random number; the same params give
 * the same figures, bit for bit.
 */
#include "capacity_int.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

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
    return capacity_erlang_c(c, rho) * s / (c * (1 - rho)) * (1 + cs2) / 2;
}

void cap_ops_mix(const struct params *p, struct ops_queue *q)
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
                 q->lam_t * (dist_variance(t) + mt * mt)) /
                lam;
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
double cap_ops_hours(const struct ops_queue *q, double rho)
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
        if (cap_ops_hours(q, mid) - x0 - DPW * (demand - cap * mid) < 0)
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

/* Waits of each kind (days) at utilisation rho when `waiting` hours of
 * work wait: first come first served, both wait for the whole queue at
 * the pace work is done; with a priority, the non-preemptive
 * approximation W0 / ((1 - s_hi)(1 - s)) splits it, scaled so that the
 * two kinds' waiting work adds up to what waits. Returns the hours of
 * tickets waiting. */
double cap_ops_waits(const struct params *p, const struct ops_queue *q,
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
void cap_ops_late(const struct params *p, const struct ops_queue *q, double rho,
                  double w_o, double w_t, double *late_o, double *late_t)
{
    double pw = capacity_erlang_c(q->c, fmin(rho, RHO_MAX));
    *late_o = late_share(&p->ops.onboarding_hours, q->pace, pw,
                         pw > 0 ? w_o / pw : 0, p->ops.onboarding_sla_days);
    *late_t = late_share(&p->ops.ticket_hours, q->pace, pw,
                         pw > 0 ? w_t / pw : 0, p->ops.ticket_sla_days);
}

int cap_ops_side(struct path *ph, const struct seats *st, int t, struct week *w)
{
    const struct params *p = ph->p;
    const struct ops_params *o = &p->ops;
    struct ops_queue q = {0};
    q.c = o->role.count * st->of;
    q.pace = o->role.hours_per_week / DPW * (st->of > 0 ? st->op / st->of : 1);
    q.lam_o = w->wins / DPW;
    double live = fmax(0, w->clients - q.lam_o * ph->onb_days);
    q.lam_t = live * p->clients.tickets_per_week / DPW;
    cap_ops_mix(p, &q);
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
    double x_t =
        cap_ops_waits(p, &q, rho, fmax(0, ph->x - in_hand), &w_o, &w_t);
    cap_ops_late(p, &q, rho, w_o, w_t, &w->late_o, &w->late_t);
    done_shares(p, &q, rho, w->ops_demand, &w->late_o, &w->late_t);
    ph->x_tickets = p->ops.queue == QUEUE_ONBOARDING_FIRST ? x_t : 0;
    w->ops_clock = q.c * o->role.hours_per_week;
    w->ops_busy = w->ops_clock * rho;
    w->backlog = ph->x;
    w->onb_wait = w_o;
    w->onb_days =
        q.pace > 0 ? w_o + dist_mean(&o->onboarding_hours) / q.pace : NAN;
    if (isfinite(w->onb_days))
        ph->onb_days = w->onb_days;
    return 0;
}
