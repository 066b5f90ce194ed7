/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bfd_instance.h - keepalived's root `bfd_instance NAME { neighbor_ip;
 * source_ip; min_rx; min_tx; idle_tx; multiplier; passive }` blocks, which
 * BFD_CHECK names (check_bfd.c).  Parsed into struct checker_env's
 * bfd_instances (opaque to lvsd, freed with hc_bfd_instances_free()).
 */
#ifndef _HC_BFD_INSTANCE_H
#define _HC_BFD_INSTANCE_H

#include "conf_kw.h"

/* Root row "bfd_instance": OFF points at a void *bfd_instances. */
int hc_kw_bfd_instance(struct conf_parser *p, const struct conf_kw *kw,
		       void *obj, int argc, char **argv);
extern const struct conf_block hc_bfd_instance_block;
void hc_bfd_instances_free(void *list);

#endif /* _HC_BFD_INSTANCE_H */
