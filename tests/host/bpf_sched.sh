#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
# The eBPF datapath's schedulers, each by its characteristic behaviour,
# and direct routing, with real clients and servers in namespaces
# (bpf_env.inc): lc/wlc/sed/nq avoid a real server holding an active
# connection, fo/ovf prefer the heaviest, sh/dh stick, lblc/lblcr stick
# until overloaded, DR reaches a real server that answers from the VIP.
. "$(dirname "$0")/lib.sh"
. "$HERE/bpf_env.inc"

# least-connection family: idle, they tie and the first listed (rs2)
# wins; once one holds an active connection, every new one goes to the
# other (an active connection weighs 256 inactive ones, or all of it).
for s in lc wlc sed nq; do
	svc $s
	first=$(get)
	hold 6
	wait_for 20 active 1 || fail "$s: held connection not active"
	busy=$(vs -L -n | awk '/->/ && $5 == 1 { print $2 }')
	case $busy in 10.77.2.2:*) other=rs2 ;; *) other=rs1 ;; esac
	out=$(for i in 1 2 3; do get; done | tr '\n' ' ')
	check "$s: first pick rs2 ($first), then away from $busy ($out)" \
		test "$first" = rs2 -a "$out" = "$other $other $other "
	wait_for 20 active 0 || fail "$s: held connection did not end"
done

W1=5 W2=1 svc fo
out=$(for i in 1 2 3; do get; done | tr '\n' ' ')
check "fo: the heaviest takes everything ($out)" test "$out" = "rs1 rs1 rs1 "

# wrr walks as IPVS's: each change restarts the walk at the head of the
# list (rs2, the newest) and carries the current weight over; an edit of
# the service that keeps wrr changes nothing.  rs1 weight 1 added first,
# then rs2 weight 2: the picks start at weight 1 (rs2 rs1), then 2 (rs2).
W1=1 W2=2 svc wrr
out=$(for i in 1 2 3; do get; done | tr '\n' ' ')
check "wrr: the weight of the adds carried over ($out)" \
	test "$out" = "rs2 rs1 rs2 "
vs -e -t $VIP:80 -r 10.77.2.2:8080 -m -w 1 || fail "edit rs1"
out=$(for i in 1 2; do get; done | tr '\n' ' ')
check "wrr: a dest edit restarts at the last pick's weight ($out)" \
	test "$out" = "rs2 rs2 "
vs -E -t $VIP:80 -s wrr || fail "edit service"
out=$(for i in 1 2 3; do get; done | tr '\n' ' ')
check "wrr: a service edit keeps the walk ($out)" test "$out" = "rs1 rs2 rs2 "

# ovf: rs2 (weight 2) takes new connections while its active ones do not
# exceed its weight: three, then rs1 gets the fourth.
W1=1 W2=2 svc ovf
for i in 1 2 3 4; do
	hold 8
	wait_for 20 active $i || fail "ovf: held connection $i not active"
done
per=$(vs -L -n | awk '/-> 10.77.3.2/ { a = $5 } /-> 10.77.2.2/ { b = $5 } END { print a "/" b }')
check "ovf: the heaviest takes 3 active, then overflow (rs2/rs1: $per)" \
	test "$per" = 3/1
wait_for 20 active 0 || fail "ovf: held connections did not end"

for s in sh dh; do
	svc $s
	out=$(for i in 1 2 3 4; do get; done | sort -u | wc -l)
	check "$s: one client sticks to one real server" test "$out" = 1
done

# lblc, lblcr: one destination address (the VIP) sticks to the real
# server wlc chose first (rs2, listed first); once it holds more active
# connections than its weight while rs1 has less than half its weight's,
# the next connection goes to rs1 and (lblc: replaces it, lblcr: joins
# the set as the least loaded member) the address sticks there.
for s in lblc lblcr; do
	svc $s
	out=$(for i in 1 2 3; do get; done | tr '\n' ' ')
	check "$s: one destination address sticks to one real server ($out)" \
		test "$out" = "rs2 rs2 rs2 "
	hold 8
	wait_for 20 active 1 || fail "$s: held connection 1 not active"
	hold 8
	wait_for 20 active 2 || fail "$s: held connection 2 not active"
	per=$(vs -L -n | awk '/-> 10.77.3.2/ { print $5 }')
	out=$(for i in 1 2 3; do get; done | tr '\n' ' ')
	check "$s: its server overloaded ($per active, weight 1), reassigned ($out)" \
		test "$per" = 2 -a "$out" = "rs1 rs1 rs1 "
	wait_for 20 active 0 || fail "$s: held connections did not end"
done

W1=1 W2=0 svc sh -b sh-fallback
rs=$(get)
check "sh: weight 0 on its bucket's server falls back when asked ($rs)" \
	test "$rs" = rs1

# Persistence: one client, one real server, whatever rr would do; the
# template is listed with client port 0.
svc rr -p 60
out=$(for i in 1 2 3 4; do get; done | sort -u | wc -l)
check "persistence: rr sticks to one real server for one client" \
	test "$out" = 1
check "persistence: the template is listed" \
	grep -q "NONE *10.77.1.2:0 *$VIP:80" <<<"$(vs -L -n -c)"
pc=$(vs -L -n --persistent-conn | awk '/->/ { s += $4 } END { print s }')
check "persistence: PersistConn counts the template ($pc)" test "$pc" = 1

# Direct routing: the real servers carry the VIP and answer from it,
# through the director as their router, which then must not own the VIP
# (it would take the replies for martians).
ip -n $D addr del $VIP/32 dev lo
for n in $R1 $R2; do ip -n $n addr add $VIP/32 dev lo; done
vs -A -t $VIP:8080 -s rr || fail "add DR service"
vs -a -t $VIP:8080 -r 10.77.2.2 -g || fail "add DR rs1"
vs -a -t $VIP:8080 -r 10.77.3.2 -g || fail "add DR rs2"
out=$(for i in 1 2; do get 8080; done | sort | tr '\n' ' ')
check "DR: both real servers answer through the VIP ($out)" \
	test "$out" = "rs1 rs2 "
check "DR: the connections are listed as Route" \
	test "$(vs -L -n -c | grep -c "$VIP:8080")" -ge 2

# One-packet scheduling (UDP, DR): every datagram is scheduled afresh,
# even from one socket, and no entry is made.
vs -A -u $VIP:5353 -s rr -o || fail "add one-packet service"
vs -a -u $VIP:5353 -r 10.77.2.2 -g || fail "add ops rs1"
vs -a -u $VIP:5353 -r 10.77.3.2 -g || fail "add ops rs2"
out=$(ip netns exec $C python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(3)
out = []
for i in range(4):
    s.sendto(b'q', ('$VIP', 5353))
    try:
        out.append(s.recvfrom(100)[0].decode().strip())
    except OSError:
        out.append('-')
print(' '.join(out))")
check "one-packet: one socket's datagrams alternate ($out)" \
	test "$out" = "rs2 rs1 rs2 rs1" -o "$out" = "rs1 rs2 rs1 rs2"
check "one-packet: no entry is made" \
	test "$(vs -L -n -c | grep -c "$VIP:5353")" = 0

echo "$PASS passed, $FAILN failed"
[ $FAILN = 0 ]
