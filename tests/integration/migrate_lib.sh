# migrate_lib.sh -- shared setup for the t_migrate*.sh / t_seed.sh tests (sourced).
#
#   . "$top_srcdir/tests/integration/migrate_lib.sh" NAME
# gives each test its own database ($URL), a config $T/steward.conf (write_conf SETS...)
# and a copy of sql/platform under $T/sql, plus helpers: mig ARGS..., q SQL, snapshot.
. "$top_srcdir/tests/lib/tap.sh"
need_servers
URL=$(fresh_db "$1")
mkdir -p "$T/sql" "$T/seeds"
mkdir -p "$T/sql/platform"   # fixtures: the engine tests assert on exactly these two
cp "$top_srcdir"/sql/platform/000[12]_* "$T/sql/platform/"
PG_DUMP=${PGBIN:+$PGBIN/}pg_dump

write_conf() {   # write_conf SET... : database.sets, sql_dir and seeds_dir under $T
    local sets="" s
    for s in "$@"; do sets="$sets${sets:+, }\"$s\""; done
    cat > "$T/steward.conf" <<CONF
database = { url = "$URL"; sets = [ $sets ];
             sql_dir = "$T/sql"; seeds_dir = "$T/seeds"; };
CONF
}
write_conf

mig() { "$STEWARD" migrate -c "$T/steward.conf" --wait 0 "$@"; }
seed() { "$STEWARD" seed -c "$T/steward.conf" --wait 0 "$@"; }
q() { psql -X -q -At -v ON_ERROR_STOP=1 "$URL" -c "$1"; }
snapshot() { "$PG_DUMP" --schema-only --no-owner "$URL" | grep -Ev '^(--|\\(un)?restrict )'; }

# migration SET FILE TEXT: write $T/sql/SET/FILE
migration() { mkdir -p "$T/sql/$1"; printf '%s\n' "$3" > "$T/sql/$1/$2"; }
