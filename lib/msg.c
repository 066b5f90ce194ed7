// SPDX-License-Identifier: GPL-2.0
/*
 * msg.c - build lvs requests and parse lvs replies (no I/O here).
 *
 * Building maps the library's host-order structures onto the attributes of
 * include/uapi/lvs.h; parsing does the reverse and is forward compatible:
 * attribute types above the max this file knows are skipped, and an
 * integer attribute may be wider than expected (a later ABI may widen a
 * counter) as long as it is 1, 2, 4 or 8 bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <netlink/genl/genl.h>

#include "lvsc_int.h"

struct nl_msg *lvsc_msg_new(int family, uint8_t cmd, int flags)
{
	struct nl_msg *m = nlmsg_alloc();

	if (!m)
		return NULL;
	if (!genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, flags, cmd,
			 LVS_GENL_VERSION)) {
		nlmsg_free(m);
		return NULL;
	}
	return m;
}

static size_t af_len(uint16_t af)
{
	return af == AF_INET6 ? sizeof(struct in6_addr) : sizeof(struct in_addr);
}

/* libnl returns its own error codes; the library speaks errno. */
static int put_err(int rc)
{
	return rc < 0 ? -EMSGSIZE : 0;
}

int lvsc_put_service(struct nl_msg *m, const struct lvsc_service *svc,
		     bool full)
{
	struct nlattr *nest;
	int rc = 0;

	if (svc->af != AF_INET && svc->af != AF_INET6)
		return -EAFNOSUPPORT;
	nest = nla_nest_start(m, LVS_ATTR_SERVICE);
	if (!nest)
		return -EMSGSIZE;
	rc |= nla_put_u16(m, LVS_SVC_ATTR_AF, svc->af);
	if (svc->fwmark) {
		rc |= nla_put_u32(m, LVS_SVC_ATTR_FWMARK, svc->fwmark);
	} else {
		rc |= nla_put_u16(m, LVS_SVC_ATTR_PROTOCOL, svc->protocol);
		rc |= nla_put(m, LVS_SVC_ATTR_ADDR, af_len(svc->af), &svc->addr);
		rc |= nla_put_u16(m, LVS_SVC_ATTR_PORT, htons(svc->port));
	}
	if (full) {
		struct lvs_flags fl = {
			.flags = svc->flags & LVS_SVC_F_USER_MASK,
			.mask = LVS_SVC_F_USER_MASK,
		};

		if (svc->sched[0])
			rc |= nla_put_string(m, LVS_SVC_ATTR_SCHED_NAME,
					     svc->sched);
		rc |= nla_put(m, LVS_SVC_ATTR_FLAGS, sizeof(fl), &fl);
		rc |= nla_put_u32(m, LVS_SVC_ATTR_TIMEOUT, svc->timeout);
		if (svc->netmask)
			rc |= nla_put_u32(m, LVS_SVC_ATTR_NETMASK,
					  svc->netmask);
	}
	if (rc)
		return -EMSGSIZE;
	return put_err(nla_nest_end(m, nest));
}

int lvsc_put_dest(struct nl_msg *m, const struct lvsc_dest *dest,
		  uint16_t svc_af, bool full)
{
	uint16_t af = dest->af ? dest->af : svc_af;
	struct nlattr *nest;
	int rc = 0;

	if (af != AF_INET && af != AF_INET6)
		return -EAFNOSUPPORT;
	nest = nla_nest_start(m, LVS_ATTR_DEST);
	if (!nest)
		return -EMSGSIZE;
	if (af != svc_af)
		rc |= nla_put_u16(m, LVS_DEST_ATTR_ADDR_FAMILY, af);
	rc |= nla_put(m, LVS_DEST_ATTR_ADDR, af_len(af), &dest->addr);
	rc |= nla_put_u16(m, LVS_DEST_ATTR_PORT, htons(dest->port));
	if (full) {
		rc |= nla_put_u8(m, LVS_DEST_ATTR_FWD_METHOD, dest->fwd);
		rc |= nla_put_u32(m, LVS_DEST_ATTR_WEIGHT, dest->weight);
		rc |= nla_put_u32(m, LVS_DEST_ATTR_U_THRESH, dest->u_threshold);
		rc |= nla_put_u32(m, LVS_DEST_ATTR_L_THRESH, dest->l_threshold);
		if (dest->fwd == LVS_FWD_TUNNEL) {
			rc |= nla_put_u8(m, LVS_DEST_ATTR_TUN_TYPE,
					 dest->tun_type);
			rc |= nla_put_u16(m, LVS_DEST_ATTR_TUN_PORT,
					  htons(dest->tun_port));
			rc |= nla_put_u16(m, LVS_DEST_ATTR_TUN_FLAGS,
					  dest->tun_flags);
		}
	}
	if (rc)
		return -EMSGSIZE;
	return put_err(nla_nest_end(m, nest));
}

int lvsc_put_config(struct nl_msg *m, const struct lvsc_config *cfg)
{
	struct nlattr *nest, *states;
	int rc = 0, i;

	nest = nla_nest_start(m, LVS_ATTR_CONFIG);
	if (!nest)
		return -EMSGSIZE;
	if (cfg->tcp)
		rc |= nla_put_u32(m, LVS_CFG_ATTR_TIMEOUT_TCP, cfg->tcp);
	if (cfg->tcp_fin)
		rc |= nla_put_u32(m, LVS_CFG_ATTR_TIMEOUT_TCP_FIN,
				  cfg->tcp_fin);
	if (cfg->udp)
		rc |= nla_put_u32(m, LVS_CFG_ATTR_TIMEOUT_UDP, cfg->udp);
	for (i = 0; i <= LVS_TCP_S_MAX; i++)
		if (cfg->tcp_state[i])
			break;
	if (i <= LVS_TCP_S_MAX) {
		states = nla_nest_start(m, LVS_CFG_ATTR_TCP_STATES);
		if (!states)
			return -EMSGSIZE;
		for (i = 0; i <= LVS_TCP_S_MAX; i++)
			if (cfg->tcp_state[i])
				rc |= nla_put_u32(m, i + 1, cfg->tcp_state[i]);
		rc |= nla_nest_end(m, states);
	}
	if (cfg->conn_max)
		rc |= nla_put_u32(m, LVS_CFG_ATTR_CONN_MAX, cfg->conn_max);
	for (i = 0; i < LVSC_SW_COUNT; i++)
		if (cfg->sw_set & (1U << i))
			rc |= nla_put_u32(m, LVS_CFG_ATTR_EXPIRE_NODEST_CONN + i,
					  cfg->sw[i]);
	if (rc)
		return -EMSGSIZE;
	return put_err(nla_nest_end(m, nest));
}

/* Kinds of attribute payload, for validation before use. */
enum akind { A_NONE, A_INT, A_ADDR, A_STR, A_NEST, A_FLAGS };

/* Parse a nest into tb[0..max] and check each known attribute's size. */
static int parse_nest(const struct nlattr *nest, int max,
		      const uint8_t *kind, struct nlattr **tb)
{
	int i, len;

	if (nla_parse_nested(tb, max, (struct nlattr *)nest, NULL) < 0)
		return -EINVAL;
	for (i = 1; i <= max; i++) {
		if (!tb[i])
			continue;
		len = nla_len(tb[i]);
		switch (kind[i]) {
		case A_INT:
			if (len != 1 && len != 2 && len != 4 && len != 8)
				return -EINVAL;
			break;
		case A_ADDR:
			if (len != 4 && len != 16)
				return -EINVAL;
			break;
		case A_STR:
			if (len < 1 || !memchr(nla_data(tb[i]), 0, len))
				return -EINVAL;
			break;
		case A_FLAGS:
			if (len < (int)sizeof(struct lvs_flags))
				return -EINVAL;
			break;
		default:
			break;
		}
	}
	return 0;
}

static uint64_t attr_uint(const struct nlattr *a)
{
	const void *p = nla_data(a);
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	switch (nla_len(a)) {
	case 1:
		return *(const uint8_t *)p;
	case 2:
		memcpy(&v16, p, 2);
		return v16;
	case 4:
		memcpy(&v32, p, 4);
		return v32;
	default:
		memcpy(&v64, p, 8);
		return v64;
	}
}

/* A be16 port attribute, to host order. */
static uint16_t attr_port(const struct nlattr *a)
{
	return ntohs((uint16_t)attr_uint(a));
}

/* Copy an address whose length must match af. */
static int attr_addr(const struct nlattr *a, uint16_t af, union lvsc_addr *out)
{
	if ((size_t)nla_len(a) != af_len(af))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	memcpy(out, nla_data(a), nla_len(a));
	return 0;
}

static const uint8_t stats_kind[LVS_STATS_ATTR_MAX + 1] = {
	[LVS_STATS_ATTR_CONNS ... LVS_STATS_ATTR_OUTBPS] = A_INT,
};

static int parse_stats(const struct nlattr *nest, struct lvsc_stats *st)
{
	struct nlattr *tb[LVS_STATS_ATTR_MAX + 1];
	uint64_t *field[LVS_STATS_ATTR_MAX + 1] = {
		[LVS_STATS_ATTR_CONNS] = &st->conns,
		[LVS_STATS_ATTR_INPKTS] = &st->inpkts,
		[LVS_STATS_ATTR_OUTPKTS] = &st->outpkts,
		[LVS_STATS_ATTR_INBYTES] = &st->inbytes,
		[LVS_STATS_ATTR_OUTBYTES] = &st->outbytes,
		[LVS_STATS_ATTR_CPS] = &st->cps,
		[LVS_STATS_ATTR_INPPS] = &st->inpps,
		[LVS_STATS_ATTR_OUTPPS] = &st->outpps,
		[LVS_STATS_ATTR_INBPS] = &st->inbps,
		[LVS_STATS_ATTR_OUTBPS] = &st->outbps,
	};
	int i;

	if (parse_nest(nest, LVS_STATS_ATTR_MAX, stats_kind, tb))
		return -EINVAL;
	for (i = 1; i <= LVS_STATS_ATTR_MAX; i++)
		if (tb[i] && field[i])
			*field[i] = attr_uint(tb[i]);
	return 0;
}

static const uint8_t svc_kind[LVS_SVC_ATTR_MAX + 1] = {
	[LVS_SVC_ATTR_AF] = A_INT,
	[LVS_SVC_ATTR_PROTOCOL] = A_INT,
	[LVS_SVC_ATTR_ADDR] = A_ADDR,
	[LVS_SVC_ATTR_PORT] = A_INT,
	[LVS_SVC_ATTR_FWMARK] = A_INT,
	[LVS_SVC_ATTR_SCHED_NAME] = A_STR,
	[LVS_SVC_ATTR_FLAGS] = A_FLAGS,
	[LVS_SVC_ATTR_TIMEOUT] = A_INT,
	[LVS_SVC_ATTR_NETMASK] = A_INT,
	[LVS_SVC_ATTR_STATS] = A_NEST,
	[LVS_SVC_ATTR_NUM_DESTS] = A_INT,
};

int lvsc_parse_service(const struct nlattr *nest, struct lvsc_service *svc)
{
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];

	memset(svc, 0, sizeof(*svc));
	if (parse_nest(nest, LVS_SVC_ATTR_MAX, svc_kind, tb))
		return -EINVAL;
	if (!tb[LVS_SVC_ATTR_AF])
		return -EINVAL;
	svc->af = attr_uint(tb[LVS_SVC_ATTR_AF]);
	if (svc->af != AF_INET && svc->af != AF_INET6)
		return -EINVAL;
	if (tb[LVS_SVC_ATTR_FWMARK])
		svc->fwmark = attr_uint(tb[LVS_SVC_ATTR_FWMARK]);
	if (tb[LVS_SVC_ATTR_PROTOCOL])
		svc->protocol = attr_uint(tb[LVS_SVC_ATTR_PROTOCOL]);
	if (tb[LVS_SVC_ATTR_ADDR] &&
	    attr_addr(tb[LVS_SVC_ATTR_ADDR], svc->af, &svc->addr))
		return -EINVAL;
	if (tb[LVS_SVC_ATTR_PORT])
		svc->port = attr_port(tb[LVS_SVC_ATTR_PORT]);
	if (tb[LVS_SVC_ATTR_SCHED_NAME]) {
		const char *s = nla_data(tb[LVS_SVC_ATTR_SCHED_NAME]);

		if (strlen(s) >= sizeof(svc->sched))
			return -EINVAL;
		strcpy(svc->sched, s);
	}
	if (tb[LVS_SVC_ATTR_FLAGS]) {
		struct lvs_flags fl;

		memcpy(&fl, nla_data(tb[LVS_SVC_ATTR_FLAGS]), sizeof(fl));
		svc->flags = fl.flags;
	}
	if (tb[LVS_SVC_ATTR_TIMEOUT])
		svc->timeout = attr_uint(tb[LVS_SVC_ATTR_TIMEOUT]);
	if (tb[LVS_SVC_ATTR_NETMASK])
		svc->netmask = attr_uint(tb[LVS_SVC_ATTR_NETMASK]);
	if (tb[LVS_SVC_ATTR_NUM_DESTS])
		svc->num_dests = attr_uint(tb[LVS_SVC_ATTR_NUM_DESTS]);
	if (tb[LVS_SVC_ATTR_STATS] &&
	    parse_stats(tb[LVS_SVC_ATTR_STATS], &svc->stats))
		return -EINVAL;
	return 0;
}

static const uint8_t dest_kind[LVS_DEST_ATTR_MAX + 1] = {
	[LVS_DEST_ATTR_ADDR] = A_ADDR,
	[LVS_DEST_ATTR_PORT] = A_INT,
	[LVS_DEST_ATTR_FWD_METHOD] = A_INT,
	[LVS_DEST_ATTR_WEIGHT] = A_INT,
	[LVS_DEST_ATTR_U_THRESH] = A_INT,
	[LVS_DEST_ATTR_L_THRESH] = A_INT,
	[LVS_DEST_ATTR_ACTIVE_CONNS] = A_INT,
	[LVS_DEST_ATTR_INACT_CONNS] = A_INT,
	[LVS_DEST_ATTR_PERSIST_CONNS] = A_INT,
	[LVS_DEST_ATTR_STATS] = A_NEST,
	[LVS_DEST_ATTR_ADDR_FAMILY] = A_INT,
	[LVS_DEST_ATTR_TUN_TYPE] = A_INT,
	[LVS_DEST_ATTR_TUN_PORT] = A_INT,
	[LVS_DEST_ATTR_TUN_FLAGS] = A_INT,
	[LVS_DEST_ATTR_FLAGS] = A_INT,
};

int lvsc_parse_dest(const struct nlattr *nest, uint16_t svc_af,
		    struct lvsc_dest *d)
{
	struct nlattr *tb[LVS_DEST_ATTR_MAX + 1];

	memset(d, 0, sizeof(*d));
	if (parse_nest(nest, LVS_DEST_ATTR_MAX, dest_kind, tb))
		return -EINVAL;
	d->af = tb[LVS_DEST_ATTR_ADDR_FAMILY] ?
		attr_uint(tb[LVS_DEST_ATTR_ADDR_FAMILY]) : svc_af;
	if (!tb[LVS_DEST_ATTR_ADDR] ||
	    attr_addr(tb[LVS_DEST_ATTR_ADDR], d->af, &d->addr))
		return -EINVAL;
	if (tb[LVS_DEST_ATTR_PORT])
		d->port = attr_port(tb[LVS_DEST_ATTR_PORT]);
	if (tb[LVS_DEST_ATTR_FWD_METHOD])
		d->fwd = attr_uint(tb[LVS_DEST_ATTR_FWD_METHOD]);
	if (tb[LVS_DEST_ATTR_WEIGHT])
		d->weight = attr_uint(tb[LVS_DEST_ATTR_WEIGHT]);
	if (tb[LVS_DEST_ATTR_U_THRESH])
		d->u_threshold = attr_uint(tb[LVS_DEST_ATTR_U_THRESH]);
	if (tb[LVS_DEST_ATTR_L_THRESH])
		d->l_threshold = attr_uint(tb[LVS_DEST_ATTR_L_THRESH]);
	if (tb[LVS_DEST_ATTR_ACTIVE_CONNS])
		d->activeconns = attr_uint(tb[LVS_DEST_ATTR_ACTIVE_CONNS]);
	if (tb[LVS_DEST_ATTR_INACT_CONNS])
		d->inactconns = attr_uint(tb[LVS_DEST_ATTR_INACT_CONNS]);
	if (tb[LVS_DEST_ATTR_PERSIST_CONNS])
		d->persistconns = attr_uint(tb[LVS_DEST_ATTR_PERSIST_CONNS]);
	if (tb[LVS_DEST_ATTR_TUN_TYPE])
		d->tun_type = attr_uint(tb[LVS_DEST_ATTR_TUN_TYPE]);
	if (tb[LVS_DEST_ATTR_TUN_PORT])
		d->tun_port = attr_port(tb[LVS_DEST_ATTR_TUN_PORT]);
	if (tb[LVS_DEST_ATTR_TUN_FLAGS])
		d->tun_flags = attr_uint(tb[LVS_DEST_ATTR_TUN_FLAGS]);
	if (tb[LVS_DEST_ATTR_FLAGS])
		d->flags = attr_uint(tb[LVS_DEST_ATTR_FLAGS]);
	if (tb[LVS_DEST_ATTR_STATS] &&
	    parse_stats(tb[LVS_DEST_ATTR_STATS], &d->stats))
		return -EINVAL;
	return 0;
}

static const uint8_t conn_kind[LVS_CONN_ATTR_MAX + 1] = {
	[LVS_CONN_ATTR_AF] = A_INT,
	[LVS_CONN_ATTR_PROTOCOL] = A_INT,
	[LVS_CONN_ATTR_CADDR] = A_ADDR,
	[LVS_CONN_ATTR_CPORT] = A_INT,
	[LVS_CONN_ATTR_VADDR] = A_ADDR,
	[LVS_CONN_ATTR_VPORT] = A_INT,
	[LVS_CONN_ATTR_DADDR] = A_ADDR,
	[LVS_CONN_ATTR_DPORT] = A_INT,
	[LVS_CONN_ATTR_DEST_AF] = A_INT,
	[LVS_CONN_ATTR_FWMARK] = A_INT,
	[LVS_CONN_ATTR_STATE] = A_INT,
	[LVS_CONN_ATTR_FLAGS] = A_INT,
	[LVS_CONN_ATTR_FWD_METHOD] = A_INT,
	[LVS_CONN_ATTR_EXPIRES] = A_INT,
};

int lvsc_parse_conn(const struct nlattr *nest, struct lvsc_conn *c)
{
	struct nlattr *tb[LVS_CONN_ATTR_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (parse_nest(nest, LVS_CONN_ATTR_MAX, conn_kind, tb))
		return -EINVAL;
	if (!tb[LVS_CONN_ATTR_AF])
		return -EINVAL;
	c->af = attr_uint(tb[LVS_CONN_ATTR_AF]);
	c->dest_af = tb[LVS_CONN_ATTR_DEST_AF] ?
		     attr_uint(tb[LVS_CONN_ATTR_DEST_AF]) : c->af;
	if (tb[LVS_CONN_ATTR_PROTOCOL])
		c->protocol = attr_uint(tb[LVS_CONN_ATTR_PROTOCOL]);
	if ((tb[LVS_CONN_ATTR_CADDR] &&
	     attr_addr(tb[LVS_CONN_ATTR_CADDR], c->af, &c->caddr)) ||
	    (tb[LVS_CONN_ATTR_VADDR] &&
	     attr_addr(tb[LVS_CONN_ATTR_VADDR], c->af, &c->vaddr)) ||
	    (tb[LVS_CONN_ATTR_DADDR] &&
	     attr_addr(tb[LVS_CONN_ATTR_DADDR], c->dest_af, &c->daddr)))
		return -EINVAL;
	if (tb[LVS_CONN_ATTR_CPORT])
		c->cport = attr_port(tb[LVS_CONN_ATTR_CPORT]);
	if (tb[LVS_CONN_ATTR_VPORT])
		c->vport = attr_port(tb[LVS_CONN_ATTR_VPORT]);
	if (tb[LVS_CONN_ATTR_DPORT])
		c->dport = attr_port(tb[LVS_CONN_ATTR_DPORT]);
	if (tb[LVS_CONN_ATTR_FWMARK])
		c->fwmark = attr_uint(tb[LVS_CONN_ATTR_FWMARK]);
	if (tb[LVS_CONN_ATTR_STATE])
		c->state = attr_uint(tb[LVS_CONN_ATTR_STATE]);
	if (tb[LVS_CONN_ATTR_FLAGS])
		c->flags = attr_uint(tb[LVS_CONN_ATTR_FLAGS]);
	if (tb[LVS_CONN_ATTR_FWD_METHOD])
		c->fwd = attr_uint(tb[LVS_CONN_ATTR_FWD_METHOD]);
	if (tb[LVS_CONN_ATTR_EXPIRES])
		c->expires_ms = attr_uint(tb[LVS_CONN_ATTR_EXPIRES]);
	return 0;
}

static const uint8_t cfg_kind[LVS_CFG_ATTR_MAX + 1] = {
	[LVS_CFG_ATTR_TIMEOUT_TCP] = A_INT,
	[LVS_CFG_ATTR_TIMEOUT_TCP_FIN] = A_INT,
	[LVS_CFG_ATTR_TIMEOUT_UDP] = A_INT,
	[LVS_CFG_ATTR_TCP_STATES] = A_NEST,
	[LVS_CFG_ATTR_CONN_MAX] = A_INT,
	[LVS_CFG_ATTR_EXPIRE_NODEST_CONN] = A_INT,
	[LVS_CFG_ATTR_EXPIRE_QUIESCENT_TEMPLATE] = A_INT,
	[LVS_CFG_ATTR_SLOPPY_TCP] = A_INT,
	[LVS_CFG_ATTR_CONN_REUSE_MODE] = A_INT,
};

static const uint8_t states_kind[LVS_TCP_S_MAX + 2] = {
	[1 ... LVS_TCP_S_MAX + 1] = A_INT,
};

int lvsc_parse_config(const struct nlattr *nest, struct lvsc_config *cfg)
{
	struct nlattr *tb[LVS_CFG_ATTR_MAX + 1];
	struct nlattr *st[LVS_TCP_S_MAX + 2];
	int i;

	memset(cfg, 0, sizeof(*cfg));
	if (parse_nest(nest, LVS_CFG_ATTR_MAX, cfg_kind, tb))
		return -EINVAL;
	if (tb[LVS_CFG_ATTR_TIMEOUT_TCP])
		cfg->tcp = attr_uint(tb[LVS_CFG_ATTR_TIMEOUT_TCP]);
	if (tb[LVS_CFG_ATTR_TIMEOUT_TCP_FIN])
		cfg->tcp_fin = attr_uint(tb[LVS_CFG_ATTR_TIMEOUT_TCP_FIN]);
	if (tb[LVS_CFG_ATTR_TIMEOUT_UDP])
		cfg->udp = attr_uint(tb[LVS_CFG_ATTR_TIMEOUT_UDP]);
	if (tb[LVS_CFG_ATTR_CONN_MAX])
		cfg->conn_max = attr_uint(tb[LVS_CFG_ATTR_CONN_MAX]);
	for (i = 0; i < LVSC_SW_COUNT; i++)
		if (tb[LVS_CFG_ATTR_EXPIRE_NODEST_CONN + i]) {
			cfg->sw_set |= 1U << i;
			cfg->sw[i] =
				attr_uint(tb[LVS_CFG_ATTR_EXPIRE_NODEST_CONN + i]);
		}
	if (tb[LVS_CFG_ATTR_TCP_STATES]) {
		if (parse_nest(tb[LVS_CFG_ATTR_TCP_STATES], LVS_TCP_S_MAX + 1,
			       states_kind, st))
			return -EINVAL;
		for (i = 0; i <= LVS_TCP_S_MAX; i++)
			if (st[i + 1])
				cfg->tcp_state[i] = attr_uint(st[i + 1]);
	}
	return 0;
}

static const uint8_t info_kind[LVS_INFO_ATTR_MAX + 1] = {
	[LVS_INFO_ATTR_VERSION] = A_INT,
	[LVS_INFO_ATTR_CONN_TAB_SIZE] = A_INT,
	[LVS_INFO_ATTR_CONN_COUNT] = A_INT,
	[LVS_INFO_ATTR_CONN_MAX] = A_INT,
	[LVS_INFO_ATTR_CONN_DROPPED] = A_INT,
	[LVS_INFO_ATTR_CONN_EVICTED] = A_INT,
	[LVS_INFO_ATTR_CONN_LIMIT] = A_INT,
};

int lvsc_parse_info(const struct nlattr *nest, struct lvsc_info *info)
{
	struct nlattr *tb[LVS_INFO_ATTR_MAX + 1];

	memset(info, 0, sizeof(*info));
	if (parse_nest(nest, LVS_INFO_ATTR_MAX, info_kind, tb))
		return -EINVAL;
	if (tb[LVS_INFO_ATTR_VERSION])
		info->version = attr_uint(tb[LVS_INFO_ATTR_VERSION]);
	if (tb[LVS_INFO_ATTR_CONN_TAB_SIZE])
		info->conn_tab_size = attr_uint(tb[LVS_INFO_ATTR_CONN_TAB_SIZE]);
	if (tb[LVS_INFO_ATTR_CONN_COUNT])
		info->conn_count = attr_uint(tb[LVS_INFO_ATTR_CONN_COUNT]);
	if (tb[LVS_INFO_ATTR_CONN_MAX])
		info->conn_max = attr_uint(tb[LVS_INFO_ATTR_CONN_MAX]);
	if (tb[LVS_INFO_ATTR_CONN_DROPPED])
		info->conn_dropped = attr_uint(tb[LVS_INFO_ATTR_CONN_DROPPED]);
	if (tb[LVS_INFO_ATTR_CONN_EVICTED])
		info->conn_evicted = attr_uint(tb[LVS_INFO_ATTR_CONN_EVICTED]);
	if (tb[LVS_INFO_ATTR_CONN_LIMIT])
		info->conn_limit = attr_uint(tb[LVS_INFO_ATTR_CONN_LIMIT]);
	return 0;
}

/* A sync daemon: the fields left 0 are left to the kernel's defaults. */
int lvsc_put_daemon(struct nl_msg *m, const struct lvsc_daemon *d)
{
	struct nlattr *nest;
	int rc = 0;

	if ((d->mcast_af && d->mcast_af != AF_INET &&
	     d->mcast_af != AF_INET6) ||
	    (d->peer_af && d->peer_af != AF_INET && d->peer_af != AF_INET6))
		return -EAFNOSUPPORT;
	/* One channel, one family (the kernel says so too). */
	if (d->mcast_af && d->peer_af && d->mcast_af != d->peer_af)
		return -EINVAL;
	nest = nla_nest_start(m, LVS_ATTR_DAEMON);
	if (!nest)
		return -EMSGSIZE;
	rc |= nla_put_u32(m, LVS_DAEMON_ATTR_STATE, d->state);
	if (d->mcast_ifn[0])
		rc |= nla_put_string(m, LVS_DAEMON_ATTR_MCAST_IFN,
				     d->mcast_ifn);
	rc |= nla_put_u32(m, LVS_DAEMON_ATTR_SYNC_ID, d->syncid);
	if (d->sync_maxlen)
		rc |= nla_put_u16(m, LVS_DAEMON_ATTR_SYNC_MAXLEN,
				  d->sync_maxlen);
	if (d->mcast_af)
		rc |= nla_put(m, LVS_DAEMON_ATTR_MCAST_GROUP,
			      d->mcast_af == AF_INET6 ? 16 : 4,
			      &d->mcast_group);
	if (d->mcast_port)
		rc |= nla_put_u16(m, LVS_DAEMON_ATTR_MCAST_PORT,
				  htons(d->mcast_port));
	if (d->mcast_ttl)
		rc |= nla_put_u8(m, LVS_DAEMON_ATTR_MCAST_TTL, d->mcast_ttl);
	if (d->peer_af)
		rc |= nla_put(m, LVS_DAEMON_ATTR_PEER,
			      d->peer_af == AF_INET6 ? 16 : 4, &d->peer);
	if (rc)
		return -EMSGSIZE;
	return put_err(nla_nest_end(m, nest));
}

static const uint8_t daemon_kind[LVS_DAEMON_ATTR_MAX + 1] = {
	[LVS_DAEMON_ATTR_STATE] = A_INT,
	[LVS_DAEMON_ATTR_MCAST_IFN] = A_STR,
	[LVS_DAEMON_ATTR_SYNC_ID] = A_INT,
	[LVS_DAEMON_ATTR_SYNC_MAXLEN] = A_INT,
	[LVS_DAEMON_ATTR_MCAST_GROUP] = A_ADDR,
	[LVS_DAEMON_ATTR_MCAST_PORT] = A_INT,
	[LVS_DAEMON_ATTR_MCAST_TTL] = A_INT,
	[LVS_DAEMON_ATTR_PEER] = A_ADDR,
	[LVS_DAEMON_ATTR_SENT_PKTS ... LVS_DAEMON_ATTR_GAPS] = A_INT,
};

int lvsc_parse_daemon(const struct nlattr *nest, struct lvsc_daemon *d)
{
	struct nlattr *tb[LVS_DAEMON_ATTR_MAX + 1];
	const struct nlattr *a;

	memset(d, 0, sizeof(*d));
	if (parse_nest(nest, LVS_DAEMON_ATTR_MAX, daemon_kind, tb))
		return -EINVAL;
	if (!tb[LVS_DAEMON_ATTR_STATE])
		return -EINVAL;
	d->state = attr_uint(tb[LVS_DAEMON_ATTR_STATE]);
	a = tb[LVS_DAEMON_ATTR_MCAST_IFN];
	if (a)
		snprintf(d->mcast_ifn, sizeof(d->mcast_ifn), "%s",
			 (const char *)nla_data(a));
	if (tb[LVS_DAEMON_ATTR_SYNC_ID])
		d->syncid = attr_uint(tb[LVS_DAEMON_ATTR_SYNC_ID]);
	if (tb[LVS_DAEMON_ATTR_SYNC_MAXLEN])
		d->sync_maxlen = attr_uint(tb[LVS_DAEMON_ATTR_SYNC_MAXLEN]);
	a = tb[LVS_DAEMON_ATTR_MCAST_GROUP];
	if (a && (nla_len(a) == 4 || nla_len(a) == 16)) {
		d->mcast_af = nla_len(a) == 16 ? AF_INET6 : AF_INET;
		memcpy(&d->mcast_group, nla_data(a), (size_t)nla_len(a));
	}
	if (tb[LVS_DAEMON_ATTR_MCAST_PORT])
		d->mcast_port = attr_port(tb[LVS_DAEMON_ATTR_MCAST_PORT]);
	if (tb[LVS_DAEMON_ATTR_MCAST_TTL])
		d->mcast_ttl = attr_uint(tb[LVS_DAEMON_ATTR_MCAST_TTL]);
	a = tb[LVS_DAEMON_ATTR_PEER];
	if (a && (nla_len(a) == 4 || nla_len(a) == 16)) {
		d->peer_af = nla_len(a) == 16 ? AF_INET6 : AF_INET;
		memcpy(&d->peer, nla_data(a), (size_t)nla_len(a));
	}
#define CNT(f, t) do {							\
		if (tb[t])						\
			d->f = attr_uint(tb[t]);			\
	} while (0)
	CNT(sent_pkts, LVS_DAEMON_ATTR_SENT_PKTS);
	CNT(sent_conns, LVS_DAEMON_ATTR_SENT_CONNS);
	CNT(recv_pkts, LVS_DAEMON_ATTR_RECV_PKTS);
	CNT(recv_conns, LVS_DAEMON_ATTR_RECV_CONNS);
	CNT(dropped, LVS_DAEMON_ATTR_DROPPED);
	CNT(bad, LVS_DAEMON_ATTR_BAD);
	CNT(resyncs, LVS_DAEMON_ATTR_RESYNCS);
	CNT(lost, LVS_DAEMON_ATTR_LOST);
	CNT(gaps, LVS_DAEMON_ATTR_GAPS);
#undef CNT
	return 0;
}

int lvsc_parse_top(const struct nlmsghdr *nlh, struct nlattr **tb)
{
	if (genlmsg_parse((struct nlmsghdr *)nlh, 0, tb, LVS_ATTR_MAX,
			  NULL) < 0)
		return -EINVAL;
	return 0;
}
