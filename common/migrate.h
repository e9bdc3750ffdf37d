/*
 * migrate.h -- the migration and seed engine behind `steward migrate` and `steward seed`.
 *
 * Sets live in <dir>/<set>/NNNN_name.up.sql and NNNN_name.down.sql; applied ones are
 * rows of ops.schema_migrations(set_name, version, name, checksum, applied_at,
 * duration_ms), checksum being the SHA-256 of the up file. Each migration runs in its
 * own transaction together with its tracking row; up/down/seed run under one
 * PostgreSQL advisory lock, so concurrent runners apply each migration once.
 * A failing file is rolled back whole and reported as "path:LINE: message".
 */
#ifndef STEWARD_MIGRATE_H
#define STEWARD_MIGRATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "db.h"
#include "util.h"

struct mig_opts {
    const char *dir;                /* sql dir (migrations) or seeds dir (seed) */
    const char *const *sets;        /* sets in order (platform first) */
    size_t nsets;
    bool dry_run;                   /* print the plan; change nothing, create nothing */
    bool explicit_set;              /* sets came from --set: a missing seed dir is an error */
    FILE *out;                      /* listings and summaries (stdout) */
    FILE *progress;                 /* per-file progress (stderr); NULL = quiet */
    bool tty;                       /* progress on a terminal: "applying X … 14 ms" */
};

/* Print every migration of the sets with its state. Returns 0, or -1 with err set. */
int mig_status(struct db *db, const struct mig_opts *o, struct st_error *err);

/*
 * Apply pending migrations in order. Refuses (-1, err naming the file) when an applied
 * file changed or vanished. Returns the number applied (or that would be, dry run).
 */
int mig_up(struct db *db, const struct mig_opts *o, struct st_error *err);

/*
 * Revert the last n applied migrations of the sets (newest first) with their down
 * files. Returns the number reverted, or -1 with err set.
 */
int mig_down(struct db *db, const struct mig_opts *o, int n, struct st_error *err);

/*
 * List applied migrations whose up file changed or is missing, one line each on out.
 * Returns how many (0 = all match), or -1 with err set.
 */
int mig_verify(struct db *db, const struct mig_opts *o, struct st_error *err);

/*
 * Run <dir>/<set>/ *.sql in name order, one transaction each (dry run: list them).
 * Returns the number of files, or -1 with err set.
 */
int mig_seed(struct db *db, const struct mig_opts *o, struct st_error *err);

/*
 * The 1-based line of a 1-based character position (UTF-8) in text, as PostgreSQL
 * reports PG_DIAG_STATEMENT_POSITION. Positions past the end give the last line.
 */
int mig_line_of(const char *text, int position);

/*
 * The 1-based line where the index-th (0-based) non-empty statement of a script starts,
 * skipping comments and honouring quotes, dollar quotes and comments; 0 if not found.
 */
int mig_statement_line(const char *text, int index);

/* The line an error recorded in diag (from running text) points at, or 0 when unknown. */
int mig_error_line(const char *text, const struct db_diag *diag, int failed_stmt);

#endif
