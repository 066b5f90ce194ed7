#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# ICMP errors about connections of the eBPF datapath, IPv4 and IPv6
# (bpf_env.inc's namespaces), as lvs.ko treats them (kmod/icmp.c): a NAT
# real server's port unreachable reaches the client as the service's
# ("connection refused"); an error with a bad ICMP checksum is dropped;
# "fragmentation needed" / "packet too big" about a reply reaches the real
# server rewritten, which then knows the path's MTU.
. "$(dirname "$0")/lib.sh"
. "$HERE/bpf_env.inc"

ISEND=$TOP/tests/lab/tools/icmp_send.py
ip -n $D addr add $VIP6/128 dev lo nodad
for v in "$VIP" "[$VIP6]"; do
	vs -A -u "$v:53" -s rr || fail "add UDP service $v:53"
	vs -A -u "$v:99" -s rr || fail "add UDP service $v:99"
done
vs -a -u $VIP:53 -r 10.77.2.2:5353 -m || fail "add rs1 v4"
vs -a -u "[$VIP6]:53" -r "[fd77:2::2]:5353" -m || fail "add rs1 v6"
# nothing listens on 99 in rs1: it answers with port unreachable
vs -a -u $VIP:99 -r 10.77.2.2:99 -m || fail "add rs1:99 v4"
vs -a -u "[$VIP6]:99" -r "[fd77:2::2]:99" -m || fail "add rs1:99 v6"

# uwait ADDR PORT SPORT OUT: from the client, SPORT -> ADDR:PORT over a
# connected UDP socket: one datagram, its answer written to OUT, then up
# to 10 s waiting on the same socket; "refused" when an error arrives.
uwait() {
	ip netns exec $C python3 -c "
import socket, sys
a, p, sp, out = sys.argv[1:]
f = socket.AF_INET6 if ':' in a else socket.AF_INET
s = socket.socket(f, socket.SOCK_DGRAM)
s.bind(('', int(sp)))
s.connect((a, int(p)))
o = open(out, 'w', buffering=1)
s.settimeout(10)
try:
    s.send(b'q')
    o.write(s.recv(100).decode().strip() + '\n')
    s.recv(100)
    o.write('more\n')
except ConnectionRefusedError:
    o.write('refused\n')
except socket.timeout:
    o.write('timeout\n')
" "$@"
}
has() { grep -qx "$1" "$2"; }
# tcpdump -vv in the client and in rs1 checks the translated errors'
# checksums, the quoted datagram's included (IPv4).
if command -v tcpdump >/dev/null; then
	for n in $C $R1; do
		bg ip netns exec $n tcpdump -l -n -vv -i eth0 icmp or icmp6 \
			>"$T/cap.$n" 2>"$T/cap.$n.err"
		wait_for 10 grep -q listening "$T/cap.$n.err" ||
			fail "tcpdump in $n"
	done
fi
cnt() { ip netns exec $C nstat -az "$1" | awk -v k="$1" '$1 == k {print $2}'; }

for v in 4 6; do
	if [ $v = 4 ]; then vip=$VIP cl=10.77.1.2 rs=10.77.2.2 un="3 3" tb="3 4"
	else vip=$VIP6 cl=fd77:1::2 rs=fd77:2::2 un="1 4" tb="2 0"; fi

	uwait "$vip" 99 ${v}440 "$T/refused$v"
	check "v$v: rs1's port unreachable reaches the client as the VIP's" \
		has refused "$T/refused$v"

	# An error crafted in rs1 about the client's datagram to it: bad
	# checksum first (dropped by the director; translated it would leave
	# with a good one), then a good one.
	[ $v = 4 ] && k=IcmpInCsumErrors || k=Icmp6InCsumErrors
	e0=$(cnt $k)
	bg uwait "$vip" 53 ${v}446 "$T/wait$v"
	wait_for 10 has rs1 "$T/wait$v" || fail "v$v: no answer from rs1"
	ip netns exec $R1 python3 "$ISEND" $v $rs $cl $un 0 \
		$cl ${v}446 $rs 5353 bad || fail "icmp_send"
	sleep 1
	check "v$v: an error with a bad ICMP checksum is dropped" \
		test "$(wc -l <"$T/wait$v") $(cnt $k)" = "1 $e0"
	ip netns exec $R1 python3 "$ISEND" $v $rs $cl $un 0 \
		$cl ${v}446 $rs 5353 good || fail "icmp_send"
	wait_for 5 has refused "$T/wait$v"
	check "v$v: a good one reaches the client's socket, translated" \
		has refused "$T/wait$v"

	# "fragmentation needed" / "packet too big" from the client's side
	# about a reply (VIP:53 -> client:N447) reaches rs1 as about its own.
	bg uwait "$vip" 53 ${v}447 "$T/mtu$v"
	wait_for 10 has rs1 "$T/mtu$v" || fail "v$v: no answer from rs1"
	ip netns exec $C python3 "$ISEND" $v $cl $vip $tb \
		1400 $vip 53 $cl ${v}447 good || fail "icmp_send"
	pmtu() { ip -n $R1 -$v route get $cl | grep -q "mtu 1400"; }
	wait_for 5 pmtu
	check "v$v: rs1 learnt the path's MTU from the translated error" pmtu
done

# Direct routing: the error about a reply goes to the real server as it
# is (rs1 owns the VIP, on lo).
ip -n $R1 addr add $VIP/32 dev lo
vs -A -u $VIP:5353 -s rr || fail "add DR service"
vs -a -u $VIP:5353 -r 10.77.2.2 -g || fail "add DR rs1"
ip netns exec $C python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('', 4448))
s.sendto(b'q', ('$VIP', 5353))"
drconn() { vs -L -n -c | grep -q ":4448 *$VIP:5353 "; }
wait_for 5 drconn ||
	fail "no DR connection: $(vs -L -n -c)"
ip netns exec $C python3 "$ISEND" 4 10.77.1.2 $VIP 3 4 1300 \
	$VIP 5353 10.77.1.2 4448 good || fail "icmp_send"
pmtu_dr() { ip -n $R1 route get 10.77.1.2 | grep -q "mtu 1300"; }
wait_for 5 pmtu_dr
check "DR: rs1 learnt the path's MTU from the error, forwarded" pmtu_dr

if [ -s "$T/cap.$C" ]; then
	sleep 0.5
	c=$T/cap.$C r=$T/cap.$R1
	check "tcpdump: the client saw errors from the VIPs only" \
		test "$(grep -c "> 10.77.1.2: ICMP $VIP udp port 99 unreachable" $c) \
$(grep -c "10.77.1.2.4446 > $VIP.53: \[udp sum ok\]" $c) \
$(grep -c "$VIP6 > fd77:1::2: \[icmp6 sum ok\]" $c)" = "1 1 2"
	check "tcpdump: rs1 saw the error about its own reply" \
		grep -q "10.77.2.2.5353 > 10.77.1.2.4447: \[udp sum ok\]" $r
	check "tcpdump: no bad checksum after the director" \
		test "$(grep -c "bad\|wrong" $c $r | awk -F: '{ s += $2 } END { print s }')" = 2
else
	echo "skip: tcpdump checks (no tcpdump)"
fi

n=$(vs -L -n --stats | awk '$1 == "UDP" && $2 ~ /:99$/ { s += $5 } END { print s + 0 }')
check "the errors from rs1 are counted as the service's replies ($n)" \
	test "$n" -ge 2

echo "$PASS passed, $FAILN failed"
[ $FAILN = 0 ]
