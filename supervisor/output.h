/*
 * output.h -- exec output capture: the program's stdout/stderr, read from its pipe, cut
 * into lines (split above OUTPUT_LINE_MAX bytes at a UTF-8 boundary), cleaned to valid
 * UTF-8 and logged as one record per line. Supervisor-private (supervisor/ only).
 */
#ifndef STEWARD_OUTPUT_H
#define STEWARD_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>

#include <event2/util.h>

#include "util.h"

#define OUTPUT_LINE_MAX 3000        /* exec output lines are split above this */

struct instance;

/* Append s (len bytes) to b as strict UTF-8 (RFC 3629) without NUL: every byte that does
   not start a well-formed character becomes U+FFFD (EF BF BD). */
void output_utf8_clean(struct st_buf *b, const char *s, size_t len);

/* Receives one line (no '\n'; a '\r' before it is kept); truncated when the line was
   split (this piece or an earlier one of the same line was cut at max bytes). */
typedef void output_emit_fn(void *arg, const char *line, size_t len, bool truncated);

/* Emit the complete lines of acc and remove them; with eof also the partial rest.
   *split carries "the current line was already cut" between calls. Pure but for emit. */
void output_lines(struct st_buf *acc, bool *split, bool eof, size_t max, output_emit_fn *emit,
    void *arg);

/* libevent callback on in->out_fd (arg is the instance): read, log records. */
void output_on_readable(evutil_socket_t fd, short what, void *arg);

#endif
