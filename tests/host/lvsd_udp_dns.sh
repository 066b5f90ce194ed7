#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# UDP_CHECK (reply pattern, free-form hex, bare require_reply against a
# silent server, ICMP port unreachable) and DNS_CHECK (answer, NODATA,
# NXDOMAIN) against small loopback servers.
. "$(dirname "$0")/lib.sh"

PU=$(free_port); PD=$(free_port); PX=$(free_port); PS=$(free_port)
bg python3 "$HERE/servers.py" udp 127.0.0.1 "$PU"; UDP=$LAST_PID
bg python3 "$HERE/servers.py" dns 127.0.0.1 "$PD"
bg python3 "$HERE/servers.py" udp-silent 127.0.0.1 "$PS"
udp_listens() { ss -Hlun "sport = :$1" | grep -q .; }
wait_for 10 udp_listens "$PU" || fail "UDP server did not start"
wait_for 10 udp_listens "$PD" || fail "DNS server did not start"
wait_for 10 udp_listens "$PS" || fail "silent UDP server did not start"
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
      payload 00
      connect_timeout 0.5
      retry 0
    }
  }
}
virtual_server 10.9.2.4 53 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol UDP
  # silence passes without require_reply, fails with a bare one
  real_server 127.0.0.1 $PS {
    UDP_CHECK {
      payload 01
      connect_timeout 0.3
      retry 0
    }
  }
}
virtual_server 10.9.2.5 53 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol UDP
  real_server 127.0.0.1 $PS {
    UDP_CHECK {
      payload 01
      require_reply
      connect_timeout 0.3
      retry 0
    }
  }
  # free-form hex: blanks between bytes, a lone digit, a wildcard nibble
  real_server 127.0.0.1 $PU {
    UDP_CHECK {
      payload 70 69 6e 67 1
      require_reply 70 6f 6E 6x 7X 69
      connect_timeout 0.5
      retry 0
    }
  }
}
virtual_server 10.9.2.6 53 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol UDP
  real_server 127.0.0.1 $PU {
    UDP_CHECK {
      payload 70 69 6e 67
      require_reply 70 6f 6E 6x 7X 68
      connect_timeout 0.5
      retry 0
    }
  }
  real_server 127.0.0.1 $PD {
    DNS_CHECK {
      type A
      name nodata.test
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
same_t_code "$T/lvsd.conf" || fail "lvsd -t and keepalived -t disagree"
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
wait_for 6 weight_is 10.9.2.6:53 127.0.0.1:$PD 1 || fail "DNS NOERROR without answers (NODATA) not added"
ok "DNS: NODATA passes, as in keepalived"
wait_for 6 weight_is 10.9.2.4:53 127.0.0.1:$PS 1 || fail "silent server without require_reply not added"
ok "UDP silence passes without require_reply"
wait_for 6 weight_is 10.9.2.5:53 127.0.0.1:$PS absent || fail "bare require_reply accepted silence"
ok "bare require_reply: silence fails"
wait_for 6 weight_is 10.9.2.5:53 127.0.0.1:$PU 1 || fail "free-form hex payload/pattern: RS not added"
ok "free-form hex payload and wildcard pattern match"
wait_for 6 weight_is 10.9.2.6:53 127.0.0.1:$PU absent || fail "mismatching pattern accepted"
ok "mismatching pattern fails"
kill "$UDP"
wait_for 6 weight_is 10.9.2.1:53 127.0.0.1:$PU absent || fail "UDP RS kept after server stopped"
ok "UDP server stopped: out"
