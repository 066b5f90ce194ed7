// SPDX-License-Identifier: GPL-2.0
/*
 * conn.c - the connection table.
 *
 * One table for all namespaces, 2^lvs_conn_tab_bits buckets, fixed at
 * load.  An entry is hashed once, by (netns, af, protocol, client address,
 * client port): a client-to-service packet knows its source, and a NAT
 * reply knows its destination, which is the same client, so both lookups
 * walk one chain.  Templates are hashed the same way with the masked
 * client address and port 0.  Lookups take no lock (RCU); linking and
 * unlinking take one of LVS_CONN_LOCKS bucket locks.
 *
 * Expiry.  Each entry has a timer, but the packet path never touches it:
 * a packet only stores the time it was seen ("last").  When the timer
 * fires it compares last + timeout with now and re-arms itself for the
 * difference, so an entry that sees a million packets re-arms its timer
 * about once per timeout.  A state change to a shorter timeout pulls the
 * timer in with timer_reduce().
 *
 * Death.  Whoever sets LVS_CONN_B_DEAD (under cp->lock) owns the removal:
 * the timer callback, the packet path (expire_now), or a flush.  Once the
 * bit is set nobody re-arms the timer.  Removal unlinks the entry, undoes
 * its counts on the real server and drops the table's reference; memory
 * goes back after a grace period.
 */
#define pr_fmt(fmt) "lvs: " fmt

#include <linux/delay.h>
#include <linux/jhash.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "lvs_core.h"

#define LVS_CONN_LOCKS_BITS	10
#define LVS_CONN_LOCKS		(1U << LVS_CONN_LOCKS_BITS)

static struct hlist_head *lvs_conn_tab __read_mostly;
static unsigned int lvs_conn_tab_mask __read_mostly;
static u32 lvs_conn_rnd __read_mostly;
static struct kmem_cache *lvs_conn_cachep __read_mostly;
static spinlock_t lvs_conn_locks[LVS_CONN_LOCKS];

unsigned int lvs_conn_tab_size(void)
{
	return lvs_conn_tab_mask + 1;
}

static u32 lvs_conn_hash(const struct net *net, u16 af, u8 protocol,
			 const union nf_inet_addr *addr, __be16 port)
{
	u32 a;

	if (af == AF_INET6)
		a = jhash(addr, sizeof(struct in6_addr), lvs_conn_rnd);
	else
		a = (__force u32)addr->ip;
	return (jhash_3words(a, (__force u32)port, protocol, lvs_conn_rnd) ^
		net_hash_mix(net)) & lvs_conn_tab_mask;
}

static spinlock_t *lvs_conn_lock(u32 hash)
{
	return &lvs_conn_locks[hash & (LVS_CONN_LOCKS - 1)];
}

static u32 lvs_conn_hash_cp(const struct lvs_conn *cp)
{
	return lvs_conn_hash(read_pnet(&cp->net), cp->af, cp->protocol,
			     &cp->caddr, cp->cport);
}

static void lvs_conn_hash_in(struct lvs_conn *cp)
{
	u32 h = lvs_conn_hash_cp(cp);
	spinlock_t *lock = lvs_conn_lock(h);

	spin_lock_bh(lock);
	hlist_add_head_rcu(&cp->c_node, &lvs_conn_tab[h]);
	cp->flags |= LVS_CONN_F_HASHED;
	spin_unlock_bh(lock);
}

static void lvs_conn_unhash(struct lvs_conn *cp)
{
	u32 h = lvs_conn_hash_cp(cp);
	spinlock_t *lock = lvs_conn_lock(h);

	spin_lock_bh(lock);
	if (cp->flags & LVS_CONN_F_HASHED) {
		hlist_del_rcu(&cp->c_node);
		cp->flags &= ~LVS_CONN_F_HASHED;
	}
	spin_unlock_bh(lock);
}

/* A packet from the client: match the client's and the service's ends. */
struct lvs_conn *lvs_conn_in_get(struct net *net, const struct lvs_iph *h)
{
	u32 hash = lvs_conn_hash(net, h->af, h->protocol, &h->saddr,
				 h->sport);
	struct lvs_conn *cp;

	hlist_for_each_entry_rcu(cp, &lvs_conn_tab[hash], c_node) {
		if (cp->cport == h->sport && cp->vport == h->dport &&
		    cp->af == h->af && cp->protocol == h->protocol &&
		    !(cp->flags & LVS_CONN_F_TEMPLATE) &&
		    lvs_addr_eq(h->af, &cp->caddr, &h->saddr) &&
		    lvs_addr_eq(h->af, &cp->vaddr, &h->daddr) &&
		    net_eq(read_pnet(&cp->net), net))
			return cp;
	}
	return NULL;
}

/* A NAT reply from a real server: match the real server's and client's. */
struct lvs_conn *lvs_conn_out_get(struct net *net, const struct lvs_iph *h)
{
	u32 hash = lvs_conn_hash(net, h->af, h->protocol, &h->daddr,
				 h->dport);
	struct lvs_conn *cp;

	hlist_for_each_entry_rcu(cp, &lvs_conn_tab[hash], c_node) {
		if (cp->cport == h->dport && cp->dport == h->sport &&
		    cp->af == h->af && cp->daf == h->af &&
		    cp->protocol == h->protocol &&
		    cp->fwd == LVS_FWD_MASQ &&
		    !(cp->flags & LVS_CONN_F_TEMPLATE) &&
		    lvs_addr_eq(h->af, &cp->caddr, &h->daddr) &&
		    lvs_addr_eq(h->af, &cp->daddr, &h->saddr) &&
		    net_eq(read_pnet(&cp->net), net))
			return cp;
	}
	return NULL;
}

/*
 * A live persistence template, with a reference the caller drops with
 * lvs_conn_put().  @caddr is already masked.
 */
struct lvs_conn *lvs_tmpl_get(struct net *net, u16 af, u8 protocol,
			      const union nf_inet_addr *caddr,
			      const union nf_inet_addr *vaddr, __be16 vport,
			      u32 fwmark)
{
	u32 hash = lvs_conn_hash(net, af, protocol, caddr, 0);
	struct lvs_conn *cp;

	hlist_for_each_entry_rcu(cp, &lvs_conn_tab[hash], c_node) {
		if ((cp->flags & LVS_CONN_F_TEMPLATE) && cp->af == af &&
		    cp->protocol == protocol && cp->vport == vport &&
		    cp->fwmark == fwmark && !cp->cport &&
		    lvs_addr_eq(af, &cp->caddr, caddr) &&
		    lvs_addr_eq(af, &cp->vaddr, vaddr) &&
		    net_eq(read_pnet(&cp->net), net)) {
			if (test_bit(LVS_CONN_B_DEAD, &cp->bits) ||
			    !refcount_inc_not_zero(&cp->refcnt))
				continue;
			return cp;
		}
	}
	return NULL;
}

static void lvs_conn_free_rcu(struct rcu_head *head)
{
	struct lvs_conn *cp = container_of(head, struct lvs_conn, rcu);

	kmem_cache_free(lvs_conn_cachep, cp);
}

void lvs_conn_put(struct lvs_conn *cp)
{
	if (refcount_dec_and_test(&cp->refcnt))
		call_rcu(&cp->rcu, lvs_conn_free_rcu);
}

static void lvs_rs_load_changed(struct lvs_rs *rs)
{
	struct lvs_sched_ops *sched;

	lvs_rs_update_overload(rs);
	rcu_read_lock();
	sched = rcu_dereference(rs->svc->sched);
	if (sched && sched->load_changed)
		sched->load_changed(&rs->svc->pub, &rs->pub);
	rcu_read_unlock();
}

static void lvs_conn_bind_rs(struct lvs_conn *cp, struct lvs_rs *rs)
{
	refcount_inc(&rs->refcnt);
	cp->rs = rs;
	if (cp->flags & LVS_CONN_F_TEMPLATE) {
		atomic_inc(&rs->pub.persistconns);
		return;
	}
	cp->flags |= LVS_CONN_F_INACTIVE;
	atomic_inc(&rs->pub.inactconns);
	lvs_rs_load_changed(rs);
}

/* Undo the entry's counts on its real server; the reference stays. */
static void lvs_conn_unbind_rs(struct lvs_conn *cp)
{
	struct lvs_rs *rs = cp->rs;

	if (cp->flags & LVS_CONN_F_TEMPLATE) {
		atomic_dec(&rs->pub.persistconns);
		return;
	}
	if (cp->flags & LVS_CONN_F_INACTIVE)
		atomic_dec(&rs->pub.inactconns);
	else
		atomic_dec(&rs->pub.activeconns);
	lvs_rs_load_changed(rs);
}

/* The owner of a dead entry takes it apart. */
static void lvs_conn_kill(struct lvs_conn *cp)
{
	struct lvs_net *ln = lvs_net(read_pnet(&cp->net));

	lvs_conn_unhash(cp);
	lvs_conn_unbind_rs(cp);
	if (cp->control) {
		lvs_conn_put(cp->control);
		cp->control = NULL;
	}
	atomic_dec(&ln->conn_count);
	/* Readers may still hold cp->rs; it outlives them by RCU. */
	lvs_rs_put(cp->rs);
	lvs_conn_put(cp);
}

static void lvs_conn_timer(struct timer_list *t)
{
	struct lvs_conn *cp = from_timer(cp, t, timer);
	unsigned long deadline;

	spin_lock(&cp->lock);
	if (test_bit(LVS_CONN_B_DEAD, &cp->bits)) {
		spin_unlock(&cp->lock);
		return;
	}
	deadline = READ_ONCE(cp->last) + cp->timeout;
	if (time_before(jiffies, deadline)) {
		mod_timer(&cp->timer, deadline);
		spin_unlock(&cp->lock);
		return;
	}
	/* A template lives on while connections it controls do. */
	if (refcount_read(&cp->refcnt) > 1) {
		mod_timer(&cp->timer, jiffies + max(cp->timeout, HZ));
		spin_unlock(&cp->lock);
		return;
	}
	set_bit(LVS_CONN_B_DEAD, &cp->bits);
	spin_unlock(&cp->lock);
	/* A state change may have re-armed us while we waited for the lock. */
	del_timer(&cp->timer);
	lvs_conn_kill(cp);
}

/* Change the timeout of the current state.  cp->lock held. */
void lvs_conn_set_timeout(struct lvs_conn *cp, unsigned long timeout)
{
	cp->timeout = timeout;
	if (!test_bit(LVS_CONN_B_DEAD, &cp->bits))
		timer_reduce(&cp->timer, READ_ONCE(cp->last) + timeout);
}

void lvs_conn_touch(struct lvs_conn *cp)
{
	unsigned long now = jiffies;

	if (READ_ONCE(cp->last) != now)
		WRITE_ONCE(cp->last, now);
}

/* Remove an entry now.  Any context; the caller is under RCU. */
void lvs_conn_expire_now(struct lvs_conn *cp)
{
	bool won;

	spin_lock_bh(&cp->lock);
	won = !test_and_set_bit(LVS_CONN_B_DEAD, &cp->bits);
	spin_unlock_bh(&cp->lock);
	if (!won)
		return;
	del_timer(&cp->timer);
	lvs_conn_kill(cp);
}

/*
 * A new entry for the packet @h (client to service), bound to @rs, or a
 * template when LVS_CONN_F_TEMPLATE is in @flags (then @h carries the
 * masked client address, port 0, and the template's service end).  NULL
 * when the namespace's cap is reached or memory is short: the caller
 * drops the packet.
 */
struct lvs_conn *lvs_conn_new(struct lvs_net *ln, const struct lvs_iph *h,
			      struct lvs_rs *rs, __be16 dport, u32 flags,
			      u32 fwmark, struct lvs_conn *control)
{
	struct lvs_conn *cp;

	if (atomic_inc_return(&ln->conn_count) > READ_ONCE(ln->conn_max))
		goto err_cap;
	cp = kmem_cache_zalloc(lvs_conn_cachep, GFP_ATOMIC | __GFP_NOWARN);
	if (!cp)
		goto err_cap;
	write_pnet(&cp->net, ln->net);
	cp->af = h->af;
	cp->protocol = h->protocol;
	cp->caddr = h->saddr;
	cp->cport = h->sport;
	cp->vaddr = h->daddr;
	cp->vport = h->dport;
	cp->daf = rs->pub.af;
	cp->daddr = rs->pub.addr;
	cp->dport = dport;
	cp->fwd = READ_ONCE(rs->fwd);
	cp->fwmark = fwmark;
	cp->flags = flags & LVS_CONN_F_ABI_MASK;
	if (cp->fwd != LVS_FWD_MASQ)
		cp->flags |= LVS_CONN_F_NO_OUTPUT;
	cp->state = LVS_TCP_S_NONE;
	spin_lock_init(&cp->lock);
	refcount_set(&cp->refcnt, 1);
	if (control) {
		refcount_inc(&control->refcnt);
		cp->control = control;
	}
	lvs_conn_bind_rs(cp, rs);

	cp->last = jiffies;
	if (flags & LVS_CONN_F_TEMPLATE)
		cp->timeout = READ_ONCE(rs->svc->timeout);
	else if (h->protocol == IPPROTO_TCP)
		cp->timeout = READ_ONCE(ln->tcp_timeout[LVS_TCP_S_NONE]);
	else
		cp->timeout = READ_ONCE(ln->udp_timeout);
	timer_setup(&cp->timer, lvs_conn_timer, 0);
	mod_timer(&cp->timer, cp->last + cp->timeout);
	lvs_conn_hash_in(cp);
	return cp;

err_cap:
	atomic_dec(&ln->conn_count);
	atomic64_inc(&ln->conn_dropped);
	return NULL;
}

/* Claim and remove every entry of the namespace.  Process context. */
static void lvs_conn_flush_once(struct lvs_net *ln)
{
	struct net *net = ln->net;
	struct lvs_conn *cp;
	unsigned int i;
	bool won;

	for (i = 0; i <= lvs_conn_tab_mask; i++) {
		rcu_read_lock();
		hlist_for_each_entry_rcu(cp, &lvs_conn_tab[i], c_node) {
			if (!net_eq(read_pnet(&cp->net), net))
				continue;
			spin_lock_bh(&cp->lock);
			won = !test_and_set_bit(LVS_CONN_B_DEAD, &cp->bits);
			spin_unlock_bh(&cp->lock);
			if (!won)
				continue;
			/*
			 * Its callback sees the bit and returns; after
			 * this it can no longer run (module unload).
			 */
			del_timer_sync(&cp->timer);
			lvs_conn_kill(cp);
		}
		rcu_read_unlock();
		if (!(i & 1023))
			cond_resched();
	}
}

/* Remove every entry of the namespace and wait for the stragglers. */
void lvs_conn_net_flush(struct lvs_net *ln)
{
	lvs_conn_flush_once(ln);
	while (atomic_read(&ln->conn_count)) {
		msleep(20);
		lvs_conn_flush_once(ln);
	}
}

/*
 * Call @fn on each entry of @net from bucket pos[0], skipping pos[1]
 * entries of it (a dump resumes there).  Stops when @fn returns non-zero,
 * leaving @pos on the entry that did not fit.
 */
int lvs_conn_walk(struct net *net, unsigned long *pos, lvs_conn_walk_fn fn,
		  void *arg)
{
	struct lvs_conn *cp;
	unsigned long i, idx;
	int ret;

	for (i = pos[0]; i <= lvs_conn_tab_mask; i++) {
		idx = 0;
		rcu_read_lock();
		hlist_for_each_entry_rcu(cp, &lvs_conn_tab[i], c_node) {
			if (!net_eq(read_pnet(&cp->net), net))
				continue;
			if (idx++ < pos[1])
				continue;
			ret = fn(cp, arg);
			if (ret) {
				rcu_read_unlock();
				pos[0] = i;
				pos[1] = idx - 1;
				return ret;
			}
		}
		rcu_read_unlock();
		pos[1] = 0;
	}
	pos[0] = i;
	return 0;
}

/*
 * Default cap: twice the buckets, but no more entries than an eighth of
 * memory holds.
 */
static u32 lvs_conn_default_max(void)
{
	u64 mem_max = ((u64)totalram_pages() << PAGE_SHIFT) / 8 /
		      sizeof(struct lvs_conn);
	u64 max = 2ULL * lvs_conn_tab_size();

	return (u32)clamp_t(u64, min(max, mem_max), 1024, U32_MAX);
}

void lvs_conn_net_init(struct lvs_net *ln)
{
	unsigned int i;

	atomic_set(&ln->conn_count, 0);
	atomic64_set(&ln->conn_dropped, 0);
	ln->conn_max = lvs_conn_default_max();
	for (i = 0; i <= LVS_TCP_S_MAX; i++)
		ln->tcp_timeout[i] = lvs_tcp_default_timeout[i];
	ln->udp_timeout = LVS_UDP_DEFAULT_TIMEOUT;
}

u32 lvs_conn_max_default(void)
{
	return lvs_conn_default_max();
}

int __init lvs_conn_init(void)
{
	unsigned int i, size = 1U << lvs_conn_tab_bits;

	lvs_conn_tab = kvcalloc(size, sizeof(*lvs_conn_tab), GFP_KERNEL);
	if (!lvs_conn_tab)
		return -ENOMEM;
	lvs_conn_tab_mask = size - 1;
	for (i = 0; i < size; i++)
		INIT_HLIST_HEAD(&lvs_conn_tab[i]);
	for (i = 0; i < LVS_CONN_LOCKS; i++)
		spin_lock_init(&lvs_conn_locks[i]);
	lvs_conn_cachep = kmem_cache_create("lvs_conn", sizeof(struct lvs_conn),
					    0, 0, NULL);
	if (!lvs_conn_cachep) {
		kvfree(lvs_conn_tab);
		return -ENOMEM;
	}
	get_random_bytes(&lvs_conn_rnd, sizeof(lvs_conn_rnd));
	return 0;
}

void lvs_conn_exit(void)
{
	kmem_cache_destroy(lvs_conn_cachep);
	kvfree(lvs_conn_tab);
}
