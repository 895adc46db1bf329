/*
 * plot_int: what the plot files share inside the module (not part of the
 * plot.h contract). plot_style.c holds the house look and number
 * formatting, plot_charts.c the charts, plot.c the files and the pipe.
 *
 * A chart is written as the body of a gnuplot script: everything after
 * `set terminal` and `set output`. Bodies are built in memory
 * (open_memstream), so one body serves every format.
 */
#ifndef SALESCAP_PLOT_INT_H
#define SALESCAP_PLOT_INT_H

#include <stdio.h>

#include "plot.h"
#include "rundata.h"

/* Where a chart goes on the canvas, in screen coordinates (0..1). */
struct gp_frame {
    double x0, y0, x1, y1; /* the whole panel, title included */
    int compact;           /* dashboard panel: smaller type, no subtitle */
    int width, height;     /* the canvas in pixels, for fixed margins */
};

/* The full canvas, for a chart of its own. */
extern const struct gp_frame gp_full;

/* What tick labels show. */
enum gp_unit {
    GP_MONEY = 0, /* $350k, $1.2M */
    GP_PLAIN,     /* 1,200 */
};

/* An axis range and the step of its labelled ticks. */
struct gp_axis {
    double lo, hi, step;
};

/* The scenarios a chart shows: indexes into rd->scen, baseline first. */
struct gp_set {
    const struct rundata *rd;
    const int *scen;
    int n;
};

/* Canvas size in pixels of single charts and of dashboards. */
#define GP_WIDTH 1200
#define GP_HEIGHT 700
#define GP_DASH_WIDTH 1600
#define GP_DASH_HEIGHT 1000

/* --- plot_style.c --- */

/* Writes s as a single-quoted gnuplot string (quotes doubled, control
 * characters as spaces). */
void gp_str(FILE *f, const char *s);

/* Writes s as a gnuplot string of at most max bytes, cut at a character
 * boundary and ended with an ellipsis when too long. */
void gp_str_fit(FILE *f, const char *s, size_t max);

/* Writes v for a datablock: "NaN" when not a number. */
void gp_num(FILE *f, double v);

/* Formats v with thousands separators ("12,500"; decimals when step < 1). */
void gp_fmt_plain(char *buf, size_t n, double v, double step);

/* A range covering [min, max] (and 0 when zero is set) with about 6 nice
 * ticks (1, 2, 2.5 or 5 times a power of ten). NaN limits give [0, 1]. */
struct gp_axis gp_nice(double min, double max, int zero);

/* Stretches the negative side of one axis so both axes put 0 at the same
 * height (bars and a cumulative line share one zero line). */
void gp_align_zero(struct gp_axis *a, struct gp_axis *b);

/* Sets the range and hand-made tick labels of axis "y" or "y2". */
void gp_ticks(FILE *f, const char *axis, const struct gp_axis *a,
              enum gp_unit unit);

/* Resets the settings and applies the house look for a panel in frame fr:
 * margins, borders, grid, tics, key. y2 leaves room for a right axis. */
void gp_house(FILE *f, const struct gp_frame *fr, int y2);

/* The title (bold, left-aligned) and, unless compact, a grey subtitle
 * (labels 1 and 2; a compact title is label 3). */
void gp_title(FILE *f, const struct gp_frame *fr, const char *title,
              const char *subtitle);

/* The week axis: x = week number (0 = first reported week), ticks at
 * the first week of each quarter (every other one, or fewer, when the
 * frame is narrow), labelled with the week's number or, with a start
 * date, the day it starts; when there is room, light quarter names at
 * the top ("Q3", "Q3 2027"; none for quarters named by their first
 * day). fr NULL: a narrow panel without quarter names. */
void gp_week_axis(FILE *f, const struct rundata *rd,
                  const struct gp_frame *fr);

/* The quarter axis: x = quarter (from 1) up to nq, each named as
 * calendar.h's CAL_SHORT ("Q3", "Q3 2027", "15 Feb 2027"); with ends, x
 * = 0 is the start and quarter q is drawn at its end. */
void gp_quarter_ticks(FILE *f, const struct rundata *rd, int nq, int ends);

/* Marks the intervention window of each scenario of set over the weeks
 * it acts: a tinted span, or a dotted line at the start of one that
 * lasts to the end; when it is decided earlier (a hire, before the
 * person's first day), a mark at the decision and an arrow from it to
 * the first day (objects, arrows and labels numbered from 100). */
void gp_windows(FILE *f, const struct gp_set *set);

/* Whether gp_windows draws a decision's arrow for some scenario of set
 * (a subtitle then says what the arrow means). */
int gp_windows_lead(const struct gp_set *set);

/* Linetype (1-based) of scenario s: colour, dash and marker. */
int gp_lt(int s);

/* Colour of scenario s, "#rrggbb". */
const char *gp_colour(int s);

/* Point interval for weekly lines: a marker every few weeks. */
int gp_pointinterval(const struct rundata *rd);

/* The house linetypes: scenarios 1-8, activities 11-15. */
void gp_linetypes(FILE *f);

/* Min and max of a weekly statistic over the set's scenarios (a low and
 * a high statistic, e.g. RD_LOW and RD_HIGH); NaN when none. */
void gp_week_range(const struct gp_set *set, int m, int st_lo, int st_hi,
                   double *min, double *max);

/* --- plot_charts.c --- */

void chart_revenue(FILE *f, const struct gp_set *set,
                   const struct gp_frame *fr);
/* Each scenario's weekly revenue minus the baseline's, with the paired
 * band (rd->wdiff; set holds the baseline and at least one scenario). */
void chart_revenue_diff(FILE *f, const struct gp_set *set,
                        const struct gp_frame *fr);
void chart_lost(FILE *f, const struct gp_set *set, const struct gp_frame *fr);
void chart_backlog(FILE *f, const struct gp_set *set,
                   const struct gp_frame *fr);
void chart_pipeline(FILE *f, const struct gp_set *set,
                    const struct gp_frame *fr);
void chart_rep_hours(FILE *f, const struct gp_set *set);
/* Canvas height in pixels of a grid chart of this many panels (the width
 * stays GP_WIDTH): GP_HEIGHT up to two rows, taller beyond. */
int chart_grid_height(int panels);
/* The dashboard of scenario s (>= 1): four panels on one page. */
void chart_dashboard(FILE *f, const struct rundata *rd, int s);

/* --- plot_decision.c: when the run ranked its options (rd->ndec) --- */

/* Each option's cumulative impact against doing nothing, by quarter. */
void chart_impact(FILE *f, const struct gp_set *set,
                  const struct gp_frame *fr);
/* Each option's difference from doing nothing, and its share of best. */
void chart_ranking(FILE *f, const struct rundata *rd);
/* Canvas height in pixels of the ranking of this many options. */
int chart_ranking_height(int options);

/* --- plot.c: the chart files --- */

/* One drawing into a plots folder: gnuplot's private folder for images
 * in progress, and the manifest (list) of the files written.
 * The run's charts and the sweep's share it. */
struct plot_files {
    const char *plots_dir;
    const char *source;  /* what the charts are drawn from, for .gp heads */
    const char *list;    /* the manifest's name: PLOT_MANIFEST or
                          * PLOT_SWEEP_MANIFEST */
    unsigned formats;    /* PLOT_PNG | PLOT_SVG | PLOT_PDF, and flags */
    char tmpdir[64];
    int written;         /* images copied into plots_dir */
    FILE *manifest;      /* the names of the files written, one a line */
    char *names;         /* its text */
    size_t names_len;
};

/* Starts a drawing into plots_dir (made with its parents). formats
 * without a format bit means PNG. Returns 0, or -1 with e set (and
 * nothing to close). */
int plot_files_open(struct plot_files *pf, const char *plots_dir,
                    unsigned formats, const char *source, const char *list,
                    struct err *e);

/* Draws chart `name` from its body (blen bytes, everything after the
 * terminal and output lines) on a size[0] x size[1] canvas in every
 * format: NAME.gp saved with the first, each image copied into place
 * only when complete. Before each image, stops with "interrupted" once
 * the flag of plot_set_stop is set. Returns 0, or -1 with e set. */
int plot_files_chart(struct plot_files *pf, const char *name,
                     const int size[2], const char *body, size_t blen,
                     struct err *e);

/* Ends the drawing; rc is its status so far. When 0, the charts the
 * previous manifest lists and this drawing did not draw are removed and
 * the new manifest installed. Returns the images written, or -1 (rc was
 * not 0, or the manifest could not be written: e set). */
int plot_files_close(struct plot_files *pf, int rc, struct err *e);

#endif
