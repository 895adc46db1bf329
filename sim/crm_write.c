/*
 * crm_write: the INI file `salescap import` writes, and the summary it
 * prints (see include/crm.h).
 *
 * Invariant: every line written is at most 199 bytes of valid UTF-8
 * without control characters (what the scenario loader accepts), so the
 * file is includable whatever the export's owner and stage names hold:
 * text from the export goes through clean(), and comments are wrapped at
 * blanks. Every value line is preceded by the comment saying where it
 * comes from.
 */
#include "crm.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define WRAP           76
#define NAME_MAX_BYTES 40
#define LIST_MAX       200 /* skipped rows listed one by one */

/* Text from the export, safe for the INI: at most max bytes, whole UTF-8
 * sequences only, '?' for anything else or a control character. */
static const char *clean(const char *s, char *buf, size_t max)
{
    size_t n = 0;
    const unsigned char *p = (const unsigned char *)s;
    while (*p && n + 1 < max) {
        size_t len = *p < 0x80         ? 1
                     : (*p >> 5) == 6  ? 2
                     : (*p >> 4) == 14 ? 3
                     : (*p >> 3) == 30 ? 4
                                       : 0;
        int ok = len > 0 && n + len < max;
        for (size_t i = 1; ok && i < len; i++)
            ok = (p[i] >> 6) == 2;
        if (ok && len == 1 && (*p < 0x20 || *p == 0x7f))
            ok = 0;
        if (!ok) {
            buf[n++] = '?';
            p++;
            continue;
        }
        memcpy(buf + n, p, len);
        n += len;
        p += len;
    }
    buf[n] = '\0';
    return buf;
}

/* "4,238": a count with thousands separators. */
static const char *count(double v, char *buf, size_t size)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%.0f", fabs(v));
    size_t len = strlen(tmp), n = 0;
    if (v < 0 && n + 1 < size)
        buf[n++] = '-';
    for (size_t i = 0; i < len && n + 2 < size; i++) {
        if (i > 0 && (len - i) % 3 == 0)
            buf[n++] = ',';
        buf[n++] = tmp[i];
    }
    buf[n] = '\0';
    return buf;
}

/* A value for the INI: whole above 1000, four digits below. */
static const char *num(double v, char *buf, size_t size)
{
    if (fabs(v) >= 1000)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.4g", v);
    return buf;
}

/* Writes a comment, wrapped at blanks into lines of "; " + WRAP bytes. */
static void comment(FILE *out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void comment(FILE *out, const char *fmt, ...)
{
    char text[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    const char *p = text;
    if (!*p) {
        fputs(";\n", out);
        return;
    }
    while (*p) {
        size_t len = strlen(p);
        size_t cut = len;
        if (len > WRAP) {
            cut = WRAP;
            while (cut > 0 && (p[cut] != ' ' || p[cut + 1] == '%'))
                cut--;
            if (cut == 0)
                for (cut = WRAP; cut < len && cut < 190 && p[cut] != ' ';)
                    cut++;
        }
        fprintf(out, "; %.*s\n", (int)cut, p);
        p += cut;
        while (*p == ' ')
            p++;
    }
}

static const char *fam_name(enum crm_family f)
{
    return f == CRM_GAMMA ? "gamma" : "lognormal";
}

static const char *spec(const struct crm_fit *f, char *buf, size_t size)
{
    char a[32], b[32];
    if (!(f->mean > 0))
        snprintf(buf, size, "0");
    else
        snprintf(buf, size, "%s(%s, %s)", fam_name(f->family),
                 num(f->mean, a, sizeof a), num(f->sd, b, sizeof b));
    return buf;
}

static const char *date(double days, char *buf, size_t size)
{
    crm_date_str(days, buf, size);
    return buf;
}

/* ------------------------------------------------------------ INI */

static void write_header(FILE *out, const struct crm_export *x,
                         const struct crm_estimates *est, const char *name)
{
    char p[256], d0[16], d1[16], n1[32];
    comment(out, "%s: written by salescap import from %s (%s).",
            clean(name, p, 120), clean(x->path, p + 128, 120), x->dialect);
    comment(out,
            "Include it from a scenario file (include = %s). It defines "
            "its own stages: include it instead of a model that has "
            "[stage.NAME] sections, not beside one, or the stages add up.",
            clean(name, p, 120));
    comment(out, "%s", "");
    comment(out, "Window: %s to %s, %.1f weeks (%s; export date %s%s).",
            date(est->t0, d0, sizeof d0), date(est->t1 - 1, d1, sizeof d1),
            est->weeks, x->since_given ? "--since" : "from the first close", d1,
            x->as_of_given ? ", --as-of" : ", the last date in the file");
    comment(out,
            "What the window biases: deals that closed before %s cannot "
            "be seen, so the %s deals created before it that were still "
            "open are counted from the window's start only (delayed "
            "entry), or a mean of their cycles would be too long; the %s "
            "deals open at the export date are censored, counted as open "
            "for as long as they have been, or a mean of closed cycles "
            "would be too short. Rates are per week of the window: a team "
            "or market that grew or shrank in it is averaged.",
            d0, count((double)est->n_entered_late, n1, sizeof n1),
            count((double)est->n_open, p, sizeof p));
}

static void write_sales(FILE *out, const struct crm_export *x,
                        const struct crm_estimates *est)
{
    char a[32], b[32], c[32], sp[96], nm[64];
    fprintf(out, "\n[sales]\n");
    comment(out,
            "%zu owners created opportunities in the window (reps "
            "active in it); %zu more have deals but created none there and "
            "are not counted.",
            est->n_reps, est->n_reps_all - est->n_reps);
    fprintf(out, "reps = %zu\n", est->n_reps);
    comment(out,
            "%s created in %.1f weeks by %zu reps: %.3g a rep a week "
            "(95 %%: %.3g to %.3g, Poisson).",
            count((double)est->n_created, a, sizeof a), est->weeks, est->n_reps,
            est->rate, est->rate_lo, est->rate_hi);
    fprintf(out, "opportunities_per_week = %s\n", num(est->rate, a, sizeof a));
    const struct crm_fit *v = &est->value;
    comment(out,
            "%s won deals with an amount: mean $%s (95 %%: $%s to $%s), "
            "median $%s; %s fits best (Kolmogorov-Smirnov distance %.3f, "
            "%s %.3f).",
            count((double)est->n_value, a, sizeof a),
            count(v->sample_mean, b, sizeof b), count(v->mean_lo, c, sizeof c),
            count(v->mean_hi, sp, sizeof sp),
            count(v->median_np, nm, sizeof nm), fam_name(v->family), v->ks,
            fam_name(v->family == CRM_GAMMA ? CRM_LOGNORMAL : CRM_GAMMA),
            v->ks_other);
    fprintf(out, "deal_value = %s\n", spec(v, sp, sizeof sp));
    if (est->eff_sd > 0)
        comment(out,
                "Win rates of the reps spread beyond chance "
                "(beta-binomial): sd %.1f points around %.1f %%. With the "
                "stages below, lognormal(1, %.3f) gives the reps that mean "
                "and spread.",
                100 * est->rep_sd, 100 * est->rep_mean, est->eff_sd);
    else
        comment(out, "Win rates of the reps spread no more than chance "
                     "would (beta-binomial): every rep is given effectiveness "
                     "1.");
    (void)x;
    if (est->eff_sd > 0)
        fprintf(out, "effectiveness = lognormal(1, %.3g)\n", est->eff_sd);
    else
        fprintf(out, "effectiveness = 1\n");
}

static void write_reps(FILE *out, const struct crm_estimates *est)
{
    char nm[NAME_MAX_BYTES + 8];
    comment(out, "Each rep's win rate shrunk toward the mean (won of closed "
                 "in the window):");
    for (size_t i = 0; i < est->n_reps_all; i++) {
        const struct crm_rep *r = &est->reps[i];
        if (r->closed)
            comment(out, "  %s: %.1f %% (%zu of %zu)%s",
                    clean(r->owner, nm, NAME_MAX_BYTES), 100 * r->shrunk,
                    r->won, r->closed, r->active ? "" : ", not active");
    }
}

static void write_fit_comment(FILE *out, const char *what,
                              const struct crm_fit *f, size_t n)
{
    char a[32], med[48];
    snprintf(med, sizeof med, isnan(f->median_np) ? "not reached" : "%.1f days",
             f->median_np);
    comment(out,
            "%s: %s closed, mean %.1f days (95 %%: %.1f to %.1f), sd "
            "%.1f, median %s (Aalen-Johansen); %s fits best "
            "(Kolmogorov-Smirnov distance %.3f to the censoring-aware "
            "estimate, %s %.3f).",
            what, count((double)n, a, sizeof a), f->mean, f->mean_lo,
            f->mean_hi, f->sd, med, fam_name(f->family), f->ks,
            fam_name(f->family == CRM_GAMMA ? CRM_LOGNORMAL : CRM_GAMMA),
            f->ks_other);
}

static void write_stages(FILE *out, const struct crm_estimates *est)
{
    char a[32], b[32], sp[96];
    fprintf(out, "\n");
    comment(out,
            "Win rate: %s won of %s closed: %.1f %% ± %.1f %% (Wilson "
            "95 %%). The censored-likelihood fit, which also counts the "
            "open deals, puts it at %.1f %%.",
            count((double)est->n_won, a, sizeof a),
            count((double)est->n_closed, b, sizeof b), 100 * est->win,
            50 * (est->win_hi - est->win_lo), 100 * est->win_censored);
    write_fit_comment(out, "Won cycle", &est->won_cycle, est->n_won);
    write_fit_comment(out, "Lost cycle", &est->lost_cycle, est->n_lost);
    if (est->one_stage)
        comment(out,
                "Lost deals take no less time than won ones: one stage "
                "holds the whole cycle, and lost deals close after it too.");
    else
        comment(out,
                "Two stages: lost deals are lost at the end of "
                "'pursue', which lasts as long as a lost deal does; the "
                "won go on through 'close', the rest of a won cycle (means "
                "matched, and the won cycle's variance). Each stage's buyer "
                "time is less "
                "%.1f days of the rep's own work at the model's defaults. "
                "Odds and spread solved so that the reps' mean win rate is "
                "%.1f %%; patience and work hours are not in an export: "
                "the defaults.",
                est->work_days, 100 * est->win);
    fprintf(out, "[stage.pursue]\nadvance = %.4g\nbuyer_days = %s\n",
            est->advance, spec(&est->pursue, sp, sizeof sp));
    if (!est->one_stage)
        fprintf(out, "\n[stage.close]\nadvance = 1\nbuyer_days = %s\n",
                spec(&est->close, sp, sizeof sp));
}

/* The model stage an open deal of the export is placed in: the one its
 * stage is named after (a round trip of salescap's own trace, whose
 * stages these are), else 'pursue': a client's stage names are not the
 * model's, and the model's 'close' holds only deals that will be won. */
static int model_stage(const struct crm_estimates *est, const char *stage)
{
    return !est->one_stage && !strcasecmp(stage, "close");
}

static void write_start(FILE *out, const struct crm_export *x,
                        const struct crm_estimates *est)
{
    char nm[NAME_MAX_BYTES + 8], a[32], b[32];
    size_t n[2] = {0, 0};
    for (size_t i = 0; i < x->n_deals; i++)
        if (x->deals[i].outcome == CRM_OPEN)
            n[model_stage(est, x->deals[i].stage)]++;
    fprintf(out, "\n");
    comment(out,
            "The open pipeline at the export date, as the starting "
            "state: %s deals, $%s, mean age %.1f days. With "
            "[simulation] warmup_weeks = 0 a run begins at the export "
            "date. Each deal is placed with its buyer in the stage below, "
            "spread over the reps in turn, its age drawn around the mean "
            "(docs/model.md, \"Starting state\").",
            count((double)est->n_open, a, sizeof a),
            count(est->open_value, b, sizeof b), est->open_age_days);
    comment(out, "  rep: open deals, value, mean age in days");
    for (size_t i = 0; i < est->n_reps_all; i++) {
        const struct crm_rep *r = &est->reps[i];
        if (r->open)
            comment(out, "  %s: %zu, $%s, %.1f",
                    clean(r->owner, nm, NAME_MAX_BYTES), r->open,
                    count(r->open_value, a, sizeof a), r->open_age_days);
    }
    /* By stage: the distinct stage names of the open deals. */
    comment(out, "  export stage: open deals, and the model's stage");
    for (size_t i = 0; i < x->n_deals; i++) {
        const struct crm_deal *d = &x->deals[i];
        size_t k = 0, seen = 0;
        if (d->outcome != CRM_OPEN)
            continue;
        for (size_t j = 0; j < i && !seen; j++)
            seen = x->deals[j].outcome == CRM_OPEN &&
                   !strcmp(x->deals[j].stage, d->stage);
        if (seen)
            continue;
        for (size_t j = i; j < x->n_deals; j++)
            k += x->deals[j].outcome == CRM_OPEN &&
                 !strcmp(x->deals[j].stage, d->stage);
        comment(out, "  %s: %zu, %s", clean(d->stage, nm, NAME_MAX_BYTES), k,
                model_stage(est, d->stage) ? "close" : "pursue");
    }
    comment(out, "The export's own stages are not the model's: a deal goes "
                 "to the model's stage of its name, else to 'pursue' ('close' "
                 "holds only deals that will be won). An opportunity export "
                 "holds no ops work: add onboardings_waiting, "
                 "onboardings_in_progress, tickets_waiting and "
                 "tickets_in_progress by hand.");
    fprintf(out, "[start]\nopen_age_days = %s\nopen.pursue = %zu\n",
            num(est->open_age_days, a, sizeof a), n[0]);
    if (!est->one_stage)
        fprintf(out, "open.close = %zu\n", n[1]);
}

static void write_quality(FILE *out, const struct crm_export *x)
{
    char a[32], b[32];
    fprintf(out, "\n");
    comment(out, "Data quality: %s rows, %s used, %s set aside.",
            count((double)x->csv.nrows, a, sizeof a),
            count((double)x->n_deals, b, sizeof b),
            count((double)x->n_skipped, a + 16, 16));
    for (int w = 0; w < CRM_SKIP_COUNT; w++)
        if (x->skip_count[w])
            comment(out, "  %s: %zu", crm_skip_name((enum crm_skip)w),
                    x->skip_count[w]);
    for (size_t i = 0; i < x->n_skipped && i < LIST_MAX; i++) {
        char d[128];
        comment(out, "  line %d: %s: %s", x->skipped[i].line,
                crm_skip_name(x->skipped[i].why),
                clean(x->skipped[i].detail, d, 100));
    }
    if (x->n_skipped > LIST_MAX)
        comment(out, "  ... and %zu more", x->n_skipped - LIST_MAX);
}

static void write_targets(FILE *out, const struct crm_estimates *est)
{
    char a[32];
    fprintf(out, "\n");
    comment(out, "The observed KPIs the simulated baseline should meet "
                 "(sources above); an opportunity export cannot tell "
                 "onboarding_wait_days, ops_backlog_hours, clients or "
                 "churn_rate.");
    fprintf(out, "[targets]\n");
    fprintf(out, "win_rate = %.4g\n", est->win);
    fprintf(out, "won_cycle_days = %.4g\n", est->won_cycle.mean);
    comment(out, "%s open deals at the export date over %zu reps.",
            count((double)est->n_open, a, sizeof a), est->n_reps);
    fprintf(out, "open_opportunities_per_rep = %.4g\n",
            (double)est->n_open / (double)est->n_reps);
    fprintf(out, "opportunities_per_rep_week = %.4g\n", est->rate);
    fprintf(out, "deal_value = %s\n", num(est->value.sample_mean, a, sizeof a));
    comment(out, "Won amounts closed in the window, per 13 weeks.");
    fprintf(out, "bookings_per_quarter = %.0f\n", est->bookings_per_quarter);
}

int crm_write_ini(FILE *out, const struct crm_export *x,
                  const struct crm_estimates *est, const char *out_name)
{
    write_header(out, x, est, out_name);
    write_sales(out, x, est);
    write_reps(out, est);
    write_stages(out, est);
    write_start(out, x, est);
    write_quality(out, x);
    write_targets(out, est);
    return ferror(out) ? -1 : 0;
}

/* ---------------------------------------------------------- summary */

void crm_print_summary(FILE *out, const struct crm_export *x,
                       const struct crm_estimates *est)
{
    char a[32], b[32], c[32], d0[16], d1[16];
    static const char *const fmts[] = {"ISO dates", "M/D/YYYY dates",
                                       "D/M/YYYY dates"};
    fprintf(out, "%s: %s, '%s' separated, %s, decimal %s\n", x->path,
            x->dialect,
            x->sep == '\t'  ? "tab"
            : x->sep == ';' ? ";"
                            : ",",
            fmts[x->datefmt], x->decimal == '.' ? "point" : "comma");
    fprintf(out, "  rows          %s: %s used, %s set aside\n",
            count((double)x->csv.nrows, a, sizeof a),
            count((double)x->n_deals, b, sizeof b),
            count((double)x->n_skipped, c, sizeof c));
    fprintf(out, "  window        %s to %s (%.1f weeks)\n",
            date(est->t0, d0, sizeof d0), date(est->t1 - 1, d1, sizeof d1),
            est->weeks);
    fprintf(out,
            "  win rate      %.1f %% ± %.1f %% (%s won of %s closed; "
            "censored fit %.1f %%)\n",
            100 * est->win, 50 * (est->win_hi - est->win_lo),
            count((double)est->n_won, a, sizeof a),
            count((double)est->n_closed, b, sizeof b), 100 * est->win_censored);
    const struct crm_fit *f[2] = {&est->won_cycle, &est->lost_cycle};
    for (int i = 0; i < 2; i++)
        fprintf(out, "  %s    mean %.1f days (%.1f to %.1f), %s, KS %.3f\n",
                i ? "lost cycle" : "won cycle ", f[i]->mean, f[i]->mean_lo,
                f[i]->mean_hi, fam_name(f[i]->family), f[i]->ks);
    fprintf(out, "  deal value    mean $%s ($%s to $%s), %s, KS %.3f\n",
            count(est->value.sample_mean, a, sizeof a),
            count(est->value.mean_lo, b, sizeof b),
            count(est->value.mean_hi, c, sizeof c), fam_name(est->value.family),
            est->value.ks);
    fprintf(out, "  opportunities %.3g a rep a week (%.3g to %.3g), %zu reps\n",
            est->rate, est->rate_lo, est->rate_hi, est->n_reps);
    fprintf(out,
            "  rep spread    sd %.1f points of win rate between reps "
            "(beta-binomial)\n",
            100 * est->rep_sd);
    fprintf(out, "  open pipeline %s deals, $%s, mean age %.1f days\n",
            count((double)est->n_open, a, sizeof a),
            count(est->open_value, b, sizeof b), est->open_age_days);
    for (int w = 0; w < CRM_SKIP_COUNT; w++) {
        if (!x->skip_count[w])
            continue;
        fprintf(out, "  set aside     %zu %s (line", x->skip_count[w],
                crm_skip_name((enum crm_skip)w));
        size_t shown = 0;
        for (size_t i = 0; i < x->n_skipped && shown < 5; i++)
            if (x->skipped[i].why == (enum crm_skip)w)
                fprintf(out, "%s %d", shown++ ? "," : "", x->skipped[i].line);
        fprintf(out, "%s)\n", x->skip_count[w] > 5 ? ", ..." : "");
    }
    fprintf(out,
            "The window: deals closed before %s are not in the file; "
            "%zu begun before it count from its start (delayed entry), %zu "
            "open at the end are censored.\n",
            d0, est->n_entered_late, est->n_open);
}
