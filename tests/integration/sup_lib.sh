# sup_lib.sh -- helpers for the supervisor integration tests (sourced after tap.sh).
#
#   sup_conf <<EOF ... EOF        write $T/steward.conf (run_dir = $T/run is yours to set)
#   sup_start                     steward run -c $T/steward.conf, stderr in $T/stderr
#   sctl status                   stewardctl --json on this test's socket
#   wfield NAME FIELD             a field of one instance in `status` (jq -r)
#   sup_stop                      SIGTERM and wait for exit; $SUP_RC holds the exit code
SUP_PID=
SUP_RC=
SOCK=$T/run/steward.sock

command -v jq >/dev/null 2>&1 || skip_all "jq not installed"
[ -x "$STEWARDCTL" ] || skip_all "stewardctl not built"

sup_conf() { cat >"$T/steward.conf"; }

sctl() { "$STEWARDCTL" -s "$SOCK" --json "$@"; }

# sraw LINE [SOCKET]: send one raw request line, print the raw reply line.
sraw() {
    python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(5)
s.connect(sys.argv[2])
s.sendall(sys.argv[1].encode() + b"\n")
buf = b""
while not buf.endswith(b"\n"):
    d = s.recv(65536)
    if not d:
        break
    buf += d
sys.stdout.write(buf.decode())' "$1" "${2:-$SOCK}"
}

# smetrics: the supervisor's Prometheus text
smetrics() { sraw '{"cmd":"metrics"}' | jq -r .result; }

wfield() { sctl status | jq -r --arg n "$1" ".workers[] | select(.name == \$n) | .$2"; }

# state_is NAME STATE: for wait_until
state_is() { [ "$(wfield "$1" state)" = "$2" ]; }

# pid_changed NAME OLDPID: a different live pid
pid_changed() { local p; p=$(wfield "$1" pid); [ -n "$p" ] && [ "$p" != null ] && [ "$p" != "$2" ]; }

alive() { kill -0 "$1" 2>/dev/null; }
dead() { ! kill -0 "$1" 2>/dev/null; }

sup_start() {
    "$STEWARD" run -c "$T/steward.conf" 2>"$T/stderr" &
    SUP_PID=$!
    wait_until 10 sctl status || { tail -5 "$T/stderr" | cut -c1-300 | sed 's/^/# /'; bail "steward did not answer on $SOCK"; }
}

sup_exited() { ! kill -0 "$SUP_PID" 2>/dev/null; }

# sup_stop [SIGNAL]: signal steward and collect its exit code in SUP_RC.
sup_stop() {
    kill -"${1:-TERM}" "$SUP_PID" 2>/dev/null || true
    wait_until 20 sup_exited || kill -KILL "$SUP_PID" 2>/dev/null
    wait "$SUP_PID" 2>/dev/null
    SUP_RC=$?
}

# Every line steward wrote on stderr is one JSON object.
stderr_all_json() {
    python3 -c '
import json, sys
bad = 0
for n, line in enumerate(open(sys.argv[1], "rb"), 1):
    try:
        o = json.loads(line.decode("utf-8"))
        assert isinstance(o, dict)
    except Exception as e:
        print("# line %d not JSON: %r" % (n, line[:200])); bad += 1
sys.exit(1 if bad else 0)' "$T/stderr"
}

_sup_cleanup() {
    if [ -n "$SUP_PID" ] && kill -0 "$SUP_PID" 2>/dev/null; then
        kill -TERM "$SUP_PID" 2>/dev/null
        wait_until 10 sup_exited || kill -KILL "$SUP_PID" 2>/dev/null
    fi
}
_tap_cleanup_hook=_sup_cleanup
