# Connection sync's new-connection rate in one lab guest (see sync.sh).
BENCHES += run-sync
run-sync: bpf_blast
	LAB_MEM=2048 $(TOP)/tests/lab/run --show --timeout 1800 $(TOP)/bench/sync.sh
