# liblvsc against a fake kernel (no lvs.ko needed).
TESTS += test_lib_nl
test_lib_nl_SRCS := test_lib_nl.c $(TOP)/lib/lvsc.c $(TOP)/lib/msg.c \
		    $(TOP)/lib/nl.c $(TOP)/lib/bpf.c $(TOP)/lib/bpf_sync.c \
		    $(TOP)/lib/bpf_mh.c
test_lib_nl_CPPFLAGS := $(LIBNL_CFLAGS) -I$(TOP)/schedulers/compat
test_lib_nl_LIBS := $(LVSC_LIBS)
