// SPDX-License-Identifier: GPL-2.0
/*
 * state.c - the state directory: one small "key=value" file per thing vmm
 * made (NAME.node: QEMU pid, tap, overlay, QMP socket; POOL.bridge: a
 * bridge it created), written before or right as the thing is made and
 * removed after it is gone.  A later instance reads them back and removes
 * what they name (vmm_state_recover), checking each QEMU's command line
 * and each device's alias first, so a recycled pid or a device someone
 * else made since is left alone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vmm_int.h"

int vmm_state_write(const char *path, const char *const *kv, char *err,
		    size_t len)
{
	char tmp[4200];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return vmm_err(err, len, "%s: %s", tmp, strerror(errno));
	for (size_t i = 0; kv[i] && kv[i + 1]; i += 2)
		fprintf(f, "%s=%s\n", kv[i], kv[i + 1]);
	if (fflush(f) || fsync(fileno(f))) {
		fclose(f);
		unlink(tmp);
		return vmm_err(err, len, "%s: %s", tmp, strerror(errno));
	}
	fclose(f);
	if (rename(tmp, path)) {
		unlink(tmp);
		return vmm_err(err, len, "%s: %s", path, strerror(errno));
	}
	return 0;
}

struct record {
	char	name[64], tap[32], alias[128], bridge[32];
	char	overlay[1024], qmp[1024];
	long	pid;
};

static void record_read(const char *path, struct record *r)
{
	FILE *f = fopen(path, "re");
	char line[1200];

	memset(r, 0, sizeof(*r));
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *v = strchr(line, '=');

		if (!v)
			continue;
		*v++ = 0;
		v[strcspn(v, "\n")] = 0;
#define FIELD(k) if (!strcmp(line, #k)) snprintf(r->k, sizeof(r->k), "%s", v)
		FIELD(name);
		FIELD(tap);
		FIELD(alias);
		FIELD(bridge);
		FIELD(overlay);
		FIELD(qmp);
#undef FIELD
		if (!strcmp(line, "pid"))
			r->pid = strtol(v, NULL, 10);
	}
	fclose(f);
}

/* Kill a leftover QEMU of ours and wait (bounded) until it is gone. */
static void kill_leftover(const struct record *r, const struct vmm_host *h)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };

	if (r->pid <= 0 || !vmm_qemu_is_ours((pid_t)r->pid, r->name))
		return;
	h->log(h->arg, "vmm: killing QEMU %ld of %s left by a previous "
	       "instance", r->pid, r->name);
	kill((pid_t)r->pid, SIGKILL);
	for (int i = 0; i < 250 && !kill((pid_t)r->pid, 0) &&
	     vmm_qemu_is_ours((pid_t)r->pid, r->name); i++)
		nanosleep(&ts, NULL);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

static void recover_pass(const char *dir, const struct vmm_host *h,
			 const char *suffix)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[4200], err[256];

	if (!d)
		return;
	while ((e = readdir(d))) {
		struct record r;

		if (!ends_with(e->d_name, suffix))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		record_read(path, &r);
		if (!strcmp(suffix, ".node")) {
			kill_leftover(&r, h);
			if (r.tap[0] && vmm_link_del_ours(r.tap, r.alias, err,
							  sizeof(err)))
				h->log(h->arg, "vmm: %s", err);
			if (r.overlay[0])
				vmm_overlay_remove(r.overlay);
			if (r.qmp[0])
				unlink(r.qmp);
			h->log(h->arg, "vmm: removed node %s left by a "
			       "previous instance", r.name);
		} else if (r.bridge[0]) {
			if (vmm_link_del_ours(r.bridge, r.alias, err,
					      sizeof(err)))
				h->log(h->arg, "vmm: %s", err);
			else
				h->log(h->arg, "vmm: removed bridge %s left by "
				       "a previous instance", r.bridge);
		}
		unlink(path);
	}
	closedir(d);
}

void vmm_state_recover(const char *dir, const struct vmm_host *h)
{
	/* Nodes first: their taps hang off the bridges. */
	recover_pass(dir, h, ".node");
	recover_pass(dir, h, ".bridge");
}
