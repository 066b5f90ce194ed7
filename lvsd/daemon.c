// SPDX-License-Identifier: GPL-2.0
/*
 * daemon.c - from a parsed configuration to services and real servers in
 * the backend, kept in step with health, operator commands and reloads.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "daemon.h"
#include "loop.h"
#include "pools.h"
#include "xalloc.h"

struct daemon lvsd;

/* ---- scripts ---- */

static void script_reaped(struct lchild *c, pid_t pid, int status, void *arg)
{
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		lvsd_log("script %d (%s) ended with status %d", pid,
			 (const char *)arg, WIFEXITED(status) ?
			 WEXITSTATUS(status) : 128 + WTERMSIG(status));
}

/* Every script goes through the runtime's one policy (script.h). */
static void run_script(const struct conf_script *s, const char *what)
{
	char err[PATH_MAX + 96];
	pid_t pid;

	if (!s->argv)
		return;
	pid = script_run(s->argv, s->user, s->group, err, sizeof(err));
	if (pid < 0) {
		lvsd_log("%s: %s, not run", what, err);
		return;
	}
	if (err[0])
		lvsd_log("%s: warning: %s", what, err);
	lchild_watch(pid, script_reaped, (void *)what);
}

static void resolve_script_id(const struct global_conf *g)
{
	char err[160];

	if (script_policy_set(g->script_user, g->script_group,
			      g->enable_script_security, err, sizeof(err)))
		lvsd_log("%s; scripts will not run", err);
}

/* ---- building ---- */

static void lvsc_addr_from(const struct conf_addr *a, union lvsc_addr *u)
{
	memset(u, 0, sizeof(*u));
	if (a->af == AF_INET6)
		u->in6 = a->u.in6;
	else
		u->in = a->u.in;
}

static void fill_svc(const struct vs_conf *vc, struct lvsc_service *s)
{
	snprintf(s->sched, sizeof(s->sched), "%s", vc->sched);
	s->flags = (uint32_t)vc->svc_flags;
	if (vc->persistence_timeout) {
		s->flags |= LVS_SVC_F_PERSISTENT;
		s->timeout = (uint32_t)vc->persistence_timeout;
	}
	s->netmask = s->af == AF_INET6 ? 128 : 0xffffffff;
	if (vc->persistence_timeout)
		s->netmask = vc->r_netmask;
}

static void expand_svcs(struct vs_rt *vs)
{
	const struct vs_conf *vc = vs->conf;
	struct lvsc_service s;

	if (vc->kind != VS_GROUP) {
		memset(&s, 0, sizeof(s));
		if (vc->kind == VS_FWMARK) {
			s.af = (uint16_t)vc->fwmark_af;
			s.fwmark = (uint32_t)vc->fwmark;
		} else {
			s.af = (uint16_t)vc->addr.af;
			s.protocol = (uint16_t)vc->protocol;
			lvsc_addr_from(&vc->addr, &s.addr);
			s.port = vc->addr.port;
		}
		fill_svc(vc, &s);
		vs->svcs = rt_xcalloc(sizeof(s));
		vs->svcs[0] = s;
		vs->n_svcs = 1;
		return;
	}
	if (!vc->r_group)
		return;
	vs->svcs = rt_xcalloc((vc->r_group->n + 1) * sizeof(s));
	for (size_t i = 0; i < vc->r_group->n; i++) {
		const struct vsg_entry *e = &vc->r_group->ents[i];

		memset(&s, 0, sizeof(s));
		s.af = (uint16_t)e->addr.af;
		if (e->fwmark) {
			s.fwmark = e->fwmark;
		} else {
			s.protocol = (uint16_t)vc->protocol;
			lvsc_addr_from(&e->addr, &s.addr);
			s.port = e->addr.port;
		}
		fill_svc(vc, &s);
		vs->svcs[vs->n_svcs++] = s;
	}
}

static void vs_name(const struct vs_conf *vc, char *buf, size_t len)
{
	char a[64];

	if (vc->kind == VS_FWMARK)
		snprintf(buf, len, "fwmark:%lld", vc->fwmark);
	else if (vc->kind == VS_GROUP)
		snprintf(buf, len, "group:%s", vc->group);
	else
		snprintf(buf, len, "%s:%s",
			 vc->protocol == IPPROTO_UDP ? "udp" :
			 vc->protocol == IPPROTO_SCTP ? "sctp" : "tcp",
			 conf_addr_str(&vc->addr, a, sizeof(a)));
}

static void hc_params_of(const struct check_conf *cc, struct hc_params *p)
{
	p->rise = (unsigned int)cc->r_rise;
	p->fall = (unsigned int)cc->r_fall;
	p->delay = cc->r_delay;
	p->dbr = cc->r_dbr;
	p->alpha = cc->r_alpha;
}

struct rs_rt *daemon_rs_new(struct vs_rt *vs, const struct rs_conf *rc)
{
	struct rs_rt *rs = rt_xcalloc(sizeof(*rs));

	rs->vs = vs;
	rs->conf = rc;
	rs->addr = rc->addr;
	snprintf(rs->label, sizeof(rs->label), "vs=\"%s\",rs=\"%s\"",
		 vs->name, conf_addr_str(&rc->addr, (char[64]){ 0 }, 64));
	rs->checks = rt_xcalloc((rc->n_checks + 1) * sizeof(*rs->checks));
	rs->healthy = true;
	for (size_t j = 0; j < rc->n_checks; j++) {
		struct check_rt *c = rt_xcalloc(sizeof(*c));
		struct hc_params p;

		c->rs = rs;
		c->conf = rc->checks[j];
		c->idx = j;
		c->dyn_weight = -1;
		hc_params_of(c->conf, &p);
		hc_init(&c->hc, &p);
		if (c->hc.state != HC_UP)
			rs->healthy = false;
		rs->checks[rs->n_checks++] = c;
	}
	return rs;
}

void daemon_rs_add(struct vs_rt *vs, struct rs_rt *rs)
{
	vs->rss = realloc(vs->rss, (vs->n_rss + 2) * sizeof(*vs->rss));
	if (!vs->rss)
		abort();
	vs->rss[vs->n_rss++] = rs;
}

static struct vs_rt *build_vs(const struct vs_conf *vc)
{
	struct vs_rt *vs = rt_xcalloc(sizeof(*vs));

	vs->conf = vc;
	vs_name(vc, vs->name, sizeof(vs->name));
	expand_svcs(vs);
	quorum_init(&vs->q);
	vs->rss = rt_xcalloc((vc->n_rss + 1) * sizeof(*vs->rss));
	for (size_t i = 0; i < vc->n_rss; i++)
		vs->rss[vs->n_rss++] = daemon_rs_new(vs, vc->rss[i]);
	pools_attach(vs);
	return vs;
}

static void rs_free(struct rs_rt *rs)
{
	for (size_t i = 0; i < rs->n_checks; i++) {
		check_rt_stop(rs->checks[i]);
		free(rs->checks[i]);
	}
	free(rs->checks);
	pools_rs_free(rs);
	free(rs);
}

static void vs_free(struct vs_rt *vs)
{
	for (size_t i = 0; i < vs->n_rss; i++)
		rs_free(vs->rss[i]);
	free(vs->rss);
	free(vs->svcs);
	free(vs);
}

/* ---- keeping the backend in step ---- */

uint32_t rs_weight(const struct rs_rt *rs)
{
	for (size_t i = 0; i < rs->n_checks; i++)
		if (rs->checks[i]->dyn_weight >= 0)
			return (uint32_t)rs->checks[i]->dyn_weight;
	return rs->conf ? (uint32_t)rs->conf->r_weight : 0;
}

static struct rs_view rs_view_of(const struct rs_rt *rs)
{
	return (struct rs_view){
		.healthy = rs->healthy && !rs->orphan,
		.admin = rs->admin,
		.drained = rs->drained,
		.inhibit = rs->conf && rs->conf->r_inhibit,
		.weight = rs_weight(rs),
		.sorry_active = rs->vs->sorry_active,
	};
}

bool rs_in_backend(const struct rs_rt *rs, uint32_t *weight)
{
	if (rs->in_be && weight)
		*weight = rs->be.d.weight;
	return rs->in_be;
}

static void make_dest(const struct vs_rt *vs, const struct conf_addr *a,
		      long long fwd, const struct rs_conf *rc, uint32_t weight,
		      struct lvsc_dest *d)
{
	const struct vs_conf *vc = vs->conf;

	memset(d, 0, sizeof(*d));
	d->af = (uint16_t)a->af;
	lvsc_addr_from(a, &d->addr);
	d->port = a->port;
	d->fwd = (uint8_t)fwd;
	d->weight = weight;
	if (rc) {
		d->u_threshold = (uint32_t)rc->uthreshold;
		d->l_threshold = (uint32_t)rc->lthreshold;
	}
	if (fwd == LVS_FWD_TUNNEL) {
		d->tun_type = (uint8_t)vc->tun_type;
		d->tun_port = (uint16_t)vc->tun_port;
		d->tun_flags = (uint16_t)vc->tun_flags;
	}
}

static bool dest_differs(const struct lvsc_dest *a, const struct lvsc_dest *b)
{
	return a->weight != b->weight || a->fwd != b->fwd ||
	       a->u_threshold != b->u_threshold ||
	       a->l_threshold != b->l_threshold ||
	       a->tun_type != b->tun_type || a->tun_port != b->tun_port ||
	       a->tun_flags != b->tun_flags;
}

static void backend_failed(const struct vs_rt *vs, const char *op,
			   const struct conf_addr *a, struct lvsc_err *err)
{
	char buf[64];

	lvsd.st.backend_errors++;
	lvsd_log("%s: %s %s: %s", vs->name, op,
		 a ? conf_addr_str(a, buf, sizeof(buf)) : "service",
		 err->msg[0] ? err->msg : strerror(-err->code));
}

/* Send one destination change to every service of VS. */
static void dest_apply(struct vs_rt *vs, const struct applied_dest *d,
		       int op)
{
	const struct backend_ops *o = lvsd.bops;

	for (size_t i = 0; i < vs->n_svcs; i++) {
		struct lvsc_err err = { 0 };
		const struct lvsc_service *s = &vs->svcs[i];
		int rc;

		if (op > 0) {
			rc = o->dest_add(lvsd.backend, s, &d->d, &err);
			if (rc == -EEXIST)
				rc = o->dest_edit(lvsd.backend, s, &d->d,
						  &err);
		} else if (op == 0) {
			rc = o->dest_edit(lvsd.backend, s, &d->d, &err);
			if (rc == -ENOENT)
				rc = o->dest_add(lvsd.backend, s, &d->d,
						 &err);
		} else {
			rc = o->dest_del(lvsd.backend, s, &d->d, &err);
			if (rc == -ENOENT)
				rc = 0;
		}
		if (rc)
			backend_failed(vs, op > 0 ? "add" : op ? "delete" :
				       "edit", &d->addr, &err);
	}
}

/* Keep vs->live_weight right after RS changed: O(1) per change. */
static void rs_recount(struct rs_rt *rs)
{
	struct rs_view v = rs_view_of(rs);
	uint32_t c = rs_counts(&v) ? v.weight : 0;

	rs->vs->live_weight = rs->vs->live_weight - rs->counted + c;
	rs->counted = c;
}

/* keepalived's subjects: "[router_id] Realserver ... - UP". */
static const char *mail_id(char *buf, size_t len)
{
	if (lvsd.conf->g.router_id)
		return lvsd.conf->g.router_id;
	if (gethostname(buf, len - 1) < 0)
		snprintf(buf, len, "lvsd");
	buf[len - 1] = '\0';
	return buf;
}

static void mail_rs(const struct rs_rt *rs, const char *who, bool up)
{
	char subject[512], body[512], id[256];

	snprintf(subject, sizeof(subject),
		 "[%s] Realserver %s of virtual server %s - %s",
		 mail_id(id, sizeof(id)), who, rs->vs->name, up ? "UP" : "DOWN");
	snprintf(body, sizeof(body), "=> real server %s of %s is %s <=", who,
		 rs->vs->name, up ? "up: its checks pass" :
		 "down: a check failed");
	alert_mail(&lvsd.conf->g, subject, body);
}

static void mail_vs(const struct vs_rt *vs, bool up)
{
	char subject[512], body[512], id[256];

	snprintf(subject, sizeof(subject), "[%s] Virtualserver %s - %s",
		 mail_id(id, sizeof(id)), vs->name, up ? "UP" : "DOWN");
	snprintf(body, sizeof(body), "=> virtual server %s: quorum %s <=",
		 vs->name, up ? "regained" : "lost");
	alert_mail(&lvsd.conf->g, subject, body);
}

/* True when the quorum changed (every real server then needs a look). */
static bool quorum_check(struct vs_rt *vs)
{
	const struct vs_conf *vc = vs->conf;
	uint64_t sum = vs->live_weight;
	bool changed;

	changed = quorum_update(&vs->q, sum, (uint64_t)vc->quorum,
				(uint64_t)vc->hysteresis);
	if (changed) {
		lvsd_log("%s: quorum %s (weight %llu, quorum %lld, "
			 "hysteresis %lld)", vs->name,
			 vs->q.up ? "regained" : "lost",
			 (unsigned long long)sum, vc->quorum, vc->hysteresis);
		run_script(vs->q.up ? &vc->quorum_up : &vc->quorum_down,
			   vs->q.up ? "quorum_up" : "quorum_down");
		if (vc->r_smtp_alert)
			mail_vs(vs, vs->q.up);
	}
	vs->sorry_active = !vs->q.up && vc->sorry.af;
	return changed;
}

/* Make the backend hold WANT (or nothing) where it holds CUR. */
static void dest_set(struct vs_rt *vs, struct applied_dest *cur, bool *in,
		     bool on, const struct applied_dest *want)
{
	if (on && !*in) {
		dest_apply(vs, want, 1);
		*cur = *want;
		*in = true;
	} else if (on && dest_differs(&cur->d, &want->d)) {
		dest_apply(vs, want, 0);
		*cur = *want;
	} else if (!on && *in) {
		dest_apply(vs, cur, -1);
		*in = false;
	}
}

static void rs_sync(struct rs_rt *rs)
{
	struct rs_view v = rs_view_of(rs);
	struct applied_dest want = { .addr = rs->addr };
	uint32_t w = 0;
	bool on = rs_target(&v, &w);

	if (on && rs->conf)
		make_dest(rs->vs, &rs->addr, rs->conf->r_fwd, rs->conf, w,
			  &want.d);
	else if (on && rs->in_be)
		want.d = rs->be.d, want.d.weight = w;	/* an orphan */
	else
		on = false;
	dest_set(rs->vs, &rs->be, &rs->in_be, on, &want);
}

/*
 * The sorry server: in while the quorum is lost; with sorry_server_inhibit
 * it stays in at weight 0 otherwise.  A real server at the same address
 * wins.
 */
static void sorry_sync(struct vs_rt *vs)
{
	const struct vs_conf *vc = vs->conf;
	struct applied_dest want = { .addr = vc->sorry };
	bool on = vc->sorry.af && (vs->sorry_active || vc->sorry_inhibit);

	for (size_t i = 0; on && i < vs->n_rss; i++)
		if (conf_addr_eq(&vs->rss[i]->addr, &vc->sorry))
			on = false;
	if (on)
		make_dest(vs, &vc->sorry, vc->sorry_fwd, NULL,
			  vs->sorry_active ? 1 : 0, &want.d);
	dest_set(vs, &vs->sorry_be, &vs->sorry_in, on, &want);
}

/* Orphans (gone from the config) leave once out of the backend. */
static void reap_orphans(struct vs_rt *vs)
{
	size_t keep = 0;

	for (size_t i = 0; i < vs->n_rss; i++) {
		struct rs_rt *rs = vs->rss[i];

		if (rs->orphan && !rs->in_be) {
			vs->live_weight -= rs->counted;
			rs_free(rs);
		} else {
			vs->rss[keep++] = rs;
		}
	}
	vs->n_rss = keep;
}

static void vs_sync_all(struct vs_rt *vs)
{
	for (size_t i = 0; i < vs->n_rss; i++)
		rs_sync(vs->rss[i]);
	sorry_sync(vs);
	reap_orphans(vs);
}

void vs_sync(struct vs_rt *vs)
{
	for (size_t i = 0; i < vs->n_rss; i++)
		rs_recount(vs->rss[i]);
	quorum_check(vs);
	vs_sync_all(vs);
}

void rs_changed(struct rs_rt *rs)
{
	struct vs_rt *vs = rs->vs;

	rs_recount(rs);
	if (quorum_check(vs)) {
		vs_sync_all(vs);
		return;
	}
	rs_sync(rs);
	if (rs->orphan && !rs->in_be)
		reap_orphans(vs);
}

void rs_update_health(struct rs_rt *rs)
{
	bool healthy = true;
	char who[64];

	for (size_t i = 0; i < rs->n_checks; i++)
		if (rs->checks[i]->hc.state != HC_UP)
			healthy = false;
	if (healthy != rs->healthy) {
		rs->healthy = healthy;
		rs->changed_at = loop_clock();
		lvsd_log("%s: real server %s is %s", rs->vs->name,
			 conf_addr_str(&rs->addr, who, sizeof(who)),
			 healthy ? "up" : "down");
		if (rs->conf)
			run_script(healthy ? &rs->conf->notify_up :
					     &rs->conf->notify_down,
				   healthy ? "notify_up" : "notify_down");
		if (rs->conf && rs->conf->r_smtp_alert)
			mail_rs(rs, who, healthy);
	}
	rs_changed(rs);
	pools_rs_health(rs);
}

/* ---- drain ---- */

static void drain_poll(struct ltimer *t, void *arg)
{
	int64_t now = loop_clock();
	bool pending = false;

	for (size_t i = 0; i < lvsd.n_vss; i++) {
		struct vs_rt *vs = lvsd.vss[i];
		struct lvsc_dest *d = NULL;
		size_t n = 0;
		bool any = false, listed = false;

		for (size_t j = 0; j < vs->n_rss; j++) {
			struct rs_rt *rs = vs->rss[j];
			uint64_t conns = 0;

			if (rs->admin != RS_DRAINING || rs->drained)
				continue;
			if (!listed && vs->n_svcs) {
				struct lvsc_err err = { 0 };

				listed = true;
				if (lvsd.bops->dest_list(lvsd.backend,
							 &vs->svcs[0], &d, &n,
							 &err))
					n = 0;
			}
			for (size_t k = 0; k < n; k++) {
				struct lvsc_dest *x = &d[k];
				struct conf_addr a = { .af = x->af,
						       .port = x->port };

				memcpy(&a.u, &x->addr, sizeof(a.u));
				if (conf_addr_eq(&a, &rs->addr))
					conns = x->activeconns +
						x->inactconns;
			}
			if (!conns || now >= rs->drain_deadline) {
				rs->drained = true;
				any = true;
				lvsd_log("%s: %s drained (%s)", vs->name,
					 conf_addr_str(&rs->addr,
						       (char[64]){ 0 }, 64),
					 conns ? "timeout" : "no connections");
			} else {
				pending = true;
			}
		}
		free(d);
		if (any)
			vs_sync(vs);
	}
	if (pending)
		ltimer_start(lvsd.drain_timer, 1000000);
}

static void drain_kick(void)
{
	if (!lvsd.drain_timer)
		lvsd.drain_timer = ltimer_new(drain_poll, NULL);
	if (!ltimer_active(lvsd.drain_timer))
		ltimer_start(lvsd.drain_timer, 1000000);
}

static void rs_start_drain(struct rs_rt *rs, long long timeout)
{
	rs->admin = RS_DRAINING;
	rs->drained = timeout <= 0;
	rs->drain_deadline = loop_clock() + timeout;
	drain_kick();
}

void daemon_rs_drain(struct rs_rt *rs)
{
	rs_start_drain(rs, rs->conf ? rs->conf->r_drain_timeout : 0);
	rs_changed(rs);
}

void daemon_rs_remove(struct rs_rt *rs)
{
	for (size_t k = 0; k < rs->n_checks; k++) {
		check_rt_stop(rs->checks[k]);
		free(rs->checks[k]);
	}
	rs->n_checks = 0;
	rs->orphan = true;
	rs->healthy = false;
	rs->admin = RS_ENABLED;
	rs->drained = false;
	rs->conf = NULL;
	rs_changed(rs);
}

int daemon_rs_admin(struct rs_rt *rs, enum rs_admin a, char *msg,
		    size_t len)
{
	char who[64];

	if (rs->orphan) {
		snprintf(msg, len, "real server is leaving the configuration");
		return -1;
	}
	conf_addr_str(&rs->addr, who, sizeof(who));
	if (a == RS_DRAINING) {
		rs_start_drain(rs, rs->conf->r_drain_timeout);
	} else {
		rs->admin = a;
		rs->drained = false;
	}
	if (a == RS_ENABLED)
		for (size_t i = 0; i < rs->n_checks; i++)
			if (rs->checks[i]->hc.state != HC_UP &&
			    !rs->checks[i]->running)
				check_rt_start(rs->checks[i], true);
	lvsd_log("%s: real server %s %s by the operator", rs->vs->name, who,
		 a == RS_ENABLED ? "enabled" : a == RS_DISABLED ? "disabled" :
		 "draining");
	rs_changed(rs);
	snprintf(msg, len, "%s %s %s", rs->vs->name, who, rs_admin_name(a));
	return 0;
}

/* ---- lookup for the control socket ---- */

struct vs_rt *daemon_find_vs(const char *spec)
{
	for (size_t i = 0; i < lvsd.n_vss; i++) {
		const char *n = lvsd.vss[i]->name;
		const char *colon = strchr(n, ':');

		if (!strcmp(n, spec))
			return lvsd.vss[i];
		/* "10.0.0.1:80" names the tcp/udp/sctp service too. */
		if (lvsd.vss[i]->conf->kind == VS_ADDR && colon &&
		    !strcmp(colon + 1, spec))
			return lvsd.vss[i];
	}
	return NULL;
}

struct rs_rt *daemon_find_rs(struct vs_rt *vs, const char *spec)
{
	char buf[64];

	for (size_t i = 0; i < vs->n_rss; i++)
		if (!strcmp(conf_addr_str(&vs->rss[i]->addr, buf, sizeof(buf)),
			    spec))
			return vs->rss[i];
	return NULL;
}

/* ---- start, reload, stop ---- */

static void svc_apply(struct vs_rt *vs, const struct lvsc_service *s, int op)
{
	struct lvsc_err err = { 0 };
	int rc;

	if (op > 0) {
		rc = lvsd.bops->svc_add(lvsd.backend, s, &err);
		if (rc == -EEXIST)
			rc = lvsd.bops->svc_edit(lvsd.backend, s, &err);
	} else if (op == 0) {
		rc = lvsd.bops->svc_edit(lvsd.backend, s, &err);
	} else {
		rc = lvsd.bops->svc_del(lvsd.backend, s, &err);
		if (rc == -ENOENT)
			rc = 0;
	}
	if (rc)
		backend_failed(vs, op > 0 ? "add" : op ? "delete" : "edit",
			       NULL, &err);
}

static void start_checks(struct vs_rt *vs)
{
	for (size_t i = 0; i < vs->n_rss; i++)
		for (size_t j = 0; j < vs->rss[i]->n_checks; j++)
			if (!vs->rss[i]->checks[j]->timer)
				check_rt_start(vs->rss[i]->checks[j], false);
}

/*
 * lvs_timeouts, at start and at every reload that sets them (as vsadm
 * --set): on the backend's datapath, or a log line saying why not.
 */
static void apply_timeouts(const struct vs_set *c)
{
	struct lvsc_config cfg = {
		.tcp = (uint32_t)c->tmo_tcp,
		.tcp_fin = (uint32_t)c->tmo_tcpfin,
		.udp = (uint32_t)c->tmo_udp,
	};
	struct lvsc_err e = { 0 };

	if (!cfg.tcp && !cfg.tcp_fin && !cfg.udp)
		return;
	if (!lvsd.bops->config_set) {
		lvsd_log("lvs_timeouts: the %s backend has no timeouts; not "
			 "applied", lvsd.bops->name);
		return;
	}
	if (lvsd.bops->config_set(lvsd.backend, &cfg, &e)) {
		lvsd_log("lvs_timeouts: the %s backend refused them: %s",
			 lvsd.bops->name, e.msg[0] ? e.msg : strerror(-e.code));
		return;
	}
	lvsd_log("lvs_timeouts: tcp %u tcpfin %u udp %u (0: unchanged) set on "
		 "the %s backend", cfg.tcp, cfg.tcp_fin, cfg.udp,
		 lvsd.bops->name);
}

static int vs_start(const struct conf *conf, char *err, size_t len)
{
	const struct vs_set *c = vs_set(conf);

	resolve_script_id(&conf->g);
	apply_timeouts(c);
	lvsd.vss = rt_xcalloc((c->n_vss + 1) * sizeof(*lvsd.vss));
	if (c->lvs_flush) {
		struct lvsc_err err = { 0 };

		if (lvsd.bops->flush(lvsd.backend, &err))
			lvsd_log("lvs_flush: %s", err.msg[0] ? err.msg :
				 strerror(-err.code));
	}
	for (size_t i = 0; i < c->n_vss; i++) {
		struct vs_rt *vs = build_vs(c->vss[i]);

		lvsd.vss[lvsd.n_vss++] = vs;
		for (size_t j = 0; j < vs->n_svcs; j++)
			svc_apply(vs, &vs->svcs[j], 1);
		vs_sync(vs);
		start_checks(vs);
	}
	lvsd_log("started: %zu virtual servers, backend %s", lvsd.n_vss,
		 lvsd.bops->name);
	return 0;
}

static bool vs_same_key(const struct vs_conf *a, const struct vs_conf *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case VS_FWMARK:
		return a->fwmark == b->fwmark && a->fwmark_af == b->fwmark_af;
	case VS_GROUP:
		return !strcmp(a->group, b->group);
	default:
		return a->protocol == b->protocol &&
		       conf_addr_eq(&a->addr, &b->addr);
	}
}

static bool svc_differs(const struct lvsc_service *a,
			const struct lvsc_service *b)
{
	return strcmp(a->sched, b->sched) || a->flags != b->flags ||
	       a->timeout != b->timeout || a->netmask != b->netmask;
}

/* Services: delete the gone, add the new, edit the changed. */
static void migrate_services(struct vs_rt *ov, struct vs_rt *nv)
{
	for (size_t i = 0; i < ov->n_svcs; i++) {
		bool found = false;

		for (size_t j = 0; j < nv->n_svcs && !found; j++)
			found = backend_svc_same(&ov->svcs[i], &nv->svcs[j]);
		if (!found)
			svc_apply(ov, &ov->svcs[i], -1);
	}
	for (size_t j = 0; j < nv->n_svcs; j++) {
		const struct lvsc_service *old = NULL;
		struct vs_rt one = *nv;

		for (size_t i = 0; i < ov->n_svcs && !old; i++)
			if (backend_svc_same(&ov->svcs[i], &nv->svcs[j]))
				old = &ov->svcs[i];
		if (old) {
			if (svc_differs(old, &nv->svcs[j]))
				svc_apply(nv, &nv->svcs[j], 0);
			continue;
		}
		svc_apply(nv, &nv->svcs[j], 1);
		/* A new group member gets every destination already out. */
		one.svcs = &nv->svcs[j];
		one.n_svcs = 1;
		for (size_t k = 0; k < ov->n_rss; k++)
			if (ov->rss[k]->in_be)
				dest_apply(&one, &ov->rss[k]->be, 1);
		if (ov->sorry_in)
			dest_apply(&one, &ov->sorry_be, 1);
	}
}

/* ORS left the configuration: it moves to NV to be drained, then deleted. */
static void adopt_orphan(struct rs_rt *ors, struct vs_rt *nv)
{
	for (size_t k = 0; k < ors->n_checks; k++) {
		check_rt_stop(ors->checks[k]);
		free(ors->checks[k]);
	}
	ors->n_checks = 0;
	if (!ors->orphan)
		rs_start_drain(ors, ors->conf ? ors->conf->r_drain_timeout : 0);
	ors->orphan = true;
	ors->conf = NULL;
	ors->vs = nv;
	ors->counted = 0;	/* not in nv's live weight */
	nv->rss = realloc(nv->rss, (nv->n_rss + 1) * sizeof(*nv->rss));
	if (!nv->rss)
		abort();
	nv->rss[nv->n_rss++] = ors;
}

/*
 * Checks keep their state when their position, type and target are the
 * same; those that were failing are probed again at once, the others keep
 * their schedule.
 */
static void migrate_checks(struct rs_rt *ors, struct rs_rt *nrs)
{
	for (size_t k = 0; k < nrs->n_checks && k < ors->n_checks; k++) {
		struct check_rt *nc = nrs->checks[k], *oc = ors->checks[k];
		struct hc_params p;

		if (oc->conf->ops != nc->conf->ops ||
		    !conf_addr_eq(&oc->conf->r_target, &nc->conf->r_target))
			continue;
		hc_params_of(nc->conf, &p);
		nc->hc = oc->hc;
		hc_set_params(&nc->hc, &p);
		nc->dyn_weight = oc->dyn_weight;
		nc->last = oc->last;
		nc->have_last = oc->have_last;
		memcpy(nc->why, oc->why, sizeof(nc->why));
		nc->last_duration = oc->last_duration;
		check_rt_start(nc, oc->hc.state != HC_UP);
		if (!oc->running && oc->hc.state == HC_UP && oc->timer &&
		    ltimer_active(oc->timer) && oc->planned > loop_now()) {
			nc->planned = oc->planned;
			ltimer_start(nc->timer, oc->planned - loop_now());
		}
	}
}

/* Move what the old virtual server knew into its successor NV. */
static void migrate_vs(struct vs_rt *ov, struct vs_rt *nv)
{
	size_t keep = 0;

	migrate_services(ov, nv);
	nv->sorry_in = ov->sorry_in;
	nv->sorry_be = ov->sorry_be;
	nv->q = ov->q;
	nv->sorry_active = ov->sorry_active;
	for (size_t i = 0; i < ov->n_rss; i++) {
		struct rs_rt *ors = ov->rss[i], *nrs = NULL;

		for (size_t j = 0; j < nv->n_rss && !nrs; j++)
			if (conf_addr_eq(&nv->rss[j]->addr, &ors->addr))
				nrs = nv->rss[j];
		if (!nrs) {
			adopt_orphan(ors, nv);
			continue;
		}
		nrs->in_be = ors->in_be;
		nrs->be = ors->be;
		if (ors->orphan)	/* back in the file: a fresh start */
			continue;
		nrs->admin = ors->admin;
		nrs->drained = ors->drained;
		nrs->drain_deadline = ors->drain_deadline;
		nrs->changed_at = ors->changed_at;
		nrs->healthy = ors->healthy;
		migrate_checks(ors, nrs);
	}
	/* What moved to NV is no longer OV's to free. */
	for (size_t i = 0; i < ov->n_rss; i++)
		if (ov->rss[i]->vs == ov)
			ov->rss[keep++] = ov->rss[i];
	ov->n_rss = keep;
}

/* The host applies CONF only when it has no error. */
static void vs_reload(const struct conf *old, const struct conf *conf)
{
	const struct vs_set *nc = vs_set(conf);
	struct vs_rt **nvss;
	size_t n = 0;

	apply_timeouts(nc);
	nvss = rt_xcalloc((nc->n_vss + 1) * sizeof(*nvss));
	for (size_t i = 0; i < nc->n_vss; i++) {
		struct vs_rt *nv = build_vs(nc->vss[i]), *ov = NULL;

		for (size_t j = 0; j < lvsd.n_vss && !ov; j++)
			if (lvsd.vss[j] &&
			    vs_same_key(lvsd.vss[j]->conf, nc->vss[i]))
				ov = lvsd.vss[j];
		nvss[n++] = nv;
		if (ov) {
			migrate_vs(ov, nv);
			for (size_t j = 0; j < lvsd.n_vss; j++)
				if (lvsd.vss[j] == ov)
					lvsd.vss[j] = NULL;
			vs_free(ov);
		} else {
			for (size_t j = 0; j < nv->n_svcs; j++)
				svc_apply(nv, &nv->svcs[j], 1);
		}
	}
	/* Virtual servers gone from the file. */
	for (size_t j = 0; j < lvsd.n_vss; j++) {
		struct vs_rt *ov = lvsd.vss[j];

		if (!ov)
			continue;
		for (size_t k = 0; k < ov->n_svcs; k++)
			svc_apply(ov, &ov->svcs[k], -1);
		vs_free(ov);
	}
	free(lvsd.vss);
	lvsd.vss = nvss;
	lvsd.n_vss = n;
	resolve_script_id(&conf->g);
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < nvss[i]->n_rss; j++) {
			struct rs_rt *rs = nvss[i]->rss[j];
			bool healthy = true;

			for (size_t k = 0; k < rs->n_checks; k++)
				healthy &= rs->checks[k]->hc.state == HC_UP;
			if (!rs->orphan)
				rs->healthy = healthy;
		}
		vs_sync(nvss[i]);
		start_checks(nvss[i]);
	}
	lvsd_log("reloaded: %zu virtual servers", n);
}

static void vs_stop(void)
{
	for (size_t i = 0; i < lvsd.n_vss; i++) {
		struct vs_rt *vs = lvsd.vss[i];

		/*
		 * omega, as keepalived: the down notifiers of live real
		 * servers, then quorum_down, which keepalived runs at
		 * shutdown whether or not the quorum was already lost.
		 */
		quorum_stop(&vs->q);
		if (vs->conf->omega) {
			for (size_t j = 0; j < vs->n_rss; j++)
				if (vs->rss[j]->conf && vs->rss[j]->healthy)
					run_script(&vs->rss[j]->conf->notify_down,
						   "notify_down");
			run_script(&vs->conf->quorum_down, "quorum_down");
		}
		/* As keepalived: the services lvsd made leave with it. */
		for (size_t j = 0; j < vs->n_svcs; j++)
			svc_apply(vs, &vs->svcs[j], -1);
		vs_free(vs);
	}
	free(lvsd.vss);
	lvsd.vss = NULL;
	lvsd.n_vss = 0;
	ltimer_free(lvsd.drain_timer);
	lvsd.drain_timer = NULL;
}

/* Today's daemon: the first subsystem of the host (subsys.h). */
static const struct subsys vs_subsys = {
	.name		= VS_SUBSYS_NAME,
	VS_SUBSYS_CONF,
	.start		= vs_start,
	.reload		= vs_reload,
	.stop		= vs_stop,
	.cmds		= vs_ctl_cmds,
	.metrics	= vs_metrics,
};

SUBSYS_REGISTER(vs_subsys)
