/*
 * report_int: what the report's files share inside the module (not part
 * of the report.h contract). report.c writes the page, report_notes.c
 * the consultant's notes, report_appendix.c the appendix.
 *
 * Invariant: every byte of text from outside salescap (notes, titles,
 * run.ini, CSV fields) reaches the page through report_esc or
 * report_notes_html, so nothing in it can open a tag or an entity.
 */
#ifndef SALESCAP_REPORT_INT_H
#define SALESCAP_REPORT_INT_H

#include <stddef.h>
#include <stdio.h>

#include "config.h"
#include "params.h"
#include "rundata.h"

/* Writes the first n bytes of s (up to a NUL) with &, <, >, " and '
 * escaped. */
void report_esc(FILE *f, const char *s, size_t n);

/* Writes text, a small subset of Markdown, as HTML: blocks separated by
 * blank lines are paragraphs; a line "# Heading" is a heading (# gives
 * <h2>, ## <h3>, ### and deeper <h4>); lines starting "- ", "* " or
 * "+ " are a bulleted list, "1. " a numbered one (a following line that
 * starts neither a new item nor a block continues the item);
 * **bold** and `code` work inside a block. Everything else, raw HTML and
 * links included, is shown as written, escaped. Returns 0, or -1 out of
 * memory (f may then hold part of the notes). */
int report_notes_html(FILE *f, const char *text);

/* What the report knows of a run beyond its CSVs, from its run.ini. */
struct report_run {
    int have_ini;               /* run.ini was there */
    struct config cfg;          /* its entries (when have_ini) */
    struct report_params words; /* its [report]: title, author, notes */
    int have_params;            /* run.ini resolved as a whole */
    struct params p;            /* ... into these */
    char why[ERR_MSG_MAX];      /* why not, when it did not */
};

/* Writes the appendix: how the run was made (replications, seed,
 * horizon), how its 95 % intervals are computed, the assumptions that
 * matter for the reader, every parameter that differs from the defaults,
 * and (on screen only) run.ini as written. Returns 0, or -1 with e set
 * (out of memory). */
int report_appendix(FILE *f, const struct rundata *rd,
                    const struct report_run *run, const char *run_dir,
                    struct err *e);

#endif
