/*
 * config_resolve: resolving raw config entries into typed, validated parameters
 * (config_resolve), and freeing them.
 *
 * Resolving runs in a fixed order, so the error a user sees is stable:
 * defaults; every section name (in order of first appearance); the entries
 * of the model sections in entry order (every entry is validated, even one
 * a later entry overrides); checks that span keys; then each scenario's
 * interventions. The first error stops it. Invariant: a params that
 * config_resolve() returned 0 for satisfies every range of config_table.c
 * and the cross-key rules below, so the model never validates input.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "config_int.h"

/* Shares may sum to 1 up to rounding of their decimal forms. */
#define SHARE_SLACK 1e-12

struct resolve {
    const struct config *cfg;
    struct params *p;
    struct err *e;
};

static const struct cfgk_table *const fixed_tables[] = {
    &cfgk_simulation, &cfgk_sales,   &cfgk_operations, &cfgk_support,
    &cfgk_clients,    &cfgk_market,  &cfgk_calendar,   &cfgk_start,
    &cfgk_costs,      &cfgk_targets, &cfgk_decision,   &cfgk_plan,
    &cfgk_report,
};
#define N_FIXED (sizeof fixed_tables / sizeof fixed_tables[0])

static const char stage_prefix[] = "stage.";
static const char scenario_prefix[] = "scenario.";

static const char *after_prefix(const char *s, const char *prefix)
{
    size_t n = strlen(prefix);
    return strncmp(s, prefix, n) ? NULL : s + n;
}

static const struct cfgk_table *fixed_table(const char *section)
{
    for (size_t i = 0; i < N_FIXED; i++)
        if (!strcmp(section, fixed_tables[i]->name))
            return fixed_tables[i];
    return NULL;
}

static const struct cfgk *table_key(const struct cfgk_table *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->keys[i].key, key))
            return &t->keys[i];
    return NULL;
}

/* ------------------------------------------------------------ sections */

static int name_ok(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
            !(*s >= '0' && *s <= '9') && *s != '_' && *s != '-')
            return 0;
    return 1;
}

/* The "did you mean" of an unknown section name, or NULL. */
static const char *section_hint(const char *name, char *buf, size_t size)
{
    const char *cand[N_FIXED + 3];
    for (size_t i = 0; i < N_FIXED; i++)
        cand[i] = fixed_tables[i]->name;
    const char *dot = strchr(name, '.');
    if (!dot)
        return text_suggest(name, cand, N_FIXED);
    char head[64];
    snprintf(head, sizeof head, "%.*s", (int)(dot - name), name);
    cand[0] = "stage";
    cand[1] = "scenario";
    cand[2] = "team";
    const char *h = text_suggest(head, cand, 3);
    if (!h)
        return NULL;
    snprintf(buf, size, "%s%s", h, dot);
    return buf;
}

static int unknown_section(struct resolve *r, const struct config_section *s)
{
    const struct config_entry at = {.file = s->file, .line = s->line};
    char buf[128];
    if (!strcmp(s->name, "team"))
        return cfgk_entry_error(r->e, &at,
                                "section [team] needs a name: [team.NAME]");
    if (!strcmp(s->name, "stage") || !strcmp(s->name, "stage.") ||
        !strcmp(s->name, "scenario") || !strcmp(s->name, "scenario."))
        return cfgk_entry_error(r->e, &at, "section [%s] needs a name: [%s.%s]",
                                s->name,
                                s->name[1] == 't' ? "stage" : "scenario",
                                s->name[1] == 't' ? "NAME" : "ID");
    if ((!strcmp(s->name, "sweep") || !strcmp(s->name, "vary")) &&
        !strcmp(s->file, "--set"))
        return cfgk_entry_error(r->e, &at,
                                "[%s] is a section of sweep files; --set "
                                "changes the model (edit the sweep file, or "
                                "use -n and --seed)",
                                s->name);
    if (!strcmp(s->name, "sweep"))
        return cfgk_entry_error(r->e, &at,
                                "[sweep] belongs to a sweep file: run it "
                                "with 'salescap sweep %s'",
                                s->file);
    if (!strcmp(s->name, "vary"))
        return cfgk_entry_error(r->e, &at,
                                "[vary] belongs to a sweep file, which "
                                "also needs a [sweep] section (file = "
                                "MODEL.ini) and runs with 'salescap "
                                "sweep'");
    const char *hint = section_hint(s->name, buf, sizeof buf);
    if (hint)
        return cfgk_entry_error(r->e, &at,
                                "unknown section [%s]; did you mean [%s]?",
                                s->name, hint);
    return cfgk_entry_error(
        r->e, &at,
        "unknown section [%s]; known: simulation, sales, team.NAME, "
        "stage.NAME, operations, support, clients, market, calendar, start, "
        "costs, targets, decision, plan, report, scenario.ID",
        s->name);
}

static struct stage_params *find_stage(struct params *p, const char *name)
{
    for (size_t i = 0; i < p->n_stages; i++)
        if (!strcmp(p->stages[i].name, name))
            return &p->stages[i];
    return NULL;
}

static int add_stage(struct resolve *r, const struct config_section *s,
                     const char *name)
{
    const struct config_entry at = {.file = s->file, .line = s->line};
    if (!name_ok(name))
        return cfgk_entry_error(
            r->e, &at,
            "[%s]: a stage name may hold only letters, digits, '_' and '-'",
            s->name);
    struct stage_params *st = &r->p->stages[r->p->n_stages];
    cfgk_defaults(&cfgk_stage, st);
    st->name = strdup(name);
    if (!st->name)
        return err_oom(r->e);
    r->p->n_stages++;
    return 0;
}

static int add_scenario(struct resolve *r, const struct config_section *s,
                        const char *id)
{
    const struct config_entry at = {.file = s->file, .line = s->line};
    if (!name_ok(id))
        return cfgk_entry_error(
            r->e, &at,
            "[%s]: a scenario ID may hold only letters, digits, '_' and '-'",
            s->name);
    if (!strcasecmp(id, "baseline"))
        return cfgk_entry_error(r->e, &at,
                                "[%s]: the ID 'baseline' (in any case) is "
                                "reserved for the run without interventions",
                                s->name);
    struct scenario *sc = &r->p->scenarios[r->p->n_scenarios++];
    sc->id = strdup(id);
    cfgk_defaults(&cfgk_scenario, sc); /* the title "" is the ID's, later */
    return sc->id && sc->title && sc->label ? 0 : err_oom(r->e);
}

/* The built-in pipeline, into p->stages (which has room for it). */
static int builtin_stages(struct resolve *r)
{
    struct params *p = r->p;
    for (size_t i = 0; i < cfgk_n_builtin_stages; i++) {
        const struct cfgk_builtin_stage *b = &cfgk_builtin_stages[i];
        const char *vals[] = {b->work_hours, b->buyer_days, b->advance,
                              b->patience_days};
        struct stage_params *st = &p->stages[p->n_stages];
        for (size_t k = 0; k < cfgk_stage.n; k++) {
            struct err te = {0};
            int rc = cfgk_parse(&cfgk_stage.keys[k], vals[k], st, &te);
            assert(rc == 0 && "a built-in stage outside its range");
            (void)rc;
        }
        st->name = strdup(b->name);
        if (!st->name)
            return err_oom(r->e);
        p->n_stages++;
    }
    return 0;
}

/* Whether any file has a [stage.NAME] header. Without one, the built-in
 * pipeline is the base, and overrides (--set, sweeps) of stage.NAME change
 * a built-in stage or add one after them: varying one stage must not
 * silently drop the others. */
static int file_stages(const struct config *cfg)
{
    for (size_t i = 0; i < cfg->n_sections; i++)
        if (cfg->sections[i].header &&
            after_prefix(cfg->sections[i].name, stage_prefix))
            return 1;
    return 0;
}

static int make_section(struct resolve *r, const struct config_section *s)
{
    const char *st = after_prefix(s->name, stage_prefix);
    const char *sc = after_prefix(s->name, scenario_prefix);
    if (fixed_table(s->name))
        return 0;
    if (st && *st)
        return find_stage(r->p, st) ? 0 : add_stage(r, s, st);
    if (sc && *sc)
        return add_scenario(r, s, sc);
    if (cfgk_team_name(s->name))
        return 0; /* cfgk_resolve_teams checks the name */
    return unknown_section(r, s);
}

/* Checks every section name and creates the stages and scenarios. */
static int make_sections(struct resolve *r)
{
    const struct config *cfg = r->cfg;
    size_t n_st = cfgk_n_builtin_stages, n_sc = 0;
    for (size_t i = 0; i < cfg->n_sections; i++) {
        n_st += after_prefix(cfg->sections[i].name, stage_prefix) != NULL;
        n_sc += after_prefix(cfg->sections[i].name, scenario_prefix) != NULL;
    }
    r->p->stages = calloc(n_st, sizeof *r->p->stages);
    r->p->scenarios = calloc(n_sc ? n_sc : 1, sizeof *r->p->scenarios);
    if (!r->p->stages || !r->p->scenarios)
        return err_oom(r->e);
    if (!file_stages(cfg) && builtin_stages(r))
        return -1;
    for (size_t i = 0; i < cfg->n_sections; i++)
        if (make_section(r, &cfg->sections[i]))
            return -1;
    return 0;
}

/* ------------------------------------------------------------ model keys */

/* [start] open.STAGE = N: the count goes to the stage it names. */
static int apply_start_open(struct resolve *r, const struct config_entry *en)
{
    const char *name = en->key + 5;
    struct stage_params *st = find_stage(r->p, name);
    if (!st) {
        char list[256];
        const char *cand[64];
        size_t k = 0, n = 0;
        list[0] = '\0';
        for (size_t i = 0; i < r->p->n_stages && k < sizeof list; i++) {
            k += (size_t)snprintf(list + k, sizeof list - k, "%s%s",
                                  i ? ", " : "", r->p->stages[i].name);
            if (n < 64)
                cand[n++] = r->p->stages[i].name;
        }
        const char *hint = text_suggest(name, cand, n);
        if (hint)
            return cfgk_entry_error(r->e, en,
                                    "[start] %s: no stage '%s'; did you "
                                    "mean 'open.%s'?",
                                    en->key, name, hint);
        return cfgk_entry_error(r->e, en,
                                "[start] %s: no stage '%s' (the stages: %s)",
                                en->key, name, list);
    }
    return cfgk_parse_entry(r->e, &cfgk_start_open, en, st);
}

/* Applies one entry of a model section ([sales], [stage.NAME] ...). */
static int apply_model_entry(struct resolve *r, const struct config_entry *en)
{
    if (!strcmp(en->section, "start") && !strncmp(en->key, "open.", 5))
        return apply_start_open(r, en);
    const struct cfgk_table *t = fixed_table(en->section);
    void *base = t ? cfgk_section_base(t, r->p) : NULL;
    if (!t) {
        t = &cfgk_stage;
        base = find_stage(r->p, after_prefix(en->section, stage_prefix));
        assert(base && "an entry outside the known sections");
    }
    const struct cfgk *k = table_key(t, en->key);
    if (!k)
        return cfgk_unknown_key(r->e, en, t, "");
    return cfgk_parse_entry(r->e, k, en, base);
}

/* The later of two entries (either may be NULL). */
static const struct config_entry *later(const struct config_entry *a,
                                        const struct config_entry *b)
{
    if (!a || !b)
        return a ? a : b;
    return a > b ? a : b;
}

/* Rules that span keys of the model sections. */
static int check_incident(struct resolve *r)
{
    const struct params *p = r->p;
    if (p->ops.incident_week < 0 && p->ops.incident_tickets > 0) {
        const struct config_entry *en =
            config_find(r->cfg, "operations", "incident_tickets");
        assert(en);
        return cfgk_entry_error(
            r->e, en,
            "[operations] incident_tickets = %d needs incident_week, the "
            "reported week the incident floods ops",
            p->ops.incident_tickets);
    }
    if (p->ops.incident_week < p->sim.horizon_weeks)
        return 0;
    const struct config_entry *en =
        config_find(r->cfg, "operations", "incident_week");
    const struct config_entry *h =
        config_find(r->cfg, "simulation", "horizon_weeks");
    assert(en);
    return cfgk_entry_error(
        r->e, en,
        "[operations] incident_week = %d is past the horizon (%d weeks%s)",
        p->ops.incident_week, p->sim.horizon_weeks,
        h && !strcmp(h->file, "--set") ? ", set by --set" : "");
}

/* [start]: work in hand needs hands; tickets and deals need someone to
 * belong to. */
static int check_start(struct resolve *r)
{
    struct params *p = r->p;
    const struct start_params *s = &p->start;
    for (size_t i = 0; i < r->cfg->n_sections; i++)
        p->start.given |= !strcmp(r->cfg->sections[i].name, "start");
    int hands = s->onboardings_in_progress + s->tickets_in_progress;
    if (hands > p->ops.role.count) {
        const struct config_entry *en =
            later(config_find(r->cfg, "start", "onboardings_in_progress"),
                  config_find(r->cfg, "start", "tickets_in_progress"));
        assert(en);
        return cfgk_entry_error(
            r->e, en,
            "[start] onboardings_in_progress + tickets_in_progress = %d + "
            "%d = %d is more than the %d [operations] staff can hold (one "
            "item each)",
            s->onboardings_in_progress, s->tickets_in_progress, hands,
            p->ops.role.count);
    }
    if (s->tickets_waiting + s->tickets_in_progress > 0 &&
        p->clients.initial == 0) {
        const struct config_entry *en =
            later(config_find(r->cfg, "start", "tickets_waiting"),
                  config_find(r->cfg, "start", "tickets_in_progress"));
        assert(en);
        return cfgk_entry_error(r->e, en,
                                "[start] tickets need clients to raise them, "
                                "and [clients] initial is 0");
    }
    for (size_t i = 0; i < p->n_stages; i++) {
        if (p->stages[i].open_start == 0 || params_reps(p) > 0)
            continue;
        char key[128];
        snprintf(key, sizeof key, "open.%s", p->stages[i].name);
        const struct config_entry *en = config_find(r->cfg, "start", key);
        assert(en);
        return cfgk_entry_error(r->e, en,
                                "[start] %s = %d needs reps to hold the "
                                "deals, and %s",
                                key, p->stages[i].open_start,
                                p->n_teams ? "every team's reps is 0"
                                           : "[sales] reps is 0");
    }
    return 0;
}

/* [market]: cooling needs a finite market, and the market must hold the
 * accounts the start already takes (clients, onboardings, open deals). */
static int check_market(struct resolve *r)
{
    const struct params *p = r->p;
    const struct market_params *mk = &p->market;
    if (mk->accounts == 0 && mk->cooling_days > 0) {
        const struct config_entry *en =
            config_find(r->cfg, "market", "cooling_days");
        assert(en);
        return cfgk_entry_error(
            r->e, en,
            "[market] cooling_days = %.10g needs accounts, the size of the "
            "market (without it the market is unlimited and no account "
            "cools)",
            mk->cooling_days);
    }
    if (mk->accounts == 0)
        return 0;
    long clients = (long)p->clients.initial + p->start.onboardings_waiting +
                   p->start.onboardings_in_progress;
    long open = 0;
    for (size_t i = 0; i < p->n_stages; i++)
        open += p->stages[i].open_start;
    if (clients + open <= mk->accounts)
        return 0;
    const struct config_entry *en = config_find(r->cfg, "market", "accounts");
    assert(en);
    return cfgk_entry_error(
        r->e, en,
        "[market] accounts = %d is fewer than the accounts taken at the "
        "start: %ld clients ([clients] initial and [start]'s onboardings) "
        "and %ld open deals ([start])",
        mk->accounts, clients, open);
}

static int check_model(struct resolve *r)
{
    if (check_incident(r) || check_start(r) || check_market(r))
        return -1;
    const struct sales_params *s = &r->p->sales;
    double sum = s->prospecting_share + s->admin_share;
    if (sum <= 1 + SHARE_SLACK)
        return 0;
    const struct config_entry *en =
        later(config_find(r->cfg, "sales", "prospecting_share"),
              config_find(r->cfg, "sales", "admin_share"));
    assert(en);
    return cfgk_entry_error(r->e, en,
                            "[sales] prospecting_share + admin_share = %.10g + "
                            "%.10g = %.10g is over 1",
                            s->prospecting_share, s->admin_share, sum);
}

static int apply_model(struct resolve *r)
{
    const struct config *cfg = r->cfg;
    for (size_t i = 0; i < cfg->n; i++) {
        const struct config_entry *en = &cfg->entries[i];
        if (after_prefix(en->section, scenario_prefix) ||
            cfgk_team_name(en->section))
            continue;
        if (apply_model_entry(r, en))
            return -1;
    }
    if (cfgk_resolve_teams(cfg, r->p, r->e))
        return -1;
    return check_model(r);
}

/* ------------------------------------------------------------ lifetime */

static void scenario_free(struct scenario *sc)
{
    for (size_t j = 0; j < sc->n_iv; j++)
        free(sc->iv[j].name);
    free(sc->iv);
    free(sc->id);
    free(sc->title);
    free(sc->label);
}

void params_destroy(struct params *p)
{
    for (size_t i = 0; i < N_FIXED; i++)
        cfgk_free(fixed_tables[i], cfgk_section_base(fixed_tables[i], p));
    for (size_t i = 0; i < p->n_stages; i++) {
        cfgk_free(&cfgk_stage, &p->stages[i]);
        free(p->stages[i].name);
    }
    cfgk_free_teams(p);
    free(p->stages);
    for (size_t i = 0; i < p->n_scenarios; i++)
        scenario_free(&p->scenarios[i]);
    free(p->scenarios);
    free(p->decision.metric);
    free(p->decision.quarters);
    free(p->plan.bookings_per_quarter);
    free(p->plan.revenue_per_quarter);
    free(p->plan.per_quarter);
    free(p->calendar.opportunities_by_month);
    free(p->calendar.buyer_speed_by_month);
    free(p->calendar.sales_holidays);
    free(p->calendar.ops_holidays);
    free(p->calendar.week);
    cfgk_free_uncertain(p);
    config_destroy_report(&p->report);
    memset(p, 0, sizeof *p);
}

int config_resolve(const struct config *cfg, struct params *p, struct err *e)
{
    struct resolve r = {cfg, p, e};
    memset(p, 0, sizeof *p);
    for (size_t i = 0; i < N_FIXED; i++)
        cfgk_defaults(fixed_tables[i], cfgk_section_base(fixed_tables[i], p));
    int rc = make_sections(&r);
    if (!rc)
        rc = apply_model(&r);
    if (!rc)
        rc = cfgk_check_targets(cfg, p, e);
    if (!rc)
        rc = cfgk_resolve_scenarios(cfg, p, e);
    if (!rc)
        rc = cfgk_resolve_decision(cfg, p, e);
    if (!rc)
        rc = cfgk_resolve_plan(cfg, p, e);
    if (!rc)
        rc = cfgk_resolve_calendar(cfg, p, e);
    if (!rc)
        rc = cfgk_resolve_uncertain(cfg, p, e);
    if (!rc)
        rc = cfgk_uncertain_teams(p, e);
    if (!rc)
        rc = cfgk_resolve_report(cfg, &p->report, e);
    if (rc)
        params_destroy(p);
    return rc;
}

/* ------------------------------------------------------------ hiring */

int params_hire_delay(const struct params *p, enum role role, double lead)
{
    if (lead < 0.0)
        lead = role == ROLE_SALES ? p->sales.role.lead_weeks
               : role == ROLE_OPS ? p->ops.role.lead_weeks
                                  : p->support.role.lead_weeks;
    int weeks = (int)ceil(lead);
    return weeks < 1 ? 1 : weeks;
}

int params_reps(const struct params *p)
{
    if (!p->n_teams)
        return p->sales.role.count;
    int n = 0;
    for (size_t i = 0; i < p->n_teams; i++)
        n += p->teams[i].sales.role.count;
    return n;
}

int iv_team(const struct intervention *iv)
{
    /* The types that act on reps have a team key (config_table.c). */
    const struct cfgk_table *t = cfgk_iv(iv->type);
    const struct cfgk *k = table_key(t, "team");
    int team = TEAM_ALL;
    if (k)
        memcpy(&team, (const char *)&iv->u + k->off, sizeof team);
    return team;
}

/* ------------------------------------------------------------ names */

const char *role_name(enum role r)
{
    static const char *const names[] = {"sales", "ops", "support"};
    return (unsigned)r < ROLE_COUNT ? names[r] : "?";
}

const char *iv_type_name(enum iv_type t)
{
    return (unsigned)t < IV_TYPE_COUNT ? cfgk_iv(t)->name : "?";
}

const char *queue_order_name(enum queue_order q)
{
    static const char *const names[] = {"fifo", "tickets_first",
                                        "onboarding_first"};
    return (unsigned)q < sizeof names / sizeof names[0] ? names[q] : "?";
}
