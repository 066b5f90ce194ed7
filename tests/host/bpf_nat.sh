#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# The eBPF datapath, natively on this host: a client, a director and two
# real servers in network namespaces over veth; NAT for TCP (curl) and UDP
# (socat) through the VIP, rr and wrr, weight 0, ActiveConn/InActConn,
# the connection listing, expiry by timer, refusals, and --unload leaving
# no program, link or pinned map.
. "$(dirname "$0")/lib.sh"

VSADM=$TOP/vsadm/vsadm
need_netns
for t in bpftool curl socat ethtool nsenter; do
	command -v $t >/dev/null || skip "needs $t"
done
[ -r /sys/kernel/btf/vmlinux ] || skip "kernel without BTF"

MOUNTED=0
if ! [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ]; then
	mount -t bpf bpf /sys/fs/bpf || skip "cannot mount bpffs"
	MOUNTED=1
fi
S=bpft$$
C=${S}c D=${S}d R1=${S}r1 R2=${S}r2
VIP=10.77.9.1
# Director commands keep this mount namespace (ip netns exec would give
# them a private /sys, hiding the pinned state from the next command).
dsh() { nsenter --net=/run/netns/$D "$@"; }
vs() { LVS_DATAPATH=bpf dsh "$VSADM" "$@"; }
finish() {
	vs --unload 2>/dev/null
	cleanup
	[ $MOUNTED = 1 ] && umount /sys/fs/bpf
}
trap finish EXIT

PASS=0 FAILN=0
check() {	# DESCRIPTION COMMAND...
	local d=$1; shift
	if "$@"; then ok "$d"; PASS=$((PASS + 1))
	else echo "FAIL: $d"; FAILN=$((FAILN + 1)); fi
}

for n in $C $D $R1 $R2; do
	ip netns add $n || fail "netns add $n"
	NETNS+=($n)
	ip -n $n link set lo up
done
# peer NAME NS NSADDR DIRADDR: a veth pair director <-> NS, /24.
peer() {
	ip link add $1 netns $D type veth peer name eth0 netns $2 || fail veth
	ip -n $D addr add $4/24 dev $1
	ip -n $D link set $1 up
	ip -n $2 addr add $3/24 dev eth0
	ip -n $2 link set eth0 up
	ip -n $2 route add default via $4
	# Frames redirected by XDP into a veth need NAPI on its peer (GRO);
	# XDP rewrites full checksums, so local senders must not offload.
	ip netns exec $2 ethtool -K eth0 gro on tx off >/dev/null ||
		fail "ethtool in $2"
}
peer dc $C 10.77.1.2 10.77.1.1
peer d1 $R1 10.77.2.2 10.77.2.1
peer d2 $R2 10.77.3.2 10.77.3.1
ip -n $D addr add $VIP/32 dev lo
ip netns exec $D sysctl -qw net.ipv4.ip_forward=1

for i in 1 2; do
	mkdir -p "$T/www$i"
	echo "rs$i" >"$T/www$i/body"
	bg ip netns exec ${S}r$i python3 "$HERE/servers.py" http 0.0.0.0 8080 "$T/www$i"
	bg ip netns exec ${S}r$i python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('0.0.0.0', 5353))
while True:
    d, a = s.recvfrom(2048)
    s.sendto(b'rs$i\\n', a)"
done
up() { ip netns exec $1 ss -Hltn "sport = :8080" | grep -q .; }
wait_for 20 up $R1 && wait_for 20 up $R2 || fail "servers did not start"

vs -A -t $VIP:80 -s rr || fail "add TCP service"
vs -a -t $VIP:80 -r 10.77.2.2:8080 -m || fail "add rs1"
vs -a -t $VIP:80 -r 10.77.3.2:8080 -m || fail "add rs2"
vs -A -u $VIP:53 -s wrr || fail "add UDP service"
vs -a -u $VIP:53 -r 10.77.2.2:5353 -m -w 3 || fail "add udp rs1"
vs -a -u $VIP:53 -r 10.77.3.2:5353 -m -w 1 || fail "add udp rs2"

get() { ip netns exec $C curl -s --max-time 5 http://$VIP/; }
out=$(for i in 1 2 3 4; do get; done | tr '\n' ' ')
check "rr alternates over NAT, replies included ($out)" \
	test "$out" = "rs2 rs1 rs2 rs1 " -o "$out" = "rs1 rs2 rs1 rs2 "

stats=$(vs -L -n --stats)
conns=$(echo "$stats" | awk '$1 == "TCP" { print $3 }')
outp=$(echo "$stats" | awk '$1 == "TCP" { print $5 }')
check "--stats counts 4 connections ($conns) and replies ($outp)" \
	test "$conns" = 4 -a "${outp:-0}" -gt 0
check "-c lists the 4 connections" \
	test "$(vs -L -n -c | grep -c "$VIP:80")" -ge 4

# A connection held open is active; closed ones are inactive.
bg sh -c "sleep 8 | ip netns exec $C socat - TCP:$VIP:80"
active() { vs -L -n | awk '/->/ { a += $5 } END { exit a == 1 ? 0 : 1 }'; }
check "an open connection counts in ActiveConn" wait_for 20 active
inact=$(vs -L -n | awk '/-> 10.77.[23].2:8080/ { s += $6 } END { print s }')
check "closed connections count in InActConn ($inact)" test "$inact" -ge 4

vs -e -t $VIP:80 -r 10.77.3.2:8080 -m -w 0 || fail "weight 0"
out=$(for i in 1 2 3; do get; done | tr '\n' ' ')
check "weight 0 takes no new connections ($out)" test "$out" = "rs1 rs1 rs1 "

udp() { echo q | ip netns exec $C socat -T2 - UDP4:$VIP:53,sourceport=$1; }
vs --set 0 0 2 || fail "--set udp timeout"
out=$(for p in 4001 4002 4003 4004; do udp $p; done | tr '\n' ' ')
check "wrr 3:1 over UDP ($out)" test "$(echo "$out" | grep -o rs1 | wc -l)" = 3

udp_gone() { ! vs -L -n -c | grep -q "^UDP"; }
check "UDP entries expire by their timer" wait_for 30 udp_gone

err=$(vs -A -t $VIP:81 -s nosuch 2>&1)
check "unknown scheduler refused as on the module ($err)" \
	test "$err" = "Scheduler not found"
err=$(vs -A -t $VIP:80 -s rr 2>&1)
check "duplicate service refused ($err)" test "$err" = "Service already exists"
err=$(vs -a -t $VIP:80 -r 10.77.2.2:8080 -i 2>&1)
check "tunnel refused with a reason" grep -q "not supported by the bpf" <<<"$err"

vs -D -t $VIP:80 || fail "-D"
check "-D removes the service" test "$(vs -L -n | grep -c TCP)" = 0
vs -C || fail "-C"
check "-C leaves no service" test "$(vs -L -n | grep -cE '^(TCP|UDP)')" = 0
vs --unload || fail "--unload"
check "--unload leaves no pinned state" \
	test -z "$(ls /sys/fs/bpf/lvs 2>/dev/null | grep "net$(stat -L -c %i /run/netns/$D)")"
check "--unload leaves no program" \
	test -z "$(bpftool prog show name lvs_xdp 2>/dev/null)"
check "--unload leaves no XDP link on the director" \
	test -z "$(ip -n $D -d link show | grep -w xdp)"

echo "$PASS passed, $FAILN failed"
[ $FAILN = 0 ]
