#!/bin/bash
# NAT: TCP and UDP over IPv4 and IPv6 from the client through the VIP to
# three real servers; round robin spreads the connections evenly, every
# answer comes back, and the counters match what was sent.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

kmod_setup 3
for i in 1 2 3; do
	lab_rs_tun $i
	kmod_serve $i 80
done
kmod_fwd_method m
lvs ls
lab_done
