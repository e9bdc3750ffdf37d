/*
 * log.h -- one JSON object per line on stderr (DESIGN.md "Logs").
 *
 *   log_info("batch transformed", LF_STR("batch_id", id), LF_INT("rows", n));
 *
 * Fields are typed; LF_URL and LF_SECRET redact by type, and any registered secret
 * value (log_add_secret) is masked wherever it appears in a string field.
 */
#ifndef STEWARD_LOG_H
#define STEWARD_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

enum log_ftype { LFT_END, LFT_STR, LFT_INT, LFT_DBL, LFT_BOOL, LFT_URL, LFT_SECRET, LFT_RAW };

struct log_field {
    enum log_ftype type;
    const char *key;
    union {
        const char *s;
        long long i;
        double d;
        bool b;
    } v;
};

#define LF_STR(k, x)    ((struct log_field){ LFT_STR, (k), { .s = (x) } })
#define LF_INT(k, x)    ((struct log_field){ LFT_INT, (k), { .i = (long long)(x) } })
#define LF_DBL(k, x)    ((struct log_field){ LFT_DBL, (k), { .d = (double)(x) } })
#define LF_BOOL(k, x)   ((struct log_field){ LFT_BOOL, (k), { .b = (x) } })
#define LF_URL(k, x)    ((struct log_field){ LFT_URL, (k), { .s = (x) } })
#define LF_SECRET(k, x) ((struct log_field){ LFT_SECRET, (k), { .s = (x) } })
/* A value that is already JSON text (an object or array); inserted as parsed JSON. */
#define LF_RAW(k, x)    ((struct log_field){ LFT_RAW, (k), { .s = (x) } })
#define LF_END          ((struct log_field){ LFT_END, NULL, { .s = NULL } })

#define LOG_MAX_RECORD 4000     /* below PIPE_BUF: one write(2) is atomic on a pipe */

void log_emit(enum log_level level, const char *msg, ...);
#define log_debug(msg, ...) log_emit(LOG_DEBUG, (msg), ##__VA_ARGS__, LF_END)
#define log_info(msg, ...)  log_emit(LOG_INFO, (msg), ##__VA_ARGS__, LF_END)
#define log_warn(msg, ...)  log_emit(LOG_WARN, (msg), ##__VA_ARGS__, LF_END)
#define log_error(msg, ...) log_emit(LOG_ERROR, (msg), ##__VA_ARGS__, LF_END)

/* Name of this process in every record ("transform.1"); also refreshes the pid. */
void log_set_process(const char *name);
void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* "debug", "info", "warn"/"warning", "error" -> level; -1 when unknown. */
int log_level_parse(const char *s);
const char *log_level_name(enum log_level level);
/* Send records to fd instead of stderr (tests). */
void log_set_fd(int fd);
/*
 * Registered secrets: values masked as "***" in every string field and msg. No cap on
 * their number. A secret of at least LOG_SECRET_ANYWHERE bytes is masked wherever it
 * appears; a shorter one (masking "ab" everywhere would wreck the logs) only where it
 * stands as a whole value: right after '=' (or "='") up to a blank, '&', '#', '@', quote,
 * ',', ';' or ')', or as the password in "user:SECRET@". The value is copied; the empty
 * string is ignored.
 *
 * Reload: the secret set follows the config in use. Each secret remembers the mark it was
 * last added under:
 *     uint64_t mark = log_secrets_mark();      before loading the new config
 *     next = cfg_load(...);                    (re-)registers the new config's secrets
 *     ... on success, once the old config is freed: log_secrets_sweep(mark);
 * drops every secret the new config did not register; a failed load sweeps nothing, so
 * the running config's secrets stay (the failed one's extra secrets go at the next sweep).
 * Processes forked earlier keep the set they were forked with.
 */
#define LOG_SECRET_ANYWHERE 4
void log_add_secret(const char *value);
void log_clear_secrets(void);
size_t log_secrets_count(void);
uint64_t log_secrets_mark(void);
void log_secrets_sweep(uint64_t mark);
/* Records dropped because the output would have blocked (steward_log_dropped_total). */
uint64_t log_dropped(void);

/*
 * The one list of secret-bearing names, for query parameters, conninfo keywords,
 * environment variables and HTTP headers: true when name[0..n) (percent-decoded, any
 * case) contains passw, pwd, token, secret, key, auth, credential, cookie or signature,
 * or is exactly pass, pw or sig. ("passfile", a path, is not a secret.)
 */
bool log_is_secret_key(const char *name, size_t n);

/*
 * The one password parser. Finds the next password span in url at or after *pos and
 * sets *off and *len to it (the raw bytes, maybe percent-encoded, without quotes; never
 * empty), then moves *pos past it; false at the end (*pos = strlen(url)). Spans come in
 * order and never overlap. It finds:
 *   "scheme://user:PW@host..."         the userinfo password (a raw '/' in it is allowed
 *                                      when the ':' comes first)
 *   "...?a=1&password=PW&b=2#f"        values of secret query parameters, up to & or #
 *   "host=x password = 'p\'w' ..."    libpq keyword/value: a quoted value with backslash
 *                                      escapes, or an unquoted one up to a blank
 * An unterminated quote ("password='abc") makes the span run to the end of url.
 */
bool log_url_password(const char *url, size_t *pos, size_t *off, size_t *len);

/*
 * Redact a URL or conninfo string for display: every log_url_password span becomes
 * "***", then registered secrets are masked. Returns a malloc'd string; never fails;
 * NULL gives "".
 */
char *log_redact_url(const char *url);
/*
 * The masking every message goes through (string fields and msg of each record; use it
 * for error text sent elsewhere, such as a control reply): like log_redact_url over free
 * text, so a URL's or an assignment's value also ends at a quote or '<' '>' and a
 * conninfo value also at '"'. Returns a malloc'd string; NULL gives "".
 */
char *log_scrub(const char *text);
/* Replace every registered secret in s by "***". Returns a malloc'd string. */
char *log_mask_secrets(const char *s);

/*
 * Format one record (without the newline) into buf; used by log_emit and by the
 * supervisor when it turns a program's output line into a record.
 * extra_json, when not NULL, is a json-c object whose keys are merged in (borrowed).
 */
struct json_object;
int log_format(char *buf, size_t size, enum log_level level, const char *msg,
    struct json_object *fields);

#endif
