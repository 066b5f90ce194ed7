/* SPDX-License-Identifier: GPL-2.0 */
/*
 * script.h - running operators' scripts (notify_*, quorum_*, MISC_CHECK,
 * later vrrp_script): never through a shell, in their own process group,
 * as an unprivileged user unless the configuration names root, and under
 * one security policy, so that no caller can skip it: every script goes
 * through script_run().
 *
 * The policy (script_policy_set(), from global_defs at start and at each
 * reload): scripts run as script_user; else, when the daemon is root, as
 * keepalived's "keepalived_script" user or "nobody"; else as the daemon.
 * A script that would run as root and that others can rewrite (it, or a
 * directory above it, not root's or writable by group or others) is
 * refused under enable_script_security, else run with a warning the
 * caller logs.
 */
#ifndef _RT_SCRIPT_H
#define _RT_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct script_id {
	uid_t	uid;
	gid_t	gid;
	bool	drop;		/* false: keep lvsd's identity */
};

/* Look USER (and GROUP, else USER's primary group) up. */
int script_resolve_user(const char *user, const char *group, uid_t *uid,
			gid_t *gid, char *err, size_t errlen);
/* fork + exec ARGV as ID; returns the pid or a negative errno. */
pid_t script_spawn(char *const argv[], const struct script_id *id);
/*
 * Is PATH (found on $PATH when it has no '/') safe to run as root: it and
 * every directory above it owned by root and not writable by group or
 * others?  0 yes, -1 no with the reason in ERR.
 */
int script_check_secure(const char *path, char *err, size_t errlen);

/*
 * Set the policy: the default user (USER and GROUP, NULL: the fallbacks
 * above) and whether insecure scripts are refused (ENFORCE).  -1 with ERR
 * when no user could be found: until the next call every script without a
 * user of its own is refused.
 */
int script_policy_set(const char *user, const char *group, bool enforce,
		      char *err, size_t errlen);
/*
 * Run ARGV under the policy, as USER/GROUP when given (a script's own
 * "user" setting), else as the policy's user.  Returns the pid, or a
 * negative errno with the reason in ERR (-EPERM: refused by the policy,
 * "SECURITY VIOLATION - ..."; -ENOENT: unknown user; -EACCES: the file
 * is not executable for the user it would run as).  The security check
 * applies to scripts that run as root, whoever named the user (as
 * keepalived).  On success ERR is empty, or holds a warning for the
 * caller to log.
 */
pid_t script_run(char *const argv[], const char *user, const char *group,
		 char *err, size_t errlen);

#endif /* _RT_SCRIPT_H */
