// SPDX-License-Identifier: GPL-2.0
/*
 * test_sched_dist.c - over a million picks each scheduler spreads new
 * connections as its rule says, never to a quiesced (weight 0) or an
 * overloaded dest, while dests come and go.
 *
 * Three phases of a run: dests A..D with weights 1..4 plus Z (weight 0)
 * and O (weight 5, overloaded); then E (weight 2) is added; then B is
 * removed.  Each phase's shares are measured after a warm-up and compared
 * with the rule's expectation, within the tolerance stated per scheduler.
 * Connection-counting schedulers see real load: every pick opens an
 * active connection that closes 1000 picks later.  lblc and lblcr get a
 * new destination address at every pick, so their wlc rule decides; their
 * locality is tested in test_sched_lblc.c.  ovf is no weighted share but
 * an overflow order, checked by hand below.
 */
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "test_sched_harness.h"

#define LIFETIME	1000
#define MAXD		8

enum expect {
	EQUAL,		/* same share for every usable dest */
	WEIGHTED,	/* share = weight / total weight */
	TABLE,		/* share = the dest's buckets in a 256 table */
	TOP,		/* everything to the heaviest usable dest */
};

struct dist_case {
	const char	*name;
	enum expect	expect;
	double		tol;	/* absolute, on shares in [0, 1] */
	bool		conns;	/* simulate connection load */
	bool		sh;	/* TABLE: sh fill (by weight), else dh */
};

/* Tolerances: about 3 to 6 times the largest deviation measured. */
static const struct dist_case cases[] = {
	{ "rr",  EQUAL,    0.001, false, false },	/* exact per cycle */
	{ "wrr", WEIGHTED, 0.001, false, false },	/* exact per cycle */
	{ "lc",  EQUAL,    0.005, true,  false },	/* measured 0.08% */
	{ "wlc", WEIGHTED, 0.005, true,  false },	/* 0.09% */
	{ "sed", WEIGHTED, 0.005, true,  false },	/* 0.06% */
	{ "nq",  WEIGHTED, 0.005, true,  false },	/* 0.06% */
	{ "sh",  TABLE,    0.006, false, true },	/* 0.21% */
	{ "dh",  TABLE,    0.006, false, false },	/* 0.16% */
	{ "mh",  WEIGHTED, 0.010, false, false },	/* 0.25% */
	{ "fo",  TOP,      0.0,   false, false },
	/* Every pick has a new destination address: wlc decides. */
	{ "lblc",  WEIGHTED, 0.005, true, false },
	{ "lblcr", WEIGHTED, 0.005, true, false },
};

struct run {
	struct th_svc		t;
	struct lvs_dest		*ring[LIFETIME];
	unsigned int		head;
	unsigned long		hits[MAXD + 1];	/* by id; [0]: refused */
};

static bool usable(const struct lvs_dest *d)
{
	return atomic_read(&d->weight) > 0 &&
	       !(d->flags & LVS_DEST_F_OVERLOAD);
}

/* Buckets per dest id of a 256 table filled by the sh or dh rule. */
static void table_counts(struct lvs_service *svc, bool sh, double *cnt)
{
	struct list_head *p = &svc->destinations;
	struct lvs_dest *d;
	int i, count = 0;

	for (i = 0; i < 256; i++) {
		if (p == &svc->destinations)
			p = p->next;
		d = list_entry(p, struct lvs_dest, n_list);
		cnt[th_dest_id(d)] += 1;
		if (!sh || ++count >= atomic_read(&d->weight)) {
			count = 0;
			p = p->next;
		}
	}
}

static void expected(const struct dist_case *c, struct th_svc *t, double *exp)
{
	double total = 0, top = 0;
	struct lvs_dest *d;
	int id;

	memset(exp, 0, sizeof(double) * (MAXD + 1));
	if (c->expect == TABLE)
		table_counts(&t->svc, c->sh, exp);
	list_for_each_entry(d, &t->svc.destinations, n_list) {
		id = th_dest_id(d);
		if (!usable(d)) {
			exp[id] = 0;
			continue;
		}
		if (c->expect == EQUAL)
			exp[id] = 1;
		else if (c->expect == WEIGHTED)
			exp[id] = atomic_read(&d->weight);
		else if (c->expect == TOP && atomic_read(&d->weight) > top)
			top = atomic_read(&d->weight);
	}
	if (c->expect == TOP)
		list_for_each_entry(d, &t->svc.destinations, n_list)
			exp[th_dest_id(d)] = usable(d) &&
				atomic_read(&d->weight) == top;
	for (id = 1; id <= MAXD; id++)
		total += exp[id];
	for (id = 1; id <= MAXD; id++)
		exp[id] /= total;
}

static void pick_n(const struct dist_case *c, struct run *r, unsigned long n,
		   bool count)
{
	struct lvs_dest *d, *old;
	struct lvs_pkt pkt;
	unsigned long i;

	for (i = 0; i < n; i++) {
		/* Random client and destination (dh hashes the latter). */
		th_pkt4(&pkt, (u32)th_rand(), (u16)th_rand(), (u32)th_rand());
		d = th_pick(&r->t, &pkt);
		if (count)
			r->hits[d ? th_dest_id(d) : 0]++;
		if (d) {
			assert_true(usable(d));
		}
		if (!c->conns || !d)
			continue;
		old = r->ring[r->head];
		if (old)
			th_conns(&r->t, old, -1, 0);
		th_conns(&r->t, d, 1, 0);
		r->ring[r->head] = d;
		r->head = (r->head + 1) % LIFETIME;
	}
}

static void remove_dest(struct run *r, struct lvs_dest *d)
{
	unsigned int i;

	for (i = 0; i < LIFETIME; i++)
		if (r->ring[i] == d)
			r->ring[i] = NULL;
	th_del(&r->t, d);
}

static void check_phase(const struct dist_case *c, struct run *r,
			unsigned long n, const char *phase)
{
	double exp[MAXD + 1], got, served = 0;
	int id;

	memset(r->hits, 0, sizeof(r->hits));
	pick_n(c, r, n / 10, false);		/* warm-up */
	expected(c, &r->t, exp);
	pick_n(c, r, n - n / 10, true);
	for (id = 1; id <= MAXD; id++)
		served += r->hits[id];
	assert_true(served > 0);
	for (id = 1; id <= MAXD; id++) {
		got = r->hits[id] / served;
		if (fabs(got - exp[id]) > c->tol + 1e-9)
			fail_msg("%s %s: dest %d got %.4f want %.4f (+-%.3f)",
				 c->name, phase, id, got, exp[id], c->tol);
	}
}

static void run_case(const struct dist_case *c)
{
	static struct run r;
	struct lvs_dest *b = NULL, *o;
	unsigned int i;

	memset(&r, 0, sizeof(r));
	th_srand(0xd157 + (u64)(c - cases));
	assert_int_equal(th_svc_init(&r.t, c->name, 0), 0);
	th_add(&r.t, 6, 0);			/* Z: quiesced */
	o = th_add(&r.t, 7, 5);			/* O: overloaded */
	th_set_overload(&r.t, o, true);
	for (i = 4; i >= 1; i--) {
		struct lvs_dest *d = th_add(&r.t, (int)i, (int)i);

		if (i == 2)
			b = d;
	}
	check_phase(c, &r, 300000, "start");
	th_add(&r.t, 5, 2);
	check_phase(c, &r, 300000, "after add");
	remove_dest(&r, b);
	check_phase(c, &r, 400000, "after delete");
	assert_int_equal(r.hits[2], 0);
	assert_int_equal(r.hits[6], 0);
	assert_int_equal(r.hits[7], 0);
	th_svc_done(&r.t);
}

static void test_distribution(void **state)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(cases); i++)
		run_case(&cases[i]);
}

/* ovf: the heaviest dest until its active conns exceed its weight. */
static void test_ovf_overflow(void **state)
{
	struct lvs_dest *a, *b, *got;
	struct th_svc t;
	int i;

	assert_int_equal(th_svc_init(&t, "ovf", 0), 0);
	a = th_add(&t, 1, 2);
	b = th_add(&t, 2, 3);
	for (i = 0; i < 4; i++) {
		got = th_pick_any(&t);
		assert_ptr_equal(got, b);
		th_conns(&t, got, 1, 0);
	}
	/* b: 4 active > 3: overflow to a, until a has 3 > 2. */
	for (i = 0; i < 3; i++) {
		got = th_pick_any(&t);
		assert_ptr_equal(got, a);
		th_conns(&t, got, 1, 0);
	}
	assert_null(th_pick_any(&t));
	th_conns(&t, b, -1, 0);
	assert_ptr_equal(th_pick_any(&t), b);
	th_svc_done(&t);
}

/* Thresholds: the overload flag set from u_threshold is honoured. */
static void test_threshold(void **state)
{
	static const char *const names[] = { "rr", "wrr", "lc", "wlc",
					     "sed", "nq", "fo" };
	struct lvs_dest *a, *b, *got;
	unsigned int i, j;
	struct th_svc t;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		assert_int_equal(th_svc_init(&t, names[i], 0), 0);
		a = th_add(&t, 1, 1);
		b = th_add(&t, 2, 1);
		th_set_threshold(&t, a, 10);
		th_set_threshold(&t, b, 10);
		for (j = 0; j < 20; j++) {
			got = th_pick_any(&t);
			assert_non_null(got);
			th_conns(&t, got, 1, 0);
		}
		/* Both at 10: overloaded. */
		assert_null(th_pick_any(&t));
		/* Below 3/4 of the threshold the flag clears. */
		th_conns(&t, a, -3, 0);
		assert_ptr_equal(th_pick_any(&t), a);
		th_svc_done(&t);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distribution),
		cmocka_unit_test(test_ovf_overflow),
		cmocka_unit_test(test_threshold),
	};

	return cmocka_run_group_tests_name("sched_dist", tests, NULL, NULL);
}
