#!/bin/bash
# Packet path: direct routing goes through the output path, so a
# datagram the client sent in fragments (reassembled here, larger than
# the link) is fragmented again on its way to the real server, IPv4 and
# IPv6; the NAT hooks stay while connections do, so a reply a real server
# sends after its service was deleted still leaves from the VIP.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

kmod_setup 1
lab_rs_dr 1
kmod_serve 1 80
lab_check "DR services" lvs_batch <<-EOF
	svc add -u $VIP4:80 -s rr
	rs add -u $VIP4:80 -r $(lab_rs_addr 1):80 -g
	svc add -u [$VIP6]:80 -s rr
	rs add -u [$VIP6]:80 -r [$(lab_rs_addr6 1)]:80 -g
EOF
lab_check_eq "DR v4: a small datagram" rs1 kmod_client udp $VIP4 80 1
lab_check_eq "DR v4: 3000 bytes, fragmented again" rs1 \
	kmod_client udp $VIP4 80 1 --pad 3000
lab_check_eq "DR v6: 3000 bytes, fragmented again" rs1 \
	kmod_client udp $VIP6 80 1 --pad 3000
lab_check "flush" lvs flush

# A server that speaks first, late: it answers 3 s after the connection
# opens, by which time the only service is gone.
ip netns exec rs1 socat TCP-LISTEN:85,fork,reuseaddr \
	SYSTEM:'sleep 3; echo late' >/dev/null 2>&1 &
srv=$!
trap 'kill $srv 2>/dev/null' EXIT
lab_wait_port rs1 tcp 85
lab_check "NAT service" lvs_batch <<-EOF
	config --expire-nodest-conn 0
	svc add -t $VIP4:85 -s rr
	rs add -t $VIP4:85 -r $(lab_rs_addr 1):85 -m
EOF
late() {
	# stdin stays open (no FIN from us): the server answers in its time.
	sleep 8 | lab_in client socat -t1 -T6 - \
		TCP:$VIP4:85,connect-timeout=5 >/tmp/late.out &
	local c=$!
	sleep 1
	lvs svc del -t $VIP4:85
	wait $c
	cat /tmp/late.out
}
lab_check_eq "a reply after the last service went still leaves from the VIP" \
	late late
lab_done
