#!/bin/bash
# Smoke: the module loads, registers the generic netlink family "LVS" in
# every namespace, answers GET_INFO, and unloads (the runner unloads it
# and fails the run if that does not work).
. "$LAB_DIR/tests/lab/lib.sh"

lab_check "modprobe lvs" modprobe lvs
lab_check "family LVS registered" sh -c 'genl ctrl list | grep -q "Name: LVS"'
lab_check "family LVS visible in a new netns" \
	sh -c 'ip netns add smoke && ip netns exec smoke genl ctrl get name LVS >/dev/null'
lab_check "module version in sysfs" test -d /sys/module/lvs
lab_check "vsadm lists the (empty) table" sh -c '"$1" -Ln | grep -q "Prot LocalAddress"' sh "$LAB_VSADM"
lab_done
