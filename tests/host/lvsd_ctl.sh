#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The control socket (permissions, commands, errors), the Prometheus
# endpoint, and lvsd -t's exit codes next to keepalived's.
. "$(dirname "$0")/lib.sh"

P1=$(free_port); MP=$(free_port)
bg socat TCP-LISTEN:$P1,bind=127.0.0.1,reuseaddr,fork SYSTEM:true
cat >"$T/lvsd.conf" <<CONF
global_defs {
  lvsd_metrics_listen 127.0.0.1:$MP
}
virtual_server 10.9.6.1 80 {
  delay_loop 0.3
  protocol TCP
  real_server 127.0.0.1 $P1 {
    weight 5
    drain_timeout 1
    TCP_CHECK { connect_timeout 0.5 }
  }
}
CONF
# systemd's notify protocol, received as systemd would.
bg socat -u UNIX-RECV:"$T/notify.sock" OPEN:"$T/notify.out",creat,append
wait_for 5 test -S "$T/notify.sock" || fail "no notify socket"
export NOTIFY_SOCKET=$T/notify.sock
start_lvsd
unset NOTIFY_SOCKET
wait_for 5 grep -q READY=1 "$T/notify.out" || fail "no READY=1 for systemd"
kill -HUP "$LVSD_PID"
wait_for 5 grep -q RELOADING=1 "$T/notify.out" || fail "no RELOADING=1 on SIGHUP"
ok "sd_notify: READY=1, RELOADING=1"
[ "$(stat -c %a "$CTL")" = 600 ] || fail "control socket mode $(stat -c %a "$CTL")"
ok "control socket is 0600"
wait_for 6 weight_is 10.9.6.1:80 127.0.0.1:$P1 5 || fail "RS not in"
ctl show json | jq -e '.virtual_servers[0].real_servers[0].checks[0].type == "TCP_CHECK"' >/dev/null ||
	fail "show json"
ctl show | grep -q "RS 127.0.0.1:$P1 up enabled weight 5 backend 5" || fail "show text"
ok "show, text and JSON"

ctl disable 10.9.6.1:80 127.0.0.1:$P1 | grep -q '^ok' || fail "disable"
weight_is 10.9.6.1:80 127.0.0.1:$P1 absent || fail "disabled RS still in"
[ "$(rs_field tcp:10.9.6.1:80 127.0.0.1:$P1 admin)" = disabled ] || fail "admin state"
ctl enable tcp:10.9.6.1:80 127.0.0.1:$P1 | grep -q '^ok' || fail "enable"
weight_is 10.9.6.1:80 127.0.0.1:$P1 5 || fail "enabled RS not back"
ok "disable and enable"
ctl drain 10.9.6.1:80 127.0.0.1:$P1 | grep -q '^ok' || fail "drain"
# The dry backend reports no connections, so the drain ends at its first
# poll, a second later: on a slow host it may be over already.
w=$(backend_weight 10.9.6.1:80 127.0.0.1:$P1)
[ "$w" = 0 ] || { [ "$w" = absent ] && grep -q "drained" "$T/lvsd.log"; } ||
	fail "draining RS at weight $w, not 0"
wait_for 6 weight_is 10.9.6.1:80 127.0.0.1:$P1 absent || fail "drained RS not removed"
ctl enable 10.9.6.1:80 127.0.0.1:$P1 >/dev/null
weight_is 10.9.6.1:80 127.0.0.1:$P1 5 || fail "RS not back after drain"
ok "drain: weight 0, then removed; enable brings it back"

ctl disable 10.9.6.9:80 127.0.0.1:$P1 >/dev/null; [ $? = 1 ] || fail "unknown VS not an error"
ctl frobnicate >/dev/null; [ $? = 1 ] || fail "unknown command not an error"
"$LVSD" ctl -s "$T/nope.sock" show >/dev/null 2>&1; [ $? = 2 ] || fail "missing socket not rc 2"
ok "errors: rc 1 from lvsd, 2 when unreachable"

M=$(curl -s "http://127.0.0.1:$MP/metrics")
echo "$M" | grep -q '^# TYPE lvsd_check_results_total counter' || fail "metrics TYPE"
echo "$M" | grep -q "^lvsd_rs_backend_weight{vs=\"tcp:10.9.6.1:80\",rs=\"127.0.0.1:$P1\"} 5" ||
	fail "metrics rs weight"
echo "$M" | grep -q '^lvsd_probe_start_lag_seconds_count [1-9]' || fail "metrics lag"
ok "Prometheus metrics"

printf 'virtual_server 10.0.0.1 80 {\n protocol TCP\n lb_algo rr\n lb_kind NAT\n real_server 10.0.0.2 80 {\n }\n}\n' >"$T/good.conf"
printf 'virtual_server 10.0.0.1 80 {\n protocol TCP\n bogus_kw 1\n lb_algo rr\n lb_kind NAT\n real_server 10.0.0.2 80 {\n }\n}\n' >"$T/bad.conf"
"$LVSD" -t -f "$T/good.conf" 2>/dev/null; [ $? = 0 ] || fail "-t good"
"$LVSD" -t -f "$T/bad.conf" 2>"$T/err"; [ $? = 5 ] || fail "-t bad not 5"
grep -q "bad.conf:3: error: Unknown keyword 'bogus_kw'" "$T/err" || fail "-t message: $(cat "$T/err")"
"$LVSD" -t -f "$T/missing.conf" 2>/dev/null; [ $? = 4 ] || fail "-t missing not 4"
ok "lvsd -t: 0, 5 with file:line, 4"
if command -v keepalived >/dev/null; then
	timeout 10 keepalived -t -f "$T/good.conf" >/dev/null 2>&1; [ $? = 0 ] || fail "keepalived -t good"
	timeout 10 keepalived -t -f "$T/bad.conf" >/dev/null 2>&1; [ $? = 5 ] || fail "keepalived -t bad"
	ok "keepalived -t agrees"
fi
