#!/usr/bin/env bash
# t_migrate_drift.sh -- verify and up catch changed/missing applied files; a failing
# migration is rolled back whole and named as file:LINE with PostgreSQL's message.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/integration/migrate_lib.sh" migdrift

mig up >/dev/null 2>&1
out=$(mig verify); rc=$?
is "$rc" 0 "verify: untouched files exit 0"
is "$out" "2 applied migrations match their files" "verify says all match"

f="$T/sql/platform/0002_ops.up.sql"
cp "$f" "$T/0002.orig"
echo "-- an innocent comment" >> "$f"
out=$(mig verify); rc=$?
is "$rc" 1 "verify: changed file exits 1"
like "$out" "$f: changed since applied at " "verify names the changed file"
like "$(mig status)" "platform  0002     ops       CHANGED" "status marks it CHANGED"
out=$(mig up 2>&1); rc=$?
is "$rc" 1 "up refuses while an applied file changed"
like "$out" "refusing to migrate: $f: changed since it was applied" "up names the file"
migration demo 0001_x.up.sql "CREATE TABLE public.x (n int);"
out=$(mig up --set demo 2>&1); rc=$?
is "$rc" 1 "up --set demo refuses too (platform comes first)"
is "$(q "SELECT to_regclass('public.x') IS NULL")" t "demo not applied while platform drifted"

cp "$T/0002.orig" "$f"
mv "$f" "$T/0002.moved"
out=$(mig verify); rc=$?
is "$rc" 1 "verify: missing file exits 1"
like "$out" "$f: missing since applied at " "verify names the missing file"
mv "$T/0002.moved" "$f"
is "$(mig verify >/dev/null; echo $?)" 0 "restored file verifies again"

# A broken migration: line 6 has the error; the statements before it must not stick.
migration broken 0001_ok.up.sql "CREATE TABLE public.broken_a (n int);"
migration broken 0002_bad.up.sql "-- 0002_bad: fails on line 6
CREATE TABLE public.broken_b (n int);

INSERT INTO public.broken_b VALUES (1);
-- the typo:
CREATE TABL public.broken_c (n int);
CREATE TABLE public.broken_d (n int);"
migration broken 0003_later.up.sql "CREATE TABLE public.broken_e (n int);"
out=$(mig up --set broken 2>&1); rc=$?
is "$rc" 1 "failing migration exits 1"
like "$out" "$T/sql/broken/0002_bad.up.sql:6: syntax error at or near \"TABL\"" \
   "error names file:LINE and PostgreSQL's message"
is "$(q "SELECT string_agg(version::text, ',' ORDER BY version) FROM ops.schema_migrations WHERE set_name = 'broken'")" 1 \
   "database stays at the last good version"
is "$(q "SELECT count(*) FROM pg_tables WHERE tablename IN ('broken_b', 'broken_c', 'broken_d', 'broken_e')")" 0 \
   "no partial objects, later migrations not run"
is "$(q "SELECT to_regclass('public.broken_a') IS NOT NULL")" t "earlier migration kept"
like "$(mig status --set broken)" "broken  0002     bad    pending" "failed migration still pending"

# A down file without its up file is refused, not skipped.
migration lone 0001_only_down.down.sql "SELECT 1;"
out=$(mig up --set lone 2>&1); rc=$?
is "$rc" 1 "lone down file: up exits 1"
like "$out" "$T/sql/lone/0001_only_down.down.sql: no matching 0001_only_down.up.sql" "names the lone file"

# An error without a position (raised at run time) names the statement's line.
migration runtime 0001_raise.up.sql "CREATE TABLE public.rt (n int);

DO \$\$
BEGIN
    RAISE EXCEPTION 'boom %', 42;
END
\$\$;"
out=$(mig up --set runtime 2>&1); rc=$?
is "$rc" 1 "runtime error exits 1"
like "$out" "$T/sql/runtime/0001_raise.up.sql:3: boom 42" "runtime error names the statement's line"
is "$(q "SELECT to_regclass('public.rt') IS NULL")" t "runtime failure rolled back"

# An error inside a later statement with a position in a UTF-8 file.
migration utf 0001_u.up.sql "-- größe, naïve, café
COMMENT ON SCHEMA public IS 'ünïcödé';
SELECT nosuchcolumn FROM pg_class;"
out=$(mig up --set utf 2>&1)
like "$out" "$T/sql/utf/0001_u.up.sql:3: column \"nosuchcolumn\" does not exist" \
   "position counted in characters maps to the right line"
done_testing
