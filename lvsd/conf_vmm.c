// SPDX-License-Identifier: GPL-2.0
/*
 * conf_vmm.c - lvsd's own "vm_pool NAME { ... }" block: a pool of QEMU
 * backend nodes (vmm/vmm.h), and the global "lvsd_vmm_state_dir".
 * keepalived has no such block; lvsd/README.md documents it.  A pool that
 * cannot start (missing kernel, more memory than the host has, a range
 * smaller than max, no QEMU) is a fatal error at its file:line: lvsd does
 * not start rather than start half of it.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"
#include "conf_vmm.h"

#define T(sec)		((long long)(sec) * USEC_PER_SEC)
#define OFF(f)		offsetof(struct pool_conf, f)

/* The rest of the line, as one string (cmdline). */
static int kw_words(struct conf_parser *p, const struct conf_kw *kw,
		    void *obj, int argc, char **argv)
{
	char **dst = (char **)((char *)obj + kw->off);
	size_t len = 1;
	char *s;

	if (argc < 2)
		return conf_err(p, "%s needs a value", argv[0]), -1;
	for (int i = 1; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = conf_xcalloc(len);
	for (int i = 1; i < argc; i++) {
		if (i > 1)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	free(*dst);
	*dst = s;
	return 0;
}

static int kw_qemu_args(struct conf_parser *p, const struct conf_kw *kw,
			void *obj, int argc, char **argv)
{
	struct pool_conf *pc = obj;
	size_t n = 0;

	if (argc < 2)
		return conf_err(p, "qemu_args needs arguments"), -1;
	while (pc->v.qemu_args && pc->v.qemu_args[n])
		n++;
	pc->v.qemu_args = realloc(pc->v.qemu_args,
				  (n + (size_t)argc) * sizeof(char *));
	if (!pc->v.qemu_args)
		abort();
	for (int i = 1; i < argc; i++)
		pc->v.qemu_args[n++] = strdup(argv[i]);
	pc->v.qemu_args[n] = NULL;
	return 0;
}

static int kw_bridge_address(struct conf_parser *p, const struct conf_kw *kw,
			     void *obj, int argc, char **argv)
{
	struct pool_conf *pc = obj;
	char buf[64], *slash, *end;
	long plen;

	if (argc < 2 || strlen(argv[1]) >= sizeof(buf))
		return conf_err(p, "bridge_address needs A.B.C.D/LEN"), -1;
	strcpy(buf, argv[1]);
	slash = strchr(buf, '/');
	if (slash)
		*slash++ = 0;
	plen = slash ? strtol(slash, &end, 10) : -1;
	if (!slash || *end || plen < 1 || plen > 30 ||
	    inet_pton(AF_INET, buf, &pc->v.bridge_addr) != 1)
		return conf_err(p, "bridge_address: invalid '%s' (IPv4 "
				"A.B.C.D/LEN)", argv[1]), -1;
	pc->v.prefix = (int)plen;
	return 0;
}

static int kw_range(struct conf_parser *p, const struct conf_kw *kw,
		    void *obj, int argc, char **argv)
{
	struct pool_conf *pc = obj;
	char buf[64], *dash;
	struct in_addr lo, hi;

	if (argc < 2 || strlen(argv[1]) >= sizeof(buf))
		return conf_err(p, "address_range needs FIRST-LAST"), -1;
	strcpy(buf, argv[1]);
	dash = strchr(buf, '-');
	if (dash)
		*dash++ = 0;
	if (!dash || inet_pton(AF_INET, buf, &lo) != 1 ||
	    inet_pton(AF_INET, dash, &hi) != 1 || ntohl(hi.s_addr) <
	    ntohl(lo.s_addr))
		return conf_err(p, "address_range: invalid '%s' (IPv4 "
				"FIRST-LAST, FIRST <= LAST)", argv[1]), -1;
	pc->v.range_lo = ntohl(lo.s_addr);
	pc->v.range_hi = ntohl(hi.s_addr);
	return 0;
}

static int kw_mac_prefix(struct conf_parser *p, const struct conf_kw *kw,
			 void *obj, int argc, char **argv)
{
	struct pool_conf *pc = obj;
	unsigned int b[3];
	char tail;

	if (argc < 2 || sscanf(argv[1], "%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
			       &tail) != 3)
		return conf_err(p, "mac_prefix: invalid '%s' (XX:XX:XX)",
				argc < 2 ? "" : argv[1]), -1;
	for (int i = 0; i < 3; i++)
		pc->v.mac_prefix[i] = (uint8_t)b[i];
	return 0;
}

static int kw_accel(struct conf_parser *p, const struct conf_kw *kw,
		    void *obj, int argc, char **argv)
{
	struct pool_conf *pc = obj;
	const char *a = argc >= 2 ? argv[1] : "";

	if (!strcmp(a, "auto"))
		pc->v.accel = VMM_ACCEL_AUTO;
	else if (!strcmp(a, "kvm"))
		pc->v.accel = VMM_ACCEL_KVM;
	else if (!strcmp(a, "tcg"))
		pc->v.accel = VMM_ACCEL_TCG;
	else
		return conf_err(p, "accel: '%s' is not auto, kvm or tcg", a),
		       -1;
	return 0;
}

static const struct conf_kw pool_kws[] = {
	{ .name = "kernel", .parse = conf_kw_str, .off = OFF(v.kernel) },
	{ .name = "initrd", .parse = conf_kw_str, .off = OFF(v.initrd) },
	{ .name = "cmdline", .parse = kw_words, .off = OFF(v.cmdline) },
	{ .name = "image", .parse = conf_kw_str, .off = OFF(v.image) },
	{ .name = "data_disk", .parse = conf_kw_str, .off = OFF(v.data_disk) },
	{ .name = "qemu", .parse = conf_kw_str, .off = OFF(v.qemu) },
	{ .name = "memory", .parse = conf_kw_int, .off = OFF(v.memory_mb),
	  .min = 32, .max = 1 << 20, .def = "128" },
	{ .name = "vcpus", .parse = conf_kw_int, .off = OFF(v.vcpus),
	  .min = 1, .max = 64, .def = "1" },
	{ .name = "size", .parse = conf_kw_int, .off = OFF(v.size),
	  .max = 4096, .def = "1" },
	{ .name = "min", .parse = conf_kw_int, .off = OFF(v.min), .max = 4096,
	  .def = "0" },
	{ .name = "max", .parse = conf_kw_int, .off = OFF(v.max), .max = 4096 },
	{ .name = "bridge", .parse = conf_kw_str, .off = OFF(v.bridge) },
	{ .name = "bridge_address", .parse = kw_bridge_address },
	{ .name = "address_range", .parse = kw_range },
	{ .name = "mac_prefix", .parse = kw_mac_prefix, .def = "52:54:00" },
	{ .name = "port", .parse = conf_kw_int, .off = OFF(v.port), .min = 1,
	  .max = 65535, .def = "80" },
	{ .name = "accel", .parse = kw_accel, .def = "auto" },
	{ .name = "qemu_args", .parse = kw_qemu_args },
	{ .name = "keep_nodes", .parse = conf_kw_bool, .off = OFF(keep_nodes),
	  .def = "no" },
	{ .name = "restart_backoff", .parse = conf_kw_timer,
	  .off = OFF(backoff), .min = 1000, .max = T(3600), .def = "1" },
	{ .name = "restart_backoff_max", .parse = conf_kw_timer,
	  .off = OFF(backoff_max), .min = 1000, .max = T(86400), .def = "30" },
	{ .name = "crash_limit", .parse = conf_kw_int, .off = OFF(crash_limit),
	  .max = 1000, .def = "5" },
	{ .name = "stable_time", .parse = conf_kw_timer, .off = OFF(stable),
	  .min = 1000, .max = T(86400), .def = "60" },
	{ .name = "stop_timeout", .parse = conf_kw_timer,
	  .off = OFF(stop_timeout), .min = 1000, .max = T(3600), .def = "10" },
	{ .name = NULL }
};

static void pool_close(struct conf_parser *p, void *obj)
{
	struct pool_conf *pc = obj;
	char err[512];

	pc->v.keep_nodes = pc->keep_nodes;
	pc->v.restart.backoff_base = pc->backoff;
	pc->v.restart.backoff_cap = pc->backoff_max;
	pc->v.restart.crash_limit = (unsigned int)pc->crash_limit;
	pc->v.restart.stable = pc->stable;
	pc->v.stop_timeout = pc->stop_timeout;
	if (pc->v.max == CONF_UNSET)
		pc->v.max = pc->v.size > 8 ? pc->v.size : 8;
	if (vmm_pool_conf_check(&pc->v, err, sizeof(err))) {
		conf_log_add(p->log, CONF_FATAL, pc->v.file, pc->v.line,
			     "vm_pool %s: %s", pc->v.name, err);
		pc->bad = true;
	}
}

static const struct conf_block pool_block = {
	.name = "vm_pool", .kws = pool_kws, .close = pool_close,
};

void conf_pool_free(struct pool_conf *pc)
{
	if (!pc)
		return;
	free(pc->v.name);
	free(pc->v.file);
	free(pc->v.kernel);
	free(pc->v.initrd);
	free(pc->v.cmdline);
	free(pc->v.image);
	free(pc->v.data_disk);
	free(pc->v.qemu);
	free(pc->v.bridge);
	for (size_t i = 0; pc->v.qemu_args && pc->v.qemu_args[i]; i++)
		free(pc->v.qemu_args[i]);
	free(pc->v.qemu_args);
	free(pc);
}

static int kw_vm_pool(struct conf_parser *p, const struct conf_kw *kw,
		      void *obj, int argc, char **argv)
{
	struct pool_set *c = obj;
	struct pool_conf *pc;

	if (argc < 2)
		return conf_err(p, "vm_pool needs a name"), -1;
	if (strlen(argv[1]) > 24 || strspn(argv[1], "abcdefghijklmnopqrstuvwxyz"
		"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(argv[1]))
		return conf_err(p, "vm_pool: invalid name '%s' (letters, "
				"digits, '_', at most 24)", argv[1]), -1;
	for (size_t i = 0; i < c->n_pools; i++)
		if (!strcmp(c->pools[i]->v.name, argv[1]))
			return conf_err(p, "vm_pool %s defined twice (first at "
					"%s:%d)", argv[1], c->pools[i]->v.file,
					c->pools[i]->v.line), -1;
	pc = conf_xcalloc(sizeof(*pc));
	pc->v.name = strdup(argv[1]);
	pc->v.file = strdup(conf_cur_file(p));
	pc->v.line = conf_cur_line(p);
	pc->v.max = CONF_UNSET;
	c->pools = realloc(c->pools, (c->n_pools + 1) * sizeof(*c->pools));
	if (!c->pools)
		abort();
	c->pools[c->n_pools++] = pc;
	conf_set_child(p, pc);
	return 0;
}

const struct conf_kw pool_top_kws[] = {
	{ .name = "vm_pool", .parse = kw_vm_pool, .block = &pool_block },
	{ .name = NULL }
};

const struct conf_kw pool_global_kws[] = {
	{ .name = "lvsd_vmm_state_dir", .parse = conf_kw_str,
	  .off = offsetof(struct pool_set, vmm_state_dir),
	  .def = "/run/lvsd/vmm" },
	{ .name = NULL }
};

void pool_set_free(void *sc)
{
	struct pool_set *c = sc;

	for (size_t i = 0; i < c->n_pools; i++)
		conf_pool_free(c->pools[i]);
	free(c->pools);
	free(c->vmm_state_dir);
}

const struct pool_set *pool_set(const struct conf *c)
{
	static const struct subsys *ss;

	if (!ss)
		ss = rt_find(&subsystems, POOL_SUBSYS_NAME);
	return ss ? conf_sub(c, ss) : NULL;
}

const struct pool_conf *conf_find_pool(const struct conf *conf,
				       const char *name)
{
	const struct pool_set *c = pool_set(conf);

	for (size_t i = 0; c && i < c->n_pools; i++)
		if (!strcmp(c->pools[i]->v.name, name))
			return c->pools[i];
	return NULL;
}
