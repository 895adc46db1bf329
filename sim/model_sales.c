/*
 * model_sales: reps, prospecting and the pipeline of opportunities.
 *
 * Prospecting runs in operational time: the k-th opportunity of seat r
 * needs an exponential amount of effective prospecting hours, drawn from
 * stream (S_PROSPECT, r, k). The rep's `need` shrinks at `prosp_rate`;
 * when the rate changes (a pull, a focus shift, a ramp step) the arrival
 * is rescheduled from the remaining need, never re-drawn. So a pull
 * shifts the same arrivals later instead of rolling new ones.
 *
 * Each stage of a deal is: wait in the rep's queue (fifo; going cold if
 * the wait passes the stage's patience), rep work served at the rep's
 * selling rate, buyer time, then a Bernoulli advance. All of a stage's
 * draws come from stream (deal key, stage), so a deal is the same deal in
 * every scenario, only met at a different time.
 *
 * Invariant: an opp is in its rep's queue iff state == OPP_WAITING; it is
 * rep.serving iff state == OPP_SERVING; rep.serving's clock hours are in
 * m->sell_busy, a filled seat's other selling hours in m->sell_idle.
 */
#include <assert.h>
#include <math.h>

#include <gsl/gsl_randist.h>

#include "model_int.h"
#include "rng.h"

static const struct params *P(const struct model *m)
{
    return m->p;
}

int32_t sales_filled(const struct model *m)
{
    return m->reps_filled;
}

/* Draws the effective prospecting hours to seat r's next opportunity. */
MODEL_HOT static void draw_need(struct model *m, int32_t r)
{
    struct rep *rp = &m->reps[r];
    const struct sales_params *s = model_sales(m, rp->team);
    double base = s->role.hours_per_week * s->prospecting_share;
    if (!(s->opportunities_per_week > 0.0) || !(base > 0.0)) {
        /* Assumption: with no base prospecting time the calibration is
         * undefined: such a team finds no opportunities. */
        rp->need = INFINITY;
        return;
    }
    uint64_t key = model_key2(m, S_PROSPECT, r, rp->k);
    rng_reseed(m->rng, key);
    rp->need = rng_exponential(m->rng, base / s->opportunities_per_week);
}

int sales_fill_seat(struct model *m, int32_t r, double t, double ramp_weeks)
{
    staff_fill_seat(m, ROLE_SALES, r, t, ramp_weeks);
    m->reps_filled++;
    struct rep *rp = &m->reps[r];
    rp->return_t = rp->leak_t = -INFINITY;
    rp->pull_share = 0.0;
    rp->pulled_by = NONE;
    rp->thin_prospecting = 0;
    rp->scar_leak = rp->scar_loss = 0.0;
    TRACE(m, "rep_start", r, "occupant=%u eff=%.4f", rp->seat.occupant,
          rp->eff);
    return 0;
}

int sales_add_rep(struct model *m, double t, double ramp_weeks, int team)
{
    if (MODEL_GROW(m, reps))
        return -1;
    int32_t r = m->n_reps++;
    struct rep *rp = &m->reps[r];
    *rp = (struct rep){.head = NONE,
                       .tail = NONE,
                       .serving = NONE,
                       .server = NONE,
                       .pulled_by = NONE,
                       .prosp_last_t = t,
                       .serve_last_t = t,
                       .seat = {.contract = NONE, .productivity = 1.0},
                       .team = (uint8_t)team};
    draw_need(m, r);
    return sales_fill_seat(m, r, t, ramp_weeks);
}

void sales_vacate(struct model *m, int32_t r)
{
    if (m->quota_on)
        sales_quota_close(m, r, m->cur,
                          m->teams_on ? m->tcur[m->reps[r].team] : NULL);
    m->reps[r].seat.filled = 0;
    m->reps_filled--;
    TRACE(m, "rep_leave", r, "occupant=%u", m->reps[r].seat.occupant);
}

/* ---- the rep's queue -------------------------------------------------- */

static void queue_push(struct model *m, int32_t r, int32_t o)
{
    struct rep *rp = &m->reps[r];
    struct opp *op = &m->opps[o];
    op->prev = rp->tail;
    op->next = NONE;
    if (rp->tail != NONE)
        m->opps[rp->tail].next = o;
    else
        rp->head = o;
    rp->tail = o;
}

static void queue_unlink(struct model *m, int32_t r, int32_t o)
{
    struct rep *rp = &m->reps[r];
    struct opp *op = &m->opps[o];
    if (op->prev != NONE)
        m->opps[op->prev].next = op->next;
    else
        rp->head = op->next;
    if (op->next != NONE)
        m->opps[op->next].prev = op->prev;
    else
        rp->tail = op->prev;
    op->prev = op->next = NONE;
}

MODEL_HOT static int32_t opp_alloc(struct model *m)
{
    int32_t o = m->free_opp;
    if (o != NONE) {
        m->free_opp = m->opps[o].next;
    } else {
        if (MODEL_GROW(m, opps))
            return NONE;
        o = m->n_opps++;
        m->opps[o].gen = 0;
    }
    struct opp *op = &m->opps[o];
    uint32_t gen = op->gen + 1;
    *op = (struct opp){.prev = NONE, .next = NONE, .gen = gen};
    return o;
}

static void opp_free(struct model *m, int32_t o)
{
    struct opp *op = &m->opps[o];
    op->state = OPP_FREE;
    op->gen++;
    op->next = m->free_opp;
    m->free_opp = o;
}

/* Starts the work in the queue's head if the rep is free and able. */
MODEL_HOT static int try_serve(struct model *m, int32_t r)
{
    struct rep *rp = &m->reps[r];
    if (rp->serving != NONE || rp->head == NONE || !(rp->sell_rate > 0.0))
        return 0;
    int32_t o = rp->head;
    queue_unlink(m, r, o);
    struct opp *op = &m->opps[o];
    op->state = OPP_SERVING;
    op->gen++; /* its patience no longer runs */
    rp->serving = o;
    rp->serve_last_t = m->t;
    team_integ_add(m, &m->sell_idle, m->t_sell_idle, rp->team, -rp->sell_clock);
    team_integ_add(m, &m->sell_busy, m->t_sell_busy, rp->team, rp->sell_clock);
    rp->serve_gen++;
    return model_schedule(m, m->t + op->work / rp->sell_rate, EV_REP_DONE, r,
                          rp->serve_gen, 0);
}

/* ---- rates ------------------------------------------------------------ */

struct hours_split {
    double prosp, sell, admin, ops; /* clock hours per day */
    double avail;                   /* all of them */
    double prod;                    /* productivity multiplier */
    double ops_eff;
    /* a catch-up's extra clock hours per day (in prosp and sell), and
     * the normal hours their output is worth */
    double extra, x_prosp_eff, x_sell_eff;
};

/* How seat r splits its hours this week. */
static struct hours_split rep_split(struct model *m, const struct rep *rp,
                                    int32_t filled)
{
    struct hours_split a = {0};
    if (!rp->seat.filled)
        return a;
    const struct sales_params *s = model_sales(m, rp->team);
    double t = m->t, hpd = s->role.hours_per_week / DAYS_PER_WEEK;
    const struct calendar_week *cw = model_calendar(m);
    if (cw)
        hpd *= cw->sales_hours; /* a holiday week: every activity shrinks */
    if (s->vacation_days > 0.0)
        hpd *= 1.0 - staff_vacation(m, ROLE_SALES, (int32_t)(rp - m->reps));
    a.avail = hpd;
    /* productivity is 1 but for contractors (x * 1 is x, bit for bit) */
    a.prod = model_ramp(t, rp->seat.start_t, rp->seat.ramp_weeks,
                        rp->seat.ramp_start) *
             rp->seat.productivity;
    if (rp->return_t > -INFINITY)
        a.prod *=
            model_ramp(t, rp->return_t, rp->return_ramp_weeks, rp->return_prod);
    double leak = 0.0;
    if (rp->pulled_by == NONE && rp->leak_weeks > 0.0) {
        double x = (t - rp->leak_t) / (rp->leak_weeks * DAYS_PER_WEEK);
        if (x >= 0.0 && x < 1.0)
            leak = rp->leak_share * (1.0 - x);
    }
    /* The habit's lasting mark (model_iv.c, pull_end): a leak on top of
     * the fading one, and readiness lost on every activity. */
    if (rp->pulled_by == NONE && rp->scar_leak > 0.0)
        leak += sales_scar(rp, rp->scar_leak, t);
    if (rp->scar_loss > 0.0)
        a.prod *= 1.0 - sales_scar(rp, rp->scar_loss, t);
    double ops_share = fmin(1.0, rp->pull_share + leak);
    a.ops_eff = rp->pulled_by != NONE ? rp->pull_eff : rp->leak_eff;
    a.ops = hpd * ops_share;
    double rest = hpd - a.ops;
    /* prospect_when_thin (model_iv.c): the rep's own share this week */
    a.prosp = rest * (m->thin_on[rp->team] ? rp->thin_share
                                           : m->prosp_share[rp->team]);
    a.admin = rest * s->admin_share;
    if (filled > 0 && m->support_absorb > 0.0) {
        /* Support staff take admin hours off every rep evenly. */
        double take = m->support_absorb / DAYS_PER_WEEK / filled;
        a.admin -= fmin(a.admin, take);
    }
    a.sell = fmax(0.0, rest - a.prosp - a.admin);
    /* A catch-up (model_iv.c): an employee not in ops works extra hours,
     * split between prospecting and selling, each worth catch_prod of a
     * normal hour. Without one nothing here runs, so the rates below are
     * the same doubles as before. */
    int tm = rp->team;
    if (m->catch_hours[tm] > 0.0 && rp->seat.contract == NONE &&
        rp->pulled_by == NONE) {
        double xp = m->catch_hours[tm] * m->catch_prosp[tm];
        double xs = m->catch_hours[tm] - xp;
        a.extra = m->catch_hours[tm];
        a.prosp += xp;
        a.sell += xs;
        a.x_prosp_eff = xp * (m->catch_prod[tm] - 1.0);
        a.x_sell_eff = xs * (m->catch_prod[tm] - 1.0);
    }
    return a;
}

static int update_prospecting(struct model *m, int32_t r, double rate)
{
    struct rep *rp = &m->reps[r];
    if (rp->prosp_rate > 0.0 && isfinite(rp->need))
        rp->need =
            fmax(0.0, rp->need - rp->prosp_rate * (m->t - rp->prosp_last_t));
    rp->prosp_last_t = m->t;
    if (rate == rp->prosp_rate)
        return 0;
    rp->prosp_rate = rate;
    rp->prosp_gen++;
    if (!(rate > 0.0) || !isfinite(rp->need))
        return 0;
    return model_schedule(m, m->t + rp->need / (rate), EV_OPP_ARRIVE, r,
                          rp->prosp_gen, 0);
}

static int update_selling(struct model *m, int32_t r, double clock, double rate)
{
    struct rep *rp = &m->reps[r];
    double dclock = clock - rp->sell_clock;
    if (rp->serving != NONE) {
        struct opp *op = &m->opps[rp->serving];
        op->work =
            fmax(0.0, op->work - rp->sell_rate * (m->t - rp->serve_last_t));
        rp->serve_last_t = m->t;
        team_integ_add(m, &m->sell_busy, m->t_sell_busy, rp->team, dclock);
    } else {
        team_integ_add(m, &m->sell_idle, m->t_sell_idle, rp->team, dclock);
    }
    rp->sell_clock = clock;
    if (rate == rp->sell_rate)
        return try_serve(m, r);
    rp->sell_rate = rate;
    rp->serve_gen++;
    if (rp->serving != NONE && rate > 0.0)
        return model_schedule(m, m->t + m->opps[rp->serving].work / (rate),
                              EV_REP_DONE, r, rp->serve_gen, 0);
    return try_serve(m, r);
}

/* Recomputes seat r's hours for the week and reschedules its prospecting,
 * its deal work and its ops work where a rate changed. Rates are hours per
 * day, times are days: a job of h hours at rate x ends h / x days later. */
int sales_update_rates(struct model *m, int32_t r)
{
    struct hours_split a = rep_split(m, &m->reps[r], sales_filled(m));
    struct rep *rp = &m->reps[r];
    rp->h_prosp = a.prosp;
    rp->h_admin = a.admin;
    rp->h_ops = a.ops;
    rp->h_extra = a.extra;
    rp->h_avail = a.avail;
    double prosp = a.prosp, sell = a.sell;
    if (a.extra > 0.0) {
        prosp += a.x_prosp_eff;
        sell += a.x_sell_eff;
    }
    const struct calendar_week *cw = model_calendar(m);
    double season = cw ? cw->opps : 1.0;
    if (update_prospecting(
            m, r, prosp * a.prod * m->opp_mult[rp->team] * season) != 0)
        return -1;
    if (update_selling(m, r, a.sell, sell * a.prod) != 0)
        return -1;
    if (!(a.ops > 0.0) && rp->server == NONE)
        return 0;
    /* The ops hours end with the pull, or with the leak after it; a
     * lasting leak's hours are decided week by week, so a rep takes
     * only what it can finish by the next tick. */
    double until = rp->pulled_by != NONE
                       ? rp->pull_until_t
                       : rp->leak_t + rp->leak_weeks * DAYS_PER_WEEK;
    if (rp->pulled_by == NONE && rp->scar_leak > 0.0)
        until = fmax(until, m->t + DAYS_PER_WEEK);
    return ops_set_rep_hours(m, r, a.ops * a.prod * a.ops_eff, a.ops, until);
}

/* ---- opportunities ---------------------------------------------------- */

/* How fast the buyers of stage `stage` get through their days this week:
 * buyer days pass at this rate per calendar day. 1 without a calendar. */
static double buyer_speed(const struct model *m, int stage)
{
    const struct calendar_week *cw = model_calendar(m);
    if (!cw)
        return 1.0;
    return stage + 1 == (int)P(m)->n_stages ? cw->buyer_last : cw->buyer;
}

/* Deal o goes to its buyer for `days` buyer days from now. While with
 * the buyer, buyer_days holds the buyer days left at enq_t. Without a
 * calendar the buyer is done `days` later, as ever (x / 1 is x). */
MODEL_HOT static int buyer_begin(struct model *m, int32_t o, double days)
{
    struct opp *op = &m->opps[o];
    op->state = OPP_BUYER;
    op->gen++;
    op->buyer_days = days;
    op->enq_t = m->t;
    double v = buyer_speed(m, op->stage);
    if (!(v > 0.0))
        return 0; /* a month at 0: the buyer waits for a faster week */
    return model_schedule(m, m->t + days / v, EV_BUYER_DONE, o, op->gen, 0);
}

int sales_calendar_week(struct model *m)
{
    const struct calendar_params *c = &P(m)->calendar;
    if (!c->week)
        return 0;
    assert(m->week > 0);
    const struct calendar_week *now = &c->week[m->week];
    const struct calendar_week *was = &c->week[m->week - 1];
    if (now->buyer == was->buyer && now->buyer_last == was->buyer_last)
        return 0;
    int last = (int)P(m)->n_stages - 1;
    for (int32_t o = 0; o < m->n_opps; o++) {
        struct opp *op = &m->opps[o];
        if (op->state != OPP_BUYER)
            continue;
        double v0 = op->stage == last ? was->buyer_last : was->buyer;
        double v1 = op->stage == last ? now->buyer_last : now->buyer;
        if (v0 == v1)
            continue;
        double left = fmax(0.0, op->buyer_days - (m->t - op->enq_t) * v0);
        if (buyer_begin(m, o, left) != 0)
            return -1;
    }
    return 0;
}

MODEL_HOT static void close_opp(struct model *m, int32_t o)
{
    struct opp *op = &m->opps[o];
    m->open_opps--;
    m->open_value -= op->value;
    integ_add(&m->pipeline, m->t, -1.0);
    m->tot.pipeline_days += m->t - op->created_t;
    m->cur[D_WIN_RATE] += 1.0;
    if (m->teams_on) {
        m->t_open_opps[op->team]--;
        m->t_open_value[op->team] -= op->value;
        m->tcur[op->team][D_WIN_RATE] += 1.0;
    }
    opp_free(m, o);
}

/* Draws stage op->stage of the deal and puts it in its rep's queue. */
MODEL_HOT static int stage_begin(struct model *m, int32_t o)
{
    struct opp *op = &m->opps[o];
    const struct stage_params *st = &model_stages(m, op->team)[op->stage];
    rng_reseed(m->rng, rng_key(op->key, (uint64_t)op->stage + 1));
    op->work = model_draw(&st->work_hours, m->rng);
    op->buyer_days = model_draw(&st->buyer_days, m->rng);
    double patience = model_draw(&st->patience_days, m->rng);
    op->u_advance = rng_uniform(m->rng);
    op->state = OPP_WAITING;
    op->enq_t = m->t;
    op->gen++;
    queue_push(m, op->rep, o);
    TRACE(m, "stage", o, "stage=%s rep=%d work=%.3f", st->name, op->rep,
          op->work);
    /* An opp its rep takes at once (try_serve below) never waits: its
     * patience event would only pop to be dropped (and the trace shows
     * only live events). Not scheduling it changes nothing but the
     * sequence numbers of later events, all by one, so their order
     * stays. */
    const struct rep *rp = &m->reps[op->rep];
    int at_once = rp->serving == NONE && rp->head == o && rp->sell_rate > 0.0;
    if (!at_once &&
        model_schedule(m, m->t + patience, EV_PATIENCE, o, op->gen, 0))
        return -1;
    return try_serve(m, op->rep);
}

/* Seat r's next approach: its need is drawn and its arrival scheduled
 * at the current prospecting rate. */
MODEL_HOT static int next_approach(struct model *m, int32_t r)
{
    struct rep *rp = &m->reps[r];
    rp->k++;
    draw_need(m, r);
    rp->prosp_last_t = m->t;
    rp->prosp_gen++;
    if (rp->prosp_rate > 0.0 && isfinite(rp->need))
        return model_schedule(m, m->t + rp->need / rp->prosp_rate,
                              EV_OPP_ARRIVE, r, rp->prosp_gen, 0);
    return 0;
}

MODEL_HOT int sales_on_arrive(struct model *m, int32_t r)
{
    /* A finite market: the approach may find no account free. */
    if (P(m)->market.accounts > 0 && !market_approach(m, r, m->reps[r].k))
        return next_approach(m, r);
    int32_t o = opp_alloc(m);
    if (o == NONE)
        return -1;
    struct rep *rp = &m->reps[r];
    struct opp *op = &m->opps[o];
    op->rep = r;
    op->team = rp->team;
    op->key = model_key2(m, S_OPP, r, rp->k);
    rng_reseed(m->rng, op->key);
    op->value = model_draw(&model_sales(m, op->team)->deal_value, m->rng);
    op->created_t = m->t;
    m->open_opps++;
    m->open_value += op->value;
    integ_add(&m->pipeline, m->t, 1.0);
    m->cur[M_OPPORTUNITIES_CREATED] += 1.0;
    if (m->teams_on) {
        m->t_open_opps[op->team]++;
        m->t_open_value[op->team] += op->value;
        m->tcur[op->team][M_OPPORTUNITIES_CREATED] += 1.0;
    }
    m->tot.opps_created += 1.0;
    TRACE(m, "opp_created", o, "rep=%d k=%llu value=%.2f", r,
          (unsigned long long)rp->k, op->value);
    if (next_approach(m, r) != 0)
        return -1;
    assert(P(m)->n_stages > 0);
    return stage_begin(m, o);
}

MODEL_HOT int sales_on_rep_done(struct model *m, int32_t r)
{
    struct rep *rp = &m->reps[r];
    int32_t o = rp->serving;
    assert(o != NONE);
    struct opp *op = &m->opps[o];
    rp->serving = NONE;
    team_integ_add(m, &m->sell_busy, m->t_sell_busy, rp->team, -rp->sell_clock);
    team_integ_add(m, &m->sell_idle, m->t_sell_idle, rp->team, rp->sell_clock);
    if (op->is_task) {
        opp_free(m, o);
    } else if (buyer_begin(m, o, op->buyer_days) != 0) {
        return -1;
    }
    return try_serve(m, r);
}

MODEL_HOT static int win(struct model *m, int32_t o)
{
    struct opp *op = &m->opps[o];
    m->cur[M_DEALS_WON] += 1.0;
    m->cur[M_WIN_RATE] += 1.0;
    m->cur[M_BOOKINGS] += op->value;
    struct rep *rp = &m->reps[op->rep];
    /* The seat's occupant books it; a vacant seat's win counts for the
     * company (the plan) but for no rep, and a contractor has no quota. */
    if (model_sales(m, rp->team)->quota_per_rep > 0.0 && rp->seat.filled &&
        rp->seat.contract == NONE && m->week >= P(m)->sim.warmup_weeks)
        rp->quota_bookings += op->value;
    m->cur[M_CYCLE_DAYS] += m->t - op->created_t;
    m->cur[D_CYCLE_DAYS] += 1.0;
    if (m->teams_on) {
        double *tc = m->tcur[op->team];
        tc[M_DEALS_WON] += 1.0;
        tc[M_WIN_RATE] += 1.0;
        tc[M_BOOKINGS] += op->value;
        tc[M_CYCLE_DAYS] += m->t - op->created_t;
        tc[D_CYCLE_DAYS] += 1.0;
    }
    m->tot.opps_won += 1.0;
    TRACE(m, "won", o, "value=%.2f cycle=%.3f", op->value,
          m->t - op->created_t);
    uint64_t key = rng_key(op->key, S_CLIENT);
    int32_t owner = op->rep;
    double value = op->value;
    close_opp(m, o);
    return ops_new_client(m, owner, key, value, 0, m->t);
}

MODEL_HOT int sales_on_buyer_done(struct model *m, int32_t o)
{
    struct opp *op = &m->opps[o];
    const struct params *p = P(m);
    const struct stage_params *st = &model_stages(m, op->team)[op->stage];
    double adv = st->advance * m->reps[op->rep].eff * m->adv_mult[op->team];
    int last = op->stage + 1 == (int)p->n_stages;
    if (last)
        adv *= m->market_mult;
    if (op->u_advance < fmin(1.0, adv)) {
        if (last)
            return win(m, o);
        op->stage++;
        return stage_begin(m, o);
    }
    m->cur[M_DEALS_LOST] += 1.0;
    team_add(m, op->team, M_DEALS_LOST, 1.0);
    m->tot.opps_lost += 1.0;
    TRACE(m, "lost", o, "stage=%s", st->name);
    close_opp(m, o);
    return p->market.accounts > 0 ? market_cool(m, o) : 0;
}

MODEL_HOT int sales_on_patience(struct model *m, int32_t o)
{
    struct opp *op = &m->opps[o];
    assert(op->state == OPP_WAITING);
    queue_unlink(m, op->rep, o);
    m->cur[M_DEALS_WENT_COLD] += 1.0;
    team_add(m, op->team, M_DEALS_WENT_COLD, 1.0);
    m->tot.opps_cold += 1.0;
    TRACE(m, "went_cold", o, "stage=%s waited=%.3f",
          P(m)->stages[op->stage].name, m->t - op->enq_t);
    close_opp(m, o);
    return P(m)->market.accounts > 0 ? market_cool(m, o) : 0;
}

int sales_add_task(struct model *m, int32_t r, double hours)
{
    int32_t o = opp_alloc(m);
    if (o == NONE)
        return -1;
    struct opp *op = &m->opps[o];
    op->rep = r;
    op->team = m->reps[r].team;
    op->is_task = 1;
    op->work = hours;
    op->state = OPP_WAITING;
    op->enq_t = m->t;
    queue_push(m, r, o);
    TRACE(m, "reset_task", o, "rep=%d hours=%.3f", r, hours);
    return try_serve(m, r);
}

/* ---- the starting pipeline ([start]) --------------------------------- */

/* Deal j, open in stage st at time 0, with seat j mod reps. Its stream
 * is (S_START, 0, j): its value, its age and its stage's draws are the
 * same in the baseline and every scenario. Assumption (docs/model.md,
 * "Starting state"): the deal is with its buyer, the rep's work of the
 * stage done, and the buyer's time left is a uniform share of a draw of
 * the stage's buyer_days, as if the deal were met at a random point of
 * its stage (length bias and its age are ignored); its age, exponential
 * of mean open_age_days, dates its creation before time 0. */
static int start_opp(struct model *m, uint16_t st, uint64_t j)
{
    const struct params *p = P(m);
    int32_t o = opp_alloc(m);
    if (o == NONE)
        return -1;
    struct opp *op = &m->opps[o];
    op->rep = (int32_t)(j % (uint64_t)m->n_reps);
    op->team = m->reps[op->rep].team;
    op->key = model_key2(m, S_START, 0, j);
    rng_reseed(m->rng, op->key);
    op->value = model_draw(&model_sales(m, op->team)->deal_value, m->rng);
    double age = p->start.open_age_days > 0.0
                     ? rng_exponential(m->rng, p->start.open_age_days)
                     : 0.0;
    op->created_t = m->t - age;
    op->stage = st;
    const struct stage_params *sp = &model_stages(m, op->team)[st];
    /* The stage's draws in stage_begin's order, then the share left. */
    rng_reseed(m->rng, rng_key(op->key, (uint64_t)st + 1));
    (void)model_draw(&sp->work_hours, m->rng);
    double buyer = model_draw(&sp->buyer_days, m->rng);
    (void)model_draw(&sp->patience_days, m->rng);
    op->u_advance = rng_uniform(m->rng);
    double left = rng_uniform(m->rng) * buyer;
    m->open_opps++;
    m->open_value += op->value;
    if (m->teams_on) {
        m->t_open_opps[op->team]++;
        m->t_open_value[op->team] += op->value;
    }
    integ_add(&m->pipeline, m->t, 1.0);
    m->tot.opps_start += 1.0;
    TRACE(m, "opp_start", o,
          "rep=%d stage=%s age=%.3f buyer_left=%.3f "
          "value=%.2f",
          op->rep, sp->name, age, left, op->value);
    return buyer_begin(m, o, left);
}

int sales_start(struct model *m)
{
    const struct params *p = P(m);
    uint64_t j = 0;
    for (size_t st = 0; st < p->n_stages; st++)
        for (int i = 0; i < p->stages[st].open_start; i++)
            if (start_opp(m, (uint16_t)st, j++) != 0)
                return -1;
    return 0;
}

/* ---- quotas ----------------------------------------------------------- */

/* Assumption (docs/model.md, "Quotas and plan"): a week's quota share is
 * the hire ramp's productivity at its tick, the same the model works at
 * that week; a return ramp after a pull takes none of it (a pull costs
 * attainment, not quota), nor does a contractor carry a quota. */
void sales_quota_week(struct model *m)
{
    for (int32_t r = 0; r < m->n_reps; r++) {
        struct rep *rp = &m->reps[r];
        if (rp->seat.filled && rp->seat.contract == NONE)
            rp->quota_weeks +=
                model_ramp(m->t, rp->seat.start_t, rp->seat.ramp_weeks,
                           rp->seat.ramp_start);
    }
}

void sales_quota_close(struct model *m, int32_t r, double *row, double *trow)
{
    struct rep *rp = &m->reps[r];
    double quota =
        model_sales(m, rp->team)->quota_per_rep * rp->quota_weeks / 13.0;
    if (rp->seat.filled && rp->seat.contract == NONE && quota > 0.0) {
        row[R_QUOTA_ATTAINMENT] += rp->quota_bookings / quota;
        row[R_QUOTA_REPS] += 1.0;
        row[R_QUOTA_AT] += rp->quota_bookings >= quota;
        if (trow) {
            trow[R_QUOTA_ATTAINMENT] += rp->quota_bookings / quota;
            trow[R_QUOTA_REPS] += 1.0;
            trow[R_QUOTA_AT] += rp->quota_bookings >= quota;
        }
        TRACE(m, "quota", r, "occupant=%u bookings=%.2f quota=%.2f",
              rp->seat.occupant, rp->quota_bookings, quota);
    }
    rp->quota_bookings = rp->quota_weeks = 0.0;
}

/* ---- contractors ------------------------------------------------------ */

int sales_add_contractor(struct model *m, int32_t contract, double ramp_weeks,
                         double productivity, int team)
{
    if (sales_add_rep(m, m->t, ramp_weeks, team) != 0)
        return -1;
    struct rep *rp = &m->reps[m->n_reps - 1];
    rp->seat.contract = contract;
    rp->seat.productivity = productivity;
    rp->seat.depart_t = INFINITY;
    TRACE(m, "contract_start", m->n_reps - 1, "role=sales productivity=%.3f",
          productivity);
    return 0;
}

/* The employee's seat that takes the next piece of seat r's pipeline:
 * filled seats without a contract, other than r and not leaving (a
 * departure due now, a release announced), in turn from *next; of r's
 * team when it has one (with teams), else of any; NONE when there is
 * none. */
static int32_t next_owner(const struct model *m, int32_t r, int32_t *next)
{
    for (int any = 0; any < 2; any++)
        for (int32_t k = 0; k < m->n_reps; k++) {
            int32_t c = (*next + k) % m->n_reps;
            const struct seat *st = &m->reps[c].seat;
            if (c != r && st->filled && st->contract == NONE &&
                st->depart_t > m->t && st->release_t == INFINITY &&
                (any || m->reps[c].team == m->reps[r].team)) {
                *next = (c + 1) % m->n_reps;
                return c;
            }
        }
    return NONE;
}

/* Takes the deal in seat r's hands back, with the work done so far
 * subtracted, and puts it at the head of seat to's queue. Assumption: a
 * deal in hand cannot go cold, and that holds on at the new seat: it
 * waits without a patience clock. */
static void hand_over_serving(struct model *m, int32_t r, int32_t to)
{
    struct rep *rp = &m->reps[r];
    int32_t o = rp->serving;
    struct opp *op = &m->opps[o];
    op->work = fmax(0.0, op->work - rp->sell_rate * (m->t - rp->serve_last_t));
    rp->serving = NONE;
    rp->serve_gen++;
    team_integ_add(m, &m->sell_busy, m->t_sell_busy, rp->team, -rp->sell_clock);
    team_integ_add(m, &m->sell_idle, m->t_sell_idle, rp->team, rp->sell_clock);
    op->state = OPP_WAITING;
    op->enq_t = m->t;
    op->rep = to;
    struct rep *tp = &m->reps[to];
    op->prev = NONE;
    op->next = tp->head;
    if (tp->head != NONE)
        m->opps[tp->head].prev = o;
    else
        tp->tail = o;
    tp->head = o;
}

int sales_hand_over(struct model *m, int32_t r)
{
    int32_t next = 0, to;
    int n = 0;
    if (m->reps[r].serving != NONE && (to = next_owner(m, r, &next)) != NONE) {
        hand_over_serving(m, r, to);
        n++;
    }
    /* The queue, in order; each deal keeps its patience. */
    while (m->reps[r].head != NONE && (to = next_owner(m, r, &next)) != NONE) {
        int32_t o = m->reps[r].head;
        queue_unlink(m, r, o);
        m->opps[o].rep = to;
        queue_push(m, to, o);
        n++;
    }
    /* Deals with their buyers come back to their new rep. */
    for (int32_t o = 0; o < m->n_opps; o++)
        if (m->opps[o].state == OPP_BUYER && m->opps[o].rep == r &&
            (to = next_owner(m, r, &next)) != NONE) {
            m->opps[o].rep = to;
            n++;
        }
    return n;
}

void sales_release(struct model *m, int32_t r)
{
    sales_hand_over(m, r);
    TRACE(m, "contract_end", r, "role=sales");
    m->tot.people_contract_ended[ROLE_SALES] += 1.0;
    sales_vacate(m, r);
}
