# SPDX-License-Identifier: GPL-2.0
# lib.sh - shared by tests/host/*.sh: a scratch directory, real servers on
# loopback (or in a namespace the test made), lvsd on the dry backend, and
# waiting for a condition on its control socket.  Sourced, not run.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$HERE/../.." && pwd)
LVSD=${LVSD:-$TOP/lvsd/lvsd}
T=$(mktemp -d /tmp/lvsd-host.XXXXXX)
chmod 755 "$T"
PIDS=()
NETNS=()

cleanup() {
	local p n
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
	for n in "${NETNS[@]}"; do ip netns del "$n" 2>/dev/null; done
	# An lvsd built with sanitizers (LVSD=...) reports into its log.
	local bad=0
	if grep -qE "Sanitizer|runtime error:" "$T/lvsd.log" 2>/dev/null; then
		echo "FAIL: sanitizer report from lvsd:"
		grep -A12 -E "Sanitizer|runtime error:" "$T/lvsd.log" | head -40
		bad=1
	fi
	if [ "${KEEP:-0}" = 1 ]; then echo "kept $T"; else rm -rf "$T"; fi
	[ $bad = 0 ] || exit 1
}
trap cleanup EXIT

fail() { echo "FAIL: $*"; [ -f "$T/lvsd.log" ] && tail -20 "$T/lvsd.log"; exit 1; }
skip() { echo "SKIP: $*"; exit 77; }
ok() { echo "ok: $*"; }

# A free TCP/UDP port on loopback.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# bg CMD...: run in the background, killed at exit.
bg() { "$@" & PIDS+=($!); LAST_PID=$!; }

http_server() {	# ADDR PORT DIR [netns]
	mkdir -p "$3"
	if [ $# -ge 4 ]; then
		bg ip netns exec "$4" python3 "$HERE/servers.py" http "$1" "$2" "$3"
	else
		bg python3 "$HERE/servers.py" http "$1" "$2" "$3"
	fi
}

# Start lvsd on the dry backend with $T/lvsd.conf, logging to $T/lvsd.log.
CTL=$T/ctl.sock
start_lvsd() {
	bg sh -c "exec \"$LVSD\" -b dry -f \"$T/lvsd.conf\" -s \"$CTL\" $* 2>>\"$T/lvsd.log\""
	LVSD_PID=$LAST_PID
	wait_for 5 test -S "$CTL" || fail "lvsd did not start"
}

ctl() { "$LVSD" ctl -s "$CTL" "$@"; }

# Milliseconds on a monotonic clock (the wall clock may step or skew).
ms_now() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }

# wait_for SECONDS CMD...: true once CMD succeeds, polling every 0.1 s.
wait_for() {
	local limit=$1; shift
	local end=$(( $(ms_now) + limit * 1000 ))
	while [ "$(ms_now)" -lt $end ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# The backend's weight for RS in VS ("absent" when not there).
backend_weight() {	# VS_ADDR RS_ADDR
	ctl backend json | jq -r --arg vs "$1" --arg rs "$2" '
		[.[] | select(.address == $vs or .fwmark == $vs) | .dests[] |
		 select(.address == $rs) | .weight] | if length == 0 then
		 "absent" else (.[0] | tostring) end'
}
weight_is() { [ "$(backend_weight "$1" "$2")" = "$3" ]; }

# A field of a real server from "show json".
rs_field() {	# VS_NAME RS_ADDR FIELD
	ctl show json | jq -r --arg vs "$1" --arg rs "$2" --arg f "$3" '
		.virtual_servers[] | select(.name == $vs) | .real_servers[] |
		select(.address == $rs) | .[$f] | tostring'
}


need_netns() {
	[ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
	ip netns add "lvsdt$$" 2>/dev/null || skip "cannot create a network namespace"
	ip netns del "lvsdt$$"
}

# make_netns NAME HOST_IP NS_IP: a namespace behind a veth pair, /30.
make_netns() {
	local n=$1
	ip netns add "$n" || fail "netns add $n"
	NETNS+=("$n")
	ip link add "v$n" type veth peer name eth0 netns "$n" || fail "veth"
	ip addr add "$2/30" dev "v$n"
	ip link set "v$n" up
	ip -n "$n" addr add "$3/30" dev eth0
	ip -n "$n" link set eth0 up
	ip -n "$n" link set lo up
}

# same_t_code FILE: lvsd -t and keepalived -t (when installed) agree on
# FILE's exit code; prints both on a mismatch.
same_t_code() {
	local a b
	"$LVSD" -t -f "$1" >"$T/t.lvsd" 2>&1; a=$?
	command -v keepalived >/dev/null || return 0
	timeout 10 keepalived -t -f "$1" >"$T/t.ka" 2>&1; b=$?
	[ "$a" = "$b" ] && return 0
	echo "lvsd -t: $a, keepalived -t: $b on $1"
	cat "$T/t.lvsd" "$T/t.ka"
	return 1
}
