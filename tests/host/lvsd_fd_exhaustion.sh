#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
# Descriptor exhaustion: 1,200 idle connections to the metrics port of an
# lvsd held to 48 descriptors.  Healthy servers stay up (a probe that cannot
# get a socket is lvsd's shortage, retried, never the server's failure),
# the accept loop does not spin (lvsd's CPU time stays low), and the
# counters say what happened.  Also: lvsd raises its soft limit to the hard.
. "$(dirname "$0")/lib.sh"

MP=$(free_port)
PORTS=()
for i in 1 2 3 4 5; do
	p=$(free_port)
	PORTS+=("$p")
	bg socat TCP-LISTEN:$p,bind=127.0.0.1,reuseaddr,fork SYSTEM:true
done
{
	echo "global_defs { lvsd_metrics_listen 127.0.0.1:$MP }"
	echo "virtual_server 10.9.17.1 80 {"
	echo "  delay_loop 0.3"
	echo "  delay_before_retry 0.3"
	echo "  retry 0"
	echo "  protocol TCP"
	echo "  lb_algo rr"
	echo "  lb_kind NAT"
	for p in "${PORTS[@]}"; do
		echo "  real_server 127.0.0.1 $p { TCP_CHECK { connect_timeout 1 } }"
	done
	echo "}"
} >"$T/lvsd.conf"
bg bash -c "ulimit -Sn 24 && ulimit -Hn 48 && exec \"$LVSD\" -b dry -f \"$T/lvsd.conf\" -s \"$CTL\" 2>>\"$T/lvsd.log\""
LVSD_PID=$LAST_PID
wait_for 5 test -S "$CTL" || fail "lvsd did not start"
grep -q "^Max open files *48 *48" "/proc/$LVSD_PID/limits" ||
	fail "soft limit not raised: $(grep 'open files' /proc/$LVSD_PID/limits)"
ok "soft RLIMIT_NOFILE raised to the hard limit (48)"
for p in "${PORTS[@]}"; do
	wait_for 6 weight_is 10.9.17.1:80 127.0.0.1:$p 1 || fail "RS $p not in"
done
ok "5 real servers in"

cpu() { awk '{ print $14 + $15 }' "/proc/$LVSD_PID/stat"; }
python3 - "$MP" <<'PY' &
import resource, socket, sys, time
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
cs = []
for _ in range(1200):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", int(sys.argv[1])))
    except (BlockingIOError, OSError):
        pass
    cs.append(s)
time.sleep(60)
PY
FLOOD=$!
PIDS+=($FLOOD)
sleep 2
c0=$(cpu)
sleep 6
c1=$(cpu)
ticks=$((c1 - c0))
nfd=$(ls "/proc/$LVSD_PID/fd" | wc -l)
kill -0 "$LVSD_PID" || fail "lvsd died"
for p in "${PORTS[@]}"; do
	weight_is 10.9.17.1:80 127.0.0.1:$p 1 || fail "healthy RS $p taken out under fd exhaustion"
done
grep -q "is now down" "$T/lvsd.log" && fail "a check went down: $(grep 'now down' "$T/lvsd.log" | head -3)"
ok "1,200 idle metrics connections, lvsd holds $nfd descriptors (limit 48): every RS still in"
[ "$ticks" -lt 200 ] || fail "lvsd used $ticks ticks of CPU in 6 s: the loop spins"
ok "no spinning: $ticks CPU ticks in 6 s"
kill "$FLOOD"; wait "$FLOOD" 2>/dev/null
m=""
end=$(( $(ms_now) + 30000 ))
while [ "$(ms_now)" -lt $end ]; do
	m=$(curl -s -m 2 "http://127.0.0.1:$MP/metrics") && [ -n "$m" ] && break
	sleep 0.5
done
[ -n "$m" ] || fail "metrics never answered again"
echo "$m" | grep -E '^lvsd_(probe_local_errors_total|listener_local_errors_total|listener_full_total)' | sed 's/^/    /'
le=$(echo "$m" | awk '/^lvsd_listener_local_errors_total\{listener="metrics"\}/ { print $2 }')
[ "${le:-0}" -gt 0 ] || fail "metrics listener never paused on EMFILE"
pe=$(echo "$m" | awk '/^lvsd_probe_local_errors_total/ { print $2 }')
[ -n "$pe" ] || fail "no lvsd_probe_local_errors_total"
ok "metrics answer again; accept paused $le times, $pe probes retried for lvsd's own shortage"
