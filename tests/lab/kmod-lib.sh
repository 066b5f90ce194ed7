# shellcheck shell=bash
# kmod-lib.sh - helpers for the kmod_* lab tests (sourced after lib.sh).
#
#   lvs ARGS...        tests/lab/tools/lvsnl.py in the director's netns
#   lvs_stat SVC... [-r RS] FIELD   one counter
#   kmod_setup N [v6]  modprobe lvs and the schedulers, lab_topo N
#   kmod_spread CMD N  run CMD N times, print the sorted answers counted

LVSNL=$LAB_DIR/tests/lab/tools/lvsnl.py

lvs() {
	ip netns exec director python3 "$LVSNL" "$@"
}

# lvs_batch: lvsnl commands on stdin, one per line, one process.
lvs_batch() {
	ip netns exec director python3 "$LVSNL" batch
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

# kmod_fwd_method m|i|g: TCP and UDP over IPv4 and IPv6 through a VIP to
# three real servers with one forwarding method; answers spread evenly and
# come back; counters match.  Needs kmod_setup 3, lab_rs_tun and
# kmod_serve on port 80 in rs1..rs3.
kmod_fwd_method() {
	local m=$1 name v vip vb p f i ra what want n=6
	case $m in m) name=NAT ;; i) name=TUN ;; g) name=DR ;; esac
	for v in 4 6; do
		if [ $v = 4 ]; then vip=$VIP4; vb=$VIP4
		else vip=$VIP6; vb="[$VIP6]"; fi
		for p in tcp udp; do
			f=-${p:0:1}
			what="$name $p v$v"
			lab_check "$what: configure" lvs_batch <<-EOF
				flush
				svc add $f $vb:80 -s rr
				rs add $f $vb:80 -r $(_kmod_rs $v 1):80 -$m
				rs add $f $vb:80 -r $(_kmod_rs $v 2):80 -$m
				rs add $f $vb:80 -r $(_kmod_rs $v 3):80 -$m
			EOF
			lab_check_eq "$what: $n answers spread evenly" "rs1 2
rs2 2
rs3 2" kmod_count $p $vip 80 $n
			lab_check_eq "$what: $n connections counted" $n \
				lvs_stat $f $vb:80 conns
			[ $p = udp ] || continue
			lab_check_eq "$what: $n datagrams in" $n \
				lvs_stat $f $vb:80 inpkts
			want=0
			[ $m = m ] && want=$n
			lab_check_eq "$what: $want datagrams out" $want \
				lvs_stat $f $vb:80 outpkts
			lab_check_eq "$what: rs1 saw 2 datagrams" 2 \
				lvs_stat $f $vb:80 -r "$(_kmod_rs $v 1):80" inpkts
		done
	done
	lab_check "$name: flush" lvs flush
	lab_check_eq "$name: flush empties the connection table" \
		conn_count=0 kmod_info_line conn_count
}

_kmod_rs() {
	if [ "$1" = 4 ]; then lab_rs_addr "$2"; else echo "[$(lab_rs_addr6 "$2")]"; fi
}

kmod_info_line() {
	lvs info | grep "^$1="
}
