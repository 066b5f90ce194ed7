// SPDX-License-Identifier: GPL-2.0
/*
 * loop.c - the only user of libev.  One default loop; every watcher is a
 * small heap object so callers never see libev's types.
 */
#include <ev.h>
#include <stdlib.h>
#include <time.h>

#include "loop.h"
#include "xalloc.h"

static struct ev_loop *L;

struct ltimer {
	ev_timer	w;
	ltimer_cb	cb;
	void		*arg;
};

struct lio {
	ev_io		w;
	lio_cb		cb;
	void		*arg;
	int		events;
};

struct lchild {
	ev_child	w;
	lchild_cb	cb;
	void		*arg;
};

struct lsignal {
	ev_signal	w;
	lsignal_cb	cb;
	void		*arg;
};

int loop_init(void)
{
	L = ev_default_loop(EVFLAG_AUTO);
	return L ? 0 : -1;
}

void loop_run(void)
{
	ev_run(L, 0);
}

void loop_break(void)
{
	ev_break(L, EVBREAK_ALL);
}

/*
 * libev's ev_now() is wall-clock time while its timers run on the
 * monotonic clock; lvsd plans probes and measures lag against timers, so
 * both use the monotonic clock (a wall-clock step or skew must not look
 * like drift).
 */
int64_t loop_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void loop_update_now(void)
{
	ev_now_update(L);
}

int64_t loop_clock(void)
{
	return loop_now();
}

static void timer_thunk(struct ev_loop *l, ev_timer *w, int revents)
{
	struct ltimer *t = (struct ltimer *)w;

	t->cb(t, t->arg);
}

struct ltimer *ltimer_new(ltimer_cb cb, void *arg)
{
	struct ltimer *t = rt_xcalloc(sizeof(*t));

	ev_timer_init(&t->w, timer_thunk, 0., 0.);
	t->cb = cb;
	t->arg = arg;
	return t;
}

void ltimer_start(struct ltimer *t, int64_t usec)
{
	ev_timer_stop(L, &t->w);
	ev_timer_set(&t->w, usec > 0 ? usec / 1e6 : 0., 0.);
	ev_timer_start(L, &t->w);
}

void ltimer_stop(struct ltimer *t)
{
	ev_timer_stop(L, &t->w);
}

int ltimer_active(const struct ltimer *t)
{
	return ev_is_active(&t->w);
}

void ltimer_free(struct ltimer *t)
{
	if (!t)
		return;
	ev_timer_stop(L, &t->w);
	free(t);
}

static void io_thunk(struct ev_loop *l, ev_io *w, int revents)
{
	struct lio *io = (struct lio *)w;
	int ev = 0;

	if (revents & EV_READ)
		ev |= LOOP_READ;
	if (revents & EV_WRITE)
		ev |= LOOP_WRITE;
	io->cb(io, w->fd, ev, io->arg);
}

struct lio *lio_new(int fd, int events, lio_cb cb, void *arg)
{
	struct lio *io = rt_xcalloc(sizeof(*io));

	io->cb = cb;
	io->arg = arg;
	ev_io_init(&io->w, io_thunk, fd, 0);
	lio_set(io, events);
	return io;
}

void lio_set(struct lio *io, int events)
{
	int ev = 0;

	if (events == io->events && ev_is_active(&io->w))
		return;
	ev_io_stop(L, &io->w);
	io->events = events;
	if (events & LOOP_READ)
		ev |= EV_READ;
	if (events & LOOP_WRITE)
		ev |= EV_WRITE;
	if (!ev)
		return;
	ev_io_set(&io->w, io->w.fd, ev);
	ev_io_start(L, &io->w);
}

void lio_free(struct lio *io)
{
	if (!io)
		return;
	ev_io_stop(L, &io->w);
	free(io);
}

static void child_thunk(struct ev_loop *l, ev_child *w, int revents)
{
	struct lchild *c = (struct lchild *)w;

	ev_child_stop(l, w);
	c->cb(c, w->rpid, w->rstatus, c->arg);
	free(c);
}

struct lchild *lchild_watch(pid_t pid, lchild_cb cb, void *arg)
{
	struct lchild *c = rt_xcalloc(sizeof(*c));

	c->cb = cb;
	c->arg = arg;
	ev_child_init(&c->w, child_thunk, pid, 0);
	ev_child_start(L, &c->w);
	return c;
}

void lchild_cancel(struct lchild *c)
{
	if (!c)
		return;
	ev_child_stop(L, &c->w);
	free(c);
}

static void signal_thunk(struct ev_loop *l, ev_signal *w, int revents)
{
	struct lsignal *s = (struct lsignal *)w;

	s->cb(w->signum, s->arg);
}

struct lsignal *lsignal_watch(int signum, lsignal_cb cb, void *arg)
{
	struct lsignal *s = rt_xcalloc(sizeof(*s));

	s->cb = cb;
	s->arg = arg;
	ev_signal_init(&s->w, signal_thunk, signum);
	ev_signal_start(L, &s->w);
	return s;
}
