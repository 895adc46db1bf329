/*
 * output: CSV writers, the summary table and the headline sentences.
 * Numbers are written in the C locale with %.10g; fields with no value
 * (an interval from fewer than two replications) are left empty.
 */
#include "output.h"

#include <float.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "afile.h"
#include "calendar.h"
#include "metrics.h"
#include "uncertain.h"

/* 10^0 ... 10^27, each exact in a long double of 64 bits of mantissa
 * (5^27 < 2^63). */
static const long double pow10_l[28] = {
    1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
    1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
    1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};

/* The 10 significant digits of |x| rounded to nearest, as an integer N in
 * [10^9, 10^10), and the decimal exponent X of N * 10^(X - 9): 0, or -1
 * where this cannot be sure of glibc's rounding (it rounds the exact
 * binary value, ties to even). y = |x| 10^(9 - X) is computed in long
 * double with one rounding, relative error 2^-64: below 2^-29 absolute
 * for y < 2^35, so rounding y to nearest gives N unless y lies within
 * that of a half, or of the tie itself; those, and exponents whose power
 * of ten is not exact, go to snprintf. */
static int digits10(double x, uint64_t *n, int *exp10)
{
#if LDBL_MANT_DIG >= 64
    double ax = fabs(x);
    int e = (int)floor(log10(ax));
    for (int tries = 0; tries < 3; tries++) {
        int k = 9 - e;
        if (k > 27 || k < -27)
            return -1;
        long double y = k >= 0 ? (long double)ax * pow10_l[k]
                               : (long double)ax / pow10_l[-k];
        long double fl = floorl(y), fr = y - fl;
        if (fabsl(fr - 0.5L) < 1e-6L)
            return -1;
        uint64_t v = (uint64_t)fl + (fr > 0.5L);
        if (v < UINT64_C(1000000000)) {
            e--;
            continue;
        }
        if (v > UINT64_C(10000000000)) {
            e++;
            continue;
        }
        if (v == UINT64_C(10000000000)) {
            v = UINT64_C(1000000000);
            e++;
        }
        *n = v;
        *exp10 = e;
        return 0;
    }
#else
    (void)x, (void)n, (void)exp10;
#endif
    return -1;
}

/* %.10g of a finite nonzero x into buf (at least 24 bytes), the same
 * bytes as snprintf; 0, or -1 to leave it to snprintf. */
static int fast_g10(char *buf, double x)
{
    uint64_t n;
    int X;
    if (digits10(x, &n, &X) != 0)
        return -1;
    char d[10];
    for (int i = 9; i >= 0; i--) {
        d[i] = (char)('0' + n % 10);
        n /= 10;
    }
    int nd = 10; /* significant digits, trailing zeros dropped */
    while (nd > 1 && d[nd - 1] == '0')
        nd--;
    char *o = buf;
    if (x < 0)
        *o++ = '-';
    if (X < -4 || X >= 10) {
        *o++ = d[0];
        if (nd > 1) {
            *o++ = '.';
            memcpy(o, d + 1, (size_t)nd - 1);
            o += nd - 1;
        }
        *o++ = 'e';
        *o++ = X < 0 ? '-' : '+';
        int a = X < 0 ? -X : X;
        if (a >= 100)
            *o++ = (char)('0' + a / 100);
        *o++ = (char)('0' + a / 10 % 10);
        *o++ = (char)('0' + a % 10);
    } else if (X >= 0) {
        memcpy(o, d, (size_t)X + 1);
        o += X + 1;
        if (nd > X + 1) {
            *o++ = '.';
            memcpy(o, d + X + 1, (size_t)(nd - X - 1));
            o += nd - X - 1;
        }
    } else {
        *o++ = '0';
        *o++ = '.';
        for (int i = 0; i < -X - 1; i++)
            *o++ = '0';
        memcpy(o, d, (size_t)nd);
        o += nd;
    }
    *o = '\0';
    return 0;
}

void output_num(char *buf, size_t size, double x)
{
    if (x == 0.0)
        x = 0.0; /* no "-0" */
    /* snprintf's %.10g goes through multi-precision arithmetic: most of
     * the time of writing weekly.csv. The same bytes, faster. */
    if (size >= 24 && isfinite(x) && x != 0.0 && fast_g10(buf, x) == 0)
        return;
    snprintf(buf, size, "%.10g", x);
}

void output_money(char *buf, size_t size, double x)
{
    char digits[64];
    snprintf(digits, sizeof digits, "%.0f", fabs(x));
    if (strcmp(digits, "0") == 0)
        x = 0.0;
    size_t n = strlen(digits), o = 0;
    char out[96];
    if (x < 0.0)
        out[o++] = '-';
    out[o++] = '$';
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = ',';
        out[o++] = digits[i];
    }
    out[o] = '\0';
    snprintf(buf, size, "%s", out);
}

void output_csv_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

/* The summary's columns, then the row's team (`all`: the company). */
static void put_summary(FILE *f, const struct acc *a, const char *team)
{
    struct summary s;
    char b[4][40];
    acc_summary(a, &s);
    output_num(b[0], sizeof b[0], s.mean);
    if (s.has_ci) {
        output_num(b[1], sizeof b[1], s.sd);
        output_num(b[2], sizeof b[2], s.lo);
        output_num(b[3], sizeof b[3], s.hi);
    } else {
        b[1][0] = b[2][0] = b[3][0] = '\0';
    }
    fprintf(f, "%s,%s,%s,%s,%ld,", b[0], b[1], b[2], b[3], s.n);
    output_csv_field(f, team);
    fputc('\n', f);
}

static const char *scen_id(const struct params *p, int s)
{
    return s == 0 ? "baseline" : p->scenarios[s - 1].id;
}

/* Team t's weekly rows of scenario s: the metrics of team_metric. */
static void write_weekly_team(FILE *f, const struct params *p,
                              const struct run_result *r, int s, int t)
{
    struct run_result v = run_team_view(r, t);
    for (int w = 0; w < r->weeks; w++)
        for (int k = 0; k < TEAM_METRIC_COUNT; k++) {
            int m = team_metric[k];
            output_csv_field(f, scen_id(p, s));
            fprintf(f, ",%d,%s,", w, metric_table[m].name);
            put_summary(f, run_weekly(&v, s, w, m), p->teams[t].name);
        }
}

static void write_weekly(FILE *f, const struct params *p,
                         const struct run_result *r)
{
    fputs("scenario,week,metric,mean,sd,ci_low,ci_high,n,team\n", f);
    for (int s = 0; s < r->nscen; s++) {
        for (int w = 0; w < r->weeks; w++) {
            for (int m = 0; m < M_COUNT; m++) {
                output_csv_field(f, scen_id(p, s));
                fprintf(f, ",%d,%s,", w, metric_table[m].name);
                put_summary(f, run_weekly(r, s, w, m), "all");
            }
            for (int k = 0; r->market_w && k < MARKET_COUNT; k++) {
                output_csv_field(f, scen_id(p, s));
                fprintf(f, ",%d,%s,", w, market_table[k].name);
                put_summary(
                    f,
                    &r->market_w[((size_t)s * r->weeks + w) * MARKET_COUNT + k],
                    "all");
            }
        }
        for (int t = 0; t < r->nteams; t++)
            write_weekly_team(f, p, r, s, t);
    }
}

/* Team t's quarterly rows of scenario s. */
static void write_quarterly_team(FILE *f, const struct params *p,
                                 const struct run_result *r, int s, int t)
{
    struct run_result v = run_team_view(r, t);
    for (int q = 0; q < r->quarters; q++)
        for (int k = 0; k < TEAM_METRIC_COUNT; k++) {
            int m = team_metric[k];
            output_csv_field(f, scen_id(p, s));
            fprintf(f, ",%d,%s,", q + 1, metric_table[m].name);
            put_summary(f, run_quarterly(&v, s, q, m), p->teams[t].name);
        }
    for (int q = 0; q < r->quarters; q++)
        output_plan_quarterly(f, p, &v, s, q, p->teams[t].name);
}

static void write_quarterly(FILE *f, const struct params *p,
                            const struct run_result *r)
{
    fputs("scenario,quarter,metric,mean,sd,ci_low,ci_high,n,team\n", f);
    for (int s = 0; s < r->nscen; s++) {
        for (int q = 0; q < r->quarters; q++) {
            for (int m = 0; m < M_COUNT; m++) {
                output_csv_field(f, scen_id(p, s));
                fprintf(f, ",%d,%s,", q + 1, metric_table[m].name);
                put_summary(f, run_quarterly(r, s, q, m), "all");
            }
            for (int k = 0; r->market_q && k < MARKET_COUNT; k++) {
                output_csv_field(f, scen_id(p, s));
                fprintf(f, ",%d,%s,", q + 1, market_table[k].name);
                put_summary(
                    f,
                    &r->market_q[((size_t)s * r->quarters + q) * MARKET_COUNT +
                                 k],
                    "all");
            }
            output_plan_quarterly(f, p, r, s, q, "all");
        }
        for (int t = 0; t < r->nteams; t++)
            write_quarterly_team(f, p, r, s, t);
    }
}

static const char *cmp_name(int m)
{
    if (m == CMP_LOST_REVENUE)
        return "lost_revenue";
    if (m == CMP_LOST_REVENUE_CUMULATIVE)
        return "lost_revenue_cumulative";
    if (m == CMP_LOST_NET_VALUE)
        return "lost_net_value";
    return metric_table[m].name;
}

const char *output_cmp_name(int m)
{
    return cmp_name(m);
}

const char *output_scenario_id(const struct params *p, int s)
{
    return scen_id(p, s);
}

static void write_cmp_row(FILE *f, const struct run_result *r, int s, int q,
                          int m, const char *team)
{
    size_t i = run_cmp_index(r, s, q, m);
    struct summary d;
    char b[5][40];
    acc_summary(&r->cmp_delta[i], &d);
    int lost = m >= M_COUNT;
    /* For a loss, "scenario" holds the loss: report baseline and scenario
     * revenue (lost_net_value: gross profit) beside it instead. */
    size_t rv = run_cmp_index(
        r, s, q, m == CMP_LOST_NET_VALUE ? M_GROSS_PROFIT : M_REVENUE);
    output_num(b[0], sizeof b[0],
               lost ? r->cmp_base[rv].mean : r->cmp_base[i].mean);
    output_num(b[1], sizeof b[1],
               lost ? r->cmp_scen[rv].mean : r->cmp_scen[i].mean);
    output_num(b[2], sizeof b[2], d.mean);
    b[3][0] = b[4][0] = '\0';
    if (d.has_ci) {
        output_num(b[3], sizeof b[3], d.lo);
        output_num(b[4], sizeof b[4], d.hi);
    }
    fprintf(f, "%s,%s,%s,%s,%s,%ld,", b[0], b[1], b[2], b[3], b[4], d.n);
    output_csv_field(f, team);
    fputc('\n', f);
}

/* Team t's comparison rows of scenario s: lost revenue, then the metrics
 * of team_metric. */
static void write_comparison_team(FILE *f, const struct params *p,
                                  const struct run_result *r, int s, int t)
{
    static const int lost[] = {CMP_LOST_REVENUE, CMP_LOST_REVENUE_CUMULATIVE};
    struct run_result v = run_team_view(r, t);
    for (int q = 0; q <= r->quarters; q++)
        for (int k = 0; k < 2 + TEAM_METRIC_COUNT; k++) {
            int m = k < 2 ? lost[k] : team_metric[k - 2];
            if (m == CMP_LOST_REVENUE_CUMULATIVE && q == r->quarters)
                continue; /* as the company's rows */
            output_csv_field(f, scen_id(p, s));
            if (q < r->quarters)
                fprintf(f, ",%d,%s,", q + 1, cmp_name(m));
            else
                fprintf(f, ",total,%s,", cmp_name(m));
            write_cmp_row(f, &v, s, q, m, p->teams[t].name);
        }
    for (int q = 0; q < r->quarters; q++)
        output_plan_comparison(f, p, &v, s, q, p->teams[t].name);
}

static void write_comparison(FILE *f, const struct params *p,
                             const struct run_result *r)
{
    fputs("scenario,quarter,metric,baseline_mean,scenario_mean,delta_mean,"
          "delta_ci_low,delta_ci_high,n,team\n",
          f);
    for (int s = 1; s < r->nscen; s++) {
        for (int q = 0; q <= r->quarters; q++) {
            for (int m = 0; m < CMP_COUNT; m++) {
                if (m == CMP_LOST_REVENUE_CUMULATIVE && q == r->quarters)
                    continue; /* the total is lost_revenue's total */
                output_csv_field(f, scen_id(p, s));
                if (q < r->quarters)
                    fprintf(f, ",%d,%s,", q + 1, cmp_name(m));
                else
                    fprintf(f, ",total,%s,", cmp_name(m));
                write_cmp_row(f, r, s, q, m, "all");
            }
            if (q < r->quarters)
                output_plan_comparison(f, p, r, s, q, "all");
        }
        for (int t = 0; t < r->nteams; t++)
            write_comparison_team(f, p, r, s, t);
    }
}

/* weekly_comparison.csv: comparison.csv's columns by week, for revenue:
 * each week's scenario minus baseline revenue with its paired interval
 * (the band revenue_difference draws). */
static void write_week_comparison(FILE *f, const struct params *p,
                                  const struct run_result *r)
{
    fputs("scenario,week,metric,baseline_mean,scenario_mean,delta_mean,"
          "delta_ci_low,delta_ci_high,n\n",
          f);
    for (int s = 1; s < r->nscen; s++)
        for (int w = 0; w < r->weeks; w++) {
            struct summary d;
            char b[5][40];
            acc_summary(run_week_delta(r, s, w), &d);
            output_num(b[0], sizeof b[0], run_weekly(r, 0, w, M_REVENUE)->mean);
            output_num(b[1], sizeof b[1], run_weekly(r, s, w, M_REVENUE)->mean);
            output_num(b[2], sizeof b[2], d.mean);
            b[3][0] = b[4][0] = '\0';
            if (d.has_ci) {
                output_num(b[3], sizeof b[3], d.lo);
                output_num(b[4], sizeof b[4], d.hi);
            }
            output_csv_field(f, scen_id(p, s));
            fprintf(f, ",%d,revenue,%s,%s,%s,%s,%s,%ld\n", w, b[0], b[1], b[2],
                    b[3], b[4], d.n);
        }
}

static void iv_window(const struct intervention *iv, int *a, int *b)
{
    switch (iv->type) {
    case IV_PULL:
        *a = iv->u.pull.start_week;
        *b = iv->u.pull.start_week + iv->u.pull.weeks - 1;
        return;
    case IV_POLICY:
        *a = iv->u.policy.start_week;
        *b = iv->u.policy.end_week >= 0 ? iv->u.policy.end_week - 1 : -1;
        return;
    case IV_HIRE:
        *a = iv->u.hire.week, *b = -1;
        return;
    case IV_FOCUS:
        *a = iv->u.focus.start_week;
        *b = iv->u.focus.start_week + iv->u.focus.weeks - 1;
        return;
    case IV_SUPPORT:
        *a = iv->u.support.week, *b = -1;
        return;
    case IV_EFFECTIVENESS:
        *a = iv->u.effectiveness.week;
        *b = iv->u.effectiveness.weeks > 0 ? *a + iv->u.effectiveness.weeks - 1
                                           : -1;
        return;
    case IV_EXPECTATIONS:
        *a = iv->u.expectations.start_week;
        *b = iv->u.expectations.weeks > 0 ? *a + iv->u.expectations.weeks - 1
                                          : -1;
        return;
    case IV_HIRE_FROM_BUDGET:
        *a = iv->u.budget.start_week, *b = -1;
        return;
    case IV_EXPAND_OPS_ON_DELAY:
        *a = iv->u.expand_ops.start_week, *b = -1;
        return;
    case IV_CONTRACT: /* no contractors, or none for a week: no window */
        *a = iv->u.contract.count > 0 && iv->u.contract.weeks > 0
                 ? iv->u.contract.start_week
                 : -1;
        *b = iv->u.contract.start_week + iv->u.contract.weeks - 1;
        return;
    case IV_REDUCE: /* nobody cut: no window; else it lasts */
        *a = iv->u.reduce.count > 0 || iv->u.reduce.share > 0.0
                 ? iv->u.reduce.week
                 : -1;
        *b = -1;
        return;
    case IV_FREEZE:
        *a = iv->u.freeze.start_week;
        *b = iv->u.freeze.start_week + iv->u.freeze.weeks - 1;
        return;
    case IV_CATCHUP:
        *a = iv->u.catchup.start_week;
        *b = iv->u.catchup.start_week + iv->u.catchup.weeks - 1;
        return;
    case IV_PROCESS: /* the saving lasts: no end */
        *a = iv->u.process.invest_hours > 0.0 ||
                     iv->u.process.hours_saved_share > 0.0
                 ? iv->u.process.start_week
                 : -1;
        *b = -1;
        return;
    case IV_PROMISE:
        *a = iv->u.promise.start_week;
        *b = iv->u.promise.weeks > 0 ? *a + iv->u.promise.weeks - 1 : -1;
        return;
    case IV_PROSPECT_WHEN_THIN:
        *a = iv->u.thin.start_week;
        *b = iv->u.thin.weeks > 0 ? *a + iv->u.thin.weeks - 1 : -1;
        return;
    case IV_TYPE_COUNT:
        break;
    }
    *a = *b = -1;
}

int output_window(const struct scenario *sc, int horizon_weeks, int *start,
                  int *end)
{
    int lo = -1, hi = -2;
    for (size_t i = 0; i < sc->n_iv; i++) {
        int a, b;
        iv_window(&sc->iv[i], &a, &b);
        if (a < 0 || (b >= 0 && b < a))
            continue; /* zero-length: no window */
        if (b < 0 || b >= horizon_weeks)
            b = -1;
        if (lo < 0 || a < lo)
            lo = a;
        if (hi != -1 && (b == -1 || b > hi))
            hi = b;
    }
    *start = lo;
    *end = lo < 0 ? -1 : hi;
    return lo < 0 ? -1 : 0;
}

/* Weeks from a hire's decision to its first day (the model's): a rep's
 * lead is their team's; hired for all teams, the soonest team's. */
static int hire_delay(const struct params *p, const struct iv_hire *h)
{
    if (h->role != ROLE_SALES || h->lead_weeks >= 0.0 || !p->n_teams)
        return params_hire_delay(p, h->role, h->lead_weeks);
    int best = -1;
    for (size_t t = 0; t < p->n_teams; t++) {
        if (h->team != TEAM_ALL && h->team != (int)t)
            continue;
        int d =
            params_hire_delay(p, ROLE_SALES, p->teams[t].sales.role.lead_weeks);
        if (best < 0 || d < best)
            best = d;
    }
    return best;
}

/* The first week any intervention of sc acts: a hire's (or a support
 * person's) first day, the first week of anything else; -1: none. */
static int acts_week(const struct params *p, const struct scenario *sc)
{
    int first = -1;
    for (size_t i = 0; i < sc->n_iv; i++) {
        const struct intervention *iv = &sc->iv[i];
        int a, b;
        iv_window(iv, &a, &b);
        if (a < 0 || (b >= 0 && b < a))
            continue;
        if (iv->type == IV_HIRE)
            a += hire_delay(p, &iv->u.hire);
        else if (iv->type == IV_SUPPORT)
            a += params_hire_delay(p, ROLE_SUPPORT, iv->u.support.lead_weeks);
        if (first < 0 || a < first)
            first = a;
    }
    return first;
}

/* Columns label, chart and acts_from_week came after the first four:
 * a reader of the first four reads the file as before. */
static void write_scenarios(FILE *f, const struct params *p)
{
    fputs("scenario,title,start_week,end_week,label,chart,acts_from_week\n"
          "baseline,Baseline,,,,yes,\n",
          f);
    for (size_t s = 0; s < p->n_scenarios; s++) {
        const struct scenario *sc = &p->scenarios[s];
        int a, b, w = output_window(sc, p->sim.horizon_weeks, &a, &b);
        output_csv_field(f, sc->id);
        fputc(',', f);
        output_csv_field(f, sc->title);
        if (w != 0)
            fputs(",,", f);
        else if (b < 0)
            fprintf(f, ",%d,", a);
        else
            fprintf(f, ",%d,%d", a, b);
        fputc(',', f);
        output_csv_field(f, sc->label);
        fprintf(f, ",%s,", sc->chart ? "yes" : "no");
        if (w == 0)
            fprintf(f, "%d", acts_week(p, sc));
        fputc('\n', f);
    }
}

/* ---- summary ---------------------------------------------------------- */

void output_calendar(const struct params *p, struct cal *c)
{
    cal_init(c, p->sim.start_date, p->sim.horizon_weeks);
}

/* "TITLE: pulling all 8 reps into ops for 2 weeks from week 13" (with a
 * start date, "from 2 Apr 2027"), or the scenario's title alone when it
 * is not a single pull. */
static void describe(char *buf, size_t size, const struct params *p,
                     const struct scenario *sc)
{
    if (sc->n_iv != 1 || sc->iv[0].type != IV_PULL) {
        snprintf(buf, size, "%s", sc->title);
        return;
    }
    const struct iv_pull *pu = &sc->iv[0].u.pull;
    /* a pull of one team's reps names the team: "2 enterprise reps" */
    int team = pu->team, reps = team == TEAM_ALL
                                    ? params_reps(p)
                                    : p->teams[team].sales.role.count;
    char who[128], of[64] = "";
    if (team != TEAM_ALL)
        snprintf(of, sizeof of, "%s ", p->teams[team].name);
    switch (pu->spec.select) {
    case REPS_ALL:
        snprintf(who, sizeof who, "all %d %sreps", reps, of);
        break;
    case REPS_PERCENT:
        snprintf(who, sizeof who, "%g%% of the %sreps", pu->spec.reps, of);
        break;
    case REPS_COUNT:
        if (pu->spec.reps > reps) /* all there are */
            snprintf(who, sizeof who, "%g %sreps (of a team of %d)",
                     pu->spec.reps, of, reps);
        else
            snprintf(who, sizeof who, "%g %srep%s", pu->spec.reps, of,
                     pu->spec.reps == 1 ? "" : "s");
        break;
    }
    struct cal c;
    char from[48];
    output_calendar(p, &c);
    cal_week(&c, pu->start_week, from, sizeof from);
    snprintf(buf, size, "%s: pulling %s into ops for %d week%s from %s",
             sc->title, who, pu->weeks, pu->weeks == 1 ? "" : "s", from);
}

void output_describe(char *buf, size_t size, const struct params *p,
                     const struct scenario *sc)
{
    describe(buf, size, p, sc);
}

/* "$X ± $H" of a paired mean (sign: the caller's), or "$X" alone from
 * one replication. With plus, a gain is written "+$X". */
static void money_ci(char *buf, size_t size, double x, double hw, long n,
                     int plus)
{
    char v[48], h[48];
    output_money(v, sizeof v, x);
    output_money(h, sizeof h, hw);
    snprintf(buf, size, "%s%s%s%s", plus && v[0] != '-' ? "+" : "", v,
             n >= 2 ? " ± " : "", n >= 2 ? h : "");
}

/* The lever's cost over the horizon: the paired mean of scenario minus
 * baseline staff and lever costs (0 for a lever that costs nothing). */
static double lever_cost(const struct run_result *r, int s)
{
    return r->cmp_delta[run_cmp_index(r, s, r->quarters, M_STAFF_COST)].mean +
           r->cmp_delta[run_cmp_index(r, s, r->quarters, M_LEVER_COST)].mean;
}

/* " for $Z of cost: net -$W ± $V" (", saving $Z ..." when it saves) of a lever
 * that costs (or saves) money, after its revenue: the net value gained,
 * scenario minus baseline. */
static void net_of_cost(FILE *out, const struct run_result *r, double cost,
                        const struct acc *net)
{
    char z[48], w[128];
    output_money(z, sizeof z, fabs(cost));
    money_ci(w, sizeof w, -net->mean, acc_halfwidth(net), r->replications, 1);
    fprintf(out, "%s %s of cost: net %s", cost > 0.0 ? " for" : ", saving", z,
            w);
}

/* "; net of costs, $A ± $B" of a lever that costs nothing, in the sense
 * of its revenue verb (lost, or gained); "a gain of" or "a loss of" when
 * the net goes the other way. */
static void net_of_costs(FILE *out, const struct run_result *r,
                         const struct acc *lost, const struct acc *net)
{
    char w[128];
    int against = (lost->mean >= 0.0) != (net->mean >= 0.0) && net->mean != 0.0;
    money_ci(w, sizeof w, fabs(net->mean), acc_halfwidth(net), r->replications,
             0);
    fprintf(out, "; net of costs, %s%s",
            against ? lost->mean >= 0.0 ? "a gain of " : "a loss of " : "", w);
    if (r->replications >= 2 && fabs(net->mean) <= acc_halfwidth(net))
        fputs(", not distinguishable from zero", out);
}

/* The revenue a scenario costs or gains and, net of what the lever costs
 * (its own costs and the margin and commission on the revenue), what it
 * costs or gains in net value, with the paired 95 % intervals. */
static void headline(FILE *out, const struct params *p,
                     const struct run_result *r, int s)
{
    const struct scenario *sc = &p->scenarios[s - 1];
    const struct acc *a =
        &r->cmp_delta[run_cmp_index(r, s, r->quarters, CMP_LOST_REVENUE)];
    const struct acc *net =
        &r->cmp_delta[run_cmp_index(r, s, r->quarters, CMP_LOST_NET_VALUE)];
    double cost = lever_cost(r, s);
    int costly = fabs(cost) >= 0.5; /* a cent is no cost */
    char what[256], x[128], over[128], at[64];
    struct cal c;
    output_calendar(p, &c);
    describe(what, sizeof what, p, sc);
    double hw = acc_halfwidth(a);
    int start, end;
    int q0 = output_window(sc, r->weeks, &start, &end) == 0 ? start / 13 : 0;
    cal_quarters(&c, q0 + 1, r->quarters, over, sizeof over);
    if (a->mean == 0.0 && a->m2 == 0.0 && r->replications > 0) {
        if (r->replications == 1)
            fprintf(out,
                    "Headline: %s makes no difference to revenue in "
                    "its one replication",
                    what);
        else
            fprintf(out,
                    "Headline: %s makes no difference to revenue in "
                    "any of %ld paired replications",
                    what, r->replications);
        if (costly || net->mean != 0.0 || net->m2 != 0.0) {
            fputc(',', out);
            net_of_cost(out, r, cost, net);
            fprintf(out, " over %s", over);
        }
        fputs(".\n", out);
        return;
    }
    money_ci(x, sizeof x, fabs(a->mean), hw, r->replications, 0);
    fprintf(out, "Headline: %s %s %s of revenue", what,
            a->mean >= 0.0 ? "costs" : "gains", x);
    if (costly)
        net_of_cost(out, r, cost, net);
    if (r->replications >= 2)
        fprintf(out, " over %s (95 %% CI, %ld paired replications)", over,
                r->replications);
    else
        fprintf(out, " over %s (one replication: no interval)", over);
    int flat = r->replications >= 2 && fabs(a->mean) <= hw;
    int net_flat =
        r->replications >= 2 && fabs(net->mean) <= acc_halfwidth(net);
    if (!costly) {
        if (flat)
            fputs(", not distinguishable from zero", out);
        net_of_costs(out, r, a, net);
    } else if (flat || net_flat) {
        fprintf(out, "; %s%s%s %s not distinguishable from zero",
                flat ? "the revenue" : "", flat && net_flat ? " and " : "",
                net_flat ? "the net" : "", flat && net_flat ? "are" : "is");
    }
    if (q0 >= 0 && start >= 0) {
        int w = end >= 0 ? end : r->weeks - 1;
        double d = run_weekly(r, 0, w, M_OPS_BACKLOG_HOURS)->mean -
                   run_weekly(r, s, w, M_OPS_BACKLOG_HOURS)->mean;
        long hrs = lround(fabs(d));
        cal_week_end(&c, w, at, sizeof at);
        const char *on = cal_dated(&c) ? "on" : "at";
        if (hrs == 0)
            fprintf(out, "; the ops backlog is unchanged %s %s", on, at);
        else
            fprintf(out, "; the ops backlog is %ld hour%s %s %s %s", hrs,
                    hrs == 1 ? "" : "s", d > 0 ? "lower" : "higher", on, at);
    }
    fputs(".\n", out);
}

/* With teams: what each team loses or gains of revenue over the
 * horizon, paired ("By team: enterprise loses $47,725 ± $8,329,
 * midmarket gains $10,451 ± $2,580 of revenue."). */
static void team_line(FILE *out, const struct params *p,
                      const struct run_result *r, int s)
{
    if (r->nteams == 0)
        return;
    fputs("By team:", out);
    for (int t = 0; t < r->nteams; t++) {
        struct run_result v = run_team_view(r, t);
        const struct acc *lost =
            &v.cmp_delta[run_cmp_index(&v, s, r->quarters, CMP_LOST_REVENUE)];
        char m[48], h[48];
        output_money(m, sizeof m, fabs(lost->mean));
        output_money(h, sizeof h, acc_halfwidth(lost));
        fprintf(out, "%s %s %s %s", t ? "," : "", p->teams[t].name,
                lost->mean > 0 ? "loses" : "gains", m);
        if (r->replications >= 2)
            fprintf(out, " ± %s", h);
    }
    fputs(" of revenue over the horizon (the team rows of "
          "comparison.csv).\n",
          out);
}

static void scenario_table(FILE *out, const struct params *p,
                           const struct run_result *r, int s)
{
    struct cal c;
    char qn[48];
    output_calendar(p, &c);
    /* Quarter names: "1" as ever, "Q3 2027" or "15 Feb 2027" dated. */
    int qw = 8;
    cal_quarter(&c, 1, CAL_SHORT, qn, sizeof qn);
    if (cal_dated(&c) && (int)strlen(qn) + 1 > qw)
        qw = (int)strlen(qn) + 1;
    fprintf(out, "\n%s (%s)\n", p->scenarios[s - 1].title,
            p->scenarios[s - 1].id);
    fprintf(out, "%*s %18s %18s %28s %16s\n", qw, "quarter", "baseline revenue",
            "scenario revenue", "lost revenue (95% CI)", "cumulative");
    for (int q = 0; q <= r->quarters; q++) {
        size_t rv = run_cmp_index(r, s, q, M_REVENUE);
        const struct acc *lost =
            &r->cmp_delta[run_cmp_index(r, s, q, CMP_LOST_REVENUE)];
        const struct acc *cum = &r->cmp_delta[run_cmp_index(
            r, s, q < r->quarters ? q : q - 1, CMP_LOST_REVENUE_CUMULATIVE)];
        char b[5][48], l[128];
        output_money(b[0], sizeof b[0], r->cmp_base[rv].mean);
        output_money(b[1], sizeof b[1], r->cmp_scen[rv].mean);
        output_money(b[2], sizeof b[2], lost->mean);
        output_money(b[3], sizeof b[3], acc_halfwidth(lost));
        output_money(b[4], sizeof b[4], cum->mean);
        if (r->replications >= 2)
            snprintf(l, sizeof l, "%s ± %s", b[2], b[3]);
        else
            snprintf(l, sizeof l, "%s (no CI: n=1)", b[2]);
        if (q < r->quarters && cal_dated(&c))
            cal_quarter(&c, q + 1, CAL_SHORT, qn, sizeof qn);
        else if (q < r->quarters)
            snprintf(qn, sizeof qn, "%d", q + 1);
        else
            snprintf(qn, sizeof qn, "total");
        fprintf(out, "%*s %18s %18s %28s %16s\n", qw, qn, b[0], b[1], l,
                q < r->quarters ? b[4] : "");
    }
    team_line(out, p, r, s);
    headline(out, p, r, s);
    output_plan_headline(out, p, r, s);
}

int output_summary(FILE *out, const struct params *p,
                   const struct run_result *r)
{
    char from[64] = "";
    if (p->sim.start_date != CAL_NO_DATE) {
        char day[32];
        cal_text(p->sim.start_date, day, sizeof day);
        snprintf(from, sizeof from, " from %s", day);
    }
    fprintf(out,
            "salescap: %ld replications of %d scenario%s plus the "
            "baseline, %d weeks%s after %d weeks of warm-up (%.2f s)\n",
            r->replications, r->nscen - 1, r->nscen == 2 ? "" : "s", r->weeks,
            from, p->sim.warmup_weeks, r->seconds);
    uncertain_summary(out, p);
    if (r->precision > 0.0 && r->nscen == 1) {
        fputs("Precision: a file without scenarios has no lost revenue to "
              "measure: one batch of replications was run\n",
              out);
    } else if (r->precision > 0.0) {
        fprintf(out,
                "Precision: asked for intervals within ±%g %% of the "
                "means of total lost revenue; ",
                100.0 * r->precision);
        if (isinf(r->reached))
            fputs("not reached: a scenario's mean is 0 but its interval "
                  "is not",
                  out);
        else
            fprintf(out, "%s ±%.3g %%",
                    r->reached <= r->precision
                        ? "the widest is"
                        : "not reached at the cap "
                          "(--max-replications): the widest is",
                    100.0 * r->reached);
        fputs("\n", out);
    }
    char title[160];
    if (r->replications > 1)
        snprintf(title, sizeof title,
                 "\nBaseline KPIs over the %d reported "
                 "weeks (mean ± 95 %% CI of %ld replications)",
                 r->weeks, r->replications);
    else
        snprintf(title, sizeof title,
                 "\nBaseline KPIs over the %d reported "
                 "weeks (one replication: no interval)",
                 r->weeks);
    output_kpi_table(out, p, r->kpi, title);
    if (r->nscen == 1) {
        char b[48];
        double total = 0.0;
        for (int q = 0; q < r->quarters; q++)
            total += run_quarterly(r, 0, q, M_REVENUE)->mean;
        output_money(b, sizeof b, total);
        fprintf(out,
                "\nBaseline revenue over the horizon: %s (no scenarios "
                "to compare)\n",
                b);
    }
    for (int s = 1; s < r->nscen; s++)
        scenario_table(out, p, r, s);
    output_plan_table(out, p, r);
    if (output_summary_decision(out, p, r) != 0)
        return -1;
    return ferror(out) ? -1 : 0;
}

/* ---- the files -------------------------------------------------------- */

/* F_NOTES, the copy of the [report] notes, is written only when the file
 * has notes; it is not among output_files. */
enum {
    F_WEEKLY,
    F_QUARTERLY,
    F_COMPARISON,
    F_SCENARIOS,
    F_SUMMARY,
    F_RUNINI,
    F_PAIRS,
    F_RANKING,
    F_REPLICATIONS,
    F_WEEK_COMPARISON,
    F_NOTES,
    F_COUNT
};
_Static_assert(F_NOTES == OUTPUT_NFILES, "output_files");

const char *const output_files[OUTPUT_NFILES] = {
    "weekly.csv",       "quarterly.csv",
    "comparison.csv",   "scenarios.csv",
    "summary.txt",      "run.ini",
    "pairs.csv",        "ranking.csv",
    "replications.csv", "weekly_comparison.csv",
};

static int fill(struct afile *af, const struct config *cfg,
                const struct params *p, const struct run_result *r,
                const char *summary)
{
    write_weekly(af[F_WEEKLY].f, p, r);
    write_quarterly(af[F_QUARTERLY].f, p, r);
    write_comparison(af[F_COMPARISON].f, p, r);
    write_scenarios(af[F_SCENARIOS].f, p);
    write_week_comparison(af[F_WEEK_COMPARISON].f, p, r);
    output_write_pairs(af[F_PAIRS].f, p, r);
    if (output_write_ranking(af[F_RANKING].f, p, r) != 0)
        return -1;
    fputs(summary, af[F_SUMMARY].f);
    fputs("; salescap " SALESCAP_VERSION ": every resolved parameter of this "
          "run.\n; `salescap run run.ini` reproduces it.\n",
          af[F_RUNINI].f);
    if (!p->report.notes_text)
        return config_write(af[F_RUNINI].f, cfg, p, 0);
    /* The notes travel with the run: run.ini names the copy beside it,
     * so the report can be redrawn, and the run repeated, without the
     * original file. */
    char name[] = OUTPUT_NOTES;
    struct params q = *p;
    q.report.notes = name;
    fputs(p->report.notes_text, af[F_NOTES].f);
    return config_write(af[F_RUNINI].f, cfg, &q, 0);
}

int output_write_run(const char *dir, const struct config *cfg,
                     const struct params *p, const struct run_result *r,
                     const char *summary, struct output_reps *reps,
                     volatile int *stop, struct err *e)
{
    struct afile af[F_COUNT];
    memset(af, 0, sizeof af);
    af[F_REPLICATIONS] = reps->af; /* written by the run: taken over */
    memset(&reps->af, 0, sizeof reps->af);
    int rc = -1, i;
    if (mkdir_p(dir, e) != 0)
        goto abort;
    for (i = 0; i < F_COUNT; i++) {
        char path[4096];
        if (i == F_REPLICATIONS || (i == F_NOTES && !p->report.notes_text))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir,
                 i == F_NOTES ? OUTPUT_NOTES : output_files[i]);
        if (afile_open(&af[i], path, e) != 0)
            goto abort;
    }
    if (fill(af, cfg, p, r, summary) != 0) {
        err_set(e, ERR_RUNTIME, "%s: cannot write", dir);
        goto abort;
    }
    /* Every file on disk before any is renamed: a full disk fails the
     * whole set, not the fourth file of it. */
    for (i = 0; i < F_COUNT; i++)
        if (afile_finish(&af[i], e) != 0)
            goto abort;
    /* Hold SIGINT/SIGTERM back while the set is replaced; one that came
     * while the files were written keeps the previous set. */
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    if (stop && *stop) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        err_set(e, ERR_RUNTIME, "interrupted");
        goto abort;
    }
    rc = 0;
    for (i = 0; i < F_COUNT; i++)
        if (afile_commit(&af[i], e) != 0)
            rc = -1;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
abort:
    for (i = 0; i < F_COUNT; i++)
        afile_abort(&af[i]);
    return -1;
}
