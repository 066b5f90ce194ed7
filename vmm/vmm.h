/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vmm.h - pools of QEMU backend nodes, driven by a host daemon (lvsd).
 *
 * vmm owns, per node: a QEMU process (microvm, a QMP socket, a console
 * log), a tap on the pool's bridge, a deterministic MAC, an address from
 * the pool's range and, for disk-image pools, a qcow2 overlay over the
 * shared base.  Per pool: the bridge when it made it.  Everything it makes
 * is written down in its state directory first, so a later instance
 * removes what a crashed one left (vmm_open()).  It knows nothing of its
 * host: no services, no checks.  It tells the host through struct
 * vmm_host when a node is running (start checking it), gone (take it out
 * of service now) or to be retired (drain it, then vmm_node_stop()), and
 * the host tells it when a node enters service.
 *
 * It runs on the host's event loop (loop.h: timers, child watchers) and
 * may call json-c (QMP), libmnl (rtnetlink), /dev/net/tun and qemu-img.
 * Blocking calls are bounded: QMP exchanges (a local socket, 1 s at most),
 * qemu-img create (a few ms), and vmm_close() which waits for the nodes to
 * power off.  Errors go back to the caller as text (ERR, LEN); events
 * during operation go to host->log.  Contract and tests: docs/vmm.md.
 */
#ifndef _VMM_VMM_H
#define _VMM_VMM_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "policy.h"

enum vmm_accel { VMM_ACCEL_AUTO, VMM_ACCEL_KVM, VMM_ACCEL_TCG };

/* A pool's settings.  vmm keeps its own copy (vmm_pool_start). */
struct vmm_pool_conf {
	char		*name;
	char		*file;			/* where it was written, */
	int		line;			/* for messages */
	char		*kernel, *initrd;	/* boot source (always) */
	char		*cmdline;		/* extra kernel arguments */
	char		*image;			/* qcow2 base: disk-image boot */
	char		*data_disk;		/* shared, read-only, raw */
	char		*qemu;			/* binary; NULL: from PATH */
	long long	memory_mb, vcpus;
	long long	size, min, max;
	char		*bridge;
	struct in_addr	bridge_addr;		/* the host's side, gateway */
	int		prefix;
	uint32_t	range_lo, range_hi;	/* node addresses, host order */
	uint8_t		mac_prefix[3];
	long long	port;			/* the service port, node.port */
	enum vmm_accel	accel;
	char		**qemu_args;		/* NULL-terminated or NULL */
	bool		keep_nodes;		/* leave them running at stop */
	struct vmm_restart_policy restart;
	int64_t		stop_timeout;		/* usec, power-down to kill */
};

enum vmm_node_state {
	VMM_BOOTING,		/* QEMU started, not in service yet */
	VMM_UP,			/* in service (the host said so) */
	VMM_RUNNING,		/* was in service, checks now fail */
	VMM_RETIRING,		/* the host drains it */
	VMM_STOPPING,		/* ACPI power-down sent, kill after timeout */
	VMM_BACKOFF,		/* crashed, restarts after a delay */
	VMM_FAILED,		/* crash loop: not restarted */
};

struct vmm;
struct vmm_pool;
struct lchild;
struct ltimer;

struct vmm_node {
	struct vmm_pool	*pool;
	unsigned int	idx;			/* slot; address and MAC */
	char		name[48];		/* "<pool>-<idx>" */
	struct in_addr	addr;
	uint8_t		mac[6];
	char		tap[16];
	enum vmm_node_state state;
	pid_t		pid;			/* 0 when not running */
	int64_t		started;		/* usec, loop clock */
	int64_t		in_service_at;		/* 0: not yet */
	int64_t		boot_to_service;	/* usec, last boot; -1 none */
	unsigned int	restarts;		/* restarts after crashes */
	unsigned int	fails;			/* crashes in a row */
	bool		restart_after_stop;	/* an operator's restart */
	bool		quit_sent;		/* QMP quit after the timeout */
	char		*overlay;		/* NULL: kernel boot */
	char		*qmp;
	char		*console;
	char		*record;		/* its state file */
	struct lchild	*child;
	struct ltimer	*timer;			/* backoff or kill timeout */
	void		*host_data;		/* the host's, vmm never looks */
};

struct vmm_host {
	/* QEMU runs and the node has its address: start checking it. */
	void (*node_up)(struct vmm_node *n, void *arg);
	/* The node is gone (crash, stop): out of service at once. */
	void (*node_down)(struct vmm_node *n, void *arg);
	/* Drain the node, then call vmm_node_stop().  NULL: stop at once. */
	void (*node_retire)(struct vmm_node *n, void *arg);
	void (*log)(void *arg, const char *fmt, ...)
		__attribute__((format(printf, 2, 3)));
	void		*arg;
};

/*
 * Open the state directory DIR (created 0700), removing whatever a
 * previous instance left there: QEMU processes (only those whose command
 * line names them as ours), taps, bridges and overlays.  What it removed
 * goes to host->log.
 */
struct vmm *vmm_open(const char *dir, const struct vmm_host *host,
		     char *err, size_t len);
/* Stop every pool (power-down, kill after each pool's stop_timeout), remove
 * what vmm made (keep_nodes pools: only forget them), free V. */
void vmm_close(struct vmm *v);

/* Settings a pool cannot start with: missing files, a range smaller than
 * max, more memory than the host has, no QEMU binary.  0 or -1 + ERR. */
int vmm_pool_conf_check(const struct vmm_pool_conf *c, char *err, size_t len);
struct vmm_pool_conf *vmm_pool_conf_dup(const struct vmm_pool_conf *c);
void vmm_pool_conf_free(struct vmm_pool_conf *c);

/* Start a pool: its bridge, then conf->size nodes.  NULL + ERR, and
 * nothing left behind, when it cannot. */
struct vmm_pool *vmm_pool_start(struct vmm *v, const struct vmm_pool_conf *c,
				char *err, size_t len);
/* Stop one pool's nodes at once (no drain) and forget the pool. */
void vmm_pool_stop(struct vmm_pool *p);
struct vmm_pool *vmm_pool_find(struct vmm *v, const char *name);
struct vmm_pool *vmm_pool_next(struct vmm *v, struct vmm_pool *prev);
const struct vmm_pool_conf *vmm_pool_conf(const struct vmm_pool *p);
/* The size asked for, clamped into [min, max]. */
unsigned int vmm_pool_target(const struct vmm_pool *p);
/* Nodes, in slot order; NULL after the last. */
struct vmm_node *vmm_node_next(struct vmm_pool *p, struct vmm_node *prev);
struct vmm_node *vmm_node_find(struct vmm_pool *p, const char *name);
/* Nodes in service, nodes counted towards the target. */
void vmm_pool_counts(const struct vmm_pool *p, unsigned int *in_service,
		     unsigned int *active);

int vmm_pool_resize(struct vmm_pool *p, long long size, char *err,
		    size_t len);
/* A new configuration says SIZE: resize, and remember it as the
 * configured size (what vmm_pool_conf() reports), so a later
 * configuration is compared with it and an operator's resize stands
 * until the configured size changes. */
int vmm_pool_configure_size(struct vmm_pool *p, long long size, char *err,
			    size_t len);
/* Restart one node (retire, then boot it again) or retire it for good
 * (the pool's size shrinks by one). */
int vmm_node_restart(struct vmm_node *n, char *err, size_t len);
int vmm_node_retire(struct vmm_node *n, char *err, size_t len);
/* The host drained it: power it off now (kill after stop_timeout). */
void vmm_node_stop(struct vmm_node *n);
/* The host's checks passed (true) or failed (false). */
void vmm_node_set_in_service(struct vmm_node *n, bool in);

const char *vmm_node_state_name(enum vmm_node_state s);
enum vmm_accel vmm_accel_resolve(enum vmm_accel a);

#endif /* _VMM_VMM_H */
