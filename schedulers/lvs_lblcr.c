// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_lblcr.c - locality-based least-connection with replication.
 *
 * Rule (IPVS's lblcr): a table maps a packet's destination address to a
 * set of dests (1024 buckets, hash_32(ntohl(daddr), 10), IPv6 folded by
 * XOR).  New members join at the front of the set.  On a hit the entry's
 * use time is refreshed and the set's least loaded member is found: the
 * wlc rule over the set in set order, skipping overloaded members and
 * those being deleted, the first member counting only with weight > 0.  Then, if the set has more
 * than one member and was last changed longer ago than the expiration,
 * its most loaded member (highest overhead / weight among weight > 0, the
 * first met winning ties) leaves the set.  The least loaded member is
 * taken unless there is none or it is "overloaded" in lblc's sense
 * (activeconns > weight while some dest of the service has
 * activeconns * 2 < weight); then the wlc rule picks among all dests and
 * the winner joins the set (the set's change time is updated when it
 * really joins).  On a miss, wlc picks and a new entry holds the winner.
 * New entries are refused above 1.5 * 16384 entries.
 *
 * Expiry: as lvs_lblc.c, whose table this shares (lvs_locality.h):
 * checks every 60 s run from schedule() when due; every 30th removes
 * entries unused longer than the expiration, others trim entries unused
 * for 6 minutes while above 16384 entries.  Module parameter expiration,
 * seconds, 24 h by default as lblcr_expiration.
 *
 * A deleted dest leaves every set at once (IPVS keeps it until it is
 * evicted and skips it while it is unavailable).
 *
 * Cost: a bucket lookup and a walk over the set; the wlc fallback and the
 * overload test are O(n), as in IPVS.
 */
#ifdef __KERNEL__
#include <linux/moduleparam.h>
#endif
#include "lvs_locality.h"

static unsigned int expiration = 24 * 60 * 60;
module_param(expiration, uint, 0644);
MODULE_PARM_DESC(expiration, "seconds an unused entry is kept (24 h)");

struct lvs_lblcr_elem {
	struct list_head	list;
	struct lvs_dest		*dest;
};

struct lvs_lblcr_entry {
	struct lvs_loc_entry	loc;
	struct list_head	set;		/* struct lvs_lblcr_elem */
	unsigned int		set_size;
	unsigned long		lastmod;	/* set last changed */
};

/* Add @dest at the front of the set unless it is there already. */
static void lvs_lblcr_set_insert(struct lvs_lblcr_entry *en,
				 struct lvs_dest *dest, unsigned long now)
{
	struct lvs_lblcr_elem *e;

	list_for_each_entry(e, &en->set, list)
		if (e->dest == dest)
			return;
	e = kmalloc(sizeof(*e), GFP_ATOMIC);
	if (!e)
		return;
	e->dest = dest;
	list_add(&e->list, &en->set);
	en->set_size++;
	en->lastmod = now;
}

static void lvs_lblcr_set_erase(struct lvs_lblcr_entry *en,
				struct lvs_lblcr_elem *e)
{
	list_del(&e->list);
	kfree(e);
	en->set_size--;
}

static struct lvs_dest *lvs_lblcr_set_min(struct lvs_lblcr_entry *en)
{
	struct lvs_dest *dest, *least = NULL;
	struct lvs_lblcr_elem *e;
	u32 loh = 0, doh;

	list_for_each_entry(e, &en->set, list) {
		dest = e->dest;
		if (lvs_dest_overloaded(dest) ||
		    !(READ_ONCE(dest->flags) & LVS_DEST_F_AVAILABLE))
			continue;
		doh = lvs_dest_conn_overhead(dest);
		if (!least) {
			if (atomic_read(&dest->weight) <= 0)
				continue;
		} else if ((u64)loh * atomic_read(&dest->weight) <=
			   (u64)doh * atomic_read(&least->weight)) {
			continue;
		}
		least = dest;
		loh = doh;
	}
	return least;
}

static struct lvs_lblcr_elem *lvs_lblcr_set_max(struct lvs_lblcr_entry *en)
{
	struct lvs_lblcr_elem *e, *most = NULL;
	u32 moh = 0, doh;
	int w;

	list_for_each_entry(e, &en->set, list) {
		w = atomic_read(&e->dest->weight);
		if (w <= 0)
			continue;
		doh = lvs_dest_conn_overhead(e->dest);
		if (!most || (u64)moh * w <
			     (u64)doh * atomic_read(&most->dest->weight)) {
			most = e;
			moh = doh;
		}
	}
	return most;
}

static void lvs_lblcr_free(struct lvs_loc_entry *loc)
{
	struct lvs_lblcr_entry *en = container_of(loc, struct lvs_lblcr_entry,
						  loc);
	struct lvs_lblcr_elem *e, *next;

	list_for_each_entry_safe(e, next, &en->set, list)
		kfree(e);
	kfree(en);
}

static int lvs_lblcr_init_service(struct lvs_service *svc)
{
	return lvs_loc_init(svc, lvs_lblcr_free);
}

static int lvs_lblcr_del_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_lblcr_elem *e, *enext;
	struct lvs_lblcr_entry *en;
	struct lvs_loc_table *tbl;
	int i;

	spin_lock_bh(&svc->sched_lock);
	tbl = svc->sched_data;
	for (i = 0; tbl && i < LVS_LOC_TAB_SIZE; i++)
		list_for_each_entry(en, &tbl->bucket[i], loc.list)
			list_for_each_entry_safe(e, enext, &en->set, list)
				if (e->dest == dest)
					lvs_lblcr_set_erase(en, e);
	spin_unlock_bh(&svc->sched_lock);
	return 0;
}

static struct lvs_dest *lvs_lblcr_schedule(struct lvs_service *svc,
					   const struct lvs_pkt *pkt)
{
	struct lvs_lblcr_entry *en, *found = NULL;
	struct lvs_lblcr_elem *most;
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
		found = container_of(loc, struct lvs_lblcr_entry, loc);
		dest = lvs_lblcr_set_min(found);
		/* A stale replica leaves; the pick above still stands. */
		if (found->set_size > 1 &&
		    time_after(now, found->lastmod +
			       (unsigned long)expiration * HZ)) {
			most = lvs_lblcr_set_max(found);
			if (most) {
				lvs_lblcr_set_erase(found, most);
				found->lastmod = now;
			}
		}
		if (dest && !lvs_loc_overloaded(svc, dest))
			goto out;
		dest = lvs_loc_wlc(svc);
		if (dest)
			lvs_lblcr_set_insert(found, dest, now);
		goto out;
	}

	dest = lvs_loc_wlc(svc);
	if (!dest || lvs_loc_full(tbl))
		goto out;
	en = kmalloc(sizeof(*en), GFP_ATOMIC);
	if (!en)
		goto out;
	INIT_LIST_HEAD(&en->set);
	en->set_size = 0;
	lvs_lblcr_set_insert(en, dest, now);
	if (!en->set_size) {
		kfree(en);
		goto out;
	}
	lvs_loc_add(tbl, &en->loc, hash, &pkt->daddr, now);
out:
	spin_unlock_bh(&svc->sched_lock);
	return dest;
}

static struct lvs_sched_ops lvs_lblcr_ops = {
	.name		= "lblcr",
	.owner		= THIS_MODULE,
	.init_service	= lvs_lblcr_init_service,
	.done_service	= lvs_loc_done,
	.del_dest	= lvs_lblcr_del_dest,
	.schedule	= lvs_lblcr_schedule,
};

static int __init lvs_lblcr_init(void)
{
	return lvs_register_scheduler(&lvs_lblcr_ops);
}

static void __exit lvs_lblcr_exit(void)
{
	lvs_unregister_scheduler(&lvs_lblcr_ops);
	synchronize_rcu();
}

module_init(lvs_lblcr_init);
module_exit(lvs_lblcr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs locality-based least-connection with replication");
