/*
 * config_uncertain: number keys written uncertain(DIST) (params.h, struct
 * uncertain_input): their syntax and checks when a value is parsed, and
 * the list of inputs config_resolve() builds from the winning entries.
 *
 * A value uncertain(DIST) of a double key is checked like a number: every
 * value DIST can draw must lie in the key's range, so its support is
 * compared with the range (a distribution without a bound on a side where
 * the key has one is refused, with the bounded ones named). The field
 * keeps the median. Once the file is resolved, the rules that span keys
 * (shares that add up to at most 1 ...) are checked again with every
 * input at the top of its support and again at the bottom, by resolving
 * a copy of the entries with those numbers written in: every such rule
 * is a sum, so a draw that passes at the extremes passes everywhere, and
 * a rule added later is checked too without a word here.
 *
 * Invariant of a resolved params: each input has a distinct name, one
 * distribution and at least one place; no two inputs set the same field.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_int.h"

/* Sections whose keys say how to run, not what is modelled. */
static const char *const run_sections[] = {"simulation", "targets", "decision"};

static const struct cfgk_table *const fixed_tables[] = {
    &cfgk_sales,  &cfgk_operations, &cfgk_support, &cfgk_clients,
    &cfgk_market, &cfgk_start,      &cfgk_costs,
};

static const char *skip_blanks(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

/* Whether s, after blanks, is the word w followed by '(' (blanks
 * between them allowed); *open gets the '('. */
static int call_of(const char *s, const char *w, const char **open)
{
    size_t n = strlen(w);
    s = skip_blanks(s);
    if (strncmp(s, w, n))
        return 0;
    s = skip_blanks(s + n);
    *open = s;
    return *s == '(';
}

int cfgk_is_uncertain(const char *value)
{
    const char *open;
    return call_of(value, "uncertain", &open);
}

/* The distribution inside "uncertain(DIST)" into buf. Returns 0 when
 * value is not written so, 1 when it is, -1 with e's tail set when it is
 * malformed. */
static int inner_spec(const char *value, char *buf, size_t size, struct err *e)
{
    const char *open, *in;
    if (!call_of(value, "uncertain", &open))
        return 0;
    /* The ')' that closes uncertain( must end the value. */
    const char *close = open;
    for (int depth = 0; *close; close++) {
        depth += (*close == '(') - (*close == ')');
        if (depth == 0)
            break;
    }
    if (!*close)
        return err_set(e, ERR_CONFIG,
                       ": uncertain(DIST) needs its closing "
                       "')', got '%s'",
                       value);
    if (*skip_blanks(close + 1))
        return err_set(e, ERR_CONFIG,
                       ": unexpected '%s' after "
                       "uncertain(DIST)",
                       skip_blanks(close + 1));
    in = skip_blanks(open + 1);
    size_t n = (size_t)(close - in);
    while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t'))
        n--;
    if (n == 0)
        return err_set(e, ERR_CONFIG,
                       ": uncertain() needs a distribution, "
                       "like uncertain(uniform(0.5, 0.7))");
    if (n >= size)
        return err_set(e, ERR_CONFIG,
                       ": uncertain(DIST): the distribution "
                       "is too long");
    if (call_of(in, "uncertain", &open))
        return err_set(e, ERR_CONFIG,
                       ": uncertain() takes a distribution, "
                       "not another uncertain(): write uncertain(DIST) once");
    snprintf(buf, size, "%.*s", (int)n, in);
    return 1;
}

/* What a key that cannot be uncertain is, for the message. */
static const char *what_key(const struct cfgk *k)
{
    switch (k->type) {
    case CFGK_INT:
        return "is a whole number (try each value with --set, or sweep it)";
    case CFGK_DIST:
        return "is a distribution already, drawn afresh for each deal, rep "
               "or item";
    case CFGK_REPS:
        return "takes a count, a percent (\"50%\") or all";
    case CFGK_FEE:
        return "takes an amount in $ or a percent";
    case CFGK_ENUM:
        return "takes a name";
    case CFGK_SEED:
        return "takes a seed";
    case CFGK_STRING:
        return "takes text";
    case CFGK_TARGET:
        return "takes a target";
    case CFGK_DATE:
        return "takes a date";
    case CFGK_TEAM:
        return "takes a team's name";
    case CFGK_DOUBLE:
        break;
    }
    return "takes a number";
}

/* The support of d: [lo, hi], lo excluded when *lo_open (a draw by
 * inversion at u in (0, 1) never reaches an open end: exponential,
 * lognormal and gamma draws are above 0, beta's inside (0, 1)). */
static void support(const struct dist *d, double *lo, double *hi, int *lo_open)
{
    const double *v = dist_values(d);
    *lo_open = 0;
    switch (d->kind) {
    case DIST_FIXED:
        *lo = *hi = d->p[0];
        return;
    case DIST_UNIFORM:
        *lo = d->p[0];
        *hi = d->p[1];
        return;
    case DIST_TRIANGULAR:
        *lo = d->p[0];
        *hi = d->p[2];
        return;
    case DIST_NORMAL:
        *lo = -HUGE_VAL;
        *hi = HUGE_VAL;
        return;
    case DIST_EXPONENTIAL:
    case DIST_LOGNORMAL:
    case DIST_GAMMA:
        *lo = 0;
        *hi = HUGE_VAL;
        *lo_open = 1;
        return;
    case DIST_BETA:
        *lo = 0;
        *hi = 1;
        *lo_open = 1;
        return;
    case DIST_EMPIRICAL:
    case DIST_EMPIRICAL_FILE:
        *lo = HUGE_VAL;
        *hi = -HUGE_VAL;
        for (size_t i = 0; i < d->n; i++) {
            *lo = fmin(*lo, v[i]);
            *hi = fmax(*hi, v[i]);
        }
        return;
    }
    *lo = -HUGE_VAL;
    *hi = HUGE_VAL;
}

/* The name of d's kind: what its spec starts with. */
static void kind_name(const struct dist *d, char *buf, size_t size)
{
    char spec[256];
    dist_format(d, spec, sizeof spec);
    snprintf(buf, size, "%.*s", (int)strcspn(spec, "("), spec);
}

/* Every value d can draw lies in k's range; else e's tail says which end
 * leaves it and what to write instead. */
static int check_support(const struct cfgk *k, const struct dist *d,
                         const char *value, struct err *e)
{
    double lo, hi;
    int lo_open;
    support(d, &lo, &hi, &lo_open);
    int open_min = (k->flags & CFGK_MIN_OPEN) != 0;
    int below = lo < k->min || (lo == k->min && open_min && !lo_open);
    int above = hi > k->max;
    if (!below && !above)
        return 0;
    char range[80], kind[32], end[40];
    cfgk_range(k, range, sizeof range);
    kind_name(d, kind, sizeof kind);
    const char *must = k->min != NOMIN && k->max != NOMAX ? "in " : "";
    double x = below ? lo : hi;
    const char *use = k->max == 1 ? "uniform, triangular, beta or empirical"
                      : k->max != NOMAX ? "uniform, triangular or empirical"
                                        : "uniform, triangular, empirical, "
                                          "or lognormal or gamma for a "
                                          "positive number";
    if (isinf(x))
        return err_set(e, ERR_CONFIG,
                       " = %s: %s has no %s bound, and every "
                       "draw must be %s%s: use one that stays there (%s)",
                       value, kind, below ? "lower" : "upper", must, range,
                       use);
    text_number(x, end, sizeof end);
    return err_set(e, ERR_CONFIG,
                   " = %s can draw %s, and every draw must "
                   "be %s%s",
                   value, end, must, range);
}

/* The smallest u a draw uses and the largest (uncertain.h), where the
 * draws are checked to be finite. */
#define U_MIN 0x1p-54
#define U_MAX (1.0 - 0x1p-53)

int cfgk_parse_uncertain(const struct cfgk *k, const char *value, void *base,
                         const char *file, struct err *e)
{
    char spec[256];
    int rc = inner_spec(value, spec, sizeof spec, e);
    if (rc <= 0)
        return rc == 0 ? 1 : -1;
    if (k->type != CFGK_DOUBLE)
        return err_set(e, ERR_CONFIG,
                       ": uncertain() takes number keys, "
                       "and this one %s",
                       what_key(k));
    struct err de = {0};
    struct dist d;
    if (dist_parse_in(&d, spec, 0, file, &de) != 0)
        return err_set(e, de.kind, ": uncertain(): %s", de.msg);
    if (check_support(k, &d, value, e) != 0) {
        dist_destroy(&d);
        return -1;
    }
    double x = dist_quantile(&d, 0.5);
    int finite = isfinite(dist_quantile(&d, U_MIN)) &&
                 isfinite(dist_quantile(&d, U_MAX));
    dist_destroy(&d);
    if (!finite)
        return err_set(e, ERR_CONFIG, " = %s: its draws overflow", value);
    memcpy((char *)base + k->off, &x, sizeof x);
    return 0;
}

int cfgk_uncertain_section(const char *section)
{
    for (size_t i = 0; i < N_KEYS(run_sections); i++)
        if (!strcmp(section, run_sections[i]))
            return 0;
    return 1;
}

/* ------------------------------------------------------------ the list */

/* Where the field of one entry lives, and its key. */
struct found {
    struct uncertain_place place;
    const struct cfgk *k;
    char name[160];
};

static const struct cfgk *key_in(const struct cfgk_table *t, const char *key)
{
    for (size_t i = 0; t && i < t->n; i++)
        if (!strcmp(t->keys[i].key, key))
            return &t->keys[i];
    return NULL;
}

/* The field entry en sets in p (resolved from the same entries). Returns
 * 0, or -1 when it is none of the model's or a scenario's number fields
 * (which resolving has refused already). */
static int locate(const struct params *p, const struct config_entry *en,
                  struct found *f)
{
    memset(f, 0, sizeof *f);
    f->place.stage = f->place.scenario = f->place.iv = f->place.team = -1;
    if (!strncmp(en->section, "scenario.", 9)) {
        const char *dot = strchr(en->key, '.');
        for (size_t s = 0; dot && s < p->n_scenarios; s++) {
            const struct scenario *sc = &p->scenarios[s];
            if (strcmp(sc->id, en->section + 9))
                continue;
            for (size_t j = 0; j < sc->n_iv; j++) {
                const struct intervention *iv = &sc->iv[j];
                if (strlen(iv->name) != (size_t)(dot - en->key) ||
                    strncmp(iv->name, en->key, (size_t)(dot - en->key)))
                    continue;
                f->k = key_in(cfgk_iv(iv->type), dot + 1);
                f->place.scenario = (int)s;
                f->place.iv = (int)j;
                f->place.off =
                    offsetof(struct intervention, u) + (f->k ? f->k->off : 0);
            }
        }
        snprintf(f->name, sizeof f->name, "%s", en->key);
    } else if (!strncmp(en->section, "stage.", 6)) {
        for (size_t s = 0; s < p->n_stages; s++)
            if (!strcmp(p->stages[s].name, en->section + 6))
                f->place.stage = (int)s;
        f->k = key_in(&cfgk_stage, en->key);
        f->place.off = f->k ? f->k->off : 0;
        snprintf(f->name, sizeof f->name, "%s.%s", en->section, en->key);
    } else {
        for (size_t i = 0; i < N_KEYS(fixed_tables) && !f->k; i++)
            if (!strcmp(en->section, fixed_tables[i]->name)) {
                f->k = key_in(fixed_tables[i], en->key);
                void *b = cfgk_section_base(fixed_tables[i],
                                            (struct params *)(void *)p);
                f->place.off = (size_t)((char *)b - (const char *)p) +
                               (f->k ? f->k->off : 0);
            }
        snprintf(f->name, sizeof f->name, "%s.%s", en->section, en->key);
    }
    if (!f->k || f->k->type != CFGK_DOUBLE ||
        (f->place.scenario >= 0) != (f->place.iv >= 0))
        return -1;
    f->place.min = f->k->min;
    f->place.max = f->k->max;
    f->place.min_open = (f->k->flags & CFGK_MIN_OPEN) != 0;
    return 0;
}

static struct uncertain_input *find_input(struct params *p, const char *name)
{
    for (size_t i = 0; i < p->n_uncertain; i++)
        if (!strcmp(p->uncertain[i].name, name))
            return &p->uncertain[i];
    return NULL;
}

/* The entry of cfg that first made input name uncertain. */
static const struct config_entry *
first_entry(const struct config *cfg, const struct params *p, const char *name)
{
    for (size_t i = 0; i < cfg->n; i++) {
        const struct config_entry *en = &cfg->entries[i];
        struct found f;
        if (config_find(cfg, en->section, en->key) == en &&
            cfgk_is_uncertain(en->value) && locate(p, en, &f) == 0 &&
            !strcmp(f.name, name))
            return en;
    }
    return NULL;
}

/* Adds input name with distribution d (taken over) or, when p has it,
 * checks that it is the same distribution (d is then freed). Returns the
 * input, or NULL with e set. */
static struct uncertain_input *take_input(const struct config *cfg,
                                          struct params *p,
                                          const struct config_entry *en,
                                          const char *name, struct dist *d,
                                          struct err *e)
{
    struct uncertain_input *in = find_input(p, name);
    if (in) {
        char a[256], b[256];
        dist_format(&in->dist, a, sizeof a);
        dist_format(d, b, sizeof b);
        dist_destroy(d);
        if (!strcmp(a, b))
            return in;
        const struct config_entry *was = first_entry(cfg, p, name);
        cfgk_entry_error(e, en,
                         "[%s] %s = %s: input %s is uncertain(%s) "
                         "at %s:%d; one input has one distribution (one "
                         "draw sets every key of that name): give both the "
                         "same, or name the intervention apart (NAME.type "
                         "= TYPE)",
                         en->section, en->key, en->value, name, a,
                         was ? was->file : "?", was ? was->line : 0);
        return NULL;
    }
    in = realloc(p->uncertain, (p->n_uncertain + 1) * sizeof *in);
    if (!in) {
        dist_destroy(d);
        err_oom(e);
        return NULL;
    }
    p->uncertain = in;
    in = &p->uncertain[p->n_uncertain];
    memset(in, 0, sizeof *in);
    in->name = strdup(name);
    in->dist = *d;
    p->n_uncertain++;
    if (!in->name) {
        err_oom(e);
        return NULL;
    }
    return in;
}

static int add_place(struct uncertain_input *in,
                     const struct uncertain_place *pl, struct err *e)
{
    struct uncertain_place *a =
        realloc(in->places, (in->n_places + 1) * sizeof *a);
    if (!a)
        return err_oom(e);
    in->places = a;
    in->places[in->n_places++] = *pl;
    return 0;
}

/* Records the input that winning entry en makes uncertain, if any. */
static int collect_entry(const struct config *cfg, struct params *p,
                         const struct config_entry *en, struct err *e)
{
    char spec[256];
    struct err te = {0};
    struct found f;
    struct dist d;
    if (inner_spec(en->value, spec, sizeof spec, &te) != 1)
        return 0;
    if (locate(p, en, &f) != 0)
        return cfgk_entry_error(e, en,
                                "[%s] %s: uncertain() takes the "
                                "number keys of the model and of "
                                "scenarios",
                                en->section, en->key);
    if (dist_parse_in(&d, spec, 0, en->line > 0 ? en->file : NULL, &te))
        return err_at(e, te.kind, en->file, en->line,
                      "[%s] %s: "
                      "uncertain(): %s",
                      en->section, en->key, te.msg);
    if (dist_variance(&d) == 0.0) {
        dist_destroy(&d); /* uncertain(fixed(x)) is x: the field holds it */
        return 0;
    }
    struct uncertain_input *in = take_input(cfg, p, en, f.name, &d, e);
    return in ? add_place(in, &f.place, e) : -1;
}

const struct uncertain_input *cfgk_uncertain_at(const struct params *p,
                                                const void *field)
{
    for (size_t i = 0; i < p->n_uncertain; i++)
        for (size_t j = 0; j < p->uncertain[i].n_places; j++) {
            const struct uncertain_place *pl = &p->uncertain[i].places[j];
            const char *b = (const char *)p;
            if (pl->scenario >= (int)p->n_scenarios)
                continue;
            if (pl->scenario >= 0)
                b = (const char *)&p->scenarios[pl->scenario].iv[pl->iv];
            else if (pl->stage >= 0)
                b = (const char *)&p->stages[pl->stage];
            if (b + pl->off == (const char *)field)
                return &p->uncertain[i];
        }
    return NULL;
}

/* ------------------------------------------------------------ extremes */

/* The number entry en holds when its input is at the top (high) or the
 * bottom of its support: the end itself when the key's range takes it,
 * else the median (an open end, which no sum rule needs). */
static void extreme(const struct uncertain_input *in,
                    const struct uncertain_place *pl, int high, char *buf,
                    size_t size)
{
    double lo, hi, x;
    int lo_open;
    support(&in->dist, &lo, &hi, &lo_open);
    x = high ? hi : lo;
    int ok = isfinite(x) && x <= pl->max &&
             (pl->min_open || lo_open ? x > pl->min : x >= pl->min);
    text_number(ok ? x : dist_quantile(&in->dist, 0.5), buf, size);
}

/* Resolves a copy of cfg with every input at one end of its support. */
static int check_end(const struct config *cfg, const struct params *p, int high,
                     struct err *e)
{
    struct config c;
    struct params q;
    struct err te = {0};
    if (config_copy(&c, cfg, e) != 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < cfg->n && rc == 0; i++) {
        const struct config_entry *en = &cfg->entries[i];
        struct found f;
        char v[40];
        if (config_find(cfg, en->section, en->key) != en ||
            !cfgk_is_uncertain(en->value) || locate(p, en, &f) != 0)
            continue;
        const struct uncertain_input *in =
            find_input((struct params *)(void *)p, f.name);
        if (!in)
            continue; /* degenerate: a number already */
        extreme(in, &f.place, high, v, sizeof v);
        rc = config_put(&c, en->section, en->key, v, en->file, en->line, e);
    }
    if (rc == 0 && config_resolve(&c, &q, &te) != 0) {
        rc = -1;
        if (te.kind == ERR_RUNTIME)
            *e = te;
        else
            err_set(e, ERR_CONFIG,
                    "%s, with the uncertain inputs at the "
                    "%s of their ranges, where draws can reach",
                    te.msg, high ? "top" : "bottom");
    } else if (rc == 0) {
        params_destroy(&q);
    }
    config_destroy(&c);
    return rc;
}

int cfgk_resolve_uncertain(const struct config *cfg, struct params *p,
                           struct err *e)
{
    for (size_t i = 0; i < cfg->n; i++) {
        const struct config_entry *en = &cfg->entries[i];
        if (config_find(cfg, en->section, en->key) == en &&
            collect_entry(cfg, p, en, e) != 0)
            return -1;
    }
    if (p->n_uncertain == 0)
        return 0;
    return check_end(cfg, p, 1, e) || check_end(cfg, p, 0, e) ? -1 : 0;
}

void cfgk_free_uncertain(struct params *p)
{
    for (size_t i = 0; i < p->n_uncertain; i++) {
        free(p->uncertain[i].name);
        dist_destroy(&p->uncertain[i].dist);
        free(p->uncertain[i].places);
    }
    free(p->uncertain);
    p->uncertain = NULL;
    p->n_uncertain = 0;
}
