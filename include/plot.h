/*
 * plot: the charts of a run, drawn by gnuplot through a pipe.
 *
 * Each chart is one gnuplot script with its data inline (datablocks), an
 * explicit terminal and output. The script is saved beside the chart as
 * NAME.gp with `set output "NAME.EXT"`, so `cd PLOTS && gnuplot NAME.gp`
 * redraws it after hand restyling. gnuplot runs as `timeout 60 gnuplot -d`
 * (without the timeout when `timeout` is not installed), writes into a
 * private temporary folder, and the image is copied into place atomically
 * only when gnuplot succeeded: a failed chart never leaves an empty or
 * partial image. The caller must ignore SIGPIPE (main does).
 *
 * The program is $SALESCAP_GNUPLOT when set (tests point it at a missing
 * or broken program), otherwise "gnuplot" found through PATH.
 *
 * Charts of a run (EXT is png, svg or pdf):
 *   revenue.EXT       revenue by week, each scenario with its 95 % band
 *   revenue_difference.EXT  each scenario's weekly revenue minus the
 *                     baseline's, with its paired 95 % band (runs with
 *                     weekly_comparison.csv)
 *   lost_revenue.EXT  revenue lost by quarter, CI whiskers, cumulative (y2)
 *   backlog.EXT       ops backlog hours and expected onboarding delay (y2)
 *   pipeline.EXT      open opportunities and pipeline value (y2)
 *   rep_hours.EXT     rep hours by activity, stacked, one panel a scenario
 *   impact.EXT        each option's cumulative impact against doing
 *                     nothing by quarter, with its band (the decision's)
 *   ranking.EXT       each option's paired difference from doing nothing
 *                     over the decision's quarters, and its p_best
 *   dashboard_ID.EXT  four charts on one page, for each scenario ID
 * lost_revenue and the dashboards need at least one scenario besides the
 * baseline; impact and ranking also a ranking (ranking.csv with rows).
 * SVG output is byte-for-byte reproducible; PDF is not (cairo stamps a
 * creation date).
 *
 * Sizes (the PLOT_SIZE_* bits of formats; docs/charts.md): screen, the
 * default, 1200 x 700; slide 1920 x 1080 with larger type, its PNGs at
 * twice that; doc 6.5 inches wide (975 pixels, PNGs 1950). Every text is
 * measured in DejaVu Sans and fitted (cut, wrapped, thinned), so that no
 * two texts of a chart overlap and none leaves the canvas, whatever the
 * titles and however many scenarios (tests/test_layout.c).
 */
#ifndef SALESCAP_PLOT_H
#define SALESCAP_PLOT_H

#include <signal.h>
#include <stddef.h>

#include "err.h"

/* Output formats, combined as a bitmask, with option bits. */
enum plot_format {
    PLOT_PNG = 1u,
    PLOT_SVG = 2u,
    PLOT_PDF = 4u,
    PLOT_SKIP_DASHBOARDS = 0x100u, /* option: the single charts only */
    PLOT_SIZE_SLIDE = 0x200u,      /* size: 1920 x 1080, larger type */
    PLOT_SIZE_DOC = 0x400u,        /* size: a page's width, 6.5 inches */
};

/* The environment variable naming the gnuplot program. */
#define PLOT_ENV_GNUPLOT "SALESCAP_GNUPLOT"

/* Seconds gnuplot may take on one chart before it is killed. */
#define PLOT_TIMEOUT_S 60

/* Exactly the message when gnuplot cannot be found. */
#define PLOT_MSG_NOT_FOUND                                                     \
    "gnuplot not found: install gnuplot-nox, or pass --no-plot"

/* The single-chart names, in the order the report shows them. */
/* The file in a plots folder that lists the charts the last drawing
 * wrote there, so that the next drawing into the folder removes those it
 * does not draw again (a dashboard of a scenario since renamed or
 * dropped), and never a file it did not write. */
#define PLOT_MANIFEST ".salescap-charts"

/* The same for a sweep's charts, kept apart: a run and a sweep of one
 * file may share a plots folder, and neither may remove the other's. */
#define PLOT_SWEEP_MANIFEST ".salescap-sweep-charts"

/* The same for the chart of `salescap sensitivity` (tornado.EXT), which
 * may share a plots folder with the run of its file. */
#define PLOT_SENSITIVITY_MANIFEST ".salescap-sensitivity-charts"

/* Makes the drawing functions check *stop before each chart (set by a
 * signal handler): set, they stop with the error "interrupted". */
void plot_set_stop(volatile sig_atomic_t *stop);

#define PLOT_NCHARTS 8
extern const char *const plot_chart_names[PLOT_NCHARTS];

/* Draws every chart of the run in run_dir (weekly.csv, comparison.csv,
 * scenarios.csv, ranking.csv and pairs.csv) into plots_dir (created with its
 * parents if missing), in each format of the bitmask formats (0 means
 * PLOT_PNG), each with its .gp script. Returns the number of images written, or
 * -1 with e set: ERR_CONFIG for unreadable CSVs, ERR_RUNTIME for I/O and
 * gnuplot failures (PLOT_MSG_NOT_FOUND when gnuplot is missing; otherwise
 * "PLOTS/NAME.gp: gnuplot: <gnuplot's own message>"). Stops at the first
 * failing chart; the images written before it stay. */
int plot_run_dir(const char *run_dir, const char *plots_dir, unsigned formats,
                 struct err *e);

/* plot_run_dir() of the scenarios sel shows (rundata.h's rundata_select;
 * NULL: those without chart = no). An ID sel names that the run does not
 * have is ERR_CONFIG, and nothing is drawn. */
struct rd_select;
int plot_run_dir_sel(const char *run_dir, const char *plots_dir,
                     unsigned formats, const struct rd_select *sel,
                     struct err *e);

/* Draws the charts of the sweep folder dir (sweep.csv, sweep.ini) into
 * plots_dir, in each format of the bitmask formats (0: PNG)
 * (plot_sweep.c): one varied key: the metric with its 95 % band; two: a
 * heatmap with the values in the cells; more: a heatmap panel per value
 * of the others; zip: a tornado chart. Returns the number of images, or
 * -1 with e set (the errors above). */
int plot_sweep_dir(const char *dir, const char *plots_dir, unsigned formats,
                   struct err *e);

/* Draws tornado.EXT (plot_sensitivity.c) from dir/sensitivity.csv into
 * plots_dir, with the same return contract as plot_run_dir. */
int plot_sensitivity_dir(const char *dir, const char *plots_dir,
                         unsigned formats, struct err *e);

/* Pipes len bytes of a gnuplot script to gnuplot and waits for it. name
 * says in messages which script failed. Returns 0, or -1 with e set
 * (ERR_RUNTIME): PLOT_MSG_NOT_FOUND (exit status 127), "NAME: gnuplot
 * timed out after 60 s", or "NAME: gnuplot: <first error gnuplot printed>".
 * gnuplot's stderr goes to a temporary file, removed before returning. */
int plot_pipe(const char *script, size_t len, const char *name, struct err *e);

/* Parses "png", "svg" or "pdf" into *format. Returns 0, or -1 for
 * anything else. */
int plot_format_parse(const char *s, unsigned *format);

/* Parses a --size preset, "screen" (the default: 0), "slide" or "doc",
 * into its PLOT_SIZE_* bits. Returns 0, or -1 for anything else. */
int plot_size_parse(const char *s, unsigned *bits);

/* The pixels an image of format fmt (PLOT_PNG, PLOT_SVG) has for a
 * chart laid out on w x h logical pixels, under the size bits of
 * formats: the preset's scale, and for PNG its density (slide: 1024 x
 * 576 -> 1920 x 1080, 3840 x 2160 as PNG). */
void plot_size_pixels(unsigned formats, int w, int h, unsigned fmt, int out[2]);

/* Formats v as money the way the charts do ("$1.25M", "-$350k", "$0"):
 * precise enough to tell apart values step apart (trailing zeros
 * dropped), or with step 0 to three significant digits ("$2.20M",
 * "$51"); never cents. */
void plot_fmt_money(char *buf, size_t n, double v, double step);

#endif
