#!/bin/bash
# t_systemd_unit.sh -- systemd/steward.service passes `systemd-analyze verify` without a
# warning (paths substituted to the built binary), and the sysusers/tmpfiles snippets
# create the steward user and 0750 directories in a scratch root.
. "$top_srcdir/tests/lib/tap.sh"

command -v systemd-analyze >/dev/null 2>&1 \
    || skip_all "systemd-analyze not installed (Debian package systemd)"
[ -x "$STEWARD" ] || skip_all "steward not built"

unit=$T/steward.service
sed -e "s|@bindir@|$(dirname "$STEWARD")|g" "$top_srcdir/systemd/steward.service.in" >"$unit"
# steward is called "steward" in the unit; the built binary may sit under another name
[ "$(basename "$STEWARD")" = steward ] || skip_all "built binary is not named steward"
out=$(systemd-analyze verify "$unit" 2>&1)
rc=$?
if [ $rc != 0 ] && printf '%s' "$out" | grep -qiE 'bus|connect|Operation not permitted'; then
    skip_all "systemd-analyze cannot run here: $(printf '%s' "$out" | head -1)"
fi
is "$rc" 0 "systemd-analyze verify accepts steward.service"
is "$out" "" "no warnings from systemd-analyze verify"
for key in Type=notify NotifyAccess=main Delegate=yes KillMode=mixed WatchdogSec=30s \
    'ExecReload=/bin/kill -HUP $MAINPID' RuntimeDirectoryMode=0750 ProtectSystem=strict \
    Restart=on-failure User=steward NoNewPrivileges=yes ProtectHome=yes PrivateTmp=yes \
    RuntimeDirectory=steward StateDirectory=steward; do
    ok "grep -qxF '$key' '$unit'" "unit sets $key"
done

# A negative control: verify does catch a broken ExecStart.
sed -e "s|^ExecStart=.*|ExecStart=$T/nonexistent/steward run|" "$unit" >"$T/broken.service"
ok "! systemd-analyze verify '$T/broken.service' >/dev/null 2>&1" "verify rejects a missing binary"

if command -v systemd-sysusers >/dev/null && command -v systemd-tmpfiles >/dev/null; then
    root=$T/root
    mkdir -p "$root/etc" "$root/run" "$root/var/lib"
    systemd-sysusers --root="$root" "$top_srcdir/systemd/steward.sysusers" >/dev/null 2>&1
    like "$(cat "$root/etc/passwd")" "steward:x:" "sysusers creates the steward user"
    uid=$(awk -F: '$1 == "steward" { print $3 }' "$root/etc/passwd")
    systemd-tmpfiles --root="$root" --create "$top_srcdir/systemd/steward.tmpfiles" >/dev/null 2>&1
    is "$(stat -c '%a %u' "$root/run/steward")" "750 $uid" "tmpfiles: /run/steward 0750 steward"
    is "$(stat -c '%a %u' "$root/var/lib/steward")" "750 $uid" "tmpfiles: /var/lib/steward 0750 steward"
else
    skip 3 "systemd-sysusers/systemd-tmpfiles not installed"
fi
done_testing
