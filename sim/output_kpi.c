/*
 * output_kpi: the baseline's KPI table beside the client's targets, as
 * run (summary.txt), check and calibrate print it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "output.h"
#include "stats.h"

/* Decimals that keep about three significant digits of v. */
static int decimals(double v)
{
    double a = fabs(v);
    return a >= 100 ? 0 : a >= 10 ? 1 : 2;
}

void output_kpi_value(char *buf, size_t size, enum kpi k, double v, double hw)
{
    char a[48], b[48];
    const char *unit = "";
    switch (kpi_table[k].unit) {
    case KPI_MONEY:
        output_money(a, sizeof a, v);
        output_money(b, sizeof b, hw);
        if (hw >= 0)
            snprintf(buf, size, "%s ± %s", a, b);
        else
            snprintf(buf, size, "%s", a);
        return;
    case KPI_SHARE:
        v *= 100;
        hw *= 100;
        snprintf(a, sizeof a, "%.1f", v);
        snprintf(b, sizeof b, "%.1f", hw);
        unit = " %";
        break;
    case KPI_DAYS:
    case KPI_HOURS:
    case KPI_COUNT_UNIT:
        snprintf(a, sizeof a, "%.*f", decimals(v), v);
        snprintf(b, sizeof b, "%.*f", decimals(v), hw);
        unit = kpi_table[k].unit == KPI_DAYS    ? " days"
               : kpi_table[k].unit == KPI_HOURS ? " h"
                                                : "";
        break;
    }
    if (hw >= 0)
        snprintf(buf, size, "%s ± %s%s", a, b, unit);
    else
        snprintf(buf, size, "%s%s", a, unit);
}

/* One row; returns 1 when a target is set and missed. */
static int kpi_row(FILE *out, const struct target *t, enum kpi k,
                   const struct acc *a)
{
    char sim[96] = "n/a", tgt[96] = "-";
    const char *within = "-";
    struct summary s;
    acc_summary(a, &s);
    if (s.n > 0)
        output_kpi_value(sim, sizeof sim, k, s.mean,
                         s.has_ci ? (s.hi - s.lo) / 2 : -1);
    int missed = 0;
    if (t->set) {
        output_kpi_value(tgt, sizeof tgt, k, t->value, t->tol);
        missed = !(s.n > 0 && fabs(s.mean - t->value) <= t->tol);
        within = s.n > 0 ? (missed ? "no" : "yes") : "n/a";
    }
    /* "±" is two bytes and one column: widths count it as two. */
    int wsim = 24 + (strstr(sim, "±") != NULL);
    int wtgt = 22 + (strstr(tgt, "±") != NULL);
    fprintf(out, " %-28s %*s %*s %7s\n", kpi_table[k].name, wsim, sim, wtgt,
            tgt, within);
    return missed;
}

int output_kpi_table(FILE *out, const struct params *p, const struct acc *kpi,
                     const char *title)
{
    int n_set = 0, missed = 0;
    fprintf(out, "%s\n %-28s %24s %22s %7s\n", title, "kpi", "simulated",
            "target", "within");
    for (int k = 0; k < KPI_COUNT; k++) {
        const struct target *t = &p->targets.kpi[k];
        n_set += t->set;
        missed += kpi_row(out, t, (enum kpi)k, &kpi[k]);
    }
    if (n_set == 0)
        fputs("No [targets]: add the client's observed values to compare "
              "(docs/calibration.md).\n",
              out);
    else
        fprintf(out, "Targets: %d of %d within tolerance.\n", n_set - missed,
                n_set);
    return missed;
}
