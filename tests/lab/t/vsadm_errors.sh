#!/bin/bash
# vsadm's refusals: every bad command (bad argument or refused by lvs.ko)
# names the culprit, exits non-zero like ipvsadm (2 for arguments, 255 for
# the module) and leaves the table exactly as it was.
. "$LAB_DIR/tests/lab/lib.sh"

VSADM=$LAB_DIR/vsadm/vsadm
[ -x "$VSADM" ] || lab_skip "vsadm not built"
lab_check "modprobe lvs" modprobe lvs
mkdir -p /run/netns
ip netns add lvs && ip -n lvs link set lo up || lab_skip "no netns"

vsa() { ip netns exec lvs "$VSADM" "$@"; }

lab_check "restore a small table" sh -c "ip netns exec lvs $VSADM -R" <<'EOF'
-A -t 10.0.0.1:80 -s wlc
-a -t 10.0.0.1:80 -r 10.0.1.1:8080 -m -w 3 -x 100 -y 50
-a -t 10.0.0.1:80 -r 10.0.1.2:8080 -m -w 1
-A -u 10.0.0.1:53 -s rr -p 60
-a -u 10.0.0.1:53 -r 10.0.1.3:53 -g
-A -f 7 -s sh -b sh-port
-a -f 7 -r 10.0.1.4 -i
EOF

snapshot() {
	vsa -L -n --thresholds && vsa -S -n && vsa -L --timeout
}
before=$(snapshot)

# expect STATUS TEXT ARGS...: exit status STATUS and TEXT on stderr.
expect() {
	local want=$1 text=$2 out rc
	shift 2
	out=$(vsa "$@" 2>&1 >/dev/null)
	rc=$?
	if [ "$rc" != "$want" ]; then
		echo "exit status $rc, wanted $want: $out"
		return 1
	fi
	case "$out" in
	*"$text"*) ;;
	*) echo "message \"$out\" does not say \"$text\""; return 1 ;;
	esac
}

# Bad arguments: ipvsadm's messages and status 2; nothing is sent.
lab_check "bad port" expect 2 "illegal virtual server address" \
	-A -t 10.0.0.2:99999
lab_check "bad address" expect 2 "illegal virtual server address" \
	-A -t 10.0.0.256:80
lab_check "bad server address" expect 2 "illegal real server address" \
	-a -t 10.0.0.1:80 -r 10.0.1.999
lab_check "bad weight" expect 2 "illegal weight" \
	-a -t 10.0.0.1:80 -r 10.0.1.9 -w -5
lab_check "bad scheduler name" expect 2 "illegal scheduler \`Bad/x'" \
	-A -t 10.0.0.2:80 -s Bad/x
lab_check "missing service" expect 2 "supply the 'service-address'" \
	-a -r 10.0.1.9
lab_check "missing server" expect 2 "supply the 'real-server'" \
	-a -t 10.0.0.1:80
lab_check "option the command does not take" expect 2 \
	"Illegal 'weight' option with the 'add-service' command" \
	-A -t 10.0.0.2:80 -w 3
lab_check "unknown option names it (255)" expect 255 "\`--bogus'" \
	-A -t 10.0.0.2:80 --bogus
lab_check "SCTP is refused clearly" expect 2 "SCTP services are not supported" \
	-A --sctp-service 10.0.0.2:80

# Refused by the module: status 255 and its reason.
lab_check "duplicate service" expect 255 "Service already exists" \
	-A -t 10.0.0.1:80
lab_check "server of a missing service" expect 255 "Service not defined" \
	-a -t 10.0.0.9:80 -r 10.0.1.9
lab_check "delete a missing service" expect 255 "No such service" \
	-D -t 10.0.0.9:80
lab_check "duplicate server" expect 255 "Destination already exists" \
	-a -t 10.0.0.1:80 -r 10.0.1.1:8080 -m
lab_check "delete a missing server" expect 255 "No such destination" \
	-d -t 10.0.0.1:80 -r 10.0.1.99:8080
lab_check "edit a missing server" expect 255 "No such destination" \
	-e -t 10.0.0.1:80 -r 10.0.1.99:8080 -m
lab_check "scheduler the module lacks" expect 255 "" \
	-A -t 10.0.0.2:80 -s nosuchsched
lab_check "GUE tunnel: the module's reason" expect 255 "only IPIP" \
	-a -t 10.0.0.1:80 -r 10.0.1.9 -i --tun-type gue --tun-port 6080
lab_check "GRE tunnel: the module's reason" expect 255 "only IPIP" \
	-a -t 10.0.0.1:80 -r 10.0.1.9 -i --tun-type gre
lab_check "lower threshold above upper: the module's reason" \
	expect 255 "threshold" -a -t 10.0.0.1:80 -r 10.0.1.9 -m -x 5 -y 10
lab_check "sync daemon on a missing interface: said so" expect 255 \
	"no such interface" --start-daemon master
lab_check "zero a missing service" expect 255 "No such service" \
	-Z -t 10.0.0.9:80
lab_check "list a missing service: 1, as ipvsadm" expect 1 "No such service" \
	-L -n -t 10.0.0.9:80
lab_check "lower threshold without upper: out of range" \
	expect 255 "threshold" -a -t 10.0.0.1:80 -r 10.0.1.9 -m -y 10
lab_check "edit a missing server, thresholds reversed: IPVS's order" \
	expect 255 "threshold" -e -t 10.0.0.1:80 -r 10.0.1.99:8080 -m -x 5 -y 10
lab_check "multicast real server" expect 255 "unicast" \
	-a -t 10.0.0.1:80 -r 224.0.0.5:80 -m
lab_check "zero real server" expect 255 "unicast" \
	-a -t 10.0.0.1:80 -r 0.0.0.0 -g

# -R: a bad line anywhere rejects the whole input, naming the line.
lab_check "restore with a bad last line" expect 2 "line 3: illegal weight" \
	-R <<'EOF'
-A -t 10.0.0.5:80 -s rr
-a -t 10.0.0.5:80 -r 10.0.1.5 -m
-a -t 10.0.0.5:80 -r 10.0.1.6 -m -w lots
EOF

lab_check_eq "the table is unchanged" "$before" snapshot

# -R goes on after a line the module refuses (as ipvsadm), names it, and
# exits with the last line's status.
lab_check "restore reports the refused line" expect 0 \
	"line 2: Service already exists" -R <<'EOF'
-A -t 10.0.0.6:80 -s rr
-A -t 10.0.0.1:80 -s rr
-A -t 10.0.0.7:80 -s rr
EOF
lab_check "lines around the refused one are applied" sh -c \
	"ip netns exec lvs $VSADM -S -n | grep -c -e '-A -t 10.0.0.[67]:80' | grep -qx 2"
restore_two() {
	vsa -R 2>&1 <<'EOF'
-A -t 10.0.0.1:80 -s rr
-A -t 10.0.0.8:80 -s rr
-L -n -t 10.0.0.8:80
-A -t 10.0.0.7:80 -s rr
EOF
	echo "status $?"
}
out=$(restore_two)
has() { case "$1" in *$2*) ;; *) echo "no \"$2\" in: $1"; return 1 ;; esac; }
lab_check "restore prints every refusal" has "$out" \
	"line 1: Service already exists*line 4: Service already exists"
lab_check "restore lists in place" has "$out" "TCP  10.0.0.8:80 rr"
lab_check "restore exits with the last line's status" has "$out" "status 255"
lab_check "--set 0 0 0 changes nothing, as ipvsadm" vsa --set 0 0 0
lab_done
