/*
 * plot: chart files and the gnuplot pipe (see include/plot.h).
 *
 * For each chart the body (data and commands) is built once in memory;
 * each format then gets a two-line head (terminal, output). The .gp saved
 * beside the chart names the final image; the script piped to gnuplot is
 * the same text with the output pointed into a private temporary folder,
 * so both have the same line numbers. Only a complete, non-empty image is
 * copied into the plots folder (atomically, through afile).
 */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "csvread.h"
#include "plot_int.h"
#include "rundata.h"

const char *const plot_chart_names[PLOT_NCHARTS] = {
    "revenue",  "revenue_difference", "lost_revenue", "backlog",
    "pipeline", "rep_hours",          "impact",       "ranking",
};

enum chart_kind {
    CHART_REVENUE = 0,
    CHART_REVENUE_DIFF,
    CHART_LOST,
    CHART_BACKLOG,
    CHART_PIPELINE,
    CHART_REP_HOURS,
    CHART_IMPACT,
    CHART_RANKING,
    CHART_DASHBOARD,
};

/* What one plot_run_dir call is drawing. */
struct plot_job {
    const struct rundata *rd;
    int *all;            /* every scenario index, 0..nscen-1 */
    struct plot_files f; /* the folder, formats and manifest */
};

static const struct {
    unsigned bit;
    const char *ext;
} formats[] = {{PLOT_PNG, "png"}, {PLOT_SVG, "svg"}, {PLOT_PDF, "pdf"}};

int plot_format_parse(const char *s, unsigned *format)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
        if (strcmp(s, formats[i].ext) == 0) {
            *format = formats[i].bit;
            return 0;
        }
    }
    return -1;
}

/* Canvas size of chart k in logical pixels: dashboards get a larger
 * page, grids of many panels a taller one. */
static void canvas_size(const struct plot_job *job, enum chart_kind k,
                        int size[2])
{
    const struct gp_size *sz = gp_size_of(job->f.formats);
    int n = job->rd->nscen;
    size[0] = k == CHART_DASHBOARD ? sz->dash_width : sz->width;
    size[1] = k == CHART_DASHBOARD ? sz->dash_height : sz->height;
    if (k == CHART_REP_HOURS)
        size[1] = chart_grid_height(sz, n);
    if (k == CHART_RANKING)
        size[1] = chart_ranking_height(sz, job->rd->ndec);
    if ((k == CHART_BACKLOG || k == CHART_PIPELINE) && n > 2)
        size[1] = chart_grid_height(sz, n - 1);
}

/* The terminal line for a format and a canvas of w x h logical pixels.
 * PNG: drawn at the preset's scale and density, type, lines and points
 * scaled alike. SVG: the logical canvas, its type at 4/3 to match
 * cairo's 96 dots an inch (plot_int.h); the file's width and height
 * are scaled afterwards (scale_svg). PDF: 120 logical pixels an inch. */
static void write_terminal(FILE *f, unsigned fmts, unsigned fmt, int w, int h)
{
    double k = gp_scale(gp_size_of(fmts), w, 1);
    if (fmt == PLOT_PNG && k == 1.0)
        fprintf(f,
                "set terminal pngcairo size %d,%d noenhanced "
                "font 'DejaVu Sans,11' background rgb 'white'\n",
                w, h);
    else if (fmt == PLOT_PNG)
        fprintf(f,
                "set terminal pngcairo size %d,%d noenhanced "
                "font 'DejaVu Sans,11' fontscale %g linewidth %g "
                "pointscale %g background rgb 'white'\n",
                (int)lround(w * k), (int)lround(h * k), k, k, k);
    else if (fmt == PLOT_SVG)
        fprintf(f,
                "set terminal svg size %d,%d fixed noenhanced "
                "font 'DejaVu Sans,11' fontscale 1.33333 "
                "background rgb 'white'\n",
                w, h);
    else
        /* cairo's PDF type runs larger than its PNG type: the scales
         * keep a page's proportions those of the PNG. */
        fprintf(f,
                "set terminal pdfcairo size %.2fin,%.2fin noenhanced "
                "font 'DejaVu Sans,11' fontscale 0.7 linewidth 1 "
                "pointscale 0.6\n",
                w / 120.0, h / 120.0);
}

static void body_of(FILE *f, const struct plot_job *job, enum chart_kind k,
                    int s)
{
    struct gp_set set = {job->rd, job->all, job->rd->nscen};
    const struct gp_size *sz = gp_size_of(job->f.formats);
    struct gp_frame full = gp_single(sz);
    switch (k) {
    case CHART_REVENUE:
        chart_revenue(f, &set, &full);
        break;
    case CHART_REVENUE_DIFF:
        chart_revenue_diff(f, &set, &full);
        break;
    case CHART_LOST:
        chart_lost(f, &set, &full);
        break;
    case CHART_BACKLOG:
        chart_backlog(f, &set, &full);
        break;
    case CHART_PIPELINE:
        chart_pipeline(f, &set, &full);
        break;
    case CHART_REP_HOURS:
        chart_rep_hours(f, &set, sz);
        break;
    case CHART_IMPACT:
        chart_impact(f, &set, &full);
        break;
    case CHART_RANKING:
        chart_ranking(f, job->rd, sz);
        break;
    case CHART_DASHBOARD:
        chart_dashboard(f, job->rd, s, sz);
        break;
    }
}

/* Builds the body of chart k in new memory (*len bytes). */
static char *build_body(const struct plot_job *job, enum chart_kind k, int s,
                        size_t *len, struct err *e)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f) {
        err_oom(e);
        return NULL;
    }
    gp_linetypes(f);
    body_of(f, job, k, s);
    fputs("unset output\n", f);
    if (ferror(f) | fclose(f)) {
        free(buf);
        err_oom(e);
        return NULL;
    }
    return buf;
}

/* True when text holds a byte outside ASCII (UTF-8 in a title). */
static int has_non_ascii(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)text[i] >= 0x80)
            return 1;
    return 0;
}

/* The whole script for one format, with its output at out. `set
 * encoding utf8` only where the body holds UTF-8: gnuplot 5.4 then
 * counts a key title's width in characters, not bytes (ASCII text is
 * drawn the same either way), but every `set encoding` also converts a
 * degree sign to the locale's character set and, where LANG is unset
 * (ASCII), warns "iconv failed to convert degree sign" on each rerun of
 * the saved script. */
static char *build_script(const struct plot_files *pf, const char *name,
                          unsigned fmt, const int *size, const char *out,
                          const char *body, size_t blen, size_t *len)
{
    char *buf = NULL;
    FILE *f = open_memstream(&buf, len);
    if (!f)
        return NULL;
    fprintf(f,
            "# %s: drawn by salescap from %s.\n"
            "# Restyle here, then redraw from this folder: gnuplot %s.gp\n"
            "# Other formats: change the terminal (pngcairo, svg, pdfcairo)"
            " and the output's extension.\n",
            name, pf->source, name);
    write_terminal(f, pf->formats, fmt, size[0], size[1]);
    fputs("set output ", f);
    gp_str(f, out);
    fputc('\n', f);
    if (has_non_ascii(body, blen))
        fputs("set encoding utf8\n", f);
    fwrite(body, 1, blen, f);
    if (ferror(f) | fclose(f)) {
        free(buf);
        return NULL;
    }
    return buf;
}

static const char *ext_of(unsigned fmt)
{
    for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
        if (formats[i].bit == fmt)
            return formats[i].ext;
    return "png";
}

/* An SVG drawn on the logical canvas shown at the preset's size: the
 * root's width and height scaled, its viewBox kept (gnuplot writes
 * ' width="W" height="H"' once, at the top). */
static void scale_svg(char *data, size_t *len, size_t cap, unsigned fmts)
{
    int w, h, out[2], n = 0;
    char *at = strstr(data, " width=\""), head[64];
    if (!at || at - data > 200 ||
        sscanf(at, " width=\"%d\" height=\"%d\"%n", &w, &h, &n) != 2 || n == 0)
        return;
    plot_size_pixels(fmts, w, h, PLOT_SVG, out);
    int m = snprintf(head, sizeof head, " width=\"%d\" height=\"%d\"", out[0],
                     out[1]);
    if (*len - (size_t)n + (size_t)m > cap)
        return;
    memmove(at + m, at + n, *len - (size_t)(at - data) - (size_t)n);
    memcpy(at, head, (size_t)m);
    *len = *len - (size_t)n + (size_t)m;
}

/* Copies gnuplot's image at tmp to dest atomically; tmp is removed. */
static int install_image(const char *tmp, const char *dest, unsigned fmt,
                         unsigned fmts, struct err *e)
{
    size_t len = 0;
    struct stat st;
    if (stat(tmp, &st) != 0 || st.st_size == 0) {
        unlink(tmp);
        return err_set(e, ERR_RUNTIME, "%s: gnuplot wrote no image", dest);
    }
    char *data = csv_slurp(tmp, &len, e);
    unlink(tmp);
    if (!data)
        return -1;
    if (fmt == PLOT_SVG && gp_size_of(fmts)->out_width > 0) {
        char *more = realloc(data, len + 32);
        if (more) {
            data = more;
            scale_svg(data, &len, len + 32, fmts);
        }
    }
    int rc = afile_write(dest, data, len, e);
    free(data);
    return rc;
}

/* Draws one chart in one format: saves NAME.gp (with the first format
 * only), pipes the script, installs the image. */
static int draw_format(struct plot_files *pf, const char *name, unsigned fmt,
                       const int *size, int save_gp, const char *body,
                       size_t blen, struct err *e)
{
    char final[4400], tmp[4400], gp[4400], out[320];
    snprintf(out, sizeof out, "%s.%s", name, ext_of(fmt));
    if ((size_t)snprintf(final, sizeof final, "%s/%s", pf->plots_dir, out) >=
            sizeof final ||
        (size_t)snprintf(gp, sizeof gp, "%s/%s.gp", pf->plots_dir, name) >=
            sizeof gp)
        return err_set(e, ERR_RUNTIME, "%s: path too long", pf->plots_dir);
    snprintf(tmp, sizeof tmp, "%s/%s", pf->tmpdir, out);
    size_t slen, tlen;
    char *saved = build_script(pf, name, fmt, size, out, body, blen, &slen);
    char *piped = build_script(pf, name, fmt, size, tmp, body, blen, &tlen);
    int rc = (saved && piped) ? 0 : err_oom(e);
    if (rc == 0 && save_gp)
        rc = afile_write(gp, saved, slen, e);
    if (rc == 0 && save_gp)
        fprintf(pf->manifest, "%s.gp\n", name);
    if (rc == 0)
        fprintf(pf->manifest, "%s\n", out);
    if (rc == 0)
        rc = plot_pipe(piped, tlen, gp, e);
    if (rc == 0)
        rc = install_image(tmp, final, fmt, pf->formats, e);
    unlink(tmp);
    free(saved);
    free(piped);
    if (rc == 0)
        pf->written++;
    return rc;
}

static volatile sig_atomic_t *plot_stop;

void plot_set_stop(volatile sig_atomic_t *stop)
{
    plot_stop = stop;
}

int plot_files_chart(struct plot_files *pf, const char *name, const int size[2],
                     const char *body, size_t blen, struct err *e)
{
    int rc = 0, first = 1;
    for (size_t i = 0; rc == 0 && i < sizeof formats / sizeof formats[0]; i++) {
        if (!(pf->formats & formats[i].bit))
            continue;
        if (plot_stop && *plot_stop)
            return err_set(e, ERR_RUNTIME, "interrupted");
        rc = draw_format(pf, name, formats[i].bit, size, first, body, blen, e);
        first = 0;
    }
    return rc;
}

static int draw_chart(struct plot_job *job, enum chart_kind k, int s,
                      struct err *e)
{
    char name[300];
    if (k == CHART_DASHBOARD)
        snprintf(name, sizeof name, "dashboard_%s", job->rd->scen[s].id);
    else
        snprintf(name, sizeof name, "%s", plot_chart_names[k]);
    size_t blen;
    char *body = build_body(job, k, s, &blen, e);
    if (!body)
        return -1;
    int size[2];
    canvas_size(job, k, size);
    int rc = plot_files_chart(&job->f, name, size, body, blen, e);
    free(body);
    return rc;
}

/* Scenario IDs become file names: refuse ones that could escape. */
static int check_ids(const struct rundata *rd, struct err *e)
{
    for (int s = 1; s < rd->nscen; s++) {
        const char *id = rd->scen[s].id;
        if (!*id || strlen(id) > 200 || strchr(id, '/') || id[0] == '.')
            return err_set(e, ERR_CONFIG,
                           "scenario ID '%s' cannot name a chart file", id);
    }
    return 0;
}

static int draw_all(struct plot_job *job, struct err *e)
{
    const struct rundata *rd = job->rd;
    int compare = rd->nscen > 1 && rd->quarters > 0;
    int decide = compare && rd->ndec > 1;
    int rc = check_ids(rd, e);
    int diff = rd->nscen > 1 && rd->wdiff;
    for (int k = CHART_REVENUE; rc == 0 && k <= CHART_RANKING; k++)
        if ((k != CHART_LOST || compare) && (k != CHART_REVENUE_DIFF || diff) &&
            (k < CHART_IMPACT || decide))
            rc = draw_chart(job, (enum chart_kind)k, 0, e);
    int dash = compare && !(job->f.formats & PLOT_SKIP_DASHBOARDS);
    for (int s = 1; rc == 0 && dash && s < rd->nscen; s++)
        rc = draw_chart(job, CHART_DASHBOARD, s, e);
    return rc;
}

/* A private folder for gnuplot's output, in $TMPDIR or /tmp. */
static int make_tmpdir(char *buf, size_t n, struct err *e)
{
    const char *t = getenv("TMPDIR");
    if (!t || !*t || strlen(t) > n - 32)
        t = "/tmp";
    snprintf(buf, n, "%s/salescap-plot.XXXXXX", t);
    if (!mkdtemp(buf))
        return err_set(e, ERR_RUNTIME, "%s: cannot create: %s", buf,
                       strerror(errno));
    return 0;
}

/* The length of name[0, n) without its extension. */
static size_t stem(const char *name, size_t n)
{
    for (size_t i = n; i-- > 0;)
        if (name[i] == '.')
            return i;
    return n;
}

/* Whether file name[0, n) is a line of manifest m; by_stem: whether a
 * file of the same chart is (the same name up to the extension, so that
 * redrawing in another format keeps the first format's images). */
static int listed(const char *m, const char *name, size_t n, int by_stem)
{
    size_t s = by_stem ? stem(name, n) : n;
    for (const char *l = m; l && *l;) {
        const char *nl = strchr(l, '\n');
        size_t len = nl ? (size_t)(nl - l) : strlen(l);
        if ((by_stem ? stem(l, len) : len) == s && !memcmp(l, name, s))
            return 1;
        l = nl ? nl + 1 : NULL;
    }
    return 0;
}

/* After a drawing: removes the files of charts the previous manifest
 * lists and this drawing did not draw, then installs the new manifest
 * (with the files of the previous one that it kept). Best effort. */
static int tidy(struct plot_files *pf, struct err *e)
{
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", pf->plots_dir, pf->list);
    size_t len = 0;
    struct err ignore = {0};
    char *old = access(path, F_OK) == 0 ? csv_slurp(path, &len, &ignore) : NULL;
    char *text = NULL;
    size_t tlen = 0;
    FILE *m = open_memstream(&text, &tlen);
    if (!m) {
        free(old);
        return err_oom(e);
    }
    fwrite(pf->names, 1, pf->names_len, m);
    for (const char *l = old; l && *l;) {
        const char *nl = strchr(l, '\n');
        size_t n = nl ? (size_t)(nl - l) : strlen(l);
        /* Only plain names: a hand-edited manifest cannot reach out. */
        int plain = n > 0 && n < 300 && l[0] != '.' && !memchr(l, '/', n);
        char f[4400];
        snprintf(f, sizeof f, "%s/%.*s", pf->plots_dir, (int)n, l);
        if (plain && !listed(pf->names, l, n, 1))
            unlink(f);
        else if (plain && access(f, F_OK) == 0 && !listed(pf->names, l, n, 0))
            fprintf(m, "%.*s\n", (int)n, l); /* kept: another format */
        l = nl ? nl + 1 : NULL;
    }
    free(old);
    if (fclose(m) != 0) {
        free(text);
        return err_oom(e);
    }
    int rc = afile_write(path, text, tlen, e);
    free(text);
    return rc;
}

int plot_files_open(struct plot_files *pf, const char *plots_dir, unsigned fmts,
                    const char *source, const char *list, struct err *e)
{
    memset(pf, 0, sizeof *pf);
    pf->plots_dir = plots_dir;
    pf->source = source;
    pf->list = list;
    pf->formats =
        fmts & (PLOT_PNG | PLOT_SVG | PLOT_PDF) ? fmts : fmts | PLOT_PNG;
    if (mkdir_p(plots_dir, e) != 0 ||
        make_tmpdir(pf->tmpdir, sizeof pf->tmpdir, e) != 0)
        return -1;
    pf->manifest = open_memstream(&pf->names, &pf->names_len);
    if (!pf->manifest) {
        rmdir(pf->tmpdir);
        return err_oom(e);
    }
    return 0;
}

int plot_files_close(struct plot_files *pf, int rc, struct err *e)
{
    if (fclose(pf->manifest) != 0 && rc == 0)
        rc = err_oom(e);
    if (rc == 0)
        rc = tidy(pf, e);
    rmdir(pf->tmpdir);
    free(pf->names);
    pf->names = NULL;
    return rc == 0 ? pf->written : -1;
}

int plot_run_dir(const char *run_dir, const char *plots_dir, unsigned fmts,
                 struct err *e)
{
    return plot_run_dir_sel(run_dir, plots_dir, fmts, NULL, e);
}

int plot_run_dir_sel(const char *run_dir, const char *plots_dir, unsigned fmts,
                     const struct rd_select *sel, struct err *e)
{
    struct rundata rd;
    struct plot_job job = {.rd = &rd};
    /* The metrics the charts draw (plot_charts.c). */
    static const int drawn[] = {M_REVENUE,
                                M_OPS_BACKLOG_HOURS,
                                M_EXPECTED_DELAY_DAYS,
                                M_PIPELINE_COUNT,
                                M_PIPELINE_VALUE,
                                M_REP_HOURS_SELLING,
                                M_REP_HOURS_PROSPECTING,
                                M_REP_HOURS_ADMIN,
                                M_REP_HOURS_OPS,
                                M_REP_HOURS_IDLE};
    if (rundata_load(&rd, run_dir, e) != 0)
        return -1;
    if (rundata_check_weekly(&rd, run_dir, drawn,
                             (int)(sizeof drawn / sizeof *drawn), e) != 0 ||
        rundata_select(&rd, sel, e) != 0) {
        rundata_destroy(&rd);
        return -1;
    }
    int n = -1;
    if (plot_files_open(&job.f, plots_dir, fmts, "the run's CSVs",
                        PLOT_MANIFEST, e) == 0) {
        job.all = malloc((size_t)rd.nscen * sizeof *job.all);
        for (int s = 0; job.all && s < rd.nscen; s++)
            job.all[s] = s;
        int rc = job.all ? draw_all(&job, e) : err_oom(e);
        if (rc == 0) /* quotas and plan: issue 16 */
            rc = chart_plan_draw(&job.f, &rd, run_dir, fmts, e);
        if (rc == 0) /* teams: issue 16 */
            rc = chart_teams_draw(&job.f, &rd, fmts, e);
        n = plot_files_close(&job.f, rc, e);
    }
    free(job.all);
    rundata_destroy(&rd);
    return n;
}
