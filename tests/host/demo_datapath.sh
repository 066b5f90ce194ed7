#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# scripts/datapath, the demo's choice between lvs.ko and the eBPF
# datapath, with every outside command faked: loaded already, modprobe,
# insmod of the tree's build (only when built for this kernel), and the
# fallback to bpf with the reasons.  Loads nothing.
. "$(dirname "$0")/lib.sh"

F=$T/fake
mkdir -p "$F/sys" "$F/sched"
# fake NAME EXIT [OUTPUT]: a program that logs its call and exits EXIT.
fake() {
	printf '#!/bin/sh\necho "%s $*" >>"%s/calls"\n%s\nexit %s\n' \
		"$1" "$F" "${3:+echo \"$3\" >&2}" "$2" >"$F/$1"
	chmod +x "$F/$1"
}
fake modinfo_ok 0
printf '#!/bin/sh\necho "6.1.0-test SMP preempt mod_unload"\n' >"$F/modinfo_ok"
chmod +x "$F/modinfo_ok"
: >"$F/lvs.ko"
: >"$F/sched/lvs_rr.ko"
choose() {	# VAR=VALUE...: the two lines of scripts/datapath
	rm -f "$F/calls"
	env LVS_SYS_MODULE="$F/sys" LVS_KO="$F/lvs.ko" \
		LVS_SCHED_KO_DIR="$F/sched" KVER=6.1.0-test \
		MODINFO="$F/modinfo_ok" "$@" "$TOP/scripts/datapath"
}
PASS=0
expect() {	# WHAT OUT DATAPATH REASON-PATTERN
	local dp why
	dp=$(sed -n 1p <<<"$2") why=$(sed -n 2p <<<"$2")
	[ "$dp" = "$3" ] || fail "$1: chose '$dp', want $3 ($why)"
	grep -qE -- "$4" <<<"$why" || fail "$1: reason '$why' lacks /$4/"
	ok "$1: $dp ($why)"
	PASS=$((PASS + 1))
}

fake modprobe 1 "modprobe: FATAL: Module lvs not found"
fake insmod 1 "insmod: ERROR: could not insert module: Invalid module format"
out=$(choose MODPROBE="$F/modprobe" INSMOD="$F/insmod")
expect "modprobe and insmod fail" "$out" bpf \
	"modprobe lvs: modprobe: FATAL.*insmod .*Invalid module format"

out=$(choose MODPROBE="$F/modprobe" INSMOD="$F/insmod" KVER=6.18-other)
expect "module built for another kernel" "$out" bpf \
	"built for 6.1.0-test, this kernel is 6.18-other"
grep -q insmod "$F/calls" 2>/dev/null && fail "insmod tried on a module built for another kernel"

out=$(choose MODPROBE="$F/modprobe" INSMOD="$F/insmod" LVS_KO="$F/none.ko")
expect "no module built" "$out" bpf "no .*none.ko built"

fake insmod 0
out=$(choose MODPROBE="$F/modprobe" INSMOD="$F/insmod")
expect "modprobe fails, insmod of the tree's build works" "$out" kernel "^insmod "
grep -q "insmod .*sched/lvs_rr.ko" "$F/calls" || fail "schedulers not insmod'ed"

fake modprobe 0
out=$(choose MODPROBE="$F/modprobe" INSMOD="$F/insmod")
expect "modprobe lvs works" "$out" kernel "^modprobe lvs"
grep -q "^insmod" "$F/calls" && fail "insmod after modprobe worked"

mkdir "$F/sys/lvs"
fake modprobe 1
out=$(choose MODPROBE="$F/modprobe" INSMOD="$F/insmod")
expect "module loaded already" "$out" kernel "is loaded"
grep -q . "$F/calls" 2>/dev/null && fail "loaded module: something was run"
echo "$PASS passed, 0 failed"
