// SPDX-License-Identifier: GPL-2.0
/*
 * check_misc.c - MISC_CHECK: run misc_path; exit 0 passes, anything else
 * fails.  With misc_dynamic, 1 fails, 0 passes with the configured weight,
 * and 2..255 pass with weight = code - 2 (keepalived's convention; the
 * weight is set, never accumulated).  The script runs through the
 * runtime's script_run(), under the same policy as notify scripts (its
 * own user, else script_user; refused under enable_script_security when
 * it would run as root and others can rewrite it: the probe fails with
 * the reason); after misc_timeout (default delay_loop) its process group
 * is killed and the probe fails.
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "checker.h"
#include "loop.h"
#include "script.h"

struct misc_conf {
	char		*path;
	char		**argv;
	long long	timeout;	/* usec, 0: delay_loop */
	long long	dynamic;
	char		*user, *group;
};

struct misc_state {
	pid_t		pid;
	struct lchild	*child;
};

static int kw_user(struct conf_parser *p, const struct conf_kw *kw,
		   void *obj, int argc, char **argv)
{
	struct misc_conf *m = obj;

	if (argc < 2) {
		conf_err(p, "user needs a name");
		return -1;
	}
	free(m->user);
	free(m->group);
	m->user = strdup(argv[1]);
	m->group = argc >= 3 ? strdup(argv[2]) : NULL;
	return 0;
}

static const struct conf_kw misc_kws[] = {
	{ .name = "misc_path", .parse = conf_kw_str,
	  .off = offsetof(struct misc_conf, path) },
	{ .name = "misc_timeout", .parse = conf_kw_timer,
	  .off = offsetof(struct misc_conf, timeout), .min = 1000,
	  .max = 86400LL * 1000000 },
	{ .name = "misc_dynamic", .parse = conf_kw_bool,
	  .off = offsetof(struct misc_conf, dynamic), .def = "off" },
	{ .name = "user", .parse = kw_user },
	{ .name = NULL }
};

static void misc_validate(struct conf_parser *p, struct check_conf *c)
{
	struct misc_conf *m = c->priv;

	struct stat st;

	if (!m->path || !(m->argv = conf_split_argv(m->path))) {
		conf_err(p, "MISC_CHECK without misc_path");
		return;
	}
	if (m->argv[0][0] == '/' && stat(m->argv[0], &st) == 0 &&
	    (st.st_mode & S_IWOTH))
		conf_warn(p, "script '%s' is writable by others", m->argv[0]);
	if (m->user) {
		char err[128];
		uid_t uid;
		gid_t gid;

		if (script_resolve_user(m->user, m->group, &uid, &gid, err,
					sizeof(err)))
			conf_err(p, "MISC_CHECK: %s", err);
	}
}

static void misc_free(void *priv)
{
	struct misc_conf *m = priv;

	free(m->path);
	conf_argv_free(m->argv);
	free(m->user);
	free(m->group);
}

static void misc_exited(struct lchild *c, pid_t pid, int status, void *arg)
{
	struct check_probe *pr = arg;
	const struct misc_conf *m = pr->conf->priv;
	int code;

	free(pr->state);
	pr->state = NULL;
	if (!WIFEXITED(status)) {
		probe_done(pr, CHECK_FAIL, -1, "killed by signal %d",
			   WTERMSIG(status));
		return;
	}
	code = WEXITSTATUS(status);
	if (code == 0)
		probe_done(pr, CHECK_OK, -1, NULL);
	else if (m->dynamic && code >= 2)
		probe_done(pr, CHECK_OK, code - 2, NULL);
	else
		probe_done(pr, CHECK_FAIL, -1, "exit status %d", code);
}

static int misc_start(struct check_probe *pr)
{
	const struct misc_conf *m = pr->conf->priv;
	char err[PATH_MAX + 96];
	struct misc_state *st;
	pid_t pid;

	if (!m->argv)
		return -EINVAL;
	/* The runtime's one script policy, as for notify scripts. */
	pid = script_run(m->argv, m->user, m->group, err, sizeof(err));
	if (pid < 0) {
		probe_why(pr, "%s", err);
		return (int)pid;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	st->pid = pid;
	st->child = lchild_watch(pid, misc_exited, pr);
	pr->state = st;
	return 0;
}

static enum check_result misc_timeout(struct check_probe *pr)
{
	struct misc_state *st = pr->state;

	kill(-st->pid, SIGKILL);
	lchild_cancel(st->child);
	free(st);
	pr->state = NULL;
	probe_why(pr, "timed out");
	return CHECK_FAIL;
}

static long long misc_probe_timeout(const struct check_conf *c)
{
	const struct misc_conf *m = c->priv;

	return m->timeout ? m->timeout : c->r_delay;
}

static const struct checker_ops misc_checker = {
	.name		= "MISC_CHECK",
	.kws		= misc_kws,
	.priv_size	= sizeof(struct misc_conf),
	.priv_free	= misc_free,
	.validate	= misc_validate,
	.default_retry	= 0,
	.default_dbr	= 1000000,
	.no_port	= true,
	.probe_timeout	= misc_probe_timeout,
	.start		= misc_start,
	.timeout	= misc_timeout,
};

CHECKER_REGISTER(misc_checker)
