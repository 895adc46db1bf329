/*
 * text: suggestions for mistyped names and C-locale numbers (text.h).
 *
 * Invariant: nothing here keeps state between calls; the distance is
 * computed in three rows of a fixed array, so names longer than the
 * array are simply too far apart to suggest.
 */
#include <ctype.h>
#include <locale.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#define TEXT_NAME_MAX 63 /* longest name text_distance compares */

size_t text_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t d[3][TEXT_NAME_MAX + 1];
    if (la > TEXT_NAME_MAX || lb > TEXT_NAME_MAX)
        return SIZE_MAX;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    /* Rows i, i - 1 and i - 2 (for transpositions) rotate through d. */
    for (size_t i = 1; i <= la; i++) {
        size_t *cur = d[i % 3], *prev = d[(i - 1) % 3], *pp = d[(i + 1) % 3];
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]);
            int cb = tolower((unsigned char)b[j - 1]);
            size_t best = prev[j - 1] + (ca != cb);
            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                cb == tolower((unsigned char)a[i - 2]) && pp[j - 2] + 1 < best)
                best = pp[j - 2] + 1;
            cur[j] = best;
        }
    }
    return d[la % 3][lb];
}

const char *text_suggest(const char *name, const char *const *cand, size_t n)
{
    const char *best = NULL;
    size_t best_d = SIZE_MAX;
    for (size_t i = 0; i < n; i++) {
        size_t d = text_distance(name, cand[i]);
        size_t len = strlen(cand[i]);
        size_t limit = len / 3 > 3 ? 3 : (len / 3 ? len / 3 : 1);
        if (d <= limit && d < best_d) {
            best = cand[i];
            best_d = d;
        }
    }
    return best;
}

double text_strtod(const char *s, char **end)
{
    locale_t c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
    if (c == (locale_t)0)
        return strtod(s, end);
    locale_t old = uselocale(c);
    double v = strtod(s, end);
    uselocale(old);
    freelocale(c);
    return v;
}

void text_number(double v, char *buf, size_t size)
{
    for (int prec = 10; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (text_strtod(buf, NULL) == v)
            return;
    }
}
