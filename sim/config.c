/*
 * config: reading scenario files into raw entries (see include/config.h).
 *
 * Files go through inih r55's ini_parse_stream() with our own line reader
 * (read_line). inih passes the handler no line numbers, silently joins
 * indented lines to the previous key, splits lines over 199 bytes (so line
 * numbers drift), cuts section names at 49 bytes and reports syntax errors
 * only as the number of the first bad line. The reader therefore counts
 * lines itself and rejects, with FILE:LINE, every line inih would mangle or
 * refuse, before inih sees it; the handler then knows its entry's line
 * (inih calls it while the reader's line is current) and keeps the first
 * error in the load context, returning 0 ("error") to inih. Once an error
 * is recorded the reader reports end of file, so the first error by line
 * is the one the user sees. docs/config.md tells the same story.
 *
 * Invariant of a load: frames form the include chain from the top-level
 * file to the one being read; a file's own entries are the contiguous run
 * cfg->entries[own_start, n), because includes come before any section
 * and keys before a section are errors.
 */
#include "config.h"
#include "afile.h"
#include "config_int.h"

#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define INCLUDE_DEPTH_MAX 16
#define INIH_SECTION_MAX  49  /* inih r55 keeps this many bytes of a name */
#define INIH_LINE_MAX     199 /* ... and reads lines of this many bytes */

struct load {
    struct config *cfg;
    struct err err; /* the first error; the reader stops once it is set */
};

struct header {
    char *name;
    int line;
};

/* One file being read: a frame of the include chain. */
struct frame {
    struct load *ld;
    struct frame *parent;
    const char *path; /* as shown to the user: joined to the includer's dir */
    dev_t dev;        /* the file's identity, for cycle detection */
    ino_t ino;
    FILE *f;
    int line; /* lines read so far */
    int depth;
    size_t own_start; /* this file's own entries start here */
    struct header *hdrs;
    size_t n_hdrs, cap_hdrs;
};

static int load_frame(struct frame *fr);

static int failed(const struct frame *fr)
{
    return fr->ld->err.kind != 0;
}

/* Sets the load's error at the current line of fr. Returns -1. */
static int frame_error(struct frame *fr, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int frame_error(struct frame *fr, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vat(&fr->ld->err, ERR_CONFIG, fr->path, fr->line, fmt, ap);
    va_end(ap);
    return -1;
}

/* Returns arr (of *cap elements of size sz) with room for n + 1, moved if
 * it had to grow (the old pointer is then no longer valid), or NULL with
 * arr untouched when out of memory. */
static void *grow(void *arr, size_t *cap, size_t n, size_t sz)
{
    if (n < *cap)
        return arr;
    size_t nc = *cap ? *cap * 2 : 16;
    void *na = realloc(arr, nc * sz);
    if (na)
        *cap = nc;
    return na;
}

/* ------------------------------------------------------------ entries */

static void entry_free(struct config_entry *en)
{
    free(en->section);
    free(en->key);
    free(en->value);
    free(en->file);
}

static int entry_append(struct config *cfg, const char *section,
                        const char *key, const char *value, const char *file,
                        int line)
{
    void *na = grow(cfg->entries, &cfg->cap, cfg->n, sizeof *cfg->entries);
    if (!na)
        return -1;
    cfg->entries = na;
    struct config_entry en = {strdup(section), strdup(key), strdup(value),
                              strdup(file), line};
    if (!en.section || !en.key || !en.value || !en.file) {
        entry_free(&en);
        return -1;
    }
    cfg->entries[cfg->n++] = en;
    return 0;
}

const struct config_section *cfgk_section_find(const struct config *cfg,
                                               const char *name)
{
    for (size_t i = 0; i < cfg->n_sections; i++)
        if (!strcmp(cfg->sections[i].name, name))
            return &cfg->sections[i];
    return NULL;
}

/* Records the first appearance of a section; later ones change nothing. */
static int section_note(struct config *cfg, const char *name, const char *file,
                        int line, int header)
{
    if (cfgk_section_find(cfg, name))
        return 0;
    void *na = grow(cfg->sections, &cfg->cap_sections, cfg->n_sections,
                    sizeof *cfg->sections);
    if (!na)
        return -1;
    cfg->sections = na;
    struct config_section s = {strdup(name), strdup(file), line, header};
    if (!s.name || !s.file) {
        free(s.name);
        free(s.file);
        return -1;
    }
    cfg->sections[cfg->n_sections++] = s;
    return 0;
}

const struct config_entry *config_find(const struct config *cfg,
                                       const char *section, const char *key)
{
    for (size_t i = cfg->n; i-- > 0;) {
        const struct config_entry *en = &cfg->entries[i];
        if (!strcmp(en->section, section) && !strcmp(en->key, key))
            return en;
    }
    return NULL;
}

const char *config_file_at(const struct config *cfg, const char *path)
{
    if (cfg->path && afile_same(cfg->path, path))
        return cfg->path;
    /* Entries and sections of one file come in runs: stat each run once. */
    const char *last = NULL;
    for (size_t i = 0; i < cfg->n + cfg->n_sections; i++) {
        const char *f =
            i < cfg->n ? cfg->entries[i].file : cfg->sections[i - cfg->n].file;
        if (!f || strcmp(f, "--set") == 0 || (last && !strcmp(f, last)))
            continue;
        last = f;
        if (afile_same(f, path))
            return f;
    }
    return NULL;
}

/* ------------------------------------------------------------ the reader */

/* inih r55's find_chars_or_comment(): the first of chars, or an inline
 * comment (';' right after whitespace), or the end. */
static const char *find_chars_or_comment(const char *s, const char *chars)
{
    int was_space = 0;
    while (*s && !strchr(chars, *s) && !(was_space && *s == ';')) {
        was_space = *s == ' ' || *s == '\t';
        s++;
    }
    return s;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Length of the valid UTF-8 sequence at s (of n bytes), or 0 when it is
 * invalid: truncated, overlong, a surrogate or past U+10FFFF. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return 1;
    size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (len == 0 || s[0] > 0xf4 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) ||
        (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] > 0x8f))
        return 0;
    return len;
}

/* The 1-based column of the first byte of s (n bytes) that is not valid
 * UTF-8, or 0. Titles end up in SVG charts and HTML, which a stray
 * Latin-1 byte would make unreadable. */
size_t cfgk_utf8_bad_column(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_len(u + i, n - i);
        if (len == 0)
            return i + 1;
        i += len;
    }
    return 0;
}

/* Reads one line into buf (without its end of line) and its full length
 * into *len, storing at most size - 1 bytes. Returns 1, 0 at end of file,
 * or -1 with the error set (a NUL or control byte, a read error). */
static int fetch_line(struct frame *fr, char *buf, size_t size, size_t *len)
{
    size_t n = 0;
    int c = getc(fr->f);
    if (c != EOF)
        fr->line++;
    for (; c != EOF && c != '\n'; c = getc(fr->f)) {
        if (n < size - 1)
            buf[n] = (char)c;
        n++;
        if (c == 0)
            return frame_error(fr, "NUL byte at column %zu: not a text file",
                               n);
        if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f)
            return frame_error(
                fr, "control character 0x%02x at column %zu: not a text file",
                (unsigned)c, n);
    }
    if (ferror(fr->f))
        return err_at(&fr->ld->err, ERR_RUNTIME, fr->path, fr->line,
                      "cannot read: %s", strerror(errno));
    if (n == 0 && c == EOF)
        return 0;
    if (n > 0 && n < size && buf[n - 1] == '\r')
        n--; /* CRLF */
    buf[n < size ? n : size - 1] = '\0';
    if (n < size && memchr(buf, '\r', n))
        return frame_error(fr,
                           "carriage return inside the line: not a text file");
    size_t bad = n < size ? cfgk_utf8_bad_column(buf, n) : 0;
    if (bad)
        return frame_error(
            fr, "invalid UTF-8 at column %zu: not a UTF-8 text file", bad);
    *len = n;
    return 1;
}

/* Checks a section header line; records it. */
static int check_header(struct frame *fr, const char *s)
{
    struct err *e = &fr->ld->err;
    const char *end = find_chars_or_comment(s + 1, "]");
    if (*end != ']')
        return frame_error(fr, "missing ']' in section header");
    size_t nlen = (size_t)(end - s - 1);
    const char *after = end + 1;
    while (is_blank(*after))
        after++;
    if (*after && *after != ';' && *after != '#')
        return frame_error(fr, "unexpected text after ']': '%s'", after);
    if (nlen == 0)
        return frame_error(fr, "empty section name");
    if (nlen > INIH_SECTION_MAX)
        return frame_error(fr,
                           "section name is %zu bytes long; inih keeps only %d",
                           nlen, INIH_SECTION_MAX);
    char name[INIH_SECTION_MAX + 1];
    memcpy(name, s + 1, nlen);
    name[nlen] = '\0';
    for (size_t i = 0; i < fr->n_hdrs; i++)
        if (!strcmp(fr->hdrs[i].name, name))
            return frame_error(fr, "duplicate section [%s] (first at line %d)",
                               name, fr->hdrs[i].line);
    void *na = grow(fr->hdrs, &fr->cap_hdrs, fr->n_hdrs, sizeof *fr->hdrs);
    if (!na)
        return err_oom(e);
    fr->hdrs = na;
    struct header h = {strdup(name), fr->line};
    if (!h.name)
        return err_oom(e);
    fr->hdrs[fr->n_hdrs++] = h;
    if (section_note(fr->ld->cfg, name, fr->path, fr->line, 1))
        return err_oom(e);
    return 0;
}

/* Rejects, with FILE:LINE, what inih would mangle or refuse. */
static int check_line(struct frame *fr, const char *s)
{
    if (is_blank(*s)) {
        const char *t = s;
        while (is_blank(*t))
            t++;
        if (*t && *t != ';' && *t != '#')
            return frame_error(fr, "indented line: inih would join it to the "
                                   "previous key; remove the leading spaces");
        return 0;
    }
    if (*s == '\0' || *s == ';' || *s == '#')
        return 0;
    if (*s == '[')
        return check_header(fr, s);
    const char *end = find_chars_or_comment(s, "=:");
    if (*end != '=' && *end != ':')
        return frame_error(fr, "expected KEY = VALUE, got '%s'", s);
    return 0;
}

/* Whether line s (len bytes, of which the first size are in memory)
 * begins, after blanks, with a UTF-8 byte order mark. */
static int starts_with_bom(const char *s, size_t len, size_t size)
{
    size_t n = len < size ? len : size, i = 0;
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i + 3 <= n && !memcmp(s + i, "\xEF\xBB\xBF", 3);
}

/* The ini_reader: hands inih one checked line at a time. num is inih's
 * buffer size (200 in r55), so a line may hold num - 1 bytes. */
static char *read_line(char *str, int num, void *stream)
{
    struct frame *fr = stream;
    char buf[4096];
    size_t len = 0;
    if (failed(fr) || num < 3 || fetch_line(fr, buf, sizeof buf, &len) <= 0)
        return NULL;
    char *s = buf;
    if (fr->line == 1 && len >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
        s += 3; /* a UTF-8 byte order mark */
        len -= 3;
    } else if (starts_with_bom(s, len, sizeof buf)) {
        /* Invisible, so "unknown key 'reps'; known: reps, ..." would
         * baffle: files joined with cat leave one at a line's start. */
        frame_error(fr,
                    "a byte order mark (U+FEFF, invisible) starts the "
                    "line; it belongs only at the start of a file (were two "
                    "files joined?): remove it");
        return NULL;
    }
    if (len > (size_t)num - 1) {
        err_at(&fr->ld->err, ERR_CONFIG, fr->path, fr->line,
               "line is %zu bytes long; inih reads at most %d (it would split "
               "the line)",
               len, num - 1);
        return NULL;
    }
    if (check_line(fr, s))
        return NULL;
    memcpy(str, s, len);
    if (len < (size_t)num - 1)
        str[len++] = '\n';
    str[len] = '\0';
    return str;
}

/* ------------------------------------------------------------ includes */

/* Opens path for reading if it is a regular file; a FIFO must not block. */
static FILE *open_regular(const char *path, const char **why)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    *why = NULL;
    if (fd < 0 || fstat(fd, &st) != 0) {
        *why = strerror(errno);
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        *why = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
        close(fd);
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *f = fdopen(fd, "r");
    if (!f) {
        *why = strerror(errno);
        close(fd);
    }
    return f;
}

/* "a.ini -> b.ini -> a.ini": the chain from the top file to path. */
static void cycle_error(struct frame *fr, const char *path)
{
    char chain[ERR_MSG_MAX] = "";
    const struct frame *stack[INCLUDE_DEPTH_MAX + 1];
    size_t n = 0;
    for (const struct frame *f = fr; f && n <= INCLUDE_DEPTH_MAX; f = f->parent)
        stack[n++] = f;
    size_t len = 0;
    while (n-- > 0 && len < sizeof chain)
        len += (size_t)snprintf(chain + len, sizeof chain - len, "%s -> ",
                                stack[n]->path);
    if (len < sizeof chain)
        snprintf(chain + len, sizeof chain - len, "%s", path);
    err_at(&fr->ld->err, ERR_CONFIG, fr->path, fr->line, "include cycle: %s",
           chain);
}

/* Reads the file of an include line, as a child frame. */
static int include_file(struct frame *fr, const char *value)
{
    struct err *e = &fr->ld->err;
    if (!*value)
        return frame_error(fr, "include needs a file name");
    if (fr->depth >= INCLUDE_DEPTH_MAX)
        return frame_error(fr, "includes nested deeper than %d",
                           INCLUDE_DEPTH_MAX);
    char *path = afile_join(fr->path, value); /* relative to the includer */
    if (!path)
        return err_oom(e);
    struct frame child = {
        .ld = fr->ld, .parent = fr, .path = path, .depth = fr->depth + 1};
    const char *why;
    child.f = open_regular(path, &why);
    if (!child.f) {
        frame_error(fr, "cannot include '%s': %s", path, why);
        free(path);
        return -1;
    }
    int rc = load_frame(&child);
    fclose(child.f);
    free(path);
    fr->own_start = fr->ld->cfg->n;
    return rc;
}

/* ------------------------------------------------------------ the handler */

/* Stores one key = value of fr's current line, or sets the error. */
static int take_entry(struct frame *fr, const char *section, const char *key,
                      const char *value)
{
    struct config *cfg = fr->ld->cfg;
    if (!strcmp(key, "include")) {
        if (*section)
            return frame_error(fr,
                               "include must come before the first section");
        return include_file(fr, value);
    }
    if (!*section)
        return frame_error(fr, "key '%s' before any section", key);
    if (!*key)
        return frame_error(fr, "missing key before '='");
    for (size_t i = fr->own_start; i < cfg->n; i++) {
        const struct config_entry *en = &cfg->entries[i];
        if (!strcmp(en->section, section) && !strcmp(en->key, key))
            return frame_error(fr, "duplicate key '%s' (first at line %d)", key,
                               en->line);
    }
    if (entry_append(cfg, section, key, value, fr->path, fr->line))
        return err_oom(&fr->ld->err);
    return 0;
}

/* The ini_handler: nonzero means success to inih. */
static int on_entry(void *user, const char *section, const char *key,
                    const char *value)
{
    struct frame *fr = user;
    if (failed(fr))
        return 0;
    return take_entry(fr, section, key, value) == 0;
}

/* Parses one open file; its includes recurse through on_entry. */
static int load_frame(struct frame *fr)
{
    struct err *e = &fr->ld->err;
    struct stat st;
    if (fstat(fileno(fr->f), &st) != 0)
        return err_at(e, ERR_RUNTIME, fr->path, 0, "cannot stat: %s",
                      strerror(errno));
    fr->dev = st.st_dev;
    fr->ino = st.st_ino;
    for (struct frame *p = fr->parent; p; p = p->parent)
        if (p->dev == fr->dev && p->ino == fr->ino) {
            cycle_error(fr->parent, fr->path);
            return -1;
        }
    fr->own_start = fr->ld->cfg->n;
    int rc = ini_parse_stream(read_line, fr, on_entry, fr);
    if (rc == -2)
        err_oom(e);
    else if (rc > 0)
        err_at(e, ERR_CONFIG, fr->path, rc, "syntax error");
    for (size_t i = 0; i < fr->n_hdrs; i++)
        free(fr->hdrs[i].name);
    free(fr->hdrs);
    return failed(fr) ? -1 : 0;
}

int config_load(struct config *cfg, const char *path, struct err *e)
{
    struct load ld = {.cfg = cfg};
    struct frame top = {.ld = &ld, .path = path};
    const char *why;
    memset(cfg, 0, sizeof *cfg);
    cfg->path = strdup(path);
    if (!cfg->path)
        return err_oom(e);
    top.f = open_regular(path, &why);
    if (!top.f) {
        config_destroy(cfg);
        return err_at(e, ERR_CONFIG, path, 0, "cannot open: %s", why);
    }
    int rc = load_frame(&top);
    fclose(top.f);
    if (rc) {
        config_destroy(cfg);
        if (e && e->kind == ERR_NONE)
            *e = ld.err;
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------ overrides */

/* A value inih could not read back from a written file. */
static const char *unwritable(const char *value)
{
    for (const char *s = value; *s; s++) {
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return "a control character";
        if (*s == ';' && s > value && is_blank(s[-1]))
            return "' ;', which starts a comment in an INI file";
    }
    if (cfgk_utf8_bad_column(value, strlen(value)))
        return "bytes that are not UTF-8";
    return NULL;
}

int config_put(struct config *cfg, const char *section, const char *key,
               const char *value, const char *file, int line, struct err *e)
{
    const char *why = unwritable(value);
    if (why)
        return err_at(e, ERR_CONFIG, file, line, "[%s] %s: the value holds %s",
                      section, key, why);
    if (!*section || strlen(section) > INIH_SECTION_MAX || strchr(section, ']'))
        return err_at(e, ERR_CONFIG, file, line, "bad section name '%s'",
                      section);
    if (!*key || strpbrk(key, "=:;[") || unwritable(key))
        return err_at(e, ERR_CONFIG, file, line, "[%s]: bad key '%s'", section,
                      key);
    /* What can be set must be writable to run.ini and read back. */
    size_t len = strlen(key) + 3 + strlen(value);
    if (len > INIH_LINE_MAX)
        return err_at(e, ERR_CONFIG, file, line,
                      "[%s] %.60s%s: 'KEY = VALUE' would be %zu bytes long; "
                      "a line of a scenario file holds at most %d",
                      section, key, strlen(key) > 60 ? "..." : "", len,
                      INIH_LINE_MAX);
    if (section_note(cfg, section, file, line, 0))
        return err_oom(e);
    for (size_t i = cfg->n; i-- > 0;) {
        struct config_entry *en = &cfg->entries[i];
        if (strcmp(en->section, section) || strcmp(en->key, key))
            continue;
        char *v = strdup(value), *f = strdup(file);
        if (!v || !f) {
            free(v);
            free(f);
            return err_oom(e);
        }
        free(en->value);
        free(en->file);
        en->value = v;
        en->file = f;
        en->line = line;
        return 0;
    }
    if (entry_append(cfg, section, key, value, file, line))
        return err_oom(e);
    return 0;
}

/* ------------------------------------------------------------ lifetime */

int config_copy(struct config *dst, const struct config *src, struct err *e)
{
    memset(dst, 0, sizeof *dst);
    dst->path = src->path ? strdup(src->path) : NULL;
    if (src->path && !dst->path)
        goto fail;
    for (size_t i = 0; i < src->n_sections; i++) {
        const struct config_section *s = &src->sections[i];
        if (section_note(dst, s->name, s->file, s->line, s->header))
            goto fail;
    }
    for (size_t i = 0; i < src->n; i++) {
        const struct config_entry *en = &src->entries[i];
        if (entry_append(dst, en->section, en->key, en->value, en->file,
                         en->line))
            goto fail;
    }
    return 0;
fail:
    config_destroy(dst);
    return err_oom(e);
}

void config_destroy(struct config *cfg)
{
    for (size_t i = 0; i < cfg->n; i++)
        entry_free(&cfg->entries[i]);
    for (size_t i = 0; i < cfg->n_sections; i++) {
        free(cfg->sections[i].name);
        free(cfg->sections[i].file);
    }
    free(cfg->entries);
    free(cfg->sections);
    free(cfg->path);
    memset(cfg, 0, sizeof *cfg);
}
