/*
 * test_install: what `make install` puts beside the binary: the man page,
 * with the installed folders named in place of PREFIX, and every document
 * it names, with the charts those show; `make uninstall` removes them.
 * Runs `make install-doc` and `make uninstall` (the part of install that
 * needs no build) into a scratch DESTDIR with PREFIX=/opt/sc. Run from
 * the repository root, as `make test-run` does.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <ctype.h>

#include "robust_util.h"

#define PREFIX "/opt/sc"
#define DOCDIR PREFIX "/share/doc/salescap"
#define MAN1   PREFIX "/share/man/man1/salescap.1"

/* Runs `make TARGET` with DESTDIR=dest and PREFIX; make's own variables
 * are dropped so that the make running the tests passes on no jobserver. */
static int make_target(const char *target, const char *dest)
{
    char cmd[1024];
    ru_fmt(cmd, sizeof cmd,
           "env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s %s "
           "DESTDIR='%s' PREFIX=" PREFIX " >/dev/null",
           target, dest);
    return system(cmd);
}

/* Whether DEST/DIR/NAME exists; says so when it does not. */
static int installed(const char *dest, const char *dir, const char *name)
{
    char full[4096];
    struct stat st;
    ru_fmt(full, sizeof full, "%s%s/%s", dest, dir, name);
    if (stat(full, &st) == 0)
        return 1;
    print_error("%s/%s: named, not installed\n", dir, name);
    return 0;
}

/* The documents the man page names (docs/model.md, model.md): each name
 * of [a-z_] before ".md". Returns how many; counts the missing in *bad. */
static int man_docs(const char *man, const char *dest, int *bad)
{
    int n = 0;
    for (const char *p = strstr(man, ".md"); p; p = strstr(p + 3, ".md")) {
        const char *b = p;
        while (b > man && (islower((unsigned char)b[-1]) || b[-1] == '_'))
            b--;
        char name[256];
        ru_fmt(name, sizeof name, "%.*s.md", (int)(p - b), b);
        n++;
        *bad += b == p || !installed(dest, DOCDIR, name);
    }
    return n;
}

/* The files a Markdown text links, [text](FILE) or ![chart](img/FILE),
 * past the anchors. Returns how many; counts the missing in *bad. */
static int md_links(const char *text, const char *dest, int *bad)
{
    int n = 0;
    for (const char *p = strstr(text, "]("); p; p = strstr(p + 2, "](")) {
        size_t len = strcspn(p + 2, ")#\n");
        if (len == 0 || !strncmp(p + 2, "http", 4))
            continue;
        char name[256];
        ru_fmt(name, sizeof name, "%.*s", (int)len, p + 2);
        n++;
        *bad += !installed(dest, DOCDIR, name);
    }
    return n;
}

static void test_install_docs(void **state)
{
    (void)state;
    char dest[256], path[4096];
    ru_mkdtemp(dest, sizeof dest, "install");
    assert_int_equal(make_target("install-doc", dest), 0);

    ru_fmt(path, sizeof path, "%s" MAN1, dest);
    char *man = ru_read_file(path, NULL);
    assert_non_null(man);
    /* The installed page says where the documents are, not PREFIX. */
    assert_null(strstr(man, "PREFIX/"));
    assert_non_null(strstr(man, ".IR " DOCDIR "/ :\n"));
    int bad = 0;
    /* docs/model.md, docs/config.md, docs/guide.md, ... and the SEE
     * ALSO's nine. */
    assert_true(man_docs(man, dest, &bad) >= 12);
    free(man);

    /* Every installed document's links: the charts it shows, the other
     * documents. */
    ru_fmt(path, sizeof path, "%s" DOCDIR, dest);
    DIR *d = opendir(path);
    assert_non_null(d);
    struct dirent *de;
    int docs = 0, links = 0;
    while ((de = readdir(d))) {
        size_t n = strlen(de->d_name);
        if (n < 4 || strcmp(de->d_name + n - 3, ".md"))
            continue;
        char md[4400];
        ru_fmt(md, sizeof md, "%s/%s", path, de->d_name);
        char *text = ru_read_file(md, NULL);
        assert_non_null(text);
        docs++;
        links += md_links(text, dest, &bad);
        free(text);
    }
    closedir(d);
    assert_true(docs >= 9);
    assert_true(links >= 12);
    if (bad)
        fail_msg("%d files named but not installed", bad);

    assert_int_equal(make_target("uninstall", dest), 0);
    ru_fmt(path, sizeof path, "%s" PREFIX "/share/doc", dest);
    assert_int_equal(ru_count_files(path, NULL), 0);
    ru_fmt(path, sizeof path, "%s" PREFIX "/share/man/man1", dest);
    assert_int_equal(ru_count_files(path, NULL), 0);
    ru_fmt(path, sizeof path, "rm -rf '%s'", dest);
    assert_int_equal(system(path), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_install_docs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
