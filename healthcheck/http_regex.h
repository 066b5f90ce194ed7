/* SPDX-License-Identifier: GPL-2.0 */
/*
 * http_regex.h - HTTP_GET/SSL_GET's url `regex` (PCRE2), as keepalived has
 * it: `regex PATTERN` must match the body (or, with `regex_no_match`, must
 * not), a match counting only when it starts within
 * [regex_min_offset, regex_max_offset] of the body; `regex_options` are
 * PCRE2 compile options by keepalived's names; `regex_stack START MAX`
 * gives the JIT matcher its own stack.  The body is searched whole, up to
 * HTTP_REGEX_BODY_MAX bytes (keepalived streams it; past that size lvsd
 * searches only the beginning).  Pure: no I/O, unit-tested alone.
 */
#ifndef _HC_HTTP_REGEX_H
#define _HC_HTTP_REGEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conf_kw.h"

#define HTTP_REGEX_BODY_MAX	(1 << 20)

struct http_regex {
	char		*pattern;
	uint32_t	options;	/* PCRE2_* compile options */
	long long	no_match;
	long long	min_off;	/* 0: from the start */
	long long	max_end;	/* regex_max_offset + 1; 0: the end */
	long long	stack_start, stack_max;	/* 0: PCRE2's own */
	void		*code;		/* pcre2_code, NULL without a regex */
	void		*md;		/* pcre2_match_data */
	void		*mctx;		/* pcre2_match_context with the stack */
	void		*jit_stack;
};

/* Rows of the url block; OFF points at the struct http_regex. */
int http_kw_regex(struct conf_parser *p, const struct conf_kw *kw, void *obj,
		  int argc, char **argv);
int http_kw_regex_no_match(struct conf_parser *p, const struct conf_kw *kw,
			   void *obj, int argc, char **argv);
int http_kw_regex_options(struct conf_parser *p, const struct conf_kw *kw,
			  void *obj, int argc, char **argv);
int http_kw_regex_offset(struct conf_parser *p, const struct conf_kw *kw,
			 void *obj, int argc, char **argv);
int http_kw_regex_stack(struct conf_parser *p, const struct conf_kw *kw,
			void *obj, int argc, char **argv);
/* At the url's '}': compile, and complain about settings without a regex. */
void http_regex_close(struct conf_parser *p, struct http_regex *r);
void http_regex_free(struct http_regex *r);

static inline bool http_regex_on(const struct http_regex *r)
{
	return r->code != NULL;
}

/*
 * Does the response BODY pass?  On failure WHY says why ("regex did not match",
 * "regex matched" under regex_no_match, or a PCRE2 error).
 */
bool http_regex_pass(const struct http_regex *r, const char *body,
		     size_t len, char *why, size_t why_len);

#endif /* _HC_HTTP_REGEX_H */
