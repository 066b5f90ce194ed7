// SPDX-License-Identifier: GPL-2.0
/*
 * pool.c - pools and their nodes on the host's loop: boot (record, tap,
 * overlay, QEMU), watch (child exit = crash unless asked), restart with
 * backoff, retire (host drains, ACPI power-down, kill after timeout), and
 * the state directory kept in step.  policy.c decides; this file does.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "loop.h"
#include "vmm_int.h"
#include "xalloc.h"

struct vmm {
	char			*dir;
	struct vmm_host		host;
	struct vmm_pool		*pools;
};

struct vmm_pool {
	struct vmm		*v;
	struct vmm_pool		*next;
	struct vmm_pool_conf	*c;
	char			qemu[PATH_MAX];
	enum vmm_accel		accel;
	unsigned int		target;
	struct vmm_node		**slots;
	size_t			n_slots;
	bool			bridge_created;
	char			alias[128];	/* on the bridge and taps */
	char			*bridge_record;
	unsigned int		last_in;	/* for the progress line */
};

#define LOG(p, ...)	((p)->v->host.log((p)->v->host.arg, __VA_ARGS__))

static char *xasprintf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));
static char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		abort();
	va_end(ap);
	return s;
}

const char *vmm_node_state_name(enum vmm_node_state s)
{
	static const char *const names[] = {
		[VMM_BOOTING] = "booting", [VMM_UP] = "up",
		[VMM_RUNNING] = "unhealthy", [VMM_RETIRING] = "retiring",
		[VMM_STOPPING] = "stopping", [VMM_BACKOFF] = "backoff",
		[VMM_FAILED] = "failed",
	};

	return s < sizeof(names) / sizeof(names[0]) && names[s] ? names[s] :
	       "?";
}

/* ---- settings ---- */

struct vmm_pool_conf *vmm_pool_conf_dup(const struct vmm_pool_conf *c)
{
	struct vmm_pool_conf *d = rt_xcalloc(sizeof(*d));
	size_t n = 0;

	*d = *c;
	d->name = rt_xstrdup(c->name);
	d->file = rt_xstrdup(c->file);
	d->kernel = rt_xstrdup(c->kernel);
	d->initrd = rt_xstrdup(c->initrd);
	d->cmdline = rt_xstrdup(c->cmdline);
	d->image = rt_xstrdup(c->image);
	d->data_disk = rt_xstrdup(c->data_disk);
	d->qemu = rt_xstrdup(c->qemu);
	d->bridge = rt_xstrdup(c->bridge);
	d->qemu_args = NULL;
	if (c->qemu_args) {
		while (c->qemu_args[n])
			n++;
		d->qemu_args = rt_xcalloc((n + 1) * sizeof(char *));
		for (size_t i = 0; i < n; i++)
			d->qemu_args[i] = rt_xstrdup(c->qemu_args[i]);
	}
	return d;
}

void vmm_pool_conf_free(struct vmm_pool_conf *c)
{
	if (!c)
		return;
	free(c->name);
	free(c->file);
	free(c->kernel);
	free(c->initrd);
	free(c->cmdline);
	free(c->image);
	free(c->data_disk);
	free(c->qemu);
	free(c->bridge);
	for (size_t i = 0; c->qemu_args && c->qemu_args[i]; i++)
		free(c->qemu_args[i]);
	free(c->qemu_args);
	free(c);
}

static int need_file(const char *what, const char *path, char *err,
		     size_t len)
{
	if (!path)
		return vmm_err(err, len, "no %s", what);
	if (access(path, R_OK))
		return vmm_err(err, len, "%s %s: %s", what, path,
			       strerror(errno));
	return 0;
}

int vmm_pool_conf_check(const struct vmm_pool_conf *c, char *err, size_t len)
{
	char path[PATH_MAX];
	long long mem = vmm_host_mem_mb();
	size_t range = vmm_range_size(c->range_lo, c->range_hi);

	if (need_file("kernel", c->kernel, err, len) ||
	    need_file("initrd", c->initrd, err, len) ||
	    (c->image && need_file("image", c->image, err, len)) ||
	    (c->data_disk && need_file("data_disk", c->data_disk, err, len)))
		return -1;
	if (!c->bridge)
		return vmm_err(err, len, "no bridge");
	if (strlen(c->bridge) >= 16)
		return vmm_err(err, len, "bridge %s: name longer than 15",
			       c->bridge);
	if (!range)
		return vmm_err(err, len, "no address_range");
	if (c->min > c->max || c->size < c->min || c->size > c->max)
		return vmm_err(err, len, "size %lld outside min %lld .. max "
			       "%lld", c->size, c->min, c->max);
	if ((size_t)c->max > range)
		return vmm_err(err, len, "address_range holds %zu addresses, "
			       "max is %lld", range, c->max);
	if (mem > 0 && c->memory_mb * c->max > mem)
		return vmm_err(err, len, "memory %lld MiB x max %lld nodes is "
			       "more than the host's %lld MiB", c->memory_mb,
			       c->max, mem);
	return vmm_qemu_path(c->qemu, path, sizeof(path), err, len);
}

/* ---- lookups ---- */

const struct vmm_pool_conf *vmm_pool_conf(const struct vmm_pool *p)
{
	return p->c;
}

unsigned int vmm_pool_target(const struct vmm_pool *p)
{
	return p->target;
}

struct vmm_pool *vmm_pool_find(struct vmm *v, const char *name)
{
	for (struct vmm_pool *p = v->pools; p; p = p->next)
		if (!strcmp(p->c->name, name))
			return p;
	return NULL;
}

struct vmm_pool *vmm_pool_next(struct vmm *v, struct vmm_pool *prev)
{
	return prev ? prev->next : v->pools;
}

struct vmm_node *vmm_node_next(struct vmm_pool *p, struct vmm_node *prev)
{
	size_t i = prev ? prev->idx + 1 : 0;

	for (; i < p->n_slots; i++)
		if (p->slots[i])
			return p->slots[i];
	return NULL;
}

struct vmm_node *vmm_node_find(struct vmm_pool *p, const char *name)
{
	for (size_t i = 0; i < p->n_slots; i++)
		if (p->slots[i] && !strcmp(p->slots[i]->name, name))
			return p->slots[i];
	return NULL;
}

static bool counts(const struct vmm_node *n)
{
	return n->state == VMM_BOOTING || n->state == VMM_UP ||
	       n->state == VMM_RUNNING || n->state == VMM_BACKOFF;
}

void vmm_pool_counts(const struct vmm_pool *p, unsigned int *in_service,
		     unsigned int *active)
{
	*in_service = *active = 0;
	for (size_t i = 0; i < p->n_slots; i++) {
		struct vmm_node *n = p->slots[i];

		if (!n)
			continue;
		*in_service += n->state == VMM_UP;
		*active += counts(n);
	}
}

static void progress(struct vmm_pool *p)
{
	unsigned int in, active;

	vmm_pool_counts(p, &in, &active);
	if (in == p->last_in)
		return;
	p->last_in = in;
	LOG(p, "pool %s: %u/%u in service", p->c->name, in, p->target);
}

/* ---- one node ---- */

static void node_exited(struct lchild *c, pid_t pid, int status, void *arg);
static void backoff_fired(struct ltimer *t, void *arg);
static void reconcile(struct vmm_pool *p);

static int node_record(struct vmm_node *n, char *err, size_t len)
{
	char pid[16];
	const char *kv[] = { "name", n->name, "pid", pid, "tap", n->tap,
			     "alias", n->pool->alias, "overlay",
			     n->overlay ? n->overlay : "", "qmp", n->qmp,
			     NULL, NULL };

	snprintf(pid, sizeof(pid), "%d", (int)n->pid);
	return vmm_state_write(n->record, kv, err, len);
}

/* Remove what a node's boot made; the node object stays. */
static void node_cleanup(struct vmm_node *n)
{
	char err[256];

	if (vmm_link_del_ours(n->tap, n->pool->alias, err, sizeof(err)))
		LOG(n->pool, "pool %s: %s", n->pool->c->name, err);
	vmm_overlay_remove(n->overlay);
	unlink(n->qmp);
	unlink(n->record);
}

static int node_boot(struct vmm_node *n, char *err, size_t len)
{
	struct vmm_pool *p = n->pool;
	char e[256], prev[PATH_MAX];

	n->pid = 0;
	if (node_record(n, err, len))
		return -1;
	if (vmm_tap_create(n->tap, p->c->bridge, p->alias, e, sizeof(e))) {
		unlink(n->record);
		return vmm_err(err, len, "%s: %s", n->name, e);
	}
	if (n->overlay && vmm_overlay_create(p->c->image, n->overlay, e,
					     sizeof(e))) {
		node_cleanup(n);
		return vmm_err(err, len, "%s: %s", n->name, e);
	}
	unlink(n->qmp);
	/* This boot's console, and the one before (a crash's last words). */
	snprintf(prev, sizeof(prev), "%s.1", n->console);
	rename(n->console, prev);
	n->pid = vmm_qemu_spawn(p->c, n, p->qemu, p->accel, err, len);
	if (n->pid < 0) {
		n->pid = 0;
		node_cleanup(n);
		return -1;
	}
	if (node_record(n, e, sizeof(e)))
		LOG(p, "pool %s: %s", p->c->name, e);
	n->child = lchild_watch(n->pid, node_exited, n);
	n->state = VMM_BOOTING;
	n->started = loop_clock();
	n->in_service_at = 0;
	LOG(p, "pool %s: node %s booting (pid %d, %s)", p->c->name, n->name,
	    (int)n->pid, inet_ntoa(n->addr));
	if (p->v->host.node_up)
		p->v->host.node_up(n, p->v->host.arg);
	return 0;
}

static struct vmm_node *node_new(struct vmm_pool *p, size_t idx)
{
	struct vmm_node *n = rt_xcalloc(sizeof(*n));
	const char *dir = p->v->dir;
	uint16_t h = 0;

	for (const char *s = p->c->name; *s; s++)
		h = (uint16_t)(h * 31 + (uint8_t)*s);
	n->pool = p;
	n->idx = (unsigned int)idx;
	n->boot_to_service = -1;
	snprintf(n->name, sizeof(n->name), "%s-%zu", p->c->name, idx);
	vmm_range_addr(p->c->range_lo, p->c->range_hi, idx, &n->addr);
	vmm_node_mac(p->c->mac_prefix, p->c->name, (unsigned int)idx, n->mac);
	snprintf(n->tap, sizeof(n->tap), "vm%04x.%zu", h, idx);
	if (p->c->image)
		n->overlay = xasprintf("%s/%s.qcow2", dir, n->name);
	n->qmp = xasprintf("%s/%s.qmp", dir, n->name);
	n->console = xasprintf("%s/%s.console", dir, n->name);
	n->record = xasprintf("%s/%s.node", dir, n->name);
	n->timer = ltimer_new(backoff_fired, n);
	p->slots[idx] = n;
	return n;
}

static void node_free(struct vmm_node *n)
{
	n->pool->slots[n->idx] = NULL;
	lchild_cancel(n->child);
	ltimer_free(n->timer);
	free(n->overlay);
	free(n->qmp);
	free(n->console);
	free(n->record);
	free(n);
}

/* A boot that failed counts as a crash at once. */
static void crashed(struct vmm_node *n, int64_t uptime, const char *why)
{
	struct vmm_pool *p = n->pool;
	bool give_up;
	int64_t wait;

	n->fails = vmm_on_crash(&p->c->restart, n->fails, uptime, &give_up);
	if (give_up) {
		n->state = VMM_FAILED;
		LOG(p, "pool %s: node %s keeps crashing (%u in a row, last: "
		    "%s): not restarted", p->c->name, n->name, n->fails, why);
		return;
	}
	wait = vmm_backoff(&p->c->restart, n->fails);
	n->state = VMM_BACKOFF;
	LOG(p, "pool %s: node %s %s; restart in %.1f s", p->c->name, n->name,
	    why, (double)wait / 1e6);
	ltimer_free(n->timer);
	n->timer = ltimer_new(backoff_fired, n);
	ltimer_start(n->timer, wait);
}

static void backoff_fired(struct ltimer *t, void *arg)
{
	struct vmm_node *n = arg;
	char err[512];

	n->restarts++;
	if (node_boot(n, err, sizeof(err))) {
		LOG(n->pool, "pool %s: %s", n->pool->c->name, err);
		crashed(n, 0, "did not boot");
	}
}

static void node_exited(struct lchild *c, pid_t pid, int status, void *arg)
{
	struct vmm_node *n = arg;
	struct vmm_pool *p = n->pool;
	enum vmm_node_state was = n->state;
	int64_t uptime = loop_clock() - n->started;
	char why[96], err[512];

	n->child = NULL;
	n->pid = 0;
	ltimer_stop(n->timer);
	if (p->v->host.node_down)
		p->v->host.node_down(n, p->v->host.arg);
	node_cleanup(n);
	if (was == VMM_STOPPING) {
		LOG(p, "pool %s: node %s stopped", p->c->name, n->name);
		if (n->restart_after_stop) {
			n->restart_after_stop = false;
			n->fails = 0;
			if (node_boot(n, err, sizeof(err))) {
				LOG(p, "pool %s: %s", p->c->name, err);
				crashed(n, 0, "did not boot");
			}
		} else {
			node_free(n);
			reconcile(p);
		}
		progress(p);
		return;
	}
	if (WIFSIGNALED(status))
		snprintf(why, sizeof(why), "QEMU died of signal %d after "
			 "%.1f s", WTERMSIG(status), (double)uptime / 1e6);
	else
		snprintf(why, sizeof(why), "QEMU exited with status %d after "
			 "%.1f s", WEXITSTATUS(status), (double)uptime / 1e6);
	if (was == VMM_RETIRING) {	/* it went by itself while draining */
		LOG(p, "pool %s: node %s: %s while retiring", p->c->name,
		    n->name, why);
		node_free(n);
		reconcile(p);
	} else {
		crashed(n, uptime, why);
	}
	progress(p);
}

/* Past stop_timeout: ask QEMU to quit (it closes its disks), then
 * SIGKILL if it is still there a second later. */
static void kill_fired(struct ltimer *t, void *arg)
{
	struct vmm_node *n = arg;
	char err[256];

	if (n->pid <= 0)
		return;
	if (!n->quit_sent) {
		n->quit_sent = true;
		LOG(n->pool, "pool %s: node %s did not power off in time, "
		    "quitting QEMU", n->pool->c->name, n->name);
		if (!vmm_qmp(n->qmp, "quit", 500, NULL, 0, err, sizeof(err))) {
			ltimer_start(n->timer, 1000000);
			return;
		}
	}
	LOG(n->pool, "pool %s: node %s: killing QEMU %d", n->pool->c->name,
	    n->name, (int)n->pid);
	kill(n->pid, SIGKILL);
}

void vmm_node_stop(struct vmm_node *n)
{
	struct vmm_pool *p = n->pool;
	char err[256];

	if (!n->pid) {		/* backoff or failed: nothing runs */
		if (n->restart_after_stop) {
			n->restart_after_stop = false;
			n->fails = 0;
			ltimer_stop(n->timer);
			backoff_fired(n->timer, n);
			return;
		}
		node_cleanup(n);
		node_free(n);
		reconcile(p);
		return;
	}
	n->state = VMM_STOPPING;
	n->quit_sent = false;
	ltimer_free(n->timer);
	n->timer = ltimer_new(kill_fired, n);
	if (vmm_qmp(n->qmp, "system_powerdown", 1000, NULL, 0, err,
		    sizeof(err))) {
		LOG(p, "pool %s: node %s: %s; killing it", p->c->name,
		    n->name, err);
		kill(n->pid, SIGKILL);
		return;
	}
	ltimer_start(n->timer, p->c->stop_timeout);
}

static void node_retire(struct vmm_node *n)
{
	struct vmm_host *h = &n->pool->v->host;

	if (n->state == VMM_RETIRING || n->state == VMM_STOPPING)
		return;
	ltimer_stop(n->timer);
	if (!n->pid) {
		vmm_node_stop(n);
		return;
	}
	n->state = VMM_RETIRING;
	LOG(n->pool, "pool %s: retiring node %s", n->pool->c->name, n->name);
	if (h->node_retire)
		h->node_retire(n, h->arg);
	else
		vmm_node_stop(n);
}

void vmm_node_set_in_service(struct vmm_node *n, bool in)
{
	if (in && (n->state == VMM_BOOTING || n->state == VMM_RUNNING)) {
		if (!n->in_service_at) {
			n->in_service_at = loop_clock();
			n->boot_to_service = n->in_service_at - n->started;
			LOG(n->pool, "pool %s: node %s in service %.1f s after "
			    "its boot started", n->pool->c->name, n->name,
			    (double)n->boot_to_service / 1e6);
		}
		n->state = VMM_UP;
	} else if (!in && n->state == VMM_UP) {
		n->state = VMM_RUNNING;
	}
	progress(n->pool);
}

/* ---- the pool ---- */

static void reconcile(struct vmm_pool *p)
{
	enum vmm_slot *slot = rt_xcalloc(p->n_slots * sizeof(*slot));
	size_t *boot = rt_xcalloc(p->n_slots * sizeof(*boot));
	size_t *retire = rt_xcalloc(p->n_slots * sizeof(*retire));
	size_t n;
	char err[512];

	for (size_t i = 0; i < p->n_slots; i++)
		slot[i] = !p->slots[i] ? VMM_SLOT_FREE :
			  counts(p->slots[i]) ? VMM_SLOT_ACTIVE :
						VMM_SLOT_BUSY;
	n = vmm_plan(slot, p->n_slots, p->target, boot, retire);
	for (size_t i = 0; i < n; i++) {
		if (slot[boot[i]] == VMM_SLOT_FREE) {
			struct vmm_node *nd = node_new(p, boot[i]);

			if (node_boot(nd, err, sizeof(err))) {
				LOG(p, "pool %s: %s", p->c->name, err);
				crashed(nd, 0, "did not boot");
			}
		} else {
			node_retire(p->slots[retire[i]]);
		}
	}
	free(slot);
	free(boot);
	free(retire);
}

int vmm_pool_resize(struct vmm_pool *p, long long size, char *err,
		    size_t len)
{
	if (size < p->c->min || size > p->c->max)
		return vmm_err(err, len, "pool %s: size %lld outside min %lld "
			       ".. max %lld", p->c->name, size, p->c->min,
			       p->c->max);
	LOG(p, "pool %s: size %u -> %lld", p->c->name, p->target, size);
	p->target = (unsigned int)size;
	/* An operator's resize gives nodes that gave up another chance. */
	for (size_t i = 0; i < p->n_slots; i++)
		if (p->slots[i] && p->slots[i]->state == VMM_FAILED) {
			p->slots[i]->fails = 0;
			vmm_node_stop(p->slots[i]);
		}
	reconcile(p);
	progress(p);
	return 0;
}

int vmm_pool_configure_size(struct vmm_pool *p, long long size, char *err,
			    size_t len)
{
	if (vmm_pool_resize(p, size, err, len))
		return -1;
	p->c->size = size;
	return 0;
}

int vmm_node_restart(struct vmm_node *n, char *err, size_t len)
{
	if (n->state == VMM_RETIRING || n->state == VMM_STOPPING)
		return vmm_err(err, len, "node %s is %s", n->name,
			       vmm_node_state_name(n->state));
	n->restart_after_stop = true;
	if (!n->pid) {
		vmm_node_stop(n);
		return 0;
	}
	node_retire(n);
	return 0;
}

int vmm_node_retire(struct vmm_node *n, char *err, size_t len)
{
	struct vmm_pool *p = n->pool;

	if (n->state == VMM_RETIRING || n->state == VMM_STOPPING)
		return vmm_err(err, len, "node %s is already %s", n->name,
			       vmm_node_state_name(n->state));
	if (p->target <= p->c->min)
		return vmm_err(err, len, "pool %s is at its minimum (%lld)",
			       p->c->name, p->c->min);
	p->target--;
	node_retire(n);
	reconcile(p);
	return 0;
}

/* Power every node of P off and wait, then kill what is left. */
static void pool_stop_sync(struct vmm_pool *p)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	int64_t end = loop_clock() + p->c->stop_timeout;
	bool any;
	char err[256];

	for (size_t i = 0; i < p->n_slots; i++) {
		struct vmm_node *n = p->slots[i];

		if (!n)
			continue;
		lchild_cancel(n->child);
		n->child = NULL;
		if (n->pid && p->v->host.node_down)
			p->v->host.node_down(n, p->v->host.arg);
		if (n->pid && !p->c->keep_nodes &&
		    vmm_qmp(n->qmp, "system_powerdown", 1000, NULL, 0, err,
			    sizeof(err)))
			kill(n->pid, SIGKILL);
	}
	do {
		any = false;
		for (size_t i = 0; i < p->n_slots && !p->c->keep_nodes; i++) {
			struct vmm_node *n = p->slots[i];

			if (!n || !n->pid)
				continue;
			pid_t r = waitpid(n->pid, NULL, WNOHANG);

			if (r == n->pid || (r < 0 && errno == ECHILD))
				n->pid = 0;
			else
				any = true;
		}
		if (any)
			nanosleep(&ts, NULL);
	} while (any && loop_clock() < end);
	for (size_t i = 0; i < p->n_slots; i++) {
		struct vmm_node *n = p->slots[i];

		if (!n)
			continue;
		if (p->c->keep_nodes && n->pid) {
			LOG(p, "pool %s: node %s left running (keep_nodes)",
			    p->c->name, n->name);
			node_free(n);
			continue;
		}
		if (n->pid) {
			kill(n->pid, SIGKILL);
			waitpid(n->pid, NULL, 0);
			n->pid = 0;
		}
		node_cleanup(n);
		node_free(n);
	}
	if (p->bridge_created && !p->c->keep_nodes) {
		if (vmm_link_del_ours(p->c->bridge, p->alias, err,
				      sizeof(err)))
			LOG(p, "pool %s: %s", p->c->name, err);
		unlink(p->bridge_record);
	}
}

static void pool_free(struct vmm_pool *p)
{
	free(p->slots);
	free(p->bridge_record);
	vmm_pool_conf_free(p->c);
	free(p);
}

void vmm_pool_stop(struct vmm_pool *p)
{
	struct vmm_pool **pp;

	for (pp = &p->v->pools; *pp && *pp != p; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = p->next;
	pool_stop_sync(p);
	LOG(p, "pool %s: stopped", p->c->name);
	pool_free(p);
}

struct vmm_pool *vmm_pool_start(struct vmm *v, const struct vmm_pool_conf *c,
				char *err, size_t len)
{
	struct vmm_pool *p;
	char e[256];

	if (vmm_pool_find(v, c->name))
		return vmm_err(err, len, "pool %s: already running", c->name),
		       NULL;
	if (vmm_pool_conf_check(c, e, sizeof(e)))
		return vmm_err(err, len, "pool %s: %s", c->name, e), NULL;
	p = rt_xcalloc(sizeof(*p));
	p->v = v;
	p->c = vmm_pool_conf_dup(c);
	p->n_slots = (size_t)c->max;
	p->slots = rt_xcalloc((p->n_slots + 1) * sizeof(*p->slots));
	p->target = (unsigned int)c->size;
	p->accel = vmm_accel_resolve(c->accel);
	vmm_qemu_path(c->qemu, p->qemu, sizeof(p->qemu), e, sizeof(e));
	snprintf(p->alias, sizeof(p->alias), "%spool %s", VMM_TAG, c->name);
	p->bridge_record = xasprintf("%s/%s.bridge", v->dir, c->name);
	if (vmm_bridge_ensure(c->bridge, p->alias, &c->bridge_addr,
			      c->prefix, &p->bridge_created, e, sizeof(e))) {
		vmm_err(err, len, "pool %s: %s", c->name, e);
		pool_free(p);
		return NULL;
	}
	if (p->bridge_created) {
		const char *kv[] = { "bridge", c->bridge, "alias", p->alias,
				     NULL, NULL };

		if (vmm_state_write(p->bridge_record, kv, e, sizeof(e))) {
			vmm_err(err, len, "pool %s: %s", c->name, e);
			vmm_link_del_ours(c->bridge, p->alias, e, sizeof(e));
			pool_free(p);
			return NULL;
		}
	}
	/* The first boots must all start, or the pool does not. */
	for (size_t i = 0; i < p->target; i++) {
		struct vmm_node *n = node_new(p, i);

		if (node_boot(n, e, sizeof(e))) {
			vmm_err(err, len, "pool %s: %s", c->name, e);
			node_free(n);
			pool_stop_sync(p);
			pool_free(p);
			return NULL;
		}
	}
	p->next = v->pools;
	v->pools = p;
	LOG(p, "pool %s: started %u nodes (%s) on bridge %s", c->name,
	    p->target, p->accel == VMM_ACCEL_KVM ? "kvm" : "tcg", c->bridge);
	return p;
}

/* ---- the whole ---- */

struct vmm *vmm_open(const char *dir, const struct vmm_host *host,
		     char *err, size_t len)
{
	struct vmm *v;

	if (mkdir(dir, 0700) && errno != EEXIST)
		return vmm_err(err, len, "state directory %s: %s", dir,
			       strerror(errno)), NULL;
	if (access(dir, W_OK))
		return vmm_err(err, len, "state directory %s: %s", dir,
			       strerror(errno)), NULL;
	v = rt_xcalloc(sizeof(*v));
	v->dir = rt_xstrdup(dir);
	v->host = *host;
	vmm_state_recover(dir, &v->host);
	return v;
}

void vmm_close(struct vmm *v)
{
	if (!v)
		return;
	while (v->pools)
		vmm_pool_stop(v->pools);
	free(v->dir);
	free(v);
}
