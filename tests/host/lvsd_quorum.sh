#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# quorum, hysteresis, quorum_up/quorum_down and the sorry server; inhibit.
. "$(dirname "$0")/lib.sh"

P1=$(free_port); P2=$(free_port); P3=$(free_port)
OUT=$T/out
mkdir -p "$OUT"; chmod 1777 "$OUT"
l1() { bg socat TCP-LISTEN:$P1,bind=127.0.0.1,reuseaddr,fork SYSTEM:true; L1=$LAST_PID; }
l2() { bg socat TCP-LISTEN:$P2,bind=127.0.0.1,reuseaddr,fork SYSTEM:true; L2=$LAST_PID; }
l1; l2
cat >"$T/q.sh" <<'SH'
#!/bin/sh
echo "$2" >>"$1/quorum"
SH
chmod 755 "$T/q.sh"
cat >"$T/lvsd.conf" <<CONF
global_defs {
  script_user $(id -un)
}
virtual_server 10.9.4.1 80 {
  delay_loop 0.3
  delay_before_retry 0.3
  protocol TCP
  quorum 3
  hysteresis 1
  quorum_up "$T/q.sh $OUT up"
  quorum_down "$T/q.sh $OUT down"
  sorry_server 127.0.0.1 $P3
  real_server 127.0.0.1 $P1 {
    weight 2
    TCP_CHECK { connect_timeout 0.5 }
  }
  real_server 127.0.0.1 $P2 {
    weight 2
    TCP_CHECK { connect_timeout 0.5 }
  }
}
virtual_server 10.9.4.2 80 {
  delay_loop 0.3
  delay_before_retry 0.3
  protocol TCP
  inhibit_on_failure
  real_server 127.0.0.1 $P2 {
    weight 4
    TCP_CHECK { connect_timeout 0.5 }
  }
}
CONF
start_lvsd
wait_for 6 weight_is 10.9.4.1:80 127.0.0.1:$P1 2 || fail "RS1 not in"
weight_is 10.9.4.1:80 127.0.0.1:$P3 absent || fail "sorry server in while quorum is met"
ok "live weight 4 >= quorum 3: pool in, no sorry server"

kill "$L2"; wait "$L2" 2>/dev/null
# live weight 2: 2 + hysteresis 1 >= quorum 3, so the quorum holds.
wait_for 6 weight_is 10.9.4.1:80 127.0.0.1:$P2 absent || fail "RS2 not removed"
sleep 0.5
weight_is 10.9.4.1:80 127.0.0.1:$P3 absent || fail "quorum lost inside the hysteresis band"
ok "hysteresis: weight 2 keeps a quorum of 3 with hysteresis 1"
wait_for 6 weight_is 10.9.4.2:80 127.0.0.1:$P2 0 || fail "inhibit_on_failure did not set weight 0"
ok "inhibit_on_failure: weight 0 instead of removal"

kill "$L1"; wait "$L1" 2>/dev/null
wait_for 6 weight_is 10.9.4.1:80 127.0.0.1:$P3 1 || fail "sorry server not added on quorum loss"
weight_is 10.9.4.1:80 127.0.0.1:$P1 absent || fail "RS1 still in"
wait_for 6 grep -q down "$OUT/quorum" || fail "quorum_down did not run"
ok "quorum lost: sorry server in, quorum_down ran"

l1
sleep 1
# weight 2 < quorum 3 + hysteresis 1: not regained yet; RS stays out for the sorry server.
weight_is 10.9.4.1:80 127.0.0.1:$P3 1 || fail "quorum regained too early"
ok "weight 2 does not regain a quorum of 3 + 1"
l2
wait_for 6 weight_is 10.9.4.1:80 127.0.0.1:$P3 absent || fail "sorry server kept after quorum regained"
weight_is 10.9.4.1:80 127.0.0.1:$P1 2 || fail "RS1 not back"
weight_is 10.9.4.1:80 127.0.0.1:$P2 2 || fail "RS2 not back"
wait_for 6 grep -q up "$OUT/quorum" || fail "quorum_up did not run"
wait_for 6 weight_is 10.9.4.2:80 127.0.0.1:$P2 4 || fail "inhibited RS not restored"
ok "quorum regained: pool back, sorry server out, quorum_up ran"
