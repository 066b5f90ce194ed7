/* SPDX-License-Identifier: GPL-2.0 */
/*
 * checker.h - the health checker plugin interface.
 *
 * A checker is one file with one struct checker_ops and CHECKER_REGISTER(),
 * as HAProxy registers its keywords with INITCALL: adding one touches that
 * file and one line of healthcheck/Makefile.  The ops carry both halves of a
 * checker: its config keywords (parsed into check_conf.priv) and its probe.
 *
 * A probe runs on lvsd's single event loop and never blocks.  start() begins
 * it and returns 0, or a negative errno when it failed at once (no callback
 * follows).  Otherwise the checker calls probe_done() exactly once, after
 * releasing everything it holds; or the core gives up after the probe's
 * timeout and calls timeout(), which releases everything and says how a
 * probe that timed out counts (UDP_CHECK without require_reply passes).
 */
#ifndef _HC_CHECKER_H
#define _HC_CHECKER_H

#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "conf.h"
#include "conf_kw.h"
#include "registry.h"

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

/*
 * CHECK_RETRY: no verdict on the server.  The probe stopped on a shortage
 * of lvsd's own (hc_local_error(), e.g. EMFILE while connecting to a later
 * url); the core counts it and tries again soon, the check's state stays.
 */
enum check_result { CHECK_OK, CHECK_FAIL, CHECK_RETRY };

/* An errno that is lvsd's own shortage, not the server's fault. */
bool hc_local_error(int err);

struct check_probe {
	const struct check_conf *conf;
	struct sockaddr_storage	dst;
	socklen_t		dst_len;
	struct sockaddr_storage	src;		/* bindto/bind_port */
	socklen_t		src_len;	/* 0: let the kernel pick */
	const char		*vhost;		/* Host: for HTTP_GET */
	long long		rs_weight;	/* the real server's, configured */
	void			*state;		/* the checker's, in flight */
	char			why[128];	/* last failure, for the operator */
	/* Set by the core: */
	void (*done)(struct check_probe *pr, enum check_result res,
		     long long weight);
	void			*owner;
};

/*
 * What checkers read from outside their own block, filled by whoever owns
 * the file's top level (lvsd: the root SSL, track_file and bfd_instance blocks).
 */
struct checker_env {
	void			*tls;		/* http_tls.h; NULL: none */
	void			*track_files;	/* track_file.h */
	void			*bfd_instances;	/* bfd_instance.h */
};

struct checker_ops {
	const char		*name;		/* "TCP_CHECK" */
	const struct conf_kw	*kws;		/* object: check_conf.priv */
	size_t			priv_size;
	void (*priv_free)(void *priv);
	/* At the checker's '}': complain about missing or odd settings. */
	void (*validate)(struct conf_parser *p, struct check_conf *c);
	/* Optional: after the whole file is read (settings from ENV). */
	void (*resolve)(struct conf_log *log, struct check_conf *c,
			const struct checker_env *env);
	long long		default_retry;
	long long		default_dbr;	/* usec; CONF_UNSET: delay_loop */
	unsigned short		default_port;	/* 0: the real server's */
	bool			no_port;	/* needs no port (PING, MISC) */
	/* Longest a probe may take; NULL: connect_timeout. */
	long long (*probe_timeout)(const struct check_conf *c);
	int (*start)(struct check_probe *pr);
	enum check_result (*timeout)(struct check_probe *pr);
};

/*
 * The block of one checker (check_conf.c): the keywords every checker has,
 * then OPS's own; validate() runs at its '}'.  The owner of the enclosing
 * block creates the object with check_conf_new() (at the parser's current
 * file:line, OPS's defaults applied, the common fields CONF_UNSET), opens
 * checker_block on it, and fills the r_* fields after parsing.
 */
extern const struct conf_block checker_block;
struct check_conf *check_conf_new(struct conf_parser *p,
				  const struct checker_ops *ops);
void check_conf_free(struct check_conf *c);

void checker_register(const struct checker_ops *ops);
const struct checker_ops *checker_find(const char *name);
const struct checker_ops *checker_next(const struct checker_ops *prev);

/*
 * Stands for a keepalived checker lvsd lacks (the parser reports it as an
 * error): every probe fails at once with EOPNOTSUPP.
 */
const struct checker_ops *checker_unsupported(void);

extern struct rt_registry checker_registry;

#define CHECKER_REGISTER(ops)	RT_REGISTER(checker_registry, ops)

/*
 * Report the result of an in-flight probe.  WEIGHT >= 0 asks for a new
 * weight (MISC_CHECK with misc_dynamic), -1 keeps the configured one.
 * WHY (printf) says why a probe failed.
 */
void probe_done(struct check_probe *pr, enum check_result res,
		long long weight, const char *why, ...)
	__attribute__((format(printf, 4, 5)));
void probe_why(struct check_probe *pr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Helpers for socket checkers: a non-blocking socket, bound if asked. */
int probe_socket(struct check_probe *pr, int type, int proto);
/* Parse "00ff..." into bytes; returns length or -1. */
int hc_hex_decode(const char *s, unsigned char *out, size_t cap);
/*
 * keepalived's free-form hex (UDP_CHECK payload, require_reply): pairs of
 * hex digits, blanks anywhere between bytes, a lone digit before a blank or
 * the end is one byte ("1 2" is 01 02).  With CARE non-NULL, 'x'/'X' is a
 * wildcard nibble: CARE gets 0xf0/0x0f/0x00 where a nibble is free and
 * 0xff where both are given.  Returns the length (>= 1), or -1 for an
 * empty or invalid string or more than CAP bytes.
 */
int hc_hex_parse(const char *s, unsigned char *out, unsigned char *care,
		 size_t cap);
/*
 * The Host: value for an address without a virtualhost, as keepalived
 * writes it: "10.0.0.1:80", "[2001:db8::1]:8080" (RFC 2732 brackets).
 * Returns BUF, or NULL for another family or a short buffer.
 */
char *hc_host_port(const struct sockaddr_storage *ss, char *buf, size_t len);
/* argv[from..] joined by single blanks, as keepalived rejoins its words. */
char *hc_join_args(int argc, char **argv, int from);

#endif /* _HC_CHECKER_H */
