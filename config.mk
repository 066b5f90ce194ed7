# Flags shared by every userspace directory; included by their Makefiles.
# iproute2's warning set plus -Wextra, and warnings are errors.
TOP		?= $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
CC		?= cc
CFLAGS		?= -O2 -g
WFLAGS		:= -Wall -Wextra -Werror -Wstrict-prototypes \
		   -Wmissing-prototypes -Wmissing-declarations \
		   -Wold-style-definition -Wformat=2 -Wno-unused-parameter
CPPFLAGS	+= -D_GNU_SOURCE -I$(TOP)/include -I$(TOP)/lib
override CFLAGS	+= $(WFLAGS) -std=gnu11
SANFLAGS	:= -fsanitize=address,undefined -fno-omit-frame-pointer \
		   -fno-sanitize-recover=all
PKG_CONFIG	?= pkg-config
LIBNL_CFLAGS	:= $(shell $(PKG_CONFIG) --cflags libnl-genl-3.0 2>/dev/null)
LIBNL_LIBS	:= $(shell $(PKG_CONFIG) --libs libnl-genl-3.0 2>/dev/null)
