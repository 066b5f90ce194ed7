#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# sync.sh [ROUNDS] [SECONDS]: the new-connection rate connection sync
# (docs/sync.md) keeps up with, in one lab guest.  bench/bpf_blast sends
# UDP frames to a NAT service on the master director dA, every frame a
# new flow (new source port or address), for SECONDS; each makes a new
# entry that dA's sync thread sends to the backup dB over a veth pair,
# and dB installs it on its copy of the service:
#
#   sender bsync_s 10.79.0.2/16 --veth-- dA (VIP 10.81.0.1) --b0/b0-- dB
#   (the real server 10.80.0.2 sits behind a dummy device on both)
#
# Per round: the entries dA made (its new connections), sent (counter
# sent_conns) and lost (entries not queued: the 4096-datagram queue was
# full), the entries dB installed (recv_conns), the datagrams dB saw
# missing (gaps: its socket buffer overflowed) and how long dB took to
# finish after the sender stopped.  The rates are per second of sending;
# "zero loss" holds when lost and gaps are 0 and dB installed every
# entry dA made.  The guest is emulated (TCG): sender, both directors
# and both sync threads share its 2 vCPUs, so the figures are a floor
# for real hardware, not an estimate of it.
#
# usage (in the lab): make -C bench run-sync, or
#   tests/lab/run --timeout 1800 bench/sync.sh [ROUNDS] [SECONDS]
. "$LAB_DIR/tests/lab/lib.sh"
ROUNDS=${1:-3} SECS=${2:-2}
BLAST=$LAB_DIR/bench/bpf_blast
VIP=10.81.0.1 RS=10.80.0.2
RES=/tmp/sync_bench.results
: >$RES
[ -x "$BLAST" ] || lab_skip "build bench/bpf_blast first"
modprobe lvs || lab_skip "lvs.ko does not load"

cleanup() {
	for n in bsync_s bsync_a bsync_b; do ip netns del $n 2>/dev/null; done
	rm -f $RES
}
trap cleanup EXIT

vs() { ip netns exec "$1" "$LAB_VSADM" "${@:2}"; }
counter() {	# NS NAME: one counter of NS's daemon
	vs "$1" -L --daemon --json |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0][sys.argv[1]])' "$2"
}
conns() { vs bsync_a -L -n --stats | awk '$1 == "UDP" { print $3 }'; }

topo() {
	local ns
	ip -batch - <<-EOF || return 1
		netns add bsync_s
		netns add bsync_a
		netns add bsync_b
		link add s0 netns bsync_s type veth peer name ds netns bsync_a
		link add b0 netns bsync_a type veth peer name b0 netns bsync_b
	EOF
	ip -n bsync_s -batch - <<-EOF || return 1
		link set lo up
		addr add 10.79.0.2/16 dev s0
		link set s0 up
		route add default via 10.79.0.1
	EOF
	ip -n bsync_a -batch - <<-EOF || return 1
		addr add 10.79.0.1/16 dev ds
		link set ds up
		addr add 10.0.9.1/24 dev b0
	EOF
	ip -n bsync_b addr add 10.0.9.2/24 dev b0 || return 1
	for ns in bsync_a bsync_b; do
		ip -n $ns -batch - <<-EOF || return 1
			link set lo up
			link set b0 up
			addr add $VIP/32 dev lo
			link add dr type dummy
			addr add 10.80.0.1/24 dev dr
			link set dr up
		EOF
		lab_in $ns sysctl -qw net.ipv4.ip_forward=1 || return 1
		vs $ns -R <<-EOF || return 1
			-A -u $VIP:9 -s rr
			-a -u $VIP:9 -r $RS:9 -m
		EOF
	done
	lab_in bsync_s ethtool -K s0 tx off >/dev/null
	lab_in bsync_s ping -c1 -W5 10.79.0.1 >/dev/null
}

lab_check "topology and services" topo
lab_check "master on dA" vs bsync_a --start-daemon master --mcast-interface b0
lab_check "backup on dB" vs bsync_b --start-daemon backup --mcast-interface b0
wait_synced() { [ "$(counter bsync_b resyncs)" -ge 1 ]; }
for i in $(seq 50); do wait_synced 2>/dev/null && break; sleep 0.2; done
lab_check "dB has the (empty) table" wait_synced

one() {	# ROUND
	local r=$1 c0 s0 l0 i0 g0 c1 s1 l1 i1 g1 t0 t1 prev n
	c0=$(conns) s0=$(counter bsync_a sent_conns) l0=$(counter bsync_a lost)
	i0=$(counter bsync_b recv_conns) g0=$(counter bsync_b gaps)
	lab_in bsync_s "$BLAST" $VIP 9 "$SECS" new 10.79.$((16 * r)).0 \
		>/dev/null || return 1
	t0=$EPOCHREALTIME
	# dB is done when its count stands still for a second.
	prev=-1 n=0
	while [ $n -lt 120 ]; do
		i1=$(counter bsync_b recv_conns)
		[ "$i1" = "$prev" ] && break
		prev=$i1 n=$((n + 1))
		sleep 1
	done
	t1=$EPOCHREALTIME
	c1=$(conns) s1=$(counter bsync_a sent_conns) l1=$(counter bsync_a lost)
	g1=$(counter bsync_b gaps)
	printf 'round %d: %d s: dA made %d (%d/s), sent %d (%d/s), lost %d; dB installed %d (%d/s), gaps %d, done %d ms after the sender\n' \
		"$r" "$SECS" $((c1 - c0)) $(((c1 - c0) / SECS)) \
		$((s1 - s0)) $(((s1 - s0) / SECS)) $((l1 - l0)) \
		$((i1 - i0)) $(((i1 - i0) / SECS)) $((g1 - g0)) \
		$(( (${t1/./} - ${t0/./}) / 1000 - 1000 )) >>$RES
}
for r in $(seq "$ROUNDS"); do
	lab_check "round $r" one "$r"
done
cat $RES
lab_done
