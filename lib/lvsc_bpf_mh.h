/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsc_bpf_mh.h - mh's lookup table for the eBPF datapath (lib/bpf_mh.c),
 * kept apart from lvsc_bpf.h: bpf_mh.c is built with the schedulers'
 * kernel compatibility header, which the rest of liblvsc does not see.
 */
#ifndef _LVSC_BPF_MH_H
#define _LVSC_BPF_MH_H

#include <stdint.h>

#define LVSC_BPF_MH_NONE	0xffff

/* A real server of the service, in list order (newest first). */
struct lvsc_bpf_mh_dest {
	uint32_t	addr[4];	/* network order */
	uint16_t	port;		/* network order */
	int32_t		weight, last_weight;
};

/*
 * Fill tab[0..size - 1] with indexes into d (LVSC_BPF_MH_NONE: no dest),
 * as lvs_mh builds its table for these dests; size must be the module's
 * default table size.  0 or a negative errno.
 */
int lvsc_bpf_mh_build(uint16_t af, const struct lvsc_bpf_mh_dest *d,
		      unsigned int n, uint16_t *tab, unsigned int size);

#endif /* _LVSC_BPF_MH_H */
