/*
 * fuzz_cfg.c -- libFuzzer target: any bytes as configuration text through
 * cfg_load_string (no files, @include refused). Invariants: a NULL result always
 * comes with at least one "name:..." message, a cfg never comes with messages,
 * every message starts with the name, and a loaded cfg holds the invariants the
 * supervisor relies on (platform first in sets, counts >= 1, resolved limits).
 */
#include "config.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cfg.h"
#include "log.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/*
 * libconfig 1.5's parser has no bison %destructor: on a syntax error right after a
 * string token it drops that token's buffer (allocated in its strbuf_append). That
 * leak is libconfig's, a few bytes per rejected file, so leaks allocated inside
 * libconfig are suppressed; every leak of our own code is still reported.
 */
const char *
__lsan_default_suppressions(void)
{
    return "leak:libconfig.so\n";
}

static void
fuzz_check_cfg(const struct cfg *c)
{
    assert(c->database.nsets >= 1 && strcmp(c->database.sets[0], "platform") == 0);
    assert(c->steward.run_dir != NULL && c->steward.log_level != NULL);
    for (size_t i = 0; i < c->nworkers; i++) {
        const struct cfg_worker *w = &c->workers[i];
        assert(w->name != NULL && w->kind != NULL && w->count >= 1);
        assert(w->start_limit_burst >= 1 && w->stable_s >= 0);
        assert(cfg_find_worker(c, w->name) == w);
        assert(cfg_worker_equal(c, w, c, w));
        if (strcmp(w->kind, "exec") == 0)
            assert(w->ncommand >= 1 && w->command[0] != NULL);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct cfg_diag diag = CFG_DIAG_INIT;
    char *text = st_xmalloc(size + 1);
    struct cfg *c;

    memcpy(text, data, size);
    text[size] = '\0';
    c = cfg_load_string(text, "fuzz.conf", &diag);
    if (c == NULL) {
        assert(diag.n >= 1);
        for (size_t i = 0; i < diag.n; i++)
            assert(strncmp(diag.msgs[i], "fuzz.conf", 9) == 0);
    } else {
        assert(diag.n == 0);
        fuzz_check_cfg(c);
    }
    cfg_free(c);
    cfg_diag_free(&diag);
    log_clear_secrets();
    free(text);
    return 0;
}
