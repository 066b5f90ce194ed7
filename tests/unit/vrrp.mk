# vrrp/: the advert codec and the instance state machine (pure functions).
TESTS += test_vrrp
test_vrrp_SRCS := test_vrrp.c $(TOP)/vrrp/packet.c $(TOP)/vrrp/fsm.c
test_vrrp_CPPFLAGS := -I$(TOP)/vrrp

# lvsd's VRRP grammar, parsed by the runtime's config framework.
TESTS += test_vrrp_conf
test_vrrp_conf_SRCS := test_vrrp_conf.c $(TOP)/lvsd/vrrp_conf.c \
	$(addprefix $(TOP)/runtime/,loop.c log.c script.c registry.c \
	conf_lex.c conf_parse.c conf_load.c)
test_vrrp_conf_CPPFLAGS := -I$(TOP)/lvsd -I$(TOP)/runtime -I$(TOP)/vrrp
test_vrrp_conf_LIBS := -lev
