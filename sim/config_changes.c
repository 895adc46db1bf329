/*
 * config_changes: the parameters of a resolved file that differ from
 * salescap's defaults, for the report's appendix.
 *
 * The defaults are what an empty file resolves to (the key table's
 * defaults and the built-in pipeline), so "differs" means exactly what
 * `salescap check --keys` would show: each value is written as run.ini
 * writes it and compared as text with the default written the same way.
 * Invariant: the walk follows run.ini's order, and a key is reported at
 * most once.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "config_int.h"

#define VALUE_MAX 1024

struct walk {
    void (*fn)(void *ctx, const struct config_change *c);
    void *ctx;
};

static void emit(const struct walk *w, const char *section, const char *key,
                 const char *value, const char *def, const char *doc)
{
    const struct config_change c = {section, key, value, def, doc};
    w->fn(w->ctx, &c);
}

/* Every key of t whose value at base differs from its value at def,
 * each named prefix + key. */
static void diff_table(const struct walk *w, const char *section,
                       const struct cfgk_table *t, const void *base,
                       const void *def, const char *prefix)
{
    char v[VALUE_MAX], d[VALUE_MAX], key[160];
    for (size_t i = 0; i < t->n; i++) {
        const struct cfgk *k = &t->keys[i];
        cfgk_format(k, base, v, sizeof v);
        cfgk_format(k, def, d, sizeof d);
        if (!strcmp(v, d))
            continue;
        snprintf(key, sizeof key, "%s%s", prefix, k->key);
        emit(w, section, key, v, d, k->doc);
    }
}

static void diff_fixed(const struct walk *w, const struct cfgk_table *t,
                       struct params *p, struct params *d)
{
    diff_table(w, t->name, t, cfgk_section_base(t, p), cfgk_section_base(t, d),
               "");
}

static const struct stage_params *stage_named(const struct params *p,
                                              const char *name)
{
    for (size_t i = 0; i < p->n_stages; i++)
        if (!strcmp(p->stages[i].name, name))
            return &p->stages[i];
    return NULL;
}

/* "a, b, c": the names of p's stages. */
static void stage_list(const struct params *p, char *buf, size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < p->n_stages && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s", i ? ", " : "",
                              p->stages[i].name);
}

/* The pipeline: its list of stages when it is not the built-in one, then
 * each stage against the built-in stage of its name (a new stage against
 * the stage defaults). */
static void diff_stages(const struct walk *w, const struct params *p,
                        const struct params *d)
{
    char v[VALUE_MAX], dv[VALUE_MAX], section[128];
    stage_list(p, v, sizeof v);
    stage_list(d, dv, sizeof dv);
    if (strcmp(v, dv))
        emit(w, "stage.NAME", "stages", v, dv,
             "the pipeline's stages, in order");
    struct stage_params tmpl = {0};
    cfgk_defaults(&cfgk_stage, &tmpl);
    for (size_t i = 0; i < p->n_stages; i++) {
        const struct stage_params *st = &p->stages[i];
        const struct stage_params *ds = stage_named(d, st->name);
        snprintf(section, sizeof section, "stage.%s", st->name);
        diff_table(w, section, &cfgk_stage, st, ds ? ds : &tmpl, "");
    }
    cfgk_free(&cfgk_stage, &tmpl);
}

/* [start]'s open.STAGE keys (default 0). */
static void diff_open(const struct walk *w, const struct params *p)
{
    char v[VALUE_MAX], key[160];
    for (size_t i = 0; i < p->n_stages; i++) {
        if (!p->stages[i].open_start)
            continue;
        cfgk_format(&cfgk_start_open, &p->stages[i], v, sizeof v);
        snprintf(key, sizeof key, "open.%s", p->stages[i].name);
        emit(w, cfgk_start.name, key, v, cfgk_start_open.def,
             cfgk_start_open.doc);
    }
}

/* A scenario: each intervention's type, then its keys that differ from
 * the type's defaults. Its title names it, and is not a parameter. */
static void diff_scenario(const struct walk *w, const struct scenario *sc)
{
    char section[128], prefix[128], key[160];
    snprintf(section, sizeof section, "scenario.%s", sc->id);
    for (size_t i = 0; i < sc->n_iv; i++) {
        const struct intervention *iv = &sc->iv[i];
        const struct cfgk_table *t = cfgk_iv(iv->type);
        snprintf(key, sizeof key, "%s.type", iv->name);
        emit(w, section, key, t->name, "",
             "an intervention: what the option changes");
        struct intervention def = {0};
        cfgk_defaults(t, &def.u);
        snprintf(prefix, sizeof prefix, "%s.", iv->name);
        diff_table(w, section, t, &iv->u, &def.u, prefix);
        cfgk_free(t, &def.u);
    }
}

int config_changes(const struct params *p,
                   void (*fn)(void *ctx, const struct config_change *c),
                   void *ctx, struct err *e)
{
    const struct walk w = {fn, ctx};
    const struct config empty = {0};
    struct params d;
    if (config_resolve(&empty, &d, e) != 0)
        return -1;
    /* The tables take mutable bases; nothing here writes through them. */
    struct params *mp = (struct params *)(void *)p;
    diff_fixed(&w, &cfgk_simulation, mp, &d);
    diff_fixed(&w, &cfgk_sales, mp, &d);
    diff_stages(&w, p, &d);
    diff_fixed(&w, &cfgk_operations, mp, &d);
    diff_fixed(&w, &cfgk_support, mp, &d);
    diff_fixed(&w, &cfgk_clients, mp, &d);
    diff_fixed(&w, &cfgk_market, mp, &d);
    if (p->calendar.week) /* a flat calendar changes nothing */
        diff_fixed(&w, &cfgk_calendar, mp, &d);
    diff_fixed(&w, &cfgk_start, mp, &d);
    diff_open(&w, p);
    diff_fixed(&w, &cfgk_costs, mp, &d);
    diff_fixed(&w, &cfgk_targets, mp, &d);
    diff_fixed(&w, &cfgk_decision, mp, &d);
    for (size_t i = 0; i < p->n_scenarios; i++)
        diff_scenario(&w, &p->scenarios[i]);
    params_destroy(&d);
    return 0;
}
