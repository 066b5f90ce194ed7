#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Reload (SIGHUP and "ctl reload") changes only what the new file changes:
# unchanged real servers keep their state, failed ones are probed again at
# once, removed ones are drained out, a file with errors changes nothing.
. "$(dirname "$0")/lib.sh"

P1=$(free_port); P2=$(free_port); P3=$(free_port); P4=$(free_port)
MP=$(free_port)
for p in $P1 $P2 $P4; do
	bg socat TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork SYSTEM:true
done
conf() {	# WEIGHT2 EXTRA_RS EXTRA_VS
	cat >"$T/lvsd.conf" <<CONF
global_defs {
  lvsd_metrics_listen 127.0.0.1:$MP
  lvsd_drain_timeout 5
}
virtual_server 10.9.5.1 80 {
  delay_loop 0.5
  protocol TCP
  real_server 127.0.0.1 $P1 {
    TCP_CHECK { connect_timeout 0.5 }
  }
  real_server 127.0.0.1 $P2 {
    weight $1
    TCP_CHECK { connect_timeout 0.5 }
  }
  real_server 127.0.0.1 $P3 {
    delay_loop 30
    retry 0
    TCP_CHECK {
      connect_timeout 0.5
      warmup 0
    }
  }
$2
}
$3
CONF
}
RS4="  real_server 127.0.0.1 $P4 {
    TCP_CHECK { connect_timeout 0.5 }
  }"
VSB="virtual_server 10.9.5.2 80 {
  protocol TCP
  real_server 127.0.0.1 $P1 { }
}"
VSC="virtual_server 10.9.5.3 80 {
  protocol TCP
  real_server 127.0.0.1 $P2 { weight 9 }
}"
conf 1 "$RS4" "$VSB"
start_lvsd
wait_for 6 weight_is 10.9.5.1:80 127.0.0.1:$P4 1 || fail "RS4 not in"
wait_for 6 weight_is 10.9.5.1:80 127.0.0.1:$P3 absent || fail "RS3 (nothing listening) in"
weight_is 10.9.5.2:80 127.0.0.1:$P1 1 || fail "VS B not set up"
probes1() { ctl show json | jq --arg rs 127.0.0.1:$P1 '[.virtual_servers[0].real_servers[] | select(.address == $rs) | .checks[0].ok][0]'; }
probed() { [ "$(probes1)" -ge 1 ]; }
wait_for 6 probed || fail "no probe yet"
ok1=$(probes1)
f3=$(ctl show json | jq --arg rs 127.0.0.1:$P3 '[.virtual_servers[0].real_servers[] | select(.address == $rs) | .checks[0].failed][0]')

conf 3 "" "$VSC"
kill -HUP "$LVSD_PID"
wait_for 6 weight_is 10.9.5.1:80 127.0.0.1:$P2 3 || fail "weight change not applied"
ok "SIGHUP: changed weight applied"
ok1b=$(ctl show json | jq --arg rs 127.0.0.1:$P1 '[.virtual_servers[0].real_servers[] | select(.address == $rs) | .checks[0].ok][0]')
[ "$ok1b" -ge "$ok1" ] || fail "unchanged RS lost its check state ($ok1 -> $ok1b)"
weight_is 10.9.5.1:80 127.0.0.1:$P1 1 || fail "unchanged RS touched"
ok "unchanged RS kept its state ($ok1 -> $ok1b probes)"
wait_for 4 test "$(ctl show json | jq --arg rs 127.0.0.1:$P3 '[.virtual_servers[0].real_servers[] | select(.address == $rs) | .checks[0].failed][0]')" -gt "$f3" ||
	fail "failed RS not probed again on reload (delay_loop 30)"
ok "failed RS probed again at once"
weight_is 10.9.5.2:80 127.0.0.1:$P1 absent || fail "VS B still has its RS"
ctl backend | grep -q "10.9.5.2:80" && fail "removed VS still in the backend"
weight_is 10.9.5.3:80 127.0.0.1:$P2 9 || fail "new VS C not set up"
ok "removed VS deleted, new VS added"
# RS4 left the file: drained (weight 0), then deleted.
wait_for 6 weight_is 10.9.5.1:80 127.0.0.1:$P4 absent || fail "removed RS not deleted after drain"
grep -q "drained" "$T/lvsd.log" || fail "removed RS was not drained"
ok "removed RS drained, then deleted"

cp "$T/lvsd.conf" "$T/good.conf"
sed -i 's/weight 3/weight 4\n    no_such_keyword 1/' "$T/lvsd.conf"
ctl reload | grep -q '^error' || fail "reload with errors not refused"
weight_is 10.9.5.1:80 127.0.0.1:$P2 3 || fail "bad file changed something"
kill -HUP "$LVSD_PID"
sleep 0.5
weight_is 10.9.5.1:80 127.0.0.1:$P2 3 || fail "bad file applied on SIGHUP"
grep -q "no_such_keyword" "$T/lvsd.log" || fail "error not logged with its keyword"
curl -s "http://127.0.0.1:$MP/metrics" | grep -q '^lvsd_config_reload_failures_total 2' ||
	fail "reload failures not counted"
ok "file with errors refused twice; old config still runs"
cp "$T/good.conf" "$T/lvsd.conf"
ctl reload | grep -q '^ok' || fail "good reload refused"
curl -s "http://127.0.0.1:$MP/metrics" | grep -q '^lvsd_config_reloads_total 2' ||
	fail "reloads not counted"
ok "good file reloads again"
