#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# smtp_alert: lvsd mails every notification_email through smtp_server
# (smtp_sink.py on loopback) when a real server goes down and up and when
# a virtual server loses and regains its quorum; smtp_alert off is quiet.
. "$(dirname "$0")/lib.sh"

P=$(free_port)
mkdir -p "$T/sink"
bg python3 "$HERE/smtp_sink.py" 127.0.0.1 "$P" "$T/sink"
listens() { ss -Hltn "sport = :$1" | grep -q .; }
wait_for 10 listens "$P" || fail "SMTP sink did not start"
echo 0 >"$T/switch"; echo 0 >"$T/quiet"
cat >"$T/lvsd.conf" <<CONF
global_defs {
  router_id lvsd-test
  notification_email {
    ops@example.test
    oncall@example.test
  }
  notification_email_from lvsd@example.test
  smtp_server 127.0.0.1 $P
  smtp_helo_name lb1.example.test
  smtp_connect_timeout 5
}
track_file sw {
  file $T/switch
  weight 0
}
track_file quiet {
  file $T/quiet
  weight 0
}
virtual_server 10.9.12.1 80 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.2
  protocol TCP
  smtp_alert
  real_server 127.0.0.1 1 {
    smtp_alert
    FILE_CHECK {
      track_file sw
    }
  }
}
virtual_server 10.9.12.2 80 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.2
  protocol TCP
  real_server 127.0.0.1 1 {
    FILE_CHECK {
      track_file quiet
    }
  }
}
CONF
same_t_code "$T/lvsd.conf" || fail "lvsd -t and keepalived -t disagree"
"$LVSD" -t -f "$T/lvsd.conf" || fail "config rejected"
start_lvsd
nmail() { ls "$T/sink"/mail.* 2>/dev/null | wc -l; }
has_mail() { grep -lF "$1" "$T/sink"/mail.* >/dev/null 2>&1; }
echo 1 >"$T/quiet"
wait_for 6 weight_is 10.9.12.2:80 127.0.0.1:1 absent || fail "quiet RS not down"
echo 1 >"$T/switch"
RS_DOWN="Subject: [lvsd-test] Realserver 127.0.0.1:1 of virtual server tcp:10.9.12.1:80 - DOWN"
wait_for 10 has_mail "$RS_DOWN" || { ls -l "$T/sink"; cat "$T"/sink/mail.* 2>/dev/null; fail "no DOWN mail"; }
wait_for 10 has_mail "Subject: [lvsd-test] Virtualserver tcp:10.9.12.1:80 - DOWN" || fail "no quorum DOWN mail"
M=$(grep -lF "$RS_DOWN" "$T/sink"/mail.* | head -1)
grep -q "^From: lvsd@example.test" "$M" || fail "From: $(grep ^From "$M")"
grep -q "ops@example.test" "$M" && grep -q "oncall@example.test" "$M" || fail "recipients missing"
grep -qx lb1.example.test "$T/sink/helo" || fail "HELO: $(cat "$T/sink/helo")"
ok "real server and quorum DOWN: mails to both addresses"
echo 0 >"$T/switch"
wait_for 10 has_mail "Realserver 127.0.0.1:1 of virtual server tcp:10.9.12.1:80 - UP" || fail "no UP mail"
wait_for 10 has_mail "Virtualserver tcp:10.9.12.1:80 - UP" || fail "no quorum UP mail"
ok "real server and quorum UP: mails"
has_mail "10.9.12.2" && fail "a mail for the virtual server without smtp_alert"
ok "no smtp_alert: no mail"
grep -q "smtp_alert: mail sent via 127.0.0.1:$P" "$T/lvsd.log" || fail "sending not logged"
