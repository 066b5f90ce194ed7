// SPDX-License-Identifier: GPL-2.0
/*
 * service.c - virtual services: two RCU hash tables per namespace, one
 * keyed by (af, protocol, address, port), one by (af, firewall mark).
 *
 * Writers hold lvs_mutex; the packet path looks services up under
 * rcu_read_lock() only.
 */
#include <linux/jhash.h>
#include <linux/hash.h>
#include <linux/slab.h>

#include "lvs_core.h"

static u32 lvs_svc_hash(u16 af, u16 protocol, const union nf_inet_addr *addr,
			__be16 port)
{
	u32 a = (__force u32)addr->ip;

	if (af == AF_INET6)
		a = (__force u32)(addr->ip6[0] ^ addr->ip6[1] ^
				  addr->ip6[2] ^ addr->ip6[3]);
	return jhash_3words(a, (__force u32)port, ((u32)af << 16) | protocol,
			    0) & (LVS_SVC_TAB_SIZE - 1);
}

static u32 lvs_fwm_hash(u16 af, u32 fwmark)
{
	return hash_32(fwmark ^ af, LVS_SVC_TAB_BITS);
}

static struct lvs_svc *lvs_svc_tuple_get(struct lvs_net *ln, u16 af,
					 u16 protocol,
					 const union nf_inet_addr *addr,
					 __be16 port)
{
	u32 h = lvs_svc_hash(af, protocol, addr, port);
	struct lvs_svc *svc;

	hlist_for_each_entry_rcu(svc, &ln->svc_tab[h], h_node,
				 lockdep_is_held(&lvs_mutex)) {
		if (svc->pub.af == af && svc->pub.protocol == protocol &&
		    svc->pub.port == port &&
		    lvs_addr_eq(af, &svc->pub.addr, addr))
			return svc;
	}
	return NULL;
}

static struct lvs_svc *lvs_svc_fwm_get(struct lvs_net *ln, u16 af,
				       u32 fwmark)
{
	struct lvs_svc *svc;

	hlist_for_each_entry_rcu(svc, &ln->fwm_tab[lvs_fwm_hash(af, fwmark)],
				 h_node, lockdep_is_held(&lvs_mutex)) {
		if (svc->pub.af == af && svc->pub.fwmark == fwmark)
			return svc;
	}
	return NULL;
}

/* The service a control request names exactly.  lvs_mutex or RCU. */
struct lvs_svc *lvs_svc_lookup(struct lvs_net *ln,
			       const struct lvs_svc_key *key)
{
	if (key->fwmark)
		return lvs_svc_fwm_get(ln, key->af, key->fwmark);
	return lvs_svc_tuple_get(ln, key->af, key->protocol, &key->addr,
				 key->port);
}

/*
 * The service a packet belongs to, as IPVS picks it: by firewall mark
 * first, then by exact (protocol, address, port), then the address's
 * any-port service.  rcu_read_lock() held.
 */
struct lvs_svc *lvs_svc_find(struct lvs_net *ln, u16 af, u8 protocol,
			     const union nf_inet_addr *daddr, __be16 dport,
			     u32 mark)
{
	struct lvs_svc *svc;

	if (mark) {
		svc = lvs_svc_fwm_get(ln, af, mark);
		if (svc)
			return svc;
	}
	svc = lvs_svc_tuple_get(ln, af, protocol, daddr, dport);
	if (svc)
		return svc;
	return lvs_svc_tuple_get(ln, af, protocol, daddr, 0);
}

static void lvs_svc_free_rcu(struct rcu_head *head)
{
	struct lvs_svc *svc = container_of(head, struct lvs_svc, rcu);

	lvs_stats_free(&svc->stats);
	kfree(svc);
}

void lvs_svc_put(struct lvs_svc *svc)
{
	if (refcount_dec_and_test(&svc->refcnt))
		call_rcu(&svc->rcu, lvs_svc_free_rcu);
}

static unsigned long lvs_persist_jiffies(u32 seconds)
{
	return (unsigned long)seconds * HZ;
}

int lvs_svc_add(struct lvs_net *ln, const struct lvs_svc_key *key,
		struct lvs_sched_ops *sched, u32 flags, u32 timeout,
		__be32 netmask, struct lvs_svc **svcp)
{
	struct lvs_svc *svc;
	int ret;

	lockdep_assert_held(&lvs_mutex);
	svc = kzalloc(sizeof(*svc), GFP_KERNEL);
	if (!svc)
		return -ENOMEM;
	ret = lvs_stats_init(&svc->stats);
	if (ret)
		goto err_free;
	INIT_LIST_HEAD(&svc->pub.destinations);
	INIT_LIST_HEAD(&svc->trash);
	spin_lock_init(&svc->pub.sched_lock);
	svc->pub.af = key->af;
	svc->pub.protocol = key->protocol;
	svc->pub.addr = key->addr;
	svc->pub.port = key->port;
	svc->pub.fwmark = key->fwmark;
	svc->pub.flags = flags & LVS_SVC_F_USER_MASK;
	svc->ln = ln;
	svc->timeout = lvs_persist_jiffies(timeout);
	svc->netmask = netmask;
	refcount_set(&svc->refcnt, 1);

	if (sched->init_service) {
		ret = sched->init_service(&svc->pub);
		if (ret)
			goto err_stats;
	}
	RCU_INIT_POINTER(svc->sched, sched);

	ret = lvs_hooks_register(ln, key->af);
	if (ret)
		goto err_sched;
	WRITE_ONCE(ln->num_services, ln->num_services + 1);
	lvs_est_kick(ln);
	svc->pub.flags |= LVS_SVC_F_HASHED;
	if (key->fwmark)
		hlist_add_head_rcu(&svc->h_node,
				   &ln->fwm_tab[lvs_fwm_hash(key->af,
							      key->fwmark)]);
	else
		hlist_add_head_rcu(&svc->h_node,
				   &ln->svc_tab[lvs_svc_hash(key->af,
							      key->protocol,
							      &key->addr,
							      key->port)]);
	if (svcp)
		*svcp = svc;
	return 0;

err_sched:
	if (sched->done_service)
		sched->done_service(&svc->pub);
err_stats:
	lvs_stats_free(&svc->stats);
err_free:
	kfree(svc);
	return ret;
}

/*
 * Edit a service.  @sched, if not NULL, carries a module reference that
 * this function consumes.  A scheduler change leaves a window of one
 * grace period in which new connections find no scheduler and are
 * refused, as IPVS does.  It is the one configuration change that waits
 * for a grace period under lvs_mutex (IPVS's does too): the old
 * scheduler's schedule() must be gone before the new one's sched_data
 * replaces its own.
 */
int lvs_svc_edit(struct lvs_svc *svc, struct lvs_sched_ops *sched,
		 u32 flags, u32 mask, u32 timeout, __be32 netmask)
{
	struct lvs_sched_ops *old;
	unsigned int f;
	int ret = 0;

	lockdep_assert_held(&lvs_mutex);
	old = rcu_dereference_protected(svc->sched,
					lockdep_is_held(&lvs_mutex));
	if (sched && sched != old) {
		RCU_INIT_POINTER(svc->sched, NULL);
		synchronize_rcu();
		if (old && old->done_service)
			old->done_service(&svc->pub);
		svc->pub.sched_data = NULL;
		if (sched->init_service)
			ret = sched->init_service(&svc->pub);
		if (ret) {
			lvs_sched_put(sched);
			/*
			 * Go back to the old scheduler; should it fail to
			 * come back too, the service schedules nothing.
			 */
			if (old && old->init_service &&
			    old->init_service(&svc->pub)) {
				lvs_sched_put(old);
				return ret;
			}
			rcu_assign_pointer(svc->sched, old);
			return ret;
		}
		rcu_assign_pointer(svc->sched, sched);
		if (old)
			lvs_sched_put(old);
	} else if (sched) {
		lvs_sched_put(sched);
	}

	mask &= LVS_SVC_F_USER_MASK;
	f = (svc->pub.flags & ~mask) | (flags & mask);
	WRITE_ONCE(svc->pub.flags, f);
	WRITE_ONCE(svc->timeout, lvs_persist_jiffies(timeout));
	WRITE_ONCE(svc->netmask, netmask);
	return 0;
}

/*
 * Take a service off its table, its dests off the service and its
 * scheduler off the service, and drop the table's reference, without
 * waiting for a grace period (as IPVS).  CPUs still scheduling on it
 * keep seeing valid memory: the scheduler frees its state by RCU
 * (include/lvs/sched.h) and its module's exit waits for them; a dest it
 * picks has lost its list reference and gets no connection
 * (lvs_conn_new() takes its reference with refcount_inc_not_zero());
 * the service and its dests are freed a grace period after their last
 * reference.
 */
static void lvs_svc_unlink(struct lvs_svc *svc)
{
	struct lvs_net *ln = svc->ln;
	struct lvs_sched_ops *sched;
	struct lvs_dest *d, *n;

	hlist_del_rcu(&svc->h_node);
	svc->pub.flags &= ~LVS_SVC_F_HASHED;
	list_for_each_entry_safe(d, n, &svc->pub.destinations, n_list)
		lvs_rs_del(to_rs(d));
	lvs_rs_trash_sweep(svc, true);
	sched = rcu_dereference_protected(svc->sched,
					  lockdep_is_held(&lvs_mutex));
	RCU_INIT_POINTER(svc->sched, NULL);
	if (sched) {
		if (sched->done_service)
			sched->done_service(&svc->pub);
		svc->pub.sched_data = NULL;
		lvs_sched_put(sched);
	}
	WRITE_ONCE(ln->num_services, ln->num_services - 1);
	lvs_svc_put(svc);
}

/*
 * Delete a service.  lvs_mutex held.  Returns true if it was the
 * namespace's last: the caller then calls lvs_svc_settle() once it has
 * dropped the mutex.
 */
bool lvs_svc_del(struct lvs_svc *svc)
{
	struct lvs_net *ln = svc->ln;

	lockdep_assert_held(&lvs_mutex);
	lvs_svc_unlink(svc);
	return !ln->num_services;
}

/*
 * Delete every service of the namespace.  lvs_mutex held.  Returns true
 * if there was one: the caller then calls lvs_svc_settle() once it has
 * dropped the mutex.
 */
bool lvs_svc_flush(struct lvs_net *ln)
{
	struct hlist_node *n;
	struct lvs_svc *svc;
	bool gone = false;
	unsigned int i;

	lockdep_assert_held(&lvs_mutex);
	for (i = 0; i < LVS_SVC_TAB_SIZE; i++) {
		hlist_for_each_entry_safe(svc, n, &ln->svc_tab[i], h_node) {
			lvs_svc_unlink(svc);
			gone = true;
		}
		hlist_for_each_entry_safe(svc, n, &ln->fwm_tab[i], h_node) {
			lvs_svc_unlink(svc);
			gone = true;
		}
	}
	return gone;
}

/*
 * After the namespace's last service went, without lvs_mutex: wait until
 * no CPU can still be making an entry for one of its services, then take
 * the hooks away unless a new service or entries keep them (the entries'
 * NAT replies need them; the last entry's removal takes them then,
 * lvs_conn_unreserve()).  Process context; the only grace period a
 * deletion waits for, and never under the mutex.
 */
void lvs_svc_settle(struct lvs_net *ln)
{
	/* Also a full barrier, pairing with lvs_conn_unreserve()'s. */
	synchronize_rcu();
	lvs_hooks_idle(ln);
}
