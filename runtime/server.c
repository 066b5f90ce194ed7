// SPDX-License-Identifier: GPL-2.0
/* server.c - see server.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "loop.h"
#include "server.h"

#define REQ_MAX		8192
#define CONN_TIMEOUT	(10 * 1000000)	/* without progress */

struct srv {
	int		fd;
	struct lio	*io;
	const char	*term;
	srv_handler	h;
};

struct srv_conn {
	struct srv	*srv;
	int		fd;
	struct lio	*io;
	struct ltimer	*timer;
	char		req[REQ_MAX + 1];
	size_t		len;
	char		*out;
	size_t		out_len, out_off;
};

static void conn_free(struct srv_conn *c)
{
	lio_free(c->io);
	ltimer_free(c->timer);
	close(c->fd);
	free(c->out);
	free(c);
}

static void conn_timeout(struct ltimer *t, void *arg)
{
	conn_free(arg);
}

static void conn_answer(struct srv_conn *c)
{
	FILE *f = open_memstream(&c->out, &c->out_len);

	if (!f) {
		conn_free(c);
		return;
	}
	c->srv->h(c->req, f);
	fclose(f);
	lio_set(c->io, LOOP_WRITE);
}

static void conn_io(struct lio *io, int fd, int events, void *arg)
{
	struct srv_conn *c = arg;
	ssize_t n;

	ltimer_start(c->timer, CONN_TIMEOUT);
	if (c->out) {
		n = send(fd, c->out + c->out_off, c->out_len - c->out_off,
			 MSG_NOSIGNAL);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n > 0)
			c->out_off += (size_t)n;
		if (n <= 0 || c->out_off == c->out_len)
			conn_free(c);
		return;
	}
	n = recv(fd, c->req + c->len, REQ_MAX - c->len, 0);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0 && !c->len) {
		conn_free(c);
		return;
	}
	if (n > 0)
		c->len += (size_t)n;
	c->req[c->len] = '\0';
	if (n <= 0 || c->len == REQ_MAX || strstr(c->req, c->srv->term))
		conn_answer(c);
}

static void srv_accept(struct lio *io, int fd, int events, void *arg)
{
	struct srv *s = arg;
	struct srv_conn *c;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (cfd < 0)
		return;
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(cfd);
		return;
	}
	c->srv = s;
	c->fd = cfd;
	c->io = lio_new(cfd, LOOP_READ, conn_io, c);
	c->timer = ltimer_new(conn_timeout, c);
	ltimer_start(c->timer, CONN_TIMEOUT);
}

struct srv *srv_new(int fd, const char *term, srv_handler h)
{
	struct srv *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->fd = fd;
	s->term = term;
	s->h = h;
	s->io = lio_new(fd, LOOP_READ, srv_accept, s);
	return s;
}

void srv_free(struct srv *s)
{
	if (!s)
		return;
	lio_free(s->io);
	close(s->fd);
	free(s);
}
