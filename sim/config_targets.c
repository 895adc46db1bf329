/*
 * config_targets: the identities that [targets] must satisfy together,
 * checked before any simulation, so that a target no model can reach is
 * refused with the identity it breaks instead of costing a calibration.
 *
 * Each target is taken as the interval value +- tolerance; a set of
 * targets contradicts an identity only when no values inside all their
 * intervals satisfy it, so a consultant's tolerances are the slack.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "config_int.h"

/* A target's interval [lo, hi], and where it was written. */
struct span {
    int set;
    double value, lo, hi;
    const struct config_entry *en;
};

static struct span span_of(const struct config *cfg, const struct params *p,
                           enum kpi k)
{
    const struct target *t = &p->targets.kpi[k];
    struct span s = {t->set, t->value, t->value - t->tol, t->value + t->tol,
                     NULL};
    if (s.lo < 0)
        s.lo = 0;
    if (t->set)
        s.en = config_find(cfg, "targets", kpi_table[k].name);
    return s;
}

/* "NAME = V (FILE:LINE)" of a target, for a message. */
static void cite(char *buf, size_t size, enum kpi k, const struct span *s)
{
    char at[300] = "--set";
    if (s->en && s->en->line > 0)
        snprintf(at, sizeof at, "%s:%d", s->en->file, s->en->line);
    snprintf(buf, size, "%s = %.10g (%s)", kpi_table[k].name, s->value, at);
}

/* Little's law for the sales pipeline: open opportunities per rep = new
 * opportunities per rep-week x mean weeks in the pipeline, and a deal
 * spends between win_rate x won_cycle_days (the won deals' share of it:
 * a deal that is not won costs at least nothing) and won_cycle_days (one
 * that is not won leaves at the stage where it fails, no later on average
 * than a won one) in the pipeline. Without win_rate the lower bound is
 * 0. */
static int little(const struct config *cfg, const struct params *p,
                  struct err *e)
{
    struct span open = span_of(cfg, p, KPI_OPEN_OPPORTUNITIES_PER_REP);
    struct span rate = span_of(cfg, p, KPI_OPPORTUNITIES_PER_REP_WEEK);
    struct span cyc = span_of(cfg, p, KPI_WON_CYCLE_DAYS);
    struct span win = span_of(cfg, p, KPI_WIN_RATE);
    if (!open.set || !rate.set || !cyc.set)
        return 0;
    double lo = win.set ? rate.lo * win.lo * cyc.lo / 7.0 : 0.0;
    double hi = rate.hi * cyc.hi / 7.0;
    if (open.hi >= lo && open.lo <= hi)
        return 0;
    char a[400], b[400], c[400];
    cite(a, sizeof a, KPI_OPPORTUNITIES_PER_REP_WEEK, &rate);
    cite(b, sizeof b, KPI_WON_CYCLE_DAYS, &cyc);
    cite(c, sizeof c, KPI_WIN_RATE, &win);
    return cfgk_entry_error(
        e, open.en,
        "[targets] open_opportunities_per_rep = %.10g contradicts Little's "
        "law (open = new per week x weeks in the pipeline): with %s, %s%s%s, "
        "a deal spends %s won_cycle_days in the pipeline, so a rep holds "
        "%.3g to %.3g open opportunities, tolerances included; change a "
        "target or widen its tolerance",
        open.value, a, b, win.set ? " and " : "", win.set ? c : "",
        win.set ? "between win_rate x won_cycle_days and" : "at most", lo, hi);
}

/* A client goes live after its onboarding has started: onboarding_days
 * (signature to go-live) >= onboarding_wait_days (signature to start). */
static int onboarding_order(const struct config *cfg, const struct params *p,
                            struct err *e)
{
    struct span all = span_of(cfg, p, KPI_ONBOARDING_DAYS);
    struct span wait = span_of(cfg, p, KPI_ONBOARDING_WAIT_DAYS);
    if (!all.set || !wait.set || all.hi >= wait.lo)
        return 0;
    char a[400];
    cite(a, sizeof a, KPI_ONBOARDING_WAIT_DAYS, &wait);
    return cfgk_entry_error(
        e, all.en,
        "[targets] onboarding_days = %.10g contradicts %s: a client goes "
        "live after its onboarding starts, so onboarding_days (signature "
        "to go-live) is at least onboarding_wait_days (signature to the "
        "start of work), tolerances included",
        all.value, a);
}

int cfgk_check_targets(const struct config *cfg, const struct params *p,
                       struct err *e)
{
    if (little(cfg, p, e) != 0)
        return -1;
    return onboarding_order(cfg, p, e);
}
