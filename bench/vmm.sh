#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# bench/vmm.sh [N...]: VM pools under lvsd (dry backend, real VMs) in a
# network namespace of its own.  For each N (default 1 4 8): time from
# lvsd's start to N nodes in service, against one bare QEMU boot of the
# same image to its first HTTP answer measured in the same run (the
# reference: what lvsd adds is supervision, taps, checks); QEMU RSS per
# node; and for N=1 the crash-to-return time and the overlay growth of a
# disk-image node.  Needs root.  Figures, not assertions.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
LVSD=${LVSD:-$top/lvsd/lvsd}
[ "$(id -u)" = 0 ] || { echo "vmm bench: needs root" >&2; exit 77; }
node=$("$top/scripts/mknode") || exit 1
make -s -C "$top/lvsd" >/dev/null || exit 1
accel=$("$top/scripts/accel")
ns=vmmb$$ T=$(mktemp -d /tmp/vmm-bench.XXXXXX)
ctl() { "$LVSD" ctl -s "$T/ctl.sock" "$@"; }
now() { awk '{ printf "%.2f\n", $1 }' /proc/uptime; }
lpid=
cleanup() {
	[ -n "$lpid" ] && kill "$lpid" 2>/dev/null && wait "$lpid" 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
ip netns add "$ns" && ip -n "$ns" link set lo up || exit 1

until_true() {	# LIMIT CMD...
	local end=$(( $(date +%s) + $1 )); shift
	while [ "$(date +%s)" -lt "$end" ]; do "$@" && return 0; sleep 0.2; done
	return 1
}
in_service() {
	[ "$(ctl pool json 2>/dev/null | jq --arg p "$1" \
		'.[] | select(.name == $p) | .in_service')" = "$2" ]
}

# The reference: one bare QEMU, same kernel, initramfs and network.
ip -n "$ns" link add vbref type bridge
ip -n "$ns" addr add 10.90.0.1/24 dev vbref
ip -n "$ns" link set vbref up
ip -n "$ns" tuntap add vbref0 mode tap
ip -n "$ns" link set vbref0 master vbref up
khz=$(awk -F: '/cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
t0=$(now)
ip netns exec "$ns" qemu-system-x86_64 -M microvm -accel "$accel" \
	-cpu "$([ "$accel" = kvm ] && echo host || echo max)" -m 128 \
	-nodefaults -no-user-config -display none -serial none \
	-kernel "$node/vmlinuz" -initrd "$node/initrd.cpio.gz" \
	-append "console=ttyS0 quiet tsc_early_khz=$khz node.name=ref node.addr=10.90.0.10/24" \
	-netdev tap,id=n0,ifname=vbref0,script=no,downscript=no \
	-device virtio-net-device,netdev=n0 2>/dev/null &
qp=$!
until_true 300 ip netns exec "$ns" curl -s -m 1 -o /dev/null http://10.90.0.10/
ref=$(echo "$(now) - $t0" | bc)
kill "$qp"; wait "$qp" 2>/dev/null
printf 'vmm: accel %s, load %s\n' "$accel" "$(cut -d' ' -f1 /proc/loadavg)"
printf 'vmm: reference: one bare QEMU to its first HTTP answer: %.1f s\n' "$ref"

conf() {	# POOL SIZE [image]
	cat > "$T/lvsd.conf" <<CONF
global_defs { lvsd_vmm_state_dir $T/state }
vm_pool $1 {
	kernel $node/vmlinuz
	initrd $node/initrd.cpio.gz
	data_disk $node/data.img
	${3:+image $node/rootfs.qcow2}
	size $2
	max $2
	bridge vb$$
	bridge_address 10.91.0.1/24
	address_range 10.91.0.10-10.91.0.99
	accel $accel
	restart_backoff 0.1
}
virtual_server 10.0.0.1 80 {
	lb_algo rr
	lb_kind NAT
	protocol TCP
	delay_loop 0.5
	real_server_pool $1 {
		warmup 0
		HTTP_GET {
			url { path /health status_code 200 }
			connect_timeout 1
			retry 0
		}
	}
}
CONF
}
start() {
	rm -f "$T/ctl.sock"
	t0=$(now)
	ip netns exec "$ns" "$LVSD" -b dry -f "$T/lvsd.conf" -s "$T/ctl.sock" \
		2>>"$T/lvsd.log" &
	lpid=$!
}
stop() { kill "$lpid"; wait "$lpid" 2>/dev/null; lpid=; }

for n in ${@:-1 4 8}; do
	conf b$n "$n"
	start
	if until_true $((120 + 60 * n)) in_service b$n "$n"; then
		t=$(echo "$(now) - $t0" | bc)
		rss=0
		for p in $(ctl pool json | jq -r '.[].nodes[].pid'); do
			rss=$((rss + $(awk '/VmRSS/ { print $2 }' /proc/$p/status)))
		done
		printf 'vmm: N=%d: lvsd start to %d in service: %.1f s (%.2fx the reference); QEMU RSS %d MiB per node (memory 128)\n' \
			"$n" "$n" "$t" "$(echo "$t / $ref" | bc -l)" $((rss / n / 1024))
	else
		echo "vmm: N=$n: not all in service in time: $(ctl pool | head -1)"
	fi
	if [ "$n" = 1 ]; then
		pid=$(ctl pool json | jq -r '.[].nodes[0].pid')
		t1=$(now)
		kill -9 "$pid"
		until_true 30 sh -c "! $LVSD ctl -s $T/ctl.sock backend | grep -q 10.91.0.10"
		out=$(echo "$(now) - $t1" | bc)
		until_true 300 in_service b1 1
		back=$(echo "$(now) - $t1" | bc)
		printf 'vmm: crash: out of service after %.2f s, back in service after %.1f s (%.2fx the reference)\n' \
			"$out" "$back" "$(echo "$back / $ref" | bc -l)"
	fi
	stop
done

conf d1 1 image
start
if until_true 300 in_service d1 1; then
	base=$(du -k "$node/rootfs.qcow2" | cut -f1)
	ov=$(du -k "$T/state/d1-0.qcow2" | cut -f1)
	printf 'vmm: disk-image node: overlay %d KiB after boot (base image %d KiB: %.1f%%)\n' \
		"$ov" "$base" "$(echo "100 * $ov / $base" | bc -l)"
fi
stop
