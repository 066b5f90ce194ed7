// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_sh.c - source hashing scheduling.
 *
 * Rule (IPVS's sh): a table of 256 buckets is filled from
 * svc->destinations in list order, each dest taking as many consecutive
 * buckets as its weight (1 for weight 0), wrapping round the list until
 * the table is full.  The client's bucket is
 *	hash_32(port + ntohl(addr), 8)
 * where addr is the client address (an IPv6 address XOR-folded to 32
 * bits) and port is the client port with sh-port (LVS_SVC_F_SCHED2), else
 * 0.  A dest with weight 0 or overloaded is unavailable: the pick fails,
 * or with sh-fallback (LVS_SVC_F_SCHED1) tries the buckets
 *	(roff + hash) & 255, roff = (i + bucket) & 255, i = 0..255
 * in turn and takes the first available dest.
 *
 * Cost: the table is rebuilt on every configuration change; a pick is
 * one hash and one load, O(1).
 */
#ifdef __KERNEL__
#include <linux/hash.h>
#include <linux/slab.h>
#endif
#include <lvs/sched.h>

#define LVS_SH_TAB_BITS		8
#define LVS_SH_TAB_SIZE		(1 << LVS_SH_TAB_BITS)
#define LVS_SH_TAB_MASK		(LVS_SH_TAB_SIZE - 1)

struct lvs_sh_state {
	struct rcu_head		rcu;
	struct lvs_dest		*buckets[LVS_SH_TAB_SIZE];
};

static bool lvs_sh_unavailable(const struct lvs_dest *dest)
{
	return atomic_read(&dest->weight) <= 0 || lvs_dest_overloaded(dest);
}

static u32 lvs_sh_fold(u16 af, const union nf_inet_addr *addr)
{
	__be32 fold = addr->ip;

	if (af == AF_INET6)
		fold = addr->ip6[0] ^ addr->ip6[1] ^ addr->ip6[2] ^
		       addr->ip6[3];
	return ntohl(fold);
}

static unsigned int lvs_sh_hashkey(u32 key, unsigned int offset)
{
	return (offset + hash_32(key, LVS_SH_TAB_BITS)) & LVS_SH_TAB_MASK;
}

static void lvs_sh_reassign(struct lvs_service *svc, struct lvs_sh_state *s)
{
	struct list_head *p = &svc->destinations;
	struct lvs_dest *dest;
	int i, count = 0;

	for (i = 0; i < LVS_SH_TAB_SIZE; i++) {
		if (list_empty(&svc->destinations)) {
			WRITE_ONCE(s->buckets[i], NULL);
			continue;
		}
		if (p == &svc->destinations)
			p = p->next;
		dest = list_entry(p, struct lvs_dest, n_list);
		WRITE_ONCE(s->buckets[i], dest);
		if (++count >= atomic_read(&dest->weight)) {
			p = p->next;
			count = 0;
		}
	}
}

static int lvs_sh_init_service(struct lvs_service *svc)
{
	struct lvs_sh_state *s;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	lvs_sh_reassign(svc, s);
	svc->sched_data = s;
	return 0;
}

static void lvs_sh_done_service(struct lvs_service *svc)
{
	struct lvs_sh_state *s = svc->sched_data;

	WRITE_ONCE(svc->sched_data, NULL);
	if (s)
		kfree_rcu(s, rcu);
}

static int lvs_sh_dest_changed(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_sh_state *s = svc->sched_data;

	if (s)
		lvs_sh_reassign(svc, s);
	return 0;
}

static struct lvs_dest *lvs_sh_schedule(struct lvs_service *svc,
					const struct lvs_pkt *pkt)
{
	struct lvs_sh_state *s = READ_ONCE(svc->sched_data);
	unsigned int i, hash, first;
	struct lvs_dest *dest;
	u32 key;

	if (!s)
		return NULL;
	key = lvs_sh_fold(svc->af, &pkt->saddr);
	if (svc->flags & LVS_SVC_F_SCHED_SH_PORT)
		key += ntohs(pkt->sport);

	first = lvs_sh_hashkey(key, 0);
	dest = READ_ONCE(s->buckets[first]);
	if (!dest)
		return NULL;
	if (!lvs_sh_unavailable(dest))
		return dest;
	if (!(svc->flags & LVS_SVC_F_SCHED_SH_FALLBACK))
		return NULL;

	for (i = 0; i < LVS_SH_TAB_SIZE; i++) {
		hash = lvs_sh_hashkey(key, (i + first) & LVS_SH_TAB_MASK);
		dest = READ_ONCE(s->buckets[hash]);
		if (!dest)
			break;
		if (!lvs_sh_unavailable(dest))
			return dest;
	}
	return NULL;
}

static struct lvs_sched_ops lvs_sh_ops = {
	.name		= "sh",
	.owner		= THIS_MODULE,
	.init_service	= lvs_sh_init_service,
	.done_service	= lvs_sh_done_service,
	.add_dest	= lvs_sh_dest_changed,
	.del_dest	= lvs_sh_dest_changed,
	.upd_dest	= lvs_sh_dest_changed,
	.schedule	= lvs_sh_schedule,
};

static int __init lvs_sh_init(void)
{
	return lvs_register_scheduler(&lvs_sh_ops);
}

static void __exit lvs_sh_exit(void)
{
	lvs_unregister_scheduler(&lvs_sh_ops);
	synchronize_rcu();
}

module_init(lvs_sh_init);
module_exit(lvs_sh_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs source hashing scheduler");
