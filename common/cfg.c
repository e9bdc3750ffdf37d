/*
 * cfg.c -- read, expand, check and normalise the steward configuration (libconfig).
 * Owns the schema table (every key: name, type, flags, default, range, check), ${VAR}
 * expansion (environment first, then the .env beside the file), @include resolution,
 * defaults, cross-references (a worker's source, duplicate names, instance names) and
 * the registration of secret values with the log. Diagnostics are "file:line: message",
 * every one of them, sorted in file order. Leaves to others: cron parsing (cron.c),
 * reload planning (supervisor), connecting anywhere.
 * Tests: tests/unit/t_cfg.c, tests/integration/t_check.sh, tests/fuzz/fuzz_cfg.c
 */
#include "config.h"
#include "cfg.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libconfig.h>

#include "log.h"
#include "util.h"

const char *const cfg_kinds[] = {
    "ingestor", "transformer", "validator", "cache-warmer", "scheduler", "metrics", "exec", NULL,
};

static const char *const restart_names[] = { "always", "on-failure", "never", NULL };
static const char *const overlap_names[] = { "skip", "queue", "replace", NULL };
static const char *const level_names[] = { "debug", "info", "warn", "warning", "error", NULL };
static const char *const mtype_names[] = { "gauge", "counter", NULL };
static const char *const method_names[] = { "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", NULL };

/* ---- load context and diagnostics ------------------------------------------------ */

struct cfg_note {
    uintptr_t ord;              /* document position of the setting it is about */
    size_t seq;                 /* order of discovery, for a stable sort */
    char *msg;
};

struct cfg_ctx {
    config_t lc;
    struct cfg *cfg;
    const char *name;           /* the file name for settings libconfig gives none */
    char *envfile;              /* the .env path (hint and source); NULL for strings */
    char *incdir;               /* directory of the main file, when it has one */
    struct cfg_kv *shown;       /* file names as libconfig has them -> as shown */
    size_t nshown;
    struct cfg_kv *dotenv;
    size_t ndotenv;
    struct cfg_note *notes;
    size_t nnotes;
};

struct cfg_key;
typedef int cfg_check_fn(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const void *field);
typedef void cfg_post_fn(struct cfg_ctx *x, const config_setting_t *g, const char *path,
    void *elem);

/* The schema of one group: its keys, and for list/named elements the element layout. */
struct cfg_schema {
    const struct cfg_key *keys;
    size_t elem_size;
    size_t name_off;            /* K_NAMED: where the element's name goes */
    size_t line_off;            /* elements with an "int line" field, else 0 */
    cfg_post_fn *post;          /* after an element is decoded */
};

enum cfg_ktype {
    K_STR, K_INT, K_INT64, K_SECS, K_DOUBLE, K_BOOL, K_SIZE, K_ENUM,
    K_STRS, K_SECSLIST, K_KV, K_GROUP, K_LIST, K_NAMED,
};

#define KF_REQUIRED   0x01
#define KF_SECRET     0x02      /* the whole value is a secret */
#define KF_SECRET_URL 0x04      /* the URL's password is a secret */

struct cfg_key {
    const char *name;
    enum cfg_ktype type;
    unsigned flags;
    size_t off;                 /* field in the target struct */
    size_t noff;                /* K_STRS, K_SECSLIST, K_KV, K_LIST, K_NAMED: the count */
    const char *def;            /* default as text; NULL = zero */
    double min, max;            /* numbers: inclusive range when min < max */
    const char *const *choices; /* K_STR (stored as text) and K_ENUM (stored as index) */
    const struct cfg_schema *sub;
    cfg_check_fn *check;        /* extra check of a present value */
};

/*
 * The name to show for a file libconfig read: libconfig 1.5 records an @include as
 * written, so a relative one is shown as "<dir of the main file>/<name>".
 */
static const char *
cfg_file_name(struct cfg_ctx *x, const char *f)
{
    if (f == NULL || strcmp(f, x->name) == 0 || f[0] == '/' || x->incdir == NULL)
        return f != NULL ? f : x->name;
    for (size_t i = 0; i < x->nshown; i++)
        if (strcmp(x->shown[i].key, f) == 0)
            return x->shown[i].value;
    x->shown = st_xrealloc(x->shown, (x->nshown + 1) * sizeof(*x->shown));
    x->shown[x->nshown].key = st_xstrdup(f);
    x->shown[x->nshown].value = st_xasprintf("%s/%s", x->incdir, f);
    return x->shown[x->nshown++].value;
}

static const char *
cfg_file_of(struct cfg_ctx *x, const config_setting_t *s)
{
    return cfg_file_name(x, s != NULL ? config_setting_source_file(s) : NULL);
}

static uintptr_t
cfg_ord(const config_setting_t *s)
{
    return s != NULL ? (uintptr_t)config_setting_get_hook(s) : 0;
}

static void cfg_note(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Record one problem about setting s (NULL: the file as a whole). */
static void
cfg_note(struct cfg_ctx *x, const config_setting_t *s, const char *path, const char *fmt, ...)
{
    struct st_buf b = ST_BUF_INIT;
    char text[1024];
    unsigned line = s != NULL ? config_setting_source_line(s) : 0;
    va_list ap;

    va_start(ap, fmt);
    (void)vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    st_buf_puts(&b, cfg_file_of(x, s));
    if (line > 0)
        st_buf_printf(&b, ":%u", line);
    st_buf_puts(&b, ": ");
    if (path != NULL && *path != '\0')
        st_buf_printf(&b, "%s: ", path);
    st_buf_puts(&b, text);
    x->notes = st_xrealloc(x->notes, (x->nnotes + 1) * sizeof(*x->notes));
    x->notes[x->nnotes] = (struct cfg_note){ cfg_ord(s), x->nnotes, st_buf_steal(&b) };
    x->nnotes++;
}

/* A message not tied to a setting (syntax errors, .env lines): "file:line: text". */
static void
cfg_note_at(struct cfg_ctx *x, const char *file, int line, const char *text)
{
    char *msg = line > 0 ? st_xasprintf("%s:%d: %s", file, line, text)
                         : st_xasprintf("%s: %s", file, text);

    x->notes = st_xrealloc(x->notes, (x->nnotes + 1) * sizeof(*x->notes));
    x->notes[x->nnotes] = (struct cfg_note){ 0, x->nnotes, msg };
    x->nnotes++;
}

static int
cfg_note_cmp(const void *a, const void *b)
{
    const struct cfg_note *na = a, *nb = b;

    if (na->ord != nb->ord)
        return na->ord < nb->ord ? -1 : 1;
    return na->seq < nb->seq ? -1 : na->seq > nb->seq;
}

/* Hand the notes, in file order, to diag. */
static void
cfg_notes_to_diag(struct cfg_ctx *x, struct cfg_diag *diag)
{
    qsort(x->notes, x->nnotes, sizeof(*x->notes), cfg_note_cmp);
    if (diag == NULL) {
        for (size_t i = 0; i < x->nnotes; i++)
            free(x->notes[i].msg);
    } else {
        diag->msgs = st_xrealloc(diag->msgs, (diag->n + x->nnotes) * sizeof(char *));
        for (size_t i = 0; i < x->nnotes; i++)
            diag->msgs[diag->n++] = x->notes[i].msg;
    }
    free(x->notes);
    x->notes = NULL;
    x->nnotes = 0;
}

/* Number every setting in document order (includes inline), for sorting notes. */
static void
cfg_number(config_setting_t *s, uintptr_t *n)
{
    config_setting_set_hook(s, (void *)++*n);
    if (config_setting_is_aggregate(s))
        for (int i = 0; i < config_setting_length(s); i++)
            cfg_number(config_setting_get_elem(s, i), n);
}

/* ---- ${VAR} expansion and .env ---------------------------------------------------- */

static bool
cfg_is_var_name(const char *s, size_t n)
{
    if (n == 0 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!(isalnum((unsigned char)s[i]) || s[i] == '_'))
            return false;
    return true;
}

static const char *
cfg_lookup_var(struct cfg_ctx *x, const char *name)
{
    const char *v = getenv(name);

    if (v != NULL)
        return v;
    for (size_t i = 0; i < x->ndotenv; i++)
        if (strcmp(x->dotenv[i].key, name) == 0)
            return x->dotenv[i].value;
    return NULL;
}

/*
 * Expand ${VAR} and ${VAR:-default} (default also when VAR is empty, as in sh) in a
 * string value; "$${" is a literal "${". Returns a new string, or NULL with notes.
 */
static char *
cfg_expand(struct cfg_ctx *x, const config_setting_t *s, const char *path, const char *in)
{
    struct st_buf b = ST_BUF_INIT;
    const char *p = in;
    int bad = 0;

    st_buf_puts(&b, "");
    while (*p != '\0') {
        const char *close, *dash, *v;
        size_t nlen;
        char name[128];

        if (p[0] == '$' && p[1] == '$' && p[2] == '{') {
            st_buf_puts(&b, "${");
            p += 3;
            continue;
        }
        if (p[0] != '$' || p[1] != '{') {
            st_buf_putc(&b, *p++);
            continue;
        }
        close = strchr(p + 2, '}');
        dash = strstr(p + 2, ":-");
        if (dash != NULL && close != NULL && dash > close)
            dash = NULL;
        nlen = (size_t)((dash != NULL ? dash : close != NULL ? close : p + 2) - (p + 2));
        if (close == NULL || !cfg_is_var_name(p + 2, nlen) || nlen >= sizeof(name)) {
            cfg_note(x, s, path, "bad variable reference \"%.*s\" (use ${NAME} or "
                "${NAME:-default}; write $${ for a literal ${)",
                (int)(close != NULL ? (size_t)(close - p) + 1 : strlen(p)), p);
            bad++;
            break;
        }
        memcpy(name, p + 2, nlen);
        name[nlen] = '\0';
        v = cfg_lookup_var(x, name);
        if (dash != NULL && (v == NULL || *v == '\0')) {
            st_buf_append(&b, dash + 2, (size_t)(close - dash - 2));
        } else if (v != NULL) {
            st_buf_puts(&b, v);
        } else {
            if (x->envfile != NULL)
                cfg_note(x, s, path, "environment variable %s is not set (export it or put "
                    "it in %s)", name, x->envfile);
            else
                cfg_note(x, s, path, "environment variable %s is not set (export it)", name);
            bad++;
        }
        p = close + 1;
    }
    if (bad > 0) {
        st_free_secret(st_buf_steal(&b));
        return NULL;
    }
    return st_buf_steal(&b);
}

/* Parse one .env value: 'literal', "with \" escapes", or bare (trimmed, # comment cut). */
static char *
cfg_dotenv_value(const char *v, bool *ok)
{
    struct st_buf b = ST_BUF_INIT;
    const char *p = v;

    *ok = true;
    st_buf_puts(&b, "");
    if (*p == '\'' || *p == '"') {
        char q = *p++;
        for (; *p != '\0' && *p != q; p++) {
            if (q == '"' && *p == '\\' && p[1] != '\0') {
                p++;
                st_buf_putc(&b, *p == 'n' ? '\n' : *p);
            } else {
                st_buf_putc(&b, *p);
            }
        }
        if (*p != q)
            *ok = false;
        else
            for (p++; *p == ' ' || *p == '\t'; p++)
                ;
        if (*ok && *p != '\0' && *p != '#')
            *ok = false;
        return st_buf_steal(&b);
    }
    for (; *p != '\0'; p++) {
        if (*p == '#' && (p == v || p[-1] == ' ' || p[-1] == '\t'))
            break;
        st_buf_putc(&b, *p);
    }
    while (b.len > 0 && (b.data[b.len - 1] == ' ' || b.data[b.len - 1] == '\t'))
        b.data[--b.len] = '\0';
    return st_buf_steal(&b);
}

/* Read KEY=VALUE lines from the .env beside the config, when there is one. */
static void
cfg_read_dotenv(struct cfg_ctx *x)
{
    FILE *f = fopen(x->envfile, "re");
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    int lineno = 0;

    if (f == NULL) {
        if (errno != ENOENT) {
            char msg[256];
            (void)snprintf(msg, sizeof(msg), "cannot read: %s", strerror(errno));
            cfg_note_at(x, x->envfile, 0, msg);
        }
        return;
    }
    while ((len = getline(&line, &cap, f)) != -1) {
        char *p = line, *eq, *value;
        bool ok;

        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = '\0';
        p += strspn(p, " \t");
        if (*p == '\0' || *p == '#')
            continue;
        if (strncmp(p, "export ", 7) == 0)
            p += 7 + strspn(p + 7, " \t");
        eq = strchr(p, '=');
        if (eq == NULL || !cfg_is_var_name(p, (size_t)(eq - p))) {
            cfg_note_at(x, x->envfile, lineno, "expected KEY=VALUE");
            continue;
        }
        value = cfg_dotenv_value(eq + 1, &ok);
        if (!ok) {
            cfg_note_at(x, x->envfile, lineno, "unterminated quote or text after it");
            st_free_secret(value);
            continue;
        }
        x->dotenv = st_xrealloc(x->dotenv, (x->ndotenv + 1) * sizeof(*x->dotenv));
        x->dotenv[x->ndotenv].key = st_xstrndup(p, (size_t)(eq - p));
        x->dotenv[x->ndotenv].value = value;
        x->ndotenv++;
    }
    if (line != NULL)
        explicit_bzero(line, cap);
    free(line);
    fclose(f);
}

/* ---- secrets ------------------------------------------------------------------------- */

static int
cfg_hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = (char)tolower((unsigned char)c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Register s[0..n) and its percent-decoded form. */
static void
cfg_secret_span(const char *s, size_t n)
{
    char *raw = st_xstrndup(s, n), *dec = st_xstrndup(s, n);
    size_t j = 0;

    for (size_t i = 0; i < n; i++) {
        if (raw[i] == '%' && i + 2 < n && cfg_hexval(raw[i + 1]) >= 0
            && cfg_hexval(raw[i + 2]) >= 0) {
            dec[j++] = (char)(cfg_hexval(raw[i + 1]) * 16 + cfg_hexval(raw[i + 2]));
            i += 2;
        } else {
            dec[j++] = raw[i];
        }
    }
    dec[j] = '\0';
    log_add_secret(raw);
    log_add_secret(dec);
    st_free_secret(raw);
    st_free_secret(dec);
}

/* Register the password of a URL ("scheme://user:pw@host", "?password=pw") or of a
   libpq "password=pw" string. */
static void
cfg_secret_url(const char *url)
{
    const char *auth = strstr(url, "://"), *pw;

    if (auth != NULL) {
        const char *end, *at = NULL, *colon;
        auth += 3;
        end = auth + strcspn(auth, "?#");
        for (const char *p = auth; p < end; p++)
            if (*p == '@')
                at = p;
        if (at != NULL && (colon = memchr(auth, ':', (size_t)(at - auth))) != NULL)
            cfg_secret_span(colon + 1, (size_t)(at - colon - 1));
    }
    for (pw = url; (pw = strstr(pw, "password=")) != NULL; ) {
        pw += strlen("password=");
        if (*pw == '\'') {
            cfg_secret_span(pw + 1, strcspn(pw + 1, "'"));
        } else {
            cfg_secret_span(pw, strcspn(pw, " &#"));
        }
    }
}

/* A KV entry whose name says it holds a credential (exec env, HTTP headers). */
static bool
cfg_is_secret_name(const char *name)
{
    static const char *const words[] = {
        "key", "token", "secret", "passw", "auth", "credential", "cookie", "signature",
    };

    for (size_t i = 0; i < ST_ARRAY_LEN(words); i++)
        if (strcasestr(name, words[i]) != NULL)
            return true;
    return false;
}

/* ---- value checks (schema "check" column) --------------------------------------------- */

static bool
cfg_match_chars(const char *s, const char *first, const char *rest, size_t maxlen)
{
    size_t n = strlen(s);

    if (n == 0 || n > maxlen || strchr(first, s[0]) == NULL)
        return false;
    return strspn(s + 1, rest) == n - 1;
}

#define LOWER "abcdefghijklmnopqrstuvwxyz"
#define UPPER "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define DIGIT "0123456789"

static int
check_name(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    const char *v = *(char *const *)f;

    if (cfg_match_chars(v, LOWER UPPER DIGIT, LOWER UPPER DIGIT "-_.", 48))
        return 0;
    cfg_note(x, s, path, "bad name \"%s\" (use letters, digits, '-', '_' or '.', at most 48, "
        "starting with a letter or digit)", v);
    return -1;
}

static int
check_ident(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    const char *v = *(char *const *)f, *dot = strchr(v, '.');
    const char *ok1 = LOWER UPPER "_", *okn = LOWER UPPER DIGIT "_$";
    bool good;

    if (dot != NULL) {
        char *schema = st_xstrndup(v, (size_t)(dot - v));
        good = cfg_match_chars(schema, ok1, okn, 63) && cfg_match_chars(dot + 1, ok1, okn, 63);
        free(schema);
    } else {
        good = cfg_match_chars(v, ok1, okn, 63);
    }
    if (good)
        return 0;
    cfg_note(x, s, path, "bad identifier \"%s\" (use a SQL name such as crm_lead or "
        "schema.table)", v);
    return -1;
}

static int
check_set_names(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    char *const *sets = *(char **const *)f;
    int rc = 0;

    for (size_t i = 0; sets != NULL && sets[i] != NULL; i++) {
        if (!cfg_match_chars(sets[i], LOWER, LOWER DIGIT "_", 63)) {
            cfg_note(x, config_setting_get_elem(s, (unsigned)i), path,
                "bad set name \"%s\" (use lowercase letters, digits and '_')", sets[i]);
            rc = -1;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(sets[i], sets[j]) == 0) {
                cfg_note(x, config_setting_get_elem(s, (unsigned)i), path,
                    "set \"%s\" is listed twice", sets[i]);
                rc = -1;
            }
    }
    return rc;
}

static int
check_pg_url(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    const char *v = *(char *const *)f;
    char *shown;
    size_t k;

    if (strncmp(v, "postgres://", 11) == 0 || strncmp(v, "postgresql://", 13) == 0)
        return 0;
    k = strspn(v, LOWER "_");
    if (k > 0 && v[k] == '=')
        return 0;
    shown = log_redact_url(v);
    cfg_note(x, s, path, "bad PostgreSQL URL \"%s\" (use postgres://user:password@host:5432/"
        "dbname or \"host=... dbname=...\")", shown);
    free(shown);
    return -1;
}

static int
check_redis_url(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    const char *v = *(char *const *)f;
    char *shown;

    if (strncmp(v, "rediss://", 9) == 0) {
        cfg_note(x, s, path, "rediss:// (TLS) is not supported by this build's hiredis 0.14: "
            "use redis:// over a trusted network or a TLS tunnel");
        return -1;
    }
    if ((strncmp(v, "redis://", 8) == 0 && v[8] != '\0' && v[8] != '/')
        || (strncmp(v, "unix://", 7) == 0 && v[7] == '/') || v[0] == '/')
        return 0;
    shown = log_redact_url(v);
    cfg_note(x, s, path, "bad Redis URL \"%s\" (use redis://[:password@]host[:port][/db] or a "
        "unix socket path)", shown);
    free(shown);
    return -1;
}

static int
check_http_url(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    const char *v = *(char *const *)f;
    const char *host = strncmp(v, "http://", 7) == 0 ? v + 7
                     : strncmp(v, "https://", 8) == 0 ? v + 8 : NULL;

    if (host != NULL && *host != '\0' && *host != '/')
        return 0;
    cfg_note(x, s, path, "bad HTTP URL (use http://host[:port]/path or https://...)");
    return -1;
}

/* Split "host:port" / "[v6]:port"; true when both parts are sound. */
static bool
cfg_listen_ok(const char *v)
{
    const char *colon;
    char *end;
    long port;

    if (v[0] == '[') {
        const char *rb = strchr(v, ']');
        if (rb == NULL || rb == v + 1 || rb[1] != ':')
            return false;
        colon = rb + 1;
    } else {
        colon = strrchr(v, ':');
        if (colon == NULL || colon == v || memchr(v, ':', (size_t)(colon - v)) != NULL)
            return false;
    }
    if (colon[1] < '0' || colon[1] > '9')
        return false;
    errno = 0;
    port = strtol(colon + 1, &end, 10);
    return errno == 0 && *end == '\0' && port >= 1 && port <= 65535;
}

static int
check_listen(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    const char *v = *(char *const *)f;

    if (cfg_listen_ok(v))
        return 0;
    cfg_note(x, s, path, "bad listen address \"%s\" (use host:port, e.g. 127.0.0.1:8088)", v);
    return -1;
}

static int
check_abs_path(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    const char *v = *(char *const *)f;

    if (v[0] == '/')
        return 0;
    cfg_note(x, s, path, "\"%s\" must be an absolute path", v);
    return -1;
}

static bool
cfg_cron_field_ok(const char *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)f[i]) && strchr("*,-/?#", f[i]) == NULL)
            return false;
    return n > 0;
}

/* Shape only (5 fields, or an @macro); cron.c parses for real. */
static int
check_cron(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    static const char *const macros[] = {
        "@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly",
    };
    const char *v = *(char *const *)f, *p = v;
    int fields = 0;
    bool ok = true;

    p += strspn(p, " \t");
    if (*p == '@') {
        for (size_t i = 0; i < ST_ARRAY_LEN(macros); i++)
            if (strcmp(p, macros[i]) == 0)
                return 0;
        ok = false;
    }
    while (ok && *p != '\0') {
        size_t n = strcspn(p, " \t");
        ok = cfg_cron_field_ok(p, n);
        fields++;
        p += n;
        p += strspn(p, " \t");
    }
    if (ok && fields == 5)
        return 0;
    cfg_note(x, s, path, "bad cron expression \"%s\" (use 5 fields: minute hour day-of-month "
        "month day-of-week, or @hourly, @daily, @weekly, @monthly, @yearly)", v);
    return -1;
}

/* A zone the C library can load: checked against the zoneinfo files when they exist. */
static int
check_timezone(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    const char *v = *(char *const *)f;
    char file[300];

    if (!cfg_match_chars(v, LOWER UPPER DIGIT, LOWER UPPER DIGIT "/_+-", 64) || strstr(v, "..")) {
        cfg_note(x, s, path, "bad timezone \"%s\" (use a zone name such as UTC or Europe/Paris)", v);
        return -1;
    }
    if (strcmp(v, "UTC") == 0 || access("/usr/share/zoneinfo", F_OK) != 0)
        return 0;               /* no zoneinfo here (minimal image): trust the name */
    (void)snprintf(file, sizeof(file), "/usr/share/zoneinfo/%s", v);
    if (access(file, R_OK) == 0)
        return 0;
    cfg_note(x, s, path, "unknown timezone \"%s\" (no %s; use a zone name such as UTC or "
        "Europe/Paris)", v, file);
    return -1;
}

static int
check_route_path(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    const char *v = *(char *const *)f;

    if (v[0] == '/' && strpbrk(v, " ?#") == NULL)
        return 0;
    cfg_note(x, s, path, "bad route path \"%s\" (use an absolute path such as /v1/events)", v);
    return -1;
}

static int
check_metric_name(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    const char *v = *(char *const *)f;

    if (cfg_match_chars(v, LOWER UPPER "_:", LOWER UPPER DIGIT "_:", 200))
        return 0;
    cfg_note(x, s, path, "bad metric name \"%s\" (use letters, digits, '_' and ':')", v);
    return -1;
}

static int
check_labels(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    char *const *labels = *(char **const *)f;
    int rc = 0;

    for (size_t i = 0; labels != NULL && labels[i] != NULL; i++)
        if (!cfg_match_chars(labels[i], LOWER UPPER "_", LOWER UPPER DIGIT "_", 100)) {
            cfg_note(x, config_setting_get_elem(s, (unsigned)i), path,
                "bad label name \"%s\" (use letters, digits and '_')", labels[i]);
            rc = -1;
        }
    return rc;
}

static int
check_bucket(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    const char *v = *(char *const *)f;
    size_t n = strlen(v);

    if (n >= 3 && cfg_match_chars(v, LOWER DIGIT, LOWER DIGIT ".-", 63)
        && v[n - 1] != '-' && v[n - 1] != '.')
        return 0;
    cfg_note(x, s, path, "bad bucket name \"%s\" (use 3 to 63 lowercase letters, digits, '-' "
        "or '.')", v);
    return -1;
}

static int
check_command(struct cfg_ctx *x, const config_setting_t *s, const char *path, const void *f)
{
    char *const *argv = *(char **const *)f;

    if (argv == NULL || argv[0] == NULL) {
        cfg_note(x, s, path, "empty command (use [ \"/path/to/program\", \"arg\", ... ])");
        return -1;
    }
    if (strchr(argv[0], '/') == NULL) {
        cfg_note(x, s, path, "program \"%s\" needs a path (e.g. /usr/bin/%s): steward does not "
            "search PATH", argv[0], argv[0]);
        return -1;
    }
    return 0;
}

/* ---- schema ---------------------------------------------------------------------------- */

#define FIELD(st, f) offsetof(st, f)
#define KEY(n, t, fl, o) .name = (n), .type = (t), .flags = (fl), .off = (o)
#define COUNT(st, f) .noff = offsetof(st, f)

static cfg_post_fn post_worker, post_job;

static const struct cfg_key log_keys[] = {
    { KEY("level", K_STR, 0, FIELD(struct cfg, steward.log_level)), .def = "info",
      .choices = level_names },
    { .name = NULL },
};
static const struct cfg_schema log_schema = { log_keys, 0, 0, 0, NULL };

static const struct cfg_key steward_keys[] = {
    { KEY("run_dir", K_STR, 0, FIELD(struct cfg, steward.run_dir)), .def = "/run/steward",
      .check = check_abs_path },
    { KEY("shutdown_timeout", K_SECS, 0, FIELD(struct cfg, steward.shutdown_timeout_s)),
      .def = "10", .min = 0.001, .max = 3600 },
    { KEY("log", K_GROUP, 0, 0), .sub = &log_schema },
    { KEY("control_group", K_STR, 0, FIELD(struct cfg, steward.control_group)) },
    { KEY("start_limit_burst", K_INT, 0, FIELD(struct cfg, steward.start_limit_burst)), .def = "5",
      .min = 1, .max = 1000 },
    { KEY("start_limit_interval", K_SECS, 0, FIELD(struct cfg, steward.start_limit_interval_s)),
      .def = "60", .min = 0.001, .max = 86400 },
    { KEY("stable_s", K_SECS, 0, FIELD(struct cfg, steward.stable_s)), .def = "60", .min = 0,
      .max = 86400 },
    { KEY("failed_retry_s", K_SECS, 0, FIELD(struct cfg, steward.failed_retry_s)), .def = "0",
      .min = 0, .max = 604800 },
    { KEY("heartbeat_s", K_SECS, 0, FIELD(struct cfg, steward.heartbeat_s)), .def = "5",
      .min = 0.1, .max = 3600 },
    { .name = NULL },
};
static const struct cfg_schema steward_schema = { steward_keys, 0, 0, 0, NULL };

static const struct cfg_key database_keys[] = {
    { KEY("url", K_STR, KF_SECRET_URL, FIELD(struct cfg, database.url)), .check = check_pg_url },
    { KEY("pool_size", K_INT, 0, FIELD(struct cfg, database.pool_size)), .def = "4", .min = 1,
      .max = 1000 },
    { KEY("sets", K_STRS, 0, FIELD(struct cfg, database.sets)), COUNT(struct cfg, database.nsets),
      .check = check_set_names },
    { KEY("sql_dir", K_STR, 0, FIELD(struct cfg, database.sql_dir)) },
    { KEY("seeds_dir", K_STR, 0, FIELD(struct cfg, database.seeds_dir)) },
    { .name = NULL },
};
static const struct cfg_schema database_schema = { database_keys, 0, 0, 0, NULL };

static const struct cfg_key redis_keys[] = {
    { KEY("url", K_STR, KF_SECRET_URL, FIELD(struct cfg, redis.url)),
      .def = "redis://127.0.0.1:6379/0", .check = check_redis_url },
    { .name = NULL },
};
static const struct cfg_schema redis_schema = { redis_keys, 0, 0, 0, NULL };

static const struct cfg_key queue_keys[] = {
    { KEY("redis_url", K_STR, KF_SECRET_URL, FIELD(struct cfg, queue.redis_url)),
      .check = check_redis_url },
    { KEY("max_deliveries", K_INT, 0, FIELD(struct cfg, queue.max_deliveries)), .def = "5",
      .min = 1, .max = 1000 },
    { .name = NULL },
};
static const struct cfg_schema queue_schema = { queue_keys, 0, 0, 0, NULL };

static const struct cfg_key tiers_keys[] = {
    { KEY("l1", K_SECS, 0, FIELD(struct cfg, cache.l1_s)), .def = "0", .min = 0, .max = 31536000 },
    { KEY("l2", K_SECS, 0, FIELD(struct cfg, cache.l2_s)), .def = "3600", .min = 0, .max = 31536000 },
    { KEY("l3", K_SECS, 0, FIELD(struct cfg, cache.l3_s)), .def = "300", .min = 0, .max = 31536000 },
    { .name = NULL },
};
static const struct cfg_schema tiers_schema = { tiers_keys, 0, 0, 0, NULL };

static const struct cfg_key cache_keys[] = {
    { KEY("tiers", K_GROUP, 0, 0), .sub = &tiers_schema },
    { KEY("route_ttl", K_SECS, 0, FIELD(struct cfg, cache.route_ttl_s)), .def = "3600", .min = 0,
      .max = 31536000 },
    { KEY("enforce_policy", K_BOOL, 0, FIELD(struct cfg, cache.enforce_policy)), .def = "false" },
    { .name = NULL },
};
static const struct cfg_schema cache_schema = { cache_keys, 0, 0, 0, NULL };

static const struct cfg_key alerts_keys[] = {
    { KEY("slack_webhook", K_STR, KF_SECRET, FIELD(struct cfg, alerts.slack_webhook)),
      .check = check_http_url },
    { KEY("dedup_s", K_SECS, 0, FIELD(struct cfg, alerts.dedup_s)), .def = "300", .min = 0,
      .max = 604800 },
    { .name = NULL },
};
static const struct cfg_schema alerts_schema = { alerts_keys, 0, 0, 0, NULL };

static const struct cfg_key query_keys[] = {
    { KEY("name", K_STR, KF_REQUIRED, FIELD(struct cfg_metric_query, name)),
      .check = check_metric_name },
    { KEY("help", K_STR, 0, FIELD(struct cfg_metric_query, help)) },
    { KEY("type", K_STR, 0, FIELD(struct cfg_metric_query, type)), .def = "gauge",
      .choices = mtype_names },
    { KEY("query", K_STR, KF_REQUIRED, FIELD(struct cfg_metric_query, query)) },
    { KEY("labels", K_STRS, 0, FIELD(struct cfg_metric_query, labels)),
      COUNT(struct cfg_metric_query, nlabels), .check = check_labels },
    { KEY("interval", K_SECS, 0, FIELD(struct cfg_metric_query, interval_s)), .def = "15",
      .min = 0.1, .max = 86400 },
    { KEY("timeout", K_SECS, 0, FIELD(struct cfg_metric_query, timeout_s)), .def = "5",
      .min = 0.01, .max = 3600 },
    { .name = NULL },
};
static const struct cfg_schema query_schema = {
    query_keys, sizeof(struct cfg_metric_query), 0, 0, NULL };

static const struct cfg_key metrics_keys[] = {
    { KEY("max_connections", K_INT, 0, FIELD(struct cfg, metrics.max_connections)), .def = "64",
      .min = 1, .max = 100000 },
    { KEY("max_series", K_INT, 0, FIELD(struct cfg, metrics.max_series)), .def = "10000",
      .min = 1, .max = 10000000 },
    { KEY("queries", K_LIST, 0, FIELD(struct cfg, metrics.queries)),
      COUNT(struct cfg, metrics.nqueries), .sub = &query_schema },
    { .name = NULL },
};
static const struct cfg_schema metrics_schema = { metrics_keys, 0, 0, 0, NULL };

static const struct cfg_key bucket_keys[] = {
    { KEY("name", K_STR, KF_REQUIRED, FIELD(struct cfg_bucket, name)), .check = check_bucket },
    { KEY("retention_days", K_INT, 0, FIELD(struct cfg_bucket, retention_days)), .def = "0",
      .min = 0, .max = 36500 },
    { KEY("public_read", K_BOOL, 0, FIELD(struct cfg_bucket, public_read)), .def = "false" },
    { .name = NULL },
};
static const struct cfg_schema bucket_schema = {
    bucket_keys, sizeof(struct cfg_bucket), 0, 0, NULL };

static const struct cfg_key storage_keys[] = {
    { KEY("endpoint", K_STR, 0, FIELD(struct cfg, storage.endpoint)), .check = check_http_url },
    { KEY("region", K_STR, 0, FIELD(struct cfg, storage.region)), .def = "us-east-1" },
    { KEY("access_key", K_STR, KF_SECRET, FIELD(struct cfg, storage.access_key)) },
    { KEY("secret_key", K_STR, KF_SECRET, FIELD(struct cfg, storage.secret_key)) },
    { KEY("buckets", K_LIST, 0, FIELD(struct cfg, storage.buckets)),
      COUNT(struct cfg, storage.nbuckets), .sub = &bucket_schema },
    { .name = NULL },
};
static const struct cfg_schema storage_schema = { storage_keys, 0, 0, 0, NULL };

static const struct cfg_key table_keys[] = {
    { KEY("name", K_STR, KF_REQUIRED, FIELD(struct cfg_table, name)), .check = check_ident },
    { KEY("key", K_STR, 0, FIELD(struct cfg_table, key)), .def = "id", .check = check_ident },
    { KEY("cursor", K_STR, KF_REQUIRED, FIELD(struct cfg_table, cursor)), .check = check_ident },
    { KEY("priority", K_INT, 0, FIELD(struct cfg_table, priority)), .def = "0", .min = -1000,
      .max = 1000 },
    { KEY("delete_detection", K_BOOL, 0, FIELD(struct cfg_table, delete_detection)),
      .def = "false" },
    { .name = NULL },
};
static const struct cfg_schema table_schema = {
    table_keys, sizeof(struct cfg_table), 0, offsetof(struct cfg_table, line), NULL };

static const struct cfg_key source_keys[] = {
    { KEY("url", K_STR, KF_REQUIRED | KF_SECRET_URL, FIELD(struct cfg_source, url)),
      .check = check_pg_url },
    { KEY("batch_rows", K_INT64, 0, FIELD(struct cfg_source, batch_rows)), .def = "10000",
      .min = 1, .max = 100000000 },
    { KEY("batch_bytes", K_SIZE, 0, FIELD(struct cfg_source, batch_bytes)), .def = "64M",
      .min = 1024, .max = 17179869184.0 },
    { KEY("lookback", K_SECS, 0, FIELD(struct cfg_source, lookback_s)), .def = "5", .min = 0,
      .max = 604800 },
    { KEY("max_rejects", K_DOUBLE, 0, FIELD(struct cfg_source, max_rejects)), .def = "0",
      .min = 0, .max = 1e12 },
    { KEY("tables", K_LIST, KF_REQUIRED, FIELD(struct cfg_source, tables)),
      COUNT(struct cfg_source, ntables), .sub = &table_schema },
    { .name = NULL },
};
static const struct cfg_schema source_schema = {
    source_keys, sizeof(struct cfg_source), offsetof(struct cfg_source, name), 0, NULL };

static const struct cfg_key limits_keys[] = {
    { KEY("memory", K_SIZE, 0, FIELD(struct cfg_limits, memory_bytes)), .min = 1048576,
      .max = 1125899906842624.0 },
    { KEY("cpu", K_DOUBLE, 0, FIELD(struct cfg_limits, cpu)), .min = 0.01, .max = 1024 },
    { KEY("pids", K_INT64, 0, FIELD(struct cfg_limits, pids)), .min = 1, .max = 4194304 },
    { KEY("nofile", K_INT64, 0, FIELD(struct cfg_limits, nofile)), .min = 16, .max = 1048576 },
    { .name = NULL },
};
static const struct cfg_schema limits_schema = { limits_keys, 0, 0, 0, NULL };

static const struct cfg_key route_keys[] = {
    { KEY("path", K_STR, KF_REQUIRED, FIELD(struct cfg_route, path)), .check = check_route_path },
    { KEY("table", K_STR, KF_REQUIRED, FIELD(struct cfg_route, table)), .check = check_ident },
    { .name = NULL },
};
static const struct cfg_schema route_schema = {
    route_keys, sizeof(struct cfg_route), 0, 0, NULL };

static const struct cfg_key worker_keys[] = {
    { KEY("name", K_STR, KF_REQUIRED, FIELD(struct cfg_worker, name)), .check = check_name },
    { KEY("kind", K_STR, KF_REQUIRED, FIELD(struct cfg_worker, kind)), .choices = cfg_kinds },
    { KEY("count", K_INT, 0, FIELD(struct cfg_worker, count)), .def = "1", .min = 1, .max = 64 },
    { KEY("restart", K_ENUM, 0, FIELD(struct cfg_worker, restart)), .def = "always",
      .choices = restart_names },
    { KEY("limits", K_GROUP, 0, FIELD(struct cfg_worker, limits)), .sub = &limits_schema },
    { KEY("ready_after_s", K_SECS, 0, FIELD(struct cfg_worker, ready_after_s)), .def = "0",
      .min = 0, .max = 3600 },
    { KEY("command", K_STRS, 0, FIELD(struct cfg_worker, command)),
      COUNT(struct cfg_worker, ncommand), .check = check_command },
    { KEY("env", K_KV, 0, FIELD(struct cfg_worker, env)), COUNT(struct cfg_worker, nenv) },
    { KEY("cwd", K_STR, 0, FIELD(struct cfg_worker, cwd)), .check = check_abs_path },
    { KEY("user", K_STR, 0, FIELD(struct cfg_worker, user)) },
    { KEY("listen", K_STR, 0, FIELD(struct cfg_worker, listen)), .check = check_listen },
    { KEY("routes", K_LIST, 0, FIELD(struct cfg_worker, routes)), COUNT(struct cfg_worker, nroutes),
      .sub = &route_schema },
    { KEY("max_body", K_SIZE, 0, FIELD(struct cfg_worker, max_body)), .def = "1M", .min = 1,
      .max = 1073741824.0 },
    { KEY("hmac_secret", K_STR, KF_SECRET, FIELD(struct cfg_worker, hmac_secret)) },
    { KEY("source", K_STR, 0, FIELD(struct cfg_worker, source)) },
    { KEY("interval", K_SECS, 0, FIELD(struct cfg_worker, interval_s)), .def = "60", .min = 0.01,
      .max = 604800 },
    /* -1: inherit steward.*, resolved after decoding */
    { KEY("start_limit_burst", K_INT, 0, FIELD(struct cfg_worker, start_limit_burst)), .def = "-1",
      .min = 1, .max = 1000 },
    { KEY("start_limit_interval", K_SECS, 0, FIELD(struct cfg_worker, start_limit_interval_s)),
      .def = "-1", .min = 0.001, .max = 86400 },
    { KEY("stable_s", K_SECS, 0, FIELD(struct cfg_worker, stable_s)), .def = "-1", .min = 0,
      .max = 86400 },
    { .name = NULL },
};
static const struct cfg_schema worker_schema = {
    worker_keys, sizeof(struct cfg_worker), 0, 0, post_worker };

static const struct cfg_key http_keys[] = {
    { KEY("method", K_STR, 0, FIELD(struct cfg_http, method)), .def = "GET",
      .choices = method_names },
    { KEY("url", K_STR, KF_REQUIRED | KF_SECRET_URL, FIELD(struct cfg_http, url)),
      .check = check_http_url },
    { KEY("headers", K_KV, 0, FIELD(struct cfg_http, headers)), COUNT(struct cfg_http, nheaders) },
    { KEY("body", K_STR, 0, FIELD(struct cfg_http, body)) },
    { KEY("timeout", K_SECS, 0, FIELD(struct cfg_http, timeout_s)), .def = "30", .min = 0.01,
      .max = 86400 },
    { .name = NULL },
};
static const struct cfg_schema http_schema = { http_keys, 0, 0, 0, NULL };

static const struct cfg_key job_keys[] = {
    { KEY("name", K_STR, KF_REQUIRED, FIELD(struct cfg_job, name)), .check = check_name },
    { KEY("cron", K_STR, KF_REQUIRED, FIELD(struct cfg_job, cron)), .check = check_cron },
    { KEY("timezone", K_STR, 0, FIELD(struct cfg_job, timezone)), .def = "UTC",
      .check = check_timezone },
    { KEY("http", K_GROUP, 0, FIELD(struct cfg_job, http)), .sub = &http_schema },
    { KEY("sql", K_STR, 0, FIELD(struct cfg_job, sql)) },
    { KEY("builtin", K_STR, 0, FIELD(struct cfg_job, builtin)) },
    { KEY("retries", K_INT, 0, FIELD(struct cfg_job, retries)), .def = "0", .min = 0, .max = 100 },
    { KEY("backoff", K_SECSLIST, 0, FIELD(struct cfg_job, backoff)), COUNT(struct cfg_job, nbackoff),
      .min = 0, .max = 86400 },
    { KEY("overlap", K_ENUM, 0, FIELD(struct cfg_job, overlap)), .def = "skip",
      .choices = overlap_names },
    { KEY("timeout", K_SECS, 0, FIELD(struct cfg_job, timeout_s)), .def = "300", .min = 0.01,
      .max = 604800 },
    { KEY("misfire_grace", K_SECS, 0, FIELD(struct cfg_job, misfire_grace_s)), .def = "60",
      .min = 0, .max = 604800 },
    { .name = NULL },
};
static const struct cfg_schema job_schema = {
    job_keys, sizeof(struct cfg_job), 0, offsetof(struct cfg_job, line), post_job };

/* The jobs list alone (what a scheduler depends on, for cfg_worker_equal). */
static const struct cfg_key job_list_keys[] = {
    { KEY("jobs", K_LIST, 0, FIELD(struct cfg, jobs)), COUNT(struct cfg, njobs), .sub = &job_schema },
    { .name = NULL },
};

static const struct cfg_key top_keys[] = {
    { KEY("steward", K_GROUP, 0, 0), .sub = &steward_schema },
    { KEY("database", K_GROUP, 0, 0), .sub = &database_schema },
    { KEY("redis", K_GROUP, 0, 0), .sub = &redis_schema },
    { KEY("sources", K_NAMED, 0, FIELD(struct cfg, sources)), COUNT(struct cfg, nsources),
      .sub = &source_schema },
    { KEY("workers", K_LIST, 0, FIELD(struct cfg, workers)), COUNT(struct cfg, nworkers),
      .sub = &worker_schema },
    { KEY("queue", K_GROUP, 0, 0), .sub = &queue_schema },
    { KEY("cache", K_GROUP, 0, 0), .sub = &cache_schema },
    { KEY("jobs", K_LIST, 0, FIELD(struct cfg, jobs)), COUNT(struct cfg, njobs), .sub = &job_schema },
    { KEY("alerts", K_GROUP, 0, 0), .sub = &alerts_schema },
    { KEY("metrics", K_GROUP, 0, 0), .sub = &metrics_schema },
    { KEY("storage", K_GROUP, 0, 0), .sub = &storage_schema },
    { .name = NULL },
};
static const struct cfg_schema top_schema = { top_keys, 0, 0, 0, NULL };

/* ---- decoding --------------------------------------------------------------------------- */

#define FLD(base, k, type) ((type *)(void *)((char *)(base) + (k)->off))
#define CNT(base, k) ((size_t *)(void *)((char *)(base) + (k)->noff))

static const char *
cfg_type_name(int type)
{
    switch (type) {
    case CONFIG_TYPE_GROUP: return "a group";
    case CONFIG_TYPE_INT:
    case CONFIG_TYPE_INT64: return "an integer";
    case CONFIG_TYPE_FLOAT: return "a number";
    case CONFIG_TYPE_STRING: return "a string";
    case CONFIG_TYPE_BOOL: return "a boolean";
    case CONFIG_TYPE_ARRAY: return "an array";
    case CONFIG_TYPE_LIST: return "a list";
    default: return "an unknown type";
    }
}

static const char *
cfg_want_name(enum cfg_ktype t)
{
    switch (t) {
    case K_STR: case K_ENUM: return "a string";
    case K_INT: case K_INT64: return "an integer";
    case K_SECS: return "a number of seconds";
    case K_DOUBLE: return "a number";
    case K_BOOL: return "true or false";
    case K_SIZE: return "a size such as \"256M\"";
    case K_STRS: return "an array of strings [ \"...\", ... ]";
    case K_SECSLIST: return "an array of numbers [ 1.0, ... ]";
    case K_KV: return "a group of strings { NAME = \"value\"; }";
    case K_GROUP: return "a group { ... }";
    case K_LIST: return "a list of groups ( { ... }, ... )";
    case K_NAMED: return "a group of named groups { NAME = { ... }; }";
    }
    return "?";
}

static int
cfg_wrong_type(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const struct cfg_key *k)
{
    cfg_note(x, s, path, "expected %s, got %s", cfg_want_name(k->type),
        cfg_type_name(config_setting_type(s)));
    return -1;
}

static void
cfg_choices_text(const char *const *choices, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; choices[i] != NULL && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", choices[i]);
}

static int
cfg_choice_index(const char *const *choices, const char *v)
{
    for (int i = 0; choices[i] != NULL; i++)
        if (strcmp(choices[i], v) == 0)
            return i;
    return -1;
}

static int
cfg_bad_choice(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const struct cfg_key *k, const char *v)
{
    char list[512];

    cfg_choices_text(k->choices, list, sizeof(list));
    cfg_note(x, s, path, "unknown %s \"%s\" (use one of: %s)", k->name, v, list);
    return -1;
}

/* A string value, expanded; secrets registered. NULL (noted) on error. */
static char *
cfg_get_string(struct cfg_ctx *x, const config_setting_t *s, const char *path, unsigned flags)
{
    const char *raw = config_setting_get_string(s);
    char *v;

    if (raw == NULL)
        return NULL;
    if ((v = cfg_expand(x, s, path, raw)) == NULL)
        return NULL;
    if ((flags & KF_SECRET) != 0)
        log_add_secret(v);
    if ((flags & KF_SECRET_URL) != 0)
        cfg_secret_url(v);
    return v;
}

/* A number: an int or float setting, or a string that expands to one. */
static int
cfg_get_number(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const struct cfg_key *k, double *out, long long *iout)
{
    int type = config_setting_type(s);
    char *v, *end;

    if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64) {
        *iout = config_setting_get_int64(s);
        *out = (double)*iout;
        return 0;
    }
    if (type == CONFIG_TYPE_FLOAT && k->type != K_INT && k->type != K_INT64) {
        *out = config_setting_get_float(s);
        *iout = 0;
        return 0;
    }
    if (type != CONFIG_TYPE_STRING || strstr(config_setting_get_string(s), "${") == NULL)
        return cfg_wrong_type(x, s, path, k);
    if ((v = cfg_get_string(x, s, path, 0)) == NULL)
        return -1;
    errno = 0;
    if (k->type == K_INT || k->type == K_INT64) {
        *iout = strtoll(v, &end, 10);
        *out = (double)*iout;
    } else {
        *out = strtod(v, &end);
    }
    if (errno != 0 || end == v || *end != '\0' || !isfinite(*out)) {
        cfg_note(x, s, path, "expected %s, got \"%s\" after expansion", cfg_want_name(k->type), v);
        free(v);
        return -1;
    }
    free(v);
    return 0;
}

static int
cfg_check_range(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const struct cfg_key *k, double v)
{
    if (k->min >= k->max || (v >= k->min && v <= k->max))
        return 0;
    cfg_note(x, s, path, "%.15g is out of range (%.15g to %.15g)", v, k->min, k->max);
    return -1;
}

static int
cfg_get_size(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const struct cfg_key *k, int64_t *out)
{
    int type = config_setting_type(s);
    char *v;
    int64_t n;

    if (type == CONFIG_TYPE_INT || type == CONFIG_TYPE_INT64) {
        n = config_setting_get_int64(s);
    } else if (type == CONFIG_TYPE_STRING) {
        if ((v = cfg_get_string(x, s, path, 0)) == NULL)
            return -1;
        n = st_parse_size(v);
        if (n < 0) {
            cfg_note(x, s, path, "bad size \"%s\" (use a number with K, M or G)", v);
            free(v);
            return -1;
        }
        free(v);
    } else {
        return cfg_wrong_type(x, s, path, k);
    }
    if (cfg_check_range(x, s, path, k, (double)n) == -1)
        return -1;
    *out = n;
    return 0;
}

static int cfg_decode_group(struct cfg_ctx *x, const config_setting_t *g, const char *path,
    const struct cfg_schema *sch, void *base);
static void cfg_free_fields(const struct cfg_key *keys, void *base);

static bool
cfg_is_list(const config_setting_t *s)
{
    return config_setting_type(s) == CONFIG_TYPE_ARRAY || config_setting_type(s) == CONFIG_TYPE_LIST;
}

static int
cfg_decode_strs(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const struct cfg_key *k, void *base)
{
    int n = config_setting_length(s), rc = 0;
    char **v;

    if (!cfg_is_list(s))
        return cfg_wrong_type(x, s, path, k);
    v = st_xcalloc((size_t)n + 1, sizeof(char *));
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        char epath[300];

        (void)snprintf(epath, sizeof(epath), "%.250s[%d]", path, i);
        if (config_setting_type(e) != CONFIG_TYPE_STRING) {
            cfg_note(x, e, epath, "expected a string, got %s", cfg_type_name(config_setting_type(e)));
            rc = -1;
            continue;
        }
        if ((v[i] = cfg_get_string(x, e, epath, k->flags)) == NULL)
            rc = -1;
    }
    if (rc == -1) {
        for (int i = 0; i < n; i++)
            free(v[i]);
        free(v);
        return -1;
    }
    *FLD(base, k, char **) = v;
    *CNT(base, k) = (size_t)n;
    return 0;
}

static int
cfg_decode_secslist(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const struct cfg_key *k, void *base)
{
    int n = config_setting_length(s), rc = 0;
    double *v;

    if (!cfg_is_list(s))
        return cfg_wrong_type(x, s, path, k);
    v = st_xcalloc((size_t)n + 1, sizeof(double));
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        struct cfg_key ek = *k;
        long long iv;
        char epath[300];

        ek.type = K_SECS;
        (void)snprintf(epath, sizeof(epath), "%.250s[%d]", path, i);
        if (cfg_get_number(x, e, epath, &ek, &v[i], &iv) == -1
            || cfg_check_range(x, e, epath, k, v[i]) == -1)
            rc = -1;
    }
    if (rc == -1) {
        free(v);
        return -1;
    }
    *FLD(base, k, double *) = v;
    *CNT(base, k) = (size_t)n;
    return 0;
}

static int
cfg_decode_kv(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const struct cfg_key *k, void *base)
{
    int n = config_setting_length(s), rc = 0;
    struct cfg_kv *v;

    if (config_setting_type(s) != CONFIG_TYPE_GROUP)
        return cfg_wrong_type(x, s, path, k);
    v = st_xcalloc((size_t)n + 1, sizeof(*v));
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        const char *name = config_setting_name(e);
        char epath[300];

        (void)snprintf(epath, sizeof(epath), "%.250s.%.40s", path, name);
        v[i].key = st_xstrdup(name);
        if (config_setting_type(e) != CONFIG_TYPE_STRING) {
            cfg_note(x, e, epath, "expected a string, got %s", cfg_type_name(config_setting_type(e)));
            rc = -1;
        } else if ((v[i].value = cfg_get_string(x, e, epath,
                        cfg_is_secret_name(name) ? KF_SECRET : 0)) == NULL) {
            rc = -1;
        }
    }
    if (rc == -1) {
        for (int i = 0; i < n; i++) {
            free(v[i].key);
            st_free_secret(v[i].value);
        }
        free(v);
        return -1;
    }
    *FLD(base, k, struct cfg_kv *) = v;
    *CNT(base, k) = (size_t)n;
    return 0;
}

/* K_LIST (elements by index) and K_NAMED (elements by setting name). */
static int
cfg_decode_elems(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const struct cfg_key *k, void *base)
{
    const struct cfg_schema *sch = k->sub;
    int n = config_setting_length(s), rc = 0;
    char *v;

    if ((k->type == K_LIST && config_setting_type(s) != CONFIG_TYPE_LIST
            && !(config_setting_type(s) == CONFIG_TYPE_ARRAY && n == 0))
        || (k->type == K_NAMED && config_setting_type(s) != CONFIG_TYPE_GROUP))
        return cfg_wrong_type(x, s, path, k);
    v = st_xcalloc((size_t)n + 1, sch->elem_size);
    for (int i = 0; i < n; i++) {
        const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
        void *elem = v + (size_t)i * sch->elem_size;
        char epath[300];

        if (k->type == K_NAMED) {
            (void)snprintf(epath, sizeof(epath), "%.250s.%.40s", path, config_setting_name(e));
            *(char **)(void *)((char *)elem + sch->name_off) = st_xstrdup(config_setting_name(e));
        } else {
            (void)snprintf(epath, sizeof(epath), "%.250s[%d]", path, i);
        }
        if (config_setting_type(e) != CONFIG_TYPE_GROUP) {
            cfg_note(x, e, epath, "expected a group { ... }, got %s",
                cfg_type_name(config_setting_type(e)));
            rc = -1;
            continue;
        }
        if (sch->line_off != 0)
            *(int *)(void *)((char *)elem + sch->line_off) = (int)config_setting_source_line(e);
        if (cfg_decode_group(x, e, epath, sch, elem) == -1)
            rc = -1;
    }
    /* Keep the array even after errors: the caller frees it with the cfg. */
    *FLD(base, k, char *) = v;
    *CNT(base, k) = (size_t)n;
    return rc;
}

/* Decode one present setting s for key k into base. */
static int
cfg_decode_value(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const struct cfg_key *k, void *base)
{
    double d;
    long long i;
    char *v;
    int idx = 0;

    switch (k->type) {
    case K_STR:
    case K_ENUM:
        if (config_setting_type(s) != CONFIG_TYPE_STRING)
            return cfg_wrong_type(x, s, path, k);
        if ((v = cfg_get_string(x, s, path, k->flags)) == NULL)
            return -1;
        if (*v == '\0' && (k->flags & KF_REQUIRED) != 0) {
            cfg_note(x, s, path, "must not be empty");
            free(v);
            return -1;
        }
        if (*v == '\0') {
            free(v);            /* "" (e.g. ${VAR:-}) means unset: the default applies */
            return 1;
        }
        if (k->choices != NULL && (idx = cfg_choice_index(k->choices, v)) < 0) {
            cfg_bad_choice(x, s, path, k, v);
            free(v);
            return -1;
        }
        if (k->type == K_ENUM) {
            *FLD(base, k, int) = idx;
            free(v);
        } else {
            *FLD(base, k, char *) = v;
        }
        return 0;
    case K_INT:
    case K_INT64:
        if (cfg_get_number(x, s, path, k, &d, &i) == -1 || cfg_check_range(x, s, path, k, d) == -1)
            return -1;
        if (k->type == K_INT)
            *FLD(base, k, int) = (int)i;
        else
            *FLD(base, k, int64_t) = (int64_t)i;
        return 0;
    case K_SECS:
    case K_DOUBLE:
        if (cfg_get_number(x, s, path, k, &d, &i) == -1 || cfg_check_range(x, s, path, k, d) == -1)
            return -1;
        *FLD(base, k, double) = d;
        return 0;
    case K_BOOL:
        if (config_setting_type(s) != CONFIG_TYPE_BOOL)
            return cfg_wrong_type(x, s, path, k);
        *FLD(base, k, bool) = config_setting_get_bool(s) != 0;
        return 0;
    case K_SIZE:
        return cfg_get_size(x, s, path, k, FLD(base, k, int64_t));
    case K_STRS:
        return cfg_decode_strs(x, s, path, k, base);
    case K_SECSLIST:
        return cfg_decode_secslist(x, s, path, k, base);
    case K_KV:
        return cfg_decode_kv(x, s, path, k, base);
    case K_GROUP:
        if (config_setting_type(s) != CONFIG_TYPE_GROUP)
            return cfg_wrong_type(x, s, path, k);
        return cfg_decode_group(x, s, path, k->sub, FLD(base, k, char));
    case K_LIST:
    case K_NAMED:
        return cfg_decode_elems(x, s, path, k, base);
    }
    return -1;
}

/* Fill key k's default into base (absent key, or an empty string). */
static void
cfg_default(struct cfg_ctx *x, const struct cfg_key *k, void *base)
{
    if (k->type == K_GROUP) {
        cfg_decode_group(x, NULL, NULL, k->sub, FLD(base, k, char));
        return;
    }
    if (k->def == NULL)
        return;
    switch (k->type) {
    case K_STR: *FLD(base, k, char *) = st_xstrdup(k->def); break;
    case K_ENUM: *FLD(base, k, int) = cfg_choice_index(k->choices, k->def); break;
    case K_INT: *FLD(base, k, int) = atoi(k->def); break;
    case K_INT64: *FLD(base, k, int64_t) = strtoll(k->def, NULL, 10); break;
    case K_SECS: case K_DOUBLE: *FLD(base, k, double) = strtod(k->def, NULL); break;
    case K_BOOL: *FLD(base, k, bool) = strcmp(k->def, "true") == 0; break;
    case K_SIZE: *FLD(base, k, int64_t) = st_parse_size(k->def); break;
    default: break;
    }
}

/* Edit distance, small strings only: for "did you mean". */
static size_t
cfg_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b), row[64], prev, tmp;

    if (la >= 63 || lb >= 63)
        return 99;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            tmp = row[j];
            row[j] = prev + (a[i - 1] != b[j - 1]);
            if (row[j - 1] + 1 < row[j])
                row[j] = row[j - 1] + 1;
            if (tmp + 1 < row[j])
                row[j] = tmp + 1;
            prev = tmp;
        }
    }
    return row[lb];
}

static void
cfg_unknown_key(struct cfg_ctx *x, const config_setting_t *s, const char *path,
    const struct cfg_key *keys)
{
    const char *name = config_setting_name(s), *best = NULL;
    size_t bestd = 3, used = 0;
    char list[600];

    list[0] = '\0';
    for (const struct cfg_key *k = keys; k->name != NULL; k++) {
        size_t d = cfg_distance(name, k->name);
        if (d < bestd) {
            bestd = d;
            best = k->name;
        }
        if (used < sizeof(list))
            used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
                k == keys ? "" : ", ", k->name);
    }
    if (best != NULL)
        cfg_note(x, s, path, "unknown setting (did you mean %s?)", best);
    else
        cfg_note(x, s, path, "unknown setting (known here: %s)", list);
}

/*
 * Decode group g (NULL: absent, fill defaults only) into base by schema sch. Every
 * problem is noted; returns -1 when there was one.
 */
static int
cfg_decode_group(struct cfg_ctx *x, const config_setting_t *g, const char *path,
    const struct cfg_schema *sch, void *base)
{
    const struct cfg_key *k;
    int rc = 0, n = g != NULL ? config_setting_length(g) : 0;
    char cpath[300];

    for (int i = 0; i < n; i++) {
        const config_setting_t *s = config_setting_get_elem(g, (unsigned)i);
        const char *name = config_setting_name(s);

        (void)snprintf(cpath, sizeof(cpath), "%s%s%s", path != NULL && *path ? path : "",
            path != NULL && *path ? "." : "", name);
        for (k = sch->keys; k->name != NULL && strcmp(k->name, name) != 0; k++)
            ;
        if (k->name == NULL) {
            cfg_unknown_key(x, s, cpath, sch->keys);
            rc = -1;
        }
    }
    for (k = sch->keys; k->name != NULL; k++) {
        const config_setting_t *s = g != NULL ? config_setting_get_member(g, k->name) : NULL;
        int r;

        if (s == NULL) {
            if ((k->flags & KF_REQUIRED) != 0 && g != NULL) {
                cfg_note(x, g, path, "missing required setting %s", k->name);
                rc = -1;
            }
            cfg_default(x, k, base);
            continue;
        }
        (void)snprintf(cpath, sizeof(cpath), "%s%s%s", path != NULL && *path ? path : "",
            path != NULL && *path ? "." : "", k->name);
        r = cfg_decode_value(x, s, cpath, k, base);
        if (r == 1)
            cfg_default(x, k, base);
        else if (r == -1)
            rc = -1;
        else if (k->check != NULL && k->check(x, s, cpath, FLD(base, k, char)) == -1)
            rc = -1;
    }
    if (rc == 0 && g != NULL && sch->post != NULL)
        sch->post(x, g, path, base);
    return rc;
}

/* ---- per-element and whole-config checks ---------------------------------------------- */

static void
post_job(struct cfg_ctx *x, const config_setting_t *g, const char *path, void *elem)
{
    struct cfg_job *j = elem;
    int actions;

    j->has_http = config_setting_get_member(g, "http") != NULL;
    actions = (int)j->has_http + (j->sql != NULL) + (j->builtin != NULL);
    if (actions != 1)
        cfg_note(x, g, path, "%s (set exactly one of http = { ... }, sql = \"...\" or "
            "builtin = \"...\")", actions == 0 ? "nothing to run" : "more than one action");
    if (j->backoff != NULL && j->nbackoff == 0) {
        free(j->backoff);
        j->backoff = NULL;
    }
}

/* Which kinds may set which worker keys (absent here: any kind). */
static const struct {
    const char *key;
    const char *kinds;          /* space-separated */
} worker_key_kinds[] = {
    { "command", "exec" }, { "env", "exec" }, { "cwd", "exec" }, { "user", "exec" },
    { "ready_after_s", "exec" },
    { "source", "ingestor" }, { "interval", "ingestor" }, { "routes", "ingestor" },
    { "max_body", "ingestor" }, { "hmac_secret", "ingestor" },
    { "listen", "ingestor metrics" },
};

static bool
cfg_word_in(const char *word, const char *list)
{
    size_t n = strlen(word);

    for (const char *p = list; (p = strstr(p, word)) != NULL; p += n)
        if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
            return true;
    return false;
}

/* Events-intake keys on an ingestor that does not listen would be silently unused. */
static void
post_worker_needs_listen(struct cfg_ctx *x, const config_setting_t *g, const char *path)
{
    static const char *const keys[] = { "routes", "max_body", "hmac_secret" };

    for (size_t i = 0; i < ST_ARRAY_LEN(keys); i++) {
        const config_setting_t *s = config_setting_get_member(g, keys[i]);
        char kpath[300];

        if (s == NULL)
            continue;
        (void)snprintf(kpath, sizeof(kpath), "%s.%s", path, keys[i]);
        cfg_note(x, s, kpath, "only used with listen = \"host:port\" (events intake)");
    }
}

static void
post_worker(struct cfg_ctx *x, const config_setting_t *g, const char *path, void *elem)
{
    struct cfg_worker *w = elem;

    for (size_t i = 0; i < ST_ARRAY_LEN(worker_key_kinds); i++) {
        const config_setting_t *s = config_setting_get_member(g, worker_key_kinds[i].key);
        char kpath[300];

        if (s == NULL || cfg_word_in(w->kind, worker_key_kinds[i].kinds))
            continue;
        (void)snprintf(kpath, sizeof(kpath), "%s.%s", path, worker_key_kinds[i].key);
        cfg_note(x, s, kpath, "only for %s workers (this one is %s)",
            worker_key_kinds[i].kinds, w->kind);
    }
    if (strcmp(w->kind, "exec") == 0 && w->command == NULL)
        cfg_note(x, g, path, "exec worker needs command = [ \"/path/to/program\", \"arg\", ... ]");
    if (strcmp(w->kind, "ingestor") == 0 && w->source == NULL && w->listen == NULL)
        cfg_note(x, g, path, "ingestor needs source = \"NAME\" (a sources entry) or listen = "
            "\"host:port\" (events intake)");
    else if (strcmp(w->kind, "ingestor") == 0 && w->listen == NULL)
        post_worker_needs_listen(x, g, path);
}

static const config_setting_t *
cfg_elem_member(struct cfg_ctx *x, const char *list, size_t i, const char *member)
{
    const config_setting_t *l = config_lookup(&x->lc, list), *e;

    if (l == NULL || (e = config_setting_get_elem(l, (unsigned)i)) == NULL)
        return NULL;
    if (member == NULL)
        return e;
    return config_setting_get_member(e, member) != NULL ? config_setting_get_member(e, member) : e;
}

static void
cfg_check_sources_of_workers(struct cfg_ctx *x, struct cfg *c)
{
    struct st_buf names = ST_BUF_INIT;

    for (size_t i = 0; i < c->nsources; i++)
        st_buf_printf(&names, "%s%s", i ? ", " : "", c->sources[i].name);
    for (size_t i = 0; i < c->nworkers; i++) {
        const struct cfg_worker *w = &c->workers[i];
        char path[64];

        if (w->source == NULL || w->kind == NULL || strcmp(w->kind, "ingestor") != 0
            || cfg_find_source(c, w->source) != NULL)
            continue;
        (void)snprintf(path, sizeof(path), "workers[%zu].source", i);
        cfg_note(x, cfg_elem_member(x, "workers", i, "source"), path,
            "no source named \"%s\" (defined: %s)", w->source,
            names.len > 0 ? names.data : "none");
    }
    st_buf_free(&names);
}

/*
 * Why an instance name cannot be used, or NULL. The supervisor owns "steward" (its socket
 * <run_dir>/steward.sock and its log name); an instance's cgroup is a directory beside the
 * kernel's interface files ("tasks", "cgroup.procs", "memory.max", ...) and the v2 leaf
 * "supervisor". Names starting with a controller prefix are refused as a whole.
 */
static const char *
cfg_reserved_instance(const char *name)
{
    static const char *const prefixes[] = { "cgroup.", "memory.", "cpu.", "cpuacct.",
        "cpuset.", "pids.", "io.", "blkio.", "devices.", "freezer.", "hugetlb.", "net_cls.",
        "net_prio.", "perf_event.", "rdma.", "misc.", NULL };

    if (strcmp(name, "steward") == 0)
        return "the supervisor's own name (steward.sock, its log records)";
    if (cfg_word_in(name, "supervisor tasks notify_on_release release_agent"))
        return "a cgroup file or directory name";
    for (size_t i = 0; prefixes[i] != NULL; i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
            return "a cgroup interface file prefix";
    return NULL;
}

/* Worker names, and the instance names they expand to, are unique and not reserved. */
static void
cfg_check_worker_names(struct cfg_ctx *x, struct cfg *c)
{
    for (size_t i = 0; i < c->nworkers; i++) {
        const struct cfg_worker *w = &c->workers[i];
        const char *why;
        char path[64];

        if (w->name == NULL)
            continue;
        (void)snprintf(path, sizeof(path), "workers[%zu].name", i);
        if (w->count <= 1 && (why = cfg_reserved_instance(w->name)) != NULL)
            cfg_note(x, cfg_elem_member(x, "workers", i, "name"), path,
                "name \"%s\" is reserved: %s (choose another name)", w->name, why);
        for (size_t j = 0; j < i; j++) {
            const struct cfg_worker *o = &c->workers[j];
            char inst[128];

            if (o->name == NULL)
                continue;
            if (strcmp(o->name, w->name) == 0) {
                cfg_note(x, cfg_elem_member(x, "workers", i, "name"), path,
                    "duplicate worker name \"%s\" (first at %s:%d)", w->name, o->file, o->line);
                break;
            }
            for (int k = 1; o->count > 1 && w->count == 1 && k <= o->count; k++)
                if (strcmp(cfg_instance_name(o, k, inst, sizeof(inst)), w->name) == 0)
                    cfg_note(x, cfg_elem_member(x, "workers", i, "name"), path,
                        "instance name \"%s\" clashes with worker \"%s\" (count %d) at %s:%d",
                        inst, o->name, o->count, o->file, o->line);
            for (int k = 1; w->count > 1 && o->count == 1 && k <= w->count; k++)
                if (strcmp(cfg_instance_name(w, k, inst, sizeof(inst)), o->name) == 0)
                    cfg_note(x, cfg_elem_member(x, "workers", i, "name"), path,
                        "instance \"%s\" of this worker (count %d) clashes with worker \"%s\" "
                        "at %s:%d", inst, w->count, o->name, o->file, o->line);
        }
    }
}

static const char *const db_kinds = "ingestor transformer validator cache-warmer scheduler";

static void
cfg_check_needs(struct cfg_ctx *x, struct cfg *c)
{
    for (size_t i = 0; i < c->nworkers; i++) {
        const struct cfg_worker *w = &c->workers[i];
        char path[64];

        if (w->kind == NULL || c->database.url != NULL || !cfg_word_in(w->kind, db_kinds)
            || config_lookup(&x->lc, "database.url") != NULL)   /* unset, not just bad */
            continue;
        (void)snprintf(path, sizeof(path), "workers[%zu]", i);
        cfg_note(x, cfg_elem_member(x, "workers", i, NULL), path,
            "%s workers need database.url (set database = { url = \"${STEWARD_DATABASE_URL}\"; })",
            w->kind);
    }
}

/* A list whose elements must have distinct names. */
struct cfg_named_list {
    const char *list;           /* "jobs" */
    const char *what;           /* "job name" */
    size_t off, size;           /* name field offset, element size */
};

static const struct cfg_named_list named_lists[] = {
    { "jobs", "job name", offsetof(struct cfg_job, name), sizeof(struct cfg_job) },
    { "storage.buckets", "bucket", offsetof(struct cfg_bucket, name), sizeof(struct cfg_bucket) },
    { "metrics.queries", "metric", offsetof(struct cfg_metric_query, name),
      sizeof(struct cfg_metric_query) },
};

static void
cfg_check_dup_names(struct cfg_ctx *x, const struct cfg_named_list *l, const void *elems,
    size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *a = *(char *const *)(const void *)((const char *)elems + i * l->size + l->off);
        for (size_t j = 0; a != NULL && j < i; j++) {
            const char *b = *(char *const *)(const void *)((const char *)elems + j * l->size + l->off);
            if (b != NULL && strcmp(a, b) == 0) {
                char path[128];
                (void)snprintf(path, sizeof(path), "%s[%zu].name", l->list, i);
                cfg_note(x, cfg_elem_member(x, l->list, i, "name"), path, "duplicate %s \"%s\"",
                    l->what, a);
                break;
            }
        }
    }
}

static void
cfg_check_tables(struct cfg_ctx *x, struct cfg *c)
{
    for (size_t s = 0; s < c->nsources; s++) {
        const struct cfg_source *src = &c->sources[s];
        for (size_t i = 0; i < src->ntables; i++)
            for (size_t j = 0; src->tables[i].name != NULL && j < i; j++) {
                if (src->tables[j].name == NULL
                    || strcmp(src->tables[i].name, src->tables[j].name) != 0)
                    continue;
                char lpath[200], path[300];
                const config_setting_t *t;
                (void)snprintf(lpath, sizeof(lpath), "sources.%s.tables", src->name);
                (void)snprintf(path, sizeof(path), "%s[%zu].name", lpath, i);
                t = cfg_elem_member(x, lpath, i, "name");
                cfg_note(x, t, path, "duplicate table \"%s\"", src->tables[i].name);
                break;
            }
    }
}

/* Defaults that depend on other settings. */
static void
cfg_resolve(struct cfg *c)
{
    char **sets = st_xcalloc(c->database.nsets + 2, sizeof(char *));
    size_t n = 0;

    if (c->queue.redis_url == NULL && c->redis.url != NULL)
        c->queue.redis_url = st_xstrdup(c->redis.url);
    sets[n++] = st_xstrdup("platform");
    for (size_t i = 0; i < c->database.nsets; i++) {
        if (strcmp(c->database.sets[i], "platform") == 0)
            free(c->database.sets[i]);
        else
            sets[n++] = c->database.sets[i];
    }
    free(c->database.sets);
    c->database.sets = sets;
    c->database.nsets = n;
    for (size_t i = 0; i < c->nworkers; i++) {
        struct cfg_worker *w = &c->workers[i];
        if (w->start_limit_burst < 0)
            w->start_limit_burst = c->steward.start_limit_burst;
        if (w->start_limit_interval_s < 0)
            w->start_limit_interval_s = c->steward.start_limit_interval_s;
        if (w->stable_s < 0)
            w->stable_s = c->steward.stable_s;
        if (w->listen == NULL && strcmp(w->kind, "metrics") == 0)
            w->listen = st_xstrdup("127.0.0.1:9464");
        if (w->listen != NULL && w->nroutes == 0 && strcmp(w->kind, "ingestor") == 0) {
            free(w->routes);
            w->routes = st_xcalloc(2, sizeof(*w->routes));
            w->routes[0].path = st_xstrdup("/v1/events");
            w->routes[0].table = st_xstrdup("conversations.events");
            w->nroutes = 1;
        }
    }
}

/* Record the file names, and point each worker at its file. */
static void
cfg_intern_files(struct cfg_ctx *x, struct cfg *c)
{
    const config_setting_t *l = config_lookup(&x->lc, "workers");

    c->files = st_xcalloc(x->lc.num_filenames + 2, sizeof(char *));
    c->files[c->nfiles++] = st_xstrdup(x->name);
    for (unsigned i = 0; i < x->lc.num_filenames; i++)
        if (strcmp(x->lc.filenames[i], x->name) != 0)
            c->files[c->nfiles++] = st_xstrdup(cfg_file_name(x, x->lc.filenames[i]));
    for (size_t i = 0; l != NULL && i < c->nworkers; i++) {
        const config_setting_t *e = config_setting_get_elem(l, (unsigned)i);
        const char *f = cfg_file_of(x, e);

        c->workers[i].file = c->files[0];
        for (size_t j = 0; j < c->nfiles; j++)
            if (strcmp(c->files[j], f) == 0)
                c->workers[i].file = c->files[j];
        c->workers[i].line = (int)config_setting_source_line(e);
    }
}

/* ---- load ----------------------------------------------------------------------------- */

/*
 * A number token at p (not inside a name): true when it is a decimal or hex integer
 * too large for 32 bits without the L suffix. libconfig 1.5 silently wraps those
 * ("pool_size = 4294967297" reads as 1), so they are refused before it parses.
 */
static bool
cfg_is_wrapping_int(const char *p, size_t *len)
{
    const char *q = p;
    unsigned long long v = 0;
    bool big = false;

    if (q[0] == '0' && (q[1] == 'x' || q[1] == 'X')) {
        for (q += 2; isxdigit((unsigned char)*q); q++) {
            big = big || v > 0xffffffffULL;
            v = v * 16 + (unsigned long long)cfg_hexval(*q);
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

/*
 * Check what libconfig 1.5 gets wrong before it parses text: an unterminated string
 * (it leaks its buffer; reported at the line the string starts) and integers that it
 * would wrap. Follows its lexer: # and // comments, C comments, "\" escapes in
 * strings. Returns the number of problems noted.
 */
static int
cfg_prescan(struct cfg_ctx *x, const char *name, const char *text)
{
    int line = 1, start = 0, bad = 0;
    size_t len;

    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '\n')
            line++;
        if (start > 0) {
            if (*p == '\\' && p[1] != '\0' && p[1] != '\n')
                p++;
            else if (*p == '"')
                start = 0;
        } else if (*p == '"') {
            start = line;
        } else if (*p == '#' || (*p == '/' && p[1] == '/')) {
            p += strcspn(p, "\n");
            if (*p == '\0')
                break;
            line++;
        } else if (*p == '/' && p[1] == '*') {
            const char *end = strstr(p + 2, "*/");
            const char *stop = end != NULL ? end + 1 : p + strlen(p) - 1;
            for (const char *q = p; q < stop; q++)
                line += *q == '\n';
            p = stop;
        } else if (isdigit((unsigned char)*p) && (p == text || !(isalnum((unsigned char)p[-1])
                       || p[-1] == '_' || p[-1] == '-' || p[-1] == '.' || p[-1] == '*'))) {
            if (cfg_is_wrapping_int(p, &len)) {
                char msg[200];
                (void)snprintf(msg, sizeof(msg), "integer %.*s does not fit in 32 bits (write "
                    "%.*sL, or a size such as \"10G\")", (int)len, p, (int)len, p);
                cfg_note_at(x, name, line, msg);
                bad++;
            }
            p += len - 1;
        }
    }
    if (start > 0) {
        cfg_note_at(x, name, start, "unterminated string (a '\"' is missing)");
        bad++;
    }
    return bad;
}

/* "@include" anywhere in text (a line starting with it): where, or 0. */
static int
cfg_find_include(const char *text)
{
    int line = 1;

    for (const char *p = text; *p != '\0'; p++) {
        if (*p == '\n')
            line++;
        else if (*p == '@' && strncmp(p, "@include", 8) == 0)
            return line;
    }
    return 0;
}

/* The name in the @include on line `line` of file, for the message (NULL if unknown). */
static char *
cfg_include_name(const char *file, int line)
{
    FILE *f = file != NULL ? fopen(file, "re") : NULL;
    char *buf = NULL, *name = NULL, *p, *q;
    size_t cap = 0;

    for (int n = 1; f != NULL && getline(&buf, &cap, f) != -1; n++) {
        if (n != line)
            continue;
        if ((p = strstr(buf, "@include")) != NULL && (p = strchr(p, '"')) != NULL
            && (q = strchr(p + 1, '"')) != NULL)
            name = st_xstrndup(p + 1, (size_t)(q - p - 1));
        break;
    }
    free(buf);
    if (f != NULL)
        fclose(f);
    return name;
}

static void
cfg_syntax_error(struct cfg_ctx *x)
{
    const char *file = cfg_file_name(x, config_error_file(&x->lc));
    const char *text = config_error_text(&x->lc);
    int line = config_error_line(&x->lc);
    char msg[1024], *inc = NULL;

    if (text == NULL)
        text = "syntax error";
    if (strcmp(text, "cannot open include file") == 0
        && (inc = cfg_include_name(x->lc.filenames != NULL ? file : NULL, line)) != NULL)
        (void)snprintf(msg, sizeof(msg), "cannot open include file \"%s%s%s\"",
            x->incdir != NULL && inc[0] != '/' ? x->incdir : "",
            x->incdir != NULL && inc[0] != '/' ? "/" : "", inc);
    else
        (void)snprintf(msg, sizeof(msg), "%s%s", text, strcmp(text, "syntax error") == 0
            ? " (look for a missing ';', quote or bracket here or just before)" : "");
    free(inc);
    cfg_note_at(x, file, line, msg);
}

/* Everything after a successful libconfig parse. */
static struct cfg *
cfg_build(struct cfg_ctx *x, struct cfg_diag *diag)
{
    struct cfg *c = st_xcalloc(1, sizeof(*c));
    uintptr_t n = 0;
    int rc;

    c->path = st_xstrdup(x->name);
    x->cfg = c;
    cfg_number(config_root_setting(&x->lc), &n);
    rc = cfg_decode_group(x, config_root_setting(&x->lc), "", &top_schema, c);
    cfg_intern_files(x, c);
    if (rc == 0)
        cfg_resolve(c);
    {   /* cross-references: also after decoding errors, so that one run shows all */
        cfg_check_sources_of_workers(x, c);
        cfg_check_worker_names(x, c);
        cfg_check_needs(x, c);
        cfg_check_dup_names(x, &named_lists[0], c->jobs, c->njobs);
        cfg_check_dup_names(x, &named_lists[1], c->storage.buckets, c->storage.nbuckets);
        cfg_check_dup_names(x, &named_lists[2], c->metrics.queries, c->metrics.nqueries);
        cfg_check_tables(x, c);
    }
    if (x->nnotes > 0) {
        cfg_notes_to_diag(x, diag);
        cfg_free(c);
        return NULL;
    }
    return c;
}

static void
cfg_ctx_fini(struct cfg_ctx *x)
{
    config_destroy(&x->lc);
    for (size_t i = 0; i < x->ndotenv; i++) {
        free(x->dotenv[i].key);
        st_free_secret(x->dotenv[i].value);
    }
    free(x->dotenv);
    free(x->envfile);
    for (size_t i = 0; i < x->nshown; i++) {
        free(x->shown[i].key);
        free(x->shown[i].value);
    }
    free(x->shown);
    for (size_t i = 0; i < x->nnotes; i++)
        free(x->notes[i].msg);
    free(x->notes);
}

struct cfg *
cfg_load(const char *path, struct cfg_diag *diag)
{
    struct cfg_ctx x = { .name = path };
    struct cfg *c = NULL;
    const char *slash = strrchr(path, '/');
    char *dir = slash != NULL ? st_xstrndup(path, (size_t)(slash - path) + (slash == path)) : NULL;
    FILE *f;

    config_init(&x.lc);
    x.envfile = st_xasprintf("%s/.env", dir != NULL ? dir : ".");
    if ((f = fopen(path, "re")) == NULL) {
        char msg[300];
        (void)snprintf(msg, sizeof(msg), "cannot read: %s", strerror(errno));
        cfg_note_at(&x, path, 0, msg);
        goto out;
    }
    {
        struct st_buf text = ST_BUF_INIT;
        char chunk[8192];
        size_t n;
        int bad;

        st_buf_puts(&text, "");
        while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
            st_buf_append(&text, chunk, n);
        if (ferror(f)) {
            char msg[300];
            (void)snprintf(msg, sizeof(msg), "cannot read: %s", strerror(errno));
            cfg_note_at(&x, path, 0, msg);
        }
        fclose(f);
        bad = x.nnotes > 0 ? 1 : cfg_prescan(&x, path, text.data);
        st_buf_free(&text);
        if (bad > 0)
            goto out;
    }
    cfg_read_dotenv(&x);
    if (dir != NULL)
        config_set_include_dir(&x.lc, dir);
    x.incdir = dir;
    if (config_read_file(&x.lc, path) != CONFIG_TRUE) {
        cfg_syntax_error(&x);
        goto out;
    }
    c = cfg_build(&x, diag);
out:
    if (x.nnotes > 0) {
        cfg_notes_to_diag(&x, diag);
        cfg_free(c);
        c = NULL;
    }
    cfg_ctx_fini(&x);
    free(dir);
    return c;
}

struct cfg *
cfg_load_string(const char *text, const char *name, struct cfg_diag *diag)
{
    struct cfg_ctx x = { .name = name };
    struct cfg *c = NULL;
    int line;

    config_init(&x.lc);
    if ((line = cfg_find_include(text)) > 0) {
        cfg_note_at(&x, name, line, "@include is not available here (configuration text "
            "without a file)");
        goto out;
    }
    if (cfg_prescan(&x, name, text) > 0)
        goto out;
    if (config_read_string(&x.lc, text) != CONFIG_TRUE) {
        cfg_syntax_error(&x);
        goto out;
    }
    c = cfg_build(&x, diag);
out:
    if (x.nnotes > 0) {
        cfg_notes_to_diag(&x, diag);
        cfg_free(c);
        c = NULL;
    }
    cfg_ctx_fini(&x);
    return c;
}

/* ---- free, find, compare ---------------------------------------------------------------- */

static void
cfg_free_fields(const struct cfg_key *keys, void *base)
{
    for (const struct cfg_key *k = keys; k->name != NULL; k++) {
        switch (k->type) {
        case K_STR:
            if ((k->flags & (KF_SECRET | KF_SECRET_URL)) != 0)
                st_free_secret(*FLD(base, k, char *));
            else
                free(*FLD(base, k, char *));
            *FLD(base, k, char *) = NULL;
            break;
        case K_STRS: {
            char **v = *FLD(base, k, char **);
            for (size_t i = 0; v != NULL && i < *CNT(base, k); i++)
                free(v[i]);
            free(v);
            break;
        }
        case K_SECSLIST:
            free(*FLD(base, k, double *));
            break;
        case K_KV: {
            struct cfg_kv *v = *FLD(base, k, struct cfg_kv *);
            for (size_t i = 0; v != NULL && i < *CNT(base, k); i++) {
                free(v[i].key);
                st_free_secret(v[i].value);
            }
            free(v);
            break;
        }
        case K_GROUP:
            cfg_free_fields(k->sub->keys, FLD(base, k, char));
            break;
        case K_LIST:
        case K_NAMED: {
            char *v = *FLD(base, k, char *);
            for (size_t i = 0; v != NULL && i < *CNT(base, k); i++) {
                char *elem = v + i * k->sub->elem_size;
                if (k->type == K_NAMED)
                    free(*(char **)(void *)(elem + k->sub->name_off));
                cfg_free_fields(k->sub->keys, elem);
            }
            free(v);
            break;
        }
        default:
            break;
        }
    }
}

void
cfg_free(struct cfg *cfg)
{
    if (cfg == NULL)
        return;
    cfg_free_fields(top_keys, cfg);
    for (size_t i = 0; i < cfg->nfiles; i++)
        free(cfg->files[i]);
    free(cfg->files);
    free(cfg->path);
    free(cfg);
}

const char *
cfg_diag_first(const struct cfg_diag *diag)
{
    return diag != NULL && diag->n > 0 ? diag->msgs[0] : "";
}

void
cfg_diag_log(const struct cfg_diag *diag)
{
    for (size_t i = 0; diag != NULL && i < diag->n; i++)
        log_error("configuration error", LF_STR("error", diag->msgs[i]));
}

void
cfg_diag_free(struct cfg_diag *diag)
{
    if (diag == NULL)
        return;
    for (size_t i = 0; i < diag->n; i++)
        free(diag->msgs[i]);
    free(diag->msgs);
    diag->msgs = NULL;
    diag->n = 0;
}

const struct cfg_worker *
cfg_find_worker(const struct cfg *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->nworkers; i++)
        if (strcmp(cfg->workers[i].name, name) == 0)
            return &cfg->workers[i];
    return NULL;
}

const struct cfg_source *
cfg_find_source(const struct cfg *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->nsources; i++)
        if (strcmp(cfg->sources[i].name, name) == 0)
            return &cfg->sources[i];
    return NULL;
}

size_t
cfg_instance_count(const struct cfg *cfg)
{
    size_t n = 0;

    for (size_t i = 0; i < cfg->nworkers; i++)
        n += (size_t)cfg->workers[i].count;
    return n;
}

const char *
cfg_instance_name(const struct cfg_worker *w, int k, char *buf, size_t size)
{
    if (w->count <= 1)
        (void)snprintf(buf, size, "%s", w->name);
    else
        (void)snprintf(buf, size, "%s.%d", w->name, k);
    return buf;
}

bool
cfg_kind_is_native(const char *kind)
{
    return kind != NULL && cfg_choice_index(cfg_kinds, kind) >= 0 && strcmp(kind, "exec") != 0;
}

static bool
cfg_str_eq(const char *a, const char *b)
{
    return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Every field named by keys is equal in a and b. */
static bool
cfg_fields_equal(const struct cfg_key *keys, const void *a, const void *b)
{
    for (const struct cfg_key *k = keys; k->name != NULL; k++) {
        void *pa = (void *)(uintptr_t)a, *pb = (void *)(uintptr_t)b;
        size_t na = k->noff ? *CNT(pa, k) : 0, nb = k->noff ? *CNT(pb, k) : 0;
        bool eq = true;

        switch (k->type) {
        case K_STR:
            eq = cfg_str_eq(*FLD(pa, k, char *), *FLD(pb, k, char *));
            break;
        case K_INT: case K_ENUM:
            eq = *FLD(pa, k, int) == *FLD(pb, k, int);
            break;
        case K_INT64: case K_SIZE:
            eq = *FLD(pa, k, int64_t) == *FLD(pb, k, int64_t);
            break;
        case K_SECS: case K_DOUBLE:
            eq = *FLD(pa, k, double) == *FLD(pb, k, double);
            break;
        case K_BOOL:
            eq = *FLD(pa, k, bool) == *FLD(pb, k, bool);
            break;
        case K_STRS:
            eq = na == nb;
            for (size_t i = 0; eq && i < na; i++)
                eq = cfg_str_eq((*FLD(pa, k, char **))[i], (*FLD(pb, k, char **))[i]);
            break;
        case K_SECSLIST:
            eq = na == nb && (na == 0 || memcmp(*FLD(pa, k, double *), *FLD(pb, k, double *),
                                           na * sizeof(double)) == 0);
            break;
        case K_KV:
            eq = na == nb;
            for (size_t i = 0; eq && i < na; i++) {
                const struct cfg_kv *ka = &(*FLD(pa, k, struct cfg_kv *))[i];
                const struct cfg_kv *kb = &(*FLD(pb, k, struct cfg_kv *))[i];
                eq = cfg_str_eq(ka->key, kb->key) && cfg_str_eq(ka->value, kb->value);
            }
            break;
        case K_GROUP:
            eq = cfg_fields_equal(k->sub->keys, FLD(pa, k, char), FLD(pb, k, char));
            break;
        case K_LIST: case K_NAMED:
            eq = na == nb;
            for (size_t i = 0; eq && i < na; i++) {
                const char *ea = *FLD(pa, k, char *) + i * k->sub->elem_size;
                const char *eb = *FLD(pb, k, char *) + i * k->sub->elem_size;
                if (k->type == K_NAMED)
                    eq = cfg_str_eq(*(char *const *)(const void *)(ea + k->sub->name_off),
                        *(char *const *)(const void *)(eb + k->sub->name_off));
                eq = eq && cfg_fields_equal(k->sub->keys, ea, eb);
            }
            break;
        }
        if (!eq)
            return false;
    }
    return true;
}

bool
cfg_worker_equal(const struct cfg *a, const struct cfg_worker *wa,
    const struct cfg *b, const struct cfg_worker *wb)
{
    const struct cfg_source *sa, *sb;

    if (!cfg_fields_equal(worker_keys, wa, wb))
        return false;
    if (wa->source != NULL) {
        sa = cfg_find_source(a, wa->source);
        sb = cfg_find_source(b, wb->source);
        if ((sa == NULL) != (sb == NULL))
            return false;
        if (sa != NULL && !cfg_fields_equal(source_keys, sa, sb))
            return false;
    }
    if (!cfg_kind_is_native(wa->kind))
        return true;
    /* Native workers read the shared sections too; the kind decides which. */
    if (!cfg_fields_equal(log_keys, a, b) || !cfg_fields_equal(database_keys, a, b)
        || !cfg_fields_equal(redis_keys, a, b) || !cfg_fields_equal(queue_keys, a, b))
        return false;
    if (strcmp(wa->kind, "cache-warmer") == 0 && !cfg_fields_equal(cache_keys, a, b))
        return false;
    if (strcmp(wa->kind, "scheduler") == 0 && (!cfg_fields_equal(job_list_keys, a, b)
            || !cfg_fields_equal(alerts_keys, a, b)))
        return false;
    if (strcmp(wa->kind, "metrics") == 0 && !cfg_fields_equal(metrics_keys, a, b))
        return false;
    if (strcmp(wa->kind, "validator") == 0 && !cfg_fields_equal(alerts_keys, a, b))
        return false;
    return true;
}
