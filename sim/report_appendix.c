/*
 * report_appendix: the end of report.html, which says how its numbers
 * were made: the run (replications, seed, weeks), how the 95 % intervals
 * are computed, the model's assumptions a reader should know, and every
 * parameter that differs from salescap's defaults.
 *
 * The run's facts come from its CSVs (rundata) and its run.ini; the
 * assumptions are a fixed list, in plain words, of those in
 * docs/model.md ("Assumptions") that change how a result reads.
 * Invariant: text from the run goes through report_esc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "report_int.h"
#include "rng.h"

/* docs/model.md's assumptions that a reader of the results should know,
 * in its order; the number of each there is in the comment. */
static const char *const assumptions[] = {
    /* 1, 2, 3 */
    "Time moves in whole weeks: hires, staffing changes, interventions and "
    "the market's reaction take effect at the start of a week, and working "
    "hours are spread evenly over the week (no weekends, holidays or time "
    "of day). A new hire starts after the hiring lead time, never in the "
    "week of the decision, and ramps up to full speed in a straight line.",
    /* 5 */
    "New opportunities grow in proportion to the hours reps spend "
    "prospecting, and the market never runs out of prospects.",
    /* 11 */
    "Each rep works one deal at a time, first come first served; a deal "
    "that waits too long for its rep goes cold and is lost.",
    /* 17 */
    "A client is less likely to renew for each onboarding or ticket "
    "finished late. A job still waiting counts against nobody, so a "
    "baseline whose operations cannot keep up at all looks better than it "
    "is.",
    /* 12 */
    "Slow delivery, where the reputation effect is on, costs deals only at "
    "signature, not earlier in the pipeline.",
    /* 13 */
    "A client's revenue is flat for the life of its contract: no "
    "expansion, price rise or contraction, and a renewal keeps the value.",
    /* 14 */
    "Admin hours produce nothing; sales support reduces them and does "
    "nothing else.",
    /* 19 */
    "Commission is paid on bookings in the week of the win and never "
    "clawed back; the gross margin is constant.",
    /* 10 */
    "An operations incident's tickets all arrive at the start of its week, "
    "the same in every option.",
};

static void html(FILE *f, const char *s)
{
    report_esc(f, s, strlen(s));
}

/* A value of run.ini as written, or NULL. */
static const char *ini_value(const struct report_run *run, const char *section,
                             const char *key)
{
    const struct config_entry *en =
        run->have_ini ? config_find(&run->cfg, section, key) : NULL;
    return en ? en->value : NULL;
}

static void write_run_facts(FILE *f, const struct rundata *rd,
                            const struct report_run *run)
{
    char seed[32];
    const char *s = ini_value(run, "simulation", "seed");
    const char *gen = ini_value(run, "simulation", "rng");
    if (run->have_params) {
        snprintf(seed, sizeof seed, "%llu",
                 (unsigned long long)run->p.sim.seed);
        s = seed;
        gen = rng_kind_name(run->p.sim.rng);
    }
    fprintf(f,
            "<h3>The run</h3>\n<ul>\n<li>%d option%s: doing nothing "
            "(the baseline) and %d scenario%s.",
            rd->nscen, rd->nscen == 1 ? "" : "s", rd->nscen - 1,
            rd->nscen == 2 ? "" : "s");
    if (rd->nhidden > 0)
        fprintf(f,
                " %d more %s simulated and left out of this report "
                "(<code>chart = no</code>, or <code>plot --only</code> "
                "or <code>--exclude</code>).",
                rd->nhidden, rd->nhidden == 1 ? "was" : "were");
    fputs("</li>\n", f);
    fprintf(f,
            "<li>%d replication%s: the comparison run %d time%s, each "
            "time on new random numbers that every option shares.</li>\n",
            rd->replications, rd->replications == 1 ? "" : "s",
            rd->replications, rd->replications == 1 ? "" : "s");
    fputs("<li>Seed ", f);
    html(f, s               ? s
            : run->have_ini ? "unknown (not in run.ini)"
                            : "unknown (run.ini is missing)");
    if (gen) {
        fputs(", generator ", f);
        html(f, gen);
    }
    fputs(": the same file and seed give the same numbers (<code>salescap "
          "run run.ini</code> in the run folder repeats the run).</li>\n",
          f);
    fprintf(f, "<li>%d weeks (%d quarter%s) reported", rd->weeks, rd->quarters,
            rd->quarters == 1 ? "" : "s");
    if (run->have_params && run->p.sim.warmup_weeks > 0)
        fprintf(f,
                ", after %d weeks simulated and left out so that the "
                "company starts from a settled state",
                run->p.sim.warmup_weeks);
    fputs(".</li>\n</ul>\n", f);
}

static void write_intervals(FILE *f, const struct rundata *rd)
{
    fputs("<h3>How the 95 % intervals are computed</h3>\n", f);
    if (rd->replications < 2) {
        fputs("<p>This run has one replication, so it has no intervals: "
              "every figure is a single draw of chance. Run more "
              "replications before reading differences.</p>\n",
              f);
        return;
    }
    fputs("<p>In each replication every option meets the same random "
          "numbers: the same prospects, deals, buyers and clients, so the "
          "options differ only by what they change. A figure given with "
          "&plusmn; or drawn with a shaded band is the mean over the "
          "replications with its 95 % confidence interval: the mean "
          "&plusmn; <i>t</i> &times; <i>s</i> / &radic;<i>n</i>, where "
          "<i>n</i> is the number of replications, <i>s</i> the standard "
          "deviation across them and <i>t</i> Student's <i>t</i> quantile "
          "with <i>n</i> &minus; 1 degrees of freedom.</p>\n",
          f);
    fputs("<p>A difference between two options (an option against doing "
          "nothing, revenue gained or lost) is taken replication by "
          "replication and then averaged: it is <em>paired</em>. Most of "
          "the chance in "
          "the two results is shared and cancels, so its interval is much "
          "narrower than the spread of either option's own result; it is "
          "the interval a decision rests on. An option is statistically "
          "tied with the best when the paired interval of its difference "
          "from the best holds zero. The share of replications in which "
          "an option came out best carries a 95 % Wilson score "
          "interval.</p>\n",
          f);
}

static void write_assumptions(FILE *f)
{
    fputs("<h3>Assumptions that matter for reading the results</h3>\n<ul>\n",
          f);
    for (size_t i = 0; i < sizeof assumptions / sizeof *assumptions; i++) {
        fputs("<li>", f);
        html(f, assumptions[i]);
        fputs("</li>\n", f);
    }
    fputs("</ul>\n<p>The model's documentation (docs/model.md, "
          "&ldquo;Assumptions&rdquo;) lists every simplification.</p>\n",
          f);
}

/* What the changed-parameter rows need between calls. */
struct change_rows {
    FILE *f;
    const struct rundata *rd;
    char section[160]; /* of the last row */
    int n;
};

/* A group's heading row: the section, and a scenario's title. */
static void change_group(struct change_rows *c, const char *section)
{
    FILE *f = c->f;
    snprintf(c->section, sizeof c->section, "%s", section);
    fputs("<tr class=\"group\"><th colspan=\"4\">[", f);
    html(f, section);
    fputc(']', f);
    if (!strncmp(section, "scenario.", 9)) {
        int s = rundata_find(c->rd, section + 9);
        if (s > 0) {
            fputs(" ", f);
            html(f, c->rd->scen[s].title);
        }
    }
    fputs("</th></tr>\n", f);
}

static void change_row(void *ctx, const struct config_change *ch)
{
    struct change_rows *c = ctx;
    FILE *f = c->f;
    /* A scenario the report leaves out (rundata_select: chart = no,
     * --only, --exclude) is in none of its parts, this table included. */
    if (!strncmp(ch->section, "scenario.", 9) &&
        rundata_find(c->rd, ch->section + 9) < 0)
        return;
    if (strcmp(c->section, ch->section) != 0)
        change_group(c, ch->section);
    fputs("<tr><td><code>", f);
    html(f, ch->key);
    fputs("</code></td><td><code>", f);
    html(f, ch->value);
    fputs("</code></td><td>", f);
    if (ch->def[0]) {
        fputs("<code>", f);
        html(f, ch->def);
        fputs("</code>", f);
    } else {
        fputs("&mdash;", f);
    }
    fputs("</td><td>", f);
    html(f, ch->doc);
    fputs("</td></tr>\n", f);
    c->n++;
}

static int write_changes(FILE *f, const struct rundata *rd,
                         const struct report_run *run, struct err *e)
{
    fputs("<h3>Parameters that differ from the defaults</h3>\n", f);
    if (!run->have_params) {
        fputs("<p>The run's parameters could not be compared with the "
              "defaults: ",
              f);
        html(f, run->why);
        fputs(".</p>\n", f);
        return 0;
    }
    fputs("<p>Every value of this run that is not salescap's default "
          "(<code>salescap check --keys</code> lists the defaults), and "
          "what each option changes.</p>\n<table class=\"changes\">\n"
          "<thead><tr><th>Parameter</th><th>This run</th><th>Default</th>"
          "<th>Meaning</th></tr></thead>\n<tbody>\n",
          f);
    struct change_rows c = {.f = f, .rd = rd};
    if (config_changes(&run->p, change_row, &c, e) != 0)
        return -1;
    if (c.n == 0)
        fputs("<tr><td colspan=\"4\">None: every parameter has its default "
              "value.</td></tr>\n",
              f);
    fputs("</tbody>\n</table>\n", f);
    return 0;
}

/* run.ini as written, folded away; not printed (print CSS). */
static void write_run_ini(FILE *f, const char *run_dir)
{
    char *path = rundata_path(run_dir, "run.ini");
    size_t len = 0;
    char *text = path ? csv_slurp(path, &len, NULL) : NULL;
    if (text) {
        fputs("<details class=\"screen\">\n<summary>Every parameter of the "
              "run (run.ini): <code>salescap run run.ini</code> repeats "
              "it</summary>\n<pre>",
              f);
        report_esc(f, text, len);
        fputs("</pre>\n</details>\n", f);
    }
    free(text);
    free(path);
}

int report_appendix(FILE *f, const struct rundata *rd,
                    const struct report_run *run, const char *run_dir,
                    struct err *e)
{
    fputs("<section id=\"appendix\" class=\"appendix\">\n<h2>Appendix: "
          "how these numbers were made</h2>\n",
          f);
    write_run_facts(f, rd, run);
    write_intervals(f, rd);
    write_assumptions(f);
    if (write_changes(f, rd, run, e) != 0)
        return -1;
    write_run_ini(f, run_dir);
    fputs("</section>\n", f);
    return 0;
}
