# schemas2_lib.sh -- helpers for the planner/survey schema tests (sourced after tap.sh).
# Owns: driving `steward migrate` / `steward seed` for one set against one test
# database, and small catalog queries shared by t_schema_planner.sh and
# t_schema_survey.sh. Leaves: the migration runner itself (package db).
#
#   s2_init URL              remember the database; write $T/steward.conf for the runner
#   s2_up SET | s2_down_all SET | s2_seed SET | s2_verify SET    (runner exit status)
#   s2_sql "SQL"             run SQL, print unaligned tuples-only output (and errors)
#   s2_try "SQL"             run SQL expecting failure; print psql's error text

S2_URL=

s2_psql() {
    psql -X -q -v ON_ERROR_STOP=1 "$S2_URL" "$@"
}

s2_init() {
    S2_URL=$1
    printf 'database = { url = "%s"; };\n' "$S2_URL" > "$T/steward.conf"
}

s2_sql() {   # stderr too: a failing query never looks like an empty result
    s2_psql -At -c "$1" 2>&1
}

s2_try() {   # prints the error (stderr) of a statement that must fail; status 1 if it succeeded
    local out
    if out=$(s2_psql -At -c "$1" 2>&1); then
        printf 'unexpectedly succeeded: %s\n' "$out"
        return 1
    fi
    printf '%s\n' "$out"
}

s2_migrate() {   # s2_migrate SET ARGS...
    local set=$1; shift
    "$STEWARD" migrate -c "$T/steward.conf" --sql-dir "$top_srcdir/sql" --set "$set" "$@"
}

s2_up() { s2_migrate "$1" up; }
s2_verify() { s2_migrate "$1" verify; }

s2_down_all() {   # revert every migration of the set (newest first); platform stays
    local n
    n=$(find "$top_srcdir/sql/$1" -name '*.down.sql' | wc -l)
    s2_migrate "$1" down "$n"
}

s2_seed() {
    "$STEWARD" seed -c "$T/steward.conf" --seeds-dir "$top_srcdir/seeds" --set "$1"
}

# s2_applied SET: versions recorded in ops.schema_migrations for the set, space-separated.
s2_applied() {
    s2_sql "SELECT coalesce(string_agg(version::text, ' ' ORDER BY version), '-')
            FROM ops.schema_migrations WHERE set_name = '$1'"
}

# s2_fingerprint SCHEMA: per table "name count md5(sorted ids) max(updated_at) md5(updated_at by id)".
s2_fingerprint() {
    local t q=""
    for t in $(s2_sql "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                       WHERE n.nspname = '$1' AND c.relkind = 'r' ORDER BY 1"); do
        q="$q${q:+ UNION ALL }SELECT '$t', count(*)::text, md5(coalesce(string_agg(id::text, ',' ORDER BY id), '')),
             coalesce(max(updated_at)::text, '-'), coalesce(md5(string_agg(updated_at::text, ',' ORDER BY id)), '-')
           FROM $1.$t"
    done
    s2_psql -At -F ' ' -c "$q" 2>&1
}

# s2_unindexed_fks SCHEMA: foreign keys whose columns are not the leading columns of an index.
s2_unindexed_fks() {
    s2_sql "SELECT con.conrelid::regclass || '(' || array_to_string(con.conkey, ',') || ')'
            FROM pg_constraint con JOIN pg_namespace n ON n.oid = con.connamespace
            WHERE con.contype = 'f' AND n.nspname = '$1'
              AND NOT EXISTS (SELECT 1 FROM pg_index i
                              WHERE i.indrelid = con.conrelid
                                AND (i.indkey::int2[])[0:array_length(con.conkey, 1) - 1] = con.conkey)
            ORDER BY 1"
}

# s2_convention_violations SCHEMA: tables missing the id/created_at/updated_at/trigger rules.
s2_convention_violations() {
    s2_sql "SELECT c.relname || ': ' || problem
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            CROSS JOIN LATERAL (
              SELECT 'id is not a uuid v7 primary key' AS problem
              WHERE NOT EXISTS (
                SELECT 1 FROM pg_attribute a
                JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p' AND pk.conkey = ARRAY[a.attnum]
                WHERE a.attrelid = c.oid AND a.attname = 'id' AND a.atttypid = 'uuid'::regtype
                  AND pg_get_expr(d.adbin, d.adrelid) = 'ops.uuid_generate_v7()')
              UNION ALL
              SELECT col || ' is not timestamptz NOT NULL DEFAULT now()'
              FROM unnest(ARRAY['created_at', 'updated_at']) col
              WHERE NOT EXISTS (
                SELECT 1 FROM pg_attribute a
                JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = c.oid AND a.attname = col AND a.attnotnull
                  AND a.atttypid = 'timestamptz'::regtype AND pg_get_expr(d.adbin, d.adrelid) = 'now()')
              UNION ALL
              SELECT 'no BEFORE UPDATE trigger calling ops.set_updated_at()'
              WHERE NOT EXISTS (
                SELECT 1 FROM pg_trigger tg
                WHERE tg.tgrelid = c.oid AND tg.tgfoid = 'ops.set_updated_at'::regproc
                  AND tg.tgtype & 2 = 2 AND tg.tgtype & 16 = 16)
            ) p
            WHERE n.nspname = '$1' AND c.relkind = 'r'
            ORDER BY 1"
}
