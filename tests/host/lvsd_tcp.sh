#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# TCP_CHECK against a loopback listener that goes away and comes back: the
# real server leaves within fall x delay_loop + 1 s, returns after rise
# successes, and alpha keeps a never-seen server out.
. "$(dirname "$0")/lib.sh"

P1=$(free_port); P2=$(free_port)
listen() { bg socat TCP-LISTEN:$P1,bind=127.0.0.1,reuseaddr,fork SYSTEM:true; LISTENER=$LAST_PID; }
listen
cat >"$T/lvsd.conf" <<CONF
virtual_server 10.9.0.1 80 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.5
  delay_before_retry 0.5
  protocol TCP
  real_server 127.0.0.1 $P1 {
    TCP_CHECK { connect_timeout 0.5 }
  }
  real_server 127.0.0.1 $P2 {
    alpha
    TCP_CHECK { connect_timeout 0.5 }
  }
}
virtual_server 10.9.0.2 80 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.5
  protocol TCP
  real_server 127.0.0.1 $P1 {
    rise 3
    fall 1
    TCP_CHECK { connect_timeout 0.5 }
  }
}
CONF
"$LVSD" -t -f "$T/lvsd.conf" || fail "lvsd -t rejects the config"
start_lvsd
wait_for 6 weight_is 10.9.0.1:80 127.0.0.1:$P1 1 || fail "RS not added"
ok "listening real server is in the service"
sleep 1
weight_is 10.9.0.1:80 127.0.0.1:$P2 absent || fail "alpha RS with no listener was added"
ok "alpha: a server never seen up stays out"

kill "$LISTENER"; wait "$LISTENER" 2>/dev/null
t0=$(date +%s%3N)
wait_for 10 weight_is 10.9.0.1:80 127.0.0.1:$P1 absent || fail "dead RS still in"
# When lvsd took it out, from its log: polling through "lvsd ctl" and jq
# on a loaded host adds time of its own.
when=$(grep "10.9.0.1:80: real server 127.0.0.1:$P1 is down" "$T/lvsd.log" | head -1 | cut -c1-23)
dt=$(( $(date -d "$when" +%s%3N) - t0 ))
# fall (retry 1 + 1 = 2) x delay_loop 0.5 s + 1 s
[ $dt -le 2000 ] || fail "took $dt ms to remove (limit 2000)"
ok "port closed: removed after $dt ms"
wait_for 4 weight_is 10.9.0.2:80 127.0.0.1:$P1 absent || fail "fall 1 RS still in"
[ "$(rs_field tcp:10.9.0.1:80 127.0.0.1:$P1 healthy)" = false ] || fail "show says healthy"

listen
t0=$(ms_now)
wait_for 6 weight_is 10.9.0.1:80 127.0.0.1:$P1 1 || fail "RS not back"
ok "back after $(( $(ms_now) - t0 )) ms"
wait_for 8 weight_is 10.9.0.2:80 127.0.0.1:$P1 1 || fail "rise 3 RS not back"
dt=$(( $(ms_now) - t0 ))
# rise 3: three successes, 0.5 s apart, so not before about 1 s
[ $dt -ge 900 ] || fail "rise 3 came back after only $dt ms"
ok "rise 3: back after $dt ms"
grep -q "is now down" "$T/lvsd.log" || fail "no state change logged"
