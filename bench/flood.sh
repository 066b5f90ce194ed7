#!/bin/bash
# A spoofed-source SYN flood at a NAT VIP while a real client opens one
# connection every 0.1 s: lvs.ko, then IPVS, in the same small guest.
# Reports the client's successes during the flood and in the 30 s after,
# the table's size, the entries dropped and evicted, and the memory the
# guest has available before and at the end of the flood (flat: the cap
# holds).  Not a timed test: the flood runs as fast as the emulated guest
# can make it, so the figures belong to this run.
#
# usage (in the lab, LAB_MEM=320): bench/flood.sh [FLOOD_SECONDS]
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"
SECS=${1:-40} AFTER=30
CLIENT=$LAB_DIR/bench/flood_client.py

command -v hping3 >/dev/null || lab_skip "hping3 not installed"
modprobe lvs && modprobe ip_vs && modprobe ip_vs_rr ||
	lab_skip "lvs or ip_vs cannot be loaded"

avail() { awk '/^MemAvailable/ {print int($2 / 1024)}' /proc/meminfo; }

# run NAME CONFIGURE-COMMAND STATE-COMMAND
run() {
	local name=$1 conf=$2 state=$3 flood m0 m1 during after
	lab_topo 1 || return 1
	ip netns exec director sysctl -qw net.ipv4.conf.all.accept_local=1
	kmod_serve 1 80 || return 1
	$conf || return 1
	m0=$(avail)
	ip netns exec client hping3 -q -S -p 80 --flood --rand-source \
		$VIP4 >/dev/null 2>&1 &
	flood=$!
	sleep 2
	during=$(ip netns exec client python3 "$CLIENT" $VIP4 80 "$SECS")
	m1=$(avail)
	echo "$name: at the end of the flood: $($state)"
	kill $flood
	wait $flood 2>/dev/null
	after=$(ip netns exec client python3 "$CLIENT" $VIP4 80 $AFTER)
	echo "$name: during ${SECS}s: ${during% *}/${during#* } ok;" \
		"after: ${after% *}/${after#* } ok;" \
		"MemAvailable ${m0} -> ${m1} MiB"
	pkill -P $$ -f responder.py 2>/dev/null
	for ns in client director rs1; do ip netns del $ns; done
	sleep 1
}

lvs_conf() {
	lvs_batch <<-EOF
		svc add -t $VIP4:80 -s rr
		rs add -t $VIP4:80 -r $(lab_rs_addr 1):80 -m
	EOF
}
lvs_state() {
	echo "$(lvs info | grep -E 'conn_(count|max|dropped|evicted)=' |
		tr '\n' ' ')scheduled=$(lvs stat -t $VIP4:80 conns)"
}
ipvs_conf() {
	ip netns exec director ipvsadm -A -t $VIP4:80 -s rr &&
		ip netns exec director ipvsadm -a -t $VIP4:80 \
			-r "$(lab_rs_addr 1):80" -m
}
ipvs_state() {
	# /proc/net is the reader's namespace: read it inside the director.
	echo "conn_count=$(ip netns exec director sh -c \
		'tail -n +2 /proc/net/ip_vs_conn | wc -l')" \
		"scheduled=$(ip netns exec director ipvsadm -Ln --stats \
		-t $VIP4:80 | awk '$1 == "TCP" {print $3}')"
}

run lvs lvs_conf lvs_state
run ipvs ipvs_conf ipvs_state
