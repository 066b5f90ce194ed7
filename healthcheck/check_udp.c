// SPDX-License-Identifier: GPL-2.0
/*
 * check_udp.c - UDP_CHECK: send payload to the real server's port.  An ICMP
 * port unreachable (ECONNREFUSED on the connected socket) fails it.  With
 * require_reply the reply must start with that pattern (hex, "XX" matches
 * any byte) and fit min/max_reply_length; without it, silence until the
 * timeout passes, as in keepalived.
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
	unsigned char	reply_mask[UDP_PAYLOAD_MAX];	/* 0: wildcard */
	long long	reply_len;			/* 0: none required */
	long long	min_len, max_len;
};

struct udp_state {
	int		fd;
	struct lio	*io;
};

static int kw_payload(struct conf_parser *p, const struct conf_kw *kw,
		      void *obj, int argc, char **argv)
{
	struct udp_conf *u = obj;
	int n = argc >= 2 ? hc_hex_decode(argv[1], u->payload,
					  sizeof(u->payload)) : -1;

	if (n < 0) {
		conf_err(p, "payload must be hex digits (at most %d bytes)",
			 UDP_PAYLOAD_MAX);
		return -1;
	}
	u->payload_len = n;
	return 0;
}

static int kw_require_reply(struct conf_parser *p, const struct conf_kw *kw,
			    void *obj, int argc, char **argv)
{
	struct udp_conf *u = obj;
	const char *s = argc >= 2 ? argv[1] : "";
	long long n = 0;

	for (; *s; s += 2) {
		char two[3] = { s[0], s[1], 0 };

		if (!s[1] || n == UDP_PAYLOAD_MAX)
			goto bad;
		if ((s[0] == 'X' || s[0] == 'x') && (s[1] == 'X' || s[1] == 'x')) {
			u->reply_mask[n] = 0;
			u->reply[n++] = 0;
		} else if (hc_hex_decode(two, &u->reply[n], 1) == 1) {
			u->reply_mask[n++] = 0xff;
		} else {
			goto bad;
		}
	}
	u->reply_len = n;
	return 0;
bad:
	conf_err(p, "require_reply must be hex digits, XX for any byte");
	return -1;
}

static const struct conf_kw udp_kws[] = {
	{ .name = "payload", .parse = kw_payload },
	{ .name = "require_reply", .parse = kw_require_reply },
	{ .name = "min_reply_length", .parse = conf_kw_int,
	  .off = offsetof(struct udp_conf, min_len), .max = UDP_PAYLOAD_MAX,
	  .def = "0" },
	{ .name = "max_reply_length", .parse = conf_kw_int,
	  .off = offsetof(struct udp_conf, max_len), .max = 65535,
	  .def = "65535" },
	{ .name = NULL }
};

static void udp_validate(struct conf_parser *p, struct check_conf *c)
{
	struct udp_conf *u = c->priv;

	if (u->min_len > u->max_len)
		conf_err(p, "min_reply_length above max_reply_length");
}

static void udp_release(struct check_probe *pr)
{
	struct udp_state *st = pr->state;

	lio_free(st->io);
	close(st->fd);
	free(st);
	pr->state = NULL;
}

static bool reply_ok(const struct udp_conf *u, const unsigned char *b,
		     size_t n)
{
	if ((long long)n < u->min_len || (long long)n > u->max_len)
		return false;
	if (u->reply_len <= 0)
		return true;
	if ((long long)n < u->reply_len)
		return false;
	for (long long i = 0; i < u->reply_len; i++)
		if ((b[i] & u->reply_mask[i]) != u->reply[i])
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
	if (u->reply_len > 0 || u->min_len > 0) {
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
