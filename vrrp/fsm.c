// SPDX-License-Identifier: GPL-2.0
/*
 * fsm.c - one VRRP instance's state machine (RFC 5798 6.4, with
 * keepalived's FAULT state, preempt_delay and re-assertion).  Pure: see
 * vrrp.h for the contract and the order in which the caller acts.
 */
#include <string.h>

#include "vrrp.h"

#define USEC_PER_CS	10000

int64_t vrrp_skew(const struct vrrp_fsm *f)
{
	int64_t weight = 256 - f->prio;

	if (f->conf.version == 2)
		return weight * 1000000 / 256;
	return weight * f->master_int * USEC_PER_CS / 256;
}

int64_t vrrp_master_down(const struct vrrp_fsm *f)
{
	return 3 * (int64_t)f->master_int * USEC_PER_CS + vrrp_skew(f);
}

const char *vrrp_state_name(enum vrrp_state s)
{
	switch (s) {
	case VRRP_INIT:		return "INIT";
	case VRRP_BACKUP:	return "BACKUP";
	case VRRP_MASTER:	return "MASTER";
	case VRRP_FAULT:	return "FAULT";
	}
	return "?";
}

void vrrp_fsm_init(struct vrrp_fsm *f, const struct vrrp_fsm_conf *conf)
{
	memset(f, 0, sizeof(*f));
	f->conf = *conf;
	f->state = VRRP_INIT;
	f->prio = conf->base_prio;
	f->master_int = conf->interval;
}

static void arm_advert(struct vrrp_fsm *f, int64_t now)
{
	f->timer_at = now + (int64_t)f->conf.interval * USEC_PER_CS;
}

static unsigned int become_master(struct vrrp_fsm *f, int64_t now)
{
	f->state = VRRP_MASTER;
	f->preempt_at = 0;
	arm_advert(f, now);
	return VRRP_DO_ADD_VIPS | VRRP_DO_ADVERT | VRRP_DO_GARP |
	       VRRP_DO_NOTIFY;
}

/* To BACKUP from INIT, FAULT or MASTER; MASTER_INT is what to wait on. */
static unsigned int become_backup(struct vrrp_fsm *f, uint16_t master_int,
				  int64_t now)
{
	unsigned int act = VRRP_DO_NOTIFY;

	if (f->state == VRRP_MASTER)
		act |= VRRP_DO_DEL_VIPS;
	f->state = VRRP_BACKUP;
	f->master_int = master_int;
	f->timer_at = now + vrrp_master_down(f);
	f->preempt_at = f->conf.preempt_delay ? now + f->conf.preempt_delay : 0;
	return act;
}

/* The owner takes over at once (RFC 5798 6.4.1); the others wait. */
static unsigned int come_up(struct vrrp_fsm *f, int64_t now)
{
	if (f->prio == VRRP_PRIO_OWNER)
		return become_master(f, now);
	return become_backup(f, f->conf.interval, now);
}

unsigned int vrrp_fsm_start(struct vrrp_fsm *f, int64_t now)
{
	if (f->state != VRRP_INIT)
		return 0;
	if (f->fault) {
		f->state = VRRP_FAULT;
		f->timer_at = 0;
		return VRRP_DO_NOTIFY;
	}
	return come_up(f, now);
}

unsigned int vrrp_fsm_stop(struct vrrp_fsm *f, int64_t now)
{
	unsigned int act = 0;

	(void)now;
	if (f->state == VRRP_MASTER)
		act = VRRP_DO_RESIGN | VRRP_DO_DEL_VIPS;
	if (f->state != VRRP_INIT)
		act |= VRRP_DO_NOTIFY;
	f->state = VRRP_INIT;
	f->timer_at = 0;
	f->preempt_at = 0;
	return act;
}

unsigned int vrrp_fsm_timer(struct vrrp_fsm *f, int64_t now)
{
	if (!f->timer_at || now < f->timer_at)
		return 0;
	switch (f->state) {
	case VRRP_MASTER:
		arm_advert(f, now);
		return VRRP_DO_ADVERT;
	case VRRP_BACKUP:
		/* Master_Down_Timer fired: nobody is master (6.4.2). */
		return become_master(f, now);
	default:
		f->timer_at = 0;
		return 0;
	}
}

static unsigned int backup_rx(struct vrrp_fsm *f, const struct vrrp_advert *a,
			      int64_t now)
{
	bool lower = a->prio < f->prio;

	if (a->prio == VRRP_PRIO_STOP) {
		/* The master resigned: take over after the skew alone. */
		f->timer_at = now + vrrp_skew(f);
		return 0;
	}
	if (lower && f->conf.preempt) {
		/* preempt_delay runs from start-up or the first lower advert. */
		if (!f->preempt_at && f->conf.preempt_delay)
			f->preempt_at = now + f->conf.preempt_delay;
		if (!f->preempt_at || now >= f->preempt_at)
			return 0;	/* discard: let the down timer fire */
	} else if (!lower) {
		f->preempt_at = 0;
	}
	if (f->conf.version == 3)
		f->master_int = a->interval;
	f->timer_at = now + vrrp_master_down(f);
	return 0;
}

static unsigned int master_rx(struct vrrp_fsm *f, const struct vrrp_advert *a,
			      int cmp, int64_t now)
{
	if (a->prio == VRRP_PRIO_STOP) {
		/* Another master resigned: tell the backups we are here. */
		arm_advert(f, now);
		return VRRP_DO_ADVERT;
	}
	if (a->prio > f->prio || (a->prio == f->prio && cmp > 0))
		return become_backup(f, f->conf.version == 3 ? a->interval :
					 f->conf.interval, now);
	/*
	 * A lower master (after a split brain, or one that preempts no
	 * more): re-assert at once, with gratuitous ARPs so the neighbours
	 * that followed it come back, as keepalived does.
	 */
	arm_advert(f, now);
	return VRRP_DO_ADVERT | VRRP_DO_GARP;
}

unsigned int vrrp_fsm_advert(struct vrrp_fsm *f, const struct vrrp_advert *a,
			     int cmp, int64_t now)
{
	switch (f->state) {
	case VRRP_BACKUP:
		return backup_rx(f, a, now);
	case VRRP_MASTER:
		return master_rx(f, a, cmp, now);
	default:
		return 0;
	}
}

unsigned int vrrp_fsm_fault(struct vrrp_fsm *f, bool failed, int64_t now)
{
	unsigned int act = 0;

	f->fault = failed;
	if (f->state == VRRP_INIT)
		return 0;		/* start() looks at it */
	if (failed && f->state != VRRP_FAULT) {
		if (f->state == VRRP_MASTER)
			act = VRRP_DO_RESIGN | VRRP_DO_DEL_VIPS;
		f->state = VRRP_FAULT;
		f->timer_at = 0;
		f->preempt_at = 0;
		return act | VRRP_DO_NOTIFY;
	}
	if (!failed && f->state == VRRP_FAULT)
		return come_up(f, now);
	return 0;
}

unsigned int vrrp_fsm_set_prio(struct vrrp_fsm *f, uint8_t prio, int64_t now)
{
	(void)now;
	/* Tracked weights never make an owner, nor a resignation. */
	if (prio == VRRP_PRIO_STOP)
		prio = 1;
	if (prio == VRRP_PRIO_OWNER && f->conf.base_prio != VRRP_PRIO_OWNER)
		prio = VRRP_PRIO_OWNER - 1;
	f->prio = prio;
	/*
	 * A master's next advert carries it (a backup above preempts then);
	 * a backup's running down timer keeps its deadline, as keepalived.
	 */
	return 0;
}

unsigned int vrrp_fsm_force(struct vrrp_fsm *f, enum vrrp_state to,
			    int64_t now)
{
	/* Only between BACKUP and MASTER: FAULT and INIT are the member's. */
	if (f->state == to ||
	    (f->state != VRRP_BACKUP && f->state != VRRP_MASTER))
		return 0;
	if (to == VRRP_MASTER)
		return become_master(f, now);
	if (to == VRRP_BACKUP)
		return become_backup(f, f->conf.interval, now);
	return 0;
}
