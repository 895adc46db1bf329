/*
 * fuzz_files: turns one fuzz input into a few small files in a private
 * folder, so a harness can drive loaders that take paths (config_load,
 * sweep_load) and follow includes between the files.
 *
 * An input is parts separated by a line "#@@" ("\n#@@\n"): part k is
 * written to names[k] (at most FUZZ_MAX_PARTS); the parts past the files
 * are left to the harness (e.g. --set assignments). Since "#@@" starts
 * with '#', a part is still a valid INI file with the separator inside.
 * The folder lives in /dev/shm when it exists (no disk writes per run)
 * and is removed at exit.
 */
#ifndef SALESCAP_FUZZ_FILES_H
#define SALESCAP_FUZZ_FILES_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Each harness uses some of these helpers. */
#define FUZZ_FN static __attribute__((unused))

#define FUZZ_MAX_PARTS 6
#define FUZZ_SEP       "\n#@@\n"

struct fuzz_parts {
    const char *p[FUZZ_MAX_PARTS];
    size_t len[FUZZ_MAX_PARTS];
    size_t n;
};

static char fuzz_dir[64];
static char fuzz_path_buf[FUZZ_MAX_PARTS][128];

FUZZ_FN void fuzz_dir_remove(void)
{
    for (int i = 0; i < FUZZ_MAX_PARTS; i++)
        if (fuzz_path_buf[i][0])
            unlink(fuzz_path_buf[i]);
    if (fuzz_dir[0])
        rmdir(fuzz_dir);
}

/* Creates the private folder once. Aborts if it cannot (not an input's
 * fault: the harness cannot run). */
FUZZ_FN void fuzz_dir_init(void)
{
    if (fuzz_dir[0])
        return;
    const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/salescap-fuzz-XXXXXX", base);
    if (!mkdtemp(fuzz_dir))
        abort();
    atexit(fuzz_dir_remove);
}

/* Splits data at FUZZ_SEP into at most FUZZ_MAX_PARTS parts (the last
 * part keeps any further separators). */
FUZZ_FN void fuzz_split(const uint8_t *data, size_t size, struct fuzz_parts *fp)
{
    const char *s = (const char *)data, *end = s + size;
    size_t seplen = strlen(FUZZ_SEP);
    fp->n = 0;
    while (fp->n < FUZZ_MAX_PARTS - 1) {
        const char *hit = NULL;
        for (const char *q = s; q + seplen <= end; q++)
            if (*q == '\n' && !memcmp(q, FUZZ_SEP, seplen)) {
                hit = q;
                break;
            }
        if (!hit)
            break;
        fp->p[fp->n] = s;
        fp->len[fp->n++] = (size_t)(hit - s);
        s = hit + seplen;
    }
    fp->p[fp->n] = s;
    fp->len[fp->n++] = (size_t)(end - s);
}

/* Writes part k (or an empty file when there is none) to the folder as
 * name; returns the path (static storage, slot k). */
FUZZ_FN const char *fuzz_write(const struct fuzz_parts *fp, size_t k,
                               const char *name)
{
    fuzz_dir_init();
    snprintf(fuzz_path_buf[k], sizeof fuzz_path_buf[k], "%s/%s", fuzz_dir,
             name);
    FILE *f = fopen(fuzz_path_buf[k], "wb");
    if (!f)
        abort();
    if (k < fp->n && fp->len[k] &&
        fwrite(fp->p[k], 1, fp->len[k], f) != fp->len[k])
        abort();
    if (fclose(f) != 0)
        abort();
    return fuzz_path_buf[k];
}

/* A copy of [p, p + n) as a NUL-terminated string. Caller frees. */
FUZZ_FN char *fuzz_strndup(const char *p, size_t n)
{
    char *s = malloc(n + 1);
    if (!s)
        abort();
    memcpy(s, p, n);
    s[n] = '\0';
    return s;
}

#endif
