#!/bin/bash
# Tunnel (IPIP, ip6ip6): TCP and UDP, IPv4 and IPv6, from the client
# through the VIP to three real servers; round robin spreads the
# connections evenly, every answer comes back, counters match.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

kmod_setup 3
for i in 1 2 3; do
	lab_rs_tun $i
	kmod_serve $i 80
done
kmod_fwd_method i
lvs ls
lab_done
