// SPDX-License-Identifier: GPL-2.0
/*
 * vrrp_conf.c - keepalived's VRRP blocks, one table row per keyword, and
 * the checks keepalived makes once the whole file is read.  See
 * vrrp_conf.h.  Defaults follow keepalived 2.2.7: version 2, priority 100,
 * advert_int 1 s, preempt on, garp_master_delay 5 s and repeat 5,
 * vrrp_script interval 1 s, rise and fall 1, weight 0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>

#include "script.h"
#include "vrrp.h"
#include "vrrp_conf.h"

#define T(sec)		((long long)(sec) * USEC_PER_SEC)
#define OFF(type, f)	offsetof(struct type, f)

/* Known to keepalived, not carried out by lvsd: say so, go on. */
static int kw_unsupported(struct conf_parser *p, const struct conf_kw *kw,
			  void *obj, int argc, char **argv)
{
	conf_warn(p, "'%s' is not supported by lvsd - ignoring", argv[0]);
	return 0;
}

static int kw_flag(struct conf_parser *p, const struct conf_kw *kw,
		   void *obj, int argc, char **argv)
{
	*(bool *)((char *)obj + kw->off) = true;
	return 0;
}

/* ---- vrrp_script ---- */

static int kw_script_weight(struct conf_parser *p, const struct conf_kw *kw,
			    void *obj, int argc, char **argv)
{
	struct vrrp_script_conf *s = obj;
	char *end;
	long w;

	if (argc < 2) {
		conf_err(p, "'weight' needs a number");
		return -1;
	}
	w = strtol(argv[1], &end, 10);
	if (*end || end == argv[1] || w < -253 || w > 253) {
		conf_err(p, "vrrp_script %s weight %s must be between "
			 "[-253..253] inclusive, ignoring...", s->name,
			 argv[1]);
		return -1;
	}
	s->weight = w;
	if (argc >= 3 && !strcmp(argv[2], "reverse"))
		s->weight_reverse = true;
	return 0;
}

/* "user USER [GROUP]": the script runs as them (script.h's rules). */
static int kw_script_user(struct conf_parser *p, const struct conf_kw *kw,
			  void *obj, int argc, char **argv)
{
	struct vrrp_script_conf *s = obj;

	if (argc < 2) {
		conf_err(p, "user needs a name");
		return -1;
	}
	if (argc > 3)
		conf_warn(p, "user: extra words after the group ignored");
	free(s->user);
	free(s->group);
	s->user = conf_xstrdup(argv[1]);
	s->group = argc >= 3 ? conf_xstrdup(argv[2]) : NULL;
	s->user_line = conf_cur_line(p);
	return 0;
}

static const struct conf_kw script_kws[] = {
	{ .name = "script", .parse = conf_kw_script,
	  .off = OFF(vrrp_script_conf, script) },
	{ .name = "interval", .parse = conf_kw_timer,
	  .off = OFF(vrrp_script_conf, interval), .min = T(1) / 1000,
	  .max = T(86400), .def = "1" },
	{ .name = "timeout", .parse = conf_kw_timer,
	  .off = OFF(vrrp_script_conf, timeout), .min = T(1) / 1000,
	  .max = T(86400) },
	{ .name = "weight", .parse = kw_script_weight },
	{ .name = "rise", .parse = conf_kw_int,
	  .off = OFF(vrrp_script_conf, rise), .min = 1, .max = 1000000,
	  .def = "1" },
	{ .name = "fall", .parse = conf_kw_int,
	  .off = OFF(vrrp_script_conf, fall), .min = 1, .max = 1000000,
	  .def = "1" },
	{ .name = "init_fail", .parse = kw_flag,
	  .off = OFF(vrrp_script_conf, init_fail) },
	{ .name = "user", .parse = kw_script_user },
	{ .name = NULL }
};

static const struct conf_block script_block = { .name = "vrrp_script",
						.kws = script_kws };

static int kw_vrrp_script(struct conf_parser *p, const struct conf_kw *kw,
			  void *obj, int argc, char **argv)
{
	struct vrrp_cfg *c = obj;
	struct vrrp_script_conf *s;

	if (argc < 2) {
		conf_err(p, "vrrp_script needs a name");
		return -1;
	}
	s = conf_xcalloc(sizeof(*s));
	s->name = conf_xstrdup(argv[1]);
	s->file = conf_xstrdup(conf_cur_file(p));
	s->line = conf_cur_line(p);
	s->timeout = CONF_UNSET;
	CONF_PUSH(c->scripts, c->n_scripts, s);
	conf_set_child(p, s);
	return 0;
}

/* ---- lists inside an instance or a group ---- */

/* "NAME [weight N [reverse]]" for track_interface and track_script. */
static int track_line(struct conf_parser *p, struct vrrp_track **arr,
		      size_t *n, int argc, char **argv)
{
	struct vrrp_track t = { .weight = CONF_UNSET,
				.line = conf_cur_line(p) };
	char *end;

	if (argc >= 3 && !strcmp(argv[1], "weight")) {
		long w = strtol(argv[2], &end, 10);

		if (*end || end == argv[2] || w < -254 || w > 254) {
			conf_err(p, "weight for %s must be between "
				 "[-254..254] inclusive. Ignoring...",
				 argv[0]);
			return -1;
		}
		t.weight = w;
		t.reverse = argc >= 4 && !strcmp(argv[3], "reverse");
	} else if (argc > 1) {
		conf_warn(p, "'%s' after %s ignored", argv[1], argv[0]);
	}
	t.name = conf_xstrdup(argv[0]);
	CONF_PUSH(*arr, *n, t);
	return 0;
}

static int inst_track_if_line(struct conf_parser *p, void *obj, int argc,
			      char **argv)
{
	struct vrrp_inst_cfg *vi = obj;

	return track_line(p, &vi->track_ifs, &vi->n_track_ifs, argc, argv);
}

static int inst_track_script_line(struct conf_parser *p, void *obj, int argc,
				  char **argv)
{
	struct vrrp_inst_cfg *vi = obj;

	return track_line(p, &vi->track_scripts, &vi->n_track_scripts, argc,
			  argv);
}

static int group_track_if_line(struct conf_parser *p, void *obj, int argc,
			       char **argv)
{
	struct vrrp_group_cfg *g = obj;

	return track_line(p, &g->track_ifs, &g->n_track_ifs, argc, argv);
}

static int group_track_script_line(struct conf_parser *p, void *obj,
				   int argc, char **argv)
{
	struct vrrp_group_cfg *g = obj;

	return track_line(p, &g->track_scripts, &g->n_track_scripts, argc,
			  argv);
}

static int parse_scope(const char *s)
{
	if (!strcmp(s, "host"))
		return RT_SCOPE_HOST;
	if (!strcmp(s, "link"))
		return RT_SCOPE_LINK;
	if (!strcmp(s, "site"))
		return RT_SCOPE_SITE;
	if (!strcmp(s, "global") || !strcmp(s, "universe"))
		return RT_SCOPE_UNIVERSE;
	if (!strcmp(s, "nowhere"))
		return RT_SCOPE_NOWHERE;
	return -1;
}

/* "A[/LEN]" with LEN within the family; -1 after logging. */
static int parse_prefix(struct conf_parser *p, const char *s,
			struct conf_addr *a, int *plen, const char *what)
{
	char buf[INET6_ADDRSTRLEN + 8], *slash, *end;
	long n;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = '\0';
	memset(a, 0, sizeof(*a));
	if (conf_addr_parse(buf, a)) {
		conf_err(p, "VRRP parsed invalid IP %s. skipping IP...", s);
		return -1;
	}
	*plen = a->af == AF_INET ? 32 : 128;
	if (slash) {
		n = strtol(slash, &end, 10);
		if (*end || end == slash || n < 0 || n > *plen) {
			conf_err(p, "invalid prefix length in %s '%s'", what,
				 s);
			return -1;
		}
		*plen = (int)n;
	}
	return 0;
}

/* "IP[/LEN] [dev IF] [scope S] [label L] [brd B] [no_track] ..." */
static int vip_line(struct conf_parser *p, void *obj, int argc, char **argv)
{
	struct vrrp_inst_cfg *vi = obj;
	struct vrrp_ip_conf ip = { .line = conf_cur_line(p) };
	int i;

	if (parse_prefix(p, argv[0], &ip.addr, &ip.plen, "virtual_ipaddress"))
		return -1;
	for (i = 1; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(k, "no_track") || !strcmp(k, "home") ||
		    !strcmp(k, "-nodad") || !strcmp(k, "nodad"))
			continue;
		if (!v) {
			conf_err(p, "virtual_ipaddress: '%s' needs a value", k);
			goto bad;
		}
		i++;
		if (!strcmp(k, "dev")) {
			free(ip.dev);
			ip.dev = conf_xstrdup(v);
		} else if (!strcmp(k, "label")) {
			free(ip.label);
			ip.label = conf_xstrdup(v);
		} else if (!strcmp(k, "scope")) {
			ip.scope = parse_scope(v);
			if (ip.scope < 0) {
				conf_err(p, "Invalid scope '%s' specified for "
					 "%s - setting to default", v, argv[0]);
				ip.scope = RT_SCOPE_UNIVERSE;
			}
		} else if (!strcmp(k, "brd") || !strcmp(k, "broadcast") ||
			   !strcmp(k, "preferred_lft") ||
			   !strcmp(k, "valid_lft")) {
			continue;	/* the kernel's defaults do */
		} else {
			conf_warn(p, "virtual_ipaddress: '%s %s' is not "
				  "supported by lvsd - ignoring", k, v);
		}
	}
	CONF_PUSH(vi->vips, vi->n_vips, ip);
	return 0;
bad:
	free(ip.dev);
	free(ip.label);
	return -1;
}

/* "[src A] DST[/LEN] [via|gw GW] [dev IF] [scope S] [table N]
 *  [metric N]" or "blackhole DST" */
static int route_line(struct conf_parser *p, void *obj, int argc, char **argv)
{
	struct vrrp_inst_cfg *vi = obj;
	struct vrrp_route_conf r = { .line = conf_cur_line(p) };
	int i = 0, plen;
	char *end;

	if (argc >= 2 && !strcmp(argv[0], "src"))
		i = 2;		/* the preferred source: the kernel picks */
	if (i < argc && (!strcmp(argv[i], "blackhole") ||
			 !strcmp(argv[i], "unreachable") ||
			 !strcmp(argv[i], "prohibit"))) {
		conf_warn(p, "virtual_routes: '%s' routes are not supported "
			  "by lvsd - ignoring", argv[i]);
		return 0;
	}
	if (i >= argc ||
	    parse_prefix(p, argv[i], &r.dst, &r.plen, "virtual_routes"))
		return -1;
	for (i++; i < argc; i++) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!v) {
			conf_err(p, "virtual_routes: '%s' needs a value", k);
			goto bad;
		}
		i++;
		if (!strcmp(k, "via") || !strcmp(k, "gw")) {
			if (parse_prefix(p, v, &r.gw, &plen, "via"))
				goto bad;
		} else if (!strcmp(k, "dev")) {
			free(r.dev);
			r.dev = conf_xstrdup(v);
		} else if (!strcmp(k, "scope")) {
			r.scope = parse_scope(v);
			if (r.scope < 0) {
				conf_err(p, "Invalid scope '%s'", v);
				goto bad;
			}
		} else if (!strcmp(k, "table") || !strcmp(k, "metric") ||
			   !strcmp(k, "preference") ||
			   !strcmp(k, "priority")) {
			long long n = strtoll(v, &end, 10);

			if (*end || end == v || n < 0 || n > UINT32_MAX) {
				conf_err(p, "virtual_routes: invalid %s '%s'",
					 k, v);
				goto bad;
			}
			if (!strcmp(k, "table"))
				r.table = n;
			else
				r.metric = n;
		} else {
			conf_warn(p, "virtual_routes: '%s' is not supported "
				  "by lvsd - ignoring the route", k);
			goto bad;
		}
	}
	if (r.gw.af && r.gw.af != r.dst.af) {
		conf_err(p, "virtual_routes: gateway of another family");
		goto bad;
	}
	CONF_PUSH(vi->routes, vi->n_routes, r);
	return 0;
bad:
	free(r.dev);
	return -1;
}

static int peer_line(struct conf_parser *p, void *obj, int argc, char **argv)
{
	struct vrrp_inst_cfg *vi = obj;
	struct conf_addr a = { 0 };

	if (conf_addr_parse(argv[0], &a)) {
		conf_err(p, "(%s) unicast_peer %s is not a valid address",
			 vi->name, argv[0]);
		return -1;
	}
	if (argc > 1)
		conf_warn(p, "unicast_peer: '%s' is not supported by lvsd - "
			  "ignoring", argv[1]);
	CONF_PUSH(vi->peers, vi->n_peers, a);
	return 0;
}

static const struct conf_block track_if_block = {
	.name = "track_interface", .kws = (const struct conf_kw[]){ { 0 } },
	.line = inst_track_if_line };
static const struct conf_block track_script_block = {
	.name = "track_script", .kws = (const struct conf_kw[]){ { 0 } },
	.line = inst_track_script_line };
static const struct conf_block group_track_if_block = {
	.name = "track_interface", .kws = (const struct conf_kw[]){ { 0 } },
	.line = group_track_if_line };
static const struct conf_block group_track_script_block = {
	.name = "track_script", .kws = (const struct conf_kw[]){ { 0 } },
	.line = group_track_script_line };
static const struct conf_block vip_block = {
	.name = "virtual_ipaddress", .kws = (const struct conf_kw[]){ { 0 } },
	.line = vip_line };
static const struct conf_block route_block = {
	.name = "virtual_routes", .kws = (const struct conf_kw[]){ { 0 } },
	.line = route_line };
static const struct conf_block peer_block = {
	.name = "unicast_peer", .kws = (const struct conf_kw[]){ { 0 } },
	.line = peer_line };

/* A row that opens one of the list blocks above on the same object. */
static int kw_same_obj(struct conf_parser *p, const struct conf_kw *kw,
		       void *obj, int argc, char **argv)
{
	conf_set_child(p, obj);
	return 0;
}

/* ---- authentication ---- */

static int kw_auth_type(struct conf_parser *p, const struct conf_kw *kw,
			void *obj, int argc, char **argv)
{
	struct vrrp_inst_cfg *vi = obj;

	if (argc < 2) {
		conf_err(p, "auth_type needs PASS or AH");
		return -1;
	}
	if (!strcmp(argv[1], "PASS")) {
		vi->auth_type = VRRP_AUTH_PASS;
		return 0;
	}
	if (!strcmp(argv[1], "AH")) {
		conf_warn(p, "(%s) auth_type AH is not supported by lvsd "
			  "(RFC 5798 removed it) - no authentication",
			  vi->name);
		return 0;
	}
	conf_err(p, "(%s) unknown authentication type '%s'", vi->name,
		 argv[1]);
	return -1;
}

static int kw_auth_pass(struct conf_parser *p, const struct conf_kw *kw,
			void *obj, int argc, char **argv)
{
	struct vrrp_inst_cfg *vi = obj;
	size_t n;

	if (argc < 2) {
		conf_err(p, "auth_pass needs a password");
		return -1;
	}
	n = strlen(argv[1]);
	if (n > sizeof(vi->auth_pass)) {
		conf_warn(p, "Truncating auth_pass to %zu characters",
			  sizeof(vi->auth_pass));
		n = sizeof(vi->auth_pass);
	}
	memset(vi->auth_pass, 0, sizeof(vi->auth_pass));
	memcpy(vi->auth_pass, argv[1], n);
	return 0;
}

static const struct conf_kw auth_kws[] = {
	{ .name = "auth_type", .parse = kw_auth_type },
	{ .name = "auth_pass", .parse = kw_auth_pass },
	{ .name = NULL }
};

static const struct conf_block auth_block = { .name = "authentication",
					      .kws = auth_kws };

/* ---- vrrp_instance ---- */

static int kw_state(struct conf_parser *p, const struct conf_kw *kw,
		    void *obj, int argc, char **argv)
{
	struct vrrp_inst_cfg *vi = obj;

	if (argc >= 2 && !strcmp(argv[1], "MASTER"))
		vi->want_master = true;
	else if (argc >= 2 && !strcmp(argv[1], "BACKUP"))
		vi->want_master = false;
	else {
		conf_err(p, "(%s) unknown state '%s', defaulting to BACKUP",
			 vi->name, argc >= 2 ? argv[1] : "");
		return -1;
	}
	return 0;
}

static int kw_version(struct conf_parser *p, const struct conf_kw *kw,
		      void *obj, int argc, char **argv)
{
	long long *v = (long long *)((char *)obj + kw->off);

	if (argc < 2 || (strcmp(argv[1], "2") && strcmp(argv[1], "3"))) {
		conf_err(p, "%s: version must be 2 or 3", argv[0]);
		return -1;
	}
	*v = argv[1][0] - '0';
	return 0;
}

static int kw_deprecated_sync(struct conf_parser *p, const struct conf_kw *kw,
			      void *obj, int argc, char **argv)
{
	struct vrrp_inst_cfg *vi = obj;

	conf_warn(p, "(%s) Specifying lvs_sync_daemon_interface against a "
		  "vrrp is deprecated.", vi->name);
	conf_warn(p, "        Please use global lvs_sync_daemon");
	return 0;
}

static const struct conf_kw inst_kws[] = {
	{ .name = "state", .parse = kw_state },
	{ .name = "interface", .parse = conf_kw_str,
	  .off = OFF(vrrp_inst_cfg, ifname) },
	{ .name = "virtual_router_id", .parse = conf_kw_int,
	  .off = OFF(vrrp_inst_cfg, vrid), .min = 1, .max = 255 },
	{ .name = "priority", .parse = conf_kw_int,
	  .off = OFF(vrrp_inst_cfg, prio), .min = 1, .max = 255,
	  .def = "100" },
	{ .name = "advert_int", .parse = conf_kw_timer,
	  .off = OFF(vrrp_inst_cfg, advert_int), .min = T(1) / 100,
	  .max = T(255), .def = "1" },
	{ .name = "version", .parse = kw_version,
	  .off = OFF(vrrp_inst_cfg, version) },
	{ .name = "nopreempt", .parse = kw_flag,
	  .off = OFF(vrrp_inst_cfg, nopreempt) },
	{ .name = "preempt", .parse = conf_kw_ignored },
	{ .name = "preempt_delay", .parse = conf_kw_timer,
	  .off = OFF(vrrp_inst_cfg, preempt_delay), .max = T(1000),
	  .def = "0" },
	{ .name = "authentication", .parse = kw_same_obj,
	  .block = &auth_block },
	{ .name = "virtual_ipaddress", .parse = kw_same_obj,
	  .block = &vip_block },
	{ .name = "virtual_ipaddress_excluded", .parse = kw_same_obj,
	  .block = &vip_block },
	{ .name = "virtual_routes", .parse = kw_same_obj,
	  .block = &route_block },
	{ .name = "track_interface", .parse = kw_same_obj,
	  .block = &track_if_block },
	{ .name = "track_script", .parse = kw_same_obj,
	  .block = &track_script_block },
	{ .name = "unicast_src_ip", .parse = conf_kw_ip,
	  .off = OFF(vrrp_inst_cfg, unicast_src) },
	{ .name = "mcast_src_ip", .parse = conf_kw_ip,
	  .off = OFF(vrrp_inst_cfg, unicast_src) },
	{ .name = "unicast_peer", .parse = kw_same_obj, .block = &peer_block },
	{ .name = "notify_master", .parse = conf_kw_script,
	  .off = OFF(vrrp_inst_cfg, notify_master) },
	{ .name = "notify_backup", .parse = conf_kw_script,
	  .off = OFF(vrrp_inst_cfg, notify_backup) },
	{ .name = "notify_fault", .parse = conf_kw_script,
	  .off = OFF(vrrp_inst_cfg, notify_fault) },
	{ .name = "notify_stop", .parse = conf_kw_script,
	  .off = OFF(vrrp_inst_cfg, notify_stop) },
	{ .name = "notify", .parse = conf_kw_script,
	  .off = OFF(vrrp_inst_cfg, notify) },
	{ .name = "smtp_alert", .parse = kw_flag,
	  .off = OFF(vrrp_inst_cfg, smtp_alert) },
	{ .name = "garp_master_delay", .parse = conf_kw_timer,
	  .off = OFF(vrrp_inst_cfg, garp_master_delay), .max = T(1000) },
	{ .name = "garp_master_repeat", .parse = conf_kw_int,
	  .off = OFF(vrrp_inst_cfg, garp_master_repeat), .min = 1,
	  .max = 1000 },
	{ .name = "lvs_sync_daemon_interface", .parse = kw_deprecated_sync },
	{ .name = "dont_track_primary", .parse = conf_kw_ignored },
	{ .name = "accept", .parse = conf_kw_ignored },
	{ .name = "no_accept", .parse = conf_kw_ignored },
	{ .name = "debug", .parse = conf_kw_ignored },
	{ .name = "use_vmac", .parse = kw_unsupported },
	{ .name = "vmac_xmit_base", .parse = kw_unsupported },
	{ .name = "native_ipv6", .parse = conf_kw_ignored },
	{ .name = "strict_mode", .parse = kw_unsupported },
	{ .name = "virtual_rules", .parse = kw_unsupported,
	  .block = &(const struct conf_block){ .name = "virtual_rules",
		.kws = (const struct conf_kw[]){ { 0 } } } },
	{ .name = "track_process", .parse = kw_unsupported,
	  .block = &(const struct conf_block){ .name = "track_process",
		.kws = (const struct conf_kw[]){ { 0 } } } },
	{ .name = "track_file", .parse = kw_unsupported,
	  .block = &(const struct conf_block){ .name = "track_file",
		.kws = (const struct conf_kw[]){ { 0 } } } },
	{ .name = "track_bfd", .parse = kw_unsupported,
	  .block = &(const struct conf_block){ .name = "track_bfd",
		.kws = (const struct conf_kw[]){ { 0 } } } },
	{ .name = "garp_master_refresh", .parse = kw_unsupported },
	{ .name = "garp_master_refresh_repeat", .parse = kw_unsupported },
	{ .name = "garp_lower_prio_delay", .parse = kw_unsupported },
	{ .name = "garp_lower_prio_repeat", .parse = kw_unsupported },
	{ .name = NULL }
};

static const struct conf_block inst_block = { .name = "vrrp_instance",
					      .kws = inst_kws };

static int kw_vrrp_instance(struct conf_parser *p, const struct conf_kw *kw,
			    void *obj, int argc, char **argv)
{
	struct vrrp_cfg *c = obj;
	struct vrrp_inst_cfg *vi;

	if (argc < 2) {
		conf_err(p, "vrrp_instance needs a name");
		return -1;
	}
	vi = conf_xcalloc(sizeof(*vi));
	vi->name = conf_xstrdup(argv[1]);
	vi->file = conf_xstrdup(conf_cur_file(p));
	vi->line = conf_cur_line(p);
	vi->vrid = vi->version = CONF_UNSET;
	vi->garp_master_delay = vi->garp_master_repeat = CONF_UNSET;
	CONF_PUSH(c->insts, c->n_insts, vi);
	conf_set_child(p, vi);
	return 0;
}

/* ---- vrrp_sync_group ---- */

static int member_line(struct conf_parser *p, void *obj, int argc,
		       char **argv)
{
	struct vrrp_group_cfg *g = obj;
	int i;

	for (i = 0; i < argc; i++)
		CONF_PUSH(g->members, g->n_members, conf_xstrdup(argv[i]));
	return 0;
}

static const struct conf_block member_block = {
	.name = "group", .kws = (const struct conf_kw[]){ { 0 } },
	.line = member_line };

static const struct conf_kw group_kws[] = {
	{ .name = "group", .parse = kw_same_obj, .block = &member_block },
	{ .name = "track_interface", .parse = kw_same_obj,
	  .block = &group_track_if_block },
	{ .name = "track_script", .parse = kw_same_obj,
	  .block = &group_track_script_block },
	{ .name = "notify_master", .parse = conf_kw_script,
	  .off = OFF(vrrp_group_cfg, notify_master) },
	{ .name = "notify_backup", .parse = conf_kw_script,
	  .off = OFF(vrrp_group_cfg, notify_backup) },
	{ .name = "notify_fault", .parse = conf_kw_script,
	  .off = OFF(vrrp_group_cfg, notify_fault) },
	{ .name = "notify_stop", .parse = conf_kw_script,
	  .off = OFF(vrrp_group_cfg, notify_stop) },
	{ .name = "notify", .parse = conf_kw_script,
	  .off = OFF(vrrp_group_cfg, notify) },
	{ .name = "smtp_alert", .parse = kw_flag,
	  .off = OFF(vrrp_group_cfg, smtp_alert) },
	{ .name = "global_tracking", .parse = conf_kw_ignored },
	{ .name = "sync_group_tracking_weight", .parse = conf_kw_ignored },
	{ .name = NULL }
};

static const struct conf_block group_block = { .name = "vrrp_sync_group",
					       .kws = group_kws };

static int kw_vrrp_sync_group(struct conf_parser *p, const struct conf_kw *kw,
			      void *obj, int argc, char **argv)
{
	struct vrrp_cfg *c = obj;
	struct vrrp_group_cfg *g;

	if (argc < 2) {
		conf_err(p, "vrrp_sync_group needs a name");
		return -1;
	}
	g = conf_xcalloc(sizeof(*g));
	g->name = conf_xstrdup(argv[1]);
	g->file = conf_xstrdup(conf_cur_file(p));
	g->line = conf_cur_line(p);
	CONF_PUSH(c->groups, c->n_groups, g);
	conf_set_child(p, g);
	return 0;
}

static int kw_statics(struct conf_parser *p, const struct conf_kw *kw,
		      void *obj, int argc, char **argv)
{
	struct vrrp_cfg *c = obj;

	if (!c->has_statics) {
		c->statics.name = conf_xstrdup("static");
		c->statics.file = conf_xstrdup(conf_cur_file(p));
		c->statics.line = conf_cur_line(p);
		c->has_statics = true;
	}
	conf_set_child(p, &c->statics);
	return 0;
}

const struct conf_kw vrrp_root_kws[] = {
	{ .name = "static_ipaddress", .parse = kw_statics,
	  .block = &vip_block },
	{ .name = "static_routes", .parse = kw_statics,
	  .block = &route_block },
	{ .name = "static_rules", .parse = kw_unsupported,
	  .block = &(const struct conf_block){ .name = "static_rules",
		.kws = (const struct conf_kw[]){ { 0 } } } },
	{ .name = "vrrp_script", .parse = kw_vrrp_script,
	  .block = &script_block },
	{ .name = "vrrp_instance", .parse = kw_vrrp_instance,
	  .block = &inst_block },
	{ .name = "vrrp_sync_group", .parse = kw_vrrp_sync_group,
	  .block = &group_block },
	{ .name = NULL }
};

/* ---- global_defs ---- */

static int kw_mcast_group(struct conf_parser *p, const struct conf_kw *kw,
			  void *obj, int argc, char **argv)
{
	struct conf_addr *a = (struct conf_addr *)((char *)obj + kw->off);
	struct conf_addr v = { 0 };
	int want = kw->min == 6 ? AF_INET6 : AF_INET;

	if (argc < 2 || conf_addr_parse(argv[1], &v) || v.af != want ||
	    (want == AF_INET ? !IN_MULTICAST(ntohl(v.u.in.s_addr)) :
			       !IN6_IS_ADDR_MULTICAST(&v.u.in6))) {
		conf_err(p, "%s: '%s' is not an IPv%d multicast address",
			 argv[0], argc >= 2 ? argv[1] : "", kw->min == 6 ? 6 : 4);
		return -1;
	}
	*a = v;
	return 0;
}

/* lvs_sync_daemon IF INSTANCE [id N] [maxlen N] [port N] [ttl N]
 * [group IP], as keepalived's; a bad option is an error here. */
static int kw_lvs_syncd(struct conf_parser *p, const struct conf_kw *kw,
			void *obj, int argc, char **argv)
{
	static const struct {
		const char	*name;
		long long	min, max;
	} opts[] = {
		{ "id", 0, 255 }, { "maxlen", 1, 65507 }, { "port", 1, 65535 },
		{ "ttl", 1, 255 },
	};
	struct vrrp_cfg *c = obj;
	struct vrrp_syncd_cfg d = { .syncid = -1 };
	int i;

	if (c->syncd.ifname) {
		conf_err(p, "lvs_sync_daemon has already been specified as "
			 "%s %s", c->syncd.ifname, c->syncd.inst);
		return -1;
	}
	if (argc < 3) {
		conf_err(p, "lvs_sync_daemon requires interface, VRRP "
			 "instance");
		return -1;
	}
	if (strlen(argv[1]) >= 16) {
		conf_err(p, "lvs_sync_daemon interface name '%s' too long",
			 argv[1]);
		return -1;
	}
	for (i = 3; i < argc; i += 2) {
		long long *to[] = { &d.syncid, &d.maxlen, &d.port, &d.ttl };
		size_t k;
		char *end;
		long long v;

		if (i + 1 >= argc) {
			conf_err(p, "No value specified for lvs_sync_daemon "
				 "%s", argv[i]);
			return -1;
		}
		if (!strcmp(argv[i], "group")) {
			if (conf_addr_parse(argv[i + 1], &d.group) ||
			    (d.group.af == AF_INET ?
			     !IN_MULTICAST(ntohl(d.group.u.in.s_addr)) :
			     d.group.af != AF_INET6 ||
			     !IN6_IS_ADDR_MULTICAST(&d.group.u.in6))) {
				conf_err(p, "lvs_sync_daemon group '%s' is not "
					 "a multicast address", argv[i + 1]);
				return -1;
			}
			continue;
		}
		for (k = 0; k < sizeof(opts) / sizeof(opts[0]); k++)
			if (!strcmp(argv[i], opts[k].name))
				break;
		if (k == sizeof(opts) / sizeof(opts[0])) {
			conf_err(p, "Unknown option %s specified for "
				 "lvs_sync_daemon", argv[i]);
			return -1;
		}
		errno = 0;
		v = strtoll(argv[i + 1], &end, 10);
		if (errno || *end || end == argv[i + 1] || v < opts[k].min ||
		    v > opts[k].max) {
			conf_err(p, "Invalid lvs_sync_daemon %s '%s' "
				 "(%lld..%lld)", argv[i], argv[i + 1],
				 opts[k].min, opts[k].max);
			return -1;
		}
		*to[k] = v;
	}
	d.ifname = conf_xstrdup(argv[1]);
	d.inst = conf_xstrdup(argv[2]);
	d.file = conf_xstrdup(conf_cur_file(p));
	d.line = conf_cur_line(p);
	c->syncd = d;
	return 0;
}

const struct conf_kw vrrp_global_kws[] = {
	{ .name = "lvs_sync_daemon", .parse = kw_lvs_syncd },
	{ .name = "vrrp_version", .parse = kw_version,
	  .off = OFF(vrrp_cfg, version) },
	{ .name = "vrrp_mcast_group4", .parse = kw_mcast_group,
	  .off = OFF(vrrp_cfg, mcast4), .min = 4 },
	{ .name = "vrrp_mcast_group6", .parse = kw_mcast_group,
	  .off = OFF(vrrp_cfg, mcast6), .min = 6 },
	{ .name = "vrrp_garp_master_delay", .parse = conf_kw_timer,
	  .off = OFF(vrrp_cfg, garp_master_delay), .max = T(1000) },
	{ .name = "vrrp_garp_master_repeat", .parse = conf_kw_int,
	  .off = OFF(vrrp_cfg, garp_master_repeat), .min = 1, .max = 1000 },
	{ .name = "vrrp_check_unicast_src", .parse = kw_flag,
	  .off = OFF(vrrp_cfg, check_unicast_src) },
	{ .name = "vrrp_skip_check_adv_addr", .parse = conf_kw_ignored },
	{ .name = "vrrp_strict", .parse = kw_unsupported },
	{ .name = "vrrp_iptables", .parse = conf_kw_ignored },
	{ .name = "vrrp_garp_interval", .parse = kw_unsupported },
	{ .name = "vrrp_gna_interval", .parse = kw_unsupported },
	{ .name = "vrrp_priority", .parse = conf_kw_ignored },
	{ .name = "vrrp_no_swap", .parse = conf_kw_ignored },
	{ .name = "vrrp_rlimit_rttime", .parse = conf_kw_ignored },
	{ .name = "vrrp_startup_delay", .parse = kw_unsupported },
	{ .name = "vrrp_higher_prio_send_advert", .parse = kw_unsupported },
	{ .name = "vrrp_lower_prio_no_advert", .parse = kw_unsupported },
	{ .name = NULL }
};

void vrrp_cfg_init(struct vrrp_cfg *c)
{
	/* Zeroed by the host, with global_defs' row defaults applied. */
	c->version = 2;
	c->mcast4.af = AF_INET;
	inet_pton(AF_INET, "224.0.0.18", &c->mcast4.u.in);
	c->mcast6.af = AF_INET6;
	inet_pton(AF_INET6, "ff02::12", &c->mcast6.u.in6);
	c->garp_master_delay = T(5);
	c->garp_master_repeat = 5;
}

static struct vrrp_inst_cfg *find_inst(struct vrrp_cfg *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n_insts; i++)
		if (!strcmp(c->insts[i]->name, name))
			return c->insts[i];
	return NULL;
}

static struct vrrp_script_conf *find_script(struct vrrp_cfg *c,
					    const char *name)
{
	size_t i;

	for (i = 0; i < c->n_scripts; i++)
		if (!strcmp(c->scripts[i]->name, name))
			return c->scripts[i];
	return NULL;
}

/* keepalived counts an interface that is not there as an error (-t exits
 * 5), and runs the instance in FAULT until it appears. */
static void check_ifs(struct conf_log *log, struct vrrp_inst_cfg *vi)
{
	char addr[INET6_ADDRSTRLEN + 8];
	size_t i;

	for (i = 0; i < vi->n_track_ifs; i++)
		if (!if_nametoindex(vi->track_ifs[i].name))
			conf_log_add(log, CONF_DEFAULTED, vi->file,
				     vi->track_ifs[i].line,
				     "(%s) tracked interface %s doesn't exist",
				     vi->name, vi->track_ifs[i].name);
	for (i = 0; i < vi->n_vips; i++)
		if (vi->vips[i].dev && !if_nametoindex(vi->vips[i].dev))
			conf_log_add(log, CONF_DEFAULTED, vi->file,
				     vi->vips[i].line,
				     "WARNING - interface %s for ip address "
				     "%s doesn't exist", vi->vips[i].dev,
				     conf_addr_str(&vi->vips[i].addr, addr,
						   sizeof(addr)));
	for (i = 0; i < vi->n_routes; i++)
		if (vi->routes[i].dev && !if_nametoindex(vi->routes[i].dev))
			conf_log_add(log, CONF_DEFAULTED, vi->file,
				     vi->routes[i].line,
				     "WARNING - interface %s for VROUTE "
				     "nexthop doesn't exist",
				     vi->routes[i].dev);
}

static void resolve_inst(struct conf_log *log, struct vrrp_cfg *c,
			 struct vrrp_inst_cfg *vi)
{
	size_t i;

	if (vi->version == CONF_UNSET)
		vi->version = c->version;
	if (vi->garp_master_delay == CONF_UNSET)
		vi->garp_master_delay = c->garp_master_delay;
	if (vi->garp_master_repeat == CONF_UNSET)
		vi->garp_master_repeat = c->garp_master_repeat;
	if (!vi->ifname) {
		conf_log_add(log, CONF_ERR, vi->file, vi->line,
			     "(%s) Unknown interface !", vi->name);
	} else if (!if_nametoindex(vi->ifname)) {
		conf_log_add(log, CONF_DEFAULTED, vi->file, vi->line,
			     "WARNING - interface %s for vrrp_instance %s "
			     "doesn't exist", vi->ifname, vi->name);
	}
	if (vi->vrid == CONF_UNSET)
		conf_log_add(log, CONF_ERR, vi->file, vi->line,
			     "(%s) the virtual router id must be set",
			     vi->name);
	for (i = 0; i < vi->n_vips; i++)
		if (vi->vips[i].addr.af == AF_INET6 && vi->version == 2) {
			conf_log_add(log, CONF_WARN, vi->file, vi->vips[i].line,
				     "(%s) IPv6 addresses need VRRP version 3 "
				     "- using version 3", vi->name);
			vi->version = 3;
			break;
		}
	if (vi->version == 2 && vi->advert_int % USEC_PER_SEC) {
		long long s = (vi->advert_int + USEC_PER_SEC / 2) / USEC_PER_SEC;

		conf_log_add(log, CONF_WARN, vi->file, vi->line,
			     "(%s) Version 2 does not support a non-integer "
			     "advert_int - rounding to %lld s", vi->name,
			     s ? s : 1);
		vi->advert_int = (s ? s : 1) * USEC_PER_SEC;
	}
	if (vi->version == 3 && vi->auth_type) {
		conf_log_add(log, CONF_WARN, vi->file, vi->line,
			     "(%s) authentication is not supported with "
			     "VRRP version 3 - ignoring", vi->name);
		vi->auth_type = VRRP_AUTH_NONE;
	}
	for (i = 0; i < vi->n_track_scripts; i++) {
		struct vrrp_track *t = &vi->track_scripts[i];
		struct vrrp_script_conf *s = find_script(c, t->name);

		if (!s)
			conf_log_add(log, CONF_WARN, vi->file, t->line,
				     "(%s) track script %s not found, "
				     "ignoring...", vi->name, t->name);
		else
			s->used = true;
	}
	check_ifs(log, vi);
}

/*
 * A vrrp_script's "user" (else the words after its script, else the
 * global script_user) must exist; the script runs as it.
 */
static void resolve_script(struct conf_log *log, struct vrrp_script_conf *s)
{
	char err[128];
	uid_t uid;
	gid_t gid;

	if (s->user) {
		free(s->script.user);
		free(s->script.group);
		s->script.user = s->user;
		s->script.group = s->group;
		s->user = s->group = NULL;
	} else {
		s->user_line = s->line;
	}
	if (s->script.user &&
	    script_resolve_user(s->script.user, s->script.group, &uid, &gid,
				err, sizeof(err)))
		conf_log_add(log, CONF_ERR, s->file, s->user_line,
			     "vrrp_script %s: %s", s->name, err);
}

void vrrp_cfg_resolve(struct conf_log *log, struct vrrp_cfg *c)
{
	size_t i, j, k;

	for (i = 0; i < c->n_scripts; i++)
		resolve_script(log, c->scripts[i]);

	if (c->has_statics)
		check_ifs(log, &c->statics);
	if (c->syncd.ifname) {
		for (i = 0; i < c->n_insts; i++)
			if (!strcmp(c->insts[i]->name, c->syncd.inst))
				break;
		if (i == c->n_insts)
			conf_log_add(log, CONF_ERR, c->syncd.file,
				     c->syncd.line, "Unable to find vrrp "
				     "instance %s for lvs_sync_daemon",
				     c->syncd.inst);
	}
	for (i = 0; i < c->n_insts; i++) {
		resolve_inst(log, c, c->insts[i]);
		for (j = 0; j < i; j++)
			if (!strcmp(c->insts[j]->name, c->insts[i]->name))
				conf_log_add(log, CONF_ERR, c->insts[i]->file,
					     c->insts[i]->line,
					     "vrrp_instance %s defined twice",
					     c->insts[i]->name);
	}
	for (i = 0; i < c->n_groups; i++) {
		struct vrrp_group_cfg *g = c->groups[i];

		for (k = 0; k < g->n_members; k++) {
			struct vrrp_inst_cfg *vi = find_inst(c, g->members[k]);

			if (!vi) {
				conf_log_add(log, CONF_WARN, g->file, g->line,
					     "Virtual router %s specified in "
					     "sync group %s doesn't exist - "
					     "ignoring", g->members[k],
					     g->name);
				continue;
			}
			if (vi->group) {
				conf_log_add(log, CONF_WARN, g->file, g->line,
					     "Virtual router %s cannot exist "
					     "in more than one sync group; "
					     "ignoring %s", vi->name, g->name);
				continue;
			}
			vi->group = g;
			CONF_PUSH(g->insts, g->n_insts, vi);
		}
		if (g->n_insts < 2 && g->n_members)
			conf_log_add(log, CONF_WARN, g->file, g->line,
				     "Sync group %s has only %zu virtual "
				     "router(s) - this probably isn't what "
				     "you want", g->name, g->n_insts);
	}
}

static void track_free(struct vrrp_track *t, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(t[i].name);
	free(t);
}

static void scripts_free(struct conf_script *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		conf_script_free(&s[i]);
}

static void inst_members_free(struct vrrp_inst_cfg *vi)
{
	size_t i;

	for (i = 0; i < vi->n_vips; i++) {
		free(vi->vips[i].dev);
		free(vi->vips[i].label);
	}
	free(vi->vips);
	for (i = 0; i < vi->n_routes; i++)
		free(vi->routes[i].dev);
	free(vi->routes);
	track_free(vi->track_ifs, vi->n_track_ifs);
	track_free(vi->track_scripts, vi->n_track_scripts);
	free(vi->peers);
	scripts_free(&vi->notify_master, 1);
	scripts_free(&vi->notify_backup, 1);
	scripts_free(&vi->notify_fault, 1);
	scripts_free(&vi->notify_stop, 1);
	scripts_free(&vi->notify, 1);
	free(vi->ifname);
	free(vi->name);
	free(vi->file);
}

static void inst_free(struct vrrp_inst_cfg *vi)
{
	inst_members_free(vi);
	free(vi);
}

static void group_free(struct vrrp_group_cfg *g)
{
	size_t i;

	for (i = 0; i < g->n_members; i++)
		free(g->members[i]);
	free(g->members);
	free(g->insts);
	track_free(g->track_ifs, g->n_track_ifs);
	track_free(g->track_scripts, g->n_track_scripts);
	scripts_free(&g->notify_master, 1);
	scripts_free(&g->notify_backup, 1);
	scripts_free(&g->notify_fault, 1);
	scripts_free(&g->notify_stop, 1);
	scripts_free(&g->notify, 1);
	free(g->name);
	free(g->file);
	free(g);
}

void vrrp_cfg_free(struct vrrp_cfg *c)
{
	size_t i;

	if (c->has_statics)
		inst_members_free(&c->statics);
	free(c->syncd.ifname);
	free(c->syncd.inst);
	free(c->syncd.file);
	for (i = 0; i < c->n_insts; i++)
		inst_free(c->insts[i]);
	free(c->insts);
	for (i = 0; i < c->n_groups; i++)
		group_free(c->groups[i]);
	free(c->groups);
	for (i = 0; i < c->n_scripts; i++) {
		conf_script_free(&c->scripts[i]->script);
		free(c->scripts[i]->user);
		free(c->scripts[i]->group);
		free(c->scripts[i]->name);
		free(c->scripts[i]->file);
		free(c->scripts[i]);
	}
	free(c->scripts);
	memset(c, 0, sizeof(*c));
}

void vrrp_conf_init(void *sc)
{
	vrrp_cfg_init(sc);
}

void vrrp_conf_done(struct conf *c, void *sc, struct conf_log *log)
{
	vrrp_cfg_resolve(log, sc);
}

void vrrp_conf_free(void *sc)
{
	vrrp_cfg_free(sc);
}
