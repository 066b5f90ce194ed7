#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# The eBPF datapath's tunnel forwarding (bpf_env.inc's namespaces): IPIP
# for IPv4 and ip6ip6 for IPv6, TCP (curl) and UDP (socat).  This host has
# no ipip/ip6tnl devices, so the real servers decapsulate in XDP too
# (bpf/lvs_decap.bpf.o); they own the VIPs and answer the client directly
# through the director, their router, which therefore does not own them.
. "$(dirname "$0")/lib.sh"
. "$HERE/bpf_env.inc"
DECAP=$TOP/bpf/lvs_decap.bpf.o
[ -r "$DECAP" ] || fail "$DECAP not built"
command -v tcpdump >/dev/null || skip "needs tcpdump"

get6() { ip netns exec $C curl -s --max-time 5 "http://[$VIP6]:${1:-80}/"; }
udp() { echo q | ip netns exec $C socat -T2 - UDP4:$VIP:5354,sourceport=$1; }
udp6() { echo q | ip netns exec $C socat -T2 - "UDP6:[$VIP6]:5354,sourceport=$1"; }

ip -n $D addr del $VIP/32 dev lo
for n in $R1 $R2; do
	ip -n $n addr add $VIP/32 dev lo
	ip -n $n addr add $VIP6/128 dev lo nodad
	ip -n $n link set dev eth0 xdpgeneric obj "$DECAP" sec xdp ||
		fail "attach the decapsulator in $n"
done
# UDP replies must come from the VIP: responders bound to it, on 5354
for i in 1 2; do
	for a in $VIP $VIP6; do
		bg ip netns exec ${S}r$i python3 -c "
import socket
s = socket.socket(socket.AF_INET6 if ':' in '$a' else socket.AF_INET,
		  socket.SOCK_DGRAM)
s.bind(('$a', 5354))
while True:
    d, a = s.recvfrom(2048)
    s.sendto(b'rs$i\\n', a)"
	done
done
# No neighbour entry for the real servers: adding them asks the kernel to
# resolve theirs (docs/bpf.md), so the very first connections get through.
ip -n $D neigh flush all

vs -A -t $VIP:8080 -s rr || fail "add TCP service 8080"
vs -a -t $VIP:8080 -r 10.77.2.2 -i || fail "add rs1 8080"
vs -a -t $VIP:8080 -r 10.77.3.2 -i || fail "add rs2 8080"
out=$(for i in 1 2 3 4; do get 8080; done | sort | tr '\n' ' ')
check "IPIP, TCP: both real servers answer, never pinged ($out)" \
	test "$out" = "rs1 rs1 rs2 rs2 "
st() { bpftool map dump pinned \
	/sys/fs/bpf/lvs/net$(stat -L -c %i /run/netns/$D)/lvs_state 2>&1; }
check "lvs_state: no drop for want of a neighbour ($(st | tr -d ' \n'))" \
	grep -q '"neigh_dropped": 0' <<<"$(st)"
list=$(vs -L -n)
check "the tunnel real servers list as the module's" \
	grep -q -- "-> 10.77.2.2:8080 *Tunnel *1 *0 *[0-9]" <<<"$list"
check "-c lists the tunnelled connections" \
	test "$(vs -L -n -c | grep -c "$VIP:8080 *10.77.[23].2:8080")" -ge 4

# tunnels keep the port: the service is on the responders' 5354
vs -A -u $VIP:5354 -s rr || fail "add UDP service"
vs -a -u $VIP:5354 -r 10.77.2.2 -i || fail "add udp rs1"
vs -a -u $VIP:5354 -r 10.77.3.2 -i || fail "add udp rs2"
out=$(for p in 4001 4002; do udp $p; done | sort | tr '\n' ' ')
check "IPIP, UDP: both real servers answer ($out)" test "$out" = "rs1 rs2 "
# A datagram in fragments: each one encapsulated after the first
# (lvs_frags); the client's path is 1400 so that they fit with the outer
# header (one too big without DF would be dropped, docs/bpf.md).
ip -n $C route add $VIP/32 via 10.77.1.1 mtu 1400
out=$(ip netns exec $C python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(5)
s.connect(('$VIP', 5354))
s.send(b'x' * 3000)
print(s.recv(100).decode().strip())" 2>&1 | tail -1)
check "IPIP, UDP: 3000 B in fragments reach a real server ($out)" \
	grep -qx "rs[12]" <<<"$out"
ip -n $C route del $VIP/32

# The outer header as lvs.ko writes it: from the director's address on
# the way to the real server, the inner TTL after its decrement, DF
# copied.  Seen on rs1 with its decapsulator detached.
ip -n $R1 link set dev eth0 xdpgeneric off
vs -e -t $VIP:8080 -r 10.77.3.2 -i -w 0 || fail "weight 0 on rs2"
ip netns exec $R1 timeout 10 tcpdump -c1 -nvi eth0 'ip proto 4' \
	>"$T/dump" 2>/dev/null &
DUMP=$!
sleep 1
ip netns exec $C curl -s --max-time 2 http://$VIP:8080/ >/dev/null
wait $DUMP
hdr=$(head -1 "$T/dump")
check "outer: TTL 63 (client's 64 less one), DF, proto IPIP ($hdr)" \
	grep -q "ttl 63,.*flags \[DF\].*proto IPIP (4)" <<<"$hdr"
check "outer: from the director's address towards rs1 ($(sed -n 2p "$T/dump"))" \
	grep -q "10.77.2.1 > 10.77.2.2:" "$T/dump"
ip -n $R1 link set dev eth0 xdpgeneric obj "$DECAP" sec xdp ||
	fail "re-attach the decapsulator"
vs -e -t $VIP:8080 -r 10.77.3.2 -i -w 1 || fail "weight 1 on rs2"

vs -A -t "[$VIP6]:8080" -s rr || fail "add TCP6 service 8080"
vs -a -t "[$VIP6]:8080" -r "[fd77:2::2]:8080" -i || fail "add rs1 v6"
vs -a -t "[$VIP6]:8080" -r "[fd77:3::2]:8080" -i || fail "add rs2 v6"
out=$(for i in 1 2 3 4; do get6 8080; done | sort | tr '\n' ' ')
check "ip6ip6, TCP: both real servers answer ($out)" \
	test "$out" = "rs1 rs1 rs2 rs2 "
vs -A -u "[$VIP6]:5354" -s rr || fail "add UDP6 service"
vs -a -u "[$VIP6]:5354" -r "[fd77:2::2]:5354" -i || fail "add udp6 rs1"
vs -a -u "[$VIP6]:5354" -r "[fd77:3::2]:5354" -i || fail "add udp6 rs2"
out=$(for p in 5001 5002; do udp6 $p; done | sort | tr '\n' ' ')
check "ip6ip6, UDP: both real servers answer ($out)" test "$out" = "rs1 rs2 "

# ICMP from the tunnel path, as lvs.ko's: links of MTU 1400 to the real
# servers leave 1380 (IPv4) or 1360 (IPv6) past the outer header; a
# packet too big for it gets frag-needed / packet-too-big with that MTU,
# one with TTL 1 time-exceeded.  probe ADDR pmtu|ttl runs in the client.
probe() { ip netns exec $C python3 "$TOP/tests/lab/tools/tun_probe.py" "$@"; }
for i in 1 2; do
	ip -n $D link set d$i mtu 1400 &&
		ip -n ${S}r$i link set eth0 mtu 1400 || fail "MTU 1400 to rs$i"
done
out=$(probe $VIP pmtu 2>&1)
check "IPIP: too big with DF, the client learns 1380 ($out)" test "$out" = 1380
out=$(probe $VIP6 pmtu 2>&1)
check "ip6ip6: too big, the client learns 1360 ($out)" test "$out" = 1360
out=$(probe $VIP ttl 2>&1)
check "IPIP: TTL 1 gets time-exceeded ($out)" test "$out" = EHOSTUNREACH
out=$(probe $VIP6 ttl 2>&1)
check "ip6ip6: hop limit 1 gets time-exceeded ($out)" test "$out" = EHOSTUNREACH
# TCP then keeps to the path MTU: 200 kB up through the tunnel
for i in 1 2; do
	bg ip netns exec ${S}r$i python3 -c "
import socket
l = socket.socket(socket.AF_INET6)
l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
l.bind(('::', 8081)); l.listen(8)
while True:
    c, _ = l.accept(); n = 0
    while True:
        d = c.recv(65536)
        if not d: break
        n += len(d)
    c.sendall(b'%d' % n); c.close()"
done
vs -A -t $VIP:8081 -s rr || fail "add TCP service 8081"
vs -a -t $VIP:8081 -r 10.77.2.2 -i || fail "add rs1 8081"
vs -a -t $VIP:8081 -r 10.77.3.2 -i || fail "add rs2 8081"
up8081() { ip netns exec $1 ss -Hltn "sport = :8081" | grep -q .; }
wait_for 20 up8081 $R1 && wait_for 20 up8081 $R2 || fail "sinks did not start"
out=$(ip netns exec $C python3 -c "
import socket
s = socket.create_connection(('$VIP', 8081), timeout=10)
s.sendall(b'x' * 200000); s.shutdown(socket.SHUT_WR)
print(s.recv(100).decode())" 2>&1 | tail -1)
check "IPIP: a 200 kB upload gets through at the path MTU ($out)" \
	test "$out" = 200000

# A real server that never answers ARP: its datagrams are dropped for
# want of a neighbour entry, and counted.
vs -A -u $VIP:5355 -s rr || fail "add UDP service 5355"
vs -a -u $VIP:5355 -r 10.77.2.99 -i || fail "add the absent real server"
for p in 4011 4012 4013; do
	echo q | ip netns exec $C socat -T1 - UDP4:$VIP:5355,sourceport=$p
done
check "lvs_state counts drops for want of a neighbour ($(st | tr -d ' \n'))" \
	grep -q '"neigh_dropped": [1-9]' <<<"$(st)"

err=$(vs -a -t $VIP:8080 -r 10.77.2.9 -i --tun-type gue --tun-port 6080 2>&1)
check "gue refused with a reason ($err)" grep -q "ipip only" <<<"$err"

echo "$PASS passed, $FAILN failed"
[ $FAILN = 0 ]
