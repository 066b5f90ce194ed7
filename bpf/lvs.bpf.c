// SPDX-License-Identifier: GPL-2.0
/*
 * lvs.bpf.c - the eBPF datapath: one XDP program on every interface.
 *
 * Client -> VIP: find the connection or schedule a new one, rewrite (NAT)
 * or re-address (DR) the packet and send it out of the interface the FIB
 * names, with XDP_REDIRECT.  Real server -> client (NAT replies): find the
 * connection by its real-server end, rewrite the source back to the VIP,
 * redirect likewise.  Anything else goes on to the stack (XDP_PASS).
 * Connections expire through a bpf_timer in each entry (docs/bpf.md).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "lvs_bpf.h"
/* vmlinux.h has the kernel types lvs.h would take from <linux/types.h> */
#define _LINUX_TYPES_H
#include "../include/uapi/lvs.h"

#define AF_INET		2
#define AF_INET6	10
#define ETH_P_IP	0x0800
#define ETH_P_IPV6	0x86DD
#define IPPROTO_FRAGMENT	44
#define CLOCK_MONOTONIC	1
#define NSEC		1000000000ULL

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LVS_BPF_MAX_SVCS);
	__type(key, struct lvs_bpf_svc_key);
	__type(value, __u32);
} lvs_svc_idx SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LVS_BPF_MAX_SVCS);
	__type(key, __u32);
	__type(value, struct lvs_bpf_svc);
} lvs_svcs SEC(".maps");

/* lvs_bpf.h: a service's slot, if its key's hint names it */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LVS_BPF_HINTS);
	__type(key, __u32);
	__type(value, __u32);
} lvs_svc_hint SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LVS_BPF_MAX_DESTS);
	__type(key, __u32);
	__type(value, struct lvs_bpf_dest);
} lvs_dests SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LVS_BPF_MAX_DESTS);
	__type(key, __u32);
	__type(value, struct lvs_bpf_dest_cnt);
} lvs_dest_cnt SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LVS_BPF_MAX_DESTS);
	__type(key, __u32);
	__type(value, struct lvs_bpf_dest_ovl);
} lvs_dest_ovl SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LVS_BPF_MAX_SVCS);
	__type(key, __u32);
	__type(value, struct lvs_bpf_wrr_seq);
} lvs_wrr_seq SEC(".maps");

/* allocated for mh services only */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LVS_BPF_MAX_SVCS);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, struct lvs_bpf_mh_tab);
} lvs_mh_tab SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, LVS_BPF_LOC_MAX);
	__type(key, struct lvs_bpf_loc_key);
	__type(value, struct lvs_bpf_loc);
} lvs_loc SEC(".maps");

/* lvs_sched_loc's working copy and key, off the stack (6.1 counts 512
 * bytes over the whole chain of calls, bpf_loop callbacks included). */
struct loc_tmp {
	struct lvs_bpf_loc v;
	struct lvs_bpf_loc_key key;
	__u32 p;
	__s32 w, mw;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct loc_tmp);
} lvs_loc_tmp SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LVS_BPF_CONN_MAX);
	__type(key, struct lvs_bpf_conn_key);
	__type(value, struct lvs_bpf_conn);
} lvs_conns SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, LVS_BPF_CONN_MAX);
	__type(key, struct lvs_bpf_out_key);
	__type(value, struct lvs_bpf_conn_key);
} lvs_conns_out SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, LVS_BPF_FRAGS);
	__type(key, struct lvs_bpf_frag_key);
	__type(value, struct lvs_bpf_frag);
} lvs_frags SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lvs_bpf_cfg);
} lvs_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lvs_bpf_state);
} lvs_state SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LVS_BPF_MAX_SVCS);
	__type(key, __u32);
	__type(value, struct lvs_bpf_stats);
} lvs_svc_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, LVS_BPF_MAX_DESTS);
	__type(key, __u32);
	__type(value, struct lvs_bpf_stats);
} lvs_dest_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, LVS_BPF_MAX_SVCS + LVS_BPF_MAX_DESTS);
	__type(key, __u32);
	__type(value, struct lvs_bpf_rate);
} lvs_rates SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lvs_bpf_est);
} lvs_est SEC(".maps");

/* lvs_bpf.h: which addresses are worth a lookup */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * LVS_BPF_BITS_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} lvs_addr_bits SEC(".maps");

/* Per-CPU room for entries being built (the stack holds 512 bytes):
 * raw bytes, since a per-CPU value may hold no timer or lock. */
struct conn_raw {
	__u64	b[sizeof(struct lvs_bpf_conn) / 8];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct conn_raw);
} lvs_scratch SEC(".maps");

static __always_inline struct lvs_bpf_conn *scratch(__u32 i)
{
	struct conn_raw *r = bpf_map_lookup_elem(&lvs_scratch, &i);

	if (r)
		__builtin_memset(r, 0, sizeof(*r));
	return (struct lvs_bpf_conn *)r;
}

/* The tunnel path's FIB query, off the stack: lvs_xdp, new_conn,
 * xmit_in and xmit_tun are one call chain, and 6.1's verifier holds it
 * to 512 bytes with each frame rounded up to 32. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct bpf_fib_lookup);
} lvs_fib_tmp SEC(".maps");

static __always_inline struct bpf_fib_lookup *fib_tmp(void)
{
	__u32 zero = 0;
	struct bpf_fib_lookup *f = bpf_map_lookup_elem(&lvs_fib_tmp, &zero);

	if (f)
		__builtin_memset(f, 0, sizeof(*f));
	return f;
}

/* ---- TCP state machine: IPVS's table, as kmod/proto_tcp.c ---- */

#define NO	LVS_TCP_S_NONE
#define ES	LVS_TCP_S_ESTABLISHED
#define SS	LVS_TCP_S_SYN_SENT
#define SR	LVS_TCP_S_SYN_RECV
#define FW	LVS_TCP_S_FIN_WAIT
#define TW	LVS_TCP_S_TIME_WAIT
#define CL	LVS_TCP_S_CLOSE
#define CW	LVS_TCP_S_CLOSE_WAIT
#define LA	LVS_TCP_S_LAST_ACK
#define LI	LVS_TCP_S_LISTEN
#define SA	LVS_TCP_S_SYNACK

enum { DIR_INPUT, DIR_OUTPUT, DIR_INPUT_ONLY };
enum { EV_SYN, EV_FIN, EV_ACK, EV_RST, EV_MAX };

static const __u8 tcp_next[3][EV_MAX][12] = {
	[DIR_INPUT] = {
		/*	   NO  ES  SS  SR  FW  TW  CL  CW  LA  LI  SA */
		[EV_SYN] = { SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR },
		[EV_FIN] = { CL, CW, SS, TW, TW, TW, CL, CW, LA, LI, TW },
		[EV_ACK] = { ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES },
		[EV_RST] = { CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, SR },
	},
	[DIR_OUTPUT] = {
		[EV_SYN] = { SS, ES, SS, SR, SS, SS, SS, SS, SS, LI, SR },
		[EV_FIN] = { TW, FW, SS, TW, FW, TW, CL, TW, LA, LI, TW },
		[EV_ACK] = { ES, ES, SS, ES, FW, TW, CL, CW, LA, ES, ES },
		[EV_RST] = { CL, CL, SS, CL, CL, TW, CL, CL, CL, CL, CL },
	},
	[DIR_INPUT_ONLY] = {
		[EV_SYN] = { SR, ES, ES, SR, SR, SR, SR, SR, SR, SR, SR },
		[EV_FIN] = { CL, FW, SS, TW, FW, TW, CL, CW, LA, LI, TW },
		[EV_ACK] = { ES, ES, SS, ES, FW, TW, CL, CW, CL, LI, ES },
		[EV_RST] = { CL, CL, CL, SR, CL, CL, CL, CL, LA, LI, CL },
	},
};

static __always_inline bool tcp_state_active(__u32 s)
{
	return s == ES || s == SS || s == SR || s == SA;
}

/* ---- checksums (RFC 1624) ---- */

static __always_inline __u16 csum_fold32(__u32 s)
{
	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__u16)s;
}

static __always_inline void csum_replace4(__u16 *sum, __u32 from, __u32 to)
{
	__u32 s = (__u16)~*sum;

	s += (~from & 0xffff) + (~from >> 16);
	s += (to & 0xffff) + (to >> 16);
	*sum = ~csum_fold32(s);
}

static __always_inline void csum_replace2(__u16 *sum, __u16 from, __u16 to)
{
	__u32 s = (__u16)~*sum;

	s += (__u16)~from;
	s += to;
	*sum = ~csum_fold32(s);
}

/* ---- packet ---- */

struct pkt {
	struct iphdr	*ip;		/* IPv4, or */
	struct ipv6hdr	*ip6;		/* IPv6 */
	__u32		*saddr, *daddr;	/* in the packet: 1 or 4 words */
	__u16		*l4csum;	/* NULL: UDP without checksum */
	__be16		*sport, *dport;
	void		*end;		/* ctx->data_end: re-checked in
					 * subprograms, which do not see
					 * which family parse() found */
	__u16		af;
	__u8		proto;
	__u8		tcpflags;	/* bit 0 SYN, 1 ACK, 2 FIN, 3 RST */
	__u32		len;		/* IP length, as skb->len in the kmod */
	bool		frag;		/* a first fragment: more follow */
};

#define F_SYN	1
#define F_ACK	2
#define F_FIN	4
#define F_RST	8

static __always_inline int parse(struct xdp_md *ctx, struct pkt *p)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	void *l4;

	if ((void *)(eth + 1) > end)
		return -1;
	p->end = end;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > end || ip->version != 4 || ip->ihl < 5)
			return -1;
		/* later fragments have no ports: frag_more() */
		if (ip->frag_off & bpf_htons(0x1fff))
			return -1;
		p->frag = ip->frag_off & bpf_htons(0x2000);
		l4 = (void *)ip + ip->ihl * 4;
		p->ip = ip;
		p->af = AF_INET;
		p->saddr = &ip->saddr;
		p->daddr = &ip->daddr;
		p->proto = ip->protocol;
		p->len = bpf_ntohs(ip->tot_len);
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		/*
		 * Other extension headers go to the stack; a fragment
		 * header first is a fragment's, ports only in the first.
		 */
		if ((void *)(ip6 + 1) > end || ip6->version != 6)
			return -1;
		l4 = ip6 + 1;
		p->ip6 = ip6;
		p->af = AF_INET6;
		p->saddr = (__u32 *)&ip6->saddr;
		p->daddr = (__u32 *)&ip6->daddr;
		p->proto = ip6->nexthdr;
		if (p->proto == IPPROTO_FRAGMENT) {
			struct frag_hdr *fh = l4;

			if ((void *)(fh + 1) > end ||
			    fh->frag_off & bpf_htons(0xfff8))
				return -1;
			p->frag = fh->frag_off & bpf_htons(1);
			p->proto = fh->nexthdr;
			l4 = fh + 1;
		}
		p->len = bpf_ntohs(ip6->payload_len) + sizeof(*ip6);
	} else {
		return -1;
	}
	if (p->proto == IPPROTO_TCP) {
		struct tcphdr *th = l4;

		if ((void *)(th + 1) > end)
			return -1;
		p->sport = &th->source;
		p->dport = &th->dest;
		p->l4csum = &th->check;
		p->tcpflags = (th->syn ? F_SYN : 0) | (th->ack ? F_ACK : 0) |
			      (th->fin ? F_FIN : 0) | (th->rst ? F_RST : 0);
	} else if (p->proto == IPPROTO_UDP) {
		struct udphdr *uh = l4;

		if ((void *)(uh + 1) > end)
			return -1;
		p->sport = &uh->source;
		p->dport = &uh->dest;
		p->l4csum = uh->check ? &uh->check : NULL;
		p->tcpflags = 0;
	} else {
		return -1;
	}
	return 0;
}

/* Rewrite one end (source or destination) of a TCP/UDP packet: the
 * address words in the L4 pseudo-header sum and (IPv4) the header's. */
static __always_inline void rewrite(struct pkt *p, bool dst,
				    const __u32 *addr, __be16 port)
{
	__u32 *a = dst ? p->daddr : p->saddr;
	__be16 *pp = dst ? p->dport : p->sport;
	int i, nw = p->af == AF_INET6 ? 4 : 1;

	if ((void *)(a + nw) > p->end || (void *)(a + 1) > p->end)
		return;
	if (nw == 4 && (void *)(a + 4) > p->end)
		return;

	if (p->l4csum) {
		for (i = 0; i < 4; i++) {
			if (i >= nw)
				break;
			csum_replace4(p->l4csum, a[i], addr[i]);
		}
		csum_replace2(p->l4csum, *pp, port);
		if (p->proto == IPPROTO_UDP && !*p->l4csum)
			*p->l4csum = 0xffff;
	}
	if (p->ip)
		csum_replace4(&p->ip->check, a[0], addr[0]);
	for (i = 0; i < 4; i++) {
		if (i >= nw)
			break;
		a[i] = addr[i];
	}
	*pp = port;
}

/*
 * Send the packet towards dst (its own destination for NAT, the real
 * server as next hop for DR).  XDP_PASS when the FIB cannot answer (no
 * neighbour yet, local destination): the stack then forwards it.
 *
 * With c, the connection's next hop for this direction (FWD_OUT: the
 * reply's) is taken from its cache (struct lvs_bpf_nh) while that is
 * younger than LVS_BPF_NH_TTL_NS and was asked for the same ingress
 * interface and DS field and a packet at least this long; else
 * bpf_fib_lookup answers and refills it.  The lookup's inputs besides
 * those are the connection's addresses, fixed for its life.
 */
#define FWD_TTL	1	/* decrement the TTL (hop limit) */
#define FWD_OUT	2	/* the reply direction's cache */

/*
 * Ask the FIB for the way from the packet's source to dst: -1 with
 * nh's interface and MACs filled, else what to do with the packet.
 */
static __always_inline int fib_ask(struct xdp_md *ctx, struct pkt *p,
				   const __u32 *dst, struct lvs_bpf_nh *nh,
				   __u32 iif, __u8 tos)
{
	struct bpf_fib_lookup *fib;
	int rc, i;

	fib = fib_tmp();
	if (!fib)
		return XDP_PASS;
	fib->l4_protocol = p->proto;
	fib->tot_len = p->len;
	fib->ifindex = iif;
	if (p->ip6) {
		if ((void *)(p->saddr + 4) > p->end)
			return XDP_DROP;
		fib->family = AF_INET6;
		for (i = 0; i < 4; i++) {
			fib->ipv6_src[i] = p->saddr[i];
			fib->ipv6_dst[i] = dst[i];
		}
	} else if (p->ip) {
		fib->family = AF_INET;
		fib->tos = tos;
		fib->ipv4_src = p->saddr[0];
		fib->ipv4_dst = dst[0];
	} else {
		return XDP_PASS;
	}
	rc = bpf_fib_lookup(ctx, fib, sizeof(*fib), 0);
	if (rc == BPF_FIB_LKUP_RET_BLACKHOLE ||
	    rc == BPF_FIB_LKUP_RET_UNREACHABLE ||
	    rc == BPF_FIB_LKUP_RET_PROHIBIT)
		return XDP_DROP;
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return XDP_PASS;
	nh->ifindex = fib->ifindex;
	__builtin_memcpy(nh->dmac, fib->dmac, 6);
	__builtin_memcpy(nh->smac, fib->smac, 6);
	return -1;
}

static __noinline int forward(struct xdp_md *ctx, struct pkt *p,
			      const __u32 *dst, int flags,
			      struct lvs_bpf_conn *c)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct lvs_bpf_nh nh = {}, *cached = NULL;
	__u32 iif = ctx->ingress_ifindex;
	__u8 tos = p->ip ? p->ip->tos : 0;
	int rc;

	if (c) {
		cached = flags & FWD_OUT ? &c->nh[1] : &c->nh[0];
		bpf_spin_lock(&c->lock);
		nh = *cached;
		bpf_spin_unlock(&c->lock);
		if (nh.stamp && c->last_ns - nh.stamp < LVS_BPF_NH_TTL_NS &&
		    nh.iif == iif && nh.tos == tos && p->len <= nh.len)
			goto found;
	}
	rc = fib_ask(ctx, p, dst, &nh, iif, tos);
	if (rc >= 0)
		return rc;
	if (cached && p->len <= 0xffff) {
		nh.stamp = c->last_ns;
		nh.iif = iif;
		nh.tos = tos;
		nh.len = p->len;
		bpf_spin_lock(&c->lock);
		*cached = nh;
		bpf_spin_unlock(&c->lock);
	}
found:
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	if ((flags & FWD_TTL) && p->ip6) {
		if (p->ip6->hop_limit <= 1)
			return XDP_PASS;	/* the stack sends time-exceeded */
		p->ip6->hop_limit--;
	} else if ((flags & FWD_TTL) && p->ip) {
		if (p->ip->ttl <= 1)
			return XDP_PASS;
		csum_replace2(&p->ip->check, bpf_htons(p->ip->ttl << 8),
			      bpf_htons((p->ip->ttl - 1) << 8));
		p->ip->ttl--;
	}
	__builtin_memcpy(eth->h_dest, nh.dmac, 6);
	__builtin_memcpy(eth->h_source, nh.smac, 6);
	if (nh.ifindex == iif)
		return XDP_TX;
	return bpf_redirect(nh.ifindex, 0);
}

/*
 * A new entry's next hop towards its real server, asked before the
 * entry enters the table (nc is the per-CPU copy being built): the
 * same question forward() would ask for its first packet (the NAT
 * rewrite changes neither the source, the length nor the DS field), so
 * that packet finds the answer cached, and storing it takes no lock,
 * no other CPU seeing the entry yet.  Left empty when the FIB cannot
 * answer: forward() then asks again and acts on the answer.
 */
static __noinline void nh_fill(struct xdp_md *ctx, struct pkt *p,
			       struct lvs_bpf_conn *nc)
{
	struct lvs_bpf_nh *nh = &nc->nh[0];
	__u32 iif = ctx->ingress_ifindex;
	__u8 tos = p->ip ? p->ip->tos : 0;

	if (p->len > 0xffff || fib_ask(ctx, p, nc->daddr, nh, iif, tos) >= 0)
		return;
	nh->stamp = nc->last_ns;
	nh->iif = iif;
	nh->tos = tos;
	nh->len = p->len;
}

/* ---- stats ---- */

/* One counter set: pkts packets (0: more bytes of one counted) of len. */
static __always_inline void stats_one(struct lvs_bpf_stats *s, bool in,
				      __u32 len, __u32 pkts, bool newconn)
{
	if (!s)
		return;
	if (newconn)
		s->conns++;
	if (in) {
		s->inpkts += pkts;
		s->inbytes += len;
	} else {
		s->outpkts += pkts;
		s->outbytes += len;
	}
}

static __noinline void stats_add(__u32 svc, __u32 dest, bool in,
				      __u32 len, bool newconn)
{
	stats_one(bpf_map_lookup_elem(&lvs_svc_stats, &svc), in, len, 1,
		  newconn);
	stats_one(bpf_map_lookup_elem(&lvs_dest_stats, &dest), in, len, 1,
		  newconn);
}

/* ---- the rate estimator (lvs_bpf.h, kmod/stats.c) ---- */

struct est_sum {
	__u32 key, dest;
	__u64 v[5];
};

/* bpf_loop callback: add CPU cpu's counters of one object. */
static int est_cpu(__u32 cpu, struct est_sum *e)
{
	struct lvs_bpf_stats *st;

	if (e->dest)
		st = bpf_map_lookup_percpu_elem(&lvs_dest_stats, &e->key, cpu);
	else
		st = bpf_map_lookup_percpu_elem(&lvs_svc_stats, &e->key, cpu);
	if (!st)
		return 1;
	e->v[0] += st->conns;
	e->v[1] += st->inpkts;
	e->v[2] += st->outpkts;
	e->v[3] += st->inbytes;
	e->v[4] += st->outbytes;
	return 0;
}

/* new = old + (sample - old) / 4, the division truncating as s64's */
static __always_inline __u64 est_ewma(__u64 avg, __u64 last, __u64 now)
{
	__s64 sample = now >= last ? (__s64)(((now - last) <<
				       LVS_BPF_EST_SHIFT) / LVS_BPF_EST_SECS) : 0;
	__s64 d = sample - (__s64)avg;

	return (__u64)((__s64)avg + (d >= 0 ? d >> 2 : -((-d) >> 2)));
}

/* bpf_loop callback: one service (i < LVS_BPF_MAX_SVCS) or real server. */
static int est_one(__u32 i, __u32 *ncpus)
{
	struct est_sum e = {};
	struct lvs_bpf_rate *r;
	int j;

	if (i < LVS_BPF_MAX_SVCS) {
		struct lvs_bpf_svc *s = bpf_map_lookup_elem(&lvs_svcs, &i);

		if (!s || !s->in_use)
			return 0;
		e.key = i;
	} else {
		struct lvs_bpf_dest *d;

		e.key = i - LVS_BPF_MAX_SVCS;
		e.dest = 1;
		d = bpf_map_lookup_elem(&lvs_dests, &e.key);
		if (!d || !d->in_use)
			return 0;
	}
	r = bpf_map_lookup_elem(&lvs_rates, &i);
	if (!r)
		return 0;
	bpf_loop(*ncpus, est_cpu, &e, 0);
	for (j = 0; j < 5; j++) {
		r->rate[j] = est_ewma(r->rate[j], r->last[j], e.v[j]);
		r->last[j] = e.v[j];
	}
	return 0;
}

static int est_tick(void *map, __u32 *key, struct lvs_bpf_est *est)
{
	struct lvs_bpf_cfg *cfg;
	__u32 zero = 0, ncpus;

	cfg = bpf_map_lookup_elem(&lvs_cfg, &zero);
	ncpus = cfg ? cfg->ncpus : 1;
	if (ncpus < 1 || ncpus > 4096)
		ncpus = 1;
	bpf_loop(LVS_BPF_MAX_SVCS + LVS_BPF_MAX_DESTS, est_one, &ncpus, 0);
	bpf_timer_start(&est->timer, LVS_BPF_EST_SECS * NSEC, 0);
	return 0;
}

/* Start the estimator once; it then re-arms itself every 2 s. */
static __noinline void est_arm(void)
{
	__u32 zero = 0;
	struct lvs_bpf_est *e = bpf_map_lookup_elem(&lvs_est, &zero);

	if (!e || e->armed)
		return;
	e->armed = 1;
	/* on a race, the other CPU's init fails with -EBUSY */
	if (bpf_timer_init(&e->timer, &lvs_est, CLOCK_MONOTONIC))
		return;
	bpf_timer_set_callback(&e->timer, est_tick);
	bpf_timer_start(&e->timer, LVS_BPF_EST_SECS * NSEC, 0);
}

/* ---- connections ---- */

static __always_inline __u32 state_timeout(__u8 proto, __u32 state)
{
	__u32 zero = 0;
	struct lvs_bpf_cfg *cfg = bpf_map_lookup_elem(&lvs_cfg, &zero);

	if (!cfg)
		return 60;
	if (proto == IPPROTO_UDP)
		return cfg->udp;
	return cfg->tcp[state & 15];
}

/*
 * The overload flag from the counts, as lvs.ko's lvs_rs_update_overload:
 * set at u_threshold, cleared at l_threshold or, without one, below
 * three quarters of u_threshold.
 */
__noinline int lvs_dest_overload(__u32 slot, __u32 u, __u32 l,
				 __s32 act, __s32 inact)
{
	struct lvs_bpf_dest_ovl *o = bpf_map_lookup_elem(&lvs_dest_ovl, &slot);
	__u32 conns = (act > 0 ? act : 0) + (inact > 0 ? inact : 0);
	bool over;

	if (!o || (!u && !(o->flags & LVS_DEST_F_OVERLOAD)))
		return 0;
	bpf_spin_lock(&o->lock);
	over = o->flags & LVS_DEST_F_OVERLOAD;
	if (u && conns >= u)
		over = true;
	else if (!u)
		over = false;
	else if (l)
		over = over && conns > l;
	else
		over = over && (__u64)conns * 4 >= (__u64)u * 3;
	if (over)
		o->flags |= LVS_DEST_F_OVERLOAD;
	else
		o->flags &= ~LVS_DEST_F_OVERLOAD;
	bpf_spin_unlock(&o->lock);
	return 0;
}

static __always_inline bool dest_overloaded(__u32 slot)
{
	struct lvs_bpf_dest_ovl *o = bpf_map_lookup_elem(&lvs_dest_ovl, &slot);

	return o && (o->flags & LVS_DEST_F_OVERLOAD);
}

/* Move one connection between a dest's active and inactive counts. */
static __always_inline void dest_count3(__u32 slot, __u32 gen, int active,
					int inactive, int persist)
{
	struct lvs_bpf_dest *dd = bpf_map_lookup_elem(&lvs_dests, &slot);
	struct lvs_bpf_dest_cnt *d;

	if (!dd || dd->gen != gen)
		return;
	d = bpf_map_lookup_elem(&lvs_dest_cnt, &slot);
	if (!d)
		return;
	if (active)
		__sync_fetch_and_add(&d->activeconns, active);
	if (inactive)
		__sync_fetch_and_add(&d->inactconns, inactive);
	if (persist)
		__sync_fetch_and_add(&d->persistconns, persist);
	if (active || inactive)
		lvs_dest_overload(slot, dd->u_threshold, dd->l_threshold,
				  d->activeconns, d->inactconns);
}

static __always_inline void dest_count(__u32 slot, __u32 gen, int active,
				       int inactive)
{
	dest_count3(slot, gen, active, inactive, 0);
}

static __noinline void conn_unlink(struct lvs_bpf_conn_key *k,
					struct lvs_bpf_conn *c)
{
	struct lvs_bpf_out_key ok = {};
	__u32 zero = 0;
	struct lvs_bpf_state *st;

	if (c->flags & LVS_CONN_F_TEMPLATE)
		dest_count3(c->dest, c->dgen, 0, 0, -1);
	else if (c->flags & LVS_CONN_F_INACTIVE)
		dest_count(c->dest, c->dgen, 0, -1);
	else
		dest_count(c->dest, c->dgen, -1, 0);
	if (c->has_tmpl) {
		struct lvs_bpf_conn *t;

		t = bpf_map_lookup_elem(&lvs_conns, &c->tmpl);
		if (t)
			__sync_fetch_and_add(&t->n_control, -1);
	}
	if (c->fwd == LVS_FWD_MASQ) {
		ok.af = k->af;
		ok.proto = k->proto;
		ok.dport = c->dport;
		ok.cport = k->cport;
		__builtin_memcpy(ok.daddr, c->daddr, 16);
		__builtin_memcpy(ok.caddr, k->caddr, 16);
		bpf_map_delete_elem(&lvs_conns_out, &ok);
	}
	st = bpf_map_lookup_elem(&lvs_state, &zero);
	if (st)
		__sync_fetch_and_add(&st->conn_count, -1);
}

/* Whoever sets the DEAD flag first undoes the counts and frees. */
static __always_inline bool conn_claim(struct lvs_bpf_conn *c)
{
	bool mine;

	bpf_spin_lock(&c->lock);
	mine = !(c->flags & LVS_BPF_CONN_DEAD);
	c->flags |= LVS_BPF_CONN_DEAD;
	bpf_spin_unlock(&c->lock);
	return mine;
}

/* Timer: expire the entry, or re-arm for what is left of its timeout. */
static int conn_timer(void *map, struct lvs_bpf_conn_key *k,
		      struct lvs_bpf_conn *value)
{
	/*
	 * Work on a pointer from a lookup, not on the value argument: the
	 * 6.1 verifier gives the callback's argument no id, so a
	 * bpf_spin_lock taken through it is not seen as taken and the
	 * unlock is refused ("bpf_spin_unlock without taking a lock").
	 */
	struct lvs_bpf_conn *c = bpf_map_lookup_elem(&lvs_conns, k);
	__u64 now, end;

	if (!c)
		return 0;
	now = bpf_ktime_get_ns();
	end = c->last_ns + (__u64)c->timeout_s * NSEC;

	if (end > now && !(c->flags & LVS_BPF_CONN_DEAD)) {
		bpf_timer_start(&c->timer, end - now, 0);
		return 0;
	}
	/* a template outlives its timer while it controls connections */
	if ((c->flags & LVS_CONN_F_TEMPLATE) && c->n_control > 0 &&
	    !(c->flags & LVS_BPF_CONN_DEAD)) {
		bpf_timer_start(&c->timer, (__u64)c->timeout_s * NSEC, 0);
		return 0;
	}
	if (conn_claim(c)) {
		conn_unlink(k, c);
		bpf_map_delete_elem(map, k);
	}
	return 0;
}

/* Free an entry now (its real server is gone, or its port is reused). */
static __noinline void conn_kill(struct lvs_bpf_conn_key *k,
				      struct lvs_bpf_conn *c)
{
	if (conn_claim(c)) {
		conn_unlink(k, c);
		bpf_map_delete_elem(&lvs_conns, k);
	}
}

static __noinline void tcp_transition(struct lvs_bpf_conn *c, int dir,
					   __u8 flags)
{
	int ev, d = dir;
	__u32 cur, next;
	bool was, is;

	if (flags & F_RST)
		ev = EV_RST;
	else if (flags & F_SYN)
		ev = EV_SYN;
	else if (flags & F_FIN)
		ev = EV_FIN;
	else if (flags & F_ACK)
		ev = EV_ACK;
	else
		ev = -1;

	/*
	 * Most packets leave the state as it is: seen so without the lock
	 * (state and flags each read once), the packet is as if handled
	 * before any change another CPU is making, and there is nothing
	 * to do.
	 */
	if (c->flags & LVS_CONN_F_NO_OUTPUT) {
		if (d == DIR_OUTPUT)
			goto locked;	/* the flag goes */
		d = DIR_INPUT_ONLY;
	}
	cur = c->state;
	if (ev >= 0 && cur <= LVS_TCP_S_MAX &&
	    tcp_next[d & 3][ev & 3][cur] == cur)
		return;
	d = dir;
locked:
	bpf_spin_lock(&c->lock);
	if (c->flags & LVS_CONN_F_NO_OUTPUT) {
		if (d == DIR_OUTPUT)
			c->flags &= ~LVS_CONN_F_NO_OUTPUT;
		else
			d = DIR_INPUT_ONLY;
	}
	cur = c->state;
	if (cur > LVS_TCP_S_MAX)
		cur = 0;
	if (ev < 0)
		next = LVS_TCP_S_CLOSE;
	else
		next = tcp_next[d & 3][ev & 3][cur];
	if (next == cur) {
		bpf_spin_unlock(&c->lock);
		return;
	}
	was = !(c->flags & LVS_CONN_F_INACTIVE);
	is = tcp_state_active(next);
	if (is)
		c->flags &= ~LVS_CONN_F_INACTIVE;
	else
		c->flags |= LVS_CONN_F_INACTIVE;
	c->state = next;
	bpf_spin_unlock(&c->lock);

	c->timeout_s = state_timeout(IPPROTO_TCP, next);
	/* a shorter timeout must fire earlier: re-arm on state changes */
	bpf_timer_start(&c->timer, (__u64)c->timeout_s * NSEC, 0);
	if (was != is)
		dest_count(c->dest, c->dgen, is ? 1 : -1, is ? -1 : 1);
}

/* ---- schedulers (docs/bpf.md; semantics of schedulers/lvs_*.c) ---- */

#define NDESTS	LVS_BPF_SVC_DESTS

static __always_inline bool eligible(struct lvs_bpf_svc_dest *d)
{
	return d->weight > 0 && !dest_overloaded(d->slot);
}

/*
 * Each scheduler is a global function taking the service's slot and
 * returning a dest slot or -1: the verifier checks it once, on its own,
 * and its callers see one unknown result (as static subprograms they
 * were verified once per path into them, close to the 1M limit).
 */

struct rr_walk {
	struct lvs_bpf_svc *s;
	int pos, n, idx, pick;
};

/*
 * bpf_loop callback: the k-th dest after the last pick.  The walk ends
 * after the service's n dests: past them d[] holds stale copies (a
 * deletion moves the list up and leaves its old last entry behind),
 * whose dest slots may since belong to another service.
 */
static int rr_one(__u32 k, struct rr_walk *w)
{
	struct lvs_bpf_svc *s = w->s;
	int i;

	if (!s || (int)k >= w->n)
		return 1;
	i = w->pos + 1 + (int)k;
	if (i >= w->n)
		i -= w->n;
	if (i < 0 || i >= NDESTS)
		return 1;
	asm volatile("%[i] &= %[m]" : [i] "+r"(i) : [m] "i"(NDESTS - 1));
	if (eligible(&s->d[i])) {
		w->idx = i;
		w->pick = s->d[i].slot;
		return 1;
	}
	return 0;
}

/*
 * rr: the next eligible dest after the last pick, in list order.  The
 * walk runs outside the lock (it calls bpf_loop); the position moves
 * only if no other CPU moved it meanwhile, else the walk is redone, so
 * two CPUs never take the same turn.
 */
__noinline int lvs_sched_rr(__u32 svcslot)
{
	struct lvs_bpf_svc *s = bpf_map_lookup_elem(&lvs_svcs, &svcslot);
	struct rr_walk w = { .s = s };
	int try, moved;

	if (!s)
		return -1;
	for (try = 0; try < 8; try++) {
		bpf_spin_lock(&s->lock);
		w.pos = s->pos;
		w.n = s->n;
		bpf_spin_unlock(&s->lock);
		if (w.n > NDESTS)
			w.n = NDESTS;
		if (w.pos < -1 || w.pos >= w.n)
			w.pos = -1;
		w.pick = -1;
		/*
		 * The dest after the last pick is most often eligible: look
		 * at it with a direct call first (about 50 instructions less
		 * than through bpf_loop), and walk only when it is not.
		 */
		if (!rr_one(0, &w))
			bpf_loop(NDESTS, rr_one, &w, 0);
		if (w.pick < 0)
			return -1;
		bpf_spin_lock(&s->lock);
		moved = s->pos != w.pos && !(w.pos == -1 &&
					     (s->pos < -1 || s->pos >= w.n));
		if (!moved)
			s->pos = w.idx;
		bpf_spin_unlock(&s->lock);
		if (!moved)
			break;
	}
	return w.pick;
}

struct wrr_walk {
	struct lvs_bpf_wrr_seq *seq;
	__u32 pos, len, idx;
	int pick;
};

/* bpf_loop callback: the k-th pick of the cycle from the position. */
static int wrr_one(__u32 k, struct wrr_walk *w)
{
	__u32 i, slot;

	if (!w->seq || k >= w->len)
		return 1;
	i = w->pos + k;
	if (i >= w->len)
		i -= w->len;
	if (i >= LVS_BPF_WRR_SEQ)
		return 1;
	slot = w->seq->slot[i];
	if (dest_overloaded(slot))
		return 0;
	w->idx = i;
	w->pick = slot;
	return 1;
}

/*
 * wrr: the next pick of the cycle userspace computed (docs/bpf.md),
 * overloaded dests skipped as IPVS's walk skips them; the position moves
 * as rr's does (redone if another CPU moved it meanwhile).
 */
__noinline int lvs_sched_wrr(__u32 svcslot)
{
	struct lvs_bpf_svc *s = bpf_map_lookup_elem(&lvs_svcs, &svcslot);
	struct wrr_walk w = {};
	int try, moved, seen;

	if (!s)
		return -1;
	w.seq = bpf_map_lookup_elem(&lvs_wrr_seq, &svcslot);
	if (!w.seq)
		return -1;
	for (try = 0; try < 8; try++) {
		bpf_spin_lock(&s->lock);
		w.len = s->seqlen;
		seen = s->pos;
		bpf_spin_unlock(&s->lock);
		if (w.len > LVS_BPF_WRR_SEQ || !w.len)
			return -1;
		w.pos = seen >= 0 && (__u32)seen < w.len ? seen : 0;
		w.pick = -1;
		bpf_loop(LVS_BPF_WRR_SEQ, wrr_one, &w, 0);
		if (w.pick < 0)
			return -1;
		bpf_spin_lock(&s->lock);
		moved = s->pos != seen;
		if (!moved) {
			s->pos = w.idx + 1 < w.len ? w.idx + 1 : 0;
			s->wrr_last = w.idx;
		}
		bpf_spin_unlock(&s->lock);
		if (!moved)
			break;
	}
	return w.pick;
}

/*
 * The walking schedulers, each the rule of its schedulers/lvs_*.c over
 * the dests that are eligible (weight > 0, not overloaded), the first in
 * list order winning among equals:
 *  lc   least (active << 8) + inactive
 *  wlc  the same per weight (cross-multiplied)
 *  sed  least (active + 1) per weight
 *  nq   the first with no active connection, else sed
 *  fo   the highest weight
 *  ovf  the highest weight among those with active <= weight
 */
struct walk {
	struct lvs_bpf_svc *s;
	__u64 best_load, best_w;
	int kind, pick;
};

/* bpf_loop callback: dest i of a walk (verified once, not per i). */
static int walk_one(__u32 i, struct walk *wk)
{
	struct lvs_bpf_svc *s = wk->s;
	struct lvs_bpf_dest_cnt *d;
	__u32 slot, act;
	__u64 load, w;

	if (!s || i >= NDESTS || i >= s->n)
		return 1;
	/* the bound again, where clang cannot fold it into the tests above */
	asm volatile("%[i] &= %[m]" : [i] "+r"(i) : [m] "i"(NDESTS - 1));
	if (!eligible(&s->d[i]))
		return 0;
	slot = s->d[i].slot;
	w = (__u32)s->d[i].weight;
	d = bpf_map_lookup_elem(&lvs_dest_cnt, &slot);
	if (!d)
		return 0;
	act = d->activeconns > 0 ? d->activeconns : 0;
	if (wk->kind == LVS_BPF_SCHED_FO || wk->kind == LVS_BPF_SCHED_OVF) {
		if (wk->kind == LVS_BPF_SCHED_OVF && act > w)
			return 0;
		if (wk->pick < 0 || w > wk->best_w) {
			wk->pick = slot;
			wk->best_w = w;
		}
		return 0;
	}
	if (wk->kind == LVS_BPF_SCHED_NQ && !act) {
		wk->pick = slot;
		return 1;
	}
	if (wk->kind == LVS_BPF_SCHED_LC || wk->kind == LVS_BPF_SCHED_WLC)
		load = ((__u64)act << 8) +
		       (__u32)(d->inactconns > 0 ? d->inactconns : 0);
	else
		load = (__u64)act + 1;
	if (wk->kind == LVS_BPF_SCHED_LC)
		w = 1;
	if (wk->pick < 0 || load * wk->best_w < wk->best_load * w) {
		wk->pick = slot;
		wk->best_load = load;
		wk->best_w = w;
	}
	return 0;
}

__noinline int lvs_sched_walk(__u32 svcslot, int kind)
{
	struct lvs_bpf_svc *s = bpf_map_lookup_elem(&lvs_svcs, &svcslot);
	struct walk wk = { .s = s, .best_w = 1, .kind = kind, .pick = -1 };

	if (!s)
		return -1;
	bpf_loop(NDESTS, walk_one, &wk, 0);
	return wk.pick;
}

static __always_inline bool slot_usable(__u32 slot)
{
	struct lvs_bpf_dest *d = bpf_map_lookup_elem(&lvs_dests, &slot);

	return d && d->in_use && d->weight > 0 && !dest_overloaded(slot);
}

/* hash_32(key, 8): the kernel's multiplicative hash. */
static __always_inline __u32 hash8(__u32 key)
{
	return (key * 0x61C88647u) >> (32 - LVS_BPF_HASH_BITS);
}

struct hash_walk {
	struct lvs_bpf_wrr_seq *tab;
	__u32 key, first;
	int pick;
};

/* bpf_loop callback: bucket i of sh's fallback walk. */
static int hash_walk_one(__u32 i, struct hash_walk *w)
{
	__u32 h = (((i + w->first) & 0xff) + hash8(w->key)) & 0xff;
	__u32 slot;

	if (!w->tab)
		return 1;
	slot = w->tab->slot[h];
	if (slot_usable(slot)) {
		w->pick = slot;
		return 1;
	}
	return 0;
}

/*
 * sh (source) and dh (destination) hashing over the 256-bucket table
 * userspace built; sh with the fallback flag walks on from the bucket to
 * the next usable dest, with the port flag adds the client port.
 */
__noinline int lvs_sched_hash(__u32 svcslot, __u32 saddr, __u32 daddr,
			  __u32 sport)
{
	struct lvs_bpf_svc *s = bpf_map_lookup_elem(&lvs_svcs, &svcslot);
	struct hash_walk w = { .pick = -1 };
	__u32 slot;

	if (!s || s->seqlen != LVS_BPF_HASH_SIZE)
		return -1;
	w.tab = bpf_map_lookup_elem(&lvs_wrr_seq, &svcslot);
	if (!w.tab)
		return -1;
	if (s->sched_id == LVS_BPF_SCHED_DH) {
		slot = w.tab->slot[hash8(bpf_ntohl(daddr)) & 0xff];
		return slot_usable(slot) ? (int)slot : -1;
	}
	w.key = bpf_ntohl(saddr);
	if (s->flags & LVS_SVC_F_SCHED_SH_PORT)
		w.key += bpf_ntohs(sport);
	w.first = hash8(w.key);
	slot = w.tab->slot[w.first & 0xff];
	if (slot_usable(slot))
		return slot;
	if (!(s->flags & LVS_SVC_F_SCHED_SH_FALLBACK))
		return -1;
	bpf_loop(LVS_BPF_HASH_SIZE, hash_walk_one, &w, 0);
	return w.pick;
}

/*
 * mh: hsiphash of a u32 as the kernel's on 64-bit (SipHash-1-3, 128-bit
 * key, truncated to 32 bits), both key words k, as lvs_mh's fixed keys.
 */
#define MH_KEY1	2654435761ULL
#define MH_KEY2	2654446892ULL

static __always_inline __u64 rol64(__u64 w, unsigned int s)
{
	return (w << s) | (w >> (64 - s));
}

#define SIPROUND(v0, v1, v2, v3) do {				\
	v0 += v1; v1 = rol64(v1, 13); v1 ^= v0; v0 = rol64(v0, 32);	\
	v2 += v3; v3 = rol64(v3, 16); v3 ^= v2;				\
	v0 += v3; v3 = rol64(v3, 21); v3 ^= v0;				\
	v2 += v1; v1 = rol64(v1, 17); v1 ^= v2; v2 = rol64(v2, 32);	\
} while (0)

static __noinline __u32 mh_hash(__u32 v)
{
	__u64 v0 = 0x736f6d6570736575ULL ^ MH_KEY1;
	__u64 v1 = 0x646f72616e646f6dULL ^ MH_KEY1;
	__u64 v2 = 0x6c7967656e657261ULL ^ MH_KEY1;
	__u64 v3 = 0x7465646279746573ULL ^ MH_KEY1;
	__u64 b = (4ULL << 56) | v;

	v3 ^= b;
	SIPROUND(v0, v1, v2, v3);
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	SIPROUND(v0, v1, v2, v3);
	return (__u32)((v0 ^ v1) ^ (v2 ^ v3));
}

/* Whether mh's pick in the table is usable, -2 when no dest is there. */
static __always_inline int mh_slot(struct lvs_bpf_mh_tab *t, __u32 h)
{
	__u32 slot;

	/* the bound again, where clang would fold it into the modulo */
	asm volatile("" : "+r"(h));
	if (h >= LVS_BPF_MH_SIZE)
		return -2;
	slot = t->slot[h];
	if (slot == LVS_BPF_MH_NONE)
		return -2;
	return slot_usable(slot) ? (int)slot : -1;
}

struct mh_walk {
	struct lvs_bpf_mh_tab *tab;
	__u32 key, first;
	int pick;
};

/* bpf_loop callback: step i of mh's fallback walk. */
static int mh_walk_one(__u32 i, struct mh_walk *w)
{
	__u32 roff = (i + w->first) % LVS_BPF_MH_SIZE;
	int r;

	if (!w->tab)
		return 1;
	r = mh_slot(w->tab, mh_hash(roff + w->key) % LVS_BPF_MH_SIZE);
	if (r == -2)
		return 1;
	if (r >= 0) {
		w->pick = r;
		return 1;
	}
	return 0;
}

/*
 * mh-fallback's walk, as a global function: verified once on its own
 * (its callers see one unknown result), not once per path into it.
 */
__noinline int lvs_mh_fallback(__u32 svcslot, __u32 key, __u32 first)
{
	struct mh_walk w = { .pick = -1, .key = key, .first = first };

	w.tab = bpf_map_lookup_elem(&lvs_mh_tab, &svcslot);
	if (!w.tab)
		return -1;
	bpf_loop(LVS_BPF_MH_SIZE, mh_walk_one, &w, 0);
	return w.pick;
}

/*
 * mh (schedulers/lvs_mh.c): the client's slot in the table, or with
 * mh-fallback the first usable dest of lvs_mh's walk from there.
 */
__noinline int lvs_sched_mh(__u32 svcslot, __u32 saddr, __u32 sport)
{
	struct lvs_bpf_svc *s = bpf_map_lookup_elem(&lvs_svcs, &svcslot);
	struct mh_walk w = { .pick = -1 };
	int r;

	if (!s)
		return -1;
	w.tab = bpf_map_lookup_elem(&lvs_mh_tab, &svcslot);
	if (!w.tab)
		return -1;
	w.key = bpf_ntohl(saddr);
	if (s->flags & LVS_SVC_F_SCHED_MH_PORT)
		w.key += bpf_ntohs(sport);
	w.first = mh_hash(w.key) % LVS_BPF_MH_SIZE;
	r = mh_slot(w.tab, w.first);
	if (r >= 0)
		return r;
	if (r == -2 || !(s->flags & LVS_SVC_F_SCHED_MH_FALLBACK))
		return -1;
	return lvs_mh_fallback(svcslot, w.key, w.first);
}

/*
 * lblc, lblcr (schedulers/lvs_lblc.c, lvs_lblcr.c): lvs_loc holds, per
 * service and destination address, the dest (lblc) or the set of dests
 * (lblcr) chosen for it; docs/bpf.md.
 */

/* The weight of a dest slot still holding dest generation gen, or -1. */
static __always_inline __s32 loc_dest(__u32 slot, __u32 gen)
{
	struct lvs_bpf_dest *d = bpf_map_lookup_elem(&lvs_dests, &slot);

	if (!d || !d->in_use || d->gen != gen)
		return -1;
	return d->weight;
}

/* lvs_dest_conn_overhead: (active << 8) + inactive. */
static __always_inline __u64 loc_overhead(__u32 slot, __s32 *act)
{
	struct lvs_bpf_dest_cnt *c = bpf_map_lookup_elem(&lvs_dest_cnt, &slot);
	__u32 a, in;

	if (!c) {
		*act = 0;
		return 0;
	}
	a = c->activeconns > 0 ? c->activeconns : 0;
	in = c->inactconns > 0 ? c->inactconns : 0;
	*act = a;
	return (__u32)((a << 8) + in);
}

struct loc_light {
	struct lvs_bpf_svc *s;
	int found;
};

/* bpf_loop callback: whether dest i has active * 2 < weight. */
static int loc_light_one(__u32 i, struct loc_light *w)
{
	struct lvs_bpf_svc *s = w->s;
	__s32 act;

	if (!s || i >= NDESTS || i >= s->n)
		return 1;
	asm volatile("%[i] &= %[m]" : [i] "+r"(i) : [m] "i"(NDESTS - 1));
	loc_overhead(s->d[i].slot, &act);
	if ((__s64)act * 2 < s->d[i].weight) {
		w->found = 1;
		return 1;
	}
	return 0;
}

/*
 * Overloaded in lblc's sense (lvs_loc_overloaded): more active
 * connections than its weight while some dest of the service has
 * active * 2 < weight.
 */
__noinline int lvs_loc_overloaded(__u32 svcslot, __u32 slot, __s32 weight)
{
	struct lvs_bpf_svc *s = bpf_map_lookup_elem(&lvs_svcs, &svcslot);
	struct loc_light w = { .s = s };
	__s32 act;

	if (!s)
		return 0;
	loc_overhead(slot, &act);
	if (act <= weight)
		return 0;
	bpf_loop(NDESTS, loc_light_one, &w, 0);
	return w.found;
}

/*
 * lblcr's walks over a set copied to the stack: min the least loaded
 * member as lvs_lblcr_set_min (-1: none), else the index of the most
 * loaded one as lvs_lblcr_set_max.
 */
static __always_inline int loc_set_walk(struct lvs_bpf_loc *e, bool min,
					__u32 *pslot, __s32 *pw)
{
	__u64 best = 0, doh, bw = 1;
	int i, pick = -1;
	__s32 act, w;

	for (i = 0; i < LVS_BPF_LOC_SET; i++) {
		if ((__u32)i >= e->n)
			break;
		w = loc_dest(e->slot[i], e->gen[i]);
		if (min && (w < 0 || dest_overloaded(e->slot[i])))
			continue;
		if (!min && w <= 0)
			continue;
		doh = loc_overhead(e->slot[i], &act);
		if (min) {
			if (pick < 0) {
				if (w <= 0)
					continue;
			} else if (best * (__u32)w <= doh * bw) {
				continue;
			}
		} else if (pick >= 0 && !(best * (__u32)w < doh * bw)) {
			continue;
		}
		pick = i;
		best = doh;
		bw = (__u32)(w > 0 ? w : 0);
		*pslot = e->slot[i];
		*pw = w;
	}
	return pick;
}

/* Remove member i of a set. */
static __always_inline void loc_set_erase(struct lvs_bpf_loc *e, int i)
{
	int j;

	for (j = 0; j < LVS_BPF_LOC_SET - 1; j++)
		if (j >= i) {
			e->slot[j] = e->slot[j + 1];
			e->gen[j] = e->gen[j + 1];
		}
	if (e->n)
		e->n--;
}

/*
 * lblc and lblcr for the destination address a0..a3 (the rest zero for
 * IPv4).  An entry unused longer than LVS_BPF_LOC_EXPIRE counts as
 * none, as the module's expiry would have dropped it; a full set (lblcr)
 * takes no new member, the pick standing all the same.
 */
__noinline int lvs_sched_loc(__u32 svcslot, __u32 a0, __u32 a1, __u32 a2,
			     __u32 a3)
{
	struct lvs_bpf_svc *s = bpf_map_lookup_elem(&lvs_svcs, &svcslot);
	__u64 now = bpf_ktime_get_ns();
	struct lvs_bpf_loc *e, *v;
	struct loc_tmp *t;
	__u32 zero = 0;
	bool found = false, lblcr;
	__s32 w;
	int i, pick;
	__u32 p = 0;

	/* the working copy, off the stack (the combined limit is 512) */
	t = bpf_map_lookup_elem(&lvs_loc_tmp, &zero);
	if (!s || !t)
		return -1;
	v = &t->v;
	__builtin_memset(t, 0, sizeof(*t));
	t->key.svc = svcslot;
	t->key.addr[0] = a0;
	t->key.addr[1] = a1;
	t->key.addr[2] = a2;
	t->key.addr[3] = a3;
	lblcr = s->sched_id == LVS_BPF_SCHED_LBLCR;
	e = bpf_map_lookup_elem(&lvs_loc, &t->key);
	if (e && e->svcgen == s->gen &&
	    now - e->lastuse <= (__u64)LVS_BPF_LOC_EXPIRE * NSEC) {
		found = true;
		*v = *e;
		if (v->n > LVS_BPF_LOC_SET)
			v->n = LVS_BPF_LOC_SET;
		v->lastuse = now;
	}
	if (found && !lblcr) {
		e->lastuse = now;
		w = v->n ? loc_dest(v->slot[0], v->gen[0]) : -1;
		if (w > 0 && !lvs_loc_overloaded(svcslot, v->slot[0], w))
			return v->slot[0];
	}
	if (found && lblcr) {
		/* deleted dests leave every set */
		for (i = LVS_BPF_LOC_SET - 1; i >= 0; i--)
			if ((__u32)i < v->n &&
			    loc_dest(v->slot[i], v->gen[i]) < 0)
				loc_set_erase(v, i);
		pick = loc_set_walk(v, true, &t->p, &t->w) < 0 ? -1 :
		       (int)t->p;
		/* a stale replica leaves; the pick above still stands */
		if (v->n > 1 &&
		    now - v->lastmod > (__u64)LVS_BPF_LOC_EXPIRE * NSEC) {
			i = loc_set_walk(v, false, &t->p, &t->mw);
			if (i >= 0) {
				loc_set_erase(v, i);
				v->lastmod = now;
			}
		}
		if (pick >= 0 && lvs_loc_overloaded(svcslot, pick, t->w))
			pick = -1;
		if (pick >= 0) {
			bpf_map_update_elem(&lvs_loc, &t->key, v, BPF_ANY);
			return pick;
		}
	}
	pick = lvs_sched_walk(svcslot, LVS_BPF_SCHED_WLC);
	if (pick < 0) {
		if (found && lblcr)
			bpf_map_update_elem(&lvs_loc, &t->key, v, BPF_ANY);
		return -1;
	}
	{
		struct lvs_bpf_dest *d;

		p = pick;
		d = bpf_map_lookup_elem(&lvs_dests, &p);

		if (!d)
			return -1;
		if (!found || !lblcr) {
			if (found && v->n && v->slot[0] == p && v->gen[0] == d->gen)
				return pick;
			v->n = 0;
			v->lastmod = now;
		}
		for (i = 0; i < LVS_BPF_LOC_SET; i++)
			if ((__u32)i < v->n && v->slot[i] == p)
				break;
		if (i == LVS_BPF_LOC_SET || (__u32)i >= v->n) {
			if (v->n < LVS_BPF_LOC_SET) {
				/* joins at the front */
				for (i = LVS_BPF_LOC_SET - 1; i > 0; i--) {
					v->slot[i] = v->slot[i - 1];
					v->gen[i] = v->gen[i - 1];
				}
				v->slot[0] = p;
				v->gen[0] = d->gen;
				v->n++;
				v->lastmod = now;
			}
		}
		v->lastuse = now;
		v->svcgen = s->gen;
		bpf_map_update_elem(&lvs_loc, &t->key, v, BPF_ANY);
	}
	return pick;
}

static __always_inline int schedule(struct lvs_bpf_svc *s, __u32 svcslot,
				    struct lvs_bpf_conn_key *k)
{
	switch (s->sched_id) {
	case LVS_BPF_SCHED_RR:
		return lvs_sched_rr(svcslot);
	case LVS_BPF_SCHED_WRR:
		return lvs_sched_wrr(svcslot);
	case LVS_BPF_SCHED_SH:
	case LVS_BPF_SCHED_DH:
		return lvs_sched_hash(svcslot,
				  k->caddr[0] ^ k->caddr[1] ^ k->caddr[2] ^
				  k->caddr[3],
				  k->vaddr[0] ^ k->vaddr[1] ^ k->vaddr[2] ^
				  k->vaddr[3], k->cport);
	case LVS_BPF_SCHED_MH:
		return lvs_sched_mh(svcslot,
				k->caddr[0] ^ k->caddr[1] ^ k->caddr[2] ^
				k->caddr[3], k->cport);
	case LVS_BPF_SCHED_LBLC:
	case LVS_BPF_SCHED_LBLCR:
		return lvs_sched_loc(svcslot, k->vaddr[0], k->vaddr[1],
				     k->vaddr[2], k->vaddr[3]);
	}
	return lvs_sched_walk(svcslot, s->sched_id);
}

/* ---- the two directions ---- */

/* From the packet into a key: 1 or 4 words, the rest stays zero. */
static __always_inline void copy_addr(__u32 *to, const __u32 *from,
				      struct pkt *p)
{
	if ((void *)(from + 1) > p->end)
		return;
	to[0] = from[0];
	if (p->af == AF_INET6 && (void *)(from + 4) <= p->end) {
		to[1] = from[1];
		to[2] = from[2];
		to[3] = from[3];
	}
}

/* The outer DS field, as INET_ECN_encapsulate: ECN copied, CE as ECT(0). */
static __always_inline __u8 ecn_encap(__u8 tos)
{
	return (tos & 3) == 3 ? (tos & ~3) | 2 : tos;
}

/*
 * Answer the client with an ICMP error about the packet in ctx (the
 * tunnel path's TTL expired, too big for the tunnel), as lvs.ko's
 * icmp_send/icmpv6_send: from the address the packet was sent to (the
 * VIP), quoting its start (ICMP_QUOTE bytes at most: the 8 bytes past the
 * IP header RFC 792 asks for, and more), back out of the interface it
 * came in by to the MAC it came from.  The frame is cut to the quote and
 * room made in front for the new headers, which overwrite the old
 * Ethernet header once its MACs are copied; the addresses are read from
 * the quote.  xmit_tun asks for it by returning ICMP_REQ | flags | MTU,
 * passed up to lvs_xdp: sent from there, the call chain's stack stays
 * within bounds.
 */
#define ICMP_QUOTE		128
#define ICMP_REQ		0x10000
#define ICMP_REQ_V6		0x20000
#define ICMP_REQ_TTL		0x40000
#define ICMP_DEST_UNREACH	3
#define ICMP_FRAG_NEEDED	4
#define ICMP_TIME_EXCEEDED	11
#define ICMPV6_PKT_TOOBIG	2
#define ICMPV6_TIME_EXCEED	3
#define IPPROTO_ICMPV6		58

static __noinline int icmp_err(struct xdp_md *ctx, __u32 req)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	bool v6 = req & ICMP_REQ_V6;
	__u32 hlen = v6 ? sizeof(struct ipv6hdr) : sizeof(struct iphdr);
	__u32 room = hlen + sizeof(struct icmphdr), qlen, sum = 0, i;
	struct ethhdr *eth = data, *old;
	struct icmphdr *ic;
	__u16 *w;

	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	if (v6) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);

		if ((void *)(ip6 + 1) > end)
			return XDP_DROP;
		qlen = bpf_ntohs(ip6->payload_len) + sizeof(*ip6);
	} else {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > end)
			return XDP_DROP;
		qlen = bpf_ntohs(ip->tot_len);
	}
	if (qlen > (__u32)(end - data) - sizeof(*eth))
		qlen = (__u32)(end - data) - sizeof(*eth);
	if (qlen > ICMP_QUOTE)
		qlen = ICMP_QUOTE;
	qlen &= ~1U;	/* whole 16-bit words for the checksum */
	if (qlen < hlen)
		return XDP_DROP;
	if (bpf_xdp_adjust_tail(ctx, (int)(sizeof(*eth) + qlen) -
				(int)(end - data)))
		return XDP_DROP;
	if (bpf_xdp_adjust_head(ctx, -(int)room))
		return XDP_DROP;
	data = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	eth = data;
	old = data + room;
	if ((void *)(old + 1) > end)
		return XDP_DROP;
	__builtin_memcpy(eth->h_dest, old->h_source, 6);
	__builtin_memcpy(eth->h_source, old->h_dest, 6);
	if (v6) {
		struct ipv6hdr *o6 = (void *)(eth + 1), *q6;

		ic = (void *)(o6 + 1);
		q6 = (void *)(ic + 1);
		if ((void *)(q6 + 1) > end)
			return XDP_DROP;
		eth->h_proto = bpf_htons(ETH_P_IPV6);
		*(__be32 *)o6 = bpf_htonl(0x60000000);
		o6->payload_len = bpf_htons(sizeof(*ic) + qlen);
		o6->nexthdr = IPPROTO_ICMPV6;
		o6->hop_limit = 64;
		o6->saddr = q6->daddr;
		o6->daddr = q6->saddr;
		/* the pseudo-header: addresses, length, next header */
		w = (void *)&o6->saddr;
		for (i = 0; i < 16; i++)
			sum += w[i];
		sum += bpf_htons(sizeof(*ic) + qlen) +
		       bpf_htons(IPPROTO_ICMPV6);
		ic->type = req & ICMP_REQ_TTL ? ICMPV6_TIME_EXCEED :
						ICMPV6_PKT_TOOBIG;
		ic->code = 0;
	} else {
		struct iphdr *o = (void *)(eth + 1), *q;

		ic = (void *)(o + 1);
		q = (void *)(ic + 1);
		if ((void *)(q + 1) > end)
			return XDP_DROP;
		eth->h_proto = bpf_htons(ETH_P_IP);
		*(__u8 *)o = 0x45;
		o->tos = 0xc0;		/* IPTOS_PREC_INTERNETCONTROL */
		o->tot_len = bpf_htons(room + qlen);
		o->id = 0;
		o->frag_off = 0;
		o->ttl = 64;
		o->protocol = IPPROTO_ICMP;
		o->check = 0;
		o->saddr = q->daddr;
		o->daddr = q->saddr;
		w = (void *)o;
		for (i = 0; i < sizeof(*o) / 2; i++)
			sum += w[i];
		o->check = ~csum_fold32(sum);
		sum = 0;
		ic->type = req & ICMP_REQ_TTL ? ICMP_TIME_EXCEEDED :
						ICMP_DEST_UNREACH;
		ic->code = req & ICMP_REQ_TTL ? 0 : ICMP_FRAG_NEEDED;
	}
	ic->checksum = 0;
	ic->un.gateway = bpf_htonl(req & ICMP_REQ_TTL ? 0 : req & 0xffff);
	w = (void *)ic;
	for (i = 0; i < (sizeof(*ic) + ICMP_QUOTE) / 2; i++) {
		if ((void *)(w + i + 1) > end)
			break;
		sum += w[i];
	}
	ic->checksum = ~csum_fold32(sum);
	return XDP_TX;
}

/*
 * Tunnel forwarding, as lvs.ko's lvs_tun_xmit4/6: the inner TTL (hop
 * limit) checked and decremented, then an outer IPv4 (protocol 4 or 41)
 * or IPv6 (next header 41 or 4) header towards the real server, from the
 * source the route to it chose (found by userspace when the dest was
 * set), with the inner TTL and DS field (ECN as above) and, for an IPv4
 * inner packet, its DF bit (IPv6 inside: DF set).  Where lvs.ko answers
 * with ICMP (TTL expired, too big for the tunnel with DF) it returns
 * ICMP_REQ for lvs_xdp to send it; a packet too big without DF, which
 * lvs.ko fragments, is dropped (docs/bpf.md).
 */
static __noinline int xmit_tun(struct xdp_md *ctx, struct pkt *p,
			       struct lvs_bpf_conn *c)
{
	struct bpf_fib_lookup *fib = fib_tmp();
	__u32 slot = c->dest, olen, inlen = p->len, sum = 0;
	struct lvs_bpf_dest *d;
	struct ethhdr *eth;
	__u8 tos, ttl, iproto;
	void *end;
	__be16 df;
	int rc, i;

	d = bpf_map_lookup_elem(&lvs_dests, &slot);
	if (!d || !fib)
		return XDP_DROP;
	if (p->ip) {
		struct iphdr *ip = p->ip;

		if ((void *)(ip + 1) > p->end)
			return XDP_DROP;
		if (ip->ttl <= 1)
			return ICMP_REQ | ICMP_REQ_TTL;
		csum_replace2(&ip->check, bpf_htons(ip->ttl << 8),
			      bpf_htons((ip->ttl - 1) << 8));
		ip->ttl--;
		tos = ip->tos;
		ttl = ip->ttl;
		df = ip->frag_off & bpf_htons(0x4000);
		iproto = IPPROTO_IPIP;
	} else if (p->ip6) {
		struct ipv6hdr *ip6 = p->ip6;

		if ((void *)(ip6 + 1) > p->end)
			return XDP_DROP;
		if (ip6->hop_limit <= 1)
			return ICMP_REQ | ICMP_REQ_TTL | ICMP_REQ_V6;
		ip6->hop_limit--;
		tos = (ip6->priority << 4) | (ip6->flow_lbl[0] >> 4);
		ttl = ip6->hop_limit;
		df = bpf_htons(0x4000);
		iproto = IPPROTO_IPV6;
	} else {
		return XDP_DROP;
	}

	olen = c->daf == AF_INET6 ? sizeof(struct ipv6hdr) :
				    sizeof(struct iphdr);
	fib->ifindex = ctx->ingress_ifindex;
	fib->l4_protocol = iproto;
	fib->tot_len = inlen + olen;
	if (c->daf == AF_INET6) {
		fib->family = AF_INET6;
		__builtin_memcpy(fib->ipv6_src, d->saddr, 16);
		__builtin_memcpy(fib->ipv6_dst, c->daddr, 16);
	} else {
		fib->family = AF_INET;
		fib->tos = tos;
		fib->ipv4_src = d->saddr[0];
		fib->ipv4_dst = c->daddr[0];
	}
	/* anything but a way out (no neighbour yet, too big) drops: the
	 * stack would take the encapsulated packet, from one of its own
	 * addresses, for a martian.  Userspace asks for the neighbour entry
	 * when it sets the real server; a miss is counted. */
	rc = bpf_fib_lookup(ctx, fib, sizeof(*fib), 0);
	if (rc == BPF_FIB_LKUP_RET_NO_NEIGH) {
		struct lvs_bpf_state *st;
		__u32 zero = 0;

		st = bpf_map_lookup_elem(&lvs_state, &zero);
		if (st)
			__sync_fetch_and_add(&st->neigh_dropped, 1);
		return XDP_DROP;
	}
	/* too big for the tunnel: ICMP with what is left past the outer
	 * header, as lvs_check4/6; IPv4 without DF, which the module
	 * fragments, is dropped */
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED && p->ip6)
		return ICMP_REQ | ICMP_REQ_V6 |
		       (fib->mtu_result < 1280 + olen ? 1280 :
			fib->mtu_result - olen);
	if (rc == BPF_FIB_LKUP_RET_FRAG_NEEDED && df &&
	    fib->mtu_result > olen + 68)
		return ICMP_REQ | (fib->mtu_result - olen);
	if (rc != BPF_FIB_LKUP_RET_SUCCESS)
		return XDP_DROP;

	if (bpf_xdp_adjust_head(ctx, -(int)olen))
		return XDP_DROP;
	eth = (void *)(long)ctx->data;
	end = (void *)(long)ctx->data_end;
	if ((void *)(eth + 1) > end)
		return XDP_DROP;
	__builtin_memcpy(eth->h_dest, fib->dmac, 6);
	__builtin_memcpy(eth->h_source, fib->smac, 6);
	if (c->daf == AF_INET6) {
		struct ipv6hdr *o6 = (void *)(eth + 1);

		if ((void *)(o6 + 1) > end)
			return XDP_DROP;
		eth->h_proto = bpf_htons(ETH_P_IPV6);
		*(__be32 *)o6 = bpf_htonl(0x60000000 |
					  (__u32)ecn_encap(tos) << 20);
		o6->payload_len = bpf_htons(inlen);
		o6->nexthdr = iproto;
		o6->hop_limit = ttl;
		__builtin_memcpy(&o6->saddr, d->saddr, 16);
		__builtin_memcpy(&o6->daddr, c->daddr, 16);
	} else {
		struct iphdr *o = (void *)(eth + 1);
		__u16 *w = (void *)o;

		if ((void *)(o + 1) > end)
			return XDP_DROP;
		eth->h_proto = bpf_htons(ETH_P_IP);
		*(__u8 *)o = 0x45;
		o->tos = ecn_encap(tos);
		o->tot_len = bpf_htons(inlen + olen);
		/* ip_select_ident: 0 for an atomic datagram (DF) */
		o->id = df ? 0 : (__u16)bpf_get_prandom_u32();
		o->frag_off = df;
		o->ttl = ttl;
		o->protocol = iproto;
		o->check = 0;
		o->saddr = d->saddr[0];
		o->daddr = c->daddr[0];
		for (i = 0; i < (int)sizeof(*o) / 2; i++)
			sum += w[i];
		o->check = ~csum_fold32(sum);
	}
	if (fib->ifindex == ctx->ingress_ifindex)
		return XDP_TX;
	return bpf_redirect(fib->ifindex, 0);
}

/*
 * nh: c when it is an entry of lvs_conns (its next hop cached), else
 * NULL (one-packet scheduling's entry is never inserted).
 */
static __noinline int xmit_in(struct xdp_md *ctx, struct pkt *p,
			      struct lvs_bpf_conn *c, struct lvs_bpf_conn *nh)
{
	if (c->fwd == LVS_FWD_TUNNEL)
		return xmit_tun(ctx, p, c);
	if (c->fwd == LVS_FWD_MASQ) {
		rewrite(p, true, c->daddr, c->dport);
		return forward(ctx, p, c->daddr, FWD_TTL, nh);
	}
	/* direct routing: the real server is the next hop */
	return forward(ctx, p, c->daddr, 0, nh);
}

/* Make an entry (connection or template) and arm its timer. */
static __noinline struct lvs_bpf_conn *
conn_insert(struct lvs_bpf_conn_key *k, struct lvs_bpf_conn *nc)
{
	struct lvs_bpf_state *st;
	struct lvs_bpf_cfg *cfg;
	struct lvs_bpf_conn *c;
	__u32 zero = 0;

	st = bpf_map_lookup_elem(&lvs_state, &zero);
	cfg = bpf_map_lookup_elem(&lvs_cfg, &zero);
	if (!st || !cfg)
		return NULL;
	if (st->conn_count >= (__s64)cfg->conn_max ||
	    bpf_map_update_elem(&lvs_conns, k, nc, BPF_NOEXIST)) {
		/* full: the new flow is dropped and counted, as lvs.ko */
		__sync_fetch_and_add(&st->conn_dropped, 1);
		return NULL;
	}
	c = bpf_map_lookup_elem(&lvs_conns, k);
	if (!c)
		return NULL;
	__sync_fetch_and_add(&st->conn_count, 1);
	bpf_timer_init(&c->timer, &lvs_conns, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&c->timer, conn_timer);
	bpf_timer_start(&c->timer, (__u64)c->timeout_s * NSEC, 0);
	return c;
}

/* The persistence template's key: the client masked, port 0. */
static __noinline void tmpl_key(struct lvs_bpf_svc *s,
				     struct lvs_bpf_conn_key *k,
				     struct lvs_bpf_conn_key *tk)
{
	__u32 m = s->netmask;
	int i;

	*tk = *k;
	tk->tmpl = 1;
	tk->cport = 0;
	if (!s->key.port)
		tk->vport = 0;
	if (k->af != AF_INET6) {
		tk->caddr[0] &= m;
		return;
	}
	/* IPv6: netmask is a prefix length */
	for (i = 0; i < 4; i++) {
		__u32 bits = m > 32 ? 32 : m;

		if (bits < 32)
			tk->caddr[i] &= bpf_htonl(bits ? ~0u << (32 - bits) : 0);
		m -= bits;
	}
}

/*
 * A persistent service: the dest slot the client's template names, -1
 * when it has none (or its real server is gone), -2 when it is being
 * freed.
 */
static __always_inline int tmpl_find(struct lvs_bpf_svc *s,
				     struct lvs_bpf_conn_key *k,
				     struct lvs_bpf_conn_key *tk)
{
	struct lvs_bpf_dest *d;
	struct lvs_bpf_conn *t;
	__u32 slot;

	tmpl_key(s, k, tk);
	t = bpf_map_lookup_elem(&lvs_conns, tk);
	if (!t)
		return -1;
	if (t->flags & LVS_BPF_CONN_DEAD)
		return -2;
	slot = t->dest;
	d = bpf_map_lookup_elem(&lvs_dests, &slot);
	if (d && d->in_use && d->gen == t->dgen) {
		t->last_ns = bpf_ktime_get_ns();
		return slot;
	}
	conn_kill(tk, t);
	return -1;
}

/* A new template binding the client to dest slot: 0 or -1 (full). */
static __noinline int tmpl_new(struct lvs_bpf_conn_key *tk, __u32 slot,
			       __u32 svcslot, __u32 timeout)
{
	struct lvs_bpf_conn *nt;
	struct lvs_bpf_dest *d;

	d = bpf_map_lookup_elem(&lvs_dests, &slot);
	nt = scratch(1);
	if (!d || !nt || !tk)
		return -1;
	nt->flags = LVS_CONN_F_TEMPLATE | LVS_CONN_F_NO_OUTPUT;
	nt->dest = slot;
	nt->dgen = d->gen;
	nt->svc = svcslot;
	nt->fwd = d->fwd;
	__builtin_memcpy(nt->daddr, d->addr, 16);
	nt->dport = d->port;
	nt->daf = d->af;
	nt->last_ns = bpf_ktime_get_ns();
	nt->timeout_s = timeout;
	if (!conn_insert(tk, nt))
		return -1;
	dest_count3(slot, nt->dgen, 0, 0, 1);
	return 0;
}

static __noinline int new_conn(struct xdp_md *ctx, struct pkt *p,
				    struct lvs_bpf_conn_key *k, __u32 svcslot)
{
	struct lvs_bpf_conn *nc, *c;
	struct lvs_bpf_conn_key tk = {};
	struct lvs_bpf_svc *s;
	struct lvs_bpf_dest *d;
	bool tmpl = false, active;
	__u32 slot;
	int i;

	s = bpf_map_lookup_elem(&lvs_svcs, &svcslot);
	if (!s || !s->in_use)
		return XDP_PASS;
	est_arm();
	i = -1;
	if (s->flags & LVS_SVC_F_PERSISTENT) {
		i = tmpl_find(s, k, &tk);
		if (i == -2)
			return XDP_DROP;
	}
	if (i < 0) {
		i = schedule(s, svcslot, k);
		if (i >= 0 && (s->flags & LVS_SVC_F_PERSISTENT) &&
		    tmpl_new(&tk, i, svcslot, s->timeout))
			return XDP_DROP;
	}
	if (i < 0)
		return XDP_PASS;	/* the stack refuses, as a closed port */
	tmpl = s->flags & LVS_SVC_F_PERSISTENT;
	slot = i;
	d = bpf_map_lookup_elem(&lvs_dests, &slot);
	nc = scratch(0);
	/*
	 * A table read before userspace rewrote it (mh's, sh's, a
	 * template) may name a slot freed and given to another service's
	 * real server since: that server is not this service's to use.
	 */
	if (!d || !d->in_use || d->svc != svcslot || !nc)
		return XDP_DROP;

	nc->dest = slot;
	nc->dgen = d->gen;
	nc->svc = svcslot;
	nc->fwd = d->fwd;
	__builtin_memcpy(nc->daddr, d->addr, 16);
	nc->dport = d->port ? d->port : k->vport;
	nc->daf = d->af;
	if ((s->flags & LVS_SVC_F_ONEPACKET) && p->proto == IPPROTO_UDP) {
		/* one-packet scheduling: sent with no entry made */
		nc->flags = LVS_CONN_F_ONE_PACKET;
		stats_add(svcslot, slot, true, p->len, true);
		return xmit_in(ctx, p, nc, NULL);
	}
	/*
	 * Born in the state its first packet puts it in: a TCP entry is
	 * made for a SYN only (handle_in), which takes NONE to SYN_RECV
	 * in either direction table, so the entry starts there, active,
	 * with that state's timeout: what tcp_transition() would leave
	 * after the insert, without a second timer start, lock and count
	 * update.  UDP stays in NONE, inactive, as IPVS counts it.
	 */
	nc->flags = d->fwd != LVS_FWD_MASQ ? LVS_CONN_F_NO_OUTPUT : 0;
	if (p->proto == IPPROTO_TCP)
		nc->state = tcp_next[DIR_INPUT][EV_SYN][LVS_TCP_S_NONE];
	else
		nc->state = LVS_TCP_S_NONE;
	active = tcp_state_active(nc->state);
	if (!active)
		nc->flags |= LVS_CONN_F_INACTIVE;
	nc->last_ns = bpf_ktime_get_ns();
	nc->timeout_s = state_timeout(p->proto, nc->state);
	if (tmpl) {
		nc->has_tmpl = 1;
		nc->tmpl = tk;
	}
	if (d->fwd != LVS_FWD_TUNNEL)
		nh_fill(ctx, p, nc);
	c = conn_insert(k, nc);
	if (!c)
		return XDP_DROP;
	dest_count(slot, nc->dgen, active, !active);
	if (tmpl) {
		struct lvs_bpf_conn *t = bpf_map_lookup_elem(&lvs_conns, &tk);

		if (t)
			__sync_fetch_and_add(&t->n_control, 1);
	}
	if (d->fwd == LVS_FWD_MASQ) {
		struct lvs_bpf_out_key ok = {};

		ok.af = k->af;
		ok.proto = k->proto;
		ok.dport = nc->dport;
		ok.cport = k->cport;
		__builtin_memcpy(ok.daddr, d->addr, 16);
		__builtin_memcpy(ok.caddr, k->caddr, 16);
		if (bpf_map_update_elem(&lvs_conns_out, &ok, k, BPF_ANY)) {
			c->fwd = 0;	/* no reply entry to remove */
			conn_kill(k, c);
			return XDP_DROP;
		}
	}
	stats_add(svcslot, slot, true, p->len, true);
	return xmit_in(ctx, p, c, c);
}

/*
 * The service of a client's packet: its slot, or -1.  The key's hint
 * first (an array lookup and a compare, where lvs_svc_idx costs a
 * hash lookup), then lvs_svc_idx for the exact port, then for port 0.
 * Not inlined: the key and the hint's index stay off lvs_xdp's frame.
 */
static __noinline int svc_lookup(struct lvs_bpf_conn_key *k)
{
	struct lvs_bpf_svc_key sk = {};
	struct lvs_bpf_svc *s;
	__u32 h, *v;
	int i;

	sk.af = k->af;
	sk.proto = k->proto;
	sk.port = k->vport;
	__builtin_memcpy(sk.addr, k->vaddr, 16);
	h = lvs_bpf_svc_hint(&sk);
	v = bpf_map_lookup_elem(&lvs_svc_hint, &h);
	if (v && *v) {
		h = *v - 1;
		s = bpf_map_lookup_elem(&lvs_svcs, &h);
		if (s && s->in_use && s->key.af == sk.af &&
		    s->key.proto == sk.proto && s->key.port == sk.port) {
			for (i = 0; i < 4; i++)
				if (s->key.addr[i] != sk.addr[i])
					break;
			if (i == 4)
				return h;
		}
	}
	v = bpf_map_lookup_elem(&lvs_svc_idx, &sk);
	if (!v) {
		sk.port = 0;
		v = bpf_map_lookup_elem(&lvs_svc_idx, &sk);
	}
	return v ? (int)*v : -1;
}

static __always_inline bool dest_alive(struct lvs_bpf_conn *c)
{
	__u32 slot = c->dest;
	struct lvs_bpf_dest *d = bpf_map_lookup_elem(&lvs_dests, &slot);

	return d && d->in_use && d->gen == c->dgen;
}

static __always_inline int handle_in(struct xdp_md *ctx, struct pkt *p,
				     struct lvs_bpf_conn_key *k)
{
	struct lvs_bpf_conn *c = bpf_map_lookup_elem(&lvs_conns, k);
	bool syn = p->proto == IPPROTO_TCP &&
		   (p->tcpflags & (F_SYN | F_ACK | F_RST)) == F_SYN;
	int svc;

	if (c && (c->flags & LVS_BPF_CONN_DEAD))
		return XDP_DROP;	/* being freed */
	if (c && !dest_alive(c)) {
		/* its real server was removed: start over, or drop */
		conn_kill(k, c);
		if (p->proto == IPPROTO_TCP && !syn)
			return XDP_DROP;
		c = NULL;
	} else if (c && syn && (c->state == LVS_TCP_S_TIME_WAIT ||
				c->state == LVS_TCP_S_CLOSE)) {
		/* a new connection reusing the client port */
		conn_kill(k, c);
		c = NULL;
	}
	if (!c) {
		svc = svc_lookup(k);
		if (svc < 0)
			return XDP_PASS;
		if (p->proto == IPPROTO_TCP && !syn)
			return XDP_PASS;
		return new_conn(ctx, p, k, svc);
	}
	c->last_ns = bpf_ktime_get_ns();
	stats_add(c->svc, c->dest, true, p->len, false);
	if (p->proto == IPPROTO_TCP)
		tcp_transition(c, DIR_INPUT, p->tcpflags);
	return xmit_in(ctx, p, c, c);
}

static __noinline int handle_out(struct xdp_md *ctx, struct pkt *p)
{
	struct lvs_bpf_out_key ok = {};
	struct lvs_bpf_conn_key *k;
	struct lvs_bpf_conn *c;

	ok.af = p->af;
	ok.proto = p->proto;
	ok.dport = *p->sport;
	ok.cport = *p->dport;
	copy_addr(ok.daddr, p->saddr, p);
	copy_addr(ok.caddr, p->daddr, p);
	k = bpf_map_lookup_elem(&lvs_conns_out, &ok);
	if (!k)
		return -1;
	c = bpf_map_lookup_elem(&lvs_conns, k);
	if (!c || (c->flags & LVS_BPF_CONN_DEAD))
		return -1;
	rewrite(p, false, k->vaddr, k->vport);
	c->last_ns = bpf_ktime_get_ns();
	stats_add(c->svc, c->dest, false, p->len, false);
	if (p->proto == IPPROTO_TCP)
		tcp_transition(c, DIR_OUTPUT, p->tcpflags);
	copy_addr(ok.caddr, p->daddr, p);
	return forward(ctx, p, ok.caddr, FWD_TTL | FWD_OUT, c);
}

/* ---- ICMP errors about a connection (kmod/icmp.c) ---- */

#define ICMP_SOURCE_QUENCH	4
#define ICMPV6_DEST_UNREACH	1
#define ICMP_SUM_CHUNK		64
#define ICMP_SUM_MAX		(20 * ICMP_SUM_CHUNK)

/*
 * Do the len bytes at off in the frame, added to sum (csum_partial's
 * 32-bit form, as bpf_csum_diff keeps it), make a valid checksum?  No
 * as well if len is over ICMP_SUM_MAX or the frame is shorter.
 */
static __noinline bool frame_sum_ok(struct xdp_md *ctx, __u32 off,
				    __u32 len, __u32 sum)
{
	__u8 buf[ICMP_SUM_CHUNK];
	__s64 s = sum;
	__u32 i, n;

	for (i = 0; i < ICMP_SUM_MAX / ICMP_SUM_CHUNK; i++) {
		if (len < ICMP_SUM_CHUNK)
			break;
		if (bpf_xdp_load_bytes(ctx, off, buf, ICMP_SUM_CHUNK))
			return false;
		s = bpf_csum_diff(NULL, 0, (__be32 *)buf, ICMP_SUM_CHUNK,
				  (__u32)s);
		if (s < 0)
			return false;
		off += ICMP_SUM_CHUNK;
		len -= ICMP_SUM_CHUNK;
	}
	if (len >= ICMP_SUM_CHUNK)
		return false;
	if (len) {
		/* the tail, padded with zeroes (RFC 1071's odd byte too) */
		__builtin_memset(buf, 0, sizeof(buf));
		n = ((len - 1) & (ICMP_SUM_CHUNK - 1)) + 1;
		if (bpf_xdp_load_bytes(ctx, off, buf, n))
			return false;
		s = bpf_csum_diff(NULL, 0, (__be32 *)buf, ICMP_SUM_CHUNK,
				  (__u32)s);
	}
	return s >= 0 && csum_fold32(s) == 0xffff;
}

/* An ICMP error and the packet it quotes, as icmp_xlate() found them. */
struct icmp_q {
	__u16	*icsum;		/* the ICMP checksum */
	__u16	*iipsum;	/* the quoted IPv4 header's, or NULL */
	__u16	*il4sum;	/* the quoted TCP/UDP checksum, if quoted */
	__u32	*isaddr, *idaddr;
	__be16	*isport, *idport;
	void	*end;
	bool	udp;		/* a zero il4sum would mean "none" */
};

/*
 * Rewrite the quoted packet's source or destination address and port,
 * its checksums by the same difference as far as they are quoted, and
 * the ICMP checksum by every 16-bit word changed (all of them lie at
 * even offsets from the ICMP header).  A wrong ICMP checksum would stay
 * wrong; icmp_xlate() has already dropped such errors.
 */
static __always_inline void icmp_mangle(struct icmp_q *q, int nw, bool dst,
					const __u32 *addr, __be16 port)
{
	__u32 *a = dst ? q->idaddr : q->isaddr;
	__be16 *pp = dst ? q->idport : q->isport;
	__u16 l4old = 0, ipold = 0;
	int i;

	if ((void *)(a + 1) > q->end || (void *)(pp + 1) > q->end)
		return;
	if (nw == 4 && (void *)(a + 4) > q->end)
		return;
	if (q->il4sum)
		l4old = *q->il4sum;
	if (q->iipsum)
		ipold = *q->iipsum;
	for (i = 0; i < 4; i++) {
		if (i >= nw)
			break;
		if (q->il4sum)
			csum_replace4(q->il4sum, a[i], addr[i]);
		if (q->iipsum)
			csum_replace4(q->iipsum, a[i], addr[i]);
		csum_replace4(q->icsum, a[i], addr[i]);
		a[i] = addr[i];
	}
	if (q->il4sum) {
		csum_replace2(q->il4sum, *pp, port);
		if (!*q->il4sum && q->udp)
			*q->il4sum = 0xffff;	/* UDP: 0 means none */
		csum_replace2(q->icsum, l4old, *q->il4sum);
	}
	if (q->iipsum)
		csum_replace2(q->icsum, ipold, *q->iipsum);
	csum_replace2(q->icsum, *pp, port);
	*pp = port;
}

/*
 * Rewrite the packet's destination (or source) address, and the IPv4
 * header checksum with it; for IPv6, sum6, if not NULL, is a checksum
 * whose pseudo-header holds the address (ICMPv6's).  Ports and a TCP/UDP
 * checksum are left alone (rewrite() does those, where a packet has
 * them): for an ICMP error and a later fragment.
 */
static __always_inline void set_addr(struct pkt *p, bool dst,
				     const __u32 *addr, __u16 *sum6)
{
	__u32 *a = dst ? p->daddr : p->saddr;
	int i;

	if (p->ip) {
		if ((void *)(a + 1) > p->end)
			return;
		csum_replace4(&p->ip->check, a[0], addr[0]);
		a[0] = addr[0];
		return;
	}
	if ((void *)(a + 4) > p->end)
		return;
	for (i = 0; i < 4; i++) {
		if (sum6)
			csum_replace4(sum6, a[i], addr[i]);
		a[i] = addr[i];
	}
}

/*
 * An ICMP error (destination unreachable, fragmentation needed / packet
 * too big, source quench, time exceeded) quoting a TCP or UDP packet of
 * a connection, as kmod/icmp.c treats it:
 *
 * - about a reply (the quote goes service -> client): it goes on to the
 *   real server by the connection's forwarding method; for NAT its
 *   destination and the quote's source become the real server's.
 * - about a packet a NAT real server got (client -> real server): it
 *   goes on to the client, its source and the quote's destination
 *   rewritten to the virtual service's.
 *
 * An error whose ICMP checksum is wrong, or one for a connection whose
 * real server is gone, is dropped.  -1: not such an error (the caller
 * passes it to the stack).  lvs.ko's handling of errors about its own
 * tunnel packets (the route's MTU learnt, the client told) is not done:
 * XDP cannot update a route; such errors go to the stack.
 */
static __noinline int icmp_xlate(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	union {
		struct lvs_bpf_conn_key k;
		struct lvs_bpf_out_key ok;
		__u32 a[4];
	} u = {};
	struct lvs_bpf_conn_key *kp;
	struct ethhdr *eth = data;
	struct icmp_q q = {};
	struct pkt p = {};
	struct lvs_bpf_conn *c;
	__u32 ioff, ilen, l4off, seed = 0;
	__u8 type, iproto;
	int nw, rc;
	__s64 sum;
	void *l4;

	if ((void *)(eth + 1) > end)
		return -1;
	p.end = end;
	q.end = end;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1), *iip;

		if ((void *)(ip + 1) > end || ip->version != 4 ||
		    ip->ihl < 5 || ip->protocol != IPPROTO_ICMP ||
		    ip->frag_off & bpf_htons(0x3fff))
			return -1;
		ioff = sizeof(*eth) + ip->ihl * 4;
		ilen = bpf_ntohs(ip->tot_len);
		if (ilen < ip->ihl * 4 + 8 + sizeof(*iip))
			return -1;
		ilen -= ip->ihl * 4;
		iip = data + ioff + 8;
		if ((void *)(iip + 1) > end || iip->version != 4 ||
		    iip->ihl < 5 || iip->frag_off & bpf_htons(0x1fff))
			return -1;
		type = *(__u8 *)(data + ioff);
		if (type != ICMP_DEST_UNREACH && type != ICMP_SOURCE_QUENCH &&
		    type != ICMP_TIME_EXCEEDED)
			return -1;
		p.ip = ip;
		p.af = AF_INET;
		p.saddr = &ip->saddr;
		p.daddr = &ip->daddr;
		p.proto = IPPROTO_ICMP;
		p.len = bpf_ntohs(ip->tot_len);
		q.iipsum = &iip->check;
		q.isaddr = &iip->saddr;
		q.idaddr = &iip->daddr;
		iproto = iip->protocol;
		l4off = ioff + 8 + iip->ihl * 4;
		nw = 1;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1), *iip6;
		__u64 ps;

		if ((void *)(ip6 + 1) > end || ip6->version != 6 ||
		    ip6->nexthdr != IPPROTO_ICMPV6)
			return -1;
		ioff = sizeof(*eth) + sizeof(*ip6);
		ilen = bpf_ntohs(ip6->payload_len);
		if (ilen < 8 + sizeof(*iip6))
			return -1;
		iip6 = data + ioff + 8;
		if ((void *)(iip6 + 1) > end || iip6->version != 6)
			return -1;
		type = *(__u8 *)(data + ioff);
		if (type != ICMPV6_DEST_UNREACH && type != ICMPV6_PKT_TOOBIG &&
		    type != ICMPV6_TIME_EXCEED)
			return -1;
		p.ip6 = ip6;
		p.af = AF_INET6;
		p.saddr = (__u32 *)&ip6->saddr;
		p.daddr = (__u32 *)&ip6->daddr;
		p.proto = IPPROTO_ICMPV6;
		p.len = ilen + sizeof(*ip6);
		q.isaddr = (__u32 *)&iip6->saddr;
		q.idaddr = (__u32 *)&iip6->daddr;
		iproto = iip6->nexthdr;	/* extension headers: not ours */
		l4off = ioff + 8 + sizeof(*iip6);
		nw = 4;
		/*
		 * ICMPv6's pseudo-header, the seed of its checksum: both
		 * addresses (adjacent in the header), the length and the
		 * next header, 32-bit words added as they lie in memory.
		 */
		sum = bpf_csum_diff(NULL, 0, (__be32 *)&ip6->saddr, 32, 0);
		if (sum < 0)
			return -1;
		ps = (__u32)sum;
		ps += bpf_htonl(ilen);
		ps += bpf_htonl(IPPROTO_ICMPV6);
		ps = (ps & 0xffffffff) + (ps >> 32);
		seed = (ps & 0xffffffff) + (ps >> 32);
	} else {
		return -1;
	}
	/* not about TCP or UDP, or too long to check: the stack's */
	if ((iproto != IPPROTO_TCP && iproto != IPPROTO_UDP) ||
	    ilen > ICMP_SUM_MAX)
		return -1;
	l4 = data + l4off;
	if (l4 + 4 > end || ioff + ilen < l4off + 4)
		return -1;
	q.icsum = data + ioff + 2;
	q.isport = l4;
	q.idport = l4 + 2;
	q.udp = iproto == IPPROTO_UDP;
	/* the quoted checksum, if the error quotes it */
	if (iproto == IPPROTO_TCP && l4 + 18 <= end &&
	    ioff + ilen >= l4off + 18)
		q.il4sum = l4 + 16;
	else if (iproto == IPPROTO_UDP && l4 + 8 <= end &&
		 ioff + ilen >= l4off + 8 && *(__u16 *)(l4 + 6))
		q.il4sum = l4 + 6;
	if ((void *)(q.icsum + 1) > end)
		return -1;

	/* about a reply, service -> client (the quote lies before l4) */
	u.k.af = p.af;
	u.k.proto = iproto;
	u.k.cport = *q.idport;
	u.k.vport = *q.isport;
	copy_addr(u.k.caddr, q.idaddr, &p);
	copy_addr(u.k.vaddr, q.isaddr, &p);
	c = bpf_map_lookup_elem(&lvs_conns, &u.k);
	if (c) {
		if ((c->flags & LVS_BPF_CONN_DEAD) || !dest_alive(c))
			return XDP_DROP;
		if (!frame_sum_ok(ctx, ioff, ilen, seed))
			return XDP_DROP;
		stats_add(c->svc, c->dest, true, p.len, false);
		if (c->fwd == LVS_FWD_TUNNEL) {
			rc = xmit_tun(ctx, &p, c);
			/* no error about an error */
			return rc & ICMP_REQ ? XDP_DROP : rc;
		}
		if (c->fwd != LVS_FWD_MASQ)
			return forward(ctx, &p, c->daddr, 0, NULL);
		icmp_mangle(&q, nw, false, c->daddr, c->dport);
		set_addr(&p, true, c->daddr, q.icsum);
		return forward(ctx, &p, c->daddr, FWD_TTL, NULL);
	}

	/*
	 * About a packet a NAT real server got, client -> real server: the
	 * key above, read as lvs_conns_out's (lvs_bpf.h), is that packet's
	 * reply's.
	 */
	kp = bpf_map_lookup_elem(&lvs_conns_out, &u.ok);
	if (!kp)
		return -1;
	c = bpf_map_lookup_elem(&lvs_conns, kp);
	if (!c || (c->flags & LVS_BPF_CONN_DEAD))
		return -1;
	if (!frame_sum_ok(ctx, ioff, ilen, seed))
		return XDP_DROP;
	stats_add(c->svc, c->dest, false, p.len, false);
	icmp_mangle(&q, nw, true, kp->vaddr, kp->vport);
	set_addr(&p, false, kp->vaddr, q.icsum);
	copy_addr(u.a, p.daddr, &p);
	return forward(ctx, &p, u.a, FWD_TTL, NULL);
}

/* ---- fragments (struct lvs_bpf_frag) ---- */

/* The first fragment of a datagram notes the connection it goes by. */
static __noinline void frag_note(struct pkt *p, bool out)
{
	struct lvs_bpf_frag_key fk = {};
	struct lvs_bpf_frag f = {};

	if ((void *)(p->sport + 1) > p->end || (void *)(p->dport + 1) > p->end)
		return;
	/* the ID, read here rather than by parse() for every packet */
	if (p->ip) {
		if ((void *)(p->ip + 1) > p->end)
			return;
		fk.id = p->ip->id;
	} else if (p->ip6) {
		struct frag_hdr *fh = (void *)(p->ip6 + 1);

		if ((void *)(fh + 1) > p->end)
			return;
		fk.id = fh->identification;
	}
	fk.af = p->af;
	fk.proto = p->proto;
	f.stamp = bpf_ktime_get_ns();
	f.out = out;
	/* the same bytes are either key (lvs_bpf.h) */
	f.k.in.af = p->af;
	f.k.in.proto = p->proto;
	f.k.in.cport = *p->sport;
	f.k.in.vport = *p->dport;
	copy_addr(fk.saddr, p->saddr, p);
	copy_addr(fk.daddr, p->daddr, p);
	copy_addr(f.k.in.caddr, p->saddr, p);
	copy_addr(f.k.in.vaddr, p->daddr, p);
	bpf_map_update_elem(&lvs_frags, &fk, &f, BPF_ANY);
}

/* A later fragment's bytes: its datagram was counted as one packet. */
static __noinline void stats_bytes(__u32 svc, __u32 dest, bool in,
				   __u32 len)
{
	stats_one(bpf_map_lookup_elem(&lvs_svc_stats, &svc), in, len, 0,
		  false);
	stats_one(bpf_map_lookup_elem(&lvs_dest_stats, &dest), in, len, 0,
		  false);
}

/*
 * A fragment after the first (no ports): sent where the first went, by
 * its note in lvs_frags, the address rewritten for NAT; its bytes count
 * (the kernel reassembles for lvs.ko, which counts one packet of the
 * datagram's length).  -1: no note, or its connection is gone (the
 * stack gets it).
 */
static __noinline int frag_more(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct lvs_bpf_frag_key fk = {};
	struct lvs_bpf_conn_key *kp;
	struct ethhdr *eth = data;
	struct lvs_bpf_conn *c;
	struct lvs_bpf_frag *f;
	struct pkt p = {};
	__u32 hlen;
	int rc;

	if ((void *)(eth + 1) > end)
		return -1;
	p.end = end;
	if (eth->h_proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = (void *)(eth + 1);

		if ((void *)(ip + 1) > end || ip->version != 4 ||
		    ip->ihl < 5 || !(ip->frag_off & bpf_htons(0x1fff)))
			return -1;
		p.ip = ip;
		p.af = AF_INET;
		p.proto = ip->protocol;
		p.saddr = &ip->saddr;
		p.daddr = &ip->daddr;
		p.len = bpf_ntohs(ip->tot_len);
		hlen = ip->ihl * 4;
		fk.id = ip->id;
	} else if (eth->h_proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = (void *)(eth + 1);
		struct frag_hdr *fh = (void *)(ip6 + 1);

		if ((void *)(fh + 1) > end || ip6->version != 6 ||
		    ip6->nexthdr != IPPROTO_FRAGMENT ||
		    !(fh->frag_off & bpf_htons(0xfff8)))
			return -1;
		p.ip6 = ip6;
		p.af = AF_INET6;
		p.proto = fh->nexthdr;
		p.saddr = (__u32 *)&ip6->saddr;
		p.daddr = (__u32 *)&ip6->daddr;
		p.len = bpf_ntohs(ip6->payload_len) + sizeof(*ip6);
		hlen = sizeof(*ip6) + sizeof(*fh);
		fk.id = fh->identification;
	} else {
		return -1;
	}
	if ((p.proto != IPPROTO_TCP && p.proto != IPPROTO_UDP) ||
	    p.len < hlen)
		return -1;
	fk.af = p.af;
	fk.proto = p.proto;
	copy_addr(fk.saddr, p.saddr, &p);
	copy_addr(fk.daddr, p.daddr, &p);
	f = bpf_map_lookup_elem(&lvs_frags, &fk);
	if (!f || bpf_ktime_get_ns() - f->stamp > LVS_BPF_FRAG_TTL_NS)
		return -1;
	if (f->out) {
		kp = bpf_map_lookup_elem(&lvs_conns_out, &f->k.out);
		if (!kp)
			return -1;
		c = bpf_map_lookup_elem(&lvs_conns, kp);
		if (!c || (c->flags & LVS_BPF_CONN_DEAD))
			return -1;
		stats_bytes(c->svc, c->dest, false, p.len - hlen);
		set_addr(&p, false, kp->vaddr, NULL);
		return forward(ctx, &p, fk.daddr, FWD_TTL, NULL);
	}
	c = bpf_map_lookup_elem(&lvs_conns, &f->k.in);
	if (!c || (c->flags & LVS_BPF_CONN_DEAD) || !dest_alive(c))
		return -1;
	stats_bytes(c->svc, c->dest, true, p.len - hlen);
	if (c->fwd == LVS_FWD_TUNNEL) {
		rc = xmit_tun(ctx, &p, c);
		return rc & ICMP_REQ ? XDP_DROP : rc;
	}
	if (c->fwd != LVS_FWD_MASQ)
		return forward(ctx, &p, c->daddr, 0, NULL);
	set_addr(&p, true, c->daddr, NULL);
	return forward(ctx, &p, c->daddr, FWD_TTL, NULL);
}

/*
 * May the packet's source (src) or destination address be one the
 * tables hold (words [base, base + LVS_BPF_BITS_WORDS) of
 * lvs_addr_bits)?  No: certainly not.  Not inlined: its locals would
 * widen lvs_xdp's frame, the first of the deepest call chain
 * (docs/bpf.md, Verifier budget).
 */
static __noinline bool addr_maybe(struct pkt *p, __u32 base, bool src)
{
	__u32 a[4] = {}, h, i;
	__u64 *w;

	copy_addr(a, src ? p->saddr : p->daddr, p);
	h = lvs_bpf_addr_bit(p->af, a);
	i = base + (h >> 6);
	w = bpf_map_lookup_elem(&lvs_addr_bits, &i);
	return w && (*w >> (h & 63)) & 1;
}

SEC("xdp")
int lvs_xdp(struct xdp_md *ctx)
{
	struct lvs_bpf_conn_key k = {};
	struct pkt p = {};
	int rc;

	if (parse(ctx, &p)) {
		rc = icmp_xlate(ctx);
		if (rc < 0)
			rc = frag_more(ctx);
		return rc >= 0 ? rc : XDP_PASS;
	}
	/* a NAT reply comes from a real server's address */
	if (addr_maybe(&p, LVS_BPF_BITS_WORDS, true)) {
		if (p.frag)
			frag_note(&p, true);
		rc = handle_out(ctx, &p);
		if (rc >= 0)
			return rc;
	}
	/* a client's packet goes to a virtual address */
	if (!addr_maybe(&p, 0, false))
		return XDP_PASS;
	if (p.frag)
		frag_note(&p, false);
	k.af = p.af;
	k.proto = p.proto;
	k.cport = *p.sport;
	k.vport = *p.dport;
	copy_addr(k.caddr, p.saddr, &p);
	copy_addr(k.vaddr, p.daddr, &p);
	rc = handle_in(ctx, &p, &k);
	return rc & ICMP_REQ ? icmp_err(ctx, rc) : rc;
}

/*
 * The sync backup's install (struct lvs_bpf_sync_req, lvs_bpf.h): never
 * attached, run by lib/bpf_sync.c through BPF_PROG_TEST_RUN.  An entry
 * the master moved to another real server is freed and made afresh; an
 * existing one takes the master's state, flags and remaining lifetime.
 */
SEC("xdp")
int lvs_sync_in(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct lvs_bpf_conn_key k, tk = {};
	struct lvs_bpf_sync_req *r = data;
	struct lvs_bpf_conn *c, *nc, *t;
	struct lvs_bpf_svc *s;
	struct lvs_bpf_dest *d;
	__u32 slot, svcslot, state, timeout, flags;
	__u64 now, left, last;
	bool tmpl, active, was, has_t = false;

	if ((void *)(r + 1) > end)
		return LVS_BPF_SYNC_BAD;
	k = r->key;
	slot = r->dest;
	svcslot = r->svc;
	tmpl = r->flags & LVS_CONN_F_TEMPLATE;
	left = r->left_ns;
	d = bpf_map_lookup_elem(&lvs_dests, &slot);
	s = bpf_map_lookup_elem(&lvs_svcs, &svcslot);
	if (!d || !d->in_use || !s || !s->in_use ||
	    (k.proto != IPPROTO_TCP && k.proto != IPPROTO_UDP))
		return LVS_BPF_SYNC_BAD;
	state = (tmpl || k.proto != IPPROTO_TCP) ? 0 : r->state;
	if (state > LVS_TCP_S_MAX)
		return LVS_BPF_SYNC_BAD;
	active = !tmpl && k.proto == IPPROTO_TCP && tcp_state_active(state);
	timeout = tmpl ? s->timeout : state_timeout(k.proto, state);
	if (!left)
		left = 1000000;		/* 1 ms: expires at once, as there */
	/* last packet + timeout = now + left (clamped just after boot) */
	now = bpf_ktime_get_ns();
	last = now + left;
	last = last > (__u64)timeout * NSEC ? last - (__u64)timeout * NSEC : 0;

	c = bpf_map_lookup_elem(&lvs_conns, &k);
	if (c && (c->flags & LVS_BPF_CONN_DEAD))
		return LVS_BPF_SYNC_FULL;
	if (c && (c->dest != slot || c->dgen != d->gen)) {
		conn_kill(&k, c);
		c = NULL;
	}
	if (c) {
		bpf_spin_lock(&c->lock);
		was = !(c->flags & LVS_CONN_F_INACTIVE);
		if (!tmpl) {
			c->state = state;
			if (active)
				c->flags &= ~LVS_CONN_F_INACTIVE;
			else
				c->flags |= LVS_CONN_F_INACTIVE;
		}
		c->flags |= r->flags & LVS_CONN_F_ASSURED;
		bpf_spin_unlock(&c->lock);
		c->timeout_s = timeout;
		c->last_ns = last;
		bpf_timer_start(&c->timer, left, 0);
		if (!tmpl && was != active)
			dest_count(slot, d->gen, active ? 1 : -1,
				   active ? -1 : 1);
		return LVS_BPF_SYNC_OK;
	}

	if (!tmpl && (s->flags & LVS_SVC_F_PERSISTENT)) {
		tmpl_key(s, &k, &tk);
		t = bpf_map_lookup_elem(&lvs_conns, &tk);
		has_t = t && !(t->flags & LVS_BPF_CONN_DEAD);
	}
	nc = scratch(0);
	if (!nc)
		return LVS_BPF_SYNC_FULL;
	nc->dest = slot;
	nc->dgen = d->gen;
	nc->svc = svcslot;
	nc->fwd = d->fwd;
	__builtin_memcpy(nc->daddr, d->addr, 16);
	nc->dport = r->dport;
	nc->daf = d->af;
	nc->state = state;
	flags = r->flags & (LVS_CONN_F_TEMPLATE | LVS_CONN_F_ASSURED);
	if (tmpl || d->fwd != LVS_FWD_MASQ)
		flags |= LVS_CONN_F_NO_OUTPUT;
	if (!tmpl && !active)
		flags |= LVS_CONN_F_INACTIVE;
	nc->flags = flags;
	nc->last_ns = last;
	nc->timeout_s = timeout;
	if (has_t) {
		nc->has_tmpl = 1;
		nc->tmpl = tk;
	}
	c = conn_insert(&k, nc);
	if (!c)
		return LVS_BPF_SYNC_FULL;
	bpf_timer_start(&c->timer, left, 0);
	if (tmpl)
		dest_count3(slot, nc->dgen, 0, 0, 1);
	else
		dest_count(slot, nc->dgen, active ? 1 : 0, active ? 0 : 1);
	if (has_t) {
		t = bpf_map_lookup_elem(&lvs_conns, &tk);
		if (t)
			__sync_fetch_and_add(&t->n_control, 1);
	}
	if (!tmpl && d->fwd == LVS_FWD_MASQ) {
		struct lvs_bpf_out_key ok = {};

		ok.af = k.af;
		ok.proto = k.proto;
		ok.dport = r->dport;
		ok.cport = k.cport;
		__builtin_memcpy(ok.daddr, d->addr, 16);
		__builtin_memcpy(ok.caddr, k.caddr, 16);
		if (bpf_map_update_elem(&lvs_conns_out, &ok, &k, BPF_ANY)) {
			c->fwd = 0;	/* no reply entry to remove */
			conn_kill(&k, c);
			return LVS_BPF_SYNC_FULL;
		}
	}
	return LVS_BPF_SYNC_OK;
}
