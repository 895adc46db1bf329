/*
 * cmd_import: `salescap import EXPORT.csv -o company.ini`.
 *
 * Reads a CRM's opportunity export (crm.h), estimates the sales process
 * from it and writes an includable INI with every value's source, the
 * targets and the data-quality report. A file that cannot be used writes
 * nothing (the INI appears whole or not at all, afile.h) and exits 2.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "afile.h"
#include "cli.h"
#include "crm.h"

enum {
    OPT_COLUMNS = 256,
    OPT_WON,
    OPT_LOST,
    OPT_DATE_FORMAT,
    OPT_AS_OF,
    OPT_SINCE
};

struct import_args {
    struct crm_opts o;
    const char *file, *out;
    int quiet;
};

static int parse_day(const char *opt, const char *s, double *out)
{
    if (crm_parse_date(s, CRM_DATE_AUTO, out) == 0)
        return 0;
    cli_error("%s: expected a date as YYYY-MM-DD, got '%s'", opt, s);
    return EXIT_USAGE;
}

static int take(struct import_args *a, int c, const char *arg)
{
    switch (c) {
    case 'o':
        a->out = arg;
        return cli_path_value("-o", arg);
    case 'q':
        a->quiet = 1;
        return 0;
    case OPT_COLUMNS:
        a->o.columns = arg;
        return 0;
    case OPT_WON:
        a->o.won = arg;
        return 0;
    case OPT_LOST:
        a->o.lost = arg;
        return 0;
    case OPT_DATE_FORMAT:
        if (!strcmp(arg, "mdy") || !strcmp(arg, "dmy")) {
            a->o.datefmt = arg[0] == 'm' ? CRM_DATE_MDY : CRM_DATE_DMY;
            return 0;
        }
        cli_error("--date-format: expected mdy (M/D/YYYY) or dmy "
                  "(D/M/YYYY), got '%s'",
                  arg);
        return EXIT_USAGE;
    case OPT_AS_OF:
        a->o.has_as_of = 1;
        return parse_day("--as-of", arg, &a->o.as_of);
    case OPT_SINCE:
        a->o.has_since = 1;
        return parse_day("--since", arg, &a->o.since);
    default:
        return EXIT_USAGE;
    }
}

/* Returns -1 to go on, else the exit status to return now. */
static int parse_args(struct import_args *a, int argc, char **argv)
{
    static const struct option opts[] = {
        {"out", required_argument, NULL, 'o'},
        {"columns", required_argument, NULL, OPT_COLUMNS},
        {"won", required_argument, NULL, OPT_WON},
        {"lost", required_argument, NULL, OPT_LOST},
        {"date-format", required_argument, NULL, OPT_DATE_FORMAT},
        {"as-of", required_argument, NULL, OPT_AS_OF},
        {"since", required_argument, NULL, OPT_SINCE},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:qh", opts, NULL)) != -1) {
        if (c == 'h')
            return cli_help("import");
        if (c == '?')
            return cli_bad_option("import", opts, "o:qh", argv);
        int rc = take(a, c, optarg);
        if (rc)
            return rc;
    }
    if (optind != argc - 1) {
        cli_error("import takes one EXPORT.csv (try 'salescap help "
                  "import')");
        return EXIT_USAGE;
    }
    a->file = argv[optind];
    if (!a->out) {
        cli_error("import: name the INI to write with -o FILE.ini");
        return EXIT_USAGE;
    }
    if (afile_same(a->file, a->out)) {
        cli_error("-o %s: the INI would replace the export it reads", a->out);
        return EXIT_USAGE;
    }
    return -1;
}

static int write_ini(const struct import_args *a, const struct crm_export *x,
                     const struct crm_estimates *est, struct err *e)
{
    struct afile af = {0};
    if (afile_check_file(a->out, e) || afile_open(&af, a->out, e))
        return -1;
    const char *slash = strrchr(a->out, '/');
    if (crm_write_ini(af.f, x, est, slash ? slash + 1 : a->out)) {
        afile_abort(&af);
        return err_set(e, ERR_RUNTIME, "%s: write error", a->out);
    }
    return afile_commit(&af, e);
}

int cmd_import(int argc, char **argv)
{
    struct import_args a;
    memset(&a, 0, sizeof a);
    a.o.today = floor((double)time(NULL) / 86400.0);
    int rc = parse_args(&a, argc, argv);
    if (rc >= 0)
        return rc;
    struct crm_export x;
    struct crm_estimates est;
    struct err e = {0};
    memset(&est, 0, sizeof est);
    if (crm_read(&x, a.file, &a.o, &e) == 0 &&
        crm_estimate(&x, &est, &e) == 0 && write_ini(&a, &x, &est, &e) == 0) {
        if (!a.quiet) {
            crm_print_summary(stdout, &x, &est);
            printf("wrote %s\n", a.out);
        }
        rc = 0;
    } else {
        cli_error("%s", e.msg);
        rc = e.kind == ERR_RUNTIME ? EXIT_RUNTIME : EXIT_USAGE;
    }
    crm_estimates_destroy(&est);
    crm_destroy(&x);
    return rc;
}
