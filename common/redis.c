/*
 * redis.c -- Redis connections over hiredis 0.14: URL parsing, a sync client that
 * re-dials lazily with backoff, and an async client on libevent that reconnects by itself.
 * Owns every hiredis call outside queue.c and the copy of replies into struct rds_value.
 * Does not log: failures go to the caller's err or state callback. Does not own the
 * event base. Tests: tests/unit/t_redis_url.c, tests/unit/t_redis.c (real redis-server).
 */
#include "config.h"
#include "redis.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>
#include <time.h>

#include <event2/event.h>
#include <hiredis/adapters/libevent.h>
#include <hiredis/async.h>
#include <hiredis/hiredis.h>

#include "backoff.h"

#define RDS_DEFAULT_PORT 6379
#define RDS_MAX_ARGS 64
#define RDS_CONNECT_TIMEOUT_MS 5000
#define RDS_WHERE 200            /* host:port or socket path, for messages */
#define RDS_MSG 700

/* ---- URLs ---- */

static int
rds_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Percent-decode s[0..n) into a new string; NULL when an escape is malformed. */
static char *
rds_pct_decode(const char *s, size_t n)
{
    char *out = st_xmalloc(n + 1), *o = out;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            int hi, lo;

            if (i + 2 >= n || (hi = rds_hexval(s[i + 1])) < 0 || (lo = rds_hexval(s[i + 2])) < 0)
                goto bad;
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    return out;
bad:
    *o = '\0';                  /* st_free_secret wipes up to the NUL */
    st_free_secret(out);
    return NULL;
}

static int
rds_parse_int(const char *s, size_t n, int min, int max, int *out)
{
    long v = 0;

    if (n == 0 || n > 9)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    if (v < min || v > max)
        return -1;
    *out = (int)v;
    return 0;
}

/* userinfo "user:pass" or ":pass" or "pass"-less "user". */
static int
rds_parse_userinfo(const char *s, size_t n, struct rds_url *u, struct st_error *err)
{
    const char *colon = memchr(s, ':', n);

    if (colon == NULL) {
        /* redis://secret@host is how many clients spell a password alone */
        if ((u->password = rds_pct_decode(s, n)) == NULL)
            goto bad;
        return 0;
    }
    if (colon > s && (u->username = rds_pct_decode(s, (size_t)(colon - s))) == NULL)
        goto bad;
    if ((u->password = rds_pct_decode(colon + 1, n - (size_t)(colon - s) - 1)) == NULL)
        goto bad;
    return 0;
bad:
    st_error_set(err, "redis URL: bad %%-escape in the user or password part");
    return -1;
}

static int
rds_parse_hostport(const char *s, size_t n, struct rds_url *u, const char *url,
    struct st_error *err)
{
    const char *port = NULL;

    if (n > 0 && s[0] == '[') {                 /* [::1]:6379 */
        const char *close = memchr(s, ']', n);

        if (close == NULL) {
            st_error_set(err, "redis URL: unclosed [ in host: %s", url);
            return -1;
        }
        u->host = st_xstrndup(s + 1, (size_t)(close - s - 1));
        if ((size_t)(close - s) + 1 < n) {
            if (close[1] != ':') {
                st_error_set(err, "redis URL: junk after ] in host: %s", url);
                return -1;
            }
            port = close + 2;
        }
    } else {
        const char *colon = memchr(s, ':', n);

        u->host = st_xstrndup(s, colon ? (size_t)(colon - s) : n);
        if (colon != NULL)
            port = colon + 1;
    }
    if (u->host[0] == '\0') {
        free(u->host);
        u->host = st_xstrdup("127.0.0.1");
    }
    u->port = RDS_DEFAULT_PORT;
    if (port != NULL && rds_parse_int(port, n - (size_t)(port - s), 1, 65535, &u->port) == -1) {
        st_error_set(err, "redis URL: bad port \"%.*s\" (use 1-65535)", (int)(n - (size_t)(port - s)),
            port);
        return -1;
    }
    return 0;
}

static int
rds_parse_query_db(const char *q, struct rds_url *u, struct st_error *err)
{
    while (q != NULL && *q != '\0') {
        const char *amp = strchr(q, '&');
        size_t n = amp ? (size_t)(amp - q) : strlen(q);

        if (n > 3 && strncmp(q, "db=", 3) == 0) {
            if (rds_parse_int(q + 3, n - 3, 0, 1000000, &u->db) == -1) {
                st_error_set(err, "redis URL: bad db \"%.*s\" (use a number)", (int)n - 3, q + 3);
                return -1;
            }
        } else if (n > 9 && strncmp(q, "password=", 9) == 0) {
            free(u->password);
            if ((u->password = rds_pct_decode(q + 9, n - 9)) == NULL) {
                st_error_set(err, "redis URL: bad %%-escape in password");
                return -1;
            }
        }
        q = amp ? amp + 1 : NULL;
    }
    return 0;
}

static int
rds_parse_tcp(const char *rest, struct rds_url *u, const char *url, struct st_error *err)
{
    const char *slash = strchr(rest, '/'), *query = strchr(rest, '?');
    const char *end = slash ? slash : (query ? query : rest + strlen(rest));
    const char *at = NULL;

    for (const char *p = rest; p < end; p++)   /* the last @ ends the userinfo */
        if (*p == '@')
            at = p;
    if (at != NULL && rds_parse_userinfo(rest, (size_t)(at - rest), u, err) == -1)
        return -1;
    if (rds_parse_hostport(at ? at + 1 : rest, (size_t)(end - (at ? at + 1 : rest)), u, url, err) == -1)
        return -1;
    if (slash != NULL) {
        const char *dbend = query ? query : slash + strlen(slash);

        if (dbend > slash + 1 &&
            rds_parse_int(slash + 1, (size_t)(dbend - slash - 1), 0, 1000000, &u->db) == -1) {
            st_error_set(err, "redis URL: bad database number \"%.*s\" (use /0, /1, ...)",
                (int)(dbend - slash - 1), slash + 1);
            return -1;
        }
    }
    return rds_parse_query_db(query ? query + 1 : NULL, u, err);
}

int
rds_url_parse(const char *url, struct rds_url *u, struct st_error *err)
{
    memset(u, 0, sizeof(*u));
    if (url == NULL || *url == '\0') {
        st_error_set(err, "redis URL is empty (set redis.url, e.g. redis://127.0.0.1:6379/0)");
        return -1;
    }
    if (strncasecmp(url, "rediss://", 9) == 0) {
        st_error_set(err, "rediss:// (TLS) is not supported by this build's hiredis 0.14: "
            "use redis:// over a trusted network or a TLS tunnel (stunnel, spiped)");
        return -1;
    }
    if (strncasecmp(url, "redis://", 8) == 0) {
        if (rds_parse_tcp(url + 8, u, url, err) == -1)
            goto fail;
        return 0;
    }
    if (strncasecmp(url, "unix://", 7) == 0 || url[0] == '/') {
        const char *p = url[0] == '/' ? url : url + 7;
        const char *q = strchr(p, '?');

        u->path = st_xstrndup(p, q ? (size_t)(q - p) : strlen(p));
        if (u->path[0] != '/') {
            st_error_set(err, "redis URL: unix socket path must be absolute: %s", url);
            goto fail;
        }
        if (rds_parse_query_db(q ? q + 1 : NULL, u, err) == -1)
            goto fail;
        return 0;
    }
    st_error_set(err, "redis URL must start with redis:// or unix:// (got \"%.10s...\")", url);
fail:
    rds_url_fini(u);
    return -1;
}

void
rds_url_fini(struct rds_url *u)
{
    free(u->host);
    free(u->path);
    free(u->username);
    st_free_secret(u->password);
    memset(u, 0, sizeof(*u));
}

/* "127.0.0.1:6379" or the socket path, for messages. */
static void
rds_url_where(const struct rds_url *u, char *buf, size_t size)
{
    if (u->path != NULL)
        (void)snprintf(buf, size, "%s", u->path);
    else if (strchr(u->host, ':') != NULL)
        (void)snprintf(buf, size, "[%s]:%d", u->host, u->port);
    else
        (void)snprintf(buf, size, "%s:%d", u->host, u->port);
}

/* ---- replies ---- */

static void
rds_value_copy(struct rds_value *dst, const redisReply *src)
{
    memset(dst, 0, sizeof(*dst));
    switch (src->type) {
    case REDIS_REPLY_STRING:
    case REDIS_REPLY_STATUS:
    case REDIS_REPLY_ERROR:
        dst->type = src->type == REDIS_REPLY_STRING ? RDS_STRING
            : src->type == REDIS_REPLY_STATUS ? RDS_STATUS : RDS_ERROR;
        dst->str = st_xmalloc(src->len + 1);
        memcpy(dst->str, src->str, src->len);
        dst->str[src->len] = '\0';
        dst->len = src->len;
        break;
    case REDIS_REPLY_INTEGER:
        dst->type = RDS_INTEGER;
        dst->integer = src->integer;
        break;
    case REDIS_REPLY_ARRAY:
        dst->type = RDS_ARRAY;
        dst->nelems = src->elements;
        dst->elems = src->elements ? st_xcalloc(src->elements, sizeof(*dst->elems)) : NULL;
        for (size_t i = 0; i < src->elements; i++)
            rds_value_copy(&dst->elems[i], src->element[i]);
        break;
    default:
        dst->type = RDS_NIL;
        break;
    }
}

static struct rds_value *
rds_value_new(const redisReply *src)
{
    struct rds_value *v = st_xmalloc(sizeof(*v));

    rds_value_copy(v, src);
    return v;
}

static void
rds_value_fini(struct rds_value *v)
{
    for (size_t i = 0; i < v->nelems; i++)
        rds_value_fini(&v->elems[i]);
    free(v->elems);
    free(v->str);
}

void
rds_value_free(struct rds_value *v)
{
    if (v == NULL)
        return;
    rds_value_fini(v);
    free(v);
}

/* ---- sync ---- */

struct rds {
    struct rds_url url;
    redisContext *c;            /* NULL while broken */
    double timeout_s;
    struct st_backoff backoff;
    int64_t next_dial_ms;       /* no re-dial before this (monotonic) */
};

static struct timeval
rds_tv(double s)
{
    struct timeval tv;

    if (s <= 0)
        s = 5.0;
    tv.tv_sec = (time_t)s;
    tv.tv_usec = (suseconds_t)((s - (double)tv.tv_sec) * 1e6);
    return tv;
}

/* The hint that goes with a connection failure, by errno-ish text. */
static const char *
rds_hint(const char *msg)
{
    if (strstr(msg, "refused") != NULL || strstr(msg, "No such file") != NULL)
        return " (is redis-server running there? check STEWARD_REDIS_URL)";
    if (strstr(msg, "timed out") != NULL || strstr(msg, "Timeout") != NULL)
        return " (server unreachable or overloaded: check the host, port and firewall)";
    if (strstr(msg, "Name or service") != NULL || strstr(msg, "resolve") != NULL)
        return " (unknown host: check the host name in the redis URL)";
    return "";
}

/* AUTH, SELECT on a fresh context. 0, or -1 with err; *fatal set for auth failures. */
static int
rds_handshake(struct rds *r, bool *fatal, struct st_error *err)
{
    char where[RDS_WHERE], db[16];
    redisReply *rep = NULL;

    rds_url_where(&r->url, where, sizeof(where));
    *fatal = false;
    if (r->url.password != NULL) {
        rep = r->url.username != NULL
            ? redisCommand(r->c, "AUTH %s %s", r->url.username, r->url.password)
            : redisCommand(r->c, "AUTH %s", r->url.password);
        if (rep == NULL || rep->type == REDIS_REPLY_ERROR) {
            st_error_set(err, "redis %s: AUTH failed: %s (check the password in the redis URL)",
                where, rep ? rep->str : r->c->errstr);
            *fatal = rep != NULL;
            goto fail;
        }
        freeReplyObject(rep);
    }
    if (r->url.db != 0) {
        (void)snprintf(db, sizeof(db), "%d", r->url.db);
        rep = redisCommand(r->c, "SELECT %s", db);
        if (rep == NULL || rep->type == REDIS_REPLY_ERROR) {
            st_error_set(err, "redis %s: SELECT %d failed: %s", where, r->url.db,
                rep ? rep->str : r->c->errstr);
            *fatal = rep != NULL;
            goto fail;
        }
        freeReplyObject(rep);
    }
    rep = redisCommand(r->c, "PING");   /* a server that wants AUTH says so here */
    if (rep == NULL || rep->type == REDIS_REPLY_ERROR) {
        st_error_set(err, "redis %s: %s%s", where, rep ? rep->str : r->c->errstr,
            rep && strstr(rep->str, "NOAUTH") ? " (put the password in the redis URL: "
            "redis://:PASSWORD@host:port/db)" : "");
        *fatal = rep != NULL;
        goto fail;
    }
    freeReplyObject(rep);
    return 0;
fail:
    if (rep != NULL)
        freeReplyObject(rep);
    return -1;
}

static int
rds_dial(struct rds *r, bool *fatal, struct st_error *err)
{
    struct timeval tv = rds_tv(r->timeout_s);
    char where[RDS_WHERE];

    rds_url_where(&r->url, where, sizeof(where));
    *fatal = false;
    r->c = r->url.path ? redisConnectUnixWithTimeout(r->url.path, tv)
        : redisConnectWithTimeout(r->url.host, r->url.port, tv);
    if (r->c == NULL) {
        st_error_set(err, "redis %s: cannot allocate a connection", where);
        return -1;
    }
    if (r->c->err) {
        st_error_set(err, "redis %s: %s%s", where, r->c->errstr, rds_hint(r->c->errstr));
        goto fail;
    }
    if (redisSetTimeout(r->c, tv) != REDIS_OK) {
        st_error_set(err, "redis %s: set timeout: %s", where, r->c->errstr);
        goto fail;
    }
    if (rds_handshake(r, fatal, err) == -1)
        goto fail;
    st_backoff_reset(&r->backoff);
    return 0;
fail:
    redisFree(r->c);
    r->c = NULL;
    return -1;
}

static void
rds_free(struct rds *r)
{
    if (r == NULL)
        return;
    if (r->c != NULL)
        redisFree(r->c);
    rds_url_fini(&r->url);
    free(r);
}

static struct rds *
rds_alloc(const char *url, double timeout_s, struct st_error *err)
{
    struct rds *r = st_xcalloc(1, sizeof(*r));

    if (rds_url_parse(url, &r->url, err) == -1) {
        free(r);
        return NULL;
    }
    r->timeout_s = timeout_s;
    st_backoff_init(&r->backoff, 100, 30000, true);
    return r;
}

struct rds *
rds_connect(const char *url, double timeout_s, struct st_error *err)
{
    struct rds *r = rds_alloc(url, timeout_s, err);
    bool fatal;

    if (r == NULL)
        return NULL;
    if (rds_dial(r, &fatal, err) == -1) {
        rds_free(r);
        return NULL;
    }
    return r;
}

struct rds *
rds_connect_retry(const char *url, double max_wait_s, struct st_error *err)
{
    struct rds *r = rds_alloc(url, 5.0, err);
    int64_t deadline = st_now_ms() + (int64_t)(max_wait_s * 1000);
    bool fatal = false;

    if (r == NULL)
        return NULL;
    while (rds_dial(r, &fatal, err) == -1) {
        int64_t delay = st_backoff_next_ms(&r->backoff), now = st_now_ms();
        struct timespec ts;

        if (fatal || now + delay > deadline) {
            if (!fatal && max_wait_s > 0)
                st_error_prefix(err, "gave up after %.0f s", max_wait_s);
            rds_free(r);
            return NULL;
        }
        ts.tv_sec = delay / 1000;
        ts.tv_nsec = (delay % 1000) * 1000000;
        while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
            ;
    }
    return r;
}

void
rds_close(struct rds *r)
{
    rds_free(r);
}

/* Re-dial a broken connection once its backoff delay has passed. */
static int
rds_ensure(struct rds *r, struct st_error *err)
{
    char where[RDS_WHERE];
    bool fatal;

    if (r->c != NULL)
        return 0;
    if (st_now_ms() < r->next_dial_ms) {
        rds_url_where(&r->url, where, sizeof(where));
        st_error_set(err, "redis %s: unavailable, next reconnect in %lld ms", where,
            (long long)(r->next_dial_ms - st_now_ms()));
        return -1;
    }
    if (rds_dial(r, &fatal, err) == -1) {
        r->next_dial_ms = st_now_ms() + st_backoff_next_ms(&r->backoff);
        return -1;
    }
    return 0;
}

int
rds_cmdv(struct rds *r, int argc, const char **argv, const size_t *lens,
    struct rds_value **out, struct st_error *err)
{
    redisReply *rep;
    char where[RDS_WHERE];

    if (rds_ensure(r, err) == -1)
        return -1;
    rep = redisCommandArgv(r->c, argc, argv, lens);
    if (rep == NULL) {
        rds_url_where(&r->url, where, sizeof(where));
        st_error_set(err, "redis %s: %s: %s%s", where, argc > 0 ? argv[0] : "command",
            r->c->errstr[0] ? r->c->errstr : "connection lost", rds_hint(r->c->errstr));
        redisFree(r->c);
        r->c = NULL;
        r->next_dial_ms = st_now_ms() + st_backoff_next_ms(&r->backoff);
        return -1;
    }
    *out = rds_value_new(rep);
    freeReplyObject(rep);
    return 0;
}

int
rds_cmd(struct rds *r, struct rds_value **out, struct st_error *err, const char *arg0, ...)
{
    const char *argv[RDS_MAX_ARGS];
    size_t lens[RDS_MAX_ARGS];
    int argc = 0;
    va_list ap;

    va_start(ap, arg0);
    for (const char *a = arg0; a != NULL; a = va_arg(ap, const char *)) {
        if (argc == RDS_MAX_ARGS) {
            va_end(ap);
            st_error_set(err, "redis command %s: more than %d arguments", arg0, RDS_MAX_ARGS);
            return -1;
        }
        argv[argc] = a;
        lens[argc++] = strlen(a);
    }
    va_end(ap);
    return rds_cmdv(r, argc, argv, lens, out, err);
}

/* ---- async ---- */

struct rds_async {
    struct event_base *base;    /* borrowed */
    struct rds_url url;
    redisAsyncContext *ac;      /* NULL between connections */
    bool connected;             /* handshake done */
    bool freeing;
    struct st_backoff backoff;
    struct event *retry_ev;     /* re-dial timer */
    struct event *timeout_ev;   /* connect deadline */
    rds_state_fn *on_state;
    void *arg;
    char errstr[RDS_MSG];
};

struct rds_pending {
    struct rds_async *a;
    rds_reply_fn *cb;
    void *arg;
};

static void rds_async_dial(struct rds_async *a);

static void
rds_async_schedule(struct rds_async *a)
{
    int64_t ms = st_backoff_next_ms(&a->backoff);
    struct timeval tv = { (time_t)(ms / 1000), (suseconds_t)((ms % 1000) * 1000) };

    if (!a->freeing)
        (void)evtimer_add(a->retry_ev, &tv);
}

/* The connection is gone (hiredis frees ac after the callback that told us). */
static void
rds_async_lost(struct rds_async *a, const char *why)
{
    bool was = a->connected;

    a->ac = NULL;
    a->connected = false;
    (void)evtimer_del(a->timeout_ev);
    (void)snprintf(a->errstr, sizeof(a->errstr), "%s", why ? why : "connection closed");
    if (a->on_state != NULL && (was || why != NULL) && !a->freeing)
        a->on_state(false, a->errstr, a->arg);
    rds_async_schedule(a);
}

static void
rds_async_on_connect(const redisAsyncContext *ac, int status)
{
    struct rds_async *a = ac->data;

    if (a == NULL || a->ac != ac)
        return;
    if (status != REDIS_OK) {
        char msg[RDS_MSG], where[RDS_WHERE];

        rds_url_where(&a->url, where, sizeof(where));
        (void)snprintf(msg, sizeof(msg), "redis %s: %s%s", where, ac->errstr, rds_hint(ac->errstr));
        rds_async_lost(a, msg);
    }
}

static void
rds_async_on_disconnect(const redisAsyncContext *ac, int status)
{
    struct rds_async *a = ac->data;
    char msg[RDS_MSG], where[RDS_WHERE];

    if (a == NULL || a->ac != ac)
        return;
    rds_url_where(&a->url, where, sizeof(where));
    (void)snprintf(msg, sizeof(msg), "redis %s: %s", where,
        status == REDIS_OK ? "disconnected" : (ac->errstr[0] ? ac->errstr : "connection lost"));
    rds_async_lost(a, msg);
}

/* The last handshake reply (PING) marks the connection usable. */
static void
rds_async_on_handshake(redisAsyncContext *ac, void *r, void *privdata)
{
    struct rds_async *a = ac->data;
    redisReply *rep = r;
    const char *step = privdata;

    if (a == NULL || a->ac != ac || rep == NULL)
        return;
    if (rep->type == REDIS_REPLY_ERROR) {
        char where[RDS_WHERE], msg[RDS_MSG];

        rds_url_where(&a->url, where, sizeof(where));
        (void)snprintf(msg, sizeof(msg), "redis %s: %s failed: %s%s", where, step, rep->str,
            strcmp(step, "AUTH") == 0 ? " (check the password in the redis URL)" : "");
        (void)snprintf(a->errstr, sizeof(a->errstr), "%s", msg);
        redisAsyncDisconnect(ac);       /* on_disconnect reports and re-dials */
        return;
    }
    if (strcmp(step, "PING") == 0) {
        a->connected = true;
        (void)evtimer_del(a->timeout_ev);
        st_backoff_reset(&a->backoff);
        if (a->on_state != NULL)
            a->on_state(true, NULL, a->arg);
    }
}

static void
rds_async_handshake(struct rds_async *a)
{
    char db[16];

    if (a->url.password != NULL) {
        if (a->url.username != NULL)
            (void)redisAsyncCommand(a->ac, rds_async_on_handshake, "AUTH", "AUTH %s %s",
                a->url.username, a->url.password);
        else
            (void)redisAsyncCommand(a->ac, rds_async_on_handshake, "AUTH", "AUTH %s",
                a->url.password);
    }
    if (a->url.db != 0) {
        (void)snprintf(db, sizeof(db), "%d", a->url.db);
        (void)redisAsyncCommand(a->ac, rds_async_on_handshake, "SELECT", "SELECT %s", db);
    }
    (void)redisAsyncCommand(a->ac, rds_async_on_handshake, "PING", "PING");
}

static void
rds_async_dial(struct rds_async *a)
{
    struct timeval tv = { RDS_CONNECT_TIMEOUT_MS / 1000, 0 };
    redisAsyncContext *ac;
    char where[RDS_WHERE], msg[RDS_MSG];

    ac = a->url.path ? redisAsyncConnectUnix(a->url.path)
        : redisAsyncConnect(a->url.host, a->url.port);
    rds_url_where(&a->url, where, sizeof(where));
    if (ac == NULL || ac->err) {
        (void)snprintf(msg, sizeof(msg), "redis %s: %s", where, ac ? ac->errstr : "out of memory");
        if (ac != NULL)
            redisAsyncFree(ac);
        rds_async_lost(a, msg);
        return;
    }
    ac->data = a;
    a->ac = ac;
    if (redisLibeventAttach(ac, a->base) != REDIS_OK) {
        a->ac = NULL;
        redisAsyncFree(ac);
        rds_async_lost(a, "redis: cannot attach to the event loop");
        return;
    }
    (void)redisAsyncSetConnectCallback(ac, rds_async_on_connect);
    (void)redisAsyncSetDisconnectCallback(ac, rds_async_on_disconnect);
    rds_async_handshake(a);
    (void)evtimer_add(a->timeout_ev, &tv);
}

static void
rds_async_on_retry(evutil_socket_t fd, short what, void *arg)
{
    (void)fd;
    (void)what;
    rds_async_dial(arg);
}

/* Connect or handshake took too long (hiredis 0.14 async has no connect timeout). */
static void
rds_async_on_timeout(evutil_socket_t fd, short what, void *arg)
{
    struct rds_async *a = arg;
    redisAsyncContext *ac = a->ac;
    char where[RDS_WHERE], msg[RDS_MSG];

    (void)fd;
    (void)what;
    if (ac == NULL || a->connected)
        return;
    rds_url_where(&a->url, where, sizeof(where));
    (void)snprintf(msg, sizeof(msg), "redis %s: connect timed out after %d ms%s", where,
        RDS_CONNECT_TIMEOUT_MS, rds_hint("timed out"));
    a->ac = NULL;               /* callbacks from the free below are ignored */
    redisAsyncFree(ac);
    rds_async_lost(a, msg);
}

struct rds_async *
rds_async_new(struct event_base *base, const char *url, rds_state_fn *on_state, void *arg,
    struct st_error *err)
{
    struct rds_async *a = st_xcalloc(1, sizeof(*a));

    if (rds_url_parse(url, &a->url, err) == -1) {
        free(a);
        return NULL;
    }
    a->base = base;
    a->on_state = on_state;
    a->arg = arg;
    st_backoff_init(&a->backoff, 100, 30000, true);
    a->retry_ev = evtimer_new(base, rds_async_on_retry, a);
    a->timeout_ev = evtimer_new(base, rds_async_on_timeout, a);
    if (a->retry_ev == NULL || a->timeout_ev == NULL) {
        st_error_set(err, "redis: cannot create timers on the event loop");
        rds_async_free(a);
        return NULL;
    }
    rds_async_dial(a);
    return a;
}

bool
rds_async_connected(const struct rds_async *a)
{
    return a->connected;
}

static void
rds_async_on_reply(redisAsyncContext *ac, void *r, void *privdata)
{
    struct rds_pending *p = privdata;
    struct rds_value *v;

    (void)ac;
    if (r == NULL) {
        p->cb(NULL, p->a->errstr[0] ? p->a->errstr : "redis: connection lost", p->arg);
    } else {
        v = rds_value_new(r);
        p->cb(v, NULL, p->arg);
        rds_value_free(v);
    }
    free(p);
}

int
rds_async_cmdv(struct rds_async *a, rds_reply_fn *cb, void *arg, int argc, const char **argv,
    const size_t *lens, struct st_error *err)
{
    struct rds_pending *p;

    if (!a->connected || a->ac == NULL) {
        st_error_set(err, "redis not connected%s%s", a->errstr[0] ? ": " : "", a->errstr);
        return -1;
    }
    p = st_xmalloc(sizeof(*p));
    *p = (struct rds_pending){ a, cb, arg };
    if (redisAsyncCommandArgv(a->ac, rds_async_on_reply, p, argc, argv, lens) != REDIS_OK) {
        free(p);
        st_error_set(err, "redis %s: %s", argc > 0 ? argv[0] : "command",
            a->ac->errstr[0] ? a->ac->errstr : "cannot queue command");
        return -1;
    }
    return 0;
}

void
rds_async_free(struct rds_async *a)
{
    if (a == NULL)
        return;
    a->freeing = true;
    if (a->ac != NULL) {
        redisAsyncContext *ac = a->ac;

        (void)snprintf(a->errstr, sizeof(a->errstr), "redis: connection closed by steward");
        redisAsyncFree(ac);     /* pending replies get NULL; disconnect cb sees freeing */
        a->ac = NULL;
    }
    if (a->retry_ev != NULL)
        event_free(a->retry_ev);
    if (a->timeout_ev != NULL)
        event_free(a->timeout_ev);
    rds_url_fini(&a->url);
    free(a);
}
