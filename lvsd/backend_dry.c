// SPDX-License-Identifier: GPL-2.0
/*
 * backend_dry.c - the "dry" backend: keeps the services and real servers
 * lvsd asked for, with the kernel's answers (EEXIST, ENOENT), and sends
 * nothing anywhere.  Real servers report no connections, so a drain ends at
 * its first poll.  Destinations live in an open-addressing hash per
 * service, so a pool of 10,000 costs O(1) per change, as in the kernel.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

enum { SLOT_FREE, SLOT_USED, SLOT_GONE };

struct dry_svc {
	struct lvsc_service	svc;
	struct lvsc_dest	*slot;
	unsigned char		*state;
	size_t			cap, n, gone;
};

struct backend {
	struct dry_svc		*svcs;
	size_t			n;
	struct lvsc_config	cfg;	/* what config_set last left */
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

static void svc_clear(struct dry_svc *v)
{
	free(v->slot);
	free(v->state);
}

static void dry_close(struct backend *b)
{
	for (size_t i = 0; i < b->n; i++)
		svc_clear(&b->svcs[i]);
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
	svc_clear(v);
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

static int dry_flush(struct backend *b, struct lvsc_err *err)
{
	for (size_t i = 0; i < b->n; i++)
		svc_clear(&b->svcs[i]);
	b->n = 0;
	return 0;
}

static size_t dest_hash(const struct lvsc_dest *d)
{
	const unsigned char *p = (const unsigned char *)&d->addr;
	size_t h = 1469598103934665603ULL ^ d->port;

	for (size_t i = 0; i < sizeof(d->addr); i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

/* The slot holding D, or the first free one on its probe path. */
static size_t probe(const struct dry_svc *v, const struct lvsc_dest *d,
		    bool *found)
{
	size_t mask = v->cap - 1, i = dest_hash(d) & mask, tomb = SIZE_MAX;

	for (;; i = (i + 1) & mask) {
		if (v->state[i] == SLOT_FREE) {
			*found = false;
			return tomb != SIZE_MAX ? tomb : i;
		}
		if (v->state[i] == SLOT_GONE) {
			if (tomb == SIZE_MAX)
				tomb = i;
		} else if (backend_dest_same(&v->slot[i], d)) {
			*found = true;
			return i;
		}
	}
}

static int grow(struct dry_svc *v)
{
	struct dry_svc n = *v;

	n.cap = v->cap ? v->cap * 2 : 16;
	if ((v->n + 1) * 2 < v->cap)
		n.cap = v->cap;		/* only tombstones to sweep */
	n.slot = calloc(n.cap, sizeof(*n.slot));
	n.state = calloc(n.cap, 1);
	if (!n.slot || !n.state) {
		free(n.slot);
		free(n.state);
		return -ENOMEM;
	}
	n.n = n.gone = 0;
	for (size_t i = 0; i < v->cap; i++) {
		bool found;
		size_t j;

		if (v->state[i] != SLOT_USED)
			continue;
		j = probe(&n, &v->slot[i], &found);
		n.slot[j] = v->slot[i];
		n.state[j] = SLOT_USED;
		n.n++;
	}
	svc_clear(v);
	*v = n;
	return 0;
}

static struct lvsc_dest key_of(const struct dry_svc *v,
			       const struct lvsc_dest *d)
{
	struct lvsc_dest k = *d;

	if (!k.af)
		k.af = v->svc.af;
	return k;
}

static int dry_dest_add(struct backend *b, const struct lvsc_service *s,
			const struct lvsc_dest *d, struct lvsc_err *err)
{
	struct dry_svc *v = find_svc(b, s);
	struct lvsc_dest k;
	bool found;
	size_t i;

	if (!v)
		return fail(err, -ENOENT, "no such service");
	if ((v->n + v->gone + 1) * 2 > v->cap && grow(v))
		return fail(err, -ENOMEM, "out of memory");
	k = key_of(v, d);
	i = probe(v, &k, &found);
	if (found)
		return fail(err, -EEXIST, "destination exists");
	if (v->state[i] == SLOT_GONE)
		v->gone--;
	v->slot[i] = k;
	v->slot[i].flags = LVS_DEST_F_AVAILABLE;
	v->state[i] = SLOT_USED;
	v->n++;
	return 0;
}

static struct lvsc_dest *find_dest(struct dry_svc *v,
				   const struct lvsc_dest *d, size_t *idx)
{
	struct lvsc_dest k;
	bool found;

	if (!v || !v->cap)
		return NULL;
	k = key_of(v, d);
	*idx = probe(v, &k, &found);
	return found ? &v->slot[*idx] : NULL;
}

static int dry_dest_edit(struct backend *b, const struct lvsc_service *s,
			 const struct lvsc_dest *d, struct lvsc_err *err)
{
	struct dry_svc *v = find_svc(b, s);
	size_t i;
	struct lvsc_dest *o = find_dest(v, d, &i);
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
	size_t i;

	if (!find_dest(v, d, &i))
		return fail(err, -ENOENT, "no such destination");
	v->state[i] = SLOT_GONE;
	v->n--;
	v->gone++;
	return 0;
}

static int dry_dest_list(struct backend *b, const struct lvsc_service *s,
			 struct lvsc_dest **out, size_t *n,
			 struct lvsc_err *err)
{
	struct dry_svc *v = find_svc(b, s);
	size_t k = 0;

	if (!v)
		return fail(err, -ENOENT, "no such service");
	*out = calloc(v->n ? v->n : 1, sizeof(**out));
	if (!*out)
		return fail(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < v->cap; i++)
		if (v->state[i] == SLOT_USED)
			(*out)[k++] = v->slot[i];
	*n = k;
	return 0;
}

static int dry_config_set(struct backend *b, const struct lvsc_config *c,
			  struct lvsc_err *err)
{
	if (c->tcp)
		b->cfg.tcp = c->tcp;
	if (c->tcp_fin)
		b->cfg.tcp_fin = c->tcp_fin;
	if (c->udp)
		b->cfg.udp = c->udp;
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
	.flush		= dry_flush,
	.dest_add	= dry_dest_add,
	.dest_edit	= dry_dest_edit,
	.dest_del	= dry_dest_del,
	.dest_list	= dry_dest_list,
	.config_set	= dry_config_set,
};

BACKEND_REGISTER(dry_backend)
