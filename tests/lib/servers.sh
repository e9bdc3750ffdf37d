#!/usr/bin/env bash
# servers.sh -- private PostgreSQL 15 cluster and redis-server for tests and `dev up`.
#
#   tests/lib/servers.sh start DIR   start both under DIR (loopback, free ports);
#                                    writes DIR/env with STEWARD_TEST_PG_URL, ...
#   tests/lib/servers.sh stop DIR    stop both, by the pids recorded in DIR
#   tests/lib/servers.sh run CMD...  start in a temp dir, run CMD with the env, stop
#
# PostgreSQL refuses to run as root, so as root the cluster belongs to `nobody`.
# Nothing here touches a system-wide server: every process is stopped by its pid.
set -euo pipefail

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
PG_PASSWORD=${PG_PASSWORD:-steward-test-pw}

port_is_free() {
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$(( 20000 + RANDOM % 30000 ))
        if port_is_free "$p"; then echo "$p"; return 0; fi
    done
    echo "servers.sh: no free port found" >&2
    return 1
}

as_pg_user() {
    if [ "$(id -u)" = 0 ]; then
        setpriv --reuid=nobody --regid=nogroup --clear-groups -- "$@"
    else
        "$@"
    fi
}

wait_for() {   # wait_for SECONDS CMD...
    local deadline=$(( $(date +%s) + $1 )); shift
    until "$@" >/dev/null 2>&1; do
        if [ "$(date +%s)" -ge "$deadline" ]; then return 1; fi
        sleep 0.1
    done
}

start_pg() {
    local dir=$1 port
    port=$(cat "$dir/pg.port" 2>/dev/null || true)
    if [ -z "$port" ] || ! port_is_free "$port"; then port=$(free_port); fi
    if [ ! -f "$dir/pg/data/PG_VERSION" ]; then     # an existing cluster is kept (dev up)
        init_pg "$dir"
    fi
    as_pg_user "$PGBIN/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -o "-p $port" -w -t 60 \
        start >/dev/null || { cat "$dir/pg/server.log" >&2; return 1; }
    head -1 "$dir/pg/data/postmaster.pid" > "$dir/pg.pid"
    echo "$port" > "$dir/pg.port"
    if [ -z "$(pg_admin "$port" -Atc "SELECT 1 FROM pg_database WHERE datname = 'steward_test'")" ]; then
        pg_admin "$port" -c "CREATE DATABASE steward_test" >/dev/null
    fi
}

pg_admin() {   # pg_admin PORT PSQL-ARGS...
    local port=$1; shift
    PGPASSWORD=$PG_PASSWORD "$PGBIN/psql" -X -q -h 127.0.0.1 -p "$port" -U steward -d postgres "$@"
}

init_pg() {
    local dir=$1
    mkdir -p "$dir/pg"
    printf '%s\n' "$PG_PASSWORD" > "$dir/pg/pwfile"
    if [ "$(id -u)" = 0 ]; then chown -R nobody:nogroup "$dir/pg"; chmod 755 "$dir"; fi
    as_pg_user "$PGBIN/initdb" -D "$dir/pg/data" -U steward --pwfile="$dir/pg/pwfile" \
        --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 \
        >"$dir/pg/initdb.log" 2>&1 || { cat "$dir/pg/initdb.log" >&2; return 1; }
    cat >> "$dir/pg/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir/pg'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 256MB
log_min_messages = warning
CONF
}

start_redis() {
    local dir=$1 port
    port=$(free_port)
    mkdir -p "$dir/redis"
    redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
        --dir "$dir/redis" --pidfile "$dir/redis.pid" --logfile "$dir/redis/redis.log" \
        --daemonize yes >/dev/null
    wait_for 20 redis-cli -h 127.0.0.1 -p "$port" ping || { echo "redis did not start" >&2; return 1; }
    echo "$port" > "$dir/redis.port"
}

write_env() {
    local dir=$1 pgp rp
    pgp=$(cat "$dir/pg.port"); rp=$(cat "$dir/redis.port")
    cat > "$dir/env" <<ENV
export STEWARD_TEST_DIR='$dir'
export STEWARD_TEST_PG_URL='postgresql://steward:$PG_PASSWORD@127.0.0.1:$pgp/steward_test'
export STEWARD_TEST_PG_ADMIN_URL='postgresql://steward:$PG_PASSWORD@127.0.0.1:$pgp/postgres'
export STEWARD_TEST_PG_PORT='$pgp'
export STEWARD_TEST_PG_HOST='127.0.0.1'
export STEWARD_TEST_PG_SOCKET_DIR='$dir/pg'
export STEWARD_TEST_REDIS_URL='redis://127.0.0.1:$rp/0'
export STEWARD_TEST_REDIS_PORT='$rp'
export PGBIN='$PGBIN'
ENV
}

stop_all() {
    local dir=$1 pid
    if [ -f "$dir/redis.pid" ]; then
        pid=$(cat "$dir/redis.pid")
        kill "$pid" 2>/dev/null || true
        wait_for 10 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
        rm -f "$dir/redis.pid"
    fi
    if [ -f "$dir/pg.pid" ]; then
        pid=$(cat "$dir/pg.pid")
        kill -INT "$pid" 2>/dev/null || true     # fast shutdown
        wait_for 30 bash -c "! kill -0 $pid" || kill -9 "$pid" 2>/dev/null || true
        rm -f "$dir/pg.pid"
    fi
}

case "${1:-}" in
start)
    dir=$(realpath -m "${2:?usage: servers.sh start DIR}")
    mkdir -p "$dir"
    start_pg "$dir"
    start_redis "$dir" || { stop_all "$dir"; exit 1; }
    write_env "$dir"
    echo "$dir/env"
    ;;
stop)
    stop_all "$(realpath -m "${2:?usage: servers.sh stop DIR}")"
    ;;
run)
    shift
    dir=$(mktemp -d /tmp/steward-test.XXXXXX)
    trap 'stop_all "$dir"; rm -rf "$dir"' EXIT
    "$0" start "$dir" >/dev/null
    # shellcheck disable=SC1091
    . "$dir/env"
    "$@"
    ;;
*)
    sed -n '2,12p' "$0" >&2
    exit 2
    ;;
esac
