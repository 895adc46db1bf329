/*
 * test_config: loading, overrides, resolving and writing scenario files.
 *
 * Every error class has a tests/data/bad_*.ini file, and its exact message
 * (location included) is in tests/data/bad_expected.txt beside it; run
 * from the repository root (make test-run).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "calendar.h"
#include "config.h"
#include "rng.h"
#include "util.h"

#define D   "tests/data/"
#define SIG "[sales] deal_value: empirical_file(PATH[, COLUMN]): "

struct bad_case {
    char *file;
    char *msg;
};

/* The bad files and their messages: tests/data/bad_expected.txt, a line
 * each, "FILE<TAB>MESSAGE" (the message as printed, location included;
 * '#' starts a comment line). Read by main(). */
#define BAD_MANIFEST D "bad_expected.txt"
static struct bad_case *bad_cases;
static size_t n_bad;

/* Loads and resolves path (with optional --set assignments); returns the
 * status and leaves the error in e. */
static int load_resolve(const char *path, const char *const *sets,
                        struct config *cfg, struct params *p, struct err *e)
{
    memset(cfg, 0, sizeof *cfg);
    memset(p, 0, sizeof *p);
    err_clear(e);
    if (config_load(cfg, path, e))
        return -1;
    for (size_t i = 0; sets && sets[i]; i++)
        if (config_set(cfg, sets[i], e))
            return -1;
    return config_resolve(cfg, p, e);
}

static void test_bad_file(void **state)
{
    const struct bad_case *bc = *state;
    char path[256];
    struct config cfg;
    struct params p;
    struct err e;
    snprintf(path, sizeof path, D "%s", bc->file);
    int rc = load_resolve(path, NULL, &cfg, &p, &e);
    if (rc == 0 || strcmp(e.msg, bc->msg))
        print_error("file %s\n  got:  %s\n  want: %s\n", bc->file, e.msg,
                    bc->msg);
    assert_int_equal(rc, -1);
    assert_int_equal(e.kind, ERR_CONFIG);
    assert_string_equal(e.msg, bc->msg);
    config_destroy(&cfg);
    params_destroy(&p);
}

/* ------------------------------------------------------------ defaults */

static void test_defaults_and_builtin_stages(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    assert_int_equal(load_resolve(D "good_crlf.ini", NULL, &cfg, &p, &e), 0);
    assert_int_equal(p.sales.role.count, 5); /* the file's, through CRLF */
    assert_int_equal(p.sim.warmup_weeks, 26);
    assert_int_equal(p.sim.horizon_weeks, 104);
    assert_int_equal(p.sim.replications, 200);
    assert_true(p.sim.seed == 42);
    assert_int_equal(p.sim.rng, RNG_XOSHIRO256PP);
    assert_true(p.sim.max_events == 5e7);
    assert_true(p.sales.role.hours_per_week == 40);
    assert_true(p.sales.prospecting_share == 0.25);
    assert_true(p.sales.admin_share == 0.30);
    assert_true(p.sales.deal_value.kind == DIST_LOGNORMAL);
    assert_true(p.sales.deal_value.p[0] == 30000);
    assert_true(p.ops.role.count == 4 && p.ops.queue == QUEUE_FIFO);
    assert_true(p.ops.onboarding_hours.kind == DIST_GAMMA);
    assert_true(p.support.role.count == 0);
    assert_true(p.support.absorb_hours_per_week == 20);
    assert_true(p.clients.initial == 120 && p.clients.renewal_rate == 0.90);
    assert_true(p.clients.revenue_start == REVENUE_AT_GOLIVE);
    assert_true(p.market.delay_sensitivity == 0);
    assert_true(p.market.reputation_smoothing_weeks == 12);
    assert_int_equal(p.n_stages, 4);
    const char *names[] = {"qualify", "discovery", "proposal", "negotiation"};
    const double advance[] = {0.6, 0.7, 0.65, 0.8};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(p.stages[i].name, names[i]);
        assert_true(p.stages[i].advance == advance[i]);
    }
    assert_true(p.stages[2].work_hours.p[0] == 6);
    assert_true(p.stages[3].patience_days.p[0] == 28);
    assert_int_equal(p.n_scenarios, 0);
    config_destroy(&cfg);
    params_destroy(&p);
}

static void test_file_stages_replace_builtin(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    assert_int_equal(load_resolve(D "good_full.ini", NULL, &cfg, &p, &e), 0);
    assert_int_equal(p.n_stages, 2);
    assert_string_equal(p.stages[0].name, "qualify");
    assert_string_equal(p.stages[1].name, "close");
    assert_true(p.stages[1].buyer_days.kind == DIST_EMPIRICAL);
    assert_int_equal(p.stages[1].buyer_days.n, 3);
    assert_true(p.sim.seed == UINT64_MAX);
    assert_int_equal(p.sim.rng, RNG_MT19937);
    assert_int_equal(p.sim.start_date, cal_days(2028, 2, 29));
    assert_string_equal(p.scenarios[0].label, "");
    assert_int_equal(p.scenarios[0].chart, 1);
    assert_string_equal(p.scenarios[1].label, "Hire two");
    assert_int_equal(p.scenarios[1].chart, 0);
    assert_int_equal(p.ops.queue, QUEUE_ONBOARDING_FIRST);
    assert_int_equal(p.clients.revenue_start, REVENUE_AT_SIGNATURE);
    config_destroy(&cfg);
    params_destroy(&p);
}

/* Overriding a built-in stage keeps the pipeline; a new name appends. */
static void test_set_on_builtin_stages(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    const char *sets[] = {"stage.qualify.advance=0.5", "stage.demo.advance=0.3",
                          NULL};
    assert_int_equal(load_resolve(D "good_crlf.ini", sets, &cfg, &p, &e), 0);
    assert_int_equal(p.n_stages, 5);
    assert_string_equal(p.stages[0].name, "qualify");
    assert_true(p.stages[0].advance == 0.5);
    assert_true(p.stages[0].work_hours.p[0] == 1); /* built-in, kept */
    assert_true(p.stages[1].advance == 0.7);
    assert_string_equal(p.stages[4].name, "demo");
    assert_true(p.stages[4].advance == 0.3);
    assert_true(p.stages[4].work_hours.p[0] == 3); /* a stage's default */
    config_destroy(&cfg);
    params_destroy(&p);
    /* With stages in the file, --set edits those only. */
    const char *one[] = {"stage.qualify.advance=0.4", NULL};
    assert_int_equal(load_resolve(D "good_full.ini", one, &cfg, &p, &e), 0);
    assert_int_equal(p.n_stages, 2);
    assert_true(p.stages[0].advance == 0.4);
    config_destroy(&cfg);
    params_destroy(&p);
}

/* ------------------------------------------------------------ overrides */

static void assert_source(const struct config *cfg, const char *section,
                          const char *key, const char *file, int line)
{
    const struct config_entry *en = config_find(cfg, section, key);
    assert_non_null(en);
    assert_string_equal(en->file, file);
    assert_int_equal(en->line, line);
}

static void test_include_precedence(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    assert_int_equal(load_resolve(D "good_include.ini", NULL, &cfg, &p, &e), 0);
    assert_int_equal(p.sales.role.count, 10);       /* includer */
    assert_true(p.sales.role.hours_per_week == 38); /* included */
    assert_int_equal(p.ops.role.count, 3);          /* included */
    assert_int_equal(p.sim.horizon_weeks, 52);
    assert_source(&cfg, "sales", "reps", D "good_include.ini", 4);
    assert_source(&cfg, "sales", "hours_per_week", D "good_model.ini", 8);
    config_destroy(&cfg);
    params_destroy(&p);

    const char *sets[] = {"sales.reps=12", "operations.staff = 7",
                          "scenario.hire_ops.hire.count=3", NULL};
    assert_int_equal(load_resolve(D "good_include.ini", sets, &cfg, &p, &e), 0);
    assert_int_equal(p.sales.role.count, 12);
    assert_int_equal(p.ops.role.count, 7);
    assert_int_equal(p.scenarios[0].iv[0].u.hire.count, 3);
    assert_source(&cfg, "sales", "reps", "--set", 0);
    assert_source(&cfg, "scenario.hire_ops", "hire.count", "--set", 0);
    config_destroy(&cfg);
    params_destroy(&p);
}

static void test_set_parsing(void **state)
{
    (void)state;
    struct config cfg = {0};
    struct err e = {0};
    assert_int_equal(
        config_set(&cfg, "scenario.pull_two_weeks.pull.weeks=4", &e), 0);
    assert_int_equal(config_set(&cfg, "stage.qualify.advance = 0.5", &e), 0);
    assert_int_equal(config_set(&cfg, "sales.reps=9", &e), 0);
    assert_int_equal(config_set(&cfg, "sales.reps=10", &e), 0);
    assert_int_equal(cfg.n, 3); /* the second reps replaced the first */
    assert_string_equal(cfg.entries[0].section, "scenario.pull_two_weeks");
    assert_string_equal(cfg.entries[0].key, "pull.weeks");
    assert_string_equal(cfg.entries[0].value, "4");
    assert_string_equal(cfg.entries[1].section, "stage.qualify");
    assert_string_equal(cfg.entries[1].key, "advance");
    assert_string_equal(cfg.entries[1].value, "0.5");
    assert_string_equal(cfg.entries[2].value, "10");
    assert_int_equal(cfg.n_sections, 3);
    assert_string_equal(cfg.sections[0].name, "scenario.pull_two_weeks");

    assert_int_equal(config_set(&cfg, "sales.reps", &e), -1);
    assert_string_equal(e.msg, "--set 'sales.reps': expected "
                               "SECTION.KEY=VALUE (no '=')");
    err_clear(&e);
    assert_int_equal(config_set(&cfg, "reps=3", &e), -1);
    assert_string_equal(e.msg, "--set 'reps=3': expected SECTION.KEY=VALUE "
                               "(no '.' between section and key)");
    err_clear(&e);
    assert_int_equal(config_set(&cfg, "scenario.x=1", &e), -1);
    assert_int_equal(e.kind, ERR_CONFIG);
    assert_string_equal(e.msg, "--set 'scenario.x=1': expected "
                               "scenario.ID.KEY=VALUE "
                               "(scenario.pull.pull.weeks=3)");
    err_clear(&e);
    assert_int_equal(config_set(&cfg, "stage.qualify=0.5", &e), -1);
    assert_string_equal(e.msg, "--set 'stage.qualify=0.5': expected "
                               "stage.NAME.KEY=VALUE "
                               "(stage.qualify.advance=0.5)");
    err_clear(&e);
    assert_int_equal(config_set(&cfg, "scenario.x.title=a ; b", &e), -1);
    assert_string_equal(e.msg, "--set: [scenario.x] title: the value holds "
                               "' ;', which starts a comment in an INI file");
    config_destroy(&cfg);
}

static void test_set_errors_are_located(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    const char *sets[] = {"sales.reps=ten", NULL};
    assert_int_equal(load_resolve(D "good_include.ini", sets, &cfg, &p, &e),
                     -1);
    assert_string_equal(e.msg, "--set: [sales] reps: expected a whole "
                               "number, got 'ten'");
    config_destroy(&cfg);
    const char *sets2[] = {"salse.reps=3", NULL};
    assert_int_equal(load_resolve(D "good_include.ini", sets2, &cfg, &p, &e),
                     -1);
    assert_string_equal(e.msg, "--set: unknown section [salse]; did you "
                               "mean [sales]?");
    config_destroy(&cfg);

    /* Overrides that would add by mistake: a near miss of a stage (here
     * the built-in ones) or of a scenario, an intervention the scenario
     * does not have. A new name, or a stage of its own, is fine. */
    static const char *const wrong[][2] = {
        {"stage.qualifiy.advance=0.5",
         "--set 'stage.qualifiy.advance=0.5': no stage 'qualifiy'; did you "
         "mean 'qualify'? (a new stage needs a name not this close to an "
         "existing one)"},
        {"scenario.pul_two_weeks.pull.weeks=4",
         "--set 'scenario.pul_two_weeks.pull.weeks=4': no scenario "
         "'pul_two_weeks'; did you mean 'pull_two_weeks'? (a new scenario "
         "needs a name not this close to an existing one)"},
        {"scenario.hire_ops.pull.weeks=4",
         "--set 'scenario.hire_ops.pull.weeks=4': [scenario.hire_ops] has "
         "no intervention 'pull' (it has: hire); an override changes the "
         "interventions a scenario file defines, it does not add one"},
    };
    for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++) {
        const char *s[] = {wrong[i][0], NULL};
        assert_int_equal(
            load_resolve("scenarios/pull_two_weeks.ini", s, &cfg, &p, &e), -1);
        assert_string_equal(e.msg, wrong[i][1]);
        config_destroy(&cfg);
    }
    const char *right[] = {"stage.qualify.advance=0.5",
                           "stage.demo.advance=0.3",
                           "scenario.pull_two_weeks.pull.weeks=4",
                           "scenario.later.pull.start_week=20",
                           "scenario.later.pull.weeks=3",
                           NULL};
    assert_int_equal(
        load_resolve("scenarios/pull_two_weeks.ini", right, &cfg, &p, &e), 0);
    assert_int_equal(p.n_stages, 5);
    params_destroy(&p);
    config_destroy(&cfg);
    /* A stage an earlier --set touched does not hide the built-in names
     * from the near-miss check; numbered variants are new names. */
    const char *later[] = {"stage.qualify.advance=0.5",
                           "stage.negotiatoin.advance=0.5", NULL};
    assert_int_equal(load_resolve(D "good_include.ini", later, &cfg, &p, &e),
                     -1);
    assert_string_equal(e.msg, "--set 'stage.negotiatoin.advance=0.5': no "
                               "stage 'negotiatoin'; did you mean "
                               "'negotiation'? (a new stage needs a name "
                               "not this close to an existing one)");
    config_destroy(&cfg);
    const char *numbered[] = {"scenario.pull2.pull.start_week=3", NULL};
    assert_int_equal(
        load_resolve("tests/data/tiny.ini", numbered, &cfg, &p, &e), 0);
    assert_int_equal(p.n_scenarios, 3);
    params_destroy(&p);
    config_destroy(&cfg);
}

static void test_put_and_copy(void **state)
{
    (void)state;
    struct config cfg, copy;
    struct err e = {0};
    assert_int_equal(config_load(&cfg, D "good_include.ini", &e), 0);
    assert_int_equal(config_copy(&copy, &cfg, &e), 0);
    assert_int_equal(config_put(&copy, "sales", "reps", "20", "sweep", 0, &e),
                     0);
    assert_int_equal(copy.n, cfg.n);
    assert_string_equal(config_find(&copy, "sales", "reps")->value, "20");
    assert_string_equal(config_find(&cfg, "sales", "reps")->value, "10");
    assert_string_equal(copy.path, cfg.path);
    assert_int_equal(copy.n_sections, cfg.n_sections);
    config_destroy(&copy);
    config_destroy(&cfg);
    config_destroy(&cfg); /* safe twice: destroy zeroes */
}

static void test_missing_top_file(void **state)
{
    (void)state;
    struct config cfg;
    struct err e = {0};
    assert_int_equal(config_load(&cfg, D "no_such_file.ini", &e), -1);
    assert_int_equal(e.kind, ERR_CONFIG);
    assert_string_equal(e.msg, D "no_such_file.ini: cannot open: No such "
                                 "file or directory");
    assert_null(cfg.entries);
    err_clear(&e);
    assert_int_equal(config_load(&cfg, "tests/data", &e), -1);
    assert_string_equal(e.msg, "tests/data: cannot open: is a directory");
}

/* ------------------------------------------------------------ scenarios */

static void test_scenarios(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    assert_int_equal(load_resolve(D "good_scenarios.ini", NULL, &cfg, &p, &e),
                     0);
    assert_int_equal(p.n_scenarios, 4);
    const struct scenario *s = &p.scenarios[0];
    assert_string_equal(s->id, "pull_two_weeks");
    assert_string_equal(s->title, "Pull sales into ops for two weeks");
    assert_int_equal(s->n_iv, 1);
    assert_int_equal(s->iv[0].type, IV_PULL);
    assert_int_equal(s->iv[0].u.pull.start_week, 26);
    assert_int_equal(s->iv[0].u.pull.spec.select, REPS_COUNT);
    assert_true(s->iv[0].u.pull.spec.reps == 3);
    assert_true(s->iv[0].u.pull.spec.ops_efficiency == 0.6);

    s = &p.scenarios[1];
    assert_string_equal(s->title, "mixed"); /* defaults to the ID */
    assert_int_equal(s->n_iv, 4);
    const char *names[] = {"first", "hire", "second", "later"};
    const enum iv_type types[] = {IV_PULL, IV_HIRE, IV_PULL,
                                  IV_EXPAND_OPS_ON_DELAY};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(s->iv[i].name, names[i]);
        assert_int_equal(s->iv[i].type, types[i]);
    }
    assert_int_equal(s->iv[0].u.pull.weeks, 4);
    assert_int_equal(s->iv[0].u.pull.spec.select, REPS_PERCENT);
    assert_true(s->iv[0].u.pull.spec.reps == 50);
    assert_true(s->iv[0].u.pull.spec.share == 0.5);
    assert_int_equal(s->iv[1].u.hire.role, ROLE_SALES);
    assert_true(s->iv[1].u.hire.lead_weeks == 2);
    assert_true(s->iv[1].u.hire.ramp_weeks == -1); /* the role's default */
    assert_int_equal(s->iv[2].u.pull.spec.select, REPS_ALL);
    assert_int_equal(s->iv[3].u.expand_ops.max_staff, 50);
    config_destroy(&cfg);
    params_destroy(&p);
}

static void test_scenario_types(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    assert_int_equal(load_resolve(D "good_scenarios.ini", NULL, &cfg, &p, &e),
                     0);
    assert_string_equal(p.scenarios[2].id, "empty");
    assert_int_equal(p.scenarios[2].n_iv, 0);
    const struct scenario *s = &p.scenarios[3];
    assert_string_equal(s->title, "Habit, growth and support");
    assert_int_equal(s->n_iv, 7);
    assert_true(s->iv[0].u.policy.threshold_days == 20);
    assert_int_equal(s->iv[0].u.policy.end_week, 52);
    assert_true(s->iv[1].u.support.absorb_hours_per_week == 10);
    assert_true(s->iv[1].u.support.lead_weeks == -1);
    assert_true(s->iv[2].u.focus.prospecting_share == 0.1);
    assert_true(s->iv[3].u.effectiveness.advance_multiplier == 1.2);
    assert_true(s->iv[4].u.expectations.forgiveness == 0.5);
    assert_true(s->iv[5].u.budget.cost_per_rep == 150000);
    assert_true(s->iv[6].u.expand_ops.goal_days == 20);
    config_destroy(&cfg);
    params_destroy(&p);
}

static void test_zero_length_pull_and_negative_zero(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    const char *sets[] = {"scenario.z.pull.weeks=0",
                          "market.delay_sensitivity"
                          "=-0",
                          "scenario.z.pull.start_week=103", NULL};
    assert_int_equal(load_resolve(D "good_crlf.ini", sets, &cfg, &p, &e), 0);
    assert_int_equal(p.scenarios[0].iv[0].u.pull.weeks, 0);
    assert_int_equal(p.scenarios[0].iv[0].u.pull.start_week, 103);
    assert_true(p.market.delay_sensitivity == 0);
    assert_false(signbit(p.market.delay_sensitivity));
    config_destroy(&cfg);
    params_destroy(&p);
}

/* ------------------------------------------------------------ writing */

/* The text config_write() produces for p. Caller frees. */
static char *written(const struct config *cfg, const struct params *p,
                     int sources)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(config_write(f, cfg, p, sources), 0);
    fclose(f);
    return buf;
}

static void assert_dist_equal(const struct dist *a, const struct dist *b)
{
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->nonneg, b->nonneg);
    for (size_t i = 0; i < 3; i++)
        assert_true(a->p[i] == b->p[i]);
    assert_true(a->mean == b->mean && a->a == b->a && a->b == b->b);
    for (size_t i = 0; i < a->n; i++)
        assert_true(a->v[i] == b->v[i]);
}

static void assert_role_equal(const struct role_params *a,
                              const struct role_params *b)
{
    assert_int_equal(a->count, b->count);
    assert_true(a->hours_per_week == b->hours_per_week);
    assert_true(a->lead_weeks == b->lead_weeks);
    assert_true(a->ramp_weeks == b->ramp_weeks);
    assert_true(a->ramp_start == b->ramp_start);
    assert_true(a->attrition_per_year == b->attrition_per_year);
    assert_true(a->backfill_weeks == b->backfill_weeks);
}

static void assert_model_equal(const struct params *a, const struct params *b)
{
    assert_int_equal(a->sim.warmup_weeks, b->sim.warmup_weeks);
    assert_int_equal(a->sim.horizon_weeks, b->sim.horizon_weeks);
    assert_int_equal(a->sim.replications, b->sim.replications);
    assert_true(a->sim.seed == b->sim.seed && a->sim.rng == b->sim.rng);
    assert_true(a->sim.max_events == b->sim.max_events);
    assert_role_equal(&a->sales.role, &b->sales.role);
    assert_true(a->sales.prospecting_share == b->sales.prospecting_share);
    assert_true(a->sales.admin_share == b->sales.admin_share);
    assert_true(a->sales.opportunities_per_week ==
                b->sales.opportunities_per_week);
    assert_dist_equal(&a->sales.deal_value, &b->sales.deal_value);
    assert_dist_equal(&a->sales.effectiveness, &b->sales.effectiveness);
    assert_int_equal(a->n_stages, b->n_stages);
    for (size_t i = 0; i < a->n_stages; i++) {
        const struct stage_params *x = &a->stages[i], *y = &b->stages[i];
        assert_string_equal(x->name, y->name);
        assert_dist_equal(&x->work_hours, &y->work_hours);
        assert_dist_equal(&x->buyer_days, &y->buyer_days);
        assert_dist_equal(&x->patience_days, &y->patience_days);
        assert_true(x->advance == y->advance);
    }
    assert_role_equal(&a->ops.role, &b->ops.role);
    assert_int_equal(a->ops.queue, b->ops.queue);
    assert_dist_equal(&a->ops.onboarding_hours, &b->ops.onboarding_hours);
    assert_dist_equal(&a->ops.ticket_hours, &b->ops.ticket_hours);
    assert_true(a->ops.onboarding_sla_days == b->ops.onboarding_sla_days);
    assert_true(a->ops.ticket_sla_days == b->ops.ticket_sla_days);
    assert_role_equal(&a->support.role, &b->support.role);
    assert_true(a->support.absorb_hours_per_week ==
                b->support.absorb_hours_per_week);
    assert_memory_equal(&a->clients, &b->clients, sizeof a->clients);
    assert_memory_equal(&a->market, &b->market, sizeof a->market);
}

static void assert_params_equal(const struct params *a, const struct params *b)
{
    assert_model_equal(a, b);
    assert_int_equal(a->n_scenarios, b->n_scenarios);
    for (size_t i = 0; i < a->n_scenarios; i++) {
        const struct scenario *x = &a->scenarios[i], *y = &b->scenarios[i];
        assert_string_equal(x->id, y->id);
        assert_string_equal(x->title, y->title);
        assert_int_equal(x->n_iv, y->n_iv);
        for (size_t j = 0; j < x->n_iv; j++) {
            assert_string_equal(x->iv[j].name, y->iv[j].name);
            assert_int_equal(x->iv[j].type, y->iv[j].type);
            /* Interventions are zeroed before their fields are set. */
            assert_memory_equal(&x->iv[j].u, &y->iv[j].u, sizeof x->iv[j].u);
        }
    }
}

/* Writes p (with or without sources) to a file, reads it back. */
static void round_trip(const char *path, const char *const *sets, int sources)
{
    struct config cfg, cfg2;
    struct params p, p2;
    struct err e;
    char tmp[] = "/tmp/salescap_rt_XXXXXX";
    assert_int_equal(load_resolve(path, sets, &cfg, &p, &e), 0);
    int fd = mkstemp(tmp);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    assert_int_equal(config_write(f, &cfg, &p, sources), 0);
    assert_int_equal(fclose(f), 0);
    int rc = load_resolve(tmp, NULL, &cfg2, &p2, &e);
    if (rc)
        print_error("re-reading %s: %s\n", path, e.msg);
    assert_int_equal(rc, 0);
    assert_params_equal(&p, &p2);
    char *t1 = written(NULL, &p, 0), *t2 = written(NULL, &p2, 0);
    assert_string_equal(t1, t2);
    free(t1);
    free(t2);
    unlink(tmp);
    config_destroy(&cfg);
    config_destroy(&cfg2);
    params_destroy(&p);
    params_destroy(&p2);
}

static void test_round_trip(void **state)
{
    (void)state;
    const char *odd[] = {"sales.admin_share=0.123456789012345",
                         "operations.hours_per_week=37.1", NULL};
    round_trip(D "good_full.ini", NULL, 0);
    round_trip(D "good_full.ini", NULL, 1);
    round_trip(D "good_scenarios.ini", NULL, 1);
    round_trip(D "good_include.ini", odd, 1);
    round_trip(D "good_crlf.ini", NULL, 0); /* built-in stages */
    const char *stage[] = {"stage.proposal.advance=0.55", NULL};
    round_trip(D "good_crlf.ini", stage, 1);
    /* A 199-byte line: its source goes on a comment line of its own. */
    char long_title[256];
    snprintf(long_title, sizeof long_title, "scenario.long.title=%0191d", 7);
    const char *longs[] = {long_title, NULL};
    round_trip(D "good_crlf.ini", longs, 1);
    /* fuzz_config: money written back with three decimals must read
     * back, not be taken for a thousands separator ("150.000"). */
    const char *money[] = {"sales.deal_value=11110111111111.1111111111111",
                           "sales.deal_value=150.1250", NULL};
    round_trip(D "good_crlf.ini", money, 1);
    round_trip(D "good_crlf.ini", money + 1, 1);
    /* fuzz_config: a reduction by count is written with its share of 0,
     * one by share with its count of 0; both read back. */
    const char *by_count[] = {"scenario.cut.reduce.count=2",
                              "scenario.cut.reduce.week=4", NULL};
    const char *by_share[] = {"scenario.cut.reduce.share=0.25",
                              "scenario.cut.reduce.week=4", NULL};
    round_trip(D "good_crlf.ini", by_count, 1);
    round_trip(D "good_crlf.ini", by_share, 1);
}

static void test_write_sources(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    const char *sets[] = {"operations.staff=9", NULL};
    assert_int_equal(load_resolve(D "good_include.ini", sets, &cfg, &p, &e), 0);
    char *t = written(&cfg, &p, 1);
    assert_non_null(strstr(t, "\n[simulation]\nwarmup_weeks = 26"));
    assert_non_null(strstr(t, "\nreps = 10                               ; " D
                              "good_include.ini:4\n"));
    assert_non_null(strstr(t, "\nhorizon_weeks = 52                      ; " D
                              "good_model.ini:3\n"));
    assert_non_null(strstr(t, "\nstaff = 9                               ; "
                              "--set\n"));
    assert_non_null(strstr(t, "\nhire.lead_weeks = default               ; "
                              "default\n"));
    char *sales = strstr(t, "[sales]"), *stage = strstr(t, "[stage.qualify]");
    char *ops = strstr(t, "[operations]"), *sc = strstr(t, "[scenario.");
    assert_true(sales && stage && ops && sc);
    assert_true(sales < stage && stage < ops && ops < sc);
    free(t);
    t = written(&cfg, &p, 0);
    assert_null(strstr(t, " ; "));
    free(t);
    config_destroy(&cfg);
    params_destroy(&p);
}

static void test_reference_and_names(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(config_write_reference(f), 0);
    fclose(f);
    assert_non_null(strstr(buf, "| [sales] | reps | 8 | whole, [0, 100000] |"));
    assert_non_null(strstr(buf, "| [scenario.ID] | pull.start_week | 0 | "
                                "week in [0, horizon_weeks) |"));
    assert_non_null(strstr(buf, "| [operations] | queue | fifo | fifo, "
                                "tickets_first, onboarding_first |"));
    free(buf);
    assert_string_equal(role_name(ROLE_SUPPORT), "support");
    assert_string_equal(iv_type_name(IV_EXPAND_OPS_ON_DELAY),
                        "expand_ops_on_delay");
    assert_string_equal(iv_type_name(IV_PULL), "pull");
    assert_string_equal(queue_order_name(QUEUE_TICKETS_FIRST), "tickets_first");
    assert_string_equal(rng_kind_name(RNG_MT19937), "mt19937");
}

/* docs/config.md ends with the key table: it must be the current one. */
static void test_docs_key_table_current(void **state)
{
    (void)state;
    char *ref = NULL, *doc = NULL;
    size_t len = 0, dlen = 0;
    FILE *f = open_memstream(&ref, &len);
    assert_int_equal(config_write_reference(f), 0);
    fclose(f);
    FILE *d = fopen("docs/config.md", "r");
    assert_non_null(d);
    FILE *m = open_memstream(&doc, &dlen);
    int c;
    while ((c = getc(d)) != EOF)
        putc(c, m);
    fclose(d);
    fclose(m);
    if (!strstr(doc, ref))
        print_error("docs/config.md: regenerate its key table with "
                    "'salescap check --keys'\n");
    assert_non_null(strstr(doc, ref));
    free(ref);
    free(doc);
}

/* The values of deal_value and of the stage's buyer_days as read. */
static void check_values(const struct params *p)
{
    const struct dist *dv = &p->sales.deal_value;
    assert_int_equal(dv->kind, DIST_EMPIRICAL_FILE);
    assert_int_equal(dv->n, 4);
    /* The file's 12000, 30000.5, 45000, 8000, held in ascending order
     * (a quantile is then a look-up). */
    const double want[] = {8000, 12000, 30000.5, 45000};
    for (size_t i = 0; i < 4; i++)
        assert_true(dist_values(dv)[i] == want[i]);
    assert_true(dist_mean(dv) == (12000 + 30000.5 + 45000 + 8000) / 4);
    /* A one-column file of numbers has no header: all three are values. */
    const struct dist *bd = &p->stages[0].buyer_days;
    assert_int_equal(bd->kind, DIST_EMPIRICAL_FILE);
    assert_int_equal(bd->n, 3);
    assert_true(dist_mean(bd) == 55);
}

/* empirical_file(PATH[, COLUMN]) (see also its bad_empirical_file_*
 * cases above). */
static void test_reads_relative_to_file(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    assert_int_equal(load_resolve(D "empirical_file.ini", NULL, &cfg, &p, &e),
                     0);
    check_values(&p);
    /* Draws are the file's values, each about equally often. */
    gsl_rng *r = gsl_rng_alloc(rng_xoshiro256pp);
    rng_reseed(r, 7);
    assert_non_null(r);
    int count[4] = {0};
    for (int i = 0; i < 4000; i++) {
        double x = dist_sample(&p.sales.deal_value, r);
        int k = x == 12000 ? 0 : x == 30000.5 ? 1 : x == 45000 ? 2 : 3;
        assert_true(k < 3 || x == 8000);
        count[k]++;
    }
    for (int k = 0; k < 4; k++)
        assert_in_range(count[k], 880, 1120);
    gsl_rng_free(r);
    /* The spec written back names the file by its absolute path. */
    char buf[512], cwd[256];
    assert_non_null(getcwd(cwd, sizeof cwd));
    dist_format(&p.sales.deal_value, buf, sizeof buf);
    char want[600];
    snprintf(want, sizeof want,
             "empirical_file(%s/" D "values_deals.csv, amount)", cwd);
    assert_string_equal(buf, want);
    config_destroy(&cfg);
    params_destroy(&p);
}

/* run.ini reads the same files back from another folder. */
static void test_written_file_reads_back(void **state)
{
    (void)state;
    struct config cfg, cfg2;
    struct params p, p2;
    struct err e;
    assert_int_equal(load_resolve(D "empirical_file.ini", NULL, &cfg, &p, &e),
                     0);
    char dir[] = "/tmp/salescap_ef_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/run.ini", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    assert_int_equal(config_write(f, &cfg, &p, 0), 0);
    fclose(f);
    if (load_resolve(path, NULL, &cfg2, &p2, &e))
        print_error("%s\n", e.msg);
    assert_int_equal(e.kind, ERR_NONE);
    check_values(&p2);
    config_destroy(&cfg);
    params_destroy(&p);
    config_destroy(&cfg2);
    params_destroy(&p2);
    remove(path);
    rmdir(dir);
}

/* A --set's path is relative to the current folder; a later value
 * replaces (and frees) an earlier file's. */
static void test_set_relative_to_cwd(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e;
    const char *set1[] = {
        "sales.deal_value=empirical_file(" D "values_plain.csv)", NULL};
    int rc = load_resolve(D "empirical_file.ini", set1, &cfg, &p, &e);
    if (rc)
        print_error("%s\n", e.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(p.sales.deal_value.n, 3);
    config_destroy(&cfg);
    params_destroy(&p);
    const char *set2[] = {"sales.deal_value=empirical_file(values_plain.csv)",
                          NULL};
    rc = load_resolve(D "empirical_file.ini", set2, &cfg, &p, &e);
    assert_int_equal(rc, -1);
    assert_string_equal(e.msg, "--set: [sales] deal_value: "
                               "empirical_file(PATH[, COLUMN]): cannot open "
                               "'values_plain.csv': No such file or "
                               "directory");
    config_destroy(&cfg);
    params_destroy(&p);
}

/* More values than empirical() takes on a line (its 64, and inih's 199
 * bytes): 5000 of them. */
static void test_many_values(void **state)
{
    (void)state;
    char dir[] = "/tmp/salescap_ef_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char csv[256], ini[256];
    snprintf(csv, sizeof csv, "%s/big.csv", dir);
    snprintf(ini, sizeof ini, "%s/big.ini", dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("days\r\n", f);
    for (int i = 1; i <= 5000; i++)
        fprintf(f, "%d.5\r\n", i);
    fclose(f);
    f = fopen(ini, "w");
    assert_non_null(f);
    fputs("[stage.only]\nbuyer_days = empirical_file(big.csv, days)\n", f);
    fclose(f);
    struct config cfg;
    struct params p;
    struct err e;
    assert_int_equal(load_resolve(ini, NULL, &cfg, &p, &e), 0);
    assert_int_equal(p.stages[0].buyer_days.n, 5000);
    assert_true(dist_mean(&p.stages[0].buyer_days) == 2501);
    config_destroy(&cfg);
    params_destroy(&p);
    remove(csv);
    remove(ini);
    rmdir(dir);
}

/* ------------------------------------------------------------ [report] */

/* [report]: its words, the notes read relative to the file, written to
 * run.ini only when set; --set notes are relative to the current
 * folder. */
static void test_report_section(void **state)
{
    (void)state;
    struct config cfg;
    struct params p;
    struct err e = {0};
    if (load_resolve(D "report.ini", NULL, &cfg, &p, &e))
        fail_msg("%s", e.msg);
    assert_string_equal(p.report.title, "Board pack: \"plan B\" & more");
    assert_string_equal(p.report.author, "A. Consultant");
    assert_string_equal(p.report.notes, "report_notes.md");
    char *want = ru_slurp(NULL, D "report_notes.md");
    assert_non_null(p.report.notes_text);
    assert_string_equal(p.report.notes_text, want);
    char *w = written(&cfg, &p, 0);
    assert_non_null(strstr(w, "\n[decision]\n"));
    assert_true(strstr(w, "\n[report]\ntitle = Board pack: \"plan B\" & "
                          "more\nauthor = A. Consultant\nnotes = "
                          "report_notes.md\n\n[scenario.pull]\n") >
                strstr(w, "\n[decision]\n"));
    free(w);
    config_destroy(&cfg);
    params_destroy(&p);
    /* No [report]: run.ini as before, no notes. */
    if (load_resolve(D "good_full.ini", NULL, &cfg, &p, &e))
        fail_msg("%s", e.msg);
    assert_null(p.report.notes_text);
    w = written(&cfg, &p, 1);
    assert_null(strstr(w, "[report]"));
    free(w);
    config_destroy(&cfg);
    params_destroy(&p);
    const char *sets[] = {"report.notes=" D "report_notes.md", NULL};
    if (load_resolve(D "good_crlf.ini", sets, &cfg, &p, &e))
        fail_msg("%s", e.msg);
    assert_string_equal(p.report.notes_text, want);
    config_destroy(&cfg);
    params_destroy(&p);
    free(want);
}

/* Notes that are no text, or far too long for notes: FILE:LINE. */
static void test_report_notes_not_text(void **state)
{
    (void)state;
    char dir[] = "/tmp/salescap-test-notes.XXXXXX", ini[128], md[128];
    assert_non_null(mkdtemp(dir));
    snprintf(ini, sizeof ini, "%s/r.ini", dir);
    snprintf(md, sizeof md, "%s/n.md", dir);
    FILE *f = fopen(ini, "w");
    assert_non_null(f);
    fputs("[report]\nnotes = n.md\n", f);
    fclose(f);
    for (int k = 0; k < 2; k++) {
        f = fopen(md, "w");
        assert_non_null(f);
        if (k == 0)
            fwrite("# Notes\nline\0two\n", 1, 17, f);
        else
            for (int i = 0; i < 1024 * 1024 + 1; i++)
                putc('a', f);
        fclose(f);
        struct config cfg;
        struct params p;
        struct err e = {0};
        char want[512];
        assert_int_equal(load_resolve(ini, NULL, &cfg, &p, &e), -1);
        if (k == 0)
            snprintf(want, sizeof want,
                     "%s:2: [report] notes: %s: NUL "
                     "byte: not a text file",
                     ini, md);
        else
            snprintf(want, sizeof want,
                     "%s:2: [report] notes: %s is "
                     "1048577 bytes long; notes hold at most 1048576",
                     ini, md);
        assert_int_equal(e.kind, ERR_CONFIG);
        assert_string_equal(e.msg, want);
        config_destroy(&cfg);
    }
    remove(md);
    remove(ini);
    rmdir(dir);
}

/* config_resolve_report reads [report] of a file whose rest does not
 * resolve (a report redrawn from an old run.ini). */
static void test_report_alone(void **state)
{
    (void)state;
    struct config cfg = {0};
    struct params p;
    struct report_params r;
    struct err e = {0};
    const char *sets[] = {"report.author=Me", NULL};
    assert_int_equal(
        load_resolve(D "bad_week_past_horizon.ini", sets, &cfg, &p, &e), -1);
    assert_int_equal(config_resolve_report(&cfg, &r, &e), 0);
    assert_string_equal(r.author, "Me");
    assert_string_equal(r.title, "");
    assert_null(r.notes_text);
    config_destroy_report(&r);
    config_destroy(&cfg);
    memset(&e, 0, sizeof e); /* an err keeps its first message */
    assert_int_equal(config_load(&cfg, D "bad_report_notes_missing.ini", &e),
                     0);
    assert_int_equal(config_resolve_report(&cfg, &r, &e), -1);
    assert_int_equal(e.kind, ERR_CONFIG);
    if (!strstr(e.msg, "bad_report_notes_missing.ini:3: [report] notes: "
                       "cannot open"))
        fail_msg("got: %s", e.msg);
    config_destroy(&cfg);
}

/* Collects config_changes() rows as "section|key|value|default\n". */
static void collect_change(void *ctx, const struct config_change *c)
{
    FILE *f = ctx;
    assert_true(c->doc && c->doc[0]);
    fprintf(f, "%s|%s|%s|%s\n", c->section, c->key, c->value, c->def);
}

static char *changes_of(const char *path)
{
    struct config cfg;
    struct params p;
    struct err e = {0};
    char *buf = NULL;
    size_t len = 0;
    if (load_resolve(path, NULL, &cfg, &p, &e))
        fail_msg("%s", e.msg);
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(config_changes(&p, collect_change, f, &e), 0);
    fclose(f);
    config_destroy(&cfg);
    params_destroy(&p);
    return buf;
}

/* The parameters that differ from the defaults, for the report's
 * appendix: exactly those, with their defaults. */
static void test_changes(void **state)
{
    (void)state;
    char *c = changes_of(D "report.ini");
    assert_string_equal(c, "simulation|horizon_weeks|26|104\n"
                           "scenario.pull|pull.type|pull|\n"
                           "scenario.pull|pull.start_week|4|0\n"
                           "scenario.pull|pull.reps|50%|all\n");
    free(c);
    c = changes_of(D "one_stage.ini");
    assert_non_null(strstr(c, "simulation|warmup_weeks|4|26\n"
                              "simulation|horizon_weeks|200|104\n"
                              "simulation|replications|1|200\n"
                              "simulation|seed|11|42\n"));
    assert_non_null(strstr(c, "sales|effectiveness|1|lognormal(1, 0.15)\n"));
    /* A pipeline of its own: its list, then its stage against the stage
     * defaults (work_hours = gamma(3, 1.5), advance = 0.6). */
    assert_non_null(strstr(c, "stage.NAME|stages|only|qualify, discovery, "
                              "proposal, negotiation\n"
                              "stage.only|work_hours|0.5|gamma(3, 1.5)\n"));
    assert_non_null(strstr(c, "stage.only|advance|0.3|0.6\n"));
    assert_non_null(strstr(c, "clients|initial|0|120\n"));
    free(c);
    /* An empty file differs in nothing. */
    struct config empty = {0};
    struct params p;
    struct err e = {0};
    char *buf = NULL;
    size_t len = 0;
    assert_int_equal(config_resolve(&empty, &p, &e), 0);
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(config_changes(&p, collect_change, f, &e), 0);
    fclose(f);
    assert_string_equal(buf, "");
    free(buf);
    params_destroy(&p);
}

static const struct CMUnitTest good_tests[] = {
    cmocka_unit_test(test_defaults_and_builtin_stages),
    cmocka_unit_test(test_file_stages_replace_builtin),
    cmocka_unit_test(test_set_on_builtin_stages),
    cmocka_unit_test(test_include_precedence),
    cmocka_unit_test(test_set_parsing),
    cmocka_unit_test(test_set_errors_are_located),
    cmocka_unit_test(test_put_and_copy),
    cmocka_unit_test(test_missing_top_file),
    cmocka_unit_test(test_scenarios),
    cmocka_unit_test(test_scenario_types),
    cmocka_unit_test(test_zero_length_pull_and_negative_zero),
    cmocka_unit_test(test_round_trip),
    cmocka_unit_test(test_reads_relative_to_file),
    cmocka_unit_test(test_written_file_reads_back),
    cmocka_unit_test(test_set_relative_to_cwd),
    cmocka_unit_test(test_many_values),
    cmocka_unit_test(test_write_sources),
    cmocka_unit_test(test_reference_and_names),
    cmocka_unit_test(test_docs_key_table_current),
    cmocka_unit_test(test_report_section),
    cmocka_unit_test(test_report_alone),
    cmocka_unit_test(test_report_notes_not_text),
    cmocka_unit_test(test_changes),
};

#define N_GOOD (sizeof good_tests / sizeof good_tests[0])

/* Reads BAD_MANIFEST into bad_cases. Returns 0, or -1 after saying why
 * (a missing file, a line without its tab, no cases). */
static int read_bad_manifest(void)
{
    FILE *f = fopen(BAD_MANIFEST, "r");
    char *line = NULL;
    size_t cap = 0, size = 0;
    long no = 0;
    ssize_t len;
    if (!f) {
        fprintf(stderr, "test_config: cannot open %s\n", BAD_MANIFEST);
        return -1;
    }
    while ((len = getline(&line, &cap, f)) > 0) {
        no++;
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        if (len == 0 || line[0] == '#')
            continue;
        char *tab = strchr(line, '\t');
        if (!tab) {
            fprintf(stderr, "%s:%ld: expected FILE<TAB>MESSAGE\n", BAD_MANIFEST,
                    no);
            break;
        }
        if (n_bad == size) {
            size = size ? 2 * size : 64;
            struct bad_case *b = realloc(bad_cases, size * sizeof *b);
            if (!b)
                break;
            bad_cases = b;
        }
        *tab = '\0';
        bad_cases[n_bad].file = line;
        bad_cases[n_bad++].msg = tab + 1;
        line = NULL;
        cap = 0;
    }
    int ok = !ferror(f) && feof(f) && n_bad > 0;
    free(line);
    fclose(f);
    if (!ok)
        fprintf(stderr, "test_config: %s: not read whole\n", BAD_MANIFEST);
    return ok ? 0 : -1;
}

int main(void)
{
    /* One group (tests/run.sh counts the last summary): every bad file is
     * its own test, named after the file. */
    if (read_bad_manifest() != 0)
        return 1;
    struct CMUnitTest *tests = calloc(n_bad + N_GOOD, sizeof *tests);
    if (!tests)
        return 1;
    for (size_t i = 0; i < n_bad; i++) {
        tests[i].name = bad_cases[i].file;
        tests[i].test_func = test_bad_file;
        tests[i].initial_state = &bad_cases[i];
    }
    for (size_t i = 0; i < N_GOOD; i++)
        tests[n_bad + i] = good_tests[i];
    int rc =
        _cmocka_run_group_tests("config", tests, n_bad + N_GOOD, NULL, NULL);
    for (size_t i = 0; i < n_bad; i++)
        free(bad_cases[i].file); /* msg points into the same line */
    free(bad_cases);
    free(tests);
    return rc;
}
