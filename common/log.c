/*
 * log.c -- JSON log records on stderr, one write(2) each.
 * Owns the process-wide log context (process name, pid, level, registered secrets,
 * drop counter). Records stay under LOG_MAX_RECORD bytes so that processes sharing a
 * pipe never interleave; when the pipe is full the record is dropped and counted
 * rather than stalling the caller. Tests: tests/unit/t_log.c
 */
#include "config.h"
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "util.h"

#define LOG_MAX_SECRETS 64

/*
 * How a record reaches the output without ever stalling its writer:
 *   PLAIN   regular file or tty: a plain write
 *   PIPE    a pipe reopened through /proc/self/fd with O_NONBLOCK: a full pipe answers
 *           EAGAIN, and a write of at most PIPE_BUF is all or nothing. Our own open file
 *           description, so the flag does not leak to the processes sharing the pipe
 *           (setting O_NONBLOCK on fd 2 itself would change it for all of them), and a
 *           check-then-write race with those writers cannot block us.
 *   SOCKET  a stream or datagram socket (journald): send with MSG_DONTWAIT
 *   POLL    a pipe that could not be reopened: poll for room, then write
 */
enum log_out { LOG_OUT_UNKNOWN, LOG_OUT_PLAIN, LOG_OUT_PIPE, LOG_OUT_SOCKET, LOG_OUT_POLL };

static struct {
    char process[64];
    long pid;
    enum log_level level;
    int fd;
    enum log_out out;           /* how fd is written, found on the first record */
    int wfd;                    /* LOG_OUT_PIPE: our own non-blocking open of the pipe */
    pid_t out_pid;              /* the process that chose out: a forked child chooses anew */
    char *secrets[LOG_MAX_SECRETS];
    size_t nsecrets;
    uint64_t dropped;
} L = { "", 0, LOG_INFO, 2, LOG_OUT_UNKNOWN, -1, 0, { NULL }, 0, 0 };

static const char *const level_names[] = { "debug", "info", "warn", "error" };

void
log_set_process(const char *name)
{
    (void)snprintf(L.process, sizeof(L.process), "%s", name ? name : "");
    L.pid = (long)getpid();
}

void
log_set_level(enum log_level level)
{
    L.level = level;
}

enum log_level
log_get_level(void)
{
    return L.level;
}

int
log_level_parse(const char *s)
{
    if (s == NULL)
        return -1;
    for (size_t i = 0; i < ST_ARRAY_LEN(level_names); i++)
        if (strcasecmp(s, level_names[i]) == 0)
            return (int)i;
    if (strcasecmp(s, "warning") == 0)
        return LOG_WARN;
    return -1;
}

const char *
log_level_name(enum log_level level)
{
    return level_names[level];
}

void
log_set_fd(int fd)
{
    if (L.wfd != -1)
        (void)close(L.wfd);
    L.wfd = -1;
    L.fd = fd;
    L.out = LOG_OUT_UNKNOWN;
}

void
log_add_secret(const char *value)
{
    if (value == NULL || strlen(value) < 4 || L.nsecrets == LOG_MAX_SECRETS)
        return;
    for (size_t i = 0; i < L.nsecrets; i++)
        if (strcmp(L.secrets[i], value) == 0)
            return;
    L.secrets[L.nsecrets++] = st_xstrdup(value);
}

void
log_clear_secrets(void)
{
    for (size_t i = 0; i < L.nsecrets; i++)
        st_free_secret(L.secrets[i]);
    L.nsecrets = 0;
}

uint64_t
log_dropped(void)
{
    return L.dropped;
}

char *
log_mask_secrets(const char *s)
{
    struct st_buf b = ST_BUF_INIT;
    const char *p = s;

    if (L.nsecrets == 0)
        return st_xstrdup(s);
    while (*p != '\0') {
        size_t hit = 0;
        for (size_t i = 0; i < L.nsecrets && hit == 0; i++) {
            size_t n = strlen(L.secrets[i]);
            if (strncmp(p, L.secrets[i], n) == 0)
                hit = n;
        }
        if (hit > 0) {
            st_buf_puts(&b, "***");
            p += hit;
        } else {
            st_buf_putc(&b, *p++);
        }
    }
    return st_buf_steal(&b);
}

static bool
log_is_secret_param(const char *name, size_t n)
{
    static const char *const names[] = {
        "password", "passwd", "pass", "pwd", "token", "access_token", "api_key", "apikey",
        "key", "secret", "sig", "signature", "auth", "credential", "sslpassword",
        "x-amz-signature", "x-amz-credential", "x-amz-security-token",
    };

    for (size_t i = 0; i < ST_ARRAY_LEN(names); i++)
        if (strlen(names[i]) == n && strncasecmp(name, names[i], n) == 0)
            return true;
    return false;
}

/* Mask credential-bearing query parameters in "a=1&token=x" (appended to b). */
static void
log_redact_query(struct st_buf *b, const char *q)
{
    while (*q != '\0') {
        size_t seg = strcspn(q, "&");
        size_t name = strcspn(q, "=");

        if (name < seg && log_is_secret_param(q, name)) {
            st_buf_append(b, q, name + 1);
            st_buf_puts(b, "***");
        } else {
            st_buf_append(b, q, seg);
        }
        q += seg;
        if (*q == '&')
            st_buf_putc(b, *q++);
    }
}

char *
log_redact_url(const char *url)
{
    struct st_buf b = ST_BUF_INIT;
    const char *scheme, *auth, *end, *at, *colon, *q;
    char *masked;

    if (url == NULL)
        return st_xstrdup("");
    scheme = strstr(url, "://");
    if (scheme == NULL) {
        /* libpq keyword form: "host=x password=y" */
        const char *pw = strstr(url, "password=");
        if (pw == NULL)
            return log_mask_secrets(url);
        st_buf_append(&b, url, (size_t)(pw - url) + strlen("password="));
        st_buf_puts(&b, "***");
        pw += strlen("password=");
        pw += (*pw == '\'') ? strcspn(pw + 1, "'") + 2 : strcspn(pw, " ");
        st_buf_puts(&b, pw);
        goto out;
    }
    auth = scheme + 3;
    end = auth + strcspn(auth, "/?#");
    at = NULL;
    for (const char *p = auth; p < end; p++)
        if (*p == '@')
            at = p;
    st_buf_append(&b, url, (size_t)(auth - url));
    if (at != NULL) {
        colon = memchr(auth, ':', (size_t)(at - auth));
        if (colon != NULL) {
            st_buf_append(&b, auth, (size_t)(colon - auth) + 1);
            st_buf_puts(&b, "***");
        } else {
            st_buf_append(&b, auth, (size_t)(at - auth));
        }
        st_buf_append(&b, at, (size_t)(end - at));
    } else {
        st_buf_append(&b, auth, (size_t)(end - auth));
    }
    q = strchr(end, '?');
    if (q == NULL) {
        st_buf_puts(&b, end);
    } else {
        st_buf_append(&b, end, (size_t)(q - end) + 1);
        log_redact_query(&b, q + 1);
    }
out:
    masked = log_mask_secrets(b.data);
    st_buf_free(&b);
    return masked;
}

static void
log_timestamp(char *buf, size_t size)
{
    int64_t us = st_wall_us();
    time_t sec = (time_t)(us / 1000000);
    struct tm tm;
    size_t n;

    (void)gmtime_r(&sec, &tm);
    n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
    (void)snprintf(buf + n, size - n, ".%06dZ", (int)(us % 1000000));
}

/* Add one typed field to obj, redacting by type. */
static void
log_add_field(struct json_object *obj, const struct log_field *f)
{
    struct json_object *v = NULL;
    char *s;

    switch (f->type) {
    case LFT_STR:
        if (f->v.s == NULL) {
            v = NULL;
            break;
        }
        s = log_mask_secrets(f->v.s);
        v = json_object_new_string(s);
        free(s);
        break;
    case LFT_URL:
        s = log_redact_url(f->v.s);
        v = json_object_new_string(s);
        free(s);
        break;
    case LFT_SECRET:
        v = json_object_new_string("***");
        break;
    case LFT_INT:
        v = json_object_new_int64(f->v.i);
        break;
    case LFT_DBL:
        v = json_object_new_double(f->v.d);
        break;
    case LFT_BOOL:
        v = json_object_new_boolean(f->v.b);
        break;
    case LFT_RAW:
        v = f->v.s ? json_tokener_parse(f->v.s) : NULL;
        break;
    case LFT_END:
        return;
    }
    json_object_object_add(obj, f->key, v);
}

/* Shorten every string value of obj to at most max bytes (on a UTF-8 boundary). */
static void
log_shorten(struct json_object *obj, size_t max)
{
    json_object_object_foreach(obj, key, val) {
        if (!json_object_is_type(val, json_type_string) || strcmp(key, "ts") == 0)
            continue;
        const char *s = json_object_get_string(val);
        size_t len = (size_t)json_object_get_string_len(val);
        if (len > max)
            json_object_set_string_len(val, s, (int)st_utf8_cut(s, len, max));
    }
}

int
log_format(char *buf, size_t size, enum log_level level, const char *msg,
    struct json_object *fields)
{
    struct json_object *rec = json_object_new_object();
    char ts[40], *masked;
    const char *text;
    size_t len;
    int flags = JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE;

    log_timestamp(ts, sizeof(ts));
    json_object_object_add(rec, "ts", json_object_new_string(ts));
    json_object_object_add(rec, "level", json_object_new_string(level_names[level]));
    /* msg is constant text, except when it carries a program's output line (exec kind):
       mask it like any string field. */
    masked = log_mask_secrets(msg);
    json_object_object_add(rec, "msg", json_object_new_string(masked));
    free(masked);
    if (L.process[0] != '\0')
        json_object_object_add(rec, "worker", json_object_new_string(L.process));
    json_object_object_add(rec, "pid", json_object_new_int64(L.pid ? L.pid : (long)getpid()));
    if (fields != NULL) {
        json_object_object_foreach(fields, key, val)
            json_object_object_add(rec, key, json_object_get(val));
    }
    text = json_object_to_json_string_ext(rec, flags);
    len = strlen(text);
    /* Too long for one atomic write: cut string fields, shorter each round. */
    for (size_t max = 1024; len >= size && max >= 16; max /= 4) {
        log_shorten(rec, max);
        json_object_object_add(rec, "truncated", json_object_new_boolean(1));
        text = json_object_to_json_string_ext(rec, flags);
        len = strlen(text);
    }
    if (len >= size)
        len = (size_t)snprintf(buf, size, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"record too long\","
            "\"truncated\":true}", ts, level_names[level]);
    else
        memcpy(buf, text, len + 1);
    json_object_put(rec);
    return (int)len;
}

static void
log_prepare_output(void)
{
    struct stat st;
    char path[64];

    L.out = LOG_OUT_PLAIN;
    L.wfd = -1;                 /* a parent's wfd is not ours to close: the fork code may
                                   have closed it and the number may name something else */
    L.out_pid = getpid();
    if (fstat(L.fd, &st) == -1)
        return;
    if (S_ISSOCK(st.st_mode)) {
        L.out = LOG_OUT_SOCKET;
    } else if (S_ISFIFO(st.st_mode)) {
        (void)snprintf(path, sizeof(path), "/proc/self/fd/%d", L.fd);
        L.wfd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        L.out = L.wfd != -1 ? LOG_OUT_PIPE : LOG_OUT_POLL;
    }
}

/* Room in fd right now? For the POLL fallback only. */
static bool
log_has_room(int fd)
{
    struct pollfd pfd = { .fd = fd, .events = POLLOUT };
    int n;

    do
        n = poll(&pfd, 1, 0);
    while (n == -1 && errno == EINTR);
    return n == 1 && (pfd.revents & POLLOUT) != 0;
}

/* A stream socket took only part of a record: finish it, or the next record would
   continue a torn line. Rare (a send buffer is far larger than a record). */
static ssize_t
log_send_rest(const char *line, size_t len, ssize_t sent)
{
    ssize_t w = sent;

    while (w > 0 && (size_t)w < len) {
        ssize_t n = send(L.fd, line + w, len - (size_t)w, MSG_NOSIGNAL);

        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        w += n;
    }
    return w;
}

/* Write one record; drop (and count) it when the output is full instead of blocking. */
static void
log_write(const char *line, size_t len)
{
    ssize_t w;

    if (L.out == LOG_OUT_UNKNOWN || L.out_pid != getpid())
        log_prepare_output();
    if (L.out == LOG_OUT_POLL && !log_has_room(L.fd)) {
        L.dropped++;
        return;
    }
    do {
        if (L.out == LOG_OUT_SOCKET)
            w = send(L.fd, line, len, MSG_DONTWAIT | MSG_NOSIGNAL);
        else
            w = write(L.out == LOG_OUT_PIPE ? L.wfd : L.fd, line, len);
    } while (w == -1 && errno == EINTR);
    if (L.out == LOG_OUT_SOCKET && w > 0 && (size_t)w < len)
        w = log_send_rest(line, len, w);
    if (w != (ssize_t)len)
        L.dropped++;
}

void
log_emit(enum log_level level, const char *msg, ...)
{
    char line[LOG_MAX_RECORD + 2];
    struct json_object *fields;
    struct log_field f;
    va_list ap;
    int saved = errno;
    int len;

    if (level < L.level)
        return;
    fields = json_object_new_object();
    va_start(ap, msg);
    while ((f = va_arg(ap, struct log_field)).type != LFT_END)
        log_add_field(fields, &f);
    va_end(ap);
    len = log_format(line, LOG_MAX_RECORD, level, msg, fields);
    json_object_put(fields);
    line[len] = '\n';
    log_write(line, (size_t)len + 1);
    errno = saved;
}
