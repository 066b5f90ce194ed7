// SPDX-License-Identifier: GPL-2.0
/*
 * vrrp_sub.c - lvsd's VRRP subsystem: runs the vrrp_instance blocks of
 * the configuration (vrrp/instance.h) on lvsd's loop, with what keepalived
 * puts around them: tracked interfaces (rtnetlink link events) and
 * vrrp_scripts (run every interval, rise/fall, weight or FAULT), the
 * effective priority they give, sync groups that move their members
 * together, and notify scripts on every change of state.
 *
 * Priority, as keepalived: a tracked object with weight W > 0 adds W while
 * it is up (or, "reverse", while down); W < 0 adds W while it is down (or
 * up); without a weight a failed object puts the instance in FAULT, as
 * does its own interface going down.  The result is kept within 1..254;
 * an owner (priority 255) keeps 255.
 */
#include <errno.h>
#include <libmnl/libmnl.h>
#include <signal.h>
#include <stdarg.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "instance.h"
#include "loop.h"
#include "vrrp_conf.h"
#include "vrrp_sub.h"

struct script_rt {
	const struct vrrp_script_conf *conf;
	struct ltimer	*timer;		/* next run */
	struct ltimer	*deadline;	/* this run's timeout */
	pid_t		pid;
	struct lchild	*child;
	int		rise, fall;	/* consecutive results so far */
	bool		ok;
	uint64_t	runs, failures;
};

struct inst_rt {
	const struct vrrp_inst_cfg *conf;
	struct vrrp_inst *vi;
	struct group_rt	*group;
	int		ifindex;
	bool		own_fault;	/* tracked objects or its interface */
	int		started;	/* 0 not yet, 1 running */
	char		why[VRRP_ERRLEN];	/* the last start failure */
};

struct group_rt {
	const struct vrrp_group_cfg *conf;
	struct inst_rt	**members;
	size_t		n;
	enum vrrp_state	state;
	bool		moving;		/* forcing members: no recursion */
};

static struct {
	struct vrrp_cfg		*cfg;
	struct vrrp_nl		*nl;
	struct mnl_socket	*links;		/* RTNLGRP_LINK events */
	struct lio		*links_io;
	struct inst_rt		*insts;
	size_t			n_insts;
	struct group_rt		*groups;
	size_t			n_groups;
	struct script_rt	*scripts;
	size_t			n_scripts;
	const struct vrrp_sub_host *host;
} V;

static void logf_(int level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void logf_(int level, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (level <= LOG_INFO || getenv("LVSD_DEBUG"))
		V.host->log(msg);
}

/* ---- tracked objects ---- */

static bool if_up(const char *name)
{
	struct ifreq ifr = { 0 };
	bool up = false;
	int fd;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return false;
	if (!ioctl(fd, SIOCGIFFLAGS, &ifr))
		up = (ifr.ifr_flags & (IFF_UP | IFF_RUNNING)) ==
		     (IFF_UP | IFF_RUNNING);
	close(fd);
	return up;
}

static const struct script_rt *find_script(const char *name)
{
	size_t i;

	for (i = 0; i < V.n_scripts; i++)
		if (!strcmp(V.scripts[i].conf->name, name))
			return &V.scripts[i];
	return NULL;
}

/*
 * One tracked object's part: adds to *PRIO, or sets *FAULT.  WEIGHT is
 * CONF_UNSET or 0 for "fault when down".
 */
static void track_one(bool up, long long weight, bool reverse, int *prio,
		      bool *fault)
{
	if (weight == CONF_UNSET || weight == 0) {
		if (!up)
			*fault = true;
		return;
	}
	if (reverse)
		up = !up;
	if (weight > 0 && up)
		*prio += (int)weight;
	else if (weight < 0 && !up)
		*prio += (int)weight;
}

static void track_list(const struct vrrp_track *t, size_t n, bool scripts,
		       int *prio, bool *fault)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (scripts) {
			const struct script_rt *s = find_script(t[i].name);
			long long w;

			if (!s)
				continue;
			w = t[i].weight != CONF_UNSET ? t[i].weight :
							s->conf->weight;
			track_one(s->ok, w, t[i].weight != CONF_UNSET ?
				  t[i].reverse : s->conf->weight_reverse,
				  prio, fault);
		} else {
			track_one(if_up(t[i].name), t[i].weight, t[i].reverse,
				  prio, fault);
		}
	}
}

/* Recomputes one instance's fault and priority and tells it. */
static void evaluate(struct inst_rt *ir)
{
	const struct vrrp_inst_cfg *c = ir->conf;
	int prio = (int)c->prio;
	bool fault = false, group_fault = false;
	size_t i;

	if (!ir->vi)
		return;
	if (!ir->ifindex || !if_up(c->ifname))
		fault = true;
	track_list(c->track_ifs, c->n_track_ifs, false, &prio, &fault);
	track_list(c->track_scripts, c->n_track_scripts, true, &prio, &fault);
	if (ir->group) {
		const struct vrrp_group_cfg *g = ir->group->conf;

		track_list(g->track_ifs, g->n_track_ifs, false, &prio, &fault);
		track_list(g->track_scripts, g->n_track_scripts, true, &prio,
			   &fault);
	}
	ir->own_fault = fault;
	/* A sync group is in FAULT while any member is. */
	if (ir->group)
		for (i = 0; i < ir->group->n; i++)
			group_fault |= ir->group->members[i]->own_fault;
	if (c->prio != VRRP_PRIO_OWNER) {
		if (prio < 1)
			prio = 1;
		if (prio > 254)
			prio = 254;
		vrrp_inst_set_prio(ir->vi, (uint8_t)prio);
	}
	vrrp_inst_fault(ir->vi, fault || group_fault);
}

static void evaluate_all(void)
{
	size_t i;

	/* Twice: a group member's fault reaches members evaluated before. */
	for (i = 0; i < V.n_insts; i++)
		evaluate(&V.insts[i]);
	for (i = 0; i < V.n_insts; i++)
		if (V.insts[i].group)
			evaluate(&V.insts[i]);
}

/* ---- scripts ---- */

static void script_schedule(struct script_rt *s, int64_t after)
{
	ltimer_start(s->timer, after);
}

static void script_result(struct script_rt *s, bool ok)
{
	const struct vrrp_script_conf *c = s->conf;
	bool was = s->ok;

	s->runs++;
	if (ok) {
		s->fall = 0;
		if (!s->ok && ++s->rise >= c->rise)
			s->ok = true;
	} else {
		s->failures++;
		s->rise = 0;
		if (s->ok && ++s->fall >= c->fall)
			s->ok = false;
	}
	if (was != s->ok) {
		logf_(LOG_INFO, "VRRP_Script(%s) %s", c->name,
		      s->ok ? "succeeded" : "failed");
		evaluate_all();
	}
}

static void script_exited(struct lchild *ch, pid_t pid, int status, void *arg)
{
	struct script_rt *s = arg;

	s->child = NULL;
	s->pid = 0;
	ltimer_stop(s->deadline);
	script_result(s, WIFEXITED(status) && WEXITSTATUS(status) == 0);
	script_schedule(s, s->conf->interval);
}

static void script_timeout(struct ltimer *t, void *arg)
{
	struct script_rt *s = arg;

	if (!s->pid)
		return;
	logf_(LOG_WARNING, "VRRP_Script(%s) timed out", s->conf->name);
	/* Its process group: the script and whatever it started. */
	kill(-s->pid, SIGKILL);
	/* script_exited() follows with the killed status: a failure. */
}

static void script_run(struct ltimer *t, void *arg)
{
	struct script_rt *s = arg;
	pid_t pid;

	if (s->pid)
		return;
	pid = V.host->spawn(&s->conf->script, "vrrp_script", NULL);
	if (pid < 0) {
		script_result(s, false);
		script_schedule(s, s->conf->interval);
		return;
	}
	s->pid = pid;
	s->child = lchild_watch(pid, script_exited, s);
	ltimer_start(s->deadline, s->conf->timeout != CONF_UNSET ?
			       s->conf->timeout : s->conf->interval);
}

/* ---- notify scripts and sync groups ---- */

static const char *state_word(enum vrrp_state s)
{
	return s == VRRP_INIT ? "STOP" : vrrp_state_name(s);
}

static void notify(const char *kind, const char *name, enum vrrp_state to,
		   int prio, const struct conf_script *master,
		   const struct conf_script *backup,
		   const struct conf_script *fault,
		   const struct conf_script *stop,
		   const struct conf_script *generic)
{
	const struct conf_script *s = NULL;
	char prio_s[8];
	const char *extra[5];

	switch (to) {
	case VRRP_MASTER: s = master; break;
	case VRRP_BACKUP: s = backup; break;
	case VRRP_FAULT: s = fault; break;
	case VRRP_INIT: s = stop; break;
	}
	if (s && s->argv)
		V.host->spawn(s, "notify", NULL);
	if (generic && generic->argv) {
		/* keepalived's "notify": TYPE NAME STATE PRIORITY appended. */
		snprintf(prio_s, sizeof(prio_s), "%d", prio);
		extra[0] = kind;
		extra[1] = name;
		extra[2] = state_word(to);
		extra[3] = prio_s;
		extra[4] = NULL;
		V.host->spawn(generic, "notify", extra);
	}
}

static void group_moved(struct group_rt *g, struct inst_rt *from,
			enum vrrp_state to)
{
	const struct vrrp_group_cfg *c = g->conf;
	size_t i;

	if (g->moving)
		return;
	/* Members follow one that became MASTER or went back to BACKUP;
	 * FAULT reaches them through evaluate(). */
	if (to == VRRP_MASTER || to == VRRP_BACKUP) {
		g->moving = true;
		for (i = 0; i < g->n; i++)
			if (g->members[i] != from && g->members[i]->vi)
				vrrp_inst_force(g->members[i]->vi, to);
		g->moving = false;
	}
	if (g->state == to)
		return;
	g->state = to;
	logf_(LOG_INFO, "VRRP_Group(%s) Syncing instances to %s state",
	      c->name, vrrp_state_name(to));
	notify("GROUP", c->name, to, 0, &c->notify_master, &c->notify_backup,
	       &c->notify_fault, &c->notify_stop, &c->notify);
}

static void inst_changed(struct vrrp_inst *vi, enum vrrp_state from,
			 enum vrrp_state to, void *arg)
{
	struct inst_rt *ir = arg;
	const struct vrrp_inst_cfg *c = ir->conf;

	logf_(LOG_INFO, "(%s) Entering %s STATE", c->name,
	      to == VRRP_INIT ? "STOP" : vrrp_state_name(to));
	notify("INSTANCE", c->name, to, vrrp_inst_prio(vi),
	       &c->notify_master, &c->notify_backup, &c->notify_fault,
	       &c->notify_stop, &c->notify);
	if (ir->group)
		group_moved(ir->group, ir, to);
	if (V.host->state_changed)
		V.host->state_changed(c->name, from, to);
}

static void inst_log(struct vrrp_inst *vi, int level, const char *msg,
		     void *arg)
{
	struct inst_rt *ir = arg;

	logf_(level, "(%s) %s", ir->conf->name, msg);
}

static const struct vrrp_inst_ops inst_ops = {
	.state_changed = inst_changed,
	.log = inst_log,
};

/* ---- building instances from the configuration ---- */

static void to_vaddr(const struct conf_addr *a, union vrrp_addr *v)
{
	memset(v, 0, sizeof(*v));
	memcpy(v, &a->u, a->af == AF_INET6 ? 16 : 4);
}

static int inst_conf(const struct vrrp_inst_cfg *c, int ifindex,
		     struct vrrp_inst_conf *ic, char *err, size_t errlen)
{
	size_t i;

	memset(ic, 0, sizeof(*ic));
	snprintf(ic->name, sizeof(ic->name), "%s", c->name);
	ic->ifindex = ifindex;
	ic->family = AF_INET;
	for (i = 0; i < c->n_vips; i++)
		if (c->vips[i].addr.af == AF_INET6)
			ic->family = AF_INET6;
	if (c->n_vips && c->vips[0].addr.af)
		ic->family = c->vips[0].addr.af;
	ic->vrid = (uint8_t)c->vrid;
	ic->fsm.version = (uint8_t)c->version;
	ic->fsm.base_prio = (uint8_t)c->prio;
	ic->fsm.interval = (uint16_t)(c->advert_int / 10000);
	ic->fsm.preempt = !c->nopreempt;
	ic->fsm.preempt_delay = c->preempt_delay;
	if (ic->fsm.version == 3 && ic->fsm.interval > VRRP_V3_MAX_INT) {
		snprintf(err, errlen, "(%s) advert_int above 40.95 s for "
			 "VRRP version 3", c->name);
		return -EINVAL;
	}
	ic->auth_type = (uint8_t)c->auth_type;
	memcpy(ic->auth_pass, c->auth_pass, sizeof(ic->auth_pass));
	ic->v3_checksum_as_v2 = V.cfg->v3_checksum_as_v2;
	to_vaddr(ic->family == AF_INET ? &V.cfg->mcast4 : &V.cfg->mcast6,
		 &ic->group);
	if (c->unicast_src.af) {
		ic->has_src = true;
		to_vaddr(&c->unicast_src, &ic->src);
	}
	ic->garp_repeat = (int)c->garp_master_repeat;
	ic->garp_delay = c->garp_master_delay;
	ic->npeers = c->n_peers;
	ic->peers = calloc(c->n_peers ? c->n_peers : 1, sizeof(*ic->peers));
	ic->vips = calloc(c->n_vips ? c->n_vips : 1, sizeof(*ic->vips));
	ic->routes = calloc(c->n_routes ? c->n_routes : 1,
			    sizeof(*ic->routes));
	if (!ic->peers || !ic->vips || !ic->routes)
		return -ENOMEM;
	for (i = 0; i < c->n_peers; i++)
		to_vaddr(&c->peers[i], &ic->peers[i]);
	for (i = 0; i < c->n_vips; i++) {
		const struct vrrp_ip_conf *v = &c->vips[i];
		struct vrrp_vip *o = &ic->vips[ic->nvips];

		o->family = v->addr.af;
		to_vaddr(&v->addr, &o->addr);
		o->plen = (uint8_t)v->plen;
		o->scope = (uint8_t)v->scope;
		/* 0 when its interface is not there: listed, not set. */
		o->ifindex = v->dev ? (int)if_nametoindex(v->dev) : ifindex;
		if (v->label)
			snprintf(o->label, sizeof(o->label), "%s", v->label);
		ic->nvips++;
	}
	for (i = 0; i < c->n_routes; i++) {
		const struct vrrp_route_conf *r = &c->routes[i];
		struct vrrp_route *o = &ic->routes[ic->nroutes++];

		o->family = r->dst.af;
		to_vaddr(&r->dst, &o->dst);
		o->plen = (uint8_t)r->plen;
		if (r->gw.af) {
			o->has_gw = true;
			to_vaddr(&r->gw, &o->gw);
		}
		o->ifindex = r->dev ? (int)if_nametoindex(r->dev) :
				      (r->gw.af ? 0 : ifindex);
		o->table = (uint32_t)r->table;
		o->metric = (uint32_t)r->metric;
		o->scope = (uint8_t)(r->scope ? r->scope :
				     r->gw.af ? RT_SCOPE_UNIVERSE :
						RT_SCOPE_LINK);
	}
	return 0;
}

static void inst_conf_free(struct vrrp_inst_conf *ic)
{
	free(ic->peers);
	free(ic->vips);
	free(ic->routes);
}

/* Starts IR if its interface is there; a missing one leaves it waiting
 * (in FAULT, as keepalived) until a link event brings the interface. */
static void inst_try_start(struct inst_rt *ir)
{
	const struct vrrp_inst_cfg *c = ir->conf;
	struct vrrp_inst_conf ic;
	char err[VRRP_ERRLEN] = "";

	if (ir->vi)
		return;
	ir->ifindex = c->ifname ? (int)if_nametoindex(c->ifname) : 0;
	if (!ir->ifindex) {
		if (strcmp(ir->why, "no interface"))
			logf_(LOG_WARNING, "(%s) interface %s is not there: "
			      "FAULT until it is", c->name,
			      c->ifname ? c->ifname : "(none)");
		snprintf(ir->why, sizeof(ir->why), "no interface");
		return;
	}
	if (inst_conf(c, ir->ifindex, &ic, err, sizeof(err)) == 0) {
		ir->vi = vrrp_inst_new(&ic, V.nl, &inst_ops, ir, err,
				       sizeof(err));
		if (ir->vi) {
			/* Tracked state first, so a fault starts in FAULT. */
			evaluate(ir);
			if (vrrp_inst_start(ir->vi, err, sizeof(err))) {
				vrrp_inst_free(ir->vi);
				ir->vi = NULL;
			}
		}
	}
	inst_conf_free(&ic);
	if (!ir->vi) {
		logf_(LOG_ERR, "(%s) cannot start: %s", c->name, err);
		snprintf(ir->why, sizeof(ir->why), "%s", err);
		return;
	}
	ir->why[0] = '\0';
	evaluate_all();
}

/* ---- static_ipaddress and static_routes ---- */

static bool same_vip(const struct vrrp_ip_conf *a, const struct vrrp_ip_conf *b)
{
	return a->addr.af == b->addr.af && a->plen == b->plen &&
	       !memcmp(&a->addr.u, &b->addr.u, sizeof(a->addr.u)) &&
	       !strcmp(a->dev ? a->dev : "", b->dev ? b->dev : "");
}

static bool same_route(const struct vrrp_route_conf *a,
		       const struct vrrp_route_conf *b)
{
	return a->dst.af == b->dst.af && a->plen == b->plen &&
	       !memcmp(&a->dst.u, &b->dst.u, sizeof(a->dst.u)) &&
	       a->table == b->table && a->metric == b->metric;
}

/*
 * Adds what NEW holds and OLD did not (OLD NULL: everything), or with
 * ADD false deletes what OLD held and NEW does not (NEW NULL: all).
 * keepalived holds these for as long as it runs, whatever the state.
 */
static void statics_apply(const struct vrrp_cfg *from,
			  const struct vrrp_cfg *not_in, bool add)
{
	const struct vrrp_inst_cfg *c = &from->statics;
	const struct vrrp_inst_cfg *o = not_in && not_in->has_statics ?
					&not_in->statics : NULL;
	struct vrrp_inst_conf ic;
	char err[VRRP_ERRLEN];
	size_t i, j;

	if (!from->has_statics ||
	    inst_conf(c, 0, &ic, err, sizeof(err)) != 0) {
		if (from->has_statics)
			logf_(LOG_ERR, "static addresses: %s", err);
		return;
	}
	for (i = 0; i < ic.nvips; i++) {
		bool kept = false;

		for (j = 0; o && j < o->n_vips; j++)
			kept |= same_vip(&c->vips[i], &o->vips[j]);
		if (!kept && vrrp_vip_set(V.nl, &ic.vips[i], add, err,
					  sizeof(err)))
			logf_(LOG_ERR, "static_ipaddress: %s", err);
	}
	for (i = 0; i < c->n_routes; i++) {
		bool kept = false;

		for (j = 0; o && j < o->n_routes; j++)
			kept |= same_route(&c->routes[i], &o->routes[j]);
		if (!kept && vrrp_route_set(V.nl, &ic.routes[i], add, err,
					    sizeof(err)))
			logf_(LOG_ERR, "static_routes: %s", err);
	}
	inst_conf_free(&ic);
}

/* ---- link events ---- */

static void links_readable(struct lio *io, int fd, int events, void *arg)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	size_t i;
	int n, loops = 0;

	/* Drain what is there; the message contents do not matter, the
	 * flags are read again for every tracked interface. */
	while (loops++ < 64) {
		n = (int)recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n <= 0)
			break;
	}
	for (i = 0; i < V.n_insts; i++)
		inst_try_start(&V.insts[i]);
	evaluate_all();
}

static int links_open(char *err, size_t errlen)
{
	V.links = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!V.links ||
	    mnl_socket_bind(V.links, 1 << (RTNLGRP_LINK - 1),
			    MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "link events: %s", strerror(errno));
		return -errno;
	}
	V.links_io = lio_new(mnl_socket_get_fd(V.links), LOOP_READ,
			     links_readable, NULL);
	return V.links_io ? 0 : -ENOMEM;
}

/* ---- the subsystem ---- */

/* The running objects for CFG, without starting any instance. */
static int build(struct vrrp_cfg *cfg)
{
	size_t i, j;

	V.cfg = cfg;
	V.scripts = calloc(cfg->n_scripts + 1, sizeof(*V.scripts));
	V.insts = calloc(cfg->n_insts + 1, sizeof(*V.insts));
	V.groups = calloc(cfg->n_groups + 1, sizeof(*V.groups));
	if (!V.scripts || !V.insts || !V.groups)
		return -ENOMEM;
	for (i = 0; i < cfg->n_scripts; i++) {
		struct script_rt *s = &V.scripts[V.n_scripts];

		if (!cfg->scripts[i]->used || !cfg->scripts[i]->script.argv)
			continue;
		s->conf = cfg->scripts[i];
		/* keepalived: a script starts failed with init_fail, else
		 * up; the first results move it with rise/fall. */
		s->ok = !s->conf->init_fail;
		s->timer = ltimer_new(script_run, s);
		s->deadline = ltimer_new(script_timeout, s);
		if (!s->timer || !s->deadline)
			return -ENOMEM;
		V.n_scripts++;
	}
	for (i = 0; i < cfg->n_groups; i++) {
		struct group_rt *g = &V.groups[V.n_groups++];

		g->conf = cfg->groups[i];
		g->members = calloc(g->conf->n_insts + 1, sizeof(*g->members));
		if (!g->members)
			return -ENOMEM;
	}
	for (i = 0; i < cfg->n_insts; i++) {
		struct inst_rt *ir = &V.insts[V.n_insts++];

		ir->conf = cfg->insts[i];
		for (j = 0; j < V.n_groups; j++)
			if (cfg->insts[i]->group == V.groups[j].conf) {
				ir->group = &V.groups[j];
				ir->group->members[ir->group->n++] = ir;
			}
	}
	return 0;
}

static void start_all(void)
{
	size_t i;

	for (i = 0; i < V.n_scripts; i++)
		if (!ltimer_active(V.scripts[i].timer) && !V.scripts[i].pid)
			script_schedule(&V.scripts[i], 0);
	for (i = 0; i < V.n_insts; i++)
		inst_try_start(&V.insts[i]);
	evaluate_all();
}

int vrrp_sub_start(struct vrrp_cfg *cfg, const struct vrrp_sub_host *host,
		   char *err, size_t errlen)
{
	V.cfg = cfg;
	V.host = host;
	V.nl = vrrp_nl_open(err, errlen);
	if (!V.nl || links_open(err, errlen))
		goto fail;
	if (build(cfg)) {
		snprintf(err, errlen, "VRRP: %s", strerror(ENOMEM));
		goto fail;
	}
	statics_apply(cfg, NULL, true);
	start_all();
	return 0;
fail:
	vrrp_sub_stop();
	return -1;
}

static bool same_conf(const struct vrrp_inst_conf *a,
		      const struct vrrp_inst_conf *b)
{
	return !strcmp(a->name, b->name) && a->family == b->family &&
	       a->ifindex == b->ifindex && a->vrid == b->vrid &&
	       a->fsm.version == b->fsm.version &&
	       a->fsm.base_prio == b->fsm.base_prio &&
	       a->fsm.interval == b->fsm.interval &&
	       a->fsm.preempt == b->fsm.preempt &&
	       a->fsm.preempt_delay == b->fsm.preempt_delay &&
	       a->auth_type == b->auth_type &&
	       !memcmp(a->auth_pass, b->auth_pass, sizeof(a->auth_pass)) &&
	       a->v3_checksum_as_v2 == b->v3_checksum_as_v2 &&
	       !memcmp(&a->group, &b->group, sizeof(a->group)) &&
	       a->has_src == b->has_src &&
	       !memcmp(&a->src, &b->src, sizeof(a->src)) &&
	       a->garp_repeat == b->garp_repeat &&
	       a->garp_delay == b->garp_delay &&
	       a->npeers == b->npeers && a->nvips == b->nvips &&
	       a->nroutes == b->nroutes &&
	       (!a->npeers || !memcmp(a->peers, b->peers,
				      a->npeers * sizeof(*a->peers))) &&
	       (!a->nvips || !memcmp(a->vips, b->vips,
				     a->nvips * sizeof(*a->vips))) &&
	       (!a->nroutes || !memcmp(a->routes, b->routes,
				       a->nroutes * sizeof(*a->routes)));
}

/* Hands OLD's running instance to IR when nothing it runs on changed. */
static void adopt(struct inst_rt *ir, struct inst_rt *old)
{
	struct vrrp_inst_conf ic;
	char err[VRRP_ERRLEN];

	if (inst_conf(ir->conf, old->ifindex, &ic, err, sizeof(err)) == 0 &&
	    same_conf(&ic, vrrp_inst_conf(old->vi))) {
		ir->vi = old->vi;
		ir->ifindex = old->ifindex;
		old->vi = NULL;
		vrrp_inst_set_owner(ir->vi, &inst_ops, ir);
	}
	inst_conf_free(&ic);
}

int vrrp_sub_reload(struct vrrp_cfg *new, char *err, size_t errlen)
{
	typeof(V) old = V;
	size_t i, j;

	memset(&V, 0, sizeof(V));
	V.host = old.host;
	V.nl = old.nl;
	V.links = old.links;
	V.links_io = old.links_io;
	if (build(new)) {
		snprintf(err, errlen, "VRRP: %s", strerror(ENOMEM));
		return -1;
	}
	statics_apply(new, old.cfg, true);
	statics_apply(old.cfg, new, false);
	/* Scripts keep their results, instances their state. */
	for (i = 0; i < V.n_scripts; i++)
		for (j = 0; j < old.n_scripts; j++)
			if (!strcmp(V.scripts[i].conf->name,
				    old.scripts[j].conf->name)) {
				V.scripts[i].ok = old.scripts[j].ok;
				V.scripts[i].rise = old.scripts[j].rise;
				V.scripts[i].fall = old.scripts[j].fall;
			}
	for (i = 0; i < V.n_insts; i++)
		for (j = 0; j < old.n_insts; j++)
			if (old.insts[j].vi &&
			    !strcmp(V.insts[i].conf->name,
				    old.insts[j].conf->name))
				adopt(&V.insts[i], &old.insts[j]);
	for (j = 0; j < old.n_insts; j++)
		if (old.insts[j].vi) {
			vrrp_inst_stop(old.insts[j].vi);
			vrrp_inst_free(old.insts[j].vi);
		}
	for (j = 0; j < old.n_scripts; j++) {
		if (old.scripts[j].pid) {
			kill(-old.scripts[j].pid, SIGKILL);
			lchild_cancel(old.scripts[j].child);
		}
		ltimer_free(old.scripts[j].timer);
		ltimer_free(old.scripts[j].deadline);
	}
	for (j = 0; j < old.n_groups; j++)
		free(old.groups[j].members);
	free(old.insts);
	free(old.groups);
	free(old.scripts);
	start_all();
	return 0;
}

void vrrp_sub_stop(void)
{
	size_t i;

	if (V.cfg && V.nl)
		statics_apply(V.cfg, NULL, false);
	for (i = 0; i < V.n_insts; i++)
		if (V.insts[i].vi) {
			vrrp_inst_stop(V.insts[i].vi);
			vrrp_inst_free(V.insts[i].vi);
		}
	for (i = 0; i < V.n_scripts; i++) {
		if (V.scripts[i].pid) {
			kill(-V.scripts[i].pid, SIGKILL);
			lchild_cancel(V.scripts[i].child);
		}
		ltimer_free(V.scripts[i].timer);
		ltimer_free(V.scripts[i].deadline);
	}
	for (i = 0; i < V.n_groups; i++)
		free(V.groups[i].members);
	if (V.links_io)
		lio_free(V.links_io);
	if (V.links)
		mnl_socket_close(V.links);
	vrrp_nl_close(V.nl);
	free(V.insts);
	free(V.groups);
	free(V.scripts);
	memset(&V, 0, sizeof(V));
}

void vrrp_sub_show(FILE *out, bool json)
{
	size_t i;

	if (json)
		fputc('[', out);
	for (i = 0; i < V.n_insts; i++) {
		const struct inst_rt *ir = &V.insts[i];
		const struct vrrp_inst_cfg *c = ir->conf;
		enum vrrp_state st = ir->vi ? vrrp_inst_state(ir->vi) :
					      VRRP_FAULT;
		const struct vrrp_inst_stats *s =
			ir->vi ? vrrp_inst_stats(ir->vi) : NULL;

		if (json)
			fprintf(out, "%s{\"name\":\"%s\",\"interface\":\"%s\","
				"\"vrid\":%lld,\"state\":\"%s\","
				"\"priority\":%d,\"base_priority\":%lld,"
				"\"adverts_sent\":%llu,"
				"\"adverts_received\":%llu}",
				i ? "," : "", c->name,
				c->ifname ? c->ifname : "", c->vrid,
				vrrp_state_name(st),
				ir->vi ? vrrp_inst_prio(ir->vi) : 0, c->prio,
				s ? (unsigned long long)s->adverts_sent : 0,
				s ? (unsigned long long)s->adverts_rcvd : 0);
		else
			fprintf(out, "%s %s vrid %lld %s priority %d%s%s\n",
				c->name, c->ifname ? c->ifname : "-", c->vrid,
				vrrp_state_name(st),
				ir->vi ? vrrp_inst_prio(ir->vi) : 0,
				ir->why[0] ? " - " : "", ir->why);
	}
	if (json)
		fputs("]\n", out);
}

void vrrp_sub_metrics(FILE *out)
{
	size_t i;

	if (!V.n_insts)
		return;
	fputs("# HELP lvsd_vrrp_state VRRP state: 0 init, 1 backup, "
	      "2 master, 3 fault.\n# TYPE lvsd_vrrp_state gauge\n", out);
	for (i = 0; i < V.n_insts; i++)
		fprintf(out, "lvsd_vrrp_state{instance=\"%s\"} %d\n",
			V.insts[i].conf->name, V.insts[i].vi ?
			(int)vrrp_inst_state(V.insts[i].vi) : 3);
	fputs("# HELP lvsd_vrrp_adverts_sent_total Adverts sent.\n"
	      "# TYPE lvsd_vrrp_adverts_sent_total counter\n", out);
	for (i = 0; i < V.n_insts; i++)
		fprintf(out, "lvsd_vrrp_adverts_sent_total{instance=\"%s\"} "
			"%llu\n", V.insts[i].conf->name, V.insts[i].vi ?
			(unsigned long long)
			vrrp_inst_stats(V.insts[i].vi)->adverts_sent : 0);
	fputs("# HELP lvsd_vrrp_became_master_total Transitions to "
	      "master.\n# TYPE lvsd_vrrp_became_master_total counter\n", out);
	for (i = 0; i < V.n_insts; i++)
		fprintf(out, "lvsd_vrrp_became_master_total{instance=\"%s\"} "
			"%llu\n", V.insts[i].conf->name, V.insts[i].vi ?
			(unsigned long long)
			vrrp_inst_stats(V.insts[i].vi)->became_master : 0);
}
