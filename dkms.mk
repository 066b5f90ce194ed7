# SPDX-License-Identifier: GPL-2.0
# make install-dkms: the module sources, a generated dkms.conf and the
# modules-load.d entry, as the lvs-dkms package ships them:
#   $(prefix)/src/lvs-$(VERSION)/{dkms.conf,Kbuild,kmod,schedulers,include}
#   $(prefix)/lib/modules-load.d/lvs.conf
# Only what Kbuild builds is copied: no unit-test shims (schedulers/compat),
# no negative-test modules (tests/lab/neg).
include config.mk

SRCDIR	:= $(DESTDIR)$(prefix)/src/lvs-$(VERSION)
SCHEDS	:= $(patsubst %.o,%,$(filter lvs_%.o,$(shell sed -n 's/\\$$//; /obj-m/,/^$$/p' schedulers/Kbuild)))
KSRC	:= Kbuild kmod/Kbuild $(wildcard kmod/*.c kmod/*.h) \
	   schedulers/Kbuild $(wildcard schedulers/*.c schedulers/*.h) \
	   $(wildcard include/uapi/*.h include/lvs/*.h)

.PHONY: install
install:
	@[ -n "$(SCHEDS)" ] || { echo "dkms.mk: no scheduler in schedulers/Kbuild" >&2; exit 1; }
	for f in $(KSRC); do \
		$(INSTALL) -D -m 0644 $$f $(SRCDIR)/$$f || exit 1; done
	{ sed 's|@VERSION@|$(VERSION)|' dkms.conf.in; \
	  echo 'BUILT_MODULE_NAME[0]="lvs"'; \
	  echo 'BUILT_MODULE_LOCATION[0]="kmod/"'; \
	  echo 'DEST_MODULE_LOCATION[0]="/updates/dkms"'; \
	  i=1; for m in $(SCHEDS); do \
		echo "BUILT_MODULE_NAME[$$i]=\"$$m\""; \
		echo "BUILT_MODULE_LOCATION[$$i]=\"schedulers/\""; \
		echo "DEST_MODULE_LOCATION[$$i]=\"/updates/dkms\""; \
		i=$$((i + 1)); done; } > $(SRCDIR)/dkms.conf
	chmod 0644 $(SRCDIR)/dkms.conf
	$(INSTALL) -D -m 0644 systemd/lvs-modules-load.conf \
		$(DESTDIR)$(modulesloaddir)/lvs.conf
