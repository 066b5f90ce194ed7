// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_nq.c - never queue scheduling.
 *
 * Rule (IPVS's nq): skip dests that are overloaded or have weight 0.  If
 * some dest has no active connection, take the first such dest in
 * svc->destinations, whatever its weight.  Otherwise use the sed rule:
 * the least (activeconns + 1) / weight, compared exactly, the dest met
 * first winning among equals.
 *
 * Cost: a pick reads one published pointer; a load change, or a dest
 * added, removed or edited, moves its entry in the load heap and in the
 * heap of idle dests, O(log n).  Up to 32 dests the list is walked
 * instead, as IPVS does; see lvs_lload.h.
 */
#include "lvs_lload.h"

static u32 lvs_nq_load(const struct lvs_dest *dest)
{
	return (u32)atomic_read(&dest->activeconns) + 1;
}

static const struct lvs_ll_kind lvs_nq_kind = {
	.load		= lvs_nq_load,
	.weighted	= true,
	.idle_first	= true,
};

static int lvs_nq_init_service(struct lvs_service *svc)
{
	return lvs_ll_init_service(&lvs_nq_kind, svc);
}

static int lvs_nq_changed(struct lvs_service *svc, struct lvs_dest *dest)
{
	return lvs_ll_changed(&lvs_nq_kind, svc, dest);
}

static int lvs_nq_del_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	return lvs_ll_del_dest(&lvs_nq_kind, svc, dest);
}

static void lvs_nq_load_changed(struct lvs_service *svc,
				 struct lvs_dest *dest)
{
	lvs_ll_load_changed(&lvs_nq_kind, svc, dest);
}

static struct lvs_dest *lvs_nq_schedule(struct lvs_service *svc,
					 const struct lvs_pkt *pkt)
{
	return lvs_ll_schedule(&lvs_nq_kind, svc);
}

static struct lvs_sched_ops lvs_nq_ops = {
	.name		= "nq",
	.owner		= THIS_MODULE,
	.init_service	= lvs_nq_init_service,
	.done_service	= lvs_ll_done_service,
	.add_dest	= lvs_nq_changed,
	.del_dest	= lvs_nq_del_dest,
	.upd_dest	= lvs_nq_changed,
	.load_changed	= lvs_nq_load_changed,
	.schedule	= lvs_nq_schedule,
};

static int __init lvs_nq_init(void)
{
	return lvs_register_scheduler(&lvs_nq_ops);
}

static void __exit lvs_nq_exit(void)
{
	lvs_unregister_scheduler(&lvs_nq_ops);
	synchronize_rcu();
}

module_init(lvs_nq_init);
module_exit(lvs_nq_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs never queue scheduler");
