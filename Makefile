# lvs: an LVS-style layer-4 load balancer.  This file only delegates.
#
#   make              build userspace and the kernel modules
#   make check        unit, host, lab and package tests: everything
#   make unit         unit tests only (cmocka, ASan + UBSan)
#   make fuzz         the fuzz targets, FUZZ_SECONDS each (default 60)
#   make host         host tests: daemon and checkers, no module needed
#   make lab          every lab test in tests/lab/t/
#   make lab-run T=smoke   one lab test by hand (log kept in build/lab/)
#   make demo         the main job: a pool of VMs behind a VIP (scripts/demo;
#                     KEEP=1 leaves it running)
#   make demo-lab     the module-only demo in the lab guest
#   make pkg          build, install, test, purge the .debs (root; skipped else)
#   make install      userspace, man pages, units, examples (DESTDIR, prefix...)
#   make install-dkms the module sources for dkms (what lvs-dkms ships)
#
# KDIR defaults to the build tree of the kernel the lab boots (scripts/kver).
# KERNEL=debug builds the module against the KASAN/lockdep kernel of
# scripts/debug-kernel (build that first) and boots the lab on it:
#   make lab-run T=kmod_nat KERNEL=debug

ifeq ($(KERNEL),debug)
DEBUG_DIR := $(shell scripts/debug-kernel --dir 2>/dev/null)
ifeq ($(DEBUG_DIR),)
$(error KERNEL=debug: the debug kernel is not built; run scripts/debug-kernel)
endif
KVER	:= $(shell cat $(DEBUG_DIR)/kver)
KDIR	:= $(DEBUG_DIR)/src
LAB_KERNEL := debug
export LAB_KERNEL
else ifneq ($(KERNEL),)
$(error KERNEL=$(KERNEL): only KERNEL=debug is known)
endif

KVER	?= $(shell scripts/kver)
KDIR	?= /lib/modules/$(KVER)/build
USERDIRS := runtime bpf lib vrrp vsadm healthcheck lvsd vmm

export KVER KDIR

.PHONY: all userspace modules check unit fuzz host lab lab-run demo demo-lab bench clean \
	install install-dkms pkg
# Directories with an install target of their own; the top only delegates.
INSTALLDIRS = $(USERDIRS) conf systemd
all: userspace modules

userspace:
	@set -e; for d in $(USERDIRS); do \
		if [ -f $$d/Makefile ]; then $(MAKE) -C $$d; fi; done

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) W=1 modules

check: all
	scripts/check

unit: userspace
	$(MAKE) -C tests/unit check

fuzz:
	$(MAKE) -C tests/fuzz run

host: userspace
	tests/host/run

lab: all
	tests/lab/suite

lab-run: all
	tests/lab/run tests/lab/t/$(T).sh

# The demo builds what it needs itself, quietly (scripts/demo).
demo:
	@KEEP=$(KEEP) scripts/demo

demo-lab: all
	tests/lab/run --show scripts/demo.sh

bench: all
	$(MAKE) -C bench

install: userspace
	@set -e; for d in $(INSTALLDIRS); do \
		if [ -f $$d/Makefile ] && grep -q '^install:' $$d/Makefile; then \
			$(MAKE) -C $$d install; fi; done

# A skip (not root, tools missing) is not a failure of "make check".
pkg:
	tests/pkg/run; rc=$$?; [ $$rc = 77 ] || exit $$rc

install-dkms:
	$(MAKE) -f dkms.mk install

clean:
	@for d in $(USERDIRS) conf systemd tests/unit tests/fuzz bench; do \
		if [ -f $$d/Makefile ]; then $(MAKE) -C $$d clean; fi; done
	@# Without the kernel's build tree (a package build) only userspace.
	[ ! -d $(KDIR) ] || $(MAKE) -C $(KDIR) M=$(CURDIR) clean
	rm -rf build
