/*
 * config_int: the key table (config_table.c), the parsing of values by
 * it (config_value.c) and the files that resolve and write parameters
 * (config_resolve.c and the rest of the config module). Internal to it.
 *
 * Invariant: every key a scenario file may hold has exactly one row here,
 * with its default written as it would appear in a file; defaults go
 * through the same parser as user values, so a default can never be out
 * of its own range (cfgk_defaults in config_value.c asserts it).
 */
#ifndef SALESCAP_CONFIG_INT_H
#define SALESCAP_CONFIG_INT_H

#include <math.h>
#include <stddef.h>

#include "err.h"
#include "params.h"
#include "text.h"

enum cfgk_type {
    CFGK_INT,    /* int; whole numbers only */
    CFGK_DOUBLE, /* double; finite */
    CFGK_SEED,   /* uint64_t; 0 .. 2^64-1 */
    CFGK_DIST,   /* struct dist */
    CFGK_ENUM,   /* an enum stored as int; names[] in enum order */
    CFGK_STRING, /* char *, owned by the struct */
    CFGK_REPS,   /* struct pull_spec's select + reps: 3, 50%, all */
    CFGK_FEE,    /* struct fee: money (min..max) or a percent: 20% */
    CFGK_TARGET, /* struct target: "0.22", "0.22 +- 0.02", "48000 +- 10%",
                  * "none" */
    CFGK_DATE,   /* int, days since 1970-01-01 (calendar.h): "2027-07-01",
                  * or "none" (CAL_NO_DATE) */
    CFGK_TEAM,   /* int, a [team.NAME] index or TEAM_ALL: "all", or a
                  * team's name (config_team.c resolves names; alone,
                  * cfgk_parse takes only "all") */
};

#define CFGK_MIN_OPEN 1u /* min is exclusive */
#define CFGK_NONNEG   2u /* distribution of a non-negative quantity */
#define CFGK_WEEK     4u /* a week of the horizon: [0, horizon_weeks) */
#define CFGK_DEFAULT  8u /* the word "default" stores -1 (a role default) */
#define CFGK_AMOUNTS                                                           \
    16u /* CFGK_STRING: none, or amounts in $ separated                        \
         * by commas, read when resolving ([plan]) */
#define CFGK_MONTHS                                                            \
    32u /* CFGK_STRING: none, or twelve numbers >= 0                           \
         * ([calendar]) */
#define CFGK_HOLIDAYS                                                          \
    64u /* CFGK_STRING: none, or weeks of the year and                         \
         * dates ([calendar]) */

/* No bound (min, max of a key), and the length of a static array. */
#define NOMAX     HUGE_VAL
#define NOMIN     (-HUGE_VAL)
#define N_KEYS(a) (sizeof a / sizeof a[0])

/* One key: where it lives (off, from the start of its section's struct),
 * how it is parsed, and what it means. */
struct cfgk {
    const char *key;
    enum cfgk_type type;
    const char *def; /* default, as written in a file */
    double min, max; /* inclusive unless CFGK_MIN_OPEN */
    unsigned flags;
    size_t off;
    const char *const *names; /* CFGK_ENUM: NULL-terminated */
    const char *doc;          /* one line, with the unit */
};

/* A fixed section ([sales]), a template ([stage.NAME]) or an
 * intervention type's keys. */
struct cfgk_table {
    const char *name;
    const struct cfgk *keys;
    size_t n;
};

/* The fixed sections in canonical order (simulation, sales, operations,
 * support, clients, market, calendar, start, costs, targets, decision,
 * plan, report), then the templates. */
extern const struct cfgk_table cfgk_simulation, cfgk_sales, cfgk_operations,
    cfgk_support, cfgk_clients, cfgk_market, cfgk_calendar, cfgk_start,
    cfgk_costs, cfgk_targets, cfgk_decision, cfgk_plan, cfgk_report, cfgk_stage,
    cfgk_scenario;

/* [start] open.STAGE: its offset is in struct stage_params; its key, as
 * written, is "open." and a stage's name. */
extern const struct cfgk cfgk_start_open;

/* The keys of intervention type t. */
const struct cfgk_table *cfgk_iv(enum iv_type t);

/* Where a fixed section's struct lives inside p. */
void *cfgk_section_base(const struct cfgk_table *t, struct params *p);

/* Parses value into base + k->off. On error returns -1 and sets e to the
 * tail of a message that follows "[SECTION] KEY": either ": expected ...,
 * got '...'" or " = V must be in [lo, hi]". */
int cfgk_parse(const struct cfgk *k, const char *value, void *base,
               struct err *e);

/* cfgk_parse of a value written in file: a distribution's
 * empirical_file(PATH) is relative to file's folder (NULL: the current
 * folder). */
int cfgk_parse_in(const struct cfgk *k, const char *value, void *base,
                  const char *file, struct err *e);

/* Frees what the values of table t at base own (empirical_file data). */
void cfgk_free(const struct cfgk_table *t, void *base);

/* Fills base with the defaults of table t. They are in range; a text
 * default (CFGK_STRING) is copied, and left NULL when memory runs out:
 * whoever resolves the table checks. */
void cfgk_defaults(const struct cfgk_table *t, void *base);

struct config_entry;

/* cfgk_parse() of en's value into base; an error reads
 * "FILE:LINE: [SECTION] KEY<tail>". */
int cfgk_parse_entry(struct err *e, const struct cfgk *k,
                     const struct config_entry *en, void *base);

/* Sets e to "FILE:LINE: message" at entry en (ERR_CONFIG). Returns -1. */
int cfgk_entry_error(struct err *e, const struct config_entry *en,
                     const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "unknown key 'K' in [S]; did you mean 'PREFIX.KEY'?" at en, the
 * suggestion taken from t's keys, each prefixed with prefix. Returns -1. */
int cfgk_unknown_key(struct err *e, const struct config_entry *en,
                     const struct cfgk_table *t, const char *prefix);

/* Writes the value at base + k->off as it would appear in a file. */
void cfgk_format(const struct cfgk *k, const void *base, char *buf,
                 size_t size);

/* Writes the range of k ("[0, 1]", ">= 0", "(0, 168]") into buf; "" when
 * it has none. */
void cfgk_range(const struct cfgk *k, char *buf, size_t size);

/* Fills p->scenarios[i].iv and titles from the entries of each
 * [scenario.ID] (config_scenario.c); the scenarios exist already, and
 * p's model sections are resolved (the horizon bounds week keys). */
struct config;
int cfgk_resolve_scenarios(const struct config *cfg, struct params *p,
                           struct err *e);

/* The section named name in cfg (as first met), or NULL (config.c). */
struct config_section;
const struct config_section *cfgk_section_find(const struct config *cfg,
                                               const char *name);

/* Checks [decision] metric and quarters and fills p->decision's resolved
 * fields (config_decision.c); the horizon is resolved. */
int cfgk_resolve_decision(const struct config *cfg, struct params *p,
                          struct err *e);
/* Reads [plan]'s lists into p->plan's resolved fields
 * (config_plan.c); the horizon is resolved. Returns 0, or -1 with e set:
 * both keys set, a value that is no amount, more values than quarters. */
int cfgk_resolve_plan(const struct config *cfg, struct params *p,
                      struct err *e);
/* Copies item [a, b) of a list into buf (size > 0) without its
 * surrounding blanks, cut to fit (config_plan.c). */
void cfgk_trimmed(const char *a, const char *b, char *buf, size_t size);
/* Reads [calendar]'s lists into p->calendar's week rows
 * (config_calendar.c); the simulation section is resolved. Returns 0, or
 * -1 with e set (FILE:LINE): a list that is not twelve numbers >= 0, a
 * holiday that is no week of the year or date, a calendar that is not
 * flat without [simulation] start_date. */
int cfgk_resolve_calendar(const struct config *cfg, struct params *p,
                          struct err *e);
/* Reads the file of [report] notes into p->report.notes_text
 * (config_report.c); the entries of [report] are parsed. Returns 0, or
 * -1 with e set: "FILE:LINE: [report] notes: ..." (ERR_CONFIG) for a
 * notes file that is missing, not a file, too long or not UTF-8 text. */
int cfgk_resolve_report(const struct config *cfg, struct report_params *r,
                        struct err *e);

/* The 1-based column of the first byte of s (n bytes) that is not valid
 * UTF-8, or 0 (config.c). */
size_t cfgk_utf8_bad_column(const char *s, size_t n);

/* Refuses [targets] that no model can meet together: each identity they
 * break (config_targets.c) is reported at the line of one of them, naming
 * the others. Returns 0, or -1 with e set (ERR_CONFIG). */
int cfgk_check_targets(const struct config *cfg, const struct params *p,
                       struct err *e);

/* ---- teams (config_team.c) ---- */

/* NAME of a section [team.NAME], or NULL for another section. */
const char *cfgk_team_name(const char *section);
/* The index of the team named name, or -1. */
int cfgk_team_find(const struct params *p, const char *name);
/* Fills p->teams from the [team.NAME] sections, once [sales] and the
 * stages are resolved. Returns 0, or -1 with e set (FILE:LINE). */
int cfgk_resolve_teams(const struct config *cfg, struct params *p,
                       struct err *e);
void cfgk_free_teams(struct params *p);
/* An intervention's team = VALUE (en) into *team: TEAM_ALL or a team's
 * index. Returns 0, or -1 with e set: no such team (with a suggestion),
 * or a name in a file without teams. */
int cfgk_parse_team(const struct config_entry *en, const struct params *p,
                    int *team, struct err *e);
/* Adds to each uncertain input of [sales] or a stage a place in every
 * team that does not set the key. 0, or -1 (out of memory). */
int cfgk_uncertain_teams(struct params *p, struct err *e);

/* ---- uncertain inputs (config_uncertain.c) ---- */

/* Whether value is written uncertain(...) (not checked further). */
int cfgk_is_uncertain(const char *value);

/* Parses value when it is written uncertain(DIST): a double key gets the
 * median of DIST, once every value DIST can draw is known to lie in k's
 * range (file: as for cfgk_parse_in). Returns 1 when value is not
 * written so (the caller parses it as usual), 0 when parsed, or -1 with
 * e set to a tail as cfgk_parse's (any key that is not a double is
 * refused, saying what it takes). */
int cfgk_parse_uncertain(const struct cfgk *k, const char *value, void *base,
                         const char *file, struct err *e);

/* Whether a key of section may be uncertain: not those of [simulation],
 * [targets] or [decision], which say how to run and judge. */
int cfgk_uncertain_section(const char *section);

/* Fills p->uncertain from the winning entries of cfg written
 * uncertain(DIST) (p resolved from cfg otherwise), then resolves copies
 * of cfg with every input at the top and at the bottom of its support,
 * so the rules that span keys hold for every draw. Returns 0, or -1 with
 * e set ("FILE:LINE: ..."; ERR_CONFIG, or ERR_RUNTIME out of memory). */
int cfgk_resolve_uncertain(const struct config *cfg, struct params *p,
                           struct err *e);

/* The input that sets the double at field (an address inside p), or
 * NULL. */
const struct uncertain_input *cfgk_uncertain_at(const struct params *p,
                                                const void *field);

/* Frees p's inputs and empties the list; safe when it has none. */
void cfgk_free_uncertain(struct params *p);

/* Built-in pipeline used when the files define no [stage.NAME]. */
struct cfgk_builtin_stage {
    const char *name, *work_hours, *buyer_days, *advance, *patience_days;
};
extern const struct cfgk_builtin_stage cfgk_builtin_stages[];
extern const size_t cfgk_n_builtin_stages;

#endif
