/* t_log.c -- record shape, level filter, redaction (URL, query, conninfo, free text,
   registered secrets and their reload sweep), size cap, drop on full pipe. */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <json-c/json.h>

#include "log.h"
#include "tap.h"
#include "util.h"

/* Run fn with records going to a pipe; return what it wrote (malloc'd). */
static char *
capture(void (*fn)(void))
{
    int p[2];
    char buf[65536];
    ssize_t n;

    if (pipe(p) == -1)
        return NULL;
    log_set_fd(p[1]);
    fn();
    close(p[1]);
    n = read(p[0], buf, sizeof(buf) - 1);
    close(p[0]);
    log_set_fd(2);
    buf[n > 0 ? n : 0] = '\0';
    return st_xstrdup(buf);
}

static void emit_info(void) { log_info("batch transformed", LF_STR("batch_id", "b1"), LF_INT("rows", 42)); }

static void
test_record_is_one_json_line_with_fields(void)
{
    char *out;
    struct json_object *o, *v;

    log_set_process("transform.1");
    out = capture(emit_info);
    ok(strchr(out, '\n') == out + strlen(out) - 1, "exactly one line, newline-terminated");
    o = json_tokener_parse(out);
    ok(o != NULL, "record parses as JSON");
    ok(json_object_object_get_ex(o, "msg", &v) && strcmp(json_object_get_string(v), "batch transformed") == 0, "msg");
    ok(json_object_object_get_ex(o, "worker", &v) && strcmp(json_object_get_string(v), "transform.1") == 0, "worker");
    ok(json_object_object_get_ex(o, "rows", &v) && json_object_get_int(v) == 42, "typed int field");
    ok(json_object_object_get_ex(o, "level", &v) && strcmp(json_object_get_string(v), "info") == 0, "level");
    ok(json_object_object_get_ex(o, "ts", &v) && strlen(json_object_get_string(v)) == 27
        && json_object_get_string(v)[26] == 'Z', "ts is UTC with microseconds");
    json_object_put(o);
    free(out);
}

static void emit_debug(void) { log_debug("per item"); }

static void
test_level_filters_records(void)
{
    char *out;

    log_set_level(LOG_INFO);
    out = capture(emit_debug);
    is_str(out, "", "debug record dropped at level info");
    free(out);
    log_set_level(LOG_DEBUG);
    out = capture(emit_debug);
    like(out, "per item", "debug record kept at level debug");
    free(out);
    log_set_level(LOG_INFO);
}

static void
redact_is(const char *in, const char *want, const char *name)
{
    char *r = log_redact_url(in);

    is_str(r, want, name);
    free(r);
}

static void
test_url_password_is_redacted(void)
{
    redact_is("postgresql://steward:hunter2@db.example:5432/app?sslmode=require",
        "postgresql://steward:***@db.example:5432/app?sslmode=require", "password masked");
    redact_is("redis://:s3cret@10.0.0.5:6379/0", "redis://:***@10.0.0.5:6379/0",
        "redis password masked");
    redact_is("postgres://u:p%40ss@h/db", "postgres://u:***@h/db", "percent-encoded password");
    redact_is("postgres://u:pa/ss@h/db", "postgres://u:***@h/db", "password with a raw slash");
    redact_is("postgres://u:p@ss@h/db", "postgres://u:***@h/db", "password with a raw @");
    redact_is("postgres://u@h/db", "postgres://u@h/db", "no password, unchanged");
    redact_is("https://social.example/@user", "https://social.example/@user", "@ in a path");
    redact_is("redis://:@h", "redis://:@h", "empty password, unchanged");
}

static void
test_query_password_is_redacted(void)
{
    redact_is("https://hooks.example/x?token=abc&mode=daily&sig=zz",
        "https://hooks.example/x?token=***&mode=daily&sig=***", "credential query values masked");
    redact_is("postgresql://u@h/x?password=hunter2", "postgresql://u@h/x?password=***",
        "query password masked");
    redact_is("postgresql://u@h/x?sslmode=require&sslpassword=k3y&x=1#frag",
        "postgresql://u@h/x?sslmode=require&sslpassword=***&x=1#frag", "sslpassword, up to &");
    redact_is("postgresql://u@h/x?password=p%26w%23", "postgresql://u@h/x?password=***",
        "percent-encoded query value");
    redact_is("postgresql://u@h/x?pass%77ord=abc", "postgresql://u@h/x?pass%77ord=***",
        "percent-encoded parameter name");
    redact_is("postgresql://u@h/x?passfile=/etc/pgpass", "postgresql://u@h/x?passfile=/etc/pgpass",
        "passfile (a path) kept");
    redact_is("postgresql://u:a@h/x?password=b", "postgresql://u:***@h/x?password=***",
        "userinfo and query both masked");
}

static void
test_keyword_password_is_redacted(void)
{
    redact_is("host=db user=a password=pw dbname=x", "host=db user=a password=*** dbname=x",
        "keyword form masked");
    redact_is("host=db password='a b\\' c' dbname=x", "host=db password='***' dbname=x",
        "quoted value with an escaped quote");
    redact_is("host=db password = pw port=5", "host=db password = *** port=5",
        "blanks around =");
    redact_is("host=db password=a\\ b port=5", "host=db password=*** port=5",
        "unquoted value with an escaped blank");
    redact_is("host=db sslpassword=k port=5", "host=db sslpassword=*** port=5", "sslpassword");
    redact_is("X password='abc", "X password='***", "unterminated quote: masked to the end");
    redact_is("X password='", "X password='", "unterminated empty quote");
    redact_is("X password=\\", "X password=***", "lone trailing backslash");
    redact_is("password=", "password=", "empty value");
    redact_is("", "", "empty string");
    redact_is(NULL, "", "NULL gives the empty string");
}

static void
test_password_spans_in_order(void)
{
    const char *u = "postgres://u:pw@h/db?password=q&a=1";
    size_t pos = 0, off = 0, len = 0;

    ok(log_url_password(u, &pos, &off, &len) && off == 13 && len == 2, "userinfo span");
    ok(log_url_password(u, &pos, &off, &len) && off == 30 && len == 1, "query span");
    ok(!log_url_password(u, &pos, &off, &len) && pos == strlen(u), "then the end");
    pos = 0;
    ok(log_url_password("X password='abc", &pos, &off, &len) && off == 12 && len == 3,
        "unterminated quote span stops at the NUL");
    is_int((long long)pos, 15, "and *pos at the end, not past it");
}

static void
test_secret_key_names(void)
{
    static const char *const yes[] = { "password", "API_TOKEN", "sslpassword", "PGPASSWORD",
        "pass", "pw", "sig", "x-amz-signature", "Authorization", "SESSION_COOKIE",
        "aws_secret_access_key", "pass%77ord" };
    static const char *const no[] = { "passfile", "PATH", "compass", "design", "host", "" };

    char name[64];

    for (size_t i = 0; i < ST_ARRAY_LEN(yes); i++) {
        (void)snprintf(name, sizeof(name), "secret name: %s", yes[i]);
        ok(log_is_secret_key(yes[i], strlen(yes[i])), name);
    }
    for (size_t i = 0; i < ST_ARRAY_LEN(no); i++) {
        (void)snprintf(name, sizeof(name), "not a secret name: '%s'", no[i]);
        ok(!log_is_secret_key(no[i], strlen(no[i])), name);
    }
}

static void
scrub_is(const char *in, const char *want, const char *name)
{
    char *r = log_scrub(in);

    is_str(r, want, name);
    free(r);
}

static void
test_scrub_masks_passwords_in_free_text(void)
{
    scrub_is("bad URL \"postgres://u:hunter2@h/db\" here", "bad URL \"postgres://u:***@h/db\" here",
        "URL password in a message");
    scrub_is("bad URL \"host=x password=abc\" here", "bad URL \"host=x password=***\" here",
        "conninfo password ends at the closing quote");
    scrub_is("connect failed: FATAL: password authentication failed for user \"u\"",
        "connect failed: FATAL: password authentication failed for user \"u\"",
        "libpq's message kept");
    scrub_is("two: redis://:a1@h and https://x/?token=t2 done",
        "two: redis://:***@h and https://x/?token=*** done", "several URLs");
    scrub_is(NULL, "", "NULL gives the empty string");
}

static void emit_url_in_field(void) { log_error("connect failed",
    LF_STR("error", "could not connect to postgres://app:hunter2@db/app")); }
static void emit_dsn_in_msg(void) { log_info("DATABASE_URL=host=db password=pw123 user=x"); }

static void
test_fields_and_msg_are_scrubbed(void)
{
    char *out;

    out = capture(emit_url_in_field);
    unlike(out, "hunter2", "unregistered URL password not printed in a field");
    like(out, "postgres://app:***@db/app", "masked in place in the field");
    free(out);
    out = capture(emit_dsn_in_msg);
    unlike(out, "pw123", "conninfo password not printed in msg");
    like(out, "password=*** user=x", "masked in place in msg");
    free(out);
}

static void
mask_is(const char *in, const char *want, const char *name)
{
    char *r = log_mask_secrets(in);

    is_str(r, want, name);
    free(r);
}

static void
test_short_secret_masked_only_as_a_value(void)
{
    log_add_secret("ab");
    mask_is("tab ab x=ab y", "tab ab x=*** y", "2-byte secret: only after =");
    mask_is("redis://:ab@h", "redis://:***@h", "2-byte secret as a URL password");
    mask_is("x='ab' y=abc", "x='***' y=abc", "quoted whole value only");
    log_add_secret("abcd");
    mask_is("xabcdx", "x***x", "4-byte secret masked anywhere");
    log_clear_secrets();
    log_add_secret("");
    is_int((long long)log_secrets_count(), 0, "empty secret ignored");
}

static void
test_secrets_have_no_cap(void)
{
    char v[32];

    for (int i = 0; i < 1000; i++) {
        (void)snprintf(v, sizeof(v), "secret-%04d", i);
        log_add_secret(v);
    }
    log_add_secret("secret-0000");
    is_int((long long)log_secrets_count(), 1000, "1000 distinct secrets kept, no duplicate");
    mask_is("secret-0999 and secret-0000", "*** and ***", "the 1000th secret is masked");
    log_clear_secrets();
}

static void
test_secrets_sweep_drops_the_old_config(void)
{
    uint64_t mark;

    log_add_secret("old-secret-1");
    log_add_secret("kept-secret");
    mark = log_secrets_mark();
    log_add_secret("kept-secret");              /* the new config still has it */
    log_add_secret("new-secret-1");
    mask_is("old-secret-1 kept-secret new-secret-1", "*** *** ***", "both sets until the sweep");
    log_secrets_sweep(mark);
    mask_is("old-secret-1 kept-secret new-secret-1", "old-secret-1 *** ***",
        "the sweep drops only what the new config did not register");
    is_int((long long)log_secrets_count(), 2, "two left");
    (void)log_secrets_mark();                   /* a reload that fails: no sweep */
    log_add_secret("failed-load-1");
    mask_is("kept-secret", "***", "a failed reload keeps the running set");
    log_clear_secrets();
}

static void emit_secret(void) { log_warn("oops", LF_STR("error", "auth failed for token tok-123456"),
    LF_SECRET("key", "anything")); }

static void
test_registered_secret_is_masked_everywhere(void)
{
    char *out;

    log_add_secret("tok-123456");
    out = capture(emit_secret);
    unlike(out, "tok-123456", "registered secret not printed");
    like(out, "token ***", "secret replaced in place");
    like(out, "\"key\":\"***\"", "LF_SECRET prints ***");
    log_clear_secrets();
    free(out);
}

/* What the supervisor does with an exec program's output line: the line is the msg. */
static void emit_secret_msg(void) { log_info("program said token is tok-654321"); }

static void
test_registered_secret_is_masked_in_msg(void)
{
    char *out;

    log_add_secret("tok-654321");
    out = capture(emit_secret_msg);
    unlike(out, "tok-654321", "secret not printed in msg");
    like(out, "\"msg\":\"program said token is ***\"", "masked in place in msg");
    log_clear_secrets();
    free(out);
}

static char big[20000];
static void emit_big(void) { log_info("big", LF_STR("text", big)); }

static void
test_long_record_is_cut_below_pipe_buf(void)
{
    char *out;
    struct json_object *o;

    memset(big, 'x', sizeof(big) - 1);
    out = capture(emit_big);
    ok(strlen(out) <= LOG_MAX_RECORD + 1, "record fits one atomic write");
    o = json_tokener_parse(out);
    ok(o != NULL, "cut record is still JSON");
    like(out, "\"truncated\":true", "cut record says truncated");
    json_object_put(o);
    free(out);
}

static void
test_full_pipe_drops_and_counts(void)
{
    int p[2];
    uint64_t before;
    char fill[4096];

    if (pipe2(p, O_NONBLOCK) == -1) {
        ok(0, "pipe");
        return;
    }
    memset(fill, 'x', sizeof(fill));
    while (write(p[1], fill, sizeof(fill)) > 0)
        ;
    log_set_fd(p[1]);
    before = log_dropped();
    log_info("nobody reads this");
    is_int(log_dropped() - before, 1, "record dropped, not blocked");
    log_set_fd(2);
    close(p[0]);
    close(p[1]);
}

/* fd 2 of a daemon is often a pipe shared with its children: a blocking one. */
static void
test_full_blocking_pipe_drops_without_blocking(void)
{
    int p[2], nb;
    uint64_t before;
    char fill[4096], path[64];

    if (pipe(p) == -1) {
        ok(0, "pipe");
        return;
    }
    (void)snprintf(path, sizeof(path), "/proc/self/fd/%d", p[1]);
    nb = open(path, O_WRONLY | O_NONBLOCK);     /* fill it without blocking ourselves */
    memset(fill, 'x', sizeof(fill));
    while (nb != -1 && write(nb, fill, sizeof(fill)) > 0)
        ;
    ok((fcntl(p[1], F_GETFL) & O_NONBLOCK) == 0, "the shared end is blocking");
    alarm(5);                                   /* a blocked write fails the test, not hangs */
    log_set_fd(p[1]);
    before = log_dropped();
    log_info("nobody reads this either");
    alarm(0);
    is_int(log_dropped() - before, 1, "record dropped on a full blocking pipe");
    ok((fcntl(p[1], F_GETFL) & O_NONBLOCK) == 0, "the shared end is still blocking");
    log_set_fd(2);
    close(nb);
    close(p[0]);
    close(p[1]);
}

static void
test_records_reach_a_pipe_after_fork(void)
{
    int p[2], status;
    char buf[512] = "";
    pid_t pid;

    if (pipe(p) == -1) {
        ok(0, "pipe");
        return;
    }
    log_set_fd(p[1]);
    log_info("parent record");                  /* the parent opens its private end */
    if ((pid = fork()) == 0) {
        log_info("child record");
        _exit(0);
    }
    (void)waitpid(pid, &status, 0);
    log_set_fd(2);
    close(p[1]);
    (void)!read(p[0], buf, sizeof(buf) - 1);
    close(p[0]);
    like(buf, "\"msg\":\"parent record\"", "parent record written");
    like(buf, "\"msg\":\"child record\"", "a forked child writes through its own open");
}

int
main(void)
{
    test_record_is_one_json_line_with_fields();
    test_level_filters_records();
    test_url_password_is_redacted();
    test_query_password_is_redacted();
    test_keyword_password_is_redacted();
    test_password_spans_in_order();
    test_secret_key_names();
    test_scrub_masks_passwords_in_free_text();
    test_fields_and_msg_are_scrubbed();
    test_short_secret_masked_only_as_a_value();
    test_secrets_have_no_cap();
    test_secrets_sweep_drops_the_old_config();
    test_registered_secret_is_masked_everywhere();
    test_registered_secret_is_masked_in_msg();
    test_long_record_is_cut_below_pipe_buf();
    test_full_pipe_drops_and_counts();
    test_full_blocking_pipe_drops_without_blocking();
    test_records_reach_a_pipe_after_fork();
    return done_testing();
}
