/*
 * sweep_file: reading a sweep file ([sweep] and [vary]).
 *
 * The sweep file goes through config_load() like any scenario file, so
 * it gets the same line reader and exact FILE:LINE errors; this file then
 * checks its two sections and expands each [vary] list into value
 * strings (sweep_values.c), which are later put into copies of the model
 * file exactly as if the user had written them there.
 *
 * Invariant of a loaded sweep: every param has n >= 1 values, no two
 * params set the same section and key, and n_points (the product of the
 * n, or their common n with zip) is at most SWEEP_MAX_POINTS.
 */
#include "sweep_int.h"
#include "afile.h"
#include "config_int.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Keys of [sweep], in the order the docs list them. */
static const char *const sweep_keys[] = {
    "file",   "scenario", "replications", "seed",
    "metric", "metrics",  "quarters",     "title",
};
#define N_SWEEP_KEYS (sizeof sweep_keys / sizeof sweep_keys[0])

/* Model sections a [vary] key may start with (besides stage.NAME and
 * scenario.ID); any other first component is an intervention key. */
static const char *const model_sections[] = {
    "simulation", "sales",  "operations", "support",
    "clients",    "market", "costs",
};

/* ------------------------------------------------------------ [sweep] */

/* The metric id of a name: metrics.h's, or SWEEP_LOST_REVENUE. */
static int metric_id(const char *name)
{
    if (!strcmp(name, "lost_revenue"))
        return SWEEP_LOST_REVENUE;
    return metric_find(name);
}

static int unknown_metric(const struct config_entry *en, const char *name,
                          struct err *e)
{
    const char *cand[M_COUNT + 1];
    for (int m = 0; m < M_COUNT; m++)
        cand[m] = metric_table[m].name;
    cand[M_COUNT] = "lost_revenue";
    const char *s = text_suggest(name, cand, M_COUNT + 1);
    return err_at(e, ERR_CONFIG, en->file, en->line,
                  "[sweep] %s: unknown metric '%s'%s%s%s", en->key, name,
                  s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
}

/* Appends the metrics of a comma list to sw->metrics. */
static int take_metrics(struct sweep *sw, const struct config_entry *en,
                        struct err *e)
{
    char **names;
    size_t n;
    if (sweep_values_parse(en->value, en->file, en->line, "sweep", "metrics",
                           &names, &n, e))
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < n; i++) {
        int m = metric_id(names[i]);
        if (m < 0)
            rc = unknown_metric(en, names[i], e);
        else if (sw->n_metrics == SWEEP_MAX_METRICS)
            rc = err_at(e, ERR_CONFIG, en->file, en->line,
                        "[sweep] "
                        "metrics: at most %d",
                        SWEEP_MAX_METRICS - 1);
        else
            sw->metrics[sw->n_metrics++] = m;
    }
    sweep_values_free(names, n);
    return rc;
}

static int parse_long_in(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno || v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* "3" or "1-8": 1-based quarters, first <= last. */
static int parse_quarters(const char *s, int *q0, int *q1)
{
    char a[32], b[32];
    const char *dash = strchr(s, '-');
    size_t n = dash ? (size_t)(dash - s) : strlen(s);
    if (n >= sizeof a || (dash && strlen(dash + 1) >= sizeof b))
        return -1;
    memcpy(a, s, n);
    a[n] = '\0';
    snprintf(b, sizeof b, "%s", dash ? dash + 1 : a);
    long x, y;
    if (parse_long_in(a, 1, 10000, &x) || parse_long_in(b, 1, 10000, &y) ||
        y < x)
        return -1;
    *q0 = (int)x;
    *q1 = (int)y;
    return 0;
}

static int bad_value(const struct config_entry *en, const char *expected,
                     struct err *e)
{
    return err_at(e, ERR_CONFIG, en->file, en->line,
                  "[sweep] %s: expected %s, got '%s'", en->key, expected,
                  en->value);
}

static int take_string(char **dst, const char *v, struct err *e)
{
    free(*dst);
    *dst = strdup(v);
    return *dst ? 0 : err_oom(e);
}

static int take_seed(struct sweep *sw, const struct config_entry *en,
                     struct err *e)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(en->value, &end, 10);
    if (errno || end == en->value || *end || en->value[0] == '-')
        return bad_value(en, "a whole number from 0 to 2^64-1", e);
    sw->seed = v;
    sw->has_seed = 1;
    sw->line_seed = en->line;
    return 0;
}

/* One key of [sweep]; the main metric is sw->metrics[0]. */
static int take_sweep_key(struct sweep *sw, const struct config_entry *en,
                          struct err *e)
{
    const char *k = en->key, *v = en->value;
    if (!strcmp(k, "file")) {
        sw->line_file = en->line;
        free(sw->model);
        sw->model = *v ? afile_join(sw->path, v) : NULL;
        return sw->model || !*v ? 0 : err_oom(e);
    }
    if (!strcmp(k, "scenario")) {
        sw->line_scenario = en->line;
        return take_string(&sw->scenario, v, e);
    }
    if (!strcmp(k, "title"))
        return take_string(&sw->title, v, e);
    if (!strcmp(k, "replications")) {
        sw->line_reps = en->line;
        return parse_long_in(v, 1, 100000000, &sw->replications)
                   ? bad_value(en, "a whole number from 1 to 100000000", e)
                   : 0;
    }
    if (!strcmp(k, "seed"))
        return take_seed(sw, en, e);
    if (!strcmp(k, "metric")) {
        int m = metric_id(v);
        if (m < 0)
            return unknown_metric(en, v, e);
        sw->metrics[0] = m;
        return 0;
    }
    if (!strcmp(k, "metrics"))
        return take_metrics(sw, en, e);
    if (!strcmp(k, "quarters")) {
        sw->line_quarters = en->line;
        return parse_quarters(v, &sw->q0, &sw->q1)
                   ? bad_value(en, "Q or Q1-Q2 (1-based quarters, e.g. 1-8)", e)
                   : 0;
    }
    const char *s = text_suggest(k, sweep_keys, N_SWEEP_KEYS);
    return err_at(e, ERR_CONFIG, en->file, en->line,
                  "unknown key '%s' in [sweep]%s%s%s", k,
                  s ? "; did you mean '" : "", s ? s : "", s ? "'?" : "");
}

/* Each metric once. */
static int check_metrics(const struct sweep *sw, const struct config *sc,
                         struct err *e)
{
    for (int i = 1; i < sw->n_metrics; i++)
        for (int j = 0; j < i; j++) {
            if (sw->metrics[i] != sw->metrics[j])
                continue;
            const struct config_entry *en = config_find(sc, "sweep", "metrics");
            int m = sw->metrics[i];
            return err_at(e, ERR_CONFIG, sc->path, en ? en->line : 0,
                          "[sweep] metrics: '%s' is listed twice (the "
                          "metric is always the first column)",
                          m == SWEEP_LOST_REVENUE ? "lost_revenue"
                                                  : metric_table[m].name);
        }
    return 0;
}

/* ------------------------------------------------------------ [vary] */

static int is_model_section(const char *name, size_t n)
{
    for (size_t i = 0; i < sizeof model_sections / sizeof *model_sections; i++)
        if (strlen(model_sections[i]) == n &&
            !strncmp(name, model_sections[i], n))
            return 1;
    return 0;
}

static int vary_error(const struct config_entry *en, struct err *e,
                      const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "FILE:LINE: [vary] NAME: message". Returns -1. */
static int vary_error(const struct config_entry *en, struct err *e,
                      const char *fmt, ...)
{
    char msg[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return err_at(e, ERR_CONFIG, en->file, en->line, "[vary] %s: %s", en->key,
                  msg);
}

/* The [vary] names that read one way and were meant another. Returns 1
 * with e set, or 0.
 * - A model section's key that the scenario sets itself: support.* is
 *   both [support] and the support intervention, and the scenario's own
 *   value wins in the scenario, so the sweep would change nothing there.
 * - A first component that is neither a model section nor one of the
 *   scenario's interventions but near a section's name (Sales.reps,
 *   operation.staff, stages.qualify.advance): a misspelt section, not a
 *   missing intervention. */
static int section_slip(const struct sweep *sw, const struct config_entry *en,
                        const char *name, size_t head, struct err *e)
{
    char scen[300];
    snprintf(scen, sizeof scen, "scenario.%s", sw->scenario);
    if (is_model_section(name, head)) {
        if (!config_find(&sw->base, scen, name))
            return 0;
        vary_error(en, e,
                   "names [%.*s] %s, the model's, but [%s] sets its "
                   "own %s, which wins in the scenario: write %s.%s to vary "
                   "the scenario's",
                   (int)head, name, name + head + 1, scen, name, scen, name);
        return 1;
    }
    struct err why = {0};
    if (config_check_override(&sw->base, scen, name, &why) == 0)
        return 0; /* one of the scenario's interventions */
    static const char *const sections[] = {
        "simulation", "sales", "operations", "support",  "clients",
        "market",     "costs", "stage",      "scenario", "team",
    };
    char word[64];
    snprintf(word, sizeof word, "%.*s", (int)(head < 63 ? head : 63), name);
    const char *hint =
        text_suggest(word, sections, sizeof sections / sizeof *sections);
    if (!hint)
        return 0;
    /* why: "[scenario.ID] has no intervention 'X' (it has: A, B); ..." */
    const char *has = strstr(why.msg, "(it has: ");
    const char *end = has ? strchr(has, ')') : NULL;
    vary_error(en, e,
               "unknown section [%s]; did you mean [%s]? (nor is "
               "'%s' an intervention of [%s], which has: %.*s)",
               word, hint, word, scen, end ? (int)(end - has - 9) : 4,
               end ? has + 9 : "none");
    return 1;
}

/* Splits a [vary] key into the section and key it sets. */
static int split_key(const struct sweep *sw, const struct config_entry *en,
                     struct sweep_param *pa, struct err *e)
{
    const char *name = en->key, *dot = strchr(name, '.');
    if (!strcmp(name, "scenario")) {
        pa->section = strdup("");
        pa->key = strdup(name);
        return pa->section && pa->key ? 0 : err_oom(e);
    }
    if (!dot || dot == name || !dot[1])
        return vary_error(en, e,
                          "expected SECTION.KEY (sales.reps), "
                          "scenario, or a key of the scenario (pull.weeks)");
    size_t head = (size_t)(dot - name);
    const char *cut = dot;
    int two = (head == 5 && !strncmp(name, "stage", 5)) ||
              (head == 4 && !strncmp(name, "team", 4)) ||
              (head == 8 && !strncmp(name, "scenario", 8));
    if (two) {
        cut = strchr(dot + 1, '.');
        if (!cut || cut == dot + 1 || !cut[1])
            return vary_error(en, e, "expected %.*s.NAME.KEY", (int)head, name);
    }
    if (!two && !is_model_section(name, head) && sw->scen_param != -1)
        return vary_error(en, e,
                          "the scenario is varied too: name it, "
                          "as in scenario.ID.%s",
                          name);
    if (!two && sw->scen_param == -1 && section_slip(sw, en, name, head, e))
        return -1;
    if (two || is_model_section(name, head)) {
        pa->section = strndup(name, (size_t)(cut - name));
        pa->key = strdup(cut + 1);
    } else {
        size_t n = strlen(sw->scenario) + 10;
        pa->section = malloc(n);
        if (pa->section)
            snprintf(pa->section, n, "scenario.%s", sw->scenario);
        pa->key = strdup(name);
    }
    return pa->section && pa->key ? 0 : err_oom(e);
}

/* Keys the grid may not vary. */
static int check_target(const struct sweep *sw, const struct config_entry *en,
                        const struct sweep_param *pa, struct err *e)
{
    struct err why = {0};
    if (*pa->section &&
        config_check_override(&sw->base, pa->section, pa->key, &why) != 0)
        return vary_error(en, e, "%s", why.msg);
    if (!strcmp(pa->section, "simulation") && !strcmp(pa->key, "replications"))
        return vary_error(en, e,
                          "cannot be varied: every point runs the "
                          "same replications (set replications in [sweep])");
    if (!strncmp(pa->section, "scenario.", 9) && sw->scen_param == -1 &&
        strcmp(pa->section + 9, sw->scenario))
        return vary_error(en, e,
                          "only [scenario.%s], the scenario of the "
                          "sweep, is simulated: vary its keys",
                          sw->scenario);
    for (size_t i = 0; i < sw->n_params; i++) {
        const struct sweep_param *q = &sw->params[i];
        if (!strcmp(q->section, pa->section) && !strcmp(q->key, pa->key))
            return vary_error(en, e, "sets the same key as %s (line %d)",
                              q->name, q->line);
    }
    return 0;
}

/* A [vary] value with its position; num: it is a finite number x, so
 * that 2, 02 and 2.0 (or 1e4 and 10000) are one value; whole: every
 * value of the list is a whole number, compared exactly as w (seeds
 * past 2^53 differ in bits a double drops). */
struct indexed_str {
    const char *s;
    size_t i;
    int num, whole, neg;
    double x;
    unsigned long long w; /* the magnitude; neg: below zero */
};

/* Numbers by value, before other text, which goes by its bytes. */
static int cmp_value(const struct indexed_str *x, const struct indexed_str *y)
{
    if (x->whole && y->whole && x->neg != y->neg)
        return y->neg - x->neg;
    if (x->whole && y->whole)
        return x->neg ? (x->w < y->w) - (x->w > y->w)
                      : (x->w > y->w) - (x->w < y->w);
    if (x->num && y->num)
        return (x->x > y->x) - (x->x < y->x);
    if (x->num != y->num)
        return y->num - x->num;
    return strcmp(x->s, y->s);
}

static int cmp_indexed(const void *a, const void *b)
{
    const struct indexed_str *x = a, *y = b;
    int c = cmp_value(x, y);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* Refuses a value listed twice (a cross product would repeat points),
 * naming the first repeat in the order written. Sorted, not all pairs: a
 * range may hold SWEEP_MAX_VALUES values, and every pair of 100,000 is
 * 5e9 comparisons (a 13 s stall found by fuzz_sweep). */
static int check_unique(const struct config_entry *en,
                        const struct sweep_param *pa, struct err *e)
{
    if (pa->n < 2)
        return 0;
    struct indexed_str *v = malloc(pa->n * sizeof *v);
    if (!v)
        return err_oom(e);
    int whole = 1;
    for (size_t i = 0; i < pa->n; i++) {
        char *end;
        double x = strtod(pa->values[i], &end);
        int num = end != pa->values[i] && !*end && isfinite(x);
        const char *d = pa->values[i];
        int neg = *d == '-';
        d += neg || *d == '+';
        errno = 0;
        unsigned long long w =
            isdigit((unsigned char)*d) ? strtoull(d, &end, 10) : 0;
        whole &= isdigit((unsigned char)*d) && !*end && errno == 0;
        v[i] = (struct indexed_str){pa->values[i], i, num, 0, neg && w, x, w};
    }
    for (size_t i = 0; i < pa->n; i++)
        v[i].whole = whole;
    qsort(v, pa->n, sizeof *v, cmp_indexed);
    size_t first = pa->n;    /* the smallest index of a second occurrence */
    const char *same = NULL; /* the value it repeats, as written */
    for (size_t k = 1; k < pa->n; k++)
        if (!cmp_value(&v[k], &v[k - 1]) &&
            (k < 2 || cmp_value(&v[k - 1], &v[k - 2])) && v[k].i < first) {
            first = v[k].i;
            same = v[k - 1].s;
        }
    free(v);
    if (first == pa->n)
        return 0;
    if (strcmp(same, pa->values[first]) != 0)
        return vary_error(en, e,
                          "value '%s' is listed twice (as '%s': the "
                          "same number)",
                          pa->values[first], same);
    return vary_error(en, e, "value '%s' is listed twice", pa->values[first]);
}

/* The model file's [scenario.ID] sections, "a, b, c", into buf. */
static void scenario_list(const struct config *cfg, char *buf, size_t size)
{
    size_t len = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < cfg->n_sections && len < size; i++) {
        const char *name = cfg->sections[i].name;
        if (strncmp(name, "scenario.", 9))
            continue;
        len += (size_t)snprintf(buf + len, size - len, "%s%s", len ? ", " : "",
                                name + 9);
    }
}

static int has_scenario(const struct config *cfg, const char *id)
{
    for (size_t i = 0; i < cfg->n_sections; i++) {
        const char *name = cfg->sections[i].name;
        if (!strncmp(name, "scenario.", 9) && !strcmp(name + 9, id))
            return 1;
    }
    return 0;
}

/* The values of [vary] scenario: IDs of the model's scenarios. */
static int take_scenarios(struct sweep *sw, const struct config_entry *en,
                          const struct sweep_param *pa, struct err *e)
{
    char list[600];
    scenario_list(&sw->base, list, sizeof list);
    for (size_t i = 0; i < pa->n; i++)
        if (!has_scenario(&sw->base, pa->values[i]))
            return vary_error(en, e, "%s has no [scenario.%s]; it has: %s",
                              sw->model, pa->values[i], list);
    sw->scen_param = (int)sw->n_params;
    return sw->scenario ? 0 : take_string(&sw->scenario, pa->values[0], e);
}

/* Keys of [scenario.ID] must belong to a scenario the sweep compares. */
static int check_scenario_keys(const struct sweep *sw, struct err *e)
{
    if (sw->scen_param < 0)
        return 0;
    const struct sweep_param *sp = &sw->params[sw->scen_param];
    for (size_t k = 0; k < sw->n_params; k++) {
        const struct sweep_param *pa = &sw->params[k];
        size_t i = 0;
        if (strncmp(pa->section, "scenario.", 9))
            continue;
        while (i < sp->n && strcmp(sp->values[i], pa->section + 9))
            i++;
        if (i == sp->n)
            return err_at(e, ERR_CONFIG, sw->path, pa->line,
                          "[vary] %s: "
                          "[%s] is not among the scenarios of [vary] "
                          "scenario (line %d)",
                          pa->name, pa->section, sp->line);
    }
    return 0;
}

static void param_free(struct sweep_param *pa)
{
    free(pa->name);
    free(pa->section);
    free(pa->key);
    free(pa->spec);
    sweep_values_free(pa->values, pa->n);
    memset(pa, 0, sizeof *pa);
}

/* Adds the [vary] entry en as a param. */
static int take_param(struct sweep *sw, const struct config_entry *en,
                      struct err *e)
{
    struct sweep_param pa = {.line = en->line};
    int rc = split_key(sw, en, &pa, e);
    if (rc == 0)
        rc = check_target(sw, en, &pa, e);
    if (rc == 0)
        rc = sweep_values_parse(en->value, en->file, en->line, "vary", en->key,
                                &pa.values, &pa.n, e);
    if (rc == 0 && !sw->zip)
        rc = check_unique(en, &pa, e);
    if (rc == 0 && !*pa.section)
        rc = take_scenarios(sw, en, &pa, e);
    pa.name = strdup(en->key);
    pa.spec = strdup(en->value);
    if (rc == 0 && (!pa.name || !pa.spec))
        rc = err_oom(e);
    struct sweep_param *np = NULL;
    if (rc == 0) {
        np = realloc(sw->params, (sw->n_params + 1) * sizeof *np);
        rc = np ? 0 : err_oom(e);
    }
    if (rc) {
        param_free(&pa);
        return -1;
    }
    sw->params = np;
    sw->params[sw->n_params++] = pa;
    return 0;
}

static int parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (!strcasecmp(s, yes[i]))
            return *out = 1, 0;
        if (!strcasecmp(s, no[i]))
            return *out = 0, 0;
    }
    return -1;
}

/* zip first (it changes how lists are checked), then every key. */
static int take_vary(struct sweep *sw, const struct config *sc, struct err *e)
{
    const struct config_entry *z = config_find(sc, "vary", "zip");
    if (z && parse_bool(z->value, &sw->zip))
        return err_at(e, ERR_CONFIG, z->file, z->line,
                      "[vary] zip: expected true or false, got '%s'", z->value);
    /* -2: varied, its index not known yet (keys are taken in order). */
    if (config_find(sc, "vary", "scenario"))
        sw->scen_param = -2;
    for (size_t i = 0; i < sc->n; i++) {
        const struct config_entry *en = &sc->entries[i];
        if (!strcmp(en->section, "vary") && strcmp(en->key, "zip") &&
            take_param(sw, en, e))
            return -1;
    }
    return check_scenario_keys(sw, e);
}

/* The grid's size; zip lists must have one length. */
static int count_points(struct sweep *sw, const struct config *sc,
                        struct err *e)
{
    const struct config_section *vs = NULL;
    for (size_t i = 0; i < sc->n_sections; i++)
        if (!strcmp(sc->sections[i].name, "vary"))
            vs = &sc->sections[i];
    if (sw->n_params == 0)
        return err_at(e, ERR_CONFIG, sc->path, vs ? vs->line : 0,
                      "%s: nothing to sweep (add e.g. sales.reps = 4, 8, 16)",
                      vs ? "[vary] lists no key" : "no [vary] section");
    size_t n = 1;
    for (size_t k = 0; k < sw->n_params; k++) {
        const struct sweep_param *pa = &sw->params[k];
        if (sw->zip && pa->n != sw->params[0].n)
            return err_at(e, ERR_CONFIG, sc->path, pa->line,
                          "[vary] %s has %zu values, but %s (line %d) has "
                          "%zu; with zip = true every list needs the same "
                          "length",
                          pa->name, pa->n, sw->params[0].name,
                          sw->params[0].line, sw->params[0].n);
        if (!sw->zip && n > SWEEP_MAX_POINTS / pa->n)
            return err_at(e, ERR_CONFIG, sc->path, pa->line,
                          "[vary] %s: the grid grows past %d points", pa->name,
                          SWEEP_MAX_POINTS);
        n = sw->zip ? pa->n : n * pa->n;
    }
    sw->n_points = n;
    return 0;
}

/* ------------------------------------------------------------ loading */

/* Only [sweep] and [vary], and no includes. */
static int check_sections(const struct config *sc, struct err *e)
{
    int has_sweep = 0, has_vary = 0;
    for (size_t i = 0; i < sc->n_sections; i++) {
        const struct config_section *s = &sc->sections[i];
        has_sweep |= !strcmp(s->name, "sweep") && !strcmp(s->file, sc->path);
        has_vary |= !strcmp(s->name, "vary");
    }
    if (!has_sweep && has_vary)
        return err_at(e, ERR_CONFIG, sc->path, 0,
                      "a sweep file needs a [sweep] section naming its "
                      "model (file = MODEL.ini) before [vary]");
    if (!has_sweep)
        return err_at(e, ERR_CONFIG, sc->path, 0,
                      "not a sweep file (it has no [sweep] section); a "
                      "scenario file runs with 'salescap run %s'",
                      sc->path);
    /* Includes first: an included model's sections are not the slip. */
    for (size_t i = 0; i < sc->n + sc->n_sections; i++)
        if (strcmp(i < sc->n ? sc->entries[i].file
                             : sc->sections[i - sc->n].file,
                   sc->path))
            return err_at(e, ERR_CONFIG, sc->path, 0,
                          "a sweep file cannot include other files; name "
                          "the model with file = in [sweep]");
    for (size_t i = 0; i < sc->n_sections; i++) {
        const struct config_section *s = &sc->sections[i];
        if (strcmp(s->name, "sweep") && strcmp(s->name, "vary"))
            return err_at(e, ERR_CONFIG, s->file, s->line,
                          "unknown section [%s] in a sweep file: expected "
                          "[sweep] or [vary]",
                          s->name);
    }
    return 0;
}

/* Checks the scenario; picks the model's only one when none is named. */
static int pick_scenario(struct sweep *sw, const struct config *sc,
                         struct err *e)
{
    char list[600];
    size_t count = 0;
    const char *only = NULL;
    const struct config_entry *v = config_find(sc, "vary", "scenario");
    if (v && sw->scenario)
        return err_at(e, ERR_CONFIG, v->file, v->line,
                      "[vary] scenario: "
                      "[sweep] names the scenario too (line %d); keep one",
                      sw->line_scenario);
    if (v)
        return 0; /* taken with [vary] */
    scenario_list(&sw->base, list, sizeof list);
    for (size_t i = 0; i < sw->base.n_sections; i++)
        if (!strncmp(sw->base.sections[i].name, "scenario.", 9)) {
            count++;
            only = sw->base.sections[i].name + 9;
        }
    if (!sw->scenario && count == 1)
        return take_string(&sw->scenario, only, e);
    if (!sw->scenario)
        return err_at(e, ERR_CONFIG, sw->path, 0,
                      count
                          ? "[sweep] needs scenario = ID; %s has: %s"
                          : "[sweep]: %s has no [scenario.ID] to compare with "
                            "the baseline%s",
                      sw->model, list);
    if (has_scenario(&sw->base, sw->scenario))
        return 0;
    if (strchr(sw->scenario, ','))
        return err_at(e, ERR_CONFIG, sw->path, sw->line_scenario,
                      "[sweep] scenario names one scenario; to sweep "
                      "several, list them in [vary] instead: scenario = %s",
                      sw->scenario);
    return err_at(e, ERR_CONFIG, sw->path, sw->line_scenario,
                  "[sweep] scenario: %s has no [scenario.%s]%s%s", sw->model,
                  sw->scenario, count ? "; it has: " : "", list);
}

/* Reads the model file named by file =. */
static int load_model(struct sweep *sw, struct err *e)
{
    if (!sw->model)
        return err_at(e, ERR_CONFIG, sw->path, sw->line_file,
                      "[sweep] needs file = MODEL.ini (relative to the "
                      "sweep file)");
    /* Non-blocking: opening a FIFO must not hang the sweep. */
    int fd = open(sw->model, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    const char *why = NULL;
    if (fd < 0 || fstat(fd, &st) != 0)
        why = strerror(errno);
    else if (!S_ISREG(st.st_mode))
        why = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
    if (fd >= 0)
        close(fd);
    if (why)
        return err_at(e, ERR_CONFIG, sw->path, sw->line_file,
                      "[sweep] file: cannot open '%s': %s", sw->model, why);
    if (config_load(&sw->base, sw->model, e) != 0)
        return -1;
    for (size_t i = 0; i < sw->base.n_sections; i++)
        if (!strcmp(sw->base.sections[i].name, "sweep"))
            return err_at(e, ERR_CONFIG, sw->path, sw->line_file,
                          "[sweep] file: '%s' is a sweep file; name the "
                          "scenario file to sweep",
                          sw->model);
    return 0;
}

static int load_sweep(struct sweep *sw, const struct config *sc, struct err *e)
{
    int rc = check_sections(sc, e);
    sw->metrics[0] = SWEEP_LOST_REVENUE;
    sw->n_metrics = 1;
    for (size_t i = 0; rc == 0 && i < sc->n; i++)
        if (!strcmp(sc->entries[i].section, "sweep"))
            rc = take_sweep_key(sw, &sc->entries[i], e);
    if (rc == 0)
        rc = check_metrics(sw, sc, e);
    if (rc == 0)
        rc = load_model(sw, e);
    if (rc == 0)
        rc = pick_scenario(sw, sc, e);
    if (rc == 0)
        rc = take_vary(sw, sc, e);
    if (rc == 0)
        rc = count_points(sw, sc, e);
    return rc;
}

int sweep_load(struct sweep *sw, const char *path, struct err *e)
{
    struct config sc = {0};
    memset(sw, 0, sizeof *sw);
    sw->scen_param = -1;
    sw->path = strdup(path);
    if (!sw->path)
        return err_oom(e);
    if (config_load(&sc, path, e) != 0) {
        sweep_destroy(sw);
        return -1;
    }
    int rc = load_sweep(sw, &sc, e);
    config_destroy(&sc);
    if (rc)
        sweep_destroy(sw);
    return rc;
}

void sweep_destroy(struct sweep *sw)
{
    for (size_t i = 0; i < sw->n_params; i++)
        param_free(&sw->params[i]);
    free(sw->params);
    free(sw->path);
    free(sw->model);
    free(sw->scenario);
    free(sw->title);
    free(sw->hash);
    free(sw->base_hash);
    config_destroy(&sw->base);
    memset(sw, 0, sizeof *sw);
}
