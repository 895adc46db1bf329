/*
 * config_calendar: resolving [calendar], the year's rhythm, into one row
 * per tick of warm-up and horizon (struct calendar_week).
 *
 * Week w of the run (a tick, warm-up included) is dated by its first day,
 * start_date + 7 (w - warmup_weeks); its row takes the month of that day
 * (the multipliers by month), whether it is one of the last
 * quarter_end_weeks weeks of a calendar quarter (its first day lies in
 * the quarter's last 7 quarter_end_weeks days), and whether it is a
 * holiday: its first day lies in a listed week of the year (ISO 8601
 * numbering: weeks start on Monday, week 1 holds the year's first
 * Thursday), or one of its seven days is a listed date.
 *
 * Invariant after resolving: week is NULL when every row would be all 1
 * (a flat calendar: none, or keys that change nothing), so the model
 * runs exactly as it does without a calendar; otherwise it holds n_weeks
 * = warmup_weeks + horizon_weeks rows, every multiplier finite and >= 0,
 * the hours' shares in [0, 1], and the run has a start date.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "config.h"
#include "config_int.h"

#define MONTHS       12
#define HOLIDAYS_MAX 1000

/* One multiplier of a month list, parsed as any number key is. */
static const struct cfgk month_value = {
    "", CFGK_DOUBLE, "1", 0, NOMAX, 0, 0, NULL, "a multiplier"};

static const char *const month_names[MONTHS] = {
    "January", "February", "March",     "April",   "May",      "June",
    "July",    "August",   "September", "October", "November", "December"};

/* Where [calendar] key was set, for messages: its winning entry (a
 * value other than the default was set there). */
static const struct config_entry *entry_of(const struct config *cfg,
                                           const char *key)
{
    static const struct config_entry none = {.file = "[calendar]"};
    const struct config_entry *en = config_find(cfg, "calendar", key);
    return en ? en : &none;
}

/* Parses a month list (key of [calendar]) into v[12]; "none": all 1.
 * Returns 0, 1 when it is not flat (some value is not 1), or -1. */
static int parse_months(const struct config *cfg, const char *key,
                        const char *s, double v[MONTHS], struct err *e)
{
    for (int i = 0; i < MONTHS; i++)
        v[i] = 1.0;
    if (!strcmp(s, "none"))
        return 0;
    const struct config_entry *en = entry_of(cfg, key);
    int n = 1;
    for (const char *c = s; *c; c++)
        n += *c == ',';
    if (n != MONTHS)
        return cfgk_entry_error(e, en,
                                "[calendar] %s has %d value%s; give twelve "
                                "multipliers, January first (1 leaves a "
                                "month as it is), or none",
                                key, n, n == 1 ? "" : "s");
    const char *a = s;
    int flat = 1;
    for (int i = 0; i < MONTHS; i++) {
        const char *b = strchr(a, ',');
        if (!b)
            b = a + strlen(a);
        char item[200], name[128];
        cfgk_trimmed(a, b, item, sizeof item);
        snprintf(name, sizeof name, "%s (%s)", key, month_names[i]);
        struct config_entry one = *en;
        one.value = item;
        one.key = name;
        if (cfgk_parse_entry(e, &month_value, &one, &v[i]))
            return -1;
        flat &= v[i] == 1.0;
        a = *b ? b + 1 : b;
    }
    return !flat;
}

/* A list of holidays: weeks of the year (1-53) and days (days since
 * 1970-01-01), as written. */
struct holidays {
    int n_weeks, n_days;
    int weeks[HOLIDAYS_MAX], days[HOLIDAYS_MAX];
};

/* Parses a holiday list (key of [calendar]); "none": empty. Returns 0,
 * or -1. */
static int parse_holidays(const struct config *cfg, const char *key,
                          const char *s, struct holidays *h, struct err *e)
{
    h->n_weeks = h->n_days = 0;
    if (!strcmp(s, "none"))
        return 0;
    const struct config_entry *en = entry_of(cfg, key);
    const char *a = s;
    for (;;) {
        const char *b = strchr(a, ',');
        if (!b)
            b = a + strlen(a);
        char item[200], *end = NULL;
        cfgk_trimmed(a, b, item, sizeof item);
        int day = 0, rc = cal_parse(item, &day);
        long wk = strtol(item, &end, 10);
        if (h->n_weeks + h->n_days >= HOLIDAYS_MAX)
            return cfgk_entry_error(e, en,
                                    "[calendar] %s lists more than %d "
                                    "holidays",
                                    key, HOLIDAYS_MAX);
        if (rc == 0) {
            h->days[h->n_days++] = day;
        } else if (rc == -2) {
            return cfgk_entry_error(e, en, "[calendar] %s: '%s' names no day",
                                    key, item);
        } else if (item[0] && end && !*end && item[0] != '+' &&
                   item[0] != '-') {
            if (wk < 1 || wk > 53)
                return cfgk_entry_error(e, en,
                                        "[calendar] %s: week %s is not a "
                                        "week of the year (1-53)",
                                        key, item);
            h->weeks[h->n_weeks++] = (int)wk;
        } else {
            return cfgk_entry_error(e, en,
                                    "[calendar] %s: expected a week of the "
                                    "year (1-53) or a date (YYYY-MM-DD), "
                                    "got '%s'; separate holidays with "
                                    "commas (52, 2027-12-24)",
                                    key, item);
        }
        if (!*b)
            return 0;
        a = b + 1;
    }
}

/* ISO 8601 week of the year (1-53) of day: the week of its Thursday
 * (1970-01-01, day 0, was a Thursday). */
static int iso_week(int day)
{
    int monday0 = ((day + 3) % 7 + 7) % 7;
    int thursday = day - monday0 + 3, y, m, d;
    cal_civil(thursday, &y, &m, &d);
    return (thursday - cal_days(y, 1, 1)) / 7 + 1;
}

/* Whether the week from day (7 days) is a holiday of h. */
static int holiday(const struct holidays *h, int day)
{
    int wk = iso_week(day);
    for (int i = 0; i < h->n_weeks; i++)
        if (h->weeks[i] == wk)
            return 1;
    for (int i = 0; i < h->n_days; i++)
        if (h->days[i] >= day && h->days[i] < day + 7)
            return 1;
    return 0;
}

/* Whether day lies in the last `weeks` weeks (7 weeks days) of its
 * calendar quarter. */
static int quarter_end(int day, int weeks)
{
    int y, m, d;
    cal_civil(day, &y, &m, &d);
    int last = (m - 1) / 3 * 3 + 3;
    return cal_days(y, last, cal_month_days(y, last)) - day < 7 * weeks;
}

/* The first [calendar] key, in file order, whose value makes the
 * calendar not flat (for the message that asks for a start date). */
static const struct config_entry *first_set(const struct config *cfg)
{
    static const char *const keys[] = {
        "opportunities_by_month", "buyer_speed_by_month",
        "sales_holidays",         "ops_holidays",
        "quarter_end_weeks",      "quarter_end_advance"};
    const struct config_entry *best = NULL;
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const struct config_entry *en = config_find(cfg, "calendar", keys[i]);
        if (en && (!best || en->line < best->line))
            best = en;
    }
    return best;
}

int cfgk_resolve_calendar(const struct config *cfg, struct params *p,
                          struct err *e)
{
    struct calendar_params *c = &p->calendar;
    c->n_weeks = 0;
    c->week = NULL;
    if (!c->opportunities_by_month || !c->buyer_speed_by_month ||
        !c->sales_holidays || !c->ops_holidays)
        return err_oom(e); /* defaults */
    double opps[MONTHS], buyer[MONTHS];
    int f1 = parse_months(cfg, "opportunities_by_month",
                          c->opportunities_by_month, opps, e);
    if (f1 < 0)
        return -1;
    int f2 = parse_months(cfg, "buyer_speed_by_month", c->buyer_speed_by_month,
                          buyer, e);
    if (f2 < 0)
        return -1;
    struct holidays *hs = malloc(2 * sizeof *hs);
    if (!hs)
        return err_oom(e);
    if (parse_holidays(cfg, "sales_holidays", c->sales_holidays, &hs[0], e) ||
        parse_holidays(cfg, "ops_holidays", c->ops_holidays, &hs[1], e)) {
        free(hs);
        return -1;
    }
    int any_holiday =
        hs[0].n_weeks + hs[0].n_days + hs[1].n_weeks + hs[1].n_days > 0;
    int flat = !f1 && !f2 && (!any_holiday || c->holiday_hours_share == 1.0) &&
               (c->quarter_end_weeks == 0 || c->quarter_end_advance == 1.0);
    if (flat) {
        free(hs);
        return 0;
    }
    if (p->sim.start_date == CAL_NO_DATE) {
        free(hs);
        const struct config_entry *en = first_set(cfg);
        const struct config_entry none = {.file = "[calendar]", .line = 0};
        return cfgk_entry_error(e, en ? en : &none,
                                "[calendar] %s falls on dates, and the run "
                                "has none: set [simulation] start_date = "
                                "YYYY-MM-DD (the first day of reported "
                                "week 0)",
                                en ? en->key : "a calendar");
    }
    int n = p->sim.warmup_weeks + p->sim.horizon_weeks;
    c->week = calloc((size_t)n, sizeof *c->week);
    if (!c->week) {
        free(hs);
        return err_oom(e);
    }
    c->n_weeks = n;
    int varies = 0;
    for (int w = 0; w < n; w++) {
        int day = p->sim.start_date + 7 * (w - p->sim.warmup_weeks), y, m, d;
        cal_civil(day, &y, &m, &d);
        struct calendar_week *row = &c->week[w];
        row->opps = opps[m - 1];
        row->buyer = row->buyer_last = buyer[m - 1];
        if (c->quarter_end_weeks > 0 && quarter_end(day, c->quarter_end_weeks))
            row->buyer_last *= c->quarter_end_advance;
        row->sales_hours = holiday(&hs[0], day) ? c->holiday_hours_share : 1.0;
        row->ops_hours = holiday(&hs[1], day) ? c->holiday_hours_share : 1.0;
        varies |= row->opps != 1.0 || row->buyer != 1.0 ||
                  row->buyer_last != 1.0 || row->sales_hours != 1.0 ||
                  row->ops_hours != 1.0;
    }
    free(hs);
    if (!varies) {
        /* Nothing falls in the run (a holiday of another year). */
        free(c->week);
        c->week = NULL;
        c->n_weeks = 0;
    }
    return 0;
}
