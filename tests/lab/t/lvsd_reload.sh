#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# lvsd with lvs.ko: reloads (SIGHUP, with weight changes, a real server
# added and one removed) lose no connection: a long-lived connection through
# the VIP keeps echoing, and new connections keep succeeding throughout.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

LVSD=$LAB_DIR/lvsd/lvsd
VSADM=$LAB_DIR/vsadm/vsadm
[ -x "$LVSD" ] || lab_skip "lvsd not built"
kmod_setup 3 || lab_skip "no lvs module or topology"
PIDS=()
for i in 1 2 3; do
	ip netns exec rs$i socat TCP-LISTEN:8080,fork,reuseaddr EXEC:cat >/dev/null 2>&1 &
	PIDS+=($!)
	ip netns exec rs$i python3 "$KTOOLS/responder.py" rs$i 80 >/dev/null 2>&1 &
	PIDS+=($!)
	lab_wait_port rs$i tcp 8080
	lab_wait_port rs$i tcp 80
done
conf() {	# WEIGHT1 RS3?(yes|no) RS2?(yes|no)
	{
		for port in 80 8080; do
			echo "virtual_server $VIP4 $port {"
			echo "  delay_loop 1"
			echo "  lb_algo wrr"
			echo "  lb_kind NAT"
			echo "  protocol TCP"
			echo "  real_server $(lab_rs_addr 1) $port {"
			echo "    weight $1"
			echo "    TCP_CHECK {"
			echo "      connect_timeout 1"
			echo "    }"
			echo "  }"
			if [ "$3" = yes ]; then
				echo "  real_server $(lab_rs_addr 2) $port {"
				echo "    drain_timeout 30"
				echo "    TCP_CHECK {"
				echo "      connect_timeout 1"
				echo "    }"
				echo "  }"
			fi
			if [ "$2" = yes ]; then
				echo "  real_server $(lab_rs_addr 3) $port {"
				echo "    TCP_CHECK {"
				echo "      connect_timeout 1"
				echo "    }"
				echo "  }"
			fi
			echo "}"
		done
	} >/tmp/lvsd.conf
}
conf 1 no yes
ip netns exec director "$LVSD" -f /tmp/lvsd.conf -s /tmp/lvsd.sock 2>/tmp/lvsd.log &
LVSD_PID=$!
ready() { ip netns exec director "$VSADM" -Ln | grep -c -- "-> 10.0.2.1[12]:8080" | grep -qx 2; }
for t in $(seq 1 100); do ready && break; sleep 0.1; done
lab_check "lvsd set up two real servers" ready

# A connection that lives through every reload: one line every 0.1 s.
cat >/tmp/longconn.py <<'PY'
import socket, sys, time
s = socket.create_connection((sys.argv[1], 8080), timeout=5)
n = 0
end = time.time() + float(sys.argv[2])
try:
    while time.time() < end:
        msg = b"line %d\n" % n
        s.sendall(msg)
        got = b""
        while len(got) < len(msg):
            chunk = s.recv(100)
            if not chunk:
                raise OSError("closed")
            got += chunk
        if got != msg:
            raise OSError("wrong echo")
        n += 1
        time.sleep(0.1)
    print("ok", n)
except OSError as e:
    print("broken after", n, e)
PY
ip netns exec client python3 /tmp/longconn.py $VIP4 14 >/tmp/longconn.out 2>&1 &
LONG=$!
# New connections all along, on port 80.
( fails=0; ok=0; end=$(( ${EPOCHREALTIME/./} / 1000 + 13000 ))
  while [ $(( ${EPOCHREALTIME/./} / 1000 )) -lt $end ]; do
	if lab_tcp $VIP4 80 >/dev/null 2>&1; then ok=$((ok + 1)); else fails=$((fails + 1)); fi
  done; echo "$ok $fails" >/tmp/short.out ) &
SHORT=$!
sleep 2
conf 3 no yes; kill -HUP "$LVSD_PID"; sleep 2
conf 3 yes yes; kill -HUP "$LVSD_PID"; sleep 2
conf 2 yes no; kill -HUP "$LVSD_PID"; sleep 2
conf 2 yes no; kill -HUP "$LVSD_PID"; sleep 2
wait "$LONG" "$SHORT"
ip netns exec director "$VSADM" -Ln
lab_check "the long-lived connection survived four reloads ($(cat /tmp/longconn.out))" \
	grep -q '^ok' /tmp/longconn.out
read -r ok fails </tmp/short.out
lab_check "new connections kept working ($ok ok, $fails failed)" test "$fails" -eq 0 -a "$ok" -gt 0
lab_check_eq "weight change applied" 1 sh -c \
	"ip netns exec director '$VSADM' -Ln | grep -c -- '-> $(lab_rs_addr 1):80 *Masq *2 '"
lab_check "added real server in" sh -c \
	"ip netns exec director '$VSADM' -Ln | grep -q -- '-> $(lab_rs_addr 3):80'"
lab_check "reloads logged" grep -q "reloaded" /tmp/lvsd.log
kill "$LVSD_PID"; wait "$LVSD_PID"
for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
cat /tmp/lvsd.log
lab_done
