/*
 * Tests of output_num: every number of the CSVs is written by it, and it
 * must write exactly the bytes of snprintf's %.10g (with -0 as 0), which
 * the CSVs were written with before it had a fast path of its own. Checked
 * against snprintf on values chosen to hit every branch and edge: each
 * power of ten and its neighbours, the switch between fixed and
 * scientific notation, values that round up to the next power, exact ties
 * at the tenth digit, integers, and a million doubles of random bits and
 * of random magnitude.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <float.h>
#include <math.h>

#include "output.h"
#include "rng.h"

static long checked;

static void check(double x)
{
    char got[64], want[64];
    output_num(got, sizeof got, x);
    snprintf(want, sizeof want, "%.10g", x == 0.0 ? 0.0 : x);
    if (strcmp(got, want) != 0)
        fail_msg("output_num(%a): \"%s\", snprintf: \"%s\"", x, got, want);
    checked++;
}

static void check_both_signs(double x)
{
    check(x);
    check(-x);
}

/* Powers of ten, their neighbours and values that round up to them. */
static void test_edges(void **state)
{
    (void)state;
    const double special[] = {0.0,
                              -0.0,
                              1.0,
                              0.5,
                              0.1,
                              1e-4,
                              9.9999999995e-5,
                              1e-5,
                              9.99999999949e-5,
                              9999999999.5,
                              9999999999.4,
                              1e10,
                              999999999.95,
                              DBL_MIN,
                              DBL_MAX,
                              DBL_TRUE_MIN,
                              INFINITY,
                              NAN,
                              123456789012.0,
                              2.5,
                              0.125,
                              1.0000000005,
                              3.0000000015,
                              0.30000000000000004};
    for (size_t i = 0; i < sizeof special / sizeof special[0]; i++)
        check_both_signs(special[i]);
    for (int e = -320; e <= 308; e++) {
        double p = pow(10.0, e);
        check_both_signs(p);
        check_both_signs(nextafter(p, 0.0));
        check_both_signs(nextafter(p, INFINITY));
        /* just below a power: rounds up to it at 10 digits */
        check_both_signs(p * (1 - 4e-11));
        check_both_signs(p * (1 - 6e-11));
        check_both_signs(p * 9.9999999995);
    }
}

/* Ties at the tenth digit (exact in binary: k + 1/2 times a power of two
 * that is also a power of ten's divisor) and integers of every length. */
static void test_ties_and_integers(void **state)
{
    (void)state;
    for (uint64_t k = 1000000000; k < 1000000000 + 4000; k++) {
        check_both_signs((double)k + 0.5);       /* 11 digits, a tie */
        check_both_signs(((double)k + 0.5) / 8); /* ties at other scales */
        check_both_signs(((double)k + 0.5) * 1024);
        check_both_signs((double)k * 10 + 5);
    }
    uint64_t v = 1;
    for (int i = 0; i < 19; i++, v *= 10)
        for (uint64_t d = 0; d < 20; d++) {
            check_both_signs((double)(v + d));
            check_both_signs((double)(v * 5 + d));
        }
}

/* Random bit patterns (every exponent) and random magnitudes in the range
 * of the CSVs (1e-20 to 1e20), and values with few digits (money, counts,
 * shares) that end in many zeros. */
static void test_random(void **state)
{
    (void)state;
    struct rng_xoshiro st;
    rng_xoshiro_seed(&st, UINT64_C(20261205));
    for (int i = 0; i < 400000; i++) {
        uint64_t b = rng_xoshiro_next(&st);
        double x;
        memcpy(&x, &b, sizeof x);
        check(x);
    }
    for (int i = 0; i < 400000; i++) {
        double u = rng_xoshiro_double(&st);
        check_both_signs(pow(10.0, 40 * u - 20) * (1 + u));
    }
    for (int i = 0; i < 200000; i++) {
        double u = rng_xoshiro_double(&st);
        double scale = pow(10.0, (int)(u * 16) - 6);
        check_both_signs(floor(u * 1e6) * scale);
    }
    /* sums and ratios as the summaries make them */
    double acc = 0;
    for (int i = 0; i < 100000; i++) {
        acc += rng_xoshiro_double(&st) * 1000;
        check_both_signs(acc / (i + 1));
    }
}

/* A short buffer still gets snprintf's truncated string. */
static void test_short_buffer(void **state)
{
    (void)state;
    char got[8], want[64];
    output_num(got, sizeof got, 1234.56789);
    snprintf(want, sizeof want, "%.10g", 1234.56789);
    want[sizeof got - 1] = '\0'; /* what snprintf keeps of it in 8 bytes */
    assert_string_equal(got, want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_edges),
        cmocka_unit_test(test_ties_and_integers),
        cmocka_unit_test(test_random),
        cmocka_unit_test(test_short_buffer),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    fprintf(stderr, "output_num: %ld values checked against snprintf\n",
            checked);
    return rc;
}
