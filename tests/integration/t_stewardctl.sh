#!/usr/bin/env bash
# t_stewardctl.sh -- stewardctl against a fake supervisor and worker (tests/unit/ctl_echo_server):
# usage errors exit 2, operational errors exit 1 with a message naming the fix, the status
# table and --json, reload/start/stop/restart, NAME COMMAND forwarding, and refused peers
# (run as nobody) when we are root.
. "${top_srcdir:-$(dirname "$0")/../..}/tests/lib/tap.sh"

SERVER=$top_builddir/tests/unit/ctl_echo_server
[ -x "$STEWARDCTL" ] || bail "missing $STEWARDCTL"
[ -x "$SERVER" ] || bail "missing $SERVER (make check builds it)"

pids=()
_tap_cleanup_hook='for p in "${pids[@]:-}"; do [ -n "$p" ] && kill "$p" 2>/dev/null; done; wait'

# run ARGS...: sets out, err, rc
run() {
    out=$("$STEWARDCTL" "$@" 2>"$T/err"); rc=$?
    err=$(cat "$T/err")
}

# start_server DIR MODE
start_server() {
    mkdir -p "$1"
    "$SERVER" "$1" "$2" &
    pids+=($!)
    wait_until 5 test -S "$1/echo.sock" || bail "ctl_echo_server did not start in $1"
}

# --- usage errors: exit 2 ---
run; is "$rc" 2 "no command: exit 2"
like "$err" "stewardctl: missing command" "no command: says what is missing"
run -x status; is "$rc:$err" "2:stewardctl: unknown option: -x
usage: stewardctl [-s SOCKET] [--json] [-t TIMEOUT] status | reload | start NAME | stop NAME | restart NAME | NAME COMMAND [ARGS…]" \
    "unknown option: exit 2 with the usage line"
run start; is "$rc:$err" "2:stewardctl: usage: stewardctl start NAME" "start without NAME: exit 2"
run status now; is "$rc:$err" "2:stewardctl: status takes no arguments" "status with an argument: exit 2"
run frobnicate; is "$rc" 2 "a lone unknown word: exit 2"
like "$err" "stewardctl: unknown command: frobnicate" "... and it is named"
run -t soon status; is "$rc:$err" "2:stewardctl: bad timeout: soon (seconds, e.g. 5 or 0.5)
usage: stewardctl [-s SOCKET] [--json] [-t TIMEOUT] status | reload | start NAME | stop NAME | restart NAME | NAME COMMAND [ARGS…]" \
    "bad timeout: exit 2"
run -s "$T/x.sock" ../etc ping; is "$rc:$err" "2:stewardctl: bad worker name: ../etc (an instance name such as transform.2)" \
    "a worker name with a slash is refused"
run --help; is "$rc" 0 "--help exits 0"
like "$out" "NAME COMMAND [ARGS…]" "--help prints usage on stdout"

# --- no server: exit 1, message names the fix ---
run -s "$T/none.sock" status
is "$rc:$err" "1:stewardctl: connect $T/none.sock: No such file or directory (is steward running? set -s or STEWARD_SOCKET)" \
    "missing socket: exit 1, names -s and STEWARD_SOCKET"
out=$(STEWARD_SOCKET="$T/env.sock" "$STEWARDCTL" status 2>&1)
like "$out" "connect $T/env.sock:" "STEWARD_SOCKET is used without -s"
out=$(STEWARD_SOCKET="$T/env.sock" "$STEWARDCTL" -s "$T/opt.sock" status 2>&1)
like "$out" "connect $T/opt.sock:" "-s wins over STEWARD_SOCKET"
out=$(env -u STEWARD_SOCKET "$STEWARDCTL" -t 0.5 status 2>&1)
like "$out" "/run/steward/steward.sock" "default socket is /run/steward/steward.sock"

# --- against the fake server ---
S=$T/srv
start_server "$S" 0660
run -s "$S/steward.sock" status
is "$rc" 0 "status: exit 0"
is "$out" "steward pid 4242, config /etc/steward/steward.conf, generation 3, started 2026-12-02T04:00:00Z, limits cgroup-v2
NAME         KIND          PID   STATE    RESTARTS  UPTIME  LAST-EXIT   MEMORY  CPU    LIMITS
transform.1  transformer   4250  running  0         1h02m   -           12M     1.50s  memory=256M,cpu=0.5
cache        cache-warmer  -     backoff  3         0s      oom-killed  -       -      -" \
    "status prints the header line and the worker table"
run -s "$S/steward.sock" --json status
is "$out" '{"pid":4242,"config":"/etc/steward/steward.conf","generation":3,"started_at":"2026-12-02T04:00:00Z","workers":[{"name":"transform.1","kind":"transformer","pid":4250,"state":"running","restarts":0,"uptime_s":3725,"last_exit":null,"memory_bytes":12582912,"cpu_seconds":1.5,"limits":{"memory":268435456,"cpu":0.5},"limit_mechanism":"cgroup-v2"},{"name":"cache","kind":"cache-warmer","pid":0,"state":"backoff","restarts":3,"uptime_s":0,"last_exit":"oom-killed","memory_bytes":null,"cpu_seconds":null,"limits":{},"limit_mechanism":"cgroup-v2"}]}' \
    "status --json prints the raw result on one line"
run -s "$S/steward.sock" --json reload; is "$rc:$out" '0:{"generation":4}' "reload --json prints the result"
run -s "$S/steward.sock" reload; is "$out" '{
  "generation": 4
}' "reload prints the result pretty"
run -s "$S/steward.sock" restart cache; is "$rc:$out" "0:ok" "restart NAME: ok, exit 0"
run -s "$S/steward.sock" stop transform.1; is "$rc:$out" "0:ok" "stop NAME: ok, exit 0"
run -s "$S/steward.sock" start ghost
is "$rc:$err" "1:stewardctl: no such worker: ghost" "an error reply goes to stderr, exit 1"

# NAME COMMAND [ARGS...] goes to <dir of socket>/NAME.sock
run -s "$S/steward.sock" echo metrics
is "$rc:$out" "0:# HELP up Up.
# TYPE up gauge
up 1" "a text result is printed raw"
run -s "$S/steward.sock" --json echo echo a -b "c d"
is "$out" '{"cmd":"echo","args":{"argv":["a","-b","c d"]}}' "arguments travel as args.argv, options included"
out=$(STEWARD_SOCKET="$S/steward.sock" "$STEWARDCTL" echo echo 2>&1)
is "$out" '{
  "cmd": "echo",
  "args": {
    "argv": [
    ]
  }
}' "an object result is pretty-printed"
run -s "$S/steward.sock" echo ping; is "$out" "pong" "worker ping"
run -s "$S/steward.sock" echo nope
is "$rc:$err" "1:stewardctl: unknown command: nope (try: ping, metrics, echo)" "unknown worker command lists the choices"
run -s "$S/steward.sock" ghost.1 ping
is "$rc:$err" "1:stewardctl: connect $S/ghost.1.sock: No such file or directory (no worker ghost.1 with a control socket: see stewardctl status; exec workers have none)" \
    "a worker without a socket, steward running: points at status"
run -s "$T/none.sock" ghost.1 ping
is "$rc:$err" "1:stewardctl: connect $T/ghost.1.sock: No such file or directory (is steward running? set -s or STEWARD_SOCKET)" \
    "a worker without a socket, no steward: points at the socket"

# --- refused peers (needs root to become nobody) ---
if [ "$(id -u)" != 0 ] || ! command -v setpriv >/dev/null; then
    skip 2 "not root (or no setpriv): cannot run stewardctl as nobody"
elif ! setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$STEWARDCTL"; then
    skip 2 "nobody cannot execute $STEWARDCTL"
else
    out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$STEWARDCTL" -s "$S/steward.sock" status 2>&1); rc=$?
    is "$rc:$out" "1:stewardctl: connect $S/steward.sock: Permission denied (are you in group $(stat -c %G "$S/steward.sock")?)" \
        "socket mode 0660 keeps others out at connect; the hint names the socket's group"
    S2=$T/open
    start_server "$S2" 0666
    out=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$STEWARDCTL" -s "$S2/steward.sock" status 2>&1); rc=$?
    is "$rc:$out" "1:stewardctl: permission denied: uid 65534 is not root or the daemon's uid (set steward.control_group to allow a group)" \
        "SO_PEERCRED refuses nobody even on an open socket"
fi
done_testing
