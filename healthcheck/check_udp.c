// SPDX-License-Identifier: GPL-2.0
/*
 * check_udp.c - UDP_CHECK: send payload to the real server's port.  An ICMP
 * port unreachable (ECONNREFUSED on the connected socket) fails it.  As in
 * keepalived: without require_reply, any reply and silence until the
 * timeout both pass; with require_reply, a reply must come, and when it
 * carries a pattern (hex, 'X' a wildcard nibble) the reply must fit
 * min/max_reply_length (default 0-255) and match the pattern over the
 * shorter of the two.  payload and the pattern are keepalived's free-form
 * hex (hc_hex_parse).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checker.h"
#include "loop.h"

#define UDP_PAYLOAD_MAX	1472

struct udp_conf {
	unsigned char	payload[UDP_PAYLOAD_MAX];
	long long	payload_len;
	unsigned char	reply[UDP_PAYLOAD_MAX];
	unsigned char	reply_care[UDP_PAYLOAD_MAX];	/* 0 bits: wildcard */
	long long	reply_len;			/* 0: no pattern */
	long long	require_reply;
	long long	min_len, max_len;
};

struct udp_state {
	int		fd;
	struct lio	*io;
};

/* The words after the keyword as one hex string; -1 after an error. */
static int udp_hex(struct conf_parser *p, int argc, char **argv,
		   unsigned char *out, unsigned char *care, const char *what)
{
	char *s = hc_join_args(argc, argv, 1);
	int n = s ? hc_hex_parse(s, out, care, UDP_PAYLOAD_MAX) : -1;

	if (n < 0)
		conf_err(p, "invalid hex string for UDP_CHECK %s '%s' (hex "
			 "digits%s, blanks between bytes, at most %d bytes)",
			 what, s ? s : "", care ? ", X for any nibble" : "",
			 UDP_PAYLOAD_MAX);
	free(s);
	return n;
}

static int kw_payload(struct conf_parser *p, const struct conf_kw *kw,
		      void *obj, int argc, char **argv)
{
	struct udp_conf *u = obj;
	int n;

	if (argc < 2) {
		conf_err(p, "UDP_CHECK payload requires a payload");
		return -1;
	}
	n = udp_hex(p, argc, argv, u->payload, NULL, "payload");
	if (n < 0)
		return -1;
	u->payload_len = n;
	return 0;
}

static int kw_require_reply(struct conf_parser *p, const struct conf_kw *kw,
			    void *obj, int argc, char **argv)
{
	struct udp_conf *u = obj;
	int n;

	u->require_reply = 1;
	if (argc < 2)
		return 0;
	n = udp_hex(p, argc, argv, u->reply, u->reply_care, "require_reply");
	if (n < 0)
		return -1;
	u->reply_len = n;
	return 0;
}

static const struct conf_kw udp_kws[] = {
	{ .name = "payload", .parse = kw_payload },
	{ .name = "require_reply", .parse = kw_require_reply },
	{ .name = "min_reply_length", .parse = conf_kw_int,
	  .off = offsetof(struct udp_conf, min_len), .max = 65535,
	  .def = "0" },
	{ .name = "max_reply_length", .parse = conf_kw_int,
	  .off = offsetof(struct udp_conf, max_len), .max = 65535,
	  .def = "255" },
	{ .name = NULL }
};

static void udp_validate(struct conf_parser *p, struct check_conf *c)
{
	struct udp_conf *u = c->priv;

	if (u->min_len > u->max_len)
		conf_err(p, "UDP_CHECK min_reply_length %lld > max_reply_length "
			 "%lld: it would always fail", u->min_len, u->max_len);
}

static void udp_release(struct check_probe *pr)
{
	struct udp_state *st = pr->state;

	lio_free(st->io);
	close(st->fd);
	free(st);
	pr->state = NULL;
}

/* Only a reply to a require_reply pattern is examined, as in keepalived. */
static bool reply_ok(const struct udp_conf *u, const unsigned char *b,
		     size_t n)
{
	long long cmp = u->reply_len;

	if (!u->reply_len)
		return true;
	if ((long long)n < u->min_len || (long long)n > u->max_len)
		return false;
	if ((long long)n < cmp)
		cmp = (long long)n;
	for (long long i = 0; i < cmp; i++)
		if ((b[i] ^ u->reply[i]) & u->reply_care[i])
			return false;
	return true;
}

static void udp_read(struct lio *io, int fd, int events, void *arg)
{
	struct check_probe *pr = arg;
	const struct udp_conf *u = pr->conf->priv;
	unsigned char buf[65536];
	ssize_t n = recv(fd, buf, sizeof(buf), 0);
	int e = errno;

	if (n < 0 && (e == EAGAIN || e == EINTR))
		return;
	udp_release(pr);
	if (n < 0)
		probe_done(pr, CHECK_FAIL, -1, "recv: %s", strerror(e));
	else if (!reply_ok(u, buf, (size_t)n))
		probe_done(pr, CHECK_FAIL, -1, "reply of %zd bytes does not "
			   "match", n);
	else
		probe_done(pr, CHECK_OK, -1, NULL);
}

static int udp_start(struct check_probe *pr)
{
	const struct udp_conf *u = pr->conf->priv;
	struct udp_state *st;
	int fd = probe_socket(pr, SOCK_DGRAM, 0), e;

	if (fd < 0)
		return fd;
	if (connect(fd, (struct sockaddr *)&pr->dst, pr->dst_len) < 0 ||
	    send(fd, u->payload, (size_t)u->payload_len, 0) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		close(fd);
		return -ENOMEM;
	}
	st->fd = fd;
	st->io = lio_new(fd, LOOP_READ, udp_read, pr);
	pr->state = st;
	return 0;
}

static enum check_result udp_timeout(struct check_probe *pr)
{
	const struct udp_conf *u = pr->conf->priv;

	udp_release(pr);
	if (u->require_reply) {
		probe_why(pr, "no reply");
		return CHECK_FAIL;
	}
	return CHECK_OK;
}

static const struct checker_ops udp_checker = {
	.name		= "UDP_CHECK",
	.kws		= udp_kws,
	.priv_size	= sizeof(struct udp_conf),
	.validate	= udp_validate,
	.default_retry	= 1,
	.default_dbr	= 1000000,
	.start		= udp_start,
	.timeout	= udp_timeout,
};

CHECKER_REGISTER(udp_checker)
