// SPDX-License-Identifier: GPL-2.0
/* log.c - time-stamped lines on stderr (see log.h). */
#include <errno.h>
#include <stdio.h>
#include <time.h>

#include "log.h"

void rt_vlog(const char *fmt, va_list ap)
{
	struct timespec ts;
	struct tm tm;
	char when[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
	fprintf(stderr, "%s.%03ld %s: ", when, ts.tv_nsec / 1000000,
		program_invocation_short_name);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void rt_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	rt_vlog(fmt, ap);
	va_end(ap);
}
