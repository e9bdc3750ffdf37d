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
/* Mask this value (at least 4 bytes) wherever it appears in a string field. Copied. */
void log_add_secret(const char *value);
void log_clear_secrets(void);
/* Records dropped because the output would have blocked (steward_log_dropped_total). */
uint64_t log_dropped(void);

/*
 * Redact a URL for display: the userinfo password becomes "***", and the values of
 * query parameters that carry credentials (password, token, key, secret, sig, ...)
 * become "***". Returns a malloc'd string. Never fails (a non-URL is returned as is,
 * after secret masking).
 */
char *log_redact_url(const char *url);
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
