/*
 * cfg_src.h -- the configuration's source text, before libconfig sees it (private to
 * the cfg module).
 *
 * cfg_src_file() reads the main file and every file it @includes, checks each one,
 * and inlines the includes into one text for config_read_string(); a line map turns a
 * line of that text back into "file", line. libconfig 1.5 cannot be trusted with the
 * files themselves: it prepends its include directory to every @include (an absolute
 * path fails), resolves nested includes against the main file's directory, wraps
 * integers over 32 bits, leaks on an unterminated string and lexes a long string in
 * quadratic time. So each file is checked here, with its own FILE:LINE:
 *
 *   - a regular file of at most CFG_SRC_MAX_FILE bytes, without NUL bytes
 *   - not writable by group or others, owned by root or by the user running steward
 *     (like sshd's StrictModes: a root supervisor runs the commands it names);
 *     CFG_SRC_INSECURE turns these refusals into warnings
 *   - no string longer than CFG_SRC_MAX_STRING bytes, no unterminated string or
 *     comment, no integer that libconfig would wrap
 *   - @include "path": an absolute path as written, a relative one against the
 *     including file's directory; at most CFG_SRC_MAX_DEPTH deep
 *
 * Tests: tests/unit/t_cfg_src.c, tests/integration/t_check.sh
 */
#ifndef STEWARD_CFG_SRC_H
#define STEWARD_CFG_SRC_H

#include <stdbool.h>
#include <stddef.h>

#define CFG_SRC_MAX_FILE   (16u * 1024 * 1024)  /* bytes per file */
#define CFG_SRC_MAX_STRING (1u * 1024 * 1024)   /* bytes per string token */
#define CFG_SRC_MAX_DEPTH  10                   /* @include nesting, as libconfig */

#define CFG_SRC_INSECURE   0x01     /* --insecure-config: permission problems only warn */
#define CFG_SRC_NO_INCLUDE 0x02     /* text without a file: @include refused */

struct cfg_src_seg {
    int cline;                  /* first line of the combined text in this segment */
    size_t file;                /* index in files */
    int fline;                  /* its line in that file */
};

struct cfg_src {
    char *text;                 /* the combined text (NUL-terminated) */
    char **files;               /* [0] the main file, then each included one, as shown */
    size_t nfiles;
    struct cfg_src_seg *segs;
    size_t nsegs;
    char **errors;              /* "file:line: message", in the order found */
    size_t nerrors;
    char **warnings;            /* what CFG_SRC_INSECURE let through, same form */
    size_t nwarnings;
};

#define CFG_SRC_INIT { NULL, NULL, 0, NULL, 0, NULL, 0, NULL, 0 }

/* Read path and its includes into src. Returns the number of errors (0: src->text set). */
size_t cfg_src_file(struct cfg_src *src, const char *path, unsigned flags);
/* The same checks over text named name (no file: no permission check, no @include). */
size_t cfg_src_string(struct cfg_src *src, const char *text, const char *name);
/* The file and line of line cline of the combined text (cline <= 0: the main file, 0). */
const char *cfg_src_where(const struct cfg_src *src, int cline, int *fline);
/*
 * The permission rule above for one more file (the .env): 0 when fine; else a
 * "file: ..." message (malloc'd) in *msg, and 1 (an error) or 2 (a warning under
 * CFG_SRC_INSECURE). A missing file is fine (ENOENT).
 */
int cfg_src_check_perms(const char *path, unsigned flags, char **msg);
/* s with every byte that is not part of valid UTF-8 written as \xNN (malloc'd): for
   messages that quote a raw value, so that check output and control replies are UTF-8. */
char *cfg_src_utf8_escape(const char *s);
void cfg_src_free(struct cfg_src *src);

#endif
