#!/bin/bash
# ICMP: errors from a real server behind NAT reach the client rewritten
# (port unreachable -> "connection refused" from the VIP) with checksums
# tcpdump -vv finds right (the ICMP one; for IPv4 also the quoted IP
# header's and the quoted UDP datagram's), an error with a bad ICMP checksum is dropped,
# datagrams in IPv6 fragments reach a v6 NAT service both ways, and the
# tunnel's smaller MTU is reported to the client (fragmentation needed,
# packet too big), which then gets through in fragments.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

kmod_setup 2
lab_rs_tun 2
kmod_serve 1 80
kmod_serve 2 80 90

lvs svc add -u $VIP4:99 -s rr
lvs rs add -u $VIP4:99 -r "$(lab_rs_addr 1):99" -m
lab_check_eq "NAT v4: port unreachable comes back as refused" \
	"ERR Connection refused" kmod_client udp $VIP4 99 1 --timeout 2
# IPv6 reassembly comes with the first IPv6 service, not before: a lone
# IPv6 fragment the director forwards to rs1 reaches it (rs1 counts it)
# while only IPv4 services exist, and is held for reassembly once an IPv6
# one does.  The ping after it, on the same path, has its answer back
# once the fragment would have arrived.
frag6_reaches_rs1() {
	local before after
	before=$(lab_in rs1 nstat -az Ip6ReasmReqds | awk '$1 == "Ip6ReasmReqds" {print $2}')
	lab_in client python3 "$KTOOLS/frag6.py" fd00:1::2 "$(lab_rs_addr6 1)" &&
		lab_in client ping -6 -c1 -W5 -q "$(lab_rs_addr6 1)" >/dev/null || return 2
	after=$(lab_in rs1 nstat -az Ip6ReasmReqds | awk '$1 == "Ip6ReasmReqds" {print $2}')
	echo "Ip6ReasmReqds in rs1: $before -> $after"
	[ "$after" -gt "$before" ]
}
lab_check "IPv4 services only: the director does not reassemble IPv6" \
	frag6_reaches_rs1
lvs svc add -u "[$VIP6]:99" -s rr
lvs rs add -u "[$VIP6]:99" -r "[$(lab_rs_addr6 1)]:99" -m
frag6_held() {
	frag6_reaches_rs1
	[ $? = 1 ]
}
lab_check "an IPv6 service: the director reassembles IPv6" frag6_held
lab_check_eq "NAT v6: port unreachable comes back as refused" \
	"ERR Connection refused" kmod_client udp $VIP6 99 1 --timeout 2
lab_check "NAT: the errors went out through the service" \
	sh -c "[ \$(ip netns exec director python3 $LVSNL stat -u $VIP4:99 outpkts) -ge 1 ]"

icmps() { lab_in client nstat -az "$1" | awk -v k="$1" '$1 == k {print $2}'; }

# IPv6 fragments: the director reassembles them (nf_defrag_ipv6, enabled
# with the first IPv6 service) to find the ports.
lvs svc add -u $VIP4:80 -s rr
lvs rs add -u $VIP4:80 -r "$(lab_rs_addr 1):80" -m
lvs svc add -u "[$VIP6]:80" -s rr
lvs rs add -u "[$VIP6]:80" -r "[$(lab_rs_addr6 1)]:80" -m
lab_check_eq "NAT v6: 3000 B sent in fragments reach the service" 100 \
	kmod_client udp $VIP6 80 1 --size 100 --pad 3000
lab_check_eq "NAT v6: a 3000 B answer comes back in fragments" 3000 \
	kmod_client udp $VIP6 80 1 --size 3000
lab_check_eq "NAT v4: 3000 B each way" 3000 \
	kmod_client udp $VIP4 80 1 --size 3000 --pad 3000

# Errors about a NAT connection, crafted in rs1 (icmp_send.py: port
# unreachable, quoting the client's datagram to rs1 whole): one with a
# spoilt ICMP checksum, which the director must drop (translated, it would
# leave with a valid one), then a good one.  tcpdump in the client sees
# only the good one, translated, its checksums right.
cap=/tmp/kmod_icmp.cap
ip netns exec client tcpdump -l -n -vv -i c0 'icmp or icmp6' \
	>$cap 2>$cap.err &
tdpid=$!
for t in $(seq 1 100); do
	grep -q listening $cap.err && break
	sleep 0.1
done
kmod_client udp $VIP4 80 1 --sport 4446 >/dev/null
kmod_client udp $VIP6 80 1 --sport 4446 >/dev/null
u4=$(icmps IcmpInDestUnreachs)
u6=$(icmps Icmp6InDestUnreachs)
e4=$(icmps IcmpInCsumErrors)
e6=$(icmps Icmp6InCsumErrors)
# ierr 4|6 RS CLIENT good|bad
ierr() {
	local un="3 3"
	[ "$1" = 6 ] && un="1 4"
	# shellcheck disable=SC2086
	lab_in rs1 python3 "$KTOOLS/icmp_send.py" "$1" "$2" "$3" $un 0 \
		"$3" 4446 "$2" 80 "$4"
}
ierr 4 "$(lab_rs_addr 1)" 10.0.1.2 bad
ierr 6 "$(lab_rs_addr6 1)" fd00:1::2 bad
sleep 1
lab_check "NAT: errors with a bad ICMP checksum are dropped" \
	test "$(icmps IcmpInDestUnreachs) $(icmps Icmp6InDestUnreachs)" = "$u4 $u6"
ierr 4 "$(lab_rs_addr 1)" 10.0.1.2 good
ierr 6 "$(lab_rs_addr6 1)" fd00:1::2 good
for t in $(seq 1 50); do
	[ "$(icmps IcmpInDestUnreachs)" -gt "$u4" ] &&
		[ "$(icmps Icmp6InDestUnreachs)" -gt "$u6" ] && break
	sleep 0.1
done
lab_check "NAT: the good errors reach the client" \
	test "$(icmps IcmpInDestUnreachs) $(icmps Icmp6InDestUnreachs)" = \
	"$((u4 + 1)) $((u6 + 1))"
lab_check "NAT: the client's kernel found no bad checksum" \
	test "$(icmps IcmpInCsumErrors) $(icmps Icmp6InCsumErrors)" = "$e4 $e6"
sleep 0.5
kill $tdpid
wait $tdpid 2>/dev/null
capcount() { grep -c -- "$1" $cap; }
lab_check_eq "tcpdump: one v4 error, from the VIP, about the VIP" \
	"1 1" echo "$(capcount "$VIP4 > 10.0.1.2: ICMP $VIP4 udp port 80 unreachable") \
$(capcount "10.0.1.2.4446 > $VIP4.80: \[udp sum ok\]")"
# (tcpdump does not decode the datagram an ICMPv6 error quotes.)
lab_check_eq "tcpdump: one v6 error, from the VIP, about the VIP" 1 \
	capcount "$VIP6 > fd00:1::2: \[icmp6 sum ok\] ICMP6, destination unreachable, unreachable port, $VIP6 udp port 80\$"
lab_check_eq "tcpdump: no bad checksum" 0 capcount "bad\|wrong"
[ "$LAB_FAIL" = 0 ] || cat $cap

# A narrower path to rs2: 1400 bytes, 1380 / 1360 left inside IPIP.
lab_in director ip route replace "$(lab_rs_addr 2)/32" dev br0 mtu 1400
lab_in director ip -6 route replace "$(lab_rs_addr6 2)/128" dev br0 mtu 1400
lvs svc add -u $VIP4:90 -s rr
lvs rs add -u $VIP4:90 -r "$(lab_rs_addr 2):90" -i
lvs svc add -u "[$VIP6]:90" -s rr
lvs rs add -u "[$VIP6]:90" -r "[$(lab_rs_addr6 2)]:90" -i

lab_check_eq "TUN v4: small datagram passes" 100 \
	kmod_client udp $VIP4 90 1 --size 100
lab_check_eq "TUN v4: 1400 B with DF gets fragmentation needed" \
	"ERR Message too long" kmod_client udp $VIP4 90 1 --size 100 --pad 1400
lab_check "TUN v4: client learnt MTU 1380" \
	kmod_has "mtu 1380" lab_in client ip route get $VIP4
lab_check_eq "TUN v4: then 1400 B gets through in fragments" 100 \
	kmod_client udp $VIP4 90 1 --size 100 --pad 1400
lab_check_eq "TUN v6: 1400 B gets packet too big" \
	"ERR Message too long" kmod_client udp $VIP6 90 1 --size 100 --pad 1400
lab_check "TUN v6: client learnt MTU 1360" \
	kmod_has "mtu 1360" lab_in client ip -6 route get $VIP6
lab_check_eq "TUN v6: then 1400 B gets through in fragments" 100 \
	kmod_client udp $VIP6 90 1 --size 100 --pad 1400
lab_check_eq "TUN v4: a 3000 B answer comes back" 3000 \
	kmod_client udp $VIP4 90 1 --size 3000

# A hop beyond the director is narrower still: its error about our
# tunnel packet teaches the director's route and reaches the client.
kmod_client udp $VIP4 90 1 --size 10 --sport 4444 >/dev/null
kmod_client udp $VIP6 90 1 --size 10 --sport 4444 >/dev/null
u4=$(icmps IcmpInDestUnreachs)
u6=$(icmps Icmp6InPktTooBigs)
lab_in rs2 python3 "$KTOOLS/icmp_tun.py" 4 10.0.2.1 "$(lab_rs_addr 2)" \
	10.0.1.2 $VIP4 4444 90 1300
lab_in rs2 python3 "$KTOOLS/icmp_tun.py" 6 fd00:2::1 "$(lab_rs_addr6 2)" \
	fd00:1::2 $VIP6 4444 90 1300
sleep 1
lab_check "TUN v4: the director's route to rs2 learnt MTU 1300" \
	kmod_has "mtu 1300" lab_in director ip route get "$(lab_rs_addr 2)"
lab_check "TUN v6: the director's route to rs2 learnt MTU 1300" \
	kmod_has "mtu 1300" lab_in director ip -6 route get "$(lab_rs_addr6 2)"
lab_check "TUN v4: the client got fragmentation needed" \
	test "$(icmps IcmpInDestUnreachs)" -gt "$u4"
lab_check "TUN v6: the client got packet too big" \
	test "$(icmps Icmp6InPktTooBigs)" -gt "$u6"
lvs ls
lab_done
