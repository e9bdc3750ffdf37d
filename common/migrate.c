/*
 * migrate.c -- the migration engine: scan sets on disk, compare with
 * ops.schema_migrations, apply / revert / verify / seed, each file in its own
 * transaction under one advisory lock, and map a server error to "path:LINE: message".
 * Owns ops.schema_migrations (created here, not by a migration). Does not own the
 * command line or config (supervisor/cmd_migrate.c) nor connections (db.c).
 * Prints only to the FILE streams the caller passes in mig_opts.
 * Tests: tests/unit/t_migrate_lines.c, tests/integration/t_migrate*.sh
 */
#include "config.h"
#include "migrate.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "digest.h"

#define MIG_LOCK_KEY "6004225862637470768"   /* "STEWARD0": one lock for all runners */

struct mig_entry {
    const char *set;            /* borrowed from the opts */
    size_t set_idx;
    long long version;
    char *name;                 /* "claims" */
    char *stem;                 /* "0002_claims" (file name without .up.sql) */
    char *up_path;              /* NULL when the up file is missing */
    char *down_path;            /* NULL when there is no down file */
    char checksum[DIGEST_SHA256_HEXLEN];    /* of the up file, "" when missing */
    bool applied;
    char *db_checksum;
    char *applied_at;           /* ISO 8601 UTC */
    long applied_order;         /* rank by applied_at (0 = oldest) */
};

struct mig_plan {
    struct mig_entry *v;
    size_t n, cap;
    bool table_exists;
};

enum mig_state { MIG_PENDING, MIG_APPLIED, MIG_CHANGED, MIG_MISSING };

static const char *const mig_state_names[] = { "pending", "applied", "CHANGED", "MISSING" };

/* ---- error position -> line ------------------------------------------------------- */

/* See migrate.h. */
int
mig_line_of(const char *text, int position)
{
    int line = 1, chars = 0;

    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if ((*p & 0xc0) == 0x80)        /* UTF-8 continuation byte: same character */
            continue;
        if (++chars >= position)
            break;
        if (*p == '\n')
            line++;
    }
    return line;
}

static int
mig_chars(const char *text, size_t nbytes)
{
    int chars = 0;

    for (size_t i = 0; i < nbytes && text[i]; i++)
        if (((unsigned char)text[i] & 0xc0) != 0x80)
            chars++;
    return chars;
}

/* Skip a quoted run starting at p (the opening quote); returns the char after it. */
static const char *
mig_skip_quoted(const char *p, char q, bool backslash, int *line)
{
    for (p++; *p; p++) {
        if (*p == '\n')
            (*line)++;
        else if (backslash && *p == '\\' && p[1] != '\0')
            p++;
        else if (*p == q && p[1] == q)
            p++;
        else if (*p == q)
            return p + 1;
    }
    return p;
}

/* At a '$': the end of a dollar-quoted body, or NULL when this is no dollar quote. */
static const char *
mig_skip_dollar(const char *text, const char *p, int *line)
{
    const char *t = p + 1, *end;
    size_t taglen;

    if (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
        return NULL;                    /* part of an identifier */
    if (isdigit((unsigned char)*t))
        return NULL;                    /* $1 parameter */
    while (isalnum((unsigned char)*t) || *t == '_')
        t++;
    if (*t != '$')
        return NULL;
    taglen = (size_t)(t - p + 1);
    for (end = t + 1; *end; end++) {
        if (*end == '\n')
            (*line)++;
        else if (*end == '$' && strncmp(end, p, taglen) == 0)
            return end + taglen;
    }
    return end;
}

/* Skip a comment at p ("--" or nested slash-star); returns p unchanged if none. */
static const char *
mig_skip_comment(const char *p, int *line)
{
    int depth = 0;

    if (p[0] == '-' && p[1] == '-')
        return p + strcspn(p, "\n");
    if (p[0] != '/' || p[1] != '*')
        return p;
    for (; *p; p++) {
        if (*p == '\n')
            (*line)++;
        else if (p[0] == '/' && p[1] == '*')
            depth++, p++;
        else if (p[0] == '*' && p[1] == '/' && --depth == 0)
            return p + 2;
    }
    return p;
}

/* See migrate.h. */
int
mig_statement_line(const char *text, int index)
{
    const char *p = text, *q;
    int line = 1, stmt = 0, start = 0;
    bool in_stmt = false;

    while (*p) {
        if ((q = mig_skip_comment(p, &line)) != p) {
            p = q;
            continue;
        }
        if (*p == '\n' || isspace((unsigned char)*p)) {
            line += *p == '\n';
            p++;
            continue;
        }
        if (*p == ';') {
            if (in_stmt && stmt++ == index)
                return start;
            in_stmt = false;
            p++;
            continue;
        }
        if (!in_stmt) {
            in_stmt = true;
            start = line;
        }
        if (*p == '\'') {
            bool e = p > text && (p[-1] == 'E' || p[-1] == 'e')
                && (p - 1 == text || !(isalnum((unsigned char)p[-2]) || p[-2] == '_'));
            p = mig_skip_quoted(p, '\'', e, &line);
        } else if (*p == '"') {
            p = mig_skip_quoted(p, '"', false, &line);
        } else if (*p == '$' && (q = mig_skip_dollar(text, p, &line)) != NULL) {
            p = q;
        } else {
            p++;
        }
    }
    return in_stmt && stmt == index ? start : 0;
}

/* See migrate.h. */
int
mig_error_line(const char *text, const struct db_diag *diag, int failed_stmt)
{
    const char *at;

    if (diag->position > 0)
        return mig_line_of(text, diag->position);
    if (diag->internal_query != NULL && diag->internal_position > 0
        && (at = strstr(text, diag->internal_query)) != NULL)
        return mig_line_of(text, mig_chars(text, (size_t)(at - text)) + diag->internal_position);
    if (failed_stmt >= 0)
        return mig_statement_line(text, failed_stmt);
    return 0;
}

/* ---- files ------------------------------------------------------------------------ */

static char *
mig_join(const char *dir, const char *set, const char *file)
{
    size_t n = strlen(dir);

    while (n > 1 && dir[n - 1] == '/')
        n--;
    if (file == NULL)
        return st_xasprintf("%.*s/%s", (int)n, dir, set);
    return st_xasprintf("%.*s/%s/%s", (int)n, dir, set, file);
}

/* Read a whole file (text) into a malloc'd string. */
static char *
mig_read_file(const char *path, struct st_error *err)
{
    struct st_buf b = ST_BUF_INIT;
    char chunk[16384];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n;

    if (fd == -1) {
        st_error_set(err, "open %s: %s", path, strerror(errno));
        return NULL;
    }
    while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            st_error_set(err, "read %s: %s", path, strerror(errno));
            (void)close(fd);
            st_buf_free(&b);
            return NULL;
        }
        st_buf_append(&b, chunk, (size_t)n);
    }
    (void)close(fd);
    return st_buf_steal(&b);
}

static bool
mig_valid_set_name(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

/*
 * "0002_claims.up.sql" -> version 2, name "claims", stem "0002_claims", up = 1.
 * Returns 0, or -1 when the name is not a migration file.
 */
static int
mig_parse_filename(const char *f, long long *version, char **name, char **stem, bool *up)
{
    size_t len = strlen(f), digits = strspn(f, "0123456789"), suffix;

    if (len > 7 && strcmp(f + len - 7, ".up.sql") == 0)
        suffix = 7, *up = true;
    else if (len > 9 && strcmp(f + len - 9, ".down.sql") == 0)
        suffix = 9, *up = false;
    else
        return -1;
    if (digits == 0 || digits > 15 || f[digits] != '_' || digits + 1 >= len - suffix)
        return -1;
    *version = strtoll(f, NULL, 10);
    *name = st_xstrndup(f + digits + 1, len - suffix - digits - 1);
    *stem = st_xstrndup(f, len - suffix);
    return 0;
}

static struct mig_entry *
mig_find(struct mig_plan *p, size_t set_idx, long long version)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->v[i].set_idx == set_idx && p->v[i].version == version)
            return &p->v[i];
    return NULL;
}

static struct mig_entry *
mig_add(struct mig_plan *p, const struct mig_opts *o, size_t set_idx, long long version)
{
    struct mig_entry *e;

    if (p->n == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 32;
        p->v = st_xrealloc(p->v, p->cap * sizeof(*p->v));
    }
    e = &p->v[p->n++];
    memset(e, 0, sizeof(*e));
    e->set = o->sets[set_idx];
    e->set_idx = set_idx;
    e->version = version;
    e->applied_order = -1;
    return e;
}

static void
mig_plan_free(struct mig_plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        struct mig_entry *e = &p->v[i];
        free(e->name);
        free(e->stem);
        free(e->up_path);
        free(e->down_path);
        free(e->db_checksum);
        free(e->applied_at);
    }
    free(p->v);
    memset(p, 0, sizeof(*p));
}

/* Record one file of a set directory in the plan. */
static int
mig_scan_file(struct mig_plan *p, const struct mig_opts *o, size_t idx, const char *f,
    struct st_error *err)
{
    long long version;
    char *name, *stem;
    bool up;
    struct mig_entry *e;
    char **slot;

    if (mig_parse_filename(f, &version, &name, &stem, &up) == -1)
        return 0;                       /* README and friends */
    if ((e = mig_find(p, idx, version)) == NULL) {
        e = mig_add(p, o, idx, version);
        e->name = name;
        e->stem = stem;
        name = stem = NULL;
    } else if (strcmp(e->stem, stem) != 0) {
        st_error_set(err, "%s: two migrations with version %lld: %s and %s (renumber one)",
            o->sets[idx], version, e->stem, stem);
        free(name);
        free(stem);
        return -1;
    }
    free(name);
    free(stem);
    slot = up ? &e->up_path : &e->down_path;
    *slot = mig_join(o->dir, o->sets[idx], f);
    if (up && digest_sha256_file(*slot, e->checksum, err) == -1)
        return -1;
    return 0;
}

static int
mig_scan_set(struct mig_plan *p, const struct mig_opts *o, size_t idx, struct st_error *err)
{
    char *dir = mig_join(o->dir, o->sets[idx], NULL);
    DIR *d = opendir(dir);
    struct dirent *de;
    int rc = 0;

    if (d == NULL) {
        st_error_set(err, "no such migration set: %s (%s: %s)", o->sets[idx], dir,
            strerror(errno));
        free(dir);
        return -1;
    }
    while (rc == 0 && (de = readdir(d)) != NULL)
        rc = mig_scan_file(p, o, idx, de->d_name, err);
    (void)closedir(d);
    free(dir);
    return rc;
}

static int
mig_cmp_entry(const void *a, const void *b)
{
    const struct mig_entry *x = a, *y = b;

    if (x->set_idx != y->set_idx)
        return x->set_idx < y->set_idx ? -1 : 1;
    return (x->version > y->version) - (x->version < y->version);
}

/* ---- database state --------------------------------------------------------------- */

static const char SQL_TABLE_EXISTS[] =
    "SELECT to_regclass('ops.schema_migrations') IS NOT NULL";

static const char SQL_CREATE_TABLE[] =
    "CREATE SCHEMA IF NOT EXISTS ops;"
    "CREATE TABLE IF NOT EXISTS ops.schema_migrations ("
    " set_name text NOT NULL,"
    " version bigint NOT NULL,"
    " name text NOT NULL,"
    " checksum text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),"
    " duration_ms bigint NOT NULL DEFAULT 0,"
    " PRIMARY KEY (set_name, version));"
    "COMMENT ON TABLE ops.schema_migrations IS"
    " 'applied migrations (steward migrate; not itself a migration)'";

static const char SQL_APPLIED[] =
    "SELECT set_name, version, name, checksum,"
    " to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
    " FROM ops.schema_migrations WHERE set_name = ANY ($1::text[])"
    " ORDER BY applied_at, set_name, version";

static size_t
mig_set_index(const struct mig_opts *o, const char *set)
{
    for (size_t i = 0; i < o->nsets; i++)
        if (strcmp(o->sets[i], set) == 0)
            return i;
    return o->nsets;
}

/* Merge one ops.schema_migrations row into the plan. */
static void
mig_merge_row(struct mig_plan *p, const struct mig_opts *o, struct db_res *r, int row)
{
    size_t idx = mig_set_index(o, db_res_value(r, row, 0));
    long long version = strtoll(db_res_value(r, row, 1), NULL, 10);
    struct mig_entry *e;

    if (idx == o->nsets)
        return;
    if ((e = mig_find(p, idx, version)) == NULL) {      /* applied, file gone */
        e = mig_add(p, o, idx, version);
        e->name = st_xstrdup(db_res_value(r, row, 2));
        e->stem = st_xasprintf("%04lld_%s", version, e->name);
    }
    e->applied = true;
    e->db_checksum = st_xstrdup(db_res_value(r, row, 3));
    e->applied_at = st_xstrdup(db_res_value(r, row, 4));
    e->applied_order = row;
}

static int
mig_load_applied(struct db *db, struct mig_plan *p, const struct mig_opts *o,
    struct st_error *err)
{
    struct st_buf arr = ST_BUF_INIT;
    struct db_res *r;
    char *exists = NULL;
    const char *params[1];

    if (db_query_value(db, SQL_TABLE_EXISTS, 0, NULL, &exists, err) != 1)
        return -1;
    p->table_exists = exists != NULL && strcmp(exists, "t") == 0;
    free(exists);
    if (!p->table_exists)
        return 0;
    st_buf_putc(&arr, '{');
    for (size_t i = 0; i < o->nsets; i++)
        st_buf_printf(&arr, "%s%s", i ? "," : "", o->sets[i]);
    st_buf_putc(&arr, '}');
    params[0] = arr.data;
    r = db_query_params(db, SQL_APPLIED, 1, params, err);
    st_buf_free(&arr);
    if (r == NULL) {
        st_error_prefix(err, "read ops.schema_migrations");
        return -1;
    }
    for (int i = 0; i < db_res_nrows(r); i++)
        mig_merge_row(p, o, r, i);
    db_res_free(r);
    return 0;
}

/* Scan the sets on disk and merge what the database says is applied. */
static int
mig_plan_load(struct db *db, const struct mig_opts *o, struct mig_plan *p, struct st_error *err)
{
    memset(p, 0, sizeof(*p));
    for (size_t i = 0; i < o->nsets; i++) {
        if (!mig_valid_set_name(o->sets[i])) {
            st_error_set(err, "invalid set name: \"%s\" (letters, digits, _ and -)",
                o->sets[i]);
            goto fail;
        }
        if (mig_scan_set(p, o, i, err) == -1)
            goto fail;
    }
    if (mig_load_applied(db, p, o, err) == -1)
        goto fail;
    if (p->n > 0)
        qsort(p->v, p->n, sizeof(*p->v), mig_cmp_entry);
    return 0;
fail:
    mig_plan_free(p);
    return -1;
}

static enum mig_state
mig_state_of(const struct mig_entry *e)
{
    if (!e->applied)
        return MIG_PENDING;
    if (e->up_path == NULL)
        return MIG_MISSING;
    return strcmp(e->checksum, e->db_checksum) == 0 ? MIG_APPLIED : MIG_CHANGED;
}

/* The display path of an entry's up file (also when it is missing). */
static char *
mig_up_display(const struct mig_opts *o, const struct mig_entry *e)
{
    char *f = st_xasprintf("%s.up.sql", e->stem), *path;

    path = mig_join(o->dir, e->set, f);
    free(f);
    return path;
}

/* ---- locking ---------------------------------------------------------------------- */

static int
mig_lock(struct db *db, const struct mig_opts *o, struct st_error *err)
{
    const char *params[] = { MIG_LOCK_KEY };
    char *got = NULL;

    if (db_query_value(db, "SELECT pg_try_advisory_lock($1::bigint)", 1, params, &got,
            err) != 1)
        goto fail;
    if (got != NULL && strcmp(got, "t") == 0) {
        free(got);
        return 0;
    }
    free(got);
    if (o->progress != NULL)
        fprintf(o->progress, "waiting for another steward migrate/seed to finish "
            "(advisory lock %s)\n", MIG_LOCK_KEY);
    if (db_exec_params(db, "SELECT pg_advisory_lock($1::bigint)", 1, params, err) == -1)
        goto fail;
    return 0;
fail:
    st_error_prefix(err, "take the migration lock");
    return -1;
}

static void
mig_unlock(struct db *db)
{
    const char *params[] = { MIG_LOCK_KEY };
    struct st_error ignored = ST_ERROR_INIT;

    (void)db_exec_params(db, "SELECT pg_advisory_unlock($1::bigint)", 1, params, &ignored);
}

/* Lock (unless dry run), create the tracking table (unless dry run), load the plan. */
static int
mig_prepare(struct db *db, const struct mig_opts *o, struct mig_plan *p, struct st_error *err)
{
    if (!o->dry_run) {
        if (mig_lock(db, o, err) == -1)
            return -1;
        if (db_exec(db, SQL_CREATE_TABLE, err) == -1) {
            st_error_prefix(err, "create ops.schema_migrations");
            goto fail;
        }
    }
    if (mig_plan_load(db, o, p, err) == 0)
        return 0;
fail:
    if (!o->dry_run)
        mig_unlock(db);
    return -1;
}

/* ---- running files ---------------------------------------------------------------- */

static void
mig_progress_begin(const struct mig_opts *o, const char *verb, const char *set,
    const char *stem)
{
    if (o->progress != NULL && o->tty) {
        fprintf(o->progress, "%s %s %s \xe2\x80\xa6 ", verb, set, stem);
        fflush(o->progress);
    }
}

static void
mig_progress_end(const struct mig_opts *o, const char *done, const char *set,
    const char *stem, long long ms, bool ok)
{
    if (o->progress == NULL)
        return;
    if (o->tty)
        fprintf(o->progress, ok ? "%lld ms\n" : "failed\n", ms);
    else if (ok)
        fprintf(o->progress, "%s %s %s in %lld ms\n", done, set, stem, ms);
    else
        fprintf(o->progress, "failed %s %s\n", set, stem);
    fflush(o->progress);
}

/*
 * Run path's text, then the tracking statement sql2 (when not NULL) with params, in one
 * transaction; params[ms_param] receives the file's duration in ms. On failure
 * everything is rolled back and err reads "path:LINE: message".
 */
static int
mig_run_file(struct db *db, const char *path, const char *sql2, int nparams,
    const char **params, int ms_param, long long *ms_out, struct st_error *err)
{
    char *text = mig_read_file(path, err);
    double t0 = st_now_s();
    char ms[32];
    int failed_stmt, line;

    if (text == NULL)
        return -1;
    if (db_begin(db, err) == -1)
        goto fail;
    if (db_exec_script(db, text, &failed_stmt, err) == -1) {
        line = mig_error_line(text, db_last_diag(db), failed_stmt);
        db_rollback(db);
        if (line > 0)
            st_error_prefix(err, "%s:%d", path, line);
        else
            st_error_prefix(err, "%s", path);
        goto fail;
    }
    *ms_out = (long long)((st_now_s() - t0) * 1000.0 + 0.5);
    (void)snprintf(ms, sizeof(ms), "%lld", *ms_out);
    if (ms_param >= 0)
        params[ms_param] = ms;
    if (sql2 != NULL && db_exec_params(db, sql2, nparams, params, err) == -1) {
        db_rollback(db);
        st_error_prefix(err, "%s: record in ops.schema_migrations", path);
        goto fail;
    }
    if (db_commit(db, err) == -1) {
        st_error_prefix(err, "%s: commit", path);
        goto fail;
    }
    free(text);
    return 0;
fail:
    free(text);
    return -1;
}

static const char SQL_RECORD[] =
    "INSERT INTO ops.schema_migrations (set_name, version, name, checksum, duration_ms)"
    " VALUES ($1, $2, $3, $4, $5)";

static const char SQL_UNRECORD[] =
    "DELETE FROM ops.schema_migrations WHERE set_name = $1 AND version = $2";

static int
mig_apply(struct db *db, const struct mig_opts *o, struct mig_entry *e, struct st_error *err)
{
    char version[32];
    const char *params[] = { e->set, version, e->name, e->checksum, NULL };
    long long ms = 0;
    int rc;

    (void)snprintf(version, sizeof(version), "%lld", e->version);
    mig_progress_begin(o, "applying", e->set, e->stem);
    rc = mig_run_file(db, e->up_path, SQL_RECORD, 5, params, 4, &ms, err);
    mig_progress_end(o, "applied", e->set, e->stem, ms, rc == 0);
    return rc;
}

static int
mig_revert(struct db *db, const struct mig_opts *o, struct mig_entry *e, struct st_error *err)
{
    char version[32];
    const char *params[] = { e->set, version };
    long long ms = 0;
    int rc;

    (void)snprintf(version, sizeof(version), "%lld", e->version);
    mig_progress_begin(o, "reverting", e->set, e->stem);
    rc = mig_run_file(db, e->down_path, SQL_UNRECORD, 2, params, -1, &ms, err);
    mig_progress_end(o, "reverted", e->set, e->stem, ms, rc == 0);
    return rc;
}

/* ---- commands --------------------------------------------------------------------- */

/* See migrate.h. */
int
mig_status(struct db *db, const struct mig_opts *o, struct st_error *err)
{
    struct mig_plan p;
    int wset = 3, wname = 4;

    if (mig_plan_load(db, o, &p, err) == -1)
        return -1;
    for (size_t i = 0; i < p.n; i++) {
        int ls = (int)strlen(p.v[i].set), ln = (int)strlen(p.v[i].name);
        wset = ls > wset ? ls : wset;
        wname = ln > wname ? ln : wname;
    }
    fprintf(o->out, "%-*s  %-7s  %-*s  %-8s  %s\n", wset, "SET", "VERSION", wname, "NAME",
        "STATE", "APPLIED_AT");
    for (size_t i = 0; i < p.n; i++) {
        const struct mig_entry *e = &p.v[i];
        char version[24];

        (void)snprintf(version, sizeof(version), "%04lld", e->version);
        fprintf(o->out, "%-*s  %-7s  %-*s  %-8s  %s\n", wset, e->set, version, wname,
            e->name, mig_state_names[mig_state_of(e)], e->applied ? e->applied_at : "-");
    }
    if (!p.table_exists)
        fprintf(o->out, "(ops.schema_migrations does not exist yet: nothing applied)\n");
    mig_plan_free(&p);
    return 0;
}

/* Print problems with applied files; returns their number. First one described in err. */
static int
mig_check_applied(const struct mig_plan *p, const struct mig_opts *o, FILE *out,
    struct st_error *err)
{
    int bad = 0;

    for (size_t i = 0; i < p->n; i++) {
        const struct mig_entry *e = &p->v[i];
        enum mig_state st = mig_state_of(e);
        char *path;

        if (st != MIG_CHANGED && st != MIG_MISSING)
            continue;
        path = mig_up_display(o, e);
        if (bad++ == 0)
            st_error_set(err, "%s: %s since it was applied at %s (an applied migration must "
                "not change: restore it and add a new migration)", path,
                st == MIG_CHANGED ? "changed" : "missing", e->applied_at);
        if (out != NULL)
            fprintf(out, "%s: %s since applied at %s (checksum %.12s, now %.12s)\n", path,
                st == MIG_CHANGED ? "changed" : "missing", e->applied_at, e->db_checksum,
                st == MIG_CHANGED ? e->checksum : "-");
        free(path);
    }
    return bad;
}

/* Every pending migration needs its up file (a lone .down.sql is a mistake). */
static int
mig_check_pending(const struct mig_plan *p, struct st_error *err)
{
    for (size_t i = 0; i < p->n; i++) {
        const struct mig_entry *e = &p->v[i];
        if (!e->applied && e->up_path == NULL) {
            st_error_set(err, "%s: no matching %s.up.sql", e->down_path, e->stem);
            return -1;
        }
    }
    return 0;
}

/* See migrate.h. */
int
mig_verify(struct db *db, const struct mig_opts *o, struct st_error *err)
{
    struct st_error first = ST_ERROR_INIT;
    struct mig_plan p;
    int bad, applied = 0;

    if (mig_plan_load(db, o, &p, err) == -1)
        return -1;
    bad = mig_check_applied(&p, o, o->out, &first);
    for (size_t i = 0; i < p.n; i++)
        applied += p.v[i].applied;
    if (bad == 0)
        fprintf(o->out, "%d applied migration%s match their files\n", applied,
            applied == 1 ? "" : "s");
    mig_plan_free(&p);
    return bad;
}

/* See migrate.h. */
int
mig_up(struct db *db, const struct mig_opts *o, struct st_error *err)
{
    struct mig_plan p;
    int n = 0;

    if (mig_prepare(db, o, &p, err) == -1)
        return -1;
    if (mig_check_applied(&p, o, NULL, err) > 0 || mig_check_pending(&p, err) == -1) {
        st_error_prefix(err, "refusing to migrate");
        n = -1;
        goto out;
    }
    for (size_t i = 0; i < p.n; i++) {
        struct mig_entry *e = &p.v[i];

        if (e->applied)
            continue;
        if (o->dry_run) {
            fprintf(o->out, "would apply %s %s (%s)\n", e->set, e->stem, e->up_path);
        } else if (mig_apply(db, o, e, err) == -1) {
            n = -1;
            goto out;
        }
        n++;
    }
    if (n == 0)
        fprintf(o->out, "nothing to apply (%zu migration%s applied)\n", p.n,
            p.n == 1 ? "" : "s");
    else if (!o->dry_run)
        fprintf(o->out, "applied %d migration%s\n", n, n == 1 ? "" : "s");
out:
    if (!o->dry_run)
        mig_unlock(db);
    mig_plan_free(&p);
    return n;
}

static int
mig_cmp_applied_desc(const void *a, const void *b)
{
    const struct mig_entry *x = *(struct mig_entry *const *)a;
    const struct mig_entry *y = *(struct mig_entry *const *)b;

    return (x->applied_order < y->applied_order) - (x->applied_order > y->applied_order);
}

/* The last n applied entries, newest first (malloc'd array; *count set). */
static struct mig_entry **
mig_pick_last(struct mig_plan *p, int n, size_t *count)
{
    struct mig_entry **v = st_xcalloc(p->n + 1, sizeof(*v));
    size_t k = 0;

    for (size_t i = 0; i < p->n; i++)
        if (p->v[i].applied)
            v[k++] = &p->v[i];
    qsort(v, k, sizeof(*v), mig_cmp_applied_desc);
    *count = k < (size_t)n ? k : (size_t)n;
    return v;
}

/* See migrate.h. */
int
mig_down(struct db *db, const struct mig_opts *o, int n, struct st_error *err)
{
    struct mig_plan p;
    struct mig_entry **pick = NULL;
    size_t k = 0;
    int done = -1;

    if (mig_prepare(db, o, &p, err) == -1)
        return -1;
    pick = mig_pick_last(&p, n, &k);
    for (size_t i = 0; i < k; i++) {
        if (pick[i]->down_path == NULL) {
            char *up = mig_up_display(o, pick[i]);
            st_error_set(err, "cannot revert %s %s: no %.*s.down.sql beside %s", pick[i]->set,
                pick[i]->stem, (int)(strlen(up) - 7), up, up);
            free(up);
            goto out;
        }
    }
    for (done = 0; (size_t)done < k; done++) {
        if (o->dry_run)
            fprintf(o->out, "would revert %s %s (%s)\n", pick[done]->set, pick[done]->stem,
                pick[done]->down_path);
        else if (mig_revert(db, o, pick[done], err) == -1) {
            done = -1;
            goto out;
        }
    }
    if (k == 0)
        fprintf(o->out, "nothing to revert\n");
    else if (!o->dry_run)
        fprintf(o->out, "reverted %zu migration%s\n", k, k == 1 ? "" : "s");
out:
    if (!o->dry_run)
        mig_unlock(db);
    free(pick);
    mig_plan_free(&p);
    return done;
}

static int
mig_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.sql files of dir, sorted by name (malloc'd, NULL-terminated); NULL when no dir. */
static char **
mig_list_sql(const char *dir, size_t *n)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char **v = NULL;
    size_t cap = 0;

    *n = 0;
    if (d == NULL)
        return NULL;
    while ((de = readdir(d)) != NULL) {
        size_t len = strlen(de->d_name);
        if (len < 5 || strcmp(de->d_name + len - 4, ".sql") != 0 || de->d_name[0] == '.')
            continue;
        if (*n + 1 >= cap) {
            cap = cap ? cap * 2 : 16;
            v = st_xrealloc(v, cap * sizeof(*v));
        }
        v[(*n)++] = st_xstrdup(de->d_name);
    }
    (void)closedir(d);
    if (v == NULL)
        v = st_xcalloc(1, sizeof(*v));
    v[*n] = NULL;
    qsort(v, *n, sizeof(*v), mig_cmp_str);
    return v;
}

static void
mig_free_list(char **v)
{
    for (size_t i = 0; v != NULL && v[i] != NULL; i++)
        free(v[i]);
    free(v);
}

/* Run one set's seed files. Returns files run, or -1. */
static int
mig_seed_set(struct db *db, const struct mig_opts *o, const char *set, struct st_error *err)
{
    char *dir = mig_join(o->dir, set, NULL), **files;
    size_t n, i;
    int rc = 0;

    if ((files = mig_list_sql(dir, &n)) == NULL) {
        if (o->explicit_set) {
            st_error_set(err, "no seeds for set %s (%s: %s)", set, dir, strerror(errno));
            rc = -1;
        } else if (o->progress != NULL) {
            fprintf(o->progress, "no seeds for set %s (no %s)\n", set, dir);
        }
        free(dir);
        return rc;
    }
    for (i = 0; i < n && rc == 0; i++) {
        char *path = mig_join(o->dir, set, files[i]);
        long long ms = 0;

        if (o->dry_run) {
            fprintf(o->out, "would run %s %s (%s)\n", set, files[i], path);
            free(path);
            continue;
        }
        mig_progress_begin(o, "seeding", set, files[i]);
        rc = mig_run_file(db, path, NULL, 0, NULL, -1, &ms, err);
        mig_progress_end(o, "seeded", set, files[i], ms, rc == 0);
        free(path);
    }
    mig_free_list(files);
    free(dir);
    return rc == 0 ? (int)n : -1;
}

/* See migrate.h. */
int
mig_seed(struct db *db, const struct mig_opts *o, struct st_error *err)
{
    int total = 0, n;

    for (size_t i = 0; i < o->nsets; i++) {
        if (!mig_valid_set_name(o->sets[i])) {
            st_error_set(err, "invalid set name: \"%s\"", o->sets[i]);
            return -1;
        }
    }
    if (!o->dry_run && mig_lock(db, o, err) == -1)
        return -1;
    for (size_t i = 0; i < o->nsets; i++) {
        if ((n = mig_seed_set(db, o, o->sets[i], err)) < 0) {
            total = -1;
            break;
        }
        total += n;
    }
    if (!o->dry_run)
        mig_unlock(db);
    if (total >= 0 && !o->dry_run)
        fprintf(o->out, "ran %d seed file%s\n", total, total == 1 ? "" : "s");
    return total;
}
