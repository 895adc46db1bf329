/*
 * sweep_out: the files of a sweep: the journal, sweep.csv (or a shard's
 * file), sweep.ini, and merging shards.
 *
 * The journal is the only file written while the sweep runs. Its first
 * line names the grid ("salescap sweep journal 1 hash=H points=P"); each
 * further line is one finished point, "POINT,POINTHASH,FIELDS\n", written
 * with one write() (so a killed process loses none) and fsynced at most
 * once a second, and at the end. A crash can only leave the last line
 * short of its "\n": reading ignores and truncates such a tail, and a
 * journal cut short within its first line counts as empty. Rows of
 * sweep.csv are the varied values followed by the FIELDS text itself,
 * read back from the journal at the end in grid order, so a resumed or
 * merged sweep.csv is the same bytes as an uninterrupted one, and no row
 * is held in memory meanwhile.
 *
 * The journal is read through the descriptor that holds its fcntl lock:
 * closing any other descriptor of the file would release the lock.
 */
#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "afile.h"
#include "output.h"
#include "sweep_int.h"

#define JOURNAL_MAGIC   SWEEP_JOURNAL_MAGIC
#define SYNC_INTERVAL_S 1.0

struct sweep_journal {
    int fd;
    char *path;
    int dirty;     /* appended since the last fsync */
    double synced; /* sweep_now() of the last fsync */
};

/* DIR/NAME of o's shard: "sweep.EXT" or "shard-K-of-N.EXT" (malloc'd). */
static char *out_path(const struct sweep_opts *o, const char *ext)
{
    size_t n = strlen(o->out_dir) + 64;
    char *p = malloc(n);
    if (!p)
        return NULL;
    if (o->shard_n > 0)
        snprintf(p, n, "%s/shard-%d-of-%d.%s", o->out_dir, o->shard_k,
                 o->shard_n, ext);
    else
        snprintf(p, n, "%s/sweep.%s", o->out_dir, ext);
    return p;
}

static void journal_header(const struct sweep *sw, char *buf, size_t n)
{
    snprintf(buf, n, JOURNAL_MAGIC " hash=%016" PRIx64 " points=%zu\n",
             sw->sweep_hash, sw->n_points);
}

/* Writes all of buf, through EINTR and short writes. */
static int write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, buf, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        buf += w;
        len -= (size_t)w;
    }
    return 0;
}

/* ------------------------------------------------------------ reading */

/* The journal's lines, one at a time, read with pread from fd. */
struct lines {
    int fd;
    char *buf;
    size_t cap, len, pos; /* buf[pos..len) not yet returned */
    off_t base;           /* file offset of buf[0] */
    int eof;
};

static void lines_init(struct lines *l, int fd)
{
    memset(l, 0, sizeof *l);
    l->fd = fd;
}

/* The next complete line (its '\n' replaced by a NUL) into *line, its
 * offset into *off. Returns 1, 0 at the end (*off: where the complete
 * lines end; a torn last line is never returned), -1 on a read error
 * (errno) or no memory (ENOMEM). */
static int lines_next(struct lines *l, char **line, off_t *off)
{
    for (;;) {
        char *nl = l->len > l->pos
                       ? memchr(l->buf + l->pos, '\n', l->len - l->pos)
                       : NULL;
        if (nl) {
            *nl = '\0';
            *line = l->buf + l->pos;
            *off = l->base + (off_t)l->pos;
            l->pos = (size_t)(nl - l->buf) + 1;
            return 1;
        }
        if (l->eof) {
            *off = l->base + (off_t)l->pos;
            return 0;
        }
        if (l->pos > 0)
            memmove(l->buf, l->buf + l->pos, l->len - l->pos);
        l->base += (off_t)l->pos;
        l->len -= l->pos;
        l->pos = 0;
        if (l->cap - l->len < 4096) {
            size_t cap = l->cap ? 2 * l->cap : 65536;
            char *b = realloc(l->buf, cap);
            if (!b) {
                errno = ENOMEM;
                return -1;
            }
            l->buf = b;
            l->cap = cap;
        }
        ssize_t r = pread(l->fd, l->buf + l->len, l->cap - l->len,
                          l->base + (off_t)l->len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            return -1;
        l->eof = r == 0;
        l->len += (size_t)r;
    }
}

/* Fields of a summary row: mean, sd, ci_low, ci_high, n, three per
 * extra metric, then replications. */
static size_t row_fields(const struct sweep *sw)
{
    return 6 + 3 * (size_t)(sw->n_metrics - 1);
}

/* Checks one journal line "POINT,HASH,FIELDS" and marks its point. */
static int take_line(const struct sweep *sw, const struct sweep_opts *o,
                     const char *path, long lineno, char *line,
                     unsigned char *done, size_t *resumed, struct err *e)
{
    char *end;
    errno = 0;
    unsigned long long p = strtoull(line, &end, 10);
    if (errno || end == line || *end != ',' || p >= sw->n_points ||
        !sweep_in_shard(o, (size_t)p))
        return err_at(e, ERR_CONFIG, path, (int)lineno,
                      "not a point of "
                      "this sweep; remove the journal or run without "
                      "--resume");
    char *hash = end + 1, *fields = strchr(hash, ',');
    uint64_t h = strtoull(hash, &end, 16);
    if (!fields || end != fields || h != sw->hash[p]) {
        char label[600];
        sweep_point_label(sw, (size_t)p, label, sizeof label);
        return err_at(e, ERR_CONFIG, path, (int)lineno,
                      "point %llu (%s) "
                      "was run with other parameters; remove the journal or "
                      "run without --resume",
                      p, label);
    }
    size_t commas = 0;
    for (const char *s = fields + 1; *s; s++)
        commas += *s == ',';
    if (commas + 1 != row_fields(sw))
        return err_at(e, ERR_CONFIG, path, (int)lineno,
                      "expected %zu "
                      "summary fields",
                      row_fields(sw));
    /* Each field a finite number (or empty: no interval), as written:
     * the line goes into sweep.csv as it is. */
    size_t k = 1;
    for (const char *f = fields + 1;; k++) {
        size_t n = strcspn(f, ",");
        char *stop;
        double x = n ? strtod(f, &stop) : 0.0;
        if (n && (stop != f + n || !isfinite(x)))
            return err_at(e, ERR_CONFIG, path, (int)lineno,
                          "summary field "
                          "%zu is '%.*s', not a number: the journal was "
                          "edited or damaged; remove it or run without "
                          "--resume",
                          k, (int)n, f);
        if (!f[n])
            break;
        f += n + 1;
    }
    if (done[p])
        return 0; /* a point journalled twice: the first line stands */
    done[p] = 1;
    (*resumed)++;
    return 0;
}

/* Reads the journal's points into done[]; *keep gets the length of its
 * complete lines. Returns 1 when the journal holds no more than the
 * start of its first line (a kill as it was started): start afresh. */
static int read_journal(const struct sweep *sw, const struct sweep_opts *o,
                        struct sweep_journal *jr, unsigned char *done,
                        size_t *resumed, off_t *keep, struct err *e)
{
    char head[128], *line;
    struct lines l;
    off_t off = 0;
    journal_header(sw, head, sizeof head);
    head[strlen(head) - 1] = '\0';
    lines_init(&l, jr->fd);
    int rc = lines_next(&l, &line, &off);
    if (rc == 0 && l.len <= strlen(head) &&
        (l.len == 0 || !memcmp(l.buf, head, l.len)))
        rc = 1; /* empty, or a header cut short */
    else if (rc >= 0 && (rc == 0 || strcmp(line, head) != 0))
        rc = err_at(e, ERR_CONFIG, jr->path, 1,
                    "the journal is of another "
                    "sweep (its grid, parameters or metrics changed); "
                    "remove it, or run without --resume to start over");
    else if (rc < 0)
        rc = err_set(e, ERR_RUNTIME, "%s: %s", jr->path, strerror(errno));
    else
        rc = 0;
    for (long lineno = 2; rc == 0; lineno++) {
        int got = lines_next(&l, &line, &off);
        if (got < 0)
            rc = err_set(e, ERR_RUNTIME, "%s: %s", jr->path, strerror(errno));
        else if (got == 0)
            break;
        else
            rc = take_line(sw, o, jr->path, lineno, line, done, resumed, e);
    }
    free(l.buf);
    *keep = off;
    return rc;
}

/* Takes an exclusive lock on fd so two sweeps cannot share a journal. */
static int lock_journal(int fd, const char *path, struct err *e)
{
    struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET};
    if (fcntl(fd, F_SETLK, &fl) == 0)
        return 0;
    return err_set(e, ERR_RUNTIME,
                   "%s: another salescap sweep is using "
                   "this journal",
                   path);
}

/* Opens an existing journal for --resume: reads it, truncates a torn last
 * line. Returns 1 when there is none (or none worth keeping). */
static int resume_journal(struct sweep_journal *jr, const struct sweep *sw,
                          const struct sweep_opts *o, unsigned char *done,
                          size_t *resumed, struct err *e)
{
    jr->fd = open(jr->path, O_RDWR | O_CLOEXEC);
    if (jr->fd < 0 && errno == ENOENT)
        return 1;
    if (jr->fd < 0)
        return err_set(e, ERR_RUNTIME, "%s: %s", jr->path, strerror(errno));
    if (lock_journal(jr->fd, jr->path, e))
        return -1;
    off_t keep = 0;
    int rc = read_journal(sw, o, jr, done, resumed, &keep, e);
    if (rc != 0)
        return rc;
    struct stat st;
    if (fstat(jr->fd, &st) != 0 ||
        (keep < st.st_size && ftruncate(jr->fd, keep) != 0) ||
        lseek(jr->fd, 0, SEEK_END) < 0)
        return err_set(e, ERR_RUNTIME, "%s: %s", jr->path, strerror(errno));
    return 0;
}

/* Starts an empty journal holding only its header. */
static int new_journal(struct sweep_journal *jr, const struct sweep *sw,
                       struct err *e)
{
    char head[128];
    if (jr->fd < 0)
        jr->fd = open(jr->path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (jr->fd < 0)
        return err_set(e, ERR_RUNTIME, "%s: %s", jr->path, strerror(errno));
    if (lock_journal(jr->fd, jr->path, e))
        return -1;
    journal_header(sw, head, sizeof head);
    if (ftruncate(jr->fd, 0) != 0 || lseek(jr->fd, 0, SEEK_SET) < 0 ||
        write_all(jr->fd, head, strlen(head)) != 0 || fsync(jr->fd) != 0)
        return err_set(e, ERR_RUNTIME, "%s: cannot write: %s", jr->path,
                       strerror(errno));
    jr->synced = sweep_now();
    return 0;
}

int sweep_journal_open(struct sweep_journal **out, const struct sweep *sw,
                       const struct sweep_opts *o, unsigned char *done,
                       size_t *resumed, struct err *e)
{
    *out = NULL;
    *resumed = 0;
    if (mkdir_p(o->out_dir, e) != 0)
        return -1;
    struct sweep_journal *jr = calloc(1, sizeof *jr);
    if (!jr)
        return err_oom(e);
    jr->fd = -1;
    jr->path = out_path(o, "journal");
    int rc = jr->path ? 0 : err_oom(e);
    if (rc == 0 && o->resume)
        rc = resume_journal(jr, sw, o, done, resumed, e);
    else if (rc == 0)
        rc = 1;
    if (rc == 1)
        rc = new_journal(jr, sw, e);
    if (rc) {
        sweep_journal_close(jr);
        return -1;
    }
    *out = jr;
    return 0;
}

int sweep_journal_sync(struct sweep_journal *jr, struct err *e)
{
    if (!jr || !jr->dirty)
        return 0;
    if (fsync(jr->fd) != 0)
        return err_set(e, ERR_RUNTIME, "%s: cannot write: %s", jr->path,
                       strerror(errno));
    jr->dirty = 0;
    jr->synced = sweep_now();
    return 0;
}

int sweep_journal_append(struct sweep_journal *jr, const struct sweep *sw,
                         size_t point, const char *row, struct err *e)
{
    size_t n = strlen(row) + 64;
    char *line = malloc(n);
    if (!line)
        return err_oom(e);
    int len = snprintf(line, n, "%zu,%016" PRIx64 ",%s\n", point,
                       sw->hash[point], row);
    int rc = write_all(jr->fd, line, (size_t)len) != 0
                 ? err_set(e, ERR_RUNTIME, "%s: cannot write: %s", jr->path,
                           strerror(errno))
                 : 0;
    free(line);
    jr->dirty |= rc == 0;
    if (rc == 0 && sweep_now() - jr->synced >= SYNC_INTERVAL_S)
        rc = sweep_journal_sync(jr, e);
    return rc;
}

void sweep_journal_close(struct sweep_journal *jr)
{
    if (!jr)
        return;
    if (jr->fd >= 0) {
        if (jr->dirty)
            fsync(jr->fd);
        close(jr->fd);
    }
    free(jr->path);
    free(jr);
}

/* ------------------------------------------------------------ results */

/* Writes the varied values of point as CSV fields, each followed by ','. */
static void value_fields(FILE *f, const struct sweep *sw, size_t point)
{
    for (size_t k = 0; k < sw->n_params; k++) {
        const struct sweep_param *pa = &sw->params[k];
        output_csv_field(f, pa->values[sweep_value_index(sw, point, k)]);
        fputc(',', f);
    }
}

/* The offset in the journal of each point's FIELDS (the first line of a
 * point counts), -1 for none. */
static off_t *index_journal(struct sweep_journal *jr, const struct sweep *sw,
                            struct err *e)
{
    off_t *at = malloc(sw->n_points * sizeof *at), off;
    struct lines l;
    char *line;
    int rc = at ? 1 : -1;
    if (!at) {
        err_oom(e);
        return NULL;
    }
    for (size_t p = 0; p < sw->n_points; p++)
        at[p] = -1;
    lines_init(&l, jr->fd);
    for (long lineno = 1; rc == 1; lineno++) {
        rc = lines_next(&l, &line, &off);
        char *end, *f = rc == 1 && lineno > 1 ? strchr(line, ',') : NULL;
        unsigned long long p = f ? strtoull(line, &end, 10) : 0;
        f = f ? strchr(f + 1, ',') : NULL;
        if (f && p < sw->n_points && at[p] < 0)
            at[p] = off + (f + 1 - line);
    }
    free(l.buf);
    if (rc < 0) {
        err_set(e, ERR_RUNTIME, "%s: %s", jr->path, strerror(errno));
        free(at);
        return NULL;
    }
    return at;
}

/* The FIELDS at offset off of the journal into *buf (grown; NUL-
 * terminated at the line end). */
static int fields_at(int fd, off_t off, char **buf, size_t *cap)
{
    size_t len = 0;
    for (;;) {
        if (*cap - len < 256) {
            size_t c = *cap ? 2 * *cap : 4096;
            char *b = realloc(*buf, c);
            if (!b)
                return -1;
            *buf = b;
            *cap = c;
        }
        ssize_t r = pread(fd, *buf + len, *cap - len - 1, off + (off_t)len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        char *nl = memchr(*buf + len, '\n', (size_t)r);
        len += (size_t)r;
        if (nl) {
            *nl = '\0';
            return 0;
        }
    }
}

/* Keeps point's row among the highest and lowest means seen. */
static void rank_row(struct sweep_report *rep, size_t point, const char *fields,
                     size_t seen)
{
    struct sweep_top t = {.point = point, .lo = NAN, .hi = NAN};
    char *end;
    const char *f = fields;
    double x[5];
    for (int i = 0; i < 5; i++) {
        x[i] = *f && *f != ',' ? strtod(f, &end) : NAN;
        f += strcspn(f, ",");
        f += *f == ',';
    }
    if (isnan(x[0]))
        return; /* no mean to rank */
    t.mean = x[0];
    t.lo = x[2];
    t.hi = x[3];
    t.n = (long)x[4];
    for (int side = 0; side < 2; side++) {
        struct sweep_top *a = side ? rep->bottom : rep->top;
        size_t n = seen < SWEEP_TOP_N ? seen : SWEEP_TOP_N, i = n;
        while (i > 0 &&
               (side ? t.mean < a[i - 1].mean : t.mean > a[i - 1].mean))
            i--;
        if (i >= SWEEP_TOP_N)
            continue;
        memmove(&a[i + 1], &a[i], (n - i - (n == SWEEP_TOP_N)) * sizeof *a);
        a[i] = t;
    }
}

/* The replications field: the last one. */
static long row_replications(const char *fields)
{
    const char *c = strrchr(fields, ',');
    return strtol(c ? c + 1 : fields, NULL, 10);
}

static int write_csv(const struct sweep *sw, const struct sweep_opts *o,
                     struct sweep_journal *jr, const char *path,
                     struct sweep_report *rep, struct err *e)
{
    char *head = sweep_csv_header(sw), *row = NULL;
    size_t cap = 0, ranked = 0;
    off_t *at = head ? index_journal(jr, sw, e) : NULL;
    struct afile a;
    int rc = !head ? err_oom(e) : !at ? -1 : afile_open(&a, path, e);
    if (rc != 0) {
        free(head);
        free(at);
        return -1;
    }
    fprintf(a.f, "%s%s\n", o->shard_n > 0 ? "point," : "", head);
    rep->reps_min = rep->reps_max = 0;
    for (size_t p = 0; rc == 0 && p < sw->n_points; p++) {
        if (!sweep_in_shard(o, p))
            continue;
        assert(at[p] >= 0);
        if (fields_at(jr->fd, at[p], &row, &cap) != 0) {
            rc = err_set(e, ERR_RUNTIME, "%s: cannot read: %s", jr->path,
                         strerror(errno));
            break;
        }
        if (o->shard_n > 0)
            fprintf(a.f, "%zu,", p);
        value_fields(a.f, sw, p);
        fprintf(a.f, "%s\n", row);
        long r = row_replications(row);
        if (ranked == 0 || r < rep->reps_min)
            rep->reps_min = r;
        if (ranked == 0 || r > rep->reps_max)
            rep->reps_max = r;
        rank_row(rep, p, row, ranked++);
    }
    rep->n_top = ranked < SWEEP_TOP_N ? ranked : SWEEP_TOP_N;
    free(row);
    free(head);
    free(at);
    if (rc == 0 && ferror(a.f))
        rc = err_set(e, ERR_RUNTIME, "%s: cannot write", path);
    if (rc != 0) {
        afile_abort(&a);
        return -1;
    }
    return afile_commit(&a, e);
}

/* Writes "key = value" when inih can read it back unchanged: no control
 * character, no " ;", and a line under 200 bytes, a value being cut
 * (at a character boundary) to fit. A [vary] line fits uncut: it was
 * read from such a line. */
static void ini_line(FILE *f, const char *key, const char *value)
{
    char v[200];
    size_t room = sizeof v - strlen(key) - 4, n = strlen(value);
    if (strlen(key) > 150)
        return;
    if (n >= room) {
        n = room - 1;
        while (n > 0 && ((unsigned char)value[n] & 0xC0) == 0x80)
            n--; /* not inside a UTF-8 sequence */
    }
    memcpy(v, value, n);
    v[n] = '\0';
    for (const char *s = v; *s; s++)
        if ((unsigned char)*s < 0x20 || (*s == ';' && s > v && s[-1] == ' '))
            return;
    fprintf(f, "%s = %s\n", key, v);
}

static const char *metric_name(int m)
{
    return m == SWEEP_LOST_REVENUE ? "lost_revenue" : metric_table[m].name;
}

/* The axis label of a metric and its unit. */
static void metric_label(int m, char *buf, size_t n, const char **unit)
{
    if (m == SWEEP_LOST_REVENUE) {
        snprintf(buf, n, "Revenue lost vs the baseline");
        *unit = "$";
        return;
    }
    snprintf(buf, n, "Change in %s vs the baseline", metric_table[m].label);
    *unit = metric_table[m].unit;
}

static void write_ini_sweep(FILE *f, const struct sweep *sw,
                            const struct params *p, int scen)
{
    char buf[256];
    const char *unit;
    ini_line(f, "source", sw->path);
    ini_line(f, "file", sw->model);
    if (sw->scen_param < 0) {
        ini_line(f, "scenario", sw->scenario);
        ini_line(f, "scenario_title", p->scenarios[scen].title);
    } else {
        ini_line(f, "scenario_title", "Each scenario");
    }
    if (sw->title)
        ini_line(f, "title", sw->title);
    if (sw->precision > 0.0)
        fprintf(f, "precision = %.17g\nmax_replications = %ld\n", sw->precision,
                sw->max_replications);
    else
        fprintf(f, "replications = %ld\n", sw->replications);
    fprintf(f, "seed = %llu\n", (unsigned long long)p->sim.seed);
    fprintf(f, "metric = %s\n", metric_name(sw->metrics[0]));
    for (int k = 1; k < sw->n_metrics; k++)
        fprintf(f, "%s%s%s", k == 1 ? "metrics = " : ", ",
                metric_name(sw->metrics[k]),
                k + 1 == sw->n_metrics ? "\n" : "");
    metric_label(sw->metrics[0], buf, sizeof buf, &unit);
    ini_line(f, "metric_label", buf);
    ini_line(f, "metric_unit", unit);
    if (sw->q0)
        fprintf(f, "quarters = %d-%d\n", sw->q0, sw->q1);
    else
        fprintf(f, "quarters = all\n");
    fprintf(f, "zip = %s\npoints = %zu\nhash = %016" PRIx64 "\n",
            sw->zip ? "true" : "false", sw->n_points, sw->sweep_hash);
}

static int write_ini(const struct sweep *sw, const struct sweep_opts *o,
                     struct err *e)
{
    struct params p;
    int scen, w0, w1;
    char path[4200];
    snprintf(path, sizeof path, "%s/sweep.ini", o->out_dir);
    if (sweep_point_params(sw, 0, &p, &scen, &w0, &w1, e) != 0)
        return -1;
    struct afile a;
    if (afile_open(&a, path, e) != 0) {
        params_destroy(&p);
        return -1;
    }
    fputs("; What salescap sweep ran, for salescap plot and --merge. The\n"
          "; rows of sweep.csv are the grid points; see docs/cluster.md.\n"
          "[sweep]\n",
          a.f);
    write_ini_sweep(a.f, sw, &p, scen);
    fputs("\n[vary]\n", a.f);
    for (size_t k = 0; k < sw->n_params; k++)
        ini_line(a.f, sw->params[k].name, sw->params[k].spec);
    params_destroy(&p);
    return afile_commit(&a, e);
}

int sweep_write_results(const struct sweep *sw, const struct sweep_opts *o,
                        struct sweep_journal *jr, struct sweep_report *rep,
                        struct err *e)
{
    char *path = out_path(o, "csv");
    if (!path)
        return err_oom(e);
    snprintf(rep->csv, sizeof rep->csv, "%s", path);
    int rc = write_csv(sw, o, jr, path, rep, e);
    free(path);
    return rc == 0 ? write_ini(sw, o, e) : -1;
}
