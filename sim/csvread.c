/*
 * csvread: an RFC 4180 reader (see include/csvread.h), with the field
 * separator as a parameter (',' by default; ';' or tab for the files
 * spreadsheets write in locales whose decimal mark is a comma).
 *
 * The parser walks the text once, field by field, appending each unquoted
 * field to a growing array of strings. Invariant: after each complete row
 * the array holds a whole number of rows of ncols fields (the header sets
 * ncols), so a ragged row is reported at the line where it starts.
 * Completely empty lines are skipped (a trailing blank line is common and
 * harmless); a one-column file therefore cannot hold an empty field.
 */
#include "csvread.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The parse in progress. */
struct csv_parser {
    const char *p, *end;
    const char *name;
    int line; /* current line, 1-based */
    char **cells;
    size_t ncells, cap;
    int *lines; /* start line of each row, header included */
    size_t nlines, lines_cap;
    struct err *e;
    char sep; /* the field separator: ',', ';' or tab */
};

static int push_cell(struct csv_parser *ps, const char *s, size_t n)
{
    if (ps->ncells == ps->cap) {
        size_t cap = ps->cap ? ps->cap * 2 : 64;
        char **cells = realloc(ps->cells, cap * sizeof *cells);
        if (!cells)
            return err_set(ps->e, ERR_RUNTIME, "%s: out of memory", ps->name);
        ps->cells = cells;
        ps->cap = cap;
    }
    char *c = malloc(n + 1);
    if (!c)
        return err_set(ps->e, ERR_RUNTIME, "%s: out of memory", ps->name);
    memcpy(c, s, n);
    c[n] = '\0';
    ps->cells[ps->ncells++] = c;
    return 0;
}

static int push_line(struct csv_parser *ps, int line)
{
    if (ps->nlines == ps->lines_cap) {
        size_t cap = ps->lines_cap ? ps->lines_cap * 2 : 64;
        int *lines = realloc(ps->lines, cap * sizeof *lines);
        if (!lines)
            return err_set(ps->e, ERR_RUNTIME, "%s: out of memory", ps->name);
        ps->lines = lines;
        ps->lines_cap = cap;
    }
    ps->lines[ps->nlines++] = line;
    return 0;
}

/* True at a line end (LF or CRLF) or the end of the text. */
static int at_row_end(const struct csv_parser *ps)
{
    const char *p = ps->p;
    return p == ps->end || *p == '\n' ||
           (*p == '\r' && (p + 1 == ps->end || p[1] == '\n'));
}

/* Reads a quoted field; ps->p is on the opening quote. Doubled quotes
 * become one; line breaks inside are kept. */
static int parse_quoted(struct csv_parser *ps)
{
    int start_line = ps->line;
    size_t cap = 64, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return err_set(ps->e, ERR_RUNTIME, "%s: out of memory", ps->name);
    ps->p++;
    for (;;) {
        if (ps->p == ps->end) {
            free(buf);
            return err_at(ps->e, ERR_CONFIG, ps->name, start_line,
                          "unterminated quoted field");
        }
        char ch = *ps->p++;
        if (ch == '"') {
            if (ps->p == ps->end || *ps->p != '"')
                break;
            ps->p++;
        } else if (ch == '\n') {
            ps->line++;
        }
        if (n + 1 == cap) {
            char *b = realloc(buf, cap *= 2);
            if (!b) {
                free(buf);
                return err_set(ps->e, ERR_RUNTIME, "%s: out of memory",
                               ps->name);
            }
            buf = b;
        }
        buf[n++] = ch;
    }
    int rc = push_cell(ps, buf, n);
    free(buf);
    if (rc == 0 && !at_row_end(ps) && *ps->p != ps->sep)
        return err_at(ps->e, ERR_CONFIG, ps->name, ps->line,
                      "unexpected character after a closing quote");
    return rc;
}

static int parse_plain(struct csv_parser *ps)
{
    const char *s = ps->p;
    while (!at_row_end(ps) && *ps->p != ps->sep) {
        if (*ps->p == '"')
            return err_at(ps->e, ERR_CONFIG, ps->name, ps->line,
                          "quote inside an unquoted field");
        ps->p++;
    }
    return push_cell(ps, s, (size_t)(ps->p - s));
}

/* Parses one row; ps->p is at its start and not at a blank line. Leaves
 * ps->p after the row's line end. Returns the number of fields, or -1. */
static long parse_row(struct csv_parser *ps)
{
    long fields = 0;
    for (;;) {
        int rc = (ps->p < ps->end && *ps->p == '"') ? parse_quoted(ps)
                                                    : parse_plain(ps);
        if (rc != 0)
            return -1;
        fields++;
        if (ps->p < ps->end && *ps->p == ps->sep) {
            ps->p++;
            continue;
        }
        break;
    }
    if (ps->p < ps->end && *ps->p == '\r')
        ps->p++;
    if (ps->p < ps->end && *ps->p == '\n')
        ps->p++;
    ps->line++;
    return fields;
}

static void free_cells(char **cells, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cells[i]);
    free(cells);
}

/* Skips blank lines (LF or CRLF); returns 1 at the end of the text. */
static int skip_blank(struct csv_parser *ps)
{
    for (;;) {
        if (ps->p == ps->end)
            return 1;
        if (*ps->p == '\n')
            ps->p++;
        else if (*ps->p == '\r' && ps->p + 1 < ps->end && ps->p[1] == '\n')
            ps->p += 2;
        else
            return 0;
        ps->line++;
    }
}

static int parse_all(struct csv_parser *ps, size_t *ncols)
{
    *ncols = 0;
    while (!skip_blank(ps)) {
        int line = ps->line;
        if (push_line(ps, line) != 0)
            return -1;
        long n = parse_row(ps);
        if (n < 0)
            return -1;
        if (*ncols == 0)
            *ncols = (size_t)n;
        else if ((size_t)n != *ncols)
            return err_at(ps->e, ERR_CONFIG, ps->name, line,
                          "%ld fields, expected %zu as in the header", n,
                          *ncols);
    }
    if (*ncols == 0)
        return err_set(ps->e, ERR_CONFIG, "%s: empty file, expected a header",
                       ps->name);
    return 0;
}

int csv_parse(struct csv *c, const char *text, size_t len, const char *name,
              struct err *e)
{
    return csv_parse_sep(c, text, len, ',', name, e);
}

int csv_parse_sep(struct csv *c, const char *text, size_t len, char sep,
                  const char *name, struct err *e)
{
    struct csv_parser ps = {.p = text,
                            .end = text + len,
                            .name = name,
                            .line = 1,
                            .e = e,
                            .sep = sep};
    memset(c, 0, sizeof *c);
    /* A spreadsheet's UTF-8 byte-order mark is not part of the header. */
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        ps.p += 3;
    size_t ncols;
    if (parse_all(&ps, &ncols) != 0) {
        free_cells(ps.cells, ps.ncells);
        free(ps.lines);
        return -1;
    }
    c->ncols = ncols;
    c->nrows = ps.ncells / ncols - 1;
    c->cells = ps.cells;
    /* Row r's line is lines[r + 1]: shift out the header's entry. */
    memmove(ps.lines, ps.lines + 1, (ps.nlines - 1) * sizeof *ps.lines);
    c->lines = ps.lines;
    return 0;
}

char csv_sniff_sep(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    size_t n[3] = {0, 0, 0};
    static const char seps[3] = {',', ';', '\t'};
    int quoted = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    /* The header line, outside quotes: a quoted header may hold any of
     * them, and a quoted line break does not end the line. */
    for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
        if (*p == '"')
            quoted = !quoted;
        for (int i = 0; i < 3 && !quoted; i++)
            n[i] += *p == seps[i];
    }
    int best = 0;
    for (int i = 1; i < 3; i++)
        if (n[i] > n[best])
            best = i;
    return seps[best];
}

char *csv_slurp(const char *path, size_t *len, struct err *e)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set(e, ERR_RUNTIME, "%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1)
            break;
        char *b = realloc(buf, cap *= 2);
        if (!b)
            free(buf);
        buf = b;
    }
    int bad = !buf || ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        err_set(e, ERR_RUNTIME, "%s: cannot read", path);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

int csv_read(struct csv *c, const char *path, struct err *e)
{
    size_t len;
    memset(c, 0, sizeof *c);
    char *text = csv_slurp(path, &len, e);
    if (!text)
        return -1;
    int rc = csv_parse(c, text, len, path, e);
    free(text);
    return rc;
}

int csv_col(const struct csv *c, const char *name)
{
    for (size_t i = 0; i < c->ncols; i++)
        if (strcmp(c->cells[i], name) == 0)
            return (int)i;
    return -1;
}

void csv_header_list(const struct csv *c, const char *quote, char *buf,
                     size_t size)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < c->ncols && n < size; i++)
        n += (size_t)snprintf(buf + n, size - n, "%s%s%s%s", i ? ", " : "",
                              quote, c->cells[i], quote);
}

const char *csv_get(const struct csv *c, size_t r, int col)
{
    if (col < 0 || (size_t)col >= c->ncols || r >= c->nrows)
        return "";
    return c->cells[(r + 1) * c->ncols + (size_t)col];
}

void csv_destroy(struct csv *c)
{
    if (c->cells)
        free_cells(c->cells, (c->nrows + 1) * c->ncols);
    free(c->lines);
    memset(c, 0, sizeof *c);
}
