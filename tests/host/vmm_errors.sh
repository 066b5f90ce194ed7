#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Bad vm_pool input is refused with the place and the reason, and leaves
# nothing behind: a missing kernel, more memory than the host has, an
# address range smaller than max, no QEMU binary (lvsd -t and a real start
# both say file:line), a bridge name owned by something else or that is
# not a bridge (lvsd does not start; no QEMU, tap, record is left).
. "$(dirname "$0")/lib.sh"
. "$HERE/vmm.lib"
need_vmm
vmm_netns
P=e$$
S=$T/state
pass=0 failed=0
check() { if "$@"; then pass=$((pass + 1)); else failed=$((failed + 1)); echo "FAIL: $*"; fi; }

# conf EXTRA...: a pool of one with the lines given overriding.
conf() {
	{
		echo "global_defs { lvsd_vmm_state_dir $S }"
		echo "vm_pool $P {"
		echo "	kernel ${KERNEL:-$NODE/vmlinuz}"
		echo "	initrd $NODE/initrd.cpio.gz"
		echo "	size 1"
		echo "	max ${MAX:-2}"
		echo "	bridge ${BR:-ve$$}"
		echo "	bridge_address 10.79.0.1/24"
		echo "	address_range ${RANGE:-10.79.0.10-10.79.0.20}"
		echo "	accel tcg"
		for l in "$@"; do echo "	$l"; done
		echo "}"
	} > "$T/lvsd.conf"
}

# refused WHAT PATTERN [start]: lvsd -t (unless "start": known only when
# the pool starts) and lvsd itself exit 4 naming it.
refused() {
	local what=$1 pat=$2 out rc
	if [ "${3:-}" != start ]; then
		out=$("$LVSD" -t -f "$T/lvsd.conf" 2>&1); rc=$?
		check test "$rc" = 4
		echo "$out" | grep -qE "$pat" || { echo "FAIL: $what: -t said: $out"; failed=$((failed + 1)); }
	fi
	out=$(in_ns timeout 30 "$LVSD" -b dry -f "$T/lvsd.conf" -s "$CTL" 2>&1); rc=$?
	check test "$rc" = 4
	echo "$out" | grep -qE "$pat" || { echo "FAIL: $what: lvsd said: $out"; failed=$((failed + 1)); }
	vmm_leftovers "$NS" "$S" $P >"$T/left" || { echo "FAIL: $what: $(cat "$T/left")"; failed=$((failed + 1)); }
	ok "$what"
}

KERNEL=/nonexistent/vmlinuz conf
refused "missing kernel" "lvsd.conf:2: .*vm_pool $P: kernel /nonexistent/vmlinuz: No such file"
conf "memory 1048576"
refused "memory" "lvsd.conf:2: .*more than the host's"
RANGE=10.79.0.10-10.79.0.11 MAX=4 conf
refused "exhausted range" "lvsd.conf:2: .*address_range holds 2 addresses, max is 4"
conf "qemu /nonexistent/qemu-system-x86_64"
refused "no QEMU" "lvsd.conf:2: .*/nonexistent/qemu-system-x86_64: No such file"
conf "image /nonexistent/base.qcow2"
refused "missing image" "lvsd.conf:2: .*image /nonexistent/base.qcow2"

# Devices lvsd must not take over: they stay, and lvsd does not start.
ip -n "$NS" link add "vo$$" type bridge
BR=vo$$ conf
refused "a bridge owned by something else" "lvsd.conf:2: .*bridge vo$$: exists and is owned by something else" start
check ip -n "$NS" link show "vo$$" >/dev/null
ip -n "$NS" tuntap add "vt$$" mode tap
BR=vt$$ conf
refused "a device that is not a bridge" "lvsd.conf:2: .*bridge vt$$: .*not a bridge" start
check ip -n "$NS" link show "vt$$" >/dev/null

echo "$pass passed, $failed failed"
[ $failed = 0 ]
