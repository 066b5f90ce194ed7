/* SPDX-License-Identifier: GPL-2.0 */
/*
 * http_chunk.h - HTTP/1.1 chunked transfer decoding for HTTP_GET/SSL_GET:
 * sizes in hex with optional extensions, CRLFs checked, trailers skipped
 * up to the empty line.  Incremental (any split of the input gives the
 * same result) and pure: unit-tested alone.
 */
#ifndef _HC_HTTP_CHUNK_H
#define _HC_HTTP_CHUNK_H

#include <stdbool.h>
#include <stddef.h>

struct http_chunk {
	int		state;
	long long	left;		/* bytes left in this chunk */
	int		crlf;		/* trailer: at a line's start */
};

typedef void (*http_chunk_data_fn)(void *arg, const char *p, size_t n);

void http_chunk_init(struct http_chunk *c);
/* Feed N raw bytes; DATA gets the decoded ones.  1 at the end (bytes
 * after it are ignored), 0 for more, -1 malformed (a chunk over 1 TiB
 * included). */
int http_chunk_feed(struct http_chunk *c, const char *b, size_t n,
		    http_chunk_data_fn data, void *arg);
bool http_chunk_done(const struct http_chunk *c);

#endif /* _HC_HTTP_CHUNK_H */
