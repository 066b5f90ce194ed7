#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# FILE_CHECK with keepalived's track_file meaning: weight 0 makes the file
# an up/down switch (reverse flips it), another weight adds value * weight
# to the real server's weight; init_file creates the file.
. "$(dirname "$0")/lib.sh"

echo 0 >"$T/switch"
cat >"$T/lvsd.conf" <<CONF
track_file sw {
  file $T/switch
  weight 0
}
track_file w {
  file $T/weight
  init_file 5
}
virtual_server 10.9.11.1 80 {
  lb_algo rr
  lb_kind NAT
  delay_loop 0.2
  protocol TCP
  real_server 127.0.0.1 1 {
    FILE_CHECK {
      track_file sw
    }
  }
  real_server 127.0.0.2 1 {
    FILE_CHECK {
      track_file sw
      weight 0 reverse
    }
  }
  real_server 127.0.0.3 1 {
    weight 10
    FILE_CHECK {
      track_file w
      weight 2
    }
  }
}
CONF
same_t_code "$T/lvsd.conf" || fail "lvsd -t and keepalived -t disagree"
"$LVSD" -t -f "$T/lvsd.conf" || fail "config rejected"
[ -e "$T/weight" ] && fail "lvsd -t wrote the init_file"
start_lvsd
wait_for 6 weight_is 10.9.11.1:80 127.0.0.1:1 1 || fail "switch 0: RS not in"
wait_for 6 weight_is 10.9.11.1:80 127.0.0.2:1 absent || fail "reverse switch 0: RS in"
ok "weight 0: file 0 is up, reverse: down"
echo 1 >"$T/switch"
wait_for 6 weight_is 10.9.11.1:80 127.0.0.1:1 absent || fail "switch 1: RS kept"
wait_for 6 weight_is 10.9.11.1:80 127.0.0.2:1 1 || fail "reverse switch 1: RS not in"
ctl show | grep -q "switch holds 1" || fail "reason not shown"
ok "file 1: down, reverse: up"
rm "$T/switch"
wait_for 6 weight_is 10.9.11.1:80 127.0.0.1:1 1 || fail "missing file (0): RS not back"
ok "missing file reads as 0"
wait_for 6 test "$(cat "$T/weight" 2>/dev/null)" = 5 || fail "init_file did not write 5"
wait_for 6 weight_is 10.9.11.1:80 127.0.0.3:1 20 || fail "weight 10 + 5*2: $(backend_weight 10.9.11.1:80 127.0.0.3:1)"
echo -3 >"$T/weight"
wait_for 6 weight_is 10.9.11.1:80 127.0.0.3:1 4 || fail "weight 10 - 3*2: $(backend_weight 10.9.11.1:80 127.0.0.3:1)"
echo -100 >"$T/weight"
wait_for 6 weight_is 10.9.11.1:80 127.0.0.3:1 0 || fail "weight below 0: $(backend_weight 10.9.11.1:80 127.0.0.3:1)"
ok "weight 2: value * 2 added to the real server's weight, not below 0"

cat >"$T/bad.conf" <<CONF
virtual_server 10.9.11.2 80 {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  real_server 127.0.0.1 1 {
    FILE_CHECK {
      track_file nosuch
    }
  }
}
CONF
same_t_code "$T/bad.conf" || fail "lvsd -t and keepalived -t disagree on an unknown track_file"
"$LVSD" -t -f "$T/bad.conf" 2>&1 | grep -q "bad.conf:6: error: track_file nosuch not found" || fail "no file:line for an unknown track_file"
ok "unknown track_file: error at file:line"
