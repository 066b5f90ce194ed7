#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# The eBPF datapath over IPv6 (bpf_env.inc's namespaces): NAT for TCP and
# UDP both ways, DR, the listings, and the refusal of a family mix.
. "$(dirname "$0")/lib.sh"
. "$HERE/bpf_env.inc"

get6() { ip netns exec $C curl -s --max-time 5 "http://[$VIP6]:${1:-80}/"; }
udp6() { echo q | ip netns exec $C socat -T2 - "UDP6:[$VIP6]:53,sourceport=$1"; }

vs -A -t "[$VIP6]:80" -s rr || fail "add TCP6 service"
vs -a -t "[$VIP6]:80" -r "[fd77:2::2]:8080" -m || fail "add rs1"
vs -a -t "[$VIP6]:80" -r "[fd77:3::2]:8080" -m || fail "add rs2"
out=$(for i in 1 2 3 4; do get6; done | sort | tr '\n' ' ')
check "IPv6 NAT, TCP, both real servers ($out)" \
	test "$out" = "rs1 rs1 rs2 rs2 "
list=$(vs -L -n)
check "the IPv6 service lists as the module's" \
	grep -q "^TCP  \[$VIP6\]:80 rr" <<<"$list"
check "its real servers too" grep -q -- "-> \[fd77:2::2\]:8080 *Masq" <<<"$list"
outp=$(vs -L -n --stats | awk '$1 == "TCP" { print $5 }')
check "replies are counted ($outp)" test "${outp:-0}" -gt 0
check "-c lists IPv6 connections" \
	test "$(vs -L -n -c | grep -c "\[$VIP6\]:80")" -ge 4

vs -A -u "[$VIP6]:53" -s rr || fail "add UDP6 service"
vs -a -u "[$VIP6]:53" -r "[fd77:2::2]:5353" -m || fail "add udp rs1"
vs -a -u "[$VIP6]:53" -r "[fd77:3::2]:5353" -m || fail "add udp rs2"
out=$(for p in 5001 5002; do udp6 $p; done | sort | tr '\n' ' ')
check "IPv6 NAT, UDP ($out)" test "$out" = "rs1 rs2 "

err=$(vs -a -t "[$VIP6]:80" -r 10.77.2.2:8080 -m 2>&1)
check "a family mix is refused ($err)" test -n "$err"

# DR: real servers own the VIP; the director, their router, must not.
for n in $R1 $R2; do ip -n $n addr add $VIP6/128 dev lo nodad; done
vs -A -t "[$VIP6]:8080" -s rr || fail "add DR6 service"
vs -a -t "[$VIP6]:8080" -r "[fd77:2::2]:8080" -g || fail "add DR rs1"
vs -a -t "[$VIP6]:8080" -r "[fd77:3::2]:8080" -g || fail "add DR rs2"
out=$(for i in 1 2; do get6 8080; done | sort | tr '\n' ' ')
check "IPv6 DR ($out)" test "$out" = "rs1 rs2 "

echo "$PASS passed, $FAILN failed"
[ $FAILN = 0 ]
