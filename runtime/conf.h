/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conf.h - the configuration framework's plain data: messages with
 * file:line and severity, addresses, scripts, value parsers.  Part of the
 * runtime (docs/runtime.md); the grammars built on it (lvsd's virtual
 * servers in lvsd/vs_conf.h, the checkers in healthcheck/checker.h) own
 * their structs.
 *
 * The parser never prints: every message goes to a struct conf_log the
 * caller owns, each with file:line and a severity, and the severities decide
 * keepalived's "-t" exit code (conf_exit_code()).
 */
#ifndef _RT_CONF_H
#define _RT_CONF_H

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

struct conf_opts {
	const char	*config_id;		/* -i: selects "@id" lines */
	bool		no_includes;		/* read no other file (fuzzing) */
};

/*
 * Where a parse has got to, kept up to date while CONF_PROGRESS is set (the
 * reload guard points it at memory shared with the parent, so a crash can
 * be reported with its file:line).
 */
struct conf_progress {
	char	file[256];
	int	line;
};
extern struct conf_progress *conf_progress;

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

#endif /* _RT_CONF_H */
