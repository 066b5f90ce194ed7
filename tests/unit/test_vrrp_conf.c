// SPDX-License-Identifier: GPL-2.0
/*
 * test_vrrp_conf.c - keepalived's VRRP grammar as lvsd parses it
 * (lvsd/vrrp_conf.c): every keyword lvsd carries out, keepalived's
 * defaults, the checks made once the file is read, and positions of errors.
 */
#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <linux/rtnetlink.h>

#include <cmocka.h>

#include "subsys.h"
#include "vrrp.h"
#include "vrrp_conf.h"

static const struct subsys vrrp_conf_only = { .name = VRRP_SUBSYS_NAME,
					      VRRP_SUBSYS_CONF };
SUBSYS_REGISTER(vrrp_conf_only)

static struct vrrp_cfg *load(const char *text, struct conf_log *log,
			     struct conf **c)
{
	memset(log, 0, sizeof(*log));
	*c = conf_load_mem("vrrp.conf", text, strlen(text), NULL, log);
	assert_non_null(*c);
	return conf_sub(*c, &vrrp_conf_only);
}

static const struct conf_msg *find_msg(const struct conf_log *log,
				       const char *text)
{
	for (size_t i = 0; i < log->n; i++)
		if (strstr(log->msgs[i].text, text))
			return &log->msgs[i];
	return NULL;
}

static void done(struct conf *c, struct conf_log *log)
{
	conf_free(c);
	conf_log_free(log);
}

static void test_instance(void **state)
{
	static const char text[] =
		"global_defs {\n"
		"  vrrp_version 3\n"
		"  vrrp_garp_master_repeat 2\n"
		"}\n"
		"vrrp_script chk {\n"
		"  script \"/bin/true\"\n"
		"  interval 0.5\n"
		"  weight -20 reverse\n"
		"  fall 3\n"
		"}\n"
		"vrrp_instance VI_1 {\n"
		"  state MASTER\n"
		"  interface lo\n"
		"  virtual_router_id 51\n"
		"  priority 150\n"
		"  advert_int 0.1\n"
		"  nopreempt\n"
		"  preempt_delay 5\n"
		"  virtual_ipaddress {\n"
		"    10.0.0.1/24 dev lo label lo:1\n"
		"    10.0.0.2\n"
		"  }\n"
		"  virtual_routes {\n"
		"    10.1.0.0/16 via 10.0.0.254 table 100 metric 5\n"
		"  }\n"
		"  track_interface {\n"
		"    lo weight 10\n"
		"  }\n"
		"  track_script {\n"
		"    chk weight -30\n"
		"  }\n"
		"  unicast_src_ip 10.0.0.9\n"
		"  unicast_peer {\n"
		"    10.0.0.10\n"
		"  }\n"
		"  notify_master \"/bin/echo master\"\n"
		"}\n";
	struct conf_log log;
	struct conf *c;
	struct vrrp_cfg *v = load(text, &log, &c);
	struct vrrp_inst_cfg *vi;

	(void)state;
	assert_int_equal(conf_exit_code(&log), CONF_RC_OK);
	assert_int_equal(v->n_insts, 1);
	vi = v->insts[0];
	assert_string_equal(vi->name, "VI_1");
	assert_string_equal(vi->ifname, "lo");
	assert_int_equal(vi->vrid, 51);
	assert_int_equal(vi->prio, 150);
	assert_int_equal(vi->version, 3);		/* global */
	assert_int_equal(vi->advert_int, 100000);
	assert_true(vi->nopreempt);
	assert_int_equal(vi->preempt_delay, 5000000);
	assert_true(vi->want_master);
	assert_int_equal(vi->garp_master_repeat, 2);	/* global */
	assert_int_equal(vi->garp_master_delay, 5000000);	/* default */
	assert_int_equal(vi->n_vips, 2);
	assert_int_equal(vi->vips[0].plen, 24);
	assert_string_equal(vi->vips[0].dev, "lo");
	assert_string_equal(vi->vips[0].label, "lo:1");
	assert_int_equal(vi->vips[1].plen, 32);
	assert_int_equal(vi->n_routes, 1);
	assert_int_equal(vi->routes[0].plen, 16);
	assert_int_equal(vi->routes[0].gw.af, AF_INET);
	assert_int_equal(vi->routes[0].table, 100);
	assert_int_equal(vi->routes[0].metric, 5);
	assert_int_equal(vi->n_track_ifs, 1);
	assert_int_equal(vi->track_ifs[0].weight, 10);
	assert_int_equal(vi->n_track_scripts, 1);
	assert_int_equal(vi->track_scripts[0].weight, -30);
	assert_int_equal(vi->unicast_src.af, AF_INET);
	assert_int_equal(vi->n_peers, 1);
	assert_non_null(vi->notify_master.argv);
	assert_int_equal(v->n_scripts, 1);
	assert_int_equal(v->scripts[0]->interval, 500000);
	assert_int_equal(v->scripts[0]->weight, -20);
	assert_true(v->scripts[0]->weight_reverse);
	assert_int_equal(v->scripts[0]->fall, 3);
	assert_int_equal(v->scripts[0]->rise, 1);
	assert_true(v->scripts[0]->used);
	done(c, &log);
}

static void test_defaults_and_v2(void **state)
{
	static const char text[] =
		"vrrp_instance VI_2 {\n"
		"  interface lo\n"
		"  virtual_router_id 7\n"
		"  advert_int 1.4\n"
		"  authentication {\n"
		"    auth_type PASS\n"
		"    auth_pass 123456789\n"
		"  }\n"
		"  virtual_ipaddress {\n"
		"    10.0.0.7\n"
		"  }\n"
		"}\n";
	struct conf_log log;
	struct conf *c;
	struct vrrp_cfg *v = load(text, &log, &c);
	struct vrrp_inst_cfg *vi = v->insts[0];
	const struct conf_msg *m;

	(void)state;
	assert_int_equal(vi->version, 2);
	assert_int_equal(vi->prio, 100);
	assert_false(vi->nopreempt);
	/* v2 rounds a fractional interval, with a warning. */
	assert_int_equal(vi->advert_int, 1000000);
	assert_non_null(find_msg(&log, "non-integer advert_int"));
	/* The password is cut to eight characters, as keepalived does. */
	m = find_msg(&log, "Truncating auth_pass");
	assert_non_null(m);
	assert_int_equal(m->line, 7);
	assert_memory_equal(vi->auth_pass, "12345678", 8);
	assert_int_equal(vi->auth_type, VRRP_AUTH_PASS);
	assert_int_equal(conf_exit_code(&log), CONF_RC_OK);
	done(c, &log);
}

static void test_errors(void **state)
{
	static const char text[] =
		"vrrp_instance VI_3 {\n"
		"  interface lo\n"
		"  virtual_router_id 300\n"
		"  priority 0\n"
		"  virtual_ipaddress {\n"
		"    10.0.0.1/40\n"
		"    2001:db8::1/64\n"
		"  }\n"
		"  state SLAVE\n"
		"}\n"
		"vrrp_instance VI_4 {\n"
		"  virtual_router_id 4\n"
		"}\n"
		"vrrp_instance VI_5 {\n"
		"  interface no-such-if0\n"
		"  virtual_router_id 5\n"
		"}\n";
	struct conf_log log;
	struct conf *c;
	struct vrrp_cfg *v = load(text, &log, &c);
	const struct conf_msg *m;

	(void)state;
	assert_int_equal(v->n_insts, 3);
	m = find_msg(&log, "virtual_router_id");
	assert_non_null(m);
	assert_int_equal(m->line, 3);
	m = find_msg(&log, "priority");
	assert_non_null(m);
	assert_int_equal(m->line, 4);
	m = find_msg(&log, "10.0.0.1/40");
	assert_non_null(m);
	assert_int_equal(m->line, 6);
	m = find_msg(&log, "unknown state 'SLAVE'");
	assert_non_null(m);
	assert_int_equal(m->line, 9);
	/* IPv6 addresses move the instance to version 3. */
	assert_int_equal(v->insts[0]->version, 3);
	/* No interface at all: keepalived's error. */
	assert_non_null(find_msg(&log, "(VI_4) Unknown interface"));
	/* An interface that is not there: exit 5, not a refusal. */
	m = find_msg(&log, "interface no-such-if0 for vrrp_instance VI_5");
	assert_non_null(m);
	assert_int_equal(m->sev, CONF_DEFAULTED);
	assert_int_equal(conf_exit_code(&log), CONF_RC_ERRORS);
	done(c, &log);
}

static void test_sync_group(void **state)
{
	static const char text[] =
		"vrrp_sync_group G1 {\n"
		"  group {\n"
		"    VI_A VI_B\n"
		"    VI_NONE\n"
		"  }\n"
		"  notify \"/bin/true\"\n"
		"}\n"
		"vrrp_sync_group G2 {\n"
		"  group {\n"
		"    VI_A\n"
		"  }\n"
		"}\n"
		"vrrp_instance VI_A {\n"
		"  interface lo\n"
		"  virtual_router_id 1\n"
		"}\n"
		"vrrp_instance VI_B {\n"
		"  interface lo\n"
		"  virtual_router_id 2\n"
		"  track_script {\n"
		"    missing\n"
		"  }\n"
		"}\n";
	struct conf_log log;
	struct conf *c;
	struct vrrp_cfg *v = load(text, &log, &c);

	(void)state;
	assert_int_equal(v->n_groups, 2);
	assert_int_equal(v->groups[0]->n_insts, 2);
	assert_ptr_equal(v->insts[0]->group, v->groups[0]);
	assert_ptr_equal(v->insts[1]->group, v->groups[0]);
	assert_non_null(find_msg(&log, "VI_NONE specified in sync group G1"));
	assert_non_null(find_msg(&log, "cannot exist in more than one sync"));
	assert_non_null(find_msg(&log, "track script missing not found"));
	assert_int_equal(conf_exit_code(&log), CONF_RC_OK);
	done(c, &log);
}

static void test_unsupported_is_said(void **state)
{
	static const char text[] =
		"global_defs {\n"
		"  vrrp_strict\n"
		"}\n"
		"vrrp_instance VI_U {\n"
		"  interface lo\n"
		"  virtual_router_id 9\n"
		"  use_vmac\n"
		"  virtual_rules {\n"
		"    from 10.0.0.1 table 1\n"
		"  }\n"
		"}\n"
		"static_routes {\n"
		"  10.2.0.0/16 dev lo scope link\n"
		"}\n";
	struct conf_log log;
	struct conf *c;
	struct vrrp_cfg *v = load(text, &log, &c);
	const struct conf_msg *m;

	(void)state;
	m = find_msg(&log, "'vrrp_strict' is not supported by lvsd");
	assert_non_null(m);
	assert_int_equal(m->line, 2);
	assert_non_null(find_msg(&log, "'use_vmac' is not supported"));
	assert_non_null(find_msg(&log, "'virtual_rules' is not supported"));
	assert_true(v->has_statics);
	assert_int_equal(v->statics.n_routes, 1);
	assert_int_equal(v->statics.routes[0].scope, RT_SCOPE_LINK);
	assert_int_equal(conf_exit_code(&log), CONF_RC_OK);
	done(c, &log);
}

/* vrrp_script's "user": it wins over the script line's words, and an
 * unknown user is an error at its own line. */
static void test_script_user(void **state)
{
	static const char ok[] =
		"vrrp_script chk {\n"
		"  user nobody\n"
		"  script \"/bin/true\" root root\n"
		"}\n";
	static const char bad[] =
		"vrrp_script chk {\n"
		"  script \"/bin/true\"\n"
		"  user no-such-user-lvs\n"
		"}\n";
	struct conf_log log;
	struct conf *c;
	struct vrrp_cfg *v = load(ok, &log, &c);
	const struct conf_msg *m;

	(void)state;
	assert_int_equal(conf_exit_code(&log), CONF_RC_OK);
	assert_int_equal(v->n_scripts, 1);
	assert_string_equal(v->scripts[0]->script.user, "nobody");
	assert_null(v->scripts[0]->script.group);
	assert_null(find_msg(&log, "'user' is not supported"));
	done(c, &log);
	load(bad, &log, &c);
	m = find_msg(&log, "vrrp_script chk:");
	assert_non_null(m);
	assert_int_equal(m->sev, CONF_ERR);
	assert_int_equal(m->line, 3);
	done(c, &log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instance),
		cmocka_unit_test(test_defaults_and_v2),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_sync_group),
		cmocka_unit_test(test_unsupported_is_said),
		cmocka_unit_test(test_script_user),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
