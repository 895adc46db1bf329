/*
 * config_override: changes to a loaded configuration from outside its
 * files (--set SECTION.KEY=VALUE, a key a sweep varies): config_set,
 * and config_check_override, which tells a change from a mistake.
 *
 * Invariant: an override that config_check_override accepts names no
 * stage or scenario that is a near miss of one the files define (or of
 * a built-in stage), and no intervention that a scenario of the files
 * lacks; what config_set sets goes through config_put, so it can be
 * written to run.ini and read back.
 */
#include "config.h"
#include "config_int.h"

#include <stdlib.h>
#include <string.h>

/* Copies [s, s + n) without surrounding blanks into a new string. */
static char *strip_dup(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *out = malloc(n + 1);
    if (out) {
        memcpy(out, s, n);
        out[n] = '\0';
    }
    return out;
}

/* Where the section of "SECTION.KEY" ends: after the second component for
 * stage.NAME, team.NAME and scenario.ID, else after the first. NULL: no
 * key. team.NAME.stage.STAGE.KEY's section is team.NAME. */
static const char *section_end(const char *lhs, size_t n)
{
    const char *dot = memchr(lhs, '.', n);
    if (!dot)
        return NULL;
    size_t head = (size_t)(dot - lhs);
    int two = (head == 5 && !strncmp(lhs, "stage", 5)) ||
              (head == 4 && !strncmp(lhs, "team", 4)) ||
              (head == 8 && !strncmp(lhs, "scenario", 8));
    if (two)
        dot = memchr(dot + 1, '.', n - head - 1);
    return dot;
}

/* Names (after the prefix) of the sections of cfg's files (not those an
 * override made) that start with prefix, into names[0, max); returns how
 * many there are. */
static size_t section_names(const struct config *cfg, const char *prefix,
                            const char **names, size_t max)
{
    size_t n = 0, pl = strlen(prefix);
    for (size_t i = 0; i < cfg->n_sections && n < max; i++)
        if (cfg->sections[i].header &&
            !strncmp(cfg->sections[i].name, prefix, pl))
            names[n++] = cfg->sections[i].name + pl;
    return n;
}

/* Whether a and b differ only in their digits (q1 and q2, pull and
 * pull2): numbered variants, named so on purpose. */
static int numbered_variants(const char *a, const char *b)
{
    for (;;) {
        while (*a >= '0' && *a <= '9')
            a++;
        while (*b >= '0' && *b <= '9')
            b++;
        if (*a != *b)
            return 0;
        if (!*a)
            return 1;
        a++;
        b++;
    }
}

/* Joins the intervention names of [section] (the NAME of its NAME.key
 * entries, each once, in order of appearance) into list; returns whether
 * name[0, len) is one of them. */
static int iv_names(const struct config *cfg, const char *section,
                    const char *name, size_t len, char *list, size_t size)
{
    const char *seen[64];
    size_t n = 0, k = 0;
    int found = 0;
    list[0] = '\0';
    for (size_t i = 0; i < cfg->n; i++) {
        const struct config_entry *en = &cfg->entries[i];
        const char *d = strchr(en->key, '.');
        if (strcmp(en->section, section) || !d)
            continue;
        size_t l = (size_t)(d - en->key);
        found |= l == len && !strncmp(en->key, name, len);
        size_t j = 0;
        while (j < n && !(strlen(seen[j]) > l && seen[j][l] == '.' &&
                          !strncmp(seen[j], en->key, l)))
            j++;
        if (j < n || n == 64)
            continue;
        seen[n++] = en->key;
        if (k < size)
            k += (size_t)snprintf(list + k, size - k, "%s%.*s", k ? ", " : "",
                                  (int)l, en->key);
    }
    return found;
}

int config_check_override(const struct config *cfg, const char *section,
                          const char *key, struct err *e)
{
    const char *names[64];
    char list[512];
    const struct config_section *s = cfgk_section_find(cfg, section);
    int stage = !strncmp(section, "stage.", 6);
    if (!s && !strncmp(section, "team.", 5)) {
        /* A team is made by its section in a file, never by --set. */
        size_t n = section_names(cfg, "team.", names, 64), k = 0;
        const char *hint = text_suggest(section + 5, names, n);
        list[0] = '\0';
        for (size_t i = 0; i < n && k < sizeof list; i++)
            k += (size_t)snprintf(list + k, sizeof list - k, "%s%s",
                                  i ? ", " : "", names[i]);
        if (hint)
            return err_set(e, ERR_CONFIG,
                           "no team '%s'; did you mean '%s'? (--set "
                           "changes a [team.NAME] of the file, it makes "
                           "none)",
                           section + 5, hint);
        return err_set(e, ERR_CONFIG,
                       "no team '%s' (%s%s); --set changes a [team.NAME] of "
                       "the file, it makes none",
                       section + 5, n ? "the teams: " : "the file has none",
                       list);
    }
    if (!s && (stage || !strncmp(section, "scenario.", 9))) {
        const char *name = section + (stage ? 6 : 9);
        size_t n =
            section_names(cfg, stage ? "stage." : "scenario.", names, 64);
        if (stage && n == 0)
            for (; n < cfgk_n_builtin_stages; n++)
                names[n] = cfgk_builtin_stages[n].name;
        const char *hint = text_suggest(name, names, n);
        if (hint && strcmp(hint, name) != 0 && !numbered_variants(hint, name))
            return err_set(e, ERR_CONFIG,
                           "no %s '%s'; did you mean '%s'? (a new %s needs "
                           "a name not this close to an existing one)",
                           stage ? "stage" : "scenario", name, hint,
                           stage ? "stage" : "scenario");
        return 0;
    }
    /* An intervention of a scenario the files define: one they name. */
    if (!s || !s->header || strncmp(section, "scenario.", 9) ||
        !strcmp(key, "title"))
        return 0;
    const char *dot = strchr(key, '.');
    if (!dot)
        return 0; /* not NAME.key: resolving says what is wrong */
    if (iv_names(cfg, section, key, (size_t)(dot - key), list, sizeof list))
        return 0;
    return err_set(e, ERR_CONFIG,
                   "[%s] has no intervention '%.*s' (it has: %s); an "
                   "override changes the interventions a scenario file "
                   "defines, it does not add one",
                   section, (int)(dot - key), key, *list ? list : "none");
}

int config_set(struct config *cfg, const char *assignment, struct err *e)
{
    const char *eq = strchr(assignment, '=');
    if (!eq)
        return err_set(e, ERR_CONFIG,
                       "--set '%s': expected SECTION.KEY=VALUE (no '=')",
                       assignment);
    size_t n = (size_t)(eq - assignment);
    const char *dot = section_end(assignment, n);
    if (!dot && !strncmp(assignment, "stage.", 6))
        return err_set(e, ERR_CONFIG,
                       "--set '%s': expected stage.NAME.KEY=VALUE "
                       "(stage.qualify.advance=0.5)",
                       assignment);
    if (!dot && !strncmp(assignment, "team.", 5))
        return err_set(e, ERR_CONFIG,
                       "--set '%s': expected team.NAME.KEY=VALUE "
                       "(team.enterprise.reps=4)",
                       assignment);
    if (!dot && !strncmp(assignment, "scenario.", 9))
        return err_set(e, ERR_CONFIG,
                       "--set '%s': expected scenario.ID.KEY=VALUE "
                       "(scenario.pull.pull.weeks=3)",
                       assignment);
    if (!dot)
        return err_set(e, ERR_CONFIG,
                       "--set '%s': expected SECTION.KEY=VALUE (no '.' between "
                       "section and key)",
                       assignment);
    char *section = strip_dup(assignment, (size_t)(dot - assignment));
    char *key = strip_dup(dot + 1, (size_t)(eq - dot - 1));
    char *value = strip_dup(eq + 1, strlen(eq + 1));
    struct err why = {0};
    int rc;
    if (!section || !key || !value) {
        rc = err_oom(e);
    } else if (config_check_override(cfg, section, key, &why) != 0) {
        rc = err_set(e, ERR_CONFIG, "--set '%s': %s", assignment, why.msg);
    } else {
        rc = config_put(cfg, section, key, value, "--set", 0, e);
    }
    free(section);
    free(key);
    free(value);
    return rc;
}
