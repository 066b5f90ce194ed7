// SPDX-License-Identifier: GPL-2.0
/*
 * print.c - one print path for text and JSON, after iproute2's
 * json_print: each call names the mode it prints in (VS_FP text only,
 * VS_JSON JSON only, VS_ANY both), so a listing is written once.
 * JSON values are collected with json-c and written by vs_out_end().
 */
#include <stdarg.h>
#include <stdlib.h>

#include <json-c/json.h>

#include "vsadm.h"

/* Formats come from the callers' literals, checked there by review and by
 * the byte-exact unit tests; as iproute2's json_print.c does. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

#define DEPTH_MAX	8

struct vs_out {
	FILE		*fp;
	bool		json;
	json_object	*root;
	json_object	*stack[DEPTH_MAX];
	int		depth;
};

struct vs_out *vs_out_new(FILE *fp, bool json)
{
	struct vs_out *o = calloc(1, sizeof(*o));

	if (o) {
		o->fp = fp;
		o->json = json;
	}
	return o;
}

bool vs_out_json(const struct vs_out *o)
{
	return o->json;
}

int vs_out_end(struct vs_out *o)
{
	int rc = 0;

	if (o->json && o->root) {
		fputs(json_object_to_json_string_ext(o->root,
			JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
		      o->fp);
		fputc('\n', o->fp);
	}
	if (fflush(o->fp) || ferror(o->fp))
		rc = -1;
	json_object_put(o->root);
	free(o);
	return rc;
}

/* Attach v under key in the current container (or make it the root). */
static void attach(struct vs_out *o, const char *key, json_object *v)
{
	json_object *cur;

	if (!o->depth) {
		if (!o->root)
			o->root = v;
		else
			json_object_put(v);
		return;
	}
	cur = o->stack[o->depth - 1];
	if (json_object_is_type(cur, json_type_array))
		json_object_array_add(cur, v);
	else
		json_object_object_add(cur, key ? key : "", v);
}

static void open_container(struct vs_out *o, const char *key, json_object *v)
{
	if (!o->json) {
		json_object_put(v);
		return;
	}
	attach(o, key, json_object_get(v));
	if (o->depth < DEPTH_MAX)
		o->stack[o->depth++] = v;
	json_object_put(v);
}

void vs_open_obj(struct vs_out *o, const char *key)
{
	if (o->json)
		open_container(o, key, json_object_new_object());
}

void vs_open_arr(struct vs_out *o, const char *key)
{
	if (o->json)
		open_container(o, key, json_object_new_array());
}

void vs_close_obj(struct vs_out *o)
{
	if (o->json && o->depth)
		o->depth--;
}

void vs_close_arr(struct vs_out *o)
{
	vs_close_obj(o);
}

void vs_print_str(struct vs_out *o, enum vs_pmode m, const char *key,
		  const char *fmt, const char *val)
{
	if (o->json && (m & VS_JSON))
		attach(o, key, json_object_new_string(val));
	else if (!o->json && (m & VS_FP))
		fprintf(o->fp, fmt, val);
}

void vs_print_uint(struct vs_out *o, enum vs_pmode m, const char *key,
		   const char *fmt, uint64_t val)
{
	if (o->json && (m & VS_JSON))
		attach(o, key, json_object_new_uint64(val));
	else if (!o->json && (m & VS_FP))
		fprintf(o->fp, fmt, (unsigned long long)val);
}

void vs_print_bool(struct vs_out *o, const char *key, bool val)
{
	if (o->json)
		attach(o, key, json_object_new_boolean(val));
}

void vs_printf(struct vs_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->json)
		return;
	va_start(ap, fmt);
	vfprintf(o->fp, fmt, ap);
	va_end(ap);
}
