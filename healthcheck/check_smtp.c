// SPDX-License-Identifier: GPL-2.0
/*
 * check_smtp.c - SMTP_CHECK, keepalived's conversation: connect, a
 * greeting whose first line is "220" (then a blank or its end), "HELO
 * helo_name", a first reply line "250", "QUIT", and any reply line to it.
 * helo_name defaults to keepalived's "smtpchecker.keepalived.org".  The
 * deprecated `host { }` sub-block (several targets in one checker) is
 * refused: one SMTP_CHECK per target does the same.  Each step may take
 * connect_timeout, as keepalived times each read.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checker.h"
#include "loop.h"

#define SMTP_LINE_MAX	512
#define SMTP_STEPS	4		/* connect, banner, HELO, QUIT */

struct smtp_conf {
	char		*helo;
};

enum smtp_step { SM_CONNECT, SM_BANNER, SM_HELO, SM_QUIT };

struct smtp_state {
	int		fd;
	struct lio	*io;
	enum smtp_step	step;
	char		out[SMTP_LINE_MAX];
	size_t		out_len, out_off;
	char		in[SMTP_LINE_MAX];
	size_t		in_len;
};

static int kw_host(struct conf_parser *p, const struct conf_kw *kw,
		   void *obj, int argc, char **argv)
{
	conf_err(p, "SMTP_CHECK's deprecated 'host' block is not supported by "
		 "lvsd: use one SMTP_CHECK (with connect_ip/connect_port) per "
		 "host");
	conf_set_child(p, NULL);
	return -1;
}

static const struct conf_block host_block = { .name = "host" };

static const struct conf_kw smtp_kws[] = {
	{ .name = "helo_name", .parse = conf_kw_str,
	  .off = offsetof(struct smtp_conf, helo),
	  .def = "smtpchecker.keepalived.org" },
	{ .name = "host", .parse = kw_host, .block = &host_block },
	{ .name = NULL }
};

static void smtp_validate(struct conf_parser *p, struct check_conf *c)
{
	struct smtp_conf *s = c->priv;

	if (strpbrk(s->helo, "\r\n") || strlen(s->helo) > 255)
		conf_err(p, "SMTP_CHECK: helo_name must be one line of at most "
			 "255 characters");
}

static void smtp_free(void *priv)
{
	free(((struct smtp_conf *)priv)->helo);
}

static void smtp_release(struct check_probe *pr)
{
	struct smtp_state *st = pr->state;

	lio_free(st->io);
	close(st->fd);
	free(st);
	pr->state = NULL;
}

__attribute__((format(printf, 2, 3)))
static void smtp_fail(struct check_probe *pr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pr->why, sizeof(pr->why), fmt, ap);
	va_end(ap);
	smtp_release(pr);
	probe_done(pr, CHECK_FAIL, -1, NULL);
}

/* keepalived's reading of a reply line: exactly three digits, then a
 * blank or the end of the line; -1 otherwise. */
static int smtp_status(const char *line)
{
	char *end;
	long v = strtol(line, &end, 10);

	if (end - line != 3 || (*end && *end != ' ') || line[0] == '-' ||
	    line[0] == '+')
		return -1;
	return (int)v;
}

static void smtp_send(struct check_probe *pr, enum smtp_step step,
		      const char *line)
{
	struct smtp_state *st = pr->state;

	st->step = step;
	st->out_len = (size_t)snprintf(st->out, sizeof(st->out), "%s\r\n",
				       line);
	st->out_off = 0;
	st->in_len = 0;
	lio_set(st->io, LOOP_WRITE);
}

/* One whole reply line (without CR LF) for the current step. */
static void smtp_line(struct check_probe *pr, char *line)
{
	struct smtp_state *st = pr->state;
	const struct smtp_conf *s = pr->conf->priv;
	char helo[SMTP_LINE_MAX];
	int code = smtp_status(line);

	switch (st->step) {
	case SM_BANNER:
		if (code != 220) {
			smtp_fail(pr, "bad greeting banner '%.60s'", line);
			return;
		}
		snprintf(helo, sizeof(helo), "HELO %s", s->helo);
		smtp_send(pr, SM_HELO, helo);
		return;
	case SM_HELO:
		if (code != 250) {
			smtp_fail(pr, "bad HELO response '%.60s'", line);
			return;
		}
		smtp_send(pr, SM_QUIT, "QUIT");
		return;
	default:
		smtp_release(pr);
		probe_done(pr, CHECK_OK, -1, NULL);
		return;
	}
}

static void smtp_read(struct check_probe *pr)
{
	struct smtp_state *st = pr->state;
	char *nl;
	ssize_t n;

	if (st->in_len >= sizeof(st->in) - 1)
		st->in_len = 0;		/* an endless line: keep its end */
	n = read(st->fd, st->in + st->in_len, sizeof(st->in) - 1 - st->in_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		smtp_fail(pr, "read: %s", n ? strerror(errno) :
			  "connection closed");
		return;
	}
	st->in_len += (size_t)n;
	st->in[st->in_len] = '\0';
	nl = strchr(st->in, '\n');
	if (!nl)
		return;
	*nl = '\0';
	if (nl > st->in && nl[-1] == '\r')
		nl[-1] = '\0';
	smtp_line(pr, st->in);
}

static void smtp_io(struct lio *io, int fd, int events, void *arg)
{
	struct check_probe *pr = arg;
	struct smtp_state *st = pr->state;
	socklen_t len = sizeof(int);
	int err = 0;
	ssize_t n;

	if (st->step == SM_CONNECT) {
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ||
		    err) {
			smtp_fail(pr, "connect: %s", strerror(err));
			return;
		}
		st->step = SM_BANNER;
		lio_set(st->io, LOOP_READ);
		return;
	}
	if (st->out_off == st->out_len) {
		smtp_read(pr);
		return;
	}
	n = send(fd, st->out + st->out_off, st->out_len - st->out_off,
		 MSG_NOSIGNAL);
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		smtp_fail(pr, "send: %s", strerror(errno));
		return;
	}
	if (n > 0)
		st->out_off += (size_t)n;
	if (st->out_off == st->out_len)
		lio_set(st->io, LOOP_READ);
}

static int smtp_start(struct check_probe *pr)
{
	struct smtp_state *st;
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
	st->step = SM_CONNECT;
	st->io = lio_new(fd, LOOP_WRITE, smtp_io, pr);
	pr->state = st;
	return 0;
}

static enum check_result smtp_timeout(struct check_probe *pr)
{
	static const char *const what[] = {
		"connect", "greeting banner", "HELO response", "QUIT response"
	};

	probe_why(pr, "timeout waiting for the %s",
		  what[((struct smtp_state *)pr->state)->step]);
	smtp_release(pr);
	return CHECK_FAIL;
}

static long long smtp_probe_timeout(const struct check_conf *c)
{
	return c->r_timeout * SMTP_STEPS;
}

static const struct checker_ops smtp_checker = {
	.name		= "SMTP_CHECK",
	.kws		= smtp_kws,
	.priv_size	= sizeof(struct smtp_conf),
	.priv_free	= smtp_free,
	.validate	= smtp_validate,
	.default_retry	= 1,
	.default_dbr	= 1000000,
	.probe_timeout	= smtp_probe_timeout,
	.start		= smtp_start,
	.timeout	= smtp_timeout,
};

CHECKER_REGISTER(smtp_checker)
