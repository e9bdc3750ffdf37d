/*
 * ctl.h -- the control protocol of DESIGN.md "Control protocol": Unix stream sockets,
 * one JSON request per line {"cmd":"…","args":{…}}, one reply per line
 * {"ok":true,"result":…} or {"ok":false,"error":"…"}. Server (libevent) and client.
 * Tests: tests/unit/t_ctl.c, tests/integration/t_stewardctl.sh, tests/fuzz/fuzz_ctl.c
 */
#ifndef STEWARD_CTL_H
#define STEWARD_CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "util.h"

struct event_base;
struct json_object;

#define CTL_MAX_LINE (64 * 1024)        /* longest request line, newline excluded */
#define CTL_IDLE_TIMEOUT_S 30           /* a client that sends nothing for this long is dropped */

/* Bind+listen (unlink a stale socket first only when nobody answers on it), chmod 0660.
   Returns the fd (SOCK_CLOEXEC|SOCK_NONBLOCK) or -1 with err. */
int ctl_listen(const char *path, struct st_error *err);
/* Peer check with SO_PEERCRED: allowed when peer uid is 0, == owner_uid, or a member of
   group gid (primary or supplementary, read from /proc/<pid>/status Groups: or getgrouplist);
   gid (gid_t)-1 = no group. On refusal err says "permission denied: uid N is not root, the
   daemon's uid or in group G". */
bool ctl_peer_allowed(int fd, uid_t owner_uid, gid_t group_gid, struct st_error *err);

struct ctl_req { const char *cmd; struct json_object *args; /* borrowed, may be NULL */ };
struct ctl_reply;                      /* opaque builder */
void ctl_reply_ok(struct ctl_reply *r, struct json_object *result); /* takes ownership; NULL = {} */
void ctl_reply_error(struct ctl_reply *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Raw text result (e.g. Prometheus text for `metrics`): result becomes a JSON string. */
void ctl_reply_text(struct ctl_reply *r, const char *text);
typedef void ctl_handler_fn(const struct ctl_req *req, struct ctl_reply *reply, void *arg);
struct ctl_command { const char *name; ctl_handler_fn *fn; const char *help; };

/* Serve a listening fd on a libevent base: accept4 (CLOEXEC), peer check (refused peers get
   one {"ok":false,"error":"permission denied: …"} line, then close), bufferevent line framing
   (max line 64 KiB: longer -> error reply + close), parse, dispatch by name over one or more
   command tables (the first match wins; unknown -> "unknown command: X (try: a, b, c)"),
   malformed JSON -> {"ok":false,"error":"malformed request: offset N: …"}; never crashes.
   Handlers run synchronously and must answer exactly once (ok or error); a second answer is
   ignored, none at all becomes an "internal error" reply. The server does not own listen_fd
   (the supervisor keeps it across worker restarts). A client idle for CTL_IDLE_TIMEOUT_S
   (e.g. half a line, then nothing) is dropped. Returns NULL with err on failure. */
struct ctl_server *ctl_server_new(struct event_base *base, int listen_fd,
    uid_t owner_uid, gid_t group_gid, struct st_error *err);
/* cmds must outlive the server (static tables); arg is passed to each handler. */
void ctl_server_add_commands(struct ctl_server *s, const struct ctl_command *cmds, size_t n, void *arg);
/* Change the idle timeout (tests); 0 disables it. */
void ctl_server_set_idle_timeout(struct ctl_server *s, double seconds);
void ctl_server_free(struct ctl_server *s);     /* closes client connections, not listen_fd */
/* Pure core, used by the server and by the fuzzer: handle one request line, return the reply
   line (malloc'd, no newline). s may have no listener (ctl_server_new with base NULL and
   listen_fd -1 makes a dispatch-only server). */
char *ctl_handle_line(struct ctl_server *s, const char *line, size_t len);

/* Client (stewardctl, tests): connect, send one request, read one reply line with a timeout.
   Returns the parsed reply object (caller puts) or NULL with err ("connect PATH: No such file
   or directory (is steward running? set -s or STEWARD_SOCKET)", "connect PATH: Permission
   denied (are you in group G?)" with the socket's group, "PATH: timed out after N s waiting
   for a reply").
   args may be NULL (omitted); borrowed. A reply is any JSON object; the caller checks "ok". */
struct json_object *ctl_call(const char *path, const char *cmd, struct json_object *args,
    double timeout_s, struct st_error *err);

#endif
