// SPDX-License-Identifier: GPL-2.0
/*
 * test_hc_parse.c - the checkers' string parsers: keepalived's free-form
 * hex (UDP_CHECK payload and require_reply) and the argument joining that
 * feeds it, the Host: value, and HTTP_GET's regex rows and match window.
 * The conf_* reporting calls are stubbed here: a test reads what they
 * counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cmocka.h>

#include "checker.h"
#include "http_chunk.h"
#include "http_regex.h"

/* Stubs for what the keyword rows report. */
static int n_err, n_warn;

void conf_err(struct conf_parser *p, const char *fmt, ...)
{
	n_err++;
}

void conf_warn(struct conf_parser *p, const char *fmt, ...)
{
	n_warn++;
}

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

static const struct conf_kw re_kw = { .name = "regex", .off = 0 };

static void re_set(struct http_regex *r, const char *kw, const char *a,
		   const char *b)
{
	char *argv[] = { (char *)kw, (char *)a, (char *)b, NULL };
	int argc = b ? 3 : a ? 2 : 1;

	if (!strcmp(kw, "regex"))
		http_kw_regex(NULL, &re_kw, r, argc, argv);
	else if (!strcmp(kw, "regex_no_match"))
		http_kw_regex_no_match(NULL, &re_kw, r, argc, argv);
	else if (!strcmp(kw, "regex_options"))
		http_kw_regex_options(NULL, &re_kw, r, argc, argv);
	else if (!strcmp(kw, "regex_stack"))
		http_kw_regex_stack(NULL, &re_kw, r, argc, argv);
	else
		http_kw_regex_offset(NULL, &re_kw, r, argc, argv);
}

static bool re_pass(const struct http_regex *r, const char *body)
{
	char why[96];

	return http_regex_pass(r, body, strlen(body), why, sizeof(why));
}

static void test_regex_match(void **state)
{
	struct http_regex r = { 0 };

	n_err = n_warn = 0;
	re_set(&r, "regex", "ok[0-9]+", NULL);
	http_regex_close(NULL, &r);
	assert_true(http_regex_on(&r));
	assert_true(re_pass(&r, "HTTP/1.0 200 OK\r\n\r\nstatus ok42\n"));
	assert_false(re_pass(&r, "status OK42"));
	http_regex_free(&r);

	re_set(&r, "regex", "ok[0-9]+", NULL);
	re_set(&r, "regex_options", "caseless", "nosuch");
	re_set(&r, "regex_no_match", NULL, NULL);
	http_regex_close(NULL, &r);
	assert_int_equal(n_warn, 1);		/* nosuch */
	assert_false(re_pass(&r, "status OK42"));
	assert_true(re_pass(&r, "status fine"));
	http_regex_free(&r);
	assert_int_equal(n_err, 0);
}

/* A match counts when it starts in [min, max]; lookbehind sees before. */
static void test_regex_window(void **state)
{
	struct http_regex r = { 0 };

	re_set(&r, "regex", "abc", NULL);
	re_set(&r, "regex_min_offset", "4", NULL);
	re_set(&r, "regex_max_offset", "6", NULL);
	http_regex_close(NULL, &r);
	assert_false(re_pass(&r, "abc-------"));	/* at 0 */
	assert_true(re_pass(&r, "abc-abc---"));		/* at 4 */
	assert_true(re_pass(&r, "------abc-"));		/* at 6 */
	assert_false(re_pass(&r, "-------abc"));	/* at 7 */
	assert_false(re_pass(&r, "ab"));		/* short */
	http_regex_free(&r);

	re_set(&r, "regex", "(?<=x)y", NULL);
	re_set(&r, "regex_min_offset", "1", NULL);
	http_regex_close(NULL, &r);
	assert_true(re_pass(&r, "xy"));
	http_regex_free(&r);
}

static void test_regex_config(void **state)
{
	struct http_regex r = { 0 };

	n_err = n_warn = 0;
	re_set(&r, "regex", "(unclosed", NULL);
	http_regex_close(NULL, &r);
	assert_int_equal(n_err, 1);
	assert_false(http_regex_on(&r));
	http_regex_free(&r);

	n_err = n_warn = 0;
	re_set(&r, "regex_no_match", NULL, NULL);	/* without a regex */
	http_regex_close(NULL, &r);
	assert_int_equal(n_warn, 1);
	assert_false(http_regex_on(&r));
	http_regex_free(&r);

	n_err = n_warn = 0;
	re_set(&r, "regex", "a", NULL);
	re_set(&r, "regex_min_offset", "9", NULL);
	re_set(&r, "regex_max_offset", "3", NULL);	/* ignored, both */
	re_set(&r, "regex_max_offset", "-1", NULL);	/* error */
	re_set(&r, "regex_stack", "10", "5");		/* error */
	re_set(&r, "regex_stack", "4096", "65536");
	http_regex_close(NULL, &r);
	assert_int_equal(n_err, 2);
	assert_int_equal(n_warn, 1);
	assert_true(re_pass(&r, "a"));
	http_regex_free(&r);
}

static char out[64];
static size_t out_len;

static void collect(void *arg, const char *p, size_t n)
{
	memcpy(out + out_len, p, n);
	out_len += n;
}

/* Every split of the input decodes the same; errors are errors. */
static void test_chunked(void **state)
{
	static const char in[] = "4;ext=1\r\nwiki\r\n5\r\npedia\r\n"
				 "0\r\nX-T: 1\r\n\r\nextra";
	size_t len = strlen(in) - 5;	/* "extra" follows the end */
	struct http_chunk c;

	for (size_t cut = 0; cut <= len; cut++) {
		http_chunk_init(&c);
		out_len = 0;
		assert_int_equal(http_chunk_feed(&c, in, cut, collect, NULL),
				 cut == len);
		assert_int_equal(http_chunk_feed(&c, in + cut, strlen(in) - cut,
						 collect, NULL), 1);
		assert_true(http_chunk_done(&c));
		assert_int_equal(out_len, 9);
		assert_memory_equal(out, "wikipedia", 9);
	}
	http_chunk_init(&c);
	assert_int_equal(http_chunk_feed(&c, "zz\r\n", 4, collect, NULL), -1);
	http_chunk_init(&c);
	assert_int_equal(http_chunk_feed(&c, "1\r\nab", 6, collect, NULL), -1);
	http_chunk_init(&c);
	assert_int_equal(http_chunk_feed(&c, "fffffffffff\r\n", 13, collect,
					 NULL), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hex_pairs),
		cmocka_unit_test(test_hex_wildcards),
		cmocka_unit_test(test_hex_errors),
		cmocka_unit_test(test_host_port),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_regex_match),
		cmocka_unit_test(test_regex_window),
		cmocka_unit_test(test_regex_config),
		cmocka_unit_test(test_chunked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
