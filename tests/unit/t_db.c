/*
 * t_db.c -- common/db.c against the real test server: queries, diagnostics, connect
 * error messages and hints (never the password), retry policy, and the async path
 * driven by a libevent loop. Skips without STEWARD_TEST_PG_URL unless CI=true.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>

#include "db.h"
#include "tap.h"

static const char *pg_url, *pg_host, *pg_port;

static void
test_query_value_and_params(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct db *db = db_connect(pg_url, &err);
    const char *params[] = { "21", NULL };
    struct db_res *res;
    char *v = NULL;

    ok(db != NULL, "connects to the test server");
    if (db == NULL) {
        printf("# %s\n", err.msg);
        return;
    }
    is_int(db_query_value(db, "SELECT $1::int * 2", 1, params, &v, &err), 1, "one value");
    is_str(v, "42", "parameter travels as text and comes back computed");
    free(v);
    res = db_query_params(db, "SELECT $1::text AS a, $2::text AS b", 2, params, &err);
    ok(res != NULL, "two-column query");
    is_int(db_res_col(res, "b"), 1, "column index by name");
    ok(db_res_value(res, 0, 1) == NULL, "SQL NULL reads as NULL");
    db_res_free(res);
    is_int(db_query_value(db, "SELECT 1 WHERE false", 0, NULL, &v, &err), 0, "no row is 0");
    ok(db_exec(db, "CREATE TEMP TABLE t (x int); INSERT INTO t VALUES (1), (2), (3)", &err) == 0,
        "multi-statement db_exec");
    is_int(db_exec_params(db, "UPDATE t SET x = x + 1 WHERE x > $1", 1,
        (const char *[]){ "1" }, &err), 2, "db_exec_params returns affected rows");
    db_close(db);
}

static void
test_server_error_diag(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct db *db = db_connect(pg_url, &err);
    const struct db_diag *d;
    char *q;

    if (db == NULL)
        return;
    is_int(db_exec(db, "SELECT 1;\nSELEC 2", &err), -1, "syntax error fails");
    is_str(err.msg, "syntax error at or near \"SELEC\"", "err is the primary message");
    d = db_last_diag(db);
    is_str(d->sqlstate, "42601", "sqlstate recorded");
    is_int(d->position, 11, "statement position counts from the start of the text sent");
    q = db_quote_ident(db, "odoo__crm \"lead\"", &err);
    is_str(q, "\"odoo__crm \"\"lead\"\"\"", "identifier quoted");
    free(q);
    ok(!db_is_broken(db), "connection still usable after a server error");
    db_close(db);
}

static void
test_refused_port_names_host_port_and_hint(void)
{
    struct st_error err = ST_ERROR_INIT;
    char url[256];

    (void)snprintf(url, sizeof(url), "postgresql://steward:sekrit-pw-1@127.0.0.1:1/steward_test");
    ok(db_connect(url, &err) == NULL, "refused port fails");
    like(err.msg, "connect to PostgreSQL at 127.0.0.1:1 (database steward_test, user steward)",
        "message names host, port, database and user");
    like(err.msg, "Connection refused", "libpq's reason is kept");
    like(err.msg, "(is PostgreSQL running on 127.0.0.1:1?)", "hint names host:port");
    unlike(err.msg, "sekrit-pw-1", "password never printed");
    ok(db_error_is_transient(err.msg), "refused is transient");
}

static void
test_wrong_password_never_printed(void)
{
    struct st_error err = ST_ERROR_INIT;
    char url[256];

    (void)snprintf(url, sizeof(url), "postgresql://steward:Wr0ng-Pa55word@%s:%s/steward_test",
        pg_host, pg_port);
    ok(db_connect(url, &err) == NULL, "wrong password fails");
    like(err.msg, "password authentication failed for user \"steward\"", "reason kept");
    like(err.msg, "(check the password in STEWARD_DATABASE_URL / .env)", "password hint");
    unlike(err.msg, "Wr0ng-Pa55word", "password never printed");
    unlike(err.msg, "FATAL", "libpq severity tag dropped");
    ok(!db_error_is_transient(err.msg), "auth failure is not transient");
}

static void
test_missing_database_hint(void)
{
    struct st_error err = ST_ERROR_INIT;
    char url[512], want[128];

    (void)snprintf(url, sizeof(url), "%.*s/no_such_db_t", (int)(strrchr(pg_url, '/') - pg_url),
        pg_url);
    ok(db_connect(url, &err) == NULL, "missing database fails");
    like(err.msg, "database \"no_such_db_t\" does not exist", "reason kept");
    (void)snprintf(want, sizeof(want), "(create it: createdb no_such_db_t)");
    like(err.msg, want, "createdb hint");
}

static void
test_invalid_url_hides_password(void)
{
    struct st_error err = ST_ERROR_INIT;

    ok(db_connect("postgresql://steward:topsecretpw@h:notaport/x", &err) == NULL,
        "bad port in URL fails");
    like(err.msg, "invalid", "says the URL is invalid");
    unlike(err.msg, "topsecretpw", "password never printed");
    ok(db_connect("", &err) == NULL, "empty URL fails");
    like(err.msg, "no database URL", "empty URL named");
}

static void
test_retry_gives_up_on_refused_but_not_on_auth(void)
{
    struct st_error err = ST_ERROR_INIT;
    char url[256];
    double t0;

    (void)snprintf(url, sizeof(url), "postgresql://steward:x@127.0.0.1:1/steward_test");
    t0 = st_now_s();
    ok(db_connect_retry(url, 1.0, &err) == NULL, "refused for 1 s fails");
    like(err.msg, "gave up after", "says it retried");
    ok(st_now_s() - t0 < 3.0, "within the wait budget");
    (void)snprintf(url, sizeof(url), "postgresql://steward:bad@%s:%s/steward_test", pg_host,
        pg_port);
    t0 = st_now_s();
    ok(db_connect_retry(url, 10.0, &err) == NULL, "wrong password fails");
    ok(st_now_s() - t0 < 2.0, "auth failure is not retried");
    unlike(err.msg, "gave up", "no retry message on auth failure");
}

/* common/ does not log: retrying writes nothing to stderr, the final err says it all. */
static void
test_retry_logs_nothing(void)
{
    struct st_error err = ST_ERROR_INIT;
    char path[] = "/tmp/t_db_stderr.XXXXXX";
    int fd = mkstemp(path), saved = dup(STDERR_FILENO);
    off_t size;

    ok(fd >= 0 && saved >= 0 && dup2(fd, STDERR_FILENO) == STDERR_FILENO, "stderr captured");
    ok(db_connect_retry("postgresql://steward:x@127.0.0.1:1/steward_test", 1.0, &err) == NULL,
        "refused for 1 s fails");
    (void)dup2(saved, STDERR_FILENO);
    size = lseek(fd, 0, SEEK_END);
    is_int((int64_t)size, 0, "no output while retrying");
    like(err.msg, "gave up after", "one error says it retried");
    close(fd);
    close(saved);
    (void)unlink(path);
}

static void
test_copy_in(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct db *db = db_connect(pg_url, &err);
    const char rows[] = "1\tone\n2\ttwo\n3\t\\N\n";
    char *v = NULL;

    if (db == NULL)
        return;
    (void)db_exec(db, "CREATE TEMP TABLE c (n int, s text)", &err);
    ok(db_copy_begin(db, "COPY c (n, s) FROM STDIN", &err) == 0, "copy begins");
    ok(db_copy_put(db, rows, 8, &err) == 0 && db_copy_put(db, rows + 8, sizeof(rows) - 9, &err) == 0,
        "data sent in pieces");
    is_int(db_copy_end(db, NULL, &err), 3, "copy end returns rows copied");
    (void)db_query_value(db, "SELECT string_agg(coalesce(s, 'null'), ',' ORDER BY n) FROM c", 0,
        NULL, &v, &err);
    is_str(v, "one,two,null", "rows landed");
    free(v);
    ok(db_copy_begin(db, "COPY c (n, s) FROM STDIN", &err) == 0, "second copy begins");
    (void)db_copy_put(db, "x\ty\n", 4, &err);
    is_int(db_copy_end(db, NULL, &err), -1, "bad row fails at end");
    like(err.msg, "invalid input syntax for type integer", "server's reason");
    is_str(db_last_diag(db)->sqlstate, "22P02", "sqlstate of the bad row");
    ok(db_copy_begin(db, "COPY c (n, s) FROM STDIN", &err) == 0, "copy after a failure");
    is_int(db_copy_end(db, "changed my mind", &err), -1, "abort fails the copy");
    like(err.msg, "changed my mind", "abort reason reported");
    ok(db_exec(db, "SELECT 1", &err) == 0, "connection idle again");
    ok(db_copy_begin(db, "SELECT 1", &err) == -1, "non-COPY statement refused");
    db_close(db);
}

static void
test_sslmode_is_honoured(void)
{
    struct st_error err = ST_ERROR_INIT;
    char url[512];

    (void)snprintf(url, sizeof(url), "%s?sslmode=require", pg_url);
    ok(db_connect(url, &err) == NULL, "sslmode=require against a server without SSL fails");
    like(err.msg, "SSL", "libpq's SSL reason kept");
    like(err.msg, "(check sslmode (and sslrootcert) in the URL", "ssl hint");
    (void)snprintf(url, sizeof(url), "%s?sslmode=disable&application_name=t_db", pg_url);
    struct db *db = db_connect(url, &err);
    char *v = NULL;
    ok(db != NULL && db_query_value(db, "SELECT current_setting('application_name')", 0, NULL,
        &v, &err) == 1, "URL parameters reach the server");
    is_str(v, "t_db", "application_name from the URL");
    free(v);
    db_close(db);
}

/* ---- async ---- */

struct async_run {
    struct event_base *base;
    char value[64];
    char error[ST_ERRLEN];
    int connected, results;
};

static void
on_result(struct db *db, struct db_res *res, const struct st_error *err, void *arg)
{
    struct async_run *r = arg;
    const char *v;

    (void)db;
    r->results++;
    if (res != NULL) {
        v = db_res_value(res, 0, 0);
        (void)snprintf(r->value, sizeof(r->value), "%s", v != NULL ? v : "(null)");
        db_res_free(res);
    } else {
        (void)snprintf(r->error, sizeof(r->error), "%s", err->msg);
    }
    event_base_loopbreak(r->base);
}

static void
on_connect(struct db *db, const struct st_error *err, void *arg)
{
    struct async_run *r = arg;
    struct st_error qerr = ST_ERROR_INIT;
    const char *params[] = { "steward" };

    if (err != NULL) {
        (void)snprintf(r->error, sizeof(r->error), "%s", err->msg);
        event_base_loopbreak(r->base);
        return;
    }
    r->connected = 1;
    if (db_query_start(db, "SELECT upper($1) || pg_sleep(0.05)::text", 1, params, on_result, r,
            &qerr) == -1) {
        (void)snprintf(r->error, sizeof(r->error), "%s", qerr.msg);
        event_base_loopbreak(r->base);
    }
}

static void
test_async_connect_and_query(void)
{
    struct async_run r = { 0 };
    struct st_error err = ST_ERROR_INIT;
    struct db *db;

    r.base = event_base_new();
    db = db_connect_start(r.base, pg_url, 5.0, on_connect, &r, &err);
    ok(db != NULL, "async connect starts");
    if (db == NULL)
        goto out;
    ok(db_is_busy(db), "busy while connecting");
    is_int(event_base_dispatch(r.base), 0, "loop runs");
    is_int(r.connected, 1, "connected through the loop");
    is_int(r.results, 1, "one result callback");
    is_str(r.value, "STEWARD", "query result arrives through the loop");
    ok(!db_is_busy(db), "idle after the result");
    r.results = 0;
    ok(db_query_start(db, "SELECT nosuchcolumn", 0, NULL, on_result, &r, &err) == 0,
        "second query starts");
    (void)event_base_dispatch(r.base);
    is_str(r.error, "column \"nosuchcolumn\" does not exist", "async error reaches callback");
    is_str(db_last_diag(db)->sqlstate, "42703", "async error diag recorded");
out:
    db_close(db);
    event_base_free(r.base);
}

static void
test_async_connect_refused(void)
{
    struct async_run r = { 0 };
    struct st_error err = ST_ERROR_INIT;
    struct db *db;

    r.base = event_base_new();
    db = db_connect_start(r.base, "postgresql://steward:pw1234@127.0.0.1:1/x", 5.0, on_connect,
        &r, &err);
    if (db != NULL)
        (void)event_base_dispatch(r.base);
    else
        (void)snprintf(r.error, sizeof(r.error), "%s", err.msg);
    like(r.error, "is PostgreSQL running on 127.0.0.1:1?", "async refusal has the hint");
    is_int(r.connected, 0, "never connected");
    db_close(db);
    event_base_free(r.base);
}

/* A TCP listener that accepts connections (kernel backlog) but never answers. */
static int
silent_listener(int *port)
{
    struct sockaddr_in sa = { .sin_family = AF_INET };
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd == -1 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 || listen(fd, 8) == -1
        || getsockname(fd, (struct sockaddr *)&sa, &len) == -1) {
        if (fd != -1)
            close(fd);
        return -1;
    }
    *port = ntohs(sa.sin_port);
    return fd;
}

static void
test_silent_server_times_out(void)
{
    struct async_run r = { 0 };
    struct st_error err = ST_ERROR_INIT;
    char url[256];
    struct db *db;
    double t0;
    int port, fd = silent_listener(&port);

    if (fd == -1) {
        ok(0, "listener for the timeout test");
        return;
    }
    (void)snprintf(url, sizeof(url), "postgresql://steward:pw-4567@127.0.0.1:%d/x?connect_timeout=2",
        port);
    t0 = st_now_s();
    ok(db_connect(url, &err) == NULL, "sync connect to a silent server fails");
    ok(st_now_s() - t0 < 4.5, "after the URL's connect_timeout");
    like(err.msg, "timeout expired", "says the timeout expired");
    like(err.msg, "reachable", "timeout hint");
    ok(db_error_is_transient(err.msg), "timeout is transient");

    r.base = event_base_new();
    t0 = st_now_s();
    db = db_connect_start(r.base, url, 0.3, on_connect, &r, &err);
    ok(db != NULL, "async connect to a silent server starts");
    if (db != NULL)
        (void)event_base_dispatch(r.base);
    ok(st_now_s() - t0 < 1.5, "async connect gives up after its own timeout");
    like(r.error, "timeout expired", "async timeout reported");
    db_close(db);
    event_base_free(r.base);
    close(fd);
}

/* A connection used async must COPY synchronously afterwards (blocking mode restored). */
static void
test_copy_after_async_use(void)
{
    struct async_run r = { 0 };
    struct st_error err = ST_ERROR_INIT;
    size_t nrows = 200000, len = 0;
    char *buf = st_xmalloc(nrows * 16), *v = NULL;
    struct db *db;

    r.base = event_base_new();
    db = db_connect_start(r.base, pg_url, 5.0, on_connect, &r, &err);
    if (db == NULL)
        goto out;
    (void)event_base_dispatch(r.base);
    is_str(r.value, "STEWARD", "async query done before the copy");
    for (size_t i = 0; i < nrows; i++)
        len += (size_t)snprintf(buf + len, 16, "%zu\tx\n", i);
    ok(db_exec(db, "CREATE TEMP TABLE ca (n int, s text)", &err) == 0, "table made after async");
    ok(db_copy_begin(db, "COPY ca (n, s) FROM STDIN", &err) == 0, "copy begins after async");
    is_int(db_copy_put(db, buf, len, &err), 0, "one big put succeeds after async use");
    is_int(db_copy_end(db, NULL, &err), (int64_t)nrows, "every row copied after async use");
    (void)db_query_value(db, "SELECT sum(n) FROM ca", 0, NULL, &v, &err);
    is_str(v, "19999900000", "sum of copied rows exact");
    free(v);
out:
    free(buf);
    db_close(db);
    event_base_free(r.base);
}

int
main(void)
{
    pg_url = getenv("STEWARD_TEST_PG_URL");
    pg_host = getenv("STEWARD_TEST_PG_HOST");
    pg_port = getenv("STEWARD_TEST_PG_PORT");
    if (pg_url == NULL || pg_host == NULL || pg_port == NULL) {
        const char *ci = getenv("CI");
        if (ci != NULL && strcmp(ci, "true") == 0) {
            printf("Bail out! STEWARD_TEST_PG_URL unset in CI\n");
            return 1;
        }
        printf("1..0 # SKIP no test servers (STEWARD_TEST_PG_URL unset)\n");
        return 0;
    }
    test_query_value_and_params();
    test_server_error_diag();
    test_refused_port_names_host_port_and_hint();
    test_wrong_password_never_printed();
    test_missing_database_hint();
    test_invalid_url_hides_password();
    test_retry_gives_up_on_refused_but_not_on_auth();
    test_retry_logs_nothing();
    test_copy_in();
    test_sslmode_is_honoured();
    test_async_connect_and_query();
    test_async_connect_refused();
    test_silent_server_times_out();
    test_copy_after_async_use();
    return done_testing();
}
