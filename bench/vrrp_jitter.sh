#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench/vrrp_jitter.sh [N] [ADVERT_INT]: how regular lvsd's VRRP adverts
# stay while the same loop runs N TCP checks a second (default 10000) and
# applies a reload that changes every one of those real servers.  A late
# advert is a false failover: a backup takes over after 3 intervals + skew.
#
# In a private network namespace (unshare -n): lvsd masters a VRRP v3
# instance (ADVERT_INT, default 0.1 s) on one end of a veth pair; tcpdump
# takes kernel timestamps of the adverts on the other end; the checks go to
# a local listener on 127.1.x.y.  Prints the gaps between adverts (mean,
# median, 99th percentile, max) for three phases: VRRP alone, with the checks, and
# across a reload, and how many gaps exceeded the master-down interval.
set -eu
N=${1:-10000}
INT=${2:-0.1}
TOP=$(cd "$(dirname "$0")/.." && pwd)
LVSD=${LVSD:-$TOP/lvsd/lvsd}	# LVSD=path: another build, to compare
if [ "${VRRP_JITTER_INNER:-}" != 1 ]; then
	[ -x "$LVSD" ] || make -s -C "$TOP/lvsd"
	exec env VRRP_JITTER_INNER=1 unshare -n "$0" "$@"
fi
command -v tcpdump >/dev/null || { echo "vrrp_jitter: needs tcpdump"; exit 1; }
ip link set lo up
ip link add va type veth peer name vb
ip addr add 10.77.0.1/24 dev va
ip link set va up
ip link set vb up
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
T=$(mktemp -d /tmp/vrrp-jitter.XXXXXX)
SINK= LV= DUMP=
trap 'kill $DUMP $SINK $LV 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
cc -O2 -o "$T/sink" "$TOP/bench/lvsd_sink.c"
"$T/sink" 0.0.0.0 9000 600 & SINK=$!

conf() {	# WEIGHT CHECKS
	echo "vrrp_instance VJ {"
	echo "  interface va"
	echo "  virtual_router_id 77"
	echo "  priority 255"
	echo "  version 3"
	echo "  advert_int $INT"
	echo "  virtual_ipaddress {"
	echo "    10.77.0.100/24"
	echo "  }"
	echo "}"
	[ "$2" = 0 ] && return
	echo "virtual_server 10.200.0.1 80 {"
	echo "  delay_loop 1"
	echo "  lb_algo wlc"
	echo "  lb_kind DR"
	echo "  protocol TCP"
	for ((i = 0; i < $2; i++)); do
		echo "  real_server 127.1.$((i / 250)).$((i % 250 + 1)) 9000 {"
		echo "    weight $1"
		echo "    TCP_CHECK {"
		echo "      connect_timeout 1"
		echo "    }"
		echo "  }"
	done
	echo "}"
}

# phase NAME SECONDS: the gaps between adverts seen during it.
phase() {
	local name=$1 secs=$2
	: >"$T/ts"
	tcpdump -i vb -n -tt -l --immediate-mode proto 112 2>/dev/null |
		awk '{ print $1; fflush() }' >"$T/ts" & DUMP=$!
	sleep "$secs"
	kill $DUMP 2>/dev/null; wait $DUMP 2>/dev/null || true
	awk 'NR > 1 { printf "%.3f\n", ($1 - prev) * 1000 } { prev = $1 }' \
		"$T/ts" | sort -n >"$T/gaps"
	awk -v name="$name" -v ivl="$INT" '{ g[NR] = $1; s += $1 }
		$1 > 3 * ivl * 1000 { late++ }
		END {
			if (NR == 0) { printf "%-22s no adverts seen\n", name; exit }
			p = int(NR * 0.99); if (p < 1) p = 1
			m = int(NR * 0.5); if (m < 1) m = 1
			printf "%-22s %6d adverts  gap mean %7.2f ms  p50 %7.2f ms  p99 %7.2f ms  max %7.2f ms  over master-down: %d\n",
			       name, NR + 1, s / NR, g[m], g[p], g[NR], late + 0 }' "$T/gaps"
}

conf 1 0 >"$T/lvsd.conf"
"$LVSD" -b dry -f "$T/lvsd.conf" -s "$T/ctl.sock" 2>"$T/lvsd.log" & LV=$!
sleep 2
echo "vrrp_jitter: VRRP v3, advert_int ${INT}s, $N TCP checks a second"
phase "VRRP alone" 10
conf 1 "$N" >"$T/lvsd.conf"
kill -HUP $LV
sleep 6				# the reload and the checks' warm-up
phase "with $N checks/s" 15
conf 2 "$N" >"$T/lvsd.conf"
( sleep 2; kill -HUP $LV ) &
phase "across a reload" 10
grep -c "Entering" "$T/lvsd.log" | sed 's/^/state changes logged: /'
