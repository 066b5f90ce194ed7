#!/bin/bash
# Expected verdict: script (rc 1): one check fails.
. "$LAB_DIR/tests/lab/lib.sh"
lab_check "true passes" true
lab_check "false fails" false
lab_done
