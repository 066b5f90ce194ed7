#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# The eBPF datapath's mh scheduler (bpf_env.inc's namespaces), its table
# built in userspace by schedulers/lvs_mh.c: with mh-port, every client
# port goes where IPVS's rule says (tests/host/mh_ref.py, written from the
# rule, computes it), by weight; weight 0 refuses that client's bucket,
# mh-fallback moves it on; without mh-port a client sticks.
. "$(dirname "$0")/lib.sh"
. "$HERE/bpf_env.inc"

udp() { echo q | ip netns exec $C socat -T2 - UDP4:$VIP:53,sourceport=$1; }
# expect W1 W2: for each of $PORTS, rs1 or rs2 as IPVS's mh picks for
# 10.77.1.2:PORT (rs2, added last, is listed first)
expect() {
	python3 "$HERE/mh_ref.py" 10.77.1.2 ${PORTS// /,} 10.77.3.2:5353:$2 \
		10.77.2.2:5353:$1 | sed -e 's/^0$/rs2/' -e 's/^1$/rs1/' |
		tr '\n' ' '
}
mhsvc() {	# W1 W2 FLAGS
	vs -D -u $VIP:53 2>/dev/null
	vs -A -u $VIP:53 -s mh ${3:+-b $3} || fail "add mh service"
	vs -a -u $VIP:53 -r 10.77.2.2:5353 -m -w $1 || fail "add rs1"
	vs -a -u $VIP:53 -r 10.77.3.2:5353 -m -w $2 || fail "add rs2"
}
vs --set 0 0 1 || fail "--set udp timeout"
PORTS="6001 6002 6003 6004 6005 6006 6007 6008 6009 6010"

mhsvc 1 3 mh-port
want=$(expect 1 3) got=
for p in $PORTS; do got+="$(udp $p || echo -) "; done
check "mh-port: each client port where IPVS's mh puts it ($got)" \
	test "$got" = "$want"
check "mh: both real servers used over 10 ports" \
	test "$(echo $got | tr ' ' '\n' | sort -u | wc -l)" = 2
check "mh lists as the module's" \
	grep -q "^UDP  $VIP:53 mh (mh-port)" <<<"$(vs -L -n)"

# weight 0: its buckets stay its own (the last weight builds the table)
# and the clients there get nothing; with mh-fallback they move on.
vs -e -u $VIP:53 -r 10.77.3.2:5353 -m -w 0 || fail "weight 0"
want=$(expect 1 3 | sed 's/rs2/-/g') got=
for p in $PORTS; do r=$(udp $p 2>/dev/null); got+="${r:--} "; done
check "weight 0: rs2's clients get no answer, rs1's keep theirs ($got)" \
	test "$got" = "$want"

mhsvc 1 3 mh-port,mh-fallback
vs -e -u $VIP:53 -r 10.77.3.2:5353 -m -w 0 || fail "weight 0"
out=$(for p in $PORTS; do udp $p; done | sort -u | tr '\n' ' ')
check "mh-fallback: everyone goes to rs1 ($out)" test "$out" = "rs1 "

mhsvc 1 1 ""
out=$(for p in $PORTS; do udp $p; done | sort -u | wc -l)
check "without mh-port one client sticks to one real server" test "$out" = 1
# lblc is no longer refused (bpf_sched.sh tests its rules).
err=$(vs -A -t $VIP:81 -s lblc 2>&1)
check "lblc accepted ($err)" grep -q "TCP  *$VIP:81 lblc" <<<"$(vs -L -n)"

echo "$PASS passed, $FAILN failed"
[ $FAILN = 0 ]
