/*
 * crm_export: a model's trace written as a CRM's opportunity export
 * (`salescap trace --crm STYLE`), so that `salescap import` can be tested
 * against a company whose every parameter is known.
 *
 * The trace is read in time order up to the window's end: opp_created
 * starts a deal (its id is the seat and the seat's opportunity counter,
 * its owner the seat's occupant at the time), stage events record where
 * it is, won, lost and went_cold close it. A deal closed before the
 * window's start is left out, as a CRM report filtered on the window
 * leaves it out; a deal still open at the window's end is open in the
 * export, whatever the trace does with it later.
 */
#include "crm.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct xdeal {
    int seat, occupant;
    unsigned long long k;
    double created, closed, value;
    enum crm_outcome outcome;
    char stage[40];
};

struct xstate {
    struct xdeal *d;
    size_t n, cap;
    long *by_entity; /* entity -> deal index, -1 */
    size_t n_entity;
    unsigned *occupant; /* per seat */
    size_t n_seats;
};

int crm_style_parse(const char *name)
{
    static const char *const names[] = {"salesforce", "hubspot", "pipedrive",
                                        "plain"};
    for (int i = 0; i < 4; i++)
        if (!strcmp(name, names[i]))
            return i;
    return -1;
}

static int grow_long(long **a, size_t *n, size_t need)
{
    if (need < *n)
        return 0;
    size_t cap = *n ? *n : 64;
    while (cap <= need)
        cap *= 2;
    long *b = realloc(*a, cap * sizeof *b);
    if (!b)
        return -1;
    for (size_t i = *n; i < cap; i++)
        b[i] = -1;
    *a = b;
    *n = cap;
    return 0;
}

static int seat_occupant(struct xstate *s, size_t seat, unsigned occ)
{
    if (seat >= s->n_seats) {
        size_t cap = seat + 16;
        unsigned *b = realloc(s->occupant, cap * sizeof *b);
        if (!b)
            return -1;
        for (size_t i = s->n_seats; i < cap; i++)
            b[i] = 1;
        s->occupant = b;
        s->n_seats = cap;
    }
    if (occ)
        s->occupant[seat] = occ;
    return 0;
}

/* The value of key=VALUE in a trace's details, or NULL. */
static const char *field(const char *details, const char *key)
{
    size_t n = strlen(key);
    for (const char *p = details; p && *p; p = strchr(p, ' ')) {
        while (*p == ' ')
            p++;
        if (!strncmp(p, key, n) && p[n] == '=')
            return p + n + 1;
    }
    return NULL;
}

static int on_created(struct xstate *s, long ent, double t, const char *det)
{
    const char *r = field(det, "rep"), *k = field(det, "k"),
               *v = field(det, "value");
    if (!r || !k || !v)
        return -1;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 1024;
        struct xdeal *b = realloc(s->d, cap * sizeof *b);
        if (!b)
            return -1;
        s->d = b;
        s->cap = cap;
    }
    struct xdeal *d = &s->d[s->n];
    memset(d, 0, sizeof *d);
    d->seat = atoi(r);
    d->k = strtoull(k, NULL, 10);
    d->value = strtod(v, NULL);
    d->created = t;
    d->closed = NAN;
    if (d->seat < 0 || seat_occupant(s, (size_t)d->seat, 0) ||
        grow_long(&s->by_entity, &s->n_entity, (size_t)ent))
        return -1;
    d->occupant = (int)s->occupant[d->seat];
    s->by_entity[ent] = (long)s->n++;
    return 0;
}

/* One trace line (time,week,event,entity,details), if it is before t1. */
static int on_line(struct xstate *s, char *line, double t1, int *past)
{
    char *f[5];
    f[0] = line;
    for (int i = 1; i < 5; i++) {
        char *c = f[i - 1] ? strchr(f[i - 1], ',') : NULL;
        if (c)
            *c = '\0';
        f[i] = c ? c + 1 : NULL;
    }
    if (!f[4])
        return -1;
    f[4][strcspn(f[4], "\r\n")] = '\0';
    double t = strtod(f[0], NULL);
    long ent = strtol(f[3], NULL, 10);
    if (t >= t1) {
        *past = 1;
        return 0;
    }
    if (!strcmp(f[2], "rep_start")) {
        const char *o = field(f[4], "occupant");
        return ent < 0 || !o ? -1
                             : seat_occupant(s, (size_t)ent, (unsigned)atoi(o));
    }
    if (!strcmp(f[2], "opp_created"))
        return ent < 0 ? -1 : on_created(s, ent, t, f[4]);
    if (ent < 0 || (size_t)ent >= s->n_entity || s->by_entity[ent] < 0)
        return 0;
    struct xdeal *d = &s->d[s->by_entity[ent]];
    if (!strcmp(f[2], "stage")) {
        const char *st = field(f[4], "stage");
        if (st)
            snprintf(d->stage, sizeof d->stage, "%.*s", (int)strcspn(st, " "),
                     st);
    } else if (!strcmp(f[2], "won") || !strcmp(f[2], "lost") ||
               !strcmp(f[2], "went_cold")) {
        d->outcome = f[2][0] == 'w' && f[2][1] == 'o' ? CRM_WON : CRM_LOST;
        d->closed = t;
        s->by_entity[ent] = -1;
    }
    return 0;
}

/* ---------------------------------------------------------- writing */

static void put_date(FILE *out, enum crm_style st, double days)
{
    char iso[16];
    crm_date_str(days, iso, sizeof iso);
    int y, m, d;
    sscanf(iso, "%d-%d-%d", &y, &m, &d);
    double frac = days - floor(days);
    int mins = (int)floor(frac * 1440);
    switch (st) {
    case CRM_SALESFORCE:
        fprintf(out, "%d/%d/%d", m, d, y);
        return;
    case CRM_HUBSPOT:
        fprintf(out, "%s %02d:%02d", iso, mins / 60, mins % 60);
        return;
    case CRM_PIPEDRIVE:
        fprintf(out, "%s %02d:%02d:%02d", iso, mins / 60, mins % 60,
                (int)floor(frac * 86400) % 60);
        return;
    case CRM_PLAIN:
        fputs(iso, out);
        return;
    }
}

/* "$36,338.91", quoted: Salesforce's formatted currency. */
static void put_money(FILE *out, double v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%.2f", v);
    size_t ilen = strcspn(tmp, ".");
    fputs("\"$", out);
    for (size_t i = 0; i < ilen; i++) {
        if (i > 0 && (ilen - i) % 3 == 0)
            fputc(',', out);
        fputc(tmp[i], out);
    }
    fprintf(out, "%s\"", tmp + ilen);
}

static const char *stage_text(const struct xdeal *d, enum crm_style st,
                              char *buf, size_t size)
{
    if (d->outcome == CRM_WON)
        return st == CRM_HUBSPOT      ? "Closed won"
               : st == CRM_SALESFORCE ? "Closed Won"
                                      : "won";
    if (d->outcome == CRM_LOST)
        return st == CRM_HUBSPOT      ? "Closed lost"
               : st == CRM_SALESFORCE ? "Closed Lost"
                                      : "lost";
    snprintf(buf, size, "%s", d->stage[0] ? d->stage : "new");
    if (st != CRM_PLAIN)
        buf[0] = (char)toupper((unsigned char)buf[0]);
    return buf;
}

static const char *const headers[] = {
    "Opportunity ID,Opportunity Name,Opportunity Owner,Stage,Amount,"
    "Created Date,Close Date\r\n",
    "Record ID,Deal Name,Deal Owner,Deal Stage,Amount,Create Date,"
    "Close Date\n",
    "Deal - ID,Deal - Title,Deal - Owner,Deal - Stage,Deal - Status,"
    "Deal - Value,Deal - Currency,Deal - Deal created,Deal - Deal closed on\n",
    "id,owner,created,closed,stage,amount\n",
};

static void put_deal(FILE *out, const struct xdeal *d, enum crm_style st,
                     double shift)
{
    char owner[32], id[48], sb[48];
    snprintf(owner, sizeof owner, d->occupant > 1 ? "Rep %d.%d" : "Rep %d",
             d->seat + 1, d->occupant);
    snprintf(id, sizeof id, "OPP-%d-%llu", d->seat + 1, d->k);
    const char *stage = stage_text(d, st, sb, sizeof sb);
    double created = d->created + shift, closed = d->closed + shift;
    int open = d->outcome == CRM_OPEN;
    switch (st) {
    case CRM_SALESFORCE:
        /* Salesforce fills Close Date of an open deal with the expected
         * close: the import must ignore it. */
        fprintf(out, "%s,\"Deal %s, renewal\",%s,%s,", id, id, owner, stage);
        put_money(out, d->value);
        fputc(',', out);
        put_date(out, st, created);
        fputc(',', out);
        put_date(out, st, open ? created + 90 : closed);
        fputs("\r\n", out);
        return;
    case CRM_HUBSPOT:
    case CRM_PIPEDRIVE:
        fprintf(out, "%s,Deal %s,%s,", id, id, owner);
        if (st == CRM_PIPEDRIVE)
            fprintf(out, "%s,%s,%.2f,USD,", open ? stage : "Negotiation",
                    open                    ? "open"
                    : d->outcome == CRM_WON ? "won"
                                            : "lost",
                    d->value);
        else
            fprintf(out, "%s,%.2f,", stage, d->value);
        put_date(out, st, created);
        fputc(',', out);
        if (!open)
            put_date(out, st, closed);
        fputc('\n', out);
        return;
    case CRM_PLAIN:
        fprintf(out, "%s,%s,", id, owner);
        put_date(out, st, created);
        fputc(',', out);
        if (!open)
            put_date(out, st, closed);
        fprintf(out, ",%s,%.2f\n", stage, d->value);
        return;
    }
}

int crm_export_trace(FILE *in, FILE *out, enum crm_style style,
                     int warmup_weeks, int w0, int w1, double week0,
                     struct err *e)
{
    struct xstate s = {0};
    double t0 = 7.0 * (warmup_weeks + w0), t1 = 7.0 * (warmup_weeks + w1);
    char *line = NULL;
    size_t cap = 0;
    int past = 0, rc = 0, first = 1;
    while (!past && getline(&line, &cap, in) > 0) {
        if (first) { /* the header */
            first = 0;
            continue;
        }
        if (on_line(&s, line, t1, &past)) {
            rc = err_set(e, ERR_RUNTIME,
                         "trace --crm: a trace line it "
                         "cannot read: %.60s",
                         line);
            break;
        }
    }
    free(line);
    if (rc == 0) {
        fputs(headers[style], out);
        double shift = week0 - 7.0 * warmup_weeks;
        /* Write errors are the caller's to report (a closed pipe is
         * none: trace --crm | head). */
        for (size_t i = 0; i < s.n; i++)
            if (!(s.d[i].outcome != CRM_OPEN && s.d[i].closed < t0))
                put_deal(out, &s.d[i], style, shift);
    }
    free(s.d);
    free(s.by_entity);
    free(s.occupant);
    return rc;
}
