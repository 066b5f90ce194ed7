# The XDP program alone, per kind of frame, under instruction counting
# in the lab guest (see bpf_prog_cost.sh).  BASE=path/to/an/older/vsadm
# measures that build's program first, in the same boot.
CLEAN += bpf_prog_cost
bpf_prog_cost: bpf_prog_cost.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIBBPF_LIBS)

.PHONY: run-bpf-prog-cost
run-bpf-prog-cost: bpf_prog_cost
	LAB_SMP=1 LAB_ICOUNT=$(or $(ICOUNT),0) $(TOP)/tests/lab/run --show \
		--timeout 5400 $(TOP)/bench/bpf_prog_cost.sh $(or $(RUNS),101) \
		$(BASE) $(TOP)/vsadm/vsadm
