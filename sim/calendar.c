/*
 * calendar: civil dates and the names of a run's weeks and quarters (see
 * include/calendar.h).
 *
 * Invariant: struct cal's calq1 is -1 unless every quarter q of the run
 * has at least 11/13 of its days in calendar quarter calq1 + q - 1, so a
 * calendar name never stands for a quarter that lies mostly elsewhere.
 * Day arithmetic is Howard Hinnant's days_from_civil and civil_from_days
 * (public domain algorithms, exact for the proleptic Gregorian calendar).
 */
#include "calendar.h"

#include <ctype.h>
#include <stdio.h>

#define WEEKS_PER_QUARTER 13

static const char *const month_abbr[12] = {
    "Jan", "Feb", "Mar", "Apr", "May", "Jun",
    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

int cal_days(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

void cal_civil(int days, int *y, int *m, int *d)
{
    int z = days + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    int doe = z - era * 146097;
    int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp + (mp < 10 ? 3 : -9);
    *y = yoe + era * 400 + (*m <= 2);
}

int cal_month_days(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

/* Exactly n digits at s into *v. */
static int fixed_digits(const char *s, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return -1;
        *v = *v * 10 + (s[i] - '0');
    }
    return 0;
}

int cal_parse(const char *s, int *days)
{
    int y, m, d;
    if (fixed_digits(s, 4, &y) || s[4] != '-' || fixed_digits(s + 5, 2, &m) ||
        s[7] != '-' || fixed_digits(s + 8, 2, &d) || s[10] != '\0')
        return -1;
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > cal_month_days(y, m))
        return -2;
    *days = cal_days(y, m, d);
    return 0;
}

void cal_iso(int days, char *buf, size_t size)
{
    int y, m, d;
    cal_civil(days, &y, &m, &d);
    snprintf(buf, size, "%04d-%02d-%02d", y, m, d);
}

void cal_text(int days, char *buf, size_t size)
{
    int y, m, d;
    cal_civil(days, &y, &m, &d);
    snprintf(buf, size, "%d %s %d", d, month_abbr[m - 1], y);
}

/* The calendar quarter (4 * year + quarter - 1) that holds day, and its
 * first day. */
static int calq_of(int day)
{
    int y, m, d;
    cal_civil(day, &y, &m, &d);
    return 4 * y + (m - 1) / 3;
}

static int calq_first_day(int k)
{
    return cal_days(k / 4, 3 * (k % 4) + 1, 1);
}

/* The first day and the length in days of quarter q (from 1) of c: the
 * last quarter is shorter when the horizon ends inside it. */
static void quarter_days(const struct cal *c, int q, int *first, int *len)
{
    int w0 = WEEKS_PER_QUARTER * (q - 1), w1 = WEEKS_PER_QUARTER * q;
    if (c->weeks > w0 && c->weeks < w1)
        w1 = c->weeks;
    *first = c->day0 + 7 * w0;
    *len = 7 * (w1 - w0);
}

/* The calendar quarter that quarter q lies mostly in (at least 11 of its
 * 13 weeks' days), or -1 when there is none. */
static int mostly_in(const struct cal *c, int q)
{
    int first, len;
    quarter_days(c, q, &first, &len);
    int k = calq_of(first + len / 2);
    int a = calq_first_day(k), b = calq_first_day(k + 1);
    int lo = first > a ? first : a;
    int hi = first + len < b ? first + len : b;
    return (hi - lo) * WEEKS_PER_QUARTER >= len * 11 ? k : -1;
}

void cal_init(struct cal *c, int day0, int weeks)
{
    c->day0 = day0;
    c->weeks = weeks;
    c->calq1 = -1;
    if (day0 == CAL_NO_DATE)
        return;
    int nq =
        weeks > 0 ? (weeks + WEEKS_PER_QUARTER - 1) / WEEKS_PER_QUARTER : 1;
    int k1 = mostly_in(c, 1);
    for (int q = 2; k1 >= 0 && q <= nq; q++)
        if (mostly_in(c, q) != k1 + q - 1)
            return;
    c->calq1 = k1;
}

int cal_dated(const struct cal *c)
{
    return c->day0 != CAL_NO_DATE;
}

int cal_week_day(const struct cal *c, int w)
{
    return c->day0 + 7 * w;
}

void cal_week(const struct cal *c, int w, char *buf, size_t size)
{
    if (!cal_dated(c))
        snprintf(buf, size, "week %d", w);
    else
        cal_text(cal_week_day(c, w), buf, size);
}

void cal_week_end(const struct cal *c, int w, char *buf, size_t size)
{
    if (!cal_dated(c))
        snprintf(buf, size, "the end of week %d", w);
    else
        cal_text(cal_week_day(c, w) + 6, buf, size);
}

void cal_quarter(const struct cal *c, int q, enum cal_style style, char *buf,
                 size_t size)
{
    char day[32];
    int first, len;
    if (!cal_dated(c)) {
        snprintf(buf, size, style == CAL_SHORT ? "Q%d" : "quarter %d", q);
    } else if (c->calq1 >= 0) {
        int k = c->calq1 + q - 1;
        snprintf(buf, size, "Q%d %d", k % 4 + 1, k / 4);
    } else {
        quarter_days(c, q, &first, &len);
        cal_text(first, day, sizeof day);
        snprintf(buf, size, "%s%s",
                 style == CAL_SHORT ? "" : "the quarter from ", day);
    }
}

void cal_quarters(const struct cal *c, int q0, int q1, char *buf, size_t size)
{
    char a[48], b[48];
    int first, len, last_first;
    if (q0 == q1) {
        cal_quarter(c, q0, CAL_TEXT, buf, size);
    } else if (!cal_dated(c)) {
        snprintf(buf, size, "quarters %d-%d", q0, q1);
    } else if (c->calq1 >= 0) {
        cal_quarter(c, q0, CAL_SHORT, a, sizeof a);
        cal_quarter(c, q1, CAL_SHORT, b, sizeof b);
        snprintf(buf, size, "%s to %s", a, b);
    } else {
        quarter_days(c, q0, &first, &len);
        cal_text(first, a, sizeof a);
        quarter_days(c, q1, &last_first, &len);
        cal_text(last_first + len - 1, b, sizeof b);
        snprintf(buf, size, "the %d quarters from %s to %s", q1 - q0 + 1, a, b);
    }
}
