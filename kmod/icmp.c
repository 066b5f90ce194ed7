// SPDX-License-Identifier: GPL-2.0
/*
 * icmp.c - ICMP errors that belong to a connection.
 *
 * An error quotes the packet that caused it; the quoted packet names the
 * connection.  Coming from the client's side (about a reply the client
 * got from the virtual service), it goes on to the real server; coming
 * from the real server's side of a NAT connection (about a packet the
 * real server got), it goes on to the client.  For NAT both the outer
 * header and the quoted one are rewritten so that each end only ever
 * sees its own addresses, and the ICMP checksum is computed again.
 * Handled: destination unreachable (including fragmentation needed),
 * source quench, time exceeded; for IPv6 destination unreachable, packet
 * too big and time exceeded.
 *
 * An error whose ICMP checksum is wrong is dropped before anything is
 * done with it: translated, it would leave with a valid checksum and be
 * believed.
 *
 * A "fragmentation needed" / "packet too big" about one of our own tunnel
 * packets (a hop between us and a tunnelled real server is narrower than
 * our route says) updates the route's MTU and is passed on to the client
 * as an error about its own packet, with the room left inside the tunnel.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/netfilter.h>
#include <asm/unaligned.h>
#include <net/checksum.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/ipv6.h>
#include <net/route.h>

#include "lvs_core.h"

/* Both ICMP headers are 8 bytes before the quoted packet. */
#define LVS_ICMP_HLEN	8

static bool lvs_icmp_is_error(const struct sk_buff *skb,
			      const struct lvs_iph *h)
{
	u8 buf[2];
	const u8 *t;

	t = skb_header_pointer(skb, h->len, sizeof(buf), buf);
	if (!t)
		return false;
	if (h->af == AF_INET6)
		return t[0] == ICMPV6_DEST_UNREACH ||
		       t[0] == ICMPV6_PKT_TOOBIG ||
		       t[0] == ICMPV6_TIME_EXCEED;
	return t[0] == ICMP_DEST_UNREACH || t[0] == ICMP_SOURCE_QUENCH ||
	       t[0] == ICMP_TIME_EXCEEDED;
}

/* The ICMP checksum holds (or the device vouched for it). */
static bool lvs_icmp_csum_ok(struct sk_buff *skb, const struct lvs_iph *h,
			     unsigned int hook)
{
	if (h->af == AF_INET6)
		return !nf_checksum(skb, hook, h->len, IPPROTO_ICMPV6,
				    NFPROTO_IPV6);
	return !nf_checksum(skb, hook, h->len, IPPROTO_ICMP, NFPROTO_IPV4);
}

static void lvs_csum_replace16(__sum16 *sum, const __be32 *from,
			       const __be32 *to)
{
	int i;

	for (i = 0; i < 4; i++)
		csum_replace4(sum, from[i], to[i]);
}

/* Parse the quoted packet: it must show TCP or UDP ports. */
static bool lvs_icmp_inner(const struct sk_buff *skb,
			   const struct lvs_iph *h, struct lvs_iph *in)
{
	if (!lvs_icmp_is_error(skb, h))
		return false;
	if (lvs_fill_iph(h->af, skb, h->len + LVS_ICMP_HLEN, in))
		return false;
	return (in->protocol == IPPROTO_TCP ||
		in->protocol == IPPROTO_UDP) && !in->fragment;
}

/*
 * Rewrite one address and port of the quoted packet, and its checksums
 * as far as they are quoted.  The skb is linear and writable up to the
 * end of the quoted ports.
 */
static void lvs_icmp_mangle_inner(struct sk_buff *skb,
				  const struct lvs_iph *in, bool dst,
				  const union nf_inet_addr *naddr,
				  __be16 nport)
{
	unsigned int ioff = in->len;
	void *l4 = skb->data + ioff;
	__sum16 *check = NULL;
	__be16 *port;

	if (in->protocol == IPPROTO_TCP &&
	    skb->len >= ioff + offsetofend(struct tcphdr, check))
		check = &((struct tcphdr *)l4)->check;
	else if (in->protocol == IPPROTO_UDP &&
		 skb->len >= ioff + sizeof(struct udphdr) &&
		 ((struct udphdr *)l4)->check)
		check = &((struct udphdr *)l4)->check;
	port = (__be16 *)l4 + (dst ? 1 : 0);

	if (in->af == AF_INET6) {
		struct ipv6hdr *ip6h = (struct ipv6hdr *)(skb->data + in->nh);
		struct in6_addr *a = dst ? &ip6h->daddr : &ip6h->saddr;

		if (check)
			lvs_csum_replace16(check, a->s6_addr32, naddr->ip6);
		*a = naddr->in6;
	} else {
		struct iphdr *iph = (struct iphdr *)(skb->data + in->nh);
		__be32 *a = dst ? &iph->daddr : &iph->saddr;

		if (check)
			csum_replace4(check, *a, naddr->ip);
		*a = naddr->ip;
		ip_send_check(iph);
	}
	if (check)
		csum_replace2(check, *port, nport);
	*port = nport;
}

static void lvs_icmp_fix_csum(struct sk_buff *skb, const struct lvs_iph *h)
{
	unsigned int len = skb->len - h->len;

	if (h->af == AF_INET6) {
		struct icmp6hdr *ic = (struct icmp6hdr *)(skb->data + h->len);
		struct ipv6hdr *ip6h = ipv6_hdr(skb);

		ic->icmp6_cksum = 0;
		ic->icmp6_cksum = csum_ipv6_magic(&ip6h->saddr, &ip6h->daddr,
						  len, IPPROTO_ICMPV6,
						  skb_checksum(skb, h->len,
							       len, 0));
	} else {
		struct icmphdr *ic = (struct icmphdr *)(skb->data + h->len);

		ic->checksum = 0;
		ic->checksum = csum_fold(skb_checksum(skb, h->len, len, 0));
	}
	skb->ip_summed = CHECKSUM_NONE;
}

/*
 * For lvs_xmit(): an error from the client about a reply of a NAT
 * connection goes to the real server, which must see itself in it.
 */
int lvs_icmp_nat_in(struct sk_buff *skb, const struct lvs_conn *cp,
		    const struct lvs_iph *h)
{
	struct lvs_iph in;

	if (skb_ensure_writable(skb, skb->len) ||
	    lvs_fill_iph(h->af, skb, h->len + LVS_ICMP_HLEN, &in))
		return -EINVAL;
	/* The quoted reply went from the service: make it the server. */
	lvs_icmp_mangle_inner(skb, &in, false, &cp->daddr, cp->dport);
	if (h->af == AF_INET6) {
		ipv6_hdr(skb)->daddr = cp->daddr.in6;
	} else {
		ip_hdr(skb)->daddr = cp->daddr.ip;
		ip_send_check(ip_hdr(skb));
	}
	lvs_icmp_fix_csum(skb, h);
	return 0;
}

/* The MTU an ICMP error reports, or 0 if it is not about a size. */
static u32 lvs_icmp_mtu(const struct sk_buff *skb, const struct lvs_iph *h)
{
	u8 buf[8];
	const u8 *ic;

	ic = skb_header_pointer(skb, h->len, sizeof(buf), buf);
	if (!ic)
		return 0;
	if (h->af == AF_INET6)
		return ic[0] == ICMPV6_PKT_TOOBIG ?
		       get_unaligned_be32(ic + 4) : 0;
	if (ic[0] == ICMP_DEST_UNREACH && ic[1] == ICMP_FRAG_NEEDED)
		return get_unaligned_be16(ic + 6);
	return 0;
}

/*
 * A size error about our tunnel packet carrying a client's packet.
 * NF_ACCEPT if it is not one (the caller goes on), else the verdict: we
 * consume it.
 */
static unsigned int lvs_icmp_tunnel(struct net *net, struct sk_buff *skb,
				    const struct lvs_iph *h)
{
	unsigned int outer = h->len + LVS_ICMP_HLEN, hlen, inner;
	u32 mtu = lvs_icmp_mtu(skb, h);
	struct lvs_iph tun, in;
	struct lvs_conn *cp;
	u16 inner_af;

	if (!mtu || lvs_fill_iph(h->af, skb, outer, &tun))
		return NF_ACCEPT;
	if (tun.protocol == IPPROTO_IPIP)
		inner_af = AF_INET;
	else if (tun.protocol == IPPROTO_IPV6)
		inner_af = AF_INET6;
	else
		return NF_ACCEPT;
	inner = tun.len;
	hlen = inner - outer;
	if (lvs_fill_iph(inner_af, skb, inner, &in) ||
	    (in.protocol != IPPROTO_TCP && in.protocol != IPPROTO_UDP))
		return NF_ACCEPT;
	cp = lvs_conn_in_get(net, &in);
	if (!cp || cp->fwd != LVS_FWD_TUNNEL || cp->daf != h->af ||
	    !lvs_addr_eq(h->af, &cp->daddr, &tun.daddr))
		return NF_ACCEPT;
	if (mtu <= hlen || !pskb_may_pull(skb, in.len) ||
	    !lvs_icmp_csum_ok(skb, h, NF_INET_LOCAL_IN) ||
	    skb_ensure_writable(skb, in.len))
		return NF_DROP;

	/* The route learns the MTU from the quoted tunnel header. */
	skb_pull(skb, outer);
	if (h->af == AF_INET6)
		ip6_update_pmtu(skb, net, htonl(mtu), 0, 0,
				sock_net_uid(net, NULL));
	else
		ipv4_update_pmtu(skb, net, mtu, 0, tun.protocol);
	dst_cache_reset(&cp->rs->dst_cache);

	/* The client hears about its own packet. */
	skb_pull(skb, hlen);
	skb_reset_network_header(skb);
	mtu -= hlen;
	if (inner_af == AF_INET6) {
		skb->protocol = htons(ETH_P_IPV6);
		icmpv6_send(skb, ICMPV6_PKT_TOOBIG, 0,
			    max_t(u32, mtu, IPV6_MIN_MTU));
	} else if (ip_hdr(skb)->frag_off & htons(IP_DF)) {
		skb->protocol = htons(ETH_P_IP);
		icmp_send(skb, ICMP_DEST_UNREACH, ICMP_FRAG_NEEDED,
			  htonl(mtu));
	}
	return NF_DROP;
}

/* LOCAL_IN: an error addressed to us.  Under RCU. */
unsigned int lvs_icmp_in(struct net *net, struct sk_buff *skb,
			 const struct lvs_iph *h)
{
	struct lvs_iph in, r;
	struct lvs_conn *cp;
	unsigned int verdict;

	if (!lvs_icmp_is_error(skb, h))
		return NF_ACCEPT;
	verdict = lvs_icmp_tunnel(net, skb, h);
	if (verdict != NF_ACCEPT)
		return verdict;
	if (!lvs_icmp_inner(skb, h, &in))
		return NF_ACCEPT;
	/* The quoted packet is a reply: service to client. */
	r = in;
	r.saddr = in.daddr;
	r.sport = in.dport;
	r.daddr = in.saddr;
	r.dport = in.sport;
	cp = lvs_conn_in_get(net, &r);
	if (!cp)
		return NF_ACCEPT;
	if (!lvs_rs_available(cp->rs) ||
	    !lvs_icmp_csum_ok(skb, h, NF_INET_LOCAL_IN))
		return NF_DROP;
	lvs_stats_in(cp->rs, skb->len);
	return lvs_xmit(net, skb, cp, h, true);
}

/* FORWARD: an error on its way to a client of a NAT connection. */
unsigned int lvs_icmp_out(struct net *net, struct sk_buff *skb,
			  const struct lvs_iph *h)
{
	struct lvs_iph in, r;
	struct lvs_conn *cp;

	if (!lvs_icmp_inner(skb, h, &in))
		return NF_ACCEPT;
	/* The quoted packet went client to server. */
	r = in;
	r.saddr = in.daddr;
	r.sport = in.dport;
	r.daddr = in.saddr;
	r.dport = in.sport;
	cp = lvs_conn_out_get(net, &r);
	if (!cp)
		return NF_ACCEPT;
	if (!lvs_icmp_csum_ok(skb, h, NF_INET_FORWARD) ||
	    skb_ensure_writable(skb, skb->len) ||
	    lvs_fill_iph(h->af, skb, h->len + LVS_ICMP_HLEN, &in))
		return NF_DROP;
	lvs_icmp_mangle_inner(skb, &in, true, &cp->vaddr, cp->vport);
	if (h->af == AF_INET6) {
		ipv6_hdr(skb)->saddr = cp->vaddr.in6;
	} else {
		ip_hdr(skb)->saddr = cp->vaddr.ip;
		ip_send_check(ip_hdr(skb));
	}
	lvs_icmp_fix_csum(skb, h);
	lvs_stats_out(cp->rs, skb->len);
	return NF_ACCEPT;
}
