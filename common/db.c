/*
 * db.c -- the libpq wrapper: connect (with diagnosis and retry), commands, results,
 * and a small async path for libevent loops.
 * Owns every PGconn and PGresult in steward; callers see struct db / struct db_res.
 * Does not own pooling or reconnect policy beyond db_connect_retry (callers decide),
 * nor logging (it fills err once; db_connect_retry sleeps between attempts silently).
 * Async operations put the connection in non-blocking mode and restore blocking mode
 * when they finish, so sync calls (COPY) behave the same after async use.
 * Tests: tests/unit/t_db.c (async and sync against the real server).
 */
#include "config.h"
#include "db.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <event2/event.h>
#include <libpq-fe.h>

#include "backoff.h"

#define DB_CONNECT_TIMEOUT_S "10"

enum db_async_state { DB_IDLE, DB_CONNECTING, DB_QUERYING };

struct db {
    PGconn *conn;
    char errbuf[512];           /* db_errmsg's trimmed copy */
    struct db_diag diag;        /* strings below are malloc'd, owned here */
    struct event_base *base;    /* borrowed; NULL for sync-only use */
    struct event *ev;
    enum db_async_state state;
    bool flushing;              /* query sent partly; wait for writability too */
    PGresult *pending;          /* result being collected by the async query */
    double timeout_s;
    db_connect_fn *connect_cb;
    db_result_fn *result_cb;
    void *cb_arg;
};

struct db_res {
    PGresult *pg;
};

/* ---- errors ---------------------------------------------------------------------- */

static void
db_diag_clear(struct db_diag *d)
{
    free((char *)d->message);
    free((char *)d->detail);
    free((char *)d->hint);
    free((char *)d->context);
    free((char *)d->internal_query);
    memset(d, 0, sizeof(*d));
}

static char *
db_field_dup(const PGresult *res, int field)
{
    const char *v = res != NULL ? PQresultErrorField(res, field) : NULL;

    return v != NULL ? st_xstrdup(v) : NULL;
}

/* Copy text without its trailing newlines and whitespace into buf. */
static const char *
db_trim_into(char *buf, size_t size, const char *s)
{
    size_t n;

    if (s == NULL)
        s = "";
    (void)snprintf(buf, size, "%s", s);
    n = strlen(buf);
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ' || buf[n - 1] == '\t'))
        buf[--n] = '\0';
    return buf;
}

/* Record a failed result in db->diag and describe it in err. */
static void
db_fail_result(struct db *db, const PGresult *res, struct st_error *err)
{
    const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *pos = res != NULL ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;
    const char *ipos = res != NULL ? PQresultErrorField(res, PG_DIAG_INTERNAL_POSITION) : NULL;
    struct db_diag *d = &db->diag;
    char tmp[ST_ERRLEN];

    db_diag_clear(d);
    (void)snprintf(d->sqlstate, sizeof(d->sqlstate), "%s", state != NULL ? state : "");
    d->position = pos != NULL ? atoi(pos) : 0;
    d->internal_position = ipos != NULL ? atoi(ipos) : 0;
    d->message = db_field_dup(res, PG_DIAG_MESSAGE_PRIMARY);
    d->detail = db_field_dup(res, PG_DIAG_MESSAGE_DETAIL);
    d->hint = db_field_dup(res, PG_DIAG_MESSAGE_HINT);
    d->context = db_field_dup(res, PG_DIAG_CONTEXT);
    d->internal_query = db_field_dup(res, PG_DIAG_INTERNAL_QUERY);
    if (d->message == NULL)     /* not the server's error: connection lost, out of memory */
        d->message = st_xstrdup(db_trim_into(tmp, sizeof(tmp), PQerrorMessage(db->conn)));
    if (err != NULL)
        st_error_set(err, "%s", d->message[0] != '\0' ? d->message : "unknown libpq error");
}

/* See db.h. */
const char *
db_errmsg(struct db *db)
{
    if (db == NULL || db->conn == NULL)
        return "no connection";
    return db_trim_into(db->errbuf, sizeof(db->errbuf), PQerrorMessage(db->conn));
}

/* See db.h. */
const struct db_diag *
db_last_diag(const struct db *db)
{
    return &db->diag;
}

/* See db.h. */
bool
db_is_broken(const struct db *db)
{
    return db == NULL || db->conn == NULL || PQstatus(db->conn) == CONNECTION_BAD;
}

/* ---- connecting ------------------------------------------------------------------ */

/* Transient conditions: the server may be there in a moment. */
static const char *const db_transient[] = {
    "Connection refused", "No such file or directory", "too many clients",
    "the database system is starting up", "the database system is shutting down",
    "the database system is in recovery mode", "could not translate host name",
    "timeout expired", "Connection timed out", "No route to host",
    "server closed the connection unexpectedly", "Network is unreachable",
    "remaining connection slots are reserved",
};

/* See db.h. */
bool
db_error_is_transient(const char *msg)
{
    for (size_t i = 0; i < ST_ARRAY_LEN(db_transient); i++)
        if (strstr(msg, db_transient[i]) != NULL)
            return true;
    return false;
}

struct db_target {              /* what a connection was aimed at, for messages */
    char host[256];
    char port[16];
    char dbname[128];
    char user[128];
};

static void
db_target_of(PGconn *conn, struct db_target *t)
{
    const char *host = conn != NULL ? PQhost(conn) : NULL;
    const char *port = conn != NULL ? PQport(conn) : NULL;
    const char *dbn = conn != NULL ? PQdb(conn) : NULL;
    const char *user = conn != NULL ? PQuser(conn) : NULL;

    (void)snprintf(t->host, sizeof(t->host), "%s", host != NULL && *host ? host : "localhost");
    (void)snprintf(t->port, sizeof(t->port), "%s", port != NULL && *port ? port : "5432");
    (void)snprintf(t->dbname, sizeof(t->dbname), "%s", dbn != NULL ? dbn : "?");
    (void)snprintf(t->user, sizeof(t->user), "%s", user != NULL ? user : "?");
}

/* The hint for a connect failure, or "" when we have none. */
static const char *
db_connect_hint(const char *msg, const struct db_target *t, char *buf, size_t size)
{
    if (strstr(msg, "Connection refused") || strstr(msg, "No such file or directory"))
        (void)snprintf(buf, size, "is PostgreSQL running on %s:%s?", t->host, t->port);
    else if (strstr(msg, "password authentication failed") || strstr(msg, "no password supplied")
             || strstr(msg, "password is required"))
        (void)snprintf(buf, size, "check the password in STEWARD_DATABASE_URL / .env");
    else if (strstr(msg, "database \"") && strstr(msg, "does not exist"))
        (void)snprintf(buf, size, "create it: createdb %s", t->dbname);
    else if (strstr(msg, "role \"") && strstr(msg, "does not exist"))
        (void)snprintf(buf, size, "check the user in the URL, or create it: createuser %s",
            t->user);
    else if (strstr(msg, "timeout expired") || strstr(msg, "Connection timed out"))
        (void)snprintf(buf, size, "is %s:%s reachable (firewall, wrong host)? the URL's "
            "connect_timeout sets the wait", t->host, t->port);
    else if (strstr(msg, "SSL") || strstr(msg, "certificate"))
        (void)snprintf(buf, size, "check sslmode (and sslrootcert) in the URL against the "
            "server's ssl setting");
    else if (strstr(msg, "too many clients") || strstr(msg, "remaining connection slots"))
        (void)snprintf(buf, size, "the server is at max_connections: lower database.pool_size "
            "or raise max_connections");
    else if (strstr(msg, "starting up") || strstr(msg, "recovery mode"))
        (void)snprintf(buf, size, "the server is starting; retry in a moment");
    else if (strstr(msg, "could not translate host name"))
        (void)snprintf(buf, size, "check the host name in the URL");
    else if (strstr(msg, "pg_hba.conf"))
        (void)snprintf(buf, size, "allow this client in the server's pg_hba.conf");
    else
        buf[0] = '\0';
    return buf;
}

/*
 * libpq's message reduced to its reason: the first line, without the
 * 'connection to server at "h", port p failed: ' prefix and the "FATAL:  " tag.
 */
static void
db_connect_reason(const char *raw, char *buf, size_t size)
{
    const char *p = raw, *q;
    size_t n;

    if ((q = strstr(p, " failed: ")) != NULL && strncmp(p, "connection to server", 20) == 0)
        p = q + strlen(" failed: ");
    if (strncmp(p, "FATAL:  ", 8) == 0)
        p += 8;
    n = strcspn(p, "\n");
    (void)snprintf(buf, size, "%.*s", (int)n, p);
}

/* Mask the URL's password wherever it appears in msg (libpq may echo URL fragments). */
static void
db_scrub_password(char *msg, const char *url)
{
    const char *s = strstr(url, "://"), *at, *colon, *end;
    char *hit;
    size_t n;

    if (s == NULL)
        return;
    s += 3;
    end = s + strcspn(s, "/?");
    at = memchr(s, '@', (size_t)(end - s));
    if (at == NULL)
        return;
    while ((end = memchr(at + 1, '@', (size_t)(end - at - 1))) != NULL)   /* last @ */
        at = end;
    colon = memchr(s, ':', (size_t)(at - s));
    if (colon == NULL || at - colon - 1 < 3)
        return;
    n = (size_t)(at - colon - 1);
    while ((hit = memmem(msg, strlen(msg), colon + 1, n)) != NULL) {
        memcpy(hit, "***", 3);
        memmove(hit + 3, hit + n, strlen(hit + n) + 1);
    }
}

/* Describe a failed connection attempt in err. */
static void
db_connect_error(PGconn *conn, const char *url, struct st_error *err)
{
    struct db_target t;
    char reason[600], hint[640];

    db_target_of(conn, &t);
    db_connect_reason(conn != NULL ? PQerrorMessage(conn) : "out of memory", reason,
        sizeof(reason));
    db_scrub_password(reason, url);
    (void)db_connect_hint(reason, &t, hint, sizeof(hint));
    st_error_set(err, "connect to PostgreSQL at %s:%s (database %s, user %s): %s%s%s%s",
        t.host, t.port, t.dbname, t.user, reason, hint[0] ? " (" : "", hint, hint[0] ? ")" : "");
}

static void
db_quiet_notices(void *arg, const char *message)
{
    (void)arg;
    (void)message;              /* NOTICEs ("... already exists, skipping") are not errors */
}

static struct db *
db_wrap(PGconn *conn)
{
    struct db *db = st_xcalloc(1, sizeof(*db));

    db->conn = conn;
    (void)PQsetNoticeProcessor(conn, db_quiet_notices, NULL);
    return db;
}

/* Checks libpq can parse the URL; a parse error is described without the password. */
static int
db_check_url(const char *url, struct st_error *err)
{
    char *perr = NULL;
    PQconninfoOption *opts;

    if (url == NULL || *url == '\0') {
        st_error_set(err, "no database URL (set database.url, e.g. "
            "url = \"${STEWARD_DATABASE_URL}\")");
        return -1;
    }
    if ((opts = PQconninfoParse(url, &perr)) == NULL) {
        char msg[600];

        db_trim_into(msg, sizeof(msg), perr != NULL ? perr : "out of memory");
        db_scrub_password(msg, url);
        st_error_set(err, "invalid database URL: %s", msg);
        PQfreemem(perr);
        return -1;
    }
    PQconninfoFree(opts);
    return 0;
}

static const char *const db_conn_keys[] = {
    "connect_timeout", "fallback_application_name", "dbname", NULL
};

/* See db.h. */
struct db *
db_connect(const char *url, struct st_error *err)
{
    const char *values[] = { DB_CONNECT_TIMEOUT_S, "steward", url, NULL };
    PGconn *conn;

    if (db_check_url(url, err) == -1)
        return NULL;
    /* The URL comes last: its own connect_timeout overrides our default. */
    conn = PQconnectdbParams(db_conn_keys, values, 1);
    if (conn == NULL || PQstatus(conn) != CONNECTION_OK) {
        db_connect_error(conn, url, err);
        PQfinish(conn);
        return NULL;
    }
    return db_wrap(conn);
}

static void
db_sleep_ms(int64_t ms)
{
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L };

    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* See db.h. */
struct db *
db_connect_retry(const char *url, double max_wait_s, struct st_error *err)
{
    struct st_backoff b;
    double deadline = st_now_s() + (max_wait_s > 0 ? max_wait_s : 0);
    struct db *db;

    st_backoff_init(&b, 200, 5000, true);
    for (;;) {
        int64_t delay_ms;

        if ((db = db_connect(url, err)) != NULL)
            return db;
        if (!db_error_is_transient(err->msg))
            return NULL;
        delay_ms = st_backoff_next_ms(&b);
        if (st_now_s() + (double)delay_ms / 1000.0 > deadline) {
            if (b.attempts > 1)         /* one attempt per computed delay */
                st_error_prefix(err, "gave up after %u attempts in %.0f s", b.attempts,
                    max_wait_s);
            return NULL;
        }
        db_sleep_ms(delay_ms);
    }
}

/* See db.h. */
void
db_close(struct db *db)
{
    if (db == NULL)
        return;
    if (db->ev != NULL)
        event_free(db->ev);
    PQclear(db->pending);
    PQfinish(db->conn);
    db_diag_clear(&db->diag);
    free(db);
}

/* ---- synchronous commands -------------------------------------------------------- */

static int
db_check_idle(struct db *db, struct st_error *err)
{
    if (db->state != DB_IDLE) {
        st_error_set(err, "connection busy with an async operation");
        return -1;
    }
    return 0;
}

/* Take ownership of res if it succeeded; otherwise record the failure and free it. */
static struct db_res *
db_result(struct db *db, PGresult *res, struct st_error *err)
{
    ExecStatusType st = PQresultStatus(res);
    struct db_res *r;

    if (res == NULL || (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)) {
        db_fail_result(db, res, err);
        PQclear(res);
        return NULL;
    }
    r = st_xmalloc(sizeof(*r));
    r->pg = res;
    return r;
}

/* See db.h. */
int
db_exec(struct db *db, const char *sql, struct st_error *err)
{
    struct db_res *r;

    if (db_check_idle(db, err) == -1)
        return -1;
    if ((r = db_result(db, PQexec(db->conn, sql), err)) == NULL)
        return -1;
    db_res_free(r);
    return 0;
}

/* See db.h. */
int
db_exec_script(struct db *db, const char *sql, int *failed_stmt, struct st_error *err)
{
    PGresult *res, *fail = NULL;
    int done = 0;

    *failed_stmt = -1;
    if (db_check_idle(db, err) == -1)
        return -1;
    if (!PQsendQuery(db->conn, sql)) {
        db_fail_result(db, NULL, err);
        return -1;
    }
    /* One result per statement; after a failure the server skips the rest. */
    while ((res = PQgetResult(db->conn)) != NULL) {
        ExecStatusType st = PQresultStatus(res);

        if (st == PGRES_COPY_IN)        /* no data to give: end it as an error */
            (void)PQputCopyEnd(db->conn, "COPY FROM STDIN is not supported here");
        if (fail == NULL && (st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE)) {
            fail = res;
            continue;
        }
        if (fail == NULL && st != PGRES_EMPTY_QUERY)
            done++;
        PQclear(res);
    }
    if (fail == NULL)
        return 0;
    db_fail_result(db, fail, err);
    PQclear(fail);
    *failed_stmt = done;
    return -1;
}

/* See db.h. */
struct db_res *
db_query_params(struct db *db, const char *sql, int nparams, const char *const *params,
    struct st_error *err)
{
    if (db_check_idle(db, err) == -1)
        return NULL;
    return db_result(db, PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0),
        err);
}

/* See db.h. */
int64_t
db_exec_params(struct db *db, const char *sql, int nparams, const char *const *params,
    struct st_error *err)
{
    struct db_res *r = db_query_params(db, sql, nparams, params, err);
    int64_t n;

    if (r == NULL)
        return -1;
    n = db_res_affected(r);
    db_res_free(r);
    return n;
}

/* See db.h. */
int
db_query_value(struct db *db, const char *sql, int nparams, const char *const *params,
    char **out, struct st_error *err)
{
    struct db_res *r = db_query_params(db, sql, nparams, params, err);
    const char *v;

    if (r == NULL)
        return -1;
    if (PQntuples(r->pg) < 1 || PQnfields(r->pg) < 1) {
        db_res_free(r);
        return 0;
    }
    v = db_res_value(r, 0, 0);
    *out = v != NULL ? st_xstrdup(v) : NULL;
    db_res_free(r);
    return 1;
}

/* See db.h. */
int
db_copy_begin(struct db *db, const char *sql, struct st_error *err)
{
    PGresult *res;

    if (db_check_idle(db, err) == -1)
        return -1;
    res = PQexec(db->conn, sql);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK)
            st_error_set(err, "not a COPY ... FROM STDIN statement");
        else
            db_fail_result(db, res, err);
        PQclear(res);
        return -1;
    }
    PQclear(res);
    return 0;
}

/*
 * Wait (blocking: sync path only) until libpq's output buffer drains. Returns 0, or -1
 * with err set.
 */
static int
db_flush_wait(struct db *db, struct st_error *err)
{
    struct pollfd pfd = { .fd = PQsocket(db->conn), .events = POLLOUT };
    int f;

    while ((f = PQflush(db->conn)) == 1) {
        pfd.revents = 0;
        if (poll(&pfd, 1, -1) == -1 && errno != EINTR) {
            st_error_set(err, "copy data: poll: %s", strerror(errno));
            return -1;
        }
    }
    if (f == -1) {
        st_error_set(err, "copy data: %s", db_errmsg(db));
        return -1;
    }
    return 0;
}

/* See db.h. */
int
db_copy_put(struct db *db, const void *data, size_t len, struct st_error *err)
{
    const char *p = data;

    while (len > 0) {           /* PQputCopyData takes an int length */
        int chunk = len > (1u << 30) ? (1 << 30) : (int)len;
        int rc = PQputCopyData(db->conn, p, chunk);
        if (rc == 0) {          /* "try again": only in non-blocking mode */
            if (db_flush_wait(db, err) == -1)
                return -1;
            continue;
        }
        if (rc != 1) {
            st_error_set(err, "copy data: %s", db_errmsg(db));
            return -1;
        }
        p += chunk;
        len -= (size_t)chunk;
    }
    return 0;
}

/* See db.h. */
int64_t
db_copy_end(struct db *db, const char *abort_reason, struct st_error *err)
{
    PGresult *res;
    int64_t n = -1;
    bool failed = false;

    if (PQputCopyEnd(db->conn, abort_reason) != 1) {
        st_error_set(err, "end copy: %s", db_errmsg(db));
        return -1;
    }
    while ((res = PQgetResult(db->conn)) != NULL) {
        if (PQresultStatus(res) == PGRES_COMMAND_OK && !failed) {
            const char *t = PQcmdTuples(res);
            n = t != NULL && *t ? strtoll(t, NULL, 10) : 0;
        } else if (!failed) {
            failed = true;
            db_fail_result(db, res, err);
        }
        PQclear(res);
    }
    return failed ? -1 : n;
}

/* See db.h. */
int
db_begin(struct db *db, struct st_error *err)
{
    return db_exec(db, "BEGIN", err);
}

/* See db.h. */
int
db_commit(struct db *db, struct st_error *err)
{
    return db_exec(db, "COMMIT", err);
}

/* See db.h. */
void
db_rollback(struct db *db)
{
    struct st_error ignored = ST_ERROR_INIT;

    (void)db_exec(db, "ROLLBACK", &ignored);
}

/* See db.h. */
char *
db_quote_ident(struct db *db, const char *name, struct st_error *err)
{
    char *q = PQescapeIdentifier(db->conn, name, strlen(name));
    char *copy;

    if (q == NULL) {
        st_error_set(err, "quote identifier %s: %s", name, db_errmsg(db));
        return NULL;
    }
    copy = st_xstrdup(q);
    PQfreemem(q);
    return copy;
}

/* ---- results --------------------------------------------------------------------- */

/* See db.h. */
int
db_res_nrows(const struct db_res *res)
{
    return PQntuples(res->pg);
}

/* See db.h. */
int
db_res_ncols(const struct db_res *res)
{
    return PQnfields(res->pg);
}

/* See db.h. */
const char *
db_res_value(const struct db_res *res, int row, int col)
{
    if (row < 0 || row >= PQntuples(res->pg) || col < 0 || col >= PQnfields(res->pg))
        return NULL;
    if (PQgetisnull(res->pg, row, col))
        return NULL;
    return PQgetvalue(res->pg, row, col);
}

/* See db.h. */
const char *
db_res_colname(const struct db_res *res, int col)
{
    return PQfname(res->pg, col);
}

/* See db.h. */
int
db_res_col(const struct db_res *res, const char *name)
{
    for (int i = 0; i < PQnfields(res->pg); i++)
        if (strcmp(PQfname(res->pg, i), name) == 0)
            return i;
    return -1;
}

/* See db.h. */
int64_t
db_res_affected(const struct db_res *res)
{
    const char *n = PQcmdTuples(res->pg);

    return n != NULL && *n ? strtoll(n, NULL, 10) : 0;
}

/* See db.h. */
void
db_res_free(struct db_res *res)
{
    if (res == NULL)
        return;
    PQclear(res->pg);
    free(res);
}

/* ---- async (libevent) ------------------------------------------------------------ */

static void db_on_socket(evutil_socket_t fd, short what, void *arg);

/* (Re)arm the socket event for what (EV_READ and/or EV_WRITE); the fd may change. */
static int
db_arm(struct db *db, short what, struct st_error *err)
{
    struct timeval tv, *tvp = NULL;

    if (db->ev != NULL)
        event_free(db->ev);
    db->ev = event_new(db->base, PQsocket(db->conn), what, db_on_socket, db);
    if (db->ev == NULL) {
        st_error_set(err, "event_new for database socket %d failed", PQsocket(db->conn));
        return -1;
    }
    if (db->state == DB_CONNECTING && db->timeout_s > 0) {
        tv.tv_sec = (time_t)db->timeout_s;
        tv.tv_usec = (suseconds_t)((db->timeout_s - (double)tv.tv_sec) * 1e6);
        tvp = &tv;
    }
    if (event_add(db->ev, tvp) == -1) {
        st_error_set(err, "event_add for database socket failed");
        return -1;
    }
    return 0;
}

static void
db_finish_connect(struct db *db, const struct st_error *err)
{
    db->state = DB_IDLE;
    if (db->ev != NULL)
        event_del(db->ev);
    db->connect_cb(db, err, db->cb_arg);
}

static void
db_step_connect(struct db *db, short what, const char *url)
{
    struct st_error err = ST_ERROR_INIT;

    if (what & EV_TIMEOUT) {
        struct db_target t;

        db_target_of(db->conn, &t);
        st_error_set(&err, "connect to PostgreSQL at %s:%s (database %s, user %s): timeout "
            "expired (is %s:%s reachable?)", t.host, t.port, t.dbname, t.user, t.host, t.port);
        db_finish_connect(db, &err);
        return;
    }
    switch (PQconnectPoll(db->conn)) {
    case PGRES_POLLING_OK:
        db_finish_connect(db, NULL);
        return;
    case PGRES_POLLING_READING:
        if (db_arm(db, EV_READ, &err) == 0)
            return;
        break;
    case PGRES_POLLING_WRITING:
        if (db_arm(db, EV_WRITE, &err) == 0)
            return;
        break;
    default:
        db_connect_error(db->conn, url != NULL ? url : "", &err);
        break;
    }
    db_finish_connect(db, &err);
}

/* Deliver the collected result of an async query (or err) to its callback. */
static void
db_finish_query(struct db *db, const struct st_error *err0)
{
    struct st_error err = ST_ERROR_INIT;
    PGresult *res = db->pending;
    struct db_res *r = NULL;

    db->pending = NULL;
    db->state = DB_IDLE;
    if (db->ev != NULL)
        event_del(db->ev);
    /* Sync calls after async use expect blocking mode (PQputCopyData never returns 0). */
    (void)PQsetnonblocking(db->conn, 0);
    if (err0 == NULL) {
        if (res == NULL) {
            st_error_set(&err, "no result from server");
        } else {
            r = db_result(db, res, &err);
            res = NULL;
        }
    } else {
        err = *err0;
    }
    PQclear(res);
    db->result_cb(db, r, r != NULL ? NULL : &err, db->cb_arg);
}

static void
db_step_query(struct db *db, short what)
{
    struct st_error err = ST_ERROR_INIT;
    PGresult *res;

    if ((what & EV_READ) && !PQconsumeInput(db->conn))
        goto fail;
    if (db->flushing) {
        int f = PQflush(db->conn);
        if (f == -1)
            goto fail;
        db->flushing = f == 1;
    }
    while (!db->flushing && !PQisBusy(db->conn)) {
        if ((res = PQgetResult(db->conn)) == NULL) {
            db_finish_query(db, NULL);
            return;
        }
        /* Keep the first error, else the last result (one per statement). */
        if (db->pending != NULL && PQresultStatus(db->pending) == PGRES_FATAL_ERROR) {
            PQclear(res);
        } else {
            PQclear(db->pending);
            db->pending = res;
        }
    }
    if (db_arm(db, db->flushing ? EV_READ | EV_WRITE : EV_READ, &err) == 0)
        return;
    db_finish_query(db, &err);
    return;
fail:
    st_error_set(&err, "%s", db_errmsg(db));
    db_finish_query(db, &err);
}

static void
db_on_socket(evutil_socket_t fd, short what, void *arg)
{
    struct db *db = arg;

    (void)fd;
    if (db->state == DB_CONNECTING)
        db_step_connect(db, what, "");
    else if (db->state == DB_QUERYING)
        db_step_query(db, what);
}

/* See db.h. */
struct db *
db_connect_start(struct event_base *base, const char *url, double timeout_s,
    db_connect_fn *cb, void *arg, struct st_error *err)
{
    const char *values[] = { DB_CONNECT_TIMEOUT_S, "steward", url, NULL };
    PGconn *conn;
    struct db *db;

    if (db_check_url(url, err) == -1)
        return NULL;
    conn = PQconnectStartParams(db_conn_keys, values, 1);
    if (conn == NULL || PQstatus(conn) == CONNECTION_BAD) {
        db_connect_error(conn, url, err);
        PQfinish(conn);
        return NULL;
    }
    db = db_wrap(conn);
    db->base = base;
    db->state = DB_CONNECTING;
    db->timeout_s = timeout_s;
    db->connect_cb = cb;
    db->cb_arg = arg;
    /* libpq wants writability first after PQconnectStart. */
    if (db_arm(db, EV_WRITE, err) == -1) {
        db_close(db);
        return NULL;
    }
    return db;
}

/* See db.h. */
void
db_attach(struct db *db, struct event_base *base)
{
    db->base = base;
}

/* See db.h. */
int
db_query_start(struct db *db, const char *sql, int nparams, const char *const *params,
    db_result_fn *cb, void *arg, struct st_error *err)
{
    int f;

    if (db->base == NULL) {
        st_error_set(err, "async query on a connection without an event base (db_attach)");
        return -1;
    }
    if (db_check_idle(db, err) == -1)
        return -1;
    if (PQsetnonblocking(db->conn, 1) == -1
        || !PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0)) {
        st_error_set(err, "send query: %s", db_errmsg(db));
        (void)PQsetnonblocking(db->conn, 0);
        return -1;
    }
    if ((f = PQflush(db->conn)) == -1) {
        st_error_set(err, "send query: %s", db_errmsg(db));
        (void)PQsetnonblocking(db->conn, 0);
        return -1;
    }
    db->flushing = f == 1;
    db->state = DB_QUERYING;
    db->result_cb = cb;
    db->cb_arg = arg;
    if (db_arm(db, db->flushing ? EV_READ | EV_WRITE : EV_READ, err) == -1) {
        db->state = DB_IDLE;
        (void)PQsetnonblocking(db->conn, 0);
        return -1;
    }
    return 0;
}

/* See db.h. */
bool
db_is_busy(const struct db *db)
{
    return db->state != DB_IDLE;
}
