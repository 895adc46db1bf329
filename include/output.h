/*
 * output: the files of a finished run, and its summary table.
 *
 * weekly.csv, quarterly.csv, comparison.csv, scenarios.csv, summary.txt
 * and run.ini (see INTERFACE.md and docs/outputs.md) are all written to
 * temporaries first and renamed into place together, with SIGINT and
 * SIGTERM held back during the renames: a run replaces the previous
 * results as a whole or not at all.
 */
#ifndef SALESCAP_OUTPUT_H
#define SALESCAP_OUTPUT_H

#include <stdio.h>

#include "config.h"
#include "err.h"
#include "params.h"
#include "run.h"

/* The intervention window of sc in reported weeks: first week, and last
 * week inclusive (-1: to the end of the horizon). Returns 0, or -1 when
 * the scenario has no dated intervention. */
int output_window(const struct scenario *sc, int horizon_weeks, int *start,
                  int *end);

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
void output_kpi_value(char *buf, size_t size, enum kpi k, double v,
                      double hw);

/* The names of the files a run writes into its folder. */
#define OUTPUT_NFILES 6
extern const char *const output_files[OUTPUT_NFILES];

/* Writes all run files into dir (created if missing). summary is the text
 * of summary.txt. The files are written and synced as temporaries first,
 * then renamed together: an error, or *stop (set by a signal handler;
 * NULL: none) found set before the renames, leaves the previous files as
 * they were. Returns 0, or -1 with e set ("interrupted" for *stop). */
int output_write_run(const char *dir, const struct config *cfg,
                     const struct params *p, const struct run_result *r,
                     const char *summary, volatile int *stop, struct err *e);

/* Formats x for CSV: %.10g, with -0 written as 0. */
void output_num(char *buf, size_t size, double x);

/* Formats money with thousands separators: "$1,234,567", "-$5,000". */
void output_money(char *buf, size_t size, double x);

/* Writes s as an RFC 4180 field (quoted when it holds , " or newlines). */
void output_csv_field(FILE *out, const char *s);

#endif
