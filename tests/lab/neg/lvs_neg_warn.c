// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_neg_warn - emits one kernel warning when loaded, so that the lab's
 * check for kernel warnings is seen to fail a run.
 */
#include <linux/bug.h>
#include <linux/module.h>

static int __init lvs_neg_warn_init(void)
{
	WARN(1, "lvs_neg_warn: deliberate warning for the lab's negative test\n");
	return 0;
}

static void __exit lvs_neg_warn_exit(void)
{
}

module_init(lvs_neg_warn_init);
module_exit(lvs_neg_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lab negative test: a kernel warning");
