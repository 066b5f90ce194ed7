# The eBPF datapath against routing, IPVS and lvs.ko on emulated NICs
# (virtio-net pairs wired inside QEMU, native XDP in the driver; see
# bpf_nic.sh), under QEMU's instruction counting like run-bpf-lab-icount.
# Not in BENCHES (make -C bench): one guest of about half an hour.
# xdp_min.bpf.o is its "xdp-min" mode: the floor of XDP forwarding there.
CLEAN += xdp_min.bpf.o
$(TOP)/bpf/vmlinux.h:
	$(MAKE) -C $(TOP)/bpf vmlinux.h
xdp_min.bpf.o: xdp_min.bpf.c $(TOP)/bpf/vmlinux.h
	$(or $(CLANG),clang) -O2 -g -target bpf -D__TARGET_ARCH_x86 -Wall -Werror -I$(TOP)/bpf -c $< -o $@
.PHONY: run-bpf-nic-icount
run-bpf-nic-icount: bpf_blast xdp_min.bpf.o
	LAB_MEM=2048 LAB_NICS=13 LAB_ICOUNT=$(or $(ICOUNT),0) $(TOP)/tests/lab/run --show --timeout 5400 $(TOP)/bench/bpf_nic.sh $(ARGS)
