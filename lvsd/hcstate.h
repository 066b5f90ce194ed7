/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hcstate.h - the decisions of health checking, with no I/O so they are
 * unit-tested on their own: one check's rise/fall state, a virtual
 * server's quorum with hysteresis, and where a real server stands in the
 * kernel given its health, its operator state and the quorum.
 *
 * keepalived's behaviour is the default: a check that is UP goes DOWN after
 * fall = retry + 1 consecutive failures, retried every delay_before_retry;
 * a DOWN check comes UP on rise = 1 success; otherwise the next probe is
 * delay_loop away.  alpha starts a check DOWN.
 */
#ifndef _LVSD_HCSTATE_H
#define _LVSD_HCSTATE_H

#include <stdbool.h>
#include <stdint.h>

enum hc_state { HC_UP, HC_DOWN };

struct hc_params {
	unsigned int	rise, fall;		/* >= 1 */
	int64_t		delay;			/* delay_loop, usec */
	int64_t		dbr;			/* delay_before_retry, usec */
	bool		alpha;
};

struct hc {
	struct hc_params p;
	enum hc_state	state;
	unsigned int	oks, fails;		/* consecutive */
	uint64_t	n_ok, n_fail;		/* totals */
};

void hc_init(struct hc *h, const struct hc_params *p);
/* Change parameters (reload) keeping state and counters. */
void hc_set_params(struct hc *h, const struct hc_params *p);
/*
 * One probe result.  Returns true when the state changed; *next is the
 * delay until the next probe.
 */
bool hc_result(struct hc *h, bool ok, int64_t *next);
const char *hc_state_name(enum hc_state s);

struct quorum {
	bool		up;
};

/* keepalived starts a virtual server with its quorum up. */
void quorum_init(struct quorum *q);
/*
 * SUM is the weight of the live real servers.  Lost below quorum -
 * hysteresis or when SUM is 0 (keepalived's rule, whatever the
 * hysteresis), regained at quorum + hysteresis.  True when it changed.
 */
bool quorum_update(struct quorum *q, uint64_t sum, uint64_t quorum,
		   uint64_t hysteresis);
/* Shutting down: the quorum goes down.  True when it was up. */
bool quorum_stop(struct quorum *q);

enum rs_admin { RS_ENABLED, RS_DISABLED, RS_DRAINING };

struct rs_view {
	bool		healthy;	/* every check UP */
	enum rs_admin	admin;
	bool		drained;	/* draining and done: remove now */
	bool		inhibit;	/* inhibit_on_failure */
	uint32_t	weight;		/* configured, or misc_dynamic's */
	bool		sorry_active;	/* quorum lost and a sorry server */
};

/*
 * Should the real server be in the service, and with what weight?
 * Returns true and sets *weight when it should.
 */
bool rs_target(const struct rs_view *v, uint32_t *weight);
/* Does it count towards the quorum? */
bool rs_counts(const struct rs_view *v);
const char *rs_admin_name(enum rs_admin a);

#endif /* _LVSD_HCSTATE_H */
