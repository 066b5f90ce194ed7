/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pools.h - lvsd's VM pools: the vm_pool blocks run by vmm/ (libvmm), and
 * the nodes of a pool made real servers of every virtual_server naming it
 * in real_server_pool.  daemon.c calls these at its few hook points
 * (start, reload, stop, building a virtual server, a health change, a real
 * server freed); ctl.c and metrics.c call pools_ctl and pools_metrics.
 * Kept in one file with a narrow surface so that it becomes an lvsd
 * subsystem (its own config block and start/reload/stop/ctl/metrics
 * hooks) without change to vmm/.
 */
#ifndef _LVSD_POOLS_H
#define _LVSD_POOLS_H

#include <stdbool.h>
#include <stdio.h>

#include "vs_conf.h"

struct vs_rt;
struct rs_rt;

/* Open the vmm state directory (removing a crashed instance's leftovers)
 * and start every pool of C.  -1 + ERR: nothing is left started. */
int pools_start(const struct conf *c, char *err, size_t len);
/* NC is about to replace the running configuration: start new pools,
 * stop removed ones, apply a changed size. */
void pools_reload(const struct conf *nc);
void pools_stop(void);
/* VS was just built: add its pool's running nodes as real servers. */
void pools_attach(struct vs_rt *vs);
/* RS (a node's real server) changed health. */
void pools_rs_health(struct rs_rt *rs);
/* RS is being freed: release the configuration made for its node. */
void pools_rs_free(struct rs_rt *rs);
void pools_ctl(int argc, char **argv, bool json, FILE *out);
void pools_metrics(FILE *o);

#endif /* _LVSD_POOLS_H */
