#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Connection sync between an lvs.ko director and an eBPF director
# (docs/sync.md, The eBPF datapath): sync.sh's topology in one guest
# (tests/lab/sync-lib.sh), dA on the module, dB on the eBPF datapath
# (XDP), the same NAT and DR services.  The eBPF director as the module's backup: started
# late, it gets the whole table from the module's master and counts the
# streams active.  The eBPF director as master: the module's backup on
# dA takes its datagrams (entries decoded, none bad).  Then dA's links
# go, dB takes the VIP and the gateway: every stream goes on through the
# XDP program, on entries it only knows from the module.
#
#   client 10.0.1.2 --+-- f0 dA 10.0.1.11   b0 10.0.2.2 --+-- rs1 10.0.2.11
#                     +-- f0 dB 10.0.1.12   b0 10.0.2.3 --+-- rs2 10.0.2.12
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/sync-lib.sh"

[ -r /sys/kernel/btf/vmlinux ] || lab_skip "guest kernel without BTF"
for t in bpftool ethtool nsenter python3; do
	command -v $t >/dev/null || lab_skip "needs $t"
done

# dB's commands keep this mount namespace: the eBPF datapath's pins live
# in /sys/fs/bpf, which ip netns exec would hide behind a new /sys.
vs() {
	if [ "$1" = dB ]; then
		nsenter --net=/run/netns/dB "$LAB_VSADM" --datapath bpf "${@:2}"
	else
		ip netns exec "$1" "$LAB_VSADM" --datapath kernel "${@:2}"
	fi
}
cleanup() {
	vs dB --stop-daemon master 2>/dev/null
	vs dB --stop-daemon backup 2>/dev/null
	vs dB --unload 2>/dev/null
	sync_cleanup
}
trap cleanup EXIT

# One counter of NS's daemon of ROLE (JSON: master first).
counter_of() {	# NS ROLE FIELD
	vs "$1" -L --daemon --json | python3 -c '
import json, sys
for d in json.load(sys.stdin):
    if d["state"].startswith(sys.argv[1]):
        print(d[sys.argv[2]])' "$2" "$3"
}

modprobe lvs || lab_skip "lvs.ko does not load"
lab_check "topology" sync_topo dA dB
# XDP rewrites full checksums: senders must not leave partial ones;
# frames redirected into a veth want GRO on the far end.
lab_in client ethtool -K c0 tx off >/dev/null
for i in 1 2; do lab_in rs$i ethtool -K e0 tx off >/dev/null; done
for p in pfb pbb; do lab_in sw ethtool -K $p gro on >/dev/null; done
lab_check "services on dA (lvs.ko)" services dA
t0=$EPOCHREALTIME
lab_check "services on dB (eBPF)" services dB
echo "# loading the eBPF datapath took $(( (${EPOCHREALTIME/./} - ${t0/./}) / 1000 )) ms"
lab_check "dA active" activate dA
sync_servers

lab_check "module master on dA" vs dA --start-daemon master \
	--mcast-interface b0 --syncid 7
start_bg client "$OUT.c" python3 "$TOOL" traffic "$OUT" \
	long:$VIP:80:4 long:$VIP:81:4
lab_check "client traffic running" [ $? -eq 0 ]
lab_check "8 streams established on dA" wait_for 60 ge "established dA" 8

# The eBPF backup starts late: the module's master sends it the table.
lab_check "eBPF backup on dB, late" vs dB --start-daemon backup \
	--mcast-interface b0 --syncid 7
lab_check_eq "dB lists it as ipvsadm does" \
	"backup sync daemon (mcast=b0, syncid=7, maxlen=1472, group=224.0.0.81, port=8848, ttl=1)" \
	vs dB -L --daemon
lab_check "dB received the whole table" \
	wait_for 30 ge "counter_of dB backup resyncs" 1
lab_check "dB has the 8 streams" wait_for 30 ge "established dB" 8
active_ok() {	# ActiveConn of dB's servers: the 8 streams
	[ "$(vs dB -L -n | awk '$1 == "->" && $2 ~ /^10/ { s += $5 } END { print s + 0 }')" -ge 8 ]
}
lab_check "dB's servers count the streams as active" active_ok
lab_check_eq "dB found every entry's service and server" 0 \
	counter_of dB backup bad

# The eBPF director as master, the module's backup on dA as its peer.
lab_check "eBPF master on dB" vs dB --start-daemon master \
	--mcast-interface b0 --syncid 7
lab_check "module backup on dA" vs dA --start-daemon backup \
	--mcast-interface b0 --syncid 7
lab_check "dA's backup got the eBPF master's table" \
	wait_for 30 ge "counter_of dA backup resyncs" 1
lab_check "dA's backup installed its entries" \
	wait_for 30 ge "counter_of dA backup recv_conns" 8
lab_check_eq "dA's backup decoded every entry" 0 counter_of dA backup bad
lab_check "stop the module backup" vs dA --stop-daemon backup
lab_check "stop the eBPF master" vs dB --stop-daemon master

# dA dies; dB takes over on the entries the module sent.
start_bg - "$OUT.t" python3 "$TOOL" takeover "$OUT.took" \
	down:sw:pfa down:sw:pba addr:dB:f0:$VIP:255.255.255.255 \
	addr:dB:b0:$GW:255.255.255.0 garp:dB:f0:$VIP garp:dB:b0:$GW
lab_check "takeover ready" [ $? -eq 0 ]
traffic=${pids[-2]}
sleep 2
kill -USR1 "${pids[-1]}"
lab_check "dB took the VIP and gateway" wait_for 30 test -s "$OUT.took"
sleep 8
kill -TERM "$traffic"
wait "$traffic"
echo "# traffic: $(tr '\n' '|' <"$OUT")"
echo "# takeover (links cut, VIP and GARP on dB): $(cat "$OUT.took") ms"
echo "# dB: $(vs dB -L -n --stats | tr -s ' ' | tr '\n' '|')"
lab_check_eq "no stream lost" 0 awk '/^streams/ { print $4 }' "$OUT"
lab_check "the streams went on after the takeover" \
	awk '/^streams/ { exit !($2 == 8) }' "$OUT"
moved() {	# dB's XDP program forwarded packets of the streams
	[ "$(vs dB -L -n --stats | awk '$1 == "->" { s += $4 } END { print s + 0 }')" -gt 0 ]
}
lab_check "dB's XDP program carries the streams" moved

lab_check "stop the eBPF backup" vs dB --stop-daemon backup
lab_check_eq "no daemon left on dB" "" vs dB -L --daemon
lab_check "unload the eBPF datapath" vs dB --unload
lab_check "no pin left" \
	test -z "$(ls /sys/fs/bpf/lvs 2>/dev/null)"
lab_done
