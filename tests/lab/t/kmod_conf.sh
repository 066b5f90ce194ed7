#!/bin/bash
# Run-time configuration: timeouts round-trip and take effect (UDP
# entries expire), and the cap on entries refuses new ones, counts them,
# and lets established ones go on.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

kmod_setup 1
kmod_serve 1 80
info() { lvs info | grep "^$1=" | cut -d= -f2; }

lab_check_eq "IPVS's default timeouts" "tcp=900 tcpfin=120 udp=300" \
	sh -c "ip netns exec director python3 $LVSNL config | head -1 | cut -d' ' -f1-3"
lab_check "set timeouts" lvs config --tcp 100 --tcpfin 50 --udp 10
lab_check "set one TCP state" lvs config --state SYN_RECV=7
lab_check_eq "timeouts read back" "tcp=100 tcpfin=50 udp=10" \
	sh -c "ip netns exec director python3 $LVSNL config | head -1 | cut -d' ' -f1-3"
lab_check "state timeout read back" kmod_has "SYN_RECV=7" lvs config

lvs svc add -u $VIP4:80 -s rr
lvs rs add -u $VIP4:80 -r "$(lab_rs_addr 1):80" -m
lab_check_eq "4 UDP flows answered" "rs1 4" kmod_count udp $VIP4 80 4
lab_check_eq "4 entries" 4 info conn_count
sleep 14
lab_check_eq "UDP timeout 10 s: entries expired" 0 info conn_count

lab_check "UDP timeout back to 300 s" lvs config --udp 300
lab_check "cap at 5 entries" lvs config --max 5
lab_check_eq "cap reads back" 5 info conn_max
kmod_client udp $VIP4 80 9 --timeout 1 > /tmp/cap.out
lab_check_eq "5 flows answered, 4 refused" "ERR 4
rs1 5" sh -c "sort /tmp/cap.out | uniq -c | awk '{print \$2, \$1}'"
lab_check_eq "5 entries" 5 info conn_count
lab_check "drops counted" sh -c "[ \$(ip netns exec director python3 $LVSNL info | grep conn_dropped= | cut -d= -f2) -ge 4 ]"
lab_check "cap 0 restores the default" lvs config --max 0
lab_check "default cap is large" sh -c "[ \$(ip netns exec director python3 $LVSNL info | grep conn_max= | cut -d= -f2) -gt 100000 ]"
lab_check_eq "after the cap, new flows pass again" "rs1 2" \
	kmod_count udp $VIP4 80 2
lvs info
lab_done
