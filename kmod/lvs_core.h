/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvs_core.h - definitions private to lvs.ko.
 */
#ifndef _LVS_CORE_H
#define _LVS_CORE_H

#include <linux/mutex.h>
#include <net/net_namespace.h>
#include <net/netns/generic.h>

#include <lvs/sched.h>

/* Per network namespace state. */
struct lvs_net {
	struct net		*net;
};

extern unsigned int lvs_net_id;

static inline struct lvs_net *lvs_net(const struct net *net)
{
	return net_generic(net, lvs_net_id);
}

int lvs_genl_init(void);
void lvs_genl_exit(void);

#endif /* _LVS_CORE_H */
