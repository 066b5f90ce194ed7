#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bpf_nic.sh [ROUNDS] [SECONDS]: bench/bpf_lab.sh's comparison on
# emulated NICs instead of veth.  The lab guest gets pairs of
# virtio-net-pci NICs, the two of a pair wired back to back inside QEMU
# (tests/lab/run, LAB_NICS); virtio_net runs XDP in its driver, on the
# receive ring, before any skb exists.  Each mode has its own
# namespaces and two pairs:
#
#   sender bs_M s0 =pair= ds director bd_M (VIP 10.81.0.1) dr =pair= eth0 sink br_M
#
# and "direct", the sender wired to the sink by one pair, no director.
# Modes: plain routing, IPVS, lvs.ko, the eBPF datapath in its own
# choice of XDP mode ("bpf": native, in the driver, on virtio-net; the
# bench checks it) and in generic (skb) XDP on the same NICs.  One UDP
# NAT service (rr, one real server); bench/bpf_blast sends 64-byte
# frames, one flow, 256 flows, a new flow per frame; rounds interleaved,
# medians, spreads, ratios, as bpf_lab.sh (whose functions are in
# bench/bpf_bench.sh).
#
# With NICs the vCPU may idle: a frame handed to a virtio queue reaches
# the other NIC when QEMU's device emulation gets to it, and a guest
# waiting for it halts.  Under -icount sleep=off the guest's clock then
# jumps to its next timer, so a run's length no longer counts only
# instructions.  What counts them is the busy time: the run's length
# minus the idle time the kernel measured (/proc/timer_list's
# idle_sleeptime and iowait_sleeptime, in ns), divided by the packets
# the sink's NIC received.  That is the figure reported; the tick-
# sampled busy time of /proc/stat and the run's length per packet are
# printed next to it, with the idle share, to show how far they differ.
# Frames lost anywhere (the sender's qdisc, a full ring, QEMU's queue
# behind a hub port, the director) are not delivered and cost what they
# cost before they were lost: the loss is printed per run and per mode.
#
# usage (in the lab, with at least 11 pairs):
#   make -C bench run-bpf-nic-icount, or
#   LAB_NICS=11 LAB_ICOUNT=0 tests/lab/run --timeout 5400 bench/bpf_nic.sh [ROUNDS] [SECONDS]
# Figures and what they mean: docs/bpf.md, "Measured on virtio-net,
# native XDP".
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/bench/bpf_bench.sh"
ROUNDS=${1:-5} SECS=${2:-1}
MODES="direct route ipvs lvs bpf bpf-generic"
PHASES="1 256 new"
VIP=10.81.0.1 RS=10.80.0.2
RES=/tmp/bpf_nic.results
: >$RES
RATIOS="bpf/IPVS=bpf/ipvs bpf/route=bpf/route gen/IPVS=bpf-generic/ipvs gen/route=bpf-generic/route lvs/IPVS=lvs/ipvs"
NEED=11
[ "${LAB_NICS:-0}" -ge $NEED ] ||
	lab_skip "needs LAB_NICS=$NEED (pairs of virtio-net NICs), not ${LAB_NICS:-0}"
bench_prereq
modprobe virtio_net || lab_skip "no virtio_net"

# nic PAIR SIDE: the guest's name of that NIC (tests/lab/run gives it
# the MAC 52:54:00:4c:PP:0S).
nic() {
	local mac d
	mac=$(printf '52:54:00:4c:%02x:%02x' "$1" "$2")
	for d in /sys/class/net/*; do
		[ "$(cat "$d/address")" = "$mac" ] && { echo "${d##*/}"; return; }
	done
	return 1
}
# The NICs appear as virtio_net probes them.
for i in $(seq 50); do nic $((NEED - 1)) 2 >/dev/null && break; sleep 0.2; done

# move PAIR SIDE NS NAME: that NIC into namespace NS, renamed NAME.
move() {
	local dev
	dev=$(nic "$1" "$2") || { echo "no NIC for pair $1 side $2"; return 1; }
	ip link set "$dev" netns "$3" name "$4"
}

# pair M: the first NIC pair of mode M: direct takes one, every
# director two.
pair() {
	local m p=0
	for m in $MODES; do
		[ "$m" = "$1" ] && { echo $p; return; }
		[ "$m" = direct ] && p=$((p + 1)) || p=$((p + 2))
	done
	return 1
}
# topo M: as bpf_lab.sh's, on NIC pairs.
topo() {
	local m=$1 p
	p=$(pair "$m") || return 1
	if [ "$m" = direct ]; then
		ip netns add bs_$m && ip netns add br_$m &&
		move $p 1 bs_$m s0 && move $p 2 br_$m eth0 || return 1
	else
		ip netns add bs_$m && ip netns add bd_$m && ip netns add br_$m &&
		move $p 1 bs_$m s0 && move $p 2 bd_$m ds &&
		move $((p + 1)) 1 bd_$m dr && move $((p + 1)) 2 br_$m eth0 ||
			return 1
	fi
	addrs $m || return 1
	# Neighbours resolved before the first frame.
	lab_in bs_$m ping -c1 -W5 $RS >/dev/null
}

how() {
	case $1 in
	ipvs|lvs) echo $1 ;;
	bpf) echo bpf ;;	# the datapath's choice: native on virtio-net
	bpf-generic) echo bpf:generic ;;
	esac
}
setup() {
	local m=$1
	topo "$m" || return 1
	case $m in
	route|direct) ;;
	*) service $m "$(how $m)" ;;
	esac
}
teardown() {
	local m=$1 n
	case $m in bpf*) vsa $m --datapath bpf --unload ;; esac
	for n in bs bd br; do ip netns del ${n}_$m 2>/dev/null; done
}
cleanup() { for m in $MODES; do teardown $m; done; }
trap cleanup EXIT

stat_of() { lab_in "$1" cat /sys/class/net/"$2"/statistics/"$3"; }
# Idle time of all CPUs so far, in ns, as the kernel measured it: with
# NOHZ idle, /proc/stat's idle and iowait come from the idle entry and
# exit times (get_cpu_idle_time_us), interrupts taken while idle not
# included, rounded down to USER_HZ ticks (10 ms a reading; a window of
# a second or more).  (/proc/timer_list has them in ns, but prints every
# armed hrtimer with interrupts off, each walk from the head of the
# list: with the bpf table's per-connection timers, seconds.)
idle_ns() { awk '$1 == "cpu" { printf "%.0f\n", ($5 + $6) * 1e9 / '"$HZ"'; exit }' /proc/stat; }
now_ns() { echo $(( ${EPOCHREALTIME/./} * 1000 )); }
NCPU=$(nproc)
# Frames the sender's qdisc dropped so far.
qdrops() { lab_in bs_$1 tc -s qdisc show dev s0 | awk '{ for (i = 1; i < NF; i++) if ($i == "(dropped") { v = $(i + 1); sub(",", "", v); s += v } } END { print s + 0 }'; }
# counters M: frames out of the sender's NIC, into the director's,
# into the sink's (direct: the sink's twice).
counters() {
	local m=$1 o i d=0
	o=$(stat_of bs_$m s0 tx_packets)
	case $m in
	direct) d=$(stat_of br_$m eth0 rx_packets) i=$d ;;
	*) i=$(stat_of bd_$m ds rx_packets) d=$(stat_of br_$m eth0 rx_packets) ;;
	esac
	echo "$o $i $d"
}

# one M ROUND: every phase once; "MODE.PHASE" and the fields
#  2 packets/s delivered (at the sink's NIC)
#  3 busy ns per packet delivered: the window's length times the CPUs
#    minus the idle time the kernel measured
#  4 busy ns per packet from /proc/stat's busy ticks
#  5 the window's length per packet delivered
#  6 idle share of the sender's run, per mille
#  7 frames sent (bpf_blast's count)
#  8 frames lost between the sender's socket and the sink's NIC, per
#    mille of those sent
#  9 of which the sender's qdisc dropped
# 10 busy ns in all
# 11-13 frames out of the sender's NIC, into the director's, delivered.  The window runs from
# just before the sender starts to 1 s after it ends (idle: not in the
# busy time), so that frames still queued are delivered within it.
one() {
	local m=$1 r=$2 dst=$VIP p a b c0 c1 i0 i1 i2 t0 t1 t2 q0 q1 secs sent
	local n w idle k
	case $m in route|direct) dst=$RS ;; esac
	for p in $PHASES; do
		a=$(counters $m) q0=$(qdrops $m)
		c0=$(busy) i0=$(idle_ns) t0=$(now_ns)
		case $p in
		new) secs=1
			sent=$(lab_in bs_$m "$BLAST" $dst 9 1 new 10.79.$((16 * r)).0) ;;
		*) secs=$SECS
			sent=$(lab_in bs_$m "$BLAST" $dst 9 "$SECS" raw "$p" 10.79.0.2) ;;
		esac || return 1
		t1=$(now_ns) i1=$(idle_ns)
		sleep 1
		t2=$(now_ns) i2=$(idle_ns) c1=$(busy)
		b=$(counters $m) q1=$(qdrops $m)
		set -- $a $b
		n=$(($6 - $3))
		[ "$n" -gt 0 ] || { echo "$m.$p: nothing reached the sink"; return 1; }
		w=$((t2 - t0)) idle=$((i2 - i0)) k=$(( w * NCPU - idle ))
		echo "$m.$p $(( (${6} - ${3}) / secs )) $((k / n))" \
			"$(( (c1 - c0) * 1000000000 / HZ / n )) $((w / n))" \
			"$(( (i1 - i0) * 1000 / ((t1 - t0) * NCPU) ))" \
			"$sent $(( (sent - ($6 - $3)) * 1000 / sent )) $((q1 - q0))" \
			"$k $(($4 - $1)) $(($5 - $2)) $(($6 - $3))" >>$RES
	done
	sleep $DRAIN
}

set_up_all
lab_in bd_bpf ethtool -S ds >/tmp/bpf_nic.ds0 2>&1
run_rounds
for m in ipvs lvs bpf bpf-generic; do
	lab_check "$m: no connection left ${DRAIN} s after its turn" \
		test "$(conns $m "$(how $m)")" = 0
done
# The native path was taken: the program is attached in driver mode on
# both of bpf's NICs (dr must have it too: virtio_net transmits a
# redirected frame only where XDP is loaded), in skb mode on
# bpf-generic's; virtio_net's own counters saw the redirects.
lab_check "XDP in the driver on bpf's director, generic on bpf-generic's" sh -c \
	"ip -n bd_bpf -o link show ds | grep -q ' xdp ' &&
	 ip -n bd_bpf -o link show dr | grep -q ' xdp ' &&
	 ip -n bd_bpf-generic -o link show ds | grep -q ' xdpgeneric '"
ethdelta() {	# NS DEV COUNTER: its growth since the rounds began
	local now was
	now=$(lab_in "$1" ethtool -S "$2" | awk -v k="$3:" '$1 == k { print $2 }')
	was=$(awk -v k="$3:" '$1 == k { print $2 }' /tmp/bpf_nic.ds0)
	echo $((now - ${was:-0}))
}
redir=$(ethdelta bd_bpf ds rx_queue_0_xdp_redirects)
rxds=$(col "bpf\\.[^ ]*" 12 | awk '{ s += $1 } END { print s }')
echo "# bpf: of the $rxds frames its director's NIC received in the rounds, virtio_net redirected $redir by XDP in the driver"
lab_check "bpf: virtio_net redirected frames in XDP" test "${redir:-0}" -gt 0
echo "# ethtool -S of bpf's director NICs:"
lab_in bd_bpf ethtool -S ds | grep -E 'packets|drops|xdp|kicks' | sed 's/^/#  ds /'
lab_in bd_bpf ethtool -S dr | grep -E 'packets|drops|xdp|kicks' | sed 's/^/#  dr /'
lab_in bd_bpf ip -d link show ds | sed 's/^/#  /'
dmesg | grep -i 'xdp' | sed 's/^/# dmesg: /' | head -5

# Loss before the director (QEMU's queue to its NIC), per mille of the
# frames sent, and after it (in the director, QEMU's queue to the sink).
losses() {
	awk '{ b = $11 - $12; a = $12 - $13; if ($1 ~ /^direct\./) a = 0
		printf "%s %d %d\n", $1, b * 1000 / $7, a * 1000 / $7 }' $RES
}

DIRS="route ipvs lvs bpf bpf-generic"
echo "64-byte UDP on virtio-net NIC pairs, $SECS s per run${LAB_ICOUNT:+, QEMU -icount shift=$LAB_ICOUNT (one vCPU; a guest second is $((1000000000 >> LAB_ICOUNT)) instructions)}"
table 2 "packets/s delivered at the sink (ratios: above 1, bpf forwards more)"
table 3 "busy ns per packet delivered: window minus the kernel's idle time${LAB_ICOUNT:+ (instructions x $((1 << LAB_ICOUNT)))} (ratios: below 1, bpf costs less)"
table 4 "busy ns per packet delivered, /proc/stat's busy ticks"
table 5 "the window's ns per packet delivered (idle included)"
table 6 "idle share of the sender's run, per mille"
table 8 "frames lost, per mille of those sent"
losses >$RES.loss
FILE=$RES.loss table 2 "of which lost before the director's NIC, per mille"
FILE=$RES.loss table 3 "and in or after the director, per mille"
director 3 >$RES.dir
FILE=$RES.dir table 2 "the director's busy ns per packet delivered: a mode's minus direct's, round by round (ratios: below 1, bpf costs less; 0.50 is 2x IPVS's rate)" "$DIRS"
echo "bpf: XDP native (in virtio_net, the datapath's choice there); bpf-generic: XDP generic on the same NICs"
echo "rounds (pps busy-ns/pkt tick-ns/pkt window-ns/pkt idle-permille sent lost-permille qdisc-drops busy-ns out-of-sender into-director delivered):"
rounds
lab_done
