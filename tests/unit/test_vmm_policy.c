// SPDX-License-Identifier: GPL-2.0
/*
 * test_vmm_policy.c - vmm's pure pool policy: size clamping, exponential
 * restart backoff with a cap, crash-loop detection, the resize plan, the
 * address range, deterministic MACs and when KVM may be used.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "policy.h"

#define S 1000000LL

static const struct vmm_restart_policy pol = {
	.backoff_base = 1 * S, .backoff_cap = 8 * S, .crash_limit = 5,
	.stable = 60 * S,
};

static void test_desired(void **state)
{
	assert_int_equal(vmm_desired_size(3, 1, 8), 3);
	assert_int_equal(vmm_desired_size(0, 1, 8), 1);
	assert_int_equal(vmm_desired_size(-5, 0, 8), 0);
	assert_int_equal(vmm_desired_size(100, 1, 8), 8);
}

static void test_backoff(void **state)
{
	assert_int_equal(vmm_backoff(&pol, 0), 1 * S);
	assert_int_equal(vmm_backoff(&pol, 1), 1 * S);
	assert_int_equal(vmm_backoff(&pol, 2), 2 * S);
	assert_int_equal(vmm_backoff(&pol, 3), 4 * S);
	assert_int_equal(vmm_backoff(&pol, 4), 8 * S);
	assert_int_equal(vmm_backoff(&pol, 5), 8 * S);	/* the cap */
	assert_int_equal(vmm_backoff(&pol, 1000), 8 * S);	/* no overflow */
}

static void test_crash_loop(void **state)
{
	unsigned int fails = 0;
	bool give_up;

	for (int i = 1; i < 5; i++) {
		fails = vmm_on_crash(&pol, fails, 2 * S, &give_up);
		assert_int_equal(fails, i);
		assert_false(give_up);
	}
	fails = vmm_on_crash(&pol, fails, 2 * S, &give_up);
	assert_true(give_up);			/* the fifth in a row */
	/* A node that stayed up long enough starts counting again. */
	fails = vmm_on_crash(&pol, 4, 61 * S, &give_up);
	assert_int_equal(fails, 1);
	assert_false(give_up);
}

static void test_crash_no_limit(void **state)
{
	struct vmm_restart_policy p = pol;
	bool give_up;

	p.crash_limit = 0;
	assert_int_equal(vmm_on_crash(&p, 99, 0, &give_up), 100);
	assert_false(give_up);
}

static void test_plan_grow_shrink(void **state)
{
	enum vmm_slot s[4] = { VMM_SLOT_ACTIVE, VMM_SLOT_FREE, VMM_SLOT_FREE,
			       VMM_SLOT_FREE };
	size_t boot[4], retire[4], n;

	n = vmm_plan(s, 4, 4, boot, retire);		/* 1 -> 4 */
	assert_int_equal(n, 3);
	assert_int_equal(boot[0], 1);
	assert_int_equal(boot[2], 3);
	for (int i = 0; i < 4; i++)
		s[i] = VMM_SLOT_ACTIVE;
	n = vmm_plan(s, 4, 1, boot, retire);		/* 4 -> 1 */
	assert_int_equal(n, 3);
	assert_int_equal(retire[0], 3);			/* highest first */
	assert_int_equal(retire[2], 1);
	assert_int_equal(vmm_plan(s, 4, 4, boot, retire), 0);
}

static void test_plan_busy(void **state)
{
	/* A slot still leaving is neither counted nor reused. */
	enum vmm_slot s[3] = { VMM_SLOT_ACTIVE, VMM_SLOT_BUSY, VMM_SLOT_FREE };
	size_t boot[3], retire[3];

	assert_int_equal(vmm_plan(s, 3, 3, boot, retire), 1);
	assert_int_equal(boot[0], 2);
	s[2] = VMM_SLOT_ACTIVE;
	assert_int_equal(vmm_plan(s, 3, 1, boot, retire), 1);
	assert_int_equal(retire[0], 2);
}

static void test_range(void **state)
{
	uint32_t lo = 0x0a4d000a, hi = 0x0a4d000c;	/* 10.77.0.10-12 */
	struct in_addr a;

	assert_int_equal(vmm_range_size(lo, hi), 3);
	assert_int_equal(vmm_range_size(hi, lo), 0);
	assert_int_equal(vmm_range_addr(lo, hi, 0, &a), 0);
	assert_int_equal(ntohl(a.s_addr), lo);
	assert_int_equal(vmm_range_addr(lo, hi, 2, &a), 0);
	assert_int_equal(ntohl(a.s_addr), hi);
	assert_int_equal(vmm_range_addr(lo, hi, 3, &a), -1);	/* exhausted */
}

static void test_mac(void **state)
{
	const uint8_t pre[3] = { 0x53, 0x54, 0x00 };
	uint8_t a[6], b[6], c[6];

	vmm_node_mac(pre, "web", 2, a);
	vmm_node_mac(pre, "web", 2, b);
	vmm_node_mac(pre, "web", 3, c);
	assert_memory_equal(a, b, 6);			/* deterministic */
	assert_memory_not_equal(a, c, 6);
	assert_int_equal(a[0] & 0x03, 0x02);	/* local, unicast */
	assert_int_equal(a[5], 2);
}

static void test_kvm_rule(void **state)
{
	const char *vmx = "processor\t: 0\nflags\t\t: fpu vme vmx sse\n";
	const char *pvm = "processor\t: 0\nflags\t\t: fpu vme sse hypervisor\n";
	const char *tricky = "flags\t\t: fpu vmxnot svm_lock\n";

	assert_true(vmm_kvm_usable(vmx, true));
	assert_false(vmm_kvm_usable(vmx, false));	/* no /dev/kvm */
	assert_false(vmm_kvm_usable(pvm, true));	/* this machine */
	assert_false(vmm_kvm_usable(tricky, true));	/* whole words */
	assert_true(vmm_kvm_usable("flags\t: svm", true));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_desired),
		cmocka_unit_test(test_backoff),
		cmocka_unit_test(test_crash_loop),
		cmocka_unit_test(test_crash_no_limit),
		cmocka_unit_test(test_plan_grow_shrink),
		cmocka_unit_test(test_plan_busy),
		cmocka_unit_test(test_range),
		cmocka_unit_test(test_mac),
		cmocka_unit_test(test_kvm_rule),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
