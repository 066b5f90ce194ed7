/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvs_core.h - definitions private to lvs.ko.
 *
 * Object model and lifetimes (see also docs/kmod.md):
 *
 *  lvs_svc    a virtual service; embeds the scheduler-visible struct
 *             lvs_service.  Linked in one of its netns' two service hash
 *             tables (RCU).  Refcounted: one reference for the table, one
 *             per real server.  Freed after an RCU grace period.
 *  lvs_rs     a real server; embeds struct lvs_dest.  Linked on
 *             svc->pub.destinations (RCU).  Refcounted: one reference for
 *             the service's list, one per connection or template bound to
 *             it.  Holds a reference on its service, so a connection can
 *             always reach rs->svc.
 *  lvs_conn   a connection or a persistence template.  One global hash
 *             table (size set at load), keyed by (netns, af, protocol,
 *             client address, client port), one node per entry: the
 *             client-to-service lookup and the NAT reply lookup both know
 *             the client's address and port, so they hash to the same
 *             bucket.  Refcounted: one reference for the table, one per
 *             connection it controls (templates).
 *
 * Lock order: lvs_mutex (configuration), then rs->lock or cp->lock, then
 * a bucket lock; a sync daemon's start takes RTNL under lvs_mutex.  The packet path takes only cp->lock, rs->lock and bucket
 * locks, always with bottom halves disabled or in softirq.
 */
#ifndef _LVS_CORE_H
#define _LVS_CORE_H

#include <linux/mutex.h>
#include <linux/netfilter.h>
#include <linux/skbuff.h>
#include <linux/timer.h>
#include <linux/u64_stats_sync.h>
#include <linux/workqueue.h>
#include <net/dst_cache.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <lvs/sched.h>

#define LVS_SVC_TAB_BITS	8
#define LVS_SVC_TAB_SIZE	(1U << LVS_SVC_TAB_BITS)

/* Running totals of one object on one CPU. */
struct lvs_cpu_stats {
	u64_stats_t		conns;
	u64_stats_t		inpkts;
	u64_stats_t		outpkts;
	u64_stats_t		inbytes;
	u64_stats_t		outbytes;
	struct u64_stats_sync	syncp;
};

/* A snapshot: the five totals, or the five rates. */
struct lvs_counters {
	u64	conns;
	u64	inpkts;
	u64	outpkts;
	u64	inbytes;
	u64	outbytes;
};

struct lvs_stats {
	struct lvs_cpu_stats __percpu	*cpu;
	spinlock_t			lock;	/* zero, last, rate */
	struct lvs_counters		zero;	/* totals at the last ZERO */
	struct lvs_counters		last;	/* totals at the last tick */
	struct lvs_counters		rate;	/* per second, scaled << 10 */
};

struct lvs_net;

struct lvs_svc {
	struct lvs_service	pub;		/* what schedulers see */
	struct hlist_node	h_node;		/* svc_tab or fwm_tab */
	struct list_head	trash;		/* deleted dests kept, lvs_mutex */
	struct lvs_net		*ln;
	refcount_t		refcnt;
	struct lvs_sched_ops __rcu *sched;
	unsigned long		timeout;	/* persistence, jiffies */
	__be32			netmask;	/* v4 mask or v6 prefix len */
	struct lvs_stats	stats;
	struct rcu_head		rcu;
};

struct lvs_rs {
	struct lvs_dest		pub;		/* what schedulers see */
	struct lvs_svc		*svc;		/* holds a reference */
	struct list_head	t_list;		/* on svc->trash */
	refcount_t		refcnt;
	spinlock_t		lock;		/* pub.flags writers */
	u8			fwd;		/* enum lvs_fwd_method */
	u8			tun_type;
	u16			tun_flags;
	__be16			tun_port;
	struct dst_cache	dst_cache;	/* route to pub.addr */
	struct lvs_stats	stats;
	struct rcu_head		rcu;
};

static inline struct lvs_svc *to_svc(struct lvs_service *s)
{
	return container_of(s, struct lvs_svc, pub);
}

static inline struct lvs_rs *to_rs(struct lvs_dest *d)
{
	return container_of(d, struct lvs_rs, pub);
}

#define LVS_CONN_F_ABI_MASK	0x0000ffff

/* Timeout of an embryonic entry made while the table is under pressure. */
#define LVS_EMBRYONIC_TIMEOUT	(5 * HZ)

/*
 * Bit numbers in lvs_conn.bits, changed with atomic bit operations: the
 * flags word is written under cp->lock only.
 */
enum {
	LVS_CONN_B_DEAD,	/* expiry has been claimed by someone */
	LVS_CONN_B_HASHED,	/* linked in the table (bucket lock) */
	LVS_CONN_B_CONFIRMED,	/* a reply, or a second client packet */
	LVS_CONN_B_SYNCED,	/* sent to the backup at least once */
};

struct lvs_conn {
	struct hlist_node	c_node;
	possible_net_t		net;
	union nf_inet_addr	caddr;		/* client */
	union nf_inet_addr	vaddr;		/* virtual */
	union nf_inet_addr	daddr;		/* real server */
	__be16			cport;
	__be16			vport;
	__be16			dport;
	u16			af;		/* of caddr and vaddr */
	u16			daf;		/* of daddr */
	u8			protocol;
	u8			state;		/* enum lvs_tcp_state */
	u8			fwd;
	u32			flags;		/* LVS_CONN_F_*, under lock */
	u32			fwmark;		/* fwmark templates only */
	unsigned long		bits;
	unsigned long		last;		/* jiffies, last packet */
	unsigned long		timeout;	/* jiffies, of the state */
	refcount_t		refcnt;
	spinlock_t		lock;		/* state, flags, timer arming */
	struct lvs_conn		*control;	/* our template, holds a ref */
	struct lvs_rs		*rs;		/* holds a reference */
	/* What the sync master last sent of it (sync.c), racy by design. */
	u8			sync_state;
	u8			sync_flags;
	unsigned long		sync_time;
	struct timer_list	timer;
	struct rcu_head		rcu;
};

/* Per network namespace state. */
struct lvs_net {
	struct net		*net;
	unsigned int		num_services;
	bool			hooks_on;
	struct hlist_head	svc_tab[LVS_SVC_TAB_SIZE];
	struct hlist_head	fwm_tab[LVS_SVC_TAB_SIZE];

	bool			defrag6_on;
	u32			gen;		/* config changes, for dumps */

	atomic_t		conn_count;
	u32			conn_max;	/* READ_ONCE */
	atomic64_t		conn_dropped;
	atomic64_t		conn_evicted;	/* embryonic, to make room */
	unsigned int		evict_pos;	/* next bucket to look at */
	/* Timeouts in jiffies, indexed by enum lvs_tcp_state; READ_ONCE. */
	unsigned long		tcp_timeout[LVS_TCP_S_MAX + 1];
	unsigned long		udp_timeout;

	/* Operators' switches, sysctl-style names in docs/kmod.md. */
	u8			expire_nodest_conn;
	u8			expire_quiescent_template;
	u8			sloppy_tcp;
	u8			conn_reuse_mode;

	/* Connection sync daemons (sync.c); changed under lvs_mutex. */
	struct lvs_syncd __rcu	*sync_master;	/* the packet path reads it */
	struct lvs_syncd	*sync_backup;

	struct delayed_work	est_work;	/* rate estimator */
	struct work_struct	hooks_work;	/* hooks off after the last conn */
};

extern unsigned int lvs_net_id;
extern struct mutex lvs_mutex;

static inline struct lvs_net *lvs_net(const struct net *net)
{
	return net_generic(net, lvs_net_id);
}

static inline bool lvs_addr_eq(u16 af, const union nf_inet_addr *a,
			       const union nf_inet_addr *b)
{
	if (af == AF_INET6)
		return ipv6_addr_equal(&a->in6, &b->in6);
	return a->ip == b->ip;
}

static inline unsigned int lvs_addr_len(u16 af)
{
	return af == AF_INET6 ? sizeof(struct in6_addr) : sizeof(__be32);
}

/*
 * A parsed packet.  Offsets are from skb->data (the network header on the
 * hooks we use).
 */
struct lvs_iph {
	u16			af;
	u8			protocol;
	u8			fragment;	/* non-first fragment */
	unsigned int		nh;		/* network header offset */
	unsigned int		len;		/* L4 header offset */
	union nf_inet_addr	saddr;
	union nf_inet_addr	daddr;
	__be16			sport;
	__be16			dport;
};

/* Direction of a packet with respect to its connection. */
enum lvs_dir {
	LVS_DIR_INPUT,		/* client to real server */
	LVS_DIR_OUTPUT,		/* real server to client (NAT only) */
	LVS_DIR_INPUT_ONLY,	/* client to real server, no replies seen */
};

/* main.c */
extern unsigned int lvs_conn_tab_bits;

/* A configuration change: dumps in progress will say so. */
static inline void lvs_gen_bump(struct lvs_net *ln)
{
	WRITE_ONCE(ln->gen, ln->gen + 1);
}

/* sched.c */
struct lvs_sched_ops *lvs_sched_get(const char *name);
void lvs_sched_put(struct lvs_sched_ops *ops);

/* stats.c */
int lvs_stats_init(struct lvs_stats *st);
void lvs_stats_free(struct lvs_stats *st);
void lvs_stats_read(struct lvs_stats *st, struct lvs_counters *sum,
		    struct lvs_counters *rate);
void lvs_stats_zero(struct lvs_stats *st);
void lvs_stats_tick(struct lvs_stats *st);
void lvs_est_init(struct lvs_net *ln);
void lvs_est_kick(struct lvs_net *ln);
void lvs_est_stop(struct lvs_net *ln);

static inline void lvs_stats_in(struct lvs_rs *rs, unsigned int len)
{
	struct lvs_cpu_stats *s;

	s = this_cpu_ptr(rs->stats.cpu);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->inpkts);
	u64_stats_add(&s->inbytes, len);
	u64_stats_update_end(&s->syncp);
	s = this_cpu_ptr(rs->svc->stats.cpu);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->inpkts);
	u64_stats_add(&s->inbytes, len);
	u64_stats_update_end(&s->syncp);
}

static inline void lvs_stats_out(struct lvs_rs *rs, unsigned int len)
{
	struct lvs_cpu_stats *s;

	s = this_cpu_ptr(rs->stats.cpu);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->outpkts);
	u64_stats_add(&s->outbytes, len);
	u64_stats_update_end(&s->syncp);
	s = this_cpu_ptr(rs->svc->stats.cpu);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->outpkts);
	u64_stats_add(&s->outbytes, len);
	u64_stats_update_end(&s->syncp);
}

static inline void lvs_stats_conn(struct lvs_rs *rs)
{
	struct lvs_cpu_stats *s;

	s = this_cpu_ptr(rs->stats.cpu);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->conns);
	u64_stats_update_end(&s->syncp);
	s = this_cpu_ptr(rs->svc->stats.cpu);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->conns);
	u64_stats_update_end(&s->syncp);
}

/* service.c */
struct lvs_svc_key {
	u16			af;
	u16			protocol;
	union nf_inet_addr	addr;
	__be16			port;
	u32			fwmark;
};

struct lvs_svc *lvs_svc_lookup(struct lvs_net *ln,
			       const struct lvs_svc_key *key);
struct lvs_svc *lvs_svc_find(struct lvs_net *ln, u16 af, u8 protocol,
			     const union nf_inet_addr *daddr, __be16 dport,
			     u32 mark);
int lvs_svc_add(struct lvs_net *ln, const struct lvs_svc_key *key,
		struct lvs_sched_ops *sched, u32 flags, u32 timeout,
		__be32 netmask, struct lvs_svc **svcp);
int lvs_svc_edit(struct lvs_svc *svc, struct lvs_sched_ops *sched,
		 u32 flags, u32 mask, u32 timeout, __be32 netmask);
bool lvs_svc_del(struct lvs_svc *svc);
bool lvs_svc_flush(struct lvs_net *ln);
void lvs_svc_settle(struct lvs_net *ln);
void lvs_svc_put(struct lvs_svc *svc);

/* dest.c */
struct lvs_rs_cfg {
	u16			af;
	union nf_inet_addr	addr;
	__be16			port;
	u8			fwd;
	u32			weight;
	u32			u_threshold;
	u32			l_threshold;
	u8			tun_type;
	__be16			tun_port;
	u16			tun_flags;
};

struct lvs_rs *lvs_rs_lookup(struct lvs_svc *svc, u16 af,
			     const union nf_inet_addr *addr, __be16 port);
int lvs_rs_add(struct lvs_svc *svc, const struct lvs_rs_cfg *cfg);
int lvs_rs_edit(struct lvs_rs *rs, const struct lvs_rs_cfg *cfg,
		bool has_fwd);
void lvs_rs_del(struct lvs_rs *rs);
void lvs_rs_trash_sweep(struct lvs_svc *svc, bool all);
void lvs_rs_put(struct lvs_rs *rs);
void lvs_rs_update_overload(struct lvs_rs *rs);

static inline bool lvs_rs_available(const struct lvs_rs *rs)
{
	return READ_ONCE(rs->pub.flags) & LVS_DEST_F_AVAILABLE;
}

/* conn.c */
int lvs_conn_init(void);
void lvs_conn_exit(void);
void lvs_conn_net_init(struct lvs_net *ln);
void lvs_conn_net_flush(struct lvs_net *ln, bool wait);
bool lvs_conn_pressure(const struct lvs_net *ln);
u32 lvs_conn_max_limit(void);
struct lvs_conn *lvs_conn_in_get(struct net *net, const struct lvs_iph *h);
struct lvs_conn *lvs_conn_out_get(struct net *net, const struct lvs_iph *h);
struct lvs_conn *lvs_tmpl_get(struct net *net, u16 af, u8 protocol,
			      const union nf_inet_addr *caddr,
			      const union nf_inet_addr *vaddr, __be16 vport,
			      u32 fwmark);
struct lvs_conn *lvs_conn_new(struct lvs_net *ln, const struct lvs_iph *h,
			      struct lvs_rs *rs, __be16 dport, u32 flags,
			      u32 fwmark, struct lvs_conn *control);
void lvs_conn_set_timeout(struct lvs_conn *cp, unsigned long timeout);
void lvs_conn_expire_now(struct lvs_conn *cp);
void lvs_conn_put(struct lvs_conn *cp);
void lvs_conn_touch(struct lvs_conn *cp);
unsigned int lvs_conn_tab_size(void);
u32 lvs_conn_max_default(void);

typedef int (*lvs_conn_walk_fn)(struct lvs_conn *cp, void *arg);
int lvs_conn_walk(struct net *net, unsigned long *pos, lvs_conn_walk_fn fn,
		  void *arg);

void lvs_conn_sync_update(struct lvs_conn *cp, u8 state, u32 flags,
			  unsigned long left);

/* sync.c: connection sync daemons (docs/sync.md). */
struct lvs_sync_cfg {
	u32			state;		/* LVS_DAEMON_MASTER or _BACKUP */
	char			ifname[IFNAMSIZ];
	u8			syncid;
	u8			ttl;
	u16			maxlen;
	u16			af;		/* the channel's: AF_INET(6) */
	union nf_inet_addr	group;
	__be16			port;
	bool			has_peer;	/* false: multicast */
	union nf_inet_addr	peer;
};

/* Counters, in the order of LVS_DAEMON_ATTR_SENT_PKTS and on. */
enum {
	LVS_SYNC_C_SENT_PKTS,
	LVS_SYNC_C_SENT_CONNS,
	LVS_SYNC_C_RECV_PKTS,
	LVS_SYNC_C_RECV_CONNS,
	LVS_SYNC_C_DROPPED,
	LVS_SYNC_C_BAD,
	LVS_SYNC_C_RESYNCS,
	LVS_SYNC_C_LOST,
	LVS_SYNC_C_GAPS,
	LVS_SYNC_C_MAX
};

/* The smallest datagram: a header and one entry. */
#define LVS_SYNC_MIN_LEN	96

struct lvs_syncd;
int lvs_sync_start(struct lvs_net *ln, const struct lvs_sync_cfg *cfg,
		   struct netlink_ext_ack *extack);
int lvs_sync_stop(struct lvs_net *ln, u32 state);
void lvs_sync_stop_all(struct lvs_net *ln);
int lvs_sync_info(struct lvs_net *ln, u32 state, struct lvs_sync_cfg *cfg,
		  u64 *cnt);
void __lvs_sync_conn(struct lvs_net *ln, struct lvs_conn *cp);

/* The packet path saw @cp: tell the backup if need be.  Under RCU. */
static inline void lvs_sync_conn(struct lvs_net *ln, struct lvs_conn *cp)
{
	if (rcu_access_pointer(ln->sync_master))
		__lvs_sync_conn(ln, cp);
}

/* proto_tcp.c, proto_udp.c */
extern const unsigned long lvs_tcp_default_timeout[LVS_TCP_S_MAX + 1];
#define LVS_UDP_DEFAULT_TIMEOUT	(300 * HZ)

void lvs_tcp_state_transition(struct lvs_conn *cp, enum lvs_dir dir,
			      const struct sk_buff *skb,
			      const struct lvs_iph *h);
bool lvs_tcp_state_active(int state);
bool lvs_tcp_move_counts(struct lvs_conn *cp, int state);
bool lvs_tcp_can_schedule(const struct sk_buff *skb,
			  const struct lvs_iph *h, bool sloppy);
bool lvs_tcp_flags_bad(const struct sk_buff *skb, const struct lvs_iph *h);
int lvs_l4_mangle(struct sk_buff *skb, const struct lvs_iph *h,
		  const union nf_inet_addr *oaddr,
		  const union nf_inet_addr *naddr, __be16 oport,
		  __be16 nport, bool dst);
void lvs_udp_state_transition(struct lvs_conn *cp);

/* core.c */
int lvs_hooks_register(struct lvs_net *ln, u16 af);
void lvs_hooks_unregister(struct lvs_net *ln);
void lvs_hooks_idle(struct lvs_net *ln);
void lvs_hooks_work(struct work_struct *work);
int lvs_fill_iph(u16 af, const struct sk_buff *skb, unsigned int off,
		 struct lvs_iph *h);
void lvs_mask_addr(u16 af, union nf_inet_addr *a, __be32 netmask);

/* xmit.c */
int lvs_xmit(struct net *net, struct sk_buff *skb, struct lvs_conn *cp,
	     const struct lvs_iph *h, bool icmp);

/* icmp.c */
int lvs_icmp_nat_in(struct sk_buff *skb, const struct lvs_conn *cp,
		    const struct lvs_iph *h);
unsigned int lvs_icmp_in(struct net *net, struct sk_buff *skb,
			 const struct lvs_iph *h);
unsigned int lvs_icmp_out(struct net *net, struct sk_buff *skb,
			  const struct lvs_iph *h);

/* genl.c */
int lvs_genl_init(void);
void lvs_genl_exit(void);

#endif /* _LVS_CORE_H */
