/*
 * config_write: every resolved parameter back as an INI file (run.ini,
 * `salescap check`), and the key reference (`salescap check --keys`).
 *
 * Invariant: reading the written file and resolving it gives the same
 * params: every key of the table is written (numbers in a form that reads
 * back to the same double, distributions through dist_format), stages and
 * scenarios in their order, and an intervention's type whenever its name
 * does not spell it.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "config_int.h"

#define VALUE_MAX     1024
#define SOURCE_COLUMN 40
#define LINE_MAX_INIH 199 /* inih r55 reads lines up to this many bytes */

struct writer {
    FILE *out;
    const struct config *cfg; /* NULL: no sources */
    const struct params *p;   /* its uncertain inputs are written so */
};

/* Copies value, without the blank after each comma when it is a
 * distribution ("empirical(1, 2)" -> "empirical(1,2)"); text (a title,
 * which may well hold "gamma(30, 10)") is left alone. */
static void compact_value(const char *value, int dist, char *buf, size_t size)
{
    size_t n = 0;
    for (const char *s = value; *s && n + 1 < size; s++)
        if (!(dist && *s == ' ' && s > value && s[-1] == ','))
            buf[n++] = *s;
    buf[n] = '\0';
}

/* Writes "key = value", and with sources " ; default", " ; FILE:LINE" or
 * " ; --set" aligned in a column; a source that would push the line past
 * what inih reads goes on a comment line of its own, above. A line that
 * would still be too long is written without blanks: "title =x..." of a
 * 199-byte line, or a spec that dist_format() spreads out, must read
 * back; so is a value that starts with ';'. */
static void put_line(const struct writer *w, const char *section,
                     const char *key, const char *value, int dist)
{
    char src[512] = "";
    if (w->cfg) {
        const struct config_entry *en = config_find(w->cfg, section, key);
        if (!en)
            snprintf(src, sizeof src, "default");
        else if (en->line > 0)
            snprintf(src, sizeof src, "%s:%d", en->file, en->line);
        else
            snprintf(src, sizeof src, "%s", en->file);
    }
    size_t n = strlen(key) + 3 + strlen(value);
    /* "title = ; x" reads back empty: inih takes a ';' after a blank for
     * a comment, so such a value goes right after the '='. */
    if (n > LINE_MAX_INIH || value[0] == ';') {
        char compact[VALUE_MAX];
        compact_value(value, dist, compact, sizeof compact);
        fprintf(w->out, "%s%s%s%s=%s\n", src[0] ? "; " : "", src,
                src[0] ? "\n" : "", key, compact);
        return;
    }
    if (!w->cfg) {
        fprintf(w->out, "%s = %s\n", key, value);
        return;
    }
    size_t pad = n < SOURCE_COLUMN ? SOURCE_COLUMN - n : 1;
    if (n + pad + 2 + strlen(src) > LINE_MAX_INIH) {
        fprintf(w->out, "; %s\n%s = %s\n", src, key, value);
        return;
    }
    fprintf(w->out, "%s = %s%*s; %s\n", key, value, (int)pad, "", src);
}

/* Writes every key of table t from base, each named prefix + key. */
static void put_table(const struct writer *w, const char *section,
                      const struct cfgk_table *t, const void *base,
                      const char *prefix)
{
    char value[VALUE_MAX], key[128];
    for (size_t i = 0; i < t->n; i++) {
        const struct uncertain_input *u =
            cfgk_uncertain_at(w->p, (const char *)base + t->keys[i].off);
        cfgk_format(&t->keys[i], base, value, sizeof value);
        if (t->keys[i].type == CFGK_TEAM) {
            int team;
            memcpy(&team, (const char *)base + t->keys[i].off, sizeof team);
            if (team != TEAM_ALL)
                snprintf(value, sizeof value, "%s", w->p->teams[team].name);
        }
        if (u) {
            char spec[VALUE_MAX - 16];
            dist_format(&u->dist, spec, sizeof spec);
            snprintf(value, sizeof value, "uncertain(%s)", spec);
        }
        snprintf(key, sizeof key, "%s%s", prefix, t->keys[i].key);
        put_line(w, section, key, value, t->keys[i].type == CFGK_DIST);
    }
}

static void put_fixed(const struct writer *w, const struct cfgk_table *t,
                      struct params *p)
{
    fprintf(w->out, "\n[%s]\n", t->name);
    put_table(w, t->name, t, cfgk_section_base(t, p), "");
}

/* [targets]: only the keys that hold a target, and only if one does. */
static void put_targets(const struct writer *w, struct params *p)
{
    char value[VALUE_MAX];
    int any = 0;
    for (size_t i = 0; i < cfgk_targets.n; i++) {
        const struct cfgk *k = &cfgk_targets.keys[i];
        if (!p->targets.kpi[i].set)
            continue;
        if (!any++)
            fprintf(w->out, "\n[%s]\n", cfgk_targets.name);
        cfgk_format(k, &p->targets, value, sizeof value);
        put_line(w, cfgk_targets.name, k->key, value, 0);
    }
}

/* [start]: only when the files have one, so a file without it writes
 * what it wrote before; open.STAGE for each stage with open deals. */
static void put_start(const struct writer *w, struct params *p)
{
    char value[VALUE_MAX], key[160];
    if (!p->start.given)
        return;
    put_fixed(w, &cfgk_start, p);
    for (size_t i = 0; i < p->n_stages; i++) {
        if (!p->stages[i].open_start)
            continue;
        cfgk_format(&cfgk_start_open, &p->stages[i], value, sizeof value);
        snprintf(key, sizeof key, "open.%s", p->stages[i].name);
        put_line(w, cfgk_start.name, key, value, 0);
    }
}

/* [plan]: only when it sets a plan, so a file without one writes what it
 * wrote before. */
static void put_plan(const struct writer *w, struct params *p)
{
    if (p->plan.metric < 0)
        return;
    put_fixed(w, &cfgk_plan, p);
}

/* [calendar]: only when it is not flat, so a file without one (or with
 * one that changes nothing) writes what it wrote before. */
static void put_calendar(const struct writer *w, struct params *p)
{
    if (p->calendar.week)
        put_fixed(w, &cfgk_calendar, p);
}

/* [report]: only when a key is set, so a file without it writes what it
 * wrote before. */
static void put_report(const struct writer *w, struct params *p)
{
    const struct report_params *r = &p->report;
    if (r->title[0] || r->author[0] || r->notes[0])
        put_fixed(w, &cfgk_report, p);
}

static void put_stage(const struct writer *w, const struct stage_params *st)
{
    char section[128];
    snprintf(section, sizeof section, "stage.%s", st->name);
    fprintf(w->out, "\n[%s]\n", section);
    put_table(w, section, &cfgk_stage, st, "");
}

/* [team.NAME]: the keys the team set, and nothing else, so a key it
 * leaves to [sales] (an uncertain one too) stays [sales]'s when the file
 * is read back. */
static void put_team(const struct writer *w, const struct team *t)
{
    char section[128], value[VALUE_MAX], key[192];
    snprintf(section, sizeof section, "team.%s", t->name);
    fprintf(w->out, "\n[%s]\n", section);
    if (t->initial_clients >= 0) {
        snprintf(value, sizeof value, "%d", t->initial_clients);
        put_line(w, section, "initial_clients", value, 0);
    }
    for (size_t i = 0; i < cfgk_sales.n; i++) {
        if (!(t->sales_set >> i & 1))
            continue;
        cfgk_format(&cfgk_sales.keys[i], &t->sales, value, sizeof value);
        put_line(w, section, cfgk_sales.keys[i].key, value,
                 cfgk_sales.keys[i].type == CFGK_DIST);
    }
    for (size_t s = 0; s < w->p->n_stages; s++)
        for (size_t i = 0; i < cfgk_stage.n; i++) {
            if (!(t->stage_set[s] >> i & 1))
                continue;
            cfgk_format(&cfgk_stage.keys[i], &t->stages[s], value,
                        sizeof value);
            snprintf(key, sizeof key, "stage.%s.%s", w->p->stages[s].name,
                     cfgk_stage.keys[i].key);
            put_line(w, section, key, value,
                     cfgk_stage.keys[i].type == CFGK_DIST);
        }
}

static void put_scenario(const struct writer *w, const struct scenario *sc)
{
    char section[128], prefix[128], key[160];
    snprintf(section, sizeof section, "scenario.%s", sc->id);
    fprintf(w->out, "\n[%s]\n", section);
    put_table(w, section, &cfgk_scenario, sc, "");
    for (size_t i = 0; i < sc->n_iv; i++) {
        const struct intervention *iv = &sc->iv[i];
        const char *type = iv_type_name(iv->type);
        snprintf(prefix, sizeof prefix, "%s.", iv->name);
        snprintf(key, sizeof key, "%stype", prefix);
        if (strcmp(iv->name, type))
            put_line(w, section, key, type, 0);
        put_table(w, section, cfgk_iv(iv->type), &iv->u, prefix);
    }
}

int config_write(FILE *out, const struct config *cfg, const struct params *p,
                 int sources)
{
    struct writer w = {out, sources ? cfg : NULL, p};
    /* The tables take a mutable base; nothing here writes through it. */
    struct params *mp = (struct params *)(void *)p;
    fprintf(out, "; every parameter of %s, resolved by salescap\n",
            cfg && cfg->path ? cfg->path : "the run");
    put_fixed(&w, &cfgk_simulation, mp);
    put_fixed(&w, &cfgk_sales, mp);
    for (size_t i = 0; i < p->n_stages; i++)
        put_stage(&w, &p->stages[i]);
    for (size_t i = 0; i < p->n_teams; i++)
        put_team(&w, &p->teams[i]);
    put_fixed(&w, &cfgk_operations, mp);
    put_fixed(&w, &cfgk_support, mp);
    put_fixed(&w, &cfgk_clients, mp);
    put_fixed(&w, &cfgk_market, mp);
    put_calendar(&w, mp);
    put_start(&w, mp);
    put_fixed(&w, &cfgk_costs, mp);
    put_targets(&w, mp);
    put_fixed(&w, &cfgk_decision, mp);
    put_plan(&w, mp);
    put_report(&w, mp);
    for (size_t i = 0; i < p->n_scenarios; i++)
        put_scenario(&w, &p->scenarios[i]);
    return ferror(out) ? -1 : 0;
}

int config_write_section(FILE *out, const struct params *p, const char *section)
{
    struct writer w = {out, NULL, p};
    struct params *mp = (struct params *)(void *)p;
    const struct cfgk_table *fixed[] = {&cfgk_simulation, &cfgk_sales,
                                        &cfgk_operations, &cfgk_support,
                                        &cfgk_clients,    &cfgk_market};
    for (size_t i = 0; i < N_KEYS(fixed); i++)
        if (!strcmp(section, fixed[i]->name)) {
            put_fixed(&w, fixed[i], mp);
            return ferror(out) ? -1 : 0;
        }
    for (size_t i = 0; i < p->n_stages; i++)
        if (!strncmp(section, "stage.", 6) &&
            !strcmp(section + 6, p->stages[i].name)) {
            put_stage(&w, &p->stages[i]);
            return ferror(out) ? -1 : 0;
        }
    return -1;
}

/* ------------------------------------------------------------ reference */

/* What values a key takes, for the reference table. */
static void describe_range(const struct cfgk *k, char *buf, size_t size)
{
    char r[96];
    cfgk_range(k, r, sizeof r);
    switch (k->type) {
    case CFGK_ENUM: {
        size_t len = 0;
        buf[0] = '\0';
        for (int i = 0; k->names[i] && len < size; i++)
            len += (size_t)snprintf(buf + len, size - len, "%s%s",
                                    i ? ", " : "", k->names[i]);
        return;
    }
    case CFGK_DIST:
        snprintf(buf, size, "distribution, >= 0");
        return;
    case CFGK_REPS:
        snprintf(buf, size, "count, percent or all");
        return;
    case CFGK_FEE:
        snprintf(buf, size, "$ %s, or a percent in [0%%, 100%%]", r);
        return;
    case CFGK_STRING:
        snprintf(buf, size, "%s",
                 k->flags & CFGK_AMOUNTS
                     ? "none, or $ >= 0: one, or a list (A, B, ...)"
                 : k->flags & CFGK_MONTHS
                     ? "none, or twelve numbers >= 0 (J, F, ..., D)"
                 : k->flags & CFGK_HOLIDAYS
                     ? "none, or weeks of the year (1-53) and dates "
                       "(YYYY-MM-DD): a list"
                     : "text");
        return;
    case CFGK_SEED:
        snprintf(buf, size, "0 .. 2^64-1");
        return;
    case CFGK_DATE:
        snprintf(buf, size, "YYYY-MM-DD, or none");
        return;
    case CFGK_TEAM:
        snprintf(buf, size, "all, or a [team.NAME]'s name");
        return;
    case CFGK_TARGET:
        snprintf(buf, size, "%s, +- tolerance (default %g%%), or none", r,
                 TARGET_DEFAULT_TOL_PCT);
        return;
    case CFGK_INT:
    case CFGK_DOUBLE:
        break;
    }
    if (k->flags & CFGK_WEEK)
        snprintf(buf, size, "week in [0, horizon_weeks)");
    else if (k->flags & CFGK_DEFAULT)
        snprintf(buf, size, "%s, or default", r);
    else
        snprintf(buf, size, "%s%s", k->type == CFGK_INT ? "whole, " : "",
                 r[0] ? r : "any");
}

/* What an empty text default stands for: a scenario's title is its ID,
 * its label its title; text elsewhere is simply absent. */
static const char *empty_default(const struct cfgk_table *t,
                                 const struct cfgk *k)
{
    if (t != &cfgk_scenario)
        return "(none)";
    return strcmp(k->key, "label") ? "(the ID)" : "(the title)";
}

static void ref_table(FILE *out, const char *section,
                      const struct cfgk_table *t, const char *prefix)
{
    char range[256];
    for (size_t i = 0; i < t->n; i++) {
        const struct cfgk *k = &t->keys[i];
        describe_range(k, range, sizeof range);
        fprintf(out, "| [%s] | %s%s | %s | %s | %s |\n", section, prefix,
                k->key, k->def[0] ? k->def : empty_default(t, k), range,
                k->doc);
    }
}

int config_write_reference(FILE *out)
{
    const struct cfgk_table *model[] = {
        &cfgk_simulation, &cfgk_sales,   &cfgk_stage,    &cfgk_operations,
        &cfgk_support,    &cfgk_clients, &cfgk_market,   &cfgk_calendar,
        &cfgk_start,      &cfgk_costs,   &cfgk_targets,  &cfgk_decision,
        &cfgk_plan,       &cfgk_report,  &cfgk_scenario,
    };
    const struct cfgk_table open = {cfgk_start.name, &cfgk_start_open, 1};
    char prefix[64];
    fputs("| section | key | default | values | meaning |\n"
          "| --- | --- | --- | --- | --- |\n",
          out);
    for (size_t i = 0; i < sizeof model / sizeof model[0]; i++) {
        ref_table(out, model[i]->name, model[i], "");
        if (model[i] == &cfgk_start)
            ref_table(out, open.name, &open, "");
        if (model[i] == &cfgk_stage)
            fputs("| [team.NAME] | any [sales] key | [sales]'s value | as "
                  "in [sales] | the team's own value (docs/model.md, "
                  "\"Teams\") |\n"
                  "| [team.NAME] | stage.STAGE.KEY | the stage's value | as "
                  "in [stage.NAME] | the team's value of a stage's key, for "
                  "a stage of the pipeline |\n"
                  "| [team.NAME] | initial_clients | (spread) | whole, [0, "
                  "1000000] | clients of the installed base this team's "
                  "reps hold (set in every team or none; default: [clients] "
                  "initial spread over all reps in turn) |\n",
                  out);
    }
    for (int t = 0; t < IV_TYPE_COUNT; t++) {
        const struct cfgk_table *tt = cfgk_iv((enum iv_type)t);
        snprintf(prefix, sizeof prefix, "%s.", tt->name);
        ref_table(out, cfgk_scenario.name, tt, prefix);
    }
    return ferror(out) ? -1 : 0;
}
