/*
 * log.c -- JSON log records on stderr, one write(2) each.
 * Owns the process-wide log context (process name, pid, level, registered secrets,
 * drop counter). Records stay under LOG_MAX_RECORD bytes so that processes sharing a
 * pipe never interleave; when the pipe is full the record is dropped and counted
 * rather than stalling the caller. Tests: tests/unit/t_log.c
 */
#include "config.h"
#include "log.h"

#include <ctype.h>
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

/* A registered secret: its bytes, length, and the mark it was last added under. */
struct log_secret {
    char *v;
    size_t len;
    uint64_t gen;
};

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
    struct log_secret *secrets;
    size_t nsecrets, secrets_cap;
    uint64_t gen;               /* the current mark (log_secrets_mark) */
    uint64_t dropped;
} L = { "", 0, LOG_INFO, 2, LOG_OUT_UNKNOWN, -1, 0, NULL, 0, 0, 0, 0 };

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

static int
log_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
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

/* ---- registered secrets ----------------------------------------------------------------
 * A dynamic set; each entry remembers the mark (generation) under which it was last
 * added, so that a reload can drop what the new config no longer registers
 * (log_secrets_mark / log_secrets_sweep). */

void
log_add_secret(const char *value)
{
    size_t n;

    if (value == NULL || (n = strlen(value)) == 0)
        return;
    for (size_t i = 0; i < L.nsecrets; i++)
        if (L.secrets[i].len == n && memcmp(L.secrets[i].v, value, n) == 0) {
            L.secrets[i].gen = L.gen;
            return;
        }
    if (L.nsecrets == L.secrets_cap) {
        L.secrets_cap = L.secrets_cap ? L.secrets_cap * 2 : 16;
        L.secrets = st_xrealloc(L.secrets, L.secrets_cap * sizeof(*L.secrets));
    }
    L.secrets[L.nsecrets++] = (struct log_secret){ st_xstrdup(value), n, L.gen };
}

void
log_clear_secrets(void)
{
    for (size_t i = 0; i < L.nsecrets; i++)
        st_free_secret(L.secrets[i].v);
    free(L.secrets);
    L.secrets = NULL;
    L.nsecrets = L.secrets_cap = 0;
}

size_t
log_secrets_count(void)
{
    return L.nsecrets;
}

uint64_t
log_secrets_mark(void)
{
    return ++L.gen;
}

void
log_secrets_sweep(uint64_t mark)
{
    size_t j = 0;

    for (size_t i = 0; i < L.nsecrets; i++) {
        if (L.secrets[i].gen >= mark)
            L.secrets[j++] = L.secrets[i];
        else
            st_free_secret(L.secrets[i].v);
    }
    L.nsecrets = j;
}

uint64_t
log_dropped(void)
{
    return L.dropped;
}

/* Ends a value that stands alone: a short secret is masked only when followed by one. */
static bool
log_value_end(char c)
{
    return c == '\0' || strchr(" \t\r\n&#@'\",;)", c) != NULL;
}

/* Is the secret sec a match at s + i? Short ones (< LOG_SECRET_ANYWHERE bytes) only as a
   whole value: right after '=' (or "='") up to a value end, or as "user:SECRET@". */
static bool
log_secret_at(const char *s, size_t i, const struct log_secret *sec)
{
    char before, after;

    if (s[i] != sec->v[0] || strncmp(s + i, sec->v, sec->len) != 0)
        return false;
    if (sec->len >= LOG_SECRET_ANYWHERE)
        return true;
    if (i == 0)
        return false;
    before = s[i - 1];
    after = s[i + sec->len];
    if (before == '\'' && i >= 2 && s[i - 2] == '=')
        before = '=';
    return (before == '=' && log_value_end(after)) || (before == ':' && after == '@');
}

char *
log_mask_secrets(const char *s)
{
    struct st_buf b = ST_BUF_INIT;

    if (s == NULL)
        return st_xstrdup("");
    if (L.nsecrets == 0)
        return st_xstrdup(s);
    for (size_t i = 0; s[i] != '\0'; ) {
        size_t hit = 0;
        for (size_t k = 0; k < L.nsecrets; k++)
            if (L.secrets[k].len > hit && log_secret_at(s, i, &L.secrets[k]))
                hit = L.secrets[k].len;
        if (hit > 0) {
            st_buf_puts(&b, "***");
            i += hit;
        } else {
            st_buf_putc(&b, s[i++]);
        }
    }
    return st_buf_steal(&b);
}

/* ---- password spans in URLs, conninfo strings and free text ---------------------------- */

/* name[0..n) contains word, ignoring case. */
static bool
log_has_word(const char *name, size_t n, const char *word)
{
    size_t w = strlen(word);

    for (size_t i = 0; i + w <= n; i++)
        if (strncasecmp(name + i, word, w) == 0)
            return true;
    return false;
}

bool
log_is_secret_key(const char *name, size_t n)
{
    /* Contained anywhere in the name ("sslpassword", "API_TOKEN", "x-amz-signature"). */
    static const char *const words[] = {
        "passw", "pwd", "token", "secret", "key", "auth", "credential", "cookie", "signature",
    };
    /* Whole names only: as substrings they would catch ordinary words ("compass"). */
    static const char *const names[] = { "pass", "pw", "sig" };
    char dec[64];
    size_t j = 0;

    /* A query parameter's name may be percent-encoded ("pass%77ord"). */
    for (size_t i = 0; i < n && j < sizeof(dec); i++) {
        int hi, lo;
        if (name[i] == '%' && i + 2 < n && (hi = log_hexval(name[i + 1])) >= 0
            && (lo = log_hexval(name[i + 2])) >= 0) {
            dec[j++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            dec[j++] = name[i];
        }
    }
    for (size_t i = 0; i < ST_ARRAY_LEN(words); i++)
        if (log_has_word(dec, j, words[i]))
            return true;
    for (size_t i = 0; i < ST_ARRAY_LEN(names); i++)
        if (strlen(names[i]) == j && strncasecmp(dec, names[i], j) == 0)
            return true;
    return false;
}

static bool
log_key_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '-' || c == '.' || c == '%';
}

/* Ends a URL's authority (or a query value) in free text. */
static bool
log_url_end(char c, bool text)
{
    return c == '\0' || isspace((unsigned char)c) || (text && strchr("\"'<>`", c) != NULL);
}

/* "scheme://user:PW@host": the password span of the authority starting at s + a. A
   password with a raw '/' ("u:pa/ss@h", invalid but seen) counts when the ':' comes
   before the first '/' and the '@' within LOG_SLASH_PW_MAX bytes of that '/' (the bound
   keeps a scan of text full of "://" linear). */
#define LOG_SLASH_PW_MAX 256
static bool
log_userinfo_pw(const char *s, size_t a, bool text, size_t *off, size_t *len, size_t *next)
{
    size_t e1 = a, e2, at = SIZE_MAX, colon = SIZE_MAX;

    while (!log_url_end(s[e1], text) && strchr("/?#", s[e1]) == NULL)
        if (s[e1++] == '@')
            at = e1 - 1;
    for (size_t i = a; i < (at != SIZE_MAX ? at : e1); i++)
        if (s[i] == ':') {
            colon = i;
            break;
        }
    if (colon == SIZE_MAX)
        return false;
    if (at == SIZE_MAX) {
        for (e2 = e1; e2 - e1 < LOG_SLASH_PW_MAX && !log_url_end(s[e2], text)
                && strchr("?#", s[e2]) == NULL; e2++)
            if (s[e2] == '@') {
                at = e2;
                break;
            }
        if (at == SIZE_MAX)
            return false;
    }
    *off = colon + 1;
    *len = at - colon - 1;
    *next = at;
    return true;
}

/* The value after the '=' at s + eq, for key name s[ks..ke): a query value ('?' or '&'
   before the name) ends at '&' or '#'; a conninfo value may be single-quoted with
   backslash escapes, an unquoted one ends at a blank (in free text also at '"'). An
   unterminated quote runs to the end of s. */
static void
log_value_span(const char *s, size_t ks, size_t eq, bool text, size_t *off, size_t *len,
    size_t *next)
{
    size_t i = eq + 1, k;

    if (ks > 0 && (s[ks - 1] == '?' || s[ks - 1] == '&')) {
        for (k = i; !log_url_end(s[k], text) && s[k] != '&' && s[k] != '#'; k++)
            ;
        *off = i;
        *len = k - i;
        *next = k;
        return;
    }
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    if (s[i] == '\'') {
        for (k = ++i; s[k] != '\0' && s[k] != '\''; k++)
            if (s[k] == '\\' && s[k + 1] != '\0')
                k++;
    } else {
        for (k = i; s[k] != '\0' && !isspace((unsigned char)s[k]) && !(text && s[k] == '"'); k++)
            if (s[k] == '\\' && s[k + 1] != '\0')
                k++;
    }
    *off = i;
    *len = k - i;
    *next = s[k] == '\'' ? k + 1 : k;
}

/* The one scanner behind log_url_password and log_scrub. */
static bool
log_find_pw(const char *s, size_t *pos, size_t *off, size_t *len, bool text)
{
    size_t next;

    for (size_t i = *pos; s[i] != '\0'; i++) {
        if (s[i] == ':' && s[i + 1] == '/' && s[i + 2] == '/') {
            if (log_userinfo_pw(s, i + 3, text, off, len, &next) && *len > 0) {
                *pos = next;
                return true;
            }
            i += 2;
        } else if (s[i] == '=') {
            size_t ke = i, ks;
            while (ke > 0 && (s[ke - 1] == ' ' || s[ke - 1] == '\t'))
                ke--;
            for (ks = ke; ks > 0 && log_key_char(s[ks - 1]); ks--)
                ;
            if (ks == ke || !log_is_secret_key(s + ks, ke - ks))
                continue;
            log_value_span(s, ks, i, text, off, len, &next);
            if (*len > 0) {
                *pos = next;
                return true;
            }
            i = next > i ? next - 1 : i;
        }
    }
    *pos = strlen(s);
    return false;
}

bool
log_url_password(const char *url, size_t *pos, size_t *off, size_t *len)
{
    return log_find_pw(url, pos, off, len, false);
}

/* Every password span of s replaced by "***", then registered secrets masked. */
static char *
log_redact(const char *s, bool text)
{
    struct st_buf b = ST_BUF_INIT;
    size_t pos = 0, last = 0, off, len;
    char *tmp, *out;

    if (s == NULL)
        return st_xstrdup("");
    while (log_find_pw(s, &pos, &off, &len, text)) {
        st_buf_append(&b, s + last, off - last);
        st_buf_puts(&b, "***");
        last = off + len;
    }
    st_buf_puts(&b, s + last);
    tmp = st_buf_steal(&b);
    out = log_mask_secrets(tmp);
    st_free_secret(tmp);
    return out;
}

char *
log_redact_url(const char *url)
{
    return log_redact(url, false);
}

char *
log_scrub(const char *text)
{
    return log_redact(text, true);
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
        s = log_scrub(f->v.s);
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
       scrub it like any string field. */
    masked = log_scrub(msg);
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
