#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# SSL_GET against a loopback HTTPS server (python3 ssl, a certificate made
# here with openssl req -x509): status and digest over TLS, SNI
# (enable_sni; keepalived 2.2.7 lacks sni_name), the SSL block with a client certificate, a
# plain-HTTP server failing the handshake, a stopped server.
. "$(dirname "$0")/lib.sh"

command -v openssl >/dev/null || skip "no openssl"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=lvsd.test \
	-keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 ||
	fail "cannot make a certificate"
P=$(free_port); PP=$(free_port)
W=$T/www
mkdir -p "$W"
printf 'secure body\n' >"$W/body"
bg python3 "$HERE/servers.py" https 127.0.0.1 "$P" "$W" "$T/cert.pem" "$T/key.pem"
SRV=$LAST_PID
http_server 127.0.0.1 "$PP" "$T/plain"
wait_for 5 curl -skf "https://127.0.0.1:$P/" || fail "https server did not start"
wait_for 5 curl -sf "http://127.0.0.1:$PP/" || fail "http server did not start"
DIGEST=$(md5sum <"$W/body" | cut -d' ' -f1)
cat >"$T/lvsd.conf" <<CONF
SSL {
  certificate $T/cert.pem
  key $T/key.pem
}
virtual_server 10.9.9.1 443 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol TCP
  real_server 127.0.0.1 $P {
    SSL_GET {
      url {
        path /health
        digest $DIGEST
      }
      virtualhost sni.lvsd.test
      enable_sni
      alpha
      connect_timeout 2
      retry 0
    }
  }
  real_server 127.0.0.1 $PP {
    SSL_GET {
      url { path / }
      connect_timeout 2
      retry 0
    }
  }
}
CONF
same_t_code "$T/lvsd.conf" || fail "lvsd -t and keepalived -t disagree"
"$LVSD" -t -f "$T/lvsd.conf" || fail "config rejected"
start_lvsd
wait_for 8 weight_is 10.9.9.1:443 127.0.0.1:$P 1 || fail "SSL_GET RS not added"
ok "SSL_GET: status and digest over TLS"
sni_is() { [ "$(cat "$W/sni" 2>/dev/null)" = "$1" ]; }
wait_for 8 sni_is sni.lvsd.test || fail "SNI '$(cat "$W/sni")', wanted sni.lvsd.test"
ok "enable_sni: the virtualhost sent as SNI"
wait_for 8 weight_is 10.9.9.1:443 127.0.0.1:$PP absent || fail "plain HTTP server passed SSL_GET"
ctl show | grep -q "TLS handshake" || fail "handshake failure not the reason"
ok "plain HTTP server: handshake fails, out"
printf 'changed\n' >"$W/body"
wait_for 8 weight_is 10.9.9.1:443 127.0.0.1:$P absent || fail "digest mismatch kept"
printf 'secure body\n' >"$W/body"
wait_for 8 weight_is 10.9.9.1:443 127.0.0.1:$P 1 || fail "RS not back"
kill "$SRV"
wait_for 8 weight_is 10.9.9.1:443 127.0.0.1:$P absent || fail "stopped server kept"
ok "digest change and stopped server: out"

# An SSL block whose files do not load is an error at its line.
cat >"$T/bad.conf" <<CONF
SSL {
  certificate $T/nonexistent.pem
}
CONF
"$LVSD" -t -f "$T/bad.conf" >"$T/bad.out" 2>&1 && fail "bad SSL block accepted"
grep -q "bad.conf:3: error: SSL: cannot load" "$T/bad.out" || { cat "$T/bad.out"; fail "no file:line for the SSL block"; }
ok "SSL block with a missing certificate: error at file:line"
