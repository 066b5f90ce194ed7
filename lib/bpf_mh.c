// SPDX-License-Identifier: GPL-2.0
/*
 * bpf_mh.c - mh's lookup table for the eBPF datapath, built by the
 * module's own scheduler source (schedulers/lvs_mh.c, compiled here
 * through schedulers/compat/lvs_compat.h as the unit tests compile it),
 * so a service maps clients to the same real servers on both datapaths.
 * lib/bpf.c calls lvsc_bpf_mh_build() whenever an mh service's real
 * servers change; the XDP program only hashes and reads the table.
 * Tested by tests/host/bpf_mh.sh against the module's picks.
 */
/* liblvsc's own copies of the compat layer's globals */
#define lvs_compat_alloc_fail	lvs_bpf_mh_alloc_fail
#define lvs_jiffies		lvs_bpf_mh_jiffies
#include "lvs_compat.h"

/* No constructor registering the scheduler: only its functions are used. */
#undef module_init
#undef module_exit
#define module_init(fn) \
	static int (*const lvs_bpf_mh_init_fn)(void) __attribute__((unused)) = fn
#define module_exit(fn) \
	static void (*const lvs_bpf_mh_exit_fn)(void) __attribute__((unused)) = fn
#define lvs_register_scheduler		lvs_bpf_mh_register
#define lvs_unregister_scheduler	lvs_bpf_mh_unregister

#include "../schedulers/lvs_mh.c"

#include "lvsc_bpf_mh.h"

unsigned long lvs_bpf_mh_alloc_fail;

int lvs_bpf_mh_register(struct lvs_sched_ops *ops)
{
	return 0;
}

void lvs_bpf_mh_unregister(struct lvs_sched_ops *ops)
{
}

int lvsc_bpf_mh_build(uint16_t af, const struct lvsc_bpf_mh_dest *d,
		      unsigned int n, uint16_t *tab, unsigned int size)
{
	struct lvs_service svc = { .af = af };
	struct lvs_mh_state *s;
	struct lvs_dest *v;
	unsigned int i;
	int rc;

	if (size != tab_size)
		return -EINVAL;
	v = calloc(n ? n : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	INIT_LIST_HEAD(&svc.destinations);
	for (i = 0; i < n; i++) {
		memcpy(&v[i].addr, d[i].addr, sizeof(d[i].addr));
		v[i].port = d[i].port;
		v[i].af = af;
		atomic_set(&v[i].weight, d[i].weight);
		atomic_set(&v[i].last_weight, d[i].last_weight);
		list_add_tail(&v[i].n_list, &svc.destinations);
	}
	svc.num_dests = n;
	rc = lvs_mh_ops.init_service(&svc);
	if (rc) {
		free(v);
		return rc;
	}
	s = svc.sched_data;
	for (i = 0; i < size; i++)
		tab[i] = s->lookup[i] ? (uint16_t)(s->lookup[i] - v) :
					LVSC_BPF_MH_NONE;
	lvs_mh_ops.done_service(&svc);
	free(v);
	return 0;
}
