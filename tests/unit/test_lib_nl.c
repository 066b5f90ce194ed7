// SPDX-License-Identifier: GPL-2.0
/*
 * test_lib_nl.c - liblvsc against a fake kernel.
 *
 * The fake transport parses each request the library sends, keeps a tiny
 * service table, and answers like the generic netlink core does: acks
 * only when asked (NLM_F_ACK) or on a refusal, extended ack messages,
 * dumps as NLM_F_MULTI datagrams closed by NLMSG_DONE.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/genetlink.h>
#include <cmocka.h>

#include <netlink/genl/genl.h>

#include "lvsc_int.h"

#define FAMILY		0x42
#define MAX_SVC		4096
#define MAX_DGRAMS	4096

struct fake {
	struct lvsc_service	svc[MAX_SVC];
	size_t			nsvc;
	size_t			ndests;
	size_t			nsends;		/* send() calls */
	size_t			nreqs;		/* requests seen */
	size_t			nacked;		/* requests that asked an ack */
	bool			capped;		/* cap echoed requests */
	const char		*extack;	/* message for refusals */
	int			dump_err;	/* NLMSG_DONE carries this */
	int			force_err;	/* refuse every request */
	bool			enobufs_once;	/* one receive overflows */
	bool			dump_intr;	/* dumps flag NLM_F_DUMP_INTR */
	bool			odd_attr;	/* add unknown attributes */
	struct lvsc_dest	last_dest;
	struct lvsc_config	last_cfg;
	uint8_t			last_port_raw[2];
	/* Queued datagrams. */
	char			*dgram[MAX_DGRAMS];
	size_t			dlen[MAX_DGRAMS];
	size_t			head, tail;
};

static struct fake *fk;

static void queue_dgram(const void *buf, size_t len)
{
	char *p = malloc(len);

	assert_non_null(p);
	assert_true(fk->tail < MAX_DGRAMS);
	memcpy(p, buf, len);
	fk->dgram[fk->tail] = p;
	fk->dlen[fk->tail++] = len;
}

static void reply_err(const struct nlmsghdr *req, int code)
{
	char buf[8192];
	struct nlmsghdr *nlh = (void *)buf;
	struct nlmsgerr *e;
	size_t len = NLMSG_HDRLEN + sizeof(*e);

	memset(buf, 0, sizeof(buf));
	e = NLMSG_DATA(nlh);
	e->error = code;
	memcpy(&e->msg, req, sizeof(*req));
	nlh->nlmsg_type = NLMSG_ERROR;
	nlh->nlmsg_seq = req->nlmsg_seq;
	if (code && !fk->capped) {
		memcpy(&e->msg, req, req->nlmsg_len);
		len += NLMSG_ALIGN(req->nlmsg_len) - sizeof(*req);
	} else if (code) {
		nlh->nlmsg_flags |= NLM_F_CAPPED;
	}
	if (code && fk->extack) {
		struct nlattr *a = (void *)(buf + len);
		size_t sl = strlen(fk->extack) + 1;

		a->nla_type = NLMSGERR_ATTR_MSG;
		a->nla_len = NLA_HDRLEN + sl;
		memcpy((char *)a + NLA_HDRLEN, fk->extack, sl);
		len += NLA_ALIGN(a->nla_len);
		nlh->nlmsg_flags |= NLM_F_ACK_TLVS;
	}
	nlh->nlmsg_len = len;
	queue_dgram(buf, len);
}

static int find_svc(const struct lvsc_service *s)
{
	size_t i;

	for (i = 0; i < fk->nsvc; i++) {
		const struct lvsc_service *t = &fk->svc[i];

		if (t->af == s->af && t->fwmark == s->fwmark &&
		    t->protocol == s->protocol && t->port == s->port &&
		    !memcmp(&t->addr, &s->addr, sizeof(t->addr)))
			return i;
	}
	return -1;
}

/* Copy one libnl message into a datagram under construction. */
static size_t append(char *buf, size_t off, struct nl_msg *m, uint32_t seq,
		     int flags)
{
	struct nlmsghdr *nlh = nlmsg_hdr(m);

	nlh->nlmsg_seq = seq;
	nlh->nlmsg_flags |= flags;
	memcpy(buf + off, nlh, nlh->nlmsg_len);
	off += NLMSG_ALIGN(nlh->nlmsg_len);
	nlmsg_free(m);
	return off;
}

static void dump_services(const struct nlmsghdr *req)
{
	static char buf[65536];
	struct nlmsghdr *done;
	size_t off = 0, i;

	for (i = 0; i < fk->nsvc; i++) {
		struct nl_msg *m = lvsc_msg_new(FAMILY, LVS_CMD_GET_SERVICE,
						0);
		struct lvsc_service s = fk->svc[i];
		struct nlattr *nest;

		if (fk->odd_attr)
			nla_put_u32(m, LVS_ATTR_MAX + 7, 1234);
		nest = nla_nest_start(m, LVS_ATTR_SERVICE);
		/* Rebuild the nest by hand to add stats and extras. */
		nla_put_u16(m, LVS_SVC_ATTR_AF, s.af);
		nla_put_u16(m, LVS_SVC_ATTR_PROTOCOL, s.protocol);
		nla_put(m, LVS_SVC_ATTR_ADDR, s.af == AF_INET ? 4 : 16,
			&s.addr);
		nla_put_u16(m, LVS_SVC_ATTR_PORT, htons(s.port));
		nla_put_string(m, LVS_SVC_ATTR_SCHED_NAME, s.sched);
		nla_put_u32(m, LVS_SVC_ATTR_TIMEOUT, s.timeout);
		nla_put_u32(m, LVS_SVC_ATTR_NUM_DESTS, 3);
		if (fk->odd_attr) {
			struct nlattr *st = nla_nest_start(m,
						LVS_SVC_ATTR_STATS);

			nla_put_u64(m, LVS_STATS_ATTR_CONNS, 5000000000ULL);
			nla_put_u32(m, LVS_STATS_ATTR_INPKTS, 77);
			nla_put_u64(m, LVS_STATS_ATTR_MAX + 3, 1);
			nla_nest_end(m, st);
			nla_put_u32(m, LVS_SVC_ATTR_MAX + 1, 99);
		}
		nla_nest_end(m, nest);
		off = append(buf, off, m, req->nlmsg_seq, NLM_F_MULTI |
			     (fk->dump_intr ? NLM_F_DUMP_INTR : 0));
		if (off > sizeof(buf) - 4096) {
			queue_dgram(buf, off);
			off = 0;
		}
	}
	done = (void *)(buf + off);
	memset(done, 0, NLMSG_HDRLEN + 4);
	done->nlmsg_type = NLMSG_DONE;
	done->nlmsg_len = NLMSG_HDRLEN + 4;
	done->nlmsg_flags = NLM_F_MULTI;
	done->nlmsg_seq = req->nlmsg_seq;
	memcpy(NLMSG_DATA(done), &fk->dump_err, 4);
	off += NLMSG_HDRLEN + 4;
	queue_dgram(buf, off);
}

static void reply_info(const struct nlmsghdr *req)
{
	char buf[1024];
	struct nl_msg *m = lvsc_msg_new(FAMILY, LVS_CMD_GET_INFO, 0);
	struct nlattr *nest = nla_nest_start(m, LVS_ATTR_INFO);

	nla_put_u32(m, LVS_INFO_ATTR_VERSION, LVS_VERSION_CODE);
	nla_put_u32(m, LVS_INFO_ATTR_CONN_TAB_SIZE, 4096);
	nla_put_u64(m, LVS_INFO_ATTR_CONN_DROPPED, 1ULL << 40);
	nla_put_u32(m, LVS_INFO_ATTR_MAX + 2, 5);
	nla_nest_end(m, nest);
	queue_dgram(buf, append(buf, 0, m, req->nlmsg_seq, 0));
}

/* Apply one request; returns 0 or the refusal. */
static int fake_apply(struct nlmsghdr *req)
{
	struct genlmsghdr *g = nlmsg_data(req);
	struct nlattr *tb[LVS_ATTR_MAX + 1];
	struct lvsc_service s;
	int i;

	assert_int_equal(req->nlmsg_type, FAMILY);
	assert_true(req->nlmsg_flags & NLM_F_REQUEST);
	assert_int_equal(g->version, LVS_GENL_VERSION);
	assert_int_equal(lvsc_parse_top(req, tb), 0);
	if (fk->force_err)
		return fk->force_err;
	if (tb[LVS_ATTR_SERVICE])
		assert_int_equal(lvsc_parse_service(tb[LVS_ATTR_SERVICE], &s),
				 0);
	switch (g->cmd) {
	case LVS_CMD_NEW_SERVICE:
		if (find_svc(&s) >= 0)
			return -EEXIST;
		fk->svc[fk->nsvc++] = s;
		return 0;
	case LVS_CMD_DEL_SERVICE:
		i = find_svc(&s);
		if (i < 0)
			return -ESRCH;
		fk->svc[i] = fk->svc[--fk->nsvc];
		return 0;
	case LVS_CMD_NEW_DEST:
		if (find_svc(&s) < 0)
			return -ESRCH;
		assert_non_null(tb[LVS_ATTR_DEST]);
		{
			struct nlattr *d[LVS_DEST_ATTR_MAX + 1];

			nla_parse_nested(d, LVS_DEST_ATTR_MAX,
					 tb[LVS_ATTR_DEST], NULL);
			memcpy(fk->last_port_raw,
			       nla_data(d[LVS_DEST_ATTR_PORT]), 2);
		}
		assert_int_equal(lvsc_parse_dest(tb[LVS_ATTR_DEST], s.af,
						 &fk->last_dest), 0);
		fk->ndests++;
		return 0;
	case LVS_CMD_SET_CONFIG:
		assert_int_equal(lvsc_parse_config(tb[LVS_ATTR_CONFIG],
						   &fk->last_cfg), 0);
		return 0;
	case LVS_CMD_FLUSH:
		fk->nsvc = 0;
		return 0;
	case LVS_CMD_GET_INFO:
		reply_info(req);
		return 0;
	case LVS_CMD_GET_SERVICE:
		if (req->nlmsg_flags & NLM_F_DUMP) {
			dump_services(req);
			return 0;
		}
		return -ESRCH;
	default:
		return -EOPNOTSUPP;
	}
}

static int fake_send(void *ctx, const void *buf, size_t len)
{
	struct nlmsghdr *nlh;
	char *copy = malloc(len);

	assert_non_null(copy);
	memcpy(copy, buf, len);
	fk->nsends++;
	for (nlh = (void *)copy; NLMSG_OK(nlh, len);
	     nlh = NLMSG_NEXT(nlh, len)) {
		int rc = fake_apply(nlh);
		bool dump = nlh->nlmsg_flags & NLM_F_DUMP;

		fk->nreqs++;
		if (nlh->nlmsg_flags & NLM_F_ACK)
			fk->nacked++;
		if (rc || ((nlh->nlmsg_flags & NLM_F_ACK) && !dump))
			reply_err(nlh, rc);
	}
	assert_int_equal(len, 0);
	free(copy);
	return 0;
}

static ssize_t fake_recv(void *ctx, void *buf, size_t len, bool nonblock)
{
	size_t n;

	if (fk->enobufs_once && !nonblock) {
		fk->enobufs_once = false;
		return -ENOBUFS;
	}
	if (fk->head == fk->tail)
		return nonblock ? -EAGAIN : -EIO;
	n = fk->dlen[fk->head];
	assert_true(n <= len);
	memcpy(buf, fk->dgram[fk->head], n);
	free(fk->dgram[fk->head++]);
	return n;
}

static const struct lvsc_transport fake_tp = {
	.send = fake_send,
	.recv = fake_recv,
};

static int setup(void **state)
{
	struct lvsc_err err;

	fk = calloc(1, sizeof(*fk));
	*state = lvsc_open_transport(&fake_tp, fk, FAMILY, &err);
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	lvsc_close(*state);
	while (fk->head < fk->tail)
		free(fk->dgram[fk->head++]);
	free(fk);
	return 0;
}

static struct lvsc_service tcp_svc(uint32_t ip, uint16_t port)
{
	struct lvsc_service s = {
		.af = AF_INET, .protocol = IPPROTO_TCP, .port = port,
		.sched = "wlc",
	};

	s.addr.in.s_addr = htonl(ip);
	return s;
}

static void test_add_ack(void **state)
{
	struct lvsc_service s = tcp_svc(0x0a000001, 80);
	struct lvsc_err err = { 0 };

	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	assert_int_equal(fk->nsvc, 1);
	assert_int_equal(fk->svc[0].port, 80);
	assert_string_equal(fk->svc[0].sched, "wlc");
	assert_int_equal(fk->nacked, 1);
	assert_int_equal(fk->head, fk->tail);	/* ack consumed */
}

static void test_refusal_plain(void **state)
{
	struct lvsc_service s = tcp_svc(0x0a000001, 80);
	struct lvsc_err err = { 0 };

	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	assert_int_equal(lvsc_service_add(*state, &s, &err), -EEXIST);
	assert_int_equal(err.code, -EEXIST);
	assert_string_equal(err.msg, "Service already exists");
	assert_int_equal(lvsc_service_del(*state, &s, &err), 0);
	assert_int_equal(lvsc_service_del(*state, &s, &err), -ESRCH);
	assert_string_equal(err.msg, "No such service");
}

static void test_refusal_extack(void **state)
{
	struct lvsc_service s = tcp_svc(0x0a000001, 80);
	struct lvsc_err err = { 0 };

	fk->extack = "only IPIP tunnels are implemented";
	fk->force_err = -EOPNOTSUPP;
	assert_int_equal(lvsc_service_del(*state, &s, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "only IPIP tunnels are implemented");
	fk->capped = true;
	memset(&err, 0, sizeof(err));
	assert_int_equal(lvsc_service_del(*state, &s, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "only IPIP tunnels are implemented");
}

/* Errors with an ipvsadm wording keep it, extack or not. */
static void test_refusal_known_wording(void **state)
{
	struct lvsc_service s = tcp_svc(0x0a000001, 80);
	struct lvsc_err err = { 0 };

	fk->extack = "no such service";
	assert_int_equal(lvsc_service_del(*state, &s, &err), -ESRCH);
	assert_string_equal(err.msg, "No such service");
	fk->force_err = -EINVAL;
	fk->extack = "lower threshold above upper threshold";
	assert_int_equal(lvsc_service_del(*state, &s, &err), -EINVAL);
	assert_string_equal(err.msg, "lower threshold above upper threshold");
	fk->extack = NULL;
	assert_int_equal(lvsc_service_del(*state, &s, &err), -EINVAL);
	assert_string_equal(err.msg, "Invalid operation");
}

static void test_dest_encoding(void **state)
{
	struct lvsc_service s = tcp_svc(0x0a000001, 80);
	struct lvsc_dest d = {
		.port = 8080, .fwd = LVS_FWD_TUNNEL, .weight = 3,
		.u_threshold = 100, .l_threshold = 50,
		.tun_type = LVS_TUN_GUE, .tun_port = 6080,
		.tun_flags = LVS_TUN_F_CSUM,
	};
	struct lvsc_err err = { 0 };

	inet_pton(AF_INET, "192.168.1.10", &d.addr.in);
	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	assert_int_equal(lvsc_dest_add(*state, &s, &d, &err), 0);
	/* Ports travel in network byte order. */
	assert_int_equal(fk->last_port_raw[0], 8080 >> 8);
	assert_int_equal(fk->last_port_raw[1], 8080 & 0xff);
	assert_int_equal(fk->last_dest.af, AF_INET);
	assert_int_equal(fk->last_dest.port, 8080);
	assert_int_equal(fk->last_dest.weight, 3);
	assert_int_equal(fk->last_dest.u_threshold, 100);
	assert_int_equal(fk->last_dest.l_threshold, 50);
	assert_int_equal(fk->last_dest.fwd, LVS_FWD_TUNNEL);
	assert_int_equal(fk->last_dest.tun_type, LVS_TUN_GUE);
	assert_int_equal(fk->last_dest.tun_port, 6080);
	assert_int_equal(fk->last_dest.tun_flags, LVS_TUN_F_CSUM);
	assert_memory_equal(&fk->last_dest.addr.in, &d.addr.in, 4);
}

static void test_dest_no_service(void **state)
{
	struct lvsc_service s = tcp_svc(0x0a000001, 80);
	struct lvsc_dest d = { .port = 80, .fwd = LVS_FWD_DROUTE };
	struct lvsc_err err = { 0 };

	assert_int_equal(lvsc_dest_add(*state, &s, &d, &err), -ESRCH);
	assert_string_equal(err.msg, "Service not defined");
}

static void test_bad_family(void **state)
{
	struct lvsc_service s = tcp_svc(0x0a000001, 80);
	struct lvsc_err err = { 0 };

	s.af = AF_UNIX;
	assert_int_equal(lvsc_service_add(*state, &s, &err), -EAFNOSUPPORT);
	assert_int_equal(fk->nsends, 0);
}

static void test_config(void **state)
{
	struct lvsc_config c = { .tcp = 900, .udp = 300 };
	struct lvsc_err err = { 0 };

	c.tcp_state[LVS_TCP_S_TIME_WAIT] = 60;
	assert_int_equal(lvsc_config_set(*state, &c, &err), 0);
	assert_int_equal(fk->last_cfg.tcp, 900);
	assert_int_equal(fk->last_cfg.tcp_fin, 0);
	assert_int_equal(fk->last_cfg.udp, 300);
	assert_int_equal(fk->last_cfg.tcp_state[LVS_TCP_S_TIME_WAIT], 60);
	assert_int_equal(fk->last_cfg.tcp_state[LVS_TCP_S_CLOSE], 0);
}

static void test_info_forward_compat(void **state)
{
	struct lvsc_info info;
	struct lvsc_err err = { 0 };

	assert_int_equal(lvsc_info(*state, &info, &err), 0);
	assert_int_equal(info.version, LVS_VERSION_CODE);
	assert_int_equal(info.conn_tab_size, 4096);
	assert_true(info.conn_dropped == 1ULL << 40);
}

static void test_list_dump(void **state)
{
	struct lvsc_service *list = NULL, s;
	struct lvsc_err err = { 0 };
	size_t n = 0, i;

	for (i = 0; i < 300; i++) {
		s = tcp_svc(0x0a000000 + i, 80);
		assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	}
	fk->odd_attr = true;
	assert_int_equal(lvsc_service_list(*state, &list, &n, &err), 0);
	assert_int_equal(n, 300);
	for (i = 0; i < n; i++) {
		assert_int_equal(ntohl(list[i].addr.in.s_addr),
				 0x0a000000 + i);
		assert_int_equal(list[i].port, 80);
		assert_int_equal(list[i].num_dests, 3);
		assert_true(list[i].stats.conns == 5000000000ULL);
		assert_int_equal(list[i].stats.inpkts, 77);
	}
	free(list);
}

static void test_list_empty_and_done_error(void **state)
{
	struct lvsc_service *list = NULL;
	struct lvsc_err err = { 0 };
	size_t n = 7;

	assert_int_equal(lvsc_service_list(*state, &list, &n, &err), 0);
	assert_int_equal(n, 0);
	free(list);
	fk->dump_err = -ENOMEM;
	assert_int_equal(lvsc_service_list(*state, &list, &n, &err), -ENOMEM);
	assert_string_equal(err.msg, "Memory allocation problem");
}

static void test_batch_pipelined(void **state)
{
	struct lvsc_err err = { 0 };
	size_t at = 99, nf = 99, i;
	struct lvsc_service s;

	assert_int_equal(lvsc_batch_begin(*state, &err), 0);
	for (i = 0; i < 1000; i++) {
		s = tcp_svc(0x0a000000 + i, 80);
		assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	}
	assert_int_equal(lvsc_batch_end(*state, &at, &nf, &err), 0);
	assert_int_equal(nf, 0);
	assert_int_equal(fk->nsvc, 1000);
	/* Many requests per send, one ack for the whole batch. */
	assert_true(fk->nsends <= 1000 / LVSC_CHUNK_MSGS + 1);
	assert_int_equal(fk->nacked, 1);
	assert_int_equal(fk->head, fk->tail);
}

static void test_batch_first_error(void **state)
{
	struct lvsc_err err = { 0 };
	struct lvsc_service s;
	size_t at, nf, i;

	s = tcp_svc(0x0a000000 + 700, 80);
	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	s = tcp_svc(0x0a000000 + 300, 80);
	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	assert_int_equal(lvsc_batch_begin(*state, &err), 0);
	assert_int_equal(lvsc_batch_begin(*state, &err), -EBUSY);
	assert_int_equal(lvsc_info(*state, &(struct lvsc_info){ 0 }, &err),
			 -EBUSY);
	for (i = 0; i < 1000; i++) {
		s = tcp_svc(0x0a000000 + i, 80);
		assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	}
	/* The last one fails too: its ack is the end marker. */
	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	memset(&err, 0, sizeof(err));
	assert_int_equal(lvsc_batch_end(*state, &at, &nf, &err), -EEXIST);
	assert_int_equal(at, 300);
	assert_int_equal(nf, 3);
	assert_string_equal(err.msg, "Service already exists");
	assert_int_equal(fk->nsvc, 1000);
	/* The handle is usable afterwards. */
	assert_int_equal(lvsc_service_del(*state, &s, &err), 0);
}

struct refusals {
	size_t	n;
	size_t	pos[8];
	int	code[8];
};

static void note_refusal(void *arg, size_t pos, const struct lvsc_err *e)
{
	struct refusals *r = arg;

	if (r->n < 8) {
		r->pos[r->n] = pos;
		r->code[r->n] = e->code;
	}
	r->n++;
}

/* lvsc_batch_notify hears of every refusal, in order, and only in the
 * batch it was set for. */
static void test_batch_notify_each(void **state)
{
	struct lvsc_err err = { 0 };
	struct refusals r = { 0 };
	struct lvsc_service s;
	size_t at, nf, i;

	s = tcp_svc(0x0a000000 + 700, 80);
	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	s = tcp_svc(0x0a000000 + 300, 80);
	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	assert_int_equal(lvsc_batch_begin(*state, &err), 0);
	lvsc_batch_notify(*state, note_refusal, &r);
	for (i = 0; i < 1000; i++) {
		s = tcp_svc(0x0a000000 + i, 80);
		assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	}
	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	assert_int_equal(lvsc_batch_end(*state, &at, &nf, &err), -EEXIST);
	assert_int_equal(r.n, 3);
	assert_int_equal(r.pos[0], 300);
	assert_int_equal(r.pos[1], 700);
	assert_int_equal(r.pos[2], 1000);
	assert_int_equal(r.code[2], -EEXIST);
	/* The next batch does not call it. */
	assert_int_equal(lvsc_batch_begin(*state, &err), 0);
	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	assert_int_equal(lvsc_batch_end(*state, &at, &nf, &err), -EEXIST);
	assert_int_equal(r.n, 3);
}

static void test_batch_empty(void **state)
{
	struct lvsc_err err = { 0 };
	size_t at, nf;

	assert_int_equal(lvsc_batch_end(*state, &at, &nf, &err), -EINVAL);
	assert_int_equal(lvsc_batch_begin(*state, &err), 0);
	assert_int_equal(lvsc_batch_end(*state, &at, &nf, &err), 0);
	assert_int_equal(nf, 0);
	assert_int_equal(fk->head, fk->tail);
}

static void test_batch_mixed(void **state)
{
	struct lvsc_service s = tcp_svc(0x0a000001, 80);
	struct lvsc_dest d = { .port = 80, .fwd = LVS_FWD_MASQ, .weight = 1 };
	struct lvsc_err err = { 0 };
	size_t at, nf, i;

	assert_int_equal(lvsc_batch_begin(*state, &err), 0);
	assert_int_equal(lvsc_flush(*state, &err), 0);
	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	for (i = 0; i < 600; i++) {
		d.addr.in.s_addr = htonl(0xc0a80000 + i);
		assert_int_equal(lvsc_dest_add(*state, &s, &d, &err), 0);
	}
	s.port = 81;
	assert_int_equal(lvsc_dest_add(*state, &s, &d, &err), 0);
	assert_int_equal(lvsc_batch_end(*state, &at, &nf, &err), -ESRCH);
	assert_int_equal(at, 602);
	assert_int_equal(nf, 1);
	assert_string_equal(err.msg, "Service not defined");
	assert_int_equal(fk->ndests, 600);
}

/* An overflowed socket loses answers: the batch says so. */
static void test_batch_lost_answers(void **state)
{
	struct lvsc_service s = tcp_svc(0x0a000001, 80);
	struct lvsc_err err = { 0 };
	size_t at, nf;

	assert_int_equal(lvsc_batch_begin(*state, &err), 0);
	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	fk->enobufs_once = true;
	assert_int_equal(lvsc_batch_end(*state, &at, &nf, &err), -ENOBUFS);
	assert_int_equal(nf, 0);
	assert_string_equal(err.msg, "answers to the batch were lost");
	assert_int_equal(fk->nsvc, 1);
}

/* A dump the kernel marks inconsistent is reported, not half used. */
static void test_dump_interrupted(void **state)
{
	struct lvsc_service *list = NULL, s = tcp_svc(0x0a000001, 80);
	struct lvsc_err err = { 0 };
	size_t n;

	assert_int_equal(lvsc_service_add(*state, &s, &err), 0);
	fk->dump_intr = true;
	assert_int_equal(lvsc_service_list(*state, &list, &n, &err), -EINTR);
	assert_null(list);
	assert_int_equal(fk->head, fk->tail);	/* drained to NLMSG_DONE */
}

static void test_parse_rejects_bad_addr(void **state)
{
	struct nl_msg *m = lvsc_msg_new(FAMILY, LVS_CMD_GET_SERVICE, 0);
	struct nlattr *tb[LVS_ATTR_MAX + 1], *nest;
	struct lvsc_service s;
	uint8_t addr6[16] = { 0 };

	nest = nla_nest_start(m, LVS_ATTR_SERVICE);
	nla_put_u16(m, LVS_SVC_ATTR_AF, AF_INET);
	nla_put(m, LVS_SVC_ATTR_ADDR, 16, addr6);	/* v6 size for v4 */
	nla_nest_end(m, nest);
	assert_int_equal(lvsc_parse_top(nlmsg_hdr(m), tb), 0);
	assert_int_equal(lvsc_parse_service(tb[LVS_ATTR_SERVICE], &s),
			 -EINVAL);
	nlmsg_free(m);
}

static void test_parse_rejects_bad_int(void **state)
{
	struct nl_msg *m = lvsc_msg_new(FAMILY, LVS_CMD_GET_SERVICE, 0);
	struct nlattr *tb[LVS_ATTR_MAX + 1], *nest;
	struct lvsc_service s;
	uint8_t three[3] = { 1, 2, 3 };

	nest = nla_nest_start(m, LVS_ATTR_SERVICE);
	nla_put_u16(m, LVS_SVC_ATTR_AF, AF_INET);
	nla_put(m, LVS_SVC_ATTR_TIMEOUT, 3, three);
	nla_nest_end(m, nest);
	assert_int_equal(lvsc_parse_top(nlmsg_hdr(m), tb), 0);
	assert_int_equal(lvsc_parse_service(tb[LVS_ATTR_SERVICE], &s),
			 -EINVAL);
	nlmsg_free(m);
}

static void test_build_v6_dest_mixed(void **state)
{
	struct nl_msg *m = lvsc_msg_new(FAMILY, LVS_CMD_NEW_DEST, 0);
	struct lvsc_dest d = { .af = AF_INET6, .port = 443,
			       .fwd = LVS_FWD_TUNNEL, .weight = 1 }, out;
	struct nlattr *tb[LVS_ATTR_MAX + 1];

	inet_pton(AF_INET6, "2001:db8::10", &d.addr.in6);
	assert_int_equal(lvsc_put_dest(m, &d, AF_INET, true), 0);
	assert_int_equal(lvsc_parse_top(nlmsg_hdr(m), tb), 0);
	assert_int_equal(lvsc_parse_dest(tb[LVS_ATTR_DEST], AF_INET, &out),
			 0);
	assert_int_equal(out.af, AF_INET6);
	assert_memory_equal(&out.addr.in6, &d.addr.in6, 16);
	assert_int_equal(out.port, 443);
	assert_int_equal(out.tun_type, LVS_TUN_IPIP);
	nlmsg_free(m);
}

static void test_fwmark_identity(void **state)
{
	struct nl_msg *m = lvsc_msg_new(FAMILY, LVS_CMD_DEL_SERVICE, 0);
	struct lvsc_service s = { .af = AF_INET6, .fwmark = 7 }, out;
	struct nlattr *tb[LVS_ATTR_MAX + 1], *st[LVS_SVC_ATTR_MAX + 1];

	assert_int_equal(lvsc_put_service(m, &s, false), 0);
	assert_int_equal(lvsc_parse_top(nlmsg_hdr(m), tb), 0);
	nla_parse_nested(st, LVS_SVC_ATTR_MAX, tb[LVS_ATTR_SERVICE], NULL);
	assert_null(st[LVS_SVC_ATTR_ADDR]);
	assert_null(st[LVS_SVC_ATTR_SCHED_NAME]);
	assert_int_equal(lvsc_parse_service(tb[LVS_ATTR_SERVICE], &out), 0);
	assert_int_equal(out.fwmark, 7);
	assert_int_equal(out.af, AF_INET6);
	nlmsg_free(m);
}

/* A sync daemon's group and peer: 4 bytes for IPv4, 16 for IPv6. */
static void test_daemon_v6(void **state)
{
	struct nl_msg *m = lvsc_msg_new(FAMILY, LVS_CMD_NEW_DAEMON, 0);
	struct lvsc_daemon d = { .state = LVS_DAEMON_BACKUP,
				 .mcast_ifn = "b0", .syncid = 7,
				 .mcast_af = AF_INET6 }, out;
	struct nlattr *tb[LVS_ATTR_MAX + 1], *dt[LVS_DAEMON_ATTR_MAX + 1];

	inet_pton(AF_INET6, "ff02::8848", &d.mcast_group.in6);
	assert_int_equal(lvsc_put_daemon(m, &d), 0);
	assert_int_equal(lvsc_parse_top(nlmsg_hdr(m), tb), 0);
	nla_parse_nested(dt, LVS_DAEMON_ATTR_MAX, tb[LVS_ATTR_DAEMON], NULL);
	assert_int_equal(nla_len(dt[LVS_DAEMON_ATTR_MCAST_GROUP]), 16);
	assert_null(dt[LVS_DAEMON_ATTR_PEER]);
	assert_int_equal(lvsc_parse_daemon(tb[LVS_ATTR_DAEMON], &out), 0);
	assert_int_equal(out.mcast_af, AF_INET6);
	assert_memory_equal(&out.mcast_group.in6, &d.mcast_group.in6, 16);
	assert_int_equal(out.peer_af, 0);
	nlmsg_free(m);

	/* A unicast IPv6 peer; a group of the other family is refused. */
	m = lvsc_msg_new(FAMILY, LVS_CMD_NEW_DAEMON, 0);
	d.mcast_af = 0;
	d.peer_af = AF_INET6;
	inet_pton(AF_INET6, "fd00:2::3", &d.peer.in6);
	assert_int_equal(lvsc_put_daemon(m, &d), 0);
	assert_int_equal(lvsc_parse_top(nlmsg_hdr(m), tb), 0);
	assert_int_equal(lvsc_parse_daemon(tb[LVS_ATTR_DAEMON], &out), 0);
	assert_int_equal(out.peer_af, AF_INET6);
	assert_memory_equal(&out.peer.in6, &d.peer.in6, 16);
	nlmsg_free(m);
	m = lvsc_msg_new(FAMILY, LVS_CMD_NEW_DAEMON, 0);
	d.mcast_af = AF_INET;
	assert_int_equal(lvsc_put_daemon(m, &d), -EINVAL);
	nlmsg_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_add_ack),
		T(test_refusal_plain),
		T(test_refusal_extack),
		T(test_refusal_known_wording),
		T(test_dest_encoding),
		T(test_dest_no_service),
		T(test_bad_family),
		T(test_config),
		T(test_info_forward_compat),
		T(test_list_dump),
		T(test_list_empty_and_done_error),
		T(test_batch_pipelined),
		T(test_batch_first_error),
		T(test_batch_empty),
		T(test_batch_mixed),
		T(test_batch_notify_each),
		T(test_batch_lost_answers),
		T(test_dump_interrupted),
		T(test_parse_rejects_bad_addr),
		T(test_parse_rejects_bad_int),
		T(test_build_v6_dest_mixed),
		T(test_fwmark_identity),
		T(test_daemon_v6),
#undef T
	};

	return cmocka_run_group_tests_name("lib_nl", tests, NULL, NULL);
}
