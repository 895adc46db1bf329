/*
 * crm_read: an opportunity export, read into deals (see include/crm.h).
 *
 * Reading goes in passes over the parsed table, each deciding something
 * for the whole file before any row is judged: the separator (the header
 * line's), the columns (headers or --columns), the date order (the file's
 * days above 12 decide M/D against D/M), the decimal mark (the amounts'
 * separators decide it; the separator is the tie-break: ';' files write a
 * decimal comma), the duplicate ids, then the rows, then the export date
 * and the window. Invariant: every data row ends up either in deals or in
 * skipped, never both, so kept + skipped = rows.
 */
#include "crm.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"

/* ------------------------------------------------------------- dates */

double crm_days(int y, int m, int d)
{
    return (double)cal_days(y, m, d);
}

void crm_date_str(double days, char *buf, size_t size)
{
    cal_iso((int)floor(days), buf, size);
}

/* Reads up to max digits at *s into *v; returns how many. */
static int digits(const char **s, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && isdigit((unsigned char)**s)) {
        *v = *v * 10 + (**s - '0');
        (*s)++;
        n++;
    }
    return n;
}

/* A time after a date: [ T]H:MM[:SS[.fff]][ AM|PM][Z|+HH:MM], as a
 * fraction of a day. Returns 0, or -1 when s holds something else. */
static int parse_time(const char *s, double *frac)
{
    *frac = 0;
    if (!*s)
        return 0;
    if (*s != ' ' && *s != 'T')
        return -1;
    while (*s == ' ' || *s == 'T')
        s++;
    int h, mi, sec = 0;
    if (!digits(&s, 2, &h) || *s++ != ':' || digits(&s, 2, &mi) != 2)
        return -1;
    if (*s == ':' && (s++, digits(&s, 2, &sec) != 2))
        return -1;
    if (*s == '.')
        for (s++; isdigit((unsigned char)*s); s++)
            ;
    while (*s == ' ')
        s++;
    if (!strncasecmp(s, "am", 2) || !strncasecmp(s, "pm", 2)) {
        if (h < 1 || h > 12)
            return -1;
        h = h % 12 + (tolower((unsigned char)*s) == 'p' ? 12 : 0);
        s += 2;
    }
    if (*s == 'Z')
        s++;
    else if (*s == '+' || *s == '-')
        for (s++; isdigit((unsigned char)*s) || *s == ':'; s++)
            ;
    if (*s || h > 23 || mi > 59 || sec > 60)
        return -1;
    *frac = (h * 3600.0 + mi * 60.0 + sec) / 86400.0;
    return 0;
}

/* The two leading fields of a non-ISO date (A/B/YYYY), or -1 when s is
 * not one. *iso is set for year-first dates. */
static int date_fields(const char *s, int *a, int *b, int *y, int *iso,
                       const char **rest)
{
    const char *p = s;
    int v, n = digits(&p, 4, &v);
    *iso = 0;
    if (n == 4 && (*p == '-' || *p == '/')) {
        char sep = *p++;
        *y = v;
        *iso = 1;
        if (!digits(&p, 2, a) || *p++ != sep || !digits(&p, 2, b))
            return -1;
        *rest = p;
        return 0;
    }
    if (n < 1 || n > 2 || (*p != '/' && *p != '.' && *p != '-'))
        return -1;
    char sep = *p++;
    *a = v;
    if (!digits(&p, 2, b) || *p++ != sep || digits(&p, 4, y) != 4)
        return -1;
    *rest = p;
    return 0;
}

int crm_parse_date(const char *s, enum crm_datefmt f, double *out)
{
    int a, b, y, iso;
    const char *rest;
    double frac;
    if (date_fields(s, &a, &b, &y, &iso, &rest) || parse_time(rest, &frac))
        return -1;
    int m = iso ? a : f == CRM_DATE_DMY ? b : a;
    int d = iso ? b : f == CRM_DATE_DMY ? a : b;
    if (!iso && f == CRM_DATE_AUTO)
        return -1;
    if (y < 1900 || y > 2200 || m < 1 || m > 12 || d < 1 ||
        d > cal_month_days(y, m))
        return -1;
    *out = crm_days(y, m, d) + frac;
    return 0;
}

/* ----------------------------------------------------------- amounts */

/* Bytes of a currency sign or code at s (0: none): $ € £ ¥ ₹, a code of
 * three capitals (USD, EUR, CHF) or one or two before a '$' (US$, C$).
 * Lower case is no currency: "30k" must not read as 30. */
static size_t currency_len(const char *s)
{
    static const char *const signs[] = {"$", "\xE2\x82\xAC", "\xC2\xA3",
                                        "\xC2\xA5", "\xE2\x82\xB9"};
    for (size_t i = 0; i < sizeof signs / sizeof signs[0]; i++)
        if (!strncmp(s, signs[i], strlen(signs[i])))
            return strlen(signs[i]);
    size_t n = 0;
    while (n < 3 && isupper((unsigned char)s[n]))
        n++;
    if (n == 3 && !isalpha((unsigned char)s[3]))
        return 3;
    return n > 0 && n < 3 && s[n] == '$' ? n + 1 : 0;
}

/* Bytes of a blank at s: space, tab, no-break space, narrow no-break
 * space (0: none). */
static size_t blank_len(const char *s)
{
    if (*s == ' ' || *s == '\t')
        return 1;
    if (!strncmp(s, "\xC2\xA0", 2))
        return 2;
    if (!strncmp(s, "\xE2\x80\xAF", 3))
        return 3;
    return 0;
}

/* The number inside an amount: [b, *e) without currency, blanks and sign;
 * *neg set for '-' or accounting parentheses. Returns b, or NULL when
 * nothing is left. */
static const char *amount_core(const char *s, const char **end, int *neg)
{
    const char *b = s, *e = s + strlen(s);
    *neg = 0;
    for (int changed = 1; changed && b < e;) {
        size_t n;
        changed = 0;
        if ((n = blank_len(b)) || (n = currency_len(b))) {
            b += n;
            changed = 1;
        } else if (*b == '-' || *b == '(') {
            *neg = 1;
            b++;
            changed = 1;
        }
    }
    for (int changed = 1; changed && e > b;) {
        changed = 0;
        if (e[-1] == ' ' || e[-1] == ')' || e[-1] == '-') {
            *neg |= e[-1] != ' ';
            e--;
            changed = 1;
        } else if (e - b >= 2 && !strncmp(e - 2, "\xC2\xA0", 2)) {
            e -= 2;
            changed = 1;
        } else {
            /* A trailing sign or code: "30 000 €", "1.000,00 EUR". */
            const char *q = e;
            while (q > b && !isdigit((unsigned char)q[-1]) && q[-1] != ' ' &&
                   (unsigned char)q[-1] != 0xA0)
                q--;
            if (q < e && currency_len(q) == (size_t)(e - q)) {
                e = q;
                changed = 1;
            }
        }
    }
    *end = e;
    return b < e ? b : NULL;
}

/* Reads the digits of [s, e) with decimal mark dec; groups of three
 * separated by the other mark, a blank or an apostrophe. */
static int amount_digits(const char *s, const char *e, char dec, double *out)
{
    char buf[64];
    size_t n = 0, group = 0;
    int seen_dec = 0, seen_group = 0, first = 1;
    while (s < e && n + 1 < sizeof buf) {
        size_t bl = blank_len(s);
        if (isdigit((unsigned char)*s)) {
            buf[n++] = *s++;
            group++;
            continue;
        }
        if (*s == dec && !seen_dec) {
            if (seen_group && group != 3)
                return -1;
            buf[n++] = '.';
            seen_dec = 1;
            s++;
            continue;
        }
        if (seen_dec || !(bl || *s == '\'' || *s == (dec == '.' ? ',' : '.')))
            return -1;
        /* A group separator: after 1-3 digits first, then exactly 3. */
        if (group == 0 || group > 3 || (!first && group != 3))
            return -1;
        first = 0;
        seen_group = 1;
        group = 0;
        s += bl ? bl : 1;
    }
    if (s < e || n == 0 || (seen_group && !seen_dec && group != 3) ||
        buf[n - 1] == '.')
        return -1;
    buf[n] = '\0';
    char *end;
    *out = strtod(buf, &end);
    return *end ? -1 : 0;
}

int crm_parse_amount(const char *s, char decimal, double *out)
{
    const char *e;
    int neg;
    const char *b = amount_core(s, &e, &neg);
    if (!b || amount_digits(b, e, decimal, out))
        return -1;
    if (neg)
        *out = -*out;
    return 0;
}

/* What an amount says of the decimal mark: '.', ',' or 0 (nothing). */
static char amount_vote(const char *s)
{
    const char *e;
    int neg;
    const char *b = amount_core(s, &e, &neg);
    if (!b)
        return 0;
    const char *last = NULL;
    int dots = 0, commas = 0;
    for (const char *p = b; p < e; p++)
        if (*p == '.' || *p == ',') {
            dots += *p == '.';
            commas += *p == ',';
            last = p;
        }
    if (!last)
        return 0;
    if (dots && commas)
        return *last;
    if (dots + commas > 1)
        return dots ? ',' : '.';
    size_t after = 0;
    while (last + 1 + after < e && isdigit((unsigned char)last[1 + after]))
        after++;
    return after == 3 ? 0 : *last;
}

/* ------------------------------------------------------------ columns */

/* "Deal - Deal created" -> "deal_deal_created". */
static void normalise(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    int gap = 0;
    for (; *s && n + 2 < size; s++) {
        if (isalnum((unsigned char)*s)) {
            if (gap && n > 0)
                buf[n++] = '_';
            buf[n++] = (char)tolower((unsigned char)*s);
            gap = 0;
        } else {
            gap = 1;
        }
    }
    buf[n] = '\0';
}

/* Headers each role answers to, normalised, most specific first. The
 * dialect of a file is the one its created column's header names. */
static const char *const role_names[CRM_NCOLS][10] = {
    [CRM_ID] = {"opportunity_id", "record_id", "deal_id", "id",
                "deal_record_id", "opportunity_id_18", "hs_object_id", NULL},
    [CRM_OWNER] = {"opportunity_owner", "deal_owner", "owner", "owner_name",
                   "deal_owner_name", "sales_rep", "rep", NULL},
    [CRM_CREATED] = {"created_date", "create_date", "deal_deal_created",
                     "deal_created", "created", "created_at", "createdate",
                     "created_on", NULL},
    [CRM_CLOSED] = {"close_date", "closed_date", "deal_deal_closed_on",
                    "deal_closed_on", "closed", "closed_at", "closedate",
                    "closed_on", NULL},
    [CRM_STAGE] = {"deal_status", "status", "stage", "deal_stage", "dealstage",
                   "stage_name", "outcome", NULL},
    [CRM_AMOUNT] = {"amount", "deal_value", "value", "amount_usd",
                    "deal_amount", NULL},
};

static const char *const role_key[CRM_NCOLS] = {"id",     "owner", "created",
                                                "closed", "stage", "amount"};

static const char *dialect_of(const char *created_norm)
{
    if (!strcmp(created_norm, "created_date"))
        return "Salesforce opportunity report";
    if (!strcmp(created_norm, "create_date"))
        return "HubSpot deals";
    if (!strncmp(created_norm, "deal_", 5))
        return "Pipedrive deals";
    return "plain columns";
}

/* The column headed name (exactly, then case-insensitively), or -1. */
static int find_header(const struct csv *c, const char *name, size_t len)
{
    for (size_t i = 0; i < c->ncols; i++)
        if (strlen(c->cells[i]) == len && !strncmp(c->cells[i], name, len))
            return (int)i;
    for (size_t i = 0; i < c->ncols; i++)
        if (strlen(c->cells[i]) == len && !strncasecmp(c->cells[i], name, len))
            return (int)i;
    return -1;
}

/* --columns id=COL,owner=COL,... */
static int take_columns(struct crm_export *x, const char *spec, struct err *e)
{
    char cols[512];
    csv_header_list(&x->csv, "'", cols, sizeof cols);
    for (const char *p = spec; *p;) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        const char *eq = memchr(p, '=', (size_t)(end - p));
        int role = -1;
        for (int r = 0; eq && r < CRM_NCOLS; r++)
            if ((size_t)(eq - p) == strlen(role_key[r]) &&
                !strncmp(p, role_key[r], (size_t)(eq - p)))
                role = r;
        if (role < 0)
            return err_set(e, ERR_CONFIG,
                           "--columns: expected ROLE=COLUMN "
                           "with ROLE one of id, owner, created, closed, "
                           "stage, amount, got '%.*s'",
                           (int)(end - p), p);
        int c = find_header(&x->csv, eq + 1, (size_t)(end - eq - 1));
        if (c < 0)
            return err_at(e, ERR_CONFIG, x->path, 1,
                          "--columns %s=%.*s: no "
                          "such column; the header has: %s",
                          role_key[role], (int)(end - eq - 1), eq + 1, cols);
        x->col[role] = c;
        p = comma ? comma + 1 : end;
    }
    return 0;
}

static int find_columns(struct crm_export *x, const struct crm_opts *o,
                        struct err *e)
{
    char norm[128], created[128] = "";
    for (int r = 0; r < CRM_NCOLS; r++)
        x->col[r] = -1;
    if (o->columns && take_columns(x, o->columns, e))
        return -1;
    for (int r = 0; r < CRM_NCOLS; r++)
        for (size_t k = 0; x->col[r] < 0 && role_names[r][k]; k++)
            for (size_t i = 0; i < x->csv.ncols && x->col[r] < 0; i++) {
                normalise(x->csv.cells[i], norm, sizeof norm);
                if (!strcmp(norm, role_names[r][k]))
                    x->col[r] = (int)i;
            }
    for (int r = 0; r < CRM_NCOLS; r++) {
        if (x->col[r] >= 0)
            continue;
        char cols[512];
        csv_header_list(&x->csv, "'", cols, sizeof cols);
        return err_at(e, ERR_CONFIG, x->path, 1,
                      "no %s column (the header has: %s); name it with "
                      "--columns %s=COLUMN",
                      role_key[r], cols, role_key[r]);
    }
    normalise(x->csv.cells[x->col[CRM_CREATED]], created, sizeof created);
    x->dialect =
        o->columns ? "columns given by --columns" : dialect_of(created);
    return 0;
}

/* ------------------------------------------------------------ stages */

/* "Closed-Won" -> "closed won". */
static void stage_norm(const char *s, char *buf, size_t size)
{
    size_t n = 0;
    int gap = 0;
    for (; *s && n + 2 < size; s++) {
        if (*s == ' ' || *s == '_' || *s == '-' || *s == '\t') {
            gap = 1;
            continue;
        }
        if (gap && n > 0)
            buf[n++] = ' ';
        buf[n++] = (char)tolower((unsigned char)*s);
        gap = 0;
    }
    buf[n] = '\0';
}

/* Whether the normalised stage is one of the comma-separated words. */
static int in_list(const char *stage, const char *list)
{
    char word[128], norm[128];
    for (const char *p = list; p && *p;) {
        const char *comma = strchr(p, ',');
        size_t n = comma ? (size_t)(comma - p) : strlen(p);
        snprintf(word, sizeof word, "%.*s", (int)(n < 127 ? n : 127), p);
        stage_norm(word, norm, sizeof norm);
        if (!strcmp(norm, stage))
            return 1;
        p = comma ? comma + 1 : NULL;
    }
    return 0;
}

static int has_word(const char *s, const char *w)
{
    size_t n = strlen(w);
    for (const char *p = strstr(s, w); p; p = strstr(p + 1, w))
        if ((p == s || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return 1;
    return 0;
}

#define CRM_WON_DEFAULT  "won,closed won,closedwon"
#define CRM_LOST_DEFAULT "lost,closed lost,closedlost"

/* The outcome of a stage, or -1 for a stage that looks closed but is in
 * neither list. */
static int stage_outcome(const char *stage, const struct crm_opts *o)
{
    char norm[128];
    stage_norm(stage, norm, sizeof norm);
    if (in_list(norm, o->won ? o->won : CRM_WON_DEFAULT))
        return CRM_WON;
    if (in_list(norm, o->lost ? o->lost : CRM_LOST_DEFAULT))
        return CRM_LOST;
    if (has_word(norm, "won") || has_word(norm, "lost") ||
        has_word(norm, "closed") || !strcmp(norm, "closedwon") ||
        !strcmp(norm, "closedlost"))
        return -1;
    return CRM_OPEN;
}

/* ------------------------------------------------------- file-wide */

static const char *cell(const struct crm_export *x, size_t r, int role)
{
    return csv_get(&x->csv, r, x->col[role]);
}

static int blank(const char *s)
{
    while (*s && blank_len(s))
        s += blank_len(s);
    return *s == '\0';
}

/* The cell without leading and trailing blanks, into buf. */
static const char *trimmed(const char *s, char *buf, size_t size)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    snprintf(buf, size, "%.*s", (int)(n < size ? n : size - 1), s);
    return buf;
}

/* Decides M/D against D/M from every non-ISO date of the file. */
static int decide_dates(struct crm_export *x, const struct crm_opts *o,
                        struct err *e)
{
    int first_line = 0, mdy_line = 0, dmy_line = 0;
    char buf[64], mdy_s[64] = "", dmy_s[64] = "";
    x->datefmt = o->datefmt;
    for (size_t r = 0; r < x->csv.nrows; r++)
        for (int role = CRM_CREATED; role <= CRM_CLOSED; role++) {
            int a, b, y, iso;
            const char *rest, *s = trimmed(cell(x, r, role), buf, sizeof buf);
            if (!*s || date_fields(s, &a, &b, &y, &iso, &rest) || iso)
                continue;
            if (!first_line)
                first_line = x->csv.lines[r];
            if (b > 12 && !mdy_line) {
                mdy_line = x->csv.lines[r];
                snprintf(mdy_s, sizeof mdy_s, "%s", s);
            }
            if (a > 12 && !dmy_line) {
                dmy_line = x->csv.lines[r];
                snprintf(dmy_s, sizeof dmy_s, "%s", s);
            }
        }
    if (o->datefmt != CRM_DATE_AUTO || !first_line)
        return 0;
    if (mdy_line && dmy_line)
        return err_at(e, ERR_CONFIG, x->path, dmy_line,
                      "date '%s' puts the day first, but line %d's '%s' "
                      "puts the month first; one export uses one order",
                      dmy_s, mdy_line, mdy_s);
    if (mdy_line || dmy_line) {
        x->datefmt = mdy_line ? CRM_DATE_MDY : CRM_DATE_DMY;
        return 0;
    }
    return err_at(e, ERR_CONFIG, x->path, first_line,
                  "every date could be read as M/D/YYYY or as D/M/YYYY (no "
                  "day in the file is above 12); say which with "
                  "--date-format mdy or --date-format dmy");
}

/* Decides the decimal mark from every amount of the file. */
static int decide_decimal(struct crm_export *x, struct err *e)
{
    int line[2] = {0, 0};
    char text[2][64] = {"", ""};
    for (size_t r = 0; r < x->csv.nrows; r++) {
        char v = amount_vote(cell(x, r, CRM_AMOUNT));
        int k = v == '.' ? 0 : v == ',' ? 1 : -1;
        if (k >= 0 && !line[k]) {
            line[k] = x->csv.lines[r];
            trimmed(cell(x, r, CRM_AMOUNT), text[k], sizeof text[k]);
        }
    }
    if (line[0] && line[1])
        return err_at(e, ERR_CONFIG, x->path, line[1],
                      "amount '%s' has a decimal comma, but line %d's '%s' a "
                      "decimal point; one export uses one",
                      text[1], line[0], text[0]);
    x->decimal = line[0] ? '.' : line[1] ? ',' : x->sep == ';' ? ',' : '.';
    return 0;
}

/* ------------------------------------------------------------- rows */

static int skip(struct crm_export *x, int line, enum crm_skip why,
                struct err *e, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int skip(struct crm_export *x, int line, enum crm_skip why,
                struct err *e, const char *fmt, ...)
{
    struct crm_skipped *s = &x->skipped[x->n_skipped++];
    va_list ap;
    (void)e;
    s->line = line;
    s->why = why;
    va_start(ap, fmt);
    vsnprintf(s->detail, sizeof s->detail, fmt, ap);
    va_end(ap);
    x->skip_count[why]++;
    return 1;
}

/* The ids seen, sorted, to find duplicates: first[r] is the row of the
 * first occurrence of row r's id. */
static int *first_rows(const struct crm_export *x)
{
    size_t n = x->csv.nrows;
    int *first = malloc((n ? n : 1) * sizeof *first);
    size_t *ix = malloc((n ? n : 1) * sizeof *ix);
    if (!first || !ix) {
        free(first);
        free(ix);
        return NULL;
    }
    for (size_t r = 0; r < n; r++) {
        ix[r] = r;
        first[r] = (int)r;
    }
    /* Insertion into sorted order would be quadratic; a merge sort by
     * (id, row) keeps it n log n without a global for qsort. */
    size_t *tmp = malloc((n ? n : 1) * sizeof *tmp);
    if (!tmp) {
        free(first);
        free(ix);
        return NULL;
    }
    for (size_t w = 1; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n;
            size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi)
                tmp[k++] =
                    strcmp(cell(x, ix[i], CRM_ID), cell(x, ix[j], CRM_ID)) <= 0
                        ? ix[i++]
                        : ix[j++];
            while (i < mid)
                tmp[k++] = ix[i++];
            while (j < hi)
                tmp[k++] = ix[j++];
        }
        memcpy(ix, tmp, n * sizeof *ix);
    }
    for (size_t k = 1; k < n; k++)
        if (!strcmp(cell(x, ix[k], CRM_ID), cell(x, ix[k - 1], CRM_ID)))
            first[ix[k]] = first[ix[k - 1]];
    free(tmp);
    free(ix);
    return first;
}

/* Reads a date cell of row r; blank leaves *out NaN. */
static int read_date(const struct crm_export *x, size_t r, int role,
                     double *out, struct err *e)
{
    char buf[64];
    const char *s = trimmed(cell(x, r, role), buf, sizeof buf);
    *out = NAN;
    if (!*s || crm_parse_date(s, x->datefmt, out) == 0)
        return 0;
    return err_at(e, ERR_CONFIG, x->path, x->csv.lines[r],
                  "%s date '%s' is no date salescap reads (YYYY-MM-DD, "
                  "M/D/YYYY or D/M/YYYY, with or without a time%s)",
                  role == CRM_CREATED ? "created" : "closed", s,
                  x->datefmt == CRM_DATE_AUTO  ? ""
                  : x->datefmt == CRM_DATE_MDY ? "; this file's order is "
                                                 "M/D/YYYY"
                                               : "; this file's order is "
                                                 "D/M/YYYY");
}

static size_t owner_index(struct crm_export *x, const char *owner)
{
    for (size_t i = 0; i < x->n_owners; i++)
        if (!strcmp(x->owners[i], owner))
            return i;
    x->owners[x->n_owners] = owner;
    return x->n_owners++;
}

/* Judges row r: a deal, a skipped row, or an error for the whole file. */
static int read_row(struct crm_export *x, const struct crm_opts *o, size_t r,
                    const int *first, struct err *e)
{
    int line = x->csv.lines[r];
    const char *stage = cell(x, r, CRM_STAGE), *id = cell(x, r, CRM_ID);
    char sb[64], ab[64];
    double created, closed, amount = 0;
    if (read_date(x, r, CRM_CREATED, &created, e) ||
        read_date(x, r, CRM_CLOSED, &closed, e))
        return -1;
    const char *am = trimmed(cell(x, r, CRM_AMOUNT), ab, sizeof ab);
    if (*am && crm_parse_amount(am, x->decimal, &amount))
        return err_at(e, ERR_CONFIG, x->path, line,
                      "amount '%s' does not read as a number (this file "
                      "writes decimals with a %s)",
                      am, x->decimal == '.' ? "point" : "comma");
    if (blank(id))
        return skip(x, line, CRM_SKIP_NO_ID, e, "no id");
    if (first[r] != (int)r)
        return skip(x, line, CRM_SKIP_DUPLICATE, e,
                    "id '%.40s' first at line %d", trimmed(id, sb, sizeof sb),
                    x->csv.lines[first[r]]);
    int out = blank(stage) ? -1 : stage_outcome(stage, o);
    if (out < 0)
        return skip(
            x, line, CRM_SKIP_STAGE, e,
            blank(stage)
                ? "blank stage"
                : "stage '%.40s' is neither won nor lost (--won, --lost)",
            trimmed(stage, sb, sizeof sb));
    if (blank(cell(x, r, CRM_OWNER)))
        return skip(x, line, CRM_SKIP_NO_OWNER, e, "no owner");
    if (isnan(created))
        return skip(x, line, CRM_SKIP_NO_CREATED, e, "no created date");
    if (out != CRM_OPEN && isnan(closed))
        return skip(x, line, CRM_SKIP_NO_CLOSED, e, "%s without a closed date",
                    out == CRM_WON ? "won" : "lost");
    if (!*am)
        return skip(x, line, CRM_SKIP_AMOUNT_BLANK, e, "blank amount");
    if (amount < 0)
        return skip(x, line, CRM_SKIP_AMOUNT_NEGATIVE, e, "amount '%s'", am);
    char d1[16], d2[16];
    if (out != CRM_OPEN && closed < created) {
        crm_date_str(closed, d1, sizeof d1);
        crm_date_str(created, d2, sizeof d2);
        return skip(x, line, CRM_SKIP_CLOSE_BEFORE, e,
                    "closed %s before created %s", d1, d2);
    }
    struct crm_deal *d = &x->deals[x->n_deals++];
    d->id = id;
    d->owner = cell(x, r, CRM_OWNER);
    d->stage = stage;
    d->line = line;
    d->outcome = (enum crm_outcome)out;
    d->created = created;
    d->closed = out == CRM_OPEN ? NAN : closed;
    d->amount = amount;
    d->owner_ix = owner_index(x, d->owner);
    return 0;
}

/* The export date: --as-of, else the last date that is not after today.
 * Then deals with a date after it are set aside (future dates). */
static void drop_future(struct crm_export *x, const struct crm_opts *o)
{
    double last = -HUGE_VAL;
    double today = o->today > 0 ? o->today : HUGE_VAL; /* 0: no clock */
    for (size_t i = 0; i < x->n_deals; i++) {
        const struct crm_deal *d = &x->deals[i];
        if (d->created < today + 1)
            last = fmax(last, d->created);
        if (!isnan(d->closed) && d->closed < today + 1)
            last = fmax(last, d->closed);
    }
    x->as_of_given = o->has_as_of;
    x->as_of = o->has_as_of ? floor(o->as_of) : floor(last);
    size_t k = 0;
    for (size_t i = 0; i < x->n_deals; i++) {
        struct crm_deal *d = &x->deals[i];
        double when = d->created >= x->as_of + 1 ? d->created
                      : !isnan(d->closed) && d->closed >= x->as_of + 1
                          ? d->closed
                          : NAN;
        if (isnan(when)) {
            x->deals[k++] = *d;
            continue;
        }
        char d1[16], d2[16];
        crm_date_str(when, d1, sizeof d1);
        crm_date_str(x->as_of, d2, sizeof d2);
        skip(x, d->line, CRM_SKIP_FUTURE, NULL,
             "%s %s is after the export "
             "date %s",
             when == d->created ? "created" : "closed", d1, d2);
    }
    x->n_deals = k;
}

/* Skipped rows in line order (future dates were added last). */
static int by_line(const void *a, const void *b)
{
    const struct crm_skipped *p = a, *q = b;
    return (p->line > q->line) - (p->line < q->line);
}

static int read_rows(struct crm_export *x, const struct crm_opts *o,
                     struct err *e)
{
    size_t n = x->csv.nrows ? x->csv.nrows : 1;
    x->deals = calloc(n, sizeof *x->deals);
    x->skipped = calloc(n, sizeof *x->skipped);
    x->owners = calloc(n, sizeof *x->owners);
    int *first = first_rows(x);
    if (!x->deals || !x->skipped || !x->owners || !first) {
        free(first);
        return err_oom(e);
    }
    for (size_t r = 0; r < x->csv.nrows; r++)
        if (read_row(x, o, r, first, e) < 0) {
            free(first);
            return -1;
        }
    free(first);
    drop_future(x, o);
    qsort(x->skipped, x->n_skipped, sizeof *x->skipped, by_line);
    return 0;
}

/* The window's start: --since, else the first closed date. */
static int find_window(struct crm_export *x, const struct crm_opts *o,
                       struct err *e)
{
    double first = HUGE_VAL;
    size_t closed = 0;
    for (size_t i = 0; i < x->n_deals; i++)
        if (!isnan(x->deals[i].closed)) {
            first = fmin(first, x->deals[i].closed);
            closed++;
        }
    if (x->csv.nrows == 0)
        return err_at(e, ERR_CONFIG, x->path, 2, "no rows after the header");
    if (closed == 0)
        return err_at(e, ERR_CONFIG, x->path, x->csv.lines[0],
                      "no usable won or lost deal in %zu rows (%zu set "
                      "aside); nothing to estimate from",
                      x->csv.nrows, x->n_skipped);
    x->since_given = o->has_since;
    x->since = o->has_since ? floor(o->since) : floor(first);
    if (x->since >= x->as_of + 1) {
        char d1[16], d2[16];
        crm_date_str(x->since, d1, sizeof d1);
        crm_date_str(x->as_of, d2, sizeof d2);
        return err_at(e, ERR_CONFIG, x->path, x->csv.lines[0],
                      "the window starts on %s, after the export date %s", d1,
                      d2);
    }
    return 0;
}

int crm_read(struct crm_export *x, const char *path, const struct crm_opts *o,
             struct err *e)
{
    memset(x, 0, sizeof *x);
    x->path = path;
    size_t len;
    char *text = csv_slurp(path, &len, e);
    if (!text)
        return -1;
    x->sep = csv_sniff_sep(text, len);
    int rc = csv_parse_sep(&x->csv, text, len, x->sep, path, e);
    free(text);
    if (!rc)
        rc = find_columns(x, o, e);
    if (!rc)
        rc = decide_dates(x, o, e);
    if (!rc)
        rc = decide_decimal(x, e);
    if (!rc)
        rc = read_rows(x, o, e);
    if (!rc)
        rc = find_window(x, o, e);
    if (rc) {
        crm_destroy(x);
        return -1;
    }
    return 0;
}

void crm_destroy(struct crm_export *x)
{
    csv_destroy(&x->csv);
    free(x->deals);
    free(x->skipped);
    free(x->owners);
    memset(x, 0, sizeof *x);
}

const char *crm_skip_name(enum crm_skip why)
{
    static const char *const names[CRM_SKIP_COUNT] = {
        [CRM_SKIP_NO_ID] = "blank id",
        [CRM_SKIP_NO_CREATED] = "blank created date",
        [CRM_SKIP_NO_OWNER] = "blank owner",
        [CRM_SKIP_CLOSE_BEFORE] = "close before creation",
        [CRM_SKIP_AMOUNT_BLANK] = "blank amount",
        [CRM_SKIP_AMOUNT_NEGATIVE] = "negative amount",
        [CRM_SKIP_FUTURE] = "future date",
        [CRM_SKIP_DUPLICATE] = "duplicate id",
        [CRM_SKIP_STAGE] = "unknown stage",
        [CRM_SKIP_NO_CLOSED] = "closed without a date",
    };
    return (unsigned)why < CRM_SKIP_COUNT ? names[why] : "?";
}
