#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# An empty pool always loses the quorum (keepalived's rule), even with a
# hysteresis as large as the quorum; omega runs quorum_down at shutdown.
. "$(dirname "$0")/lib.sh"

P1=$(free_port); PS=$(free_port)
OUT=$T/out
mkdir -p "$OUT"; chmod 1777 "$OUT"
bg socat TCP-LISTEN:$P1,bind=127.0.0.1,reuseaddr,fork SYSTEM:true
L1=$LAST_PID
cat >"$T/q.sh" <<'SH'
#!/bin/sh
echo "$2" >>"$1/quorum"
SH
chmod 755 "$T/q.sh"
cat >"$T/lvsd.conf" <<CONF
global_defs {
  script_user $(id -un)
}
virtual_server 10.9.14.1 80 {
  delay_loop 0.3
  delay_before_retry 0.3
  protocol TCP
  lb_algo rr
  lb_kind NAT
  quorum 1
  hysteresis 1
  omega
  quorum_up "$T/q.sh $OUT up"
  quorum_down "$T/q.sh $OUT down"
  sorry_server 127.0.0.1 $PS
  real_server 127.0.0.1 $P1 {
    weight 1
    TCP_CHECK { connect_timeout 0.5 }
  }
}
CONF
start_lvsd
wait_for 6 weight_is 10.9.14.1:80 127.0.0.1:$P1 1 || fail "RS not in"
weight_is 10.9.14.1:80 127.0.0.1:$PS absent || fail "sorry server in with the quorum met"
ok "quorum 1, hysteresis 1: pool in, no sorry server"

kill "$L1"; wait "$L1" 2>/dev/null
wait_for 8 weight_is 10.9.14.1:80 127.0.0.1:$P1 absent || fail "dead RS not removed"
wait_for 6 weight_is 10.9.14.1:80 127.0.0.1:$PS 1 || fail "empty pool: sorry server not added"
wait_for 6 grep -qx down "$OUT/quorum" || fail "empty pool: quorum_down did not run"
ok "empty pool: quorum lost, sorry server in, quorum_down ran"

bg socat TCP-LISTEN:$P1,bind=127.0.0.1,reuseaddr,fork SYSTEM:true
sleep 1.5
weight_is 10.9.14.1:80 127.0.0.1:$PS 1 || fail "weight 1 regained a quorum of 1 + 1"
ok "weight 1 < quorum 1 + hysteresis 1: quorum stays lost"

: >"$OUT/quorum"
kill -TERM "$LVSD_PID"
wait_for 10 grep -qx down "$OUT/quorum" || fail "omega: quorum_down did not run at shutdown"
ok "omega: quorum_down ran at shutdown"
