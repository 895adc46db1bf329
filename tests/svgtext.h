/*
 * svgtext: the text of a chart as gnuplot's svg terminal writes it, each
 * piece with the box its ink covers, measured with the font's own metrics
 * (a TrueType file read here: cmap, hmtx, loca and glyf's glyph boxes).
 * test_layout uses it to assert that no two texts of a chart overlap and
 * none leaves the canvas.
 *
 * What gnuplot 5.4 writes for each piece of text (one element a line of
 * a multi-line label):
 *   <g transform="translate(X,Y)[ rotate(A)]" ... font-family="F"
 *      font-size="S" [font-weight="bold"] text-anchor="start|middle|end">
 *       <text>TEXT</text>
 *   </g>
 * X, Y is the anchor on the baseline; A is in degrees, clockwise on the
 * screen (y grows downward); TEXT is XML-escaped, and may hold <tspan>s
 * (enhanced text: their text counts, their own offsets are ignored).
 */
#ifndef SALESCAP_SVGTEXT_H
#define SALESCAP_SVGTEXT_H

#include <stddef.h>

/* A TrueType font in memory. */
struct ttf_font {
    unsigned char *data;
    size_t len;
    unsigned upem; /* font units per em */
    unsigned nglyphs, nhmetrics;
    size_t cmap4, hmtx, loca, glyf; /* table offsets (cmap4: the subtable) */
    size_t glyf_len;
    int long_loca; /* head.indexToLocFormat */
};

/* Reads the TrueType file at path. Returns 0, or -1 (missing, not
 * TrueType, or no Unicode BMP cmap). */
int ttf_load(struct ttf_font *f, const char *path);
void ttf_free(struct ttf_font *f);

/* The glyph of Unicode code point cp (0: .notdef). */
unsigned ttf_glyph(const struct ttf_font *f, unsigned cp);

/* Advance width of glyph g, in font units. */
unsigned ttf_advance(const struct ttf_font *f, unsigned g);

/* The glyph's ink box in font units (y up); 0 for a glyph without
 * contours (a space), with the box left zero. */
int ttf_box(const struct ttf_font *f, unsigned g, int box[4]);

/* One piece of text of an SVG file and its ink box. */
struct svg_text {
    char text[512];     /* unescaped, UTF-8 */
    double x, y, angle; /* anchor, rotation in degrees */
    double size;        /* font size in SVG units */
    int bold;
    int anchor;     /* 0 start, 1 middle, 2 end */
    double c[4][2]; /* the ink box's corners on the canvas */
    int empty;      /* no ink (blank text) */
};

/* Every text of the SVG document svg, measured with font (regular) or
 * bold. Sets *w, *h to the canvas size (the viewBox). Returns the number
 * of texts (the array in *out, to free), or -1 for a document it cannot
 * read (message in err, 256 bytes). */
long svg_texts(const char *svg, const struct ttf_font *font,
               const struct ttf_font *bold, struct svg_text **out, double *w,
               double *h, char *err);

/* Whether the ink boxes of a and b overlap by more than tol units
 * (separating-axis test on the rotated boxes). */
int svg_overlap(const struct svg_text *a, const struct svg_text *b, double tol);

/* Whether a's ink box lies inside [0, w] x [0, h] (tol units of grace). */
int svg_inside(const struct svg_text *a, double w, double h, double tol);

/* Width in font units of UTF-8 text s set in f, by advances. */
double ttf_text_advance(const struct ttf_font *f, const char *s);

#endif
