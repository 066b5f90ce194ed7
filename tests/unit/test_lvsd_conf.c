// SPDX-License-Identifier: GPL-2.0
/*
 * test_lvsd_conf.c - lvsd's keepalived.conf parser: lexical rules, every
 * keyword, defaults and their cascade, error positions, includes.
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

#include <cmocka.h>

#include "checker.h"
#include "conf_vmm.h"
#include "vs_conf.h"
#include "lvsc.h"
#include "uapi/lvs.h"

/* The virtual-server subsystem's configuration half, as lvsd registers it. */
static const struct subsys vs_conf_only = { .name = VS_SUBSYS_NAME,
					    VS_SUBSYS_CONF };
SUBSYS_REGISTER(vs_conf_only)
static const struct subsys pool_conf_only = { .name = POOL_SUBSYS_NAME,
					      POOL_SUBSYS_CONF };
SUBSYS_REGISTER(pool_conf_only)

static char dir[64];

static const char *put(const char *name, const char *text)
{
	static char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, 0644);
	return path;
}

static struct conf *load_opts(const char *text, struct conf_log *log,
			      const struct conf_opts *o)
{
	memset(log, 0, sizeof(*log));
	return conf_load(put("main.conf", text), o, log);
}

static struct conf *load(const char *text, struct conf_log *log)
{
	return load_opts(text, log, NULL);
}

/* The first message containing TEXT, or NULL. */
static const struct conf_msg *find_msg(const struct conf_log *log,
				       const char *text)
{
	for (size_t i = 0; i < log->n; i++)
		if (strstr(log->msgs[i].text, text))
			return &log->msgs[i];
	return NULL;
}

static void dump(const struct conf_log *log)
{
	for (size_t i = 0; i < log->n; i++)
		fprintf(stderr, "  %s:%d: %s: %s\n", log->msgs[i].file,
			log->msgs[i].line, conf_sev_name(log->msgs[i].sev),
			log->msgs[i].text);
}

static void assert_clean(const struct conf_log *log)
{
	if (conf_has_errors(log))
		dump(log);
	assert_false(conf_has_errors(log));
}

static const char *full_conf =
	"! every keyword lvsd knows\n"
	"global_defs {\n"
	"  router_id LVS_1\n"
	"  notification_email {\n"
	"    root@localhost\n"
	"  }\n"
	"  notification_email_from lvs@localhost\n"
	"  smtp_server 127.0.0.1\n"
	"  script_user nobody\n"
	"  enable_script_security\n"
	"  vrrp_strict\n"
	"  lvs_flush\n"
	"  lvsd_control_socket /tmp/x.sock\n"
	"  lvsd_control_group adm\n"
	"  lvsd_control_mode 0660\n"
	"  lvsd_metrics_listen 127.0.0.1:9405\n"
	"  lvsd_drain_timeout 30\n"
	"}\n"
	"virtual_server 10.0.0.1 80 {\n"
	"  delay_loop 6\n"
	"  lb_algo wrr\n"
	"  lb_kind DR\n"
	"  persistence_timeout 50\n"
	"  persistence_granularity 255.255.255.0\n"
	"  protocol TCP\n"
	"  ops\n"
	"  sh-port\n"
	"  connect_timeout 3\n"
	"  retry 2\n"
	"  delay_before_retry 2.5\n"
	"  warmup 0\n"
	"  inhibit_on_failure\n"
	"  alpha\n"
	"  omega\n"
	"  quorum 2\n"
	"  hysteresis 1\n"
	"  quorum_up \"/bin/echo up\"\n"
	"  quorum_down /bin/true nobody\n"
	"  sorry_server 10.0.0.9 8080\n"
	"  sorry_server_inhibit\n"
	"  virtualhost www.example.com\n"
	"  rise 2\n"
	"  fall 4\n"
	"  drain_timeout 10\n"
	"  real_server 10.0.1.1 8080 {\n"
	"    weight 3\n"
	"    lvs_method NAT\n"
	"    uthreshold 100\n"
	"    lthreshold 10\n"
	"    notify_up \"/usr/bin/logger 'rs up'\"\n"
	"    notify_down /bin/true\n"
	"    inhibit_on_failure off\n"
	"    retry 5\n"
	"    delay_loop 2\n"
	"    TCP_CHECK {\n"
	"      connect_port 8081\n"
	"      connect_timeout 1\n"
	"      bindto 127.0.0.1\n"
	"      fall 1\n"
	"    }\n"
	"    HTTP_GET {\n"
	"      url {\n"
	"        path /health\n"
	"        digest 0123456789abcdef0123456789abcdef\n"
	"        status_code 200-299 301\n"
	"        virtualhost h.example\n"
	"      }\n"
	"      url { path /ready }\n"
	"      http_protocol 1.1\n"
	"      nb_get_retry 3\n"
	"    }\n"
	"    UDP_CHECK {\n"
	"      connect_port 53\n"
	"      payload 00ff\n"
	"      require_reply 00XX\n"
	"      min_reply_length 2\n"
	"      max_reply_length 100\n"
	"    }\n"
	"    MISC_CHECK {\n"
	"      misc_path \"/bin/sh -c 'exit 0'\"\n"
	"      misc_timeout 5\n"
	"      misc_dynamic\n"
	"    }\n"
	"    DNS_CHECK {\n"
	"      type A\n"
	"      name www.example.com\n"
	"    }\n"
	"    PING_CHECK {\n"
	"      warmup 1\n"
	"    }\n"
	"  }\n"
	"}\n";

static void test_every_keyword(void **state)
{
	struct conf_log log;
	struct conf *c = load(full_conf, &log);
	struct vs_conf *vs;
	struct rs_conf *rs;
	struct check_conf *tcp, *http, *dns, *misc;

	assert_non_null(c);
	assert_clean(&log);
	assert_string_equal(c->g.router_id, "LVS_1");
	assert_string_equal(c->g.script_user, "nobody");
	assert_int_equal(c->g.enable_script_security, 1);
	assert_string_equal(c->g.ctl_socket, "/tmp/x.sock");
	assert_string_equal(c->g.ctl_group, "adm");
	assert_int_equal(c->g.ctl_mode, 0660);
	assert_string_equal(c->g.metrics_listen, "127.0.0.1:9405");
	assert_int_equal(vs_set(c)->drain_timeout, 30 * USEC_PER_SEC);
	assert_int_equal(vs_set(c)->n_vss, 1);
	vs = vs_set(c)->vss[0];
	assert_int_equal(vs->kind, VS_ADDR);
	assert_int_equal(vs->addr.af, AF_INET);
	assert_int_equal(vs->addr.port, 80);
	assert_int_equal(vs->delay_loop, 6 * USEC_PER_SEC);
	assert_string_equal(vs->sched, "wrr");
	assert_int_equal(vs->fwd, LVS_FWD_DROUTE);
	assert_int_equal(vs->persistence_timeout, 50);
	assert_int_equal(vs->r_netmask, htonl(0xffffff00));
	assert_int_equal(vs->protocol, IPPROTO_TCP);
	assert_int_equal(vs->svc_flags,
			 LVS_SVC_F_ONEPACKET | LVS_SVC_F_SCHED_SH_PORT);
	assert_int_equal(vs->delay_before_retry, 2500000);
	assert_int_equal(vs->warmup, 0);
	assert_int_equal(vs->inhibit_on_failure, 1);
	assert_int_equal(vs->alpha, 1);
	assert_int_equal(vs->omega, 1);
	assert_int_equal(vs->quorum, 2);
	assert_int_equal(vs->hysteresis, 1);
	assert_string_equal(vs->quorum_up.argv[0], "/bin/echo");
	assert_string_equal(vs->quorum_up.argv[1], "up");
	assert_string_equal(vs->quorum_down.user, "nobody");
	assert_int_equal(vs->sorry.port, 8080);
	assert_int_equal(vs->sorry_inhibit, 1);
	assert_string_equal(vs->virtualhost, "www.example.com");
	assert_int_equal(vs->drain_timeout, 10 * USEC_PER_SEC);
	assert_int_equal(vs->n_rss, 1);
	rs = vs->rss[0];
	assert_int_equal(rs->r_weight, 3);
	assert_int_equal(rs->r_fwd, LVS_FWD_MASQ);
	assert_int_equal(rs->uthreshold, 100);
	assert_int_equal(rs->lthreshold, 10);
	assert_string_equal(rs->notify_up.argv[1], "rs up");
	assert_false(rs->r_inhibit);
	assert_int_equal(rs->r_drain_timeout, 10 * USEC_PER_SEC);
	assert_int_equal(rs->n_checks, 6);
	tcp = rs->checks[0];
	http = rs->checks[1];
	misc = rs->checks[3];
	dns = rs->checks[4];
	assert_string_equal(tcp->ops->name, "TCP_CHECK");
	assert_int_equal(tcp->r_target.port, 8081);
	assert_int_equal(tcp->r_timeout, USEC_PER_SEC);
	assert_int_equal(tcp->r_retry, 5);		/* from the RS */
	assert_int_equal(tcp->r_delay, 2 * USEC_PER_SEC);
	assert_int_equal(tcp->r_dbr, 2500000);		/* from the VS */
	assert_int_equal(tcp->r_warmup, 0);
	assert_true(tcp->r_alpha);
	assert_int_equal(tcp->r_rise, 2);
	assert_int_equal(tcp->r_fall, 1);
	assert_int_equal(tcp->bind.af, AF_INET);
	assert_string_equal(http->ops->name, "HTTP_GET");
	assert_int_equal(http->r_retry, 3);		/* nb_get_retry */
	assert_int_equal(http->r_target.port, 8080);
	assert_int_equal(http->r_fall, 4);
	assert_string_equal(misc->ops->name, "MISC_CHECK");
	assert_int_equal(misc->r_target.port, 0);
	assert_string_equal(dns->ops->name, "DNS_CHECK");
	assert_string_equal(rs->checks[5]->ops->name, "PING_CHECK");
	assert_int_equal(rs->checks[5]->r_warmup, USEC_PER_SEC);
	conf_free(c);
	conf_log_free(&log);
}

static void test_defaults(void **state)
{
	struct conf_log log;
	struct conf *c = load("virtual_server 192.168.1.1 443 {\n"
			      "  protocol tcp\n"
			      "  real_server 192.168.2.1 {\n"
			      "    TCP_CHECK { }\n"
			      "    HTTP_GET { url { path / } }\n"
			      "    DNS_CHECK { }\n"
			      "    MISC_CHECK { misc_path /bin/true }\n"
			      "  }\n"
			      "}\n", &log);
	struct rs_conf *rs = vs_set(c)->vss[0]->rss[0];
	struct check_conf *tcp = rs->checks[0], *http = rs->checks[1];
	struct check_conf *dns = rs->checks[2], *misc = rs->checks[3];
	const struct conf_msg *m;

	assert_clean(&log);
	/* keepalived 2.2.7's -t counts applied defaults as errors. */
	assert_int_equal(conf_exit_code(&log), CONF_RC_ERRORS);
	m = find_msg(&log, "no scheduler set");
	assert_non_null(m);
	assert_int_equal(m->sev, CONF_DEFAULTED);
	assert_int_equal(m->line, 1);
	assert_non_null(find_msg(&log, "no forwarding method set"));
	assert_string_equal(vs_set(c)->vss[0]->sched, "wlc");
	assert_int_equal(vs_set(c)->vss[0]->fwd, LVS_FWD_MASQ);
	assert_int_equal(vs_set(c)->vss[0]->quorum, 1);
	assert_int_equal(vs_set(c)->vss[0]->hysteresis, 0);
	assert_int_equal(vs_set(c)->vss[0]->persistence_timeout, 0);
	assert_int_equal(rs->addr.port, 443);		/* the VS's port */
	assert_int_equal(rs->r_weight, 1);
	assert_false(rs->r_inhibit);
	assert_int_equal(rs->r_drain_timeout, 60 * USEC_PER_SEC);
	assert_int_equal(tcp->r_delay, 60 * USEC_PER_SEC);
	assert_int_equal(tcp->r_timeout, 5 * USEC_PER_SEC);
	assert_int_equal(tcp->r_retry, 1);
	assert_int_equal(tcp->r_dbr, 1 * USEC_PER_SEC);
	assert_int_equal(tcp->r_warmup, 60 * USEC_PER_SEC);
	assert_false(tcp->r_alpha);
	/* keepalived: DOWN after retry + 1 failures, UP after one success */
	assert_int_equal(tcp->r_fall, 2);
	assert_int_equal(tcp->r_rise, 1);
	assert_int_equal(http->r_dbr, 3 * USEC_PER_SEC);
	assert_int_equal(dns->r_retry, 3);
	assert_int_equal(dns->r_dbr, dns->r_delay);
	assert_int_equal(dns->r_fall, 4);
	assert_int_equal(dns->r_target.port, 443);
	assert_int_equal(misc->r_retry, 0);
	assert_int_equal(misc->r_fall, 1);
	conf_free(c);
	conf_log_free(&log);
}

static void test_more_keywords(void **state)
{
	struct conf_log log;
	struct conf *c = load(
		"global_defs {\n"
		"  lvs_id OLD_NAME\n"
		"  checker_log_all_failures on\n"
		"  vrrp_garp_interval 0.1\n"
		"  dynamic_interfaces\n"
		"  smtp_helo_name x\n"
		"}\n"
		"virtual_server 2001:db8::1 443 {\n"
		"  lvs_sched sh\n"
		"  lvs_method TUN type gue port 6080 remcsum\n"
		"  sh-fallback\n"
		"  mh-port\n"
		"  flag-3\n"
		"  hashed\n"
		"  persistence_engine sip\n"
		"  ha_suspend\n"
		"  smtp_alert\n"
		"  ip_family inet6\n"
		"  snmp_name web6\n"
		"  protocol SCTP\n"
		"  sorry_server [2001:db8::99]\n"
		"  sorry_server_lvs_method DR\n"
		"  real_server [2001:db8::10] 8443 {\n"
		"    lb_kind DR\n"
		"    smtp_alert\n"
		"    virtualhost v6.example\n"
		"    HTTP_GET {\n"
		"      url {\n"
		"        path /\n"
		"        regex ^ok\n"
		"        virtualhost u.example\n"
		"      }\n"
		"      bindto 2001:db8::2\n"
		"      bind_port 40000\n"
		"      bind_if eth0\n"
		"      fwmark 7\n"
		"      delay_loop 3\n"
		"      alpha off\n"
		"      log_all_failures yes\n"
		"      warmup 0.5\n"
		"    }\n"
		"  }\n"
		"}\n"
		"virtual_server_group V6 {\n"
		"  2001:db8::a-c 80\n"
		"  fwmark 9 inet6\n"
		"}\n"
		"virtual_server fwmark 3 inet6 {\n"
		"  lb_algo rr\n"
		"  lb_kind NAT\n"
		"  real_server 2001:db8::20 80 { }\n"
		"}\n", &log);
	struct vs_conf *vs = vs_set(c)->vss[0];
	struct rs_conf *rs = vs->rss[0];
	struct check_conf *h = rs->checks[0];

	assert_clean(&log);
	assert_int_equal(log.count[CONF_DEFAULTED], 0);
	assert_string_equal(c->g.router_id, "OLD_NAME");
	assert_int_equal(vs_set(c)->checker_log_all_failures, 1);
	assert_non_null(find_msg(&log, "'vrrp_garp_interval' is accepted"));
	assert_int_equal(vs->addr.af, AF_INET6);
	assert_string_equal(vs->sched, "sh");
	assert_int_equal(vs->fwd, LVS_FWD_TUNNEL);
	assert_int_equal(vs->tun_type, LVS_TUN_GUE);
	assert_int_equal(vs->tun_port, 6080);
	assert_int_equal(vs->tun_flags, LVS_TUN_F_REMCSUM);
	assert_int_equal(vs->svc_flags, LVS_SVC_F_SCHED_SH_FALLBACK |
			 LVS_SVC_F_SCHED_MH_PORT | LVS_SVC_F_SCHED3);
	assert_int_equal(vs->protocol, IPPROTO_SCTP);
	assert_int_equal(vs->sorry.af, AF_INET6);
	assert_int_equal(vs->sorry.port, 443);		/* the VS's port */
	assert_int_equal(vs->sorry_fwd, LVS_FWD_DROUTE);
	assert_int_equal(vs->r_netmask, 128);
	assert_int_equal(rs->addr.port, 8443);
	assert_int_equal(rs->r_fwd, LVS_FWD_DROUTE);
	assert_string_equal(rs->virtualhost, "v6.example");
	assert_int_equal(h->bind.af, AF_INET6);
	assert_int_equal(h->bind.port, 40000);
	assert_string_equal(h->bind_if, "eth0");
	assert_int_equal(h->fwmark, 7);
	assert_int_equal(h->r_delay, 3 * USEC_PER_SEC);
	assert_false(h->r_alpha);
	assert_int_equal(h->log_all_failures, 1);
	assert_int_equal(h->r_warmup, 500000);
	assert_null(find_msg(&log, "regex"));	/* compiled, no message */
	assert_int_equal(vs_set(c)->vsgs[0]->n, 3 + 1);
	assert_int_equal(vs_set(c)->vsgs[0]->ents[2].addr.u.in6.s6_addr[15], 0xc);
	assert_int_equal(vs_set(c)->vsgs[0]->ents[3].addr.af, AF_INET6);
	assert_int_equal(vs_set(c)->vss[1]->fwmark_af, AF_INET6);
	conf_free(c);
	conf_log_free(&log);
}

static void test_persistence_default(void **state)
{
	struct conf_log log;
	struct conf *c = load("virtual_server 10.0.0.1 0 {\n"
			      " persistence_timeout\n protocol UDP\n"
			      " real_server 10.0.0.2 53 { }\n}\n",
			      &log);

	assert_clean(&log);
	assert_int_equal(vs_set(c)->vss[0]->persistence_timeout, 360);
	assert_int_equal(vs_set(c)->vss[0]->protocol, IPPROTO_UDP);
	conf_free(c);
	conf_log_free(&log);
}

static void test_unknown_keyword_position(void **state)
{
	struct conf_log log;
	struct conf *c = load("global_defs {\n"
			      "  router_id a\n"
			      "}\n"
			      "virtual_server 10.0.0.1 80 {\n"
			      "  protocol TCP\n"
			      "  foo_bar 3\n"
			      "  frobnicate { a b\n c }\n"
			      "  real_server 10.0.0.2 80 {\n"
			      "    weight 2\n"
			      "  }\n"
			      "}\n", &log);
	const struct conf_msg *m = find_msg(&log, "Unknown keyword 'foo_bar'");

	assert_non_null(c);
	assert_non_null(m);
	assert_int_equal(m->sev, CONF_ERR);
	assert_int_equal(m->line, 6);
	assert_non_null(strstr(m->file, "main.conf"));
	m = find_msg(&log, "Unknown keyword 'frobnicate'");
	assert_non_null(m);
	assert_int_equal(m->line, 7);
	/* Parsing went on after both. */
	assert_int_equal(vs_set(c)->vss[0]->rss[0]->r_weight, 2);
	assert_int_equal(conf_exit_code(&log), CONF_RC_ERRORS);
	conf_free(c);
	conf_log_free(&log);
}

/* Scheduler names and flags come from lib/sched_names.c: no 'twos'. */
static void test_sched_names(void **state)
{
	struct conf_log log;
	struct conf *c = load("virtual_server 10.0.0.1 80 {\n"
			      " lb_algo twos\n"
			      " lb_kind NAT\n protocol TCP\n"
			      " sh-port\n mh-fallback\n flag-3\n"
			      " real_server 10.0.0.2 80 { }\n}\n", &log);
	const struct conf_msg *m = find_msg(&log, "Invalid lvs_scheduler "
					    "'twos'");

	assert_non_null(m);
	assert_int_equal(m->sev, CONF_ERR);
	assert_int_equal(m->line, 2);
	assert_int_equal(vs_set(c)->vss[0]->svc_flags,
			 LVS_SVC_F_SCHED_SH_PORT | LVS_SVC_F_SCHED1 |
			 LVS_SVC_F_SCHED3);
	for (const char *const *n = lvsc_sched_names(); *n; n++)
		assert_true(lvsc_sched_known(*n));
	assert_false(lvsc_sched_known("twos"));
	assert_string_equal(lvsc_sched_flag_name("sh", LVS_SVC_F_SCHED2),
			    "sh-port");
	assert_string_equal(lvsc_sched_flag_name("rr", LVS_SVC_F_SCHED2),
			    "flag-2");
	conf_free(c);
	conf_log_free(&log);
}

static void test_bad_values(void **state)
{
	struct conf_log log;
	struct conf *c = load("virtual_server 10.0.0.1 80 {\n"
			      "  protocol TCP\n"
			      "  lb_algo wrr\n"
			      "  lb_algo nosuch\n"
			      "  delay_loop abc\n"
			      "  quorum 0\n"
			      "  real_server 10.0.0.2 80 {\n"
			      "    weight 70000\n"
			      "    HTTP_GET {\n"
			      "      url {\n path /\n status_code 700\n"
			      "        digest 12\n }\n"
			      "    }\n"
			      "    HTTP_GET { }\n"
			      "    DNS_CHECK { type BOGUS }\n"
			      "    MISC_CHECK { }\n"
			      "  }\n"
			      "  real_server 10.0.0.300 80 { }\n"
			      "}\n", &log);
	const struct conf_msg *m;

	m = find_msg(&log, "Invalid lvs_scheduler 'nosuch'");
	assert_non_null(m);
	assert_int_equal(m->line, 4);
	assert_string_equal(vs_set(c)->vss[0]->sched, "wrr");	/* kept */
	m = find_msg(&log, "invalid delay_loop 'abc'");
	assert_non_null(m);
	assert_int_equal(m->line, 5);
	assert_int_equal(vs_set(c)->vss[0]->delay_loop, 60 * USEC_PER_SEC);
	assert_non_null(find_msg(&log, "invalid quorum '0'"));
	assert_non_null(find_msg(&log, "invalid weight '70000'"));
	assert_non_null(find_msg(&log, "status_code '700'"));
	assert_non_null(find_msg(&log, "digest must be 32 hex"));
	m = find_msg(&log, "HTTP_GET without a url");
	assert_non_null(m);
	assert_int_equal(m->line, 16);
	assert_non_null(find_msg(&log, "unknown DNS type 'BOGUS'"));
	assert_non_null(find_msg(&log, "MISC_CHECK without misc_path"));
	assert_non_null(find_msg(&log, "invalid address '10.0.0.300'"));
	assert_int_equal(conf_exit_code(&log), CONF_RC_ERRORS);
	conf_free(c);
	conf_log_free(&log);
}

/* fwmarks and tunnel ports: whole decimal numbers in range, at file:line. */
static void test_ranges(void **state)
{
	struct conf_log log;
	struct conf *c = load("virtual_server fwmark 4294967296 {\n"
			      "}\n"
			      "virtual_server fwmark -1 {\n"
			      "}\n"
			      "virtual_server_group G {\n"
			      "  fwmark 0x10\n"
			      "  fwmark 4294967295\n"
			      "}\n"
			      "virtual_server 10.0.0.1 80 {\n"
			      "  lb_kind TUN type gue port 70000\n"
			      "  lb_kind TUN type gue\n"
			      "  lb_kind TUN port 5\n"
			      "  real_server 10.0.0.2 80 {\n"
			      "    UDP_CHECK {\n"
			      "      payload 0g\n"
			      "      require_reply 7X 1 zz\n"
			      "      fwmark 4294967296\n"
			      "    }\n"
			      "    UDP_CHECK { payload }\n"
			      "  }\n"
			      "}\n", &log);
	const struct conf_msg *m;

	m = find_msg(&log, "invalid fwmark '4294967296'");
	assert_non_null(m);
	assert_int_equal(m->line, 1);
	m = find_msg(&log, "invalid fwmark '-1'");
	assert_non_null(m);
	assert_int_equal(m->line, 3);
	m = find_msg(&log, "invalid group fwmark '0x10'");
	assert_non_null(m);
	assert_int_equal(m->line, 6);
	m = find_msg(&log, "invalid gue tunnel port '70000'");
	assert_non_null(m);
	assert_int_equal(m->line, 10);
	m = find_msg(&log, "gue tunnels require a port");
	assert_non_null(m);
	assert_int_equal(m->line, 11);
	assert_non_null(find_msg(&log, "invalid hex string for UDP_CHECK "
				       "payload '0g'"));
	assert_non_null(find_msg(&log, "require_reply '7X 1 zz'"));
	m = find_msg(&log, "invalid fwmark '4294967296'");
	assert_non_null(m);
	m = find_msg(&log, "UDP_CHECK payload requires a payload");
	assert_non_null(m);
	assert_int_equal(m->line, 19);
	assert_int_equal(conf_exit_code(&log), CONF_RC_ERRORS);
	conf_free(c);
	conf_log_free(&log);
}

/* keepalived: a virtual server's weight is its real servers' default. */
static void test_vs_weight(void **state)
{
	struct conf_log log;
	struct conf *c = load("virtual_server 10.0.0.1 80 {\n"
			      "  lb_algo rr\n  lb_kind NAT\n  protocol TCP\n"
			      "  weight 7\n"
			      "  real_server 10.0.0.2 80 {\n"
			      "    snmp_name rs2\n"
			      "    TCP_CHECK { connect_timeout 1 }\n  }\n"
			      "  real_server 10.0.0.3 80 {\n    weight 0\n"
			      "    TCP_CHECK { connect_timeout 1 }\n  }\n"
			      "}\n", &log);

	assert_clean(&log);
	assert_int_equal(vs_set(c)->vss[0]->rss[0]->r_weight, 7);
	assert_int_equal(vs_set(c)->vss[0]->rss[1]->r_weight, 0);
	conf_free(c);
	conf_log_free(&log);
}

static void test_lexical(void **state)
{
	struct conf_log log;
	struct conf *c = load(
		"# comment\n"
		"! another\n"
		"virtual_server 10.0.0.1 80 { protocol TCP # trailing\n"
		"  lb_algo rr ! and another\n"
		"  real_server 10.0.0.2 80\n"
		"  {\n"
		"    notify_up \"/bin/echo \\\"a b\\\" \\x41\\101 'q'\"\n"
		"    notify_down '/bin/echo \"x y\"'\n"
		"    MISC_CHECK { misc_path \"/bin/echo #not a comment\" }\n"
		"  }\n"
		"}\n", &log);
	struct rs_conf *rs;

	assert_clean(&log);
	assert_string_equal(vs_set(c)->vss[0]->sched, "rr");
	rs = vs_set(c)->vss[0]->rss[0];
	assert_string_equal(rs->notify_up.argv[0], "/bin/echo");
	assert_string_equal(rs->notify_up.argv[1], "a b");
	assert_string_equal(rs->notify_up.argv[2], "AA");
	assert_string_equal(rs->notify_up.argv[3], "q");
	assert_string_equal(rs->notify_down.argv[1], "x y");
	assert_int_equal(rs->n_checks, 1);
	conf_free(c);
	conf_log_free(&log);
}

static void test_braces(void **state)
{
	struct conf_log log;
	struct conf *c = load("virtual_server 10.0.0.1 80 {\n"
			      "  protocol TCP\n"
			      "  real_server 10.0.0.3 80 { }\n"
			      "}\n"
			      "}\n"
			      "virtual_server 10.0.0.2 80 {\n"
			      "  protocol TCP\n"
			      "  real_server 10.0.0.3 80 { }\n", &log);
	const struct conf_msg *m = find_msg(&log, "Extra '}' found");

	assert_non_null(m);
	assert_int_equal(m->line, 5);
	assert_non_null(find_msg(&log, "There are 1 missing '}'s"));
	assert_int_equal(vs_set(c)->n_vss, 2);
	conf_free(c);
	conf_log_free(&log);
	c = load("virtual_server 10.0.0.1 80\n  protocol TCP\n", &log);
	assert_non_null(find_msg(&log, "'{' missing"));
	conf_free(c);
	conf_log_free(&log);
}

static void test_include(void **state)
{
	struct conf_log log;
	struct conf *c;
	char sub[128];
	const struct conf_msg *m;

	snprintf(sub, sizeof(sub), "%s/conf.d", dir);
	mkdir(sub, 0755);
	put("conf.d/a.conf", "virtual_server 10.0.0.1 80 {\n"
			     "  protocol TCP\n"
			     "  bogus_a\n"
			     "  real_server 10.0.1.9 80 { }\n"
			     "}\n");
	put("conf.d/b.conf", "virtual_server 10.0.0.2 80 {\n"
			     "  protocol TCP\n"
			     "  include ../rs.inc\n"
			     "}\n");
	put("rs.inc", "\n\nreal_server 10.0.1.1 80 {\n bogus_rs\n}\n");
	c = load("global_defs { router_id x }\n"
		 "include conf.d/*.conf\n"
		 "include nothing/*.conf\n"
		 "include conf.d/{a,b}.conf\n", &log);
	assert_non_null(c);
	assert_int_equal(vs_set(c)->n_vss, 4);
	assert_int_equal(vs_set(c)->vss[1]->n_rss, 1);
	m = find_msg(&log, "Unknown keyword 'bogus_a'");
	assert_non_null(m);
	assert_non_null(strstr(m->file, "conf.d/a.conf"));
	assert_int_equal(m->line, 3);
	m = find_msg(&log, "Unknown keyword 'bogus_rs'");
	assert_non_null(strstr(m->file, "rs.inc"));
	assert_int_equal(m->line, 4);
	m = find_msg(&log, "matches no file");
	assert_non_null(m);
	assert_int_equal(m->sev, CONF_WARN);
	assert_int_equal(m->line, 3);
	/* The same virtual server twice (the brace include) is an error. */
	assert_non_null(find_msg(&log, "virtual server defined twice"));
	conf_free(c);
	conf_log_free(&log);
}

static void test_vrrp_skipped(void **state)
{
	struct conf_log log;
	struct conf *c = load("vrrp_instance VI_1 {\n"
			      "  state MASTER\n"
			      "  virtual_ipaddress {\n    10.0.0.1\n  }\n"
			      "}\n"
			      "vrrp_sync_group G { group { VI_1 } }\n"
			      "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			      " real_server 10.0.0.2 80 { }\n}\n", &log);
	const struct conf_msg *m = find_msg(&log, "'vrrp_instance' block "
					    "skipped");

	/* No subsystem owns it: a warning at its place, no error. */
	assert_non_null(m);
	assert_int_equal(m->sev, CONF_WARN);
	assert_int_equal(m->line, 1);
	assert_non_null(find_msg(&log, "'vrrp_sync_group' block skipped"));
	assert_int_equal(vs_set(c)->n_vss, 1);
	assert_clean(&log);
	conf_free(c);
	conf_log_free(&log);
}

static void test_group_and_fwmark(void **state)
{
	struct conf_log log;
	struct conf *c = load("virtual_server_group G {\n"
			      "  10.0.0.1 80\n"
			      "  10.0.0.10-12 80\n"
			      "  10.0.1.0/30 443\n"
			      "  fwmark 7\n"
			      "}\n"
			      "virtual_server group G {\n protocol TCP\n"
			      " real_server 10.0.0.2 80 { }\n}\n"
			      "virtual_server fwmark 5 {\n"
			      "  protocol TCP\n"
			      "  real_server 10.0.0.2 80 { }\n"
			      "}\n"
			      "virtual_server group NOPE { }\n", &log);
	const struct vsg_conf *g = vs_set(c)->vsgs[0];

	assert_int_equal(g->n, 1 + 3 + 4 + 1);
	assert_int_equal(ntohl(g->ents[3].addr.u.in.s_addr), 0x0a00000c);
	assert_int_equal(g->ents[4].addr.port, 443);
	assert_int_equal(g->ents[8].fwmark, 7);
	assert_ptr_equal(vs_set(c)->vss[0]->r_group, g);
	assert_int_equal(vs_set(c)->vss[1]->kind, VS_FWMARK);
	assert_int_equal(vs_set(c)->vss[1]->fwmark, 5);
	assert_int_equal(vs_set(c)->vss[1]->protocol, 0);
	assert_non_null(find_msg(&log, "protocol is ignored"));
	assert_non_null(find_msg(&log, "'NOPE' not defined"));
	conf_free(c);
	conf_log_free(&log);
}

/* global_defs' lvs_timeouts: pairs in any order; bad lines change nothing. */
static void test_lvs_timeouts(void **state)
{
	static const char *const bad[] = {
		"lvs_timeouts tcp", "lvs_timeouts tcp 0",
		"lvs_timeouts tcpfin -1", "lvs_timeouts sctp 5",
		"lvs_timeouts udp 2678401", "lvs_timeouts tcp 10 udp",
	};
	const char *vs = "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			 " real_server 10.0.0.2 80 { }\n}\n";
	struct conf_log log;
	struct conf *c;
	char text[512];

	snprintf(text, sizeof(text), "global_defs {\n"
		 "  lvs_timeouts udp 300 tcp 900\n  lvs_timeouts tcpfin 60\n"
		 "}\n%s", vs);
	c = load(text, &log);
	assert_clean(&log);
	assert_int_equal(vs_set(c)->tmo_tcp, 900);
	assert_int_equal(vs_set(c)->tmo_tcpfin, 60);
	assert_int_equal(vs_set(c)->tmo_udp, 300);
	conf_free(c);
	conf_log_free(&log);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct conf_msg *m;

		snprintf(text, sizeof(text), "global_defs {\n  %s\n}\n%s",
			 bad[i], vs);
		c = load(text, &log);
		m = find_msg(&log, "lvs_timeouts");
		assert_non_null(m);
		assert_int_equal(m->sev, CONF_ERR);
		assert_int_equal(m->line, 2);
		assert_int_equal(vs_set(c)->tmo_tcp + vs_set(c)->tmo_tcpfin +
				 vs_set(c)->tmo_udp, 0);
		conf_free(c);
		conf_log_free(&log);
	}
}

/*
 * ip_family, as keepalived: a fwmark service takes it (else its first
 * untunnelled server's family); real servers of the other family are
 * refused at their line unless tunnelled.
 */
static void test_ip_family(void **state)
{
	struct conf_log log;
	struct conf *c;
	const struct conf_msg *m;

	c = load("virtual_server fwmark 5 {\n  ip_family inet6\n"
		 "  real_server fd00::2 80 { }\n}\n"
		 "virtual_server fwmark 6 {\n"
		 "  real_server fd00::3 80 { }\n}\n"
		 "virtual_server fwmark 7 {\n  lb_kind TUN\n"
		 "  real_server fd00::4 80 { }\n"
		 "  real_server 10.0.0.4 80 { }\n}\n"
		 "virtual_server 10.0.0.1 80 {\n  ip_family inet\n"
		 "  protocol TCP\n  real_server 10.0.0.2 80 { }\n}\n", &log);
	assert_clean(&log);
	assert_int_equal(vs_set(c)->vss[0]->fwmark_af, AF_INET6);
	assert_int_equal(vs_set(c)->vss[1]->fwmark_af, AF_INET6);
	assert_int_equal(vs_set(c)->vss[2]->fwmark_af, AF_INET);
	conf_free(c);
	conf_log_free(&log);

	c = load("virtual_server fwmark 5 {\n  ip_family inet\n"
		 "  real_server 10.0.0.2 80 { }\n"
		 "  real_server fd00::2 80 { }\n"
		 "  real_server fd00::3 80 { lvs_method TUN }\n}\n"
		 "virtual_server 10.0.0.1 80 {\n  protocol TCP\n"
		 "  ip_family inet6\n"
		 "  real_server 10.0.0.2 80 { }\n}\n"
		 "virtual_server fwmark 8 inet6 {\n  ip_family inet\n"
		 "  real_server fd00::2 80 { }\n  ip_family ipx\n}\n", &log);
	m = find_msg(&log, "real server [fd00::2]:80 is IPv6");
	assert_non_null(m);
	assert_int_equal(m->sev, CONF_ERR);
	assert_int_equal(m->line, 4);
	assert_null(find_msg(&log, "[fd00::3]:80 is IPv6"));
	m = find_msg(&log, "ip_family inet6 conflicts");
	assert_non_null(m);
	assert_int_equal(m->line, 9);
	m = find_msg(&log, "ip_family inet conflicts");
	assert_non_null(m);
	assert_int_equal(m->line, 13);
	m = find_msg(&log, "ip_family must be inet or inet6");
	assert_non_null(m);
	assert_int_equal(m->line, 15);
	conf_free(c);
	conf_log_free(&log);
}

static void test_conditional_and_vars(void **state)
{
	struct conf_opts o = { .config_id = "lb1" };
	struct conf_log log;
	struct conf *c = load_opts("$PORT=8080\n"
				   "virtual_server 10.0.0.1 ${PORT} {\n"
				   "  protocol TCP\n"
				   "@lb1 lb_algo rr\n"
				   "@lb2 lb_algo sh\n"
				   "@^lb1 delay_loop 9\n"
				   "  real_server 10.0.0.2 $PORT { }\n"
				   "}\n", &log, &o);

	assert_clean(&log);
	assert_int_equal(vs_set(c)->vss[0]->addr.port, 8080);
	assert_string_equal(vs_set(c)->vss[0]->sched, "rr");
	assert_int_equal(vs_set(c)->vss[0]->delay_loop, 60 * USEC_PER_SEC);
	assert_int_equal(vs_set(c)->vss[0]->rss[0]->addr.port, 8080);
	conf_free(c);
	conf_log_free(&log);
}

static void test_missing_file(void **state)
{
	struct conf_log log = { 0 };
	struct conf *c = conf_load("/nonexistent/keepalived.conf", NULL, &log);

	assert_null(c);
	assert_int_equal(conf_exit_code(&log), CONF_RC_FATAL);
	conf_log_free(&log);
}

static void test_writable_warning(void **state)
{
	struct conf_log log = { 0 };
	struct conf *c;

	chmod(put("w.conf", "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		  " real_server 10.0.0.2 80 { }\n}\n"), 0666);
	c = conf_load(put("main.conf", "include w.conf\n"), NULL, &log);
	assert_non_null(find_msg(&log, "writable by others"));
	assert_int_equal(vs_set(c)->n_vss, 1);
	conf_free(c);
	conf_log_free(&log);
}

static void test_writable_script(void **state)
{
	struct conf_log log;
	char text[512];
	struct conf *c;
	const struct conf_msg *m;
	int lines = 0;

	chmod(put("s.sh", "#!/bin/sh\n"), 0777);
	snprintf(text, sizeof(text),
		 "virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		 " real_server 10.0.0.2 80 {\n  notify_up %s/s.sh\n"
		 "  MISC_CHECK {\n   misc_path \"%s/s.sh arg\"\n  }\n"
		 " }\n}\n", dir, dir);
	c = load(text, &log);
	for (size_t i = 0; i < log.n; i++) {
		m = &log.msgs[i];
		if (strstr(m->text, "s.sh' is writable by others"))
			lines |= 1 << m->line;
	}
	/* notify_up: at its real server; misc_path: at its checker's '}'. */
	assert_int_equal(lines, 1 << 3 | 1 << 7);
	conf_free(c);
	conf_log_free(&log);
}

static void test_duplicates(void **state)
{
	struct conf_log log;
	struct conf *c = load("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
			      " real_server 10.0.0.2 80 { }\n"
			      " real_server 10.0.0.2 80 { }\n}\n"
			      "virtual_server 10.0.0.1 {\n protocol TCP\n}\n",
			      &log);
	const struct conf_msg *m = find_msg(&log, "listed twice");

	assert_non_null(m);
	assert_int_equal(m->line, 4);
	m = find_msg(&log, "port is required");
	assert_non_null(m);
	assert_int_equal(m->line, 6);
	conf_free(c);
	conf_log_free(&log);
}

static void test_keepalived_samples(void **state)
{
	static const char *const samples[] = {
		"/usr/share/doc/keepalived/samples/keepalived.conf.sample",
		"/usr/share/doc/keepalived/samples/keepalived.conf.HTTP_GET.port",
		"/usr/share/doc/keepalived/samples/keepalived.conf.misc_check",
		"/usr/share/doc/keepalived/samples/keepalived.conf.virtualhost",
		"/usr/share/doc/keepalived/samples/keepalived.conf.fwmark",
	};

	for (size_t i = 0; i < sizeof(samples) / sizeof(*samples); i++) {
		struct conf_log log = { 0 };
		struct conf *c;

		if (access(samples[i], R_OK))
			continue;
		c = conf_load(samples[i], NULL, &log);
		assert_non_null(c);
		assert_int_equal(log.count[CONF_FATAL], 0);
		conf_free(c);
		conf_log_free(&log);
	}
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/lvsd-conf-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* lvsd's vm_pool block: settings, defaults, errors at file:line. */
static void test_vm_pool(void **state)
{
	struct conf_log log;
	struct conf *c;
	const struct conf_msg *m;
	const struct pool_conf *pc;
	char text[2048];

	snprintf(text, sizeof(text),
		 "vm_pool web {\n"
		 "  kernel %s\n  initrd %s\n"
		 "  size 2\n  max 4\n  bridge lvsbr0\n"
		 "  bridge_address 10.77.0.1/24\n"
		 "  address_range 10.77.0.10-10.77.0.20\n"
		 "  mac_prefix 02:00:01\n  accel tcg\n"
		 "  qemu /bin/true\n"
		 "  qemu_args -object rng-random,id=r,filename=/dev/urandom\n"
		 "  restart_backoff 0.5\n"
		 "}\n"
		 "virtual_server 10.0.0.1 80 {\n"
		 "  real_server_pool web {\n"
		 "    TCP_CHECK { connect_timeout 2 }\n"
		 "  }\n"
		 "}\n", put("vmlinuz", "k"), put("initrd", "i"));
	c = load(text, &log);
	assert_non_null(c);
	assert_false(conf_has_errors(&log));
	pc = conf_find_pool(c, "web");
	assert_non_null(pc);
	assert_int_equal(pc->v.size, 2);
	assert_int_equal(pc->v.max, 4);
	assert_int_equal(pc->v.memory_mb, 128);		/* default */
	assert_int_equal(pc->v.prefix, 24);
	assert_int_equal(pc->v.range_hi - pc->v.range_lo, 10);
	assert_int_equal(pc->v.mac_prefix[0], 0x02);
	assert_int_equal(pc->v.accel, VMM_ACCEL_TCG);
	assert_string_equal(pc->v.qemu_args[1], "rng-random,id=r,filename=/dev/urandom");
	assert_int_equal(pc->v.restart.backoff_base, 500000);
	assert_int_equal(vs_set(c)->n_vss, 1);			/* kept: it has a pool */
	assert_string_equal(vs_set(c)->vss[0]->pool, "web");
	assert_int_equal(vs_set(c)->vss[0]->pool_rs->checks[0]->r_target.port, 80);
	assert_int_equal(vs_set(c)->vss[0]->pool_rs->r_weight, 1);	/* default */
	conf_free(c);
	conf_log_free(&log);

	/* A pool that cannot start is fatal, at its line. */
	c = load("\n"
		 "vm_pool web {\n  kernel /nonexistent/k\n  initrd /x\n"
		 "  bridge b\n  address_range 10.0.0.1-10.0.0.9\n}\n"
		 "vm_pool bad-name { }\n"
		 "virtual_server 10.0.0.1 80 {\n"
		 "  real_server_pool nosuch { }\n}\n", &log);
	m = find_msg(&log, "vm_pool web: kernel /nonexistent/k");
	assert_non_null(m);
	assert_int_equal(m->line, 2);
	assert_int_equal(m->sev, CONF_FATAL);
	m = find_msg(&log, "invalid name 'bad-name'");
	assert_non_null(m);
	assert_int_equal(m->line, 8);
	m = find_msg(&log, "real_server_pool 'nosuch': no vm_pool");
	assert_non_null(m);
	assert_int_equal(m->line, 10);
	conf_free(c);
	conf_log_free(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_keyword),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_more_keywords),
		cmocka_unit_test(test_persistence_default),
		cmocka_unit_test(test_unknown_keyword_position),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_sched_names),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_vs_weight),
		cmocka_unit_test(test_lexical),
		cmocka_unit_test(test_braces),
		cmocka_unit_test(test_include),
		cmocka_unit_test(test_vrrp_skipped),
		cmocka_unit_test(test_vm_pool),
		cmocka_unit_test(test_group_and_fwmark),
		cmocka_unit_test(test_lvs_timeouts),
		cmocka_unit_test(test_ip_family),
		cmocka_unit_test(test_conditional_and_vars),
		cmocka_unit_test(test_missing_file),
		cmocka_unit_test(test_writable_warning),
		cmocka_unit_test(test_writable_script),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_keepalived_samples),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
