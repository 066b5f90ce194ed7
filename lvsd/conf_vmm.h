/* SPDX-License-Identifier: GPL-2.0 */
/* conf_vmm.h - the vm_pool block (conf_vmm.c) as the parser keeps it. */
#ifndef _LVSD_CONF_VMM_H
#define _LVSD_CONF_VMM_H

#include "vs_conf.h"
#include "conf_kw.h"
#include "vmm.h"

struct pool_conf {
	struct vmm_pool_conf v;
	/* As the keyword parsers write them; copied into v at '}'. */
	long long	keep_nodes, backoff, backoff_max, crash_limit;
	long long	stable, stop_timeout;
	bool		bad;		/* could not start: a fatal error */
};

extern const struct conf_kw conf_vm_pool_kw;
void conf_pool_free(struct pool_conf *pc);
const struct pool_conf *conf_find_pool(const struct conf *c,
				       const char *name);

#endif /* _LVSD_CONF_VMM_H */
