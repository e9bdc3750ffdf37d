/*
 * ctl.c -- the control protocol of DESIGN.md "Control protocol": listening socket setup,
 * SO_PEERCRED policy, a libevent server (line framing, dispatch over command tables, one
 * JSON reply per request line) and a blocking client with a deadline (stewardctl, tests).
 * Owns client connections; does not own the listening fd (the supervisor creates it
 * before fork and keeps it across worker restarts) nor the event base. Never logs: a
 * broken client gets an error reply or is dropped.
 * Tests: tests/unit/t_ctl.c, tests/integration/t_stewardctl.sh, tests/fuzz/fuzz_ctl.c
 */
#include "config.h"

#include "ctl.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>

#include "json.h"

#define CTL_MAX_CLIENTS 64                      /* more at once are refused */
#define CTL_MAX_REPLY (64 * 1024 * 1024)        /* client: longest reply line accepted */
#define CTL_CMD_SHOWN 64                        /* bytes of an unknown command echoed back */

struct ctl_reply {
    bool answered;
    bool failed;
    struct json_object *result;   /* owned; when !failed */
    char *error;                  /* owned; when failed */
};

struct ctl_table {
    const struct ctl_command *cmds;     /* borrowed: static tables */
    size_t n;
    void *arg;
};

struct ctl_conn {
    struct ctl_server *srv;
    struct bufferevent *bev;
    struct ctl_conn *prev, *next;
    bool closing;               /* reply queued; free once the output drains */
};

struct ctl_server {
    struct event_base *base;    /* borrowed */
    int listen_fd;              /* borrowed */
    uid_t owner_uid;
    gid_t group_gid;
    struct event *accept_ev;
    struct event *retry_ev;     /* re-arms accept_ev after EMFILE and the like */
    struct ctl_table *tables;
    size_t ntables;
    struct ctl_conn *conns;
    size_t nconns;
    double idle_s;
};

/* ---- listening socket and peer policy ---- */

/* Fill sa with path. -1 with err when the path does not fit. */
static int
ctl_sockaddr(struct sockaddr_un *sa, const char *path, struct st_error *err)
{
    memset(sa, 0, sizeof(*sa));
    sa->sun_family = AF_UNIX;
    if ((size_t)snprintf(sa->sun_path, sizeof(sa->sun_path), "%s", path)
            >= sizeof(sa->sun_path)) {
        st_error_set(err, "control socket path too long: %s (shorten steward.run_dir)", path);
        return -1;
    }
    return 0;
}

/* A socket file at path that nobody answers on is stale: 1 stale (and unlinked), 0 live,
   -1 with err when it cannot be decided or is not a socket. */
static int
ctl_remove_stale(const struct sockaddr_un *sa, const char *path, struct st_error *err)
{
    struct stat st;
    int fd, rc;

    if (lstat(path, &st) == -1) {
        st_error_set(err, "stat %s: %s", path, strerror(errno));
        return -1;
    }
    if (!S_ISSOCK(st.st_mode)) {
        st_error_set(err, "%s exists and is not a socket (remove it or change steward.run_dir)",
            path);
        return -1;
    }
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) == -1) {
        st_error_set(err, "socket for %s: %s", path, strerror(errno));
        return -1;
    }
    rc = connect(fd, (const struct sockaddr *)sa, sizeof(*sa));
    close(fd);
    if (rc == 0 || errno == EAGAIN) {
        st_error_set(err, "bind %s: another process is listening on it"
            " (another steward on this run_dir?)", path);
        return 0;
    }
    if (errno != ECONNREFUSED) {
        st_error_set(err, "probe %s: %s", path, strerror(errno));
        return -1;
    }
    if (unlink(path) == -1 && errno != ENOENT) {
        st_error_set(err, "remove stale socket %s: %s", path, strerror(errno));
        return -1;
    }
    return 1;
}

/* Bind and listen on a control socket, mode 0660. Returns the fd, or -1 with err set. */
int
ctl_listen(const char *path, struct st_error *err)
{
    struct sockaddr_un sa;
    int fd;

    if (ctl_sockaddr(&sa, path, err) == -1)
        return -1;
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) == -1) {
        st_error_set(err, "socket for %s: %s", path, strerror(errno));
        return -1;
    }
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
        if (errno != EADDRINUSE) {
            st_error_set(err, "bind %s: %s", path, strerror(errno));
            goto fail;
        }
        if (ctl_remove_stale(&sa, path, err) != 1)
            goto fail;
        if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == -1) {
            st_error_set(err, "bind %s: %s", path, strerror(errno));
            goto fail;
        }
    }
    if (chmod(path, 0660) == -1 || listen(fd, 64) == -1) {
        st_error_set(err, "prepare %s: %s", path, strerror(errno));
        goto fail;
    }
    return fd;
fail:
    close(fd);
    return -1;
}

/* Is gid among the groups of process pid (its Groups: line) or of user uid? */
static bool
ctl_in_group(pid_t pid, uid_t uid, gid_t gid)
{
    char path[64], line[4096];
    FILE *f;
    bool found = false, seen = false;

    (void)snprintf(path, sizeof(path), "/proc/%ld/status", (long)pid);
    if ((f = fopen(path, "re")) != NULL) {
        while (fgets(line, sizeof(line), f) != NULL) {
            char *p = line + 7, *end;
            if (strncmp(line, "Groups:", 7) != 0)
                continue;
            seen = true;
            for (;;) {
                unsigned long g = strtoul(p, &end, 10);
                if (end == p)
                    break;
                if ((gid_t)g == gid)
                    found = true;
                p = end;
            }
            break;
        }
        fclose(f);
    }
    if (seen)
        return found;
    /* The peer exited already, or /proc is hidden: fall back to the user's groups. */
    struct passwd *pw = getpwuid(uid);
    gid_t groups[256];
    int n = (int)ST_ARRAY_LEN(groups);

    if (pw == NULL || getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) == -1)
        return false;
    for (int i = 0; i < n; i++)
        if (groups[i] == gid)
            return true;
    return false;
}

/* Peer check with SO_PEERCRED; see ctl.h. */
bool
ctl_peer_allowed(int fd, uid_t owner_uid, gid_t group_gid, struct st_error *err)
{
    struct ucred cred;
    socklen_t len = sizeof(cred);
    struct group *gr;

    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) == -1) {
        st_error_set(err, "permission denied: cannot read peer credentials: %s",
            strerror(errno));
        return false;
    }
    if (cred.uid == 0 || cred.uid == owner_uid)
        return true;
    if (group_gid != (gid_t)-1
            && (cred.gid == group_gid || ctl_in_group(cred.pid, cred.uid, group_gid)))
        return true;
    if (group_gid == (gid_t)-1) {
        st_error_set(err, "permission denied: uid %ld is not root or the daemon's uid"
            " (set steward.control_group to allow a group)", (long)cred.uid);
    } else if ((gr = getgrgid(group_gid)) != NULL) {
        st_error_set(err, "permission denied: uid %ld is not root, the daemon's uid or in"
            " group %s", (long)cred.uid, gr->gr_name);
    } else {
        st_error_set(err, "permission denied: uid %ld is not root, the daemon's uid or in"
            " group %ld", (long)cred.uid, (long)group_gid);
    }
    return false;
}

/* ---- replies and dispatch ---- */

/* Successful answer; takes ownership of result (NULL = {}). A second answer is dropped. */
void
ctl_reply_ok(struct ctl_reply *r, struct json_object *result)
{
    if (r->answered) {
        json_object_put(result);
        return;
    }
    r->answered = true;
    r->result = result != NULL ? result : json_object_new_object();
}

/* Error answer, printf-style. A second answer is dropped. */
void
ctl_reply_error(struct ctl_reply *r, const char *fmt, ...)
{
    va_list ap;
    char tmp[ST_ERRLEN];

    if (r->answered)
        return;
    va_start(ap, fmt);
    (void)vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    r->answered = true;
    r->failed = true;
    r->error = st_xstrdup(tmp);
}

/* Text answer (e.g. Prometheus exposition): the result is a JSON string. */
void
ctl_reply_text(struct ctl_reply *r, const char *text)
{
    ctl_reply_ok(r, json_object_new_string(text != NULL ? text : ""));
}

/* The reply line for r (malloc'd, no newline). */
static char *
ctl_reply_line(struct ctl_reply *r)
{
    struct json_object *o = json_object_new_object();
    char *line;

    json_object_object_add(o, "ok", json_object_new_boolean(!r->failed));
    if (r->failed) {
        json_object_object_add(o, "error", json_object_new_string(r->error));
    } else {
        json_object_object_add(o, "result", r->result);
        r->result = NULL;
    }
    line = jsn_dump(o);
    json_object_put(o);
    return line;
}

static char *
ctl_error_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A complete {"ok":false,"error":…} line (malloc'd). */
static char *
ctl_error_line(const char *fmt, ...)
{
    struct ctl_reply r = { false, true, NULL, NULL };
    char tmp[ST_ERRLEN], *line;
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    r.error = tmp;
    line = ctl_reply_line(&r);
    return line;
}

/* The command named name over the tables (first match wins), or NULL. */
static const struct ctl_command *
ctl_find(const struct ctl_server *s, const char *name, void **arg)
{
    for (size_t t = 0; t < s->ntables; t++)
        for (size_t i = 0; i < s->tables[t].n; i++)
            if (strcmp(s->tables[t].cmds[i].name, name) == 0) {
                *arg = s->tables[t].arg;
                return &s->tables[t].cmds[i];
            }
    return NULL;
}

/* "unknown command: X (try: a, b, c)" as a reply line. */
static char *
ctl_unknown_line(const struct ctl_server *s, const char *cmd)
{
    struct st_buf names = ST_BUF_INIT;
    char *line;
    size_t shown = st_utf8_cut(cmd, strlen(cmd), CTL_CMD_SHOWN);
    void *arg;

    for (size_t t = 0; t < s->ntables; t++)
        for (size_t i = 0; i < s->tables[t].n; i++) {
            const char *name = s->tables[t].cmds[i].name;
            if (ctl_find(s, name, &arg) != &s->tables[t].cmds[i])
                continue;       /* shadowed by an earlier table */
            if (names.len > 0)
                st_buf_puts(&names, ", ");
            st_buf_puts(&names, name);
        }
    line = ctl_error_line("unknown command: %.*s%s (try: %s)", (int)shown, cmd,
        shown < strlen(cmd) ? "…" : "", names.len > 0 ? names.data : "nothing");
    st_buf_free(&names);
    return line;
}

/* Handle one request line and return the reply line (malloc'd, no newline). */
char *
ctl_handle_line(struct ctl_server *s, const char *line, size_t len)
{
    struct st_error err = ST_ERROR_INIT;
    struct json_object *req = NULL, *args = NULL;
    struct ctl_reply reply = { false, false, NULL, NULL };
    const struct ctl_command *c;
    const char *cmd;
    char *out;
    void *arg = NULL;

    if (len > CTL_MAX_LINE)
        return ctl_error_line("request line too long: %zu bytes (max %d)", len, CTL_MAX_LINE);
    if ((req = jsn_parse(line, len, &err)) == NULL)
        return ctl_error_line("malformed request: %s", err.msg);
    if (!json_object_is_type(req, json_type_object)) {
        out = ctl_error_line("malformed request: expected an object like {\"cmd\":\"status\"}");
        goto out;
    }
    if ((cmd = jsn_get_str(req, "cmd")) == NULL) {
        out = ctl_error_line("malformed request: \"cmd\" must be a string");
        goto out;
    }
    if (json_object_object_get_ex(req, "args", &args) && args != NULL
            && !json_object_is_type(args, json_type_object)) {
        out = ctl_error_line("malformed request: \"args\" must be an object");
        goto out;
    }
    if ((c = ctl_find(s, cmd, &arg)) == NULL) {
        out = ctl_unknown_line(s, cmd);
        goto out;
    }
    struct ctl_req r = { cmd, args };
    c->fn(&r, &reply, arg);
    if (!reply.answered)
        ctl_reply_error(&reply, "internal error: command %s gave no reply", c->name);
    out = ctl_reply_line(&reply);
    free(reply.error);
out:
    json_object_put(req);
    return out;
}

/* ---- server ---- */

static void
ctl_conn_free(struct ctl_conn *c)
{
    struct ctl_server *s = c->srv;

    if (c->prev != NULL)
        c->prev->next = c->next;
    else
        s->conns = c->next;
    if (c->next != NULL)
        c->next->prev = c->prev;
    s->nconns--;
    bufferevent_free(c->bev);       /* BEV_OPT_CLOSE_ON_FREE: closes the client fd */
    free(c);
}

/* Queue a reply line plus newline. */
static void
ctl_conn_send(struct ctl_conn *c, const char *line)
{
    struct evbuffer *out = bufferevent_get_output(c->bev);

    (void)evbuffer_add(out, line, strlen(line));
    (void)evbuffer_add(out, "\n", 1);
}

/* Stop reading; free the connection once its output has drained. */
static void
ctl_conn_close_after_flush(struct ctl_conn *c)
{
    c->closing = true;
    (void)bufferevent_disable(c->bev, EV_READ);
    if (evbuffer_get_length(bufferevent_get_output(c->bev)) == 0)
        ctl_conn_free(c);
}

/* Answer one line taken from the input buffer (n bytes, then eol_len bytes of EOL). */
static void
ctl_conn_line(struct ctl_conn *c, struct evbuffer *in, size_t n, size_t eol_len)
{
    char *line = st_xmalloc(n + 1), *reply;

    (void)evbuffer_remove(in, line, n);
    (void)evbuffer_drain(in, eol_len);
    line[n] = '\0';
    if (n > 0 && line[n - 1] == '\r')
        n--;
    reply = ctl_handle_line(c->srv, line, n);
    ctl_conn_send(c, reply);
    free(reply);
    free(line);
}

static void
ctl_on_read(struct bufferevent *bev, void *arg)
{
    struct ctl_conn *c = arg;
    struct evbuffer *in = bufferevent_get_input(bev);
    struct evbuffer_ptr eol;
    size_t eol_len;
    char *reply;

    while (!c->closing) {
        eol = evbuffer_search_eol(in, NULL, &eol_len, EVBUFFER_EOL_LF);
        if (eol.pos < 0) {
            if (evbuffer_get_length(in) <= CTL_MAX_LINE)
                return;         /* wait for the rest of the line */
        } else if ((size_t)eol.pos <= CTL_MAX_LINE) {
            ctl_conn_line(c, in, (size_t)eol.pos, eol_len);
            continue;
        }
        reply = ctl_error_line("request line too long: more than %d bytes", CTL_MAX_LINE);
        ctl_conn_send(c, reply);
        free(reply);
        ctl_conn_close_after_flush(c);
        return;
    }
}

static void
ctl_on_write(struct bufferevent *bev, void *arg)
{
    struct ctl_conn *c = arg;

    (void)bev;
    if (c->closing)
        ctl_conn_free(c);
}

static void
ctl_on_event(struct bufferevent *bev, short what, void *arg)
{
    struct ctl_conn *c = arg;
    struct evbuffer *in = bufferevent_get_input(bev);
    size_t n = evbuffer_get_length(in);

    /* EOF after a last line without newline (printf '…' | socat): answer it, then close. */
    if ((what & BEV_EVENT_EOF) && !c->closing && n > 0 && n <= CTL_MAX_LINE) {
        ctl_conn_line(c, in, n, 0);
        ctl_conn_close_after_flush(c);
        return;
    }
    if ((what & BEV_EVENT_EOF) && c->closing)
        return;         /* peer half-closed; let the reply drain */
    ctl_conn_free(c);   /* error, timeout (idle or stalled half line), or plain EOF */
}

/* Refuse a peer with one error line, without an event (the line fits the socket buffer). */
static void
ctl_refuse(int fd, const char *msg)
{
    char *line = ctl_error_line("%s", msg);
    struct st_buf b = ST_BUF_INIT;

    st_buf_puts(&b, line);
    st_buf_putc(&b, '\n');
    (void)send(fd, b.data, b.len, MSG_NOSIGNAL | MSG_DONTWAIT);
    st_buf_free(&b);
    free(line);
    close(fd);
}

/* Set up a bufferevent for an accepted, allowed client. */
static void
ctl_conn_new(struct ctl_server *s, int fd)
{
    struct ctl_conn *c;
    struct bufferevent *bev;
    struct timeval tv;

    bev = bufferevent_socket_new(s->base, fd, BEV_OPT_CLOSE_ON_FREE);
    if (bev == NULL) {
        close(fd);
        return;
    }
    c = st_xcalloc(1, sizeof(*c));
    c->srv = s;
    c->bev = bev;
    c->next = s->conns;
    if (s->conns != NULL)
        s->conns->prev = c;
    s->conns = c;
    s->nconns++;
    bufferevent_setcb(bev, ctl_on_read, ctl_on_write, ctl_on_event, c);
    /* Stop reading once a line could not fit: caps memory per client. */
    bufferevent_setwatermark(bev, EV_READ, 0, CTL_MAX_LINE + 2);
    if (s->idle_s > 0) {
        tv.tv_sec = (time_t)s->idle_s;
        tv.tv_usec = (suseconds_t)((s->idle_s - (double)tv.tv_sec) * 1e6);
        (void)bufferevent_set_timeouts(bev, &tv, &tv);
    }
    (void)bufferevent_enable(bev, EV_READ | EV_WRITE);
}

static void
ctl_on_retry(evutil_socket_t fd, short what, void *arg)
{
    struct ctl_server *s = arg;

    (void)fd; (void)what;
    (void)event_add(s->accept_ev, NULL);
}

/* Stop accepting for 100 ms (out of fds or memory): the queue waits in the backlog. */
static void
ctl_accept_pause(struct ctl_server *s)
{
    struct timeval tv = { 0, 100000 };

    if (s->retry_ev == NULL
            && (s->retry_ev = evtimer_new(s->base, ctl_on_retry, s)) == NULL)
        return;
    (void)event_del(s->accept_ev);
    (void)evtimer_add(s->retry_ev, &tv);
}

static void
ctl_on_accept(evutil_socket_t lfd, short what, void *arg)
{
    struct ctl_server *s = arg;
    struct st_error err = ST_ERROR_INIT;
    int fd;

    (void)what;
    /* Bounded, so a flood cannot starve the rest of the loop. */
    for (int i = 0; i < 16; i++) {
        if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) == -1) {
            if (errno != EAGAIN && errno != EINTR && errno != ECONNABORTED)
                ctl_accept_pause(s);    /* EMFILE: level-triggered, it would spin */
            return;
        }
        if (!ctl_peer_allowed(fd, s->owner_uid, s->group_gid, &err))
            ctl_refuse(fd, err.msg);
        else if (s->nconns >= CTL_MAX_CLIENTS)
            ctl_refuse(fd, "too many control connections (max 64), try again");
        else
            ctl_conn_new(s, fd);
    }
}

/* New server on listen_fd (or dispatch-only with base NULL, listen_fd -1); see ctl.h. */
struct ctl_server *
ctl_server_new(struct event_base *base, int listen_fd, uid_t owner_uid, gid_t group_gid,
    struct st_error *err)
{
    struct ctl_server *s = st_xcalloc(1, sizeof(*s));

    s->base = base;
    s->listen_fd = listen_fd;
    s->owner_uid = owner_uid;
    s->group_gid = group_gid;
    s->idle_s = CTL_IDLE_TIMEOUT_S;
    if (base == NULL || listen_fd < 0)
        return s;
    s->accept_ev = event_new(base, listen_fd, EV_READ | EV_PERSIST, ctl_on_accept, s);
    if (s->accept_ev == NULL || event_add(s->accept_ev, NULL) == -1) {
        st_error_set(err, "control server: cannot watch listening fd %d", listen_fd);
        ctl_server_free(s);
        return NULL;
    }
    return s;
}

/* Add a command table (first added wins on duplicate names). */
void
ctl_server_add_commands(struct ctl_server *s, const struct ctl_command *cmds, size_t n,
    void *arg)
{
    s->tables = st_xrealloc(s->tables, (s->ntables + 1) * sizeof(*s->tables));
    s->tables[s->ntables++] = (struct ctl_table){ cmds, n, arg };
}

/* Idle timeout for connections accepted from now on; 0 disables it. */
void
ctl_server_set_idle_timeout(struct ctl_server *s, double seconds)
{
    s->idle_s = seconds > 0 ? seconds : 0;
}

/* Close client connections and stop accepting; listen_fd stays open. Takes NULL. */
void
ctl_server_free(struct ctl_server *s)
{
    if (s == NULL)
        return;
    while (s->conns != NULL)
        ctl_conn_free(s->conns);
    if (s->accept_ev != NULL)
        event_free(s->accept_ev);
    if (s->retry_ev != NULL)
        event_free(s->retry_ev);
    free(s->tables);
    free(s);
}

/* ---- client ---- */

/* The group that may use the socket at path (its own, else its directory's), for hints. */
static const char *
ctl_group_of(const char *path)
{
    static char name[64];
    struct stat st;
    struct group *gr;
    char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
    char *slash;

    (void)snprintf(dir, sizeof(dir), "%s", path);
    if ((slash = strrchr(dir, '/')) != NULL)
        *(slash == dir ? slash + 1 : slash) = '\0';
    if (stat(path, &st) == -1 && stat(slash ? dir : ".", &st) == -1)
        return "steward";
    if ((gr = getgrgid(st.st_gid)) == NULL) {
        (void)snprintf(name, sizeof(name), "%lu", (unsigned long)st.st_gid);
        return name;
    }
    (void)snprintf(name, sizeof(name), "%s", gr->gr_name);
    return name;
}

/* Connect to path within the deadline; -1 with err naming the fix. */
static int
ctl_connect(const char *path, double timeout_s, struct st_error *err)
{
    struct sockaddr_un sa;
    struct timeval tv;
    int fd, e;

    if (ctl_sockaddr(&sa, path, err) == -1)
        return -1;
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1) {
        st_error_set(err, "socket: %s", strerror(errno));
        return -1;
    }
    /* A full backlog blocks connect(2) on a Unix socket; SO_SNDTIMEO bounds it. */
    tv.tv_sec = (time_t)timeout_s;
    tv.tv_usec = (suseconds_t)((timeout_s - (double)tv.tv_sec) * 1e6);
    (void)setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0)
        return fd;
    e = errno;
    close(fd);
    switch (e) {
    case ENOENT:
        st_error_set(err, "connect %s: %s (is steward running? set -s or STEWARD_SOCKET)",
            path, strerror(e));
        break;
    case ECONNREFUSED:
        st_error_set(err, "connect %s: %s (is steward running? the socket may be stale)",
            path, strerror(e));
        break;
    case EACCES:
    case EPERM:
        st_error_set(err, "connect %s: %s (are you in group %s?)", path, strerror(e),
            ctl_group_of(path));
        break;
    case EAGAIN:
    case EINPROGRESS:
        st_error_set(err, "connect %s: timed out after %g s (steward is busy?)", path,
            timeout_s);
        break;
    default:
        st_error_set(err, "connect %s: %s", path, strerror(e));
    }
    return -1;
}

/* Read one line from fd into b (newline stripped) before deadline_ms. -1 with err. */
static int
ctl_read_line(int fd, const char *path, double timeout_s, int64_t deadline_ms,
    struct st_buf *b, struct st_error *err)
{
    struct pollfd pfd = { .fd = fd, .events = POLLIN };
    char chunk[65536], *nl;
    ssize_t n;
    int64_t left;

    for (;;) {
        if ((left = deadline_ms - st_now_ms()) <= 0) {
            st_error_set(err, "%s: timed out after %g s waiting for a reply", path, timeout_s);
            return -1;
        }
        if (poll(&pfd, 1, left > 1000000 ? 1000000 : (int)left) == -1 && errno != EINTR) {
            st_error_set(err, "poll %s: %s", path, strerror(errno));
            return -1;
        }
        if (pfd.revents == 0)
            continue;
        if ((n = read(fd, chunk, sizeof(chunk))) == -1) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            st_error_set(err, "read %s: %s", path, strerror(errno));
            return -1;
        }
        if (n == 0) {
            st_error_set(err, "%s: connection closed before a reply", path);
            return -1;
        }
        st_buf_append(b, chunk, (size_t)n);
        if ((nl = memchr(b->data, '\n', b->len)) != NULL) {
            b->len = (size_t)(nl - b->data);
            b->data[b->len] = '\0';
            return 0;
        }
        if (b->len > CTL_MAX_REPLY) {
            st_error_set(err, "%s: reply longer than %d bytes", path, CTL_MAX_REPLY);
            return -1;
        }
    }
}

/* One request, one reply; see ctl.h. */
struct json_object *
ctl_call(const char *path, const char *cmd, struct json_object *args, double timeout_s,
    struct st_error *err)
{
    struct json_object *req = json_object_new_object(), *reply = NULL;
    struct st_buf b = ST_BUF_INIT;
    struct st_error perr = ST_ERROR_INIT;
    int64_t deadline_ms;
    char *line = NULL;
    int fd;

    if (timeout_s <= 0)
        timeout_s = 10;
    deadline_ms = st_now_ms() + (int64_t)(timeout_s * 1000);
    if ((fd = ctl_connect(path, timeout_s, err)) == -1)
        goto out;
    json_object_object_add(req, "cmd", json_object_new_string(cmd));
    if (args != NULL)
        json_object_object_add(req, "args", json_object_get(args));
    line = jsn_dump(req);
    st_buf_puts(&b, line);
    st_buf_putc(&b, '\n');
    /* A refused peer may have been answered and closed already: EPIPE is not the story. */
    if (send(fd, b.data, b.len, MSG_NOSIGNAL) == -1 && errno != EPIPE && errno != ECONNRESET) {
        st_error_set(err, "send to %s: %s", path, strerror(errno));
        goto out;
    }
    st_buf_reset(&b);
    if (ctl_read_line(fd, path, timeout_s, deadline_ms, &b, err) == -1)
        goto out;
    if ((reply = jsn_parse(b.data, b.len, &perr)) == NULL) {
        st_error_set(err, "%s: malformed reply: %s", path, perr.msg);
        goto out;
    }
    if (!json_object_is_type(reply, json_type_object)) {
        st_error_set(err, "%s: malformed reply: not an object", path);
        json_object_put(reply);
        reply = NULL;
    }
out:
    if (fd != -1)
        close(fd);
    st_buf_free(&b);
    free(line);
    json_object_put(req);
    return reply;
}
