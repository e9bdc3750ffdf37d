/*
 * util.h -- errors, allocation, growable buffers, clocks: the small things every
 * module of steward uses.
 */
#ifndef STEWARD_UTIL_H
#define STEWARD_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ST_ERRLEN 1024

/* A failure described by the code that saw it; reported by the code that decides. */
struct st_error {
    char msg[ST_ERRLEN];
};

#define ST_ERROR_INIT { { 0 } }

void st_error_set(struct st_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void st_error_vset(struct st_error *err, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Prefix an existing message: "ctx: old message". */
void st_error_prefix(struct st_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Allocation that cannot fail: logs and aborts on exhaustion (STYLE 7). */
void *st_xmalloc(size_t n);
void *st_xcalloc(size_t nmemb, size_t size);
void *st_xrealloc(void *p, size_t n);
char *st_xstrdup(const char *s);
char *st_xstrndup(const char *s, size_t n);
char *st_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *st_xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Free a buffer that held a secret, wiping it first. Takes NULL. */
void st_free_secret(char *s);

/* A growable NUL-terminated byte buffer. */
struct st_buf {
    char *data;
    size_t len;
    size_t cap;
};

#define ST_BUF_INIT { NULL, 0, 0 }

void st_buf_reserve(struct st_buf *b, size_t extra);
void st_buf_append(struct st_buf *b, const void *p, size_t n);
void st_buf_puts(struct st_buf *b, const char *s);
void st_buf_putc(struct st_buf *b, char c);
void st_buf_printf(struct st_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void st_buf_reset(struct st_buf *b);
/* Hand the contents to the caller (never NULL) and leave b empty. */
char *st_buf_steal(struct st_buf *b);
void st_buf_free(struct st_buf *b);

/* Clocks. */
int64_t st_now_ms(void);        /* CLOCK_MONOTONIC */
double st_now_s(void);          /* CLOCK_MONOTONIC, seconds */
int64_t st_wall_us(void);       /* CLOCK_REALTIME, microseconds since the epoch */

/* Parse "256M", "1G", "512k", "1024": bytes, or -1 when malformed or overflowing. */
int64_t st_parse_size(const char *s);

/* Length of the longest prefix of s (at most max bytes) that does not split a UTF-8 char. */
size_t st_utf8_cut(const char *s, size_t len, size_t max);

/* Write all of buf to fd, retrying on EINTR and short writes. 0 or -1 with errno. */
int st_write_all(int fd, const void *buf, size_t len);

#define ST_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
