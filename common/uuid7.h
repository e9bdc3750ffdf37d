/*
 * uuid7.h -- time-ordered UUIDs (RFC 9562 version 7) for primary keys made in C.
 *
 * Layout: 48-bit Unix time in ms, version 7, 12-bit rand_a used as a counter
 * (RFC 9562 6.2 method 1), variant 10, 62 random bits. Ids made by one process are
 * strictly increasing, also within one millisecond and across a clock step back.
 */
#ifndef STEWARD_UUID7_H
#define STEWARD_UUID7_H

#include <stdint.h>

#include "util.h"

#define UUID7_LEN 16
#define UUID7_STRLEN 37         /* 36 characters and the NUL */

/* A new v7 id in out. Returns 0, or -1 with err set when getrandom() fails. */
int uuid7_new(uint8_t out[UUID7_LEN], struct st_error *err);

/* A new v7 id as lowercase text ("01a234fd-b0f1-73fa-a288-e0314ebc351d"). 0 or -1. */
int uuid7_new_str(char out[UUID7_STRLEN], struct st_error *err);

/* Lowercase canonical text of any UUID. */
void uuid7_format(const uint8_t id[UUID7_LEN], char out[UUID7_STRLEN]);

/* Parse canonical text (any version). Returns 0, or -1 with err set when malformed. */
int uuid7_parse(const char *s, uint8_t out[UUID7_LEN], struct st_error *err);

/* The version nibble (7 for ours) and the Unix time in ms stored in a v7 id. */
int uuid7_version(const uint8_t id[UUID7_LEN]);
int64_t uuid7_time_ms(const uint8_t id[UUID7_LEN]);

#endif
