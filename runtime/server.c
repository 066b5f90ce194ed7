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
#define CONN_TIMEOUT	(10 * 1000000)	/* the whole exchange */
#define ACCEPT_RETRY	(100 * 1000)	/* after EMFILE and the like */

struct srv {
	int		fd;
	struct lio	*io;
	struct ltimer	*retry;
	const char	*term;
	srv_handler	h;
	unsigned int	max;
	struct srv_stats st;
};

struct srv_conn {
	struct srv	*srv;
	int		fd;
	struct lio	*io;
	struct ltimer	*timer;
	struct srv_peer	peer;
	char		req[REQ_MAX + 1];
	size_t		len;
	char		*out;
	size_t		out_len, out_off;
};

static void srv_resume(struct srv *s)
{
	if (s->st.conns < s->max && !ltimer_active(s->retry))
		lio_set(s->io, LOOP_READ);
}

static void conn_free(struct srv_conn *c)
{
	struct srv *s = c->srv;

	lio_free(c->io);
	ltimer_free(c->timer);
	close(c->fd);
	free(c->out);
	free(c);
	s->st.conns--;
	srv_resume(s);
}

static void conn_timeout(struct ltimer *t, void *arg)
{
	struct srv_conn *c = arg;

	c->srv->st.timeouts++;
	conn_free(c);
}

static void conn_answer(struct srv_conn *c)
{
	FILE *f = open_memstream(&c->out, &c->out_len);

	if (!f) {
		conn_free(c);
		return;
	}
	c->srv->h(c->req, f, &c->peer);
	fclose(f);
	lio_set(c->io, LOOP_WRITE);
}

static void conn_io(struct lio *io, int fd, int events, void *arg)
{
	struct srv_conn *c = arg;
	ssize_t n;

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

static void accept_retry(struct ltimer *t, void *arg)
{
	srv_resume(arg);
}

static bool local_shortage(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS ||
	       err == ENOMEM;
}

static void srv_accept(struct lio *io, int fd, int events, void *arg)
{
	struct srv *s = arg;
	struct srv_conn *c;
	struct ucred uc;
	socklen_t ul = sizeof(uc);
	int cfd;

	if (s->st.conns >= s->max) {
		s->st.full++;
		lio_set(s->io, 0);	/* back when a connection ends */
		return;
	}
	cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (cfd < 0) {
		/*
		 * The listening socket stays readable: retrying at once
		 * would spin the loop until a descriptor frees up.
		 */
		if (local_shortage(errno)) {
			s->st.local_errors++;
			lio_set(s->io, 0);
			ltimer_start(s->retry, ACCEPT_RETRY);
		}
		return;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		close(cfd);
		return;
	}
	c->srv = s;
	c->fd = cfd;
	if (!getsockopt(cfd, SOL_SOCKET, SO_PEERCRED, &uc, &ul) &&
	    ul == sizeof(uc) && uc.pid > 0)
		c->peer = (struct srv_peer){ true, uc.uid, uc.gid, uc.pid };
	c->io = lio_new(cfd, LOOP_READ, conn_io, c);
	c->timer = ltimer_new(conn_timeout, c);
	ltimer_start(c->timer, CONN_TIMEOUT);
	s->st.accepted++;
	s->st.conns++;
}

struct srv *srv_new(int fd, const char *term, unsigned int max_conns,
		    srv_handler h)
{
	struct srv *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->fd = fd;
	s->term = term;
	s->h = h;
	s->max = max_conns ? max_conns : 1;
	s->retry = ltimer_new(accept_retry, s);
	s->io = lio_new(fd, LOOP_READ, srv_accept, s);
	return s;
}

const struct srv_stats *srv_stats(const struct srv *s)
{
	static const struct srv_stats none;

	return s ? &s->st : &none;
}

void srv_free(struct srv *s)
{
	if (!s)
		return;
	lio_free(s->io);
	ltimer_free(s->retry);
	close(s->fd);
	free(s);
}
