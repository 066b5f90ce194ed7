#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# "script USER [GROUP]" on notify and quorum scripts, with keepalived's
# rules (runtime/script.h): the script runs as that user and group; the
# enable_script_security check applies to scripts that run as root,
# whoever named root; a file the user cannot execute is refused; an
# unknown user or group is an error at its file:line for lvsd -t.
# alpha: the real servers start down, so each notify_up is due once its
# check passes.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root: scripts change user only as root"
getent passwd nobody >/dev/null && getent group nogroup >/dev/null ||
	skip "needs the user nobody and the group nogroup"
S=$T/scripts
OUT=$T/out
mkdir -p "$S" "$OUT"
chmod 755 "$T" "$S"
chmod 1777 "$OUT"
cat >"$S/id.sh" <<SH
#!/bin/sh
echo "\$(id -u):\$(id -g)" >"$OUT/\$1"
SH
cp "$S/id.sh" "$S/ww.sh"
cp "$S/id.sh" "$S/private.sh"
chmod 755 "$S/id.sh"
chmod 777 "$S/ww.sh"
chmod 700 "$S/private.sh"
NOBODY=$(id -u nobody):$(getent group nogroup | cut -d: -f3)
cat >"$T/lvsd.conf" <<CONF
global_defs {
  enable_script_security
}
virtual_server 10.9.5.1 80 {
  delay_loop 0.3
  protocol TCP
  lb_algo rr
  lb_kind NAT
  alpha
  real_server 127.0.0.1 8024 {
    notify_up "$S/ww.sh ww_nobody" nobody
    MISC_CHECK { misc_path /bin/true }
  }
  real_server 127.0.0.1 8021 {
    notify_up "$S/id.sh notify_up" nobody nogroup
    MISC_CHECK { misc_path /bin/true }
  }
  real_server 127.0.0.1 8022 {
    notify_up "$S/ww.sh as_root" root
    MISC_CHECK { misc_path /bin/true }
  }
  real_server 127.0.0.1 8023 {
    notify_up "$S/private.sh private" nobody
    MISC_CHECK { misc_path /bin/true }
  }
}
CONF
start_lvsd
wait_for 10 test -s "$OUT/notify_up" || fail "notify_up as nobody did not run"
[ "$(cat "$OUT/notify_up")" = "$NOBODY" ] ||
	fail "notify_up ran as $(cat "$OUT/notify_up"), not $NOBODY"
ok "notify_up runs as its user:group ($NOBODY)"
wait_for 10 test -s "$OUT/ww_nobody" ||
	fail "world-writable script as nobody did not run"
ok "a world-writable script run as nobody is not refused (root only)"
wait_for 10 grep -q "notify_up: SECURITY VIOLATION.*ww.sh" "$T/lvsd.log" ||
	fail "world-writable script named to run as root was not refused"
[ -e "$OUT/as_root" ] && fail "world-writable script ran as root"
ok "the same script named to run as root is refused"
wait_for 10 grep -q "private.sh is not executable for uid:gid" "$T/lvsd.log" ||
	fail "a script its user cannot execute was not refused"
[ -e "$OUT/private" ] && fail "the private script ran"
ok "a script its user cannot execute is refused with the reason"

cat >"$T/bad.conf" <<CONF
virtual_server 10.9.5.1 80 {
  protocol TCP
  real_server 127.0.0.1 8021 {
    notify_down /bin/true nosuchuser$$
  }
  quorum_down /bin/true nobody nosuchgroup$$
}
CONF
out=$("$LVSD" -t -f "$T/bad.conf" 2>&1)
rc=$?
[ $rc = 5 ] || fail "lvsd -t exit $rc for unknown users (want 5): $out"
echo "$out" | grep -q "bad.conf:3: error: script '/bin/true': unknown user 'nosuchuser$$'" ||
	fail "unknown user not reported at its real server: $out"
echo "$out" | grep -q "bad.conf:1: error: .*unknown group 'nosuchgroup$$'" ||
	fail "unknown group not reported at its virtual server: $out"
ok "unknown user or group: lvsd -t errors at file:line"
echo "4 passed, 0 failed"
