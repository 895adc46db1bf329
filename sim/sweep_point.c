/*
 * sweep_point: the grid (which value of each key a point takes), from a
 * grid point to its parameters, and from a replication of it to the
 * values a sweep summarises.
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

#define SWEEP_BLAME_MAX 64 /* keys a note names, at most */

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
        if (config_put(cfg, pa->section, pa->key, v, sw->path, pa->line, e) !=
            0) {
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
static int point_weeks(const struct sweep *sw, const struct params *p, int *w0,
                       int *w1, struct err *e)
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
                  "which is %d quarter%s",
                  q0, sw->q1, h, (h + 12) / 13, h > 13 ? "s" : "");
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
    /* A point is one set of numbers: its baseline is shared with other
     * points on the same draws (sweep_run.c), which per-replication
     * draws would break. */
    if (rc == 0 && p->n_uncertain > 0)
        rc = err_set(e, ERR_CONFIG,
                     "%s: %s is uncertain(); a sweep runs "
                     "each point with numbers: write it as one (or vary "
                     "it), or study it with 'salescap sensitivity'",
                     sw->model, p->uncertain[0].name);
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

int sweep_point_params(const struct sweep *sw, size_t point, struct params *p,
                       int *scen, int *w0, int *w1, struct err *e)
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

/* What the baseline of p reads: p without its scenarios, and without
 * the model keys that only interventions read, zeroed.
 * Assumption (sim/model_staff.c, sim/model.c): a role's lead_weeks is read
 * only by staff_hire(), which only interventions call; [support] is read only
 * for support staff, whom the baseline has only when support.staff > 0
 * (backfills replace them, and interventions hire them); [costs]
 * severance_weeks is paid only to people released, and only
 * interventions release anyone. */
static void baseline_view(const struct params *p, struct params *v)
{
    *v = *p;
    v->n_scenarios = 0;
    v->scenarios = NULL;
    v->sales.role.lead_weeks = 0.0;
    v->ops.role.lead_weeks = 0.0;
    v->support.role.lead_weeks = 0.0;
    v->costs.severance_weeks = 0.0;
    if (p->support.role.count == 0)
        memset(&v->support, 0, sizeof v->support);
}

/* FNV-1a of config_write's text of p (cfg may be NULL). */
static int params_hash(const struct config *cfg, const struct params *p,
                       const char *extra, uint64_t *h, struct err *e)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    int rc = f ? 0 : err_oom(e);
    if (f) {
        config_write(f, cfg, p, 0);
        fputs(extra, f);
        if ((ferror(f) | fclose(f)) != 0)
            rc = err_oom(e);
    }
    if (rc == 0)
        *h = hash_lines(text, len);
    free(text);
    return rc;
}

/* What point summarises and how, for its hash. Returns a malloc'd
 * string, or NULL. */
static char *point_extra(const struct sweep *sw, size_t point, int w0, int w1)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return NULL;
    fprintf(f, "\nsweep %s %d %d", sweep_point_scenario(sw, point), w0, w1);
    for (int k = 0; k < sw->n_metrics; k++)
        fprintf(f, " %d", sw->metrics[k]);
    if (sw->precision > 0.0)
        fprintf(f, " precision %.17g %ld", sw->precision, sw->max_replications);
    if (ferror(f) | fclose(f)) {
        free(text);
        return NULL;
    }
    return text;
}

/* The hash of point's resolved parameters and of what is summarised
 * (*h), and that of what its baseline reads, with the shape of the
 * model: the interventions of each scenario (*hb). */
static int point_hash(const struct sweep *sw, size_t point, uint64_t *h,
                      uint64_t *hb, struct err *e)
{
    struct config cfg;
    struct params p, v;
    int scen, w0, w1;
    if (point_resolve(sw, point, &cfg, &p, &scen, &w0, &w1, e) != 0)
        return -1;
    char *extra = point_extra(sw, point, w0, w1);
    int rc = extra ? params_hash(&cfg, &p, extra, h, e) : err_oom(e);
    uint64_t shape = SWEEP_FNV_INIT;
    for (size_t s = 0; s < p.n_scenarios; s++)
        shape =
            sweep_fnv(shape, &p.scenarios[s].n_iv, sizeof p.scenarios[s].n_iv);
    baseline_view(&p, &v);
    if (rc == 0)
        rc = params_hash(NULL, &v, "", hb, e);
    if (rc == 0)
        *hb = sweep_fnv(*hb, &shape, sizeof shape);
    free(extra);
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
                          "([vary] line %d); keep one",
                          pa->line);
        return err_set(e, ERR_CONFIG,
                       "--seed: the sweep varies it ([vary] "
                       "%s, line %d), so every point would override the "
                       "--seed",
                       pa->name, pa->line);
    }
    if (sw->has_seed) {
        snprintf(buf, sizeof buf, "%llu", (unsigned long long)sw->seed);
        if (config_put(&sw->base, "simulation", "seed", buf,
                       sw->line_seed ? sw->path : "--seed", sw->line_seed, e))
            return -1;
    }
    return 0;
}

/* The hash of the whole grid: header, size and every point's hash. */
static int grid_hash(struct sweep *sw, struct err *e)
{
    char *head = sweep_csv_header(sw);
    if (!head)
        return err_oom(e);
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
        uint64_t h, hb;
        struct err other = {0};
        if (j == bad)
            continue;
        if (point_hash(sw, j, &h, &hb, &other) == 0 ||
            strcmp(other.msg, e->msg) != 0) {
            name_point(sw, bad, e);
            return;
        }
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The number of distinct baselines. */
static int count_baselines(struct sweep *sw, struct err *e)
{
    uint64_t *h = malloc(sw->n_points * sizeof *h);
    if (!h)
        return err_oom(e);
    memcpy(h, sw->base_hash, sw->n_points * sizeof *h);
    qsort(h, sw->n_points, sizeof *h, cmp_u64);
    sw->n_baselines = 0;
    for (size_t i = 0; i < sw->n_points; i++)
        sw->n_baselines += i == 0 || h[i] != h[i - 1];
    free(h);
    return 0;
}

int sweep_prepare(struct sweep *sw, struct err *e)
{
    if (apply_run_keys(sw, e) != 0)
        return -1;
    free(sw->hash);
    free(sw->base_hash);
    sw->hash = calloc(sw->n_points, sizeof *sw->hash);
    sw->base_hash = calloc(sw->n_points, sizeof *sw->base_hash);
    if (!sw->hash || !sw->base_hash)
        return err_oom(e);
    for (size_t i = 0; i < sw->n_points; i++)
        if (point_hash(sw, i, &sw->hash[i], &sw->base_hash[i], e) != 0) {
            point_error(sw, i, e);
            return -1;
        }
    if (count_baselines(sw, e) != 0)
        return -1;
    struct params p;
    int scen, w0, w1;
    if (sweep_point_params(sw, 0, &p, &scen, &w0, &w1, e) != 0)
        return -1;
    sw->replications = p.sim.replications;
    params_destroy(&p);
    return grid_hash(sw, e);
}

/* ------------------------------------------------------------ baselines */

struct pair {
    uint64_t others, base;
};

static int cmp_pair(const void *a, const void *b)
{
    const struct pair *x = a, *y = b;
    if (x->others != y->others)
        return (x->others > y->others) - (x->others < y->others);
    return (x->base > y->base) - (x->base < y->base);
}

/* Whether key k alone changes the baseline: two points whose other
 * varied values are the same, as written, have different baselines.
 * (Values, not indices: in a zip sweep the same value recurs.) */
static int key_changes_baseline(const struct sweep *sw, size_t k,
                                struct pair *tmp)
{
    for (size_t p = 0; p < sw->n_points; p++) {
        uint64_t h = SWEEP_FNV_INIT;
        for (size_t j = 0; j < sw->n_params; j++) {
            const char *v = sw->params[j].values[sweep_value_index(sw, p, j)];
            if (j != k)
                h = sweep_fnv(h, v, strlen(v) + 1);
        }
        tmp[p] = (struct pair){h, sw->base_hash[p]};
    }
    qsort(tmp, sw->n_points, sizeof *tmp, cmp_pair);
    for (size_t p = 1; p < sw->n_points; p++)
        if (tmp[p].others == tmp[p - 1].others &&
            tmp[p].base != tmp[p - 1].base)
            return 1;
    return 0;
}

/* Whether key k sets something of the model (not of a scenario). */
static int model_key(const struct sweep_param *pa)
{
    return *pa->section && strncmp(pa->section, "scenario.", 9) != 0;
}

void sweep_baseline_note(const struct sweep *sw, char *buf, size_t size)
{
    buf[0] = '\0';
    if (sw->n_baselines < 2 || sw->separate)
        return;
    struct pair *tmp = malloc(sw->n_points * sizeof *tmp);
    size_t blamed[SWEEP_BLAME_MAX], nb = 0, len = 0;
    for (size_t k = 0; tmp && k < sw->n_params && nb < SWEEP_BLAME_MAX; k++)
        if (key_changes_baseline(sw, k, tmp))
            blamed[nb++] = k;
    free(tmp);
    /* Keys that change it only together (a zip sweep): every model key. */
    for (size_t k = 0; nb == 0 && k < sw->n_params; k++)
        if (model_key(&sw->params[k]) && k < SWEEP_BLAME_MAX)
            blamed[nb++] = k;
    for (size_t i = 0; i < nb && len < size; i++)
        len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                i == 0        ? ""
                                : i + 1 == nb ? " and "
                                              : ", ",
                                sw->params[blamed[i]].name);
    if (nb == 0)
        len = (size_t)snprintf(buf, size, "the varied values");
    if (len < size)
        snprintf(buf + len, size - len,
                 " change%s the baseline: %zu "
                 "baselines",
                 nb == 1 ? "s" : "", sw->n_baselines);
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
    fputs(",replications", f);
    if (ferror(f) | fclose(f)) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Writes ",x" (or "," when absent). */
static void field(FILE *f, int first, int have, double x)
{
    char b[64] = "";
    if (have)
        output_num(b, sizeof b, x);
    fprintf(f, "%s%s", first ? "" : ",", b);
}

char *sweep_summary_fields(const struct sweep *sw, const struct acc *acc,
                           long reps)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    for (int k = 0; k < sw->n_metrics; k++) {
        struct summary s;
        acc_summary(&acc[k], &s);
        field(f, k == 0, s.n > 0, s.mean);
        if (k == 0)
            field(f, 0, s.has_ci, s.sd);
        field(f, 0, s.has_ci, s.lo);
        field(f, 0, s.has_ci, s.hi);
        if (k == 0)
            fprintf(f, ",%ld", s.n);
    }
    fprintf(f, ",%ld", reps);
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
}

/* Frees the model, checkpoints and baseline parameters. */
static void cache_drop_model(struct sweep_cache *c)
{
    for (int i = 0; i < c->n_cp; i++)
        model_checkpoint_free(c->cps[i]);
    c->n_cp = 0;
    model_free(c->m);
    c->m = NULL;
    params_destroy(&c->bp);
    c->key_set = 0;
}

void sweep_cache_destroy(struct sweep_cache *c)
{
    cache_drop_model(c);
    for (int i = 0; i < c->n; i++)
        params_destroy(&c->e[i].p);
    free(c->raw_b);
    free(c->raw_s);
    sweep_cache_init(c);
}

/* Makes c->e hold the parameters of t's points, in t's order, keeping
 * those it has. */
static int cache_points(const struct sweep *sw, struct sweep_cache *c,
                        const struct sweep_task *t, struct err *e)
{
    struct sweep_entry *old = malloc((size_t)c->n * sizeof *old + 1);
    int n_old = c->n, rc = 0;
    if (!old)
        return err_oom(e);
    memcpy(old, c->e, (size_t)n_old * sizeof *old);
    c->n = 0;
    for (int i = 0; i < t->n && rc == 0; i++) {
        struct sweep_entry *en = &c->e[i];
        int j = 0;
        while (j < n_old && old[j].point != t->points[i])
            j++;
        if (j < n_old) {
            *en = old[j];
            old[j] = old[--n_old];
        } else if (sweep_point_params(sw, (size_t)t->points[i], &en->p,
                                      &en->scen, &en->w0, &en->w1, e) != 0) {
            name_point(sw, (size_t)t->points[i], e);
            rc = -1;
            break;
        } else {
            en->point = t->points[i];
            en->tick = model_divergence_tick(&en->p, en->scen);
        }
        c->n++;
    }
    for (int j = 0; j < n_old; j++)
        params_destroy(&old[j].p);
    free(old);
    return rc;
}

/* Makes c->m a model of the baseline t's points share (with separate
 * baselines: of t's point), with room for the weekly rows. */
static int cache_model(const struct sweep *sw, struct sweep_cache *c,
                       const struct sweep_task *t, struct err *e)
{
    size_t p0 = (size_t)t->points[0];
    uint64_t key = sw->separate ? (uint64_t)p0 : sw->base_hash[p0];
    if (c->key_set && c->key == key)
        return 0;
    cache_drop_model(c);
    int scen, w0, w1;
    if (sweep_point_params(sw, p0, &c->bp, &scen, &w0, &w1, e) != 0)
        return -1;
    size_t need = model_raw_len(&c->bp);
    if (need > c->raw_cap) {
        free(c->raw_b);
        free(c->raw_s);
        c->raw_b = malloc(need * sizeof *c->raw_b);
        c->raw_s = malloc(need * sizeof *c->raw_s);
        c->raw_cap = c->raw_b && c->raw_s ? need : 0;
        if (!c->raw_cap)
            return err_oom(e);
    }
    if (!(c->m = model_alloc(&c->bp, e)))
        return -1;
    c->key = key;
    c->key_set = 1;
    return 0;
}

/* Makes c->cps the checkpoints at the distinct divergence ticks of the
 * entries (ascending), and cp_of[i] the one entry i starts from. */
static int cache_checkpoints(struct sweep_cache *c, struct err *e)
{
    int tick[SWEEP_BLOCK_MAX], n = 0;
    for (int i = 0; i < c->n; i++) {
        int t = c->e[i].tick, j = n;
        while (j > 0 && tick[j - 1] > t)
            j--;
        if (j > 0 && tick[j - 1] == t)
            continue;
        memmove(&tick[j + 1], &tick[j], (size_t)(n - j) * sizeof *tick);
        tick[j] = t;
        n++;
    }
    if (n != c->n_cp || memcmp(tick, c->cp_tick, (size_t)n * sizeof *tick)) {
        for (int i = 0; i < c->n_cp; i++)
            model_checkpoint_free(c->cps[i]);
        c->n_cp = 0;
        for (; c->n_cp < n; c->n_cp++) {
            c->cp_tick[c->n_cp] = tick[c->n_cp];
            c->cps[c->n_cp] = model_checkpoint_alloc(&c->bp, tick[c->n_cp], e);
            if (!c->cps[c->n_cp])
                return -1;
        }
    }
    for (int i = 0; i < c->n; i++) {
        int j = 0;
        while (c->cp_tick[j] != c->e[i].tick)
            j++;
        c->cp_of[i] = j;
    }
    return 0;
}

/* The values of one replication of entry en, from the two series. */
static void rep_values(const struct sweep *sw, const struct sweep_cache *c,
                       const struct sweep_entry *en, double *out)
{
    size_t off = (size_t)c->bp.sim.warmup_weeks * RAW_COUNT;
    const double *b = c->raw_b + off, *s = c->raw_s + off;
    for (int k = 0; k < sw->n_metrics; k++) {
        int m = sw->metrics[k];
        double xb, xs;
        int mm = m == SWEEP_LOST_REVENUE ? M_REVENUE : m;
        if (metric_combine(b, en->w0, en->w1, mm, &xb) != 0 ||
            metric_combine(s, en->w0, en->w1, mm, &xs) != 0)
            out[k] = NAN;
        else
            out[k] = m == SWEEP_LOST_REVENUE ? xb - xs : xs - xb;
    }
}

/* Replication r of every entry: the baseline once, leaving its
 * checkpoints, then each scenario from its own (separate baselines: both
 * from scratch). Values go to out[i * stride]. */
static int run_replication(const struct sweep *sw, struct sweep_cache *c,
                           uint64_t r, double *out, size_t stride,
                           struct err *e)
{
    if (sw->separate) {
        if (model_run(c->m, -1, r, c->raw_b, NULL, e) != 0 ||
            model_run(c->m, c->e[0].scen, r, c->raw_s, NULL, e) != 0)
            return 0;
        rep_values(sw, c, &c->e[0], out);
        return 1;
    }
    if (model_run_baseline(c->m, r, c->raw_b, NULL, c->cps, (size_t)c->n_cp,
                           e) != 0)
        return 0;
    for (int i = 0; i < c->n; i++) {
        const struct sweep_entry *en = &c->e[i];
        if (model_run_from_params(c->m, c->cps[c->cp_of[i]], &en->p, en->scen,
                                  c->raw_s, NULL, e) != 0)
            return i;
        rep_values(sw, c, en, out + (size_t)i * stride);
    }
    return c->n;
}

int sweep_task_run(const struct sweep *sw, struct sweep_cache *c,
                   const struct sweep_task *t, double *out, volatile int *stop,
                   struct err *e)
{
    if (cache_model(sw, c, t, e) != 0 || cache_points(sw, c, t, e) != 0 ||
        (!sw->separate && cache_checkpoints(c, e) != 0))
        return -1;
    model_set_stop(c->m, stop); /* a long replication stops at a tick */
    size_t nm = (size_t)sw->n_metrics, len = (size_t)(t->r1 - t->r0);
    for (long r = t->r0; r < t->r1; r++) {
        if (stop && *stop)
            return 1;
        double *o = out + (size_t)(r - t->r0) * nm;
        int done = run_replication(sw, c, (uint64_t)r, o, len * nm, e);
        if (done < c->n) {
            if (stop && *stop)
                return 1;
            name_point(sw, (size_t)t->points[done], e);
            return -1;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ the grid */

size_t sweep_value_index(const struct sweep *sw, size_t point, size_t k)
{
    if (sw->zip)
        return point;
    for (size_t j = sw->n_params; j-- > k + 1;)
        point /= sw->params[j].n;
    return point % sw->params[k].n;
}

const char *sweep_point_scenario(const struct sweep *sw, size_t point)
{
    if (sw->scen_param < 0)
        return sw->scenario;
    const struct sweep_param *pa = &sw->params[sw->scen_param];
    return pa->values[sweep_value_index(sw, point, (size_t)sw->scen_param)];
}

void sweep_point_label(const struct sweep *sw, size_t point, char *buf,
                       size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < sw->n_params && len < size; k++) {
        const struct sweep_param *pa = &sw->params[k];
        len += (size_t)snprintf(buf + len, size - len, "%s%s = %s",
                                k ? ", " : "", pa->name,
                                pa->values[sweep_value_index(sw, point, k)]);
    }
}
