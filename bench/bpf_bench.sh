# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2034  # DRAIN, HZ and the rest: for the scripts that source this
# bpf_bench.sh - what bench/bpf_lab.sh (veth) and bench/bpf_nic.sh
# (virtio-net NICs) share, sourced by both inside the lab guest after
# tests/lab/lib.sh: the service each mode's director gets, the silent
# sink, the round order, and the tables (medians, spreads, ratios, the
# director's share).
#
# The caller sets MODES (direct first), PHASES, ROUNDS, VIP, RS, RES
# (the results file: "MODE.PHASE FIELD2 FIELD3 ..." lines, one per run)
# and RATIOS: the ratio columns of its tables, "LABEL=MODE/MODE ...".
# Namespaces: the director of mode M is bd_M, its sink br_M.

BLAST=$LAB_DIR/bench/bpf_blast
VSADM=$LAB_VSADM
# Every round starts with an empty connection table: UDP entries time
# out after UDP_TMO s, and each mode's turn ends idle for DRAIN s.  With
# IPVS's 300 s, a "new" run's entries (tens of thousands) piled up
# round after round in IPVS's 4096 buckets, its figures sank from round
# to round, and the bpf table neared its 262144 entries by round 5.
UDP_TMO=2 DRAIN=4

# What every bench needs in the guest; skips otherwise.
bench_prereq() {
	[ -x "$BLAST" ] || lab_skip "build bench/bpf_blast first"
	modprobe ip_vs && modprobe ip_vs_rr && modprobe lvs ||
		lab_skip "ip_vs or lvs cannot be loaded"
	command -v ipvsadm >/dev/null || lab_skip "needs ipvsadm"
	[ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ] ||
		mount -t bpf bpf /sys/fs/bpf || lab_skip "no bpffs"
}

# No ICMP port unreachable from a sink (no socket is bound there): the
# rate limit lets up to 1000/s out, each costing more than a forwarded
# packet, and takes a random share of credit per error
# (icmp_global_consume), so runs would differ for nothing.  Per
# namespace since 6.1.192: with no credit and none added, none leave.
quiet_sink() {
	lab_in br_$1 sysctl -qw net.ipv4.icmp_msgs_per_sec=0 \
		net.ipv4.icmp_msgs_burst=0
}

# addrs M: addresses and routes, once mode M's interfaces are in their
# namespaces: the sender's s0 in bs_M, the director's ds (sender side)
# and dr (sink side) in bd_M, the sink's eth0 in br_M.  "direct" has no
# director: s0 is wired to eth0, which also holds the sender's gateway,
# so that the sender routes as in the other modes (a raw socket's
# IP_HDRINCL send caches no route without a gateway: bpf_lab.sh).
addrs() {
	local m=$1
	ip -n bs_$m -batch - <<-EOF || return 1
		link set lo up
		addr add 10.79.0.2/16 dev s0
		link set s0 up
		route add default via 10.79.0.1
	EOF
	if [ "$m" = direct ]; then
		ip -n br_$m -batch - <<-EOF || return 1
			link set lo up
			addr add $RS/24 dev eth0
			addr add 10.79.0.1/16 dev eth0
			link set eth0 up
		EOF
		quiet_sink $m
		return
	fi
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
	quiet_sink $m || return 1
	lab_in bd_$m sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.disable_ipv6=1
}

vsa() { local m=$1; shift; nsenter --net=/run/netns/bd_$m "$VSADM" "$@"; }

# service M HOW: the UDP NAT service VIP:9 -> RS:9 (rr) in bd_M, by HOW:
# ipvs, lvs (lvs.ko), bpf (the datapath's choice of XDP mode per
# interface), bpf:generic or bpf:native (LVS_BPF_XDP_MODE).
service() {
	local m=$1 how=$2 xm=
	case $how in
	ipvs) lab_in bd_$m ipvsadm -A -u $VIP:9 -s rr &&
		lab_in bd_$m ipvsadm -a -u $VIP:9 -r $RS:9 -m &&
		lab_in bd_$m ipvsadm --set 0 0 $UDP_TMO ;;
	lvs) vsa $m --datapath kernel -A -u $VIP:9 -s rr &&
		vsa $m --datapath kernel -a -u $VIP:9 -r $RS:9 -m &&
		vsa $m --datapath kernel --set 0 0 $UDP_TMO ;;
	bpf|bpf:*)
		[ "$how" = bpf ] || xm=${how#bpf:}
		LVS_BPF_XDP_MODE=$xm vsa $m --datapath bpf -A -u $VIP:9 -s rr &&
		vsa $m --datapath bpf -a -u $VIP:9 -r $RS:9 -m &&
		vsa $m --datapath bpf --set 0 0 $UDP_TMO ;;
	*) echo "service: $how?"; return 1 ;;
	esac
}

# Connections in mode M's table (HOW as for service).
conns() {
	case $2 in
	ipvs) lab_in bd_$1 ipvsadm -Lnc ;;
	lvs) vsa $1 --datapath kernel -Lnc ;;
	*) vsa $1 --datapath bpf -Lnc ;;
	esac | grep -c '^UDP'
}

# Busy time of all vCPUs so far, in USER_HZ ticks (user, nice, system,
# irq, softirq, steal).
busy() { awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
HZ=$(getconf CLK_TCK)

# round_order R: the modes of round R, starting at mode R (mod their
# number): each mode runs first, last, and between each of the others
# in turn.
round_order() {
	local r=$1 i
	set -- $MODES
	for i in $(seq 0 $(($# - 1))); do
		eval echo "\${$(( (r - 1 + i) % $# + 1 ))}"
	done
}

# set_up_all: every mode's namespaces and service, once (setup M, the
# script's own).  run_rounds: ROUNDS rounds of one M R (the script's
# own) over every mode, each round in another order.
set_up_all() {
	local m t0
	for m in $MODES; do
		t0=$EPOCHREALTIME
		lab_check "set up: $m" setup $m
		echo "# $m set up in $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms"
	done
}
run_rounds() {
	local r m
	for r in $(seq "$ROUNDS"); do
		for m in $(round_order $r); do
			lab_check "round $r: $m" one "$m" "$r"
		done
	done
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
col() { grep "^$1 " "${FILE:-$RES}" | cut -d' ' -f"$2"; }
val() { col "$1" "$2" | median; }
# max/min over the rounds: 1.00 means every round gave the same figure
spread() { col "$1" "$2" | sort -n | awk '{ v[NR] = $1 } END { if (NR && v[1] > 0) printf "%.3f", v[NR] / v[1]; else print "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b) printf "%.2f", a / b; else print "-" }'; }
table() {	# FIELD TITLE [MODES]: medians, ratios, spreads
	local f=$1 p m r modes=${3:-$MODES}
	echo
	echo "$2, median of $ROUNDS rounds (spread max/min in brackets)"
	printf '%-5s' flows
	for m in $modes; do printf ' %16s' "$m"; done
	printf ' '
	for r in $RATIOS; do printf ' %8s' "${r%%=*}"; done
	echo
	for p in $PHASES; do
		printf '%-5s' "$p"
		for m in $modes; do
			printf ' %16s' "$(val $m.$p $f) [$(spread $m.$p $f)]"
		done
		printf ' '
		for r in $RATIOS; do
			r=${r#*=}
			printf ' %8s' "$(ratio "$(val ${r%/*}.$p $f)" "$(val ${r#*/}.$p $f)")"
		done
		echo
	done
}
# The director's share, round by round: a mode's field FIELD minus
# direct's in the same round.
director() {
	awk -v f="$1" '{ split($1, k, "."); ph = substr($1, length(k[1]) + 2)
		n = ++seen[$1]; v[$1, n] = $f
		if (k[1] != "direct") { key[++nk] = $1; idx[nk] = n; p[nk] = ph } }
	END { for (i = 1; i <= nk; i++)
		if (("direct." p[i], idx[i]) in v)
			print key[i], v[key[i], idx[i]] - v["direct." p[i], idx[i]] }' $RES
}
# Every run's figures, mode by mode, round after round.
rounds() {
	sort -k1,1 -s $RES | awk '{ s = ""; for (i = 2; i <= NF; i++) s = s (i > 2 ? "/" : "") $i
		r[$1] = r[$1] "  " s } END { for (k in r) print "  " k ":" r[k] }' | sort
}
