/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xalloc.h - allocation that aborts instead of failing, for the daemons'
 * own bookkeeping (loop watchers, run-time objects, parsed configuration,
 * VM pools): running out of memory there is not a case any caller could
 * recover from half-way.  Code that reports errors to a caller (lib/,
 * anything on a request path) allocates with the plain calls instead.
 *
 * Header-only, so every user of the runtime (lvsd, healthcheck/, vmm/,
 * the unit tests that build single files) gets the one definition without
 * another object to link.
 */
#ifndef _RT_XALLOC_H
#define _RT_XALLOC_H

#include <stdlib.h>
#include <string.h>

/* N zeroed bytes. */
static inline void *rt_xcalloc(size_t n)
{
	void *p = calloc(1, n);

	if (!p)
		abort();
	return p;
}

static inline void *rt_xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		abort();
	return p;
}

/* A copy of S; NULL for NULL. */
static inline char *rt_xstrdup(const char *s)
{
	char *d;

	if (!s)
		return NULL;
	d = strdup(s);
	if (!d)
		abort();
	return d;
}

#endif /* _RT_XALLOC_H */
