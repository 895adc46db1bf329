/*
 * output: the files of a finished run, and its summary table.
 *
 * weekly.csv, quarterly.csv, comparison.csv, scenarios.csv, summary.txt,
 * run.ini, pairs.csv, ranking.csv, replications.csv and
 * weekly_comparison.csv (see INTERFACE.md and docs/outputs.md), and
 * notes.md with [report] notes, are all written to temporaries first (the last
 * while the run commits) and renamed into place together, with SIGINT and
 * SIGTERM held back during the renames: a run replaces the previous
 * results as a whole or not at all.
 */
#ifndef SALESCAP_OUTPUT_H
#define SALESCAP_OUTPUT_H

#include <gsl/gsl_rng.h>
#include <stdio.h>

#include "afile.h"
#include "config.h"
#include "err.h"
#include "params.h"
#include "run.h"

/* The intervention window of sc in reported weeks: first week, and last
 * week inclusive (-1: to the end of the horizon). Returns 0, or -1 when
 * the scenario has no dated intervention. */
int output_window(const struct scenario *sc, int horizon_weeks, int *start,
                  int *end);

/* How the run of p names its weeks and quarters: by number, or from
 * [simulation] start_date by dates and calendar quarters (calendar.h). */
struct cal;
void output_calendar(const struct params *p, struct cal *c);

/* Writes the summary table of every scenario, with its headline, to out. */
int output_summary(FILE *out, const struct params *p,
                   const struct run_result *r);

/* Writes the baseline's KPI table (kpi.h): each KPI's mean over
 * replications with its 95 % interval (kpi: KPI_COUNT accumulators), the
 * target of p's [targets] and whether the mean is within its tolerance;
 * then a line counting the targets met. title heads the table. Returns
 * the number of targets missed (a KPI with no replication defining it
 * misses its target). */
int output_kpi_table(FILE *out, const struct params *p, const struct acc *kpi,
                     const char *title);

/* One KPI value (with its half-width hw when hw >= 0) in the KPI's unit:
 * "19.2 %", "$30,123 ± $1,234", "58.9 days". */
void output_kpi_value(char *buf, size_t size, enum kpi k, double v, double hw);

/* The names of the files a run writes into its folder. */
#define OUTPUT_NFILES 10
extern const char *const output_files[OUTPUT_NFILES];

/* Also written, when the file has [report] notes: their text, which
 * run.ini's [report] notes names. A run without notes leaves a notes.md
 * it finds alone (it may be the user's); its run.ini names none. */
#define OUTPUT_NOTES "notes.md"

/* replications.csv, streamed while the run commits (one row per
 * scenario, replication and flow metric: its total over the horizon),
 * into a temporary that output_write_run renames with the other files.
 * With uncertain inputs, each row also has the replication's draw of
 * each, in a column uncertain.NAME per input. */
struct output_reps {
    struct afile af;
    const struct params *p; /* borrowed */
    int quarters;
    char *dir, *made; /* the folder, and the outermost part of its
                       * path that opening created (or NULL) */
    gsl_rng *ur;      /* with uncertain inputs: for their draws */
    double *draws;
};

/* Creates dir if missing and opens replications.csv's temporary in it,
 * with its header. Returns 0, or -1 with e set; either way the caller
 * ends with output_reps_close. */
int output_reps_open(struct output_reps *o, const char *dir,
                     const struct params *p, struct err *e);

/* Ends o: removes the temporary unless output_write_run took it over,
 * and with failed set, the folders output_reps_open created, if still
 * empty (a failed run into a new folder leaves nothing behind). Safe on
 * a zeroed struct. */
void output_reps_close(struct output_reps *o, int failed);

/* The run's commit hook (run_opts.on_commit, ctx an output_reps): writes
 * replication rep's rows. Write errors show when the file is finished. */
void output_reps_commit(void *ctx, long rep, const double *v,
                        const unsigned char *ok, const double *pv,
                        const unsigned char *pok);

/* Writes all run files into dir (created if missing). summary is the text
 * of summary.txt; reps is replications.csv as the run streamed it, taken
 * over (renamed with the set, or removed on failure; *reps is zeroed).
 * The files are written and synced as temporaries first, then renamed
 * together: an error, or *stop (set by a signal handler; NULL: none)
 * found set before the renames, leaves the previous files as they were.
 * Returns 0, or -1 with e set ("interrupted" for *stop). */
int output_write_run(const char *dir, const struct config *cfg,
                     const struct params *p, const struct run_result *r,
                     const char *summary, struct output_reps *reps,
                     volatile int *stop, struct err *e);

/* pairs.csv: every pair of scenarios, a - b, by quarter and in total for
 * every comparison metric, then the decision metric over its quarters
 * (quarter "A-B"). */
void output_write_pairs(FILE *f, const struct params *p,
                        const struct run_result *r);

/* ranking.csv: the options in rank order (decision.h); only the header
 * when the run made no decision. Returns 0, or -1 out of memory. */
int output_write_ranking(FILE *f, const struct params *p,
                         const struct run_result *r);

/* The ranking table and its sentence that end the summary (nothing when
 * the run made no decision or has no scenario). Returns 0, or -1 out of
 * memory. */
int output_summary_decision(FILE *out, const struct params *p,
                            const struct run_result *r);

/* The ID of scenario s of p in the CSVs ("baseline" for 0), and the name
 * of comparison metric m (comparison.csv, pairs.csv). */
const char *output_scenario_id(const struct params *p, int s);
const char *output_cmp_name(int m);

/* "TITLE: pulling all 8 reps into ops for 2 weeks from week 13" of a
 * single pull, or the scenario's title, as the headlines name it. */
void output_describe(char *buf, size_t size, const struct params *p,
                     const struct scenario *sc);

/* A share as the summary writes it: "97 %", "100 %" only when it is 1,
 * "99.6 %" near it, "0.4 %" near 0. */
void output_share(char *buf, size_t size, double p);

/* ---- quotas and plan (output_plan.c; plan.h) ------------------------
 * Each writes nothing when the run reports no plan metric (r->plan_q is
 * NULL), so a file without quotas or plan writes what it wrote before. */

/* quarterly.csv's rows of scenario s in quarter q (0-based): one per
 * metric reported; plan_met's interval is the 95 % Wilson interval of a
 * share, the others' Student's. */
void output_plan_quarterly(FILE *f, const struct params *p,
                           const struct run_result *r, int s, int q,
                           const char *team);

/* comparison.csv's rows of scenario s (>= 1) in quarter q: the paired
 * difference from the baseline of each metric reported (no total row:
 * a plan is per quarter). */
void output_plan_comparison(FILE *f, const struct params *p,
                            const struct run_result *r, int s, int q,
                            const char *team);

/* replications.csv's rows of scenario s in one replication: each metric
 * reported, per quarter, named METRIC_qN (quota_attainment_q3). pv, pok
 * as run_opts.on_commit gives them; draws as output_reps_draws. */
void output_plan_reps(FILE *f, const struct params *p, int quarters, int s,
                      long rep, const double *pv, const unsigned char *pok,
                      const double *draws);

/* Ends a replications.csv row: ",DRAW" for each of p's uncertain inputs
 * (the replication's draws, n_uncertain of them; nothing when draws is
 * NULL), then the newline. */
void output_reps_draws(FILE *f, const struct params *p, const double *draws);

/* The summary's table of the plan metrics by quarter, every option
 * (nothing without them). */
void output_plan_table(FILE *out, const struct params *p,
                       const struct run_result *r);

/* Scenario s's "Headline:" line about the plan: the quarter whose chance
 * of making plan (without a plan: whose mean quota attainment) it
 * changes most, from what to what, with the paired interval. */
void output_plan_headline(FILE *out, const struct params *p,
                          const struct run_result *r, int s);
/* Writes ",MEAN,CI_LOW,CI_HIGH" of a's summary (empty interval fields
 * with fewer than two observations). */
void output_acc(FILE *f, const struct acc *a);

/* Formats x for CSV: %.10g, with -0 written as 0. */
void output_num(char *buf, size_t size, double x);

/* Formats money with thousands separators: "$1,234,567", "-$5,000". */
void output_money(char *buf, size_t size, double x);

/* Writes s as an RFC 4180 field (quoted when it holds , " or newlines). */
void output_csv_field(FILE *out, const char *s);

#endif
