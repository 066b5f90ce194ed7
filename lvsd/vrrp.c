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

const char *vrrp_backend_name = "kernel";

static const struct vrrp_sub_host host = {
	.log = host_log,
	.spawn = spawn,
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
	if (vrrp_sub_start(cfg, &host, err, len))
		return -1;
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
	if (vrrp_sub_reload(cfg, err, sizeof(err)))
		rt_log("VRRP: reload: %s", err);
}

void vrrp_local_stop(void)
{
	if (running)
		vrrp_sub_stop();
	running = false;
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
