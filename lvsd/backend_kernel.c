// SPDX-License-Identifier: GPL-2.0
/*
 * backend_kernel.c - the datapaths behind liblvsc: "kernel" (the lvs
 * module, or the eBPF datapath where the module is not loaded, as
 * lvsc_open() chooses) and "bpf" (the eBPF datapath, docs/bpf.md).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "backend.h"
#include "daemon.h"
#include "loop.h"

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

/* ---- new interfaces for the eBPF datapath ---- */

static struct lio *link_io;
static int link_fd = -1;

static void on_link(struct lio *io, int fd, int events, void *arg)
{
	struct lvsc_err err = { 0 };
	bool added = false;
	char buf[8192];
	ssize_t n;

	while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
		struct nlmsghdr *h = (struct nlmsghdr *)buf;
		int len = (int)n;

		for (; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len))
			if (h->nlmsg_type == RTM_NEWLINK)
				added = true;
	}
	if (added && lvsc_attach_new(H(arg), &err))
		lvsd_log("bpf datapath: cannot serve a new interface: %s",
			 err.msg[0] ? err.msg : strerror(-err.code));
}

int backend_watch_links(const struct backend_ops *ops, struct backend *b)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK,
				  .nl_groups = RTMGRP_LINK };

	if ((ops != &kernel_backend && ops != &bpf_backend) ||
	    strcmp(lvsc_datapath(H(b)), "bpf"))
		return 0;
	link_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			 NETLINK_ROUTE);
	if (link_fd < 0)
		return -errno;
	if (bind(link_fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int e = -errno;

		close(link_fd);
		link_fd = -1;
		return e;
	}
	link_io = lio_new(link_fd, LOOP_READ, on_link, b);
	if (!link_io) {
		close(link_fd);
		link_fd = -1;
		return -ENOMEM;
	}
	return 0;
}

void backend_unwatch_links(void)
{
	if (link_io)
		lio_free(link_io);
	link_io = NULL;
	if (link_fd >= 0)
		close(link_fd);
	link_fd = -1;
}
