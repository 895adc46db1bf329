/*
 * model_iv: what the scenario and the market change at each weekly tick:
 * the market's view of delivery delay, and the scenario's interventions
 * (pulls, policies, hires, focus, support, effectiveness, expectations,
 * budgets, ops expansion, contracts, reductions, freezes; and issue 17's
 * catch-up, process fix, promise and prospect_when_thin). The people
 * they hire and cut are model_staff.c's.
 *
 * Interventions name weeks of the reported horizon; tick w of the run is
 * reported week w - warmup_weeks. Before an intervention's first week the
 * scenario and the baseline execute the same events on the same draws, so
 * their paired difference is exactly zero there.
 *
 * Invariant: a rep is pulled by at most one intervention at a time
 * (rep.pulled_by); later pulls skip reps already pulled.
 */
#include <assert.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#include "model_int.h"

static const struct params *P(const struct model *m)
{
    return m->p;
}

/* Forrester's loop: the market sees a smoothed delivery delay, and the
 * last stage's odds fall as it exceeds the service level. */
static void market(struct model *m)
{
    const struct market_params *mk = &P(m)->market;
    m->delay = ops_expected_delay(m);
    if (m->week == 0 || !(mk->reputation_smoothing_weeks > 0.0))
        m->delay_smooth = m->delay;
    else
        m->delay_smooth += (m->delay - m->delay_smooth) *
                           -expm1(-1.0 / mk->reputation_smoothing_weeks);
    double sla = P(m)->ops.onboarding_sla_days;
    double over = fmax(0.0, m->delay_smooth - sla) / sla;
    m->market_mult = mk->delay_sensitivity > 0.0 && sla > 0.0
                         ? exp(-mk->delay_sensitivity * over)
                         : 1.0;
}

/* ---- pulls ------------------------------------------------------------ */

static int pull_count(const struct pull_spec *sp, int filled)
{
    switch (sp->select) {
    case REPS_ALL:
        return filled;
    case REPS_PERCENT:
        return (int)lround(sp->reps * filled / 100.0);
    case REPS_COUNT:
        break;
    }
    return (int)fmin(sp->reps, filled);
}

/* Whether rep r is of team (TEAM_ALL: every rep is). */
static int in_team(const struct model *m, int32_t r, int team)
{
    return team == TEAM_ALL || m->reps[r].team == team;
}

/* Seats filled in team. */
static int team_filled(const struct model *m, int team)
{
    if (team == TEAM_ALL)
        return sales_filled(m);
    int n = 0;
    for (int32_t r = 0; r < m->n_reps; r++)
        n += m->reps[r].seat.filled && m->reps[r].team == team;
    return n;
}

static void pull_start(struct model *m, int32_t idx, const struct pull_spec *sp,
                       int weeks, int team)
{
    int n = pull_count(sp, team_filled(m, team)), pulled = 0;
    for (int32_t r = 0; r < m->n_reps && pulled < n; r++) {
        struct rep *rp = &m->reps[r];
        if (!rp->seat.filled || rp->pulled_by != NONE || !in_team(m, r, team))
            continue;
        rp->pulled_by = idx;
        rp->pull_share = sp->share;
        rp->pull_eff = sp->ops_efficiency;
        rp->pull_until_t = m->t + weeks * DAYS_PER_WEEK;
        rp->return_t = -INFINITY;
        rp->leak_weeks = 0.0;
        pulled++;
    }
    TRACE(m, "pull_start", idx, "reps=%d share=%.3f", pulled, sp->share);
}

static void pull_end(struct model *m, int32_t idx, const struct pull_spec *sp)
{
    for (int32_t r = 0; r < m->n_reps; r++) {
        struct rep *rp = &m->reps[r];
        if (rp->pulled_by != idx)
            continue;
        rp->pulled_by = NONE;
        rp->pull_share = 0.0;
        rp->return_t = m->t;
        rp->return_prod = sp->return_productivity;
        rp->return_ramp_weeks = sp->return_ramp_weeks;
        rp->leak_t = m->t;
        rp->leak_share = sp->leak_share;
        rp->leak_weeks = sp->leak_weeks;
        rp->leak_eff = sp->ops_efficiency;
        if (sp->scar_leak_share > 0.0 || sp->scar_readiness > 0.0) {
            /* issue 17: the habit's lasting mark, on what is left of
             * the last one */
            rp->scar_leak = fmin(1.0, sales_scar(rp, rp->scar_leak, m->t) +
                                          sp->scar_leak_share);
            rp->scar_loss = fmin(1.0, sales_scar(rp, rp->scar_loss, m->t) +
                                          sp->scar_readiness);
            rp->scar_t = m->t;
            rp->scar_weeks = sp->scar_recovery_weeks;
        }
    }
    TRACE(m, "pull_end", idx, "%s", "");
}

static int in_window(int w, int start, int weeks)
{
    return w >= start && (weeks <= 0 || w < start + weeks);
}

static void policy(struct model *m, int32_t idx, const struct iv_policy *pl,
                   int w)
{
    int *busy = &m->busy_until[idx], *cool = &m->cool_until[idx];
    if (*busy > 0 && w == *busy) {
        pull_end(m, idx, &pl->spec);
        *busy = 0;
        *cool = w + pl->cooldown_weeks;
    }
    if (w < pl->start_week || (pl->end_week >= 0 && w >= pl->end_week))
        return;
    if (*busy > 0 || w < *cool || pl->weeks <= 0 ||
        !(m->delay > pl->threshold_days))
        return;
    pull_start(m, idx, &pl->spec, pl->weeks, pl->team);
    *busy = w + pl->weeks;
}

/* Reps the budget pays for at this review: revenue_share of the trailing
 * revenue, annualised, over cost_per_rep, at most max_reps; NAN when no
 * week has closed yet. */
static double budget_reps(const struct model *m,
                          const struct iv_hire_from_budget *b)
{
    double rev = 0.0;
    int n = 0;
    for (int k = m->week - 1; k >= 0 && n < b->trailing_weeks; k--, n++)
        rev += m->weekly_revenue[k];
    if (n == 0)
        return NAN;
    double annual = rev * 52.0 / n;
    return fmin(b->revenue_share * annual / b->cost_per_rep, b->max_reps);
}

/* Forrester's adjustment time: the reps authorised, level, close
 * review_weeks / adjust_weeks of their gap to the budget at each review
 * (all of it when adjust_weeks <= review_weeks), starting from the
 * positions held at the first review. The policy then hires or cuts
 * (releases at the next tick, staff_cut's order) to the nearest whole
 * number of reps. */
static int budget_adjust(struct model *m, int32_t idx,
                         const struct iv_hire_from_budget *b, double afford)
{
    double *level = &m->iv_level[IV_LEVELS * idx];
    int have = staff_positions(m, ROLE_SALES, TEAM_ALL);
    if (isnan(*level))
        *level = have;
    *level += (afford - *level) * fmin(1.0, b->review_weeks / b->adjust_weeks);
    /* Rounded to the nearest: floor() would hold headcount half a rep
     * under the budget on average. */
    int want = (int)lround(*level) - have;
    if (want > 0)
        return staff_hire(m, ROLE_SALES, want, b->lead_weeks, -1.0, 0.0,
                          TEAM_ALL);
    if (want < 0)
        staff_cut(m, ROLE_SALES, -want, m->t, TEAM_ALL);
    return 0;
}

static int budget(struct model *m, int32_t idx,
                  const struct iv_hire_from_budget *b, int w)
{
    if (w < b->start_week || (w - b->start_week) % b->review_weeks != 0)
        return 0;
    double reps = budget_reps(m, b);
    if (isnan(reps))
        return 0;
    if (b->adjust_weeks > 0.0)
        return budget_adjust(m, idx, b, reps);
    /* Without an adjustment time, the whole gap at once and never down:
     * headcount is the running maximum of the budget (docs/model.md). */
    int afford = (int)floor(reps);
    int have = sales_filled(m);
    for (int32_t i = 0; i < m->n_hires; i++)
        have += m->hires[i].role == ROLE_SALES;
    int want = afford - have;
    if (want <= 0)
        return 0;
    return staff_hire(m, ROLE_SALES, want, b->lead_weeks, -1.0, 0.0, TEAM_ALL);
}

/* The delay the ops policy recognises this tick: the market's perceived
 * delay, or with perception_weeks the company's own exponential
 * smoothing of the expected delay, from the reading at start_week. */
static double expand_delay(struct model *m, int32_t idx,
                           const struct iv_expand_ops *x)
{
    if (!(x->perception_weeks > 0.0))
        return m->delay_smooth;
    double *d = &m->iv_level[IV_LEVELS * idx + 1];
    if (isnan(*d))
        *d = m->delay;
    else
        *d += (m->delay - *d) * -expm1(-1.0 / x->perception_weeks);
    return *d;
}

/* The goal the ops policy holds this tick: goal_days, or with
 * goal_drift_weeks a goal that erodes toward the recognised delay
 * whenever that is above it, by exponential smoothing over
 * goal_drift_weeks, from goal_days at start_week. Assumption
 * (Forrester's eroding goal): a goal given up is not won back; it never
 * tightens below where it has drifted. */
static double expand_goal(struct model *m, int32_t idx,
                          const struct iv_expand_ops *x, double delay)
{
    if (!(x->goal_drift_weeks > 0.0))
        return x->goal_days;
    double *g = &m->iv_level[IV_LEVELS * idx];
    if (isnan(*g))
        *g = x->goal_days;
    else if (delay > *g)
        *g += (delay - *g) * -expm1(-1.0 / x->goal_drift_weeks);
    return *g;
}

/* The ops policy lets count staff go (releases at the next tick) while
 * the recognised delay is under shrink_below_days, never below the
 * [operations] staff of the start. */
static void shrink_ops(struct model *m, int32_t idx,
                       const struct iv_expand_ops *x, int w, double delay)
{
    if (!(delay < x->shrink_below_days))
        return;
    int over = staff_positions(m, ROLE_OPS, TEAM_ALL) - P(m)->ops.role.count;
    int n = x->count < over ? x->count : over;
    if (n <= 0)
        return;
    m->cool_until[idx] = w + x->cooldown_weeks;
    staff_cut(m, ROLE_OPS, n, m->t, TEAM_ALL);
}

static int expand_ops(struct model *m, int32_t idx,
                      const struct iv_expand_ops *x, int w)
{
    if (w < x->start_week)
        return 0;
    double delay = expand_delay(m, idx, x);
    double goal = expand_goal(m, idx, x, delay);
    if (w < m->cool_until[idx])
        return 0;
    if (!(delay > goal)) {
        shrink_ops(m, idx, x, w, delay);
        return 0;
    }
    int have = 0;
    for (int32_t s = 0; s < m->n_servers; s++)
        have += m->servers[s].rep == NONE && m->servers[s].seat.filled &&
                m->servers[s].seat.contract == NONE;
    for (int32_t i = 0; i < m->n_hires; i++)
        have += m->hires[i].role == ROLE_OPS;
    int n = x->count < x->max_staff - have ? x->count : x->max_staff - have;
    if (n <= 0)
        return 0;
    m->cool_until[idx] = w + x->cooldown_weeks;
    return staff_hire(m, ROLE_OPS, n, x->lead_weeks, -1.0, 0.0, TEAM_ALL);
}

/* ---- issue 17: the seed claims' levers ------------------------------ */

/* A catch-up week: the reps' extra hours (model_sales.c, rep_split), and
 * their cost, charged at this tick to the week's lever cost for every
 * employee in a seat now. Assumption: the reps employed at the tick work
 * the whole week's extra hours (people start and leave at ticks). Two
 * catch-ups at once add their hours; the later one's productivity and
 * split apply to all. */
static void catchup(struct model *m, const struct iv_catchup *c, int w)
{
    if (c->weeks <= 0 || !in_window(w, c->start_week, c->weeks) ||
        !(c->extra_hours > 0.0))
        return;
    for (int t = 0; t < m->n_teams; t++) {
        if (c->team != TEAM_ALL && c->team != t)
            continue;
        m->catch_hours[t] += c->extra_hours / DAYS_PER_WEEK;
        m->catch_prod[t] = c->productivity;
        m->catch_prosp[t] = c->prospecting_share;
        double rate = c->cost_per_hour >= 0.0
                          ? c->cost_per_hour
                          : staff_role_cost(m, ROLE_SALES) / 52.0 /
                                model_sales(m, t)->role.hours_per_week;
        int employees = 0;
        for (int32_t r = 0; r < m->n_reps; r++)
            employees += m->reps[r].seat.filled &&
                         m->reps[r].seat.contract == NONE &&
                         m->reps[r].pulled_by == NONE && m->reps[r].team == t;
        m->cur[M_LEVER_COST] += employees * c->extra_hours * rate;
    }
}

/* A promise week: buyers hear `days` where the company's standard is the
 * onboarding SLA, and react with the market's sensitivity to delay (in
 * both directions: a shorter promise raises the odds); the clients won
 * this week carry the promise (model_ops.c). Assumption: buyers believe
 * the promise; the reputation loop (market) goes on reading the true
 * delay. A promise of exactly the SLA with weight 1 changes nothing. */
static void promise(struct model *m, const struct iv_promise *pr, int w)
{
    if (!in_window(w, pr->start_week, pr->weeks))
        return;
    const struct params *p = P(m);
    double sla = p->ops.onboarding_sla_days;
    double sens =
        pr->sensitivity >= 0.0 ? pr->sensitivity : p->market.delay_sensitivity;
    if (sens > 0.0 && sla > 0.0)
        m->market_mult *= exp(-sens * (pr->days - sla) / sla);
    m->promise_days = pr->days;
    m->promise_weight = pr->late_weight;
}

/* A week of prospecting driven by the pipeline: each rep's own open
 * opportunities (deals with a rep or a buyer, not expectation resets)
 * decide, with hysteresis, whether the rep prospects this week. A new
 * occupant starts not prospecting (sales_fill_seat). Several such
 * policies at once: the later one decides. */
static void thin(struct model *m, const struct iv_prospect_when_thin *th, int w)
{
    if (!in_window(w, th->start_week, th->weeks))
        return;
    if (w == th->start_week)
        for (int32_t r = 0; r < m->n_reps; r++)
            if (in_team(m, r, th->team))
                m->reps[r].thin_prospecting = 0;
    for (int32_t r = 0; r < m->n_reps; r++)
        if (in_team(m, r, th->team))
            m->reps[r].thin_share = 0.0; /* a count, for now */
    for (int32_t o = 0; o < m->n_opps; o++) {
        const struct opp *op = &m->opps[o];
        if (op->state != OPP_FREE && !op->is_task &&
            in_team(m, op->rep, th->team))
            m->reps[op->rep].thin_share += 1.0;
    }
    for (int32_t r = 0; r < m->n_reps; r++) {
        struct rep *rp = &m->reps[r];
        if (!in_team(m, r, th->team))
            continue;
        double open = rp->thin_share;
        if (open < th->below)
            rp->thin_prospecting = 1;
        else if (open >= th->above)
            rp->thin_prospecting = 0;
        rp->thin_share =
            rp->thin_prospecting ? th->prospecting_share : th->idle_share;
    }
    for (int t = 0; t < m->n_teams; t++)
        if (th->team == TEAM_ALL || th->team == t)
            m->thin_on[t] = 1;
}

static int apply(struct model *m, int32_t idx, const struct intervention *iv,
                 int w)
{
    switch (iv->type) {
    case IV_PULL: {
        const struct iv_pull *pu = &iv->u.pull;
        if (pu->weeks > 0 && w == pu->start_week)
            pull_start(m, idx, &pu->spec, pu->weeks, pu->team);
        if (pu->weeks > 0 && w == pu->start_week + pu->weeks)
            pull_end(m, idx, &pu->spec);
        return 0;
    }
    case IV_POLICY:
        policy(m, idx, &iv->u.policy, w);
        return 0;
    case IV_HIRE: {
        const struct iv_hire *h = &iv->u.hire;
        if (w != h->week || h->count <= 0)
            return 0;
        double absorb = P(m)->support.absorb_hours_per_week;
        return staff_hire(m, h->role, h->count, h->lead_weeks, h->ramp_weeks,
                          absorb, h->team);
    }
    case IV_FOCUS:
        if (in_window(w, iv->u.focus.start_week, iv->u.focus.weeks) &&
            iv->u.focus.weeks > 0)
            for (int t = 0; t < m->n_teams; t++)
                if (iv->u.focus.team == TEAM_ALL || iv->u.focus.team == t)
                    m->prosp_share[t] = iv->u.focus.prospecting_share;
        return 0;
    case IV_SUPPORT: {
        const struct iv_support *su = &iv->u.support;
        if (w != su->week || su->count <= 0)
            return 0;
        double absorb = su->absorb_hours_per_week >= 0.0
                            ? su->absorb_hours_per_week
                            : P(m)->support.absorb_hours_per_week;
        return staff_hire(m, ROLE_SUPPORT, su->count, su->lead_weeks, -1.0,
                          absorb, TEAM_ALL);
    }
    case IV_EFFECTIVENESS: {
        const struct iv_effectiveness *ef = &iv->u.effectiveness;
        if (in_window(w, ef->week, ef->weeks))
            for (int t = 0; t < m->n_teams; t++)
                if (ef->team == TEAM_ALL || ef->team == t) {
                    m->adv_mult[t] *= ef->advance_multiplier;
                    m->opp_mult[t] *= ef->opportunity_multiplier;
                }
        return 0;
    }
    case IV_EXPECTATIONS: {
        const struct iv_expectations *ex = &iv->u.expectations;
        if (in_window(w, ex->start_week, ex->weeks)) {
            m->expectations_on = 1;
            m->forgive = ex->forgiveness;
            m->reset_hours = ex->hours_per_late_item;
        }
        return 0;
    }
    case IV_HIRE_FROM_BUDGET:
        return budget(m, idx, &iv->u.budget, w);
    case IV_EXPAND_OPS_ON_DELAY:
        return expand_ops(m, idx, &iv->u.expand_ops, w);
    case IV_CONTRACT:
    case IV_REDUCE:
        return 0; /* at the staffing step: iv_contracts() */
    case IV_FREEZE:
        return 0; /* at each departure: iv_backfill_tick() */
    case IV_CATCHUP:
        catchup(m, &iv->u.catchup, w);
        return 0;
    case IV_PROCESS:
        return 0; /* at the staffing step: iv_process() */
    case IV_PROMISE:
        promise(m, &iv->u.promise, w);
        return 0;
    case IV_PROSPECT_WHEN_THIN:
        thin(m, &iv->u.thin, w);
        return 0;
    case IV_TYPE_COUNT:
        break;
    }
    assert(!"unknown intervention type");
    return -1;
}

/* ---- contracts -------------------------------------------------------- */

static int contract_start(struct model *m, int32_t idx,
                          const struct iv_contract *c)
{
    for (int i = 0; i < c->count; i++) {
        int rc = 0;
        switch (c->role) {
        case ROLE_SALES:
            rc = sales_add_contractor(
                m, idx, c->ramp_weeks, c->productivity,
                c->team == TEAM_ALL ? staff_new_rep_team(m) : c->team);
            break;
        case ROLE_OPS:
            rc = ops_add_contractor(m, idx, c->ramp_weeks, c->productivity);
            break;
        case ROLE_SUPPORT:
        case ROLE_COUNT:
            rc = staff_add_support(m, m->t, c->ramp_weeks,
                                   P(m)->support.absorb_hours_per_week *
                                       c->productivity);
            if (rc == 0) {
                int32_t k = m->n_support_seats - 1;
                struct seat *st = staff_seat(m, ROLE_SUPPORT, k);
                st->contract = idx;
                st->depart_t = INFINITY;
                TRACE(m, "contract_start", k, "role=support productivity=%.3f",
                      c->productivity);
            }
            break;
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* The contractors of intervention idx leave. Ops work in hand goes back
 * to the head of its queue (ops_update_staff, next); a rep's pipeline
 * passes to the employees (sales_release). */
static void contract_end(struct model *m, int32_t idx)
{
    for (int k = 0; k < ROLE_COUNT; k++) {
        enum role role = (enum role)k;
        for (int32_t i = 0; i < staff_seats(m, role); i++) {
            struct seat *st = staff_seat(m, role, i);
            if (!st->filled || st->contract != idx)
                continue;
            if (role == ROLE_SALES) {
                sales_release(m, i);
                continue;
            }
            st->filled = 0;
            m->tot.people_contract_ended[role] += 1.0;
            TRACE(m, "contract_end", i, "role=%s", role_name(role));
        }
    }
}

/* A reduction decided now: its count, or its share of the role's
 * positions (rounded), cut in staff_cut's order; the people chosen leave
 * notice_weeks later, at once when that is now. */
static int reduce(struct model *m, const struct iv_reduce *r)
{
    int n = r->count;
    if (r->share > 0.0)
        n = (int)lround(r->share * staff_positions(m, r->role, r->team));
    if (n <= 0)
        return 0;
    int cut = staff_cut(m, r->role, n, m->t + r->notice_weeks * DAYS_PER_WEEK,
                        r->team);
    TRACE(m, "reduce", cut, "role=%s notice_weeks=%d", role_name(r->role),
          r->notice_weeks);
    return r->notice_weeks == 0 ? staff_leave_due(m) : 0;
}

int iv_contracts(struct model *m)
{
    int w = m->week - P(m)->sim.warmup_weeks;
    if (!m->sc || w < 0)
        return 0;
    for (size_t i = 0; i < m->sc->n_iv; i++) {
        const struct intervention *iv = &m->sc->iv[i];
        if (iv->type == IV_REDUCE && w == iv->u.reduce.week &&
            reduce(m, &iv->u.reduce) != 0)
            return -1;
        const struct iv_contract *c = &iv->u.contract;
        if (iv->type != IV_CONTRACT || c->count <= 0 || c->weeks <= 0)
            continue;
        if (w == c->start_week && contract_start(m, (int32_t)i, c) != 0)
            return -1;
        if (w == c->start_week + c->weeks)
            contract_end(m, (int32_t)i);
    }
    return 0;
}

int iv_backfill_tick(const struct model *m, enum role role, int team)
{
    int warmup = P(m)->sim.warmup_weeks, w = m->week - warmup;
    if (!m->sc || w < 0)
        return m->week;
    /* A freeze that ends inside another holds the backfill on to the
     * other's end: repeat until no freeze covers week w. */
    for (int moved = 1; moved;) {
        moved = 0;
        for (size_t i = 0; i < m->sc->n_iv; i++) {
            const struct intervention *iv = &m->sc->iv[i];
            const struct iv_freeze *f = &iv->u.freeze;
            if (iv->type == IV_FREEZE && f->role == role && f->weeks > 0 &&
                (f->team == TEAM_ALL || f->team == team) &&
                w >= f->start_week && w < f->start_week + f->weeks) {
                w = f->start_week + f->weeks;
                moved = 1;
            }
        }
    }
    return w + warmup;
}

double iv_contract_cost(const struct model *m, int week)
{
    double cost = 0.0;
    if (!m->sc)
        return 0.0;
    for (size_t i = 0; i < m->sc->n_iv; i++) {
        const struct intervention *iv = &m->sc->iv[i];
        const struct iv_contract *c = &iv->u.contract;
        if (iv->type == IV_CONTRACT && c->weeks > 0 && week >= c->start_week &&
            week < c->start_week + c->weeks)
            cost += c->count * c->cost_per_week;
    }
    return cost;
}

/* Assumption: the investment's hours are spread evenly over the staff
 * servers in seats (contractors included) and over its weeks; in a week
 * with fewer staff hours than it needs, the staff do nothing else. The
 * saving applies to items that arrive from the tick after the
 * investment's last week; work already in the backlog keeps its hours.
 * Several fixes add their investments and compound their savings. */
void iv_process(struct model *m)
{
    m->ops_invest_share = m->ops_saving = 0.0;
    int w = m->week - P(m)->sim.warmup_weeks;
    if (!m->sc || w < 0)
        return;
    double invest = 0.0, keep = 1.0;
    for (size_t i = 0; i < m->sc->n_iv; i++) {
        const struct intervention *iv = &m->sc->iv[i];
        const struct iv_process *pr = &iv->u.process;
        if (iv->type != IV_PROCESS || w < pr->start_week)
            continue;
        if (w < pr->start_week + pr->invest_weeks)
            invest += pr->invest_hours / pr->invest_weeks;
        else
            keep *= 1.0 - pr->hours_saved_share;
    }
    m->ops_saving = 1.0 - keep;
    if (!(invest > 0.0))
        return;
    int staff = 0;
    for (int32_t s = 0; s < m->n_servers; s++)
        staff += m->servers[s].rep == NONE && m->servers[s].seat.filled;
    double hours = staff * P(m)->ops.role.hours_per_week;
    m->ops_invest_share = hours > 0.0 ? fmin(1.0, invest / hours) : 0.0;
}

int iv_on_tick(struct model *m)
{
    market(m);
    for (int t = 0; t < m->n_teams; t++) {
        m->prosp_share[t] = model_sales(m, t)->prospecting_share;
        m->adv_mult[t] = m->opp_mult[t] = 1.0;
        m->catch_hours[t] = 0.0;
    }
    m->expectations_on = 0;
    m->promise_days = m->promise_weight = 0.0;
    memset(m->thin_on, 0, sizeof m->thin_on);
    int w = m->week - P(m)->sim.warmup_weeks;
    if (!m->sc || w < 0)
        return 0;
    for (size_t i = 0; i < m->sc->n_iv; i++)
        if (apply(m, (int32_t)i, &m->sc->iv[i], w) != 0)
            return -1;
    return 0;
}

int iv_first_week(const struct intervention *iv)
{
    switch (iv->type) {
    case IV_PULL:
        return iv->u.pull.weeks > 0 ? iv->u.pull.start_week : INT_MAX;
    case IV_POLICY:
        return iv->u.policy.weeks > 0 ? iv->u.policy.start_week : INT_MAX;
    case IV_HIRE:
        /* The decision itself changes the state (a pending hire). */
        return iv->u.hire.count > 0 ? iv->u.hire.week : INT_MAX;
    case IV_FOCUS:
        return iv->u.focus.weeks > 0 ? iv->u.focus.start_week : INT_MAX;
    case IV_SUPPORT:
        return iv->u.support.count > 0 ? iv->u.support.week : INT_MAX;
    case IV_EFFECTIVENESS:
        return iv->u.effectiveness.week;
    case IV_EXPECTATIONS:
        return iv->u.expectations.start_week;
    case IV_HIRE_FROM_BUDGET:
        return iv->u.budget.start_week;
    case IV_EXPAND_OPS_ON_DELAY:
        return iv->u.expand_ops.start_week;
    case IV_CONTRACT:
        return iv->u.contract.count > 0 && iv->u.contract.weeks > 0
                   ? iv->u.contract.start_week
                   : INT_MAX;
    case IV_REDUCE:
        return iv->u.reduce.count > 0 || iv->u.reduce.share > 0.0
                   ? iv->u.reduce.week
                   : INT_MAX;
    case IV_FREEZE:
        return iv->u.freeze.weeks > 0 ? iv->u.freeze.start_week : INT_MAX;
    case IV_CATCHUP:
        return iv->u.catchup.weeks > 0 && iv->u.catchup.extra_hours > 0.0
                   ? iv->u.catchup.start_week
                   : INT_MAX;
    case IV_PROCESS:
        return iv->u.process.invest_hours > 0.0 ||
                       iv->u.process.hours_saved_share > 0.0
                   ? iv->u.process.start_week
                   : INT_MAX;
    case IV_PROMISE:
        return iv->u.promise.start_week;
    case IV_PROSPECT_WHEN_THIN:
        return iv->u.thin.start_week;
    case IV_TYPE_COUNT:
        break;
    }
    assert(!"unknown intervention type");
    return 0;
}
