#!/bin/bash
# The control interface: bad requests are refused with an extack message
# and no side effect, writes need CAP_NET_ADMIN, and a bounded run of
# random and malformed messages leaves no crash, warning or leak (the
# runner checks the kernel log and unloads the module afterwards).
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

FUZZ_SECS=${1:-60}
kmod_setup 2
kmod_serve 1 80

err() { lvs "$@" 2>&1 >/dev/null; }
lab_check "unknown scheduler" kmod_has "unknown scheduler" err svc add -t $VIP4:80 -s nosuch
lab_check "scheduler loaded on demand" lvs svc add -t $VIP4:80 -s wlc
lab_check "lvs_wlc was loaded" sh -c "grep -q '^lvs_wlc ' /proc/modules"
lab_check "duplicate service" kmod_has "service exists" err svc add -t $VIP4:80 -s rr
lab_check "no such service" kmod_has "no such service" err svc del -t $VIP4:81
lab_check "fwmark 0 refused" kmod_has "must not be 0" err svc add -f 0 -s rr
lab_check "persistent without timeout" kmod_has "needs a TIMEOUT" err svc add -t $VIP4:82 -s rr -b 1
lab_check "bad IPv6 prefix" kmod_has "netmask" err svc add -u "[$VIP6]:83" -s rr -p 10 -M 129
lab_check "non-contiguous IPv4 mask, as IPVS" lvs svc add -u $VIP4:83 -s rr -p 10 -M 255.0.255.0
lab_check "GUE tunnel refused" kmod_has "only IPIP" \
	err rs add -t $VIP4:80 -r 10.0.2.11:80 -i --tun-type 1
lab_check "mixed families only for tunnels" kmod_has "only tunnelled" \
	err rs add -t $VIP4:80 -r "[fd00:2::11]:80" -m
lab_check "mixed families for a tunnel" lvs rs add -t $VIP4:80 -r "[fd00:2::11]:80" -i
lab_check "thresholds checked" kmod_has "lower threshold" \
	err rs add -t $VIP4:80 -r 10.0.2.12:80 -m -x 5 -y 9
lab_check "weight range checked" kmod_has "." \
	err rs add -t $VIP4:80 -r 10.0.2.12:80 -m -w 4294967295
lab_check "no such real server" kmod_has "no such real server" \
	err rs del -t $VIP4:80 -r 10.0.2.13:80
lab_check "duplicate real server" kmod_has "real server exists" \
	err rs add -t $VIP4:80 -r "[fd00:2::11]:80" -i
lab_check "NAT real server with port 0, as IPVS" lvs rs add -t $VIP4:80 -r 10.0.2.13 -m
lab_check "multicast real server refused" kmod_has "unicast" \
	err rs add -t $VIP4:80 -r 224.0.0.5:80 -m
lab_check "lower threshold without upper refused" kmod_has "lower threshold" \
	err rs add -t $VIP4:80 -r 10.0.2.14:80 -m -y 9
lab_check "unprivileged add refused" kmod_has "Operation not permitted" \
	ip netns exec director setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all python3 "$LVSNL" svc add -t $VIP4:99 -s rr
lab_check "unprivileged read refused (as IPVS)" kmod_has "not permitted" \
	ip netns exec director setpriv --reuid=65534 --regid=65534 \
	--clear-groups --bounding-set=-all python3 "$LVSNL" info
lab_check "unprivileged connection dump refused" kmod_has "not permitted" \
	ip netns exec director setpriv --reuid=65534 --regid=65534 \
	--clear-groups --bounding-set=-all python3 "$LVSNL" conns
lab_check "edit scheduler" lvs svc edit -t $VIP4:80 -s rr
lab_check "zero" lvs zero
lab_check "delete service" lvs svc del -t $VIP4:80
lab_check "lvs_wlc can go" modprobe -r lvs_wlc

# A namespace of its own with services, real servers and live entries,
# deleted with everything in it.
lvs svc add -u $VIP4:80 -s rr
lvs rs add -u $VIP4:80 -r "$(lab_rs_addr 1):80" -m
kmod_client udp $VIP4 80 3 >/dev/null
ip netns add extra
ip netns exec extra python3 "$LVSNL" svc add -t 10.9.9.9:80 -s sh
ip netns exec extra python3 "$LVSNL" rs add -t 10.9.9.9:80 -r 10.9.9.10:80 -m
lab_check "another namespace has its own services" \
	sh -c "ip netns exec extra python3 $LVSNL ls | grep -q 10.9.9.9 &&
	       ! ip netns exec director python3 $LVSNL ls | grep -q 10.9.9.9"
lab_check "namespace deletion" ip netns del extra

lab_check "fuzz for ${FUZZ_SECS}s" lvs fuzz "$FUZZ_SECS" 1
lab_check "fuzz with another seed" lvs fuzz 20 $RANDOM
lab_check "still answers after the fuzz" lvs info
lab_check "director namespace deleted with live entries" ip netns del director
lab_done
