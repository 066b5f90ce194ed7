# A spoofed SYN flood against lvs.ko and IPVS in a 320 MiB lab guest.
BENCHES += run-flood
run-flood:
	LAB_MEM=320 $(TOP)/tests/lab/run --show $(TOP)/bench/flood.sh
