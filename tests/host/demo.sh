#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# timeout: 300
# The main job runs in CI: scripts/demo (make demo) boots its pool of VMs
# behind the VIP, serves, survives a node's kill -9, grows to five and
# tears everything down; it exits non-zero when any step does not hold
# and 77 when a prerequisite is missing.
. "$(dirname "$0")/lib.sh"
"$TOP/scripts/demo"
rc=$?
[ $rc = 77 ] && skip "scripts/demo could not run here"
[ $rc = 0 ] || { tail -20 "$TOP/build/demo/lvsd.log"; fail "scripts/demo exited $rc"; }
ok "make demo: served, survived a kill, grew to five, left nothing"
echo "1 passed, 0 failed"
