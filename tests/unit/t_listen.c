/* t_listen.c -- inherited listeners: address splitting, bind errors named, SO_REUSEPORT
   for count > 1. */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen.h"
#include "tap.h"

static void
test_split(void)
{
    char h[64], p[16];

    is_int(listen_split("127.0.0.1:8088", h, sizeof(h), p, sizeof(p)), 0, "host:port");
    is_str(h, "127.0.0.1", "host");
    is_str(p, "8088", "port");
    is_int(listen_split("[::1]:9000", h, sizeof(h), p, sizeof(p)), 0, "[v6]:port");
    is_str(h, "::1", "v6 host without brackets");
    is_int(listen_split(":9000", h, sizeof(h), p, sizeof(p)), 0, ":port");
    is_str(h, LISTEN_DEFAULT_HOST, "default host 127.0.0.1");
    is_int(listen_split("8088", h, sizeof(h), p, sizeof(p)), -1, "no colon");
    is_int(listen_split("::1:80", h, sizeof(h), p, sizeof(p)), -1, "bare v6 refused");
    is_int(listen_split("h:8x", h, sizeof(h), p, sizeof(p)), -1, "port not a number");
    is_int(listen_split("h:", h, sizeof(h), p, sizeof(p)), -1, "empty port");
}

static int
bound_port(int fd)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);

    if (getsockname(fd, (struct sockaddr *)&sa, &len) == -1)
        return -1;
    return ntohs(sa.sin_port);
}

static void
test_open_and_errors(void)
{
    struct st_error err = ST_ERROR_INIT;
    char addr[64], want[128];
    int fd = listen_open("127.0.0.1:0", "w", false, &err), fd2, a, b;

    ok(fd != -1, "listen on an ephemeral port");
    (void)snprintf(addr, sizeof(addr), "127.0.0.1:%d", bound_port(fd));
    fd2 = listen_open(addr, "events", false, &err);
    is_int(fd2, -1, "second bind on the same address fails");
    (void)snprintf(want, sizeof(want), "listen %s for events: Address already in use", addr);
    is_str(err.msg, want, "the error names the address and the worker");
    close(fd);
    err.msg[0] = '\0';
    a = listen_open("127.0.0.1:0", "w.1", true, &err);
    (void)snprintf(addr, sizeof(addr), "127.0.0.1:%d", bound_port(a));
    b = listen_open(addr, "w.2", true, &err);
    ok(a != -1 && b != -1, "count > 1: SO_REUSEPORT lets each instance bind the address");
    close(a);
    if (b != -1)
        close(b);
    is_int(listen_open("8088", "w", false, &err), -1, "malformed address fails");
    is_str(err.msg, "listen 8088 for w: not HOST:PORT", "named too");
}

int
main(void)
{
    test_split();
    test_open_and_errors();
    return done_testing();
}
