/* t_log.c -- record shape, level filter, redaction, size cap, drop on full pipe. */
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
test_url_password_is_redacted(void)
{
    char *r;

    r = log_redact_url("postgresql://steward:hunter2@db.example:5432/app?sslmode=require");
    is_str(r, "postgresql://steward:***@db.example:5432/app?sslmode=require", "password masked");
    free(r);
    r = log_redact_url("redis://:s3cret@10.0.0.5:6379/0");
    is_str(r, "redis://:***@10.0.0.5:6379/0", "redis password masked");
    free(r);
    r = log_redact_url("https://hooks.example/x?token=abc&mode=daily&sig=zz");
    is_str(r, "https://hooks.example/x?token=***&mode=daily&sig=***", "credential query values masked");
    free(r);
    r = log_redact_url("host=db user=a password=pw dbname=x");
    is_str(r, "host=db user=a password=*** dbname=x", "keyword form masked");
    free(r);
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
    test_registered_secret_is_masked_everywhere();
    test_registered_secret_is_masked_in_msg();
    test_long_record_is_cut_below_pipe_buf();
    test_full_pipe_drops_and_counts();
    test_full_blocking_pipe_drops_without_blocking();
    test_records_reach_a_pipe_after_fork();
    return done_testing();
}
