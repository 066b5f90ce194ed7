// SPDX-License-Identifier: GPL-2.0
/*
 * test_sched_harness.c - the scheduler registry and a tiny core for the
 * userspace scheduler tests and benchmarks.
 */
#include <stdlib.h>
#include <string.h>

#include "test_sched_harness.h"

unsigned long lvs_jiffies = 1000000;
unsigned long lvs_compat_alloc_fail;
const struct th_hooks *th_hooks;

static struct list_head th_registry = LIST_HEAD_INIT(th_registry);

const char *const th_sched_names[] = {
	"rr", "wrr", "lc", "wlc", "sed", "nq", "lblc", "lblcr",
	"sh", "dh", "mh", "fo", "ovf",
};
const unsigned int th_nr_scheds = ARRAY_SIZE(th_sched_names);

int lvs_register_scheduler(struct lvs_sched_ops *ops)
{
	if (th_find_sched(ops->name))
		return -EEXIST;
	list_add_tail(&ops->n_list, &th_registry);
	return 0;
}

void lvs_unregister_scheduler(struct lvs_sched_ops *ops)
{
	list_del(&ops->n_list);
}

struct lvs_sched_ops *th_find_sched(const char *name)
{
	struct lvs_sched_ops *ops;

	list_for_each_entry(ops, &th_registry, n_list)
		if (!strcmp(ops->name, name))
			return ops;
	return NULL;
}

int th_svc_init(struct th_svc *t, const char *sched, unsigned int flags)
{
	memset(t, 0, sizeof(*t));
	INIT_LIST_HEAD(&t->svc.destinations);
	spin_lock_init(&t->svc.sched_lock);
	t->svc.af = AF_INET;
	t->svc.protocol = IPPROTO_TCP;
	t->svc.addr.ip = htonl(0xc0a80001);
	t->svc.port = htons(80);
	t->svc.flags = flags;
	t->ops = th_find_sched(sched);
	if (!t->ops)
		return -ENOENT;
	return t->ops->init_service ? t->ops->init_service(&t->svc) : 0;
}

void th_svc_done(struct th_svc *t)
{
	struct lvs_dest *d, *n;

	if (t->ops->done_service)
		t->ops->done_service(&t->svc);
	t->svc.sched_data = NULL;
	list_for_each_entry_safe(d, n, &t->svc.destinations, n_list) {
		list_del(&d->n_list);
		free(container_of(d, struct th_dest, d));
	}
}

struct lvs_dest *th_add(struct th_svc *t, int id, int weight)
{
	struct th_dest *td = calloc(1, sizeof(*td));
	struct lvs_dest *d;

	if (!td)
		abort();
	d = &td->d;
	td->id = id;
	d->af = AF_INET;
	d->addr.ip = htonl(0x0a000001u | ((u32)(id & 0xffff) << 8));
	d->port = htons((u16)(80 + id % 100));
	atomic_set(&d->weight, weight);
	atomic_set(&d->last_weight, weight);
	d->flags = LVS_DEST_F_AVAILABLE;
	list_add(&d->n_list, &t->svc.destinations);
	t->svc.num_dests++;
	if (t->ops->add_dest && t->ops->add_dest(&t->svc, d)) {
		list_del(&d->n_list);
		t->svc.num_dests--;
		free(td);
		return NULL;
	}
	if (th_hooks && th_hooks->added)
		th_hooks->added(t, d);
	return d;
}

void th_del(struct th_svc *t, struct lvs_dest *d)
{
	d->flags &= ~LVS_DEST_F_AVAILABLE;
	list_del(&d->n_list);
	t->svc.num_dests--;
	if (t->ops->del_dest)
		t->ops->del_dest(&t->svc, d);
	if (th_hooks && th_hooks->deleted)
		th_hooks->deleted(t, d);
	free(container_of(d, struct th_dest, d));
}

void th_set_weight(struct th_svc *t, struct lvs_dest *d, int weight)
{
	atomic_set(&d->weight, weight);
	if (weight)
		atomic_set(&d->last_weight, weight);
	if (t->ops->upd_dest)
		t->ops->upd_dest(&t->svc, d);
	if (th_hooks && th_hooks->updated)
		th_hooks->updated(t, d);
}

/* kmod/dest.c's rule: set at u, cleared below 3/4 u (no l_threshold). */
static void th_update_overload(struct lvs_dest *d)
{
	u32 conns = (u32)atomic_read(&d->activeconns) +
		    (u32)atomic_read(&d->inactconns);
	bool over = d->flags & LVS_DEST_F_OVERLOAD;

	if (d->u_threshold && conns >= d->u_threshold)
		over = true;
	else if (!d->u_threshold)
		over = false;
	else
		over = over && (u64)conns * 4 >= (u64)d->u_threshold * 3;
	if (over)
		d->flags |= LVS_DEST_F_OVERLOAD;
	else
		d->flags &= ~LVS_DEST_F_OVERLOAD;
}

void th_set_threshold(struct th_svc *t, struct lvs_dest *d, u32 upper)
{
	d->u_threshold = upper;
	th_update_overload(d);
	if (t->ops->upd_dest)
		t->ops->upd_dest(&t->svc, d);
	if (th_hooks && th_hooks->updated)
		th_hooks->updated(t, d);
}

void th_set_overload(struct th_svc *t, struct lvs_dest *d, bool on)
{
	if (on)
		d->flags |= LVS_DEST_F_OVERLOAD;
	else
		d->flags &= ~LVS_DEST_F_OVERLOAD;
	if (t->ops->load_changed)
		t->ops->load_changed(&t->svc, d);
}

void th_conns(struct th_svc *t, struct lvs_dest *d, int da, int di)
{
	atomic_set(&d->activeconns, atomic_read(&d->activeconns) + da);
	atomic_set(&d->inactconns, atomic_read(&d->inactconns) + di);
	if (d->u_threshold)
		th_update_overload(d);
	if (t->ops->load_changed)
		t->ops->load_changed(&t->svc, d);
}

struct lvs_dest *th_pick(struct th_svc *t, const struct lvs_pkt *pkt)
{
	return t->ops->schedule(&t->svc, pkt);
}

void th_pkt4(struct lvs_pkt *pkt, u32 saddr, u16 sport, u32 daddr)
{
	memset(pkt, 0, sizeof(*pkt));
	pkt->af = AF_INET;
	pkt->protocol = IPPROTO_TCP;
	pkt->saddr.ip = htonl(saddr);
	pkt->sport = htons(sport);
	pkt->daddr.ip = htonl(daddr);
	pkt->dport = htons(80);
}

struct lvs_dest *th_pick_any(struct th_svc *t)
{
	struct lvs_pkt pkt;

	th_pkt4(&pkt, 0x0b000000u | th_rand_below(1u << 24),
		(u16)(1024 + th_rand_below(60000)), 0xc0a80001u);
	return th_pick(t, &pkt);
}

int th_dest_id(const struct lvs_dest *d)
{
	return d ? container_of(d, struct th_dest, d)->id : -1;
}

struct lvs_dest *th_nth(struct th_svc *t, unsigned int n)
{
	struct lvs_dest *d;

	list_for_each_entry(d, &t->svc.destinations, n_list)
		if (!n--)
			return d;
	return NULL;
}

unsigned int th_count(struct th_svc *t)
{
	struct lvs_dest *d;
	unsigned int n = 0;

	list_for_each_entry(d, &t->svc.destinations, n_list)
		n++;
	return n;
}

static u64 th_state = 0x9e3779b97f4a7c15ULL;

void th_srand(u64 seed)
{
	th_state = seed ? seed : 0x9e3779b97f4a7c15ULL;
}

u64 th_rand(void)
{
	th_state ^= th_state >> 12;
	th_state ^= th_state << 25;
	th_state ^= th_state >> 27;
	return th_state * 0x2545f4914f6cdd1dULL;
}
