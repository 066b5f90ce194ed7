# lvsd: the keepalived-grammar parser and the check state machine.
# Every checker, so a new one needs no line here (its keywords are parsed).
RT_SRCS := $(addprefix $(TOP)/runtime/,loop.c log.c script.c conf_lex.c \
	   conf_parse.c)
LVSD_CONF_SRCS := $(TOP)/lvsd/conf_kws.c $(RT_SRCS) \
		  $(sort $(wildcard $(TOP)/healthcheck/*.c))

TESTS += test_lvsd_conf
test_lvsd_conf_SRCS := test_lvsd_conf.c $(LVSD_CONF_SRCS)
test_lvsd_conf_CPPFLAGS := -I$(TOP)/lvsd -I$(TOP)/healthcheck \
			   -I$(TOP)/runtime
test_lvsd_conf_LIBS := -lev $(HC_LIBS)

TESTS += test_lvsd_hcstate
test_lvsd_hcstate_SRCS := test_lvsd_hcstate.c $(TOP)/lvsd/hcstate.c
test_lvsd_hcstate_CPPFLAGS := -I$(TOP)/lvsd

TESTS += test_lvsd_backend
test_lvsd_backend_SRCS := test_lvsd_backend.c $(TOP)/lvsd/backend.c \
			  $(TOP)/lvsd/backend_dry.c
test_lvsd_backend_CPPFLAGS := -I$(TOP)/lvsd

TESTS += test_lvsd_lex
test_lvsd_lex_SRCS := test_lvsd_lex.c $(LVSD_CONF_SRCS)
test_lvsd_lex_CPPFLAGS := -I$(TOP)/lvsd -I$(TOP)/healthcheck \
			  -I$(TOP)/runtime -DFIXTURES='"$(TOP)/tests/unit/fixtures"'
test_lvsd_lex_LIBS := $(test_lvsd_conf_LIBS)
