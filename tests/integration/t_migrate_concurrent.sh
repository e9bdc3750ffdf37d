#!/usr/bin/env bash
# t_migrate_concurrent.sh -- two `migrate up` at once apply each migration exactly once:
# the advisory lock makes the second wait, then it finds nothing pending.
# (up --set slow also applies platform's two migrations first.)
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/migrate_lib.sh" migconc

migration slow 0001_log.up.sql "CREATE TABLE public.mig_log (what text);"
migration slow 0002_slow.up.sql "SELECT pg_sleep(1.0);
INSERT INTO public.mig_log VALUES ('slow');
CREATE TABLE public.slow_t (n int);"
migration slow 0003_after.up.sql "INSERT INTO public.mig_log VALUES ('after');"

mig up --set slow >"$T/out1" 2>"$T/err1" & p1=$!
mig up --set slow >"$T/out2" 2>"$T/err2" & p2=$!
wait $p1; rc1=$?
wait $p2; rc2=$?
is "$rc1" 0 "first migrator exits 0"
is "$rc2" 0 "second migrator exits 0"
is "$(q "SELECT string_agg(what, ',' ORDER BY what) FROM public.mig_log")" "after,slow" \
   "each migration ran exactly once"
is "$(q "SELECT count(*) FROM ops.schema_migrations WHERE set_name = 'slow'")" 3 "three tracking rows"
is "$(cat "$T/out1" "$T/out2" | sort | tr '\n' '|')" "applied 5 migrations|nothing to apply (5 migrations applied)|" \
   "one applied all three, the other found nothing pending"
like "$(cat "$T/err1" "$T/err2")" "waiting for another steward migrate/seed to finish" \
   "the second says it waits for the lock"
done_testing
