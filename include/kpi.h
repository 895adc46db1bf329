/*
 * kpi: the baseline's key performance indicators, the numbers a client
 * observes in its CRM and ops tools and a calibrated model must match:
 * the keys of [targets] (docs/calibration.md), the rows of the KPI table
 * that run, check and calibrate print.
 *
 * Each is a value over the whole reported horizon of one replication,
 * computed from its weekly raw series (metrics.h): flows are summed,
 * ratios are summed numerators over summed denominators, and levels are
 * averaged over the reported weeks (each week's end-of-week value), so a
 * level KPI is the mean of its column in weekly.csv. Names are part of
 * the interface: extend, never rename.
 */
#ifndef SALESCAP_KPI_H
#define SALESCAP_KPI_H

enum kpi {
    KPI_WIN_RATE = 0,               /* won / closed, share */
    KPI_WON_CYCLE_DAYS,             /* creation to win, per won deal */
    KPI_OPEN_OPPORTUNITIES_PER_REP, /* open opps / reps employed, weekly */
    KPI_OPPORTUNITIES_PER_REP_WEEK, /* created / rep-weeks employed */
    KPI_DEAL_VALUE,                 /* bookings / deals won, $ */
    KPI_BOOKINGS_PER_QUARTER,       /* bookings per 13 weeks, $ */
    KPI_ONBOARDING_WAIT_DAYS,       /* signature to the start of work */
    KPI_OPS_BACKLOG_HOURS,          /* work waiting or in service */
    KPI_CLIENTS,                    /* clients under contract */
    KPI_CHURN_RATE,                 /* churned per year / clients */
    KPI_ONBOARDING_DAYS,            /* signature to go-live */
    KPI_OPS_UTILIZATION,            /* busy / available ops hours, share */
    KPI_COUNT,
};

enum kpi_unit { KPI_SHARE = 0, KPI_DAYS, KPI_COUNT_UNIT, KPI_MONEY, KPI_HOURS };

struct kpi_info {
    const char *name; /* the [targets] key */
    enum kpi_unit unit;
    const char *label; /* for tables */
};

extern const struct kpi_info kpi_table[KPI_COUNT];

/* The KPI with this name, or -1. */
int kpi_find(const char *name);

/* Every KPI of one replication from its reported weeks: raw holds weeks
 * rows of RAW_COUNT values (metrics.h). ok[k] is 0 where a KPI is
 * undefined (no deal closed, no rep employed, no client, no ops hours),
 * and out[k] is then 0. */
void kpi_compute(const double *raw, int weeks, double *out, unsigned char *ok);

#endif
