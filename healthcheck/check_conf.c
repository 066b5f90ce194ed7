// SPDX-License-Identifier: GPL-2.0
/*
 * check_conf.c - the block of one checker (TCP_CHECK { ... }, ...): the
 * keywords every checker has, then the checker's own (checker_ops.kws, into
 * check_conf.priv), and its validate() at the closing brace.  Whoever owns
 * the enclosing block (lvsd's real_server) opens it with check_conf_new()
 * and resolves the unset fields by its own cascade.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "checker.h"

#define OFF(type, f)	offsetof(struct type, f)
#define T(sec)		((long long)(sec) * USEC_PER_SEC)
#define TMAX		T(86400)

static const struct conf_kw check_kws[] = {
	{ .name = "connect_ip", .parse = conf_kw_ip, .off = OFF(check_conf,
	  connect) },
	{ .name = "connect_port", .parse = conf_kw_port, .off = OFF(check_conf,
	  connect) },
	{ .name = "bindto", .parse = conf_kw_ip, .off = OFF(check_conf, bind) },
	{ .name = "bind_port", .parse = conf_kw_port, .off = OFF(check_conf,
	  bind) },
	{ .name = "bind_if", .parse = conf_kw_str, .off = OFF(check_conf,
	  bind_if) },
	{ .name = "fwmark", .parse = conf_kw_int, .off = OFF(check_conf, fwmark),
	  .max = UINT32_MAX },
	{ .name = "connect_timeout", .parse = conf_kw_timer,
	  .off = OFF(check_conf, connect_timeout), .min = T(0) + 1000,
	  .max = TMAX },
	{ .name = "retry", .parse = conf_kw_int, .off = OFF(check_conf, retry),
	  .max = 1000000 },
	{ .name = "nb_get_retry", .parse = conf_kw_int, .off = OFF(check_conf,
	  retry), .max = 1000000 },
	{ .name = "delay_before_retry", .parse = conf_kw_timer,
	  .off = OFF(check_conf, delay_before_retry), .max = TMAX },
	{ .name = "delay_loop", .parse = conf_kw_timer, .off = OFF(check_conf,
	  delay_loop), .min = 1000, .max = TMAX },
	{ .name = "warmup", .parse = conf_kw_timer, .off = OFF(check_conf,
	  warmup), .max = TMAX },
	{ .name = "alpha", .parse = conf_kw_bool, .off = OFF(check_conf,
	  alpha) },
	{ .name = "log_all_failures", .parse = conf_kw_bool,
	  .off = OFF(check_conf, log_all_failures) },
	{ .name = "rise", .parse = conf_kw_int, .off = OFF(check_conf, rise),
	  .min = 1, .max = 1000 },
	{ .name = "fall", .parse = conf_kw_int, .off = OFF(check_conf, fall),
	  .min = 1, .max = 1000 },
	{ .name = NULL }
};

static const struct conf_kw *check_lookup(void *obj, const char *name,
					  void **kwobj)
{
	struct check_conf *c = obj;

	*kwobj = c->priv;
	for (const struct conf_kw *kw = c->ops->kws; kw && kw->name; kw++)
		if (!strcmp(kw->name, name))
			return kw;
	return NULL;
}

static void check_close(struct conf_parser *p, void *obj)
{
	struct check_conf *c = obj;

	if (c->ops->validate)
		c->ops->validate(p, c);
}

const struct conf_block checker_block = {
	.name = "checker", .kws = check_kws, .lookup = check_lookup,
	.close = check_close,
};

void check_conf_free(struct check_conf *c)
{
	if (!c)
		return;
	if (c->priv && c->ops->priv_free)
		c->ops->priv_free(c->priv);
	free(c->priv);
	free(c->bind_if);
	free(c->file);
	free(c);
}

struct check_conf *check_conf_new(struct conf_parser *p,
				  const struct checker_ops *ops)
{
	struct check_conf *c = conf_xcalloc(sizeof(*c));

	c->ops = ops;
	c->file = strdup(conf_cur_file(p) ? conf_cur_file(p) : "");
	c->line = conf_cur_line(p);
	c->fwmark = c->connect_timeout = c->retry = CONF_UNSET;
	c->delay_before_retry = c->delay_loop = c->warmup = CONF_UNSET;
	c->alpha = c->rise = c->fall = c->log_all_failures = CONF_UNSET;
	c->priv = conf_xcalloc(ops->priv_size ? ops->priv_size : 1);
	conf_apply_defaults(p, ops->kws, c->priv);
	return c;
}
