// SPDX-License-Identifier: GPL-2.0
/*
 * dest.c - real servers ("dests") of a service.
 *
 * A dest lives on its service's RCU list while it is AVAILABLE.  Deleting
 * it unlinks it at once; connections still bound to it keep it (and its
 * service) allocated but see it unavailable.  With expire_nodest_conn
 * (the default) their packets are dropped and they are expired on their
 * next packet, letting the client's retry be scheduled again.  Without
 * it, their packets are dropped and they live on to their timeout, and a
 * dest deleted while it has connections is kept on its service's trash
 * list (IPVS's dest trash): adding the same address and port again brings
 * back that very dest, and its connections flow again.  A trashed dest is
 * released once it has no connection left (looked at whenever a dest of
 * the service is added or deleted) or with its service.
 */
#include <linux/slab.h>

#include "lvs_core.h"

struct lvs_rs *lvs_rs_lookup(struct lvs_svc *svc, u16 af,
			     const union nf_inet_addr *addr, __be16 port)
{
	struct lvs_dest *d;

	list_for_each_entry_rcu(d, &svc->pub.destinations, n_list,
				lockdep_is_held(&lvs_mutex)) {
		if (d->af == af && d->port == port &&
		    lvs_addr_eq(af, &d->addr, addr))
			return to_rs(d);
	}
	return NULL;
}

/*
 * Set or clear the overload flag from the connection count, as IPVS:
 * set at u_threshold, cleared at l_threshold or, without one, below
 * three quarters of u_threshold.  Any context.
 */
void lvs_rs_update_overload(struct lvs_rs *rs)
{
	u32 conns, u, l;
	unsigned int f;
	bool over;

	/* The common case, no thresholds: nothing to do, no lock. */
	if (!READ_ONCE(rs->pub.u_threshold) &&
	    !(READ_ONCE(rs->pub.flags) & LVS_DEST_F_OVERLOAD))
		return;
	spin_lock_bh(&rs->lock);
	f = rs->pub.flags;
	u = READ_ONCE(rs->pub.u_threshold);
	l = READ_ONCE(rs->pub.l_threshold);
	conns = atomic_read(&rs->pub.activeconns) +
		atomic_read(&rs->pub.inactconns);
	over = f & LVS_DEST_F_OVERLOAD;
	if (u && conns >= u)
		over = true;
	else if (!u)
		over = false;
	else if (l)
		over = over && conns > l;
	else
		over = over && (u64)conns * 4 >= (u64)u * 3;
	if (over)
		f |= LVS_DEST_F_OVERLOAD;
	else
		f &= ~LVS_DEST_F_OVERLOAD;
	WRITE_ONCE(rs->pub.flags, f);
	spin_unlock_bh(&rs->lock);
}

static void lvs_rs_set_flag(struct lvs_rs *rs, unsigned int flag, bool on)
{
	spin_lock_bh(&rs->lock);
	if (on)
		WRITE_ONCE(rs->pub.flags, rs->pub.flags | flag);
	else
		WRITE_ONCE(rs->pub.flags, rs->pub.flags & ~flag);
	spin_unlock_bh(&rs->lock);
}

static void lvs_rs_free_rcu(struct rcu_head *head)
{
	struct lvs_rs *rs = container_of(head, struct lvs_rs, rcu);

	dst_cache_destroy(&rs->dst_cache);
	lvs_stats_free(&rs->stats);
	lvs_svc_put(rs->svc);
	kfree(rs);
}

void lvs_rs_put(struct lvs_rs *rs)
{
	if (refcount_dec_and_test(&rs->refcnt))
		call_rcu(&rs->rcu, lvs_rs_free_rcu);
}

static void lvs_rs_apply(struct lvs_rs *rs, const struct lvs_rs_cfg *cfg)
{
	atomic_set(&rs->pub.weight, cfg->weight);
	if (cfg->weight)
		atomic_set(&rs->pub.last_weight, cfg->weight);
	WRITE_ONCE(rs->pub.u_threshold, cfg->u_threshold);
	WRITE_ONCE(rs->pub.l_threshold, cfg->l_threshold);
}

/*
 * Release trashed dests that no connection holds any more, or, with
 * @all, every one (the service goes).  lvs_mutex held.
 */
void lvs_rs_trash_sweep(struct lvs_svc *svc, bool all)
{
	struct lvs_rs *rs, *n;

	lockdep_assert_held(&lvs_mutex);
	list_for_each_entry_safe(rs, n, &svc->trash, t_list) {
		if (!all && refcount_read(&rs->refcnt) > 1)
			continue;
		list_del(&rs->t_list);
		lvs_rs_put(rs);
	}
}

/* A trashed dest with this address and port, off the trash list. */
static struct lvs_rs *lvs_rs_trash_take(struct lvs_svc *svc,
					const struct lvs_rs_cfg *cfg)
{
	struct lvs_rs *rs;

	list_for_each_entry(rs, &svc->trash, t_list) {
		if (rs->pub.af == cfg->af && rs->pub.port == cfg->port &&
		    lvs_addr_eq(cfg->af, &rs->pub.addr, &cfg->addr)) {
			/*
			 * Linked again at once, as IPVS does: a reader still
			 * standing on it from its old place goes on from the
			 * head's first entry to the end.  RCU readers only go
			 * forward, so at worst they meet some dests twice,
			 * which no scheduler's walk minds (a minimum, or the
			 * first that qualifies); the memory stays valid.
			 */
			list_del(&rs->t_list);
			return rs;
		}
	}
	return NULL;
}

static struct lvs_rs *lvs_rs_alloc(struct lvs_svc *svc,
				   const struct lvs_rs_cfg *cfg)
{
	struct lvs_rs *rs;

	rs = kzalloc(sizeof(*rs), GFP_KERNEL);
	if (!rs)
		return NULL;
	if (dst_cache_init(&rs->dst_cache, GFP_KERNEL))
		goto err_free;
	if (lvs_stats_init(&rs->stats))
		goto err_dst;
	spin_lock_init(&rs->lock);
	INIT_LIST_HEAD(&rs->t_list);
	refcount_set(&rs->refcnt, 1);
	rs->pub.af = cfg->af;
	rs->pub.addr = cfg->addr;
	rs->pub.port = cfg->port;
	refcount_inc(&svc->refcnt);
	rs->svc = svc;
	return rs;

err_dst:
	dst_cache_destroy(&rs->dst_cache);
err_free:
	kfree(rs);
	return NULL;
}

int lvs_rs_add(struct lvs_svc *svc, const struct lvs_rs_cfg *cfg)
{
	struct lvs_sched_ops *sched;
	struct lvs_rs *rs;
	int ret;

	lockdep_assert_held(&lvs_mutex);
	lvs_rs_trash_sweep(svc, false);
	rs = lvs_rs_trash_take(svc, cfg);
	if (rs) {
		dst_cache_reset(&rs->dst_cache);
	} else {
		rs = lvs_rs_alloc(svc, cfg);
		if (!rs)
			return -ENOMEM;
	}
	WRITE_ONCE(rs->fwd, cfg->fwd);
	WRITE_ONCE(rs->tun_type, cfg->tun_type);
	WRITE_ONCE(rs->tun_port, cfg->tun_port);
	WRITE_ONCE(rs->tun_flags, cfg->tun_flags);
	lvs_rs_apply(rs, cfg);
	lvs_rs_set_flag(rs, LVS_DEST_F_AVAILABLE, true);
	lvs_rs_update_overload(rs);

	/* Newest first, as IPVS: schedulers' tie-breaks depend on it. */
	list_add_rcu(&rs->pub.n_list, &svc->pub.destinations);
	svc->pub.num_dests++;
	sched = rcu_dereference_protected(svc->sched,
					  lockdep_is_held(&lvs_mutex));
	if (sched && sched->add_dest) {
		ret = sched->add_dest(&svc->pub, &rs->pub);
		if (ret)
			goto err_unlink;
	}
	return 0;

err_unlink:
	list_del_rcu(&rs->pub.n_list);
	svc->pub.num_dests--;
	lvs_rs_set_flag(rs, LVS_DEST_F_AVAILABLE, false);
	lvs_rs_put(rs);
	return ret;
}

int lvs_rs_edit(struct lvs_rs *rs, const struct lvs_rs_cfg *cfg,
		bool has_fwd)
{
	struct lvs_svc *svc = rs->svc;
	struct lvs_sched_ops *sched;

	lockdep_assert_held(&lvs_mutex);
	lvs_rs_apply(rs, cfg);
	if (has_fwd) {
		WRITE_ONCE(rs->fwd, cfg->fwd);
		WRITE_ONCE(rs->tun_type, cfg->tun_type);
		WRITE_ONCE(rs->tun_port, cfg->tun_port);
		WRITE_ONCE(rs->tun_flags, cfg->tun_flags);
		dst_cache_reset(&rs->dst_cache);
	}
	lvs_rs_update_overload(rs);
	sched = rcu_dereference_protected(svc->sched,
					  lockdep_is_held(&lvs_mutex));
	if (sched && sched->upd_dest)
		return sched->upd_dest(&svc->pub, &rs->pub);
	return 0;
}

void lvs_rs_del(struct lvs_rs *rs)
{
	struct lvs_svc *svc = rs->svc;
	struct lvs_sched_ops *sched;

	lockdep_assert_held(&lvs_mutex);
	lvs_rs_set_flag(rs, LVS_DEST_F_AVAILABLE, false);
	list_del_rcu(&rs->pub.n_list);
	svc->pub.num_dests--;
	sched = rcu_dereference_protected(svc->sched,
					  lockdep_is_held(&lvs_mutex));
	if (sched && sched->del_dest)
		sched->del_dest(&svc->pub, &rs->pub);
	lvs_rs_trash_sweep(svc, false);
	/* Connections left and expire_nodest_conn off: keep it aside. */
	if (!READ_ONCE(svc->ln->expire_nodest_conn) &&
	    refcount_read(&rs->refcnt) > 1) {
		list_add(&rs->t_list, &svc->trash);
		return;
	}
	lvs_rs_put(rs);
}
