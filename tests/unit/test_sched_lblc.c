// SPDX-License-Identifier: GPL-2.0
/*
 * test_sched_lblc.c - lblc and lblcr: a destination address sticks to its
 * dest (lblcr: its set of dests) until that dest is quiesced, removed or
 * overloaded in lblc's sense, and unused entries expire with time.
 *
 * Time is lvs_jiffies (HZ = 1000), advanced by hand; the expiry checks
 * run from schedule() once a minute, a full expiry every 30th check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_sched_harness.h"

#define MINUTE	(60UL * HZ)
#define DAY	(24UL * 60 * MINUTE)

static struct lvs_dest *pick_to(struct th_svc *t, u32 daddr)
{
	struct lvs_pkt pkt;
	struct lvs_dest *d;

	th_pkt4(&pkt, 0x0b000001u, 1234, daddr);
	d = th_pick(t, &pkt);
	if (d)
		th_conns(t, d, 0, 1);	/* the conn the core opens */
	return d;
}

static void setup(struct th_svc *t, const char *name, struct lvs_dest **d,
		  int n)
{
	int i;

	assert_int_equal(th_svc_init(t, name, 0), 0);
	for (i = n - 1; i >= 0; i--)
		d[i] = th_add(t, i + 1, 4);
}

static void test_sticky(void **state)
{
	static const char *const names[] = { "lblc", "lblcr" };
	static struct lvs_dest *first[2000];
	unsigned int i, k, used[5];
	struct lvs_dest *d[4];
	struct th_svc t;

	for (k = 0; k < ARRAY_SIZE(names); k++) {
		setup(&t, names[k], d, 4);
		memset(used, 0, sizeof(used));
		for (i = 0; i < ARRAY_SIZE(first); i++) {
			first[i] = pick_to(&t, 0x0c000000u + i);
			assert_non_null(first[i]);
			used[th_dest_id(first[i])]++;
		}
		/* New addresses were spread by wlc over equal weights. */
		for (i = 1; i <= 4; i++)
			assert_true(used[i] >= 450 && used[i] <= 550);
		for (i = 0; i < ARRAY_SIZE(first); i++)
			assert_ptr_equal(pick_to(&t, 0x0c000000u + i), first[i]);
		th_svc_done(&t);
	}
}

/* Overloaded in lblc's sense: active > weight and some dest half idle. */
static void test_lblc_overload(void **state)
{
	struct lvs_dest *d[2];
	struct th_svc t;

	setup(&t, "lblc", d, 2);
	assert_ptr_equal(pick_to(&t, 1), d[0]);
	th_conns(&t, d[0], 5, 0);	/* 5 > 4, but d[1]: 0 * 2 < 4 */
	assert_ptr_equal(pick_to(&t, 1), d[1]);
	assert_ptr_equal(pick_to(&t, 1), d[1]);	/* the entry moved */
	th_conns(&t, d[1], 5, 0);	/* nobody half idle: no overload */
	th_conns(&t, d[0], 5, 0);
	assert_ptr_equal(pick_to(&t, 1), d[1]);
	/* Quiesced: the cached dest is not used. */
	th_set_weight(&t, d[1], 0);
	assert_ptr_equal(pick_to(&t, 1), d[0]);
	th_svc_done(&t);
}

static void test_lblcr_replicas(void **state)
{
	struct lvs_dest *d[3];
	struct th_svc t;

	setup(&t, "lblcr", d, 3);
	assert_ptr_equal(pick_to(&t, 1), d[0]);		/* set {0} */
	th_conns(&t, d[0], 5, 0);			/* overloaded */
	assert_ptr_equal(pick_to(&t, 1), d[1]);		/* set {1, 0} */
	/* Both in the set: the least loaded member serves. */
	th_conns(&t, d[0], -5, 0);
	th_conns(&t, d[1], 1, 0);
	assert_ptr_equal(pick_to(&t, 1), d[0]);
	/* d[2] is idle but not in the set: members keep serving. */
	assert_ptr_equal(pick_to(&t, 1), d[0]);
	/* After the expiration without change, the busiest member leaves. */
	lvs_jiffies += DAY + 1;
	th_conns(&t, d[1], 10, 0);
	assert_ptr_equal(pick_to(&t, 1), d[0]);	/* evicts d[1] */
	th_conns(&t, d[1], -11, 0);
	th_conns(&t, d[0], 1, 0);
	assert_ptr_equal(pick_to(&t, 1), d[0]);	/* only member left */
	th_svc_done(&t);
}

static void run_expiry(const char *name)
{
	struct lvs_dest *d[2];
	struct th_svc t;
	int i;

	setup(&t, name, d, 2);
	assert_ptr_equal(pick_to(&t, 1), d[0]);
	th_conns(&t, d[0], 0, 1000);	/* wlc would now pick d[1] */
	lvs_jiffies += MINUTE;
	assert_ptr_equal(pick_to(&t, 1), d[0]);	/* sticky */

	/*
	 * Unused for a day; the check above was the first, so 29 more a
	 * minute apart make the 30th, a full one: the entry is gone.
	 */
	lvs_jiffies += DAY;
	for (i = 0; i < 29; i++) {
		lvs_jiffies += MINUTE;
		pick_to(&t, 1000 + (u32)i);
	}
	assert_ptr_equal(pick_to(&t, 1), d[1]);
	th_svc_done(&t);

	/* Used within the expiration: stays through the full check. */
	setup(&t, name, d, 2);
	assert_ptr_equal(pick_to(&t, 1), d[0]);
	th_conns(&t, d[0], 0, 10);
	for (i = 0; i < 40; i++) {
		lvs_jiffies += 40 * MINUTE;
		assert_ptr_equal(pick_to(&t, 1), d[0]);
	}
	th_svc_done(&t);
}

static void test_expiry(void **state)
{
	run_expiry("lblc");
	run_expiry("lblcr");
}

/* A deleted dest leaves the tables at once. */
static void test_delete(void **state)
{
	static const char *const names[] = { "lblc", "lblcr" };
	struct lvs_dest *d[3], *got;
	unsigned int i, k;
	struct th_svc t;

	for (k = 0; k < ARRAY_SIZE(names); k++) {
		setup(&t, names[k], d, 3);
		for (i = 0; i < 300; i++)
			pick_to(&t, i);
		th_del(&t, d[1]);
		for (i = 0; i < 300; i++) {
			got = pick_to(&t, i);
			assert_true(got == d[0] || got == d[2]);
		}
		th_svc_done(&t);
	}
}

/* More addresses than the table takes: still served, memory bounded. */
static void test_table_limit(void **state)
{
	static const char *const names[] = { "lblc", "lblcr" };
	struct lvs_dest *d[2];
	unsigned int i, k;
	struct th_svc t;

	for (k = 0; k < ARRAY_SIZE(names); k++) {
		setup(&t, names[k], d, 2);
		for (i = 0; i < 30000; i++)
			assert_non_null(pick_to(&t, 0x0d000000u + i));
		/* Idle past 6 minutes: the next checks trim the table. */
		for (i = 0; i < 5; i++) {
			lvs_jiffies += 7 * MINUTE;
			assert_non_null(pick_to(&t, 0x0e000000u + i));
		}
		th_svc_done(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sticky),
		cmocka_unit_test(test_lblc_overload),
		cmocka_unit_test(test_lblcr_replicas),
		cmocka_unit_test(test_expiry),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_table_limit),
	};

	return cmocka_run_group_tests_name("sched_lblc", tests, NULL, NULL);
}
