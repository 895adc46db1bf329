/*
 * model_ops: the operations backlog, the people who work it, and the
 * clients who feed it.
 *
 * The backlog is two fifo queues (onboarding, tickets) served by a pool of
 * servers: ops staff seats and, while pulled or leaking, reps. A server
 * burns an item's effective hours at its rate (hours per day: clock hours
 * times productivity, times ops_efficiency for reps). Items are never
 * split between servers. When a server's rate drops to zero with an item
 * in hand (a rep goes back to selling, a seat empties), the item returns
 * to the head of its queue with the work left.
 *
 * Clients: a won deal becomes a client whose onboarding enters the
 * backlog; revenue (value / 364 per day) runs from go-live (or signature);
 * live clients raise tickets, a Poisson stream drawn from the client's own
 * key; at each anniversary the client renews with probability
 * renewal_rate * (1 - late_penalty)^(late items this term).
 *
 * Invariant: wait_hours[k] is the sum of hours of queued (not in-hand)
 * items of kind k; backlog_items counts queued and in-hand items.
 */
#include <assert.h>
#include <math.h>

#include <gsl/gsl_randist.h>

#include "model_int.h"
#include "rng.h"

#define NO_CAPACITY_DELAY_DAYS 3650.0

static const struct params *P(const struct model *m)
{
    return m->p;
}

/* The hours a new item needs: its draw, less what a process fix saves
 * (model_iv.c, iv_process). The draw is the same either way. */
static double item_hours(const struct model *m, double drawn)
{
    return m->ops_saving > 0.0 ? drawn * (1.0 - m->ops_saving) : drawn;
}

/* ---- servers ---------------------------------------------------------- */

static int32_t server_new(struct model *m, int32_t rep)
{
    if (MODEL_GROW(m, servers))
        return NONE;
    int32_t s = m->n_servers++;
    m->servers[s] =
        (struct server){.item = NONE,
                        .rep = rep,
                        .last_t = m->t,
                        .until_t = INFINITY,
                        .seat = {.contract = NONE, .productivity = 1.0}};
    return s;
}

int ops_fill_seat(struct model *m, int32_t s, double t, double ramp_weeks)
{
    staff_fill_seat(m, ROLE_OPS, s, t, ramp_weeks);
    TRACE(m, "staff_start", s, "occupant=%u", m->servers[s].seat.occupant);
    return 0;
}

int ops_add_staff(struct model *m, double t, double ramp_weeks)
{
    int32_t s = server_new(m, NONE);
    if (s == NONE)
        return -1;
    return ops_fill_seat(m, s, t, ramp_weeks);
}

int ops_add_contractor(struct model *m, int32_t contract, double ramp_weeks,
                       double productivity)
{
    int32_t s = server_new(m, NONE);
    if (s == NONE)
        return -1;
    struct seat *st = staff_start_seat(m, ROLE_OPS, s, m->t, ramp_weeks);
    st->contract = contract;
    st->productivity = productivity;
    TRACE(m, "contract_start", s, "role=ops productivity=%.3f", productivity);
    return 0;
}

void ops_vacate(struct model *m, int32_t s)
{
    m->servers[s].seat.filled = 0;
    TRACE(m, "staff_leave", s, "occupant=%u", m->servers[s].seat.occupant);
}

/* Keeps sv->ready and m->n_ready in step with sv's item and rate; called
 * after every change to either. */
static void server_sync(struct model *m, struct server *sv)
{
    int ready = sv->item == NONE && sv->rate > 0.0;
    m->n_ready += ready - sv->ready;
    sv->ready = ready;
}

/* Changes server sv's busy (busy 1) or idle clock hours by d: staff's,
 * or a rep's (and, with teams, the rep's team's). Inlined: busy is a
 * constant at every call, and this runs on every ops event. */
static inline __attribute__((always_inline)) void
server_add(struct model *m, const struct server *sv, int busy, double d)
{
    int staff = sv->rep == NONE;
    struct integ *g = staff ? (busy ? &m->staff_busy : &m->staff_idle)
                            : (busy ? &m->rep_ops_busy : &m->rep_ops_idle);
    integ_add(g, m->t, d);
    if (!staff && m->teams_on) {
        struct integ *tg = busy ? m->t_ops_busy : m->t_ops_idle;
        integ_add(&tg[m->reps[sv->rep].team], m->t, d);
    }
}

/* ---- the queues ------------------------------------------------------- */

static struct fifo *queue_of(struct model *m, int kind)
{
    return kind == ITEM_ONBOARDING ? &m->q_onb : &m->q_tkt;
}

MODEL_HOT static void enqueue(struct model *m, int32_t i, int at_head)
{
    struct item *it = &m->items[i];
    struct fifo *q = queue_of(m, it->kind);
    m->wait_hours[it->kind] += it->hours;
    if (at_head) {
        it->next = q->head;
        q->head = i;
        if (q->tail == NONE)
            q->tail = i;
        return;
    }
    it->next = NONE;
    if (q->tail != NONE)
        m->items[q->tail].next = i;
    else
        q->head = i;
    q->tail = i;
}

/* The queue to serve next under the configured discipline, or NULL. */
MODEL_HOT static struct fifo *next_queue(struct model *m)
{
    struct fifo *a = &m->q_onb, *b = &m->q_tkt;
    if (a->head == NONE)
        return b->head == NONE ? NULL : b;
    if (b->head == NONE)
        return a;
    switch (P(m)->ops.queue) {
    case QUEUE_TICKETS_FIRST:
        return b;
    case QUEUE_ONBOARDING_FIRST:
        return a;
    case QUEUE_FIFO:
        break;
    }
    return m->items[a->head].seq < m->items[b->head].seq ? a : b;
}

/* Takes the head of queue q (next_queue's choice, not empty). */
MODEL_HOT static int32_t dequeue(struct model *m, struct fifo *q)
{
    int32_t i = q->head;
    struct item *it = &m->items[i];
    q->head = it->next;
    if (q->head == NONE)
        q->tail = NONE;
    m->wait_hours[it->kind] -= it->hours;
    if (m->q_onb.head == NONE && m->q_tkt.head == NONE)
        m->wait_hours[0] = m->wait_hours[1] = 0.0; /* no rounding drift */
    return i;
}

MODEL_HOT static int32_t item_new(struct model *m, int32_t c, int kind,
                                  double hours)
{
    int32_t i = m->free_item;
    if (i != NONE) {
        m->free_item = m->items[i].next;
    } else {
        if (MODEL_GROW(m, items))
            return NONE;
        i = m->n_items++;
    }
    m->items[i] = (struct item){.client = c,
                                .next = NONE,
                                .kind = (uint8_t)kind,
                                .hours = hours,
                                .arrive_t = m->t,
                                .seq = m->item_seq++};
    m->backlog_items++;
    m->tot.ops_items_arrived += 1.0;
    m->tot.ops_hours_arrived += hours;
    enqueue(m, i, 0);
    return i;
}

/* ---- service ---------------------------------------------------------- */

MODEL_HOT static int start_item(struct model *m, int32_t s, int32_t i)
{
    struct server *sv = &m->servers[s];
    struct item *it = &m->items[i];
    if (!it->started) {
        it->started = 1;
        double wait = m->t - it->arrive_t;
        int onb = it->kind == ITEM_ONBOARDING;
        m->cur[onb ? M_ONBOARDING_WAIT_DAYS : M_TICKET_WAIT_DAYS] += wait;
        m->cur[onb ? D_ONBOARDING_WAIT_DAYS : D_TICKET_WAIT_DAYS] += 1.0;
        if (!onb) {
            m->tot.tickets_started += 1.0;
            m->tot.ticket_wait_sum += wait;
        }
    }
    sv->item = i;
    server_sync(m, sv);
    sv->last_t = m->t;
    server_add(m, sv, 0, -sv->clock);
    server_add(m, sv, 1, sv->clock);
    sv->gen++;
    return model_schedule(m, m->t + it->hours / sv->rate, EV_OPS_DONE, s,
                          sv->gen, 0);
}

/* Offers the next waiting item to server s, free and able: 0 when it
 * took it or may not (a rep who could not finish it in time), 1 when
 * nothing waits, -1 on error. */
MODEL_HOT static int offer(struct model *m, int32_t s)
{
    struct server *sv = &m->servers[s];
    struct fifo *q = next_queue(m);
    if (!q)
        return 1;
    /* Assumption: a rep in ops does not start an item it cannot finish
     * before going back to sales (the end of the pull, or of the leak);
     * otherwise a rep leaking a few ops hours a week would sit on a whole
     * onboarding for months. Staff have no end (and skip the division). */
    if (sv->until_t < INFINITY &&
        m->t + m->items[q->head].hours / sv->rate > sv->until_t)
        return 0;
    return start_item(m, s, dequeue(m, q)) != 0 ? -1 : 0;
}

MODEL_HOT int ops_dispatch(struct model *m)
{
    /* Most calls find every server busy or nothing waiting: the scan
     * below would start nothing. */
    if (m->n_ready == 0 || (m->q_onb.head == NONE && m->q_tkt.head == NONE))
        return 0;
    for (int32_t s = 0; s < m->n_servers && m->n_ready > 0; s++) {
        if (!m->servers[s].ready)
            continue;
        int rc = offer(m, s);
        if (rc != 0)
            return rc > 0 ? 0 : -1;
    }
    return 0;
}

/* Takes the item out of a server's hands, back to the head of its queue. */
static void preempt(struct model *m, int32_t s)
{
    struct server *sv = &m->servers[s];
    int32_t i = sv->item;
    sv->item = NONE;
    server_sync(m, sv);
    server_add(m, sv, 1, -sv->clock);
    server_add(m, sv, 0, sv->clock);
    m->tot.ops_items_returned += 1.0;
    enqueue(m, i, 1);
    TRACE(m, "ops_preempt", s, "item=%d hours_left=%.3f", i, m->items[i].hours);
}

/* Server s works at rate effective and clock hours per day from now:
 * the work done at the old rate is booked, the item in hand rescheduled,
 * or put back at the head of its queue when the rate falls to 0. */
static int ops_set_server(struct model *m, int32_t s, double rate, double clock)
{
    struct server *sv = &m->servers[s];
    double dclock = clock - sv->clock;
    if (sv->item != NONE) {
        struct item *it = &m->items[sv->item];
        double left = fmax(0.0, it->hours - sv->rate * (m->t - sv->last_t));
        m->tot.ops_hours_done += it->hours - left;
        it->hours = left;
        server_add(m, sv, 1, dclock);
    } else {
        server_add(m, sv, 0, dclock);
    }
    sv->last_t = m->t;
    sv->clock = clock;
    if (rate == sv->rate)
        return 0;
    sv->rate = rate;
    server_sync(m, sv);
    sv->gen++;
    if (sv->item == NONE)
        return 0;
    if (!(rate > 0.0)) {
        preempt(m, s);
        return 0;
    }
    return model_schedule(m, m->t + m->items[sv->item].hours / rate,
                          EV_OPS_DONE, s, sv->gen, 0);
}

int ops_set_rep_hours(struct model *m, int32_t r, double rate, double clock,
                      double until_t)
{
    if (m->reps[r].server == NONE) {
        int32_t s = server_new(m, r);
        if (s == NONE)
            return -1;
        m->reps[r].server = s;
    }
    int32_t s = m->reps[r].server;
    m->servers[s].until_t = until_t;
    return ops_set_server(m, s, rate, clock);
}

int ops_update_staff(struct model *m)
{
    const struct calendar_week *cw = model_calendar(m);
    double hpd = P(m)->ops.role.hours_per_week / DAYS_PER_WEEK;
    if (cw)
        hpd *= cw->ops_hours; /* a holiday week */
    for (int32_t s = 0; s < m->n_servers; s++) {
        struct server *sv = &m->servers[s];
        if (sv->rep != NONE)
            continue;
        double clock = sv->seat.filled ? hpd : 0.0;
        /* a process fix's investment takes its share of the week */
        if (m->ops_invest_share > 0.0)
            clock *= 1.0 - m->ops_invest_share;
        if (P(m)->ops.vacation_days > 0.0)
            clock *= 1.0 - staff_vacation(m, ROLE_OPS, s);
        double prod = model_ramp(m->t, sv->seat.start_t, sv->seat.ramp_weeks,
                                 sv->seat.ramp_start);
        /* productivity is 1 but for contractors (x * 1 is x, bit for bit) */
        double rate = clock * prod * sv->seat.productivity;
        if (ops_set_server(m, s, rate, clock) != 0)
            return -1;
    }
    return 0;
}

static int go_live(struct model *m, int32_t c);

/* A late item of client cl, of weight at renewal w (1; a broken
 * promise's weight). Returns 0, or -1 (out of memory). */
static int count_late(struct model *m, struct client *cl, double w)
{
    m->cur[M_LATE_ITEMS] += 1.0;
    if (!m->expectations_on) {
        cl->late += w;
        return 0;
    }
    /* The rep who sold the client resets expectations instead: the late
     * item weighs less at renewal, at the cost of the rep's time. */
    cl->late += w * (1.0 - m->forgive);
    if (cl->owner != NONE && m->reps[cl->owner].seat.filled &&
        m->reset_hours > 0.0)
        return sales_add_task(m, cl->owner, m->reset_hours);
    return 0;
}

MODEL_HOT int ops_on_done(struct model *m, int32_t s)
{
    struct server *sv = &m->servers[s];
    int32_t i = sv->item;
    struct item *it = &m->items[i];
    const struct ops_params *o = &P(m)->ops;
    int onb = it->kind == ITEM_ONBOARDING;
    double days = m->t - it->arrive_t;
    int32_t c = it->client;
    m->cur[onb ? M_ONBOARDING_DAYS : M_TICKET_DAYS] += days;
    m->cur[onb ? D_ONBOARDING_DAYS : D_TICKET_DAYS] += 1.0;
    sv->item = NONE;
    server_sync(m, sv);
    server_add(m, sv, 1, -sv->clock);
    server_add(m, sv, 0, sv->clock);
    it->next = m->free_item;
    m->free_item = i;
    m->backlog_items--;
    m->tot.ops_items_done += 1.0;
    m->tot.ops_hours_done += it->hours; /* what was left at last_t */
    TRACE(m, onb ? "onboarded" : "ticket_done", c, "days=%.3f server=%d", days,
          s);
    struct client *cl = &m->clients[c];
    if (cl->state != CL_CHURNED) {
        /* Assumption: an item is late when it is finished late (MODEL.md);
         * one still waiting counts against nobody (docs/model.md, 17). */
        double due = onb ? o->onboarding_sla_days : o->ticket_sla_days;
        double weight = 1.0;
        if (onb && cl->promise_days > 0.0) {
            /* a promised date (model_iv.c, promise) */
            due = cl->promise_days;
            weight = cl->promise_weight;
        }
        if (days > due && count_late(m, cl, weight) != 0)
            return -1;
        if (onb && go_live(m, c) != 0)
            return -1;
    }
    return ops_dispatch(m);
}

/* ---- clients ---------------------------------------------------------- */

static void start_paying(struct model *m, struct client *cl)
{
    cl->paying = 1;
    m->arr_live += cl->value;
    team_integ_add(m, &m->revenue, m->t_revenue, cl->team,
                   cl->value / (52.0 * DAYS_PER_WEEK));
}

static void stop_paying(struct model *m, struct client *cl)
{
    if (!cl->paying)
        return;
    cl->paying = 0;
    m->arr_live -= cl->value;
    team_integ_add(m, &m->revenue, m->t_revenue, cl->team,
                   -cl->value / (52.0 * DAYS_PER_WEEK));
}

MODEL_HOT static int schedule_ticket(struct model *m, int32_t c, double gap)
{
    return model_schedule(m, m->t + gap, EV_TICKET, c, m->clients[c].gen, 0);
}

MODEL_HOT static double ticket_gap(struct model *m)
{
    return rng_exponential(m->rng,
                           DAYS_PER_WEEK / P(m)->clients.tickets_per_week);
}

MODEL_HOT static int start_term(struct model *m, int32_t c, double term_start)
{
    struct client *cl = &m->clients[c];
    cl->term_start = term_start;
    double when = term_start + P(m)->clients.contract_weeks * DAYS_PER_WEEK;
    return model_schedule(m, when, EV_ANNIVERSARY, c, cl->gen, 0);
}

MODEL_HOT static int go_live(struct model *m, int32_t c)
{
    struct client *cl = &m->clients[c];
    cl->state = CL_LIVE;
    if (!cl->paying) {
        start_paying(m, cl);
        if (start_term(m, c, m->t) != 0)
            return -1;
    }
    if (!(P(m)->clients.tickets_per_week > 0.0))
        return 0;
    rng_reseed(m->rng, rng_key(cl->ticket_key, 0));
    return schedule_ticket(m, c, ticket_gap(m));
}

MODEL_HOT int ops_new_client(struct model *m, int32_t owner, uint64_t key,
                             double value, int live, double term_start)
{
    if (MODEL_GROW(m, clients))
        return -1;
    int32_t c = m->n_clients++;
    struct client *cl = &m->clients[c];
    *cl = (struct client){.owner = owner,
                          .team = owner != NONE ? m->reps[owner].team : 0,
                          .key = key,
                          .value = value,
                          .ticket_key = rng_key(key, S_TICKET),
                          .state = CL_ONBOARDING,
                          .promise_days = m->promise_days,
                          .promise_weight = m->promise_weight};
    m->clients_active++;
    if (m->teams_on)
        m->t_clients_active[cl->team]++;
    if (live) {
        start_paying(m, cl);
        if (start_term(m, c, term_start) != 0)
            return -1;
        return go_live(m, c);
    }
    if (P(m)->clients.revenue_start == REVENUE_AT_SIGNATURE) {
        start_paying(m, cl);
        if (start_term(m, c, term_start) != 0)
            return -1;
    }
    rng_reseed(m->rng, rng_key(key, S_ONBOARD));
    double hours =
        item_hours(m, model_draw(&P(m)->ops.onboarding_hours, m->rng));
    if (item_new(m, c, ITEM_ONBOARDING, hours) == NONE)
        return -1;
    TRACE(m, "onboarding", c, "hours=%.3f value=%.2f", hours, value);
    return ops_dispatch(m);
}

MODEL_HOT int ops_on_ticket(struct model *m, int32_t c)
{
    struct client *cl = &m->clients[c];
    assert(cl->state == CL_LIVE);
    cl->tickets++;
    rng_reseed(m->rng, rng_key(cl->ticket_key, cl->tickets));
    double hours = item_hours(m, model_draw(&P(m)->ops.ticket_hours, m->rng));
    double gap = ticket_gap(m);
    if (item_new(m, c, ITEM_TICKET, hours) == NONE)
        return -1;
    if (schedule_ticket(m, c, gap) != 0)
        return -1;
    return ops_dispatch(m);
}

MODEL_HOT int ops_on_anniversary(struct model *m, int32_t c)
{
    struct client *cl = &m->clients[c];
    const struct clients_params *k = &P(m)->clients;
    rng_reseed(m->rng, rng_key(rng_key(cl->key, S_RENEW), cl->term));
    cl->term++;
    double p = k->renewal_rate * pow(1.0 - k->late_penalty, cl->late);
    if (rng_uniform(m->rng) < p) {
        TRACE(m, "renewed", c, "late=%.2f p=%.4f", cl->late, p);
        cl->late = 0.0;
        return start_term(m, c,
                          cl->term_start + k->contract_weeks * DAYS_PER_WEEK);
    }
    TRACE(m, "churned", c, "late=%.2f p=%.4f", cl->late, p);
    stop_paying(m, cl);
    cl->state = CL_CHURNED;
    cl->gen++;
    m->clients_active--;
    m->cur[M_CLIENTS_CHURNED] += 1.0;
    if (m->teams_on) {
        m->t_clients_active[cl->team]--;
        m->tcur[cl->team][M_CLIENTS_CHURNED] += 1.0;
    }
    /* Assumption (docs/model.md, "A finite market"): a client that
     * leaves has just said no, like a lost deal: it cools first. */
    return P(m)->market.accounts > 0 ? market_cool(m, c) : 0;
}

/* ---- the starting backlog ([start]) ---------------------------------- */

/* Puts item i, alone in its queue, in the hands of staff seat s at time
 * 0 with the share `left` of its work still to do. The seat's rate is 0
 * until tick 0, which schedules the item's end (ops_set_server); the
 * work done before time 0 is not the model's, so it leaves the hours
 * that arrived. */
static void start_in_hand(struct model *m, int32_t s, int32_t i, double left)
{
    struct item *it = &m->items[i];
    struct server *sv = &m->servers[s];
    assert(queue_of(m, it->kind)->head == i && sv->item == NONE &&
           sv->rep == NONE && !(sv->rate > 0.0));
    dequeue(m, queue_of(m, it->kind));
    m->tot.ops_hours_arrived -= it->hours * (1.0 - left);
    it->hours *= left;
    it->started = 1; /* it waited before time 0: no wait is measured */
    sv->item = i;
    sv->last_t = m->t;
    server_sync(m, sv);
}

/* Onboarding j: a client won before time 0 (value from the deal value,
 * owner seat j mod reps), its onboarding drawn as any other's, from its
 * key (S_START, 1, j). */
static int start_onboarding(struct model *m, uint64_t j, int32_t seat)
{
    int reps = m->n_reps;
    uint64_t key = model_key2(m, S_START, 1, j);
    rng_reseed(m->rng, key);
    int32_t owner = reps > 0 ? (int32_t)(j % (uint64_t)reps) : NONE;
    int team = owner != NONE ? m->reps[owner].team : 0;
    double value = model_draw(&model_sales(m, team)->deal_value, m->rng);
    double left = rng_uniform(m->rng);
    if (ops_new_client(m, owner, key, value, 0, m->t) != 0)
        return -1;
    if (seat != NONE)
        start_in_hand(m, seat, m->q_onb.tail, left);
    return 0;
}

/* Ticket j, of an initial client drawn at random, from (S_START, 2, j). */
static int start_ticket(struct model *m, uint64_t j, int32_t seat)
{
    const struct params *p = P(m);
    rng_reseed(m->rng, model_key2(m, S_START, 2, j));
    int32_t c = (int32_t)(rng_uniform(m->rng) * p->clients.initial);
    double hours = model_draw(&p->ops.ticket_hours, m->rng);
    double left = rng_uniform(m->rng);
    assert(c < m->n_clients && m->clients[c].state == CL_LIVE);
    int32_t i = item_new(m, c, ITEM_TICKET, hours);
    if (i == NONE)
        return -1;
    if (seat != NONE)
        start_in_hand(m, seat, i, left);
    return 0;
}

int ops_start(struct model *m)
{
    const struct start_params *st = &P(m)->start;
    uint64_t onb = 0, tkt = 0;
    int32_t seat = 0; /* staff seats are servers 0 .. staff - 1 here */
    /* Assumption: an item in hand has a uniform share of its drawn work
     * left (met at a random point of its service). */
    for (int k = 0; k < st->onboardings_in_progress; k++)
        if (start_onboarding(m, onb++, seat++) != 0)
            return -1;
    for (int k = 0; k < st->tickets_in_progress; k++)
        if (start_ticket(m, tkt++, seat++) != 0)
            return -1;
    for (int k = 0; k < st->onboardings_waiting; k++)
        if (start_onboarding(m, onb++, NONE) != 0)
            return -1;
    for (int k = 0; k < st->tickets_waiting; k++)
        if (start_ticket(m, tkt++, NONE) != 0)
            return -1;
    return 0;
}

/* ---- backlog measures ------------------------------------------------- */

double ops_backlog_hours(const struct model *m)
{
    double h = m->wait_hours[0] + m->wait_hours[1];
    for (int32_t s = 0; s < m->n_servers; s++) {
        const struct server *sv = &m->servers[s];
        if (sv->item != NONE)
            h += fmax(0.0, m->items[sv->item].hours -
                               sv->rate * (m->t - sv->last_t));
    }
    return h;
}

void ops_finish(struct model *m)
{
    for (int32_t s = 0; s < m->n_servers; s++) {
        const struct server *sv = &m->servers[s];
        if (sv->item == NONE)
            continue;
        double h = m->items[sv->item].hours;
        m->tot.ops_hours_done +=
            h - fmax(0.0, h - sv->rate * (m->t - sv->last_t));
    }
}

double ops_expected_delay(const struct model *m)
{
    /* Assumption: the market reads the backlog as a queue the new client
     * joins: hours ahead of it (all of them under fifo and tickets_first,
     * onboarding only under onboarding_first) shared by the whole ops
     * capacity, plus its own onboarding at one server's pace. */
    double cap = 0.0;
    for (int32_t s = 0; s < m->n_servers; s++)
        cap += m->servers[s].rate > 0.0 ? m->servers[s].rate : 0.0;
    if (!(cap > 0.0))
        return NO_CAPACITY_DELAY_DAYS;
    double ahead = ops_backlog_hours(m);
    if (P(m)->ops.queue == QUEUE_ONBOARDING_FIRST)
        ahead -= m->wait_hours[ITEM_TICKET];
    /* Its own onboarding at a full-time ops person's pace: slow rep
     * servers must not make the market read a longer delay. */
    double own = item_hours(m, dist_mean(&P(m)->ops.onboarding_hours)) /
                 (P(m)->ops.role.hours_per_week / DAYS_PER_WEEK);
    return fmin(NO_CAPACITY_DELAY_DAYS, ahead / cap + own);
}

/* The incident of [operations]: incident_tickets tickets at once, each
 * from a live client picked at random, drawn from stream (S_INCIDENT, j)
 * so the baseline and every scenario meet the same incident. */
int ops_incident(struct model *m)
{
    const struct ops_params *o = &P(m)->ops;
    if (o->incident_tickets <= 0 ||
        m->week != P(m)->sim.warmup_weeks + o->incident_week ||
        m->n_clients == 0)
        return 0;
    TRACE(m, "incident", o->incident_tickets, "%s", "");
    for (int j = 0; j < o->incident_tickets; j++) {
        uint64_t key = model_key(m, S_INCIDENT, j);
        rng_reseed(m->rng, key);
        int32_t c = (int32_t)(gsl_rng_uniform(m->rng) * m->n_clients);
        int32_t k = 0;
        while (k < m->n_clients && m->clients[c].state != CL_LIVE) {
            c = (c + 1) % m->n_clients;
            k++;
        }
        if (k == m->n_clients)
            return 0; /* nobody live to raise a ticket */
        double hours = item_hours(m, dist_sample(&o->ticket_hours, m->rng));
        if (item_new(m, c, ITEM_TICKET, hours) == NONE)
            return -1;
    }
    return ops_dispatch(m);
}
