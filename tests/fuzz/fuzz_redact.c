/*
 * fuzz_redact.c -- libFuzzer target over log's redaction: any bytes through
 * log_redact_url, log_scrub, log_mask_secrets and the log_url_password scanner. The
 * input's first line (up to '\n') is registered as a secret, the rest is the text.
 * Invariants: no read past the NUL (ASan), spans in order inside the text and never
 * empty, and a registered secret of at least LOG_SECRET_ANYWHERE bytes without '*'
 * never survives any of the three maskings.
 */
#include "config.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_check_spans(const char *text)
{
    size_t pos = 0, prev_end = 0, off, len, n = strlen(text);

    while (log_url_password(text, &pos, &off, &len)) {
        assert(len > 0 && off >= prev_end && off + len <= n && pos >= off + len && pos <= n);
        prev_end = off + len;
    }
    assert(pos == n);
}

static void
fuzz_check_masked(char *out, const char *secret)
{
    if (strlen(secret) >= LOG_SECRET_ANYWHERE && strchr(secret, '*') == NULL)
        assert(strstr(out, secret) == NULL);
    free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = st_xmalloc(size + 1), *nl, *text;

    memcpy(buf, data, size);
    buf[size] = '\0';
    nl = strchr(buf, '\n');
    text = nl != NULL ? nl + 1 : buf;
    if (nl != NULL) {
        *nl = '\0';
        log_add_secret(buf);
    }
    fuzz_check_spans(text);
    fuzz_check_masked(log_redact_url(text), nl != NULL ? buf : "");
    fuzz_check_masked(log_scrub(text), nl != NULL ? buf : "");
    fuzz_check_masked(log_mask_secrets(text), nl != NULL ? buf : "");
    log_clear_secrets();
    free(buf);
    return 0;
}
