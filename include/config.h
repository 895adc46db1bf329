/*
 * config: scenario files, read with inih.
 *
 * Loading has two layers. config_load() reads a file (and its includes)
 * into a list of raw entries, each remembering where it came from;
 * config_set() adds --set overrides. config_resolve() then turns the
 * entries into typed, validated params (params.h), filling defaults.
 * Keeping the raw layer lets `check` print every value's source, lets
 * `run` write run.ini, and lets sweeps vary any key by overriding it.
 *
 * Files are read through ini_parse_stream() with our own line reader,
 * which counts lines exactly and rejects what Debian's inih r55 would
 * silently mangle (indented lines, over-long lines): see docs/config.md.
 */
#ifndef SALESCAP_CONFIG_H
#define SALESCAP_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#include "err.h"
#include "params.h"

/* One key = value as read, with its origin. */
struct config_entry {
    char *section; /* "" for keys before any section */
    char *key;
    char *value;
    char *file; /* the file it was read from, or "--set" */
    int line;   /* 1-based; 0 for --set */
};

/* A section as first met: in a file's header line, or by config_put(). */
struct config_section {
    char *name; /* "sales", "stage.qualify", "scenario.pull" */
    char *file;
    int line;
    int header; /* 1: a [header] line of a file; 0: config_put/set */
};

/* Invariant: every entry's section is in sections[], which lists each
 * name once, in order of first appearance: that order is the order of
 * stages and scenarios. Among entries with the same section and key, the
 * last one wins; earlier ones are still validated. */
struct config {
    struct config_entry *entries;
    size_t n, cap;
    char *path; /* the top-level file */
    struct config_section *sections;
    size_t n_sections, cap_sections;
};

/* Reads path and its includes into cfg (zeroed or previously destroyed).
 * Returns 0, or -1 with e set to "FILE:LINE: message" (ERR_CONFIG; a read
 * error or no memory: ERR_RUNTIME) and cfg destroyed. */
int config_load(struct config *cfg, const char *path, struct err *e);

/* Applies "SECTION.KEY=VALUE" with source "--set". Sections "stage.NAME"
 * and "scenario.ID" take two components, so "scenario.pull.pull.weeks=4"
 * sets key "pull.weeks" of [scenario.pull]; otherwise the section is the
 * first component ("sales.reps=10"). Later sets win. Returns 0, or -1
 * with e set (ERR_CONFIG: no '=', no dot; ERR_RUNTIME: no memory). */
int config_set(struct config *cfg, const char *assignment, struct err *e);

/* Sets one key directly (used by sweeps): replaces the winning entry of
 * section/key (value, file and line), else appends one. Strings are
 * copied. Rejects a value that could not be written back to an INI file
 * (a control character, or " ;" which would start a comment). */
int config_put(struct config *cfg, const char *section, const char *key,
               const char *value, const char *file, int line, struct err *e);

/* Deep copy (for sweeps: one copy per grid point). */
int config_copy(struct config *dst, const struct config *src, struct err *e);

/* Validates and fills p (zeroed). Returns 0, or -1 with e set. */
int config_resolve(const struct config *cfg, struct params *p, struct err *e);

/* Resolves [report] of cfg alone into r (zeroed): its keys, and the
 * notes file's text. The report reads a finished run's run.ini this way,
 * so that its words do not depend on the rest still resolving (a data
 * file that has moved). Returns 0, or -1 with e set as config_resolve
 * sets it (r then holds nothing). */
int config_resolve_report(const struct config *cfg, struct report_params *r,
                          struct err *e);

/* Frees what r holds and zeroes it; safe on a zeroed struct. */
void config_destroy_report(struct report_params *r);

/* Writes every resolved parameter as an INI file that reproduces the run
 * (run.ini). With sources != 0, each line ends with "; <source>" where the
 * source is "default", "FILE:LINE" or "--set". Returns 0 or -1 on I/O error. */
int config_write(FILE *out, const struct config *cfg, const struct params *p,
                 int sources);

/* One parameter of a run that differs from salescap's default. */
struct config_change {
    const char *section; /* "sales", "stage.qualify", "scenario.pull";
                          * "stage.NAME" for the list of stages */
    const char *key;     /* "reps", "open.proposal", "pull.weeks" */
    const char *value;   /* as run.ini writes it */
    const char *def;     /* the default, written the same way; "" when
                          * there is none (an intervention's type) */
    const char *doc;     /* what the key means, one line */
};

/* Calls fn(ctx, ...) for every parameter of p that differs from what an
 * empty file resolves to, in run.ini's order: the model's keys, the list
 * of stages when it is not the built-in one, each stage against the
 * built-in stage of its name (else the stage defaults), [start]'s open
 * deals, [targets], [decision], then each scenario's interventions (a
 * row for each one's type, then its keys that differ from the type's
 * defaults). [report] and scenario titles are words, not parameters, and
 * are left out. The strings live for the call only. Returns 0, or -1
 * with e set (out of memory). */
int config_changes(const struct params *p,
                   void (*fn)(void *ctx, const struct config_change *c),
                   void *ctx, struct err *e);

/* Writes the reference of every key (section, key, default, range, doc)
 * as a Markdown table, for `salescap check --keys` and docs/config.md.
 * Returns 0 or -1 on I/O error. */
int config_write_reference(FILE *out);

/* Whether an override (a --set, or a key of a sweep's [vary]) of
 * section/key changes something cfg has rather than adding by mistake:
 * a stage or scenario whose name is a near miss of one cfg has (or of a
 * built-in stage), or an intervention that a scenario of the files does
 * not have. Returns 0, or -1 with e's message (without a location: the
 * caller says where). */
int config_check_override(const struct config *cfg, const char *section,
                          const char *key, struct err *e);

/* A key calibrate may fit: a number of the model (not a count, a name, a
 * distribution, nor a key of [simulation], [targets] or a scenario).
 * Fills its value in p and its range ([min, max]; min excluded when
 * *min_open). Returns 0, or -1 with e's message (without a location)
 * saying why the key cannot be fitted (ERR_CONFIG). */
int config_number_key(const struct params *p, const char *section,
                      const char *key, double *value, double *min, double *max,
                      int *min_open, struct err *e);

/* Writes one section of p as run.ini would ("[section]" and every key);
 * stage.NAME for a stage. Returns 0, or -1 (no such section, or an I/O
 * error). */
int config_write_section(FILE *out, const struct params *p,
                         const char *section);

/* The winning entry of section/key, or NULL. */
const struct config_entry *config_find(const struct config *cfg,
                                       const char *section, const char *key);

/* The file cfg was read from (the top file or an include with keys in
 * it) that path names, by device and inode (afile_same); NULL when path
 * is none of them. Outputs check it so as not to replace their input. */
const char *config_file_at(const struct config *cfg, const char *path);

/* Frees cfg and zeroes it; safe on a zeroed struct. */
void config_destroy(struct config *cfg);

#endif
