// SPDX-License-Identifier: GPL-2.0
/*
 * conf_lex.c - keepalived's lexical rules: words split on blanks, '{' and
 * '}' are tokens wherever they stand outside quotes, '#' and '!' start a
 * comment anywhere outside quotes ("\#" and "\!" are the characters),
 * "..." and '...' keep blanks and take escapes (\n \t \r \\ \" \' \xHH
 * \ooo), "include GLOB..." is replaced by the files it names (relative to
 * the including file; a missing file is only a warning, as in keepalived),
 * "@id" / "@^id" lines are kept only for the matching / any other config id
 * (by default the host name up to its first dot, as keepalived).
 *
 * Parameters, with keepalived's semantics (keepalived.conf(5), ADVANCED
 * CONFIGURATION): "$NAME=value" defines, a value ending in '\' goes on over
 * the next lines (a multiline definition); "$NAME" (followed by a blank,
 * ',', ')' or the end of the line) and "${NAME}" are replaced when a line is
 * read, not when it is defined, and replacements are scanned again, so
 * values may refer to parameters defined later; undefined names stay as
 * written.  Predefined: ${_PWD} (directory of the file being read),
 * ${_INSTANCE} (the config id), ${_RANDOM [MIN [MAX]]}, ${_HASH} ('#') and
 * ${_BANG} ('!').  "~SEQ(var, [start,] [step,] end) rest", "~SEQx(...)"
 * and "~LST(var, v1, v2...)" / "~LST({a,b}, {1,2}, {3,4}) rest" repeat the
 * rest of the line with the variable(s) set to each value.
 *
 * Every way the text can grow is bounded: include depth, include cycles,
 * number of files, length of an expanded line, number of substitutions in
 * a line, nesting of expansions, ~SEQ/~LST steps and the total size of what
 * was read; crossing a bound is an error naming file:line, never unbounded
 * memory.
 *
 * The result is one flat token list with file:line on every token, and an
 * end-of-line token after each non-empty line, which is all the parser needs.
 */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "conf_int.h"
#include "xalloc.h"

#define INCLUDE_DEPTH_MAX	32
#define FILES_MAX		4096		/* files opened, includes counted */
#define LINE_BYTES_MAX		(1u << 20)	/* one line after expansion */
#define LEX_BYTES_MAX		(32u << 20)	/* every line read or expanded */
#define TOKENS_MAX		(1u << 20)
#define SUBST_MAX		10000		/* substitutions in one line */
#define LINE_WORK_MAX		(16u << 20)	/* bytes scanned or moved to
						 * expand one line */
#define EXPAND_WORK_MAX		(64u << 20)	/* ... and all lines */
#define NAME_LEN_MAX		255		/* longer: not a reference */
#define EXPAND_DEPTH_MAX	32		/* values in values, ~SEQ in ~SEQ */
#define STEPS_MAX		(1u << 20)	/* ~SEQ / ~LST repetitions */
#define LST_VARS_MAX		16

struct lex_var {
	char	*name;
	char	*value;		/* lines joined by '\n' when multiline */
	bool	multiline;
};

struct lex_state {
	struct lex_var	*vars;
	size_t		n_vars;
	size_t		ml;		/* multiline definition being read:
					 * its index in vars + 1, 0 for none
					 * (vars moves when it grows) */
	struct {
		dev_t	dev;
		ino_t	ino;
	} stack[INCLUDE_DEPTH_MAX];	/* files being read, for cycles */
	char		*pwd;		/* directory of the file being read */
	char		config_id[HOST_NAME_MAX + 1];
	size_t		bytes, steps, opened;
	size_t		work;		/* of expansions, EXPAND_WORK_MAX */
	unsigned long	rnd;
	bool		stopped;	/* a total bound was crossed */
};

struct strbuf {
	char	*s;
	size_t	n, cap;
};

static void sb_need(struct strbuf *b, size_t more)
{
	if (b->n + more + 1 > b->cap) {
		while (b->n + more + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 64;
		b->s = rt_xrealloc(b->s, b->cap);
	}
}

static void sb_puts(struct strbuf *b, const char *s, size_t n)
{
	sb_need(b, n);
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void sb_putc(struct strbuf *b, char c)
{
	sb_puts(b, &c, 1);
}

static void lex_stop(struct conf_lexer *l, const char *file, int line,
		     const char *what)
{
	if (!l->st->stopped)
		conf_log_add(l->log, CONF_FATAL, file, line,
			     "%s: the rest of the configuration is not read",
			     what);
	l->st->stopped = true;
}

static void tok_push(struct conf_lexer *l, enum tok_type t, char *text,
		     const char *file, int line)
{
	struct tok_vec *tv = &l->toks;

	if (tv->n >= TOKENS_MAX) {
		free(text);
		lex_stop(l, file, line, "more than 1048576 words");
		return;
	}
	if (tv->n == tv->cap) {
		tv->cap = tv->cap ? tv->cap * 2 : 256;
		tv->v = rt_xrealloc(tv->v, tv->cap * sizeof(*tv->v));
	}
	tv->v[tv->n++] = (struct tok){ t, text, file, line };
}

/* ---- parameters ---- */

static bool name_start(char c)
{
	return isalpha((unsigned char)c) || c == '_';
}

static bool name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

static struct lex_var *var_find(const struct lex_state *st, const char *name,
				size_t len)
{
	for (size_t i = 0; i < st->n_vars; i++)
		if (strlen(st->vars[i].name) == len &&
		    !strncmp(st->vars[i].name, name, len))
			return &st->vars[i];
	return NULL;
}

static struct lex_var *var_set(struct lex_state *st, const char *name,
			       size_t len, const char *val, size_t vlen)
{
	struct lex_var *v = var_find(st, name, len);

	if (!v) {
		st->vars = rt_xrealloc(st->vars,
				       (st->n_vars + 1) * sizeof(*st->vars));
		v = &st->vars[st->n_vars++];
		v->name = strndup(name, len);
		v->value = NULL;
	}
	free(v->value);
	v->value = strndup(val, vlen);
	v->multiline = false;
	if (!v->name || !v->value)
		abort();
	return v;
}

/* ${_RANDOM [MIN [MAX]]}: keepalived's defaults 0 and 32767. */
static void random_value(struct lex_state *st, const char *params,
			 size_t plen, char *out, size_t outlen)
{
	unsigned long lo = 0, hi = 32767, t;
	char buf[64];
	char *e;

	if (plen && plen < sizeof(buf)) {
		memcpy(buf, params, plen);
		buf[plen] = '\0';
		lo = strtoul(buf, &e, 10);
		if (*e)
			hi = strtoul(e, NULL, 10);
	}
	if (lo > hi)
		t = lo, lo = hi, hi = t;
	/* xorshift: no libc state shared with the rest of lvsd */
	st->rnd ^= st->rnd << 13;
	st->rnd ^= st->rnd >> 7;
	st->rnd ^= st->rnd << 17;
	snprintf(out, outlen, "%lu",
		 hi - lo == ULONG_MAX ? st->rnd : lo + st->rnd % (hi - lo + 1));
}

/*
 * Is there a reference at S (which points at '$')?  Returns its length
 * and the value (in TMP for computed ones), or 0.  AT_END: the reference
 * ends the line, the only place a multiline value may go (keepalived).
 */
static size_t find_ref(struct lex_state *st, const char *s, const char **val,
		       bool *multiline, char *tmp, size_t tmplen)
{
	bool braces = s[1] == '{';
	const char *name = s + 1 + braces, *p = name, *params = NULL;
	size_t len, plen = 0, reflen;
	struct lex_var *v;

	if (!name_start(*p))
		return 0;
	while (name_char(*p) && p - name <= NAME_LEN_MAX)
		p++;
	len = p - name;
	if (len > NAME_LEN_MAX)
		return 0;
	if (braces) {
		if (*p == ' ') {	/* only ${_RANDOM 1 5} takes these */
			params = p + strspn(p, " ");
			plen = strspn(params, "0123456789 ");
			while (plen && params[plen - 1] == ' ')
				plen--;
			p = params + plen;
		}
		if (*p != '}')
			return 0;
		reflen = p + 1 - s;
	} else {
		if (*p && *p != ' ' && *p != '\t' && *p != ',' && *p != ')' &&
		    *p != '\n')
			return 0;
		reflen = p - s;
	}
	*multiline = false;
	v = var_find(st, name, len);
	if (v) {
		if (params)
			return 0;
		if (v->multiline && s[reflen] && s[reflen] != '\n')
			return 0;
		*val = v->value;
		*multiline = v->multiline;
		return reflen;
	}
	if (params && !(len == 7 && !strncmp(name, "_RANDOM", 7)))
		return 0;
	if (len == 4 && !strncmp(name, "_PWD", 4))
		*val = st->pwd ? st->pwd : ".";
	else if (len == 9 && !strncmp(name, "_INSTANCE", 9))
		*val = st->config_id;
	else if (len == 5 && !strncmp(name, "_HASH", 5))
		*val = "#";
	else if (len == 5 && !strncmp(name, "_BANG", 5))
		*val = "!";
	else if (len == 7 && !strncmp(name, "_RANDOM", 7)) {
		random_value(st, params, plen, tmp, tmplen);
		*val = tmp;
	} else {
		return 0;
	}
	return reflen;
}

/*
 * Replace the references in *LINE, rescanning what was put in (so values
 * may hold references).  Stops after a multiline value, whose later lines
 * are the caller's to read one by one.  COST counts the substitutions made
 * in this line over every pass, and each pass's scan and moves are
 * charged to the line's and the configuration's work budgets: values
 * that double at each level are cut short instead of taking time
 * quadratic in their final length.  1: something changed, 0: nothing,
 * -1: a bound was crossed (logged).
 */
struct line_cost {
	unsigned int	substs;
	size_t		work;
};

static int expand(struct conf_lexer *l, char **line, const char *file,
		  int lineno, struct line_cost *cost)
{
	const char *what = NULL;
	struct strbuf b = { 0 };
	unsigned int made = 0;
	size_t pos = 0;
	char *p;

	sb_puts(&b, *line, strlen(*line));
	cost->work += b.n;
	l->st->work += b.n;
	while ((p = strchr(b.s + pos, '$'))) {
		const char *val = NULL;
		char tmp[32];
		bool ml;
		size_t ref, vlen;

		pos = p - b.s;
		ref = find_ref(l->st, p, &val, &ml, tmp, sizeof(tmp));
		if (!ref) {
			pos++;
			continue;
		}
		vlen = strlen(val);
		made++;
		cost->work += vlen + (b.n - pos);
		l->st->work += vlen + (b.n - pos);
		if (++cost->substs > SUBST_MAX)
			what = "makes more than 10000 substitutions (a "
			       "parameter refers to itself?)";
		else if (b.n - ref + vlen > LINE_BYTES_MAX)
			what = "longer than 1 MiB";
		else if (cost->work > LINE_WORK_MAX)
			what = "scans more than 16 MiB (values that double "
			       "at each level?)";
		if (what) {
			conf_log_add(l->log, CONF_ERR, file, lineno,
				     "parameter expansion %s, line skipped",
				     what);
			free(b.s);
			return -1;
		}
		if (l->st->work > EXPAND_WORK_MAX) {
			free(b.s);
			lex_stop(l, file, lineno, "parameter expansions scan "
				 "more than 64 MiB in all");
			return -1;
		}
		sb_need(&b, vlen);
		p = b.s + pos;
		memmove(p + vlen, p + ref, b.n - pos - ref + 1);
		memcpy(p, val, vlen);
		b.n = b.n - ref + vlen;
		if (ml || val[strspn(val, " \t")] == '~')
			break;
	}
	if (!made) {
		free(b.s);
		return 0;
	}
	free(*line);
	*line = b.s;
	return 1;
}

static void var_append(struct lex_var *v, const char *s, size_t n,
		       bool more)
{
	size_t have = strlen(v->value);

	v->value = rt_xrealloc(v->value, have + n + 2);
	memcpy(v->value + have, s, n);
	if (more)
		v->value[have + n++] = '\n';
	v->value[have + n] = '\0';
}

/* "$NAME=value" or "$NAME =value"; false when S is something else. */
static bool definition(struct conf_lexer *l, const char *s)
{
	const char *name = s + 1, *p = name, *v;
	struct lex_var *var;
	size_t vlen;
	bool more;

	if (*s != '$' || !name_start(*p))
		return false;
	while (name_char(*p))
		p++;
	if (p[strspn(p, " \t")] != '=')
		return false;
	v = p + strspn(p, " \t") + 1;
	v += strspn(v, " \t");
	vlen = strlen(v);
	more = vlen && v[vlen - 1] == '\\';
	if (more) {
		vlen--;
		while (vlen && isblank((unsigned char)v[vlen - 1]))
			vlen--;
	}
	var = var_set(l->st, name, p - name, "", 0);
	if (more) {
		var->multiline = true;
		l->st->ml = var - l->st->vars + 1;
	}
	var_append(var, v, vlen, more && vlen);
	return true;
}

/* A line of a multiline definition; the last one has no '\'. */
static void definition_line(struct conf_lexer *l, const char *s)
{
	struct lex_var *var = &l->st->vars[l->st->ml - 1];
	size_t len = strlen(s);
	bool more = len && s[len - 1] == '\\';

	if (more) {
		len--;
		while (len && isblank((unsigned char)s[len - 1]))
			len--;
	} else {
		l->st->ml = 0;
	}
	if (len)
		var_append(var, s, len, more);
	if (!more) {	/* no trailing newline on the last line */
		len = strlen(var->value);
		while (len && var->value[len - 1] == '\n')
			var->value[--len] = '\0';
	}
}

/* ---- words ---- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* One escape after a backslash inside quotes; returns chars consumed. */
static size_t unescape(const char *s, struct strbuf *b)
{
	int v, d;
	size_t i;

	switch (*s) {
	case 'n': sb_putc(b, '\n'); return 1;
	case 't': sb_putc(b, '\t'); return 1;
	case 'r': sb_putc(b, '\r'); return 1;
	case 'x':
		for (i = 1, v = 0; i < 3 && (d = hexval(s[i])) >= 0; i++)
			v = v * 16 + d;
		if (i == 1) {
			sb_putc(b, 'x');
			return 1;
		}
		sb_putc(b, (char)v);
		return i;
	case '\0':
		sb_putc(b, '\\');
		return 0;
	default:
		if (*s >= '0' && *s <= '7') {
			for (i = 0, v = 0; i < 3 && s[i] >= '0' && s[i] <= '7';
			     i++)
				v = v * 8 + (s[i] - '0');
			sb_putc(b, (char)v);
			return i;
		}
		sb_putc(b, *s);
		return 1;
	}
}

struct line_words {
	char	**w;
	bool	*quoted;
	size_t	n;
};

static void words_add(struct line_words *lw, char *w, bool quoted)
{
	lw->w = rt_xrealloc(lw->w, (lw->n + 1) * sizeof(*lw->w));
	lw->quoted = rt_xrealloc(lw->quoted, (lw->n + 1) * sizeof(*lw->quoted));
	lw->w[lw->n] = w;
	lw->quoted[lw->n++] = quoted;
}

/*
 * Words of one line (comments are already gone); braces are returned as
 * the words "{" and "}" unquoted.  An empty quoted string is a word.
 */
static void split_line(struct conf_lexer *l, const char *s, const char *file,
		       int line, struct line_words *lw)
{
	struct strbuf b = { 0 };
	bool inword = false, quoted = false;
	char q;

	for (;;) {
		char c = *s;

		if (c == '\0' || isspace((unsigned char)c) || c == '{' ||
		    c == '}') {
			if (inword) {
				words_add(lw, b.s ? b.s : strdup(""), quoted);
				b = (struct strbuf){ 0 };
				inword = quoted = false;
			}
			if (c == '\0')
				return;
			if (c == '{' || c == '}')
				words_add(lw, strdup(c == '{' ? "{" : "}"),
					  false);
			s++;
			continue;
		}
		inword = true;
		if (c != '"' && c != '\'') {
			sb_putc(&b, c);
			s++;
			continue;
		}
		quoted = true;
		q = c;
		s++;
		sb_puts(&b, "", 0);
		while (*s && *s != q) {
			if (*s == '\\') {
				s++;
				s += unescape(s, &b);
			} else {
				sb_putc(&b, *s++);
			}
		}
		if (!*s) {
			conf_log_add(l->log, CONF_ERR, file, line,
				     "unterminated quoted string");
			words_add(lw, b.s, true);
			return;
		}
		s++;
	}
}

/*
 * Comments off, "\#" and "\!" outside quotes made plain, blanks trimmed at
 * both ends, in place.
 */
static void decomment(char *s)
{
	char *d = s, *r = s + strspn(s, " \t"), q = 0;

	for (; *r; r++) {
		if (*r == '\\' && r[1]) {
			if (!q && (r[1] == '#' || r[1] == '!'))
				r++;
			else
				*d++ = *r++;
		} else if (q && *r == q) {
			q = 0;
		} else if (!q && (*r == '"' || *r == '\'')) {
			q = *r;
		} else if (!q && (*r == '#' || *r == '!')) {
			break;
		}
		*d++ = *r;
	}
	while (d > s && isblank((unsigned char)d[-1]))
		d--;
	*d = '\0';
}

/* ---- includes ---- */

static void do_include(struct conf_lexer *l, const char *args,
		       const char *file, int line)
{
	char *dup = strdup(file), *dir = dirname(dup);
	char **pats = conf_split_argv(args);

	if (!pats)
		conf_log_add(l->log, CONF_WARN, file, line,
			     "include without a file name");
	for (size_t i = 0; pats && pats[i] && !l->st->stopped; i++) {
		char *pat;
		glob_t g;
		int rc;

		if (pats[i][0] == '/' ||
		    asprintf(&pat, "%s/%s", dir, pats[i]) < 0)
			pat = strdup(pats[i]);
		rc = glob(pat, GLOB_BRACE | GLOB_TILDE, NULL, &g);
		if (rc == GLOB_NOMATCH)
			conf_log_add(l->log, CONF_WARN, file, line,
				     "include '%s' matches no file", pat);
		else if (rc)
			conf_log_add(l->log, CONF_WARN, file, line,
				     "include '%s': glob failed", pat);
		for (size_t j = 0; !rc && j < g.gl_pathc; j++)
			conf_lex_file(l, g.gl_pathv[j], file, line);
		if (!rc)
			globfree(&g);
		free(pat);
	}
	conf_argv_free(pats);
	free(dup);
}

/* ---- lines ---- */

/* "@id rest" / "@^id rest": the rest of the line, or NULL to drop it. */
static const char *conditional(const struct conf_lexer *l, const char *s)
{
	const char *id = l->st->config_id;
	bool neg = false, match;
	size_t len;

	s++;
	if (*s == '^') {
		neg = true;
		s++;
	}
	for (len = 0; s[len] && !isspace((unsigned char)s[len]); len++)
		;
	match = *id && strlen(id) == len && !strncmp(id, s, len);
	if (match == neg || !s[len])
		return NULL;
	return s + len;
}

static void lex_line(struct conf_lexer *l, const char *text, const char *file,
		     int line, int depth);

/* A line goes on the multiline definition being read, if one is. */
static void next_line(struct conf_lexer *l, const char *text,
		      const char *file, int line, int depth)
{
	if (l->st->ml)
		definition_line(l, text);
	else
		lex_line(l, text, file, line, depth);
}

/* Lines with '\n' in them (a multiline value) are read one by one. */
static void lex_lines(struct conf_lexer *l, const char *text,
		      const char *file, int line, int depth)
{
	const char *nl;

	while ((nl = strchr(text, '\n')) && !l->st->stopped) {
		char *one = strndup(text, nl - text);

		if (!one)
			abort();
		/* a definition may begin in the value */
		next_line(l, one, file, line, depth);
		free(one);
		text = nl + 1;
	}
	if (!l->st->stopped && (l->st->ml || *text))
		next_line(l, text, file, line, depth);
}

/* Split "a, b, {c, d}, e)" at top-level commas up to the ')'. */
static int list_items(char *s, char **items, int max, char **rest)
{
	int n = 0, brace = 0;
	char *start = s;

	for (;; s++) {
		if (!*s)
			return -1;
		if (*s == '{')
			brace++;
		else if (*s == '}')
			brace--;
		else if (!brace && (*s == ',' || *s == ')')) {
			bool end = *s == ')';

			if (n == max)
				return -1;
			*s = '\0';
			items[n++] = start;
			start = s + 1;
			if (end) {
				*rest = s + 1;
				return n;
			}
		}
	}
}

static char *trim(char *s)
{
	char *e;

	s += strspn(s, " \t");
	e = s + strlen(s);
	while (e > s && isblank((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}

/* "{a, b}" into a, b; "a" into a. */
static int brace_list(char *s, char **out, int max)
{
	int n = 0;
	char *tok, *save;

	s = trim(s);
	if (*s != '{') {
		out[0] = s;
		return *s ? 1 : 0;
	}
	s++;
	if (!*s || s[strlen(s) - 1] != '}')
		return -1;
	s[strlen(s) - 1] = '\0';
	for (tok = strtok_r(s, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		if (n == max)
			return -1;
		out[n++] = trim(tok);
	}
	return n;
}

static bool step_ok(struct conf_lexer *l, const char *file, int line)
{
	if (++l->st->steps <= STEPS_MAX)
		return true;
	lex_stop(l, file, line, "more than 1048576 ~SEQ/~LST repetitions");
	return false;
}

/* "~SEQ(...) rest", "~SEQx(...) rest", "~LST(...) rest". */
static void repeat(struct conf_lexer *l, char *s, const char *file, int line,
		   int depth)
{
	bool hex = false, lst = !strncmp(s, "~LST", 4);
	char *items[LST_VARS_MAX + 1024], *rest, *vars[LST_VARS_MAX];
	int n, nv;

	s += 4;
	if (!lst && *s == 'x') {
		hex = true;
		s++;
	}
	s += strspn(s, " \t");
	if (*s != '(' ||
	    (n = list_items(s + 1, items, (int)(sizeof(items) /
						sizeof(items[0])),
			    &rest)) < 2) {
		conf_log_add(l->log, CONF_ERR, file, line,
			     "invalid %s specification", lst ? "~LST" : "~SEQ");
		return;
	}
	rest += strspn(rest, " \t");
	nv = brace_list(items[0], vars, LST_VARS_MAX);
	for (int i = 0; i < nv; i++)
		if (!name_start(*vars[i]) ||
		    strspn(vars[i], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
			   "OPQRSTUVWXYZ0123456789_") != strlen(vars[i]))
			nv = -1;
	if (nv < 1 || (!lst && (nv != 1 || n > 4))) {
		conf_log_add(l->log, CONF_ERR, file, line,
			     "invalid %s variable", lst ? "~LST" : "~SEQ");
		return;
	}
	if (lst) {
		for (int i = 1; i < n && !l->st->stopped; i++) {
			char *vals[LST_VARS_MAX], *copy = strdup(items[i]);
			int k = brace_list(copy, vals, LST_VARS_MAX);

			if (k != nv) {
				conf_log_add(l->log, CONF_ERR, file, line,
					     "~LST value '%s' does not match "
					     "its %d variable(s)", trim(items[i]),
					     nv);
				free(copy);
				return;
			}
			for (int j = 0; j < nv; j++)
				var_set(l->st, vars[j], strlen(vars[j]),
					vals[j], strlen(vals[j]));
			free(copy);
			if (!step_ok(l, file, line))
				return;
			lex_line(l, rest, file, line, depth + 1);
		}
		return;
	}
	{
		long a[3], start, step, end;
		char *e;

		for (int i = 1; i < n; i++) {
			errno = 0;
			a[i - 1] = strtol(trim(items[i]), &e, 0);
			if (*e || errno || !*trim(items[i])) {
				conf_log_add(l->log, CONF_ERR, file, line,
					     "invalid ~SEQ number '%s'",
					     trim(items[i]));
				return;
			}
		}
		if (n == 2) {		/* (var, end) */
			end = a[0];
			step = end < 1 ? -1 : 1;
			start = end < 0 ? -1 : 1;
		} else if (n == 3) {	/* (var, start, end) */
			start = a[0];
			end = a[1];
			step = start <= end ? 1 : -1;
		} else {		/* (var, start, step, end) */
			start = a[0];
			step = a[1];
			end = a[2];
		}
		if (!step || (start < end && step < 0) ||
		    (start > end && step > 0) ||
		    (hex && (start < 0 || end < 0))) {
			conf_log_add(l->log, CONF_ERR, file, line,
				     "invalid ~SEQ values");
			return;
		}
		for (long v = start; step > 0 ? v <= end : v >= end;) {
			char num[24];

			snprintf(num, sizeof(num), hex ? "%lx" : "%ld", v);
			var_set(l->st, vars[0], strlen(vars[0]), num,
				strlen(num));
			if (!step_ok(l, file, line))
				return;
			lex_line(l, rest, file, line, depth + 1);
			if (l->st->stopped ||
			    __builtin_add_overflow(v, step, &v))
				break;
		}
	}
}

static void words(struct conf_lexer *l, const char *s, const char *file,
		  int line)
{
	struct line_words lw = { 0 };

	split_line(l, s, file, line, &lw);
	for (size_t i = 0; i < lw.n; i++) {
		enum tok_type t = TOK_WORD;

		if (!lw.quoted[i] && !strcmp(lw.w[i], "{"))
			t = TOK_LBRACE;
		else if (!lw.quoted[i] && !strcmp(lw.w[i], "}"))
			t = TOK_RBRACE;
		if (t != TOK_WORD) {
			free(lw.w[i]);
			lw.w[i] = NULL;
		}
		tok_push(l, t, lw.w[i], file, line);
	}
	if (lw.n)
		tok_push(l, TOK_EOL, NULL, file, line);
	free(lw.w);
	free(lw.quoted);
}

/* One line, comments already off: conditionals, parameters, ~SEQ. */
static void lex_line(struct conf_lexer *l, const char *text, const char *file,
		     int line, int depth)
{
	char *buf = strdup(text), *s;
	struct line_cost cost = { 0 };
	int rc;

	if (!buf)
		abort();
	if (depth > EXPAND_DEPTH_MAX) {
		/* a value that expands itself: it would never end */
		lex_stop(l, file, line, "parameters or ~SEQ/~LST nested deeper "
			 "than 32");
		goto out;
	}
	l->st->bytes += strlen(buf) + 1;
	if (l->st->bytes > LEX_BYTES_MAX) {
		lex_stop(l, file, line, "more than 32 MiB of configuration "
			 "after includes and parameters");
		goto out;
	}
	for (;;) {
		s = buf + strspn(buf, " \t");
		if (*s == '@' && !(s = (char *)conditional(l, s)))
			goto out;
		s += strspn(s, " \t");
		if (definition(l, s))
			goto out;
		if (!strncmp(s, "~SEQ", 4) || !strncmp(s, "~LST", 4)) {
			repeat(l, s, file, line, depth);
			goto out;
		}
		if (*s == '~') {
			conf_log_add(l->log, CONF_ERR, file, line,
				     "unknown '~' directive '%.*s'",
				     (int)strcspn(s, " \t("), s);
			goto out;
		}
		if (!strchr(s, '$'))
			break;
		memmove(buf, s, strlen(s) + 1);
		rc = expand(l, &buf, file, line, &cost);
		if (rc < 0)
			goto out;
		if (!rc)
			break;
		if (strchr(buf, '\n')) {
			lex_lines(l, buf, file, line, depth + 1);
			goto out;
		}
	}
	if (!strncmp(s, "include", 7) &&
	    (!s[7] || isspace((unsigned char)s[7]))) {
		if (l->opts && l->opts->no_includes)
			conf_log_add(l->log, CONF_NOTE, file, line,
				     "include not followed (includes are off)");
		else
			do_include(l, s + 7, file, line);
	} else {
		words(l, s, file, line);
	}
out:
	free(buf);
}

/* ---- files ---- */

static struct lex_state *state_get(struct conf_lexer *l)
{
	struct lex_state *st = l->st;
	struct utsname u;

	if (st)
		return st;
	st = l->st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	if (l->opts && l->opts->config_id) {
		snprintf(st->config_id, sizeof(st->config_id), "%s",
			 l->opts->config_id);
	} else if (!uname(&u)) {
		/* keepalived: the node name up to its first dot */
		snprintf(st->config_id, sizeof(st->config_id), "%.*s",
			 (int)strcspn(u.nodename, "."), u.nodename);
	}
	st->rnd = (unsigned long)time(NULL) ^ ((unsigned long)getpid() << 16);
	if (!st->rnd)
		st->rnd = 1;
	return st;
}

/*
 * The next line into LINE (LINE_BYTES_MAX + 2 bytes), its length, or -1 at
 * the end; a longer line is consumed and reported as LINE_BYTES_MAX + 1.
 */
static ssize_t read_line(FILE *f, char *line)
{
	size_t len;
	int c;

	if (!fgets(line, LINE_BYTES_MAX + 2, f))
		return -1;
	len = strlen(line);
	if (len <= LINE_BYTES_MAX || line[len - 1] == '\n')
		return (ssize_t)len;
	while ((c = getc(f)) != EOF && c != '\n')
		;
	return LINE_BYTES_MAX + 1;
}

static void lex_stream(struct conf_lexer *l, FILE *f, const char *name)
{
	char *line = malloc(LINE_BYTES_MAX + 2);
	ssize_t len;
	int lineno = 0;

	if (!line)
		abort();
	while (!l->st->stopped && (len = read_line(f, line)) >= 0) {
		lineno++;
		conf_progress_at(name, lineno);
		l->st->bytes += (size_t)len;
		if (l->st->bytes > LEX_BYTES_MAX) {
			lex_stop(l, name, lineno, "more than 32 MiB of "
				 "configuration after includes and parameters");
			break;
		}
		if ((size_t)len > LINE_BYTES_MAX) {
			conf_log_add(l->log, CONF_ERR, name, lineno,
				     "line longer than 1 MiB, skipped");
			continue;
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		decomment(line);
		if (l->st->ml || *line)
			next_line(l, line, name, lineno, 0);
	}
	l->st->ml = 0;	/* a definition does not go on in another file */
	free(line);
}

static const char *file_add(struct conf_lexer *l, const char *path)
{
	char *name = strdup(path);

	l->files = rt_xrealloc(l->files, (l->n_files + 1) * sizeof(*l->files));
	if (!name)
		abort();
	l->files[l->n_files++] = name;
	return name;
}

/* Directory of PATH, absolute when it can be: ${_PWD}. */
static char *dir_of(const char *path)
{
	char *dup = strdup(path), *d, *abs;

	if (!dup)
		abort();
	d = dirname(dup);
	abs = realpath(d, NULL);
	if (!abs)
		abs = strdup(d);
	free(dup);
	return abs;
}

int conf_lex_file(struct conf_lexer *l, const char *path, const char *from,
		  int from_line)
{
	struct lex_state *st = state_get(l);
	const char *name;
	char *saved_pwd;
	struct stat sb;
	FILE *f;
	int depth = l->depth;

	if (st->stopped)
		return 0;
	if (depth >= INCLUDE_DEPTH_MAX) {
		conf_log_add(l->log, CONF_ERR, from, from_line,
			     "includes nested deeper than %d, '%s' skipped",
			     INCLUDE_DEPTH_MAX, path);
		return 0;
	}
	if (++st->opened > FILES_MAX) {
		lex_stop(l, from, from_line, "more than 4096 files included");
		return 0;
	}
	f = fopen(path, "re");
	if (!f) {
		conf_log_add(l->log, from ? CONF_WARN : CONF_FATAL, from,
			     from_line, "cannot open '%s': %s", path,
			     strerror(errno));
		return from ? 0 : -1;
	}
	if (fstat(fileno(f), &sb) || S_ISDIR(sb.st_mode) ||
	    (from && !S_ISREG(sb.st_mode))) {
		conf_log_add(l->log, from ? CONF_ERR : CONF_FATAL, from,
			     from_line, "'%s' is not a regular file, not read",
			     path);
		fclose(f);
		return from ? 0 : -1;
	}
	for (int i = 0; i < depth; i++)
		if (st->stack[i].dev == sb.st_dev &&
		    st->stack[i].ino == sb.st_ino) {
			/*
			 * A warning, as keepalived skips it (its -t exits 0
			 * once the nesting runs out of descriptors).
			 */
			conf_log_add(l->log, CONF_WARN, from, from_line,
				     "include cycle: '%s' is already being "
				     "read, not included again", path);
			fclose(f);
			return 0;
		}
	st->stack[depth].dev = sb.st_dev;
	st->stack[depth].ino = sb.st_ino;
	name = file_add(l, path);
	saved_pwd = st->pwd;
	st->pwd = dir_of(path);
	l->depth++;
	lex_stream(l, f, name);
	l->depth--;
	free(st->pwd);
	st->pwd = saved_pwd;
	fclose(f);
	return 0;
}

int conf_lex_mem(struct conf_lexer *l, const char *name, const void *buf,
		 size_t len)
{
	struct lex_state *st = state_get(l);
	FILE *f;

	if (!len) {
		file_add(l, name);
		return 0;
	}
	f = fmemopen((void *)buf, len, "r");
	if (!f) {
		conf_log_add(l->log, CONF_FATAL, NULL, 0, "cannot read '%s': %s",
			     name, strerror(errno));
		return -1;
	}
	name = file_add(l, name);
	st->pwd = dir_of(name);
	l->depth++;
	lex_stream(l, f, name);
	l->depth--;
	free(st->pwd);
	st->pwd = NULL;
	fclose(f);
	return 0;
}

void conf_lex_free(struct conf_lexer *l)
{
	struct lex_state *st = l->st;

	for (size_t i = 0; i < l->toks.n; i++)
		free(l->toks.v[i].text);
	free(l->toks.v);
	l->toks = (struct tok_vec){ 0 };
	if (st) {
		for (size_t i = 0; i < st->n_vars; i++) {
			free(st->vars[i].name);
			free(st->vars[i].value);
		}
		free(st->vars);
		free(st->pwd);
		free(st);
		l->st = NULL;
	}
}
