/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conf.h - lvsd's configuration: keepalived's grammar, parsed into plain data.
 *
 * The parser never prints: every message goes to a struct conf_log the
 * caller owns, each with file:line and a severity, and the severities decide
 * keepalived's "-t" exit code (conf_exit_code()).
 *
 * Cascading: a value left unset (CONF_UNSET) in a checker is taken from its
 * real server, then its virtual server, then the checker type's default and
 * finally the global default; conf_resolve() does this once after parsing so
 * the runtime only reads resolved fields (the r_* members).
 */
#ifndef _LVSD_CONF_H
#define _LVSD_CONF_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define CONF_UNSET	(-1LL)
#define USEC_PER_SEC	1000000LL

/* keepalived's exit codes for "-t". */
enum conf_rc {
	CONF_RC_OK	= 0,
	CONF_RC_ERRORS	= 5,	/* errors, but lvsd could run */
	CONF_RC_FATAL	= 4,	/* cannot run */
};

/*
 * CONF_DEFAULTED: what keepalived 2.2.7 counts as an error although it runs
 * with a default (no lb_algo, no lb_kind, a virtual server without real
 * servers): "-t" exits 5 for it as keepalived does, but a reload is not
 * refused for it, only for CONF_ERR and CONF_FATAL.
 */
enum conf_sev { CONF_NOTE, CONF_WARN, CONF_DEFAULTED, CONF_ERR, CONF_FATAL };

struct conf_msg {
	enum conf_sev	sev;
	char		*file;		/* NULL: not tied to a line */
	int		line;
	char		*text;
};

struct conf_log {
	struct conf_msg	*msgs;
	size_t		n, cap;
	int		count[CONF_FATAL + 1];
};

/* An address and port in one piece; port 0 = none. */
struct conf_addr {
	int		af;		/* AF_INET, AF_INET6, 0 = unset */
	union {
		struct in_addr	in;
		struct in6_addr	in6;
	} u;
	uint16_t	port;
};

/* A script line split into argv, plus who runs it. */
struct conf_script {
	char		**argv;		/* NULL-terminated; NULL = none */
	char		*user;		/* NULL: global script_user */
	char		*group;
};

struct checker_ops;

/* One checker block (TCP_CHECK, HTTP_GET, ...). */
struct check_conf {
	const struct checker_ops *ops;
	char		*file;
	int		line;
	struct conf_addr connect;	/* connect_ip / connect_port */
	struct conf_addr bind;		/* bindto / bind_port */
	char		*bind_if;
	long long	fwmark;
	long long	connect_timeout;	/* usec */
	long long	retry;
	long long	delay_before_retry;	/* usec */
	long long	delay_loop;		/* usec */
	long long	warmup;			/* usec */
	long long	alpha;			/* bool */
	long long	rise, fall;
	long long	log_all_failures;
	void		*priv;			/* the checker's own keywords */
	/* Resolved by conf_resolve(): */
	struct conf_addr r_target;
	long long	r_timeout, r_retry, r_dbr, r_delay, r_warmup;
	long long	r_rise, r_fall;
	bool		r_alpha;
};

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
	struct check_conf **checks;
	size_t		n_checks;
	/* Resolved: */
	long long	r_weight, r_fwd, r_drain_timeout;
	bool		r_inhibit;
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
	long long	quorum, hysteresis;
	struct conf_script quorum_up, quorum_down;
	struct conf_addr sorry;
	long long	sorry_fwd;
	long long	sorry_inhibit;
	long long	rise, fall;
	long long	drain_timeout;
	char		*virtualhost;
	struct rs_conf	**rss;
	size_t		n_rss;
	/* Resolved: */
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
};

struct conf {
	char		*path;
	struct global_conf g;
	struct vs_conf	**vss;
	size_t		n_vss;
	struct vsg_conf	**vsgs;
	size_t		n_vsgs;
	char		**files;		/* every file read, for checks */
	size_t		n_files;
	void		*tls;			/* SSL block, healthcheck's */
};

struct conf_opts {
	const char	*config_id;		/* -i: selects "@id" lines */
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

int conf_exit_code(const struct conf_log *log);
/* Errors a reload must not apply (CONF_ERR, CONF_FATAL). */
bool conf_has_errors(const struct conf_log *log);
void conf_log_add(struct conf_log *log, enum conf_sev sev, const char *file,
		  int line, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
void conf_log_free(struct conf_log *log);
const char *conf_sev_name(enum conf_sev sev);

/* Address helpers shared with the daemon and checkers. */
int conf_addr_parse(const char *s, struct conf_addr *a);
char *conf_addr_str(const struct conf_addr *a, char *buf, size_t len);
bool conf_addr_eq(const struct conf_addr *a, const struct conf_addr *b);
int conf_timer_parse(const char *s, long long *usec);
int conf_bool_parse(const char *s, bool *v);

#endif /* _LVSD_CONF_H */
