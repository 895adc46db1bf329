/*
 * report: one self-contained HTML page about a finished run.
 *
 * report.html, written into the run folder, holds from the top: the
 * [report] title, author and the date (SOURCE_DATE_EPOCH when set); the
 * [report] notes, escaped, in a small Markdown subset; the decision (when
 * the run ranked its options: the "Best:" sentence of summary.txt, the
 * ranking from ranking.csv and pairs.csv, the impact and ranking charts);
 * the headline sentences (the "Headline:" lines of summary.txt, or
 * sentences built from comparison.csv when there are none); the single
 * charts of plot.h inlined as SVG; a table per scenario of revenue and
 * revenue gained (+) or lost (-) by quarter (comparison.csv's lost
 * revenue with its sign turned, as lost_revenue draws it); and an
 * appendix: the run's replications, seed and weeks, how its 95 %
 * intervals are computed, the assumptions that matter for the reader,
 * every parameter that differs from the defaults (config_changes) and,
 * folded away, run.ini. Its style sheet has print rules (A4 or Letter, nothing
 * split or cut). It references nothing outside itself (no scripts, styles,
 * fonts or images to fetch), so it opens in any browser without a
 * network and can be mailed as one file.
 *
 * The words come from run.ini's [report] (its notes from the copy the run
 * keeps, notes.md); the changed parameters from run.ini resolved as a
 * whole, or, when it no longer resolves, a sentence saying why.
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
 * without chart = no): the others are in no table, chart, headline or
 * part of the appendix (which says how many were left out) but run.ini's
 * folded text. */
struct rd_select;
int report_write_sel(const char *run_dir, const char *plots_dir,
                     const struct rd_select *sel, struct err *e);

#endif
