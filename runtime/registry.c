// SPDX-License-Identifier: GPL-2.0
/* registry.c - plug-ins by name (see registry.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "registry.h"

void rt_register(struct rt_registry *r, const char *name, const void *item)
{
	if (r->n == RT_REGISTRY_MAX || !name || rt_find(r, name)) {
		fprintf(stderr, "%s '%s' registered twice or too many\n",
			r->what, name ? name : "(null)");
		abort();
	}
	r->names[r->n] = name;
	r->items[r->n++] = item;
}

const void *rt_find(const struct rt_registry *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->names[i], name))
			return r->items[i];
	return NULL;
}

const void *rt_next(const struct rt_registry *r, const void *prev)
{
	size_t i = 0;

	if (prev)
		while (i < r->n && r->items[i++] != prev)
			;
	return i < r->n ? r->items[i] : NULL;
}

const char *rt_names(const struct rt_registry *r)
{
	static char buf[512];
	size_t len = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < r->n && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s",
					i ? ", " : "", r->names[i]);
	return buf;
}
