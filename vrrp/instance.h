/* SPDX-License-Identifier: GPL-2.0 */
/*
 * instance.h - one running VRRP instance: the state machine of vrrp.h
 * driven by the runtime loop (loop.h: one fd watcher, one timer) and carried
 * out by vrrp_net.h (adverts, addresses, routes, gratuitous ARPs).
 *
 * Owns: its socket, its timer, the addresses and routes it added.  Calls
 * back its owner (lvsd's VRRP subsystem) on every state change, so the
 * owner runs notify scripts, moves sync groups and the connection-sync
 * role; the owner reports tracked-object faults and priority changes back.
 * Never prints: messages go through the owner's log callback.
 *
 * Tested by tests/host/vrrp_*.sh: instances in network namespaces against
 * each other and against a real keepalived.
 */
#ifndef _VRRP_INSTANCE_H
#define _VRRP_INSTANCE_H

#include "vrrp.h"
#include "vrrp_net.h"

#define VRRP_NAMELEN	64

struct vrrp_inst_conf {
	char		name[VRRP_NAMELEN];
	int		family;
	int		ifindex;
	uint8_t		vrid;
	struct vrrp_fsm_conf fsm;
	uint8_t		auth_type;		/* v2: NONE or PASS */
	char		auth_pass[VRRP_AUTH_LEN];
	bool		v3_checksum_as_v2;
	union vrrp_addr	group;			/* multicast destination */
	bool		has_src;		/* unicast_src_ip given */
	union vrrp_addr	src;
	union vrrp_addr	*peers;			/* unicast_peer, or none */
	size_t		npeers;
	struct vrrp_vip	*vips;		/* ifindex 0: advertised, not set */
	size_t		nvips;
	struct vrrp_route *routes;
	size_t		nroutes;
	int		garp_repeat;		/* per burst, keepalived's 5 */
	int64_t		garp_delay;		/* second burst after, usec */
};

struct vrrp_inst;

struct vrrp_inst_ops {
	/* After every state change, with the state left. */
	void (*state_changed)(struct vrrp_inst *vi, enum vrrp_state from,
			      enum vrrp_state to, void *arg);
	/* A message for the log: LEVEL as syslog's. */
	void (*log)(struct vrrp_inst *vi, int level, const char *msg,
		    void *arg);
};

/* Takes a copy of CONF (arrays included).  Returns NULL with ERR set. */
struct vrrp_inst *vrrp_inst_new(const struct vrrp_inst_conf *conf,
				struct vrrp_nl *nl,
				const struct vrrp_inst_ops *ops, void *arg,
				char *err, size_t errlen);
/* A new owner takes a running instance over (lvsd's reload). */
void vrrp_inst_set_owner(struct vrrp_inst *vi,
			 const struct vrrp_inst_ops *ops, void *arg);
/* Opens the socket and enters BACKUP (or MASTER as owner). */
int vrrp_inst_start(struct vrrp_inst *vi, char *err, size_t errlen);
/* Resigns if master (a priority-0 advert), drops addresses, closes. */
void vrrp_inst_stop(struct vrrp_inst *vi);
void vrrp_inst_free(struct vrrp_inst *vi);

void vrrp_inst_fault(struct vrrp_inst *vi, bool failed);
void vrrp_inst_set_prio(struct vrrp_inst *vi, uint8_t prio);
/* A sync group moving this instance with another: to MASTER at once, or
 * back to BACKUP. */
void vrrp_inst_force(struct vrrp_inst *vi, enum vrrp_state to);

enum vrrp_state vrrp_inst_state(const struct vrrp_inst *vi);
const struct vrrp_inst_conf *vrrp_inst_conf(const struct vrrp_inst *vi);
uint8_t vrrp_inst_prio(const struct vrrp_inst *vi);

struct vrrp_inst_stats {
	uint64_t	adverts_sent, adverts_rcvd, dropped, became_master;
	uint64_t	prio0_sent, prio0_rcvd;
};
const struct vrrp_inst_stats *vrrp_inst_stats(const struct vrrp_inst *vi);

#endif /* _VRRP_INSTANCE_H */
