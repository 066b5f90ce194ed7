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

VIP=10.0.1.100
GW=10.0.2.254
TOOL=$LAB_DIR/tests/lab/tools/sync_tool.py
OUT=/tmp/sync-traffic.$$
pids=()

cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	for p in client dA dB rs1 rs2 sw; do ip netns del $p 2>/dev/null; done
	rm -f "$OUT" "$OUT".*
}
trap cleanup EXIT

vs() { ip netns exec "$1" "$LAB_VSADM" "${@:2}"; }

topo() {
	local ns
	ip -batch - <<-EOF || return 1
		netns add sw
		netns add client
		netns add dA
		netns add dB
		netns add rs1
		netns add rs2
		link add c0 netns client type veth peer name pc netns sw
		link add f0 netns dA type veth peer name pfa netns sw
		link add b0 netns dA type veth peer name pba netns sw
		link add f0 netns dB type veth peer name pfb netns sw
		link add b0 netns dB type veth peer name pbb netns sw
		link add e0 netns rs1 type veth peer name pr1 netns sw
		link add e0 netns rs2 type veth peer name pr2 netns sw
	EOF
	ip -n sw -batch - <<-EOF || return 1
		link add front type bridge stp_state 0 forward_delay 0
		link add back type bridge stp_state 0 forward_delay 0
		link set front up
		link set back up
		link set pc master front up
		link set pfa master front up
		link set pfb master front up
		link set pba master back up
		link set pbb master back up
		link set pr1 master back up
		link set pr2 master back up
	EOF
	ip -n client -batch - <<-EOF || return 1
		link set lo up
		addr add 10.0.1.2/24 dev c0
		link set c0 up
	EOF
	for ns in dA dB; do
		lab_in $ns sysctl -qw net.ipv4.ip_forward=1 \
			net.ipv4.conf.all.accept_local=1 || return 1
		ip -n $ns -batch - <<-EOF || return 1
			link set lo up
			addr add 10.0.1.$([ $ns = dA ] && echo 11 || echo 12)/24 dev f0
			addr add 10.0.2.$([ $ns = dA ] && echo 2 || echo 3)/24 dev b0
			link set f0 up
			link set b0 up
		EOF
		lab_in $ns sysctl -qw net.ipv4.conf.b0.accept_local=1 || return 1
	done
	for ns in rs1 rs2; do
		lab_in $ns sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
			net.ipv4.conf.all.arp_announce=2 || return 1
		ip -n $ns -batch - <<-EOF || return 1
			link set lo up
			addr add 10.0.2.1${ns#rs}/24 dev e0
			addr add $VIP/32 dev lo
			link set e0 up
			route add default via $GW
		EOF
	done
}

# The same services on both directors (one process: each start is slow
# in the emulated guest).
services() {
	vs "$1" -R <<-EOF
		-A -t $VIP:80 -s rr
		-a -t $VIP:80 -r 10.0.2.11:8080 -m
		-a -t $VIP:80 -r 10.0.2.12:8080 -m
		-A -t $VIP:81 -s rr
		-a -t $VIP:81 -r 10.0.2.11:81 -g
		-a -t $VIP:81 -r 10.0.2.12:81 -g
	EOF
}

# Make NS the active director: the VIP, the servers' gateway, and
# gratuitous ARP for both.
activate() {
	local ns=$1
	ip -n "$ns" -batch - <<-EOF || return 1
		addr add $VIP/32 dev f0
		addr add $GW/24 dev b0
	EOF
	lab_in "$ns" python3 "$TOOL" garp f0 $VIP &&
	lab_in "$ns" python3 "$TOOL" garp b0 $GW
}

# Established entries in NS's table (not templates).
established() {
	vs "$1" -L -n -c | grep -c ESTABLISHED
}

# One counter of NS's daemon (JSON: [{...}]).
counter() {
	vs "$1" -L --daemon --json |
		python3 -c 'import json,sys; d=json.load(sys.stdin); print(d[0][sys.argv[1]])' "$2"
}

wait_for() {	# SECONDS CMD...: until CMD succeeds
	local n=$(( $1 * 5 ))
	shift
	while [ $n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
		n=$((n - 1))
	done
	return 1
}

ge() { [ "$(eval "$1")" -ge "$2" ]; }

# Not under lab_check: its command substitution would wait for the
# background process's end.
start_bg() {	# NS FIFO CMD...: run in NS (- for this one), wait for "ready"
	local ns=$1 fifo=$2 ready
	shift 2
	mkfifo "$fifo"
	if [ "$ns" = - ]; then
		"$@" >"$fifo" 2>>"$OUT.err" &
	else
		ip netns exec "$ns" "$@" >"$fifo" 2>>"$OUT.err" &
	fi
	pids+=($!)
	read -r -t 60 ready <"$fifo"
	rm -f "$fifo"
	[ "$ready" = ready ]
}

modprobe lvs || lab_skip "lvs.ko does not load"
lab_check "topology" topo
lab_check "services on dA" services dA
lab_check "services on dB" services dB
lab_check "dA active" activate dA
for i in 1 2; do
	start_bg rs$i "$OUT.rs$i" python3 "$TOOL" serve 8080 81
	lab_check "echo server on rs$i" [ $? -eq 0 ]
done

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
lossy() {	# on|off
	if [ "$1" = on ]; then
		ip netns exec dB tc qdisc add dev b0 clsact &&
		ip netns exec dB tc filter add dev b0 ingress protocol ip \
			flower ip_proto udp dst_port 8848 \
			action gact pass random determ drop 3
	else
		ip netns exec dB tc qdisc del dev b0 clsact
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
sleep 8
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
new_on_dB() {	# connections dB scheduled itself: after the takeover
	local l rc
	l=$(vs dB -L -n --stats 2>&1)
	rc=$?
	# shown when the check fails (lab_check prints the output)
	echo "vsadm rc=$rc"
	echo "$l"
	[ "$(awk '$1 == "->" { s += $3 } END { print s + 0 }' <<<"$l")" -gt 0 ]
}
lab_check "short connections after the takeover" new_on_dB

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
