#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# make install: DESTDIR and prefix honoured, exactly the files of
# tests/install/expected-files, nothing outside DESTDIR; the pkg-config file
# compiles a client against the installed headers and library; the units
# pass systemd-analyze verify; make install-dkms ships a dkms.conf naming
# lvs and every scheduler of schedulers/Kbuild, and the sources they need.
. "$(dirname "$0")/lib.sh"

D=$T/root
make -s -C "$TOP" install DESTDIR="$D" prefix=/usr >"$T/make.log" 2>&1 ||
	{ cat "$T/make.log"; fail "make install failed"; }
(cd "$D" && find . \( -type f -o -type l \) | sed 's|^\.||' | sort) >"$T/got"
grep -v '^#' "$TOP/tests/install/expected-files" | sort >"$T/want"
diff -u "$T/want" "$T/got" ||
	fail "installed files differ from tests/install/expected-files (- missing, + unlisted)"
ok "make install DESTDIR prefix=/usr: $(wc -l <"$T/got") files, as listed"
[ -x "$D/usr/sbin/vsadm" ] && [ -x "$D/usr/sbin/lvsd" ] || fail "binaries not executable"

# Other directory variables move their files.
D2=$T/root2
make -s -C "$TOP" install DESTDIR="$D2" prefix=/opt/lvs sbindir=/opt/lvs/bin \
	mandir=/opt/man libdir=/opt/lvs/lib64 >"$T/make.log" 2>&1 ||
	{ cat "$T/make.log"; fail "make install with directory variables failed"; }
for f in /opt/lvs/bin/lvsd /opt/lvs/bin/vsadm /opt/man/man8/lvsd.8 \
	 /opt/lvs/lib64/liblvsc.a /opt/lvs/lib64/pkgconfig/liblvsc.pc \
	 /opt/lvs/lib/systemd/system/lvsd.service; do
	[ -f "$D2$f" ] || fail "sbindir/mandir/libdir not honoured: no $f"
done
grep -q '^ExecStart=/opt/lvs/bin/lvsd -f /opt/lvs/etc/lvsd/lvsd.conf$' \
	"$D2/opt/lvs/lib/systemd/system/lvsd.service" ||
	fail "the unit does not name the installed sbindir and sysconfdir"
ok "prefix, sbindir, mandir, libdir honoured"

# A client built with pkg-config against the installed library only.
cat >"$T/client.c" <<'C'
#include <lvsc.h>
int main(void) { return LVS_FWD_MASQ == 0; }
C
PKG_CONFIG_PATH=$D/usr/lib/pkgconfig PKG_CONFIG_SYSROOT_DIR=$D \
	pkg-config --cflags --libs liblvsc >"$T/pc" || fail "pkg-config liblvsc"
# shellcheck disable=SC2046
cc -o "$T/client" "$T/client.c" $(cat "$T/pc") 2>"$T/cc.log" ||
	{ cat "$T/pc" "$T/cc.log"; fail "a client does not build from the installed files"; }
ok "pkg-config liblvsc: a client builds against the installed header and library"

# The units, their ExecStart pointed at the DESTDIR binary.
command -v systemd-analyze >/dev/null || skip "no systemd-analyze (apt-get install systemd)"
U=$T/units
mkdir -p "$U"
for u in lvsd.service lvsd@.service; do
	sed "s|/usr/sbin/lvsd|$D/usr/sbin/lvsd|" "$D/usr/lib/systemd/system/$u" \
		>"$U/${u/@/@test}"
done
systemd-analyze verify --man=no "$U/lvsd.service" "$U/lvsd@test.service" \
	>"$T/verify" 2>&1
[ -s "$T/verify" ] && { cat "$T/verify"; fail "systemd-analyze verify complains"; }
ok "systemd-analyze verify: lvsd.service, lvsd@.service clean"
# One sandbox for both: the instances may not drift from the main unit.
sandbox() { sed -n '/^# Sandbox/,/^$/p' "$1" | grep -v '^StateDirectory='; }
[ -n "$(sandbox "$U/lvsd.service")" ] || fail "lvsd.service has no sandbox section"
diff <(sandbox "$U/lvsd.service") <(sandbox "$U/lvsd@test.service") ||
	fail "lvsd.service and lvsd@.service sandbox differently"
ok "lvsd.service and lvsd@.service: the same capabilities and sandbox"

# make install-dkms.
K=$T/dkms
make -s -C "$TOP" install-dkms DESTDIR="$K" prefix=/usr >"$T/make.log" 2>&1 ||
	{ cat "$T/make.log"; fail "make install-dkms failed"; }
ver=$(sed -n 's/^VERSION[[:space:]]*:= *//p' "$TOP/config.mk")
src=$K/usr/src/lvs-$ver
grep -v '^#' "$TOP/tests/install/expected-dkms-files" | sed "s/@VERSION@/$ver/" |
while read -r f; do [ -f "$K$f" ] || { echo "no $f"; exit 1; }; done ||
	fail "install-dkms: files missing"
conf=$src/dkms.conf
grep -q "^PACKAGE_VERSION=\"$ver\"" "$conf" || fail "dkms.conf: PACKAGE_VERSION"
for m in lvs $(sed -n 's/\\$//; /obj-m/,/^$/p' "$TOP/schedulers/Kbuild" |
		grep -o 'lvs_[a-z0-9_]*\.o' | sed 's/\.o$//'); do
	grep -q "^BUILT_MODULE_NAME\[[0-9]*\]=\"$m\"$" "$conf" ||
		fail "dkms.conf does not build $m"
done
n=$(grep -c '^BUILT_MODULE_NAME' "$conf")
[ "$(grep -c '^DEST_MODULE_LOCATION\[[0-9]*\]="/updates/dkms"' "$conf")" = "$n" ] ||
	fail "dkms.conf: every module goes to /updates/dkms"
for f in Kbuild kmod/Kbuild schedulers/Kbuild include/uapi/lvs.h include/lvs/sched.h \
	 $(cd "$TOP" && ls kmod/*.c schedulers/*.c); do
	cmp -s "$TOP/$f" "$src/$f" || fail "install-dkms: $f missing or different"
done
[ -e "$src/schedulers/compat" ] && fail "install-dkms ships the unit-test shims"
ok "make install-dkms: dkms.conf builds lvs and $((n - 1)) schedulers"
