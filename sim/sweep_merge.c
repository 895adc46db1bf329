/*
 * sweep_merge: shard files (shard-K-of-N.csv) back into one sweep.csv.
 *
 * A shard file is sweep.csv with a leading "point" column, holding only
 * its shard's rows; its folder's sweep.ini names the grid (points, hash).
 * Merging drops the point column and puts the rows in point order, so the
 * result is byte for byte the sweep.csv of an unsharded run. The rows are
 * copied as text: nothing is parsed or reformatted.
 *
 * Invariant while merging: rows[p] is the text of point p after
 * "POINT,", and from[p] the file it came from, or both NULL.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "afile.h"
#include "csvread.h"
#include "sweep_int.h"

#define MISSING_SHOWN 5

/* What the merge has gathered. */
struct merge {
    char **files; /* shard files, in the order given, sorted */
    size_t nfiles;
    char *ini; /* the first sweep.ini's text */
    size_t ini_len;
    char *ini_path;
    unsigned long long points;
    char *hash;
    char *header; /* the shard header line, "point,..." */
    char **rows;
    const char **from;
};

static int push_file(struct merge *m, const char *dir, const char *name,
                     struct err *e)
{
    char **nf = realloc(m->files, (m->nfiles + 1) * sizeof *nf);
    if (!nf)
        return err_oom(e);
    m->files = nf;
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p)
        return err_oom(e);
    snprintf(p, n, "%s%s%s", dir, *dir ? "/" : "", name);
    m->files[m->nfiles++] = p;
    return 0;
}

/* Whether name is "shard-K-of-N.csv". */
static int is_shard_name(const char *name)
{
    int k, n, end = 0;
    return sscanf(name, "shard-%d-of-%d.csv%n", &k, &n, &end) == 2 && end > 0 &&
           name[end] == '\0' && k >= 1 && k <= n;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds the shard files of folder dir, in name order. */
static int scan_dir(struct merge *m, const char *dir, struct err *e)
{
    DIR *d = opendir(dir);
    if (!d)
        return err_set(e, ERR_RUNTIME, "%s: %s", dir, strerror(errno));
    size_t first = m->nfiles;
    int rc = 0;
    for (struct dirent *de; rc == 0 && (de = readdir(d));)
        if (is_shard_name(de->d_name))
            rc = push_file(m, dir, de->d_name, e);
    closedir(d);
    if (rc == 0 && m->nfiles == first)
        return err_set(e, ERR_CONFIG, "%s: no shard-K-of-N.csv files", dir);
    qsort(m->files + first, m->nfiles - first, sizeof *m->files, cmp_str);
    return rc;
}

/* The folder of a file path ("." when it has none), malloc'd. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
}

/* Reads [sweep] points and hash of the sweep.ini beside a shard. */
static int read_ini(const char *shard, unsigned long long *points, char **hash,
                    char **path, struct err *e)
{
    char *dir = dir_of(shard);
    if (!dir)
        return err_oom(e);
    *path = malloc(strlen(dir) + 12);
    if (*path)
        sprintf(*path, "%s/sweep.ini", dir);
    free(dir);
    if (!*path)
        return err_oom(e);
    struct config c;
    if (config_load(&c, *path, e) != 0)
        return -1;
    const struct config_entry *p = config_find(&c, "sweep", "points");
    const struct config_entry *h = config_find(&c, "sweep", "hash");
    char *end = NULL;
    if (p)
        *points = strtoull(p->value, &end, 10);
    int rc = !p || !h || *end || !*points
                 ? err_set(e, ERR_CONFIG,
                           "%s: no [sweep] points and hash: "
                           "not written by salescap sweep",
                           *path)
                 : 0;
    if (rc == 0 && !(*hash = strdup(h->value)))
        rc = err_oom(e);
    config_destroy(&c);
    return rc;
}

/* The grid hash in the journal beside shard file f (shard-K-of-N.journal,
 * first line), into hash. Returns 0 when there is none to read (shard
 * files may be gathered without their journals). */
static int journal_hash(const char *f, char hash[17])
{
    size_t n = strlen(f);
    char path[4200];
    if (n < 4 || strcmp(f + n - 4, ".csv") ||
        (size_t)snprintf(path, sizeof path, "%.*s.journal", (int)(n - 4), f) >=
            sizeof path)
        return 0;
    FILE *j = fopen(path, "r");
    if (!j)
        return 0;
    char line[128];
    unsigned long long points;
    int ok = fgets(line, sizeof line, j) &&
             sscanf(line, SWEEP_JOURNAL_MAGIC " hash=%16[0-9a-f] points=%llu",
                    hash, &points) == 2;
    fclose(j);
    return ok;
}

/* Checks that shard file f belongs to the same grid as the first one:
 * the sweep.ini beside it, and the journal it was run with. Shards that
 * share a folder share one sweep.ini, the last one written: a shard run
 * again with another --set, -n or edited file would pass that check,
 * but not its journal's. */
static int check_grid(struct merge *m, const char *f, struct err *e)
{
    unsigned long long points = 0;
    char *hash = NULL, *path = NULL, jhash[17];
    int rc = read_ini(f, &points, &hash, &path, e);
    if (rc == 0 && journal_hash(f, jhash) && strcmp(jhash, hash))
        rc = err_set(e, ERR_CONFIG,
                     "%s was run with other settings than "
                     "%s records (the grid hash in its journal differs): "
                     "the shards in that folder come from different "
                     "sweeps; run them again with the same files and "
                     "options",
                     f, path);
    if (rc != 0) {
        free(hash);
        free(path);
        return -1;
    }
    if (rc == 0 && !m->hash) {
        m->points = points;
        m->hash = hash;
        m->ini_path = path;
        m->rows = calloc(points, sizeof *m->rows);
        m->from = calloc(points, sizeof *m->from);
        m->ini = csv_slurp(path, &m->ini_len, e);
        if (!m->rows || !m->from)
            return err_oom(e);
        return m->ini ? 0 : -1;
    }
    if (rc == 0 && (points != m->points || strcmp(hash, m->hash)))
        rc = err_set(e, ERR_CONFIG,
                     "%s is of another sweep than %s (its "
                     "hash or size differs)",
                     path, m->ini_path);
    free(hash);
    free(path);
    return rc;
}

/* Takes one data line "POINT,REST" of shard file f. */
static int take_row(struct merge *m, const char *f, int lineno, char *line,
                    struct err *e)
{
    char *end;
    errno = 0;
    unsigned long long p = strtoull(line, &end, 10);
    if (errno || end == line || *end != ',' || p >= m->points)
        return err_at(e, ERR_CONFIG, f, lineno,
                      "expected a point number "
                      "below %llu",
                      m->points);
    if (m->rows[p])
        return err_at(e, ERR_CONFIG, f, lineno, "point %llu is also in %s", p,
                      m->from[p]);
    m->rows[p] = strdup(end + 1);
    m->from[p] = f;
    return m->rows[p] ? 0 : err_oom(e);
}

/* Reads one shard file into the rows. */
static int read_shard(struct merge *m, const char *f, struct err *e)
{
    size_t len = 0;
    char *text = csv_slurp(f, &len, e);
    if (!text)
        return -1;
    char *nl = strchr(text, '\n');
    int rc = 0;
    if (!nl || strncmp(text, "point,", 6))
        rc = err_at(e, ERR_CONFIG, f, 1,
                    "not a shard file (its header "
                    "must start with 'point,')");
    if (rc == 0)
        *nl = '\0';
    if (rc == 0 && !m->header && !(m->header = strdup(text)))
        rc = err_oom(e);
    if (rc == 0 && strcmp(m->header, text))
        rc = err_at(e, ERR_CONFIG, f, 1, "its columns differ from %s's",
                    m->files[0]);
    int lineno = 2;
    for (char *s = nl + 1; rc == 0 && *s; lineno++) {
        char *end = strchr(s, '\n');
        if (!end)
            rc = err_at(e, ERR_CONFIG, f, lineno, "incomplete last line");
        if (rc == 0) {
            *end = '\0';
            rc = take_row(m, f, lineno, s, e);
            s = end + 1;
        }
    }
    free(text);
    return rc;
}

/* Fails unless every point has a row. */
static int check_complete(const struct merge *m, struct err *e)
{
    char list[256] = "";
    size_t len = 0, missing = 0;
    for (unsigned long long p = 0; p < m->points; p++) {
        if (m->rows[p])
            continue;
        if (++missing <= MISSING_SHOWN && len < sizeof list)
            len += (size_t)snprintf(list + len, sizeof list - len, "%s%llu",
                                    missing > 1 ? ", " : "", p);
    }
    if (!missing)
        return 0;
    return err_set(e, ERR_CONFIG,
                   "%zu of %llu points are in no shard file "
                   "(points %s%s); is a shard missing or unfinished?",
                   missing, m->points, list,
                   missing > MISSING_SHOWN ? ", ..." : "");
}

static int write_merged(const struct merge *m, const char *out, struct err *e)
{
    char path[4200];
    if (mkdir_p(out, e) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/sweep.csv", out);
    struct afile a;
    if (afile_open(&a, path, e) != 0)
        return -1;
    fprintf(a.f, "%s\n", m->header + 6);
    for (unsigned long long p = 0; p < m->points; p++)
        fprintf(a.f, "%s\n", m->rows[p]);
    if (ferror(a.f)) {
        afile_abort(&a);
        return err_set(e, ERR_RUNTIME, "%s: cannot write", path);
    }
    if (afile_commit(&a, e) != 0)
        return -1;
    snprintf(path, sizeof path, "%s/sweep.ini", out);
    return afile_write(path, m->ini, m->ini_len, e);
}

static void merge_destroy(struct merge *m)
{
    for (size_t i = 0; i < m->nfiles; i++)
        free(m->files[i]);
    for (unsigned long long p = 0; m->rows && p < m->points; p++)
        free(m->rows[p]);
    free(m->files);
    free(m->ini);
    free(m->ini_path);
    free(m->hash);
    free(m->header);
    free(m->rows);
    free(m->from);
}

/* Lists the shard files of every source: folders are scanned. */
static int gather(struct merge *m, char *const *srcs, int n, struct err *e)
{
    for (int i = 0; i < n; i++) {
        struct stat st;
        if (stat(srcs[i], &st) != 0)
            return err_set(e, ERR_CONFIG, "%s: %s", srcs[i], strerror(errno));
        const char *base = strrchr(srcs[i], '/');
        base = base ? base + 1 : srcs[i];
        if (!S_ISDIR(st.st_mode) && !is_shard_name(base))
            return err_set(e, ERR_CONFIG,
                           "%s: not a shard file "
                           "(shard-K-of-N.csv) or a folder of them; --merge "
                           "OUT takes the shards' folders, not the sweep "
                           "file",
                           srcs[i]);
        int rc = S_ISDIR(st.st_mode) ? scan_dir(m, srcs[i], e)
                                     : push_file(m, "", srcs[i], e);
        if (rc)
            return -1;
    }
    return 0;
}

long sweep_merge(const char *out_dir, char *const *srcs, int n, struct err *e)
{
    struct merge m = {0};
    int rc = gather(&m, srcs, n, e);
    for (size_t i = 0; rc == 0 && i < m.nfiles; i++) {
        rc = check_grid(&m, m.files[i], e);
        if (rc == 0)
            rc = read_shard(&m, m.files[i], e);
    }
    if (rc == 0)
        rc = check_complete(&m, e);
    if (rc == 0)
        rc = write_merged(&m, out_dir, e);
    long points = rc == 0 ? (long)m.points : -1;
    merge_destroy(&m);
    return points;
}
