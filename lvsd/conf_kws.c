// SPDX-License-Identifier: GPL-2.0
/*
 * conf_kws.c - keepalived's blocks and keywords, one table row each, and
 * the cascade that fills what a block left unset (conf_resolve()).
 *
 * Defaults follow keepalived 2.2.7: delay_loop 60 s, connect_timeout 5 s,
 * retry 1 (DNS 3, MISC 0), delay_before_retry 1 s (HTTP 3 s, DNS delay_loop),
 * warmup = delay_loop, weight 1, quorum 1, hysteresis 0, lb_algo wlc,
 * lb_kind NAT, persistence_timeout without value 360 s.  lvsd's additions:
 * rise (default 1) and fall (default retry + 1) give keepalived's behaviour
 * unless set; drain_timeout; lvsd_* keywords in global_defs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checker.h"
#include "bfd_instance.h"
#include "http_tls.h"
#include "track_file.h"
#include "script.h"
#include "vs_conf.h"
#include "conf_vmm.h"
#include "lvsc.h"
#include "uapi/lvs.h"

#define T(sec)		((long long)(sec) * USEC_PER_SEC)
#define TMAX		T(86400)
#define OFF(type, f)	offsetof(struct type, f)

/* ---- shared keyword parsers ---- */

static int kw_sched(struct conf_parser *p, const struct conf_kw *kw,
		    void *obj, int argc, char **argv)
{
	char *f = (char *)obj + kw->off;

	if (argc < 2) {
		conf_err(p, "'%s' needs a scheduler name", argv[0]);
		return -1;
	}
	/* The modules schedulers/ builds: lib/sched_names.c. */
	if (lvsc_sched_known(argv[1])) {
		snprintf(f, 16, "%s", argv[1]);
		return 0;
	}
	conf_err(p, "Invalid lvs_scheduler '%s' - ignoring", argv[1]);
	return -1;
}

/* lb_kind NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum] */
/*
 * A whole unsigned number in [LO, HI] in BASE (keepalived reads fwmarks
 * and ports in decimal only): no sign,
 * no trailing text, no wrap-around as strtoul gives "-1".
 */
static bool parse_range(const char *s, int base, unsigned long long lo,
			unsigned long long hi, unsigned long long *out)
{
	char *end;

	if (!s || !(*s >= '0' && *s <= '9'))
		return false;
	errno = 0;
	*out = strtoull(s, &end, base);
	return !errno && !*end && *out >= lo && *out <= hi;
}

static int kw_fwd(struct conf_parser *p, const struct conf_kw *kw, void *obj,
		  int argc, char **argv)
{
	long long *fwd = (long long *)((char *)obj + kw->off);
	struct vs_conf *vs = kw->min ? obj : NULL;	/* VS rows: tunnel too */

	if (argc < 2) {
		conf_err(p, "'%s' needs NAT, DR or TUN", argv[0]);
		return -1;
	}
	if (!strcasecmp(argv[1], "NAT") || !strcasecmp(argv[1], "PAT"))
		*fwd = LVS_FWD_MASQ;
	else if (!strcasecmp(argv[1], "DR"))
		*fwd = LVS_FWD_DROUTE;
	else if (!strcasecmp(argv[1], "TUN"))
		*fwd = LVS_FWD_TUNNEL;
	else {
		conf_err(p, "invalid %s '%s' - ignoring", argv[0], argv[1]);
		return -1;
	}
	for (int i = 2; i < argc; i++) {
		if (!vs || *fwd != LVS_FWD_TUNNEL) {
			conf_warn(p, "%s: '%s' ignored", argv[0], argv[i]);
		} else if (!strcmp(argv[i], "type") && i + 1 < argc) {
			i++;
			if (!strcmp(argv[i], "ipip"))
				vs->tun_type = LVS_TUN_IPIP;
			else if (!strcmp(argv[i], "gue"))
				vs->tun_type = LVS_TUN_GUE;
			else if (!strcmp(argv[i], "gre"))
				vs->tun_type = LVS_TUN_GRE;
			else
				conf_err(p, "unknown tunnel type '%s'",
					 argv[i]);
		} else if (!strcmp(argv[i], "port")) {
			unsigned long long port;

			if (i + 1 == argc) {
				conf_err(p, "missing port for the gue tunnel");
				return -1;
			}
			if (!parse_range(argv[++i], 10, 1, 65535, &port)) {
				conf_err(p, "invalid gue tunnel port '%s' "
					 "(1-65535)", argv[i]);
				return -1;
			}
			vs->tun_port = (long long)port;
		} else if (!strcmp(argv[i], "nocsum")) {
			vs->tun_flags = LVS_TUN_F_NOCSUM;
		} else if (!strcmp(argv[i], "csum")) {
			vs->tun_flags = LVS_TUN_F_CSUM;
		} else if (!strcmp(argv[i], "remcsum")) {
			vs->tun_flags = LVS_TUN_F_REMCSUM;
		} else {
			conf_err(p, "%s: unknown tunnel option '%s'", argv[0],
				 argv[i]);
		}
	}
	if (vs && *fwd == LVS_FWD_TUNNEL &&
	    (vs->tun_type == LVS_TUN_GUE) != (vs->tun_port != 0)) {
		conf_err(p, "gue tunnels require a port, other tunnels cannot "
			 "have one");
		return -1;
	}
	return 0;
}

/* A block read and thrown away (checkers lvsd does not have). */
static const struct conf_block skip_block = { .name = "skipped" };

/* ---- checker blocks: healthcheck/check_conf.c ---- */

static struct check_conf *check_new(struct conf_parser *p, struct rs_conf *rs,
				     const struct checker_ops *ops)
{
	struct check_conf *c = check_conf_new(p, ops);

	CONF_PUSH(rs->checks, rs->n_checks, c);
	conf_set_child(p, c);
	return c;
}

static int kw_checker(struct conf_parser *p, const struct conf_kw *kw,
		      void *obj, int argc, char **argv)
{
	check_new(p, obj, checker_find(argv[0]));
	if (argc > 1)
		conf_warn(p, "%s: words after the keyword ignored", argv[0]);
	return 0;
}

static const struct conf_kw checker_open_kw = {
	.name = "checker", .parse = kw_checker, .block = &checker_block
};

/*
 * keepalived checkers lvsd does not have: an error, and the real server
 * gets a checker that never passes and starts down, so a daemon started
 * anyway never puts it in the pool unchecked.
 */
static int kw_unsupported_checker(struct conf_parser *p,
				  const struct conf_kw *kw, void *obj,
				  int argc, char **argv)
{
	struct check_conf *c = check_new(p, obj, checker_unsupported());

	c->alpha = 1;
	conf_set_child(p, NULL);	/* its block is skipped */
	conf_err(p, "%s is not supported by lvsd: the real server is kept out "
		 "of the pool", argv[0]);
	return 0;
}

static const struct conf_kw unsupported_checker_kw = {
	.name = "unsupported", .parse = kw_unsupported_checker,
	.block = &skip_block
};

static const struct conf_kw *rs_lookup(void *obj, const char *name,
				       void **kwobj)
{
	static const char *const unsupported[] = {
		NULL
	};

	*kwobj = obj;
	if (checker_find(name))
		return &checker_open_kw;
	for (size_t i = 0; unsupported[i]; i++)
		if (!strcmp(name, unsupported[i]))
			return &unsupported_checker_kw;
	return NULL;
}

/* ---- real_server ---- */

static const struct conf_kw rs_kws[] = {
	{ .name = "weight", .parse = conf_kw_int, .off = OFF(rs_conf, weight),
	  .max = 65535 },
	{ .name = "snmp_name", .parse = conf_kw_ignored },
	{ .name = "lvs_method", .parse = kw_fwd, .off = OFF(rs_conf, fwd) },
	{ .name = "lb_kind", .parse = kw_fwd, .off = OFF(rs_conf, fwd) },
	{ .name = "notify_up", .parse = conf_kw_script, .off = OFF(rs_conf,
	  notify_up) },
	{ .name = "notify_down", .parse = conf_kw_script, .off = OFF(rs_conf,
	  notify_down) },
	{ .name = "uthreshold", .parse = conf_kw_int, .off = OFF(rs_conf,
	  uthreshold), .max = UINT32_MAX, .def = "0" },
	{ .name = "lthreshold", .parse = conf_kw_int, .off = OFF(rs_conf,
	  lthreshold), .max = UINT32_MAX, .def = "0" },
	{ .name = "inhibit_on_failure", .parse = conf_kw_bool,
	  .off = OFF(rs_conf, inhibit_on_failure) },
	{ .name = "alpha", .parse = conf_kw_bool, .off = OFF(rs_conf, alpha) },
	{ .name = "retry", .parse = conf_kw_int, .off = OFF(rs_conf, retry),
	  .max = 1000000 },
	{ .name = "delay_before_retry", .parse = conf_kw_timer,
	  .off = OFF(rs_conf, delay_before_retry), .max = TMAX },
	{ .name = "warmup", .parse = conf_kw_timer, .off = OFF(rs_conf, warmup),
	  .max = TMAX },
	{ .name = "connect_timeout", .parse = conf_kw_timer, .off = OFF(rs_conf,
	  connect_timeout), .min = 1000, .max = TMAX },
	{ .name = "delay_loop", .parse = conf_kw_timer, .off = OFF(rs_conf,
	  delay_loop), .min = 1000, .max = TMAX },
	{ .name = "rise", .parse = conf_kw_int, .off = OFF(rs_conf, rise),
	  .min = 1, .max = 1000 },
	{ .name = "fall", .parse = conf_kw_int, .off = OFF(rs_conf, fall),
	  .min = 1, .max = 1000 },
	{ .name = "drain_timeout", .parse = conf_kw_timer, .off = OFF(rs_conf,
	  drain_timeout), .max = TMAX },
	{ .name = "virtualhost", .parse = conf_kw_str, .off = OFF(rs_conf,
	  virtualhost) },
	{ .name = "smtp_alert", .parse = conf_kw_bool, .off = OFF(rs_conf,
	  smtp_alert) },
	{ .name = NULL }
};

static void rs_close(struct conf_parser *p, void *obj)
{
	struct rs_conf *rs = obj;

	if (rs->uthreshold > 0 && rs->lthreshold > rs->uthreshold)
		conf_err(p, "lthreshold %lld above uthreshold %lld",
			 rs->lthreshold, rs->uthreshold);
}

static const struct conf_block rs_block = {
	.name = "real_server", .kws = rs_kws, .lookup = rs_lookup,
	.close = rs_close,
};

static void rs_free(struct rs_conf *rs)
{
	if (!rs)
		return;
	for (size_t i = 0; i < rs->n_checks; i++)
		check_conf_free(rs->checks[i]);
	free(rs->checks);
	conf_script_free(&rs->notify_up);
	conf_script_free(&rs->notify_down);
	free(rs->virtualhost);
	free(rs->file);
	free(rs);
}

/* "IP [PORT]" into A; the port is optional.  -1 after logging. */
static int parse_ip_port(struct conf_parser *p, int argc, char **argv,
			 struct conf_addr *a)
{
	char *end;
	long port = 0;

	if (argc < 2 || conf_addr_parse(argv[1], a)) {
		conf_err(p, "%s: invalid address '%s'", argv[0],
			 argc < 2 ? "" : argv[1]);
		return -1;
	}
	if (argc >= 3) {
		port = strtol(argv[2], &end, 10);
		if (*end || end == argv[2] || port < 0 || port > 65535) {
			conf_err(p, "%s: invalid port '%s'", argv[0], argv[2]);
			return -1;
		}
	}
	a->port = (uint16_t)port;
	if (argc > 3)
		conf_warn(p, "%s: extra words after the port ignored",
			  argv[0]);
	return 0;
}

static int kw_real_server(struct conf_parser *p, const struct conf_kw *kw,
			  void *obj, int argc, char **argv)
{
	struct vs_conf *vs = obj;
	struct rs_conf *rs = conf_xcalloc(sizeof(*rs));

	if (parse_ip_port(p, argc, argv, &rs->addr)) {
		free(rs);
		return -1;
	}
	rs->file = strdup(conf_cur_file(p));
	rs->line = conf_cur_line(p);
	rs->fwd = rs->inhibit_on_failure = rs->alpha = rs->retry = CONF_UNSET;
	rs->delay_before_retry = rs->warmup = CONF_UNSET;
	rs->connect_timeout = rs->delay_loop = CONF_UNSET;
	rs->rise = rs->fall = rs->drain_timeout = CONF_UNSET;
	rs->smtp_alert = rs->weight = CONF_UNSET;
	CONF_PUSH(vs->rss, vs->n_rss, rs);
	conf_set_child(p, rs);
	return 0;
}

/* The template every node of a vm_pool follows as a real server. */
static int kw_real_server_pool(struct conf_parser *p,
			       const struct conf_kw *kw, void *obj, int argc,
			       char **argv)
{
	struct vs_conf *vs = obj;
	struct rs_conf *rs;

	if (argc < 2) {
		conf_err(p, "real_server_pool needs a vm_pool name");
		return -1;
	}
	if (vs->pool) {
		conf_err(p, "real_server_pool: one pool per virtual server "
			 "(already %s)", vs->pool);
		return -1;
	}
	rs = conf_xcalloc(sizeof(*rs));
	rs->file = strdup(conf_cur_file(p));
	rs->line = conf_cur_line(p);
	rs->fwd = rs->inhibit_on_failure = rs->alpha = rs->retry = CONF_UNSET;
	rs->delay_before_retry = rs->warmup = CONF_UNSET;
	rs->connect_timeout = rs->delay_loop = CONF_UNSET;
	rs->rise = rs->fall = rs->drain_timeout = CONF_UNSET;
	rs->weight = CONF_UNSET;	/* the virtual server's, else 1 */
	vs->pool = strdup(argv[1]);
	vs->pool_rs = rs;
	conf_set_child(p, rs);
	return 0;
}

/* ---- virtual_server ---- */

static int kw_persistence(struct conf_parser *p, const struct conf_kw *kw,
			  void *obj, int argc, char **argv)
{
	static char def[] = "360";
	char *a[3] = { argv[0], def, NULL };

	return conf_kw_int(p, kw, obj, 2, argc >= 2 ? argv : a);
}

static int kw_protocol(struct conf_parser *p, const struct conf_kw *kw,
		       void *obj, int argc, char **argv)
{
	struct vs_conf *vs = obj;

	if (argc < 2) {
		conf_err(p, "'protocol' needs TCP, UDP or SCTP");
		return -1;
	}
	if (!strcasecmp(argv[1], "TCP"))
		vs->protocol = IPPROTO_TCP;
	else if (!strcasecmp(argv[1], "UDP"))
		vs->protocol = IPPROTO_UDP;
	else if (!strcasecmp(argv[1], "SCTP"))
		vs->protocol = IPPROTO_SCTP;
	else {
		conf_err(p, "unknown protocol '%s' - ignoring", argv[1]);
		return -1;
	}
	if (vs->kind == VS_FWMARK)
		conf_warn(p, "protocol is ignored for a fwmark service");
	return 0;
}

/* Scheduler and service flags: .min holds the LVS_SVC_F_* bit. */
static int kw_svc_flag(struct conf_parser *p, const struct conf_kw *kw,
		       void *obj, int argc, char **argv)
{
	struct vs_conf *vs = obj;

	vs->svc_flags |= kw->min;
	return 0;
}

static int kw_sorry(struct conf_parser *p, const struct conf_kw *kw,
		    void *obj, int argc, char **argv)
{
	struct vs_conf *vs = obj;

	return parse_ip_port(p, argc, argv, &vs->sorry);
}

/* keepalived: the family of a fwmark service; a check on the others. */
static int kw_ip_family(struct conf_parser *p, const struct conf_kw *kw,
			void *obj, int argc, char **argv)
{
	struct vs_conf *vs = obj;

	if (argc != 2 || (strcmp(argv[1], "inet") &&
			  strcmp(argv[1], "inet6"))) {
		conf_err(p, "ip_family must be inet or inet6");
		return -1;
	}
	vs->ip_family = strcmp(argv[1], "inet") ? AF_INET6 : AF_INET;
	vs->ip_family_line = conf_cur_line(p);
	return 0;
}

static const struct conf_kw vs_kws[] = {
	{ .name = "delay_loop", .parse = conf_kw_timer, .off = OFF(vs_conf,
	  delay_loop), .min = 1000, .max = TMAX, .def = "60" },
	{ .name = "lb_algo", .parse = kw_sched, .off = OFF(vs_conf, sched) },
	{ .name = "lvs_sched", .parse = kw_sched, .off = OFF(vs_conf, sched) },
	{ .name = "lb_kind", .parse = kw_fwd, .off = OFF(vs_conf, fwd),
	  .min = 1 },
	{ .name = "lvs_method", .parse = kw_fwd, .off = OFF(vs_conf, fwd),
	  .min = 1 },
	{ .name = "persistence_timeout", .parse = kw_persistence,
	  .off = OFF(vs_conf, persistence_timeout), .max = UINT32_MAX,
	  .def = "0" },
	{ .name = "persistence_granularity", .parse = conf_kw_str,
	  .off = OFF(vs_conf, persistence_granularity) },
	{ .name = "persistence_engine", .parse = conf_kw_ignored },
	{ .name = "protocol", .parse = kw_protocol },
	{ .name = "ops", .parse = kw_svc_flag, .min = LVS_SVC_F_ONEPACKET },
	{ .name = "hashed", .parse = conf_kw_ignored },
	{ .name = "connect_timeout", .parse = conf_kw_timer, .off = OFF(vs_conf,
	  connect_timeout), .min = 1000, .max = TMAX, .def = "5" },
	{ .name = "retry", .parse = conf_kw_int, .off = OFF(vs_conf, retry),
	  .max = 1000000 },
	{ .name = "delay_before_retry", .parse = conf_kw_timer,
	  .off = OFF(vs_conf, delay_before_retry), .max = TMAX },
	{ .name = "warmup", .parse = conf_kw_timer, .off = OFF(vs_conf, warmup),
	  .max = TMAX },
	{ .name = "inhibit_on_failure", .parse = conf_kw_bool,
	  .off = OFF(vs_conf, inhibit_on_failure), .def = "off" },
	{ .name = "alpha", .parse = conf_kw_bool, .off = OFF(vs_conf, alpha),
	  .def = "off" },
	{ .name = "omega", .parse = conf_kw_bool, .off = OFF(vs_conf, omega),
	  .def = "off" },
	/* keepalived: the weight of real servers that set none. */
	{ .name = "weight", .parse = conf_kw_int, .off = OFF(vs_conf, weight),
	  .min = 1, .max = 65535 },
	{ .name = "quorum", .parse = conf_kw_int, .off = OFF(vs_conf, quorum),
	  .min = 1, .max = UINT32_MAX, .def = "1" },
	{ .name = "hysteresis", .parse = conf_kw_int, .off = OFF(vs_conf,
	  hysteresis), .max = UINT32_MAX, .def = "0" },
	{ .name = "quorum_up", .parse = conf_kw_script, .off = OFF(vs_conf,
	  quorum_up) },
	{ .name = "quorum_down", .parse = conf_kw_script, .off = OFF(vs_conf,
	  quorum_down) },
	{ .name = "sorry_server", .parse = kw_sorry },
	{ .name = "sorry_server_inhibit", .parse = conf_kw_bool,
	  .off = OFF(vs_conf, sorry_inhibit), .def = "off" },
	{ .name = "sorry_server_lvs_method", .parse = kw_fwd, .off = OFF(vs_conf,
	  sorry_fwd) },
	{ .name = "virtualhost", .parse = conf_kw_str, .off = OFF(vs_conf,
	  virtualhost) },
	{ .name = "rise", .parse = conf_kw_int, .off = OFF(vs_conf, rise),
	  .min = 1, .max = 1000 },
	{ .name = "fall", .parse = conf_kw_int, .off = OFF(vs_conf, fall),
	  .min = 1, .max = 1000 },
	{ .name = "drain_timeout", .parse = conf_kw_timer, .off = OFF(vs_conf,
	  drain_timeout), .max = TMAX },
	{ .name = "ha_suspend", .parse = conf_kw_ignored },
	{ .name = "smtp_alert", .parse = conf_kw_bool, .off = OFF(vs_conf,
	  smtp_alert) },
	{ .name = "ip_family", .parse = kw_ip_family },
	{ .name = "snmp_name", .parse = conf_kw_ignored },
	{ .name = "real_server", .parse = kw_real_server, .block = &rs_block },
	{ .name = "real_server_pool", .parse = kw_real_server_pool,
	  .block = &rs_block },
	{ .name = NULL }
};

/* Scheduler flags (sh-port, flag-1, ...) by lib/sched_names.c's names. */
static int kw_sched_flag(struct conf_parser *p, const struct conf_kw *kw,
			 void *obj, int argc, char **argv)
{
	struct vs_conf *vs = obj;

	vs->svc_flags |= lvsc_sched_flag_find(argv[0])->flag;
	return 0;
}

static const struct conf_kw sched_flag_kw = {
	.name = "scheduler flag", .parse = kw_sched_flag
};

static const struct conf_kw *vs_lookup(void *obj, const char *name,
				       void **kwobj)
{
	*kwobj = obj;
	return lvsc_sched_flag_find(name) ? &sched_flag_kw : NULL;
}

static const struct conf_block vs_block = { .name = "virtual_server",
					    .kws = vs_kws,
					    .lookup = vs_lookup };

static void vs_free(struct vs_conf *vs)
{
	if (!vs)
		return;
	for (size_t i = 0; i < vs->n_rss; i++)
		rs_free(vs->rss[i]);
	free(vs->rss);
	rs_free(vs->pool_rs);
	free(vs->pool);
	conf_script_free(&vs->quorum_up);
	conf_script_free(&vs->quorum_down);
	free(vs->persistence_granularity);
	free(vs->virtualhost);
	free(vs->group);
	free(vs->file);
	free(vs);
}

static int kw_virtual_server(struct conf_parser *p, const struct conf_kw *kw,
			     void *obj, int argc, char **argv)
{
	struct vs_set *c = obj;
	struct vs_conf *vs = conf_xcalloc(sizeof(*vs));

	vs->file = strdup(conf_cur_file(p));
	vs->line = conf_cur_line(p);
	vs->protocol = vs->fwd = vs->sorry_fwd = CONF_UNSET;
	vs->retry = vs->delay_before_retry = vs->warmup = CONF_UNSET;
	vs->rise = vs->fall = vs->drain_timeout = CONF_UNSET;
	vs->smtp_alert = vs->weight = CONF_UNSET;
	vs->ip_family = CONF_UNSET;
	vs->tun_type = LVS_TUN_IPIP;
	if (argc >= 3 && !strcmp(argv[1], "fwmark")) {
		vs->kind = VS_FWMARK;
		unsigned long long mark;

		vs->fwmark_af = AF_INET;
		if (!parse_range(argv[2], 10, 1, UINT32_MAX, &mark)) {
			conf_err(p, "invalid fwmark '%s' (1-4294967295)",
				 argv[2]);
			goto bad;
		}
		vs->fwmark = (long long)mark;
		if (argc >= 4 && !strcmp(argv[3], "inet6"))
			vs->fwmark_af = AF_INET6;
		vs->fwmark_af_given = argc >= 4 && (!strcmp(argv[3], "inet6")
						    || !strcmp(argv[3], "inet"));
	} else if (argc >= 3 && !strcmp(argv[1], "group")) {
		vs->kind = VS_GROUP;
		vs->group = strdup(argv[2]);
	} else if (parse_ip_port(p, argc, argv, &vs->addr)) {
		goto bad;
	}
	CONF_PUSH(c->vss, c->n_vss, vs);
	conf_set_child(p, vs);
	return 0;
bad:
	vs_free(vs);
	return -1;
}

/* ---- virtual_server_group ---- */

static void vsg_add(struct vsg_conf *g, const struct vsg_entry *e)
{
	CONF_PUSH(g->ents, g->n, *e);
}

/* "a.b.c.d-e PORT", "a.b.c.d/nn PORT", "IP PORT", "fwmark N [inet6]". */
static int vsg_line(struct conf_parser *p, void *obj, int argc, char **argv)
{
	struct vsg_conf *g = obj;
	struct vsg_entry e = { 0 };
	char ip[64], *dash, *slash, *end;
	long port = 0, last = -1, plen = -1;

	if (!strcmp(argv[0], "fwmark")) {
		unsigned long long mark;

		if (!parse_range(argc >= 2 ? argv[1] : NULL, 10, 1, UINT32_MAX,
				 &mark)) {
			conf_err(p, "invalid group fwmark '%s' (1-4294967295)",
				 argc >= 2 ? argv[1] : "");
			return -1;
		}
		e.fwmark = (typeof(e.fwmark))mark;
		e.addr.af = argc >= 3 && !strcmp(argv[2], "inet6") ? AF_INET6 :
								      AF_INET;
		vsg_add(g, &e);
		return 0;
	}
	snprintf(ip, sizeof(ip), "%s", argv[0]);
	dash = strchr(ip, '-');
	slash = strchr(ip, '/');
	if (dash) {
		*dash = '\0';
		last = strtol(dash + 1, &end, 10);
		if (*end || last < 0 || last > 255)
			last = -2;
	} else if (slash) {
		*slash = '\0';
		plen = strtol(slash + 1, &end, 10);
		if (*end || plen < 24 || plen > 32)
			plen = -2;
	}
	if (argc >= 2) {
		port = strtol(argv[1], &end, 10);
		if (*end || port < 0 || port > 65535)
			port = -1;
	}
	if (dash && conf_addr_parse(ip, &e.addr) == 0 &&
	    e.addr.af == AF_INET6) {
		/* a:b::2-9: the last 16 bits, in hex. */
		last = strtol(dash + 1, &end, 16);
		if (*end || last < 0 || last > 0xffff)
			last = -2;
	}
	if (conf_addr_parse(ip, &e.addr) || last == -2 || plen == -2 ||
	    port < 0 || (slash && e.addr.af != AF_INET)) {
		conf_err(p, "invalid virtual_server_group entry '%s'",
			 argv[0]);
		return -1;
	}
	e.addr.port = (uint16_t)port;
	if (dash && e.addr.af == AF_INET6) {
		unsigned int first = (unsigned int)(e.addr.u.in6.s6_addr[14] << 8 |
						    e.addr.u.in6.s6_addr[15]);

		if ((unsigned int)last < first) {
			conf_err(p, "empty address range '%s'", argv[0]);
			return -1;
		}
		for (unsigned int v = first; v <= (unsigned int)last; v++) {
			e.addr.u.in6.s6_addr[14] = (uint8_t)(v >> 8);
			e.addr.u.in6.s6_addr[15] = (uint8_t)v;
			vsg_add(g, &e);
		}
		return 0;
	}
	if (dash || slash) {
		uint32_t a = ntohl(e.addr.u.in.s_addr), first = a, stop;

		if (dash) {
			stop = (a & ~0xffu) | (uint32_t)last;
		} else {
			uint32_t mask = plen ? ~0u << (32 - plen) : 0;

			first = a & mask;
			stop = first | ~mask;
		}
		if (stop < first) {
			conf_err(p, "empty address range '%s'", argv[0]);
			return -1;
		}
		for (a = first;; a++) {
			e.addr.u.in.s_addr = htonl(a);
			vsg_add(g, &e);
			if (a == stop)
				break;
		}
		return 0;
	}
	vsg_add(g, &e);
	return 0;
}

static const struct conf_block vsg_block = {
	.name = "virtual_server_group", .line = vsg_line,
};

static int kw_vsg(struct conf_parser *p, const struct conf_kw *kw, void *obj,
		  int argc, char **argv)
{
	struct vs_set *c = obj;
	struct vsg_conf *g;

	if (argc < 2) {
		conf_err(p, "virtual_server_group needs a name");
		return -1;
	}
	for (size_t i = 0; i < c->n_vsgs; i++)
		if (!strcmp(c->vsgs[i]->name, argv[1])) {
			conf_err(p, "virtual_server_group '%s' defined twice "
				 "(first at %s:%d)", argv[1],
				 c->vsgs[i]->file, c->vsgs[i]->line);
			return -1;
		}
	g = conf_xcalloc(sizeof(*g));
	g->name = strdup(argv[1]);
	g->file = strdup(conf_cur_file(p));
	g->line = conf_cur_line(p);
	CONF_PUSH(c->vsgs, c->n_vsgs, g);
	conf_set_child(p, g);
	return 0;
}

/* ---- the subsystem's rows at the top level and in global_defs ---- */

/* IPVS's largest timeout, as keepalived checks it: 31 days. */
#define LVS_TIMEOUT_MAX	(31ULL * 86400)

/* "lvs_timeouts [tcp N] [tcpfin N] [udp N]", seconds, in any order. */
static int kw_lvs_timeouts(struct conf_parser *p, const struct conf_kw *kw,
			   void *obj, int argc, char **argv)
{
	static const char *const names[] = { "tcp", "tcpfin", "udp" };
	struct vs_set *c = obj;
	long long *field[] = { &c->tmo_tcp, &c->tmo_tcpfin, &c->tmo_udp };
	long long v[3] = { 0, 0, 0 };
	unsigned long long n;

	if (argc < 3 || argc % 2 == 0) {
		conf_err(p, "lvs_timeouts needs pairs of tcp|tcpfin|udp and "
			 "seconds");
		return -1;
	}
	for (int i = 1; i < argc; i += 2) {
		size_t k = 0;

		while (k < 3 && strcmp(argv[i], names[k]))
			k++;
		if (k == 3) {
			conf_err(p, "lvs_timeouts: unknown timeout '%s' "
				 "(tcp, tcpfin, udp)", argv[i]);
			return -1;
		}
		if (!parse_range(argv[i + 1], 10, 1, LVS_TIMEOUT_MAX, &n)) {
			conf_err(p, "lvs_timeouts: invalid %s timeout '%s' "
				 "(1-%llu seconds)", argv[i], argv[i + 1],
				 LVS_TIMEOUT_MAX);
			return -1;
		}
		v[k] = (long long)n;
	}
	/* Only a valid line changes anything. */
	for (size_t k = 0; k < 3; k++)
		if (v[k])
			*field[k] = v[k];
	return 0;
}

const struct conf_kw vs_global_kws[] = {
	{ .name = "lvs_flush", .parse = conf_kw_bool, .off = OFF(vs_set,
	  lvs_flush), .def = "off" },
	{ .name = "checker_log_all_failures", .parse = conf_kw_bool,
	  .off = OFF(vs_set, checker_log_all_failures), .def = "off" },
	{ .name = "lvsd_drain_timeout", .parse = conf_kw_timer,
	  .off = OFF(vs_set, drain_timeout), .max = TMAX, .def = "60" },
	{ .name = "lvs_timeouts", .parse = kw_lvs_timeouts },
	{ .name = NULL }
};

const struct conf_kw vs_top_kws[] = {
	{ .name = "virtual_server", .parse = kw_virtual_server,
	  .block = &vs_block },
	{ .name = "virtual_server_group", .parse = kw_vsg,
	  .block = &vsg_block },
	{ .name = "bfd_instance", .parse = hc_kw_bfd_instance,
	  .off = OFF(vs_set, hc.bfd_instances),
	  .block = &hc_bfd_instance_block },
	{ .name = "track_file", .parse = hc_kw_track_file,
	  .off = OFF(vs_set, hc.track_files), .block = &hc_track_file_block },
	{ .name = "SSL", .parse = hc_kw_ssl, .off = OFF(vs_set, hc.tls),
	  .block = &hc_ssl_block },
	{ .name = NULL }
};

/* ---- cascade ---- */

static long long pick(long long a, long long b, long long c, long long d)
{
	if (a != CONF_UNSET)
		return a;
	if (b != CONF_UNSET)
		return b;
	if (c != CONF_UNSET)
		return c;
	return d;
}

static void resolve_check(struct conf_log *log, const struct vs_set *root,
			  struct vs_conf *vs, struct rs_conf *rs,
			  struct check_conf *c)
{
	const struct checker_ops *o = c->ops;

	c->r_target = rs->addr;
	if (c->connect.af)
		c->r_target.af = c->connect.af, c->r_target.u = c->connect.u;
	if (c->connect.port)
		c->r_target.port = c->connect.port;
	else if (o->default_port && !rs->addr.port)
		c->r_target.port = o->default_port;
	if (o->no_port)
		c->r_target.port = 0;
	else if (!c->r_target.port)
		conf_log_add(log, CONF_ERR, c->file, c->line,
			     "%s: no port to check (set connect_port)",
			     o->name);
	if (c->bind.af && c->bind.af != c->r_target.af)
		conf_log_add(log, CONF_ERR, c->file, c->line,
			     "%s: bindto family differs from the target's",
			     o->name);
	c->r_delay = pick(c->delay_loop, rs->delay_loop, vs->delay_loop,
			  T(60));
	c->r_timeout = pick(c->connect_timeout, rs->connect_timeout,
			    vs->connect_timeout, T(5));
	c->r_retry = pick(c->retry, rs->retry, vs->retry, o->default_retry);
	c->r_dbr = pick(c->delay_before_retry, rs->delay_before_retry,
			vs->delay_before_retry,
			o->default_dbr == CONF_UNSET ? c->r_delay :
						       o->default_dbr);
	c->r_warmup = pick(c->warmup, rs->warmup, vs->warmup, c->r_delay);
	c->r_alpha = pick(c->alpha, rs->alpha, vs->alpha, 0);
	c->r_rise = pick(c->rise, rs->rise, vs->rise, 1);
	c->r_fall = pick(c->fall, rs->fall, vs->fall, c->r_retry + 1);
	if (c->log_all_failures == CONF_UNSET)
		c->log_all_failures = 0;
	if (c->fwmark == CONF_UNSET)
		c->fwmark = 0;
	if (o->resolve)
		o->resolve(log, c, &root->hc);
}

static uint32_t granularity(struct conf_log *log, struct vs_conf *vs, int af)
{
	struct in_addr m;
	char *end;
	long plen;

	if (!vs->persistence_granularity)
		return af == AF_INET6 ? 128 : 0xffffffff;
	if (af == AF_INET6) {
		plen = strtol(vs->persistence_granularity, &end, 10);
		if (!*end && plen >= 1 && plen <= 128)
			return (uint32_t)plen;
	} else if (inet_pton(AF_INET, vs->persistence_granularity, &m) == 1) {
		return m.s_addr;
	} else {
		plen = strtol(vs->persistence_granularity, &end, 10);
		if (!*end && plen >= 1 && plen <= 32)
			return htonl(~0u << (32 - plen));
	}
	conf_log_add(log, CONF_ERR, vs->file, vs->line,
		     "invalid persistence_granularity '%s'",
		     vs->persistence_granularity);
	return af == AF_INET6 ? 128 : 0xffffffff;
}

static int rs_addr_cmp(const void *a, const void *b)
{
	const struct rs_conf *x = *(struct rs_conf *const *)a;
	const struct rs_conf *y = *(struct rs_conf *const *)b;
	int d = x->addr.af - y->addr.af;

	if (!d)
		d = memcmp(&x->addr.u, &y->addr.u, x->addr.af == AF_INET6 ?
			   sizeof(x->addr.u.in6) : sizeof(x->addr.u.in));
	if (!d)
		d = x->addr.port - y->addr.port;
	if (!d)		/* equal: the first written sorts first */
		d = x->line != y->line ? x->line - y->line :
					 strcmp(x->file, y->file);
	return d;
}

/* Real servers listed twice: sorted, so 10,000 of them cost n log n. */
static void check_duplicate_rs(struct conf_log *log, struct vs_conf *vs)
{
	struct rs_conf **v;
	char buf[64];

	if (vs->n_rss < 2)
		return;
	v = malloc(vs->n_rss * sizeof(*v));
	if (!v)
		abort();
	memcpy(v, vs->rss, vs->n_rss * sizeof(*v));
	qsort(v, vs->n_rss, sizeof(*v), rs_addr_cmp);
	for (size_t i = 1; i < vs->n_rss; i++)
		if (conf_addr_eq(&v[i - 1]->addr, &v[i]->addr))
			conf_log_add(log, CONF_ERR, v[i]->file, v[i]->line,
				     "real server %s listed twice (first at "
				     "%s:%d)", conf_addr_str(&v[i]->addr, buf,
							     sizeof(buf)),
				     v[i - 1]->file, v[i - 1]->line);
	free(v);
}

static void resolve_rs(const struct global_conf *g, struct vs_set *c,
		       struct conf_log *log, struct vs_conf *vs,
		       struct rs_conf *rs)
{
	rs->r_weight = pick(rs->weight, vs->weight, 1, 0);
	rs->r_fwd = pick(rs->fwd, vs->fwd, LVS_FWD_MASQ, 0);
	rs->r_inhibit = pick(rs->inhibit_on_failure, vs->inhibit_on_failure,
			     0, 0);
	/* keepalived: the real server's, else the global one (a virtual
	 * server's smtp_alert is about its quorum). */
	rs->r_smtp_alert = pick(rs->smtp_alert, g->smtp_alert, 0, 0);
	rs->r_drain_timeout = pick(rs->drain_timeout, vs->drain_timeout,
				   c->drain_timeout, 0);
	for (size_t k = 0; k < rs->n_checks; k++)
		resolve_check(log, c, vs, rs, rs->checks[k]);
}

/*
 * keepalived 2.2.7's checks, with its outcome (an error, and it runs on
 * with the value lowered): a quorum above the real servers' total weight
 * is lowered to it, and a hysteresis that is not below the quorum (which
 * would make the quorum impossible to lose) to quorum - 1.
 */
static void resolve_quorum(struct conf_log *log, struct vs_conf *vs)
{
	long long total = 0;

	for (size_t i = 0; i < vs->n_rss; i++)
		total += vs->rss[i]->r_weight > 0 ? vs->rss[i]->r_weight : 0;
	if (!vs->pool && total && vs->quorum > total) {
		conf_log_add(log, CONF_DEFAULTED, vs->file, vs->line,
			     "quorum %lld exceeds the total weight of the real "
			     "servers %lld, reducing quorum to %lld",
			     vs->quorum, total, total);
		vs->quorum = total;
	}
	if (vs->hysteresis > 0 && vs->hysteresis >= vs->quorum) {
		conf_log_add(log, CONF_DEFAULTED, vs->file, vs->line,
			     "hysteresis %lld >= quorum %lld; setting "
			     "hysteresis to %lld", vs->hysteresis, vs->quorum,
			     vs->quorum > 0 ? vs->quorum - 1 : 0);
		vs->hysteresis = vs->quorum > 0 ? vs->quorum - 1 : 0;
	}
}

static const char *af_name(long long af)
{
	return af == AF_INET6 ? "IPv6" : "IPv4";
}

/*
 * keepalived's address family of a virtual server: its address's (or its
 * group's first entry's); for a fwmark, "fwmark N inet6" or ip_family,
 * else the family of its first real or sorry server that is not
 * tunnelled, else IPv4.  An ip_family that contradicts the address is an
 * error at its line.
 */
static int resolve_family(struct conf_log *log, struct vs_conf *vs)
{
	int af = vs->addr.af;

	if (vs->kind == VS_GROUP)
		af = vs->r_group && vs->r_group->n ?
		     vs->r_group->ents[0].addr.af : AF_INET;
	if (vs->kind == VS_FWMARK) {
		af = (int)vs->fwmark_af;
		if (!vs->fwmark_af_given && vs->ip_family != CONF_UNSET) {
			af = (int)vs->ip_family;
		} else if (!vs->fwmark_af_given) {
			const struct conf_addr *first = NULL;

			if (vs->sorry.af && vs->sorry_fwd != LVS_FWD_TUNNEL)
				first = &vs->sorry;
			for (size_t i = 0; i < vs->n_rss && !first; i++)
				if (pick(vs->rss[i]->fwd, vs->fwd, 0, 0) !=
				    LVS_FWD_TUNNEL)
					first = &vs->rss[i]->addr;
			if (first)
				af = first->af;
		}
		vs->fwmark_af = af;
	}
	if (vs->ip_family != CONF_UNSET && vs->ip_family != af)
		conf_log_add(log, CONF_ERR, vs->file, vs->ip_family_line,
			     "ip_family %s conflicts with the virtual "
			     "server's %s family", vs->ip_family == AF_INET6 ?
			     "inet6" : "inet", af_name(af));
	return af;
}

/* As IPVS: only a tunnelled server may differ from its service's family. */
static void check_family(struct conf_log *log, const struct vs_conf *vs,
			 int af, const struct conf_addr *a, long long fwd,
			 const char *file, int line, const char *what)
{
	char buf[64];

	if (a->af && a->af != af && fwd != LVS_FWD_TUNNEL)
		conf_log_add(log, CONF_ERR, file, line,
			     "%s %s is %s but the virtual server is %s: only "
			     "TUN forwarding may mix address families", what,
			     conf_addr_str(a, buf, sizeof(buf)),
			     af_name(a->af), af_name(af));
}

static void resolve_vs(const struct conf *conf, struct vs_set *c,
		       struct conf_log *log, struct vs_conf *vs)
{
	const struct global_conf *g = &conf->g;
	int af;
	char buf[64];

	if (vs->kind == VS_GROUP) {
		for (size_t i = 0; i < c->n_vsgs; i++)
			if (!strcmp(c->vsgs[i]->name, vs->group))
				vs->r_group = c->vsgs[i];
		if (!vs->r_group)
			conf_log_add(log, CONF_ERR, vs->file, vs->line,
				     "virtual_server_group '%s' not defined",
				     vs->group);
		else if (vs->r_group->n)
			af = vs->r_group->ents[0].addr.af;
	}
	if (vs->kind == VS_FWMARK) {
		vs->protocol = 0;
	} else if (vs->protocol == CONF_UNSET) {
		conf_log_add(log, CONF_DEFAULTED, vs->file, vs->line,
			     "virtual server: no protocol set - defaulting "
			     "to TCP");
		vs->protocol = IPPROTO_TCP;
	}
	if (!vs->sched[0]) {
		conf_log_add(log, CONF_DEFAULTED, vs->file, vs->line,
			     "virtual server: no scheduler set, setting "
			     "default 'wlc'");
		strcpy(vs->sched, "wlc");
	}
	if (vs->fwd == CONF_UNSET) {
		conf_log_add(log, CONF_DEFAULTED, vs->file, vs->line,
			     "virtual server: no forwarding method set, "
			     "setting default NAT");
		vs->fwd = LVS_FWD_MASQ;
	}
	if (vs->sorry_fwd == CONF_UNSET)
		vs->sorry_fwd = vs->fwd;
	af = resolve_family(log, vs);
	if (vs->kind == VS_ADDR && !vs->addr.port && !vs->persistence_timeout)
		conf_log_add(log, CONF_ERR, vs->file, vs->line,
			     "virtual server %s: a port is required unless "
			     "the service is persistent",
			     conf_addr_str(&vs->addr, buf, sizeof(buf)));
	vs->r_netmask = granularity(log, vs, af);
	vs->r_smtp_alert = pick(vs->smtp_alert, g->smtp_alert, 0, 0);
	if (vs->sorry.af && !vs->sorry.port && vs->kind == VS_ADDR)
		vs->sorry.port = vs->addr.port;
	if (vs->pool) {
		const struct pool_conf *pc = conf_find_pool(conf, vs->pool);

		if (!pc)
			conf_log_add(log, CONF_ERR, vs->pool_rs->file,
				     vs->pool_rs->line, "real_server_pool "
				     "'%s': no vm_pool of that name", vs->pool);
		/* Checks aim at the node's address on the pool's port. */
		vs->pool_rs->addr.af = AF_INET;
		vs->pool_rs->addr.port = (uint16_t)(pc ? pc->v.port : 0);
		resolve_rs(g, c, log, vs, vs->pool_rs);
	}
	for (size_t i = 0; i < vs->n_rss; i++) {
		struct rs_conf *rs = vs->rss[i];

		if (!rs->addr.port && vs->kind == VS_ADDR)
			rs->addr.port = vs->addr.port;
		resolve_rs(g, c, log, vs, rs);
		check_family(log, vs, af, &rs->addr, rs->r_fwd, rs->file,
			     rs->line, "real server");
	}
	if (vs->pool)
		check_family(log, vs, af, &vs->pool_rs->addr,
			     vs->pool_rs->r_fwd, vs->pool_rs->file,
			     vs->pool_rs->line, "real_server_pool node");
	check_family(log, vs, af, &vs->sorry, vs->sorry_fwd, vs->file,
		     vs->line, "sorry_server");
	check_duplicate_rs(log, vs);
	resolve_quorum(log, vs);
	for (size_t j = 0; j < c->n_vss && c->vss[j] != vs; j++) {
		struct vs_conf *o = c->vss[j];

		if (o->kind == vs->kind && o->protocol == vs->protocol &&
		    o->fwmark == vs->fwmark && conf_addr_eq(&o->addr, &vs->addr)
		    && (vs->kind != VS_GROUP || !strcmp(o->group, vs->group)))
			conf_log_add(log, CONF_ERR, vs->file, vs->line,
				     "virtual server defined twice (first at "
				     "%s:%d)", o->file, o->line);
	}
}

/* Scripts others could rewrite: warned about as config files are. */
static void check_script(struct conf_log *log, const struct conf_script *s,
			 const char *file, int line)
{
	struct stat st;

	if (s->argv && s->argv[0][0] == '/' && stat(s->argv[0], &st) == 0 &&
	    (st.st_mode & S_IWOTH))
		conf_log_add(log, CONF_WARN, file, line,
			     "script '%s' is writable by others", s->argv[0]);
	/* "script USER [GROUP]": both must exist (as MISC_CHECK's user). */
	if (s->argv && s->user) {
		char err[128];
		uid_t uid;
		gid_t gid;

		if (script_resolve_user(s->user, s->group, &uid, &gid, err,
					sizeof(err)))
			conf_log_add(log, CONF_ERR, file, line, "script '%s': "
				     "%s", s->argv[0], err);
	}
}

static void check_scripts(struct vs_set *c, struct conf_log *log)
{
	for (size_t i = 0; i < c->n_vss; i++) {
		const struct vs_conf *vs = c->vss[i];

		check_script(log, &vs->quorum_up, vs->file, vs->line);
		check_script(log, &vs->quorum_down, vs->file, vs->line);
		for (size_t j = 0; j < vs->n_rss; j++) {
			const struct rs_conf *rs = vs->rss[j];

			check_script(log, &rs->notify_up, rs->file, rs->line);
			check_script(log, &rs->notify_down, rs->file,
				     rs->line);
		}
	}
}

void vs_conf_done(struct conf *conf, void *sc, struct conf_log *log)
{
	struct vs_set *c = sc;
	size_t keep = 0;

	for (size_t i = 0; i < c->n_vss; i++)
		resolve_vs(conf, c, log, c->vss[i]);
	/* keepalived ignores a virtual server with nothing to send to. */
	for (size_t i = 0; i < c->n_vss; i++) {
		struct vs_conf *vs = c->vss[i];

		if (!vs->n_rss && !vs->sorry.af && !vs->pool) {
			conf_log_add(log, CONF_DEFAULTED, vs->file, vs->line,
				     "virtual server has no real servers - "
				     "ignoring");
			vs_free(vs);
		} else {
			c->vss[keep++] = vs;
		}
	}
	c->n_vss = keep;
	check_scripts(c, log);
	if (!c->n_vss)
		conf_log_add(log, CONF_WARN, conf->path, 0,
			     "no virtual_server defined");
}

void vs_conf_free(void *sc)
{
	struct vs_set *c = sc;

	for (size_t i = 0; i < c->n_vss; i++)
		vs_free(c->vss[i]);
	free(c->vss);
	for (size_t i = 0; i < c->n_vsgs; i++) {
		free(c->vsgs[i]->name);
		free(c->vsgs[i]->file);
		free(c->vsgs[i]->ents);
		free(c->vsgs[i]);
	}
	free(c->vsgs);
	hc_tls_free(c->hc.tls);
	hc_track_files_free(c->hc.track_files);
	hc_bfd_instances_free(c->hc.bfd_instances);
}

struct vs_set *vs_set(const struct conf *c)
{
	static const struct subsys *ss;

	if (!ss)
		ss = rt_find(&subsystems, VS_SUBSYS_NAME);
	return conf_sub(c, ss);
}
