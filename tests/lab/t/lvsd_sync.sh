#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Director failover with the product (issue 14): lvsd on every director,
# VRRP v3 at 0.2 s carrying the VIP and the servers' gateway, the
# connection sync daemon following the instance (`lvs_sync_daemon`), the
# services (NAT :80, DR :81) from lvsd's configuration into each
# director's own lvs.ko state, the sync channel over IPv6 multicast.
# The topology is sync.sh's (sync-lib.sh).
#
# dA (priority 150) is master, dB (100) backup; a client keeps 8 streams
# (4 NAT, 4 DR) and a loop of short connections.  Round 1: dA dies, its
# links and processes at once; dB takes over.  Then a fresh director dC
# (50, a new namespace, started late) must receive the whole table from
# dB; round 2: dB dies the same way, dC takes over.  Every stream must go
# on both times.  Prints per round the takeover time (the kill to the
# "Entering MASTER STATE" line of the new master's lvsd), the streams
# lost, the short connections failed and the longest pauses.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/sync-lib.sh"

[ -x "$LAB_LVSD" ] || lab_skip "lvsd not built"
modprobe lvs || lab_skip "lvs.ko does not load"

# The sync channel is IPv6 here (sync.sh's is IPv4).
GROUP6=ff02::8848

conf() {	# NS PRIORITY
	cat <<-EOF
		global_defs {
		  router_id $1
		  lvs_sync_daemon b0 VI_1 id 7 group $GROUP6
		}
		vrrp_instance VI_1 {
		  state BACKUP
		  interface f0
		  virtual_router_id 51
		  priority $2
		  advert_int 0.2
		  version 3
		  garp_master_delay 1
		  virtual_ipaddress {
		    $VIP/32 dev f0
		    $GW/24 dev b0
		  }
		}
	EOF
	for port in 80:8080:NAT 81:81:DR; do
		IFS=: read -r vport rport kind <<<"$port"
		cat <<-EOF
			virtual_server $VIP $vport {
			  lb_algo rr
			  lb_kind $kind
			  protocol TCP
			  real_server 10.0.2.11 $rport {
			  }
			  real_server 10.0.2.12 $rport {
			  }
			}
		EOF
	done
}

lvsd_start() {	# NS PRIORITY
	conf "$1" "$2" >"$OUT.$1.conf"
	ip netns exec "$1" "$LAB_LVSD" -f "$OUT.$1.conf" -s "$OUT.$1.sock" \
		2>"$OUT.$1.log" &
	pids+=($!)
	disown	# SIGKILLed on purpose: no "Killed" notice
}

state_is() {	# NS STATE: the last state NS's lvsd entered
	[ "$(grep -o 'Entering [A-Z]* STATE' "$OUT.$1.log" | tail -1)" = \
		"Entering $2 STATE" ]
}

daemon_is() {	# NS master|backup: NS runs that sync daemon (only)
	local l
	l=$(vs "$1" -L --daemon) || return 1
	[ "$(wc -l <<<"$l")" = 1 ] && grep -q "^$2 sync daemon" <<<"$l"
}

# Milliseconds from the kill (the takeover tool's OUT.at) to NS's first
# "Entering MASTER STATE" after it.
took_ms() {	# NS AT
	local t
	t=$(grep 'Entering MASTER STATE' "$OUT.$1.log" | tail -1 | cut -c1-23)
	echo $(( $(date -d "$t" +%s%3N) - ${2/./} ))
}

snap() {	# the traffic's figures since the last snap
	local n
	n=0
	[ -e "$OUT.snap" ] && n=$(wc -l <"$OUT.snap")
	kill -USR1 "$traffic"
	wait_for 20 ge "wc -l <'$OUT.snap'" $((n + 1))
	tail -1 "$OUT.snap"
}

field() { awk -v k="$1" '{ for (i = 1; i < NF; i++) if ($i == k) print $(i + 1) }'; }

# The services lvsd put in NS's kernel state.
services_in() { [ "$(vs "$1" -L -n | grep -c -- '->.*10\.0\.2\.1[12]')" = 4 ]; }

# ROUND NEW: kill OLD's namespace (links, processes), NEW takes over.
takeover() {
	local round=$1 old=$2 new=$3 x at s0 s1
	x=$(tr 'A-Z' 'a-z' <<<"${old#d}")
	start_bg - "$OUT.t$round" python3 "$TOOL" takeover "$OUT.took$round" \
		down:sw:pf$x down:sw:pb$x killns:$old
	lab_check "round $round: takeover ready" [ $? -eq 0 ]
	s0=$(snap)
	kill -USR1 "${pids[-1]}"
	lab_check "round $round: $old killed" wait_for 30 test -s "$OUT.took$round.at"
	at=$(cat "$OUT.took$round.at")
	lab_check "round $round: $new becomes master" \
		wait_for 30 state_is "$new" MASTER
	lab_check "round $round: $new holds the VIP" \
		wait_for 10 sh -c "ip -n $new -4 addr show f0 | grep -q '$VIP/'"
	lab_check "round $round: $new runs the master sync daemon" \
		wait_for 30 daemon_is "$new" master
	# TCP's retransmissions bring the streams back: give them time.
	sleep 10
	s1=$(snap)
	echo "# round $round: takeover ($old killed -> $new MASTER) $(took_ms "$new" "$at") ms"
	echo "# round $round: streams lost $(( $(field lost <<<"$s1") - $(field lost <<<"$s0") )), short connections failed $(( $(field short_fail <<<"$s1") - $(field short_fail <<<"$s0") )), ok $(( $(field short_ok <<<"$s1") - $(field short_ok <<<"$s0") )); longest pause: stream $(field stream_gap_ms <<<"$s1") ms, short $(field short_gap_ms <<<"$s1") ms"
	lab_check "round $round: no stream lost" \
		[ "$(field lost <<<"$s1")" = "$(field lost <<<"$s0")" ]
	lab_check "round $round: short connections go on through $new" \
		[ "$(field short_ok <<<"$s1")" -gt "$(field short_ok <<<"$s0")" ]
}

lab_check "topology" sync_topo dA dB
sync_servers

lvsd_start dA 150
lab_check "dA: lvsd becomes master" wait_for 60 state_is dA MASTER
lvsd_start dB 100
lab_check "dB: lvsd becomes backup" wait_for 60 state_is dB BACKUP
lab_check "dA: services from lvsd" wait_for 30 services_in dA
lab_check "dB: services from lvsd" wait_for 30 services_in dB
lab_check "dA runs the master sync daemon" wait_for 30 daemon_is dA master
lab_check "dB runs the backup sync daemon" wait_for 30 daemon_is dB backup
lab_check_eq "dA: the IPv6 channel as ipvsadm shows it" \
	"master sync daemon (mcast=b0, syncid=7, maxlen=1452, group=$GROUP6, port=8848, ttl=1)" \
	vs dA -L --daemon

start_bg client "$OUT.c" python3 "$TOOL" traffic "$OUT" \
	long:$VIP:80:4 long:$VIP:81:4 short:$VIP:80
lab_check "client traffic running" [ $? -eq 0 ]
traffic=${pids[-1]}
lab_check "8 streams established on dA" wait_for 60 ge "established dA" 8
lab_check "dB has the 8 streams" wait_for 30 ge "established dB" 8

takeover 1 dA dB
ip netns del dA

# A fresh director, started late: it must get the whole table from dB.
lab_check "dC: a new director" sync_director dC
lvsd_start dC 50
lab_check "dC: lvsd becomes backup" wait_for 60 state_is dC BACKUP
lab_check "dC: services from lvsd" wait_for 30 services_in dC
lab_check "dC runs the backup sync daemon" wait_for 30 daemon_is dC backup
lab_check "dC received the whole table" wait_for 30 ge "counter dC resyncs" 1
lab_check "dC has the 8 streams" wait_for 30 ge "established dC" 8

takeover 2 dB dC
ip netns del dB

kill -TERM "$traffic"
wait "$traffic"
echo "# traffic: $(tr '\n' '|' <"$OUT")"
[ -s "$OUT.err" ] && sed 's/^/# stderr: /' "$OUT.err" | tail -5
lab_check_eq "no stream lost in all" 0 awk '/^streams/ { print $4 }' "$OUT"
lab_check "the 8 streams lasted to the end" \
	awk '/^streams/ { exit !($2 == 8) }' "$OUT"
for ns in dA dB dC; do
	echo "# $ns: $(grep -c 'Entering MASTER' "$OUT.$ns.log") times master, $(grep -c 'lvs_sync_daemon: .* started' "$OUT.$ns.log") sync daemon starts"
	# its log but the sync daemon's lines, the times only
	grep -v 'lvs_sync_daemon' "$OUT.$ns.log" |
		sed -E 's/^[0-9-]+ ([0-9:.]+) /\1 /' | head -30 |
		sed "s/^/#   $ns: /"
done

# lvsd stops cleanly: its services and its daemon go.
for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
lab_check "dC's lvsd stops" wait_for 30 sh -c "! ip netns pids dC | grep -q ."
lab_check_eq "dC: no daemon left" "" vs dC -L --daemon
grep -iE 'error|warn|fail' "$OUT".d?.log | head -10 | sed 's/^/# log: /'
wait 2>/dev/null
pids=()
for p in $SYNC_NETNS; do ip netns del "$p" 2>/dev/null; done
lab_check "namespaces gone: the modules are free" \
	wait_for 120 grep -qx 0 /sys/module/lvs_rr/refcnt
lab_done
