/*
 * config_table: every key of a scenario file, with its type, default,
 * range and meaning, and the suggestions for a mistyped name. Parsing a
 * value into its field is config_value.c's.
 *
 * Invariant: the table is the single source of truth for keys. Resolving,
 * writing run.ini, `salescap check` and `check --keys` all walk it, so a
 * key added here is parsed, validated, defaulted, written back and
 * documented at once. Offsets are relative to the struct of the section
 * (struct sales_params for [sales], struct stage_params for a stage, the
 * intervention union for an intervention type).
 */
#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "config_int.h"

_Static_assert(sizeof(enum rng_kind) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum role) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum queue_order) == sizeof(int), "enum stored as int");
_Static_assert(sizeof(enum revenue_start) == sizeof(int), "enum stored as int");

/* Bounds far beyond any sales organisation, which keep a model's memory
 * and its week arithmetic finite: reps = 2000000000 used to allocate
 * without end, and start_week + weeks near INT_MAX overflowed. */
#define PEOPLE_MAX   100000     /* people of one role, or hired at once */
#define CLIENTS_MAX  1000000    /* clients at the start */
#define WEEKS_MAX    1000000    /* lengths and periods in weeks */
#define ACCOUNTS_MAX 1000000000 /* accounts of a finite market */

#define K_INT(k, d, lo, hi, fl, st, m, doc)                                    \
    {                                                                          \
        k, CFGK_INT, d, lo, hi, fl, offsetof(st, m), NULL, doc                 \
    }
#define K_DBL(k, d, lo, hi, fl, st, m, doc)                                    \
    {                                                                          \
        k, CFGK_DOUBLE, d, lo, hi, fl, offsetof(st, m), NULL, doc              \
    }
#define K_DIST(k, d, st, m, doc)                                               \
    {                                                                          \
        k, CFGK_DIST, d, NOMIN, NOMAX, CFGK_NONNEG, offsetof(st, m), NULL, doc \
    }
#define K_ENUM(k, d, names, st, m, doc)                                        \
    {                                                                          \
        k, CFGK_ENUM, d, NOMIN, NOMAX, 0, offsetof(st, m), names, doc          \
    }
#define K_TEAM(st)                                                             \
    {                                                                          \
        "team", CFGK_TEAM, "all", NOMIN, NOMAX, 0, offsetof(st, team), NULL,   \
            "the [team.NAME] it acts on (all: every team)"                     \
    }
#define TABLE(name, a)                                                         \
    {                                                                          \
        name, a, N_KEYS(a)                                                     \
    }

static const char *const rng_names[] = {"xoshiro256pp", "mt19937", NULL};
static const char *const queue_names[] = {"fifo", "tickets_first",
                                          "onboarding_first", NULL};
static const char *const revenue_names[] = {"golive", "signature", NULL};
static const char *const role_names[] = {"sales", "ops", "support", NULL};

/* ------------------------------------------------------------ sections */

static const struct cfgk simulation_keys[] = {
    K_INT("warmup_weeks", "26", 0, 5200, 0, struct sim_params, warmup_weeks,
          "weeks simulated before the reported horizon (not reported)"),
    K_INT("horizon_weeks", "104", 1, 5200, 0, struct sim_params, horizon_weeks,
          "reported weeks; week 0 is the first"),
    K_INT("replications", "200", 1, 100000000, 0, struct sim_params,
          replications, "independent runs per scenario"),
    {"seed", CFGK_SEED, "42", 0, NOMAX, 0, offsetof(struct sim_params, seed),
     NULL, "base seed of every random stream (0 .. 2^64-1)"},
    K_ENUM("rng", "xoshiro256pp", rng_names, struct sim_params, rng,
           "generator: xoshiro256pp or mt19937"),
    K_DBL("max_events", "5e7", 1, NOMAX, 0, struct sim_params, max_events,
          "events per replication before a runaway model is stopped"),
    K_DBL("max_memory_mb", "2048", 1, 1e9, 0, struct sim_params, max_memory_mb,
          "memory of one replication's state (MB) before a runaway model "
          "is stopped"),
    {"start_date", CFGK_DATE, "none", NOMIN, NOMAX, 0,
     offsetof(struct sim_params, start_date), NULL,
     "first day of week 0 (YYYY-MM-DD): charts, tables and headlines name "
     "dates and calendar quarters; none: week 14, quarter 3"},
};

/* The keys every role shares, at offset `role` of struct st. */
#define ROLE_KEYS(st, lead, ramp, start, backfill)                             \
    K_DBL("lead_weeks", lead, 0, WEEKS_MAX, 0, st, role.lead_weeks,            \
          "weeks from a hiring decision to the first day"),                    \
        K_DBL("ramp_weeks", ramp, 0, WEEKS_MAX, 0, st, role.ramp_weeks,        \
              "weeks of linear ramp of a new hire to full speed"),             \
        K_DBL("ramp_start", start, 0, 1, 0, st, role.ramp_start,               \
              "a new hire's productivity on the first day (share)"),           \
        K_DBL("attrition_per_year", "0", 0, NOMAX, 0, st,                      \
              role.attrition_per_year, "departures per person-year"),          \
        K_DBL("backfill_weeks", backfill, 0, WEEKS_MAX, 0, st,                 \
              role.backfill_weeks, "weeks a departure's seat stays empty")

static const struct cfgk sales_keys[] = {
    K_INT("reps", "8", 0, PEOPLE_MAX, 0, struct sales_params, role.count,
          "sales reps at the start of warm-up"),
    K_DBL("hours_per_week", "40", 0, 168, CFGK_MIN_OPEN, struct sales_params,
          role.hours_per_week, "working hours of a rep per week"),
    K_DBL("prospecting_share", "0.25", 0, 1, 0, struct sales_params,
          prospecting_share, "share of a rep's hours spent prospecting"),
    K_DBL("admin_share", "0.30", 0, 1, 0, struct sales_params, admin_share,
          "share of a rep's hours spent on admin; selling gets the rest"),
    K_DBL("opportunities_per_week", "1.5", 0, NOMAX, 0, struct sales_params,
          opportunities_per_week,
          "new opportunities per rep per week at the base prospecting share"),
    K_DIST("deal_value", "lognormal(30000, 15000)", struct sales_params,
           deal_value, "annual contract value of a deal, $"),
    K_DIST("effectiveness", "lognormal(1.0, 0.15)", struct sales_params,
           effectiveness, "a rep's multiplier of stage advance odds"),
    ROLE_KEYS(struct sales_params, "8", "20", "0.25", "10"),
    /* Last, so that a later [team.NAME] can take it like any [sales] key
     * (issue 16). */
    K_DBL("quota_per_rep", "0", 0, NOMAX, 0, struct sales_params, quota_per_rep,
          "bookings a rep is to win per quarter, $, prorated for ramp and "
          "weeks employed (0: no quotas)"),
    K_DBL("vacation_days", "0", 0, 260, 0, struct sales_params, vacation_days,
          "working days off per rep per year, in weeks of the rep's own "
          "(5 days a week)"),
};

static const struct cfgk stage_keys[] = {
    K_DIST("work_hours", "gamma(3, 1.5)", struct stage_params, work_hours,
           "rep hours of work in the stage, from selling hours"),
    K_DIST("buyer_days", "exponential(10)", struct stage_params, buyer_days,
           "calendar days with the buyer after the rep's work"),
    K_DBL("advance", "0.6", 0, 1, 0, struct stage_params, advance,
          "probability of passing the stage, before effectiveness"),
    K_DIST("patience_days", "exponential(21)", struct stage_params,
           patience_days,
           "longest wait for the rep's attention before going cold, days"),
};

static const struct cfgk operations_keys[] = {
    K_INT("staff", "4", 0, PEOPLE_MAX, 0, struct ops_params, role.count,
          "ops staff at the start of warm-up"),
    K_DBL("hours_per_week", "40", 0, 168, CFGK_MIN_OPEN, struct ops_params,
          role.hours_per_week, "working hours of an ops person per week"),
    K_ENUM("queue", "fifo", queue_names, struct ops_params, queue,
           "backlog order: fifo, tickets_first or onboarding_first"),
    K_DIST("onboarding_hours", "gamma(25, 10)", struct ops_params,
           onboarding_hours, "ops hours to onboard a new client"),
    K_DBL("onboarding_sla_days", "30", 0, NOMAX, CFGK_MIN_OPEN,
          struct ops_params, onboarding_sla_days,
          "service level of an onboarding, days from win to go-live"),
    K_DIST("ticket_hours", "exponential(2)", struct ops_params, ticket_hours,
           "ops hours to resolve a ticket"),
    K_DBL("ticket_sla_days", "5", 0, NOMAX, CFGK_MIN_OPEN, struct ops_params,
          ticket_sla_days, "service level of a ticket, days"),
    K_INT("incident_week", "-1", -1, 5200, 0, struct ops_params, incident_week,
          "reported week of an incident that floods ops with tickets, in "
          "the baseline and every scenario (-1: none)"),
    K_INT("incident_tickets", "0", 0, 1000000, 0, struct ops_params,
          incident_tickets,
          "tickets the incident raises at the start of its week, each "
          "from a random live client"),
    ROLE_KEYS(struct ops_params, "6", "8", "0.5", "8"),
    K_DBL("vacation_days", "0", 0, 260, 0, struct ops_params, vacation_days,
          "working days off per ops person per year, in weeks of their own "
          "(5 days a week)"),
};

static const struct cfgk support_keys[] = {
    K_INT("staff", "0", 0, PEOPLE_MAX, 0, struct support_params, role.count,
          "sales support staff at the start of warm-up"),
    K_DBL("hours_per_week", "40", 0, 168, CFGK_MIN_OPEN, struct support_params,
          role.hours_per_week, "working hours of a support person per week"),
    K_DBL("absorb_hours_per_week", "20", 0, NOMAX, 0, struct support_params,
          absorb_hours_per_week,
          "rep admin hours per week one support person takes over"),
    ROLE_KEYS(struct support_params, "4", "4", "0.5", "6"),
};

static const struct cfgk clients_keys[] = {
    K_INT("initial", "120", 0, CLIENTS_MAX, 0, struct clients_params, initial,
          "active clients at the start of warm-up"),
    K_DBL("tickets_per_week", "0.15", 0, NOMAX, 0, struct clients_params,
          tickets_per_week, "tickets per active client per week"),
    K_DBL("renewal_rate", "0.90", 0, 1, 0, struct clients_params, renewal_rate,
          "probability of renewing with no late items"),
    K_DBL("late_penalty", "0.05", 0, 1, 0, struct clients_params, late_penalty,
          "share of the renewal odds lost per late item"),
    K_ENUM("revenue_start", "golive", revenue_names, struct clients_params,
           revenue_start, "recurring revenue starts at golive or signature"),
    K_DBL("contract_weeks", "52", 0, WEEKS_MAX, CFGK_MIN_OPEN,
          struct clients_params, contract_weeks,
          "weeks between contract anniversaries"),
};

static const struct cfgk market_keys[] = {
    K_DBL("delay_sensitivity", "0", 0, NOMAX, 0, struct market_params,
          delay_sensitivity,
          "fall of the last stage's odds per SLA of excess delay (0 = off)"),
    K_DBL("reputation_smoothing_weeks", "12", 0, WEEKS_MAX, CFGK_MIN_OPEN,
          struct market_params, reputation_smoothing_weeks,
          "weeks over which the market notices delivery delay"),
    /* The finite market: 0 keeps today's unlimited one, bit for bit. */
    K_INT("accounts", "0", 0, ACCOUNTS_MAX, 0, struct market_params, accounts,
          "addressable accounts: prospects, open deals, clients and "
          "cooling accounts together (0: unlimited)"),
    K_DBL("cooling_days", "0", 0, NOMAX, 0, struct market_params, cooling_days,
          "days before an account whose deal was lost or went cold, or "
          "that churned, may be approached again (needs accounts)"),
};

/* [calendar]: lists read and checked against the start date by
 * config_calendar.c; every default keeps the model as it is without a
 * calendar, bit for bit. */
static const struct cfgk calendar_keys[] = {
    {"opportunities_by_month", CFGK_STRING, "none", 0, NOMAX, CFGK_MONTHS,
     offsetof(struct calendar_params, opportunities_by_month), NULL,
     "multipliers of the opportunity rate, twelve, January first (none: "
     "all 1)"},
    {"buyer_speed_by_month", CFGK_STRING, "none", 0, NOMAX, CFGK_MONTHS,
     offsetof(struct calendar_params, buyer_speed_by_month), NULL,
     "how fast buyers get through their days of every stage, twelve "
     "multipliers, January first (none: all 1)"},
    {"sales_holidays", CFGK_STRING, "none", 0, NOMAX, CFGK_HOLIDAYS,
     offsetof(struct calendar_params, sales_holidays), NULL,
     "weeks in which the reps work holiday_hours_share of their hours"},
    {"ops_holidays", CFGK_STRING, "none", 0, NOMAX, CFGK_HOLIDAYS,
     offsetof(struct calendar_params, ops_holidays), NULL,
     "weeks in which the ops staff work holiday_hours_share of their "
     "hours"},
    K_DBL("holiday_hours_share", "0", 0, 1, 0, struct calendar_params,
          holiday_hours_share, "share of the hours worked in a holiday week"),
    K_INT("quarter_end_weeks", "0", 0, 13, 0, struct calendar_params,
          quarter_end_weeks,
          "last weeks of each calendar quarter with a push to close (0: "
          "none)"),
    K_DBL("quarter_end_advance", "1", 0, 100, CFGK_MIN_OPEN,
          struct calendar_params, quarter_end_advance,
          "how many times faster the last stage's buyers get through their "
          "days in the push weeks"),
};

/* [start]: work placed at time 0 (docs/model.md, "Starting state"). The
 * open pipeline is one key per stage, open.STAGE, parsed by
 * cfgk_start_open into struct stage_params. */
static const struct cfgk start_keys[] = {
    K_INT("onboardings_waiting", "0", 0, CLIENTS_MAX, 0, struct start_params,
          onboardings_waiting,
          "won deals whose onboarding waits in the ops backlog at the start"),
    K_INT("onboardings_in_progress", "0", 0, PEOPLE_MAX, 0, struct start_params,
          onboardings_in_progress,
          "onboardings in an ops person's hands at the start (at most "
          "[operations] staff, with tickets_in_progress)"),
    K_INT("tickets_waiting", "0", 0, CLIENTS_MAX, 0, struct start_params,
          tickets_waiting,
          "tickets of the initial clients waiting at the start"),
    K_INT("tickets_in_progress", "0", 0, PEOPLE_MAX, 0, struct start_params,
          tickets_in_progress, "tickets in an ops person's hands at the start"),
    K_DBL("open_age_days", "0", 0, NOMAX, 0, struct start_params, open_age_days,
          "mean age of the open deals at the start, days (0: created then)"),
};

const struct cfgk cfgk_start_open = K_INT(
    "open.STAGE", "0", 0, CLIENTS_MAX, 0, struct stage_params, open_start,
    "open deals in stage STAGE at the start, with their buyer, spread over "
    "the reps");

/* Defaults: docs/calibration.md, "Costs", gives the source of each. */
static const struct cfgk costs_keys[] = {
    K_DBL("rep_per_year", "110000", 0, NOMAX, 0, struct cost_params,
          rep_per_year,
          "fully loaded cost of a rep without commission, $ per year"),
    K_DBL("ops_per_year", "85000", 0, NOMAX, 0, struct cost_params,
          ops_per_year, "fully loaded cost of an ops person, $ per year"),
    K_DBL("support_per_year", "65000", 0, NOMAX, 0, struct cost_params,
          support_per_year,
          "fully loaded cost of a sales support person, $ per year"),
    {"hiring_fee", CFGK_FEE, "15%", 0, NOMAX, 0,
     offsetof(struct cost_params, hiring_fee), NULL,
     "one-off cost of a hire, $ or a percent of the role's annual cost"},
    K_DBL("commission_rate", "0.10", 0, 1, 0, struct cost_params,
          commission_rate, "share of bookings paid as commission"),
    K_DBL("gross_margin", "0.80", 0, 1, 0, struct cost_params, gross_margin,
          "share of revenue left after serving clients, before the staff "
          "modelled"),
    K_DBL("discount_rate", "0.10", 0, 1, 0, struct cost_params, discount_rate,
          "annual rate of net_value_npv (0: no discounting)"),
    K_DBL("severance_weeks", "4", 0, WEEKS_MAX, 0, struct cost_params,
          severance_weeks,
          "weeks of the role's annual cost paid to each person released "
          "(reduce, a shrinking policy)"),
};

static const char *const better_names[] = {"higher", "lower", NULL};

/* The metric is a name checked by config_resolve against metrics.h (a
 * flow or a level), and quarters a range checked against the horizon. */
static const struct cfgk decision_keys[] = {
    {"metric", CFGK_STRING, DECISION_DEFAULT_METRIC, NOMIN, NOMAX, 0,
     offsetof(struct decision_params, metric), NULL,
     "metric the options are ranked on: a flow (summed over the quarters) "
     "or a level (at their end)"},
    {"quarters", CFGK_STRING, "all", NOMIN, NOMAX, 0,
     offsetof(struct decision_params, quarters), NULL,
     "quarters of the decision: all, or A-B (1-based, inclusive: 1-6)"},
    K_ENUM("better", "higher", better_names, struct decision_params, better,
           "whether a higher or a lower value of the metric is better"),
};

/* [plan]: lists checked against the horizon by config_plan.c. */
static const struct cfgk plan_keys[] = {
    {"bookings_per_quarter", CFGK_STRING, "none", 0, NOMAX, CFGK_AMOUNTS,
     offsetof(struct plan_params, bookings_per_quarter), NULL,
     "the company's bookings target per quarter, $: one value, or one per "
     "quarter (the last repeats); none: no plan"},
    {"revenue_per_quarter", CFGK_STRING, "none", 0, NOMAX, CFGK_AMOUNTS,
     offsetof(struct plan_params, revenue_per_quarter), NULL,
     "the same in revenue, $, instead of bookings"},
};

/* [report]: text for report.html; notes names a file, read by
 * config_report.c. */
static const struct cfgk report_keys[] = {
    {"title", CFGK_STRING, "", NOMIN, NOMAX, 0,
     offsetof(struct report_params, title), NULL,
     "the report's heading (default: salescap's own)"},
    {"author", CFGK_STRING, "", NOMIN, NOMAX, 0,
     offsetof(struct report_params, author), NULL,
     "who wrote the report, under its heading"},
    {"notes", CFGK_STRING, "", NOMIN, NOMAX, 0,
     offsetof(struct report_params, notes), NULL,
     "a Markdown file (relative to this file) of notes and the "
     "recommendation, at the report's top"},
};

/* [targets]: one key per KPI (kpi.h), in its order; a test checks the
 * names against kpi_table. */
#define K_TARGET(k, i, hi, doc)                                                \
    {                                                                          \
        k, CFGK_TARGET, "none", 0, hi, 0,                                      \
            offsetof(struct targets_params, kpi) +                             \
                (i) * sizeof(struct target),                                   \
            NULL, doc                                                          \
    }

static const struct cfgk targets_keys[] = {
    K_TARGET("win_rate", KPI_WIN_RATE, 1, "observed won / closed deals"),
    K_TARGET("won_cycle_days", KPI_WON_CYCLE_DAYS, NOMAX,
             "observed days from creation to win of a won deal"),
    K_TARGET("open_opportunities_per_rep", KPI_OPEN_OPPORTUNITIES_PER_REP,
             NOMAX, "observed open opportunities per rep employed"),
    K_TARGET("opportunities_per_rep_week", KPI_OPPORTUNITIES_PER_REP_WEEK,
             NOMAX, "observed new opportunities per rep per week"),
    K_TARGET("deal_value", KPI_DEAL_VALUE, NOMAX,
             "observed mean annual value of a won deal, $"),
    K_TARGET("bookings_per_quarter", KPI_BOOKINGS_PER_QUARTER, NOMAX,
             "observed annual value of the deals won per quarter, $"),
    K_TARGET("onboarding_wait_days", KPI_ONBOARDING_WAIT_DAYS, NOMAX,
             "observed days from signature to the start of onboarding"),
    K_TARGET("ops_backlog_hours", KPI_OPS_BACKLOG_HOURS, NOMAX,
             "observed ops work waiting or in service, hours"),
    K_TARGET("clients", KPI_CLIENTS, NOMAX, "observed clients under contract"),
    K_TARGET("churn_rate", KPI_CHURN_RATE, 1,
             "observed clients lost per year / clients"),
    K_TARGET("onboarding_days", KPI_ONBOARDING_DAYS, NOMAX,
             "observed days from signature to go-live"),
    K_TARGET("ops_utilization", KPI_OPS_UTILIZATION, 1,
             "observed busy / available hours of the ops staff"),
};
_Static_assert(N_KEYS(targets_keys) == KPI_COUNT, "a target per KPI");

static const char *const yes_no_names[] = {"no", "yes", NULL};

static const struct cfgk scenario_keys[] = {
    {"title", CFGK_STRING, "", NOMIN, NOMAX, 0,
     offsetof(struct scenario, title), NULL,
     "the scenario's name in charts and tables (default: its ID)"},
    {"label", CFGK_STRING, "", NOMIN, NOMAX, 0,
     offsetof(struct scenario, label), NULL,
     "a short name for chart legends and panels (default: the title)"},
    K_ENUM("chart", "yes", yes_no_names, struct scenario, chart,
           "no: simulated and written to every CSV, but left out of the "
           "charts and report.html (a helper scenario)"),
};

const struct cfgk_table cfgk_simulation = TABLE("simulation", simulation_keys);
const struct cfgk_table cfgk_sales = TABLE("sales", sales_keys);
const struct cfgk_table cfgk_operations = TABLE("operations", operations_keys);
const struct cfgk_table cfgk_support = TABLE("support", support_keys);
const struct cfgk_table cfgk_clients = TABLE("clients", clients_keys);
const struct cfgk_table cfgk_market = TABLE("market", market_keys);
const struct cfgk_table cfgk_start = TABLE("start", start_keys);
const struct cfgk_table cfgk_calendar = TABLE("calendar", calendar_keys);
const struct cfgk_table cfgk_costs = TABLE("costs", costs_keys);
const struct cfgk_table cfgk_targets = TABLE("targets", targets_keys);
const struct cfgk_table cfgk_decision = TABLE("decision", decision_keys);
const struct cfgk_table cfgk_plan = TABLE("plan", plan_keys);
const struct cfgk_table cfgk_report = TABLE("report", report_keys);
const struct cfgk_table cfgk_stage = TABLE("stage.NAME", stage_keys);
const struct cfgk_table cfgk_scenario = TABLE("scenario.ID", scenario_keys);

void *cfgk_section_base(const struct cfgk_table *t, struct params *p)
{
    if (t == &cfgk_simulation)
        return &p->sim;
    if (t == &cfgk_sales)
        return &p->sales;
    if (t == &cfgk_operations)
        return &p->ops;
    if (t == &cfgk_support)
        return &p->support;
    if (t == &cfgk_clients)
        return &p->clients;
    if (t == &cfgk_market)
        return &p->market;
    if (t == &cfgk_costs)
        return &p->costs;
    if (t == &cfgk_calendar)
        return &p->calendar;
    if (t == &cfgk_start)
        return &p->start;
    if (t == &cfgk_decision)
        return &p->decision;
    if (t == &cfgk_plan)
        return &p->plan;
    if (t == &cfgk_report)
        return &p->report;
    if (t == &cfgk_targets)
        return &p->targets;
    return NULL;
}

const struct cfgk_builtin_stage cfgk_builtin_stages[] = {
    {"qualify", "gamma(1, 0.5)", "exponential(5)", "0.6", "exponential(14)"},
    {"discovery", "gamma(3, 1.5)", "exponential(10)", "0.7", "exponential(21)"},
    {"proposal", "gamma(6, 3)", "exponential(14)", "0.65", "exponential(21)"},
    {"negotiation", "gamma(3, 1.5)", "exponential(14)", "0.8",
     "exponential(28)"},
};
const size_t cfgk_n_builtin_stages = N_KEYS(cfgk_builtin_stages);

/* ------------------------------------------------------------ interventions */

#define WEEK(k, d, st, m, doc)  K_INT(k, d, 0, INT_MAX, CFGK_WEEK, st, m, doc)
#define WEEKS(k, d, st, m, doc) K_INT(k, d, 0, WEEKS_MAX, 0, st, m, doc)
#define ROLE_DEFAULT(k, st, m, doc)                                            \
    K_DBL(k, "default", 0, WEEKS_MAX, CFGK_DEFAULT, st, m, doc)

/* Which reps a pull or policy takes, and how (struct pull_spec at spec). */
#define PULL_SPEC_KEYS(st)                                                     \
    {"reps",                                                                   \
     CFGK_REPS,                                                                \
     "all",                                                                    \
     0,                                                                        \
     NOMAX,                                                                    \
     0,                                                                        \
     offsetof(st, spec),                                                       \
     NULL,                                                                     \
     "reps pulled: a count, a percent (\"50%\") or all"},                      \
        K_DBL("share", "1.0", 0, 1, CFGK_MIN_OPEN, st, spec.share,             \
              "share of each pulled rep's hours moved to ops"),                \
        K_DBL("ops_efficiency", "0.6", 0, 2, CFGK_MIN_OPEN, st,                \
              spec.ops_efficiency,                                             \
              "ops work done per rep hour, relative to an ops person"),        \
        K_DBL("return_productivity", "0.8", 0, 1, 0, st,                       \
              spec.return_productivity,                                        \
              "a rep's selling productivity right after return (share)"),      \
        K_DBL("return_ramp_weeks", "3", 0, WEEKS_MAX, 0, st,                   \
              spec.return_ramp_weeks, "weeks to ramp back to full speed"),     \
        K_DBL("leak_share", "0.05", 0, 1, 0, st, spec.leak_share,              \
              "share of hours still leaking into ops work after return"),      \
        K_DBL("leak_weeks", "6", 0, WEEKS_MAX, 0, st, spec.leak_weeks,         \
              "weeks over which the leak fades to zero"),                      \
        K_DBL("scar_leak_share", "0", 0, 1, 0, st, spec.scar_leak_share,       \
              "lasting share of hours leaking into ops each pull adds"),       \
        K_DBL("scar_readiness", "0", 0, 1, 0, st, spec.scar_readiness,         \
              "lasting loss of selling productivity each pull adds "           \
              "(share)"),                                                      \
        K_DBL("scar_recovery_weeks", "26", 0, WEEKS_MAX, 0, st,                \
              spec.scar_recovery_weeks,                                        \
              "time constant of the lasting marks' recovery, weeks (0: "       \
              "never)")

static const struct cfgk pull_keys[] = {
    WEEK("start_week", "0", struct iv_pull, start_week,
         "first week of the pull"),
    WEEKS("weeks", "2", struct iv_pull, weeks,
          "length of the pull, weeks (0: no pull)"),
    PULL_SPEC_KEYS(struct iv_pull),
    K_TEAM(struct iv_pull),
};

static const struct cfgk policy_keys[] = {
    K_DBL("threshold_days", "30", 0, NOMAX, 0, struct iv_policy, threshold_days,
          "pull when the expected ops delay exceeds this"),
    WEEKS("weeks", "2", struct iv_policy, weeks, "length of each pull, weeks"),
    WEEKS("cooldown_weeks", "8", struct iv_policy, cooldown_weeks,
          "weeks after a pull ends before the next may start"),
    WEEK("start_week", "0", struct iv_policy, start_week,
         "first week the policy is active"),
    K_INT("end_week", "-1", -1, WEEKS_MAX, 0, struct iv_policy, end_week,
          "week the policy stops (-1: runs to the end)"),
    PULL_SPEC_KEYS(struct iv_policy),
    K_TEAM(struct iv_policy),
};

static const struct cfgk hire_keys[] = {
    K_ENUM("role", "ops", role_names, struct iv_hire, role,
           "role hired: sales, ops or support"),
    K_INT("count", "1", 0, PEOPLE_MAX, 0, struct iv_hire, count,
          "people hired"),
    WEEK("week", "0", struct iv_hire, week, "week of the hiring decision"),
    ROLE_DEFAULT("lead_weeks", struct iv_hire, lead_weeks,
                 "weeks to the first day (default: the role's)"),
    ROLE_DEFAULT("ramp_weeks", struct iv_hire, ramp_weeks,
                 "weeks of ramp (default: the role's)"),
    K_TEAM(struct iv_hire),
};

static const struct cfgk focus_keys[] = {
    WEEK("start_week", "0", struct iv_focus, start_week,
         "first week of the focus"),
    WEEKS("weeks", "13", struct iv_focus, weeks, "length of the focus, weeks"),
    K_DBL("prospecting_share", "0.05", 0, 1, 0, struct iv_focus,
          prospecting_share, "reps' prospecting share during the focus"),
    K_TEAM(struct iv_focus),
};

static const struct cfgk support_iv_keys[] = {
    K_INT("count", "1", 0, PEOPLE_MAX, 0, struct iv_support, count,
          "support staff added"),
    WEEK("week", "0", struct iv_support, week, "week of the decision"),
    ROLE_DEFAULT(
        "absorb_hours_per_week", struct iv_support, absorb_hours_per_week,
        "rep admin hours one person takes over (default: [support]'s)"),
    ROLE_DEFAULT("lead_weeks", struct iv_support, lead_weeks,
                 "weeks to the first day (default: [support]'s)"),
};

static const struct cfgk effectiveness_keys[] = {
    WEEK("week", "0", struct iv_effectiveness, week, "first week of effect"),
    WEEKS("weeks", "0", struct iv_effectiveness, weeks,
          "length of the effect, weeks (0: to the end)"),
    K_DBL("advance_multiplier", "1.0", 0, NOMAX, 0, struct iv_effectiveness,
          advance_multiplier, "multiplier of every stage's advance odds"),
    K_DBL("opportunity_multiplier", "1.0", 0, NOMAX, 0, struct iv_effectiveness,
          opportunity_multiplier, "multiplier of the opportunity rate"),
    K_TEAM(struct iv_effectiveness),
};

static const struct cfgk expectations_keys[] = {
    WEEK("start_week", "0", struct iv_expectations, start_week,
         "first week reps reset expectations"),
    WEEKS("weeks", "0", struct iv_expectations, weeks,
          "length, weeks (0: to the end)"),
    K_DBL("hours_per_late_item", "1.5", 0, NOMAX, 0, struct iv_expectations,
          hours_per_late_item, "rep hours per late client's conversation"),
    K_DBL("forgiveness", "0.75", 0, 1, 0, struct iv_expectations, forgiveness,
          "share of a late item's weight removed"),
};

static const struct cfgk budget_keys[] = {
    WEEK("start_week", "0", struct iv_hire_from_budget, start_week,
         "first week of the policy"),
    K_DBL("revenue_share", "0.12", 0, 1, 0, struct iv_hire_from_budget,
          revenue_share, "share of trailing revenue spent on reps"),
    K_DBL("cost_per_rep", "150000", 0, NOMAX, CFGK_MIN_OPEN,
          struct iv_hire_from_budget, cost_per_rep,
          "fully loaded cost of a rep, $ per year"),
    K_INT("trailing_weeks", "13", 1, WEEKS_MAX, 0, struct iv_hire_from_budget,
          trailing_weeks, "weeks of revenue in the budget, annualised"),
    K_INT("review_weeks", "4", 1, WEEKS_MAX, 0, struct iv_hire_from_budget,
          review_weeks, "weeks between budget reviews"),
    ROLE_DEFAULT("lead_weeks", struct iv_hire_from_budget, lead_weeks,
                 "weeks to a hire's first day (default: [sales]'s)"),
    K_INT("max_reps", "100", 0, PEOPLE_MAX, 0, struct iv_hire_from_budget,
          max_reps, "most reps the policy will employ"),
    K_DBL("adjust_weeks", "0", 0, WEEKS_MAX, 0, struct iv_hire_from_budget,
          adjust_weeks,
          "weeks to close the gap to the budget, both ways (0: hire the "
          "whole gap at once, never shrink)"),
};

static const struct cfgk expand_ops_keys[] = {
    WEEK("start_week", "0", struct iv_expand_ops, start_week,
         "first week of the policy"),
    K_DBL("goal_days", "30", 0, NOMAX, CFGK_MIN_OPEN, struct iv_expand_ops,
          goal_days, "hire when the recognised delay exceeds this, days"),
    K_INT("count", "1", 1, PEOPLE_MAX, 0, struct iv_expand_ops, count,
          "ops staff hired per decision"),
    WEEKS("cooldown_weeks", "13", struct iv_expand_ops, cooldown_weeks,
          "weeks between decisions"),
    ROLE_DEFAULT("lead_weeks", struct iv_expand_ops, lead_weeks,
                 "weeks to a hire's first day (default: [operations]'s)"),
    K_INT("max_staff", "50", 0, PEOPLE_MAX, 0, struct iv_expand_ops, max_staff,
          "most ops staff the policy will employ"),
    K_DBL("shrink_below_days", "0", 0, NOMAX, 0, struct iv_expand_ops,
          shrink_below_days,
          "release count staff when the recognised delay is under this, "
          "days (0: never)"),
    K_DBL("goal_drift_weeks", "0", 0, WEEKS_MAX, 0, struct iv_expand_ops,
          goal_drift_weeks,
          "weeks over which the goal drifts toward the recognised delay "
          "(0: a fixed goal)"),
    K_DBL("perception_weeks", "0", 0, WEEKS_MAX, 0, struct iv_expand_ops,
          perception_weeks,
          "weeks over which the company smooths the delay it recognises "
          "(0: the market's perception)"),
};

static const struct cfgk contract_keys[] = {
    K_ENUM("role", "ops", role_names, struct iv_contract, role,
           "role of the contractors: sales, ops or support"),
    K_INT("count", "1", 0, PEOPLE_MAX, 0, struct iv_contract, count,
          "contractors"),
    WEEK("start_week", "0", struct iv_contract, start_week,
         "first week of the contract"),
    WEEKS("weeks", "13", struct iv_contract, weeks,
          "length of the contract, weeks (0: no contract)"),
    K_DBL("cost_per_week", "4000", 0, NOMAX, 0, struct iv_contract,
          cost_per_week, "cost of one contractor, $ per week"),
    K_DBL("productivity", "1", 0, 1, 0, struct iv_contract, productivity,
          "a contractor's output as a share of a trained employee's"),
    K_DBL("ramp_weeks", "0", 0, WEEKS_MAX, 0, struct iv_contract, ramp_weeks,
          "weeks of linear ramp from the role's ramp_start"),
    K_TEAM(struct iv_contract),
};

static const struct cfgk reduce_keys[] = {
    K_ENUM("role", "sales", role_names, struct iv_reduce, role,
           "role reduced: sales, ops or support"),
    K_INT("count", "0", 0, PEOPLE_MAX, 0, struct iv_reduce, count,
          "positions cut (not with share)"),
    K_DBL("share", "0", 0, 1, 0, struct iv_reduce, share,
          "share of the role's positions cut, rounded (not with count)"),
    WEEK("week", "0", struct iv_reduce, week, "week of the decision"),
    WEEKS("notice_weeks", "0", struct iv_reduce, notice_weeks,
          "weeks the people chosen work on before they leave"),
    K_TEAM(struct iv_reduce),
};

static const struct cfgk freeze_keys[] = {
    K_ENUM("role", "sales", role_names, struct iv_freeze, role,
           "role whose leavers are not replaced: sales, ops or support"),
    WEEK("start_week", "0", struct iv_freeze, start_week,
         "first week of the freeze"),
    WEEKS("weeks", "13", struct iv_freeze, weeks,
          "length of the freeze, weeks (0: no freeze)"),
    K_TEAM(struct iv_freeze),
};

/* ---- issue 17: the seed claims' levers ---- */

static const struct cfgk catchup_keys[] = {
    WEEK("start_week", "0", struct iv_catchup, start_week,
         "first week of the catch-up"),
    WEEKS("weeks", "0", struct iv_catchup, weeks,
          "length of the catch-up, weeks (0: none)"),
    K_DBL("extra_hours", "10", 0, 168, 0, struct iv_catchup, extra_hours,
          "extra hours each rep works per week"),
    K_DBL("productivity", "0.8", 0, 1, 0, struct iv_catchup, productivity,
          "output of an extra hour, as a share of a normal hour's"),
    K_DBL("prospecting_share", "0.5", 0, 1, 0, struct iv_catchup,
          prospecting_share,
          "share of the extra hours spent prospecting; selling gets the "
          "rest"),
    K_DBL("cost_per_hour", "default", 0, NOMAX, CFGK_DEFAULT, struct iv_catchup,
          cost_per_hour,
          "cost of an extra hour, $ (default: [costs] rep_per_year / 52 / "
          "[sales] hours_per_week)"),
    K_TEAM(struct iv_catchup),
};

static const struct cfgk process_keys[] = {
    WEEK("start_week", "0", struct iv_process, start_week,
         "first week of the investment"),
    K_INT("invest_weeks", "4", 1, WEEKS_MAX, 0, struct iv_process, invest_weeks,
          "weeks over which the investment is spent"),
    K_DBL("invest_hours", "160", 0, NOMAX, 0, struct iv_process, invest_hours,
          "ops staff hours spent on the fix in all, instead of the backlog"),
    K_DBL("hours_saved_share", "0.15", 0, 1, 0, struct iv_process,
          hours_saved_share, "share of every later item's hours the fix saves"),
};

static const struct cfgk promise_keys[] = {
    WEEK("start_week", "0", struct iv_promise, start_week,
         "first week of the promise"),
    WEEKS("weeks", "0", struct iv_promise, weeks,
          "length, weeks (0: to the end)"),
    K_DBL("days", "14", 0, NOMAX, CFGK_MIN_OPEN, struct iv_promise, days,
          "onboarding delay promised to a new client, days"),
    K_DBL("sensitivity", "default", 0, NOMAX, CFGK_DEFAULT, struct iv_promise,
          sensitivity,
          "how buyers' last-stage odds react to the promise against "
          "onboarding_sla_days (default: [market] delay_sensitivity)"),
    K_DBL("late_weight", "1", 0, NOMAX, 0, struct iv_promise, late_weight,
          "weight at renewal of a broken promise, in late items"),
};

static const struct cfgk thin_keys[] = {
    WEEK("start_week", "0", struct iv_prospect_when_thin, start_week,
         "first week of the policy"),
    WEEKS("weeks", "0", struct iv_prospect_when_thin, weeks,
          "length, weeks (0: to the end)"),
    K_INT("below", "2", 0, PEOPLE_MAX, 0, struct iv_prospect_when_thin, below,
          "a rep with fewer open opportunities than this starts "
          "prospecting"),
    K_INT("above", "4", 1, PEOPLE_MAX, 0, struct iv_prospect_when_thin, above,
          "a rep with this many open opportunities or more stops"),
    K_DBL("prospecting_share", "0.5", 0, 1, 0, struct iv_prospect_when_thin,
          prospecting_share, "prospecting share of a rep who prospects"),
    K_DBL("idle_share", "0.02", 0, 1, 0, struct iv_prospect_when_thin,
          idle_share, "prospecting share of a rep who does not"),
    K_TEAM(struct iv_prospect_when_thin),
};

static const struct cfgk_table iv_tables[IV_TYPE_COUNT] = {
    [IV_PULL] = TABLE("pull", pull_keys),
    [IV_POLICY] = TABLE("policy", policy_keys),
    [IV_HIRE] = TABLE("hire", hire_keys),
    [IV_FOCUS] = TABLE("focus", focus_keys),
    [IV_SUPPORT] = TABLE("support", support_iv_keys),
    [IV_EFFECTIVENESS] = TABLE("effectiveness", effectiveness_keys),
    [IV_EXPECTATIONS] = TABLE("expectations", expectations_keys),
    [IV_HIRE_FROM_BUDGET] = TABLE("hire_from_budget", budget_keys),
    [IV_EXPAND_OPS_ON_DELAY] = TABLE("expand_ops_on_delay", expand_ops_keys),
    [IV_CONTRACT] = TABLE("contract", contract_keys),
    [IV_REDUCE] = TABLE("reduce", reduce_keys),
    [IV_FREEZE] = TABLE("freeze", freeze_keys),
    [IV_CATCHUP] = TABLE("catchup", catchup_keys),
    [IV_PROCESS] = TABLE("process", process_keys),
    [IV_PROMISE] = TABLE("promise", promise_keys),
    [IV_PROSPECT_WHEN_THIN] = TABLE("prospect_when_thin", thin_keys),
};

const struct cfgk_table *cfgk_iv(enum iv_type t)
{
    assert((unsigned)t < IV_TYPE_COUNT);
    return &iv_tables[t];
}

/* The key of t that a mistyped key (without its prefix) most likely
 * meant, or NULL. In order: week and start_week, which interventions
 * name differently (the spelling nearest to 'week' is 'weeks', a length:
 * the very key not meant); the one key that the name begins or ends,
 * word for word ('threshold' of 'threshold_days'); the nearest spelling. */
static const char *key_hint(const char *key, const struct cfgk_table *t)
{
    static const char *const same[][2] = {{"week", "start_week"},
                                          {"start_week", "week"},
                                          {"start", "start_week"}};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        if (!strcmp(key, same[i][0]))
            for (size_t j = 0; j < t->n; j++)
                if (!strcmp(t->keys[j].key, same[i][1]))
                    return t->keys[j].key;
    const char *only = NULL;
    int found = 0;
    size_t len = strlen(key);
    /* A plural missed or added ('rep' for reps) before a longer key
     * that merely ends with the word (quota_per_rep). */
    for (size_t j = 0; j < t->n && len > 0; j++) {
        const char *k = t->keys[j].key;
        size_t kl = strlen(k);
        if ((kl == len + 1 && k[len] == 's' && !strncmp(k, key, len)) ||
            (len == kl + 1 && key[kl] == 's' && !strncmp(k, key, kl)))
            return k;
    }
    for (size_t j = 0; j < t->n && len > 0; j++) {
        const char *k = t->keys[j].key;
        size_t kl = strlen(k);
        int starts = kl > len && !strncmp(k, key, len) && k[len] == '_';
        int ends =
            kl > len && !strcmp(k + kl - len, key) && k[kl - len - 1] == '_';
        if (starts || ends) {
            only = k;
            found++;
        }
    }
    if (found == 1)
        return only;
    const char *cand[32];
    assert(t->n <= 32);
    for (size_t i = 0; i < t->n; i++)
        cand[i] = t->keys[i].key;
    return text_suggest(key, cand, t->n);
}

/* The contract key that a key of a permanent hire (hire, support) most
 * likely meant when it speaks of temporary staff (a length, an end, a
 * rate), or NULL. Such a key must never get the nearest spelling:
 * 'hire.weeks' is one letter from 'hire.week', the week of the decision,
 * and taking that hint would build a permanent hire silently. */
static const char *temporary_hint(const char *key, const struct cfgk_table *t)
{
    static const char *const words[][2] = {
        {"weeks", "weeks"},
        {"duration", "weeks"},
        {"duration_weeks", "weeks"},
        {"length", "weeks"},
        {"length_weeks", "weeks"},
        {"months", "weeks"},
        {"term", "weeks"},
        {"term_weeks", "weeks"},
        {"end_week", "weeks"},
        {"end", "weeks"},
        {"until", "weeks"},
        {"until_week", "weeks"},
        {"stop_week", "weeks"},
        {"last_week", "weeks"},
        {"leave_week", "weeks"},
        {"end_month", "weeks"},
        {"cost_per_week", "cost_per_week"},
        {"cost_per_month", "cost_per_week"},
        {"cost_per_day", "cost_per_week"},
        {"weekly_cost", "cost_per_week"},
        {"monthly_cost", "cost_per_week"},
        {"day_rate", "cost_per_week"},
        {"rate_per_week", "cost_per_week"},
    };
    if (t != &iv_tables[IV_HIRE] && t != &iv_tables[IV_SUPPORT])
        return NULL;
    for (size_t i = 0; i < N_KEYS(words); i++)
        if (!strcasecmp(key, words[i][0]))
            return words[i][1];
    return NULL;
}

int cfgk_unknown_key(struct err *e, const struct config_entry *en,
                     const struct cfgk_table *t, const char *prefix)
{
    size_t pl = strlen(prefix);
    assert(!strncmp(en->key, prefix, pl));
    const char *temp = temporary_hint(en->key + pl, t);
    if (temp)
        return cfgk_entry_error(
            e, en,
            "unknown key '%s' in [%s]; did you mean 'contract.%s'? %s is "
            "permanent: temporary staff are a contract (contract.role, "
            "contract.count, contract.start_week, contract.weeks, "
            "contract.cost_per_week)",
            en->key, en->section, temp, t->name);
    const char *hint = key_hint(en->key + pl, t);
    if (hint)
        return cfgk_entry_error(
            e, en, "unknown key '%s' in [%s]; did you mean '%s%s'?", en->key,
            en->section, prefix, hint);
    /* No likely key: all of them, as short as the section's are. */
    char list[1024];
    size_t n = 0;
    list[0] = '\0';
    for (size_t i = 0; i < t->n && n < sizeof list; i++)
        n += (size_t)snprintf(list + n, sizeof list - n, "%s%s%s",
                              i ? ", " : "", prefix, t->keys[i].key);
    return cfgk_entry_error(e, en, "unknown key '%s' in [%s]; known: %s",
                            en->key, en->section, list);
}
