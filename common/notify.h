/*
 * notify.h -- the systemd notification protocol (sd_notify), written by hand:
 * one datagram per message to $NOTIFY_SOCKET ("/path" or "@abstract"), no libsystemd.
 *
 *   struct notify *n = notify_open(getenv("NOTIFY_SOCKET"), &err);  // NULL path: no-op
 *   notify_send(n, "READY=1\nSTATUS=3 workers running", &err);
 */
#ifndef STEWARD_NOTIFY_H
#define STEWARD_NOTIFY_H

#include <stdint.h>

#include "util.h"

struct notify;

/*
 * Prepare a sender for socket path (as found in NOTIFY_SOCKET). A NULL or empty path
 * gives a sender whose sends do nothing (not under systemd). Returns NULL with err
 * set when the path is unusable (too long, not absolute nor abstract, socket failed).
 * The socket is close-on-exec. Free with notify_close.
 */
struct notify *notify_open(const char *path, struct st_error *err);
/* Send one message ("READY=1", "STATUS=...", several joined by '\n'). 0 or -1 with err. */
int notify_send(struct notify *n, const char *msg, struct st_error *err);
/* True when notify_open got a real socket path. */
int notify_enabled(const struct notify *n);
void notify_close(struct notify *n);

/*
 * Watchdog interval from WATCHDOG_USEC / WATCHDOG_PID values (as strings, NULL when
 * unset): microseconds, or 0 when no watchdog applies to process pid.
 */
int64_t notify_watchdog_usec(const char *usec, const char *wpid, long pid);

#endif
