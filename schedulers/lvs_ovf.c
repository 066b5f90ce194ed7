// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_ovf.c - weighted overflow scheduling.
 *
 * Rule (IPVS's ovf): skip dests that are overloaded, have weight 0, or
 * have more active connections than their weight; take the highest
 * weight among the rest, the dest met first in svc->destinations winning
 * among equals.  So the heaviest dest takes new connections until its
 * active connections exceed its weight, then the next one overflows in.
 *
 * Cost: a walk over the dests, as IPVS; ovf services have a few dests.
 */
#include <lvs/sched.h>

static struct lvs_dest *lvs_ovf_schedule(struct lvs_service *svc,
					 const struct lvs_pkt *pkt)
{
	struct lvs_dest *dest, *best = NULL;
	int w, hw = 0;

	list_for_each_entry_rcu(dest, &svc->destinations, n_list) {
		w = atomic_read(&dest->weight);
		if (lvs_dest_overloaded(dest) || w == 0 ||
		    atomic_read(&dest->activeconns) > w)
			continue;
		if (!best || w > hw) {
			best = dest;
			hw = w;
		}
	}
	return best;
}

static struct lvs_sched_ops lvs_ovf_ops = {
	.name		= "ovf",
	.owner		= THIS_MODULE,
	.schedule	= lvs_ovf_schedule,
};

static int __init lvs_ovf_init(void)
{
	return lvs_register_scheduler(&lvs_ovf_ops);
}

static void __exit lvs_ovf_exit(void)
{
	lvs_unregister_scheduler(&lvs_ovf_ops);
	synchronize_rcu();
}

module_init(lvs_ovf_init);
module_exit(lvs_ovf_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs weighted overflow scheduler");
