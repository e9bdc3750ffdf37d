/*
 * t_redis.c -- the Redis client against real redis-server processes that this test starts
 * itself on free loopback ports (it kills and restarts them to prove reconnection, so it
 * never uses the shared test server). Skips without redis-server, fails in CI.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <event2/event.h>

#include "redis.h"
#include "tap.h"

static int
free_port(void)
{
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof(sa);
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    if (fd == -1 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) == -1)
        abort();
    port = ntohs(sa.sin_port);
    close(fd);
    return port;
}

static void
sleep_ms(int ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

/* Start redis-server on port (optionally with a password); waits until it answers. */
static pid_t
redis_start(int port, const char *password)
{
    char portbuf[16], url[64];
    pid_t pid;

    (void)snprintf(portbuf, sizeof(portbuf), "%d", port);
    if ((pid = fork()) == 0) {
        int null = open("/dev/null", O_WRONLY);

        (void)dup2(null, 1);
        (void)dup2(null, 2);
        if (password != NULL)
            execlp("redis-server", "redis-server", "--port", portbuf, "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--requirepass", password, (char *)NULL);
        else
            execlp("redis-server", "redis-server", "--port", portbuf, "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", (char *)NULL);
        _exit(127);
    }
    (void)snprintf(url, sizeof(url), "redis://127.0.0.1:%d", port);
    for (int i = 0; i < 200; i++) {
        struct st_error err = ST_ERROR_INIT;
        struct rds *r = rds_connect(url, 1.0, &err);

        if (r != NULL || strstr(err.msg, "AUTH") != NULL || strstr(err.msg, "NOAUTH") != NULL) {
            rds_close(r);
            return pid;
        }
        sleep_ms(25);
    }
    return pid;
}

static void
redis_stop(pid_t pid)
{
    if (pid <= 0)
        return;
    (void)kill(pid, SIGKILL);
    (void)waitpid(pid, NULL, 0);
}

static void
test_set_get_round_trip_is_binary_safe(const char *url)
{
    struct st_error err = ST_ERROR_INIT;
    struct rds *r = rds_connect(url, 2.0, &err);
    struct rds_value *v = NULL;
    const char *argv[] = { "SET", "steward:test:bin", "a\0b" };
    size_t lens[] = { 3, 16, 3 };

    ok(r != NULL, "connects to a running server");
    if (r == NULL)
        return;
    is_int(rds_cmdv(r, 3, argv, lens, &v, &err), 0, "SET with an embedded NUL runs");
    is_int(v->type, RDS_STATUS, "SET answers a status");
    is_str(v->str, "OK", "status OK");
    rds_value_free(v);
    is_int(rds_cmd(r, &v, &err, "GET", "steward:test:bin", NULL), 0, "GET runs");
    is_int(v->type, RDS_STRING, "GET answers a string");
    is_int((long long)v->len, 3, "three bytes back");
    ok(memcmp(v->str, "a\0b", 3) == 0, "the same bytes back");
    rds_value_free(v);
    rds_close(r);
}

static void
test_server_error_is_a_reply_not_a_failure(const char *url)
{
    struct st_error err = ST_ERROR_INIT;
    struct rds *r = rds_connect(url, 2.0, &err);
    struct rds_value *v = NULL;

    if (r == NULL) {
        ok(0, "connect for the error-reply test");
        return;
    }
    (void)rds_cmd(r, &v, &err, "SET", "steward:test:s", "text", NULL);
    rds_value_free(v);
    is_int(rds_cmd(r, &v, &err, "INCR", "steward:test:s", NULL), 0, "INCR on text still returns 0");
    is_int(v->type, RDS_ERROR, "the reply is an error reply");
    like(v->str, "not an integer", "with the server's message");
    rds_value_free(v);
    is_int(rds_cmd(r, &v, &err, "RPUSH", "steward:test:l", "a", "b", NULL), 0, "RPUSH");
    rds_value_free(v);
    is_int(rds_cmd(r, &v, &err, "LRANGE", "steward:test:l", "0", "-1", NULL), 0, "LRANGE");
    ok(v->type == RDS_ARRAY && v->nelems == 2 && strcmp(v->elems[1].str, "b") == 0,
        "arrays are copied element by element");
    rds_value_free(v);
    rds_close(r);
}

static void
test_refused_port_names_host_port_and_hint(void)
{
    struct st_error err = ST_ERROR_INIT;
    char url[64], where[32];
    int port = free_port();

    (void)snprintf(url, sizeof(url), "redis://:topsecret@127.0.0.1:%d/0", port);
    (void)snprintf(where, sizeof(where), "127.0.0.1:%d", port);
    ok(rds_connect(url, 1.0, &err) == NULL, "no server, no connection");
    like(err.msg, where, "the error names host:port");
    like(err.msg, "Connection refused", "and the system's reason");
    like(err.msg, "is redis-server running there?", "and a hint");
    unlike(err.msg, "topsecret", "never the password");
}

static void
test_auth_and_select(int port)
{
    struct st_error err = ST_ERROR_INIT;
    struct rds *r;
    struct rds_value *v = NULL;
    char url[96];

    (void)snprintf(url, sizeof(url), "redis://:wrong-horse@127.0.0.1:%d/0", port);
    ok(rds_connect(url, 1.0, &err) == NULL, "a wrong password does not connect");
    like(err.msg, "AUTH failed", "the error says AUTH failed");
    unlike(err.msg, "wrong-horse", "without the password");
    (void)snprintf(url, sizeof(url), "redis://127.0.0.1:%d/0", port);
    r = rds_connect_retry(url, 10.0, &err);
    ok(r == NULL, "an auth-less connect to a protected server...");
    like(err.msg, "NOAUTH", "...fails with the server's word");
    ok(strstr(err.msg, "gave up") == NULL, "at once: auth problems are not retried");
    (void)snprintf(url, sizeof(url), "redis://:battery-staple@127.0.0.1:%d/3", port);
    r = rds_connect(url, 1.0, &err);
    ok(r != NULL, "the right password connects");
    if (r == NULL)
        return;
    (void)rds_cmd(r, &v, &err, "SET", "steward:test:db", "3", NULL);
    rds_value_free(v);
    (void)rds_cmd(r, &v, &err, "CLIENT", "INFO", NULL);
    ok(v->type == RDS_ERROR || (v->str != NULL && strstr(v->str, "db=3") != NULL),
        "the connection selected db 3");
    rds_value_free(v);
    rds_close(r);
}

static void
test_sync_client_redials_after_a_restart(int port)
{
    struct st_error err = ST_ERROR_INIT;
    struct rds_value *v = NULL;
    char url[64];
    pid_t pid = redis_start(port, NULL);
    struct rds *r;
    int rc = -1;

    (void)snprintf(url, sizeof(url), "redis://127.0.0.1:%d", port);
    r = rds_connect(url, 1.0, &err);
    ok(r != NULL, "connected before the restart");
    if (r == NULL) {
        redis_stop(pid);
        return;
    }
    redis_stop(pid);
    is_int(rds_cmd(r, &v, &err, "PING", NULL), -1, "a command on a dead server fails");
    like(err.msg, "PING", "the error names the command");
    pid = redis_start(port, NULL);
    for (int i = 0; i < 100 && rc != 0; i++) {   /* backoff paces the re-dial */
        rc = rds_cmd(r, &v, &err, "PING", NULL);
        if (rc != 0)
            sleep_ms(50);
    }
    is_int(rc, 0, "the same client works again once the server is back");
    if (rc == 0)
        is_str(v->str, "PONG", "PONG");
    rds_value_free(v);
    rds_close(r);
    redis_stop(pid);
}

static void
test_connect_retry_waits_for_a_late_server(int port)
{
    struct st_error err = ST_ERROR_INIT;
    char url[64], p[16];
    struct rds *r;
    pid_t pid;

    (void)snprintf(url, sizeof(url), "redis://127.0.0.1:%d", port);
    (void)snprintf(p, sizeof(p), "%d", port);
    if ((pid = fork()) == 0) {          /* the server appears 400 ms from now */
        int null = open("/dev/null", O_WRONLY);

        (void)dup2(null, 1);
        sleep_ms(400);
        execlp("redis-server", "redis-server", "--port", p, "--bind", "127.0.0.1", "--save", "",
            "--appendonly", "no", (char *)NULL);
        _exit(127);
    }
    r = rds_connect_retry(url, 10.0, &err);
    ok(r != NULL, "connect_retry waits for a server that starts late");
    rds_close(r);
    redis_stop(pid);
}

struct async_state {
    int ups, downs;
    int replies;
    char last[64];
    struct event_base *base;
};

static void
on_state(bool connected, const char *errstr, void *arg)
{
    struct async_state *s = arg;

    (void)errstr;
    if (connected)
        s->ups++;
    else
        s->downs++;
    event_base_loopbreak(s->base);
}

static void
on_reply(const struct rds_value *v, const char *errstr, void *arg)
{
    struct async_state *s = arg;

    s->replies++;
    (void)snprintf(s->last, sizeof(s->last), "%s", v && v->str ? v->str : errstr ? errstr : "");
    event_base_loopbreak(s->base);
}

/* Run the loop until cond holds or ms pass. */
#define RUN_UNTIL(base, cond, ms) do {                                           \
        for (int t_ = 0; t_ < (ms) / 20 && !(cond); t_++) {                      \
            struct timeval tv_ = { 0, 20000 };                                   \
            (void)event_base_loopexit((base), &tv_);                             \
            (void)event_base_dispatch(base);                                     \
        }                                                                        \
    } while (0)

static void
test_async_client_reconnects_by_itself(int port)
{
    struct st_error err = ST_ERROR_INIT;
    struct async_state s = { 0 };
    const char *argv[] = { "ECHO", "hello" };
    size_t lens[] = { 4, 5 };
    struct rds_async *a;
    char url[64];
    pid_t pid = redis_start(port, NULL);

    s.base = event_base_new();
    (void)snprintf(url, sizeof(url), "redis://127.0.0.1:%d/2", port);
    a = rds_async_new(s.base, url, on_state, &s, &err);
    ok(a != NULL, "async client created");
    if (a == NULL)
        goto out;
    RUN_UNTIL(s.base, s.ups == 1, 5000);
    is_int(s.ups, 1, "connected (handshake done) through the event loop");
    is_int(rds_async_cmdv(a, on_reply, &s, 2, argv, lens, &err), 0, "command queued");
    RUN_UNTIL(s.base, s.replies == 1, 5000);
    is_str(s.last, "hello", "reply delivered to the callback");
    redis_stop(pid);
    RUN_UNTIL(s.base, s.downs >= 1, 5000);
    ok(s.downs >= 1, "loss reported");
    ok(!rds_async_connected(a), "not connected while the server is down");
    is_int(rds_async_cmdv(a, on_reply, &s, 2, argv, lens, &err), -1, "commands refused meanwhile");
    pid = redis_start(port, NULL);
    RUN_UNTIL(s.base, s.ups == 2, 8000);
    is_int(s.ups, 2, "reconnected by itself after the restart");
    is_int(rds_async_cmdv(a, on_reply, &s, 2, argv, lens, &err), 0, "commands work again");
    RUN_UNTIL(s.base, s.replies == 2, 5000);
    is_str(s.last, "hello", "second reply delivered");
    rds_async_free(a);
out:
    event_base_free(s.base);
    redis_stop(pid);
}

static bool
have_redis_server(void)
{
    return system("command -v redis-server >/dev/null 2>&1") == 0;
}

int
main(void)
{
    char url[64];
    int port;
    pid_t pid;

    signal(SIGPIPE, SIG_IGN);
    test_refused_port_names_host_port_and_hint();
    if (!have_redis_server()) {
        const char *ci = getenv("CI");

        if (ci != NULL && strcmp(ci, "true") == 0)
            ok(0, "redis-server is installed (required in CI)");
        else
            skip(1, "redis-server not installed");
        return done_testing();
    }
    port = free_port();
    pid = redis_start(port, NULL);
    (void)snprintf(url, sizeof(url), "redis://127.0.0.1:%d/0", port);
    test_set_get_round_trip_is_binary_safe(url);
    test_server_error_is_a_reply_not_a_failure(url);
    redis_stop(pid);
    port = free_port();
    pid = redis_start(port, "battery-staple");
    test_auth_and_select(port);
    redis_stop(pid);
    test_sync_client_redials_after_a_restart(free_port());
    test_connect_retry_waits_for_a_late_server(free_port());
    test_async_client_reconnects_by_itself(free_port());
    return done_testing();
}
