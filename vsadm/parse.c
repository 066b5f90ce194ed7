// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - ipvsadm's command line, read the way ipvsadm 1.31 reads it.
 *
 * The grammar, the messages and the exit codes follow ipvsadm as observed
 * (popt-style scanning, its command/option table, its checks), with two
 * kinds of deliberate differences, listed in vsadm.8: an unknown option
 * is named, and values ipvsadm passes blindly to the kernel (scheduler
 * names, SCTP, persistence engines) are checked here with a clear reason.
 * Nothing here talks to the kernel: a struct vs_cmd is the whole result.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>

#include "vsadm.h"

/* Names in messages, as ipvsadm spells them. */
static const char *const cmd_names[VS_CMD_NR_TABLE] = {
	"add-service", "edit-service", "delete-service", "flush", "list",
	"add-server", "delete-server", "edit-server", "set", "start-daemon",
	"stop-daemon", "restore", "save", "zero",
};

static const char *const opt_names[VS_OPT_NR] = {
	"numeric", "connection", "service-address", "scheduler",
	"persistent", "netmask", "real-server", "forwarding-method", "weight",
	"u-threshold", "l-threshold", "mcast-interface", "timeout", "daemon",
	"stats", "rate", "thresholds", "persistent-conn", "nosort", "syncid",
	"exact", "ops", "pe", "sched-flags", "mcast-group", "mcast-port",
	"mcast-ttl", "sync-maxlen", "tun-info", "tun-type", "tun-port",
	"tun-nocsum", "tun-csum", "tun-remcsum", "json",
};

/*
 * Which options each command takes (ipvsadm's commands_v_options):
 * 'x' illegal, '+' required, '1' at most one of the '1's, ' ' optional.
 * Columns follow enum vs_opt.
 */
static const char cmd_opts[VS_CMD_NR_TABLE][VS_OPT_NR_TABLE + 1] = {
	[VS_CMD_ADD]		= "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx",
	[VS_CMD_EDIT]		= "xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx",
	[VS_CMD_DEL]		= "xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[VS_CMD_FLUSH]		= "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[VS_CMD_LIST]		= " 11xxxxxxxxx11       xxxxxxx xxxxx",
	[VS_CMD_ADDDEST]	= "xx+xxx+    xxxxxxxxxxxxxxxxxx     ",
	[VS_CMD_DELDEST]	= "xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[VS_CMD_EDITDEST]	= "xx+xxx+    xxxxxxxxxxxxxxxxxx     ",
	[VS_CMD_TIMEOUT]	= "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[VS_CMD_STARTDAEMON]	= "xxxxxxxxxxx xxxxxxx xxxx    xxxxxx",
	[VS_CMD_STOPDAEMON]	= "xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxx",
	[VS_CMD_RESTORE]	= "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[VS_CMD_SAVE]		= " xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[VS_CMD_ZERO]		= "xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};

/* Tunnel options per tunnel type: tun-port, nocsum, csum, remcsum. */
static const char tun_opts[LVS_TUN_MAX + 1][5] = {
	[LVS_TUN_IPIP]	= "xxxx",
	[LVS_TUN_GUE]	= "+111",
	[LVS_TUN_GRE]	= "x11x",
};

enum arg { A_NONE, A_REQ, A_OPT };

/* What an option does when met. */
enum key {
	K_CMD,		/* sets the command in .val */
	K_OPT,		/* a table option (.val) with its handler */
	K_IPV6,		/* -6 */
	K_SORT,		/* --sort: accepted, does nothing */
};

struct optdef {
	const char	*lname;
	char		sname;
	enum arg	arg;
	enum key	key;
	int		val;
};

/* Special option values beyond enum vs_opt, for the handlers. */
enum {
	X_TCP = VS_OPT_NR, X_UDP, X_SCTP, X_FWMARK,
	X_MASQ, X_TUN, X_DR,
};

static const struct optdef optdefs[] = {
	{ "add-service",	'A', A_NONE, K_CMD, VS_CMD_ADD },
	{ "edit-service",	'E', A_NONE, K_CMD, VS_CMD_EDIT },
	{ "delete-service",	'D', A_NONE, K_CMD, VS_CMD_DEL },
	{ "clear",		'C', A_NONE, K_CMD, VS_CMD_FLUSH },
	{ "list",		'L', A_NONE, K_CMD, VS_CMD_LIST },
	{ NULL,			'l', A_NONE, K_CMD, VS_CMD_LIST },
	{ "add-server",		'a', A_NONE, K_CMD, VS_CMD_ADDDEST },
	{ "edit-server",	'e', A_NONE, K_CMD, VS_CMD_EDITDEST },
	{ "delete-server",	'd', A_NONE, K_CMD, VS_CMD_DELDEST },
	{ "set",		0,   A_NONE, K_CMD, VS_CMD_TIMEOUT },
	{ "start-daemon",	0,   A_REQ,  K_CMD, VS_CMD_STARTDAEMON },
	{ "stop-daemon",	0,   A_REQ,  K_CMD, VS_CMD_STOPDAEMON },
	{ "restore",		'R', A_NONE, K_CMD, VS_CMD_RESTORE },
	{ "save",		'S', A_NONE, K_CMD, VS_CMD_SAVE },
	{ "zero",		'Z', A_NONE, K_CMD, VS_CMD_ZERO },
	{ "help",		'h', A_NONE, K_CMD, VS_CMD_HELP },
	{ "version",		'v', A_NONE, K_CMD, VS_CMD_VERSION },
	{ "tcp-service",	't', A_REQ,  K_OPT, X_TCP },
	{ "udp-service",	'u', A_REQ,  K_OPT, X_UDP },
	{ "sctp-service",	0,   A_REQ,  K_OPT, X_SCTP },
	{ "fwmark-service",	'f', A_REQ,  K_OPT, X_FWMARK },
	{ "ipv6",		'6', A_NONE, K_IPV6, 0 },
	{ "scheduler",		's', A_REQ,  K_OPT, VS_OPT_SCHEDULER },
	{ "pe",			0,   A_REQ,  K_OPT, VS_OPT_PE },
	{ "persistent",		'p', A_OPT,  K_OPT, VS_OPT_PERSISTENT },
	{ "netmask",		'M', A_REQ,  K_OPT, VS_OPT_NETMASK },
	{ "real-server",	'r', A_REQ,  K_OPT, VS_OPT_SERVER },
	{ "masquerading",	'm', A_NONE, K_OPT, X_MASQ },
	{ "ipip",		'i', A_NONE, K_OPT, X_TUN },
	{ "gatewaying",		'g', A_NONE, K_OPT, X_DR },
	{ "weight",		'w', A_REQ,  K_OPT, VS_OPT_WEIGHT },
	{ "u-threshold",	'x', A_REQ,  K_OPT, VS_OPT_UTHRESHOLD },
	{ "l-threshold",	'y', A_REQ,  K_OPT, VS_OPT_LTHRESHOLD },
	{ "numeric",		'n', A_NONE, K_OPT, VS_OPT_NUMERIC },
	{ "connection",		'c', A_NONE, K_OPT, VS_OPT_CONNECTION },
	{ "mcast-interface",	0,   A_REQ,  K_OPT, VS_OPT_MCAST_IFN },
	{ "syncid",		0,   A_REQ,  K_OPT, VS_OPT_SYNCID },
	{ "timeout",		0,   A_NONE, K_OPT, VS_OPT_TIMEOUT },
	{ "daemon",		0,   A_NONE, K_OPT, VS_OPT_DAEMON },
	{ "stats",		0,   A_NONE, K_OPT, VS_OPT_STATS },
	{ "rate",		0,   A_NONE, K_OPT, VS_OPT_RATE },
	{ "thresholds",		0,   A_NONE, K_OPT, VS_OPT_THRESHOLDS },
	{ "persistent-conn",	0,   A_NONE, K_OPT, VS_OPT_PERSISTENTCONN },
	{ "nosort",		0,   A_NONE, K_OPT, VS_OPT_NOSORT },
	{ "sort",		0,   A_NONE, K_SORT, 0 },
	{ "exact",		'X', A_NONE, K_OPT, VS_OPT_EXACT },
	{ "ops",		'o', A_NONE, K_OPT, VS_OPT_ONEPACKET },
	{ "sched-flags",	'b', A_REQ,  K_OPT, VS_OPT_SCHED_FLAGS },
	{ "sync-maxlen",	0,   A_REQ,  K_OPT, VS_OPT_SYNC_MAXLEN },
	{ "mcast-group",	0,   A_REQ,  K_OPT, VS_OPT_MCAST_GROUP },
	{ "mcast-port",		0,   A_REQ,  K_OPT, VS_OPT_MCAST_PORT },
	{ "mcast-ttl",		0,   A_REQ,  K_OPT, VS_OPT_MCAST_TTL },
	{ "tun-type",		0,   A_REQ,  K_OPT, VS_OPT_TUN_TYPE },
	{ "tun-port",		0,   A_REQ,  K_OPT, VS_OPT_TUN_PORT },
	{ "tun-nocsum",		0,   A_NONE, K_OPT, VS_OPT_TUN_NOCSUM },
	{ "tun-csum",		0,   A_NONE, K_OPT, VS_OPT_TUN_CSUM },
	{ "tun-remcsum",	0,   A_NONE, K_OPT, VS_OPT_TUN_REMCSUM },
	{ "tun-info",		0,   A_NONE, K_OPT, VS_OPT_TUN_INFO },
	{ "json",		0,   A_NONE, K_OPT, VS_OPT_JSON },
};

#define NR_OPTDEFS (sizeof(optdefs) / sizeof(optdefs[0]))

const char *vs_cmd_name(enum vs_cmd_id cmd)
{
	return cmd < VS_CMD_NR_TABLE ? cmd_names[cmd] : "?";
}

static int fail(struct vs_perr *e, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct vs_perr *e, int status, const char *fmt, ...)
{
	va_list ap;

	e->status = status;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* State of one parse beyond the result. */
struct pstate {
	struct vs_cmd	*c;
	struct vs_perr	*e;
	uint32_t	netmask;	/* -M as ipvsadm tracks it, see do_mask */
	const char	*sched_flags;	/* -b, checked against -s at the end */
	bool		has_rport;	/* -r carried a port */
	bool		sched_set;
	uint8_t		tun_type;
	uint16_t	tun_port;
	uint16_t	tun_flags;
	const char	*args[8];	/* leftover arguments */
	int		nargs;
	int		nextra;
};

/* Mark option o seen; ipvsadm refuses any option given twice. */
static int set_opt(struct pstate *ps, int o)
{
	if (ps->c->options & VS_OPT(o))
		return fail(ps->e, VS_EXIT_PARSE,
			    "multiple '%s' options specified", opt_names[o]);
	ps->c->options |= VS_OPT(o);
	return 0;
}

static int parse_service(struct pstate *ps, int which, const char *arg)
{
	struct lvsc_service *s = &ps->c->svc;
	uint16_t proto = which == X_UDP ? IPPROTO_UDP :
			 which == X_SCTP ? IPPROTO_SCTP : IPPROTO_TCP;
	long long v;
	bool has_port;

	if (set_opt(ps, VS_OPT_SERVICE))
		return -1;
	if (which == X_FWMARK) {
		if (vs_number(arg, 1, UINT32_MAX, &v))
			return fail(ps->e, VS_EXIT_PARSE,
				    "invalid fwmark value `%s' specified", arg);
		s->fwmark = v;
		s->af = AF_INET;
		return 0;
	}
	s->protocol = proto;
	if (vs_parse_addrport(arg, proto, &s->af, &s->addr, &s->port,
			      &has_port))
		return fail(ps->e, VS_EXIT_PARSE,
			    "illegal virtual server address[:port] specified");
	/* An IPv6 address resets the mask, as in ipvsadm. */
	if (s->af == AF_INET6)
		ps->netmask = 128;
	return 0;
}

static int parse_server(struct pstate *ps, const char *arg)
{
	struct lvsc_dest *d = &ps->c->dest;
	uint16_t af;

	if (set_opt(ps, VS_OPT_SERVER))
		return -1;
	if (vs_parse_addrport(arg, ps->c->svc.protocol ? ps->c->svc.protocol :
			      IPPROTO_TCP, &af, &d->addr, &d->port,
			      &ps->has_rport))
		return fail(ps->e, VS_EXIT_PARSE,
			    "illegal real server address[:port] specified");
	d->af = af;
	return 0;
}

static int parse_fwd(struct pstate *ps, int which)
{
	if (set_opt(ps, VS_OPT_FORWARD))
		return -1;
	ps->c->dest.fwd = which == X_MASQ ? LVS_FWD_MASQ :
			  which == X_TUN ? LVS_FWD_TUNNEL : LVS_FWD_DROUTE;
	return 0;
}

static int parse_uint(struct pstate *ps, const char *arg, long long max,
		      uint32_t *out, const char *what)
{
	long long v;

	if (vs_number(arg, 0, max, &v))
		return fail(ps->e, VS_EXIT_PARSE, "illegal %s specified", what);
	*out = v;
	return 0;
}

/* Scheduler names are module names: short, lower case, no paths. */
static int parse_sched(struct pstate *ps, const char *arg)
{
	size_t i, len = strlen(arg);

	for (i = 0; i < len; i++)
		if (!((arg[i] >= 'a' && arg[i] <= 'z') ||
		      (arg[i] >= '0' && arg[i] <= '9') || arg[i] == '_'))
			break;
	if (!len || len >= LVS_SCHED_NAME_MAX || i < len)
		return fail(ps->e, VS_EXIT_PARSE,
			    "illegal scheduler `%s' specified", arg);
	strcpy(ps->c->svc.sched, arg);
	ps->sched_set = true;
	return 0;
}

/*
 * -b: a comma-separated list; empty items are skipped, as ipvsadm does.
 * With check, also refuse a flag named for another scheduler.
 */
static int parse_sched_flags(struct pstate *ps, const char *arg, bool check)
{
	char buf[256], *tok, *save = NULL;
	const struct lvsc_sched_flag *f;

	if (strlen(arg) >= sizeof(buf))
		return fail(ps->e, VS_EXIT_PARSE,
			    "invalid scheduler flag `%s'", arg);
	strcpy(buf, arg);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		f = lvsc_sched_flag_find(tok);	/* lib/sched_names.c */
		if (!f)
			return fail(ps->e, VS_EXIT_PARSE,
				    "invalid scheduler flag `%s'", tok);
		if (check && f->sched && strcmp(f->sched, ps->c->svc.sched))
			return fail(ps->e, VS_EXIT_PARSE,
				    "incompatible scheduler flag `%s'", tok);
		ps->c->svc.flags |= f->flag;
	}
	return 0;
}

static int parse_daemon_opt(struct pstate *ps, int o, const char *arg)
{
	struct lvsc_daemon *d = &ps->c->daemon;
	struct in6_addr a6;
	struct in_addr a4;
	long long v;

	switch (o) {
	case VS_OPT_MCAST_IFN:
		if (!*arg || strlen(arg) >= IFNAMSIZ)
			return fail(ps->e, VS_EXIT_PARSE,
				    "illegal mcast-interface specified");
		snprintf(d->mcast_ifn, sizeof(d->mcast_ifn), "%s", arg);
		return 0;
	case VS_OPT_SYNCID:
		if (vs_number(arg, 0, 255, &v))
			return fail(ps->e, VS_EXIT_PARSE,
				    "illegal syncid specified");
		d->syncid = v;
		return 0;
	case VS_OPT_SYNC_MAXLEN:
		if (vs_number(arg, 1, 65535 - 20 - 8, &v))
			return fail(ps->e, VS_EXIT_PARSE,
				    "illegal sync-maxlen specified");
		d->sync_maxlen = v;
		return 0;
	case VS_OPT_MCAST_GROUP:
		if (strchr(arg, ':') ? inet_pton(AF_INET6, arg, &a6) != 1 ||
		    !IN6_IS_ADDR_MULTICAST(&a6) :
		    inet_pton(AF_INET, arg, &a4) != 1 ||
		    !IN_MULTICAST(ntohl(a4.s_addr)))
			return fail(ps->e, VS_EXIT_PARSE,
				    "invalid %s mcast-group `%s'",
				    strchr(arg, ':') ? "IPv6" : "IPv4", arg);
		if (strchr(arg, ':')) {
			d->mcast_af = AF_INET6;
			d->mcast_group.in6 = a6;
		} else {
			d->mcast_af = AF_INET;
			d->mcast_group.in = a4;
		}
		return 0;
	case VS_OPT_MCAST_PORT:
		if (vs_number(arg, 1, 65535, &v))
			return fail(ps->e, VS_EXIT_PARSE,
				    "illegal mcast-port specified");
		d->mcast_port = v;
		return 0;
	default:	/* VS_OPT_MCAST_TTL */
		if (vs_number(arg, 1, 255, &v))
			return fail(ps->e, VS_EXIT_PARSE,
				    "illegal mcast-ttl specified");
		d->mcast_ttl = v;
		return 0;
	}
}

/*
 * -M, read as ipvsadm reads it: by the family known when it is met (an
 * IPv6 prefix length with atoi, else an IPv4 mask with inet_aton), and
 * overridden by a later -6 or IPv6 service address, which reset it to 128.
 */
static int do_mask(struct pstate *ps, const char *arg)
{
	struct in_addr m;
	long v;

	if (ps->c->svc.af == AF_INET6) {
		v = strtol(arg, NULL, 10);
		if (v < 1 || v > 128)
			return fail(ps->e, VS_EXIT_PARSE,
				    "illegal ipv6 netmask specified");
		ps->netmask = v;
	} else {
		if (!inet_aton(arg, &m))
			return fail(ps->e, VS_EXIT_PARSE,
				    "illegal virtual server persistent mask "
				    "specified");
		ps->netmask = m.s_addr;
	}
	return 0;
}

/* Handle one table option with its argument (NULL if none). */
static int do_opt(struct pstate *ps, int o, const char *arg)
{
	struct vs_cmd *c = ps->c;
	long long v;

	switch (o) {
	case X_TCP:
	case X_UDP:
	case X_SCTP:
	case X_FWMARK:
		return parse_service(ps, o, arg);
	case X_MASQ:
	case X_TUN:
	case X_DR:
		return parse_fwd(ps, o);
	case VS_OPT_SERVER:
		return parse_server(ps, arg);
	}
	if (set_opt(ps, o))
		return -1;
	switch (o) {
	case VS_OPT_SCHEDULER:
		return parse_sched(ps, arg);
	case VS_OPT_PERSISTENT:
		c->svc.flags |= LVS_SVC_F_PERSISTENT;
		c->svc.timeout = VS_DEFAULT_PERSIST;
		if (arg && vs_number(arg, 1, LVS_PERSIST_TIMEOUT_MAX, &v))
			return fail(ps->e, VS_EXIT_PARSE,
				    "invalid timeout value `%s' specified",
				    arg);
		if (arg)
			c->svc.timeout = v;
		return 0;
	case VS_OPT_NETMASK:
		return do_mask(ps, arg);
	case VS_OPT_WEIGHT:
		return parse_uint(ps, arg, LVS_WEIGHT_MAX, &c->dest.weight,
				  "weight");
	case VS_OPT_UTHRESHOLD:
		return parse_uint(ps, arg, INT32_MAX, &c->dest.u_threshold,
				  "u_threshold");
	case VS_OPT_LTHRESHOLD:
		return parse_uint(ps, arg, INT32_MAX, &c->dest.l_threshold,
				  "l_threshold");
	case VS_OPT_ONEPACKET:
		c->svc.flags |= LVS_SVC_F_ONEPACKET;
		return 0;
	case VS_OPT_SCHED_FLAGS:
		ps->sched_flags = arg;
		return parse_sched_flags(ps, arg, false);
	case VS_OPT_TUN_TYPE:
		if (!strcmp(arg, "ipip"))
			ps->tun_type = LVS_TUN_IPIP;
		else if (!strcmp(arg, "gue"))
			ps->tun_type = LVS_TUN_GUE;
		else if (!strcmp(arg, "gre"))
			ps->tun_type = LVS_TUN_GRE;
		else
			return fail(ps->e, VS_EXIT_PARSE,
				    "illegal tunnel type specified");
		return 0;
	case VS_OPT_TUN_PORT:
		if (vs_parse_port(arg, IPPROTO_UDP, &ps->tun_port) ||
		    !ps->tun_port)
			return fail(ps->e, VS_EXIT_PARSE,
				    "illegal tunnel port specified");
		return 0;
	case VS_OPT_TUN_NOCSUM:
		ps->tun_flags = LVS_TUN_F_NOCSUM;
		return 0;
	case VS_OPT_TUN_CSUM:
		ps->tun_flags = LVS_TUN_F_CSUM;
		return 0;
	case VS_OPT_TUN_REMCSUM:
		ps->tun_flags = LVS_TUN_F_REMCSUM;
		return 0;
	case VS_OPT_MCAST_IFN:
	case VS_OPT_SYNCID:
	case VS_OPT_SYNC_MAXLEN:
	case VS_OPT_MCAST_GROUP:
	case VS_OPT_MCAST_PORT:
	case VS_OPT_MCAST_TTL:
		return parse_daemon_opt(ps, o, arg);
	default:
		return 0;	/* flags: their bit is the whole meaning */
	}
}

static const struct optdef *find_long(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NR_OPTDEFS; i++)
		if (optdefs[i].lname && strlen(optdefs[i].lname) == len &&
		    !strncmp(optdefs[i].lname, name, len))
			return &optdefs[i];
	return NULL;
}

static const struct optdef *find_short(char ch)
{
	size_t i;

	for (i = 0; i < NR_OPTDEFS; i++)
		if (optdefs[i].sname == ch)
			return &optdefs[i];
	return NULL;
}

static void try_help(struct vs_perr *e, const char *prog, const char *what)
{
	fail(e, VS_EXIT_USAGE, "%s\nTry `%s -h' or '%s --help' for more "
	     "information.", what, prog, prog);
}

/* Apply one option met in argv; first tells it is the first one. */
static int apply(struct pstate *ps, const struct optdef *d, const char *arg,
		 const char *spelled, bool first, const char *prog)
{
	char what[128];

	if (first && d->key != K_CMD) {
		snprintf(what, sizeof(what), "a command must come first, "
			 "not `%s'", spelled);
		try_help(ps->e, prog, what);
		return -1;
	}
	switch (d->key) {
	case K_CMD:
		if (!first)
			return fail(ps->e, VS_EXIT_PARSE,
				    "invalid option `%s'", spelled);
		ps->c->cmd = d->val;
		if (d->val == VS_CMD_STARTDAEMON ||
		    d->val == VS_CMD_STOPDAEMON) {
			if (strcmp(arg, "master") && strcmp(arg, "backup"))
				return fail(ps->e, VS_EXIT_PARSE,
					    "illegal start_daemon specified");
			ps->c->daemon_master = !strcmp(arg, "master");
			ps->c->daemon.state = ps->c->daemon_master ?
				LVS_DAEMON_MASTER : LVS_DAEMON_BACKUP;
		}
		return 0;
	case K_IPV6:
		if (!ps->c->svc.fwmark)
			return fail(ps->e, VS_EXIT_PARSE,
				    "-6 used before -f");
		ps->c->svc.af = AF_INET6;
		ps->netmask = 128;
		return 0;
	case K_SORT:
		return 0;
	default:
		return do_opt(ps, d->val, arg);
	}
}

/* An option argument: attached, or the next word (optional ones only if
 * it does not look like an option, as popt). */
static const char *take_arg(const struct optdef *d, const char *attached,
			    int argc, char **argv, int *i)
{
	if (attached)
		return attached;
	if (*i + 1 >= argc)
		return NULL;
	if (d->arg == A_OPT && argv[*i + 1][0] == '-')
		return NULL;
	return argv[++*i];
}

static int missing(struct pstate *ps, const char *spelled, bool first,
		   const char *prog)
{
	char what[128];

	snprintf(what, sizeof(what), "%s: missing argument", spelled);
	if (first) {
		try_help(ps->e, prog, what);
		return -1;
	}
	return fail(ps->e, VS_EXIT_USAGE, "%s", what);
}

static int unknown(struct pstate *ps, const char *spelled, const char *prog)
{
	char what[128];

	snprintf(what, sizeof(what), "unknown option `%s'", spelled);
	try_help(ps->e, prog, what);
	return -1;
}

static int scan_long(struct pstate *ps, int argc, char **argv, int *i,
		     bool first, const char *prog)
{
	const char *name = argv[*i] + 2, *eq = strchr(name, '='), *arg = NULL;
	const struct optdef *d;
	char spelled[64];

	d = find_long(name, eq ? (size_t)(eq - name) : strlen(name));
	snprintf(spelled, sizeof(spelled), "--%.*s",
		 eq ? (int)(eq - name) : (int)strlen(name), name);
	if (!d || (eq && d->arg == A_NONE))
		return unknown(ps, argv[*i], prog);
	if (d->arg != A_NONE) {
		arg = take_arg(d, eq ? eq + 1 : NULL, argc, argv, i);
		if (!arg && d->arg == A_REQ)
			return missing(ps, spelled, first, prog);
	}
	return apply(ps, d, arg, spelled, first, prog);
}

static int scan_short(struct pstate *ps, int argc, char **argv, int *i,
		      bool *first, const char *prog)
{
	const char *word = argv[*i];
	size_t j;

	for (j = 1; word[j]; j++) {
		const struct optdef *d = find_short(word[j]);
		char spelled[3] = { '-', word[j], 0 };
		const char *arg = NULL;

		if (!d)
			return unknown(ps, spelled, prog);
		if (d->arg != A_NONE) {
			arg = take_arg(d, word[j + 1] ? word + j + 1 : NULL,
				       argc, argv, i);
			if (!arg && d->arg == A_REQ)
				return missing(ps, spelled, *first, prog);
		}
		if (apply(ps, d, arg, spelled, *first, prog))
			return -1;
		*first = false;
		if (d->key == K_CMD && (d->val == VS_CMD_HELP ||
					d->val == VS_CMD_VERSION))
			return 0;
		if (d->arg != A_NONE)
			break;
	}
	return 0;
}

static int scan(struct pstate *ps, int argc, char **argv)
{
	const char *prog = argv[0];
	bool first = true, opts_done = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *w = argv[i];

		if (!opts_done && !strcmp(w, "--")) {
			opts_done = true;
		} else if (!opts_done && w[0] == '-' && w[1] == '-') {
			if (scan_long(ps, argc, argv, &i, first, prog))
				return -1;
			first = false;
		} else if (!opts_done && w[0] == '-' && w[1]) {
			if (scan_short(ps, argc, argv, &i, &first, prog))
				return -1;
		} else if (first) {
			char what[128];

			snprintf(what, sizeof(what),
				 "a command must come first, not `%s'", w);
			try_help(ps->e, prog, what);
			return -1;
		} else if (ps->nargs < (int)(sizeof(ps->args) /
					     sizeof(ps->args[0]))) {
			ps->args[ps->nargs++] = w;
		} else {
			return fail(ps->e, VS_EXIT_PARSE,
				    "unexpected argument %s", w);
		}
		if (ps->c->cmd == VS_CMD_HELP || ps->c->cmd == VS_CMD_VERSION)
			return 0;
	}
	return 0;
}

/* ipvsadm's generic check of the command/option table. */
static int check_table(struct pstate *ps)
{
	const char *row = cmd_opts[ps->c->cmd];
	const char *cmd = cmd_names[ps->c->cmd];
	int i, one = -1;

	for (i = 0; i < VS_OPT_NR_TABLE; i++) {
		bool set = ps->c->options & VS_OPT(i);

		if (row[i] == 'x' && set)
			return fail(ps->e, VS_EXIT_PARSE,
				    "Illegal '%s' option with the '%s' command",
				    opt_names[i], cmd);
		if (row[i] == '+' && !set)
			return fail(ps->e, VS_EXIT_PARSE,
				    "You need to supply the '%s' option for "
				    "the '%s' command", opt_names[i], cmd);
		if (row[i] == '1' && set) {
			if (one >= 0)
				return fail(ps->e, VS_EXIT_PARSE,
					    "The option '%s' conflicts with "
					    "the '%s' option in the '%s' "
					    "command", opt_names[i],
					    opt_names[one], cmd);
			one = i;
		}
	}
	if ((ps->c->options & VS_OPT(VS_OPT_JSON)) &&
	    ps->c->cmd != VS_CMD_LIST)
		return fail(ps->e, VS_EXIT_PARSE,
			    "Illegal 'json' option with the '%s' command", cmd);
	return 0;
}

static int check_tunnel(struct pstate *ps)
{
	static const int topt[4] = { VS_OPT_TUN_PORT, VS_OPT_TUN_NOCSUM,
				     VS_OPT_TUN_CSUM, VS_OPT_TUN_REMCSUM };
	uint64_t any = VS_OPT(VS_OPT_TUN_TYPE) | VS_OPT(VS_OPT_TUN_PORT) |
		       VS_OPT(VS_OPT_TUN_NOCSUM) | VS_OPT(VS_OPT_TUN_CSUM) |
		       VS_OPT(VS_OPT_TUN_REMCSUM);
	struct vs_cmd *c = ps->c;
	const char *row, *type;
	int i, one = -1;

	if (!(c->options & any))
		return 0;
	if (c->dest.fwd != LVS_FWD_TUNNEL)
		return fail(ps->e, VS_EXIT_PARSE,
			    "Tunnel options conflict with forward method");
	row = tun_opts[ps->tun_type];
	type = vs_tun_name(ps->tun_type);
	for (i = 0; i < 4; i++) {
		bool set = c->options & VS_OPT(topt[i]);

		if (row[i] == 'x' && set)
			return fail(ps->e, VS_EXIT_PARSE,
				    "Illegal '%s' option with the '%s' tunnel "
				    "type", opt_names[topt[i]], type);
		if (row[i] == '+' && !set)
			return fail(ps->e, VS_EXIT_PARSE,
				    "You need to supply the '%s' option for "
				    "the '%s' tunnel type", opt_names[topt[i]],
				    type);
		if (row[i] == '1' && set) {
			if (one >= 0)
				return fail(ps->e, VS_EXIT_PARSE,
					    "The option '%s' conflicts with "
					    "the '%s' option in the '%s' "
					    "tunnel type", opt_names[topt[i]],
					    opt_names[one], type);
			one = topt[i];
		}
	}
	return 0;
}

static int finish_service(struct pstate *ps)
{
	struct lvsc_service *s = &ps->c->svc;

	if (!ps->sched_set)
		strcpy(s->sched, VS_DEFAULT_SCHED);
	if (ps->sched_flags && parse_sched_flags(ps, ps->sched_flags, true))
		return -1;
	s->netmask = ps->netmask;
	if ((s->flags & LVS_SVC_F_ONEPACKET) && !s->fwmark &&
	    s->protocol != IPPROTO_UDP)
		return fail(ps->e, VS_EXIT_PARSE,
			    "One-Packet Scheduling is only for UDP virtual "
			    "services");
	if (!s->fwmark && !s->port && !(s->flags & LVS_SVC_F_PERSISTENT))
		return fail(ps->e, VS_EXIT_PARSE,
			    "Zero port specified for non-persistent service");
	return 0;
}

static int finish_dest(struct pstate *ps)
{
	struct vs_cmd *c = ps->c;
	struct lvsc_dest *d = &c->dest;

	if (!ps->has_rport)
		d->port = c->svc.port;
	if (d->af == c->svc.af)
		d->af = 0;
	if (c->cmd == VS_CMD_DELDEST)
		return 0;
	if (!(c->options & VS_OPT(VS_OPT_FORWARD)))
		d->fwd = LVS_FWD_DROUTE;
	if (!(c->options & VS_OPT(VS_OPT_WEIGHT)))
		d->weight = 1;
	if (check_tunnel(ps))
		return -1;
	if (d->fwd == LVS_FWD_TUNNEL) {
		d->tun_type = ps->tun_type;
		d->tun_port = ps->tun_port;
		d->tun_flags = ps->tun_flags;
	}
	if (d->af && d->fwd != LVS_FWD_TUNNEL)
		return fail(ps->e, VS_EXIT_PARSE,
			    "Different address family is allowed only for "
			    "tunneling servers");
	/* Direct routing and tunnels cannot change the port: ipvsadm
	 * silently uses the service's (fwmark services have none). */
	if (d->fwd != LVS_FWD_MASQ && !c->svc.fwmark)
		d->port = c->svc.port;
	return 0;
}

static int finish(struct pstate *ps)
{
	struct vs_cmd *c = ps->c;
	uint64_t listonly = VS_OPT(VS_OPT_STATS) | VS_OPT(VS_OPT_RATE) |
			    VS_OPT(VS_OPT_THRESHOLDS) |
			    VS_OPT(VS_OPT_PERSISTENTCONN) |
			    VS_OPT(VS_OPT_TUN_INFO);
	uint64_t other = VS_OPT(VS_OPT_CONNECTION) | VS_OPT(VS_OPT_TIMEOUT) |
			 VS_OPT(VS_OPT_DAEMON);
	int i, k = 0;
	long long v;

	if (c->cmd == VS_CMD_TIMEOUT) {
		if (ps->nargs < 3)
			return fail(ps->e, VS_EXIT_PARSE,
				    "--set option requires 3 timeout values");
		/* ipvsadm's MAX_TIMEOUT: 31 days, as for -p. */
		for (i = 0; i < 3; i++) {
			if (vs_number(ps->args[i], 0,
				      LVS_PERSIST_TIMEOUT_MAX, &v))
				return fail(ps->e, VS_EXIT_PARSE,
					    "invalid timeout value `%s' "
					    "specified", ps->args[i]);
			c->timeout[i] = v;
		}
		k = 3;
	}
	if (ps->nargs > k)
		return fail(ps->e, VS_EXIT_PARSE, "unexpected argument %s",
			    ps->args[k]);
	if (check_table(ps))
		return -1;
	if (c->cmd == VS_CMD_LIST && (c->options & other) &&
	    (c->options & listonly))
		return fail(ps->e, VS_EXIT_PARSE,
			    "options conflicts in the list command");
	if ((c->options & VS_OPT(VS_OPT_SERVICE)) &&
	    c->svc.protocol == IPPROTO_SCTP)
		return fail(ps->e, VS_EXIT_PARSE,
			    "SCTP services are not supported by lvs");
	if (c->options & VS_OPT(VS_OPT_PE))
		return fail(ps->e, VS_EXIT_PARSE,
			    "persistence engines (--pe) are not supported "
			    "by lvs");
	switch (c->cmd) {
	case VS_CMD_ADD:
	case VS_CMD_EDIT:
		return finish_service(ps);
	case VS_CMD_ADDDEST:
	case VS_CMD_EDITDEST:
	case VS_CMD_DELDEST:
		return finish_dest(ps);
	default:
		return 0;
	}
}

static void set_format(struct vs_cmd *c)
{
	static const struct { int opt; unsigned int fmt; } map[] = {
		{ VS_OPT_NUMERIC, VS_FMT_NUMERIC },
		{ VS_OPT_STATS, VS_FMT_STATS },
		{ VS_OPT_RATE, VS_FMT_RATE },
		{ VS_OPT_THRESHOLDS, VS_FMT_THRESHOLDS },
		{ VS_OPT_PERSISTENTCONN, VS_FMT_PERSISTENTCONN },
		{ VS_OPT_NOSORT, VS_FMT_NOSORT },
		{ VS_OPT_EXACT, VS_FMT_EXACT },
		{ VS_OPT_TUN_INFO, VS_FMT_TUN_INFO },
		{ VS_OPT_JSON, VS_FMT_JSON },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (c->options & VS_OPT(map[i].opt))
			c->format |= map[i].fmt;
	if (c->cmd == VS_CMD_SAVE)
		c->format |= VS_FMT_RULE;
}

int vs_parse(int argc, char **argv, struct vs_cmd *c, struct vs_perr *e)
{
	struct pstate ps = { .c = c, .e = e, .netmask = 0xffffffff };

	memset(c, 0, sizeof(*c));
	memset(e, 0, sizeof(*e));
	c->cmd = VS_CMD_NONE;
	if (argc < 2) {
		/* No arguments at all: list, as ipvsadm. */
		c->cmd = VS_CMD_LIST;
		return 0;
	}
	if (scan(&ps, argc, argv))
		return -1;
	if (c->cmd == VS_CMD_HELP || c->cmd == VS_CMD_VERSION)
		return 0;
	if (finish(&ps))
		return -1;
	set_format(c);
	return 0;
}

void vs_usage(FILE *fp, const char *p)
{
	fprintf(fp,
"vsadm %d.%d.%d (ipvsadm 1.31 compatible, for the lvs module)\n"
"Usage:\n"
"  %s -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [-b sched-flags]\n"
"  %s -D virtual-service\n"
"  %s -C\n"
"  %s -R\n"
"  %s -S [-n]\n"
"  %s -a|e virtual-service -r server-address [options]\n"
"  %s -d virtual-service -r server-address\n"
"  %s -L|l [virtual-service] [options]\n"
"  %s -Z [virtual-service]\n"
"  %s --set tcp tcpfin udp\n"
"  %s -h\n"
"\n"
"Commands:\n"
"Either long or short options are allowed.\n"
"  --add-service     -A        add virtual service with options\n"
"  --edit-service    -E        edit virtual service with options\n"
"  --delete-service  -D        delete virtual service\n"
"  --clear           -C        clear the whole table\n"
"  --restore         -R        restore rules from stdin\n"
"  --save            -S        save rules to stdout\n"
"  --add-server      -a        add real server with options\n"
"  --edit-server     -e        edit real server with options\n"
"  --delete-server   -d        delete real server\n"
"  --list            -L|-l     list the table\n"
"  --zero            -Z        zero counters in a service or all services\n"
"  --set tcp tcpfin udp        set connection timeout values\n"
"  --start-daemon              start connection sync daemon\n"
"  --stop-daemon               stop connection sync daemon\n"
"  --help            -h        display this help message\n"
"  --version         -v        display the version\n"
"\n"
"virtual-service:\n"
"  --tcp-service|-t  service-address   service-address is host[:port]\n"
"  --udp-service|-u  service-address   service-address is host[:port]\n"
"  --fwmark-service|-f fwmark          fwmark is an integer greater than zero\n"
"\n"
"Options:\n"
"  --ipv6         -6                   fwmark entry uses IPv6\n"
"  --scheduler    -s scheduler         one of rr|wrr|lc|wlc|lblc|lblcr|dh|sh|sed|nq|fo|ovf|mh,\n"
"                                      the default scheduler is %s.\n"
"  --persistent   -p [timeout]         persistent service (default %d s)\n"
"  --netmask      -M netmask           persistent granularity mask\n"
"  --real-server  -r server-address    server-address is host (and port)\n"
"  --gatewaying   -g                   gatewaying (direct routing) (default)\n"
"  --ipip         -i                   ipip encapsulation (tunneling)\n"
"  --masquerading -m                   masquerading (NAT)\n"
"  --tun-type      type                one of ipip|gue|gre,\n"
"                                      the default tunnel type is ipip.\n"
"  --tun-port      port                tunnel destination port\n"
"  --tun-nocsum                        tunnel encapsulation without checksum\n"
"  --tun-csum                          tunnel encapsulation with checksum\n"
"  --tun-remcsum                       tunnel encapsulation with remote checksum\n"
"  --weight       -w weight            capacity of real server\n"
"  --u-threshold  -x uthreshold        upper threshold of connections\n"
"  --l-threshold  -y lthreshold        lower threshold of connections\n"
"  --connection   -c                   output of current connections\n"
"  --timeout                           output of timeout (tcp tcpfin udp)\n"
"  --daemon                            output of daemon information\n"
"  --stats                             output of statistics information\n"
"  --rate                              output of rate information\n"
"  --exact        -X                   expand numbers (display exact values)\n"
"  --thresholds                        output of thresholds information\n"
"  --persistent-conn                   output of persistent connection info\n"
"  --tun-info                          output of tunnel information\n"
"  --nosort                            disable sorting output of service/server entries\n"
"  --sort                              does nothing, for backwards compatibility\n"
"  --ops          -o                   one-packet scheduling\n"
"  --numeric      -n                   numeric output of addresses and ports\n"
"  --sched-flags  -b flags             scheduler flags (comma-separated)\n"
"  --mcast-interface interface         multicast interface for connection sync\n"
"  --syncid sid                        syncid for connection sync (default=0)\n"
"  --sync-maxlen length                Max sync message length (default=1472)\n"
"  --mcast-group group                 IPv4 group (default=224.0.0.81)\n"
"  --mcast-port port                   UDP port (default=8848)\n"
"  --mcast-ttl ttl                     Multicast TTL (default=1)\n"
"  --json                              JSON output for listings\n",
		LVS_VERSION_MAJOR, LVS_VERSION_MINOR, LVS_VERSION_PATCH,
		p, p, p, p, p, p, p, p, p, p, p, VS_DEFAULT_SCHED,
		VS_DEFAULT_PERSIST);
}
