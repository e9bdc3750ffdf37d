/*
 * ctl.c -- control protocol server and client (skeleton: API compiles; server and
 * client land next).
 * Tests: tests/unit/t_ctl.c
 */
#include "config.h"

#include "ctl.h"

#include <stdlib.h>

#include "json.h"

int
ctl_listen(const char *path, struct st_error *err)
{
    st_error_set(err, "ctl_listen %s: not built yet", path);
    return -1;
}

bool
ctl_peer_allowed(int fd, uid_t owner_uid, gid_t group_gid, struct st_error *err)
{
    (void)fd; (void)owner_uid; (void)group_gid; (void)err;
    return true;
}

void ctl_reply_ok(struct ctl_reply *r, struct json_object *result) { (void)r; json_object_put(result); }
void ctl_reply_error(struct ctl_reply *r, const char *fmt, ...) { (void)r; (void)fmt; }
void ctl_reply_text(struct ctl_reply *r, const char *text) { (void)r; (void)text; }

struct ctl_server *
ctl_server_new(struct event_base *base, int listen_fd, uid_t owner_uid, gid_t group_gid,
    struct st_error *err)
{
    (void)base; (void)listen_fd; (void)owner_uid; (void)group_gid;
    st_error_set(err, "control server: not built yet");
    return NULL;
}

void ctl_server_add_commands(struct ctl_server *s, const struct ctl_command *cmds, size_t n, void *arg) { (void)s; (void)cmds; (void)n; (void)arg; }
void ctl_server_set_idle_timeout(struct ctl_server *s, double seconds) { (void)s; (void)seconds; }
void ctl_server_free(struct ctl_server *s) { (void)s; }

char *
ctl_handle_line(struct ctl_server *s, const char *line, size_t len)
{
    (void)s; (void)line; (void)len;
    return st_xstrdup("{\"ok\":false,\"error\":\"not built yet\"}");
}

struct json_object *
ctl_call(const char *path, const char *cmd, struct json_object *args, double timeout_s,
    struct st_error *err)
{
    (void)cmd; (void)args; (void)timeout_s;
    st_error_set(err, "connect %s: not built yet", path);
    return NULL;
}
