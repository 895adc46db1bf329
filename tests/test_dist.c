/*
 * Tests of dist: every distribution's sample mean and sd against its spec,
 * the reported mean, the number of uniforms each sampler draws (common
 * random numbers depend on it), canonical formatting, and every parse error
 * message, word for word.
 *
 * Moment checks draw n = 200000 values at a fixed seed and allow 5
 * standard errors: SE(mean) = sd / sqrt(n); SE(sd) = sqrt((m4 - sd^4) / n)
 * / (2 sd), the delta method, with m4 the sample fourth central moment.
 * At a fixed seed the result is deterministic; 5 SE (two-sided normal tail
 * 5.7e-7) keeps a correct sampler passing at essentially any seed, while a
 * wrong parametrisation (say, scale and rate swapped, or sd taken as a
 * variance) misses by hundreds of SE: 5 SE is 1.1 % of the sd.
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

#include <gsl/gsl_randist.h>

#include "dist.h"
#include "rng.h"

#define SEED     UINT64_C(1234)
#define NSAMPLES 200000

static gsl_rng *rng_at(uint64_t key)
{
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256pp);
    assert_non_null(r);
    rng_reseed(r, key);
    return r;
}

static void parse_ok(struct dist *d, const char *spec, int nonneg)
{
    struct err e = {0};
    if (dist_parse(d, spec, nonneg, &e) != 0)
        fail_msg("dist_parse(\"%s\", %d): %s", spec, nonneg, e.msg);
    assert_int_equal(e.kind, ERR_NONE);
}

/* Standard normal pdf and cdf, written here independently of dist.c. */
static double phi(double z)
{
    return exp(-z * z / 2) / sqrt(2 * acos(-1.0));
}
static double Phi(double z)
{
    return 0.5 * (1 + erf(z / sqrt(2.0)));
}

struct moment_case {
    const char *spec;
    int nonneg;
    double mean, sd; /* of the distribution, from its definition */
    double lo, hi;   /* support */
};

static void check_moments(const struct moment_case *c, uint64_t key)
{
    struct dist d;
    parse_ok(&d, c->spec, c->nonneg);
    gsl_rng *r = rng_at(key);
    static double x[NSAMPLES];
    double sum = 0;
    for (int i = 0; i < NSAMPLES; i++) {
        x[i] = dist_sample(&d, r);
        if (!(x[i] >= c->lo && x[i] <= c->hi))
            fail_msg("%s: draw %.17g outside [%g, %g]", c->spec, x[i], c->lo,
                     c->hi);
        sum += x[i];
    }
    gsl_rng_free(r);
    double mean = sum / NSAMPLES, m2 = 0, m4 = 0;
    for (int i = 0; i < NSAMPLES; i++) {
        double dx = x[i] - mean;
        m2 += dx * dx;
        m4 += dx * dx * dx * dx;
    }
    m2 /= NSAMPLES - 1;
    m4 /= NSAMPLES;
    double sd = sqrt(m2);
    double se_mean = c->sd / sqrt(NSAMPLES);
    double se_sd = sqrt((m4 - m2 * m2) / NSAMPLES) / (2 * c->sd);
    print_message("%-28s nonneg=%d mean %12.6g (%+5.2f SE) sd %12.6g "
                  "(%+5.2f SE)\n",
                  c->spec, c->nonneg, mean, (mean - c->mean) / se_mean, sd,
                  (sd - c->sd) / se_sd);
    /* The reported mean is exact (to rounding). */
    if (!(fabs(dist_mean(&d) - c->mean) <= 1e-12 * fabs(c->mean)))
        fail_msg("%s: dist_mean %.17g, want %.17g", c->spec, dist_mean(&d),
                 c->mean);
    if (!(fabs(mean - c->mean) < 5 * se_mean))
        fail_msg("%s: sample mean %.10g, want %.10g +- %.3g (seed key %llu)",
                 c->spec, mean, c->mean, 5 * se_mean, (unsigned long long)key);
    if (!(fabs(sd - c->sd) < 5 * se_sd))
        fail_msg("%s: sample sd %.10g, want %.10g +- %.3g (seed key %llu)",
                 c->spec, sd, c->sd, 5 * se_sd, (unsigned long long)key);
    /* dist_variance is the definition's; dist_quantile(u) has a share u
     * of the draws at or below it (at least u for a discrete spec), to
     * within 5 binomial standard errors. */
    if (!(fabs(dist_variance(&d) - c->sd * c->sd) <= 1e-9 * c->sd * c->sd))
        fail_msg("%s: dist_variance %.17g, want %.17g", c->spec,
                 dist_variance(&d), c->sd * c->sd);
    for (double u = 0.1; u < 0.95; u += 0.2) {
        double q = dist_quantile(&d, u), below = 0, at = 0;
        for (int i = 0; i < NSAMPLES; i++) {
            below += x[i] < q;
            at += x[i] == q;
        }
        double se = 5 * sqrt(u * (1 - u) / NSAMPLES);
        if (!(below / NSAMPLES <= u + se && (below + at) / NSAMPLES >= u - se))
            fail_msg("%s: dist_quantile(%.1f) = %.10g has %.4f of draws "
                     "below, %.4f at it",
                     c->spec, u, q, below / NSAMPLES, at / NSAMPLES);
    }
}

static void test_moments(void **state)
{
    (void)state;
    /* normal(1, 2) clamped at 0: E[X+] = mu Phi(z) + sd phi(z), E[X+^2] =
     * (mu^2 + sd^2) Phi(z) + mu sd phi(z), z = mu / sd. */
    const double mu = 1, s = 2, z = mu / s;
    const double cm = mu * Phi(z) + s * phi(z);
    const double cm2 = (mu * mu + s * s) * Phi(z) + mu * s * phi(z);
    const double inf = HUGE_VAL;
    const struct moment_case cases[] = {
        {"exponential(7)", 1, 7, 7, 0, inf},
        {"uniform(2, 5)", 1, 3.5, 3 / sqrt(12.0), 2, 5},
        {"uniform(-4, -1)", 0, -2.5, 3 / sqrt(12.0), -4, -1},
        {"triangular(1, 2, 6)", 1, 3, sqrt(21.0 / 18), 1, 6},
        {"triangular(0, 0, 3)", 1, 1, sqrt(9.0 / 18), 0, 3},
        {"triangular(0, 3, 3)", 1, 2, sqrt(9.0 / 18), 0, 3},
        {"normal(10, 3)", 0, 10, 3, -inf, inf},
        {"normal(-1, 2)", 0, -1, 2, -inf, inf},
        {"normal(1, 2)", 1, cm, sqrt(cm2 - cm * cm), 0, inf},
        {"lognormal(40000, 20000)", 1, 40000, 20000, 0, inf},
        {"lognormal(1, 0.15)", 1, 1, 0.15, 0, inf},
        {"gamma(30, 10)", 1, 30, 10, 0, inf},
        {"gamma(0.5, 2)", 1, 0.5, 2, 0, inf}, /* shape 1/16 < 1 */
        {"gamma(2, 1)", 1, 2, 1, 0, inf},
        {"beta(0.3, 0.1)", 1, 0.3, 0.1, 0, 1},
        {"beta(0.5, 0.45)", 1, 0.5, 0.45, 0, 1}, /* alpha, beta < 1 */
        {"empirical(1, 2, 2, 10)", 1, 3.75, sqrt(13.1875), 1, 10},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_moments(&cases[i], rng_key(SEED, i));
}

/* Fixed and degenerate specs always return their value and draw nothing:
 * "lognormal(5, 0)" behaves exactly like "5", in the stream too. */
static void test_degenerate(void **state)
{
    (void)state;
    const char *const specs[] = {
        "5",
        "fixed(5)",
        "lognormal(5, 0)",
        "gamma(5, 0)",
        "normal(5, 0)",
        "uniform(5, 5)",
        "triangular(5, 5, 5)",
        "empirical(5)",
    };
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        struct dist d;
        parse_ok(&d, specs[i], 1);
        assert_true(dist_mean(&d) == 5);
        gsl_rng *r = rng_at(SEED), *ref = rng_at(SEED);
        for (int k = 0; k < 10; k++)
            assert_true(dist_sample(&d, r) == 5);
        assert_int_equal(gsl_rng_get(r), gsl_rng_get(ref));
        gsl_rng_free(r);
        gsl_rng_free(ref);
    }
    struct dist d;
    parse_ok(&d, "beta(0.4, 0)", 1);
    gsl_rng *r = rng_at(SEED);
    assert_true(dist_sample(&d, r) == 0.4);
    gsl_rng_free(r);
    dist_fixed(&d, 2.5);
    assert_int_equal(d.kind, DIST_FIXED);
    assert_true(dist_mean(&d) == 2.5);
    assert_true(dist_sample(&d, NULL) == 2.5);
}

/* Inverse-CDF samplers draw exactly one uniform per sample, whatever the
 * value: after k samples the generator is where k uniforms leave it. */
static void test_one_uniform_each(void **state)
{
    (void)state;
    const char *const specs[] = {
        "exponential(3)", "uniform(0, 9)",   "triangular(1, 4, 5)",
        "normal(1, 5)",   "lognormal(4, 3)", "empirical(1, 2, 3)",
    };
    for (size_t i = 0; i < sizeof specs / sizeof specs[0]; i++) {
        for (int nonneg = 0; nonneg <= 1; nonneg++) {
            struct dist d;
            parse_ok(&d, specs[i], nonneg);
            gsl_rng *r = rng_at(SEED + i), *ref = rng_at(SEED + i);
            for (int k = 0; k < 1000; k++) {
                (void)dist_sample(&d, r);
                (void)gsl_rng_uniform(ref);
            }
            if (gsl_rng_get(r) != gsl_rng_get(ref))
                fail_msg("%s draws more than one uniform", specs[i]);
            gsl_rng_free(r);
            gsl_rng_free(ref);
        }
    }
}

/* exponential is -mean * log(1 - U) (rng_exponential), bit for bit; the
 * same value as GSL's -mean * log1p(-U) to the last bit or two. */
static void test_exponential_draw(void **state)
{
    (void)state;
    const double mean = 1.1111111111111112;
    struct dist d;
    parse_ok(&d, "exponential(1.1111111111111112)", 1);
    gsl_rng *a = rng_at(SEED), *b = rng_at(SEED), *c = rng_at(SEED);
    int differ = 0;
    for (int k = 0; k < 10000; k++) {
        double x = dist_sample(&d, a);
        assert_true(x == 0.0 - mean * log(1.0 - gsl_rng_uniform(b)));
        double g = gsl_ran_exponential(c, mean);
        assert_true(fabs(x - g) <= 4 * DBL_EPSILON * g);
        differ += x != g;
    }
    /* They do round differently sometimes (about 7 % of draws). */
    assert_true(differ > 100 && differ < 2000);
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
}

/* A generator that plays back fixed uniforms, for the ends of [0, 1). */
static const double scripted_u[] = {0.0, 0.5, 1.0 - 0x1p-53};
static void scripted_set(void *st, unsigned long seed)
{
    (void)seed;
    *(size_t *)st = 0;
}
static unsigned long scripted_get(void *st)
{
    (void)st;
    return 0;
}
static double scripted_get_double(void *st)
{
    size_t *i = st;
    return scripted_u[(*i)++ % 3];
}
static const gsl_rng_type scripted_type = {
    "scripted",   0xffffffffUL,       0, sizeof(size_t), scripted_set,
    scripted_get, scripted_get_double};

/* U = 0 gives +0 (never -0), U = 1/2 gives mean log 2, and the largest U
 * gives 53 log 2 means, finite: the log never sees 0. */
static void test_exponential_ends(void **state)
{
    (void)state;
    struct dist d;
    parse_ok(&d, "exponential(2)", 1);
    gsl_rng *r = gsl_rng_alloc(&scripted_type);
    assert_non_null(r);
    double x0 = dist_sample(&d, r), x1 = dist_sample(&d, r),
           x2 = dist_sample(&d, r);
    assert_true(x0 == 0 && !signbit(x0));
    assert_true(x1 == 2 * log(2.0));
    assert_true(isfinite(x2) && fabs(x2 - 2 * 53 * log(2.0)) < 1e-12);
    double x3 = rng_exponential(r, 2); /* the script again from U = 0 */
    assert_true(x3 == 0 && !signbit(x3));
    gsl_rng_free(r);
}

/* The same stream key gives the same draws (what CRN relies on), with
 * either generator. */
static void test_reproducible(void **state)
{
    (void)state;
    struct dist d;
    parse_ok(&d, "gamma(30, 10)", 1);
    const gsl_rng_type *types[] = {rng_type(RNG_XOSHIRO256PP),
                                   rng_type(RNG_MT19937)};
    for (int t = 0; t < 2; t++) {
        gsl_rng *a = gsl_rng_alloc(types[t]), *b = gsl_rng_alloc(types[t]);
        rng_reseed(a, rng_key(SEED, 77));
        rng_reseed(b, rng_key(SEED, 77));
        for (int k = 0; k < 1000; k++)
            assert_true(dist_sample(&d, a) == dist_sample(&d, b));
        gsl_rng_free(a);
        gsl_rng_free(b);
    }
}

static void check_format(const char *spec, const char *want)
{
    struct dist d, again;
    char buf[256];
    parse_ok(&d, spec, 0);
    int n = dist_format(&d, buf, sizeof buf);
    if (strcmp(buf, want) != 0)
        fail_msg("dist_format(\"%s\") = \"%s\", want \"%s\"", spec, buf, want);
    assert_int_equal(n, (int)strlen(want));
    /* The canonical form parses to the same kind and formats to itself. */
    char buf2[256];
    parse_ok(&again, buf, 0);
    assert_int_equal(again.kind, d.kind);
    dist_format(&again, buf2, sizeof buf2);
    assert_string_equal(buf2, buf);
}

static void test_format(void **state)
{
    (void)state;
    check_format("  gamma( 30 ,10 )  ", "gamma(30, 10)");
    check_format("3.50", "3.5");
    check_format("+2", "2");
    check_format("-0", "0");
    check_format("fixed(2)", "2");
    check_format("1e3", "1000");
    check_format(".5", "0.5");
    /* Numbers read back exactly (run.ini reproduces the run): %.10g when
     * that is enough, else as many digits as it takes. */
    check_format("exponential(1.1111111111111112)",
                 "exponential(1.1111111111111112)");
    check_format("1.7976931348623157e308", "1.7976931348623157e+308");
    check_format("uniform(0,1)", "uniform(0, 1)");
    check_format("triangular(1,2,3)", "triangular(1, 2, 3)");
    check_format("normal(0.1, 1e-3)", "normal(0.1, 0.001)");
    check_format("lognormal(40000, 20000)", "lognormal(40000, 20000)");
    check_format("beta(0.3,0.1)", "beta(0.3, 0.1)");
    check_format("empirical(1,2.5, 1e6)", "empirical(1, 2.5, 1000000)");
    check_format("1e-999", "0"); /* underflow is a (tiny) number */

    /* Truncation: returns the full length, writes what fits. */
    struct dist d;
    char small[5];
    parse_ok(&d, "gamma(30, 10)", 1);
    assert_int_equal(dist_format(&d, small, sizeof small), 13);
    assert_string_equal(small, "gamm");
    assert_int_equal(dist_format(&d, NULL, 0), 13);

    /* 64 values is the most; they all come back. */
    char spec[1024] = "empirical(0";
    for (int i = 1; i < DIST_EMPIRICAL_MAX; i++)
        snprintf(spec + strlen(spec), sizeof spec - strlen(spec), ", %d", i);
    strcat(spec, ")");
    check_format(spec, spec);
    parse_ok(&d, spec, 1);
    assert_int_equal(d.n, DIST_EMPIRICAL_MAX);
    assert_true(dist_mean(&d) == 31.5);
}

/* The derived sampler parameters, as documented. */
static void test_derived(void **state)
{
    (void)state;
    struct dist d;
    parse_ok(&d, "gamma(30, 10)", 1);
    assert_true(fabs(d.a - 9) < 1e-12);        /* shape m^2 / s^2 */
    assert_true(fabs(d.b - 10.0 / 3) < 1e-12); /* scale s^2 / m */
    parse_ok(&d, "lognormal(40000, 20000)", 1);
    double s2 = log1p(0.25);
    assert_true(fabs(d.b - sqrt(s2)) < 1e-12);              /* sigma */
    assert_true(fabs(d.a - (log(40000) - s2 / 2)) < 1e-12); /* zeta */
    parse_ok(&d, "beta(0.3, 0.1)", 1);
    assert_true(fabs(d.a - 0.3 * 20) < 1e-12); /* nu = .21/.01 - 1 = 20 */
    assert_true(fabs(d.b - 0.7 * 20) < 1e-12);
    parse_ok(&d, "normal(-1, 2)", 0);
    assert_true(d.mean == -1);
    assert_int_equal(d.nonneg, 0);
    parse_ok(&d, "normal(0, 2)", 1);
    assert_true(fabs(d.mean - 2 * phi(0)) < 1e-15);
    assert_int_equal(d.nonneg, 1);
}

struct bad_case {
    const char *spec;
    int nonneg;
    const char *msg;
};

static const struct bad_case bad_cases[] = {
    /* not a spec at all */
    {"", 0,
     "expected a number or a distribution like gamma(30, 10), got "
     "an empty value"},
    {"   ", 0,
     "expected a number or a distribution like gamma(30, 10), got "
     "an empty value"},
    {"ten", 0,
     "expected a number or a distribution like gamma(30, 10), got "
     "'ten'"},
    {"3.5 days", 0,
     "expected a number or a distribution like gamma(30, 10), "
     "got '3.5 days'"},
    {"1,5", 0,
     "expected a number or a distribution like gamma(30, 10), got "
     "'1,5'"},
    {"0x10", 0,
     "expected a number or a distribution like gamma(30, 10), got "
     "'0x10'"},
    {"(30, 10)", 0,
     "expected a number or a distribution like gamma(30, 10), "
     "got '(30, 10)'"},
    /* numbers */
    {"nan", 0, "expected a finite number, got 'nan'"},
    {"NaN", 0, "expected a finite number, got 'NaN'"},
    {"inf", 0, "expected a finite number, got 'inf'"},
    {"-inf", 0, "expected a finite number, got '-inf'"},
    {"+Infinity", 0, "expected a finite number, got '+Infinity'"},
    {"1e999", 0, "number out of range, got '1e999'"},
    {"-1e999", 0, "number out of range, got '-1e999'"},
    {"-1", 1, "expected a value >= 0, got -1"},
    /* names */
    {"gama(30, 10)", 0, "unknown distribution 'gama'; did you mean 'gamma'?"},
    {"Gamma(30, 10)", 0,
     "unknown distribution 'Gamma'; did you mean "
     "'gamma'?"},
    {"lognorm(1, 2)", 0,
     "unknown distribution 'lognorm'; did you mean "
     "'lognormal'?"},
    {"exp(3)", 0, "unknown distribution 'exp'; did you mean 'exponential'?"},
    {"gaussian(0, 1)", 0,
     "unknown distribution 'gaussian'; did you mean "
     "'normal'?"},
    {"weibull(1, 2)", 0,
     "unknown distribution 'weibull'; known: fixed, "
     "exponential, uniform, triangular, normal, "
     "lognormal, gamma, beta, empirical, empirical_file"},
    {"gamma", 0, "gamma(mean, sd): expected '(' after 'gamma'"},
    {"gamma 30, 10", 0, "gamma(mean, sd): expected '(' after 'gamma'"},
    /* structure */
    {"gamma(30, 10", 0, "gamma(mean, sd): missing ')'"},
    {"gamma(30, 10) days", 0, "gamma(mean, sd): unexpected 'days' after ')'"},
    {"gamma(30, 10))", 0, "gamma(mean, sd): unexpected ')' after ')'"},
    {"gamma(30)", 0, "gamma(mean, sd): expected 2 arguments, got 1"},
    {"gamma(30, 10, 5)", 0, "gamma(mean, sd): expected 2 arguments, got 3"},
    {"gamma()", 0, "gamma(mean, sd): expected 2 arguments, got 0"},
    {"exponential(1, 2)", 0, "exponential(mean): expected 1 argument, got 2"},
    {"triangular(1, 2)", 0,
     "triangular(min, mode, max): expected 3 "
     "arguments, got 2"},
    {"gamma(30, )", 0, "gamma(mean, sd): missing a number for sd"},
    {"gamma(, 10)", 0, "gamma(mean, sd): missing a number for mean"},
    {"gamma(ten, 10)", 0,
     "gamma(mean, sd): expected a number for mean, got "
     "'ten'"},
    {"gamma(30, 1 0)", 0,
     "gamma(mean, sd): expected a number for sd, got "
     "'1 0'"},
    {"gamma(nan, 10)", 0,
     "gamma(mean, sd): mean must be a finite number, "
     "got 'nan'"},
    {"gamma(30, inf)", 0,
     "gamma(mean, sd): sd must be a finite number, got "
     "'inf'"},
    {"gamma(1e999, 10)", 0,
     "gamma(mean, sd): mean is out of range, got "
     "'1e999'"},
    {"nan(1)", 0, "expected a finite number, got 'nan(1)'"},
    /* parameter values */
    {"fixed(-1)", 1, "fixed(x): x must be >= 0, got -1"},
    {"exponential(0)", 0, "exponential(mean): mean must be > 0, got 0"},
    {"exponential(-2)", 0, "exponential(mean): mean must be > 0, got -2"},
    {"uniform(5, 3)", 0,
     "uniform(min, max): min must not exceed max, got 5 "
     "> 3"},
    {"uniform(-1, 3)", 1, "uniform(min, max): min must be >= 0, got -1"},
    {"triangular(1, 5, 3)", 0,
     "triangular(min, mode, max): needs min <= "
     "mode <= max, got 1, 5, 3"},
    {"triangular(2, 1, 3)", 0,
     "triangular(min, mode, max): needs min <= "
     "mode <= max, got 2, 1, 3"},
    {"triangular(-1, 0, 3)", 1,
     "triangular(min, mode, max): min must be >= "
     "0, got -1"},
    {"normal(10, -1)", 0, "normal(mean, sd): sd must be >= 0, got -1"},
    {"normal(-1, 2)", 1, "normal(mean, sd): mean must be >= 0, got -1"},
    {"lognormal(0, 1)", 0, "lognormal(mean, sd): mean must be > 0, got 0"},
    {"lognormal(-5, 1)", 0, "lognormal(mean, sd): mean must be > 0, got -5"},
    {"lognormal(5, -1)", 0, "lognormal(mean, sd): sd must be >= 0, got -1"},
    {"gamma(0, 10)", 0, "gamma(mean, sd): mean must be > 0, got 0"},
    {"gamma(30, -1)", 0, "gamma(mean, sd): sd must be >= 0, got -1"},
    {"gamma(1e300, 1e-300)", 0,
     "gamma(mean, sd): parameters out of range "
     "for sampling"},
    {"beta(0.1, 0.5)", 0,
     "beta(mean, sd): needs sd < sqrt(mean*(1-mean)) = "
     "0.3, got 0.5"},
    {"beta(0.1, 0.3)", 0,
     "beta(mean, sd): needs sd < sqrt(mean*(1-mean)) = "
     "0.3, got 0.3"},
    {"beta(1.5, 0.1)", 0,
     "beta(mean, sd): mean must be between 0 and 1 "
     "(exclusive), got 1.5"},
    {"beta(0, 0.1)", 0,
     "beta(mean, sd): mean must be between 0 and 1 "
     "(exclusive), got 0"},
    {"beta(0.5, -0.1)", 0, "beta(mean, sd): sd must be >= 0, got -0.1"},
    {"empirical()", 0, "empirical(): needs at least one value"},
    {"empirical( )", 0, "empirical(): needs at least one value"},
    {"empirical(1, , 3)", 0, "empirical(): missing a number for value 2"},
    {"empirical(1, x)", 0,
     "empirical(): expected a number for value 2, got "
     "'x'"},
    {"empirical(1, -2)", 1, "empirical(): value 2 must be >= 0, got -2"},
    {"empirical", 0, "empirical(): expected '(' after 'empirical'"},
};

/* Every message, exactly; e gets ERR_CONFIG; d is left as it was. */
static void test_errors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
        const struct bad_case *c = &bad_cases[i];
        struct dist d;
        struct err e = {0};
        dist_fixed(&d, 42);
        if (dist_parse(&d, c->spec, c->nonneg, &e) != -1)
            fail_msg("\"%s\" parsed, want error \"%s\"", c->spec, c->msg);
        if (strcmp(e.msg, c->msg) != 0)
            fail_msg("\"%s\":\n  got  \"%s\"\n  want \"%s\"", c->spec, e.msg,
                     c->msg);
        assert_int_equal(e.kind, ERR_CONFIG);
        assert_int_equal(d.kind, DIST_FIXED);
        assert_true(d.mean == 42);
    }
    /* Too many empirical values. */
    char spec[1024] = "empirical(0";
    for (int i = 1; i <= DIST_EMPIRICAL_MAX; i++)
        snprintf(spec + strlen(spec), sizeof spec - strlen(spec), ", %d", i);
    strcat(spec, ")");
    struct dist d;
    struct err e = {0};
    assert_int_equal(dist_parse(&d, spec, 0, &e), -1);
    assert_string_equal(e.msg, "empirical(): at most 64 values, got 65");
    /* A NULL err is allowed. */
    assert_int_equal(dist_parse(&d, "ten", 0, NULL), -1);
}

/* Accepted edge cases. */
static void test_accepted(void **state)
{
    (void)state;
    struct dist d;
    parse_ok(&d, "\t gamma\t(30,10)\n", 1);
    assert_int_equal(d.kind, DIST_GAMMA);
    parse_ok(&d, "uniform(0, 0)", 1);
    parse_ok(&d, "triangular(0, 0, 0)", 1);
    parse_ok(&d, "-3", 0);
    assert_true(dist_mean(&d) == -3);
    parse_ok(&d, "0", 1);
    parse_ok(&d, "normal(0, 1)", 1);
    parse_ok(&d, "beta(0.5, 0.49)", 1);
    parse_ok(&d, "empirical(-1, 1)", 0);
    assert_true(dist_mean(&d) == 0);
    parse_ok(&d, "1.7976931348623157e308", 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_moments),
        cmocka_unit_test(test_degenerate),
        cmocka_unit_test(test_one_uniform_each),
        cmocka_unit_test(test_exponential_draw),
        cmocka_unit_test(test_exponential_ends),
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_derived),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_accepted),
    };
    return cmocka_run_group_tests_name("dist", tests, NULL, NULL);
}
