#!/bin/bash
# Expected verdict: kernel-warning (rc 2), although the script passes.
. "$LAB_DIR/tests/lab/lib.sh"
lab_check "load a module that warns" insmod "$LAB_DIR/tests/lab/neg/lvs_neg_warn.ko"
lab_done
