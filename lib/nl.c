// SPDX-License-Identifier: GPL-2.0
/*
 * nl.c - the request engine: queue, send, collect acks and replies.
 *
 * Change requests go through one queue.  Outside a batch the queue holds
 * a single request sent with NLM_F_ACK.  In a batch, requests are
 * concatenated (netlink processes every message of a datagram in order)
 * and sent without NLM_F_ACK, so the kernel answers only refusals; the
 * last request of lvsc_batch_end() carries NLM_F_ACK and its ack is the
 * end marker.  Sequence numbers map a refusal back to its position.
 * A chunk is at most LVSC_CHUNK_MSGS requests, and refusals are drained
 * after each send, so they never overflow the receive buffer.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>

#include "lvsc_int.h"
#include "lvsc_bpf.h"

int lvsc_set_err(struct lvsc_err *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err) {
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
}

static const struct {
	uint8_t		cmd;		/* 0: any command */
	int		code;
	const char	*msg;
} err_table[] = {
	{ LVS_CMD_NEW_SERVICE, -EEXIST, "Service already exists" },
	{ LVS_CMD_NEW_SERVICE, -ENOENT, "Scheduler not found" },
	{ LVS_CMD_SET_SERVICE, -ESRCH, "No such service" },
	{ LVS_CMD_SET_SERVICE, -ENOENT, "Scheduler not found" },
	{ LVS_CMD_DEL_SERVICE, -ESRCH, "No such service" },
	{ LVS_CMD_GET_SERVICE, -ESRCH, "No such service" },
	{ LVS_CMD_ZERO, -ESRCH, "No such service" },
	{ LVS_CMD_GET_DEST, -ESRCH, "No such service" },
	{ LVS_CMD_NEW_DEST, -ESRCH, "Service not defined" },
	{ LVS_CMD_NEW_DEST, -EEXIST, "Destination already exists" },
	{ LVS_CMD_SET_DEST, -ESRCH, "Service not defined" },
	{ LVS_CMD_SET_DEST, -ENOENT, "No such destination" },
	{ LVS_CMD_DEL_DEST, -ESRCH, "Service not defined" },
	{ LVS_CMD_DEL_DEST, -ENOENT, "No such destination" },
	{ 0, -EPERM, "Permission denied (you must be root)" },
	{ 0, -EINVAL, "Invalid operation" },
	{ 0, -ENOMEM, "Memory allocation problem" },
	{ 0, -EOPNOTSUPP, "Operation not supported" },
	{ 0, -EAFNOSUPPORT,
	  "Operation not supported with specified address family" },
};

/* The table's text for cmd and code; with specific, only an entry made
 * for that command. */
static const char *table_text(uint8_t cmd, int code, bool specific)
{
	size_t i;

	for (i = 0; i < sizeof(err_table) / sizeof(err_table[0]); i++)
		if ((err_table[i].cmd == cmd ||
		     (!specific && !err_table[i].cmd)) &&
		    err_table[i].code == code)
			return err_table[i].msg;
	return NULL;
}

const char *lvsc_strerror(uint8_t cmd, int code)
{
	const char *t = table_text(cmd, code, false);

	return t ? t : strerror(-code);
}

struct lvsc *lvsc_open_transport(const struct lvsc_transport *tp, void *ctx,
				 int family, struct lvsc_err *err)
{
	struct lvsc *h = calloc(1, sizeof(*h));

	if (!h || !(h->rbuf = malloc(LVSC_RCVBUF))) {
		free(h);
		lvsc_set_err(err, -ENOMEM, "out of memory");
		return NULL;
	}
	h->tp = tp;
	h->tp_ctx = ctx;
	h->family = family;
	h->seq = 1;
	return h;
}

void lvsc_close(struct lvsc *h)
{
	if (!h)
		return;
	lvsc_bpf_close(h->bpf);
	if (h->tp && h->tp->close)
		h->tp->close(h->tp_ctx);
	free(h->qbuf);
	free(h->rbuf);
	free(h);
}

/*
 * The error carried by an NLMSG_ERROR message: code plus the extack
 * message when the kernel attached one.  Returns the (negative) code,
 * 0 for an ack.
 */
static int read_nlerr(const struct nlmsghdr *nlh, uint8_t cmd,
		      struct lvsc_err *err)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	size_t off, plen = nlh->nlmsg_len - NLMSG_HDRLEN;
	const struct nlattr *a;
	const char *msg = NULL;

	if (plen < sizeof(*e))
		return lvsc_set_err(err, -EBADMSG, "truncated netlink error");
	if (!e->error)
		return 0;
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		off = sizeof(*e);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += NLMSG_ALIGN(e->msg.nlmsg_len) -
			       sizeof(e->msg);
		while (off + sizeof(*a) <= plen) {
			a = (const void *)((const char *)e + off);
			if (a->nla_len < sizeof(*a) || off + a->nla_len > plen)
				break;
			if ((a->nla_type & NLA_TYPE_MASK) ==
			    NLMSGERR_ATTR_MSG &&
			    a->nla_len > sizeof(*a) &&
			    memchr((const char *)a + NLA_HDRLEN, 0,
				   a->nla_len - NLA_HDRLEN))
				msg = (const char *)a + NLA_HDRLEN;
			off += NLA_ALIGN(a->nla_len);
		}
	}
	/*
	 * The errors every ipvsadm user knows ("Service already exists")
	 * keep ipvsadm's words; for the others the kernel's reason is the
	 * useful part.
	 */
	if (msg && *msg && !table_text(cmd, e->error, true))
		return lvsc_set_err(err, e->error, "%s", msg);
	return lvsc_set_err(err, e->error, "%s", lvsc_strerror(cmd, e->error));
}

/* The command of a queued request, found by its sequence number, so a
 * refusal can be explained without keeping a table of requests. */
static uint8_t queued_cmd(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = NLMSG_DATA(nlh);
	const struct genlmsghdr *g;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(*e) + GENL_HDRLEN ||
	    (nlh->nlmsg_flags & NLM_F_CAPPED))
		return 0;
	g = (const void *)(e + 1);
	return g->cmd;
}

/* A dump that failed part way reports its error in NLMSG_DONE. */
static int done_err(const struct nlmsghdr *nlh)
{
	int code;

	if (nlh->nlmsg_len < NLMSG_HDRLEN + sizeof(code))
		return 0;
	memcpy(&code, NLMSG_DATA(nlh), sizeof(code));
	return code < 0 ? code : 0;
}

/*
 * Receive and process datagrams until the message with sequence number
 * "until" was answered (ack or error, or NLMSG_DONE for a dump), or, when
 * nonblock, until nothing is queued.  Refusals of batched requests are
 * recorded in the handle; other replies go to cb.
 */
static int pump(struct lvsc *h, uint32_t until, bool nonblock,
		lvsc_reply_cb cb, void *arg, uint8_t cmd, struct lvsc_err *err)
{
	int result = 0;

	for (;;) {
		ssize_t n = h->tp->recv(h->tp_ctx, h->rbuf, LVSC_RCVBUF,
					nonblock);
		const struct nlmsghdr *nlh;
		size_t len;

		if (n == -EAGAIN && nonblock)
			return 0;
		if (n == -ENOBUFS) {
			/* The kernel dropped answers: the sequence is lost
			 * for this batch, but what follows still arrives. */
			h->batch_lost = true;
			continue;
		}
		if (n < 0)
			return lvsc_set_err(err, (int)n, "netlink receive: %s",
					    strerror((int)-n));
		len = n;
		for (nlh = (const void *)h->rbuf; NLMSG_OK(nlh, len);
		     nlh = NLMSG_NEXT(nlh, len)) {
			bool last = nlh->nlmsg_seq == until;
			struct lvsc_err e;
			int rc;

			if (nlh->nlmsg_type == NLMSG_ERROR) {
				uint8_t c = queued_cmd(nlh);

				rc = read_nlerr(nlh, c ? c : cmd, &e);
				if (rc && h->batching &&
				    nlh->nlmsg_seq - h->batch_seq0 <
				    h->batch_n) {
					size_t pos = nlh->nlmsg_seq -
						     h->batch_seq0;

					if (!h->batch_failed++ ||
					    pos < h->batch_first) {
						h->batch_first = pos;
						h->batch_err = e;
					}
					if (h->batch_fn)
						h->batch_fn(h->batch_arg, pos,
							    &e);
				} else if (rc && last && !result) {
					result = rc;
					if (err)
						*err = e;
				}
				if (last)
					return result;
				continue;
			}
			if (nlh->nlmsg_type == NLMSG_DONE) {
				if (!last)
					continue;
				rc = done_err(nlh);
				if (rc && !result)
					result = lvsc_set_err(err, rc, "%s",
						lvsc_strerror(cmd, rc));
				return result;
			}
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE || !last || !cb)
				continue;
			if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
				result = lvsc_set_err(err, -EINTR,
					"table changed during the dump");
			if (!result) {
				rc = cb(nlh, arg);
				if (rc)
					result = lvsc_set_err(err, rc,
						"malformed reply from the kernel");
			}
		}
	}
}

/* Send the queue, as one datagram. */
static int flush_queue(struct lvsc *h, struct lvsc_err *err)
{
	int rc;

	if (!h->qlen)
		return 0;
	rc = h->tp->send(h->tp_ctx, h->qbuf, h->qlen);
	h->qlen = 0;
	h->qmsgs = 0;
	if (rc)
		return lvsc_set_err(err, rc, "netlink send: %s",
				    strerror(-rc));
	return 0;
}

/* Append m to the queue with the next sequence number. */
static int enqueue(struct lvsc *h, struct nl_msg *m, int extra_flags,
		   struct lvsc_err *err)
{
	struct nlmsghdr *nlh = nlmsg_hdr(m);
	size_t len = NLMSG_ALIGN(nlh->nlmsg_len);

	if (h->qlen + len > h->qcap) {
		size_t cap = h->qcap ? h->qcap : LVSC_CHUNK_BYTES;
		char *p;

		while (cap < h->qlen + len)
			cap *= 2;
		p = realloc(h->qbuf, cap);
		if (!p)
			return lvsc_set_err(err, -ENOMEM, "out of memory");
		h->qbuf = p;
		h->qcap = cap;
	}
	nlh->nlmsg_seq = ++h->seq;
	nlh->nlmsg_pid = 0;
	nlh->nlmsg_flags |= NLM_F_REQUEST | extra_flags;
	memcpy(h->qbuf + h->qlen, nlh, nlh->nlmsg_len);
	memset(h->qbuf + h->qlen + nlh->nlmsg_len, 0, len - nlh->nlmsg_len);
	h->qlen += len;
	h->qmsgs++;
	return 0;
}

static uint8_t msg_cmd(struct nl_msg *m)
{
	return ((struct genlmsghdr *)nlmsg_data(nlmsg_hdr(m)))->cmd;
}

int lvsc_change(struct lvsc *h, struct nl_msg *m, struct lvsc_err *err)
{
	uint8_t cmd = msg_cmd(m);
	int rc;

	if (!h->batching) {
		rc = enqueue(h, m, NLM_F_ACK, err);
		nlmsg_free(m);
		if (rc)
			return rc;
		rc = flush_queue(h, err);
		if (rc)
			return rc;
		return pump(h, h->seq, false, NULL, NULL, cmd, err);
	}
	if (h->qmsgs >= LVSC_CHUNK_MSGS ||
	    h->qlen + nlmsg_hdr(m)->nlmsg_len > LVSC_CHUNK_BYTES) {
		rc = flush_queue(h, err);
		if (!rc)
			rc = pump(h, 0, true, NULL, NULL, 0, err);
		if (rc) {
			nlmsg_free(m);
			return rc;
		}
	}
	rc = enqueue(h, m, 0, err);
	nlmsg_free(m);
	if (rc)
		return rc;
	h->batch_n++;
	return 0;
}

int lvsc_get(struct lvsc *h, struct nl_msg *m, bool dump, lvsc_reply_cb cb,
	     void *arg, struct lvsc_err *err)
{
	uint8_t cmd = msg_cmd(m);
	int rc;

	if (h->batching) {
		nlmsg_free(m);
		return lvsc_set_err(err, -EBUSY,
				    "cannot read while a batch is open");
	}
	rc = enqueue(h, m, dump ? NLM_F_DUMP : NLM_F_ACK, err);
	nlmsg_free(m);
	if (rc)
		return rc;
	rc = flush_queue(h, err);
	if (rc)
		return rc;
	return pump(h, h->seq, false, cb, arg, cmd, err);
}

int lvsc_batch_begin(struct lvsc *h, struct lvsc_err *err)
{
	if (h->batching)
		return lvsc_set_err(err, -EBUSY, "a batch is already open");
	h->batching = true;
	h->batch_seq0 = h->seq + 1;
	h->batch_n = 0;
	h->batch_failed = 0;
	h->batch_first = 0;
	h->batch_lost = false;
	h->batch_fn = NULL;
	memset(&h->batch_err, 0, sizeof(h->batch_err));
	return 0;
}

void lvsc_batch_notify(struct lvsc *h, lvsc_refusal_fn fn, void *arg)
{
	h->batch_fn = fn;
	h->batch_arg = arg;
}

/*
 * The end marker: an empty GET_INFO would do, but any request costs the
 * kernel work; instead the last queued request is re-flagged NLM_F_ACK.
 * With nothing queued, GET_INFO serves as a harmless barrier.
 */
static int mark_last(struct lvsc *h, struct lvsc_err *err)
{
	struct nlmsghdr *nlh, *last = NULL;
	size_t len = h->qlen;
	struct nl_msg *m;

	for (nlh = (void *)h->qbuf; NLMSG_OK(nlh, len);
	     nlh = NLMSG_NEXT(nlh, len))
		last = nlh;
	if (last) {
		last->nlmsg_flags |= NLM_F_ACK;
		return 0;
	}
	m = lvsc_msg_new(h->family, LVS_CMD_GET_INFO, 0);
	if (!m)
		return lvsc_set_err(err, -ENOMEM, "out of memory");
	len = enqueue(h, m, NLM_F_ACK, err);
	nlmsg_free(m);
	return (int)len;
}

int lvsc_batch_end(struct lvsc *h, size_t *failed_at, size_t *nfailed,
		   struct lvsc_err *err)
{
	int rc;

	if (!h->batching)
		return lvsc_set_err(err, -EINVAL, "no batch is open");
	/* The bpf backend applied each request when it was queued. */
	rc = h->bpf ? 0 : mark_last(h, err);
	if (!rc && !h->bpf)
		rc = flush_queue(h, err);
	if (!rc && !h->bpf)
		rc = pump(h, h->seq, false, NULL, NULL, 0, err);
	h->batching = false;
	h->batch_fn = NULL;
	if (failed_at)
		*failed_at = h->batch_first;
	if (nfailed)
		*nfailed = h->batch_failed;
	if (rc)
		return rc;
	if (h->batch_failed) {
		if (err)
			*err = h->batch_err;
		return h->batch_err.code;
	}
	if (h->batch_lost)
		return lvsc_set_err(err, -ENOBUFS,
				    "answers to the batch were lost");
	return 0;
}
