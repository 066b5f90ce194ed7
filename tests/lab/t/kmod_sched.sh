#!/bin/bash
# Scheduling behaviour of the core: persistence holds a client on one
# real server; weight 0 stops new connections but keeps existing ones;
# thresholds set and clear the overload flag; removing a real server
# under traffic moves the traffic to the others.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

kmod_setup 3
for i in 1 2 3; do kmod_serve $i 80; done
rs() { echo "$(lab_rs_addr "$1"):80"; }

# Persistence: 6 connections from one client, all on one real server.
lvs svc add -t $VIP4:80 -s rr -p 30
for i in 1 2 3; do lvs rs add -t $VIP4:80 -r "$(rs $i)" -m; done
lab_check "persistent: one real server for 6 connections" \
	sh -c "[ \$(ip netns exec client python3 $KTOOLS/client.py tcp $VIP4 80 6 | sort -u | wc -l) = 1 ]"
pers() {
	local i t=0
	for i in 1 2 3; do
		t=$((t + $(lvs_stat -t $VIP4:80 -r "$(rs $i)" persistconns)))
	done
	echo $t
}
lab_check_eq "persistent: one template" 1 pers
lab_check "persistent: template listed" kmod_has "IP\|TCP NONE\|flags=0x1" lvs conns
lvs flush

# Persistence over UDP with a netmask.
lvs svc add -u $VIP4:80 -s rr -p 30 -M 255.255.255.0
for i in 1 2 3; do lvs rs add -u $VIP4:80 -r "$(rs $i)" -m; done
lab_check "persistent UDP /24: one real server for 6 flows" \
	sh -c "[ \$(ip netns exec client python3 $KTOOLS/client.py udp $VIP4 80 6 | sort -u | wc -l) = 1 ]"
lvs flush

# Weight 0: a held connection survives, new ones avoid the server.
lvs svc add -t $VIP4:80 -s rr
for i in 1 2 3; do lvs rs add -t $VIP4:80 -r "$(rs $i)" -m; done
kmod_client tcp $VIP4 80 1 --hold 6 > /tmp/held &
heldpid=$!
sleep 2
held=$(lvs conns | awk '/ESTABLISHED/ {print $5}' | head -1)
hip=${held%:80}
hname=rs$(( ${hip##*.} - 10 ))
lab_check "weight 0: held connection is established" test -n "$held"
lab_check "weight 0: set" lvs rs edit -t $VIP4:80 -r "$held" -w 0
lab_check "weight 0: no new connection reaches it" \
	sh -c "! ip netns exec client python3 $KTOOLS/client.py tcp $VIP4 80 6 | grep -qx $hname"
wait $heldpid
lab_check_eq "weight 0: the held connection still answered" "$hname" \
	cat /tmp/held
lvs rs edit -t $VIP4:80 -r "$held" -w 1
lvs flush

# Thresholds: overload at u_threshold, cleared below.
lvs svc add -t $VIP4:80 -s rr
lvs rs add -t $VIP4:80 -r "$(rs 1)" -m -x 1
lvs rs add -t $VIP4:80 -r "$(rs 2)" -m -x 1
kmod_client tcp $VIP4 80 1 --hold 5 >/dev/null &
thpid=$!
sleep 2
flags1() { lvs_stat -t $VIP4:80 -r "$(rs 1)" flags; }
flags2() { lvs_stat -t $VIP4:80 -r "$(rs 2)" flags; }
over=$(( $(flags1) | $(flags2) ))
lab_check_eq "threshold 1: a server is overloaded (flags 0x3)" 3 echo $over
wait $thpid
# The ended connection still counts (inactive) until it expires; a higher
# threshold clears the flag at once.
lvs rs edit -t $VIP4:80 -r "$(rs 1)" -x 4
lvs rs edit -t $VIP4:80 -r "$(rs 2)" -x 4
lab_check_eq "threshold raised: overload cleared" 1 \
	sh -c "echo \$(( \$(ip netns exec director python3 $LVSNL stat -t $VIP4:80 -r $(rs 1) flags) | \$(ip netns exec director python3 $LVSNL stat -t $VIP4:80 -r $(rs 2) flags) ))"
lvs flush

# Removing a real server under traffic.
lvs svc add -t $VIP4:80 -s rr
lvs svc add -u $VIP4:80 -s rr
for i in 1 2 3; do
	lvs rs add -t $VIP4:80 -r "$(rs $i)" -m
	lvs rs add -u $VIP4:80 -r "$(rs $i)" -m
done
kmod_client tcp $VIP4 80 100000 > /tmp/tcp.out &
tp=$!
kmod_client udp $VIP4 80 100000 --sport 5353 --timeout 1 > /tmp/udp.out &
up=$!
sleep 3
lab_check "remove rs2 (tcp) under traffic" lvs rs del -t $VIP4:80 -r "$(rs 2)"
mark=$(wc -l < /tmp/tcp.out)
lab_check "remove rs2 (udp) under traffic" lvs rs del -u $VIP4:80 -r "$(rs 2)"
# Traffic goes on for a while after the removal, then stops.
sleep 8
kill $tp $up 2>/dev/null
wait $tp $up 2>/dev/null
lab_check "tcp: traffic went on after the removal" \
	sh -c "[ \$(wc -l < /tmp/tcp.out) -gt \$(( $mark + 10 )) ]"
lab_check "tcp: after the removal only rs1 and rs3 answer" \
	sh -c "! tail -n +$((mark + 3)) /tmp/tcp.out | grep -q rs2"
lab_check "tcp: at most one connection lost" \
	sh -c "[ \$(grep -c ERR /tmp/tcp.out) -le 1 ]"
lab_check "udp: the same client port moved off rs2" \
	sh -c "tail -20 /tmp/udp.out | grep -qv 'rs[13]' && exit 1 || exit 0"
lab_check "rs2 is gone" sh -c "! ip netns exec director python3 $LVSNL ls | grep -q $(lab_rs_addr 2)"
sort /tmp/tcp.out | uniq -c
sort /tmp/udp.out | uniq -c
lvs ls
lab_done
