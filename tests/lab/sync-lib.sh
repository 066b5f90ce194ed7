# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# sync-lib.sh - the connection sync lab tests' topology and tools (sourced
# after lib.sh by t/sync.sh and t/lvsd_sync.sh).
#
#   client 10.0.1.2 --+-- f0 dA 10.0.1.11   b0 10.0.2.2 --+-- rs1 10.0.2.11
#                     +-- f0 dB 10.0.1.12   b0 10.0.2.3 --+-- rs2 10.0.2.12
#                     +-- f0 dC 10.0.1.13   b0 10.0.2.4 --+
#   (bridges front and back in netns sw, switch ports pf<x>/pb<x> for
#    director d<X>; VIP 10.0.1.100 and gateway 10.0.2.254 on the active
#    director; the servers have the VIP on lo for DR)
#
#   sync_topo DIR...        switch, client, rs1, rs2 and the directors
#   sync_director DIR       one more director (dA, dB or dC), links up
#   sync_servers            the echo servers on rs1 and rs2 (:8080, :81)
#   vs NS ARGS...           vsadm in NS
#   established NS          ESTABLISHED entries in NS's table
#   counter NS FIELD        one counter of NS's (first) sync daemon
#   wait_for SECONDS CMD... until CMD succeeds
#   ge CMD N                CMD (a string, eval'ed) prints at least N
#   start_bg NS FIFO CMD... CMD in the background in NS (- here), waits
#                           for its "ready" line; its pid goes in pids
# Everything goes at exit (trap sync_cleanup EXIT, set by this file).

VIP=10.0.1.100
GW=10.0.2.254
TOOL=$LAB_DIR/tests/lab/tools/sync_tool.py
OUT=/tmp/sync-traffic.$$
pids=()
SYNC_NETNS="client dA dB dC rs1 rs2 sw"

sync_cleanup() {
	local p
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	for p in $SYNC_NETNS; do
		# processes a test started in it (lvsd and its child)
		[ -e "/run/netns/$p" ] &&
			ip netns pids "$p" 2>/dev/null | xargs -r kill -KILL
		ip netns del "$p" 2>/dev/null
	done
	rm -f "$OUT" "$OUT".*
}
trap sync_cleanup EXIT

vs() { ip netns exec "$1" "$LAB_VSADM" "${@:2}"; }

sync_director() {
	local ns=$1 x i
	x=$(tr 'A-Z' 'a-z' <<<"${ns#d}")
	i=$(( $(printf '%d' "'$x") - 96 ))
	ip -batch - <<-EOF || return 1
		netns add $ns
		link add f0 netns $ns type veth peer name pf$x netns sw
		link add b0 netns $ns type veth peer name pb$x netns sw
	EOF
	ip -n sw -batch - <<-EOF || return 1
		link set pf$x master front up
		link set pb$x master back up
	EOF
	# b0's link-local address at once (no DAD): an IPv6 sync channel
	# sends from it
	lab_in "$ns" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.accept_local=1 \
		net.ipv6.conf.b0.accept_dad=0 || return 1
	ip -n "$ns" -batch - <<-EOF || return 1
		link set lo up
		addr add 10.0.1.$((10 + i))/24 dev f0
		addr add 10.0.2.$((1 + i))/24 dev b0
		link set f0 up
		link set b0 up
	EOF
	lab_in "$ns" sysctl -qw net.ipv4.conf.b0.accept_local=1
}

sync_topo() {
	local ns
	ip -batch - <<-EOF || return 1
		netns add sw
		netns add client
		netns add rs1
		netns add rs2
		link add c0 netns client type veth peer name pc netns sw
		link add e0 netns rs1 type veth peer name pr1 netns sw
		link add e0 netns rs2 type veth peer name pr2 netns sw
	EOF
	ip -n sw -batch - <<-EOF || return 1
		link add front type bridge stp_state 0 forward_delay 0
		link add back type bridge stp_state 0 forward_delay 0
		link set front up
		link set back up
		link set pc master front up
		link set pr1 master back up
		link set pr2 master back up
	EOF
	ip -n client -batch - <<-EOF || return 1
		link set lo up
		addr add 10.0.1.2/24 dev c0
		link set c0 up
	EOF
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
	for ns in "$@"; do
		sync_director "$ns" || return 1
	done
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

sync_servers() {
	local i
	for i in 1 2; do
		start_bg rs$i "$OUT.rs$i" python3 "$TOOL" serve 8080 81
		lab_check "echo server on rs$i" [ $? -eq 0 ]
	done
}

# The NAT :80 and DR :81 services, through whichever vs() the test has,
# in one vsadm -R (one process: each start is slow in the emulated guest).
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
