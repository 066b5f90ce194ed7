#!/bin/bash
# Every forwarding method (NAT, IPIP tunnel, direct routing) for TCP and
# UDP over IPv4 and IPv6: three real servers behind the VIP, round robin
# spreads the connections evenly, every answer comes back to the client,
# and the service's and real servers' counters match what was sent.
. "$LAB_DIR/tests/lab/lib.sh"
. "$LAB_DIR/tests/lab/kmod-lib.sh"

N=6
kmod_setup 3
for i in 1 2 3; do
	lab_rs_tun $i
	kmod_serve $i 80
done

for m in m i g; do
	case $m in m) name=NAT ;; i) name=TUN ;; g) name=DR ;; esac
	for v in 4 6; do
		if [ $v = 4 ]; then vip=$VIP4; vb=$VIP4; else vip=$VIP6; vb="[$VIP6]"; fi
		for p in tcp udp; do
			f=-${p:0:1}
			what="$name $p v$v"
			lvs flush
			lab_check "$what: add service" lvs svc add $f $vb:80 -s rr
			for i in 1 2 3; do
				if [ $v = 4 ]; then ra=$(lab_rs_addr $i)
				else ra="[$(lab_rs_addr6 $i)]"; fi
				lab_check "$what: add rs$i" \
					lvs rs add $f $vb:80 -r $ra:80 -$m -w 1
			done
			lab_check_eq "$what: $N answers spread evenly" "rs1 2
rs2 2
rs3 2" kmod_count $p $vip 80 $N
			lab_check_eq "$what: $N connections counted" $N \
				lvs_stat $f $vb:80 conns
			if [ $p = udp ]; then
				lab_check_eq "$what: $N datagrams in" $N \
					lvs_stat $f $vb:80 inpkts
				want=0
				[ $m = m ] && want=$N
				lab_check_eq "$what: $want datagrams out" $want \
					lvs_stat $f $vb:80 outpkts
				if [ $v = 4 ]; then ra=$(lab_rs_addr 1)
				else ra="[$(lab_rs_addr6 1)]"; fi
				lab_check_eq "$what: rs1 saw 2 datagrams" 2 \
					lvs_stat $f $vb:80 -r $ra:80 inpkts
			fi
		done
	done
done
lvs ls
lab_check "flush" lvs flush
lab_check_eq "flush empties the connection table" conn_count=0 \
	sh -c "ip netns exec director python3 $LVSNL info | grep conn_count"
lab_done
