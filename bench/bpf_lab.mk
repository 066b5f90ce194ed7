# The eBPF datapath against routing, IPVS and lvs.ko in one lab guest
# (see bpf_lab.sh): 64-byte UDP, one flow, 256 flows, new flows.
BENCHES += run-bpf-lab
run-bpf-lab: bpf_blast
	LAB_MEM=2048 $(TOP)/tests/lab/run --show --timeout 1800 $(TOP)/bench/bpf_lab.sh
