// SPDX-License-Identifier: GPL-2.0
/*
 * host.c - lvsd as a host of subsystems (../runtime/subsys.h): one loaded
 * configuration, handed to every registered subsystem at start, at each
 * reload that has no error, and a stop for each at exit.  The host's own
 * control commands (reload, help) and metrics (lvsd_up, the reload
 * counters, the listeners) are in ctl.c and metrics.c, which dispatch
 * everything else to the subsystems.
 */
#include <stdio.h>
#include <stdlib.h>

#include "conf_guard.h"
#include "daemon.h"
#include "loop.h"

int daemon_start(struct conf *c, char *err, size_t len)
{
	lvsd.conf = c;
	lvsd.started = loop_clock();
	for (size_t i = 0; i < subsystems.n; i++) {
		const struct subsys *ss = subsystems.items[i];

		if (ss->start && ss->start(c, err, len)) {
			/* Nothing is left started. */
			while (i--) {
				ss = subsystems.items[i];
				if (ss->stop)
					ss->stop();
			}
			lvsd.conf = NULL;
			return -1;
		}
	}
	return 0;
}

#define RELOAD_PARSE_MAX_S	30	/* a parse, caps included, is far faster */

int daemon_reload(char *msg, size_t len)
{
	struct conf_log log = { 0 };
	struct conf *nc, *old;
	const struct subsys *ss = NULL;
	char why[512];
	bool bad;

	/* A parser that dies must not take the running daemon with it. */
	if (conf_guard_probe(lvsd.conf_path, &lvsd.opts, RELOAD_PARSE_MAX_S,
			     why, sizeof(why))) {
		lvsd.st.reload_failures++;
		lvsd_log("reload: %s", why);
		snprintf(msg, len, "configuration not loaded (%s), still "
			 "running the old one", why);
		lvsd_log("reload: %s", msg);
		return -1;
	}
	nc = conf_load(lvsd.conf_path, &lvsd.opts, &log);
	bad = conf_has_errors(&log);

	for (size_t i = 0; i < log.n; i++)
		if (log.msgs[i].sev >= CONF_WARN)
			lvsd_log("reload: %s:%d: %s: %s",
				 log.msgs[i].file ? log.msgs[i].file : "-",
				 log.msgs[i].line,
				 conf_sev_name(log.msgs[i].sev),
				 log.msgs[i].text);
	conf_log_free(&log);
	if (!nc || bad) {
		lvsd.st.reload_failures++;
		snprintf(msg, len, "configuration has errors, still running "
			 "the old one");
		lvsd_log("reload: %s", msg);
		conf_free(nc);
		return -1;
	}
	/* Subsystems read the new file's globals through lvsd.conf. */
	old = lvsd.conf;
	lvsd.conf = nc;
	while ((ss = rt_next(&subsystems, ss)))
		if (ss->reload)
			ss->reload(old, nc);
	conf_free(old);
	lvsd.st.reloads++;
	snprintf(msg, len, "reloaded %s", lvsd.conf_path);
	return 0;
}

void daemon_stop(void)
{
	for (size_t i = subsystems.n; i--;) {
		const struct subsys *ss = subsystems.items[i];

		if (ss->stop)
			ss->stop();
	}
}
