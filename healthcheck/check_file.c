// SPDX-License-Identifier: GPL-2.0
/*
 * check_file.c - FILE_CHECK and the root track_file blocks it names, with
 * keepalived's meaning.  The file holds a number V (missing, empty or not
 * a number: 0; outside 32 bits: the last value stays).  With weight W
 * (FILE_CHECK's, else the track_file's, default 1) and reverse:
 *   W == 0: the check fails when V != 0 (reverse: when V == 0);
 *   W != 0: it passes, and V * W (negated by reverse) is added to the real
 *           server's weight (at least 0); a product at or below -2^31
 *           fails it.
 * init_file writes VALUE (default 0) to a missing file, or with overwrite
 * always, once per path and lvsd process, when the first probe reads it
 * (never under -t).  keepalived rereads the file on inotify events; lvsd
 * reads it at every probe, so changes are seen within delay_loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checker.h"
#include "loop.h"
#include "track_file.h"

/* weight N [reverse]: three fields in this order, as kw_tf_weight fills. */
struct tf_weight {
	long long	weight, reverse, set;
};

struct track_file {
	char		*name;
	char		*path;
	struct tf_weight w;		/* unset: 1 */
	long long	init;		/* 0 none, 1 if missing, 2 overwrite */
	long long	init_value;
	long long	last;		/* the last value read */
	struct track_file *next;
	char		*file;		/* where it was defined */
	int		line;
};

struct file_conf {
	char		*name;
	struct tf_weight w;		/* unset: the track_file's */
	struct track_file *tf;		/* set by resolve */
};

struct file_state {
	struct ltimer	*t;
	enum check_result res;
	long long	weight;
};

/* ---- root track_file blocks ---- */

static int kw_tf_weight(struct conf_parser *p, const struct conf_kw *kw,
			void *obj, int argc, char **argv)
{
	struct tf_weight *w = (struct tf_weight *)((char *)obj + kw->off);
	char *end;
	long long v;

	errno = 0;
	v = argc >= 2 ? strtoll(argv[1], &end, 10) : 0;
	if (argc < 2 || *end || errno || v < -INT_MAX || v > INT_MAX) {
		conf_err(p, "weight must be in [%d..%d]", -INT_MAX, INT_MAX);
		return -1;
	}
	if (argc >= 3 && strcmp(argv[2], "reverse") &&
	    strcmp(argv[2], "noreverse")) {
		conf_err(p, "unknown weight option '%s'", argv[2]);
		return -1;
	}
	w->weight = v;
	w->reverse = argc >= 3 && !strcmp(argv[2], "reverse");
	w->set = 1;
	return 0;
}

static int kw_tf_init(struct conf_parser *p, const struct conf_kw *kw,
		      void *obj, int argc, char **argv)
{
	struct track_file *tf = obj;

	tf->init = 1;
	tf->init_value = 0;
	for (int i = 1; i < argc; i++) {
		char *end;

		if (!strcmp(argv[i], "overwrite")) {
			tf->init = 2;
			continue;
		}
		errno = 0;
		tf->init_value = strtoll(argv[i], &end, 10);
		if (*end || errno || tf->init_value < INT_MIN ||
		    tf->init_value > INT_MAX) {
			conf_err(p, "track file %s init value %s is invalid",
				 tf->name, argv[i]);
			tf->init_value = 0;
		} else if (tf->init_value < -254 || tf->init_value > 254) {
			conf_err(p, "track file %s init value %lld is outside "
				 "sensible range [-254, 254]", tf->name,
				 tf->init_value);
		}
	}
	return 0;
}

static const struct conf_kw tf_kws[] = {
	{ .name = "file", .parse = conf_kw_str,
	  .off = offsetof(struct track_file, path) },
	{ .name = "weight", .parse = kw_tf_weight,
	  .off = offsetof(struct track_file, w) },
	{ .name = "init_file", .parse = kw_tf_init },
	{ .name = NULL }
};

static void tf_close(struct conf_parser *p, void *obj)
{
	struct track_file *tf = obj;

	if (!tf->path)
		conf_err(p, "track_file %s has no file", tf->name);
}

const struct conf_block hc_track_file_block = {
	.name = "track_file", .kws = tf_kws, .close = tf_close,
};

int hc_kw_track_file(struct conf_parser *p, const struct conf_kw *kw,
		     void *obj, int argc, char **argv)
{
	struct track_file **head = (struct track_file **)((char *)obj +
							   kw->off);
	struct track_file *tf;

	if (argc < 2) {
		conf_err(p, "track_file needs a name");
		conf_set_child(p, NULL);
		return -1;
	}
	tf = calloc(1, sizeof(*tf));
	if (!tf || !(tf->name = strdup(argv[1])) ||
	    !(tf->file = strdup(conf_cur_file(p))))
		abort();
	tf->line = conf_cur_line(p);
	tf->next = *head;
	*head = tf;
	conf_set_child(p, tf);
	return 0;
}

void hc_track_files_free(void *track_files)
{
	struct track_file *tf = track_files, *next;

	for (; tf; tf = next) {
		next = tf->next;
		free(tf->name);
		free(tf->path);
		free(tf->file);
		free(tf);
	}
}

/* ---- FILE_CHECK ---- */

static const struct conf_kw file_kws[] = {
	{ .name = "track_file", .parse = conf_kw_str,
	  .off = offsetof(struct file_conf, name) },
	{ .name = "weight", .parse = kw_tf_weight,
	  .off = offsetof(struct file_conf, w) },
	{ .name = NULL }
};

static void file_validate(struct conf_parser *p, struct check_conf *c)
{
	if (!((struct file_conf *)c->priv)->name)
		conf_err(p, "FILE_CHECK has no track_file specified");
}

/* The track_file named, from the whole file (it may come later). */
static void file_resolve(struct conf_log *log, struct check_conf *c,
			 const struct checker_env *env)
{
	struct file_conf *f = c->priv;
	struct track_file *tf = env->track_files;

	if (!f->name)
		return;
	while (tf && strcmp(tf->name, f->name))
		tf = tf->next;
	if (!tf)
		conf_log_add(log, CONF_ERR, c->file, c->line,
			     "track_file %s not found", f->name);
	f->tf = tf;
	if (tf && !f->w.set) {
		f->w = tf->w;
		if (!tf->w.set)
			f->w.weight = 1;
	}
}

static void file_free(void *priv)
{
	free(((struct file_conf *)priv)->name);
}

/* Paths this process has initialised (init_file happens once each). */
static char **inited;
static size_t n_inited;

static void tf_init(struct track_file *tf)
{
	char **v;
	FILE *f;

	for (size_t i = 0; i < n_inited; i++)
		if (!strcmp(inited[i], tf->path))
			return;
	v = realloc(inited, (n_inited + 1) * sizeof(*v));
	if (!v || !(v[n_inited] = strdup(tf->path)))
		abort();
	inited = v;
	n_inited++;
	if (tf->init == 1 && access(tf->path, F_OK) == 0)
		return;
	f = fopen(tf->path, "we");
	if (f) {
		fprintf(f, "%lld\n", tf->init_value);
		fclose(f);
	}
}

/* keepalived's reading: 0 when missing, empty or not a number; false
 * (keep the last value) when it does not fit 32 bits. */
static bool tf_read(const char *path, long long *v)
{
	char buf[128];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	*v = 0;
	if (fd < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	errno = 0;
	*v = strtoll(buf, NULL, 0);
	return !errno && *v >= INT_MIN && *v <= (long long)INT_MAX + 1;
}

static void file_report(struct ltimer *t, void *arg)
{
	struct check_probe *pr = arg;
	struct file_state *st = pr->state;
	enum check_result res = st->res;
	long long weight = st->weight;

	ltimer_free(st->t);
	free(st);
	pr->state = NULL;
	probe_done(pr, res, weight, NULL);
}

static int file_start(struct check_probe *pr)
{
	const struct file_conf *f = pr->conf->priv;
	struct track_file *tf = f->tf;
	struct file_state *st = calloc(1, sizeof(*st));
	long long v, s;

	if (!tf || !st) {	/* no such track_file: an error already */
		free(st);
		return tf ? -ENOMEM : -ENOENT;
	}
	if (tf->init)
		tf_init(tf);
	if (tf_read(tf->path, &v))
		tf->last = v;
	v = tf->last;
	st->weight = -1;
	if (!f->w.weight) {
		st->res = (v != 0) != !!f->w.reverse ? CHECK_FAIL : CHECK_OK;
		if (st->res == CHECK_FAIL)
			probe_why(pr, "%s holds %lld", tf->path, v);
	} else {
		s = v * f->w.weight * (f->w.reverse ? -1 : 1);
		if (s <= INT_MIN) {
			st->res = CHECK_FAIL;
			probe_why(pr, "%s holds %lld (fault)", tf->path, v);
		} else {
			st->res = CHECK_OK;
			s += pr->rs_weight;
			st->weight = s < 0 ? 0 : s > 65535 ? 65535 : s;
		}
	}
	/* Reported from the loop: a probe never ends inside start(). */
	st->t = ltimer_new(file_report, pr);
	pr->state = st;
	ltimer_start(st->t, 0);
	return 0;
}

static enum check_result file_timeout(struct check_probe *pr)
{
	struct file_state *st = pr->state;

	ltimer_free(st->t);
	free(st);
	pr->state = NULL;
	return CHECK_FAIL;
}

static const struct checker_ops file_checker = {
	.name		= "FILE_CHECK",
	.kws		= file_kws,
	.priv_size	= sizeof(struct file_conf),
	.priv_free	= file_free,
	.validate	= file_validate,
	.resolve	= file_resolve,
	.default_retry	= 0,
	.default_dbr	= CONF_UNSET,
	.no_port	= true,
	.start		= file_start,
	.timeout	= file_timeout,
};

CHECKER_REGISTER(file_checker)
