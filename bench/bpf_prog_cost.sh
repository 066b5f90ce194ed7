#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bpf_prog_cost.sh [RUNS] [VSADM...]: what the eBPF datapath's XDP
# program (lvs_xdp) costs per run, per kind of frame, in the lab guest
# under QEMU's instruction counting (LAB_ICOUNT=0: the guest's clock
# advances 1 ns per instruction, so a duration in ns is a count of
# instructions).  No traffic flows: bench/bpf_prog_cost runs the
# program with BPF_PROG_TEST_RUN, one frame per run (repeat 1: the
# program rewrites the frame in place), the director's ingress
# interface in the context, and prints the median, min and max of RUNS
# runs (default 101) per frame, and the median less a trivial program's
# (the test harness's own cost).
#
# Each VSADM (default: the build tree's) loads its own datapath, and so
# its own embedded program, into a director namespace of its own: give
# an older build's vsadm first to compare before and after in one boot.
#
#   client 10.79.0.2 fd79::2 --veth ds-- director --dr veth-- real servers
#   NAT  udp 10.81.0.1:9    -> 10.80.0.2:9   (-m)
#        tcp 10.81.0.1:80   -> 10.80.0.2:80  (-m)
#        udp [fd81::1]:9    -> [fd80::2]:9   (-m)
#   DR   udp 10.81.0.2:9    -> 10.80.0.3     (-g)
#
# Neighbours are permanent entries (bpf_fib_lookup then always finds
# them).  Frames: nat-in (an existing UDP NAT connection, client ->
# VIP), nat-out (its reply, real server -> client), tcp-in (an ACK of an
# established TCP NAT connection), dr, nat6-in, nat6-out (existing
# connections), new (a new UDP NAT connection per run), syn (a new TCP
# one per run), nomatch (routed UDP to a real server's address: the
# cost to traffic that is not balanced).
#
# usage (in the lab): make -C bench run-bpf-prog-cost [BASE=old/vsadm], or
#   LAB_ICOUNT=0 LAB_SMP=1 tests/lab/run --timeout 5400 \
#	bench/bpf_prog_cost.sh [RUNS] [VSADM...]
# Natively (root, no icount: durations are then ns, noisy):
#   LAB_DIR=$PWD bench/bpf_prog_cost.sh
# Figures: docs/bpf.md, "Measured under instruction counting".
if [ -n "${LAB_DIR:-}" ] && [ -f "$LAB_DIR/tests/lab/lib.sh" ]; then
	. "$LAB_DIR/tests/lab/lib.sh"
else
	echo "bpf_prog_cost.sh: set LAB_DIR to the source tree" >&2
	exit 2
fi
RUNS=${1:-101}
shift
[ $# -gt 0 ] || set -- "$LAB_VSADM"
COST=$LAB_DIR/bench/bpf_prog_cost
[ -x "$COST" ] || lab_skip "build bench/bpf_prog_cost first"
[ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ] ||
	mount -t bpf bpf /sys/fs/bpf || lab_skip "no bpffs"
mkdir -p /run/netns

# mac NS DEV: a device's MAC address
mac() { ip -n "$1" -br link show dev "$2" | awk '{ print $3 }'; }

topo() {	# I: namespaces pc<I>_c, pc<I>_d, pc<I>_r
	local c=pc$1_c d=pc$1_d r=pc$1_r
	ip -batch - <<-EOF || return 1
		netns add $c
		netns add $d
		netns add $r
		link add c0 netns $c type veth peer name ds netns $d
		link add r0 netns $r type veth peer name dr netns $d
	EOF
	ip -n $c -batch - <<-EOF || return 1
		link set lo up
		link set c0 up
	EOF
	ip -n $r -batch - <<-EOF || return 1
		link set lo up
		link set r0 up
	EOF
	lab_in $d sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 \
		net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 || return 1
	ip -n $d -batch - <<-EOF || return 1
		link set lo up
		addr add 10.79.0.1/16 dev ds
		addr add fd79::1/64 dev ds nodad
		addr add 10.80.0.1/24 dev dr
		addr add fd80::1/64 dev dr nodad
		addr add 10.81.0.1/32 dev lo
		addr add 10.81.0.2/32 dev lo
		addr add fd81::1/128 dev lo
		link set ds up
		link set dr up
		neigh replace 10.79.0.2 lladdr $(mac $c c0) dev ds nud permanent
		neigh replace fd79::2 lladdr $(mac $c c0) dev ds nud permanent
	EOF
}

# The real servers' neighbours, after they are added: adding one asks
# the kernel to resolve it (lib/bpf.c), which replaces an entry.
rs_neigh() {	# I
	local d=pc$1_d r=pc$1_r m
	m=$(mac $r r0) || return 1
	ip -n $d -batch - <<-EOF
		neigh replace 10.80.0.2 lladdr $m dev dr nud permanent
		neigh replace 10.80.0.3 lladdr $m dev dr nud permanent
		neigh replace fd80::2 lladdr $m dev dr nud permanent
	EOF
}

setup() {	# I VSADM
	local d=pc$1_d
	local v="nsenter --net=/run/netns/$d $2 --datapath bpf"
	topo "$1" || return 1
	# a namespace's inode may be a deleted one's, whose pins are left
	$v --unload >/dev/null 2>&1
	LVS_BPF_XDP_MODE=generic $v -A -u 10.81.0.1:9 -s rr &&
		$v -a -u 10.81.0.1:9 -r 10.80.0.2:9 -m &&
		$v -A -t 10.81.0.1:80 -s rr &&
		$v -a -t 10.81.0.1:80 -r 10.80.0.2:80 -m &&
		$v -A -u '[fd81::1]:9' -s rr &&
		$v -a -u '[fd81::1]:9' -r '[fd80::2]:9' -m &&
		$v -A -u 10.81.0.2:9 -s rr &&
		$v -a -u 10.81.0.2:9 -r 10.80.0.3:9 -g &&
		rs_neigh "$1"
}

cost() {	# I: the table for director I
	local d=pc$1_d
	local link=/sys/fs/bpf/lvs/net$(stat -L -c %i /run/netns/$d)/xdp_ds
	nsenter --net=/run/netns/$d "$COST" "$link" "$RUNS" \
		nat-in:ds:udp:10.79.0.2:1000:10.81.0.1:9:same \
		nat-out:dr:udp:10.80.0.2:9:10.79.0.2:1000:same \
		tcp-syn:ds:syn:10.79.0.2:2000:10.81.0.1:80:same \
		tcp-in:ds:ack:10.79.0.2:2000:10.81.0.1:80:same \
		dr:ds:udp:10.79.0.2:1001:10.81.0.2:9:same \
		nat6-in:ds:udp:'[fd79::2]':1000:'[fd81::1]':9:same \
		nat6-out:dr:udp:'[fd80::2]':9:'[fd79::2]':1000:same \
		new:ds:udp:10.79.0.2:10000:10.81.0.1:9:new \
		syn:ds:syn:10.79.0.2:30000:10.81.0.1:80:new \
		nomatch:ds:udp:10.79.0.2:1000:10.80.0.2:9:same
}

teardown() {
	local i=$1 n
	nsenter --net=/run/netns/pc${i}_d "$2" --datapath bpf --unload \
		>/dev/null 2>&1
	for n in c d r; do ip netns del pc${i}_$n 2>/dev/null; done
}

VSADMS=("$@")
cleanup() {
	local i=0 v
	for v in "${VSADMS[@]}"; do i=$((i + 1)); teardown $i "$v"; done
}
[ -n "${KEEP:-}" ] || trap cleanup EXIT

i=0
for v in "$@"; do
	i=$((i + 1))
	t0=$EPOCHREALTIME
	lab_check "set up director $i ($v)" setup $i "$v"
	echo "# director $i set up in $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms"
done
echo "# instructions per run${LAB_ICOUNT:+ (QEMU -icount shift=$LAB_ICOUNT: ns = instructions x $((1 << LAB_ICOUNT)))}, $RUNS runs per frame"
echo "# ret: 2 XDP_PASS, 3 XDP_TX, 4 XDP_REDIRECT; tcp-syn: a SYN of an existing (SYN_RECV) connection"
i=0
for v in "$@"; do
	i=$((i + 1))
	echo "## director $i: $v"
	out=$(cost $i 2>&1)
	echo "$out"
	lab_check "director $i: every frame measured" test -n "$out" \
		-a "$(echo "$out" | grep -c '^[a-z]')" = 12
done
lab_done
