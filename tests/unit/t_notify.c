/* t_notify.c -- sd_notify datagrams reach path and abstract sockets; watchdog parsing. */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "notify.h"
#include "tap.h"

/* Bind a datagram socket at path ("@x" = abstract); returns the fd. */
static int
bind_dgram(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    size_t len = strlen(path);
    int fd = socket(AF_UNIX, SOCK_DGRAM, 0);

    memcpy(sa.sun_path, path, len);
    if (path[0] == '@')
        sa.sun_path[0] = '\0';
    if (bind(fd, (struct sockaddr *)&sa, (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len)) == -1)
        return -1;
    return fd;
}

static void
test_message_reaches_path_socket(void)
{
    struct st_error err = ST_ERROR_INIT;
    char path[64], got[64] = "";
    struct notify *n;
    int fd;

    snprintf(path, sizeof(path), "/tmp/t_notify.%ld.sock", (long)getpid());
    (void)unlink(path);
    fd = bind_dgram(path);
    n = notify_open(path, &err);
    ok(n != NULL && notify_enabled(n), "path socket opens");
    is_int(notify_send(n, "READY=1", &err), 0, "send succeeds");
    (void)!recv(fd, got, sizeof(got) - 1, 0);
    is_str(got, "READY=1", "datagram received as sent");
    notify_close(n);
    close(fd);
    unlink(path);
}

static void
test_message_reaches_abstract_socket(void)
{
    struct st_error err = ST_ERROR_INIT;
    char path[64], got[64] = "";
    struct notify *n;
    int fd;

    snprintf(path, sizeof(path), "@t_notify.%ld", (long)getpid());
    fd = bind_dgram(path);
    n = notify_open(path, &err);
    is_int(notify_send(n, "STOPPING=1", &err), 0, "abstract send succeeds");
    (void)!recv(fd, got, sizeof(got) - 1, 0);
    is_str(got, "STOPPING=1", "abstract datagram received");
    notify_close(n);
    close(fd);
}

static void
test_unset_socket_is_a_noop(void)
{
    struct st_error err = ST_ERROR_INIT;
    struct notify *n = notify_open(NULL, &err);

    ok(n != NULL && !notify_enabled(n), "no NOTIFY_SOCKET: disabled sender");
    is_int(notify_send(n, "READY=1", &err), 0, "sending without a socket is fine");
    notify_close(n);
}

static void
test_relative_path_is_refused(void)
{
    struct st_error err = ST_ERROR_INIT;

    ok(notify_open("relative.sock", &err) == NULL, "relative path refused");
    like(err.msg, "not an absolute path", "error names the problem");
}

static void
test_watchdog_usec_only_for_our_pid(void)
{
    is_int(notify_watchdog_usec("30000000", NULL, 42), 30000000, "usec without pid applies");
    is_int(notify_watchdog_usec("30000000", "42", 42), 30000000, "usec for our pid applies");
    is_int(notify_watchdog_usec("30000000", "43", 42), 0, "usec for another pid ignored");
    is_int(notify_watchdog_usec(NULL, NULL, 42), 0, "unset: no watchdog");
    is_int(notify_watchdog_usec("x", NULL, 42), 0, "garbage: no watchdog");
}

int
main(void)
{
    test_message_reaches_path_socket();
    test_message_reaches_abstract_socket();
    test_unset_socket_is_a_noop();
    test_relative_path_is_refused();
    test_watchdog_usec_only_for_our_pid();
    return done_testing();
}
