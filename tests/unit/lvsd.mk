# lvsd: the keepalived-grammar parser and the check state machine.
# Every checker, so a new one needs no line here (its keywords are parsed).
RT_SRCS := $(addprefix $(TOP)/runtime/,loop.c log.c script.c registry.c \
	   conf_lex.c conf_parse.c conf_load.c)
# The vm_pool block checks its settings with vmm/ (files, memory, QEMU).
LVSD_CONF_SRCS := $(TOP)/lvsd/conf_kws.c $(TOP)/lvsd/conf_vmm.c $(RT_SRCS) \
		  $(TOP)/lib/sched_names.c \
		  $(sort $(wildcard $(TOP)/healthcheck/*.c)) \
		  $(sort $(wildcard $(TOP)/vmm/*.c))

TESTS += test_lvsd_conf
test_lvsd_conf_SRCS := test_lvsd_conf.c $(LVSD_CONF_SRCS)
test_lvsd_conf_CPPFLAGS := -I$(TOP)/lvsd -I$(TOP)/healthcheck \
			   -I$(TOP)/runtime -I$(TOP)/vmm
test_lvsd_conf_LIBS := -lev $(HC_LIBS) -lmnl -ljson-c

TESTS += test_lvsd_hcstate
test_lvsd_hcstate_SRCS := test_lvsd_hcstate.c $(TOP)/lvsd/hcstate.c
test_lvsd_hcstate_CPPFLAGS := -I$(TOP)/lvsd

TESTS += test_lvsd_backend
test_lvsd_backend_SRCS := test_lvsd_backend.c $(TOP)/lvsd/backend.c \
			  $(TOP)/lvsd/backend_dry.c $(TOP)/runtime/registry.c
test_lvsd_backend_CPPFLAGS := -I$(TOP)/lvsd -I$(TOP)/runtime

TESTS += test_lvsd_lex
test_lvsd_lex_SRCS := test_lvsd_lex.c $(LVSD_CONF_SRCS)
test_lvsd_lex_CPPFLAGS := -I$(TOP)/lvsd -I$(TOP)/healthcheck \
			  -I$(TOP)/runtime -I$(TOP)/vmm -DFIXTURES='"$(TOP)/tests/unit/fixtures"'
test_lvsd_lex_LIBS := $(test_lvsd_conf_LIBS)
