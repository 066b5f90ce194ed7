#!/bin/bash
# lab-timeout: 900
# Lifetimes under load: new connections on both CPUs (spoofed-source SYNs
# from hping3, TCP and UDP clients) while real servers and services are
# deleted and added again in a tight loop, with expire_nodest_conn on and
# off (dests going to the trash and coming back) and schedulers switched;
# then flush and unload under that load, and namespaces with entries made
# and destroyed under traffic.  Passes when nothing breaks and the kernel
# says nothing: the runner fails the run on any WARN, BUG, refcount or list
# corruption.  At the end, with traffic stopped and every entry expired,
# the one real server never deleted must count no connection: a count
# moved twice, or never undone, shows here.  Port 82 has 40 real servers
# under wlc: above 32 the least-load schedulers keep a heap fed by
# lock-free load updates (schedulers/lvs_lload.h), and the churn deletes
# and adds servers while connections come and go.  On a slower kernel
# (LAB_SLOW, lib.sh) the SYN rates, the rounds of churn and the clients'
# restarts (a python3 start costs seconds there) are divided by its
# factor: the same work, every CPU still busy with new connections.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

command -v hping3 >/dev/null || lab_skip "hping3 not installed"
kmod_setup 3
for i in 1 2 3; do lab_rs_dr $i; kmod_serve $i 80 81 82; done
RS1=$(lab_rs_addr 1) RS2=$(lab_rs_addr 2) RS3=$(lab_rs_addr 3)
# 40 more addresses, 10.0.2.100..139, in rs1..rs3 in turn.
BIG=$(seq 100 139)
for i in 1 2 3; do
	for a in $BIG; do
		[ $((a % 3 + 1)) = $i ] && echo "addr add 10.0.2.$a/24 dev e0"
	done | ip -n rs$i -batch -
done

pids=()
stop_load() {
	local p
	# A bare "wait" would wait for the responders too.
	[ ${#pids[@]} -gt 0 ] || return 0
	for p in "${pids[@]}"; do
		pkill -P "$p" 2>/dev/null
		kill "$p" 2>/dev/null
	done
	wait "${pids[@]}" 2>/dev/null
	pids=()
}
trap stop_load EXIT

conf() {
	lvs_batch <<-EOF
		svc add -t $VIP4:80 -s wlc
		rs add -t $VIP4:80 -r $RS1:80 -m
		rs add -t $VIP4:80 -r $RS2:80 -m
		svc add -u $VIP4:80 -s lc
		rs add -u $VIP4:80 -r $RS1:80 -m
		rs add -u $VIP4:80 -r $RS2:80 -g
		svc add -t $VIP4:81 -s rr -p 5
		rs add -t $VIP4:81 -r $RS3:81 -m
		svc add -t $VIP4:82 -s wlc
		$(for a in $BIG; do
			echo "rs add -t $VIP4:82 -r 10.0.2.$a:82 -m -w $((a % 4 + 1))"
		done)
	EOF
}
short_timeouts() {
	local s
	echo "config --tcp 2 --tcpfin 2 --udp 2"
	for s in NONE SYN_SENT SYN_RECV TIME_WAIT CLOSE CLOSE_WAIT LAST_ACK; do
		echo "config --state $s=2"
	done
}
lab_check "short timeouts" sh -c "$(declare -f short_timeouts);
	short_timeouts | ip netns exec director python3 $LVSNL batch"
lab_check "configure" conf
lab_check_eq "traffic flows" "rs1 1
rs2 1" kmod_count tcp $VIP4 80 2
lab_check "the 40-server service answers" \
	kmod_has "^rs[123]\$" kmod_client tcp $VIP4 82 3

# New connections on every CPU: spoofed SYNs at both TCP services, real
# TCP and UDP clients.
load() {
	local c s=$LAB_SLOW
	for c in 0 1; do
		ip netns exec client taskset -c $c hping3 -q -S -p 80 \
			--rand-source -i u$((1000 * s)) $VIP4 >/dev/null 2>&1 &
		pids+=($!)
	done
	ip netns exec client hping3 -q -S -p 81 --rand-source \
		-i u$((5000 * s)) $VIP4 >/dev/null 2>&1 &
	pids+=($!)
	ip netns exec client hping3 -q -S -p 82 --rand-source \
		-i u$((2000 * s)) $VIP4 >/dev/null 2>&1 &
	pids+=($!)
	ip netns exec client bash -c "while :; do python3 $KTOOLS/client.py \
		tcp $VIP4 82 $((20 * s)) --timeout 1; done" >/dev/null 2>&1 &
	pids+=($!)
	ip netns exec client bash -c "while :; do python3 $KTOOLS/client.py \
		tcp $VIP4 80 $((20 * s)) --timeout 1; done" >/dev/null 2>&1 &
	pids+=($!)
	ip netns exec client bash -c "while :; do python3 $KTOOLS/client.py \
		udp $VIP4 80 $((20 * s)) --timeout 1; done" >/dev/null 2>&1 &
	pids+=($!)
}
load

# Churn: each round deletes and adds again real servers and a whole
# service, switches a scheduler and expire_nodest_conn.
churn() {
	local r nodest
	for r in $(seq 1 "$1"); do
		nodest=$((r % 2))
		cat <<-EOF
			mark churn round $r of $1
			config --expire-nodest-conn $nodest
			rs del -t $VIP4:80 -r $RS2:80
			rs del -u $VIP4:80 -r $RS2:80
			rs add -t $VIP4:80 -r $RS3:80 -m
			rs add -t $VIP4:80 -r $RS2:80 -m
			rs add -u $VIP4:80 -r $RS2:80 -g
			rs del -t $VIP4:80 -r $RS3:80
			svc del -t $VIP4:81
			svc add -t $VIP4:81 -s rr -p 5
			rs add -t $VIP4:81 -r $RS3:81 -m
			mark churn round $r: scheduler change
			svc edit -t $VIP4:80 -s $([ $nodest = 1 ] && echo lc || echo wlc)
			mark churn round $r: scheduler changed
			rs edit -t $VIP4:80 -r $RS2:80 -w $((r % 3))
			rs del -t $VIP4:82 -r 10.0.2.$((100 + r % 40)):82
			rs del -t $VIP4:82 -r 10.0.2.$((100 + (r + 7) % 40)):82
			rs add -t $VIP4:82 -r 10.0.2.$((100 + r % 40)):82 -m
			rs add -t $VIP4:82 -r 10.0.2.$((100 + (r + 7) % 40)):82 -m -w 3
			rs edit -t $VIP4:82 -r 10.0.2.$((100 + (r + 13) % 40)):82 -w $((r % 4))
		EOF
	done
	echo "mark churn done"
}
churn_run() {
	churn "$1" | ip netns exec director python3 "$LVSNL" batch -k
}
# On a slow kernel, what the churn waits on and how the load grows, in
# the kernel log every 20 s (the console timestamps it): a round that
# takes minutes shows its stack there, without a sysrq dump (whose Call
# Trace the runner would take for a kernel complaint).
sample() {
	local p
	while sleep 20; do
		{
			echo "sample: load $(cut -d' ' -f1-4 /proc/loadavg)" \
				"lvs_conn $(awk '$1 == "lvs_conn" { print $2 }' \
					/proc/slabinfo)" \
				"$(grep MemAvailable /proc/meminfo | tr -s ' ')"
			for p in $(pgrep -f "$LVSNL batch"); do
				echo "sample: lvsnl $p $(cat /proc/$p/wchan)"
				sed "s/^/sample: lvsnl $p /" /proc/$p/stack
			done
		} 2>/dev/null | while read -r l; do echo "$l" > /dev/kmsg; done
	done
}
if [ "$LAB_SLOW" -gt 1 ]; then
	sample &
	pids+=($!)
fi
lab_check "churn under load" churn_run $((40 / LAB_SLOW > 8 ? 40 / LAB_SLOW : 8))
lab_check "table in use" sh -c "[ \$(ip netns exec director python3 \
	$LVSNL info | grep conn_count= | cut -d= -f2) -gt 0 ]"

# Counts: stop, let everything expire (every timeout is 2 s, templates
# 5 s), and rs1 (never deleted) is idle.
stop_load

drained() {
	local t
	for t in $(seq 1 $((90 * LAB_SLOW))); do
		[ "$(kmod_info_line conn_count)" = conn_count=0 ] && return 0
		sleep 1
	done
	kmod_info_line conn_count
	return 1
}
lab_check "every entry expires" drained
lab_check_eq "rs1 counts nothing (TCP)" "0 0" sh -c "
	echo \$(ip netns exec director python3 $LVSNL stat -t $VIP4:80 \
		-r $RS1:80 activeconns) \$(ip netns exec director python3 \
		$LVSNL stat -t $VIP4:80 -r $RS1:80 inactconns)"
lab_check_eq "rs1 counts nothing (UDP)" "0 0" sh -c "
	echo \$(ip netns exec director python3 $LVSNL stat -u $VIP4:80 \
		-r $RS1:80 activeconns) \$(ip netns exec director python3 \
		$LVSNL stat -u $VIP4:80 -r $RS1:80 inactconns)"

# Flush and unload under load.
load
sleep 3
lab_check "flush under load" lvs flush
lab_check "reconfigure under load" conf
sleep 2
lab_check "flush again" lvs flush
lab_check "unload under load" modprobe -r lvs_rr lvs_wlc lvs_lc lvs
lab_check "reload" modprobe lvs
lab_check "configure after reload" conf
sleep 2

# Namespaces with entries, made and destroyed while traffic flows here.
nsloop() {
	local i
	for i in $(seq 1 "$1"); do
		ip netns add lvstmp$i || return 1
		ip -n lvstmp$i link set lo up
		ip -n lvstmp$i addr add 10.9.9.9/32 dev lo
		ip netns exec lvstmp$i python3 "$LVSNL" batch <<-EOF || return 1
			svc add -t 10.9.9.9:80 -s rr
			rs add -t 10.9.9.9:80 -r 10.9.9.10:80 -m
			svc add -u 10.9.9.9:80 -s wlc
			rs add -u 10.9.9.9:80 -r 10.9.9.10:80 -m
		EOF
		ip netns exec lvstmp$i hping3 -q -S -p 80 -c 50 \
			-i u$((1000 * LAB_SLOW)) \
			--rand-source 10.9.9.9 >/dev/null 2>&1
		ip netns del lvstmp$i || return 1
	done
}
lab_check "namespaces made and destroyed under traffic" nsloop 3
lab_check "delete the director namespace under load" ip netns del director
stop_load
lab_done
