/*
 * sweep_values: value lists as written in [vary]: "4, 8, 16", ranges
 * START:STOP:STEP, and both mixed; commas inside parentheses belong to
 * the value ("lognormal(30000, 15000)").
 *
 * A range has floor((stop - start) / step + 1e-9) + 1 points, so a stop
 * that rounding puts a hair beyond the last step is still included; each
 * point is start + i * step (not a running sum, which drifts), written
 * with %.10g so that 0.1 * 3 reads "0.3".
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sweep_int.h"

/* ------------------------------------------------------------ values */

void sweep_values_free(char **values, size_t n)
{
    for (size_t i = 0; values && i < n; i++)
        free(values[i]);
    free(values);
}

/* A growing list of value strings. */
struct vlist {
    char **v;
    size_t n, cap;
};

static int vlist_push(struct vlist *l, const char *s, size_t len)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 16;
        char **nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = nc;
    }
    char *c = malloc(len + 1);
    if (!c)
        return -1;
    memcpy(c, s, len);
    c[len] = '\0';
    l->v[l->n++] = c;
    return 0;
}

/* Where the error of a value list goes. */
struct vsrc {
    const char *file, *section, *name;
    int line;
    struct err *e;
};

static int verr(const struct vsrc *src, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int verr(const struct vsrc *src, const char *fmt, ...)
{
    char msg[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_at(src->e, ERR_CONFIG, src->file, src->line, "[%s] %s: %s",
                  src->section, src->name, msg);
}

/* Parses a whole string as a finite number. */
static int parse_number(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* Splits "a : b : c" at its two colons into three trimmed parts. */
static int split_range(const char *item, char part[3][64])
{
    const char *c1 = strchr(item, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    if (!c2 || strchr(c2 + 1, ':'))
        return -1;
    const char *from[3] = {item, c1 + 1, c2 + 1};
    const char *to[3] = {c1, c2, item + strlen(item)};
    for (int i = 0; i < 3; i++) {
        const char *s = from[i], *t = to[i];
        while (s < t && isspace((unsigned char)*s))
            s++;
        while (t > s && isspace((unsigned char)t[-1]))
            t--;
        if (t - s >= 64)
            return -1;
        memcpy(part[i], s, (size_t)(t - s));
        part[i][t - s] = '\0';
    }
    return 0;
}

/* Number of points of START:STOP:STEP, stop included within 1e-9 steps. */
static double range_count(double start, double stop, double step)
{
    double k = (stop - start) / step;
    return floor(k + 1e-9 * fmax(1.0, fabs(k))) + 1.0;
}

/* Expands one START:STOP:STEP item onto l. */
static int expand_range(const struct vsrc *src, const char *item,
                        struct vlist *l)
{
    char part[3][64];
    double x[3];
    static const char *const what[3] = {"start", "stop", "step"};
    if (split_range(item, part) != 0)
        return verr(src, "expected START:STOP:STEP, got '%s'", item);
    for (int i = 0; i < 3; i++)
        if (parse_number(part[i], &x[i]) != 0)
            return verr(src, "%s '%s' of '%s' is not a number", what[i],
                        part[i], item);
    if (!(x[2] > 0.0))
        return verr(src, "step must be positive, got '%s'", part[2]);
    if (x[1] < x[0])
        return verr(src, "stop %s is below start %s", part[1], part[0]);
    double n = range_count(x[0], x[1], x[2]);
    if (n + (double)l->n > 1e15)
        return verr(src, "'%s' makes far too many values; at most %d", item,
                    SWEEP_MAX_VALUES);
    if (n + (double)l->n > SWEEP_MAX_VALUES)
        return verr(src, "'%s' makes %.0f values; at most %d", item,
                    n + (double)l->n, SWEEP_MAX_VALUES);
    for (long i = 0; i < (long)n; i++) {
        double v = x[0] + (double)i * x[2];
        char buf[64];
        snprintf(buf, sizeof buf, "%.10g", v == 0.0 ? 0.0 : v);
        if (vlist_push(l, buf, strlen(buf)))
            return err_oom(src->e);
    }
    return 0;
}

/* The end of the item starting at s: the next comma outside parentheses,
 * or the end of the string. Sets *bad on unbalanced parentheses. */
static const char *item_end(const char *s, int *bad)
{
    int depth = 0;
    for (; *s; s++) {
        if (*s == '(')
            depth++;
        else if (*s == ')' && --depth < 0)
            break;
        else if (*s == ',' && depth == 0)
            return s;
    }
    *bad = depth != 0;
    return s;
}

/* Adds one item (trimmed, non-empty) of a list to l. */
static int take_item(const struct vsrc *src, const char *s, size_t len,
                     size_t pos, struct vlist *l)
{
    while (len > 0 && isspace((unsigned char)*s))
        s++, len--;
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    if (len == 0)
        return verr(src, "empty value at position %zu of the list", pos);
    if (memchr(s, ':', len)) {
        char item[200];
        if (len >= sizeof item)
            return verr(src, "expected START:STOP:STEP, got '%.*s'", (int)len,
                        s);
        memcpy(item, s, len);
        item[len] = '\0';
        return expand_range(src, item, l);
    }
    if (l->n >= SWEEP_MAX_VALUES)
        return verr(src, "more than %d values", SWEEP_MAX_VALUES);
    return vlist_push(l, s, len) ? err_oom(src->e) : 0;
}

/* Expands spec onto *values; errors go to src. */
static int parse_list(const struct vsrc *src, const char *spec, char ***values,
                      size_t *n)
{
    struct vlist l = {0};
    const char *s = spec;
    size_t pos = 1;
    int bad = 0;
    /* "10,000": a thousands separator would split one value into two
     * points, 10 and 0, and the sweep would run them. A comma between a
     * digit and exactly three digits (not in parentheses) is refused. */
    int depth = 0;
    for (const char *c = spec; *c; c++) {
        depth += (*c == '(') - (*c == ')');
        if (*c != ',' || depth > 0 || c == spec ||
            !isdigit((unsigned char)c[-1]))
            continue;
        size_t d = strspn(c + 1, "0123456789");
        const char *after = c + 1 + d;
        while (*after == ' ' || *after == '\t')
            after++;
        if (d == 3 && (*after == '\0' || *after == ','))
            return verr(src,
                        "'%s': a comma between digits would split a "
                        "number into two values; write numbers without "
                        "thousands separators, and separate values with "
                        "', '",
                        spec);
    }
    for (;; pos++) {
        const char *end = item_end(s, &bad);
        if (bad || (*end && *end != ',')) {
            verr(src, "unbalanced parentheses in '%s'", spec);
            goto fail;
        }
        if (take_item(src, s, (size_t)(end - s), pos, &l))
            goto fail;
        if (!*end)
            break;
        s = end + 1;
    }
    *values = l.v;
    *n = l.n;
    return 0;
fail:
    sweep_values_free(l.v, l.n);
    return -1;
}

int sweep_values_parse(const char *spec, const char *file, int line,
                       const char *section, const char *name, char ***values,
                       size_t *n, struct err *e)
{
    struct vsrc src = {file, section, name, line, e};
    return parse_list(&src, spec, values, n);
}

int sweep_parse_values(const char *spec, const char *file, int line,
                       const char *name, char ***values, size_t *n,
                       struct err *e)
{
    return sweep_values_parse(spec, file, line, "vary", name, values, n, e);
}
