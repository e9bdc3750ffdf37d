#!/usr/bin/env bash
# t_seed.sh -- `steward seed`: files in name order per set (platform first), one
# transaction each, re-runnable, --set limits, failures named file:LINE and rolled back.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/migrate_lib.sh" seed

mkdir -p "$T/seeds/platform" "$T/seeds/demo" "$T/sql/demo"
printf '%s\n' "INSERT INTO ops.ingest_state (id, source, table_name, watermark)
VALUES ('01900000-0000-7000-8000-000000000001', 'demo', 'items', '0')
ON CONFLICT (source, table_name) DO NOTHING;" > "$T/seeds/platform/01_state.sql"
printf '%s\n' "CREATE TABLE IF NOT EXISTS public.seed_order (seq serial, what text UNIQUE);
INSERT INTO public.seed_order (what) VALUES ('b-first') ON CONFLICT DO NOTHING;" > "$T/seeds/demo/10_b.sql"
printf '%s\n' "INSERT INTO public.seed_order (what) VALUES ('c-second') ON CONFLICT DO NOTHING;" > "$T/seeds/demo/20_c.sql"
echo "not sql, ignored" > "$T/seeds/demo/README"
write_conf demo
mig up >/dev/null 2>&1

out=$(seed --dry-run 2>&1); rc=$?
is "$rc" 0 "seed --dry-run exits 0"
like "$out" "would run demo 20_c.sql ($T/seeds/demo/20_c.sql)" "dry run lists the files"
is "$(q "SELECT to_regclass('public.seed_order') IS NULL")" t "dry run ran nothing"

out=$(seed 2>"$T/err"); rc=$?
is "$rc" 0 "seed exits 0"
is "$out" "ran 3 seed files" "all files of platform and demo ran"
is "$(grep -o 'seeded [a-z]* [0-9a-z_.]*' "$T/err" | tr '\n' ',')" \
   "seeded platform 01_state.sql,seeded demo 10_b.sql,seeded demo 20_c.sql," "platform first, then name order"
is "$(q "SELECT string_agg(what, ',' ORDER BY seq) FROM public.seed_order")" "b-first,c-second" "files ran in name order"
is "$(q "SELECT count(*) FROM ops.ingest_state")" 1 "platform seed row present"

out=$(seed 2>/dev/null); rc=$?
is "$rc" 0 "re-running seeds exits 0"
is "$(q "SELECT count(*) FROM public.seed_order") $(q "SELECT count(*) FROM ops.ingest_state")" "2 1" \
   "re-run changes nothing"

is "$(seed --set demo 2>/dev/null)" "ran 2 seed files" "--set limits seeding to one set"
out=$(seed --set nosuch 2>&1); rc=$?
is "$rc" 1 "--set with no seed directory exits 1"
like "$out" "no seeds for set nosuch" "names the set"

write_conf demo other
out=$(seed 2>&1); rc=$?
is "$rc" 0 "a configured set without seeds is skipped"
like "$out" "no seeds for set other" "and said so"

printf '%s\n' "INSERT INTO public.seed_order (what) VALUES ('d-partial');
SELECT 1/0;" > "$T/seeds/demo/30_bad.sql"
out=$(seed --set demo 2>&1); rc=$?
is "$rc" 1 "failing seed exits 1"
like "$out" "$T/seeds/demo/30_bad.sql:2: division by zero" "failing seed named file:LINE"
is "$(q "SELECT count(*) FROM public.seed_order WHERE what = 'd-partial'")" 0 "failing seed file rolled back"

out=$("$STEWARD" seed -c "$T/steward.conf" --seeds-dir "$T/nowhere" --set demo 2>&1); rc=$?
is "$rc" 1 "--seeds-dir overrides database.seeds_dir"
like "$out" "$T/nowhere/demo" "the override is the directory used"
done_testing
