// SPDX-License-Identifier: GPL-2.0
/*
 * core.c - the netfilter hooks: packets to virtual services in, NAT
 * replies out.
 *
 * Hooks are registered per namespace when its first service is added and
 * removed with its last one.  Priorities, and why:
 *  - LOCAL_IN, NF_IP_PRI_NAT_SRC - 1: a virtual address is a local
 *    address; its packets have passed the filter table's INPUT chain (the
 *    operator's firewall applies, as with IPVS) and are taken before any
 *    local socket could see them;
 *  - FORWARD, NF_IP_PRI_NAT_SRC: replies of real servers behind NAT pass
 *    the director as forwarded packets; they have passed the filter
 *    table's FORWARD chain when we give them the service's address.
 * Both hooks see whole packets: IPv4 reassembles before LOCAL_IN anyway,
 * and the FORWARD hook reassembles IPv4 fragments itself (as IPVS does,
 * rather than have nf_defrag_ipv4 add a hook to every packet of the
 * namespace); IPv6 fragments are reassembled before routing by
 * nf_defrag_ipv6, enabled with the first IPv6 service only.
 *
 * The hooks stay while the namespace has entries, also after its last
 * service is gone: the replies of its NAT connections still need their
 * source rewritten.  The last entry's removal queues hooks_work, which
 * takes them off.
 */
#define pr_fmt(fmt) "lvs: " fmt

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_fib.h>
#include <net/ip_fib.h>
#include <net/ipv6.h>
#include <net/netfilter/ipv6/nf_defrag_ipv6.h>
#include <net/netfilter/nf_conntrack.h>

#include "lvs_core.h"

/*
 * Parse the IP header at @off and, for TCP and UDP, the ports.  Returns
 * 0, or -EINVAL for a packet too short or malformed to be ours.
 */
int lvs_fill_iph(u16 af, const struct sk_buff *skb, unsigned int off,
		 struct lvs_iph *h)
{
	__be16 _ports[2];
	const __be16 *ports;

	h->af = af;
	h->nh = off;
	h->fragment = 0;
	if (af == AF_INET6) {
		const struct ipv6hdr *ip6h;
		struct ipv6hdr _ip6h;
		__be16 frag_off = 0;
		u8 nexthdr;
		int len;

		ip6h = skb_header_pointer(skb, off, sizeof(_ip6h), &_ip6h);
		if (!ip6h)
			return -EINVAL;
		nexthdr = ip6h->nexthdr;
		len = ipv6_skip_exthdr(skb, off + sizeof(*ip6h), &nexthdr,
				       &frag_off);
		if (len < 0)
			return -EINVAL;
		h->len = len;
		h->protocol = nexthdr;
		h->fragment = !!(frag_off & htons(IP6_OFFSET));
		h->saddr.in6 = ip6h->saddr;
		h->daddr.in6 = ip6h->daddr;
	} else {
		const struct iphdr *iph;
		struct iphdr _iph;

		iph = skb_header_pointer(skb, off, sizeof(_iph), &_iph);
		if (!iph || iph->ihl < 5 || iph->version != 4)
			return -EINVAL;
		h->len = off + iph->ihl * 4;
		h->protocol = iph->protocol;
		h->fragment = !!(iph->frag_off & htons(IP_OFFSET));
		h->saddr.ip = iph->saddr;
		h->daddr.ip = iph->daddr;
	}
	h->sport = 0;
	h->dport = 0;
	if ((h->protocol == IPPROTO_TCP || h->protocol == IPPROTO_UDP) &&
	    !h->fragment) {
		ports = skb_header_pointer(skb, h->len, sizeof(_ports),
					   _ports);
		if (!ports)
			return -EINVAL;
		h->sport = ports[0];
		h->dport = ports[1];
	}
	return 0;
}

static void lvs_state_transition(struct lvs_conn *cp, enum lvs_dir dir,
				 const struct sk_buff *skb,
				 const struct lvs_iph *h)
{
	if (cp->protocol == IPPROTO_TCP)
		lvs_tcp_state_transition(cp, dir, skb, h);
	else
		lvs_udp_state_transition(cp);
}

/* No real server will take it: refuse as a closed port would. */
static unsigned int lvs_refuse(struct sk_buff *skb, u16 af)
{
	if (af == AF_INET6)
		icmpv6_send(skb, ICMPV6_DEST_UNREACH, ICMPV6_PORT_UNREACH, 0);
	else
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_PORT_UNREACH, 0);
	return NF_DROP;
}

void lvs_mask_addr(u16 af, union nf_inet_addr *a, __be32 netmask)
{
	if (af == AF_INET6) {
		unsigned int plen = min_t(u32, (__force u32)netmask, 128);
		struct in6_addr m;

		ipv6_addr_prefix(&m, &a->in6, plen);
		a->in6 = m;
	} else {
		a->ip &= netmask;
	}
}

static struct lvs_rs *lvs_pick(struct lvs_svc *svc, const struct lvs_iph *h)
{
	struct lvs_sched_ops *sched = rcu_dereference(svc->sched);
	struct lvs_dest *d;
	struct lvs_pkt pkt;

	if (!sched)
		return NULL;
	pkt.af = h->af;
	pkt.protocol = h->protocol;
	pkt.saddr = h->saddr;
	pkt.daddr = h->daddr;
	pkt.sport = h->sport;
	pkt.dport = h->dport;
	d = sched->schedule(&svc->pub, &pkt);
	if (!d || !lvs_rs_available(to_rs(d)))
		return NULL;
	return to_rs(d);
}

/*
 * Persistence: the client (masked by the service's netmask) keeps its
 * real server while its template lives.  The template is keyed by the
 * masked client address with port 0 and by the service: its address and
 * port, port 0 for an any-port service, or its firewall mark.  Sets *ctp
 * to a template with a reference; -ENOENT when no real server will take
 * the client, -ENOMEM when the template could not be made (cap, memory).
 */
static int lvs_persist_tmpl(struct lvs_net *ln, struct lvs_svc *svc,
			    const struct lvs_iph *h, struct lvs_conn **ctp)
{
	u32 fwmark = svc->pub.fwmark;
	struct lvs_conn *ct;
	struct lvs_iph t;
	struct lvs_rs *rs;

	memset(&t, 0, sizeof(t));
	t.af = h->af;
	t.saddr = h->saddr;
	lvs_mask_addr(h->af, &t.saddr, READ_ONCE(svc->netmask));
	if (fwmark) {
		t.protocol = IPPROTO_IP;
	} else {
		t.protocol = h->protocol;
		t.daddr = h->daddr;
		t.dport = svc->pub.port ? h->dport : 0;
	}
	ct = lvs_tmpl_get(ln->net, t.af, t.protocol, &t.saddr, &t.daddr,
			  t.dport, fwmark);
	if (ct) {
		/*
		 * A quiescent server (weight 0) keeps its persistent clients
		 * unless expire_quiescent_template says otherwise.
		 */
		if (lvs_rs_available(ct->rs) &&
		    !(READ_ONCE(ln->expire_quiescent_template) &&
		      !atomic_read(&ct->rs->pub.weight))) {
			lvs_conn_touch(ct);
			*ctp = ct;
			return 0;
		}
		lvs_conn_expire_now(ct);
		lvs_conn_put(ct);
	}
	rs = lvs_pick(svc, h);
	if (!rs)
		return -ENOENT;
	/* A new template comes with our reference. */
	ct = lvs_conn_new(ln, &t, rs, rs->pub.port, LVS_CONN_F_TEMPLATE,
			  fwmark, NULL);
	if (!ct)
		return -ENOMEM;
	*ctp = ct;
	return 0;
}

/*
 * Schedule a new connection.  Returns the verdict when no connection was
 * made (*cpp NULL), or NF_ACCEPT with *cpp set; one-packet scheduling
 * sends the packet here and returns its verdict.
 */
static unsigned int lvs_schedule(struct lvs_net *ln, struct lvs_svc *svc,
				 struct sk_buff *skb, const struct lvs_iph *h,
				 struct lvs_conn **cpp)
{
	unsigned int flags = READ_ONCE(svc->pub.flags);
	struct lvs_conn *ct = NULL, *cp;
	struct lvs_rs *rs;
	__be16 dport;

	*cpp = NULL;
	if (flags & LVS_SVC_F_PERSISTENT) {
		int ret = lvs_persist_tmpl(ln, svc, h, &ct);

		if (ret == -ENOMEM)
			return NF_DROP;
		rs = ret ? NULL : ct->rs;
	} else {
		rs = lvs_pick(svc, h);
	}
	if (!rs)
		return lvs_refuse(skb, h->af);
	dport = rs->pub.port ? rs->pub.port : h->dport;

	if ((flags & LVS_SVC_F_ONEPACKET) && h->protocol == IPPROTO_UDP) {
		struct lvs_conn one;
		unsigned int verdict;

		memset(&one, 0, sizeof(one));
		one.af = h->af;
		one.daf = rs->pub.af;
		one.protocol = h->protocol;
		one.daddr = rs->pub.addr;
		one.dport = dport;
		one.fwd = READ_ONCE(rs->fwd);
		one.rs = rs;
		one.flags = LVS_CONN_F_ONE_PACKET;
		lvs_stats_conn(rs);
		lvs_stats_in(rs, skb->len);
		verdict = lvs_xmit(ln->net, skb, &one, h, false);
		if (ct)
			lvs_conn_put(ct);
		return verdict;
	}

	cp = lvs_conn_new(ln, h, rs, dport, 0, 0, ct);
	if (ct)
		lvs_conn_put(ct);
	if (!cp)
		return NF_DROP;
	lvs_stats_conn(rs);
	*cpp = cp;
	return NF_ACCEPT;
}

/*
 * A SYN on an entry whose connection is over starts a new one, as IPVS's
 * conn_reuse_mode: bit 0, after TIME_WAIT or CLOSE; bit 1, also after
 * FIN_WAIT of a connection whose replies we do not see (DR, tunnel).
 * Never for an entry under a persistence template.
 */
static bool lvs_conn_reusable(const struct lvs_conn *cp, u8 mode)
{
	u8 state = READ_ONCE(cp->state);

	if (!(mode & 3) || cp->control)
		return false;
	if (state == LVS_TCP_S_TIME_WAIT || state == LVS_TCP_S_CLOSE)
		return true;
	return (mode & 2) && state == LVS_TCP_S_FIN_WAIT &&
	       (READ_ONCE(cp->flags) & LVS_CONN_F_NO_OUTPUT);
}

static unsigned int lvs_in(u16 af, struct sk_buff *skb,
			   const struct nf_hook_state *state)
{
	struct net *net = state->net;
	struct lvs_net *ln;
	struct lvs_svc *svc;
	struct lvs_conn *cp;
	struct lvs_iph h;
	unsigned int verdict;
	bool syn = false, sloppy;

	if (skb->pkt_type != PACKET_HOST || lvs_fill_iph(af, skb, 0, &h))
		return NF_ACCEPT;
	if (h.protocol == IPPROTO_ICMP || h.protocol == IPPROTO_ICMPV6)
		return lvs_icmp_in(net, skb, &h);
	if ((h.protocol != IPPROTO_TCP && h.protocol != IPPROTO_UDP) ||
	    h.fragment)
		return NF_ACCEPT;

	ln = lvs_net(net);
	sloppy = READ_ONCE(ln->sloppy_tcp);
	cp = lvs_conn_in_get(net, &h);
	if (cp && h.protocol == IPPROTO_TCP)
		syn = lvs_tcp_can_schedule(skb, &h, false);
	if (unlikely(cp && !lvs_rs_available(cp->rs))) {
		/*
		 * Its real server was removed.  expire_nodest_conn: start
		 * over (a SYN, a datagram) or drop and expire; otherwise
		 * drop and keep the entry, should the server come back.
		 */
		if (!READ_ONCE(ln->expire_nodest_conn))
			return NF_DROP;
		lvs_conn_expire_now(cp);
		if (!syn && h.protocol == IPPROTO_TCP)
			return NF_DROP;
		cp = NULL;
	} else if (cp && syn &&
		   lvs_conn_reusable(cp, READ_ONCE(ln->conn_reuse_mode))) {
		/* A new connection reusing the client port. */
		lvs_conn_expire_now(cp);
		cp = NULL;
	}

	if (!cp) {
		svc = lvs_svc_find(ln, af, h.protocol, &h.daddr, h.dport,
				   skb->mark);
		if (!svc)
			return NF_ACCEPT;
		if (h.protocol == IPPROTO_TCP) {
			/* SYN|FIN and the like never open a connection. */
			if (lvs_tcp_flags_bad(skb, &h))
				return NF_DROP;
			if (!lvs_tcp_can_schedule(skb, &h, sloppy))
				return NF_ACCEPT;
		}
		verdict = lvs_schedule(ln, svc, skb, &h, &cp);
		if (!cp)
			return verdict;
	} else {
		lvs_conn_touch(cp);
		if (unlikely(!test_bit(LVS_CONN_B_CONFIRMED, &cp->bits)))
			set_bit(LVS_CONN_B_CONFIRMED, &cp->bits);
	}
	lvs_stats_in(cp->rs, skb->len);
	lvs_state_transition(cp, LVS_DIR_INPUT, skb, &h);
	/* The backup learns of a template before its connections. */
	if (cp->control)
		lvs_sync_conn(ln, cp->control);
	lvs_sync_conn(ln, cp);
	return lvs_xmit(net, skb, cp, &h, false);
}

/*
 * A NAT reply we gave the service's address: marked as IPVS marks its
 * packets ("-m ipvs --ipvs" matches it) and taken out of conntrack, whose
 * entry for it, made before we rewrote it, no longer describes it.
 */
static void lvs_mark_ours(struct sk_buff *skb)
{
	skb->ipvs_property = 1;
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
}

/*
 * Route a reply again by its new source where the source can change the
 * route (policy rules, IPv6 source routes): as IPVS's snat_reroute.
 */
static int lvs_reroute(struct net *net, struct sk_buff *skb, u16 af)
{
	if (af == AF_INET6) {
		if (!net->ipv6.fib6_has_custom_rules &&
		    !fib6_routes_require_src(net))
			return 0;
		return ip6_route_me_harder(net, NULL, skb);
	}
	if (!fib4_has_custom_rules(net))
		return 0;
	return ip_route_me_harder(net, NULL, skb, RTN_LOCAL);
}

static unsigned int lvs_out(u16 af, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	struct net *net = state->net;
	struct lvs_conn *cp;
	struct lvs_iph h;
	unsigned int l4len;

	/* Only what could be a NAT reply is worth reassembling. */
	if (af == AF_INET && ip_is_fragment(ip_hdr(skb)) &&
	    (ip_hdr(skb)->protocol == IPPROTO_TCP ||
	     ip_hdr(skb)->protocol == IPPROTO_UDP)) {
		if (ip_defrag(net, skb, IP_DEFRAG_VS_FWD))
			return NF_STOLEN;
		ip_send_check(ip_hdr(skb));
	}
	if (lvs_fill_iph(af, skb, 0, &h))
		return NF_ACCEPT;
	if (h.protocol == IPPROTO_ICMP || h.protocol == IPPROTO_ICMPV6)
		return lvs_icmp_out(net, skb, &h);
	if ((h.protocol != IPPROTO_TCP && h.protocol != IPPROTO_UDP) ||
	    h.fragment)
		return NF_ACCEPT;
	cp = lvs_conn_out_get(net, &h);
	if (!cp)
		return NF_ACCEPT;

	l4len = h.protocol == IPPROTO_TCP ? sizeof(struct tcphdr) :
					    sizeof(struct udphdr);
	if (skb_ensure_writable(skb, h.len + l4len))
		return NF_DROP;
	lvs_l4_mangle(skb, &h, &h.saddr, &cp->vaddr, h.sport, cp->vport,
		      false);
	if (af == AF_INET6) {
		ipv6_hdr(skb)->saddr = cp->vaddr.in6;
	} else {
		struct iphdr *iph = ip_hdr(skb);

		csum_replace4(&iph->check, iph->saddr, cp->vaddr.ip);
		iph->saddr = cp->vaddr.ip;
	}
	lvs_conn_touch(cp);
	if (unlikely(!test_bit(LVS_CONN_B_CONFIRMED, &cp->bits)))
		set_bit(LVS_CONN_B_CONFIRMED, &cp->bits);
	lvs_stats_out(cp->rs, skb->len);
	lvs_state_transition(cp, LVS_DIR_OUTPUT, skb, &h);
	lvs_sync_conn(lvs_net(net), cp);
	lvs_mark_ours(skb);
	/*
	 * The reply now leaves from the service's address: route it as a
	 * packet of ours would be (source-based policy routing).
	 */
	if (lvs_reroute(net, skb, af))
		return NF_DROP;
	return NF_ACCEPT;
}

static unsigned int lvs_in4(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	return lvs_in(AF_INET, skb, state);
}

static unsigned int lvs_in6(void *priv, struct sk_buff *skb,
			    const struct nf_hook_state *state)
{
	return lvs_in(AF_INET6, skb, state);
}

static unsigned int lvs_out4(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	return lvs_out(AF_INET, skb, state);
}

static unsigned int lvs_out6(void *priv, struct sk_buff *skb,
			     const struct nf_hook_state *state)
{
	return lvs_out(AF_INET6, skb, state);
}

static const struct nf_hook_ops lvs_hook_ops[] = {
	{
		.hook		= lvs_in4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP_PRI_NAT_SRC - 1,
	},
	{
		.hook		= lvs_out4,
		.pf		= NFPROTO_IPV4,
		.hooknum	= NF_INET_FORWARD,
		.priority	= NF_IP_PRI_NAT_SRC,
	},
	{
		.hook		= lvs_in6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_LOCAL_IN,
		.priority	= NF_IP6_PRI_NAT_SRC - 1,
	},
	{
		.hook		= lvs_out6,
		.pf		= NFPROTO_IPV6,
		.hooknum	= NF_INET_FORWARD,
		.priority	= NF_IP6_PRI_NAT_SRC,
	},
};

/*
 * Hooks on for a new service of family @af: IPv6 reassembly only comes
 * with the first IPv6 service (an IPv4-only configuration does not make
 * the namespace reassemble IPv6).  lvs_mutex held.
 */
int lvs_hooks_register(struct lvs_net *ln, u16 af)
{
	struct net *net = ln->net;
	int ret;

	if (af == AF_INET6 && !ln->defrag6_on) {
		ret = nf_defrag_ipv6_enable(net);
		if (ret)
			return ret;
		ln->defrag6_on = true;
	}
	if (ln->hooks_on)
		return 0;
	ret = nf_register_net_hooks(net, lvs_hook_ops,
				    ARRAY_SIZE(lvs_hook_ops));
	if (ret)
		return ret;
	WRITE_ONCE(ln->hooks_on, true);
	return 0;
}

/* lvs_mutex held.  Returns after every hook in flight has left. */
void lvs_hooks_unregister(struct lvs_net *ln)
{
	struct net *net = ln->net;

	if (ln->hooks_on) {
		nf_unregister_net_hooks(net, lvs_hook_ops,
					ARRAY_SIZE(lvs_hook_ops));
		WRITE_ONCE(ln->hooks_on, false);
	}
	if (ln->defrag6_on) {
		nf_defrag_ipv6_disable(net);
		ln->defrag6_on = false;
	}
}

/* Hooks off if the namespace has neither a service nor an entry. */
void lvs_hooks_idle(struct lvs_net *ln)
{
	mutex_lock(&lvs_mutex);
	if (!ln->num_services && !atomic_read(&ln->conn_count))
		lvs_hooks_unregister(ln);
	mutex_unlock(&lvs_mutex);
}

/* The namespace's last entry is gone: hooks off if no service came. */
void lvs_hooks_work(struct work_struct *work)
{
	lvs_hooks_idle(container_of(work, struct lvs_net, hooks_work));
}
