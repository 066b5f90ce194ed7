// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_wrr.c - weighted round-robin scheduling.
 *
 * Rule (IPVS's wrr): let di be the gcd of the weights > 0 (1 if none),
 * maxw the largest weight and mw = maxw - (di - 1).  State: a cursor in
 * svc->destinations and a current weight cw (mw at first).  A pick walks
 * on from the cursor and takes the first dest that is not overloaded and
 * has weight >= cw; each time the walk passes the end of the list, cw
 * drops by di and, at <= 0, starts again at mw.  So the sequence is made
 * of rounds cw = mw, mw - di, ..., 1, each round giving, in list order,
 * the dests whose weight reaches cw.  With mw = 0 nothing is picked.
 * When every dest with weight > 0 is overloaded the pick fails and, as
 * in IPVS, the state becomes (head, mw) unless the cursor sat on a dest
 * in the last round, where it stays.  On add, delete or edit of a dest:
 * di and mw are recomputed, the cursor goes back to the head and cw
 * becomes mw if it was 0 or above mw, else (cw / di) * di + 1 when
 * di > 1.
 *
 * Cost: rather than walk the whole list for every round, the members of
 * the current round are kept as a list in list order; going one round
 * down merges the dests of the next weight class into it, and that work
 * is paid back by the picks the bigger round yields.  So a pick is O(1)
 * amortized when no dest is overloaded (IPVS: O(n) per round), and steps
 * over overloaded dests as IPVS does otherwise.
 */
#ifdef __KERNEL__
#include <linux/gcd.h>
#include <linux/slab.h>
#endif
#include <lvs/sched.h>

struct lvs_wrr_node {
	struct lvs_dest		*dest;
	struct lvs_wrr_node	*lnext;	/* members of the current round */
	struct lvs_wrr_node	*wnext;	/* weight > 0, heaviest first */
	u32			rank;	/* position in svc->destinations */
	int			weight;	/* as of the last rebuild */
};

struct lvs_wrr_state {
	int			di, mw, cw;
	struct lvs_wrr_node	*lhead;	/* round cw, in list order */
	struct lvs_wrr_node	*cur;	/* last pick in the round; NULL: head */
	struct lvs_wrr_node	*whead;	/* by weight, then list order */
	struct lvs_wrr_node	*wrest;	/* first of whead not in the round */
};

/* Stable merge of two lists linked by wnext: heavier first. */
static struct lvs_wrr_node *lvs_wrr_wmerge(struct lvs_wrr_node *a,
					   struct lvs_wrr_node *b)
{
	struct lvs_wrr_node head, *t = &head;

	while (a && b) {
		if (b->weight > a->weight) {
			t->wnext = b;
			b = b->wnext;
		} else {
			t->wnext = a;
			a = a->wnext;
		}
		t = t->wnext;
	}
	t->wnext = a ? a : b;
	return head.wnext;
}

static struct lvs_wrr_node *lvs_wrr_wsort(struct lvs_wrr_node *list, u32 n)
{
	struct lvs_wrr_node *mid, *p;
	u32 i;

	if (n < 2)
		return list;
	for (p = list, i = 1; i < n / 2; i++)
		p = p->wnext;
	mid = p->wnext;
	p->wnext = NULL;
	return lvs_wrr_wmerge(lvs_wrr_wsort(list, n / 2),
			      lvs_wrr_wsort(mid, n - n / 2));
}

/* Merge @run (list order, linked by wnext, @len long) into the round. */
static void lvs_wrr_merge_round(struct lvs_wrr_state *st,
				struct lvs_wrr_node *run, u32 len)
{
	struct lvs_wrr_node head, *t = &head, *a = st->lhead;

	while (a && len) {
		if (run->rank < a->rank) {
			t->lnext = run;
			run = run->wnext;
			len--;
		} else {
			t->lnext = a;
			a = a->lnext;
		}
		t = t->lnext;
	}
	if (a) {
		t->lnext = a;
	} else {
		for (; len; len--, run = run->wnext) {
			t->lnext = run;
			t = run;
		}
		t->lnext = NULL;
	}
	st->lhead = head.lnext;
}

/*
 * Add the dests whose weight reaches st->cw to the round, one weight
 * class (a run in list order) at a time.  Going one round down adds a
 * single class, since every weight > 0 is a multiple of di.
 */
static void lvs_wrr_grow_round(struct lvs_wrr_state *st)
{
	struct lvs_wrr_node *run, *p;
	u32 len;

	while (st->wrest && st->wrest->weight >= st->cw) {
		run = st->wrest;
		for (p = run, len = 0; p && p->weight == run->weight; len++)
			p = p->wnext;
		st->wrest = p;
		lvs_wrr_merge_round(st, run, len);
	}
}

static void lvs_wrr_top_round(struct lvs_wrr_state *st)
{
	st->cw = st->mw;
	st->lhead = NULL;
	st->wrest = st->whead;
	lvs_wrr_grow_round(st);
	st->cur = NULL;
}

/*
 * The weight order: dests with weight > 0, heaviest first, list order
 * within a weight.  Services have few distinct weights, so the dests are
 * dealt into per-weight runs (O(n) for up to LVS_WRR_CLASSES weights) and
 * the runs sorted; with more weights, a merge sort of the whole list.
 */
#define LVS_WRR_CLASSES	16

struct lvs_wrr_class {
	int			weight;
	struct lvs_wrr_node	*head, **tail;
};

static struct lvs_wrr_node *lvs_wrr_order(struct lvs_service *svc, int cw,
					   struct lvs_wrr_node **rest)
{
	struct lvs_wrr_class cls[LVS_WRR_CLASSES], t;
	struct lvs_wrr_node *node, *list = NULL, **tail = &list;
	struct lvs_dest *dest;
	int i, j, ncls = 0;
	u32 n = 0;

	list_for_each_entry(dest, &svc->destinations, n_list) {
		node = dest->sched_data;
		if (!node || node->weight <= 0)
			continue;
		for (i = 0; i < ncls && cls[i].weight != node->weight; i++)
			;
		if (i == ncls) {
			if (ncls == LVS_WRR_CLASSES)
				goto many;
			cls[ncls].weight = node->weight;
			cls[ncls].head = NULL;
			cls[ncls].tail = &cls[ncls].head;
			ncls++;
		}
		*cls[i].tail = node;
		cls[i].tail = &node->wnext;
	}
	for (i = 1; i < ncls; i++) {
		t = cls[i];
		for (j = i; j > 0 && cls[j - 1].weight < t.weight; j--)
			cls[j] = cls[j - 1];
		cls[j] = t;
	}
	*rest = NULL;
	for (i = 0; i < ncls; i++) {
		*tail = cls[i].head;
		tail = cls[i].tail;
		if (!*rest && cls[i].weight < cw)
			*rest = cls[i].head;
	}
	*tail = NULL;
	return list;

many:
	list_for_each_entry(dest, &svc->destinations, n_list) {
		node = dest->sched_data;
		if (!node || node->weight <= 0)
			continue;
		*tail = node;
		tail = &node->wnext;
		n++;
	}
	*tail = NULL;
	list = lvs_wrr_wsort(list, n);
	for (node = list; node && node->weight >= cw; node = node->wnext)
		;
	*rest = node;
	return list;
}

/*
 * IPVS's dest_changed: recompute di and mw, put the cursor at the head
 * and realign cw; then rebuild the weight order and the current round.
 * O(n), as IPVS's own walks for the gcd and the largest weight.
 */
static void lvs_wrr_rebuild(struct lvs_service *svc, struct lvs_wrr_state *st)
{
	struct lvs_wrr_node *node, **tail;
	struct lvs_dest *dest;
	int w, maxw = 0, g = 0;
	u32 rank = 0;

	list_for_each_entry(dest, &svc->destinations, n_list) {
		w = atomic_read(&dest->weight);
		if (w > maxw)
			maxw = w;
		node = dest->sched_data;
		if (!node)
			continue;
		node->rank = rank++;
		node->weight = w;
		/* Once the gcd is 1 it stays 1: skip the divisions. */
		if (w > 0 && w != g && g != 1)
			g = g ? (int)gcd(w, g) : w;
	}

	st->di = g ? g : 1;
	st->mw = maxw - (st->di - 1);
	if (st->cw > st->mw || !st->cw)
		st->cw = st->mw;
	else if (st->di > 1)
		st->cw = (st->cw / st->di) * st->di + 1;

	/* The round of cw: the dests reaching it, in list order. */
	st->whead = lvs_wrr_order(svc, st->cw, &st->wrest);
	st->lhead = NULL;
	tail = &st->lhead;
	list_for_each_entry(dest, &svc->destinations, n_list) {
		node = dest->sched_data;
		if (node && node->weight > 0 && node->weight >= st->cw) {
			*tail = node;
			tail = &node->lnext;
		}
	}
	*tail = NULL;
	st->cur = NULL;
}

static int lvs_wrr_add_node(struct lvs_dest *dest, gfp_t gfp)
{
	struct lvs_wrr_node *node;

	if (dest->sched_data)
		return 0;
	node = kzalloc(sizeof(*node), gfp);
	if (!node)
		return -ENOMEM;
	node->dest = dest;
	dest->sched_data = node;
	return 0;
}

static void lvs_wrr_free_nodes(struct lvs_service *svc)
{
	struct lvs_dest *dest;

	list_for_each_entry(dest, &svc->destinations, n_list) {
		kfree(dest->sched_data);
		dest->sched_data = NULL;
	}
}

static int lvs_wrr_init_service(struct lvs_service *svc)
{
	struct lvs_wrr_state *st;
	struct lvs_dest *dest;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	list_for_each_entry(dest, &svc->destinations, n_list) {
		if (lvs_wrr_add_node(dest, GFP_KERNEL)) {
			lvs_wrr_free_nodes(svc);
			kfree(st);
			return -ENOMEM;
		}
	}
	lvs_wrr_rebuild(svc, st);
	svc->sched_data = st;
	return 0;
}

static void lvs_wrr_done_service(struct lvs_service *svc)
{
	struct lvs_wrr_state *st;

	spin_lock_bh(&svc->sched_lock);
	st = svc->sched_data;
	svc->sched_data = NULL;
	lvs_wrr_free_nodes(svc);
	spin_unlock_bh(&svc->sched_lock);
	kfree(st);
}

static int lvs_wrr_add_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_wrr_state *st;
	int ret;

	spin_lock_bh(&svc->sched_lock);
	ret = lvs_wrr_add_node(dest, GFP_ATOMIC);
	st = svc->sched_data;
	if (st)
		lvs_wrr_rebuild(svc, st);
	spin_unlock_bh(&svc->sched_lock);
	return ret;
}

static int lvs_wrr_del_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_wrr_state *st;

	spin_lock_bh(&svc->sched_lock);
	kfree(dest->sched_data);
	dest->sched_data = NULL;
	st = svc->sched_data;
	if (st)
		lvs_wrr_rebuild(svc, st);
	spin_unlock_bh(&svc->sched_lock);
	return 0;
}

static int lvs_wrr_upd_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_wrr_state *st;

	spin_lock_bh(&svc->sched_lock);
	st = svc->sched_data;
	if (st)
		lvs_wrr_rebuild(svc, st);
	spin_unlock_bh(&svc->sched_lock);
	return 0;
}

static bool lvs_wrr_usable(const struct lvs_wrr_node *node)
{
	return !lvs_dest_overloaded(node->dest) &&
	       atomic_read(&node->dest->weight) > 0;
}

static struct lvs_dest *lvs_wrr_schedule(struct lvs_service *svc,
					 const struct lvs_pkt *pkt)
{
	struct lvs_wrr_node *start_cur, *node;
	struct lvs_dest *dest = NULL;
	struct lvs_wrr_state *st;
	bool from_head;
	int start_cw;

	spin_lock_bh(&svc->sched_lock);
	st = svc->sched_data;
	if (!st || st->mw <= 0)
		goto out;
	start_cur = st->cur;
	start_cw = st->cw;
	for (;;) {
		from_head = !st->cur;
		node = from_head ? st->lhead : st->cur->lnext;
		for (; node; node = node->lnext) {
			if (lvs_wrr_usable(node)) {
				st->cur = node;
				dest = node->dest;
				goto out;
			}
		}
		/*
		 * Every dest with weight > 0 is in the last round: a whole
		 * last round without a usable dest means there is none.
		 */
		if (from_head && st->cw <= st->di)
			break;
		st->cw -= st->di;
		if (st->cw <= 0)
			lvs_wrr_top_round(st);
		else
			lvs_wrr_grow_round(st);
		st->cur = NULL;
	}
	/* All overloaded: leave the state where IPVS's walk leaves it. */
	if (start_cur && start_cw <= st->di) {
		st->cur = start_cur;
		st->cw = start_cw;
	} else {
		lvs_wrr_top_round(st);
	}
out:
	spin_unlock_bh(&svc->sched_lock);
	return dest;
}

static struct lvs_sched_ops lvs_wrr_ops = {
	.name		= "wrr",
	.owner		= THIS_MODULE,
	.init_service	= lvs_wrr_init_service,
	.done_service	= lvs_wrr_done_service,
	.add_dest	= lvs_wrr_add_dest,
	.del_dest	= lvs_wrr_del_dest,
	.upd_dest	= lvs_wrr_upd_dest,
	.schedule	= lvs_wrr_schedule,
};

static int __init lvs_wrr_init(void)
{
	return lvs_register_scheduler(&lvs_wrr_ops);
}

static void __exit lvs_wrr_exit(void)
{
	lvs_unregister_scheduler(&lvs_wrr_ops);
	synchronize_rcu();
}

module_init(lvs_wrr_init);
module_exit(lvs_wrr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs weighted round-robin scheduler");
