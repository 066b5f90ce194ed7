#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The eBPF datapath against lvs.ko, in one boot of the Debian 6.1 guest.
# One NAT service per scheduler, each on its own virtual port (three real
# servers, weights 1 2 3, added in the same order), is built with vsadm
# first on the module, then with --datapath bpf; the same client then
# opens nine TCP connections (or sends nine UDP datagrams) to every
# service, from nine fixed client addresses and fixed source ports, and
# holds them.  For every scheduler both datapaths have, the bpf datapath
# must pick the same real servers one by one, and while the traffic is
# held the listings must match: vsadm -L -n (ActiveConn/InActConn),
# --stats (connections, packets, bytes of the same traffic) and -c (the
# connection table; the expiry column, a clock, and the client ports,
# which differ between the two runs, left out).
#
# The module runs first and its services are flushed before the bpf
# datapath is loaded (XDP sees packets before the module's hooks; the
# module's left-over connections use other source ports).  Loading the
# datapath also proves the host-built CO-RE object passes 6.1's verifier
# against the guest kernel's BTF.
. "$LAB_DIR/tests/lab/lib.sh"

VSADM=$LAB_VSADM
[ -x "$VSADM" ] || lab_skip "vsadm not built"
[ -r /sys/kernel/btf/vmlinux ] || lab_skip "guest kernel without BTF"
for t in bpftool ethtool nsenter python3; do
	command -v $t >/dev/null || lab_skip "needs $t"
done
lab_check "modprobe lvs" modprobe lvs
lab_topo 3 || lab_skip "no netns"
# XDP rewrites full checksums: the senders must not leave partial ones;
# frames redirected into a veth want NAPI (GRO) on the far end.
lab_in client ethtool -K c0 tx off gro on >/dev/null
for i in 1 2 3; do lab_in rs$i ethtool -K e0 tx off gro on >/dev/null; done

# Director commands keep this mount namespace: the bpf datapath's pins
# live in /sys/fs/bpf, which ip netns exec would hide behind a new /sys.
dp=kernel
vsa() { nsenter --net=/run/netns/director "$VSADM" --datapath $dp "$@"; }

cat >/tmp/bvm_srv.py <<'PY'
import select, socket, sys
name = sys.argv[1].encode() + b'\n'
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(('0.0.0.0', 80))
ls.listen(512)
us = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
us.bind(('0.0.0.0', 80))
print('ready', flush=True)
conns = []
while True:
    r, _, _ = select.select([ls, us] + conns, [], [])
    for s in r:
        if s is ls:
            c, _ = ls.accept()
            c.sendall(name)
            conns.append(c)
        elif s is us:
            _, a = us.recvfrom(100)
            us.sendto(name, a)
        elif not s.recv(100):
            conns.remove(s)
            s.close()
PY
# bvm_cli.py SPORT0 PROTO:VPORT,... SRC...: for each service in turn, one
# connection (datagram) per source address, from source port
# SPORT0 + 16 * service + i; prints "VPORT names..." per service; holds
# the TCP connections until /tmp/bvm_release exists.
cat >/tmp/bvm_cli.py <<'PY'
import os, socket, sys, time
sport, svcs, srcs = int(sys.argv[1]), sys.argv[2].split(','), sys.argv[3:]
held = []
for j, svc in enumerate(svcs):
    proto, vport = svc.split(':')
    names = []
    for i, src in enumerate(srcs):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM
                          if proto == 'tcp' else socket.SOCK_DGRAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.settimeout(10)
        s.bind((src, sport + 16 * j + i))
        try:
            s.connect(('10.0.0.100', int(vport)))
            if proto == 'tcp':
                n = s.makefile('rb').readline().decode().strip()
            else:
                s.send(b'x')
                n = s.recv(100).decode().strip()
            names.append(n or 'EOF')
        except OSError as e:
            names.append('ERR-' + type(e).__name__)
        held.append(s)
    print(vport, ' '.join(names), flush=True)
print('done', flush=True)
for _ in range(2400):
    if os.path.exists('/tmp/bvm_release'):
        break
    time.sleep(0.05)
for s in held:
    s.close()
PY

srv_pids=""
for i in 1 2 3; do
	fifo=/tmp/bvm_srv.$i
	mkfifo $fifo
	lab_in rs$i python3 /tmp/bvm_srv.py rs$i >$fifo &
	srv_pids="$srv_pids $!"
	read -r -t 60 ready <$fifo
	rm -f $fifo
	[ "$ready" = ready ] || lab_skip "server in rs$i did not start"
done
srcs=$(seq -f '10.0.1.%g' 100 108)
for a in $srcs; do echo "addr add $a/24 dev c0"; done | ip -n client -batch -

CASES="tcp:rr tcp:wrr tcp:lc tcp:wlc tcp:sed tcp:nq tcp:fo tcp:ovf
tcp:sh tcp:dh tcp:mh tcp:lblc tcp:lblcr udp:rr udp:sh"
# Differences the datapaths are known to have (docs/bpf.md): none now.
KNOWN_DIFF=""
declare -A VPORT
p=2000
for c in $CASES; do p=$((p + 1)); VPORT[$c]=$p; done

# build: every case's service (NAT to port 80 of rs1..rs3) in one
# vsadm -R (one process: each costs a lot in the emulated guest); the
# bpf datapath refuses the schedulers it does not have, line by line.
# Prints the cases built, from the listing.
build() {
	local c o i
	for c in $CASES; do
		o=-${c:0:1}
		echo "-A $o $VIP4:${VPORT[$c]} -s ${c#*:}"
		for i in 1 2 3; do
			echo "-a $o $VIP4:${VPORT[$c]} -r $(lab_rs_addr $i):80 -m -w $i"
		done
	done | vsa -R 2>/tmp/bvm_err
	grep -v "not supported by the bpf datapath\|Service not defined" \
		/tmp/bvm_err >&2
	vsa -L -n >/tmp/bvm_list
	for c in $CASES; do
		o=${c%%:*}
		grep -q "^${o^^}  *$VIP4:${VPORT[$c]} " /tmp/bvm_list && echo "$c"
	done
}

# run DIR SPORT0 CASE...: the traffic to those cases' services; picks in
# DIR/picks, listings in DIR/{list,stats,conns} while the traffic is held.
run() {
	local dir=$1 sport=$2 svcs="" c line fifo=/tmp/bvm_cli
	shift 2
	mkdir -p "$dir"
	for c in "$@"; do svcs="$svcs,${c%%:*}:${VPORT[$c]}"; done
	rm -f /tmp/bvm_release $fifo
	mkfifo $fifo
	# shellcheck disable=SC2086
	lab_in client python3 /tmp/bvm_cli.py "$sport" "${svcs#,}" $srcs \
		>$fifo &
	local pid=$!
	: >"$dir/picks"
	while read -r -t 300 line; do
		[ "$line" = done ] && break
		echo "$line" >>"$dir/picks"
	done <$fifo
	vsa -L -n >"$dir/list"
	vsa -L -n --stats >"$dir/stats"
	vsa -L -n -c |
		awk 'NR > 2 { $2 = ""; sub(/:[0-9]+$/, "", $4); print }' |
		sort >"$dir/conns"
	touch /tmp/bvm_release
	wait $pid
	rm -f $fifo
}

# block FILE VPORT: one service's lines of a listing (its line and its
# real servers'); in the -c listing, the entries to that virtual port.
block() {
	awk -v a="$VIP4:$2" '
		/^(TCP|UDP) / && NF > 2 && $2 == a { in_svc = 1; print; next }
		/^(TCP|UDP) / { in_svc = 0 }
		/^  -> [0-9]/ && in_svc { print; next }
		{ for (i = 3; i <= NF; i++) if ($i == a) { print; next } }' "$1"
}

# same CASE: the bpf datapath's view of one case equals the module's.
same() {
	local c=$1 v=${VPORT[$1]} f rc=0 out
	for f in list stats conns; do
		# (files: the guest has no /dev/fd for <(...))
		block /tmp/bvm.kernel/$f "$v" >/tmp/bvm.want
		block /tmp/bvm.bpf/$f "$v" >/tmp/bvm.got
		out=$(diff -u /tmp/bvm.want /tmp/bvm.got) ||
			{ echo "$out" | sed "s/^/$f: /"; rc=1; }
	done
	[ "$(block /tmp/bvm.kernel/conns "$v" | wc -l)" -gt 0 ] || {
		echo "no connections listed"; rc=1; }
	return $rc
}

# udp_probe VPORT RSPORT SIZE: a NAT service VIP4:VPORT -> rs1:RSPORT,
# then a datagram of SIZE bytes from the client over a connected socket;
# prints the answer, "refused" for an ICMP port unreachable, or the error.
# With RSPORT 99, where nothing listens, it checks the ICMP error's way
# back (kmod/icmp.c; icmp_xlate in bpf/lvs.bpf.c): "refused" means it
# reached the client's socket as the VIP's.  With SIZE 3000, the
# datagram goes in fragments: the module has it reassembled, the bpf
# datapath sends the later fragments after the first (lvs_frags).
udp_probe() {
	vsa -A -u "$VIP4:$1" -s rr &&
		vsa -a -u "$VIP4:$1" -r "$(lab_rs_addr 1):$2" -m || return 1
	lab_in client python3 -c "
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.connect(('$VIP4', int(sys.argv[1])))
s.send(b'x' * int(sys.argv[2]))
try:
    print(s.recv(100).decode().strip())
except ConnectionRefusedError:
    print('refused')
except OSError as e:
    print(type(e).__name__)" "$1" "$3"
}

kcases=$(build)
lab_check "module: every service built" test "$(echo $kcases)" = "$(echo $CASES)"
# shellcheck disable=SC2086
run /tmp/bvm.kernel 30000 $kcases
lab_check "module: nine answers per service" \
	sh -c "! grep -vE '^[0-9]+ rs[123]( rs[123]){8}\$' /tmp/bvm.kernel/picks"
lab_check_eq "module: a real server's port unreachable, as the VIP's" \
	refused udp_probe 2999 99 1
lab_check_eq "module: a datagram in fragments reaches a real server" \
	rs1 udp_probe 2998 80 3000
vsa -C

dp=bpf
t0=$EPOCHREALTIME
bcases=$(build)
echo "# bpf datapath built in $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms (load and verification included)"
lab_check "bpf datapath loads on $(uname -r) (CO-RE, guest BTF)" test -n "$bcases"
lab_check "XDP attached to the director's interfaces" \
	sh -c "nsenter --net=/run/netns/director ip -o link | grep -q xdp"
# shellcheck disable=SC2086
run /tmp/bvm.bpf 31000 $bcases
for c in $CASES; do
	case " $(echo $bcases) " in
	*" $c "*) ;;
	*) echo "# $c: not on the bpf datapath, not compared"; continue ;;
	esac
	want=$(grep "^${VPORT[$c]} " /tmp/bvm.kernel/picks)
	case " $KNOWN_DIFF " in
	*" $c "*)
		echo "# $c: known difference (docs/bpf.md): lvs.ko ${want#* }," \
			"bpf $(grep "^${VPORT[$c]} " /tmp/bvm.bpf/picks | cut -d' ' -f2-)"
		continue ;;
	esac
	lab_check_eq "$c: bpf picks what lvs.ko picked (${want#* })" "$want" \
		grep "^${VPORT[$c]} " /tmp/bvm.bpf/picks
	lab_check "$c: listings (-L -n, --stats, -c) match" same "$c"
done
lab_check_eq "bpf: a real server's port unreachable, as the VIP's" \
	refused udp_probe 2999 99 1
lab_check_eq "bpf: a datagram in fragments reaches a real server" \
	rs1 udp_probe 2998 80 3000
vsa -C

lab_check "unload" vsa --unload
lab_check "no eBPF program or map left" \
	sh -c "! bpftool prog show | grep -q lvs && ! bpftool map show | grep -q lvs"
# shellcheck disable=SC2086
kill $srv_pids
wait 2>/dev/null
lab_done
