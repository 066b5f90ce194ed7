// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_wlc.c - weighted least-connection scheduling.
 *
 * Rule (IPVS's wlc): among dests that are not overloaded and have weight
 * > 0, take the one with the least overhead / weight, where overhead is
 * activeconns * 256 + inactconns (lvs_dest_conn_overhead).  Loads are
 * compared exactly by cross-multiplication; among equal loads the dest
 * met first in svc->destinations wins.  Weight 0 never wins.
 *
 * Cost: a pick reads one published pointer; a load change, or a dest
 * added, removed or edited, moves one heap entry, O(log n).  Up to 32
 * dests the list is walked instead, as IPVS does; see lvs_lload.h.
 */
#include "lvs_lload.h"

static u32 lvs_wlc_load(const struct lvs_dest *dest)
{
	return lvs_dest_conn_overhead(dest);
}

static const struct lvs_ll_kind lvs_wlc_kind = {
	.load		= lvs_wlc_load,
	.weighted	= true,
};

static int lvs_wlc_init_service(struct lvs_service *svc)
{
	return lvs_ll_init_service(&lvs_wlc_kind, svc);
}

static int lvs_wlc_changed(struct lvs_service *svc, struct lvs_dest *dest)
{
	return lvs_ll_changed(&lvs_wlc_kind, svc, dest);
}

static int lvs_wlc_del_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	return lvs_ll_del_dest(&lvs_wlc_kind, svc, dest);
}

static void lvs_wlc_load_changed(struct lvs_service *svc,
				 struct lvs_dest *dest)
{
	lvs_ll_load_changed(&lvs_wlc_kind, svc, dest);
}

static struct lvs_dest *lvs_wlc_schedule(struct lvs_service *svc,
					 const struct lvs_pkt *pkt)
{
	return lvs_ll_schedule(&lvs_wlc_kind, svc);
}

static struct lvs_sched_ops lvs_wlc_ops = {
	.name		= "wlc",
	.owner		= THIS_MODULE,
	.init_service	= lvs_wlc_init_service,
	.done_service	= lvs_ll_done_service,
	.add_dest	= lvs_wlc_changed,
	.del_dest	= lvs_wlc_del_dest,
	.upd_dest	= lvs_wlc_changed,
	.load_changed	= lvs_wlc_load_changed,
	.schedule	= lvs_wlc_schedule,
};

static int __init lvs_wlc_init(void)
{
	return lvs_register_scheduler(&lvs_wlc_ops);
}

static void __exit lvs_wlc_exit(void)
{
	lvs_unregister_scheduler(&lvs_wlc_ops);
	synchronize_rcu();
}

module_init(lvs_wlc_init);
module_exit(lvs_wlc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs weighted least-connection scheduler");
