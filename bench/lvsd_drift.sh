#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench/lvsd_drift.sh [N] [SECONDS]: N real servers (default 10000), one
# TCP_CHECK each every second, against a local listener, for SECONDS
# (default 30).  Everything runs in a private network namespace (unshare -n)
# whose only interface is lo: real servers are 127.1.x.y, so no packet can
# leave.  lvsd's own metrics give how late probes start against their due
# time (the schedule is anchored, so lag that stays flat means no drift);
# /proc gives its CPU time.  Prints one summary line per measurement window
# and the totals, and stops by itself.
set -eu
N=${1:-10000}
SECS=${2:-30}
TOP=$(cd "$(dirname "$0")/.." && pwd)
LVSD=$TOP/lvsd/lvsd
if [ "${LVSD_DRIFT_INNER:-}" != 1 ]; then
	[ -x "$LVSD" ] || make -s -C "$TOP/lvsd"
	exec env LVSD_DRIFT_INNER=1 unshare -n "$0" "$@"
fi
ip link set lo up
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
T=$(mktemp -d /tmp/lvsd-drift.XXXXXX)
trap 'kill $SINK $LV 2>/dev/null; wait 2>/dev/null; rm -rf "$T"' EXIT
cc -O2 -o "$T/sink" "$TOP/bench/lvsd_sink.c"
"$T/sink" 0.0.0.0 9000 $((SECS + 120)) & SINK=$!
{
	echo "global_defs {"
	echo "  lvsd_metrics_listen 127.0.0.1:9405"
	echo "}"
	echo "virtual_server 10.200.0.1 80 {"
	echo "  delay_loop 1"
	echo "  lb_algo wlc"
	echo "  lb_kind DR"
	echo "  protocol TCP"
	for ((i = 0; i < N; i++)); do
		echo "  real_server 127.1.$((i / 250)).$((i % 250 + 1)) 9000 {"
		echo "    TCP_CHECK {"
		echo "      connect_timeout 1"
		echo "    }"
		echo "  }"
	done
	echo "}"
} >"$T/lvsd.conf"
"$LVSD" -b dry -f "$T/lvsd.conf" -s "$T/ctl.sock" 2>"$T/lvsd.log" & LV=$!
sleep 0.5
metric() { awk -v m="$1" '$1 == m { print $2 }' "$T/m"; }
scrape() { curl -sS http://127.0.0.1:9405/metrics >"$T/m" || { echo "scrape failed"; tail -5 "$T/lvsd.log"; exit 1; }; }
cpu() { awk '{ print $14 + $15 }' /proc/$LV/stat; }
hz=$(getconf CLK_TCK)
sleep 4				# warmup spreads the first probes over 1 s
scrape
p0=$(metric lvsd_probes_total); s0=$(metric lvsd_probe_start_lag_seconds_sum)
c0=$(metric lvsd_probe_start_lag_seconds_count); cpu0=$(cpu); t0=$(awk "{ print \$1 }" /proc/uptime)
echo "lvsd_drift: $N TCP checks, delay_loop 1 s, ${SECS}s"
printf '%8s %12s %12s %12s %10s\n' window probes/s mean_lag_ms max_lag_ms cpu_%
win=5; maxall=0
for ((w = 0; w < SECS / win; w++)); do
	pa=$(metric lvsd_probes_total); sa=$(metric lvsd_probe_start_lag_seconds_sum)
	ca=$(metric lvsd_probe_start_lag_seconds_count); cpua=$(cpu); ta=$(awk "{ print \$1 }" /proc/uptime)
	sleep $win
	scrape
	pb=$(metric lvsd_probes_total); sb=$(metric lvsd_probe_start_lag_seconds_sum)
	cb=$(metric lvsd_probe_start_lag_seconds_count); cpub=$(cpu); tb=$(awk "{ print \$1 }" /proc/uptime)
	mx=$(metric lvsd_probe_start_lag_max_seconds)
	awk -v w=$w -v pa=$pa -v pb=$pb -v sa=$sa -v sb=$sb -v ca=$ca -v cb=$cb \
	    -v ua=$cpua -v ub=$cpub -v ta=$ta -v tb=$tb -v mx=$mx -v hz=$hz 'BEGIN {
		dt = tb - ta
		printf "%8d %12.0f %12.3f %12.3f %10.1f\n", w, (pb - pa) / dt,
		       (cb > ca ? (sb - sa) / (cb - ca) * 1000 : 0), mx * 1000,
		       (ub - ua) / hz / dt * 100 }'
	maxall=$(awk -v a=$maxall -v b=$mx 'BEGIN { print (b > a ? b : a) }')
done
p1=$(metric lvsd_probes_total); s1=$(metric lvsd_probe_start_lag_seconds_sum)
c1=$(metric lvsd_probe_start_lag_seconds_count); cpu1=$(cpu); t1=$(awk "{ print \$1 }" /proc/uptime)
failed=$("$LVSD" ctl -s "$T/ctl.sock" show json | jq '[.virtual_servers[0].real_servers[] | select(.healthy | not)] | length')
awk -v n=$N -v p0=$p0 -v p1=$p1 -v s0=$s0 -v s1=$s1 -v c0=$c0 -v c1=$c1 \
    -v u0=$cpu0 -v u1=$cpu1 -v t0=$t0 -v t1=$t1 -v mx=$maxall -v hz=$hz \
    -v f=$failed 'BEGIN {
	dt = t1 - t0; rate = (p1 - p0) / dt
	printf "total: %.0f probes/s (expected %d, ratio %.4f), mean lag %.3f ms, max lag %.3f ms, lvsd cpu %.1f%% of one core, %d real servers down\n",
	       rate, n, rate / n, (s1 - s0) / (c1 - c0) * 1000, mx * 1000,
	       (u1 - u0) / hz / dt * 100, f }'
