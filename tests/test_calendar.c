/*
 * test_calendar: civil dates (leap years, the round trip), the strict
 * YYYY-MM-DD parser, and the names of a run's weeks and quarters with and
 * without a start date: calendar quarters for a start on a quarter's
 * first day (or within a few days of it), dates for a start mid-quarter,
 * and the fall back to dates once a long run drifts off the calendar.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "calendar.h"

static void test_civil_round_trip(void **state)
{
    (void)state;
    assert_int_equal(cal_days(1970, 1, 1), 0);
    assert_int_equal(cal_days(2000, 3, 1) - cal_days(2000, 2, 28), 2);
    assert_int_equal(cal_days(1900, 3, 1) - cal_days(1900, 2, 28), 1);
    assert_int_equal(cal_days(2100, 3, 1) - cal_days(2100, 2, 28), 1);
    assert_int_equal(cal_days(2028, 3, 1) - cal_days(2028, 2, 28), 2);
    /* Every day of 1896-2404 (leap rules of 4, 100 and 400) and back. */
    int prev = cal_days(1896, 1, 1) - 1;
    for (int y = 1896; y <= 2404; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= cal_month_days(y, m); d++) {
                int t = cal_days(y, m, d), yy, mm, dd;
                assert_int_equal(t, prev + 1);
                cal_civil(t, &yy, &mm, &dd);
                assert_int_equal(yy * 10000 + mm * 100 + dd,
                                 y * 10000 + m * 100 + d);
                prev = t;
            }
    assert_int_equal(cal_month_days(2024, 2), 29);
    assert_int_equal(cal_month_days(2023, 2), 28);
    assert_int_equal(cal_month_days(2000, 2), 29);
    assert_int_equal(cal_month_days(2100, 2), 28);
}

static void expect_parse(const char *s, int rc)
{
    int days = -7;
    assert_int_equal(cal_parse(s, &days), rc);
    if (rc == 0) {
        char back[16];
        cal_iso(days, back, sizeof back);
        assert_string_equal(back, s);
    }
}

static void test_parse(void **state)
{
    (void)state;
    expect_parse("2027-07-01", 0);
    expect_parse("2024-02-29", 0);
    expect_parse("2000-02-29", 0);
    expect_parse("0001-01-01", 0);
    expect_parse("2023-02-29", -2);
    expect_parse("2100-02-29", -2);
    expect_parse("2027-04-31", -2);
    expect_parse("2027-13-01", -2);
    expect_parse("2027-00-10", -2);
    expect_parse("2027-01-00", -2);
    expect_parse("0000-01-01", -2);
    expect_parse("2027-7-1", -1);
    expect_parse("27-07-01", -1);
    expect_parse("2027/07/01", -1);
    expect_parse("2027-07-01 ", -1);
    expect_parse("2027-07-01T00:00", -1);
    expect_parse("01/07/2027", -1);
    expect_parse("", -1);
    expect_parse("next monday", -1);
    char buf[32];
    cal_text(cal_days(2027, 4, 5), buf, sizeof buf);
    assert_string_equal(buf, "5 Apr 2027");
}

/* The name of quarter q of a run starting on y-m-d of `weeks` weeks. */
static void expect_quarter(int y, int m, int d, int weeks, int q,
                           enum cal_style style, const char *want)
{
    struct cal c;
    char buf[96];
    cal_init(&c, y ? cal_days(y, m, d) : CAL_NO_DATE, weeks);
    cal_quarter(&c, q, style, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_undated(void **state)
{
    (void)state;
    struct cal c;
    char buf[96];
    cal_init(&c, CAL_NO_DATE, 104);
    assert_false(cal_dated(&c));
    cal_week(&c, 0, buf, sizeof buf);
    assert_string_equal(buf, "week 0");
    cal_week(&c, 14, buf, sizeof buf);
    assert_string_equal(buf, "week 14");
    cal_week_end(&c, 14, buf, sizeof buf);
    assert_string_equal(buf, "the end of week 14");
    expect_quarter(0, 0, 0, 104, 3, CAL_SHORT, "Q3");
    expect_quarter(0, 0, 0, 104, 3, CAL_TEXT, "quarter 3");
    cal_quarters(&c, 2, 9, buf, sizeof buf);
    assert_string_equal(buf, "quarters 2-9");
    cal_quarters(&c, 9, 9, buf, sizeof buf);
    assert_string_equal(buf, "quarter 9");
}

static void test_calendar_quarters(void **state)
{
    (void)state;
    struct cal c;
    char buf[96];
    /* A start on 1 July: week 0 is 1-7 July 2027, quarter 1 Q3 2027. */
    cal_init(&c, cal_days(2027, 7, 1), 104);
    assert_true(cal_dated(&c));
    cal_week(&c, 0, buf, sizeof buf);
    assert_string_equal(buf, "1 Jul 2027");
    cal_week(&c, 14, buf, sizeof buf);
    assert_string_equal(buf, "7 Oct 2027");
    cal_week_end(&c, 14, buf, sizeof buf);
    assert_string_equal(buf, "13 Oct 2027");
    expect_quarter(2027, 7, 1, 104, 1, CAL_SHORT, "Q3 2027");
    expect_quarter(2027, 7, 1, 104, 1, CAL_TEXT, "Q3 2027");
    expect_quarter(2027, 7, 1, 104, 3, CAL_SHORT, "Q1 2028");
    /* Quarter 8 starts on 29 Mar 2029, 3 days before Q2 does: Q2 2029. */
    expect_quarter(2027, 7, 1, 104, 8, CAL_SHORT, "Q2 2029");
    cal_quarters(&c, 2, 8, buf, sizeof buf);
    assert_string_equal(buf, "Q4 2027 to Q2 2029");
    /* A leap year's first quarter is 91 days: 1 Jan - 31 Mar 2028. */
    expect_quarter(2028, 1, 1, 104, 1, CAL_SHORT, "Q1 2028");
    expect_quarter(2028, 1, 1, 104, 2, CAL_SHORT, "Q2 2028");
    /* Quarter 5 of a start on 1 Jan 2028 begins on 30 Dec 2028: four
     * 364-day quarters later, still Q1 2029. */
    expect_quarter(2028, 1, 1, 104, 5, CAL_SHORT, "Q1 2029");
    /* The Monday of the week holding 1 July: calendar names too. */
    expect_quarter(2027, 6, 28, 104, 1, CAL_SHORT, "Q3 2027");
    expect_quarter(2027, 6, 28, 104, 4, CAL_SHORT, "Q2 2028");
    /* A short last quarter (110 weeks: 6 weeks) keeps its calendar name. */
    expect_quarter(2027, 7, 1, 110, 9, CAL_SHORT, "Q3 2029");
}

static void test_mid_quarter(void **state)
{
    (void)state;
    struct cal c;
    char buf[96];
    /* 15 Feb: quarter 1 is 15 Feb - 16 May, half Q1, half Q2: dates. */
    cal_init(&c, cal_days(2027, 2, 15), 104);
    expect_quarter(2027, 2, 15, 104, 1, CAL_SHORT, "15 Feb 2027");
    expect_quarter(2027, 2, 15, 104, 2, CAL_TEXT,
                   "the quarter from 17 May 2027");
    cal_quarters(&c, 2, 8, buf, sizeof buf);
    assert_string_equal(buf, "the 7 quarters from 17 May 2027 to "
                             "11 Feb 2029");
    /* In a leap year, 29 Feb is a day like any other. */
    expect_quarter(2028, 2, 29, 104, 1, CAL_SHORT, "29 Feb 2028");
    expect_quarter(2028, 2, 29, 104, 2, CAL_SHORT, "30 May 2028");
    /* A fiscal year from 1 February: 59 days in Q1, 32 in Q2: dates. */
    expect_quarter(2027, 2, 1, 104, 1, CAL_SHORT, "1 Feb 2027");
    /* Two weeks off: 77 of 91 days in Q3, exactly 11 weeks: Q3; a day
     * more, dates. Its second quarter has 76 days in Q4: a run of two
     * quarters from 17 June is named by dates throughout. */
    expect_quarter(2027, 6, 17, 13, 1, CAL_SHORT, "Q3 2027");
    expect_quarter(2027, 6, 16, 13, 1, CAL_SHORT, "16 Jun 2027");
    expect_quarter(2027, 6, 17, 26, 1, CAL_SHORT, "17 Jun 2027");
}

/* A run long enough for its 364-day years to drift two weeks off the
 * calendar is named by dates throughout, not by a quarter it is not. */
static void test_drift(void **state)
{
    (void)state;
    expect_quarter(2027, 7, 1, 52 * 10, 40, CAL_SHORT, "Q2 2037");
    expect_quarter(2027, 7, 1, 52 * 12, 1, CAL_SHORT, "1 Jul 2027");
    expect_quarter(2027, 7, 1, 52 * 12, 48, CAL_SHORT, "17 Mar 2039");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_civil_round_trip),
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_undated),
        cmocka_unit_test(test_calendar_quarters),
        cmocka_unit_test(test_mid_quarter),
        cmocka_unit_test(test_drift),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
