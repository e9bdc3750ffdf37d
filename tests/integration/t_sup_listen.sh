#!/bin/bash
# t_sup_listen.sh -- inherited listeners: a native worker's `listen` socket is made by the
# supervisor and outlives the worker's restarts (connections queue in its backlog while
# the process is replaced; same socket inode after); a reload changing `listen` makes a
# new socket for that worker only; a bind error names worker and address and leaves the
# worker in backoff/failed, steward running.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"
command -v ss >/dev/null 2>&1 || skip_all "ss not installed"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
P1=$(free_port); P2=$(free_port); PB=$(free_port)
# listen_ino PORT: inode of the socket listening on 127.0.0.1:PORT ("" when none)
listen_ino() { ss -Hltne "sport = :$1" | grep -o 'ino:[0-9]*' | head -1; }
# connects PORT: a TCP connect succeeds (queued in the backlog: nobody accepts)
connects() { python3 -c 'import socket,sys; s=socket.create_connection(("127.0.0.1",int(sys.argv[1])),2); s.close()' "$1"; }

# Something else holds PB: the "busy" worker cannot bind it.
python3 -c 'import socket,sys,time; s=socket.socket(); s.bind(("127.0.0.1",int(sys.argv[1]))); s.listen(); print("up", flush=True); time.sleep(600)' "$PB" >"$T/holder.out" &
HOLDER=$!
_tap_cleanup_hook="_sup_cleanup; kill $HOLDER 2>/dev/null"
wait_until 5 grep -q up "$T/holder.out"

conf() {
    sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; heartbeat_s = 0.5; };
database = { url = "postgresql://steward@127.0.0.1:1/none"; };
workers = (
  { name = "events"; kind = "metrics"; listen = "127.0.0.1:$1"; },
  { name = "other"; kind = "metrics"; listen = "127.0.0.1:$P2"; },
  { name = "busy"; kind = "metrics"; listen = "127.0.0.1:$PB"; start_limit_burst = 2; }
);
EOF
}
conf "$P1"
sup_start
wait_until 10 state_is events running
ino=$(listen_ino "$P1"); ino2=$(listen_ino "$P2")
ok "[ -n '$ino' ]" "port $P1 is listening ($ino)"
ok "ss -Hltnp 'sport = :$P1' | grep -q 'pid=$SUP_PID,'" "held by the supervisor"
ok "connects $P1" "a connection is accepted into the backlog"

old=$(wfield events pid)
sctl stop events >/dev/null
wait_until 5 state_is events stopped
ok "connects $P1" "with the worker stopped, connect still succeeds (backlog)"
kill_and_connect() { kill -9 "$1"; connects "$P1"; }
sctl start events >/dev/null
wait_until 10 state_is events running
p=$(wfield events pid)
ok "kill_and_connect $p" "connect right after kill -9 of the worker succeeds"
wait_until 10 pid_changed events "$p"
wait_until 10 state_is events running
is "$(listen_ino "$P1")" "$ino" "after restarts the same socket (inode) listens"
p=$(wfield events pid)
ok "ls -l /proc/$p/fd | grep -q 'socket:\[${ino#ino:}\]'" "the worker process holds that socket (worker_ctx.listen_fd)"

wait_until 15 state_is busy failed
is "$(wfield busy state)" failed "a bind error: the worker fails, steward runs on"
ok "grep -q 'listen 127.0.0.1:$PB for busy: Address already in use' '$T/stderr'" \
    "the error names the address and the worker"
ok "! sup_exited" "steward still running"

P3=$(free_port)
conf "$P3"
sctl reload >/dev/null

has_listener() { [ -n "$(listen_ino "$1")" ]; }
no_listener() { [ -z "$(listen_ino "$1")" ]; }
wait_until 10 has_listener "$P3"
wait_until 10 state_is events running
ok "has_listener $P3" "reload: events listens on the new port $P3"
ok "no_listener $P1" "and no longer on $P1"
is "$(listen_ino "$P2")" "$ino2" "the other worker's socket is untouched"
sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"
ok "no_listener $P3 && no_listener $P2" "listeners closed at exit"
done_testing
