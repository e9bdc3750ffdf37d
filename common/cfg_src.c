/*
 * cfg_src.c -- read the configuration's files, check them, inline @include (see
 * cfg_src.h for the rules and why libconfig 1.5 does not do this part).
 * Owns: file reading and permission checks, the lexical pre-scan, include resolution,
 * the combined text's line map. Leaves to cfg_load.c: parsing (libconfig), .env,
 * ${VAR}; to the caller: reporting. Tests: tests/unit/t_cfg_src.c, tests/unit/t_cfg.c,
 * tests/integration/t_check.sh
 */
#include "config.h"
#include "cfg_src.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

struct cfg_src_ctx {
    struct cfg_src *src;
    struct st_buf out;          /* the combined text so far */
    int cline;                  /* line of out where the next byte goes */
    unsigned flags;
};

static void cfg_src_add(char ***list, size_t *n, const char *file, int line,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Append "file:line: message" (line 0: "file: message") to a message list. */
static void
cfg_src_add(char ***list, size_t *n, const char *file, int line, const char *fmt, ...)
{
    struct st_buf b = ST_BUF_INIT;
    char text[1024];
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    if (line > 0)
        st_buf_printf(&b, "%s:%d: %s", file, line, text);
    else
        st_buf_printf(&b, "%s: %s", file, text);
    *list = st_xrealloc(*list, (*n + 1) * sizeof(**list));
    (*list)[(*n)++] = st_buf_steal(&b);
}

#define SRC_ERR(x, file, line, ...) \
    cfg_src_add(&(x)->src->errors, &(x)->src->nerrors, (file), (line), __VA_ARGS__)

/* The permission problem of a file, as a message without the file name; NULL if none. */
static char *
cfg_src_perm_problem(const char *path, const struct stat *st)
{
    const char *who = (st->st_mode & S_IWGRP) && (st->st_mode & S_IWOTH) ? "group and others"
                    : (st->st_mode & S_IWGRP) ? "group" : "others";

    if ((st->st_mode & (S_IWGRP | S_IWOTH)) != 0)
        return st_xasprintf("writable by %s, and steward runs the commands it configures "
            "(run chmod go-w %s)", who, path);
    if (st->st_uid != 0 && st->st_uid != geteuid())
        return st_xasprintf("owned by uid %u, neither root nor the user running steward "
            "(uid %u) (run chown %u %s)", (unsigned)st->st_uid, (unsigned)geteuid(),
            (unsigned)geteuid(), path);
    return NULL;
}

int
cfg_src_check_perms(const char *path, unsigned flags, char **msg)
{
    struct stat st;
    char *why;

    *msg = NULL;
    if (stat(path, &st) == -1 || (why = cfg_src_perm_problem(path, &st)) == NULL)
        return 0;
    if ((flags & CFG_SRC_INSECURE) != 0) {
        *msg = st_xasprintf("%s: %s; accepted because of --insecure-config", path, why);
        free(why);
        return 2;
    }
    *msg = st_xasprintf("%s: %s", path, why);
    free(why);
    return 1;
}

/* Read one file whole after the checks that need its descriptor. NULL (noted) on error;
   an include's open failure is noted at the including file's line. */
static char *
cfg_src_slurp(struct cfg_src_ctx *x, const char *path, const char *from, int fromline)
{
    struct stat st;
    char *buf = NULL, *why;
    size_t got = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

    if (fd == -1) {
        if (from != NULL)
            SRC_ERR(x, from, fromline, "cannot open include file \"%s\"%s%s", path,
                errno == ENOENT ? "" : ": ", errno == ENOENT ? "" : strerror(errno));
        else
            SRC_ERR(x, path, 0, "cannot read: %s", strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
        SRC_ERR(x, path, 0, "not a regular file");
        goto fail;
    }
    if ((uintmax_t)st.st_size > CFG_SRC_MAX_FILE) {
        SRC_ERR(x, path, 0, "%jd bytes, more than the %u MiB a configuration file may have",
            (intmax_t)st.st_size, CFG_SRC_MAX_FILE >> 20);
        goto fail;
    }
    if ((why = cfg_src_perm_problem(path, &st)) != NULL) {
        if ((x->flags & CFG_SRC_INSECURE) != 0)
            cfg_src_add(&x->src->warnings, &x->src->nwarnings, path, 0,
                "%s; accepted because of --insecure-config", why);
        else
            SRC_ERR(x, path, 0, "%s", why);
        free(why);
        if ((x->flags & CFG_SRC_INSECURE) == 0)
            goto fail;
    }
    buf = st_xmalloc((size_t)st.st_size + 1);
    while (got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n == -1 && errno == EINTR)
            continue;
        if (n <= 0) {
            SRC_ERR(x, path, 0, "cannot read: %s", n == 0 ? "file shrank" : strerror(errno));
            goto fail;
        }
        got += (size_t)n;
    }
    buf[got] = '\0';
    if (strlen(buf) != got) {
        int line = 1;
        for (const char *q = buf; *q != '\0'; q++)
            line += *q == '\n';
        SRC_ERR(x, path, line, "a NUL byte (this is not a text file)");
        goto fail;
    }
    (void)close(fd);
    return buf;
fail:
    free(buf);
    (void)close(fd);
    return NULL;
}

/* Index of file name in src->files, added when new. */
static size_t
cfg_src_file_index(struct cfg_src *src, const char *name)
{
    for (size_t i = 0; i < src->nfiles; i++)
        if (strcmp(src->files[i], name) == 0)
            return i;
    src->files = st_xrealloc(src->files, (src->nfiles + 1) * sizeof(*src->files));
    src->files[src->nfiles] = st_xstrdup(name);
    return src->nfiles++;
}

/* From the next line of the combined text on, lines are file's from fline on. */
static void
cfg_src_mark(struct cfg_src_ctx *x, size_t file, int fline)
{
    struct cfg_src *s = x->src;

    if (s->nsegs > 0 && s->segs[s->nsegs - 1].cline == x->cline)
        s->nsegs--;                             /* an empty segment: replaced */
    s->segs = st_xrealloc(s->segs, (s->nsegs + 1) * sizeof(*s->segs));
    s->segs[s->nsegs++] = (struct cfg_src_seg){ x->cline, file, fline };
}

static void
cfg_src_emit(struct cfg_src_ctx *x, const char *p, size_t n)
{
    st_buf_append(&x->out, p, n);
    for (size_t i = 0; i < n; i++)
        x->cline += p[i] == '\n';
}

static int
cfg_src_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * A number token at p (not inside a name): true when it is a decimal or hex integer
 * too large for 32 bits without the L suffix. libconfig 1.5 silently wraps those
 * ("pool_size = 4294967297" reads as 1), so they are refused before it parses.
 */
static bool
cfg_src_wrapping_int(const char *p, size_t *len)
{
    const char *q = p;
    unsigned long long v = 0;
    bool big = false;

    if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
        for (q += 2; isxdigit((unsigned char)*q); q++) {
            big = big || v > 0xffffffffULL;
            v = v * 16 + (unsigned long long)cfg_src_hexval(*q);
        }
        big = big || v > 0xffffffffULL;
    } else {
        for (; isdigit((unsigned char)*q); q++) {
            big = big || v > 2147483648ULL;
            v = v * 10 + (unsigned long long)(*q - '0');
        }
        big = big || v > 2147483648ULL;
        if (*q == '.' || *q == 'e' || *q == 'E')
            big = false;                            /* a float */
    }
    *len = (size_t)(q - p);
    return big && *q != 'L' && *q != 'l';
}

/* Lexer position over one file: where we are, and the line. */
struct cfg_src_pos {
    const char *text, *p;
    const char *name;           /* the file as shown */
    size_t file;
    int line;
    int depth;
};

static void cfg_src_scan(struct cfg_src_ctx *x, struct cfg_src_pos *f);

/* "@include" at the start of a line: the name; NULL when not one (or noted). On return
   *end is just past the closing quote. */
static char *
cfg_src_directive(struct cfg_src_ctx *x, struct cfg_src_pos *f, const char **end)
{
    const char *q = f->p + strspn(f->p, " \t");
    struct st_buf b = ST_BUF_INIT;

    if (strncmp(q, "@include", 8) != 0 || (q[8] != ' ' && q[8] != '\t'))
        return NULL;
    q += 8 + strspn(q + 8, " \t");
    if (*q != '"')
        return NULL;                                /* libconfig reports the syntax */
    for (q++; *q != '"'; q++) {
        if (*q == '\0' || *q == '\n') {
            SRC_ERR(x, f->name, f->line, "unterminated @include file name");
            st_buf_free(&b);
            f->p = q - 1;                       /* go on at the end of the line */
            return NULL;
        }
        if (*q == '\\' && (q[1] == '\\' || q[1] == '"'))
            q++;
        st_buf_putc(&b, *q);
    }
    *end = q + 1;
    st_buf_puts(&b, "");
    return st_buf_steal(&b);
}

/* Inline the file named in an @include of f (at f->line). */
static void
cfg_src_include(struct cfg_src_ctx *x, struct cfg_src_pos *f, const char *name)
{
    const char *slash = strrchr(f->name, '/');
    char *path, *text;
    struct cfg_src_pos in;

    if (f->depth + 1 > CFG_SRC_MAX_DEPTH) {
        SRC_ERR(x, f->name, f->line, "@include nested more than %d deep (an include cycle?)",
            CFG_SRC_MAX_DEPTH);
        return;
    }
    if (name[0] == '/' || slash == NULL)
        path = st_xstrdup(name);
    else
        path = st_xasprintf("%.*s/%s", (int)(slash - f->name), f->name, name);
    if ((text = cfg_src_slurp(x, path, f->name, f->line)) != NULL) {
        in = (struct cfg_src_pos){ text, text, NULL, cfg_src_file_index(x->src, path), 1,
            f->depth + 1 };
        in.name = x->src->files[in.file];
        cfg_src_mark(x, in.file, 1);
        cfg_src_scan(x, &in);
        if (x->out.len > 0 && x->out.data[x->out.len - 1] != '\n')
            cfg_src_emit(x, "\n", 1);
        free(text);
    }
    free(path);
}

static void
cfg_src_string_end(struct cfg_src_ctx *x, struct cfg_src_pos *f, const char *start, int line)
{
    size_t len = (size_t)(f->p - start);

    if (len > CFG_SRC_MAX_STRING)
        SRC_ERR(x, f->name, line, "a string of %zu bytes, more than the %u MiB a value may "
            "have", len, CFG_SRC_MAX_STRING >> 20);
}

/* A number or a directive at f->p; advances f->p to its last byte. Returns true when
   something was handled. */
static bool
cfg_src_token(struct cfg_src_ctx *x, struct cfg_src_pos *f, const char **copied)
{
    const char *p = f->p, *end;
    size_t len;
    char *name;

    if ((p == f->text || p[-1] == '\n') && (*p == '@' || *p == ' ' || *p == '\t')
        && (name = cfg_src_directive(x, f, &end)) != NULL) {
        if ((x->flags & CFG_SRC_NO_INCLUDE) != 0) {
            SRC_ERR(x, f->name, f->line, "@include is not available here (configuration "
                "text without a file)");
        } else {
            cfg_src_emit(x, *copied, (size_t)(p - *copied));
            cfg_src_include(x, f, name);
            cfg_src_mark(x, f->file, f->line);
            *copied = end;
        }
        free(name);
        f->p = end - 1;
        return true;
    }
    if (isdigit((unsigned char)*p) && (p == f->text || !(isalnum((unsigned char)p[-1])
            || p[-1] == '_' || p[-1] == '-' || p[-1] == '.' || p[-1] == '*'))) {
        if (cfg_src_wrapping_int(p, &len))
            SRC_ERR(x, f->name, f->line, "integer %.*s does not fit in 32 bits (write %.*sL, "
                "or a size such as \"10G\")", (int)len, p, (int)len, p);
        f->p += len - 1;
        return true;
    }
    return false;
}

/*
 * Walk one file as libconfig's lexer would (# and // comments, C comments, strings with
 * "\" escapes), copying it to the combined text with its includes inlined, and note
 * what libconfig would get wrong.
 */
static void
cfg_src_scan(struct cfg_src_ctx *x, struct cfg_src_pos *f)
{
    const char *copied = f->text, *str = NULL;
    int str_line = 0, com_line = 0;

    for (f->p = f->text; *f->p != '\0'; f->p++) {
        const char *p = f->p;
        if (*p == '\n')
            f->line++;
        if (str != NULL) {
            if (*p == '\\' && p[1] != '\0' && p[1] != '\n')
                f->p++;
            else if (*p == '"') {
                cfg_src_string_end(x, f, str, str_line);
                str = NULL;
            }
        } else if (com_line > 0) {
            if (*p == '*' && p[1] == '/') {
                com_line = 0;
                f->p++;
            }
        } else if (*p == '"') {
            str = p + 1;
            str_line = f->line;
        } else if (*p == '#' || (*p == '/' && p[1] == '/')) {
            f->p += strcspn(p, "\n") - 1;
        } else if (*p == '/' && p[1] == '*') {
            com_line = f->line;
            f->p++;
        } else {
            (void)cfg_src_token(x, f, &copied);
        }
    }
    if (str != NULL)
        SRC_ERR(x, f->name, str_line, "unterminated string (a '\"' is missing)");
    if (com_line > 0)
        SRC_ERR(x, f->name, com_line, "unterminated comment (a '*/' is missing)");
    cfg_src_emit(x, copied, strlen(copied));
}

/* Hand the combined text to src when there were no errors. */
static size_t
cfg_src_finish(struct cfg_src_ctx *x)
{
    if (x->src->nerrors > 0) {
        st_buf_free(&x->out);
        return x->src->nerrors;
    }
    st_buf_puts(&x->out, "");
    x->src->text = st_buf_steal(&x->out);
    return 0;
}

static size_t
cfg_src_run(struct cfg_src *src, const char *text, const char *name, unsigned flags)
{
    struct cfg_src_ctx x = { src, ST_BUF_INIT, 1, flags };
    struct cfg_src_pos f = { text, text, NULL, cfg_src_file_index(src, name), 1, 0 };

    f.name = src->files[f.file];
    if (strlen(text) > CFG_SRC_MAX_FILE)
        SRC_ERR(&x, name, 0, "%zu bytes, more than the %u MiB a configuration may have",
            strlen(text), CFG_SRC_MAX_FILE >> 20);
    else {
        cfg_src_mark(&x, f.file, 1);
        cfg_src_scan(&x, &f);
    }
    return cfg_src_finish(&x);
}

size_t
cfg_src_file(struct cfg_src *src, const char *path, unsigned flags)
{
    struct cfg_src_ctx x = { src, ST_BUF_INIT, 1, flags };
    char *text = cfg_src_slurp(&x, path, NULL, 0);
    size_t n;

    if (text == NULL) {
        (void)cfg_src_file_index(src, path);
        return src->nerrors;
    }
    n = cfg_src_run(src, text, path, flags & ~(unsigned)CFG_SRC_NO_INCLUDE);
    free(text);
    return n;
}

size_t
cfg_src_string(struct cfg_src *src, const char *text, const char *name)
{
    return cfg_src_run(src, text, name, CFG_SRC_NO_INCLUDE);
}

const char *
cfg_src_where(const struct cfg_src *src, int cline, int *fline)
{
    size_t lo = 0, hi = src->nsegs;

    *fline = 0;
    if (src->nfiles == 0)
        return "";
    if (cline <= 0 || src->nsegs == 0)
        return src->files[0];
    while (hi - lo > 1) {                       /* the last segment starting <= cline */
        size_t mid = lo + (hi - lo) / 2;
        if (src->segs[mid].cline <= cline)
            lo = mid;
        else
            hi = mid;
    }
    *fline = src->segs[lo].fline + (cline - src->segs[lo].cline);
    return src->files[src->segs[lo].file];
}

/* Length of the valid UTF-8 sequence at s (1..4), or 0 when the byte at s starts none
   (overlong forms, surrogates and code points past U+10FFFF are invalid). */
static size_t
cfg_src_utf8_len(const unsigned char *s)
{
    size_t n;
    unsigned cp;

    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xc2 && s[0] <= 0xdf)
        n = 2, cp = s[0] & 0x1fu;
    else if (s[0] >= 0xe0 && s[0] <= 0xef)
        n = 3, cp = s[0] & 0x0fu;
    else if (s[0] >= 0xf0 && s[0] <= 0xf4)
        n = 4, cp = s[0] & 0x07u;
    else
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff))
        || (cp >= 0xd800 && cp <= 0xdfff))
        return 0;
    return n;
}

char *
cfg_src_utf8_escape(const char *s)
{
    struct st_buf b = ST_BUF_INIT;
    const unsigned char *p = (const unsigned char *)s;

    st_buf_puts(&b, "");
    while (*p != '\0') {
        size_t n = cfg_src_utf8_len(p);
        if (n == 0) {
            st_buf_printf(&b, "\\x%02x", *p++);
        } else {
            st_buf_append(&b, p, n);
            p += n;
        }
    }
    return st_buf_steal(&b);
}

void
cfg_src_free(struct cfg_src *src)
{
    free(src->text);
    for (size_t i = 0; i < src->nfiles; i++)
        free(src->files[i]);
    free(src->files);
    free(src->segs);
    for (size_t i = 0; i < src->nerrors; i++)
        free(src->errors[i]);
    free(src->errors);
    for (size_t i = 0; i < src->nwarnings; i++)
        free(src->warnings[i]);
    free(src->warnings);
    *src = (struct cfg_src)CFG_SRC_INIT;
}
