/*
 * calendar: civil dates, and the names of a run's weeks and quarters as a
 * reader sees them in charts, tables and headlines.
 *
 * Weeks are counted from 0 (week 0 is the first reported week) and
 * quarters from 1 (quarter q holds weeks 13(q-1) to 13q-1), everywhere.
 * Without a start date ([simulation] start_date) they are named so:
 * "week 14", "quarter 3" ("Q3" where room is short). With one, week w is
 * the 7 days from start_date + 7w, named by its first day ("5 Apr 2027"),
 * and quarters get calendar names ("Q3 2027") when every quarter of the
 * run lies mostly in one calendar quarter, the next quarter in the next:
 * at least 11 of its 13 weeks (a start on 1 July, or on the Monday of
 * the week that holds it, for runs up to about ten years; a run's year
 * is 364 days, so its quarters drift from the calendar's by about a day
 * and a quarter a year). Otherwise (a start in mid-quarter: 15 February)
 * a calendar name would mislead, and every quarter is named by the day
 * it starts ("15 Feb 2027"; "the quarter from 15 Feb 2027").
 *
 * Dates are days since 1970-01-01 in the proleptic Gregorian calendar,
 * as ints; CAL_NO_DATE means none.
 */
#ifndef SALESCAP_CALENDAR_H
#define SALESCAP_CALENDAR_H

#include <limits.h>
#include <stddef.h>

#define CAL_NO_DATE INT_MIN

/* Days since 1970-01-01 of year y (1..9999), month m (1..12), day d. */
int cal_days(int y, int m, int d);

/* The civil date of days since 1970-01-01. */
void cal_civil(int days, int *y, int *m, int *d);

/* Days in month m of year y (leap years: divisible by 4, not by 100
 * unless by 400). */
int cal_month_days(int y, int m);

/* Parses exactly YYYY-MM-DD (year 0001 to 9999). Returns 0 and *days;
 * -1 when s is not of that form; -2 when it is, but names no day (month
 * 13, 30 February). */
int cal_parse(const char *s, int *days);

/* "2027-07-01" into buf. */
void cal_iso(int days, char *buf, size_t size);

/* "1 Jul 2027" into buf. */
void cal_text(int days, char *buf, size_t size);

/* How a run's weeks and quarters are named. */
struct cal {
    int day0;  /* the first day of week 0, or CAL_NO_DATE */
    int weeks; /* reported weeks (the horizon) */
    int calq1; /* quarter 1's calendar quarter (4 * year + quarter - 1),
                * or -1: quarters named by their first day */
};

/* Names the weeks and quarters of a run of `weeks` reported weeks whose
 * week 0 starts on day0 (CAL_NO_DATE: no date). */
void cal_init(struct cal *c, int day0, int weeks);

/* Whether the run has a start date. */
int cal_dated(const struct cal *c);

/* Week w's first day (c dated). */
int cal_week_day(const struct cal *c, int w);

/* Week w, as a start: "week 13", or its first day "2 Apr 2027". */
void cal_week(const struct cal *c, int w, char *buf, size_t size);

/* Week w, as an end: "the end of week 14", or its last day
 * "15 Apr 2027". */
void cal_week_end(const struct cal *c, int w, char *buf, size_t size);

/* How a quarter is named. */
enum cal_style {
    CAL_SHORT, /* for axes and table rows: "Q3", "Q3 2027", "15 Feb 2027" */
    CAL_TEXT,  /* in a sentence: "quarter 3", "Q3 2027",
                * "the quarter from 15 Feb 2027" */
};

/* Quarter q (from 1) of the run. */
void cal_quarter(const struct cal *c, int q, enum cal_style style, char *buf,
                 size_t size);

/* Quarters q0 to q1 (from 1, inclusive) in a sentence: "quarters 2-9",
 * "Q2 2027 to Q1 2029", "the 8 quarters from 16 May 2027 to
 * 12 Feb 2029"; one quarter as cal_quarter's CAL_TEXT. */
void cal_quarters(const struct cal *c, int q0, int q1, char *buf, size_t size);

#endif
