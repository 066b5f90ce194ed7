// SPDX-License-Identifier: GPL-2.0
/*
 * http_regex.c - the url block's regex keywords and the body match, with
 * PCRE2 (see http_regex.h for the contract).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http_regex.h"

#define R(obj, kw)	((struct http_regex *)((char *)(obj) + (kw)->off))

/* keepalived's names for PCRE2's compile options. */
static const struct { const char *name; uint32_t bit; } regex_opts[] = {
	{ "allow_empty_class", PCRE2_ALLOW_EMPTY_CLASS },
	{ "alt_bsux", PCRE2_ALT_BSUX },
	{ "auto_callout", PCRE2_AUTO_CALLOUT },
	{ "caseless", PCRE2_CASELESS },
	{ "dollar_endonly", PCRE2_DOLLAR_ENDONLY },
	{ "dotall", PCRE2_DOTALL },
	{ "dupnames", PCRE2_DUPNAMES },
	{ "extended", PCRE2_EXTENDED },
	{ "firstline", PCRE2_FIRSTLINE },
	{ "match_unset_backref", PCRE2_MATCH_UNSET_BACKREF },
	{ "multiline", PCRE2_MULTILINE },
	{ "never_ucp", PCRE2_NEVER_UCP },
	{ "never_utf", PCRE2_NEVER_UTF },
	{ "no_auto_capture", PCRE2_NO_AUTO_CAPTURE },
	{ "no_auto_possess", PCRE2_NO_AUTO_POSSESS },
	{ "no_dotstar_anchor", PCRE2_NO_DOTSTAR_ANCHOR },
	{ "no_start_optimize", PCRE2_NO_START_OPTIMIZE },
	{ "ucp", PCRE2_UCP },
	{ "ungreedy", PCRE2_UNGREEDY },
	{ "utf", PCRE2_UTF },
	{ "never_backslash_c", PCRE2_NEVER_BACKSLASH_C },
	{ "alt_circumflex", PCRE2_ALT_CIRCUMFLEX },
	{ "alt_verbnames", PCRE2_ALT_VERBNAMES },
	{ "use_offset_limit", PCRE2_USE_OFFSET_LIMIT },
	{ NULL, 0 }
};

int http_kw_regex(struct conf_parser *p, const struct conf_kw *kw, void *obj,
		  int argc, char **argv)
{
	struct http_regex *r = R(obj, kw);

	if (argc != 2 || !argv[1][0]) {
		conf_err(p, "regex missing or too many fields (quote a "
			 "pattern with blanks)");
		return -1;
	}
	if (r->pattern)
		conf_err(p, "duplicate regex: '%s' replaces '%s'", argv[1],
			 r->pattern);
	free(r->pattern);
	r->pattern = strdup(argv[1]);
	if (!r->pattern)
		abort();
	return 0;
}

int http_kw_regex_no_match(struct conf_parser *p, const struct conf_kw *kw,
			   void *obj, int argc, char **argv)
{
	R(obj, kw)->no_match = 1;
	return 0;
}

int http_kw_regex_options(struct conf_parser *p, const struct conf_kw *kw,
			  void *obj, int argc, char **argv)
{
	struct http_regex *r = R(obj, kw);

	for (int i = 1; i < argc; i++) {
		size_t j;

		for (j = 0; regex_opts[j].name; j++)
			if (!strcmp(argv[i], regex_opts[j].name))
				break;
		if (regex_opts[j].name)
			r->options |= regex_opts[j].bit;
		else	/* keepalived ignores it without a word */
			conf_warn(p, "unknown regex option '%s' ignored",
				  argv[i]);
	}
	return 0;
}

static bool whole_number(const char *s, long long max, long long *out)
{
	char *end;

	if (!s || *s < '0' || *s > '9')
		return false;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return !errno && !*end && *out <= max;
}

/* regex_min_offset N, regex_max_offset N (the last offset a match may
 * start at). */
int http_kw_regex_offset(struct conf_parser *p, const struct conf_kw *kw,
			 void *obj, int argc, char **argv)
{
	struct http_regex *r = R(obj, kw);
	long long v;

	if (argc != 2 || !whole_number(argv[1], HTTP_REGEX_BODY_MAX, &v)) {
		conf_err(p, "invalid %s '%s' (0-%d)", argv[0],
			 argc >= 2 ? argv[1] : "", HTTP_REGEX_BODY_MAX);
		return -1;
	}
	if (!strcmp(argv[0], "regex_min_offset"))
		r->min_off = v;
	else
		r->max_end = v + 1;
	return 0;
}

int http_kw_regex_stack(struct conf_parser *p, const struct conf_kw *kw,
			void *obj, int argc, char **argv)
{
	struct http_regex *r = R(obj, kw);
	long long a, b;

	if (argc != 3 || !whole_number(argv[1], 1LL << 30, &a) ||
	    !whole_number(argv[2], 1LL << 30, &b) || !a || a > b) {
		conf_err(p, "regex_stack needs START MAX in bytes, "
			 "0 < START <= MAX");
		return -1;
	}
	r->stack_start = a;
	r->stack_max = b;
	return 0;
}

void http_regex_close(struct conf_parser *p, struct http_regex *r)
{
	PCRE2_UCHAR msg[256];
	PCRE2_SIZE off;
	int err;

	if (!r->pattern) {
		if (r->options || r->no_match || r->min_off || r->max_end ||
		    r->stack_max)
			conf_warn(p, "regex settings without a regex ignored");
		r->options = 0;
		r->no_match = r->min_off = r->max_end = r->stack_max = 0;
		return;
	}
	if (r->max_end && r->min_off >= r->max_end) {
		conf_warn(p, "regex_min_offset %lld beyond regex_max_offset "
			  "%lld: both ignored", r->min_off, r->max_end - 1);
		r->min_off = r->max_end = 0;
	}
	r->code = pcre2_compile((PCRE2_SPTR)r->pattern, PCRE2_ZERO_TERMINATED,
				r->options, &err, &off, NULL);
	if (!r->code) {
		pcre2_get_error_message(err, msg, sizeof(msg));
		conf_err(p, "invalid regex '%s' at offset %zu: %s",
			 r->pattern, (size_t)off, (char *)msg);
		return;
	}
	/* JIT is an optimisation: without it (no JIT on this CPU) PCRE2
	 * interprets the same pattern. */
	pcre2_jit_compile(r->code, PCRE2_JIT_COMPLETE);
	r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
	if (!r->md)
		abort();
	if (r->stack_max) {
		r->mctx = pcre2_match_context_create(NULL);
		r->jit_stack = pcre2_jit_stack_create((PCRE2_SIZE)r->stack_start,
						      (PCRE2_SIZE)r->stack_max,
						      NULL);
		if (!r->mctx || !r->jit_stack)
			abort();
		pcre2_jit_stack_assign(r->mctx, NULL, r->jit_stack);
	}
}

void http_regex_free(struct http_regex *r)
{
	free(r->pattern);
	pcre2_match_data_free(r->md);
	pcre2_code_free(r->code);
	pcre2_match_context_free(r->mctx);
	pcre2_jit_stack_free(r->jit_stack);
	memset(r, 0, sizeof(*r));
}

bool http_regex_pass(const struct http_regex *r, const char *body,
		     size_t len, char *why, size_t why_len)
{
	PCRE2_UCHAR msg[128];
	PCRE2_SIZE *ov;
	bool matched = false;
	int rc;

	if ((size_t)r->min_off <= len) {
		rc = pcre2_match(r->code, (PCRE2_SPTR)body, len,
				 (PCRE2_SIZE)r->min_off, 0, r->md, r->mctx);
		if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
			pcre2_get_error_message(rc, msg, sizeof(msg));
			snprintf(why, why_len, "regex: %s", (char *)msg);
			return false;
		}
		if (rc >= 0) {
			ov = pcre2_get_ovector_pointer(r->md);
			/* The leftmost match; one past max_offset means no
			 * match in the window. */
			matched = !r->max_end || ov[0] < (PCRE2_SIZE)r->max_end;
		}
	}
	if (matched == !r->no_match)
		return true;
	snprintf(why, why_len, matched ? "regex matched (regex_no_match)" :
		 "regex did not match");
	return false;
}
