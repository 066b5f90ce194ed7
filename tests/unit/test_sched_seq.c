// SPDX-License-Identifier: GPL-2.0
/*
 * test_sched_seq.c - rr and wrr give exactly IPVS's sequence.
 *
 * The reference models below are written from IPVS's rule (ipvs.md §2,
 * and the walk of ip_vs_rr.c / ip_vs_wrr.c): they walk svc->destinations
 * on every pick, as IPVS does, and keep IPVS's state (a list cursor; for
 * wrr also cw, mw, di).  The schedulers under test keep other structures;
 * every pick must name the same dest, through adds, deletes, weight
 * changes and overloads, for thousands of random scenarios.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_sched_harness.h"

/* ---- reference: IPVS's rr and wrr walks ---- */

struct ref {
	struct list_head	*cl;	/* cursor; &svc->destinations = head */
	int			cw, mw, di;
	bool			wrr;
};

static struct ref ref;

static bool ref_usable(const struct lvs_dest *d)
{
	return !(d->flags & LVS_DEST_F_OVERLOAD) &&
	       atomic_read(&d->weight) > 0;
}

static void ref_wrr_changed(struct lvs_service *svc, bool init)
{
	struct lvs_dest *d;
	int g = 0, maxw = 0, w;

	list_for_each_entry(d, &svc->destinations, n_list) {
		w = atomic_read(&d->weight);
		if (w > 0)
			g = g ? (int)gcd(w, g) : w;
		if (w > maxw)
			maxw = w;
	}
	ref.cl = &svc->destinations;
	ref.di = g ? g : 1;
	ref.mw = maxw - (ref.di - 1);
	if (init || ref.cw > ref.mw || !ref.cw)
		ref.cw = ref.mw;
	else if (ref.di > 1)
		ref.cw = (ref.cw / ref.di) * ref.di + 1;
}

static struct lvs_dest *ref_rr_pick(struct lvs_service *svc)
{
	struct list_head *head = &svc->destinations, *p = ref.cl;
	struct lvs_dest *d;

	/* Each dest once, starting after the cursor, the cursor's last. */
	do {
		p = p->next;
		if (p == head)
			continue;
		d = list_entry(p, struct lvs_dest, n_list);
		if (ref_usable(d)) {
			ref.cl = p;
			return d;
		}
	} while (p != ref.cl && !(ref.cl == head && p->next == head));
	return NULL;
}

static struct lvs_dest *ref_wrr_pick(struct lvs_service *svc)
{
	struct list_head *head = &svc->destinations, *p, *last, *stop = NULL;
	bool last_pass = false, restarted = false;
	struct lvs_dest *d;

	if (ref.mw == 0)
		return NULL;
	p = last = ref.cl;
	for (;;) {
		for (p = p->next; p != head; p = p->next) {
			d = list_entry(p, struct lvs_dest, n_list);
			if (!(d->flags & LVS_DEST_F_OVERLOAD) &&
			    atomic_read(&d->weight) >= ref.cw) {
				ref.cl = p;
				return d;
			}
			if (p == stop) {
				ref.cl = p;
				return NULL;
			}
		}
		ref.cw -= ref.di;
		if (ref.cw <= 0) {
			ref.cw = ref.mw;
			if (last_pass || last == head) {
				ref.cl = head;
				return NULL;
			}
			restarted = true;
		}
		last_pass = ref.cw <= ref.di;
		if (last_pass && restarted && last != head)
			stop = last;
	}
}

static void ref_added(struct th_svc *t, struct lvs_dest *d)
{
	if (ref.wrr)
		ref_wrr_changed(&t->svc, false);
}

static void ref_deleted(struct th_svc *t, struct lvs_dest *d)
{
	if (ref.wrr)
		ref_wrr_changed(&t->svc, false);
	else if (ref.cl == &d->n_list)
		ref.cl = d->n_list.next->prev;
}

static const struct th_hooks ref_hooks = {
	.added		= ref_added,
	.deleted	= ref_deleted,
	.updated	= ref_added,
};

static void ref_init(struct th_svc *t, bool wrr)
{
	memset(&ref, 0, sizeof(ref));
	ref.wrr = wrr;
	ref.cl = &t->svc.destinations;
	if (wrr)
		ref_wrr_changed(&t->svc, true);
	th_hooks = &ref_hooks;
}

/* ---- fixed sequences, worked out by hand from the rule ---- */

static void pick_ids(struct th_svc *t, int *ids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		ids[i] = th_dest_id(th_pick_any(t));
}

static void test_wrr_known(void **state)
{
	/*
	 * List order A(1):4, B(2):3, C(3):2, rounds cw = 4, 3, 2, 1.  The
	 * adds carry cw over: C alone has di 2 and mw 1, so cw becomes 1;
	 * B and A keep it, so the sequence enters at round 1.
	 */
	static const int want[] = { 1, 2, 3,
				    1, 1, 2, 1, 2, 3, 1, 2, 3,
				    1, 1, 2, 1, 2, 3 };
	struct th_svc t;
	int got[ARRAY_SIZE(want)];

	assert_int_equal(th_svc_init(&t, "wrr", 0), 0);
	th_add(&t, 3, 2);
	th_add(&t, 2, 3);
	th_add(&t, 1, 4);
	pick_ids(&t, got, ARRAY_SIZE(want));
	assert_memory_equal(got, want, sizeof(want));
	th_svc_done(&t);
}

static void test_wrr_gcd(void **state)
{
	/*
	 * List order A(1):6, B(2):3: di 3, mw 4, rounds cw = 4 (A) and
	 * 1 (A B).  Adding B sets cw to 1; adding A keeps (1 / 3) * 3 + 1.
	 */
	static const int want[] = { 1, 2, 1, 1, 2, 1, 1, 2 };
	struct th_svc t;
	int got[ARRAY_SIZE(want)];

	assert_int_equal(th_svc_init(&t, "wrr", 0), 0);
	th_add(&t, 2, 3);
	th_add(&t, 1, 6);
	pick_ids(&t, got, ARRAY_SIZE(want));
	assert_memory_equal(got, want, sizeof(want));
	th_svc_done(&t);
}

static void test_rr_known(void **state)
{
	/* Newest first: list order 3 2 1; weight 0 and overload skipped. */
	static const int want[] = { 3, 1, 3, 1 };
	struct th_svc t;
	struct lvs_dest *d2;
	int got[ARRAY_SIZE(want)];

	assert_int_equal(th_svc_init(&t, "rr", 0), 0);
	th_add(&t, 1, 1);
	d2 = th_add(&t, 2, 1);
	th_add(&t, 3, 1);
	assert_int_equal(th_dest_id(th_pick_any(&t)), 3);
	assert_int_equal(th_dest_id(th_pick_any(&t)), 2);
	assert_int_equal(th_dest_id(th_pick_any(&t)), 1);
	th_set_weight(&t, d2, 0);
	pick_ids(&t, got, ARRAY_SIZE(want));
	assert_memory_equal(got, want, sizeof(want));
	th_set_weight(&t, d2, 1);
	th_set_overload(&t, th_nth(&t, 0), true);
	assert_int_equal(th_dest_id(th_pick_any(&t)), 2);
	assert_int_equal(th_dest_id(th_pick_any(&t)), 1);
	assert_int_equal(th_dest_id(th_pick_any(&t)), 2);
	th_svc_done(&t);
}

static void test_empty(void **state)
{
	struct th_svc t;
	struct lvs_dest *d;

	assert_int_equal(th_svc_init(&t, "wrr", 0), 0);
	assert_null(th_pick_any(&t));
	d = th_add(&t, 1, 0);
	assert_null(th_pick_any(&t));
	th_set_weight(&t, d, 2);
	assert_int_equal(th_dest_id(th_pick_any(&t)), 1);
	th_svc_done(&t);

	assert_int_equal(th_svc_init(&t, "rr", 0), 0);
	assert_null(th_pick_any(&t));
	d = th_add(&t, 1, 1);
	th_set_overload(&t, d, true);
	assert_null(th_pick_any(&t));
	th_svc_done(&t);
}

/* ---- random scenarios against the reference ---- */

static int rand_weight(int mode)
{
	switch (mode) {
	case 0:
		return (int)th_rand_below(5);		/* 0..4 */
	case 1:
		return 3 * (int)th_rand_below(5);	/* gcd 3 */
	case 2:
		return th_rand_below(8) ? 4 * (1 + (int)th_rand_below(6)) : 0;
	default:
		return (int)th_rand_below(60);
	}
}

static void run_scenarios(const char *name, bool wrr, int scenarios)
{
	unsigned int n, picks = 0, nulls = 0;
	struct lvs_dest *got, *want, *d;
	int s, step, op, mode, next_id;
	struct th_svc t;

	for (s = 0; s < scenarios; s++) {
		th_srand(0x5eed0000u + (u64)s * 7919 + wrr);
		mode = s % 4;
		assert_int_equal(th_svc_init(&t, name, 0), 0);
		next_id = 0;
		/* Some dests exist before the scheduler binds (edit -s). */
		th_hooks = NULL;
		for (n = th_rand_below(4); n; n--)
			th_add(&t, ++next_id, rand_weight(mode));
		th_svc_done(&t);
		assert_int_equal(th_svc_init(&t, name, 0), 0);
		ref_init(&t, wrr);
		for (n = th_rand_below(10); n; n--)
			th_add(&t, ++next_id, rand_weight(mode));

		for (step = 0; step < 1500; step++) {
			op = (int)th_rand_below(100);
			n = th_count(&t);
			if (op < 72 || !n) {
				if (op >= 72 && th_rand_below(2))
					goto add;
				want = wrr ? ref_wrr_pick(&t.svc) :
					     ref_rr_pick(&t.svc);
				got = th_pick_any(&t);
				if (got != want)
					fail_msg("%s scenario %d step %d: got %d want %d",
						 name, s, step, th_dest_id(got),
						 th_dest_id(want));
				picks++;
				nulls += !got;
			} else if (op < 79) {
add:
				th_add(&t, ++next_id, rand_weight(mode));
			} else if (op < 85) {
				th_del(&t, th_nth(&t, th_rand_below(n)));
			} else if (op < 92) {
				th_set_weight(&t, th_nth(&t, th_rand_below(n)),
					      rand_weight(mode));
			} else {
				d = th_nth(&t, th_rand_below(n));
				th_set_overload(&t, d, !(d->flags &
						 LVS_DEST_F_OVERLOAD));
			}
		}
		th_hooks = NULL;
		th_svc_done(&t);
	}
	/* The scenarios must exercise both outcomes. */
	assert_true(picks > 100000);
	assert_true(nulls > 0 && nulls < picks / 4);
}

static void test_rr_matches_ipvs(void **state)
{
	run_scenarios("rr", false, 400);
}

static void test_wrr_matches_ipvs(void **state)
{
	run_scenarios("wrr", true, 400);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wrr_known),
		cmocka_unit_test(test_wrr_gcd),
		cmocka_unit_test(test_rr_known),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_rr_matches_ipvs),
		cmocka_unit_test(test_wrr_matches_ipvs),
	};

	return cmocka_run_group_tests_name("sched_seq", tests, NULL, NULL);
}
