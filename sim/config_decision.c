/*
 * config_decision: resolving [decision], the metric and quarters on which
 * the options of a file (the baseline and every scenario) are ranked.
 *
 * Invariant after resolving: metric_id is a flow or level metric of
 * metrics.h; q0 <= q1 are 0-based quarters that begin
 * inside the horizon (the last one may be short, as quarterly.csv's).
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "config_int.h"
#include "metrics.h"

/* The metrics a decision can rank on, comma-separated, into buf. */
static void decision_choices(char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (int m = 0; m < M_COUNT && n < size; m++)
        if (metric_table[m].kind != METRIC_RATIO)
            n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? ", " : "",
                                  metric_table[m].name);
}

static int resolve_metric(const struct config *cfg, struct decision_params *d,
                          struct err *e)
{
    const struct config_entry *en = config_find(cfg, "decision", "metric");
    char choices[1024];
    d->metric_id = metric_find(d->metric);
    if (d->metric_id >= 0 && metric_table[d->metric_id].kind != METRIC_RATIO)
        return 0;
    assert(en && "a default metric outside the choices");
    decision_choices(choices, sizeof choices);
    if (d->metric_id >= 0)
        return cfgk_entry_error(e, en,
                                "[decision] metric = %s is a ratio, which "
                                "has no total over quarters; choose a flow "
                                "or a level: %s",
                                d->metric, choices);
    const char *cand[M_COUNT];
    for (int m = 0; m < M_COUNT; m++)
        cand[m] = metric_table[m].name;
    const char *hint = text_suggest(d->metric, cand, M_COUNT);
    if (hint)
        return cfgk_entry_error(e, en,
                                "[decision] metric: unknown metric '%s'; did "
                                "you mean '%s'? (choices: %s)",
                                d->metric, hint, choices);
    return cfgk_entry_error(e, en,
                            "[decision] metric: unknown metric '%s'; "
                            "choices: %s",
                            d->metric, choices);
}

/* A whole number 1..10000 from s[0, n). */
static int quarter_number(const char *s, size_t n, int *out)
{
    if (n == 0 || n > 5)
        return -1;
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = 10 * v + (s[i] - '0');
    }
    *out = v;
    return 0;
}

static int resolve_quarters(const struct config *cfg, const struct params *p,
                            struct decision_params *d, struct err *e)
{
    const struct config_entry *en = config_find(cfg, "decision", "quarters");
    const char *s = d->quarters, *dash = strchr(s, '-');
    int h = p->sim.horizon_weeks, nq = (h + 12) / 13, a, b;
    if (!strcasecmp(s, "all")) {
        d->q0 = 0;
        d->q1 = nq - 1;
        return 0;
    }
    assert(en && "a default quarters other than all");
    if (!dash && quarter_number(s, strlen(s), &a) == 0)
        return cfgk_entry_error(e, en,
                                "[decision] quarters = %s: write 1-%d for the "
                                "first %d quarter%s, or %d-%d for quarter %d "
                                "alone",
                                s, a, a, a == 1 ? "" : "s", a, a, a);
    if (!dash || quarter_number(s, (size_t)(dash - s), &a) ||
        quarter_number(dash + 1, strlen(dash + 1), &b))
        return cfgk_entry_error(e, en,
                                "[decision] quarters: expected all or a "
                                "range of quarters A-B (1-6), got '%s'",
                                s);
    if (a < 1 || b < a)
        return cfgk_entry_error(e, en,
                                "[decision] quarters = %s: quarters are "
                                "numbered from 1, the first no later than "
                                "the last",
                                s);
    if (b > nq) {
        const struct config_entry *hz =
            config_find(cfg, "simulation", "horizon_weeks");
        return cfgk_entry_error(
            e, en,
            "[decision] quarters = %s: the horizon has "
            "%d weeks%s, which is %d quarter%s",
            s, h, hz && !strcmp(hz->file, "--set") ? " (set by --set)" : "", nq,
            nq == 1 ? "" : "s");
    }
    d->q0 = a - 1;
    d->q1 = b - 1;
    return 0;
}

int cfgk_resolve_decision(const struct config *cfg, struct params *p,
                          struct err *e)
{
    if (!p->decision.metric || !p->decision.quarters)
        return err_oom(e); /* defaults */
    if (resolve_metric(cfg, &p->decision, e) != 0)
        return -1;
    return resolve_quarters(cfg, p, &p->decision, e);
}
