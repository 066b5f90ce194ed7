/* SPDX-License-Identifier: GPL-2.0 */
/* conf_vmm.h - the vm_pool block (conf_vmm.c) as the parser keeps it. */
#ifndef _LVSD_CONF_VMM_H
#define _LVSD_CONF_VMM_H

#include "conf_kw.h"
#include "subsys.h"
#include "vmm.h"

struct pool_conf {
	struct vmm_pool_conf v;
	/* As the keyword parsers write them; copied into v at '}'. */
	long long	keep_nodes, backoff, backoff_max, crash_limit;
	long long	stable, stop_timeout;
	bool		bad;		/* could not start: a fatal error */
};

/* The VM-pool subsystem's part of a struct conf (subsys.h). */
struct pool_set {
	struct pool_conf **pools;		/* vm_pool blocks */
	size_t		n_pools;
	char		*vmm_state_dir;		/* lvsd_vmm_state_dir */
};

#define POOL_SUBSYS_NAME	"vm_pool"

/* The configuration half of the subsystem (pools.c registers it with its
 * run-time hooks; tests register it alone): POOL_SUBSYS_CONF. */
extern const struct conf_kw pool_top_kws[], pool_global_kws[];
void pool_set_free(void *sc);
#define POOL_SUBSYS_CONF						\
	.kws = pool_top_kws, .global_kws = pool_global_kws,		\
	.conf_size = sizeof(struct pool_set), .conf_free = pool_set_free

/* C's pools (NULL when the subsystem is not registered). */
const struct pool_set *pool_set(const struct conf *c);
void conf_pool_free(struct pool_conf *pc);
const struct pool_conf *conf_find_pool(const struct conf *c,
				       const char *name);

#endif /* _LVSD_CONF_VMM_H */
