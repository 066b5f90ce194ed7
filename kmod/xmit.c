// SPDX-License-Identifier: GPL-2.0
/*
 * xmit.c - sending a packet to its real server: NAT, tunnel, direct
 * routing, for IPv4 and IPv6.
 *
 * Called from the LOCAL_IN hook with the packet addressed to a virtual
 * service.  Every function here consumes the skb and returns NF_STOLEN,
 * or returns NF_DROP and leaves the skb to netfilter.  Routes to a real
 * server are cached per server and per CPU (dst_cache).  The checks a
 * router makes are made here, before any byte changes, so that an ICMP
 * error we send quotes the packet the client sent: TTL (time exceeded)
 * and MTU (fragmentation needed / packet too big, with the MTU left after
 * the tunnel header for tunnels).
 */
#define pr_fmt(fmt) "lvs: " fmt

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_route.h>
#include <net/ip_tunnels.h>
#include <net/ipv6.h>
#include <net/ndisc.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/route.h>

#include "lvs_core.h"

/*
 * Direct routing asks for a route "via" the real server itself
 * (FLOWI_FLAG_KNOWN_NH): its next hop is the server even where the
 * route is on-link, so that every neighbour lookup for the packet, also
 * the one made when a packet queued on an unresolved neighbour is sent,
 * resolves the server and not the packet's destination (the VIP).  The
 * cache holds the kind of route the server's current method needs; a
 * connection made under another method looks its route up uncached.
 */
static bool lvs_route_cacheable(const struct lvs_rs *rs, bool known_nh)
{
	return known_nh == (READ_ONCE(rs->fwd) == LVS_FWD_DROUTE);
}

static struct rtable *lvs_route4(struct net *net, struct lvs_rs *rs,
				 __be32 daddr, __be32 *saddr, bool known_nh)
{
	bool cache = lvs_route_cacheable(rs, known_nh);
	struct flowi4 fl4;
	struct rtable *rt;

	if (cache) {
		rt = dst_cache_get_ip4(&rs->dst_cache, saddr);
		if (rt)
			return rt;
	}
	memset(&fl4, 0, sizeof(fl4));
	fl4.daddr = daddr;
	if (known_nh)
		fl4.flowi4_flags = FLOWI_FLAG_KNOWN_NH;
	rt = ip_route_output_key(net, &fl4);
	if (IS_ERR(rt))
		return NULL;
	if (rt->rt_type != RTN_UNICAST) {
		ip_rt_put(rt);
		return NULL;
	}
	if (cache)
		dst_cache_set_ip4(&rs->dst_cache, &rt->dst, fl4.saddr);
	*saddr = fl4.saddr;
	return rt;
}

static struct dst_entry *lvs_route6(struct net *net, struct lvs_rs *rs,
				    const struct in6_addr *daddr,
				    struct in6_addr *saddr, bool known_nh)
{
	bool cache = lvs_route_cacheable(rs, known_nh);
	struct dst_entry *dst;
	struct flowi6 fl6;

	if (cache) {
		dst = dst_cache_get_ip6(&rs->dst_cache, saddr);
		if (dst)
			return dst;
	}
	memset(&fl6, 0, sizeof(fl6));
	fl6.daddr = *daddr;
	if (known_nh)
		fl6.flowi6_flags = FLOWI_FLAG_KNOWN_NH;
	dst = ip6_route_output(net, NULL, &fl6);
	if (dst->error)
		goto err_put;
	if (dst->dev->flags & IFF_LOOPBACK)
		goto err_put;
	if (ipv6_addr_any(&fl6.saddr) &&
	    ipv6_dev_get_saddr(net, ip6_dst_idev(dst)->dev, &fl6.daddr, 0,
			       &fl6.saddr))
		goto err_put;
	if (cache)
		dst_cache_set_ip6(&rs->dst_cache, dst, &fl6.saddr);
	*saddr = fl6.saddr;
	return dst;

err_put:
	dst_release(dst);
	return NULL;
}

/*
 * Router checks on the packet as the client sent it: TTL and MTU.
 * @mtu is what is left for the packet (after a tunnel header).  False
 * when the packet must be dropped (an ICMP error was sent if due).
 */
static bool lvs_check4(struct sk_buff *skb, unsigned int mtu)
{
	const struct iphdr *iph = ip_hdr(skb);

	if (iph->ttl <= 1) {
		icmp_send(skb, ICMP_TIME_EXCEEDED, ICMP_EXC_TTL, 0);
		return false;
	}
	if (skb->len > mtu && (iph->frag_off & htons(IP_DF)) &&
	    !(skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu))) {
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			  htonl(mtu));
		return false;
	}
	return true;
}

static bool lvs_check6(struct sk_buff *skb, unsigned int mtu)
{
	const struct ipv6hdr *ip6h = ipv6_hdr(skb);
	unsigned int frag_max = IP6CB(skb)->frag_max_size;

	if (ip6h->hop_limit <= 1) {
		icmpv6_send(skb, ICMPV6_TIME_EXCEED, ICMPV6_EXC_HOPLIMIT, 0);
		return false;
	}
	if (mtu < IPV6_MIN_MTU)
		mtu = IPV6_MIN_MTU;
	/*
	 * Reassembled by nf_defrag: what counts is the largest fragment the
	 * client sent; if each fits, the packet may be fragmented again.
	 */
	if (frag_max) {
		if (frag_max > mtu)
			goto too_big;
		skb->ignore_df = 1;
		return true;
	}
	if (skb->len > mtu &&
	    !(skb_is_gso(skb) && skb_gso_validate_network_len(skb, mtu)))
		goto too_big;
	return true;

too_big:
	icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0, mtu);
	return false;
}

/*
 * What every packet we send gets: no conntrack, a clean slate, and the
 * mark IPVS gives its packets (rules match it with "-m ipvs --ipvs").
 */
static void lvs_prepare_out(struct sk_buff *skb, struct dst_entry *dst)
{
	nf_reset_ct(skb);
	nf_ct_set(skb, NULL, IP_CT_UNTRACKED);
	skb->ipvs_property = 1;
	skb_orphan(skb);
	skb_forward_csum(skb);
	skb_dst_drop(skb);
	skb_dst_set(skb, dst);
	skb->tstamp = 0;
}

/* Rewrite the destination of a client packet to the real server. */
static int lvs_nat_mangle(struct sk_buff *skb, const struct lvs_conn *cp,
			  const struct lvs_iph *h)
{
	unsigned int l4len = h->protocol == IPPROTO_TCP ?
			     sizeof(struct tcphdr) : sizeof(struct udphdr);

	if (skb_ensure_writable(skb, h->len + l4len))
		return -ENOMEM;
	lvs_l4_mangle(skb, h, &h->daddr, &cp->daddr, h->dport, cp->dport,
		      true);
	if (h->af == AF_INET6) {
		ipv6_hdr(skb)->daddr = cp->daddr.in6;
	} else {
		struct iphdr *iph = ip_hdr(skb);

		csum_replace4(&iph->check, iph->daddr, cp->daddr.ip);
		iph->daddr = cp->daddr.ip;
	}
	return 0;
}

static int lvs_masq_xmit4(struct net *net, struct sk_buff *skb,
			  struct lvs_conn *cp, const struct lvs_iph *h,
			  bool icmp)
{
	struct rtable *rt;
	__be32 saddr;

	rt = lvs_route4(net, cp->rs, cp->daddr.ip, &saddr, false);
	if (!rt)
		goto err_noroute;
	if (!lvs_check4(skb, dst_mtu(&rt->dst)))
		goto err_put;
	if (icmp ? lvs_icmp_nat_in(skb, cp, h) : lvs_nat_mangle(skb, cp, h))
		goto err_put;
	ip_decrease_ttl(ip_hdr(skb));
	lvs_prepare_out(skb, &rt->dst);
	ip_local_out(net, NULL, skb);
	return NF_STOLEN;

err_put:
	ip_rt_put(rt);
	return NF_DROP;
err_noroute:
	net_dbg_ratelimited("lvs: no route to real server %pI4\n",
			    &cp->daddr.ip);
	return NF_DROP;
}

static int lvs_masq_xmit6(struct net *net, struct sk_buff *skb,
			  struct lvs_conn *cp, const struct lvs_iph *h,
			  bool icmp)
{
	struct dst_entry *dst;
	struct in6_addr saddr;

	dst = lvs_route6(net, cp->rs, &cp->daddr.in6, &saddr, false);
	if (!dst)
		goto err_noroute;
	if (!lvs_check6(skb, dst_mtu(dst)))
		goto err_put;
	if (icmp ? lvs_icmp_nat_in(skb, cp, h) : lvs_nat_mangle(skb, cp, h))
		goto err_put;
	ipv6_hdr(skb)->hop_limit--;
	lvs_prepare_out(skb, dst);
	ip6_local_out(net, NULL, skb);
	return NF_STOLEN;

err_put:
	dst_release(dst);
	return NF_DROP;
err_noroute:
	net_dbg_ratelimited("lvs: no route to real server %pI6c\n",
			    &cp->daddr.in6);
	return NF_DROP;
}

/*
 * Inner header checks and TTL decrement before encapsulation.  @mtu is
 * the room left inside the tunnel.
 */
static bool lvs_tun_inner(struct sk_buff *skb, u16 af, unsigned int mtu)
{
	if (af == AF_INET6) {
		if (!lvs_check6(skb, mtu) ||
		    skb_ensure_writable(skb, sizeof(struct ipv6hdr)))
			return false;
		ipv6_hdr(skb)->hop_limit--;
		return true;
	}
	if (!lvs_check4(skb, mtu) ||
	    skb_ensure_writable(skb, sizeof(struct iphdr)))
		return false;
	/* Without DF the client lets us fragment the tunnel packet. */
	if (!(ip_hdr(skb)->frag_off & htons(IP_DF)))
		skb->ignore_df = 1;
	ip_decrease_ttl(ip_hdr(skb));
	return true;
}

static void lvs_inner_fields(struct sk_buff *skb, u16 af, u8 *dsfield,
			     u8 *ttl, __be16 *df)
{
	if (af == AF_INET6) {
		*dsfield = ipv6_get_dsfield(ipv6_hdr(skb));
		*ttl = ipv6_hdr(skb)->hop_limit;
		/* Reassembled and fitting fragment by fragment: may split. */
		*df = skb->ignore_df ? 0 : htons(IP_DF);
	} else {
		*dsfield = ip_hdr(skb)->tos;
		*ttl = ip_hdr(skb)->ttl;
		*df = ip_hdr(skb)->frag_off & htons(IP_DF);
	}
}

/* IPv4 or IPv6 inside IPv4 (protocol 4 or 41). */
static int lvs_tun_xmit4(struct net *net, struct sk_buff *skb,
			 struct lvs_conn *cp, const struct lvs_iph *h)
{
	u8 inner_proto = h->af == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IPIP;
	unsigned int mtu, room;
	struct iphdr *iph;
	struct rtable *rt;
	u8 dsfield, ttl;
	__be32 saddr;
	__be16 df;

	rt = lvs_route4(net, cp->rs, cp->daddr.ip, &saddr, false);
	if (!rt)
		goto err_noroute;
	mtu = dst_mtu(&rt->dst);
	if (mtu < 68 + sizeof(struct iphdr))
		goto err_put;
	if (!lvs_tun_inner(skb, h->af, mtu - sizeof(struct iphdr)))
		goto err_put;
	lvs_inner_fields(skb, h->af, &dsfield, &ttl, &df);
	room = LL_RESERVED_SPACE(rt->dst.dev) + sizeof(struct iphdr);
	if (skb_cow_head(skb, room) ||
	    iptunnel_handle_offloads(skb, SKB_GSO_IPXIP4))
		goto err_put;
	skb_set_inner_ipproto(skb, inner_proto);
	lvs_prepare_out(skb, &rt->dst);

	skb_push(skb, sizeof(struct iphdr));
	skb_reset_network_header(skb);
	memset(IPCB(skb), 0, sizeof(*IPCB(skb)));
	iph = ip_hdr(skb);
	iph->version = 4;
	iph->ihl = sizeof(struct iphdr) >> 2;
	iph->frag_off = df;
	iph->protocol = inner_proto;
	iph->tos = INET_ECN_encapsulate(dsfield, dsfield);
	iph->daddr = cp->daddr.ip;
	iph->saddr = saddr;
	iph->ttl = ttl;
	ip_select_ident(net, skb, NULL);
	skb->protocol = htons(ETH_P_IP);
	ip_local_out(net, NULL, skb);
	return NF_STOLEN;

err_put:
	ip_rt_put(rt);
	return NF_DROP;
err_noroute:
	net_dbg_ratelimited("lvs: no route to tunnel end %pI4\n",
			    &cp->daddr.ip);
	return NF_DROP;
}

/* IPv6 or IPv4 inside IPv6 (next header 41 or 4). */
static int lvs_tun_xmit6(struct net *net, struct sk_buff *skb,
			 struct lvs_conn *cp, const struct lvs_iph *h)
{
	u8 inner_proto = h->af == AF_INET6 ? IPPROTO_IPV6 : IPPROTO_IPIP;
	struct dst_entry *dst;
	struct in6_addr saddr;
	struct ipv6hdr *ip6h;
	unsigned int mtu;
	u8 dsfield, ttl;
	__be16 df;

	dst = lvs_route6(net, cp->rs, &cp->daddr.in6, &saddr, false);
	if (!dst)
		goto err_noroute;
	mtu = dst_mtu(dst);
	if (mtu < IPV6_MIN_MTU)
		goto err_put;
	if (!lvs_tun_inner(skb, h->af, mtu - sizeof(struct ipv6hdr)))
		goto err_put;
	lvs_inner_fields(skb, h->af, &dsfield, &ttl, &df);
	if (skb_cow_head(skb, LL_RESERVED_SPACE(dst->dev) +
			      sizeof(struct ipv6hdr)) ||
	    iptunnel_handle_offloads(skb, SKB_GSO_IPXIP6))
		goto err_put;
	skb_set_inner_ipproto(skb, inner_proto);
	lvs_prepare_out(skb, dst);

	skb_push(skb, sizeof(struct ipv6hdr));
	skb_reset_network_header(skb);
	memset(IP6CB(skb), 0, sizeof(*IP6CB(skb)));
	ip6h = ipv6_hdr(skb);
	ip6_flow_hdr(ip6h, INET_ECN_encapsulate(dsfield, dsfield), 0);
	ip6h->nexthdr = inner_proto;
	ip6h->hop_limit = ttl;
	ip6h->daddr = cp->daddr.in6;
	ip6h->saddr = saddr;
	skb->protocol = htons(ETH_P_IPV6);
	ip6_local_out(net, NULL, skb);
	return NF_STOLEN;

err_put:
	dst_release(dst);
	return NF_DROP;
err_noroute:
	net_dbg_ratelimited("lvs: no route to tunnel end %pI6c\n",
			    &cp->daddr.in6);
	return NF_DROP;
}

/*
 * Direct routing: the packet keeps its IP header (destination: the
 * virtual address, which the real server owns on a non-ARPing
 * interface); only the link layer destination becomes the real server.
 * The route was looked up with FLOWI_FLAG_KNOWN_NH: its gateway is the
 * server itself, so the output path (LOCAL_OUT, POSTROUTING, xfrm,
 * lwtunnel, fragmentation of a reassembled datagram without DF) sends it
 * there while it stays addressed to the VIP.
 */
static int lvs_dr_xmit4(struct net *net, struct sk_buff *skb,
			struct lvs_conn *cp)
{
	struct rtable *rt;
	__be32 saddr;

	rt = lvs_route4(net, cp->rs, cp->daddr.ip, &saddr, true);
	if (!rt)
		goto err_noroute;
	if (!lvs_check4(skb, dst_mtu(&rt->dst)) ||
	    skb_ensure_writable(skb, sizeof(struct iphdr))) {
		ip_rt_put(rt);
		return NF_DROP;
	}
	ip_decrease_ttl(ip_hdr(skb));
	lvs_prepare_out(skb, &rt->dst);
	ip_local_out(net, NULL, skb);
	return NF_STOLEN;

err_noroute:
	net_dbg_ratelimited("lvs: no route to real server %pI4\n",
			    &cp->daddr.ip);
	return NF_DROP;
}

static int lvs_dr_xmit6(struct net *net, struct sk_buff *skb,
			struct lvs_conn *cp)
{
	struct dst_entry *dst;
	struct in6_addr saddr;

	dst = lvs_route6(net, cp->rs, &cp->daddr.in6, &saddr, true);
	if (!dst)
		goto err_noroute;
	if (!lvs_check6(skb, dst_mtu(dst)) ||
	    skb_ensure_writable(skb, sizeof(struct ipv6hdr))) {
		dst_release(dst);
		return NF_DROP;
	}
	ipv6_hdr(skb)->hop_limit--;
	lvs_prepare_out(skb, dst);
	ip6_local_out(net, NULL, skb);
	return NF_STOLEN;

err_noroute:
	net_dbg_ratelimited("lvs: no route to real server %pI6c\n",
			    &cp->daddr.in6);
	return NF_DROP;
}

/*
 * Send a client packet (or, with @icmp, an ICMP error about a reply) to
 * the connection's real server.  Softirq, under RCU.
 */
int lvs_xmit(struct net *net, struct sk_buff *skb, struct lvs_conn *cp,
	     const struct lvs_iph *h, bool icmp)
{
	switch (cp->fwd) {
	case LVS_FWD_MASQ:
		if (h->af == AF_INET6)
			return lvs_masq_xmit6(net, skb, cp, h, icmp);
		return lvs_masq_xmit4(net, skb, cp, h, icmp);
	case LVS_FWD_TUNNEL:
		if (cp->daf == AF_INET6)
			return lvs_tun_xmit6(net, skb, cp, h);
		return lvs_tun_xmit4(net, skb, cp, h);
	case LVS_FWD_DROUTE:
		if (h->af == AF_INET6)
			return lvs_dr_xmit6(net, skb, cp);
		return lvs_dr_xmit4(net, skb, cp);
	}
	return NF_DROP;
}
