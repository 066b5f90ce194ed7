#!/bin/bash
# Grace periods on the configuration path.  Deleting a service, flushing
# and taking a deleted real server back from the dest trash never wait
# for an RCU grace period while lvs_mutex is held: every other
# namespace's command would wait with them, and on a loaded machine a
# grace period takes seconds (tens on the debug kernel).  A kprobe on
# synchronize_rcu() records the stack of every call; a call made for one
# of lvs's commands must come from lvs_svc_settle(), which runs after the
# mutex is dropped, and FLUSH's must be seen there (the probe works).
# Around it, under traffic: the trash gives back the very server (its
# connections are still counted), a deleted service's scheduler module
# can be unloaded as soon as the command returns (its reference went
# with the service, as on IPVS), and traffic goes on flowing.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

TR=/sys/kernel/debug/tracing
[ -w $TR/kprobe_events ] || lab_skip "no kprobe events in $TR"

kmod_setup 2
for i in 1 2; do kmod_serve $i 80 81; done
RS1=$(lab_rs_addr 1) RS2=$(lab_rs_addr 2)

conf() {
	lvs_batch <<-EOF
		svc add -t $VIP4:80 -s rr
		rs add -t $VIP4:80 -r $RS1:80 -m
		rs add -t $VIP4:80 -r $RS2:80 -m
		svc add -t $VIP4:81 -s wlc
		rs add -t $VIP4:81 -r $RS1:81 -m
		svc add -u $VIP4:81 -s sh
		rs add -u $VIP4:81 -r $RS2:81 -m
	EOF
}
lab_check "configure" conf
lab_check "expire_nodest_conn 0: deleted servers go to the trash" \
	lvs config --expire-nodest-conn 0

# An optimized kprobe (a jump, not int3) unwinds no further than its
# trampoline on the debug kernel: the stack stopped at an address, with
# no lvs frame in it.  Plain int3 kprobes give whole stacks.
OPT=/proc/sys/debug/kprobes-optimization
opt_was=$(cat $OPT 2>/dev/null)
probe_on() {
	{ [ -z "$opt_was" ] || echo 0 >$OPT; } &&
	echo 'p:lvs_gp synchronize_rcu' >>$TR/kprobe_events &&
	echo stacktrace >$TR/events/kprobes/lvs_gp/trigger &&
	echo 1 >$TR/events/kprobes/lvs_gp/enable &&
	echo >$TR/trace
}
probe_off() {
	echo 0 >$TR/events/kprobes/lvs_gp/enable 2>/dev/null
	echo '!stacktrace' >$TR/events/kprobes/lvs_gp/trigger 2>/dev/null
	echo '-:lvs_gp' >>$TR/kprobe_events 2>/dev/null
	[ -z "$opt_was" ] || echo "$opt_was" >$OPT
}
trap probe_off EXIT
lab_check "kprobe on synchronize_rcu" probe_on

# Closed connections stay in the table (TIME_WAIT) and hold rs2: deleted,
# it goes to the trash, and added again it is the same server, still
# counting them (a new one would count none).
lab_check_eq "connections to both servers" "rs1 5
rs2 5" kmod_count tcp $VIP4 80 10
held() { lvs stat -t $VIP4:80 -r $RS2:80 inactconns; }
lab_check_eq "rs2 holds them" 5 held
lab_check "rs2 deleted" lvs rs del -t $VIP4:80 -r $RS2:80
lab_check "rs2 added again" lvs rs add -t $VIP4:80 -r $RS2:80 -m
lab_check_eq "the trash gave back the same rs2" 5 held

# New connections to every service while it is deleted and added again.
load=()
for c in "tcp 80" "tcp 81" "udp 81"; do
	kmod_client ${c% *} $VIP4 ${c#* } 400 --timeout 1 >/dev/null 2>&1 &
	load+=($!)
done
churn() {
	local r
	for r in 1 2 3 4 5; do
		cat <<-EOF
			rs del -t $VIP4:80 -r $RS2:80
			rs add -t $VIP4:80 -r $RS2:80 -m
			svc del -t $VIP4:81
			svc add -t $VIP4:81 -s wlc
			rs add -t $VIP4:81 -r $RS1:81 -m
			svc del -u $VIP4:81
			svc add -u $VIP4:81 -s sh
			rs add -u $VIP4:81 -r $RS2:81 -m
		EOF
	done | lvs_batch
}
lab_check "delete, re-add, trash take-back under traffic" churn
lab_check "flush" lvs flush
kill "${load[@]}" 2>/dev/null
wait "${load[@]}" 2>/dev/null
lab_check "wlc and sh unload as soon as FLUSH returns" \
	modprobe -r lvs_wlc lvs_sh

# "=> lvs_cmd_new_dest [lvs]": one stack a line, the frames joined.
stacks() {
	awk '/lvs_gp:/ { if (s != "") print s; s = "" }
	     /^ => / { s = s " " $2 }
	     END { if (s != "") print s }' $TR/trace
}
bad() {
	stacks | grep ' lvs_cmd_' | grep -v ' lvs_svc_settle'
}
settled() {
	stacks | grep ' lvs_cmd_flush' | grep -q ' lvs_svc_settle'
}
probe_works() {
	settled || { echo "no lvs_svc_settle stack"; stacks | head -5; return 1; }
}
# A stack that ends at a bare address was cut short: it could hide a
# call from under the mutex.
cut_short() { stacks | grep -E ' (0x)?[0-9a-f]{8,}$'; }
lab_check "the probe saw FLUSH's grace period, in lvs_svc_settle" probe_works
lab_check_eq "every stack recorded whole" "" cut_short
lab_check_eq "no grace period waited for under lvs_mutex" "" bad
probe_off
trap - EXIT

lab_check "configure again" conf
lab_check_eq "traffic after all that" "rs1 1
rs2 1" kmod_count tcp $VIP4 80 2
lab_done
