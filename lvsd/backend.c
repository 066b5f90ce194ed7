// SPDX-License-Identifier: GPL-2.0
/* backend.c - the backend registry and naming helpers; see backend.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

#define BACKENDS_MAX	8

static const struct backend_ops *backends[BACKENDS_MAX];
static size_t n_backends;

void backend_register(const struct backend_ops *ops)
{
	if (n_backends == BACKENDS_MAX)
		abort();
	backends[n_backends++] = ops;
}

const struct backend_ops *backend_find(const char *name)
{
	for (size_t i = 0; i < n_backends; i++)
		if (!strcmp(backends[i]->name, name))
			return backends[i];
	return NULL;
}

const char *backend_names(void)
{
	static char buf[128];
	size_t off = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n_backends && off < sizeof(buf); i++)
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s%s",
					i ? ", " : "", backends[i]->name);
	return buf;
}

static int addr_same(int af, const union lvsc_addr *a,
		     const union lvsc_addr *b)
{
	if (af == AF_INET6)
		return !memcmp(&a->in6, &b->in6, sizeof(a->in6));
	return a->in.s_addr == b->in.s_addr;
}

int backend_svc_same(const struct lvsc_service *a,
		     const struct lvsc_service *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return 0;
	if (a->fwmark)
		return 1;
	return a->protocol == b->protocol && a->port == b->port &&
	       addr_same(a->af, &a->addr, &b->addr);
}

int backend_dest_same(const struct lvsc_dest *a, const struct lvsc_dest *b)
{
	return a->af == b->af && a->port == b->port &&
	       addr_same(a->af, &a->addr, &b->addr);
}
