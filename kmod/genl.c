// SPDX-License-Identifier: GPL-2.0
/*
 * genl.c - the generic netlink family "LVS" (include/uapi/lvs.h).
 *
 * Every nest is parsed strictly against its policy; whatever a policy
 * cannot say (address length against family, cross-attribute rules) is
 * checked here, each rejection with an extack message naming the
 * attribute.  Changes run under lvs_mutex.  Commands that change state
 * need CAP_NET_ADMIN (initial user namespace); commands that read need it
 * in the user namespace owning the network namespace, as IPVS.  Service
 * and dest dumps span several calls: a configuration change between two
 * of them marks the dump NLM_F_DUMP_INTR (nl_dump_check_consistent).  A
 * connection dump is not marked: the table changes with every packet, and
 * each bucket is read whole under RCU.
 */
#include <linux/in.h>
#include <linux/in6.h>
#include <net/addrconf.h>
#include <net/genetlink.h>
#include <net/ipv6.h>
#include <net/netlink.h>
#include <net/route.h>

#include "lvs_core.h"

static struct genl_family lvs_genl_family;

static struct netlink_range_validation lvs_timeout_range = {
	.min	= 0,
	.max	= LVS_PERSIST_TIMEOUT_MAX,
};

static struct netlink_range_validation lvs_weight_range = {
	.min	= 0,
	.max	= LVS_WEIGHT_MAX,
};

/* Connection timeouts: up to 31 days, as persistence. */
static struct netlink_range_validation lvs_cfg_timeout_range = {
	.min	= 0,
	.max	= LVS_PERSIST_TIMEOUT_MAX,
};

static const struct nla_policy lvs_stats_policy[LVS_STATS_ATTR_MAX + 1] = {
	[LVS_STATS_ATTR_CONNS]		= { .type = NLA_U64 },
	[LVS_STATS_ATTR_INPKTS]		= { .type = NLA_U64 },
	[LVS_STATS_ATTR_OUTPKTS]	= { .type = NLA_U64 },
	[LVS_STATS_ATTR_INBYTES]	= { .type = NLA_U64 },
	[LVS_STATS_ATTR_OUTBYTES]	= { .type = NLA_U64 },
	[LVS_STATS_ATTR_CPS]		= { .type = NLA_U64 },
	[LVS_STATS_ATTR_INPPS]		= { .type = NLA_U64 },
	[LVS_STATS_ATTR_OUTPPS]		= { .type = NLA_U64 },
	[LVS_STATS_ATTR_INBPS]		= { .type = NLA_U64 },
	[LVS_STATS_ATTR_OUTBPS]		= { .type = NLA_U64 },
};

/*
 * Reply-only attributes are accepted (a tool may echo a reply back) and
 * ignored, as IPVS does; their types are still checked.
 */
static const struct nla_policy lvs_svc_policy[LVS_SVC_ATTR_MAX + 1] = {
	[LVS_SVC_ATTR_AF]	= { .type = NLA_U16 },
	[LVS_SVC_ATTR_PROTOCOL]	= { .type = NLA_U16 },
	[LVS_SVC_ATTR_ADDR]	= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
	[LVS_SVC_ATTR_PORT]	= { .type = NLA_U16 },
	[LVS_SVC_ATTR_FWMARK]	= { .type = NLA_U32 },
	[LVS_SVC_ATTR_SCHED_NAME] = { .type = NLA_NUL_STRING,
				      .len = LVS_SCHED_NAME_MAX - 1 },
	[LVS_SVC_ATTR_FLAGS]	= NLA_POLICY_EXACT_LEN(sizeof(struct lvs_flags)),
	[LVS_SVC_ATTR_TIMEOUT]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&lvs_timeout_range),
	[LVS_SVC_ATTR_NETMASK]	= { .type = NLA_U32 },
	[LVS_SVC_ATTR_STATS]	= NLA_POLICY_NESTED(lvs_stats_policy),
	[LVS_SVC_ATTR_NUM_DESTS] = { .type = NLA_U32 },
};

static const struct nla_policy lvs_dest_policy[LVS_DEST_ATTR_MAX + 1] = {
	[LVS_DEST_ATTR_ADDR]	= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
	[LVS_DEST_ATTR_PORT]	= { .type = NLA_U16 },
	[LVS_DEST_ATTR_FWD_METHOD] = NLA_POLICY_RANGE(NLA_U8, LVS_FWD_MASQ,
						      LVS_FWD_MAX),
	[LVS_DEST_ATTR_WEIGHT]	= NLA_POLICY_FULL_RANGE(NLA_U32,
							&lvs_weight_range),
	[LVS_DEST_ATTR_U_THRESH] = { .type = NLA_U32 },
	[LVS_DEST_ATTR_L_THRESH] = { .type = NLA_U32 },
	[LVS_DEST_ATTR_ACTIVE_CONNS] = { .type = NLA_U32 },
	[LVS_DEST_ATTR_INACT_CONNS] = { .type = NLA_U32 },
	[LVS_DEST_ATTR_PERSIST_CONNS] = { .type = NLA_U32 },
	[LVS_DEST_ATTR_STATS]	= NLA_POLICY_NESTED(lvs_stats_policy),
	[LVS_DEST_ATTR_ADDR_FAMILY] = { .type = NLA_U16 },
	[LVS_DEST_ATTR_TUN_TYPE] = NLA_POLICY_MAX(NLA_U8, LVS_TUN_MAX),
	[LVS_DEST_ATTR_TUN_PORT] = { .type = NLA_U16 },
	[LVS_DEST_ATTR_TUN_FLAGS] = NLA_POLICY_MASK(NLA_U16,
						    LVS_TUN_F_CSUM |
						    LVS_TUN_F_REMCSUM),
	[LVS_DEST_ATTR_FLAGS]	= { .type = NLA_U32 },
};

static const struct nla_policy lvs_tcp_states_policy[LVS_TCP_S_MAX + 2] = {
	[LVS_TCP_S_NONE + 1 ... LVS_TCP_S_MAX + 1] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &lvs_cfg_timeout_range),
};

static const struct nla_policy lvs_cfg_policy[LVS_CFG_ATTR_MAX + 1] = {
	[LVS_CFG_ATTR_TIMEOUT_TCP] = NLA_POLICY_FULL_RANGE(NLA_U32,
						&lvs_cfg_timeout_range),
	[LVS_CFG_ATTR_TIMEOUT_TCP_FIN] = NLA_POLICY_FULL_RANGE(NLA_U32,
						&lvs_cfg_timeout_range),
	[LVS_CFG_ATTR_TIMEOUT_UDP] = NLA_POLICY_FULL_RANGE(NLA_U32,
						&lvs_cfg_timeout_range),
	[LVS_CFG_ATTR_TCP_STATES] = NLA_POLICY_NESTED(lvs_tcp_states_policy),
	[LVS_CFG_ATTR_CONN_MAX]	= { .type = NLA_U32 },
	[LVS_CFG_ATTR_EXPIRE_NODEST_CONN] = NLA_POLICY_MAX(NLA_U32, 1),
	[LVS_CFG_ATTR_EXPIRE_QUIESCENT_TEMPLATE] = NLA_POLICY_MAX(NLA_U32, 1),
	[LVS_CFG_ATTR_SLOPPY_TCP] = NLA_POLICY_MAX(NLA_U32, 1),
	[LVS_CFG_ATTR_CONN_REUSE_MODE] = NLA_POLICY_MAX(NLA_U32, 3),
};

static struct netlink_range_validation lvs_maxlen_range = {
	.min	= LVS_SYNC_MIN_LEN,
	.max	= 65535 - 20 - 8,
};

static const struct nla_policy lvs_daemon_policy[LVS_DAEMON_ATTR_MAX + 1] = {
	[LVS_DAEMON_ATTR_STATE]	= NLA_POLICY_RANGE(NLA_U32, LVS_DAEMON_MASTER,
						   LVS_DAEMON_BACKUP),
	[LVS_DAEMON_ATTR_MCAST_IFN] = { .type = NLA_NUL_STRING,
					.len = IFNAMSIZ - 1 },
	[LVS_DAEMON_ATTR_SYNC_ID] = NLA_POLICY_MAX(NLA_U32, 255),
	[LVS_DAEMON_ATTR_SYNC_MAXLEN] =
		NLA_POLICY_FULL_RANGE(NLA_U16, &lvs_maxlen_range),
	/* 4 bytes (IPv4) or 16 (IPv6): checked in lvs_daemon_addr() */
	[LVS_DAEMON_ATTR_MCAST_GROUP] = { .type = NLA_BINARY,
					  .len = sizeof(struct in6_addr) },
	[LVS_DAEMON_ATTR_MCAST_PORT] = { .type = NLA_BE16 },
	[LVS_DAEMON_ATTR_MCAST_TTL] = NLA_POLICY_MIN(NLA_U8, 1),
	[LVS_DAEMON_ATTR_PEER]	= { .type = NLA_BINARY,
				    .len = sizeof(struct in6_addr) },
	[LVS_DAEMON_ATTR_SENT_PKTS ... LVS_DAEMON_ATTR_PAD] = {
		.type = NLA_REJECT },
};

static const struct nla_policy lvs_policy[LVS_ATTR_MAX + 1] = {
	[LVS_ATTR_SERVICE]	= NLA_POLICY_NESTED(lvs_svc_policy),
	[LVS_ATTR_DEST]		= NLA_POLICY_NESTED(lvs_dest_policy),
	[LVS_ATTR_CONN]		= { .type = NLA_REJECT },
	[LVS_ATTR_CONFIG]	= NLA_POLICY_NESTED(lvs_cfg_policy),
	[LVS_ATTR_INFO]		= { .type = NLA_REJECT },
	[LVS_ATTR_DAEMON]	= NLA_POLICY_NESTED(lvs_daemon_policy),
};

/* ---- parsing ---------------------------------------------------------- */

static int lvs_parse_af(struct nlattr *attr, u16 *af,
			struct netlink_ext_ack *extack)
{
	*af = nla_get_u16(attr);
	if (*af != AF_INET && *af != AF_INET6) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "address family must be AF_INET or AF_INET6");
		return -EAFNOSUPPORT;
	}
	return 0;
}

static int lvs_parse_addr(struct nlattr *attr, u16 af,
			  union nf_inet_addr *addr,
			  struct netlink_ext_ack *extack)
{
	if (nla_len(attr) != lvs_addr_len(af)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "address length does not match its family");
		return -EINVAL;
	}
	memset(addr, 0, sizeof(*addr));
	nla_memcpy(addr, attr, sizeof(*addr));
	return 0;
}

/* Parse LVS_ATTR_SERVICE into its table and the key naming a service. */
static int lvs_parse_svc(struct genl_info *info, struct nlattr **tb,
			 struct lvs_svc_key *key)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = info->attrs[LVS_ATTR_SERVICE];
	int ret;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "missing LVS_ATTR_SERVICE");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, LVS_SVC_ATTR_MAX, nest, lvs_svc_policy,
			       extack);
	if (ret)
		return ret;
	memset(key, 0, sizeof(*key));
	if (!tb[LVS_SVC_ATTR_AF]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "missing LVS_SVC_ATTR_AF");
		return -EINVAL;
	}
	ret = lvs_parse_af(tb[LVS_SVC_ATTR_AF], &key->af, extack);
	if (ret)
		return ret;
	if (tb[LVS_SVC_ATTR_FWMARK]) {
		key->fwmark = nla_get_u32(tb[LVS_SVC_ATTR_FWMARK]);
		if (!key->fwmark) {
			NL_SET_ERR_MSG_ATTR(extack, tb[LVS_SVC_ATTR_FWMARK],
					    "firewall mark must not be 0");
			return -EINVAL;
		}
		return 0;
	}
	if (!tb[LVS_SVC_ATTR_PROTOCOL] || !tb[LVS_SVC_ATTR_ADDR] ||
	    !tb[LVS_SVC_ATTR_PORT]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "a service needs FWMARK or PROTOCOL, ADDR and PORT");
		return -EINVAL;
	}
	key->protocol = nla_get_u16(tb[LVS_SVC_ATTR_PROTOCOL]);
	if (key->protocol != IPPROTO_TCP && key->protocol != IPPROTO_UDP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_SVC_ATTR_PROTOCOL],
				    "protocol must be TCP or UDP");
		return -EPROTONOSUPPORT;
	}
	ret = lvs_parse_addr(tb[LVS_SVC_ATTR_ADDR], key->af, &key->addr,
			     extack);
	if (ret)
		return ret;
	key->port = (__force __be16)nla_get_u16(tb[LVS_SVC_ATTR_PORT]);
	return 0;
}

static int lvs_check_netmask(u16 af, struct nlattr *attr,
			     struct netlink_ext_ack *extack)
{
	u32 mask = nla_get_u32(attr);

	/*
	 * Any IPv4 mask, as IPVS: persistence groups clients by
	 * (address & mask), which is well defined for a non-contiguous
	 * mask too (ipvsadm -M 64 means 0.0.0.64).  IPv6: a prefix length.
	 */
	if (af == AF_INET6 && (mask < 1 || mask > 128)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "netmask: an IPv6 prefix length from 1 to 128");
		return -EINVAL;
	}
	return 0;
}

/* Look up the service LVS_ATTR_SERVICE names.  lvs_mutex held. */
static struct lvs_svc *lvs_get_svc(struct genl_info *info,
				   struct nlattr **tb, int *err)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct lvs_svc_key key;
	struct lvs_svc *svc;

	*err = lvs_parse_svc(info, tb, &key);
	if (*err)
		return NULL;
	svc = lvs_svc_lookup(ln, &key);
	if (!svc) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LVS_ATTR_SERVICE],
				    "no such service");
		*err = -ESRCH;
	}
	return svc;
}

/* ---- services --------------------------------------------------------- */

static struct lvs_sched_ops *lvs_get_sched(struct nlattr *attr,
					   struct netlink_ext_ack *extack)
{
	struct lvs_sched_ops *sched = lvs_sched_get(nla_data(attr));

	if (!sched)
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "unknown scheduler (no module lvs_<name>)");
	return sched;
}

static int lvs_cmd_new_service(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct lvs_sched_ops *sched;
	struct lvs_svc_key key;
	u32 flags = 0, timeout = 0;
	__be32 netmask;
	int ret;

	ret = lvs_parse_svc(info, tb, &key);
	if (ret)
		return ret;
	if (!tb[LVS_SVC_ATTR_SCHED_NAME]) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[LVS_ATTR_SERVICE],
				    "missing LVS_SVC_ATTR_SCHED_NAME");
		return -EINVAL;
	}
	if (tb[LVS_SVC_ATTR_FLAGS]) {
		struct lvs_flags *f = nla_data(tb[LVS_SVC_ATTR_FLAGS]);

		flags = f->flags & f->mask & LVS_SVC_F_USER_MASK;
	}
	if (tb[LVS_SVC_ATTR_TIMEOUT])
		timeout = nla_get_u32(tb[LVS_SVC_ATTR_TIMEOUT]);
	if ((flags & LVS_SVC_F_PERSISTENT) && !timeout) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[LVS_ATTR_SERVICE],
				    "a persistent service needs a TIMEOUT");
		return -EINVAL;
	}
	/* IPVS's order of refusals: an existing service before an unknown
	 * scheduler before a bad mask (ipvsadm's messages follow it). */
	mutex_lock(&lvs_mutex);
	ret = lvs_svc_lookup(ln, &key) ? -EEXIST : 0;
	mutex_unlock(&lvs_mutex);
	if (ret) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[LVS_ATTR_SERVICE],
				    "service exists");
		return ret;
	}
	sched = lvs_get_sched(tb[LVS_SVC_ATTR_SCHED_NAME], extack);
	if (!sched)
		return -ENOENT;
	netmask = key.af == AF_INET6 ? (__force __be32)128 : htonl(~0U);
	if (tb[LVS_SVC_ATTR_NETMASK]) {
		ret = lvs_check_netmask(key.af, tb[LVS_SVC_ATTR_NETMASK],
					extack);
		if (ret) {
			lvs_sched_put(sched);
			return ret;
		}
		netmask = (__force __be32)nla_get_u32(tb[LVS_SVC_ATTR_NETMASK]);
	}
	mutex_lock(&lvs_mutex);
	if (lvs_svc_lookup(ln, &key)) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[LVS_ATTR_SERVICE],
				    "service exists");
		ret = -EEXIST;
		goto err_unlock;
	}
	ret = lvs_svc_add(ln, &key, sched, flags, timeout, netmask, NULL);
	if (ret) {
		NL_SET_ERR_MSG(extack, "could not create the service");
		goto err_unlock;
	}
	lvs_gen_bump(ln);
	mutex_unlock(&lvs_mutex);
	return 0;

err_unlock:
	mutex_unlock(&lvs_mutex);
	lvs_sched_put(sched);
	return ret;
}

static int lvs_cmd_set_service(struct sk_buff *skb, struct genl_info *info)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct lvs_sched_ops *sched = NULL;
	u32 flags = 0, mask = 0, timeout;
	struct lvs_svc *svc;
	__be32 netmask;
	u16 af = 0;
	int ret;

	/*
	 * Outside the mutex (a scheduler module may have to be loaded), in
	 * IPVS's order of refusals: no such service, then an unknown
	 * scheduler, then a bad mask.  The service is looked up again below.
	 */
	mutex_lock(&lvs_mutex);
	svc = lvs_get_svc(info, tb, &ret);
	if (svc)
		af = svc->pub.af;
	mutex_unlock(&lvs_mutex);
	if (!svc)
		return ret;
	if (tb[LVS_SVC_ATTR_SCHED_NAME]) {
		sched = lvs_get_sched(tb[LVS_SVC_ATTR_SCHED_NAME], extack);
		if (!sched)
			return -ENOENT;
	}
	if (tb[LVS_SVC_ATTR_NETMASK]) {
		ret = lvs_check_netmask(af, tb[LVS_SVC_ATTR_NETMASK],
					extack);
		if (ret)
			goto err_put;
	}
	if (tb[LVS_SVC_ATTR_FLAGS]) {
		struct lvs_flags *f = nla_data(tb[LVS_SVC_ATTR_FLAGS]);

		flags = f->flags;
		mask = f->mask;
	}

	mutex_lock(&lvs_mutex);
	svc = lvs_get_svc(info, tb, &ret);
	if (!svc)
		goto err_unlock;
	timeout = svc->timeout / HZ;
	if (tb[LVS_SVC_ATTR_TIMEOUT])
		timeout = nla_get_u32(tb[LVS_SVC_ATTR_TIMEOUT]);
	netmask = svc->netmask;
	if (tb[LVS_SVC_ATTR_NETMASK])
		netmask = (__force __be32)nla_get_u32(tb[LVS_SVC_ATTR_NETMASK]);
	if ((((svc->pub.flags & ~mask) | (flags & mask)) &
	     LVS_SVC_F_PERSISTENT) && !timeout) {
		NL_SET_ERR_MSG_ATTR(extack, info->attrs[LVS_ATTR_SERVICE],
				    "a persistent service needs a TIMEOUT");
		ret = -EINVAL;
		goto err_unlock;
	}
	ret = lvs_svc_edit(svc, sched, flags, mask, timeout, netmask);
	lvs_gen_bump(svc->ln);
	sched = NULL;
	if (ret)
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_SVC_ATTR_SCHED_NAME],
				    "the scheduler refused the service");
err_unlock:
	mutex_unlock(&lvs_mutex);
err_put:
	if (sched)
		lvs_sched_put(sched);
	return ret;
}

static int lvs_cmd_del_service(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct lvs_svc *svc;
	bool last = false;
	int ret;

	mutex_lock(&lvs_mutex);
	svc = lvs_get_svc(info, tb, &ret);
	if (svc) {
		lvs_gen_bump(ln);
		last = lvs_svc_del(svc);
	}
	mutex_unlock(&lvs_mutex);
	if (last)
		lvs_svc_settle(ln);
	return ret;
}

static int lvs_put_stats(struct sk_buff *msg, int type, struct lvs_stats *st)
{
	struct lvs_counters sum, rate;
	struct nlattr *nest;

	lvs_stats_read(st, &sum, &rate);
	nest = nla_nest_start(msg, type);
	if (!nest ||
	    nla_put_u64_64bit(msg, LVS_STATS_ATTR_CONNS, sum.conns,
			      LVS_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LVS_STATS_ATTR_INPKTS, sum.inpkts,
			      LVS_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LVS_STATS_ATTR_OUTPKTS, sum.outpkts,
			      LVS_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LVS_STATS_ATTR_INBYTES, sum.inbytes,
			      LVS_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LVS_STATS_ATTR_OUTBYTES, sum.outbytes,
			      LVS_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LVS_STATS_ATTR_CPS, rate.conns,
			      LVS_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LVS_STATS_ATTR_INPPS, rate.inpkts,
			      LVS_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LVS_STATS_ATTR_OUTPPS, rate.outpkts,
			      LVS_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LVS_STATS_ATTR_INBPS, rate.inbytes,
			      LVS_STATS_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LVS_STATS_ATTR_OUTBPS, rate.outbytes,
			      LVS_STATS_ATTR_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int lvs_fill_svc(struct sk_buff *msg, struct lvs_svc *svc, u32 portid,
			u32 seq, int flags, struct netlink_callback *cb)
{
	struct lvs_sched_ops *sched;
	struct lvs_flags f;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &lvs_genl_family, flags,
			  LVS_CMD_GET_SERVICE);
	if (!hdr)
		return -EMSGSIZE;
	if (cb)
		genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(msg, LVS_ATTR_SERVICE);
	if (!nest || nla_put_u16(msg, LVS_SVC_ATTR_AF, svc->pub.af))
		goto err_cancel;
	if (svc->pub.fwmark) {
		if (nla_put_u32(msg, LVS_SVC_ATTR_FWMARK, svc->pub.fwmark))
			goto err_cancel;
	} else if (nla_put_u16(msg, LVS_SVC_ATTR_PROTOCOL,
			       svc->pub.protocol) ||
		   nla_put(msg, LVS_SVC_ATTR_ADDR, lvs_addr_len(svc->pub.af),
			   &svc->pub.addr) ||
		   nla_put_u16(msg, LVS_SVC_ATTR_PORT,
			       (__force u16)svc->pub.port)) {
		goto err_cancel;
	}
	sched = rcu_dereference_protected(svc->sched,
					  lockdep_is_held(&lvs_mutex));
	f.flags = svc->pub.flags;
	f.mask = ~0U;
	if (nla_put_string(msg, LVS_SVC_ATTR_SCHED_NAME,
			   sched ? sched->name : "none") ||
	    nla_put(msg, LVS_SVC_ATTR_FLAGS, sizeof(f), &f) ||
	    nla_put_u32(msg, LVS_SVC_ATTR_TIMEOUT, svc->timeout / HZ) ||
	    nla_put_u32(msg, LVS_SVC_ATTR_NETMASK,
			(__force u32)svc->netmask) ||
	    nla_put_u32(msg, LVS_SVC_ATTR_NUM_DESTS, svc->pub.num_dests) ||
	    lvs_put_stats(msg, LVS_SVC_ATTR_STATS, &svc->stats))
		goto err_cancel;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

static int lvs_cmd_get_service(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct lvs_svc *svc;
	struct sk_buff *msg;
	int ret;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&lvs_mutex);
	svc = lvs_get_svc(info, tb, &ret);
	if (svc)
		ret = lvs_fill_svc(msg, svc, info->snd_portid, info->snd_seq,
				   0, NULL);
	mutex_unlock(&lvs_mutex);
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	return genlmsg_reply(msg, info);
}

/* cb->args[0]: table (0 tuple, 1 fwmark), [1]: bucket, [2]: index. */
static int lvs_dump_services(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lvs_net *ln = lvs_net(sock_net(skb->sk));
	unsigned long t, b, idx;
	struct hlist_head *tab;
	struct lvs_svc *svc;

	mutex_lock(&lvs_mutex);
	cb->seq = ln->gen;
	for (t = cb->args[0]; t < 2; t++) {
		tab = t ? ln->fwm_tab : ln->svc_tab;
		for (b = cb->args[1]; b < LVS_SVC_TAB_SIZE; b++) {
			idx = 0;
			hlist_for_each_entry(svc, &tab[b], h_node) {
				if (idx++ < cb->args[2])
					continue;
				if (lvs_fill_svc(skb, svc,
						 NETLINK_CB(cb->skb).portid,
						 cb->nlh->nlmsg_seq,
						 NLM_F_MULTI, cb)) {
					cb->args[0] = t;
					cb->args[1] = b;
					cb->args[2] = idx - 1;
					goto out;
				}
			}
			cb->args[2] = 0;
		}
		cb->args[1] = 0;
	}
	cb->args[0] = 2;
out:
	mutex_unlock(&lvs_mutex);
	return skb->len;
}

/* ---- dests ------------------------------------------------------------ */

/*
 * Parse LVS_ATTR_DEST.  With @fill, absent attributes take the NEW_DEST
 * defaults; otherwise cfg must hold the current values.
 */
static int lvs_parse_dest(struct genl_info *info, struct lvs_svc *svc,
			  struct nlattr **tb, struct lvs_rs_cfg *cfg)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = info->attrs[LVS_ATTR_DEST];
	int ret;

	if (!nest) {
		NL_SET_ERR_MSG(extack, "missing LVS_ATTR_DEST");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, LVS_DEST_ATTR_MAX, nest, lvs_dest_policy,
			       extack);
	if (ret)
		return ret;
	cfg->af = svc->pub.af;
	if (tb[LVS_DEST_ATTR_ADDR_FAMILY]) {
		ret = lvs_parse_af(tb[LVS_DEST_ATTR_ADDR_FAMILY], &cfg->af,
				   extack);
		if (ret)
			return ret;
	}
	if (!tb[LVS_DEST_ATTR_ADDR]) {
		NL_SET_ERR_MSG_ATTR(extack, nest, "missing LVS_DEST_ATTR_ADDR");
		return -EINVAL;
	}
	ret = lvs_parse_addr(tb[LVS_DEST_ATTR_ADDR], cfg->af, &cfg->addr,
			     extack);
	if (ret)
		return ret;
	cfg->port = 0;
	if (tb[LVS_DEST_ATTR_PORT])
		cfg->port = (__force __be16)nla_get_u16(tb[LVS_DEST_ATTR_PORT]);
	return 0;
}

/* Apply the optional attributes over @cfg and check the result. */
static int lvs_parse_dest_opts(struct genl_info *info, struct lvs_svc *svc,
			       struct nlattr **tb, struct lvs_rs_cfg *cfg)
{
	struct netlink_ext_ack *extack = info->extack;
	struct nlattr *nest = info->attrs[LVS_ATTR_DEST];

	if (tb[LVS_DEST_ATTR_FWD_METHOD])
		cfg->fwd = nla_get_u8(tb[LVS_DEST_ATTR_FWD_METHOD]);
	if (tb[LVS_DEST_ATTR_WEIGHT])
		cfg->weight = nla_get_u32(tb[LVS_DEST_ATTR_WEIGHT]);
	if (tb[LVS_DEST_ATTR_U_THRESH])
		cfg->u_threshold = nla_get_u32(tb[LVS_DEST_ATTR_U_THRESH]);
	if (tb[LVS_DEST_ATTR_L_THRESH])
		cfg->l_threshold = nla_get_u32(tb[LVS_DEST_ATTR_L_THRESH]);
	if (tb[LVS_DEST_ATTR_TUN_TYPE])
		cfg->tun_type = nla_get_u8(tb[LVS_DEST_ATTR_TUN_TYPE]);
	if (tb[LVS_DEST_ATTR_TUN_PORT])
		cfg->tun_port =
			(__force __be16)nla_get_u16(tb[LVS_DEST_ATTR_TUN_PORT]);
	if (tb[LVS_DEST_ATTR_TUN_FLAGS])
		cfg->tun_flags = nla_get_u16(tb[LVS_DEST_ATTR_TUN_FLAGS]);

	if (cfg->af != svc->pub.af && cfg->fwd != LVS_FWD_TUNNEL) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_DEST_ATTR_ADDR_FAMILY],
				    "only tunnelled real servers may differ in address family from the service");
		return -EINVAL;
	}
	if (cfg->fwd == LVS_FWD_TUNNEL && cfg->tun_type != LVS_TUN_IPIP) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_DEST_ATTR_TUN_TYPE],
				    "only IPIP tunnels are implemented (no GUE, GRE)");
		return -EOPNOTSUPP;
	}
	if (cfg->fwd == LVS_FWD_TUNNEL && cfg->tun_flags) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_DEST_ATTR_TUN_FLAGS],
				    "IPIP tunnels take no checksum options");
		return -EOPNOTSUPP;
	}
	/* As IPVS: a lower threshold needs an upper one at least as high
	 * (ERANGE); a NAT server's port 0 means the packet's port. */
	if (cfg->l_threshold > cfg->u_threshold) {
		NL_SET_ERR_MSG_ATTR(extack, tb[LVS_DEST_ATTR_L_THRESH] ?: nest,
				    "lower threshold above the upper threshold");
		return -ERANGE;
	}
	return 0;
}

/*
 * A real server is a unicast or local address, as IPVS requires: not
 * multicast, broadcast, 0.0.0.0, ::, or an IPv6 link-local address that
 * is not this host's.
 */
static int lvs_check_rs_addr(struct net *net, const struct lvs_rs_cfg *cfg,
			     struct netlink_ext_ack *extack, struct nlattr *at)
{
	bool ok;

	if (cfg->af == AF_INET6) {
		int t = ipv6_addr_type(&cfg->addr.in6);

		ok = ((t & IPV6_ADDR_UNICAST) && !(t & IPV6_ADDR_LINKLOCAL)) ||
		     ipv6_chk_addr(net, &cfg->addr.in6, NULL, 0);
	} else {
		unsigned int t = inet_addr_type(net, cfg->addr.ip);

		ok = t == RTN_UNICAST || t == RTN_LOCAL;
	}
	if (!ok) {
		NL_SET_ERR_MSG_ATTR(extack, at,
				    "a real server needs a unicast address");
		return -EINVAL;
	}
	return 0;
}

static int lvs_cmd_new_dest(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *stb[LVS_SVC_ATTR_MAX + 1];
	struct nlattr *tb[LVS_DEST_ATTR_MAX + 1];
	struct lvs_rs_cfg cfg;
	struct lvs_svc *svc;
	int ret;

	mutex_lock(&lvs_mutex);
	svc = lvs_get_svc(info, stb, &ret);
	if (!svc)
		goto out;
	memset(&cfg, 0, sizeof(cfg));
	ret = lvs_parse_dest(info, svc, tb, &cfg);
	if (ret)
		goto out;
	cfg.fwd = LVS_FWD_DROUTE;
	cfg.weight = 1;
	cfg.tun_type = LVS_TUN_IPIP;
	ret = lvs_parse_dest_opts(info, svc, tb, &cfg);
	if (ret)
		goto out;
	if (lvs_rs_lookup(svc, cfg.af, &cfg.addr, cfg.port)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LVS_ATTR_DEST],
				    "real server exists");
		ret = -EEXIST;
		goto out;
	}
	ret = lvs_check_rs_addr(genl_info_net(info), &cfg, info->extack,
				tb[LVS_DEST_ATTR_ADDR]);
	if (ret)
		goto out;
	ret = lvs_rs_add(svc, &cfg);
	if (ret)
		NL_SET_ERR_MSG(info->extack, "could not add the real server");
	lvs_gen_bump(svc->ln);
out:
	mutex_unlock(&lvs_mutex);
	return ret;
}

static struct lvs_rs *lvs_get_rs(struct genl_info *info, struct nlattr **stb,
				 struct nlattr **tb, struct lvs_rs_cfg *cfg,
				 int *err)
{
	struct lvs_svc *svc;
	struct lvs_rs *rs;

	svc = lvs_get_svc(info, stb, err);
	if (!svc)
		return NULL;
	memset(cfg, 0, sizeof(*cfg));
	*err = lvs_parse_dest(info, svc, tb, cfg);
	if (*err)
		return NULL;
	/* IPVS refuses thresholds given the wrong way round before it
	 * looks the server up (SET_DEST; DEL_DEST carries none). */
	if (tb[LVS_DEST_ATTR_U_THRESH] && tb[LVS_DEST_ATTR_L_THRESH] &&
	    nla_get_u32(tb[LVS_DEST_ATTR_L_THRESH]) >
	    nla_get_u32(tb[LVS_DEST_ATTR_U_THRESH])) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LVS_DEST_ATTR_L_THRESH],
				    "lower threshold above the upper threshold");
		*err = -ERANGE;
		return NULL;
	}
	rs = lvs_rs_lookup(svc, cfg->af, &cfg->addr, cfg->port);
	if (!rs) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LVS_ATTR_DEST],
				    "no such real server");
		*err = -ENOENT;
	}
	return rs;
}

static int lvs_cmd_set_dest(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *stb[LVS_SVC_ATTR_MAX + 1];
	struct nlattr *tb[LVS_DEST_ATTR_MAX + 1];
	struct lvs_rs_cfg cfg;
	struct lvs_rs *rs;
	int ret;

	mutex_lock(&lvs_mutex);
	rs = lvs_get_rs(info, stb, tb, &cfg, &ret);
	if (!rs)
		goto out;
	cfg.fwd = rs->fwd;
	cfg.weight = atomic_read(&rs->pub.weight);
	cfg.u_threshold = rs->pub.u_threshold;
	cfg.l_threshold = rs->pub.l_threshold;
	cfg.tun_type = rs->tun_type;
	cfg.tun_port = rs->tun_port;
	cfg.tun_flags = rs->tun_flags;
	ret = lvs_parse_dest_opts(info, rs->svc, tb, &cfg);
	if (ret)
		goto out;
	ret = lvs_rs_edit(rs, &cfg, tb[LVS_DEST_ATTR_FWD_METHOD] ||
				    tb[LVS_DEST_ATTR_TUN_TYPE] ||
				    tb[LVS_DEST_ATTR_TUN_PORT] ||
				    tb[LVS_DEST_ATTR_TUN_FLAGS]);
	lvs_gen_bump(rs->svc->ln);
	if (ret)
		NL_SET_ERR_MSG(info->extack,
			       "the scheduler refused the change");
out:
	mutex_unlock(&lvs_mutex);
	return ret;
}

static int lvs_cmd_del_dest(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *stb[LVS_SVC_ATTR_MAX + 1];
	struct nlattr *tb[LVS_DEST_ATTR_MAX + 1];
	struct lvs_rs_cfg cfg;
	struct lvs_rs *rs;
	int ret;

	mutex_lock(&lvs_mutex);
	rs = lvs_get_rs(info, stb, tb, &cfg, &ret);
	if (rs) {
		lvs_gen_bump(rs->svc->ln);
		lvs_rs_del(rs);
	}
	mutex_unlock(&lvs_mutex);
	return ret;
}

static int lvs_fill_dest(struct sk_buff *msg, struct lvs_rs *rs, u32 portid,
			 u32 seq, struct netlink_callback *cb)
{
	struct lvs_dest *d = &rs->pub;
	struct nlattr *nest;
	void *hdr;

	hdr = genlmsg_put(msg, portid, seq, &lvs_genl_family, NLM_F_MULTI,
			  LVS_CMD_GET_DEST);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	nest = nla_nest_start(msg, LVS_ATTR_DEST);
	if (!nest ||
	    nla_put(msg, LVS_DEST_ATTR_ADDR, lvs_addr_len(d->af), &d->addr) ||
	    nla_put_u16(msg, LVS_DEST_ATTR_PORT, (__force u16)d->port) ||
	    nla_put_u16(msg, LVS_DEST_ATTR_ADDR_FAMILY, d->af) ||
	    nla_put_u8(msg, LVS_DEST_ATTR_FWD_METHOD, rs->fwd) ||
	    nla_put_u32(msg, LVS_DEST_ATTR_WEIGHT, atomic_read(&d->weight)) ||
	    nla_put_u32(msg, LVS_DEST_ATTR_U_THRESH, d->u_threshold) ||
	    nla_put_u32(msg, LVS_DEST_ATTR_L_THRESH, d->l_threshold) ||
	    nla_put_u32(msg, LVS_DEST_ATTR_ACTIVE_CONNS,
			atomic_read(&d->activeconns)) ||
	    nla_put_u32(msg, LVS_DEST_ATTR_INACT_CONNS,
			atomic_read(&d->inactconns)) ||
	    nla_put_u32(msg, LVS_DEST_ATTR_PERSIST_CONNS,
			atomic_read(&d->persistconns)) ||
	    nla_put_u8(msg, LVS_DEST_ATTR_TUN_TYPE, rs->tun_type) ||
	    nla_put_u16(msg, LVS_DEST_ATTR_TUN_PORT,
			(__force u16)rs->tun_port) ||
	    nla_put_u16(msg, LVS_DEST_ATTR_TUN_FLAGS, rs->tun_flags) ||
	    nla_put_u32(msg, LVS_DEST_ATTR_FLAGS, READ_ONCE(d->flags)) ||
	    lvs_put_stats(msg, LVS_DEST_ATTR_STATS, &rs->stats))
		goto err_cancel;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;

err_cancel:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/* cb->args[0]: index of the next dest; [1]: set when done. */
static int lvs_dump_dests(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct genl_dumpit_info *dinfo = genl_dumpit_info(cb);
	struct lvs_net *ln = lvs_net(sock_net(skb->sk));
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct genl_info info = {
		.attrs	= dinfo->attrs,
		.extack	= cb->extack,
	};
	struct lvs_svc_key key;
	struct lvs_dest *d;
	struct lvs_svc *svc;
	unsigned long idx = 0;
	int ret;

	if (cb->args[1])
		return 0;
	ret = lvs_parse_svc(&info, tb, &key);
	if (ret)
		return ret;
	mutex_lock(&lvs_mutex);
	cb->seq = ln->gen;
	svc = lvs_svc_lookup(ln, &key);
	if (!svc) {
		mutex_unlock(&lvs_mutex);
		NL_SET_ERR_MSG(cb->extack, "no such service");
		return -ESRCH;
	}
	list_for_each_entry(d, &svc->pub.destinations, n_list) {
		if (idx++ < cb->args[0])
			continue;
		if (lvs_fill_dest(skb, to_rs(d), NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, cb)) {
			cb->args[0] = idx - 1;
			goto out;
		}
	}
	cb->args[1] = 1;
out:
	mutex_unlock(&lvs_mutex);
	return skb->len;
}

/* ---- connections ------------------------------------------------------ */

struct lvs_conn_dump {
	struct sk_buff		*skb;
	struct netlink_callback	*cb;
};

static int lvs_fill_conn(struct lvs_conn *cp, void *arg)
{
	struct lvs_conn_dump *cd = arg;
	struct sk_buff *msg = cd->skb;
	unsigned long deadline, now = jiffies;
	struct nlattr *nest;
	u32 expires = 0;
	void *hdr;

	deadline = READ_ONCE(cp->last) + READ_ONCE(cp->timeout);
	if (time_after(deadline, now))
		expires = jiffies_to_msecs(deadline - now);
	hdr = genlmsg_put(msg, NETLINK_CB(cd->cb->skb).portid,
			  cd->cb->nlh->nlmsg_seq, &lvs_genl_family,
			  NLM_F_MULTI, LVS_CMD_GET_CONN);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(msg, LVS_ATTR_CONN);
	if (!nest ||
	    nla_put_u16(msg, LVS_CONN_ATTR_AF, cp->af) ||
	    nla_put_u16(msg, LVS_CONN_ATTR_PROTOCOL, cp->protocol) ||
	    nla_put(msg, LVS_CONN_ATTR_CADDR, lvs_addr_len(cp->af),
		    &cp->caddr) ||
	    nla_put_u16(msg, LVS_CONN_ATTR_CPORT, (__force u16)cp->cport) ||
	    nla_put(msg, LVS_CONN_ATTR_VADDR, lvs_addr_len(cp->af),
		    &cp->vaddr) ||
	    nla_put_u16(msg, LVS_CONN_ATTR_VPORT, (__force u16)cp->vport) ||
	    nla_put(msg, LVS_CONN_ATTR_DADDR, lvs_addr_len(cp->daf),
		    &cp->daddr) ||
	    nla_put_u16(msg, LVS_CONN_ATTR_DPORT, (__force u16)cp->dport) ||
	    nla_put_u16(msg, LVS_CONN_ATTR_DEST_AF, cp->daf) ||
	    (cp->fwmark &&
	     nla_put_u32(msg, LVS_CONN_ATTR_FWMARK, cp->fwmark)) ||
	    nla_put_u8(msg, LVS_CONN_ATTR_STATE,
		       cp->protocol == IPPROTO_TCP ? cp->state : 0) ||
	    nla_put_u32(msg, LVS_CONN_ATTR_FLAGS,
			READ_ONCE(cp->flags) & LVS_CONN_F_ABI_MASK) ||
	    nla_put_u8(msg, LVS_CONN_ATTR_FWD_METHOD, cp->fwd) ||
	    nla_put_u32(msg, LVS_CONN_ATTR_EXPIRES, expires)) {
		genlmsg_cancel(msg, hdr);
		return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;
}

/* cb->args[0..1]: bucket and index in it (lvs_conn_walk's position). */
static int lvs_dump_conns(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lvs_conn_dump cd = { .skb = skb, .cb = cb };

	lvs_conn_walk(sock_net(skb->sk), (unsigned long *)&cb->args[0],
		      lvs_fill_conn, &cd);
	return skb->len;
}

/* ---- configuration, info, zero, flush --------------------------------- */

static int lvs_cmd_set_config(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct nlattr *tb[LVS_CFG_ATTR_MAX + 1];
	struct nlattr *st[LVS_TCP_S_MAX + 2];
	struct nlattr *nest = info->attrs[LVS_ATTR_CONFIG];
	unsigned int i;
	u32 v;
	int ret;

	/* Nothing to change (ipvsadm --set 0 0 0; libnl drops an empty
	 * nest), as IPVS takes a SET_CONFIG without timeouts. */
	if (!nest)
		return 0;
	ret = nla_parse_nested(tb, LVS_CFG_ATTR_MAX, nest, lvs_cfg_policy,
			       info->extack);
	if (ret)
		return ret;
	if (tb[LVS_CFG_ATTR_CONN_MAX] &&
	    nla_get_u32(tb[LVS_CFG_ATTR_CONN_MAX]) > lvs_conn_max_limit()) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LVS_CFG_ATTR_CONN_MAX],
				    "connection cap above the global limit (LVS_INFO_ATTR_CONN_LIMIT)");
		return -ERANGE;
	}
	memset(st, 0, sizeof(st));
	if (tb[LVS_CFG_ATTR_TCP_STATES]) {
		ret = nla_parse_nested(st, LVS_TCP_S_MAX + 1,
				       tb[LVS_CFG_ATTR_TCP_STATES],
				       lvs_tcp_states_policy, info->extack);
		if (ret)
			return ret;
	}

	mutex_lock(&lvs_mutex);
	for (i = 0; i <= LVS_TCP_S_MAX; i++) {
		v = st[i + 1] ? nla_get_u32(st[i + 1]) : 0;
		if (v)
			WRITE_ONCE(ln->tcp_timeout[i], (unsigned long)v * HZ);
	}
	v = tb[LVS_CFG_ATTR_TIMEOUT_TCP] ?
	    nla_get_u32(tb[LVS_CFG_ATTR_TIMEOUT_TCP]) : 0;
	if (v)
		WRITE_ONCE(ln->tcp_timeout[LVS_TCP_S_ESTABLISHED],
			   (unsigned long)v * HZ);
	v = tb[LVS_CFG_ATTR_TIMEOUT_TCP_FIN] ?
	    nla_get_u32(tb[LVS_CFG_ATTR_TIMEOUT_TCP_FIN]) : 0;
	if (v)
		WRITE_ONCE(ln->tcp_timeout[LVS_TCP_S_FIN_WAIT],
			   (unsigned long)v * HZ);
	v = tb[LVS_CFG_ATTR_TIMEOUT_UDP] ?
	    nla_get_u32(tb[LVS_CFG_ATTR_TIMEOUT_UDP]) : 0;
	if (v)
		WRITE_ONCE(ln->udp_timeout, (unsigned long)v * HZ);
	if (tb[LVS_CFG_ATTR_CONN_MAX]) {
		v = nla_get_u32(tb[LVS_CFG_ATTR_CONN_MAX]);
		WRITE_ONCE(ln->conn_max, v ? v : lvs_conn_max_default());
	}
	if (tb[LVS_CFG_ATTR_EXPIRE_NODEST_CONN])
		WRITE_ONCE(ln->expire_nodest_conn,
			   nla_get_u32(tb[LVS_CFG_ATTR_EXPIRE_NODEST_CONN]));
	if (tb[LVS_CFG_ATTR_EXPIRE_QUIESCENT_TEMPLATE])
		WRITE_ONCE(ln->expire_quiescent_template,
			   nla_get_u32(tb[LVS_CFG_ATTR_EXPIRE_QUIESCENT_TEMPLATE]));
	if (tb[LVS_CFG_ATTR_SLOPPY_TCP])
		WRITE_ONCE(ln->sloppy_tcp,
			   nla_get_u32(tb[LVS_CFG_ATTR_SLOPPY_TCP]));
	if (tb[LVS_CFG_ATTR_CONN_REUSE_MODE])
		WRITE_ONCE(ln->conn_reuse_mode,
			   nla_get_u32(tb[LVS_CFG_ATTR_CONN_REUSE_MODE]));
	mutex_unlock(&lvs_mutex);
	return 0;
}

static int lvs_cmd_get_config(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct nlattr *nest, *states;
	struct sk_buff *msg;
	unsigned int i;
	void *hdr;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lvs_genl_family, 0,
				LVS_CMD_GET_CONFIG);
	if (!hdr)
		goto err_free;
	mutex_lock(&lvs_mutex);
	nest = nla_nest_start(msg, LVS_ATTR_CONFIG);
	if (!nest ||
	    nla_put_u32(msg, LVS_CFG_ATTR_TIMEOUT_TCP,
			ln->tcp_timeout[LVS_TCP_S_ESTABLISHED] / HZ) ||
	    nla_put_u32(msg, LVS_CFG_ATTR_TIMEOUT_TCP_FIN,
			ln->tcp_timeout[LVS_TCP_S_FIN_WAIT] / HZ) ||
	    nla_put_u32(msg, LVS_CFG_ATTR_TIMEOUT_UDP,
			ln->udp_timeout / HZ) ||
	    nla_put_u32(msg, LVS_CFG_ATTR_CONN_MAX, ln->conn_max) ||
	    nla_put_u32(msg, LVS_CFG_ATTR_EXPIRE_NODEST_CONN,
			ln->expire_nodest_conn) ||
	    nla_put_u32(msg, LVS_CFG_ATTR_EXPIRE_QUIESCENT_TEMPLATE,
			ln->expire_quiescent_template) ||
	    nla_put_u32(msg, LVS_CFG_ATTR_SLOPPY_TCP, ln->sloppy_tcp) ||
	    nla_put_u32(msg, LVS_CFG_ATTR_CONN_REUSE_MODE,
			ln->conn_reuse_mode))
		goto err_unlock;
	states = nla_nest_start(msg, LVS_CFG_ATTR_TCP_STATES);
	if (!states)
		goto err_unlock;
	for (i = 0; i <= LVS_TCP_S_MAX; i++)
		if (nla_put_u32(msg, i + 1, ln->tcp_timeout[i] / HZ))
			goto err_unlock;
	nla_nest_end(msg, states);
	nla_nest_end(msg, nest);
	mutex_unlock(&lvs_mutex);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_unlock:
	mutex_unlock(&lvs_mutex);
err_free:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static int lvs_cmd_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct sk_buff *msg;
	struct nlattr *nest;
	void *hdr;

	msg = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &lvs_genl_family, 0,
				LVS_CMD_GET_INFO);
	if (!hdr)
		goto nla_put_failure;
	nest = nla_nest_start(msg, LVS_ATTR_INFO);
	if (!nest ||
	    nla_put_u32(msg, LVS_INFO_ATTR_VERSION, LVS_VERSION_CODE) ||
	    nla_put_u32(msg, LVS_INFO_ATTR_CONN_TAB_SIZE,
			lvs_conn_tab_size()) ||
	    nla_put_u32(msg, LVS_INFO_ATTR_CONN_COUNT,
			atomic_read(&ln->conn_count)) ||
	    nla_put_u32(msg, LVS_INFO_ATTR_CONN_MAX,
			READ_ONCE(ln->conn_max)) ||
	    nla_put_u64_64bit(msg, LVS_INFO_ATTR_CONN_DROPPED,
			      atomic64_read(&ln->conn_dropped),
			      LVS_INFO_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, LVS_INFO_ATTR_CONN_EVICTED,
			      atomic64_read(&ln->conn_evicted),
			      LVS_INFO_ATTR_PAD) ||
	    nla_put_u32(msg, LVS_INFO_ATTR_CONN_LIMIT, lvs_conn_max_limit()))
		goto nla_put_failure;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nla_put_failure:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static void lvs_zero_svc(struct lvs_svc *svc)
{
	struct lvs_dest *d;

	lvs_stats_zero(&svc->stats);
	list_for_each_entry(d, &svc->pub.destinations, n_list)
		lvs_stats_zero(&to_rs(d)->stats);
}

static int lvs_cmd_zero(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct nlattr *tb[LVS_SVC_ATTR_MAX + 1];
	struct lvs_svc *svc;
	unsigned int i;
	int ret = 0;

	mutex_lock(&lvs_mutex);
	if (info->attrs[LVS_ATTR_SERVICE]) {
		svc = lvs_get_svc(info, tb, &ret);
		if (svc)
			lvs_zero_svc(svc);
		goto out;
	}
	for (i = 0; i < LVS_SVC_TAB_SIZE; i++) {
		hlist_for_each_entry(svc, &ln->svc_tab[i], h_node)
			lvs_zero_svc(svc);
		hlist_for_each_entry(svc, &ln->fwm_tab[i], h_node)
			lvs_zero_svc(svc);
	}
out:
	mutex_unlock(&lvs_mutex);
	return ret;
}

/*
 * Delete every service and every connection of the namespace.  The grace
 * period and the walk over the connections run without the mutex: other
 * namespaces' commands do not wait for them, and nothing here sleeps with
 * it held.  After lvs_svc_settle() no entry can be made any more (or
 * only for a service added since, which a FLUSH does not promise to
 * cover).
 */
static int lvs_cmd_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	bool gone;

	mutex_lock(&lvs_mutex);
	lvs_gen_bump(ln);
	gone = lvs_svc_flush(ln);
	mutex_unlock(&lvs_mutex);
	if (gone)
		lvs_svc_settle(ln);
	lvs_conn_net_flush(ln, false);
	return 0;
}

/* ---- connection sync daemons (sync.c, docs/sync.md) -------------------- */

static int lvs_parse_daemon(struct genl_info *info, struct nlattr **tb)
{
	struct nlattr *nest = info->attrs[LVS_ATTR_DAEMON];
	int ret;

	if (!nest) {
		NL_SET_ERR_MSG(info->extack, "missing LVS_ATTR_DAEMON");
		return -EINVAL;
	}
	ret = nla_parse_nested(tb, LVS_DAEMON_ATTR_MAX, nest,
			       lvs_daemon_policy, info->extack);
	if (ret)
		return ret;
	if (!tb[LVS_DAEMON_ATTR_STATE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "missing LVS_DAEMON_ATTR_STATE");
		return -EINVAL;
	}
	return 0;
}

/*
 * A group or peer address: its length gives its family, which must be
 * the channel's (*af, 0 while not yet known).
 */
static int lvs_daemon_addr(const struct nlattr *a, u16 *af,
			   union nf_inet_addr *addr, struct genl_info *info)
{
	u16 family;

	memset(addr, 0, sizeof(*addr));
	if (nla_len(a) == sizeof(struct in_addr)) {
		family = AF_INET;
		addr->ip = nla_get_in_addr(a);
	} else if (nla_len(a) == sizeof(struct in6_addr)) {
		family = AF_INET6;
		addr->in6 = nla_get_in6_addr(a);
	} else {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "an address is 4 (IPv4) or 16 bytes (IPv6)");
		return -EINVAL;
	}
	if (*af && *af != family) {
		NL_SET_ERR_MSG_ATTR(info->extack, a,
				    "group and peer of different families");
		return -EINVAL;
	}
	*af = family;
	return 0;
}

static bool lvs_daemon_multicast(u16 af, const union nf_inet_addr *a)
{
	return af == AF_INET6 ? ipv6_addr_is_multicast(&a->in6) :
				ipv4_is_multicast(a->ip);
}

static int lvs_cmd_new_daemon(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct nlattr *tb[LVS_DAEMON_ATTR_MAX + 1];
	struct lvs_sync_cfg cfg = {
		.syncid	= 0,
		.ttl	= LVS_SYNC_DEFAULT_TTL,
		.maxlen	= LVS_SYNC_DEFAULT_MAXLEN,
		.port	= htons(LVS_SYNC_DEFAULT_PORT),
	};
	struct nlattr *a;
	int ret;

	ret = lvs_parse_daemon(info, tb);
	if (ret)
		return ret;
	cfg.state = nla_get_u32(tb[LVS_DAEMON_ATTR_STATE]);
	a = tb[LVS_DAEMON_ATTR_MCAST_IFN];
	if (!a || !nla_len(a) || !*(char *)nla_data(a)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[LVS_ATTR_DAEMON],
				    "missing LVS_DAEMON_ATTR_MCAST_IFN");
		return -EINVAL;
	}
	nla_strscpy(cfg.ifname, a, sizeof(cfg.ifname));
	if (tb[LVS_DAEMON_ATTR_SYNC_ID])
		cfg.syncid = nla_get_u32(tb[LVS_DAEMON_ATTR_SYNC_ID]);
	if (tb[LVS_DAEMON_ATTR_SYNC_MAXLEN])
		cfg.maxlen = nla_get_u16(tb[LVS_DAEMON_ATTR_SYNC_MAXLEN]);
	if (tb[LVS_DAEMON_ATTR_MCAST_TTL])
		cfg.ttl = nla_get_u8(tb[LVS_DAEMON_ATTR_MCAST_TTL]);
	a = tb[LVS_DAEMON_ATTR_MCAST_GROUP];
	if (a) {
		ret = lvs_daemon_addr(a, &cfg.af, &cfg.group, info);
		if (ret)
			return ret;
		if (!lvs_daemon_multicast(cfg.af, &cfg.group)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "not a multicast group");
			return -EINVAL;
		}
	}
	a = tb[LVS_DAEMON_ATTR_MCAST_PORT];
	if (a) {
		cfg.port = nla_get_be16(a);
		if (!cfg.port) {
			NL_SET_ERR_MSG_ATTR(info->extack, a, "port 0");
			return -EINVAL;
		}
	}
	a = tb[LVS_DAEMON_ATTR_PEER];
	if (a) {
		ret = lvs_daemon_addr(a, &cfg.af, &cfg.peer, info);
		if (ret)
			return ret;
		if (lvs_daemon_multicast(cfg.af, &cfg.peer) ||
		    (cfg.af == AF_INET6 ?
		     ipv6_addr_any(&cfg.peer.in6) :
		     ipv4_is_zeronet(cfg.peer.ip) ||
		     ipv4_is_lbcast(cfg.peer.ip))) {
			NL_SET_ERR_MSG_ATTR(info->extack, a,
					    "peer must be a unicast address");
			return -EINVAL;
		}
		cfg.has_peer = true;
	}
	if (!cfg.af) {
		cfg.af = AF_INET;
		cfg.group.ip = htonl(LVS_SYNC_DEFAULT_GROUP);
	} else if (cfg.af == AF_INET6 && !tb[LVS_DAEMON_ATTR_MCAST_GROUP]) {
		cfg.group.in6 = (struct in6_addr)LVS_SYNC_DEFAULT_GROUP6;
	}
	/* IPv6's header is 20 bytes longer: keep to a 1500-byte MTU. */
	if (cfg.af == AF_INET6 && !tb[LVS_DAEMON_ATTR_SYNC_MAXLEN])
		cfg.maxlen = LVS_SYNC_DEFAULT_MAXLEN6;
	mutex_lock(&lvs_mutex);
	ret = lvs_sync_start(ln, &cfg, info->extack);
	mutex_unlock(&lvs_mutex);
	return ret;
}

static int lvs_cmd_del_daemon(struct sk_buff *skb, struct genl_info *info)
{
	struct lvs_net *ln = lvs_net(genl_info_net(info));
	struct nlattr *tb[LVS_DAEMON_ATTR_MAX + 1];
	int ret;

	ret = lvs_parse_daemon(info, tb);
	if (ret)
		return ret;
	mutex_lock(&lvs_mutex);
	ret = lvs_sync_stop(ln, nla_get_u32(tb[LVS_DAEMON_ATTR_STATE]));
	mutex_unlock(&lvs_mutex);
	if (ret == -ESRCH)
		NL_SET_ERR_MSG_ATTR(info->extack, tb[LVS_DAEMON_ATTR_STATE],
				    "no sync daemon of this role runs");
	return ret;
}

static int lvs_fill_daemon(struct sk_buff *msg, struct lvs_net *ln,
			   u32 state, struct netlink_callback *cb)
{
	u64 cnt[LVS_SYNC_C_MAX];
	struct lvs_sync_cfg cfg;
	struct nlattr *nest;
	int i, alen;
	void *hdr;

	if (lvs_sync_info(ln, state, &cfg, cnt))
		return 0;
	alen = cfg.af == AF_INET6 ? sizeof(struct in6_addr) :
				    sizeof(struct in_addr);
	hdr = genlmsg_put(msg, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			  &lvs_genl_family, NLM_F_MULTI, LVS_CMD_GET_DAEMON);
	if (!hdr)
		return -EMSGSIZE;
	nest = nla_nest_start(msg, LVS_ATTR_DAEMON);
	if (!nest ||
	    nla_put_u32(msg, LVS_DAEMON_ATTR_STATE, cfg.state) ||
	    nla_put_string(msg, LVS_DAEMON_ATTR_MCAST_IFN, cfg.ifname) ||
	    nla_put_u32(msg, LVS_DAEMON_ATTR_SYNC_ID, cfg.syncid) ||
	    nla_put_u16(msg, LVS_DAEMON_ATTR_SYNC_MAXLEN, cfg.maxlen) ||
	    nla_put(msg, LVS_DAEMON_ATTR_MCAST_GROUP, alen, &cfg.group) ||
	    nla_put_be16(msg, LVS_DAEMON_ATTR_MCAST_PORT, cfg.port) ||
	    nla_put_u8(msg, LVS_DAEMON_ATTR_MCAST_TTL, cfg.ttl) ||
	    (cfg.has_peer &&
	     nla_put(msg, LVS_DAEMON_ATTR_PEER, alen, &cfg.peer)))
		goto err;
	for (i = 0; i < LVS_SYNC_C_MAX; i++)
		if (nla_put_u64_64bit(msg, LVS_DAEMON_ATTR_SENT_PKTS + i,
				      cnt[i], LVS_DAEMON_ATTR_PAD))
			goto err;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return 0;

err:
	genlmsg_cancel(msg, hdr);
	return -EMSGSIZE;
}

/* cb->args[0]: the next role to report, 0 master, 1 backup, 2 done. */
static int lvs_dump_daemons(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct lvs_net *ln = lvs_net(sock_net(skb->sk));
	static const u32 roles[] = { LVS_DAEMON_MASTER, LVS_DAEMON_BACKUP };

	mutex_lock(&lvs_mutex);
	for (; cb->args[0] < ARRAY_SIZE(roles); cb->args[0]++)
		if (lvs_fill_daemon(skb, ln, roles[cb->args[0]], cb))
			break;
	mutex_unlock(&lvs_mutex);
	return skb->len;
}

static const struct genl_small_ops lvs_genl_ops[] = {
	{
		.cmd	= LVS_CMD_NEW_SERVICE,
		.flags	= GENL_ADMIN_PERM,
		.doit	= lvs_cmd_new_service,
	},
	{
		.cmd	= LVS_CMD_SET_SERVICE,
		.flags	= GENL_ADMIN_PERM,
		.doit	= lvs_cmd_set_service,
	},
	{
		.cmd	= LVS_CMD_DEL_SERVICE,
		.flags	= GENL_ADMIN_PERM,
		.doit	= lvs_cmd_del_service,
	},
	{
		.cmd	= LVS_CMD_GET_SERVICE,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= lvs_cmd_get_service,
		.dumpit	= lvs_dump_services,
	},
	{
		.cmd	= LVS_CMD_NEW_DEST,
		.flags	= GENL_ADMIN_PERM,
		.doit	= lvs_cmd_new_dest,
	},
	{
		.cmd	= LVS_CMD_SET_DEST,
		.flags	= GENL_ADMIN_PERM,
		.doit	= lvs_cmd_set_dest,
	},
	{
		.cmd	= LVS_CMD_DEL_DEST,
		.flags	= GENL_ADMIN_PERM,
		.doit	= lvs_cmd_del_dest,
	},
	{
		.cmd	= LVS_CMD_GET_DEST,
		.flags	= GENL_UNS_ADMIN_PERM,
		.dumpit	= lvs_dump_dests,
	},
	{
		.cmd	= LVS_CMD_GET_CONN,
		.flags	= GENL_UNS_ADMIN_PERM,
		.dumpit	= lvs_dump_conns,
	},
	{
		.cmd	= LVS_CMD_SET_CONFIG,
		.flags	= GENL_ADMIN_PERM,
		.doit	= lvs_cmd_set_config,
	},
	{
		.cmd	= LVS_CMD_GET_CONFIG,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= lvs_cmd_get_config,
	},
	{
		.cmd	= LVS_CMD_GET_INFO,
		.flags	= GENL_UNS_ADMIN_PERM,
		.doit	= lvs_cmd_get_info,
	},
	{
		.cmd	= LVS_CMD_ZERO,
		.flags	= GENL_ADMIN_PERM,
		.doit	= lvs_cmd_zero,
	},
	{
		.cmd	= LVS_CMD_FLUSH,
		.flags	= GENL_ADMIN_PERM,
		.doit	= lvs_cmd_flush,
	},
	{
		.cmd	= LVS_CMD_NEW_DAEMON,
		.flags	= GENL_ADMIN_PERM,
		.doit	= lvs_cmd_new_daemon,
	},
	{
		.cmd	= LVS_CMD_DEL_DAEMON,
		.flags	= GENL_ADMIN_PERM,
		.doit	= lvs_cmd_del_daemon,
	},
	{
		.cmd	= LVS_CMD_GET_DAEMON,
		.flags	= GENL_UNS_ADMIN_PERM,
		.dumpit	= lvs_dump_daemons,
	},
};

static struct genl_family lvs_genl_family __ro_after_init = {
	.name		= LVS_GENL_NAME,
	.version	= LVS_GENL_VERSION,
	.maxattr	= LVS_ATTR_MAX,
	.policy		= lvs_policy,
	.netnsok	= true,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.small_ops	= lvs_genl_ops,
	.n_small_ops	= ARRAY_SIZE(lvs_genl_ops),
	.resv_start_op	= LVS_CMD_MAX + 1,
};

int __init lvs_genl_init(void)
{
	return genl_register_family(&lvs_genl_family);
}

void lvs_genl_exit(void)
{
	genl_unregister_family(&lvs_genl_family);
}
