// SPDX-License-Identifier: GPL-2.0
/*
 * test_vsadm_format.c - every listing against ipvsadm 1.31's exact bytes.
 *
 * The references in fixtures/ipvsadm-format-examples.txt were printed by
 * ipvsadm's own printf code for the rule set of test_vsadm_helpers.h;
 * each test prints the same set with vsadm's code and compares bytes,
 * trailing blanks included.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <json-c/json.h>

#include "test_vsadm_helpers.h"

static const struct vs_ident ipvs_ident = {
	.name = "IP Virtual Server", .version = 0x010201, .size = 4096,
};

static void check_list(const char *mode, unsigned int fmt)
{
	char *want = fixture_section(mode), *got = NULL;
	struct vs_table t;

	assert_non_null(want);
	sample_table(&t);
	vs_sort_table(&t);
	CAPTURE(false, got, vs_print_list(o, &t, &ipvs_ident, fmt, false));
	assert_string_equal(got, want);
	vs_table_free(&t);
	free(got);
	free(want);
}

static void test_list_numeric(void **state)
{
	check_list("n", VS_FMT_NUMERIC);
}

static void test_list_stats(void **state)
{
	check_list("stats", VS_FMT_NUMERIC | VS_FMT_STATS);
}

static void test_list_stats_exact(void **state)
{
	check_list("statsx", VS_FMT_NUMERIC | VS_FMT_STATS | VS_FMT_EXACT);
}

static void test_list_rate(void **state)
{
	check_list("rate", VS_FMT_NUMERIC | VS_FMT_RATE);
}

static void test_list_thresholds(void **state)
{
	check_list("thr", VS_FMT_NUMERIC | VS_FMT_THRESHOLDS);
}

static void test_list_persistent_conn(void **state)
{
	check_list("pc", VS_FMT_NUMERIC | VS_FMT_PERSISTENTCONN);
}

static void test_list_tun_info(void **state)
{
	check_list("tun", VS_FMT_NUMERIC | VS_FMT_TUN_INFO);
}

/* --stats wins over --rate, as in ipvsadm. */
static void test_list_stats_over_rate(void **state)
{
	check_list("stats", VS_FMT_NUMERIC | VS_FMT_STATS | VS_FMT_RATE);
}

static void test_save(void **state)
{
	char *want = fixture_section("save"), *got = NULL;
	struct vs_table t;

	sample_table(&t);
	vs_sort_table(&t);
	CAPTURE(false, got, vs_print_save(o, &t, VS_FMT_NUMERIC));
	assert_string_equal(got, want);
	vs_table_free(&t);
	free(got);
	free(want);
}

static void test_timeout(void **state)
{
	struct lvsc_config cfg = { .tcp = 900, .tcp_fin = 120, .udp = 300 };
	char *want = fixture_section("timeout"), *got = NULL;

	CAPTURE(false, got, vs_print_timeout(o, &cfg));
	assert_string_equal(got, want);
	free(got);
	free(want);
}

static struct lvsc_conn conn(uint16_t af, uint16_t proto, uint8_t state,
			     uint32_t secs, const char *c, uint16_t cp,
			     const char *v, uint16_t vp, const char *d,
			     uint16_t dp)
{
	struct lvsc_conn x = {
		.af = af, .dest_af = af, .protocol = proto, .state = state,
		.expires_ms = secs * 1000 + 999, .cport = cp, .vport = vp,
		.dport = dp, .fwd = LVS_FWD_MASQ,
	};

	set_addr(af, c, &x.caddr);
	set_addr(af, v, &x.vaddr);
	set_addr(af, d, &x.daddr);
	return x;
}

static void test_conns(void **state)
{
	struct lvsc_conn c[4] = {
		conn(AF_INET, IPPROTO_TCP, LVS_TCP_S_ESTABLISHED, 896,
		     "10.0.0.100", 54000, "10.0.0.1", 80, "192.168.1.10", 8080),
		conn(AF_INET, IPPROTO_TCP, LVS_TCP_S_TIME_WAIT, 61,
		     "10.0.0.101", 40001, "10.0.0.1", 80, "192.168.1.11", 8080),
		conn(AF_INET, IPPROTO_UDP, 0, 287,
		     "10.0.0.102", 36370, "10.0.0.1", 53, "192.168.1.20", 53),
		conn(AF_INET6, IPPROTO_TCP, LVS_TCP_S_SYN_RECV, 59,
		     "2001:db8::64", 54000, "2001:db8::1", 443,
		     "2001:db8::10", 443),
	};
	char *want = fixture_section("conn"), *got = NULL;

	CAPTURE(false, got, vs_print_conns(o, c, 4, VS_FMT_NUMERIC));
	assert_string_equal(got, want);
	free(got);
	free(want);
}

/* Templates are named by their assured bit; fwmark ones show the mark. */
static void test_conn_templates(void **state)
{
	struct lvsc_conn c[2] = {
		conn(AF_INET, IPPROTO_TCP, 0, 300, "10.0.0.0", 0, "10.0.0.1",
		     80, "192.168.1.10", 8080),
		conn(AF_INET, IPPROTO_IP, 0, 3600, "10.0.0.0", 0, "0.0.0.0", 0,
		     "192.168.1.30", 0),
	};
	char *got = NULL;

	c[0].flags = LVS_CONN_F_TEMPLATE | LVS_CONN_F_ASSURED;
	c[1].flags = LVS_CONN_F_TEMPLATE;
	c[1].fwmark = 7;
	CAPTURE(false, got, vs_print_conns(o, c, 2, VS_FMT_NUMERIC));
	assert_string_equal(got,
		"IPVS connection entries\n"
		"pro expire state       source             virtual            "
		"destination\n"
		"TCP 05:00  ASSURED     10.0.0.0:0         10.0.0.1:80        "
		"192.168.1.10:8080\n"
		"IP  60:00  NONE        10.0.0.0:0         0.0.0.7:0          "
		"192.168.1.30:0\n");
	free(got);
}

/* A single service (-L -t ...) has no version line. */
static void test_list_single(void **state)
{
	char *want = fixture_section("n"), *got = NULL, *skip;
	struct vs_table t;

	sample_table(&t);
	vs_sort_table(&t);
	CAPTURE(false, got, vs_print_list(o, &t, &ipvs_ident, VS_FMT_NUMERIC,
					  true));
	skip = strchr(want, '\n') + 1;
	assert_string_equal(got, skip);
	vs_table_free(&t);
	free(got);
	free(want);
}

/* This module's own first line. */
static void test_header_lvs(void **state)
{
	struct vs_ident id = { .name = "LVS", .version = LVS_VERSION_CODE,
			       .size = 65536 };
	struct vs_table t = { 0 };
	char *got = NULL;

	CAPTURE(false, got, vs_print_list(o, &t, &id, VS_FMT_NUMERIC, false));
	assert_string_equal(got,
		"LVS version 0.1.0 (size=65536)\n"
		"Prot LocalAddress:Port Scheduler Flags\n"
		"  -> RemoteAddress:Port           Forward Weight ActiveConn "
		"InActConn\n");
	free(got);
}

/* ipvsadm's wrapping comparator: 10.0.0.1 sorts after 200.0.0.1. */
static void test_sort_wraps(void **state)
{
	struct vs_rule r[2] = { 0 };
	struct vs_table t = { .rules = r, .n = 2 };
	char buf[INET_ADDRSTRLEN];

	r[0].svc = (struct lvsc_service){ .af = AF_INET,
					  .protocol = IPPROTO_TCP, .port = 80 };
	r[1].svc = r[0].svc;
	set_addr(AF_INET, "10.0.0.1", &r[0].svc.addr);
	set_addr(AF_INET, "200.0.0.1", &r[1].svc.addr);
	vs_sort_table(&t);
	inet_ntop(AF_INET, &r[0].svc.addr, buf, sizeof(buf));
	assert_string_equal(buf, "200.0.0.1");
	/* Within 2^31 the order is the natural one. */
	set_addr(AF_INET, "10.0.0.9", &r[0].svc.addr);
	set_addr(AF_INET, "10.0.0.2", &r[1].svc.addr);
	vs_sort_table(&t);
	inet_ntop(AF_INET, &r[0].svc.addr, buf, sizeof(buf));
	assert_string_equal(buf, "10.0.0.2");
}

/* --nosort keeps the module's order: the caller simply does not sort. */
static void test_unsorted_order(void **state)
{
	struct vs_table t;
	char *got = NULL;

	sample_table(&t);
	CAPTURE(false, got, vs_print_save(o, &t, VS_FMT_NUMERIC));
	assert_true(!strncmp(got, "-A -f 1 -s mh -p 360\n", 21));
	vs_table_free(&t);
	free(got);
}

/* Number abbreviations at each boundary. */
static void test_largenum_boundaries(void **state)
{
	struct vs_rule r = { 0 };
	struct vs_table t = { .rules = &r, .n = 1 };
	char *got = NULL;

	r.svc = (struct lvsc_service){ .af = AF_INET, .fwmark = 3,
				       .sched = "rr" };
	r.svc.stats.conns = 99999999ULL;
	r.svc.stats.inpkts = 100000000ULL;
	r.svc.stats.outpkts = 99999999999ULL;
	r.svc.stats.inbytes = 99999999999999ULL;
	r.svc.stats.outbytes = 100000000000000ULL;
	CAPTURE(false, got, vs_print_list(o, &t, &ipvs_ident,
					  VS_FMT_NUMERIC | VS_FMT_STATS,
					  true));
	/* "%-33s" then five 9-column numbers. */
	assert_non_null(strstr(got, "FWM  3                           "
			       " 99999999  100000K   99999M   99999G     100T"
			       "\n"));
	free(got);
}

/* IPv4 names are cut at 33 (service) and 28 (server) columns. */
static void test_truncation(void **state)
{
	struct lvsc_dest d = { .af = AF_INET, .port = 65535,
			       .fwd = LVS_FWD_DROUTE, .weight = 1 };
	struct vs_rule r = { .dests = &d, .ndests = 1 };
	struct vs_table t = { .rules = &r, .n = 1 };
	char *got = NULL;

	r.svc = (struct lvsc_service){ .af = AF_INET,
				       .protocol = IPPROTO_UDP,
				       .port = 65535, .sched = "wlc" };
	set_addr(AF_INET, "255.255.255.255", &r.svc.addr);
	set_addr(AF_INET, "255.255.255.254", &d.addr);
	CAPTURE(false, got, vs_print_list(o, &t, &ipvs_ident, VS_FMT_NUMERIC,
					  true));
	assert_non_null(strstr(got, "UDP  255.255.255.255:65535 wlc\n"));
	assert_non_null(strstr(got, "  -> 255.255.255.254:65535        "));
	free(got);
}

static void test_json_list(void **state)
{
	struct json_object *root, *svcs, *s, *d, *v;
	struct vs_table t;
	char *got = NULL;

	sample_table(&t);
	vs_sort_table(&t);
	CAPTURE(true, got, vs_print_list(o, &t, &ipvs_ident,
					 VS_FMT_NUMERIC | VS_FMT_STATS,
					 false));
	root = json_tokener_parse(got);
	assert_non_null(root);
	assert_true(json_object_object_get_ex(root, "services", &svcs));
	assert_int_equal(json_object_array_length(svcs), 4);
	s = json_object_array_get_idx(svcs, 0);
	json_object_object_get_ex(s, "address", &v);
	assert_string_equal(json_object_get_string(v), "10.0.0.1");
	json_object_object_get_ex(s, "scheduler", &v);
	assert_string_equal(json_object_get_string(v), "wlc");
	json_object_object_get_ex(s, "stats", &v);
	json_object_object_get_ex(v, "outbytes", &v);
	assert_true(json_object_get_uint64(v) == 1234567890ULL);
	json_object_object_get_ex(s, "dests", &d);
	assert_int_equal(json_object_array_length(d), 2);
	d = json_object_array_get_idx(d, 1);
	json_object_object_get_ex(d, "weight", &v);
	assert_int_equal(json_object_get_int(v), 1);
	json_object_object_get_ex(d, "u_threshold", &v);
	assert_int_equal(json_object_get_int(v), 100);
	s = json_object_array_get_idx(svcs, 1);
	json_object_object_get_ex(s, "sched_flags", &v);
	assert_string_equal(json_object_get_string(v), "sh-fallback,sh-port");
	json_object_object_get_ex(s, "netmask", &v);
	assert_string_equal(json_object_get_string(v), "255.255.255.0");
	s = json_object_array_get_idx(svcs, 3);
	json_object_object_get_ex(s, "fwmark", &v);
	assert_int_equal(json_object_get_int(v), 1);
	json_object_object_get_ex(s, "dests", &d);
	d = json_object_array_get_idx(d, 0);
	json_object_object_get_ex(d, "tunnel", &v);
	json_object_object_get_ex(v, "port", &v);
	assert_int_equal(json_object_get_int(v), 6080);
	/* No text leaks into JSON. */
	assert_null(strstr(got, "Prot"));
	json_object_put(root);
	vs_table_free(&t);
	free(got);
}

static void test_json_timeout_and_conns(void **state)
{
	struct lvsc_config cfg = { .tcp = 900, .tcp_fin = 120, .udp = 300 };
	struct lvsc_conn c = conn(AF_INET, IPPROTO_TCP, LVS_TCP_S_ESTABLISHED,
				  10, "10.0.0.100", 1, "10.0.0.1", 80,
				  "192.168.1.10", 80);
	char *got = NULL;

	CAPTURE(true, got, vs_print_timeout(o, &cfg));
	assert_string_equal(got, "{\"tcp\":900,\"tcpfin\":120,\"udp\":300}\n");
	free(got);
	CAPTURE(true, got, vs_print_conns(o, &c, 1, VS_FMT_NUMERIC));
	assert_non_null(strstr(got, "\"state\":\"ESTABLISHED\""));
	assert_non_null(strstr(got, "\"source\":\"10.0.0.100:1\""));
	assert_int_equal(got[0], '[');
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_numeric),
		cmocka_unit_test(test_list_stats),
		cmocka_unit_test(test_list_stats_exact),
		cmocka_unit_test(test_list_rate),
		cmocka_unit_test(test_list_thresholds),
		cmocka_unit_test(test_list_persistent_conn),
		cmocka_unit_test(test_list_tun_info),
		cmocka_unit_test(test_list_stats_over_rate),
		cmocka_unit_test(test_save),
		cmocka_unit_test(test_timeout),
		cmocka_unit_test(test_conns),
		cmocka_unit_test(test_conn_templates),
		cmocka_unit_test(test_list_single),
		cmocka_unit_test(test_header_lvs),
		cmocka_unit_test(test_sort_wraps),
		cmocka_unit_test(test_unsorted_order),
		cmocka_unit_test(test_largenum_boundaries),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_json_list),
		cmocka_unit_test(test_json_timeout_and_conns),
	};

	return cmocka_run_group_tests_name("vsadm_format", tests, NULL, NULL);
}
