/*
 * digest.c -- SHA-256 through OpenSSL's EVP interface (one of the two files that
 * may include OpenSSL; hmac.c is the other). Owns nothing beyond each call.
 * Tests: tests/unit/t_digest.c
 */
#include "config.h"
#include "digest.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

static void
digest_hex(const unsigned char *md, unsigned len, char *out)
{
    static const char hex[] = "0123456789abcdef";

    for (unsigned i = 0; i < len; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * len] = '\0';
}

/* Feed fd (or buf when fd is -1) through SHA-256. */
static int
digest_run(int fd, const void *buf, size_t len, char *out, const char *what,
    struct st_error *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char md[EVP_MAX_MD_SIZE], chunk[65536];
    unsigned mdlen = 0;
    int rc = -1;

    if (ctx == NULL || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
        st_error_set(err, "sha256 of %s: cannot initialise digest", what);
        goto out;
    }
    if (fd == -1) {
        if (EVP_DigestUpdate(ctx, buf, len) != 1)
            goto fail_update;
    } else {
        ssize_t n;
        while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                st_error_set(err, "read %s: %s", what, strerror(errno));
                goto out;
            }
            if (EVP_DigestUpdate(ctx, chunk, (size_t)n) != 1)
                goto fail_update;
        }
    }
    if (EVP_DigestFinal_ex(ctx, md, &mdlen) != 1)
        goto fail_update;
    digest_hex(md, mdlen, out);
    rc = 0;
    goto out;
fail_update:
    st_error_set(err, "sha256 of %s: digest failed", what);
out:
    EVP_MD_CTX_free(ctx);
    return rc;
}

/* See digest.h. */
int
digest_sha256_hex(const void *buf, size_t len, char out[DIGEST_SHA256_HEXLEN],
    struct st_error *err)
{
    return digest_run(-1, buf, len, out, "buffer", err);
}

/* See digest.h. */
int
digest_sha256_file(const char *path, char out[DIGEST_SHA256_HEXLEN], struct st_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    int rc;

    if (fd == -1) {
        st_error_set(err, "open %s: %s", path, strerror(errno));
        return -1;
    }
    rc = digest_run(fd, NULL, 0, out, path, err);
    (void)close(fd);
    return rc;
}
