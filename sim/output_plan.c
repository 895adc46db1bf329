/*
 * output_plan: a run's quotas and plan (plan.h) in its files and its
 * summary: the rows of quarterly.csv, comparison.csv and
 * replications.csv, the summary's table by quarter, and a headline per
 * scenario ("... lowers the chance of making plan in Q2 from 78 % to
 * 61 % ..."). Numbers are written as output.c writes them.
 *
 * Invariant: every function writes nothing when the run reports no plan
 * metric (r->plan_q NULL, or plan_reports false), so a file without
 * quotas or plan writes exactly what it wrote before.
 */
#include <math.h>
#include <string.h>

#include "output.h"
#include "plan.h"
#include "stats.h"

/* The summary table's width, in columns, that its blocks of quarters
 * keep within (but for long scenario IDs: at least 4 quarters a block). */
#define TABLE_COLUMNS 100

/* ",mean,sd,ci_low,ci_high,n" of a quarterly row. A share of
 * replications (wilson) gets the Wilson interval, which stays within
 * [0, 1] and is not empty at 0 or 100 %; the others, Student's. */
static void put_row(FILE *f, const struct acc *a, int wilson, const char *team)
{
    struct summary s;
    char b[4][40];
    acc_summary(a, &s);
    output_num(b[0], sizeof b[0], s.mean);
    b[1][0] = b[2][0] = b[3][0] = '\0';
    if (s.has_ci) {
        double lo = s.lo, hi = s.hi;
        if (wilson)
            stats_wilson(s.mean * (double)s.n, (double)s.n, &lo, &hi);
        output_num(b[1], sizeof b[1], s.sd);
        output_num(b[2], sizeof b[2], lo);
        output_num(b[3], sizeof b[3], hi);
    }
    fprintf(f, "%s,%s,%s,%s,%ld,", b[0], b[1], b[2], b[3], s.n);
    output_csv_field(f, team);
    fputc('\n', f);
}

void output_plan_quarterly(FILE *f, const struct params *p,
                           const struct run_result *r, int s, int q,
                           const char *team)
{
    for (int k = 0; r->plan_q && k < PLAN_COUNT; k++) {
        if (!plan_reports(p, k) || (k == PLAN_MET && strcmp(team, "all")))
            continue;
        output_csv_field(f, output_scenario_id(p, s));
        fprintf(f, ",%d,%s,", q + 1, plan_metric_names[k]);
        put_row(f, &r->plan_q[run_plan_index(r, s, q, k)], k == PLAN_MET, team);
    }
}

void output_plan_comparison(FILE *f, const struct params *p,
                            const struct run_result *r, int s, int q,
                            const char *team)
{
    for (int k = 0; r->plan_q && k < PLAN_COUNT; k++) {
        if (!plan_reports(p, k) || (k == PLAN_MET && strcmp(team, "all")))
            continue;
        size_t i = run_plan_index(r, s, q, k);
        struct summary d;
        char b[5][40];
        acc_summary(&r->plan_delta[i], &d);
        output_num(b[0], sizeof b[0], r->plan_base[i].mean);
        output_num(b[1], sizeof b[1], r->plan_scen[i].mean);
        output_num(b[2], sizeof b[2], d.mean);
        b[3][0] = b[4][0] = '\0';
        if (d.has_ci) {
            output_num(b[3], sizeof b[3], d.lo);
            output_num(b[4], sizeof b[4], d.hi);
        }
        output_csv_field(f, output_scenario_id(p, s));
        fprintf(f, ",%d,%s,%s,%s,%s,%s,%s,%ld,", q + 1, plan_metric_names[k],
                b[0], b[1], b[2], b[3], b[4], d.n);
        output_csv_field(f, team);
        fputc('\n', f);
    }
}

void output_plan_reps(FILE *f, const struct params *p, int quarters, int s,
                      long rep, const double *pv, const unsigned char *pok,
                      const double *draws)
{
    for (int q = 0; pv && q < quarters; q++)
        for (int k = 0; k < PLAN_COUNT; k++) {
            size_t i = ((size_t)s * quarters + q) * PLAN_COUNT + k;
            if (!pok[i])
                continue;
            char b[40];
            output_num(b, sizeof b, pv[i]);
            output_csv_field(f, output_scenario_id(p, s));
            fprintf(f, ",%ld,%s_q%d,%s", rep, plan_metric_names[k], q + 1, b);
            output_reps_draws(f, p, draws);
        }
}

/* ---- the summary ------------------------------------------------------ */

/* A plan metric's mean as the table and headlines write it: a share of
 * replications or of reps as output_share does, attainment in whole
 * percent (it may pass 100 %). */
static void plan_text(char *buf, size_t size, int k, double v)
{
    if (k == PLAN_QUOTA_ATTAINMENT)
        snprintf(buf, size, "%.0f %%", 100.0 * v);
    else
        output_share(buf, size, v);
}

/* The table's parts, in order, with their titles. */
static const int plan_order[PLAN_COUNT] = {PLAN_MET, PLAN_QUOTA_ATTAINMENT,
                                           PLAN_REPS_AT_QUOTA};
static const char *const plan_rows[PLAN_COUNT] = {
    [PLAN_QUOTA_ATTAINMENT] = "Mean quota attainment of the reps",
    [PLAN_REPS_AT_QUOTA] = "Share of the reps at or above quota",
    [PLAN_MET] = "Chance of making plan (share of replications)",
};

/* "bookings of at least $1,200,000 a quarter", or "... $1,000,000,
 * $1,100,000, then $1,200,000 a quarter". */
static void plan_words(FILE *out, const struct params *p)
{
    const struct plan_params *pl = &p->plan;
    fprintf(out, "%s of at least ",
            pl->metric == M_REVENUE ? "revenue" : "bookings");
    for (int i = 0; i < pl->n; i++) {
        char v[48];
        output_money(v, sizeof v, pl->per_quarter[i]);
        fprintf(out, "%s%s", i == 0 ? "" : i + 1 < pl->n ? ", " : ", then ", v);
    }
    fputs(" a quarter", out);
}

void output_plan_table(FILE *out, const struct params *p,
                       const struct run_result *r)
{
    if (!r->plan_q || r->replications < 1)
        return;
    int width = 8;
    for (size_t s = 0; s < p->n_scenarios; s++)
        if ((int)strlen(p->scenarios[s].id) > width)
            width = (int)strlen(p->scenarios[s].id);
    fprintf(out, "\nQuotas and plan by quarter (mean of %ld replication%s",
            r->replications, r->replications == 1 ? "" : "s");
    if (p->plan.metric >= 0) {
        fputs("; plan: ", out);
        plan_words(out, p);
    }
    if (!p->n_teams && p->sales.quota_per_rep > 0.0) {
        char v[48];
        output_money(v, sizeof v, p->sales.quota_per_rep);
        fprintf(out, "; quota: %s of bookings a rep a quarter, prorated", v);
    }
    if (p->n_teams && plan_reports(p, PLAN_QUOTA_ATTAINMENT)) {
        fputs("; quota of bookings a rep a quarter, prorated:", out);
        for (size_t t = 0; t < p->n_teams; t++) {
            char v[48];
            output_money(v, sizeof v, p->teams[t].sales.quota_per_rep);
            fprintf(out, "%s %s %s", t ? "," : "", p->teams[t].name,
                    p->teams[t].sales.quota_per_rep > 0.0 ? v : "none");
        }
    }
    fputs(")\n", out);
    int per = (TABLE_COLUMNS - width - 2) / 8;
    per = per < 4 ? 4 : per;
    for (int q0 = 0; q0 < r->quarters; q0 += per) {
        int q1 = q0 + per < r->quarters ? q0 + per : r->quarters;
        fprintf(out, "%*s", width + 2, "");
        for (int q = q0; q < q1; q++) {
            char qn[16];
            snprintf(qn, sizeof qn, "Q%d", q + 1);
            fprintf(out, " %7s", qn);
        }
        fputc('\n', out);
        for (int j = 0; j < PLAN_COUNT; j++) {
            int k = plan_order[j];
            if (!plan_reports(p, k))
                continue;
            fprintf(out, "%s\n", plan_rows[k]);
            for (int s = 0; s < r->nscen; s++) {
                fprintf(out, "  %-*s", width, output_scenario_id(p, s));
                for (int q = q0; q < q1; q++) {
                    const struct acc *a =
                        &r->plan_q[run_plan_index(r, s, q, k)];
                    char v[32] = "-";
                    if (a->n > 0)
                        plan_text(v, sizeof v, k, a->mean);
                    fprintf(out, " %7s", v);
                }
                fputc('\n', out);
            }
        }
    }
}

/* What scenario s is, for its plan headline: output_describe's text and
 * the quarter its window starts in ("... from week 13 (Q2)"). */
static void plan_what(char *buf, size_t size, const struct params *p,
                      const struct run_result *r, int s)
{
    const struct scenario *sc = &p->scenarios[s - 1];
    char what[256];
    int a, b;
    output_describe(what, sizeof what, p, sc);
    if (output_window(sc, r->weeks, &a, &b) != 0)
        snprintf(buf, size, "%s", what);
    else if (sc->n_iv == 1 && sc->iv[0].type == IV_PULL)
        snprintf(buf, size, "%s (Q%d)", what, a / 13 + 1);
    else
        snprintf(buf, size, "%s (from week %d, Q%d)", what, a, a / 13 + 1);
}

/* Percentage points of a paired difference: "-17", "+2.5". */
static void points(char *buf, size_t size, double d, int sign)
{
    double x = 100.0 * d;
    if (x == 0.0)
        x = 0.0;
    snprintf(buf, size,
             fabs(x) >= 9.95 ? (sign ? "%+.0f" : "%.0f")
                             : (sign ? "%+.1f" : "%.1f"),
             x);
}

void output_plan_headline(FILE *out, const struct params *p,
                          const struct run_result *r, int s)
{
    int k = plan_reports(p, PLAN_MET) ? PLAN_MET : PLAN_QUOTA_ATTAINMENT;
    if (!r->plan_q || !plan_reports(p, k) || r->replications < 1)
        return;
    const char *thing = k == PLAN_MET ? "the chance of making plan"
                                      : "the reps' mean quota attainment";
    int best = -1;
    double most = 0.0;
    for (int q = 0; q < r->quarters; q++) {
        const struct acc *d = &r->plan_delta[run_plan_index(r, s, q, k)];
        if (d->n > 0 && (best < 0 || fabs(d->mean) > most)) {
            best = q;
            most = fabs(d->mean);
        }
    }
    char what[320];
    plan_what(what, sizeof what, p, r, s);
    if (best < 0)
        return; /* no rep had a quota in any quarter */
    if (most == 0.0) {
        fprintf(out,
                "Headline: %s makes no difference to %s in any "
                "quarter.\n",
                what, thing);
        return;
    }
    size_t i = run_plan_index(r, s, best, k);
    const struct acc *d = &r->plan_delta[i];
    char x[32], y[32], pt[32], hw[32];
    plan_text(x, sizeof x, k, r->plan_base[i].mean);
    plan_text(y, sizeof y, k, r->plan_scen[i].mean);
    points(pt, sizeof pt, d->mean, 1);
    fprintf(out, "Headline: %s %s %s in Q%d from %s to %s", what,
            d->mean < 0.0 ? "lowers" : "raises", thing, best + 1, x, y);
    if (d->n < 2) {
        fprintf(out, " (%s points; one replication: no interval).\n", pt);
        return;
    }
    double h = acc_halfwidth(d);
    points(hw, sizeof hw, h, 0);
    fprintf(out, " (%s points ± %s, 95 %% CI, %ld paired replications%s).\n",
            pt, hw, (long)d->n,
            fabs(d->mean) <= h ? "; not distinguishable from zero" : "");
}
