/*
 * crm: a CRM's opportunity export in, estimates of the sales process out
 * (`salescap import`), and a model's trace written as such an export
 * (`salescap trace --crm`), which is how the import is tested.
 *
 * An export has one row per opportunity: an id, an owner, the created
 * date, the closed date (blank while open), a stage or status and an
 * amount. crm_read() finds those columns by the headers of Salesforce
 * opportunity reports, HubSpot and Pipedrive deal exports and plain
 * snake_case files (or by --columns), reads the dates (ISO, M/D/YYYY or
 * D/M/YYYY, with or without a time; the file decides which, and a file
 * whose every day is 12 or less is refused, never guessed) and the
 * amounts (currency symbols and codes, thousands separators, a decimal
 * comma where the file uses one), and sets aside the rows it cannot use,
 * each with its line and reason. crm_estimate() then estimates, honest
 * about censoring: open deals are right-censored and deals begun before
 * the window enter it late (delayed entry), so neither biases the cycle.
 *
 * Dates are days since 1970-01-01 (UTC, a time of day as a fraction).
 */
#ifndef SALESCAP_CRM_H
#define SALESCAP_CRM_H

#include <stddef.h>
#include <stdio.h>

#include "csvread.h"
#include "err.h"

enum crm_outcome { CRM_OPEN = 0, CRM_WON, CRM_LOST };

/* The columns an export must have, in --columns order. */
enum crm_col {
    CRM_ID = 0,
    CRM_OWNER,
    CRM_CREATED,
    CRM_CLOSED,
    CRM_STAGE,
    CRM_AMOUNT,
    CRM_NCOLS
};

enum crm_datefmt { CRM_DATE_AUTO = 0, CRM_DATE_MDY, CRM_DATE_DMY };

/* Why a row was set aside. */
enum crm_skip {
    CRM_SKIP_NO_ID = 0,    /* blank id */
    CRM_SKIP_NO_CREATED,   /* blank created date */
    CRM_SKIP_NO_OWNER,     /* blank owner */
    CRM_SKIP_CLOSE_BEFORE, /* closed before it was created */
    CRM_SKIP_AMOUNT_BLANK,
    CRM_SKIP_AMOUNT_NEGATIVE,
    CRM_SKIP_FUTURE,    /* a date after the export date */
    CRM_SKIP_DUPLICATE, /* an id seen on an earlier row */
    CRM_SKIP_STAGE,     /* blank, or closed-looking but neither won
                           nor lost (--won, --lost) */
    CRM_SKIP_NO_CLOSED, /* won or lost without a closed date */
    CRM_SKIP_COUNT
};

/* One usable opportunity. Strings point into the export's table. */
struct crm_deal {
    const char *id, *owner, *stage;
    int line;        /* where its row starts in the file */
    size_t owner_ix; /* index into crm_export.owners */
    enum crm_outcome outcome;
    double created, closed; /* days; closed is NaN while open */
    double amount;
};

struct crm_skipped {
    int line;
    enum crm_skip why;
    char detail[96]; /* "closed 2024-03-01 before created 2024-03-09" */
};

/* Options of crm_read(); zero is the default of each. */
struct crm_opts {
    const char *columns;    /* "id=COL,owner=COL,...": --columns */
    const char *won, *lost; /* "WORD,WORD": --won, --lost (default below) */
    enum crm_datefmt datefmt;
    int has_as_of, has_since;
    double as_of; /* the export date (default: the last date in
                     the file that is not after today) */
    double since; /* the window's start (default: the first
                     closed date) */
    double today; /* the clock's date, for future dates */
};

struct crm_export {
    const char *path;
    struct csv csv;
    char sep;                 /* ',', ';' or '\t' */
    char decimal;             /* '.' or ',' */
    const char *dialect;      /* "Salesforce opportunity report", ... */
    int col[CRM_NCOLS];       /* column of each role */
    enum crm_datefmt datefmt; /* resolved; AUTO when every date is ISO */
    struct crm_deal *deals;
    size_t n_deals;
    struct crm_skipped *skipped;
    size_t n_skipped;
    size_t skip_count[CRM_SKIP_COUNT];
    const char **owners; /* distinct owners of the deals, first seen */
    size_t n_owners;
    double as_of, since; /* resolved */
    int as_of_given, since_given;
};

/* Reads the export at path. Returns 0, or -1 with e set: ERR_CONFIG,
 * "PATH:LINE: message", for a file that cannot be used (malformed CSV, a
 * missing column, a date or amount that does not read, dates that could
 * be either M/D or D/M, no usable closed deal), ERR_RUNTIME for I/O or
 * memory. On failure x is destroyed. */
int crm_read(struct crm_export *x, const char *path, const struct crm_opts *o,
             struct err *e);

/* Frees x; safe on a zeroed struct. */
void crm_destroy(struct crm_export *x);

/* What a skip reason is called in reports ("close before creation"). */
const char *crm_skip_name(enum crm_skip why);

/* Days since 1970-01-01 of a civil date, and back ("2024-03-09"). */
double crm_days(int y, int m, int d);
void crm_date_str(double days, char *buf, size_t size);

/* Parses one date in format f (AUTO: ISO only). Returns 0 and *out, or
 * -1 when s is no date of that format. For the tests. */
int crm_parse_date(const char *s, enum crm_datefmt f, double *out);

/* Parses one amount with the given decimal mark. Returns 0 and *out, -1
 * when s is no amount. For the tests. */
int crm_parse_amount(const char *s, char decimal, double *out);

/* ---- estimates -------------------------------------------------------- */

enum crm_family { CRM_LOGNORMAL = 0, CRM_GAMMA };

/* A fitted positive distribution, by its mean and sd. */
struct crm_fit {
    enum crm_family family;
    double mean, sd;
    double mean_lo, mean_hi; /* 95 % interval of the mean (of the fitted
                                mean for cycles, of the sample mean for
                                values) */
    double sample_mean;      /* values: the mean of the data */
    double ks;               /* Kolmogorov-Smirnov distance to the data
                                (for cycles: to the censoring-aware
                                nonparametric estimate) */
    double ks_other;         /* the same for the other family */
    double median_np;        /* nonparametric median (NaN if not reached) */
};

/* Per owner: closed deals and wins, the shrunk win rate, open pipeline. */
struct crm_rep {
    const char *owner;
    int active; /* created an opportunity in the window */
    size_t created, won, closed, open;
    double shrunk;                    /* empirical-Bayes win rate */
    double open_value, open_age_days; /* sum, mean */
};

struct crm_estimates {
    double t0, t1, weeks; /* the window and its length */
    size_t n_closed, n_won, n_lost, n_open;
    size_t n_entered_late;      /* deals created before the window */
    double win, win_lo, win_hi; /* won / closed, Wilson 95 % */
    double win_censored;        /* P(won) of the censored-likelihood fit */
    struct crm_fit won_cycle, lost_cycle, value;
    size_t n_value;                /* won deals with an amount above 0 */
    size_t n_reps, n_created;      /* active reps; created in the window */
    double rate, rate_lo, rate_hi; /* created per rep per week */
    double rep_mean, rep_sd;       /* beta-binomial: mean and sd of the reps'
                                      true win rates */
    struct crm_rep *reps;          /* n_owners of them, in owners' order */
    size_t n_reps_all;
    double open_value, open_age_days;
    double bookings_per_quarter;
    /* The model's keys (crm_map): */
    double eff_sd;                /* effectiveness = lognormal(1, eff_sd) */
    double advance;               /* [stage.pursue] advance */
    struct crm_fit pursue, close; /* buyer_days of the two stages */
    int one_stage;                /* lost cycles no shorter than won ones */
    double work_days;             /* rep work a stage takes, days, subtracted */
};

/* Estimates from a read export. Returns 0, or -1 with e set (ERR_CONFIG
 * "PATH: ..." when the data cannot support an estimate: too few closed
 * or won deals, no owner active in the window). */
int crm_estimate(const struct crm_export *x, struct crm_estimates *est,
                 struct err *e);

void crm_estimates_destroy(struct crm_estimates *est);

/* Writes the includable INI (model keys, [targets], the open pipeline and
 * the data-quality report as comments). out_name is the name the file
 * will have, for its own header. Returns 0 or -1 on a write error. */
int crm_write_ini(FILE *out, const struct crm_export *x,
                  const struct crm_estimates *est, const char *out_name);

/* Prints the summary a user reads after an import. */
void crm_print_summary(FILE *out, const struct crm_export *x,
                       const struct crm_estimates *est);

/* ---- a model's trace as an export (trace --crm) ---------------------- */

enum crm_style { CRM_SALESFORCE = 0, CRM_HUBSPOT, CRM_PIPEDRIVE, CRM_PLAIN };

/* "salesforce", "hubspot", "pipedrive", "plain" -> style; -1 if none. */
int crm_style_parse(const char *name);

/* Reads a trace (salescap trace's CSV) from in and writes the
 * opportunities whose life meets reported weeks [w0, w1) as an export of
 * the given style to out: deals created before the window that were
 * still open at its start, and every deal created in it; a deal open at
 * the window's end is open in the export. week0 is the calendar date
 * (days) of reported week 0; warmup_weeks places it in the trace.
 * Returns 0, or -1 with e set. */
int crm_export_trace(FILE *in, FILE *out, enum crm_style style,
                     int warmup_weeks, int w0, int w1, double week0,
                     struct err *e);

#endif
