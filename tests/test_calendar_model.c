/*
 * Tests of the model's calendar ([calendar]; docs/model.md, "The
 * calendar"): a flat calendar is no calendar, bit for bit; a month's
 * multiplier scales the opportunities created in its weeks (0 stops
 * them exactly, 2 doubles them within Poisson noise); holidays take
 * exactly their share of the hours in exactly their weeks, and the hours
 * not worked are counted; buyer speed shortens the cycle; the
 * quarter-end push moves wins into a quarter's last weeks from the
 * next quarter's first; vacation_days takes each person's own weeks off,
 * exactly their days' hours a year; zero-length interventions and
 * checkpoints stay
 * exact; bad input gets FILE:LINE and status 2. Seeds are fixed;
 * tolerances are set where they are used.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "model.h"
#include "params_util.h"

#define DATA  "tests/data/"
#define START "simulation.start_date=2027-01-04"

static int weeks_total(const struct params *p)
{
    return p->sim.warmup_weeks + p->sim.horizon_weeks;
}

static double *raw_alloc(const struct params *p)
{
    double *raw = calloc((size_t)weeks_total(p) * RAW_COUNT, sizeof *raw);
    assert_non_null(raw);
    return raw;
}

/* Runs scenario s (-1: the baseline) of replication rep into raw. */
static void run_one(const struct params *p, int s, uint64_t rep, double *raw,
                    struct model_totals *tot)
{
    struct err e = {0};
    struct model *m = model_alloc(p, &e);
    assert_non_null(m);
    if (model_run(m, s, rep, raw, tot, &e) != 0)
        fail_msg("%s", e.msg);
    model_free(m);
}

/* Metric k of week w of raw. */
static double at(const double *raw, int w, int k)
{
    return raw[(size_t)w * RAW_COUNT + (size_t)k];
}

/* Every slot of every week and the totals of p and q are the same, bit
 * for bit, in the baseline and every scenario of replications 0-2. */
static void same_runs(const struct params *p, const struct params *q)
{
    double *a = raw_alloc(p), *b = raw_alloc(q);
    size_t bytes = (size_t)weeks_total(p) * RAW_COUNT * sizeof *a;
    for (int s = -1; s < (int)p->n_scenarios; s++)
        for (uint64_t rep = 0; rep < 3; rep++) {
            struct model_totals ta, tb;
            run_one(p, s, rep, a, &ta);
            run_one(q, s, rep, b, &tb);
            assert_true(memcmp(a, b, bytes) == 0);
            assert_true(memcmp(&ta, &tb, sizeof ta) == 0);
        }
    free(a);
    free(b);
}

/* A calendar whose keys change nothing (twelve 1s, a holiday with all
 * its hours, a push at speed 1, a holiday of another year) resolves to
 * no calendar and runs as the file without one, bit for bit (the golden
 * files hold the latter). */
static void test_flat_is_none(void **state)
{
    (void)state;
    struct params p, q, r;
    load(&p, DATA "tiny.ini", START, NULL);
    load(&q, DATA "tiny.ini", START,
         "calendar.opportunities_by_month=1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1",
         "calendar.buyer_speed_by_month=1,1,1,1,1,1,1,1,1,1,1,1",
         "calendar.sales_holidays=1, 2027-02-01",
         "calendar.holiday_hours_share=1", "calendar.quarter_end_weeks=2",
         NULL);
    load(&r, DATA "tiny.ini", START, "calendar.ops_holidays=1999-12-24",
         "calendar.quarter_end_weeks=3", NULL);
    assert_null(q.calendar.week);
    assert_null(r.calendar.week);
    same_runs(&p, &q);
    same_runs(&p, &r);
    params_destroy(&p);
    params_destroy(&q);
    params_destroy(&r);
}

/* Opportunities created in the weeks whose first day is in `month`
 * (1-12), and in all weeks, summed over n replications of the baseline. */
static void count_opps(const struct params *p, int n, const int *in_month,
                       double *month, double *all)
{
    double *raw = raw_alloc(p);
    *month = *all = 0.0;
    for (int rep = 0; rep < n; rep++) {
        run_one(p, -1, (uint64_t)rep, raw, NULL);
        for (int w = 0; w < weeks_total(p); w++) {
            double x = at(raw, w, M_OPPORTUNITIES_CREATED);
            *all += x;
            if (in_month[w])
                *month += x;
        }
    }
    free(raw);
}

/* July at 0 stops prospecting in its weeks exactly (the tick that opens
 * such a week comes before any arrival due then); July at 2 doubles its
 * opportunities: prospecting runs in operational time, so the count in
 * those weeks is Poisson with twice the mean. With N1 counted flat and N2
 * doubled, N2 - 2 N1 has a standard deviation of at most
 * sqrt(N2 + 4 N1) (less: the runs share their draws): 4 of them is the
 * tolerance. */
static void test_month_scales_opportunities(void **state)
{
    (void)state;
    struct params flat, zero, twice;
    const char *zero_july =
        "calendar.opportunities_by_month=1,1,1,1,1,1,0,1,1,1,1,1";
    const char *twice_july =
        "calendar.opportunities_by_month=1,1,1,1,1,1,2,1,1,1,1,1";
    /* A start on 7 June 2027 runs from 12 April (warm-up) to December. */
    load(&flat, DATA "tiny.ini", "simulation.start_date=2027-06-07", NULL);
    load(&zero, DATA "tiny.ini", "simulation.start_date=2027-06-07", zero_july,
         NULL);
    load(&twice, DATA "tiny.ini", "simulation.start_date=2027-06-07",
         twice_july, NULL);
    assert_non_null(twice.calendar.week);
    int n_w = weeks_total(&flat), july = 0;
    int *in_july = calloc((size_t)n_w, sizeof *in_july);
    assert_non_null(in_july);
    for (int w = 0; w < n_w; w++) {
        in_july[w] = twice.calendar.week[w].opps == 2.0;
        july += in_july[w];
        assert_true(zero.calendar.week[w].opps == (in_july[w] ? 0.0 : 1.0));
    }
    assert_int_equal(july, 4); /* 5, 12, 19 and 26 July 2027 */
    double m0, a0, m1, a1, m2, a2;
    count_opps(&zero, 40, in_july, &m0, &a0);
    assert_true(m0 == 0.0);
    assert_true(a0 > 0.0);
    count_opps(&flat, 200, in_july, &m1, &a1);
    count_opps(&twice, 200, in_july, &m2, &a2);
    assert_true(m1 > 300.0);
    double z = (m2 - 2.0 * m1) / sqrt(m2 + 4.0 * m1);
    if (fabs(z) > 4.0)
        fail_msg("July: %g opportunities flat, %g at 2 (z = %.2f)", m1, m2, z);
    free(in_july);
    params_destroy(&flat);
    params_destroy(&zero);
    params_destroy(&twice);
}

/* Holidays: in a listed week each rep works holiday_hours_share of their
 * hours, every activity alike, and every other week all of them; the
 * hours of a week's rep categories add up to exactly that; ops staff
 * likewise in their own weeks. Over the run the hours worked plus the
 * hours not worked are the hours of the people employed. Week 1 of 2027
 * (ISO) starts on 4 January, reported week 0; 2027-01-20 is in reported
 * week 2, and ISO week 5 is reported week 4. */
static void test_holiday_hours(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "tiny.ini", START, "calendar.sales_holidays=1, 2027-01-20",
         "calendar.ops_holidays=5", "calendar.holiday_hours_share=0.25", NULL);
    const int w0 = p.sim.warmup_weeks;
    const double share = 0.25;
    double *raw = raw_alloc(&p);
    for (int s = -1; s < (int)p.n_scenarios; s++)
        for (uint64_t rep = 0; rep < 3; rep++) {
            struct model_totals t;
            run_one(&p, s, rep, raw, &t);
            double people_hours = 0.0, ops_hours = 0.0, off = 0.0;
            for (int w = 0; w < weeks_total(&p); w++) {
                int sales_off = w == w0 || w == w0 + 2;
                int ops_off = w == w0 + 4;
                double f = sales_off ? share : 1.0;
                double reps = at(raw, w, M_REPS_ACTIVE);
                double worked = 0.0;
                for (int k = M_REP_HOURS_PROSPECTING; k <= M_REP_HOURS_IDLE;
                     k++)
                    worked += at(raw, w, k);
                double want = reps * p.sales.role.hours_per_week * f;
                if (fabs(worked - want) > 1e-9 * (want + 1.0))
                    fail_msg("scenario %d, week %d: %.12g rep hours, want "
                             "%.12g",
                             s, w, worked, want);
                people_hours += reps * p.sales.role.hours_per_week;
                double staff =
                    at(raw, w, M_OPS_STAFF_ACTIVE) * p.ops.role.hours_per_week;
                ops_hours += staff;
                if (ops_off)
                    off += staff * (1.0 - share);
            }
            assert_true(fabs(t.rep_hours_available + t.rep_hours_away -
                             people_hours) <= 1e-9 * people_hours);
            assert_true(t.rep_hours_away > 0.0);
            assert_true(fabs(t.ops_hours_available + t.ops_hours_away -
                             ops_hours) <= 1e-9 * ops_hours);
            assert_true(fabs(t.ops_hours_away - off) <= 1e-9 * off);
            assert_true(off > 0.0);
        }
    free(raw);
    params_destroy(&p);
}

/* vacation_days: over two years (104 ticks) with nobody leaving, the
 * hours away are exactly each person's days off (12 days: two weeks
 * and 2/5 of a third for a rep; 20 days: four weeks for ops). Every
 * week a rep's hours are 45, 0 or 45 x 3/5, so the team's hours away
 * are a multiple of 45/5; people take their weeks at different times
 * (no week has everybody away), and another replication draws other
 * weeks. */
static void test_vacation(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "tiny.ini", "simulation.horizon_weeks=96",
         "sales.vacation_days=12", "operations.vacation_days=20", NULL);
    assert_int_equal(weeks_total(&p), 104);
    const int reps = p.sales.role.count, staff = p.ops.role.count;
    const double hpw = p.sales.role.hours_per_week;
    double *raw = raw_alloc(&p), *raw1 = raw_alloc(&p);
    size_t bytes = (size_t)weeks_total(&p) * RAW_COUNT * sizeof *raw;
    struct model_totals t;
    run_one(&p, -1, 0, raw, &t);
    run_one(&p, -1, 1, raw1, NULL);
    assert_true(memcmp(raw, raw1, bytes) != 0);
    double want = reps * 2 * (12.0 / 5.0) * hpw;
    assert_true(fabs(t.rep_hours_away - want) <= 1e-9 * want);
    want = staff * 2 * 4.0 * p.ops.role.hours_per_week;
    assert_true(fabs(t.ops_hours_away - want) <= 1e-9 * want);
    double most = 0.0;
    for (int w = 0; w < weeks_total(&p); w++) {
        assert_true(at(raw, w, M_REPS_ACTIVE) == reps);
        double worked = 0.0;
        for (int k = M_REP_HOURS_PROSPECTING; k <= M_REP_HOURS_IDLE; k++)
            worked += at(raw, w, k);
        double away = (reps * hpw - worked) / (hpw / 5.0);
        if (fabs(away - round(away)) > 1e-6 || away < -1e-6)
            fail_msg("week %d: %.9g rep hours", w, worked);
        most = fmax(most, away / 5.0);
    }
    assert_true(most >= 1.0 && most < reps);
    free(raw);
    free(raw1);
    params_destroy(&p);
}

/* Mean days from creation to win of the deals won, over n replications
 * of the baseline. */
static double won_cycle(const struct params *p, int n)
{
    double *raw = raw_alloc(p), days = 0.0, won = 0.0;
    for (int rep = 0; rep < n; rep++) {
        run_one(p, -1, (uint64_t)rep, raw, NULL);
        for (int w = 0; w < weeks_total(p); w++) {
            days += at(raw, w, M_CYCLE_DAYS);
            won += at(raw, w, D_CYCLE_DAYS);
        }
    }
    free(raw);
    return days / won;
}

/* Buyers twice as fast all year halve the buyer's part of the cycle; the
 * rep's part stays, so the cycle is shorter, but by less than half. */
static void test_buyer_speed(void **state)
{
    (void)state;
    struct params flat, fast;
    load(&flat, DATA "tiny.ini", START, NULL);
    load(&fast, DATA "tiny.ini", START,
         "calendar.buyer_speed_by_month=2,2,2,2,2,2,2,2,2,2,2,2", NULL);
    double c1 = won_cycle(&flat, 60), c2 = won_cycle(&fast, 60);
    if (!(c2 < 0.85 * c1 && c2 > 0.5 * c1))
        fail_msg("won cycle %.2f days flat, %.2f with fast buyers", c1, c2);
    params_destroy(&flat);
    params_destroy(&fast);
}

/* The push (the last stage's buyers 4 times as fast in the last two
 * weeks of each calendar quarter) wins more deals in those weeks and
 * fewer in the two weeks after them, than the same run without it. */
static void test_quarter_end_push(void **state)
{
    (void)state;
    struct params flat, push;
    load(&flat, DATA "tiny.ini", START, NULL);
    load(&push, DATA "tiny.ini", START, "calendar.quarter_end_weeks=2",
         "calendar.quarter_end_advance=4", NULL);
    int n_w = weeks_total(&flat), n_push = 0;
    int *kind = calloc((size_t)n_w, sizeof *kind); /* 1: push, 2: after */
    assert_non_null(kind);
    for (int w = 0; w < n_w; w++) {
        const struct calendar_week *cw = &push.calendar.week[w];
        assert_true(cw->buyer == 1.0 && cw->opps == 1.0);
        if (cw->buyer_last == 4.0) {
            kind[w] = 1;
            n_push++;
        } else {
            assert_true(cw->buyer_last == 1.0);
        }
    }
    for (int w = 1; w < n_w; w++)
        if (kind[w - 1] == 1 && kind[w] == 0) {
            kind[w] = 2;
            if (w + 1 < n_w)
                kind[w + 1] = 2;
        }
    /* 34 weeks from 9 Nov 2026: the ends of Q4 2026, Q1 and Q2 2027. */
    assert_int_equal(n_push, 6);
    double won[2][3] = {{0}};
    double *raw = raw_alloc(&flat);
    for (int c = 0; c < 2; c++)
        for (int rep = 0; rep < 150; rep++) {
            run_one(c ? &push : &flat, -1, (uint64_t)rep, raw, NULL);
            for (int w = 0; w < n_w; w++)
                won[c][kind[w]] += at(raw, w, M_DEALS_WON);
        }
    if (!(won[1][1] > 1.3 * won[0][1] && won[1][2] < 0.9 * won[0][2]))
        fail_msg("deals won in the push weeks %g flat, %g pushed; in the "
                 "two weeks after, %g flat, %g pushed",
                 won[0][1], won[1][1], won[0][2], won[1][2]);
    free(raw);
    free(kind);
    params_destroy(&flat);
    params_destroy(&push);
}

/* With a calendar that moves everything (months, holidays, a push), a
 * zero-length pull is the baseline, bit for bit, and a scenario run
 * from the baseline's checkpoint is the scenario run from scratch. */
static void test_exact_with_calendar(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "tiny.ini", START,
         "calendar.opportunities_by_month=1,0.8,1.2,1,1,0.5,1,1,1.5,1,1,0.3",
         "calendar.buyer_speed_by_month=0.5,1,1,2,1,1,1,0,1,1,1,0.7",
         "calendar.sales_holidays=1, 3", "calendar.ops_holidays=2",
         "calendar.holiday_hours_share=0.4", "calendar.quarter_end_weeks=2",
         "calendar.quarter_end_advance=3", "sales.vacation_days=8",
         "operations.vacation_days=15", NULL);
    int zero = scenario(&p, "zero"), pull = scenario(&p, "pull");
    double *a = raw_alloc(&p), *b = raw_alloc(&p);
    size_t bytes = (size_t)weeks_total(&p) * RAW_COUNT * sizeof *a;
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    assert_non_null(m);
    int tick = model_divergence_tick(&p, pull);
    struct model_checkpoint *c = model_checkpoint_alloc(&p, tick, &e);
    assert_non_null(c);
    for (uint64_t rep = 0; rep < 4; rep++) {
        struct model_totals ta, tb;
        run_one(&p, -1, rep, a, &ta);
        run_one(&p, zero, rep, b, &tb);
        assert_true(memcmp(a, b, bytes) == 0);
        assert_true(memcmp(&ta, &tb, sizeof ta) == 0);
        if (model_run_baseline(m, rep, b, &tb, &c, 1, &e) != 0)
            fail_msg("%s", e.msg);
        assert_true(memcmp(a, b, bytes) == 0);
        run_one(&p, pull, rep, a, &ta);
        if (model_run_from(m, c, pull, b, &tb, &e) != 0)
            fail_msg("%s", e.msg);
        assert_true(memcmp(a, b, bytes) == 0);
        assert_true(memcmp(&ta, &tb, sizeof ta) == 0);
    }
    model_checkpoint_free(c);
    model_free(m);
    free(a);
    free(b);
    params_destroy(&p);
}

/* Bad calendars stop the binary with FILE:LINE and status 2
 * (test_config checks each message in full). */
static void test_bad_files(void **state)
{
    (void)state;
    static const char *const files[] = {
        "bad_calendar_eleven",  "bad_calendar_negative",
        "bad_calendar_week",    "bad_calendar_holiday",
        "bad_calendar_no_date", "bad_calendar_uncertain",
    };
    check_bad_files(files, sizeof files / sizeof files[0]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flat_is_none),
        cmocka_unit_test(test_month_scales_opportunities),
        cmocka_unit_test(test_holiday_hours),
        cmocka_unit_test(test_vacation),
        cmocka_unit_test(test_buyer_speed),
        cmocka_unit_test(test_quarter_end_push),
        cmocka_unit_test(test_exact_with_calendar),
        cmocka_unit_test(test_bad_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
