#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# HTTP_GET against a loopback HTTP server whose status and body flip:
# status_code ranges, digest of the body, several urls, several checkers.
. "$(dirname "$0")/lib.sh"

P=$(free_port)
W=$T/www
mkdir -p "$W"
echo 200 >"$W/status"
printf 'healthy body\n' >"$W/body"
http_server 127.0.0.1 "$P" "$W"
wait_for 5 curl -sf "http://127.0.0.1:$P/" || fail "http server did not start"
DIGEST=$(md5sum <"$W/body" | cut -d' ' -f1)
cat >"$T/lvsd.conf" <<CONF
virtual_server 10.9.1.1 80 {
  delay_loop 0.3
  protocol TCP
  real_server 127.0.0.1 $P {
    HTTP_GET {
      url {
        path /health
        status_code 200-204 302
      }
      connect_timeout 1
      retry 0
    }
  }
}
virtual_server 10.9.1.2 80 {
  delay_loop 0.3
  protocol TCP
  real_server 127.0.0.1 $P {
    HTTP_GET {
      url {
        path /a
        digest $DIGEST
      }
      url {
        path /b
      }
      http_protocol 1.1
      connect_timeout 1
      retry 0
    }
    TCP_CHECK { connect_timeout 1 }
  }
}
CONF
start_lvsd
wait_for 6 weight_is 10.9.1.1:80 127.0.0.1:$P 1 || fail "RS not added"
wait_for 6 weight_is 10.9.1.2:80 127.0.0.1:$P 1 || fail "digest RS not added"
ok "200 and the right digest: in"

echo 302 >"$W/status"
sleep 1
weight_is 10.9.1.1:80 127.0.0.1:$P 1 || fail "302 is in status_code but RS left"
ok "302 within status_code 200-204 302"
echo 500 >"$W/status"
wait_for 6 weight_is 10.9.1.1:80 127.0.0.1:$P absent || fail "500 did not remove RS"
ok "500: removed"
echo 200 >"$W/status"
wait_for 6 weight_is 10.9.1.1:80 127.0.0.1:$P 1 || fail "RS not back after 200"
ok "200 again: back"

printf 'changed body\n' >"$W/body"
# Wait for the reason, not only for the absence: the RS may still be out
# from the 302 above when the new body is written.
digest_reason() { ctl show | grep -q "digest mismatch"; }
wait_for 6 digest_reason || fail "no digest mismatch reason shown"
weight_is 10.9.1.2:80 127.0.0.1:$P absent || fail "digest mismatch kept RS"
[ "$(rs_field tcp:10.9.1.1:80 127.0.0.1:$P healthy)" = true ] || fail "plain check affected"
ok "body changed: digest check removed only that RS"
printf 'healthy body\n' >"$W/body"
wait_for 6 weight_is 10.9.1.2:80 127.0.0.1:$P 1 || fail "digest RS not back"
ok "body restored: back"

fails() { ctl show json | jq '.virtual_servers[1].real_servers[0].checks[0] | "\(.failed) \(.ok)"' -r; }
read -r f0 ok0 <<<"$(fails)"
touch "$W/chunked"
curl -s --raw "http://127.0.0.1:$P/" | grep -q "ext=1" || fail "server not chunked"
sleep 1.5
weight_is 10.9.1.2:80 127.0.0.1:$P 1 || fail "chunked body: digest differs"
read -r f1 ok1 <<<"$(fails)"
[ "$f1" = "$f0" ] || fail "chunked body failed probes ($f0 -> $f1)"
[ "$ok1" -gt "$ok0" ] || fail "no probe passed on the chunked body"
ok "chunked reply: decoded, same digest"
