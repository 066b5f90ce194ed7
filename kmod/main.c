// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - module init and exit, per network namespace state.
 */
#define pr_fmt(fmt) "lvs: " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <net/genetlink.h>

#include "lvs_core.h"

unsigned int lvs_net_id __read_mostly;

/* Serialises every configuration change, in every namespace. */
DEFINE_MUTEX(lvs_mutex);

/*
 * The connection table has 2^conn_tab_bits buckets of 8 bytes, shared by
 * all namespaces.  2^20 buckets (8 MiB) keep chains short with millions
 * of entries; the range keeps a typo from asking for gigabytes.
 */
unsigned int lvs_conn_tab_bits __read_mostly = 20;

static int lvs_param_set_bits(const char *val, const struct kernel_param *kp)
{
	unsigned int bits;
	int ret;

	ret = kstrtouint(val, 0, &bits);
	if (ret)
		return ret;
	if (bits < 8 || bits > 26)
		return -ERANGE;
	*(unsigned int *)kp->arg = bits;
	return 0;
}

static const struct kernel_param_ops lvs_bits_ops = {
	.set	= lvs_param_set_bits,
	.get	= param_get_uint,
};

module_param_cb(conn_tab_bits, &lvs_bits_ops, &lvs_conn_tab_bits, 0444);
MODULE_PARM_DESC(conn_tab_bits,
		 "log2 of the connection table's buckets, 8..26 (default 20)");

static int __net_init lvs_net_init(struct net *net)
{
	struct lvs_net *ln = lvs_net(net);

	ln->net = net;
	ln->expire_nodest_conn = 1;
	ln->conn_reuse_mode = 1;
	lvs_conn_net_init(ln);
	lvs_est_init(ln);
	INIT_WORK(&ln->hooks_work, lvs_hooks_work);
	return 0;
}

/*
 * Called once the namespace is unreachable from userspace: no netlink
 * request can race with us, but packets may still flow until the hooks
 * are gone.
 */
static void __net_exit lvs_net_exit(struct net *net)
{
	struct lvs_net *ln = lvs_net(net);
	bool gone;

	mutex_lock(&lvs_mutex);
	gone = lvs_svc_flush(ln);
	mutex_unlock(&lvs_mutex);
	/* No CPU is still making an entry for one of them. */
	if (gone)
		synchronize_rcu();
	lvs_est_stop(ln);
	/* No service: no entry can be made any more. */
	lvs_conn_net_flush(ln, true);
	cancel_work_sync(&ln->hooks_work);
	mutex_lock(&lvs_mutex);
	lvs_hooks_unregister(ln);
	mutex_unlock(&lvs_mutex);
}

static struct pernet_operations lvs_net_ops = {
	.init	= lvs_net_init,
	.exit	= lvs_net_exit,
	.id	= &lvs_net_id,
	.size	= sizeof(struct lvs_net),
};

/*
 * The sync daemons' sockets hold routes of the namespace's devices (a
 * received datagram's input route stays cached in its socket): they must
 * go before the devices do, and a subsystem's exit runs after the
 * devices are gone.  So they are stopped by device operations.
 */
static void __net_exit lvs_net_dev_exit(struct net *net)
{
	mutex_lock(&lvs_mutex);
	lvs_sync_stop_all(lvs_net(net));
	mutex_unlock(&lvs_mutex);
}

static struct pernet_operations lvs_net_dev_ops = {
	.exit	= lvs_net_dev_exit,
};

static int __init lvs_init(void)
{
	int ret;

	ret = lvs_conn_init();
	if (ret)
		goto err_conn;
	ret = register_pernet_subsys(&lvs_net_ops);
	if (ret)
		goto err_pernet;
	ret = register_pernet_device(&lvs_net_dev_ops);
	if (ret)
		goto err_pernet_dev;
	ret = lvs_genl_init();
	if (ret)
		goto err_genl;
	pr_info("version %d.%d.%d loaded, %u connection buckets\n",
		LVS_VERSION_MAJOR, LVS_VERSION_MINOR, LVS_VERSION_PATCH,
		lvs_conn_tab_size());
	return 0;

err_genl:
	unregister_pernet_device(&lvs_net_dev_ops);
err_pernet_dev:
	unregister_pernet_subsys(&lvs_net_ops);
err_pernet:
	lvs_conn_exit();
err_conn:
	return ret;
}

static void __exit lvs_exit(void)
{
	lvs_genl_exit();
	unregister_pernet_device(&lvs_net_dev_ops);
	unregister_pernet_subsys(&lvs_net_ops);
	/*
	 * A connection's RCU callback drops the last reference on its real
	 * server, whose callback drops the last one on its service: three
	 * generations of callbacks to wait for.
	 */
	rcu_barrier();
	rcu_barrier();
	rcu_barrier();
	lvs_conn_exit();
}

module_init(lvs_init);
module_exit(lvs_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("LVS-style layer-4 load balancer");
MODULE_ALIAS_GENL_FAMILY(LVS_GENL_NAME);
