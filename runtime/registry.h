/* SPDX-License-Identifier: GPL-2.0 */
/*
 * registry.h - the one way plug-ins make themselves known: each file with
 * an ops table registers it by name from a constructor, before main()
 * runs (HAProxy's INITCALL), so adding a checker, a backend or a subsystem
 * touches its own file and one build line, never a central list.
 *
 *	RT_REGISTRY(checkers, "checker");		(one .c file)
 *	extern struct rt_registry checkers;		(its header)
 *	RT_REGISTER(checkers, tcp_checker)		(each plug-in)
 *
 * Every registered object has a "const char *name" member.  Lookups are by
 * exact name; iteration is in registration (link) order.  Registering two
 * objects with the same name, or more than RT_REGISTRY_MAX in one
 * registry, is a build mistake and aborts at start-up.
 */
#ifndef _RT_REGISTRY_H
#define _RT_REGISTRY_H

#include <stddef.h>

#define RT_REGISTRY_MAX	64

struct rt_registry {
	const char	*what;			/* "checker", for messages */
	const char	*names[RT_REGISTRY_MAX];
	const void	*items[RT_REGISTRY_MAX];
	size_t		n;
};

#define RT_REGISTRY(var, kind)	struct rt_registry var = { .what = kind }

void rt_register(struct rt_registry *r, const char *name, const void *item);
const void *rt_find(const struct rt_registry *r, const char *name);
/* The item after PREV (NULL: the first); NULL at the end. */
const void *rt_next(const struct rt_registry *r, const void *prev);
/* "a, b, c": the names, for usage and error messages; static buffer. */
const char *rt_names(const struct rt_registry *r);

#define RT_REGISTER(reg, obj)						\
	__attribute__((constructor)) static void rt_register_##obj(void) \
	{								\
		rt_register(&(reg), (obj).name, &(obj));		\
	}

#endif /* _RT_REGISTRY_H */
