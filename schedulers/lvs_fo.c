// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_fo.c - weighted failover scheduling.
 *
 * Rule (IPVS's fo): take the dest with the highest weight among those
 * that are not overloaded and have weight > 0; among equal weights the
 * dest met first in svc->destinations wins.  All new connections go to
 * that one dest until it is overloaded, quiesced or removed.
 *
 * Cost: a walk over the dests, as IPVS; fo services have a few dests.
 */
#include <lvs/sched.h>

static struct lvs_dest *lvs_fo_schedule(struct lvs_service *svc,
					const struct lvs_pkt *pkt)
{
	struct lvs_dest *dest, *best = NULL;
	int w, hw = 0;

	list_for_each_entry_rcu(dest, &svc->destinations, n_list) {
		w = atomic_read(&dest->weight);
		if (!lvs_dest_overloaded(dest) && w > hw) {
			best = dest;
			hw = w;
		}
	}
	return best;
}

static struct lvs_sched_ops lvs_fo_ops = {
	.name		= "fo",
	.owner		= THIS_MODULE,
	.schedule	= lvs_fo_schedule,
};

static int __init lvs_fo_init(void)
{
	return lvs_register_scheduler(&lvs_fo_ops);
}

static void __exit lvs_fo_exit(void)
{
	lvs_unregister_scheduler(&lvs_fo_ops);
	synchronize_rcu();
}

module_init(lvs_fo_init);
module_exit(lvs_fo_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs weighted failover scheduler");
