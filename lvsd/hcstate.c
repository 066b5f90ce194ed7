// SPDX-License-Identifier: GPL-2.0
/* hcstate.c - see hcstate.h. */
#include "hcstate.h"

void hc_init(struct hc *h, const struct hc_params *p)
{
	*h = (struct hc){ .p = *p };
	h->state = p->alpha ? HC_DOWN : HC_UP;
}

void hc_set_params(struct hc *h, const struct hc_params *p)
{
	h->p = *p;
}

bool hc_result(struct hc *h, bool ok, int64_t *next)
{
	enum hc_state old = h->state;

	if (ok) {
		h->n_ok++;
		h->fails = 0;
		h->oks++;
		if (h->state == HC_DOWN && h->oks >= h->p.rise)
			h->state = HC_UP;
		*next = h->p.delay;
	} else {
		h->n_fail++;
		h->oks = 0;
		h->fails++;
		if (h->state == HC_UP && h->fails >= h->p.fall)
			h->state = HC_DOWN;
		/* Still UP: this failure is being retried. */
		*next = h->state == HC_UP ? h->p.dbr : h->p.delay;
	}
	return h->state != old;
}

const char *hc_state_name(enum hc_state s)
{
	return s == HC_UP ? "up" : "down";
}

void quorum_init(struct quorum *q)
{
	q->up = true;
}

bool quorum_update(struct quorum *q, uint64_t sum, uint64_t quorum,
		   uint64_t hysteresis)
{
	bool old = q->up;

	/*
	 * keepalived: an empty pool (weight sum 0) loses the quorum even when
	 * the hysteresis reaches below zero.
	 */
	if (q->up && (!sum || sum + hysteresis < quorum))
		q->up = false;
	else if (!q->up && sum >= quorum + hysteresis)
		q->up = true;
	return q->up != old;
}

bool quorum_stop(struct quorum *q)
{
	bool old = q->up;

	q->up = false;
	return old;
}

bool rs_counts(const struct rs_view *v)
{
	return v->healthy && v->admin == RS_ENABLED;
}

bool rs_target(const struct rs_view *v, uint32_t *weight)
{
	switch (v->admin) {
	case RS_DISABLED:
		break;
	case RS_DRAINING:
		if (v->drained)
			return false;
		*weight = 0;
		return true;
	case RS_ENABLED:
		if (v->healthy && !v->sorry_active) {
			*weight = v->weight;
			return true;
		}
		break;
	}
	if (v->inhibit) {
		*weight = 0;
		return true;
	}
	return false;
}

const char *rs_admin_name(enum rs_admin a)
{
	static const char *const names[] = { "enabled", "disabled",
					     "draining" };
	return names[a];
}
