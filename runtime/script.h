/* SPDX-License-Identifier: GPL-2.0 */
/*
 * script.h - running operators' scripts (notify_*, quorum_*, MISC_CHECK):
 * never through a shell, in their own process group, as an unprivileged
 * user unless the configuration names root.
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

#endif /* _RT_SCRIPT_H */
