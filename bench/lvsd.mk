# lvsd: 10,000 TCP checks a second on one core, schedule lag and CPU
# against the ideal rate (see lvsd_drift.sh; needs root for unshare -n).
BENCHES += run-lvsd-drift
run-lvsd-drift:
	./lvsd_drift.sh 10000 30
