/*
 * report_notes: the consultant's notes ([report] notes, a Markdown file)
 * as HTML, in the small subset report_int.h lists.
 *
 * The text is read line by line into blocks (a paragraph, a list item, a
 * heading); a block's text is gathered whole before it is written, so
 * **bold** may span the lines of a paragraph. Invariant: the only tags
 * written are those this file spells out (p, h2-h4, ul, ol, li, strong,
 * code); every byte of the notes goes through report_esc.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "report_int.h"

enum notes_block { NB_NONE = 0, NB_PARA, NB_UL, NB_OL };

struct notes {
    FILE *f;
    enum notes_block block;
    int item_open; /* an <li> of the list is open */
    char *text;    /* the open block's text so far */
    size_t n, cap;
    int oom;
};

static void add(struct notes *nt, const char *s, size_t n)
{
    if (nt->n + n + 1 > nt->cap) {
        size_t cap = (nt->cap ? 2 * nt->cap : 256) + n;
        char *t = realloc(nt->text, cap);
        if (!t) {
            nt->oom = 1;
            return;
        }
        nt->text = t;
        nt->cap = cap;
    }
    memcpy(nt->text + nt->n, s, n);
    nt->n += n;
}

/* The end of the span that opens at s[i] with mark (of len bytes): the
 * index of its closing mark, or 0 when it does not close (or is empty). */
static size_t span_end(const char *s, size_t n, size_t i, const char *mark,
                       size_t len)
{
    for (size_t j = i + len + 1; j + len <= n; j++)
        if (!memcmp(s + j, mark, len))
            return j;
    return 0;
}

/* Writes s[0, n) with its inline marks: **bold** (when bold), `code`,
 * and a backslash before punctuation, which shows the punctuation. */
static void inline_html(FILE *f, const char *s, size_t n, int bold)
{
    size_t i = 0, j;
    while (i < n) {
        if (s[i] == '\\' && i + 1 < n && ispunct((unsigned char)s[i + 1])) {
            report_esc(f, s + i + 1, 1);
            i += 2;
        } else if (s[i] == '`' && (j = span_end(s, n, i, "`", 1))) {
            fputs("<code>", f);
            report_esc(f, s + i + 1, j - i - 1);
            fputs("</code>", f);
            i = j + 1;
        } else if (bold && !strncmp(s + i, "**", 2) && i + 2 < n &&
                   (j = span_end(s, n, i, "**", 2))) {
            fputs("<strong>", f);
            inline_html(f, s + i + 2, j - i - 2, 0);
            fputs("</strong>", f);
            i = j + 2;
        } else {
            report_esc(f, s + i, 1);
            i++;
        }
    }
}

static void flush_text(struct notes *nt)
{
    inline_html(nt->f, nt->text, nt->n, 1);
    nt->n = 0;
}

static void close_item(struct notes *nt)
{
    if (!nt->item_open)
        return;
    flush_text(nt);
    fputs("</li>\n", nt->f);
    nt->item_open = 0;
}

static void close_block(struct notes *nt)
{
    switch (nt->block) {
    case NB_PARA:
        flush_text(nt);
        fputs("</p>\n", nt->f);
        break;
    case NB_UL:
    case NB_OL:
        close_item(nt);
        fputs(nt->block == NB_UL ? "</ul>\n" : "</ol>\n", nt->f);
        break;
    case NB_NONE:
        break;
    }
    nt->block = NB_NONE;
}

/* "# Title": its level (1-6) and text; 0 when s is no heading. */
static int heading(const char *s, size_t n, const char **text, size_t *len)
{
    size_t k = 0;
    while (k < n && k < 7 && s[k] == '#')
        k++;
    if (k == 0 || k > 6 || k >= n || s[k] != ' ')
        return 0;
    size_t a = k, b = n;
    while (a < b && s[a] == ' ')
        a++;
    while (b > a && s[b - 1] == '#') /* an optional closing "##" */
        b--;
    while (b > a && s[b - 1] == ' ')
        b--;
    *text = s + a;
    *len = b - a;
    return (int)k;
}

/* A list item's marker: "- ", "* ", "+ " (NB_UL) or "12. " (NB_OL, its
 * number in *num); the length of the marker, or 0. */
static size_t item_marker(const char *s, size_t n, enum notes_block *kind,
                          long *num)
{
    if (n >= 2 && strchr("-*+", s[0]) && s[1] == ' ') {
        *kind = NB_UL;
        return 2;
    }
    size_t k = 0;
    while (k < n && k < 9 && isdigit((unsigned char)s[k]))
        k++;
    if (k == 0 || k + 1 >= n || s[k] != '.' || s[k + 1] != ' ')
        return 0;
    *kind = NB_OL;
    *num = strtol(s, NULL, 10);
    return k + 2;
}

static void open_item(struct notes *nt, enum notes_block kind, long num)
{
    if (nt->block != kind) {
        close_block(nt);
        if (kind == NB_OL && num != 1)
            fprintf(nt->f, "<ol start=\"%ld\">\n", num);
        else
            fputs(kind == NB_UL ? "<ul>\n" : "<ol>\n", nt->f);
        nt->block = kind;
    }
    close_item(nt);
    fputs("<li>", nt->f);
    nt->item_open = 1;
}

static void notes_line(struct notes *nt, const char *s, size_t n)
{
    const char *text;
    size_t len, ind = 0;
    enum notes_block kind = NB_NONE;
    long num = 1;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    while (ind < n && (s[ind] == ' ' || s[ind] == '\t'))
        ind++;
    s += ind;
    n -= ind;
    int level = heading(s, n, &text, &len);
    size_t mark = level ? 0 : item_marker(s, n, &kind, &num);
    if (n == 0) {
        close_block(nt);
    } else if (level) {
        close_block(nt);
        level = level < 3 ? level + 1 : 4;
        fprintf(nt->f, "<h%d>", level);
        inline_html(nt->f, text, len, 1);
        fprintf(nt->f, "</h%d>\n", level);
    } else if (mark) {
        open_item(nt, kind, num);
        add(nt, s + mark, n - mark);
    } else {
        if (nt->block == NB_NONE) {
            fputs("<p>", nt->f);
            nt->block = NB_PARA;
        } else {
            add(nt, "\n", 1);
        }
        add(nt, s, n);
    }
}

int report_notes_html(FILE *f, const char *text)
{
    struct notes nt = {.f = f};
    if (!strncmp(text, "\xef\xbb\xbf", 3))
        text += 3; /* a byte order mark */
    while (*text) {
        size_t k = strcspn(text, "\n");
        notes_line(&nt, text, k);
        text += k + (text[k] == '\n');
    }
    close_block(&nt);
    free(nt.text);
    return nt.oom ? -1 : 0;
}
