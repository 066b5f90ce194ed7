#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# MISC_CHECK: exit codes, misc_dynamic weights, misc_timeout, the script
# user; notify_up / notify_down scripts.
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip "needs root to run scripts as another user"
id nobody >/dev/null 2>&1 || skip "no user 'nobody'"
S=$T/scripts
OUT=$T/out
mkdir -p "$S" "$OUT"
chmod 755 "$S"
chmod 1777 "$OUT"
echo 0 >"$OUT/code"
chmod 666 "$OUT/code"
cat >"$S/check.sh" <<'SH'
#!/bin/sh
id -u >"$1/uid"
exit "$(cat "$1/code")"
SH
cat >"$S/slow.sh" <<'SH'
#!/bin/sh
sleep 5
SH
cat >"$S/notify.sh" <<'SH'
#!/bin/sh
echo "$2 $(id -u)" >>"$1/notify"
SH
chmod 755 "$S"/*.sh
cat >"$T/lvsd.conf" <<CONF
global_defs {
  script_user nobody
  enable_script_security
}
virtual_server 10.9.3.1 80 {
  delay_loop 0.3
  protocol TCP
  real_server 127.0.0.1 8001 {
    weight 7
    notify_up "$S/notify.sh $OUT up"
    notify_down "$S/notify.sh $OUT down"
    MISC_CHECK {
      misc_path "$S/check.sh $OUT"
      misc_dynamic
    }
  }
  real_server 127.0.0.1 8002 {
    MISC_CHECK {
      misc_path $S/slow.sh
      misc_timeout 0.5
    }
  }
}
CONF
start_lvsd
wait_for 6 weight_is 10.9.3.1:80 127.0.0.1:8001 7 || fail "exit 0: RS not in at its weight"
wait_for 6 test -s "$OUT/uid" || fail "script did not run"
[ "$(cat "$OUT/uid")" = "$(id -u nobody)" ] || fail "script ran as uid $(cat "$OUT/uid"), not nobody"
ok "exit 0: in with weight 7; script ran as nobody"
echo 5 >"$OUT/code"
wait_for 6 weight_is 10.9.3.1:80 127.0.0.1:8001 3 || fail "misc_dynamic exit 5 did not set weight 3"
ok "misc_dynamic exit 5: weight 3"
echo 0 >"$OUT/code"
wait_for 6 weight_is 10.9.3.1:80 127.0.0.1:8001 7 || fail "exit 0 did not restore weight 7"
ok "exit 0: configured weight again (no accumulation)"
echo 1 >"$OUT/code"
wait_for 6 weight_is 10.9.3.1:80 127.0.0.1:8001 absent || fail "exit 1 kept RS"
wait_for 6 grep -q "down $(id -u nobody)" "$OUT/notify" || fail "notify_down did not run as nobody"
ok "exit 1: out, notify_down ran"
echo 0 >"$OUT/code"
wait_for 6 grep -q "^up" "$OUT/notify" || fail "notify_up did not run"
ok "notify_up ran"
wait_for 8 weight_is 10.9.3.1:80 127.0.0.1:8002 absent || fail "timed-out script kept RS"
ctl show | grep -q "timed out" || fail "timeout not reported"
ok "misc_timeout: out"
sleep 1.5
n=$(pgrep -fc "$S/slow.sh")
[ "$n" -le 1 ] || fail "$n timed-out scripts still running"
ok "timed-out scripts are killed (at most the current one runs)"

# enable_script_security: a script others can write is not run as root.
chmod 777 "$S/notify.sh"
cat >"$T/lvsd2.conf" <<CONF
global_defs {
  script_user root
  enable_script_security
}
virtual_server 10.9.3.2 80 {
  delay_loop 0.3
  protocol TCP
  real_server 127.0.0.1 8003 {
    notify_down "$S/notify.sh $OUT insecure"
    MISC_CHECK {
      misc_path /bin/false
    }
  }
}
CONF
cp "$T/lvsd2.conf" "$T/lvsd.conf"
ctl reload | grep -q '^ok' || fail "reload failed"
wait_for 6 grep -q "SECURITY VIOLATION" "$T/lvsd.log" || fail "insecure script not refused"
grep -q insecure "$OUT/notify" && fail "insecure script ran"
ok "enable_script_security: writable script refused"
