// SPDX-License-Identifier: GPL-2.0
/*
 * test_healthcheck.c - the checkers on the runtime alone, without lvsd:
 * they register, their blocks parse through the configuration framework
 * (from a root block of this test's own), and a MISC_CHECK probe runs on
 * the event loop, as does an HTTP_GET against a forked server, with
 * socket() failing on demand (this file's socket() stands in for libc's).  Built from healthcheck/ and runtime/ only (healthcheck.mk).
 */
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "checker.h"
#include "conf_int.h"
#include "loop.h"
#include "script.h"

static char dir[64];

/* What the test's root block collects: the checkers it opened. */
struct root {
	struct check_conf	*c[8];
	size_t			n;
};

static int kw_open(struct conf_parser *p, const struct conf_kw *kw,
		   void *obj, int argc, char **argv)
{
	struct root *r = obj;
	struct check_conf *c = check_conf_new(p, checker_find(argv[0]));

	assert_true(r->n < 8);
	r->c[r->n++] = c;
	conf_set_child(p, c);
	return 0;
}

static const struct conf_kw open_kw = {
	.name = "checker", .parse = kw_open, .block = &checker_block,
};

static const struct conf_kw *root_lookup(void *obj, const char *name,
					 void **kwobj)
{
	*kwobj = obj;
	return checker_find(name) ? &open_kw : NULL;
}

static const struct conf_block root_block = {
	.name = "test", .lookup = root_lookup,
};

static void parse(const char *text, struct root *r, struct conf_log *log)
{
	struct conf_lexer l = { .log = log };
	struct conf_parser p = { .log = log };
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/t.conf", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	memset(r, 0, sizeof(*r));
	memset(log, 0, sizeof(*log));
	assert_int_equal(conf_lex_file(&l, path, NULL, 0), 0);
	conf_walk(&p, &root_block, r, l.toks.v, l.toks.n);
	conf_lex_free(&l);
	for (size_t i = 0; i < l.n_files; i++)
		free(l.files[i]);
	free(l.files);
}

static void root_free(struct root *r)
{
	for (size_t i = 0; i < r->n; i++)
		check_conf_free(r->c[i]);
}

static const struct conf_msg *find_msg(const struct conf_log *log,
				       const char *text)
{
	for (size_t i = 0; i < log->n; i++)
		if (strstr(log->msgs[i].text, text))
			return &log->msgs[i];
	return NULL;
}

static void test_registered(void **state)
{
	static const char *const names[] = { "TCP_CHECK", "HTTP_GET",
					     "UDP_CHECK", "MISC_CHECK",
					     "DNS_CHECK", "PING_CHECK" };
	size_t n = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		assert_non_null(checker_find(names[i]));
	assert_null(checker_find("NO_SUCH_CHECK"));
	for (const struct checker_ops *o = checker_next(NULL); o;
	     o = checker_next(o))
		n++;
	assert_true(n >= 6);
}

static void test_block(void **state)
{
	struct conf_log log;
	struct root r;
	const struct conf_msg *m;

	parse("TCP_CHECK {\n"
	      "  connect_port 8080\n"
	      "  connect_timeout 2.5\n"
	      "  retry 4\n"
	      "  no_such_word 1\n"
	      "}\n"
	      "MISC_CHECK {\n"
	      "  misc_timeout 3\n"
	      "}\n", &r, &log);
	assert_int_equal(r.n, 2);
	assert_int_equal(r.c[0]->connect.port, 8080);
	assert_int_equal(r.c[0]->connect_timeout, 2500000);
	assert_int_equal(r.c[0]->retry, 4);
	assert_int_equal(r.c[0]->delay_loop, CONF_UNSET);
	assert_int_equal(r.c[0]->line, 1);
	m = find_msg(&log, "no_such_word");
	assert_non_null(m);
	assert_int_equal(m->line, 5);
	assert_int_equal(m->sev, CONF_ERR);
	/* validate() at the '}' */
	m = find_msg(&log, "without misc_path");
	assert_non_null(m);
	assert_int_equal(m->line, 9);
	root_free(&r);
	conf_log_free(&log);
}

struct outcome {
	bool			done;
	enum check_result	res;
	long long		weight;
};

static void on_done(struct check_probe *pr, enum check_result res,
		    long long weight)
{
	struct outcome *o = pr->owner;

	o->done = true;
	o->res = res;
	o->weight = weight;
	loop_break();
}

static void give_up(struct ltimer *t, void *arg)
{
	loop_break();
}

static struct outcome run_misc(const char *script)
{
	char text[256];
	struct outcome o = { 0 };
	struct check_probe pr = { 0 };
	struct ltimer *t = ltimer_new(give_up, NULL);
	struct conf_log log;
	struct root r;

	snprintf(text, sizeof(text), "MISC_CHECK {\n  misc_path \"%s\"\n"
		 "  misc_dynamic\n}\n", script);
	parse(text, &r, &log);
	assert_int_equal(r.n, 1);
	assert_false(conf_has_errors(&log));
	pr.conf = r.c[0];
	pr.done = on_done;
	pr.owner = &o;
	assert_int_equal(r.c[0]->ops->start(&pr), 0);
	ltimer_start(t, 10 * 1000000LL);
	loop_run();
	ltimer_free(t);
	if (!o.done)
		r.c[0]->ops->timeout(&pr);
	root_free(&r);
	conf_log_free(&log);
	return o;
}

static void test_misc_probe(void **state)
{
	struct outcome o;

	o = run_misc("/bin/sh -c 'exit 0'");
	assert_true(o.done);
	assert_int_equal(o.res, CHECK_OK);
	assert_int_equal(o.weight, -1);
	o = run_misc("/bin/sh -c 'exit 1'");
	assert_true(o.done);
	assert_int_equal(o.res, CHECK_FAIL);
	o = run_misc("/bin/sh -c 'exit 7'");	/* misc_dynamic: weight 5 */
	assert_true(o.done);
	assert_int_equal(o.res, CHECK_OK);
	assert_int_equal(o.weight, 5);
}

/* socket() fails with sock_errno on call number sock_fail_at (0: never). */
static int sock_calls, sock_fail_at, sock_errno;

int socket(int domain, int type, int protocol)
{
	static int (*real)(int, int, int);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "socket");
	if (sock_fail_at && ++sock_calls == sock_fail_at) {
		errno = sock_errno;
		return -1;
	}
	return real(domain, type, protocol);
}

/* A child answering every request with 200 and an empty body. */
static pid_t http_server(struct sockaddr_in *sin)
{
	socklen_t len = sizeof(*sin);
	int l = socket(AF_INET, SOCK_STREAM, 0);
	pid_t pid;

	assert_true(l >= 0);
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(bind(l, (struct sockaddr *)sin, sizeof(*sin)), 0);
	assert_int_equal(listen(l, 8), 0);
	assert_int_equal(getsockname(l, (struct sockaddr *)sin, &len), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		static const char ok[] = "HTTP/1.0 200 OK\r\n"
					 "Content-Length: 0\r\n\r\n";
		char buf[1024];

		for (;;) {
			int c = accept(l, NULL, NULL);
			size_t got = 0;
			ssize_t n;

			if (c < 0)
				_exit(0);
			while (got < sizeof(buf) - 1 &&
			       (n = read(c, buf + got, sizeof(buf) - 1 - got)) > 0) {
				got += (size_t)n;
				buf[got] = '\0';
				if (strstr(buf, "\r\n\r\n"))
					break;
			}
			if (write(c, ok, sizeof(ok) - 1) < 0)
				_exit(1);
			close(c);
		}
	}
	close(l);
	return pid;
}

/* HTTP_GET with two urls; socket() call FAIL_AT fails with ERR. */
static struct outcome run_http(int fail_at, int err, char *why, size_t len)
{
	struct outcome o = { 0 };
	struct check_probe pr = { 0 };
	struct ltimer *t = ltimer_new(give_up, NULL);
	struct sockaddr_in sin;
	struct conf_log log;
	struct root r;
	pid_t pid = http_server(&sin);

	parse("HTTP_GET {\n  url { path /a }\n  url { path /b }\n}\n", &r,
	      &log);
	assert_int_equal(r.n, 1);
	assert_false(conf_has_errors(&log));
	pr.conf = r.c[0];
	pr.done = on_done;
	pr.owner = &o;
	memcpy(&pr.dst, &sin, sizeof(sin));
	pr.dst_len = sizeof(sin);
	sock_calls = 0;
	sock_fail_at = fail_at;
	sock_errno = err;
	assert_int_equal(r.c[0]->ops->start(&pr), 0);
	ltimer_start(t, 10 * 1000000LL);
	loop_run();
	ltimer_free(t);
	sock_fail_at = 0;
	if (!o.done)
		r.c[0]->ops->timeout(&pr);
	snprintf(why, len, "%s", pr.why);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	root_free(&r);
	conf_log_free(&log);
	return o;
}

/*
 * A shortage of lvsd's own while probing a later url (EMFILE, ENFILE,
 * ENOBUFS, ENOMEM) is CHECK_RETRY, never a verdict on the server; any
 * other error there is a failure.
 */
static void test_http_local_error(void **state)
{
	static const int local[] = { EMFILE, ENFILE, ENOBUFS, ENOMEM };
	struct outcome o;
	char why[128];

	o = run_http(0, 0, why, sizeof(why));
	assert_true(o.done);
	assert_int_equal(o.res, CHECK_OK);
	for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++) {
		o = run_http(2, local[i], why, sizeof(why));
		assert_true(o.done);
		assert_int_equal(o.res, CHECK_RETRY);
		assert_non_null(strstr(why, "/b: connect"));
		assert_true(hc_local_error(local[i]));
	}
	o = run_http(2, EACCES, why, sizeof(why));
	assert_true(o.done);
	assert_int_equal(o.res, CHECK_FAIL);
	assert_non_null(strstr(why, "/b: connect"));
	assert_false(hc_local_error(ECONNREFUSED));
}

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/test_hc.XXXXXX");
	char err[128];

	if (!mkdtemp(dir))
		return -1;
	/* Scripts as the test's own user when it is not root. */
	if (script_policy_set(geteuid() ? NULL : "root", NULL, false, err,
			      sizeof(err)))
		return -1;
	return loop_init();
}

static int teardown(void **state)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/t.conf", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registered),
		cmocka_unit_test(test_block),
		cmocka_unit_test(test_misc_probe),
		cmocka_unit_test(test_http_local_error),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
