/*
 * plot_team: the charts of a run with teams ([team.NAME]; docs/model.md,
 * "Teams"): revenue_by_team and pipeline_by_team, one panel per option,
 * each week's mean stacked by team, bottom to top in the file's order.
 *
 * Invariant: a stack's top is the sum of the teams' means, which is the
 * company's mean (a team's revenue and pipeline add up to the
 * company's, replication by replication); every panel shares one scale,
 * so options compare by height.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "params.h"
#include "plot_int.h"
#include "rundata.h"

/* Team colours: apart from the options' (which title the panels). */
static const char *const team_colour[] = {
    "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1",
    "#76b7b2", "#edc948", "#9c755f", "#bab0ac",
};
#define N_TEAM_COLOURS (sizeof team_colour / sizeof team_colour[0])

struct team_chart {
    const char *name; /* file name */
    int k;            /* enum rd_team_metric */
    const char *title, *what, *axis;
};

static const struct team_chart charts[] = {
    {"revenue_by_team", RD_TEAM_REVENUE, "Revenue by team, week by week",
     "weekly revenue of each team's clients", "Revenue per week"},
    {"pipeline_by_team", RD_TEAM_PIPELINE_VALUE,
     "Open pipeline by team, week by week",
     "annual value of each team's open deals at the week's end",
     "Pipeline value"},
};

/* One block per option: x, then the running sums of the stack, as steps
 * (a week's value from week - 0.5 to week + 0.5). Returns the tallest
 * stack. */
static double block_stack(FILE *f, const struct rundata *rd, int k)
{
    double top = 0.0;
    for (int s = 0; s < rd->nscen; s++) {
        fprintf(f, "$team%d << EOD\n# x, cumulative by team\n", s);
        for (int w = 0; w < rd->weeks; w++) {
            double acc = 0.0;
            for (int edge = 0; edge < 2; edge++) {
                fprintf(f, "%.1f", w - 0.5 + edge);
                acc = 0.0;
                for (int t = 0; t < rd->nteams; t++) {
                    double v = rundata_team_week(rd, s, t, k, w, RD_MEAN);
                    acc += isnan(v) ? 0.0 : v;
                    fputc(' ', f);
                    gp_num(f, acc);
                }
                fputc('\n', f);
            }
            top = fmax(top, acc);
        }
        fputs("EOD\n", f);
    }
    return top;
}

static void team_panel(FILE *f, const struct rundata *rd, int s,
                       const struct team_chart *c, const struct gp_axis *y,
                       const struct gp_size *sz, double head)
{
    struct gp_frame fr = chart_grid_cell(sz, s, rd->nscen, head);
    gp_house(f, &fr, 0);
    gp_title_in(f, &fr, rd->scen[s].label, NULL, s ? gp_colour(s) : "#111111");
    gp_ticks(f, &fr, "y", y, GP_MONEY);
    gp_axis_label(&fr, 0, c->axis);
    gp_week_axis(f, rd, &fr, 0);
    gp_plot_area(f, &fr);
    fputs("set grid noxtics\nplot ", f);
    for (int t = 0; t < rd->nteams; t++) {
        fprintf(f, "%s$team%d using 1:", t ? ", \\\n     " : "", s);
        if (t == 0)
            fputs("(0)", f);
        else
            fprintf(f, "%d", t + 1);
        fprintf(f,
                ":%d with filledcurves fc rgb '%s' fs solid 0.85 "
                "border lc rgb '#ffffff' notitle",
                t + 2, team_colour[(size_t)t % N_TEAM_COLOURS]);
    }
    fputc('\n', f);
}

static void chart_team(FILE *f, const struct rundata *rd,
                       const struct team_chart *c, const struct gp_size *sz)
{
    double top = block_stack(f, rd, c->k);
    struct gp_axis y = gp_nice(0.0, top > 0.0 ? top : 1.0, 1);
    char sub[256], st[MAX_TEAMS][96];
    struct gp_key k[MAX_TEAMS];
    int n = rd->nteams < MAX_TEAMS ? rd->nteams : MAX_TEAMS;
    if (rd->replications > 1)
        snprintf(sub, sizeof sub, "Mean of %d replications: %s, stacked",
                 rd->replications, c->what);
    else
        snprintf(sub, sizeof sub, "One replication: %s, stacked", c->what);
    for (int t = 0; t < n; t++) {
        snprintf(st[t], sizeof st[t],
                 "fc rgb '%s' fs solid 0.85 border lc rgb '#ffffff'",
                 team_colour[(size_t)t % N_TEAM_COLOURS]);
        k[t] = (struct gp_key){GP_SAMPLE_BOX, st[t], NULL, rd->team[t]};
    }
    fputs("set multiplot\n", f);
    double head =
        gp_page_header(f, chart_grid_page(sz, rd->nscen), c->title, sub, k, n);
    for (int s = 0; s < rd->nscen; s++)
        team_panel(f, rd, s, c, &y, sz, head);
    fputs("unset multiplot\n", f);
}

int chart_teams_draw(struct plot_files *pf, const struct rundata *rd,
                     unsigned formats, struct err *e)
{
    if (rd->nteams == 0)
        return 0;
    const struct gp_size *sz = gp_size_of(formats);
    for (size_t i = 0; i < sizeof charts / sizeof charts[0]; i++) {
        char *body = NULL;
        size_t len = 0;
        FILE *f = open_memstream(&body, &len);
        if (!f)
            return err_oom(e);
        gp_linetypes(f);
        chart_team(f, rd, &charts[i], sz);
        fputs("unset output\n", f);
        if (ferror(f) | fclose(f)) {
            free(body);
            return err_oom(e);
        }
        const int size[2] = {sz->width, chart_grid_height(sz, rd->nscen)};
        int rc = plot_files_chart(pf, charts[i].name, size, body, len, e);
        free(body);
        if (rc != 0)
            return -1;
    }
    return 0;
}
