#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# The harness can fail: vmm_leftovers (the leak check of every vmm host
# test) reports a process carrying vmm's tag, a device carrying a pool's
# alias and a node record, and is quiet once they are gone.
. "$(dirname "$0")/lib.sh"
. "$HERE/vmm.lib"
[ "$(id -u)" = 0 ] || skip "needs root"
need_netns
vmm_netns
P=neg$$
pass=0 failed=0
check() { if "$@"; then pass=$((pass + 1)); else failed=$((failed + 1)); echo "FAIL: $*"; fi; }

mkdir -p "$T/state"
vmm_leftovers "$NS" "$T/state" "$P" >"$T/out"
check test $? = 0

bash -c "exec -a 'qemu-system-x86_64 -name lvsd-vmm:$P-0' sleep 300" &
fake=$!
PIDS+=($fake)
wait_for 5 test -n "$(pool_pids "$P")" || fail "fake process not seen"
vmm_leftovers "$NS" "$T/state" "$P" >"$T/out"
check test $? != 0
check grep -q "leftover process $fake" "$T/out"
kill "$fake"; wait "$fake" 2>/dev/null

ip -n "$NS" tuntap add "vmneg.0" mode tap
ip -n "$NS" link set "vmneg.0" alias "lvsd-vmm:pool $P"
: > "$T/state/$P-0.node"
vmm_leftovers "$NS" "$T/state" "$P" >"$T/out"
check test $? != 0
check grep -q "leftover device vmneg.0" "$T/out"
check grep -q "leftover file .*$P-0.node" "$T/out"
ip -n "$NS" link del "vmneg.0"
rm -f "$T/state/$P-0.node"
vmm_leftovers "$NS" "$T/state" "$P" >"$T/out"
check test $? = 0

echo "$pass passed, $failed failed"
[ $failed = 0 ]
