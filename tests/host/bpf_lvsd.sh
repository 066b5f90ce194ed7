#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# lvsd -b bpf: the daemon drives the eBPF datapath through liblvsc, its
# health checks follow a real server away and back, and vsadm sees the
# same table (bpf_env.inc's namespaces).
. "$(dirname "$0")/lib.sh"
. "$HERE/bpf_env.inc"

cat >"$T/lvsd.conf" <<CONF
global_defs {
  lvs_timeouts tcp 901 tcpfin 61 udp 301
}
virtual_server $VIP 80 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.5
  delay_before_retry 0.5
  protocol TCP
  real_server 10.77.2.2 8080 {
    TCP_CHECK { connect_timeout 1 }
  }
  real_server 10.77.3.2 8080 {
    TCP_CHECK { connect_timeout 1 }
  }
}
CONF
bg sh -c "exec nsenter --net=/run/netns/$D \"$LVSD\" -b bpf -f \"$T/lvsd.conf\" -s \"$CTL\" 2>>\"$T/lvsd.log\""
wait_for 10 test -S "$CTL" || fail "lvsd did not start"

two() { [ "$(vs -L -n | grep -c -- '-> 10.77.[23].2:8080')" = 2 ]; }
check "lvsd put the service and both real servers into the eBPF datapath" \
	wait_for 30 two
out=$(for i in 1 2 3 4; do get; done | sort | tr '\n' ' ')
check "traffic through lvsd's service ($out)" test "$out" = "rs1 rs1 rs2 rs2 "
tmo() { vs -L --timeout | grep -q "$1"; }
check "lvs_timeouts reached the eBPF datapath" tmo ": 901 61 301"
sed -i 's/tcp 901 tcpfin 61/tcp 902 tcpfin 62/' "$T/lvsd.conf"
"$LVSD" ctl -s "$CTL" reload >/dev/null
check "a reload applies changed lvs_timeouts" wait_for 10 tmo ": 902 62 301"

# rs2's server goes away: its check fails and lvsd takes it out.
ip netns exec $R2 ss -Hltnp "sport = :8080" | grep -o 'pid=[0-9]*' |
	cut -d= -f2 | xargs -r kill
one() { [ "$(vs -L -n | grep -c -- '-> 10.77.3.2:8080')" = 0 ]; }
check "a failed check removes the real server from the datapath" \
	wait_for 30 one
out=$(for i in 1 2; do get; done | tr '\n' ' ')
check "traffic goes to the one left ($out)" test "$out" = "rs1 rs1 "

# An interface created while lvsd runs is served (RTM_NEWLINK), as IPVS
# serves every interface: a second client behind it reaches the VIP.
C2=${S}c2
ip netns add $C2 || fail "netns add $C2"
NETNS+=($C2)
ip -n $C2 link set lo up
peer dn $C2 10.77.4.2 10.77.4.1 fd77:4::2 fd77:4::1
xdp_on() { ip -n $D -d link show dn | grep -qw xdp; }
check "lvsd attached the datapath to the new interface" wait_for 10 xdp_on
out=$(ip netns exec $C2 curl -s --max-time 5 http://$VIP/)
check "a client behind it is served ($out)" test "$out" = rs1

echo "$PASS passed, $FAILN failed"
[ $FAILN = 0 ]
