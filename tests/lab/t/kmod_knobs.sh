#!/bin/bash
# Operators' switches (IPVS's sysctls, per namespace, through the ABI):
# defaults and read-back, range checks; expire_nodest_conn off keeps a
# connection whose server is deleted and added again (dest trash), on
# resets it; expire_quiescent_template moves a persistent client off a
# weight-0 server; sloppy_tcp lets an ACK open a connection.  Read
# commands need CAP_NET_ADMIN in the namespace's own user namespace.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

command -v hping3 >/dev/null || lab_skip "hping3 not installed"
kmod_setup 2
for i in 1 2; do kmod_serve $i 80; done
RS1=$(lab_rs_addr 1) RS2=$(lab_rs_addr 2)

knobs() { lvs config | sed -n 2p; }
lab_check_eq "defaults" "expire_nodest_conn=1 expire_quiescent_template=0 \
sloppy_tcp=0 conn_reuse_mode=1" knobs
lab_check "set" lvs config --expire-nodest-conn 0 \
	--expire-quiescent-template 1 --sloppy-tcp 1 --conn-reuse-mode 3
lab_check_eq "read back" "expire_nodest_conn=0 expire_quiescent_template=1 \
sloppy_tcp=1 conn_reuse_mode=3" knobs
lab_check_fail "conn_reuse_mode 4 refused" lvs config --conn-reuse-mode 4
lab_check_fail "sloppy_tcp 2 refused" lvs config --sloppy-tcp 2
lab_check "back to the defaults" lvs config --expire-nodest-conn 1 \
	--expire-quiescent-template 0 --sloppy-tcp 0 --conn-reuse-mode 1

lvs_batch <<-EOF
	svc add -t $VIP4:80 -s rr
	rs add -t $VIP4:80 -r $RS1:80 -m
EOF
established() {
	local t
	for t in $(seq 1 $((50 * LAB_SLOW))); do
		lvs conns | grep -q ESTABLISHED && return 0
		sleep 0.2
	done
	return 1
}
# A connection held open while its server is deleted and added again.
# The previous one's entry must have left ESTABLISHED first, or it would
# be taken for the new one.
held() {
	local t
	for t in $(seq 1 $((50 * LAB_SLOW))); do
		lvs conns | grep -q ESTABLISHED || break
		sleep 0.2
	done
	# the request goes out only once the server is back (the flag file),
	# however long the commands take on a loaded guest
	rm -f /tmp/held.go
	kmod_client tcp $VIP4 80 1 --hold-until /tmp/held.go --timeout 10 \
		>/tmp/held.out &
	local c=$!
	established || { touch /tmp/held.go; kill $c; return 1; }
	lvs rs del -t $VIP4:80 -r $RS1:80 &&
		lvs rs add -t $VIP4:80 -r $RS1:80 -m
	touch /tmp/held.go
	wait $c
	cat /tmp/held.out
}
lab_check "expire_nodest_conn 0" lvs config --expire-nodest-conn 0
lab_check_eq "off: the connection survives its server's return" rs1 held
lab_check_eq "the returned server still counts it" 1 \
	lvs stat -t $VIP4:80 -r $RS1:80 conns
lab_check "expire_nodest_conn 1" lvs config --expire-nodest-conn 1
lab_check_eq "on: the connection is reset" "ERR Connection reset by peer" held

# Persistence and a quiescent server.  The reset connection above stays
# half-open in rs1 (the director never tells a real server): the
# responder must keep answering the others.
lvs_batch <<-EOF
	svc add -t $VIP4:82 -s rr -p 60
	rs add -t $VIP4:82 -r $RS1:80 -m
	rs add -t $VIP4:82 -r $RS2:80 -m
EOF
first=$(kmod_client tcp $VIP4 82 1)
other=rs1
[ "$first" = rs1 ] && other=rs2
lab_check "weight 0 for $first" lvs rs edit -t $VIP4:82 \
	-r "$(lab_rs_addr ${first#rs}):80" -w 0
lab_check_eq "quiescent template kept by default" "$first" \
	kmod_client tcp $VIP4 82 1
lab_check "expire_quiescent_template 1" \
	lvs config --expire-quiescent-template 1
lab_check_eq "now the client moves" "$other" kmod_client tcp $VIP4 82 1

# sloppy_tcp: a lone ACK opens a connection only when set.  Counted by
# the service's connection counter, not listed: rs1's RST closes the
# entry, which a slow kernel may expire (10 s) before a listing.
lvs_batch <<-EOF
	svc add -t $VIP4:83 -s rr
	rs add -t $VIP4:83 -r $RS1:80 -m
EOF
ack() { ip netns exec client hping3 -q -A -p 83 -s 4000 -c 1 $VIP4 \
	>/dev/null 2>&1; lvs_stat -t $VIP4:83 conns; }
lab_check_eq "an ACK opens nothing" 0 ack
lab_check "sloppy_tcp 1" lvs config --sloppy-tcp 1
lab_check_eq "sloppy: an ACK opens a connection" 1 ack

# Permissions.
lab_check "reading needs CAP_NET_ADMIN" kmod_has "Operation not permitted" \
	ip netns exec director setpriv --reuid=65534 --regid=65534 \
	--clear-groups python3 "$LVSNL" info
lab_check "root of a user namespace reads its own namespace" \
	unshare -U -r -n python3 "$LVSNL" conns
lab_check "but may not change it" kmod_has "Operation not permitted" \
	unshare -U -r -n python3 "$LVSNL" svc add -t 10.1.1.1:80 -s rr
lab_done
