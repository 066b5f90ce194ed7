// SPDX-License-Identifier: GPL-2.0
/*
 * vsadm.c - main: parse, dispatch by table, report.
 *
 * The only file that prints errors and decides exit codes.  Arguments are
 * parsed completely before the module is contacted, so a bad command line
 * changes nothing and -h works without lvs.ko.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vsadm.h"

struct ctx {
	const char	*prog;
	struct lvsc	*h;
	struct lvsc_err	err;
};

/* Open the module on first use. */
static int need_handle(struct ctx *x)
{
	if (x->h)
		return 0;
	x->h = lvsc_open(&x->err);
	if (!x->h) {
		fprintf(stderr, "Can't initialize lvs: %s\n", x->err.msg);
		return -1;
	}
	return 0;
}

/* One change, as one library call (restore relies on that). */
static int apply_one(struct ctx *x, const struct vs_cmd *c)
{
	struct lvsc_config cfg = { 0 };
	bool all = !(c->options & VS_OPT(VS_OPT_SERVICE));

	switch (c->cmd) {
	case VS_CMD_ADD:
		return lvsc_service_add(x->h, &c->svc, &x->err);
	case VS_CMD_EDIT:
		return lvsc_service_edit(x->h, &c->svc, &x->err);
	case VS_CMD_DEL:
		return lvsc_service_del(x->h, &c->svc, &x->err);
	case VS_CMD_FLUSH:
		return lvsc_flush(x->h, &x->err);
	case VS_CMD_ZERO:
		return lvsc_zero(x->h, all ? NULL : &c->svc, &x->err);
	case VS_CMD_ADDDEST:
		return lvsc_dest_add(x->h, &c->svc, &c->dest, &x->err);
	case VS_CMD_EDITDEST:
		return lvsc_dest_edit(x->h, &c->svc, &c->dest, &x->err);
	case VS_CMD_DELDEST:
		return lvsc_dest_del(x->h, &c->svc, &c->dest, &x->err);
	case VS_CMD_TIMEOUT:
		cfg.tcp = c->timeout[0];
		cfg.tcp_fin = c->timeout[1];
		cfg.udp = c->timeout[2];
		return lvsc_config_set(x->h, &cfg, &x->err);
	default:
		x->err.code = -EINVAL;
		snprintf(x->err.msg, sizeof(x->err.msg), "not a change");
		return -EINVAL;
	}
}

static int do_change(struct ctx *x, const struct vs_cmd *c)
{
	if (need_handle(x))
		return VS_EXIT_PARSE;
	if (apply_one(x, c)) {
		fprintf(stderr, "%s\n", x->err.msg);
		return VS_EXIT_KERNEL;
	}
	return VS_EXIT_OK;
}

static int kernel_error(struct ctx *x)
{
	fprintf(stderr, "%s\n", x->err.msg);
	return VS_EXIT_KERNEL;
}

/*
 * --start-daemon and --stop-daemon.  The interface defaults to eth0, as
 * ipvsadm's; the module fills in the other defaults.
 */
static int do_daemon(struct ctx *x, const struct vs_cmd *c)
{
	struct lvsc_daemon d = c->daemon;
	int rc;

	if (need_handle(x))
		return VS_EXIT_PARSE;
	if (c->cmd == VS_CMD_STOPDAEMON) {
		rc = lvsc_daemon_stop(x->h, d.state, &x->err);
	} else {
		if (!d.mcast_ifn[0])
			snprintf(d.mcast_ifn, sizeof(d.mcast_ifn), "eth0");
		rc = lvsc_daemon_start(x->h, &d, &x->err);
	}
	return rc ? kernel_error(x) : VS_EXIT_OK;
}

/* -R's progress: which commands the module refused. */
struct restore {
	struct ctx		*x;
	const struct vs_cmds	*cmds;
	size_t			*posmap;	/* batch position -> command */
	bool			*refused;	/* per command */
};

static void restore_refused(void *arg, size_t pos, const struct lvsc_err *e)
{
	struct restore *r = arg;
	size_t i = r->posmap[pos];

	r->refused[i] = true;
	fprintf(stderr, "%s: line %zu: %s\n", r->x->prog, r->cmds->line[i],
		e->msg);
}

/* Open a batch whose refusals land in r. */
static int restore_begin(struct restore *r)
{
	if (lvsc_batch_begin(r->x->h, &r->x->err))
		return -1;
	lvsc_batch_notify(r->x->h, restore_refused, r);
	return 0;
}

/* Close the batch; -1 when answers were lost or the socket failed. */
static int restore_end(struct restore *r)
{
	struct lvsc_err err;
	size_t nfailed = 0;

	if (lvsc_batch_end(r->x->h, NULL, &nfailed, &err) && !nfailed) {
		fprintf(stderr, "%s: %s\n", r->x->prog, err.msg);
		return -1;
	}
	return 0;
}

static int do_list(struct ctx *x, const struct vs_cmd *c);

/*
 * -R as ipvsadm: the lines are applied in order (batched, so a listing
 * line ends one batch and starts another), every refusal is reported,
 * and the exit status is the last command's.  Unlike ipvsadm, the whole
 * input is parsed first, so a bad line changes nothing.
 */
static int do_restore(struct ctx *x, const struct vs_cmd *c)
{
	struct restore r = { .x = x };
	size_t line, i, npos = 0;
	int rc = VS_EXIT_OK;
	struct vs_cmds cmds;
	struct vs_perr e;

	if (vs_restore_parse(stdin, x->prog, &cmds, &line, &e)) {
		fprintf(stderr, "%s: line %zu: %s\n", x->prog, line, e.msg);
		return e.status;
	}
	r.cmds = &cmds;
	r.posmap = calloc(cmds.n + 1, sizeof(*r.posmap));
	r.refused = calloc(cmds.n + 1, sizeof(*r.refused));
	if (!r.posmap || !r.refused) {
		fprintf(stderr, "%s: out of memory\n", x->prog);
		rc = VS_EXIT_RUNTIME;
		goto out;
	}
	if (need_handle(x)) {
		rc = VS_EXIT_PARSE;
		goto out;
	}
	if (restore_begin(&r)) {
		rc = kernel_error(x);
		goto out;
	}
	for (i = 0; i < cmds.n; i++) {
		const struct vs_cmd *ci = &cmds.cmd[i];

		if (ci->cmd == VS_CMD_LIST || ci->cmd == VS_CMD_SAVE) {
			if (restore_end(&r)) {
				rc = VS_EXIT_KERNEL;
				goto out;
			}
			npos = 0;
			rc = do_list(x, ci);
			fflush(stdout);
			/* ipvsadm stops at a listing that fails. */
			if (rc != VS_EXIT_OK)
				goto out;
			if (restore_begin(&r)) {
				rc = kernel_error(x);
				goto out;
			}
			continue;
		}
		/* mapped first: a backend that applies at once (bpf)
		 * reports a refusal from inside the call */
		r.posmap[npos] = i;
		if (apply_one(x, ci)) {
			r.refused[i] = true;
			fprintf(stderr, "%s: line %zu: %s\n", x->prog,
				cmds.line[i], x->err.msg);
		} else {
			npos++;
		}
	}
	if (restore_end(&r)) {
		rc = VS_EXIT_KERNEL;
		goto out;
	}
	/* The exit status is the last command's, as ipvsadm's. */
	if (cmds.n)
		rc = r.refused[cmds.n - 1] ? VS_EXIT_KERNEL : VS_EXIT_OK;
out:
	free(r.posmap);
	free(r.refused);
	vs_cmds_free(&cmds);
	return rc;
}

/* Read every service and its real servers. */
static int read_table(struct ctx *x, const struct vs_cmd *c,
		      struct vs_table *t)
{
	struct lvsc_service *svcs = NULL;
	size_t n = 0, i;

	memset(t, 0, sizeof(*t));
	if (c->options & VS_OPT(VS_OPT_SERVICE)) {
		svcs = malloc(sizeof(*svcs));
		if (!svcs)
			return -ENOMEM;
		svcs[0] = c->svc;
		n = 1;
		if (lvsc_service_get(x->h, &svcs[0], &x->err)) {
			free(svcs);
			return x->err.code;
		}
	} else if (lvsc_service_list(x->h, &svcs, &n, &x->err)) {
		return x->err.code;
	}
	t->rules = calloc(n ? n : 1, sizeof(*t->rules));
	if (!t->rules) {
		free(svcs);
		return -ENOMEM;
	}
	for (i = 0; i < n; i++) {
		t->rules[i].svc = svcs[i];
		t->n++;
		if (lvsc_dest_list(x->h, &svcs[i], &t->rules[i].dests,
				   &t->rules[i].ndests, &x->err)) {
			free(svcs);
			vs_table_free(t);
			return x->err.code;
		}
	}
	free(svcs);
	if (!(c->format & VS_FMT_NOSORT))
		vs_sort_table(t);
	return 0;
}

static int finish_output(struct ctx *x, struct vs_out *o)
{
	if (vs_out_end(o)) {
		fprintf(stderr, "%s: write error: %s\n", x->prog,
			strerror(errno));
		return VS_EXIT_RUNTIME;
	}
	return VS_EXIT_OK;
}

static int list_conns(struct ctx *x, const struct vs_cmd *c, struct vs_out *o)
{
	struct lvsc_conn *conns;
	size_t n;

	if (lvsc_conn_list(x->h, &conns, &n, &x->err))
		return -1;
	vs_print_conns(o, conns, n, c->format);
	free(conns);
	return 0;
}

static int do_list(struct ctx *x, const struct vs_cmd *c)
{
	struct vs_ident id = { .name = "LVS" };
	struct lvsc_config cfg;
	struct lvsc_info info;
	struct vs_table t;
	struct vs_out *o;

	if (need_handle(x))
		return VS_EXIT_PARSE;
	o = vs_out_new(stdout, c->format & VS_FMT_JSON);
	if (!o)
		return VS_EXIT_RUNTIME;
	if (c->options & VS_OPT(VS_OPT_DAEMON)) {
		struct lvsc_daemon *ds;
		size_t n;

		if (lvsc_daemon_list(x->h, &ds, &n, &x->err))
			goto kernel;
		vs_print_daemons(o, ds, n);
		free(ds);
	} else if (c->options & VS_OPT(VS_OPT_CONNECTION)) {
		if (list_conns(x, c, o))
			goto kernel;
	} else if (c->options & VS_OPT(VS_OPT_TIMEOUT)) {
		if (lvsc_config_get(x->h, &cfg, &x->err))
			goto kernel;
		vs_print_timeout(o, &cfg);
	} else {
		if (lvsc_info(x->h, &info, &x->err) || read_table(x, c, &t))
			goto kernel;
		id.version = info.version;
		id.size = info.conn_tab_size;
		if (c->cmd == VS_CMD_SAVE)
			vs_print_save(o, &t, c->format);
		else
			vs_print_list(o, &t, &id, c->format,
				      c->options & VS_OPT(VS_OPT_SERVICE));
		vs_table_free(&t);
	}
	return finish_output(x, o);

kernel:
	/* ipvsadm exits 1 when a listing cannot be read (no such
	 * service, for one). */
	vs_out_end(o);
	fprintf(stderr, "%s\n", x->err.msg);
	return VS_EXIT_RUNTIME;
}

static int do_help(struct ctx *x, const struct vs_cmd *c)
{
	vs_usage(stdout, x->prog);
	return VS_EXIT_OK;
}

static int do_version(struct ctx *x, const struct vs_cmd *c)
{
	printf("vsadm v%d.%d.%d (ipvsadm 1.31 compatible, lvs ABI %d)\n",
	       LVS_VERSION_MAJOR, LVS_VERSION_MINOR, LVS_VERSION_PATCH,
	       LVS_GENL_VERSION);
	return VS_EXIT_OK;
}

static const struct {
	enum vs_cmd_id	cmd;
	int		(*fn)(struct ctx *x, const struct vs_cmd *c);
} cmds[] = {
	{ VS_CMD_ADD,		do_change },
	{ VS_CMD_EDIT,		do_change },
	{ VS_CMD_DEL,		do_change },
	{ VS_CMD_FLUSH,		do_change },
	{ VS_CMD_ZERO,		do_change },
	{ VS_CMD_ADDDEST,	do_change },
	{ VS_CMD_EDITDEST,	do_change },
	{ VS_CMD_DELDEST,	do_change },
	{ VS_CMD_TIMEOUT,	do_change },
	{ VS_CMD_LIST,		do_list },
	{ VS_CMD_SAVE,		do_list },
	{ VS_CMD_RESTORE,	do_restore },
	{ VS_CMD_STARTDAEMON,	do_daemon },
	{ VS_CMD_STOPDAEMON,	do_daemon },
	{ VS_CMD_HELP,		do_help },
	{ VS_CMD_VERSION,	do_version },
};

/*
 * --datapath kernel|bpf (or =) selects the datapath for this run, through
 * LVS_DATAPATH which liblvsc reads; --unload removes it (bpf: programs,
 * links and pinned maps).  Both are taken out of argv before the ipvsadm
 * parser sees it.  Returns -1 after printing an error, 1 for --unload.
 */
static int datapath_opts(int *argc, char **argv, const char *prog)
{
	int i, j, unload = 0;

	for (i = j = 1; i < *argc; i++) {
		const char *v = NULL;

		if (!strcmp(argv[i], "--unload")) {
			unload = 1;
			continue;
		}
		if (!strcmp(argv[i], "--datapath")) {
			if (i + 1 == *argc) {
				fprintf(stderr, "%s: --datapath needs kernel "
					"or bpf\n", prog);
				return -1;
			}
			v = argv[++i];
		} else if (!strncmp(argv[i], "--datapath=", 11)) {
			v = argv[i] + 11;
		} else {
			argv[j++] = argv[i];
			continue;
		}
		if (strcmp(v, "kernel") && strcmp(v, "bpf")) {
			fprintf(stderr, "%s: --datapath: unknown datapath "
				"\"%s\" (kernel or bpf)\n", prog, v);
			return -1;
		}
		setenv("LVS_DATAPATH", v, 1);
	}
	argv[j] = NULL;
	*argc = j;
	if (unload && j > 1) {
		fprintf(stderr, "%s: --unload takes no command\n", prog);
		return -1;
	}
	return unload;
}

int main(int argc, char **argv)
{
	struct ctx x = { .prog = argv[0] };
	struct vs_cmd c;
	struct vs_perr e;
	size_t i;
	int rc = VS_EXIT_USAGE;

	if (argc > 1 && !strcmp(argv[1], "--sysctl"))
		return vs_sysctl(x.prog, argc - 2, argv + 2);
	rc = datapath_opts(&argc, argv, x.prog);
	if (rc < 0)
		return VS_EXIT_USAGE;
	if (rc) {
		if (lvsc_unload(&x.err)) {
			fprintf(stderr, "%s: %s\n", x.prog, x.err.msg);
			return VS_EXIT_KERNEL;
		}
		return VS_EXIT_OK;
	}
	rc = VS_EXIT_USAGE;
	if (vs_parse(argc, argv, &c, &e)) {
		fprintf(stderr, "%s\n", e.msg);
		return e.status;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cmds[i].cmd == c.cmd) {
			rc = cmds[i].fn(&x, &c);
			break;
		}
	lvsc_close(x.h);
	return rc;
}
