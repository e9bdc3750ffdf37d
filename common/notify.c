/*
 * notify.c -- sd_notify by hand: datagrams to the socket named by NOTIFY_SOCKET.
 * Owns the sending socket. Does not read the environment (the caller passes the
 * values) and does not decide what to send (supervisor/sup.c does).
 * Tests: tests/unit/t_notify.c, tests/integration/t_sup_shutdown.sh
 */
#include "config.h"
#include "notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

struct notify {
    int fd;                     /* -1 when disabled */
    struct sockaddr_un sa;
    socklen_t salen;
};

struct notify *
notify_open(const char *path, struct st_error *err)
{
    struct notify *n = st_xcalloc(1, sizeof(*n));
    size_t len;

    n->fd = -1;
    if (path == NULL || path[0] == '\0')
        return n;
    len = strlen(path);
    if (path[0] != '/' && path[0] != '@') {
        st_error_set(err, "NOTIFY_SOCKET %s: not an absolute path nor an abstract socket", path);
        goto fail;
    }
    if (len >= sizeof(n->sa.sun_path)) {
        st_error_set(err, "NOTIFY_SOCKET %s: path too long", path);
        goto fail;
    }
    n->sa.sun_family = AF_UNIX;
    memcpy(n->sa.sun_path, path, len);
    if (path[0] == '@')
        n->sa.sun_path[0] = '\0';   /* abstract namespace: no terminating NUL counted */
    n->salen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len + (path[0] == '/'));
    n->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (n->fd == -1) {
        st_error_set(err, "NOTIFY_SOCKET %s: socket: %s", path, strerror(errno));
        goto fail;
    }
    return n;
fail:
    free(n);
    return NULL;
}

int
notify_enabled(const struct notify *n)
{
    return n != NULL && n->fd != -1;
}

int
notify_send(struct notify *n, const char *msg, struct st_error *err)
{
    ssize_t w;

    if (!notify_enabled(n))
        return 0;
    do
        w = sendto(n->fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&n->sa, n->salen);
    while (w == -1 && errno == EINTR);
    if (w == -1) {
        st_error_set(err, "notify %s: %s", n->sa.sun_path[0] ? n->sa.sun_path : "@abstract",
            strerror(errno));
        return -1;
    }
    return 0;
}

void
notify_close(struct notify *n)
{
    if (n == NULL)
        return;
    if (n->fd != -1)
        close(n->fd);
    free(n);
}

int64_t
notify_watchdog_usec(const char *usec, const char *wpid, long pid)
{
    char *end;
    long long v;

    if (usec == NULL || usec[0] == '\0')
        return 0;
    if (wpid != NULL && wpid[0] != '\0') {
        errno = 0;
        long p = strtol(wpid, &end, 10);
        if (errno != 0 || *end != '\0' || p != pid)
            return 0;
    }
    errno = 0;
    v = strtoll(usec, &end, 10);
    if (errno != 0 || *end != '\0' || v <= 0)
        return 0;
    return (int64_t)v;
}
