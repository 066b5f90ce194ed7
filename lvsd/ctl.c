// SPDX-License-Identifier: GPL-2.0
/*
 * ctl.c - the control socket: a unix stream socket, mode 0600 or the
 * configured group and mode, one command line per connection:
 *
 *   show [json]                 every service, real server and check
 *   backend [json]              what the backend holds (ipvsadm -Ln like)
 *   enable|disable|drain VS RS  operator state of a real server
 *   reload                      as SIGHUP
 *   help                        every command, the subsystems' too
 *
 * reload and help are the host's; show, backend, enable, disable and drain
 * the virtual-server subsystem's (vs_ctl_cmds); every other registered
 * subsystem adds its own (subsys.h: pools.c's "pool").
 * VS is "tcp:10.0.0.1:80", "10.0.0.1:80", "fwmark:5" or "group:NAME"; RS is
 * "10.0.1.1:8080" (IPv6 as "[::1]:80").  Answers to commands that change
 * something start with "ok" or "error:".  The state is gathered once into
 * a json-c tree; text is printed from that same tree.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "daemon.h"
#include "loop.h"
#include "server.h"

#define CTL_CONNS_MAX	16

static struct srv *ctl_srv;
static char *ctl_path;
static dev_t ctl_dev;		/* the socket lvsd made, to remove only it */
static ino_t ctl_ino;

static const char *fwd_name(unsigned int fwd)
{
	switch (fwd) {
	case LVS_FWD_MASQ: return "NAT";
	case LVS_FWD_DROUTE: return "DR";
	case LVS_FWD_TUNNEL: return "TUN";
	default: return "?";
	}
}

static const char *proto_name(unsigned int p)
{
	return p == IPPROTO_UDP ? "UDP" : p == IPPROTO_SCTP ? "SCTP" : "TCP";
}

#define ADD(o, k, v) json_object_object_add((o), (k), (v))
#define JS(s) json_object_new_string(s)
#define JI(i) json_object_new_int64(i)
#define JB(b) json_object_new_boolean(b)

static json_object *check_json(const struct check_rt *c)
{
	json_object *o = json_object_new_object();
	char buf[64];

	ADD(o, "type", JS(c->conf->ops->name));
	ADD(o, "target", JS(conf_addr_str(&c->conf->r_target, buf,
					  sizeof(buf))));
	ADD(o, "state", JS(hc_state_name(c->hc.state)));
	ADD(o, "last", JS(check_result_name(c)));
	ADD(o, "why", JS(c->why));
	ADD(o, "ok", JI((int64_t)c->hc.n_ok));
	ADD(o, "failed", JI((int64_t)c->hc.n_fail));
	ADD(o, "consecutive_ok", JI(c->hc.oks));
	ADD(o, "consecutive_failed", JI(c->hc.fails));
	ADD(o, "rise", JI(c->hc.p.rise));
	ADD(o, "fall", JI(c->hc.p.fall));
	ADD(o, "delay_loop_ms", JI(c->hc.p.delay / 1000));
	ADD(o, "duration_ms", JI(c->last_duration / 1000));
	if (c->dyn_weight >= 0)
		ADD(o, "dynamic_weight", JI(c->dyn_weight));
	return o;
}

static json_object *rs_json(const struct rs_rt *rs)
{
	json_object *o = json_object_new_object(), *checks;
	uint32_t w = 0;
	bool in = rs_in_backend(rs, &w);
	char buf[64];

	ADD(o, "address", JS(conf_addr_str(&rs->addr, buf, sizeof(buf))));
	ADD(o, "healthy", JB(rs->healthy));
	ADD(o, "admin", JS(rs_admin_name(rs->admin)));
	ADD(o, "weight", JI(rs_weight(rs)));
	ADD(o, "in_backend", JB(in));
	ADD(o, "backend_weight", in ? JI(w) : NULL);
	ADD(o, "in_config", JB(!rs->orphan));
	if (rs->admin == RS_DRAINING)
		ADD(o, "drained", JB(rs->drained));
	checks = json_object_new_array();
	for (size_t i = 0; i < rs->n_checks; i++)
		json_object_array_add(checks, check_json(rs->checks[i]));
	ADD(o, "checks", checks);
	return o;
}

static json_object *vs_json(const struct vs_rt *vs)
{
	const struct vs_conf *vc = vs->conf;
	json_object *o = json_object_new_object(), *a, *q;
	char buf[64];
	uint64_t sum = 0;

	ADD(o, "name", JS(vs->name));
	ADD(o, "scheduler", JS(vc->sched));
	ADD(o, "method", JS(fwd_name((unsigned int)vc->fwd)));
	ADD(o, "persistence_timeout", JI(vc->persistence_timeout));
	a = json_object_new_array();
	for (size_t i = 0; i < vs->n_svcs; i++) {
		const struct lvsc_service *s = &vs->svcs[i];
		struct conf_addr ca = { .af = s->af, .port = s->port };

		memcpy(&ca.u, &s->addr, sizeof(ca.u));
		if (s->fwmark)
			snprintf(buf, sizeof(buf), "fwmark:%u", s->fwmark);
		else
			conf_addr_str(&ca, buf, sizeof(buf));
		json_object_array_add(a, JS(buf));
	}
	ADD(o, "services", a);
	sum = vs->live_weight;
	q = json_object_new_object();
	ADD(q, "up", JB(vs->q.up));
	ADD(q, "live_weight", JI((int64_t)sum));
	ADD(q, "quorum", JI(vc->quorum));
	ADD(q, "hysteresis", JI(vc->hysteresis));
	ADD(o, "quorum", q);
	ADD(o, "sorry_server", vc->sorry.af ?
	    JS(conf_addr_str(&vc->sorry, buf, sizeof(buf))) : NULL);
	ADD(o, "sorry_active", JB(vs->sorry_active));
	a = json_object_new_array();
	for (size_t i = 0; i < vs->n_rss; i++)
		json_object_array_add(a, rs_json(vs->rss[i]));
	ADD(o, "real_servers", a);
	return o;
}

static json_object *state_json(void)
{
	json_object *o = json_object_new_object(), *d, *a;

	d = json_object_new_object();
	ADD(d, "config", JS(lvsd.conf_path));
	ADD(d, "backend", JS(lvsd.bops->name));
	ADD(d, "uptime_s", JI((loop_clock() - lvsd.started) / 1000000));
	ADD(d, "reloads", JI((int64_t)lvsd.st.reloads));
	ADD(d, "reload_failures", JI((int64_t)lvsd.st.reload_failures));
	ADD(d, "probes", JI((int64_t)lvsd.st.probes));
	ADD(d, "probes_in_flight", JI((int64_t)lvsd.st.in_flight));
	ADD(o, "lvsd", d);
	a = json_object_new_array();
	for (size_t i = 0; i < lvsd.n_vss; i++)
		json_object_array_add(a, vs_json(lvsd.vss[i]));
	ADD(o, "virtual_servers", a);
	return o;
}

/* ---- text, printed from the JSON tree ---- */

static const char *S(json_object *o, const char *k)
{
	json_object *v;

	if (!json_object_object_get_ex(o, k, &v) || !v)
		return "-";
	return json_object_get_string(v);
}

static int64_t I(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) ? json_object_get_int64(v)
						   : 0;
}

static bool B(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) &&
	       json_object_get_boolean(v);
}

static json_object *A(json_object *o, const char *k)
{
	json_object *v;

	return json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static void state_text(json_object *st, FILE *out)
{
	json_object *d = A(st, "lvsd"), *vss = A(st, "virtual_servers");

	fprintf(out, "lvsd: config %s, backend %s, up %llds, %lld reloads "
		"(%lld failed)\n", S(d, "config"), S(d, "backend"),
		(long long)I(d, "uptime_s"), (long long)I(d, "reloads"),
		(long long)I(d, "reload_failures"));
	for (size_t i = 0; i < json_object_array_length(vss); i++) {
		json_object *vs = json_object_array_get_idx(vss, i);
		json_object *q = A(vs, "quorum"), *rss = A(vs, "real_servers");

		fprintf(out, "VS %s %s %s quorum %s (%lld/%lld) sorry %s%s\n",
			S(vs, "name"), S(vs, "scheduler"), S(vs, "method"),
			B(q, "up") ? "up" : "lost",
			(long long)I(q, "live_weight"),
			(long long)I(q, "quorum"), S(vs, "sorry_server"),
			B(vs, "sorry_active") ? " (active)" : "");
		for (size_t j = 0; j < json_object_array_length(rss); j++) {
			json_object *rs = json_object_array_get_idx(rss, j);
			json_object *cs = A(rs, "checks");

			fprintf(out, "  RS %s %s %s weight %lld backend %s%s\n",
				S(rs, "address"),
				B(rs, "healthy") ? "up" : "down",
				S(rs, "admin"), (long long)I(rs, "weight"),
				B(rs, "in_backend") ?
				S(rs, "backend_weight") : "absent",
				B(rs, "in_config") ? "" : " (leaving)");
			for (size_t k = 0; k < json_object_array_length(cs);
			     k++) {
				json_object *c = json_object_array_get_idx(cs,
									   k);

				fprintf(out, "    %s %s %s last %s ok %lld "
					"failed %lld%s%s\n", S(c, "type"),
					S(c, "target"), S(c, "state"),
					S(c, "last"), (long long)I(c, "ok"),
					(long long)I(c, "failed"),
					*S(c, "why") ? " why: " : "",
					S(c, "why"));
			}
		}
	}
}

/* ---- commands ---- */

static void cmd_show(int argc, char **argv, bool json, FILE *out)
{
	json_object *st = state_json();

	if (json)
		fprintf(out, "%s\n", json_object_to_json_string_ext(st,
			JSON_C_TO_STRING_PLAIN));
	else
		state_text(st, out);
	json_object_put(st);
}

/*
 * The datapath's rates (per second, as liblvsc returns them: the module
 * estimates them, the eBPF datapath where it does) and running totals.
 */
static json_object *rates_json(const struct lvsc_stats *st)
{
	json_object *r = json_object_new_object();

	ADD(r, "cps", JI((int64_t)st->cps));
	ADD(r, "inpps", JI((int64_t)st->inpps));
	ADD(r, "outpps", JI((int64_t)st->outpps));
	ADD(r, "inbps", JI((int64_t)st->inbps));
	ADD(r, "outbps", JI((int64_t)st->outbps));
	ADD(r, "conns", JI((int64_t)st->conns));
	ADD(r, "inpkts", JI((int64_t)st->inpkts));
	ADD(r, "outpkts", JI((int64_t)st->outpkts));
	ADD(r, "inbytes", JI((int64_t)st->inbytes));
	ADD(r, "outbytes", JI((int64_t)st->outbytes));
	return r;
}

static json_object *backend_json(char *err, size_t len)
{
	struct lvsc_service *svcs = NULL;
	struct lvsc_err e = { 0 };
	json_object *a;
	size_t n = 0;

	if (lvsd.bops->svc_list(lvsd.backend, &svcs, &n, &e)) {
		snprintf(err, len, "%s", e.msg[0] ? e.msg : strerror(-e.code));
		return NULL;
	}
	a = json_object_new_array();
	for (size_t i = 0; i < n; i++) {
		json_object *s = json_object_new_object(), *da;
		struct lvsc_dest *d = NULL;
		size_t nd = 0;
		struct conf_addr ca = { .af = svcs[i].af,
					.port = svcs[i].port };
		char buf[64];

		memcpy(&ca.u, &svcs[i].addr, sizeof(ca.u));
		if (svcs[i].fwmark) {
			snprintf(buf, sizeof(buf), "%u", svcs[i].fwmark);
			ADD(s, "fwmark", JS(buf));
		} else {
			ADD(s, "protocol", JS(proto_name(svcs[i].protocol)));
			ADD(s, "address", JS(conf_addr_str(&ca, buf,
							   sizeof(buf))));
		}
		ADD(s, "scheduler", JS(svcs[i].sched));
		ADD(s, "flags", JI(svcs[i].flags));
		ADD(s, "timeout", JI(svcs[i].timeout));
		ADD(s, "stats", rates_json(&svcs[i].stats));
		da = json_object_new_array();
		if (!lvsd.bops->dest_list(lvsd.backend, &svcs[i], &d, &nd,
					  &e)) {
			for (size_t j = 0; j < nd; j++) {
				json_object *x = json_object_new_object();
				struct conf_addr a = { .af = d[j].af,
						       .port = d[j].port };

				memcpy(&a.u, &d[j].addr, sizeof(a.u));
				ADD(x, "address", JS(conf_addr_str(&a, buf,
							sizeof(buf))));
				ADD(x, "method", JS(fwd_name(d[j].fwd)));
				ADD(x, "weight", JI(d[j].weight));
				ADD(x, "active", JI(d[j].activeconns));
				ADD(x, "inactive", JI(d[j].inactconns));
				ADD(x, "stats", rates_json(&d[j].stats));
				json_object_array_add(da, x);
			}
			free(d);
		}
		ADD(s, "dests", da);
		json_object_array_add(a, s);
	}
	free(svcs);
	return a;
}

static void cmd_backend(int argc, char **argv, bool json, FILE *out)
{
	char err[256];
	json_object *a = backend_json(err, sizeof(err));

	if (!a) {
		fprintf(out, "error: %s\n", err);
		return;
	}
	if (json) {
		fprintf(out, "%s\n", json_object_to_json_string_ext(a,
			JSON_C_TO_STRING_PLAIN));
		json_object_put(a);
		return;
	}
	fprintf(out, "Prot LocalAddress:Port Scheduler Flags\n"
		"  -> RemoteAddress:Port           Forward Weight ActiveConn "
		"InActConn\n");
	for (size_t i = 0; i < json_object_array_length(a); i++) {
		json_object *s = json_object_array_get_idx(a, i);
		json_object *ds = A(s, "dests");

		if (A(s, "fwmark"))
			fprintf(out, "FWM  %s %s\n", S(s, "fwmark"),
				S(s, "scheduler"));
		else
			fprintf(out, "%-4s %s %s%s\n", S(s, "protocol"),
				S(s, "address"), S(s, "scheduler"),
				I(s, "flags") & LVS_SVC_F_PERSISTENT ?
				" persistent" : "");
		for (size_t j = 0; j < json_object_array_length(ds); j++) {
			json_object *d = json_object_array_get_idx(ds, j);

			fprintf(out, "  -> %-28s %-7s %-6lld %-10lld %lld\n",
				S(d, "address"), S(d, "method"),
				(long long)I(d, "weight"),
				(long long)I(d, "active"),
				(long long)I(d, "inactive"));
		}
	}
	json_object_put(a);
}

static void cmd_admin(int argc, char **argv, bool json, FILE *out)
{
	enum rs_admin a = !strcmp(argv[0], "enable") ? RS_ENABLED :
			  !strcmp(argv[0], "disable") ? RS_DISABLED :
			  RS_DRAINING;
	struct vs_rt *vs;
	struct rs_rt *rs;
	char msg[256];

	if (argc < 3) {
		fprintf(out, "error: usage: %s VS RS\n", argv[0]);
		return;
	}
	vs = daemon_find_vs(argv[1]);
	if (!vs) {
		fprintf(out, "error: no virtual server '%s'\n", argv[1]);
		return;
	}
	rs = daemon_find_rs(vs, argv[2]);
	if (!rs) {
		fprintf(out, "error: no real server '%s' in %s\n", argv[2],
			vs->name);
		return;
	}
	if (daemon_rs_admin(rs, a, msg, sizeof(msg)))
		fprintf(out, "error: %s\n", msg);
	else
		fprintf(out, "ok %s\n", msg);
}

static bool always(int argc, char **argv)
{
	return true;
}

/* The virtual-server subsystem's commands (daemon.c registers them). */
const struct subsys_cmd vs_ctl_cmds[] = {
	{ "show", cmd_show, "show [json]", NULL },
	{ "backend", cmd_backend, "backend [json]", NULL },
	{ "enable", cmd_admin, "enable VS RS", always },
	{ "disable", cmd_admin, "disable VS RS", always },
	{ "drain", cmd_admin, "drain VS RS", always },
	{ NULL, NULL, NULL, NULL }
};

static void cmd_reload(int argc, char **argv, bool json, FILE *out)
{
	char msg[256];

	if (daemon_reload(msg, sizeof(msg)))
		fprintf(out, "error: %s\n", msg);
	else
		fprintf(out, "ok %s\n", msg);
}

static void cmd_help(int argc, char **argv, bool json, FILE *out);

/* The host's own; then every subsystem's (subsys.h). */
static const struct subsys_cmd host_cmds[] = {
	{ "reload", cmd_reload, "reload", always },
	{ "help", cmd_help, "help", NULL },
	{ NULL, NULL, NULL, NULL }
};

static void cmd_list(const struct subsys_cmd *t, FILE *out)
{
	for (; t && t->name; t++)
		fprintf(out, "%s\n", t->usage);
}

static void cmd_help(int argc, char **argv, bool json, FILE *out)
{
	const struct subsys *ss = NULL;

	while ((ss = rt_next(&subsystems, ss)))
		cmd_list(ss->cmds, out);
	cmd_list(host_cmds, out);
}

static const struct subsys_cmd *cmd_in(const struct subsys_cmd *t,
				       const char *name)
{
	for (; t && t->name; t++)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

static const struct subsys_cmd *find_cmd(const char *name)
{
	const struct subsys *ss = NULL;
	const struct subsys_cmd *c = cmd_in(host_cmds, name);

	while (!c && (ss = rt_next(&subsystems, ss)))
		c = cmd_in(ss->cmds, name);
	return c;
}

/* A read-only command's JSON for the status page (status_page.c). */
void ctl_query_json(const char *name, FILE *out)
{
	const struct subsys_cmd *c = find_cmd(name);
	char *argv[2] = { (char *)name, NULL };

	if (c && !(c->changes && c->changes(1, argv)))
		c->fn(1, argv, true, out);
}

/* Who changed what: every state change names its caller (SO_PEERCRED). */
static void log_caller(const struct srv_peer *peer, int argc, char **argv)
{
	char cmd[256] = "";
	size_t n = 0;

	for (int i = 0; i < argc && n < sizeof(cmd); i++)
		n += (size_t)snprintf(cmd + n, sizeof(cmd) - n, "%s%s",
				      i ? " " : "", argv[i]);
	if (peer && peer->known)
		lvsd_log("control: uid %u gid %u pid %d: %s",
			 (unsigned int)peer->uid, (unsigned int)peer->gid,
			 (int)peer->pid, cmd);
	else
		lvsd_log("control: unknown caller: %s", cmd);
}

static void ctl_handle(const char *req, FILE *out, const struct srv_peer *peer)
{
	const struct subsys_cmd *c;
	char *line = strdup(req), *argv[16], *save = NULL;
	int argc = 0;
	bool json = false;

	if (!line)
		return;
	line[strcspn(line, "\r\n")] = '\0';
	for (char *w = strtok_r(line, " \t", &save); w && argc < 15;
	     w = strtok_r(NULL, " \t", &save)) {
		if (!strcmp(w, "json") || !strcmp(w, "-j"))
			json = true;
		else
			argv[argc++] = w;
	}
	argv[argc] = NULL;
	if (!argc) {
		fprintf(out, "error: empty command\n");
		goto out;
	}
	c = find_cmd(argv[0]);
	if (c) {
		if (c->changes && c->changes(argc, argv))
			log_caller(peer, argc, argv);
		c->fn(argc, argv, json, out);
		goto out;
	}
	fprintf(out, "error: unknown command '%s' (try help)\n", argv[0]);
out:
	free(line);
}

/*
 * Make PATH free for our socket without harming anyone: a live lvsd that
 * answers there keeps it (we refuse to start), anything that is not a
 * socket is never removed, and only a stale socket (nobody listening)
 * goes.
 */
static int claim_path(const struct sockaddr_un *sun, char *err, size_t len)
{
	const char *path = sun->sun_path;
	struct stat st;
	int fd, rc;

	if (lstat(path, &st) < 0) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, len, "control socket %s: %s", path,
			 strerror(errno));
		return -1;
	}
	if (!S_ISSOCK(st.st_mode)) {
		snprintf(err, len, "control socket %s: exists and is not a "
			 "socket; not removed, not started", path);
		return -1;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, len, "control socket %s: %s", path,
			 strerror(errno));
		return -1;
	}
	rc = connect(fd, (const struct sockaddr *)sun, sizeof(*sun));
	close(fd);
	if (rc == 0 || errno == EAGAIN) {
		snprintf(err, len, "control socket %s: another lvsd answers "
			 "there; not started", path);
		return -1;
	}
	if (errno != ECONNREFUSED) {
		snprintf(err, len, "control socket %s: cannot tell whether "
			 "it is in use: %s", path, strerror(errno));
		return -1;
	}
	if (unlink(path) < 0 && errno != ENOENT) {
		snprintf(err, len, "control socket %s: stale, cannot remove "
			 "it: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Remove PATH only while it is still the socket this lvsd made. */
static void unlink_ours(const char *path)
{
	struct stat st;

	if (ctl_ino && lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_dev == ctl_dev && st.st_ino == ctl_ino)
		unlink(path);
}

int ctl_listen(const char *path, const char *group, unsigned int mode,
	       char *err, size_t len)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;
	mode_t old;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, len, "control socket path too long");
		return -1;
	}
	strcpy(sun.sun_path, path);
	if (claim_path(&sun, err, len))
		return -1;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	/* Never a moment with looser permissions than asked. */
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
		umask(old);
		goto fail;
	}
	umask(old);
	if (lstat(path, &st) == 0) {
		ctl_dev = st.st_dev;
		ctl_ino = st.st_ino;
	}
	if (group) {
		struct group *gr = getgrnam(group);

		if (!gr || chown(path, (uid_t)-1, gr->gr_gid) < 0) {
			snprintf(err, len, "control group '%s': %s", group,
				 gr ? strerror(errno) : "no such group");
			close(fd);
			unlink_ours(path);
			return -1;
		}
	}
	if (chmod(path, group ? mode : 0600) < 0 || listen(fd, 64) < 0)
		goto fail;
	ctl_srv = srv_new(fd, "\n", CTL_CONNS_MAX, ctl_handle);
	ctl_path = strdup(path);
	return 0;
fail:
	snprintf(err, len, "control socket %s: %s", path, strerror(errno));
	if (fd >= 0) {
		close(fd);
		unlink_ours(path);
	}
	return -1;
}

const struct srv_stats *ctl_stats(void)
{
	return srv_stats(ctl_srv);
}

void ctl_close(void)
{
	srv_free(ctl_srv);
	ctl_srv = NULL;
	if (ctl_path)
		unlink_ours(ctl_path);
	free(ctl_path);
	ctl_path = NULL;
}
