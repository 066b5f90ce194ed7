#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Run by tests/pkg/run in the lab guest with LAB_INSTALLED=1: the modules
# are the ones dkms built into updates/dkms, the programs /usr/sbin's, and
# the schedulers come through the core's request_module().
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
lab_done
