#!/bin/bash
. "$LAB_DIR/tests/lab/lib.sh"
mount -t bpf bpf /sys/fs/bpf 2>/dev/null
mkdir -p /sys/fs/bpf/probe
for o in $LAB_DIR/bpf/lvs.bpf.o; do
	bpftool -d prog loadall $o /sys/fs/bpf/probe 2>&1 | grep -E "stack|Too large|too large|processed|combined|func#|error|invalid" | tail -30
done
rm -rf /sys/fs/bpf/probe
echo "0 passed, 0 failed"
