/*
 * params: the resolved parameters of one scenario file: the model every
 * scenario shares, the pipeline stages, and the scenarios with their
 * interventions. Filled by config_resolve() (config.h), read by the model.
 *
 * Units are in the names unless they are days. Weeks of interventions are
 * weeks of the reported horizon (week 0 = first reported week).
 * Every field has a documented default (config.c holds the table, which is
 * also what `salescap check` prints and docs/model.md describes).
 */
#ifndef SALESCAP_PARAMS_H
#define SALESCAP_PARAMS_H

#include <stddef.h>
#include <stdint.h>

#include "dist.h"
#include "kpi.h"
#include "rng.h"

enum role { ROLE_SALES = 0, ROLE_OPS, ROLE_SUPPORT, ROLE_COUNT };

enum queue_order {
    QUEUE_FIFO = 0,         /* one queue, in arrival order */
    QUEUE_TICKETS_FIRST,    /* tickets before onboarding, fifo within each */
    QUEUE_ONBOARDING_FIRST, /* onboarding before tickets, fifo within each */
};

enum revenue_start {
    REVENUE_AT_GOLIVE = 0, /* recurring revenue starts when onboarding ends */
    REVENUE_AT_SIGNATURE,  /* ... when the deal is won */
};

/* [simulation] */
struct sim_params {
    int warmup_weeks;     /* 26; >= 0 */
    int horizon_weeks;    /* 104; >= 1 */
    int replications;     /* 200; >= 1 */
    uint64_t seed;        /* 42 */
    enum rng_kind rng;    /* xoshiro256pp */
    double max_events;    /* per replication; a runaway model stops */
    double max_memory_mb; /* one replication's state, MB; likewise */
    int start_date;       /* first day of week 0, days since
                           * 1970-01-01; CAL_NO_DATE (calendar.h):
                           * none, weeks and quarters by number */
};

/* What every role shares: [sales], [operations] and [support]. */
struct role_params {
    int count;                 /* people at the start of warm-up */
    double hours_per_week;     /* working hours, spread evenly over 7 days */
    double lead_weeks;         /* from a hiring decision to the first day */
    double ramp_weeks;         /* linear ramp of a new hire to full speed */
    double ramp_start;         /* productivity on the first day, in [0, 1] */
    double attrition_per_year; /* departures per person-year (0 = none) */
    double backfill_weeks;     /* a departure's seat stays empty this long */
};

/* [sales] */
struct sales_params {
    struct role_params role;       /* count = reps */
    double prospecting_share;      /* of the rep's hours */
    double admin_share;            /* of the rep's hours; selling = the rest */
    double opportunities_per_week; /* per rep at the base prospecting share */
    struct dist deal_value;        /* annual contract value, $ */
    struct dist effectiveness;     /* per-rep multiplier of advance odds */
    double quota_per_rep;          /* bookings a rep is to win per quarter,
                                    * $, before proration; 0: no quotas
                                    * (docs/model.md, "Quotas and plan") */
    double vacation_days;          /* working days off per rep per year
                                    * (docs/model.md, "The calendar") */
};

/* [stage.NAME], in file order */
struct stage_params {
    char *name;
    struct dist work_hours;    /* rep work, from the rep's selling hours */
    struct dist buyer_days;    /* calendar time with the buyer */
    struct dist patience_days; /* longest wait for the rep before going cold */
    double advance; /* probability of passing, before effectiveness */
    int open_start; /* [start] open.NAME: open deals at time 0 */
};

/* [team.NAME] (docs/model.md, "Teams"): a team of reps with its own
 * [sales] keys and stage keys. A key the section does not set holds
 * [sales]'s (or the stage's) value. A file without teams has none
 * (n_teams 0): its one team is [sales] with the stages. */
#define MAX_TEAMS 16

struct team {
    char *name;
    struct sales_params sales;
    struct stage_params *stages; /* n_stages of them, in the pipeline's
                                  * order; names are the pipeline's (not
                                  * owned) */
    uint64_t sales_set;          /* bit i: cfgk_sales key i set here */
    uint64_t *stage_set;         /* per stage, bit i: cfgk_stage key i,
                                  * written stage.STAGE.KEY */
    int initial_clients;         /* the installed base its reps hold; -1:
                                  * not set (then no team sets it, and
                                  * [clients] initial is spread over all
                                  * the reps in turn) */
};

/* [operations] */
struct ops_params {
    struct role_params role; /* count = staff */
    enum queue_order queue;
    struct dist onboarding_hours;
    double onboarding_sla_days;
    struct dist ticket_hours;
    double ticket_sla_days;
    int incident_week;    /* reported week of an incident, -1: none */
    int incident_tickets; /* tickets it raises, spread over that week */
    double vacation_days; /* working days off per person per year */
};

/* [support] */
struct support_params {
    struct role_params role;      /* count = staff */
    double absorb_hours_per_week; /* rep admin hours one person takes on */
};

/* [clients] */
struct clients_params {
    int initial;             /* clients at the start of warm-up */
    double tickets_per_week; /* per active client */
    double renewal_rate;     /* at each anniversary, with no late items */
    double late_penalty;     /* renewal odds lose this share per late item */
    enum revenue_start revenue_start;
    double contract_weeks; /* 52: time between anniversaries */
};

/* [market]: Forrester's delivery-delay loop, and the finite market of
 * accounts (docs/model.md, "A finite market"). */
struct market_params {
    double delay_sensitivity;          /* 0 turns the loop off */
    double reputation_smoothing_weeks; /* how slowly the market notices */
    int accounts;                      /* addressable accounts; 0: no limit */
    double cooling_days;               /* a lost, cold or churned account
                                        * waits this long to be approached
                                        * again (needs accounts) */
};

/* [start]: the work in progress and waiting at time 0 (the start of
 * warm-up; with warmup_weeks = 0, reported week 0: "today"). The open
 * pipeline per stage is struct stage_params' open_start. */
struct start_params {
    int onboardings_waiting;     /* won deals whose onboarding waits */
    int onboardings_in_progress; /* ... in an ops person's hands */
    int tickets_waiting;         /* tickets of the initial clients */
    int tickets_in_progress;
    double open_age_days; /* mean age of the open deals (0: new) */
    int given;            /* a [start] section or key exists */
};

/* [calendar]: the year's rhythm (docs/model.md, "The calendar"), the
 * same in the baseline and every scenario. The keys as written are
 * resolved (config_calendar.c) into one row per tick of warm-up and
 * horizon, each from the date of its week's first day. */
struct calendar_week {
    double opps;        /* multiplier of the prospecting rate */
    double buyer;       /* buyer speed of every stage but the last */
    double buyer_last;  /* buyer speed of the last stage (with the
                         * quarter-end push) */
    double sales_hours; /* share of a rep's hours worked (holidays) */
    double ops_hours;   /* share of an ops person's hours worked */
};

struct calendar_params {
    char *opportunities_by_month; /* "none" (all 1) or twelve numbers */
    char *buyer_speed_by_month;   /* the same */
    char *sales_holidays;         /* "none", or weeks of the year and
                                   * dates, separated by commas */
    char *ops_holidays;           /* the same */
    double holiday_hours_share;   /* share of hours left in a holiday */
    int quarter_end_weeks;        /* last weeks of a calendar quarter
                                   * with the push (0: none) */
    double quarter_end_advance;   /* the last stage's buyer speed in them */
    /* Resolved by config_resolve: */
    int n_weeks;                /* rows of week (warm-up + horizon) */
    struct calendar_week *week; /* one per tick; NULL: a flat calendar
                                 * (every row would be all 1), and the
                                 * model runs exactly as without one */
};

/* A one-off amount: money, or a share of a role's annual cost. */
struct fee {
    int is_share; /* value is a percent of the role's annual cost */
    double value; /* $, or percent (0-100) */
};

/* [costs]: what people and deals cost, for the economic metrics
 * (staff_cost, lever_cost, commission, gross_profit, net_value). Money is
 * fully loaded, per person; a year is 52 weeks. */
struct cost_params {
    double rep_per_year; /* $ per person-year */
    double ops_per_year;
    double support_per_year;
    struct fee hiring_fee;  /* per person hired (not per contractor) */
    double commission_rate; /* share of bookings */
    double gross_margin;    /* share of revenue, before the staff modelled */
    double discount_rate;   /* annual, for net_value_npv; 0: none */
    double severance_weeks; /* weeks of the role's annual cost paid to each
                             * person released (reduce, a shrinking
                             * policy); not to people who quit */
};

/* [decision]: the metric and the quarters on which the options (the
 * baseline and every scenario) are ranked (ranking.csv). */
#define DECISION_DEFAULT_METRIC "net_value"

enum decision_better { DECISION_HIGHER = 0, DECISION_LOWER };

struct decision_params {
    char *metric;   /* a flow or level metric's name */
    char *quarters; /* "all" or "A-B", as written */
    int better;     /* enum decision_better, stored as int */
    /* Resolved by config_resolve: */
    int metric_id; /* metric_find(metric), or -1: no decision (the
                    * default names a metric this build lacks) */
    int q0, q1;    /* quarters, 0-based, inclusive */
};

/* [plan]: the company's target for each reported quarter, in bookings
 * or in revenue (one of them; the reps' quotas are [sales]
 * quota_per_rep). A list shorter than the quarters repeats its last
 * value; a short last quarter's target is prorated to its weeks. */
struct plan_params {
    char *bookings_per_quarter; /* "none", or the list as written */
    char *revenue_per_quarter;  /* the same */
    /* Resolved by config_resolve: */
    int metric;          /* M_BOOKINGS or M_REVENUE (metrics.h);
                          * -1: no plan */
    int n;               /* values in per_quarter */
    double *per_quarter; /* $ per quarter, n of them; NULL: none */
};

/* [report]: the consultant's words on report.html (docs/charts.md). They
 * change nothing in the simulation. */
struct report_params {
    char *title;  /* the report's heading; "": salescap's own */
    char *author; /* "": none */
    char *notes;  /* a Markdown file, as written: relative to the file
                   * the key is in; "": none */
    /* Resolved by config_resolve: */
    char *notes_text; /* the notes file's text (NUL-terminated), or NULL
                       * without notes */
};

/* [targets]: what the client observes, one per KPI (kpi.h). They change
 * nothing in the simulation: the KPI table compares with them and
 * calibrate fits to them. */
struct target {
    int set; /* 0: no target ("none", the default) */
    double value;
    double tol;     /* absolute tolerance, > 0 */
    double tol_pct; /* as written in percent of the value, or 0 when
                     * written as a number */
    int tol_given;  /* 0: the default tolerance (TARGET_DEFAULT_TOL_PCT) */
};

#define TARGET_DEFAULT_TOL_PCT 10.0

struct targets_params {
    struct target kpi[KPI_COUNT];
};

/* Interventions. */
enum iv_type {
    IV_PULL = 0,
    IV_POLICY,
    IV_HIRE,
    IV_FOCUS,
    IV_SUPPORT,
    IV_EFFECTIVENESS,
    IV_EXPECTATIONS,
    IV_HIRE_FROM_BUDGET,
    IV_EXPAND_OPS_ON_DELAY,
    IV_CONTRACT,
    IV_REDUCE,
    IV_FREEZE,
    /* issue 17, seed claims */
    IV_CATCHUP,
    IV_PROCESS,
    IV_PROMISE,
    IV_PROSPECT_WHEN_THIN,
    IV_TYPE_COUNT,
};

enum reps_select { REPS_COUNT = 0, REPS_PERCENT, REPS_ALL };

/* Which reps, and how: shared by pull and policy. */
struct pull_spec {
    enum reps_select select;
    double reps;                /* count, or percent (0-100) */
    double share;               /* of each pulled rep's hours, (0, 1] */
    double ops_efficiency;      /* rep ops work per hour vs an ops person */
    double return_productivity; /* right after return, in [0, 1] */
    double return_ramp_weeks;   /* back to 1 over this many weeks */
    double leak_share;          /* hours still leaking into ops after return */
    double leak_weeks;          /* the leak fades linearly to 0 */
    /* the habit's lasting mark (issue 17): each pull adds these to the
     * rep's lasting leak and lost readiness, which recover exponentially
     * with time constant scar_recovery_weeks (0: never) */
    double scar_leak_share;
    double scar_readiness;
    double scar_recovery_weeks;
};

/* An intervention's team ([team.NAME] index), on the types that act on
 * reps: TEAM_ALL acts on every team (the default, and a file without
 * teams). */
#define TEAM_ALL (-1)

struct iv_pull {
    int start_week, weeks;
    struct pull_spec spec;
    int team;
};

struct iv_policy {
    double threshold_days;    /* pull when expected ops delay exceeds this */
    int weeks;                /* each pull lasts this long */
    int cooldown_weeks;       /* no new pull this long after one ends */
    int start_week, end_week; /* active window; end_week < 0: to the end */
    struct pull_spec spec;
    int team;
};

struct iv_hire {
    enum role role;
    int count;
    int week;          /* the decision; people start lead_weeks later */
    double lead_weeks; /* < 0: the role's default */
    double ramp_weeks; /* < 0: the role's default */
    int team;          /* role sales: the team the reps join */
};

struct iv_focus {
    int start_week, weeks;
    double prospecting_share;
    int team;
};

struct iv_support {
    int count, week;
    double absorb_hours_per_week; /* < 0: [support] default */
    double lead_weeks;            /* < 0: [support] default */
};

struct iv_effectiveness {
    int week, weeks;               /* weeks <= 0: to the end */
    double advance_multiplier;     /* on every stage's advance odds */
    double opportunity_multiplier; /* on the opportunity rate */
    int team;
};

struct iv_expectations {
    int start_week, weeks;      /* weeks <= 0: to the end */
    double hours_per_late_item; /* rep time per reset conversation */
    double forgiveness;         /* share of a late item's weight removed */
};

struct iv_hire_from_budget {
    int start_week;
    double revenue_share; /* of trailing revenue spent on reps */
    double cost_per_rep;  /* fully loaded, $ per year */
    int trailing_weeks;   /* revenue window, annualised */
    int review_weeks;     /* how often the budget is reviewed */
    double lead_weeks;    /* < 0: [sales] default */
    int max_reps;
    double adjust_weeks; /* 0: hire the whole gap at each review and
                          * never shrink; > 0: each review closes
                          * review_weeks / adjust_weeks of the gap
                          * between the reps authorised and the
                          * budget, both ways (releases) */
};

struct iv_expand_ops {
    int start_week;
    double goal_days;   /* hire when the recognised delay exceeds it */
    int count;          /* per decision */
    int cooldown_weeks; /* between decisions */
    double lead_weeks;  /* < 0: [operations] default */
    int max_staff;
    double shrink_below_days; /* release count staff when the recognised
                               * delay is under this (0: never) */
    double goal_drift_weeks;  /* the goal drifts toward the recognised
                               * delay over this many weeks (0: fixed) */
    double perception_weeks;  /* the company smooths the expected delay
                               * over this many weeks (0: it reads the
                               * market's perceived delay) */
};

/* Temporary staff: count people of role from start_week for weeks weeks,
 * paid cost_per_week each, then gone. */
struct iv_contract {
    enum role role;
    int count;
    int start_week, weeks; /* weeks 0: no contract */
    double cost_per_week;  /* $ per contractor per week */
    double productivity;   /* share of a trained employee's output */
    double ramp_weeks;     /* linear ramp from the role's ramp_start */
    int team;              /* role sales: the team the reps join */
};

/* A layoff: count people of role (or share of the role's positions)
 * decided at week, leaving notice_weeks later. */
struct iv_reduce {
    enum role role;
    int count;        /* positions cut (0 with share 0: nothing) */
    double share;     /* of the role's positions, rounded; in [0, 1] */
    int week;         /* the decision */
    int notice_weeks; /* the people chosen leave this much later */
    int team;         /* role sales: cut in this team only */
};

/* A hiring freeze: departures of role in [start_week, start_week + weeks)
 * are backfilled only from the window's end. */
struct iv_freeze {
    enum role role;
    int start_week, weeks; /* weeks 0: no freeze */
    int team;              /* role sales: this team's leavers only */
};

/* Catch-up (issue 17): every employed rep not in ops works extra_hours
 * more a week from start_week for weeks weeks (0: none), prospecting_share
 * of them prospecting and the rest selling, at productivity of a normal
 * hour's output; each extra hour costs cost_per_hour (< 0: the rep's
 * loaded hourly cost, [costs] rep_per_year / 52 / [sales]
 * hours_per_week). */
struct iv_catchup {
    int start_week, weeks;
    double extra_hours;
    double productivity;
    double prospecting_share;
    double cost_per_hour;
    int team;
};

/* A process fix (issue 17): from start_week for invest_weeks weeks the
 * ops staff spend invest_hours in all (spread evenly over the weeks and
 * over the staff employed) on it instead of the backlog; from then on,
 * every item that arrives needs hours_saved_share fewer hours. */
struct iv_process {
    int start_week, invest_weeks;
    double invest_hours;
    double hours_saved_share;
};

/* Promised delivery dates (issue 17): from start_week for weeks weeks
 * (0: to the end), the reps promise a new client onboarding within days.
 * The last stage's odds are multiplied by exp(-sensitivity * (days -
 * sla) / sla), sla being [operations] onboarding_sla_days (sensitivity
 * < 0: [market] delay_sensitivity); a client won then whose onboarding
 * takes longer than days has a late item that weighs late_weight at
 * renewal. */
struct iv_promise {
    int start_week, weeks;
    double days;
    double sensitivity;
    double late_weight;
};

/* Prospecting driven by the pipeline (issue 17): from start_week for
 * weeks weeks (0: to the end), at each tick a rep with fewer than below
 * open opportunities of their own starts prospecting (prospecting_share
 * of the hours), one with above or more stops (idle_share); in between a
 * rep keeps what they were doing. Reps start the policy not
 * prospecting. */
struct iv_prospect_when_thin {
    int start_week, weeks;
    int below, above;
    double prospecting_share, idle_share;
    int team;
};

struct intervention {
    char *name; /* the NAME of NAME.key */
    enum iv_type type;
    union {
        struct iv_pull pull;
        struct iv_policy policy;
        struct iv_hire hire;
        struct iv_focus focus;
        struct iv_support support;
        struct iv_effectiveness effectiveness;
        struct iv_expectations expectations;
        struct iv_hire_from_budget budget;
        struct iv_expand_ops expand_ops;
        struct iv_contract contract;
        struct iv_reduce reduce;
        struct iv_freeze freeze;
        struct iv_catchup catchup;
        struct iv_process process;
        struct iv_promise promise;
        struct iv_prospect_when_thin thin;
    } u;
};

/* [scenario.ID], in file order */
struct scenario {
    char *id;
    char *title; /* defaults to the id */
    char *label; /* short name for chart legends; "": the title */
    int chart;   /* 1: drawn; 0 (chart = no): simulated and written
                  * to the CSVs, left out of charts and the report */
    size_t n_iv;
    struct intervention *iv;
};

/* Uncertain inputs (docs/config.md, "Uncertain inputs"): number keys
 * written uncertain(DIST), each drawn once per replication from a stream
 * of its own (uncertain.h) and the same in the baseline and every
 * scenario of the replication. Resolving keeps each key's median in its
 * field (what `check`'s analytic model and a run with the input fixed
 * use); the run writes each replication's draw over it. */

/* One field an input sets: a double inside struct params (stage < 0 and
 * scenario < 0), inside stage `stage`'s struct stage_params, or inside
 * intervention `iv` of scenario `scenario` (its struct intervention).
 * With team >= 0, the field is team `team`'s copy: inside its struct
 * sales_params (stage < 0) or its stage `stage`. */
struct uncertain_place {
    int stage, scenario, iv, team;
    size_t off;      /* bytes from the start of that struct */
    double min, max; /* the key's range, as config_table.c gives it */
    int min_open;    /* min is excluded */
};

/* Invariant: dist has a spread (a degenerate uncertain(fixed(x)) is the
 * number x and no input), its support lies inside the range of every
 * place, and every place is a double key of the model or a scenario. */
struct uncertain_input {
    char *name;       /* "stage.qualify.advance" for a model key
                       * (SECTION.KEY), "pull.ops_efficiency" for a
                       * scenario's (NAME.key): the stream's name; one
                       * name is one input, whatever the scenario */
    struct dist dist; /* as written inside uncertain(), never nonneg */
    size_t n_places;
    struct uncertain_place *places;
};

struct params {
    struct sim_params sim;
    struct sales_params sales;
    size_t n_stages;
    struct stage_params *stages;
    size_t n_teams;     /* [team.NAME] sections, in file order; 0: none */
    struct team *teams; /* NULL without teams */
    struct ops_params ops;
    struct support_params support;
    struct clients_params clients;
    struct market_params market;
    struct calendar_params calendar;
    struct start_params start;
    struct cost_params costs;
    struct decision_params decision;
    struct plan_params plan;
    struct report_params report;
    struct targets_params targets;
    size_t n_scenarios;
    struct scenario *scenarios;
    size_t n_uncertain; /* in order of first appearance */
    struct uncertain_input *uncertain;
};

/* The team intervention iv acts on: TEAM_ALL, or a [team.NAME] index
 * (types without a team key act on all). */
int iv_team(const struct intervention *iv);

/* Team t's [sales] keys and stages: [sales] and p->stages themselves in
 * a file without teams (t 0). */
static inline const struct sales_params *
params_team_sales(const struct params *p, int t)
{
    return p->n_teams ? &p->teams[t].sales : &p->sales;
}

static inline const struct stage_params *
params_team_stages(const struct params *p, int t)
{
    return p->n_teams ? p->teams[t].stages : p->stages;
}

/* Teams the model runs: n_teams, or 1 ([sales]) without teams. */
static inline int params_teams(const struct params *p)
{
    return p->n_teams ? (int)p->n_teams : 1;
}

/* Reps at the start, over all teams. */
int params_reps(const struct params *p);

/* Frees what config_resolve() allocated; safe on a zeroed struct. */
void params_destroy(struct params *p);

/* Weeks from a decision to hire into role to the new person's first
 * day: lead_weeks (-1: the role's own), rounded up to whole weeks, and
 * at least 1 (Assumption: nobody starts the week they are hired). The
 * model and the charts' intervention windows both count by it. */
int params_hire_delay(const struct params *p, enum role role, double lead);

/* Names as written in INI files. */
const char *role_name(enum role r);
const char *iv_type_name(enum iv_type t);
const char *queue_order_name(enum queue_order q);

#endif
