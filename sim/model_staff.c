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
 * occupant. A seat whose occupant was released (release_t <= depart_t)
 * or was to be (release_t finite), or whose backfill was cancelled, is
 * named by none: it stays vacant. Every person who takes a seat is
 * counted once in tot.people_joined and, on leaving, once in people_quit,
 * people_released or people_contract_ended.
 */
#include <assert.h>
#include <math.h>

#include "model_int.h"

static const struct params *P(const struct model *m)
{
    return m->p;
}

static int add_pending(struct model *m, struct pending_hire h)
{
    if (MODEL_GROW(m, hires))
        return -1;
    m->hires[m->n_hires++] = h;
    return 0;
}

/* ---- seats ----------------------------------------------------------- */

const struct role_params *staff_role(const struct model *m, enum role role)
{
    switch (role) {
    case ROLE_SALES:
        return &P(m)->sales.role;
    case ROLE_OPS:
        return &P(m)->ops.role;
    case ROLE_SUPPORT:
    case ROLE_COUNT:
        break;
    }
    return &P(m)->support.role;
}

const struct role_params *staff_seat_role(const struct model *m, enum role role,
                                          int32_t i)
{
    if (role == ROLE_SALES)
        return &model_sales(m, m->reps[i].team)->role;
    return staff_role(m, role);
}

struct seat *staff_start_seat(struct model *m, enum role role, int32_t i,
                              double t, double ramp_weeks)
{
    struct seat *st = staff_seat(m, role, i);
    assert(!st->filled);
    st->filled = 1;
    st->occupant++;
    st->start_t = t;
    st->ramp_weeks = ramp_weeks;
    st->ramp_start = staff_seat_role(m, role, i)->ramp_start;
    st->depart_t = INFINITY;
    st->release_t = INFINITY;
    m->tot.people_joined[role] += 1.0;
    return st;
}

void staff_fill_seat(struct model *m, enum role role, int32_t i, double t,
                     double ramp_weeks)
{
    static const enum stream kind[ROLE_COUNT] = {
        [ROLE_SALES] = S_REP, [ROLE_OPS] = S_STAFF, [ROLE_SUPPORT] = S_SUPPORT};
    const struct role_params *rp = staff_seat_role(m, role, i);
    struct seat *st = staff_start_seat(m, role, i, t, ramp_weeks);
    int rep = role == ROLE_SALES;
    if (rep || rp->attrition_per_year > 0.0)
        rng_reseed(m->rng, model_key2(m, kind[role], i, st->occupant));
    if (rep) {
        double eff =
            model_draw(&model_sales(m, m->reps[i].team)->effectiveness, m->rng);
        m->reps[i].eff = eff < 0.0 ? 0.0 : eff;
    }
    if (rp->attrition_per_year > 0.0)
        st->depart_t = t + rng_exponential(m->rng, 52.0 * DAYS_PER_WEEK /
                                                       rp->attrition_per_year);
}

/* ---- hiring ----------------------------------------------------------- */

int staff_new_rep_team(const struct model *m)
{
    if (m->n_teams == 1)
        return 0;
    int best = 0, pos[MAX_TEAMS];
    for (int t = 0; t < m->n_teams; t++)
        pos[t] = staff_positions(m, ROLE_SALES, t);
    for (int t = 1; t < m->n_teams; t++) {
        /* pos[t] / count[t] < pos[best] / count[best], without dividing:
         * a team that starts with no reps takes none (unless all do) */
        long a = (long)pos[t] * model_sales(m, best)->role.count;
        long b = (long)pos[best] * model_sales(m, t)->role.count;
        if (model_sales(m, t)->role.count > 0 &&
            (a < b || model_sales(m, best)->role.count == 0))
            best = t;
    }
    return best;
}

int staff_hire(struct model *m, enum role role, int count, double lead,
               double ramp, double absorb, int team)
{
    int first = m->week + params_hire_delay(P(m), role, lead);
    for (int i = 0; i < count; i++) {
        int t = role != ROLE_SALES ? 0
                : team == TEAM_ALL ? staff_new_rep_team(m)
                                   : team;
        const struct role_params *rp =
            role == ROLE_SALES ? &model_sales(m, t)->role : staff_role(m, role);
        int start =
            m->week +
            params_hire_delay(P(m), role, lead >= 0.0 ? lead : rp->lead_weeks);
        struct pending_hire h = {.week = start,
                                 .role = role,
                                 .seat = NONE,
                                 .ramp_weeks =
                                     ramp >= 0.0 ? ramp : rp->ramp_weeks,
                                 .absorb_hours_per_week = absorb,
                                 .lever = 1,
                                 .team = (uint8_t)t};
        if (add_pending(m, h) != 0)
            return -1;
        if (i == 0)
            first = start;
    }
    /* the first one's (with teams, a team's own lead may differ) */
    TRACE(m, "hire", count, "role=%s start_week=%d", role_name(role),
          first - P(m)->sim.warmup_weeks);
    return 0;
}

/* ---- support staff ---------------------------------------------------- */

int staff_add_support(struct model *m, double t, double ramp_weeks,
                      double absorb_hours_per_week)
{
    if (MODEL_GROW(m, support_seats))
        return -1;
    int32_t i = m->n_support_seats++;
    m->support_seats[i] =
        (struct support_seat){.seat = {.contract = NONE, .productivity = 1.0},
                              .absorb_hours_per_week = absorb_hours_per_week};
    staff_fill_seat(m, ROLE_SUPPORT, i, t, ramp_weeks);
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
        if (!sp->seat.filled)
            continue;
        double prod = model_ramp(m->t, sp->seat.start_t, sp->seat.ramp_weeks,
                                 role->ramp_start);
        m->support_absorb +=
            prod * fmin(sp->absorb_hours_per_week, role->hours_per_week);
    }
}

static int start_person(struct model *m, const struct pending_hire *h)
{
    switch (h->role) {
    case ROLE_SALES:
        if (h->seat != NONE)
            return sales_fill_seat(m, h->seat, m->t, h->ramp_weeks);
        return sales_add_rep(m, m->t, h->ramp_weeks, h->team);
    case ROLE_OPS:
        if (h->seat != NONE)
            return ops_fill_seat(m, h->seat, m->t, h->ramp_weeks);
        return ops_add_staff(m, m->t, h->ramp_weeks);
    case ROLE_SUPPORT:
    case ROLE_COUNT:
        break;
    }
    if (h->seat != NONE) {
        staff_fill_seat(m, ROLE_SUPPORT, h->seat, m->t, h->ramp_weeks);
        return 0;
    }
    return staff_add_support(m, m->t, h->ramp_weeks, h->absorb_hours_per_week);
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
    int32_t i = h->seat != NONE ? h->seat : staff_seats(m, h->role) - 1;
    struct seat *st = staff_seat(m, h->role, i);
    if (h->seat == NONE)
        st->lever = h->lever;
    const struct fee *f = &P(m)->costs.hiring_fee;
    double fee =
        f->is_share ? f->value / 100.0 * staff_role_cost(m, h->role) : f->value;
    m->cur[st->lever ? M_LEVER_COST : M_STAFF_COST] += fee;
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

/* Seat i of role is vacated by its occupant's departure. */
static void vacate(struct model *m, enum role role, int32_t i)
{
    switch (role) {
    case ROLE_SALES:
        sales_vacate(m, i);
        return;
    case ROLE_OPS:
        ops_vacate(m, i);
        return;
    case ROLE_SUPPORT:
    case ROLE_COUNT:
        break;
    }
    m->support_seats[i].seat.filled = 0;
}

/* Seat i of role empties at this tick. A released occupant (their
 * release due no later than their own departure) costs the lever
 * [costs] severance_weeks of the role's annual cost; an occupant who
 * quits costs nothing more. A seat that is to be refilled keeps a rep's
 * pipeline, which waits for the backfill; one that is not (released, or
 * announced for release) passes it to the reps who stay. */
static void leave(struct model *m, enum role role, int32_t i)
{
    struct seat *st = staff_seat(m, role, i);
    int released = st->release_t <= st->depart_t;
    if (released) {
        double weeks = P(m)->costs.severance_weeks;
        m->cur[M_LEVER_COST] += weeks * staff_role_cost(m, role) / 52.0;
        m->tot.people_released[role] += 1.0;
        TRACE(m, "release", i, "role=%s occupant=%u", role_name(role),
              st->occupant);
    } else {
        m->tot.people_quit[role] += 1.0;
    }
    if (role == ROLE_SALES && st->release_t < INFINITY)
        m->tot.deals_handed += sales_hand_over(m, i);
    vacate(m, role, i);
}

/* Attrition and releases: people whose time has come leave; a leaver's
 * seat is refilled after the backfill delay, counted from the end of any
 * freeze of the role (iv_backfill_tick); a released seat is not. The
 * seats of reps first, then support, then ops (the order of their
 * backfills in m->hires). A rep's ops server is never filled, so never
 * left. */
static int departures(struct model *m)
{
    static const enum role order[] = {ROLE_SALES, ROLE_SUPPORT, ROLE_OPS};
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++) {
        enum role role = order[k];
        for (int32_t i = 0; i < staff_seats(m, role); i++) {
            const struct seat *st = staff_seat(m, role, i);
            if (!st->filled || fmin(st->depart_t, st->release_t) > m->t)
                continue;
            const struct role_params *rp = staff_seat_role(m, role, i);
            int refill = st->release_t == INFINITY;
            leave(m, role, i);
            if (!refill)
                continue;
            int team = role == ROLE_SALES ? m->reps[i].team : 0;
            struct pending_hire h = {
                .week = iv_backfill_tick(m, role, team) +
                        (int)ceil(rp->backfill_weeks),
                .role = role,
                .seat = i,
                .ramp_weeks = rp->ramp_weeks,
                .team = role == ROLE_SALES ? m->reps[i].team : 0};
            if (add_pending(m, h) != 0)
                return -1;
        }
    }
    return 0;
}

/* ---- cutting positions ------------------------------------------------ */

static const struct seat *seat_of(const struct model *m, enum role role,
                                  int32_t i)
{
    return role == ROLE_SALES ? &m->reps[i].seat
           : role == ROLE_OPS ? &m->servers[i].seat
                              : &m->support_seats[i].seat;
}

/* Seat i of role holds an employee who is not leaving: one a cut may
 * release, one a policy counts. */
static int employee(const struct model *m, enum role role, int32_t i)
{
    const struct seat *st = seat_of(m, role, i);
    return st->filled && st->contract == NONE && st->release_t == INFINITY &&
           (role != ROLE_OPS || m->servers[i].rep == NONE);
}

/* Whether seat i of role, or pending hire h (i NONE), is of team. */
static int of_team(const struct model *m, enum role role, int32_t i,
                   const struct pending_hire *h, int team)
{
    if (team == TEAM_ALL || role != ROLE_SALES)
        return 1;
    return (h ? h->team : m->reps[i].team) == team;
}

int staff_positions(const struct model *m, enum role role, int team)
{
    int n = 0;
    for (int32_t i = 0; i < staff_seats(m, role); i++)
        n += employee(m, role, i) && of_team(m, role, i, NULL, team);
    for (int32_t i = 0; i < m->n_hires; i++)
        n += m->hires[i].role == role &&
             of_team(m, role, NONE, &m->hires[i], team);
    return n;
}

/* Cancels the latest pending hire of role that is a new seat (backfill
 * 0) or a backfill (1). Returns 1 if there was one, else 0. */
static int cancel_pending(struct model *m, enum role role, int backfill,
                          int team)
{
    for (int32_t i = m->n_hires - 1; i >= 0; i--) {
        struct pending_hire h = m->hires[i];
        if (h.role != role || (h.seat != NONE) != backfill ||
            !of_team(m, role, NONE, &h, team))
            continue;
        for (int32_t j = i + 1; j < m->n_hires; j++)
            m->hires[j - 1] = m->hires[j];
        m->n_hires--;
        m->tot.positions_cancelled[role] += 1.0;
        if (role == ROLE_SALES && h.seat != NONE)
            m->tot.deals_handed += sales_hand_over(m, h.seat);
        TRACE(m, "cancel", h.seat, "role=%s", role_name(role));
        return 1;
    }
    return 0;
}

/* The employee of role who started last, not already leaving (ties: the
 * higher seat), or NONE. */
static int32_t last_started(struct model *m, enum role role, int team)
{
    int32_t best = NONE;
    for (int32_t i = 0; i < staff_seats(m, role); i++)
        if (employee(m, role, i) && of_team(m, role, i, NULL, team) &&
            (best == NONE ||
             seat_of(m, role, i)->start_t >= seat_of(m, role, best)->start_t))
            best = i;
    return best;
}

int staff_cut(struct model *m, enum role role, int n, double leave_t, int team)
{
    assert(leave_t >= m->t);
    int cut = 0;
    while (cut < n && cancel_pending(m, role, 0, team))
        cut++;
    while (cut < n && cancel_pending(m, role, 1, team))
        cut++;
    for (int32_t i; cut < n && (i = last_started(m, role, team)) != NONE;
         cut++) {
        staff_seat(m, role, i)->release_t = leave_t;
        TRACE(m, "notice", i, "role=%s leave_week=%d", role_name(role),
              (int)ceil(leave_t / DAYS_PER_WEEK - 1e-9) -
                  P(m)->sim.warmup_weeks);
    }
    return cut;
}

int staff_leave_due(struct model *m)
{
    return departures(m);
}

int staff_turnover(struct model *m)
{
    return departures(m) != 0 || start_hires(m) != 0 ? -1 : 0;
}

double staff_vacation(struct model *m, enum role role, int32_t i)
{
    double days = role == ROLE_SALES
                      ? model_sales(m, m->reps[i].team)->vacation_days
                  : role == ROLE_OPS ? m->p->ops.vacation_days
                                     : 0.0;
    if (!(days > 0.0))
        return 0.0;
    const struct seat *st = staff_seat(m, role, i);
    if (!st->filled || st->contract != NONE)
        return 0.0;
    int year = m->week / 52, week = m->week % 52;
    int full = (int)(days / 5.0);
    int n = full + (days > 5.0 * full);
    assert(n <= 52);
    rng_reseed(m->rng,
               model_key2(m, S_VACATION, ((uint64_t)role << 32) | (uint32_t)i,
                          ((uint64_t)st->occupant << 32) | (uint32_t)year));
    /* The first n of a random order of the year's weeks (a partial
     * Fisher-Yates shuffle): the full weeks off, then the partial one. */
    int order[52];
    for (int j = 0; j < 52; j++)
        order[j] = j;
    for (int j = 0; j < n; j++) {
        int k = j + (int)(rng_uniform(m->rng) * (52 - j));
        int x = order[k];
        order[k] = order[j];
        order[j] = x;
        if (x == week)
            return j < full ? 1.0 : (days - 5.0 * full) / 5.0;
    }
    return 0.0;
}
