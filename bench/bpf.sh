#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bpf.sh [ROUNDS] [SECONDS]: the eBPF datapath against plain routing,
# natively on this host.  A sender, a director and a sink in network
# namespaces over veth; bpf_blast sends 64-byte UDP frames (one flow, then
# 256 flows).  "route": the director forwards to the sink by plain IP
# routing, no eBPF loaded.  "xdp", "xdp-generic": the sender aims at a
# VIP and the director's XDP program, attached in native (driver) or
# generic (skb) mode, NATs it to the sink (rr, one real server).  "new":
# every frame a new flow for one second (the new-flow rate; one second
# because a full connection table, 262144 entries, drops new flows).  The
# sink's socket never reads; its interface's receive counter is the figure.  Rounds are
# interleaved (route, xdp, generic, route, ...), medians reported, with
# the ratio to route in parentheses (above 1: eBPF forwards more).  Everything runs on the same
# cores, sender included: compare the ratio, not the absolute rates.
set -u
ROUNDS=${1:-5} SECS=${2:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
VSADM=$TOP/vsadm/vsadm BLAST=$HERE/bpf_blast
[ "$(id -u)" = 0 ] || { echo "bpf.sh: needs root"; exit 77; }
[ -x "$BLAST" ] || { echo "bpf.sh: build bench/bpf_blast first"; exit 1; }

S=bpfb$$ MOUNTED=0
SN=${S}s DN=${S}d RN=${S}r VIP=10.78.9.1
if ! [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ]; then
	mount -t bpf bpf /sys/fs/bpf && MOUNTED=1
fi
vs() { LVS_DATAPATH=bpf nsenter --net=/run/netns/$DN "$VSADM" "$@"; }
SINK=
cleanup() {
	[ -n "$SINK" ] && kill $SINK
	vs --unload 2>/dev/null
	for n in $SN $DN $RN; do ip netns del $n 2>/dev/null; done
	[ $MOUNTED = 1 ] && umount /sys/fs/bpf
}
trap cleanup EXIT

for n in $SN $DN $RN; do ip netns add $n; ip -n $n link set lo up; done
ip link add ds netns $DN type veth peer name eth0 netns $SN
ip link add dr netns $DN type veth peer name eth0 netns $RN
ip -n $DN addr add 10.78.1.1/24 dev ds
ip -n $DN addr add 10.78.2.1/24 dev dr
ip -n $SN addr add 10.78.1.2/24 dev eth0
ip -n $RN addr add 10.78.2.2/24 dev eth0
for n in $DN:ds $DN:dr $SN:eth0 $RN:eth0; do ip -n ${n%:*} link set ${n#*:} up; done
ip -n $SN route add default via 10.78.1.1
ip -n $RN route add default via 10.78.2.1
ip netns exec $DN sysctl -qw net.ipv4.ip_forward=1
ip netns exec $SN ethtool -K eth0 tx off >/dev/null
ip netns exec $RN ethtool -K eth0 gro on >/dev/null
# The sink: a socket that never reads (the kernel drops on a full
# buffer, no ICMP errors sent back).
ip netns exec $RN python3 -c "import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('0.0.0.0', 9))
time.sleep(86400)" &
SINK=$!
# Neighbours resolved before the first round.
ip netns exec $SN ping -c1 -W2 10.78.2.2 >/dev/null

rx() { ip -n $RN -s -j link show eth0 | python3 -c \
	'import json,sys; print(json.load(sys.stdin)[0]["stats64"]["rx"]["packets"])'; }
run() {	# MODE FLOWS: packets per second received by the sink
	local dst=10.78.2.2 a b
	if [ $1 != route ]; then
		dst=$VIP
		LVS_BPF_XDP_MODE=$1 vs -A -u $VIP:9 -s rr &&
			vs -a -u $VIP:9 -r 10.78.2.2:9 -m ||
			{ echo "bpf.sh: cannot set up the service" >&2; exit 1; }
	fi
	a=$(rx)
	if [ "$2" = new ]; then
		ip netns exec $SN "$BLAST" $dst 9 1 new 10.78.1.16 >/dev/null
	else
		ip netns exec $SN "$BLAST" $dst 9 $SECS $2 >/dev/null
	fi
	b=$(rx)
	[ $1 != route ] && vs --unload
	if [ "$2" = new ]; then echo $((b - a)); else echo $(( (b - a) / SECS )); fi
}
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b ? a / b : 0 }'; }
# max/min over the rounds: how far one mode's rounds disagree
spread() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[1] ? v[NR] / v[1] : 0 }'; }
for flows in 1 256 new; do
	r=() e=() g=()
	for i in $(seq "$ROUNDS"); do
		r+=("$(run route $flows)")
		e+=("$(run native $flows)")
		g+=("$(run generic $flows)")
	done
	mr=$(printf '%s\n' "${r[@]}" | median)
	me=$(printf '%s\n' "${e[@]}" | median)
	mg=$(printf '%s\n' "${g[@]}" | median)
	printf 'flows %-4s route %8s pps  xdp %8s (%s)  xdp-generic %8s (%s)\n' \
		$flows "$mr" "$me" "$(ratio $me $mr)" "$mg" "$(ratio $mg $mr)"
	echo "  spread (max/min): route $(spread "${r[@]}"), xdp $(spread "${e[@]}"), generic $(spread "${g[@]}")"
	echo "  rounds: route ${r[*]}; xdp ${e[*]}; generic ${g[*]}"
done
