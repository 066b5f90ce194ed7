/* SPDX-License-Identifier: GPL-2.0 */
/* vmm_int.h - shared between vmm's files; not for its host. */
#ifndef _VMM_INT_H
#define _VMM_INT_H

#include "vmm.h"

/* The marker every QEMU we start carries in its -name: "lvsd-vmm:". */
#define VMM_TAG		"lvsd-vmm:"

int vmm_err(char *err, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* qemu.c */
int vmm_qemu_path(const char *qemu, char *path, size_t plen, char *err,
		  size_t len);
long long vmm_host_mem_mb(void);
pid_t vmm_qemu_spawn(const struct vmm_pool_conf *c, const struct vmm_node *n,
		     const char *qemu_path, enum vmm_accel accel, char *err,
		     size_t len);
/* Is PID a QEMU of ours (its command line carries VMM_TAG + NAME)? */
bool vmm_qemu_is_ours(pid_t pid, const char *name);

/* qmp.c: one command, synchronous, at most TIMEOUT_MS; 0 on "return". */
int vmm_qmp(const char *path, const char *cmd, int timeout_ms, char *reply,
	    size_t rlen, char *err, size_t len);

/* image.c */
int vmm_overlay_create(const char *base, const char *overlay, char *err,
		       size_t len);
void vmm_overlay_remove(const char *overlay);

/* net.c: rtnetlink through libmnl, /dev/net/tun for taps.  ALIAS (the
 * interface's ifalias) marks what vmm made, so it never takes over or
 * deletes a device someone else owns. */
int vmm_bridge_ensure(const char *name, const char *alias,
		      const struct in_addr *addr, int prefix, bool *created,
		      char *err, size_t len);
int vmm_tap_create(const char *name, const char *bridge, const char *alias,
		   char *err, size_t len);
/* Delete NAME if its alias is ALIAS; 0 also when it is not there. */
int vmm_link_del_ours(const char *name, const char *alias, char *err,
		      size_t len);

/* state.c: one file per thing made, written before it is made. */
int vmm_state_write(const char *path, const char *const *kv, char *err,
		    size_t len);
/* Remove what the records under DIR name; report each to LOG. */
void vmm_state_recover(const char *dir, const struct vmm_host *host);

#endif /* _VMM_INT_H */
