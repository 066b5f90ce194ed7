#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# BFD_CHECK: real BFD sessions (RFC 5880 asynchronous mode) between lvsd
# and FRR's bfdd in a network namespace: single hop over IPv4 and IPv6
# (RFC 5881, port 3784) and multihop over IPv4 (RFC 5883, port 4784).
# Each real server comes in when its session is Up, goes out when bfdd
# stops (detection time expires) and comes back when it restarts.
. "$(dirname "$0")/lib.sh"

BFDD=/usr/lib/frr/bfdd
[ -x "$BFDD" ] || skip "no FRR bfdd (apt-get install frr)"
id frr >/dev/null 2>&1 || skip "no frr user"
need_netns
NS=lvsdbfd$$
make_netns "$NS" 10.77.$(( $$ % 200 )).1 10.77.$(( $$ % 200 )).2
H=10.77.$(( $$ % 200 )).1; N=10.77.$(( $$ % 200 )).2
H6=fd77:13:$(( $$ % 200 ))::1; N6=fd77:13:$(( $$ % 200 ))::2
ip addr add $H6/64 dev "v$NS" nodad || fail "IPv6 address"
ip -n "$NS" addr add $N6/64 dev eth0 nodad || fail "IPv6 address in $NS"
# The multihop session on addresses of its own (keepalived refuses two
# instances with the same source and neighbor).
HM=10.78.$(( $$ % 200 )).1; NM=10.78.$(( $$ % 200 )).2
ip addr add $HM/30 dev "v$NS" || fail "second address"
ip -n "$NS" addr add $NM/30 dev eth0 || fail "second address in $NS"
for p in 3784 4784; do
	ss -Hlun "sport = :$p" | grep -q . && skip "UDP port $p is taken"
done
F=$T/frr
mkdir -p "$F"; chmod 777 "$F"
cat >"$F/bfdd.conf" <<CONF
bfd
 peer $H local-address $N
  receive-interval 200
  transmit-interval 200
 !
 peer $H6 local-address $N6
  receive-interval 200
  transmit-interval 200
 !
 peer $HM multihop local-address $NM
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
bfd_instance frr6 {
  neighbor_ip $N6
  source_ip $H6
  min_rx 200
  min_tx 200
  multiplier 3
}
bfd_instance frrmh {
  neighbor_ip $NM
  source_ip $HM
  max_hops 2
  min_rx 200
  min_tx 200
  multiplier 3
}
virtual_server fd77:13::100 80 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol TCP
  real_server $N6 80 {
    BFD_CHECK {
      name frr6
      alpha
    }
  }
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
  real_server $NM 81 {
    BFD_CHECK {
      name frrmh
      alpha
    }
  }
}
CONF
same_t_code "$T/lvsd.conf" || fail "lvsd -t and keepalived -t disagree"
"$LVSD" -t -f "$T/lvsd.conf" || fail "config rejected"
start_lvsd
V6="[fd77:13::100]:80" R6="[$N6]:80"
wait_for 15 weight_is 10.9.13.1:80 "$N:80" 1 || { cat "$F/bfdd.log" 2>/dev/null | tail; fail "BFD session did not come up"; }
ok "session with bfdd Up: real server in"
wait_for 15 weight_is $V6 $R6 1 || { tail "$F/bfdd.log"; fail "IPv6 BFD session did not come up"; }
ok "IPv6 session (RFC 5881) Up: real server in"
wait_for 15 weight_is 10.9.13.1:80 "$NM:81" 1 || { tail "$F/bfdd.log"; fail "multihop BFD session did not come up"; }
ok "multihop session (RFC 5883, port 4784) Up: real server in"
kill "$BFDD_PID"; wait "$BFDD_PID" 2>/dev/null
wait_for 10 weight_is 10.9.13.1:80 "$N:80" absent || fail "bfdd stopped, real server kept"
ctl show | grep -q "BFD session with frr is Down" || fail "reason not shown"
wait_for 10 weight_is $V6 $R6 absent || fail "bfdd stopped, IPv6 real server kept"
wait_for 10 weight_is 10.9.13.1:80 "$NM:81" absent || fail "bfdd stopped, multihop real server kept"
ok "bfdd stopped: sessions Down, real servers out"
start_bfdd
wait_for 15 weight_is 10.9.13.1:80 "$N:80" 1 || fail "bfdd back, real server not"
wait_for 15 weight_is $V6 $R6 1 || fail "bfdd back, IPv6 real server not"
wait_for 15 weight_is 10.9.13.1:80 "$NM:81" 1 || fail "bfdd back, multihop real server not"
ok "bfdd back: sessions Up again, real servers in"

cat >"$T/bad.conf" <<CONF
bfd_instance x {
  neighbor_ip $N
  ttl 5
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
grep -q "bad.conf:3: error: ttl: lvsd's BFD sends with TTL 255 only" "$T/bad.out" || { cat "$T/bad.out"; fail "ttl 5 not refused at file:line"; }
grep -q "bad.conf:10: error: BFD_CHECK: bfd_instance nosuch not found" "$T/bad.out" || { cat "$T/bad.out"; fail "unknown instance not reported"; }
ok "ttl other than 255 and an unknown bfd_instance: errors at file:line"
