#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Side by side with the kernel's own IPVS: for every scheduler, the same
# service (three NAT real servers, weights 1 2 3, added in the same order)
# is built first with ipvsadm on ip_vs, then with vsadm on lvs.ko, and the
# same nine connections, from nine client addresses and all held open,
# must reach the same real server one by one.  This is what "a migrated
# service behaves the same" means for schedulers: same sequences for rr
# and wrr, same least-loaded choices, same hash tables for sh, dh and mh.
#
# lc, wlc, sed and nq run a second time with 40 real servers (addresses
# spread over rs1..rs3) and 45 connections: above 32 servers lvs.ko keeps
# a heap fed by lock-free load updates instead of walking the list
# (schedulers/lvs_lload.h), and must still pick IPVS's server each time.
# The servers answer with the address they were reached on.
#
# Only active connections exist during a run, so the Debian kernel's
# overhead formula (active*256 + total) and ours (active*256 + inactive)
# order dests the same way.  Each scheduler gets its own virtual port:
# IPVS keeps deleted real servers in a trash and reuses them, connection
# counts included, when the same real server comes back to the same
# virtual service; lvs.ko does not, so a reused port would compare the
# cores' trash handling rather than the schedulers.
. "$LAB_DIR/tests/lab/lib.sh"

VSADM=$LAB_DIR/vsadm/vsadm
[ -x "$VSADM" ] || lab_skip "vsadm not built"
command -v ipvsadm >/dev/null || lab_skip "ipvsadm not installed"
modprobe ip_vs || lab_skip "no ip_vs in this kernel"
lab_check "modprobe lvs" modprobe lvs
lab_topo 3 || lab_skip "no netns"

SCHEDS="rr wrr lc wlc sed nq fo ovf lblc lblcr sh dh mh"
for s in $SCHEDS; do
	modprobe -q ip_vs_$s || lab_skip "no ip_vs_$s"
done

ipv() { ip netns exec director ipvsadm "$@"; }
vsa() { ip netns exec director "$VSADM" "$@"; }

# The server answers its name and holds the connection until the client
# closes it; the client opens N connections from the given sources in
# turn, holds them all, prints the names.
cat >/tmp/sched_srv.py <<'EOF'
import select, socket, sys
name = sys.argv[1].encode() + b'\n'
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(('0.0.0.0', 80))
ls.listen(128)
print('ready', flush=True)
conns = []
while True:
    r, _, _ = select.select([ls] + conns, [], [])
    for s in r:
        if s is ls:
            c, _ = ls.accept()
            c.sendall(c.getsockname()[0].encode() + b'\n')
            conns.append(c)
        elif not s.recv(100):
            conns.remove(s)
            s.close()
EOF
cat >/tmp/sched_cli.py <<'EOF'
import socket, sys, time
n, port, srcs = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3:]
held, names = [], []
for i in range(n):
    s = socket.socket()
    s.settimeout(10)
    if srcs:
        s.bind((srcs[i % len(srcs)], 0))
    try:
        s.connect(('10.0.0.100', port))
        f = s.makefile('rb')
        names.append(f.readline().decode().strip() or 'EOF')
    except OSError as e:
        names.append('ERR ' + type(e).__name__)
    held.append(s)
    time.sleep(0.05)
print(' '.join(names))
for s in held:
    s.close()
EOF

srv_pids=""
for i in 1 2 3; do
	fifo=/tmp/sched_srv.$i
	mkfifo $fifo
	lab_in rs$i python3 /tmp/sched_srv.py rs$i >$fifo &
	srv_pids="$srv_pids $!"
	read -r -t 60 ready <$fifo
	rm -f $fifo
	[ "$ready" = ready ] || lab_skip "server in rs$i did not start"
done

srcs=$(seq -f '10.0.1.%g' 100 108)
for a in $srcs; do echo "addr add $a/24 dev c0"; done | ip -n client -batch -

# run PORT [N]: N (9) connections to VIP:PORT.
run() {
	# shellcheck disable=SC2086
	lab_in client python3 /tmp/sched_cli.py "${2:-9}" "$1" $srcs
}

# 40 real servers: 10.0.2.100..139, in rs1..rs3 in turn.
big_rs=$(seq 100 139)
for i in 1 2 3; do
	for a in $big_rs; do
		[ $((a % 3 + 1)) = $i ] && echo "addr add 10.0.2.$a/24 dev e0"
	done | ip -n rs$i -batch -
done

# build_big TOOL SCHED PORT: 40 NAT servers, weights 1..4, one -R batch.
build_big() {
	local tool=$1 sched=$2 port=$3 a
	$tool -C || return 1
	{
		echo "-A -t 10.0.0.100:$port -s $sched"
		for a in $big_rs; do
			echo "-a -t 10.0.0.100:$port -r 10.0.2.$a:80 -m -w $((a % 4 + 1))"
		done
	} | $tool -R
}

# build TOOL SCHED PORT: the service through ipvsadm or vsadm (same
# syntax), NAT to port 80 of rs1..rs3.
build() {
	local tool=$1 sched=$2 port=$3 i
	$tool -C && $tool -A -t 10.0.0.100:"$port" -s "$sched" || return 1
	for i in 1 2 3; do
		$tool -a -t 10.0.0.100:"$port" -r "$(lab_rs_addr $i):80" -m \
			-w $i || return 1
	done
}

port=1000
for s in $SCHEDS; do
	port=$((port + 1))
	lab_check "$s: ipvsadm service" build ipv "$s" $port
	want=$(run $port)
	ipv -C
	lab_check "$s: vsadm service" build vsa "$s" $port
	lab_check_eq "$s: lvs.ko picks what IPVS picked ($want)" "$want" \
		run $port
	vsa -C
done

for s in lc wlc sed nq; do
	port=$((port + 1))
	lab_check "$s, 40 servers: ipvsadm service" build_big ipv "$s" $port
	want=$(run $port 45)
	lab_check_eq "$s, 40 servers: IPVS answered 45 times" 45 \
		sh -c "echo '$want' | grep -o '10\.0\.2\.[0-9]*' | wc -l"
	ipv -C
	lab_check "$s, 40 servers: vsadm service" build_big vsa "$s" $port
	lab_check_eq "$s, 40 servers: lvs.ko picks what IPVS picked" "$want" \
		run $port 45
	vsa -C
done

# shellcheck disable=SC2086
kill $srv_pids
wait 2>/dev/null
lab_done
