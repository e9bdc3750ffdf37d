/* fuzz_ctl.c -- libFuzzer target: any bytes as one control request line through
   ctl_handle_line, over a command table whose handlers echo, fail, answer as text, forget to
   answer and answer twice. The reply must always be one line of JSON with a boolean "ok". */
#include "config.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
h_echo(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)arg;
    ctl_reply_ok(reply, req->args != NULL ? json_object_get(req->args) : NULL);
}

static void
h_fail(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    const char *name = jsn_get_str(req->args, "name");

    (void)arg;
    ctl_reply_error(reply, "no such worker: %s", name != NULL ? name : "(none)");
}

static void
h_text(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)arg;
    ctl_reply_text(reply, req->cmd);
}

static void
h_silent(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    (void)req; (void)reply; (void)arg;
}

static void
h_twice(const struct ctl_req *req, struct ctl_reply *reply, void *arg)
{
    int64_t n = 0;

    (void)arg;
    (void)jsn_get_int(req->args, "n", &n);
    ctl_reply_ok(reply, json_object_new_int64(n));
    ctl_reply_error(reply, "again");
}

static const struct ctl_command cmds[] = {
    { "status", h_echo, NULL }, { "restart", h_fail, NULL }, { "metrics", h_text, NULL },
    { "silent", h_silent, NULL }, { "twice", h_twice, NULL },
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct ctl_server *s;
    struct st_error err = ST_ERROR_INIT;
    struct json_object *o;
    char *reply;
    bool okv;

    if (s == NULL) {
        s = ctl_server_new(NULL, -1, getuid(), (gid_t)-1, &err);
        ctl_server_add_commands(s, cmds, sizeof(cmds) / sizeof(cmds[0]), NULL);
    }
    reply = ctl_handle_line(s, (const char *)data, size);
    assert(strchr(reply, '\n') == NULL);
    o = jsn_parse(reply, strlen(reply), &err);
    assert(o != NULL && jsn_get_bool(o, "ok", &okv));
    json_object_put(o);
    free(reply);
    return 0;
}
