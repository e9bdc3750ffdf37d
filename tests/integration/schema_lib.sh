# schema_lib.sh -- helpers for the migration-set tests t_schema_*.sh (sourced after
# tests/lib/tap.sh). Owns: applying sets up/down and seeding through `steward migrate` /
# `steward seed` when the runner is built, else through psql file by file (same order);
# the convention check every set must pass. Owned by the schemas work package.
#
#   schema_up URL SET       apply every migration of SET
#   schema_down URL SET     revert every migration of SET (to zero)
#   schema_seed URL SET     run the seeds of SET
#   sq URL SQL              one query, unaligned tuples-only output, errors fatal
#   schema_conventions URL SCHEMA [TABLE_LIKE]
#                           prints one line per violation of the table conventions
#                           (nothing when clean)
#   schema_fingerprint [--ids] URL SCHEMA...
#                           md5 of every table's row count, ids (and latest updated_at)
#   schema_fresh_db VAR NAME
#                           fresh_db NAME into VAR, dropped when the test exits
#
# SCHEMA_RUNNER=psql|steward forces a runner; default: steward when `steward migrate`
# works, psql otherwise.
# shellcheck shell=bash

sq() {
    psql -X -q -A -t -v ON_ERROR_STOP=1 "$1" -c "$2"
}

schema_runner() {
    if [ -z "${SCHEMA_RUNNER:-}" ]; then
        if [ -x "$STEWARD" ] && ! "$STEWARD" migrate -c /dev/null status 2>&1 | grep -q 'not built yet'; then
            SCHEMA_RUNNER=steward
        else
            SCHEMA_RUNNER=psql
        fi
    fi
    echo "$SCHEMA_RUNNER"
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

_schema_psql_file() {
    psql -X -q -v ON_ERROR_STOP=1 --single-transaction "$1" -f "$2" >/dev/null
}

schema_up() {
    local url=$1 set=$2 f
    if [ "$(schema_runner)" = steward ]; then
        "$STEWARD" migrate -c "$(_schema_conf "$url")" --wait 0 --sql-dir "$top_srcdir/sql" --set "$set" up >&2
        return
    fi
    for f in $(ls "$top_srcdir/sql/$set"/[0-9]*.up.sql | sort); do
        _schema_psql_file "$url" "$f" || { echo "schema_up: $f failed" >&2; return 1; }
    done
}

schema_down() {
    local url=$1 set=$2 f n
    if [ "$(schema_runner)" = steward ]; then
        n=$(ls "$top_srcdir/sql/$set"/[0-9]*.up.sql | wc -l)
        "$STEWARD" migrate -c "$(_schema_conf "$url")" --wait 0 --sql-dir "$top_srcdir/sql" --set "$set" down "$n" >&2
        return
    fi
    for f in $(ls "$top_srcdir/sql/$set"/[0-9]*.down.sql | sort -r); do
        _schema_psql_file "$url" "$f" || { echo "schema_down: $f failed" >&2; return 1; }
    done
}

schema_seed() {
    local url=$1 set=$2 f
    if [ "$(schema_runner)" = steward ]; then
        "$STEWARD" seed -c "$(_schema_conf "$url")" --wait 0 --seeds-dir "$top_srcdir/seeds" --set "$set" >&2
        return
    fi
    for f in $(ls "$top_srcdir/seeds/$set"/[0-9]*.sql | sort); do
        _schema_psql_file "$url" "$f" || { echo "schema_seed: $f failed" >&2; return 1; }
    done
}

# Conventions (STYLE.md, DESIGN.md "Data"): every table of SCHEMA (optionally only those
# whose name is LIKE the third argument) has
#   id uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(),
#   created_at / updated_at timestamptz NOT NULL DEFAULT now(),
#   a BEFORE UPDATE row trigger calling ops.set_updated_at(),
# and every foreign key's columns lead some index.
schema_conventions() {
    sq "$1" "
    WITH t AS (
        SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = '$2' AND c.relkind IN ('r', 'p') AND c.relname LIKE '${3:-%}'
    ), col AS (
        SELECT t.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid) AS def
        FROM t JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    )
    SELECT t.relname || ': id is not uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7()' FROM t
    WHERE NOT EXISTS (SELECT 1 FROM col WHERE col.relname = t.relname AND attname = 'id'
                      AND type = 'uuid' AND def = 'ops.uuid_generate_v7()')
       OR NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = t.oid AND k.contype = 'p'
                      AND k.conkey = ARRAY[(SELECT attnum FROM pg_attribute
                                            WHERE attrelid = t.oid AND attname = 'id')])
    UNION ALL
    SELECT t.relname || ': ' || x.c || ' is not timestamptz NOT NULL DEFAULT now()'
    FROM t CROSS JOIN (VALUES ('created_at'), ('updated_at')) AS x (c)
    WHERE NOT EXISTS (SELECT 1 FROM col WHERE col.relname = t.relname AND attname = x.c
                      AND type = 'timestamp with time zone' AND attnotnull AND def = 'now()')
    UNION ALL
    SELECT t.relname || ': no BEFORE UPDATE trigger calling ops.set_updated_at()' FROM t
    WHERE NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = t.oid AND NOT g.tgisinternal
                      AND g.tgfoid = 'ops.set_updated_at()'::regprocedure
                      AND (g.tgtype & 2) <> 0 AND (g.tgtype & 16) <> 0 AND (g.tgtype & 1) <> 0)
    UNION ALL
    SELECT t.relname || ': foreign key ' || k.conname || ' has no index' FROM t
    JOIN pg_constraint k ON k.conrelid = t.oid AND k.contype = 'f'
    WHERE NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = t.oid
                      AND (i.indkey::int2[])[0:array_length(k.conkey, 1) - 1] @> k.conkey
                      AND (i.indkey::int2[])[0:array_length(k.conkey, 1) - 1] <@ k.conkey)
    ORDER BY 1"
}

# schema_fingerprint [--ids] URL SCHEMA...: md5 over every table of the schemas: row
# count, sorted ids and latest updated_at (--ids: count and ids only)
schema_fingerprint() {
    local upd="|| '':'' || coalesce(max(updated_at)::text, '''')" list url
    if [ "$1" = --ids ]; then upd=; shift; fi
    url=$1; shift
    list=$(printf "'%s'," "$@"); list=${list%,}
    sq "$url" "SELECT string_agg(format('SELECT %L || '':'' || count(*) || '':'' || coalesce(md5(string_agg(id::text, '','' ORDER BY id)), '''') $upd FROM %I.%I',
                                        n.nspname || '.' || c.relname, n.nspname, c.relname), ' UNION ALL ' ORDER BY 1)
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname IN ($list) AND c.relkind = 'r'" |
        { read -r q; [ -n "$q" ] && sq "$url" "SELECT md5(string_agg(x, ';' ORDER BY x)) FROM ($q) AS s (x)"; }
}

# schema_fresh_db VAR NAME: fresh_db NAME, storing the URL in VAR. fresh_db called as
# $(fresh_db NAME) runs in a subshell, so tap.sh never records the database and it
# outlives the test; this records it in the test's own shell, so it is dropped at exit.
schema_fresh_db() {
    local url
    url=$(fresh_db "$2") || return 1
    _tap_dbs+=("t_${2}_$$")
    printf -v "$1" '%s' "$url"
}
