/*
 * test_teams: [team.NAME] (docs/model.md, "Teams"), through the model
 * itself: a file with one team is the file without teams, bit for bit;
 * two identical teams are one team of both sizes; every team's rows add
 * up to the company's; an intervention on one team leaves the other's
 * sales where ops is no link between them; hires spread over the teams
 * as documented. Bad team files are in tests/data/bad_expected.txt.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "metrics.h"
#include "model.h"
#include "params_util.h"
#include "uncertain.h"
#include "util.h"

#define D "tests/data/"

/* One run's raw rows (model_raw_len doubles). */
static double *run_raw(const struct params *p, int scenario, uint64_t rep)
{
    struct err e = {0};
    struct model *m = model_alloc(p, &e);
    assert_non_null(m);
    double *raw = calloc(model_raw_len(p), sizeof *raw);
    assert_non_null(raw);
    if (model_run(m, scenario, rep, raw, NULL, &e) != 0)
        fail_msg("%s", e.msg);
    model_free(m);
    return raw;
}

static int weeks_of(const struct params *p)
{
    return p->sim.warmup_weeks + p->sim.horizon_weeks;
}

/* Row w of group g (0: the company, 1 + t: team t) of a run's raw. */
static const double *row(const struct params *p, const double *raw, int g,
                         int w)
{
    return model_raw_group(p, (double *)(uintptr_t)raw, g) +
           (size_t)w * RAW_COUNT;
}

/* A file with one team named runs exactly as the file without teams,
 * and the team's rows are the company's. */
static void test_one_team_is_no_team(void **state)
{
    (void)state;
    struct params a, b;
    load(&a, D "tiny.ini", NULL);
    load(&b, D "teams_one.ini", NULL);
    assert_int_equal(a.n_teams, 0);
    assert_int_equal(b.n_teams, 1);
    assert_int_equal(model_raw_len(&b), 2 * model_raw_len(&a));
    for (int s = -1; s < (int)a.n_scenarios; s++)
        for (uint64_t r = 0; r < 3; r++) {
            double *x = run_raw(&a, s, r), *y = run_raw(&b, s, r);
            assert_memory_equal(x, y, model_raw_len(&a) * sizeof *x);
            for (int w = 0; w < weeks_of(&a); w++)
                for (int k = 0; k < TEAM_METRIC_COUNT; k++) {
                    int m = team_metric[k];
                    double c = row(&a, x, 0, w)[m], t = row(&b, y, 1, w)[m];
                    if (memcmp(&c, &t, sizeof c) != 0)
                        fail_msg("week %d %s: company %.17g, team %.17g", w,
                                 metric_table[m].name, c, t);
                }
            free(x);
            free(y);
        }
    params_destroy(&a);
    params_destroy(&b);
}

/* Two identical teams of 4 are the company of one team of 8: the seats,
 * their streams and the clients' owners are the same, so the company's
 * rows are the same bit for bit (stronger than "in distribution"). */
static void test_identical_teams_are_one_team(void **state)
{
    (void)state;
    struct params a, b;
    load(&a, D "tiny.ini", NULL);
    load(&b, D "teams_split.ini", NULL);
    assert_int_equal(params_reps(&a), 8);
    assert_int_equal(params_reps(&b), 8);
    for (int s = -1; s < (int)a.n_scenarios; s++)
        for (uint64_t r = 0; r < 4; r++) {
            double *x = run_raw(&a, s, r), *y = run_raw(&b, s, r);
            assert_memory_equal(x, y, model_raw_len(&a) * sizeof *x);
            free(x);
            free(y);
        }
    params_destroy(&a);
    params_destroy(&b);
}

/* Raw slots that add up over teams: every team metric's value slot
 * (ratios: numerator) and the ratios' denominators. */
static void check_sums(const struct params *p, const double *raw, int s,
                       uint64_t r)
{
    int slots[TEAM_METRIC_COUNT + 5], n = 0;
    for (int k = 0; k < TEAM_METRIC_COUNT; k++)
        slots[n++] = team_metric[k];
    slots[n++] = D_WIN_RATE;
    slots[n++] = D_CYCLE_DAYS;
    slots[n++] = R_QUOTA_ATTAINMENT; /* each rep's quota closes in its team */
    slots[n++] = R_QUOTA_REPS;
    slots[n++] = R_QUOTA_AT;
    for (int w = 0; w < weeks_of(p); w++)
        for (int i = 0; i < n; i++) {
            double all = row(p, raw, 0, w)[slots[i]], sum = 0.0;
            for (size_t t = 0; t < p->n_teams; t++)
                sum += row(p, raw, 1 + (int)t, w)[slots[i]];
            if (!(fabs(sum - all) <= 1e-9 * fmax(1.0, fabs(all))))
                fail_msg("scenario %d replication %llu week %d slot %d: "
                         "teams %.17g, company %.17g",
                         s, (unsigned long long)r, w, slots[i], sum, all);
        }
}

static void test_teams_add_up(void **state)
{
    (void)state;
    struct params p;
    load(&p, D "teams_two.ini", "team.big.quota_per_rep=300000",
         "team.small.quota_per_rep=90000", NULL);
    assert_int_equal(p.n_teams, 2);
    for (int s = -1; s < (int)p.n_scenarios; s++)
        for (uint64_t r = 0; r < 4; r++) {
            double *x = run_raw(&p, s, r);
            check_sums(&p, x, s, r);
            double closed[2] = {0.0, 0.0};
            for (int w = 0; w < weeks_of(&p); w++)
                for (int t = 0; t < 2; t++)
                    closed[t] += row(&p, x, 1 + t, w)[R_QUOTA_REPS];
            assert_true(closed[0] > 0.0 && closed[1] > 0.0);
            /* each team sold something: the rows are not all zero */
            double won[2] = {0.0, 0.0};
            for (int w = 0; w < weeks_of(&p); w++)
                for (int t = 0; t < 2; t++)
                    won[t] += row(&p, x, 1 + t, w)[M_DEALS_WON];
            assert_true(won[0] > 0.0 && won[1] > 0.0);
            free(x);
        }
    params_destroy(&p);
}

/* Whether team t's sales rows are the same in two runs. */
static int same_team_rows(const struct params *p, const double *x,
                          const double *y, int t)
{
    for (int w = 0; w < weeks_of(p); w++)
        for (int k = 0; k < TEAM_METRIC_COUNT; k++) {
            int m = team_metric[k];
            double a = row(p, x, 1 + t, w)[m], b = row(p, y, 1 + t, w)[m];
            if (memcmp(&a, &b, sizeof a) != 0)
                return 0;
        }
    return 1;
}

/* Ops is no link in teams_two.ini: a pull of small's reps changes
 * small's sales and leaves big's as they were, replication by
 * replication; a hire into big does the reverse; prospecting when thin
 * and a hiring freeze of small's reps act on small alone. */
static void test_other_team_unchanged(void **state)
{
    (void)state;
    struct params p;
    load(&p, D "teams_two.ini", NULL);
    const char *ids[] = {"pull_small", "hire_big", "thin_small",
                         "freeze_small"};
    const int acted[] = {1, 0, 1, 1};
    for (size_t i = 0; i < 4; i++) {
        int s = scenario(&p, ids[i]), moved = 0, other = 1 - acted[i];
        for (uint64_t r = 0; r < 8; r++) {
            double *base = run_raw(&p, -1, r), *x = run_raw(&p, s, r);
            if (!same_team_rows(&p, base, x, other))
                fail_msg("%s, replication %llu: team %s changed", ids[i],
                         (unsigned long long)r, p.teams[other].name);
            moved += !same_team_rows(&p, base, x, acted[i]);
            free(base);
            free(x);
        }
        assert_true(moved > 0);
    }
    params_destroy(&p);
}

/* hire.team = all spreads new reps: each joins the team with the fewest
 * positions for its starting reps (big 3, small 6: the first goes to
 * big on the tie, then two to small), starting lead_weeks later. */
static void test_hires_spread(void **state)
{
    (void)state;
    struct params p;
    load(&p, D "teams_two.ini", NULL);
    int s = scenario(&p, "hire_any");
    int w = p.sim.warmup_weeks + 2 + (int)p.sales.role.lead_weeks;
    for (uint64_t r = 0; r < 4; r++) {
        double *base = run_raw(&p, -1, r), *x = run_raw(&p, s, r);
        double d0 = row(&p, x, 1, w)[M_REPS_ACTIVE] -
                    row(&p, base, 1, w)[M_REPS_ACTIVE];
        double d1 = row(&p, x, 2, w)[M_REPS_ACTIVE] -
                    row(&p, base, 2, w)[M_REPS_ACTIVE];
        if (d0 != 1.0 || d1 != 2.0)
            fail_msg("replication %llu, week %d: big %+g, small %+g reps",
                     (unsigned long long)r, w, d0, d1);
        /* the week before, nobody has started */
        assert_true(row(&p, x, 0, w - 1)[M_REPS_ACTIVE] ==
                    row(&p, base, 0, w - 1)[M_REPS_ACTIVE]);
        free(base);
        free(x);
    }
    params_destroy(&p);
}

/* A team's keys are its own; what it does not set is [sales]'s, and a
 * stage key reaches only its stage. run.ini writes back only the keys
 * the team set, and reads back to the same teams. */
static void test_resolve_and_write(void **state)
{
    (void)state;
    struct params p, q;
    load(&p, D "teams_two.ini", NULL);
    const struct team *big = &p.teams[0], *small = &p.teams[1];
    assert_string_equal(big->name, "big");
    assert_int_equal(big->sales.role.count, 3);
    assert_true(big->sales.role.ramp_weeks == 20.0);
    assert_true(small->sales.role.ramp_weeks == p.sales.role.ramp_weeks);
    assert_true(small->sales.admin_share == 0.2);
    assert_true(big->sales.admin_share == p.sales.admin_share);
    assert_true(big->stages[3].advance == 0.5);
    assert_true(small->stages[3].advance == p.stages[3].advance);
    assert_true(big->stages[1].buyer_days.mean == 20.0);
    assert_true(big->stages[0].advance == p.stages[0].advance);
    char path[] = "/tmp/salescap_teams_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    struct config cfg = {0};
    struct err e = {0};
    assert_int_equal(config_load(&cfg, D "teams_two.ini", &e), 0);
    assert_int_equal(config_write(f, &cfg, &p, 0), 0);
    fclose(f);
    config_destroy(&cfg);
    load(&q, path, NULL);
    remove(path);
    assert_int_equal(q.n_teams, 2);
    assert_true(q.teams[0].sales_set == big->sales_set);
    assert_true(q.teams[1].sales_set == small->sales_set);
    for (size_t t = 0; t < 2; t++)
        for (size_t i = 0; i < p.n_stages; i++)
            assert_true(q.teams[t].stage_set[i] == p.teams[t].stage_set[i]);
    assert_int_equal(q.scenarios[0].iv[0].u.pull.team, 1);
    double *x = run_raw(&p, 0, 1), *y = run_raw(&q, 0, 1);
    assert_memory_equal(x, y, model_raw_len(&p) * sizeof *x);
    free(x);
    free(y);
    params_destroy(&p);
    params_destroy(&q);
}

/* An uncertain [sales] or stage key reaches every team that does not
 * set it, and only those; a team's own value stays. */
static void test_uncertain_reaches_teams(void **state)
{
    (void)state;
    struct params p, d;
    load(&p, D "teams_two.ini", "sales.ramp_weeks=uncertain(uniform(10, 30))",
         "stage.negotiation.advance=uncertain(uniform(0.2, 0.4))", NULL);
    assert_int_equal(p.n_uncertain, 2);
    assert_int_equal(uncertain_shadow(&d, &p), 0);
    double x[2] = {25.0, 0.3};
    uncertain_set(&d, &p, x);
    assert_true(d.sales.role.ramp_weeks == 25.0);
    assert_true(d.teams[0].sales.role.ramp_weeks == 20.0); /* big's own */
    assert_true(d.teams[1].sales.role.ramp_weeks == 25.0);
    assert_true(d.teams[0].stages[3].advance == 0.5); /* big's own */
    assert_true(d.teams[1].stages[3].advance == 0.3);
    /* the originals keep the medians */
    assert_true(p.teams[1].sales.role.ramp_weeks == 20.0);
    uncertain_shadow_free(&d);
    params_destroy(&p);
}

/* initial_clients: each team's share of the installed base, held by its
 * own reps and valued at its own deal value. */
static void test_initial_clients(void **state)
{
    (void)state;
    struct params p;
    load(&p, D "teams_two.ini", "team.big.initial_clients=50",
         "team.small.initial_clients=250", "clients.initial=300", NULL);
    assert_int_equal(p.clients.initial, 300);
    for (uint64_t r = 0; r < 3; r++) {
        double *x = run_raw(&p, -1, r);
        const double *big = row(&p, x, 1, 0), *small = row(&p, x, 2, 0);
        /* a client or two may churn at an anniversary in the first week */
        assert_true(big[M_CLIENTS_ACTIVE] >= 47 && big[M_CLIENTS_ACTIVE] <= 50);
        assert_true(small[M_CLIENTS_ACTIVE] >= 245 &&
                    small[M_CLIENTS_ACTIVE] <= 250);
        /* big's clients pay about $90k a year, small's about $20k */
        double per_big = big[M_REVENUE] / big[M_CLIENTS_ACTIVE];
        double per_small = small[M_REVENUE] / small[M_CLIENTS_ACTIVE];
        assert_true(per_big > 3 * per_small);
        free(x);
    }
    params_destroy(&p);
    /* without the key, the base is spread over all 9 reps: big's 3
     * seats hold a third */
    load(&p, D "teams_two.ini", NULL);
    assert_int_equal(p.teams[0].initial_clients, -1);
    double *x = run_raw(&p, -1, 0);
    double share =
        row(&p, x, 1, 0)[M_CLIENTS_ACTIVE] / row(&p, x, 0, 0)[M_CLIENTS_ACTIVE];
    assert_true(share > 0.30 && share < 0.37);
    free(x);
    params_destroy(&p);
}

/* --set changes a team of the file; it makes none. */
static void test_set_no_such_team(void **state)
{
    (void)state;
    struct config cfg = {0};
    struct err e = {0};
    assert_int_equal(config_load(&cfg, D "teams_two.ini", &e), 0);
    assert_int_equal(config_set(&cfg, "team.smal.quota_per_rep=90000", &e), -1);
    assert_string_equal(e.msg, "--set 'team.smal.quota_per_rep=90000': no team "
                               "'smal'; did you mean 'small'? (--set changes a "
                               "[team.NAME] of the file, it makes none)");
    assert_int_equal(config_set(&cfg, "team.small.quota_per_rep=90000", &e), 0);
    config_destroy(&cfg);
}

/* Lines of text that start with prefix. */
static int count_lines(const char *text, const char *prefix)
{
    int n = 0;
    size_t k = strlen(prefix);
    for (const char *l = text; l && *l; l = strchr(l, '\n'), l = l ? l + 1 : l)
        n += !strncmp(l, prefix, k);
    return n;
}

/* The files a user reads: the team column, a row per team and metric,
 * team rows that add up in the means, and the summary's line by team. */
static void test_files(void **state)
{
    (void)state;
    const char *bin = getenv("SALESCAP");
    if (!bin || !*bin)
        skip();
    char *d = ru_tmp_dir("teams");
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "'%s' run " D "teams_two.ini -n 3 -q --no-plot -o '%s' "
             "2>/dev/null",
             bin, d);
    assert_int_equal(system(cmd), 0);
    char *w = ru_slurp(d, "weekly.csv"), *c = ru_slurp(d, "comparison.csv");
    char *q = ru_slurp(d, "quarterly.csv"), *s = ru_slurp(d, "summary.txt");
    const char *head = "scenario,week,metric,mean,sd,ci_low,ci_high,n,team\n";
    assert_true(!strncmp(w, head, strlen(head)));
    /* 39 weeks of every team metric, per team */
    assert_int_equal(count_lines(w, "baseline,"),
                     39 * (M_COUNT + 2 * TEAM_METRIC_COUNT));
    assert_int_equal(count_lines(w, "baseline,5,revenue,"), 3);
    assert_non_null(strstr(w, "\nbaseline,5,ops_backlog_hours,"));
    /* ops metrics are the company's alone: one row per option and week */
    int ops = 0;
    for (const char *x = w; (x = strstr(x, ",ops_backlog_hours,")); x++)
        ops++;
    assert_int_equal(ops, 39 * (1 + 5));
    /* the means of the teams' revenue add up to the company's */
    double all = 0, sum = 0;
    for (const char *l = strstr(w, "\nbaseline,5,revenue,"); l;
         l = strstr(l + 1, "\nbaseline,5,revenue,")) {
        double v = strtod(l + strlen("\nbaseline,5,revenue,"), NULL);
        const char *end = strchr(l + 1, '\n');
        if (!strncmp(end - 4, ",all", 4))
            all = v;
        else
            sum += v;
    }
    assert_true(fabs(all - sum) <= 1e-6 * all);
    assert_int_equal(count_lines(c, "pull_small,total,lost_revenue,"), 3);
    assert_non_null(strstr(q, ",small\n"));
    assert_non_null(strstr(s, "By team: big "));
    free(w);
    free(c);
    free(q);
    free(s);
    ru_rm_rf(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_team_is_no_team),
        cmocka_unit_test(test_identical_teams_are_one_team),
        cmocka_unit_test(test_teams_add_up),
        cmocka_unit_test(test_other_team_unchanged),
        cmocka_unit_test(test_hires_spread),
        cmocka_unit_test(test_resolve_and_write),
        cmocka_unit_test(test_uncertain_reaches_teams),
        cmocka_unit_test(test_set_no_such_team),
        cmocka_unit_test(test_initial_clients),
        cmocka_unit_test(test_files),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
