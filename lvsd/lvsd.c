// SPDX-License-Identifier: GPL-2.0
/*
 * lvsd - health checks and real server management for lvs, driven by a
 * keepalived.conf.  keepalived's flags where they mean something here:
 *
 *   lvsd [-f FILE] [-t] [-i ID] [-b kernel|bpf|dry] [-s SOCKET] [-m ADDR:PORT]
 *   lvsd ctl ...                     (see ctl_client.c)
 *
 * -t checks FILE and exits 0 (good), 5 (errors, lvsd would run) or 4
 * (cannot run), as keepalived -t.  lvsd always stays in the foreground and
 * logs to stderr (-n, -l, -D, -C are accepted for keepalived's unit files).
 * Signals: SIGHUP reloads, SIGTERM/SIGINT stop.  When started by systemd
 * with Type=notify it says READY=1, RELOADING=1 and STOPPING=1.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <systemd/sd-daemon.h>

#include "daemon.h"
#include "loop.h"
#include "vrrp_proc.h"

#define DEFAULT_CONF	"/etc/keepalived/keepalived.conf"

static void print_log(const struct conf_log *log, enum conf_sev min)
{
	for (size_t i = 0; i < log->n; i++) {
		const struct conf_msg *m = &log->msgs[i];

		if (m->sev < min)
			continue;
		if (m->file && m->line)
			fprintf(stderr, "%s:%d: %s: %s\n", m->file, m->line,
				conf_sev_name(m->sev), m->text);
		else if (m->file)
			fprintf(stderr, "%s: %s: %s\n", m->file,
				conf_sev_name(m->sev), m->text);
		else
			fprintf(stderr, "%s: %s\n", conf_sev_name(m->sev),
				m->text);
	}
}

static void on_hup(int sig, void *arg)
{
	char msg[256];

	sd_notify(0, "RELOADING=1");
	daemon_reload(msg, sizeof(msg));
	sd_notify(0, "READY=1");
}

static void on_term(int sig, void *arg)
{
	lvsd_log("signal %d: stopping", sig);
	sd_notify(0, "STOPPING=1");
	loop_break();
}

static int usage(int rc)
{
	fprintf(rc ? stderr : stdout,
		"usage: lvsd [-f FILE] [-t] [-i CONFIG_ID] [-b BACKEND] "
		"[-s SOCKET] [-m ADDR:PORT]\n"
		"       lvsd ctl [-s SOCKET | -f FILE] COMMAND...\n"
		"  -f, --use-file FILE    configuration (default %s)\n"
		"  -t, --config-test      check the configuration and exit "
		"(0 good, 5 errors, 4 cannot run)\n"
		"  -i, --config-id ID     keep '@ID' lines\n"
		"  -b, --backend NAME     where services go: %s "
		"(default kernel)\n"
		"  -s, --control PATH     control socket (overrides the "
		"configuration)\n"
		"  -m, --metrics ADDR:PORT  metrics address (overrides the "
		"configuration)\n"
		"  -n, -l, -D, -C         accepted for keepalived's command "
		"lines; no effect\n", DEFAULT_CONF, backend_names());
	return rc;
}

/*
 * Descriptors: take the hard limit (a probe holds one or more, and a
 * default soft limit of 1024 is soon reached with thousands of checks),
 * and keep probes in flight to half of what is left after the listeners
 * (control 16, metrics 64) and a reserve.
 */
static void raise_nofile(void)
{
	struct rlimit rl;
	rlim_t n;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return;
	if (rl.rlim_cur < rl.rlim_max) {
		rlim_t want = rl.rlim_max;

		/* select()-free, but keep the table a sane size */
		if (want == RLIM_INFINITY || want > (1 << 20))
			want = 1 << 20;
		if (want > rl.rlim_cur) {
			rl.rlim_cur = want;
			if (setrlimit(RLIMIT_NOFILE, &rl))
				getrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	n = rl.rlim_cur == RLIM_INFINITY ? (1 << 20) : rl.rlim_cur;
	lvsd.st.in_flight_max = n > 160 + 16 ? (n - 160) / 2 : 8;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "use-file", required_argument, NULL, 'f' },
		{ "config-test", no_argument, NULL, 't' },
		{ "config-id", required_argument, NULL, 'i' },
		{ "backend", required_argument, NULL, 'b' },
		{ "control", required_argument, NULL, 's' },
		{ "metrics", required_argument, NULL, 'm' },
		{ "dont-fork", no_argument, NULL, 'n' },
		{ "log-console", no_argument, NULL, 'l' },
		{ "log-detail", no_argument, NULL, 'D' },
		{ "check", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *path = DEFAULT_CONF, *bname = "kernel";
	const char *ctl = NULL, *metrics = NULL;
	struct conf_log log = { 0 };
	struct lvsc_err berr = { 0 };
	bool test = false;
	struct conf *c;
	char err[256];
	int opt, rc;

	if (argc > 1 && !strcmp(argv[1], "ctl"))
		return ctl_client_main(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], VRRP_CHILD_ARG))
		return vrrp_child_main(argc - 1, argv + 1);
	while ((opt = getopt_long(argc, argv, "f:ti:b:s:m:nlDCh", opts,
				  NULL)) != -1) {
		switch (opt) {
		case 'f': path = optarg; break;
		case 't': test = true; break;
		case 'i': lvsd.opts.config_id = optarg; break;
		case 'b': bname = optarg; break;
		case 's': ctl = optarg; break;
		case 'm': metrics = optarg; break;
		case 'n': case 'l': case 'D': case 'C': break;
		case 'h': return usage(0);
		default: return usage(CONF_RC_FATAL);
		}
	}
	c = conf_load(path, &lvsd.opts, &log);
	rc = conf_exit_code(&log);
	print_log(&log, test ? CONF_NOTE : CONF_WARN);
	conf_log_free(&log);
	if (test || !c || rc == CONF_RC_FATAL) {
		conf_free(c);
		return c ? rc : CONF_RC_FATAL;
	}
	lvsd.conf_path = path;
	lvsd.bops = backend_find(bname);
	if (!lvsd.bops) {
		fprintf(stderr, "lvsd: no backend '%s' (have: %s)\n", bname,
			backend_names());
		conf_free(c);
		return CONF_RC_FATAL;
	}
	lvsd.backend = lvsd.bops->open(&berr);
	if (!lvsd.backend) {
		fprintf(stderr, "lvsd: backend %s: %s\n", bname,
			berr.msg[0] ? berr.msg : strerror(-berr.code));
		conf_free(c);
		return CONF_RC_FATAL;
	}
	if (loop_init()) {
		fprintf(stderr, "lvsd: cannot start the event loop\n");
		return CONF_RC_FATAL;
	}
	if (backend_watch_links(lvsd.bops, lvsd.backend))
		lvsd_log("bpf datapath: cannot watch for new interfaces; "
			 "those created later are not served");
	srand48((long)time(NULL) ^ getpid());
	raise_nofile();
	signal(SIGPIPE, SIG_IGN);
	if (ctl_listen(ctl ? ctl : c->g.ctl_socket, c->g.ctl_group,
		       (unsigned int)c->g.ctl_mode, err, sizeof(err))) {
		fprintf(stderr, "lvsd: %s\n", err);
		return CONF_RC_FATAL;
	}
	if ((metrics || c->g.metrics_listen) &&
	    metrics_listen(metrics ? metrics : c->g.metrics_listen, err,
			   sizeof(err)))
		lvsd_log("%s; no metrics", err);
	lsignal_watch(SIGHUP, on_hup, NULL);
	lsignal_watch(SIGTERM, on_term, NULL);
	lsignal_watch(SIGINT, on_term, NULL);
	if (rc)
		lvsd_log("configuration has errors; running with what could "
			 "be read");
	if (daemon_start(c, err, sizeof(err))) {
		fprintf(stderr, "lvsd: %s\n", err);
		ctl_close();
		metrics_close();
		lvsd.bops->close(lvsd.backend);
		conf_free(c);
		return CONF_RC_FATAL;
	}
	sd_notify(0, "READY=1");
	loop_run();
	backend_unwatch_links();
	daemon_stop();
	ctl_close();
	metrics_close();
	lvsd.bops->close(lvsd.backend);
	conf_free(lvsd.conf);
	return 0;
}
