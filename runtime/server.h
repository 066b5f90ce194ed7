/* SPDX-License-Identifier: GPL-2.0 */
/*
 * server.h - one request, one answer, then close: the shape of both the
 * control socket (a command line) and the metrics endpoint (an HTTP GET).
 * Non-blocking on the loop; a request is cut at 8 KiB.
 */
#ifndef _RT_SERVER_H
#define _RT_SERVER_H

#include <stdio.h>

/* REQ is NUL-terminated; write the answer to OUT. */
typedef void (*srv_handler)(const char *req, FILE *out);

struct srv;

/* Serve the listening socket FD; a request ends with TERM. */
struct srv *srv_new(int fd, const char *term, srv_handler h);
void srv_free(struct srv *s);

#endif /* _RT_SERVER_H */
