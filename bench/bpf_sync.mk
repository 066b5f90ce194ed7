# Connection sync on the eBPF datapath, natively on this host (see
# bpf_sync.sh; root).
BENCHES += run-bpf-sync
run-bpf-sync: bpf_blast
	./bpf_sync.sh
