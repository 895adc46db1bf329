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

/* Pixels of the logical canvas to a point of type: cairo sets type at
 * 96 dots an inch, so a 10-point font is 13.3 pixels to the em on a PNG
 * drawn at scale 1; the SVG terminal is given the same (plot.c). */
#define GP_PX_PER_PT (4.0 / 3.0)

/* Points of the terminal's font: tick labels and axis labels. */
#define GP_TICK_PT 11.0

/* The longest line gp_wrap writes, in bytes with its NUL. */
#define GP_LINE_MAX 512

/* A --size preset: the logical canvas the charts are laid out on (in
 * pixels, the unit of every layout helper below), and how it is drawn.
 * Type sizes are the same points on every preset: a smaller logical
 * canvas makes the type larger against the chart. */
struct gp_size {
    const char *name;
    int width, height;           /* a chart of its own */
    int dash_width, dash_height; /* a dashboard, a page of sweep panels */
    int grid_cols;               /* most columns of a grid of panels */
    int row_px;                  /* height of a grid's row of panels */
    int out_width;               /* every chart drawn this wide, in
                                  * output pixels (0: the logical width) */
    int density;                 /* PNG pixels per output pixel */
};

/* The preset of a formats bitmask (PLOT_SIZE_* bits; none: screen). */
const struct gp_size *gp_size_of(unsigned formats);

/* Output pixels per logical pixel of a chart w logical pixels wide
 * (times the density for a PNG when png is set). */
double gp_scale(const struct gp_size *size, int w, int png);

/* Where a chart goes on the canvas, in screen coordinates (0..1), and
 * its layout so far. The helpers below fill the layout in as the chart
 * is written: gp_house starts it, gp_title and gp_legend take room from
 * the top, gp_ticks and gp_axis_label record the axes, and gp_plot_area
 * turns it into margins. A chart works on its own copy of its frame. */
struct gp_frame {
    double x0, y0, x1, y1; /* the whole panel, title included */
    int compact;           /* dashboard panel: smaller type, no subtitle */
    int width, height;     /* the canvas, logical pixels */
    const struct gp_size *size;
    /* Layout, in logical pixels: */
    double top;                /* taken from the top: titles and legend */
    double bottom;             /* below the plot: x tick labels and x label */
    double tick_px[2];         /* widest y and y2 tick label; < 0: no axis */
    const char *axis_label[2]; /* y and y2 axis labels (borrowed) */
};

/* A frame covering a whole canvas of w x h logical pixels. */
struct gp_frame gp_page(const struct gp_size *size, int w, int h);

/* The frame of a chart of its own on the preset's canvas. */
struct gp_frame gp_single(const struct gp_size *size);

/* A legend entry: a sample drawn in a gnuplot style, and its text. */
enum gp_sample {
    GP_SAMPLE_LINE = 0, /* a line; style: "lt 2", "lc rgb '#555555' dt 2" */
    GP_SAMPLE_BOX,      /* a box; style: "fc rgb '#...' fs solid 0.5 ..." */
    GP_SAMPLE_BAR,      /* an error bar; style: its line */
};

struct gp_key {
    enum gp_sample sample;
    const char *style;
    const char *point; /* a point's style ("lt 2"), or NULL */
    const char *text;
};

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

/* --- plot_text.c --- */

/* Width in logical pixels of UTF-8 text s set in DejaVu Sans at pt
 * points (bold or not). */
double gp_text_width(const char *s, double pt, int bold);

/* Copies s into out (size bytes), cut at a word and ended with an
 * ellipsis when wider than px. Returns 1 when it was cut. */
int gp_fit(char *out, size_t size, const char *s, double px, double pt,
           int bold);

/* Breaks s at blanks into at most max_lines lines no wider than px (the
 * last one cut with an ellipsis when the text goes on). Returns the
 * number of lines (0 for blank text). */
int gp_wrap(const char *s, double px, double pt, int bold, int max_lines,
            char lines[][GP_LINE_MAX]);

/* --- plot_style.c --- */

/* Writes s as a single-quoted gnuplot string (quotes doubled, control
 * characters as spaces). */
void gp_str(FILE *f, const char *s);

/* Writes v for a datablock: "NaN" when not a number. */
void gp_num(FILE *f, double v);

/* Formats v with thousands separators ("12,500"; decimals when step < 1). */
void gp_fmt_plain(char *buf, size_t n, double v, double step);

/* A range covering [min, max] (and 0 when zero is set) with about 6 nice
 * ticks (1, 2, 2.5 or 5 times a power of ten). NaN limits give [0, 1]. */
struct gp_axis gp_nice(double min, double max, int zero);

/* Adds a step above (and below a negative min) where the data [min,
 * max] would run within 4 % of the axis's end: a line never runs along
 * the plot's edge. */
void gp_headroom(struct gp_axis *a, double min, double max);

/* Widens a's step to the next nice ones (and its range to their
 * multiples) until its tick labels are apart on an axis px pixels long
 * (for horizontal axes: labels side by side). */
void gp_thin(struct gp_axis *a, double px, enum gp_unit unit);

/* Stretches the negative side of one axis so both axes put 0 at the same
 * height (bars and a cumulative line share one zero line). */
void gp_align_zero(struct gp_axis *a, struct gp_axis *b);

/* Sets the range and hand-made tick labels of axis "x", "y", "y2" or
 * "cb"; for y and y2, records in fr how wide the widest label is (fr may
 * be NULL for the others). */
void gp_ticks(FILE *f, struct gp_frame *fr, const char *axis,
              const struct gp_axis *a, enum gp_unit unit);

/* Resets the settings and applies the house look for a panel in frame fr:
 * borders, grid, tics, and starts its layout (y2: a right axis too). */
void gp_house(FILE *f, struct gp_frame *fr, int y2);

/* The title (bold, left-aligned, wrapped to two lines) and, unless
 * compact or NULL, a grey subtitle (wrapped to three) at the top of the
 * room left in fr, which they then take (labels 1-2 and 5-7; a compact
 * title's are 3-4, so that it can share a panel with a full one). */
void gp_title(FILE *f, struct gp_frame *fr, const char *title,
              const char *subtitle);

/* gp_title with the title in colour ("#rrggbb"). */
void gp_title_in(FILE *f, struct gp_frame *fr, const char *title,
                 const char *subtitle, const char *colour);

/* A legend of n entries in rows below the title, in columns as many as
 * fit (texts cut to fit with an ellipsis, never shorter than about 25
 * characters unless the frame is narrower), taking its room from fr
 * (samples and labels numbered from 200). */
void gp_legend(FILE *f, struct gp_frame *fr, const struct gp_key *k, int n);

/* A multiplot page's header as a panel of its own, texts only: the
 * title, subtitle (may be NULL) and legend (n entries) across the page.
 * Returns the pixels it takes from the page's top; the panels go below. */
double gp_page_header(FILE *f, struct gp_frame page, const char *title,
                      const char *sub, const struct gp_key *k, int n);

/* Records the label of axis 0 (y) or 1 (y2), written by gp_plot_area
 * beside the tick labels, wrapped to the plot's height. */
void gp_axis_label(struct gp_frame *fr, int axis, const char *text);

/* The plot area of fr as its layout stands, in screen coordinates:
 * left, right, bottom, top. */
void gp_box(const struct gp_frame *fr, double box[4]);

/* Sets the margins to gp_box's and writes the axis labels. Call it
 * after the titles, legend, ticks and axis labels, before `plot`. */
void gp_plot_area(FILE *f, const struct gp_frame *fr);

/* Writes text as label number id at screen (x, y), cut with an ellipsis
 * to px pixels at pt points (just: "left", "center" or "right"); extra
 * is the rest of the label's settings ("textcolor rgb '#666666'"). */
void gp_label_fit(FILE *f, int id, const char *text, double px, double pt,
                  int bold, double x, double y, const char *just,
                  const char *extra);

/* Every how many of n evenly spaced x tick labels, the widest of them
 * `widest`, one goes so that they keep apart in fr's plot (1: all).
 * Call after gp_ticks and gp_axis_label. */
int gp_label_every(const struct gp_frame *fr, int n, const char *widest);

/* The week axis: x = week number (0 = first reported week), ticks at
 * the first week of each quarter (every other one, or fewer, when the
 * labels would touch), labelled with the week's number or, with a start
 * date, the day it starts; when quarters is set and there is room, light
 * quarter names at the top ("Q3", "Q3 2027"; none for quarters named by
 * their first day). Call after gp_ticks and gp_axis_label. */
void gp_week_axis(FILE *f, const struct rundata *rd, const struct gp_frame *fr,
                  int quarters);

/* The quarter axis: x = quarter (from 1) up to nq, each named as
 * calendar.h's CAL_SHORT ("Q3", "Q3 2027", "15 Feb 2027"), every other
 * one or fewer when the names would touch in fr's plot; with ends, x = 0
 * is the start and quarter q is drawn at its end. Call after gp_ticks
 * and gp_axis_label. */
void gp_quarter_ticks(FILE *f, const struct gp_frame *fr,
                      const struct rundata *rd, int nq, int ends);

/* Marks the intervention window of each scenario of set over the weeks
 * it acts: a tinted span, or a dotted line at the start of one that
 * lasts to the end; when it is decided earlier (a hire, before the
 * person's first day), a mark at the decision and an arrow from it to
 * the first day (objects, arrows and labels numbered from 100). The
 * labels are cut to the room beside the line and spaced down from the
 * top of fr's plot, each decision's arrow on its label's row. */
void gp_windows(FILE *f, const struct gp_set *set, const struct gp_frame *fr);

/* Keeping the data clear of the text at the top of a week chart (the
 * quarter names, the windows' labels and decision marks): lim (one per
 * week, set to 1 by the caller) gets, for each week under such text, the
 * highest share of fr's plot height the data may reach there, from
 * gp_week_axis (with quarters) and gp_windows of set. Then
 * gp_under_ceiling raises a's top by whole steps until each week's top[]
 * value (NaN: none) lies under its ceiling; where a doubled range would
 * not do, it leaves a as it was. gp_week_tops fills top with the highest
 * of statistic st (and of the mean) of metric m over set's scenarios.
 * Call before gp_ticks, which may widen the tick labels a little: the
 * ceilings have a margin for it. */
void gp_ceiling(const struct gp_set *set, const struct gp_frame *fr,
                int quarters, double *lim);
void gp_under_ceiling(struct gp_axis *a, const double *lim, const double *top,
                      int weeks);
void gp_week_tops(const struct gp_set *set, int m, int st, double *top);

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
void chart_rep_hours(FILE *f, const struct gp_set *set,
                     const struct gp_size *size);
/* Canvas height in logical pixels of a grid chart of this many panels
 * (the width stays the preset's): its height up to two rows, taller
 * beyond. */
int chart_grid_height(const struct gp_size *size, int panels);
/* The page of a grid chart of n panels (for its header), and its cell i
 * below a header of header_px pixels. */
struct gp_frame chart_grid_page(const struct gp_size *size, int n);
struct gp_frame chart_grid_cell(const struct gp_size *size, int i, int n,
                                double header_px);
/* The dashboard of scenario s (>= 1): four panels on one page. */
void chart_dashboard(FILE *f, const struct rundata *rd, int s,
                     const struct gp_size *size);

/* --- plot_decision.c: when the run ranked its options (rd->ndec) --- */

/* v as end labels write it: "+$219k" (money), "-12.5" (plain). */
void gp_value_text(char *buf, size_t n, double v, int money);
/* Each option's cumulative impact against doing nothing, by quarter. */
void chart_impact(FILE *f, const struct gp_set *set, const struct gp_frame *fr);
/* Each option's difference from doing nothing, and its share of best. */
void chart_ranking(FILE *f, const struct rundata *rd,
                   const struct gp_size *size);
/* Canvas height in logical pixels of the ranking of this many options. */
int chart_ranking_height(const struct gp_size *size, int options);

/* --- plot.c: the chart files --- */

/* One drawing into a plots folder: gnuplot's private folder for images
 * in progress, and the manifest (list) of the files written.
 * The run's charts and the sweep's share it. */
struct plot_files {
    const char *plots_dir;
    const char *source; /* what the charts are drawn from, for .gp heads */
    const char *list;   /* the manifest's name: PLOT_MANIFEST or
                         * PLOT_SWEEP_MANIFEST */
    unsigned formats;   /* PLOT_PNG | PLOT_SVG | PLOT_PDF, and flags */
    char tmpdir[64];
    int written;    /* images copied into plots_dir */
    FILE *manifest; /* the names of the files written, one a line */
    char *names;    /* its text */
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
int plot_files_chart(struct plot_files *pf, const char *name, const int size[2],
                     const char *body, size_t blen, struct err *e);

/* Ends the drawing; rc is its status so far. When 0, the charts the
 * previous manifest lists and this drawing did not draw are removed and
 * the new manifest installed. Returns the images written, or -1 (rc was
 * not 0, or the manifest could not be written: e set). */
int plot_files_close(struct plot_files *pf, int rc, struct err *e);

/* --- plot_plan.c: when the run had a plan (quarterly.csv's plan_met) --- */

/* Draws plan.EXT (the chance of making plan by quarter, every option of
 * rd, with Wilson intervals) into pf from run_dir's quarterly.csv, on
 * the canvas of formats' size preset; draws nothing when it has no
 * plan_met rows or is missing. Rows of scenarios rundata_select left
 * out are skipped. Returns 0, or -1 with e set (ERR_CONFIG for a
 * malformed row, with FILE:LINE). */
int chart_plan_draw(struct plot_files *pf, const struct rundata *rd,
                    const char *run_dir, unsigned formats, struct err *e);

/* --- plot_team.c: when the run had teams (weekly.csv's team rows) --- */

/* Draws revenue_by_team.EXT and pipeline_by_team.EXT into pf: one panel
 * per option of rd, its weekly revenue (open pipeline value) stacked by
 * team; nothing when rd has no teams. Returns 0, or -1 with e set. */
int chart_teams_draw(struct plot_files *pf, const struct rundata *rd,
                     unsigned formats, struct err *e);

#endif
