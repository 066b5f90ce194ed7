// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - module init and exit, per network namespace state.
 */
#define pr_fmt(fmt) "lvs: " fmt

#include <linux/module.h>
#include <net/genetlink.h>

#include "lvs_core.h"

unsigned int lvs_net_id __read_mostly;

static int __net_init lvs_net_init(struct net *net)
{
	struct lvs_net *ln = lvs_net(net);

	ln->net = net;
	return 0;
}

static void __net_exit lvs_net_exit(struct net *net)
{
}

static struct pernet_operations lvs_net_ops = {
	.init	= lvs_net_init,
	.exit	= lvs_net_exit,
	.id	= &lvs_net_id,
	.size	= sizeof(struct lvs_net),
};

static int __init lvs_init(void)
{
	int ret;

	ret = register_pernet_subsys(&lvs_net_ops);
	if (ret)
		goto err_pernet;
	ret = lvs_genl_init();
	if (ret)
		goto err_genl;
	pr_info("version %d.%d.%d loaded\n", LVS_VERSION_MAJOR,
		LVS_VERSION_MINOR, LVS_VERSION_PATCH);
	return 0;

err_genl:
	unregister_pernet_subsys(&lvs_net_ops);
err_pernet:
	return ret;
}

static void __exit lvs_exit(void)
{
	lvs_genl_exit();
	unregister_pernet_subsys(&lvs_net_ops);
}

module_init(lvs_init);
module_exit(lvs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("LVS-style layer-4 load balancer");
MODULE_ALIAS_GENL_FAMILY(LVS_GENL_NAME);
