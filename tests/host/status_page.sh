#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# lvsd's status page: a running lvsd (dry backend) with a pool of one VM
# serves /status.json (the same trees as lvsd ctl show/pool json) and
# /status on its metrics listener; headless chromium loads the page and
# shows the service, its real server up and the node; a screenshot is
# kept in the test's directory.  Other paths still get the metrics.
. "$(dirname "$0")/lib.sh"
. "$HERE/vmm.lib"
command -v chromium >/dev/null || skip "chromium missing (package chromium)"
need_vmm
vmm_netns
P=s$$
S=$T/state
trap 'for p in $(pool_pids $P); do kill -9 $p; done; cleanup' EXIT
cat > "$T/lvsd.conf" <<CONF
global_defs {
	lvsd_vmm_state_dir $S
}
vm_pool $P {
	kernel $NODE/vmlinuz
	initrd $NODE/initrd.cpio.gz
	data_disk $NODE/data.img
	size 1
	max 1
	bridge vs$$
	bridge_address 10.77.0.1/24
	address_range 10.77.0.10-10.77.0.10
	accel tcg
	stop_timeout 5
}
virtual_server 10.0.0.1 80 {
	lb_algo rr
	lb_kind NAT
	protocol TCP
	delay_loop 1
	real_server_pool $P {
		HTTP_GET {
			url {
				path /health
				status_code 200
			}
			connect_timeout 3
		}
	}
}
CONF
M=127.0.0.1:9188
rm -f "$CTL"
bg ip netns exec "$NS" "$LVSD" -b dry -f "$T/lvsd.conf" -s "$CTL" -m $M \
	2>>"$T/lvsd.log"
wait_for 20 test -S "$CTL" || fail "lvsd did not start"
wait_for "${VMM_BOOT_LIMIT:-240}" in_service_is $P 1 || fail "node not in service"

j=$(in_ns curl -s -m 5 http://$M/status.json)
shape='[.[] | .name, .size, .in_service, (.nodes[] | .name, .address, .state, .restarts)]'
[ "$(echo "$j" | jq -c ".pools | $shape")" = "$(ctl pool json | jq -c "$shape")" ] ||
	fail "pools differ from lvsd ctl pool json: $j"
[ "$(echo "$j" | jq -r '.services.virtual_servers[0].real_servers[0].address')" = \
  "$(ctl show json | jq -r '.virtual_servers[0].real_servers[0].address')" ] ||
	fail "services differ from lvsd ctl show json: $j"
[ "$(echo "$j" | jq -r '.pools[0].nodes[0].name')" = "$P-0" ] || fail "node: $j"
ok "/status.json carries lvsd ctl's show and pool trees"
# Rates per service and real server, as lvsd ctl backend json has them.
rates='[.[] | (.stats, .dests[].stats) | (.cps, .inpps, .outpps, .inbps, .outbps) | numbers] | length'
[ "$(echo "$j" | jq ".backend | $rates")" = 10 ] ||
	fail "backend: no rates for the service and its real server: $j"
[ "$(echo "$j" | jq -c '.backend | [.[] | .stats, .dests[].stats | keys]')" = \
  "$(ctl backend json | jq -c '[.[] | .stats, .dests[].stats | keys]')" ] ||
	fail "backend stats differ from lvsd ctl backend json: $j"
ok "/status.json: CPS, InPPS, OutPPS, InBPS, OutBPS per service and real server"
in_ns curl -s -m 5 http://$M/metrics | grep -q '^lvsd_up 1' || fail "metrics gone"
ok "other paths still get the metrics"

chrome() {
	HOME=$T in_ns chromium --headless --no-sandbox --disable-gpu \
		--disable-dev-shm-usage --virtual-time-budget=8000 "$@" \
		2>>"$T/chromium.log"
}
dom=$(chrome --dump-dom "http://$M/status")
echo "$dom" > "$T/status.html"
echo "$dom" | grep -q "pool $P</b>: 1/1 in service" || fail "page: no pool line ($T/status.html)"
echo "$dom" | grep -q "<td>$P-0</td>" || fail "page: no node"
echo "$dom" | grep -q '<span class="ok">up</span>' || fail "page: nothing up"
echo "$dom" | grep -q "10.0.0.1" || fail "page: no service"
echo "$dom" | grep -q "<th>CPS</th><th>InPPS</th><th>OutPPS</th><th>InBPS</th><th>OutBPS</th>" ||
	fail "page: no rate columns"
echo "$dom" | grep -q "<td><i>service</i></td><td></td><td></td><td></td><td></td><td>0</td>" ||
	fail "page: no service rates"
echo "$dom" | grep -qE "<td>10.77.0.10:80</td>.*<td>0</td><td>0</td><td>0</td><td>0</td><td>0</td></tr>" ||
	fail "page: no real server rates"
ok "chromium shows the service, its real server up with rates, and the node"
chrome --screenshot="$T/status.png" --window-size=1000,700 "http://$M/status" >/dev/null
[ -s "$T/status.png" ] || fail "no screenshot"
ok "screenshot: $T/status.png"
echo "5 passed, 0 failed"
