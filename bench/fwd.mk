# lvs.ko against IPVS in one lab guest: established, new and 1M-entry cost.
BENCHES += run-fwd
run-fwd:
	LAB_MEM=3072 $(TOP)/tests/lab/run --show $(TOP)/bench/fwd.sh
