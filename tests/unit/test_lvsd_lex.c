// SPDX-License-Identifier: GPL-2.0
/*
 * test_lvsd_lex.c - the configuration lexer's bounds and keepalived's
 * parameter semantics: include cycles, expansion caps, lazy and recursive
 * $VARIABLES, multiline definitions, predefined names, ~SEQ / ~LST, the
 * default config id; and every input in fixtures/conf_fuzz/ (crashers the
 * fuzz target found, kept as regression inputs) loads without a crash.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "conf_vmm.h"
#include "vs_conf.h"

/* The virtual-server subsystem's configuration half, as lvsd registers it. */
static const struct subsys vs_conf_only = { .name = VS_SUBSYS_NAME,
					    VS_SUBSYS_CONF };
SUBSYS_REGISTER(vs_conf_only)
static const struct subsys pool_conf_only = { .name = POOL_SUBSYS_NAME,
					      POOL_SUBSYS_CONF };
SUBSYS_REGISTER(pool_conf_only)

#ifndef FIXTURES
#define FIXTURES "fixtures"
#endif

static char dir[PATH_MAX];

static const char *put(const char *name, const char *text)
{
	static char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, 0644);
	return path;
}

static struct conf *load(const char *text, struct conf_log *log,
			 const char *id)
{
	struct conf_opts o = { .config_id = id };

	memset(log, 0, sizeof(*log));
	return conf_load(put("main.conf", text), id ? &o : NULL, log);
}

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

static void done(struct conf *c, struct conf_log *log)
{
	conf_free(c);
	conf_log_free(log);
}

/* A lone quote used to hand a NULL word to the parser. */
static void test_lone_quote(void **state)
{
	static const char *const texts[] = { "\"\n", "'\n", "\"", "x \"\n",
		"virtual_server \"\n", "\"\" {\n", "$A=\"\n$A\n" };
	struct conf_log log;

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct conf *c = load(texts[i], &log, NULL);

		assert_non_null(c);
		assert_int_equal(conf_exit_code(&log), CONF_RC_ERRORS);
		done(c, &log);
	}
}

static void test_include_cycle(void **state)
{
	struct conf_log log;
	const struct conf_msg *m;
	struct conf *c;

	put("self.conf", "global_defs { router_id x }\n"
			 "include self.conf\ninclude self.conf\n");
	c = load("include self.conf\n", &log, NULL);
	m = find_msg(&log, "include cycle");
	assert_non_null(m);
	assert_int_equal(m->sev, CONF_WARN);	/* keepalived's -t says 0 */
	assert_non_null(strstr(m->file, "self.conf"));
	assert_int_equal(m->line, 2);
	assert_true(log.n < 10);
	done(c, &log);
	/* a -> b -> a */
	put("a.inc", "\ninclude b.inc\n");
	put("b.inc", "include a.inc\n");
	c = load("include a.inc\n", &log, NULL);
	m = find_msg(&log, "include cycle");
	assert_non_null(m);
	assert_non_null(strstr(m->file, "b.inc"));
	assert_int_equal(m->line, 1);
	done(c, &log);
	/* The same file twice, not nested, is no cycle. */
	put("rs.inc", "real_server 10.0.1.1 80 { }\n");
	c = load("virtual_server 10.0.0.1 80 {\n protocol TCP\n"
		 " include rs.inc\n}\n"
		 "virtual_server 10.0.0.2 80 {\n protocol TCP\n"
		 " include rs.inc\n}\n", &log, NULL);
	assert_null(find_msg(&log, "include cycle"));
	assert_int_equal(vs_set(c)->n_vss, 2);
	assert_int_equal(vs_set(c)->vss[1]->n_rss, 1);
	done(c, &log);
}

/* Each file includes the next one twice: 2^30 reads without a bound. */
static void test_include_fanout(void **state)
{
	struct conf_log log;
	char name[32], text[128];
	struct conf *c;

	for (int i = 0; i < 30; i++) {
		snprintf(name, sizeof(name), "f%d.inc", i);
		snprintf(text, sizeof(text), "include f%d.inc f%d.inc\n",
			 i + 1, i + 1);
		put(name, text);
	}
	put("f30.inc", "global_defs { router_id x }\n");
	c = load("include f0.inc\n", &log, NULL);
	assert_non_null(find_msg(&log, "more than 4096 files"));
	assert_int_equal(conf_exit_code(&log), CONF_RC_FATAL);
	done(c, &log);
}

static void test_expansion_caps(void **state)
{
	char text[4096];
	struct conf_log log;
	const struct conf_msg *m;
	struct conf *c;
	size_t n = 0;

	/* Doubling definitions: 2^40 bytes if nothing stopped it. */
	n += snprintf(text + n, sizeof(text) - n, "$A0=xxxxxxxx\n");
	for (int i = 1; i <= 40; i++)
		n += snprintf(text + n, sizeof(text) - n,
			      "$A%d=${A%d}${A%d}\n", i, i - 1, i - 1);
	snprintf(text + n, sizeof(text) - n,
		 "global_defs {\n router_id ${A40}\n}\n");
	c = load(text, &log, NULL);
	m = find_msg(&log, "parameter expansion");
	assert_non_null(m);
	assert_int_equal(m->sev, CONF_ERR);
	assert_int_equal(m->line, 43);
	done(c, &log);
	/* A parameter that refers to itself. */
	c = load("$A=x$A\nglobal_defs {\n router_id ${A}\n}\n", &log, NULL);
	assert_non_null(find_msg(&log, "parameter expansion"));
	done(c, &log);
	c = load("$A=${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}"
		 "${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}"
		 "${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}"
		 "${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}"
		 "${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}${A}"
		 "\nglobal_defs {\n router_id ${A}\n}\n", &log, NULL);
	/* 75 copies a step: the line's work bound is reached first */
	assert_non_null(find_msg(&log, "scans more than 16 MiB"));
	done(c, &log);
	c = load("$A=${B}\n$B=${A}\nglobal_defs { router_id $A }\n", &log,
		 NULL);
	assert_non_null(find_msg(&log, "more than 10000 substitutions"));
	done(c, &log);
	/*
	 * Unbraced references run together are not references, so each
	 * pass over the line finds one: the count is per line, over every
	 * pass (this took seconds a line before it was).
	 */
	n = snprintf(text, sizeof(text), "$E=\n$D0=");
	for (int i = 0; i < 50; i++)
		n += snprintf(text + n, sizeof(text) - n, "$E");
	for (int i = 1; i <= 15; i++)
		n += snprintf(text + n, sizeof(text) - n,
			      "\n$D%d=$D%d$D%d", i, i - 1, i - 1);
	snprintf(text + n, sizeof(text) - n,
		 "\nglobal_defs {\n router_id $D15 x\n}\n");
	c = load(text, &log, NULL);
	m = find_msg(&log, "more than 10000 substitutions");
	assert_non_null(m);
	assert_int_equal(m->line, 19);
	done(c, &log);
	/* A large value used on many lines: the expansions' total work. */
	{
		size_t big = 300000, len = big + 64 + 400 * 24;
		char *t = malloc(len);

		assert_non_null(t);
		n = snprintf(t, len, "$T=");
		memset(t + n, 'x', big);
		n += big;
		n += snprintf(t + n, len - n, "\nglobal_defs {\n");
		for (int i = 0; i < 400; i++)
			n += snprintf(t + n, len - n, " router_id ${T}\n");
		snprintf(t + n, len - n, "}\n");
		c = load(t, &log, NULL);
		m = find_msg(&log, "more than 64 MiB in all");
		assert_non_null(m);
		assert_int_equal(m->sev, CONF_FATAL);
		done(c, &log);
		free(t);
	}
	/* A multiline definition that expands itself. */
	c = load("$M= \\\n  router_id x \\\n  $M\nglobal_defs {\n$M\n}\n",
		 &log, NULL);
	assert_non_null(find_msg(&log, "nested deeper"));
	done(c, &log);
	/* Sequences: a billion steps, nested to 2^60 lines. */
	c = load("~SEQ(I, 0, 1000000000) @nowhere $I\n", &log, NULL);
	assert_non_null(find_msg(&log, "repetitions"));
	assert_int_equal(conf_exit_code(&log), CONF_RC_FATAL);
	done(c, &log);
	c = load("~SEQ(I, 0, 1000000000) ~SEQ(J, 0, 1000000000) "
		 "@nowhere xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		 "xxxxxx $I$J\n", &log, NULL);
	assert_non_null(find_msg(&log, "more than 32 MiB"));
	assert_int_equal(conf_exit_code(&log), CONF_RC_FATAL);
	done(c, &log);
}

/* keepalived.conf(5): substitution at use, recursive, braces needed. */
static void test_lazy_recursive(void **state)
{
	struct conf_log log;
	struct conf *c;

	c = load("$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n"
		 "$ADDRESS_BASE_SUB=0\n"
		 "virtual_server ${ADDRESS_BASE}.100 80 {\n protocol TCP\n"
		 " real_server 10.0.0.1 80 { }\n}\n"
		 "$ADDRESS_BASE_SUB=10\n"
		 "virtual_server ${ADDRESS_BASE}.100 80 {\n protocol TCP\n"
		 " real_server 10.0.0.1 80 { }\n}\n", &log, NULL);
	assert_clean(&log);
	assert_int_equal(vs_set(c)->n_vss, 2);
	assert_int_equal(ntohl(vs_set(c)->vss[0]->addr.u.in.s_addr), 0x0a020064);
	assert_int_equal(ntohl(vs_set(c)->vss[1]->addr.u.in.s_addr), 0x0a020a64);
	done(c, &log);
	/* $NAME needs a blank, ',' or ')' after it; undefined stays. */
	c = load("$ID=lb\nglobal_defs {\n router_id $ID.x${ID}y$NOPE\n}\n",
		 &log, NULL);
	assert_string_equal(c->g.router_id, "$ID.xlby$NOPE");
	done(c, &log);
	/* A value holding '@id' is a conditional line once expanded. */
	c = load("$IF_MAIN=@main\nglobal_defs {\n$IF_MAIN router_id m\n}\n",
		 &log, "main");
	assert_string_equal(c->g.router_id, "m");
	done(c, &log);
	c = load("$IF_MAIN=@main\nglobal_defs {\n$IF_MAIN router_id m\n}\n",
		 &log, "backup");
	assert_null(c->g.router_id);
	done(c, &log);
}

/* The man page's nested multiline example, reduced. */
static void test_multiline(void **state)
{
	struct conf_log log;
	struct conf *c;

	c = load("$RS= \\\n"
		 "real_server 192.168.${VS_NUM}.${RS_NUM} 80 { \\\n"
		 "    weight ${RS_NUM} \\\n"
		 "}\n"
		 "$VS= \\\n"
		 "virtual_server 10.0.${VS_NUM}.4 80 { \\\n"
		 "  protocol TCP   \\\n"
		 "  lb_algo rr\\\n"
		 "  lb_kind NAT \\\n"
		 "  $RS_NUM=1 \\\n"
		 "  $RS \\\n"
		 "  $RS_NUM=2 \\\n"
		 "  $RS \\\n"
		 "  $RS_NUM=3 \\\n"
		 "  $RS \\\n"
		 "}\n"
		 "$VS_NUM=0\n"
		 "$VS\n"
		 "$VS_NUM=1\n"
		 "$VS\n", &log, NULL);
	assert_clean(&log);
	assert_int_equal(vs_set(c)->n_vss, 2);
	assert_int_equal(ntohl(vs_set(c)->vss[1]->addr.u.in.s_addr), 0x0a000104);
	assert_int_equal(vs_set(c)->vss[1]->n_rss, 3);
	assert_int_equal(ntohl(vs_set(c)->vss[1]->rss[2]->addr.u.in.s_addr),
			 0xc0a80103);
	assert_int_equal(vs_set(c)->vss[1]->rss[2]->weight, 3);
	assert_int_equal(vs_set(c)->vss[0]->rss[0]->line, 18);
	done(c, &log);
	/* A multiline value only where it ends the line. */
	c = load("$M=router_id \\\n  a\nglobal_defs {\n $M x\n}\n", &log,
		 NULL);
	assert_non_null(find_msg(&log, "Unknown keyword '$M'"));
	done(c, &log);
	/*
	 * A value whose first line begins a multiline definition: its next
	 * line goes on with it, and a definition after it that adds a
	 * parameter (the table moves) used to leave the lexer pointing into
	 * the freed table (found by fuzz_conf in CI).
	 */
	c = load("$M=$A=router_id a \\\\\n"
		 "  smtp_server 127.0.0.1 \\\n"
		 "$B=unused \\\n"
		 "$C=1\n"
		 "$M\n"
		 "$N=1\n"
		 "global_defs {\n $A\n}\n", &log, NULL);
	assert_clean(&log);
	assert_string_equal(c->g.router_id, "a");
	assert_int_equal(c->g.smtp_server.af, AF_INET);
	done(c, &log);
}

static void test_predefined(void **state)
{
	struct conf_log log;
	struct utsname u;
	char want[400], host[80];
	struct conf *c;

	c = load("global_defs {\n router_id ${_PWD}\n}\n", &log, NULL);
	assert_string_equal(c->g.router_id, dir);
	done(c, &log);
	c = load("global_defs {\n router_id ${_INSTANCE}\n}\n", &log, "lb7");
	assert_string_equal(c->g.router_id, "lb7");
	done(c, &log);
	c = load("global_defs {\n router_id a${_HASH}b${_BANG}c\n}\n", &log,
		 NULL);
	assert_string_equal(c->g.router_id, "a#b!c");
	done(c, &log);
	c = load("global_defs {\n router_id ${_RANDOM 5 5}\n}\n", &log, NULL);
	assert_string_equal(c->g.router_id, "5");
	done(c, &log);
	/* A definition overrides a predefined name. */
	c = load("$_PWD=here\nglobal_defs {\n router_id ${_PWD}\n}\n", &log,
		 NULL);
	assert_string_equal(c->g.router_id, "here");
	done(c, &log);
	/* The config id defaults to the host name up to its first dot. */
	assert_int_equal(uname(&u), 0);
	snprintf(host, sizeof(host), "%.*s", (int)strcspn(u.nodename, "."),
		 u.nodename);
	snprintf(want, sizeof(want), "global_defs {\n@%s router_id h\n"
		 "@^%s router_id nh\n}\n", host, host);
	c = load(want, &log, NULL);
	assert_string_equal(c->g.router_id, "h");
	done(c, &log);
	c = load("global_defs {\n router_id ${_INSTANCE}\n}\n", &log, NULL);
	assert_string_equal(c->g.router_id, host);
	done(c, &log);
}

static void test_seq_lst(void **state)
{
	struct conf_log log;
	struct conf *c;
	const struct vsg_conf *g;

	c = load("virtual_server_group G {\n"
		 "  ~SEQ(SUBNET, 0, 3) 10.0.${SUBNET}.1 80\n"
		 "  ~SEQx(S6, 0x90, 0x10, 0xc0) fe80::20:${S6}:1 80\n"
		 "  ~LST({IP, IP1}, {10,1},{20,4}) 192.168.${IP}.${IP1} 80\n"
		 "  ~LST(A, 1, 2) ~SEQ(B, 2) 172.16.${A}.${B} 80\n"
		 "  ~SEQ(D, 3, 1) 10.9.9.${D} 80\n"
		 "}\n", &log, NULL);
	assert_clean(&log);
	g = vs_set(c)->vsgs[0];
	assert_int_equal(g->n, 4 + 4 + 2 + 4 + 3);
	assert_int_equal(ntohl(g->ents[3].addr.u.in.s_addr), 0x0a000301);
	assert_int_equal(g->ents[5].addr.af, AF_INET6);
	assert_int_equal(ntohs(g->ents[5].addr.u.in6.s6_addr16[6]), 0xa0);
	assert_int_equal(ntohl(g->ents[9].addr.u.in.s_addr), 0xc0a81404);
	assert_int_equal(ntohl(g->ents[13].addr.u.in.s_addr), 0xac100202);
	assert_int_equal(ntohl(g->ents[14].addr.u.in.s_addr), 0x0a090903);
	assert_int_equal(ntohl(g->ents[16].addr.u.in.s_addr), 0x0a090901);
	done(c, &log);
	c = load("~SEQ(X, 1, -1, 5) a\n~SEQx(X, -1, 2) b\n~LST({A,B}, 1) c\n"
		 "~SEQ X\n~FOO x\n", &log, NULL);
	assert_non_null(find_msg(&log, "invalid ~SEQ values"));
	assert_non_null(find_msg(&log, "does not match"));
	assert_non_null(find_msg(&log, "invalid ~SEQ specification"));
	assert_non_null(find_msg(&log, "unknown '~' directive '~FOO'"));
	done(c, &log);
}

static void test_comments(void **state)
{
	struct conf_log log;
	struct conf *c;

	c = load("global_defs { # a comment\n router_id \"a#b\" ! another\n"
		 "}\n", &log, NULL);
	assert_clean(&log);
	assert_string_equal(c->g.router_id, "a#b");
	done(c, &log);
	c = load("global_defs {\n router_id a\\#b\n}\n", &log, NULL);
	assert_string_equal(c->g.router_id, "a#b");
	done(c, &log);
}

/* Every kept crasher loads, with bounded memory, without a report. */
static void test_fuzz_regressions(void **state)
{
	DIR *d = opendir(FIXTURES "/conf_fuzz");
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char path[PATH_MAX + 300];
		struct conf_log log = { 0 };
		struct conf *c;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), FIXTURES "/conf_fuzz/%s",
			 e->d_name);
		c = conf_load(path, NULL, &log);
		conf_free(c);
		conf_log_free(&log);
		n++;
	}
	closedir(d);
	assert_true(n > 0);
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/lvsd-lex.XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	/* realpath: ${_PWD} is absolute and /tmp may be a link */
	{
		char *r = realpath(dir, NULL);

		snprintf(dir, sizeof(dir), "%s", r);
		free(r);
	}
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) ? -1 : 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lone_quote),
		cmocka_unit_test(test_include_cycle),
		cmocka_unit_test(test_include_fanout),
		cmocka_unit_test(test_expansion_caps),
		cmocka_unit_test(test_lazy_recursive),
		cmocka_unit_test(test_multiline),
		cmocka_unit_test(test_predefined),
		cmocka_unit_test(test_seq_lst),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_fuzz_regressions),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
