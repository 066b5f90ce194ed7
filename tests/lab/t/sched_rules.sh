#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Every scheduler, chosen by name with vsadm -s, spreads real TCP
# connections through lvs.ko as its rule says.
#
# Three NAT real servers, weights 1, 2, 3 (added in that order, so the
# list is rs3 rs2 rs1: newest first, as IPVS).  The client opens six
# connections one after the other and keeps them all open, so each pick
# sees the earlier ones as active; the servers hold connections open too.
# The expected spreads follow from the rules (schedulers/lvs_*.c):
#   rr  2 2 2  weights ignored        wrr 1 2 3  one full round
#   lc  2 2 2  weights ignored        wlc 1 2 3  256*active / weight
#   sed 1 2 3  (active+1) / weight    nq  1 2 3  idle first, then sed
#   fo  rs3 gets all                  ovf rs3 until active > 3, then rs2
#   lblc, lblcr: the VIP sticks to rs3 until rs3 has more active conns
#       than its weight while rs1 is half idle; then rs2 (wlc) takes over
#   sh, mh: one source, one server; many sources spread, and stay put
#   dh: one destination (the VIP), one server
# Also: weight 0 and the -x threshold keep new connections away.
. "$LAB_DIR/tests/lab/lib.sh"

VSADM=$LAB_DIR/vsadm/vsadm
[ -x "$VSADM" ] || lab_skip "vsadm not built"
lab_check "modprobe lvs" modprobe lvs
lab_topo 3 || lab_skip "no netns"

vs() { ip netns exec director "$VSADM" "$@"; }

# A server that answers its name and keeps the connection open until the
# client closes it (the usual responder closes at once, which would make
# every connection inactive before the next pick).
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
            c.sendall(name)
            conns.append(c)
        elif not s.recv(100):
            conns.remove(s)
            s.close()
EOF

# N connections to VIP:80, one after the other, each kept open until all
# are made; prints the server names.  Extra arguments: source addresses,
# used in turn.
cat >/tmp/sched_cli.py <<'EOF'
import socket, sys, time
n, srcs = int(sys.argv[1]), sys.argv[2:]
held, names = [], []
for i in range(n):
    s = socket.socket()
    s.settimeout(10)
    if srcs:
        s.bind((srcs[i % len(srcs)], 0))
    try:
        s.connect(('10.0.0.100', 80))
        f = s.makefile('rb')
        names.append(f.readline().decode().strip() or 'EOF')
    except OSError as e:
        names.append('ERR ' + type(e).__name__)
    held.append(s)
    time.sleep(0.05)
print('\n'.join(names))
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

# spread N [SRC...]: "NAME COUNT" per server, sorted by name.
spread() {
	lab_in client python3 /tmp/sched_cli.py "$@" | sort | uniq -c |
		awk '{print $2, $1}'
}

servers() { spread "$@" | wc -l; }
to_rs3() { spread "$@" | grep rs3; }

# service SCHED [-b FLAGS]: a fresh service with rs1..rs3, weights 1..3.
service() {
	local sched=$1 i
	shift
	vs -C && vs -A -t 10.0.0.100:80 -s "$sched" "$@" || return 1
	for i in 1 2 3; do
		vs -a -t 10.0.0.100:80 -r "$(lab_rs_addr $i):80" -m -w $i ||
			return 1
	done
}

check_spread() {
	local sched=$1 want=$2
	lab_check "$sched: service with three servers" service "$sched"
	lab_check "$sched: module lvs_$sched loaded by name" \
		test -d /sys/module/lvs_"$sched"
	lab_check_eq "$sched: six connections spread by the rule" "$want" \
		spread 6
}

check_spread rr "rs1 2
rs2 2
rs3 2"
check_spread wrr "rs1 1
rs2 2
rs3 3"
check_spread lc "rs1 2
rs2 2
rs3 2"
check_spread wlc "rs1 1
rs2 2
rs3 3"
check_spread sed "rs1 1
rs2 2
rs3 3"
check_spread nq "rs1 1
rs2 2
rs3 3"
check_spread fo "rs3 6"
check_spread ovf "rs2 2
rs3 4"
check_spread lblc "rs2 2
rs3 4"
check_spread lblcr "rs2 2
rs3 4"

# dh hashes the destination: every connection to the VIP, one server.
lab_check "dh: service" service dh
lab_check_eq "dh: one destination, one server" 1 servers 6

# sh and mh hash the source: one client address, one server; sixteen
# addresses spread over more than one server and keep their servers.
srcs=$(seq -f '10.0.1.%g' 100 115)
for a in $srcs; do echo "addr add $a/24 dev c0"; done | ip -n client -batch -
sources() {
	# shellcheck disable=SC2086
	lab_in client python3 /tmp/sched_cli.py 16 $srcs
}
for s in sh mh; do
	lab_check "$s: service" service $s
	lab_check_eq "$s: one source, one server" 1 servers 6
	first=$(sources)
	lab_check "$s: sixteen sources reach several servers" \
		test "$(printf '%s\n' "$first" | sort -u | wc -l)" -gt 1
	lab_check_eq "$s: and the same ones again" "$first" sources
done

# Weight 0: no new connections; the -x threshold: overloaded at 1 conn.
zero_rs3() {
	vs -e -t 10.0.0.100:80 -r "$(lab_rs_addr 3):80" -m -w 0
}
for s in rr wlc; do
	lab_check "$s: service" service $s
	lab_check "$s: rs3 quiesced" zero_rs3
	lab_check_eq "$s: nothing to the quiesced server" "" to_rs3 6
done
lab_check "rr: service" service rr
lab_check "rr: rs3 -x 1" vs -e -t 10.0.0.100:80 -r "$(lab_rs_addr 3):80" \
	-m -w 3 -x 1
lab_check_eq "rr: rs3 takes one connection, then is overloaded" "rs1 2
rs2 3
rs3 1" spread 6

vs -C
# shellcheck disable=SC2086
kill $srv_pids
wait 2>/dev/null
lab_done
