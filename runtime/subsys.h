/* SPDX-License-Identifier: GPL-2.0 */
/*
 * subsys.h - a daemon as a host of subsystems.  A subsystem (lvsd's
 * virtual servers; later VM pools, VRRP) registers one struct subsys with
 * SUBSYS_REGISTER(), like checkers and backends (registry.h).  It owns:
 *
 *   - top-level blocks of the configuration (kws) and keywords inside
 *     global_defs (global_kws), parsed into one object of its own per load
 *     (conf_size bytes, zeroed, global_kws' defaults applied, then
 *     conf_init()); after the walk, conf_done() resolves and cross-checks
 *     it, logging to the load's conf_log; conf_free() frees its members;
 *   - start(c) once, reload(old, new) for every applied reload (the host
 *     applies a file only when it has no error), stop() at exit.  They run
 *     in registration (link) order, stop in the reverse order: a subsystem
 *     another one reads at start links first;
 *   - control-socket commands (cmds) and metrics lines (metrics()).
 *
 * The host (lvsd.c) reads the file with conf_load(), which walks
 * keepalived's grammar: global_defs (its common keywords below, then the
 * subsystems'), the blocks the subsystems registered, and keepalived's
 * other top-level blocks, skipped with a warning naming file:line when no
 * subsystem here owns them.  Anything else is an unknown keyword (an
 * error, as in keepalived).
 *
 * A subsystem reaches its own object with conf_sub(c, &its_subsys).  Hooks
 * run on the loop, never concurrently.
 */
#ifndef _RT_SUBSYS_H
#define _RT_SUBSYS_H

#include <stdbool.h>
#include <stdio.h>

#include "conf.h"
#include "conf_kw.h"
#include "registry.h"

/* global_defs keywords every subsystem shares. */
struct global_conf {
	char		*router_id;
	char		*script_user;		/* script.h's policy */
	char		*script_group;
	long long	enable_script_security;
	char		*ctl_socket;		/* the host's listeners */
	char		*ctl_group;
	long long	ctl_mode;
	char		*metrics_listen;
	/* smtp_alert, for every subsystem's mails: */
	struct conf_addr smtp_server;		/* af 0: no mail */
	char		*smtp_helo_name;	/* NULL: the host name */
	long long	smtp_connect_timeout;	/* usec */
	char		**emails;		/* notification_email */
	size_t		n_emails;
	char		*email_from;		/* NULL: keepalived@host */
	long long	smtp_alert;		/* the default */
};

/* One load of the configuration file. */
struct conf {
	char		*path;
	struct global_conf g;
	char		**files;		/* every file read */
	size_t		n_files;
	void		*sub[RT_REGISTRY_MAX];	/* per subsystem, by index */
};

/* A control-socket command; answers go to OUT (see lvsd/README.md). */
struct subsys_cmd {
	const char	*name;
	void (*fn)(int argc, char **argv, bool json, FILE *out);
	const char	*usage;
	/* Does this call change state (logged with the caller's uid)?
	 * NULL: never. */
	bool (*changes)(int argc, char **argv);
};

struct subsys {
	const char		*name;
	const struct conf_kw	*kws;		/* top-level rows */
	const struct conf_kw	*global_kws;	/* rows in global_defs */
	size_t			conf_size;
	void (*conf_init)(void *sc);
	void (*conf_done)(struct conf *c, void *sc, struct conf_log *log);
	void (*conf_free)(void *sc);
	/* 0, or -1 with ERR (nothing of this subsystem left running). */
	int (*start)(const struct conf *c, char *err, size_t len);
	void (*reload)(const struct conf *old, const struct conf *c);
	void (*stop)(void);
	const struct subsys_cmd	*cmds;		/* NULL-name terminated */
	void (*metrics)(FILE *out);
};

extern struct rt_registry subsystems;

#define SUBSYS_REGISTER(ss)	RT_REGISTER(subsystems, ss)

/* The subsystem's object in C (NULL: SS is not registered). */
void *conf_sub(const struct conf *c, const struct subsys *ss);

/*
 * Parse PATH (following includes) into a new struct conf.  Returns NULL
 * only when nothing could be read; messages go to LOG in any case.
 */
struct conf *conf_load(const char *path, const struct conf_opts *opts,
		       struct conf_log *log);
/* The same from LEN bytes at BUF (includes relative to NAME's directory). */
struct conf *conf_load_mem(const char *name, const void *buf, size_t len,
			   const struct conf_opts *opts, struct conf_log *log);
void conf_free(struct conf *c);

#endif /* _RT_SUBSYS_H */
