/* SPDX-License-Identifier: GPL-2.0 */
/*
 * log.h - the daemon's log: one line on stderr per event, with a local
 * time stamp and the program's name ("2026-12-01 23:40:00.123 lvsd: ...").
 * systemd's journal and the tests read stderr.  Only daemons call this; a
 * library function reports to its caller instead (script.h's policy is the
 * exception: it logs the warnings keepalived logs, and says so).
 */
#ifndef _RT_LOG_H
#define _RT_LOG_H

#include <stdarg.h>

void rt_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void rt_vlog(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

#endif /* _RT_LOG_H */
