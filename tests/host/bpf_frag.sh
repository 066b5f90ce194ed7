#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# Fragmented datagrams through the eBPF datapath (bpf_env.inc's
# namespaces), which lvs.ko gets reassembled by the kernel: 3000-byte UDP
# datagrams over NAT both ways, IPv4 and IPv6, and into a DR real server;
# --stats counts each datagram once, with its whole length, as the module
# does.  The first fragment finds (or makes) the connection; the later
# ones follow its note (lvs_frags).
. "$(dirname "$0")/lib.sh"
. "$HERE/bpf_env.inc"

ip -n $D addr add $VIP6/128 dev lo nodad
# An echo server in rs1 on 7000 that logs what it got.
bg ip netns exec $R1 python3 -c "
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(('::', 7000))
log = open(sys.argv[1], 'w', buffering=1)
while True:
    d, a = s.recvfrom(65535)
    log.write('%d %s\n' % (len(d), a[0].replace('::ffff:', '')))
    s.sendto(d, a)" "$T/rs1.log"
echo7000() { ip netns exec $R1 ss -Hlun "sport = :7000" | grep -q .; }
wait_for 10 echo7000 || fail "echo server did not start"

vs -A -u $VIP:70 -s rr || fail "add v4 service"
vs -a -u $VIP:70 -r 10.77.2.2:7000 -m || fail "add v4 rs1"
vs -A -u "[$VIP6]:70" -s rr || fail "add v6 service"
vs -a -u "[$VIP6]:70" -r "[fd77:2::2]:7000" -m || fail "add v6 rs1"

# xchg ADDR PORT SIZE: one datagram of SIZE bytes from the client over a
# connected socket; prints the size of the answer, or "timeout".
xchg() {
	ip netns exec $C python3 -c "
import socket, sys
a, p, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET6 if ':' in a else socket.AF_INET,
                  socket.SOCK_DGRAM)
s.settimeout(5)
s.connect((a, p))
s.send(b'x' * n)
try:
    print(len(s.recv(65535)))
except OSError as e:
    print(type(e).__name__)" "$@"
}

check "v4 NAT: 3000 B each way, in fragments" \
	test "$(xchg $VIP 70 3000)" = 3000
check "v6 NAT: 3000 B each way, in fragments" \
	test "$(xchg $VIP6 70 3000)" = 3000
check "v4 NAT: a whole datagram still passes" \
	test "$(xchg $VIP 70 100)" = 100
check "rs1 got each datagram whole, from the client" \
	test "$(cut -d' ' -f1 "$T/rs1.log" | tr '\n' ' ')" = "3000 3000 100 "
# (one datagram each way of 3000 + 8 + 20 bytes, then one of 128)
st=$(vs -L -n --stats --exact | awk '$1 == "UDP" && $2 == "'$VIP':70" {
	print $3, $4, $5, $6, $7 }')
check "v4 --stats: one packet per datagram, whole lengths ($st)" \
	test "$st" = "2 2 2 3156 3156"

# DR: the datagram reaches rs1 (which owns the VIP) in fragments that
# follow the first to its MAC address; rs1's answer goes straight back.
ip -n $R1 addr add $VIP/32 dev lo
vs -A -u $VIP:7000 -s rr || fail "add DR service"
vs -a -u $VIP:7000 -r 10.77.2.2 -g || fail "add DR rs1"
ip netns exec $C python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b'y' * 4000, ('$VIP', 7000))"
dr_got() { grep -q "^4000 10.77.1.2$" "$T/rs1.log"; }
wait_for 5 dr_got
check "DR: 4000 B reach rs1 whole" dr_got

echo "$PASS passed, $FAILN failed"
[ $FAILN = 0 ]
