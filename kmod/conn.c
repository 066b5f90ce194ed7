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
 * the timer callback, the packet path (expire_now), an eviction, or a
 * flush.  Once the bit is set nobody re-arms the timer, lookups no longer
 * return the entry, and state changes no longer move its counts (both
 * test the bit under cp->lock), so the owner undoes exactly the counts
 * the entry holds.  Removal unlinks the entry, undoes its counts on the
 * real server and drops the table's reference; memory goes back after a
 * grace period.
 *
 * References found under RCU.  A real server or template reached by a
 * lockless lookup may be losing its last reference on another CPU at that
 * very moment (DEL_DEST drops the list's reference at once): such a
 * reference is only ever taken with refcount_inc_not_zero().  A plain
 * refcount_inc() is used only where the caller already holds one.
 *
 * The cap.  Two limits apply to a new entry: its namespace's conn_max and
 * a global one, an eighth of memory at load, which every namespace's
 * conn_max is also bounded by.  At either limit an embryonic entry of the
 * same namespace (TCP SYN_RECV, UDP without a reply or a second packet)
 * is evicted to make room before the packet is refused, and above three
 * quarters of either limit new embryonic entries get a short timeout:
 * spoofed SYNs cannot keep the table full of themselves.
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
/* Entries of every namespace, and the global limit on them. */
static atomic_t lvs_conn_total = ATOMIC_INIT(0);
static u32 lvs_conn_limit __read_mostly;

/* Buckets an eviction looks at, at least and at most. */
#define LVS_EVICT_SCAN_MIN	64
#define LVS_EVICT_SCAN_MAX	4096

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
	set_bit(LVS_CONN_B_HASHED, &cp->bits);
	spin_unlock_bh(lock);
}

static void lvs_conn_unhash(struct lvs_conn *cp)
{
	u32 h = lvs_conn_hash_cp(cp);
	spinlock_t *lock = lvs_conn_lock(h);

	spin_lock_bh(lock);
	if (test_and_clear_bit(LVS_CONN_B_HASHED, &cp->bits))
		hlist_del_rcu(&cp->c_node);
	spin_unlock_bh(lock);
}

/*
 * A packet from the client: match the client's and the service's ends.
 * A dying entry is skipped: its owner is undoing its counts.
 */
struct lvs_conn *lvs_conn_in_get(struct net *net, const struct lvs_iph *h)
{
	u32 hash = lvs_conn_hash(net, h->af, h->protocol, &h->saddr,
				 h->sport);
	struct lvs_conn *cp;

	hlist_for_each_entry_rcu(cp, &lvs_conn_tab[hash], c_node) {
		if (cp->cport == h->sport && cp->vport == h->dport &&
		    cp->af == h->af && cp->protocol == h->protocol &&
		    !(READ_ONCE(cp->flags) & LVS_CONN_F_TEMPLATE) &&
		    lvs_addr_eq(h->af, &cp->caddr, &h->saddr) &&
		    lvs_addr_eq(h->af, &cp->vaddr, &h->daddr) &&
		    net_eq(read_pnet(&cp->net), net) &&
		    !test_bit(LVS_CONN_B_DEAD, &cp->bits))
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
		    !(READ_ONCE(cp->flags) & LVS_CONN_F_TEMPLATE) &&
		    lvs_addr_eq(h->af, &cp->caddr, &h->daddr) &&
		    lvs_addr_eq(h->af, &cp->daddr, &h->saddr) &&
		    net_eq(read_pnet(&cp->net), net) &&
		    !test_bit(LVS_CONN_B_DEAD, &cp->bits))
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

/* The caller took a reference on @rs for the entry. */
static void lvs_conn_bind_rs(struct lvs_conn *cp, struct lvs_rs *rs)
{
	cp->rs = rs;
	if (cp->flags & LVS_CONN_F_TEMPLATE) {
		atomic_inc(&rs->pub.persistconns);
		return;
	}
	cp->flags |= LVS_CONN_F_INACTIVE;
	atomic_inc(&rs->pub.inactconns);
	lvs_rs_load_changed(rs);
}

/*
 * Undo the entry's counts on its real server; the reference stays.  The
 * entry is DEAD: no state change moves its counts any more, and the flags
 * read under its lock are the final ones.
 */
static void lvs_conn_unbind_rs(struct lvs_conn *cp)
{
	struct lvs_rs *rs = cp->rs;
	u32 flags;

	spin_lock_bh(&cp->lock);
	flags = cp->flags;
	spin_unlock_bh(&cp->lock);
	if (flags & LVS_CONN_F_TEMPLATE) {
		atomic_dec(&rs->pub.persistconns);
		return;
	}
	if (flags & LVS_CONN_F_INACTIVE)
		atomic_dec(&rs->pub.inactconns);
	else
		atomic_dec(&rs->pub.activeconns);
	lvs_rs_load_changed(rs);
}

/* Give back a place taken by lvs_conn_reserve(). */
static void lvs_conn_unreserve(struct lvs_net *ln)
{
	atomic_dec(&lvs_conn_total);
	/*
	 * The last entry of a namespace without services takes the hooks
	 * with it (lvs_svc_release() left them for the entry's replies).
	 * Fully ordered against lvs_svc_release()'s store and load.
	 */
	if (atomic_dec_and_test(&ln->conn_count) &&
	    !READ_ONCE(ln->num_services) && READ_ONCE(ln->hooks_on))
		schedule_work(&ln->hooks_work);
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
	lvs_conn_unreserve(ln);
	/* Readers may still hold cp->rs; it outlives them by RCU. */
	lvs_rs_put(cp->rs);
	lvs_conn_put(cp);
}

/* Claim an entry's removal; true if we won it. */
static bool lvs_conn_claim(struct lvs_conn *cp)
{
	bool won;

	spin_lock_bh(&cp->lock);
	won = !test_and_set_bit(LVS_CONN_B_DEAD, &cp->bits);
	spin_unlock_bh(&cp->lock);
	return won;
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

/*
 * Take the state, flags and remaining lifetime @left (jiffies) a sync
 * master sent for @cp (sync.c), moving its counts as a state change on
 * the packet path would.  BH off, under RCU.  The entry then expires
 * when the master's would, and a packet here extends it by the state's
 * own timeout, as any other.
 */
void lvs_conn_sync_update(struct lvs_conn *cp, u8 state, u32 flags,
			  unsigned long left)
{
	struct lvs_net *ln = lvs_net(read_pnet(&cp->net));
	unsigned long timeout, now = jiffies;
	bool moved = false;

	spin_lock(&cp->lock);
	if (test_bit(LVS_CONN_B_DEAD, &cp->bits)) {
		spin_unlock(&cp->lock);
		return;
	}
	if (cp->flags & LVS_CONN_F_TEMPLATE) {
		cp->flags |= flags & LVS_CONN_F_ASSURED;
		timeout = READ_ONCE(cp->rs->svc->timeout);
	} else if (cp->protocol == IPPROTO_TCP) {
		moved = lvs_tcp_move_counts(cp, state);
		cp->state = state;
		timeout = READ_ONCE(ln->tcp_timeout[state]);
	} else {
		set_bit(LVS_CONN_B_CONFIRMED, &cp->bits);
		timeout = READ_ONCE(ln->udp_timeout);
	}
	timeout = max(timeout, left);
	cp->timeout = timeout;
	WRITE_ONCE(cp->last, now - (timeout - left));
	mod_timer(&cp->timer, now + left);
	spin_unlock(&cp->lock);
	if (moved)
		lvs_rs_load_changed(cp->rs);
}

/* Remove an entry now.  Any context; the caller is under RCU. */
void lvs_conn_expire_now(struct lvs_conn *cp)
{
	if (!lvs_conn_claim(cp))
		return;
	del_timer(&cp->timer);
	lvs_conn_kill(cp);
}

/* Above three quarters of the namespace's cap or of the global one. */
bool lvs_conn_pressure(const struct lvs_net *ln)
{
	return atomic_read(&ln->conn_count) >
	       READ_ONCE(ln->conn_max) / 4 * 3 ||
	       atomic_read(&lvs_conn_total) > lvs_conn_limit / 4 * 3;
}

/* No reply and no second packet yet (UDP), or no handshake (TCP). */
static bool lvs_conn_embryonic(const struct lvs_conn *cp)
{
	if (READ_ONCE(cp->flags) & LVS_CONN_F_TEMPLATE)
		return false;
	if (cp->protocol == IPPROTO_TCP) {
		u8 state = READ_ONCE(cp->state);

		return state == LVS_TCP_S_SYN_RECV || state == LVS_TCP_S_NONE;
	}
	return !test_bit(LVS_CONN_B_CONFIRMED, &cp->bits);
}

/*
 * Make room for one entry of @ln: remove one of its embryonic entries,
 * looking at a bounded number of buckets from where the last eviction
 * stopped (the fewer entries the namespace may have per bucket, the more
 * buckets).  Softirq, under RCU.  True if an entry was removed.
 */
static bool lvs_conn_evict(struct lvs_net *ln)
{
	unsigned int i, b, start, scan, cap = READ_ONCE(ln->conn_max);
	struct net *net = ln->net;
	struct lvs_conn *cp;

	scan = clamp_t(u64, 4ULL * lvs_conn_tab_size() / max(cap, 1U),
		       LVS_EVICT_SCAN_MIN, LVS_EVICT_SCAN_MAX);
	start = READ_ONCE(ln->evict_pos);
	for (i = 0; i < scan; i++) {
		b = (start + i) & lvs_conn_tab_mask;
		hlist_for_each_entry_rcu(cp, &lvs_conn_tab[b], c_node) {
			if (!net_eq(read_pnet(&cp->net), net) ||
			    test_bit(LVS_CONN_B_DEAD, &cp->bits) ||
			    !lvs_conn_embryonic(cp))
				continue;
			spin_lock_bh(&cp->lock);
			/* Still embryonic: the handshake may have ended. */
			if (!lvs_conn_embryonic(cp) ||
			    test_and_set_bit(LVS_CONN_B_DEAD, &cp->bits)) {
				spin_unlock_bh(&cp->lock);
				continue;
			}
			spin_unlock_bh(&cp->lock);
			WRITE_ONCE(ln->evict_pos, b + 1);
			del_timer(&cp->timer);
			lvs_conn_kill(cp);
			atomic64_inc(&ln->conn_evicted);
			return true;
		}
	}
	WRITE_ONCE(ln->evict_pos, start + scan);
	return false;
}

/* A place for a new entry under both caps, evicting if need be. */
static bool lvs_conn_reserve(struct lvs_net *ln)
{
	int tries;

	for (tries = 0; tries < 2; tries++) {
		if (atomic_inc_return(&ln->conn_count) <=
		    READ_ONCE(ln->conn_max)) {
			if (atomic_inc_return(&lvs_conn_total) <= lvs_conn_limit)
				return true;
			atomic_dec(&lvs_conn_total);
		}
		atomic_dec(&ln->conn_count);
		if (tries || !lvs_conn_evict(ln))
			break;
	}
	return false;
}

/*
 * A new entry for the packet @h (client to service), bound to @rs, or a
 * template when LVS_CONN_F_TEMPLATE is in @flags (then @h carries the
 * masked client address, port 0, and the template's service end; the
 * template comes with a reference for the caller).  @rs was found under
 * RCU and may be on its way out: NULL then, and NULL when the caps are
 * reached or memory is short.  The caller drops the packet.
 */
struct lvs_conn *lvs_conn_new(struct lvs_net *ln, const struct lvs_iph *h,
			      struct lvs_rs *rs, __be16 dport, u32 flags,
			      u32 fwmark, struct lvs_conn *control)
{
	struct lvs_conn *cp;

	/* DEL_DEST may have dropped the last reference but ours. */
	if (!refcount_inc_not_zero(&rs->refcnt))
		return NULL;
	if (!lvs_rs_available(rs))
		goto err_rs;
	if (!lvs_conn_reserve(ln))
		goto err_cap;
	cp = kmem_cache_zalloc(lvs_conn_cachep, GFP_ATOMIC | __GFP_NOWARN);
	if (!cp) {
		lvs_conn_unreserve(ln);
		goto err_cap;
	}
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
	/* The table's reference, and the caller's for a template. */
	refcount_set(&cp->refcnt, flags & LVS_CONN_F_TEMPLATE ? 2 : 1);
	if (control) {
		/* The caller holds a reference on @control. */
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
	if (!(flags & LVS_CONN_F_TEMPLATE) && lvs_conn_pressure(ln))
		cp->timeout = min(cp->timeout, LVS_EMBRYONIC_TIMEOUT);
	timer_setup(&cp->timer, lvs_conn_timer, 0);
	mod_timer(&cp->timer, cp->last + cp->timeout);
	lvs_conn_hash_in(cp);
	return cp;

err_cap:
	atomic64_inc(&ln->conn_dropped);
err_rs:
	lvs_rs_put(rs);
	return NULL;
}

/*
 * Claim and remove every entry of the namespace.  Process context, no
 * lock held.  The table is global: a namespace with no entry (the common
 * case at namespace exit) costs nothing, and the walk stops once the
 * namespace's last entry is gone.
 */
static void lvs_conn_flush_once(struct lvs_net *ln)
{
	struct net *net = ln->net;
	struct lvs_conn *cp;
	unsigned int i;

	for (i = 0; i <= lvs_conn_tab_mask; i++) {
		if (!atomic_read(&ln->conn_count))
			break;
		if (!(i & 1023))
			cond_resched();
		/* Most buckets are empty: seeing it needs no RCU section. */
		if (hlist_empty(&lvs_conn_tab[i]))
			continue;
		rcu_read_lock();
		hlist_for_each_entry_rcu(cp, &lvs_conn_tab[i], c_node) {
			if (!net_eq(read_pnet(&cp->net), net))
				continue;
			if (!lvs_conn_claim(cp))
				continue;
			/*
			 * Its callback sees the bit and returns; after
			 * this it can no longer run (module unload).
			 */
			del_timer_sync(&cp->timer);
			lvs_conn_kill(cp);
		}
		rcu_read_unlock();
	}
}

/*
 * Remove every entry of the namespace; with @wait (namespace exit: no
 * entry can be made any more), also wait for the entries other owners
 * were taking apart meanwhile.
 */
void lvs_conn_net_flush(struct lvs_net *ln, bool wait)
{
	lvs_conn_flush_once(ln);
	while (wait && atomic_read(&ln->conn_count)) {
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
		if (!(i & 1023))
			cond_resched();
		if (hlist_empty(&lvs_conn_tab[i])) {
			pos[1] = 0;
			continue;
		}
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
 * Default cap of a namespace: twice the buckets, within the global
 * limit (all namespaces together hold no more entries than an eighth of
 * memory).
 */
static u32 lvs_conn_default_max(void)
{
	return min_t(u64, 2ULL * lvs_conn_tab_size(), lvs_conn_limit);
}

/* The largest cap a namespace may be given. */
u32 lvs_conn_max_limit(void)
{
	return lvs_conn_limit;
}

void lvs_conn_net_init(struct lvs_net *ln)
{
	unsigned int i;

	atomic_set(&ln->conn_count, 0);
	atomic64_set(&ln->conn_dropped, 0);
	atomic64_set(&ln->conn_evicted, 0);
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
	lvs_conn_limit = clamp_t(u64, ((u64)totalram_pages() << PAGE_SHIFT) /
				 8 / sizeof(struct lvs_conn), 1024, INT_MAX);
	return 0;
}

void lvs_conn_exit(void)
{
	kmem_cache_destroy(lvs_conn_cachep);
	kvfree(lvs_conn_tab);
}
