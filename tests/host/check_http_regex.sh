#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# HTTP_GET url regex (PCRE2) against a loopback HTTP server whose body
# changes: regex, regex_no_match, regex_options, and the offset window
# (offsets count from the response's first byte, as in keepalived).
. "$(dirname "$0")/lib.sh"

P=$(free_port)
W=$T/www
mkdir -p "$W"
printf 'service status: OK\n' >"$W/body"
http_server 127.0.0.1 "$P" "$W"
wait_for 5 curl -sf "http://127.0.0.1:$P/" || fail "http server did not start"
vs() {	# N URL-BLOCK-LINES
	cat <<CONF
virtual_server 10.9.8.$1 80 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.3
  protocol TCP
  real_server 127.0.0.1 $P {
    HTTP_GET {
      url {
        path /
$2
      }
      connect_timeout 1
      retry 0
    }
  }
}
CONF
}
{
	vs 1 '        regex "status: (ok|fine)"
        regex_options caseless'
	vs 2 '        regex maintenance
        regex_no_match'
	vs 3 '        regex "^HTTP/1\.[01] 200"
        regex_max_offset 0'
	vs 4 '        regex OK
        regex_min_offset 4000'
	vs 5 '        regex "status: (ok|fine)"'
} >"$T/lvsd.conf"
same_t_code "$T/lvsd.conf" || fail "lvsd -t and keepalived -t disagree"
"$LVSD" -t -f "$T/lvsd.conf" || fail "config rejected"
start_lvsd
in_() { wait_for 6 weight_is "10.9.8.$1:80" "127.0.0.1:$P" 1; }
out() { wait_for 6 weight_is "10.9.8.$1:80" "127.0.0.1:$P" absent; }
in_ 1 || fail "caseless regex did not match"
out 5 || fail "case-sensitive regex matched 'OK'"
ok "regex with regex_options caseless; without it, no match"
in_ 2 || fail "regex_no_match: RS out while the body lacks the pattern"
in_ 3 || fail "match at offset 0 with regex_max_offset 0 not accepted"
out 4 || fail "match before regex_min_offset accepted"
ok "offset window: a match must start within [min, max]"
ctl show | grep -q "regex did not match" || fail "reason not shown"
printf 'service status: down for maintenance\n' >"$W/body"
out 1 || fail "regex: RS kept after the body changed"
out 2 || fail "regex_no_match: RS kept with the pattern in the body"
ctl show | grep -q "regex matched (regex_no_match)" || fail "no_match reason not shown"
ok "body changes: regex out, regex_no_match out"
printf 'status: fine\n' >"$W/body"
in_ 1 || fail "regex: RS not back"
in_ 2 || fail "regex_no_match: RS not back"
ok "body back: both in"
