#!/bin/bash
# Firewall-mark services (marked by tc on the director's ingress, any
# port, persistence by mark) and one-packet scheduling for UDP (DR).
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

kmod_setup 3
for i in 1 2 3; do kmod_serve $i 80 8080 8081; done
info() { lvs info | grep "^$1=" | cut -d= -f2; }

# Packets to the VIP on TCP 8080-8081 get mark 7.
lab_in director tc qdisc add dev d0 clsact
lab_check "tc marks TCP 8080-8081 to the VIP" lab_in director tc filter add \
	dev d0 ingress protocol ip flower ip_proto tcp dst_ip $VIP4 \
	dst_port 8080-8081 action skbedit mark 7
lab_check "fwmark service" lvs svc add -f 7 -s rr
for i in 1 2 3; do
	lab_check "fwmark rs$i, port kept" \
		lvs rs add -f 7 -r "$(lab_rs_addr $i)" -m
done
lab_check_eq "fwmark: port 8080 spread" "rs1 1
rs2 1
rs3 1" kmod_count tcp $VIP4 8080 3
lab_check_eq "fwmark: port 8081 spread" "rs1 1
rs2 1
rs3 1" kmod_count tcp $VIP4 8081 3
lab_check "fwmark: entries carry the ports" kmod_has ":8081" lvs conns
lab_check "fwmark: persistence by mark" lvs svc edit -f 7 -p 30
lab_check "fwmark persistent: both ports on one real server" \
	sh -c "[ \$( (ip netns exec client python3 $KTOOLS/client.py tcp $VIP4 8080 3;
		     ip netns exec client python3 $KTOOLS/client.py tcp $VIP4 8081 3) |
		    sort -u | wc -l) = 1 ]"
lab_check "fwmark template listed with protocol IP" kmod_has "^IP " lvs conns
lvs flush

# One-packet scheduling: every datagram scheduled on its own, no entry.
# Replies cannot be translated without an entry: direct routing, as with
# IPVS.
for i in 1 2 3; do lab_rs_dr $i; done
lab_check "one-packet UDP service" lvs svc add -u $VIP4:80 -s rr -O
for i in 1 2 3; do
	lvs rs add -u $VIP4:80 -r "$(lab_rs_addr $i):80" -g
done
lab_check_eq "one-packet: 6 datagrams from one port spread" "rs1 2
rs2 2
rs3 2" kmod_count udp $VIP4 80 6 --sport 4000
lab_check_eq "one-packet: no entries kept" 0 info conn_count
lab_check_eq "one-packet: 6 connections counted" 6 lvs_stat -u $VIP4:80 conns
lab_done
