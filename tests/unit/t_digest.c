/* t_digest.c -- SHA-256 hex of buffers and files against known vectors. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "digest.h"
#include "tap.h"

static void
test_known_vectors(void)
{
    struct st_error err = ST_ERROR_INIT;
    char hex[DIGEST_SHA256_HEXLEN];

    ok(digest_sha256_hex("", 0, hex, &err) == 0, "empty buffer");
    is_str(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        "sha256 of the empty string");
    (void)digest_sha256_hex("abc", 3, hex, &err);
    is_str(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
        "sha256 of abc");
}

static void
test_file_matches_buffer(void)
{
    struct st_error err = ST_ERROR_INIT;
    char path[] = "/tmp/t_digest.XXXXXX", a[DIGEST_SHA256_HEXLEN], b[DIGEST_SHA256_HEXLEN];
    size_t len = 200000;
    char *data = malloc(len);
    int fd = mkstemp(path);

    for (size_t i = 0; i < len; i++)
        data[i] = (char)(i * 7 + 3);
    ok(fd >= 0 && write(fd, data, len) == (ssize_t)len, "temp file written");
    close(fd);
    (void)digest_sha256_hex(data, len, a, &err);
    ok(digest_sha256_file(path, b, &err) == 0, "file digest (several read chunks)");
    is_str(b, a, "file digest equals buffer digest");
    unlink(path);
    free(data);
}

static void
test_missing_file_is_named(void)
{
    struct st_error err = ST_ERROR_INIT;
    char hex[DIGEST_SHA256_HEXLEN];

    is_int(digest_sha256_file("/nonexistent/x.sql", hex, &err), -1, "missing file fails");
    is_str(err.msg, "open /nonexistent/x.sql: No such file or directory", "error names it");
}

int
main(void)
{
    test_known_vectors();
    test_file_matches_buffer();
    test_missing_file_is_named();
    return done_testing();
}
