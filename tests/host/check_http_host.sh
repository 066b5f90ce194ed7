#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# HTTP_GET's Host: header as keepalived writes it: address:port without a
# virtualhost, IPv6 in brackets (RFC 2732), a virtualhost as written.
. "$(dirname "$0")/lib.sh"

ip -6 addr show dev lo 2>/dev/null | grep -q "::1" || skip "no IPv6 on loopback"
P4=$(free_port); P6=$(free_port); PV=$(free_port)
http_server 127.0.0.1 "$P4" "$T/w4"
http_server ::1 "$P6" "$T/w6"
http_server 127.0.0.1 "$PV" "$T/wv"
wait_for 5 curl -sf "http://127.0.0.1:$P4/" || fail "http server did not start"
wait_for 5 curl -sf "http://[::1]:$P6/" || fail "IPv6 http server did not start"
wait_for 5 curl -sf "http://127.0.0.1:$PV/" || fail "http server did not start"
rm -f "$T"/w?/host
cat >"$T/lvsd.conf" <<CONF
virtual_server 10.9.7.1 80 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol TCP
  real_server 127.0.0.1 $P4 {
    HTTP_GET {
      url { path / }
      connect_timeout 1
    }
  }
  real_server 127.0.0.1 $PV {
    HTTP_GET {
      url { path / }
      virtualhost www.example.test
      connect_timeout 1
    }
  }
}
virtual_server 2001:db8::1 80 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol TCP
  real_server ::1 $P6 {
    HTTP_GET {
      url { path / }
      connect_timeout 1
    }
  }
}
CONF
same_t_code "$T/lvsd.conf" || fail "lvsd -t and keepalived -t disagree"
start_lvsd
host_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }
wait_for 6 host_is "$T/w4/host" "127.0.0.1:$P4" || fail "IPv4 Host: '$(cat "$T/w4/host")'"
ok "Host: 127.0.0.1:$P4"
wait_for 6 host_is "$T/w6/host" "[::1]:$P6" || fail "IPv6 Host: '$(cat "$T/w6/host")'"
ok "Host: [::1]:$P6"
wait_for 6 host_is "$T/wv/host" "www.example.test" || fail "virtualhost Host: '$(cat "$T/wv/host")'"
ok "Host: the virtualhost as written"
