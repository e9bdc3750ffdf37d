# schema_lib.sh -- helpers for the migration-set tests t_schema_*.sh (all six: callcenter,
# conversations, revops, planner, survey, all), sourced after tests/lib/tap.sh.
# Owns: driving `steward migrate` / `steward seed` for one set against one test database,
# the convention check every set must pass, the table fingerprint used to prove that a
# second seed run changes nothing, and the query helpers. Leaves: the migration runner
# itself (package db) and making the private database (`URL=$(fresh_db NAME)` in tap.sh,
# dropped at exit). Owned by the schemas work package.
#
#   schema_up URL SET        steward migrate ... --set SET up       (runner output: stderr)
#   schema_down URL SET      steward migrate ... --set SET down N   (every migration of SET)
#   schema_verify URL SET    steward migrate ... --set SET verify
#   schema_seed URL SET      steward seed ... --set SET
#   schema_applied URL SET   versions of SET in ops.schema_migrations, space-separated, or -
#   sq URL SQL               run SQL; unaligned tuples-only output, errors on the same
#                            stream (a failing query never looks like an empty result);
#                            status is psql's; NOTICEs are left out
#   sq_fails URL SQL         run SQL that must fail: prints psql's error text; status 1
#                            (and "unexpectedly succeeded: ...") when it succeeded
#   schema_conventions URL SCHEMA
#                            one line per violation of the table conventions, nothing when
#                            clean (a schema without tables is a violation)
#   schema_fingerprint [--ids] URL SCHEMA...
#                            one line per table: "schema.table count md5(ids by id)
#                            max(updated_at) md5(updated_at by id)"; --ids: first three fields
# shellcheck shell=bash

# NOTICEs are not results: only WARNING and above reach the output
_schema_psql() {
    PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning" psql -X -q -A -t -v ON_ERROR_STOP=1 "$@"
}

sq() {
    _schema_psql "$1" -c "$2" 2>&1
}

sq_fails() {
    local out
    if out=$(_schema_psql "$1" -c "$2" 2>&1); then
        printf 'unexpectedly succeeded: %s\n' "$out"
        return 1
    fi
    printf '%s\n' "$out"
}

# a config for the runner pointing at URL, one per database
_schema_conf() {
    local conf
    conf="$T/schema-$(printf '%s' "$1" | md5sum | cut -c1-12).conf"
    if [ ! -f "$conf" ]; then
        printf 'database = { url = "%s"; sql_dir = "%s"; seeds_dir = "%s"; };\n' \
            "$1" "$top_srcdir/sql" "$top_srcdir/seeds" > "$conf"
    fi
    echo "$conf"
}

_schema_migrate() {   # _schema_migrate URL SET ARGS...
    local url=$1 set=$2; shift 2
    "$STEWARD" migrate -c "$(_schema_conf "$url")" --wait 0 --sql-dir "$top_srcdir/sql" --set "$set" "$@" >&2
}

schema_up() { _schema_migrate "$1" "$2" up; }
schema_verify() { _schema_migrate "$1" "$2" verify; }

schema_down() {   # revert every migration of the set, newest first; platform stays unless SET is platform
    local ups=("$top_srcdir/sql/$2"/[0-9]*.up.sql)
    [ -e "${ups[0]}" ] || { echo "schema_down: no migrations in sql/$2" >&2; return 1; }
    _schema_migrate "$1" "$2" down "${#ups[@]}"
}

schema_seed() {
    "$STEWARD" seed -c "$(_schema_conf "$1")" --wait 0 --seeds-dir "$top_srcdir/seeds" --set "$2" >&2
}

schema_applied() {
    sq "$1" "SELECT coalesce(string_agg(version::text, ' ' ORDER BY version), '-')
             FROM ops.schema_migrations WHERE set_name = '$2'"
}

# Conventions (STYLE.md, DESIGN.md "Data"): SCHEMA has tables, and every table of it has
#   id uuid PRIMARY KEY (exactly id) DEFAULT ops.uuid_generate_v7(),
#   created_at / updated_at timestamptz NOT NULL DEFAULT now(),
#   a BEFORE UPDATE FOR EACH ROW trigger calling ops.set_updated_at(),
#   for every foreign key an index whose leading columns are the key's columns, in order.
schema_conventions() {
    sq "$1" "
    WITH t AS (
        SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = '$2' AND c.relkind IN ('r', 'p')
    ), col AS (
        SELECT t.relname, a.attname, a.atttypid, a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS def
        FROM t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    )
    SELECT '$2: schema has no tables' WHERE NOT EXISTS (SELECT 1 FROM t)
    UNION ALL
    SELECT t.relname || ': id is not uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7()' FROM t
    WHERE NOT EXISTS (SELECT 1 FROM col WHERE col.relname = t.relname AND attname = 'id'
                      AND atttypid = 'uuid'::regtype AND def = 'ops.uuid_generate_v7()')
       OR NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = t.oid AND k.contype = 'p'
                      AND k.conkey = ARRAY[(SELECT attnum FROM pg_attribute
                                            WHERE attrelid = t.oid AND attname = 'id')])
    UNION ALL
    SELECT t.relname || ': ' || x.c || ' is not timestamptz NOT NULL DEFAULT now()'
    FROM t CROSS JOIN (VALUES ('created_at'), ('updated_at')) AS x (c)
    WHERE NOT EXISTS (SELECT 1 FROM col WHERE col.relname = t.relname AND attname = x.c
                      AND atttypid = 'timestamptz'::regtype AND attnotnull AND def = 'now()')
    UNION ALL
    SELECT t.relname || ': no BEFORE UPDATE FOR EACH ROW trigger calling ops.set_updated_at()' FROM t
    WHERE NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = t.oid AND NOT g.tgisinternal
                      AND g.tgfoid = 'ops.set_updated_at()'::regprocedure
                      AND (g.tgtype & 2) <> 0 AND (g.tgtype & 16) <> 0 AND (g.tgtype & 1) <> 0)
    UNION ALL
    SELECT t.relname || ': foreign key ' || k.conname || ' (' || array_to_string(k.conkey, ',')
           || ') is not the leading part of an index' FROM t
    JOIN pg_constraint k ON k.conrelid = t.oid AND k.contype = 'f'
    WHERE NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid
                      AND (i.indkey::int2[])[0:array_length(k.conkey, 1) - 1] = k.conkey)
    ORDER BY 1"
}

# schema_fingerprint [--ids] URL SCHEMA...: one line per table of the schemas, in name order.
schema_fingerprint() {
    local ids='' url list q out
    if [ "$1" = --ids ]; then ids=1; shift; fi
    url=$1; shift
    list=$(printf "'%s'," "$@"); list=${list%,}
    q=$(sq "$url" "SELECT string_agg(format(
                       'SELECT %L || '' '' || count(*) || '' ''
                               || coalesce(md5(string_agg(id::text, '','' ORDER BY id)), ''-'') || '' ''
                               || coalesce(max(updated_at)::text, ''-'') || '' ''
                               || coalesce(md5(string_agg(updated_at::text, '','' ORDER BY id)), ''-'')
                        FROM %I.%I', n.nspname || '.' || c.relname, n.nspname, c.relname), ' UNION ALL ')
                   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE n.nspname IN ($list) AND c.relkind = 'r'") || { printf '%s\n' "$q"; return 1; }
    [ -n "$q" ] || { echo "schema_fingerprint: no tables in $*"; return 1; }
    out=$(sq "$url" "SELECT x FROM ($q) AS s (x) ORDER BY 1") || { printf '%s\n' "$out"; return 1; }
    if [ -n "$ids" ]; then printf '%s\n' "$out" | cut -d' ' -f1-3; else printf '%s\n' "$out"; fi
}
