#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 600
# lvsd boots, supervises, resizes and retires real VM pools: lvsd on the
# dry backend, the VMs, their bridge and taps and lvsd's checks real, all
# inside a network namespace this test makes.  One lvsd run shares its
# boots between the scenarios (boots cost seconds each under TCG):
#   a pool of 3 and a disk-image pool of 1 boot; every node answers HTTP
#   with its own name and the same shared data, UDP echo works, checks
#   bring them into service; a check failed on demand takes a node out and
#   back; kill -9 of a QEMU takes it out at once, it restarts and returns;
#   resize 3 -> 1 drains and stops two, 1 -> 4 boots three; twenty
#   crash/resize cycles leak no process, tap, overlay or fd; a reload
#   applies a changed size; lvsd killed
#   with SIGKILL takes its QEMUs along, a new lvsd removes the rest; after
#   a normal stop nothing is left.
. "$(dirname "$0")/lib.sh"
. "$HERE/vmm.lib"
need_vmm
vmm_netns
P=w$$ D=d$$
S=$T/state
BOOT=${VMM_BOOT_LIMIT:-240}	# seconds for boots on a loaded 2-core host
trap 'for p in $(pool_pids $P) $(pool_pids $D); do kill -9 $p; done; cleanup' EXIT

cat > "$T/lvsd.conf" <<CONF
global_defs {
	lvsd_vmm_state_dir $S
}
vm_pool $P {
	kernel $NODE/vmlinuz
	initrd $NODE/initrd.cpio.gz
	data_disk $NODE/data.img
	size 3
	max 4
	bridge vb$$
	bridge_address 10.77.0.1/24
	address_range 10.77.0.10-10.77.0.20
	accel tcg
	restart_backoff 0.5
	restart_backoff_max 2
	crash_limit 0
	stop_timeout 5
}
vm_pool $D {
	kernel $NODE/vmlinuz
	initrd $NODE/initrd.cpio.gz
	image $NODE/rootfs.qcow2
	data_disk $NODE/data.img
	size 1
	max 1
	bridge vd$$
	bridge_address 10.78.0.1/24
	address_range 10.78.0.10-10.78.0.10
	accel tcg
	stop_timeout 5
}
virtual_server 10.0.0.1 80 {
	lb_algo rr
	lb_kind NAT
	protocol TCP
	delay_loop 1
	real_server_pool $P {
		drain_timeout 2
		HTTP_GET {
			url {
				path /health
				status_code 200
			}
			connect_timeout 3
			retry 2
			delay_before_retry 1
		}
	}
}
virtual_server 10.0.0.2 80 {
	lb_algo rr
	lb_kind NAT
	protocol TCP
	delay_loop 1
	real_server_pool $D {
		TCP_CHECK {
			connect_timeout 3
		}
	}
}
CONF

start_lvsd_ns
wait_for "$BOOT" in_service_is $P 3 || fail "pool $P: $(pool_field $P in_service)/3 in service"
wait_for "$BOOT" in_service_is $D 1 || fail "pool $D not in service"
ok "3 + 1 nodes in service ($(grep -c 'in service .* after' "$T/lvsd.log") boots)"
grep -q "pool $P: 3/3 in service" "$T/lvsd.log" || fail "no progress line"
# 3 = NET_ADDR_SET: the bridge keeps its own MAC whatever taps come and go.
[ "$(in_ns cat /sys/class/net/vb$$/addr_assign_type)" = 3 ] ||
	fail "bridge vb$$ has no MAC of its own"

shared=$(cat "$NODE/data.img" >/dev/null; in_ns curl -s -m 5 http://10.77.0.10/data/shared.txt)
[ -n "$shared" ] || fail "no shared data from $P-0"
for i in 0 1 2; do
	name=$(in_ns curl -s -m 5 "http://10.77.0.1$i/")
	[ "$name" = "$P-$i" ] || fail "10.77.0.1$i answers '$name', not $P-$i"
	[ "$(in_ns curl -s -m 5 "http://10.77.0.1$i/data/shared.txt")" = "$shared" ] ||
		fail "$P-$i serves other data"
	weight_is 10.0.0.1:80 "10.77.0.1$i:80" 1 || fail "$P-$i not in the service"
done
[ "$(in_ns curl -s -m 5 http://10.78.0.10/)" = "$D-0" ] || fail "disk node's name"
[ "$(in_ns curl -s -m 5 http://10.78.0.10/data/shared.txt)" = "$shared" ] ||
	fail "disk node's shared data"
[ -f "$S/$D-0.qcow2" ] || fail "no overlay for $D-0"
weight_is 10.0.0.2:80 10.78.0.10:80 1 || fail "$D-0 not in its service"
[ "$(echo ping | in_ns socat -t 3 - UDP:10.77.0.11:7)" = ping ] || fail "UDP echo"
ok "names, shared data, overlay, UDP echo"

# A failing health check, on demand: out, then back.
in_ns curl -s -m 5 http://10.77.0.12/cgi-bin/fail >/dev/null
wait_for 60 weight_is 10.0.0.1:80 10.77.0.12:80 absent || fail "failing node stays"
[ "$(node_field $P-2 state)" = unhealthy ] || fail "state $(node_field $P-2 state)"
in_ns curl -s -m 5 http://10.77.0.12/cgi-bin/heal >/dev/null
wait_for 60 weight_is 10.0.0.1:80 10.77.0.12:80 1 || fail "healed node stays out"
ok "a check failed on demand takes the node out and back"

# kill -9: out of the service at once, restarted, back.
pid=$(node_field $P-1 pid)
t0=$(ms_now)
kill -9 "$pid"
wait_for 5 weight_is 10.0.0.1:80 10.77.0.11:80 absent || fail "dead node stays in"
out=$(( $(ms_now) - t0 ))
wait_for "$BOOT" in_service_is $P 3 || fail "crashed node did not return"
back=$(( $(ms_now) - t0 ))
[ "$(node_field $P-1 restarts)" = 1 ] || fail "restarts $(node_field $P-1 restarts)"
[ "$(node_field $P-1 pid)" != "$pid" ] || fail "same pid"
grep -q "$P-1 QEMU died of signal 9" "$T/lvsd.log" || fail "crash not logged"
ok "kill -9: out in ${out} ms, back in service in ${back} ms"

# Resize 3 -> 1: two drained and stopped, nothing of theirs left.
pids="$(node_field $P-1 pid) $(node_field $P-2 pid)"
[ "$(ctl pool resize $P 1)" = "ok pool resize $P 1" ] || fail "resize"
wait_for 60 node_count_is $P 1 || fail "nodes left: $(pool_json)"
for p in $pids; do kill -0 "$p" 2>/dev/null && fail "QEMU $p still runs"; done
weight_is 10.0.0.1:80 10.77.0.11:80 absent || fail "$P-1 still in the service"
weight_is 10.0.0.1:80 10.77.0.12:80 absent || fail "$P-2 still in the service"
grep -q "retiring node $P-2" "$T/lvsd.log" || fail "no retire"
grep -q "10.77.0.12:80 drained" "$T/lvsd.log" || fail "$P-2 not drained"
[ -e "$S/$P-1.node" ] || [ -e "$S/$P-2.node" ] && fail "records left"
[ "$(ip -n "$NS" -o link | grep -c "alias lvsd-vmm:pool $P\$")" = 2 ] ||
	fail "taps left: $(ip -n "$NS" -o link | grep alias)"
ok "resize 3 -> 1 drained and stopped two"

# Resize 1 -> 4.
ctl pool resize $P 4 >/dev/null
wait_for "$BOOT" in_service_is $P 4 || fail "1 -> 4: $(pool_field $P in_service) in service"
ok "resize 1 -> 4 booted three"
ctl pool resize $P 5 | grep -q "^error: .*outside" || fail "resize above max accepted"

# Twenty crash/resize cycles, then back to one node: no leak.
ctl pool resize $P 1 >/dev/null
wait_for 60 node_count_is $P 1 || fail "not back to 1"
fd0=$(ls /proc/$LVSD_PID/fd | wc -l)
for i in $(seq 20); do
	pid=$(pool_json | jq -r --arg p $P '[.[] | select(.name == $p) |
		.nodes[] | select(.pid > 0) | .pid] | .[0] // empty')
	[ -n "$pid" ] && kill -9 "$pid"
	ctl pool resize $P $(( i % 2 ? 3 : 1 )) >/dev/null
	sleep 0.5
done
ctl pool resize $P 1 >/dev/null
wait_for 120 node_count_is $P 1 || fail "cycles: nodes $(pool_json)"
wait_for "$BOOT" in_service_is $P 1 || fail "cycles: $P-0 not back"
[ "$(pool_pids $P | wc -l)" = 1 ] || fail "QEMU processes: $(pool_pids $P)"
[ "$(ip -n "$NS" -o link | grep -c "alias lvsd-vmm:pool $P\$")" = 2 ] ||
	fail "taps after cycles"
[ "$(ls "$S"/$P-*.node | wc -l)" = 1 ] || fail "records after cycles"
fd1=$(ls /proc/$LVSD_PID/fd | wc -l)
[ "$fd1" -le $((fd0 + 2)) ] || fail "fds: $fd0 before, $fd1 after"
ok "20 crash/resize cycles: 1 QEMU, 1 tap, 1 record, fds $fd0 -> $fd1"

# A reload applies a changed size (and only a changed one).
sed -i 's/^\tsize 3$/\tsize 2/' "$T/lvsd.conf"
ctl reload | grep -q "^ok" || fail "reload"
wait_for 30 node_count_is $P 2 || fail "reload to size 2: $(pool_json)"
[ "$(pool_field $P size)" = 2 ] || fail "size after reload"
[ "$(ctl pool retire $P-1)" = "ok pool retire $P-1" ] || fail "retire"
wait_for 30 node_count_is $P 1 || fail "retire: $(pool_json)"
[ "$(pool_field $P size)" = 1 ] || fail "retire did not shrink the pool"
ctl reload | grep -q "^ok" || fail "second reload"
[ "$(pool_field $P size)" = 1 ] || fail "an unchanged size undid a retire"
sed -i 's/^\tsize 2$/\tsize 3/' "$T/lvsd.conf"
ok "reload: size 1 -> 2 from the file; retire one; an unchanged size keeps it"

# An operator's restart: drained, powered off, booted again, back.
pid=$(node_field $P-0 pid)
[ "$(ctl pool restart $P-0)" = "ok pool restart $P-0" ] || fail "restart"
wait_for 30 sh -c "! kill -0 $pid 2>/dev/null" || fail "restart: old QEMU stays"
wait_for "$BOOT" in_service_is $P 1 || fail "restart: not back"
[ "$(node_field $P-0 pid)" != "$pid" ] || fail "restart: same QEMU"
ok "pool restart: a new QEMU, back in service"

# SIGKILL: the QEMUs die with lvsd; a new lvsd removes the rest.
kill -9 "$LVSD_PID"
wait "$LVSD_PID" 2>/dev/null
wait_for 10 test -z "$(pool_pids $P)$(pool_pids $D)" || fail "QEMU outlived lvsd"
[ -e "$S/$P-0.node" ] || fail "no record left to recover"
[ -e "$S/$D-0.qcow2" ] || fail "no overlay left to recover"
start_lvsd_ns
# The control socket opens before the pools start: wait for the log.
wait_for 30 grep -q "removed bridge vd$$ left by a previous instance" \
	"$T/lvsd.log" || fail "bridge not removed"
grep -q "removed node $P-0 left by a previous instance" "$T/lvsd.log" ||
	fail "leftovers not removed"
wait_for 30 node_count_is $P 3 || fail "pool not restarted"
ok "SIGKILL: QEMUs died with lvsd, the next one cleaned up and started"

# A normal stop leaves nothing.
kill -TERM "$LVSD_PID"
wait_for 60 sh -c "! kill -0 $LVSD_PID" || fail "lvsd did not stop"
vmm_leftovers "$NS" "$S" $P $D > "$T/left" || fail "left: $(cat "$T/left")"
ip -n "$NS" -o link | grep -q "vb$$\|vd$$" && fail "bridges left"
ok "normal stop: nothing left"
echo "10 passed, 0 failed"
