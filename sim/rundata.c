/*
 * rundata: a run folder's CSVs loaded into dense arrays (see
 * include/rundata.h).
 *
 * Invariant: weekly holds nscen * M_COUNT * weeks * RD_WSTATS doubles,
 * comp holds nscen * RD_COMP_COUNT * (quarters + 1) * RD_CSTATS doubles
 * (quarter slot 0 is the total) and wdiff, when there, nscen * weeks *
 * RD_CSTATS; every slot the CSVs did not fill is NaN.
 * The arrays are sized by a first pass over the rows (largest week,
 * largest quarter) and filled by a second.
 */
#include "rundata.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csvread.h"

/* One CSV being read, with its column indexes looked up by name. */
struct rd_file {
    struct csv csv;
    const char *path;
    int col[10];
    int team; /* the team column, or -1 (a run from before teams) */
};

/* The team of row r: "all" (the company) without a team column. */
static const char *row_team(const struct rd_file *f, size_t r)
{
    return f->team < 0 ? "all" : csv_get(&f->csv, r, f->team);
}

static int company_row(const struct rd_file *f, size_t r)
{
    return !strcmp(row_team(f, r), "all");
}

char *rundata_path(const char *dir, const char *name)
{
    size_t a = strlen(dir), b = strlen(name);
    char *p = malloc(a + b + 2);
    if (!p)
        return NULL;
    memcpy(p, dir, a);
    size_t n = a;
    if (n == 0 || p[n - 1] != '/')
        p[n++] = '/';
    memcpy(p + n, name, b + 1);
    return p;
}

/* Opens dir/name and finds the columns listed in names (NULL-ended). */
static int file_open(struct rd_file *f, char *path, const char *const *names,
                     struct err *e)
{
    memset(&f->csv, 0, sizeof f->csv);
    f->path = path;
    /* A run's folder with one of its CSVs gone is not a run's results:
     * the folder given is wrong (status 2), not the machine. */
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return err_set(e, ERR_CONFIG,
                       "%s: missing; a run's folder holds "
                       "its weekly.csv and comparison.csv (run it again to "
                       "write them)",
                       path);
    if (csv_read(&f->csv, path, e) != 0)
        return -1;
    f->team = csv_col(&f->csv, "team");
    for (int i = 0; names[i]; i++) {
        f->col[i] = csv_col(&f->csv, names[i]);
        if (f->col[i] < 0)
            return err_at(e, ERR_CONFIG, path, 1, "no column '%s'", names[i]);
    }
    return 0;
}

static const char *field(const struct rd_file *f, size_t r, int i)
{
    return csv_get(&f->csv, r, f->col[i]);
}

static int row_line(const struct rd_file *f, size_t r)
{
    return f->csv.lines[r];
}

/* A number from field i of row r; empty gives NaN. */
static int get_num(const struct rd_file *f, size_t r, int i, double *out,
                   struct err *e)
{
    const char *s = field(f, r, i);
    char *end;
    if (*s == '\0') {
        *out = NAN;
        return 0;
    }
    errno = 0;
    *out = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE)
        return err_at(e, ERR_CONFIG, f->path, row_line(f, r),
                      "column %d: expected a number, got '%s'", f->col[i] + 1,
                      s);
    return 0;
}

/* A whole number in [lo, hi] from field i of row r. */
static int get_int(const struct rd_file *f, size_t r, int i, int lo, int hi,
                   int *out, struct err *e)
{
    const char *s = field(f, r, i);
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < lo || v > hi)
        return err_at(e, ERR_CONFIG, f->path, row_line(f, r),
                      "column %d: expected a whole number from %d to %d, "
                      "got '%s'",
                      f->col[i] + 1, lo, hi, s);
    *out = (int)v;
    return 0;
}

int rundata_find(const struct rundata *rd, const char *id)
{
    for (int s = 0; s < rd->nscen; s++)
        if (strcmp(rd->scen[s].id, id) == 0)
            return s;
    return -1;
}

int rundata_team(const struct rundata *rd, const char *name)
{
    for (int t = 0; t < rd->nteams; t++)
        if (strcmp(rd->team[t], name) == 0)
            return t;
    return -1;
}

static int add_scenario(struct rundata *rd, const char *id, const char *title,
                        struct err *e)
{
    struct rd_scenario *sc =
        realloc(rd->scen, (size_t)(rd->nscen + 1) * sizeof *sc);
    if (!sc)
        return err_oom(e);
    rd->scen = sc;
    sc = &rd->scen[rd->nscen];
    sc->id = strdup(id);
    sc->title = strdup(title);
    sc->label = strdup(title);
    sc->chart = 1;
    sc->start_week = sc->end_week = sc->acts_week = -1;
    rd->nscen++;
    if (!sc->id || !sc->title || !sc->label)
        return err_oom(e);
    return 0;
}

/* Empty week fields mean "no window" (start) or "to the end" (end). */
static int get_week_opt(const struct rd_file *f, size_t r, int i, int *out,
                        struct err *e)
{
    *out = -1;
    if (*field(f, r, i) == '\0')
        return 0;
    return get_int(f, r, i, 0, 1000000, out, e);
}

/* The columns scenarios.csv gained later, each optional: label, chart
 * and acts_from_week (field indexes 4, 5, 6; -1 when absent). */
static void scenario_extras(struct rd_file *f)
{
    static const char *const extra[] = {"label", "chart", "acts_from_week"};
    for (int i = 0; i < 3; i++)
        f->col[4 + i] = csv_col(&f->csv, extra[i]);
}

/* The later columns of row r into sc. */
static int scenario_extra_fields(struct rd_file *f, size_t r,
                                 struct rd_scenario *sc, struct err *e)
{
    const char *label = field(f, r, 4), *chart = field(f, r, 5);
    if (*label) {
        char *copy = strdup(label);
        if (!copy)
            return err_oom(e);
        free(sc->label);
        sc->label = copy;
    }
    if (*chart && strcmp(chart, "yes") && strcmp(chart, "no"))
        return err_at(e, ERR_CONFIG, f->path, row_line(f, r),
                      "column %d: expected yes or no, got '%s'", f->col[5] + 1,
                      chart);
    sc->chart = strcmp(chart, "no") != 0;
    sc->acts_week = sc->start_week;
    if (f->col[6] >= 0 && *field(f, r, 6) && sc->start_week >= 0) {
        if (get_week_opt(f, r, 6, &sc->acts_week, e) != 0)
            return -1;
        if (sc->acts_week < sc->start_week)
            return err_at(e, ERR_CONFIG, f->path, row_line(f, r),
                          "acts_from_week %d is before start_week %d",
                          sc->acts_week, sc->start_week);
    }
    return 0;
}

static int load_scenarios(struct rundata *rd, const char *dir, struct err *e)
{
    static const char *const names[] = {"scenario", "title", "start_week",
                                        "end_week", NULL};
    struct rd_file f;
    char *path = rundata_path(dir, "scenarios.csv");
    if (!path)
        return err_oom(e);
    if (access(path, F_OK) != 0) {
        free(path);
        return 0;
    }
    int rc = file_open(&f, path, names, e);
    if (rc == 0)
        scenario_extras(&f);
    for (size_t r = 0; rc == 0 && r < f.csv.nrows; r++) {
        const char *id = field(&f, r, 0);
        if (rundata_find(rd, id) >= 0) {
            rc = err_at(e, ERR_CONFIG, path, row_line(&f, r),
                        "scenario '%s' listed twice", id);
            break;
        }
        struct rd_scenario *sc;
        rc = add_scenario(rd, id, field(&f, r, 1), e);
        if (rc == 0) {
            sc = &rd->scen[rd->nscen - 1];
            rc = get_week_opt(&f, r, 2, &sc->start_week, e);
        }
        if (rc == 0)
            rc = get_week_opt(&f, r, 3, &sc->end_week, e);
        if (rc == 0)
            rc = scenario_extra_fields(&f, r, sc, e);
    }
    csv_destroy(&f.csv);
    free(path);
    return rc;
}

/* run.ini's [simulation] start_date into *day (left alone when run.ini
 * or the key is missing, or says none). run.ini is the run's own
 * `key = value ; source` text, so a line scan reads it. */
static int load_start_date(const char *dir, int *day, struct err *e)
{
    char *path = rundata_path(dir, "run.ini");
    if (!path)
        return err_oom(e);
    size_t len;
    struct err ignore = {0};
    char *text =
        access(path, F_OK) == 0 ? csv_slurp(path, &len, &ignore) : NULL;
    int rc = 0, line = 0, in_sim = 0;
    for (char *p = text; rc == 0 && p && *p;) {
        size_t k = strcspn(p, "\n");
        char value[32] = "";
        line++;
        if (*p == '[')
            in_sim = !strncmp(p, "[simulation]", 12);
        else if (in_sim && sscanf(p, "start_date = %31[^ ;\r\n]", value) == 1 &&
                 strcmp(value, "none") && cal_parse(value, day) != 0)
            rc = err_at(e, ERR_CONFIG, path, line,
                        "[simulation] start_date:"
                        " expected a date as YYYY-MM-DD, got '%s'",
                        value);
        p += k + (p[k] == '\n');
    }
    free(text);
    free(path);
    return rc;
}

/* Puts "baseline" first, whatever order the file listed it in. */
static int baseline_first(struct rundata *rd, const char *dir, struct err *e)
{
    int b = rundata_find(rd, "baseline");
    if (b < 0)
        return err_set(e, ERR_CONFIG, "%s: no 'baseline' scenario", dir);
    struct rd_scenario t = rd->scen[b];
    memmove(rd->scen + 1, rd->scen, (size_t)b * sizeof t);
    rd->scen[0] = t;
    return 0;
}

static const char *const weekly_cols[] = {
    "scenario", "week", "metric", "mean", "ci_low", "ci_high", "n", NULL};

/* First pass: the horizon, the replications and (without scenarios.csv)
 * the scenarios. */
static int weekly_scan(struct rundata *rd, struct rd_file *f, int known,
                       struct err *e)
{
    for (size_t r = 0; r < f->csv.nrows; r++) {
        const char *id = field(f, r, 0);
        int w;
        double n;
        if (get_int(f, r, 1, 0, 100000, &w, e) != 0 ||
            get_num(f, r, 6, &n, e) != 0)
            return -1;
        if (w + 1 > rd->weeks)
            rd->weeks = w + 1;
        if (n > rd->replications)
            rd->replications = (int)n;
        if (!company_row(f, r) && rundata_team(rd, row_team(f, r)) < 0) {
            char **t = realloc(rd->team, (size_t)(rd->nteams + 1) * sizeof *t);
            if (!t)
                return err_oom(e);
            rd->team = t;
            if (!(t[rd->nteams] = strdup(row_team(f, r))))
                return err_oom(e);
            rd->nteams++;
        }
        if (rundata_find(rd, id) >= 0)
            continue;
        if (known)
            return err_at(e, ERR_CONFIG, f->path, row_line(f, r),
                          "scenario '%s' is not in scenarios.csv", id);
        const char *title = strcmp(id, "baseline") ? id : "Baseline";
        if (add_scenario(rd, id, title, e) != 0)
            return -1;
    }
    if (rd->weeks == 0)
        return err_set(e, ERR_CONFIG, "%s: no rows", f->path);
    return 0;
}

static double *nan_array(size_t n)
{
    double *a = malloc(n * sizeof *a);
    for (size_t i = 0; a && i < n; i++)
        a[i] = NAN;
    return a;
}

static size_t week_slot(const struct rundata *rd, int s, int m, int w)
{
    return (((size_t)s * M_COUNT + (size_t)m) * (size_t)rd->weeks + (size_t)w) *
           RD_WSTATS;
}

static size_t team_slot(const struct rundata *rd, int s, int t, int k, int w)
{
    return ((((size_t)s * (size_t)rd->nteams + (size_t)t) * RD_TEAM_COUNT +
             (size_t)k) *
                (size_t)rd->weeks +
            (size_t)w) *
           RD_WSTATS;
}

static int weekly_fill(struct rundata *rd, struct rd_file *f, struct err *e)
{
    for (size_t r = 0; r < f->csv.nrows; r++) {
        int m = metric_find(field(f, r, 2)), w;
        if (m < 0)
            continue; /* a metric charts do not use */
        int t = company_row(f, r) ? -1 : rundata_team(rd, row_team(f, r));
        int k = m == M_REVENUE          ? RD_TEAM_REVENUE
                : m == M_PIPELINE_VALUE ? RD_TEAM_PIPELINE_VALUE
                                        : -1;
        if (t >= 0 && k < 0)
            continue; /* a team's metric no chart draws */
        int s = rundata_find(rd, field(f, r, 0));
        double v[3];
        get_int(f, r, 1, 0, rd->weeks - 1, &w, e);
        for (int i = 0; i < 3; i++)
            if (get_num(f, r, 3 + i, &v[i], e) != 0)
                return -1;
        if (isnan(v[1]) || isnan(v[2]))
            v[1] = v[2] = v[0];
        if (t >= 0) {
            memcpy(&rd->team_weekly[team_slot(rd, s, t, k, w)], v, sizeof v);
            continue;
        }
        memcpy(&rd->weekly[week_slot(rd, s, m, w)], v, sizeof v);
    }
    return 0;
}

static int load_weekly(struct rundata *rd, const char *dir, struct err *e)
{
    struct rd_file f;
    char *path = rundata_path(dir, "weekly.csv");
    if (!path)
        return err_oom(e);
    int known = rd->nscen > 0;
    int rc = file_open(&f, path, weekly_cols, e);
    if (rc == 0)
        rc = weekly_scan(rd, &f, known, e);
    if (rc == 0 && !known)
        rc = baseline_first(rd, dir, e);
    if (rc == 0) {
        rd->weekly = nan_array((size_t)rd->nscen * M_COUNT * (size_t)rd->weeks *
                               RD_WSTATS);
        rd->team_weekly =
            nan_array((size_t)rd->nscen * (size_t)rd->nteams * RD_TEAM_COUNT *
                          (size_t)rd->weeks * RD_WSTATS +
                      1);
        rc =
            rd->weekly && rd->team_weekly ? weekly_fill(rd, &f, e) : err_oom(e);
    }
    csv_destroy(&f.csv);
    free(path);
    return rc;
}

static const char *const comp_cols[] = {
    "scenario",      "quarter",       "metric",
    "baseline_mean", "scenario_mean", "delta_mean",
    "delta_ci_low",  "delta_ci_high", NULL};

/* The metric index of a comparison row, or -1 for one charts do not use. */
static int comp_metric(const char *name)
{
    if (strcmp(name, "lost_revenue") == 0)
        return RD_LOST_REVENUE;
    if (strcmp(name, "lost_revenue_cumulative") == 0)
        return RD_LOST_REVENUE_CUMULATIVE;
    return metric_find(name);
}

/* Quarter field: 1..Q, or "total" (returned as 0). */
static int get_quarter(const struct rd_file *f, size_t r, int *q, struct err *e)
{
    if (strcmp(field(f, r, 1), "total") == 0) {
        *q = 0;
        return 0;
    }
    return get_int(f, r, 1, 1, 10000, q, e);
}

static size_t comp_slot(const struct rundata *rd, int s, int m, int q)
{
    return (((size_t)s * RD_COMP_COUNT + (size_t)m) *
                (size_t)(rd->quarters + 1) +
            (size_t)q) *
           RD_CSTATS;
}

static int comp_scan(struct rundata *rd, struct rd_file *f, struct err *e)
{
    for (size_t r = 0; r < f->csv.nrows; r++) {
        int q;
        if (get_quarter(f, r, &q, e) != 0)
            return -1;
        if (rundata_find(rd, field(f, r, 0)) < 1)
            return err_at(e, ERR_CONFIG, f->path, row_line(f, r),
                          "unknown scenario '%s'", field(f, r, 0));
        if (q > rd->quarters)
            rd->quarters = q;
    }
    return 0;
}

static int comp_fill(struct rundata *rd, struct rd_file *f, struct err *e)
{
    for (size_t r = 0; r < f->csv.nrows; r++) {
        int m = comp_metric(field(f, r, 2)), q;
        if (m < 0 || !company_row(f, r))
            continue;
        int s = rundata_find(rd, field(f, r, 0));
        get_quarter(f, r, &q, e);
        double *v = &rd->comp[comp_slot(rd, s, m, q)];
        for (int i = 0; i < RD_CSTATS; i++)
            if (get_num(f, r, 3 + i, &v[i], e) != 0)
                return -1;
    }
    return 0;
}

/* Runs that report only revenue deltas still get lost revenue:
 * lost = -(scenario - baseline), its CI mirrored, the cumulative summed
 * (without a CI: the run alone knows the paired spread). */
static void comp_derive_lost(struct rundata *rd, int s)
{
    double cum = 0.0;
    for (int q = 0; q <= rd->quarters; q++) {
        const double *rv = &rd->comp[comp_slot(rd, s, M_REVENUE, q)];
        double *lv = &rd->comp[comp_slot(rd, s, RD_LOST_REVENUE, q)];
        double *cv = &rd->comp[comp_slot(rd, s, RD_LOST_REVENUE_CUMULATIVE, q)];
        if (isnan(lv[RD_DELTA]) && !isnan(rv[RD_DELTA])) {
            lv[RD_BASE] = rv[RD_BASE];
            lv[RD_SCEN] = rv[RD_SCEN];
            lv[RD_DELTA] = -rv[RD_DELTA];
            lv[RD_DLOW] = -rv[RD_DHIGH];
            lv[RD_DHIGH] = -rv[RD_DLOW];
        }
        if (q > 0)
            cum += lv[RD_DELTA];
        if (isnan(cv[RD_DELTA]))
            cv[RD_DELTA] = q > 0 ? cum : lv[RD_DELTA];
    }
}

static int load_comparison(struct rundata *rd, const char *dir, struct err *e)
{
    struct rd_file f;
    char *path = rundata_path(dir, "comparison.csv");
    if (!path)
        return err_oom(e);
    int rc = file_open(&f, path, comp_cols, e);
    if (rc == 0)
        rc = comp_scan(rd, &f, e);
    if (rc == 0) {
        rd->comp = nan_array((size_t)rd->nscen * RD_COMP_COUNT *
                             (size_t)(rd->quarters + 1) * RD_CSTATS);
        rc = rd->comp ? comp_fill(rd, &f, e) : err_oom(e);
    }
    for (int s = 1; rc == 0 && s < rd->nscen; s++)
        comp_derive_lost(rd, s);
    csv_destroy(&f.csv);
    free(path);
    return rc;
}

/* ---- weekly_comparison.csv -------------------------------------------- */

static const char *const wdiff_cols[] = {
    "scenario",      "week",          "metric",
    "baseline_mean", "scenario_mean", "delta_mean",
    "delta_ci_low",  "delta_ci_high", NULL};

static int wdiff_fill(struct rundata *rd, struct rd_file *f, struct err *e)
{
    for (size_t r = 0; r < f->csv.nrows; r++) {
        int s = rundata_find(rd, field(f, r, 0)), w;
        if (s < 1)
            return err_at(e, ERR_CONFIG, f->path, row_line(f, r),
                          "unknown scenario '%s'", field(f, r, 0));
        if (strcmp(field(f, r, 2), "revenue"))
            continue; /* a metric charts do not use */
        if (get_int(f, r, 1, 0, rd->weeks - 1, &w, e) != 0)
            return -1;
        double *v =
            &rd->wdiff[((size_t)s * (size_t)rd->weeks + (size_t)w) * RD_CSTATS];
        for (int i = 0; i < RD_CSTATS; i++)
            if (get_num(f, r, 3 + i, &v[i], e) != 0)
                return -1;
    }
    return 0;
}

/* weekly_comparison.csv when there (a run from before it has none). */
static int load_wdiff(struct rundata *rd, const char *dir, struct err *e)
{
    struct rd_file f;
    char *path = rundata_path(dir, "weekly_comparison.csv");
    if (!path)
        return err_oom(e);
    if (access(path, F_OK) != 0) {
        free(path);
        return 0;
    }
    int rc = file_open(&f, path, wdiff_cols, e);
    if (rc == 0) {
        rd->wdiff =
            nan_array((size_t)rd->nscen * (size_t)rd->weeks * RD_CSTATS);
        rc = rd->wdiff ? wdiff_fill(rd, &f, e) : err_oom(e);
    }
    csv_destroy(&f.csv);
    free(path);
    return rc;
}

double rundata_week_diff(const struct rundata *rd, int s, int w, int st)
{
    if (!rd->wdiff || s < 1 || s >= rd->nscen || w < 0 || w >= rd->weeks ||
        st < 0 || st >= RD_CSTATS)
        return NAN;
    return rd->wdiff[((size_t)s * (size_t)rd->weeks + (size_t)w) * RD_CSTATS +
                     (size_t)st];
}

/* ---- the decision: ranking.csv and pairs.csv -------------------------- */

static const char *const rank_cols[] = {
    "scenario", "metric",        "mean",           "ci_low", "ci_high",
    "p_best",   "p_best_ci_low", "p_best_ci_high", "rank",   "tied_with_best",
    NULL};

static int rank_row(struct rundata *rd, const struct rd_file *f, size_t r,
                    struct rd_rank *d, struct err *e)
{
    const char *t = field(f, r, 9);
    d->s = rundata_find(rd, field(f, r, 0));
    if (d->s < 0)
        return err_at(e, ERR_CONFIG, f->path, row_line(f, r),
                      "unknown scenario '%s'", field(f, r, 0));
    if (strcmp(field(f, r, 1), rd->dec_metric))
        return err_at(e, ERR_CONFIG, f->path, row_line(f, r),
                      "metric '%s', but the first row's is '%s'",
                      field(f, r, 1), rd->dec_metric);
    double *v[] = {&d->mean, &d->lo, &d->hi, &d->p_best, &d->p_lo, &d->p_hi};
    for (int i = 0; i < 6; i++)
        if (get_num(f, r, 2 + i, v[i], e) != 0)
            return -1;
    if (get_int(f, r, 8, 1, rd->nscen, &d->rank, e) != 0)
        return -1;
    d->tied = !strcmp(t, "true") ? 1 : !strcmp(t, "false") ? 0 : -1;
    if (d->tied < 0 && *t)
        return err_at(e, ERR_CONFIG, f->path, row_line(f, r),
                      "column 10: expected true, false or nothing, got '%s'",
                      t);
    d->vs = d->vs_lo = d->vs_hi = d->s == 0 ? 0.0 : NAN;
    return 0;
}

static int load_ranking(struct rundata *rd, const char *dir, struct err *e)
{
    struct rd_file f;
    char *path = rundata_path(dir, "ranking.csv");
    if (!path)
        return err_oom(e);
    if (access(path, F_OK) != 0) {
        free(path);
        return 0; /* a run from before the decision */
    }
    int rc = file_open(&f, path, rank_cols, e);
    if (rc == 0 && f.csv.nrows > 0) {
        rd->dec = calloc(f.csv.nrows, sizeof *rd->dec);
        rd->dec_metric = strdup(field(&f, 0, 1));
        if (!rd->dec || !rd->dec_metric)
            rc = err_oom(e);
    }
    for (size_t r = 0; rc == 0 && r < f.csv.nrows; r++, rd->ndec++)
        rc = rank_row(rd, &f, r, &rd->dec[r], e);
    for (int i = 1; rc == 0 && i < rd->ndec; i++)
        if (rd->dec[i].mean > rd->dec[i - 1].mean)
            rd->dec_lower = 1;
    csv_destroy(&f.csv);
    free(path);
    return rc;
}

static const char *const pair_cols[] = {"scenario_a", "scenario_b", "quarter",
                                        "metric",     "mean",       "ci_low",
                                        "ci_high",    NULL};

/* A decision row of pairs.csv against the baseline: quarter "A-B". */
static int pair_row(struct rundata *rd, const struct rd_file *f, size_t r,
                    struct err *e)
{
    const char *q = field(f, r, 2);
    int a, b, n;
    if (strcmp(field(f, r, 1), "baseline") ||
        strcmp(field(f, r, 3), rd->dec_metric) || !strchr(q, '-'))
        return 0;
    if (sscanf(q, "%d-%d%n", &a, &b, &n) != 2 || q[n] || a < 1 || b < a ||
        b > rd->quarters ||
        (rd->dec_q0 && (a != rd->dec_q0 || b != rd->dec_q1)))
        return err_at(e, ERR_CONFIG, f->path, row_line(f, r),
                      "quarters '%s' of the decision do not fit the run", q);
    rd->dec_q0 = a;
    rd->dec_q1 = b;
    for (int i = 0; i < rd->ndec; i++) {
        struct rd_rank *d = &rd->dec[i];
        if (strcmp(rd->scen[d->s].id, field(f, r, 0)))
            continue;
        double *v[] = {&d->vs, &d->vs_lo, &d->vs_hi};
        for (int k = 0; k < 3; k++)
            if (get_num(f, r, 4 + k, v[k], e) != 0)
                return -1;
    }
    return 0;
}

static int load_pairs(struct rundata *rd, const char *dir, struct err *e)
{
    struct rd_file f;
    memset(&f.csv, 0, sizeof f.csv);
    char *path = rundata_path(dir, "pairs.csv");
    if (!path)
        return err_oom(e);
    int rc = access(path, F_OK) == 0 ? file_open(&f, path, pair_cols, e)
                                     : err_set(e, ERR_CONFIG,
                                               "%s: missing; ranking.csv needs "
                                               "it (run again to write both)",
                                               path);
    for (size_t r = 0; rc == 0 && r < f.csv.nrows; r++)
        rc = pair_row(rd, &f, r, e);
    for (int i = 0; rc == 0 && i < rd->ndec; i++)
        if (isnan(rd->dec[i].vs))
            rc = err_set(e, ERR_CONFIG,
                         "%s: no row of '%s' against the "
                         "baseline over the decision's quarters (was the "
                         "file edited?)",
                         path, rd->scen[rd->dec[i].s].id);
    csv_destroy(&f.csv);
    free(path);
    return rc;
}

int rundata_load(struct rundata *rd, const char *run_dir, struct err *e)
{
    memset(rd, 0, sizeof *rd);
    int day0 = CAL_NO_DATE;
    int rc = load_scenarios(rd, run_dir, e);
    if (rc == 0 && rd->nscen > 0)
        rc = baseline_first(rd, run_dir, e);
    if (rc == 0)
        rc = load_weekly(rd, run_dir, e);
    if (rc == 0)
        rc = load_comparison(rd, run_dir, e);
    if (rc == 0)
        rc = load_wdiff(rd, run_dir, e);
    if (rc == 0)
        rc = load_ranking(rd, run_dir, e);
    if (rc == 0 && rd->ndec > 0)
        rc = load_pairs(rd, run_dir, e);
    if (rc == 0)
        rc = load_start_date(run_dir, &day0, e);
    cal_init(&rd->cal, day0, rd->weeks);
    if (rc != 0)
        rundata_destroy(rd);
    return rc;
}

int rundata_check_weekly(const struct rundata *rd, const char *run_dir,
                         const int *metrics, int n, struct err *e)
{
    for (int i = 0; i < n; i++)
        for (int s = 0; s < rd->nscen; s++)
            for (int w = 0; w < rd->weeks; w++) {
                if (!isnan(rundata_week(rd, s, metrics[i], w, RD_MEAN)))
                    continue;
                return err_set(e, ERR_CONFIG,
                               "%s/weekly.csv: no %s of "
                               "scenario '%s' in week %d; a run writes "
                               "every metric of every scenario each week "
                               "(was the file edited?)",
                               run_dir, metric_table[metrics[i]].name,
                               rd->scen[s].id, w);
            }
    return 0;
}

void rundata_destroy(struct rundata *rd)
{
    for (int s = 0; s < rd->nscen; s++) {
        free(rd->scen[s].id);
        free(rd->scen[s].title);
        free(rd->scen[s].label);
    }
    for (int i = 0; i < rd->nhidden; i++)
        free(rd->hidden[i]);
    free(rd->hidden);
    free(rd->scen);
    free(rd->weekly);
    free(rd->comp);
    free(rd->wdiff);
    free(rd->dec);
    free(rd->dec_metric);
    for (int t = 0; t < rd->nteams; t++)
        free(rd->team[t]);
    free(rd->team);
    free(rd->team_weekly);
    memset(rd, 0, sizeof *rd);
}

double rundata_team_week(const struct rundata *rd, int s, int t, int k, int w,
                         int st)
{
    return rd->team_weekly[team_slot(rd, s, t, k, w) + (size_t)st];
}

double rundata_week(const struct rundata *rd, int s, int m, int w, int st)
{
    if (s < 0 || s >= rd->nscen || m < 0 || m >= M_COUNT || w < 0 ||
        w >= rd->weeks || st < 0 || st >= RD_WSTATS)
        return NAN;
    return rd->weekly[week_slot(rd, s, m, w) + (size_t)st];
}

double rundata_comp(const struct rundata *rd, int s, int m, int q, int st)
{
    if (s < 1 || s >= rd->nscen || m < 0 || m >= RD_COMP_COUNT || q < 0 ||
        q > rd->quarters || st < 0 || st >= RD_CSTATS)
        return NAN;
    return rd->comp[comp_slot(rd, s, m, q) + (size_t)st];
}

/* ---- which scenarios are shown ---------------------------------------- */

/* Whether the comma-separated list names id. */
static int listed_id(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncmp(p, id, n))
            return 1;
        p += k + (p[k] == ',');
    }
    return 0;
}

/* Checks that every ID of the list of option opt is one of rd's. */
static int check_ids(const struct rundata *rd, const char *opt,
                     const char *list, struct err *e)
{
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        char id[256];
        snprintf(id, sizeof id, "%.*s", (int)(k < 255 ? k : 255), p);
        if (!strcmp(opt, "--exclude") && !strcmp(id, "baseline"))
            return err_set(e, ERR_CONFIG,
                           "--exclude: the baseline is in "
                           "every chart (each scenario is drawn against "
                           "it)");
        if (k == 0 || rundata_find(rd, id) < 0) {
            char known[1024] = "";
            size_t len = 0;
            for (int s = 0; s < rd->nscen && len < sizeof known; s++)
                len += (size_t)snprintf(known + len, sizeof known - len, "%s%s",
                                        s ? ", " : "", rd->scen[s].id);
            return err_set(e, ERR_CONFIG,
                           "%s: no scenario '%s' in this "
                           "run; its scenarios are %s",
                           opt, id, known);
        }
        p += k + (p[k] == ',');
    }
    return 0;
}

/* Copies the blocks of the kept scenarios (keep[s]) of an array of
 * nscen blocks of `block` doubles, in order, into new memory. */
static double *keep_blocks(const double *a, int nscen, size_t block,
                           const int *keep, int kept)
{
    double *out = malloc(((size_t)kept * block + 1) * sizeof *out);
    size_t k = 0;
    for (int s = 0; out && s < nscen; s++)
        if (keep[s])
            memcpy(out + block * k++, a + block * (size_t)s,
                   block * sizeof *out);
    return out;
}

/* Drops the scenarios with keep[s] = 0 from the arrays (to[s]: where s
 * goes, or -1), the decision's options and the list of scenarios. */
static int drop_scenarios(struct rundata *rd, const int *keep, const int *to,
                          int kept, struct err *e)
{
    size_t wblock = (size_t)M_COUNT * (size_t)rd->weeks * RD_WSTATS;
    size_t cblock =
        (size_t)RD_COMP_COUNT * (size_t)(rd->quarters + 1) * RD_CSTATS;
    size_t dblock = (size_t)rd->weeks * RD_CSTATS;
    double *w = keep_blocks(rd->weekly, rd->nscen, wblock, keep, kept);
    double *c = keep_blocks(rd->comp, rd->nscen, cblock, keep, kept);
    double *d = rd->wdiff
                    ? keep_blocks(rd->wdiff, rd->nscen, dblock, keep, kept)
                    : NULL;
    size_t tblock =
        (size_t)rd->nteams * RD_TEAM_COUNT * (size_t)rd->weeks * RD_WSTATS;
    double *tw =
        rd->nteams ? keep_blocks(rd->team_weekly, rd->nscen, tblock, keep, kept)
                   : NULL;
    if (rd->nteams && !tw) {
        free(d);
        return err_oom(e);
    }
    if (tw) {
        free(rd->team_weekly);
        rd->team_weekly = tw;
    }
    char **hidden =
        realloc(rd->hidden, (size_t)(rd->nhidden + rd->nscen) * sizeof *hidden);
    if (hidden)
        rd->hidden = hidden;
    if (!w || !c || (rd->wdiff && !d) || !hidden) {
        free(w);
        free(c);
        free(d);
        return err_oom(e);
    }
    free(rd->weekly);
    free(rd->comp);
    free(rd->wdiff);
    rd->weekly = w;
    rd->comp = c;
    rd->wdiff = d;
    int n = 0;
    for (int i = 0; i < rd->ndec; i++)
        if (keep[rd->dec[i].s]) {
            rd->dec[n] = rd->dec[i];
            rd->dec[n++].s = to[rd->dec[i].s];
        }
    rd->ndec = n;
    n = 0;
    for (int s = 0; s < rd->nscen; s++) {
        if (keep[s]) {
            rd->scen[n++] = rd->scen[s];
            continue;
        }
        rd->hidden[rd->nhidden++] = rd->scen[s].title;
        free(rd->scen[s].id);
        free(rd->scen[s].label);
    }
    rd->nscen = n;
    return 0;
}

int rundata_select(struct rundata *rd, const struct rd_select *sel,
                   struct err *e)
{
    const char *only = sel ? sel->only : NULL;
    const char *exclude = sel ? sel->exclude : NULL;
    if (check_ids(rd, "--only", only, e) != 0 ||
        check_ids(rd, "--exclude", exclude, e) != 0)
        return -1;
    int *keep = malloc(2 * (size_t)rd->nscen * sizeof *keep);
    if (!keep)
        return err_oom(e);
    int *to = keep + rd->nscen, kept = 0;
    for (int s = 0; s < rd->nscen; s++) {
        const char *id = rd->scen[s].id;
        keep[s] = s == 0 || ((only ? listed_id(only, id) : rd->scen[s].chart) &&
                             !listed_id(exclude, id));
        to[s] = keep[s] ? kept++ : -1;
    }
    int rc = kept == rd->nscen ? 0 : drop_scenarios(rd, keep, to, kept, e);
    free(keep);
    return rc;
}
