/*
 * svgtext: gnuplot's SVG text and its ink boxes (see svgtext.h).
 *
 * The font reader knows just enough TrueType for widths and heights: the
 * table directory, head (units per em, loca format), hhea and hmtx
 * (advances), maxp (glyph count), cmap's format-4 subtable (Unicode BMP
 * to glyph) and, through loca, the box at the start of each glyf entry.
 * Every offset is checked against the file's length: a short or odd file
 * is refused, never read past.
 *
 * A text's box: horizontally from the first glyph's ink to the last's,
 * by advances (no kerning: DejaVu Sans sets ours without it in cairo's
 * simple layout, and a kern only ever narrows a pair by a pixel or so);
 * vertically from the lowest to the highest ink of its glyphs. Spaces
 * count in the advance but have no ink of their own.
 */
#include "svgtext.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ TrueType */

static unsigned u16(const struct ttf_font *f, size_t at)
{
    if (at + 2 > f->len)
        return 0;
    return (unsigned)f->data[at] << 8 | f->data[at + 1];
}

static int s16(const struct ttf_font *f, size_t at)
{
    unsigned v = u16(f, at);
    return v >= 0x8000 ? (int)v - 0x10000 : (int)v;
}

static unsigned long u32(const struct ttf_font *f, size_t at)
{
    if (at + 4 > f->len)
        return 0;
    return (unsigned long)u16(f, at) << 16 | u16(f, at + 2);
}

/* Offset and length of table tag, or 0. */
static size_t table(const struct ttf_font *f, const char *tag, size_t *len)
{
    unsigned n = u16(f, 4);
    for (unsigned i = 0; i < n; i++) {
        size_t e = 12 + 16 * (size_t)i;
        if (e + 16 > f->len)
            return 0;
        if (!memcmp(f->data + e, tag, 4)) {
            size_t off = u32(f, e + 8);
            *len = u32(f, e + 12);
            return off + *len <= f->len ? off : 0;
        }
    }
    return 0;
}

static int find_cmap4(struct ttf_font *f)
{
    size_t len, cmap = table(f, "cmap", &len);
    if (!cmap)
        return -1;
    unsigned n = u16(f, cmap + 2);
    for (unsigned i = 0; i < n; i++) {
        size_t e = cmap + 4 + 8 * (size_t)i;
        unsigned pid = u16(f, e), eid = u16(f, e + 2);
        size_t sub = cmap + u32(f, e + 4);
        if (((pid == 3 && eid == 1) || pid == 0) && u16(f, sub) == 4 &&
            sub + u16(f, sub + 2) <= f->len) {
            f->cmap4 = sub;
            return 0;
        }
    }
    return -1;
}

int ttf_load(struct ttf_font *f, const char *path)
{
    memset(f, 0, sizeof *f);
    FILE *in = fopen(path, "rb");
    if (!in)
        return -1;
    if (fseek(in, 0, SEEK_END) == 0) {
        long n = ftell(in);
        if (n > 12 && fseek(in, 0, SEEK_SET) == 0) {
            f->data = malloc((size_t)n);
            if (f->data && fread(f->data, 1, (size_t)n, in) == (size_t)n)
                f->len = (size_t)n;
        }
    }
    fclose(in);
    size_t hl, hhl, ml, hml, ll;
    size_t head = f->len ? table(f, "head", &hl) : 0;
    size_t hhea = head ? table(f, "hhea", &hhl) : 0;
    size_t maxp = hhea ? table(f, "maxp", &ml) : 0;
    f->hmtx = maxp ? table(f, "hmtx", &hml) : 0;
    f->loca = f->hmtx ? table(f, "loca", &ll) : 0;
    f->glyf = f->loca ? table(f, "glyf", &f->glyf_len) : 0;
    if (!f->glyf || find_cmap4(f) != 0) {
        ttf_free(f);
        return -1;
    }
    f->upem = u16(f, head + 18);
    f->long_loca = s16(f, head + 50) == 1;
    f->nhmetrics = u16(f, hhea + 34);
    f->nglyphs = u16(f, maxp + 4);
    if (f->upem == 0 || f->nhmetrics == 0 || 4 * f->nhmetrics > hml ||
        (f->long_loca ? 4u : 2u) * (f->nglyphs + 1) > ll) {
        ttf_free(f);
        return -1;
    }
    return 0;
}

void ttf_free(struct ttf_font *f)
{
    free(f->data);
    memset(f, 0, sizeof *f);
}

unsigned ttf_glyph(const struct ttf_font *f, unsigned cp)
{
    size_t t = f->cmap4;
    unsigned segs = u16(f, t + 6) / 2;
    if (cp > 0xffff)
        return 0;
    for (unsigned i = 0; i < segs; i++) {
        size_t ends = t + 14, starts = ends + 2 * (size_t)segs + 2;
        size_t deltas = starts + 2 * (size_t)segs;
        size_t ranges = deltas + 2 * (size_t)segs;
        if (u16(f, ends + 2 * i) < cp)
            continue;
        unsigned start = u16(f, starts + 2 * i);
        if (start > cp)
            return 0;
        unsigned delta = u16(f, deltas + 2 * i);
        unsigned ro = u16(f, ranges + 2 * i);
        if (ro == 0)
            return (cp + delta) & 0xffff;
        unsigned g = u16(f, ranges + 2 * i + ro + 2 * (cp - start));
        return g ? (g + delta) & 0xffff : 0;
    }
    return 0;
}

unsigned ttf_advance(const struct ttf_font *f, unsigned g)
{
    unsigned i = g < f->nhmetrics ? g : f->nhmetrics - 1;
    return u16(f, f->hmtx + 4 * (size_t)i);
}

int ttf_box(const struct ttf_font *f, unsigned g, int box[4])
{
    memset(box, 0, 4 * sizeof *box);
    if (g >= f->nglyphs)
        return 0;
    size_t a, b;
    if (f->long_loca) {
        a = u32(f, f->loca + 4 * (size_t)g);
        b = u32(f, f->loca + 4 * (size_t)g + 4);
    } else {
        a = 2 * (size_t)u16(f, f->loca + 2 * (size_t)g);
        b = 2 * (size_t)u16(f, f->loca + 2 * (size_t)g + 2);
    }
    if (b <= a || b > f->glyf_len || b - a < 10)
        return 0;
    size_t at = f->glyf + a;
    for (int k = 0; k < 4; k++)
        box[k] = s16(f, at + 2 + 2 * (size_t)k);
    return 1;
}

/* Next code point of UTF-8 text at *s (a stray byte reads as itself). */
static unsigned next_cp(const char **s)
{
    const unsigned char *p = (const unsigned char *)*s;
    unsigned c = *p++;
    int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    if (more)
        c &= 0x3f >> more;
    for (; more > 0 && (*p & 0xc0) == 0x80; more--)
        c = c << 6 | (*p++ & 0x3f);
    *s = (const char *)p;
    return c;
}

double ttf_text_advance(const struct ttf_font *f, const char *s)
{
    double w = 0.0;
    while (*s)
        w += ttf_advance(f, ttf_glyph(f, next_cp(&s)));
    return w;
}

/* The ink box of text in font units: x from the pen's start, y up.
 * Returns 0 when no glyph has ink. */
static int text_ink(const struct ttf_font *f, const char *s, double b[4])
{
    double pen = 0.0;
    b[0] = b[1] = b[2] = b[3] = 0.0;
    int any = 0;
    while (*s) {
        unsigned g = ttf_glyph(f, next_cp(&s));
        int gb[4];
        if (ttf_box(f, g, gb) && gb[2] > gb[0]) {
            double x0 = pen + gb[0], x1 = pen + gb[2];
            if (!any || x0 < b[0])
                b[0] = x0;
            if (!any || gb[1] < b[1])
                b[1] = gb[1];
            if (!any || x1 > b[2])
                b[2] = x1;
            if (!any || gb[3] > b[3])
                b[3] = gb[3];
            any = 1;
        }
        pen += ttf_advance(f, g);
    }
    return any;
}

/* ------------------------------------------------------------ SVG */

/* The value of attribute name in the tag [tag, end), or NULL. */
static const char *attr(const char *tag, const char *end, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = tag; p && p < end; p = strstr(p + 1, name)) {
        p = strstr(p, name);
        if (!p || p >= end)
            return NULL;
        if ((p == tag || p[-1] == ' ' || p[-1] == '\t' || p[-1] == '\n') &&
            p[n] == '=' && (p[n + 1] == '"' || p[n + 1] == '\''))
            return p + n + 2;
    }
    return NULL;
}

/* Unescapes XML text [s, end) into out (size n), dropping tags. */
static void unescape(const char *s, const char *end, char *out, size_t n)
{
    static const struct {
        const char *name;
        char c;
    } ent[] = {{"amp;", '&'},
               {"lt;", '<'},
               {"gt;", '>'},
               {"quot;", '"'},
               {"apos;", '\''}};
    size_t k = 0;
    while (s < end && k + 5 < n) {
        if (*s == '<') {
            const char *close = memchr(s, '>', (size_t)(end - s));
            s = close ? close + 1 : end;
            continue;
        }
        if (*s != '&') {
            out[k++] = *s++;
            continue;
        }
        size_t i;
        for (i = 0; i < sizeof ent / sizeof ent[0]; i++)
            if (!strncmp(s + 1, ent[i].name, strlen(ent[i].name)))
                break;
        if (i < sizeof ent / sizeof ent[0]) {
            out[k++] = ent[i].c;
            s += 1 + strlen(ent[i].name);
            continue;
        }
        unsigned long cp = 0;
        char *stop = NULL;
        if (s[1] == '#')
            cp = s[2] == 'x' ? strtoul(s + 3, &stop, 16)
                             : strtoul(s + 2, &stop, 10);
        if (!stop || *stop != ';' || cp == 0 || cp > 0x10ffff) {
            out[k++] = *s++;
            continue;
        }
        s = stop + 1;
        if (cp < 0x80) {
            out[k++] = (char)cp;
        } else if (cp < 0x800) {
            out[k++] = (char)(0xc0 | cp >> 6);
            out[k++] = (char)(0x80 | (cp & 0x3f));
        } else if (cp < 0x10000) {
            out[k++] = (char)(0xe0 | cp >> 12);
            out[k++] = (char)(0x80 | (cp >> 6 & 0x3f));
            out[k++] = (char)(0x80 | (cp & 0x3f));
        } else {
            out[k++] = (char)(0xf0 | cp >> 18);
            out[k++] = (char)(0x80 | (cp >> 12 & 0x3f));
            out[k++] = (char)(0x80 | (cp >> 6 & 0x3f));
            out[k++] = (char)(0x80 | (cp & 0x3f));
        }
    }
    out[k] = '\0';
}

/* Fills t's corners from its anchor, size, angle and ink. */
static void place(struct svg_text *t, const struct ttf_font *f)
{
    double b[4];
    if (!text_ink(f, t->text, b)) {
        t->empty = 1;
        return;
    }
    double em = t->size / f->upem;
    double adv = ttf_text_advance(f, t->text) * em;
    double shift = t->anchor == 0 ? 0.0 : t->anchor == 1 ? -adv / 2 : -adv;
    /* The box in the text's own frame: u along the baseline, v down. */
    double u0 = shift + b[0] * em, u1 = shift + b[2] * em;
    double v0 = -b[3] * em, v1 = -b[1] * em;
    double a = t->angle * 3.14159265358979323846 / 180.0, ca = cos(a),
           sa = sin(a);
    double uv[4][2] = {{u0, v0}, {u1, v0}, {u1, v1}, {u0, v1}};
    for (int i = 0; i < 4; i++) {
        t->c[i][0] = t->x + uv[i][0] * ca - uv[i][1] * sa;
        t->c[i][1] = t->y + uv[i][0] * sa + uv[i][1] * ca;
    }
}

/* Parses one <g ...> opening tag with its <text>, from g on. Returns
 * where parsing goes on, and sets *got when it held a text. */
static const char *one_group(const char *g, struct svg_text *t, int *got,
                             const struct ttf_font *font,
                             const struct ttf_font *bold)
{
    const char *end = strchr(g, '>');
    *got = 0;
    if (!end)
        return g + 2;
    const char *next_g = strstr(end, "<g");
    const char *txt = strstr(end, "<text");
    const char *tr = attr(g, end, "transform");
    if (!txt || (next_g && next_g < txt) || !tr ||
        strncmp(tr, "translate(", 10))
        return end;
    memset(t, 0, sizeof *t);
    char *p;
    t->x = strtod(tr + 10, &p);
    t->y = strtod(p + (*p == ','), &p);
    if (*p == ')' && !strncmp(p + 1, " rotate(", 8))
        t->angle = strtod(p + 9, NULL);
    const char *fs = attr(g, end, "font-size");
    const char *fw = attr(g, end, "font-weight");
    const char *ta = attr(g, end, "text-anchor");
    t->size = fs ? strtod(fs, NULL) : 12.0;
    t->bold = fw && !strncmp(fw, "bold", 4);
    t->anchor = !ta                         ? 0
                : !strncmp(ta, "middle", 6) ? 1
                : !strncmp(ta, "end", 3)    ? 2
                                            : 0;
    const char *open = strchr(txt, '>');
    const char *close = open ? strstr(open, "</text>") : NULL;
    if (!close)
        return end;
    unescape(open + 1, close, t->text, sizeof t->text);
    place(t, t->bold ? bold : font);
    *got = 1;
    return close + 7;
}

long svg_texts(const char *svg, const struct ttf_font *font,
               const struct ttf_font *bold, struct svg_text **out, double *w,
               double *h, char *err)
{
    const char *vb = strstr(svg, "viewBox=\"");
    double x0, y0;
    *out = NULL;
    if (!vb || sscanf(vb + 9, "%lf %lf %lf %lf", &x0, &y0, w, h) != 4) {
        snprintf(err, 256, "no viewBox: not an SVG of gnuplot's");
        return -1;
    }
    size_t cap = 64, n = 0;
    struct svg_text *a = malloc(cap * sizeof *a);
    for (const char *g = strstr(svg, "<g "); a && g; g = strstr(g, "<g ")) {
        int got;
        if (n == cap) {
            struct svg_text *b = realloc(a, 2 * cap * sizeof *a);
            if (!b)
                break;
            a = b;
            cap *= 2;
        }
        g = one_group(g, &a[n], &got, font, bold);
        n += (size_t)got;
    }
    if (!a) {
        snprintf(err, 256, "out of memory");
        return -1;
    }
    *out = a;
    return (long)n;
}

/* Projections of box a's corners on axis (ax, ay): min and max. */
static void project(const struct svg_text *a, double ax, double ay, double *lo,
                    double *hi)
{
    for (int i = 0; i < 4; i++) {
        double p = a->c[i][0] * ax + a->c[i][1] * ay;
        if (i == 0 || p < *lo)
            *lo = p;
        if (i == 0 || p > *hi)
            *hi = p;
    }
}

int svg_overlap(const struct svg_text *a, const struct svg_text *b, double tol)
{
    if (a->empty || b->empty)
        return 0;
    const struct svg_text *box[2] = {a, b};
    for (int k = 0; k < 2; k++)
        for (int e = 0; e < 2; e++) {
            double dx = box[k]->c[e + 1][0] - box[k]->c[e][0];
            double dy = box[k]->c[e + 1][1] - box[k]->c[e][1];
            double len = hypot(dx, dy);
            if (len <= 0.0)
                continue;
            double lo1 = 0.0, hi1 = 0.0, lo2 = 0.0, hi2 = 0.0;
            project(a, dx / len, dy / len, &lo1, &hi1);
            project(b, dx / len, dy / len, &lo2, &hi2);
            if (hi1 - tol <= lo2 || hi2 - tol <= lo1)
                return 0; /* a separating axis */
        }
    return 1;
}

int svg_inside(const struct svg_text *a, double w, double h, double tol)
{
    for (int i = 0; !a->empty && i < 4; i++)
        if (a->c[i][0] < -tol || a->c[i][0] > w + tol || a->c[i][1] < -tol ||
            a->c[i][1] > h + tol)
            return 0;
    return 1;
}
