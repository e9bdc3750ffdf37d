#!/usr/bin/env bash
# t_schema_platform.sh -- migration set platform (sql/platform) as shipped: every migration
# up, ops.uuid_generate_v7() strictly ordered within one statement (0003), down and up.
# The migration engine's own tests (t_migrate_*.sh) use platform's first two files as fixtures.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/schema_lib.sh"
need_servers

U=$(fresh_db platform)
n_up=$(ls "$top_srcdir"/sql/platform/*.up.sql | sed "s|.*/0*\([0-9]*\)_.*|\1|" | tr "\n" " ")
n_up=${n_up% }

ok 'schema_up "$U" platform' 'platform migrates up'
is "$(schema_applied "$U" platform)" "$n_up" 'every platform migration is recorded'

# 10,000 ids in one statement: the order they were made in is the order they sort in.
ids="SELECT n, ops.uuid_generate_v7() AS id FROM generate_series(1, 10000) AS n"
is "$(sq "$U" "SELECT count(*) FROM (SELECT n, row_number() OVER (ORDER BY id) AS r FROM ($ids) s) o
               WHERE n <> r")" 0 '10,000 ids made in one statement sort in generation order'
is "$(sq "$U" "SELECT count(DISTINCT id) FROM ($ids) s")" 10000 '10,000 ids are distinct'
is "$(sq "$U" "SELECT count(*) FROM ($ids) s WHERE substr(id::text, 15, 1) = '7'
               AND substr(id::text, 20, 1) IN ('8', '9', 'a', 'b')")" 10000 'each is version 7, variant 10'
is "$(sq "$U" "SELECT abs(extract(epoch FROM ops.uuid_v7_time(ops.uuid_generate_v7()) - clock_timestamp())) < 1")" t \
   'the id still embeds the current millisecond'
# Across statements of one session too (the counter carries over).
is "$(sq "$U" "SELECT a < b FROM (SELECT ops.uuid_generate_v7() a) x, LATERAL (SELECT ops.uuid_generate_v7() b) y")" t \
   'a later call in the session sorts after an earlier one'
is "$(sq "$U" "WITH b AS (INSERT INTO ops.batches (source, table_name) VALUES ('s', 't') RETURNING id)
               SELECT substr(id::text, 15, 1) FROM b")" 7 'the column default makes a v7 id'

ok 'schema_down "$U" platform' 'platform migrates down'
is "$(schema_applied "$U" platform)" - 'down leaves no platform migration recorded'
ok 'schema_up "$U" platform' 'platform migrates up again'

done_testing
