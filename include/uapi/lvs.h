/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * lvs.h - the one definition of the lvs control ABI.
 *
 * The kernel module (kmod/lvs.ko) and every userspace tool include this
 * file; nothing else defines a command, an attribute or a flag value.
 *
 * Rules that keep old binaries working for years:
 *  - every enum starts at *_UNSPEC = 0 and ends with __*_MAX / *_MAX;
 *  - enums and flag sets only grow: a value, once released, keeps its
 *    number and its meaning;
 *  - userspace skips attribute types above the *_MAX it was built with;
 *  - the kernel rejects unknown attributes inside our nests (strict
 *    validation), so a new tool talking to an old module gets -EINVAL and
 *    an extack message rather than a silent partial change.
 *
 * Transport: generic netlink family LVS_GENL_NAME, version
 * LVS_GENL_VERSION, no family header.  The family is netnsok: every
 * command acts on the caller's network namespace.  Commands that read
 * need CAP_NET_ADMIN in the user namespace owning that network namespace
 * (as IPVS's get commands); commands that change state need it in the
 * initial user namespace.
 *
 * Replies: a GET command is answered with messages carrying the same
 * command number; dumps send them with NLM_F_MULTI.
 *
 * Byte order: ports and IPv4 netmasks are in network byte order (as on
 * the wire); every other integer is in host order.  Addresses are 4 bytes
 * for AF_INET and 16 bytes for AF_INET6; the length must match the
 * address family given alongside.
 */
#ifndef _UAPI_LVS_H
#define _UAPI_LVS_H

#include <linux/types.h>

#define LVS_GENL_NAME		"LVS"
#define LVS_GENL_VERSION	1

/* Version of the module, as ipvsadm's "IP Virtual Server version x.y.z". */
#define LVS_VERSION_MAJOR	0
#define LVS_VERSION_MINOR	1
#define LVS_VERSION_PATCH	0
#define LVS_VERSION_CODE	((LVS_VERSION_MAJOR << 16) | \
				 (LVS_VERSION_MINOR << 8) | LVS_VERSION_PATCH)

/* Longest scheduler name, including the terminating NUL. */
#define LVS_SCHED_NAME_MAX	16

/* Largest persistence timeout, in seconds (31 days, as ipvsadm). */
#define LVS_PERSIST_TIMEOUT_MAX	2678400U

/* Largest real server weight (ipvsadm as patched by Debian: INT_MAX). */
#define LVS_WEIGHT_MAX		2147483647U

/* Service flags (LVS_SVC_ATTR_FLAGS). Values match IPVS's for easy porting. */
#define LVS_SVC_F_PERSISTENT	0x0001	/* persistent: use templates */
#define LVS_SVC_F_HASHED	0x0002	/* reserved, never set by userspace */
#define LVS_SVC_F_ONEPACKET	0x0004	/* one-packet scheduling (UDP, fwmark) */
#define LVS_SVC_F_SCHED1	0x0008	/* scheduler flag 1 (sh/mh-fallback) */
#define LVS_SVC_F_SCHED2	0x0010	/* scheduler flag 2 (sh/mh-port) */
#define LVS_SVC_F_SCHED3	0x0020	/* scheduler flag 3 */

/* Scheduler-specific names for the generic scheduler flags. */
#define LVS_SVC_F_SCHED_SH_FALLBACK	LVS_SVC_F_SCHED1
#define LVS_SVC_F_SCHED_SH_PORT		LVS_SVC_F_SCHED2
#define LVS_SVC_F_SCHED_MH_FALLBACK	LVS_SVC_F_SCHED1
#define LVS_SVC_F_SCHED_MH_PORT		LVS_SVC_F_SCHED2

/* Every flag userspace may set or clear. */
#define LVS_SVC_F_USER_MASK	(LVS_SVC_F_PERSISTENT | LVS_SVC_F_ONEPACKET | \
				 LVS_SVC_F_SCHED1 | LVS_SVC_F_SCHED2 | \
				 LVS_SVC_F_SCHED3)

/* LVS_SVC_ATTR_FLAGS carries a value and the mask of bits it changes. */
struct lvs_flags {
	__u32 flags;
	__u32 mask;
};

/* Real server flags, reported in LVS_DEST_ATTR_FLAGS (read only). */
#define LVS_DEST_F_AVAILABLE	0x0001	/* linked into its service */
#define LVS_DEST_F_OVERLOAD	0x0002	/* over its upper threshold */

/* Forwarding methods (LVS_DEST_ATTR_FWD_METHOD). */
enum lvs_fwd_method {
	LVS_FWD_UNSPEC,
	LVS_FWD_MASQ,		/* NAT: rewrite destination, replies back */
	LVS_FWD_TUNNEL,		/* encapsulate (see enum lvs_tun_type) */
	LVS_FWD_DROUTE,		/* direct routing: same L3 packet, RS's MAC */
	__LVS_FWD_MAX
};
#define LVS_FWD_MAX (__LVS_FWD_MAX - 1)

/* Tunnel encapsulations (LVS_DEST_ATTR_TUN_TYPE). */
enum lvs_tun_type {
	LVS_TUN_IPIP,		/* IPv4-in-IPv4, IPv6-in-IPv6, or mixed */
	LVS_TUN_GUE,		/* generic UDP encapsulation */
	LVS_TUN_GRE,		/* GRE */
	__LVS_TUN_MAX
};
#define LVS_TUN_MAX (__LVS_TUN_MAX - 1)

/* Tunnel checksum options (LVS_DEST_ATTR_TUN_FLAGS). */
#define LVS_TUN_F_NOCSUM	0x0000	/* no checksum */
#define LVS_TUN_F_CSUM		0x0001	/* checksum in the outer header */
#define LVS_TUN_F_REMCSUM	0x0002	/* remote checksum offload (GUE) */

/* TCP connection states, as IPVS names them (LVS_CONN_ATTR_STATE). */
enum lvs_tcp_state {
	LVS_TCP_S_NONE,
	LVS_TCP_S_ESTABLISHED,
	LVS_TCP_S_SYN_SENT,
	LVS_TCP_S_SYN_RECV,
	LVS_TCP_S_FIN_WAIT,
	LVS_TCP_S_TIME_WAIT,
	LVS_TCP_S_CLOSE,
	LVS_TCP_S_CLOSE_WAIT,
	LVS_TCP_S_LAST_ACK,
	LVS_TCP_S_LISTEN,
	LVS_TCP_S_SYNACK,
	__LVS_TCP_S_MAX
};
#define LVS_TCP_S_MAX (__LVS_TCP_S_MAX - 1)

/* Connection flags (LVS_CONN_ATTR_FLAGS, read only). */
#define LVS_CONN_F_TEMPLATE	0x0001	/* persistence template */
#define LVS_CONN_F_ONE_PACKET	0x0002	/* not hashed, one packet */
#define LVS_CONN_F_ASSURED	0x0004	/* template: a controlled conn got
					 * established */
#define LVS_CONN_F_INACTIVE	0x0008	/* counted as inactive on its dest */
#define LVS_CONN_F_NO_OUTPUT	0x0010	/* replies bypass us (DR, tunnel) */

/* Commands. */
enum lvs_cmd {
	LVS_CMD_UNSPEC,
	LVS_CMD_NEW_SERVICE,	/* add a service: LVS_ATTR_SERVICE */
	LVS_CMD_SET_SERVICE,	/* edit a service: LVS_ATTR_SERVICE */
	LVS_CMD_DEL_SERVICE,	/* delete a service and its dests */
	LVS_CMD_GET_SERVICE,	/* one service (doit) or all (dump) */
	LVS_CMD_NEW_DEST,	/* add a dest: LVS_ATTR_SERVICE + _DEST */
	LVS_CMD_SET_DEST,	/* edit a dest */
	LVS_CMD_DEL_DEST,	/* delete a dest */
	LVS_CMD_GET_DEST,	/* dump the dests of LVS_ATTR_SERVICE */
	LVS_CMD_GET_CONN,	/* dump connections (and templates) */
	LVS_CMD_SET_CONFIG,	/* set timeouts and limits: LVS_ATTR_CONFIG */
	LVS_CMD_GET_CONFIG,	/* read timeouts and limits */
	LVS_CMD_GET_INFO,	/* version, table size, counts */
	LVS_CMD_ZERO,		/* zero counters: of one service, or all */
	LVS_CMD_FLUSH,		/* delete every service */
	LVS_CMD_NEW_DAEMON,	/* start a sync daemon: LVS_ATTR_DAEMON */
	LVS_CMD_DEL_DAEMON,	/* stop one: LVS_ATTR_DAEMON with STATE */
	LVS_CMD_GET_DAEMON,	/* the running daemons (dump) */
	__LVS_CMD_MAX
};
#define LVS_CMD_MAX (__LVS_CMD_MAX - 1)

/* Top-level attributes. */
enum lvs_attr {
	LVS_ATTR_UNSPEC,
	LVS_ATTR_SERVICE,	/* nest: enum lvs_svc_attr */
	LVS_ATTR_DEST,		/* nest: enum lvs_dest_attr */
	LVS_ATTR_CONN,		/* nest: enum lvs_conn_attr */
	LVS_ATTR_CONFIG,	/* nest: enum lvs_cfg_attr */
	LVS_ATTR_INFO,		/* nest: enum lvs_info_attr */
	LVS_ATTR_DAEMON,	/* nest: enum lvs_daemon_attr */
	__LVS_ATTR_MAX
};
#define LVS_ATTR_MAX (__LVS_ATTR_MAX - 1)

/*
 * Service attributes.  A service is named either by AF + FWMARK or by
 * AF + PROTOCOL + ADDR + PORT.  NEW_SERVICE also needs SCHED_NAME;
 * FLAGS, TIMEOUT and NETMASK default to 0, 0 and all-ones.
 */
enum lvs_svc_attr {
	LVS_SVC_ATTR_UNSPEC,
	LVS_SVC_ATTR_AF,	/* u16: AF_INET or AF_INET6 */
	LVS_SVC_ATTR_PROTOCOL,	/* u16: IPPROTO_TCP or IPPROTO_UDP */
	LVS_SVC_ATTR_ADDR,	/* binary: virtual address (4 or 16 B) */
	LVS_SVC_ATTR_PORT,	/* be16: virtual port; 0 = any port */
	LVS_SVC_ATTR_FWMARK,	/* u32: firewall mark, instead of the above */
	LVS_SVC_ATTR_SCHED_NAME, /* string: scheduler, < LVS_SCHED_NAME_MAX */
	LVS_SVC_ATTR_FLAGS,	/* struct lvs_flags: LVS_SVC_F_* */
	LVS_SVC_ATTR_TIMEOUT,	/* u32: persistence timeout, seconds */
	LVS_SVC_ATTR_NETMASK,	/* u32: persistence granularity: be32 mask
				 * for AF_INET, prefix length for AF_INET6 */
	LVS_SVC_ATTR_STATS,	/* nest: enum lvs_stats_attr (reply only) */
	LVS_SVC_ATTR_NUM_DESTS,	/* u32: number of dests (reply only) */
	LVS_SVC_ATTR_PAD,
	__LVS_SVC_ATTR_MAX
};
#define LVS_SVC_ATTR_MAX (__LVS_SVC_ATTR_MAX - 1)

/*
 * Real server ("dest") attributes.  A dest is named by ADDR + PORT within
 * its service; ADDR_FAMILY defaults to the service's (only tunnels may mix
 * families).  NEW_DEST defaults: FWD_METHOD droute, WEIGHT 1, thresholds 0
 * (no limit), TUN_TYPE ipip.
 */
enum lvs_dest_attr {
	LVS_DEST_ATTR_UNSPEC,
	LVS_DEST_ATTR_ADDR,	/* binary: real server address (4 or 16 B) */
	LVS_DEST_ATTR_PORT,	/* be16: real server port */
	LVS_DEST_ATTR_FWD_METHOD, /* u8: enum lvs_fwd_method */
	LVS_DEST_ATTR_WEIGHT,	/* u32: 0..LVS_WEIGHT_MAX, 0 = no new conns */
	LVS_DEST_ATTR_U_THRESH,	/* u32: upper conn threshold, 0 = none */
	LVS_DEST_ATTR_L_THRESH,	/* u32: lower conn threshold, 0 = 3/4 upper */
	LVS_DEST_ATTR_ACTIVE_CONNS, /* u32: active conns (reply only) */
	LVS_DEST_ATTR_INACT_CONNS, /* u32: inactive conns (reply only) */
	LVS_DEST_ATTR_PERSIST_CONNS, /* u32: templates (reply only) */
	LVS_DEST_ATTR_STATS,	/* nest: enum lvs_stats_attr (reply only) */
	LVS_DEST_ATTR_ADDR_FAMILY, /* u16: AF of ADDR if not the service's */
	LVS_DEST_ATTR_TUN_TYPE,	/* u8: enum lvs_tun_type */
	LVS_DEST_ATTR_TUN_PORT,	/* be16: GUE destination port */
	LVS_DEST_ATTR_TUN_FLAGS, /* u16: LVS_TUN_F_* */
	LVS_DEST_ATTR_FLAGS,	/* u32: LVS_DEST_F_* (reply only) */
	LVS_DEST_ATTR_PAD,
	__LVS_DEST_ATTR_MAX
};
#define LVS_DEST_ATTR_MAX (__LVS_DEST_ATTR_MAX - 1)

/*
 * Counters, all u64.  Totals are since the object was created or last
 * zeroed; rates are estimates over about the last two seconds (per
 * second), as IPVS's.
 */
enum lvs_stats_attr {
	LVS_STATS_ATTR_UNSPEC,
	LVS_STATS_ATTR_CONNS,	/* connections scheduled */
	LVS_STATS_ATTR_INPKTS,	/* packets client -> server */
	LVS_STATS_ATTR_OUTPKTS,	/* packets server -> client (NAT only) */
	LVS_STATS_ATTR_INBYTES,
	LVS_STATS_ATTR_OUTBYTES,
	LVS_STATS_ATTR_CPS,	/* connections per second */
	LVS_STATS_ATTR_INPPS,
	LVS_STATS_ATTR_OUTPPS,
	LVS_STATS_ATTR_INBPS,	/* bytes per second */
	LVS_STATS_ATTR_OUTBPS,
	LVS_STATS_ATTR_PAD,
	__LVS_STATS_ATTR_MAX
};
#define LVS_STATS_ATTR_MAX (__LVS_STATS_ATTR_MAX - 1)

/*
 * A connection, as dumped by LVS_CMD_GET_CONN.  STATE is an enum
 * lvs_tcp_state for TCP and 0 for UDP; templates carry
 * LVS_CONN_F_TEMPLATE, and for fwmark services PROTOCOL 0 (IPPROTO_IP)
 * and FWMARK instead of VADDR.
 */
enum lvs_conn_attr {
	LVS_CONN_ATTR_UNSPEC,
	LVS_CONN_ATTR_AF,	/* u16: family of CADDR and VADDR */
	LVS_CONN_ATTR_PROTOCOL,	/* u16 */
	LVS_CONN_ATTR_CADDR,	/* binary: client address */
	LVS_CONN_ATTR_CPORT,	/* be16 */
	LVS_CONN_ATTR_VADDR,	/* binary: virtual address */
	LVS_CONN_ATTR_VPORT,	/* be16 */
	LVS_CONN_ATTR_DADDR,	/* binary: real server address */
	LVS_CONN_ATTR_DPORT,	/* be16 */
	LVS_CONN_ATTR_DEST_AF,	/* u16: family of DADDR */
	LVS_CONN_ATTR_FWMARK,	/* u32 */
	LVS_CONN_ATTR_STATE,	/* u8 */
	LVS_CONN_ATTR_FLAGS,	/* u32: LVS_CONN_F_* */
	LVS_CONN_ATTR_FWD_METHOD, /* u8: enum lvs_fwd_method */
	LVS_CONN_ATTR_EXPIRES,	/* u32: milliseconds until expiry */
	__LVS_CONN_ATTR_MAX
};
#define LVS_CONN_ATTR_MAX (__LVS_CONN_ATTR_MAX - 1)

/*
 * Run-time configuration of the namespace.  Timeouts are in seconds; in
 * SET_CONFIG a value of 0 (or an absent attribute) leaves it unchanged,
 * and a SET_CONFIG without LVS_ATTR_CONFIG changes nothing.
 * TCP and TCP_FIN are ipvsadm's two TCP timeouts (ESTABLISHED and
 * FIN_WAIT); TCP_STATES sets any state: a nest whose attribute type is
 * (enum lvs_tcp_state + 1) and whose payload is a u32.  CONN_MAX may not
 * exceed LVS_INFO_ATTR_CONN_LIMIT (-ERANGE).
 *
 * The switches after CONN_MAX are IPVS's sysctls of the same names; an
 * absent attribute leaves a switch unchanged, a present one sets it
 * (0 included):
 *  EXPIRE_NODEST_CONN (0/1, default 1): a connection whose real server
 *    was deleted is expired on its next packet; with 0 its packets are
 *    dropped and it lives on, and a server deleted while it has
 *    connections comes back with them when added again (dest trash);
 *  EXPIRE_QUIESCENT_TEMPLATE (0/1, default 0): a persistence template
 *    whose server has weight 0 is expired on the client's next new
 *    connection, which is then scheduled afresh;
 *  SLOPPY_TCP (0/1, default 0): any TCP packet but a RST (and the
 *    invalid combinations always refused) may create a connection, not
 *    only a SYN;
 *  CONN_REUSE_MODE (0..3, default 1): a SYN on a finished connection's
 *    entry schedules a new connection: bit 0 after TIME_WAIT or CLOSE,
 *    bit 1 also after FIN_WAIT when replies bypass the director.
 */
enum lvs_cfg_attr {
	LVS_CFG_ATTR_UNSPEC,
	LVS_CFG_ATTR_TIMEOUT_TCP,	/* u32 */
	LVS_CFG_ATTR_TIMEOUT_TCP_FIN,	/* u32 */
	LVS_CFG_ATTR_TIMEOUT_UDP,	/* u32 */
	LVS_CFG_ATTR_TCP_STATES,	/* nest: per-state u32 */
	LVS_CFG_ATTR_CONN_MAX,		/* u32: cap on entries, 0 = default */
	LVS_CFG_ATTR_EXPIRE_NODEST_CONN,	/* u32: 0 or 1 */
	LVS_CFG_ATTR_EXPIRE_QUIESCENT_TEMPLATE,	/* u32: 0 or 1 */
	LVS_CFG_ATTR_SLOPPY_TCP,		/* u32: 0 or 1 */
	LVS_CFG_ATTR_CONN_REUSE_MODE,		/* u32: 0..3 */
	__LVS_CFG_ATTR_MAX
};
#define LVS_CFG_ATTR_MAX (__LVS_CFG_ATTR_MAX - 1)

/* What LVS_CMD_GET_INFO reports. */
enum lvs_info_attr {
	LVS_INFO_ATTR_UNSPEC,
	LVS_INFO_ATTR_VERSION,		/* u32: LVS_VERSION_CODE */
	LVS_INFO_ATTR_CONN_TAB_SIZE,	/* u32: hash buckets */
	LVS_INFO_ATTR_CONN_COUNT,	/* u32: entries in this netns */
	LVS_INFO_ATTR_CONN_MAX,		/* u32: cap on entries, this netns */
	LVS_INFO_ATTR_CONN_DROPPED,	/* u64: new entries refused by cap */
	LVS_INFO_ATTR_PAD,
	/* u64: embryonic entries evicted to make room under the cap */
	LVS_INFO_ATTR_CONN_EVICTED,
	/* u32: largest CONN_MAX allowed; all namespaces together hold no more */
	LVS_INFO_ATTR_CONN_LIMIT,
	__LVS_INFO_ATTR_MAX
};
#define LVS_INFO_ATTR_MAX (__LVS_INFO_ATTR_MAX - 1)

/* Roles of a sync daemon (LVS_DAEMON_ATTR_STATE), as IPVS's. */
#define LVS_DAEMON_MASTER	0x1	/* sends the table's changes */
#define LVS_DAEMON_BACKUP	0x2	/* installs what its master sends */

/* Defaults of a sync daemon's channel (docs/sync.md). */
#define LVS_SYNC_DEFAULT_GROUP	0xe0000051U	/* 224.0.0.81, host order */
#define LVS_SYNC_DEFAULT_PORT	8848
#define LVS_SYNC_DEFAULT_TTL	1
#define LVS_SYNC_DEFAULT_MAXLEN	1472		/* 1500 - IP - UDP */
/* An IPv6 channel's (a GROUP or PEER of 16 bytes): ff02::81, 1452 */
#define LVS_SYNC_DEFAULT_GROUP6	{ { { 0xff, 2, 0, 0, 0, 0, 0, 0, \
				      0, 0, 0, 0, 0, 0, 0, 0x81 } } }
#define LVS_SYNC_DEFAULT_MAXLEN6 1452		/* 1500 - IPv6 - UDP */

/*
 * A connection sync daemon (docs/sync.md): one master and one backup per
 * network namespace at most.  NEW_DAEMON needs STATE and MCAST_IFN; the
 * others default as ipvsadm's (SYNC_ID 0, MAXLEN 1472, GROUP 224.0.0.81,
 * PORT 8848, TTL 1).  With PEER the channel is unicast to and from that
 * address only.  GROUP and PEER are 4 bytes (an IPv4 channel) or 16
 * (IPv6), both of one family when both are given.
 * GET_DAEMON reports every attribute, the defaults filled in, and the
 * counters (reply only).
 */
enum lvs_daemon_attr {
	LVS_DAEMON_ATTR_UNSPEC,
	LVS_DAEMON_ATTR_STATE,		/* u32: LVS_DAEMON_MASTER or _BACKUP */
	LVS_DAEMON_ATTR_MCAST_IFN,	/* string: interface, < IFNAMSIZ */
	LVS_DAEMON_ATTR_SYNC_ID,	/* u32: 0..255 */
	LVS_DAEMON_ATTR_SYNC_MAXLEN,	/* u16: largest datagram payload */
	LVS_DAEMON_ATTR_MCAST_GROUP,	/* binary: IPv4 multicast group */
	LVS_DAEMON_ATTR_MCAST_PORT,	/* be16: UDP port */
	LVS_DAEMON_ATTR_MCAST_TTL,	/* u8: 1..255 */
	LVS_DAEMON_ATTR_PEER,		/* binary: IPv4 unicast peer */
	LVS_DAEMON_ATTR_SENT_PKTS,	/* u64: datagrams sent (reply only) */
	LVS_DAEMON_ATTR_SENT_CONNS,	/* u64: entries sent (reply only) */
	LVS_DAEMON_ATTR_RECV_PKTS,	/* u64: datagrams accepted */
	LVS_DAEMON_ATTR_RECV_CONNS,	/* u64: entries installed or updated */
	LVS_DAEMON_ATTR_DROPPED,	/* u64: datagrams from non-peers */
	/* u64: malformed datagrams, entries naming no local service/server */
	LVS_DAEMON_ATTR_BAD,
	/* u64: full tables sent (master) or received (backup) */
	LVS_DAEMON_ATTR_RESYNCS,
	LVS_DAEMON_ATTR_LOST,		/* u64: entries not queued (memory) */
	/* u64: datagrams the backup saw missing in the master's sequence */
	LVS_DAEMON_ATTR_GAPS,
	LVS_DAEMON_ATTR_PAD,
	__LVS_DAEMON_ATTR_MAX
};
#define LVS_DAEMON_ATTR_MAX (__LVS_DAEMON_ATTR_MAX - 1)

#endif /* _UAPI_LVS_H */
