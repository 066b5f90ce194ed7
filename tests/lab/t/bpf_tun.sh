#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The eBPF datapath on the lab's Debian 6.1 kernel, tunnelling to real
# servers that decapsulate with the kernel's own ipip/ip6tnl devices (the
# host test bpf_tun uses an XDP decapsulator instead): the programs load
# on 6.1 (with the expiry timer's 6.1 fix), TCP over IPIP reaches both
# real servers, and an mh service with thresholds over ip6ip6 keeps one
# client on one.  (UDP is covered by the host test bpf_tun.)
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
for i in 1 2; do
	lab_rs_tun $i
	lab_rs_serve $i 80 || lab_skip "responder"
done
vs() { LVS_DATAPATH=bpf nsenter --net=/run/netns/director "$LAB_VSADM" "$@"; }
for a in 10.0.2.11 10.0.2.12 fd00:2::11 fd00:2::12; do
	lab_in director ping -c1 -W5 $a >/dev/null
done

lab_check "the eBPF datapath loads on this kernel" vs -A -t $VIP4:80 -s rr
vs -a -t $VIP4:80 -r 10.0.2.11 -i
vs -a -t $VIP4:80 -r 10.0.2.12 -i
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
lab_check "the connections are listed as Tunnel" \
	bash -c "LVS_DATAPATH=bpf nsenter --net=/run/netns/director $LAB_VSADM -L -n -c | grep -q 10.0.2.1[12]:80"
vs -C
lab_check "--unload" vs --unload
lab_done
