// SPDX-License-Identifier: GPL-2.0
/*
 * metrics.c - Prometheus text format (version 0.0.4) over HTTP on the
 * configured address (lvsd_metrics_listen ADDR:PORT, meant for a local
 * address).  Every request gets the metrics, whatever its path.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon.h"
#include "loop.h"
#include "server.h"

#define METRICS_CONNS_MAX	64

static struct srv *metrics_srv;

static void help(FILE *o, const char *name, const char *type,
		 const char *text)
{
	fprintf(o, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

static void per_rs(FILE *o, const char *name, const char *type,
		   const char *text, int what)
{
	help(o, name, type, text);
	for (size_t i = 0; i < lvsd.n_vss; i++) {
		struct vs_rt *vs = lvsd.vss[i];

		for (size_t j = 0; j < vs->n_rss; j++) {
			struct rs_rt *rs = vs->rss[j];
			uint32_t w = 0;
			bool in = rs_in_backend(rs, &w);
			long long v = what == 0 ? rs->healthy :
				      what == 1 ? (in ? (long long)w : -1) :
				      rs->admin;

			fprintf(o, "%s{%s} %lld\n", name, rs->label, v);
		}
	}
}

static void per_check(FILE *o)
{
	help(o, "lvsd_check_up", "gauge", "1 when the check is up");
	for (size_t i = 0; i < lvsd.n_vss; i++)
		for (size_t j = 0; j < lvsd.vss[i]->n_rss; j++) {
			struct rs_rt *rs = lvsd.vss[i]->rss[j];

			for (size_t k = 0; k < rs->n_checks; k++)
				fprintf(o, "lvsd_check_up{%s,check=\"%s\","
					"idx=\"%zu\"} %d\n", rs->label,
					rs->checks[k]->conf->ops->name, k,
					rs->checks[k]->hc.state == HC_UP);
		}
	help(o, "lvsd_check_results_total", "counter",
	     "probe results by outcome");
	for (size_t i = 0; i < lvsd.n_vss; i++)
		for (size_t j = 0; j < lvsd.vss[i]->n_rss; j++) {
			struct rs_rt *rs = lvsd.vss[i]->rss[j];

			for (size_t k = 0; k < rs->n_checks; k++) {
				const struct check_rt *c = rs->checks[k];

				fprintf(o, "lvsd_check_results_total{%s,"
					"check=\"%s\",idx=\"%zu\",result=\"ok\"}"
					" %llu\n", rs->label, c->conf->ops->name,
					k, (unsigned long long)c->hc.n_ok);
				fprintf(o, "lvsd_check_results_total{%s,"
					"check=\"%s\",idx=\"%zu\","
					"result=\"failed\"} %llu\n", rs->label,
					c->conf->ops->name, k,
					(unsigned long long)c->hc.n_fail);
			}
		}
}

static void listener(FILE *b, const char *name, const struct srv_stats *st)
{
	fprintf(b, "lvsd_listener_connections{listener=\"%s\"} %u\n"
		"lvsd_listener_accepted_total{listener=\"%s\"} %llu\n"
		"lvsd_listener_timeouts_total{listener=\"%s\"} %llu\n"
		"lvsd_listener_full_total{listener=\"%s\"} %llu\n"
		"lvsd_listener_local_errors_total{listener=\"%s\"} %llu\n",
		name, st->conns, name, (unsigned long long)st->accepted,
		name, (unsigned long long)st->timeouts,
		name, (unsigned long long)st->full,
		name, (unsigned long long)st->local_errors);
}

/* The virtual-server subsystem's lines (daemon.c registers them). */
void vs_metrics(FILE *b)
{
	const struct daemon_stats *st = &lvsd.st;

	help(b, "lvsd_backend_errors_total", "counter",
	     "backend calls that failed");
	fprintf(b, "lvsd_backend_errors_total %llu\n",
		(unsigned long long)st->backend_errors);
	help(b, "lvsd_probes_total", "counter", "probes completed");
	fprintf(b, "lvsd_probes_total %llu\n",
		(unsigned long long)st->probes);
	help(b, "lvsd_probes_in_flight", "gauge", "probes running now");
	fprintf(b, "lvsd_probes_in_flight %llu\n",
		(unsigned long long)st->in_flight);
	help(b, "lvsd_probe_local_errors_total", "counter",
	     "probes that could not start for lack of local resources "
	     "(EMFILE, ENFILE, ENOBUFS, ENOMEM, EAGAIN): retried, never "
	     "counted against the server");
	fprintf(b, "lvsd_probe_local_errors_total %llu\n",
		(unsigned long long)st->local_errors);
	help(b, "lvsd_probes_deferred_total", "counter",
	     "probes postponed because the in-flight cap was reached");
	fprintf(b, "lvsd_probes_deferred_total %llu\n",
		(unsigned long long)st->deferred);
	help(b, "lvsd_probe_start_lag_seconds", "summary",
	     "how late probes start against their due time");
	fprintf(b, "lvsd_probe_start_lag_seconds_sum %.6f\n"
		"lvsd_probe_start_lag_seconds_count %llu\n",
		(double)st->lag_sum / 1e6, (unsigned long long)st->lag_count);
	help(b, "lvsd_probe_start_lag_max_seconds", "gauge",
	     "largest lag since the previous scrape");
	fprintf(b, "lvsd_probe_start_lag_max_seconds %.6f\n",
		(double)st->lag_max_window / 1e6);
	lvsd.st.lag_max_window = 0;
	help(b, "lvsd_vs_quorum_up", "gauge", "1 while the quorum is met");
	for (size_t i = 0; i < lvsd.n_vss; i++)
		fprintf(b, "lvsd_vs_quorum_up{vs=\"%s\"} %d\n",
			lvsd.vss[i]->name, lvsd.vss[i]->q.up);
	help(b, "lvsd_vs_sorry_active", "gauge",
	     "1 while the sorry server serves");
	for (size_t i = 0; i < lvsd.n_vss; i++)
		fprintf(b, "lvsd_vs_sorry_active{vs=\"%s\"} %d\n",
			lvsd.vss[i]->name, lvsd.vss[i]->sorry_active);
	per_rs(b, "lvsd_rs_healthy", "gauge", "1 when every check is up", 0);
	per_rs(b, "lvsd_rs_backend_weight", "gauge",
	       "weight in the backend, -1 when absent", 1);
	per_rs(b, "lvsd_rs_admin_state", "gauge",
	       "0 enabled, 1 disabled, 2 draining", 2);
	per_check(b);
}

/* The host's lines, then every subsystem's (subsys.h). */
static void metrics_handle(const char *req, FILE *o,
			   const struct srv_peer *peer)
{
	const struct daemon_stats *st = &lvsd.st;
	const struct subsys *ss = NULL;
	char *body = NULL;
	size_t len = 0;
	FILE *b = open_memstream(&body, &len);

	if (!b)
		return;
	if (status_page_handle(req, o)) {
		fclose(b);
		free(body);
		return;
	}
	help(b, "lvsd_up", "gauge", "1 while lvsd runs");
	fprintf(b, "lvsd_up 1\n");
	help(b, "lvsd_config_reloads_total", "counter", "applied reloads");
	fprintf(b, "lvsd_config_reloads_total %llu\n",
		(unsigned long long)st->reloads);
	help(b, "lvsd_config_reload_failures_total", "counter",
	     "reloads refused because the file had errors");
	fprintf(b, "lvsd_config_reload_failures_total %llu\n",
		(unsigned long long)st->reload_failures);
	help(b, "lvsd_listener_connections", "gauge",
	     "open connections per listener (control, metrics)");
	listener(b, "control", ctl_stats());
	listener(b, "metrics", srv_stats(metrics_srv));
	while ((ss = rt_next(&subsystems, ss)))
		if (ss->metrics)
			ss->metrics(b);
	fclose(b);
	fprintf(o, "HTTP/1.0 200 OK\r\nContent-Type: text/plain; "
		"version=0.0.4\r\nContent-Length: %zu\r\nConnection: close"
		"\r\n\r\n", len);
	fwrite(body, 1, len, o);
	free(body);
}

int metrics_listen(const char *spec, char *err, size_t len)
{
	struct sockaddr_storage ss = { 0 };
	struct conf_addr a = { 0 };
	char host[80];
	const char *colon = strrchr(spec, ':');
	socklen_t sl;
	int fd, one = 1;

	if (!colon || (size_t)(colon - spec) >= sizeof(host)) {
		snprintf(err, len, "metrics address '%s' is not ADDR:PORT",
			 spec);
		return -1;
	}
	memcpy(host, spec, (size_t)(colon - spec));
	host[colon - spec] = '\0';
	if (conf_addr_parse(host, &a) || atoi(colon + 1) <= 0 ||
	    atoi(colon + 1) > 65535) {
		snprintf(err, len, "metrics address '%s' is not ADDR:PORT",
			 spec);
		return -1;
	}
	if (a.af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = a.u.in6;
		s6->sin6_port = htons((uint16_t)atoi(colon + 1));
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = a.u.in;
		s4->sin_port = htons((uint16_t)atoi(colon + 1));
		sl = sizeof(*s4);
	}
	fd = socket(a.af, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    bind(fd, (struct sockaddr *)&ss, sl) < 0 || listen(fd, 64) < 0) {
		snprintf(err, len, "metrics on %s: %s", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	metrics_srv = srv_new(fd, "\r\n\r\n", METRICS_CONNS_MAX,
			      metrics_handle);
	return 0;
}

void metrics_close(void)
{
	srv_free(metrics_srv);
	metrics_srv = NULL;
}
