// SPDX-License-Identifier: GPL-2.0
/*
 * backend_kernel.c - the datapaths behind liblvsc: "kernel" (the lvs
 * module, or the eBPF datapath where the module is not loaded, as
 * lvsc_open() chooses) and "bpf" (the eBPF datapath, docs/bpf.md).
 */
#include "backend.h"

static struct backend *kernel_open(struct lvsc_err *err)
{
	return (struct backend *)lvsc_open(err);
}

static void kernel_close(struct backend *b)
{
	lvsc_close((struct lvsc *)b);
}

#define H(b) ((struct lvsc *)(b))

static int kernel_svc_add(struct backend *b, const struct lvsc_service *s,
			  struct lvsc_err *err)
{
	return lvsc_service_add(H(b), s, err);
}

static int kernel_svc_edit(struct backend *b, const struct lvsc_service *s,
			   struct lvsc_err *err)
{
	return lvsc_service_edit(H(b), s, err);
}

static int kernel_svc_del(struct backend *b, const struct lvsc_service *s,
			  struct lvsc_err *err)
{
	return lvsc_service_del(H(b), s, err);
}

static int kernel_svc_list(struct backend *b, struct lvsc_service **s,
			   size_t *n, struct lvsc_err *err)
{
	return lvsc_service_list(H(b), s, n, err);
}

static int kernel_flush(struct backend *b, struct lvsc_err *err)
{
	return lvsc_flush(H(b), err);
}

static int kernel_dest_add(struct backend *b, const struct lvsc_service *s,
			   const struct lvsc_dest *d, struct lvsc_err *err)
{
	return lvsc_dest_add(H(b), s, d, err);
}

static int kernel_dest_edit(struct backend *b, const struct lvsc_service *s,
			    const struct lvsc_dest *d, struct lvsc_err *err)
{
	return lvsc_dest_edit(H(b), s, d, err);
}

static int kernel_dest_del(struct backend *b, const struct lvsc_service *s,
			   const struct lvsc_dest *d, struct lvsc_err *err)
{
	return lvsc_dest_del(H(b), s, d, err);
}

static int kernel_dest_list(struct backend *b, const struct lvsc_service *s,
			    struct lvsc_dest **d, size_t *n,
			    struct lvsc_err *err)
{
	return lvsc_dest_list(H(b), s, d, n, err);
}

static int kernel_config_set(struct backend *b, const struct lvsc_config *c,
			     struct lvsc_err *err)
{
	return lvsc_config_set(H(b), c, err);
}

static const struct backend_ops kernel_backend = {
	.name		= "kernel",
	.open		= kernel_open,
	.close		= kernel_close,
	.svc_add	= kernel_svc_add,
	.svc_edit	= kernel_svc_edit,
	.svc_del	= kernel_svc_del,
	.svc_list	= kernel_svc_list,
	.flush		= kernel_flush,
	.dest_add	= kernel_dest_add,
	.dest_edit	= kernel_dest_edit,
	.dest_del	= kernel_dest_del,
	.dest_list	= kernel_dest_list,
	.config_set	= kernel_config_set,
};

BACKEND_REGISTER(kernel_backend)

static struct backend *bpf_open(struct lvsc_err *err)
{
	return (struct backend *)lvsc_open_datapath("bpf", err);
}

static const struct backend_ops bpf_backend = {
	.name		= "bpf",
	.open		= bpf_open,
	.close		= kernel_close,
	.svc_add	= kernel_svc_add,
	.svc_edit	= kernel_svc_edit,
	.svc_del	= kernel_svc_del,
	.svc_list	= kernel_svc_list,
	.flush		= kernel_flush,
	.dest_add	= kernel_dest_add,
	.dest_edit	= kernel_dest_edit,
	.dest_del	= kernel_dest_del,
	.dest_list	= kernel_dest_list,
	.config_set	= kernel_config_set,
};

BACKEND_REGISTER(bpf_backend)
