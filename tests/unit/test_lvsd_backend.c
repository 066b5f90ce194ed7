// SPDX-License-Identifier: GPL-2.0
/*
 * test_lvsd_backend.c - the dry backend answers as the kernel does (EEXIST,
 * ENOENT), keeps what it is told through 10,000 adds, edits and deletes,
 * and the registry finds backends by name.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "backend.h"

static struct lvsc_service svc(uint16_t port)
{
	struct lvsc_service s = { .af = AF_INET, .protocol = IPPROTO_TCP,
				  .port = port, .sched = "wlc" };

	inet_pton(AF_INET, "10.0.0.1", &s.addr.in);
	return s;
}

static struct lvsc_dest dest(unsigned int i, uint32_t weight)
{
	struct lvsc_dest d = { .af = AF_INET, .port = 80, .weight = weight,
			       .fwd = LVS_FWD_MASQ };

	d.addr.in.s_addr = htonl(0x0a010000 + i);
	return d;
}

static void test_registry(void **state)
{
	assert_non_null(backend_find("dry"));
	assert_null(backend_find("nosuch"));
	assert_non_null(strstr(backend_names(), "dry"));
}

static void test_errors(void **state)
{
	const struct backend_ops *o = backend_find("dry");
	struct lvsc_err err = { 0 };
	struct backend *b = o->open(&err);
	struct lvsc_service s = svc(80), t = svc(81);
	struct lvsc_dest d = dest(1, 1);

	assert_non_null(b);
	assert_int_equal(o->dest_add(b, &s, &d, &err), -ENOENT);
	assert_int_equal(o->svc_add(b, &s, &err), 0);
	assert_int_equal(o->svc_add(b, &s, &err), -EEXIST);
	assert_int_equal(o->svc_edit(b, &t, &err), -ENOENT);
	assert_int_equal(o->dest_del(b, &s, &d, &err), -ENOENT);
	assert_int_equal(o->dest_edit(b, &s, &d, &err), -ENOENT);
	assert_int_equal(o->dest_add(b, &s, &d, &err), 0);
	assert_int_equal(o->dest_add(b, &s, &d, &err), -EEXIST);
	assert_int_equal(o->svc_del(b, &s, &err), 0);
	assert_int_equal(o->svc_del(b, &s, &err), -ENOENT);
	assert_int_equal(o->svc_add(b, &s, &err), 0);
	assert_int_equal(o->dest_add(b, &s, &d, &err), 0);
	assert_int_equal(o->flush(b, &err), 0);
	assert_int_equal(o->svc_edit(b, &s, &err), -ENOENT);
	o->close(b);
}

static uint32_t weight_of(const struct backend_ops *o, struct backend *b,
			  const struct lvsc_service *s, unsigned int i)
{
	struct lvsc_err err = { 0 };
	struct lvsc_dest *d = NULL, k = dest(i, 0);
	size_t n = 0;
	uint32_t w = UINT32_MAX;

	assert_int_equal(o->dest_list(b, s, &d, &n, &err), 0);
	for (size_t j = 0; j < n; j++)
		if (backend_dest_same(&d[j], &k))
			w = d[j].weight;
	free(d);
	return w;
}

static void test_many(void **state)
{
	const struct backend_ops *o = backend_find("dry");
	struct lvsc_err err = { 0 };
	struct backend *b = o->open(&err);
	struct lvsc_service s = svc(80), *svcs = NULL;
	struct lvsc_dest *d = NULL;
	size_t n = 0;

	assert_int_equal(o->svc_add(b, &s, &err), 0);
	for (unsigned int i = 0; i < 10000; i++) {
		struct lvsc_dest x = dest(i, i % 7);

		assert_int_equal(o->dest_add(b, &s, &x, &err), 0);
	}
	/* Delete every third, re-add every ninth, edit every fifth. */
	for (unsigned int i = 0; i < 10000; i += 3) {
		struct lvsc_dest x = dest(i, 0);

		assert_int_equal(o->dest_del(b, &s, &x, &err), 0);
	}
	for (unsigned int i = 0; i < 10000; i += 9) {
		struct lvsc_dest x = dest(i, 100);

		assert_int_equal(o->dest_add(b, &s, &x, &err), 0);
	}
	for (unsigned int i = 1; i < 10000; i += 5) {
		struct lvsc_dest x = dest(i, 50);
		int rc = o->dest_edit(b, &s, &x, &err);

		assert_int_equal(rc, i % 3 == 0 && i % 9 ? -ENOENT : 0);
	}
	assert_int_equal(o->dest_list(b, &s, &d, &n, &err), 0);
	free(d);
	assert_int_equal(n, 10000 - 3334 + 1112);
	assert_int_equal(weight_of(o, b, &s, 9), 100);
	assert_int_equal(weight_of(o, b, &s, 3), UINT32_MAX);
	assert_int_equal(weight_of(o, b, &s, 6), UINT32_MAX);
	assert_int_equal(weight_of(o, b, &s, 11), 50);
	assert_int_equal(weight_of(o, b, &s, 2), 2);
	assert_int_equal(o->svc_list(b, &svcs, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(svcs[0].num_dests, 10000 - 3334 + 1112);
	free(svcs);
	o->close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_many),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
