/* SPDX-License-Identifier: GPL-2.0 */
/*
 * bfd_instance.h - keepalived's root `bfd_instance NAME { neighbor_ip;
 * source_ip; min_rx; min_tx; idle_tx; multiplier; passive; max_hops }`
 * blocks (max_hops: multihop, RFC 5883), which
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

/*
 * The protocol's pure parts, for the unit tests.  States are RFC 5880's
 * numbers (0 AdminDown, 1 Down, 2 Init, 3 Up).
 */
#include <stdbool.h>
#include <stddef.h>
/* 6.8.6: the local state after a valid packet from a peer in REMOTE;
 * *DIAG gets the diagnostic to send (3 when the neighbor went down). */
int bfd_next_state(int local, int remote, int *diag);
/* 6.8.6: version 1, length, a detect multiplier, no multipoint or
 * authentication, a discriminator; a TTL (or hop limit) of at least
 * MIN_TTL: 255 for single hop (RFC 5881 5), 256 - max_hops for
 * multihop (RFC 5883); 0 accepts any. */
bool bfd_packet_ok(const unsigned char *b, size_t n, int ttl, int min_ttl);

#endif /* _HC_BFD_INSTANCE_H */
