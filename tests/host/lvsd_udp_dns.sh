#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# UDP_CHECK (reply pattern, ICMP port unreachable) and DNS_CHECK against
# small loopback servers.
. "$(dirname "$0")/lib.sh"

PU=$(free_port); PD=$(free_port); PX=$(free_port)
bg python3 "$HERE/servers.py" udp 127.0.0.1 "$PU"; UDP=$LAST_PID
bg python3 "$HERE/servers.py" dns 127.0.0.1 "$PD"
udp_listens() { ss -Hlun "sport = :$1" | grep -q .; }
wait_for 10 udp_listens "$PU" || fail "UDP server did not start"
wait_for 10 udp_listens "$PD" || fail "DNS server did not start"
cat >"$T/lvsd.conf" <<CONF
virtual_server 10.9.2.1 53 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol UDP
  real_server 127.0.0.1 $PU {
    UDP_CHECK {
      payload 70696e67
      require_reply 706f6e67XX
      connect_timeout 0.5
      retry 0
    }
  }
  real_server 127.0.0.1 $PX {
    UDP_CHECK {
      connect_timeout 0.5
      retry 0
    }
  }
}
virtual_server 10.9.2.2 53 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol UDP
  real_server 127.0.0.1 $PD {
    DNS_CHECK {
      type A
      name ok.test
      connect_timeout 0.5
      retry 0
    }
  }
}
virtual_server 10.9.2.3 53 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol UDP
  real_server 127.0.0.1 $PD {
    DNS_CHECK {
      type A
      name missing.test
      connect_timeout 0.5
      retry 0
    }
  }
}
CONF
"$LVSD" -t -f "$T/lvsd.conf" || fail "config rejected"
start_lvsd
wait_for 6 weight_is 10.9.2.1:53 127.0.0.1:$PU 1 || fail "UDP RS with matching reply not added"
ok "UDP reply matches require_reply"
wait_for 6 weight_is 10.9.2.1:53 127.0.0.1:$PX absent || fail "closed UDP port kept"
ok "closed UDP port (ICMP unreachable): out"
wait_for 6 weight_is 10.9.2.2:53 127.0.0.1:$PD 1 || fail "DNS RS not added"
wait_for 6 weight_is 10.9.2.3:53 127.0.0.1:$PD absent || fail "NXDOMAIN RS kept"
ctl show | grep -q "rcode 3" || fail "NXDOMAIN reason not shown"
ok "DNS: answer in, NXDOMAIN out"
kill "$UDP"
wait_for 6 weight_is 10.9.2.1:53 127.0.0.1:$PU absent || fail "UDP RS kept after server stopped"
ok "UDP server stopped: out"
