/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vs_conf.h - lvsd's virtual-server configuration: keepalived's
 * global_defs, virtual_server, virtual_server_group and real_server blocks,
 * parsed by conf_kws.c (on the runtime's framework, ../runtime/conf_kw.h)
 * into plain data.
 *
 * Cascading: a value left unset (CONF_UNSET) in a checker is taken from its
 * real server, then its virtual server, then the checker type's default and
 * finally the global default; conf_resolve() does this once after parsing so
 * the daemon only reads resolved fields (the r_* members).
 */
#ifndef _LVSD_VS_CONF_H
#define _LVSD_VS_CONF_H

#include "checker.h"
#include "conf.h"
#include "subsys.h"


struct rs_conf {
	char		*file;
	int		line;
	struct conf_addr addr;
	long long	weight;
	long long	fwd;			/* enum lvs_fwd_method */
	long long	uthreshold, lthreshold;
	struct conf_script notify_up, notify_down;
	long long	inhibit_on_failure;
	long long	alpha;
	long long	retry;
	long long	delay_before_retry;
	long long	warmup;
	long long	connect_timeout;
	long long	delay_loop;
	long long	rise, fall;
	long long	drain_timeout;
	char		*virtualhost;
	long long	smtp_alert;
	struct check_conf **checks;
	size_t		n_checks;
	/* Resolved: */
	long long	r_weight, r_fwd, r_drain_timeout;
	bool		r_inhibit;
	bool		r_smtp_alert;		/* RS, else global */
};

enum vs_kind { VS_ADDR, VS_FWMARK, VS_GROUP };

/* One member of a virtual_server_group, already expanded. */
struct vsg_entry {
	struct conf_addr addr;		/* af 0 when fwmark */
	uint32_t	fwmark;
};

struct vsg_conf {
	char		*name;
	char		*file;
	int		line;
	struct vsg_entry *ents;
	size_t		n;
};

struct vs_conf {
	char		*file;
	int		line;
	enum vs_kind	kind;
	struct conf_addr addr;
	long long	fwmark;
	long long	fwmark_af;		/* resolved: see ip_family */
	bool		fwmark_af_given;	/* "fwmark N inet|inet6" */
	long long	ip_family;		/* AF_*, CONF_UNSET */
	int		ip_family_line;
	char		*group;
	long long	protocol;		/* IPPROTO_* */
	char		sched[16];
	long long	fwd;
	long long	tun_type, tun_port, tun_flags;
	long long	persistence_timeout;	/* seconds; 0 = not persistent */
	char		*persistence_granularity;
	long long	svc_flags;		/* LVS_SVC_F_* from ops, sh-port... */
	long long	delay_loop;
	long long	connect_timeout;
	long long	retry;
	long long	delay_before_retry;
	long long	warmup;
	long long	inhibit_on_failure;
	long long	alpha, omega;
	long long	weight;			/* real servers' default */
	long long	quorum, hysteresis;
	struct conf_script quorum_up, quorum_down;
	struct conf_addr sorry;
	long long	sorry_fwd;
	long long	sorry_inhibit;
	long long	rise, fall;
	long long	drain_timeout;
	char		*virtualhost;
	long long	smtp_alert;
	struct rs_conf	**rss;
	size_t		n_rss;
	/* real_server_pool NAME { ... }: every node of the vm_pool NAME is a
	 * real server like this template (its address is the node's). */
	char		*pool;
	struct rs_conf	*pool_rs;
	/* Resolved: */
	bool		r_smtp_alert;		/* VS, else global */
	uint32_t	r_netmask;
	const struct vsg_conf *r_group;
};

/* The virtual-server subsystem's part of a struct conf (subsys.h). */
struct vs_set {
	struct vs_conf	**vss;
	size_t		n_vss;
	struct vsg_conf	**vsgs;
	size_t		n_vsgs;
	/* Its global_defs keywords: */
	long long	drain_timeout;		/* usec */
	long long	lvs_flush;
	long long	checker_log_all_failures;
	/* lvs_timeouts, seconds; 0: leave the datapath's value. */
	long long	tmo_tcp, tmo_tcpfin, tmo_udp;
	struct checker_env hc;			/* SSL and track_file blocks */
};

#define VS_SUBSYS_NAME	"virtual_server"

/*
 * The configuration half of the subsystem's struct subsys, for the daemon
 * (daemon.c registers it with its run-time hooks) and for tests that parse
 * without a daemon: .name = VS_SUBSYS_NAME, VS_SUBSYS_CONF.
 */
extern const struct conf_kw vs_top_kws[], vs_global_kws[];
void vs_conf_done(struct conf *c, void *sc, struct conf_log *log);
void vs_conf_free(void *sc);
#define VS_SUBSYS_CONF							\
	.kws = vs_top_kws, .global_kws = vs_global_kws,			\
	.conf_size = sizeof(struct vs_set), .conf_done = vs_conf_done,	\
	.conf_free = vs_conf_free

/* C's virtual servers (never NULL once the subsystem is registered). */
struct vs_set *vs_set(const struct conf *c);

#endif /* _LVSD_VS_CONF_H */
