/*
 * t_cfg_src.c -- the configuration's source files before libconfig: @include paths
 * (absolute, relative to the including file, nested, inside a group), the line map,
 * the pre-scan of included files, size caps, and permission checks.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cfg_src.h"
#include "tap.h"
#include "util.h"

static char dir[64];

static void
bail_out(const char *what, const char *arg)
{
    printf("Bail out! %s %s\n", what, arg);
    exit(1);
}

/* Write dir/name with text and mode; returns the path (static buffer). */
static const char *
put(const char *name, const char *text, mode_t mode)
{
    static char path[256];
    int fd;

    (void)snprintf(path, sizeof(path), "%s/%s", dir, name);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd == -1 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
        bail_out("cannot write", path);
    (void)fchmod(fd, mode);
    (void)close(fd);
    return path;
}

static char *
path_of(const char *name)
{
    return st_xasprintf("%s/%s", dir, name);
}

/* The errors of reading dir/name, joined by '\n' ("" when it read). */
static char *
errors_of(const char *name, unsigned flags)
{
    struct cfg_src src = CFG_SRC_INIT;
    struct st_buf b = ST_BUF_INIT;
    char *p = path_of(name);

    st_buf_puts(&b, "");
    if (cfg_src_file(&src, p, flags) != src.nerrors || (src.nerrors == 0) != (src.text != NULL))
        st_buf_puts(&b, "(result and errors disagree)");
    for (size_t i = 0; i < src.nerrors; i++)
        st_buf_printf(&b, "%s%s", i ? "\n" : "", src.errors[i]);
    cfg_src_free(&src);
    free(p);
    return st_buf_steal(&b);
}

static void
expect_errors(const char *name, unsigned flags, const char *want, const char *what)
{
    char *got = errors_of(name, flags), *w = st_xstrdup(want);
    char *d;

    /* want says "@/" for the test directory */
    while ((d = strstr(w, "@/")) != NULL) {
        char *n = st_xasprintf("%.*s%s/%s", (int)(d - w), w, dir, d + 2);
        free(w);
        w = n;
    }
    is_str(got, w, what);
    free(got);
    free(w);
}

/* Where combined line `line` of src comes from, as "name:line" (name relative to dir). */
static char *
where(const struct cfg_src *src, int line)
{
    int fl;
    const char *f = cfg_src_where(src, line, &fl);
    size_t n = strlen(dir);

    if (strncmp(f, dir, n) == 0 && f[n] == '/')
        f += n + 1;
    return st_xasprintf("%s:%d", f, fl);
}

/* The combined line holding text. */
static int
line_of(const char *text, const char *what)
{
    const char *p = strstr(text, what);
    int line = 1;

    for (const char *q = text; p != NULL && q < p; q++)
        line += *q == '\n';
    return p != NULL ? line : -1;
}

static void
where_is(const struct cfg_src *src, const char *what, const char *want, const char *name)
{
    char *got = where(src, line_of(src->text, what));

    is_str(got, want, name);
    free(got);
}

static void
test_includes_resolve_against_the_including_file(void)
{
    struct cfg_src src = CFG_SRC_INIT;
    char *main_path = path_of("main.conf"), *abs = path_of("abs.conf"), *text;

    text = st_xasprintf("a = 1;\n@include \"%s\"\ndatabase = {\n  @include \"sub/db.conf\"\n};\n"
        "z = 26;\n", abs);
    put("abs.conf", "b = 2;\n", 0644);
    {
        char *sub = path_of("sub");
        (void)mkdir(sub, 0755);
        free(sub);
    }
    put("sub/db.conf", "url = \"x\";\n@include \"nested.conf\"\n", 0644);
    put("sub/nested.conf", "pool_size = 3;", 0644);
    put("main.conf", text, 0644);
    is_int((long long)cfg_src_file(&src, main_path, 0), 0, "absolute, relative, nested: no errors");
    ok(src.text != NULL && strstr(src.text, "b = 2;") != NULL, "an absolute @include is read as written");
    ok(src.text != NULL && strstr(src.text, "pool_size = 3;") != NULL,
        "a nested relative @include resolves against the including file's directory");
    ok(src.text != NULL && strstr(src.text, "@include") == NULL, "no @include left for libconfig");
    if (src.text != NULL) {
        where_is(&src, "a = 1", "main.conf:1", "main file line");
        where_is(&src, "b = 2", "abs.conf:1", "absolute include's line");
        where_is(&src, "database", "main.conf:3", "main file after an include");
        where_is(&src, "url", "sub/db.conf:1", "include inside a group");
        where_is(&src, "pool_size", "sub/nested.conf:1", "nested include");
        where_is(&src, "};", "main.conf:5", "back in the group after the includes");
        where_is(&src, "z = 26", "main.conf:6", "after the group");
    }
    is_int((long long)src.nfiles, 4, "four files recorded");
    cfg_src_free(&src);
    free(main_path);
    free(abs);
    free(text);
}

static void
test_included_file_is_pre_scanned(void)
{
    put("m1.conf", "a = 1;\n@include \"big.inc\"\n", 0644);
    put("big.inc", "x = 1;\npool_size = 4294967297;\n", 0644);
    expect_errors("m1.conf", 0, "@/big.inc:2: integer 4294967297 does not fit in 32 bits (write "
        "4294967297L, or a size such as \"10G\")", "an out-of-range integer in an include, "
        "with the included FILE:LINE");
    put("m2.conf", "a = 1;\n@include \"open.inc\"\n", 0644);
    put("open.inc", "x = 1;\ny = \"abc;\nz = 2;\n", 0644);
    expect_errors("m2.conf", 0, "@/open.inc:2: unterminated string (a '\"' is missing)",
        "an unterminated string in an include is refused before libconfig");
    put("m3.conf", "/* open\n a = 1;\n", 0644);
    expect_errors("m3.conf", 0, "@/m3.conf:1: unterminated comment (a '*/' is missing)",
        "an unterminated comment");
}

static void
test_include_errors(void)
{
    put("m4.conf", "a = 1;\n@include \"nope.conf\"\n", 0644);
    expect_errors("m4.conf", 0, "@/m4.conf:2: cannot open include file \"@/nope.conf\"",
        "a missing include: at the including line");
    put("loop.conf", "a = 1;\n@include \"loop.conf\"\n", 0644);
    expect_errors("loop.conf", 0, "@/loop.conf:2: @include nested more than 10 deep (an include "
        "cycle?)", "an include cycle stops");
    put("m5.conf", "a = 1;\n@include \"x.conf\n", 0644);
    expect_errors("m5.conf", 0, "@/m5.conf:2: unterminated @include file name",
        "an unterminated include name");
}

static void
test_string_without_include_support(void)
{
    struct cfg_src src = CFG_SRC_INIT;

    is_int((long long)cfg_src_string(&src, "a = 1;\n  @include \"/etc/passwd\"\n", "t.conf"), 1,
        "text without a file: @include refused");
    is_str(src.nerrors ? src.errors[0] : "", "t.conf:2: @include is not available here "
        "(configuration text without a file)", "the message");
    cfg_src_free(&src);
    is_int((long long)cfg_src_string(&src, "a = \"@include \\\"x\\\"\";\n# @include \"y\"\n",
        "t.conf"), 0, "@include inside a string or a comment is just text");
    cfg_src_free(&src);
}

static void
test_long_string_refused_fast(void)
{
    size_t n = 2u << 20;
    char *text = st_xmalloc(n + 64);
    struct timespec t0, t1;
    double s;

    memcpy(text, "a = 1;\nb = \"", 12);
    memset(text + 12, 'x', n);
    memcpy(text + 12 + n, "\";\n", 4);
    put("long.conf", text, 0644);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    expect_errors("long.conf", 0, "@/long.conf:2: a string of 2097152 bytes, more than the 1 MiB "
        "a value may have", "a 2 MiB string is refused with FILE:LINE");
    clock_gettime(CLOCK_MONOTONIC, &t1);
    s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    printf("# refused in %.3f s\n", s);
    ok(s < 0.5, "in well under a second");
    free(text);
}

static void
test_big_and_binary_files_refused(void)
{
    char *p = path_of("huge.conf");
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);

    ok(fd != -1 && ftruncate(fd, (off_t)CFG_SRC_MAX_FILE + 1) == 0, "a 16 MiB + 1 file");
    (void)close(fd);
    expect_errors("huge.conf", 0, "@/huge.conf: 16777217 bytes, more than the 16 MiB a "
        "configuration file may have", "too big a file is refused unread");
    free(p);
    p = path_of("nul.conf");
    fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ok(fd != -1 && write(fd, "a = 1;\nb\0 = 2;\n", 15) == 15, "a file with a NUL");
    (void)close(fd);
    expect_errors("nul.conf", 0, "@/nul.conf:2: a NUL byte (this is not a text file)",
        "a NUL byte is refused");
    free(p);
}

static void
test_writable_files_refused(void)
{
    struct cfg_src src = CFG_SRC_INIT;
    char *p = path_of("ww.conf"), *msg;

    put("ww.conf", "a = 1;\n", 0666);
    expect_errors("ww.conf", 0, "@/ww.conf: writable by group and others, and steward runs the "
        "commands it configures (run chmod go-w @/ww.conf)", "a world-writable config is refused");
    put("gw.conf", "a = 1;\n", 0664);
    expect_errors("gw.conf", 0, "@/gw.conf: writable by group, and steward runs the commands it "
        "configures (run chmod go-w @/gw.conf)", "a group-writable config is refused");
    put("m6.conf", "a = 1;\n@include \"ww.conf\"\n", 0644);
    expect_errors("m6.conf", 0, "@/ww.conf: writable by group and others, and steward runs the "
        "commands it configures (run chmod go-w @/ww.conf)", "a world-writable include is refused");
    is_int((long long)cfg_src_file(&src, p, CFG_SRC_INSECURE), 0, "--insecure-config lets it through");
    is_int((long long)src.nwarnings, 1, "with one warning");
    like(src.nwarnings ? src.warnings[0] : "", "accepted because of --insecure-config",
        "the warning says why");
    cfg_src_free(&src);
    is_int(cfg_src_check_perms(p, 0, &msg), 1, "a world-writable .env: an error");
    like(msg, "run chmod go-w ", "with the fix");
    free(msg);
    is_int(cfg_src_check_perms(p, CFG_SRC_INSECURE, &msg), 2, "insecure: a warning");
    free(msg);
    free(p);
    p = path_of("no-such.env");
    is_int(cfg_src_check_perms(p, 0, &msg), 0, "a missing .env is fine");
    ok(msg == NULL, "without a message");
    free(p);
    if (geteuid() == 0) {
        p = path_of("other.conf");
        put("other.conf", "a = 1;\n", 0644);
        ok(chown(p, 4242, 4242) == 0, "chown to another user");
        expect_errors("other.conf", 0, "@/other.conf: owned by uid 4242, neither root nor the user "
            "running steward (uid 0) (run chown 0 @/other.conf)", "another user's file is refused");
        free(p);
    } else {
        skip(2, "not root: cannot give a file away");
    }
    put("ok.conf", "a = 1;\n", 0644);
    expect_errors("ok.conf", 0, "", "a 0644 file of ours is fine");
}

static void
escape_is(const char *in, const char *want, const char *name)
{
    char *got = cfg_src_utf8_escape(in);

    is_str(got, want, name);
    free(got);
}

static void
test_invalid_utf8_is_escaped(void)
{
    escape_is("plain \"text\"", "plain \"text\"", "ASCII unchanged");
    escape_is("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x99\x82",
        "valid UTF-8 unchanged");
    escape_is("bad \xff\xfe end", "bad \\xff\\xfe end", "invalid bytes as \\xNN");
    escape_is("cut \xc3", "cut \\xc3", "a truncated sequence");
    escape_is("\xc0\xaf \xed\xa0\x80", "\\xc0\\xaf \\xed\\xa0\\x80", "overlong form and surrogate");
}

int
main(void)
{
    (void)snprintf(dir, sizeof(dir), "/tmp/t_cfg_src.XXXXXX");
    if (mkdtemp(dir) == NULL)
        bail_out("mkdtemp", dir);
    test_includes_resolve_against_the_including_file();
    test_included_file_is_pre_scanned();
    test_include_errors();
    test_string_without_include_support();
    test_long_string_refused_fast();
    test_big_and_binary_files_refused();
    test_writable_files_refused();
    test_invalid_utf8_is_escaped();
    {
        char *cmd = st_xasprintf("rm -rf '%s'", dir);
        (void)!system(cmd);
        free(cmd);
    }
    return done_testing();
}
