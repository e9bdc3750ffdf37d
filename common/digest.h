/*
 * digest.h -- SHA-256 as lowercase hex, of a buffer or a file (migration checksums).
 */
#ifndef STEWARD_DIGEST_H
#define STEWARD_DIGEST_H

#include <stddef.h>

#include "util.h"

#define DIGEST_SHA256_HEXLEN 65     /* 64 hex digits and the NUL */

/* SHA-256 of len bytes at buf into out. Returns 0, or -1 with err set. */
int digest_sha256_hex(const void *buf, size_t len, char out[DIGEST_SHA256_HEXLEN],
    struct st_error *err);

/* SHA-256 of a file's contents. Returns 0, or -1 with err naming the file. */
int digest_sha256_file(const char *path, char out[DIGEST_SHA256_HEXLEN], struct st_error *err);

#endif
