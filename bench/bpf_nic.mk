# The eBPF datapath against routing, IPVS and lvs.ko on emulated NICs
# (virtio-net pairs wired inside QEMU, native XDP in the driver; see
# bpf_nic.sh), under QEMU's instruction counting like run-bpf-lab-icount.
# Not in BENCHES (make -C bench): one guest of about half an hour.
.PHONY: run-bpf-nic-icount
run-bpf-nic-icount: bpf_blast
	LAB_MEM=2048 LAB_NICS=11 LAB_ICOUNT=$(or $(ICOUNT),0) $(TOP)/tests/lab/run --show --timeout 5400 $(TOP)/bench/bpf_nic.sh $(ARGS)
