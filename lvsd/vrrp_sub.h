/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrrp_sub.h - lvsd's VRRP subsystem (vrrp_sub.c): runs the vrrp_instance,
 * vrrp_sync_group and vrrp_script blocks of a struct vrrp_cfg on lvsd's
 * loop.  What it needs of the daemon around it comes through struct
 * vrrp_sub_host, so it is driven the same way by lvsd and by tests.
 */
#ifndef _LVSD_VRRP_SUB_H
#define _LVSD_VRRP_SUB_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "vrrp.h"
#include "vrrp_conf.h"

struct vrrp_sub_host {
	void	(*log)(const char *msg);
	/*
	 * Runs S with EXTRA (NULL-terminated, or NULL) appended to its
	 * arguments, under the daemon's script policy (user, security);
	 * returns the pid, reaped by the caller's child watcher when it
	 * needs the status, or a negative errno.  WHAT names it in logs.
	 */
	pid_t	(*spawn)(const struct conf_script *s, const char *what,
			 const char *const *extra);
	/* Optional: after every state change (connection sync follows it). */
	void	(*state_changed)(const char *name, enum vrrp_state from,
				 enum vrrp_state to);
};

/* CFG stays the caller's and must outlive the subsystem's use of it. */
int vrrp_sub_start(struct vrrp_cfg *cfg, const struct vrrp_sub_host *host,
		   char *err, size_t errlen);
/*
 * Moves to NEW: an instance whose name and protocol settings did not
 * change keeps running, in the state it has (no failover on reload);
 * the others stop (a master resigns) and the new ones start.
 */
int vrrp_sub_reload(struct vrrp_cfg *new, char *err, size_t errlen);
void vrrp_sub_stop(void);
void vrrp_sub_show(FILE *out, bool json);
void vrrp_sub_metrics(FILE *out);

#endif /* _LVSD_VRRP_SUB_H */
