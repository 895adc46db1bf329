/*
 * plan: quota attainment and the company's plan, per reported quarter of
 * one replication (docs/model.md, "Quotas and plan").
 *
 * Three values per quarter, from a replication's raw weekly series
 * (metrics.h, reported weeks only) and the file's [sales] quota_per_rep
 * and [plan]:
 *   quota_attainment  the mean, over the reps whose quota period closed
 *                     in the quarter with a prorated quota above 0, of
 *                     their bookings / their quota;
 *   reps_at_quota     the share of those reps whose bookings reached
 *                     their quota;
 *   plan_met          1 when the quarter's bookings (or revenue) reached
 *                     the plan, 0 when not: its mean over replications is
 *                     the chance of making plan.
 * The first two exist when quota_per_rep > 0 (in [sales] or a team;
 * with teams, each team has them too, from its own reps), the third when [plan]
 * sets a plan. The CSVs carry only those that exist, so a file with neither
 * writes exactly what it wrote before.
 */
#ifndef SALESCAP_PLAN_H
#define SALESCAP_PLAN_H

#include "params.h"

enum plan_metric {
    PLAN_QUOTA_ATTAINMENT = 0,
    PLAN_REPS_AT_QUOTA,
    PLAN_MET,
    PLAN_COUNT,
};

/* Their names in the CSVs: "quota_attainment", "reps_at_quota",
 * "plan_met". */
extern const char *const plan_metric_names[PLAN_COUNT];

/* Whether p reports plan metric k (enum plan_metric). */
int plan_reports(const struct params *p, int k);

/* Whether p reports any of them. */
int plan_any(const struct params *p);

/* The plan of quarter q (0-based) of a horizon of `weeks` reported
 * weeks, $: the list's value for q (its last beyond its end), prorated
 * to the weeks of a short last quarter. p must have a plan. */
double plan_target(const struct params *p, int q, int weeks);

/* Plan metric k over quarter q of raw (the reported weeks of one
 * replication, `weeks` rows of RAW_COUNT) into *out. Returns 0, or -1
 * when it is not defined: p does not report k, or, for the quota
 * metrics, no rep had a quota period close in the quarter. */
int plan_value(const struct params *p, const double *raw, int weeks, int q,
               int k, double *out);

#endif
