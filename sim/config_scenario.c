/*
 * config_scenario: resolving the interventions of each [scenario.ID].
 *
 * A scenario's keys are its own (title, label, chart: cfgk_scenario) and
 * NAME.key. The interventions are the
 * distinct NAMEs, in order of first appearance; NAME.type names the type,
 * else NAME must itself be a type name. Invariant after resolving: every
 * intervention has a valid type, its defaults under the keys not given,
 * week keys inside the horizon, and a focus share that fits beside the
 * reps' admin share.
 */
#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "config_int.h"

#define SHARE_SLACK 1e-12

static const char *type_list =
    "pull, policy, hire, focus, support, effectiveness, expectations, "
    "hire_from_budget, expand_ops_on_delay, contract, reduce, freeze, catchup, "
    "process, promise, prospect_when_thin";

static int type_parse(const char *s, enum iv_type *t)
{
    for (int i = 0; i < IV_TYPE_COUNT; i++)
        if (!strcmp(s, cfgk_iv((enum iv_type)i)->name)) {
            *t = (enum iv_type)i;
            return 0;
        }
    return -1;
}

static const char *type_hint(const char *s)
{
    const char *cand[IV_TYPE_COUNT];
    for (int i = 0; i < IV_TYPE_COUNT; i++)
        cand[i] = cfgk_iv((enum iv_type)i)->name;
    return text_suggest(s, cand, IV_TYPE_COUNT);
}

static struct intervention *find_iv(struct scenario *sc, const char *name,
                                    size_t len)
{
    for (size_t i = 0; i < sc->n_iv; i++)
        if (strlen(sc->iv[i].name) == len &&
            !strncmp(sc->iv[i].name, name, len))
            return &sc->iv[i];
    return NULL;
}

/* A new intervention without a type yet (IV_TYPE_COUNT). */
static struct intervention *add_iv(struct scenario *sc, const char *name,
                                   size_t len)
{
    struct intervention *iv = realloc(sc->iv, (sc->n_iv + 1) * sizeof *iv);
    if (!iv)
        return NULL;
    sc->iv = iv;
    iv = &sc->iv[sc->n_iv];
    memset(iv, 0, sizeof *iv);
    iv->type = IV_TYPE_COUNT;
    iv->name = malloc(len + 1);
    if (!iv->name)
        return NULL;
    memcpy(iv->name, name, len);
    iv->name[len] = '\0';
    sc->n_iv++;
    return iv;
}

/* The scenario's own key (title, label, chart) named name, or NULL. */
static const struct cfgk *own_key(const char *name)
{
    for (size_t i = 0; i < cfgk_scenario.n; i++)
        if (!strcmp(cfgk_scenario.keys[i].key, name))
            return &cfgk_scenario.keys[i];
    return NULL;
}

/* A key that is neither the scenario's own nor NAME.key. */
static int bad_key(struct err *e, const struct config_entry *en)
{
    const char *own[8];
    size_t n = 0;
    for (; n < cfgk_scenario.n && n < 8; n++)
        own[n] = cfgk_scenario.keys[n].key;
    if (strchr(en->key, '.'))
        return cfgk_entry_error(e, en,
                                "malformed key '%s' in [%s]: expected NAME.key",
                                en->key, en->section);
    const char *hint = text_suggest(en->key, own, n);
    if (hint)
        return cfgk_entry_error(e, en,
                                "unknown key '%s' in [%s]; did you mean '%s'?",
                                en->key, en->section, hint);
    return cfgk_entry_error(e, en,
                            "unknown key '%s' in [%s]: a scenario holds title, "
                            "label, chart and NAME.key (like pull.weeks)",
                            en->key, en->section);
}

static int explicit_type(struct err *e, const struct config_entry *en,
                         struct intervention *iv)
{
    if (type_parse(en->value, &iv->type) == 0)
        return 0;
    const char *hint = type_hint(en->value);
    if (hint)
        return cfgk_entry_error(
            e, en,
            "[%s] %s: unknown intervention type '%s'; did you mean '%s'?",
            en->section, en->key, en->value, hint);
    return cfgk_entry_error(
        e, en, "[%s] %s: unknown intervention type '%s'; known: %s",
        en->section, en->key, en->value, type_list);
}

/* Longest NAME of NAME.key, like a section name: run.ini writes NAME's
 * every key, and the lines must stay within what inih reads. */
#define IV_NAME_MAX 49

/* Creates the interventions of sc in order of first appearance and reads
 * their NAME.type keys. */
static int collect(const struct config *cfg, const char *section,
                   struct scenario *sc, struct err *e)
{
    for (size_t i = 0; i < cfg->n; i++) {
        const struct config_entry *en = &cfg->entries[i];
        if (strcmp(en->section, section) || own_key(en->key))
            continue;
        const char *dot = strchr(en->key, '.');
        if (!dot || dot == en->key || !dot[1])
            return bad_key(e, en);
        size_t len = (size_t)(dot - en->key);
        if (len > IV_NAME_MAX)
            return cfgk_entry_error(
                e, en,
                "[%s] %.*s...: intervention name is %zu bytes long; "
                "at most %d",
                en->section, IV_NAME_MAX, en->key, len, IV_NAME_MAX);
        struct intervention *iv = find_iv(sc, en->key, len);
        if (!iv && !(iv = add_iv(sc, en->key, len)))
            return err_oom(e);
        if (!strcmp(dot + 1, "type") && explicit_type(e, en, iv))
            return -1;
    }
    return 0;
}

/* The first entry of intervention name in section. */
static const struct config_entry *
first_entry(const struct config *cfg, const char *section, const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < cfg->n; i++) {
        const struct config_entry *en = &cfg->entries[i];
        if (!strcmp(en->section, section) && !strncmp(en->key, name, len) &&
            en->key[len] == '.')
            return en;
    }
    return NULL;
}

/* Gives each untyped intervention the type its name spells; defaults. */
static int implicit_types(const struct config *cfg, const char *section,
                          struct scenario *sc, struct err *e)
{
    for (size_t i = 0; i < sc->n_iv; i++) {
        struct intervention *iv = &sc->iv[i];
        if (iv->type == IV_TYPE_COUNT && type_parse(iv->name, &iv->type)) {
            const struct config_entry *en = first_entry(cfg, section, iv->name);
            const char *hint = type_hint(iv->name);
            assert(en);
            if (hint)
                return cfgk_entry_error(
                    e, en,
                    "[%s] %s: '%s' is not an intervention type; did you mean "
                    "'%s'? (or give its type: %s.type = TYPE)",
                    section, en->key, iv->name, hint, iv->name);
            return cfgk_entry_error(e, en,
                                    "[%s] %s: '%s' is not an intervention "
                                    "type; give its type: %s.type = TYPE",
                                    section, en->key, iv->name, iv->name);
        }
        cfgk_defaults(cfgk_iv(iv->type), &iv->u);
    }
    return 0;
}

/* Applies one NAME.key (not NAME.type) entry to its intervention. */
static int apply_iv_entry(const struct params *p, struct scenario *sc,
                          const struct config_entry *en, struct err *e)
{
    const char *dot = strchr(en->key, '.');
    struct intervention *iv = find_iv(sc, en->key, (size_t)(dot - en->key));
    const struct cfgk_table *t = cfgk_iv(iv->type);
    const struct cfgk *k = NULL;
    for (size_t i = 0; i < t->n && !k; i++)
        if (!strcmp(t->keys[i].key, dot + 1))
            k = &t->keys[i];
    if (!k) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "%s.", iv->name);
        return cfgk_unknown_key(e, en, t, prefix);
    }
    if (k->type == CFGK_TEAM) {
        int team;
        if (cfgk_parse_team(en, p, &team, e))
            return -1;
        memcpy((char *)&iv->u + k->off, &team, sizeof team);
        return 0;
    }
    if (cfgk_parse_entry(e, k, en, &iv->u))
        return -1;
    int week = 0;
    if (k->flags & CFGK_WEEK)
        memcpy(&week, (const char *)&iv->u + k->off, sizeof week);
    if (week >= p->sim.horizon_weeks)
        return cfgk_entry_error(
            e, en, "[%s] %s = %s is past the horizon (%d weeks)", en->section,
            en->key, en->value, p->sim.horizon_weeks);
    return 0;
}

static int apply_entries(const struct config *cfg, const char *section,
                         const struct params *p, struct scenario *sc,
                         struct err *e)
{
    for (size_t i = 0; i < cfg->n; i++) {
        const struct config_entry *en = &cfg->entries[i];
        if (strcmp(en->section, section))
            continue;
        const char *dot = strchr(en->key, '.');
        int rc = !dot ? cfgk_parse_entry(e, own_key(en->key), en, sc)
                 : strcmp(dot + 1, "type") ? apply_iv_entry(p, sc, en, e)
                                           : 0;
        if (rc)
            return -1;
    }
    if (!sc->title[0]) {
        char *id = strdup(sc->id);
        if (!id)
            return err_oom(e);
        free(sc->title);
        sc->title = id;
    }
    return 0;
}

/* The entry that set key NAME.sub of section, for an error's location. */
static const struct config_entry *iv_entry(const struct config *cfg,
                                           const char *section,
                                           const char *name, const char *sub)
{
    char key[128];
    snprintf(key, sizeof key, "%s.%s", name, sub);
    return config_find(cfg, section, key);
}

/* A contract ends by the horizon: its cost and its people would
 * otherwise run on past what the run reports, unseen. The error names
 * the later of the two keys that set the window. */
static int check_contract(const struct config *cfg, const char *section,
                          const struct params *p, const struct intervention *iv,
                          struct err *e)
{
    const struct iv_contract *c = &iv->u.contract;
    if ((long)c->start_week + c->weeks <= p->sim.horizon_weeks)
        return 0;
    const struct config_entry *a =
        iv_entry(cfg, section, iv->name, "start_week");
    const struct config_entry *b = iv_entry(cfg, section, iv->name, "weeks");
    const struct config_entry *en = !a ? b : !b ? a : a > b ? a : b;
    if (!en)
        en = first_entry(cfg, section, iv->name);
    return cfgk_entry_error(
        e, en,
        "[%s] %s.start_week + %s.weeks = %d + %d runs past the horizon (%d "
        "weeks): a contract must end by then",
        section, iv->name, iv->name, c->start_week, c->weeks,
        p->sim.horizon_weeks);
}

/* The reps' admin share beside which a prospecting share must fit: the
 * team's, or with team = all the largest of the teams'. */
static double admin_share(const struct params *p, int team)
{
    if (team != TEAM_ALL)
        return p->teams[team].sales.admin_share;
    double a = p->sales.admin_share;
    for (size_t i = 0; i < p->n_teams; i++)
        a = i ? fmax(a, p->teams[i].sales.admin_share)
              : p->teams[i].sales.admin_share;
    return a;
}

/* A team (team != all) on a hire, contract or reduce of another role. */
static int check_team_role(const struct config *cfg, const char *section,
                           const struct intervention *iv, struct err *e)
{
    enum role role = iv->type == IV_HIRE       ? iv->u.hire.role
                     : iv->type == IV_CONTRACT ? iv->u.contract.role
                     : iv->type == IV_FREEZE   ? iv->u.freeze.role
                                               : iv->u.reduce.role;
    if (iv_team(iv) == TEAM_ALL || role == ROLE_SALES)
        return 0;
    const struct config_entry *en = iv_entry(cfg, section, iv->name, "team");
    assert(en);
    return cfgk_entry_error(e, en,
                            "[%s] %s.team = %s: a team is one of reps, and "
                            "%s.role is %s (teams share operations and "
                            "support)",
                            section, iv->name, en->value, iv->name,
                            role_name(role));
}

/* The people of role a scenario can have: the role's starting count and
 * those its hire and support interventions add. */
static long role_people(const struct params *p, const struct scenario *sc,
                        enum role role)
{
    long n = role == ROLE_SALES ? params_reps(p)
             : role == ROLE_OPS ? p->ops.role.count
                                : p->support.role.count;
    for (size_t i = 0; i < sc->n_iv; i++) {
        const struct intervention *iv = &sc->iv[i];
        if (iv->type == IV_HIRE && iv->u.hire.role == role)
            n += iv->u.hire.count;
        if (iv->type == IV_SUPPORT && role == ROLE_SUPPORT)
            n += iv->u.support.count;
    }
    return n;
}

/* A reduction gives a count or a share, not both, and cuts no more people
 * than the role can have. */
static int check_reduce(const struct config *cfg, const char *section,
                        const struct params *p, const struct scenario *sc,
                        const struct intervention *iv, struct err *e)
{
    const struct iv_reduce *r = &iv->u.reduce;
    const struct config_entry *c = iv_entry(cfg, section, iv->name, "count");
    const struct config_entry *s = iv_entry(cfg, section, iv->name, "share");
    /* Both written: one of them 0 (run.ini writes both) is no clash. */
    if (c && s && r->count > 0 && r->share > 0.0)
        return cfgk_entry_error(
            e, c > s ? c : s,
            "[%s] %s.count and %s.share: give one of them, not both", section,
            iv->name, iv->name);
    long most = role_people(p, sc, r->role);
    if (r->count <= most)
        return 0;
    return cfgk_entry_error(
        e, c,
        "[%s] %s.count = %d is more than the %s people the scenario can employ "
        "(%ld: the role's count at the start and its hires)",
        section, iv->name, r->count, role_name(r->role), most);
}

/* prospect_when_thin (issue 17): each share beside the admin share, and
 * a stop above the start. */
static int check_thin(const struct config *cfg, const char *section,
                      const struct params *p, const struct intervention *iv,
                      struct err *e)
{
    const struct iv_prospect_when_thin *th = &iv->u.thin;
    const char *keys[2] = {"prospecting_share", "idle_share"};
    double shares[2] = {th->prospecting_share, th->idle_share};
    for (int i = 0; i < 2; i++) {
        double admin = admin_share(p, th->team);
        double sum = shares[i] + admin;
        if (sum <= 1 + SHARE_SLACK)
            continue;
        const struct config_entry *en =
            iv_entry(cfg, section, iv->name, keys[i]);
        if (!en)
            en = first_entry(cfg, section, iv->name);
        return cfgk_entry_error(e, en,
                                "[%s] %s.%s + %s admin_share = %.10g + "
                                "%.10g = %.10g is over 1",
                                section, iv->name, keys[i],
                                p->n_teams ? "a team's" : "[sales]", shares[i],
                                admin, sum);
    }
    if (th->above > th->below)
        return 0;
    const struct config_entry *a = iv_entry(cfg, section, iv->name, "above");
    const struct config_entry *b = iv_entry(cfg, section, iv->name, "below");
    const struct config_entry *en = !a ? b : !b ? a : a > b ? a : b;
    if (!en)
        en = first_entry(cfg, section, iv->name);
    return cfgk_entry_error(
        e, en, "[%s] %s.above = %d must be more than %s.below = %d", section,
        iv->name, th->above, iv->name, th->below);
}

/* Rules that span keys: a focus share beside the admin share, a policy's
 * end after its start, a contract's end by the horizon, a reduction's
 * count or share. */
static int check_iv(const struct config *cfg, const char *section,
                    const struct params *p, const struct scenario *sc,
                    const struct intervention *iv, struct err *e)
{
    if ((iv->type == IV_HIRE || iv->type == IV_CONTRACT ||
         iv->type == IV_REDUCE || iv->type == IV_FREEZE) &&
        check_team_role(cfg, section, iv, e))
        return -1;
    if (iv->type == IV_CONTRACT)
        return check_contract(cfg, section, p, iv, e);
    if (iv->type == IV_REDUCE)
        return check_reduce(cfg, section, p, sc, iv, e);
    if (iv->type == IV_PROSPECT_WHEN_THIN)
        return check_thin(cfg, section, p, iv, e);
    if (iv->type == IV_FOCUS) {
        double admin = admin_share(p, iv->u.focus.team);
        double sum = iv->u.focus.prospecting_share + admin;
        if (sum <= 1 + SHARE_SLACK)
            return 0;
        const struct config_entry *en =
            iv_entry(cfg, section, iv->name, "prospecting_share");
        if (!en)
            en = first_entry(cfg, section, iv->name);
        return cfgk_entry_error(e, en,
                                "[%s] %s.prospecting_share + %s "
                                "admin_share = %.10g + %.10g = %.10g is over 1",
                                section, iv->name,
                                p->n_teams ? "the team's" : "[sales]",
                                iv->u.focus.prospecting_share, admin, sum);
    }
    const struct iv_policy *po = &iv->u.policy;
    if (iv->type == IV_POLICY && po->end_week >= 0 &&
        po->end_week <= po->start_week) {
        const struct config_entry *en =
            iv_entry(cfg, section, iv->name, "end_week");
        return cfgk_entry_error(
            e, en, "[%s] %s.end_week = %d must be after %s.start_week = %d",
            section, iv->name, po->end_week, iv->name, po->start_week);
    }
    return 0;
}

static int resolve_scenario(const struct config *cfg, struct params *p,
                            struct scenario *sc, struct err *e)
{
    char section[128];
    snprintf(section, sizeof section, "scenario.%s", sc->id);
    if (collect(cfg, section, sc, e) || implicit_types(cfg, section, sc, e) ||
        apply_entries(cfg, section, p, sc, e))
        return -1;
    for (size_t i = 0; i < sc->n_iv; i++)
        if (check_iv(cfg, section, p, sc, &sc->iv[i], e))
            return -1;
    return 0;
}

int cfgk_resolve_scenarios(const struct config *cfg, struct params *p,
                           struct err *e)
{
    for (size_t i = 0; i < p->n_scenarios; i++)
        if (resolve_scenario(cfg, p, &p->scenarios[i], e))
            return -1;
    return 0;
}
