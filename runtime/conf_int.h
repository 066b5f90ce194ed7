/* SPDX-License-Identifier: GPL-2.0 */
/*
 * conf_int.h - the framework's lexer and walker, for the code that loads a
 * whole file (lvsd's conf_kws.c): read the tokens of a file and its
 * includes, then walk them against a root block.
 */
#ifndef _RT_CONF_INT_H
#define _RT_CONF_INT_H

#include "conf.h"
#include "conf_kw.h"

enum tok_type { TOK_WORD, TOK_LBRACE, TOK_RBRACE, TOK_EOL };

struct tok {
	enum tok_type	type;
	char		*text;		/* TOK_WORD only */
	const char	*file;		/* owned by the file list */
	int		line;
};

struct tok_vec {
	struct tok	*v;
	size_t		n, cap;
};

struct conf_lexer {
	const struct conf_opts *opts;
	struct conf_log	*log;
	struct tok_vec	toks;
	char		**files;
	size_t		n_files;
	struct lex_state *st;		/* conf_lex.c's own */
	int		depth;
};

/* Read PATH and its includes into L->toks.  -1: PATH itself is unreadable. */
int conf_lex_file(struct conf_lexer *l, const char *path, const char *from,
		  int from_line);
/* The same from LEN bytes at BUF, named NAME in messages. */
int conf_lex_mem(struct conf_lexer *l, const char *name, const void *buf,
		 size_t len);
void conf_lex_free(struct conf_lexer *l);
/* Record FILE:LINE in conf_progress, when someone watches. */
void conf_progress_at(const char *file, int line);

struct conf_parser {
	struct conf_log	*log;
	const struct tok *cur;		/* statement being parsed, for file:line */
	void		*child;
	bool		child_existing;	/* child's defaults already set */
};

/* Walk TOKS against ROOT, whose rows parse into OBJ. */
void conf_walk(struct conf_parser *p, const struct conf_block *root,
	       void *obj, const struct tok *toks, size_t n);

#endif /* _RT_CONF_INT_H */
