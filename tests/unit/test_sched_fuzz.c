// SPDX-License-Identifier: GPL-2.0
/*
 * test_sched_fuzz.c - random operations on every scheduler, with the
 * invariants every pick must keep, under AddressSanitizer.
 *
 * Operations: add, delete, weight edits (0 included), overload on and
 * off, connection counts up and down, time passing, scheduler switches
 * on a service that has dests (done_service then init_service), and
 * allocation failures at random points.  Invariants: a pick is NULL or
 * a dest of the service with weight > 0, not overloaded (except lblc's
 * cached dest, which IPVS too checks only for its own overload rule);
 * nothing leaks or is used after free.  Bounded: 13 schedulers x 40
 * seeds x 2000 steps.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_sched_harness.h"

static bool in_service(struct th_svc *t, const struct lvs_dest *d)
{
	const struct lvs_dest *e;

	list_for_each_entry(e, &t->svc.destinations, n_list)
		if (e == d)
			return true;
	return false;
}

static void check_pick(struct th_svc *t, const char *name,
		       const struct lvs_dest *d)
{
	if (!d)
		return;
	if (!in_service(t, d))
		fail_msg("%s: picked a dest not in the service", name);
	if (atomic_read(&d->weight) <= 0)
		fail_msg("%s: picked dest %d with weight %d", name,
			 th_dest_id(d), atomic_read(&d->weight));
	if ((d->flags & LVS_DEST_F_OVERLOAD) && strcmp(name, "lblc"))
		fail_msg("%s: picked overloaded dest %d", name, th_dest_id(d));
}

static void fuzz_one(unsigned int sched, unsigned int seed)
{
	const char *name = th_sched_names[sched];
	struct lvs_dest *d;
	struct lvs_pkt pkt;
	unsigned int n, step, flags;
	struct th_svc t;
	int next_id = 0;

	th_srand(0xf022u * (sched + 1) + seed * 65537u);
	flags = (u32)th_rand() & (LVS_SVC_F_SCHED1 | LVS_SVC_F_SCHED2);
	assert_int_equal(th_svc_init(&t, name, flags), 0);
	for (step = 0; step < 2000; step++) {
		n = th_count(&t);
		d = n ? th_nth(&t, th_rand_below(n)) : NULL;
		switch (th_rand_below(20)) {
		case 0:
		case 1:
			if (n < 64)
				th_add(&t, ++next_id, (int)th_rand_below(8));
			break;
		case 2:
			if (d)
				th_del(&t, d);
			break;
		case 3:
			if (d)
				th_set_weight(&t, d, (int)th_rand_below(8));
			break;
		case 4:
			if (d)
				th_set_overload(&t, d, !(d->flags &
						 LVS_DEST_F_OVERLOAD));
			break;
		case 5:
		case 6:
			if (d)
				th_conns(&t, d, atomic_read(&d->activeconns) &&
					 th_rand_below(2) ? -1 : 1,
					 th_rand_below(2));
			break;
		case 7:
			lvs_jiffies += th_rand_below(600) * HZ;
			break;
		case 8:
			/* The next allocation or one soon after fails. */
			lvs_compat_alloc_fail = 1 + th_rand_below(4);
			if (th_rand_below(2))
				th_add(&t, ++next_id, 1);
			else if (d)
				th_set_weight(&t, d, 1 + (int)th_rand_below(7));
			lvs_compat_alloc_fail = 0;
			break;
		case 9:
			if (th_rand_below(10))
				break;
			/* Switch schedulers on a live service (edit -s). */
			if (t.ops->done_service)
				t.ops->done_service(&t.svc);
			t.svc.sched_data = NULL;
			t.ops = th_find_sched(th_sched_names[th_rand_below(
						th_nr_scheds)]);
			if (t.ops->init_service)
				assert_int_equal(t.ops->init_service(&t.svc), 0);
			name = t.ops->name;
			break;
		default:
			th_pkt4(&pkt, (u32)th_rand(), (u16)th_rand(),
				th_rand_below(64));
			d = th_pick(&t, &pkt);
			check_pick(&t, name, d);
			if (d)
				th_conns(&t, d, 0, 1);
		}
	}
	th_svc_done(&t);
}

static void test_fuzz(void **state)
{
	unsigned int s, seed;

	for (s = 0; s < th_nr_scheds; s++)
		for (seed = 0; seed < 40; seed++)
			fuzz_one(s, seed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzz),
	};

	return cmocka_run_group_tests_name("sched_fuzz", tests, NULL, NULL);
}
