/*
 * test_layout: the charts' texts never overlap and never leave the
 * canvas, measured on the SVGs gnuplot writes (tests/svgtext.h) with the
 * installed DejaVu Sans' own metrics, for every chart of every file in
 * scenarios/, for tests/data/layout_stress.ini (eight scenarios with
 * 80-character titles; undated at every size, and dated) and the sweeps
 * tests/data/layout_sweep*.ini (60 points; one key; three keys), at every
 * --size. Also: the checker itself finds what it must find, and the width table
 * the charts lay their texts out with (plot_text.c) is the installed font's.
 *
 * Only text against text and text against the canvas's edges are
 * checked: legend samples, bars and lines are not text, and data lines
 * under a label inside the plot are allowed (a label in the plot is put
 * there on purpose). Runs are short (-n 2) to keep the test fast; the
 * layout does not depend on the replications beyond the bands drawn.
 * The binary under test is $SALESCAP; tests run from the repository root.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../sim/plot_int.h"
#include "csvread.h"
#include "svgtext.h"

#define FONT_DIR "/usr/share/fonts/truetype/dejavu"

static struct ttf_font font, bold;
static char tmp[256];

static int sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    int st = system(cmd);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static const char *bin(void)
{
    const char *b = getenv("SALESCAP");
    return b && *b ? b : "./salescap";
}

static int setup(void **state)
{
    (void)state;
    const char *dir = getenv("SALESCAP_FONT_DIR");
    char r[512], b[512];
    snprintf(r, sizeof r, "%s/DejaVuSans.ttf", dir ? dir : FONT_DIR);
    snprintf(b, sizeof b, "%s/DejaVuSans-Bold.ttf", dir ? dir : FONT_DIR);
    if (ttf_load(&font, r) != 0 || ttf_load(&bold, b) != 0) {
        fprintf(stderr,
                "test_layout: cannot read %s and %s (Debian: "
                "fonts-dejavu-core, which `make deps` installs)\n",
                r, b);
        return -1;
    }
    snprintf(tmp, sizeof tmp, "/tmp/salescap-layout-test.XXXXXX");
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ttf_free(&font);
    ttf_free(&bold);
    return sh("rm -rf '%s'", tmp);
}

/* ------------------------------------------------------------ checking */

/* Problems found, as lines, kept for the failure message. */
struct report {
    char *text;
    size_t len, cap;
    int n;
};

static void say(struct report *r, const char *fmt, ...)
{
    char line[1400];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    r->n++;
    if (r->n > 40 || k < 0)
        return; /* enough to see what is wrong */
    size_t need = r->len + (size_t)k + 2;
    if (need > r->cap) {
        r->cap = 2 * need;
        r->text = realloc(r->text, r->cap);
        assert_non_null(r->text);
    }
    memcpy(r->text + r->len, line, (size_t)k);
    r->len += (size_t)k;
    r->text[r->len++] = '\n';
    r->text[r->len] = '\0';
}

/* Checks one SVG file; adds its problems to r. Returns its texts. */
static long check_svg(const char *path, struct report *r)
{
    size_t len;
    struct err e = {0};
    char *svg = csv_slurp(path, &len, &e);
    if (!svg) {
        say(r, "%s: %s", path, e.msg);
        return 0;
    }
    struct svg_text *t;
    double w, h;
    char msg[256];
    long n = svg_texts(svg, &font, &bold, &t, &w, &h, msg);
    free(svg);
    if (n < 0) {
        say(r, "%s: %s", path, msg);
        return 0;
    }
    /* Half a unit of grace: rounding in gnuplot's positions. */
    for (long i = 0; i < n; i++) {
        if (!svg_inside(&t[i], w, h, 0.5))
            say(r, "%s: '%s' (at %.0f,%.0f) leaves the %gx%g canvas", path,
                t[i].text, t[i].x, t[i].y, w, h);
        for (long j = i + 1; j < n; j++)
            if (svg_overlap(&t[i], &t[j], 0.5))
                say(r, "%s: '%s' (at %.0f,%.0f) overlaps '%s' (at %.0f,%.0f)",
                    path, t[i].text, t[i].x, t[i].y, t[j].text, t[j].x, t[j].y);
    }
    free(t);
    return n;
}

/* Checks every SVG in dir; returns how many there were. */
static int check_dir(const char *dir, struct report *r)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    int files = 0;
    assert_non_null(d);
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 4, ".svg"))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (check_svg(path, r) <= 0)
            say(r, "%s: no text", path);
        files++;
    }
    closedir(d);
    return files;
}

static void expect_clean(struct report *r, int files, int at_least)
{
    if (files < at_least)
        fail_msg("%d SVG charts, expected at least %d", files, at_least);
    if (r->n)
        fail_msg("%d layout problems; the first:\n%s", r->n, r->text);
    free(r->text);
}

/* ------------------------------------------------------------ the checker */

/* An SVG of the form gnuplot writes, with texts given as
 * "X Y ANGLE SIZE ANCHOR BOLD TEXT" lines. */
static char *fake_svg(const char *const *texts, int n)
{
    static const char *const anchors[] = {"start", "middle", "end"};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    fputs("<svg \n viewBox=\"0 0 400 200\"\n>\n", f);
    for (int i = 0; i < n; i++) {
        double x, y, a, s;
        int an, b, off;
        assert_int_equal(sscanf(texts[i], "%lf %lf %lf %lf %d %d %n", &x, &y,
                                &a, &s, &an, &b, &off),
                         6);
        fprintf(f, "<g fill=\"none\">\n\t<g transform=\"translate(%g,%g)", x,
                y);
        if (a != 0.0)
            fprintf(f, " rotate(%g)", a);
        fprintf(f,
                "\" stroke=\"none\" fill=\"black\" font-family=\"DejaVu "
                "Sans\" font-size=\"%g\" %s text-anchor=\"%s\">\n\t\t"
                "<text>%s</text>\n\t</g>\n</g>\n",
                s, b ? " font-weight=\"bold\" " : "", anchors[an],
                texts[i] + off);
    }
    fputs("</svg>\n", f);
    assert_int_equal(fclose(f), 0);
    return buf;
}

static long fake_texts(const char *const *texts, int n, struct svg_text **t)
{
    char *svg = fake_svg(texts, n), msg[256];
    double w, h;
    long got = svg_texts(svg, &font, &bold, t, &w, &h, msg);
    free(svg);
    assert_int_equal(got, n);
    assert_true(w == 400.0 && h == 200.0);
    return got;
}

static void test_checker(void **state)
{
    (void)state;
    struct svg_text *t;
    /* "Hello" at 10 units is 25.3 wide by advances (DejaVu Sans: H 1540,
     * e 1260, l 569, o 1253 of 2048), its ink about [0.9, 24.7]. */
    const char *const apart[] = {
        "10 20 0 10 0 0 Hello",     /* ink from 10.9 to 34.7 */
        "44 20 0 10 0 0 Hello",     /* starts after the first's ink */
        "110 20 0 10 2 1 Hello",    /* bold, ending at 110 */
        "10 40 0 10 0 0 A &amp; B", /* the next line down */
    };
    fake_texts(apart, 4, &t);
    assert_string_equal(t[3].text, "A & B");
    assert_true(t[2].bold && t[2].anchor == 2);
    for (int i = 0; i < 4; i++)
        for (int j = i + 1; j < 4; j++)
            if (svg_overlap(&t[i], &t[j], 0.5))
                fail_msg("'%s' and '%s' reported overlapping", t[i].text,
                         t[j].text);
    for (int i = 0; i < 4; i++)
        assert_true(svg_inside(&t[i], 400, 200, 0.5));
    free(t);

    const char *const clash[] = {
        "10 20 0 10 0 0 Hello",
        "32 22 0 10 0 0 World", /* runs into the first */
        "200 100 0 10 1 0 Centred",
        "200 104 -90 10 1 0 Rotated",        /* crosses it upward */
        "395 100 0 10 0 0 Right",            /* leaves on the right */
        "20 40 -90 14 1 0 Too long a label", /* leaves at the top */
        "300 150 -30 10 2 0 Slanted",
        "300 156 -30 10 2 0 Slanted", /* 6 below: the slanted boxes meet */
    };
    fake_texts(clash, 8, &t);
    assert_true(svg_overlap(&t[0], &t[1], 0.5));
    assert_true(svg_overlap(&t[2], &t[3], 0.5));
    assert_false(svg_inside(&t[4], 400, 200, 0.5));
    assert_false(svg_inside(&t[5], 400, 200, 0.5));
    assert_true(svg_overlap(&t[6], &t[7], 0.5));
    /* A rotated box is tighter than its bounding box: side by side, two
     * slanted labels 40 apart are clear of each other. */
    free(t);
    const char *const slanted[] = {
        "300 150 -30 10 2 0 Slanted",
        "340 150 -30 10 2 0 Slanted",
    };
    fake_texts(slanted, 2, &t);
    assert_false(svg_overlap(&t[0], &t[1], 0.5));
    free(t);
}

/* The advance widths the charts lay out with are the installed font's. */
static void test_width_table(void **state)
{
    (void)state;
    int bad = 0;
    for (int b = 0; b < 2; b++) {
        const struct ttf_font *f = b ? &bold : &font;
        for (unsigned c = 32; c < 127; c++) {
            unsigned want = ttf_advance(f, ttf_glyph(f, c));
            char s[2] = {(char)c, 0};
            double got = gp_text_width(s, 1.0, b) * 0.75 * f->upem;
            if (got < want - 0.5 || got > want + 0.5) {
                fprintf(stderr, "'%c'%s: %g, the font says %u\n", (int)c,
                        b ? " bold" : "", got, want);
                bad++;
            }
        }
    }
    if (bad) {
        /* The table plot_text.c should hold for the installed font. */
        fputs("advance[2][95] for sim/plot_text.c:\n", stderr);
        for (int b = 0; b < 2; b++) {
            const struct ttf_font *f = b ? &bold : &font;
            for (unsigned c = 32; c < 127; c++)
                fprintf(stderr, "%s%u,", (c - 32) % 12 ? " " : "\n    ",
                        ttf_advance(f, ttf_glyph(f, c)));
            fputc('\n', stderr);
        }
    }
    assert_int_equal(bad, 0);
}

/* ------------------------------------------------------------ the charts */

static const char *const sizes[] = {"screen", "slide", "doc"};

/* Chart drawings run side by side (xargs -P, a process a core): each a
 * salescap command that writes SVGs into a folder of its own under tmp,
 * checked once all have run. */
#define BATCH_MAX 64

struct batch {
    char list[300]; /* the commands, one a line */
    FILE *f;
    char dir[BATCH_MAX][64]; /* the plots folders, under tmp */
    int n;
};

static void batch_open(struct batch *b)
{
    if (sh("command -v gnuplot >/dev/null") != 0)
        skip(); /* make test installs it (.ci/deps) */
    memset(b, 0, sizeof *b);
    snprintf(b->list, sizeof b->list, "%s/commands", tmp);
    b->f = fopen(b->list, "w");
    assert_non_null(b->f);
}

/* Adds `salescap ARGS --format svg -o tmp/NAME --plots tmp/NAME-p`. */
static void batch_add(struct batch *b, const char *name, const char *fmt, ...)
{
    char args[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    assert_true(b->n < BATCH_MAX);
    snprintf(b->dir[b->n++], sizeof b->dir[0], "%s-p", name);
    fprintf(b->f,
            "%s %s -q -j 1 --format svg -o '%s/%s' --plots '%s/%s-p' "
            "2>'%s/%s.err'\n",
            bin(), args, tmp, name, tmp, name, tmp, name);
}

/* Runs the batch, then checks every folder; returns the files checked. */
static int batch_run(struct batch *b, struct report *r)
{
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    int files = 0;
    assert_int_equal(fclose(b->f), 0);
    if (sh("xargs -d '\\n' -n 1 -P %ld sh -c <'%s'", cores > 1 ? cores : 2,
           b->list) != 0) {
        sh("cat '%s'/*.err", tmp);
        fail_msg("a salescap command of the batch failed:\n%s", b->list);
    }
    for (int i = 0; i < b->n; i++) {
        char plots[600];
        snprintf(plots, sizeof plots, "%s/%s", tmp, b->dir[i]);
        files += check_dir(plots, r);
    }
    return files;
}

/* Adds a sweep of every file of dir (-n 2). */
static void sweep_dir_files(struct batch *b, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    assert_non_null(d);
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n >= 5 && !strcmp(de->d_name + n - 4, ".ini"))
            batch_add(b, de->d_name, "sweep '%s/%s' -n 2", dir, de->d_name);
    }
    closedir(d);
}

/* Every file of scenarios/ run (-n 2), every sweep of scenarios/sweeps. */
static void test_scenario_files(void **state)
{
    (void)state;
    DIR *d = opendir("scenarios");
    struct dirent *de;
    struct report r = {0};
    struct batch b;
    int runs = 0;
    assert_non_null(d);
    batch_open(&b);
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 5 || strcmp(de->d_name + n - 4, ".ini"))
            continue;
        batch_add(&b, de->d_name, "run 'scenarios/%s' -n 2", de->d_name);
        runs++;
    }
    closedir(d);
    assert_true(runs >= 10);
    sweep_dir_files(&b, "scenarios/sweeps");
    expect_clean(&r, batch_run(&b, &r), 64);
}

/* The stress file at every size: eight charts (revenue_difference
 * among them) and eight dashboards; and dated, at the narrowest size,
 * with calendar quarters and with quarters named by their first day
 * (the widest tick labels). */
static void test_stress(void **state)
{
    (void)state;
    static const char *const dated[][2] = {{"dated-q", "2027-07-01"},
                                           {"dated-day", "2027-02-15"}};
    struct report r = {0};
    struct batch b;
    batch_open(&b);
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        batch_add(&b, sizes[i],
                  "run tests/data/layout_stress.ini -n 2 "
                  "--size %s",
                  sizes[i]);
    for (size_t i = 0; i < sizeof dated / sizeof *dated; i++)
        batch_add(&b, dated[i][0],
                  "run tests/data/layout_stress.ini -n 2 "
                  "--size doc --set simulation.start_date=%s",
                  dated[i][1]);
    int files = batch_run(&b, &r);
    for (int i = 0; i < b.n; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s/revenue_difference.svg", tmp,
                 b.dir[i]);
        if (access(path, R_OK) != 0)
            say(&r, "%s: not drawn", path);
    }
    expect_clean(&r, files, 5 * 16);
}

/* The charts only some files draw, at every size: the chance of making
 * plan (scenarios/plan.ini) and the tornado of a sensitivity analysis
 * (scenarios/uncertain.ini). */
static void test_plan_tornado(void **state)
{
    (void)state;
    struct report r = {0};
    struct batch b;
    char name[64];
    batch_open(&b);
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        snprintf(name, sizeof name, "plan-%s", sizes[i]);
        batch_add(&b, name, "run scenarios/plan.ini -n 2 --size %s", sizes[i]);
        snprintf(name, sizeof name, "tornado-%s", sizes[i]);
        batch_add(&b, name,
                  "sensitivity scenarios/uncertain.ini -n 8 "
                  "--size %s",
                  sizes[i]);
    }
    int files = batch_run(&b, &r);
    for (int i = 0; i < b.n; i++) {
        char path[600];
        snprintf(path, sizeof path, "%s/%s/%s.svg", tmp, b.dir[i],
                 i % 2 ? "tornado" : "plan");
        if (access(path, R_OK) != 0)
            say(&r, "%s: not drawn", path);
    }
    expect_clean(&r, files, 3 * (12 + 1));
}

/* The sweeps of tests/data at every size: a heatmap of 60 points, a
 * line, panels. */
static void test_sweep(void **state)
{
    (void)state;
    static const char *const files[] = {"layout_sweep", "layout_sweep_line",
                                        "layout_sweep_panels"};
    struct report r = {0};
    struct batch b;
    batch_open(&b);
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
            char name[64];
            snprintf(name, sizeof name, "%s-%s", files[k], sizes[i]);
            batch_add(&b, name, "sweep tests/data/%s.ini --size %s", files[k],
                      sizes[i]);
        }
    expect_clean(&r, batch_run(&b, &r), 9);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checker),
        cmocka_unit_test(test_width_table),
        cmocka_unit_test(test_scenario_files),
        cmocka_unit_test(test_stress),
        cmocka_unit_test(test_plan_tornado),
        cmocka_unit_test(test_sweep),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
