/*
 * Tests of the finite market ([market] accounts, cooling_days;
 * docs/model.md, "A finite market"): an unlimited market is today's
 * model, and a market too big to bind draws nothing the others see;
 * accounts are conserved at every week of the baseline and of every
 * scenario; a draining market creates a binomial number of
 * opportunities; cooling accounts come back after exactly cooling_days
 * (a recount from the trace); checkpoints and zero-length interventions
 * stay exact; bad input gets FILE:LINE and status 2. Seeds are fixed;
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
#include "robust_util.h"

#include "../sim/model_int.h" /* the market's counters */

#define DATA "tests/data/"

static double *raw_alloc(const struct params *p)
{
    size_t n = (size_t)(p->sim.warmup_weeks + p->sim.horizon_weeks) * RAW_COUNT;
    double *raw = calloc(n, sizeof *raw);
    assert_non_null(raw);
    return raw;
}

static int weeks_total(const struct params *p)
{
    return p->sim.warmup_weeks + p->sim.horizon_weeks;
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

/* An unlimited market ([market] accounts = 0, the default) is the model
 * as it was: test_golden holds its CSVs byte for byte. A market of a
 * billion accounts almost never turns an approach away, and its draws
 * come from their own stream: every metric of every week equals the
 * unlimited market's, bit for bit (at this seed no approach misses;
 * the market's own rows are the only difference). */
static void test_huge_market_is_unlimited(void **state)
{
    (void)state;
    struct params p, q;
    load(&p, DATA "tiny.ini", NULL);
    load(&q, DATA "tiny.ini", "market.accounts=1000000000", NULL);
    assert_int_equal(p.market.accounts, 0);
    double *a = raw_alloc(&p), *b = raw_alloc(&q);
    for (int s = -1; s < (int)p.n_scenarios; s++)
        for (uint64_t rep = 0; rep < 3; rep++) {
            struct model_totals ta, tb;
            run_one(&p, s, rep, a, &ta);
            run_one(&q, s, rep, b, &tb);
            for (int w = 0; w < weeks_total(&p); w++)
                for (int k = 0; k < R_ACCOUNTS_AVAILABLE; k++) {
                    size_t i = (size_t)w * RAW_COUNT + (size_t)k;
                    if (memcmp(&a[i], &b[i], sizeof a[i]) != 0)
                        fail_msg("scenario %d, replication %d, week %d, "
                                 "slot %d: %.17g unlimited, %.17g with a "
                                 "billion accounts",
                                 s, (int)rep, w, k, a[i], b[i]);
                }
            assert_true(memcmp(&ta, &tb, sizeof ta) == 0);
            /* Without a market, its rows stay 0. */
            assert_true(a[R_ACCOUNTS_AVAILABLE] == 0.0);
            assert_true(b[R_ACCOUNTS_AVAILABLE] > 999999000.0);
        }
    free(a);
    free(b);
    params_destroy(&p);
    params_destroy(&q);
}

/* available + open deals + clients + cooling = accounts at the end of
 * every week (warm-up included), in the baseline and every scenario;
 * untouched accounts are available ones and never come back. The model
 * asserts the same at every tick; here it is held against the metrics
 * the CSVs report. A zero-length pull is the baseline, bit for bit. */
static void test_conservation(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "market_cool.ini", NULL);
    int n = p.market.accounts, cooled = 0;
    double *raw = raw_alloc(&p), *base = raw_alloc(&p);
    size_t bytes = (size_t)weeks_total(&p) * RAW_COUNT * sizeof *raw;
    for (uint64_t rep = 0; rep < 4; rep++)
        for (int s = -1; s < (int)p.n_scenarios; s++) {
            run_one(&p, s, rep, raw, NULL);
            if (s == -1)
                memcpy(base, raw, bytes);
            double last_untouched = n;
            for (int w = 0; w < weeks_total(&p); w++) {
                const double *r = raw + (size_t)w * RAW_COUNT;
                double sum = r[R_ACCOUNTS_AVAILABLE] + r[M_PIPELINE_COUNT] +
                             r[M_CLIENTS_ACTIVE] + r[R_ACCOUNTS_COOLING];
                if (sum != n)
                    fail_msg("scenario %d, replication %d, week %d: %g "
                             "available + %g open + %g clients + %g "
                             "cooling = %g, not %d",
                             s, (int)rep, w, r[R_ACCOUNTS_AVAILABLE],
                             r[M_PIPELINE_COUNT], r[M_CLIENTS_ACTIVE],
                             r[R_ACCOUNTS_COOLING], sum, n);
                assert_true(r[R_ACCOUNTS_UNTOUCHED] <= r[R_ACCOUNTS_AVAILABLE]);
                assert_true(r[R_ACCOUNTS_UNTOUCHED] <= last_untouched);
                last_untouched = r[R_ACCOUNTS_UNTOUCHED];
                cooled += r[R_ACCOUNTS_COOLING] > 0;
            }
            const char *id = s >= 0 ? p.scenarios[s].id : "baseline";
            if (!strcmp(id, "zero"))
                assert_true(memcmp(raw, base, bytes) == 0);
        }
    assert_true(cooled > 0); /* the file does exercise cooling */
    free(raw);
    free(base);
    params_destroy(&p);
}

/* A draining market (market_drain.ini): no account ever comes back, so
 * each of the 200 is found at rate 2 x 1.5 / 200 a week, independently,
 * and the opportunities created by week 26 are Binomial(200, p), p = 1 -
 * exp(-0.39) = 0.323. Over 400 replications the mean is held within 4
 * standard errors (0.33 each) and the variance within 25 % (its
 * standard error is about 7 %). No thinning (78 a run) is forty errors
 * away. Then a run long enough to approach every account creates
 * exactly 200 and leaves none. */
static void test_drain_binomial(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "market_drain.ini", NULL);
    double *raw = raw_alloc(&p);
    int reps = 400, n = p.market.accounts;
    double prob = 1.0 - exp(-2 * 1.5 * 26 / (double)n);
    double sum = 0.0, sum2 = 0.0;
    for (int rep = 0; rep < reps; rep++) {
        struct model_totals t;
        run_one(&p, -1, (uint64_t)rep, raw, &t);
        double x = t.opps_created;
        const double *last = raw + (size_t)25 * RAW_COUNT;
        /* Every account created is touched, and none is back. */
        assert_true(last[R_ACCOUNTS_AVAILABLE] == n - x);
        assert_true(last[R_ACCOUNTS_UNTOUCHED] == n - x);
        sum += x;
        sum2 += x * x;
    }
    double mean = sum / reps, var = (sum2 - reps * mean * mean) / (reps - 1);
    double want = n * prob, want_var = n * prob * (1 - prob);
    if (fabs(mean - want) > 4 * sqrt(want_var / reps))
        fail_msg("mean %.3f opportunities, want %.3f (Binomial(%d, %.4f))",
                 mean, want, n, prob);
    if (fabs(var / want_var - 1) > 0.25)
        fail_msg("variance %.3f, want %.3f", var, want_var);
    params_destroy(&p);
    free(raw);

    load(&p, DATA "market_drain.ini", "simulation.horizon_weeks=2000", NULL);
    raw = raw_alloc(&p);
    for (uint64_t rep = 0; rep < 3; rep++) {
        struct model_totals t;
        run_one(&p, -1, rep, raw, &t);
        assert_true(t.opps_created == n);
        const double *last = raw + (size_t)1999 * RAW_COUNT;
        assert_true(last[R_ACCOUNTS_AVAILABLE] == 0.0);
    }
    free(raw);
    params_destroy(&p);
}

/* ---- the trace's recount ---------------------------------------------- */

/* The value of "name=" in a trace line's details, or NAN. */
static double detail(const char *line, const char *name)
{
    char key[64];
    snprintf(key, sizeof key, "%s=", name);
    const char *at = strstr(line, key);
    return at ? strtod(at + strlen(key), NULL) : NAN;
}

/* Recounts the accounts from the trace's bookkeeping: deals open
 * (created or at the start, less won, lost and cold), clients (the
 * initial ones, plus wins, less churn) and the times accounts started
 * cooling. At each approach, the accounts available must be the
 * market's less those, counting as cooling exactly the accounts that
 * started less than cooling_days before: one back a moment early or
 * late would show. Returns the approaches checked. */
static int recount(const struct params *p, char *trace)
{
    int open = 0, clients = p->clients.initial, n = p->market.accounts;
    double c = p->market.cooling_days;
    size_t n_cool = 0, cap = 1024;
    double *cool = malloc(cap * sizeof *cool);
    assert_non_null(cool);
    int checked = 0;
    for (char *line = strtok(trace, "\n"); line; line = strtok(NULL, "\n")) {
        double t = strtod(line, NULL);
        const char *ev = strchr(strchr(line, ',') + 1, ',') + 1;
        if (!strncmp(ev, "opp_created,", 12) || !strncmp(ev, "opp_start,", 10))
            open++;
        else if (!strncmp(ev, "won,", 4))
            open--, clients++;
        else if (!strncmp(ev, "lost,", 5) || !strncmp(ev, "went_cold,", 10) ||
                 !strncmp(ev, "churned,", 8)) {
            if (strncmp(ev, "churned,", 8))
                open--;
            else
                clients--;
            if (n_cool == cap)
                assert_non_null(cool =
                                    realloc(cool, (cap *= 2) * sizeof *cool));
            cool[n_cool++] = t;
        } else if (!strncmp(ev, "approach,", 9)) {
            int cooling = 0, tie = 0;
            for (size_t i = 0; i < n_cool; i++) {
                cooling += cool[i] + c > t;
                tie |= fabs(cool[i] + c - t) < 1e-5;
            }
            if (tie) /* the trace's 6 decimals cannot tell */
                continue;
            double seen = detail(ev, "available");
            if (seen != n - open - clients - cooling)
                fail_msg("%s: the trace recounts %d available (%d open, %d "
                         "clients, %d cooling)",
                         line, n - open - clients - cooling, open, clients,
                         cooling);
            checked++;
        }
    }
    free(cool);
    return checked;
}

static void test_cooling_exact(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "market_cool.ini", NULL);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    assert_non_null(m);
    double *raw = raw_alloc(&p);
    for (uint64_t rep = 0; rep < 3; rep++)
        for (int s = -1; s < (int)p.n_scenarios; s++) {
            char *buf = NULL;
            size_t len = 0;
            FILE *f = open_memstream(&buf, &len);
            assert_non_null(f);
            model_set_trace(m, f);
            if (model_run(m, s, rep, raw, NULL, &e) != 0)
                fail_msg("%s", e.msg);
            model_set_trace(m, NULL);
            fclose(f);
            /* Returns are written once each, when due by then. */
            assert_non_null(strstr(buf, ",account_back,"));
            int checked = recount(&p, buf);
            assert_true(checked > 100);
            free(buf);
        }
    free(raw);
    model_free(m);
    params_destroy(&p);
}

/* Runs from a checkpoint equal runs from scratch with a market: its
 * counters and its queue of cooling accounts travel with the state. */
static void test_checkpoints(void **state)
{
    (void)state;
    struct params p;
    load(&p, DATA "market_cool.ini", NULL);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e), *ref = model_alloc(&p, &e);
    assert_non_null(m);
    assert_non_null(ref);
    double *raw = raw_alloc(&p), *want = raw_alloc(&p);
    size_t bytes = (size_t)weeks_total(&p) * RAW_COUNT * sizeof *raw;
    for (int s = 0; s < (int)p.n_scenarios; s++) {
        struct model_checkpoint *cp =
            model_checkpoint_alloc(&p, model_divergence_tick(&p, s), &e);
        assert_non_null(cp);
        for (uint64_t rep = 0; rep < 3; rep++) {
            struct model_totals t, tw;
            assert_int_equal(model_run_baseline(m, rep, raw, NULL, &cp, 1, &e),
                             0);
            assert_int_equal(model_run(ref, s, rep, want, &tw, &e), 0);
            assert_int_equal(model_run_from(m, cp, s, raw, &t, &e), 0);
            assert_true(memcmp(raw, want, bytes) == 0);
            assert_true(memcmp(&t, &tw, sizeof t) == 0);
        }
        model_checkpoint_free(cp);
    }
    free(raw);
    free(want);
    model_free(m);
    model_free(ref);
    params_destroy(&p);
}

/* ---- the command line ------------------------------------------------- */

/* weekly.csv and quarterly.csv carry the market's rows with a market,
 * and none without. */
static void test_csv_rows(void **state)
{
    (void)state;
    char dir[256], path[320];
    ru_mkdtemp(dir, sizeof dir, "market");
    const char *argv[] = {"run",       "-n", "2", "-q",
                          "--no-plot", "-o", dir, DATA "market_cool.ini",
                          NULL};
    struct proc pr = ru_run(argv, 120.0);
    assert_int_equal(pr.status, 0);
    ru_proc_free(&pr);
    ru_fmt(path, sizeof path, "%s/weekly.csv", dir);
    char *w = ru_read_file(path, NULL);
    assert_non_null(w);
    assert_non_null(strstr(w, "\nbaseline,0,accounts_available,"));
    assert_non_null(strstr(w, "\npull,25,accounts_cooling,"));
    free(w);
    ru_fmt(path, sizeof path, "%s/quarterly.csv", dir);
    char *q = ru_read_file(path, NULL);
    assert_non_null(q);
    assert_non_null(strstr(q, "\nzero,2,accounts_untouched,"));
    free(q);
    ru_rmdir(dir);

    ru_mkdtemp(dir, sizeof dir, "market");
    const char *argv0[] = {
        "run", "-n", "2", "-q", "--no-plot", "-o", dir, DATA "tiny.ini", NULL};
    pr = ru_run(argv0, 120.0);
    assert_int_equal(pr.status, 0);
    ru_proc_free(&pr);
    ru_fmt(path, sizeof path, "%s/weekly.csv", dir);
    w = ru_read_file(path, NULL);
    assert_non_null(w);
    assert_null(strstr(w, "accounts_"));
    free(w);
    ru_rmdir(dir);
}

/* Bad input: FILE:LINE, the message, status 2 and no results. */
static void test_bad_input(void **state)
{
    (void)state;
    static const struct {
        const char *file, *msg;
    } bad[] = {
        {"bad_accounts_negative.ini",
         ":3: [market] accounts = -5 must be in [0, 1000000000]"},
        {"bad_accounts_fraction.ini",
         ":3: [market] accounts: expected a whole number, got '250.5'"},
        {"bad_accounts_uncertain.ini",
         ":3: [market] accounts: uncertain() takes number keys, and this "
         "one is a whole number"},
        {"bad_cooling_alone.ini",
         ":3: [market] cooling_days = 30 needs accounts, the size of the "
         "market"},
        {"bad_cooling_negative.ini",
         ":4: [market] cooling_days = -3 must be >= 0"},
        {"bad_accounts_start.ini",
         ":6: [market] accounts = 100 is fewer than the accounts taken at "
         "the start: 120 clients"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[256], want[512];
        ru_fmt(path, sizeof path, DATA "%s", bad[i].file);
        ru_fmt(want, sizeof want, "%s%s", path, bad[i].msg);
        const char *cmds[][7] = {
            {"check", path, NULL},
            {"run", "-n", "2", "--no-plot", "-o", "/tmp/salescap_market_bad",
             path},
        };
        for (int c = 0; c < 2; c++) {
            const char *argv[8] = {0};
            memcpy(argv, cmds[c], sizeof cmds[c]);
            struct proc pr = ru_run(argv, 60.0);
            assert_int_equal(pr.status, 2);
            if (!strstr(pr.err, want))
                fail_msg("%s: got '%s', want '%s'", bad[i].file, pr.err, want);
            ru_proc_free(&pr);
        }
        struct stat st;
        assert_int_not_equal(stat("/tmp/salescap_market_bad", &st), 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_huge_market_is_unlimited),
        cmocka_unit_test(test_conservation),
        cmocka_unit_test(test_drain_binomial),
        cmocka_unit_test(test_cooling_exact),
        cmocka_unit_test(test_checkpoints),
        cmocka_unit_test(test_csv_rows),
        cmocka_unit_test(test_bad_input),
    };
    return cmocka_run_group_tests_name("market", tests, NULL, NULL);
}
