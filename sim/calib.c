/*
 * calib: the fit of free keys to [targets] (calib.h).
 *
 * Invariant: every evaluation resolves the config with the candidate
 * values put in (so each is validated like a file's key) and simulates
 * the baseline alone with the same seed and replications: two
 * evaluations of the same values give the same objective, bit for bit.
 */
#include "calib.h"

#include <gsl/gsl_multimin.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "run.h"

#define SIZE_TOL 1e-3 /* simplex size in the transformed space */
#define STALL    25   /* iterations without improvement that end a fit */
#define U_MAX    30.0 /* |u| beyond this is the bound itself */

/* ------------------------------------------------------------ free keys */

void calib_free_destroy(struct calib_free *f, size_t n)
{
    for (size_t i = 0; f && i < n; i++) {
        free(f[i].section);
        free(f[i].key);
    }
    free(f);
}

/* Splits "SECTION.KEY" as --set does: stage.NAME and scenario.ID take
 * two components. */
static int split_key(const char *name, size_t len, struct calib_free *x,
                     struct err *e)
{
    const char *dot = memchr(name, '.', len);
    if (dot && (!strncmp(name, "stage.", 6) || !strncmp(name, "scenario.", 9)))
        dot = memchr(dot + 1, '.', len - (size_t)(dot + 1 - name));
    if (!dot || dot == name || dot + 1 == name + len)
        return err_set(e, ERR_CONFIG,
                       "--free '%.*s': expected SECTION.KEY, "
                       "as in sales.opportunities_per_week or "
                       "stage.qualify.advance",
                       (int)len, name);
    x->section = strndup(name, (size_t)(dot - name));
    x->key = strndup(dot + 1, len - (size_t)(dot + 1 - name));
    if (!x->section || !x->key)
        return err_oom(e);
    return 0;
}

/* "LO:HI" into x's bounds. */
static int parse_bounds(const char *s, size_t len, struct calib_free *x,
                        struct err *e)
{
    char buf[128], *end;
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *colon = strchr(buf, ':');
    if (colon) {
        *colon = '\0';
        x->lo = strtod(buf, &end);
        if (end != buf && !*end) {
            x->hi = strtod(colon + 1, &end);
            if (end != colon + 1 && !*end && isfinite(x->lo) &&
                isfinite(x->hi)) {
                x->has_bounds = 1;
                return 0;
            }
        }
        *colon = ':';
    }
    return err_set(e, ERR_CONFIG,
                   "--free %s.%s=%s: expected bounds LO:HI, "
                   "as in =0.3:1.2",
                   x->section, x->key, buf);
}

int calib_parse_free(const char *spec, struct calib_free **f, size_t *n,
                     struct err *e)
{
    const char *s = spec;
    do {
        size_t len = strcspn(s, ",");
        struct calib_free *g = realloc(*f, (*n + 1) * sizeof *g);
        if (!g)
            return err_oom(e);
        *f = g;
        struct calib_free *x = &g[*n];
        *x = (struct calib_free){0};
        (*n)++;
        const char *eq = memchr(s, '=', len);
        size_t klen = eq ? (size_t)(eq - s) : len;
        if (split_key(s, klen, x, e))
            return -1;
        if (eq && parse_bounds(eq + 1, len - klen - 1, x, e))
            return -1;
        s += len;
    } while (*s++ == ',');
    return 0;
}

/* Default bounds: the key's range, narrowed to a factor of 4 either
 * side of the start where the range has no finite end. */
static int default_bounds(struct calib_free *x, double min, double max,
                          struct err *e)
{
    double v = x->start;
    x->lo = isfinite(min) ? min : -INFINITY;
    x->hi = isfinite(max) ? max : INFINITY;
    if (v > 0) {
        x->lo = fmax(x->lo, v / 4);
        x->hi = fmin(x->hi, 4 * v);
    } else if (v < 0) {
        x->lo = fmax(x->lo, 4 * v);
        x->hi = fmin(x->hi, v / 4);
    }
    if (!isfinite(x->lo) || !isfinite(x->hi) || !(x->lo < x->hi))
        return err_set(e, ERR_CONFIG,
                       "--free %s.%s: its value is %g; give "
                       "bounds it may take, as in %s.%s=LO:HI",
                       x->section, x->key, v, x->section, x->key);
    return 0;
}

static int check_bounds(const struct calib_free *x, double min, double max,
                        int min_open, struct err *e)
{
    int below = min_open ? x->lo <= min : x->lo < min;
    if (x->lo >= x->hi)
        return err_set(e, ERR_CONFIG,
                       "--free %s.%s=%g:%g: the lower bound "
                       "must be below the upper",
                       x->section, x->key, x->lo, x->hi);
    if (!below && x->hi <= max)
        return 0;
    char range[96];
    if (isfinite(max))
        snprintf(range, sizeof range, "%c%g, %g]", min_open ? '(' : '[', min,
                 max);
    else
        snprintf(range, sizeof range, "%s %g", min_open ? ">" : ">=", min);
    return err_set(e, ERR_CONFIG,
                   "--free %s.%s=%g:%g: the bounds must lie "
                   "in the key's range, %s",
                   x->section, x->key, x->lo, x->hi, range);
}

int calib_prepare(const struct params *p, struct calib_free *f, size_t n,
                  struct err *e)
{
    int any = 0;
    for (int k = 0; k < KPI_COUNT; k++)
        any |= p->targets.kpi[k].set;
    if (!any)
        return err_set(e, ERR_CONFIG,
                       "no [targets]: nothing to fit (write "
                       "the client's observed KPIs in a [targets] section, "
                       "docs/calibration.md)");
    if (n == 0)
        return err_set(e, ERR_CONFIG,
                       "no free key: name the keys to fit "
                       "with --free KEY[=LO:HI],...");
    for (size_t i = 0; i < n; i++) {
        struct calib_free *x = &f[i];
        double min, max;
        int open;
        struct err ke = {0};
        for (size_t j = 0; j < i; j++)
            if (!strcmp(f[j].section, x->section) && !strcmp(f[j].key, x->key))
                return err_set(e, ERR_CONFIG, "--free %s.%s: named twice",
                               x->section, x->key);
        if (config_number_key(p, x->section, x->key, &x->start, &min, &max,
                              &open, &ke))
            return err_set(e, ERR_CONFIG, "--free %s.%s: %s", x->section,
                           x->key, ke.msg);
        if (!x->has_bounds && default_bounds(x, min, max, e))
            return -1;
        if (x->has_bounds && check_bounds(x, min, max, open, e))
            return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ objective */

double calib_objective(const struct targets_params *t, const struct acc *kpi)
{
    double f = 0;
    for (int k = 0; k < KPI_COUNT; k++) {
        const struct target *g = &t->kpi[k];
        if (!g->set)
            continue;
        if (!(kpi[k].n > 0)) {
            f += CALIB_UNDEFINED;
            continue;
        }
        double z = (kpi[k].mean - g->value) / g->tol;
        f += z * z;
    }
    return f;
}

void calib_format(double v, char *buf, size_t size)
{
    snprintf(buf, size, "%.6g", v);
}

/* ------------------------------------------------------------ the fit */

struct eval {
    struct config *cfg;
    struct calib_free *f;
    size_t n;
    const struct calib_opts *o;
    struct err err;
    int failed, evaluations, iteration;
    double best;
    struct acc kpi[KPI_COUNT]; /* of the last evaluation */
};

static double to_value(const struct calib_free *x, double u)
{
    u = fmax(-U_MAX, fmin(U_MAX, u));
    return x->lo + (x->hi - x->lo) / (1 + exp(-u));
}

static double to_u(const struct calib_free *x, double v)
{
    double t = (v - x->lo) / (x->hi - x->lo);
    t = fmin(1 - 1e-6, fmax(1e-6, t));
    return log(t / (1 - t));
}

/* Simulates the model with values v[] put in; fills ev->kpi. Returns the
 * objective, or -1 with ev->err set. */
static double evaluate(struct eval *ev, const double *v)
{
    struct params p = {0};
    char buf[64];
    for (size_t i = 0; i < ev->n; i++) {
        /* The shortest text that reads back as v[i]: the fitted values
         * stay as FITTED.ini writes them. */
        for (int prec = 6; prec <= 17; prec++) {
            snprintf(buf, sizeof buf, "%.*g", prec, v[i]);
            if (strtod(buf, NULL) == v[i])
                break;
        }
        if (config_put(ev->cfg, ev->f[i].section, ev->f[i].key, buf,
                       "calibrate", 0, &ev->err))
            return -1;
    }
    if (config_resolve(ev->cfg, &p, &ev->err))
        return -1;
    size_t ns = p.n_scenarios;
    p.n_scenarios = 0; /* the baseline alone */
    p.sim.replications = (int)ev->o->replications;
    if (ev->o->has_seed)
        p.sim.seed = ev->o->seed;
    struct run_opts ro = {.jobs = ev->o->jobs,
                          .replications = ev->o->replications,
                          .stop = ev->o->stop};
    struct run_result r = {0};
    int rc = run_simulate(&p, &ro, &r, &ev->err);
    double obj = -1;
    if (rc == 0) {
        memcpy(ev->kpi, r.kpi, sizeof ev->kpi);
        obj = calib_objective(&p.targets, r.kpi);
    }
    p.n_scenarios = ns;
    run_result_destroy(&r);
    params_destroy(&p);
    ev->evaluations++;
    if (obj >= 0 && (ev->evaluations == 1 || obj < ev->best))
        ev->best = obj;
    if (obj >= 0 && ev->o->progress)
        ev->o->progress(ev->o->ctx, ev->evaluations, ev->iteration, ev->best);
    return obj;
}

/* GSL's view: u in, objective out. A failed evaluation returns a huge
 * value (a NaN would make GSL report an error of its own) and stops the
 * loop after the iteration. */
static double gsl_f(const gsl_vector *u, void *arg)
{
    struct eval *ev = arg;
    double v[64];
    if (ev->failed)
        return 1e300;
    for (size_t i = 0; i < ev->n; i++)
        v[i] = to_value(&ev->f[i], gsl_vector_get(u, i));
    double obj = evaluate(ev, v);
    if (obj < 0) {
        ev->failed = 1;
        return 1e300;
    }
    return obj;
}

/* Runs the simplex from the start; leaves the best u in best. */
static int simplex(struct eval *ev, struct calib_result *r, gsl_vector *best)
{
    size_t n = ev->n;
    gsl_vector *u = gsl_vector_alloc(n), *step = gsl_vector_alloc(n);
    gsl_multimin_fminimizer *s =
        gsl_multimin_fminimizer_alloc(gsl_multimin_fminimizer_nmsimplex2, n);
    int rc = -1;
    if (!u || !step || !s) {
        err_oom(&ev->err);
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        gsl_vector_set(u, i, to_u(&ev->f[i], ev->f[i].start));
        gsl_vector_set(step, i, 1.0);
    }
    gsl_multimin_function fn = {.f = gsl_f, .n = n, .params = ev};
    if (gsl_multimin_fminimizer_set(s, &fn, u, step) || ev->failed)
        goto out;
    memcpy(r->kpi_start, ev->kpi, sizeof r->kpi_start);
    r->f_start = ev->best; /* the first evaluation is the start */
    /* With common random numbers the objective is a fine staircase in
     * the keys (a deal is won or not): the simplex may shrink on a step
     * or wander on a flat; either ends the fit. */
    double last = gsl_multimin_fminimizer_minimum(s);
    int flat = 0;
    for (ev->iteration = 1; ev->iteration <= ev->o->max_iter; ev->iteration++) {
        if (gsl_multimin_fminimizer_iterate(s) || ev->failed)
            break;
        r->iterations = ev->iteration;
        double now = gsl_multimin_fminimizer_minimum(s);
        flat = now < last - 1e-9 * (1 + last) ? 0 : flat + 1;
        last = fmin(last, now);
        if (gsl_multimin_test_size(gsl_multimin_fminimizer_size(s), SIZE_TOL) ==
                GSL_SUCCESS ||
            now == 0 || flat >= STALL) {
            r->converged = 1;
            break;
        }
    }
    if (!ev->failed) {
        gsl_vector_memcpy(best, gsl_multimin_fminimizer_x(s));
        rc = 0;
    }
out:
    gsl_multimin_fminimizer_free(s);
    gsl_vector_free(u);
    gsl_vector_free(step);
    return rc;
}

int calib_run(struct config *cfg, struct calib_free *f, size_t n,
              const struct calib_opts *o, struct calib_result *r, struct err *e)
{
    struct eval ev = {.cfg = cfg, .f = f, .n = n, .o = o};
    memset(r, 0, sizeof *r);
    if (n > 64)
        return err_set(e, ERR_CONFIG, "--free: at most 64 keys");
    gsl_vector *best = gsl_vector_alloc(n);
    int rc = best ? simplex(&ev, r, best) : -1;
    if (!best)
        err_oom(&ev.err);
    if (rc == 0) {
        /* The values as FITTED.ini writes them, evaluated once more so
         * the table shows what the file reproduces. */
        double v[64];
        char buf[64];
        for (size_t i = 0; i < n; i++) {
            calib_format(to_value(&f[i], gsl_vector_get(best, i)), buf,
                         sizeof buf);
            f[i].fitted = strtod(buf, NULL);
            v[i] = f[i].fitted;
        }
        double obj = evaluate(&ev, v);
        if (obj < 0) {
            rc = -1;
        } else {
            r->f_fit = obj;
            memcpy(r->kpi_fit, ev.kpi, sizeof r->kpi_fit);
        }
    }
    r->evaluations = ev.evaluations;
    gsl_vector_free(best);
    if (rc)
        *e = ev.err;
    return rc;
}
