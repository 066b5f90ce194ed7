# healthcheck: the checkers' pure parsing helpers (hex strings, regex
# options), without sockets or the event loop.
TESTS += test_hc_parse
test_hc_parse_SRCS := test_hc_parse.c $(TOP)/healthcheck/registry.c \
		      $(TOP)/healthcheck/http_regex.c
test_hc_parse_CPPFLAGS := -I$(TOP)/runtime -I$(TOP)/healthcheck
test_hc_parse_LIBS := -lpcre2-8
