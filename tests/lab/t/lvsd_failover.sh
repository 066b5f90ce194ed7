#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lvsd with lvs.ko: three real servers behind the VIP (NAT, TCP_CHECK,
# delay_loop 1, retry 1 so fall 2); a real server whose service dies leaves
# the kernel's table within fall x delay_loop + 1 s, traffic carries on over
# the other two, and it comes back when its service does.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

LVSD=$LAB_DIR/lvsd/lvsd
VSADM=$LAB_DIR/vsadm/vsadm
[ -x "$LVSD" ] || lab_skip "lvsd not built"
kmod_setup 3 || lab_skip "no lvs module or topology"
declare -A RESP
serve() {
	ip netns exec rs$1 python3 "$KTOOLS/responder.py" rs$1 80 >/dev/null 2>&1 &
	RESP[$1]=$!
	lab_wait_port rs$1 tcp 80
}
for i in 1 2 3; do serve $i; done
cat >/tmp/lvsd.conf <<CONF
virtual_server $VIP4 80 {
  delay_loop 1
  lb_algo rr
  lb_kind NAT
  protocol TCP
$(for i in 1 2 3; do printf '  real_server %s 80 {\n    TCP_CHECK {\n      connect_timeout 1\n      warmup 0\n    }\n  }\n' "$(lab_rs_addr $i)"; done)
}
CONF
lab_check "lvsd -t accepts the configuration" "$LVSD" -t -f /tmp/lvsd.conf
ip netns exec director "$LVSD" -f /tmp/lvsd.conf -s /tmp/lvsd.sock 2>/tmp/lvsd.log &
LVSD_PID=$!
in_table() { ip netns exec director "$VSADM" -Ln | grep -q -- "-> $1:80"; }
not_in_table() { ! in_table "$1"; }
wait_until() {	# SECONDS CMD...
	local end=$(( ${EPOCHREALTIME/./} / 1000 + $1 * 1000 )); shift
	while [ $(( ${EPOCHREALTIME/./} / 1000 )) -lt $end ]; do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}
all_in() { in_table "$(lab_rs_addr 1)" && in_table "$(lab_rs_addr 2)" && in_table "$(lab_rs_addr 3)"; }
lab_check "lvsd puts the three real servers in the kernel" wait_until 10 all_in
ip netns exec director "$VSADM" -Ln
lab_check_eq "traffic spreads over the three" "rs1 2
rs2 2
rs3 2" kmod_count tcp $VIP4 80 6

kill "${RESP[2]}"
t0=${EPOCHREALTIME/./}
lab_check "rs2 leaves the table once its service dies" \
	wait_until 10 not_in_table "$(lab_rs_addr 2)"
seen=$(( (${EPOCHREALTIME/./} - t0) / 1000 ))
# When lvsd took it out, from its log (the same clock as EPOCHREALTIME);
# polling vsadm in the emulated guest adds seconds of its own.
when=$(grep "real server $(lab_rs_addr 2):80 is down" /tmp/lvsd.log | head -1 | cut -c1-23)
ms=$(( $(date -d "$when" +%s%3N) - t0 / 1000 ))
echo "# rs2 taken out after $ms ms, seen gone by vsadm after $seen ms"
# fall (retry 1 + 1) x delay_loop 1 s + 1 s
lab_check "within fall x delay_loop + 1 s ($ms ms)" test "$ms" -le 3000
lab_check_eq "traffic carries on over rs1 and rs3" "rs1 3
rs3 3" kmod_count tcp $VIP4 80 6
serve 2
lab_check "rs2 comes back with its service" \
	wait_until 10 in_table "$(lab_rs_addr 2)"
lab_check "lvsd ctl shows three healthy real servers" sh -c \
	"'$LVSD' ctl -s /tmp/lvsd.sock show | grep -c ' up enabled ' | grep -qx 3"
kill "$LVSD_PID"
wait "$LVSD_PID"
lab_check "lvsd stopped cleanly and removed its service" sh -c \
	"! ip netns exec director '$VSADM' -Ln | grep -q ':80'"
cat /tmp/lvsd.log
for i in 1 2 3; do kill "${RESP[$i]}" 2>/dev/null; done
lab_done
