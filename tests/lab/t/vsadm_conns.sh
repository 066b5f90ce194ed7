#!/bin/bash
# vsadm -c against ipvsadm -c: the same connections made through IPVS and
# then through lvs.ko, listed by each tool.  Rows must match except the
# expiry column, the client ports and the rows' order (ipvsadm reads
# /proc/net/ip_vs_conn in IPVS's hash order, vsadm lvs's netlink dump).
. "$LAB_DIR/tests/lab/lib.sh"

VSADM=$LAB_DIR/vsadm/vsadm
[ -x "$VSADM" ] || lab_skip "vsadm not built"
command -v ipvsadm >/dev/null || lab_skip "ipvsadm not installed"
modprobe ip_vs && modprobe ip_vs_rr || lab_skip "no ip_vs in this kernel"

lab_topo 2 || lab_skip "no topology"
for i in 1 2; do lab_rs_serve $i 8080; done
rs1=$(lab_rs_addr 1) rs2=$(lab_rs_addr 2)

rules() {
	local tool=$1
	ip netns exec director $tool -R <<-EOF
		-A -t $VIP4:80 -s rr
		-a -t $VIP4:80 -r $rs1:8080 -m
		-A -u $VIP4:53 -s rr
		-a -u $VIP4:53 -r $rs2:8080 -m
		-A -t $VIP4:81 -s rr -p 100
		-a -t $VIP4:81 -r $rs2:8080 -m
		-A -t [$VIP6]:80 -s rr
		-a -t [$VIP6]:80 -r [$(lab_rs_addr6 1)]:8080 -m
	EOF
}

# Client ports 4P001..4P004: the second run uses other ports, since the
# real servers still hold the first run's connections in TIME_WAIT.
traffic() {
	local p=$1
	lab_in client socat -T3 - TCP:$VIP4:80,sourceport=4${p}001,connect-timeout=3 </dev/null &&
	echo ping | lab_in client socat -T1 - UDP:$VIP4:53,sourceport=4${p}002 &&
	lab_in client socat -T3 - TCP:$VIP4:81,sourceport=4${p}003,connect-timeout=3 </dev/null &&
	lab_in client socat -T3 - TCP:[$VIP6]:80,sourceport=4${p}004,connect-timeout=3 </dev/null
}

# The listing without its expiry column, rows sorted under the header.
conns() {
	local out
	out=$(ip netns exec director "$@") || return 1
	printf '%s\n' "$out" | head -2
	printf '%s\n' "$out" | tail -n +3 |
		sed -E 's/^(.{4})[0-9]{2,}:[0-9]{2}/\1XX:XX/; s/:4[01]00([1-4])/:4P00\1/g' |
		sort
}

lab_check "IPVS rules" rules ipvsadm
lab_check "traffic through IPVS" traffic 0
ipvs_n=$(conns ipvsadm -L -n -c)
ipvs_names=$(conns ipvsadm -L -c)
printf '%s\n' "$ipvs_n"
ip netns exec director ipvsadm -C
lab_check "IPVS unloads" modprobe -r ip_vs_rr ip_vs

lab_check "modprobe lvs" modprobe lvs
lab_check "lvs rules" rules "$VSADM"
lab_check "traffic through lvs" traffic 1
lab_check_eq "vsadm -L -n -c lists what ipvsadm listed" "$ipvs_n" \
	conns "$VSADM" -L -n -c
lab_check_eq "vsadm -L -c (names) lists what ipvsadm listed" "$ipvs_names" \
	conns "$VSADM" -L -c
lab_check "-c --json parses" sh -c \
	"ip netns exec director $VSADM -L -n -c --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d) >= 4, d'"
lab_done
