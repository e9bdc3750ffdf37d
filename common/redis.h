/*
 * redis.h -- Redis access for steward (hiredis 0.14, the Debian 12 version).
 *
 * Two paths over one URL syntax:
 *   sync   rds_connect / rds_cmdv: for commands run outside an event loop (CLI, tests).
 *          A broken connection is re-dialled by the next call, paced by a jittered backoff.
 *   async  rds_async_new / rds_async_cmdv: on a libevent base through hiredis's libevent
 *          adapter; reconnects by itself with exponential backoff and full jitter.
 *
 * URLs: redis://[[user]:password@]host[:port][/db] and unix:///path/redis.sock[?db=N].
 * rediss:// (TLS) is refused: this hiredis has no TLS, and a silent downgrade to
 * plain text would leak the password.
 *
 * Replies are copied into struct rds_value so that callers never include hiredis.
 */
#ifndef STEWARD_REDIS_H
#define STEWARD_REDIS_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

struct event_base;

struct rds_url {
    char *host;                 /* NULL for a unix socket */
    int port;
    char *path;                 /* unix socket path, or NULL */
    char *username;             /* Redis 6 ACL user, or NULL */
    char *password;             /* secret, or NULL */
    int db;
};

/* Parse url into u (owned strings; release with rds_url_fini). 0, or -1 with err set. */
int rds_url_parse(const char *url, struct rds_url *u, struct st_error *err);
void rds_url_fini(struct rds_url *u);

enum rds_type { RDS_NIL, RDS_STRING, RDS_STATUS, RDS_INTEGER, RDS_ARRAY, RDS_ERROR };

/* A reply, deep-copied out of hiredis. */
struct rds_value {
    enum rds_type type;
    long long integer;          /* RDS_INTEGER */
    char *str;                  /* RDS_STRING, RDS_STATUS, RDS_ERROR (NUL-terminated) */
    size_t len;
    struct rds_value *elems;    /* RDS_ARRAY */
    size_t nelems;
};

void rds_value_free(struct rds_value *v);

struct rds;

/*
 * Connect, AUTH and SELECT. Returns a connection (free with rds_close), or NULL with err
 * naming the server and a hint ("redis 127.0.0.1:6379: Connection refused (is
 * redis-server running there? check STEWARD_REDIS_URL)"). The password is never printed.
 */
struct rds *rds_connect(const char *url, double timeout_s, struct st_error *err);
/* As rds_connect, retrying transient failures (refused, timeout, LOADING) with jittered
   backoff for up to max_wait_s. Authentication errors fail at once. */
struct rds *rds_connect_retry(const char *url, double max_wait_s, struct st_error *err);
void rds_close(struct rds *r);

/*
 * Run one command. On success *out holds the reply (RDS_ERROR replies included: the
 * command ran, the server refused it) and 0 is returned. On a connection failure returns
 * -1 with err set; the command is not resent (it may not be idempotent) and the next call
 * re-dials once the backoff delay has passed.
 */
int rds_cmdv(struct rds *r, int argc, const char **argv, const size_t *lens,
    struct rds_value **out, struct st_error *err);
/* Convenience over rds_cmdv for NUL-terminated arguments, terminated by NULL. */
int rds_cmd(struct rds *r, struct rds_value **out, struct st_error *err, const char *arg0, ...)
    __attribute__((sentinel));

struct rds_async;

/* Reply callback: reply is borrowed (NULL when the connection went away first, then
   errstr says why). */
typedef void rds_reply_fn(const struct rds_value *reply, const char *errstr, void *arg);
/* Connection state callback: connected or lost (errstr says why, NULL on a clean close). */
typedef void rds_state_fn(bool connected, const char *errstr, void *arg);

/*
 * Start an async connection on base. It dials at once and again after every loss, with
 * backoff from 100 ms to 30 s (full jitter). Returns NULL with err only for a bad URL.
 */
struct rds_async *rds_async_new(struct event_base *base, const char *url,
    rds_state_fn *on_state, void *arg, struct st_error *err);
bool rds_async_connected(const struct rds_async *a);
/* Queue a command. -1 with err when not connected (callers decide to retry or drop). */
int rds_async_cmdv(struct rds_async *a, rds_reply_fn *cb, void *arg, int argc,
    const char **argv, const size_t *lens, struct st_error *err);
/* Disconnect and free; pending callbacks run with reply NULL. Takes NULL. */
void rds_async_free(struct rds_async *a);

#endif
