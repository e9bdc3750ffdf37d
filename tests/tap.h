/*
 * tap.h -- a tiny TAP producer for the C unit tests (run by automake's tap-driver).
 *
 *   plan_lazy();  ok(x == 1, "x is one");  is_int(a, b, "...");  is_str(a, b, "...");
 *   return done_testing();
 */
#ifndef STEWARD_TAP_H
#define STEWARD_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int tap_n, tap_failed;

static inline int
tap_ok(int cond, const char *file, int line, const char *name)
{
    tap_n++;
    printf("%sok %d - %s\n", cond ? "" : "not ", tap_n, name);
    if (!cond) {
        tap_failed++;
        printf("#   Failed test '%s'\n#   at %s line %d.\n", name, file, line);
    }
    fflush(stdout);
    return cond;
}

#define ok(cond, name) tap_ok(!!(cond), __FILE__, __LINE__, (name))

#define is_int(got, want, name) do {                                              \
        long long g_ = (long long)(got), w_ = (long long)(want);                 \
        if (!tap_ok(g_ == w_, __FILE__, __LINE__, (name)))                        \
            printf("#          got: %lld\n#     expected: %lld\n", g_, w_);       \
    } while (0)

#define is_str(got, want, name) do {                                              \
        const char *g_ = (got), *w_ = (want);                                     \
        int c_ = (g_ == NULL && w_ == NULL) ||                                    \
                 (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);               \
        if (!tap_ok(c_, __FILE__, __LINE__, (name)))                              \
            printf("#          got: '%s'\n#     expected: '%s'\n",                \
                g_ ? g_ : "(null)", w_ ? w_ : "(null)");                          \
    } while (0)

#define like(got, needle, name) do {                                              \
        const char *g_ = (got), *n_ = (needle);                                   \
        if (!tap_ok(g_ != NULL && strstr(g_, n_) != NULL, __FILE__, __LINE__, (name))) \
            printf("#          got: '%s'\n#   expected to contain: '%s'\n",       \
                g_ ? g_ : "(null)", n_);                                          \
    } while (0)

#define unlike(got, needle, name) do {                                            \
        const char *g_ = (got), *n_ = (needle);                                   \
        if (!tap_ok(g_ != NULL && strstr(g_, n_) == NULL, __FILE__, __LINE__, (name))) \
            printf("#          got: '%s'\n#   expected not to contain: '%s'\n",   \
                g_ ? g_ : "(null)", n_);                                          \
    } while (0)

#define skip(n, why) do {                                                         \
        for (int s_ = 0; s_ < (n); s_++)                                          \
            printf("ok %d # SKIP %s\n", ++tap_n, (why));                          \
    } while (0)

#define diag(...) do { printf("# "); printf(__VA_ARGS__); printf("\n"); } while (0)

static inline int
done_testing(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
