#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Not a test of ours (suite does not run diag/): a check of the lab
# itself.  Does patching kernel text while both vCPUs run the patched
# code hang the TCG guest, with no lvs module loaded?  Two TCP senders
# push small segments over a veth pair, so both vCPUs spend their time
# in __netif_receive_skb_core, while a loop adds and removes a clsact
# qdisc on a dummy device: each add and each removal flips
# ingress_needed_key, a static key whose site is in that function.
#
#   tests/lab/run --timeout 900 tests/lab/diag/static-key-toggle.sh [N]
#
# With QEMU 7.2 (Debian 12) under TCG, -smp 2, the guest locked up
# within about 130 toggles: both CPUs in softirq at the key's site,
# the soft-lockup panic after 23 s (tests/lab/README.md, "Patching
# kernel text under TCG").  It passes when N toggles went by.
. "$LAB_DIR/tests/lab/lib.sh"

n=${1:-300}
ip netns add ska
ip netns add skb
ip link add v0 netns ska type veth peer name v1 netns skb
ip -n ska addr add 10.9.0.1/24 dev v0
ip -n skb addr add 10.9.0.2/24 dev v1
for ns in ska skb; do
	ip -n $ns link set lo up
done
ip -n ska link set v0 up
ip -n skb link set v1 up
ip link add skdum0 type dummy

sink='
import socket, threading
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", 9000))
s.listen(16)
def drain(c):
    while c.recv(65536):
        pass
while True:
    c, _ = s.accept()
    threading.Thread(target=drain, args=(c,), daemon=True).start()
'
src='
import socket, time
time.sleep(1)
while True:
    try:
        c = socket.create_connection(("10.9.0.2", 9000))
        c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        for i in range(2000):
            c.send(b"x" * 200)
        c.close()
    except OSError:
        time.sleep(0.1)
'
ip netns exec skb python3 -c "$sink" &
pids=$!
for i in 1 2; do
	ip netns exec ska python3 -c "$src" &
	pids="$pids $!"
done
sleep 3
t0=$SECONDS
for i in $(seq 1 "$n"); do
	tc qdisc add dev skdum0 clsact
	tc qdisc del dev skdum0 clsact
	[ $((i % 50)) = 0 ] && echo "# $i toggles, $((SECONDS - t0)) s"
done
lab_check "$n toggles of ingress_needed_key under traffic" true
# shellcheck disable=SC2086
kill $pids
wait 2>/dev/null
ip netns del ska
ip netns del skb
ip link del skdum0
lab_done
