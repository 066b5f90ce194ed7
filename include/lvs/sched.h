/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sched.h - the contract between the lvs core and its schedulers.
 *
 * A scheduler is one file in schedulers/ with one struct lvs_sched_ops,
 * registered by name; the core never names a scheduler and loads a missing
 * one with request_module("lvs_<name>").
 *
 * The same scheduler source is compiled twice: into its kernel module
 * (with __KERNEL__ defined) and into userspace unit tests, where
 * schedulers/compat/lvs_compat.h supplies the few kernel types and helpers
 * used here.  The core embeds struct lvs_service and struct lvs_dest in
 * its own objects (container_of); a scheduler sees only what is declared
 * here, so the userspace build proves it touches nothing else.
 *
 * Concurrency, as the core guarantees it:
 *  - init_service finds the service's current dests on svc->destinations
 *    (a service can change scheduler while it has dests, as IPVS's
 *    SET_SERVICE does); add_dest is called only for dests added later;
 *  - init_service, done_service, add_dest, del_dest and upd_dest run in
 *    process context under the core's configuration mutex, never
 *    concurrently with each other for one service; they may sleep only in
 *    init_service (GFP_KERNEL allocations);
 *  - schedule runs in softirq context under rcu_read_lock(), concurrently
 *    with itself on other CPUs and with the configuration calls above.  It
 *    must not sleep; it walks svc->destinations with the RCU list helpers
 *    and takes svc->sched_lock (spin_lock_bh) if it has shared state to
 *    update;
 *  - a dest removed from the list stays valid until an RCU grace period
 *    after del_dest, so a pointer read in schedule stays usable;
 *  - load_changed, if set, is called in any context (softirq included)
 *    after a dest's activeconns or inactconns changed;
 *  - when a service is deleted, its dests are del_dest'ed one by one, the
 *    service loses its scheduler, and done_service runs at once, without
 *    waiting for a grace period (as IPVS; a deletion never waits for one
 *    under the configuration mutex): schedule and load_changed calls
 *    that began before may still be running on other CPUs.  So
 *    done_service frees what they may read by RCU (kfree_rcu, or call_rcu
 *    with rcu_barrier() in the module's exit), and what they read under
 *    svc->sched_lock they re-check against svc->sched_data, which
 *    done_service sets to NULL;
 *  - when a live service changes scheduler, the old one's done_service
 *    runs a grace period after the service stopped calling it, so that
 *    its schedule never meets the new scheduler's svc->sched_data;
 *  - a scheduler module's exit calls synchronize_rcu() after
 *    lvs_unregister_scheduler(): a CPU may still be in its schedule after
 *    the last service let go of the module.
 *
 * Order, as IPVS (schedulers depend on it: list order breaks ties):
 *  - add_dest runs after the dest is linked at the head of
 *    svc->destinations; if it fails the dest is unlinked again without
 *    del_dest;
 *  - del_dest runs after list_del_rcu(): dest->n_list.next still leads
 *    back into the list;
 *  - upd_dest runs after the new weight, last_weight and thresholds are
 *    set and LVS_DEST_F_OVERLOAD re-derived;
 *  - load_changed runs under rcu_read_lock(), after LVS_DEST_F_OVERLOAD
 *    was re-derived from the new counts, also for a dest already deleted
 *    (its connections still end); the svc passed is the dest's service;
 *  - init_service may find dests already in the list (the scheduler of a
 *    live service was changed); done_service leaves no dest->sched_data
 *    behind.
 */
#ifndef _LVS_SCHED_H
#define _LVS_SCHED_H

#ifdef __KERNEL__
#include <linux/atomic.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/netfilter.h>
#include <linux/rculist.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#else
#include "lvs_compat.h"
#endif

#include "../uapi/lvs.h"

struct lvs_service;
struct lvs_dest;

/* The part of a packet a scheduler may look at, in network byte order. */
struct lvs_pkt {
	u16			af;		/* AF_INET or AF_INET6 */
	u8			protocol;	/* IPPROTO_TCP, IPPROTO_UDP */
	union nf_inet_addr	saddr;		/* client */
	union nf_inet_addr	daddr;		/* virtual address */
	__be16			sport;		/* client port */
	__be16			dport;		/* virtual port */
};

/* A real server, as seen by a scheduler. */
struct lvs_dest {
	struct list_head	n_list;		/* in svc->destinations, RCU */
	union nf_inet_addr	addr;
	__be16			port;
	u16			af;
	atomic_t		weight;		/* 0: take no new conns */
	atomic_t		last_weight;	/* last weight other than 0 */
	unsigned int		flags;		/* LVS_DEST_F_*, READ_ONCE */
	atomic_t		activeconns;
	atomic_t		inactconns;
	atomic_t		persistconns;
	u32			u_threshold;	/* 0: no limit */
	u32			l_threshold;
	void			*sched_data;	/* owned by the scheduler */
};

/* A virtual service, as seen by a scheduler. */
struct lvs_service {
	struct list_head	destinations;	/* struct lvs_dest, RCU */
	u32			num_dests;
	u16			af;
	u16			protocol;
	union nf_inet_addr	addr;
	__be16			port;
	u32			fwmark;
	unsigned int		flags;		/* LVS_SVC_F_* */
	spinlock_t		sched_lock;	/* for the scheduler's use */
	void			*sched_data;	/* owned by the scheduler */
};

struct lvs_sched_ops {
	const char		*name;		/* "rr"; module is lvs_rr */
	struct module		*owner;
	struct list_head	n_list;		/* core's registry */

	int	(*init_service)(struct lvs_service *svc);
	void	(*done_service)(struct lvs_service *svc);
	int	(*add_dest)(struct lvs_service *svc, struct lvs_dest *dest);
	int	(*del_dest)(struct lvs_service *svc, struct lvs_dest *dest);
	int	(*upd_dest)(struct lvs_service *svc, struct lvs_dest *dest);
	void	(*load_changed)(struct lvs_service *svc, struct lvs_dest *dest);

	/* Pick a dest for a new connection, or NULL if none will do. */
	struct lvs_dest *(*schedule)(struct lvs_service *svc,
				     const struct lvs_pkt *pkt);
};

int lvs_register_scheduler(struct lvs_sched_ops *ops);
void lvs_unregister_scheduler(struct lvs_sched_ops *ops);

/*
 * Overhead of a dest, the load the connection-counting schedulers compare:
 * an active connection costs 256 times an inactive one (IPVS's
 * ip_vs_dest_conn_overhead, upstream form).
 */
static inline unsigned int lvs_dest_conn_overhead(const struct lvs_dest *dest)
{
	return ((unsigned int)atomic_read(&dest->activeconns) << 8) +
	       (unsigned int)atomic_read(&dest->inactconns);
}

static inline bool lvs_dest_overloaded(const struct lvs_dest *dest)
{
	return READ_ONCE(dest->flags) & LVS_DEST_F_OVERLOAD;
}

#endif /* _LVS_SCHED_H */
