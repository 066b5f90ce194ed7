#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Connection sync (docs/sync.md): two directors, dA and dB, each a network
# namespace with its own lvs.ko state, in front of two real servers (NAT
# on :80, DR on :81).  A client keeps long-lived TCP streams through both
# services and opens short connections in a loop.  dA runs the master; dB
# starts its backup late and must receive the whole table.  Then dA dies
# (both links cut at once), dB takes the VIP and the servers' gateway
# address (ip addr plus a gratuitous ARP, as VRRP would): every stream
# must go on.  Prints the takeover gap, the connections lost and the
# sync counters.  Also: a sync datagram from a non-peer is dropped and
# counted, and ipvsadm's daemon formats; sync datagrams dropped on the
# way are seen as gaps and repaired by a new full table.
#
#   client 10.0.1.2 --+-- f0 dA 10.0.1.11   b0 10.0.2.2 --+-- rs1 10.0.2.11
#                     +-- f0 dB 10.0.1.12   b0 10.0.2.3 --+-- rs2 10.0.2.12
#   (bridges in netns sw; VIP 10.0.1.100 and gateway 10.0.2.254 on the
#    active director; sync over b0, multicast 224.0.0.81:8848, syncid 7)
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/sync-lib.sh"

modprobe lvs || lab_skip "lvs.ko does not load"
lab_check "topology" sync_topo dA dB
lab_check "services on dA" services dA
lab_check "services on dB" services dB
lab_check "dA active" activate dA
# dB's ingress classifier, before any traffic.  The kernel turns tc's
# ingress hook and its software classifier on and off by patching its
# own text (static keys ingress_needed_key and tcf_sw_enabled_key: the
# first clsact qdisc, the first filter of a block).  Under QEMU's TCG a
# vCPU running that code while it is patched can loop forever on the
# int3 the patching plants: twice the guest locked up at the step that
# removed the qdisc, and diag/static-key-toggle.sh does it without
# lvs.ko (tests/lab/README.md).  So the qdisc and a filter matching
# nothing stay from here to the end, and the lossy step adds and
# removes only a filter of its own: no code is patched while packets
# flow.
lab_check "dB: a clsact qdisc" \
	ip netns exec dB tc qdisc add dev b0 clsact
lab_check "dB: an idle filter keeps the classifier on" \
	ip netns exec dB tc filter add dev b0 ingress pref 100 protocol ip \
	flower ip_proto udp dst_port 9 action pass
sync_servers

# Refusals with the module's reasons.
refused() {	# TEXT NS ARGS...: vsadm fails, saying TEXT
	local out
	out=$(vs "${@:2}" 2>&1) && return 1
	grep -q "$1" <<<"$out"
}
lab_check "start-daemon on a missing interface: said so" \
	refused "no such interface" dA --start-daemon master \
	--mcast-interface nosuch0
lab_check "master on dA" vs dA --start-daemon master --mcast-interface b0 \
	--syncid 7
lab_check_fail "a second master is refused" \
	vs dA --start-daemon master --mcast-interface b0
lab_check_eq "--list-daemon: ipvsadm's line" \
	"master sync daemon (mcast=b0, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)" \
	vs dA -L --daemon

start_bg client "$OUT.c" python3 "$TOOL" traffic "$OUT" \
	long:$VIP:80:4 long:$VIP:81:4 short:$VIP:80
lab_check "client traffic running" [ $? -eq 0 ]
lab_check "8 streams established on dA" wait_for 60 ge "established dA" 8

# The backup starts late: it must ask for and get the whole table.
lab_check "backup on dB, late" vs dB --start-daemon backup \
	--mcast-interface b0 --syncid 7
lab_check "dB received the whole table" wait_for 30 ge "counter dB resyncs" 1
lab_check "dB has the 8 streams" wait_for 30 ge "established dB" 8
echo "# dA: $(vs dA -L -n | tr -s ' ' | tr '\n' '|')"
echo "# dB: $(vs dB -L -n | tr -s ' ' | tr '\n' '|')"
active_ok() {	# ActiveConn of dB's servers: at least the 8 streams
	[ "$(vs dB -L -n | awk '$1 == "->" && $2 ~ /^10/ { s += $5 } END { print s + 0 }')" -ge 8 ]
}
lab_check "dB's servers count the streams as active" active_ok

# Lost datagrams: dB's ingress drops every third sync datagram while the
# short connections go on; dB sees the gaps in the master's sequence,
# asks for the table again, and ends up with every entry dA has in a
# final state (TIME_WAIT, CLOSE: no later update would repair them).
lossy() {	# on|off: a filter ahead of the idle one (above)
	if [ "$1" = on ]; then
		ip netns exec dB tc filter add dev b0 ingress pref 10 \
			protocol ip flower ip_proto udp dst_port 8848 \
			action gact pass random determ drop 3
	else
		ip netns exec dB tc filter del dev b0 ingress pref 10
	fi
}
final() {	# NS: "client state" of its entries in TIME_WAIT or CLOSE
	vs "$1" -L -n -c | awk '$3 == "TIME_WAIT" || $3 == "CLOSE" { print $4, $3 }' |
		sort
}
converged() {	# dA's final entries are all on dB, in the same state
	local a b
	a=$(final dA)
	b=$(final dB)
	[ -n "$a" ] && [ -z "$(comm -23 <(echo "$a") <(echo "$b"))" ]
}
sent0=$(counter dA sent_conns)
lab_check "drop every third sync datagram on dB" lossy on
lab_check "dB counts gaps" wait_for 60 ge "counter dB gaps" 3
lab_check "dA sent entries meanwhile" \
	wait_for 60 ge "counter dA sent_conns" $((sent0 + 60))
gaps=$(counter dB gaps)
tables=$(counter dA resyncs)
lab_check "sync datagrams pass again" lossy off
lab_check "dB asked for the table again" \
	wait_for 30 ge "counter dA resyncs" $((tables + 1))
lab_check "dB has every final entry of dA" wait_for 60 converged
echo "# gaps: $gaps datagrams missed, dA sent $(counter dA resyncs) tables"

# A sync datagram from a non-peer (rs1, wrong syncid) and garbage.
lab_in rs1 python3 "$TOOL" rogue 224.0.0.81 8848 syncid
lab_in rs1 python3 "$TOOL" rogue 224.0.0.81 8848 garbage
lab_check "non-peer datagram dropped and counted" \
	wait_for 10 ge "counter dB dropped" 1
lab_check "malformed datagram counted" wait_for 10 ge "counter dB bad" 1

# The takeover, made ready in one process: dA's two links cut at once
# (their switch ports down), then dB's VIP and gateway with gratuitous ARP.
start_bg - "$OUT.t" python3 "$TOOL" takeover "$OUT.took" \
	down:sw:pfa down:sw:pba addr:dB:f0:$VIP:255.255.255.255 \
	addr:dB:b0:$GW:255.255.255.0 garp:dB:f0:$VIP garp:dB:b0:$GW
lab_check "takeover ready" [ $? -eq 0 ]
traffic=${pids[-2]}
sleep 3
sent=$(counter dA sent_conns)
lostq=$(counter dA lost)

# dA dies; dB takes over.
kill -USR1 "${pids[-1]}"
lab_check "dB took the VIP and gateway" wait_for 30 test -s "$OUT.took"
ip -n dA link del f0
ip -n dA link del b0
new_on_dB() {	# connections dB scheduled itself: after the takeover
	local l rc
	l=$(vs dB -L -n --stats 2>&1)
	rc=$?
	# shown when the check fails (lab_check prints the output)
	echo "vsadm rc=$rc"
	echo "$l"
	[ "$(awk '$1 == "->" { s += $3 } END { print s + 0 }' <<<"$l")" -gt 0 ]
}
# The client's short connections reach dB once their SYN's retransmission
# backoff (1, 2, 4, 8 s) lets one through: on a loaded emulated guest a
# short connection paused 7.3 s after a takeover (that fixed wait of 8 s
# once saw no connection scheduled by dB).  Wait for one, generously.
sleep 8
wait_for 60 new_on_dB
lab_check "short connections after the takeover" new_on_dB
kill -TERM "$traffic"
wait "$traffic"
recv=$(counter dB recv_conns)
echo "# traffic: $(tr '\n' '|' <"$OUT")"
[ -s "$OUT.err" ] && sed 's/^/# stderr: /' "$OUT.err" | tail -5
echo "# takeover (links cut, VIP and GARP on dB): $(cat "$OUT.took") ms"
echo "# sync: master sent $sent entries (lost $lostq), backup installed $recv"
lab_check_eq "no stream lost" 0 awk '/^streams/ { print $4 }' "$OUT"
lab_check "the streams went on after the takeover" \
	awk '/^streams/ { exit !($2 == 8) }' "$OUT"

lab_check "the dead master's namespace goes" ip netns del dA
lab_check "stop the backup" vs dB --stop-daemon backup
lab_check_eq "no daemon left" "" vs dB -L --daemon
lab_check_fail "stopping it again is refused" vs dB --stop-daemon backup

# dB goes with a daemon running: its namespace's exit stops it.  Every
# namespace gone, nothing may hold the modules any more (each netns exit
# is slow in the emulated guest: wait for it).
vs dB --start-daemon master --mcast-interface b0 --syncid 7
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
wait 2>/dev/null
pids=()
for p in client dA dB rs1 rs2 sw; do ip netns del $p 2>/dev/null; done
t0=$EPOCHREALTIME
lab_check "namespaces gone: the modules are free" \
	wait_for 120 grep -qx 0 /sys/module/lvs_rr/refcnt
echo "# netns exits took $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms"
[ "$(cat /sys/module/lvs_rr/refcnt)" = 0 ] || cat /proc/*/stack 2>/dev/null | grep -A3 -B3 lvs | head -40
lab_done
