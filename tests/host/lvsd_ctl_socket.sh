#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 150
# The control socket: a second lvsd on the same path is refused and leaves
# the first one's socket alone; -s on a regular file never deletes it; a
# stale socket is replaced; every state change is logged with the caller's
# uid (SO_PEERCRED); connections are capped; a slow client is cut after
# 10 s in all, not 10 s per byte.
. "$(dirname "$0")/lib.sh"

P1=$(free_port)
bg socat TCP-LISTEN:$P1,bind=127.0.0.1,reuseaddr,fork SYSTEM:true
cat >"$T/lvsd.conf" <<CONF
virtual_server 10.9.16.1 80 {
  delay_loop 0.5
  protocol TCP
  lb_algo rr
  lb_kind NAT
  real_server 127.0.0.1 $P1 {
    TCP_CHECK { connect_timeout 0.5 }
  }
}
CONF
start_lvsd
wait_for 6 weight_is 10.9.16.1:80 127.0.0.1:$P1 1 || fail "RS not in"
ino=$(stat -c %i "$CTL")

# 1. a second lvsd on the same socket
timeout 10 "$LVSD" -b dry -f "$T/lvsd.conf" -s "$CTL" 2>"$T/second.log"
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "second lvsd was not refused (rc $rc)"
grep -q "another lvsd answers" "$T/second.log" || fail "second lvsd: $(cat "$T/second.log")"
[ -S "$CTL" ] && [ "$(stat -c %i "$CTL")" = "$ino" ] || fail "the first lvsd's socket was replaced or removed"
ctl show >/dev/null || fail "first lvsd no longer answers"
ok "second lvsd on a live socket refused (rc $rc); the first keeps its socket"

# 2. -s naming a regular file
echo "precious" >"$T/file"
timeout 10 "$LVSD" -b dry -f "$T/lvsd.conf" -s "$T/file" 2>"$T/file.log"
rc=$?
[ $rc -ne 0 ] && [ $rc -ne 124 ] || fail "-s on a regular file was not refused (rc $rc)"
[ "$(cat "$T/file" 2>/dev/null)" = precious ] || fail "-s deleted or changed a regular file"
grep -q "not a socket" "$T/file.log" || fail "-s on a file: $(cat "$T/file.log")"
ok "-s on a regular file: refused, the file is intact"

# 3. a stale socket (nobody listening) is replaced
python3 -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/stale.sock"
[ -S "$T/stale.sock" ] || fail "could not make a stale socket"
bg "$LVSD" -b dry -f "$T/lvsd.conf" -s "$T/stale.sock" 2>>"$T/stale.log"
STALE_PID=$LAST_PID
wait_for 5 "$LVSD" ctl -s "$T/stale.sock" show || fail "lvsd did not take over a stale socket: $(cat "$T/stale.log")"
kill "$STALE_PID"; wait "$STALE_PID" 2>/dev/null
[ -e "$T/stale.sock" ] && fail "lvsd left its socket behind at exit"
ok "stale socket replaced; removed at exit"

# 4. state changes name their caller
ctl disable tcp:10.9.16.1:80 127.0.0.1:$P1 | grep -q '^ok' || fail "disable refused"
ctl enable tcp:10.9.16.1:80 127.0.0.1:$P1 | grep -q '^ok' || fail "enable refused"
ctl show >/dev/null
grep -q "control: uid $(id -u) gid [0-9]* pid [0-9]*: disable tcp:10.9.16.1:80" "$T/lvsd.log" ||
	fail "disable not logged with the caller's uid"
grep -q "control: uid $(id -u) .*: enable " "$T/lvsd.log" || fail "enable not logged"
grep -q "control: .*: show" "$T/lvsd.log" && fail "a read-only command was logged as a change"
ok "disable/enable logged with uid, gid and pid"

# 5. 40 idle clients: at most 16 held, the rest wait in the backlog
python3 - "$CTL" <<'PY' &
import socket, sys, time
cs = []
for _ in range(40):
    s = socket.socket(socket.AF_UNIX)
    s.setblocking(False)
    try:
        s.connect(sys.argv[1])
    except BlockingIOError:
        pass
    cs.append(s)
time.sleep(30)
PY
IDLE=$!
PIDS+=($IDLE)
sleep 2
nfd=$(ls "/proc/$LVSD_PID/fd" | wc -l)
[ "$nfd" -lt 40 ] || fail "lvsd holds $nfd descriptors for 40 idle clients"
ok "40 idle control clients: lvsd holds $nfd descriptors"
# They are cut after 10 s each; the control socket answers again.
wait_for 40 ctl show || fail "control socket never answered again"
ok "control socket answers once idle clients time out"
kill "$IDLE" 2>/dev/null; wait "$IDLE" 2>/dev/null

# 6. a client sending one byte a second is cut at 10 s, not kept forever
secs=$(python3 - "$CTL" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
t0 = time.monotonic()
s.settimeout(1.0)
while time.monotonic() - t0 < 40:
    try:
        s.send(b"s")
        if s.recv(16) == b"":
            break
    except socket.timeout:
        continue
    except OSError:
        break
print(int(time.monotonic() - t0))
PY
)
[ "$secs" -lt 25 ] || fail "slow client kept for ${secs} s"
[ "$secs" -ge 9 ] || fail "slow client cut too early (${secs} s)"
ok "a byte-a-second client is cut after ${secs} s (10 s in all)"
