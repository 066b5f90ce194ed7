/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvs_lload.h - the least-load index shared by lc, wlc, sed and nq.
 *
 * IPVS walks every real server on every new connection to find the least
 * loaded one.  Here each service keeps its eligible dests (weight > 0 and
 * not overloaded) in a binary min-heap ordered by the scheduler's load,
 * and publishes the heap's top; schedule() reads that one pointer.
 * Adding, deleting or editing a dest moves one entry, O(log n), under
 * svc->sched_lock.
 *
 * The per-connection path never waits for svc->sched_lock.  A load change
 * (ops->load_changed, called whenever a connection starts, ends or
 * changes state) only queues the dest's node on a lock-free list, once
 * until it is applied.  schedule() applies what is queued, O(log n) per
 * dest, if it gets the lock with a trylock; if another CPU holds it, the
 * heap may be stale, and schedule() walks the list as IPVS does instead.
 * Either way the dest picked is the one IPVS's walk picks for the counts
 * it reads.
 *
 * Order: load first, compared exactly (cross-multiplied in 64 bits when
 * weighted), then the dest's position in svc->destinations.  IPVS's walk
 * keeps the first dest met among equals, so the top of the heap is the
 * very dest IPVS's linear rule returns for the same counters.
 *
 * nq adds a second heap of the eligible dests with no active connection,
 * ordered by list position only, because nq returns the first idle dest
 * in list order before it looks at loads.
 *
 * Small services (up to LVS_LL_LINEAR_MAX dests) skip the heap: there
 * IPVS's walk over the list is cheaper than keeping a heap in step with
 * every connection, so schedule() walks and load_changed does nothing.
 * The walk applies the same order, so the result is the same either way.
 *
 * Keys are snapshots taken under the lock, never live counters, so
 * concurrent counter updates cannot break the heap's invariant.  If a
 * dest's weight or overload flag changed without a call into the
 * scheduler, schedule() notices that the published dest is no longer
 * eligible, refreshes it under the lock and retries.
 */
#ifndef _LVS_LLOAD_H
#define _LVS_LLOAD_H

#ifdef __KERNEL__
#include <linux/bitops.h>
#include <linux/llist.h>
#include <linux/slab.h>
#endif
#include <lvs/sched.h>

#define LVS_LL_NONE	U32_MAX
/* Ranks from a rebuild start here; dests added at the head go below. */
#define LVS_LL_RANK_BASE	(1ULL << 62)
/* Measured crossover (bench/sched_bench.c): the walk wins below ~30. */
#define LVS_LL_LINEAR_MAX	32

struct lvs_ll_kind {
	/* Load of a dest, compared across weights when @weighted. */
	u32	(*load)(const struct lvs_dest *dest);
	bool	weighted;
	bool	idle_first;	/* nq: first idle dest in list order wins */
};

struct lvs_ll_node {
	struct lvs_dest	*dest;
	u64		rank;	/* order in svc->destinations */
	u32		hidx;	/* index in the load heap or LVS_LL_NONE */
	u32		iidx;	/* index in the idle heap or LVS_LL_NONE */
	u32		load;	/* key snapshots */
	u32		weight;
	struct llist_node dirty_link;	/* on lvs_ll_state.dirty */
	unsigned long	flags;		/* LVS_LL_DIRTY, LVS_LL_DEAD */
	struct rcu_head	rcu;
};

/*
 * DIRTY: the node is on the dirty list or about to be; only the CPU that
 * set the bit queues it, and whoever applies it clears the bit first.
 * DEAD: del_dest found the node queued; whoever takes it off the list
 * frees it.  load_changed may still hold a pointer to a node that
 * del_dest took away: nodes of deleted dests are freed after a grace
 * period.
 */
#define LVS_LL_DIRTY	0
#define LVS_LL_DEAD	1

struct lvs_ll_state {
	struct lvs_ll_node	**heap;
	struct lvs_ll_node	**iheap;
	u32			n, in, cap;
	u32			count;	/* dests in the service */
	u64			min_rank;
	bool			linear;	/* few dests: walk, no heap */
	struct lvs_dest		*top;	/* read without the lock */
	struct llist_head	dirty;	/* nodes whose load changed */
	struct rcu_head		rcu;
};

static inline bool lvs_ll_less(const struct lvs_ll_kind *k,
			       const struct lvs_ll_node *a,
			       const struct lvs_ll_node *b)
{
	if (k->weighted) {
		u64 la = (u64)a->load * b->weight;
		u64 lb = (u64)b->load * a->weight;

		if (la != lb)
			return la < lb;
	} else if (a->load != b->load) {
		return a->load < b->load;
	}
	return a->rank < b->rank;
}

/*
 * One heap routine serves both heaps: @idle selects the idle heap (rank
 * order, index in iidx) instead of the load heap (kind order, in hidx).
 */
static inline bool lvs_ll_hless(const struct lvs_ll_kind *k, bool idle,
				const struct lvs_ll_node *a,
				const struct lvs_ll_node *b)
{
	return idle ? a->rank < b->rank : lvs_ll_less(k, a, b);
}

static inline u32 *lvs_ll_idx(struct lvs_ll_node *node, bool idle)
{
	return idle ? &node->iidx : &node->hidx;
}

static inline void lvs_ll_set(struct lvs_ll_node **h, u32 i,
			      struct lvs_ll_node *node, bool idle)
{
	h[i] = node;
	*lvs_ll_idx(node, idle) = i;
}

static inline void lvs_ll_sift_up(const struct lvs_ll_kind *k, bool idle,
				  struct lvs_ll_node **h, u32 i)
{
	struct lvs_ll_node *node = h[i];

	while (i > 0) {
		u32 parent = (i - 1) / 2;

		if (!lvs_ll_hless(k, idle, node, h[parent]))
			break;
		lvs_ll_set(h, i, h[parent], idle);
		i = parent;
	}
	lvs_ll_set(h, i, node, idle);
}

static inline void lvs_ll_sift_down(const struct lvs_ll_kind *k, bool idle,
				    struct lvs_ll_node **h, u32 n, u32 i)
{
	struct lvs_ll_node *node = h[i];

	for (;;) {
		u32 c = 2 * i + 1;

		if (c >= n)
			break;
		if (c + 1 < n && lvs_ll_hless(k, idle, h[c + 1], h[c]))
			c++;
		if (!lvs_ll_hless(k, idle, h[c], node))
			break;
		lvs_ll_set(h, i, h[c], idle);
		i = c;
	}
	lvs_ll_set(h, i, node, idle);
}

static inline void lvs_ll_insert(const struct lvs_ll_kind *k, bool idle,
				 struct lvs_ll_node **h, u32 *n,
				 struct lvs_ll_node *node)
{
	lvs_ll_set(h, *n, node, idle);
	lvs_ll_sift_up(k, idle, h, (*n)++);
}

static inline void lvs_ll_remove(const struct lvs_ll_kind *k, bool idle,
				 struct lvs_ll_node **h, u32 *n,
				 struct lvs_ll_node *node)
{
	u32 i = *lvs_ll_idx(node, idle);
	struct lvs_ll_node *moved;

	*lvs_ll_idx(node, idle) = LVS_LL_NONE;
	if (i == --(*n))
		return;
	moved = h[*n];
	lvs_ll_set(h, i, moved, idle);
	lvs_ll_sift_down(k, idle, h, *n, i);
	lvs_ll_sift_up(k, idle, h, *lvs_ll_idx(moved, idle));
}

static inline void lvs_ll_publish(const struct lvs_ll_kind *k,
				  struct lvs_ll_state *st)
{
	struct lvs_dest *top = NULL;

	if (k->idle_first && st->in)
		top = st->iheap[0]->dest;
	else if (st->n)
		top = st->heap[0]->dest;
	WRITE_ONCE(st->top, top);
}

static inline bool lvs_ll_eligible(const struct lvs_dest *dest)
{
	return atomic_read(&dest->weight) > 0 && !lvs_dest_overloaded(dest);
}

/* Take fresh key snapshots of @node and move it within the heaps. */
static inline void lvs_ll_refresh(const struct lvs_ll_kind *k,
				  struct lvs_ll_state *st,
				  struct lvs_ll_node *node)
{
	struct lvs_dest *dest = node->dest;
	bool ok = lvs_ll_eligible(dest);
	bool idle = ok && k->idle_first && !atomic_read(&dest->activeconns);

	node->load = k->load(dest);
	node->weight = (u32)atomic_read(&dest->weight);

	if (!ok && node->hidx != LVS_LL_NONE)
		lvs_ll_remove(k, false, st->heap, &st->n, node);
	else if (ok && node->hidx == LVS_LL_NONE && st->n < st->cap)
		lvs_ll_insert(k, false, st->heap, &st->n, node);
	else if (ok && node->hidx != LVS_LL_NONE) {
		lvs_ll_sift_down(k, false, st->heap, st->n, node->hidx);
		lvs_ll_sift_up(k, false, st->heap, node->hidx);
	}

	if (!idle && node->iidx != LVS_LL_NONE)
		lvs_ll_remove(k, true, st->iheap, &st->in, node);
	else if (idle && node->iidx == LVS_LL_NONE && st->in < st->cap)
		lvs_ll_insert(k, true, st->iheap, &st->in, node);
}

/*
 * Apply the load changes load_changed queued: under svc->sched_lock.
 * The bit is cleared before the counters are read, so a change that
 * found it still set is seen here.
 */
static inline void lvs_ll_drain(const struct lvs_ll_kind *k,
				struct lvs_ll_state *st)
{
	struct llist_node *first = llist_del_all(&st->dirty);
	struct lvs_ll_node *node, *next;

	llist_for_each_entry_safe(node, next, first, dirty_link) {
		if (test_bit(LVS_LL_DEAD, &node->flags)) {
			kfree_rcu(node, rcu);
			continue;
		}
		clear_bit(LVS_LL_DIRTY, &node->flags);
		/*
		 * Pairs with test_and_set_bit() in load_changed: a change
		 * that still saw the bit set is read below.
		 */
		smp_mb__after_atomic();
		if (!st->linear)
			lvs_ll_refresh(k, st, node);
	}
	if (first && !st->linear)
		lvs_ll_publish(k, st);
}

/*
 * done_service: free the queued nodes of deleted dests; the others go
 * with their dests.  A load_changed that began before the service lost
 * its scheduler may still be looking at one (include/lvs/sched.h): none
 * can queue one any more (del_dest left every node of a deleted dest
 * DIRTY), but each is freed a grace period later.
 */
static inline void lvs_ll_drop_queued(struct lvs_ll_state *st)
{
	struct llist_node *first = llist_del_all(&st->dirty);
	struct lvs_ll_node *node, *next;

	llist_for_each_entry_safe(node, next, first, dirty_link) {
		if (test_bit(LVS_LL_DEAD, &node->flags))
			kfree_rcu(node, rcu);
		else
			clear_bit(LVS_LL_DIRTY, &node->flags);
	}
}

static inline void lvs_ll_free_nodes(struct lvs_service *svc)
{
	struct lvs_dest *dest;

	list_for_each_entry(dest, &svc->destinations, n_list) {
		kfree(dest->sched_data);
		dest->sched_data = NULL;
	}
}

/* Make room for @need entries in each heap, keeping what they hold. */
static inline int lvs_ll_grow(struct lvs_ll_state *st, u32 need, gfp_t gfp)
{
	struct lvs_ll_node **h, **ih;
	u32 cap;

	if (need <= st->cap)
		return 0;
	cap = max(need, 2 * st->cap);
	h = kcalloc(cap, sizeof(*h), gfp);
	ih = kcalloc(cap, sizeof(*ih), gfp);
	if (!h || !ih) {
		kfree(h);
		kfree(ih);
		return -ENOMEM;
	}
	if (st->n)
		memcpy(h, st->heap, st->n * sizeof(*h));
	if (st->in)
		memcpy(ih, st->iheap, st->in * sizeof(*ih));
	kfree(st->heap);
	kfree(st->iheap);
	st->heap = h;
	st->iheap = ih;
	st->cap = cap;
	return 0;
}

/*
 * Rebuild both heaps from svc->destinations: give every dest a node and
 * its list position, then heapify.  Called with svc->sched_lock held
 * (except from init_service, before the state is published).  Out of
 * memory, the heaps stay as they were (the core then drops the dest it
 * was adding), or the dest whose node could not be allocated is left
 * out of them.
 */
static inline int lvs_ll_rebuild(const struct lvs_ll_kind *k,
				 struct lvs_service *svc,
				 struct lvs_ll_state *st, gfp_t gfp)
{
	struct lvs_ll_node *node;
	struct lvs_dest *dest;
	u32 count = 0, i;
	int ret = 0;

	list_for_each_entry(dest, &svc->destinations, n_list)
		count++;
	if (lvs_ll_grow(st, count, gfp))
		return -ENOMEM;

	st->n = 0;
	st->in = 0;
	st->count = count;
	st->min_rank = LVS_LL_RANK_BASE;
	WRITE_ONCE(st->linear, count <= LVS_LL_LINEAR_MAX);
	i = 0;
	list_for_each_entry(dest, &svc->destinations, n_list) {
		node = dest->sched_data;
		if (!node) {
			node = kzalloc(sizeof(*node), gfp);
			if (!node) {
				ret = -ENOMEM;
				continue;
			}
			node->dest = dest;
			dest->sched_data = node;
		}
		node->rank = LVS_LL_RANK_BASE + i++;
		node->load = k->load(dest);
		node->weight = (u32)atomic_read(&dest->weight);
		node->hidx = LVS_LL_NONE;
		node->iidx = LVS_LL_NONE;
		if (st->linear || !lvs_ll_eligible(dest))
			continue;
		lvs_ll_set(st->heap, st->n++, node, false);
		if (k->idle_first && !atomic_read(&dest->activeconns))
			lvs_ll_set(st->iheap, st->in++, node, true);
	}
	for (i = st->n / 2; i-- > 0;)
		lvs_ll_sift_down(k, false, st->heap, st->n, i);
	/* The idle heap was filled in rank order: already a heap. */
	lvs_ll_publish(k, st);
	return ret;
}

static inline int lvs_ll_init_service(const struct lvs_ll_kind *k,
				      struct lvs_service *svc)
{
	struct lvs_ll_state *st;
	int ret;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	ret = lvs_ll_rebuild(k, svc, st, GFP_KERNEL);
	if (ret) {
		lvs_ll_free_nodes(svc);
		kfree(st->heap);
		kfree(st->iheap);
		kfree(st);
		return ret;
	}
	svc->sched_data = st;
	return 0;
}

static inline void lvs_ll_done_service(struct lvs_service *svc)
{
	struct lvs_ll_state *st;

	spin_lock_bh(&svc->sched_lock);
	st = svc->sched_data;
	svc->sched_data = NULL;
	if (st)
		lvs_ll_drop_queued(st);
	lvs_ll_free_nodes(svc);
	spin_unlock_bh(&svc->sched_lock);
	if (!st)
		return;
	kfree(st->heap);
	kfree(st->iheap);
	/* schedule() may still read st->top on another CPU. */
	kfree_rcu(st, rcu);
}

/*
 * add_dest and upd_dest.  A dest without a node is new: linked at the
 * head, it takes a rank below every other and enters the heaps in
 * O(log n).  A known dest is re-keyed in O(log n).  Small services, a
 * dest not at the head, or crossing LVS_LL_LINEAR_MAX, rebuild.
 */
static inline int lvs_ll_changed(const struct lvs_ll_kind *k,
				 struct lvs_service *svc,
				 struct lvs_dest *dest)
{
	struct lvs_ll_node *node = dest->sched_data;
	struct lvs_ll_state *st;
	int ret = 0;

	spin_lock_bh(&svc->sched_lock);
	st = svc->sched_data;
	if (!st)
		goto out;
	lvs_ll_drain(k, st);
	if (node) {
		if (!st->linear) {
			lvs_ll_refresh(k, st, node);
			lvs_ll_publish(k, st);
		}
		goto out;
	}
	if (st->linear || dest->n_list.prev != &svc->destinations) {
		ret = lvs_ll_rebuild(k, svc, st, GFP_ATOMIC);
		goto out;
	}
	ret = lvs_ll_grow(st, st->count + 1, GFP_ATOMIC);
	if (ret)
		goto out;
	node = kzalloc(sizeof(*node), GFP_ATOMIC);
	if (!node) {
		ret = -ENOMEM;
		goto out;
	}
	node->dest = dest;
	node->rank = --st->min_rank;
	node->hidx = LVS_LL_NONE;
	node->iidx = LVS_LL_NONE;
	dest->sched_data = node;
	st->count++;
	lvs_ll_refresh(k, st, node);
	lvs_ll_publish(k, st);
out:
	spin_unlock_bh(&svc->sched_lock);
	return ret;
}

/* del_dest: @dest is already unlinked from svc->destinations. */
static inline int lvs_ll_del_dest(const struct lvs_ll_kind *k,
				  struct lvs_service *svc,
				  struct lvs_dest *dest)
{
	struct lvs_ll_node *node;
	struct lvs_ll_state *st;
	int ret = 0;

	spin_lock_bh(&svc->sched_lock);
	node = dest->sched_data;
	dest->sched_data = NULL;
	st = svc->sched_data;
	if (st)
		lvs_ll_drain(k, st);
	if (st) {
		if (node && node->hidx != LVS_LL_NONE)
			lvs_ll_remove(k, false, st->heap, &st->n, node);
		if (node && node->iidx != LVS_LL_NONE)
			lvs_ll_remove(k, true, st->iheap, &st->in, node);
		st->count--;
		if (!st->linear && st->count <= LVS_LL_LINEAR_MAX)
			ret = lvs_ll_rebuild(k, svc, st, GFP_ATOMIC);
		else
			lvs_ll_publish(k, st);
	}
	/* Queued by a load_changed racing with us: the next drain frees it. */
	if (node && test_and_set_bit(LVS_LL_DIRTY, &node->flags)) {
		set_bit(LVS_LL_DEAD, &node->flags);
		node = NULL;
	}
	spin_unlock_bh(&svc->sched_lock);
	if (node)
		kfree_rcu(node, rcu);
	return ret;
}

static inline void lvs_ll_load_changed(const struct lvs_ll_kind *k,
				       struct lvs_service *svc,
				       struct lvs_dest *dest)
{
	struct lvs_ll_state *st = READ_ONCE(svc->sched_data);
	struct lvs_ll_node *node;

	/*
	 * The core calls us under rcu_read_lock(): st and the node stay
	 * valid.  A deleted dest still sees its connections end: no node,
	 * or a node marked DIRTY for good.
	 */
	if (!st || READ_ONCE(st->linear))
		return;
	node = READ_ONCE(dest->sched_data);
	if (node && !test_and_set_bit(LVS_LL_DIRTY, &node->flags))
		llist_add(&node->dirty_link, &st->dirty);
}

/* IPVS's walk, in the heap's order: the first dest met wins ties. */
static inline struct lvs_dest *lvs_ll_walk(const struct lvs_ll_kind *k,
					   struct lvs_service *svc)
{
	struct lvs_ll_node cur = { .rank = 1 }, best = { .rank = 0 };
	struct lvs_dest *dest, *least = NULL;

	list_for_each_entry_rcu(dest, &svc->destinations, n_list) {
		if (!lvs_ll_eligible(dest))
			continue;
		if (k->idle_first && !atomic_read(&dest->activeconns))
			return dest;
		cur.load = k->load(dest);
		cur.weight = (u32)atomic_read(&dest->weight);
		if (!least || lvs_ll_less(k, &cur, &best)) {
			least = dest;
			best.load = cur.load;
			best.weight = cur.weight;
		}
	}
	return least;
}

static inline struct lvs_dest *lvs_ll_schedule(const struct lvs_ll_kind *k,
					       struct lvs_service *svc)
{
	struct lvs_ll_state *st = READ_ONCE(svc->sched_data);
	struct lvs_dest *dest;

	if (!st)
		return NULL;
	if (READ_ONCE(st->linear))
		return lvs_ll_walk(k, svc);
	if (!llist_empty(&st->dirty)) {
		/* Another CPU is at the heap: don't wait, walk. */
		if (!spin_trylock_bh(&svc->sched_lock))
			return lvs_ll_walk(k, svc);
		if (svc->sched_data == st && !st->linear)
			lvs_ll_drain(k, st);
		spin_unlock_bh(&svc->sched_lock);
	}
	dest = READ_ONCE(st->top);
	if (likely(!dest || lvs_ll_eligible(dest)))
		return dest;

	/*
	 * The weight or the overload flag changed behind our back: bring
	 * the stale tops up to date and take the next one.  Each round takes
	 * an ineligible dest out of the heap, and only load_changed or a
	 * configuration change puts one back, so this ends.
	 */
	for (;;) {
		if (!spin_trylock_bh(&svc->sched_lock))
			return lvs_ll_walk(k, svc);
		st = svc->sched_data;
		if (st && st->linear) {
			spin_unlock_bh(&svc->sched_lock);
			return lvs_ll_walk(k, svc);
		}
		if (st)
			lvs_ll_drain(k, st);
		if (st && dest && dest->sched_data) {
			lvs_ll_refresh(k, st, dest->sched_data);
			lvs_ll_publish(k, st);
		}
		dest = st ? st->top : NULL;
		spin_unlock_bh(&svc->sched_lock);
		if (!dest || lvs_ll_eligible(dest))
			return dest;
	}
}

#endif /* _LVS_LLOAD_H */
