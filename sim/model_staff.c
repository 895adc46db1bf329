/*
 * model_staff: the people of every role between ticks: who leaves (and
 * whose seat waits for a backfill), who is hired and when they start,
 * the support staff and the admin hours they take off the reps, and what
 * a person costs. Sales and ops seats themselves are model_sales.c's and
 * model_ops.c's; support seats are kept here.
 *
 * Departures and starts happen at ticks only (Assumption: staffing is
 * decided and reported by the week).
 *
 * Invariant: m->hires holds the people decided and not yet started, in
 * the order they were decided; a backfill names its vacant seat (seat !=
 * NONE), and no seat is named by two of them: a seat is vacated once per
 * occupant.
 */
#include <math.h>

#include "model_int.h"

static const struct params *P(const struct model *m) { return m->p; }

static int add_pending(struct model *m, struct pending_hire h)
{
    if (MODEL_GROW(m, hires))
        return -1;
    m->hires[m->n_hires++] = h;
    return 0;
}

static double role_ramp(const struct model *m, enum role role, double ramp)
{
    if (ramp >= 0.0)
        return ramp;
    switch (role) {
    case ROLE_SALES:
        return P(m)->sales.role.ramp_weeks;
    case ROLE_OPS:
        return P(m)->ops.role.ramp_weeks;
    case ROLE_SUPPORT:
    case ROLE_COUNT:
        break;
    }
    return P(m)->support.role.ramp_weeks;
}

static double role_lead(const struct model *m, enum role role, double lead)
{
    if (lead >= 0.0)
        return lead;
    switch (role) {
    case ROLE_SALES:
        return P(m)->sales.role.lead_weeks;
    case ROLE_OPS:
        return P(m)->ops.role.lead_weeks;
    case ROLE_SUPPORT:
    case ROLE_COUNT:
        break;
    }
    return P(m)->support.role.lead_weeks;
}

int staff_hire(struct model *m, enum role role, int count, double lead,
               double ramp, double absorb)
{
    int start = m->week + (int)ceil(role_lead(m, role, lead));
    if (start == m->week)
        start++; /* Assumption: nobody starts the week they are hired */
    for (int i = 0; i < count; i++) {
        struct pending_hire h = {.week = start, .role = role, .seat = NONE,
                                 .ramp_weeks = role_ramp(m, role, ramp),
                                 .absorb_hours_per_week = absorb,
                                 .lever = 1};
        if (add_pending(m, h) != 0)
            return -1;
    }
    TRACE(m, "hire", count, "role=%s start_week=%d", role_name(role),
          start - P(m)->sim.warmup_weeks);
    return 0;
}

/* ---- support staff ---------------------------------------------------- */

static void support_fill(struct model *m, int32_t i, double t, double ramp)
{
    const struct role_params *role = &P(m)->support.role;
    struct support_seat *sp = &m->support_seats[i];
    sp->filled = 1;
    sp->occupant++;
    sp->start_t = t;
    sp->ramp_weeks = ramp;
    sp->depart_t = INFINITY;
    if (role->attrition_per_year > 0.0) {
        uint64_t key = model_key2(m, S_SUPPORT, i, sp->occupant);
        rng_reseed(m->rng, key);
        sp->depart_t = t + rng_exponential(
                               m->rng, 52.0 * DAYS_PER_WEEK /
                                           role->attrition_per_year);
    }
}

int staff_add_support(struct model *m, double t, double ramp_weeks,
                      double absorb_hours_per_week)
{
    if (MODEL_GROW(m, support_seats))
        return -1;
    int32_t i = m->n_support_seats++;
    m->support_seats[i] = (struct support_seat){
        .absorb_hours_per_week = absorb_hours_per_week, .contract = NONE};
    support_fill(m, i, t, ramp_weeks);
    return 0;
}

/* Assumption: a support person absorbs at most the hours they work,
 * scaled by their ramp. */
void staff_update_support(struct model *m)
{
    const struct role_params *role = &P(m)->support.role;
    m->support_absorb = 0.0;
    for (int32_t i = 0; i < m->n_support_seats; i++) {
        const struct support_seat *sp = &m->support_seats[i];
        if (!sp->filled)
            continue;
        double prod = model_ramp(m->t, sp->start_t, sp->ramp_weeks,
                                 role->ramp_start);
        m->support_absorb += prod * fmin(sp->absorb_hours_per_week,
                                         role->hours_per_week);
    }
}

static int start_person(struct model *m, const struct pending_hire *h)
{
    switch (h->role) {
    case ROLE_SALES:
        if (h->seat != NONE)
            return sales_fill_seat(m, h->seat, m->t, h->ramp_weeks);
        return sales_add_rep(m, m->t, h->ramp_weeks);
    case ROLE_OPS:
        if (h->seat != NONE)
            return ops_fill_seat(m, h->seat, m->t, h->ramp_weeks);
        return ops_add_staff(m, m->t, h->ramp_weeks);
    case ROLE_SUPPORT:
    case ROLE_COUNT:
        break;
    }
    if (h->seat != NONE) {
        support_fill(m, h->seat, m->t, h->ramp_weeks);
        return 0;
    }
    return staff_add_support(m, m->t, h->ramp_weeks, h->absorb_hours_per_week);
}

/* Who pays for seat `seat` of role: the lever (1) or the staff (0). */
static uint8_t *seat_lever(struct model *m, enum role role, int32_t seat)
{
    switch (role) {
    case ROLE_SALES:
        return &m->reps[seat].lever;
    case ROLE_OPS:
        return &m->servers[seat].lever;
    case ROLE_SUPPORT:
    case ROLE_COUNT:
        break;
    }
    return &m->support_seats[seat].lever;
}

double staff_role_cost(const struct model *m, enum role role)
{
    const struct cost_params *c = &P(m)->costs;
    switch (role) {
    case ROLE_SALES:
        return c->rep_per_year;
    case ROLE_OPS:
        return c->ops_per_year;
    case ROLE_SUPPORT:
    case ROLE_COUNT:
        break;
    }
    return c->support_per_year;
}

/* A person starts in a new seat (hired by an intervention: the lever pays)
 * or refills one (a backfill: whoever paid for the seat pays). The hiring
 * fee is due on the first day, from the same payer. */
static int start_one(struct model *m, const struct pending_hire *h)
{
    if (start_person(m, h) != 0)
        return -1;
    int32_t seat = h->seat;
    if (seat == NONE) {
        seat = h->role == ROLE_SALES ? m->n_reps - 1
               : h->role == ROLE_OPS ? m->n_servers - 1
                                     : m->n_support_seats - 1;
        *seat_lever(m, h->role, seat) = h->lever;
    }
    const struct fee *f = &P(m)->costs.hiring_fee;
    double fee = f->is_share ? f->value / 100.0 * staff_role_cost(m, h->role)
                             : f->value;
    m->cur[*seat_lever(m, h->role, seat) ? M_LEVER_COST : M_STAFF_COST] +=
        fee;
    return 0;
}

/* Starts this week's hires, keeping the others in order. */
static int start_hires(struct model *m)
{
    int32_t kept = 0;
    for (int32_t i = 0; i < m->n_hires; i++) {
        struct pending_hire h = m->hires[i];
        if (h.week > m->week) {
            m->hires[kept++] = h;
        } else if (start_one(m, &h) != 0) {
            return -1;
        }
    }
    m->n_hires = kept;
    return 0;
}

/* Attrition: people whose time has come leave; their seat is refilled
 * after the backfill delay. */
static int departures(struct model *m)
{
    for (int32_t r = 0; r < m->n_reps; r++) {
        struct rep *rp = &m->reps[r];
        if (!rp->filled || rp->depart_t > m->t)
            continue;
        sales_vacate(m, r);
        int wk = m->week + (int)ceil(P(m)->sales.role.backfill_weeks);
        struct pending_hire h = {.week = wk, .role = ROLE_SALES, .seat = r,
                                 .ramp_weeks = P(m)->sales.role.ramp_weeks};
        if (add_pending(m, h) != 0)
            return -1;
    }
    for (int32_t i = 0; i < m->n_support_seats; i++) {
        struct support_seat *sp = &m->support_seats[i];
        if (!sp->filled || sp->depart_t > m->t)
            continue;
        sp->filled = 0;
        int wk = m->week + (int)ceil(P(m)->support.role.backfill_weeks);
        struct pending_hire h = {.week = wk, .role = ROLE_SUPPORT, .seat = i,
                                 .ramp_weeks = P(m)->support.role.ramp_weeks};
        if (add_pending(m, h) != 0)
            return -1;
    }
    for (int32_t s = 0; s < m->n_servers; s++) {
        struct server *sv = &m->servers[s];
        if (sv->rep != NONE || !sv->filled || sv->depart_t > m->t)
            continue;
        ops_vacate(m, s);
        int wk = m->week + (int)ceil(P(m)->ops.role.backfill_weeks);
        struct pending_hire h = {.week = wk, .role = ROLE_OPS, .seat = s,
                                 .ramp_weeks = P(m)->ops.role.ramp_weeks};
        if (add_pending(m, h) != 0)
            return -1;
    }
    return 0;
}

int staff_turnover(struct model *m)
{
    return departures(m) != 0 || start_hires(m) != 0 ? -1 : 0;
}
