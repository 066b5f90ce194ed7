// SPDX-License-Identifier: GPL-2.0
/*
 * check_dns.c - DNS_CHECK: one query (type, default SOA; name, default ".")
 * over UDP to port 53 unless told otherwise; the server passes when a
 * response with our id says NOERROR, with or without answers (NODATA
 * passes, as in keepalived: the server works, it only has no such record).
 * Messages that are not responses to our query are ignored.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "checker.h"
#include "loop.h"

#define DNS_NAME_MAX	255

struct dns_conf {
	long long	type;
	char		*name;
};

struct dns_state {
	int		fd;
	struct lio	*io;
	uint16_t	id;
};

static const struct { const char *name; int type; } dns_types[] = {
	{ "A", 1 }, { "NS", 2 }, { "CNAME", 5 }, { "SOA", 6 }, { "PTR", 12 },
	{ "MX", 15 }, { "TXT", 16 }, { "AAAA", 28 }, { "SRV", 33 },
	{ NULL, 0 }
};

static int kw_type(struct conf_parser *p, const struct conf_kw *kw,
		   void *obj, int argc, char **argv)
{
	struct dns_conf *d = obj;

	for (size_t i = 0; argc >= 2 && dns_types[i].name; i++)
		if (!strcasecmp(argv[1], dns_types[i].name)) {
			d->type = dns_types[i].type;
			return 0;
		}
	conf_err(p, "unknown DNS type '%s'", argc >= 2 ? argv[1] : "");
	return -1;
}

static const struct conf_kw dns_kws[] = {
	{ .name = "type", .parse = kw_type, .def = "SOA" },
	{ .name = "name", .parse = conf_kw_str, .off = offsetof(struct dns_conf,
	  name), .def = "." },
	{ .name = NULL }
};

/* "www.example.com" in DNS labels; returns the length or -1. */
static int dns_encode_name(const char *name, unsigned char *out, size_t cap)
{
	size_t n = 0;

	while (*name) {
		const char *dot = strchr(name, '.');
		size_t len = dot ? (size_t)(dot - name) : strlen(name);

		if (!len && dot) {
			name++;
			continue;
		}
		if (len > 63 || n + len + 2 > cap)
			return -1;
		out[n++] = (unsigned char)len;
		memcpy(out + n, name, len);
		n += len;
		name += len;
		if (*name == '.')
			name++;
	}
	if (n + 1 > cap)
		return -1;
	out[n++] = 0;
	return (int)n;
}

static void dns_validate(struct conf_parser *p, struct check_conf *c)
{
	struct dns_conf *d = c->priv;
	unsigned char buf[DNS_NAME_MAX + 2];

	if (dns_encode_name(d->name, buf, sizeof(buf)) < 0)
		conf_err(p, "DNS_CHECK: invalid name '%s'", d->name);
}

static void dns_free(void *priv)
{
	free(((struct dns_conf *)priv)->name);
}

static void dns_release(struct check_probe *pr)
{
	struct dns_state *st = pr->state;

	lio_free(st->io);
	close(st->fd);
	free(st);
	pr->state = NULL;
}

static void dns_read(struct lio *io, int fd, int events, void *arg)
{
	struct check_probe *pr = arg;
	struct dns_state *st = pr->state;
	unsigned char b[4096];
	ssize_t n = recv(fd, b, sizeof(b), 0);
	int e = errno;
	unsigned int flags;

	if (n < 0 && (e == EAGAIN || e == EINTR))
		return;
	if (n >= 0 && n < 12)
		return;		/* not a DNS message: keep waiting */
	if (n > 0 && (unsigned int)(b[0] << 8 | b[1]) != st->id)
		return;		/* a late reply to an older query */
	if (n > 0 && !(b[2] & 0x80))
		return;		/* a query, not a response: keep waiting */
	dns_release(pr);
	if (n < 0) {
		probe_done(pr, CHECK_FAIL, -1, "recv: %s", strerror(e));
		return;
	}
	flags = (unsigned int)(b[2] << 8 | b[3]);
	if (flags & 0x000f)
		probe_done(pr, CHECK_FAIL, -1, "rcode %u", flags & 0xf);
	else
		probe_done(pr, CHECK_OK, -1, NULL);
}

static int dns_start(struct check_probe *pr)
{
	const struct dns_conf *d = pr->conf->priv;
	unsigned char q[12 + DNS_NAME_MAX + 2 + 4] = { 0 };
	struct dns_state *st;
	uint16_t id;
	int fd, n, e;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != sizeof(id))
		id = (uint16_t)rand();
	q[0] = id >> 8;
	q[1] = id & 0xff;
	q[2] = 0x01;			/* RD */
	q[5] = 1;			/* QDCOUNT */
	n = dns_encode_name(d->name, q + 12, DNS_NAME_MAX + 2);
	if (n < 0)
		return -EINVAL;
	n += 12;
	q[n++] = (unsigned char)(d->type >> 8);
	q[n++] = (unsigned char)d->type;
	q[n++] = 0;
	q[n++] = 1;			/* class IN */
	fd = probe_socket(pr, SOCK_DGRAM, 0);
	if (fd < 0)
		return fd;
	if (connect(fd, (struct sockaddr *)&pr->dst, pr->dst_len) < 0 ||
	    send(fd, q, (size_t)n, 0) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	st->fd = fd;
	st->id = id;
	st->io = lio_new(fd, LOOP_READ, dns_read, pr);
	pr->state = st;
	return 0;
}

static enum check_result dns_timeout(struct check_probe *pr)
{
	dns_release(pr);
	probe_why(pr, "no reply");
	return CHECK_FAIL;
}

static const struct checker_ops dns_checker = {
	.name		= "DNS_CHECK",
	.kws		= dns_kws,
	.priv_size	= sizeof(struct dns_conf),
	.priv_free	= dns_free,
	.validate	= dns_validate,
	.default_retry	= 3,
	.default_dbr	= CONF_UNSET,
	.default_port	= 53,
	.start		= dns_start,
	.timeout	= dns_timeout,
};

CHECKER_REGISTER(dns_checker)
