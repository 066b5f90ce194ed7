/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvs_bpf.h - the map layout shared by the eBPF datapath (bpf/lvs.bpf.c)
 * and its userspace half (lib/bpf.c).  docs/bpf.md explains it.
 *
 * Rules: userspace owns every slot allocation and every write to the
 * service and real-server maps; the programs only read them, except the
 * scheduler state kept under the service's spin lock and the per-dest
 * connection counters (atomic adds).  The programs own the connection
 * table and the statistics; userspace reads them, and deletes from them
 * only on flush.  Addresses are in network byte order, IPv4 in addr[0].
 */
#ifndef _LVS_BPF_H
#define _LVS_BPF_H

#ifndef __bpf__
#include <linux/types.h>
#include <linux/bpf.h>
#endif

#define LVS_BPF_MAX_SVCS	1024	/* virtual services */
#define LVS_BPF_MAX_DESTS	4096	/* real servers, all services */
#define LVS_BPF_SVC_DESTS	64	/* real servers of one service */
#define LVS_BPF_CONN_MAX	262144	/* connection table entries */
#define LVS_BPF_WRR_SEQ		2048	/* longest wrr cycle, in picks */

/* Schedulers the programs run (lvs_bpf_svc.sched_id). */
enum lvs_bpf_sched {
	LVS_BPF_SCHED_RR,
	LVS_BPF_SCHED_WRR,
	LVS_BPF_SCHED_LC,
	LVS_BPF_SCHED_WLC,
	LVS_BPF_SCHED_SED,
	LVS_BPF_SCHED_NQ,
	LVS_BPF_SCHED_FO,
	LVS_BPF_SCHED_OVF,
	LVS_BPF_SCHED_SH,
	LVS_BPF_SCHED_DH,
	LVS_BPF_SCHED_MH,
	LVS_BPF_SCHED_LBLC,
	LVS_BPF_SCHED_LBLCR,
	__LVS_BPF_SCHED_MAX
};

/* sh and dh: buckets of their table (IPVS's 2^8), in lvs_wrr_seq. */
#define LVS_BPF_HASH_BITS	8
#define LVS_BPF_HASH_SIZE	(1 << LVS_BPF_HASH_BITS)

/* mh: lvs_mh_tab[svc slot], IPVS's default table (a prime), as dest
 * slots built by userspace with schedulers/lvs_mh.c; LVS_BPF_MH_NONE
 * where no dest is. */
#define LVS_BPF_MH_SIZE		4093
#define LVS_BPF_MH_NONE		0xffff
struct lvs_bpf_mh_tab {
	__u16	slot[LVS_BPF_MH_SIZE];
};

/*
 * lblc, lblcr: lvs_loc, an LRU hash of (service slot, destination
 * address) -> the dest chosen for it (lblc: set[0]; lblcr: the set,
 * newest first).  An entry is ignored (and overwritten) when its service
 * generation differs (service deleted, or its scheduler changed) or when
 * it was unused longer than the module's expiration; a member whose dest
 * slot's generation differs is a deleted dest and leaves.
 */
#define LVS_BPF_LOC_MAX		65536
#define LVS_BPF_LOC_SET		8	/* lblcr: members of one set */
#define LVS_BPF_LOC_EXPIRE	(24 * 60 * 60)	/* seconds, the module's */

struct lvs_bpf_loc_key {
	__u32	svc;
	__u32	addr[4];
};

struct lvs_bpf_loc {
	__u64	lastuse;	/* bpf_ktime_get_ns() */
	__u64	lastmod;	/* lblcr: the set last changed */
	__u32	svcgen;
	__u32	n;		/* members in slot[] */
	__u32	slot[LVS_BPF_LOC_SET];
	__u32	gen[LVS_BPF_LOC_SET];
};

/* Names a service: lvs_svc_idx's key. */
struct lvs_bpf_svc_key {
	__u16	af;
	__u8	proto;
	__u8	pad;
	__be16	port;
	__u16	pad2;
	__u32	addr[4];
};

/* One real server of a service, in the service's list order. */
struct lvs_bpf_svc_dest {
	__u32	slot;		/* index in lvs_dests */
	__s32	weight;
	__u32	flags;		/* LVS_DEST_F_OVERLOAD */
};

/* lvs_svcs[slot].  lock guards the scheduler state and d[]. */
struct lvs_bpf_svc {
	struct bpf_spin_lock lock;
	__u32	in_use;
	__u32	gen;		/* bumped at each reuse and scheduler change */
	__u32	sched_id;
	__u32	flags;		/* LVS_SVC_F_* */
	__u32	timeout;	/* persistence, seconds */
	__u32	netmask;
	struct lvs_bpf_svc_key key;
	char	sched[16];
	/* scheduler state: rr's last pick (-1: the list head), wrr's
	 * position in its cycle (lvs_wrr_seq) */
	__s32	pos;
	__u32	seqlen;		/* wrr: picks in the cycle */
	/* wrr: IPVS's current weight when the cycle was built, and the
	 * index of the last pick since (-1: none), which lib/bpf.c reads
	 * to carry the current weight over a change as IPVS does */
	__s32	wrr_cw;
	__s32	wrr_last;
	__u32	n;		/* real servers in d[] */
	struct lvs_bpf_svc_dest d[LVS_BPF_SVC_DESTS];
};

/* lvs_dests[slot]. */
struct lvs_bpf_dest {
	__u32	in_use;
	__u32	gen;		/* bumped at each reuse of the slot */
	__u32	svc;		/* slot of its service */
	__u16	af;
	__u8	fwd;		/* enum lvs_fwd_method */
	__u8	pad;
	__be16	port;
	__u16	pad2;
	__u32	addr[4];
	__s32	weight;
	__u32	u_threshold, l_threshold;
	__s32	last_weight;	/* the last weight other than 0 (mh) */
	__u32	saddr[4];	/* tunnel: the outer source, as the route
				 * to addr chose it when the dest was set */
};

/* lvs_dest_cnt[slot]: changed by the programs with atomic adds only;
 * userspace zeroes an entry when it gives the slot to a new dest. */
struct lvs_bpf_dest_cnt {
	__s32	activeconns;
	__s32	inactconns;
	__s32	persistconns;
	__u32	pad;
};

/* lvs_dest_ovl[slot]: LVS_DEST_F_OVERLOAD, derived from the counts and
 * the thresholds as lvs.ko's lvs_rs_update_overload, under the lock:
 * by the programs whenever the counts change, by userspace (BPF_F_LOCK)
 * when the thresholds do. */
struct lvs_bpf_dest_ovl {
	struct bpf_spin_lock lock;
	__u32	flags;
};

/* A connection, client side: lvs_conns' key.  A persistence template
 * has tmpl 1, the client address masked, cport 0, and vport 0 for a
 * port-0 service. */
struct lvs_bpf_conn_key {
	__u16	af;
	__u8	proto;
	__u8	tmpl;
	__be16	cport;
	__be16	vport;
	__u32	caddr[4];
	__u32	vaddr[4];
};

/* A NAT reply, real server side: lvs_conns_out's key. */
struct lvs_bpf_out_key {
	__u16	af;
	__u8	proto;
	__u8	pad;
	__be16	dport;		/* real server's port */
	__be16	cport;
	__u32	daddr[4];
	__u32	caddr[4];
};

/*
 * A packet's ends taken in order (source then destination) fill either
 * key alike: for a client's packet they are lvs_conns' key, for a NAT
 * reply lvs_conns_out's.  icmp_xlate and frag_note build one and look
 * up (or note) both.
 */
_Static_assert(__builtin_offsetof(struct lvs_bpf_conn_key, cport) ==
	       __builtin_offsetof(struct lvs_bpf_out_key, dport) &&
	       __builtin_offsetof(struct lvs_bpf_conn_key, vport) ==
	       __builtin_offsetof(struct lvs_bpf_out_key, cport) &&
	       __builtin_offsetof(struct lvs_bpf_conn_key, caddr) ==
	       __builtin_offsetof(struct lvs_bpf_out_key, daddr) &&
	       __builtin_offsetof(struct lvs_bpf_conn_key, vaddr) ==
	       __builtin_offsetof(struct lvs_bpf_out_key, caddr) &&
	       sizeof(struct lvs_bpf_conn_key) ==
	       sizeof(struct lvs_bpf_out_key),
	       "lvs_bpf_conn_key and lvs_bpf_out_key must share a layout");

/*
 * lvs_frags: where the rest of a fragmented datagram goes.  The first
 * fragment (offset 0) carries the ports and is handled as any packet,
 * noting here, under its addresses, protocol and IP ID, the connection
 * it is sent by (in: lvs_conns' key; out, a NAT reply: lvs_conns_out's).
 * The later fragments, without ports, follow it for
 * LVS_BPF_FRAG_TTL_NS (the kernel's ipfrag_time).  An LRU map: a note
 * is needed for one datagram only, and a full map forgets the oldest.
 */
#define LVS_BPF_FRAGS		16384
#define LVS_BPF_FRAG_TTL_NS	30000000000ULL	/* 30 s */

struct lvs_bpf_frag_key {
	__u16	af;
	__u8	proto;
	__u8	pad;
	__u32	id;		/* IPv4's 16 bits, IPv6's 32, as sent */
	__u32	saddr[4];
	__u32	daddr[4];
};

struct lvs_bpf_frag {
	__u64	stamp;		/* bpf_ktime_get_ns() of the first fragment */
	__u32	out;		/* 1: a NAT reply */
	__u32	pad;
	union {
		struct lvs_bpf_conn_key	in;
		struct lvs_bpf_out_key	out;
	} k;
};

/*
 * A connection's cached next hop for one direction: what
 * bpf_fib_lookup answered for its addresses, reused for
 * LVS_BPF_NH_TTL_NS while the packet comes in by the same interface
 * with the same DS field and is no longer than one the lookup passed
 * (the MTU check).  Read and written under the entry's lock.
 */
#define LVS_BPF_NH_TTL_NS	100000000ULL	/* 100 ms */

struct lvs_bpf_nh {
	__u64	stamp;		/* bpf_ktime_get_ns() of the lookup; 0 none */
	__u32	ifindex;	/* out of */
	__u32	iif;		/* the ingress interface it was asked for */
	__u16	len;		/* the longest packet it passed */
	__u8	tos;		/* IPv4 DS field it was asked for */
	__u8	pad;
	__u8	dmac[6];
	__u8	smac[6];
};

struct lvs_bpf_conn {
	struct bpf_timer timer;
	struct bpf_spin_lock lock;
	__u32	state;		/* enum lvs_tcp_state; 0 for UDP */
	__u64	last_ns;	/* last packet, bpf_ktime_get_ns() */
	__u32	timeout_s;	/* of the current state */
	__u32	flags;		/* LVS_CONN_F_* */
	__u32	dest;		/* slot in lvs_dests */
	__u32	dgen;		/* its gen when bound */
	__u32	svc;		/* slot in lvs_svcs */
	__u32	fwd;
	__u32	daddr[4];
	__be16	dport;
	__u16	daf;
	__s32	n_control;	/* template: connections it controls */
	__u32	has_tmpl;	/* connection: tmpl below is its template */
	struct lvs_bpf_conn_key tmpl;
	/* next hop towards the real server, towards the client (NAT) */
	struct lvs_bpf_nh nh[2];
};

/*
 * lvs_addr_bits: a filter of the addresses a packet must carry for the
 * programs to look it up at all.  Words [0, LVS_BPF_BITS_WORDS) hold a
 * bit per virtual address (a client's packet: its destination), the
 * next LVS_BPF_BITS_WORDS a bit per real-server address (a NAT reply:
 * its source), at lvs_bpf_addr_bit().  Userspace sets a bit before the
 * service or real server can be found and never clears one while the
 * datapath is loaded, so a packet whose bit is clear can match nothing:
 * it skips the lookups and goes to the stack.  A set bit only means
 * "look".
 */
#define LVS_BPF_BITS		16	/* bits of the hash */
#define LVS_BPF_BITS_WORDS	((1 << LVS_BPF_BITS) / 64)

static inline __u32 lvs_bpf_addr_bit(__u16 af, const __u32 *a)
{
	__u32 x = a[0];

	if (af == 10)	/* AF_INET6 */
		x ^= a[1] ^ a[2] ^ a[3];
	return (x * 0x9e3779b1u) >> (32 - LVS_BPF_BITS);
}

/*
 * lvs_svc_hint: a direct-mapped cache in front of lvs_svc_idx.  At
 * lvs_bpf_svc_hint(key), the slot + 1 of the service with that key
 * that userspace added last among those hashing there (0: none).  The
 * programs take a slot from it only when lvs_svcs holds that slot in
 * use with exactly the key looked for, else they look the key up in
 * lvs_svc_idx as before; so a stale, reused or overwritten hint costs
 * no more than that lookup, and nothing clears one while loaded.
 */
#define LVS_BPF_HINT_BITS	12
#define LVS_BPF_HINTS		(1 << LVS_BPF_HINT_BITS)

static inline __u32 lvs_bpf_svc_hint(const struct lvs_bpf_svc_key *k)
{
	__u32 x = (__u32)k->af ^ (__u32)k->proto << 16 ^ (__u32)k->port ^
		  k->addr[0] ^ k->addr[1] ^ k->addr[2] ^ k->addr[3];

	return (x * 0x9e3779b1u) >> (32 - LVS_BPF_HINT_BITS);
}

/* Internal conn flag: claimed for freeing (timer or packet path). */
#define LVS_BPF_CONN_DEAD	0x80000000u

/* lvs_wrr_seq[svc slot]: the table userspace builds whenever the
 * service's dests change, as dest slots: wrr's cycle as IPVS's wrr walks
 * it (seqlen picks), or sh's and dh's 256 buckets (seqlen 256). */
struct lvs_bpf_wrr_seq {
	__u16	slot[LVS_BPF_WRR_SEQ];
	__u16	level[LVS_BPF_WRR_SEQ];	/* wrr: the cw each pick is made at */
};

/* lvs_cfg[0]: timeouts in seconds. */
struct lvs_bpf_cfg {
	__u32	tcp[16];	/* per enum lvs_tcp_state */
	__u32	udp;
	__u32	conn_max;	/* <= LVS_BPF_CONN_MAX */
	__u32	ncpus;		/* possible CPUs, for the estimator */
};

/* lvs_state[0]: shared counters, atomic adds. */
struct lvs_bpf_state {
	__s64	conn_count;
	__u64	conn_dropped;	/* new entries refused: table full */
	__u64	neigh_dropped;	/* tunnel: next hop without a neighbour entry */
};

/* lvs_svc_stats / lvs_dest_stats, per CPU. */
struct lvs_bpf_stats {
	__u64	conns, inpkts, outpkts, inbytes, outbytes;
};

/*
 * The rate estimator, as lvs.ko's (kmod/stats.c): every 2 s a bpf_timer
 * turns each service's and real server's counter growth into per-second
 * rates, smoothed by new = old + (sample - old) / 4, kept scaled by 2^10.
 * lvs_rates[svc slot] and lvs_rates[LVS_BPF_MAX_SVCS + dest slot]:
 * written by the timer; userspace reads, and zeroes with the counters.
 */
#define LVS_BPF_EST_SHIFT	10
#define LVS_BPF_EST_SECS	2

struct lvs_bpf_rate {
	__u64	last[5];	/* conns, inpkts, outpkts, inbytes, outbytes */
	__u64	rate[5];	/* the same, per second << LVS_BPF_EST_SHIFT */
};

/* lvs_est[0]: the estimator's timer, armed by the first new connection. */
struct lvs_bpf_est {
	struct bpf_timer timer;
	__u32	armed;
	__u32	pad;
};

/*
 * lvs_sync_in: the connection sync backup's way into the table
 * (docs/sync.md, lib/bpf_sync.c).  A second XDP program, never
 * attached: pinned as "lvs_sync_in" beside the maps and run by the
 * backup with BPF_PROG_TEST_RUN, one request per run as the packet
 * data.  It installs or updates the entry as the packet path would
 * (counts, NAT reply entry, template link, timer), the service and
 * real server already resolved by userspace in this director's maps.
 * The run's return value is an LVS_BPF_SYNC_* code.
 */
struct lvs_bpf_sync_req {
	struct lvs_bpf_conn_key key;
	__u32	svc;		/* slot in lvs_svcs */
	__u32	dest;		/* slot in lvs_dests */
	__u32	state;		/* enum lvs_tcp_state; 0 for UDP, templates */
	__u32	flags;		/* LVS_CONN_F_TEMPLATE, LVS_CONN_F_ASSURED */
	__u64	left_ns;	/* remaining lifetime */
	__be16	dport;		/* real server port of the connection */
	__u16	pad[3];
};

enum {
	LVS_BPF_SYNC_BAD,	/* XDP_ABORTED: no such service or dest */
	LVS_BPF_SYNC_FULL,	/* table full, or the entry is being freed */
	LVS_BPF_SYNC_OK,
};

#endif /* _LVS_BPF_H */
