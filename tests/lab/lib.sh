# shellcheck shell=bash
# lib.sh - helpers for lab test scripts (sourced; runs inside the guest).
#
# Checks:   lab_check DESC CMD...     passes when CMD exits 0
#           lab_check_fail DESC CMD...  passes when CMD exits non-zero
#           lab_check_eq DESC WANT CMD...  passes when CMD prints WANT
#           (CMD may be a shell function: it runs in this shell.)
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
#               lab_rs_serve I [PORT...]: TCP, UDP and HTTP responder
#               answering "rs<I>" (lab_rs_http: the same).
# Traffic:      lab_tcp ADDR PORT, lab_udp ADDR PORT (from the client,
#               print the answer), lab_http URL (curl from the client).
# Programs:     $LAB_VSADM, $LAB_LVSD: the build tree's, or the installed
#               ones (/usr/sbin) when tests/lab/run had LAB_INSTALLED=1.
# Load:         $LAB_SLOW, how many times slower this kernel is than the
#               Debian one (1; 10 on the KASAN/lockdep kernel, LAB_SLOW
#               on the host changes it): a load generator divides its
#               rate by it, a loop its rounds, so that a stress test does
#               the same kinds of work in about the same time.
set -u

if [ "${LAB_INSTALLED:-0}" = 1 ]; then
	LAB_VSADM=/usr/sbin/vsadm LAB_LVSD=/usr/sbin/lvsd
else
	LAB_VSADM=$LAB_DIR/vsadm/vsadm LAB_LVSD=$LAB_DIR/lvsd/lvsd
fi

LAB_SLOW=${LAB_SLOW:-1}
LAB_PASS=0
LAB_FAIL=0
LAB_T0=$EPOCHREALTIME

# Seconds since the script started (bash arithmetic: no process started).
lab_elapsed() {
	local now=${EPOCHREALTIME/./} t0=${LAB_T0/./}
	local ms=$(( (now - t0) / 1000 ))
	printf '%d.%03d' $((ms / 1000)) $((ms % 1000))
}
VIP4=10.0.0.100
VIP6=fd00::100

lab_check() {
	local desc=$1 out
	shift
	if out=$("$@" 2>&1); then
		LAB_PASS=$((LAB_PASS + 1))
		echo "ok - $desc [$(lab_elapsed)]"
	else
		LAB_FAIL=$((LAB_FAIL + 1))
		echo "not ok - $desc [$(lab_elapsed)]"
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
		echo "ok - $desc [$(lab_elapsed)]"
	fi
}

lab_check_eq() {
	local desc=$1 want=$2 got
	shift 2
	got=$("$@" 2>&1)
	if [ "$got" = "$want" ]; then
		LAB_PASS=$((LAB_PASS + 1))
		echo "ok - $desc [$(lab_elapsed)]"
	else
		LAB_FAIL=$((LAB_FAIL + 1))
		echo "not ok - $desc [$(lab_elapsed)]"
		printf '#   wanted: %s\n#   got:    %s\n' "$want" "$got" | head -20
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

# Built with one "ip -batch" per namespace: every process start costs a
# tenth of a second or more in the emulated guest.  Addresses are added
# with nodad: duplicate address detection would hold IPv6 addresses
# tentative for a second or two.
lab_topo() {
	local n=$1 i
	{
		echo "netns add client"
		echo "netns add director"
		for i in $(seq 1 "$n"); do echo "netns add rs$i"; done
		echo "link add c0 netns client type veth peer name d0 netns director"
		for i in $(seq 1 "$n"); do
			echo "link add e0 netns rs$i type veth peer name rs$i netns director"
		done
	} | ip -batch - || return 1

	ip -n client -batch - <<-EOF || return 1
		link set lo up
		addr add 10.0.1.2/24 dev c0
		addr add fd00:1::2/64 dev c0 nodad
		link set c0 up
		route add default via 10.0.1.1
		route add default via fd00:1::1
	EOF

	lab_in director sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 || return 1
	{
		echo "link set lo up"
		echo "addr add 10.0.1.1/24 dev d0"
		echo "addr add fd00:1::1/64 dev d0 nodad"
		echo "link set d0 up"
		echo "addr add $VIP4/32 dev lo"
		echo "addr add $VIP6/128 dev lo nodad"
		echo "link add br0 type bridge stp_state 0 forward_delay 0"
		echo "addr add 10.0.2.1/24 dev br0"
		echo "addr add fd00:2::1/64 dev br0 nodad"
		echo "link set br0 up"
		for i in $(seq 1 "$n"); do echo "link set rs$i master br0 up"; done
	} | ip -n director -batch - || return 1

	for i in $(seq 1 "$n"); do
		ip -n rs$i -batch - <<-EOF || return 1
			link set lo up
			addr add 10.0.2.$((10 + i))/24 dev e0
			addr add fd00:2::$((10 + i))/64 dev e0 nodad
			link set e0 up
			route add default via 10.0.2.1
			route add default via fd00:2::1
		EOF
	done
}

lab_rs_addr() { echo 10.0.2.$((10 + $1)); }
lab_rs_addr6() { echo fd00:2::$((10 + $1)); }

# Direct routing: the RS owns the VIP on lo but never answers ARP for it.
lab_rs_dr() {
	local i=$1
	lab_in rs$i sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
		net.ipv4.conf.all.arp_announce=2 || return 1
	ip -n rs$i -batch - <<-EOF
		addr add $VIP4/32 dev lo
		addr add $VIP6/128 dev lo nodad
	EOF
}

# Tunnel: the RS decapsulates IPIP / ip6ip6 and owns the VIP.
lab_rs_tun() {
	local i=$1
	modprobe -q ipip
	modprobe -q ip6_tunnel
	lab_rs_dr "$i" || return 1
	ip -n rs$i -batch - <<-EOF || return 1
		link set tunl0 up
		link set ip6tnl0 up
	EOF
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

# A responder (tests/lab/responder.py) in rs<I> on the given ports
# (default 80): TCP and UDP, IPv4 and IPv6; answers "rs<I>", as an HTTP
# reply when asked in HTTP.  Returns once it listens.
lab_rs_serve() {
	local i=$1 ready
	shift
	[ $# -gt 0 ] || set -- 80
	local fifo=/tmp/responder-rs$i.$$
	mkfifo "$fifo"
	# A plain command, not lab_in: no intermediate shell to report "Killed"
	# when the lab tears the namespaces down.
	ip netns exec rs$i python3 "$LAB_DIR/tests/lab/responder.py" rs$i "$@" >"$fifo" &
	read -r -t 60 ready <"$fifo"
	rm -f "$fifo"
	[ "$ready" = ready ] || { echo "responder in rs$i did not start" >&2; return 1; }
}

# Kept for the tests that ask for an HTTP server by name.
lab_rs_http() {
	lab_rs_serve "$@"
}

_lab_bracket() { case "$1" in *:*) echo "[$1]" ;; *) echo "$1" ;; esac; }

# Timeouts are generous: the guest is emulated and may share the machine.
lab_tcp() {
	lab_in client socat -T10 - \
		TCP:"$(_lab_bracket "$1")":"$2",connect-timeout=5 </dev/null
}

# One datagram out, the first line of the answer back.  Returns as soon as
# the answer is in, where socat would wait out its idle timeout on every
# call.  head, not bash's read: read takes a byte at a time, and the rest
# of a datagram is lost after the first byte.
lab_udp() {
	lab_in client bash -c 'exec 3<>"/dev/udp/$1/$2" && echo ping >&3 &&
		timeout 10 head -n1 <&3' lab_udp "$1" "$2"
}

lab_http() {
	lab_in client curl -sS --max-time 10 "$@"
}
