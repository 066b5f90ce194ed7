#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The eBPF datapath's connection thresholds (bpf_env.inc's namespaces), as
# lvs.ko's: a real server whose connections (active + inactive) reach
# its upper threshold is overloaded and takes no new ones until they fall
# to its lower threshold (or below 3/4 of the upper one); the listing
# shows the thresholds; a lower threshold above the upper is refused.
# Weight 0 keeps established connections; fwmark services are refused.
. "$(dirname "$0")/lib.sh"
. "$HERE/bpf_env.inc"

vs -A -t $VIP:80 -s rr || fail "add service"
vs -a -t $VIP:80 -r 10.77.2.2:8080 -m -x 1 || fail "add rs1, threshold 1"
vs -a -t $VIP:80 -r 10.77.3.2:8080 -m || fail "add rs2"
out=$(for i in 1 2 3 4; do get; done | tr '\n' ' ')
check "rs1 overloaded at its first connection ($out)" \
	test "$out" = "rs2 rs1 rs2 rs2 "
th=$(vs -L -n --thresholds | awk '/-> 10.77.2.2:8080/ { print $3 "/" $4 }')
check "--thresholds lists 1/0 ($th)" test "$th" = 1/0

# A threshold raised above the count clears the flag at once.
vs -e -t $VIP:80 -r 10.77.2.2:8080 -m -x 10 -y 5 || fail "edit thresholds"
out=$(for i in 1 2; do get; done | sort | tr '\n' ' ')
check "raised threshold: rs1 takes connections again ($out)" \
	test "$out" = "rs1 rs2 "
th=$(vs -L -n --thresholds | awk '/-> 10.77.2.2:8080/ { print $3 "/" $4 }')
check "--thresholds lists 10/5 ($th)" test "$th" = 10/5

# Both overloaded: nothing takes the connection.
vs -e -t $VIP:80 -r 10.77.2.2:8080 -m -x 1 || fail "threshold 1 on rs1"
vs -e -t $VIP:80 -r 10.77.3.2:8080 -m -x 1 || fail "threshold 1 on rs2"
check "every real server overloaded: no connection" test -z "$(get)"

err=$(vs -e -t $VIP:80 -r 10.77.2.2:8080 -m -x 1 -y 2 2>&1)
check "lower above upper refused as on the module ($err)" \
	grep -q "lower threshold above the upper threshold" <<<"$err"

err=$(vs -A -f 7 -s rr 2>&1)
check "fwmark service refused, naming the reason ($err)" \
	grep -q "fwmark services are not supported by the bpf datapath (XDP runs before marks are set)" <<<"$err"

# Weight 0: no new connections, established ones go on.
vs -e -t $VIP:80 -r 10.77.2.2:8080 -m -x 0 || fail "rs1 unlimited"
vs -e -t $VIP:80 -r 10.77.3.2:8080 -m -w 0 || fail "rs2 weight 0"
hold 6
wait_for 20 active 1 || fail "held connection not active"
vs -e -t $VIP:80 -r 10.77.2.2:8080 -m -w 0 || fail "rs1 weight 0"
check "weight 0 everywhere: no new connection" test -z "$(get)"
act=$(vs -L -n | awk '/-> 10.77.2.2:8080/ { print $5 }')
check "weight 0 keeps the established connection ($act active)" test "$act" = 1

echo "$PASS passed, $FAILN failed"
[ $FAILN = 0 ]
