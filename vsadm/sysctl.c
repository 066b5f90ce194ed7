// SPDX-License-Identifier: GPL-2.0
/*
 * sysctl.c - "vsadm --sysctl [NAME[=VALUE]]...": the namespace's
 * switches and connection cap, under IPVS's sysctl names.
 *
 * ipvsadm has no such command (IPVS has /proc/sys/net/ipv4/vs/); lvs.ko
 * keeps these per network namespace behind its netlink family, so vsadm
 * reads and writes them.  Without arguments every setting is printed as
 * "NAME = VALUE"; NAME prints one; NAME=VALUE sets it.  All arguments are
 * checked before the module is asked anything: one bad argument changes
 * nothing.  Setting several is one request.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vsadm.h"

#define VS_SYSCTL_CONN_MAX	LVSC_SW_COUNT	/* not a switch: conn_max */

static const struct {
	const char	*name;
	uint32_t	max;
} vs_sysctls[] = {
	[LVSC_SW_EXPIRE_NODEST_CONN]	    = { "expire_nodest_conn", 1 },
	[LVSC_SW_EXPIRE_QUIESCENT_TEMPLATE] = { "expire_quiescent_template",
						1 },
	[LVSC_SW_SLOPPY_TCP]		    = { "sloppy_tcp", 1 },
	[LVSC_SW_CONN_REUSE_MODE]	    = { "conn_reuse_mode", 3 },
	[VS_SYSCTL_CONN_MAX]		    = { "conn_max", UINT32_MAX },
};

#define VS_NSYSCTL	(sizeof(vs_sysctls) / sizeof(vs_sysctls[0]))

static int vs_sysctl_find(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < VS_NSYSCTL; i++)
		if (strlen(vs_sysctls[i].name) == len &&
		    !strncmp(vs_sysctls[i].name, name, len))
			return (int)i;
	return -1;
}

static uint32_t vs_sysctl_value(const struct lvsc_config *cfg, int i)
{
	return i == VS_SYSCTL_CONN_MAX ? cfg->conn_max : cfg->sw[i];
}

int vs_sysctl(const char *prog, int argc, char **argv)
{
	struct lvsc_config set = { 0 }, cur;
	struct lvsc_err err = { 0 };
	bool show[VS_NSYSCTL] = { false }, any_show = false;
	bool any_set = false;
	struct lvsc *h;
	int i, k, rc = VS_EXIT_OK;

	for (i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		size_t len = eq ? (size_t)(eq - argv[i]) : strlen(argv[i]);
		unsigned long long v;
		char *end;

		k = vs_sysctl_find(argv[i], len);
		if (k < 0) {
			fprintf(stderr, "%s: --sysctl: unknown setting `%.*s'\n",
				prog, (int)len, argv[i]);
			return VS_EXIT_PARSE;
		}
		if (!eq) {
			show[k] = any_show = true;
			continue;
		}
		errno = 0;
		v = strtoull(eq + 1, &end, 10);
		if (errno || end == eq + 1 || *end || eq[1] == '-' ||
		    v > vs_sysctls[k].max) {
			fprintf(stderr,
				"%s: --sysctl: %s takes 0..%u, not `%s'\n",
				prog, vs_sysctls[k].name, vs_sysctls[k].max,
				eq + 1);
			return VS_EXIT_PARSE;
		}
		if (k == VS_SYSCTL_CONN_MAX) {
			if (!v) {
				fprintf(stderr,
					"%s: --sysctl: conn_max takes 1.. (the default cannot be set back by name)\n",
					prog);
				return VS_EXIT_PARSE;
			}
			set.conn_max = (uint32_t)v;
		} else {
			set.sw_set |= 1U << k;
			set.sw[k] = (uint32_t)v;
		}
		any_set = true;
	}

	h = lvsc_open(&err);
	if (!h) {
		fprintf(stderr, "Can't initialize lvs: %s\n", err.msg);
		return VS_EXIT_PARSE;
	}
	if (any_set && lvsc_config_set(h, &set, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		rc = VS_EXIT_KERNEL;
		goto out;
	}
	if (any_set && !any_show)
		goto out;
	if (lvsc_config_get(h, &cur, &err)) {
		fprintf(stderr, "%s\n", err.msg);
		rc = VS_EXIT_KERNEL;
		goto out;
	}
	for (k = 0; k < (int)VS_NSYSCTL; k++) {
		if (any_show && !show[k])
			continue;
		if (k != VS_SYSCTL_CONN_MAX && !(cur.sw_set & (1U << k)))
			continue;	/* an older module */
		printf("%s = %u\n", vs_sysctls[k].name,
		       vs_sysctl_value(&cur, k));
	}
out:
	lvsc_close(h);
	return rc;
}
