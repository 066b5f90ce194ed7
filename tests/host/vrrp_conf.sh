#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lvsd -t exits as keepalived -t does on keepalived's own VRRP sample
# configurations (Debian ships them with the keepalived package), and on
# VRRP mistakes of our own; a config it refuses names file:line.
. "$(dirname "$0")/lib.sh"
command -v keepalived >/dev/null || skip "needs keepalived for its -t"
S=/usr/share/doc/keepalived/samples
ls "$S"/keepalived.conf.vrrp* >/dev/null 2>&1 || skip "no keepalived samples in $S"
bad=0
for f in "$S"/keepalived.conf.vrrp* "$S"/keepalived.conf.sample \
	 "$S"/keepalived.conf.track_interface "$S"/keepalived.conf.IPv6; do
	[ -f "$f" ] || continue
	if same_t_code "$f"; then
		ok "$(basename "$f"): same -t code ($("$LVSD" -t -f "$f" >/dev/null 2>&1; echo $?))"
	else
		bad=1
	fi
done
[ $bad = 0 ] || fail "lvsd -t differs from keepalived -t"

# Our own mistakes: each refused with file:line, as keepalived refuses it.
cat >"$T/bad.conf" <<'CONF'
vrrp_instance VI_1 {
  interface lo
  virtual_router_id 300
  priority 100
  virtual_ipaddress {
    10.1.2.3/40
  }
}
CONF
same_t_code "$T/bad.conf" || fail "bad.conf: -t codes differ"
"$LVSD" -t -f "$T/bad.conf" 2>&1 | grep -q "bad.conf:3:" ||
	fail "no file:line for virtual_router_id 300"
"$LVSD" -t -f "$T/bad.conf" 2>&1 | grep -q "bad.conf:6:" ||
	fail "no file:line for a /40 prefix"
ok "VRRP mistakes refused with file:line"

# lvs_sync_daemon: its instance must exist, its options be in range.
cat >"$T/sd.conf" <<'CONF'
global_defs {
  lvs_sync_daemon eth0 NOPE
}
vrrp_instance VI_1 {
  interface lo
  virtual_router_id 30
  priority 100
  virtual_ipaddress {
    10.1.2.3/24
  }
}
CONF
"$LVSD" -t -f "$T/sd.conf" 2>&1 | grep -q "sd.conf:2: error: Unable to find vrrp instance NOPE" ||
	fail "lvs_sync_daemon naming no instance not refused with file:line"
sed -i 's/NOPE/VI_1 id 300/' "$T/sd.conf"
"$LVSD" -t -f "$T/sd.conf" 2>&1 | grep -q "sd.conf:2: error: Invalid lvs_sync_daemon id '300'" ||
	fail "lvs_sync_daemon id 300 not refused with file:line"
sed -i 's/id 300/id 3 maxlen 1400 port 8848 ttl 2 group 224.0.0.81/' "$T/sd.conf"
"$LVSD" -t -f "$T/sd.conf" >/dev/null 2>&1 || fail "a good lvs_sync_daemon refused"
ok "lvs_sync_daemon: checked with file:line"
