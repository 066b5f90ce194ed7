// SPDX-License-Identifier: GPL-2.0
/* backend.c - the backend registry and naming helpers; see backend.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

RT_REGISTRY(backend_registry, "backend");

void backend_register(const struct backend_ops *ops)
{
	rt_register(&backend_registry, ops->name, ops);
}

const struct backend_ops *backend_find(const char *name)
{
	return rt_find(&backend_registry, name);
}

const char *backend_names(void)
{
	return rt_names(&backend_registry);
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
