// SPDX-License-Identifier: GPL-2.0
/*
 * vrrp.c - the VRRP subsystem's registration with lvsd (runtime/subsys.h):
 * it owns vrrp_script, vrrp_instance and vrrp_sync_group and the vrrp_*
 * keywords of global_defs (vrrp_conf.c), runs them (vrrp_sub.c), and adds
 * "lvsd ctl vrrp [json]" and the lvsd_vrrp_* metrics.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "loop.h"
#include "script.h"
#include "subsys.h"
#include "vrrp_conf.h"
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

static const struct vrrp_sub_host host = {
	.log = host_log,
	.spawn = spawn,
};

static int sub_start(const struct conf *c, char *err, size_t len)
{
	struct vrrp_cfg *cfg = conf_sub(c, &vrrp_subsys);

	if (!cfg->n_insts && !cfg->has_statics)
		return 0;
	if (vrrp_sub_start(cfg, &host, err, len))
		return -1;
	running = true;
	return 0;
}

static void sub_reload(const struct conf *old, const struct conf *c)
{
	struct vrrp_cfg *cfg = conf_sub(c, &vrrp_subsys);
	char err[256];

	if (!running) {
		if (sub_start(c, err, sizeof(err)))
			rt_log("VRRP: %s", err);
		return;
	}
	if (vrrp_sub_reload(cfg, err, sizeof(err)))
		rt_log("VRRP: reload: %s", err);
}

static void sub_stop(void)
{
	if (running)
		vrrp_sub_stop();
	running = false;
}

static void cmd_vrrp(int argc, char **argv, bool json, FILE *out)
{
	vrrp_sub_show(out, json);
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
	.metrics	= vrrp_sub_metrics,
};

SUBSYS_REGISTER(vrrp_subsys);
