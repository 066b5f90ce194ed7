// SPDX-License-Identifier: GPL-2.0
/*
 * test_hc_parse.c - the checkers' string parsers: keepalived's free-form
 * hex (UDP_CHECK payload and require_reply) and the argument joining that
 * feeds it.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "checker.h"

static void test_hex_pairs(void **state)
{
	unsigned char b[8], m[8];

	assert_int_equal(hc_hex_parse("00ff7A", b, NULL, sizeof(b)), 3);
	assert_memory_equal(b, "\x00\xff\x7a", 3);
	/* blanks between bytes, a lone digit is one byte */
	assert_int_equal(hc_hex_parse(" 1 2\t0304 f ", b, NULL, sizeof(b)), 5);
	assert_memory_equal(b, "\x01\x02\x03\x04\x0f", 5);
	/* odd run: pairs first, the last digit alone */
	assert_int_equal(hc_hex_parse("abc", b, m, sizeof(b)), 2);
	assert_memory_equal(b, "\xab\x0c", 2);
	assert_memory_equal(m, "\xff\xff", 2);
}

static void test_hex_wildcards(void **state)
{
	unsigned char b[8], m[8];

	assert_int_equal(hc_hex_parse("XX 7x x7 X", b, m, sizeof(b)), 4);
	assert_memory_equal(m, "\x00\xf0\x0f\xf0", 4);
	assert_memory_equal(b, "\x00\x70\x07\x00", 4);
	/* no wildcards in a payload */
	assert_int_equal(hc_hex_parse("7X", b, NULL, sizeof(b)), -1);
}

static void test_hex_errors(void **state)
{
	unsigned char b[2];

	assert_int_equal(hc_hex_parse("", b, NULL, sizeof(b)), -1);
	assert_int_equal(hc_hex_parse("   ", b, NULL, sizeof(b)), -1);
	assert_int_equal(hc_hex_parse("0g", b, NULL, sizeof(b)), -1);
	assert_int_equal(hc_hex_parse("zz", b, NULL, sizeof(b)), -1);
	assert_int_equal(hc_hex_parse("010203", b, NULL, sizeof(b)), -1);
	assert_int_equal(hc_hex_parse("0102", b, NULL, sizeof(b)), 2);
}

static void test_host_port(void **state)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *s4 = (void *)&ss;
	struct sockaddr_in6 *s6 = (void *)&ss;
	char b[64];

	s4->sin_family = AF_INET;
	s4->sin_port = htons(8080);
	inet_pton(AF_INET, "10.0.0.1", &s4->sin_addr);
	assert_string_equal(hc_host_port(&ss, b, sizeof(b)), "10.0.0.1:8080");
	assert_null(hc_host_port(&ss, b, 8));
	memset(&ss, 0, sizeof(ss));
	s6->sin6_family = AF_INET6;
	s6->sin6_port = htons(80);
	inet_pton(AF_INET6, "2001:db8::1", &s6->sin6_addr);
	assert_string_equal(hc_host_port(&ss, b, sizeof(b)),
			    "[2001:db8::1]:80");
}

static void test_join(void **state)
{
	char *argv[] = { "payload", "00", "ff", "1" };
	char *s = hc_join_args(4, argv, 1);

	assert_string_equal(s, "00 ff 1");
	free(s);
	s = hc_join_args(1, argv, 1);
	assert_string_equal(s, "");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_pairs),
		cmocka_unit_test(test_hex_wildcards),
		cmocka_unit_test(test_hex_errors),
		cmocka_unit_test(test_host_port),
		cmocka_unit_test(test_join),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
