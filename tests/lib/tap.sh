# tap.sh -- TAP helpers for the shell integration tests (sourced).
#
#   . "$top_srcdir/tests/lib/tap.sh"
#   need_servers            # skip (laptop) or fail (CI=true) without STEWARD_TEST_PG_URL
#   ok "$cond_cmd" "name";  is "$got" "$want" "name";  like "$got" "needle" "name"
#   done_testing
#
# Each test script gets its own scratch dir ($T) and, when it asks, its own database
# (fresh_db NAME -> prints a URL), dropped at exit.
set -u
: "${top_srcdir:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
STEWARD=${STEWARD:-$top_builddir/steward}
STEWARDCTL=${STEWARDCTL:-$top_builddir/stewardctl}
_tap_n=0
_tap_failed=0
T=$(mktemp -d /tmp/steward-t.XXXXXX)
chmod 755 "$T"

_tap_cleanup() {
    local db
    # fresh_db usually runs in a command substitution (a subshell), so the names it made
    # are kept in a file rather than in a shell variable.
    while IFS= read -r db; do
        [ -n "$db" ] && psql -q "$STEWARD_TEST_PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true
    done < <(cat "$T/.tap_dbs" 2>/dev/null)
    if [ -n "${_tap_cleanup_hook:-}" ]; then eval "$_tap_cleanup_hook" || true; fi
    rm -rf "$T"
}
trap _tap_cleanup EXIT

_tap_result() {   # _tap_result STATUS NAME [DIAG]
    _tap_n=$((_tap_n + 1))
    if [ "$1" = 0 ]; then
        echo "ok $_tap_n - $2"
    else
        _tap_failed=$((_tap_failed + 1))
        echo "not ok $_tap_n - $2"
        [ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
    fi
    return 0
}

ok() {            # ok "shell condition" "name"
    if eval "$1"; then _tap_result 0 "$2"; else _tap_result 1 "$2" "condition failed: $1"; fi
}

is() {            # is GOT WANT NAME
    if [ "$1" = "$2" ]; then _tap_result 0 "$3"
    else _tap_result 1 "$3" "     got: '$1'
expected: '$2'"; fi
}

like() {          # like GOT NEEDLE NAME
    case "$1" in
        *"$2"*) _tap_result 0 "$3" ;;
        *) _tap_result 1 "$3" "     got: '$1'
expected to contain: '$2'" ;;
    esac
}

unlike() {        # unlike GOT NEEDLE NAME
    case "$1" in
        *"$2"*) _tap_result 1 "$3" "     got: '$1'
expected not to contain: '$2'" ;;
        *) _tap_result 0 "$3" ;;
    esac
}

skip() {          # skip N REASON
    local i
    for ((i = 0; i < $1; i++)); do _tap_n=$((_tap_n + 1)); echo "ok $_tap_n # SKIP $2"; done
}

skip_all() {
    echo "1..0 # SKIP $1"
    exit 0
}

bail() {
    echo "Bail out! $1"
    exit 1
}

diag() { printf '# %s\n' "$@"; }

done_testing() {
    echo "1..$_tap_n"
    [ "$_tap_failed" = 0 ]
    exit $?
}

need_servers() {
    if [ -z "${STEWARD_TEST_PG_URL:-}" ] || [ -z "${STEWARD_TEST_REDIS_URL:-}" ]; then
        if [ "${CI:-}" = true ]; then
            bail "no test servers (STEWARD_TEST_PG_URL unset): run through scripts/dev test"
        fi
        skip_all "no test servers: run 'tests/lib/servers.sh run make check' or 'scripts/dev test'"
    fi
}

# fresh_db NAME: create a database of our own (dropped at exit); prints its URL.
fresh_db() {
    local name="t_${1}_$$"
    psql -q "$STEWARD_TEST_PG_ADMIN_URL" -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
    psql -q "$STEWARD_TEST_PG_ADMIN_URL" -c "CREATE DATABASE \"$name\"" >/dev/null
    echo "$name" >> "$T/.tap_dbs"
    echo "${STEWARD_TEST_PG_ADMIN_URL%/*}/$name"
}

# wait_until SECONDS CMD...: poll CMD every 50 ms until it succeeds or the deadline passes.
wait_until() {
    local deadline=$(( $(date +%s%N) / 1000000 + ${1%.*} * 1000 )); shift
    until "$@" >/dev/null 2>&1; do
        [ $(( $(date +%s%N) / 1000000 )) -ge "$deadline" ] && return 1
        sleep 0.05
    done
}
