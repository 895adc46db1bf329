/*
 * metrics: what the model measures each week, and how weeks combine.
 *
 * One replication produces, for each reported week, a row of raw values
 * (RAW_COUNT doubles). Each metric has a value slot; a ratio metric also
 * has a denominator slot, so quarters and totals are computed from summed
 * numerators and denominators (a quarter's win rate is the quarter's wins
 * over its closed deals, not the mean of weekly rates). A ratio with a zero
 * denominator is undefined for that replication and week: it is left out of
 * the summary, and n says how many replications defined it.
 *
 * Names are the contract of INTERFACE.md: extend, never rename.
 */
#ifndef SALESCAP_METRICS_H
#define SALESCAP_METRICS_H

enum metric {
    M_REVENUE = 0,           /* flow: recurring revenue recognised, $ */
    M_BOOKINGS,              /* flow: annual value of deals won, $ */
    M_OPPORTUNITIES_CREATED, /* flow */
    M_DEALS_WON,             /* flow */
    M_DEALS_LOST,            /* flow: failed a stage */
    M_DEALS_WENT_COLD,       /* flow: waited for the rep beyond patience */
    M_PIPELINE_COUNT,        /* level: open opportunities */
    M_PIPELINE_VALUE,        /* level: their annual value, $ */
    M_WIN_RATE,              /* ratio: won / (won + lost + cold) */
    M_CYCLE_DAYS,            /* ratio: days from creation to win, per win */
    M_OPS_BACKLOG_HOURS,     /* level: work hours waiting or in service */
    M_OPS_BACKLOG_ITEMS,     /* level */
    M_ONBOARDING_WAIT_DAYS,  /* ratio: arrival to start, by start week */
    M_TICKET_WAIT_DAYS,      /* ratio */
    M_ONBOARDING_DAYS,       /* ratio: arrival to completion, by completion */
    M_TICKET_DAYS,           /* ratio */
    M_EXPECTED_DELAY_DAYS,   /* level: onboarding delay a new client faces */
    M_LATE_ITEMS,            /* flow: items completed past their SLA */
    M_CLIENTS_ACTIVE,        /* level: under contract (live or onboarding) */
    M_CLIENTS_CHURNED,       /* flow */
    M_REP_HOURS_PROSPECTING, /* flow: clock hours */
    M_REP_HOURS_SELLING,     /* flow: deal work (incl. expectation resets) */
    M_REP_HOURS_ADMIN,       /* flow */
    M_REP_HOURS_OPS,         /* flow: ops work while pulled or leaking */
    M_REP_HOURS_IDLE,        /* flow: selling or ops time with nothing to do */
    M_OPS_UTILIZATION,  /* ratio: busy / available, staff and pulled reps */
    M_REPS_ACTIVE,      /* level: rep seats filled */
    M_OPS_STAFF_ACTIVE, /* level: ops staff employed */
    M_STAFF_COST,       /* flow: payroll and hiring fees of staff, $ */
    M_LEVER_COST,       /* flow: the interventions' own costs, $ */
    M_COMMISSION,       /* flow: commission_rate * bookings, $ */
    M_GROSS_PROFIT,     /* flow: revenue * margin - the three above */
    M_NET_VALUE,        /* level: gross profit since week 0, $ */
    M_NET_VALUE_NPV,    /* level: the same, discounted to week 0 */
    M_COUNT,
};

/* Denominator slots of ratio metrics follow the M_COUNT value slots. */
enum raw_den {
    D_WIN_RATE = M_COUNT,
    D_CYCLE_DAYS,
    D_ONBOARDING_WAIT_DAYS,
    D_TICKET_WAIT_DAYS,
    D_ONBOARDING_DAYS,
    D_TICKET_DAYS,
    D_OPS_UTILIZATION,
    /* Quotas (docs/model.md, "Quotas and plan"; 0 without them): not
     * metrics of their own but the sums plan.c makes a quarter's
     * attainment of, written in the week a rep's quota period closes
     * (the quarter's last week, or the week the rep leaves). */
    R_QUOTA_ATTAINMENT, /* sum of the closing reps' bookings / quota */
    R_QUOTA_REPS,       /* reps closing with a prorated quota above 0 */
    R_QUOTA_AT,         /* those whose bookings reached their quota */
    /* The finite market (docs/model.md, "A finite market"; 0 without
     * one): levels at the week's end, written as the accounts_* rows of
     * weekly.csv and quarterly.csv (market_table below). */
    R_ACCOUNTS_AVAILABLE, /* free to approach */
    R_ACCOUNTS_UNTOUCHED, /* of those, never approached */
    R_ACCOUNTS_COOLING,   /* lost, gone cold or churned, not yet back */
    RAW_COUNT,
};

enum metric_kind {
    METRIC_FLOW = 0, /* summed over a quarter */
    METRIC_LEVEL,    /* end-of-quarter value */
    METRIC_RATIO,    /* summed numerator / summed denominator */
};

struct metric_info {
    const char *name; /* snake_case, as in the CSVs */
    enum metric_kind kind;
    int den;           /* raw slot of the denominator, or -1 */
    const char *unit;  /* "$", "hours", "days", "count", "share" */
    const char *label; /* for charts and tables */
};

extern const struct metric_info metric_table[M_COUNT];

/* The finite market's rows of weekly.csv and quarterly.csv: levels read
 * from raw slot `slot` at a week's or a quarter's end, written only with
 * [market] accounts > 0, so a file without a market writes exactly what
 * it wrote before. Not metrics of metric_table: comparisons, sweeps and
 * the decision do not know them. */
enum { MARKET_COUNT = 3 };

struct market_info {
    const char *name; /* as in the CSVs */
    int slot;         /* R_ACCOUNTS_* */
    const char *label;
};

extern const struct market_info market_table[MARKET_COUNT];

/* The metrics every team also has, on rows of its own (docs/model.md,
 * "Teams"): the sales side's flows, levels and ratios. The others
 * (operations, costs, net value) are the company's alone. */
enum { TEAM_METRIC_COUNT = 19 };
extern const int team_metric[TEAM_METRIC_COUNT];

/* The metric with this name, or -1. */
int metric_find(const char *name);

/* Value of metric m over weeks [w0, w1) of a raw series with RAW_COUNT
 * columns per week: sum, last level, or ratio. Returns 0, or -1 when the
 * ratio is undefined (zero denominator). */
int metric_combine(const double *raw, int w0, int w1, int m, double *out);

#endif
