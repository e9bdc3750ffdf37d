/* t_ctl.c -- control protocol: exact replies of ctl_handle_line, framing and timeouts over a
   real socket served by a forked child, the SO_PEERCRED policy (as root: peers that setuid
   to nobody), ctl_listen's stale-socket handling and ctl_call's errors. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <event2/event.h>

#include "ctl.h"
#include "json.h"
#include "tap.h"

static char dir[64];

/* ---- command table under test ---- */

static void
cmd_echo(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)arg;
    ctl_reply_ok(reply, req->args != NULL ? json_object_get(req->args) : NULL);
}

static void
cmd_fail(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)req;
    ctl_reply_error(reply, "no such worker: %s", (const char *)arg);
}

static void
cmd_text(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)req; (void)arg;
    ctl_reply_text(reply, "up 1\n");
}

static void
cmd_silent(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)req; (void)reply; (void)arg;
}

static void
cmd_twice(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)req; (void)arg;
    ctl_reply_ok(reply, json_object_new_int(1));
    ctl_reply_error(reply, "second answer");
    ctl_reply_ok(reply, json_object_new_int(2));
}

static const struct ctl_command cmds[] = {
    { "echo", cmd_echo, "return args" },
    { "fail", cmd_fail, "always fails" },
    { "text", cmd_text, "a text result" },
    { "silent", cmd_silent, "forgets to answer" },
    { "twice", cmd_twice, "answers three times" },
};

static const struct ctl_command more_cmds[] = {
    { "echo", cmd_fail, "shadowed by the first table" },
    { "extra", cmd_text, "only in the second table" },
};

static struct ctl_server *
dispatch_only(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct ctl_server *s = ctl_server_new(NULL, -1, getuid(), (gid_t)-1, &err);

    ctl_server_add_commands(s, cmds, ST_ARRAY_LEN(cmds), "transform.9");
    ctl_server_add_commands(s, more_cmds, ST_ARRAY_LEN(more_cmds), "other");
    return s;
}

static void
is_reply(struct ctl_server *s, const char *line, const char *want, const char *name)
{
    char *got = ctl_handle_line(s, line, strlen(line));

    is_str(got, want, name);
    free(got);
}

/* ---- ctl_handle_line ---- */

static void
test_handle_line_replies(void)
{
    struct ctl_server *s = dispatch_only();

    is_reply(s, "{\"cmd\":\"echo\",\"args\":{\"name\":\"a/b\",\"n\":[1,2]}}",
        "{\"ok\":true,\"result\":{\"name\":\"a/b\",\"n\":[1,2]}}", "echo returns its args");
    is_reply(s, "{\"cmd\":\"echo\"}", "{\"ok\":true,\"result\":{}}", "no args: result {}");
    is_reply(s, "{\"cmd\":\"echo\",\"args\":null}", "{\"ok\":true,\"result\":{}}",
        "null args are no args");
    is_reply(s, "{\"cmd\":\"fail\"}", "{\"ok\":false,\"error\":\"no such worker: transform.9\"}",
        "handler error with the table's arg");
    is_reply(s, "{\"cmd\":\"text\"}", "{\"ok\":true,\"result\":\"up 1\\n\"}",
        "text result is a JSON string on one line");
    is_reply(s, "{\"cmd\":\"silent\"}",
        "{\"ok\":false,\"error\":\"internal error: command silent gave no reply\"}",
        "a handler that does not answer gets an internal error");
    is_reply(s, "{\"cmd\":\"twice\"}", "{\"ok\":true,\"result\":1}", "the first answer wins");
    is_reply(s, "{\"cmd\":\"extra\"}", "{\"ok\":true,\"result\":\"up 1\\n\"}",
        "second table is searched");
    ctl_server_free(s);
}

static void
test_handle_line_errors(void)
{
    struct ctl_server *s = dispatch_only();
    char *big = malloc(CTL_MAX_LINE + 2);

    is_reply(s, "{\"cmd\":", "{\"ok\":false,\"error\":\"malformed request: offset 7:"
        " unexpected end of data\"}", "malformed JSON names the offset");
    is_reply(s, "", "{\"ok\":false,\"error\":\"malformed request: offset 0:"
        " unexpected end of data\"}", "empty line is malformed");
    is_reply(s, "[\"status\"]", "{\"ok\":false,\"error\":\"malformed request: expected an"
        " object like {\\\"cmd\\\":\\\"status\\\"}\"}", "non-object request");
    is_reply(s, "{\"cmd\":1}", "{\"ok\":false,\"error\":\"malformed request: \\\"cmd\\\" must"
        " be a string\"}", "cmd not a string");
    is_reply(s, "{\"args\":{}}", "{\"ok\":false,\"error\":\"malformed request: \\\"cmd\\\" must"
        " be a string\"}", "cmd missing");
    is_reply(s, "{\"cmd\":\"echo\",\"args\":[1]}", "{\"ok\":false,\"error\":\"malformed request:"
        " \\\"args\\\" must be an object\"}", "args not an object");
    is_reply(s, "{\"cmd\":\"nope\"}", "{\"ok\":false,\"error\":\"unknown command: nope"
        " (try: echo, fail, text, silent, twice, extra)\"}",
        "unknown command lists the choices once each");
    memset(big, ' ', CTL_MAX_LINE + 1);
    big[CTL_MAX_LINE + 1] = '\0';
    is_reply(s, big, "{\"ok\":false,\"error\":\"request line too long: 65537 bytes"
        " (max 65536)\"}", "oversized line refused before parsing");
    memset(big, 'x', 100);
    memcpy(big, "{\"cmd\":\"", 8);
    memcpy(big + 90, "\"}", 3);
    char *got = ctl_handle_line(s, big, strlen(big));
    char want[128] = "unknown command: ";
    memset(want + 17, 'x', 64);
    memcpy(want + 17 + 64, "… (try:", sizeof("… (try:"));
    like(got, want, "a long unknown command is cut at 64 bytes");
    free(got);
    free(big);
    ctl_server_free(s);
}

/* ---- a server in a forked child ---- */

struct child { pid_t pid; char path[100]; };

/* Listen on dir/name, fork a child serving it with the test commands. */
static rlim_t child_nofile;     /* when set, the next serve() child runs under this limit */

static struct child
serve(const char *name, uid_t owner, gid_t group, double idle_s, mode_t mode)
{
    struct st_error err = ST_ERROR_INIT;
    struct child c = { -1, "" };
    int fd;

    (void)snprintf(c.path, sizeof(c.path), "%s/%s", dir, name);
    if ((fd = ctl_listen(c.path, &err)) == -1) {
        diag("ctl_listen: %s", err.msg);
        return c;
    }
    (void)chmod(c.path, mode);
    if ((c.pid = fork()) == 0) {
        struct event_base *base = event_base_new();
        struct ctl_server *s = ctl_server_new(base, fd, owner, group, &err);
        struct rlimit rl = { child_nofile, child_nofile };
        if (child_nofile > 0)
            (void)setrlimit(RLIMIT_NOFILE, &rl);
        signal(SIGPIPE, SIG_IGN);
        ctl_server_set_idle_timeout(s, idle_s);
        ctl_server_add_commands(s, cmds, ST_ARRAY_LEN(cmds), "transform.9");
        event_base_dispatch(base);
        _exit(0);
    }
    close(fd);
    return c;
}

static void
stop(struct child *c)
{
    if (c->pid > 0) {
        kill(c->pid, SIGTERM);
        (void)waitpid(c->pid, NULL, 0);
    }
    unlink(c->path);
}

/* A raw client: connect, write data, read until EOF or deadline (seconds). */
static char *
raw_exchange(const char *path, const char *data, size_t len, bool shut_wr, double wait_s)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct st_buf b = ST_BUF_INIT;
    struct timeval tv = { (time_t)wait_s, (suseconds_t)((wait_s - (int)wait_s) * 1e6) };
    char chunk[4096];
    ssize_t n;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    (void)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    st_buf_append(&b, "", 0);
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
        close(fd);
        return st_buf_steal(&b);
    }
    (void)setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    (void)st_write_all(fd, data, len);
    if (shut_wr)
        (void)shutdown(fd, SHUT_WR);
    while ((n = read(fd, chunk, sizeof(chunk))) > 0)
        st_buf_append(&b, chunk, (size_t)n);
    if (n == -1 && errno != ECONNRESET)     /* reset: closed with our bytes unread */
        st_buf_puts(&b, "<timeout>");
    close(fd);
    return st_buf_steal(&b);
}

static void
test_round_trip_with_ctl_call(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct child c = serve("rt.sock", getuid(), (gid_t)-1, 30, 0660);
    struct json_object *args = json_object_new_object(), *reply;
    char *s;

    json_object_object_add(args, "argv", json_object_new_string("x"));
    reply = ctl_call(c.path, "echo", args, 5, &err);
    s = reply != NULL ? jsn_dump(reply) : st_xstrdup(err.msg);
    is_str(s, "{\"ok\":true,\"result\":{\"argv\":\"x\"}}", "ctl_call gets the echoed args");
    free(s);
    json_object_put(reply);
    json_object_put(args);
    stop(&c);
}

static void
test_framing_over_socket(void)
{
    struct child c = serve("fr.sock", getuid(), (gid_t)-1, 30, 0660);
    const char two[] = "{\"cmd\":\"echo\",\"args\":{\"a\":1}}\r\n{\"cmd\":\"fail\"}\n";
    char *got, *big;

    got = raw_exchange(c.path, two, strlen(two), true, 5);
    is_str(got, "{\"ok\":true,\"result\":{\"a\":1}}\n"
        "{\"ok\":false,\"error\":\"no such worker: transform.9\"}\n",
        "two pipelined lines (CRLF and LF) get two replies in order");
    free(got);
    got = raw_exchange(c.path, "{\"cmd\":\"text\"}", 14, true, 5);
    is_str(got, "{\"ok\":true,\"result\":\"up 1\\n\"}\n", "a last line without newline is"
        " answered at EOF");
    free(got);
    big = malloc(CTL_MAX_LINE + 5000);
    memset(big, 'x', CTL_MAX_LINE + 5000);
    got = raw_exchange(c.path, big, CTL_MAX_LINE + 5000, false, 5);
    is_str(got, "{\"ok\":false,\"error\":\"request line too long: more than 65536 bytes\"}\n",
        "an endless line gets one error and the connection is closed");
    free(got);
    free(big);
    stop(&c);
}

static void
test_stalled_half_line_dropped(void)
{
    struct child c = serve("idle.sock", getuid(), (gid_t)-1, 0.3, 0660);
    int64_t t0 = st_now_ms();
    char *got = raw_exchange(c.path, "{\"cmd\":\"ec", 10, false, 5);
    int64_t took = st_now_ms() - t0;

    is_str(got, "", "a client stalled mid-line is closed without a reply");
    ok(took >= 250 && took < 3000, "... after the idle timeout (0.3 s)");
    free(got);
    stop(&c);
}

/* CPU ticks (user + system) used so far by process pid. */
static long
cpu_ticks(pid_t pid)
{
    char path[64], buf[1024], *p;
    long ut = 0, st = 0;
    FILE *f;

    (void)snprintf(path, sizeof(path), "/proc/%ld/stat", (long)pid);
    if ((f = fopen(path, "re")) == NULL)
        return -1;
    if (fgets(buf, sizeof(buf), f) != NULL && (p = strrchr(buf, ')')) != NULL)
        (void)sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %ld %ld", &ut, &st);
    fclose(f);
    return ut + st;
}

static void
test_out_of_fds_pauses_accept(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct st_error err = ST_ERROR_INIT;
    struct json_object *r;
    int held[40];
    long before;
    struct child c;

    child_nofile = 16;
    c = serve("emfile.sock", getuid(), (gid_t)-1, 30, 0660);
    child_nofile = 0;
    (void)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", c.path);
    for (size_t i = 0; i < ST_ARRAY_LEN(held); i++) {
        held[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        (void)connect(held[i], (struct sockaddr *)&sa, sizeof(sa));
    }
    usleep(100000);
    before = cpu_ticks(c.pid);
    usleep(500000);
    ok(cpu_ticks(c.pid) - before < 15, "out of fds, the server waits instead of spinning");
    for (size_t i = 0; i < ST_ARRAY_LEN(held); i++)
        close(held[i]);
    r = ctl_call(c.path, "text", NULL, 5, &err);
    ok(r != NULL, "once fds are free again, new clients are served");
    json_object_put(r);
    stop(&c);
}

static void
test_client_cap(void)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    struct st_error err = ST_ERROR_INIT;
    struct json_object *r = NULL;
    struct child c = serve("cap.sock", getuid(), (gid_t)-1, 30, 0660);
    int held[64];
    const char *e = NULL;
    int64_t deadline = st_now_ms() + 5000;

    (void)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", c.path);
    for (size_t i = 0; i < ST_ARRAY_LEN(held); i++) {
        held[i] = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        (void)connect(held[i], (struct sockaddr *)&sa, sizeof(sa));
    }
    /* The server accepts 16 per wakeup: ask until the 65th client is turned away. */
    while (st_now_ms() < deadline) {
        json_object_put(r);
        r = ctl_call(c.path, "text", NULL, 5, &err);
        if ((e = jsn_get_str(r, "error")) != NULL)
            break;
        usleep(10000);
    }
    is_str(e, "too many control connections (max 64), try again",
        "the 65th concurrent client gets one error line");
    json_object_put(r);
    close(held[0]);
    deadline = st_now_ms() + 5000;
    while (st_now_ms() < deadline) {
        r = ctl_call(c.path, "text", NULL, 5, &err);
        e = jsn_get_str(r, "error");
        json_object_put(r);
        if (r != NULL && e == NULL)
            break;
        usleep(10000);
    }
    ok(r != NULL && e == NULL, "when one leaves, a new client is served");
    for (size_t i = 1; i < ST_ARRAY_LEN(held); i++)
        close(held[i]);
    stop(&c);
}

/* Run ctl_call as uid/gid/groups in a child; return the reply or error text. */
static char *
call_as(const char *path, uid_t uid, gid_t gid, gid_t extra)
{
    int p[2];
    pid_t pid;
    struct st_buf b = ST_BUF_INIT;
    char chunk[1024];
    ssize_t n;

    if (pipe(p) == -1)
        return st_xstrdup("pipe failed");
    if ((pid = fork()) == 0) {
        struct st_error err = ST_ERROR_INIT;
        struct json_object *r;
        gid_t groups[1] = { extra };
        close(p[0]);
        if (setgroups(extra == (gid_t)-1 ? 0 : 1, groups) == -1 || setgid(gid) == -1
                || setuid(uid) == -1)
            _exit(3);
        r = ctl_call(path, "text", NULL, 5, &err);
        char *s = r != NULL ? jsn_dump(r) : st_xstrdup(err.msg);
        (void)st_write_all(p[1], s, strlen(s));
        free(s);
        json_object_put(r);
        _exit(0);
    }
    close(p[1]);
    st_buf_append(&b, "", 0);
    while ((n = read(p[0], chunk, sizeof(chunk))) > 0)
        st_buf_append(&b, chunk, (size_t)n);
    close(p[0]);
    (void)waitpid(pid, NULL, 0);
    return st_buf_steal(&b);
}

static void
test_peer_policy(void)
{
    struct child c;
    char *got;

    if (geteuid() != 0) {
        skip(5, "peer refusal needs root to setuid(65534)");
        return;
    }
    c = serve("peer.sock", 0, (gid_t)-1, 30, 0666);
    got = call_as(c.path, 65534, 65534, (gid_t)-1);
    is_str(got, "{\"ok\":false,\"error\":\"permission denied: uid 65534 is not root or the"
        " daemon's uid (set steward.control_group to allow a group)\"}",
        "nobody is refused with one error line");
    free(got);
    stop(&c);

    c = serve("peer.sock", 0, 4242, 30, 0666);
    got = call_as(c.path, 65534, 65534, (gid_t)-1);
    like(got, "permission denied: uid 65534 is not root, the daemon's uid or in group ",
        "a group policy names the group");
    free(got);
    got = call_as(c.path, 65534, 65534, 4242);
    is_str(got, "{\"ok\":true,\"result\":\"up 1\\n\"}", "a supplementary member is allowed");
    free(got);
    got = call_as(c.path, 65534, 4242, (gid_t)-1);
    is_str(got, "{\"ok\":true,\"result\":\"up 1\\n\"}", "a primary member is allowed");
    free(got);
    stop(&c);

    c = serve("peer.sock", 65534, (gid_t)-1, 30, 0666);
    got = call_as(c.path, 65534, 65534, (gid_t)-1);
    is_str(got, "{\"ok\":true,\"result\":\"up 1\\n\"}", "the daemon's own uid is allowed");
    free(got);
    stop(&c);
}

/* ---- ctl_listen and ctl_call errors ---- */

static void
test_listen_stale_live_and_not_socket(void)
{
    struct st_error err = ST_ERROR_INIT;
    char path[128];
    struct stat st;
    int a, b;

    (void)snprintf(path, sizeof(path), "%s/l.sock", dir);
    a = ctl_listen(path, &err);
    ok(a >= 0 && stat(path, &st) == 0 && (st.st_mode & 0777) == 0660, "listen, mode 0660");
    ok(a >= 0 && (fcntl(a, F_GETFD) & FD_CLOEXEC), "listening fd is close-on-exec");
    b = ctl_listen(path, &err);
    ok(b == -1, "a live socket is not taken over");
    like(err.msg, "another process is listening on it", "... and the error says why");
    close(a);       /* now stale: the file stays, nobody answers */
    b = ctl_listen(path, &err);
    ok(b >= 0, "a stale socket is replaced");
    close(b);
    unlink(path);
    (void)snprintf(path, sizeof(path), "%s/plain", dir);
    close(open(path, O_CREAT | O_WRONLY | O_CLOEXEC, 0600));
    ok(ctl_listen(path, &err) == -1, "a regular file is never removed");
    like(err.msg, "exists and is not a socket", "... and the error says so");
    unlink(path);
}

static void
test_call_errors(void)
{
    struct st_error err = ST_ERROR_INIT;
    char path[128], want[256];
    int fd;

    (void)snprintf(path, sizeof(path), "%s/missing.sock", dir);
    ok(ctl_call(path, "status", NULL, 1, &err) == NULL, "missing socket fails");
    (void)snprintf(want, sizeof(want), "connect %s: No such file or directory (is steward"
        " running? set -s or STEWARD_SOCKET)", path);
    is_str(err.msg, want, "missing socket names the fix");

    (void)snprintf(path, sizeof(path), "%s/mute.sock", dir);
    fd = ctl_listen(path, &err);        /* listening, never accepting */
    int64_t t0 = st_now_ms();
    ok(ctl_call(path, "status", NULL, 0.3, &err) == NULL, "a mute server fails");
    (void)snprintf(want, sizeof(want), "%s: timed out after 0.3 s waiting for a reply", path);
    is_str(err.msg, want, "... with a timeout message");
    ok(st_now_ms() - t0 < 2000, "... after the timeout, not later");
    close(fd);
    unlink(path);
}

int
main(void)
{
    (void)snprintf(dir, sizeof(dir), "/tmp/t_ctl.XXXXXX");
    if (mkdtemp(dir) == NULL || chmod(dir, 0755) == -1) {
        printf("Bail out! mkdtemp: %s\n", strerror(errno));
        return 1;
    }
    test_handle_line_replies();
    test_handle_line_errors();
    test_round_trip_with_ctl_call();
    test_framing_over_socket();
    test_stalled_half_line_dropped();
    test_out_of_fds_pauses_accept();
    test_client_cap();
    test_peer_policy();
    test_listen_stale_live_and_not_socket();
    test_call_errors();
    (void)rmdir(dir);
    return done_testing();
}
