/*
 * capacity: the analytic steady state of a model (capacity.h): the
 * spreadsheet a sales-operations analyst would build before simulating.
 * It ignores queueing delays, going cold, ramps, attrition and the
 * variability of every distribution (only means enter).
 */
#include "capacity.h"

#include <math.h>

/* Assumption: a stage's odds are advance x mean effectiveness, capped at 1
 * (the model caps each rep's own product; with a spread of effectiveness
 * the true mean differs slightly). */
static double stage_odds(const struct stage_params *st, double eff)
{
    double q = st->advance * eff;
    return q < 1 ? q : 1;
}

static void sales_side(const struct params *p, struct capacity *c)
{
    const struct sales_params *s = &p->sales;
    double reps = s->role.count, hpw = s->role.hours_per_week;
    double admin = hpw * s->admin_share;
    double absorbed = 0;
    if (reps > 0)
        absorbed =
            p->support.role.count * p->support.absorb_hours_per_week / reps;
    /* Support can take over admin hours, never more than there are. */
    c->sell_avail = hpw * (1 - s->prospecting_share - s->admin_share) +
                    (absorbed < admin ? absorbed : admin);
    c->eff = dist_mean(&s->effectiveness);
    double reach = 1, work = 0, buyer = 0;
    for (size_t i = 0; i < p->n_stages; i++) {
        const struct stage_params *st = &p->stages[i];
        work += reach * dist_mean(&st->work_hours);
        buyer += dist_mean(&st->buyer_days);
        reach *= stage_odds(st, c->eff);
    }
    c->win_rate = reach;
    c->sell_demand = s->opportunities_per_week * work;
    double all_work = 0;
    for (size_t i = 0; i < p->n_stages; i++)
        all_work += dist_mean(&p->stages[i].work_hours);
    c->cycle_days =
        c->sell_avail > 0 ? buyer + all_work / (c->sell_avail / 7) : INFINITY;
    c->opps = reps * s->opportunities_per_week;
    c->wins = c->opps * c->win_rate;
    c->bookings = c->wins * dist_mean(&s->deal_value);
}

static void ops_side(const struct params *p, struct capacity *c)
{
    const struct clients_params *cl = &p->clients;
    double onboard = c->wins * dist_mean(&p->ops.onboarding_hours);
    double per_client = cl->tickets_per_week * dist_mean(&p->ops.ticket_hours);
    c->ops_avail = p->ops.role.count * p->ops.role.hours_per_week;
    c->ops_start = onboard + cl->initial * per_client;
    double churn = 1 - cl->renewal_rate;
    c->clients_ss = churn > 0     ? c->wins * cl->contract_weeks / churn
                    : c->wins > 0 ? INFINITY
                                  : cl->initial;
    c->ops_ss = onboard + c->clients_ss * per_client;
}

void capacity_compute(const struct params *p, struct capacity *c)
{
    *c = (struct capacity){0};
    sales_side(p, c);
    ops_side(p, c);
}
