/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lvsc_int.h - liblvsc internals shared by its files and its unit tests.
 *
 * The handle talks to the kernel through a small transport (send one
 * buffer, receive one datagram).  The real transport is a libnl generic
 * netlink socket; the unit tests plug in a fake kernel instead, so the
 * request/ack engine, batching and reply parsing run without lvs.ko.
 */
#ifndef _LVSC_INT_H
#define _LVSC_INT_H

#include <stdbool.h>
#include <sys/types.h>

#include <netlink/attr.h>
#include <netlink/msg.h>

#include "lvsc.h"

struct lvsc_transport {
	/* Send len bytes holding one or more netlink messages: 0 or -errno. */
	int	(*send)(void *ctx, const void *buf, size_t len);
	/*
	 * Receive one datagram into buf; with nonblock, return -EAGAIN when
	 * nothing is queued.  Returns its length or -errno.
	 */
	ssize_t	(*recv)(void *ctx, void *buf, size_t len, bool nonblock);
	void	(*close)(void *ctx);
};

/* Requests queued before one send: bounded so that the errors they may
 * provoke fit in the socket's receive buffer. */
#define LVSC_CHUNK_MSGS		256
#define LVSC_CHUNK_BYTES	(48 * 1024)
#define LVSC_RCVBUF		(128 * 1024)

struct lvsc_bpf;

struct lvsc {
	struct lvsc_bpf	*bpf;		/* the eBPF datapath, or NULL */
	const struct lvsc_transport *tp;
	void		*tp_ctx;
	int		family;		/* generic netlink family id */
	uint32_t	seq;		/* last sequence number used */

	/* Queue of change requests not yet sent (always used; outside a
	 * batch it holds one request at a time). */
	char		*qbuf;
	size_t		qlen, qcap;
	size_t		qmsgs;

	/* Batch state. */
	bool		batching;
	uint32_t	batch_seq0;	/* seq of the batch's request #0 */
	size_t		batch_n;	/* requests queued in this batch */
	size_t		batch_failed;	/* requests the kernel refused */
	size_t		batch_first;	/* position of the first refusal */
	struct lvsc_err	batch_err;	/* that refusal */
	bool		batch_lost;	/* the socket overflowed: lost acks */
	lvsc_refusal_fn	batch_fn;	/* lvsc_batch_notify() */
	void		*batch_arg;

	char		*rbuf;		/* receive buffer, LVSC_RCVBUF bytes */
};

/* Open a handle over any transport (the tests' entry point). */
struct lvsc *lvsc_open_transport(const struct lvsc_transport *tp, void *ctx,
				 int family, struct lvsc_err *err);

/* Errors. */
int lvsc_set_err(struct lvsc_err *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Text for a kernel refusal of cmd without an extack message. */
const char *lvsc_strerror(uint8_t cmd, int code);

/* Message building (msg.c).  "full" adds every settable attribute to the
 * identity attributes. */
struct nl_msg *lvsc_msg_new(int family, uint8_t cmd, int flags);
int lvsc_put_service(struct nl_msg *m, const struct lvsc_service *svc,
		     bool full);
int lvsc_put_dest(struct nl_msg *m, const struct lvsc_dest *dest,
		  uint16_t svc_af, bool full);
int lvsc_put_config(struct nl_msg *m, const struct lvsc_config *cfg);
int lvsc_put_daemon(struct nl_msg *m, const struct lvsc_daemon *d);

/* Reply parsing (msg.c): 0 or -EINVAL for a malformed nest.  Attribute
 * types above the known max are skipped. */
int lvsc_parse_service(const struct nlattr *nest, struct lvsc_service *svc);
int lvsc_parse_dest(const struct nlattr *nest, uint16_t svc_af,
		    struct lvsc_dest *dest);
int lvsc_parse_conn(const struct nlattr *nest, struct lvsc_conn *conn);
int lvsc_parse_config(const struct nlattr *nest, struct lvsc_config *cfg);
int lvsc_parse_info(const struct nlattr *nest, struct lvsc_info *info);
int lvsc_parse_daemon(const struct nlattr *nest, struct lvsc_daemon *d);
/* Top-level attributes of a genl message payload, tb[LVS_ATTR_MAX + 1]. */
int lvsc_parse_top(const struct nlmsghdr *nlh, struct nlattr **tb);

/* Request engine (nl.c). */
typedef int (*lvsc_reply_cb)(const struct nlmsghdr *nlh, void *arg);
/* Queue a change request; outside a batch, send it and wait for its ack. */
int lvsc_change(struct lvsc *h, struct nl_msg *m, struct lvsc_err *err);
/* Send a GET (doit, or dump when dump) and feed each reply to cb. */
int lvsc_get(struct lvsc *h, struct nl_msg *m, bool dump, lvsc_reply_cb cb,
	     void *arg, struct lvsc_err *err);

#endif /* _LVSC_INT_H */
