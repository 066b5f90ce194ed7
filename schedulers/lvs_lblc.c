// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_lblc.c - locality-based least-connection scheduling.
 *
 * Rule (IPVS's lblc): a table maps a packet's destination address to the
 * dest last chosen for it (1024 buckets, hash_32(ntohl(daddr), 10), an
 * IPv6 address XOR-folded first).  If an entry exists its use time is
 * refreshed, and its dest is taken when it is available (not being
 * deleted), has weight > 0 and is not "overloaded" in lblc's own sense:
 * activeconns > weight while some dest of the service has
 * activeconns * 2 < weight.  (The overload flag is not looked at for a
 * cached dest, as in IPVS.)  Otherwise the wlc rule picks
 * among all dests and the entry is set to the winner.  New entries are
 * refused above 1.5 * 16384 entries.
 *
 * Expiry (IPVS's periodic timer, run here from schedule() when due, so
 * that no timer is needed and tests can drive time): every 60 s a check
 * runs; every 30th check removes the entries unused for longer than the
 * expiration (module parameter expiration, seconds, 24 h by default as
 * the lblc_expiration sysctl); the other checks, only while the table
 * holds more than 16384 entries, remove entries unused for 6 minutes,
 * at most (entries - 16384) * 4 / 3 of them, up to 8192.  An idle service
 * runs no check; its table is bounded anyway.
 *
 * Entries are dropped when their dest is deleted (IPVS instead holds a
 * reference and keeps them until they expire).
 *
 * The table and its expiry are lvs_locality.h, shared with lblcr.
 *
 * Cost: a lookup in a bucket; the wlc walk and the overload test are
 * O(n), as in IPVS, and run only on a table miss or an overloaded entry.
 */
#ifdef __KERNEL__
#include <linux/moduleparam.h>
#endif
#include "lvs_locality.h"

static unsigned int expiration = 24 * 60 * 60;
module_param(expiration, uint, 0644);
MODULE_PARM_DESC(expiration, "seconds an unused entry is kept (24 h)");

struct lvs_lblc_entry {
	struct lvs_loc_entry	loc;
	struct lvs_dest		*dest;
};

static void lvs_lblc_free(struct lvs_loc_entry *loc)
{
	kfree(container_of(loc, struct lvs_lblc_entry, loc));
}

static int lvs_lblc_init_service(struct lvs_service *svc)
{
	return lvs_loc_init(svc, lvs_lblc_free);
}

static int lvs_lblc_del_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_loc_entry *loc, *next;
	struct lvs_lblc_entry *en;
	struct lvs_loc_table *tbl;
	int i;

	spin_lock_bh(&svc->sched_lock);
	tbl = svc->sched_data;
	for (i = 0; tbl && i < LVS_LOC_TAB_SIZE; i++) {
		list_for_each_entry_safe(loc, next, &tbl->bucket[i], list) {
			en = container_of(loc, struct lvs_lblc_entry, loc);
			if (en->dest == dest)
				lvs_loc_del(tbl, loc);
		}
	}
	spin_unlock_bh(&svc->sched_lock);
	return 0;
}

static struct lvs_dest *lvs_lblc_schedule(struct lvs_service *svc,
					  const struct lvs_pkt *pkt)
{
	struct lvs_lblc_entry *en, *found = NULL;
	struct lvs_dest *dest = NULL;
	struct lvs_loc_table *tbl;
	struct lvs_loc_entry *loc;
	unsigned long now = jiffies;
	unsigned int hash;

	spin_lock_bh(&svc->sched_lock);
	tbl = svc->sched_data;
	if (!tbl)
		goto out;
	lvs_loc_check(tbl, now, (unsigned long)expiration * HZ);

	loc = lvs_loc_find(tbl, svc->af, &pkt->daddr, now, &hash);
	if (loc) {
		found = container_of(loc, struct lvs_lblc_entry, loc);
		dest = found->dest;
		if ((READ_ONCE(dest->flags) & LVS_DEST_F_AVAILABLE) &&
		    atomic_read(&dest->weight) > 0 &&
		    !lvs_loc_overloaded(svc, dest))
			goto out;
	}

	dest = lvs_loc_wlc(svc);
	if (!dest)
		goto out;
	if (found) {
		if (found->dest == dest)
			goto out;
		lvs_loc_del(tbl, &found->loc);
	}
	/* Without an entry the pick still stands; it is just not cached. */
	if (lvs_loc_full(tbl))
		goto out;
	en = kmalloc(sizeof(*en), GFP_ATOMIC);
	if (!en)
		goto out;
	en->dest = dest;
	lvs_loc_add(tbl, &en->loc, hash, &pkt->daddr, now);
out:
	spin_unlock_bh(&svc->sched_lock);
	return dest;
}

static struct lvs_sched_ops lvs_lblc_ops = {
	.name		= "lblc",
	.owner		= THIS_MODULE,
	.init_service	= lvs_lblc_init_service,
	.done_service	= lvs_loc_done,
	.del_dest	= lvs_lblc_del_dest,
	.schedule	= lvs_lblc_schedule,
};

static int __init lvs_lblc_init(void)
{
	return lvs_register_scheduler(&lvs_lblc_ops);
}

static void __exit lvs_lblc_exit(void)
{
	lvs_unregister_scheduler(&lvs_lblc_ops);
	synchronize_rcu();
}

module_init(lvs_lblc_init);
module_exit(lvs_lblc_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs locality-based least-connection scheduler");
