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
	long long	fwmark_af;
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

struct global_conf {
	char		*router_id;
	char		*script_user;
	char		*script_group;
	long long	enable_script_security;
	char		*ctl_socket;
	char		*ctl_group;
	long long	ctl_mode;
	char		*metrics_listen;
	long long	drain_timeout;		/* usec */
	long long	lvs_flush;
	long long	checker_log_all_failures;
	/* smtp_alert (alert.h): */
	struct conf_addr smtp_server;		/* af 0: no mail */
	char		*smtp_helo_name;	/* NULL: the host name */
	long long	smtp_connect_timeout;	/* usec */
	char		**emails;		/* notification_email */
	size_t		n_emails;
	char		*email_from;		/* NULL: keepalived@host */
	long long	smtp_alert;		/* the default */
	char		*vmm_state_dir;
};

struct pool_conf;

struct conf {
	char		*path;
	struct global_conf g;
	struct vs_conf	**vss;
	size_t		n_vss;
	struct vsg_conf	**vsgs;
	size_t		n_vsgs;
	struct pool_conf **pools;		/* vm_pool blocks (conf_vmm.h) */
	size_t		n_pools;
	char		**files;		/* every file read, for checks */
	size_t		n_files;
	struct checker_env hc;			/* SSL and track_file blocks */
};


/*
 * Parse PATH (following includes) into a new struct conf.  Returns NULL only
 * when nothing could be read; messages go to LOG in any case.
 */
struct conf *conf_load(const char *path, const struct conf_opts *opts,
		       struct conf_log *log);
/* The same from LEN bytes at BUF (includes relative to NAME's directory). */
struct conf *conf_load_mem(const char *name, const void *buf, size_t len,
			   const struct conf_opts *opts, struct conf_log *log);
void conf_free(struct conf *c);

#endif /* _LVSD_VS_CONF_H */
