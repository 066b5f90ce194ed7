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
# bench checks it) and in generic (skb) XDP on the same NICs, and
# "xdp-min": bench/xdp_min.bpf.o in the driver, which only rewrites the
# MAC addresses and redirects, the floor under any XDP forwarder on
# virtio-net (see that file).  One UDP
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
# usage (in the lab, with at least 13 pairs):
#   make -C bench run-bpf-nic-icount [ARGS="[NAME=VALUE...] [ROUNDS] [SECONDS]"], or
#   LAB_NICS=13 LAB_ICOUNT=0 tests/lab/run --timeout 5400 bench/bpf_nic.sh [NAME=VALUE...] [ROUNDS] [SECONDS]
# (settings: below, SENDER and the rest)
# Figures and what they mean: docs/bpf.md, "Measured on virtio-net,
# native XDP".
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/bench/bpf_bench.sh"
# Settings come as arguments too (tests/lab/run passes no environment):
# NAME=VALUE before ROUNDS, for SENDER, PG_BURST, PG_DELAY, PG_COUNT and
# MODES (its modes joined by ':', direct first).
while [ $# -gt 0 ]; do
	case $1 in
	SENDER=*|PG_BURST=*|PG_DELAY=*|PG_COUNT=*) declare "$1" ;;
	MODES=*) MODES=${1#MODES=} MODES=${MODES//:/ } ;;
	*=*) echo "bpf_nic.sh: unknown setting $1" >&2; exit 1 ;;
	*) break ;;
	esac
	shift
done
ROUNDS=${1:-5} SECS=${2:-1}
# SENDER=pktgen: pktgen sends instead of bpf_blast, straight to the
# sender's driver (xmit_mode start_xmit), PG_BURST frames per doorbell
# (xmit_more) every PG_DELAY ns, PG_COUNT frames a run; one flow and 256
# flows only.  (A burst repeats one frame, so a new flow per frame
# takes a doorbell each; pktgen spins through pauses under 100 us,
# and with longer ones the vCPU's idle exits and entries cost about
# 100000 instructions a frame: measured, and dropped.)
# The pause lets every burst cross the director before the next, so
# that the sender never spins on a full ring (busy time that would be
# charged to the director's share); the vCPU idles meanwhile, which
# the busy time leaves out.
SENDER=${SENDER:-blast} PG_BURST=${PG_BURST:-32} PG_DELAY=${PG_DELAY:-2000000}
PG_COUNT=${PG_COUNT:-40000}
MODES=${MODES:-direct route ipvs lvs bpf bpf-generic xdp-min}
PHASES="1 256 new"
[ "$SENDER" = blast ] || PHASES="1 256"
VIP=10.81.0.1 RS=10.80.0.2
RES=/tmp/bpf_nic.results
: >$RES
RATIOS="bpf/IPVS=bpf/ipvs bpf/route=bpf/route gen/IPVS=bpf-generic/ipvs gen/route=bpf-generic/route lvs/IPVS=lvs/ipvs min/IPVS=xdp-min/ipvs min/route=xdp-min/route bpf/min=bpf/xdp-min"
MIN=$LAB_DIR/bench/xdp_min.bpf.o
NEED=13
[ "${LAB_NICS:-0}" -ge $NEED ] ||
	lab_skip "needs LAB_NICS=$NEED (pairs of virtio-net NICs), not ${LAB_NICS:-0}"
bench_prereq
modprobe virtio_net || lab_skip "no virtio_net"
has() { case " $MODES " in *" $1 "*) return 0 ;; esac; return 1; }
! has xdp-min || [ -r "$MIN" ] || lab_skip "build bench/xdp_min.bpf.o first"
[ "$SENDER" = blast ] || modprobe pktgen || lab_skip "no pktgen"

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

# min_on M: xdp_min in the driver on bd_M's ds, forwarding to the sink
# through dr (xdp_min_pass on dr); pinned under /sys/fs/bpf/xdp_min_M.
min_on() {
	local m=$1 pin=/sys/fs/bpf/xdp_min_$1 ifi smac dmac
	ifi=$(lab_in bd_$m cat /sys/class/net/dr/ifindex) &&
	smac=$(lab_in bd_$m cat /sys/class/net/dr/address) &&
	dmac=$(lab_in br_$m cat /sys/class/net/eth0/address) || return 1
	bpftool prog loadall "$MIN" $pin pinmaps $pin/maps &&
	bpftool map update pinned $pin/maps/xdp_min_fwd key hex 00 00 00 00 \
		value hex $(printf '%02x %02x %02x %02x' $((ifi & 255)) \
		$((ifi >> 8 & 255)) $((ifi >> 16 & 255)) $((ifi >> 24))) \
		${dmac//:/ } ${smac//:/ } &&
	nsenter --net=/run/netns/bd_$m bpftool net attach xdpdrv \
		pinned $pin/xdp_min_pass dev dr &&
	nsenter --net=/run/netns/bd_$m bpftool net attach xdpdrv \
		pinned $pin/xdp_min dev ds
}
min_off() {
	local d
	for d in ds dr; do
		nsenter --net=/run/netns/bd_$1 bpftool net detach xdpdrv \
			dev $d 2>/dev/null
	done
	rm -rf /sys/fs/bpf/xdp_min_$1
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
	xdp-min) min_on $m ;;
	*) service $m "$(how $m)" ;;
	esac
}
teardown() {
	local m=$1 n
	case $m in
	bpf*) vsa $m --datapath bpf --unload ;;
	xdp-min) min_off $m ;;
	esac
	for n in bs bd br; do ip netns del ${n}_$m 2>/dev/null; done
}
cleanup() { for m in $MODES; do teardown $m; done; }
trap cleanup EXIT

# hop M: the namespace and NIC that receive the sender's frames (the
# director's ds; direct: the sink's eth0).
hop() { case $1 in direct) echo br_$1 eth0 ;; *) echo bd_$1 ds ;; esac; }
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
	i=$(stat_of $(hop $m) rx_packets)
	case $m in
	direct) d=$i ;;
	*) d=$(stat_of br_$m eth0 rx_packets) ;;
	esac
	echo "$o $i $d"
}

# irqs NS DEV: interrupts taken so far for DEV's receive queues.
irqs() {
	local v
	v=$(lab_in "$1" readlink /sys/class/net/"$2"/device) || return 1
	awk -v q="${v##*/}-input." 'index($NF, q) == 1 {
		for (i = 2; i < NF && $i ~ /^[0-9]+$/; i++) s += $i }
		END { print s + 0 }' /proc/interrupts
}

# pg M DST FLOWS: PG_COUNT frames from bs_M's s0 by pktgen (see
# SENDER), to DST through the next hop's MAC, from FLOWS source ports;
# prints the frames sent.
pg() {
	local m=$1 dst=$2 ports=$3 dev=s0 mac c d=/proc/net/pktgen
	set -- $(hop $m)
	mac=$(lab_in $1 cat /sys/class/net/$2/address) || return 1
	lab_in bs_$m sh -ec "
		echo rem_device_all > $d/kpktgend_0
		echo 'add_device $dev' > $d/kpktgend_0
		for c in 'count $PG_COUNT' 'pkt_size 64' 'delay $PG_DELAY' \
			'burst $PG_BURST' 'clone_skb 0' 'xmit_mode start_xmit' \
			'dst $dst' 'dst_mac $mac' \
			'src_min 10.79.0.2' 'src_max 10.79.0.2' \
			'udp_src_min 1024' 'udp_src_max $((1024 + ports - 1))' \
			'udp_dst_min 9' 'udp_dst_max 9'; do
			echo \"\$c\" > $d/$dev
		done
		echo start > $d/pgctrl" || return 1
	c=$(lab_in bs_$m sed -n 's/^Result: OK: .* usec, \([0-9]*\) (.*/\1/p' $d/$dev)
	[ -n "$c" ] || { lab_in bs_$m grep Result $d/$dev; return 1; }
	echo "$c"
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
# 11-13 frames out of the sender's NIC, into the director's, delivered
# 14 receive interrupts per 1000 frames, at the director's NIC (direct:
#    the sink's).  The window runs from
# just before the sender starts to 1 s after it ends (idle: not in the
# busy time), so that frames still queued are delivered within it.
one() {
	local m=$1 r=$2 dst=$VIP p a b c0 c1 i0 i1 i2 t0 t1 t2 q0 q1 secs=1 sent
	local n w idle k x0 x1 pps
	case $m in route|direct|xdp-min) dst=$RS ;; esac
	for p in $PHASES; do
		a=$(counters $m) q0=$(qdrops $m) x0=$(irqs $(hop $m))
		c0=$(busy) i0=$(idle_ns) t0=$(now_ns)
		case $SENDER.$p in
		pktgen.*) sent=$(pg $m $dst $p) ;;
		*.new) secs=1
			sent=$(lab_in bs_$m "$BLAST" $dst 9 1 new 10.79.$((16 * r)).0) ;;
		*) secs=$SECS
			sent=$(lab_in bs_$m "$BLAST" $dst 9 "$SECS" raw "$p" 10.79.0.2) ;;
		esac || return 1
		t1=$(now_ns) i1=$(idle_ns)
		sleep 1
		t2=$(now_ns) i2=$(idle_ns) c1=$(busy)
		b=$(counters $m) q1=$(qdrops $m) x1=$(irqs $(hop $m))
		set -- $a $b
		n=$(($6 - $3))
		[ "$n" -gt 0 ] || { echo "$m.$p: nothing reached the sink"; return 1; }
		pps=$((n / secs))
		# pktgen runs for as long as its frames take: packets per
		# second of the sender's run.
		[ "$SENDER" = blast ] || pps=$((n * 1000000000 / (t1 - t0)))
		w=$((t2 - t0)) idle=$((i2 - i0)) k=$(( w * NCPU - idle ))
		echo "$m.$p $pps $((k / n))" \
			"$(( (c1 - c0) * 1000000000 / HZ / n )) $((w / n))" \
			"$(( (i1 - i0) * 1000 / ((t1 - t0) * NCPU) ))" \
			"$sent $(( (sent - ($6 - $3)) * 1000 / sent )) $((q1 - q0))" \
			"$k $(($4 - $1)) $(($5 - $2)) $(($6 - $3))" \
			"$(( (x1 - x0) * 1000 / n ))" >>$RES
	done
	sleep $DRAIN
}

set_up_all
lab_in bd_bpf ethtool -S ds >/tmp/bpf_nic.ds0 2>&1
run_rounds
for m in ipvs lvs bpf bpf-generic; do
	has $m || continue
	lab_check "$m: no connection left ${DRAIN} s after its turn" \
		test "$(conns $m "$(how $m)")" = 0
done
# The native path was taken: the program is attached in driver mode on
# both of bpf's NICs (dr must have it too: virtio_net transmits a
# redirected frame only where XDP is loaded), in skb mode on
# bpf-generic's; virtio_net's own counters saw the redirects.
if has xdp-min; then
	lab_check "xdp-min: xdp_min in the driver on its director" sh -c \
		"ip -n bd_xdp-min -o link show ds | grep -q ' xdp '"
	echo "# xdp-min: $(lab_in bd_xdp-min ethtool -S ds | grep -E 'rx_queue_0_(packets|xdp_redirects):' | tr -s ' \n' ' ')"
fi
lab_check "XDP in the driver on both of bpf's NICs" sh -c \
	"ip -n bd_bpf -o link show ds | grep -q ' xdp ' &&
	 ip -n bd_bpf -o link show dr | grep -q ' xdp '"
has bpf-generic &&
	lab_check "XDP generic on bpf-generic's director" sh -c \
		"ip -n bd_bpf-generic -o link show ds | grep -q ' xdpgeneric '"
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

# fit FIELD: per mode and phase, the least-squares line of FIELD (the
# busy ns per packet) against field 14 (receive interrupts per 1000
# frames) over the rounds: "MODE.PHASE intercept slope r2".  How many
# frames the director finds per interrupt (per NAPI poll) depends on
# how far QEMU's device emulation, a host thread, runs ahead of the
# vCPU: it varied 10-50x from round to round (the host's load), and
# the cost per packet with it, by about 5 instructions per interrupt
# per 1000 frames.  The intercept is the cost with every frame batched,
# the same for every mode: what the modes' medians leave to chance.
fit() {
	awk -v f="$1" '{ n[$1]++; x = $14; y = $f; sx[$1] += x; sy[$1] += y
		sxx[$1] += x * x; sxy[$1] += x * y; syy[$1] += y * y }
	END { for (k in n) {
		d = n[k] * sxx[k] - sx[k] * sx[k]
		if (n[k] < 3 || d == 0) continue
		b = (n[k] * sxy[k] - sx[k] * sy[k]) / d
		a = (sy[k] - b * sx[k]) / n[k]
		e = n[k] * syy[k] - sy[k] * sy[k]
		r2 = e > 0 ? (n[k] * sxy[k] - sx[k] * sy[k]) ^ 2 / (d * e) : 1
		printf "%s %.0f %.2f %.2f\n", k, a, b, r2 } }' $RES
}
# The director's share at full batching: a mode's intercept minus
# direct's.
fit_director() {
	awk '{ a[$1] = $2 }
	END { for (m in a) { split(m, k, "."); ph = substr(m, length(k[1]) + 2)
		if (k[1] != "direct" && ("direct." ph) in a)
			print m, a[m] - a["direct." ph] } }' "$1"
}

DIRS=${MODES#direct }
case $SENDER in
pktgen) echo "sender: pktgen, $PG_COUNT frames a run, $PG_BURST per doorbell every $PG_DELAY ns" ;;
*) echo "sender: bpf_blast, $SECS s per run" ;;
esac
echo "64-byte UDP on virtio-net NIC pairs${LAB_ICOUNT:+, QEMU -icount shift=$LAB_ICOUNT (one vCPU; a guest second is $((1000000000 >> LAB_ICOUNT)) instructions)}"
table 2 "packets/s delivered at the sink (ratios: above 1, bpf forwards more)"
table 3 "busy ns per packet delivered: window minus the kernel's idle time${LAB_ICOUNT:+ (instructions x $((1 << LAB_ICOUNT)))} (ratios: below 1, bpf costs less)"
table 4 "busy ns per packet delivered, /proc/stat's busy ticks"
table 5 "the window's ns per packet delivered (idle included)"
table 6 "idle share of the sender's run, per mille"
table 8 "frames lost, per mille of those sent"
table 14 "receive interrupts per 1000 frames delivered, at the director's NIC (direct: the sink's)"
losses >$RES.loss
FILE=$RES.loss table 2 "of which lost before the director's NIC, per mille"
FILE=$RES.loss table 3 "and in or after the director, per mille"
director 3 >$RES.dir
FILE=$RES.dir table 2 "the director's busy ns per packet delivered: a mode's minus direct's, round by round (ratios: below 1, bpf costs less; 0.50 is 2x IPVS's rate)" "$DIRS"
fit 3 >$RES.fit
FILE=$RES.fit table 2 "busy ns per packet delivered with every frame batched: the intercept of its line against interrupts per 1000 frames (see fit)"
FILE=$RES.fit table 3 "and the line's slope: busy ns per interrupt per 1000 frames"
FILE=$RES.fit table 4 "and its r2 (1: every round on the line)"
fit_director $RES.fit >$RES.fitdir
FILE=$RES.fitdir table 2 "the director's busy ns per packet with every frame batched: a mode's intercept minus direct's (ratios: 0.50 is 2x IPVS's rate; min: the floor of XDP forwarding)" "$DIRS"
echo "bpf: XDP native (in virtio_net, the datapath's choice there); bpf-generic: XDP generic on the same NICs"
echo "rounds (pps busy-ns/pkt tick-ns/pkt window-ns/pkt idle-permille sent lost-permille qdisc-drops busy-ns out-of-sender into-director delivered irqs-per-1000):"
rounds
lab_done
