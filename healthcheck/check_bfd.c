// SPDX-License-Identifier: GPL-2.0
/*
 * check_bfd.c - BFD_CHECK and the root bfd_instance blocks it names: a
 * real BFD session (RFC 5880 asynchronous mode) with the instance's
 * neighbor_ip, from source_ip, over IPv4 or IPv6: single hop (RFC 5881:
 * UDP to port 3784, TTL/hop limit 255 sent and required), or with
 * max_hops N, multihop (RFC 5883: port 4784, TTL 255 sent, a received
 * TTL of at least 256 - N).  The real server passes while the
 * session is Up.
 *
 * Sessions outlive probes: the first probe of a checker makes (or finds,
 * by name and addresses) its session on the event loop; a session no
 * checker refers to any more ends 10 s later, so a reload that keeps an
 * instance keeps its session Up.  One socket per family and port receives
 * for all sessions.  Not done: authentication, echo mode, demand mode, a
 * sending TTL other than 255 (ttl/hoplimit are errors).  keepalived's BFD process
 * tells the checker at once; lvsd's probe reads the session's state, so a
 * change shows within delay_loop.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bfd_instance.h"
#include "checker.h"
#include "loop.h"

#define BFD_PORT	3784
#define BFD_MH_PORT	4784		/* RFC 5883 */
#define BFD_LINGER	(10 * 1000000LL)
#define SLOW_TX		1000000LL	/* not Up: at most one a second */

enum { ST_ADMINDOWN, ST_DOWN, ST_INIT, ST_UP };
static const char *const st_name[] = { "AdminDown", "Down", "Init", "Up" };

struct bfd_instance {
	char		*name;
	struct conf_addr nbr, src;
	long long	min_rx, min_tx, idle_tx, mult;	/* ms, ms, ms, n */
	long long	passive;
	long long	multihop;	/* bool: max_hops was given */
	long long	max_hops;
	struct bfd_instance *next;
};

struct bfd_session {
	char		key[160];
	struct bfd_instance cfg;	/* a copy: configs come and go */
	int		fd;		/* sends, from the source port */
	struct sockaddr_storage peer;
	socklen_t	peer_len;
	struct ltimer	*tx, *detect, *linger;
	int		refs;
	int		state, rstate, diag;
	uint32_t	my_disc, your_disc;
	long long	r_min_rx, r_min_tx, r_mult;	/* usec, usec, n */
	bool		poll, final_due, heard;
	struct bfd_session *next;
};

struct bfd_conf {
	char		*name;
	struct bfd_instance *inst;	/* set by resolve */
	struct bfd_session *s;		/* taken by the first probe */
};

static struct bfd_session *sessions;
/* The receiving sockets, by [IPv6][multihop], opened on first use. */
static int rx_fd[2][2] = { { -1, -1 }, { -1, -1 } };
static struct lio *rx_io[2][2];

/* ---- bfd_instance blocks ---- */

static int kw_ms(struct conf_parser *p, const struct conf_kw *kw, void *obj,
		 int argc, char **argv)
{
	long long *v = (long long *)((char *)obj + kw->off);
	char *end;

	*v = argc >= 2 ? strtoll(argv[1], &end, 10) : -1;
	if (argc < 2 || *end || *v < kw->min || *v > kw->max) {
		conf_err(p, "invalid %s '%s' (%lld-%lld)", argv[0],
			 argc >= 2 ? argv[1] : "", kw->min, kw->max);
		return -1;
	}
	return 0;
}

static int kw_ttl(struct conf_parser *p, const struct conf_kw *kw,
		  void *obj, int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "255"))
		return 0;
	conf_err(p, "%s: lvsd's BFD sends with TTL 255 only", argv[0]);
	return -1;
}

/* max_hops N makes the session multihop (keepalived 2.2.7 has no
 * "multihop" keyword): a received TTL of at least 256 - N. */
static int kw_max_hops(struct conf_parser *p, const struct conf_kw *kw,
		       void *obj, int argc, char **argv)
{
	struct bfd_instance *b = obj;

	if (kw_ms(p, kw, obj, argc, argv))
		return -1;
	b->multihop = 1;
	return 0;
}

#define OFFI(f) offsetof(struct bfd_instance, f)
static const struct conf_kw bi_kws[] = {
	{ .name = "neighbor_ip", .parse = conf_kw_ip, .off = OFFI(nbr) },
	{ .name = "neighbour_ip", .parse = conf_kw_ip, .off = OFFI(nbr) },
	{ .name = "source_ip", .parse = conf_kw_ip, .off = OFFI(src) },
	{ .name = "min_rx", .parse = kw_ms, .off = OFFI(min_rx), .min = 1,
	  .max = 1000, .def = "10" },
	{ .name = "min_tx", .parse = kw_ms, .off = OFFI(min_tx), .min = 1,
	  .max = 1000, .def = "10" },
	{ .name = "idle_tx", .parse = kw_ms, .off = OFFI(idle_tx), .min = 1000,
	  .max = 10000, .def = "1000" },
	{ .name = "multiplier", .parse = kw_ms, .off = OFFI(mult), .min = 1,
	  .max = 10, .def = "5" },
	{ .name = "passive", .parse = conf_kw_bool, .off = OFFI(passive) },
	{ .name = "ttl", .parse = kw_ttl },
	{ .name = "hoplimit", .parse = kw_ttl },
	{ .name = "max_hops", .parse = kw_max_hops, .off = OFFI(max_hops),
	  .min = 1, .max = 255 },
	/* For VRRP tracking in keepalived; no meaning for a checker. */
	{ .name = "weight", .parse = conf_kw_ignored },
	{ .name = NULL }
};

static void bi_close(struct conf_parser *p, void *obj)
{
	struct bfd_instance *b = obj;

	if (!b->nbr.af)
		conf_err(p, "bfd_instance %s needs a neighbor_ip", b->name);
	else if (b->src.af && b->src.af != b->nbr.af)
		conf_err(p, "bfd_instance %s: source_ip and neighbor_ip are of "
			 "different families", b->name);
}

const struct conf_block hc_bfd_instance_block = {
	.name = "bfd_instance", .kws = bi_kws, .close = bi_close,
};

int hc_kw_bfd_instance(struct conf_parser *p, const struct conf_kw *kw,
		       void *obj, int argc, char **argv)
{
	struct bfd_instance **head = (void *)((char *)obj + kw->off);
	struct bfd_instance *b;

	if (argc < 2) {
		conf_err(p, "bfd_instance needs a name");
		conf_set_child(p, NULL);
		return -1;
	}
	b = calloc(1, sizeof(*b));
	if (!b || !(b->name = strdup(argv[1])))
		abort();
	conf_apply_defaults(p, bi_kws, b);
	b->next = *head;
	*head = b;
	conf_set_child(p, b);
	return 0;
}

void hc_bfd_instances_free(void *list)
{
	struct bfd_instance *b = list, *next;

	for (; b; b = next) {
		next = b->next;
		free(b->name);
		free(b);
	}
}

/* ---- sessions ---- */

static long long tx_desired(const struct bfd_session *s)
{
	long long want = s->cfg.min_tx * 1000;

	return s->state == ST_UP ? want : want > SLOW_TX ? want : SLOW_TX;
}

static void bfd_send(struct bfd_session *s, bool final)
{
	unsigned char b[24];
	uint32_t v[5] = {
		htonl(s->my_disc), htonl(s->your_disc),
		htonl((uint32_t)tx_desired(s)),
		htonl((uint32_t)(s->cfg.min_rx * 1000)), 0
	};

	b[0] = (unsigned char)(1 << 5 | (s->diag & 0x1f));
	b[1] = (unsigned char)(s->state << 6 | (s->poll && !final ? 0x20 : 0) |
			       (final ? 0x10 : 0));
	b[2] = (unsigned char)s->cfg.mult;
	b[3] = sizeof(b);
	memcpy(b + 4, v, sizeof(v));
	send(s->fd, b, sizeof(b), MSG_DONTWAIT);	/* lost: the next one */
}

static void tx_arm(struct bfd_session *s)
{
	long long iv = tx_desired(s);
	double j;

	if (s->r_min_rx > iv)
		iv = s->r_min_rx;
	/* RFC 5880 6.8.7: 75-100% of the interval (90% at most with a
	 * detect multiplier of 1). */
	j = 0.75 + drand48() * (s->cfg.mult == 1 ? 0.15 : 0.25);
	ltimer_start(s->tx, (int64_t)((double)iv * j));
}

static void tx_fire(struct ltimer *t, void *arg)
{
	struct bfd_session *s = arg;

	if (!s->cfg.passive || s->heard)
		bfd_send(s, false);
	tx_arm(s);
}

static void set_state(struct bfd_session *s, int st, int diag)
{
	if (s->state == st)
		return;
	s->state = st;
	s->diag = diag;
	if (st == ST_UP)
		s->poll = true;		/* announce the Up rates */
	if (st == ST_DOWN) {
		s->your_disc = 0;
		ltimer_stop(s->detect);
	}
	tx_arm(s);
}

static void detect_fire(struct ltimer *t, void *arg)
{
	struct bfd_session *s = arg;

	if (s->state == ST_INIT || s->state == ST_UP)
		set_state(s, ST_DOWN, 1);	/* control detection expired */
}

int bfd_next_state(int local, int remote, int *diag)
{
	*diag = 0;
	if (remote == ST_ADMINDOWN) {
		*diag = 3;			/* neighbor signaled down */
		return local == ST_ADMINDOWN ? local : ST_DOWN;
	}
	switch (local) {
	case ST_DOWN:
		return remote == ST_DOWN ? ST_INIT :
		       remote == ST_INIT ? ST_UP : ST_DOWN;
	case ST_INIT:
		return remote == ST_DOWN ? ST_INIT : ST_UP;
	case ST_UP:
		if (remote == ST_DOWN) {
			*diag = 3;
			return ST_DOWN;
		}
		return ST_UP;
	default:
		return local;
	}
}

bool bfd_packet_ok(const unsigned char *b, size_t n, int ttl, int min_ttl)
{
	return ttl >= min_ttl && ttl <= 255 && n >= 24 && b[0] >> 5 == 1 && b[3] >= 24 &&
	       b[3] <= n && b[2] && !(b[1] & 0x01) && !(b[1] & 0x04) &&
	       (b[4] | b[5] | b[6] | b[7]);
}

/* RFC 5880 6.8.6, after the packet passed its checks. */
static void bfd_receive(struct bfd_session *s, const unsigned char *b)
{
	int rst = b[1] >> 6, st, diag;
	long long det;

	s->heard = true;
	s->rstate = rst;
	s->your_disc = ntohl(*(const uint32_t *)(const void *)(b + 4));
	s->r_min_tx = ntohl(*(const uint32_t *)(const void *)(b + 12));
	s->r_min_rx = ntohl(*(const uint32_t *)(const void *)(b + 16));
	s->r_mult = b[2];
	if (b[1] & 0x10)
		s->poll = false;
	st = bfd_next_state(s->state, rst, &diag);
	if (st != s->state)
		set_state(s, st, diag);
	if (s->state == ST_INIT || s->state == ST_UP) {
		det = s->cfg.min_rx * 1000;
		if (s->r_min_tx > det)
			det = s->r_min_tx;
		ltimer_start(s->detect, det * s->r_mult);
	}
	if (b[1] & 0x20)
		bfd_send(s, true);	/* answer a Poll with a Final */
}

/* RFC 5881 5: 255 exactly; RFC 5883 with max_hops N: at least 256 - N. */
static int min_ttl(const struct bfd_instance *b)
{
	return b->multihop ? 256 - (int)b->max_hops : 255;
}

static bool same_peer(const struct bfd_session *s,
		      const struct sockaddr_storage *from)
{
	if (s->peer.ss_family != from->ss_family)
		return false;
	if (from->ss_family == AF_INET6)
		return !memcmp(&((const struct sockaddr_in6 *)from)->sin6_addr,
			       &((const struct sockaddr_in6 *)&s->peer)->sin6_addr,
			       sizeof(struct in6_addr));
	return ((const struct sockaddr_in *)from)->sin_addr.s_addr ==
	       ((const struct sockaddr_in *)&s->peer)->sin_addr.s_addr;
}

/* ARG: 2 * IPv6 + multihop, the socket's place in rx_fd. */
static void rx_read(struct lio *io, int fd, int events, void *arg)
{
	int which = (int)(intptr_t)arg, mh = which & 1;
	unsigned char b[64], cbuf[CMSG_SPACE(sizeof(int))];
	struct sockaddr_storage from;
	struct iovec iov = { b, sizeof(b) };
	struct msghdr mh_ = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct bfd_session *s;
	struct cmsghdr *cm;
	uint32_t yours;
	int ttl = -1;
	ssize_t n;

	while ((n = recvmsg(fd, &mh_, MSG_DONTWAIT)) >= 0) {
		for (cm = CMSG_FIRSTHDR(&mh_); cm; cm = CMSG_NXTHDR(&mh_, cm))
			if ((cm->cmsg_level == IPPROTO_IP &&
			     cm->cmsg_type == IP_TTL) ||
			    (cm->cmsg_level == IPPROTO_IPV6 &&
			     cm->cmsg_type == IPV6_HOPLIMIT))
				memcpy(&ttl, CMSG_DATA(cm), sizeof(ttl));
		/* RFC 5880 6.8.6, 5881 5, 5883: drop what does not check. */
		if (!bfd_packet_ok(b, (size_t)n, ttl, mh ? 0 : 255))
			goto next;
		yours = ntohl(*(uint32_t *)(void *)(b + 8));
		for (s = sessions; s; s = s->next) {
			if (!s->cfg.multihop != !mh || !same_peer(s, &from))
				continue;
			if (yours ? yours == s->my_disc :
			    (b[1] >> 6) <= ST_DOWN)
				break;
		}
		if (s && ttl >= min_ttl(&s->cfg))
			bfd_receive(s, b);
next:
		mh_.msg_namelen = sizeof(from);
		mh_.msg_controllen = sizeof(cbuf);
		ttl = -1;
	}
}

static void rx_close_all(void)
{
	for (int v6 = 0; v6 < 2; v6++)
		for (int mh = 0; mh < 2; mh++) {
			lio_free(rx_io[v6][mh]);
			if (rx_fd[v6][mh] >= 0)
				close(rx_fd[v6][mh]);
			rx_io[v6][mh] = NULL;
			rx_fd[v6][mh] = -1;
		}
}

static int rx_open(int af, bool multihop)
{
	int v6 = af == AF_INET6, one = 1, fd;
	uint16_t port = htons(multihop ? BFD_MH_PORT : BFD_PORT);
	struct sockaddr_in a4 = { .sin_family = AF_INET, .sin_port = port };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = port };
	int rc;

	if (rx_fd[v6][multihop] >= 0)
		return 0;
	fd = socket(af, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (v6)
		rc = setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
				sizeof(one)) ||
		     setsockopt(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &one,
				sizeof(one)) ||
		     bind(fd, (struct sockaddr *)&a6, sizeof(a6));
	else
		rc = setsockopt(fd, IPPROTO_IP, IP_RECVTTL, &one,
				sizeof(one)) ||
		     bind(fd, (struct sockaddr *)&a4, sizeof(a4));
	if (rc) {
		int e = errno;

		close(fd);
		return -e;
	}
	rx_fd[v6][multihop] = fd;
	rx_io[v6][multihop] = lio_new(fd, LOOP_READ, rx_read,
				      (void *)(intptr_t)(2 * v6 + multihop));
	return 0;
}

static void session_free(struct bfd_session *s)
{
	struct bfd_session **pp = &sessions;

	while (*pp != s)
		pp = &(*pp)->next;
	*pp = s->next;
	if (s->state == ST_UP || s->state == ST_INIT) {
		s->state = ST_ADMINDOWN;	/* tell the peer */
		s->diag = 7;
		bfd_send(s, false);
	}
	ltimer_free(s->tx);
	ltimer_free(s->detect);
	ltimer_free(s->linger);
	close(s->fd);
	free(s);
	if (!sessions)
		rx_close_all();
}

static void linger_fire(struct ltimer *t, void *arg)
{
	session_free(arg);
}

/* The source port: RFC 5881 4 and 5883 want 49152-65535. */
static int tx_open(struct bfd_session *s)
{
	struct sockaddr_storage a = { .ss_family = s->peer.ss_family };
	struct sockaddr_in *a4 = (struct sockaddr_in *)&a;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&a;
	bool v6 = a.ss_family == AF_INET6;
	int ttl = 255, fd, e;

	fd = socket(a.ss_family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (s->cfg.src.af == AF_INET6)
		a6->sin6_addr = s->cfg.src.u.in6;
	else if (s->cfg.src.af)
		a4->sin_addr = s->cfg.src.u.in;
	if (setsockopt(fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP,
		       v6 ? IPV6_UNICAST_HOPS : IP_TTL, &ttl, sizeof(ttl)) < 0)
		goto fail;
	for (int i = 0;; i++) {
		uint16_t port = htons((uint16_t)(49152 + lrand48() % 16384));

		if (v6)
			a6->sin6_port = port;
		else
			a4->sin_port = port;
		if (!bind(fd, (struct sockaddr *)&a, v6 ? sizeof(*a6) :
							  sizeof(*a4)))
			break;
		if (errno != EADDRINUSE || i == 64)
			goto fail;
	}
	if (connect(fd, (struct sockaddr *)&s->peer, s->peer_len) < 0)
		goto fail;
	s->fd = fd;
	return 0;
fail:
	e = errno;
	close(fd);
	return -e;
}

static struct bfd_session *session_get(const struct bfd_instance *b, int *err)
{
	struct bfd_session *s;
	char key[160], n[INET6_ADDRSTRLEN], src[INET6_ADDRSTRLEN] = "any";

	inet_ntop(b->nbr.af, &b->nbr.u, n, sizeof(n));
	if (b->src.af)
		inet_ntop(b->src.af, &b->src.u, src, sizeof(src));
	snprintf(key, sizeof(key), "%s %s %s %lld %lld %lld %lld %lld %lld",
		 b->name, n, src, b->min_rx, b->min_tx, b->mult, b->passive,
		 b->multihop, b->max_hops);
	for (s = sessions; s; s = s->next)
		if (!strcmp(s->key, key)) {
			s->refs++;
			ltimer_stop(s->linger);
			return s;
		}
	*err = rx_open(b->nbr.af, b->multihop);
	if (*err) {
		if (!sessions)
			rx_close_all();
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	snprintf(s->key, sizeof(s->key), "%s", key);
	s->cfg = *b;
	s->cfg.name = NULL;
	if (b->nbr.af == AF_INET6) {
		struct sockaddr_in6 *p6 = (struct sockaddr_in6 *)&s->peer;

		p6->sin6_family = AF_INET6;
		p6->sin6_addr = b->nbr.u.in6;
		p6->sin6_port = htons(b->multihop ? BFD_MH_PORT : BFD_PORT);
		s->peer_len = sizeof(*p6);
	} else {
		struct sockaddr_in *p4 = (struct sockaddr_in *)&s->peer;

		p4->sin_family = AF_INET;
		p4->sin_addr = b->nbr.u.in;
		p4->sin_port = htons(b->multihop ? BFD_MH_PORT : BFD_PORT);
		s->peer_len = sizeof(*p4);
	}
	s->state = ST_DOWN;
	s->r_min_rx = 1;
	while (!s->my_disc)
		if (getrandom(&s->my_disc, sizeof(s->my_disc), 0) < 0)
			s->my_disc = (uint32_t)lrand48();
	*err = tx_open(s);
	if (*err) {
		free(s);
		if (!sessions)
			rx_close_all();
		return NULL;
	}
	s->tx = ltimer_new(tx_fire, s);
	s->detect = ltimer_new(detect_fire, s);
	s->linger = ltimer_new(linger_fire, s);
	s->refs = 1;
	s->next = sessions;
	sessions = s;
	tx_arm(s);
	return s;
}

static void session_put(struct bfd_session *s)
{
	if (s && !--s->refs)
		ltimer_start(s->linger, BFD_LINGER);
}

/* ---- BFD_CHECK ---- */

static const struct conf_kw bfd_kws[] = {
	{ .name = "name", .parse = conf_kw_str,
	  .off = offsetof(struct bfd_conf, name) },
	{ .name = NULL }
};

static void bfd_validate(struct conf_parser *p, struct check_conf *c)
{
	if (!((struct bfd_conf *)c->priv)->name)
		conf_err(p, "BFD_CHECK has no name (of a bfd_instance)");
}

static void bfd_resolve(struct conf_log *log, struct check_conf *c,
			const struct checker_env *env)
{
	struct bfd_conf *f = c->priv;
	struct bfd_instance *b = env->bfd_instances;

	if (!f->name)
		return;
	while (b && strcmp(b->name, f->name))
		b = b->next;
	if (!b)
		conf_log_add(log, CONF_ERR, c->file, c->line,
			     "BFD_CHECK: bfd_instance %s not found", f->name);
	f->inst = b;
}

static void bfd_free(void *priv)
{
	struct bfd_conf *f = priv;

	session_put(f->s);
	free(f->name);
}

struct bfd_probe {
	struct ltimer	*t;
	enum check_result res;
};

static void bfd_report(struct ltimer *t, void *arg)
{
	struct check_probe *pr = arg;
	struct bfd_probe *st = pr->state;
	enum check_result res = st->res;

	ltimer_free(st->t);
	free(st);
	pr->state = NULL;
	probe_done(pr, res, -1, NULL);
}

static int bfd_start(struct check_probe *pr)
{
	struct bfd_conf *f = pr->conf->priv;
	struct bfd_probe *st;
	int err = 0;

	if (!f->inst)
		return -ENOENT;	/* reported at load */
	if (!f->s && !(f->s = session_get(f->inst, &err)))
		return err;
	st = calloc(1, sizeof(*st));
	if (!st)
		return -ENOMEM;
	st->res = f->s->state == ST_UP ? CHECK_OK : CHECK_FAIL;
	if (st->res == CHECK_FAIL)
		probe_why(pr, "BFD session with %s is %s (peer %s, diag %d)",
			  f->inst->name, st_name[f->s->state],
			  f->s->heard ? st_name[f->s->rstate] : "silent",
			  f->s->diag);
	st->t = ltimer_new(bfd_report, pr);
	pr->state = st;
	ltimer_start(st->t, 0);
	return 0;
}

static enum check_result bfd_timeout(struct check_probe *pr)
{
	struct bfd_probe *st = pr->state;

	ltimer_free(st->t);
	free(st);
	pr->state = NULL;
	return CHECK_FAIL;
}

static const struct checker_ops bfd_checker = {
	.name		= "BFD_CHECK",
	.kws		= bfd_kws,
	.priv_size	= sizeof(struct bfd_conf),
	.priv_free	= bfd_free,
	.validate	= bfd_validate,
	.resolve	= bfd_resolve,
	.default_retry	= 0,
	.default_dbr	= CONF_UNSET,
	.no_port	= true,
	.start		= bfd_start,
	.timeout	= bfd_timeout,
};

CHECKER_REGISTER(bfd_checker)
