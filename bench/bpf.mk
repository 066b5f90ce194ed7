# The eBPF datapath natively on this host: plain routing against eBPF NAT
# forwarding through the same director namespace (see bpf.sh; root).
BENCHES += run-bpf
CLEAN += bpf_blast
bpf_blast: bpf_blast.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $<
run-bpf: bpf_blast
	./bpf.sh
