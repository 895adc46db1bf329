/*
 * capacity_clients: the client base in the analytic model (capacity.h):
 * cohorts of clients with the same contract anniversary, renewing with
 * the odds their late items leave them, and the initial base.
 *
 * Invariant: cohorts only lose clients at anniversaries; nothing here
 * draws a random number.
 */
#include "capacity_int.h"

#include <math.h>
#include <stdlib.h>

void cap_cohorts_free(struct cohorts *c)
{
    free(c->n);
    free(c->anniv);
    free(c->exposure);
    free(c->onboarded);
}

int cap_cohorts_add(struct cohorts *c, double n, double anniv, double exposure,
                    int onboarded)
{
    if (c->len == c->cap) {
        size_t cap = c->cap ? 2 * c->cap : 256;
        double *a = realloc(c->n, cap * sizeof *a);
        if (a)
            c->n = a;
        double *b = realloc(c->anniv, cap * sizeof *b);
        if (b)
            c->anniv = b;
        double *d = realloc(c->exposure, cap * sizeof *d);
        if (d)
            c->exposure = d;
        unsigned char *o = realloc(c->onboarded, cap);
        if (o)
            c->onboarded = o;
        if (!a || !b || !d || !o)
            return -1;
        c->cap = cap;
    }
    c->n[c->len] = n;
    c->anniv[c->len] = anniv;
    c->exposure[c->len] = exposure;
    c->onboarded[c->len] = (unsigned char)onboarded;
    c->len++;
    return 0;
}

/* The odds of renewing at an anniversary: renewal_rate, less the late
 * penalty of the term's late items (Poisson tickets, the onboarding in
 * the first term). */
double cap_renew_odds(const struct params *p, double exposure, int onboarded,
                      double late_o, double late_t)
{
    const struct clients_params *k = &p->clients;
    double lp = k->late_penalty, tickets = k->tickets_per_week * exposure;
    /* E[(1 - lp)^L] = exp(-lp mu) for L ~ Poisson(mu). */
    double r = k->renewal_rate * exp(-lp * tickets * late_t);
    return onboarded ? r * (1 - lp * late_o) : r;
}

/* Anniversaries in [t, t + 1): renewals and churn. Returns the churned. */
double cap_cohorts_week(struct cohorts *c, const struct params *p, int t,
                        double late_o, double late_t)
{
    double cw = p->clients.contract_weeks, churned = 0;
    for (size_t i = 0; i < c->len; i++) {
        while (c->anniv[i] < t + 1 && c->n[i] > 0) {
            double r = cap_renew_odds(p, c->exposure[i], c->onboarded[i],
                                      late_o, late_t);
            churned += c->n[i] * (1 - r);
            c->n[i] *= r;
            c->onboarded[i] = 0;
            c->exposure[i] = cw;
            if (cw < 1) { /* many anniversaries a week: at once */
                double k = floor((t + 1 - c->anniv[i]) / cw);
                double rk = pow(r, k);
                churned += c->n[i] * (1 - rk);
                c->n[i] *= rk;
                c->anniv[i] += k * cw;
            }
            c->anniv[i] += cw;
        }
    }
    return churned;
}

/* The initial base: live, its contract ages spread evenly over the
 * contract year (the model's assumption), in groups. */
int cap_initial_clients(struct path *ph)
{
    const struct clients_params *k = &ph->p->clients;
    if (k->initial <= 0)
        return 0;
    double cw = k->contract_weeks;
    int g = (int)fmin(520, fmax(1, ceil(cw)));
    for (int i = 0; i < g; i++) {
        double first = (i + 0.5) * cw / g;
        if (cap_cohorts_add(&ph->co, (double)k->initial / g, first, first, 0))
            return -1;
    }
    return 0;
}
