#!/bin/bash
# Unloading under traffic: with TCP and UDP flowing through NAT and DR
# services, flush and unload the module and its scheduler; traffic then
# reaches the VIP's own (empty) ports; reload, reconfigure, traffic flows
# again.  The runner fails the run on any kernel complaint.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

kmod_setup 2
for i in 1 2; do lab_rs_dr $i; kmod_serve $i 80; done
conf() {
	lvs svc add -t $VIP4:80 -s rr &&
	lvs svc add -u "[$VIP6]:80" -s rr &&
	lvs rs add -t $VIP4:80 -r "$(lab_rs_addr 1):80" -m &&
	lvs rs add -t $VIP4:80 -r "$(lab_rs_addr 2):80" -g &&
	lvs rs add -u "[$VIP6]:80" -r "[$(lab_rs_addr6 1)]:80" -m &&
	lvs rs add -u "[$VIP6]:80" -r "[$(lab_rs_addr6 2)]:80" -g
}
lab_check "configure" conf
lab_check_eq "traffic flows" "rs1 1
rs2 1" kmod_count tcp $VIP4 80 2

kmod_client tcp $VIP4 80 200 --timeout 1 >/dev/null 2>&1 &
t1=$!
kmod_client udp $VIP6 80 200 --timeout 1 >/dev/null 2>&1 &
t2=$!
sleep 3
lab_check "flush under traffic" lvs flush
lab_check "unload under traffic" modprobe -r lvs_rr lvs
lab_check "module gone" sh -c "! grep -q '^lvs ' /proc/modules"
sleep 1
lab_check "reload" modprobe lvs
lab_check "reconfigure under traffic" conf
sleep 2
lab_check "delete the director namespace under traffic" ip netns del director
kill $t1 $t2 2>/dev/null
wait $t1 $t2
lab_done
