// SPDX-License-Identifier: GPL-2.0
/*
 * check_ping.c - PING_CHECK: one ICMP (or ICMPv6) echo request; the real
 * server passes on the matching echo reply.  An unprivileged ping socket
 * (net.ipv4.ping_group_range) is tried first, then a raw socket.
 */
#include <errno.h>
#include <netinet/icmp6.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checker.h"
#include "loop.h"

struct ping_state {
	int		fd;
	struct lio	*io;
	bool		raw;
	uint16_t	id, seq;
};

static uint16_t csum(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint32_t sum = 0;

	for (; len > 1; p += 2, len -= 2)
		sum += (uint32_t)(p[0] << 8 | p[1]);
	if (len)
		sum += (uint32_t)(p[0] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return htons((uint16_t)~sum);
}

static void ping_release(struct check_probe *pr)
{
	struct ping_state *st = pr->state;

	lio_free(st->io);
	close(st->fd);
	free(st);
	pr->state = NULL;
}

static void ping_read(struct lio *io, int fd, int events, void *arg)
{
	struct check_probe *pr = arg;
	struct ping_state *st = pr->state;
	bool v6 = pr->dst.ss_family == AF_INET6;
	unsigned char b[2048], *icmp = b;
	ssize_t n = recv(fd, b, sizeof(b), 0);
	int e = errno;

	if (n < 0 && (e == EAGAIN || e == EINTR))
		return;
	if (n < 0) {
		ping_release(pr);
		probe_done(pr, CHECK_FAIL, -1, "recv: %s", strerror(e));
		return;
	}
	if (st->raw && !v6) {
		size_t hl = (size_t)(b[0] & 0x0f) * 4;

		if ((size_t)n < hl + 8)
			return;
		icmp += hl;
		n -= (ssize_t)hl;
	}
	if (n < 8)
		return;
	if (icmp[0] == (v6 ? ICMP6_DST_UNREACH : ICMP_DEST_UNREACH)) {
		ping_release(pr);
		probe_done(pr, CHECK_FAIL, -1, "destination unreachable");
		return;
	}
	if (icmp[0] != (v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY))
		return;
	if ((st->raw && (icmp[4] << 8 | icmp[5]) != st->id) ||
	    (icmp[6] << 8 | icmp[7]) != st->seq)
		return;
	ping_release(pr);
	probe_done(pr, CHECK_OK, -1, NULL);
}

static int ping_start(struct check_probe *pr)
{
	bool v6 = pr->dst.ss_family == AF_INET6;
	int proto = v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;
	unsigned char pkt[64] = { 0 };
	struct ping_state *st;
	bool raw = false;
	uint16_t r[2];
	int fd, e;

	fd = probe_socket(pr, SOCK_DGRAM, proto);
	if (fd == -EACCES || fd == -EPERM || fd == -EPROTONOSUPPORT) {
		raw = true;
		fd = probe_socket(pr, SOCK_RAW, proto);
	}
	if (fd < 0)
		return fd;
	if (getrandom(r, sizeof(r), GRND_NONBLOCK) != sizeof(r))
		r[0] = (uint16_t)rand(), r[1] = (uint16_t)rand();
	pkt[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	pkt[4] = r[0] >> 8;
	pkt[5] = r[0] & 0xff;
	pkt[6] = r[1] >> 8;
	pkt[7] = r[1] & 0xff;
	memcpy(pkt + 8, "lvsd PING_CHECK", 15);
	if (!v6) {
		uint16_t c = csum(pkt, sizeof(pkt));

		memcpy(pkt + 2, &c, 2);
	}
	if (connect(fd, (struct sockaddr *)&pr->dst, pr->dst_len) < 0 ||
	    send(fd, pkt, sizeof(pkt), 0) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	st->fd = fd;
	st->raw = raw;
	st->id = r[0];
	st->seq = r[1];
	st->io = lio_new(fd, LOOP_READ, ping_read, pr);
	pr->state = st;
	return 0;
}

static enum check_result ping_timeout(struct check_probe *pr)
{
	ping_release(pr);
	probe_why(pr, "no echo reply");
	return CHECK_FAIL;
}

static const struct checker_ops ping_checker = {
	.name		= "PING_CHECK",
	.default_retry	= 1,
	.default_dbr	= 1000000,
	.no_port	= true,
	.start		= ping_start,
	.timeout	= ping_timeout,
};

CHECKER_REGISTER(ping_checker)
