// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_sed.c - shortest expected delay scheduling.
 *
 * Rule (IPVS's sed): as wlc, with the expected delay (activeconns + 1) /
 * weight as the load: among dests that are not overloaded and have
 * weight > 0, the least (activeconns + 1) / weight, compared exactly by
 * cross-multiplication; among equals the dest met first in
 * svc->destinations wins.  Inactive connections do not count.
 *
 * Cost: a pick reads one published pointer; a load change, or a dest
 * added, removed or edited, moves one heap entry, O(log n).  Up to 32
 * dests the list is walked instead, as IPVS does; see lvs_lload.h.
 */
#include "lvs_lload.h"

static u32 lvs_sed_load(const struct lvs_dest *dest)
{
	return (u32)atomic_read(&dest->activeconns) + 1;
}

static const struct lvs_ll_kind lvs_sed_kind = {
	.load		= lvs_sed_load,
	.weighted	= true,
};

static int lvs_sed_init_service(struct lvs_service *svc)
{
	return lvs_ll_init_service(&lvs_sed_kind, svc);
}

static int lvs_sed_changed(struct lvs_service *svc, struct lvs_dest *dest)
{
	return lvs_ll_changed(&lvs_sed_kind, svc, dest);
}

static int lvs_sed_del_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	return lvs_ll_del_dest(&lvs_sed_kind, svc, dest);
}

static void lvs_sed_load_changed(struct lvs_service *svc,
				 struct lvs_dest *dest)
{
	lvs_ll_load_changed(&lvs_sed_kind, svc, dest);
}

static struct lvs_dest *lvs_sed_schedule(struct lvs_service *svc,
					 const struct lvs_pkt *pkt)
{
	return lvs_ll_schedule(&lvs_sed_kind, svc);
}

static struct lvs_sched_ops lvs_sed_ops = {
	.name		= "sed",
	.owner		= THIS_MODULE,
	.init_service	= lvs_sed_init_service,
	.done_service	= lvs_ll_done_service,
	.add_dest	= lvs_sed_changed,
	.del_dest	= lvs_sed_del_dest,
	.upd_dest	= lvs_sed_changed,
	.load_changed	= lvs_sed_load_changed,
	.schedule	= lvs_sed_schedule,
};

static int __init lvs_sed_init(void)
{
	return lvs_register_scheduler(&lvs_sed_ops);
}

static void __exit lvs_sed_exit(void)
{
	lvs_unregister_scheduler(&lvs_sed_ops);
	synchronize_rcu();
}

module_init(lvs_sed_init);
module_exit(lvs_sed_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs shortest expected delay scheduler");
