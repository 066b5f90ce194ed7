// SPDX-License-Identifier: GPL-2.0
/*
 * http_chunk.c - the chunked transfer decoder (see http_chunk.h).
 */
#include "http_chunk.h"

enum { CH_SIZE, CH_EXT, CH_SIZE_LF, CH_DATA, CH_DATA_CR, CH_DATA_LF,
       CH_TRAILER, CH_DONE };

void http_chunk_init(struct http_chunk *c)
{
	c->state = CH_SIZE;
	c->left = 0;
	c->crlf = 0;
}

bool http_chunk_done(const struct http_chunk *c)
{
	return c->state == CH_DONE;
}

static int hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'f')
		return (ch | 0x20) - 'a' + 10;
	return -1;
}

int http_chunk_feed(struct http_chunk *c, const char *b, size_t n,
		    http_chunk_data_fn data, void *arg)
{
	for (size_t i = 0; i < n && c->state != CH_DONE; i++) {
		char ch = b[i];

		switch (c->state) {
		case CH_SIZE:
			if (hexval(ch) >= 0)
				c->left = c->left * 16 + hexval(ch);
			else if (ch == ';' || ch == ' ')
				c->state = CH_EXT;
			else if (ch == '\r')
				c->state = CH_SIZE_LF;
			else
				return -1;
			if (c->left > (1LL << 40))
				return -1;
			break;
		case CH_EXT:
			if (ch == '\r')
				c->state = CH_SIZE_LF;
			break;
		case CH_SIZE_LF:
			if (ch != '\n')
				return -1;
			c->state = c->left ? CH_DATA : CH_TRAILER;
			c->crlf = 1;
			break;
		case CH_DATA: {
			size_t take = n - i;

			if ((long long)take > c->left)
				take = (size_t)c->left;
			data(arg, b + i, take);
			c->left -= (long long)take;
			i += take - 1;
			if (!c->left)
				c->state = CH_DATA_CR;
			break;
		}
		case CH_DATA_CR:
			if (ch != '\r')
				return -1;
			c->state = CH_DATA_LF;
			break;
		case CH_DATA_LF:
			if (ch != '\n')
				return -1;
			c->state = CH_SIZE;
			break;
		case CH_TRAILER:
			/* Trailer lines end with an empty line. */
			if (ch == '\n' && c->crlf)
				c->state = CH_DONE;
			else if (ch == '\n')
				c->crlf = 1;
			else if (ch != '\r')
				c->crlf = 0;
			break;
		}
	}
	return c->state == CH_DONE;
}
