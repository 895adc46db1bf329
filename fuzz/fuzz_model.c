/*
 * fuzz_model: libFuzzer harness of a whole small run on fuzzed, valid
 * parameters: the promise that any file that resolves gives finite
 * results (docs/robustness.md).
 *
 * The input is a scenario file and, after a "#@@" line, --set lines (as
 * in fuzz_config). A file that resolves is cut down to a run that takes
 * milliseconds (at most 4 weeks of warm-up and 13 reported, 2
 * replications, 30 reps, 10 ops staff, 5 support staff, 100 clients,
 * 1e5 events; files with more than 6 stages, 3 scenarios or hires above
 * 50 people are skipped), simulated on one thread, and written out. The
 * run must end in success or an error with a message; every number of
 * weekly.csv, quarterly.csv, comparison.csv and replications.csv must be
 * finite or empty.
 */
#include <math.h>
#include <gsl/gsl_errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_files.h"
#include "output.h"
#include "run.h"

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_model: %s\n%s\n", what, detail ? detail : "");
    abort();
}

static int clamp_int(int *v, int max)
{
    if (*v > max)
        *v = max;
    return 0;
}

/* Cuts p down to a small run; returns -1 to skip the input. */
static int cut_down(struct params *p)
{
    if (p->n_stages > 6 || p->n_scenarios > 3 || p->n_teams > 4)
        return -1;
    clamp_int(&p->sim.warmup_weeks, 4);
    clamp_int(&p->sim.horizon_weeks, 13);
    p->sim.replications = 2;
    if (p->sim.max_events > 1e5)
        p->sim.max_events = 1e5;
    clamp_int(&p->sales.role.count, 30);
    for (size_t t = 0; t < p->n_teams; t++)
        clamp_int(&p->teams[t].sales.role.count, 30);
    clamp_int(&p->ops.role.count, 10);
    clamp_int(&p->support.role.count, 5);
    clamp_int(&p->clients.initial, 100);
    for (size_t s = 0; s < p->n_scenarios; s++)
        for (size_t i = 0; i < p->scenarios[s].n_iv; i++) {
            const struct intervention *iv = &p->scenarios[s].iv[i];
            int big = 0;
            switch (iv->type) {
            case IV_HIRE:
                big = iv->u.hire.count > 50;
                break;
            case IV_SUPPORT:
                big = iv->u.support.count > 50;
                break;
            case IV_CONTRACT:
                big = iv->u.contract.count > 50;
                break;
            case IV_HIRE_FROM_BUDGET:
                big = iv->u.budget.max_reps > 50;
                break;
            case IV_EXPAND_OPS_ON_DELAY:
                big = iv->u.expand_ops.count > 50 ||
                      iv->u.expand_ops.max_staff > 50;
                break;
            case IV_REDUCE:
            case IV_FREEZE:
            case IV_CATCHUP:
            case IV_PROCESS:
            case IV_PROMISE:
            case IV_PROSPECT_WHEN_THIN:
            case IV_PULL:
            case IV_POLICY:
            case IV_FOCUS:
            case IV_EFFECTIVENESS:
            case IV_EXPECTATIONS:
            case IV_TYPE_COUNT:
                break;
            }
            if (big)
                return -1;
        }
    return 0;
}

/* Every field from the fourth on of each row of path: finite or empty;
 * but a last column named team, which holds a team's name. */
static void check_csv(const char *path)
{
    size_t len;
    FILE *f = fopen(path, "r");
    if (!f)
        fail("an output file is missing", path);
    char line[4096];
    long row = 0;
    int team = 0;
    while (fgets(line, sizeof line, f)) {
        len = strlen(line);
        if (row++ == 0) {
            team = len >= 6 && !strcmp(line + len - 6, ",team\n");
            continue;
        }
        if (len == 0)
            continue;
        char *last = strrchr(line, ',');
        if (team && last)
            *last = '\0';
        /* The first three fields hold no quotes: IDs, weeks, names. */
        char *s = line;
        for (int k = 0; k < 3 && s; k++) {
            s = strchr(s, ',');
            if (s)
                s++;
        }
        for (char *tok = s ? strtok(s, ",\n") : NULL; tok;
             tok = strtok(NULL, ",\n")) {
            char *end;
            double v = strtod(tok, &end);
            if (*end || !isfinite(v)) {
                fclose(f);
                fail("a CSV holds a number that is not finite", tok);
            }
        }
    }
    fclose(f);
}

/* The CSVs whose fields from the fourth on are all numbers. */
static const char *const checked[] = {
    "weekly.csv",
    "quarterly.csv",
    "comparison.csv",
    "replications.csv",
};

/* Removes the output folder (before fuzz_files.h removes its own). */
static void remove_out(void)
{
    char path[256];
    for (size_t i = 0; i < OUTPUT_NFILES; i++) {
        snprintf(path, sizeof path, "%s/out/%s", fuzz_dir, output_files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/out", fuzz_dir);
    rmdir(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    gsl_set_error_handler_off();
    fuzz_dir_init();
    atexit(remove_out);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_parts fp;
    fuzz_split(data, size, &fp);
    const char *ini = fuzz_write(&fp, 0, "main.ini");
    struct config cfg = {0};
    struct params p = {0};
    struct run_result r = {0};
    struct err e = {0};
    if (config_load(&cfg, ini, &e) != 0)
        return 0;
    if (fp.n > 1) {
        char *sets = fuzz_strndup(fp.p[1], fp.len[1]);
        for (char *line = strtok(sets, "\n"); line && e.kind == ERR_NONE;
             line = strtok(NULL, "\n"))
            config_set(&cfg, line, &e);
        free(sets);
    }
    if (e.kind != ERR_NONE || config_resolve(&cfg, &p, &e) != 0 ||
        cut_down(&p) != 0)
        goto done;
    char dir[128];
    snprintf(dir, sizeof dir, "%s/out", fuzz_dir);
    struct output_reps reps = {0};
    struct run_opts o = {.jobs = 1,
                         .replications = 2,
                         .on_commit = output_reps_commit,
                         .on_commit_ctx = &reps};
    if (output_reps_open(&reps, dir, &p, &e) != 0)
        fail("cannot open replications.csv", e.msg);
    if (run_simulate(&p, &o, &r, &e) != 0) {
        if (e.kind == ERR_NONE || !e.msg[0])
            fail("run_simulate failed without a message", NULL);
        output_reps_close(&reps, 1);
        goto done;
    }
    if (output_write_run(dir, &cfg, &p, &r, "", &reps, NULL, &e) != 0)
        fail("cannot write the outputs", e.msg);
    output_reps_close(&reps, 0);
    for (size_t i = 0; i < sizeof checked / sizeof checked[0]; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, checked[i]);
        check_csv(path);
    }
done:
    run_result_destroy(&r);
    params_destroy(&p);
    config_destroy(&cfg);
    return 0;
}
