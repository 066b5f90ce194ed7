/* SPDX-License-Identifier: GPL-2.0 */
/*
 * server.h - one request, one answer, then close: the shape of both the
 * control socket (a command line) and the metrics endpoint (an HTTP GET).
 * Non-blocking on the loop; a request is cut at 8 KiB.
 *
 * Resource bounds, so that clients cannot exhaust lvsd's descriptors or
 * spin its loop: at most MAX_CONNS connections at once per listener
 * (accepting pauses until one ends; the kernel's backlog holds the rest),
 * each given 10 s in all (not per byte) to send its request and read its
 * answer; when accept() fails for lack of local resources (EMFILE, ENFILE,
 * ENOBUFS, ENOMEM) accepting pauses for 100 ms instead of retrying at once.
 */
#ifndef _RT_SERVER_H
#define _RT_SERVER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* Who is asking: SO_PEERCRED on a UNIX socket, else unknown. */
struct srv_peer {
	bool	known;
	uid_t	uid;
	gid_t	gid;
	pid_t	pid;
};

/* REQ is NUL-terminated; write the answer to OUT. */
typedef void (*srv_handler)(const char *req, FILE *out,
			    const struct srv_peer *peer);

struct srv_stats {
	uint64_t	accepted;
	uint64_t	timeouts;	/* connections cut at 10 s */
	uint64_t	full;		/* times accepting paused: at MAX_CONNS */
	uint64_t	local_errors;	/* times it paused: EMFILE and the like */
	unsigned int	conns;		/* open now */
};

struct srv;

/* Serve the listening socket FD; a request ends with TERM. */
struct srv *srv_new(int fd, const char *term, unsigned int max_conns,
		    srv_handler h);
const struct srv_stats *srv_stats(const struct srv *s);
void srv_free(struct srv *s);

#endif /* _RT_SERVER_H */
