/*
 * db.h -- PostgreSQL connections for steward (the only module that speaks libpq).
 *
 * Callers never see libpq types: a connection is a struct db, a result a struct db_res
 * read through db_res_* accessors, and the last server error a struct db_diag.
 *
 *   struct db *db = db_connect_retry(cfg->database.url, 30.0, &err);
 *   const char *params[] = { batch_id };
 *   if (db_exec_params(db, "UPDATE ops.batches SET status = 'failed' WHERE id = $1",
 *           1, params, &err) == -1) ...
 *   char *n = NULL;
 *   if (db_query_value(db, "SELECT count(*) FROM ops.batches", 0, NULL, &n, &err) == 1) ...
 *
 * Values travel as text parameters ($1...), never formatted into SQL (STYLE 11).
 * Async (libevent) use: db_connect_start() and db_query_start(), driven by the
 * connection's socket; one query in flight per connection.
 */
#ifndef STEWARD_DB_H
#define STEWARD_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct db;
struct db_res;
struct event_base;

/* The server's description of the last failed command (fields empty/0 when absent). */
struct db_diag {
    char sqlstate[6];           /* "42601"; "" when the failure was not the server's */
    int position;               /* PG_DIAG_STATEMENT_POSITION: 1-based chars into the text sent */
    int internal_position;      /* PG_DIAG_INTERNAL_POSITION, into internal_query */
    const char *message;        /* primary message; these strings are owned by the db */
    const char *detail;
    const char *hint;
    const char *context;
    const char *internal_query;
};

/*
 * Connect once. The URL goes to libpq unchanged (sslmode and other parameters apply;
 * connect_timeout defaults to 10 s). Returns a connection (free with db_close) or NULL
 * with err naming host, port, database and user (never the password), libpq's reason
 * and a hint chosen from it ("is PostgreSQL running on HOST:PORT?").
 */
struct db *db_connect(const char *url, struct st_error *err);

/*
 * Connect, retrying transient failures (refused, too many clients, starting up, DNS,
 * timeout) with exponential backoff and jitter for at most max_wait_s seconds, sleeping
 * between attempts (blocking: for CLI commands, not event loops) and logging nothing; the
 * final err says how many attempts were made. Authentication, missing database or role, SSL and URL errors
 * fail at once. Returns as db_connect.
 */
struct db *db_connect_retry(const char *url, double max_wait_s, struct st_error *err);

/* True when a db_connect failure message describes a condition worth retrying. */
bool db_error_is_transient(const char *msg);

/* Close and free; takes NULL. A pending async operation is dropped without callback. */
void db_close(struct db *db);

/* libpq's message for the connection, without the trailing newline (owned by db). */
const char *db_errmsg(struct db *db);

/* The last failed command's server diagnostics (valid until the next command). */
const struct db_diag *db_last_diag(const struct db *db);

/* True when the connection is gone (reconnect: db_close, then db_connect_retry). */
bool db_is_broken(const struct db *db);

/*
 * Run one or more SQL commands without parameters (simple query protocol). Returns 0,
 * or -1 with err set to the server's primary message (details: db_last_diag).
 */
int db_exec(struct db *db, const char *sql, struct st_error *err);

/*
 * Run a script of many statements (a migration file) in one round trip. Returns 0, or
 * -1 with err set and *failed_stmt the 0-based index of the statement that failed among
 * the script's non-empty statements (-1 when unknown); positions: db_last_diag.
 */
int db_exec_script(struct db *db, const char *sql, int *failed_stmt, struct st_error *err);

/* Run one command with text parameters. Returns the affected row count, or -1. */
int64_t db_exec_params(struct db *db, const char *sql, int nparams,
    const char *const *params, struct st_error *err);

/*
 * Run one query with text parameters. Returns its rows (free with db_res_free), or
 * NULL with err set.
 */
struct db_res *db_query_params(struct db *db, const char *sql, int nparams,
    const char *const *params, struct st_error *err);

/*
 * Run a query and take the first column of its first row. Returns 1 with *out set to a
 * malloc'd copy (NULL for SQL NULL; caller frees), 0 when there is no row (*out
 * untouched), -1 with err set.
 */
int db_query_value(struct db *db, const char *sql, int nparams, const char *const *params,
    char **out, struct st_error *err);

/*
 * Bulk load with COPY ... FROM STDIN (text or csv, as the statement says):
 *   db_copy_begin(db, "COPY raw.t (a, b) FROM STDIN", &err);
 *   db_copy_put(db, "1\tx\n", 4, &err) ...;
 *   n = db_copy_end(db, NULL, &err);      (rows copied, or -1)
 * db_copy_end(db, "reason", err) aborts the COPY (the statement then fails). After a
 * failed db_copy_put, call db_copy_end with a reason to return the connection to idle.
 */
int db_copy_begin(struct db *db, const char *sql, struct st_error *err);
int db_copy_put(struct db *db, const void *data, size_t len, struct st_error *err);
int64_t db_copy_end(struct db *db, const char *abort_reason, struct st_error *err);

/* BEGIN / COMMIT / ROLLBACK. The function that begins owns the end (STYLE 11). */
int db_begin(struct db *db, struct st_error *err);
int db_commit(struct db *db, struct st_error *err);
/* Roll back; failures are ignored (the connection may be broken already). */
void db_rollback(struct db *db);

/* Quote an identifier ("odoo__crm_lead" -> "\"odoo__crm_lead\""). malloc'd, or NULL. */
char *db_quote_ident(struct db *db, const char *name, struct st_error *err);

/* Result accessors. Rows and columns count from 0; value is NULL for SQL NULL. */
int db_res_nrows(const struct db_res *res);
int db_res_ncols(const struct db_res *res);
const char *db_res_value(const struct db_res *res, int row, int col);
const char *db_res_colname(const struct db_res *res, int col);
/* Column index by name, or -1. */
int db_res_col(const struct db_res *res, const char *name);
/* Affected rows of a command ("UPDATE 3" -> 3), 0 when none. */
int64_t db_res_affected(const struct db_res *res);
void db_res_free(struct db_res *res);

/*
 * Async use from a libevent loop. Callbacks run from the loop, never from inside the
 * call that started the operation.
 *
 * db_connect_start: begins a non-blocking connect; cb(db, NULL, arg) once connected,
 * cb(db, err, arg) on failure or after timeout_s (0 = no timeout), after which the
 * caller db_close()s. Returns the db, or NULL with err when it cannot even start.
 */
typedef void db_connect_fn(struct db *db, const struct st_error *err, void *arg);
struct db *db_connect_start(struct event_base *base, const char *url, double timeout_s,
    db_connect_fn *cb, void *arg, struct st_error *err);

/*
 * db_query_start: sends one query; cb(db, res, NULL, arg) with the result (the callback
 * owns res) or cb(db, NULL, err, arg). Returns 0, or -1 with err when it could not send
 * (not connected, another query in flight).
 */
typedef void db_result_fn(struct db *db, struct db_res *res, const struct st_error *err,
    void *arg);
int db_query_start(struct db *db, const char *sql, int nparams, const char *const *params,
    db_result_fn *cb, void *arg, struct st_error *err);

/* Let a connection made with db_connect run async queries on base (borrowed). */
void db_attach(struct db *db, struct event_base *base);

/* True while an async connect or query is in flight. */
bool db_is_busy(const struct db *db);

#endif
