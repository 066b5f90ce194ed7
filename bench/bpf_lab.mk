# The eBPF datapath against routing, IPVS and lvs.ko in one lab guest
# (see bpf_lab.sh): 64-byte UDP, one flow, 256 flows, new flows.
# run-bpf-lab-icount: the same under QEMU's instruction counting (one
# vCPU, the guest's clock counting instructions): figures that do not
# depend on the host's load.
BENCHES += run-bpf-lab
run-bpf-lab: bpf_blast
	LAB_MEM=2048 $(TOP)/tests/lab/run --show --timeout 1800 $(TOP)/bench/bpf_lab.sh

.PHONY: run-bpf-lab-icount
run-bpf-lab-icount: bpf_blast
	LAB_MEM=2048 LAB_ICOUNT=$(or $(ICOUNT),0) $(TOP)/tests/lab/run --show --timeout 5400 $(TOP)/bench/bpf_lab.sh
