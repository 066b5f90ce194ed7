#!/bin/bash
# Flood defence, the mechanisms (timing-free; bench/flood.sh measures):
# invalid flag combinations (SYN|FIN, FIN alone, no flags) open no
# connection; at the namespace's cap a spoofed-source SYN flood's
# embryonic entries are evicted to make room, so a real client still
# gets through while the flood goes on; entries made under pressure get
# the short embryonic timeout; the configured cap has an upper bound.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

command -v hping3 >/dev/null || lab_skip "hping3 not installed"
kmod_setup 1
kmod_serve 1 80
lab_check "configure" lvs_batch <<-EOF
	svc add -t $VIP4:80 -s rr
	rs add -t $VIP4:80 -r $(lab_rs_addr 1):80 -m
EOF

info() { kmod_info_line "$1" | cut -d= -f2; }
hp() { ip netns exec client hping3 -q "$@" >/dev/null 2>&1; }

hp -S -F -p 80 -c 3 -i u20000 $VIP4
hp -F -p 80 -c 3 -i u20000 $VIP4
hp -p 80 -c 3 -i u20000 $VIP4
hp -S -R -p 80 -c 3 -i u20000 $VIP4
lab_check_eq "SYN|FIN, FIN, no flags, SYN|RST: no entry" 0 info conn_count
lab_check_eq "a SYN still makes one" "rs1 1" kmod_count tcp $VIP4 80 1

lab_check "limit reported" sh -c "[ \$(ip netns exec director python3 \
	$LVSNL info | grep conn_limit= | cut -d= -f2) -gt 1000 ]"
lab_check_fail "cap above the limit refused" lvs config --max 4294967295
lab_check "cap at 200" lvs config --max 200

# The flood: spoofed SYNs, well over the cap, and on while we test.
ip netns exec client hping3 -q -S -p 80 --rand-source -i u1000 $VIP4 \
	>/dev/null 2>&1 &
flood=$!
trap 'kill $flood 2>/dev/null; wait $flood 2>/dev/null' EXIT
full() {
	local t
	for t in $(seq 1 60); do
		[ "$(info conn_evicted)" -gt 50 ] 2>/dev/null && return 0
		sleep 1
	done
	lvs info
	return 1
}
lab_check "at the cap, embryonic entries are evicted" full
lab_check "never above the cap" sh -c "[ \$(ip netns exec director \
	python3 $LVSNL info | grep conn_count= | cut -d= -f2) -le 202 ]"
lab_check_eq "real clients get through the flood" "rs1 5" \
	kmod_count tcp $VIP4 80 5
lab_check "entries made under pressure wait at most 5 s" sh -c "
	ip netns exec director python3 $LVSNL conns | grep SYN_RECV |
	sed 's/.*expires=//' | sort -n | tail -1 | awk '{exit !(\$1 <= 5000)}'"
kill $flood
wait $flood 2>/dev/null
lvs info
lab_done
