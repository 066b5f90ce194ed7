/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conf_kw.h - keyword tables, as HAProxy's srv_kws and Redis' static_configs:
 * one row per keyword with its parser, bounds and default.  The checkers in
 * healthcheck/ declare their own rows with this header, so a new checker's
 * keywords live in its one file.
 */
#ifndef _RT_CONF_KW_H
#define _RT_CONF_KW_H

#include <stddef.h>
#include <stdlib.h>

#include "conf.h"
#include "xalloc.h"

struct conf_parser;
struct conf_kw;

/*
 * argv[0] is the keyword as written.  Returns 0, or -1 after logging an
 * error with conf_err(); a row that opens a block sets its object with
 * conf_set_child().
 */
typedef int (*conf_kw_fn)(struct conf_parser *p, const struct conf_kw *kw,
			  void *obj, int argc, char **argv);

struct conf_block;

struct conf_kw {
	const char	*name;
	conf_kw_fn	parse;
	size_t		off;		/* field in the block's object */
	long long	min, max;	/* bounds for numbers and timers */
	const char	*def;		/* applied when the block opens */
	const struct conf_block *block;	/* this row opens a block */
};

struct conf_block {
	const char	*name;
	const struct conf_kw *kws;
	/* Optional: keywords only known at run time (registered checkers). */
	const struct conf_kw *(*lookup)(void *obj, const char *name,
					void **kwobj);
	/* Optional: lines that are not keywords (group members, lists). */
	int (*line)(struct conf_parser *p, void *obj, int argc, char **argv);
	/* Optional: checks when the block closes. */
	void (*close)(struct conf_parser *p, void *obj);
};

void conf_err(struct conf_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void conf_warn(struct conf_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void conf_note(struct conf_parser *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void conf_set_child(struct conf_parser *p, void *child);
const char *conf_cur_file(const struct conf_parser *p);
int conf_cur_line(const struct conf_parser *p);
/* Apply every row's default to OBJ (rows with def == NULL are skipped). */
void conf_apply_defaults(struct conf_parser *p, const struct conf_kw *kws,
			 void *obj);

/* Field parsers; OFF points at the type named. */
int conf_kw_int(struct conf_parser *, const struct conf_kw *, void *, int,
		char **);			/* long long */
int conf_kw_timer(struct conf_parser *, const struct conf_kw *, void *, int,
		  char **);			/* long long usec */
int conf_kw_bool(struct conf_parser *, const struct conf_kw *, void *, int,
		 char **);			/* long long 0/1 */
int conf_kw_str(struct conf_parser *, const struct conf_kw *, void *, int,
		char **);			/* char * */
int conf_kw_ip(struct conf_parser *, const struct conf_kw *, void *, int,
	       char **);			/* struct conf_addr, ip only */
int conf_kw_port(struct conf_parser *, const struct conf_kw *, void *, int,
		 char **);			/* struct conf_addr, port only */
int conf_kw_script(struct conf_parser *, const struct conf_kw *, void *, int,
		   char **);			/* struct conf_script */
int conf_kw_ignored(struct conf_parser *, const struct conf_kw *, void *,
		    int, char **);		/* known, not used by lvsd */

/* Split a script line on unquoted blanks; NULL-terminated, malloc'ed. */
char **conf_split_argv(const char *s);
void conf_argv_free(char **argv);
void conf_script_free(struct conf_script *s);

/*
 * Allocation for the parsers (xalloc.h's, under the names the grammars
 * use): a configuration too large for memory is not a case to recover
 * from half-way, so these abort instead of failing.
 * CONF_PUSH appends to an array grown only by it: its capacity doubles at
 * each power of two, so n pushes cost O(n).
 */
static inline void *conf_xcalloc(size_t n)
{
	return rt_xcalloc(n);
}

static inline char *conf_xstrdup(const char *s)
{
	return rt_xstrdup(s);
}
#define CONF_PUSH(arr, n, item) do {					\
	if (!((n) & ((n) - 1))) {					\
		(arr) = realloc((arr), ((n) ? 2 * (n) : 1) *		\
				sizeof(*(arr)));			\
		if (!(arr))						\
			abort();					\
	}								\
	(arr)[(n)++] = (item);						\
} while (0)

#endif /* _RT_CONF_KW_H */
