// SPDX-License-Identifier: GPL-2.0
/* script.c - fork/exec of operators' scripts; see script.h. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "script.h"

int script_resolve_user(const char *user, const char *group, uid_t *uid,
			gid_t *gid, char *err, size_t errlen)
{
	struct passwd *pw = getpwnam(user);
	struct group *gr;

	if (!pw) {
		snprintf(err, errlen, "unknown user '%s'", user);
		return -1;
	}
	*uid = pw->pw_uid;
	*gid = pw->pw_gid;
	if (group) {
		gr = getgrnam(group);
		if (!gr) {
			snprintf(err, errlen, "unknown group '%s'", group);
			return -1;
		}
		*gid = gr->gr_gid;
	}
	return 0;
}

static void child_exec(char *const argv[], const struct script_id *id)
{
	struct sigaction sa = { .sa_handler = SIG_DFL };
	sigset_t none;
	int fd;

	setsid();
	for (int s = 1; s < NSIG; s++)
		sigaction(s, &sa, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		if (fd > 2)
			close(fd);
	}
	closefrom(3);
	if (id->drop) {
		if (setgroups(1, &id->gid) < 0 || setgid(id->gid) < 0 ||
		    setuid(id->uid) < 0)
			_exit(126);
	}
	execvp(argv[0], argv);
	_exit(127);
}

pid_t script_spawn(char *const argv[], const struct script_id *id)
{
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (pid == 0)
		child_exec(argv, id);
	/* Also from the parent, so a kill(-pid) right away finds the group. */
	setpgid(pid, pid);
	return pid;
}

/*
 * keepalived refuses a script its user cannot execute: the mode bits that
 * apply to ID (root: any x bit), judged here rather than by a failed exec
 * in the child.  A name without '/' is left to execvp's PATH search.
 */
static int not_executable(const char *path, const struct script_id *id,
			  char *err, size_t errlen)
{
	struct stat st;
	mode_t bit;

	if (!strchr(path, '/'))
		return 0;
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (id->uid == 0)
		bit = S_IXUSR | S_IXGRP | S_IXOTH;
	else if (st.st_uid == id->uid)
		bit = S_IXUSR;
	else if (st.st_gid == id->gid)
		bit = S_IXGRP;
	else
		bit = S_IXOTH;
	if (!S_ISREG(st.st_mode) || !(st.st_mode & bit)) {
		snprintf(err, errlen, "%s is not executable for uid:gid %u:%u",
			 path, (unsigned int)id->uid, (unsigned int)id->gid);
		return -1;
	}
	return 0;
}

static int insecure(const char *path, char *err, size_t errlen)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	/* A sticky directory (/tmp) lets nobody replace root's entries. */
	if (S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX) && st.st_uid == 0)
		return 0;
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		snprintf(err, errlen, "%s is writable by a user other than "
			 "root", path);
		return -1;
	}
	return 0;
}

int script_check_secure(const char *path, char *err, size_t errlen)
{
	char buf[PATH_MAX], *slash;

	if (!strchr(path, '/')) {
		const char *env = getenv("PATH");
		char *dirs = strdup(env ? env : "/usr/bin:/bin"), *save = NULL;
		int rc = -1;

		snprintf(err, errlen, "%s not found on PATH", path);
		for (char *d = strtok_r(dirs, ":", &save); d;
		     d = strtok_r(NULL, ":", &save)) {
			snprintf(buf, sizeof(buf), "%s/%s", d, path);
			if (access(buf, X_OK) == 0) {
				rc = script_check_secure(buf, err, errlen);
				break;
			}
		}
		free(dirs);
		return rc;
	}
	if (!realpath(path, buf)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (insecure(buf, err, errlen))
		return -1;
	while ((slash = strrchr(buf, '/'))) {
		*(slash == buf ? slash + 1 : slash) = '\0';
		if (insecure(buf, err, errlen))
			return -1;
		if (slash == buf)
			break;
	}
	return 0;
}

static struct {
	struct script_id	id;
	bool			id_ok;
	bool			enforce;
} policy;

int script_policy_set(const char *user, const char *group, bool enforce,
		      char *err, size_t errlen)
{
	static const char *const fallback[] = { "keepalived_script", "nobody" };
	char e[128];

	policy.enforce = enforce;
	policy.id_ok = true;
	if (user) {
		if (script_resolve_user(user, group, &policy.id.uid,
					&policy.id.gid, e, sizeof(e))) {
			snprintf(err, errlen, "script_user: %s", e);
			policy.id_ok = false;
			return -1;
		}
		policy.id.drop = policy.id.uid != geteuid();
		return 0;
	}
	if (geteuid() != 0) {
		policy.id = (struct script_id){ geteuid(), getegid(), false };
		return 0;
	}
	for (size_t i = 0; i < 2; i++)
		if (!script_resolve_user(fallback[i], NULL, &policy.id.uid,
					 &policy.id.gid, e, sizeof(e))) {
			policy.id.drop = true;
			return 0;
		}
	snprintf(err, errlen, "no script_user and no 'nobody' user");
	policy.id_ok = false;
	return -1;
}

pid_t script_run(char *const argv[], const char *user, const char *group,
		 char *err, size_t errlen)
{
	struct script_id id = policy.id;
	char why[PATH_MAX + 64];
	pid_t pid;

	err[0] = '\0';
	if (!argv || !argv[0]) {
		snprintf(err, errlen, "empty script");
		return -EINVAL;
	}
	if (user) {
		if (script_resolve_user(user, group, &id.uid, &id.gid, err,
					errlen))
			return -ENOENT;
		id.drop = id.uid != geteuid();
	} else if (!policy.id_ok) {
		snprintf(err, errlen, "no user to run scripts as");
		return -EPERM;
	}
	if (id.drop && not_executable(argv[0], &id, err, errlen))
		return -EACCES;
	if ((!id.drop || id.uid == 0) && geteuid() == 0 &&
	    script_check_secure(argv[0], why, sizeof(why))) {
		if (policy.enforce) {
			snprintf(err, errlen, "SECURITY VIOLATION - %s", why);
			return -EPERM;
		}
		snprintf(err, errlen, "%s", why);
	}
	pid = script_spawn(argv, &id);
	if (pid < 0)
		snprintf(err, errlen, "%s", strerror((int)-pid));
	return pid;
}
