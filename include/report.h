/*
 * report: one self-contained HTML page about a finished run.
 *
 * report.html, written into the run folder, holds at its top the
 * decision (when the run ranked its options: the "Best:" sentence of
 * summary.txt, the ranking from ranking.csv and pairs.csv, the impact and
 * ranking charts), then the headline sentences
 * (the "Headline:" lines of summary.txt, or sentences built from
 * comparison.csv when there are none), a table per scenario of revenue
 * and lost revenue by quarter (from comparison.csv), the single charts of
 * plot.h inlined as SVG, and run.ini. It references nothing outside
 * itself (no scripts, styles, fonts or images to fetch), so it opens in
 * any browser without a network and can be mailed as one file.
 */
#ifndef SALESCAP_REPORT_H
#define SALESCAP_REPORT_H

#include "err.h"

/* Writes run_dir/report.html atomically. Charts come from plots_dir's
 * SVG files when all it draws exist there and are no older than the run's
 * CSVs (a run drawn with --format svg); otherwise (or when plots_dir is
 * NULL) they are drawn as SVG into a temporary folder, removed after. So
 * the report needs gnuplot, and fails as plot_run_dir() does without it.
 * Returns 0, or -1 with e set. */
int report_write(const char *run_dir, const char *plots_dir, struct err *e);

/* report_write() of the scenarios sel shows (rundata.h; NULL: those
 * without chart = no): the others are in no table, chart or headline. */
struct rd_select;
int report_write_sel(const char *run_dir, const char *plots_dir,
                     const struct rd_select *sel, struct err *e);

#endif
