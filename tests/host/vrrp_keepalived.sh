#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# VRRP against a real keepalived, on one link: a bridge in its own network
# namespace with lvsd's director, keepalived's and a client's namespaces
# on it.  For version 2 (1 s adverts, PASS authentication) and version 3
# (100 ms adverts): lvsd takes mastership by priority, a failing
# vrrp_script hands it to keepalived, lvsd's stop hands it over at once
# (priority 0), keepalived's higher priority wins the other way round, and
# after a split brain (the two ports isolated from each other, then not)
# one master is left and the client's ARP cache follows it.
. "$(dirname "$0")/lib.sh"
need_netns
command -v keepalived >/dev/null || skip "needs keepalived"

SW=vsw$$ A=vda$$ B=vkb$$ C=vcl$$ VIP=10.9.0.100
ip netns add "$SW" || fail "netns"
NETNS+=("$SW")
ip -n "$SW" link add br0 type bridge || fail "bridge"
ip -n "$SW" link set br0 up
n=1
for ns in "$A" "$B" "$C"; do
	ip netns add "$ns" || fail "netns $ns"
	NETNS+=("$ns")
	ip link add "p$n" netns "$SW" type veth peer name eth0 netns "$ns" ||
		fail "veth for $ns"
	ip -n "$SW" link set "p$n" master br0 up
	ip -n "$ns" addr add "10.9.0.$n/24" dev eth0
	ip -n "$ns" link set eth0 up
	ip -n "$ns" link set lo up
	n=$((n + 1))
done
MAC_A=$(ip -n "$A" -j link show eth0 | jq -r '.[0].address')
MAC_B=$(ip -n "$B" -j link show eth0 | jq -r '.[0].address')

cat >"$T/notify.sh" <<'EOF'
#!/bin/sh
echo "$3" > "$(dirname "$0")/state.$2"
EOF
chmod 755 "$T/notify.sh"
touch "$T/healthy"

# write_confs VERSION ADVERT_INT LVSD_PRIO KA_PRIO
write_confs() {
	local auth=""
	[ "$1" = 2 ] && auth="authentication {
    auth_type PASS
    auth_pass s3cret
  }"
	cat >"$T/lvsd.conf" <<CONF
vrrp_script chk {
  script "/bin/test -e $T/healthy"
  interval 0.2
  timeout 3
  weight -100
}
vrrp_instance VI_A {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority $3
  advert_int $2
  version $1
  $auth
  virtual_ipaddress {
    $VIP/24
  }
  track_script {
    chk
  }
  notify $T/notify.sh
}
CONF
	cat >"$T/ka.conf" <<CONF
global_defs {
  router_id kb
  script_user root
}
vrrp_instance VI_B {
  state BACKUP
  interface eth0
  virtual_router_id 51
  priority $4
  advert_int $2
  version $1
  $auth
  virtual_ipaddress {
    $VIP/24
  }
  notify $T/notify.sh
}
CONF
}

LVSD_NS_PID=
start_lvsd_ns() {
	bg ip netns exec "$A" "$LVSD" -b dry -f "$T/lvsd.conf" -s "$CTL" \
		2>>"$T/lvsd.log"
	LVSD_NS_PID=$LAST_PID
	wait_for 5 test -S "$CTL" || fail "lvsd did not start"
}
stop_lvsd_ns() {
	kill -TERM "$LVSD_NS_PID" 2>/dev/null
	wait "$LVSD_NS_PID" 2>/dev/null
}
KA_PID=
start_ka() {
	bg ip netns exec "$B" keepalived -n -l -P -f "$T/ka.conf" \
		-p "$T/ka.pid" -r "$T/ka-vrrp.pid" >>"$T/ka.log" 2>&1
	KA_PID=$LAST_PID
}
stop_ka() {
	kill -TERM "$KA_PID" 2>/dev/null
	wait "$KA_PID" 2>/dev/null
}

has_vip() { ip -n "$1" -o addr show dev eth0 | grep -q " $VIP/"; }
lvsd_state() { ctl vrrp 2>/dev/null | awk '$1 == "VI_A" { print $5 }'; }
lvsd_is() { [ "$(lvsd_state)" = "$1" ]; }
ka_is() { [ "$(cat "$T/state.VI_B" 2>/dev/null)" = "$1" ]; }
# The client's ARP entry for the VIP, refreshed by a ping.
client_mac() {
	ip netns exec "$C" ping -c1 -W1 "$VIP" >/dev/null 2>&1
	ip -n "$C" -j neigh show "$VIP" | jq -r '.[0].lladdr // empty'
}
client_follows() { [ "$(client_mac)" = "$1" ]; }

# master_is A|B: one master, holding the VIP, the other backup without it.
master_is() {
	if [ "$1" = A ]; then
		lvsd_is MASTER && ka_is BACKUP && has_vip "$A" && ! has_vip "$B"
	else
		lvsd_is BACKUP && ka_is MASTER && has_vip "$B" && ! has_vip "$A"
	fi
}

round() {	# VERSION ADVERT_INT
	local v=$1 t0 ms
	write_confs "$v" "$2" 150 100
	rm -f "$T"/state.*
	start_ka
	start_lvsd_ns
	wait_for 20 master_is A || fail "v$v: lvsd (150) not master over keepalived (100): lvsd $(lvsd_state), keepalived $(cat "$T/state.VI_B" 2>/dev/null)"
	wait_for 5 client_follows "$MAC_A" || fail "v$v: client's ARP entry is not lvsd's"
	ok "v$v: lvsd master by priority, keepalived backup, client follows"

	rm -f "$T/healthy"
	wait_for 20 master_is B || fail "v$v: a failing vrrp_script did not hand mastership to keepalived"
	wait_for 5 client_follows "$MAC_B" || fail "v$v: client's ARP entry did not follow keepalived"
	ok "v$v: failing vrrp_script: keepalived takes over, client follows"
	touch "$T/healthy"
	wait_for 20 master_is A || fail "v$v: lvsd did not preempt back"
	ok "v$v: script recovers: lvsd preempts back"

	t0=$(ms_now)
	stop_lvsd_ns
	wait_for 10 ka_is MASTER || fail "v$v: keepalived not master after lvsd stopped"
	ms=$(( $(ms_now) - t0 ))
	has_vip "$A" && fail "v$v: lvsd left the VIP behind"
	wait_for 5 client_follows "$MAC_B" || fail "v$v: client did not follow to keepalived"
	ok "v$v: lvsd stops (priority 0): keepalived master after $ms ms"
	[ "$v" = 3 ] && [ "$ms" -gt 1500 ] && fail "v$v: takeover took $ms ms"

	start_lvsd_ns
	wait_for 20 master_is A || fail "v$v: restarted lvsd did not preempt"
	ok "v$v: restarted lvsd preempts"

	# Split brain: the two directors cannot hear each other, the client
	# still reaches both; then the link heals.
	ip -n "$SW" link set p1 type bridge_slave isolated on
	ip -n "$SW" link set p2 type bridge_slave isolated on
	wait_for 20 ka_is MASTER || fail "v$v: isolated keepalived did not become master"
	lvsd_is MASTER || fail "v$v: isolated lvsd left master"
	ok "v$v: split brain: both master"
	ip -n "$SW" link set p1 type bridge_slave isolated off
	ip -n "$SW" link set p2 type bridge_slave isolated off
	wait_for 20 master_is A || fail "v$v: after the split, not one master (lvsd $(lvsd_state), keepalived $(cat "$T/state.VI_B"))"
	wait_for 10 client_follows "$MAC_A" || fail "v$v: client's ARP entry did not come back to lvsd"
	ok "v$v: healed: keepalived yields, client follows lvsd"
	stop_lvsd_ns
	stop_ka

	# The other way round: keepalived has the higher priority.
	write_confs "$v" "$2" 100 200
	rm -f "$T"/state.*
	start_lvsd_ns
	start_ka
	wait_for 20 master_is B || fail "v$v: keepalived (200) not master over lvsd (100)"
	ok "v$v: keepalived master by priority, lvsd backup"
	stop_ka
	wait_for 10 master_is_a_alone || fail "v$v: lvsd did not take over from a stopped keepalived"
	ok "v$v: keepalived stops: lvsd takes over"
	stop_lvsd_ns
}
master_is_a_alone() { lvsd_is MASTER && has_vip "$A"; }

round 2 1
round 3 0.1
grep -E "Sanitizer|runtime error" "$T/lvsd.log" && fail "sanitizer report"
exit 0
