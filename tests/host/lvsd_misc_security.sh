#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# enable_script_security covers MISC_CHECK as it covers notify_up: one
# script policy (runtime/script.h) for every caller.  A world-writable
# MISC_CHECK script that would run as root is refused (the check fails
# with the reason, the script never runs); the same script made safe runs.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root: the policy guards scripts run as root"
S=$T/scripts
OUT=$T/out
mkdir -p "$S" "$OUT"
chmod 755 "$T" "$S"
cat >"$S/check.sh" <<SH
#!/bin/sh
echo ran >>"$OUT/check"
exit 0
SH
cat >"$S/notify.sh" <<SH
#!/bin/sh
echo ran >>"$OUT/notify"
SH
chmod 777 "$S/check.sh" "$S/notify.sh"
cat >"$T/lvsd.conf" <<CONF
global_defs {
  script_user root
  enable_script_security
}
virtual_server 10.9.4.1 80 {
  delay_loop 0.3
  protocol TCP
  real_server 127.0.0.1 8011 {
    notify_up "$S/notify.sh"
    MISC_CHECK {
      misc_path "$S/check.sh"
    }
  }
}
CONF
refused() { ctl show | grep -q 'SECURITY VIOLATION'; }
start_lvsd
wait_for 6 refused || fail "MISC_CHECK: insecure script not refused (ctl show)"
wait_for 6 weight_is 10.9.4.1:80 127.0.0.1:8011 absent ||
	fail "RS in the pool although its only check was refused"
[ -e "$OUT/check" ] && fail "world-writable MISC_CHECK script ran as root"
ok "MISC_CHECK: world-writable script refused, RS kept out"

# notify_up in the same file, for comparison: refused the same way.  Make
# the check pass with a safe script, so notify_up is due.
cat >"$S/safe.sh" <<SH
#!/bin/sh
echo ran >>"$OUT/safe"
exit 0
SH
chmod 755 "$S/safe.sh"
sed -i "s|misc_path \"$S/check.sh\"|misc_path \"$S/safe.sh\"|" "$T/lvsd.conf"
ctl reload | grep -q '^ok' || fail "reload failed"
wait_for 6 test -s "$OUT/safe" || fail "safe MISC_CHECK script did not run"
wait_for 6 weight_is 10.9.4.1:80 127.0.0.1:8011 1 ||
	fail "RS not in after its safe check passed"
wait_for 6 grep -q "notify_up: SECURITY VIOLATION" "$T/lvsd.log" ||
	fail "notify_up: insecure script not refused"
[ -e "$OUT/notify" ] && fail "world-writable notify_up script ran"
[ -e "$OUT/check" ] && fail "the refused MISC_CHECK script ran after all"
ok "safe script runs; notify_up refused like MISC_CHECK"
echo "2 passed, 0 failed"
