// SPDX-License-Identifier: GPL-2.0
/*
 * check_tcp.c - TCP_CHECK: the real server passes when a non-blocking
 * connect() completes.  No keywords of its own.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checker.h"
#include "loop.h"

struct tcp_state {
	int		fd;
	struct lio	*io;
};

static void tcp_release(struct check_probe *pr)
{
	struct tcp_state *st = pr->state;
	/*
	 * Close with a reset, as HAProxy's checks do: a probe needs no
	 * orderly shutdown, and thousands of checks a second would otherwise
	 * fill the table with TIME_WAIT sockets and slow every connect().
	 */
	struct linger lg = { .l_onoff = 1, .l_linger = 0 };

	setsockopt(st->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	lio_free(st->io);
	close(st->fd);
	free(st);
	pr->state = NULL;
}

static void tcp_ready(struct lio *io, int fd, int events, void *arg)
{
	struct check_probe *pr = arg;
	socklen_t len = sizeof(int);
	int err = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	tcp_release(pr);
	if (err)
		probe_done(pr, CHECK_FAIL, -1, "connect: %s", strerror(err));
	else
		probe_done(pr, CHECK_OK, -1, NULL);
}

static int tcp_start(struct check_probe *pr)
{
	struct tcp_state *st;
	int fd = probe_socket(pr, SOCK_STREAM, 0);

	if (fd < 0)
		return fd;
	if (connect(fd, (struct sockaddr *)&pr->dst, pr->dst_len) < 0 &&
	    errno != EINPROGRESS) {
		int e = errno;

		close(fd);
		return -e;
	}
	st = calloc(1, sizeof(*st));
	if (!st) {
		close(fd);
		return -ENOMEM;
	}
	st->fd = fd;
	st->io = lio_new(fd, LOOP_WRITE, tcp_ready, pr);
	pr->state = st;
	return 0;
}

static enum check_result tcp_timeout(struct check_probe *pr)
{
	tcp_release(pr);
	return CHECK_FAIL;
}

static const struct checker_ops tcp_checker = {
	.name		= "TCP_CHECK",
	.default_retry	= 1,
	.default_dbr	= 1000000,
	.start		= tcp_start,
	.timeout	= tcp_timeout,
};

CHECKER_REGISTER(tcp_checker)
