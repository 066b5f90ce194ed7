#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Randomised differential test of vsadm against ipvsadm: generated command
# lines, valid and invalid (tests/lab/tools/vsadm_fuzz_gen.py), run with
# ipvsadm against IPVS and with vsadm against lvs.ko in the same guest;
# exit status, standard output and both tables must agree after every
# command, except for the deliberate differences vsadm.8 lists.
#
# Arguments (tests/lab/run tests/lab/t/vsadm_fuzz.sh [SEED [COUNT [SECS]]]):
# SEED defaults to a fixed one (CI stays deterministic), "random" picks
# one; COUNT (1000) commands at most, for at most SECS (240) seconds.
# Every divergence is printed with the seed and index that reproduce it.
. "$LAB_DIR/tests/lab/lib.sh"

seed=${1:-20261201} count=${2:-1000} secs=${3:-240}
[ "$seed" = random ] && seed=$((RANDOM * 32768 + RANDOM))
echo "vsadm_fuzz: seed $seed, $count commands, at most $secs s"

VSADM=$LAB_DIR/vsadm/vsadm
[ -x "$VSADM" ] || lab_skip "vsadm not built"
command -v ipvsadm >/dev/null || lab_skip "ipvsadm not installed"
modprobe ip_vs || lab_skip "no ip_vs in this kernel"
for s in rr wrr lc wlc sed nq lblc lblcr dh sh mh fo ovf; do
	modprobe -q ip_vs_$s
done
lab_check "modprobe lvs" modprobe lvs
for s in rr wrr lc wlc sed nq lblc lblcr dh sh mh fo ovf; do
	modprobe -q lvs_$s
done
mkdir -p /run/netns
ip netns add ipvs && ip netns add lvs || lab_skip "no netns"
trap 'ip netns del ipvs; ip netns del lvs' EXIT
# IPVS tells real-server address types from the local routing table,
# which comes with lo.
ip -n ipvs link set lo up && ip -n lvs link set lo up

# Not through lab_check: every divergence must reach the console.
python3 "$LAB_DIR/tests/lab/tools/vsadm_fuzz.py" "$VSADM" "$seed" "$count" \
	"$secs"
lab_check_eq "no divergence from ipvsadm (seed $seed)" 0 echo $?
lab_done
