#!/bin/bash
# Save and restore: vsadm -S | vsadm -R is the identity on lvs.ko, and the
# two tools read each other's save files (ipvsadm on IPVS, vsadm on lvs).
. "$LAB_DIR/tests/lab/lib.sh"
# Work files of its own: the guest sees the host's /tmp (lab/init).
W=$(mktemp -d)

VSADM=$LAB_DIR/vsadm/vsadm
[ -x "$VSADM" ] || lab_skip "vsadm not built"
command -v ipvsadm >/dev/null || lab_skip "ipvsadm not installed"
modprobe ip_vs || lab_skip "no ip_vs in this kernel"
for s in rr wlc sh mh lc; do modprobe -q ip_vs_$s; done
lab_check "modprobe lvs" modprobe lvs
mkdir -p /run/netns
for ns in ipvs lvs lvs2 ipvs2; do
	ip netns add $ns && ip -n $ns link set lo up || lab_skip "no netns"
done

ipv() { local ns=$1; shift; ip netns exec "$ns" ipvsadm "$@"; }
vsa() { local ns=$1; shift; ip netns exec "$ns" "$VSADM" "$@"; }

cat >$W/rules <<'EOF'
-A -t 10.0.0.1:80 -s wlc
-a -t 10.0.0.1:80 -r 192.168.1.10:8080 -m -w 3
-a -t 10.0.0.1:80 -r 192.168.1.11:8080 -m -w 1
-A -t 10.0.0.3:443 -s rr -p 60
-A -u 10.0.0.1:53 -s sh -p 300 -M 255.255.255.0 -b sh-fallback,sh-port
-a -u 10.0.0.1:53 -r 192.168.1.20:53 -g -w 1
-A -u 10.0.0.2:5353 -s lc -o
-a -u 10.0.0.2:5353 -r 192.168.1.40:5353 -m -w 0
-A -t [2001:db8::1]:443 -s rr
-a -t [2001:db8::1]:443 -r [2001:db8::10]:443 -i -w 1 --tun-type ipip
-A -f 1 -s mh -p 360
-a -f 1 -r 192.168.1.30:0 -i -w 2 --tun-type ipip
-A -f 2 -6 -s rr
-a -f 2 -6 -r [2001:db8::30]:0 -g -w 5
EOF

# The file is in "ipvsadm -S -n" form and order, so the restored tables
# save it back unchanged.
lab_check "vsadm -R" sh -c "ip netns exec lvs $VSADM -R <$W/rules"
lab_check "ipvsadm -R" sh -c "ip netns exec ipvs ipvsadm -R <$W/rules"
lab_check_eq "vsadm -S -n gives the file back" "$(cat $W/rules)" vsa lvs -S -n
lab_check_eq "ipvsadm -S -n gives the file back" "$(cat $W/rules)" ipv ipvs -S -n

vsa lvs -S -n >$W/s1
lab_check "clear" vsa lvs -C
lab_check_eq "cleared" "" vsa lvs -S -n
lab_check "vsadm -S | vsadm -R" sh -c "ip netns exec lvs $VSADM -R <$W/s1"
lab_check_eq "round trip is the identity" "$(cat $W/s1)" vsa lvs -S -n

lab_check "ipvsadm's save into vsadm -R" sh -c \
	"ip netns exec ipvs ipvsadm -S -n | ip netns exec lvs2 $VSADM -R"
lab_check_eq "lvs holds what IPVS saved" "$(ipv ipvs -S -n)" vsa lvs2 -S -n
lab_check "vsadm's save into ipvsadm -R" sh -c \
	"ip netns exec lvs $VSADM -S -n | ip netns exec ipvs2 ipvsadm -R"
lab_check_eq "IPVS holds what lvs saved" "$(vsa lvs -S -n)" ipv ipvs2 -S -n

# Names instead of numbers (-S without -n) restore the same table.
vsa lvs -S >$W/s2
lab_check "clear again" vsa lvs -C
lab_check "restore the named form" sh -c "ip netns exec lvs $VSADM -R <$W/s2"
lab_check_eq "same table from the named form" "$(cat $W/s1)" vsa lvs -S -n

# JSON listing: parseable, and as many services as the text.
lab_check "--json parses and counts the services" sh -c \
	"ip netns exec lvs $VSADM -L -n --json | python3 -c 'import json,sys; d=json.load(sys.stdin); assert len(d[\"services\"]) == 7, d'"
lab_done
