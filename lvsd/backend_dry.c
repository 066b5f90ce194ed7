// SPDX-License-Identifier: GPL-2.0
/*
 * backend_dry.c - the "dry" backend: keeps the services and real servers
 * lvsd asked for, with the kernel's answers (EEXIST, ENOENT), and sends
 * nothing anywhere.  Real servers report no connections, so a drain ends at
 * its first poll.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

struct dry_svc {
	struct lvsc_service	svc;
	struct lvsc_dest	*dests;
	size_t			n;
};

struct backend {
	struct dry_svc		*svcs;
	size_t			n;
};

static int fail(struct lvsc_err *err, int code, const char *msg)
{
	err->code = code;
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
	return code;
}

static struct backend *dry_open(struct lvsc_err *err)
{
	struct backend *b = calloc(1, sizeof(*b));

	if (!b)
		fail(err, -ENOMEM, "out of memory");
	return b;
}

static void dry_close(struct backend *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->svcs[i].dests);
	free(b->svcs);
	free(b);
}

static struct dry_svc *find_svc(struct backend *b,
				const struct lvsc_service *s)
{
	for (size_t i = 0; i < b->n; i++)
		if (backend_svc_same(&b->svcs[i].svc, s))
			return &b->svcs[i];
	return NULL;
}

static int dry_svc_add(struct backend *b, const struct lvsc_service *s,
		       struct lvsc_err *err)
{
	struct dry_svc *v;

	if (find_svc(b, s))
		return fail(err, -EEXIST, "service exists");
	v = realloc(b->svcs, (b->n + 1) * sizeof(*v));
	if (!v)
		return fail(err, -ENOMEM, "out of memory");
	b->svcs = v;
	b->svcs[b->n++] = (struct dry_svc){ .svc = *s };
	return 0;
}

static int dry_svc_edit(struct backend *b, const struct lvsc_service *s,
			struct lvsc_err *err)
{
	struct dry_svc *v = find_svc(b, s);

	if (!v)
		return fail(err, -ENOENT, "no such service");
	v->svc = *s;
	return 0;
}

static int dry_svc_del(struct backend *b, const struct lvsc_service *s,
		       struct lvsc_err *err)
{
	struct dry_svc *v = find_svc(b, s);

	if (!v)
		return fail(err, -ENOENT, "no such service");
	free(v->dests);
	*v = b->svcs[--b->n];
	return 0;
}

static int dry_svc_list(struct backend *b, struct lvsc_service **out,
			size_t *n, struct lvsc_err *err)
{
	*out = calloc(b->n ? b->n : 1, sizeof(**out));
	if (!*out)
		return fail(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < b->n; i++) {
		(*out)[i] = b->svcs[i].svc;
		(*out)[i].num_dests = (uint32_t)b->svcs[i].n;
	}
	*n = b->n;
	return 0;
}

static struct lvsc_dest *find_dest(struct dry_svc *v,
				   const struct lvsc_dest *d)
{
	struct lvsc_dest k = *d;

	if (!k.af)
		k.af = v->svc.af;
	for (size_t i = 0; i < v->n; i++)
		if (backend_dest_same(&v->dests[i], &k))
			return &v->dests[i];
	return NULL;
}

static int dry_dest_add(struct backend *b, const struct lvsc_service *s,
			const struct lvsc_dest *d, struct lvsc_err *err)
{
	struct dry_svc *v = find_svc(b, s);
	struct lvsc_dest *n;

	if (!v)
		return fail(err, -ENOENT, "no such service");
	if (find_dest(v, d))
		return fail(err, -EEXIST, "destination exists");
	n = realloc(v->dests, (v->n + 1) * sizeof(*n));
	if (!n)
		return fail(err, -ENOMEM, "out of memory");
	v->dests = n;
	v->dests[v->n] = *d;
	if (!v->dests[v->n].af)
		v->dests[v->n].af = v->svc.af;
	v->dests[v->n++].flags = LVS_DEST_F_AVAILABLE;
	return 0;
}

static int dry_dest_edit(struct backend *b, const struct lvsc_service *s,
			 const struct lvsc_dest *d, struct lvsc_err *err)
{
	struct dry_svc *v = find_svc(b, s);
	struct lvsc_dest *o = v ? find_dest(v, d) : NULL;
	uint16_t af;

	if (!o)
		return fail(err, -ENOENT, "no such destination");
	af = o->af;
	*o = *d;
	o->af = af;
	o->flags = LVS_DEST_F_AVAILABLE;
	return 0;
}

static int dry_dest_del(struct backend *b, const struct lvsc_service *s,
			const struct lvsc_dest *d, struct lvsc_err *err)
{
	struct dry_svc *v = find_svc(b, s);
	struct lvsc_dest *o = v ? find_dest(v, d) : NULL;

	if (!o)
		return fail(err, -ENOENT, "no such destination");
	*o = v->dests[--v->n];
	return 0;
}

static int dry_dest_list(struct backend *b, const struct lvsc_service *s,
			 struct lvsc_dest **out, size_t *n,
			 struct lvsc_err *err)
{
	struct dry_svc *v = find_svc(b, s);

	if (!v)
		return fail(err, -ENOENT, "no such service");
	*out = calloc(v->n ? v->n : 1, sizeof(**out));
	if (!*out)
		return fail(err, -ENOMEM, "out of memory");
	memcpy(*out, v->dests, v->n * sizeof(**out));
	*n = v->n;
	return 0;
}

static const struct backend_ops dry_backend = {
	.name		= "dry",
	.open		= dry_open,
	.close		= dry_close,
	.svc_add	= dry_svc_add,
	.svc_edit	= dry_svc_edit,
	.svc_del	= dry_svc_del,
	.svc_list	= dry_svc_list,
	.dest_add	= dry_dest_add,
	.dest_edit	= dry_dest_edit,
	.dest_del	= dry_dest_del,
	.dest_list	= dry_dest_list,
};

BACKEND_REGISTER(dry_backend)
