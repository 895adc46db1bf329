/*
 * config_plan: resolving [plan], the company's target for each reported
 * quarter, in bookings or in revenue.
 *
 * A key is "none" (the default) or a list of amounts separated by
 * commas: one value for every quarter, or one per quarter from the first,
 * the last repeating when the list is shorter than the horizon.
 *
 * Invariant after resolving: with a plan, metric is M_BOOKINGS or
 * M_REVENUE and per_quarter holds n >= 1 finite amounts >= 0, n at most
 * the quarters of the horizon; without one, metric is -1, n is 0 and
 * per_quarter is NULL.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_int.h"
#include "metrics.h"

/* One amount of a list, parsed as any key in $ is (its doc names the
 * unit, which turns on the thousands-separator check). */
static const struct cfgk plan_amount = {
    "", CFGK_DOUBLE, "0", 0, NOMAX, 0, 0, NULL, "an amount, $"};

/* Whether s is one amount written with thousands separators and no
 * blanks ("1,200,000"): read as a list it would be three quarters' plans
 * of $1, $200 and $0. */
static int thousands(const char *s)
{
    size_t lead = strspn(s, "0123456789");
    if (lead < 1 || lead > 3 || s[lead] != ',')
        return 0;
    for (s += lead; *s == ','; s += 4)
        if (strspn(s + 1, "0123456789") != 3)
            return 0;
    return *s == '\0';
}

void cfgk_trimmed(const char *a, const char *b, char *buf, size_t size)
{
    while (a < b && isspace((unsigned char)*a))
        a++;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    size_t n = (size_t)(b - a) < size - 1 ? (size_t)(b - a) : size - 1;
    memcpy(buf, a, n);
    buf[n] = '\0';
}

/* The number of quarters in the horizon, as a clause for messages. */
static void horizon_words(const struct config *cfg, const struct params *p,
                          char *buf, size_t size)
{
    const struct config_entry *hz =
        config_find(cfg, "simulation", "horizon_weeks");
    int h = p->sim.horizon_weeks, nq = (h + 12) / 13;
    snprintf(buf, size, "the horizon has %d weeks%s, which is %d quarter%s", h,
             hz && !strcmp(hz->file, "--set") ? " (set by --set)" : "", nq,
             nq == 1 ? "" : "s");
}

/* Parses en's list into pl->per_quarter. */
static int parse_list(const struct config *cfg, const struct params *p,
                      const struct config_entry *en, struct plan_params *pl,
                      struct err *e)
{
    const char *s = en->value;
    int nq = (p->sim.horizon_weeks + 12) / 13, n = 1;
    if (thousands(s))
        return cfgk_entry_error(e, en,
                                "[plan] %s = %s reads as thousands "
                                "separators; write amounts without them "
                                "(1200000), and separate the quarters' "
                                "values with a comma and a blank "
                                "(1200000, 1300000)",
                                en->key, s);
    for (const char *c = s; *c; c++)
        n += *c == ',';
    if (n > nq) {
        char hz[128];
        horizon_words(cfg, p, hz, sizeof hz);
        return cfgk_entry_error(e, en,
                                "[plan] %s has %d values, but %s; give at "
                                "most %d (a shorter list repeats its last "
                                "value)",
                                en->key, n, hz, nq);
    }
    pl->per_quarter = calloc((size_t)n, sizeof *pl->per_quarter);
    if (!pl->per_quarter)
        return err_oom(e);
    const char *a = s;
    for (int i = 0; i < n; i++) {
        const char *b = strchr(a, ',');
        if (!b)
            b = a + strlen(a);
        char item[200], key[128];
        cfgk_trimmed(a, b, item, sizeof item);
        snprintf(key, sizeof key, "%s (value %d)", en->key, i + 1);
        struct config_entry one = *en;
        one.value = item;
        one.key = n > 1 ? key : en->key;
        if (cfgk_parse_entry(e, &plan_amount, &one, &pl->per_quarter[i]))
            return -1;
        a = *b ? b + 1 : b;
    }
    pl->n = n;
    return 0;
}

int cfgk_resolve_plan(const struct config *cfg, struct params *p, struct err *e)
{
    struct plan_params *pl = &p->plan;
    pl->metric = -1;
    pl->n = 0;
    pl->per_quarter = NULL;
    if (!pl->bookings_per_quarter || !pl->revenue_per_quarter)
        return err_oom(e); /* defaults */
    const struct config_entry *bk =
        config_find(cfg, "plan", "bookings_per_quarter");
    const struct config_entry *rv =
        config_find(cfg, "plan", "revenue_per_quarter");
    int has_b = strcmp(pl->bookings_per_quarter, "none") != 0;
    int has_r = strcmp(pl->revenue_per_quarter, "none") != 0;
    if (has_b && has_r)
        return cfgk_entry_error(e, bk > rv ? bk : rv,
                                "[plan] bookings_per_quarter and "
                                "revenue_per_quarter are both set; a plan "
                                "is one or the other (set the other to "
                                "none)");
    if (!has_b && !has_r)
        return 0;
    pl->metric = has_b ? M_BOOKINGS : M_REVENUE;
    return parse_list(cfg, p, has_b ? bk : rv, pl, e);
}
