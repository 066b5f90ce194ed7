// SPDX-License-Identifier: GPL-2.0
/*
 * sync.c - connection synchronisation between two directors.
 *
 * The contract, the wire format and the reasons are in docs/sync.md; in
 * short: a master daemon queues every new or changed entry of its
 * namespace (and refreshes long-lived ones) and a kernel thread sends
 * them in datagrams of at most maxlen bytes every 20 ms, over a kernel
 * UDP socket bound to the configured interface, to the multicast group or
 * to the one configured peer.  A backup daemon's thread receives them and
 * installs each entry on its own service and real server, as if its own
 * packet path had made it.  A backup asks for the whole table when it
 * starts (and every second until it has it); the master walks its table
 * and sends it, then an END datagram.
 *
 * Lifetimes.  A daemon (struct lvs_syncd) is made and taken apart under
 * lvs_mutex.  The master is published in ln->sync_master for the packet
 * path (RCU): stopping it unpublishes, waits for a grace period (no CPU
 * can be queueing any more, nor wake its thread), then stops the thread
 * and frees the queue.  A backup is reached only by its thread and under
 * lvs_mutex.  Both threads take no lock but the master's queue lock and
 * what the connection table takes; they never take lvs_mutex, so
 * stopping them under it cannot deadlock.
 *
 * Installing an entry runs in the backup's thread with bottom halves
 * off, under RCU, the way the packet path runs: real servers and
 * templates are found under RCU and referenced with inc_not_zero only
 * (lvs_conn_new(), lvs_tmpl_get()).
 */
#define pr_fmt(fmt) "lvs: " fmt

#include <linux/igmp.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/kthread.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/inet_sock.h>
#include <net/ipv6.h>
#include <net/sock.h>

#include "lvs_core.h"

#define LVS_SYNC_MAGIC		0x4c565353	/* "LVSS" */
#define LVS_SYNC_VERSION	1

enum {
	LVS_SYNC_T_DATA = 1,	/* entries */
	LVS_SYNC_T_REQUEST,	/* backup to master: send the whole table */
	LVS_SYNC_T_END,		/* master: the whole table has been sent */
};

struct lvs_sync_hdr {
	__be32	magic;
	u8	version;
	u8	type;
	u8	syncid;
	u8	count;		/* entries that follow */
	__be32	seq;		/* the sender's datagram number */
};

/* One entry: 84 bytes, addresses always 16 bytes (IPv4 in the first 4). */
struct lvs_sync_entry {
	u8	af;		/* 4 or 6: family of caddr and vaddr */
	u8	daf;		/* 4 or 6: family of daddr */
	u8	protocol;
	u8	state;		/* enum lvs_tcp_state; 0 for UDP, templates */
	u8	fwd;		/* enum lvs_fwd_method on the master */
	u8	pad[3];
	__be32	flags;		/* LVS_CONN_F_TEMPLATE, LVS_CONN_F_ASSURED */
	__be32	fwmark;		/* the entry's (fwmark templates) */
	__be32	svc_fwmark;	/* the service's; 0: named by address */
	__be32	timeout;	/* remaining lifetime, milliseconds */
	__be16	cport;
	__be16	vport;
	__be16	dport;
	__be16	svc_port;	/* the service's port (0: any port) */
	__be16	rs_port;	/* the real server's configured port */
	__be16	pad2;
	u8	caddr[16];
	u8	vaddr[16];
	u8	daddr[16];
};

#define LVS_SYNC_F_MASK		(LVS_CONN_F_TEMPLATE | LVS_CONN_F_ASSURED)
#define LVS_SYNC_RCV_LEN	65536
/* Queued datagrams at most: beyond, entries are counted lost. */
#define LVS_SYNC_MAX_BUFS	4096
/* How often the master sends what it queued. */
#define LVS_SYNC_PERIOD		(HZ / 50)
/* How often a backup without the full table asks for it. */
#define LVS_SYNC_ASK_PERIOD	HZ
/* A backup that missed datagrams asks for the table at most this often. */
#define LVS_SYNC_GAP_PERIOD	(5 * HZ)

struct lvs_sync_buf {
	struct list_head	list;
	unsigned int		len;	/* bytes used, header included */
	unsigned int		count;
	u8			data[];
};

struct lvs_syncd {
	struct lvs_net		*ln;
	struct lvs_sync_cfg	cfg;
	int			ifindex;
	struct socket		*sock;
	struct task_struct	*task;
	u8			*buf;		/* thread's: rx, or a resync tx */
	u32			seq;		/* thread's */
	/* Master: the queue the packet path fills. */
	spinlock_t		lock;
	struct list_head	ready;		/* full datagrams */
	struct lvs_sync_buf	*cur;		/* being filled */
	unsigned int		nbufs;
	/* Backup: has it received a whole table?  Thread's. */
	bool			synced;
	unsigned long		asked;
	/* Backup: the master's last sequence number, a gap seen.  Thread's. */
	bool			have_seq;
	bool			gap;
	u32			rseq;
	union nf_inet_addr	rfrom;
	atomic64_t		cnt[LVS_SYNC_C_MAX];
};

static_assert(sizeof(struct lvs_sync_hdr) == 12);
static_assert(sizeof(struct lvs_sync_entry) == 84);
static_assert(sizeof(struct lvs_sync_hdr) + sizeof(struct lvs_sync_entry) ==
	      LVS_SYNC_MIN_LEN);

static void lvs_sync_count(struct lvs_syncd *sd, int c)
{
	atomic64_inc(&sd->cnt[c]);
}

/* ---- the master's queue (packet path) --------------------------------- */

static struct lvs_sync_buf *lvs_sync_buf_new(struct lvs_syncd *sd, gfp_t gfp)
{
	struct lvs_sync_buf *b;

	b = kmalloc(sizeof(*b) + sd->cfg.maxlen, gfp | __GFP_NOWARN);
	if (!b)
		return NULL;
	b->len = sizeof(struct lvs_sync_hdr);
	b->count = 0;
	return b;
}

static bool lvs_sync_buf_full(const struct lvs_syncd *sd,
			      const struct lvs_sync_buf *b)
{
	return b->len + sizeof(struct lvs_sync_entry) > sd->cfg.maxlen ||
	       b->count == U8_MAX;
}

static void lvs_sync_addr(u8 *dst, u16 af, const union nf_inet_addr *a)
{
	memset(dst, 0, 16);
	memcpy(dst, a, lvs_addr_len(af));
}

/* Describe @cp for the wire.  Under RCU: cp->rs and its service live. */
static void lvs_sync_encode(struct lvs_sync_entry *e, struct lvs_conn *cp,
			    unsigned long now)
{
	struct lvs_rs *rs = cp->rs;
	unsigned long deadline = READ_ONCE(cp->last) + READ_ONCE(cp->timeout);
	unsigned long left = time_after(deadline, now) ? deadline - now : 0;

	memset(e, 0, sizeof(*e));
	e->af = cp->af == AF_INET6 ? 6 : 4;
	e->daf = cp->daf == AF_INET6 ? 6 : 4;
	e->protocol = cp->protocol;
	e->state = READ_ONCE(cp->state);
	e->fwd = cp->fwd;
	e->flags = htonl(READ_ONCE(cp->flags) & LVS_SYNC_F_MASK);
	e->fwmark = htonl(cp->fwmark);
	e->svc_fwmark = htonl(rs->svc->pub.fwmark);
	e->timeout = htonl(min_t(u64, jiffies_to_msecs(left), U32_MAX));
	e->cport = cp->cport;
	e->vport = cp->vport;
	e->dport = cp->dport;
	e->svc_port = rs->svc->pub.port;
	e->rs_port = rs->pub.port;
	lvs_sync_addr(e->caddr, cp->af, &cp->caddr);
	lvs_sync_addr(e->vaddr, cp->af, &cp->vaddr);
	lvs_sync_addr(e->daddr, cp->daf, &cp->daddr);
}

static void lvs_sync_queue(struct lvs_syncd *sd, struct lvs_conn *cp,
			   unsigned long now)
{
	struct lvs_sync_buf *b;
	bool wake = false;

	spin_lock_bh(&sd->lock);
	b = sd->cur;
	if (!b) {
		if (sd->nbufs >= LVS_SYNC_MAX_BUFS)
			goto lost;
		b = lvs_sync_buf_new(sd, GFP_ATOMIC);
		if (!b)
			goto lost;
		sd->cur = b;
		sd->nbufs++;
	}
	lvs_sync_encode((struct lvs_sync_entry *)(b->data + b->len), cp, now);
	b->len += sizeof(struct lvs_sync_entry);
	b->count++;
	if (lvs_sync_buf_full(sd, b)) {
		list_add_tail(&b->list, &sd->ready);
		sd->cur = NULL;
		wake = true;
	}
	spin_unlock_bh(&sd->lock);
	/* The thread outlives every reader of ln->sync_master. */
	if (wake)
		wake_up_process(sd->task);
	return;

lost:
	spin_unlock_bh(&sd->lock);
	lvs_sync_count(sd, LVS_SYNC_C_LOST);
}

/*
 * The packet path saw @cp (under RCU): queue it if it is new to the
 * backup, changed state or flags since it was last sent, or was last sent
 * more than half its timeout ago (the backup's copy would expire while
 * the connection lives on here).  Races between CPUs only send an entry
 * twice.
 */
void __lvs_sync_conn(struct lvs_net *ln, struct lvs_conn *cp)
{
	struct lvs_syncd *sd = rcu_dereference(ln->sync_master);
	u32 flags = READ_ONCE(cp->flags) & LVS_SYNC_F_MASK;
	u8 state = READ_ONCE(cp->state);
	unsigned long now = jiffies;

	if (!sd || (READ_ONCE(cp->flags) & LVS_CONN_F_ONE_PACKET))
		return;
	if (test_bit(LVS_CONN_B_SYNCED, &cp->bits) &&
	    READ_ONCE(cp->sync_state) == state &&
	    READ_ONCE(cp->sync_flags) == flags &&
	    time_before(now, READ_ONCE(cp->sync_time) +
			max(READ_ONCE(cp->timeout) / 2, (unsigned long)HZ)))
		return;
	WRITE_ONCE(cp->sync_state, state);
	WRITE_ONCE(cp->sync_flags, flags);
	WRITE_ONCE(cp->sync_time, now);
	set_bit(LVS_CONN_B_SYNCED, &cp->bits);
	lvs_sync_queue(sd, cp, now);
}

/* ---- sockets ----------------------------------------------------------- */

/* Where datagrams go: the peer, or the group; in @ss, its length. */
static int lvs_sync_dest(const struct lvs_syncd *sd,
			 struct sockaddr_storage *ss)
{
	const union nf_inet_addr *to = sd->cfg.has_peer ? &sd->cfg.peer :
							  &sd->cfg.group;

	memset(ss, 0, sizeof(*ss));
	if (sd->cfg.af == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = sd->cfg.port;
		sin6->sin6_addr = to->in6;
		/* Link-local groups and peers need it; others ignore it. */
		sin6->sin6_scope_id = sd->ifindex;
		return sizeof(*sin6);
	}
	((struct sockaddr_in *)ss)->sin_family = AF_INET;
	((struct sockaddr_in *)ss)->sin_port = sd->cfg.port;
	((struct sockaddr_in *)ss)->sin_addr.s_addr = to->ip;
	return sizeof(struct sockaddr_in);
}

static int lvs_sync_send(struct lvs_syncd *sd, u8 *data, unsigned int len,
			 u8 type, unsigned int count)
{
	struct sockaddr_storage ss;
	struct msghdr msg = {
		.msg_name	= &ss,
		.msg_namelen	= lvs_sync_dest(sd, &ss),
		.msg_flags	= MSG_NOSIGNAL,
	};
	struct lvs_sync_hdr *h = (struct lvs_sync_hdr *)data;
	struct kvec iov = { .iov_base = data, .iov_len = len };
	int ret;

	h->magic = htonl(LVS_SYNC_MAGIC);
	h->version = LVS_SYNC_VERSION;
	h->type = type;
	h->syncid = sd->cfg.syncid;
	h->count = count;
	h->seq = htonl(sd->seq++);
	ret = kernel_sendmsg(sd->sock, &msg, &iov, 1, len);
	if (ret < 0) {
		atomic64_add(count, &sd->cnt[LVS_SYNC_C_LOST]);
		return ret;
	}
	lvs_sync_count(sd, LVS_SYNC_C_SENT_PKTS);
	atomic64_add(count, &sd->cnt[LVS_SYNC_C_SENT_CONNS]);
	return 0;
}

/* Bind to the port on every address of the family; join the group. */
static int lvs_sync_sock_setup(struct lvs_syncd *sd, struct socket *sock)
{
	struct sockaddr_storage ss = { .ss_family = sd->cfg.af };
	struct sock *sk = sock->sk;
	int ret;

	if (sd->cfg.af == AF_INET6) {
		((struct sockaddr_in6 *)&ss)->sin6_port = sd->cfg.port;
		ret = kernel_bind(sock, (struct sockaddr *)&ss,
				  sizeof(struct sockaddr_in6));
	} else {
		((struct sockaddr_in *)&ss)->sin_port = sd->cfg.port;
		ret = kernel_bind(sock, (struct sockaddr *)&ss,
				  sizeof(struct sockaddr_in));
	}
	if (ret)
		return ret;
	/* Joining a group changes the device's list: RTNL, then the socket. */
	rtnl_lock();
	lock_sock(sk);
	if (sd->cfg.af == AF_INET6) {
		struct ipv6_pinfo *np = inet6_sk(sk);

		np->mcast_hops = sd->cfg.ttl;
		np->hop_limit = sd->cfg.ttl;
		np->mc_loop = 0;
		np->mcast_oif = sd->ifindex;
		ret = sd->cfg.has_peer ? 0 :
		      ipv6_sock_mc_join(sk, sd->ifindex, &sd->cfg.group.in6);
	} else {
		struct ip_mreqn mreq = {
			.imr_multiaddr	= { .s_addr = sd->cfg.group.ip },
			.imr_ifindex	= sd->ifindex,
		};

		inet_sk(sk)->mc_ttl = sd->cfg.ttl;
		inet_sk(sk)->uc_ttl = sd->cfg.ttl;
		inet_sk(sk)->mc_loop = 0;
		inet_sk(sk)->mc_index = sd->ifindex;
		ret = sd->cfg.has_peer ? 0 : ip_mc_join_group(sk, &mreq);
	}
	release_sock(sk);
	rtnl_unlock();
	return ret;
}

static int lvs_sync_sock_open(struct lvs_syncd *sd, struct net *net)
{
	struct socket *sock;
	struct sock *sk;
	int ret;

	ret = sock_create_kern(net, sd->cfg.af, SOCK_DGRAM, IPPROTO_UDP,
			       &sock);
	if (ret)
		return ret;
	sk = sock->sk;
	/* A master and a backup of one namespace share the port. */
	sk->sk_reuse = SK_CAN_REUSE;
	sk->sk_rcvtimeo = HZ / 10;
	sk->sk_sndtimeo = HZ;
	ret = sock_bindtoindex(sk, sd->ifindex, true);
	if (!ret)
		ret = lvs_sync_sock_setup(sd, sock);
	if (ret) {
		sock_release(sock);
		return ret;
	}
	sd->sock = sock;
	return 0;
}

/* One datagram, or -EAGAIN after the receive timeout. */
static int lvs_sync_recv(struct lvs_syncd *sd, union nf_inet_addr *from,
			 int flags)
{
	struct sockaddr_storage ss;
	struct msghdr msg = { .msg_name = &ss, .msg_namelen = sizeof(ss) };
	struct kvec iov = { .iov_base = sd->buf, .iov_len = LVS_SYNC_RCV_LEN };
	int ret;

	ret = kernel_recvmsg(sd->sock, &msg, &iov, 1, LVS_SYNC_RCV_LEN, flags);
	if (ret < 0)
		return ret;
	memset(from, 0, sizeof(*from));
	if (sd->cfg.af == AF_INET6)
		from->in6 = ((struct sockaddr_in6 *)&ss)->sin6_addr;
	else
		from->ip = ((struct sockaddr_in *)&ss)->sin_addr.s_addr;
	return ret;
}

/*
 * The first checks of every datagram: its sender is our peer (the
 * configured one, or any on the interface the socket is bound to), it
 * speaks our version and carries our syncid.  Returns its header.
 */
static const struct lvs_sync_hdr *lvs_sync_accept(struct lvs_syncd *sd,
						  int len,
						  const union nf_inet_addr *from)
{
	const struct lvs_sync_hdr *h = (const struct lvs_sync_hdr *)sd->buf;

	if (sd->cfg.has_peer && !nf_inet_addr_cmp(from, &sd->cfg.peer)) {
		lvs_sync_count(sd, LVS_SYNC_C_DROPPED);
		return NULL;
	}
	if (len < (int)sizeof(*h) || h->magic != htonl(LVS_SYNC_MAGIC) ||
	    h->version != LVS_SYNC_VERSION) {
		lvs_sync_count(sd, LVS_SYNC_C_BAD);
		return NULL;
	}
	if (h->syncid != sd->cfg.syncid) {
		lvs_sync_count(sd, LVS_SYNC_C_DROPPED);
		return NULL;
	}
	return h;
}

/* ---- master thread ----------------------------------------------------- */

struct lvs_sync_walk {
	struct lvs_syncd	*sd;
	unsigned int		len;
	unsigned int		count;
	unsigned long		now;
};

static int lvs_sync_walk_one(struct lvs_conn *cp, void *arg)
{
	struct lvs_sync_walk *w = arg;
	struct lvs_syncd *sd = w->sd;

	if (test_bit(LVS_CONN_B_DEAD, &cp->bits) ||
	    (READ_ONCE(cp->flags) & LVS_CONN_F_ONE_PACKET))
		return 0;
	if (w->len + sizeof(struct lvs_sync_entry) > sd->cfg.maxlen ||
	    w->count == U8_MAX)
		return 1;
	lvs_sync_encode((struct lvs_sync_entry *)(sd->buf + w->len), cp,
			w->now);
	w->len += sizeof(struct lvs_sync_entry);
	w->count++;
	return 0;
}

/* A backup asked: send the whole table, then END. */
static void lvs_sync_send_table(struct lvs_syncd *sd)
{
	struct lvs_sync_walk w = { .sd = sd };
	unsigned long pos[2] = { 0, 0 };
	int more;

	do {
		w.len = sizeof(struct lvs_sync_hdr);
		w.count = 0;
		w.now = jiffies;
		more = lvs_conn_walk(sd->ln->net, pos, lvs_sync_walk_one, &w);
		if (w.count)
			lvs_sync_send(sd, sd->buf, w.len, LVS_SYNC_T_DATA,
				      w.count);
		if (kthread_should_stop())
			return;
	} while (more);
	lvs_sync_send(sd, sd->buf, sizeof(struct lvs_sync_hdr),
		      LVS_SYNC_T_END, 0);
	lvs_sync_count(sd, LVS_SYNC_C_RESYNCS);
}

/* Send what the packet path queued, the datagram being filled too. */
static void lvs_sync_flush(struct lvs_syncd *sd)
{
	struct lvs_sync_buf *b, *n;
	LIST_HEAD(list);

	spin_lock_bh(&sd->lock);
	list_splice_init(&sd->ready, &list);
	if (sd->cur) {
		list_add_tail(&sd->cur->list, &list);
		sd->cur = NULL;
	}
	sd->nbufs = 0;
	spin_unlock_bh(&sd->lock);
	list_for_each_entry_safe(b, n, &list, list) {
		list_del(&b->list);
		lvs_sync_send(sd, b->data, b->len, LVS_SYNC_T_DATA, b->count);
		kfree(b);
	}
}

static int lvs_sync_master_thread(void *arg)
{
	struct lvs_syncd *sd = arg;
	const struct lvs_sync_hdr *h;
	union nf_inet_addr from;
	bool resync;
	int len;

	while (!kthread_should_stop()) {
		resync = false;
		while ((len = lvs_sync_recv(sd, &from, MSG_DONTWAIT)) >= 0) {
			h = lvs_sync_accept(sd, len, &from);
			if (!h)
				continue;
			lvs_sync_count(sd, LVS_SYNC_C_RECV_PKTS);
			if (h->type == LVS_SYNC_T_REQUEST)
				resync = true;
		}
		lvs_sync_flush(sd);
		if (resync)
			lvs_sync_send_table(sd);
		set_current_state(TASK_INTERRUPTIBLE);
		if (!kthread_should_stop())
			schedule_timeout(LVS_SYNC_PERIOD);
		__set_current_state(TASK_RUNNING);
	}
	return 0;
}

/* ---- backup thread ----------------------------------------------------- */

static int lvs_sync_get_addr(union nf_inet_addr *a, u8 af, const u8 *src)
{
	memset(a, 0, sizeof(*a));
	if (af != 4 && af != 6)
		return -EINVAL;
	memcpy(a, src, af == 6 ? 16 : 4);
	return 0;
}

/* The template a connection of a persistent @svc is controlled by. */
static struct lvs_conn *lvs_sync_control(struct lvs_net *ln,
					 struct lvs_svc *svc,
					 const struct lvs_iph *h)
{
	union nf_inet_addr caddr = h->saddr, vaddr = h->daddr;
	u32 fwmark = svc->pub.fwmark;
	__be16 vport = svc->pub.port ? h->dport : 0;
	u8 protocol = h->protocol;

	lvs_mask_addr(h->af, &caddr, READ_ONCE(svc->netmask));
	if (fwmark) {
		protocol = IPPROTO_IP;
		memset(&vaddr, 0, sizeof(vaddr));
		vport = 0;
	}
	return lvs_tmpl_get(ln->net, h->af, protocol, &caddr, &vaddr, vport,
			    fwmark);
}

/*
 * Install one entry.  BH off, under RCU.  0, or -EINVAL for an entry
 * that makes no sense, -ENOENT when no local service or real server
 * matches it, -ENOMEM when the table is full.
 */
static int lvs_sync_install(struct lvs_syncd *sd,
			    const struct lvs_sync_entry *e)
{
	u32 flags = ntohl(e->flags), fwmark = ntohl(e->fwmark);
	bool tmpl = flags & LVS_CONN_F_TEMPLATE;
	struct lvs_net *ln = sd->ln;
	struct lvs_svc_key key = { };
	union nf_inet_addr daddr;
	struct lvs_conn *cp, *ct;
	struct lvs_svc *svc;
	struct lvs_rs *rs;
	struct lvs_iph h = { };
	u16 daf;

	if ((flags & ~LVS_SYNC_F_MASK) ||
	    lvs_sync_get_addr(&h.saddr, e->af, e->caddr) ||
	    lvs_sync_get_addr(&h.daddr, e->af, e->vaddr) ||
	    lvs_sync_get_addr(&daddr, e->daf, e->daddr) ||
	    e->state > LVS_TCP_S_MAX)
		return -EINVAL;
	if (e->protocol != IPPROTO_TCP && e->protocol != IPPROTO_UDP &&
	    !(tmpl && e->protocol == IPPROTO_IP))
		return -EINVAL;
	h.af = e->af == 6 ? AF_INET6 : AF_INET;
	daf = e->daf == 6 ? AF_INET6 : AF_INET;
	h.protocol = e->protocol;
	h.sport = e->cport;
	h.dport = e->vport;

	key.af = h.af;
	key.fwmark = ntohl(e->svc_fwmark);
	key.protocol = e->protocol;
	key.addr = h.daddr;
	key.port = e->svc_port;
	svc = lvs_svc_lookup(ln, &key);
	if (!svc)
		return -ENOENT;
	rs = lvs_rs_lookup(svc, daf, &daddr, e->rs_port);
	if (!rs)
		return -ENOENT;

	if (tmpl)
		cp = lvs_tmpl_get(ln->net, h.af, h.protocol, &h.saddr,
				  &h.daddr, h.dport, fwmark);
	else
		cp = lvs_conn_in_get(ln->net, &h);
	if (cp && cp->rs != rs) {
		/* The master moved it to another server: follow. */
		lvs_conn_expire_now(cp);
		if (tmpl)
			lvs_conn_put(cp);
		cp = NULL;
	}
	if (!cp) {
		ct = NULL;
		if (!tmpl && (READ_ONCE(svc->pub.flags) & LVS_SVC_F_PERSISTENT))
			ct = lvs_sync_control(ln, svc, &h);
		cp = lvs_conn_new(ln, &h, rs, e->dport,
				  tmpl ? LVS_CONN_F_TEMPLATE : 0, fwmark, ct);
		if (ct)
			lvs_conn_put(ct);
		if (!cp)
			return -ENOMEM;
	}
	lvs_conn_sync_update(cp, e->state, flags,
			     msecs_to_jiffies(ntohl(e->timeout)));
	/* A template comes with a reference for us. */
	if (tmpl)
		lvs_conn_put(cp);
	return 0;
}

static void lvs_sync_rcv_data(struct lvs_syncd *sd,
			      const struct lvs_sync_hdr *h, int len)
{
	const struct lvs_sync_entry *e = (const void *)(h + 1);
	unsigned int i, ok = 0;
	int ret;

	if (len != sizeof(*h) + h->count * sizeof(*e)) {
		lvs_sync_count(sd, LVS_SYNC_C_BAD);
		return;
	}
	lvs_sync_count(sd, LVS_SYNC_C_RECV_PKTS);
	rcu_read_lock();
	local_bh_disable();
	for (i = 0; i < h->count; i++) {
		ret = lvs_sync_install(sd, &e[i]);
		if (!ret)
			ok++;
		else if (ret == -ENOMEM)
			lvs_sync_count(sd, LVS_SYNC_C_LOST);
		else
			lvs_sync_count(sd, LVS_SYNC_C_BAD);
	}
	local_bh_enable();
	rcu_read_unlock();
	atomic64_add(ok, &sd->cnt[LVS_SYNC_C_RECV_CONNS]);
}

/*
 * A datagram from the master numbered @seq: count the datagrams that
 * went missing since the last one.  A number behind the expected one
 * (by more than half the space) is a restarted master, or a datagram
 * overtaken by the next: it starts the count afresh, it is not a gap.
 */
static void lvs_sync_check_seq(struct lvs_syncd *sd, u32 seq,
			       const union nf_inet_addr *from)
{
	u32 missed = seq - sd->rseq - 1;

	if (sd->have_seq && nf_inet_addr_cmp(from, &sd->rfrom) && missed &&
	    missed < BIT(31)) {
		atomic64_add(missed, &sd->cnt[LVS_SYNC_C_GAPS]);
		sd->gap = true;
	}
	sd->have_seq = true;
	sd->rseq = seq;
	sd->rfrom = *from;
}

static int lvs_sync_backup_thread(void *arg)
{
	struct lvs_syncd *sd = arg;
	const struct lvs_sync_hdr *h;
	union nf_inet_addr from;
	struct lvs_sync_hdr req;
	int len;

	while (!kthread_should_stop()) {
		/*
		 * Entries went missing: ask for the whole table again, at
		 * most every LVS_SYNC_GAP_PERIOD.  A gap seen while a table
		 * comes asks again once it has come.
		 */
		if (sd->gap && sd->synced &&
		    time_after(jiffies, sd->asked + LVS_SYNC_GAP_PERIOD)) {
			sd->gap = false;
			sd->synced = false;
			sd->asked = 0;
		}
		if (!sd->synced && (!sd->asked ||
				    time_after(jiffies, sd->asked +
					       LVS_SYNC_ASK_PERIOD))) {
			lvs_sync_send(sd, (u8 *)&req, sizeof(req),
				      LVS_SYNC_T_REQUEST, 0);
			sd->asked = jiffies;
		}
		len = lvs_sync_recv(sd, &from, 0);
		if (len < 0)
			continue;
		h = lvs_sync_accept(sd, len, &from);
		if (!h)
			continue;
		if (h->type == LVS_SYNC_T_DATA || h->type == LVS_SYNC_T_END)
			lvs_sync_check_seq(sd, ntohl(h->seq), &from);
		if (h->type == LVS_SYNC_T_DATA) {
			lvs_sync_rcv_data(sd, h, len);
		} else if (h->type == LVS_SYNC_T_END) {
			lvs_sync_count(sd, LVS_SYNC_C_RECV_PKTS);
			if (!sd->synced)
				lvs_sync_count(sd, LVS_SYNC_C_RESYNCS);
			sd->synced = true;
		}
	}
	return 0;
}

/* ---- control (lvs_mutex) ---------------------------------------------- */

static struct lvs_syncd *lvs_sync_get(struct lvs_net *ln, u32 state)
{
	if (state == LVS_DAEMON_MASTER)
		return rcu_dereference_protected(ln->sync_master,
						 lockdep_is_held(&lvs_mutex));
	return ln->sync_backup;
}

static void lvs_sync_free(struct lvs_syncd *sd)
{
	struct lvs_sync_buf *b, *n;

	if (sd->sock)
		sock_release(sd->sock);
	list_for_each_entry_safe(b, n, &sd->ready, list)
		kfree(b);
	kfree(sd->cur);
	kfree(sd->buf);
	kfree(sd);
}

int lvs_sync_start(struct lvs_net *ln, const struct lvs_sync_cfg *cfg,
		   struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	struct lvs_syncd *sd;
	int i, ret;

	lockdep_assert_held(&lvs_mutex);
	if (lvs_sync_get(ln, cfg->state)) {
		NL_SET_ERR_MSG(extack, "a sync daemon of this role already runs");
		return -EEXIST;
	}
	sd = kzalloc(sizeof(*sd), GFP_KERNEL);
	if (!sd)
		return -ENOMEM;
	sd->ln = ln;
	sd->cfg = *cfg;
	spin_lock_init(&sd->lock);
	INIT_LIST_HEAD(&sd->ready);
	for (i = 0; i < LVS_SYNC_C_MAX; i++)
		atomic64_set(&sd->cnt[i], 0);
	dev = dev_get_by_name(ln->net, cfg->ifname);
	if (!dev) {
		NL_SET_ERR_MSG(extack, "no such interface (LVS_DAEMON_ATTR_MCAST_IFN)");
		ret = -ENODEV;
		goto err;
	}
	sd->ifindex = dev->ifindex;
	dev_put(dev);
	sd->buf = kmalloc(LVS_SYNC_RCV_LEN, GFP_KERNEL);
	if (!sd->buf) {
		ret = -ENOMEM;
		goto err;
	}
	ret = lvs_sync_sock_open(sd, ln->net);
	if (ret) {
		NL_SET_ERR_MSG(extack, "cannot open the sync socket");
		goto err;
	}
	sd->task = kthread_run(cfg->state == LVS_DAEMON_MASTER ?
			       lvs_sync_master_thread : lvs_sync_backup_thread,
			       sd, "lvs-sync-%c:%u",
			       cfg->state == LVS_DAEMON_MASTER ? 'm' : 'b',
			       cfg->syncid);
	if (IS_ERR(sd->task)) {
		ret = PTR_ERR(sd->task);
		goto err;
	}
	if (cfg->state == LVS_DAEMON_MASTER)
		rcu_assign_pointer(ln->sync_master, sd);
	else
		ln->sync_backup = sd;
	return 0;

err:
	lvs_sync_free(sd);
	return ret;
}

int lvs_sync_stop(struct lvs_net *ln, u32 state)
{
	struct lvs_syncd *sd;

	lockdep_assert_held(&lvs_mutex);
	sd = lvs_sync_get(ln, state);
	if (!sd)
		return -ESRCH;
	if (state == LVS_DAEMON_MASTER) {
		RCU_INIT_POINTER(ln->sync_master, NULL);
		/* No CPU queues on it or wakes its thread after this. */
		synchronize_rcu();
	} else {
		ln->sync_backup = NULL;
	}
	kthread_stop(sd->task);
	lvs_sync_free(sd);
	return 0;
}

void lvs_sync_stop_all(struct lvs_net *ln)
{
	lvs_sync_stop(ln, LVS_DAEMON_MASTER);
	lvs_sync_stop(ln, LVS_DAEMON_BACKUP);
}

/* The configuration and counters of the daemon of role @state. */
int lvs_sync_info(struct lvs_net *ln, u32 state, struct lvs_sync_cfg *cfg,
		  u64 *cnt)
{
	struct lvs_syncd *sd;
	int i;

	lockdep_assert_held(&lvs_mutex);
	sd = lvs_sync_get(ln, state);
	if (!sd)
		return -ESRCH;
	*cfg = sd->cfg;
	for (i = 0; i < LVS_SYNC_C_MAX; i++)
		cnt[i] = atomic64_read(&sd->cnt[i]);
	return 0;
}
