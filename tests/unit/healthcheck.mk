# healthcheck: the checkers' pure parsing helpers (hex strings, regex
# options), without sockets or the event loop.
TESTS += test_hc_parse
test_hc_parse_SRCS := test_hc_parse.c $(TOP)/healthcheck/registry.c \
		      $(TOP)/runtime/registry.c \
		      $(TOP)/healthcheck/http_regex.c \
		      $(TOP)/healthcheck/http_chunk.c
test_hc_parse_CPPFLAGS := -I$(TOP)/runtime -I$(TOP)/healthcheck
test_hc_parse_LIBS := -lpcre2-8

# The checkers on the runtime alone: no lvsd source and no -I lvsd here,
# that is the point (docs/runtime.md).
TESTS += test_healthcheck
test_healthcheck_SRCS := test_healthcheck.c \
			 $(addprefix $(TOP)/runtime/,loop.c log.c script.c \
			 registry.c conf_lex.c conf_parse.c) \
			 $(sort $(wildcard $(TOP)/healthcheck/*.c))
test_healthcheck_CPPFLAGS := -I$(TOP)/healthcheck -I$(TOP)/runtime
test_healthcheck_LIBS := -lev $(HC_LIBS)

# BFD's protocol rules (RFC 5880 6.8.6, RFC 5881 5), pure.
TESTS += test_hc_bfd
test_hc_bfd_SRCS := test_hc_bfd.c $(test_healthcheck_SRCS:test_healthcheck.c=)
test_hc_bfd_CPPFLAGS := $(test_healthcheck_CPPFLAGS)
test_hc_bfd_LIBS := $(test_healthcheck_LIBS)
