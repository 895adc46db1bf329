/*
 * config_team: the [team.NAME] sections (docs/model.md, "Teams").
 *
 * A team is a copy of [sales] and of every stage, resolved after the
 * model sections, with the team's own entries applied over it in entry
 * order: its [sales] keys, and stage.STAGE.KEY for a stage of the
 * pipeline. The copies own their distributions (dist_copy), so each
 * team frees what it holds. Which keys a team set is kept (sales_set,
 * stage_set): run.ini writes only those, and an uncertain [sales] or
 * stage key reaches every team that does not set it.
 *
 * Invariant after cfgk_resolve_teams: 0 or 1..MAX_TEAMS teams with
 * distinct valid names, none `all` or a section's name, every value in
 * its key's range, and each team's prospecting_share + admin_share <= 1.
 */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "config_int.h"

#define SHARE_SLACK 1e-12

static const char team_prefix[] = "team.";

const char *cfgk_team_name(const char *section)
{
    size_t n = sizeof team_prefix - 1;
    return strncmp(section, team_prefix, n) ? NULL : section + n;
}

int cfgk_team_find(const struct params *p, const char *name)
{
    for (size_t i = 0; i < p->n_teams; i++)
        if (!strcmp(p->teams[i].name, name))
            return (int)i;
    return -1;
}

/* Names a team may not take: the company's, and every section's. */
static const char *const reserved[] = {
    "all",      "sales",   "stage",      "operations", "ops",
    "support",  "clients", "market",     "calendar",   "start",
    "costs",    "targets", "decision",   "plan",       "report",
    "scenario", "team",    "simulation", "baseline",
};

static int check_name(const struct config_section *s, const char *name,
                      struct err *e)
{
    const struct config_entry at = {.file = s->file, .line = s->line};
    if (!*name)
        return cfgk_entry_error(e, &at,
                                "section [%s] needs a name: "
                                "[team.NAME]",
                                s->name);
    for (const char *c = name; *c; c++)
        if (!(*c >= 'a' && *c <= 'z') && !(*c >= 'A' && *c <= 'Z') &&
            !(*c >= '0' && *c <= '9') && *c != '_' && *c != '-')
            return cfgk_entry_error(e, &at,
                                    "[%s]: a team name may hold only "
                                    "letters, digits, '_' and '-'",
                                    s->name);
    for (size_t i = 0; i < N_KEYS(reserved); i++)
        if (!strcasecmp(name, reserved[i]))
            return cfgk_entry_error(
                e, &at, "[%s]: '%s' cannot name a team: %s", s->name, name,
                !strcasecmp(name, "all")
                    ? "'all' is the whole company in the CSVs' team column"
                    : "it names a section or the baseline; pick a name "
                      "like enterprise or smb");
    if (strlen(name) > 40)
        return cfgk_entry_error(
            e, &at, "[%s]: a team name has at most 40 characters", s->name);
    return 0;
}

/* Deep copies of [sales] and the stages into team t. */
static int team_copy(struct params *p, struct team *t)
{
    t->sales = p->sales;
    t->stages = calloc(p->n_stages ? p->n_stages : 1, sizeof *t->stages);
    t->stage_set = calloc(p->n_stages ? p->n_stages : 1, sizeof *t->stage_set);
    if (!t->stages || !t->stage_set)
        return -1;
    /* The copies share no memory with the originals. */
    for (size_t k = 0; k < cfgk_sales.n; k++)
        if (cfgk_sales.keys[k].type == CFGK_DIST) {
            size_t off = cfgk_sales.keys[k].off;
            struct dist *d = (struct dist *)(void *)((char *)&t->sales + off);
            memset(d, 0, sizeof *d);
            if (dist_copy(d,
                          (const struct dist
                               *)(const void *)((const char *)&p->sales + off)))
                return -1;
        }
    for (size_t i = 0; i < p->n_stages; i++) {
        t->stages[i] = p->stages[i];
        for (size_t k = 0; k < cfgk_stage.n; k++)
            if (cfgk_stage.keys[k].type == CFGK_DIST) {
                size_t off = cfgk_stage.keys[k].off;
                struct dist *d =
                    (struct dist *)(void *)((char *)&t->stages[i] + off);
                memset(d, 0, sizeof *d);
                if (dist_copy(
                        d, (const struct dist *)(const void *)((const char *)&p
                                                                   ->stages[i] +
                                                               off)))
                    return -1;
            }
    }
    return 0;
}

static size_t key_index(const struct cfgk_table *t, const char *key)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->keys[i].key, key))
            return i;
    return t->n;
}

/* stage.STAGE.KEY of team t. */
static int apply_stage_key(struct params *p, struct team *t,
                           const struct config_entry *en, struct err *e)
{
    const char *name = en->key + 6, *dot = strrchr(name, '.');
    if (!dot || dot == name || !dot[1])
        return cfgk_entry_error(e, en,
                                "[%s] %s: a stage key is written "
                                "stage.STAGE.KEY, like stage.negotiate.advance",
                                en->section, en->key);
    size_t len = (size_t)(dot - name), st = p->n_stages;
    for (size_t i = 0; i < p->n_stages; i++)
        if (strlen(p->stages[i].name) == len &&
            !strncmp(p->stages[i].name, name, len))
            st = i;
    if (st == p->n_stages) {
        char want[128], list[512];
        const char *cand[64];
        size_t n = 0, k = 0;
        snprintf(want, sizeof want, "%.*s", (int)len, name);
        list[0] = '\0';
        for (size_t i = 0; i < p->n_stages && n < 64; i++) {
            cand[n++] = p->stages[i].name;
            if (k < sizeof list)
                k += (size_t)snprintf(list + k, sizeof list - k, "%s%s",
                                      i ? ", " : "", p->stages[i].name);
        }
        const char *hint = text_suggest(want, cand, n);
        if (hint)
            return cfgk_entry_error(e, en,
                                    "[%s] %s: no stage '%s'; did you mean "
                                    "'stage.%s.%s'?",
                                    en->section, en->key, want, hint, dot + 1);
        return cfgk_entry_error(e, en,
                                "[%s] %s: no stage '%s' (the stages: %s); a "
                                "team changes the pipeline's stages, it adds "
                                "none",
                                en->section, en->key, want, list);
    }
    size_t k = key_index(&cfgk_stage, dot + 1);
    if (k == cfgk_stage.n) {
        char prefix[160];
        snprintf(prefix, sizeof prefix, "stage.%.*s.", (int)len, name);
        return cfgk_unknown_key(e, en, &cfgk_stage, prefix);
    }
    t->stage_set[st] |= UINT64_C(1) << k;
    return cfgk_parse_entry(e, &cfgk_stage.keys[k], en, &t->stages[st]);
}

/* The team's own key beside [sales]'s (docs/config.md, "Teams"). */
static const struct cfgk initial_key = {
    "initial_clients",
    CFGK_INT,
    "0",
    0,
    1000000,
    0,
    offsetof(struct team, initial_clients),
    NULL,
    "clients of the installed base this team's reps hold"};

static int apply_entry(struct params *p, struct team *t,
                       const struct config_entry *en, struct err *e)
{
    if (cfgk_is_uncertain(en->value))
        return cfgk_entry_error(
            e, en,
            "[%s] %s: a team takes no uncertain() value; write it in "
            "[sales] or [stage.NAME], which every team that does not set "
            "the key follows",
            en->section, en->key);
    if (!strncmp(en->key, "stage.", 6))
        return apply_stage_key(p, t, en, e);
    if (!strcmp(en->key, initial_key.key))
        return cfgk_parse_entry(e, &initial_key, en, t);
    size_t k = key_index(&cfgk_sales, en->key);
    if (k == cfgk_sales.n)
        return cfgk_unknown_key(e, en, &cfgk_sales, "");
    t->sales_set |= UINT64_C(1) << k;
    return cfgk_parse_entry(e, &cfgk_sales.keys[k], en, &t->sales);
}

/* A team's shares, as [sales]'s: the later of the two keys (the team's
 * or [sales]'s) takes the blame. */
static int check_shares(const struct config *cfg, const struct team *t,
                        struct err *e)
{
    const struct sales_params *s = &t->sales;
    double sum = s->prospecting_share + s->admin_share;
    if (sum <= 1 + SHARE_SLACK)
        return 0;
    char section[64];
    snprintf(section, sizeof section, "team.%s", t->name);
    const struct config_entry *a =
        config_find(cfg, section, "prospecting_share");
    const struct config_entry *b = config_find(cfg, section, "admin_share");
    if (!a)
        a = config_find(cfg, "sales", "prospecting_share");
    if (!b)
        b = config_find(cfg, "sales", "admin_share");
    const struct config_entry *en = !a ? b : !b ? a : a > b ? a : b;
    assert(en);
    return cfgk_entry_error(e, en,
                            "[team.%s] prospecting_share + admin_share = "
                            "%.10g + %.10g = %.10g is over 1",
                            t->name, s->prospecting_share, s->admin_share, sum);
}

/* initial_clients: every team gives its share, or none does; a team
 * with a share has reps to hold it; [clients] initial, if written, is
 * their sum, and becomes it. */
static int check_initial(const struct config *cfg, struct params *p,
                         struct err *e)
{
    char section[64];
    const struct config_entry *any = NULL;
    long sum = 0;
    for (size_t i = 0; i < p->n_teams; i++) {
        snprintf(section, sizeof section, "team.%s", p->teams[i].name);
        const struct config_entry *en =
            config_find(cfg, section, initial_key.key);
        if (en && !any)
            any = en;
        sum += p->teams[i].initial_clients;
    }
    if (!any) {
        for (size_t i = 0; i < p->n_teams; i++)
            p->teams[i].initial_clients = -1;
        return 0;
    }
    for (size_t i = 0; i < p->n_teams; i++) {
        const struct team *t = &p->teams[i];
        snprintf(section, sizeof section, "team.%s", t->name);
        const struct config_entry *en =
            config_find(cfg, section, initial_key.key);
        if (!en)
            return cfgk_entry_error(
                e, any,
                "[%s] initial_clients: [team.%s] gives none; with one team's "
                "share of the installed base, every team gives its own",
                any->section, t->name);
        if (t->initial_clients > 0 && t->sales.role.count == 0)
            return cfgk_entry_error(e, en,
                                    "[%s] initial_clients = %d needs reps "
                                    "to hold the clients, and the team's "
                                    "reps is 0",
                                    en->section, t->initial_clients);
    }
    const struct config_entry *ci = config_find(cfg, "clients", "initial");
    if (ci && p->clients.initial != sum)
        return cfgk_entry_error(e, ci,
                                "[clients] initial = %d, but the teams' "
                                "initial_clients add up to %ld: write %ld, "
                                "or leave [clients] initial out",
                                p->clients.initial, sum, sum);
    p->clients.initial = (int)sum;
    return 0;
}

int cfgk_resolve_teams(const struct config *cfg, struct params *p,
                       struct err *e)
{
    assert(cfgk_sales.n < 64 && cfgk_stage.n < 64);
    size_t n = 0;
    for (size_t i = 0; i < cfg->n_sections; i++) {
        const struct config_section *s = &cfg->sections[i];
        const char *name = cfgk_team_name(s->name);
        if (!name)
            continue;
        if (check_name(s, name, e))
            return -1;
        if (!s->header) {
            /* --set team.typo.reps=3 must not make a team of its own */
            const struct config_entry *en = NULL;
            for (size_t j = 0; j < cfg->n && !en; j++)
                if (!strcmp(cfg->entries[j].section, s->name))
                    en = &cfg->entries[j];
            const struct config_entry at = {.file = s->file, .line = s->line};
            return cfgk_entry_error(e, en ? en : &at,
                                    "[%s]: the file has no such team; "
                                    "--set changes a [team.NAME] of the "
                                    "file, it makes none",
                                    s->name);
        }
        if (++n > MAX_TEAMS) {
            const struct config_entry at = {.file = s->file, .line = s->line};
            return cfgk_entry_error(e, &at, "[%s]: at most %d teams", s->name,
                                    MAX_TEAMS);
        }
    }
    if (n == 0)
        return 0;
    p->teams = calloc(n, sizeof *p->teams);
    if (!p->teams)
        return err_oom(e);
    for (size_t i = 0; i < cfg->n_sections; i++) {
        const char *name = cfgk_team_name(cfg->sections[i].name);
        if (!name)
            continue;
        struct team *t = &p->teams[p->n_teams++];
        t->name = strdup(name);
        if (!t->name || team_copy(p, t))
            return err_oom(e);
    }
    for (size_t i = 0; i < cfg->n; i++) {
        const struct config_entry *en = &cfg->entries[i];
        const char *name = cfgk_team_name(en->section);
        if (name && apply_entry(p, &p->teams[cfgk_team_find(p, name)], en, e))
            return -1;
    }
    for (size_t i = 0; i < p->n_teams; i++)
        if (check_shares(cfg, &p->teams[i], e))
            return -1;
    return check_initial(cfg, p, e);
}

void cfgk_free_teams(struct params *p)
{
    for (size_t i = 0; i < p->n_teams; i++) {
        struct team *t = &p->teams[i];
        cfgk_free(&cfgk_sales, &t->sales);
        for (size_t j = 0; t->stages && j < p->n_stages; j++)
            cfgk_free(&cfgk_stage, &t->stages[j]);
        free(t->stages);
        free(t->stage_set);
        free(t->name);
    }
    free(p->teams);
    p->teams = NULL;
    p->n_teams = 0;
}

int cfgk_parse_team(const struct config_entry *en, const struct params *p,
                    int *team, struct err *e)
{
    if (!strcmp(en->value, "all")) {
        *team = TEAM_ALL;
        return 0;
    }
    if (p->n_teams == 0)
        return cfgk_entry_error(e, en,
                                "[%s] %s = %s: the file has no teams; a "
                                "[team.NAME] section makes one (or leave "
                                "the key out: all)",
                                en->section, en->key, en->value);
    int t = cfgk_team_find(p, en->value);
    if (t >= 0) {
        *team = t;
        return 0;
    }
    const char *cand[MAX_TEAMS];
    char list[MAX_TEAMS * 48];
    size_t k = 0;
    list[0] = '\0';
    for (size_t i = 0; i < p->n_teams; i++) {
        cand[i] = p->teams[i].name;
        k += (size_t)snprintf(list + k, sizeof list - k, "%s, ",
                              p->teams[i].name);
    }
    const char *hint = text_suggest(en->value, cand, p->n_teams);
    if (hint)
        return cfgk_entry_error(e, en,
                                "[%s] %s = %s: no team '%s'; did you mean "
                                "'%s'?",
                                en->section, en->key, en->value, en->value,
                                hint);
    return cfgk_entry_error(e, en,
                            "[%s] %s = %s: no team '%s' (the teams: %sall)",
                            en->section, en->key, en->value, en->value, list);
}

/* ---- uncertain inputs ------------------------------------------------- */

/* The key of table t at offset off, or t->n. */
static size_t key_at(const struct cfgk_table *t, size_t off)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->keys[i].off == off)
            return i;
    return t->n;
}

int cfgk_uncertain_teams(struct params *p, struct err *e)
{
    size_t sales0 = offsetof(struct params, sales);
    for (size_t i = 0; i < p->n_uncertain; i++) {
        struct uncertain_input *in = &p->uncertain[i];
        size_t n0 = in->n_places;
        for (size_t j = 0; j < n0; j++) {
            struct uncertain_place pl = in->places[j];
            if (pl.scenario >= 0 || pl.team >= 0)
                continue;
            size_t k;
            if (pl.stage >= 0) {
                k = key_at(&cfgk_stage, pl.off);
            } else if (pl.off >= sales0 &&
                       pl.off < sales0 + sizeof(struct sales_params)) {
                k = key_at(&cfgk_sales, pl.off - sales0);
                pl.off -= sales0;
            } else {
                continue;
            }
            if (k >= 64)
                continue;
            for (size_t t = 0; t < p->n_teams; t++) {
                const struct team *tm = &p->teams[t];
                uint64_t set =
                    pl.stage >= 0 ? tm->stage_set[pl.stage] : tm->sales_set;
                if (set >> k & 1)
                    continue;
                struct uncertain_place *a =
                    realloc(in->places, (in->n_places + 1) * sizeof *a);
                if (!a)
                    return err_oom(e);
                in->places = a;
                pl.team = (int)t;
                in->places[in->n_places++] = pl;
            }
        }
    }
    return 0;
}
