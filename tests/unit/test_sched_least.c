// SPDX-License-Identifier: GPL-2.0
/*
 * test_sched_least.c - lc, wlc, sed, nq, fo and ovf pick what IPVS's
 * linear rules pick, ties included.
 *
 * lc, wlc, sed and nq keep a heap updated through load_changed; the
 * references below walk svc->destinations as IPVS does (ipvs.md §2).
 * Counters are kept small so that equal loads, hence ties, are common.
 *
 * The per-connection path (schedule, load_changed) must never wait for
 * svc->sched_lock: some picks and load changes below run with the lock
 * held, as if another CPU were at the heap (the compat spinlock aborts
 * on a second acquisition), and must still give IPVS's answer.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_sched_harness.h"

typedef struct lvs_dest *(*ref_fn)(struct lvs_service *svc);

static bool ovl(const struct lvs_dest *d)
{
	return d->flags & LVS_DEST_F_OVERLOAD;
}

static int wt(const struct lvs_dest *d)
{
	return atomic_read(&d->weight);
}

static int act(const struct lvs_dest *d)
{
	return atomic_read(&d->activeconns);
}

static struct lvs_dest *ref_lc(struct lvs_service *svc)
{
	struct lvs_dest *d, *least = NULL;
	unsigned int loh = 0, doh;

	list_for_each_entry(d, &svc->destinations, n_list) {
		if (ovl(d) || wt(d) == 0)
			continue;
		doh = lvs_dest_conn_overhead(d);
		if (!least || doh < loh) {
			least = d;
			loh = doh;
		}
	}
	return least;
}

/* wlc and sed: IPVS's two-stage walk with the given overhead. */
static struct lvs_dest *ref_weighted(struct lvs_service *svc, bool sed)
{
	struct lvs_dest *d, *least = NULL;
	s64 loh = 0, doh;

	list_for_each_entry(d, &svc->destinations, n_list) {
		if (ovl(d))
			continue;
		doh = sed ? (s64)act(d) + 1 : (s64)lvs_dest_conn_overhead(d);
		if (!least) {
			if (wt(d) > 0) {
				least = d;
				loh = doh;
			}
			continue;
		}
		if (loh * wt(d) > doh * wt(least)) {
			least = d;
			loh = doh;
		}
	}
	return least;
}

static struct lvs_dest *ref_wlc(struct lvs_service *svc)
{
	return ref_weighted(svc, false);
}

static struct lvs_dest *ref_sed(struct lvs_service *svc)
{
	return ref_weighted(svc, true);
}

static struct lvs_dest *ref_nq(struct lvs_service *svc)
{
	struct lvs_dest *d, *least = NULL;
	s64 loh = 0, doh;

	list_for_each_entry(d, &svc->destinations, n_list) {
		if (ovl(d) || !wt(d))
			continue;
		doh = act(d) + 1;
		if (act(d) == 0)
			return d;
		if (!least || loh * wt(d) > doh * wt(least)) {
			least = d;
			loh = doh;
		}
	}
	return least;
}

static struct lvs_dest *ref_fo(struct lvs_service *svc)
{
	struct lvs_dest *d, *best = NULL;
	int hw = 0;

	list_for_each_entry(d, &svc->destinations, n_list) {
		if (!ovl(d) && wt(d) > hw) {
			best = d;
			hw = wt(d);
		}
	}
	return best;
}

static struct lvs_dest *ref_ovf(struct lvs_service *svc)
{
	struct lvs_dest *d, *best = NULL;
	int hw = 0;

	list_for_each_entry(d, &svc->destinations, n_list) {
		if (ovl(d) || act(d) > wt(d) || wt(d) == 0)
			continue;
		if (!best || wt(d) > hw) {
			best = d;
			hw = wt(d);
		}
	}
	return best;
}

/* Another usable dest with the very same counters and weight? */
static bool has_twin(struct lvs_service *svc, const struct lvs_dest *want)
{
	const struct lvs_dest *e;

	list_for_each_entry(e, &svc->destinations, n_list)
		if (e != want && !ovl(e) && wt(e) == wt(want) &&
		    act(e) == act(want) &&
		    atomic_read(&e->inactconns) ==
		    atomic_read(&want->inactconns))
			return true;
	return false;
}

static void run(const char *name, ref_fn ref, int scenarios, bool silent)
{
	unsigned int n, picks = 0, nulls = 0, ties = 0;
	struct lvs_dest *got, *want, *d;
	int s, step, op, next_id, wmax;
	bool busy;
	struct th_svc t;

	for (s = 0; s < scenarios; s++) {
		th_srand(0x1ea57000u + (u64)s * 104729);
		wmax = s % 2 ? 4 : 100;
		wmax = s % 5 == 4 ? 1 : wmax;
		assert_int_equal(th_svc_init(&t, name, 0), 0);
		next_id = 0;
		/*
		 * Sizes on both sides of LVS_LL_LINEAR_MAX (32): below it
		 * lvs_lload.h walks the list, above it uses its heap, and
		 * the middle band crosses over as dests come and go.
		 */
		n = s % 3 == 0 ? 1 + th_rand_below(12) :
		    s % 3 == 1 ? 40 + th_rand_below(30) :
				 26 + th_rand_below(12);
		for (; n; n--)
			th_add(&t, ++next_id, (int)th_rand_below(wmax + 1));

		for (step = 0; step < 1500; step++) {
			op = (int)th_rand_below(100);
			n = th_count(&t);
			if (!n) {
				th_add(&t, ++next_id, (int)th_rand_below(wmax + 1));
				continue;
			}
			d = th_nth(&t, th_rand_below(n));
			busy = th_rand_below(4) == 0;
			if (op < 40) {
				want = ref(&t.svc);
				if (busy)
					spin_lock_bh(&t.svc.sched_lock);
				got = th_pick_any(&t);
				if (busy)
					spin_unlock_bh(&t.svc.sched_lock);
				if (got != want)
					fail_msg("%s scenario %d step %d: got %d want %d",
						 name, s, step, th_dest_id(got),
						 th_dest_id(want));
				picks++;
				nulls += !got;
				ties += want && has_twin(&t.svc, want);
				/* The conn the core would now create. */
				if (got)
					th_conns(&t, got, 0, 1);
			} else if (op < 70) {
				int da = act(d) && th_rand_below(2) ? -1 : 1;
				int di = atomic_read(&d->inactconns) &&
					 th_rand_below(2) ? -1 : 0;

				if (busy)
					spin_lock_bh(&t.svc.sched_lock);
				th_conns(&t, d, th_rand_below(3) ? da : 0, di);
				if (busy)
					spin_unlock_bh(&t.svc.sched_lock);
			} else if (op < 78) {
				th_set_overload(&t, d, !ovl(d));
			} else if (op < 81 && silent) {
				/* Overloaded behind the scheduler's back. */
				d->flags |= LVS_DEST_F_OVERLOAD;
			} else if (op < 88) {
				th_set_weight(&t, d, (int)th_rand_below(wmax + 1));
			} else if (op < 94) {
				th_add(&t, ++next_id, (int)th_rand_below(wmax + 1));
			} else {
				th_del(&t, d);
			}
		}
		th_svc_done(&t);
	}
	assert_true(picks > (unsigned int)scenarios * 400);
	assert_true(nulls > 0);
	assert_true(ties > 100);
}

static void test_lc(void **state)
{
	run("lc", ref_lc, 150, true);
}

static void test_wlc(void **state)
{
	run("wlc", ref_wlc, 150, true);
}

static void test_sed(void **state)
{
	run("sed", ref_sed, 150, true);
}

static void test_nq(void **state)
{
	run("nq", ref_nq, 150, true);
}

static void test_fo(void **state)
{
	run("fo", ref_fo, 60, true);
}

static void test_ovf(void **state)
{
	run("ovf", ref_ovf, 60, true);
}

/* wlc across weights: 2 active on weight 2 beats 1 active on weight 1? */
static void test_wlc_weights(void **state)
{
	struct lvs_dest *a, *b;
	struct th_svc t;

	assert_int_equal(th_svc_init(&t, "wlc", 0), 0);
	a = th_add(&t, 1, 1);
	b = th_add(&t, 2, 3);	/* list order: b, a */
	th_conns(&t, a, 1, 0);	/* a: 256 / 1 */
	th_conns(&t, b, 3, 0);	/* b: 768 / 3: equal, b first in list */
	assert_ptr_equal(th_pick_any(&t), b);
	th_conns(&t, b, 0, 1);	/* b: 769 / 3 > 256 / 1 */
	assert_ptr_equal(th_pick_any(&t), a);
	th_set_weight(&t, a, 0);
	assert_ptr_equal(th_pick_any(&t), b);
	th_set_overload(&t, b, true);
	assert_null(th_pick_any(&t));
	th_svc_done(&t);
}

/* nq sends to the first idle dest in list order, whatever its weight. */
static void test_nq_idle(void **state)
{
	struct lvs_dest *a, *b, *c;
	struct th_svc t;

	assert_int_equal(th_svc_init(&t, "nq", 0), 0);
	a = th_add(&t, 1, 100);
	b = th_add(&t, 2, 1);
	c = th_add(&t, 3, 50);	/* list order: c, b, a */
	th_conns(&t, c, 1, 0);
	assert_ptr_equal(th_pick_any(&t), b);
	th_conns(&t, b, 1, 0);
	assert_ptr_equal(th_pick_any(&t), a);
	th_conns(&t, a, 1, 0);	/* none idle: (1+1)/100 least */
	assert_ptr_equal(th_pick_any(&t), a);
	th_svc_done(&t);
}

/* Out of memory while adding: the add fails, nothing else breaks. */
static void test_alloc_failure(void **state)
{
	static const char *const names[] = { "lc", "wlc", "sed", "nq",
					     "rr", "wrr", "mh" };
	unsigned int i, k;
	struct th_svc t;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		for (k = 1; k < 4; k++) {
			assert_int_equal(th_svc_init(&t, names[i], 0), 0);
			assert_non_null(th_add(&t, 1, 1));
			assert_non_null(th_add(&t, 2, 1));
			lvs_compat_alloc_fail = k;
			th_add(&t, 3, 1);
			th_add(&t, 4, 1);
			lvs_compat_alloc_fail = 0;
			assert_non_null(th_pick_any(&t));
			assert_non_null(th_add(&t, 5, 1));
			assert_non_null(th_pick_any(&t));
			th_svc_done(&t);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wlc_weights),
		cmocka_unit_test(test_nq_idle),
		cmocka_unit_test(test_lc),
		cmocka_unit_test(test_wlc),
		cmocka_unit_test(test_sed),
		cmocka_unit_test(test_nq),
		cmocka_unit_test(test_fo),
		cmocka_unit_test(test_ovf),
		cmocka_unit_test(test_alloc_failure),
	};

	return cmocka_run_group_tests_name("sched_least", tests, NULL, NULL);
}
