#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The eBPF datapath on the lab's Debian 6.1 kernel, tunnelling to real
# servers that decapsulate with the kernel's own ipip/ip6tnl devices (the
# host test bpf_tun uses an XDP decapsulator instead): the programs load
# on 6.1 (with the expiry timer's 6.1 fix), TCP and UDP over IPIP and
# ip6ip6 reach both real servers, an mh service with thresholds over
# ip6ip6 keeps one client on one, and the tunnel path's ICMP errors
# (too big, TTL expired) reach the client.
. "$LAB_DIR/tests/lab/lib.sh"

VIP4=10.0.0.100 VIP6=fd00::100
lab_topo 2 || lab_skip "topology"
# The real servers answer from the VIP through the director, their
# router, which then must not own it; XDP takes the VIP's packets first.
ip -n director addr del $VIP4/32 dev lo
ip -n director addr del $VIP6/128 dev lo
ip -n director route add $VIP4/32 dev br0
ip -n director -6 route add $VIP6/128 dev br0
lab_in client ethtool -K c0 tx off >/dev/null 2>&1
# UDP replies must come from the VIP: one responder per real server
# bound to both VIPs on 5354 (responder.py answers from its own address).
for i in 1 2; do
	lab_rs_tun $i
	lab_rs_serve $i 80 || lab_skip "responder"
	ip netns exec rs$i python3 -c "
import selectors, socket
sel = selectors.DefaultSelector()
for f, a in ((socket.AF_INET, '$VIP4'), (socket.AF_INET6, '$VIP6')):
    s = socket.socket(f, socket.SOCK_DGRAM)
    s.bind((a, 5354))
    sel.register(s, selectors.EVENT_READ)
while True:
    for k, _ in sel.select():
        d, p = k.fileobj.recvfrom(2048)
        k.fileobj.sendto(b'rs$i\\n', p)" &
	lab_wait_port rs$i udp 5354 || lab_skip "UDP responder"
done
vs() { LVS_DATAPATH=bpf nsenter --net=/run/netns/director "$LAB_VSADM" "$@"; }
for a in 10.0.2.11 10.0.2.12 fd00:2::11 fd00:2::12; do
	lab_in director ping -c1 -W5 $a >/dev/null
done

lab_check "the eBPF datapath loads on this kernel" vs -A -t $VIP4:80 -s rr
vs -a -t $VIP4:80 -r 10.0.2.11 -i
vs -a -t $VIP4:80 -r 10.0.2.12 -i
vs -A -u $VIP4:5354 -s rr
vs -a -u $VIP4:5354 -r 10.0.2.11 -i
vs -a -u $VIP4:5354 -r 10.0.2.12 -i
vs -A -u "[$VIP6]:5354" -s rr
vs -a -u "[$VIP6]:5354" -r "[fd00:2::11]:5354" -i
vs -a -u "[$VIP6]:5354" -r "[fd00:2::12]:5354" -i
vs -A -t "[$VIP6]:80" -s mh
vs -a -t "[$VIP6]:80" -r "[fd00:2::11]:80" -i -x 100
vs -a -t "[$VIP6]:80" -r "[fd00:2::12]:80" -i -x 100
vs -L -n

both() {	# CMD...: two answers, one from each real server
	local out
	out=$(for k in 1 2; do "$@"; echo; done | grep -o 'rs[12]' | sort | tr '\n' ' ')
	echo "$out"
	[ "$out" = "rs1 rs2 " ]
}
lab_check "IPIP, TCP: both real servers answer" both lab_http http://$VIP4/
out=$(for k in 1 2 3; do lab_http "http://[$VIP6]/"; echo; done | grep -o 'rs[12]' | sort -u | wc -l)
lab_check_eq "ip6ip6, TCP, mh: one client, one real server" 1 echo "$out"
lab_check "IPIP, UDP: both real servers answer" both lab_udp $VIP4 5354
lab_check "ip6ip6, UDP: both real servers answer" both lab_udp $VIP6 5354
lab_check "the connections are listed as Tunnel" \
	bash -c "LVS_DATAPATH=bpf nsenter --net=/run/netns/director $LAB_VSADM -L -n -c | grep -q 10.0.2.1[12]:80"

# ICMP from the tunnel path, as lvs.ko's (the host test bpf_tun does the
# same): links of MTU 1400 to the real servers leave 1380 (IPv4) or 1360
# (IPv6) past the outer header; TTL 1 gets time-exceeded.
for i in 1 2; do
	ip -n director link set rs$i mtu 1400
	ip -n rs$i link set e0 mtu 1400
done
ip -n director link set br0 mtu 1400
probe() { lab_in client python3 "$LAB_DIR/tests/lab/tools/tun_probe.py" "$1" "$2" 10 1 2>&1; }
lab_check_eq "IPIP: too big with DF, the client learns 1380" 1380 probe $VIP4 pmtu
lab_check_eq "ip6ip6: too big, the client learns 1360" 1360 probe $VIP6 pmtu
lab_check_eq "IPIP: TTL 1 gets time-exceeded" EHOSTUNREACH probe $VIP4 ttl
lab_check_eq "ip6ip6: hop limit 1 gets time-exceeded" EHOSTUNREACH probe $VIP6 ttl
vs -C
lab_check "--unload" vs --unload
lab_done
