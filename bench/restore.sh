#!/bin/bash
# Restore benchmark: 10,000 services x 10 real servers (110,000 lines of
# "ipvsadm -S" text) restored with "vsadm -R" into lvs.ko and with
# "ipvsadm -R" into the kernel's IPVS, in the same guest, each in its own
# netns.  Prints both times and their ratio; checks both tables are whole.
#
# Runs inside the lab guest: tests/lab/run --mem 2048 bench/restore.sh
# (or "make -C bench restore").  Arguments: [SERVICES [SERVERS]].
. "$LAB_DIR/tests/lab/lib.sh"

NSVC=${1:-10000}
NRS=${2:-10}
VSADM=$LAB_DIR/vsadm/vsadm
[ -x "$VSADM" ] || lab_skip "vsadm not built"
command -v ipvsadm >/dev/null || lab_skip "ipvsadm not installed"
modprobe ip_vs && modprobe ip_vs_wlc || lab_skip "no ip_vs"
modprobe lvs && modprobe lvs_wlc || lab_skip "lvs does not load"
mkdir -p /run/netns
for ns in ipvs lvs; do ip netns add $ns && ip -n $ns link set lo up; done

rules=/tmp/rules.txt
awk -v nsvc="$NSVC" -v nrs="$NRS" 'BEGIN {
	for (s = 0; s < nsvc; s++) {
		vip = sprintf("10.%d.%d.%d:80", int(s / 62500), int(s / 250) % 250, s % 250 + 1)
		printf "-A -t %s -s wlc\n", vip
		for (r = 0; r < nrs; r++)
			printf "-a -t %s -r 172.16.%d.%d:8080 -m -w %d\n", vip,
				r, s % 250 + 1, r + 1
	}
}' >"$rules"
lines=$(wc -l <"$rules")

now_ms() { local t=${EPOCHREALTIME/./}; echo $((t / 1000)); }

timed() {
	local t0 t1
	t0=$(now_ms)
	"$@" <"$rules" || return 1
	t1=$(now_ms)
	echo $((t1 - t0))
}

# vsadm's own share: the same input with a bad last line is parsed whole
# and then refused, before anything reaches the module.
parse_only() {
	local t0 t1
	t0=$(now_ms)
	{ cat "$rules"; echo "-a -t bad"; } | ip netns exec lvs "$VSADM" -R \
		2>/dev/null
	t1=$(now_ms)
	echo $((t1 - t0))
}
ms_parse=$(parse_only)
ms_ipvs=$(timed ip netns exec ipvs ipvsadm -R) || lab_check "ipvsadm -R" false
ms_lvs=$(timed ip netns exec lvs "$VSADM" -R) || lab_check "vsadm -R" false

lab_check_eq "IPVS holds all $lines rules" "$lines" \
	sh -c "ip netns exec ipvs ipvsadm -S -n | wc -l"
lab_check_eq "lvs holds all $lines rules" "$lines" \
	sh -c "ip netns exec lvs $VSADM -S -n | wc -l"
lab_check "both save the same rules" sh -c \
	"ip netns exec ipvs ipvsadm -S -n >/tmp/s.ipvs &&
	 ip netns exec lvs $VSADM -S -n >/tmp/s.lvs && cmp /tmp/s.ipvs /tmp/s.lvs"

echo "bench restore: $NSVC services x $NRS servers ($lines lines)"
echo "bench restore: ipvsadm -R into IPVS: ${ms_ipvs} ms"
echo "bench restore: vsadm -R into lvs:    ${ms_lvs} ms"
echo "bench restore: vsadm parsing alone:  ${ms_parse} ms"
awk -v a="$ms_ipvs" -v b="$ms_lvs" 'BEGIN {
	printf "bench restore: ratio ipvsadm/vsadm = %.2f (above 1: vsadm faster)\n", a / (b ? b : 1) }'
lab_done
