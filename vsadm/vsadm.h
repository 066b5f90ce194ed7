/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vsadm.h - the ipvsadm-compatible command line: shared types.
 *
 * vsadm is split so that everything but the kernel round trip is a pure
 * function of its input, unit-tested without lvs.ko:
 *   parse.c    argv -> struct vs_cmd (ipvsadm's options and checks)
 *   addr.c     addresses, ports and numbers, both ways
 *   print.c    one print path for text and JSON (iproute2 style)
 *   list.c     ipvsadm's listing, save, connection and timeout formats
 *   restore.c  -R input -> a list of struct vs_cmd
 *   vsadm.c    main: dispatch table, talks to liblvsc
 */
#ifndef _VSADM_H
#define _VSADM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "lvsc.h"

/* Commands, in the order of ipvsadm's command/option table rows. */
enum vs_cmd_id {
	VS_CMD_ADD,		/* -A */
	VS_CMD_EDIT,		/* -E */
	VS_CMD_DEL,		/* -D */
	VS_CMD_FLUSH,		/* -C */
	VS_CMD_LIST,		/* -L, -l */
	VS_CMD_ADDDEST,		/* -a */
	VS_CMD_DELDEST,		/* -d */
	VS_CMD_EDITDEST,	/* -e */
	VS_CMD_TIMEOUT,		/* --set */
	VS_CMD_STARTDAEMON,	/* --start-daemon */
	VS_CMD_STOPDAEMON,	/* --stop-daemon */
	VS_CMD_RESTORE,		/* -R */
	VS_CMD_SAVE,		/* -S */
	VS_CMD_ZERO,		/* -Z */
	VS_CMD_NR_TABLE,	/* commands above are in the table */
	VS_CMD_HELP = VS_CMD_NR_TABLE,	/* -h */
	VS_CMD_VERSION,		/* -v */
	VS_CMD_NONE,
};

/* Options, in the order of ipvsadm's command/option table columns. */
enum vs_opt {
	VS_OPT_NUMERIC,
	VS_OPT_CONNECTION,
	VS_OPT_SERVICE,
	VS_OPT_SCHEDULER,
	VS_OPT_PERSISTENT,
	VS_OPT_NETMASK,
	VS_OPT_SERVER,
	VS_OPT_FORWARD,
	VS_OPT_WEIGHT,
	VS_OPT_UTHRESHOLD,
	VS_OPT_LTHRESHOLD,
	VS_OPT_MCAST_IFN,
	VS_OPT_TIMEOUT,
	VS_OPT_DAEMON,
	VS_OPT_STATS,
	VS_OPT_RATE,
	VS_OPT_THRESHOLDS,
	VS_OPT_PERSISTENTCONN,
	VS_OPT_NOSORT,
	VS_OPT_SYNCID,
	VS_OPT_EXACT,
	VS_OPT_ONEPACKET,
	VS_OPT_PE,
	VS_OPT_SCHED_FLAGS,
	VS_OPT_MCAST_GROUP,
	VS_OPT_MCAST_PORT,
	VS_OPT_MCAST_TTL,
	VS_OPT_SYNC_MAXLEN,
	VS_OPT_TUN_INFO,
	VS_OPT_TUN_TYPE,
	VS_OPT_TUN_PORT,
	VS_OPT_TUN_NOCSUM,
	VS_OPT_TUN_CSUM,
	VS_OPT_TUN_REMCSUM,
	VS_OPT_NR_TABLE,
	/* vsadm's own, outside ipvsadm's table: */
	VS_OPT_JSON = VS_OPT_NR_TABLE,
	VS_OPT_NR,
};

#define VS_OPT(o)	(1ULL << (o))

/* Listing formats, as ipvsadm's FMT_* bits. */
#define VS_FMT_NUMERIC		0x0001
#define VS_FMT_RULE		0x0002	/* -S */
#define VS_FMT_STATS		0x0004
#define VS_FMT_RATE		0x0008
#define VS_FMT_THRESHOLDS	0x0010
#define VS_FMT_PERSISTENTCONN	0x0020
#define VS_FMT_NOSORT		0x0040
#define VS_FMT_EXACT		0x0080
#define VS_FMT_TUN_INFO		0x0100
#define VS_FMT_JSON		0x0200

/* -p without a value, as ipvsadm (its man page says 300, its code 360). */
#define VS_DEFAULT_PERSIST	360
#define VS_DEFAULT_SCHED	"wlc"

/* Exit codes, as ipvsadm's. */
#define VS_EXIT_OK		0
#define VS_EXIT_PARSE		2	/* bad arguments: fail(2, ...) */
#define VS_EXIT_USAGE		255	/* unknown option: exit(-1) */
#define VS_EXIT_KERNEL		255	/* refused by the module */
#define VS_EXIT_RUNTIME		1	/* e.g. an output error */

/* A parsed command line (or one -R line). */
struct vs_cmd {
	enum vs_cmd_id		cmd;
	uint64_t		options;	/* VS_OPT() bits seen */
	unsigned int		format;		/* VS_FMT_* */
	struct lvsc_service	svc;
	struct lvsc_dest	dest;
	uint32_t		timeout[3];	/* --set tcp tcpfin udp */
	bool			daemon_master;	/* --start/stop-daemon */
	struct lvsc_daemon	daemon;		/* its options */
};

/* A parse error: the exit code ipvsadm would use and its message. */
struct vs_perr {
	int	status;
	char	msg[256];
};

/* parse.c */
int vs_parse(int argc, char **argv, struct vs_cmd *c, struct vs_perr *e);
const char *vs_cmd_name(enum vs_cmd_id cmd);
void vs_usage(FILE *fp, const char *prog);

/* addr.c */
int vs_number(const char *s, long long min, long long max, long long *out);
int vs_parse_port(const char *s, uint16_t proto, uint16_t *port);
/* host[:port], [v6]:port or a bare IPv6 address; 0 or -1.  *has_port
 * tells whether a port was written (":0" counts). */
int vs_parse_addrport(const char *s, uint16_t proto, uint16_t *af,
		      union lvsc_addr *addr, uint16_t *port, bool *has_port);
/* ipvsadm's "addr:port" text, numeric or resolved; truncated to 59. */
void vs_addrport_name(char *buf, size_t len, uint16_t af,
		      const union lvsc_addr *addr, uint16_t port,
		      uint16_t proto, bool numeric);
const char *vs_proto_name(uint16_t proto);
const char *vs_fwd_name(uint8_t fwd);
const char *vs_tun_name(uint8_t type);

/* print.c: one print path for text and JSON. */
enum vs_pmode { VS_FP = 1, VS_JSON = 2, VS_ANY = 3 };

struct vs_out;
struct vs_out *vs_out_new(FILE *fp, bool json);
/* Finish: writes the JSON document; returns -1 on an output error. */
int vs_out_end(struct vs_out *o);
bool vs_out_json(const struct vs_out *o);
void vs_open_obj(struct vs_out *o, const char *key);
void vs_close_obj(struct vs_out *o);
void vs_open_arr(struct vs_out *o, const char *key);
void vs_close_arr(struct vs_out *o);
void vs_print_str(struct vs_out *o, enum vs_pmode m, const char *key,
		  const char *fmt, const char *val);
void vs_print_uint(struct vs_out *o, enum vs_pmode m, const char *key,
		   const char *fmt, uint64_t val);
void vs_print_bool(struct vs_out *o, const char *key, bool val);
/* Text only, printf-like. */
void vs_printf(struct vs_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* list.c: the rule set as read from the module. */
struct vs_rule {
	struct lvsc_service	svc;
	struct lvsc_dest	*dests;
	size_t			ndests;
};

struct vs_table {
	struct vs_rule		*rules;
	size_t			n;
};

/* The module's identity for the header line. */
struct vs_ident {
	const char	*name;		/* "LVS" */
	uint32_t	version;	/* LVS_VERSION_CODE layout */
	uint32_t	size;		/* connection table buckets */
};

void vs_sort_table(struct vs_table *t);
void vs_print_list(struct vs_out *o, const struct vs_table *t,
		   const struct vs_ident *id, unsigned int fmt, bool single);
void vs_print_save(struct vs_out *o, const struct vs_table *t,
		   unsigned int fmt);
void vs_print_conns(struct vs_out *o, const struct lvsc_conn *c, size_t n,
		    unsigned int fmt);
void vs_print_timeout(struct vs_out *o, const struct lvsc_config *cfg);
void vs_print_daemons(struct vs_out *o, const struct lvsc_daemon *d,
		      size_t n);
void vs_table_free(struct vs_table *t);

/* restore.c: split -R input into commands; 0 or -1 with e filled and
 * *line set to the 1-based number of the bad line. */
struct vs_cmds {
	struct vs_cmd	*cmd;
	size_t		*line;		/* input line of each command */
	size_t		n, cap;
};

int vs_restore_parse(FILE *in, const char *prog, struct vs_cmds *out,
		     size_t *line, struct vs_perr *e);
void vs_cmds_free(struct vs_cmds *c);

/* sysctl.c: "--sysctl [NAME[=VALUE]]...", its own command line; exit code. */
int vs_sysctl(const char *prog, int argc, char **argv);

#endif /* _VSADM_H */
