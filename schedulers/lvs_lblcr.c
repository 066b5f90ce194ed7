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
 * Expiry: as lvs_lblc.c (checks every 60 s run from schedule() when due;
 * every 30th removes entries unused longer than the expiration, others
 * trim entries unused for 6 minutes while above 16384 entries).  Module
 * parameter expiration, seconds, 24 h by default as lblcr_expiration.
 *
 * A deleted dest leaves every set at once (IPVS keeps it until it is
 * evicted and skips it while it is unavailable).
 *
 * Cost: a bucket lookup and a walk over the set; the wlc fallback and the
 * overload test are O(n), as in IPVS.
 */
#ifdef __KERNEL__
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#endif
#include <lvs/sched.h>

#define LVS_LBLCR_TAB_BITS	10
#define LVS_LBLCR_TAB_SIZE	(1 << LVS_LBLCR_TAB_BITS)
#define LVS_LBLCR_TAB_MASK	(LVS_LBLCR_TAB_SIZE - 1)
#define LVS_LBLCR_MAX_SIZE	(LVS_LBLCR_TAB_SIZE * 16)
#define LVS_LBLCR_CHECK		(60 * HZ)
#define LVS_LBLCR_ENTRY_TIMEOUT	(6 * 60 * HZ)
#define LVS_LBLCR_FULL_EVERY	30

static unsigned int expiration = 24 * 60 * 60;
module_param(expiration, uint, 0644);
MODULE_PARM_DESC(expiration, "seconds an unused entry is kept (24 h)");

struct lvs_lblcr_elem {
	struct list_head	list;
	struct lvs_dest		*dest;
};

struct lvs_lblcr_entry {
	struct list_head	list;
	union nf_inet_addr	addr;
	struct list_head	set;		/* struct lvs_lblcr_elem */
	unsigned int		set_size;
	unsigned long		lastmod;	/* set last changed */
	unsigned long		lastuse;
};

struct lvs_lblcr_table {
	struct list_head	bucket[LVS_LBLCR_TAB_SIZE];
	unsigned int		entries;
	unsigned int		rover;
	unsigned int		counter;
	unsigned long		next_check;
};

static unsigned int lvs_lblcr_hashkey(u16 af, const union nf_inet_addr *addr)
{
	__be32 fold = addr->ip;

	if (af == AF_INET6)
		fold = addr->ip6[0] ^ addr->ip6[1] ^ addr->ip6[2] ^
		       addr->ip6[3];
	return hash_32(ntohl(fold), LVS_LBLCR_TAB_BITS);
}

static bool lvs_lblcr_addr_equal(u16 af, const union nf_inet_addr *a,
				 const union nf_inet_addr *b)
{
	if (af == AF_INET6)
		return !memcmp(a->ip6, b->ip6, sizeof(a->ip6));
	return a->ip == b->ip;
}

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

static void lvs_lblcr_free(struct lvs_lblcr_table *tbl,
			   struct lvs_lblcr_entry *en)
{
	struct lvs_lblcr_elem *e, *next;

	list_for_each_entry_safe(e, next, &en->set, list)
		kfree(e);
	list_del(&en->list);
	kfree(en);
	tbl->entries--;
}

/* Remove entries unused for @idle; stop at a bucket's end once @goal go. */
static void lvs_lblcr_sweep(struct lvs_lblcr_table *tbl, unsigned long now,
			    unsigned long idle, int goal)
{
	struct lvs_lblcr_entry *en, *next;
	unsigned int i, j = tbl->rover;

	for (i = 0; i < LVS_LBLCR_TAB_SIZE; i++) {
		j = (j + 1) & LVS_LBLCR_TAB_MASK;
		list_for_each_entry_safe(en, next, &tbl->bucket[j], list) {
			if (time_before(now, en->lastuse + idle))
				continue;
			lvs_lblcr_free(tbl, en);
			goal--;
		}
		if (goal <= 0)
			break;
	}
	tbl->rover = j;
}

/* The body of IPVS's 60 s timer; called with svc->sched_lock held. */
static void lvs_lblcr_check(struct lvs_lblcr_table *tbl, unsigned long now)
{
	int goal;

	tbl->next_check = now + LVS_LBLCR_CHECK;
	if (tbl->counter % LVS_LBLCR_FULL_EVERY == 0) {
		lvs_lblcr_sweep(tbl, now, (unsigned long)expiration * HZ,
				INT_MAX);
		tbl->counter = 1;
		return;
	}
	if (tbl->entries <= LVS_LBLCR_MAX_SIZE) {
		tbl->counter++;
		return;
	}
	goal = (tbl->entries - LVS_LBLCR_MAX_SIZE) * 4 / 3;
	goal = min(goal, LVS_LBLCR_MAX_SIZE / 2);
	lvs_lblcr_sweep(tbl, now, LVS_LBLCR_ENTRY_TIMEOUT, goal);
}

/* wlc over every dest. */
static struct lvs_dest *lvs_lblcr_wlc(struct lvs_service *svc)
{
	struct lvs_dest *dest, *least = NULL;
	u32 loh = 0, doh;

	list_for_each_entry_rcu(dest, &svc->destinations, n_list) {
		if (lvs_dest_overloaded(dest) || atomic_read(&dest->weight) <= 0)
			continue;
		doh = lvs_dest_conn_overhead(dest);
		if (!least || (u64)loh * atomic_read(&dest->weight) >
			      (u64)doh * atomic_read(&least->weight)) {
			least = dest;
			loh = doh;
		}
	}
	return least;
}

static bool lvs_lblcr_overloaded(struct lvs_service *svc,
				 const struct lvs_dest *dest)
{
	struct lvs_dest *d;

	if (atomic_read(&dest->activeconns) <= atomic_read(&dest->weight))
		return false;
	list_for_each_entry_rcu(d, &svc->destinations, n_list)
		if (atomic_read(&d->activeconns) * 2 < atomic_read(&d->weight))
			return true;
	return false;
}

static int lvs_lblcr_init_service(struct lvs_service *svc)
{
	struct lvs_lblcr_table *tbl;
	int i;

	tbl = kzalloc(sizeof(*tbl), GFP_KERNEL);
	if (!tbl)
		return -ENOMEM;
	for (i = 0; i < LVS_LBLCR_TAB_SIZE; i++)
		INIT_LIST_HEAD(&tbl->bucket[i]);
	tbl->counter = 1;
	tbl->next_check = jiffies + LVS_LBLCR_CHECK;
	svc->sched_data = tbl;
	return 0;
}

static void lvs_lblcr_done_service(struct lvs_service *svc)
{
	struct lvs_lblcr_entry *en, *next;
	struct lvs_lblcr_table *tbl;
	int i;

	spin_lock_bh(&svc->sched_lock);
	tbl = svc->sched_data;
	svc->sched_data = NULL;
	spin_unlock_bh(&svc->sched_lock);
	if (!tbl)
		return;
	for (i = 0; i < LVS_LBLCR_TAB_SIZE; i++)
		list_for_each_entry_safe(en, next, &tbl->bucket[i], list)
			lvs_lblcr_free(tbl, en);
	kfree(tbl);
}

static int lvs_lblcr_del_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_lblcr_elem *e, *enext;
	struct lvs_lblcr_entry *en;
	struct lvs_lblcr_table *tbl;
	int i;

	spin_lock_bh(&svc->sched_lock);
	tbl = svc->sched_data;
	for (i = 0; tbl && i < LVS_LBLCR_TAB_SIZE; i++)
		list_for_each_entry(en, &tbl->bucket[i], list)
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
	struct lvs_lblcr_table *tbl;
	struct lvs_lblcr_elem *most;
	struct lvs_dest *dest = NULL;
	unsigned long now = jiffies;
	unsigned int hash;

	spin_lock_bh(&svc->sched_lock);
	tbl = svc->sched_data;
	if (!tbl)
		goto out;
	if (time_after_eq(now, tbl->next_check))
		lvs_lblcr_check(tbl, now);

	hash = lvs_lblcr_hashkey(svc->af, &pkt->daddr);
	list_for_each_entry(en, &tbl->bucket[hash], list) {
		if (lvs_lblcr_addr_equal(svc->af, &en->addr, &pkt->daddr)) {
			found = en;
			break;
		}
	}

	if (found) {
		found->lastuse = now;
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
		if (dest && !lvs_lblcr_overloaded(svc, dest))
			goto out;
		dest = lvs_lblcr_wlc(svc);
		if (dest)
			lvs_lblcr_set_insert(found, dest, now);
		goto out;
	}

	dest = lvs_lblcr_wlc(svc);
	if (!dest || tbl->entries >= LVS_LBLCR_MAX_SIZE * 3 / 2)
		goto out;
	en = kmalloc(sizeof(*en), GFP_ATOMIC);
	if (!en)
		goto out;
	en->addr = pkt->daddr;
	INIT_LIST_HEAD(&en->set);
	en->set_size = 0;
	en->lastuse = now;
	lvs_lblcr_set_insert(en, dest, now);
	if (!en->set_size) {
		kfree(en);
		goto out;
	}
	list_add(&en->list, &tbl->bucket[hash]);
	tbl->entries++;
out:
	spin_unlock_bh(&svc->sched_lock);
	return dest;
}

static struct lvs_sched_ops lvs_lblcr_ops = {
	.name		= "lblcr",
	.owner		= THIS_MODULE,
	.init_service	= lvs_lblcr_init_service,
	.done_service	= lvs_lblcr_done_service,
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
