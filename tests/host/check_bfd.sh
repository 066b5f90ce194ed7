#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# BFD_CHECK: a real BFD session (RFC 5880 asynchronous mode, RFC 5881
# single hop) between lvsd and FRR's bfdd in a network namespace.  The
# real server comes in when the session is Up, goes out when bfdd stops
# (detection time expires) and comes back when it restarts.
. "$(dirname "$0")/lib.sh"

BFDD=/usr/lib/frr/bfdd
[ -x "$BFDD" ] || skip "no FRR bfdd (apt-get install frr)"
id frr >/dev/null 2>&1 || skip "no frr user"
need_netns
NS=lvsdbfd$$
make_netns "$NS" 10.77.$(( $$ % 200 )).1 10.77.$(( $$ % 200 )).2
H=10.77.$(( $$ % 200 )).1; N=10.77.$(( $$ % 200 )).2
ss -Hlun "sport = :3784" | grep -q . && skip "UDP port 3784 is taken"
F=$T/frr
mkdir -p "$F"; chmod 777 "$F"
cat >"$F/bfdd.conf" <<CONF
bfd
 peer $H local-address $N
  receive-interval 200
  transmit-interval 200
 !
!
CONF
start_bfdd() {
	bg ip netns exec "$NS" "$BFDD" -f "$F/bfdd.conf" --vty_socket "$F" \
		-i "$F/bfdd.pid" --bfdctl "$F/bfdd.sock" -z "$F/zserv.api" \
		-u frr -g frr -P 0 --log "file:$F/bfdd.log"
	BFDD_PID=$LAST_PID
}
start_bfdd
cat >"$T/lvsd.conf" <<CONF
bfd_instance frr {
  neighbor_ip $N
  source_ip $H
  min_rx 200
  min_tx 200
  multiplier 3
}
virtual_server 10.9.13.1 80 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol TCP
  real_server $N 80 {
    BFD_CHECK {
      name frr
      alpha
    }
  }
}
CONF
same_t_code "$T/lvsd.conf" || fail "lvsd -t and keepalived -t disagree"
"$LVSD" -t -f "$T/lvsd.conf" || fail "config rejected"
start_lvsd
wait_for 15 weight_is 10.9.13.1:80 "$N:80" 1 || { cat "$F/bfdd.log" 2>/dev/null | tail; fail "BFD session did not come up"; }
ok "session with bfdd Up: real server in"
kill "$BFDD_PID"; wait "$BFDD_PID" 2>/dev/null
wait_for 10 weight_is 10.9.13.1:80 "$N:80" absent || fail "bfdd stopped, real server kept"
ctl show | grep -q "BFD session with frr is Down" || fail "reason not shown"
ok "bfdd stopped: session Down, real server out"
start_bfdd
wait_for 15 weight_is 10.9.13.1:80 "$N:80" 1 || fail "bfdd back, real server not"
ok "bfdd back: session Up again, real server in"

cat >"$T/bad.conf" <<CONF
bfd_instance x {
  neighbor_ip $N
  max_hops 5
}
virtual_server 10.9.13.2 80 {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  real_server $N 80 {
    BFD_CHECK {
      name nosuch
    }
  }
}
CONF
"$LVSD" -t -f "$T/bad.conf" >"$T/bad.out" 2>&1 && fail "bad BFD config accepted"
grep -q "bad.conf:3: error: max_hops: lvsd's BFD is single hop only" "$T/bad.out" || { cat "$T/bad.out"; fail "multihop not refused at file:line"; }
grep -q "bad.conf:10: error: BFD_CHECK: bfd_instance nosuch not found" "$T/bad.out" || { cat "$T/bad.out"; fail "unknown instance not reported"; }
ok "multihop and an unknown bfd_instance: errors at file:line"
