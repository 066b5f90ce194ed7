#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 240
# bpf_sync.sh - connection sync on the eBPF datapath (docs/sync.md,
# lib/bpf_sync.c): two directors in their own namespaces with the same
# NAT and DR services (IPv4, and an IPv6 NAT one), a client holding
# long-lived TCP streams, a master
# sync daemon on the first director and a backup started late on the
# second (it must receive the whole table), streams opened after it
# (sent as they come), a datagram of another syncid dropped and counted,
# entries refreshed before they expire on the backup, sync datagrams
# dropped on the way seen as gaps and repaired by a new whole table;
# then the first director's links go down and the VIP and the servers'
# gateway move to the second by hand: every stream must go on.  Stopping
# the daemons and --unload leave no process, state file, program or pin;
# lvsd -b bpf starts and stops them with its VRRP instance.
. "$(dirname "$0")/lib.sh"
VSADM=$TOP/vsadm/vsadm
need_netns
for t in bpftool nsenter ethtool python3 od nft; do
	command -v $t >/dev/null || skip "needs $t"
done
[ -r /sys/kernel/btf/vmlinux ] || skip "kernel without BTF"

MOUNTED=0
if ! [ "$(stat -f -c %T /sys/fs/bpf 2>/dev/null)" = bpf_fs ]; then
	mount -t bpf bpf /sys/fs/bpf || skip "cannot mount bpffs"
	MOUNTED=1
fi
S=bsy$$
C=${S}c D1=${S}d1 D2=${S}d2 R1=${S}r1 R2=${S}r2 SW=${S}sw
VIP=10.88.1.100 GW=10.88.2.254 VIP6=fd88:1::100 GW6=fd88:2::254
v1() { LVS_DATAPATH=bpf nsenter --net=/run/netns/$D1 "$VSADM" "$@"; }
v2() { LVS_DATAPATH=bpf nsenter --net=/run/netns/$D2 "$VSADM" "$@"; }
ino() { stat -L -c %i /run/netns/$1; }
# pid ROLE NS: the sync daemon's pid from its state file, or nothing
pid() {
	local f=/run/lvs/bpf-sync-net$(ino $2)-$1
	[ -f "$f" ] && od -An -t d4 -j4 -N4 "$f" | tr -d ' '
}
finish() {
	local n r p
	for n in $D1 $D2; do
		[ -e /run/netns/$n ] || continue
		for r in master backup; do
			p=$(pid $r $n)
			LVS_DATAPATH=bpf nsenter --net=/run/netns/$n "$VSADM" \
				--stop-daemon $r 2>/dev/null
			[ -n "$p" ] && kill "$p" 2>/dev/null
		done
		LVS_DATAPATH=bpf nsenter --net=/run/netns/$n "$VSADM" \
			--unload 2>/dev/null
	done
	cleanup
	[ $MOUNTED = 1 ] && umount /sys/fs/bpf
}
trap finish EXIT

PASS=0 FAILN=0
check() {	# DESCRIPTION COMMAND...
	local d=$1; shift
	if "$@"; then ok "$d"; PASS=$((PASS + 1))
	else echo "FAIL: $d"; FAILN=$((FAILN + 1)); fi
}

# Two LANs (bridges in $SW): clients 10.88.1.0/24, servers 10.88.2.0/24;
# the directors on both, and a sync link between them.
for n in $C $D1 $D2 $R1 $R2 $SW; do
	ip netns add $n || fail "netns add $n"
	NETNS+=($n)
	ip -n $n link set lo up
done
ip -n $SW link add brc type bridge && ip -n $SW link add brs type bridge ||
	fail bridge
ip -n $SW link set brc up && ip -n $SW link set brs up
# port NS IFNAME BRIDGE ADDR/LEN
port() {
	ip link add $2 netns $1 type veth peer name p$1$2 netns $SW ||
		fail "veth $1 $2"
	ip -n $SW link set p$1$2 master $3 up
	ip netns exec $SW ethtool -K p$1$2 gro on >/dev/null
	ip -n $1 addr add $4 dev $2
	ip -n $1 link set $2 up
	ip netns exec $1 ethtool -K $2 gro on tx off >/dev/null
}
port $C eth0 brc 10.88.1.10/24
port $R1 eth0 brs 10.88.2.11/24
port $R2 eth0 brs 10.88.2.12/24
port $D1 c0 brc 10.88.1.1/24
port $D1 s0 brs 10.88.2.1/24
port $D2 c0 brc 10.88.1.2/24
port $D2 s0 brs 10.88.2.2/24
ip link add sy netns $D1 type veth peer name sy netns $D2 || fail "sync link"
# IPv6 beside: entries of both families travel on the (IPv4) channel
for a in $C:eth0:fd88:1::10 $R1:eth0:fd88:2::11 $R2:eth0:fd88:2::12 \
	 $D1:c0:fd88:1::1 $D1:s0:fd88:2::1 $D2:c0:fd88:1::2 $D2:s0:fd88:2::2; do
	n=${a%%:*} a=${a#*:}
	ip -n $n addr add ${a#*:}/64 dev ${a%%:*} nodad
done
ip -n $D1 addr add 10.88.9.1/24 dev sy && ip -n $D1 link set sy up
ip -n $D2 addr add 10.88.9.2/24 dev sy && ip -n $D2 link set sy up
for n in $D1 $D2; do
	# DR replies come back through the director with the VIP as source
	ip netns exec $n sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv4.conf.all.accept_local=1 net.ipv4.conf.s0.accept_local=1 \
		net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.s0.rp_filter=0 \
		net.ipv6.conf.all.forwarding=1
done
for n in $R1 $R2; do
	ip -n $n route add default via $GW
	ip -n $n -6 route add default via $GW6
	ip -n $n addr add $VIP/32 dev lo	# DR
	ip netns exec $n sysctl -qw net.ipv4.conf.all.arp_ignore=1 \
		net.ipv4.conf.all.arp_announce=2
done
# The master holds the VIP and the servers' gateway.
ip -n $D1 addr add $VIP/32 dev c0
ip -n $D1 addr add $GW/24 dev s0
ip -n $D1 addr add $VIP6/128 dev c0 nodad
ip -n $D1 addr add $GW6/64 dev s0 nodad

cat >"$T/echo.py" <<'EOF'
import socket, socketserver, sys
class H(socketserver.StreamRequestHandler):
    def handle(self):
        for line in self.rfile:
            self.wfile.write(line)
class S(socketserver.ThreadingTCPServer):
    address_family = socket.AF_INET6	# and IPv4, mapped
    allow_reuse_address = True
    daemon_threads = True
S(("::", int(sys.argv[1])), H).serve_forever()
EOF
# streams.py OUT IP:PORT:N...: N connections to each, a line echoed on
# each every 0.25 s; OUT gets "index echoed dead" per connection.
cat >"$T/streams.py" <<'EOF'
import os, socket, sys, time
out, socks = sys.argv[1], []
for t in sys.argv[2:]:
    ip, port, n = t.rsplit(":", 2)
    for i in range(int(n)):
        socks.append(socket.create_connection((ip, int(port)), timeout=10))
count, dead = [0] * len(socks), [0] * len(socks)
while True:
    for i, s in enumerate(socks):
        if dead[i]:
            continue
        try:
            s.settimeout(60)
            s.sendall(b"x\n")
            if s.recv(16) != b"x\n":
                raise OSError("bad echo")
            count[i] += 1
        except OSError:
            dead[i] = 1
    with open(out + ".tmp", "w") as f:
        for i in range(len(socks)):
            f.write("%d %d %d\n" % (i, count[i], dead[i]))
    os.rename(out + ".tmp", out)
    time.sleep(0.25)
EOF
for n in $R1 $R2; do
	bg ip netns exec $n python3 "$T/echo.py" 8080
	bg ip netns exec $n python3 "$T/echo.py" 90
done
up() { ip netns exec $1 ss -Hltn "sport = :$2" | grep -q .; }
for n in $R1 $R2; do
	wait_for 20 up $n 8080 && wait_for 20 up $n 90 || fail "echo servers"
done

# The same services on both directors: NAT on 80, DR on 90 (persistent:
# the client's template travels too).
for v in v1 v2; do
	$v -A -t $VIP:80 -s rr || fail "$v: add NAT service"
	$v -a -t $VIP:80 -r 10.88.2.11:8080 -m || fail "$v: add rs1"
	$v -a -t $VIP:80 -r 10.88.2.12:8080 -m || fail "$v: add rs2"
	$v -A -t [$VIP6]:80 -s rr || fail "$v: add IPv6 NAT service"
	$v -a -t [$VIP6]:80 -r [fd88:2::11]:8080 -m || fail "$v: add rs1 (IPv6)"
	$v -a -t [$VIP6]:80 -r [fd88:2::12]:8080 -m || fail "$v: add rs2 (IPv6)"
	$v -A -t $VIP:90 -s rr -p 120 || fail "$v: add DR service"
	$v -a -t $VIP:90 -r 10.88.2.11 -g || fail "$v: add rs1 (DR)"
	$v -a -t $VIP:90 -r 10.88.2.12 -g || fail "$v: add rs2 (DR)"
done

v1 --start-daemon master --mcast-interface sy --syncid 7 ||
	fail "start the master"
check "-L --daemon lists the master as ipvsadm does" \
	test "$(v1 -L --daemon)" = "master sync daemon (mcast=sy, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)"
check "a second master is refused" \
	sh -c "! LVS_DATAPATH=bpf nsenter --net=/run/netns/$D1 $VSADM --start-daemon master --mcast-interface sy 2>/dev/null"
check "an unknown interface is refused" \
	sh -c "LVS_DATAPATH=bpf nsenter --net=/run/netns/$D2 $VSADM --start-daemon backup --mcast-interface nosuch 2>&1 | grep -q 'no such interface'"

# progress FILE: "index echoed" of live streams; dead FILE: dead ones
streams_up() { [ -f "$1" ] && awk -v n=$2 '$2 >= 2 && !$3 { k++ } END { exit k == n ? 0 : 1 }' "$1"; }
bg ip netns exec $C python3 "$T/streams.py" "$T/s1" $VIP:80:3 $VIP:90:3 \
	$VIP6:80:1
wait_for 30 streams_up "$T/s1" 7 || fail "the first streams do not run"

# active NS N: the director lists N active connections in all
active() {
	LVS_DATAPATH=bpf nsenter --net=/run/netns/$1 "$VSADM" -L -n |
		awk -v n=$2 '/->/ { a += $5 } END { exit a == n ? 0 : 1 }'
}
established() {
	[ "$(LVS_DATAPATH=bpf nsenter --net=/run/netns/$1 "$VSADM" -L -c -n |
	     grep -c ESTABLISHED)" = $2 ]
}
check "the master holds 7 active connections" active $D1 7
v2 --start-daemon backup --mcast-interface sy --syncid 7 ||
	fail "start the backup"
check "the late backup receives the whole table" wait_for 20 established $D2 7
check "the backup counts them active on its real servers" active $D2 7
json() { LVS_DATAPATH=bpf nsenter --net=/run/netns/$1 "$VSADM" -L --daemon --json |
	 python3 -c "import json,sys; print(json.load(sys.stdin)[0]['$2'])"; }
check "the backup counts one resync" test "$(json $D2 resyncs)" -ge 1
# persist NS: PersistConn of the DR service's real servers (one template)
persist() {
	LVS_DATAPATH=bpf nsenter --net=/run/netns/$1 "$VSADM" -L -n \
		--persistent-conn -t $VIP:90 | awk '/->/ { p += $4 } END { print p + 0 }'
}
check "the client's persistence template reached the backup" \
	test "$(persist $D1)" = 1 -a "$(persist $D2)" = 1
# expire NS: seconds left of the first NAT stream's entry
FIRST=$(LVS_DATAPATH=bpf nsenter --net=/run/netns/$D1 "$VSADM" -L -c -n |
	awk '$3 == "ESTABLISHED" && $5 ~ /:80$/ { print $4; exit }')
expire() {
	LVS_DATAPATH=bpf nsenter --net=/run/netns/$1 "$VSADM" -L -c -n |
		awk -v c="$FIRST" '$4 == c { split($2, t, ":"); print t[1] * 60 + t[2]; exit }'
}
near() { local a=$(expire $D1) b=$(expire $D2); [ -n "$b" ] && [ $((a - b)) -le 60 ] && [ $((b - a)) -le 60 ] && [ "$b" -gt 600 ]; }
check "the backup's entry expires when the master's would" near

bg ip netns exec $C python3 "$T/streams.py" "$T/s2" $VIP:80:2 $VIP:90:2
wait_for 30 streams_up "$T/s2" 4 || fail "the later streams do not run"
check "streams opened later reach the backup" wait_for 20 established $D2 11

# A datagram of another syncid on the link: dropped and counted.
before=$(json $D2 dropped)
ip netns exec $D1 python3 -c "
import socket, struct
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, socket.IP_MULTICAST_IF, socket.inet_aton('10.88.9.1'))
s.sendto(struct.pack('>IBBBBI', 0x4c565353, 1, 1, 99, 0, 0), ('224.0.0.81', 8848))"
dropped_more() { [ "$(json $D2 dropped)" -gt "$before" ]; }
check "a datagram of another syncid is dropped and counted" \
	wait_for 10 dropped_more
check "the backup saw no bad entry" test "$(json $D2 bad)" = 0

# Lost datagrams: D2 drops every third sync datagram while short
# connections come and go; it counts the gaps, asks for the table again
# once they pass, and ends up with every entry D1 holds in a final state
# (TIME_WAIT, CLOSE: no later update would repair them).
cat >"$T/short.py" <<'EOF'
import socket, sys, time
end = time.time() + float(sys.argv[2])
while time.time() < end:
    try:
        s = socket.create_connection((sys.argv[1], 80), timeout=5)
        s.sendall(b"y\n")
        s.recv(16)
        s.close()
    except OSError:
        pass
    time.sleep(0.02)
EOF
gaps0=$(json $D2 gaps) tables0=$(json $D1 resyncs)
ip netns exec $D2 nft -f - <<'EOF' || fail "nft"
table inet bsync {
	chain in {
		type filter hook input priority 0;
		udp dport 8848 numgen inc mod 3 == 0 drop
	}
}
EOF
ip netns exec $C python3 "$T/short.py" $VIP 3
more_gaps() { [ "$(json $D2 gaps)" -gt "$gaps0" ]; }
check "the backup counts the datagrams it missed" wait_for 20 more_gaps
ip netns exec $D2 nft delete table inet bsync
more_tables() { [ "$(json $D1 resyncs)" -gt "$tables0" ]; }
check "then asks for the whole table again" wait_for 30 more_tables
final() {	# NS: "client state" of its entries in TIME_WAIT or CLOSE
	LVS_DATAPATH=bpf nsenter --net=/run/netns/$1 "$VSADM" -L -n -c |
		awk '$3 == "TIME_WAIT" || $3 == "CLOSE" { print $4, $3 }' | sort
}
converged() {
	local a b
	a=$(final $D1)
	b=$(final $D2)
	[ -n "$a" ] && [ -z "$(comm -23 <(echo "$a") <(echo "$b"))" ]
}
check "the backup has every final entry of the master" wait_for 30 converged

# Refreshes: with an 8 s TCP timeout, streams opened now would expire
# on the backup unless the master sends them again (after half their
# timeout, as they carry traffic).
v1 --set 8 0 0 && v2 --set 8 0 0 || fail "--set"
bg ip netns exec $C python3 "$T/streams.py" "$T/s3" $VIP:80:1 $VIP:90:1
wait_for 30 streams_up "$T/s3" 2 || fail "the short-timeout streams do not run"
check "the short-timeout streams reach the backup" wait_for 20 established $D2 13
sent0=$(json $D1 sent_conns)
sleep 20
check "after 20 s the backup still has them" established $D2 13
check "the master sent them again meanwhile" \
	test "$(json $D1 sent_conns)" -ge $((sent0 + 4))

# Takeover: the master's links go down; the VIP and the gateway move.
snap() { awk '{ print $2 }' "$T/s1" "$T/s2" "$T/s3" | tr '\n' ' '; }
AT=$(snap)
for i in c0 s0 sy; do ip -n $D1 link set $i down; done
ip -n $D2 addr add $VIP/32 dev c0
ip -n $D2 addr add $GW/24 dev s0
ip -n $D2 addr add $VIP6/128 dev c0 nodad
ip -n $D2 addr add $GW6/64 dev s0 nodad
if command -v arping >/dev/null; then
	ip netns exec $D2 arping -q -U -c 2 -I c0 $VIP
	ip netns exec $D2 arping -q -U -c 2 -I s0 $GW
fi
for n in $C $R1 $R2; do
	ip -n $n neigh flush all; ip -n $n -6 neigh flush all
done
# moved: every stream echoed 4 more lines than at the takeover
moved() {
	paste <(echo "$AT" | tr ' ' '\n' | grep .) \
	      <(awk '{ print $2 }' "$T/s1" "$T/s2" "$T/s3") |
		awk '$2 < $1 + 4 { bad++ } END { exit bad ? 1 : 0 }'
}
check "every stream goes on through the backup" wait_for 60 moved
check "no stream was reset" \
	test "$(awk '$3 { d++ } END { print d + 0 }' "$T/s1" "$T/s2" "$T/s3")" = 0
check "the backup now counts the traffic" \
	sh -c "LVS_DATAPATH=bpf nsenter --net=/run/netns/$D2 $VSADM -L -n --stats | awk '/->/ { p += \$4 } END { exit p > 0 ? 0 : 1 }'"

# Stopping and unloading leave nothing.
P1=$(pid master $D1) P2=$(pid backup $D2)
PROGS=$( (ip -n $D1 -d link show; ip -n $D2 -d link show) |
	 grep -o 'xdp.* id [0-9]*' | awk '{ print $NF }' | sort -u)
for n in $D1 $D2; do
	PROGS+=" $(bpftool prog show pinned /sys/fs/bpf/lvs/net$(ino $n)/lvs_sync_in 2>/dev/null | awk -F: 'NR == 1 { print $1 }')"
done
v1 --stop-daemon master || fail "stop the master"
v2 --stop-daemon backup || fail "stop the backup"
check "no daemon is listed after --stop-daemon" \
	test -z "$(v1 -L --daemon)$(v2 -L --daemon)"
# gone PID: exited (a zombie where no init reaps it counts as gone)
gone() {
	[ -n "$1" ] || return 1
	! [ -d /proc/$1 ] || grep -q '^State:.*Z' /proc/$1/status 2>/dev/null
}
check "the daemons' processes are gone" sh -c "$(declare -f gone); gone '$P1' && gone '$P2'"
check "no state file is left" \
	test -z "$(ls /run/lvs 2>/dev/null | grep -E "net($(ino $D1)|$(ino $D2))-")"
check "--stop-daemon without a daemon says so" \
	sh -c "LVS_DATAPATH=bpf nsenter --net=/run/netns/$D1 $VSADM --stop-daemon master 2>&1 | grep -q 'no master sync daemon'"
# lvsd -b bpf drives the same daemons (lvs_sync_daemon): alone on its
# link its instance becomes master, and the master daemon with it; lvsd
# stopping stops it.
cat >"$T/lvsd.conf" <<EOF
global_defs {
  script_user root
  lvs_sync_daemon sy VI_1 id 7
}
vrrp_instance VI_1 {
  state BACKUP
  interface c0
  virtual_router_id 51
  priority 100
  advert_int 0.5
  version 3
  virtual_ipaddress {
    10.88.1.200/24
  }
}
EOF
bg nsenter --net=/run/netns/$D2 "$LVSD" -b bpf -f "$T/lvsd.conf" -s "$CTL" \
	2>>"$T/lvsd.log"
LV=$LAST_PID
lvsd_master() {
	[ "$(v2 -L --daemon)" = "master sync daemon (mcast=sy, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)" ]
}
check "lvsd -b bpf starts the master daemon with its instance" \
	wait_for 30 lvsd_master
kill $LV
wait $LV 2>/dev/null
check "lvsd stopping stops it" test -z "$(v2 -L --daemon)"

v1 --unload || fail "--unload on the first"
# a daemon holds the maps open: --unload stops it first
v2 --start-daemon master --mcast-interface sy || fail "a master again"
P3=$(pid master $D2)
v2 --unload || fail "--unload on the second"
check "--unload stops the daemons" sh -c "$(declare -f gone); gone '$P3'"
no_prog() {
	local id
	for id in $PROGS; do
		bpftool prog show id $id >/dev/null 2>&1 && return 1
	done
	return 0
}
check "--unload leaves no program (sync_in included)" wait_for 30 no_prog
check "--unload leaves no pinned state" \
	test -z "$(ls /sys/fs/bpf/lvs 2>/dev/null | grep -E "net($(ino $D1)|$(ino $D2))$")"

echo "$PASS passed, $FAILN failed"
[ $FAILN = 0 ]
