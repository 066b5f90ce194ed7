# vrrp/: the advert codec and the instance state machine (pure functions).
TESTS += test_vrrp
test_vrrp_SRCS := test_vrrp.c $(TOP)/vrrp/packet.c $(TOP)/vrrp/fsm.c
test_vrrp_CPPFLAGS := -I$(TOP)/vrrp
