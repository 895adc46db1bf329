/*
 * fuzz_config: libFuzzer harness of the scenario-file loader.
 *
 * The input is up to four parts separated by "\n#@@\n" (fuzz_files.h):
 * main.ini, inc1.ini, inc2.ini (which main.ini may include, as may each
 * other: cycles welcome) and a list of --set assignments, one a line.
 * The harness loads main.ini, applies the sets and resolves. Beyond "no
 * crash, no leak, no undefined behaviour" (the sanitizers' job), it
 * checks what the loader promises:
 * - a failure always comes with an error kind and a message;
 * - a file that resolves is written back (config_write, as in run.ini and
 *   `salescap check`) into a file that loads and resolves again, to the
 *   very same text (but for the first line, which names the file):
 *   run.ini reproduces the run.
 * A broken promise aborts, which libFuzzer reports as a crash.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_files.h"

static void fail(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz_config: %s\n%s\n", what, detail ? detail : "");
    abort();
}

static void check_error(const struct err *e)
{
    if (e->kind == ERR_NONE || e->msg[0] == '\0')
        fail("a failure without an error message", e->msg);
}

/* config_write of (cfg, p) as a malloc'd string. */
static char *write_text(const struct config *cfg, const struct params *p,
                        int sources)
{
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        abort();
    if (config_write(mem, cfg, p, sources) != 0)
        fail("config_write failed on a memory stream", NULL);
    if (fclose(mem) != 0)
        abort();
    return text;
}

/* Reads text back as a file; it must resolve and write the same text. */
static void round_trip(const char *text, int sources)
{
    struct fuzz_parts one = {{NULL}, {0}, FUZZ_MAX_PARTS};
    one.p[4] = text;
    one.len[4] = strlen(text);
    const char *path = fuzz_write(&one, 4, "written.ini");
    struct config cfg = {0};
    struct params p = {0};
    struct err e = {0};
    if (config_load(&cfg, path, &e) != 0 || config_resolve(&cfg, &p, &e) != 0)
        fail(sources ? "written file (with sources) does not read back"
                     : "written file does not read back",
             e.msg);
    char *again = write_text(&cfg, &p, 0);
    /* The first line names the file written. */
    const char *body = strchr(text, '\n'), *body2 = strchr(again, '\n');
    if (!sources && strcmp(body ? body : text, body2 ? body2 : again)) {
        fprintf(stderr, "--- first\n%s--- again\n%s", text, again);
        fail("written file does not write back the same", NULL);
    }
    free(again);
    params_destroy(&p);
    config_destroy(&cfg);
}

static void apply_sets(struct config *cfg, const char *p, size_t n,
                       struct err *e)
{
    char *sets = fuzz_strndup(p, n);
    int count = 0;
    for (char *line = sets, *next; line && e->kind == ERR_NONE; line = next) {
        next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        if (!*line)
            continue;
        if (++count > 16)
            break;
        if (config_set(cfg, line, e) != 0)
            check_error(e);
    }
    free(sets);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fuzz_parts fp;
    fuzz_split(data, size, &fp);
    const char *main_ini = fuzz_write(&fp, 0, "main.ini");
    fuzz_write(&fp, 1, "inc1.ini");
    fuzz_write(&fp, 2, "inc2.ini");

    struct config cfg = {0};
    struct params p = {0};
    struct err e = {0};
    if (config_load(&cfg, main_ini, &e) != 0) {
        check_error(&e);
        return 0;
    }
    if (fp.n > 3)
        apply_sets(&cfg, fp.p[3], fp.len[3], &e);
    if (e.kind == ERR_NONE && config_resolve(&cfg, &p, &e) != 0)
        check_error(&e);
    if (e.kind == ERR_NONE) {
        char *plain = write_text(&cfg, &p, 0);
        char *sourced = write_text(&cfg, &p, 1);
        round_trip(plain, 0);
        round_trip(sourced, 1);
        free(plain);
        free(sourced);
        struct config copy;
        if (config_copy(&copy, &cfg, &e) != 0)
            fail("config_copy failed", e.msg);
        config_destroy(&copy);
    }
    params_destroy(&p);
    config_destroy(&cfg);
    return 0;
}
