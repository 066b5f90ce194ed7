#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SMTP_CHECK against a loopback SMTP sink (smtp_sink.py): greeting, HELO
# with helo_name, QUIT; a bad greeting code, a silent server and a closed
# port fail.
. "$(dirname "$0")/lib.sh"

P=$(free_port); PS=$(free_port); PX=$(free_port)
mkdir -p "$T/sink"
bg python3 "$HERE/smtp_sink.py" 127.0.0.1 "$P" "$T/sink"; SINK=$LAST_PID
# A server that accepts and never speaks.
bg python3 -c 'import socket,sys,time
s=socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); c=[]
while True: c.append(s.accept())' "$PS"
listens() { ss -Hltn "sport = :$1" | grep -q .; }
wait_for 10 listens "$P" || fail "SMTP sink did not start"
wait_for 10 listens "$PS" || fail "silent server did not start"
cat >"$T/lvsd.conf" <<CONF
virtual_server 10.9.10.1 25 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol TCP
  real_server 127.0.0.1 $P {
    SMTP_CHECK {
      helo_name probe.lvsd.test
      alpha
      connect_timeout 1
      retry 0
    }
  }
  real_server 127.0.0.1 $PS {
    SMTP_CHECK {
      connect_timeout 0.3
      retry 0
    }
  }
  real_server 127.0.0.1 $PX {
    SMTP_CHECK {
      connect_timeout 1
      retry 0
    }
  }
}
CONF
same_t_code "$T/lvsd.conf" || fail "lvsd -t and keepalived -t disagree"
"$LVSD" -t -f "$T/lvsd.conf" || fail "config rejected"
start_lvsd
wait_for 6 weight_is 10.9.10.1:25 127.0.0.1:$P 1 || fail "SMTP RS not added"
wait_for 6 grep -qx probe.lvsd.test "$T/sink/helo" || fail "HELO name: '$(cat "$T/sink/helo")'"
ok "220, HELO probe.lvsd.test, 250, QUIT: in"
wait_for 6 weight_is 10.9.10.1:25 127.0.0.1:$PS absent || fail "silent server kept"
ctl show | grep -q "timeout waiting for the greeting banner" || fail "timeout reason not shown"
wait_for 6 weight_is 10.9.10.1:25 127.0.0.1:$PX absent || fail "closed port kept"
ok "silent server and closed port: out"
echo 554 >"$T/sink/banner"
wait_for 6 weight_is 10.9.10.1:25 127.0.0.1:$P absent || fail "554 greeting kept"
ctl show | grep -q "bad greeting banner '554" || fail "banner reason not shown"
rm "$T/sink/banner"
wait_for 6 weight_is 10.9.10.1:25 127.0.0.1:$P 1 || fail "RS not back after 220"
ok "554 greeting: out; 220 again: in"
kill "$SINK"
wait_for 6 weight_is 10.9.10.1:25 127.0.0.1:$P absent || fail "stopped sink kept"
ok "sink stopped: out"
