// SPDX-License-Identifier: GPL-2.0
/*
 * checks.c - running one check: a timer for the next probe, a timer for the
 * probe's deadline, and the result fed to hcstate.c.
 *
 * Probes are due at fixed points: the next one is planned from when this
 * one was due, not from when it finished, so a slow server or a busy loop
 * does not make the period drift (keepalived re-arms after completion).
 * How late each probe starts against its due time is kept as "lag".
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "loop.h"

static void sockaddr_from(const struct conf_addr *a,
			  struct sockaddr_storage *ss, socklen_t *len)
{
	memset(ss, 0, sizeof(*ss));
	if (a->af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = a->u.in6;
		s6->sin6_port = htons(a->port);
		*len = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = a->u.in;
		s4->sin_port = htons(a->port);
		*len = sizeof(*s4);
	}
}

const char *check_result_name(const struct check_rt *c)
{
	if (c->running)
		return "running";
	if (!c->have_last)
		return "pending";
	return c->last == CHECK_OK ? "ok" : "failed";
}

static void schedule_next(struct check_rt *c, int64_t delay)
{
	int64_t now = loop_now();

	c->planned += delay;
	if (c->planned < now)
		c->planned = now;
	ltimer_start(c->timer, c->planned - now);
}

static void finish(struct check_rt *c, enum check_result res,
		   long long weight)
{
	struct rs_rt *rs = c->rs;
	long long old_dyn = c->dyn_weight;
	int64_t next;
	bool changed;
	char who[64];

	c->running = false;
	lvsd.st.in_flight--;
	c->last_duration = loop_clock() - c->started;
	c->last = res;
	c->have_last = true;
	lvsd.st.probes++;
	if (res == CHECK_OK) {
		c->dyn_weight = weight;
		c->why[0] = '\0';
	} else {
		lvsd.st.probes_failed++;
		snprintf(c->why, sizeof(c->why), "%s",
			 c->probe.why[0] ? c->probe.why : "timed out");
	}
	changed = hc_result(&c->hc, res == CHECK_OK, &next);
	conf_addr_str(&rs->addr, who, sizeof(who));
	if (res == CHECK_FAIL && (changed || c->conf->log_all_failures ||
				  vs_set(lvsd.conf)->checker_log_all_failures))
		lvsd_log("%s: %s %s failed: %s", rs->vs->name,
			 c->conf->ops->name, who,
			 c->probe.why[0] ? c->probe.why : "timeout");
	if (changed) {
		lvsd_log("%s: %s on %s is now %s", rs->vs->name,
			 c->conf->ops->name, who, hc_state_name(c->hc.state));
		rs_update_health(rs);
	} else if (old_dyn != c->dyn_weight) {
		rs_changed(rs);
	}
	schedule_next(c, next);
}

static void local_retry(struct check_rt *c, const char *why);

static void probe_finished(struct check_probe *pr, enum check_result res,
			   long long weight)
{
	struct check_rt *c = pr->owner;

	ltimer_stop(c->deadline);
	if (res == CHECK_RETRY) {
		local_retry(c, pr->why[0] ? pr->why : "local error");
		return;
	}
	finish(c, res, weight);
}

/*
 * A deadline that fires late means the loop was starved (a loaded host):
 * the probe's answer may be waiting in a socket that this iteration has not
 * looked at yet.  Let one more iteration run before calling it a timeout,
 * so a slow lvsd does not fail healthy servers (keepalived's "thread timer
 * expired" false failovers).
 */
#define DEADLINE_LATE	50000		/* usec */

static void deadline_fired(struct ltimer *t, void *arg)
{
	struct check_rt *c = arg;
	const struct check_conf *cc = c->conf;
	int64_t timeout = cc->ops->probe_timeout ? cc->ops->probe_timeout(cc) :
						   cc->r_timeout;
	enum check_result res;

	if (!c->grace &&
	    loop_now() - c->started - timeout > DEADLINE_LATE) {
		c->grace = true;
		ltimer_start(c->deadline, 0);
		return;
	}
	c->probe.why[0] = '\0';
	res = c->conf->ops->timeout(&c->probe);
	if (res == CHECK_FAIL && !c->probe.why[0])
		probe_why(&c->probe, "timed out");
	finish(c, res, -1);
}

#define LOCAL_RETRY	(200 * 1000)	/* usec, plus up to as much jitter */

static void retry_soon(struct check_rt *c)
{
	int64_t d = LOCAL_RETRY + (int64_t)(drand48() * LOCAL_RETRY);

	c->planned = loop_now() + d;
	ltimer_start(c->timer, d);
}

/*
 * Errors that say nothing about the server, only that lvsd is short of
 * something itself (hc_local_error(), at start() or CHECK_RETRY later):
 * the probe is tried again soon, counted, and the check's state does not
 * move (a full descriptor table must not take healthy servers down).
 */
static void local_retry(struct check_rt *c, const char *why)
{
	c->running = false;
	lvsd.st.in_flight--;
	if (!lvsd.st.local_errors++ || !(lvsd.st.local_errors % 1000))
		lvsd_log("%s: %s probe not completed: %s (lvsd's own "
			 "shortage, tried again; %llu so far)",
			 c->rs->vs->name, c->conf->ops->name, why,
			 (unsigned long long)lvsd.st.local_errors);
	retry_soon(c);
}

static void probe_fire(struct ltimer *t, void *arg)
{
	struct check_rt *c = arg;
	const struct check_conf *cc = c->conf;
	const struct rs_conf *rsc = c->rs->conf;
	int64_t now = loop_now(), lag = now - c->planned, timeout;
	struct check_probe *pr = &c->probe;
	int rc;

	/* Bounded in-flight probes: each holds a descriptor or a child. */
	if (lvsd.st.in_flight_max && lvsd.st.in_flight >= lvsd.st.in_flight_max) {
		lvsd.st.deferred++;
		retry_soon(c);
		return;
	}
	if (lag < 0)
		lag = 0;
	lvsd.st.lag_count++;
	lvsd.st.lag_sum += lag;
	if (lag > lvsd.st.lag_max)
		lvsd.st.lag_max = lag;
	if (lag > lvsd.st.lag_max_window)
		lvsd.st.lag_max_window = lag;
	memset(pr, 0, sizeof(*pr));
	pr->conf = cc;
	pr->owner = c;
	pr->done = probe_finished;
	sockaddr_from(&cc->r_target, &pr->dst, &pr->dst_len);
	if (cc->bind.af || cc->bind.port) {
		struct conf_addr b = cc->bind;

		if (!b.af) {
			b.af = cc->r_target.af;
			memset(&b.u, 0, sizeof(b.u));
		}
		sockaddr_from(&b, &pr->src, &pr->src_len);
	}
	pr->vhost = rsc->virtualhost ? rsc->virtualhost :
					c->rs->vs->conf->virtualhost;
	pr->rs_weight = rsc->r_weight;
	c->running = true;
	c->grace = false;
	c->started = loop_clock();
	lvsd.st.in_flight++;
	pr->why[0] = '\0';	/* a start() that fails at once may say why */
	rc = cc->ops->start(pr);
	if (rc < 0 && hc_local_error(-rc)) {
		local_retry(c, strerror(-rc));
		return;
	}
	if (rc < 0) {
		if (!pr->why[0])
			probe_why(pr, "%s", strerror(-rc));
		finish(c, CHECK_FAIL, -1);
		return;
	}
	timeout = cc->ops->probe_timeout ? cc->ops->probe_timeout(cc) :
					   cc->r_timeout;
	ltimer_start(c->deadline, timeout);
}

void check_rt_start(struct check_rt *c, bool immediate)
{
	int64_t first = 0;

	if (!c->timer) {
		c->timer = ltimer_new(probe_fire, c);
		c->deadline = ltimer_new(deadline_fired, c);
	}
	if (!immediate && c->conf->r_warmup > 0)
		first = (int64_t)(drand48() * (double)c->conf->r_warmup);
	c->planned = loop_now() + first;
	ltimer_start(c->timer, first);
}

void check_rt_stop(struct check_rt *c)
{
	if (c->running) {
		ltimer_stop(c->deadline);
		c->conf->ops->timeout(&c->probe);
		c->running = false;
		lvsd.st.in_flight--;
	}
	ltimer_free(c->timer);
	ltimer_free(c->deadline);
	c->timer = c->deadline = NULL;
}
