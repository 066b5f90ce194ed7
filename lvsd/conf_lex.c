// SPDX-License-Identifier: GPL-2.0
/*
 * conf_lex.c - keepalived's lexical rules: words split on blanks, '{' and
 * '}' are tokens wherever they stand outside quotes, '#' and '!' start a
 * comment anywhere outside quotes, "..." and '...' keep blanks and take
 * escapes (\n \t \r \\ \" \' \xHH \ooo), "include GLOB..." is replaced by
 * the files it names (relative to the including file; a missing file is only
 * a warning, as in keepalived), "@id" / "@^id" lines are kept only for the
 * matching / any other config id, and "$NAME=value" lines define variables
 * that "$NAME" and "${NAME}" expand to on later lines.
 *
 * The result is one flat token list with file:line on every token, and an
 * end-of-line token after each non-empty line, which is all the parser needs.
 */
#include <ctype.h>
#include <errno.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

#define INCLUDE_DEPTH_MAX	32

static void tok_push(struct conf_lexer *l, enum tok_type t, char *text,
		     const char *file, int line)
{
	struct tok_vec *tv = &l->toks;

	if (tv->n == tv->cap) {
		tv->cap = tv->cap ? tv->cap * 2 : 256;
		tv->v = realloc(tv->v, tv->cap * sizeof(*tv->v));
		if (!tv->v)
			abort();
	}
	tv->v[tv->n++] = (struct tok){ t, text, file, line };
}

struct strbuf {
	char	*s;
	size_t	n, cap;
};

static void sb_putc(struct strbuf *b, char c)
{
	if (b->n + 1 >= b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
}

static void sb_puts(struct strbuf *b, const char *s, size_t n)
{
	while (n--)
		sb_putc(b, *s++);
}

static const char *var_get(const struct conf_lexer *l, const char *name,
			   size_t len)
{
	for (size_t i = 0; i < l->n_vars; i++)
		if (strlen(l->vars[2 * i]) == len &&
		    !strncmp(l->vars[2 * i], name, len))
			return l->vars[2 * i + 1];
	return NULL;
}

static void var_set(struct conf_lexer *l, const char *name, size_t len,
		    const char *val)
{
	for (size_t i = 0; i < l->n_vars; i++)
		if (strlen(l->vars[2 * i]) == len &&
		    !strncmp(l->vars[2 * i], name, len)) {
			free(l->vars[2 * i + 1]);
			l->vars[2 * i + 1] = strdup(val);
			return;
		}
	l->vars = realloc(l->vars, (l->n_vars + 1) * 2 * sizeof(char *));
	if (!l->vars)
		abort();
	l->vars[2 * l->n_vars] = strndup(name, len);
	l->vars[2 * l->n_vars + 1] = strdup(val);
	l->n_vars++;
}

/* Expand $NAME and ${NAME}; unknown names are left as written. */
static char *expand_vars(const struct conf_lexer *l, const char *s)
{
	struct strbuf b = { 0 };

	sb_puts(&b, "", 0);
	while (*s) {
		const char *name, *val;
		size_t len, skip;

		if (*s != '$') {
			sb_putc(&b, *s++);
			continue;
		}
		if (s[1] == '{') {
			const char *e = strchr(s + 2, '}');

			if (!e) {
				sb_putc(&b, *s++);
				continue;
			}
			name = s + 2;
			len = e - name;
			skip = len + 3;
		} else {
			name = s + 1;
			for (len = 0; isalnum((unsigned char)name[len]) ||
				      name[len] == '_'; len++)
				;
			skip = len + 1;
		}
		val = len ? var_get(l, name, len) : NULL;
		if (val) {
			sb_puts(&b, val, strlen(val));
			s += skip;
		} else {
			sb_putc(&b, *s++);
		}
	}
	return b.s ? b.s : strdup("");
}

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
	lw->w = realloc(lw->w, (lw->n + 1) * sizeof(*lw->w));
	lw->quoted = realloc(lw->quoted, (lw->n + 1) * sizeof(*lw->quoted));
	if (!lw->w || !lw->quoted)
		abort();
	lw->w[lw->n] = w;
	lw->quoted[lw->n++] = quoted;
}

/* Words of one line; braces are returned as the words "{" and "}" unquoted. */
static int split_line(struct conf_lexer *l, const char *s, const char *file,
		      int line, struct line_words *lw)
{
	struct strbuf b = { 0 };
	bool inword = false, quoted = false;
	char q;

	for (;;) {
		char c = *s;

		if (c == '\0' || c == '#' || c == '!' || isspace((unsigned char)c)
		    || c == '{' || c == '}') {
			if (inword) {
				words_add(lw, b.s ? b.s : strdup(""), quoted);
				b = (struct strbuf){ 0 };
				inword = quoted = false;
			}
			if (c == '\0' || c == '#' || c == '!')
				return 0;
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
			return -1;
		}
		s++;
	}
}

/* "include GLOB..." is read before brace splitting: globs use braces. */
static void do_include(struct conf_lexer *l, const char *args,
		       const char *file, int line)
{
	char *dup = strdup(file), *dir = dirname(dup), *copy = strdup(args);
	char **pats, q = 0;

	for (char *s = copy; *s; s++) {
		if (q && *s == q)
			q = 0;
		else if (!q && (*s == '"' || *s == '\''))
			q = *s;
		else if (!q && (*s == '#' || *s == '!')) {
			*s = '\0';
			break;
		}
	}
	pats = conf_split_argv(copy);
	if (!pats)
		conf_log_add(l->log, CONF_WARN, file, line,
			     "include without a file name");
	for (size_t i = 0; pats && pats[i]; i++) {
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
	free(copy);
	free(dup);
}

/* "@id rest" / "@^id rest": the rest of the line, or NULL to drop it. */
static const char *conditional(const struct conf_lexer *l, const char *s)
{
	const char *id = l->opts ? l->opts->config_id : NULL;
	bool neg = false, match;
	size_t len;

	s++;
	if (*s == '^') {
		neg = true;
		s++;
	}
	for (len = 0; s[len] && !isspace((unsigned char)s[len]); len++)
		;
	match = id && strlen(id) == len && !strncmp(id, s, len);
	if (match == neg)
		return NULL;
	return s + len;
}

static void lex_line(struct conf_lexer *l, const char *raw, const char *file,
		     int line)
{
	struct line_words lw = { 0 };
	const char *s;
	char *exp = NULL;

	if (l->n_vars && strchr(raw, '$'))
		raw = exp = expand_vars(l, raw);
	for (s = raw; isspace((unsigned char)*s); s++)
		;
	if (*s == '@' && !(s = conditional(l, s)))
		goto out;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == '$') {
		const char *eq = strchr(s, '=');
		size_t n = eq ? (size_t)(eq - s - 1) : 0;

		if (eq && n && strcspn(s + 1, " \t=") == n) {
			const char *v = eq + 1;
			char *val = strdup(v), *e = val + strlen(val);

			while (e > val && isspace((unsigned char)e[-1]))
				*--e = '\0';
			var_set(l, s + 1, n, val);
			free(val);
			goto out;
		}
	}
	if (*s == '~') {
		conf_log_add(l->log, CONF_WARN, file, line,
			     "'~' sequence lines are not supported, line skipped");
		goto out;
	}
	if (!strncmp(s, "include", 7) &&
	    (!s[7] || isspace((unsigned char)s[7]))) {
		do_include(l, s + 7, file, line);
		goto out;
	}
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
out:
	free(lw.w);
	free(lw.quoted);
	free(exp);
}

int conf_lex_file(struct conf_lexer *l, const char *path, const char *from,
		  int from_line)
{
	char *line = NULL, *name;
	size_t cap = 0;
	ssize_t len;
	int lineno = 0;
	FILE *f;

	if (l->depth >= INCLUDE_DEPTH_MAX) {
		conf_log_add(l->log, CONF_ERR, from, from_line,
			     "includes nested deeper than %d, '%s' skipped",
			     INCLUDE_DEPTH_MAX, path);
		return 0;
	}
	f = fopen(path, "re");
	if (!f) {
		conf_log_add(l->log, from ? CONF_WARN : CONF_FATAL, from,
			     from_line, "cannot open '%s': %s", path,
			     strerror(errno));
		return from ? 0 : -1;
	}
	name = strdup(path);
	l->files = realloc(l->files, (l->n_files + 1) * sizeof(*l->files));
	if (!name || !l->files)
		abort();
	l->files[l->n_files++] = name;
	l->depth++;
	while ((len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		lex_line(l, line, name, lineno);
	}
	l->depth--;
	free(line);
	fclose(f);
	return 0;
}

void conf_lex_free(struct conf_lexer *l)
{
	for (size_t i = 0; i < l->toks.n; i++)
		free(l->toks.v[i].text);
	free(l->toks.v);
	for (size_t i = 0; i < 2 * l->n_vars; i++)
		free(l->vars[i]);
	free(l->vars);
	l->toks = (struct tok_vec){ 0 };
	l->vars = NULL;
	l->n_vars = 0;
}
