/*
 * config_report: resolving [report], the consultant's title, author and
 * notes for report.html; reading the notes file.
 *
 * Invariant after resolving: notes_text is NULL exactly when notes is
 * empty; otherwise it holds the whole file, at most REPORT_NOTES_MAX
 * bytes of UTF-8 text without NUL bytes (the report escapes it; it is
 * never trusted as HTML).
 */
#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "afile.h"
#include "config.h"
#include "config_int.h"

/* Notes are a page or two of text; a file far longer is a mistake (a
 * data file named by accident), not notes. */
#define REPORT_NOTES_MAX (1024L * 1024L)

/* The notes file at path (as the message names it), read for entry en. */
struct notes_file {
    const struct config_entry *en;
    const char *path;
};

static int notes_error(struct err *e, const struct notes_file *nf,
                       const char *what)
{
    return cfgk_entry_error(e, nf->en,
                            "[report] notes: cannot open '%s': "
                            "%s",
                            nf->path, what);
}

/* Checks text (n bytes) is UTF-8 text; sets e at en otherwise. */
static int notes_check_text(const char *text, size_t n,
                            const struct notes_file *nf, struct err *e)
{
    if (memchr(text, '\0', n))
        return cfgk_entry_error(e, nf->en,
                                "[report] notes: %s: NUL byte: "
                                "not a text file",
                                nf->path);
    size_t bad = cfgk_utf8_bad_column(text, n);
    if (!bad)
        return 0;
    int line = 1;
    size_t start = 0;
    for (size_t i = 0; i + 1 < bad; i++)
        if (text[i] == '\n') {
            line++;
            start = i + 1;
        }
    return cfgk_entry_error(e, nf->en,
                            "[report] notes: %s:%d: invalid UTF-8 at column "
                            "%zu: not a UTF-8 text file",
                            nf->path, line, bad - start);
}

/* Reads the open file f (st its status) into new memory at *out. */
static int notes_slurp(FILE *f, const struct stat *st,
                       const struct notes_file *nf, char **out, struct err *e)
{
    if (S_ISDIR(st->st_mode))
        return notes_error(e, nf, "is a directory");
    if (!S_ISREG(st->st_mode))
        return notes_error(e, nf, "not a regular file");
    if (st->st_size > REPORT_NOTES_MAX)
        return cfgk_entry_error(e, nf->en,
                                "[report] notes: %s is %lld "
                                "bytes long; notes hold at most %ld",
                                nf->path, (long long)st->st_size,
                                REPORT_NOTES_MAX);
    size_t cap = (size_t)st->st_size + 1;
    char *text = malloc(cap);
    if (!text)
        return err_oom(e);
    size_t n = fread(text, 1, cap - 1, f);
    if (ferror(f)) {
        free(text);
        return err_at(e, ERR_RUNTIME, nf->en->file, nf->en->line,
                      "[report] notes: cannot read '%s': %s", nf->path,
                      strerror(errno));
    }
    text[n] = '\0';
    if (notes_check_text(text, n, nf, e) != 0) {
        free(text);
        return -1;
    }
    *out = text;
    return 0;
}

/* Reads the notes file en names, relative to the file en is in (an
 * override's, to the current folder), into *out. */
static int notes_read(const struct config_entry *en, char **out, struct err *e)
{
    char *path = afile_join(en->line > 0 ? en->file : NULL, en->value);
    if (!path)
        return err_oom(e);
    const struct notes_file nf = {en, path};
    struct stat st;
    FILE *f = fopen(path, "rb");
    int rc;
    if (!f)
        rc = notes_error(e, &nf, strerror(errno));
    else if (fstat(fileno(f), &st) != 0)
        rc = err_at(e, ERR_RUNTIME, en->file, en->line,
                    "[report] notes: cannot read '%s': %s", path,
                    strerror(errno));
    else
        rc = notes_slurp(f, &st, &nf, out, e);
    if (f)
        fclose(f);
    free(path);
    return rc;
}

int cfgk_resolve_report(const struct config *cfg, struct report_params *r,
                        struct err *e)
{
    free(r->notes_text);
    r->notes_text = NULL;
    if (!r->title || !r->author || !r->notes)
        return err_oom(e);
    if (!r->notes[0])
        return 0;
    const struct config_entry *en = config_find(cfg, "report", "notes");
    assert(en && "notes set without an entry: the default is none");
    return notes_read(en, &r->notes_text, e);
}

int config_resolve_report(const struct config *cfg, struct report_params *r,
                          struct err *e)
{
    memset(r, 0, sizeof *r);
    cfgk_defaults(&cfgk_report, r);
    for (size_t i = 0; i < cfg->n; i++) {
        const struct config_entry *en = &cfg->entries[i];
        const struct cfgk *k = NULL;
        if (strcmp(en->section, cfgk_report.name) != 0)
            continue;
        for (size_t j = 0; j < cfgk_report.n && !k; j++)
            if (!strcmp(cfgk_report.keys[j].key, en->key))
                k = &cfgk_report.keys[j];
        int rc = k ? cfgk_parse_entry(e, k, en, r)
                   : cfgk_unknown_key(e, en, &cfgk_report, "");
        if (rc != 0) {
            config_destroy_report(r);
            return -1;
        }
    }
    if (cfgk_resolve_report(cfg, r, e) != 0) {
        config_destroy_report(r);
        return -1;
    }
    return 0;
}

void config_destroy_report(struct report_params *r)
{
    free(r->title);
    free(r->author);
    free(r->notes);
    free(r->notes_text);
    memset(r, 0, sizeof *r);
}
