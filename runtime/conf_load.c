// SPDX-License-Identifier: GPL-2.0
/*
 * conf_load.c - keepalived's grammar at the top level, for a host of
 * subsystems (subsys.h): global_defs with the keywords every subsystem
 * shares, the blocks and global keywords subsystems registered, and
 * keepalived's other blocks, skipped with a warning when nobody here owns
 * them.  Then each subsystem's conf_done(), and a warning for every file
 * others can write.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "conf_int.h"
#include "subsys.h"

#define OFF(f)		offsetof(struct global_conf, f)

RT_REGISTRY(subsystems, "subsystem");

static size_t subsys_index(const struct subsys *ss)
{
	size_t i = 0;

	while (i < subsystems.n && subsystems.items[i] != ss)
		i++;
	return i;
}

void *conf_sub(const struct conf *c, const struct subsys *ss)
{
	size_t i = subsys_index(ss);

	return i < subsystems.n ? c->sub[i] : NULL;
}

/* A block nobody here reads: skipped, with its place. */
static int kw_skip(struct conf_parser *p, const struct conf_kw *kw,
		   void *obj, int argc, char **argv)
{
	conf_warn(p, "'%s' block skipped: no part of this daemon handles it",
		  argv[0]);
	return 0;
}

static const struct conf_block skip_block = { .name = "skipped" };

static const struct conf_kw skip_kw = {
	.name = "skipped", .parse = kw_skip, .block = &skip_block
};

/* ---- global_defs ---- */

static int kw_script_user(struct conf_parser *p, const struct conf_kw *kw,
			  void *obj, int argc, char **argv)
{
	struct global_conf *g = obj;

	if (argc < 2) {
		conf_err(p, "script_user needs a user name");
		return -1;
	}
	free(g->script_user);
	free(g->script_group);
	g->script_user = strdup(argv[1]);
	g->script_group = argc >= 3 ? strdup(argv[2]) : NULL;
	return 0;
}

static int kw_ctl_mode(struct conf_parser *p, const struct conf_kw *kw,
		       void *obj, int argc, char **argv)
{
	struct global_conf *g = obj;
	char *end;
	long m;

	if (argc < 2)
		return conf_err(p, "'%s' needs an octal mode", argv[0]), -1;
	m = strtol(argv[1], &end, 8);
	if (*end || m < 0 || m > 0777 || (m & 0007)) {
		conf_err(p, "invalid %s '%s' (octal, no access for others)",
			 argv[0], argv[1]);
		return -1;
	}
	g->ctl_mode = m;
	return 0;
}

/* A decimal port 1..65535: no sign, no trailing text. */
static bool port_parse(const char *s, unsigned long long *port)
{
	char *end;

	if (!(*s >= '0' && *s <= '9'))
		return false;
	errno = 0;
	*port = strtoull(s, &end, 10);
	return !errno && !*end && *port >= 1 && *port <= 65535;
}

/*
 * notification_email { a@b c@d ... }: one or more addresses a line.  A bare
 * local part ("acassen", keepalived's own sample) is a mailbox too; what
 * would break out of the SMTP command (CR, LF, angle brackets) is not.
 */
static int emails_line(struct conf_parser *p, void *obj, int argc,
		       char **argv)
{
	struct global_conf *g = obj;

	for (int i = 0; i < argc; i++) {
		if (strpbrk(argv[i], "\r\n<>")) {
			conf_err(p, "invalid notification_email '%s'",
				 argv[i]);
			continue;
		}
		CONF_PUSH(g->emails, g->n_emails, strdup(argv[i]));
	}
	return 0;
}

static const struct conf_block emails_block = {
	.name = "notification_email", .line = emails_line,
};

static int kw_emails(struct conf_parser *p, const struct conf_kw *kw,
		     void *obj, int argc, char **argv)
{
	conf_set_child(p, obj);
	return 0;
}

/* smtp_server IP [PORT] (default 25). */
static int kw_smtp_server(struct conf_parser *p, const struct conf_kw *kw,
			  void *obj, int argc, char **argv)
{
	struct global_conf *g = obj;
	unsigned long long port = 25;
	struct conf_addr a = { 0 };

	if (argc < 2 || argc > 3) {
		conf_err(p, "smtp_server needs an address and an optional "
			 "port");
		return -1;
	}
	if (argc == 3 && !port_parse(argv[2], &port)) {
		conf_err(p, "invalid smtp_server port '%s'", argv[2]);
		return -1;
	}
	if (conf_addr_parse(argv[1], &a)) {
		conf_err(p, "invalid smtp_server address '%s'", argv[1]);
		return -1;
	}
	a.port = (uint16_t)port;
	g->smtp_server = a;
	return 0;
}

static const struct conf_kw global_kws[] = {
	{ .name = "router_id", .parse = conf_kw_str, .off = OFF(router_id) },
	{ .name = "lvs_id", .parse = conf_kw_str, .off = OFF(router_id) },
	{ .name = "script_user", .parse = kw_script_user },
	{ .name = "enable_script_security", .parse = conf_kw_bool,
	  .off = OFF(enable_script_security), .def = "off" },
	{ .name = "lvsd_control_socket", .parse = conf_kw_str,
	  .off = OFF(ctl_socket), .def = "/run/lvsd.sock" },
	{ .name = "lvsd_control_group", .parse = conf_kw_str,
	  .off = OFF(ctl_group) },
	{ .name = "lvsd_control_mode", .parse = kw_ctl_mode, .def = "0600" },
	{ .name = "lvsd_metrics_listen", .parse = conf_kw_str,
	  .off = OFF(metrics_listen) },
	{ .name = "notification_email", .parse = kw_emails,
	  .block = &emails_block },
	{ .name = "notification_email_from", .parse = conf_kw_str,
	  .off = OFF(email_from) },
	{ .name = "smtp_server", .parse = kw_smtp_server },
	{ .name = "smtp_helo_name", .parse = conf_kw_str,
	  .off = OFF(smtp_helo_name) },
	{ .name = "smtp_connect_timeout", .parse = conf_kw_timer,
	  .off = OFF(smtp_connect_timeout), .min = USEC_PER_SEC,
	  .max = 86400 * USEC_PER_SEC, .def = "30" },
	{ .name = "smtp_alert", .parse = conf_kw_bool, .off = OFF(smtp_alert),
	  .def = "off" },
	{ .name = NULL }
};

/* keepalived's other global keywords: accepted with a note. */
static const char *const global_ignored[] = {
	"lvs_flush_on_stop",
	"dynamic_interfaces",
	"max_auto_priority", "net_namespace", "checker_priority",
	"checker_no_swap", "checker_process_name", "use_pid_dir",
	"instance", "child_wait_time", "no_email_faults", "umask",
	"process_names", "linkbeat_use_polling",
	"enable_traps", "enable_dbus", "nftables", "nftables_ipvs",
	"ipvs_process_name", "default_interface", "startup_script",
	"shutdown_script", "notify_fifo", "notify_fifo_script", NULL
};

static const struct conf_kw global_ignored_kw = {
	.name = "ignored", .parse = conf_kw_ignored
};

static const struct conf_kw *find_row(const struct conf_kw *kws,
				      const char *name)
{
	for (const struct conf_kw *kw = kws; kw && kw->name; kw++)
		if (!strcmp(kw->name, name))
			return kw;
	return NULL;
}

static const struct conf_kw *global_lookup(void *obj, const char *name,
					   void **kwobj)
{
	static const char *const prefixes[] = { "vrrp_", "bfd_", "snmp_",
						"smtp_", "lvs_", "checker_",
						NULL };
	struct conf *c = (struct conf *)((char *)obj - offsetof(struct conf,
							       g));
	const struct conf_kw *kw;

	for (size_t i = 0; i < subsystems.n; i++) {
		const struct subsys *ss = subsystems.items[i];

		if ((kw = find_row(ss->global_kws, name))) {
			*kwobj = c->sub[i];
			return kw;
		}
	}
	*kwobj = obj;
	for (size_t i = 0; global_ignored[i]; i++)
		if (!strcmp(name, global_ignored[i]))
			return &global_ignored_kw;
	for (size_t i = 0; prefixes[i]; i++)
		if (!strncmp(name, prefixes[i], strlen(prefixes[i])))
			return &global_ignored_kw;
	return NULL;
}

static const struct conf_block global_block = {
	.name = "global_defs", .kws = global_kws, .lookup = global_lookup,
};

static int kw_global(struct conf_parser *p, const struct conf_kw *kw,
		     void *obj, int argc, char **argv)
{
	struct conf *c = obj;

	/* One struct for every global_defs block: defaults were set once. */
	conf_set_child(p, &c->g);
	p->child_existing = true;
	return 0;
}

/* ---- top level ---- */

static const struct conf_kw root_kws[] = {
	{ .name = "global_defs", .parse = kw_global, .block = &global_block },
	{ .name = NULL }
};

/* keepalived's top-level blocks: known, so skipped unless owned. */
static const char *const keepalived_blocks[] = {
	"vrrp_instance", "vrrp_sync_group", "vrrp_script",
	"vrrp_track_process", "garp_group", "static_ipaddress",
	"static_routes", "static_rules", "linkbeat_interfaces", "track_file",
	"bfd_instance", "SSL", "virtual_server", "virtual_server_group", NULL
};

static const struct conf_kw *root_lookup(void *obj, const char *name,
					 void **kwobj)
{
	struct conf *c = obj;
	const struct conf_kw *kw;

	for (size_t i = 0; i < subsystems.n; i++) {
		const struct subsys *ss = subsystems.items[i];

		if ((kw = find_row(ss->kws, name))) {
			*kwobj = c->sub[i];
			return kw;
		}
	}
	*kwobj = obj;
	for (size_t i = 0; keepalived_blocks[i]; i++)
		if (!strcmp(name, keepalived_blocks[i]))
			return &skip_kw;
	return NULL;
}

static const struct conf_block root_block = {
	.name = "top level", .kws = root_kws, .lookup = root_lookup,
};

static void check_writable(struct conf_log *log, const char *path)
{
	struct stat st;

	if (stat(path, &st) == 0 && (st.st_mode & S_IWOTH))
		conf_log_add(log, CONF_WARN, path, 0,
			     "'%s' is writable by others", path);
}

static struct conf *load(const char *path, const void *buf, size_t len,
			 const struct conf_opts *opts, struct conf_log *log)
{
	struct conf_lexer l = { .opts = opts, .log = log };
	struct conf_parser p = { .log = log };
	struct conf *c;

	if (buf ? conf_lex_mem(&l, path, buf, len) :
		  conf_lex_file(&l, path, NULL, 0)) {
		conf_lex_free(&l);
		for (size_t i = 0; i < l.n_files; i++)
			free(l.files[i]);
		free(l.files);
		return NULL;
	}
	c = conf_xcalloc(sizeof(*c));
	c->path = strdup(path);
	c->files = l.files;
	c->n_files = l.n_files;
	c->g.ctl_mode = 0600;
	conf_apply_defaults(&p, global_kws, &c->g);
	for (size_t i = 0; i < subsystems.n; i++) {
		const struct subsys *ss = subsystems.items[i];

		c->sub[i] = conf_xcalloc(ss->conf_size ? ss->conf_size : 1);
		conf_apply_defaults(&p, ss->global_kws, c->sub[i]);
		if (ss->conf_init)
			ss->conf_init(c->sub[i]);
	}
	conf_walk(&p, &root_block, c, l.toks.v, l.toks.n);
	conf_lex_free(&l);
	for (size_t i = 0; i < subsystems.n; i++) {
		const struct subsys *ss = subsystems.items[i];

		if (ss->conf_done)
			ss->conf_done(c, c->sub[i], log);
	}
	for (size_t i = 0; i < c->n_files; i++)
		check_writable(log, c->files[i]);
	return c;
}

struct conf *conf_load(const char *path, const struct conf_opts *opts,
		       struct conf_log *log)
{
	return load(path, NULL, 0, opts, log);
}

struct conf *conf_load_mem(const char *name, const void *buf, size_t len,
			   const struct conf_opts *opts, struct conf_log *log)
{
	/* a non-NULL pointer even for an empty text */
	return load(name, buf ? buf : "", len, opts, log);
}

void conf_free(struct conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < subsystems.n; i++) {
		const struct subsys *ss = subsystems.items[i];

		if (c->sub[i] && ss->conf_free)
			ss->conf_free(c->sub[i]);
		free(c->sub[i]);
	}
	for (size_t i = 0; i < c->n_files; i++)
		free(c->files[i]);
	free(c->files);
	for (size_t i = 0; i < c->g.n_emails; i++)
		free(c->g.emails[i]);
	free(c->g.emails);
	free(c->g.email_from);
	free(c->g.smtp_helo_name);
	free(c->g.router_id);
	free(c->g.script_user);
	free(c->g.script_group);
	free(c->g.ctl_socket);
	free(c->g.ctl_group);
	free(c->g.metrics_listen);
	free(c->path);
	free(c);
}
