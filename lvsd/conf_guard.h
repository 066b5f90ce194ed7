/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conf_guard.h - parse a configuration in a throw-away child process first,
 * so that no parser failure (a crash, an abort, runaway time) can take a
 * running daemon down at reload: the daemon parses the file itself only
 * when the child got through it.
 *
 * Owns nothing; calls fork/waitpid and conf_load(); tested by
 * tests/host/lvsd_reload_guard.sh (a parser crash forced with
 * LVSD_TEST_PARSER_CRASH in the child only).
 */
#ifndef _LVSD_CONF_GUARD_H
#define _LVSD_CONF_GUARD_H

#include <stddef.h>
#include <sys/types.h>

#include "vs_conf.h"

/*
 * 0: a child parsed PATH to the end (its messages are not kept: the caller
 * parses again and reports).  -1: it did not; ERR says how and where
 * ("file:line: parser killed by signal 11", "...: parser took more than
 * 10 s").
 */
int conf_guard_probe(const char *path, const struct conf_opts *opts,
		     unsigned int timeout_s, char *err, size_t errlen);

/*
 * The same in two halves, for a caller that must not block (the VRRP
 * process, vrrp_proc.c): conf_guard_fork() starts the child and returns its
 * pid (or -1 with ERR); once the caller has reaped it, conf_guard_result()
 * turns its wait status into 0 or -1 with ERR as above and frees WHERE.
 */
pid_t conf_guard_fork(const char *path, const struct conf_opts *opts,
		      unsigned int timeout_s, struct conf_progress **where,
		      char *err, size_t errlen);
int conf_guard_result(int status, struct conf_progress *where,
		      unsigned int timeout_s, char *err, size_t errlen);

#endif /* _LVSD_CONF_GUARD_H */
