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
# bench/bpf_blast sends 64-byte UDP frames for SECONDS: "1" one flow,
# "256" 256 flows, "new" every frame a new flow for one second (source
# address/port stepping; the new-flow rate).  The figure is what the sink's interface
# received per second (its socket never reads).  Medians over the rounds,
# with ratios to IPVS and to routing.
#
# Why not pktgen: pktgen hands the stack skbs it still holds a reference
# to (skb->users raised by "burst"), and generic XDP on 6.1 expands any
# skb with too little headroom in place (pskb_expand_head, which refuses
# shared skbs); its native path on veth copies them, but the other
# balancers would then be measured differently.  One userspace sender for
# all, on the same vCPUs: the guest is emulated (TCG), so the whole path
# (send + forward + receive) runs serially on one emulated CPU; compare
# the ratios, not the rates.
#
# usage (in the lab): make -C bench run-bpf-lab, or
#   tests/lab/run --timeout 1800 bench/bpf_lab.sh [ROUNDS] [SECONDS]
. "$LAB_DIR/tests/lab/lib.sh"
ROUNDS=${1:-3} SECS=${2:-3}
BLAST=$LAB_DIR/bench/bpf_blast
VSADM=$LAB_VSADM
MODES="route ipvs lvs bpf bpf-native"
PHASES="1 256 new"
VIP=10.81.0.1 RS=10.80.0.2
RES=/tmp/bpf_lab.results
: >$RES
[ -x "$BLAST" ] || lab_skip "build bench/bpf_blast first"
modprobe ip_vs && modprobe ip_vs_rr && modprobe lvs ||
	lab_skip "ip_vs or lvs cannot be loaded"
command -v ipvsadm >/dev/null || lab_skip "needs ipvsadm"
[ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ] ||
	mount -t bpf bpf /sys/fs/bpf || lab_skip "no bpffs"

# topo M: sender bs_M, director bd_M and sink br_M namespaces.
topo() {
	local m=$1
	ip -batch - <<-EOF || return 1
		netns add bs_$m
		netns add bd_$m
		netns add br_$m
		link add s0 netns bs_$m type veth peer name ds netns bd_$m
		link add eth0 netns br_$m type veth peer name dr netns bd_$m
	EOF
	ip -n bs_$m -batch - <<-EOF || return 1
		link set lo up
		addr add 10.79.0.2/16 dev s0
		link set s0 up
		route add default via 10.79.0.1
	EOF
	ip -n bd_$m -batch - <<-EOF || return 1
		link set lo up
		addr add 10.79.0.1/16 dev ds
		addr add 10.80.0.1/24 dev dr
		addr add $VIP/32 dev lo
		link set ds up
		link set dr up
	EOF
	ip -n br_$m -batch - <<-EOF || return 1
		link set lo up
		addr add $RS/24 dev eth0
		link set eth0 up
		route add default via 10.80.0.1
	EOF
	lab_in bd_$m sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.disable_ipv6=1 || return 1
	# XDP rewrites full checksums: no partial ones from the sender;
	# frames redirected into a veth want NAPI (GRO) on the far end.
	lab_in bs_$m ethtool -K s0 tx off >/dev/null &&
		lab_in br_$m ethtool -K eth0 gro on >/dev/null || return 1
	# Neighbours resolved before the first frame.
	lab_in bs_$m ping -c1 -W5 $RS >/dev/null
}

vsa() { local m=$1; shift; nsenter --net=/run/netns/bd_$m "$VSADM" "$@"; }
setup() {	# MODE: its namespaces and its service (none for route)
	local m=$1
	topo "$m" || return 1
	case $m in
	route) ;;
	ipvs) lab_in bd_$m ipvsadm -A -u $VIP:9 -s rr &&
		lab_in bd_$m ipvsadm -a -u $VIP:9 -r $RS:9 -m ;;
	lvs) vsa $m --datapath kernel -A -u $VIP:9 -s rr &&
		vsa $m --datapath kernel -a -u $VIP:9 -r $RS:9 -m ;;
	bpf) LVS_BPF_XDP_MODE=generic vsa $m --datapath bpf -A -u $VIP:9 -s rr &&
		vsa $m --datapath bpf -a -u $VIP:9 -r $RS:9 -m ;;
	bpf-native) LVS_BPF_XDP_MODE=native vsa $m --datapath bpf \
			-A -u $VIP:9 -s rr &&
		vsa $m --datapath bpf -a -u $VIP:9 -r $RS:9 -m ;;
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

# one M ROUND: every phase once, "MODE.PHASE PPS" lines into $RES.
# "new" runs one second: the eBPF connection table holds 262144 entries
# and a full table drops new flows (as the module's conn_max would).
one() {
	local m=$1 r=$2 dst=$VIP p a b secs
	[ "$m" = route ] && dst=$RS
	for p in $PHASES; do
		a=$(rx $m)
		if [ "$p" = new ]; then
			secs=1
			lab_in bs_$m "$BLAST" $dst 9 1 new 10.79.$((16 * r)).0
		else
			secs=$SECS
			lab_in bs_$m "$BLAST" $dst 9 "$SECS" "$p"
		fi >/dev/null || return 1
		b=$(rx $m)
		echo "$m.$p $(( (b - a) / secs ))" >>$RES
	done
}

for m in $MODES; do
	t0=$EPOCHREALTIME
	lab_check "set up: $m" setup $m
	echo "# $m set up in $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms"
done
for r in $(seq "$ROUNDS"); do
	for m in $MODES; do
		lab_check "round $r: $m" one "$m" "$r"
	done
done
lab_check "XDP generic on bpf's director, native on bpf-native's" sh -c \
	"ip -n bd_bpf -o link show ds | grep -q ' xdpgeneric ' &&
	 ip -n bd_bpf-native -o link show ds | grep -q ' xdp '"

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
val() { grep "^$1 " $RES | cut -d' ' -f2 | median; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b) printf "%.2f", a / b; else print "-" }'; }
echo
echo "64-byte UDP, packets/s at the sink, median of $ROUNDS rounds of $SECS s"
printf '%-6s %9s %9s %9s %9s %9s  %8s %8s %8s\n' flows route IPVS lvs.ko \
	bpf bpf-nat bpf/IPVS bpf/route lvs/IPVS
for p in $PHASES; do
	ro=$(val route.$p) iv=$(val ipvs.$p) lv=$(val lvs.$p)
	bg=$(val bpf.$p) bn=$(val bpf-native.$p)
	printf '%-6s %9s %9s %9s %9s %9s  %8s %8s %8s\n' "$p" "$ro" "$iv" \
		"$lv" "$bg" "$bn" "$(ratio "$bg" "$iv")" "$(ratio "$bg" "$ro")" \
		"$(ratio "$lv" "$iv")"
done
echo "bpf: XDP generic (the datapath's choice on veth); bpf-nat: XDP native"
echo "rounds:"
sort $RES | awk '{ r[$1] = r[$1] " " $2 } END { for (k in r) print "  " k ":" r[k] }' | sort
lab_done
