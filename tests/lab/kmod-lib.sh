# shellcheck shell=bash
# kmod-lib.sh - helpers for the kmod_* lab tests (sourced after lib.sh).
#
#   lvs ARGS...        tests/lab/tools/lvsnl.py in the director's netns
#   lvs_stat SVC... [-r RS] FIELD   one counter
#   kmod_setup N [v6]  modprobe lvs and the schedulers, lab_topo N
#   kmod_spread CMD N  run CMD N times, print the sorted answers counted
#   kmod_dmesg_clean   no lvs message above info level in the kernel log

LVSNL=$LAB_DIR/tests/lab/tools/lvsnl.py

lvs() {
	ip netns exec director python3 "$LVSNL" "$@"
}

lvs_stat() {
	lvs stat "$@"
}

# The real servers' default route is the director: DR and tunnel replies,
# whose source is the VIP, cross it.  IPv4 drops packets whose source is
# one of its own addresses (the VIP is on the director's lo) unless
# accept_local is set; a real network routes these replies elsewhere.
kmod_setup() {
	modprobe lvs || return 1
	lab_topo "$1"
	ip netns exec director sysctl -qw net.ipv4.conf.all.accept_local=1 \
		net.ipv4.conf.br0.accept_local=1
}

KTOOLS=$LAB_DIR/tests/lab/tools

# kmod_serve I PORT...: responder.py in rs<I> answering "rs<I>".
kmod_serve() {
	local i=$1 p
	shift
	ip netns exec rs$i python3 "$KTOOLS/responder.py" rs$i "$@" \
		>/dev/null 2>&1 &
	for p in "$@"; do
		lab_wait_port rs$i tcp "$p" || return 1
	done
}

# kmod_client tcp|udp ADDR PORT [N] [opts]: client.py in the client.
kmod_client() {
	ip netns exec client python3 "$KTOOLS/client.py" "$@"
}

# kmod_count tcp|udp ADDR PORT N: "NAME COUNT" lines of the answers.
kmod_count() {
	kmod_client "$@" | sort | uniq -c | awk '{print $2, $1}'
}

# Print "NAME COUNT" lines for the answers of N runs of a command.
kmod_spread() {
	local n=$1 i
	shift
	for i in $(seq 1 "$n"); do "$@"; done 2>/dev/null | sort | uniq -c |
		awk '{print $2, $1}'
}

# Succeed when CMD's output contains WANT.
kmod_has() {
	local want=$1
	shift
	"$@" 2>&1 | grep -q -- "$want"
}
