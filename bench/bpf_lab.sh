#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bpf_lab.sh [ROUNDS] [SECONDS]: in one lab guest (Debian 6.1), the
# same UDP NAT service (rr, one real server) forwarded by plain routing,
# the kernel's IPVS, lvs.ko and the eBPF datapath (XDP generic, and XDP
# native on veth), interleaved over ROUNDS rounds.  Each mode has its own
# three namespaces, set up once (the eBPF datapath is loaded once: the
# emulated guest takes 6 s to minutes to verify it):
#
#   sender s0 10.79.0.2/16 --veth-- director (VIP 10.81.0.1) --veth-- sink
#
# and a baseline, "direct": the sender wired to the sink, no director.
# What a mode costs beyond it is its director's forwarding cost.
#
# bench/bpf_blast sends 64-byte UDP frames for SECONDS: "1" one flow,
# "256" 256 flows, "new" every frame a new flow (source address/port
# stepping; the new-flow rate).  Two figures per run: packets per second
# at the sink's interface (its socket never reads), and the guest's CPU
# time per packet delivered: busy time (user, system, irq, softirq) of
# all vCPUs from /proc/stat over the run, divided by the packets the sink
# received.  The sender's and the sink's work are the same in every
# mode, so the differences between modes are the director's.  Rounds are
# interleaved, each in another order; medians over the rounds, with the
# spread (slowest to fastest round) and ratios to IPVS and to routing.
#
# Under TCG the guest's clock is the host's: on a loaded machine a round
# measures the host's scheduler as much as the datapaths (the first
# figures here spread 2-7x); the CPU time per packet leaves out the
# guest's idle time and its own scheduling, not the host's stalls.
# Compare the ratios and look at the spreads.
#
# Under QEMU's instruction counting (LAB_ICOUNT=SHIFT, make -C bench
# run-bpf-lab-icount) the guest has one vCPU whose clock advances 2^SHIFT
# ns per instruction and skips idle time: a guest second is a fixed
# number of instructions, whatever the host's load.  The sender never
# sleeps, so the vCPU is busy throughout a run, sending, forwarding and
# receiving one packet after another; the run's SECONDS over the
# packets delivered is then the guest ns per packet of the whole path
# (instructions times 2^SHIFT), and that minus "direct"'s is the
# director's.  A count of instructions: cache misses, memory bandwidth
# and a NIC's behaviour do not show in it.
#
# Why not pktgen: pktgen hands the stack skbs it still holds a reference
# to (skb->users raised by "burst"), and generic XDP on 6.1 expands any
# skb with too little headroom in place (pskb_expand_head, which refuses
# shared skbs); its native path on veth copies them, but the other
# balancers would then be measured differently.  One userspace sender for
# all, in the same guest: compare the ratios, not the rates.
#
# usage (in the lab): make -C bench run-bpf-lab (or run-bpf-lab-icount), or
#   [LAB_ICOUNT=0] tests/lab/run --timeout 1800 bench/bpf_lab.sh [ROUNDS] [SECONDS]
# Figures and what they mean: docs/bpf.md, "Measured under instruction
# counting".
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/bench/bpf_bench.sh"
ROUNDS=${1:-5} SECS=${2:-1}
MODES="direct route ipvs lvs bpf bpf-native"
PHASES="1 256 new"
VIP=10.81.0.1 RS=10.80.0.2
RES=/tmp/bpf_lab.results
: >$RES
RATIOS="bpf/IPVS=bpf/ipvs bpf/route=bpf/route nat/IPVS=bpf-native/ipvs nat/route=bpf-native/route lvs/IPVS=lvs/ipvs"
bench_prereq

# topo M: sender bs_M, director bd_M and sink br_M namespaces on veth
# pairs; "direct": the sender and the sink on one pair (the sink holds
# the sender's gateway: a raw socket's (IP_HDRINCL) route without one is
# not cached (FLOWI_FLAG_KNOWN_NH), which cost ~1100 instructions more
# per "new" frame than the same frame sent through a director).
topo() {
	local m=$1
	if [ "$m" = direct ]; then
		ip -batch - <<-EOF || return 1
			netns add bs_$m
			netns add br_$m
			link add s0 netns bs_$m type veth peer name eth0 netns br_$m
		EOF
	else
		ip -batch - <<-EOF || return 1
			netns add bs_$m
			netns add bd_$m
			netns add br_$m
			link add s0 netns bs_$m type veth peer name ds netns bd_$m
			link add eth0 netns br_$m type veth peer name dr netns bd_$m
		EOF
	fi
	addrs $m || return 1
	# XDP rewrites full checksums: no partial ones from the sender;
	# frames redirected into a veth want NAPI (GRO) on the far end.
	lab_in bs_$m ethtool -K s0 tx off >/dev/null &&
		lab_in br_$m ethtool -K eth0 gro on >/dev/null || return 1
	# Neighbours resolved before the first frame.
	lab_in bs_$m ping -c1 -W5 $RS >/dev/null
}

setup() {	# MODE: its namespaces and its service (none for route)
	local m=$1
	topo "$m" || return 1
	case $m in
	route|direct) ;;
	ipvs|lvs) service $m $m ;;
	bpf) service $m bpf:generic ;;
	bpf-native) service $m bpf:native ;;
	esac
}
teardown() {
	local m=$1 n
	case $m in bpf*) vsa $m --datapath bpf --unload ;; esac
	for n in bs bd br; do ip netns del ${n}_$m 2>/dev/null; done
}
cleanup() { for m in $MODES; do teardown $m; done; }
trap cleanup EXIT

rx() { lab_in br_$1 cat /sys/class/net/eth0/statistics/rx_packets; }

# one M ROUND: every phase once, "MODE.PHASE PPS NS_PER_PACKET
# RUN_NS_PER_PACKET SENT" lines into $RES: packets per second, busy ns
# per packet, the run's duration in ns over the packets delivered (the
# whole path's cost per packet when the vCPU never idles: under icount),
# frames sent.  "new" runs at most one second: the eBPF connection table
# holds 262144 entries and a full table drops new flows (as the module's
# conn_max would).
one() {
	local m=$1 r=$2 dst=$VIP p a b c0 c1 secs sent
	case $m in route|direct) dst=$RS ;; esac
	for p in $PHASES; do
		a=$(rx $m) c0=$(busy)
		if [ "$p" = new ]; then
			secs=1
			sent=$(lab_in bs_$m "$BLAST" $dst 9 1 new 10.79.$((16 * r)).0)
		else
			secs=$SECS
			sent=$(lab_in bs_$m "$BLAST" $dst 9 "$SECS" "$p")
		fi || return 1
		b=$(rx $m) c1=$(busy)
		[ "$b" -gt "$a" ] || { echo "$m.$p: nothing reached the sink"; return 1; }
		echo "$m.$p $(( (b - a) / secs )) $(( (c1 - c0) * 1000000000 / HZ / (b - a) ))" \
			"$(( secs * 1000000000 / (b - a) )) $sent" >>$RES
	done
	sleep $DRAIN
}

set_up_all
run_rounds
# No round inherits connections: every table is empty again.
for m in ipvs lvs bpf bpf-native; do
	how=$m
	case $m in bpf*) how=bpf ;; esac
	lab_check "$m: no connection left ${DRAIN} s after its turn" \
		test "$(conns $m $how)" = 0
done
lab_check "XDP generic on bpf's director, native on bpf-native's" sh -c \
	"ip -n bd_bpf -o link show ds | grep -q ' xdpgeneric ' &&
	 ip -n bd_bpf-native -o link show ds | grep -q ' xdp '"

echo "64-byte UDP, $SECS s per run${LAB_ICOUNT:+, QEMU -icount shift=$LAB_ICOUNT (one vCPU; a guest second is $((1000000000 >> LAB_ICOUNT)) instructions)}"
table 2 "packets/s at the sink (ratios: above 1, bpf forwards more)"
table 3 "guest CPU ns per packet delivered, busy time from /proc/stat (ratios: below 1, bpf costs less)"
if [ -n "${LAB_ICOUNT:-}" ]; then
	table 4 "guest ns per packet, the run's length over the packets delivered: instructions x $((1 << LAB_ICOUNT))"
	f=4
else
	f=3
fi
director $f >$RES.dir
FILE=$RES.dir table 2 "the director's ns per packet: the above minus direct's, round by round (ratios: below 1, bpf costs less; 0.50 is 2x IPVS's rate)" "${MODES#direct }"
echo "bpf: XDP generic (the datapath's choice on veth); bpf-native (nat): XDP native"
echo "rounds (pps busy-ns/packet run-ns/packet sent):"
rounds
lab_done
