// SPDX-License-Identifier: GPL-2.0
/*
 * lvs_mh.c - Maglev hashing scheduling.
 *
 * Rule (IPVS's mh, so a migrated service maps clients the same way): a
 * lookup table of M slots, M prime (module parameter tab_size, one of
 * 251 509 1021 2039 4093 8191 16381 32749 65521 131071; 4093 by default
 * as IPVS's CONFIG_IP_VS_MH_TAB_INDEX=12).  Hashes are hsiphash of a u32
 * with IPVS's two fixed keys.  For each dest, in svc->destinations order,
 *	offset = h1(addr, port) % M, skip = h2(addr, port) % (M - 1) + 1
 * and its preference list is offset, offset + skip, ... (mod M).  With g
 * the gcd of the last weights > 0 and rshift = max(0, fls(maxlw / g) -
 * bits), bits = (index of M, 8..17) / 2, a dest gets
 *	turns = (last_weight / g) >> rshift, or 1 if that is 0 and
 *	last_weight != 0.
 * The table is filled in rounds over the list: each dest with turns > 0
 * takes, turns times, the next free slot of its preference list.  The
 * last weight (not the weight) is used, so a quiesced dest keeps its
 * slots and the pick is refused instead.  A client's slot is
 * h1(port + ntohl(addr)) % M, addr the client address (IPv6 folded by
 * XOR), port the client port with mh-port (LVS_SVC_F_SCHED2), else 0.
 * If that dest has weight <= 0 or is overloaded the pick fails, or with
 * mh-fallback (LVS_SVC_F_SCHED1) tries slot h1(roff + key) % M for
 * roff = (bucket + i) % M, i = 0..M-1, taking the first available.
 *
 * Cost: O(M + n) per configuration change, one hash per pick.  Removing
 * one of N dests moves about 1/N of the clients (Maglev's property).
 */
#ifdef __KERNEL__
#include <linux/bitops.h>
#include <linux/gcd.h>
#include <linux/moduleparam.h>
#include <linux/siphash.h>
#include <linux/slab.h>
#endif
#include <lvs/sched.h>

static const unsigned int lvs_mh_primes[] = {
	251, 509, 1021, 2039, 4093, 8191, 16381, 32749, 65521, 131071
};

static unsigned int tab_size = 4093;
module_param(tab_size, uint, 0444);
MODULE_PARM_DESC(tab_size, "lookup table size, a prime from 251 to 131071");

struct lvs_mh_node {
	unsigned int	offset;
	unsigned int	skip;
	unsigned int	perm;
	int		turns;
};

struct lvs_mh_state {
	struct rcu_head		rcu;
	struct lvs_dest		**lookup;
	unsigned long		*used;	/* bitmap of filled slots */
	unsigned int		size;
	unsigned int		bits;
	hsiphash_key_t		hash1, hash2;
};

static bool lvs_mh_unavailable(const struct lvs_dest *dest)
{
	return atomic_read(&dest->weight) <= 0 || lvs_dest_overloaded(dest);
}

static u32 lvs_mh_fold(u16 af, const union nf_inet_addr *addr)
{
	__be32 fold = addr->ip;

	if (af == AF_INET6)
		fold = addr->ip6[0] ^ addr->ip6[1] ^ addr->ip6[2] ^
		       addr->ip6[3];
	return ntohl(fold);
}

static u32 lvs_mh_hash(u32 v, const hsiphash_key_t *key)
{
	return hsiphash(&v, sizeof(v), key);
}

static bool lvs_mh_test_and_set(unsigned long *map, unsigned int bit)
{
	unsigned long mask = 1UL << (bit % BITS_PER_LONG);
	unsigned long *w = &map[bit / BITS_PER_LONG];
	bool was = *w & mask;

	*w |= mask;
	return was;
}

/* Build the lookup table from svc->destinations. */
static int lvs_mh_populate(struct lvs_service *svc, struct lvs_mh_state *s)
{
	unsigned int m = s->size, n, i;
	int lw, g = 0, maxlw = 0, rshift, count;
	struct lvs_mh_node *nd;
	struct lvs_dest *dest;
	u32 key;

	/* A dest whose node could not be allocated takes no slot. */
	i = 0;
	list_for_each_entry(dest, &svc->destinations, n_list) {
		if (!dest->sched_data)
			continue;
		lw = atomic_read(&dest->last_weight);
		if (lw > 0) {
			g = g ? (int)gcd(lw, g) : lw;
			maxlw = max(maxlw, lw);
		}
		i++;
	}
	if (i > m)
		return -EINVAL;
	if (g < 1) {
		for (i = 0; i < m; i++)
			WRITE_ONCE(s->lookup[i], NULL);
		return 0;
	}
	rshift = max(fls(maxlw / g) - (int)s->bits, 0);

	list_for_each_entry(dest, &svc->destinations, n_list) {
		nd = dest->sched_data;
		if (!nd)
			continue;
		key = lvs_mh_fold(svc->af, &dest->addr) + ntohs(dest->port);
		nd->offset = lvs_mh_hash(key, &s->hash1) % m;
		nd->skip = lvs_mh_hash(key, &s->hash2) % (m - 1) + 1;
		nd->perm = nd->offset;
		lw = atomic_read(&dest->last_weight);
		nd->turns = (lw / g) >> rshift;
		if (!nd->turns)
			nd->turns = lw != 0;
	}

	memset(s->used, 0, BITS_TO_LONGS(m) * sizeof(unsigned long));
	n = 0;
	while (n < m) {
		list_for_each_entry(dest, &svc->destinations, n_list) {
			nd = dest->sched_data;
			for (count = 0; nd && count < nd->turns; count++) {
				while (lvs_mh_test_and_set(s->used, nd->perm)) {
					nd->perm += nd->skip;
					if (nd->perm >= m)
						nd->perm -= m;
				}
				WRITE_ONCE(s->lookup[nd->perm], dest);
				if (++n == m)
					return 0;
			}
		}
	}
	return 0;
}

static int lvs_mh_add_node(struct lvs_dest *dest, gfp_t gfp)
{
	if (dest->sched_data)
		return 0;
	dest->sched_data = kzalloc(sizeof(struct lvs_mh_node), gfp);
	return dest->sched_data ? 0 : -ENOMEM;
}

static void lvs_mh_free(struct lvs_service *svc, struct lvs_mh_state *s)
{
	struct lvs_dest *dest;

	list_for_each_entry(dest, &svc->destinations, n_list) {
		kfree(dest->sched_data);
		dest->sched_data = NULL;
	}
	kvfree(s->lookup);
	kfree(s->used);
}

static int lvs_mh_init_service(struct lvs_service *svc)
{
	struct lvs_mh_state *s;
	struct lvs_dest *dest;
	unsigned int i;
	int ret = -ENOMEM;

	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->size = tab_size;
	for (i = 0; i < ARRAY_SIZE(lvs_mh_primes); i++)
		if (lvs_mh_primes[i] == s->size)
			s->bits = (i + 8) / 2;
	/* Same fixed keys as IPVS, so clients land where they did. */
	s->hash1.key[0] = 2654435761UL;
	s->hash1.key[1] = 2654435761UL;
	s->hash2.key[0] = 2654446892UL;
	s->hash2.key[1] = 2654446892UL;
	s->lookup = kvcalloc(s->size, sizeof(*s->lookup), GFP_KERNEL);
	s->used = kcalloc(BITS_TO_LONGS(s->size), sizeof(unsigned long),
			  GFP_KERNEL);
	if (!s->lookup || !s->used)
		goto err;
	list_for_each_entry(dest, &svc->destinations, n_list)
		if (lvs_mh_add_node(dest, GFP_KERNEL))
			goto err;
	ret = lvs_mh_populate(svc, s);
	if (ret)
		goto err;
	svc->sched_data = s;
	return 0;
err:
	lvs_mh_free(svc, s);
	kfree(s);
	return ret;
}

static void lvs_mh_state_free(struct rcu_head *head)
{
	struct lvs_mh_state *s = container_of(head, struct lvs_mh_state, rcu);

	kvfree(s->lookup);
	kfree(s);
}

static void lvs_mh_done_service(struct lvs_service *svc)
{
	struct lvs_mh_state *s = svc->sched_data;
	struct lvs_dest *dest;

	WRITE_ONCE(svc->sched_data, NULL);
	list_for_each_entry(dest, &svc->destinations, n_list) {
		kfree(dest->sched_data);
		dest->sched_data = NULL;
	}
	if (!s)
		return;
	kfree(s->used);
	/* schedule() may still be reading the lookup table. */
	call_rcu(&s->rcu, lvs_mh_state_free);
}

static int lvs_mh_add_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_mh_state *s = svc->sched_data;
	int ret = lvs_mh_add_node(dest, GFP_ATOMIC);

	if (ret || !s)
		return ret;
	ret = lvs_mh_populate(svc, s);
	if (ret) {
		/* The core unlinks @dest without calling del_dest. */
		kfree(dest->sched_data);
		dest->sched_data = NULL;
	}
	return ret;
}

static int lvs_mh_del_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_mh_state *s = svc->sched_data;

	kfree(dest->sched_data);
	dest->sched_data = NULL;
	return s ? lvs_mh_populate(svc, s) : 0;
}

static int lvs_mh_upd_dest(struct lvs_service *svc, struct lvs_dest *dest)
{
	struct lvs_mh_state *s = svc->sched_data;

	return s ? lvs_mh_populate(svc, s) : 0;
}

static struct lvs_dest *lvs_mh_schedule(struct lvs_service *svc,
					const struct lvs_pkt *pkt)
{
	struct lvs_mh_state *s = READ_ONCE(svc->sched_data);
	unsigned int i, first, m;
	struct lvs_dest *dest;
	u32 key;

	if (!s)
		return NULL;
	m = s->size;
	key = lvs_mh_fold(svc->af, &pkt->saddr);
	if (svc->flags & LVS_SVC_F_SCHED_MH_PORT)
		key += ntohs(pkt->sport);

	first = lvs_mh_hash(key, &s->hash1) % m;
	dest = READ_ONCE(s->lookup[first]);
	if (!dest)
		return NULL;
	if (!lvs_mh_unavailable(dest))
		return dest;
	if (!(svc->flags & LVS_SVC_F_SCHED_MH_FALLBACK))
		return NULL;

	for (i = 0; i < m; i++) {
		u32 roff = (i + first) % m;

		dest = READ_ONCE(s->lookup[lvs_mh_hash(roff + key, &s->hash1) % m]);
		if (!dest)
			break;
		if (!lvs_mh_unavailable(dest))
			return dest;
	}
	return NULL;
}

static struct lvs_sched_ops lvs_mh_ops = {
	.name		= "mh",
	.owner		= THIS_MODULE,
	.init_service	= lvs_mh_init_service,
	.done_service	= lvs_mh_done_service,
	.add_dest	= lvs_mh_add_dest,
	.del_dest	= lvs_mh_del_dest,
	.upd_dest	= lvs_mh_upd_dest,
	.schedule	= lvs_mh_schedule,
};

static int __init lvs_mh_init(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(lvs_mh_primes); i++)
		if (lvs_mh_primes[i] == tab_size)
			return lvs_register_scheduler(&lvs_mh_ops);
	pr_err("lvs_mh: tab_size %u is not one of the allowed primes\n",
	       tab_size);
	return -EINVAL;
}

static void __exit lvs_mh_exit(void)
{
	lvs_unregister_scheduler(&lvs_mh_ops);
	/* CPUs still in lvs_mh_schedule(), then lvs_mh_state_free()s. */
	synchronize_rcu();
	rcu_barrier();
}

module_init(lvs_mh_init);
module_exit(lvs_mh_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("lvs Maglev hashing scheduler");
