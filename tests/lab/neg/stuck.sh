#!/bin/bash
# Expected verdict: unload (rc 3), although the script passes.
. "$LAB_DIR/tests/lab/lib.sh"
lab_check "load a module that pins itself" insmod "$LAB_DIR/tests/lab/neg/lvs_neg_stuck.ko"
lab_done
