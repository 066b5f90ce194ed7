// SPDX-License-Identifier: GPL-2.0
/*
 * alert.c - one SMTP client conversation per alert mail (see alert.h).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "alert.h"
#include "log.h"
#include "loop.h"

#define ALERT_MSG_MAX	4096

/* Steps: the reply each one waits for, then what it sends. */
enum alert_step { A_GREETING, A_HELO, A_MAIL, A_RCPT, A_DATA, A_BODY,
		  A_QUIT };

struct alert {
	int		fd;
	struct lio	*io;
	struct ltimer	*timer;
	enum alert_step	step;
	size_t		rcpt;		/* recipients sent */
	char		**to;
	size_t		n_to;
	char		*helo, *from, *msg;
	char		server[64];
	char		out[ALERT_MSG_MAX + 1024];
	size_t		out_len, out_off;
	char		in[1024];
	size_t		in_len;
	bool		connected;
};

static void alert_free(struct alert *a)
{
	lio_free(a->io);
	ltimer_free(a->timer);
	if (a->fd >= 0)
		close(a->fd);
	for (size_t i = 0; i < a->n_to; i++)
		free(a->to[i]);
	free(a->to);
	free(a->helo);
	free(a->from);
	free(a->msg);
	free(a);
}

/* WHAT (and DETAIL) say why it failed; NULL: sent. */
static void alert_end(struct alert *a, const char *what, const char *detail)
{
	if (what) {
		rt_log("smtp_alert: mail via %s failed: %s%.80s", a->server,
		       what, detail);
	} else {
		rt_log("smtp_alert: mail sent via %s", a->server);
	}
	alert_free(a);
}

static void alert_put(struct alert *a, const char *text)
{
	snprintf(a->out, sizeof(a->out), "%s", text);
	a->out_len = strlen(a->out);
	a->out_off = 0;
	lio_set(a->io, LOOP_WRITE);
}

static void alert_cmd(struct alert *a, const char *verb, const char *arg)
{
	char line[600];

	snprintf(line, sizeof(line), arg ? "%s%s\r\n" : "%s\r\n", verb,
		 arg ? arg : "");
	alert_put(a, line);
}

/* The last line of a reply ("250 ok", after any "250-..."): its code. */
static void alert_reply(struct alert *a, int code, const char *line)
{
	static const int want[] = { 220, 250, 250, 250, 354, 250, 221 };
	char addr[600];

	if (code != want[a->step] && !(a->step == A_QUIT && code > 0)) {
		alert_end(a, "unexpected reply: ", line);
		return;
	}
	switch (a->step) {
	case A_GREETING:
		a->step = A_HELO;
		alert_cmd(a, "HELO ", a->helo);
		return;
	case A_HELO:
		a->step = A_MAIL;
		snprintf(addr, sizeof(addr), "<%s>", a->from);
		alert_cmd(a, "MAIL FROM:", addr);
		return;
	case A_MAIL:
	case A_RCPT:
		if (a->rcpt < a->n_to) {
			a->step = A_RCPT;
			snprintf(addr, sizeof(addr), "<%s>", a->to[a->rcpt++]);
			alert_cmd(a, "RCPT TO:", addr);
			return;
		}
		a->step = A_DATA;
		alert_cmd(a, "DATA", NULL);
		return;
	case A_DATA:
		a->step = A_BODY;
		alert_put(a, a->msg);
		return;
	case A_BODY:
		a->step = A_QUIT;
		alert_cmd(a, "QUIT", NULL);
		return;
	case A_QUIT:
		alert_end(a, NULL, NULL);
		return;
	}
}

static void alert_read(struct alert *a)
{
	ssize_t n;
	char *nl;

	if (a->in_len >= sizeof(a->in) - 1)
		a->in_len = 0;
	n = read(a->fd, a->in + a->in_len, sizeof(a->in) - 1 - a->in_len);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		alert_end(a, n ? strerror(errno) : "connection closed", "");
		return;
	}
	a->in_len += (size_t)n;
	a->in[a->in_len] = '\0';
	/* Multi-line replies: "250-..." lines until "250 ...". */
	while ((nl = strchr(a->in, '\n'))) {
		char line[sizeof(a->in)];
		size_t len = (size_t)(nl - a->in) + 1;

		memcpy(line, a->in, len - 1);
		line[len - 1] = '\0';
		if (len > 1 && line[len - 2] == '\r')
			line[len - 2] = '\0';
		memmove(a->in, nl + 1, a->in_len - len + 1);
		a->in_len -= len;
		if (strlen(line) >= 4 && line[3] == '-')
			continue;
		alert_reply(a, atoi(line), line);
		return;
	}
}

static void alert_io(struct lio *io, int fd, int events, void *arg)
{
	struct alert *a = arg;
	ssize_t n;

	if (!a->connected) {
		socklen_t len = sizeof(int);
		int err = 0;

		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0 ||
		    err) {
			alert_end(a, "connect: ", strerror(err));
			return;
		}
		a->connected = true;
		lio_set(a->io, LOOP_READ);
		return;
	}
	if (a->out_off == a->out_len) {
		alert_read(a);
		return;
	}
	n = send(fd, a->out + a->out_off, a->out_len - a->out_off,
		 MSG_NOSIGNAL);
	if (n < 0 && errno != EAGAIN && errno != EINTR) {
		alert_end(a, "send: ", strerror(errno));
		return;
	}
	if (n > 0)
		a->out_off += (size_t)n;
	if (a->out_off == a->out_len)
		lio_set(a->io, LOOP_READ);
}

static void alert_timeout(struct ltimer *t, void *arg)
{
	alert_end(arg, "smtp_connect_timeout reached", "");
}

/* The message: headers as keepalived writes them, the body dot-stuffed. */
static char *alert_msg(const struct global_conf *g, const char *from,
		       const char *subject, const char *body)
{
	char *m = malloc(ALERT_MSG_MAX), date[64];
	time_t now = time(NULL);
	struct tm tm;
	size_t off;

	if (!m)
		abort();
	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S %z", &tm);
	off = (size_t)snprintf(m, ALERT_MSG_MAX, "Date: %s\r\nFrom: %s\r\n"
			       "Subject: %s\r\nX-Mailer: lvsd\r\nTo:", date,
			       from, subject);
	for (size_t i = 0; i < g->n_emails && off < ALERT_MSG_MAX; i++)
		off += (size_t)snprintf(m + off, ALERT_MSG_MAX - off, "%s %s",
					i ? ",\r\n" : "", g->emails[i]);
	if (off < ALERT_MSG_MAX)
		off += (size_t)snprintf(m + off, ALERT_MSG_MAX - off,
					"\r\n\r\n%s%s\r\n.\r\n",
					body[0] == '.' ? "." : "", body);
	if (off >= ALERT_MSG_MAX)
		strcpy(m + ALERT_MSG_MAX - 6, "\r\n.\r\n");
	return m;
}

void alert_mail(const struct global_conf *g, const char *subject,
		const char *body)
{
	struct sockaddr_storage ss = { 0 };
	char host[256] = "localhost", from[300];
	struct alert *a;
	socklen_t len;

	if (!g->smtp_server.af || !g->n_emails)
		return;
	gethostname(host, sizeof(host) - 1);
	snprintf(from, sizeof(from), "keepalived@%s", host);
	a = calloc(1, sizeof(*a));
	if (!a)
		abort();
	a->fd = -1;
	conf_addr_str(&g->smtp_server, a->server, sizeof(a->server));
	a->helo = strdup(g->smtp_helo_name ? g->smtp_helo_name : host);
	a->from = strdup(g->email_from ? g->email_from : from);
	a->msg = alert_msg(g, a->from, subject, body);
	a->to = calloc(g->n_emails, sizeof(*a->to));
	if (!a->helo || !a->from || !a->to)
		abort();
	for (; a->n_to < g->n_emails; a->n_to++)
		if (!(a->to[a->n_to] = strdup(g->emails[a->n_to])))
			abort();
	if (g->smtp_server.af == AF_INET) {
		struct sockaddr_in *s = (void *)&ss;

		s->sin_family = AF_INET;
		s->sin_addr = g->smtp_server.u.in;
		s->sin_port = htons(g->smtp_server.port);
		len = sizeof(*s);
	} else {
		struct sockaddr_in6 *s = (void *)&ss;

		s->sin6_family = AF_INET6;
		s->sin6_addr = g->smtp_server.u.in6;
		s->sin6_port = htons(g->smtp_server.port);
		len = sizeof(*s);
	}
	a->fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       0);
	if (a->fd < 0 || (connect(a->fd, (struct sockaddr *)&ss, len) < 0 &&
			  errno != EINPROGRESS)) {
		alert_end(a, "connect: ", strerror(errno));
		return;
	}
	a->io = lio_new(a->fd, LOOP_WRITE, alert_io, a);
	a->timer = ltimer_new(alert_timeout, a);
	ltimer_start(a->timer, g->smtp_connect_timeout);
}
