// SPDX-License-Identifier: GPL-2.0
/*
 * test_vsadm_restore.c - -R input and the save/restore round trip.
 *
 * The round trip applies the parsed commands to an in-memory table (what
 * the module would hold), saves that table again and compares bytes with
 * ipvsadm's own -S output of the same rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_vsadm_helpers.h"

static bool same_svc(const struct lvsc_service *a,
		     const struct lvsc_service *b)
{
	if (a->af != b->af || a->fwmark != b->fwmark)
		return false;
	if (a->fwmark)
		return true;
	return a->protocol == b->protocol && a->port == b->port &&
	       !memcmp(&a->addr, &b->addr, sizeof(a->addr));
}

static struct vs_rule *find_rule(struct vs_table *t,
				 const struct lvsc_service *s)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (same_svc(&t->rules[i].svc, s))
			return &t->rules[i];
	return NULL;
}

/* What the module does with each command, for the commands -R takes. */
static void apply(struct vs_table *t, const struct vs_cmd *c)
{
	struct vs_rule *r = find_rule(t, &c->svc);
	struct lvsc_dest *d;

	switch (c->cmd) {
	case VS_CMD_ADD:
		assert_null(r);
		t->rules = realloc(t->rules, (t->n + 1) * sizeof(*t->rules));
		memset(&t->rules[t->n], 0, sizeof(t->rules[0]));
		t->rules[t->n++].svc = c->svc;
		break;
	case VS_CMD_ADDDEST:
		assert_non_null(r);
		r->dests = realloc(r->dests, (r->ndests + 1) * sizeof(*d));
		d = &r->dests[r->ndests++];
		*d = c->dest;
		if (!d->af)
			d->af = c->svc.af;
		break;
	case VS_CMD_FLUSH:
		vs_table_free(t);
		break;
	default:
		fail_msg("unexpected command %d", c->cmd);
	}
}

static char *save_of(struct vs_table *t)
{
	char *out = NULL;

	vs_sort_table(t);
	CAPTURE(false, out, vs_print_save(o, t, VS_FMT_NUMERIC));
	return out;
}

static int restore_text(const char *text, struct vs_cmds *cmds,
			size_t *line, struct vs_perr *e)
{
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	int rc = vs_restore_parse(in, "vsadm", cmds, line, e);

	fclose(in);
	return rc;
}

static void test_ipvsadm_save_round_trip(void **state)
{
	char *want = fixture_section("save"), *got;
	struct vs_table t = { 0 };
	struct vs_cmds cmds;
	struct vs_perr e;
	size_t line, i;

	assert_int_equal(restore_text(want, &cmds, &line, &e), 0);
	assert_int_equal(cmds.n, 9);
	assert_int_equal(cmds.line[8], 9);
	for (i = 0; i < cmds.n; i++)
		apply(&t, &cmds.cmd[i]);
	got = save_of(&t);
	assert_string_equal(got, want);
	free(got);
	free(want);
	vs_table_free(&t);
	vs_cmds_free(&cmds);
}

/* The parsed form keeps what the module needs, field by field. */
static void test_parsed_fields(void **state)
{
	char *text = fixture_section("save");
	struct vs_table orig, t = { 0 };
	struct vs_cmds cmds;
	struct vs_perr e;
	size_t line, i, j;

	sample_table(&orig);
	vs_sort_table(&orig);
	assert_int_equal(restore_text(text, &cmds, &line, &e), 0);
	for (i = 0; i < cmds.n; i++)
		apply(&t, &cmds.cmd[i]);
	vs_sort_table(&t);
	assert_int_equal(t.n, orig.n);
	for (i = 0; i < t.n; i++) {
		const struct lvsc_service *a = &t.rules[i].svc;
		const struct lvsc_service *b = &orig.rules[i].svc;

		assert_true(same_svc(a, b));
		assert_string_equal(a->sched, b->sched);
		assert_int_equal(a->flags, b->flags);
		assert_int_equal(a->timeout, b->timeout);
		if (a->flags & LVS_SVC_F_PERSISTENT)
			assert_int_equal(a->netmask, b->netmask);
		assert_int_equal(t.rules[i].ndests, orig.rules[i].ndests);
		for (j = 0; j < t.rules[i].ndests; j++) {
			const struct lvsc_dest *x = &t.rules[i].dests[j];
			const struct lvsc_dest *y = &orig.rules[i].dests[j];

			assert_int_equal(x->af, y->af);
			assert_memory_equal(&x->addr, &y->addr,
					    sizeof(x->addr));
			assert_int_equal(x->port, y->port);
			assert_int_equal(x->fwd, y->fwd);
			assert_int_equal(x->weight, y->weight);
			if (x->fwd == LVS_FWD_TUNNEL) {
				assert_int_equal(x->tun_type, y->tun_type);
				assert_int_equal(x->tun_port, y->tun_port);
				assert_int_equal(x->tun_flags, y->tun_flags);
			}
		}
	}
	vs_table_free(&orig);
	vs_table_free(&t);
	vs_cmds_free(&cmds);
	free(text);
}

/* Save -> restore -> save is the identity, for a larger generated set. */
static void test_generated_round_trip(void **state)
{
	static const char *const sched[] = { "rr", "wrr", "lc", "wlc", "sh",
					     "mh", "dh", "sed", "nq" };
	struct vs_table t = { 0 }, back = { 0 };
	char *first, *second, buf[256];
	struct vs_cmds cmds;
	struct vs_perr e;
	size_t line, i, j;

	t.rules = calloc(50, sizeof(*t.rules));
	for (i = 0; i < 50; i++) {
		struct vs_rule *r = &t.rules[t.n++];

		r->svc = (struct lvsc_service){ .af = AF_INET,
			.protocol = i % 3 ? IPPROTO_TCP : IPPROTO_UDP,
			.port = 1000 + i, .netmask = 0xffffffff };
		/* Within 2^31 of each other: ipvsadm's wrapping comparator
		 * is only a total order there, so sorting is stable
		 * whatever the input order. */
		snprintf(buf, sizeof(buf), "10.%zu.0.1", i * 5);
		set_addr(AF_INET, buf, &r->svc.addr);
		snprintf(r->svc.sched, sizeof(r->svc.sched), "%s",
			 sched[i % 9]);
		if (i % 4 == 0) {
			r->svc.flags |= LVS_SVC_F_PERSISTENT;
			r->svc.timeout = 60 + i;
		}
		if (i % 8 == 0)
			r->svc.netmask = htonl(0xffff0000);
		r->dests = calloc(10, sizeof(*r->dests));
		for (j = 0; j < 10; j++) {
			struct lvsc_dest *d = &r->dests[r->ndests++];

			d->af = AF_INET;
			snprintf(buf, sizeof(buf), "192.168.%zu.%zu", i, j + 1);
			set_addr(AF_INET, buf, &d->addr);
			d->fwd = j % 3 ? LVS_FWD_MASQ : LVS_FWD_DROUTE;
			d->port = d->fwd == LVS_FWD_MASQ ? 8000 + j :
				  r->svc.port;
			d->weight = j * 7;
		}
	}
	first = save_of(&t);
	assert_int_equal(restore_text(first, &cmds, &line, &e), 0);
	assert_int_equal(cmds.n, 550);
	for (i = 0; i < cmds.n; i++)
		apply(&back, &cmds.cmd[i]);
	second = save_of(&back);
	assert_string_equal(first, second);
	free(first);
	free(second);
	vs_table_free(&t);
	vs_table_free(&back);
	vs_cmds_free(&cmds);
}

static void test_blank_comment_crlf(void **state)
{
	const char *text = "# saved by hand\n\n   \n"
			   "-A -t 10.0.0.1:80 -s rr\r\n"
			   "\t-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 2\n"
			   "-C\n";
	struct vs_cmds cmds;
	struct vs_perr e;
	size_t line;

	assert_int_equal(restore_text(text, &cmds, &line, &e), 0);
	assert_int_equal(cmds.n, 3);
	assert_int_equal(cmds.line[0], 4);
	assert_int_equal(cmds.line[2], 6);
	assert_string_equal(cmds.cmd[0].svc.sched, "rr");
	assert_int_equal(cmds.cmd[1].dest.weight, 2);
	assert_int_equal(cmds.cmd[2].cmd, VS_CMD_FLUSH);
	vs_cmds_free(&cmds);
}

/* A bad line anywhere rejects the whole input, naming the line. */
static void test_bad_line(void **state)
{
	const char *text = "-A -t 10.0.0.1:80 -s rr\n"
			   "-a -t 10.0.0.1:80 -r 10.0.1.1:80 -m -w 2\n"
			   "-a -t 10.0.0.1:80 -r 10.0.1.2:80 -m -w lots\n";
	struct vs_cmds cmds;
	struct vs_perr e;
	size_t line;

	assert_int_equal(restore_text(text, &cmds, &line, &e), -1);
	assert_int_equal(line, 3);
	assert_string_equal(e.msg, "illegal weight specified");
	assert_int_equal(e.status, 2);
	assert_int_equal(cmds.n, 0);
}

static void test_not_restorable(void **state)
{
	static const char *const lines[] = { "-R\n",
					     "--start-daemon master\n",
					     "-h\n" };
	struct vs_cmds cmds;
	struct vs_perr e;
	size_t line, i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		assert_int_equal(restore_text(lines[i], &cmds, &line, &e), -1);
		assert_int_equal(line, 1);
		assert_non_null(strstr(e.msg, "cannot be restored"));
	}
}

/* Listing lines are taken, in place, as ipvsadm runs them. */
static void test_listing_lines(void **state)
{
	struct vs_cmds cmds;
	struct vs_perr e;
	size_t line;

	assert_int_equal(restore_text("-A -t 10.0.0.1:80\n-L -n\n"
				      "-a -t 10.0.0.1:80 -r 10.1.0.1\n-S -n\n",
				      &cmds, &line, &e), 0);
	assert_int_equal(cmds.n, 4);
	assert_int_equal(cmds.cmd[0].cmd, VS_CMD_ADD);
	assert_int_equal(cmds.cmd[1].cmd, VS_CMD_LIST);
	assert_int_equal(cmds.cmd[2].cmd, VS_CMD_ADDDEST);
	assert_int_equal(cmds.cmd[3].cmd, VS_CMD_SAVE);
	assert_int_equal(cmds.line[3], 4);
	vs_cmds_free(&cmds);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipvsadm_save_round_trip),
		cmocka_unit_test(test_parsed_fields),
		cmocka_unit_test(test_generated_round_trip),
		cmocka_unit_test(test_blank_comment_crlf),
		cmocka_unit_test(test_bad_line),
		cmocka_unit_test(test_not_restorable),
		cmocka_unit_test(test_listing_lines),
	};

	return cmocka_run_group_tests_name("vsadm_restore", tests, NULL, NULL);
}
