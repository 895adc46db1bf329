/*
 * config_value: one value of a scenario file into its field, by the key's
 * type and range from config_table.c, and what a value that does not
 * parse most likely got wrong (habits of spreadsheets and other formats).
 *
 * Numbers are read in the C locale whatever the program's: a scenario
 * file means the same thing on every machine.
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "config.h"
#include "config_int.h"

/* ------------------------------------------------------------ numbers */

enum num { NUM_OK, NUM_BAD, NUM_NONFINITE, NUM_RANGE };

/* nan, inf, infinity, in any case. */
static int nonfinite_word(const char *p)
{
    static const char *const words[] = {"nan", "inf", "infinity"};
    for (size_t i = 0; i < N_KEYS(words); i++) {
        size_t j = 0;
        while (words[i][j] && tolower((unsigned char)p[j]) == words[i][j])
            j++;
        if (!words[i][j] && !p[j])
            return 1;
    }
    return 0;
}

/* A decimal number and nothing else: hexadecimal, nan and inf (which
 * strtod takes) are refused. -0 reads as 0. */
static enum num num_parse(const char *s, double *out)
{
    const char *p = s + (*s == '+' || *s == '-');
    if (nonfinite_word(p))
        return NUM_NONFINITE;
    if (!isdigit((unsigned char)*p) && *p != '.')
        return NUM_BAD;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        return NUM_BAD;
    char *end;
    errno = 0;
    double v = text_strtod(s, &end);
    if (end == s || *end != '\0')
        return NUM_BAD;
    if (isinf(v))
        return NUM_RANGE; /* overflow; underflow to 0 is accepted */
    *out = v == 0 ? 0 : v;
    return NUM_OK;
}

static int has_max(const struct cfgk *k)
{
    return k->max != NOMAX && !(k->type == CFGK_INT && k->max == INT_MAX);
}

void cfgk_range(const struct cfgk *k, char *buf, size_t size)
{
    char lo[32], hi[32];
    int open = (k->flags & CFGK_MIN_OPEN) != 0;
    text_number(k->min, lo, sizeof lo);
    text_number(k->max, hi, sizeof hi);
    if (k->min != NOMIN && has_max(k))
        snprintf(buf, size, "%c%s, %s]", open ? '(' : '[', lo, hi);
    else if (k->min != NOMIN)
        snprintf(buf, size, "%s %s", open ? ">" : ">=", lo);
    else if (has_max(k))
        snprintf(buf, size, "<= %s", hi);
    else
        snprintf(buf, size, "%s", "");
}

/* Checks v against k's range; the message names the value as written. */
static int check_range(const struct cfgk *k, double v, const char *text,
                       struct err *e)
{
    int below = k->flags & CFGK_MIN_OPEN ? v <= k->min : v < k->min;
    if (!below && v <= k->max)
        return 0;
    char range[80];
    cfgk_range(k, range, sizeof range);
    if (k->min != NOMIN && has_max(k))
        return err_set(e, ERR_CONFIG, " = %s must be in %s", text, range);
    return err_set(e, ERR_CONFIG, " = %s must be %s", text, range);
}

static int parse_double(const struct cfgk *k, const char *s, double *out,
                        struct err *e)
{
    if ((k->flags & CFGK_DEFAULT) && !strcmp(s, "default")) {
        *out = -1;
        return 0;
    }
    switch (num_parse(s, out)) {
    case NUM_OK:
        return check_range(k, *out, s, e);
    case NUM_BAD:
        break;
    case NUM_NONFINITE:
        return err_set(e, ERR_CONFIG, ": expected a finite number, got '%s'",
                       s);
    case NUM_RANGE:
        return err_set(e, ERR_CONFIG, ": number out of range, got '%s'", s);
    }
    if (k->flags & CFGK_DEFAULT)
        return err_set(e, ERR_CONFIG,
                       ": expected a number or default, got '%s'", s);
    return err_set(e, ERR_CONFIG, ": expected a number, got '%s'", s);
}

static int parse_int(const struct cfgk *k, const char *s, int *out,
                     struct err *e)
{
    double v = 0;
    enum num st = num_parse(s, &v);
    if (st == NUM_RANGE || (st == NUM_OK && fabs(v) > INT_MAX))
        return err_set(e, ERR_CONFIG, ": number out of range, got '%s'", s);
    if (st != NUM_OK || v != floor(v))
        return err_set(e, ERR_CONFIG, ": expected a whole number, got '%s'", s);
    *out = (int)v;
    return check_range(k, v, s, e);
}

static int parse_seed(const char *s, uint64_t *out, struct err *e)
{
    const char *p = s + (*s == '+');
    char *end;
    errno = 0;
    unsigned long long v = strtoull(p, &end, 10);
    if (!isdigit((unsigned char)*p) || *end || errno == ERANGE)
        return err_set(e, ERR_CONFIG,
                       ": expected a whole number from 0 to %" PRIu64
                       ", got '%s'",
                       UINT64_MAX, s);
    *out = (uint64_t)v;
    return 0;
}

static int parse_enum(const struct cfgk *k, const char *s, int *out,
                      struct err *e)
{
    char list[256] = "";
    size_t len = 0;
    for (int i = 0; k->names[i]; i++) {
        if (!strcmp(s, k->names[i])) {
            *out = i;
            return 0;
        }
        len += (size_t)snprintf(list + len, sizeof list - len, "%s%s",
                                i ? ", " : "", k->names[i]);
        assert(len < sizeof list);
    }
    for (int i = 0; k->names[i]; i++)
        if (!strcasecmp(s, k->names[i]))
            return err_set(e, ERR_CONFIG,
                           ": expected one of %s, got '%s'; "
                           "names are lower case: '%s'",
                           list, s, k->names[i]);
    return err_set(e, ERR_CONFIG, ": expected one of %s, got '%s'", list, s);
}

/* "all", "50%" or a whole count of reps. */
static int parse_reps(const char *s, struct pull_spec *ps, struct err *e)
{
    static const struct cfgk pct = {"reps", CFGK_DOUBLE, "",   0, 100,
                                    0,      0,           NULL, ""};
    static const struct cfgk cnt = {"reps", CFGK_INT, "",   0, INT_MAX,
                                    0,      0,        NULL, ""};
    size_t n = strlen(s);
    double v = 0;
    if (!strcmp(s, "all")) {
        ps->select = REPS_ALL;
        ps->reps = 100;
        return 0;
    }
    char num[64];
    int is_pct = n > 1 && n < sizeof num && s[n - 1] == '%';
    snprintf(num, sizeof num, "%.*s", (int)(is_pct ? n - 1 : n), s);
    if (!strcasecmp(s, "all"))
        return err_set(e, ERR_CONFIG,
                       ": expected a whole count, a percent "
                       "(\"50%%\") or all, got '%s'; write 'all' in lower "
                       "case",
                       s);
    int ok = num_parse(num, &v) == NUM_OK;
    if (ok && !is_pct && v > 0 && v < 1)
        return err_set(e, ERR_CONFIG,
                       ": expected a whole count, a percent "
                       "(\"50%%\") or all, got '%s'; a share of the reps is "
                       "written as a percent: '%g%%'",
                       s, v * 100);
    if (!ok || (!is_pct && v != floor(v)) || (!is_pct && fabs(v) > INT_MAX))
        return err_set(e, ERR_CONFIG,
                       ": expected a whole count, a percent "
                       "(\"50%%\") or all, got '%s'",
                       s);
    if (is_pct && (v < 0 || v > 100))
        return err_set(e, ERR_CONFIG, " = %s must be in [0%%, 100%%]", s);
    if (check_range(is_pct ? &pct : &cnt, v, s, e))
        return -1;
    ps->select = is_pct ? REPS_PERCENT : REPS_COUNT;
    ps->reps = v;
    return 0;
}

/* An amount in $ within k's range, or a percent of a role's annual cost
 * ("20%") in [0%, 100%]. */
static int parse_fee(const struct cfgk *k, const char *s, struct fee *f,
                     struct err *e)
{
    size_t n = strlen(s);
    char num[64];
    double v = 0;
    int is_pct = n > 1 && n < sizeof num && s[n - 1] == '%';
    snprintf(num, sizeof num, "%.*s", (int)(is_pct ? n - 1 : n), s);
    enum num st = num_parse(num, &v);
    if (st == NUM_NONFINITE)
        return err_set(e, ERR_CONFIG, ": expected a finite number, got '%s'",
                       s);
    if (st == NUM_RANGE)
        return err_set(e, ERR_CONFIG, ": number out of range, got '%s'", s);
    if (st != NUM_OK)
        return err_set(e, ERR_CONFIG,
                       ": expected an amount in $ or a "
                       "percent of the role's annual cost (\"20%%\"), got "
                       "'%s'",
                       s);
    if (is_pct && (v < 0 || v > 100))
        return err_set(e, ERR_CONFIG, " = %s must be in [0%%, 100%%]", s);
    if (!is_pct && check_range(k, v, s, e))
        return -1;
    f->is_share = is_pct;
    f->value = v;
    return 0;
}

/* Largest parameter of a distribution in a scenario file. Money, hours
 * and days beyond it are no model of anything, and the statistics of
 * such draws (sums of squares over weeks and replications) overflow to
 * infinity and NaN in the CSVs: deal_value = 1e300 did. */
#define CFGK_DIST_MAX 1e15

/* Parses s into *d, which may own the values of an earlier
 * empirical_file: they are freed once s is known to be good. */
static int parse_dist(const struct cfgk *k, const char *s, const char *file,
                      struct dist *d, struct err *e)
{
    struct err de = {0};
    struct dist x;
    if (dist_parse_in(&x, s, (k->flags & CFGK_NONNEG) != 0, file, &de) != 0)
        return err_set(e, de.kind, ": %s", de.msg);
    int list = x.kind == DIST_EMPIRICAL || x.kind == DIST_EMPIRICAL_FILE;
    const double *v = list ? dist_values(&x) : x.p;
    size_t n = list ? x.n : 3;
    for (size_t i = 0; i < n; i++)
        if (fabs(v[i]) > CFGK_DIST_MAX) {
            double bad = v[i];
            dist_destroy(&x);
            return err_set(e, ERR_CONFIG,
                           ": %.10g is out of range (a distribution's values "
                           "are at most 1e15)",
                           bad);
        }
    dist_destroy(d);
    *d = x;
    return 0;
}

static const char *value_hint(const struct cfgk *k, const char *v, char *buf,
                              size_t size);

/* s[0..n) without the blanks around it, into buf. */
static void trimmed(const char *s, size_t n, char *buf, size_t size)
{
    while (n > 0 && isspace((unsigned char)*s)) {
        s++;
        n--;
    }
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        n--;
    snprintf(buf, size, "%.*s", (int)n, s);
}

/* Where the tolerance of a target starts (after "+-", "+/-" or the
 * UTF-8 "±"), with *sep at its separator; NULL when it has none. */
static const char *target_tolerance(const char *s, const char **sep)
{
    static const char *const seps[] = {"\xc2\xb1", "+/-", "+-"};
    for (size_t i = 0; i < N_KEYS(seps); i++) {
        const char *at = strstr(s, seps[i]);
        if (at) {
            *sep = at;
            return at + strlen(seps[i]);
        }
    }
    return NULL;
}

static int target_syntax(const char *s, const char *hint, struct err *e)
{
    return err_set(e, ERR_CONFIG,
                   ": expected a number with an optional "
                   "tolerance (0.22 +- 0.02, or 48000 +- 10%%), got "
                   "'%s'%s",
                   s, hint);
}

/* The tolerance tt of a target of value v: a number, or a percent of v. */
static int parse_tolerance(const char *s, const char *tt, double v,
                           struct target *t, struct err *e)
{
    size_t n = strlen(tt);
    int pct = n > 1 && tt[n - 1] == '%';
    char num[64];
    double x = 0;
    snprintf(num, sizeof num, "%.*s", (int)(pct ? n - 1 : n), tt);
    if (n >= sizeof num || num_parse(num, &x) != NUM_OK)
        return target_syntax(s, "", e);
    if (!(x > 0))
        return err_set(e, ERR_CONFIG,
                       ": the tolerance must be above 0, "
                       "got '%s'",
                       tt);
    if (pct && v == 0)
        return err_set(e, ERR_CONFIG,
                       ": a target of 0 takes its "
                       "tolerance as a number (0 +- 0.5), not as a percent "
                       "of 0");
    t->tol_given = 1;
    t->tol_pct = pct ? x : 0;
    t->tol = pct ? x / 100.0 * fabs(v) : x;
    return 0;
}

/* "V", "V +- T" (also "V ± T", "V +/- T"; T a number or "P%" of V), or
 * "none". */
static int parse_target(const struct cfgk *k, const char *s, struct target *out,
                        struct err *e)
{
    if (!strcmp(s, "none")) {
        *out = (struct target){0};
        return 0;
    }
    const char *sep = NULL, *tail = target_tolerance(s, &sep);
    char vt[128], tt[128], hint[128];
    trimmed(s, tail ? (size_t)(sep - s) : strlen(s), vt, sizeof vt);
    trimmed(tail ? tail : "", tail ? strlen(tail) : 0, tt, sizeof tt);
    struct target t = {.set = 1};
    switch (num_parse(vt, &t.value)) {
    case NUM_OK:
        break;
    case NUM_NONFINITE:
        return err_set(e, ERR_CONFIG,
                       ": expected a finite number, got "
                       "'%s'",
                       vt);
    case NUM_RANGE:
        return err_set(e, ERR_CONFIG, ": number out of range, got '%s'", vt);
    case NUM_BAD: {
        const struct cfgk as_number = {
            k->key, CFGK_DOUBLE, "", k->min, k->max, 0, 0, NULL, k->doc};
        return target_syntax(s, value_hint(&as_number, vt, hint, sizeof hint),
                             e);
    }
    }
    if (check_range(k, t.value, vt, e) != 0)
        return -1;
    if (tail && parse_tolerance(s, tt, t.value, &t, e) != 0)
        return -1;
    if (!tail && t.value == 0)
        return err_set(e, ERR_CONFIG,
                       ": a target of 0 needs a tolerance "
                       "as a number (0 +- 0.5): the default, %g %% of the "
                       "target, is 0",
                       TARGET_DEFAULT_TOL_PCT);
    if (!tail) {
        t.tol_pct = TARGET_DEFAULT_TOL_PCT;
        t.tol = TARGET_DEFAULT_TOL_PCT / 100.0 * fabs(t.value);
    }
    *out = t;
    return 0;
}

/* "none", or a day as YYYY-MM-DD. */
static int parse_date(const char *s, int *out, struct err *e)
{
    if (!strcmp(s, "none")) {
        *out = CAL_NO_DATE;
        return 0;
    }
    int rc = cal_parse(s, out);
    if (rc == -2)
        return err_set(e, ERR_CONFIG,
                       ": '%s' is no day of the calendar "
                       "(YYYY-MM-DD, like 2027-07-01)",
                       s);
    if (rc != 0)
        return err_set(e, ERR_CONFIG,
                       ": expected a date as YYYY-MM-DD "
                       "(like 2027-07-01) or none, got '%s'",
                       s);
    return 0;
}

static int parse_string(const char *s, char **out, struct err *e)
{
    char *copy = strdup(s);
    if (!copy)
        return err_set(e, ERR_RUNTIME, ": out of memory");
    free(*out);
    *out = copy;
    return 0;
}

int cfgk_parse(const struct cfgk *k, const char *value, void *base,
               struct err *e)
{
    return cfgk_parse_in(k, value, base, NULL, e);
}

int cfgk_parse_in(const struct cfgk *k, const char *value, void *base,
                  const char *file, struct err *e)
{
    char *at = (char *)base + k->off;
    int u = cfgk_parse_uncertain(k, value, base, file, e);
    if (u <= 0)
        return u;
    switch (k->type) {
    case CFGK_INT:
        return parse_int(k, value, (int *)(void *)at, e);
    case CFGK_DOUBLE:
        return parse_double(k, value, (double *)(void *)at, e);
    case CFGK_SEED:
        return parse_seed(value, (uint64_t *)(void *)at, e);
    case CFGK_DIST:
        return parse_dist(k, value, file, (struct dist *)(void *)at, e);
    case CFGK_ENUM: {
        int v = 0;
        if (parse_enum(k, value, &v, e))
            return -1;
        memcpy(at, &v, sizeof v);
        return 0;
    }
    case CFGK_STRING:
        return parse_string(value, (char **)(void *)at, e);
    case CFGK_REPS:
        return parse_reps(value, (struct pull_spec *)(void *)at, e);
    case CFGK_FEE:
        return parse_fee(k, value, (struct fee *)(void *)at, e);
    case CFGK_TARGET:
        return parse_target(k, value, (struct target *)(void *)at, e);
    case CFGK_DATE:
        return parse_date(value, (int *)(void *)at, e);
    case CFGK_TEAM: {
        /* A name needs the teams: config_team.c resolves it first. */
        int v = TEAM_ALL;
        if (strcmp(value, "all"))
            return err_set(e, ERR_CONFIG,
                           ": expected all or a [team.NAME]'s name, got '%s'",
                           value);
        memcpy(at, &v, sizeof v);
        return 0;
    }
    }
    assert(0 && "unknown key type");
    return -1;
}

void cfgk_defaults(const struct cfgk_table *t, void *base)
{
    for (size_t i = 0; i < t->n; i++) {
        struct err te = {0};
        int rc = cfgk_parse(&t->keys[i], t->keys[i].def, base, &te);
        /* A text default is copied: out of memory leaves it NULL. */
        assert((rc == 0 || te.kind == ERR_RUNTIME) &&
               "a default outside its own range");
        (void)rc;
    }
}

void cfgk_free(const struct cfgk_table *t, void *base)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->keys[i].type == CFGK_DIST)
            dist_destroy(
                (struct dist *)(void *)((char *)base + t->keys[i].off));
}

/* What a value that does not parse most likely got wrong, as a clause
 * for the message ("" when nothing stands out): habits from spreadsheets
 * and other file formats. */
static const char *value_hint(const struct cfgk *k, const char *v, char *buf,
                              size_t size)
{
    if (cfgk_is_uncertain(v))
        return "";
    const char *hash = strchr(v, '#');
    if (hash && hash > v && (hash[-1] == ' ' || hash[-1] == '\t'))
        return "; '#' starts a comment only at the start of a line (after "
               "a value, write ' ; comment')";
    if (*v == '"' || *v == '\'')
        return "; values take no quotes";
    if (strchr(v, ';'))
        return "; a ';' starts a comment only after a blank (write "
               "'10 ; comment')";
    if (k->type == CFGK_INT || k->type == CFGK_DOUBLE || k->type == CFGK_DIST) {
        size_t n = strlen(v);
        char *end;
        double pct = n > 1 && v[n - 1] == '%' ? strtod(v, &end) : NAN;
        int whole_pct = !isnan(pct) && end == v + n - 1 && isfinite(pct);
        if (whole_pct && k->type == CFGK_DOUBLE) {
            snprintf(buf, size, "; %s %g for %s",
                     k->max <= 1.0 ? "a share is a fraction: write"
                                   : "write it as a number:",
                     pct / 100.0, v);
            return buf;
        }
        if (n > 1 && v[n - 1] == '%' && k->max <= 1.0)
            return "; a share is a fraction: write 0.25 for 25%";
        if (n > 1 && v[n - 1] == '%' && k->type == CFGK_DOUBLE)
            return "; write it as a number: 0.15 for 15%";
        if (n > 1 && v[n - 1] == '%')
            return "; write the number alone: the key's name says its unit";
        double x = strtod(v, &end);
        if (k->max == 1.0 && !*end && x >= 2.0 && x <= 100.0 && x == floor(x))
            return "; it is a fraction: 0.25 means 25%";
        if (k->type == CFGK_DIST && strchr(v, '(') && strchr(v, '$'))
            return "; write numbers without '$' or thousands separators "
                   "(lognormal(30000, 15000))";
        for (const char *p = v; k->type == CFGK_DIST && *p; p++)
            if (isdigit((unsigned char)p[0]) && p[1] && strchr("kKmM", p[1]) &&
                !isalnum((unsigned char)p[2]))
                return "; write numbers in full (30000, not 30k)";
        /* A number with a comma in it, not a distribution's list. */
        const char *comma = strchr(v, '(') ? NULL : strrchr(v, ',');
        if (comma && strspn(comma + 1, "0123456789") != strlen(comma + 1))
            comma = NULL;
        if (comma && strlen(comma + 1) != 3 && strlen(v) < 60 &&
            strchr(v, ',') == comma) {
            snprintf(buf, size, "; write decimals with a point (%.*s.%s)",
                     (int)(comma - v), v, comma + 1);
            return buf;
        }
        if (comma && strlen(comma + 1) != 3)
            return "; write decimals with a point (40.5)";
        if (*v == '$' || comma)
            return "; write numbers without '$' or thousands separators "
                   "(30000)";
        if (n > 1 && strchr("kKmM", v[n - 1]) && isdigit((unsigned char)v[0]))
            return "; write numbers in full (30000, not 30k)";
        if (n > 1 && isalpha((unsigned char)v[n - 1]) &&
            isdigit((unsigned char)v[0]))
            return "; write the number alone: the key's name says its unit";
    }
    return "";
}

/* The first number in v written like a thousands separator (NULL: none)
 * in a key whose unit is $: one to three digits, a point and three
 * digits ending in 0 ("150.000", "1.500"). Money has two decimals at
 * most, so this is $150,000 misread as $150, silently. The trailing 0
 * keeps the rule off every number salescap writes itself (run.ini has
 * no trailing zeros), so run.ini always reads back. */
static const char *money_slip(const struct cfgk *k, const char *v)
{
    if (!k->doc || !strchr(k->doc, '$'))
        return NULL;
    for (const char *p = v; *p; p++) {
        if (!isdigit((unsigned char)*p) ||
            (p > v && (isdigit((unsigned char)p[-1]) || p[-1] == '.')))
            continue; /* not the start of a number */
        const char *q = p;
        while (isdigit((unsigned char)*q))
            q++;
        if (q - p <= 3 && q[0] == '.' && isdigit((unsigned char)q[1]) &&
            isdigit((unsigned char)q[2]) && q[3] == '0' &&
            !isdigit((unsigned char)q[4]) && q[4] != '.' && q[4] != 'e' &&
            q[4] != 'E')
            return p;
    }
    return NULL;
}

/* The hint for a distribution written where a number goes: how to make
 * it an uncertain input. NULL when v is no distribution (or a number). */
static const char *uncertain_hint(const struct cfgk *k, const char *v,
                                  char *buf, size_t size)
{
    struct dist d;
    struct err de = {0};
    if (k->type != CFGK_DOUBLE || strlen(v) > 200 || !strchr(v, '(') ||
        dist_parse(&d, v, 0, &de) != 0)
        return NULL;
    double x = dist_quantile(&d, 0.5), var = dist_variance(&d);
    dist_destroy(&d);
    char num[40];
    text_number(x, num, sizeof num);
    if (var == 0.0)
        snprintf(buf, size, "; write the number alone: %s", num);
    else
        snprintf(buf, size,
                 "; write uncertain(%s) to make it an uncertain "
                 "input, drawn once per replication",
                 v);
    return buf;
}

int cfgk_parse_entry(struct err *e, const struct cfgk *k,
                     const struct config_entry *en, void *base)
{
    const char *slip = money_slip(k, en->value);
    if (slip)
        return err_at(e, ERR_CONFIG, en->file, en->line,
                      "[%s] %s = %s: "
                      "'%.*s' reads as a thousands separator (money has "
                      "two decimals at most); write numbers without one "
                      "(30000)",
                      en->section, en->key, en->value,
                      (int)strspn(slip, "0123456789."), slip);
    struct err te = {0};
    char hint[320];
    int may_vary = cfgk_uncertain_section(en->section);
    if (!strcmp(en->section, "calendar") && cfgk_is_uncertain(en->value))
        return err_at(e, ERR_CONFIG, en->file, en->line,
                      "[calendar] %s: "
                      "uncertain() is not taken here: the calendar is the "
                      "same in every replication (compare calendars with "
                      "a sweep or two files)",
                      en->key);
    if (!may_vary && cfgk_is_uncertain(en->value))
        return err_at(e, ERR_CONFIG, en->file, en->line,
                      "[%s] %s: "
                      "uncertain() belongs to the keys of the model and of "
                      "scenarios; [%s] says how to run them",
                      en->section, en->key, en->section);
    /* empirical_file's path is relative to the file the key is in; an
     * override's, to the current folder. */
    const char *file = en->line > 0 ? en->file : NULL;
    if (cfgk_parse_in(k, en->value, base, file, &te) == 0)
        return 0;
    const char *h =
        may_vary ? uncertain_hint(k, en->value, hint, sizeof hint) : NULL;
    return err_at(e, te.kind, en->file, en->line, "[%s] %s%s%s", en->section,
                  en->key, te.msg,
                  h ? h : value_hint(k, en->value, hint, sizeof hint));
}

int cfgk_entry_error(struct err *e, const struct config_entry *en,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vat(e, ERR_CONFIG, en->file, en->line, fmt, ap);
    va_end(ap);
    return -1;
}

/* A target as parse_target reads it back. */
static void format_target(const struct target *t, char *buf, size_t size)
{
    char v[40], tol[40];
    if (!t->set) {
        snprintf(buf, size, "none");
        return;
    }
    text_number(t->value, v, sizeof v);
    if (!t->tol_given) {
        snprintf(buf, size, "%s", v);
        return;
    }
    text_number(t->tol_pct > 0 ? t->tol_pct : t->tol, tol, sizeof tol);
    snprintf(buf, size, "%s +- %s%s", v, tol, t->tol_pct > 0 ? "%" : "");
}

void cfgk_format(const struct cfgk *k, const void *base, char *buf, size_t size)
{
    const char *at = (const char *)base + k->off;
    const double *dv = (const void *)at;
    const struct pull_spec *ps = (const void *)at;
    int iv = 0;
    switch (k->type) {
    case CFGK_INT:
        snprintf(buf, size, "%d", *(const int *)(const void *)at);
        return;
    case CFGK_DOUBLE:
        if ((k->flags & CFGK_DEFAULT) && *dv < 0)
            snprintf(buf, size, "default");
        else
            text_number(*dv, buf, size);
        return;
    case CFGK_SEED:
        snprintf(buf, size, "%" PRIu64, *(const uint64_t *)(const void *)at);
        return;
    case CFGK_DIST:
        dist_format((const struct dist *)(const void *)at, buf, size);
        return;
    case CFGK_ENUM:
        memcpy(&iv, at, sizeof iv);
        snprintf(buf, size, "%s", k->names[iv]);
        return;
    case CFGK_STRING:
        snprintf(buf, size, "%s", *(char *const *)(const void *)at);
        return;
    case CFGK_REPS:
        if (ps->select == REPS_ALL)
            snprintf(buf, size, "all");
        else if (ps->select == REPS_PERCENT)
            snprintf(buf, size, "%.10g%%", ps->reps);
        else
            snprintf(buf, size, "%d", (int)ps->reps);
        return;
    case CFGK_FEE: {
        const struct fee *f = (const void *)at;
        text_number(f->value, buf, size);
        if (f->is_share && strlen(buf) + 1 < size)
            strcat(buf, "%");
        return;
    }
    case CFGK_TARGET:
        format_target((const struct target *)(const void *)at, buf, size);
        return;
    case CFGK_DATE:
        memcpy(&iv, at, sizeof iv);
        if (iv == CAL_NO_DATE)
            snprintf(buf, size, "none");
        else
            cal_iso(iv, buf, size);
        return;
    case CFGK_TEAM:
        /* A team's name is config_write's to write (it has the teams). */
        memcpy(&iv, at, sizeof iv);
        if (iv == TEAM_ALL)
            snprintf(buf, size, "all");
        else
            snprintf(buf, size, "team %d", iv);
        return;
    }
    assert(0 && "unknown key type");
}
