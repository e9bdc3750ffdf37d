/*
 * listen.c -- the supervisor's listening sockets: the unix control sockets (steward's and
 * each native instance's, group-owned for control_group) and the TCP sockets of native
 * workers' `listen` settings: socket(), bind(), listen(), nothing more (no protocol: the
 * worker or ctl.c accepts). Owns address splitting and the socket options. Keeping the fd per instance and across restarts is
 * instance.c's; passing it to the child (worker_ctx.listen_fd) spawn.c's.
 * count > 1: every instance gets its own socket with SO_REUSEPORT on the same address
 * (the kernel spreads connections; each instance's backlog holds its share while it
 * restarts) rather than one shared fd, so that an instance restarts, fails or is removed
 * without touching its siblings' sockets.
 * Tests: tests/unit/t_listen.c, tests/integration/t_sup_listen.sh, t_sup_ctl.sh
 */
#include "config.h"
#include "listen.h"

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctl.h"
#include "log.h"
#include "sup.h"


int
listen_split(const char *addr, char *host, size_t hostsize, char *port, size_t portsize)
{
    const char *colon, *h = addr;
    size_t hlen, plen;

    if (addr[0] == '[') {
        const char *rb = strchr(addr, ']');
        if (rb == NULL || rb[1] != ':')
            return -1;
        h = addr + 1;
        hlen = (size_t)(rb - h);
        colon = rb + 1;
    } else {
        if ((colon = strrchr(addr, ':')) == NULL)
            return -1;
        hlen = (size_t)(colon - addr);
        if (memchr(addr, ':', hlen) != NULL)
            return -1;              /* a bare IPv6 address needs brackets */
    }
    if (colon[1] == '\0' || strspn(colon + 1, "0123456789") != strlen(colon + 1))
        return -1;
    if (hlen == 0) {
        h = LISTEN_DEFAULT_HOST;
        hlen = strlen(h);
    }
    plen = strlen(colon + 1);
    if (hlen >= hostsize || plen >= portsize)
        return -1;
    memcpy(host, h, hlen);
    host[hlen] = '\0';
    memcpy(port, colon + 1, plen + 1);
    return 0;
}

static int
listen_bind(const struct addrinfo *ai, bool shared, int *errnum)
{
    int one = 1, fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);

    if (fd == -1) {
        *errnum = errno;
        return -1;
    }
    (void)setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if ((shared && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof(one)) == -1)
        || bind(fd, ai->ai_addr, ai->ai_addrlen) == -1 || listen(fd, LISTEN_BACKLOG) == -1) {
        *errnum = errno;
        close(fd);
        return -1;
    }
    return fd;
}

int
listen_open(const char *addr, const char *name, bool shared, struct st_error *err)
{
    struct addrinfo hints, *res = NULL;
    char host[256], port[16];
    int rc, fd = -1, errnum = 0;

    if (listen_split(addr, host, sizeof(host), port, sizeof(port)) == -1) {
        st_error_set(err, "listen %s for %s: not HOST:PORT", addr, name);
        return -1;
    }
    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
    if ((rc = getaddrinfo(host, port, &hints, &res)) != 0) {
        st_error_set(err, "listen %s for %s: %s", addr, name, gai_strerror(rc));
        return -1;
    }
    for (const struct addrinfo *ai = res; ai != NULL && fd == -1; ai = ai->ai_next)
        fd = listen_bind(ai, shared, &errnum);
    freeaddrinfo(res);
    if (fd == -1)
        st_error_set(err, "listen %s for %s: %s", addr, name, strerror(errnum));
    return fd;
}

int
sup_listen(struct sup *s, const char *path, struct st_error *err)
{
    int fd = ctl_listen(path, err);

    if (fd == -1 || s->group_gid == (gid_t)-1)
        return fd;
    /* Not fatal: a daemon user outside the group cannot give the socket to it (EPERM). */
    if (chown(path, (uid_t)-1, s->group_gid) == -1)
        log_warn("control socket not in the control group, its members cannot connect",
            LF_STR("socket", path), LF_INT("gid", (int64_t)s->group_gid),
            LF_STR("error", strerror(errno)));
    return fd;
}
