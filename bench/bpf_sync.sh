#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bpf_sync.sh [SECONDS]: connection sync on the eBPF datapath (docs/sync.md,
# lib/bpf_sync.c), natively on this host.  A sender, a master director,
# a sink and a backup director in network namespaces over veth; the
# backup syncs from the master over a veth pair (multicast).
#  1. new entries: bpf_blast sends UDP frames each opening a new flow for
#     SECONDS into a NAT service on the master; reported: entries the
#     master made per second, entries the backup installed per second end
#     to end (from the first frame to the last entry installed), lost and
#     gaps.
#  2. scan cost: with that table idle, the last scan's duration (the
#     daemon records it) and the master daemon's CPU time over 5 s (the
#     scan period is 100 ms, or five times the scan's CPU time if longer).
#  3. full table: the backup restarted; the time until it has received
#     the whole table (REQUEST to END) and its rate.
# Everything runs on the same cores as the sender: rough figures.
set -u
SECS=${1:-1}
HERE=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$HERE/.." && pwd)
VSADM=$TOP/vsadm/vsadm BLAST=$HERE/bpf_blast
[ "$(id -u)" = 0 ] || { echo "bpf_sync.sh: needs root"; exit 77; }
[ -x "$BLAST" ] || { echo "bpf_sync.sh: build bench/bpf_blast first"; exit 1; }

S=bsyb$$ MOUNTED=0
SN=${S}s MN=${S}m BN=${S}b RN=${S}r VIP=10.79.9.1
if ! [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ]; then
	mount -t bpf bpf /sys/fs/bpf && MOUNTED=1
fi
vm() { LVS_DATAPATH=bpf nsenter --net=/run/netns/$MN "$VSADM" "$@"; }
vb() { LVS_DATAPATH=bpf nsenter --net=/run/netns/$BN "$VSADM" "$@"; }
SINK=
cleanup() {
	[ -n "$SINK" ] && kill $SINK
	vm --stop-daemon master 2>/dev/null
	vb --stop-daemon backup 2>/dev/null
	vm --unload 2>/dev/null
	vb --unload 2>/dev/null
	for n in $SN $MN $BN $RN; do ip netns del $n 2>/dev/null; done
	[ $MOUNTED = 1 ] && umount /sys/fs/bpf
}
trap cleanup EXIT

for n in $SN $MN $BN $RN; do ip netns add $n; ip -n $n link set lo up; done
ip link add ds netns $MN type veth peer name eth0 netns $SN
ip link add dr netns $MN type veth peer name eth0 netns $RN
ip link add sy netns $MN type veth peer name sy netns $BN
ip -n $MN addr add 10.79.1.1/24 dev ds
ip -n $MN addr add 10.79.2.1/24 dev dr
ip -n $MN addr add 10.79.8.1/24 dev sy
ip -n $BN addr add 10.79.8.2/24 dev sy
ip -n $BN link add dr type veth peer name drp
ip -n $BN addr add 10.79.2.1/24 dev dr
ip -n $SN addr add 10.79.1.2/24 dev eth0
ip -n $RN addr add 10.79.2.2/24 dev eth0
for n in $MN:ds $MN:dr $MN:sy $BN:sy $BN:dr $BN:drp $SN:eth0 $RN:eth0; do
	ip -n ${n%:*} link set ${n#*:} up
done
ip -n $SN route add default via 10.79.1.1
ip -n $RN route add default via 10.79.2.1
ip netns exec $MN sysctl -qw net.ipv4.ip_forward=1
ip netns exec $SN ethtool -K eth0 tx off >/dev/null
ip netns exec $RN ethtool -K eth0 gro on >/dev/null
ip netns exec $RN python3 -c "import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('0.0.0.0', 9))
time.sleep(86400)" &
SINK=$!
ip netns exec $SN ping -c1 -W2 10.79.2.2 >/dev/null
for v in vm vb; do
	$v -A -u $VIP:9 -s rr && $v -a -u $VIP:9 -r 10.79.2.2:9 -m ||
		{ echo "bpf_sync.sh: cannot set up the service" >&2; exit 1; }
done
vm --start-daemon master --mcast-interface sy || exit 1
vb --start-daemon backup --mcast-interface sy || exit 1

field() {	# NS-FN FIELD: a counter of the daemon FN lists
	$1 -L --daemon --json | python3 -c \
		"import json,sys; print(json.load(sys.stdin)[0]['$2'])"
}
ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
conns() { vm -L -c -n | grep -c '^UDP'; }
sleep 2		# the backup has its (empty) table

# 1. new entries
t0=$(ms)
ip netns exec $SN "$BLAST" $VIP 9 $SECS new 10.79.1.16 >/dev/null
t1=$(ms)
made=$(conns)
last=-1 now=0 tdone=$t1
while :; do
	now=$(field vb recv_conns)
	[ "$now" -ge "$made" ] && { tdone=$(ms); break; }
	[ "$now" = "$last" ] && [ $(( $(ms) - tdone )) -gt 3000 ] && break
	[ "$now" != "$last" ] && tdone=$(ms)
	last=$now
	sleep 0.2
done
echo "new entries: the master made $made in $(( t1 - t0 )) ms" \
     "($(( made * 1000 / (t1 - t0 + 1) ))/s); the backup installed $now" \
     "in $(( tdone - t0 )) ms ($(( now * 1000 / (tdone - t0 + 1) ))/s end to end);" \
     "master lost $(field vm lost), backup gaps $(field vb gaps)," \
     "lost $(field vb lost), bad $(field vb bad)"

# 2. scan cost: the daemon's own figures (its state file: the last
# scan's CPU ns at offset 8, entries read at 16, wall ns at 24), and
# its CPU time
f=/run/lvs/bpf-sync-net$(stat -L -c %i /run/netns/$MN)-master
pid=$(od -An -t d4 -j4 -N4 $f | tr -d ' ')
cpu() { awk '{ print $14 + $15 }' /proc/$pid/stat; }
hz=$(getconf CLK_TCK)
c0=$(cpu); sleep 5; c1=$(cpu)
echo "scan cost: $(( $(od -An -t u8 -j8 -N8 $f) / 1000 )) us of CPU" \
     "($(( $(od -An -t u8 -j24 -N8 $f) / 1000 )) us wall) for" \
     "$(od -An -t u8 -j16 -N8 $f | tr -d ' ') idle entries; the master used" \
     "$(( (c1 - c0) * 1000 / hz / 5 )) ms of CPU per second"

# 3. full table to a restarted backup
vb --stop-daemon backup
t0=$(ms)
vb --start-daemon backup --mcast-interface sy || exit 1
while [ "$(field vb resyncs)" -lt 1 ] && [ $(( $(ms) - t0 )) -lt 60000 ]; do
	sleep 0.1
done
t1=$(ms)
got=$(field vb recv_conns)
echo "full table: $got entries in $(( t1 - t0 )) ms" \
     "($(( got * 1000 / (t1 - t0 + 1) ))/s), backup gaps $(field vb gaps)"
