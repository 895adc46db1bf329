/*
 * Tests of the economic layer: [costs] and the metrics it feeds
 * (staff_cost, lever_cost, commission, gross_profit, net_value,
 * net_value_npv, lost_net_value), and the contract intervention.
 *
 * Money in tests/data/costs.ini is exact in binary (an ops person costs
 * $1,400 a week, a contractor $3,000), so cost accounting is checked with
 * ==, not within a tolerance: a contractor charged for a week too many or
 * a day too few fails. Conservation (deals, ops work) and the identity
 * of a zero-length contract with the baseline are checked bit for bit.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>
#include <gsl/gsl_errno.h>

#include "config.h"
#include "model.h"
#include "params_util.h"
#include "run.h"
#include "stats.h"

#define COSTS "tests/data/costs.ini"

/* The raw series of replication r of scenario id ("baseline": -1). */
struct series {
    double *raw;
    struct model_totals tot;
    int warmup, weeks;
};

static struct series run_one(const struct params *p, const char *id, uint64_t r)
{
    struct err e = {0};
    struct series x = {NULL, {0}, p->sim.warmup_weeks, p->sim.horizon_weeks};
    x.raw = calloc((size_t)(x.warmup + x.weeks) * RAW_COUNT, sizeof(double));
    assert_non_null(x.raw);
    struct model *m = model_alloc(p, &e);
    assert_non_null(m);
    int s = strcmp(id, "baseline") ? scenario(p, id) : -1;
    if (model_run(m, s, r, x.raw, &x.tot, &e) != 0)
        fail_msg("%s: %s", id, e.msg);
    model_free(m);
    return x;
}

/* Metric m of reported week w. */
static double at(const struct series *x, int w, int m)
{
    return x->raw[(size_t)(x->warmup + w) * RAW_COUNT + (size_t)m];
}

/* Metric m summed over the reported weeks, in week order. */
static double sum(const struct series *x, int m)
{
    double v = 0.0;
    for (int w = 0; w < x->weeks; w++)
        v += at(x, w, m);
    return v;
}

static size_t raw_bytes(const struct series *x)
{
    return (size_t)(x->warmup + x->weeks) * RAW_COUNT * sizeof(double);
}

/* Replication r of the baseline (b) and of scenario id (x) of COSTS, with
 * one override (or NULL). */
struct pair {
    struct params p;
    struct series b, x;
};

static void pair_run(struct pair *pr, const char *id, uint64_t r,
                     const char *set)
{
    load(&pr->p, COSTS, set, NULL);
    pr->b = run_one(&pr->p, "baseline", r);
    pr->x = run_one(&pr->p, id, r);
}

static void pair_free(struct pair *pr)
{
    free(pr->b.raw);
    free(pr->x.raw);
    params_destroy(&pr->p);
}

/* The paired summaries of n replications of COSTS on `jobs` threads. */
static void simulate(struct params *p, struct run_result *res, int jobs, long n)
{
    struct run_opts o = {.jobs = jobs, .replications = n};
    struct err e = {0};
    memset(res, 0, sizeof *res);
    if (run_simulate(p, &o, res, &e) != 0)
        fail_msg("%s", e.msg);
}

/* ---- cost accounting -------------------------------------------------- */

/* Two contractors for 12 weeks at $3,000 a week: $6,000 in each week of
 * the contract, nothing outside it, $72,000 in all, in every replication;
 * the staff's payroll is untouched. */
static void test_contract_cost_exact(void **state)
{
    (void)state;
    for (uint64_t r = 0; r < 3; r++) {
        struct pair pr;
        pair_run(&pr, "contract_ops", r, NULL);
        for (int w = 0; w < pr.x.weeks; w++) {
            double want = w >= 4 && w < 16 ? 6000.0 : 0.0;
            if (at(&pr.x, w, M_LEVER_COST) != want)
                fail_msg("week %d: lever_cost %.17g, want %g", w,
                         at(&pr.x, w, M_LEVER_COST), want);
            assert_true(at(&pr.x, w, M_STAFF_COST) ==
                        at(&pr.b, w, M_STAFF_COST));
            assert_true(at(&pr.b, w, M_LEVER_COST) == 0.0);
        }
        assert_true(sum(&pr.x, M_LEVER_COST) == 72000.0);
        /* Contractors are nobody's staff. */
        assert_true(at(&pr.x, 10, M_OPS_STAFF_ACTIVE) ==
                    at(&pr.b, 10, M_OPS_STAFF_ACTIVE));
        pair_free(&pr);
    }
    /* And in the summaries, the same $72,000 with no spread at all. */
    struct params p;
    struct run_result res;
    load(&p, COSTS, NULL);
    simulate(&p, &res, 2, 4);
    size_t i = run_cmp_index(&res, 1 + scenario(&p, "contract_ops"),
                             res.quarters, M_LEVER_COST);
    assert_true(res.cmp_delta[i].mean == 72000.0);
    assert_true(res.cmp_delta[i].m2 == 0.0);
    run_result_destroy(&res);
    params_destroy(&p);
}

/* Two ops hires decided in week 4 start after the 6-week lead time, in
 * week 10, and are paid $200 a day for every one of the 112 days to the
 * end of week 25, plus a $5,000 fee each on their first day: the
 * lever's cost; the staff's payroll does not move. A fee written as a
 * share is that share of the role's annual cost. */
static void test_hire_cost_exact(void **state)
{
    (void)state;
    struct pair pr;
    pair_run(&pr, "hire_ops", 1, NULL);
    const struct series *x = &pr.x;
    double daily = 72800.0 / 364.0, days = (26 - 10) * 7.0;
    assert_true(daily == 200.0);
    assert_true(sum(x, M_LEVER_COST) == 2 * daily * days + 2 * 5000.0);
    assert_true(at(x, 9, M_LEVER_COST) == 0.0);
    assert_true(at(x, 10, M_LEVER_COST) == 2 * 1400.0 + 2 * 5000.0);
    assert_true(at(x, 11, M_LEVER_COST) == 2 * 1400.0);
    for (int w = 0; w < x->weeks; w++)
        assert_true(at(x, w, M_STAFF_COST) == at(&pr.b, w, M_STAFF_COST));
    assert_true(at(x, 12, M_OPS_STAFF_ACTIVE) ==
                at(&pr.b, 12, M_OPS_STAFF_ACTIVE) + 2);
    pair_free(&pr);

    pair_run(&pr, "hire_ops", 1, "costs.hiring_fee=20%");
    double want = 2 * daily * days + 2 * 0.2 * 72800.0;
    assert_true(fabs(sum(&pr.x, M_LEVER_COST) - want) < 1e-6);
    pair_free(&pr);
}

/* The staff's payroll accrues for everyone employed, week by week: the
 * headcount times a week's cost, through departures (paid to the tick
 * they leave at) and backfills (paid from their first day). */
static void test_staff_cost_follows_headcount(void **state)
{
    (void)state;
    struct params p;
    load(&p, COSTS, "sales.attrition_per_year=1.5",
         "operations.attrition_per_year=1.5", "costs.hiring_fee=0", NULL);
    struct series b = run_one(&p, "baseline", 2);
    const struct cost_params *c = &p.costs;
    int changed = 0;
    for (int w = 0; w < b.weeks; w++) {
        double want = 0.0;
        want += at(&b, w, M_REPS_ACTIVE) * (c->rep_per_year / 52.0);
        want += at(&b, w, M_OPS_STAFF_ACTIVE) * (c->ops_per_year / 52.0);
        want += p.support.role.count * (c->support_per_year / 52.0);
        assert_true(at(&b, w, M_STAFF_COST) == want);
        changed +=
            w > 0 && at(&b, w, M_REPS_ACTIVE) != at(&b, w - 1, M_REPS_ACTIVE);
    }
    assert_true(changed > 0); /* the headcount did move */
    free(b.raw);
    params_destroy(&p);
}

/* A pull moves people, not money: staff and lever costs are the
 * baseline's, bit for bit; commission follows bookings and gross profit
 * is revenue x margin less the three costs. */
static void test_pull_adds_no_cost(void **state)
{
    (void)state;
    struct pair pr;
    pair_run(&pr, "pull", 0, NULL);
    const struct series *x = &pr.x;
    const struct cost_params *c = &pr.p.costs;
    for (int w = 0; w < x->weeks; w++) {
        assert_true(at(x, w, M_STAFF_COST) == at(&pr.b, w, M_STAFF_COST));
        assert_true(at(x, w, M_LEVER_COST) == 0.0);
        assert_true(at(x, w, M_COMMISSION) ==
                    c->commission_rate * at(x, w, M_BOOKINGS));
        double gp = at(x, w, M_REVENUE) * c->gross_margin -
                    at(x, w, M_COMMISSION) - at(x, w, M_STAFF_COST) -
                    at(x, w, M_LEVER_COST);
        assert_true(at(x, w, M_GROSS_PROFIT) == gp);
    }
    assert_true(sum(x, M_REVENUE) != sum(&pr.b, M_REVENUE));
    pair_free(&pr);
}

/* ---- zero-length contracts -------------------------------------------- */

/* A contract of zero weeks, or for nobody, is the baseline: the same raw
 * series bit for bit, and a paired difference of exactly zero, with no
 * spread, in every metric, quarter and total. */
static void test_zero_contract(void **state)
{
    (void)state;
    const char *ids[] = {"contract_zero", "contract_nobody"};
    for (uint64_t r = 0; r < 3; r++)
        for (int i = 0; i < 2; i++) {
            struct pair pr;
            pair_run(&pr, ids[i], r, NULL);
            assert_memory_equal(pr.b.raw, pr.x.raw, raw_bytes(&pr.b));
            pair_free(&pr);
        }
    struct params p;
    struct run_result res;
    load(&p, COSTS, NULL);
    simulate(&p, &res, 2, 5);
    for (int i = 0; i < 2; i++) {
        int s = 1 + scenario(&p, ids[i]);
        for (int q = 0; q <= res.quarters; q++)
            for (int m = 0; m < CMP_COUNT; m++) {
                const struct acc *a =
                    &res.cmp_delta[run_cmp_index(&res, s, q, m)];
                if (a->n > 0 && (a->mean != 0.0 || a->m2 != 0.0))
                    fail_msg("%s, quarter %d, metric %d: delta %g", ids[i], q,
                             m, a->mean);
            }
    }
    run_result_destroy(&res);
    params_destroy(&p);
}

/* ---- net value -------------------------------------------------------- */

/* net_value is gross profit summed from week 0; at a discount rate of 0
 * its present value is the same sum, to the bit; at 10 % a year each
 * week's profit is divided by 1.1^(week/52). */
static void test_npv(void **state)
{
    (void)state;
    const char *ids[] = {"contract_ops", "hire_ops"};
    for (int i = 0; i < 2; i++) {
        struct pair pr;
        pair_run(&pr, ids[i], 0, "costs.discount_rate=0");
        const struct series *xs[] = {&pr.b, &pr.x};
        for (int k = 0; k < 2; k++) {
            int last = xs[k]->weeks - 1;
            double plain = sum(xs[k], M_GROSS_PROFIT);
            assert_true(at(xs[k], last, M_NET_VALUE) == plain);
            assert_true(at(xs[k], last, M_NET_VALUE_NPV) == plain);
        }
        pair_free(&pr);
    }
    struct pair pr;
    pair_run(&pr, "contract_ops", 0, "costs.discount_rate=0.1");
    double pv = 0.0;
    for (int w = 0; w < pr.x.weeks; w++) {
        pv += at(&pr.x, w, M_GROSS_PROFIT) / pow(1.1, w / 52.0);
        assert_true(fabs(at(&pr.x, w, M_NET_VALUE_NPV) - pv) <=
                    1e-12 * fabs(pv));
    }
    assert_true(pv < sum(&pr.x, M_GROSS_PROFIT)); /* profits are positive */
    pair_free(&pr);
}

/* lost_net_value is the paired difference of gross profit, baseline
 * minus scenario: over the total, the net value lost at the end. */
static void test_lost_net_value(void **state)
{
    (void)state;
    struct params p;
    struct run_result r;
    load(&p, COSTS, NULL);
    simulate(&p, &r, 1, 4);
    for (int s = 1; s < r.nscen; s++) {
        const struct acc *lost =
            &r.cmp_delta[run_cmp_index(&r, s, r.quarters, CMP_LOST_NET_VALUE)];
        const struct acc *nv =
            &r.cmp_delta[run_cmp_index(&r, s, r.quarters, M_NET_VALUE)];
        assert_true(fabs(lost->mean + nv->mean) <=
                    1e-9 * (1.0 + fabs(nv->mean)));
        double q = 0.0;
        for (int k = 0; k < r.quarters; k++)
            q += r.cmp_delta[run_cmp_index(&r, s, k, CMP_LOST_NET_VALUE)].mean;
        assert_true(fabs(q - lost->mean) <= 1e-6 * (1.0 + fabs(q)));
    }
    run_result_destroy(&r);
    params_destroy(&p);
}

/* ---- contracts at work ------------------------------------------------ */

/* Ops contractors who leave in the middle of a flood of tickets hand the
 * items in their hands back to the queue: every item that arrived is
 * done or still in the backlog, and every hour of work that arrived was
 * worked or is still in the backlog; none is lost or done twice. */
static void test_contract_ops_conservation(void **state)
{
    (void)state;
    for (uint64_t r = 0; r < 3; r++) {
        struct pair pr;
        pair_run(&pr, "contract_ops", r, NULL);
        const struct series *xs[] = {&pr.b, &pr.x};
        for (int i = 0; i < 2; i++) {
            const struct model_totals *t = &xs[i]->tot;
            int last = xs[i]->weeks - 1;
            double items = at(xs[i], last, M_OPS_BACKLOG_ITEMS);
            double hours = at(xs[i], last, M_OPS_BACKLOG_HOURS);
            assert_true(t->ops_items_arrived == t->ops_items_done + items);
            assert_true(
                fabs(t->ops_hours_arrived - (t->ops_hours_done + hours)) <=
                1e-9 * t->ops_hours_arrived);
        }
        print_message("replication %d: items returned, baseline %.0f, "
                      "contract %.0f\n",
                      (int)r, pr.b.tot.ops_items_returned,
                      pr.x.tot.ops_items_returned);
        /* The contractors did leave with work in hand. */
        assert_true(pr.x.tot.ops_items_returned >=
                    pr.b.tot.ops_items_returned + 1);
        pair_free(&pr);
    }
}

/* The clock hours and deals of a run with sales contractors add up, and
 * the deals of a contractor who leaves pass to the employees: no stage
 * of any deal is worked from a contractor's seat after it empties. */
static void test_contract_sales_handover(void **state)
{
    (void)state;
    struct params p;
    load(&p, COSTS, NULL);
    struct err e = {0};
    struct model *m = model_alloc(&p, &e);
    double *raw =
        calloc((size_t)(p.sim.warmup_weeks + p.sim.horizon_weeks) * RAW_COUNT,
               sizeof *raw);
    char *trace = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&trace, &len);
    assert_non_null(f);
    model_set_trace(m, f);
    struct model_totals t;
    assert_int_equal(
        model_run(m, scenario(&p, "contract_sales"), 0, raw, &t, &e), 0);
    fclose(f);
    assert_true(t.opps_created > 0);
    assert_true(t.opps_created ==
                t.opps_won + t.opps_lost + t.opps_cold + t.opps_open);
    double worked = 0.0;
    for (int i = 0; i < 5; i++)
        worked += t.rep_hours[i];
    assert_true(fabs(worked - t.rep_hours_available) <=
                1e-9 * t.rep_hours_available);
    /* Seats 8 and 9 are the contractors'; after contract_end, no line
     * may name them as the rep of a stage or a new opportunity. */
    char *end = strstr(trace, ",contract_end,8,");
    assert_non_null(end);
    assert_non_null(strstr(trace, ",contract_end,9,"));
    int before = 0;
    for (char *s = trace; (s = strstr(s, "rep=8 ")) && s < end; s++)
        before++;
    assert_true(before > 0); /* the contractor did work deals */
    assert_null(strstr(end, "rep=8 "));
    assert_null(strstr(end, "rep=9 "));
    free(trace);
    free(raw);
    model_free(m);
    params_destroy(&p);
}

/* A support contractor takes admin hours off the reps for the contract's
 * weeks only, at $4,000 a week. */
static void test_contract_support(void **state)
{
    (void)state;
    struct pair pr;
    pair_run(&pr, "contract_support", 0, NULL);
    assert_true(at(&pr.x, 3, M_REP_HOURS_ADMIN) ==
                at(&pr.b, 3, M_REP_HOURS_ADMIN));
    assert_true(at(&pr.x, 6, M_REP_HOURS_ADMIN) <
                at(&pr.b, 6, M_REP_HOURS_ADMIN));
    assert_true(sum(&pr.x, M_LEVER_COST) == 8 * 4000.0);
    pair_free(&pr);
}

/* ---- threads, and the file format ------------------------------------- */

static int same_accs(const struct acc *a, const struct acc *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

/* Every summary, new metrics and lost_net_value included, is the same
 * for 1 and 3 threads. */
static void test_threads_identical(void **state)
{
    (void)state;
    struct params p;
    struct run_result a, b;
    load(&p, COSTS, NULL);
    simulate(&p, &a, 1, 7);
    simulate(&p, &b, 3, 7);
    assert_true(
        same_accs(a.weekly, b.weekly, (size_t)a.nscen * a.weeks * M_COUNT));
    assert_true(same_accs(a.quarterly, b.quarterly,
                          (size_t)a.nscen * a.quarters * M_COUNT));
    size_t nc = (size_t)(a.nscen - 1) * (a.quarters + 1) * CMP_COUNT;
    assert_true(same_accs(a.cmp_delta, b.cmp_delta, nc));
    assert_true(same_accs(a.cmp_base, b.cmp_base, nc));
    assert_true(same_accs(a.cmp_scen, b.cmp_scen, nc));
    run_result_destroy(&a);
    run_result_destroy(&b);
    params_destroy(&p);
}

/* [costs] and a contract are written back to run.ini and read again to
 * the same values; a fee is money or a percent. */
static void test_round_trip(void **state)
{
    (void)state;
    const char *fees[] = {"costs.hiring_fee=20%", "costs.hiring_fee=12500.5"};
    for (int i = 0; i < 2; i++) {
        struct config cfg = {0}, back = {0};
        struct params p, q;
        struct err e = {0};
        assert_int_equal(config_load(&cfg, COSTS, &e), 0);
        assert_int_equal(config_set(&cfg, fees[i], &e), 0);
        assert_int_equal(config_resolve(&cfg, &p, &e), 0);
        char path[] = "/tmp/salescap_costs_XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        FILE *f = fdopen(fd, "w");
        assert_int_equal(config_write(f, &cfg, &p, 0), 0);
        fclose(f);
        if (config_load(&back, path, &e) != 0 ||
            config_resolve(&back, &q, &e) != 0)
            fail_msg("%s", e.msg);
        remove(path);
        assert_memory_equal(&p.costs, &q.costs, sizeof p.costs);
        int s = scenario(&p, "contract_sales");
        assert_memory_equal(&p.scenarios[s].iv[0].u.contract,
                            &q.scenarios[s].iv[0].u.contract,
                            sizeof(struct iv_contract));
        assert_int_equal(p.costs.hiring_fee.is_share, i == 0);
        config_destroy(&cfg);
        config_destroy(&back);
        params_destroy(&p);
        params_destroy(&q);
    }
}

/* Bad costs and contracts stop the binary with FILE:LINE and status 2
 * (test_config.c holds each file's exact message). */
static void test_bad_input_status(void **state)
{
    (void)state;
    static const char *const files[] = {
        "bad_cost_negative", "bad_margin",           "bad_commission_percent",
        "bad_hiring_fee",    "bad_contract_horizon", "bad_contract_role",
        "bad_hire_weeks",    "bad_hire_end_week",    "bad_support_weeks",
    };
    check_bad_files(files, sizeof files / sizeof files[0]);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contract_cost_exact),
        cmocka_unit_test(test_hire_cost_exact),
        cmocka_unit_test(test_staff_cost_follows_headcount),
        cmocka_unit_test(test_pull_adds_no_cost),
        cmocka_unit_test(test_zero_contract),
        cmocka_unit_test(test_npv),
        cmocka_unit_test(test_lost_net_value),
        cmocka_unit_test(test_contract_ops_conservation),
        cmocka_unit_test(test_contract_sales_handover),
        cmocka_unit_test(test_contract_support),
        cmocka_unit_test(test_threads_identical),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_bad_input_status),
    };
    return cmocka_run_group_tests_name("costs", tests, NULL, NULL);
}
