# Scheduler picks against IPVS-style linear walks (see sched_bench.c).
SCHED_BENCH_SRCS := sched_bench.c $(addprefix $(TOP)/schedulers/lvs_, \
	rr.c wrr.c lc.c wlc.c sed.c nq.c lblc.c lblcr.c sh.c dh.c mh.c \
	fo.c ovf.c)

BENCHES += run-sched_bench
CLEAN += build/sched_bench

build/sched_bench: $(SCHED_BENCH_SRCS) $(wildcard $(TOP)/schedulers/*.h \
		$(TOP)/schedulers/compat/*.h $(TOP)/include/lvs/*.h)
	@mkdir -p build
	$(CC) $(CPPFLAGS) -I$(TOP)/schedulers/compat $(CFLAGS) -O2 -o $@ \
		$(SCHED_BENCH_SRCS)

run-sched_bench: build/sched_bench
	build/sched_bench
