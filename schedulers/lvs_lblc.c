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
 * Cost: a lookup in a bucket; the wlc walk and the overload test are
 * O(n), as in IPVS, and run only on a table miss or an overloaded entry.
 */
#ifdef __KERNEL__
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#endif
#include <lvs/sched.h>

#define LVS_LBLC_TAB_BITS	10
#define LVS_LBLC_TAB_SIZE	(1 << LVS_LBLC_TAB_BITS)
#define LVS_LBLC_TAB_MASK	(LVS_LBLC_TAB_SIZE - 1)
#define LVS_LBLC_MAX_SIZE	(LVS_LBLC_TAB_SIZE * 16)
#define LVS_LBLC_CHECK		(60 * HZ)
#define LVS_LBLC_ENTRY_TIMEOUT	(6 * 60 * HZ)
#define LVS_LBLC_FULL_EVERY	30

static unsigned int expiration = 24 * 60 * 60;
module_param(expiration, uint, 0644);
MODULE_PARM_DESC(expiration, "seconds an unused entry is kept (24 h)");

struct lvs_lblc_entry {
	struct list_head	list;
	union nf_inet_addr	addr;
	struct lvs_dest		*dest;
	unsigned long		lastuse;
};

struct lvs_lblc_table {
	struct list_head	bucket[LVS_LBLC_TAB_SIZE];
	unsigned int		entries;
	unsigned int		rover;
	unsigned int		counter;
	unsigned long		next_check;
};

static unsigned int lvs_lblc_hashkey(u16 af, const union nf_inet_addr *addr)
{
	__be32 fold = addr->ip;

	if (af == AF_INET6)
		fold = addr->ip6[0] ^ addr->ip6[1] ^ addr->ip6[2] ^
		       addr->ip6[3];
	return hash_32(ntohl(fold), LVS_LBLC_TAB_BITS);
}

static bool lvs_lblc_addr_equal(u16 af, const union nf_inet_addr *a,
				const union nf_inet_addr *b)
{
	if (af == AF_INET6)
		return !memcmp(a->ip6, b->ip6, sizeof(a->ip6));
	return a->ip == b->ip;
}

static void lvs_lblc_del(struct lvs_lblc_table *tbl, struct lvs_lblc_entry *en)
{
	list_del(&en->list);
	kfree(en);
	tbl->entries--;
}

/* Remove entries unused for @idle; stop at a bucket's end once @goal go. */
static void lvs_lblc_sweep(struct lvs_lblc_table *tbl, unsigned long now,
			   unsigned long idle, int goal)
{
	struct lvs_lblc_entry *en, *next;
	unsigned int i, j = tbl->rover;

	for (i = 0; i < LVS_LBLC_TAB_SIZE; i++) {
		j = (j + 1) & LVS_LBLC_TAB_MASK;
		list_for_each_entry_safe(en, next, &tbl->bucket[j], list) {
			if (time_before(now, en->lastuse + idle))
				continue;
			lvs_lblc_del(tbl, en);
			goal--;
		}
		if (goal <= 0)
			break;
	}
	tbl->rover = j;
}

/* The body of IPVS's 60 s timer; called with svc->sched_lock held. */
static void lvs_lblc_check(struct lvs_lblc_table *tbl, unsigned long now)
{
	int goal;

	tbl->next_check = now + LVS_LBLC_CHECK;
	if (tbl->counter % LVS_LBLC_FULL_EVERY == 0) {
		lvs_lblc_sweep(tbl, now, (unsigned long)expiration * HZ,
			       INT_MAX);
		tbl->counter = 1;
		return;
	}
	if (tbl->entries <= LVS_LBLC_MAX_SIZE) {
		tbl->counter++;
		return;
	}
	goal = (tbl->entries - LVS_LBLC_MAX_SIZE) * 4 / 3;
	goal = min(goal, LVS_LBLC_MAX_SIZE / 2);
	lvs_lblc_sweep(tbl, now, LVS_LBLC_ENTRY_TIMEOUT, goal);
}

/* wlc over every dest. */
static struct lvs_dest *lvs_lblc_wlc(struct lvs_service *svc)
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

static bool lvs_lblc_overloaded(struct lvs_service *svc,
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

static int lvs_lblc_init_service(struct lvs_service *svc)
{
	struct lvs_lblc_table *tbl;
	int i;

	tbl = kzalloc(sizeof(*tbl), GFP_KERNEL);
	if (!tbl)
		return -ENOMEM;
	for (i = 0; i < LVS_LBLC_TAB_SIZE; i++)
		INIT_LIST_HEAD(&tbl->bucket[i]);
	tbl->counter = 1;
	tbl->next_check = jiffies + LVS_LBLC_CHECK;
	svc->sched_data = tbl;
	return 0;
}

static void lvs_lblc_done_service(struct lvs_service *svc)
{
	struct lvs_lblc_entry *en, *next;
	struct lvs_lblc_table *tbl;
	int i;

	spin_lock_bh(&svc->sched_lock);
	tbl = svc->sched_data;
	svc->sched_data = NULL;
	spin_unlock_bh(&svc->sched_lock);
	if (!tbl)
		return;
	for (i = 0; i < LVS_LBLC_TAB_SIZE; i++)
		list_for_each_entry_safe(en, next, &tbl->bucket[i], list)
			kfree(en);
	kfree(tbl);
}

static int lvs_lblc_del_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_lblc_entry *en, *next;
	struct lvs_lblc_table *tbl;
	int i;

	spin_lock_bh(&svc->sched_lock);
	tbl = svc->sched_data;
	for (i = 0; tbl && i < LVS_LBLC_TAB_SIZE; i++)
		list_for_each_entry_safe(en, next, &tbl->bucket[i], list)
			if (en->dest == dest)
				lvs_lblc_del(tbl, en);
	spin_unlock_bh(&svc->sched_lock);
	return 0;
}

static struct lvs_dest *lvs_lblc_schedule(struct lvs_service *svc,
					  const struct lvs_pkt *pkt)
{
	struct lvs_lblc_entry *en, *found = NULL;
	struct lvs_dest *dest = NULL;
	struct lvs_lblc_table *tbl;
	unsigned long now = jiffies;
	unsigned int hash;

	spin_lock_bh(&svc->sched_lock);
	tbl = svc->sched_data;
	if (!tbl)
		goto out;
	if (time_after_eq(now, tbl->next_check))
		lvs_lblc_check(tbl, now);

	hash = lvs_lblc_hashkey(svc->af, &pkt->daddr);
	list_for_each_entry(en, &tbl->bucket[hash], list) {
		if (lvs_lblc_addr_equal(svc->af, &en->addr, &pkt->daddr)) {
			found = en;
			break;
		}
	}
	if (found) {
		found->lastuse = now;
		dest = found->dest;
		if ((READ_ONCE(dest->flags) & LVS_DEST_F_AVAILABLE) &&
		    atomic_read(&dest->weight) > 0 &&
		    !lvs_lblc_overloaded(svc, dest))
			goto out;
	}

	dest = lvs_lblc_wlc(svc);
	if (!dest)
		goto out;
	if (found) {
		if (found->dest == dest)
			goto out;
		lvs_lblc_del(tbl, found);
	}
	/* Without an entry the pick still stands; it is just not cached. */
	if (tbl->entries >= LVS_LBLC_MAX_SIZE * 3 / 2)
		goto out;
	en = kmalloc(sizeof(*en), GFP_ATOMIC);
	if (!en)
		goto out;
	en->addr = pkt->daddr;
	en->dest = dest;
	en->lastuse = now;
	list_add(&en->list, &tbl->bucket[hash]);
	tbl->entries++;
out:
	spin_unlock_bh(&svc->sched_lock);
	return dest;
}

static struct lvs_sched_ops lvs_lblc_ops = {
	.name		= "lblc",
	.owner		= THIS_MODULE,
	.init_service	= lvs_lblc_init_service,
	.done_service	= lvs_lblc_done_service,
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
