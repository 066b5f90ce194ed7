/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrrp.h - VRRP (RFC 3768 v2, RFC 5798 v3) as pure functions: the wire
 * codec and one instance's state machine.  No I/O, no clock, no allocation:
 * the caller (lvsd's VRRP subsystem) owns the sockets, the timers, the
 * addresses and the scripts, and this file decides what they should do.
 *
 * Codec.  vrrp_build() writes an advertisement; vrrp_parse() checks one
 * received (length, version, type, address count, checksum, v2 interval
 * and PASS authentication) and decodes it.  The IP header is the caller's:
 * it passes the source and destination addresses, which the v3 checksum
 * covers (the pseudo-header), and checks the TTL / hop limit itself (255,
 * except on unicast peers, as keepalived).
 *
 * State machine.  One struct vrrp_fsm per vrrp_instance.  Every entry point
 * takes the current time (microseconds on a monotonic clock) and returns a
 * set of VRRP_DO_* actions for the caller to carry out, in this order:
 * delete VIPs, add VIPs, send an advert (priority 0 when VRRP_DO_RESIGN),
 * send gratuitous ARPs / unsolicited NAs, run notify scripts.  After every
 * call the caller arms its one timer for fsm->timer_at (0: none) and calls
 * vrrp_fsm_timer() when it fires.  RFC 5798 section 6.4 is followed, with
 * keepalived's additions: a FAULT state (a tracked interface or script),
 * effective priority from tracked weights, preempt_delay, and a master that
 * answers a lower-priority advert by re-asserting itself at once.
 *
 * Times: intervals are kept in centiseconds as v3 carries them; a v2
 * instance's interval is a whole number of seconds.  The skew follows
 * keepalived: (256 - prio) / 256 s for v2, (256 - prio) * interval / 256 for
 * v3; master down = 3 * master advert interval + skew.
 *
 * Tested by tests/unit/test_vrrp.c: the codec against hand-built packets
 * (checksums worked out independently), and every transition of the table
 * in RFC 5798 6.4 plus the keepalived additions.
 */
#ifndef _VRRP_H
#define _VRRP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <netinet/in.h>

#define VRRP_PROTO		112
#define VRRP_TTL		255
#define VRRP_TYPE_ADVERT	1
#define VRRP_AUTH_NONE		0
#define VRRP_AUTH_PASS		1
#define VRRP_AUTH_LEN		8	/* v2: the auth data, always sent */
#define VRRP_HDR_LEN		8
#define VRRP_MAX_ADDRS		255
#define VRRP_PRIO_OWNER		255
#define VRRP_PRIO_STOP		0
#define VRRP_MAX_LEN		(VRRP_HDR_LEN + 16 * VRRP_MAX_ADDRS + VRRP_AUTH_LEN)
/* v3 carries the interval in 12 bits of centiseconds. */
#define VRRP_V3_MAX_INT		4095

union vrrp_addr {
	struct in_addr	v4;
	struct in6_addr	v6;
};

/* One advertisement, decoded or to encode. */
struct vrrp_advert {
	uint8_t		version;	/* 2 or 3 */
	uint8_t		vrid;
	uint8_t		prio;
	uint8_t		naddr;
	uint16_t	interval;	/* centiseconds (v2: 100 * seconds) */
	uint8_t		auth_type;	/* v2 only */
	char		auth[VRRP_AUTH_LEN];	/* v2 PASS, zero padded */
	const uint8_t	*addrs;		/* naddr addresses, as on the wire */
};

/* Where a packet was sent from and to: the v3 checksum covers both. */
struct vrrp_ends {
	int		family;		/* AF_INET or AF_INET6 */
	union vrrp_addr	src, dst;
};

/* Encodes ADV (its addrs naddr entries of the family's size) into BUF of
 * SIZE bytes; returns the length, or -EMSGSIZE / -EINVAL. */
int vrrp_build(uint8_t *buf, size_t size, const struct vrrp_advert *adv,
	       const struct vrrp_ends *ends, bool v3_checksum_as_v2);

/*
 * Checks and decodes a received VRRP message (the IP payload).  EXPECT
 * gives what this instance requires: its version, and for v2 its auth
 * type and password and its interval.  Returns 0, or -EINVAL with WHY set
 * to a short reason for the log ("bad checksum", "interval 2 s, ours 1 s").
 * ADV->addrs points into BUF.
 */
int vrrp_parse(const uint8_t *buf, size_t len, const struct vrrp_ends *ends,
	       const struct vrrp_advert *expect, bool v3_checksum_as_v2,
	       struct vrrp_advert *adv, const char **why);

/* The internet checksum of a buffer, folded, plus SUM as a partial sum. */
uint16_t vrrp_csum(const void *buf, size_t len, uint32_t sum);

enum vrrp_state {
	VRRP_INIT,
	VRRP_BACKUP,
	VRRP_MASTER,
	VRRP_FAULT,
};

/* What the caller must do after a call (a bit set). */
#define VRRP_DO_ADD_VIPS	0x01	/* add virtual addresses and routes */
#define VRRP_DO_DEL_VIPS	0x02	/* delete them */
#define VRRP_DO_ADVERT		0x04	/* send an advert at fsm->prio */
#define VRRP_DO_RESIGN		0x08	/* send an advert at priority 0 */
#define VRRP_DO_GARP		0x10	/* gratuitous ARP / unsolicited NA */
#define VRRP_DO_NOTIFY		0x20	/* state changed: scripts, log, sync */

struct vrrp_fsm_conf {
	uint8_t		version;
	uint8_t		base_prio;	/* 1..255 as configured */
	uint16_t	interval;	/* advert_int, centiseconds */
	bool		preempt;	/* false with nopreempt */
	int64_t		preempt_delay;	/* usec */
};

struct vrrp_fsm {
	struct vrrp_fsm_conf conf;
	enum vrrp_state	state;
	uint8_t		prio;		/* effective: base + tracked weights */
	uint16_t	master_int;	/* Master_Adver_Interval, centiseconds */
	int64_t		timer_at;	/* when to call vrrp_fsm_timer, 0 none */
	int64_t		preempt_at;	/* no preemption before this, 0 none */
	bool		fault;		/* a tracked object is failed */
};

void vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_fsm_conf *conf);
/*
 * Startup (RFC 5798 6.4.1): the address owner (priority 255) to MASTER,
 * anyone else to BACKUP, as keepalived does whatever `state` says.
 */
unsigned int vrrp_fsm_start(struct vrrp_fsm *f, int64_t now);
/* Shutdown: a master resigns with priority 0 and drops its addresses. */
unsigned int vrrp_fsm_stop(struct vrrp_fsm *f, int64_t now);
unsigned int vrrp_fsm_timer(struct vrrp_fsm *f, int64_t now);
/*
 * A valid advert for our VRID.  CMP is the sender's primary address
 * compared with ours (memcmp order, network byte order): > 0 when the
 * sender's is higher, which wins a tie of priorities.
 */
unsigned int vrrp_fsm_advert(struct vrrp_fsm *f, const struct vrrp_advert *a,
			     int cmp, int64_t now);
/* FAILED: some tracked object is failed now (the caller aggregates them);
 * the instance is in FAULT for as long as that holds. */
unsigned int vrrp_fsm_fault(struct vrrp_fsm *f, bool failed, int64_t now);
/* Tracked weights moved the effective priority to PRIO (1..254). */
unsigned int vrrp_fsm_set_prio(struct vrrp_fsm *f, uint8_t prio, int64_t now);

/* A sync group moving this instance with another one: TO is VRRP_MASTER
 * (another member became master) or VRRP_BACKUP (one went back). */
unsigned int vrrp_fsm_force(struct vrrp_fsm *f, enum vrrp_state to,
			    int64_t now);

/* Skew and Master_Down_Interval for the current state, in usec. */
int64_t vrrp_skew(const struct vrrp_fsm *f);
int64_t vrrp_master_down(const struct vrrp_fsm *f);

const char *vrrp_state_name(enum vrrp_state s);

#endif /* _VRRP_H */
