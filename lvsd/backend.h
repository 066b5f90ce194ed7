/* SPDX-License-Identifier: GPL-2.0 */
/*
 * backend.h - where lvsd puts services and real servers.  A backend is one
 * file with one ops table, registered by name like the checkers:
 *
 *   kernel   the lvs module, through liblvsc (lib/lvsc.h);
 *   dry      nothing is sent anywhere; the backend keeps the table lvsd
 *            asked for, which "lvsd ctl backend" shows.  For checking a
 *            configuration's behaviour on a host without the module, and
 *            what the host tests use.
 *
 * The calls take lib/lvsc.h's types and conventions (0 or -errno, message
 * in *err; EEXIST on a second add, ENOENT on a missing entry).
 */
#ifndef _LVSD_BACKEND_H
#define _LVSD_BACKEND_H

#include "lvsc.h"
#include "registry.h"

struct backend;

struct backend_ops {
	const char	*name;
	struct backend *(*open)(struct lvsc_err *err);
	void (*close)(struct backend *b);
	int (*svc_add)(struct backend *b, const struct lvsc_service *svc,
		       struct lvsc_err *err);
	int (*svc_edit)(struct backend *b, const struct lvsc_service *svc,
			struct lvsc_err *err);
	int (*svc_del)(struct backend *b, const struct lvsc_service *svc,
		       struct lvsc_err *err);
	int (*svc_list)(struct backend *b, struct lvsc_service **svcs,
			size_t *n, struct lvsc_err *err);
	/* Every service and real server (keepalived's lvs_flush). */
	int (*flush)(struct backend *b, struct lvsc_err *err);
	int (*dest_add)(struct backend *b, const struct lvsc_service *svc,
			const struct lvsc_dest *d, struct lvsc_err *err);
	int (*dest_edit)(struct backend *b, const struct lvsc_service *svc,
			 const struct lvsc_dest *d, struct lvsc_err *err);
	int (*dest_del)(struct backend *b, const struct lvsc_service *svc,
			const struct lvsc_dest *d, struct lvsc_err *err);
	int (*dest_list)(struct backend *b, const struct lvsc_service *svc,
			 struct lvsc_dest **dests, size_t *n,
			 struct lvsc_err *err);
	/* The datapath's settings (lvs_timeouts), as lvsc_config_set():
	 * a zero field is left unchanged. */
	int (*config_set)(struct backend *b, const struct lvsc_config *cfg,
			  struct lvsc_err *err);
};

void backend_register(const struct backend_ops *ops);
const struct backend_ops *backend_find(const char *name);
/* "kernel, dry": the names built in, for usage messages. */
const char *backend_names(void);

extern struct rt_registry backend_registry;

#define BACKEND_REGISTER(ops)	RT_REGISTER(backend_registry, ops)

/*
 * On the eBPF datapath (backends kernel and bpf), watch RTM_NEWLINK and
 * attach the datapath to each new interface (lvsc_attach_new), as IPVS
 * serves interfaces created later.  After loop_init(); 0 or -errno.
 */
int backend_watch_links(const struct backend_ops *ops, struct backend *b);
void backend_unwatch_links(void);

/* Two services are the same one (lvsc.h's naming rule). */
int backend_svc_same(const struct lvsc_service *a,
		     const struct lvsc_service *b);
int backend_dest_same(const struct lvsc_dest *a, const struct lvsc_dest *b);

#endif /* _LVSD_BACKEND_H */
