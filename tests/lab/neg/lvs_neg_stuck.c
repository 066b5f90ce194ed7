// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_neg_stuck - takes a reference on itself when loaded and never drops
 * it, so rmmod fails: proves the lab fails a run that leaves a module
 * behind.
 */
#include <linux/module.h>

static int __init lvs_neg_stuck_init(void)
{
	__module_get(THIS_MODULE);
	return 0;
}

static void __exit lvs_neg_stuck_exit(void)
{
}

module_init(lvs_neg_stuck_init);
module_exit(lvs_neg_stuck_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lab negative test: a module that cannot be unloaded");
