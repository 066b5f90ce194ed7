/* SPDX-License-Identifier: GPL-2.0 */
/*
 * test_sched_harness.h - drive the schedulers in userspace the way the
 * core (kmod/dest.c, kmod/conn.c) drives them in the kernel:
 *  - a new dest is linked at the head of svc->destinations, then
 *    add_dest runs; if that fails it is unlinked again;
 *  - a deleted dest is unlinked, then del_dest runs;
 *  - an edit sets weight (and last_weight if nonzero), then upd_dest;
 *  - a change of the connection counts updates the overload flag from
 *    the thresholds, then load_changed runs.
 */
#ifndef _TEST_SCHED_HARNESS_H
#define _TEST_SCHED_HARNESS_H

#include <lvs/sched.h>

struct th_svc {
	struct lvs_service	svc;
	struct lvs_sched_ops	*ops;
};

struct th_dest {
	struct lvs_dest		d;
	int			id;
};

struct lvs_sched_ops *th_find_sched(const char *name);

/* All scheduler names, in a fixed order. */
extern const char *const th_sched_names[];
extern const unsigned int th_nr_scheds;

int th_svc_init(struct th_svc *t, const char *sched, unsigned int flags);
void th_svc_done(struct th_svc *t);

/* Add dest number @id (address 10.<id>.<id>.1, port 80 + id % 100). */
struct lvs_dest *th_add(struct th_svc *t, int id, int weight);
void th_del(struct th_svc *t, struct lvs_dest *d);
void th_set_weight(struct th_svc *t, struct lvs_dest *d, int weight);
/* Set u_threshold (0: none), then re-derive the overload flag. */
void th_set_threshold(struct th_svc *t, struct lvs_dest *d, u32 upper);
/* Force the overload flag, then tell the scheduler as the core would. */
void th_set_overload(struct th_svc *t, struct lvs_dest *d, bool on);
/* Add @da active and @di inactive connections (may be negative). */
void th_conns(struct th_svc *t, struct lvs_dest *d, int da, int di);

/*
 * Optional observer, called after the scheduler heard of a change (and,
 * for a delete, before the dest is freed): lets a test keep a reference
 * model in step.
 */
struct th_hooks {
	void (*added)(struct th_svc *t, struct lvs_dest *d);
	void (*deleted)(struct th_svc *t, struct lvs_dest *d);
	void (*updated)(struct th_svc *t, struct lvs_dest *d);
};
extern const struct th_hooks *th_hooks;

struct lvs_dest *th_pick(struct th_svc *t, const struct lvs_pkt *pkt);
struct lvs_dest *th_pick_any(struct th_svc *t);
void th_pkt4(struct lvs_pkt *pkt, u32 saddr, u16 sport, u32 daddr);

int th_dest_id(const struct lvs_dest *d);
struct lvs_dest *th_nth(struct th_svc *t, unsigned int n);
unsigned int th_count(struct th_svc *t);

/* Small deterministic PRNG (xorshift64*). */
u64 th_rand(void);
void th_srand(u64 seed);
static inline u32 th_rand_below(u32 n)
{
	return (u32)(th_rand() % n);
}

#endif /* _TEST_SCHED_HARNESS_H */
