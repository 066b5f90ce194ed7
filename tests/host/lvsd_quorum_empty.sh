#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# quorum 1 with hysteresis 1 and a sorry server (the issue's case): the
# hysteresis is lowered to 0 as keepalived does (-t exits 5 for both), an
# empty pool loses the quorum, and omega runs quorum_down at shutdown.
. "$(dirname "$0")/lib.sh"

P1=$(free_port); PS=$(free_port)
OUT=$T/out
mkdir -p "$OUT"; chmod 1777 "$OUT"
bg socat TCP-LISTEN:$P1,bind=127.0.0.1,reuseaddr,fork SYSTEM:true
L1=$LAST_PID
cat >"$T/q.sh" <<'SH'
#!/bin/sh
echo "$2" >>"$1/quorum"
SH
chmod 755 "$T/q.sh"
cat >"$T/lvsd.conf" <<CONF
global_defs {
  script_user $(id -un)
}
virtual_server 10.9.14.1 80 {
  delay_loop 0.3
  delay_before_retry 0.3
  protocol TCP
  lb_algo rr
  lb_kind NAT
  quorum 1
  hysteresis 1
  omega
  quorum_up "$T/q.sh $OUT up"
  quorum_down "$T/q.sh $OUT down"
  sorry_server 127.0.0.1 $PS
  real_server 127.0.0.1 $P1 {
    weight 1
    TCP_CHECK { connect_timeout 0.5 }
  }
}
CONF
"$LVSD" -t -f "$T/lvsd.conf" >"$T/t.out" 2>&1
rc=$?
[ $rc = 5 ] || fail "lvsd -t exited $rc, keepalived 2.2.7 exits 5 here"
grep -q "hysteresis 1 >= quorum 1; setting hysteresis to 0" "$T/t.out" ||
	fail "no hysteresis message: $(cat "$T/t.out")"
if command -v keepalived >/dev/null; then
	# without the scripts (their security checks are another matter)
	grep -v 'quorum_up\|quorum_down\|script_user' "$T/lvsd.conf" >"$T/noscripts.conf"
	"$LVSD" -t -f "$T/noscripts.conf" >/dev/null 2>&1
	rc2=$?
	keepalived -t -f "$T/noscripts.conf" >/dev/null 2>&1
	krc=$?
	[ $krc = $rc2 ] || fail "keepalived -t exits $krc, lvsd -t $rc2"
fi
ok "lvsd -t: hysteresis lowered to 0, exit 5 (keepalived's)"
start_lvsd
wait_for 6 weight_is 10.9.14.1:80 127.0.0.1:$P1 1 || fail "RS not in"
weight_is 10.9.14.1:80 127.0.0.1:$PS absent || fail "sorry server in with the quorum met"
ok "quorum 1, hysteresis 1: pool in, no sorry server"

kill "$L1"; wait "$L1" 2>/dev/null
wait_for 8 weight_is 10.9.14.1:80 127.0.0.1:$P1 absent || fail "dead RS not removed"
wait_for 6 weight_is 10.9.14.1:80 127.0.0.1:$PS 1 || fail "empty pool: sorry server not added"
wait_for 6 grep -qx down "$OUT/quorum" || fail "empty pool: quorum_down did not run"
ok "empty pool: quorum lost, sorry server in, quorum_down ran"

bg socat TCP-LISTEN:$P1,bind=127.0.0.1,reuseaddr,fork SYSTEM:true
wait_for 8 weight_is 10.9.14.1:80 127.0.0.1:$PS absent || fail "sorry server kept with the RS back"
weight_is 10.9.14.1:80 127.0.0.1:$P1 1 || fail "RS not back"
wait_for 6 grep -qx up "$OUT/quorum" || fail "quorum_up did not run"
ok "RS back: quorum regained at weight 1 (hysteresis 0), sorry server out"

: >"$OUT/quorum"
kill -TERM "$LVSD_PID"
wait_for 10 grep -qx down "$OUT/quorum" || fail "omega: quorum_down did not run at shutdown"
ok "omega: quorum_down ran at shutdown"
