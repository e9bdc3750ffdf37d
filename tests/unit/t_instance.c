/* t_instance.c -- instance operations that need no process: the RELOAD message a
   reloadable change sends over a native worker's channel, and when it cannot be sent.
   spawn.c is stubbed. */
#include "config.h"

#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "proc.h"
#include "sup.h"
#include "tap.h"
#include "worker.h"

pid_t
spawn_instance(struct sup *s, struct instance *in, struct spawn_result *res,
    struct st_error *err)
{
    (void)s;
    (void)in;
    (void)res;
    st_error_set(err, "no spawning in this test");
    return -1;
}

static const char DIGEST[] = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

static void
test_reload_message(void)
{
    struct cfg_worker w = { .name = "t", .kind = "transformer", .count = 1 }, w2 = w;
    struct instance *in = proc_new("t", "t", 1, &w, true);
    struct st_error err = ST_ERROR_INIT;
    struct sup s = { .generation = 1 };
    char buf[WORKER_MSG_MAX + 1];
    int sp[2];
    ssize_t n;

    ok(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sp) == 0, "socketpair");
    is_int(sup_instance_reload(&s, in, &w2, 2, DIGEST, &err), -1, "no process: refused");
    is_str(err.msg, "no running native process", "why");
    proc_spawned(in, 4242, 0);
    (void)proc_ready(in, 1);
    in->sp_fd = sp[0];
    is_int(sup_instance_reload(&s, in, &w2, 4294967295U, DIGEST, &err), 0, "running: sent");
    n = recv(sp[1], buf, WORKER_MSG_MAX, MSG_DONTWAIT);
    buf[n > 0 ? n : 0] = '\0';
    is_str(buf, "RELOAD 4294967295 " "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "one datagram: RELOAD <generation> <digest>, the longest fits WORKER_MSG_MAX");
    ok(in->wcfg == &w2, "the instance follows the new entry");
    ok(in->pid == 4242 && in->state == PROC_RUNNING, "and keeps its process");
    close(sp[1]);
    is_int(sup_instance_reload(&s, in, &w, 3, DIGEST, &err), -1, "closed channel: refused");
    like(err.msg, "send RELOAD: ", "the send error is given");
    close(sp[0]);
    in->sp_fd = -1;
    in->native = false;
    is_int(sup_instance_reload(&s, in, &w, 3, DIGEST, &err), -1, "exec: refused");
    proc_free(in);
}

int
main(void)
{
    test_reload_message();
    return done_testing();
}
