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
# What libhealthcheck.a's checkers need at link time.
HC_LIBS		:= -lpcre2-8 -lssl -lcrypto

# Installation (make install): GNU directory variables, all overridable;
# DESTDIR is prepended to each.  Debian's packaging passes prefix=/usr.
VERSION		:= 0.1.0
PREFIX		?= /usr/local
prefix		?= $(PREFIX)
exec_prefix	?= $(prefix)
bindir		?= $(exec_prefix)/bin
sbindir		?= $(exec_prefix)/sbin
libdir		?= $(exec_prefix)/lib
includedir	?= $(prefix)/include
datarootdir	?= $(prefix)/share
datadir		?= $(datarootdir)
mandir		?= $(datarootdir)/man
docdir		?= $(datarootdir)/doc/lvs
sysconfdir	?= $(if $(filter /usr,$(prefix)),/etc,$(prefix)/etc)
pkgconfigdir	?= $(libdir)/pkgconfig
bashcompdir	?= $(or $(shell $(PKG_CONFIG) --define-variable=prefix=$(prefix) \
		   --variable=completionsdir bash-completion 2>/dev/null), \
		   $(datadir)/bash-completion/completions)
# systemd's own directories, below prefix (so /usr/local stays /usr/local).
systemdunitdir	?= $(prefix)/lib/systemd/system
modulesloaddir	?= $(prefix)/lib/modules-load.d
INSTALL		?= install
LIBBPF_LIBS	:= $(shell $(PKG_CONFIG) --libs libbpf 2>/dev/null || echo -lbpf)
# What a program linking lib/liblvsc.a needs besides it.
LVSC_LIBS	:= $(LIBNL_LIBS) $(LIBBPF_LIBS) -lmnl
