/*
 * dist: parsing, sampling and formatting of distribution specs.
 *
 * Invariant: a struct dist that dist_parse() accepted has valid derived
 * parameters (a, b) and an exact mean, so dist_sample() never checks
 * anything and never fails. dist_parse() leaves *d untouched on error.
 *
 * Common random numbers: every sampler except gamma and beta draws a fixed
 * number of uniforms (inverse-CDF style): exponential, uniform, triangular,
 * normal, lognormal and empirical draw exactly one; a degenerate spec (sd 0,
 * min = max, one empirical value) draws none, like fixed(x), so that
 * "lognormal(5, 0)" and "5" behave identically. Gamma and beta use GSL's
 * rejection samplers (Marsaglia-Tsang; Johnk or two gammas), which draw a
 * random number of uniforms. See docs/random.md.
 */
/* GSL's documented switch: its inline functions become inline. Uniforms
 * come from rng_uniform() (rng.h), inlined for xoshiro256++. */
#define HAVE_INLINE 1

#include "dist.h"
#include "afile.h"
#include "csvread.h"
#include "rng.h"
#include "text.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define DIST_GENERIC "expected a number or a distribution like gamma(30, 10)"
#define DIST_NUM_MAX 128 /* longest number token, bytes */
/* std_normal() stays within about 8.3 sd: parameters whose draws could
 * overflow that far out are refused at parse time. */
#define SAMPLE_SD_MAX 9
#define PATH_MAX_SPEC 200 /* a spec fits on a 199-byte line */

struct dist_info {
    const char *name;
    const char *sig; /* prefix of error messages */
    enum dist_kind kind;
    int nargs; /* 0: one or more (empirical) */
    const char *args[3];
};

static const struct dist_info dist_table[] = {
    {"fixed", "fixed(x)", DIST_FIXED, 1, {"x"}},
    {"exponential", "exponential(mean)", DIST_EXPONENTIAL, 1, {"mean"}},
    {"uniform", "uniform(min, max)", DIST_UNIFORM, 2, {"min", "max"}},
    {"triangular",
     "triangular(min, mode, max)",
     DIST_TRIANGULAR,
     3,
     {"min", "mode", "max"}},
    {"normal", "normal(mean, sd)", DIST_NORMAL, 2, {"mean", "sd"}},
    {"lognormal", "lognormal(mean, sd)", DIST_LOGNORMAL, 2, {"mean", "sd"}},
    {"gamma", "gamma(mean, sd)", DIST_GAMMA, 2, {"mean", "sd"}},
    {"beta", "beta(mean, sd)", DIST_BETA, 2, {"mean", "sd"}},
    {"empirical", "empirical()", DIST_EMPIRICAL, 0, {NULL}},
    {"empirical_file",
     "empirical_file(PATH[, COLUMN])",
     DIST_EMPIRICAL_FILE,
     0,
     {NULL}},
};

#define DIST_NTABLE (sizeof dist_table / sizeof dist_table[0])

/* Names people reach for that are not prefixes or near misses. */
static const char *const dist_aliases[][2] = {
    {"gaussian", "normal"}, {"gauss", "normal"},        {"constant", "fixed"},
    {"const", "fixed"},     {"discrete", "empirical"},  {"choice", "empirical"},
    {"exp", "exponential"}, {"triangle", "triangular"},
};

static const char *skip_ws(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* Length of [s, s + len) without trailing whitespace. */
static size_t trim_len(const char *s, size_t len)
{
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    return len;
}

/* ---------------------------------------------------------------- numbers */

enum num_status { NUM_OK, NUM_BAD, NUM_NONFINITE, NUM_RANGE };

/* Parses the whole token [s, s + len), already trimmed. Decimal only:
 * hexadecimal floats, nan and inf (which strtod accepts) are refused. */
static enum num_status num_parse(const char *s, size_t len, double *out)
{
    char buf[DIST_NUM_MAX];
    if (len == 0 || len >= sizeof buf)
        return NUM_BAD;
    memcpy(buf, s, len);
    buf[len] = '\0';
    const char *p = buf + (buf[0] == '+' || buf[0] == '-');
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
        return NUM_BAD;
    char *end;
    errno = 0;
    double v = text_strtod(buf, &end);
    int range = errno == ERANGE;
    if (end == buf || *end != '\0')
        return NUM_BAD;
    if (isnan(v) || (isinf(v) && !range))
        return NUM_NONFINITE;
    if (isinf(v))
        return NUM_RANGE; /* overflow; underflow to 0 is accepted */
    *out = v;
    return NUM_OK;
}

/* ------------------------------------------------------------ suggestions */

static int is_prefix_ci(const char *pre, const char *s)
{
    size_t n = strlen(pre);
    if (n < 3 || n > strlen(s))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (tolower((unsigned char)pre[i]) != tolower((unsigned char)s[i]))
            return 0;
    return 1;
}

/* The known name an unknown one most likely meant, or NULL: an alias's
 * name; else the first name it begins (three letters at least: "norm");
 * else the nearest spelling (text_suggest). */
static const char *dist_suggest(const char *name)
{
    for (size_t i = 0; i < sizeof dist_aliases / sizeof dist_aliases[0]; i++)
        if (!strcasecmp(name, dist_aliases[i][0]))
            return dist_aliases[i][1];
    const char *cand[DIST_NTABLE];
    for (size_t i = 0; i < DIST_NTABLE; i++) {
        cand[i] = dist_table[i].name;
        if (is_prefix_ci(name, cand[i]))
            return cand[i];
    }
    return text_suggest(name, cand, DIST_NTABLE);
}

/* ---------------------------------------------------------------- parsing */

static const struct dist_info *dist_lookup(const char *name, size_t len)
{
    for (size_t i = 0; i < DIST_NTABLE; i++)
        if (strlen(dist_table[i].name) == len &&
            memcmp(dist_table[i].name, name, len) == 0)
            return &dist_table[i];
    return NULL;
}

static int is_nonfinite_word(const char *s, size_t len)
{
    static const char *const words[] = {"nan", "inf", "infinity"};
    for (size_t i = 0; i < 3; i++)
        if (strlen(words[i]) == len && strncasecmp(s, words[i], len) == 0)
            return 1;
    return 0;
}

struct tok {
    const char *s;
    size_t len;
};

/* Splits [s, e) at commas into trimmed tokens, storing at most max of
 * them. Returns the number of tokens; an all-blank list has none. */
static size_t split_args(const char *s, const char *e, struct tok *t,
                         size_t max)
{
    const char *b = skip_ws(s);
    if (b >= e)
        return 0;
    size_t n = 0;
    for (;;) {
        const char *c = memchr(b, ',', (size_t)(e - b));
        const char *stop = c ? c : e;
        if (n < max) {
            t[n].s = b;
            t[n].len = trim_len(b, (size_t)(stop - b));
        }
        n++;
        if (!c)
            return n;
        b = skip_ws(c + 1);
    }
}

/* Parses argument i of a distribution into *v. */
static int parse_arg(const struct dist_info *in, size_t i, struct tok t,
                     double *v, struct err *e)
{
    char vname[32];
    const char *name = in->args[0] ? in->args[i] : vname;
    if (!in->args[0])
        snprintf(vname, sizeof vname, "value %zu", i + 1);
    if (t.len == 0)
        return err_set(e, ERR_CONFIG, "%s: missing a number for %s", in->sig,
                       name);
    int len = (int)t.len;
    switch (num_parse(t.s, t.len, v)) {
    case NUM_OK:
        return 0;
    case NUM_BAD:
        break;
    case NUM_NONFINITE:
        return err_set(e, ERR_CONFIG,
                       "%s: %s must be a finite number, got '%.*s'", in->sig,
                       name, len, t.s);
    case NUM_RANGE:
        return err_set(e, ERR_CONFIG, "%s: %s is out of range, got '%.*s'",
                       in->sig, name, len, t.s);
    }
    return err_set(e, ERR_CONFIG, "%s: expected a number for %s, got '%.*s'",
                   in->sig, name, len, t.s);
}

static int dist_check(struct dist *x, const char *sig, struct err *e);

/* The error for a name followed by '(' that is no distribution. */
static int unknown_name(const char *name, size_t len, struct err *e)
{
    char nbuf[41];
    snprintf(nbuf, sizeof nbuf, "%.*s", len > 40 ? 40 : (int)len, name);
    const char *hint = dist_suggest(nbuf);
    if (hint)
        return err_set(e, ERR_CONFIG,
                       "unknown distribution '%s'; did you mean '%s'?", nbuf,
                       hint);
    return err_set(e, ERR_CONFIG,
                   "unknown distribution '%s'; known: fixed, exponential, "
                   "uniform, triangular, normal, lognormal, gamma, beta, "
                   "empirical, empirical_file",
                   nbuf);
}

static int parse_file_spec(struct dist *x, const struct dist_info *in,
                           const char *args, const char *rp, const char *file,
                           struct err *e);

/* spec is the whole (left-trimmed) spec; s points at its first letter;
 * file is where it was written (empirical_file's paths are relative to
 * its folder). */
static int parse_named(struct dist *x, const char *spec, const char *s,
                       const char *file, struct err *e)
{
    const char *name = s;
    while (isalnum((unsigned char)*s) || *s == '_')
        s++;
    size_t nlen = (size_t)(s - name);
    int whole = (int)trim_len(spec, strlen(spec));
    if (is_nonfinite_word(name, nlen))
        return err_set(e, ERR_CONFIG, "expected a finite number, got '%.*s'",
                       whole, spec);
    const struct dist_info *in = dist_lookup(name, nlen);
    const char *p = skip_ws(s);
    if (*p != '(') {
        if (in)
            return err_set(e, ERR_CONFIG, "%s: expected '(' after '%s'",
                           in->sig, in->name);
        return err_set(e, ERR_CONFIG, DIST_GENERIC ", got '%.*s'", whole, spec);
    }
    if (!in)
        return unknown_name(name, nlen, e);
    const char *rp = strchr(p, ')');
    if (!rp)
        return err_set(e, ERR_CONFIG, "%s: missing ')'", in->sig);
    if (in->kind == DIST_EMPIRICAL_FILE)
        return parse_file_spec(x, in, p + 1, rp, file, e);
    struct tok t[DIST_EMPIRICAL_MAX];
    size_t n = split_args(p + 1, rp, t, DIST_EMPIRICAL_MAX);
    if (in->nargs > 0 && n != (size_t)in->nargs)
        return err_set(e, ERR_CONFIG, "%s: expected %d argument%s, got %zu",
                       in->sig, in->nargs, in->nargs == 1 ? "" : "s", n);
    if (n == 0)
        return err_set(e, ERR_CONFIG, "%s: needs at least one value", in->sig);
    if (n > DIST_EMPIRICAL_MAX)
        return err_set(e, ERR_CONFIG, "%s: at most %d values, got %zu", in->sig,
                       DIST_EMPIRICAL_MAX, n);
    double *dst = in->kind == DIST_EMPIRICAL ? x->v : x->p;
    for (size_t i = 0; i < n; i++)
        if (parse_arg(in, i, t[i], &dst[i], e) != 0)
            return -1;
    const char *after = skip_ws(rp + 1);
    if (*after)
        return err_set(e, ERR_CONFIG, "%s: unexpected '%.*s' after ')'",
                       in->sig, (int)trim_len(after, strlen(after)), after);
    x->kind = in->kind;
    x->n = in->kind == DIST_EMPIRICAL ? n : 0;
    return dist_check(x, in->sig, e);
}

/* A bare number: a fixed value. s is left-trimmed. */
static int parse_number(struct dist *x, const char *s, struct err *e)
{
    size_t len = trim_len(s, strlen(s));
    int l = (int)len;
    double v = 0;
    switch (num_parse(s, len, &v)) {
    case NUM_OK:
        break;
    case NUM_BAD:
        return err_set(e, ERR_CONFIG, DIST_GENERIC ", got '%.*s'", l, s);
    case NUM_NONFINITE:
        return err_set(e, ERR_CONFIG, "expected a finite number, got '%.*s'", l,
                       s);
    case NUM_RANGE:
        return err_set(e, ERR_CONFIG, "number out of range, got '%.*s'", l, s);
    }
    if (x->nonneg && v < 0)
        return err_set(e, ERR_CONFIG, "expected a value >= 0, got %.10g", v);
    x->kind = DIST_FIXED;
    x->p[0] = v;
    return dist_check(x, "fixed(x)", e);
}

int dist_parse(struct dist *d, const char *spec, int nonneg, struct err *e)
{
    return dist_parse_in(d, spec, nonneg, NULL, e);
}

int dist_parse_in(struct dist *d, const char *spec, int nonneg,
                  const char *file, struct err *e)
{
    struct dist x;
    memset(&x, 0, sizeof x);
    x.nonneg = nonneg != 0;
    const char *s = skip_ws(spec);
    if (*s == '\0')
        return err_set(e, ERR_CONFIG, DIST_GENERIC ", got an empty value");
    int rc = isalpha((unsigned char)*s) || *s == '_'
                 ? parse_named(&x, s, s, file, e)
                 : parse_number(&x, s, e);
    if (rc != 0)
        return -1;
    *d = x;
    return 0;
}

/* ------------------------------------------------------------- validation */

/* E[max(X, 0)] for X ~ normal(mu, sd), sd > 0. */
static double normal_clamped_mean(double mu, double sd)
{
    double z = mu / sd;
    double cdf = 0.5 * erfc(-z / sqrt(2.0));
    double pdf = exp(-0.5 * z * z) * 0.39894228040143267794; /* 1/sqrt(2pi) */
    return mu * cdf + sd * pdf;
}

static int check_mean_sd(const struct dist *x, const char *sig, int mean_pos,
                         struct err *e)
{
    const double m = x->p[0], s = x->p[1];
    if (mean_pos && !(m > 0))
        return err_set(e, ERR_CONFIG, "%s: mean must be > 0, got %.10g", sig,
                       m);
    if (!mean_pos && x->nonneg && m < 0)
        return err_set(e, ERR_CONFIG, "%s: mean must be >= 0, got %.10g", sig,
                       m);
    if (s < 0)
        return err_set(e, ERR_CONFIG, "%s: sd must be >= 0, got %.10g", sig, s);
    return 0;
}

static int out_of_range(const char *sig, struct err *e)
{
    return err_set(e, ERR_CONFIG, "%s: parameters out of range for sampling",
                   sig);
}

static int check_lognormal(struct dist *x, const char *sig, struct err *e)
{
    if (check_mean_sd(x, sig, 1, e) != 0)
        return -1;
    double r = x->p[1] / x->p[0];
    double sigma2 = log1p(r * r);
    if (!isfinite(sigma2))
        return out_of_range(sig, e);
    x->a = log(x->p[0]) - sigma2 / 2;
    x->b = sqrt(sigma2);
    x->mean = x->p[0];
    if (!isfinite(exp(x->a + SAMPLE_SD_MAX * x->b)))
        return out_of_range(sig, e);
    return 0;
}

static int check_gamma(struct dist *x, const char *sig, struct err *e)
{
    if (check_mean_sd(x, sig, 1, e) != 0)
        return -1;
    const double m = x->p[0], s = x->p[1];
    x->mean = m;
    if (s == 0)
        return 0;
    x->a = (m / s) * (m / s); /* shape k = m^2 / s^2 */
    x->b = s * (s / m);       /* scale = s^2 / m */
    if (!isfinite(x->a) || !(x->a > 0) || !isfinite(x->b) || !(x->b > 0))
        return out_of_range(sig, e);
    /* A draw is b times a standard gamma(a) draw, which stays below
     * a + 40 sqrt(a) + 40 (far beyond any tail GSL reaches). */
    if (!isfinite(x->b * (x->a + 40 * sqrt(x->a) + 40)))
        return out_of_range(sig, e);
    return 0;
}

static int check_beta(struct dist *x, const char *sig, struct err *e)
{
    const double m = x->p[0], s = x->p[1];
    if (!(m > 0 && m < 1))
        return err_set(e, ERR_CONFIG,
                       "%s: mean must be between 0 and 1 (exclusive), "
                       "got %.10g",
                       sig, m);
    if (s < 0)
        return err_set(e, ERR_CONFIG, "%s: sd must be >= 0, got %.10g", sig, s);
    /* alpha + beta = nu = mean (1 - mean) / sd^2 - 1 must be > 0; an sd
     * within rounding of the bound counts as the bound. */
    double nu = s > 0 ? m * (1 - m) / (s * s) - 1 : HUGE_VAL;
    if (!(nu > 1e-9))
        return err_set(e, ERR_CONFIG,
                       "%s: needs sd < sqrt(mean*(1-mean)) = %.10g, got %.10g",
                       sig, sqrt(m * (1 - m)), s);
    x->mean = m;
    if (s == 0)
        return 0;
    x->a = m * nu;
    x->b = (1 - m) * nu;
    if (!isfinite(nu) || !(x->a > 0) || !(x->b > 0))
        return out_of_range(sig, e);
    return 0;
}

static int check_triangular(struct dist *x, const char *sig, struct err *e)
{
    const double lo = x->p[0], mode = x->p[1], hi = x->p[2];
    if (x->nonneg && lo < 0)
        return err_set(e, ERR_CONFIG, "%s: min must be >= 0, got %.10g", sig,
                       lo);
    if (!(lo <= mode && mode <= hi))
        return err_set(e, ERR_CONFIG,
                       "%s: needs min <= mode <= max, got %.10g, %.10g, %.10g",
                       sig, lo, mode, hi);
    x->b = hi - lo;
    /* The sampler takes sqrt(u * b * (max - min)): b * b must be finite. */
    if (!isfinite(x->b * x->b))
        return out_of_range(sig, e);
    x->a = x->b > 0 ? (mode - lo) / x->b : 0;
    x->mean = lo / 3 + mode / 3 + hi / 3;
    return 0;
}

static int check_empirical(struct dist *x, const char *sig, struct err *e)
{
    double mean = 0;
    const double *v = dist_values(x);
    for (size_t i = 0; i < x->n; i++) {
        if (x->nonneg && v[i] < 0)
            return err_set(e, ERR_CONFIG,
                           "%s: value %zu must be >= 0, got %.10g", sig, i + 1,
                           v[i]);
        mean += (v[i] - mean) / (double)(i + 1); /* cannot overflow */
    }
    x->mean = mean;
    return 0;
}

/* Validates the parameters of x and derives a, b and mean. */
static int dist_check(struct dist *x, const char *sig, struct err *e)
{
    double *p = x->p;
    switch (x->kind) {
    case DIST_FIXED:
        if (x->nonneg && p[0] < 0)
            return err_set(e, ERR_CONFIG, "%s: x must be >= 0, got %.10g", sig,
                           p[0]);
        if (p[0] == 0)
            p[0] = 0; /* no "-0" in dist_format */
        x->mean = p[0];
        return 0;
    case DIST_EXPONENTIAL:
        if (!(p[0] > 0))
            return err_set(e, ERR_CONFIG, "%s: mean must be > 0, got %.10g",
                           sig, p[0]);
        /* A draw is -mean log(1 - u), at most about 37 means. */
        if (!isfinite(p[0] * 40))
            return out_of_range(sig, e);
        x->mean = p[0];
        return 0;
    case DIST_UNIFORM:
        if (x->nonneg && p[0] < 0)
            return err_set(e, ERR_CONFIG, "%s: min must be >= 0, got %.10g",
                           sig, p[0]);
        if (p[0] > p[1])
            return err_set(e, ERR_CONFIG,
                           "%s: min must not exceed max, got %.10g > %.10g",
                           sig, p[0], p[1]);
        x->b = p[1] - p[0];
        if (!isfinite(x->b))
            return out_of_range(sig, e);
        x->mean = p[0] / 2 + p[1] / 2;
        return 0;
    case DIST_TRIANGULAR:
        return check_triangular(x, sig, e);
    case DIST_NORMAL:
        if (check_mean_sd(x, sig, 0, e) != 0)
            return -1;
        if (!isfinite(fabs(p[0]) + SAMPLE_SD_MAX * p[1]))
            return out_of_range(sig, e);
        x->mean =
            x->nonneg && p[1] > 0 ? normal_clamped_mean(p[0], p[1]) : p[0];
        return 0;
    case DIST_LOGNORMAL:
        return check_lognormal(x, sig, e);
    case DIST_GAMMA:
        return check_gamma(x, sig, e);
    case DIST_BETA:
        return check_beta(x, sig, e);
    case DIST_EMPIRICAL:
    case DIST_EMPIRICAL_FILE:
        return check_empirical(x, sig, e);
    }
    return err_set(e, ERR_CONFIG, "%s: unknown distribution kind", sig);
}

/* --------------------------------------------------------------- sampling */

/* One standard normal by inversion of one uniform. u = 0 (probability
 * 2^-53 with xoshiro256pp, 2^-32 with mt19937) maps to 2^-54, about -8.3
 * sd, instead of -infinity; the largest u gives about +8.2 sd. */
static inline double std_normal(gsl_rng *r)
{
    double u = rng_uniform(r);
    if (u <= 0)
        u = 0x1p-54;
    return gsl_cdf_ugaussian_Pinv(u);
}

double dist_sample(const struct dist *d, gsl_rng *r)
{
    const double *p = d->p;
    /* The commonest kind first, ahead of the jump table. */
    if (d->kind == DIST_EXPONENTIAL)
        return rng_exponential(r, p[0]);
    switch (d->kind) {
    case DIST_FIXED:
        return p[0];
    case DIST_EXPONENTIAL:
        return rng_exponential(r, p[0]);
    case DIST_UNIFORM:
        if (d->b == 0)
            return p[0];
        return p[0] + d->b * rng_uniform(r);
    case DIST_TRIANGULAR: {
        if (d->b == 0)
            return p[0];
        double u = rng_uniform(r);
        if (u < d->a)
            return p[0] + sqrt(u * d->b * (p[1] - p[0]));
        return p[2] - sqrt((1 - u) * d->b * (p[2] - p[1]));
    }
    case DIST_NORMAL: {
        if (p[1] == 0)
            return p[0];
        double x = p[0] + p[1] * std_normal(r);
        return d->nonneg && x < 0 ? 0 : x;
    }
    case DIST_LOGNORMAL:
        if (p[1] == 0)
            return p[0];
        return exp(d->a + d->b * std_normal(r));
    case DIST_GAMMA:
        if (p[1] == 0)
            return p[0];
        return gsl_ran_gamma(r, d->a, d->b);
    case DIST_BETA:
        if (p[1] == 0)
            return p[0];
        return gsl_ran_beta(r, d->a, d->b);
    case DIST_EMPIRICAL:
    case DIST_EMPIRICAL_FILE: {
        const double *v = dist_values(d);
        if (d->n <= 1)
            return v[0];
        size_t i = (size_t)(rng_uniform(r) * (double)d->n);
        return v[i < d->n ? i : d->n - 1];
    }
    }
    assert(0 && "unknown distribution kind");
    return 0;
}

/* ------------------------------------------------------------- formatting */

struct sbuf {
    char *buf;
    size_t size, len;
};

static void sb_str(struct sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len < b->size)
        snprintf(b->buf + b->len, b->size - b->len, "%s", s);
    b->len += n;
}

/* %.10g when that reads back as v, else the fewest digits (up to 17) that
 * do: a written spec (run.ini) must reproduce the run exactly, and
 * 1.7976931348623157e308 at %.10g reads back as out of range. */
static void sb_num(struct sbuf *b, double v)
{
    char tmp[32];
    text_number(v, tmp, sizeof tmp);
    sb_str(b, tmp);
}

int dist_format(const struct dist *d, char *buf, size_t size)
{
    struct sbuf b = {buf, size, 0};
    if (size)
        buf[0] = '\0';
    const struct dist_info *in = NULL;
    for (size_t i = 0; i < DIST_NTABLE; i++)
        if (dist_table[i].kind == d->kind)
            in = &dist_table[i];
    if (!in || d->kind == DIST_FIXED) {
        sb_num(&b, d->p[0]);
        return (int)b.len;
    }
    if (d->kind == DIST_EMPIRICAL_FILE) {
        sb_str(&b, "empirical_file(");
        sb_str(&b, d->src ? d->src : "");
        sb_str(&b, ")");
        return (int)b.len;
    }
    const double *v = d->kind == DIST_EMPIRICAL ? d->v : d->p;
    size_t n = d->kind == DIST_EMPIRICAL ? d->n : (size_t)in->nargs;
    sb_str(&b, in->name);
    sb_str(&b, "(");
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_str(&b, ", ");
        sb_num(&b, v[i]);
    }
    sb_str(&b, ")");
    return (int)b.len;
}

const double *dist_values(const struct dist *d)
{
    return d->kind == DIST_EMPIRICAL_FILE ? d->ext : d->v;
}

int dist_copy(struct dist *dst, const struct dist *src)
{
    *dst = *src;
    if (src->kind != DIST_EMPIRICAL_FILE)
        return 0;
    dst->ext = malloc(src->n * sizeof *dst->ext);
    dst->src = src->src ? strdup(src->src) : NULL;
    if (!dst->ext || (src->src && !dst->src)) {
        free(dst->ext);
        free(dst->src);
        memset(dst, 0, sizeof *dst);
        return -1;
    }
    memcpy(dst->ext, src->ext, src->n * sizeof *dst->ext);
    return 0;
}

void dist_destroy(struct dist *d)
{
    if (d->kind != DIST_EMPIRICAL_FILE)
        return;
    free(d->ext);
    free(d->src);
    memset(d, 0, sizeof *d);
}

/* ------------------------------------------------------ empirical_file */

/* The data of a file being read by empirical_file(). */
struct vfile {
    const char *path; /* as joined: relative to the current folder */
    const char *sig;
    struct csv csv;
    int col;          /* the column read */
    int header_value; /* the header row is a value (a one-column file of
                         numbers without a header) */
};

/* Reads and parses the CSV at vf->path. */
static int vfile_read(struct vfile *vf, struct err *e)
{
    struct stat st;
    if (stat(vf->path, &st) != 0)
        return err_set(e, ERR_CONFIG, "%s: cannot open '%s': %s", vf->sig,
                       vf->path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return err_set(
            e, ERR_CONFIG, "%s: cannot open '%s': %s", vf->sig, vf->path,
            S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
    struct err ce = {0};
    size_t len;
    char *text = csv_slurp(vf->path, &len, &ce);
    if (!text)
        return err_set(e, ERR_CONFIG, "%s: %s", vf->sig, ce.msg);
    int rc = csv_parse_sep(&vf->csv, text, len, csv_sniff_sep(text, len),
                           vf->path, &ce);
    free(text);
    if (rc != 0)
        return err_set(e, ce.kind, "%s: %s", vf->sig, ce.msg);
    return 0;
}

/* Picks the column: the named one, or the only one. */
static int vfile_column(struct vfile *vf, const char *name, struct err *e)
{
    const struct csv *c = &vf->csv;
    char cols[256];
    csv_header_list(c, "", cols, sizeof cols);
    if (name) {
        vf->col = csv_col(c, name);
        for (size_t i = 0; vf->col < 0 && i < c->ncols; i++)
            if (!strcasecmp(c->cells[i], name))
                vf->col = (int)i;
        if (vf->col < 0)
            return err_set(e, ERR_CONFIG,
                           "%s: no column '%s' in %s; it has: "
                           "%s",
                           vf->sig, name, vf->path, cols);
        return 0;
    }
    if (c->ncols != 1)
        return err_set(e, ERR_CONFIG,
                       "%s: %s has %zu columns (%s): name one, "
                       "as in empirical_file(PATH, %s)",
                       vf->sig, vf->path, c->ncols, cols, c->cells[0]);
    double v;
    const char *h = c->cells[0];
    vf->col = 0;
    vf->header_value = num_parse(h, trim_len(h, strlen(h)), &v) == NUM_OK;
    return 0;
}

/* Cell s of line as a value of the column. */
static int vfile_value(const struct vfile *vf, const char *s, int line,
                       int nonneg, double *out, struct err *e)
{
    const char *col = vf->csv.cells[vf->col];
    const char *b = skip_ws(s);
    size_t len = trim_len(b, strlen(b));
    if (len == 0)
        return err_set(e, ERR_CONFIG,
                       "%s: %s:%d: missing a number in column "
                       "'%s'",
                       vf->sig, vf->path, line, col);
    switch (num_parse(b, len, out)) {
    case NUM_OK:
        break;
    case NUM_BAD:
        return err_set(e, ERR_CONFIG,
                       "%s: %s:%d: expected a number in "
                       "column '%s', got '%.*s'",
                       vf->sig, vf->path, line, col, (int)len, b);
    case NUM_NONFINITE:
        return err_set(e, ERR_CONFIG,
                       "%s: %s:%d: expected a finite number, "
                       "got '%.*s'",
                       vf->sig, vf->path, line, (int)len, b);
    case NUM_RANGE:
        return err_set(e, ERR_CONFIG,
                       "%s: %s:%d: number out of range, got "
                       "'%.*s'",
                       vf->sig, vf->path, line, (int)len, b);
    }
    if (nonneg && *out < 0)
        return err_set(e, ERR_CONFIG,
                       "%s: %s:%d: value must be >= 0, got "
                       "%.10g",
                       vf->sig, vf->path, line, *out);
    return 0;
}

/* Reads the values of the chosen column into x->ext. */
static int vfile_values(struct vfile *vf, struct dist *x, struct err *e)
{
    const struct csv *c = &vf->csv;
    size_t n = c->nrows + (size_t)vf->header_value;
    if (n == 0)
        return err_set(e, ERR_CONFIG, "%s: %s: needs at least one value",
                       vf->sig, vf->path);
    x->ext = malloc(n * sizeof *x->ext);
    if (!x->ext)
        return err_oom(e);
    x->n = 0;
    if (vf->header_value &&
        vfile_value(vf, c->cells[vf->col], 1, x->nonneg, &x->ext[x->n++], e))
        return -1;
    for (size_t r = 0; r < c->nrows; r++)
        if (vfile_value(vf, csv_get(c, r, vf->col), c->lines[r], x->nonneg,
                        &x->ext[x->n++], e))
            return -1;
    return 0;
}

/* The canonical spec's arguments: the absolute path (so run.ini reads
 * the same file from any folder) and the column, if one was named. */
static int vfile_src(const struct vfile *vf, const char *col, struct dist *x,
                     struct err *e)
{
    char cwd[4096] = "";
    const char *p = vf->path;
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    if (p[0] != '/' && !getcwd(cwd, sizeof cwd))
        cwd[0] = '\0';
    size_t n = strlen(cwd) + 1 + strlen(p) + (col ? strlen(col) + 2 : 0) + 1;
    x->src = malloc(n);
    if (x->src)
        snprintf(x->src, n, "%s%s%s%s%s", cwd, cwd[0] ? "/" : "", p,
                 col ? ", " : "", col ? col : "");
    return x->src ? 0 : err_oom(e);
}

/* Ascending order of doubles, for qsort. */
static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* empirical_file(PATH[, COLUMN]); args is after '(' and rp at ')'. */
static int parse_file_spec(struct dist *x, const struct dist_info *in,
                           const char *args, const char *rp, const char *file,
                           struct err *e)
{
    struct tok t[3];
    size_t n = split_args(args, rp, t, 3);
    if (n == 0 || t[0].len == 0)
        return err_set(e, ERR_CONFIG, "%s: needs the path of a CSV file",
                       in->sig);
    if (n > 2 || (n == 2 && t[1].len == 0))
        return err_set(e, ERR_CONFIG,
                       "%s: expected a path and an optional "
                       "column name, got %zu arguments",
                       in->sig, n);
    const char *after = skip_ws(rp + 1);
    if (*after)
        return err_set(e, ERR_CONFIG, "%s: unexpected '%.*s' after ')'",
                       in->sig, (int)trim_len(after, strlen(after)), after);
    char path[PATH_MAX_SPEC], col[PATH_MAX_SPEC];
    if (t[0].len >= sizeof path || (n == 2 && t[1].len >= sizeof col))
        return err_set(e, ERR_CONFIG, "%s: path or column name too long",
                       in->sig);
    snprintf(path, sizeof path, "%.*s", (int)t[0].len, t[0].s);
    snprintf(col, sizeof col, "%.*s", n == 2 ? (int)t[1].len : 0,
             n == 2 ? t[1].s : "");
    struct vfile vf = {.sig = in->sig};
    char *joined = afile_join(file, path);
    if (!joined)
        return err_oom(e);
    vf.path = joined;
    x->kind = DIST_EMPIRICAL_FILE;
    int rc = vfile_read(&vf, e);
    if (!rc)
        rc = vfile_column(&vf, n == 2 ? col : NULL, e);
    if (!rc)
        rc = vfile_values(&vf, x, e);
    if (!rc)
        rc = vfile_src(&vf, n == 2 ? col : NULL, x, e);
    if (!rc)
        rc = dist_check(x, in->sig, e);
    /* Held in ascending order: a draw picks an index uniformly, so the
     * order changes no distribution, and a quantile is then one look-up
     * however many values the file has. */
    if (!rc)
        qsort(x->ext, x->n, sizeof *x->ext, cmp_double);
    csv_destroy(&vf.csv);
    free(joined);
    if (rc)
        dist_destroy(x);
    return rc;
}

void dist_fixed(struct dist *d, double x)
{
    memset(d, 0, sizeof *d);
    d->kind = DIST_FIXED;
    d->p[0] = x;
    d->mean = x;
}

/* ------------------------------------------------------------ moments */

/* E[max(X, 0)^2] for X ~ normal(mu, sd), sd > 0. */
static double normal_clamped_m2(double mu, double sd)
{
    double z = mu / sd;
    double cdf = 0.5 * erfc(-z / sqrt(2.0));
    double pdf = exp(-0.5 * z * z) * 0.39894228040143267794;
    return (mu * mu + sd * sd) * cdf + mu * sd * pdf;
}

double dist_variance(const struct dist *d)
{
    const double *p = d->p;
    switch (d->kind) {
    case DIST_FIXED:
        return 0;
    case DIST_EXPONENTIAL:
        return p[0] * p[0];
    case DIST_UNIFORM:
        return d->b * d->b / 12;
    case DIST_TRIANGULAR:
        return (p[0] * p[0] + p[1] * p[1] + p[2] * p[2] - p[0] * p[1] -
                p[0] * p[2] - p[1] * p[2]) /
               18;
    case DIST_NORMAL:
        if (d->nonneg && p[1] > 0)
            return fmax(0, normal_clamped_m2(p[0], p[1]) - d->mean * d->mean);
        return p[1] * p[1];
    case DIST_LOGNORMAL:
    case DIST_GAMMA:
    case DIST_BETA:
        return p[1] * p[1];
    case DIST_EMPIRICAL:
    case DIST_EMPIRICAL_FILE: {
        const double *v = dist_values(d);
        double s = 0;
        for (size_t i = 0; i < d->n; i++)
            s += (v[i] - d->mean) * (v[i] - d->mean);
        return d->n ? s / (double)d->n : 0;
    }
    }
    return 0;
}

/* The value of rank k (0-based, ascending) among v[0..n), without
 * sorting or allocating: n is small. */
static double rank_value(const double *v, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++) {
        size_t below = 0, equal = 0;
        for (size_t j = 0; j < n; j++) {
            below += v[j] < v[i];
            equal += v[j] == v[i];
        }
        if (below <= k && k < below + equal)
            return v[i];
    }
    return v[n - 1];
}

/* The u-quantile of a continuous CDF on [lo, hi] by bisection: GSL's
 * gamma and beta inverses fail to converge for small shapes (and abort
 * under its default error handler). */
static double invert(double (*cdf)(double, double, double), double a, double b,
                     double u, double lo, double hi)
{
    while (isfinite(hi) && cdf(hi, a, b) < u && hi < 1e300)
        hi *= 2;
    for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
        double mid = 0.5 * (lo + hi);
        if (cdf(mid, a, b) < u)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

double dist_quantile(const struct dist *d, double u)
{
    const double *p = d->p;
    u = u < 0 ? 0 : u > 1 ? 1 : u;
    switch (d->kind) {
    case DIST_FIXED:
        return p[0];
    case DIST_EXPONENTIAL:
        return -p[0] * log1p(-u);
    case DIST_UNIFORM:
        return p[0] + d->b * u;
    case DIST_TRIANGULAR:
        if (d->b == 0)
            return p[0];
        return u < d->a ? p[0] + sqrt(u * d->b * (p[1] - p[0]))
                        : p[2] - sqrt((1 - u) * d->b * (p[2] - p[1]));
    case DIST_NORMAL: {
        double x = p[1] > 0 ? p[0] + p[1] * gsl_cdf_ugaussian_Pinv(u) : p[0];
        return d->nonneg && x < 0 ? 0 : x;
    }
    case DIST_LOGNORMAL:
        return p[1] > 0 ? exp(d->a + d->b * gsl_cdf_ugaussian_Pinv(u)) : p[0];
    case DIST_GAMMA:
        return p[1] > 0 ? invert(gsl_cdf_gamma_P, d->a, d->b, u, 0,
                                 d->mean + 10 * p[1])
                        : p[0];
    case DIST_BETA:
        return p[1] > 0 ? invert(gsl_cdf_beta_P, d->a, d->b, u, 0, 1) : p[0];
    case DIST_EMPIRICAL: {
        size_t k = (size_t)(u * (double)d->n);
        return rank_value(d->v, d->n, k < d->n ? k : d->n - 1);
    }
    case DIST_EMPIRICAL_FILE: { /* sorted when read */
        size_t k = (size_t)(u * (double)d->n);
        return d->ext[k < d->n ? k : d->n - 1];
    }
    }
    return d->mean;
}
