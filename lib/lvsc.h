/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsc.h - the userspace client library for lvs (liblvsc.a).
 *
 * One interface for vsadm, lvsd and the tests, about virtual services, real
 * servers and connections, not about any datapath.  Two backends sit
 * behind the same calls: kmod/lvs.ko over the generic netlink family "LVS"
 * (include/uapi/lvs.h), and the eBPF datapath of bpf/ through its pinned
 * maps (docs/bpf.md).  lvsc_open() picks one: LVS_DATAPATH=kernel|bpf in
 * the environment, else the module when its family exists, else bpf.
 *
 * Conventions:
 *  - every call returns 0 or a negative errno, and on failure fills the
 *    caller's struct lvsc_err with that code and a one-line message (the
 *    kernel's extack message when there is one).  The library never prints
 *    and never exits;
 *  - ports are in host byte order here; the library converts;
 *  - addresses are a family plus a union, like the ABI's;
 *  - list calls return a malloc'ed array the caller frees with free().
 */
#ifndef _LVSC_H
#define _LVSC_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "uapi/lvs.h"	/* installed beside lvsc.h */

struct lvsc;				/* an open handle */

struct lvsc_err {
	int	code;			/* negative errno, 0 if none */
	char	msg[256];
};

union lvsc_addr {
	struct in_addr	in;
	struct in6_addr	in6;
};

struct lvsc_stats {
	uint64_t conns, inpkts, outpkts, inbytes, outbytes;
	uint64_t cps, inpps, outpps, inbps, outbps;
};

/*
 * A service is named by (af, fwmark) when fwmark != 0, else by
 * (af, protocol, addr, port).
 */
struct lvsc_service {
	uint16_t		af;
	uint16_t		protocol;	/* IPPROTO_TCP, IPPROTO_UDP */
	union lvsc_addr		addr;
	uint16_t		port;
	uint32_t		fwmark;
	char			sched[LVS_SCHED_NAME_MAX];
	uint32_t		flags;		/* LVS_SVC_F_* */
	uint32_t		timeout;	/* persistence, seconds */
	uint32_t		netmask;	/* be32 mask (v4) / prefix (v6);
						 * 0: the default, all ones */
	/* Filled by list and get calls only: */
	uint32_t		num_dests;
	struct lvsc_stats	stats;
};

struct lvsc_dest {
	uint16_t		af;		/* 0: the service's (list
						 * calls always fill it) */
	union lvsc_addr		addr;
	uint16_t		port;
	uint8_t			fwd;		/* enum lvs_fwd_method */
	uint32_t		weight;
	uint32_t		u_threshold;
	uint32_t		l_threshold;
	uint8_t			tun_type;	/* enum lvs_tun_type */
	uint16_t		tun_port;
	uint16_t		tun_flags;	/* LVS_TUN_F_* */
	/* Filled by list calls only: */
	uint32_t		flags;		/* LVS_DEST_F_* */
	uint32_t		activeconns;
	uint32_t		inactconns;
	uint32_t		persistconns;
	struct lvsc_stats	stats;
};

struct lvsc_conn {
	uint16_t		af;
	uint16_t		protocol;
	union lvsc_addr		caddr, vaddr, daddr;
	uint16_t		dest_af;
	uint16_t		cport, vport, dport;
	uint32_t		fwmark;
	uint8_t			state;		/* enum lvs_tcp_state; 0 UDP */
	uint8_t			fwd;
	uint32_t		flags;		/* LVS_CONN_F_* */
	uint32_t		expires_ms;
};

/*
 * The namespace's switches (IPVS's sysctls of the same names), in the
 * order of their LVS_CFG_ATTR_* from LVS_CFG_ATTR_EXPIRE_NODEST_CONN on.
 */
enum lvsc_switch {
	LVSC_SW_EXPIRE_NODEST_CONN,
	LVSC_SW_EXPIRE_QUIESCENT_TEMPLATE,
	LVSC_SW_SLOPPY_TCP,
	LVSC_SW_CONN_REUSE_MODE,
	LVSC_SW_COUNT
};

/*
 * Timeouts in seconds; 0 in a set call means "leave unchanged".  A
 * switch is sent when its bit (1 << enum lvsc_switch) is in sw_set, and
 * a get sets the bits of the switches the module reported.
 */
struct lvsc_config {
	uint32_t		tcp;		/* ESTABLISHED */
	uint32_t		tcp_fin;	/* FIN_WAIT */
	uint32_t		udp;
	uint32_t		tcp_state[LVS_TCP_S_MAX + 1];
	uint32_t		conn_max;
	uint32_t		sw_set;
	uint32_t		sw[LVSC_SW_COUNT];
};

struct lvsc_info {
	uint32_t		version;	/* LVS_VERSION_CODE */
	uint32_t		conn_tab_size;
	uint32_t		conn_count;
	uint32_t		conn_max;
	uint64_t		conn_dropped;
	uint64_t		conn_evicted;	/* embryonic, to make room */
	uint32_t		conn_limit;	/* largest conn_max allowed */
	uint64_t		neigh_dropped;	/* bpf tunnel: no neighbour entry */
};

/* Open a handle on the current network namespace's lvs. */
struct lvsc *lvsc_open(struct lvsc_err *err);
void lvsc_close(struct lvsc *h);
/* The same on a named datapath ("kernel" or "bpf"; NULL: as lvsc_open). */
struct lvsc *lvsc_open_datapath(const char *name, struct lvsc_err *err);
/* "kernel" or "bpf": the datapath h drives. */
const char *lvsc_datapath(const struct lvsc *h);
/*
 * Remove the datapath LVS_DATAPATH (or the default) selects from this
 * network namespace: for bpf, every program, link and pinned map.  The
 * kernel datapath is refused (-EOPNOTSUPP: modprobe -r is its unload).
 */
int lvsc_unload(struct lvsc_err *err);
/*
 * Serve interfaces created since the datapath was loaded (bpf: attach
 * its XDP program to each one LVS_BPF_IFACES allows that has none; lvsd
 * calls this on RTM_NEWLINK).  The kernel datapath, or bpf not loaded
 * yet: nothing to do, 0.
 */
int lvsc_attach_new(struct lvsc *h, struct lvsc_err *err);

int lvsc_info(struct lvsc *h, struct lvsc_info *info, struct lvsc_err *err);
int lvsc_config_get(struct lvsc *h, struct lvsc_config *cfg,
		    struct lvsc_err *err);
int lvsc_config_set(struct lvsc *h, const struct lvsc_config *cfg,
		    struct lvsc_err *err);

int lvsc_service_add(struct lvsc *h, const struct lvsc_service *svc,
		     struct lvsc_err *err);
int lvsc_service_edit(struct lvsc *h, const struct lvsc_service *svc,
		      struct lvsc_err *err);
int lvsc_service_del(struct lvsc *h, const struct lvsc_service *svc,
		     struct lvsc_err *err);
int lvsc_service_get(struct lvsc *h, struct lvsc_service *svc,
		     struct lvsc_err *err);
int lvsc_service_list(struct lvsc *h, struct lvsc_service **svcs, size_t *n,
		      struct lvsc_err *err);
int lvsc_flush(struct lvsc *h, struct lvsc_err *err);
/* Zero the counters of svc, or of everything when svc is NULL. */
int lvsc_zero(struct lvsc *h, const struct lvsc_service *svc,
	      struct lvsc_err *err);

int lvsc_dest_add(struct lvsc *h, const struct lvsc_service *svc,
		  const struct lvsc_dest *dest, struct lvsc_err *err);
int lvsc_dest_edit(struct lvsc *h, const struct lvsc_service *svc,
		   const struct lvsc_dest *dest, struct lvsc_err *err);
int lvsc_dest_del(struct lvsc *h, const struct lvsc_service *svc,
		  const struct lvsc_dest *dest, struct lvsc_err *err);
int lvsc_dest_list(struct lvsc *h, const struct lvsc_service *svc,
		   struct lvsc_dest **dests, size_t *n, struct lvsc_err *err);

int lvsc_conn_list(struct lvsc *h, struct lvsc_conn **conns, size_t *n,
		   struct lvsc_err *err);

/*
 * Connection sync daemons (docs/sync.md): kernel threads in lvs.ko, or
 * on the bpf datapath a process per role that start forks and
 * daemonises (lib/bpf_sync.c), same protocol.  state is LVS_DAEMON_MASTER or
 * LVS_DAEMON_BACKUP; 0 in a field asks for its default (ipvsadm's), and
 * list calls report the values in use.  peer (peer_af AF_INET) makes the
 * channel unicast to and from that address only.  At most one daemon of
 * each role runs per network namespace: a second start is -EEXIST.
 */
struct lvsc_daemon {
	uint32_t		state;		/* LVS_DAEMON_* */
	char			mcast_ifn[16];	/* IFNAMSIZ */
	uint32_t		syncid;		/* 0..255 */
	uint16_t		sync_maxlen;
	uint16_t		mcast_af;	/* 0: default group */
	union lvsc_addr		mcast_group;
	uint16_t		mcast_port;
	uint8_t			mcast_ttl;
	uint16_t		peer_af;	/* 0: none (multicast) */
	union lvsc_addr		peer;
	/* Filled by list calls only: */
	uint64_t		sent_pkts, sent_conns;
	uint64_t		recv_pkts, recv_conns;
	uint64_t		dropped;	/* datagrams from non-peers */
	uint64_t		bad;		/* malformed, or unknown service */
	uint64_t		resyncs;	/* full tables sent or received */
	uint64_t		lost;		/* entries not queued */
	uint64_t		gaps;		/* datagrams seen missing */
};

int lvsc_daemon_start(struct lvsc *h, const struct lvsc_daemon *d,
		      struct lvsc_err *err);
/* Stop the daemon of role state (LVS_DAEMON_MASTER or _BACKUP). */
int lvsc_daemon_stop(struct lvsc *h, uint32_t state, struct lvsc_err *err);
/* The running daemons, master first; *n may be 0. */
int lvsc_daemon_list(struct lvsc *h, struct lvsc_daemon **ds, size_t *n,
		     struct lvsc_err *err);

/*
 * Batches, for restoring large tables fast.  Between lvsc_batch_begin()
 * and lvsc_batch_end(), the calls that change state (service and dest
 * add/edit/del, flush, zero, config_set) are queued and return 0 at once,
 * or a negative errno for a request that could not even be built (it is
 * then not part of the batch).  Queued requests are sent many per
 * system call without waiting for each ack; the kernel applies them in
 * order and goes on after a refusal.  Calls that read (info, get, list)
 * are refused with -EBUSY inside a batch.
 *
 * lvsc_batch_end() sends what is left and collects the answers.  It
 * returns 0 when every request was applied.  Otherwise it returns the
 * first refusal's code with its message in err, sets *failed_at to that
 * request's position (0 = the first call queued after begin) and
 * *nfailed to the number of refused requests; either pointer may be
 * NULL.  A refusal does not undo the requests before or after it.
 */
int lvsc_batch_begin(struct lvsc *h, struct lvsc_err *err);
int lvsc_batch_end(struct lvsc *h, size_t *failed_at, size_t *nfailed,
		   struct lvsc_err *err);

/*
 * To hear of every refusal, not only the first: after lvsc_batch_begin(),
 * fn is called once per refused request, in the order of the requests,
 * with its position and the refusal, from within the batched calls or
 * lvsc_batch_end().  lvsc_batch_end() forgets it.
 */
typedef void (*lvsc_refusal_fn)(void *arg, size_t pos,
				const struct lvsc_err *err);
void lvsc_batch_notify(struct lvsc *h, lvsc_refusal_fn fn, void *arg);

/*
 * Scheduler names and scheduler flag names: the one table (sched_names.c)
 * lvsd and vsadm read.  A flag named for a scheduler (sh-fallback) is
 * only meant with it; flag-1..3 with any.
 */
struct lvsc_sched_flag {
	const char	*name;		/* "sh-fallback" */
	uint32_t	flag;		/* LVS_SVC_F_SCHED* */
	const char	*sched;		/* "sh"; NULL: any scheduler */
};

/* NULL-terminated; the modules schedulers/ builds. */
const char *const *lvsc_sched_names(void);
int lvsc_sched_known(const char *name);
/* Terminated by a NULL name. */
const struct lvsc_sched_flag *lvsc_sched_flags(void);
const struct lvsc_sched_flag *lvsc_sched_flag_find(const char *name);
/* BIT's name as SCHED calls it (sh's SCHED1 is sh-fallback), else its
 * generic name (flag-1); NULL for a bit that is no scheduler flag. */
const char *lvsc_sched_flag_name(const char *sched, uint32_t bit);

#endif /* _LVSC_H */
