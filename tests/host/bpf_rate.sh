#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
# The eBPF datapath's rate estimator (bpf_env.inc's namespaces): a client
# sending 50 UDP queries a second, each from a new port, shows in
# --rate as lvs.ko's estimator would (2 s ticks, smoothed by 1/4): CPS,
# InPPS and OutPPS climb towards 50, the byte rates follow; -Z clears them.
. "$(dirname "$0")/lib.sh"
. "$HERE/bpf_env.inc"

vs --set 0 0 5 || fail "--set"
vs -A -u $VIP:53 -s rr || fail "add UDP service"
vs -a -u $VIP:53 -r 10.77.2.2:5353 -m || fail "add rs1"
vs -a -u $VIP:53 -r 10.77.3.2:5353 -m || fail "add rs2"

bg ip netns exec $C python3 -c "
import socket, time
t = time.monotonic()
while True:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.settimeout(0.5)
    s.sendto(b'q' * 20, ('$VIP', 53))
    try:
        s.recv(100)
    except OSError:
        pass
    s.close()
    t += 0.02
    time.sleep(max(0, t - time.monotonic()))"

# rate COLUMN: the service's rate in that column of -L -n --rate
rate() { vs -L -n --rate | awk -v c=$1 '$1 == "UDP" { print $c }'; }
climbed() { [ "$(rate 3)" -ge 20 ]; }
check "CPS climbs towards 50" wait_for 40 climbed
cps=$(rate 3) inpps=$(rate 4) outpps=$(rate 5) inbps=$(rate 6) outbps=$(rate 7)
check "CPS at most 60 ($cps)" test "$cps" -le 60
check "InPPS follows CPS ($inpps)" test "$inpps" -ge 20 -a "$inpps" -le 60
check "OutPPS: the replies ($outpps)" test "$outpps" -ge 20 -a "$outpps" -le 60
# 20-byte payloads: 48-byte IP packets in, 32 out (the reply "rsN\n")
check "InBPS about 48 per packet ($inbps)" \
	test "$inbps" -ge $((inpps * 40)) -a "$inbps" -le $((inpps * 56 + 200))
check "OutBPS too ($outbps)" test "$outbps" -gt 0
hdr=$(vs -L -n --rate | sed -n 2p)
check "--rate header as the module's ($hdr)" \
	grep -q "CPS *InPPS *OutPPS *InBPS *OutBPS" <<<"$hdr"
rs=$(vs -L -n --rate | awk '/-> 10.77.2.2/ { print $3 }')
check "the real servers have rates too ($rs)" test "${rs:-0}" -gt 0
kill $LAST_PID
vs -Z || fail "-Z"
check "-Z clears the rates" test "$(rate 3)/$(rate 6)" = 0/0

echo "$PASS passed, $FAILN failed"
[ $FAILN = 0 ]
