#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run by tests/pkg/run in the lab guest with LAB_INSTALLED=1: the modules
# are the ones dkms built into updates/dkms, the programs /usr/sbin's, and
# the schedulers come through the core's request_module(); lvsd runs with
# the capabilities of its installed unit.
. "$LAB_DIR/tests/lab/lib.sh"
kver=$(uname -r)
dkms=/lib/modules/$kver/updates/dkms

in_dkms() { case $(modinfo -F filename "$1") in "$dkms"/*) ;; *) return 1 ;; esac; }
lab_check "lvs.ko is the one dkms built" in_dkms lvs
lab_check "lvs_wrr.ko is the one dkms built" in_dkms lvs_wrr
lab_check "modprobe lvs" modprobe lvs
lab_check "vsadm is /usr/sbin's" test "$LAB_VSADM" = /usr/sbin/vsadm
lab_check "vsadm -A ... -s wrr (request_module loads lvs_wrr)" \
	"$LAB_VSADM" -A -t 10.0.0.100:80 -s wrr
lab_check "lvs_wrr loaded" test -d /sys/module/lvs_wrr
lab_check "vsadm -a a real server" \
	"$LAB_VSADM" -a -t 10.0.0.100:80 -r 10.0.2.11:80 -m -w 2
lab_check "vsadm -Ln shows it" sh -c \
	'"$1" -Ln | grep -q "10.0.2.11:80 *Masq *2"' sh "$LAB_VSADM"
lab_check "lvs_mh by request_module too" "$LAB_VSADM" -A -u 10.0.0.100:53 -s mh
lab_check "vsadm -C" "$LAB_VSADM" -C
lab_check "lvsd -t on the installed example" \
	"$LAB_LVSD" -t -f /usr/share/doc/lvsd/examples/lvsd.conf.sample

# lvsd with only the capabilities its unit grants (CapabilityBoundingSet of
# the installed lvsd.service): it drives the module (NET_ADMIN), runs
# MISC_CHECK as nobody (SETUID, SETGID) and gives its socket to a group
# (CHOWN).  The real server starts down (alpha): it is in the table only
# once the check, run as nobody, passed.
caps=$(sed -n 's/^CapabilityBoundingSet=//p' /lib/systemd/system/lvsd.service |
	tr 'A-Z ' 'a-z,' | sed 's/cap_/+/g')
w=$(mktemp -d /tmp/lvsd-caps.XXXXXX)
chmod 755 "$w"
mkdir -m 1777 "$w/out"
printf '#!/bin/sh\nid -un > %s/out/who\n' "$w" > "$w/check.sh"
chmod 755 "$w/check.sh"
cat > "$w/lvsd.conf" <<CONF
global_defs {
  lvsd_control_socket $w/ctl.sock
  lvsd_control_group adm
  lvsd_control_mode 0660
  script_user nobody
}
virtual_server 10.0.0.100 80 {
  lb_algo rr
  lb_kind NAT
  protocol TCP
  delay_loop 5                         ! the emulated guest is slow: no flapping
  warmup 0
  alpha
  real_server 10.0.2.11 80 {
    MISC_CHECK {
      misc_path $w/check.sh
    }
  }
}
CONF
setpriv --inh-caps=-all --bounding-set=-all,"$caps" \
	"$LAB_LVSD" -f "$w/lvsd.conf" 2>"$w/lvsd.log" &
lvsd_pid=$!
in_table() { "$LAB_VSADM" -Ln | grep -q -- "-> 10.0.2.11:80"; }
wait_in_table() {
	local i
	for i in $(seq 1 60); do in_table && return 0; sleep 0.5; done
	return 1
}
lab_check "lvsd under the unit's bounding set ($caps): real server in" wait_in_table
lab_check "its check ran as nobody" test "$(cat "$w/out/who" 2>&1)" = nobody
lab_check "control socket group adm" test "$(stat -c %G "$w/ctl.sock" 2>&1)" = adm
kill -HUP $lvsd_pid
sleep 1
lab_check "reload (SIGHUP) keeps it running" kill -0 $lvsd_pid
kill -TERM $lvsd_pid
wait $lvsd_pid
lab_check "stopped: its service is gone" sh -c '! "$1" -Ln | grep -q 10.0.0.100:80' sh "$LAB_VSADM"
sed 's/^/#   lvsd: /' "$w/lvsd.log" | tail -8
rm -rf "$w"
lab_done
