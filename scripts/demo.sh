#!/bin/bash
# The demo (make demo): in the lab guest, load lvs.ko, put the VIP
# 10.0.0.100:80 in front of three real servers (network namespaces with
# HTTP responders), send requests through it and show how they spread,
# with the service's counters.  Configured with vsadm when it is built,
# else with the lab's netlink tool.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

N=${N:-30}
VSADM=$LAB_DIR/vsadm/vsadm
say() { printf '\n== %s\n' "$*"; }

kmod_setup 3
for i in 1 2 3; do lab_rs_http $i 80; done

say "VIP $VIP4:80 (TCP), weighted round robin, NAT to three real servers"
if [ -x "$VSADM" ] && ip netns exec director "$VSADM" -A -t $VIP4:80 -s wrr; then
	for i in 1 2 3; do
		ip netns exec director "$VSADM" -a -t $VIP4:80 \
			-r "$(lab_rs_addr $i):80" -m -w $i
	done
	show() { ip netns exec director "$VSADM" -L -n "$@"; }
else
	lvs svc add -t $VIP4:80 -s wrr
	for i in 1 2 3; do
		lvs rs add -t $VIP4:80 -r "$(lab_rs_addr $i):80" -m -w $i
	done
	show() { lvs ls; }
fi
show

say "$N HTTP requests from the client namespace: curl http://$VIP4/"
for i in $(seq 1 "$N"); do
	lab_in client curl -s --max-time 5 "http://$VIP4/"
done > /tmp/demo.answers
sort /tmp/demo.answers | uniq -c |
	awk '{printf "  %-4s %3d requests\n", $2, $1}'

say "counters"
if [ -x "$VSADM" ]; then show --stats; else show; fi
say "connections (first 5)"
if [ -x "$VSADM" ]; then show -c | head -7; else lvs conns | head -5; fi
say "module"
lvs info
lab_check_eq "every request answered by a real server" "$N" \
	sh -c "grep -c '^rs[123]\$' /tmp/demo.answers"
lab_check "all three real servers answered" \
	sh -c "[ \$(sort -u /tmp/demo.answers | wc -l) = 3 ]"
lab_done
