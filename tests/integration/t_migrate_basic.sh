#!/usr/bin/env bash
# t_migrate_basic.sh -- status/up/down round trips, set selection and order, tracking rows.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/migrate_lib.sh" migbasic

migration demo 0001_items.up.sql "CREATE SCHEMA demo;
CREATE TABLE demo.items (id uuid PRIMARY KEY DEFAULT ops.uuid_generate_v7(), n int);"
migration demo 0001_items.down.sql "DROP SCHEMA demo CASCADE;"
migration demo 0002_label.up.sql "ALTER TABLE demo.items ADD COLUMN label text;"
migration demo 0002_label.down.sql "ALTER TABLE demo.items DROP COLUMN label;"

out=$(mig status); rc=$?
is "$rc" 0 "status on a fresh database exits 0"
like "$out" "platform  0001     platform  pending   -" "fresh: platform 0001 pending"
unlike "$out" "demo" "unconfigured set not listed"

out=$(mig up 2>"$T/err"); rc=$?
is "$rc" 0 "up exits 0"
is "$out" "applied 2 migrations" "up reports the count"
like "$(cat "$T/err")" "applied platform 0002_ops in " "progress line per migration (not a tty)"
is "$(q "SELECT string_agg(set_name || ':' || version || ':' || name, ' ' ORDER BY version) FROM ops.schema_migrations")" \
   "platform:1:platform platform:2:ops" "tracking rows for platform"
is "$(q "SELECT checksum FROM ops.schema_migrations WHERE version = 2")" \
   "$(sha256sum < "$T/sql/platform/0002_ops.up.sql" | cut -d' ' -f1)" "checksum is sha256 of the up file"
like "$(mig status)" "platform  0002     ops       applied   20" "status shows applied with time"

is "$(mig up)" "nothing to apply (2 migrations applied)" "second up applies nothing"

out=$(mig status --set demo)
unlike "$out" "platform" "--set limits status to one set"

# up --set on a fresh database brings platform up first (every set builds on it).
URL2=$(fresh_db migbasic2)
out=$("$STEWARD" migrate -c "$T/steward.conf" --url "$URL2" --wait 0 up --set demo 2>/dev/null); rc=$?
is "$rc" 0 "up --set demo on a fresh database exits 0"
is "$(psql -X -At "$URL2" -c "SELECT string_agg(set_name || version, ' ' ORDER BY applied_at) FROM ops.schema_migrations")" \
   "platform1 platform2 demo1 demo2" "platform applied first, then demo"

out=$(mig up --set demo 2>/dev/null); rc=$?
is "$rc" 0 "--set demo up exits 0 (set not listed in database.sets)"
is "$(q "SELECT count(*) FROM ops.schema_migrations WHERE set_name = 'demo'")" 2 "demo applied"
out=$(mig status --set demo)
like "$out" "demo  0002     label  applied" "demo 0002 applied"

write_conf demo
out=$(mig status)
is "$(echo "$out" | awk 'NR>1 {print $1}' | uniq | tr '\n' ' ')" "platform demo " \
   "configured sets listed with platform first"

out=$(mig down 2>"$T/err"); rc=$?
is "$rc" 0 "down exits 0"
is "$out" "reverted 1 migration" "down reverts one by default"
is "$(q "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'demo' AND column_name = 'label'")" 0 \
   "down file ran (column dropped)"
mig down 2 >/dev/null 2>"$T/err"
is "$(grep -o 'reverted [a-z]* [0-9a-z_]*' "$T/err" | tr '\n' ',')" \
   "reverted demo 0001_items,reverted platform 0002_ops," "down 2: the last two applied overall, newest first"
is "$(q "SELECT string_agg(set_name || version, ' ') FROM ops.schema_migrations")" "platform1" \
   "tracking rows removed with their migrations"

mig up >/dev/null 2>"$T/err"
is "$(grep -o 'applied [a-z]* [0-9a-z_]*' "$T/err" | tr '\n' ',')" \
   "applied platform 0002_ops,applied demo 0001_items,applied demo 0002_label," "up applies in set, then version order"

before=$(snapshot)
mig down 100 >/dev/null 2>&1
is "$(q "SELECT count(*) FROM ops.schema_migrations")" 0 "down 100 reverts everything"
is "$(q "SELECT count(*) FROM pg_namespace WHERE nspname IN ('raw', 'core', 'search', 'demo')")" 0 \
   "platform down removes its schemas"
is "$(q "SELECT string_agg(extname, ',') FROM pg_extension")" "plpgsql" "platform down removes its extensions"
is "$(q "SELECT string_agg(relname, ',') FROM pg_class c JOIN pg_namespace n ON n.oid = relnamespace WHERE nspname = 'ops' AND relkind = 'r'")" \
   "schema_migrations" "only the runner's table is left in ops"
mig up >/dev/null 2>&1
after=$(snapshot)
ok '[ "$before" = "$after" ]' "down all + up gives the same schema (pg_dump --schema-only)"

# Conventions of the platform tables.
is "$(q "SELECT count(*) FROM pg_tables t WHERE schemaname = 'ops' AND tablename <> 'schema_migrations'
          AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = format('ops.%I', t.tablename)::regclass
                          AND g.tgname LIKE '%set_updated_at')")" 0 "every ops table has the updated_at trigger"
is "$(q "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'ops' AND table_name <> 'schema_migrations'
          AND column_name = 'id' AND column_default = 'ops.uuid_generate_v7()'")" \
   "$(q "SELECT count(*) FROM pg_tables WHERE schemaname = 'ops' AND tablename <> 'schema_migrations'")" \
   "every ops table has a uuid v7 id default"
q "INSERT INTO ops.batches (source, table_name) VALUES ('s', 't')" >/dev/null
q "UPDATE ops.batches SET status = 'transformed'" >/dev/null
is "$(q "SELECT updated_at > created_at FROM ops.batches")" t "updated_at maintained by trigger"
ok '! q "UPDATE ops.batches SET status = '"'"'bogus'"'"'" 2>/dev/null' "batch status is CHECKed"
q "INSERT INTO ops.job_runs (job, scheduled_for) VALUES ('j', '2026-01-01')" >/dev/null
ok '! q "INSERT INTO ops.job_runs (job, scheduled_for) VALUES ('"'j', '2026-01-01'"')" 2>/dev/null' \
   "a cron fire is unique per (job, scheduled_for)"

# ops.uuid_generate_v7()
is "$(q "SELECT count(*) FROM (SELECT ops.uuid_generate_v7()::text u FROM generate_series(1, 100)) s
          WHERE substr(u, 15, 1) = '7' AND substr(u, 20, 1) IN ('8', '9', 'a', 'b')")" 100 \
   "uuid_generate_v7: version 7 and variant 10"
is "$(q "SELECT array_agg(id ORDER BY i) = array_agg(id ORDER BY id)
          FROM (SELECT i, ops.uuid_generate_v7() id FROM generate_series(1, 15) i,
                LATERAL (SELECT pg_sleep(0.002 + i * 0)) z) s")" t "uuid_generate_v7 sorts by time"
is "$(q "SELECT abs(extract(epoch FROM ops.uuid_v7_time(ops.uuid_generate_v7()) - clock_timestamp())) < 1")" t \
   "uuid_generate_v7 embeds the current time"
done_testing
