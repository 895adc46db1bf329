/*
 * rundata: the parts of a finished run's output folder that charts and
 * the report need, loaded from its CSVs.
 *
 * Reads weekly.csv, comparison.csv and scenarios.csv (the contract of
 * INTERFACE.md). scenarios.csv, written by the run, is
 *
 *     scenario,title,start_week,end_week,label,chart,acts_from_week
 *
 * one row per scenario, "baseline" (title "Baseline") included, in the
 * order of the scenario file. start_week and end_week are the first and
 * last week (inclusive, 0-based as in weekly.csv) of the scenario's
 * intervention window, from the week it is decided; an empty end_week
 * means the intervention lasts to the end of the horizon (a hire), both
 * empty means no window. acts_from_week is the first week it acts (a
 * hire's first day, after its lead time; else start_week). label is the
 * legend's text (empty: the title) and chart "no" leaves the scenario
 * out of the charts (rundata_select). The last three columns came later:
 * a file without them has no labels, every scenario charted, and acts
 * from start_week. When scenarios.csv is missing, scenarios come from
 * weekly.csv in order of appearance, titled by their IDs, without
 * windows.
 *
 * run.ini's [simulation] start_date, when there, dates the weeks and
 * names the quarters (calendar.h); without it they are numbered.
 *
 * weekly_comparison.csv (each week's paired revenue difference of each
 * scenario from the baseline) is read when it is there: runs from before
 * it have none, and no revenue_difference chart.
 *
 * ranking.csv and pairs.csv (the decision: which option is best) are
 * read when ranking.csv is there and has rows: runs from before them
 * have none, and their charts are drawn without the decision's.
 *
 * Missing values are NaN. A weekly row with an empty CI (n < 2) gets a
 * zero-width band (ci_low = ci_high = mean).
 */
#ifndef SALESCAP_RUNDATA_H
#define SALESCAP_RUNDATA_H

#include "calendar.h"
#include "err.h"
#include "metrics.h"

/* Comparison metrics: every metric of metrics.h, then these two. */
enum rd_comp_metric {
    RD_LOST_REVENUE = M_COUNT,  /* baseline - scenario revenue, $ */
    RD_LOST_REVENUE_CUMULATIVE, /* the same, summed from quarter 1 */
    RD_COMP_COUNT,
};

/* Statistics of one weekly row. */
enum rd_weekly_stat { RD_MEAN = 0, RD_LOW, RD_HIGH, RD_WSTATS };

/* Statistics of one comparison row. */
enum rd_comp_stat {
    RD_BASE = 0, /* baseline_mean */
    RD_SCEN,     /* scenario_mean */
    RD_DELTA,    /* delta_mean */
    RD_DLOW,     /* delta_ci_low */
    RD_DHIGH,    /* delta_ci_high */
    RD_CSTATS,
};

struct rd_scenario {
    char *id;       /* "baseline" or the scenario ID */
    char *title;    /* for titles and tables */
    char *label;    /* for legends and panels: the label, else the title */
    int chart;      /* 0: chart = no (left out by rundata_select) */
    int start_week; /* intervention window (decided), or -1 */
    int end_week;   /* last week, inclusive; -1: to the horizon's end */
    int acts_week;  /* first week it acts (>= start_week), or -1 */
};

/* One option of the decision: a row of ranking.csv, and from pairs.csv
 * its paired difference from the baseline over the decision's quarters
 * (0 for the baseline itself; NaN bounds without an interval). */
struct rd_rank {
    int s;                     /* scenario index */
    double mean, lo, hi;       /* its decision value */
    double p_best, p_lo, p_hi; /* share of replications it was best */
    int rank;                  /* 1 = best */
    int tied;                  /* tied with the best: 1, 0; -1 unknown */
    double vs, vs_lo, vs_hi;   /* minus the baseline's, paired */
};

struct rundata {
    int nscen; /* scenarios, baseline first */
    struct rd_scenario *scen;
    int weeks;        /* reported weeks H (weekly.csv) */
    int quarters;     /* reported quarters Q (comparison.csv) */
    int replications; /* the largest n in weekly.csv */
    double *weekly;   /* see rundata_week() */
    double *comp;     /* see rundata_comp() */
    double *wdiff;    /* see rundata_week_diff(); NULL: no
                       * weekly_comparison.csv */
    int ndec;         /* options ranked, in rank order; 0: no
                       * decision (or no ranking.csv) */
    struct rd_rank *dec;
    char *dec_metric;   /* ranking.csv's metric */
    int dec_q0, dec_q1; /* its quarters, 1-based (pairs.csv) */
    int dec_lower;      /* lower is better: the means rise with
                         * the rank */
    struct cal cal;     /* names of the weeks and quarters */
    int nhidden;        /* scenarios rundata_select left out */
    char **hidden;      /* their titles */
    /* Teams: weekly.csv's team rows (a run of a file with [team.NAME]s;
     * else nteams 0), see rundata_team_week(). */
    int nteams;
    char **team; /* names, in the file's order */
    double *team_weekly;
};

/* The metrics of a team that charts draw (rundata_team_week's k). */
enum rd_team_metric {
    RD_TEAM_REVENUE = 0,
    RD_TEAM_PIPELINE_VALUE,
    RD_TEAM_COUNT
};

/* Statistic st of team t's metric k (enum rd_team_metric) of scenario s
 * in week w; NAN where weekly.csv has no row. */
double rundata_team_week(const struct rundata *rd, int s, int t, int k, int w,
                         int st);

/* Loads run_dir's CSVs into rd. Returns 0, or -1 with e set: ERR_CONFIG
 * for a missing CSV and for a malformed one (missing columns, bad
 * numbers, unknown scenarios, with FILE:LINE; a ranking without its
 * rows in pairs.csv); ERR_RUNTIME for a read error or no memory. */
int rundata_load(struct rundata *rd, const char *run_dir, struct err *e);

/* Checks that weekly.csv (of run_dir) held the mean of each of the n
 * metrics for every scenario and week, as a run writes them: a file
 * with rows cut out would draw empty or broken charts. Returns 0, or -1
 * with e set (ERR_CONFIG) naming the first gap. */
int rundata_check_weekly(const struct rundata *rd, const char *run_dir,
                         const int *metrics, int n, struct err *e);

/* Which scenarios charts and the report show (`salescap plot --only,
 * --exclude`): comma-separated IDs, or NULL. */
struct rd_select {
    const char *only;    /* just these (and the baseline); overrides a
                          * scenario's chart = no */
    const char *exclude; /* not these */
};

/* Leaves out of rd the scenarios that are not to be shown: with
 * sel->only, those it does not name; without, those with chart = no;
 * and those sel->exclude names (sel NULL: chart = no alone). The
 * baseline always stays. What is left out goes from every array and
 * the decision's options (the others keep their ranks); its titles go
 * to rd->hidden. Returns 0, or -1 with e set: ERR_CONFIG for an ID the
 * run does not have, or the baseline in --exclude ("--only: ...");
 * ERR_RUNTIME for no memory. */
int rundata_select(struct rundata *rd, const struct rd_select *sel,
                   struct err *e);

/* Frees what rundata_load took; safe on a zeroed struct. */
void rundata_destroy(struct rundata *rd);

/* Weekly statistic st (enum rd_weekly_stat) of metric m for scenario s in
 * week w, or NaN when the run did not report it. */
double rundata_week(const struct rundata *rd, int s, int m, int w, int st);

/* Comparison statistic st (enum rd_comp_stat) of metric m (a metric or
 * enum rd_comp_metric) for scenario s (>= 1) in quarter q (1..Q; 0 is the
 * total), or NaN. */
double rundata_comp(const struct rundata *rd, int s, int m, int q, int st);

/* Comparison statistic st (enum rd_comp_stat) of scenario s's (>= 1)
 * revenue in week w against the baseline's, paired; NaN when the run did
 * not report it (or has no weekly_comparison.csv). */
double rundata_week_diff(const struct rundata *rd, int s, int w, int st);

/* Index of the scenario with this ID, or -1. */
int rundata_find(const struct rundata *rd, const char *id);
/* The index of the team named name, or -1. */
int rundata_team(const struct rundata *rd, const char *name);

/* "dir/name" in new memory the caller frees, or NULL (no memory). */
char *rundata_path(const char *dir, const char *name);

#endif
