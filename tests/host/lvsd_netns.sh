#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Checkers against a real server in a network namespace this test makes
# (veth, 10.250.x.0/30): HTTP_GET, TCP_CHECK and PING_CHECK all must pass;
# the server's link going down takes it out, coming back brings it in.
. "$(dirname "$0")/lib.sh"
need_netns
command -v socat >/dev/null || skip "needs socat"

NS=lvh$$
make_netns "$NS" 10.250.$(( $$ % 250 )).1 10.250.$(( $$ % 250 )).2
RS=10.250.$(( $$ % 250 )).2
W=$T/www
http_server "$RS" 8080 "$W" "$NS"
wait_for 5 curl -sf "http://$RS:8080/" || fail "http server in $NS did not start"
cat >"$T/lvsd.conf" <<CONF
virtual_server 10.9.7.1 80 {
  delay_loop 0.3
  delay_before_retry 0.3
  lb_algo wrr
  lb_kind DR
  protocol TCP
  real_server $RS 8080 {
    weight 3
    HTTP_GET {
      url {
        path /
        status_code 200
      }
      connect_timeout 0.5
    }
    TCP_CHECK { connect_timeout 0.5 }
    PING_CHECK { connect_timeout 0.5 }
  }
  real_server 127.0.0.1 8080 {
    PING_CHECK { connect_timeout 0.5 }
  }
}
CONF
start_lvsd
wait_for 6 weight_is 10.9.7.1:80 "$RS:8080" 3 || fail "RS in the namespace not added"
[ "$(ctl show json | jq '[.virtual_servers[0].real_servers[0].checks[] | select(.state == "up")] | length')" = 3 ] ||
	fail "not all three checks up"
wait_for 6 weight_is 10.9.7.1:80 127.0.0.1:8080 1 || fail "PING_CHECK on loopback failed"
ok "HTTP_GET, TCP_CHECK and PING_CHECK pass across the namespace"
ip -n "$NS" link set eth0 down
t0=$(ms_now)
wait_for 8 weight_is 10.9.7.1:80 "$RS:8080" absent || fail "unreachable RS kept"
ok "link down: out after $(( $(ms_now) - t0 )) ms"
ping_down() { ctl show | grep -q "PING_CHECK $RS down"; }
wait_for 6 ping_down || fail "PING_CHECK not down"
ip -n "$NS" link set eth0 up
wait_for 5 weight_is 10.9.7.1:80 "$RS:8080" 3 || fail "RS not back after link up"
ok "link up: back"
