/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvs_locality.h - the locality table shared by lblc and lblcr.
 *
 * A table maps a packet's destination address to an entry (1024 buckets,
 * hash_32(ntohl(daddr), 10), an IPv6 address XOR-folded first).  Each
 * scheduler embeds struct lvs_loc_entry at the head of its own entry and
 * gives the table a callback that frees one; the table owns the buckets,
 * the entry count and the expiry.
 *
 * Expiry (IPVS's periodic timer, run from schedule() when due, so that no
 * timer is needed and tests can drive time): every 60 s a check runs;
 * every 30th check removes the entries unused for longer than the
 * expiration; the other checks, only while the table holds more than
 * 16384 entries, remove entries unused for 6 minutes, at most
 * (entries - 16384) * 4 / 3 of them, up to 8192, resuming where the last
 * sweep stopped.
 *
 * Everything here runs under svc->sched_lock, except lvs_loc_init() and
 * the freeing in lvs_loc_done(), which own the table alone.
 */
#ifndef _LVS_LOCALITY_H
#define _LVS_LOCALITY_H

#ifdef __KERNEL__
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/slab.h>
#endif
#include <lvs/sched.h>

#define LVS_LOC_TAB_BITS	10
#define LVS_LOC_TAB_SIZE	(1 << LVS_LOC_TAB_BITS)
#define LVS_LOC_TAB_MASK	(LVS_LOC_TAB_SIZE - 1)
#define LVS_LOC_MAX_SIZE	(LVS_LOC_TAB_SIZE * 16)
#define LVS_LOC_CHECK		(60 * HZ)
#define LVS_LOC_ENTRY_TIMEOUT	(6 * 60 * HZ)
#define LVS_LOC_FULL_EVERY	30

struct lvs_loc_entry {
	struct list_head	list;
	union nf_inet_addr	addr;
	unsigned long		lastuse;
};

struct lvs_loc_table {
	struct list_head	bucket[LVS_LOC_TAB_SIZE];
	unsigned int		entries;
	unsigned int		rover;
	unsigned int		counter;
	unsigned long		next_check;
	void			(*free_entry)(struct lvs_loc_entry *en);
};

static inline unsigned int lvs_loc_hashkey(u16 af,
					   const union nf_inet_addr *addr)
{
	__be32 fold = addr->ip;

	if (af == AF_INET6)
		fold = addr->ip6[0] ^ addr->ip6[1] ^ addr->ip6[2] ^
		       addr->ip6[3];
	return hash_32(ntohl(fold), LVS_LOC_TAB_BITS);
}

static inline bool lvs_loc_addr_equal(u16 af, const union nf_inet_addr *a,
				      const union nf_inet_addr *b)
{
	if (af == AF_INET6)
		return !memcmp(a->ip6, b->ip6, sizeof(a->ip6));
	return a->ip == b->ip;
}

/*
 * The entry for @addr with its use time set to @now, or NULL; *@hash is
 * its bucket either way, for lvs_loc_add().
 */
static inline struct lvs_loc_entry *
lvs_loc_find(struct lvs_loc_table *tbl, u16 af,
	     const union nf_inet_addr *addr, unsigned long now,
	     unsigned int *hash)
{
	struct lvs_loc_entry *en;

	*hash = lvs_loc_hashkey(af, addr);
	list_for_each_entry(en, &tbl->bucket[*hash], list) {
		if (lvs_loc_addr_equal(af, &en->addr, addr)) {
			en->lastuse = now;
			return en;
		}
	}
	return NULL;
}

/* New entries are refused above 1.5 * LVS_LOC_MAX_SIZE, as IPVS. */
static inline bool lvs_loc_full(const struct lvs_loc_table *tbl)
{
	return tbl->entries >= LVS_LOC_MAX_SIZE * 3 / 2;
}

static inline void lvs_loc_add(struct lvs_loc_table *tbl,
			       struct lvs_loc_entry *en, unsigned int hash,
			       const union nf_inet_addr *addr, unsigned long now)
{
	en->addr = *addr;
	en->lastuse = now;
	list_add(&en->list, &tbl->bucket[hash]);
	tbl->entries++;
}

static inline void lvs_loc_del(struct lvs_loc_table *tbl,
			       struct lvs_loc_entry *en)
{
	list_del(&en->list);
	tbl->entries--;
	tbl->free_entry(en);
}

/* Remove entries unused for @idle; stop at a bucket's end once @goal go. */
static inline void lvs_loc_sweep(struct lvs_loc_table *tbl, unsigned long now,
				 unsigned long idle, int goal)
{
	struct lvs_loc_entry *en, *next;
	unsigned int i, j = tbl->rover;

	for (i = 0; i < LVS_LOC_TAB_SIZE; i++) {
		j = (j + 1) & LVS_LOC_TAB_MASK;
		list_for_each_entry_safe(en, next, &tbl->bucket[j], list) {
			if (time_before(now, en->lastuse + idle))
				continue;
			lvs_loc_del(tbl, en);
			goal--;
		}
		if (goal <= 0)
			break;
	}
	tbl->rover = j;
}

/*
 * The body of IPVS's 60 s timer, when it is due; @expire is the
 * expiration in jiffies.
 */
static inline void lvs_loc_check(struct lvs_loc_table *tbl, unsigned long now,
				 unsigned long expire)
{
	int goal;

	if (time_before(now, tbl->next_check))
		return;
	tbl->next_check = now + LVS_LOC_CHECK;
	if (tbl->counter % LVS_LOC_FULL_EVERY == 0) {
		lvs_loc_sweep(tbl, now, expire, INT_MAX);
		tbl->counter = 1;
		return;
	}
	if (tbl->entries <= LVS_LOC_MAX_SIZE) {
		tbl->counter++;
		return;
	}
	goal = (tbl->entries - LVS_LOC_MAX_SIZE) * 4 / 3;
	goal = min(goal, LVS_LOC_MAX_SIZE / 2);
	lvs_loc_sweep(tbl, now, LVS_LOC_ENTRY_TIMEOUT, goal);
}

/* wlc over every dest. */
static inline struct lvs_dest *lvs_loc_wlc(struct lvs_service *svc)
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

/*
 * Overloaded in lblc's sense: more active connections than its weight
 * while some dest of the service has active * 2 < weight.
 */
static inline bool lvs_loc_overloaded(struct lvs_service *svc,
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

static inline int lvs_loc_init(struct lvs_service *svc,
			       void (*free_entry)(struct lvs_loc_entry *en))
{
	struct lvs_loc_table *tbl;
	int i;

	tbl = kzalloc(sizeof(*tbl), GFP_KERNEL);
	if (!tbl)
		return -ENOMEM;
	for (i = 0; i < LVS_LOC_TAB_SIZE; i++)
		INIT_LIST_HEAD(&tbl->bucket[i]);
	tbl->counter = 1;
	tbl->next_check = jiffies + LVS_LOC_CHECK;
	tbl->free_entry = free_entry;
	svc->sched_data = tbl;
	return 0;
}

static inline void lvs_loc_done(struct lvs_service *svc)
{
	struct lvs_loc_entry *en, *next;
	struct lvs_loc_table *tbl;
	int i;

	spin_lock_bh(&svc->sched_lock);
	tbl = svc->sched_data;
	svc->sched_data = NULL;
	spin_unlock_bh(&svc->sched_lock);
	if (!tbl)
		return;
	for (i = 0; i < LVS_LOC_TAB_SIZE; i++)
		list_for_each_entry_safe(en, next, &tbl->bucket[i], list)
			tbl->free_entry(en);
	kfree(tbl);
}

#endif /* _LVS_LOCALITY_H */
