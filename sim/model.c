/*
 * model: the engine of one replication: the event loop, the weekly tick
 * that closes a week's metrics and applies staffing changes, and the
 * bookkeeping shared by the sales and ops modules.
 *
 * Invariants (checked by tests/test_model.c):
 * - every opportunity found is, at any time, exactly one of: open (waiting
 *   for its rep, in the rep's hands, with the buyer), won, lost, gone cold;
 * - for every person, clock hours by activity + idle = hours available;
 * - the same (params, scenario, replication) gives the same raw series.
 * Events at the same time run in priority order (the tick first), then in
 * the order they were scheduled: runs never depend on heap layout.
 */
#include "model_int.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "rng.h"

static const char *const ev_names[EV_KIND_COUNT] = {
    [EV_TICK] = "tick",         [EV_OPP_ARRIVE] = "opp_arrive",
    [EV_REP_DONE] = "rep_done", [EV_BUYER_DONE] = "buyer_done",
    [EV_PATIENCE] = "patience", [EV_OPS_DONE] = "ops_done",
    [EV_TICKET] = "ticket",     [EV_ANNIVERSARY] = "anniversary",
};

/* The first component of every key of the model, below the seed: with
 * replication, the second, it makes base_key. A constant of the keys'
 * contract (docs/random.md). */
#define MODEL_KEY_SALT 0x5a1e5ca9u

/* The bytes of m's state in use, the event list aside: the elements of
 * its arrays up to their high-water marks (free slots are reused). The
 * memory cap counts these and the pending events, what the replication
 * itself did, and not the arrays' capacities, which earlier replications
 * of the same thread leave larger: so whether a run stops at the cap
 * does not depend on -j. The allocation behind them can be up to twice
 * as large, since arrays double. */
static size_t model_bytes_in_use(const struct model *m)
{
    size_t bytes = 0;
#define ARRAY_BYTES(type, name) bytes += (size_t)m->n_##name * sizeof(type);
    MODEL_ARRAYS(ARRAY_BYTES)
#undef ARRAY_BYTES
    return bytes;
}

/* Lets the event list hold what is left of the memory cap beside `other`
 * bytes of arrays (at least one event: a model whose arrays fill the cap
 * fails at its next push). */
static void model_fit_events(struct model *m, size_t other)
{
    size_t left = other < m->max_bytes ? m->max_bytes - other : 0;
    size_t n = left / EVQ_BYTES_PER_EVENT;
    evq_set_max(m->q, n > 0 ? n : 1);
}

int model_grow(struct model *m, void **arr, int32_t *cap, int32_t need,
               size_t size)
{
    /* One element more in use (every caller appends one). */
    if (m) {
        size_t use = model_bytes_in_use(m) + size;
        if (use + evq_size(m->q) * EVQ_BYTES_PER_EVENT > m->max_bytes) {
            m->over_memory = 1;
            return -1;
        }
        model_fit_events(m, use);
    }
    if (need <= *cap)
        return 0;
    if (need > INT32_MAX / 2)
        return -1;
    int32_t n = *cap ? *cap : 16;
    while (n < need)
        n *= 2;
    void *p = realloc(*arr, (size_t)n * size);
    if (!p)
        return -1;
    *arr = p;
    *cap = n;
    return 0;
}

/* The error of a step that failed for want of memory: the cap of
 * [simulation] max_memory_mb, or the machine's. start: the step set up
 * the starting state (people, clients and their first events). */
static int model_nomem(struct model *m, int start, struct err *e)
{
    if (!m->over_memory && !(evq_size(m->q) >= evq_max(m->q)))
        return err_oom(e);
    if (start)
        return err_set(e, ERR_RUNTIME,
                       "the starting state of a replication (%d reps, %d "
                       "clients, %zu events) needs more than %g MB; raise "
                       "[simulation] max_memory_mb",
                       (int)m->n_reps, (int)m->n_clients, evq_size(m->q),
                       m->p->sim.max_memory_mb);
    return err_set(e, ERR_RUNTIME,
                   "one replication needs more than %g MB (%zu pending "
                   "events, %d open opportunities, %d work items in "
                   "operations): the model runs away (an ops queue growing "
                   "without bound?); raise [simulation] max_memory_mb if it "
                   "is meant to be this big",
                   m->p->sim.max_memory_mb, evq_size(m->q), (int)m->open_opps,
                   (int)m->backlog_items);
}

double model_ramp(double t, double start_t, double ramp_weeks,
                  double ramp_start)
{
    if (!(ramp_weeks > 0.0))
        return 1.0;
    double x = (t - start_t) / (ramp_weeks * DAYS_PER_WEEK);
    if (x >= 1.0)
        return 1.0;
    if (x <= 0.0)
        return ramp_start;
    return ramp_start + (1.0 - ramp_start) * x;
}

void model_tracef(struct model *m, const char *event, int32_t id,
                  const char *fmt, ...)
{
    va_list ap;
    fprintf(m->trace, "%.6f,%d,%s,%d,", m->t,
            (int)floor(m->t / DAYS_PER_WEEK) - m->p->sim.warmup_weeks, event,
            (int)id);
    va_start(ap, fmt);
    vfprintf(m->trace, fmt, ap);
    va_end(ap);
    fputc('\n', m->trace);
}

size_t model_raw_len(const struct params *p)
{
    size_t weeks = (size_t)(p->sim.warmup_weeks + p->sim.horizon_weeks);
    return weeks * RAW_COUNT * (p->n_teams ? 1 + p->n_teams : 1);
}

struct model *model_alloc(const struct params *p, struct err *e)
{
    struct model *m = calloc(1, sizeof *m);
    if (!m)
        goto fail;
    m->p = p;
    m->weeks_total = p->sim.warmup_weeks + p->sim.horizon_weeks;
    m->max_bytes = p->sim.max_memory_mb * 1048576.0 < (double)SIZE_MAX
                       ? (size_t)(p->sim.max_memory_mb * 1048576.0)
                       : SIZE_MAX;
    if (!(m->q = evq_alloc(1024)))
        goto fail;
    m->rng = gsl_rng_alloc(rng_type(p->sim.rng));
    m->weekly_revenue = calloc((size_t)m->weeks_total + 1, sizeof(double));
    for (size_t s = 0; s < p->n_scenarios; s++)
        if (p->scenarios[s].n_iv > m->max_iv)
            m->max_iv = p->scenarios[s].n_iv;
    m->busy_until = calloc(m->max_iv + 1, sizeof(int));
    m->cool_until = calloc(m->max_iv + 1, sizeof(int));
    m->iv_level = calloc(IV_LEVELS * (m->max_iv + 1), sizeof(double));
    if (!m->rng || !m->weekly_revenue || !m->busy_until || !m->cool_until ||
        !m->iv_level)
        goto fail;
    return m;
fail:
    model_free(m);
    err_oom(e);
    return NULL;
}

void model_free(struct model *m)
{
    if (!m)
        return;
    evq_free(m->q);
    if (m->rng)
        gsl_rng_free(m->rng);
#define ARRAY_FREE(type, name) free(m->name);
    MODEL_ARRAYS(ARRAY_FREE)
#undef ARRAY_FREE
    free(m->weekly_revenue);
    free(m->busy_until);
    free(m->cool_until);
    free(m->iv_level);
    free(m);
}

void model_set_stop(struct model *m, volatile int *stop)
{
    m->stop = stop;
}

void model_set_trace(struct model *m, FILE *out)
{
    m->trace = out;
    if (out)
        fputs("time,week,event,entity,details\n", out);
}

/* Empties the world, keeping the arrays' memory. */
static void model_reset(struct model *m, int scenario, uint64_t replication,
                        double *raw)
{
    const struct params *p = m->p;
    evq_clear(m->q);
    m->over_memory = 0;
    model_fit_events(m, 0);
    m->sc = scenario >= 0 ? &p->scenarios[scenario] : NULL;
    m->pause_tick = NONE;
    m->base_key = rng_key(rng_key(p->sim.seed, MODEL_KEY_SALT), replication);
    m->t = 0.0;
    m->week = 0;
    m->raw = raw;
    memset(raw, 0, model_raw_len(p) * sizeof *raw);
    memset(m->cur, 0, sizeof m->cur);
    memset(&m->tot, 0, sizeof m->tot);
#define ARRAY_EMPTY(type, name) m->n_##name = 0;
    MODEL_ARRAYS(ARRAY_EMPTY)
#undef ARRAY_EMPTY
    m->reps_filled = 0;
    m->n_ready = 0;
    m->free_opp = m->free_item = NONE;
    m->open_opps = 0;
    m->open_value = m->arr_live = 0.0;
    m->clients_active = 0;
    m->q_onb.head = m->q_onb.tail = m->q_tkt.head = m->q_tkt.tail = NONE;
    m->item_seq = 0;
    m->wait_hours[0] = m->wait_hours[1] = 0.0;
    m->backlog_items = 0;
    m->support_absorb = 0.0;
    m->acct_available = m->acct_untouched = m->cool_head = 0;
    memset(&m->revenue, 0, sizeof m->revenue);
    memset(&m->pipeline, 0, sizeof m->pipeline);
    memset(&m->sell_busy, 0, sizeof m->sell_busy);
    memset(&m->sell_idle, 0, sizeof m->sell_idle);
    memset(&m->rep_ops_busy, 0, sizeof m->rep_ops_busy);
    memset(&m->rep_ops_idle, 0, sizeof m->rep_ops_idle);
    memset(&m->staff_busy, 0, sizeof m->staff_busy);
    memset(&m->staff_idle, 0, sizeof m->staff_idle);
    m->w_prosp = m->w_admin = m->w_avail = m->w_staff_avail = 0.0;
    m->n_teams = params_teams(p);
    m->teams_on = p->n_teams > 0;
    m->quota_on = 0;
    for (int t = 0; t < m->n_teams; t++) {
        m->quota_on |= model_sales(m, t)->quota_per_rep > 0.0;
        m->prosp_share[t] = model_sales(m, t)->prospecting_share;
        m->adv_mult[t] = m->opp_mult[t] = 1.0;
        m->catch_hours[t] = m->catch_prod[t] = m->catch_prosp[t] = 0.0;
    }
    memset(m->tcur, 0, sizeof m->tcur);
    memset(m->t_revenue, 0, sizeof m->t_revenue);
    memset(m->t_sell_busy, 0, sizeof m->t_sell_busy);
    memset(m->t_sell_idle, 0, sizeof m->t_sell_idle);
    memset(m->t_ops_busy, 0, sizeof m->t_ops_busy);
    memset(m->t_ops_idle, 0, sizeof m->t_ops_idle);
    memset(m->t_open_opps, 0, sizeof m->t_open_opps);
    memset(m->t_clients_active, 0, sizeof m->t_clients_active);
    memset(m->t_open_value, 0, sizeof m->t_open_value);
    m->expectations_on = 0;
    m->forgive = m->reset_hours = 0.0;
    m->delay = m->delay_smooth = 0.0;
    m->market_mult = 1.0;
    m->net_value = m->net_value_npv = 0.0;
    m->ops_invest_share = m->ops_saving = 0.0;
    m->promise_days = m->promise_weight = 0.0;
    memset(m->thin_on, 0, sizeof m->thin_on);
    memset(m->busy_until, 0, (m->max_iv + 1) * sizeof(int));
    memset(m->cool_until, 0, (m->max_iv + 1) * sizeof(int));
    for (size_t i = 0; i < IV_LEVELS * (m->max_iv + 1); i++)
        m->iv_level[i] = NAN;
    memset(m->weekly_revenue, 0,
           ((size_t)m->weeks_total + 1) * sizeof *m->weekly_revenue);
}

/* The seat that holds client i of the installed base: seat i mod reps;
 * or, when the teams give their shares (initial_clients), the team's
 * seats in turn, team after team (a team's seats are consecutive at the
 * start). */
static int32_t initial_owner(const struct model *m, int i)
{
    const struct params *p = m->p;
    if (!p->n_teams || p->teams[0].initial_clients < 0)
        return i % m->n_reps;
    int first = 0;
    for (size_t t = 0; t < p->n_teams; t++) {
        const struct team *tm = &p->teams[t];
        if (i < tm->initial_clients)
            return first + i % tm->sales.role.count;
        i -= tm->initial_clients;
        first += tm->sales.role.count;
    }
    assert(!"an initial client beyond the teams' shares");
    return NONE;
}

/* The people and clients at the start of warm-up. */
static int model_populate(struct model *m)
{
    const struct params *p = m->p;
    for (int t = 0; t < m->n_teams; t++)
        for (int i = 0; i < model_sales(m, t)->role.count; i++)
            if (sales_add_rep(m, 0.0, 0.0, t) != 0)
                return -1;
    for (int i = 0; i < p->ops.role.count; i++)
        if (ops_add_staff(m, 0.0, 0.0) != 0)
            return -1;
    for (int i = 0; i < p->support.role.count; i++)
        if (staff_add_support(m, 0.0, 0.0, p->support.absorb_hours_per_week))
            return -1;
    double contract = p->clients.contract_weeks * DAYS_PER_WEEK;
    int reps = m->n_reps;
    for (int i = 0; i < p->clients.initial; i++) {
        uint64_t key = model_key(m, S_INITIAL, i);
        rng_reseed(m->rng, key);
        /* With teams, the client's value is its owner's team's. */
        int32_t owner = reps > 0 ? initial_owner(m, i) : NONE;
        int team = owner != NONE ? m->reps[owner].team : 0;
        double value = model_draw(&model_sales(m, team)->deal_value, m->rng);
        /* Assumption: the installed base is spread evenly over the
         * contract year, so renewals do not all fall on one day. */
        double age = rng_uniform(m->rng) * contract;
        if (ops_new_client(m, owner, key, value, 1, -age) != 0)
            return -1;
    }
    /* [start]'s work, after the people and clients it belongs to. With
     * no [start] it draws nothing and pushes no event: a file without
     * one runs as before, bit for bit. */
    if (ops_start(m) != 0 || sales_start(m) != 0)
        return -1;
    if (p->market.accounts > 0)
        market_start(m);
    return 0;
}

static void flush_hours(struct model *m, double *row)
{
    row[M_REP_HOURS_PROSPECTING] = m->w_prosp * DAYS_PER_WEEK;
    row[M_REP_HOURS_ADMIN] = m->w_admin * DAYS_PER_WEEK;
    row[M_REP_HOURS_SELLING] = m->sell_busy.area;
    row[M_REP_HOURS_OPS] = m->rep_ops_busy.area;
    row[M_REP_HOURS_IDLE] = m->sell_idle.area + m->rep_ops_idle.area;
    double busy = m->staff_busy.area + m->rep_ops_busy.area;
    double avail = busy + m->staff_idle.area + m->rep_ops_idle.area;
    row[M_OPS_UTILIZATION] = busy;
    row[D_OPS_UTILIZATION] = avail;

    struct model_totals *t = &m->tot;
    t->rep_hours_available += m->w_avail * DAYS_PER_WEEK;
    t->rep_hours[0] += row[M_REP_HOURS_PROSPECTING];
    t->rep_hours[1] += row[M_REP_HOURS_SELLING];
    t->rep_hours[2] += row[M_REP_HOURS_ADMIN];
    t->rep_hours[3] += row[M_REP_HOURS_OPS];
    t->rep_hours[4] += row[M_REP_HOURS_IDLE];
    t->ops_hours_available += m->w_staff_avail * DAYS_PER_WEEK;
    t->ops_hours_busy += m->staff_busy.area;
    t->ops_hours_idle += m->staff_idle.area;
    t->rep_hours_away += m->w_holiday * DAYS_PER_WEEK;
    t->ops_hours_away += m->w_staff_holiday * DAYS_PER_WEEK;
}

/* The week's money (row holds its other metrics, and the hiring fees of
 * people who started this week): payroll by who pays it, the contracts
 * running, the commission on its bookings, what is left, and the running
 * net values, from reported week 0 on. Assumption: people start and
 * leave at ticks, so a week's payroll is the headcount times a week's
 * cost, the annual cost / 52: a daily rate (annual / 364) times 7 days
 * employed. */
static void flush_money(struct model *m, int w, double *row,
                        int head[2][ROLE_COUNT])
{
    const struct cost_params *c = &m->p->costs;
    int rw = w - m->p->sim.warmup_weeks;
    double pay[2] = {0.0, 0.0};
    for (int k = 0; k < 2; k++)
        for (int role = 0; role < ROLE_COUNT; role++)
            pay[k] +=
                head[k][role] * (staff_role_cost(m, (enum role)role) / 52.0);
    row[M_STAFF_COST] += pay[0];
    row[M_LEVER_COST] += pay[1] + iv_contract_cost(m, rw);
    row[M_COMMISSION] = c->commission_rate * row[M_BOOKINGS];
    double gp = row[M_REVENUE] * c->gross_margin - row[M_COMMISSION] -
                row[M_STAFF_COST] - row[M_LEVER_COST];
    row[M_GROSS_PROFIT] = gp;
    if (rw >= 0) {
        /* Week rw's flows discounted by (1 + r)^(rw / 52): week 0 is the
         * present; at r = 0 the divisor is exactly 1. */
        m->net_value += gp;
        m->net_value_npv += gp / pow(1.0 + c->discount_rate, rw / 52.0);
    }
    row[M_NET_VALUE] = m->net_value;
    row[M_NET_VALUE_NPV] = m->net_value_npv;
}

/* Closes week w of every team (with teams): its rows, from its own
 * counters, integrals and levels, as flush_week does the company's. A
 * team's reps are the employees in its seats, as M_REPS_ACTIVE's. */
static void flush_teams(struct model *m, int w)
{
    int reps[MAX_TEAMS] = {0};
    for (int32_t r = 0; r < m->n_reps; r++)
        reps[m->reps[r].team] +=
            m->reps[r].seat.filled && m->reps[r].seat.contract == NONE;
    for (int t = 0; t < m->n_teams; t++) {
        struct integ *g[] = {&m->t_revenue[t], &m->t_sell_busy[t],
                             &m->t_sell_idle[t], &m->t_ops_busy[t],
                             &m->t_ops_idle[t]};
        for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
            integ_to(g[i], m->t);
        double *row =
            model_raw_group(m->p, m->raw, 1 + t) + (size_t)w * RAW_COUNT;
        memcpy(row, m->tcur[t], sizeof m->tcur[t]);
        row[M_REVENUE] = m->t_revenue[t].area;
        row[M_PIPELINE_COUNT] = m->t_open_opps[t];
        row[M_PIPELINE_VALUE] = m->t_open_value[t];
        row[M_CLIENTS_ACTIVE] = m->t_clients_active[t];
        row[M_REP_HOURS_PROSPECTING] = m->t_w_prosp[t] * DAYS_PER_WEEK;
        row[M_REP_HOURS_ADMIN] = m->t_w_admin[t] * DAYS_PER_WEEK;
        row[M_REP_HOURS_SELLING] = m->t_sell_busy[t].area;
        row[M_REP_HOURS_OPS] = m->t_ops_busy[t].area;
        row[M_REP_HOURS_IDLE] = m->t_sell_idle[t].area + m->t_ops_idle[t].area;
        row[M_REPS_ACTIVE] = reps[t];
        row[M_COMMISSION] = m->p->costs.commission_rate * row[M_BOOKINGS];
        memset(m->tcur[t], 0, sizeof m->tcur[t]);
        for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
            g[i]->area = 0.0;
    }
}

/* Closes week w: flows from this week's counters and integrals, levels as
 * they stand now. Then restarts the counters. */
static void flush_week(struct model *m, int w)
{
    double t = m->t;
    struct integ *g[] = {&m->revenue,    &m->pipeline,     &m->sell_busy,
                         &m->sell_idle,  &m->rep_ops_busy, &m->rep_ops_idle,
                         &m->staff_busy, &m->staff_idle};
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
        integ_to(g[i], t);

    double *row = m->raw + (size_t)w * RAW_COUNT;
    memcpy(row, m->cur, sizeof m->cur);
    row[M_REVENUE] = m->revenue.area;
    row[M_PIPELINE_COUNT] = m->open_opps;
    row[M_PIPELINE_VALUE] = m->open_value;
    row[M_OPS_BACKLOG_HOURS] = ops_backlog_hours(m);
    row[M_OPS_BACKLOG_ITEMS] = m->backlog_items;
    row[M_EXPECTED_DELAY_DAYS] = ops_expected_delay(m);
    row[M_CLIENTS_ACTIVE] = m->clients_active;
    if (m->p->market.accounts > 0) {
        market_release(m);
        assert(m->acct_available + m->open_opps + m->clients_active +
                   market_cooling(m) ==
               m->p->market.accounts);
        row[R_ACCOUNTS_AVAILABLE] = m->acct_available;
        row[R_ACCOUNTS_UNTOUCHED] = m->acct_untouched;
        row[R_ACCOUNTS_COOLING] = market_cooling(m);
    }
    /* Employees by who pays (0: staff, 1: a lever) and role; contractors
     * are their contract's. */
    int head[2][ROLE_COUNT] = {{0}}, ready = 0;
    for (int k = 0; k < ROLE_COUNT; k++)
        for (int32_t i = 0; i < staff_seats(m, (enum role)k); i++) {
            const struct seat *st = staff_seat(m, (enum role)k, i);
            head[st->lever][k] += st->filled && st->contract == NONE;
        }
    for (int32_t s = 0; s < m->n_servers; s++) {
        const struct server *sv = &m->servers[s];
        ready += sv->ready;
        assert(sv->ready == (sv->item == NONE && sv->rate > 0.0));
    }
    assert(ready == m->n_ready);
    (void)ready;
    row[M_REPS_ACTIVE] = head[0][ROLE_SALES] + head[1][ROLE_SALES];
    row[M_OPS_STAFF_ACTIVE] = head[0][ROLE_OPS] + head[1][ROLE_OPS];
    flush_hours(m, row);
    flush_money(m, w, row, head);
    if (m->teams_on)
        flush_teams(m, w);
    /* The last week of a reported quarter (13 weeks, the last one maybe
     * fewer) closes every rep's quota period. */
    int rw = w - m->p->sim.warmup_weeks;
    if (m->quota_on && rw >= 0 &&
        ((rw + 1) % 13 == 0 || w + 1 == m->weeks_total))
        for (int32_t r = 0; r < m->n_reps; r++)
            sales_quota_close(
                m, r, row,
                m->teams_on
                    ? model_raw_group(m->p, m->raw, 1 + m->reps[r].team) +
                          (size_t)w * RAW_COUNT
                    : NULL);
    m->weekly_revenue[w] = row[M_REVENUE];
    m->tot.pipeline_area += m->pipeline.area;

    memset(m->cur, 0, sizeof m->cur);
    for (size_t i = 0; i < sizeof g / sizeof g[0]; i++)
        g[i]->area = 0.0;
}

/* The week's capacity by activity, after this tick's rate changes. */
static void week_rates(struct model *m)
{
    m->w_prosp = m->w_admin = m->w_avail = 0.0;
    m->w_holiday = m->w_staff_holiday = 0.0;
    for (int t = 0; t < m->n_teams; t++)
        m->t_w_prosp[t] = m->t_w_admin[t] = 0.0;
    for (int32_t r = 0; r < m->n_reps; r++) {
        const struct rep *rp = &m->reps[r];
        if (!rp->seat.filled)
            continue;
        double full =
            model_sales(m, rp->team)->role.hours_per_week / DAYS_PER_WEEK;
        m->w_prosp += rp->h_prosp;
        m->w_admin += rp->h_admin;
        m->t_w_prosp[rp->team] += rp->h_prosp;
        m->t_w_admin[rp->team] += rp->h_admin;
        m->w_avail += rp->h_avail + rp->h_extra; /* a catch-up adds hours */
        m->w_holiday += full - rp->h_avail;
    }
    m->w_staff_avail = 0.0;
    double ops_full = m->p->ops.role.hours_per_week / DAYS_PER_WEEK;
    for (int32_t s = 0; s < m->n_servers; s++)
        if (m->servers[s].rep == NONE && m->servers[s].seat.filled) {
            m->w_staff_avail += m->servers[s].clock;
            /* Assumption: a process fix's investment is taken from the
             * week's full hours; the rest, less the clock, is away. */
            m->w_staff_holiday +=
                ops_full * (1.0 - m->ops_invest_share) - m->servers[s].clock;
        }
}

/* on_tick's return when m->stop is set. */
#define STOPPED (-2)

/* The error of a step that returned rc < 0. */
static int model_fail(struct model *m, int rc, struct err *e)
{
    if (rc == STOPPED)
        return err_set(e, ERR_RUNTIME, "interrupted");
    return model_nomem(m, 0, e);
}

static int on_tick(struct model *m, int w)
{
    if (w == m->pause_tick)
        return 2; /* paused just before the tick: see model_checkpoint.c */
    if (m->stop && *m->stop)
        return STOPPED;
    if (w > 0)
        flush_week(m, w - 1);
    if (w == m->weeks_total)
        return 1;
    m->week = w;
    if (w > 0 && sales_calendar_week(m) != 0)
        return -1;
    /* Order matters: the calendar's buyers first (as the week's events
     * would see them), who is employed (departures, hires, contracts),
     * then what support and staff can do this week, then what the market
     * and the interventions make of it, then what every rep does (pulls
     * change reps' rates). */
    if (staff_turnover(m) != 0 || iv_contracts(m) != 0)
        return -1;
    staff_update_support(m);
    iv_process(m);
    if (ops_update_staff(m) != 0 || ops_incident(m) != 0 || iv_on_tick(m) != 0)
        return -1;
    for (int32_t r = 0; r < m->n_reps; r++)
        if (sales_update_rates(m, r) != 0)
            return -1;
    if (m->quota_on && w >= m->p->sim.warmup_weeks)
        sales_quota_week(m);
    week_rates(m);
    if (ops_dispatch(m) != 0)
        return -1;
    if (model_schedule(m, (w + 1) * DAYS_PER_WEEK, EV_TICK, w + 1, 0, 0))
        return -1;
    return 0;
}

/* Whether an event still stands (lazy cancellation), for the trace. */
static int ev_live(const struct model *m, const struct evq_event *ev)
{
    uint32_t id = ev->id;
    switch ((enum ev_kind)ev->kind) {
    case EV_OPP_ARRIVE:
        return ev->gen == m->reps[id].prosp_gen;
    case EV_REP_DONE:
        return ev->gen == m->reps[id].serve_gen;
    case EV_BUYER_DONE:
    case EV_PATIENCE:
        return ev->gen == m->opps[id].gen;
    case EV_OPS_DONE:
        return ev->gen == m->servers[id].gen;
    case EV_TICKET:
    case EV_ANNIVERSARY:
        return ev->gen == m->clients[id].gen;
    case EV_TICK:
    case EV_KIND_COUNT:
        break;
    }
    return 1;
}

MODEL_HOT static int dispatch(struct model *m, const struct evq_event *ev)
{
    int32_t id = (int32_t)ev->id;
    switch ((enum ev_kind)ev->kind) {
    case EV_TICK:
        return on_tick(m, id);
    case EV_OPP_ARRIVE:
        if (ev->gen != m->reps[id].prosp_gen)
            return 0;
        return sales_on_arrive(m, id);
    case EV_REP_DONE:
        if (ev->gen != m->reps[id].serve_gen)
            return 0;
        return sales_on_rep_done(m, id);
    case EV_BUYER_DONE:
        if (ev->gen != m->opps[id].gen)
            return 0;
        return sales_on_buyer_done(m, id);
    case EV_PATIENCE:
        if (ev->gen != m->opps[id].gen)
            return 0;
        return sales_on_patience(m, id);
    case EV_OPS_DONE:
        if (ev->gen != m->servers[id].gen)
            return 0;
        return ops_on_done(m, id);
    case EV_TICKET:
        if (ev->gen != m->clients[id].gen)
            return 0;
        return ops_on_ticket(m, id);
    case EV_ANNIVERSARY:
        if (ev->gen != m->clients[id].gen)
            return 0;
        return ops_on_anniversary(m, id);
    case EV_KIND_COUNT:
        break;
    }
    assert(!"unknown event kind");
    return -1;
}

MODEL_HOT int model_loop(struct model *m, struct err *e)
{
    struct evq_event ev;
    double max_events = m->p->sim.max_events;
    /* The cap as an integer (max_events >= 1): no conversion per event. */
    uint64_t cap = max_events < 0x1p63 ? (uint64_t)max_events : UINT64_MAX;
    while (evq_pop(m->q, &ev) == 0) {
        assert(ev.t >= m->t);
        m->t = ev.t;
        if (++m->tot.events > cap)
            return err_set(e, ERR_RUNTIME,
                           "more than %.0f events in one replication: the "
                           "model runs away (an ops queue growing without "
                           "bound?); raise [simulation] max_events if it "
                           "is meant to be this big",
                           max_events);
        if (m->trace && ev.kind != EV_TICK && ev_live(m, &ev))
            model_tracef(m, ev_names[ev.kind], (int32_t)ev.id, "gen=%u",
                         ev.gen);
        int rc = dispatch(m, &ev);
        if (rc < 0)
            return model_fail(m, rc, e);
        if (rc > 0)
            return rc - 1;
    }
    assert(!"the event list ran dry before the end");
    return -1;
}

int model_resume(struct model *m, int next_pause, struct err *e)
{
    int w = m->pause_tick;
    assert(w >= 0 && m->t == w * DAYS_PER_WEEK && next_pause != w);
    m->pause_tick = next_pause;
    int rc = on_tick(m, w);
    if (rc < 0)
        return model_fail(m, rc, e);
    return rc > 0 ? 0 : model_loop(m, e);
}

int model_start(struct model *m, int scenario, uint64_t replication,
                double *raw, struct err *e)
{
    model_reset(m, scenario, replication, raw);
    if (model_populate(m) != 0 || model_schedule(m, 0.0, EV_TICK, 0, 0, 0))
        return model_nomem(m, 1, e);
    return 0;
}

void model_finish(struct model *m, struct model_totals *tot)
{
    m->tot.opps_open = m->open_opps;
    ops_finish(m);
    if (tot)
        *tot = m->tot;
}

int model_run(struct model *m, int scenario, uint64_t replication, double *raw,
              struct model_totals *tot, struct err *e)
{
    if (model_start(m, scenario, replication, raw, e) != 0 ||
        model_loop(m, e) != 0)
        return -1;
    model_finish(m, tot);
    return 0;
}
