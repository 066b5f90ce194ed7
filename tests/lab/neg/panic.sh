#!/bin/bash
# Expected verdict: not a pass: the kernel crashes before the script ends.
echo c > /proc/sysrq-trigger
sleep 30
