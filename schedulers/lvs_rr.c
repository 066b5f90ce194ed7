// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_rr.c - round-robin scheduling.
 *
 * Rule (IPVS's rr): a cursor marks a place in svc->destinations (the head
 * at first).  A pick walks on circularly from the cursor, the cursor's own
 * dest coming last, and takes the first dest that has weight > 0 and is
 * not overloaded; the cursor moves to it.  If none qualifies the pick
 * fails and the cursor stays.  Adding a dest or changing a weight leaves
 * the cursor where it is; deleting the dest under the cursor moves the
 * cursor back to the place just before it, so the next pick is the first
 * usable dest that followed the deleted one.
 *
 * Cost: dests with weight 0 are left out of a ring rebuilt on every
 * configuration change (O(n)), so a pick steps over overloaded dests
 * only: O(1) when none is overloaded, against IPVS's walk over every
 * quiesced dest too.
 */
#ifdef __KERNEL__
#include <linux/slab.h>
#endif
#include <lvs/sched.h>

struct lvs_rr_node {
	struct lvs_rr_node	*next;	/* ring of dests with weight > 0 */
	struct lvs_dest		*dest;
};

struct lvs_rr_state {
	struct lvs_dest		*pos;	/* cursor; NULL: the list head */
	struct lvs_rr_node	*start;	/* first ring member after pos */
	u32			members;
};

/*
 * Relink the ring in list order and find where the cursor's walk starts.
 * Called with svc->sched_lock held, or before the state is published.
 */
static void lvs_rr_rebuild(struct lvs_service *svc, struct lvs_rr_state *st)
{
	struct lvs_rr_node *first = NULL, *last = NULL, *node;
	bool past_pos = !st->pos;
	struct lvs_dest *dest;

	st->start = NULL;
	st->members = 0;
	list_for_each_entry(dest, &svc->destinations, n_list) {
		node = dest->sched_data;
		if (node && atomic_read(&dest->weight) > 0) {
			if (last)
				last->next = node;
			else
				first = node;
			last = node;
			st->members++;
			if (past_pos && !st->start)
				st->start = node;
		}
		if (dest == st->pos)
			past_pos = true;
	}
	if (last)
		last->next = first;
	if (!st->start)
		st->start = first;
}

static int lvs_rr_add_node(struct lvs_dest *dest, gfp_t gfp)
{
	struct lvs_rr_node *node;

	if (dest->sched_data)
		return 0;
	node = kzalloc(sizeof(*node), gfp);
	if (!node)
		return -ENOMEM;
	node->dest = dest;
	dest->sched_data = node;
	return 0;
}

static void lvs_rr_free_nodes(struct lvs_service *svc)
{
	struct lvs_dest *dest;

	list_for_each_entry(dest, &svc->destinations, n_list) {
		kfree(dest->sched_data);
		dest->sched_data = NULL;
	}
}

static int lvs_rr_init_service(struct lvs_service *svc)
{
	struct lvs_rr_state *st;
	struct lvs_dest *dest;

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	list_for_each_entry(dest, &svc->destinations, n_list) {
		if (lvs_rr_add_node(dest, GFP_KERNEL)) {
			lvs_rr_free_nodes(svc);
			kfree(st);
			return -ENOMEM;
		}
	}
	lvs_rr_rebuild(svc, st);
	svc->sched_data = st;
	return 0;
}

static void lvs_rr_done_service(struct lvs_service *svc)
{
	struct lvs_rr_state *st;

	spin_lock_bh(&svc->sched_lock);
	st = svc->sched_data;
	svc->sched_data = NULL;
	lvs_rr_free_nodes(svc);
	spin_unlock_bh(&svc->sched_lock);
	kfree(st);
}

static int lvs_rr_add_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_rr_state *st;
	int ret;

	spin_lock_bh(&svc->sched_lock);
	ret = lvs_rr_add_node(dest, GFP_ATOMIC);
	st = svc->sched_data;
	if (st)
		lvs_rr_rebuild(svc, st);
	spin_unlock_bh(&svc->sched_lock);
	return ret;
}

/* @dest is unlinked already; its n_list.next still leads back in. */
static int lvs_rr_del_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_rr_state *st;

	spin_lock_bh(&svc->sched_lock);
	kfree(dest->sched_data);
	dest->sched_data = NULL;
	st = svc->sched_data;
	if (st) {
		if (st->pos == dest) {
			struct list_head *prev = dest->n_list.next->prev;

			st->pos = prev == &svc->destinations ? NULL :
				  list_entry(prev, struct lvs_dest, n_list);
		}
		lvs_rr_rebuild(svc, st);
	}
	spin_unlock_bh(&svc->sched_lock);
	return 0;
}

static int lvs_rr_upd_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_rr_state *st;

	spin_lock_bh(&svc->sched_lock);
	st = svc->sched_data;
	if (st)
		lvs_rr_rebuild(svc, st);
	spin_unlock_bh(&svc->sched_lock);
	return 0;
}

static struct lvs_dest *lvs_rr_schedule(struct lvs_service *svc,
					const struct lvs_pkt *pkt)
{
	struct lvs_dest *dest = NULL;
	struct lvs_rr_state *st;
	struct lvs_rr_node *node;
	u32 i;

	spin_lock_bh(&svc->sched_lock);
	st = svc->sched_data;
	if (!st || !st->start)
		goto out;
	node = st->start;
	for (i = 0; i < st->members; i++, node = node->next) {
		if (!lvs_dest_overloaded(node->dest) &&
		    atomic_read(&node->dest->weight) > 0) {
			dest = node->dest;
			st->pos = dest;
			st->start = node->next;
			break;
		}
	}
out:
	spin_unlock_bh(&svc->sched_lock);
	return dest;
}

static struct lvs_sched_ops lvs_rr_ops = {
	.name		= "rr",
	.owner		= THIS_MODULE,
	.init_service	= lvs_rr_init_service,
	.done_service	= lvs_rr_done_service,
	.add_dest	= lvs_rr_add_dest,
	.del_dest	= lvs_rr_del_dest,
	.upd_dest	= lvs_rr_upd_dest,
	.schedule	= lvs_rr_schedule,
};

static int __init lvs_rr_init(void)
{
	return lvs_register_scheduler(&lvs_rr_ops);
}

static void __exit lvs_rr_exit(void)
{
	lvs_unregister_scheduler(&lvs_rr_ops);
	synchronize_rcu();
}

module_init(lvs_rr_init);
module_exit(lvs_rr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs round-robin scheduler");
