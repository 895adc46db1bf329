/*
 * plot_text: how wide a text is on a chart, and making it fit: cut at
 * a word with an ellipsis, or wrapped into lines.
 *
 * Every chart is set in DejaVu Sans (Debian's fonts-dejavu-core, which
 * `make deps` installs), so widths are known exactly: the table below is
 * the font's advance widths of printable ASCII, in font units (2048 to
 * the em), regular and bold. tests/test_layout.c checks it against the
 * installed font and prints a new one when they differ. Kerning is left
 * out: it only narrows a pair. Any other character counts as wide as
 * 'M' (a few known ones exactly), so that an accented title errs on the
 * side of room.
 *
 * Sizes: a font of P points draws P * 4/3 pixels to the em on the PNG
 * terminal (cairo sets type at 96 dots an inch), and the SVG terminal is
 * given fontscale 4/3 to match (plot.c), so the charts lay out in those
 * pixels of the logical canvas (plot_int.h).
 * Invariant: gp_fit and gp_wrap never return text wider than asked,
 * except a single character that is wider by itself.
 */
#include <stdio.h>
#include <string.h>

#include "plot_int.h"

#define UNITS_PER_EM 2048.0
#define ELLIPSIS     "\xE2\x80\xA6" /* U+2026, 2048 units in both weights */

static const unsigned short advance[2][95] = {
    {651,  821,  942,  1716, 1303, 1946, 1597, 563,  799,  799,  1024, 1716,
     651,  739,  651,  690,  1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303,
     1303, 1303, 690,  690,  1716, 1716, 1716, 1087, 2048, 1401, 1405, 1430,
     1577, 1294, 1178, 1587, 1540, 604,  604,  1343, 1141, 1767, 1532, 1612,
     1235, 1612, 1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799,
     690,  799,  1716, 1024, 1024, 1255, 1300, 1126, 1300, 1260, 721,  1300,
     1298, 569,  569,  1186, 569,  1995, 1298, 1253, 1300, 1300, 842,  1067,
     803,  1298, 1212, 1675, 1212, 1212, 1075, 1303, 690,  1303, 1716},
    {713,  934,  1067, 1716, 1425, 2052, 1786, 627,  936,  936,  1071, 1716,
     778,  850,  778,  748,  1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425,
     1425, 1425, 819,  819,  1716, 1716, 1716, 1188, 2048, 1585, 1561, 1503,
     1700, 1399, 1399, 1681, 1714, 762,  762,  1587, 1305, 2038, 1714, 1741,
     1501, 1741, 1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936,
     748,  936,  1716, 1024, 1024, 1382, 1466, 1214, 1466, 1389, 891,  1466,
     1458, 702,  702,  1362, 702,  2134, 1458, 1407, 1466, 1466, 1010, 1219,
     979,  1458, 1335, 1892, 1321, 1335, 1192, 1458, 748,  1458, 1716},
};

/* Units of the character starting at s (its whole UTF-8 sequence),
 * and its length in bytes in *len. */
static double char_units(const char *s, int bold, size_t *len)
{
    const unsigned char *p = (const unsigned char *)s;
    unsigned c = p[0];
    if (c < 0x80) {
        *len = 1;
        return c >= 32 && c < 127 ? advance[bold][c - 32] : 0.0;
    }
    size_t n = 1;
    while ((p[n] & 0xC0) == 0x80)
        n++;
    *len = n;
    if (n == 3 && p[0] == 0xE2 && p[1] == 0x80 && p[2] == 0xA6)
        return 2048.0; /* the ellipsis */
    if (n == 3 && p[0] == 0xE2 && p[1] == 0x88 && p[2] == 0x92)
        return 1716.0; /* the minus sign */
    return advance[bold]['M' - 32];
}

static double units_to_px(double units, double pt)
{
    return units / UNITS_PER_EM * pt * GP_PX_PER_PT;
}

/* Width of the first n bytes of s. */
static double width_n(const char *s, size_t n, double pt, int bold)
{
    double u = 0.0;
    size_t len;
    for (size_t i = 0; i < n && s[i]; i += len)
        u += char_units(s + i, bold, &len);
    return units_to_px(u, pt);
}

double gp_text_width(const char *s, double pt, int bold)
{
    return width_n(s, strlen(s), pt, bold);
}

/* The longest prefix of s (bytes) that fits in px, whole characters. */
static size_t fit_prefix(const char *s, double px, double pt, int bold)
{
    double u = 0.0, max = px / (pt * GP_PX_PER_PT) * UNITS_PER_EM;
    size_t i = 0, len;
    while (s[i]) {
        double c = char_units(s + i, bold, &len);
        if (u + c > max)
            break;
        u += c;
        i += len;
    }
    return i;
}

/* Where to cut s to keep at most n bytes: at the last blank at or
 * before n when that keeps at least 60 % of it (a word stays whole),
 * else at n. Trailing blanks and punctuation before the cut go too. */
static size_t cut_at(const char *s, size_t n)
{
    size_t k = n;
    if (s[n] != ' ' && s[n] != '\0') {
        while (k > 0 && s[k] != ' ')
            k--;
        if (k < n * 6 / 10)
            k = n;
    }
    while (k > 0 && strchr(" ,;:-", s[k - 1]))
        k--;
    return k;
}

int gp_fit(char *out, size_t size, const char *s, double px, double pt,
           int bold)
{
    if (gp_text_width(s, pt, bold) <= px) {
        snprintf(out, size, "%s", s);
        return 0;
    }
    double room = px - units_to_px(2048.0, pt);
    size_t k = room > 0.0 ? cut_at(s, fit_prefix(s, room, pt, bold)) : 0;
    while (k > 0 && k + sizeof ELLIPSIS > size)
        k--;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--; /* inside a UTF-8 sequence */
    memcpy(out, s, k);
    memcpy(out + k, ELLIPSIS, sizeof ELLIPSIS);
    return 1;
}

int gp_wrap(const char *s, double px, double pt, int bold, int max_lines,
            char lines[][GP_LINE_MAX])
{
    int n = 0;
    while (*s == ' ')
        s++;
    while (*s && n < max_lines) {
        size_t len = strlen(s);
        if (n == max_lines - 1 || width_n(s, len, pt, bold) <= px) {
            gp_fit(lines[n++], GP_LINE_MAX, s, px, pt, bold);
            break;
        }
        size_t k = fit_prefix(s, px, pt, bold), brk = k;
        while (brk > 0 && s[brk] != ' ')
            brk--;
        if (brk == 0)
            brk = k > 0 ? k : 1; /* one word wider than the line */
        while (brk > 1 &&
               (brk >= GP_LINE_MAX || ((unsigned char)s[brk] & 0xC0) == 0x80))
            brk--;
        size_t end = brk;
        while (end > 0 && s[end - 1] == ' ')
            end--;
        memcpy(lines[n], s, end);
        lines[n++][end] = '\0';
        s += brk;
        while (*s == ' ')
            s++;
    }
    return n;
}
