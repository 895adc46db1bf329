/*
 * model_market: the finite market of [market] accounts (docs/model.md,
 * "A finite market"). Every account is in exactly one place: available
 * (free to approach), in the pipeline (an open deal), a client (under
 * contract, onboarding or live) or cooling (its deal was lost or went
 * cold, or it churned, less than cooling_days ago). Accounts have no
 * identity beyond these counts: the model is exchangeable, so a count
 * says all a draw needs.
 *
 * An approach is what prospecting finds when the market is unlimited:
 * the k-th approach of seat r comes when its prospecting need is met,
 * as before, and finds an available account with probability available
 * / accounts, decided by a uniform from its own stream (S_MARKET, r, k).
 * So creation runs at the unlimited rate times the share available,
 * exactly at every instant (thinning), and an approach meets the same
 * deal, (S_OPP, r, k), in the baseline and every scenario: a scenario
 * that prospects later meets the same approaches, but against another
 * market.
 *
 * Cooling accounts wait in m->cooling, their return times in order (the
 * same cooling_days for all, so the order of cooling is the order of
 * return); they come back lazily, when an approach or a tick looks: the
 * count available at any instant is the same as if each came back at its
 * exact time, and no event is scheduled.
 *
 * Invariant: acct_available + open_opps + clients_active +
 * market_cooling(m) == [market] accounts; acct_untouched <=
 * acct_available.
 */
#include <assert.h>
#include <string.h>

#include "model_int.h"

/* Compact the cooling queue when this many returned entries lead it
 * and they are at least half of it: amortised O(1) per account. */
#define COOL_COMPACT 256

void market_start(struct model *m)
{
    int32_t n = m->p->market.accounts;
    assert(n > 0);
    m->acct_available = n - m->open_opps - m->clients_active;
    assert(m->acct_available >= 0 && "config_resolve checks the start");
    m->acct_untouched = m->acct_available;
    m->cool_head = 0;
}

void market_release(struct model *m)
{
    while (m->cool_head < m->n_cooling && m->cooling[m->cool_head] <= m->t) {
        TRACE(m, "account_back", NONE, "due=%.6f", m->cooling[m->cool_head]);
        m->cool_head++;
        m->acct_available++;
    }
    if (m->cool_head == m->n_cooling) {
        m->cool_head = m->n_cooling = 0;
    } else if (m->cool_head >= COOL_COMPACT &&
               2 * m->cool_head >= m->n_cooling) {
        m->n_cooling -= m->cool_head;
        memmove(m->cooling, m->cooling + m->cool_head,
                (size_t)m->n_cooling * sizeof *m->cooling);
        m->cool_head = 0;
    }
}

int market_approach(struct model *m, int32_t r, uint64_t k)
{
    double n = m->p->market.accounts;
    market_release(m);
    rng_reseed(m->rng, model_key2(m, S_MARKET, (uint64_t)r, k));
    double u = rng_uniform(m->rng) * n;
    int hit = u < m->acct_available;
    TRACE(m, "approach", r,
          "k=%llu hit=%d available=%d untouched=%d "
          "cooling=%d",
          (unsigned long long)k, hit, m->acct_available, m->acct_untouched,
          market_cooling(m));
    if (!hit)
        return 0;
    /* Given a hit, u is uniform over [0, available): the account is an
     * untouched one with probability untouched / available. */
    if (u < m->acct_untouched)
        m->acct_untouched--;
    m->acct_available--;
    return 1;
}

int market_cool(struct model *m, int32_t id)
{
    double days = m->p->market.cooling_days;
    if (!(days > 0.0)) {
        m->acct_available++;
        return 0;
    }
    if (MODEL_GROW(m, cooling))
        return -1;
    m->cooling[m->n_cooling++] = m->t + days;
    TRACE(m, "cooling", id, "until=%.6f", m->t + days);
    return 0;
}
