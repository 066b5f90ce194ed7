// SPDX-License-Identifier: GPL-2.0
/*
 * genl.c - the generic netlink family "LVS" (include/uapi/lvs.h).
 */
#include <net/genetlink.h>

#include "lvs_core.h"

static struct genl_family lvs_genl_family;

static int lvs_cmd_get_info(struct sk_buff *skb, struct genl_info *info)
{
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
	    nla_put_u32(msg, LVS_INFO_ATTR_VERSION, LVS_VERSION_CODE))
		goto nla_put_failure;
	nla_nest_end(msg, nest);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

nla_put_failure:
	nlmsg_free(msg);
	return -EMSGSIZE;
}

static const struct nla_policy lvs_policy[LVS_ATTR_MAX + 1] = {
	[LVS_ATTR_SERVICE]	= { .type = NLA_NESTED },
	[LVS_ATTR_DEST]		= { .type = NLA_NESTED },
	[LVS_ATTR_CONN]		= { .type = NLA_NESTED },
	[LVS_ATTR_CONFIG]	= { .type = NLA_NESTED },
	[LVS_ATTR_INFO]		= { .type = NLA_NESTED },
};

static const struct genl_small_ops lvs_genl_ops[] = {
	{
		.cmd	= LVS_CMD_GET_INFO,
		.doit	= lvs_cmd_get_info,
	},
};

static struct genl_family lvs_genl_family __ro_after_init = {
	.name		= LVS_GENL_NAME,
	.version	= LVS_GENL_VERSION,
	.maxattr	= LVS_ATTR_MAX,
	.policy		= lvs_policy,
	.netnsok	= true,
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
