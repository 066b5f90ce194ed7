#!/bin/bash
# The lab's own topology helpers work, before any module is involved:
# every hop answers over IPv4 and IPv6, responders answer TCP, UDP and
# HTTP, and the DR / tunnel real-server set-ups apply.
. "$LAB_DIR/tests/lab/lib.sh"

lab_topo 2
lab_check "client -> director (v4)" lab_in client ping -c1 -w10 10.0.1.1
lab_check "client -> director (v6)" lab_in client ping -6 -c1 -w10 fd00:1::1
lab_check "client -> rs1 through the director (v4)" \
	lab_in client ping -c1 -w10 "$(lab_rs_addr 1)"
lab_check "client -> rs2 through the director (v6)" \
	lab_in client ping -6 -c1 -w10 "$(lab_rs_addr6 2)"
lab_check "director owns the VIPs" \
	sh -c "ip netns exec director ip -o addr show dev lo | grep -q $VIP4 &&
	       ip netns exec director ip -o addr show dev lo | grep -q $VIP6"

lab_rs_serve 1
lab_rs_http 2 8080
lab_check_eq "TCP responder (v4)" rs1 lab_tcp "$(lab_rs_addr 1)" 80
lab_check_eq "TCP responder (v6)" rs1 lab_tcp "$(lab_rs_addr6 1)" 80
lab_check_eq "UDP responder (v4)" rs1 lab_udp "$(lab_rs_addr 1)" 80
lab_check_eq "UDP responder (v6)" rs1 lab_udp "$(lab_rs_addr6 1)" 80
lab_check_eq "HTTP responder" rs2 lab_http "http://$(lab_rs_addr 2):8080/"
lab_check_eq "HTTP responder (v6)" rs2 lab_http "http://[$(lab_rs_addr6 2)]:8080/"

lab_rs_dr 1
lab_check "DR real server owns the VIP" \
	sh -c "ip netns exec rs1 ip -o addr show dev lo | grep -q $VIP4"
lab_check "DR real server ignores ARP for the VIP" \
	sh -c "[ \$(ip netns exec rs1 sysctl -n net.ipv4.conf.all.arp_ignore) = 1 ]"
lab_rs_tun 2
lab_check "tunnel real server has tunl0 and ip6tnl0 up" \
	sh -c "ip netns exec rs2 ip link show tunl0 | grep -q UP &&
	       ip netns exec rs2 ip link show ip6tnl0 | grep -q UP"
lab_done
