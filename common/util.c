/*
 * util.c -- error buffers, allocation wrappers, growable buffers, clocks, size
 * parsing. Owns nothing stateful. Tests: tests/unit/t_util.c
 */
#include "config.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

void
st_error_vset(struct st_error *err, const char *fmt, va_list ap)
{
    if (err == NULL)
        return;
    (void)vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
}

void
st_error_set(struct st_error *err, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    st_error_vset(err, fmt, ap);
    va_end(ap);
}

void
st_error_prefix(struct st_error *err, const char *fmt, ...)
{
    struct st_buf b = ST_BUF_INIT;
    char *head;
    va_list ap;
    int need;

    if (err == NULL)
        return;
    va_start(ap, fmt);
    need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    head = st_xmalloc((size_t)(need > 0 ? need : 0) + 1);
    va_start(ap, fmt);
    (void)vsnprintf(head, (size_t)(need > 0 ? need : 0) + 1, fmt, ap);
    va_end(ap);
    st_buf_puts(&b, head);
    st_buf_puts(&b, ": ");
    st_buf_puts(&b, err->msg);
    b.len = st_utf8_cut(b.data, b.len, sizeof(err->msg) - 1);
    memcpy(err->msg, b.data, b.len);
    err->msg[b.len] = '\0';
    free(head);
    st_buf_free(&b);
}

static void
st_oom(size_t n)
{
    char msg[128];
    int len;

    /* No allocation here: write straight to stderr and stop. */
    len = snprintf(msg, sizeof(msg),
        "{\"level\":\"error\",\"msg\":\"out of memory\",\"bytes\":%zu}\n", n);
    if (len > 0)
        (void)!write(STDERR_FILENO, msg, (size_t)len);
    abort();
}

void *
st_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);

    if (p == NULL)
        st_oom(n);
    return p;
}

void *
st_xcalloc(size_t nmemb, size_t size)
{
    void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

    if (p == NULL)
        st_oom(nmemb * size);
    return p;
}

void *
st_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);

    if (q == NULL)
        st_oom(n);
    return q;
}

char *
st_xstrdup(const char *s)
{
    return st_xstrndup(s, strlen(s));
}

char *
st_xstrndup(const char *s, size_t n)
{
    char *p = st_xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
st_xvasprintf(const char *fmt, va_list ap)
{
    struct st_buf b = ST_BUF_INIT;
    va_list ap2;
    int need;

    va_copy(ap2, ap);
    need = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (need < 0)
        need = 0;
    st_buf_reserve(&b, (size_t)need);
    (void)vsnprintf(b.data, (size_t)need + 1, fmt, ap);
    b.len = (size_t)need;
    return st_buf_steal(&b);
}

char *
st_xasprintf(const char *fmt, ...)
{
    va_list ap;
    char *s;

    va_start(ap, fmt);
    s = st_xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void
st_free_secret(char *s)
{
    if (s == NULL)
        return;
    explicit_bzero(s, strlen(s));
    free(s);
}

void
st_buf_reserve(struct st_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;

    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = st_xrealloc(b->data, cap);
    b->cap = cap;
    b->data[b->len] = '\0';        /* a fresh buffer reads as "" before any append */
}

void
st_buf_append(struct st_buf *b, const void *p, size_t n)
{
    st_buf_reserve(b, n);
    if (n > 0)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void
st_buf_puts(struct st_buf *b, const char *s)
{
    st_buf_append(b, s, strlen(s));
}

void
st_buf_putc(struct st_buf *b, char c)
{
    st_buf_append(b, &c, 1);
}

void
st_buf_printf(struct st_buf *b, const char *fmt, ...)
{
    va_list ap;
    int need;

    va_start(ap, fmt);
    need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need <= 0) {
        st_buf_reserve(b, 0);
        return;
    }
    st_buf_reserve(b, (size_t)need);
    va_start(ap, fmt);
    (void)vsnprintf(b->data + b->len, (size_t)need + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)need;
}

void
st_buf_reset(struct st_buf *b)
{
    b->len = 0;
    if (b->data != NULL)
        b->data[0] = '\0';
}

char *
st_buf_steal(struct st_buf *b)
{
    char *p;

    st_buf_reserve(b, 0);
    p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void
st_buf_free(struct st_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

int64_t
st_now_ms(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

double
st_now_s(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int64_t
st_wall_us(void)
{
    struct timespec ts;

    (void)clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t
st_parse_size(const char *s)
{
    int64_t mult = 1, v = 0;
    const char *p = s;

    if (s == NULL || *s < '0' || *s > '9')
        return -1;
    for (; *p >= '0' && *p <= '9'; p++) {
        if (v > (INT64_MAX - 9) / 10)
            return -1;
        v = v * 10 + (*p - '0');
    }
    switch (*p) {
    case '\0': break;
    case 'k': case 'K': mult = 1024; p++; break;
    case 'm': case 'M': mult = 1024 * 1024; p++; break;
    case 'g': case 'G': mult = 1024LL * 1024 * 1024; p++; break;
    case 't': case 'T': mult = 1024LL * 1024 * 1024 * 1024; p++; break;
    default: return -1;
    }
    if (*p == 'B' || *p == 'b')          /* "256MB" reads as "256M" */
        p++;
    if (*p != '\0' || v > INT64_MAX / mult)
        return -1;
    return v * mult;
}

size_t
st_utf8_cut(const char *s, size_t len, size_t max)
{
    size_t n;

    if (len <= max)
        return len;
    n = max;
    /* Step back over continuation bytes (10xxxxxx) to the start of a character. */
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

int
st_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;

    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n == -1) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}
