/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsc_bpf.h - liblvsc's second backend: the eBPF datapath (bpf/).
 *
 * The calls of lvsc.h, served from the pinned maps of bpf/lvs.bpf.c
 * instead of lvs.ko's netlink family.  lvsc.c dispatches to these when a
 * handle was opened on the bpf datapath; docs/bpf.md is the contract.
 * Same conventions as lvsc.h: 0 or a negative errno, err filled, never
 * prints.
 */
#ifndef _LVSC_BPF_H
#define _LVSC_BPF_H

#include <stdbool.h>

#include "lvsc.h"

struct lvsc_bpf;

struct lvsc_bpf *lvsc_bpf_open(struct lvsc_err *err);
void lvsc_bpf_close(struct lvsc_bpf *b);
/* Take (on) or drop the lock every change holds; lvsc.c brackets each
 * change with it. */
void lvsc_bpf_lock(struct lvsc_bpf *b, bool on);

int lvsc_bpf_info(struct lvsc_bpf *b, struct lvsc_info *info,
		  struct lvsc_err *err);
int lvsc_bpf_config_get(struct lvsc_bpf *b, struct lvsc_config *cfg,
			struct lvsc_err *err);
int lvsc_bpf_config_set(struct lvsc_bpf *b, const struct lvsc_config *cfg,
			struct lvsc_err *err);
int lvsc_bpf_service_add(struct lvsc_bpf *b, const struct lvsc_service *svc,
			 struct lvsc_err *err);
int lvsc_bpf_service_edit(struct lvsc_bpf *b, const struct lvsc_service *svc,
			  struct lvsc_err *err);
int lvsc_bpf_service_del(struct lvsc_bpf *b, const struct lvsc_service *svc,
			 struct lvsc_err *err);
int lvsc_bpf_service_get(struct lvsc_bpf *b, struct lvsc_service *svc,
			 struct lvsc_err *err);
int lvsc_bpf_service_list(struct lvsc_bpf *b, struct lvsc_service **svcs,
			  size_t *n, struct lvsc_err *err);
int lvsc_bpf_flush(struct lvsc_bpf *b, struct lvsc_err *err);
int lvsc_bpf_zero(struct lvsc_bpf *b, const struct lvsc_service *svc,
		  struct lvsc_err *err);
int lvsc_bpf_dest_add(struct lvsc_bpf *b, const struct lvsc_service *svc,
		      const struct lvsc_dest *dest, struct lvsc_err *err);
int lvsc_bpf_dest_edit(struct lvsc_bpf *b, const struct lvsc_service *svc,
		       const struct lvsc_dest *dest, struct lvsc_err *err);
int lvsc_bpf_dest_del(struct lvsc_bpf *b, const struct lvsc_service *svc,
		      const struct lvsc_dest *dest, struct lvsc_err *err);
int lvsc_bpf_dest_list(struct lvsc_bpf *b, const struct lvsc_service *svc,
		       struct lvsc_dest **dests, size_t *n,
		       struct lvsc_err *err);
int lvsc_bpf_conn_list(struct lvsc_bpf *b, struct lvsc_conn **conns,
		       size_t *n, struct lvsc_err *err);
int lvsc_bpf_unload(struct lvsc_err *err);
/* Attach to wanted interfaces that have no link yet (lvsc_attach_new). */
int lvsc_bpf_attach_new(struct lvsc_bpf *b, struct lvsc_err *err);

/*
 * Connection sync daemons (lib/bpf_sync.c, docs/sync.md): a process per
 * namespace and role, forked by start (which loads the datapath first
 * when needed), stopped by stop, listed from its state file.
 */
int lvsc_bpf_daemon_start(struct lvsc_bpf *b, const struct lvsc_daemon *d,
			  struct lvsc_err *err);
int lvsc_bpf_sync_start(const char *dir, const struct lvsc_daemon *d,
			struct lvsc_err *err);
int lvsc_bpf_sync_stop(uint32_t state, struct lvsc_err *err);
int lvsc_bpf_sync_list(struct lvsc_daemon **ds, size_t *n,
		       struct lvsc_err *err);

#endif /* _LVSC_BPF_H */
