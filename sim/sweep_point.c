/*
 * sweep_point: from a grid point to its parameters, and from a
 * replication of it to the values a sweep summarises.
 *
 * A point's configuration is a copy of the base with each varied key put
 * in, at the sweep file's line, so a bad value is reported where the user
 * wrote it. Its hash covers every resolved parameter (config_write's
 * text) and what is summarised (scenario, metrics, weeks): a journal line
 * is only trusted for a point with the same hash.
 *
 * Invariant of a cache: when point >= 0, p holds that point's resolved
 * parameters, m a model built on them, and the raw buffers room for
 * (warmup + horizon) weeks.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "stats.h"
#include "sweep_int.h"

static int oom(struct err *e)
{
    return err_set(e, ERR_RUNTIME, "out of memory");
}

uint64_t sweep_fnv(uint64_t h, const void *data, size_t len)
{
    const unsigned char *b = data;
    for (size_t i = 0; i < len; i++) {
        h ^= b[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* ------------------------------------------------------------ points */

/* The base with point's values put in, into cfg. */
static int point_config(const struct sweep *sw, size_t point,
                        struct config *cfg, struct err *e)
{
    if (config_copy(cfg, &sw->base, e) != 0)
        return -1;
    for (size_t k = 0; k < sw->n_params; k++) {
        const struct sweep_param *pa = &sw->params[k];
        const char *v = pa->values[sweep_value_index(sw, point, k)];
        if (!*pa->section)
            continue; /* the scenario key selects, it sets nothing */
        if (config_put(cfg, pa->section, pa->key, v, sw->path, pa->line,
                       e) != 0) {
            config_destroy(cfg);
            return -1;
        }
    }
    return 0;
}

/* Appends " (at KEY = V, ...)" to e's message. */
static void name_point(const struct sweep *sw, size_t point, struct err *e)
{
    char label[600];
    if (!e || e->kind == ERR_NONE)
        return;
    sweep_point_label(sw, point, label, sizeof label);
    size_t len = strlen(e->msg);
    snprintf(e->msg + len, sizeof e->msg - len, " (at %s)", label);
}

static int find_scenario(const char *id, const struct params *p)
{
    for (size_t s = 0; s < p->n_scenarios; s++)
        if (!strcmp(p->scenarios[s].id, id))
            return (int)s;
    return -1;
}

/* The reported weeks [w0, w1) of the sweep's quarters. */
static int point_weeks(const struct sweep *sw, const struct params *p,
                       int *w0, int *w1, struct err *e)
{
    int h = p->sim.horizon_weeks, q0 = sw->q0 ? sw->q0 : 1;
    *w0 = 13 * (q0 - 1);
    *w1 = sw->q1 && 13 * sw->q1 < h ? 13 * sw->q1 : h;
    /* The last quarter may be short, but must begin within the horizon:
     * the charts and sweep.ini name the quarters asked for. */
    if (*w0 < h && 13 * (sw->q1 - 1) < h)
        return 0;
    return err_at(e, ERR_CONFIG, sw->path, sw->line_quarters,
                  "[sweep] quarters = %d-%d: the horizon has %d weeks, "
                  "which is %d quarter%s", q0, sw->q1, h, (h + 12) / 13,
                  h > 13 ? "s" : "");
}

/* Resolves point into p, keeping its configuration in cfg. */
static int point_resolve(const struct sweep *sw, size_t point,
                         struct config *cfg, struct params *p, int *scen,
                         int *w0, int *w1, struct err *e)
{
    memset(p, 0, sizeof *p);
    if (point_config(sw, point, cfg, e) != 0)
        return -1;
    int rc = config_resolve(cfg, p, e);
    const char *id = sweep_point_scenario(sw, point);
    if (rc == 0 && (*scen = find_scenario(id, p)) < 0)
        rc = err_set(e, ERR_CONFIG, "%s: no scenario '%s'", sw->model, id);
    if (rc == 0)
        rc = point_weeks(sw, p, w0, w1, e);
    if (rc) {
        params_destroy(p);
        config_destroy(cfg);
    }
    return rc;
}

int sweep_point_params(const struct sweep *sw, size_t point,
                       struct params *p, int *scen, int *w0, int *w1,
                       struct err *e)
{
    struct config cfg;
    if (point_resolve(sw, point, &cfg, p, scen, w0, w1, e) != 0)
        return -1;
    config_destroy(&cfg);
    return 0;
}

/* FNV-1a of the text without its comment lines: they name files, which
 * may be reached by another path from another folder or machine. */
static uint64_t hash_lines(const char *text, size_t len)
{
    uint64_t h = SWEEP_FNV_INIT;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) + 1 : len - i;
        if (text[i] != ';')
            h = sweep_fnv(h, text + i, n);
        i += n;
    }
    return h;
}

/* The hash of point's resolved parameters and of what is summarised. */
static int point_hash(const struct sweep *sw, size_t point, uint64_t *h,
                      struct err *e)
{
    struct config cfg;
    struct params p;
    int scen, w0, w1;
    if (point_resolve(sw, point, &cfg, &p, &scen, &w0, &w1, e) != 0)
        return -1;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int rc = f ? 0 : oom(e);
    if (f) {
        config_write(f, &cfg, &p, 0);
        fprintf(f, "\nsweep %s %d %d", sweep_point_scenario(sw, point), w0,
                w1);
        for (int k = 0; k < sw->n_metrics; k++)
            fprintf(f, " %d", sw->metrics[k]);
        if ((ferror(f) | fclose(f)) != 0)
            rc = oom(e);
    }
    if (rc == 0)
        *h = hash_lines(text, len);
    free(text);
    params_destroy(&p);
    config_destroy(&cfg);
    return rc;
}

/* Puts the sweep's replications and seed into the base. */
static int apply_run_keys(struct sweep *sw, struct err *e)
{
    char buf[32];
    if (sw->replications > 0) {
        snprintf(buf, sizeof buf, "%ld", sw->replications);
        if (config_put(&sw->base, "simulation", "replications", buf,
                       sw->line_reps ? sw->path : "--replications",
                       sw->line_reps, e))
            return -1;
    }
    for (size_t k = 0; sw->has_seed && k < sw->n_params; k++) {
        const struct sweep_param *pa = &sw->params[k];
        if (strcmp(pa->section, "simulation") || strcmp(pa->key, "seed"))
            continue;
        /* Every point would put its own seed over it, silently. */
        if (sw->line_seed)
            return err_at(e, ERR_CONFIG, sw->path, sw->line_seed,
                          "[sweep] seed: the sweep varies simulation.seed "
                          "([vary] line %d); keep one", pa->line);
        return err_set(e, ERR_CONFIG, "--seed: the sweep varies it ([vary] "
                       "%s, line %d), so every point would override the "
                       "--seed", pa->name, pa->line);
    }
    if (sw->has_seed) {
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)sw->seed);
        if (config_put(&sw->base, "simulation", "seed", buf,
                       sw->line_seed ? sw->path : "--seed", sw->line_seed,
                       e))
            return -1;
    }
    return 0;
}

/* The hash of the whole grid: header, size and every point's hash. */
static int grid_hash(struct sweep *sw, struct err *e)
{
    char *head = sweep_csv_header(sw);
    if (!head)
        return oom(e);
    uint64_t h = sweep_fnv(SWEEP_FNV_INIT, head, strlen(head));
    free(head);
    h = sweep_fnv(h, &sw->n_points, sizeof sw->n_points);
    h = sweep_fnv(h, sw->hash, sw->n_points * sizeof *sw->hash);
    sw->sweep_hash = h;
    return 0;
}

/* Point `bad` failed with e: names it, unless every point fails with
 * the same message. That is a mistake in the base or in a --set, which
 * no point is to blame for: naming the first would send the user to the
 * [vary] lines. Only on an error, so resolving every point again costs
 * the sweep nothing. */
static void point_error(const struct sweep *sw, size_t bad, struct err *e)
{
    for (size_t j = 0; j < sw->n_points; j++) {
        uint64_t h;
        struct err other = {0};
        if (j == bad)
            continue;
        if (point_hash(sw, j, &h, &other) == 0 ||
            strcmp(other.msg, e->msg) != 0) {
            name_point(sw, bad, e);
            return;
        }
    }
}

int sweep_prepare(struct sweep *sw, struct err *e)
{
    if (apply_run_keys(sw, e) != 0)
        return -1;
    free(sw->hash);
    sw->hash = calloc(sw->n_points, sizeof *sw->hash);
    if (!sw->hash)
        return oom(e);
    for (size_t i = 0; i < sw->n_points; i++)
        if (point_hash(sw, i, &sw->hash[i], e) != 0) {
            point_error(sw, i, e);
            return -1;
        }
    struct params p;
    int scen, w0, w1;
    if (sweep_point_params(sw, 0, &p, &scen, &w0, &w1, e) != 0)
        return -1;
    sw->replications = p.sim.replications;
    params_destroy(&p);
    return grid_hash(sw, e);
}

/* ------------------------------------------------------------ CSV */

static const char *metric_name(int m)
{
    return m == SWEEP_LOST_REVENUE ? "lost_revenue" : metric_table[m].name;
}

char *sweep_csv_header(const struct sweep *sw)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    for (size_t k = 0; k < sw->n_params; k++) {
        output_csv_field(f, sw->params[k].name);
        fputc(',', f);
    }
    fputs("mean,sd,ci_low,ci_high,n", f);
    for (int k = 1; k < sw->n_metrics; k++) {
        const char *m = metric_name(sw->metrics[k]);
        fprintf(f, ",%s_mean,%s_ci_low,%s_ci_high", m, m, m);
    }
    if (ferror(f) | fclose(f)) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The summary of metric k over the replications, in their order. */
static void summarise(const struct sweep *sw, const double *vals, long n,
                      int k, struct summary *s)
{
    struct acc a = {0};
    for (long r = 0; r < n; r++) {
        double v = vals[(size_t)r * (size_t)sw->n_metrics + (size_t)k];
        if (!isnan(v))
            acc_add(&a, v);
    }
    acc_summary(&a, s);
}

/* Writes ",x" (or "," when absent). */
static void field(FILE *f, int first, int have, double x)
{
    char b[64] = "";
    if (have)
        output_num(b, sizeof b, x);
    fprintf(f, "%s%s", first ? "" : ",", b);
}

char *sweep_summary_row(const struct sweep *sw, const double *vals, long n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    for (int k = 0; k < sw->n_metrics; k++) {
        struct summary s;
        summarise(sw, vals, n, k, &s);
        field(f, k == 0, s.n > 0, s.mean);
        if (k == 0)
            field(f, 0, s.has_ci, s.sd);
        field(f, 0, s.has_ci, s.lo);
        field(f, 0, s.has_ci, s.hi);
        if (k == 0)
            fprintf(f, ",%ld", s.n);
    }
    if (ferror(f) | fclose(f)) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* ------------------------------------------------------------ tasks */

void sweep_cache_init(struct sweep_cache *c)
{
    memset(c, 0, sizeof *c);
    c->point = -1;
}

void sweep_cache_destroy(struct sweep_cache *c)
{
    model_free(c->m);
    params_destroy(&c->p);
    free(c->raw_b);
    free(c->raw_s);
    sweep_cache_init(c);
}

/* Makes c hold point's parameters and model. */
static int cache_point(const struct sweep *sw, struct sweep_cache *c,
                       size_t point, struct err *e)
{
    if (c->point == (long)point)
        return 0;
    model_free(c->m);
    c->m = NULL;
    params_destroy(&c->p);
    c->point = -1;
    if (sweep_point_params(sw, point, &c->p, &c->scen, &c->w0, &c->w1, e))
        return -1;
    size_t need = (size_t)(c->p.sim.warmup_weeks + c->p.sim.horizon_weeks) *
                  RAW_COUNT;
    if (need > c->raw_cap) {
        free(c->raw_b);
        free(c->raw_s);
        c->raw_b = malloc(need * sizeof *c->raw_b);
        c->raw_s = malloc(need * sizeof *c->raw_s);
        c->raw_cap = c->raw_b && c->raw_s ? need : 0;
        if (!c->raw_cap)
            return oom(e);
    }
    c->m = model_alloc(&c->p, e);
    if (!c->m)
        return -1;
    c->point = (long)point;
    return 0;
}

/* The values of one replication, from the two reported series. */
static void rep_values(const struct sweep *sw, const struct sweep_cache *c,
                       double *out)
{
    size_t off = (size_t)c->p.sim.warmup_weeks * RAW_COUNT;
    const double *b = c->raw_b + off, *s = c->raw_s + off;
    for (int k = 0; k < sw->n_metrics; k++) {
        int m = sw->metrics[k];
        double xb, xs;
        int mm = m == SWEEP_LOST_REVENUE ? M_REVENUE : m;
        if (metric_combine(b, c->w0, c->w1, mm, &xb) != 0 ||
            metric_combine(s, c->w0, c->w1, mm, &xs) != 0)
            out[k] = NAN;
        else
            out[k] = m == SWEEP_LOST_REVENUE ? xb - xs : xs - xb;
    }
}

int sweep_task_run(const struct sweep *sw, struct sweep_cache *c,
                   size_t point, long r0, long r1, double *out,
                   volatile int *stop, struct err *e)
{
    if (cache_point(sw, c, point, e) != 0)
        return -1;
    model_set_stop(c->m, stop); /* a long replication stops at a tick */
    for (long r = r0; r < r1; r++) {
        if (stop && *stop)
            return 1;
        if (model_run(c->m, -1, (uint64_t)r, c->raw_b, NULL, e) != 0 ||
            model_run(c->m, c->scen, (uint64_t)r, c->raw_s, NULL, e) != 0) {
            if (stop && *stop)
                return 1;
            name_point(sw, point, e);
            return -1;
        }
        rep_values(sw, c, out + (size_t)(r - r0) * (size_t)sw->n_metrics);
    }
    return 0;
}
