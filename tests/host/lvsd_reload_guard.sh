#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# No parser failure takes a running lvsd down at reload: a lone quote (a
# segfault once), doubling $VAR definitions and a parser killed outright
# (forced in the parse-check child only) each leave the old configuration
# running, with the reason logged at file:line; a self-including file (once
# unbounded memory) has its cycle cut with a warning.
. "$(dirname "$0")/lib.sh"

P1=$(free_port)
bg socat TCP-LISTEN:$P1,bind=127.0.0.1,reuseaddr,fork SYSTEM:true
cat >"$T/good.conf" <<CONF
virtual_server 10.9.15.1 80 {
  delay_loop 0.5
  protocol TCP
  lb_algo rr
  lb_kind NAT
  real_server 127.0.0.1 $P1 {
    weight 2
    TCP_CHECK { connect_timeout 0.5 }
  }
}
CONF
cp "$T/good.conf" "$T/lvsd.conf"
start_lvsd
wait_for 6 weight_is 10.9.15.1:80 127.0.0.1:$P1 2 || fail "RS not in"

still_up() {	# WHAT
	kill -0 "$LVSD_PID" 2>/dev/null || fail "$1: lvsd died"
	weight_is 10.9.15.1:80 127.0.0.1:$P1 2 || fail "$1: old config not kept"
}

# 1. a lone quote on a line of its own
{ cat "$T/good.conf"; echo '"'; } >"$T/lvsd.conf"
n=$(wc -l <"$T/lvsd.conf")
kill -HUP "$LVSD_PID"
wait_for 6 grep -q "lvsd.conf:$n: error: unterminated quoted string" "$T/lvsd.log" ||
	fail "lone quote: no error with file:line"
sleep 0.3
still_up "lone quote"
ctl reload | grep -q '^error' || fail "lone quote: ctl reload not refused"
ok "lone quote: reload refused at lvsd.conf:$n, daemon up, old config kept"

# 2. a file that includes itself: the cycle is cut with a warning (as
# keepalived, whose -t passes it), memory stays flat, the rest applies.
{ cat "$T/good.conf"; echo "include self.conf"; } >"$T/lvsd.conf"
echo "include self.conf" >"$T/self.conf"
ctl reload | grep -q '^ok' || fail "self include: reload refused"
grep -q "self.conf:1: warning: include cycle" "$T/lvsd.log" ||
	fail "self include: no cycle warning at self.conf:1"
still_up "self include"
ok "self-including file: cycle cut at self.conf:1, daemon up"

# 3. doubling definitions
{
	echo '$A0=xxxxxxxxxxxxxxxx'
	for i in $(seq 1 40); do echo "\$A$i=\${A$((i - 1))}\${A$((i - 1))}"; done
	cat "$T/good.conf"
	echo 'global_defs { router_id ${A40} }'
} >"$T/lvsd.conf"
ctl reload | grep -q '^error' || fail "doubling: reload not refused"
grep -q "error: parameter expansion" "$T/lvsd.log" || fail "doubling: no expansion error"
still_up "doubling"
rss=$(awk '/VmRSS/ { print $2 }' "/proc/$LVSD_PID/status")
[ "$rss" -lt 200000 ] || fail "doubling: lvsd grew to ${rss} kB"
ok "doubling \$VAR definitions: refused, lvsd at ${rss} kB"

# 4. a parser that dies (the parse check's child is made to crash)
cp "$T/good.conf" "$T/lvsd.conf"
kill "$LVSD_PID"; wait "$LVSD_PID" 2>/dev/null
LVSD_TEST_PARSER_CRASH=1 start_lvsd
wait_for 6 weight_is 10.9.15.1:80 127.0.0.1:$P1 2 || fail "restart: RS not in"
sed -i 's/weight 2/weight 5/' "$T/lvsd.conf"
out=$(ctl reload)
echo "$out" | grep -q '^error.*killed by signal 11' || fail "crash: answer was '$out'"
grep -q "reload: .*lvsd.conf:[0-9]*: the parser was killed by signal 11" "$T/lvsd.log" ||
	fail "crash: not logged with file:line"
sed -i 's/weight 5/weight 2/' "$T/lvsd.conf"
still_up "parser crash"
ok "parser killed: daemon up, old config kept, place logged"
