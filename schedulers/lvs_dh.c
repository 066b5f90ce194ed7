// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_dh.c - destination hashing scheduling.
 *
 * Rule (IPVS's dh): a table of 256 buckets is filled round-robin from
 * svc->destinations in list order, one bucket per dest per turn, whatever
 * the weights.  A packet's bucket is hash_32(ntohl(daddr), 8), daddr
 * being the packet's destination address (an IPv6 address XOR-folded to
 * 32 bits).  If that bucket's dest is not available (being deleted), has
 * weight <= 0 or is overloaded the pick fails: dh has no fallback.
 *
 * Cost: the table is rebuilt on every configuration change; a pick is
 * one hash and one load, O(1).
 */
#ifdef __KERNEL__
#include <linux/hash.h>
#include <linux/slab.h>
#endif
#include <lvs/sched.h>

#define LVS_DH_TAB_BITS		8
#define LVS_DH_TAB_SIZE		(1 << LVS_DH_TAB_BITS)

struct lvs_dh_state {
	struct rcu_head		rcu;
	struct lvs_dest		*buckets[LVS_DH_TAB_SIZE];
};

static void lvs_dh_reassign(struct lvs_service *svc, struct lvs_dh_state *s)
{
	struct list_head *p = &svc->destinations;
	int i;

	for (i = 0; i < LVS_DH_TAB_SIZE; i++) {
		if (list_empty(&svc->destinations)) {
			WRITE_ONCE(s->buckets[i], NULL);
			continue;
		}
		if (p == &svc->destinations)
			p = p->next;
		WRITE_ONCE(s->buckets[i], list_entry(p, struct lvs_dest, n_list));
		p = p->next;
	}
}

static int lvs_dh_init_service(struct lvs_service *svc)
{
	struct lvs_dh_state *s;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	lvs_dh_reassign(svc, s);
	svc->sched_data = s;
	return 0;
}

static void lvs_dh_done_service(struct lvs_service *svc)
{
	struct lvs_dh_state *s = svc->sched_data;

	WRITE_ONCE(svc->sched_data, NULL);
	if (s)
		kfree_rcu(s, rcu);
}

static int lvs_dh_dest_changed(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_dh_state *s = svc->sched_data;

	if (s)
		lvs_dh_reassign(svc, s);
	return 0;
}

static struct lvs_dest *lvs_dh_schedule(struct lvs_service *svc,
					const struct lvs_pkt *pkt)
{
	struct lvs_dh_state *s = READ_ONCE(svc->sched_data);
	const union nf_inet_addr *a = &pkt->daddr;
	struct lvs_dest *dest;
	__be32 fold = a->ip;

	if (!s)
		return NULL;
	if (svc->af == AF_INET6)
		fold = a->ip6[0] ^ a->ip6[1] ^ a->ip6[2] ^ a->ip6[3];
	dest = READ_ONCE(s->buckets[hash_32(ntohl(fold), LVS_DH_TAB_BITS)]);
	/* Unavailable: being deleted, the table not yet rebuilt. */
	if (!dest || !(READ_ONCE(dest->flags) & LVS_DEST_F_AVAILABLE) ||
	    atomic_read(&dest->weight) <= 0 || lvs_dest_overloaded(dest))
		return NULL;
	return dest;
}

static struct lvs_sched_ops lvs_dh_ops = {
	.name		= "dh",
	.owner		= THIS_MODULE,
	.init_service	= lvs_dh_init_service,
	.done_service	= lvs_dh_done_service,
	.add_dest	= lvs_dh_dest_changed,
	.del_dest	= lvs_dh_dest_changed,
	.upd_dest	= lvs_dh_dest_changed,
	.schedule	= lvs_dh_schedule,
};

static int __init lvs_dh_init(void)
{
	return lvs_register_scheduler(&lvs_dh_ops);
}

static void __exit lvs_dh_exit(void)
{
	lvs_unregister_scheduler(&lvs_dh_ops);
	synchronize_rcu();
}

module_init(lvs_dh_init);
module_exit(lvs_dh_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs destination hashing scheduler");
