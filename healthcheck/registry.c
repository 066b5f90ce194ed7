// SPDX-License-Identifier: GPL-2.0
/*
 * registry.c - checkers register themselves here before main() runs; the
 * parser and the daemon find them only by name.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker.h"

#define CHECKERS_MAX	32

static const struct checker_ops *checkers[CHECKERS_MAX];
static size_t n_checkers;

void checker_register(const struct checker_ops *ops)
{
	if (n_checkers == CHECKERS_MAX)
		abort();
	checkers[n_checkers++] = ops;
}

const struct checker_ops *checker_find(const char *name)
{
	for (size_t i = 0; i < n_checkers; i++)
		if (!strcmp(checkers[i]->name, name))
			return checkers[i];
	return NULL;
}

const struct checker_ops *checker_next(const struct checker_ops *prev)
{
	size_t i = 0;

	if (prev)
		while (i < n_checkers && checkers[i++] != prev)
			;
	return i < n_checkers ? checkers[i] : NULL;
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
