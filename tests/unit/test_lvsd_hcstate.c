// SPDX-License-Identifier: GPL-2.0
/*
 * test_lvsd_hcstate.c - the check state machine: keepalived's retry
 * semantics by default, rise/fall when set, alpha, quorum with hysteresis,
 * and where a real server stands (inhibit, drain, disable, sorry server).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hcstate.h"

#define S 1000000LL

/* keepalived: retry 2 -> DOWN on the third consecutive failure. */
static void test_keepalived_default(void **state)
{
	struct hc_params p = { .rise = 1, .fall = 2 + 1, .delay = 6 * S,
			       .dbr = 1 * S };
	struct hc h;
	int64_t next;

	hc_init(&h, &p);
	assert_int_equal(h.state, HC_UP);
	assert_false(hc_result(&h, true, &next));
	assert_int_equal(next, 6 * S);
	assert_false(hc_result(&h, false, &next));
	assert_int_equal(next, 1 * S);		/* retry soon */
	assert_false(hc_result(&h, false, &next));
	assert_int_equal(next, 1 * S);
	assert_true(hc_result(&h, false, &next));
	assert_int_equal(h.state, HC_DOWN);
	assert_int_equal(next, 6 * S);		/* down: back to delay_loop */
	assert_false(hc_result(&h, false, &next));
	assert_int_equal(next, 6 * S);
	/* One success brings it back. */
	assert_true(hc_result(&h, true, &next));
	assert_int_equal(h.state, HC_UP);
	assert_int_equal(h.n_ok, 2);
	assert_int_equal(h.n_fail, 4);
}

static void test_success_resets_failures(void **state)
{
	struct hc_params p = { .rise = 1, .fall = 2, .delay = 5 * S,
			       .dbr = S };
	struct hc h;
	int64_t next;

	hc_init(&h, &p);
	for (int i = 0; i < 10; i++) {
		assert_false(hc_result(&h, false, &next));
		assert_false(hc_result(&h, true, &next));
	}
	assert_int_equal(h.state, HC_UP);
}

static void test_rise_fall(void **state)
{
	struct hc_params p = { .rise = 3, .fall = 2, .delay = 2 * S,
			       .dbr = S / 2 };
	struct hc h;
	int64_t next;

	hc_init(&h, &p);
	assert_false(hc_result(&h, false, &next));
	assert_true(hc_result(&h, false, &next));
	assert_int_equal(h.state, HC_DOWN);
	assert_false(hc_result(&h, true, &next));
	assert_false(hc_result(&h, true, &next));
	assert_false(hc_result(&h, false, &next));	/* broken streak */
	assert_false(hc_result(&h, true, &next));
	assert_false(hc_result(&h, true, &next));
	assert_true(hc_result(&h, true, &next));
	assert_int_equal(h.state, HC_UP);
	assert_int_equal(next, 2 * S);
}

static void test_alpha(void **state)
{
	struct hc_params p = { .rise = 1, .fall = 1, .delay = S, .dbr = S,
			       .alpha = true };
	struct hc h;
	int64_t next;

	hc_init(&h, &p);
	assert_int_equal(h.state, HC_DOWN);
	assert_false(hc_result(&h, false, &next));
	assert_true(hc_result(&h, true, &next));
	/* fall 1 (MISC_CHECK's retry 0): one failure takes it down. */
	assert_true(hc_result(&h, false, &next));
	assert_int_equal(h.state, HC_DOWN);
}

static void test_set_params_keeps_state(void **state)
{
	struct hc_params p = { .rise = 1, .fall = 1, .delay = S, .dbr = S };
	struct hc h;
	int64_t next;

	hc_init(&h, &p);
	hc_result(&h, false, &next);
	p.delay = 3 * S;
	hc_set_params(&h, &p);
	assert_int_equal(h.state, HC_DOWN);
	hc_result(&h, false, &next);
	assert_int_equal(next, 3 * S);
}

static void test_quorum(void **state)
{
	struct quorum q;

	quorum_init(&q);
	assert_true(q.up);
	/* quorum 4, hysteresis 1: lost below 3, regained at 5. */
	assert_false(quorum_update(&q, 4, 4, 1));
	assert_false(quorum_update(&q, 3, 4, 1));
	assert_true(quorum_update(&q, 2, 4, 1));
	assert_false(q.up);
	assert_false(quorum_update(&q, 4, 4, 1));
	assert_true(quorum_update(&q, 5, 4, 1));
	assert_true(q.up);
	/* No hysteresis: keepalived's plain threshold. */
	quorum_init(&q);
	assert_true(quorum_update(&q, 0, 1, 0));
	assert_true(quorum_update(&q, 1, 1, 0));
	/* Hysteresis above the quorum never underflows... */
	quorum_init(&q);
	assert_false(quorum_update(&q, 1, 1, 5));
	assert_true(q.up);
	/* ...but an empty pool loses the quorum whatever the hysteresis
	 * (keepalived: a weight sum of 0 is always a loss). */
	assert_true(quorum_update(&q, 0, 1, 5));
	assert_false(q.up);
	assert_false(quorum_update(&q, 5, 1, 5));
	assert_true(quorum_update(&q, 6, 1, 5));
	/* quorum 1, hysteresis 1: the case. */
	quorum_init(&q);
	assert_true(quorum_update(&q, 0, 1, 1));
	assert_false(q.up);
	assert_false(quorum_update(&q, 1, 1, 1));
	assert_true(quorum_update(&q, 2, 1, 1));
	/* hysteresis == quorum, weight left: inside the band, kept. */
	quorum_init(&q);
	assert_false(quorum_update(&q, 1, 3, 3));
	assert_true(q.up);
}

static void test_quorum_stop(void **state)
{
	struct quorum q;

	(void)state;
	/* Stopping takes the quorum down whatever the weight, once. */
	quorum_init(&q);
	assert_true(quorum_stop(&q));
	assert_false(q.up);
	assert_false(quorum_stop(&q));
}

static void test_rs_target(void **state)
{
	struct rs_view v = { .healthy = true, .admin = RS_ENABLED,
			     .weight = 3 };
	uint32_t w = 99;

	assert_true(rs_target(&v, &w));
	assert_int_equal(w, 3);
	assert_true(rs_counts(&v));
	v.healthy = false;
	assert_false(rs_target(&v, &w));		/* deleted */
	assert_false(rs_counts(&v));
	v.inhibit = true;
	assert_true(rs_target(&v, &w));		/* inhibit_on_failure */
	assert_int_equal(w, 0);
	v.healthy = true;
	v.sorry_active = true;
	assert_true(rs_target(&v, &w));
	assert_int_equal(w, 0);
	v.inhibit = false;
	assert_false(rs_target(&v, &w));		/* sorry server instead */
	v.sorry_active = false;
	v.admin = RS_DRAINING;
	w = 5;
	assert_true(rs_target(&v, &w));
	assert_int_equal(w, 0);
	assert_false(rs_counts(&v));
	v.drained = true;
	assert_false(rs_target(&v, &w));
	v.admin = RS_DISABLED;
	assert_false(rs_target(&v, &w));
	v.inhibit = true;
	assert_true(rs_target(&v, &w));
	assert_int_equal(w, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keepalived_default),
		cmocka_unit_test(test_success_resets_failures),
		cmocka_unit_test(test_rise_fall),
		cmocka_unit_test(test_alpha),
		cmocka_unit_test(test_set_params_keeps_state),
		cmocka_unit_test(test_quorum),
		cmocka_unit_test(test_quorum_stop),
		cmocka_unit_test(test_rs_target),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
