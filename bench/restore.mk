# vsadm -R into lvs.ko against ipvsadm -R into IPVS, 10,000 services x 10
# real servers, in one lab guest (bench/restore.sh prints the ratio).
BENCHES += run-restore
run-restore:
	$(TOP)/tests/lab/run --mem 2048 --timeout 2400 $(TOP)/bench/restore.sh
	@grep -E '^(bench|not ok)' $(TOP)/build/lab/restore.log
