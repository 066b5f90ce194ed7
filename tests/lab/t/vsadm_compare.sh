#!/bin/bash
# vsadm against ipvsadm: the same rules, applied command by command with
# ipvsadm to the kernel's IPVS (netns "ipvs") and with vsadm to lvs.ko
# (netns "lvs"), must list identically in every format; only the first
# line ("IP Virtual Server version ..." / "LVS version ...") differs.
. "$LAB_DIR/tests/lab/lib.sh"

VSADM=$LAB_DIR/vsadm/vsadm
[ -x "$VSADM" ] || lab_skip "vsadm not built"
command -v ipvsadm >/dev/null || lab_skip "ipvsadm not installed"
modprobe ip_vs || lab_skip "no ip_vs in this kernel"
for s in rr wrr lc wlc sed nq lblc lblcr dh sh mh fo ovf; do
	modprobe -q ip_vs_$s
done
lab_check "modprobe lvs" modprobe lvs
mkdir -p /run/netns
ip netns add ipvs && ip netns add lvs || lab_skip "no netns"
# IPVS refuses real servers whose address type it cannot tell: a netns
# needs its local routing table, which comes with lo.
ip -n ipvs link set lo up && ip -n lvs link set lo up

ipv() { ip netns exec ipvs ipvsadm "$@"; }
vsa() { ip netns exec lvs "$VSADM" "$@"; }

# Tunnels are IPIP only: lvs.ko has no GUE or GRE (vsadm_errors checks
# the refusal).  200.0.0.1 and 10.x exercise ipvsadm's wrapping sort.
RULES=$(cat <<'EOF'
-A -t 10.0.0.1:80 -s wlc
-a -t 10.0.0.1:80 -r 192.168.1.10:8080 -m -w 3
-a -t 10.0.0.1:80 -r 192.168.1.11:8080 -m -w 1 -x 100 -y 50
-A -u 10.0.0.1:53 -s sh -p 300 -M 255.255.255.0 -b sh-fallback,sh-port
-a -u 10.0.0.1:53 -r 192.168.1.20:53 -g -w 1 -x 100 -y 50
-A -t [2001:db8::1]:443 -s rr
-a -t [2001:db8::1]:443 -r [2001:db8::10]:443 -i -w 1
-a -t [2001:db8::1]:443 -r [2001:db8::9]:443 -m -w 2
-A -f 1 -s mh -p
-a -f 1 -r 192.168.1.30 -i -w 2
-A -f 2 -6 -s wrr
-a -f 2 -6 -r 2001:db8::30 -g -w 5
-A -u 10.0.0.2:5353 -s rr -o
-a -u 10.0.0.2:5353 -r 192.168.1.40:5353 -m -w 0
-A -t 200.0.0.1:443 -s lc -p 60
-a -t 200.0.0.1:443 -r 192.168.2.1 -g
-a -t 200.0.0.1:443 -r 192.168.2.2 -g -w 7
-a -t 200.0.0.1:443 -r 10.9.9.9 -g -w 7
-A -t 10.0.0.3:8080 -s sed
-A -t 10.0.0.4:21 -s nq
-a -t 10.0.0.4:21 -r 10.0.0.40:2121 -m -w 4
-A -t 10.0.0.5:0 -s dh -p 10
-a -t 10.0.0.5:0 -r 10.0.0.50 -g
-A -t 10.0.0.6:80 -s lblc
-A -t 10.0.0.7:80 -s lblcr
-A -t 10.0.0.8:80 -s fo
-A -t 10.0.0.9:80 -s ovf
-A -t 10.0.0.10:22 -s mh -b mh-port
-E -t 10.0.0.9:80 -s rr -p 30
-e -t 10.0.0.1:80 -r 192.168.1.10:8080 -m -w 4
-d -t 200.0.0.1:443 -r 192.168.2.1
-D -t 10.0.0.8:80
--set 1000 100 200
EOF
)

n=0 bad=0
while read -r line; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	ipv $line || { echo "# ipvsadm refused: $line"; bad=$((bad + 1)); }
	# shellcheck disable=SC2086
	vsa $line || { echo "# vsadm refused: $line"; bad=$((bad + 1)); }
done <<<"$RULES"
lab_check_eq "both tools accepted all $n commands" 0 echo $bad

# Compare one listing; drop the version line where there is one.
same() {
	local a b
	a=$(ipv "$@" 2>&1) b=$(vsa "$@" 2>&1)
	case "$a" in "IP Virtual Server version"*)
		a=${a#*$'\n'}
		case "$b" in "LVS version "*) b=${b#*$'\n'} ;; esac ;;
	esac
	if [ "$a" != "$b" ]; then
		printf '%s\n' "$a" >/tmp/cmp.ipvsadm
		printf '%s\n' "$b" >/tmp/cmp.vsadm
		diff /tmp/cmp.ipvsadm /tmp/cmp.vsadm
		return 1
	fi
	printf '%s\n' "$b" | head -3
}

lab_check "vsadm's first line names lvs" \
	sh -c "ip netns exec lvs $VSADM -L -n | head -1 | grep -q '^LVS version 0\.1\.0 (size='"
for args in "-L -n" "-L -n --stats" "-L -n --rate" "-L -n --thresholds" \
	"-L -n --persistent-conn" "-L -n --tun-info" "-L -n --exact" \
	"-L -n --stats --exact" "-L -n --rate --exact" "-l -n --sort" \
	"-L" "-L --stats" "-S -n" "-S" "-L -n -t 10.0.0.1:80" \
	"-L -n -u 10.0.0.1:53 --thresholds" "-L -n -f 1" "-L -n -f 2 -6" \
	"-L -n -t [2001:db8::1]:443 --tun-info" "-L --timeout" "-L -n -c"; do
	# shellcheck disable=SC2086
	lab_check "same output: $args" same $args
done

# No arguments means -L.
lab_check "same output: (no arguments)" same

# Zeroing and the exit status of a refused command.
lab_check "-Z all: same status" sh -c "ip netns exec ipvs ipvsadm -Z && ip netns exec lvs $VSADM -Z"
lab_check "-Z one: same status" sh -c "ip netns exec ipvs ipvsadm -Z -t 10.0.0.1:80 && ip netns exec lvs $VSADM -Z -t 10.0.0.1:80"
refused() {
	local a b
	ipv "$@" >/dev/null 2>&1; a=$?
	vsa "$@" >/dev/null 2>&1; b=$?
	[ "$a" = "$b" ] && [ "$a" != 0 ] || { echo "ipvsadm $a, vsadm $b"; return 1; }
}
lab_check "duplicate service: same exit status" refused -A -t 10.0.0.1:80
lab_check "server of a missing service: same exit status" \
	refused -a -t 10.9.0.1:80 -r 10.0.0.2
lab_check "missing service deleted: same exit status" refused -D -t 10.9.0.1:80
lab_check "missing server edited: same exit status" \
	refused -e -t 10.0.0.1:80 -r 10.9.9.9:80 -m
lab_check "unknown scheduler: same exit status" \
	refused -A -t 10.9.0.2:80 -s nosuchsched
lab_check "bad port: same exit status" refused -A -t 10.9.0.2:99999
lab_check "unknown option: same exit status" refused -A -t 10.9.0.2:80 --bogus
lab_check "same listing after the refusals" same -L -n

lab_check "flush: same" sh -c "ip netns exec ipvs ipvsadm -C && ip netns exec lvs $VSADM -C"
lab_check "same empty listing" same -L -n
lab_check "same empty save" same -S -n
lab_done
