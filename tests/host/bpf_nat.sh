#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 180
# The eBPF datapath, natively on this host: a client, a director and two
# real servers in network namespaces over veth; NAT for TCP (curl) and UDP
# (socat) through the VIP, rr and wrr, weight 0, ActiveConn/InActConn,
# the connection listing, expiry by timer, refusals, and --unload leaving
# no program, link or pinned map.
. "$(dirname "$0")/lib.sh"

. "$HERE/bpf_env.inc"

# Real servers the director never talked to: the first connections get
# through (the kernel resolves their neighbour entries, docs/bpf.md).
ip -n $D neigh flush all
vs -A -t $VIP:80 -s rr || fail "add TCP service"
vs -a -t $VIP:80 -r 10.77.2.2:8080 -m || fail "add rs1"
vs -a -t $VIP:80 -r 10.77.3.2:8080 -m || fail "add rs2"
vs -A -u $VIP:53 -s wrr || fail "add UDP service"
vs -a -u $VIP:53 -r 10.77.2.2:5353 -m -w 3 || fail "add udp rs1"
vs -a -u $VIP:53 -r 10.77.3.2:5353 -m -w 1 || fail "add udp rs2"

out=$(for i in 1 2 3 4; do get; done | tr '\n' ' ')
check "rr alternates over NAT, replies included, never pinged ($out)" \
	test "$out" = "rs2 rs1 rs2 rs1 " -o "$out" = "rs1 rs2 rs1 rs2 "

stats=$(vs -L -n --stats)
conns=$(echo "$stats" | awk '$1 == "TCP" { print $3 }')
outp=$(echo "$stats" | awk '$1 == "TCP" { print $5 }')
check "--stats counts 4 connections ($conns) and replies ($outp)" \
	test "$conns" = 4 -a "${outp:-0}" -gt 0
check "-c lists the 4 connections" \
	test "$(vs -L -n -c | grep -c "$VIP:80")" -ge 4

# A connection held open is active; closed ones are inactive.
hold 8
check "an open connection counts in ActiveConn" wait_for 20 active 1
inact=$(vs -L -n | awk '/-> 10.77.[23].2:8080/ { s += $6 } END { print s }')
check "closed connections count in InActConn ($inact)" test "$inact" -ge 4

vs -e -t $VIP:80 -r 10.77.3.2:8080 -m -w 0 || fail "weight 0"
out=$(for i in 1 2 3; do get; done | tr '\n' ' ')
check "weight 0 takes no new connections ($out)" test "$out" = "rs1 rs1 rs1 "

udp() { echo q | ip netns exec $C socat -T2 - UDP4:$VIP:53,sourceport=$1; }
vs --set 0 0 2 || fail "--set udp timeout"
out=$(for p in 4001 4002 4003 4004; do udp $p; done | tr '\n' ' ')
check "wrr 3:1 over UDP ($out)" test "$(echo "$out" | grep -o rs1 | wc -l)" = 3

udp_gone() { ! vs -L -n -c | grep -q "^UDP"; }
check "UDP entries expire by their timer" wait_for 30 udp_gone

# A connection's cached next hop lasts 100 ms (docs/bpf.md, Programs).
# The real servers' MACs change: the director's neighbour entries still
# hold the old ones, so the connection's next frame is lost (the check
# after can fail); once the entries change, its frames follow them.
vs --set 0 0 30 || fail "--set udp timeout"
check "a UDP connection, its next hop cached" test -n "$(udp 4100)"
for i in 1 2; do
	ip -n ${S}r$i link set dev eth0 address 02:77:00:00:00:0$i ||
		fail "new MAC for rs$i"
done
check "a frame to the old MAC is lost" test -z "$(udp 4100)"
for i in 1 2; do
	ip -n $D neigh replace 10.77.$((i + 1)).2 dev d$i \
		lladdr 02:77:00:00:00:0$i || fail "neighbour of rs$i"
done
sleep 0.2
check "the same connection follows the new neighbour entry" \
	test -n "$(udp 4100)"

err=$(vs -A -t $VIP:81 -s nosuch 2>&1)
check "unknown scheduler refused as on the module ($err)" \
	test "$err" = "Scheduler not found"
err=$(vs -A -t $VIP:80 -s rr 2>&1)
check "duplicate service refused ($err)" test "$err" = "Service already exists"
err=$(printf -- '-A -t %s:90 -s rr\n-A -t %s:91 -s rr\n-A -t %s:90 -s rr\n' \
	$VIP $VIP $VIP | vs -R 2>&1)
check "-R names the refused line ($err)" \
	grep -q "line 3: Service already exists" <<<"$err"
vs -D -t $VIP:90 && vs -D -t $VIP:91 || fail "delete -R's services"
err=$(vs -a -t $VIP:80 -r 10.77.2.2:8080 -i --tun-type gre 2>&1)
check "gre tunnel refused with a reason" grep -q "ipip only" <<<"$err"

# vsadm alone: a change serves the interfaces created since loading.
ip -n $D link add dx type veth peer name dy || fail "veth in the director"
vs -A -t $VIP:81 -s rr || fail "add a service"
check "a change attaches the datapath to interfaces created since" \
	grep -qw xdp <<<"$(ip -n $D -d link show dx)"
vs -D -t $VIP:81 || fail "delete it"

vs -D -t $VIP:80 || fail "-D"
check "-D removes the service" test "$(vs -L -n | grep -c TCP)" = 0
# lvs_svc_hint (lvs_bpf.h) still names :80's slot, which the next
# service takes: the programs must see that it now holds another key.
vs -A -t $VIP:82 -s rr && vs -a -t $VIP:82 -r 10.77.2.2:8080 -m ||
	fail "a service in the freed slot"
check "a deleted service balances nothing, its slot taken (hint checked)" \
	test -z "$(get 80)"
check "the slot's new service balances" test "$(get 82)" = rs1
vs -D -t $VIP:82 || fail "delete it"
# rr walks a service's own real servers only: after a deletion the
# service's list keeps a copy of the moved entry past its end, and a
# walk that went past the end picked it.  Its dest slot, freed, goes to
# the next real server added anywhere (lowest free slot first), here
# one of :84's; with :83's remaining server quiesced, :83 must refuse,
# not send its client to :84's server.
vs -A -t $VIP:83 -s rr && vs -a -t $VIP:83 -r 10.77.2.2:8080 -m &&
	vs -a -t $VIP:83 -r 10.77.3.2:8080 -m || fail "rr service :83"
vs -d -t $VIP:83 -r 10.77.2.2:8080 || fail "delete :83's rs1"
vs -A -t $VIP:84 -s rr && vs -a -t $VIP:84 -r 10.77.2.2:8080 -m ||
	fail "service :84 takes the freed dest slot"
vs -e -t $VIP:83 -r 10.77.3.2:8080 -m -w 0 || fail "quiesce :83's rs2"
check "rr with every server quiesced refuses, past its list's end too" \
	test -z "$(get 83)"
check "the freed slot's new owner balances" test "$(get 84)" = rs1
vs -D -t $VIP:83 && vs -D -t $VIP:84 || fail "delete :83 and :84"
# A scheduler's table read before userspace rewrote it (mh's, sh's, a
# template) may name a dest slot freed and given to another service's
# real server meanwhile: the programs check the dest's service before
# they use it.  The race, made to order: :85's one real server's entry
# in lvs_dests says it is another service's.
vs -A -t $VIP:85 -s rr && vs -a -t $VIP:85 -r 10.77.2.2:8080 -m ||
	fail "service :85"
DESTS=/sys/fs/bpf/lvs/net$(stat -L -c %i /run/netns/$D)/lvs_dests
# dest_owner DELTA: add DELTA to the service slot (bytes 8-11 of struct
# lvs_bpf_dest) of the dest 10.77.2.2:8080.
dest_owner() {
	local kv
	kv=$(bpftool -j map dump pinned $DESTS | python3 -c '
import json, sys
for e in json.load(sys.stdin):
    v = [int(b, 16) for b in e["value"]]
    if v[0] == 1 and v[16:18] == [0x1f, 0x90] and v[20:24] == [10, 77, 2, 2]:
        svc = int.from_bytes(bytes(v[8:12]), "little") + int(sys.argv[1])
        v[8:12] = list((svc % 2**32).to_bytes(4, "little"))
        print(" ".join(e["key"]), "value hex", " ".join("%02x" % b for b in v))
        break
' "$1") && [ -n "$kv" ] || return 1
	bpftool map update pinned $DESTS key $kv
}
dest_owner 1 || fail "rewrite the dest's service"
check "a real server another service owns is never used" test -z "$(get 85)"
dest_owner -1 || fail "restore the dest's service"
check "the same real server, its owner restored, is" test "$(get 85)" = rs1
vs -D -t $VIP:85 || fail "delete :85"
# The programs attached here, by id: other namespaces may run their own.
PROGS=$(ip -n $D -d link show | grep -o 'xdp.* id [0-9]*' | awk '{ print $NF }' | sort -u)
[ -n "$PROGS" ] || fail "no XDP program found on the director"
vs -C || fail "-C"
check "-C leaves no service" test "$(vs -L -n | grep -cE '^(TCP|UDP)')" = 0
vs --unload || fail "--unload"
check "--unload leaves no pinned state" \
	test -z "$(ls /sys/fs/bpf/lvs 2>/dev/null | grep "net$(stat -L -c %i /run/netns/$D)")"
# maps and programs are freed by the kernel's deferred work: wait
no_prog() {
	local id
	for id in $PROGS; do
		bpftool prog show id $id >/dev/null 2>&1 && return 1
	done
	return 0
}
check "--unload leaves no program" wait_for 30 no_prog
check "--unload leaves no XDP link on the director" \
	test -z "$(ip -n $D -d link show | grep -w xdp)"

echo "$PASS passed, $FAILN failed"
[ $FAILN = 0 ]
