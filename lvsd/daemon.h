/* SPDX-License-Identifier: GPL-2.0 */
/*
 * daemon.h - lvsd's running state: virtual servers, real servers and
 * checks built from a struct conf, the backend they are applied to, and the
 * calls the control socket and the metrics endpoint use.
 *
 * What the backend holds is tracked per real server (in_be, be), and every
 * change goes through rs_sync() for one real server or vs_sync() for all of
 * a virtual server's, which compare what should be there (hcstate.h's
 * rs_target()) with what is and send only the difference, so one check
 * result costs O(1) backend work (the quorum sum is O(real servers)).
 */
#ifndef _LVSD_DAEMON_H
#define _LVSD_DAEMON_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "checker.h"
#include "hcstate.h"
#include "log.h"
#include "script.h"
#include "vs_conf.h"

struct rs_rt;
struct vs_rt;
struct vmm_node;

/* A destination as lvsd last sent it. */
struct applied_dest {
	struct conf_addr	addr;
	struct lvsc_dest	d;
};

struct check_rt {
	struct rs_rt		*rs;
	const struct check_conf	*conf;
	size_t			idx;		/* position in its real server */
	struct hc		hc;
	struct check_probe	probe;
	struct ltimer		*timer;		/* next probe */
	struct ltimer		*deadline;	/* probe timeout */
	bool			running;
	bool			grace;		/* deadline deferred once */
	int64_t			planned;	/* when this probe was due */
	int64_t			started;
	int64_t			last_duration;
	long long		dyn_weight;	/* misc_dynamic; -1 none */
	enum check_result	last;
	char			why[128];	/* last failure's reason */
	bool			have_last;
};

struct rs_rt {
	struct vs_rt		*vs;
	const struct rs_conf	*conf;
	struct conf_addr	addr;
	struct check_rt		**checks;
	size_t			n_checks;
	bool			healthy;
	enum rs_admin		admin;
	bool			drained;
	int64_t			drain_deadline;
	bool			orphan;		/* gone from the config */
	int64_t			changed_at;	/* last health change, usec */
	bool			in_be;		/* in the backend, as be */
	struct applied_dest	be;
	uint32_t		counted;	/* its part of vs->live_weight */
	char			label[128];	/* vs="...",rs="..." for metrics */
	struct vmm_node		*node;		/* a pool node's (pools.c) */
	struct rs_conf		*own_conf;	/* made for the node */
};

struct vs_rt {
	const struct vs_conf	*conf;
	char			name[80];	/* "tcp 10.0.0.1:80" */
	struct rs_rt		**rss;
	size_t			n_rss;
	struct lvsc_service	*svcs;		/* one per group member */
	size_t			n_svcs;
	bool			sorry_in;	/* the sorry server, as sorry_be */
	struct applied_dest	sorry_be;
	struct quorum		q;
	uint64_t		live_weight;	/* sum of rs->counted */
	bool			sorry_active;
	bool			orphan;
};

struct daemon_stats {
	uint64_t	reloads, reload_failures;
	uint64_t	probes, probes_failed, backend_errors;
	uint64_t	lag_count;
	int64_t		lag_sum, lag_max;	/* usec, start vs due */
	int64_t		lag_max_window;		/* since the last scrape */
	uint64_t	in_flight;
	uint64_t	in_flight_max;		/* cap, from RLIMIT_NOFILE */
	uint64_t	local_errors;		/* EMFILE & co at probe start */
	uint64_t	deferred;		/* over the in-flight cap */
};

struct daemon {
	const char		*conf_path;
	struct conf_opts	opts;
	struct conf		*conf;
	struct vs_rt		**vss;
	size_t			n_vss;
	const struct backend_ops *bops;
	struct backend		*backend;
	struct ltimer		*drain_timer;
	struct daemon_stats	st;
	int64_t			started;
};

extern struct daemon lvsd;

/*
 * host.c: lvsd as a host of subsystems (subsys.h).  Start every registered
 * subsystem on C (which lvsd then owns): 0, or -1 with ERR when one could
 * not start (a VM pool; nothing is left started).  Parse the file again and
 * hand it to every subsystem's reload() only when it has no error; stop
 * them all, in the reverse order.
 */
int daemon_start(struct conf *c, char *err, size_t len);
int daemon_reload(char *msg, size_t len);
void daemon_stop(void);

void vs_sync(struct vs_rt *vs);
/* After one real server's health, weight or operator state changed. */
void rs_changed(struct rs_rt *rs);
void rs_update_health(struct rs_rt *rs);
struct vs_rt *daemon_find_vs(const char *spec);
struct rs_rt *daemon_find_rs(struct vs_rt *vs, const char *spec);
int daemon_rs_admin(struct rs_rt *rs, enum rs_admin a, char *msg,
		    size_t len);
/* The weight the real server should have when healthy. */
uint32_t rs_weight(const struct rs_rt *rs);
/* Real servers made at run time (pool nodes, pools.c): build one for VS
 * from RC (not added), add it, take it out of the service at once and
 * free it, or drain it (weight 0 until drained or its drain_timeout). */
struct rs_rt *daemon_rs_new(struct vs_rt *vs, const struct rs_conf *rc);
void daemon_rs_add(struct vs_rt *vs, struct rs_rt *rs);
void daemon_rs_remove(struct rs_rt *rs);
void daemon_rs_drain(struct rs_rt *rs);
bool rs_in_backend(const struct rs_rt *rs, uint32_t *weight);

/* checks.c */
void check_rt_start(struct check_rt *c, bool immediate);
void check_rt_stop(struct check_rt *c);
const char *check_result_name(const struct check_rt *c);

/* Logging to stderr, with a time stamp: the runtime's log.h. */
#define lvsd_log rt_log

/* The virtual-server subsystem's commands (ctl.c) and metrics (metrics.c);
 * the host's control socket and metrics endpoint dispatch to every
 * subsystem's. */
extern const struct subsys_cmd vs_ctl_cmds[];
void vs_metrics(FILE *out);

/* ctl.c, metrics.c */
int ctl_listen(const char *path, const char *group, unsigned int mode,
	       char *err, size_t len);
void ctl_close(void);
struct srv_stats;
const struct srv_stats *ctl_stats(void);
void ctl_query_json(const char *name, FILE *out);
/* status_page.c: GET /status and /status.json on the metrics listener. */
bool status_page_handle(const char *req, FILE *out);
const struct srv_stats *metrics_stats(void);
int metrics_listen(const char *addr, char *err, size_t len);
void metrics_close(void);
/* lvsd ctl ...: the client side, in ctl_client.c. */
int ctl_client_main(int argc, char **argv);

#endif /* _LVSD_DAEMON_H */
