// SPDX-License-Identifier: GPL-2.0
/*
 * restore.c - read -R input: one ipvsadm command line per line, as
 * "ipvsadm -S" and "vsadm -S" write them.  Words are separated by blanks;
 * empty lines and lines starting with '#' are skipped.  The whole input
 * is parsed before anything is applied, so a bad line changes nothing.
 * Listing lines (-L, -S) are taken, as ipvsadm takes them: they print
 * the table as it is at that point of the input.
 */
#include <stdlib.h>
#include <string.h>

#include "vsadm.h"

#define MAX_WORDS	64

static bool restorable(enum vs_cmd_id cmd)
{
	switch (cmd) {
	case VS_CMD_ADD:
	case VS_CMD_EDIT:
	case VS_CMD_DEL:
	case VS_CMD_FLUSH:
	case VS_CMD_ADDDEST:
	case VS_CMD_EDITDEST:
	case VS_CMD_DELDEST:
	case VS_CMD_TIMEOUT:
	case VS_CMD_ZERO:
	case VS_CMD_LIST:
	case VS_CMD_SAVE:
		return true;
	default:
		return false;
	}
}

static int push(struct vs_cmds *out, const struct vs_cmd *c, size_t line)
{
	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 256;
		struct vs_cmd *nc = realloc(out->cmd, cap * sizeof(*nc));
		size_t *nl;

		if (!nc)
			return -1;
		out->cmd = nc;
		nl = realloc(out->line, cap * sizeof(*nl));
		if (!nl)
			return -1;
		out->line = nl;
		out->cap = cap;
	}
	out->cmd[out->n] = *c;
	out->line[out->n++] = line;
	return 0;
}

int vs_restore_parse(FILE *in, const char *prog, struct vs_cmds *out,
		     size_t *line, struct vs_perr *e)
{
	char *buf = NULL, *argv[MAX_WORDS + 1], *tok, *save;
	size_t cap = 0;
	struct vs_cmd c;
	int argc;

	memset(out, 0, sizeof(*out));
	*line = 0;
	while (getline(&buf, &cap, in) >= 0) {
		++*line;
		argc = 0;
		argv[argc++] = (char *)prog;
		for (tok = strtok_r(buf, " \t\r\n", &save); tok;
		     tok = strtok_r(NULL, " \t\r\n", &save)) {
			if (argc == 1 && tok[0] == '#')
				break;
			if (argc == MAX_WORDS) {
				snprintf(e->msg, sizeof(e->msg),
					 "too many words");
				e->status = VS_EXIT_PARSE;
				goto fail;
			}
			argv[argc++] = tok;
		}
		if (argc == 1)
			continue;
		argv[argc] = NULL;
		if (vs_parse(argc, argv, &c, e))
			goto fail;
		if (!restorable(c.cmd)) {
			snprintf(e->msg, sizeof(e->msg), "`%s' cannot be "
				 "restored", argv[1]);
			e->status = VS_EXIT_PARSE;
			goto fail;
		}
		if (push(out, &c, *line)) {
			snprintf(e->msg, sizeof(e->msg), "out of memory");
			e->status = VS_EXIT_RUNTIME;
			goto fail;
		}
	}
	free(buf);
	return 0;

fail:
	free(buf);
	vs_cmds_free(out);
	return -1;
}

void vs_cmds_free(struct vs_cmds *c)
{
	free(c->cmd);
	free(c->line);
	memset(c, 0, sizeof(*c));
}
