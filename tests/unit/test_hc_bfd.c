// SPDX-License-Identifier: GPL-2.0
/*
 * test_hc_bfd.c - BFD_CHECK's protocol rules without sockets: the state
 * machine of RFC 5880 6.8.6 (every local/remote pair) and the checks a
 * received control packet must pass (RFC 5880 6.8.6, RFC 5881 5).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "bfd_instance.h"

enum { AD, DN, IN, UP };

static void test_state_machine(void **state)
{
	/* [local][remote] -> next, RFC 5880 6.8.6 */
	static const int next[4][4] = {
		/* remote: AD  DN  IN  UP */
		[AD] = { AD, AD, AD, AD },
		[DN] = { DN, IN, UP, DN },
		[IN] = { DN, IN, UP, UP },
		[UP] = { DN, DN, UP, UP },
	};
	int diag;

	for (int l = 0; l < 4; l++)
		for (int r = 0; r < 4; r++) {
			assert_int_equal(bfd_next_state(l, r, &diag),
					 next[l][r]);
			if (r == AD || (l == UP && r == DN))
				assert_int_equal(diag, 3);
			else
				assert_int_equal(diag, 0);
		}
}

static void good(unsigned char *b)
{
	memset(b, 0, 24);
	b[0] = 1 << 5;		/* version 1, diag 0 */
	b[1] = DN << 6;
	b[2] = 3;		/* detect multiplier */
	b[3] = 24;
	b[7] = 1;		/* my discriminator */
}

static void test_packet_checks(void **state)
{
	unsigned char b[32];

	good(b);
	assert_true(bfd_packet_ok(b, 24, 255, 255));
	assert_false(bfd_packet_ok(b, 24, 254, 255));	/* not single hop */
	assert_true(bfd_packet_ok(b, 24, 254, 0));	/* any TTL */
	assert_true(bfd_packet_ok(b, 24, 250, 250));	/* max_hops 6 */
	assert_false(bfd_packet_ok(b, 24, 249, 250));
	assert_false(bfd_packet_ok(b, 24, -1, 0));	/* no TTL seen */
	assert_false(bfd_packet_ok(b, 23, 255, 255));
	good(b); b[0] = 2 << 5;
	assert_false(bfd_packet_ok(b, 24, 255, 255));	/* version */
	good(b); b[3] = 28;
	assert_false(bfd_packet_ok(b, 24, 255, 255));	/* length > datagram */
	good(b); b[2] = 0;
	assert_false(bfd_packet_ok(b, 24, 255, 255));	/* detect mult 0 */
	good(b); b[1] |= 0x01;
	assert_false(bfd_packet_ok(b, 24, 255, 255));	/* multipoint */
	good(b); b[1] |= 0x04;
	assert_false(bfd_packet_ok(b, 24, 255, 255));	/* authentication */
	good(b); b[7] = 0;
	assert_false(bfd_packet_ok(b, 24, 255, 255));	/* my disc 0 */
	good(b); b[1] |= 0x20 | 0x10;			/* P and F are fine */
	assert_true(bfd_packet_ok(b, 24, 255, 255));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_machine),
		cmocka_unit_test(test_packet_checks),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
