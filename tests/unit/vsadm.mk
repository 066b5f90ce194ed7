# vsadm: option parsing, ipvsadm's output formats, -R round trip.
# Pure code only: no liblvsc calls, no kernel.
VSADM_SRCS := $(TOP)/lib/sched_names.c \
	      $(addprefix $(TOP)/vsadm/,parse.c addr.c print.c list.c \
	      restore.c)
VSADM_CPPFLAGS := -I$(TOP)/vsadm $(LIBNL_CFLAGS) \
		  $(shell $(PKG_CONFIG) --cflags json-c 2>/dev/null) \
		  -DFIXTURE_DIR=\"$(TOP)/tests/unit/fixtures\"
VSADM_LIBS := $(shell $(PKG_CONFIG) --libs json-c 2>/dev/null)

define vsadm_test
TESTS += $(1)
$(1)_SRCS := $(1).c $$(VSADM_SRCS)
$(1)_CPPFLAGS := $$(VSADM_CPPFLAGS)
$(1)_LIBS := $$(VSADM_LIBS)
$$(BIN)/$(1): $$(TOP)/vsadm/vsadm.h test_vsadm_helpers.h \
	fixtures/ipvsadm-format-examples.txt
endef
$(foreach t,test_vsadm_format test_vsadm_parse test_vsadm_restore,\
	$(eval $(call vsadm_test,$(t))))
