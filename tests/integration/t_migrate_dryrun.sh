#!/usr/bin/env bash
# t_migrate_dryrun.sh -- --dry-run and status change nothing, not even ops.schema_migrations.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/migrate_lib.sh" migdry

migration demo 0001_items.up.sql "CREATE TABLE public.items (n int);"
migration demo 0001_items.down.sql "DROP TABLE public.items;"

before=$(snapshot)
out=$(mig up --dry-run 2>"$T/err"); rc=$?
is "$rc" 0 "dry-run up on a fresh database exits 0"
like "$out" "would apply platform 0001_platform ($T/sql/platform/0001_platform.up.sql)" "names each file it would run"
like "$out" "would apply platform 0002_ops" "lists every pending migration"
is "$(cat "$T/err")" "" "no progress: nothing ran"
is "$(q "SELECT to_regclass('ops.schema_migrations') IS NULL AND NOT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'ops')")" t \
   "dry-run created neither schema ops nor the tracking table"
ok '[ "$before" = "$(snapshot)" ]' "schema identical after dry-run (pg_dump --schema-only)"

mig status >/dev/null
is "$(q "SELECT to_regclass('ops.schema_migrations') IS NULL")" t "status creates nothing either"

mig up >/dev/null 2>&1
before=$(snapshot)
rows=$(q "SELECT string_agg(set_name || version || checksum, ',') FROM ops.schema_migrations")
out=$(mig up --dry-run --set demo 2>&1); rc=$?
is "$rc" 0 "dry-run of a pending set exits 0"
like "$out" "would apply demo 0001_items" "lists the pending demo migration"
is "$(q "SELECT to_regclass('public.items') IS NULL")" t "demo migration did not run"
out=$(mig down 2 --dry-run 2>&1); rc=$?
is "$rc" 0 "dry-run down exits 0"
is "$out" "would revert platform 0002_ops ($T/sql/platform/0002_ops.down.sql)
would revert platform 0001_platform ($T/sql/platform/0001_platform.down.sql)" "dry-run down lists newest first"
ok '[ "$before" = "$(snapshot)" ]' "schema identical after dry-run up and down"
is "$(q "SELECT string_agg(set_name || version || checksum, ',') FROM ops.schema_migrations")" "$rows" \
   "tracking rows unchanged"
done_testing
