// SPDX-License-Identifier: GPL-2.0
/*
 * registry.c - checkers register themselves before main() runs, in the
 * runtime's registry (registry.h) like backends and subsystems; the parser
 * and the daemon find them only by name.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "checker.h"

RT_REGISTRY(checker_registry, "checker");

void checker_register(const struct checker_ops *ops)
{
	rt_register(&checker_registry, ops->name, ops);
}

const struct checker_ops *checker_find(const char *name)
{
	return rt_find(&checker_registry, name);
}

const struct checker_ops *checker_next(const struct checker_ops *prev)
{
	return rt_next(&checker_registry, prev);
}

static int unsupported_start(struct check_probe *pr)
{
	return -EOPNOTSUPP;
}

static enum check_result unsupported_timeout(struct check_probe *pr)
{
	return CHECK_FAIL;
}

static const struct checker_ops unsupported_ops = {
	.name		= "unsupported",
	.no_port	= true,
	.default_retry	= 0,
	.default_dbr	= CONF_UNSET,
	.start		= unsupported_start,
	.timeout	= unsupported_timeout,
};

const struct checker_ops *checker_unsupported(void)
{
	return &unsupported_ops;
}

void probe_why(struct check_probe *pr, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pr->why, sizeof(pr->why), fmt, ap);
	va_end(ap);
}

void probe_done(struct check_probe *pr, enum check_result res,
		long long weight, const char *why, ...)
{
	va_list ap;

	if (why) {
		va_start(ap, why);
		vsnprintf(pr->why, sizeof(pr->why), why, ap);
		va_end(ap);
	} else if (res == CHECK_OK) {
		pr->why[0] = '\0';
	}
	pr->done(pr, res, weight);
}

bool hc_local_error(int err)
{
	return err == EMFILE || err == ENFILE || err == ENOBUFS ||
	       err == ENOMEM || err == EAGAIN;
}

int probe_socket(struct check_probe *pr, int type, int proto)
{
	int fd = socket(pr->dst.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC,
			proto);

	if (fd < 0)
		return -errno;
	if (pr->conf->bind_if &&
	    setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, pr->conf->bind_if,
		       strlen(pr->conf->bind_if) + 1) < 0)
		goto fail;
	if (pr->conf->fwmark > 0) {
		unsigned int mark = (unsigned int)pr->conf->fwmark;

		if (setsockopt(fd, SOL_SOCKET, SO_MARK, &mark,
			       sizeof(mark)) < 0)
			goto fail;
	}
	if (pr->src_len && bind(fd, (struct sockaddr *)&pr->src,
				pr->src_len) < 0)
		goto fail;
	return fd;
fail:
	{
		int e = errno;

		close(fd);
		return -e;
	}
}

int hc_hex_decode(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0;

	while (*s) {
		unsigned int v;

		if (isspace((unsigned char)*s)) {
			s++;
			continue;
		}
		if (!isxdigit((unsigned char)s[0]) ||
		    !isxdigit((unsigned char)s[1]) || n >= cap)
			return -1;
		if (sscanf(s, "%2x", &v) != 1)
			return -1;
		out[n++] = (unsigned char)v;
		s += 2;
	}
	return (int)n;
}

/* One nibble: its value, 16 for a wildcard, -1 for anything else. */
static int hex_nibble(char c, bool wildcard)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
		return (c | 0x20) - 'a' + 10;
	if (wildcard && (c | 0x20) == 'x')
		return 16;
	return -1;
}

int hc_hex_parse(const char *s, unsigned char *out, unsigned char *care,
		 size_t cap)
{
	size_t n = 0;

	for (;;) {
		int hi, lo = -2;
		unsigned char m = 0xff;

		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		hi = hex_nibble(*s++, care != NULL);
		if (hi < 0)
			return -1;
		if (*s && *s != ' ' && *s != '\t') {
			lo = hex_nibble(*s++, care != NULL);
			if (lo < 0)
				return -1;
		}
		if (n == cap)
			return -1;
		if (lo == -2) {		/* a lone digit: the low nibble */
			lo = hi;
			hi = 0;
		} else if (hi == 16) {
			m &= 0x0f;
			hi = 0;
		}
		if (lo == 16) {
			m &= 0xf0;
			lo = 0;
		}
		out[n] = (unsigned char)(hi << 4 | lo);
		if (care)
			care[n] = m;
		n++;
	}
	return n ? (int)n : -1;
}

char *hc_join_args(int argc, char **argv, int from)
{
	size_t len = 1;
	char *s;

	for (int i = from; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = from; i < argc; i++) {
		if (i > from)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

char *hc_host_port(const struct sockaddr_storage *ss, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];
	int n;

	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const void *)ss;

		inet_ntop(AF_INET, &s4->sin_addr, ip, sizeof(ip));
		n = snprintf(buf, len, "%s:%u", ip, ntohs(s4->sin_port));
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const void *)ss;

		inet_ntop(AF_INET6, &s6->sin6_addr, ip, sizeof(ip));
		n = snprintf(buf, len, "[%s]:%u", ip, ntohs(s6->sin6_port));
	} else {
		return NULL;
	}
	return n < 0 || (size_t)n >= len ? NULL : buf;
}
