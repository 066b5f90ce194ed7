#!/bin/bash
# lvs.ko against the kernel's IPVS, same guest, same run, same rules
# (UDP, NAT, rr, one real server), packets injected with pktgen into a
# dummy device's receive path and the translated packets dropped by
# another dummy device, so that only the stack and the balancer cost.
#
#   est    one established flow: per-packet cost of a hit
#   new    every packet a new flow: scheduling and entry creation
#   fill   TABLE distinct flows created in a fresh namespace
#   table  the same flows again: lookups among TABLE live entries
#
# est and new run ROUNDS times, interleaved (route, IPVS, lvs, route, ...),
# each round in fresh namespaces; the medians are reported.  fill and
# table run once per balancer, and once more for IPVS with its connection
# table enlarged to 2^20 buckets (its default is 2^12), so that the
# comparison does not rest on IPVS's default alone.
#
# Prints ns/packet and lvs / IPVS (below 1: lvs is cheaper).  The guest is
# emulated (TCG): absolute numbers are slow; the ratios are the result.
#
# usage (in the lab): bench/fwd.sh [EST NEW TABLE ROUNDS]
. "$LAB_DIR/tests/lab/lib.sh"
N_EST=${1:-100000} N_NEW=${2:-50000} N_TAB=${3:-1000000} ROUNDS=${4:-5}
VIP=10.0.0.100 RS=10.0.3.10
PKTGEN=$LAB_DIR/bench/pktgen-run
VSADM=$LAB_DIR/vsadm/vsadm
RES=/tmp/fwd.results
: > $RES

modprobe pktgen && modprobe dummy && modprobe lvs && modprobe ip_vs ||
	lab_skip "pktgen, dummy, lvs or ip_vs cannot be loaded"

# A director namespace: packets enter on in0, leave translated on out0.
director() {
	local ns=$1
	ip netns add "$ns" || return 1
	# No IPv6: router solicitations on out0 would count as forwarded.
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 || return 1
	ip -n "$ns" -batch - <<-EOF || return 1
		link set lo up
		link add in0 type dummy
		link add out0 type dummy
		addr add 10.0.1.1/24 dev in0
		link set in0 up
		link set out0 up
		addr add $VIP/32 dev lo
		route add 10.0.3.0/24 dev out0
	EOF
	ip netns exec "$ns" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.in0.rp_filter=0
}

setup_route() { :; }
setup_ipvs() {
	ip netns exec "$1" ipvsadm -A -u $VIP:80 -s rr &&
	ip netns exec "$1" ipvsadm -a -u $VIP:80 -r $RS:80 -m
}
setup_lvs() {
	ip netns exec "$1" "$VSADM" -A -u $VIP:80 -s rr &&
	ip netns exec "$1" "$VSADM" -a -u $VIP:80 -r $RS:80 -m
}
dst_of() { [ "$1" = route ] && echo $RS || echo $VIP; }

out_pkts() { ip netns exec "$1" cat /sys/class/net/out0/statistics/tx_packets; }

# run NS DST COUNT NSRC NPORTS: ns/packet; checks every packet left out0.
run() {
	local ns=$1 before after v
	before=$(out_pkts "$ns")
	v=$(ip netns exec "$ns" "$PKTGEN" in0 "$2" "$3" "$4" "$5") || return 1
	after=$(out_pkts "$ns")
	if [ $((after - before)) -ne "$3" ]; then
		echo "$ns: $3 packets in, $((after - before)) out" >&2
		return 1
	fi
	echo "$v"
}

# round LB: est and new in a fresh namespace.
round() {
	local lb=$1 ns=r_$1 v
	director "$ns" && setup_$lb "$ns" || return 1
	v=$(run "$ns" "$(dst_of "$lb")" "$N_EST" 1 1) && echo "$lb.est $v" >> $RES &&
	v=$(run "$ns" "$(dst_of "$lb")" "$N_NEW" 61 64512) && echo "$lb.new $v" >> $RES
	local rc=$?
	ip netns del "$ns"
	return $rc
}

# table LB [NAME]: fill TABLE flows, then look them all up again.
table() {
	local lb=$1 name=${2:-$1} ns=t_$1 v
	director "$ns" && setup_$lb "$ns" || return 1
	v=$(run "$ns" "$(dst_of "$lb")" "$N_TAB" 61 64512) && echo "$name.fill $v" >> $RES &&
	v=$(run "$ns" "$(dst_of "$lb")" "$N_TAB" 61 64512) && echo "$name.table $v" >> $RES
	local rc=$?
	if [ "$lb" = lvs ] && [ $rc = 0 ]; then
		local n
		n=$(ip netns exec "$ns" "$VSADM" -L -n -c | tail -n +3 | wc -l)
		[ "$n" = "$N_TAB" ] || { echo "lvs lists $n entries, not $N_TAB" >&2; rc=1; }
	fi
	ip netns del "$ns"
	return $rc
}

for r in $(seq 1 "$ROUNDS"); do
	for lb in route ipvs lvs; do
		lab_check "round $r: $lb" round $lb
	done
done
for lb in route ipvs lvs; do
	lab_check "$N_TAB flows: $lb" table $lb
done
# IPVS again with 2^20 buckets: reload it once its namespaces are gone.
sleep 2
if rmmod ip_vs_rr ip_vs 2>/dev/null && modprobe ip_vs conn_tab_bits=20; then
	lab_check "$N_TAB flows: IPVS with 2^20 buckets" table ipvs ipvs20
else
	echo "# IPVS could not be reloaded with conn_tab_bits=20; row omitted"
fi

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'; }
val() { grep "^$1 " $RES | cut -d' ' -f2 | median; }
ratio() { [ -n "$1" ] && [ -n "$2" ] && echo "scale=2; $1 / $2" | bc | sed 's/^\./0./'; }

echo
echo "lvs vs IPVS, ns/packet (median of $ROUNDS rounds for est and new)"
printf '%-14s %10s %10s %10s %10s\n' phase route IPVS lvs lvs/IPVS
for ph in est new fill table; do
	b=$(val route.$ph) i=$(val ipvs.$ph) l=$(val lvs.$ph)
	printf '%-14s %10s %10s %10s %10s\n' "$ph" "${b:--}" "${i:--}" "${l:--}" "$(ratio "$l" "$i")"
done
for ph in fill table; do
	i=$(val ipvs20.$ph) l=$(val lvs.$ph)
	[ -n "$i" ] && printf '%-14s %10s %10s %10s %10s\n' "$ph (IPVS 2^20)" - "$i" "$l" "$(ratio "$l" "$i")"
done
echo "flows: est 1, new $N_NEW, table $N_TAB; lvs conn table $(cat /sys/module/lvs/parameters/conn_tab_bits 2>/dev/null || echo '?') bits"
lab_done
