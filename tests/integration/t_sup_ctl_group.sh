#!/bin/bash
# t_sup_ctl_group.sh -- control_group: the run dir (0750) and every socket (0660) belong to
# that group, so a member that is neither root nor the daemon's uid may use stewardctl on
# the supervisor and on a native worker; the same uid outside the group is refused. A
# daemon user outside the group cannot hand it the sockets: steward warns and runs.
# Needs root, groupadd/groupdel and setpriv: a throwaway group is made and deleted.
. "$top_srcdir/tests/lib/tap.sh"
. "$top_srcdir/tests/integration/sup_lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root (groupadd, setpriv)"
for c in groupadd groupdel setpriv; do
    command -v "$c" >/dev/null 2>&1 || skip_all "$c not installed"
done
setpriv --reuid=nobody --regid=nogroup --clear-groups test -x "$STEWARDCTL" 2>/dev/null \
    || skip_all "nobody may not execute $STEWARDCTL"

group=stw-t$$
groupadd "$group" || bail "groupadd $group failed"
_tap_cleanup_hook="_sup_cleanup; groupdel $group 2>/dev/null"
gid=$(getent group "$group" | cut -d: -f3)

sup_conf <<EOF
steward = { run_dir = "$T/run"; shutdown_timeout = 5.0; control_group = "$group"; };
database = { url = "postgresql://steward@127.0.0.1:1/none"; };
workers = (
  { name = "a"; kind = "exec"; command = ["/bin/sleep", "1000"]; },
  { name = "sched"; kind = "scheduler"; }
);
EOF
umask 077                           # steward must not depend on a friendly umask
sup_start
wait_until 10 state_is sched running

is "$(stat -c '%a %g' "$T/run")" "750 $gid" "run dir is 0750 in the control group (umask 077)"
is "$(stat -c '%a %g' "$SOCK")" "660 $gid" "steward.sock is 0660 in the control group"
is "$(stat -c '%a %g' "$T/run/sched.sock")" "660 $gid" "a worker's socket is 0660 in the control group"

member() { setpriv --reuid=nobody --regid=nogroup --groups="$gid" "$STEWARDCTL" -s "$SOCK" "$@"; }
out=$(member --json status 2>&1)
is "$?" 0 "a control_group member (uid nobody) may run stewardctl status"
is "$(jq -r '.workers[] | select(.name == "a") | .state' <<<"$out")" running "and reads the status"
is "$(member sched ping 2>&1)" pong "a member reaches a native worker's socket"

err=$(setpriv --reuid=nobody --regid=nogroup --clear-groups "$STEWARDCTL" -s "$SOCK" status 2>&1)
is "$?" 1 "the same uid outside the group is refused"
like "$err" "ermission denied" "with permission denied"

sup_stop TERM
is "$SUP_RC" 0 "steward exits 0"

# steward itself as nobody, not in the group: chgrp is refused (EPERM), steward still runs.
mkdir "$T/nb" && chown nobody "$T/nb"
cat >"$T/nobody.conf" <<EOF
steward = { run_dir = "$T/nb/run"; shutdown_timeout = 5.0; control_group = "$group"; };
workers = ( { name = "a"; kind = "exec"; command = ["/bin/sleep", "1000"]; } );
EOF
chmod 644 "$T/nobody.conf"
setpriv --reuid=nobody --regid=nogroup --clear-groups "$STEWARD" run -c "$T/nobody.conf" \
    2>"$T/nobody.err" &
npid=$!
_tap_cleanup_hook="_sup_cleanup; kill -TERM $npid 2>/dev/null; groupdel $group 2>/dev/null"
nb_up() { "$STEWARDCTL" -s "$T/nb/run/steward.sock" status >/dev/null 2>&1; }
wait_until 10 nb_up
ok nb_up "steward run by a user outside control_group starts and answers root"
like "$(cat "$T/nobody.err")" "control socket not in the control group" \
    "it warns that the group's members cannot connect"
kill -TERM "$npid"
wait "$npid"
is "$?" 0 "that steward exits 0"
done_testing
