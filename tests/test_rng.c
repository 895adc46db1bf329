/*
 * Tests of rng: xoshiro256++ against its published definition and known
 * outputs, seeding by splitmix64, key derivation, basic statistical sanity
 * at a fixed seed, and the mt19937 alternative.
 *
 * Statistical checks use a tolerance of 5 standard errors: at a fixed seed
 * the outcome is deterministic, and 5 SE is loose enough that a correct
 * generator passes at essentially any seed (two-sided normal tail 5.7e-7)
 * yet tight enough to catch a biased or correlated one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <math.h>

#include "rng.h"

#define SEED UINT64_C(42)

/* ----------------------------------------------------------- reference */

/* xoshiro256++ written from the published definition (Blackman and Vigna,
 * "Scrambled linear pseudorandom number generators", 2019), independently
 * of sim/rng.c. */
static uint64_t ref_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t ref_next(uint64_t s[4])
{
    uint64_t result = ref_rotl(s[0] + s[3], 23) + s[0];
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = ref_rotl(s[3], 45);
    return result;
}

/* splitmix64 (Steele, Lea, Flood 2014) as published. */
static uint64_t ref_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));
    z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
    return z ^ (z >> 31);
}

static gsl_rng *alloc_x(uint64_t key)
{
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256pp);
    assert_non_null(r);
    rng_reseed(r, key);
    return r;
}

/* ---------------------------------------------------------------- tests */

static void test_type(void **state)
{
    (void)state;
    gsl_rng *r = alloc_x(SEED);
    assert_string_equal(gsl_rng_name(r), "xoshiro256pp");
    assert_int_equal(gsl_rng_min(r), 0);
    assert_int_equal(gsl_rng_max(r), UINT32_MAX);
    assert_int_equal(gsl_rng_size(r), 4 * sizeof(uint64_t));
    gsl_rng_free(r);
}

/* State {1, 2, 3, 4}: the first outputs are the published test vector
 * (the first is easy by hand: rotl(1 + 4, 23) + 1 = 41943041). get()
 * returns the upper 32 bits, get_double() the upper 53 bits * 2^-53. */
static void test_known_state(void **state)
{
    (void)state;
    static const uint64_t want[] = {
        UINT64_C(41943041),
        UINT64_C(58720359),
        UINT64_C(3588806011781223),
        UINT64_C(3591011842654386),
        UINT64_C(9228616714210784205),
        UINT64_C(9973669472204895162),
    };
    const uint64_t init[4] = {1, 2, 3, 4};
    uint64_t ref[4];
    memcpy(ref, init, sizeof ref);
    for (size_t i = 0; i < 6; i++)
        assert_int_equal(ref_next(ref), want[i]);

    gsl_rng *a = alloc_x(0), *b = alloc_x(0);
    memcpy(gsl_rng_state(a), init, sizeof init);
    memcpy(gsl_rng_state(b), init, sizeof init);
    memcpy(ref, init, sizeof ref);
    for (int i = 0; i < 10000; i++) {
        uint64_t x = ref_next(ref);
        assert_int_equal(gsl_rng_get(a), x >> 32);
        double u = gsl_rng_uniform(b);
        assert_true(u == (double)(x >> 11) * 0x1.0p-53);
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* Seeding expands the key with splitmix64; seed 0 gives the published
 * first four splitmix64 outputs. */
static void test_seeding(void **state)
{
    (void)state;
    static const uint64_t sm0[4] = {
        UINT64_C(0xe220a8397b1dcdaf),
        UINT64_C(0x6e789e6aa1b965f4),
        UINT64_C(0x06c45d188009454f),
        UINT64_C(0xf88bb8a8724c81ec),
    };
    gsl_rng *r = alloc_x(0);
    assert_memory_equal(gsl_rng_state(r), sm0, sizeof sm0);
    const uint64_t keys[] = {1, SEED, UINT64_MAX, UINT64_C(0x8000000000000000)};
    for (size_t k = 0; k < 4; k++) {
        uint64_t x = keys[k], s[4];
        for (int i = 0; i < 4; i++)
            s[i] = ref_splitmix64(&x);
        rng_reseed(r, keys[k]);
        assert_memory_equal(gsl_rng_state(r), s, sizeof s);
        for (int i = 0; i < 100; i++)
            assert_int_equal(gsl_rng_get(r), ref_next(s) >> 32);
    }
    gsl_rng_free(r);
}

static void test_same_key_same_sequence(void **state)
{
    (void)state;
    gsl_rng *a = alloc_x(rng_key(SEED, 7)), *b = alloc_x(0);
    rng_reseed(b, rng_key(SEED, 7));
    for (int i = 0; i < 1000; i++)
        assert_true(gsl_rng_uniform(a) == gsl_rng_uniform(b));
    /* Reseeding rewinds. */
    rng_reseed(a, rng_key(SEED, 7));
    rng_reseed(b, rng_key(SEED, 7));
    for (int i = 0; i < 10; i++)
        assert_int_equal(gsl_rng_get(a), gsl_rng_get(b));
    gsl_rng_free(a);
    gsl_rng_free(b);
}

/* Neighbouring keys give different sequences: no two of 1000 streams share
 * their first 64-bit draw (get returns 32 bits; pair two). */
static void test_different_keys(void **state)
{
    (void)state;
    enum { N = 1000 };
    static uint64_t first[N];
    gsl_rng *r = alloc_x(0);
    for (uint64_t k = 0; k < N; k++) {
        rng_reseed(r, rng_key(SEED, k));
        uint64_t hi = gsl_rng_get(r);
        first[k] = hi << 32 | gsl_rng_get(r);
    }
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            assert_true(first[i] != first[j]);
    gsl_rng_free(r);
}

/* rng_key is a chain: order and position matter, and every component
 * changes the key. */
static void test_key_order(void **state)
{
    (void)state;
    uint64_t ab = rng_key(rng_key(SEED, 1), 2);
    uint64_t ba = rng_key(rng_key(SEED, 2), 1);
    assert_true(ab != ba);
    assert_true(rng_key(SEED, 0) != SEED);
    assert_true(rng_key(SEED, 0) != rng_key(SEED + 1, 0));
    assert_true(rng_key(SEED, 0) != rng_key(SEED, 1));
    assert_true(rng_key(0, 0) != 0);
    /* Deterministic: a pure function of its inputs. */
    assert_true(ab == rng_key(rng_key(SEED, 1), 2));
    /* (seed, 1, 23) and (seed, 12, 3): no accidental concatenation. */
    assert_true(rng_key(rng_key(SEED, 1), 23) != rng_key(rng_key(SEED, 12), 3));
}

/* Mean 1/2 and variance 1/12 of 10^6 uniforms. SE of the mean is
 * sqrt(1/12 / n) = 2.9e-4; SE of the variance is sqrt((mu4 - sigma^4) / n)
 * with mu4 = 1/80, sigma^4 = 1/144: 7.5e-5. Also every value is in [0, 1)
 * and every get() in [min, max]. */
static void test_uniform_moments(void **state)
{
    (void)state;
    const int n = 1000000;
    gsl_rng *r = alloc_x(rng_key(SEED, 100));
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; i++) {
        double u = gsl_rng_uniform(r);
        assert_true(u >= 0 && u < 1);
        sum += u;
        sum2 += u * u;
    }
    double mean = sum / n, var = sum2 / n - mean * mean;
    double se_mean = sqrt(1.0 / 12 / n);
    double se_var = sqrt((1.0 / 80 - 1.0 / 144) / n);
    print_message("uniform: mean %.6f (%.2f SE), var %.6f (%.2f SE)\n", mean,
                  (mean - 0.5) / se_mean, var, (var - 1.0 / 12) / se_var);
    assert_true(fabs(mean - 0.5) < 5 * se_mean);
    assert_true(fabs(var - 1.0 / 12) < 5 * se_var);
    /* get(): 32-bit values, both halves used. */
    unsigned long hi = 0, lo = 0xffffffffUL;
    for (int i = 0; i < 100000; i++) {
        unsigned long x = gsl_rng_get(r);
        assert_true(x <= 0xffffffffUL);
        hi = x > hi ? x : hi;
        lo = x < lo ? x : lo;
    }
    assert_true(hi > 0xfff00000UL && lo < 0x00100000UL);
    gsl_rng_free(r);
}

static double correlation(const double *x, const double *y, int n)
{
    double mx = 0, my = 0, sxy = 0, sxx = 0, syy = 0;
    for (int i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= n;
    my /= n;
    for (int i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / sqrt(sxx * syy);
}

/* Streams of consecutive keys look independent. Under independence the
 * sample correlation of n pairs has SE 1/sqrt(n); we allow 5 SE.
 * (a) Two long streams side by side, keys (seed, 0) and (seed, 1).
 * (b) The CRN use: the j-th draw of stream k against the j-th draw of
 *     stream k + 1, over many k (here the first and the third draw). */
static void test_stream_independence(void **state)
{
    (void)state;
    enum { N = 100000 };
    static double x[N], y[N];
    gsl_rng *a = alloc_x(rng_key(SEED, 0)), *b = alloc_x(rng_key(SEED, 1));
    for (int i = 0; i < N; i++) {
        x[i] = gsl_rng_uniform(a);
        y[i] = gsl_rng_uniform(b);
    }
    double lim = 5 / sqrt((double)N);
    double c = correlation(x, y, N);
    print_message("long streams: corr %.5f (limit %.5f)\n", c, lim);
    assert_true(fabs(c) < lim);
    for (int draw = 1; draw <= 3; draw += 2) {
        for (int k = 0; k < N; k++) {
            rng_reseed(a, rng_key(rng_key(SEED, 5), (uint64_t)k));
            rng_reseed(b, rng_key(rng_key(SEED, 5), (uint64_t)k + 1));
            for (int j = 0; j < draw; j++) {
                x[k] = gsl_rng_uniform(a);
                y[k] = gsl_rng_uniform(b);
            }
        }
        c = correlation(x, y, N);
        print_message("draw %d of keys k, k+1: corr %.5f\n", draw, c);
        assert_true(fabs(c) < lim);
        /* and the draws of consecutive keys are themselves uniform */
        double m = 0;
        for (int k = 0; k < N; k++)
            m += x[k];
        assert_true(fabs(m / N - 0.5) < 5 * sqrt(1.0 / 12 / N));
    }
    gsl_rng_free(a);
    gsl_rng_free(b);
}

static void test_kinds(void **state)
{
    (void)state;
    enum rng_kind k = RNG_MT19937;
    assert_int_equal(rng_kind_parse("xoshiro256pp", &k), 0);
    assert_int_equal(k, RNG_XOSHIRO256PP);
    assert_int_equal(rng_kind_parse("mt19937", &k), 0);
    assert_int_equal(k, RNG_MT19937);
    assert_int_equal(rng_kind_parse("MT19937", &k), -1);
    assert_int_equal(rng_kind_parse("taus2", &k), -1);
    assert_int_equal(rng_kind_parse("", &k), -1);
    assert_string_equal(rng_kind_name(RNG_XOSHIRO256PP), "xoshiro256pp");
    assert_string_equal(rng_kind_name(RNG_MT19937), "mt19937");
    assert_ptr_equal(rng_type(RNG_XOSHIRO256PP), rng_xoshiro256pp);
    assert_ptr_equal(rng_type(RNG_MT19937), gsl_rng_mt19937);
}

/* mt19937 works through the same calls: reseeding with a key rewinds to
 * the same sequence, and distinct keys differ. It keeps only the low 32
 * bits of the key (GSL's seeding), which is why xoshiro256pp is the
 * default: keys that differ only in the high half alias. */
static void test_mt19937(void **state)
{
    (void)state;
    gsl_rng *r = gsl_rng_alloc(rng_type(RNG_MT19937));
    assert_non_null(r);
    assert_string_equal(gsl_rng_name(r), "mt19937");
    uint64_t key = rng_key(SEED, 3);
    double first[100];
    rng_reseed(r, key);
    for (int i = 0; i < 100; i++)
        first[i] = gsl_rng_uniform(r);
    rng_reseed(r, key);
    for (int i = 0; i < 100; i++)
        assert_true(gsl_rng_uniform(r) == first[i]);
    rng_reseed(r, rng_key(SEED, 4));
    int same = 0;
    for (int i = 0; i < 100; i++)
        same += gsl_rng_uniform(r) == first[i];
    assert_true(same < 3);
    rng_reseed(r, key ^ (UINT64_C(1) << 40));
    for (int i = 0; i < 100; i++)
        assert_true(gsl_rng_uniform(r) == first[i]); /* aliasing */
    double sum = 0;
    for (int i = 0; i < 100000; i++)
        sum += gsl_rng_uniform(r);
    assert_true(fabs(sum / 100000 - 0.5) < 5 * sqrt(1.0 / 12 / 100000));
    gsl_rng_free(r);
    /* xoshiro256pp does not alias on the high half. */
    gsl_rng *x = alloc_x(key), *y = alloc_x(key ^ (UINT64_C(1) << 40));
    assert_true(gsl_rng_get(x) != gsl_rng_get(y) ||
                gsl_rng_get(x) != gsl_rng_get(y));
    gsl_rng_free(x);
    gsl_rng_free(y);
}

/* gsl_rng_uniform_pos never returns 0; gsl_rng_uniform_int stays in range
 * (both rely on min, max and get being right). */
static void test_gsl_helpers(void **state)
{
    (void)state;
    gsl_rng *r = alloc_x(rng_key(SEED, 9));
    long counts[10] = {0};
    for (int i = 0; i < 100000; i++) {
        assert_true(gsl_rng_uniform_pos(r) > 0);
        unsigned long k = gsl_rng_uniform_int(r, 10);
        assert_true(k < 10);
        counts[k]++;
    }
    /* Each count is binomial(1e5, 0.1): sd sqrt(9000) = 95; 5 sd = 474. */
    for (int k = 0; k < 10; k++)
        assert_true(labs(counts[k] - 10000) < 474);
    gsl_rng_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_type),
        cmocka_unit_test(test_known_state),
        cmocka_unit_test(test_seeding),
        cmocka_unit_test(test_same_key_same_sequence),
        cmocka_unit_test(test_different_keys),
        cmocka_unit_test(test_key_order),
        cmocka_unit_test(test_uniform_moments),
        cmocka_unit_test(test_stream_independence),
        cmocka_unit_test(test_kinds),
        cmocka_unit_test(test_mt19937),
        cmocka_unit_test(test_gsl_helpers),
    };
    return cmocka_run_group_tests_name("rng", tests, NULL, NULL);
}
