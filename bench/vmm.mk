# vmm: VM pools under lvsd: start to N in service, RSS, crash to return,
# overlay growth, against a bare QEMU boot (see vmm.sh; needs root).
BENCHES += run-vmm
run-vmm:
	./vmm.sh 1 4 8
