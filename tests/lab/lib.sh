# shellcheck shell=bash
# lib.sh - helpers for lab test scripts (sourced; runs inside the guest).
#
# Checks:   lab_check DESC CMD...     passes when CMD exits 0
#           lab_check_fail DESC CMD...  passes when CMD exits non-zero
#           lab_skip REASON           ends the script as skipped (77)
#           lab_done                  prints "N passed, N failed", exits
# Topology: lab_topo N   netns client, director, rs1..rsN:
#
#   client c0 10.0.1.2/24 fd00:1::2/64
#     | veth
#   director d0 10.0.1.1/24 fd00:1::1/64, lo: VIP 10.0.0.100 fd00::100,
#            br0 10.0.2.1/24 fd00:2::1/64 (forwarding on)
#     | bridge br0 (in director)
#   rs<i> e0 10.0.2.(10+i)/24 fd00:2::(10+i)/64, default via the director
#
# Real servers: lab_rs_dr I, lab_rs_tun I (VIP and sysctls for DR / TUN),
#               lab_rs_serve I [PORT]: TCP and UDP responders answering
#               "rs<I>", lab_rs_http I [PORT]: an HTTP/1.0 responder.
# Traffic:      lab_tcp ADDR PORT, lab_udp ADDR PORT (from the client,
#               print the answer), lab_http URL (curl from the client).
set -u

LAB_PASS=0
LAB_FAIL=0
VIP4=10.0.0.100
VIP6=fd00::100

lab_check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		LAB_PASS=$((LAB_PASS + 1))
		echo "ok - $desc"
	else
		LAB_FAIL=$((LAB_FAIL + 1))
		echo "not ok - $desc"
		printf '%s\n' "$out" | tail -20 | sed 's/^/#   /'
	fi
}

lab_check_fail() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		LAB_FAIL=$((LAB_FAIL + 1))
		echo "not ok - $desc (succeeded, should have failed)"
		printf '%s\n' "$out" | tail -20 | sed 's/^/#   /'
	else
		LAB_PASS=$((LAB_PASS + 1))
		echo "ok - $desc"
	fi
}

lab_skip() {
	echo "SKIP: $*"
	exit 77
}

lab_done() {
	echo "$LAB_PASS passed, $LAB_FAIL failed"
	[ "$LAB_FAIL" -eq 0 ] && [ "$LAB_PASS" -gt 0 ]
	exit $?
}

lab_in() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@"
}

# Addresses are added with nodad: duplicate address detection would hold
# IPv6 addresses tentative for a second or two.
_lab_ns() {
	ip netns add "$1"
	lab_in "$1" ip link set lo up
	lab_in "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0
}

lab_topo() {
	local n=$1 i
	_lab_ns client
	_lab_ns director
	ip link add c0 netns client type veth peer name d0 netns director
	lab_in client ip addr add 10.0.1.2/24 dev c0
	lab_in client ip -6 addr add fd00:1::2/64 dev c0 nodad
	lab_in client ip link set c0 up
	lab_in client ip route add default via 10.0.1.1
	lab_in client ip -6 route add default via fd00:1::1

	lab_in director sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1
	lab_in director ip addr add 10.0.1.1/24 dev d0
	lab_in director ip -6 addr add fd00:1::1/64 dev d0 nodad
	lab_in director ip link set d0 up
	lab_in director ip addr add $VIP4/32 dev lo
	lab_in director ip -6 addr add $VIP6/128 dev lo nodad
	lab_in director ip link add br0 type bridge stp_state 0 forward_delay 0
	lab_in director ip addr add 10.0.2.1/24 dev br0
	lab_in director ip -6 addr add fd00:2::1/64 dev br0 nodad
	lab_in director ip link set br0 up

	for i in $(seq 1 "$n"); do
		_lab_ns rs$i
		ip link add e0 netns rs$i type veth peer name rs$i netns director
		lab_in director ip link set rs$i master br0 up
		lab_in rs$i ip addr add 10.0.2.$((10 + i))/24 dev e0
		lab_in rs$i ip -6 addr add fd00:2::$((10 + i))/64 dev e0 nodad
		lab_in rs$i ip link set e0 up
		lab_in rs$i ip route add default via 10.0.2.1
		lab_in rs$i ip -6 route add default via fd00:2::1
	done
}

lab_rs_addr() { echo 10.0.2.$((10 + $1)); }
lab_rs_addr6() { echo fd00:2::$((10 + $1)); }

# Direct routing: the RS owns the VIP on lo but never answers ARP for it.
lab_rs_dr() {
	local i=$1
	lab_in rs$i sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
		net.ipv4.conf.all.arp_announce=2
	lab_in rs$i ip addr add $VIP4/32 dev lo
	lab_in rs$i ip -6 addr add $VIP6/128 dev lo nodad
}

# Tunnel: the RS decapsulates IPIP / ip6ip6 and owns the VIP.
lab_rs_tun() {
	local i=$1
	modprobe -q ipip
	modprobe -q ip6_tunnel
	lab_rs_dr "$i"
	lab_in rs$i ip link set tunl0 up
	lab_in rs$i ip link set ip6tnl0 up
	lab_in rs$i sysctl -qw net.ipv4.conf.all.rp_filter=0 \
		net.ipv4.conf.tunl0.rp_filter=0
}

# Wait until something in NS listens on PORT (tcp or udp).
lab_wait_port() {
	local ns=$1 proto=$2 port=$3 t
	for t in $(seq 1 100); do
		lab_in "$ns" ss -Hln --"$proto" "sport = :$port" | grep -q . && return 0
		sleep 0.1
	done
	echo "nothing listens on $proto port $port in $ns" >&2
	return 1
}

# TCP and UDP responders on PORT (default 80), IPv4 and IPv6.
lab_rs_serve() {
	local i=$1 port=${2:-80}
	lab_in rs$i socat TCP6-LISTEN:$port,ipv6only=0,fork,reuseaddr \
		EXEC:"echo rs$i" >/dev/null 2>&1 &
	lab_in rs$i socat UDP6-RECVFROM:$port,ipv6only=0,fork \
		EXEC:"echo rs$i" >/dev/null 2>&1 &
	lab_wait_port rs$i tcp $port && lab_wait_port rs$i udp $port
}

# An HTTP/1.0 responder on PORT (default 80) whose body is "rs<I>".
lab_rs_http() {
	local i=$1 port=${2:-80}
	lab_in rs$i socat TCP6-LISTEN:$port,ipv6only=0,fork,reuseaddr \
		EXEC:"$LAB_DIR/tests/lab/http-responder rs$i" >/dev/null 2>&1 &
	lab_wait_port rs$i tcp $port
}

_lab_bracket() { case "$1" in *:*) echo "[$1]" ;; *) echo "$1" ;; esac; }

lab_tcp() {
	lab_in client socat -T3 - TCP:"$(_lab_bracket "$1")":"$2",connect-timeout=3 \
		</dev/null
}

lab_udp() {
	echo ping | lab_in client socat -T2 - UDP:"$(_lab_bracket "$1")":"$2"
}

lab_http() {
	lab_in client curl -sS --max-time 5 "$@"
}
