/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrrp_conf.h - keepalived's VRRP grammar as lvsd reads it: vrrp_script,
 * vrrp_instance, vrrp_sync_group and the vrrp_* keywords of global_defs,
 * parsed by the runtime's keyword tables into the plain data below, then
 * checked as a whole (vrrp_conf_resolve()) with keepalived's messages and
 * severities so that `lvsd -t` exits as `keepalived -t` does.
 *
 * Keywords keepalived knows and lvsd does not carry out (use_vmac,
 * virtual_rules, track_process, auth_type AH, ...) are warnings naming the
 * keyword; none is accepted silently.
 */
#ifndef _LVSD_VRRP_CONF_H
#define _LVSD_VRRP_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "conf.h"
#include "conf_kw.h"

struct vrrp_script_conf {
	char		*name;
	char		*file;
	int		line;
	struct conf_script script;
	char		*user, *group;		/* "user U [G]", line user_line */
	int		user_line;
	long long	interval;		/* usec, default 1 s */
	long long	timeout;		/* usec, default interval */
	long long	weight;			/* -253..253, 0: fault */
	bool		weight_reverse;
	long long	rise, fall;		/* default 1 */
	bool		init_fail;
	bool		used;
};

/* A tracked interface or script, with its weight (0: fault when down). */
struct vrrp_track {
	char		*name;
	long long	weight;			/* CONF_UNSET: the script's */
	bool		reverse;
	int		line;
};

struct vrrp_ip_conf {
	struct conf_addr addr;
	int		plen;
	char		*dev;			/* NULL: the instance's */
	char		*label;
	int		scope;			/* RT_SCOPE_* */
	int		line;
};

struct vrrp_route_conf {
	struct conf_addr dst;
	int		plen;
	struct conf_addr gw;			/* af 0: none */
	char		*dev;
	long long	table, metric;
	int		scope;
	int		line;
};

struct vrrp_inst_cfg {
	char		*name;
	char		*file;
	int		line;
	char		*ifname;
	long long	vrid;			/* CONF_UNSET until given */
	long long	prio;
	long long	version;		/* CONF_UNSET: global's */
	long long	advert_int;		/* usec */
	bool		nopreempt;
	long long	preempt_delay;		/* usec */
	bool		want_master;
	long long	auth_type;		/* VRRP_AUTH_* */
	char		auth_pass[8];
	struct vrrp_ip_conf *vips;
	size_t		n_vips;
	struct vrrp_route_conf *routes;
	size_t		n_routes;
	struct vrrp_track *track_ifs;
	size_t		n_track_ifs;
	struct vrrp_track *track_scripts;
	size_t		n_track_scripts;
	struct conf_addr unicast_src;
	struct conf_addr *peers;
	size_t		n_peers;
	struct conf_script notify_master, notify_backup, notify_fault,
			   notify_stop, notify;
	long long	garp_master_delay;	/* usec; CONF_UNSET: global's */
	long long	garp_master_repeat;
	bool		smtp_alert;
	struct vrrp_group_cfg *group;		/* set by resolve */
};

struct vrrp_group_cfg {
	char		*name;
	char		*file;
	int		line;
	char		**members;
	size_t		n_members;
	struct vrrp_inst_cfg **insts;		/* set by resolve */
	size_t		n_insts;
	struct vrrp_track *track_ifs;
	size_t		n_track_ifs;
	struct vrrp_track *track_scripts;
	size_t		n_track_scripts;
	struct conf_script notify_master, notify_backup, notify_fault,
			   notify_stop, notify;
	bool		smtp_alert;
};

/* global_defs lvs_sync_daemon IF INSTANCE [id N] [maxlen N] [port N]
 * [ttl N] [group IP]: the connection sync daemon follows INSTANCE. */
struct vrrp_syncd_cfg {
	char		*ifname;		/* NULL: none */
	char		*inst;
	char		*file;
	int		line;
	long long	syncid;			/* -1: the instance's VRID */
	long long	maxlen, port, ttl;	/* 0: the default */
	struct conf_addr group;			/* af 0: the default */
};

struct vrrp_cfg {
	struct vrrp_inst_cfg	**insts;
	size_t			n_insts;
	struct vrrp_group_cfg	**groups;
	size_t			n_groups;
	struct vrrp_script_conf	**scripts;
	size_t			n_scripts;
	/* static_ipaddress and static_routes: held while lvsd runs */
	struct vrrp_inst_cfg	statics;
	bool			has_statics;
	/* global_defs */
	long long		version;		/* 2 */
	struct conf_addr	mcast4, mcast6;
	long long		garp_master_delay;	/* 5 s */
	long long		garp_master_repeat;	/* 5 */
	bool			check_unicast_src;
	bool			v3_checksum_as_v2;
	struct vrrp_syncd_cfg	syncd;
};

/* Rows for the top level (vrrp_script, vrrp_instance, vrrp_sync_group,
 * static_ipaddress, static_routes) and for global_defs; their object is a
 * struct vrrp_cfg. */
extern const struct conf_kw vrrp_root_kws[];
extern const struct conf_kw vrrp_global_kws[];

void vrrp_cfg_init(struct vrrp_cfg *c);
/* Links groups, scripts and interfaces; logs keepalived's messages. */
void vrrp_cfg_resolve(struct conf_log *log, struct vrrp_cfg *c);
void vrrp_cfg_free(struct vrrp_cfg *c);

#define VRRP_SUBSYS_NAME	"vrrp"

/*
 * The configuration half of the subsystem's struct subsys, for lvsd
 * (vrrp.c adds the run-time hooks) and for tests that parse without a
 * daemon: .name = VRRP_SUBSYS_NAME, VRRP_SUBSYS_CONF.
 */
struct conf;
void vrrp_conf_init(void *sc);
void vrrp_conf_done(struct conf *c, void *sc, struct conf_log *log);
void vrrp_conf_free(void *sc);
#define VRRP_SUBSYS_CONF						\
	.kws = vrrp_root_kws, .global_kws = vrrp_global_kws,		\
	.conf_size = sizeof(struct vrrp_cfg), .conf_init = vrrp_conf_init, \
	.conf_done = vrrp_conf_done, .conf_free = vrrp_conf_free

#endif /* _LVSD_VRRP_CONF_H */
