// SPDX-License-Identifier: GPL-2.0
/*
 * conf_parse.c - the block walker and the generic field parsers.
 *
 * A statement is the words up to the end of a line or a brace.  Its first
 * word is looked up in the current block's table; a row with .block opens a
 * child block when a '{' follows (on the same line or a later one).  Like
 * keepalived, nothing here stops the parse: unknown keywords, bad values and
 * brace mistakes are logged with file:line and the walk goes on.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"

const char *conf_sev_name(enum conf_sev sev)
{
	static const char *const names[] = { "note", "warning",
					     "error (default applied)",
					     "error", "fatal" };
	return names[sev];
}

#define CONF_LOG_MAX		1000
#define CONF_LOG_MAX_STR	"1000"

static void log_vadd(struct conf_log *log, enum conf_sev sev, const char *file,
		     int line, const char *fmt, va_list ap)
{
	struct conf_msg *m;

	log->count[sev]++;
	/*
	 * A bounded log: a generated file can make millions of the same
	 * error; the counts (and so the exit code) still see every one.
	 */
	if (log->n > CONF_LOG_MAX)
		return;
	if (log->n == CONF_LOG_MAX) {
		file = NULL;
		line = 0;
		sev = CONF_NOTE;
		fmt = "more than " CONF_LOG_MAX_STR " messages, the rest are "
		      "not shown";
	}
	if (log->n == log->cap) {
		log->cap = log->cap ? log->cap * 2 : 16;
		log->msgs = realloc(log->msgs, log->cap * sizeof(*log->msgs));
		if (!log->msgs)
			abort();
	}
	m = &log->msgs[log->n++];
	m->sev = sev;
	m->file = file ? strdup(file) : NULL;
	m->line = line;
	if (vasprintf(&m->text, fmt, ap) < 0)
		m->text = NULL;
}

void conf_log_add(struct conf_log *log, enum conf_sev sev, const char *file,
		  int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vadd(log, sev, file, line, fmt, ap);
	va_end(ap);
}

void conf_log_free(struct conf_log *log)
{
	for (size_t i = 0; i < log->n; i++) {
		free(log->msgs[i].file);
		free(log->msgs[i].text);
	}
	free(log->msgs);
	*log = (struct conf_log){ 0 };
}

int conf_exit_code(const struct conf_log *log)
{
	if (log->count[CONF_FATAL])
		return CONF_RC_FATAL;
	if (log->count[CONF_ERR] || log->count[CONF_DEFAULTED])
		return CONF_RC_ERRORS;
	return CONF_RC_OK;
}

bool conf_has_errors(const struct conf_log *log)
{
	return log->count[CONF_ERR] || log->count[CONF_FATAL];
}

#define DEFINE_LOGGER(fn, sev)						\
void fn(struct conf_parser *p, const char *fmt, ...)			\
{									\
	va_list ap;							\
									\
	va_start(ap, fmt);						\
	log_vadd(p->log, sev, p->cur ? p->cur->file : NULL,		\
		 p->cur ? p->cur->line : 0, fmt, ap);			\
	va_end(ap);							\
}
DEFINE_LOGGER(conf_err, CONF_ERR)
DEFINE_LOGGER(conf_warn, CONF_WARN)
DEFINE_LOGGER(conf_note, CONF_NOTE)

void conf_set_child(struct conf_parser *p, void *child)
{
	p->child = child;
	p->child_existing = false;
}

const char *conf_cur_file(const struct conf_parser *p)
{
	return p->cur ? p->cur->file : NULL;
}

int conf_cur_line(const struct conf_parser *p)
{
	return p->cur ? p->cur->line : 0;
}

/* ---- values ---- */

int conf_timer_parse(const char *s, long long *usec)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno || end == s || *end || v < 0 || v > 1e9)
		return -1;
	*usec = (long long)(v * USEC_PER_SEC + 0.5);
	return 0;
}

int conf_bool_parse(const char *s, bool *v)
{
	static const char *const yes[] = { "on", "true", "yes", "1" };
	static const char *const no[] = { "off", "false", "no", "0" };

	for (size_t i = 0; i < 4; i++) {
		if (!strcasecmp(s, yes[i]))
			return *v = true, 0;
		if (!strcasecmp(s, no[i]))
			return *v = false, 0;
	}
	return -1;
}

int conf_addr_parse(const char *s, struct conf_addr *a)
{
	char buf[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(s);

	if (n >= sizeof(buf))
		return -1;
	if (s[0] == '[' && n > 2 && s[n - 1] == ']') {
		memcpy(buf, s + 1, n - 2);
		buf[n - 2] = '\0';
		s = buf;
	}
	if (inet_pton(AF_INET, s, &a->u.in) == 1) {
		a->af = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &a->u.in6) == 1) {
		a->af = AF_INET6;
		return 0;
	}
	return -1;
}

char *conf_addr_str(const struct conf_addr *a, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN] = "?";

	if (a->af)
		inet_ntop(a->af, &a->u, ip, sizeof(ip));
	if (!a->port)
		snprintf(buf, len, "%s", ip);
	else if (a->af == AF_INET6)
		snprintf(buf, len, "[%s]:%u", ip, a->port);
	else
		snprintf(buf, len, "%s:%u", ip, a->port);
	return buf;
}

bool conf_addr_eq(const struct conf_addr *a, const struct conf_addr *b)
{
	if (a->af != b->af || a->port != b->port)
		return false;
	if (a->af == AF_INET)
		return a->u.in.s_addr == b->u.in.s_addr;
	if (a->af == AF_INET6)
		return !memcmp(&a->u.in6, &b->u.in6, sizeof(a->u.in6));
	return true;
}

/* ---- field parsers ---- */

#define FIELD(obj, kw, type) ((type *)((char *)(obj) + (kw)->off))

static int need_arg(struct conf_parser *p, int argc, char **argv)
{
	if (argc >= 2)
		return 0;
	conf_err(p, "'%s' needs a value", argv[0]);
	return -1;
}

int conf_kw_int(struct conf_parser *p, const struct conf_kw *kw, void *obj,
		int argc, char **argv)
{
	long long v;
	char *end;

	if (need_arg(p, argc, argv))
		return -1;
	errno = 0;
	v = strtoll(argv[1], &end, 0);
	if (errno || end == argv[1] || *end || v < kw->min || v > kw->max) {
		conf_err(p, "invalid %s '%s' (%lld..%lld) - ignoring", argv[0],
			 argv[1], kw->min, kw->max);
		return -1;
	}
	*FIELD(obj, kw, long long) = v;
	return 0;
}

int conf_kw_timer(struct conf_parser *p, const struct conf_kw *kw, void *obj,
		  int argc, char **argv)
{
	long long v;

	if (need_arg(p, argc, argv))
		return -1;
	if (conf_timer_parse(argv[1], &v) || v < kw->min || v > kw->max) {
		conf_err(p, "invalid %s '%s' (%g..%g seconds) - ignoring",
			 argv[0], argv[1], (double)kw->min / USEC_PER_SEC,
			 (double)kw->max / USEC_PER_SEC);
		return -1;
	}
	*FIELD(obj, kw, long long) = v;
	return 0;
}

int conf_kw_bool(struct conf_parser *p, const struct conf_kw *kw, void *obj,
		 int argc, char **argv)
{
	bool v = true;

	if (argc >= 2 && conf_bool_parse(argv[1], &v)) {
		conf_err(p, "invalid %s '%s' (on|off|true|false|yes|no)",
			 argv[0], argv[1]);
		return -1;
	}
	*FIELD(obj, kw, long long) = v;
	return 0;
}

int conf_kw_str(struct conf_parser *p, const struct conf_kw *kw, void *obj,
		int argc, char **argv)
{
	char **f = FIELD(obj, kw, char *);

	if (need_arg(p, argc, argv))
		return -1;
	free(*f);
	*f = strdup(argv[1]);
	return 0;
}

int conf_kw_ip(struct conf_parser *p, const struct conf_kw *kw, void *obj,
	       int argc, char **argv)
{
	struct conf_addr *a = FIELD(obj, kw, struct conf_addr);
	struct conf_addr n = { 0 };

	if (need_arg(p, argc, argv))
		return -1;
	if (conf_addr_parse(argv[1], &n)) {
		conf_err(p, "invalid address '%s' for %s", argv[1], argv[0]);
		return -1;
	}
	a->af = n.af;
	a->u = n.u;
	return 0;
}

int conf_kw_port(struct conf_parser *p, const struct conf_kw *kw, void *obj,
		 int argc, char **argv)
{
	struct conf_addr *a = FIELD(obj, kw, struct conf_addr);
	char *end;
	long v;

	if (need_arg(p, argc, argv))
		return -1;
	v = strtol(argv[1], &end, 10);
	if (*end || end == argv[1] || v < 0 || v > 65535) {
		conf_err(p, "invalid port '%s' for %s", argv[1], argv[0]);
		return -1;
	}
	a->port = (uint16_t)v;
	return 0;
}

char **conf_split_argv(const char *s)
{
	char **argv = NULL, *w = NULL;
	size_t n = 0, wl = 0;
	char q = 0;

	for (;; s++) {
		bool end = !*s || (!q && isspace((unsigned char)*s));

		if (end && w) {
			argv = realloc(argv, (n + 2) * sizeof(*argv));
			if (!argv)
				abort();
			argv[n++] = w;
			w = NULL;
			wl = 0;
		}
		if (!*s)
			break;
		if (end)
			continue;
		if (!q && (*s == '"' || *s == '\'')) {
			q = *s;
		} else if (q && *s == q) {
			q = 0;
		} else {
			if (*s == '\\' && s[1] && q != '\'')
				s++;
			w = realloc(w, wl + 2);
			if (!w)
				abort();
			w[wl++] = *s;
			w[wl] = '\0';
		}
		if (!w) {
			w = calloc(1, 1);
			if (!w)
				abort();
		}
	}
	if (argv)
		argv[n] = NULL;
	return argv;
}

void conf_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

void conf_script_free(struct conf_script *s)
{
	conf_argv_free(s->argv);
	free(s->user);
	free(s->group);
	*s = (struct conf_script){ 0 };
}

int conf_kw_script(struct conf_parser *p, const struct conf_kw *kw, void *obj,
		   int argc, char **argv)
{
	struct conf_script *s = FIELD(obj, kw, struct conf_script);

	if (need_arg(p, argc, argv))
		return -1;
	conf_script_free(s);
	s->argv = conf_split_argv(argv[1]);
	if (!s->argv) {
		conf_err(p, "empty script for %s", argv[0]);
		return -1;
	}
	if (argc >= 3)
		s->user = strdup(argv[2]);
	if (argc >= 4)
		s->group = strdup(argv[3]);
	if (argc > 4)
		conf_warn(p, "%s: extra words after the group ignored",
			  argv[0]);
	return 0;
}

int conf_kw_ignored(struct conf_parser *p, const struct conf_kw *kw,
		    void *obj, int argc, char **argv)
{
	conf_note(p, "'%s' is accepted but has no effect in lvsd", argv[0]);
	return 0;
}

void conf_apply_defaults(struct conf_parser *p, const struct conf_kw *kws,
			 void *obj)
{
	for (const struct conf_kw *kw = kws; kw && kw->name; kw++) {
		char *argv[3] = { (char *)kw->name, (char *)kw->def, NULL };

		if (kw->def && !kw->block)
			kw->parse(p, kw, obj, 2, argv);
	}
}

/* ---- the walker ---- */

struct conf_progress *conf_progress;

void conf_progress_at(const char *file, int line)
{
	if (!conf_progress)
		return;
	if (file)
		snprintf(conf_progress->file, sizeof(conf_progress->file),
			 "%s", file);
	conf_progress->line = line;
}

struct walk {
	struct conf_parser *p;
	const struct tok *t;
	size_t n, i;
	int open;		/* braces currently open */
};

static void skip_eols(struct walk *w)
{
	while (w->i < w->n && w->t[w->i].type == TOK_EOL)
		w->i++;
}

/* Skip a block whose '{' was just consumed. */
static void skip_block(struct walk *w)
{
	int depth = 1;

	while (w->i < w->n && depth) {
		if (w->t[w->i].type == TOK_LBRACE)
			depth++;
		else if (w->t[w->i].type == TOK_RBRACE)
			depth--;
		w->i++;
	}
	if (depth)
		w->open += depth;
}

static const struct conf_kw *find_kw(const struct conf_block *b, void *obj,
				     const char *name, void **kwobj)
{
	*kwobj = obj;
	for (const struct conf_kw *kw = b->kws; kw && kw->name; kw++)
		if (!strcmp(kw->name, name))
			return kw;
	if (b->lookup)
		return b->lookup(obj, name, kwobj);
	return NULL;
}

static void walk_block(struct walk *w, const struct conf_block *b, void *obj,
		       int depth);

static void statement(struct walk *w, const struct conf_block *b, void *obj,
		      int depth)
{
	struct conf_parser *p = w->p;
	const struct tok *first = &w->t[w->i];
	const struct conf_kw *kw;
	char *argv[64];
	int argc = 0;
	bool brace;
	void *kwobj;

	while (w->i < w->n && w->t[w->i].type == TOK_WORD) {
		if (argc < 63)
			argv[argc++] = w->t[w->i].text;
		w->i++;
	}
	argv[argc] = NULL;
	p->cur = first;
	conf_progress_at(first->file, first->line);
	/* A '{' may start on a later line (keepalived accepts it). */
	kw = find_kw(b, obj, argv[0], &kwobj);
	if (kw && kw->block) {
		size_t save = w->i;

		skip_eols(w);
		if (w->i >= w->n || w->t[w->i].type != TOK_LBRACE)
			w->i = save;
	}
	brace = w->i < w->n && w->t[w->i].type == TOK_LBRACE;
	if (brace)
		w->i++;
	if (!kw) {
		if (b->line && !brace)
			b->line(p, obj, argc, argv);
		else
			conf_err(p, "Unknown keyword '%s'", argv[0]);
		if (brace)
			skip_block(w);
		return;
	}
	p->child = NULL;
	if (kw->parse)
		kw->parse(p, kw, kwobj, argc, argv);
	if (!brace) {
		if (kw->block)
			conf_err(p, "'{' missing from beginning of block '%s'",
				 argv[0]);
		return;
	}
	if (!kw->block) {
		conf_warn(p, "'%s' takes no block - block skipped", argv[0]);
		skip_block(w);
		return;
	}
	if (!p->child) {
		skip_block(w);
		return;
	}
	obj = p->child;
	if (!p->child_existing)
		conf_apply_defaults(p, kw->block->kws, obj);
	walk_block(w, kw->block, obj, depth + 1);
	p->cur = first;
}

/* Walks until the '}' closing this block (consumed) or the end. */
static void walk_block(struct walk *w, const struct conf_block *b, void *obj,
		       int depth)
{
	struct conf_parser *p = w->p;

	while (w->i < w->n) {
		const struct tok *t = &w->t[w->i];

		switch (t->type) {
		case TOK_EOL:
			w->i++;
			break;
		case TOK_RBRACE:
			w->i++;
			if (depth) {
				p->cur = t;
				if (b->close)
					b->close(p, obj);
				return;
			}
			p->cur = t;
			conf_err(p, "Extra '}' found");
			break;
		case TOK_LBRACE:
			w->i++;
			p->cur = t;
			conf_err(p, "'{' without a keyword - block skipped");
			skip_block(w);
			break;
		case TOK_WORD:
			statement(w, b, obj, depth);
			break;
		}
	}
	if (depth) {
		w->open++;
		if (b->close)
			b->close(p, obj);
	}
}

void conf_walk(struct conf_parser *p, const struct conf_block *root,
	       void *obj, const struct tok *toks, size_t n)
{
	struct walk w = { .p = p, .t = toks, .n = n };

	walk_block(&w, root, obj, 0);
	if (w.open) {
		p->cur = n ? &toks[n - 1] : NULL;
		conf_err(p, "There are %d missing '}'s", w.open);
	}
	p->cur = NULL;
}

