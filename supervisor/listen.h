/*
 * listen.h -- inherited listeners: the TCP listening socket the supervisor creates for a
 * native worker entry's `listen = "HOST:PORT"` and keeps across the worker's restarts
 * (connections wait in the backlog while the process is replaced).
 * Supervisor-private (supervisor/ only).
 */
#ifndef STEWARD_LISTEN_H
#define STEWARD_LISTEN_H

#include <stdbool.h>
#include <stddef.h>

#include "util.h"

#define LISTEN_BACKLOG 511
#define LISTEN_DEFAULT_HOST "127.0.0.1"

/* Split "host:port" or "[v6]:port" into host (default LISTEN_DEFAULT_HOST when empty)
   and port. Returns 0, or -1 when malformed. Pure. */
int listen_split(const char *addr, char *host, size_t hostsize, char *port, size_t portsize);

/*
 * A listening TCP socket on addr for instance name (close-on-exec; the child keeps it by
 * being told its number). shared: SO_REUSEPORT, for the instances of an entry with
 * count > 1, each of which has its own socket on the same address. Returns the fd, or -1
 * with err "listen ADDR for NAME: REASON".
 */
int listen_open(const char *addr, const char *name, bool shared, struct st_error *err);

#endif
