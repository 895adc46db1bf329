/*
 * csvread: RFC 4180 files read whole into memory.
 *
 * A table is a rectangle of strings: row 0 is the header, every row has
 * as many fields as the header. Quoted fields may hold commas, doubled
 * quotes ("") and line breaks; CRLF and LF line ends are both accepted,
 * a missing final line end is fine, and a leading UTF-8 byte-order mark
 * is skipped. Fields are stored unquoted.
 */
#ifndef SALESCAP_CSVREAD_H
#define SALESCAP_CSVREAD_H

#include <stddef.h>

#include "err.h"

struct csv {
    size_t ncols; /* fields per row (the header's count) */
    size_t nrows; /* data rows, not counting the header */
    char **cells; /* (nrows + 1) * ncols strings, row-major, header first */
    int *lines;   /* line in the file where each data row starts */
};

/* Parses len bytes of text. name is used in messages ("NAME:LINE: ...").
 * Returns 0, or -1 with e set (ERR_CONFIG for malformed text: an
 * unterminated quote, a quote inside an unquoted field, a row with the
 * wrong number of fields, an empty file; ERR_RUNTIME for no memory). On
 * failure c is left zeroed. */
int csv_parse(struct csv *c, const char *text, size_t len, const char *name,
              struct err *e);

/* csv_parse with another field separator (';' or '\t'). */
int csv_parse_sep(struct csv *c, const char *text, size_t len, char sep,
                  const char *name, struct err *e);

/* The field separator the header line (the first line, outside quotes)
 * uses most: ',', ';' or '\t'; ',' when it holds none. */
char csv_sniff_sep(const char *text, size_t len);

/* Reads and parses the file at path. Returns 0, or -1 with e set
 * (ERR_RUNTIME when the file cannot be read). */
int csv_read(struct csv *c, const char *path, struct err *e);

/* Index of the header column called name, or -1. */
int csv_col(const struct csv *c, const char *name);

/* The header's names into buf, separated by ", ", each in quote (a
 * string put before and after it: "" or "'"), for messages. */
void csv_header_list(const struct csv *c, const char *quote, char *buf,
                     size_t size);

/* Field of data row r (0-based) in column col; "" when col < 0. The string
 * belongs to c. */
const char *csv_get(const struct csv *c, size_t r, int col);

/* Frees what csv_parse took; safe on a zeroed struct. */
void csv_destroy(struct csv *c);

/* Reads a whole file into a NUL-terminated buffer the caller frees; *len
 * gets its length. Returns NULL with e set when it cannot be read. */
char *csv_slurp(const char *path, size_t *len, struct err *e);

#endif
