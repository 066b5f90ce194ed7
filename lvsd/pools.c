// SPDX-License-Identifier: GPL-2.0
/*
 * pools.c - vm_pool nodes as real servers (see pools.h).
 *
 * A node that boots gets, in every virtual server naming its pool, a real
 * server built from the real_server_pool template with the node's address;
 * its checks start down (alpha), so it enters the service only once they
 * pass.  A node whose QEMU exits leaves at once (its real server is
 * removed, not drained).  Retiring a node drains its real servers (weight
 * 0 until no connections or drain_timeout), then vmm powers it off.
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "conf_vmm.h"
#include "daemon.h"
#include "loop.h"
#include "pools.h"
#include "vmm.h"
#include "xalloc.h"

static struct vmm *vmm;
/* Nodes being drained before their power-off. */
static struct vmm_node **retiring;
static size_t n_retiring;
static struct ltimer *retire_timer;

/* ---- a node's real server ---- */

static struct rs_conf *node_rs_conf(const struct rs_conf *t,
				    const struct vmm_node *n)
{
	struct rs_conf *rc = rt_xcalloc(sizeof(*rc));

	*rc = *t;
	rc->addr.af = AF_INET;
	rc->addr.u.in = n->addr;
	rc->checks = rt_xcalloc((t->n_checks + 1) * sizeof(*rc->checks));
	for (size_t i = 0; i < t->n_checks; i++) {
		struct check_conf *cc = rt_xcalloc(sizeof(*cc));

		*cc = *t->checks[i];
		if (!cc->connect.af) {
			cc->r_target.af = AF_INET;
			cc->r_target.u.in = n->addr;
		}
		cc->r_alpha = true;	/* in service only once it passes */
		rc->checks[i] = cc;
	}
	return rc;
}

static void node_rs_conf_free(struct rs_conf *rc)
{
	if (!rc)
		return;
	for (size_t i = 0; i < rc->n_checks; i++)
		free(rc->checks[i]);
	free(rc->checks);
	free(rc);
}

void pools_rs_free(struct rs_rt *rs)
{
	node_rs_conf_free(rs->own_conf);
	rs->own_conf = NULL;
}

static struct rs_rt *node_rs(struct vs_rt *vs, const struct vmm_node *n)
{
	for (size_t i = 0; i < vs->n_rss; i++)
		if (vs->rss[i]->node == n && !vs->rss[i]->orphan)
			return vs->rss[i];
	return NULL;
}

static bool vs_uses(const struct vs_rt *vs, const struct vmm_node *n)
{
	const struct vmm_pool_conf *pc = vmm_pool_conf(n->pool);

	return vs->conf->pool && vs->conf->pool_rs &&
	       !strcmp(vs->conf->pool, pc->name);
}

static void vs_add_node(struct vs_rt *vs, struct vmm_node *n)
{
	struct rs_conf *rc;
	struct rs_rt *rs;

	if (node_rs(vs, n))
		return;
	rc = node_rs_conf(vs->conf->pool_rs, n);
	rs = daemon_rs_new(vs, rc);
	rs->node = n;
	rs->own_conf = rc;
	daemon_rs_add(vs, rs);
	for (size_t j = 0; j < rs->n_checks; j++)
		check_rt_start(rs->checks[j], false);
}

void pools_attach(struct vs_rt *vs)
{
	struct vmm_pool *p;

	if (!vmm || !vs->conf->pool || !vs->conf->pool_rs)
		return;
	p = vmm_pool_find(vmm, vs->conf->pool);
	for (struct vmm_node *n = p ? vmm_node_next(p, NULL) : NULL; n;
	     n = vmm_node_next(p, n))
		if (n->pid && n->state != VMM_STOPPING)
			vs_add_node(vs, n);
}

void pools_rs_health(struct rs_rt *rs)
{
	struct vmm_node *n = rs->node;
	bool in = false;

	if (!n)
		return;
	for (size_t i = 0; i < lvsd.n_vss; i++) {
		struct rs_rt *r = lvsd.vss[i] ? node_rs(lvsd.vss[i], n) : NULL;

		in |= r && r->healthy;
	}
	vmm_node_set_in_service(n, in);
}

/* ---- vmm's calls ---- */

static void host_log(void *arg, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	rt_log("%s", buf);
}

static void node_up(struct vmm_node *n, void *arg)
{
	for (size_t i = 0; i < lvsd.n_vss; i++)
		if (lvsd.vss[i] && vs_uses(lvsd.vss[i], n))
			vs_add_node(lvsd.vss[i], n);
}

static void retiring_drop(struct vmm_node *n)
{
	size_t keep = 0;

	for (size_t i = 0; i < n_retiring; i++)
		if (retiring[i] != n)
			retiring[keep++] = retiring[i];
	n_retiring = keep;
}

static void node_down(struct vmm_node *n, void *arg)
{
	retiring_drop(n);
	for (size_t i = 0; i < lvsd.n_vss; i++) {
		struct rs_rt *rs = lvsd.vss[i] ? node_rs(lvsd.vss[i], n) :
						 NULL;

		if (!rs)
			continue;
		rt_log("%s: node %s left (%s)", rs->vs->name, n->name,
			 inet_ntoa(n->addr));
		daemon_rs_remove(rs);
	}
}

static bool node_drained(struct vmm_node *n)
{
	for (size_t i = 0; i < lvsd.n_vss; i++) {
		struct rs_rt *rs = lvsd.vss[i] ? node_rs(lvsd.vss[i], n) :
						 NULL;

		if (rs && rs->in_be && !rs->drained)
			return false;
	}
	return true;
}

static void retire_poll(struct ltimer *t, void *arg)
{
	for (size_t i = 0; i < n_retiring;) {
		struct vmm_node *n = retiring[i];

		if (node_drained(n)) {
			retiring_drop(n);
			vmm_node_stop(n);	/* may change the list */
			i = 0;
			continue;
		}
		i++;
	}
	if (n_retiring)
		ltimer_start(retire_timer, 200000);
}

static void node_retire(struct vmm_node *n, void *arg)
{
	for (size_t i = 0; i < lvsd.n_vss; i++) {
		struct rs_rt *rs = lvsd.vss[i] ? node_rs(lvsd.vss[i], n) :
						 NULL;

		if (rs && rs->in_be)
			daemon_rs_drain(rs);
	}
	if (node_drained(n)) {
		vmm_node_stop(n);
		return;
	}
	retiring = realloc(retiring, (n_retiring + 1) * sizeof(*retiring));
	if (!retiring)
		abort();
	retiring[n_retiring++] = n;
	if (!retire_timer)
		retire_timer = ltimer_new(retire_poll, NULL);
	if (!ltimer_active(retire_timer))
		ltimer_start(retire_timer, 200000);
}

static const struct vmm_host host = {
	.node_up = node_up, .node_down = node_down,
	.node_retire = node_retire, .log = host_log,
};

/* ---- start, reload, stop ---- */

int pools_start(const struct conf *conf, char *err, size_t len)
{
	const struct pool_set *c = pool_set(conf);
	char e[512];

	if (!c->n_pools)
		return 0;
	vmm = vmm_open(c->vmm_state_dir, &host, e, sizeof(e));
	if (!vmm) {
		snprintf(err, len, "%s", e);
		return -1;
	}
	for (size_t i = 0; i < c->n_pools; i++)
		if (!vmm_pool_start(vmm, &c->pools[i]->v, e, sizeof(e))) {
			snprintf(err, len, "%s:%d: %s", c->pools[i]->v.file,
				 c->pools[i]->v.line, e);
			vmm_close(vmm);
			vmm = NULL;
			return -1;
		}
	return 0;
}

void pools_reload(const struct conf *conf)
{
	const struct pool_set *nc = pool_set(conf);
	struct vmm_pool *p, *next;
	char e[512];

	if (!vmm && nc->n_pools) {
		vmm = vmm_open(nc->vmm_state_dir, &host, e, sizeof(e));
		if (!vmm) {
			rt_log("reload: %s; no pools", e);
			return;
		}
	}
	for (p = vmm ? vmm_pool_next(vmm, NULL) : NULL; p; p = next) {
		next = vmm_pool_next(vmm, p);
		if (!conf_find_pool(conf, vmm_pool_conf(p)->name))
			vmm_pool_stop(p);
	}
	for (size_t i = 0; i < nc->n_pools; i++) {
		const struct vmm_pool_conf *c = &nc->pools[i]->v;

		p = vmm_pool_find(vmm, c->name);
		if (!p) {
			if (!vmm_pool_start(vmm, c, e, sizeof(e)))
				rt_log("reload: %s:%d: %s", c->file, c->line,
					 e);
		} else if (c->size != vmm_pool_conf(p)->size &&
			   vmm_pool_configure_size(p, c->size, e, sizeof(e))) {
			rt_log("reload: %s", e);
		}
	}
}

void pools_stop(void)
{
	vmm_close(vmm);
	vmm = NULL;
	free(retiring);
	retiring = NULL;
	n_retiring = 0;
	ltimer_free(retire_timer);
	retire_timer = NULL;
}

/* ---- control and metrics ---- */

static double secs(int64_t usec)
{
	return (double)usec / 1e6;
}

static json_object *pool_json(struct vmm_pool *p)
{
	const struct vmm_pool_conf *c = vmm_pool_conf(p);
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	unsigned int in, active;
	int64_t now = loop_clock();

	vmm_pool_counts(p, &in, &active);
	json_object_object_add(o, "name", json_object_new_string(c->name));
	json_object_object_add(o, "size", json_object_new_int(
			       (int)vmm_pool_target(p)));
	json_object_object_add(o, "min", json_object_new_int64(c->min));
	json_object_object_add(o, "max", json_object_new_int64(c->max));
	json_object_object_add(o, "in_service", json_object_new_int((int)in));
	json_object_object_add(o, "active", json_object_new_int((int)active));
	json_object_object_add(o, "bridge", json_object_new_string(c->bridge));
	for (struct vmm_node *n = vmm_node_next(p, NULL); n;
	     n = vmm_node_next(p, n)) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "name", json_object_new_string(n->name));
		json_object_object_add(j, "state", json_object_new_string(
				       vmm_node_state_name(n->state)));
		json_object_object_add(j, "address", json_object_new_string(
				       inet_ntoa(n->addr)));
		json_object_object_add(j, "pid", json_object_new_int(n->pid));
		json_object_object_add(j, "tap", json_object_new_string(n->tap));
		json_object_object_add(j, "uptime", json_object_new_double(
				       n->pid ? secs(now - n->started) : 0));
		json_object_object_add(j, "restarts",
				       json_object_new_int((int)n->restarts));
		json_object_object_add(j, "boot_to_service",
				       json_object_new_double(
				       n->boot_to_service < 0 ? -1 :
				       secs(n->boot_to_service)));
		json_object_array_add(a, j);
	}
	json_object_object_add(o, "nodes", a);
	return o;
}

static void pools_list(bool json, FILE *out)
{
	json_object *all = json_object_new_array();

	for (struct vmm_pool *p = vmm ? vmm_pool_next(vmm, NULL) : NULL; p;
	     p = vmm_pool_next(vmm, p))
		json_object_array_add(all, pool_json(p));
	if (json) {
		fprintf(out, "%s\n", json_object_to_json_string_ext(all,
			JSON_C_TO_STRING_PLAIN));
		json_object_put(all);
		return;
	}
	for (size_t i = 0; i < json_object_array_length(all); i++) {
		json_object *p = json_object_array_get_idx(all, i), *v, *ns;

		json_object_object_get_ex(p, "nodes", &ns);
#define G(o, k) (json_object_object_get_ex(o, k, &v), v)
		fprintf(out, "pool %s: %d/%d in service (min %lld, max %lld, "
			"bridge %s)\n", json_object_get_string(G(p, "name")),
			json_object_get_int(G(p, "in_service")),
			json_object_get_int(G(p, "size")),
			(long long)json_object_get_int64(G(p, "min")),
			(long long)json_object_get_int64(G(p, "max")),
			json_object_get_string(G(p, "bridge")));
		for (size_t j = 0; j < json_object_array_length(ns); j++) {
			json_object *n = json_object_array_get_idx(ns, j);

			fprintf(out, "  %-16s %-9s %-15s pid %-7d up %7.1fs "
				"restarts %d\n",
				json_object_get_string(G(n, "name")),
				json_object_get_string(G(n, "state")),
				json_object_get_string(G(n, "address")),
				json_object_get_int(G(n, "pid")),
				json_object_get_double(G(n, "uptime")),
				json_object_get_int(G(n, "restarts")));
		}
#undef G
	}
	json_object_put(all);
}

/* "NODE" is "<pool>-<idx>": the pool is everything before the last '-'. */
static struct vmm_node *find_node(const char *name)
{
	for (struct vmm_pool *p = vmm ? vmm_pool_next(vmm, NULL) : NULL; p;
	     p = vmm_pool_next(vmm, p)) {
		struct vmm_node *n = vmm_node_find(p, name);

		if (n)
			return n;
	}
	return NULL;
}

void pools_ctl(int argc, char **argv, bool json, FILE *out)
{
	const char *sub = argc >= 2 ? argv[1] : "list";
	char err[256];
	int rc = -1;

	if (!strcmp(sub, "list")) {
		pools_list(json, out);
		return;
	}
	if (!strcmp(sub, "resize") && argc == 4) {
		struct vmm_pool *p = vmm ? vmm_pool_find(vmm, argv[2]) : NULL;
		char *end;
		long long size = strtoll(argv[3], &end, 10);

		if (!p)
			snprintf(err, sizeof(err), "no pool '%s'", argv[2]);
		else if (*end || end == argv[3])
			snprintf(err, sizeof(err), "invalid size '%s'",
				 argv[3]);
		else
			rc = vmm_pool_resize(p, size, err, sizeof(err));
	} else if ((!strcmp(sub, "restart") || !strcmp(sub, "retire")) &&
		   argc == 3) {
		struct vmm_node *n = find_node(argv[2]);

		if (!n)
			snprintf(err, sizeof(err), "no node '%s'", argv[2]);
		else if (!strcmp(sub, "restart"))
			rc = vmm_node_restart(n, err, sizeof(err));
		else
			rc = vmm_node_retire(n, err, sizeof(err));
	} else {
		snprintf(err, sizeof(err), "usage: pool [list] | pool resize "
			 "POOL N | pool restart NODE | pool retire NODE");
	}
	if (rc)
		fprintf(out, "error: %s\n", err);
	else
		fprintf(out, "ok pool %s %s%s%s\n", sub, argv[2],
			argc == 4 ? " " : "", argc == 4 ? argv[3] : "");
}

void pools_metrics(FILE *o)
{
	static const enum vmm_node_state states[] = {
		VMM_BOOTING, VMM_UP, VMM_RUNNING, VMM_RETIRING, VMM_STOPPING,
		VMM_BACKOFF, VMM_FAILED,
	};

	if (!vmm)
		return;
	fprintf(o, "# HELP lvsd_vmm_pool_size the size a pool aims at\n"
		"# TYPE lvsd_vmm_pool_size gauge\n");
	for (struct vmm_pool *p = vmm_pool_next(vmm, NULL); p;
	     p = vmm_pool_next(vmm, p))
		fprintf(o, "lvsd_vmm_pool_size{pool=\"%s\"} %u\n",
			vmm_pool_conf(p)->name, vmm_pool_target(p));
	fprintf(o, "# HELP lvsd_vmm_nodes nodes by state\n"
		"# TYPE lvsd_vmm_nodes gauge\n");
	for (struct vmm_pool *p = vmm_pool_next(vmm, NULL); p;
	     p = vmm_pool_next(vmm, p))
		for (size_t s = 0; s < sizeof(states) / sizeof(*states); s++) {
			unsigned int k = 0;

			for (struct vmm_node *n = vmm_node_next(p, NULL); n;
			     n = vmm_node_next(p, n))
				k += n->state == states[s];
			fprintf(o, "lvsd_vmm_nodes{pool=\"%s\",state=\"%s\"} "
				"%u\n", vmm_pool_conf(p)->name,
				vmm_node_state_name(states[s]), k);
		}
	fprintf(o, "# HELP lvsd_vmm_node_boot_to_service_seconds from QEMU's "
		"start to the node's first passing checks, last boot\n"
		"# TYPE lvsd_vmm_node_boot_to_service_seconds gauge\n");
	for (struct vmm_pool *p = vmm_pool_next(vmm, NULL); p;
	     p = vmm_pool_next(vmm, p))
		for (struct vmm_node *n = vmm_node_next(p, NULL); n;
		     n = vmm_node_next(p, n))
			if (n->boot_to_service >= 0)
				fprintf(o, "lvsd_vmm_node_boot_to_service_seconds"
					"{pool=\"%s\",node=\"%s\"} %.3f\n",
					vmm_pool_conf(p)->name, n->name,
					secs(n->boot_to_service));
	fprintf(o, "# HELP lvsd_vmm_node_restarts_total restarts after "
		"crashes\n# TYPE lvsd_vmm_node_restarts_total counter\n");
	for (struct vmm_pool *p = vmm_pool_next(vmm, NULL); p;
	     p = vmm_pool_next(vmm, p))
		for (struct vmm_node *n = vmm_node_next(p, NULL); n;
		     n = vmm_node_next(p, n))
			fprintf(o, "lvsd_vmm_node_restarts_total{pool=\"%s\","
				"node=\"%s\"} %u\n", vmm_pool_conf(p)->name,
				n->name, n->restarts);
}

static void pools_reload_hook(const struct conf *old, const struct conf *c)
{
	pools_reload(c);
}

/* "pool" and "pool list" only read. */
static bool pool_changes(int argc, char **argv)
{
	return argc > 1 && strcmp(argv[1], "list");
}

static const struct subsys_cmd pool_cmds[] = {
	{ "pool", pools_ctl, "pool [list] | pool resize POOL N | "
	  "pool restart NODE | pool retire NODE", pool_changes },
	{ NULL, NULL, NULL, NULL }
};

/*
 * VM pools: a subsystem of lvsd's (subsys.h).  Registered before the
 * virtual servers (pools.o links before daemon.o), so that pools start
 * and reload first and a virtual server built after finds its nodes.
 */
static const struct subsys pool_subsys = {
	.name		= POOL_SUBSYS_NAME,
	POOL_SUBSYS_CONF,
	.start		= pools_start,
	.reload		= pools_reload_hook,
	.stop		= pools_stop,
	.cmds		= pool_cmds,
	.metrics	= pools_metrics,
};

SUBSYS_REGISTER(pool_subsys)
