#!/usr/bin/env bash
# t_schema_all.sh -- every migration set in sql/ together in ONE database: platform,
# then the others in name order, all up; every set's seeds run twice (nothing changes);
# every table of every set follows the conventions; then everything down (newest set
# first, platform last) and up again. Owned by the schemas work package; covers the
# sets of both schema packages (callcenter, conversations, revops; planner, survey).
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/schema_lib.sh"
need_servers

U=$(fresh_db schema_all)
sets=$(cd "$top_srcdir/sql" && for d in */; do d=${d%/}; [ "$d" != platform ] && ls "$d"/[0-9]*.up.sql >/dev/null 2>&1 && echo "$d"; done | sort)
diag "sets: platform $(echo $sets)"
rsets=$(printf '%s\n' $sets | sort -r)
# schemas that hold the sets' tables: everything but the system, public, raw and ops
set_schemas="SELECT string_agg(nspname, ' ' ORDER BY nspname) FROM pg_namespace
             WHERE nspname NOT LIKE 'pg\_%' AND nspname NOT IN ('information_schema', 'public', 'raw', 'ops')"

ok 'schema_up "$U" platform' 'platform migrates up'
for s in $sets; do
    ok 'schema_up "$U" "$s"' "$s migrates up next to the others"
done
schemas=$(sq "$U" "$set_schemas")
diag "schemas: $schemas"
for n in $schemas; do
    is "$(schema_conventions "$U" "$n")" '' "schema $n: uuid v7 ids, timestamps, updated_at triggers, indexed foreign keys"
done

for s in $sets; do
    if ls "$top_srcdir/seeds/$s"/[0-9]*.sql >/dev/null 2>&1; then
        ok 'schema_seed "$U" "$s"' "$s seeds"
    fi
done
fp1=$(schema_fingerprint "$U" $schemas)
for s in $sets; do
    if ls "$top_srcdir/seeds/$s"/[0-9]*.sql >/dev/null 2>&1; then
        ok 'schema_seed "$U" "$s"' "$s seeds again"
    fi
done
is "$(schema_fingerprint "$U" $schemas)" "$fp1" 'second seed round: every table keeps its counts, ids and updated_at'

for s in $rsets; do
    ok 'schema_down "$U" "$s"' "$s migrates down"
done
is "$(sq "$U" "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname IN ('core', 'search') AND c.relkind IN ('r', 'v', 'm')")" 0 \
   'no table is left in core and search'
ok 'schema_down "$U" platform' 'platform migrates down'
is "$(sq "$U" "$set_schemas")" '' 'no schema is left behind'

ok 'schema_up "$U" platform' 'platform migrates up again'
for s in $sets; do
    ok 'schema_up "$U" "$s"' "$s migrates up again"
done
is "$(sq "$U" "$set_schemas")" "$schemas" 'the same schemas are back'

done_testing
