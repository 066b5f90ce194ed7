// SPDX-License-Identifier: GPL-2.0
/*
 * vrrp.c - the VRRP subsystem's registration with lvsd (runtime/subsys.h):
 * it owns vrrp_script, vrrp_instance and vrrp_sync_group and the vrrp_*
 * keywords of global_defs (vrrp_conf.c), runs them (vrrp_sub.c), and adds
 * "lvsd ctl vrrp [json]" and the lvsd_vrrp_* metrics.  In lvsd the hooks
 * drive the VRRP process (vrrp_proc.c, ../docs/vrrp.md); the process runs
 * the instances through vrrp_local_*.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "lvsc.h"
#include "loop.h"
#include "script.h"
#include "daemon.h"
#include "subsys.h"
#include "vrrp_conf.h"
#include "vrrp_proc.h"
#include "vrrp_sub.h"

static const struct subsys vrrp_subsys;
static bool running;


static void host_log(const char *msg)
{
	rt_log("%s", msg);
}

static void reaped(struct lchild *c, pid_t pid, int status, void *arg)
{
}

/* S with EXTRA appended, under the one script policy (script.h). */
static pid_t spawn(const struct conf_script *s, const char *what,
		   const char *const *extra)
{
	char *argv[72], err[160];
	size_t n = 0, i;
	pid_t pid;

	if (!s->argv)
		return -EINVAL;
	for (i = 0; s->argv[i] && n < 64; i++)
		argv[n++] = s->argv[i];
	for (i = 0; extra && extra[i] && n < 70; i++)
		argv[n++] = (char *)extra[i];
	argv[n] = NULL;
	pid = script_run(argv, s->user, s->group, err, sizeof(err));
	if (pid < 0 || err[0])
		rt_log("%s %s: %s", what, argv[0],
		       err[0] ? err : strerror((int)-pid));
	if (pid > 0 && strcmp(what, "vrrp_script"))
		lchild_watch(pid, reaped, NULL);
	return pid;
}

/* ---- lvs_sync_daemon: the sync daemon follows its instance ---- */

const char *vrrp_backend_name = "kernel";
static struct {
	struct vrrp_syncd_cfg	cfg;		/* strings: ours */
	long long		vrid;		/* the instance's */
	uint32_t		role;		/* LVS_DAEMON_*, 0: none */
	bool			master;		/* the instance is */
	struct lvsc		*h;
} SD;

static void syncd_call(bool start, uint32_t role)
{
	const char *what = role == LVS_DAEMON_MASTER ? "master" : "backup";
	struct lvsc_err err = { 0 };
	struct lvsc_daemon d = { .state = role };
	int rc;

	if (!strcmp(vrrp_backend_name, "dry")) {
		rt_log("lvs_sync_daemon: %s the %s daemon on %s, syncid %lld "
		       "(dry backend: not carried out)",
		       start ? "starting" : "stopping", what, SD.cfg.ifname,
		       SD.cfg.syncid >= 0 ? SD.cfg.syncid : SD.vrid);
		return;
	}
	if (!SD.h) {
		/* The datapath lvsd's backend uses (backend_kernel.c). */
		SD.h = strcmp(vrrp_backend_name, "bpf") ? lvsc_open(&err) :
			lvsc_open_datapath("bpf", &err);
		if (!SD.h) {
			rt_log("lvs_sync_daemon: %s", err.msg[0] ? err.msg :
			       strerror(-err.code));
			return;
		}
	}
	if (start) {
		snprintf(d.mcast_ifn, sizeof(d.mcast_ifn), "%s",
			 SD.cfg.ifname);
		d.syncid = (uint32_t)(SD.cfg.syncid >= 0 ? SD.cfg.syncid :
				      SD.vrid);
		d.sync_maxlen = (uint16_t)SD.cfg.maxlen;
		d.mcast_port = (uint16_t)SD.cfg.port;
		d.mcast_ttl = (uint8_t)SD.cfg.ttl;
		if (SD.cfg.group.af == AF_INET) {
			d.mcast_af = AF_INET;
			d.mcast_group.in = SD.cfg.group.u.in;
		} else if (SD.cfg.group.af == AF_INET6) {
			d.mcast_af = AF_INET6;
			d.mcast_group.in6 = SD.cfg.group.u.in6;
		}
		rc = lvsc_daemon_start(SD.h, &d, &err);
		if (rc == -EEXIST) {	/* left by an earlier process */
			lvsc_daemon_stop(SD.h, role, &err);
			memset(&err, 0, sizeof(err));
			rc = lvsc_daemon_start(SD.h, &d, &err);
		}
	} else {
		rc = lvsc_daemon_stop(SD.h, role, &err);
		if (rc == -ESRCH)
			return;		/* not running: what we want */
	}
	if (rc)
		rt_log("lvs_sync_daemon: %s the %s daemon on %s: %s",
		       start ? "starting" : "stopping", what, SD.cfg.ifname,
		       err.msg[0] ? err.msg : strerror(-rc));
	else
		rt_log("lvs_sync_daemon: %s daemon %s on %s", what,
		       start ? "started" : "stopped", SD.cfg.ifname);
}

/*
 * As keepalived: the other role's daemon stops (whoever started it: a
 * VRRP process killed before may have left one), then ROLE's starts.
 */
static void syncd_set(uint32_t role)
{
	if (!SD.cfg.ifname || SD.role == role)
		return;
	if (role)
		syncd_call(false, role == LVS_DAEMON_MASTER ?
			   LVS_DAEMON_BACKUP : LVS_DAEMON_MASTER);
	else
		syncd_call(false, SD.role);
	SD.role = role;
	if (role)
		syncd_call(true, role);
}

static void syncd_forget(void)
{
	syncd_set(0);
	free(SD.cfg.ifname);
	free(SD.cfg.inst);
	memset(&SD.cfg, 0, sizeof(SD.cfg));
}

static void state_changed(const char *name, enum vrrp_state from,
			  enum vrrp_state to)
{
	if (!SD.cfg.ifname || strcmp(name, SD.cfg.inst))
		return;
	SD.master = to == VRRP_MASTER;
	if (to == VRRP_MASTER)
		syncd_set(LVS_DAEMON_MASTER);
	else if (to != VRRP_INIT && (from == VRRP_MASTER || !SD.role))
		syncd_set(LVS_DAEMON_BACKUP);
}

static bool syncd_same(const struct vrrp_syncd_cfg *a,
		       const struct vrrp_syncd_cfg *b)
{
	if (!a->ifname || !b->ifname)
		return !a->ifname && !b->ifname;
	return !strcmp(a->ifname, b->ifname) && !strcmp(a->inst, b->inst) &&
	       a->syncid == b->syncid && a->maxlen == b->maxlen &&
	       a->port == b->port && a->ttl == b->ttl &&
	       a->group.af == b->group.af &&
	       (a->group.af == AF_INET ?
		a->group.u.in.s_addr == b->group.u.in.s_addr :
		a->group.af != AF_INET6 ||
		!memcmp(&a->group.u.in6, &b->group.u.in6, 16));
}

/* Take CFG's lvs_sync_daemon; a changed one restarts the daemon. */
static void syncd_configure(const struct vrrp_cfg *cfg)
{
	const struct vrrp_syncd_cfg *n = &cfg->syncd;
	bool was_master = SD.master;

	if (syncd_same(&SD.cfg, n))
		return;
	syncd_forget();
	SD.master = false;
	if (!n->ifname)
		return;
	SD.cfg = *n;
	SD.cfg.ifname = strdup(n->ifname);
	SD.cfg.inst = strdup(n->inst);
	SD.cfg.file = NULL;
	if (!SD.cfg.ifname || !SD.cfg.inst)
		abort();
	for (size_t i = 0; i < cfg->n_insts; i++)
		if (!strcmp(cfg->insts[i]->name, n->inst))
			SD.vrid = cfg->insts[i]->vrid;
	/* A daemon reconfigured under a running master stays master. */
	SD.master = was_master && running;
	syncd_set(SD.master ? LVS_DAEMON_MASTER : LVS_DAEMON_BACKUP);
}

static void syncd_stop(void)
{
	syncd_forget();
	SD.master = false;
	if (SD.h)
		lvsc_close(SD.h);
	SD.h = NULL;
}

static const struct vrrp_sub_host host = {
	.log = host_log,
	.spawn = spawn,
	.state_changed = state_changed,
};

bool vrrp_conf_wanted(const struct conf *c)
{
	const struct vrrp_cfg *cfg = conf_sub(c, &vrrp_subsys);

	return cfg && (cfg->n_insts || cfg->has_statics);
}

int vrrp_local_start(const struct conf *c, char *err, size_t len)
{
	struct vrrp_cfg *cfg = conf_sub(c, &vrrp_subsys);

	if (!vrrp_conf_wanted(c))
		return 0;
	/* keepalived starts the backup daemon, then follows the state. */
	syncd_configure(cfg);
	if (vrrp_sub_start(cfg, &host, err, len)) {
		syncd_stop();
		return -1;
	}
	running = true;
	return 0;
}

void vrrp_local_reload(const struct conf *c)
{
	struct vrrp_cfg *cfg = conf_sub(c, &vrrp_subsys);
	char err[256];

	if (!running) {
		if (vrrp_local_start(c, err, sizeof(err)))
			rt_log("VRRP: %s", err);
		return;
	}
	syncd_configure(cfg);
	if (vrrp_sub_reload(cfg, err, sizeof(err)))
		rt_log("VRRP: reload: %s", err);
}

void vrrp_local_stop(void)
{
	if (running)
		vrrp_sub_stop();
	running = false;
	syncd_stop();
}

/* In lvsd: the instances run in the VRRP process. */
static int sub_start(const struct conf *c, char *err, size_t len)
{
	if (!vrrp_conf_wanted(c))
		return 0;
	return vrrp_proc_start(lvsd.conf_path, &lvsd.opts, lvsd.bops->name, err,
			       len);
}

static void sub_reload(const struct conf *old, const struct conf *c)
{
	char err[256];

	if (vrrp_proc_active()) {
		vrrp_proc_reload();
		return;
	}
	if (vrrp_conf_wanted(c) &&
	    vrrp_proc_start(lvsd.conf_path, &lvsd.opts, lvsd.bops->name, err,
			    sizeof(err)))
		rt_log("VRRP: %s", err);
}

static void sub_stop(void)
{
	vrrp_proc_stop();
}

static void cmd_vrrp(int argc, char **argv, bool json, FILE *out)
{
	if (!vrrp_proc_active()) {
		fputs(json ? "[]\n" : "", out);
		return;
	}
	if (vrrp_proc_ask(json ? "show json" : "show", out))
		fputs(json ? "[]\n" : "the VRRP process does not answer "
		      "(restarting)\n", out);
}

static const struct subsys_cmd cmds[] = {
	{ "vrrp", cmd_vrrp, "vrrp [json]", NULL },
	{ NULL, NULL, NULL, NULL }
};

static const struct subsys vrrp_subsys = {
	.name		= VRRP_SUBSYS_NAME,
	VRRP_SUBSYS_CONF,
	.start		= sub_start,
	.reload		= sub_reload,
	.stop		= sub_stop,
	.cmds		= cmds,
	.metrics	= vrrp_proc_metrics,
};

SUBSYS_REGISTER(vrrp_subsys);
