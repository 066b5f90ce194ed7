// SPDX-License-Identifier: GPL-2.0
/*
 * instance.c - a VRRP instance on the runtime loop: receives adverts, feeds
 * the state machine, and carries out what it answers (see instance.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <arpa/inet.h>

#include "instance.h"
#include "loop.h"

struct vrrp_inst {
	struct vrrp_inst_conf	conf;
	struct vrrp_nl		*nl;
	const struct vrrp_inst_ops *ops;
	void			*arg;
	struct vrrp_sock	sock;
	struct vrrp_fsm		fsm;
	struct lio		*io;
	struct ltimer		*timer;
	struct ltimer		*garp_timer;	/* the second burst */
	union vrrp_addr		src;		/* adverts' source */
	bool			running;
	struct vrrp_inst_stats	stats;
};

static void say(struct vrrp_inst *vi, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void on_timer(struct ltimer *t, void *arg);
static void garp_again(struct ltimer *t, void *arg);

static void say(struct vrrp_inst *vi, int level, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	if (!vi->ops->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vi->ops->log(vi, level, msg, vi->arg);
}

static size_t addr_size(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static void *dup_array(const void *p, size_t n, size_t size, bool *ok)
{
	void *c;

	if (!n)
		return NULL;
	c = malloc(n * size);
	if (!c) {
		*ok = false;
		return NULL;
	}
	memcpy(c, p, n * size);
	return c;
}

struct vrrp_inst *vrrp_inst_new(const struct vrrp_inst_conf *conf,
				struct vrrp_nl *nl,
				const struct vrrp_inst_ops *ops, void *arg,
				char *err, size_t errlen)
{
	struct vrrp_inst *vi = calloc(1, sizeof(*vi));
	bool ok = true;

	if (!vi)
		goto nomem;
	vi->conf = *conf;
	vi->conf.peers = dup_array(conf->peers, conf->npeers,
				   sizeof(*conf->peers), &ok);
	vi->conf.vips = dup_array(conf->vips, conf->nvips,
				  sizeof(*conf->vips), &ok);
	vi->conf.routes = dup_array(conf->routes, conf->nroutes,
				    sizeof(*conf->routes), &ok);
	vi->nl = nl;
	vi->ops = ops;
	vi->arg = arg;
	vi->sock.fd = -1;
	vi->timer = ltimer_new(on_timer, vi);
	vi->garp_timer = ltimer_new(garp_again, vi);
	if (!ok || !vi->timer || !vi->garp_timer) {
		vrrp_inst_free(vi);
		goto nomem;
	}
	vrrp_fsm_init(&vi->fsm, &conf->fsm);
	return vi;
nomem:
	snprintf(err, errlen, "vrrp_instance %s: %s", conf->name,
		 strerror(ENOMEM));
	return NULL;
}

void vrrp_inst_free(struct vrrp_inst *vi)
{
	if (!vi)
		return;
	if (vi->running)
		vrrp_inst_stop(vi);
	if (vi->timer)
		ltimer_free(vi->timer);
	if (vi->garp_timer)
		ltimer_free(vi->garp_timer);
	free(vi->conf.peers);
	free(vi->conf.vips);
	free(vi->conf.routes);
	free(vi);
}

void vrrp_inst_set_owner(struct vrrp_inst *vi,
			 const struct vrrp_inst_ops *ops, void *arg)
{
	vi->ops = ops;
	vi->arg = arg;
}

static void send_advert(struct vrrp_inst *vi, uint8_t prio)
{
	uint8_t addrs[16 * VRRP_MAX_ADDRS], msg[VRRP_MAX_LEN];
	struct vrrp_advert adv = {
		.version = vi->conf.fsm.version, .vrid = vi->conf.vrid,
		.prio = prio, .interval = vi->conf.fsm.interval,
		.auth_type = vi->conf.auth_type, .addrs = addrs,
	};
	struct vrrp_ends ends = { .family = vi->conf.family, .src = vi->src };
	size_t i, alen = addr_size(vi->conf.family);
	int n, r;

	memcpy(adv.auth, vi->conf.auth_pass, VRRP_AUTH_LEN);
	/* The advert lists the addresses of its own family only. */
	for (i = 0; i < vi->conf.nvips && adv.naddr < VRRP_MAX_ADDRS; i++)
		if (vi->conf.vips[i].family == vi->conf.family)
			memcpy(addrs + alen * adv.naddr++,
			       &vi->conf.vips[i].addr, alen);
	for (i = 0; i < (vi->conf.npeers ? vi->conf.npeers : 1); i++) {
		ends.dst = vi->conf.npeers ? vi->conf.peers[i] : vi->conf.group;
		n = vrrp_build(msg, sizeof(msg), &adv, &ends,
			       vi->conf.v3_checksum_as_v2);
		if (n < 0) {
			say(vi, LOG_ERR, "cannot build an advert: %s",
			    strerror(-n));
			return;
		}
		r = vrrp_sock_send(&vi->sock, &ends, msg, (size_t)n);
		if (r)
			say(vi, LOG_WARNING, "advert not sent: %s",
			    strerror(-r));
		else if (prio == VRRP_PRIO_STOP)
			vi->stats.prio0_sent++;
		else
			vi->stats.adverts_sent++;
	}
}

static void set_addresses(struct vrrp_inst *vi, bool add)
{
	char err[VRRP_ERRLEN];
	size_t i;

	/* Routes may lean on the addresses: added after, deleted before. */
	for (i = 0; !add && i < vi->conf.nroutes; i++)
		if (vrrp_route_set(vi->nl, &vi->conf.routes[i], false, err,
				   sizeof(err)))
			say(vi, LOG_ERR, "%s", err);
	for (i = 0; i < vi->conf.nvips; i++)
		if (vi->conf.vips[i].ifindex &&
		    vrrp_vip_set(vi->nl, &vi->conf.vips[i], add, err,
				 sizeof(err)))
			say(vi, LOG_ERR, "%s", err);
	for (i = 0; add && i < vi->conf.nroutes; i++)
		if (vrrp_route_set(vi->nl, &vi->conf.routes[i], true, err,
				   sizeof(err)))
			say(vi, LOG_ERR, "%s", err);
}

static void garp_burst(struct vrrp_inst *vi)
{
	char err[VRRP_ERRLEN];
	size_t i;
	int n;

	for (n = 0; n < vi->conf.garp_repeat; n++) {
		for (i = 0; i < vi->conf.nvips; i++) {
			const struct vrrp_vip *v = &vi->conf.vips[i];
			int r;

			if (!v->ifindex)
				continue;
			r = v->family == AF_INET ?
				vrrp_garp(v->ifindex, &v->addr.v4, err,
					  sizeof(err)) :
				vrrp_una(v->ifindex, &v->addr.v6, false, err,
					 sizeof(err));

			if (r && n == 0)
				say(vi, LOG_WARNING, "%s", err);
		}
	}
}

static void garp_again(struct ltimer *t, void *arg)
{
	struct vrrp_inst *vi = arg;

	(void)t;
	if (vi->fsm.state == VRRP_MASTER)
		garp_burst(vi);
}

static void arm(struct vrrp_inst *vi, int64_t now)
{
	if (vi->fsm.timer_at)
		ltimer_start(vi->timer, vi->fsm.timer_at > now ?
				       vi->fsm.timer_at - now : 0);
	else
		ltimer_stop(vi->timer);
}

/* Carries out ACT in vrrp.h's order, then tells the owner. */
static void apply(struct vrrp_inst *vi, unsigned int act,
		  enum vrrp_state from, int64_t now)
{
	if (act & VRRP_DO_DEL_VIPS) {
		ltimer_stop(vi->garp_timer);
		set_addresses(vi, false);
	}
	if (act & VRRP_DO_ADD_VIPS)
		set_addresses(vi, true);
	if (act & VRRP_DO_RESIGN)
		send_advert(vi, VRRP_PRIO_STOP);
	if (act & VRRP_DO_ADVERT)
		send_advert(vi, vi->fsm.prio);
	if (act & VRRP_DO_GARP) {
		garp_burst(vi);
		if (vi->conf.garp_delay)
			ltimer_start(vi->garp_timer, vi->conf.garp_delay);
	}
	arm(vi, now);
	if (act & VRRP_DO_NOTIFY) {
		if (vi->fsm.state == VRRP_MASTER)
			vi->stats.became_master++;
		say(vi, LOG_DEBUG, "%s -> %s", vrrp_state_name(from),
		    vrrp_state_name(vi->fsm.state));
		if (vi->ops->state_changed)
			vi->ops->state_changed(vi, from, vi->fsm.state,
					       vi->arg);
	}
}

static void on_timer(struct ltimer *t, void *arg)
{
	struct vrrp_inst *vi = arg;
	enum vrrp_state from = vi->fsm.state;
	int64_t now = loop_now();

	(void)t;
	apply(vi, vrrp_fsm_timer(&vi->fsm, now), from, now);
}

static bool from_peer(const struct vrrp_inst *vi, const union vrrp_addr *a)
{
	size_t i, alen = addr_size(vi->conf.family);

	for (i = 0; i < vi->conf.npeers; i++)
		if (!memcmp(&vi->conf.peers[i], a, alen))
			return true;
	return false;
}

static void receive(struct vrrp_inst *vi, const struct vrrp_rx *rx)
{
	struct vrrp_advert expect = {
		.version = vi->conf.fsm.version,
		.auth_type = vi->conf.auth_type,
		.interval = vi->conf.fsm.interval,
	}, adv;
	enum vrrp_state from = vi->fsm.state;
	size_t alen = addr_size(vi->conf.family);
	const char *why = NULL;
	int64_t now;
	char src[INET6_ADDRSTRLEN] = "?";
	int cmp;

	/* Each instance on a link has its own socket: others' VRIDs are
	 * not ours to count. */
	if (rx->len < VRRP_HDR_LEN || rx->msg[1] != vi->conf.vrid)
		return;
	inet_ntop(vi->conf.family, &rx->ends.src, src, sizeof(src));
	memcpy(expect.auth, vi->conf.auth_pass, VRRP_AUTH_LEN);
	if (vi->conf.npeers ? !from_peer(vi, &rx->ends.src) :
			      rx->ttl != VRRP_TTL) {
		vi->stats.dropped++;
		say(vi, LOG_DEBUG, "advert from %s dropped: %s", src,
		    vi->conf.npeers ? "not a unicast peer" : "TTL is not 255");
		return;
	}
	if (vrrp_parse(rx->msg, rx->len, &rx->ends, &expect,
		       vi->conf.v3_checksum_as_v2, &adv, &why)) {
		vi->stats.dropped++;
		say(vi, LOG_WARNING, "advert from %s dropped: %s", src, why);
		return;
	}
	if (adv.prio == VRRP_PRIO_STOP)
		vi->stats.prio0_rcvd++;
	else
		vi->stats.adverts_rcvd++;
	cmp = memcmp(&rx->ends.src, &vi->src, alen);
	if (!cmp)
		return;		/* our own, looped back */
	now = loop_now();
	apply(vi, vrrp_fsm_advert(&vi->fsm, &adv, cmp, now), from, now);
}

static void on_readable(struct lio *io, int fd, int events, void *arg)
{
	struct vrrp_inst *vi = arg;
	uint8_t buf[VRRP_MAX_LEN + 128];
	struct vrrp_rx rx;
	int r, n;

	(void)io;
	(void)fd;
	(void)events;
	/* A bounded batch: a flood must not starve the loop. */
	for (n = 0; n < 64 && vi->running; n++) {
		r = vrrp_sock_recv(&vi->sock, buf, sizeof(buf), &rx);
		if (r == -EAGAIN || r == -EWOULDBLOCK)
			break;
		if (r) {
			vi->stats.dropped++;
			continue;
		}
		receive(vi, &rx);
	}
}

int vrrp_inst_start(struct vrrp_inst *vi, char *err, size_t errlen)
{
	int64_t now;
	int r;

	if (vi->running)
		return 0;
	if (vi->conf.has_src) {
		vi->src = vi->conf.src;
	} else {
		r = vrrp_if_primary(vi->conf.ifindex, vi->conf.family,
				    &vi->src);
		if (r) {
			snprintf(err, errlen,
				 "vrrp_instance %s: no %s address on its "
				 "interface to send adverts from",
				 vi->conf.name, vi->conf.family == AF_INET ?
				 "IPv4" : "link-local IPv6");
			return r;
		}
	}
	r = vrrp_sock_open(&vi->sock, vi->conf.family, vi->conf.ifindex,
			   vi->conf.npeers ? NULL : &vi->conf.group, err,
			   errlen);
	if (r)
		return r;
	vi->io = lio_new(vi->sock.fd, LOOP_READ, on_readable, vi);
	if (!vi->io) {
		vrrp_sock_close(&vi->sock);
		snprintf(err, errlen, "vrrp_instance %s: %s", vi->conf.name,
			 strerror(ENOMEM));
		return -ENOMEM;
	}
	vi->running = true;
	now = loop_now();
	apply(vi, vrrp_fsm_start(&vi->fsm, now), VRRP_INIT, now);
	return 0;
}

void vrrp_inst_stop(struct vrrp_inst *vi)
{
	enum vrrp_state from = vi->fsm.state;
	int64_t now = loop_now();

	if (!vi->running)
		return;
	apply(vi, vrrp_fsm_stop(&vi->fsm, now), from, now);
	ltimer_stop(vi->timer);
	ltimer_stop(vi->garp_timer);
	lio_free(vi->io);
	vi->io = NULL;
	vrrp_sock_close(&vi->sock);
	vi->running = false;
}

void vrrp_inst_fault(struct vrrp_inst *vi, bool failed)
{
	enum vrrp_state from = vi->fsm.state;
	int64_t now = loop_now();

	apply(vi, vrrp_fsm_fault(&vi->fsm, failed, now), from, now);
}

void vrrp_inst_set_prio(struct vrrp_inst *vi, uint8_t prio)
{
	enum vrrp_state from = vi->fsm.state;
	int64_t now = loop_now();

	apply(vi, vrrp_fsm_set_prio(&vi->fsm, prio, now), from, now);
}

void vrrp_inst_force(struct vrrp_inst *vi, enum vrrp_state to)
{
	enum vrrp_state from = vi->fsm.state;
	int64_t now = loop_now();

	apply(vi, vrrp_fsm_force(&vi->fsm, to, now), from, now);
}

enum vrrp_state vrrp_inst_state(const struct vrrp_inst *vi)
{
	return vi->fsm.state;
}

const struct vrrp_inst_conf *vrrp_inst_conf(const struct vrrp_inst *vi)
{
	return &vi->conf;
}

uint8_t vrrp_inst_prio(const struct vrrp_inst *vi)
{
	return vi->fsm.prio;
}

const struct vrrp_inst_stats *vrrp_inst_stats(const struct vrrp_inst *vi)
{
	return &vi->stats;
}
