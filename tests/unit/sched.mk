# Scheduler unit tests: the scheduler sources themselves, built through
# schedulers/compat/lvs_compat.h, against references of IPVS's rules.
SCHED_SRCS := $(addprefix $(TOP)/schedulers/lvs_, \
	rr.c wrr.c lc.c wlc.c sed.c nq.c lblc.c lblcr.c sh.c dh.c mh.c \
	fo.c ovf.c) test_sched_harness.c
SCHED_DEPS := $(wildcard $(TOP)/schedulers/*.h $(TOP)/schedulers/compat/*.h) \
	test_sched_harness.h

define sched_test
TESTS += $(1)
$(1)_SRCS := $(1).c $$(SCHED_SRCS)
$(1)_CPPFLAGS := -I$$(TOP)/schedulers/compat
$$(BIN)/$(1): $$(SCHED_DEPS)
endef
$(foreach t,test_sched_seq test_sched_least test_sched_hash test_sched_dist test_sched_lblc test_sched_fuzz,$(eval $(call sched_test,$(t))))
test_sched_dist_LIBS := -lm
