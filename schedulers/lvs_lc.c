// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_lc.c - least-connection scheduling.
 *
 * Rule (IPVS's lc): among dests that are not overloaded and have weight
 * != 0, take the one with the least overhead, activeconns * 256 +
 * inactconns (lvs_dest_conn_overhead); weights do not scale the load.
 * Among equal overheads the dest met first in svc->destinations wins.
 *
 * Cost: a pick reads one published pointer; a load change, or a dest
 * added, removed or edited, moves one heap entry, O(log n).  Up to 32
 * dests the list is walked instead, as IPVS does; see lvs_lload.h.
 */
#include "lvs_lload.h"

static u32 lvs_lc_load(const struct lvs_dest *dest)
{
	return lvs_dest_conn_overhead(dest);
}

static const struct lvs_ll_kind lvs_lc_kind = {
	.load		= lvs_lc_load,
};

static int lvs_lc_init_service(struct lvs_service *svc)
{
	return lvs_ll_init_service(&lvs_lc_kind, svc);
}

static int lvs_lc_changed(struct lvs_service *svc, struct lvs_dest *dest)
{
	return lvs_ll_changed(&lvs_lc_kind, svc, dest);
}

static int lvs_lc_del_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	return lvs_ll_del_dest(&lvs_lc_kind, svc, dest);
}

static void lvs_lc_load_changed(struct lvs_service *svc,
				 struct lvs_dest *dest)
{
	lvs_ll_load_changed(&lvs_lc_kind, svc, dest);
}

static struct lvs_dest *lvs_lc_schedule(struct lvs_service *svc,
					 const struct lvs_pkt *pkt)
{
	return lvs_ll_schedule(&lvs_lc_kind, svc);
}

static struct lvs_sched_ops lvs_lc_ops = {
	.name		= "lc",
	.owner		= THIS_MODULE,
	.init_service	= lvs_lc_init_service,
	.done_service	= lvs_ll_done_service,
	.add_dest	= lvs_lc_changed,
	.del_dest	= lvs_lc_del_dest,
	.upd_dest	= lvs_lc_changed,
	.load_changed	= lvs_lc_load_changed,
	.schedule	= lvs_lc_schedule,
};

static int __init lvs_lc_init(void)
{
	return lvs_register_scheduler(&lvs_lc_ops);
}

static void __exit lvs_lc_exit(void)
{
	lvs_unregister_scheduler(&lvs_lc_ops);
	synchronize_rcu();
}

module_init(lvs_lc_init);
module_exit(lvs_lc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs least-connection scheduler");
