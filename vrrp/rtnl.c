// SPDX-License-Identifier: GPL-2.0
/*
 * rtnl.c - virtual addresses and routes through rtnetlink, with libmnl:
 * one request, one acknowledgement, the kernel's extack text in the error.
 * See vrrp_net.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "vrrp_net.h"

struct vrrp_nl {
	struct mnl_socket	*sock;
	unsigned int		portid;
	unsigned int		seq;
};

struct vrrp_nl *vrrp_nl_open(char *err, size_t errlen)
{
	struct vrrp_nl *nl = calloc(1, sizeof(*nl));
	int one = 1;

	if (!nl) {
		snprintf(err, errlen, "rtnetlink: %s", strerror(ENOMEM));
		return NULL;
	}
	nl->sock = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "rtnetlink: %s", strerror(errno));
		if (nl->sock)
			mnl_socket_close(nl->sock);
		free(nl);
		return NULL;
	}
	/* Extended acks carry the kernel's reason; older kernels ignore it. */
	mnl_socket_setsockopt(nl->sock, NETLINK_EXT_ACK, &one, sizeof(one));
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (unsigned int)time(NULL);
	return nl;
}

void vrrp_nl_close(struct vrrp_nl *nl)
{
	if (!nl)
		return;
	mnl_socket_close(nl->sock);
	free(nl);
}

/* The extack message of an error ack, if the kernel gave one. */
static const char *ack_text(const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *a;
	size_t off;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return NULL;
	off = sizeof(*e);
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - sizeof(e->msg);
	mnl_attr_for_each(a, nlh, off) {
		if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
		    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
			return mnl_attr_get_str(a);
	}
	return NULL;
}

/* Sends NLH and reads its ack; returns 0 or -errno, the reason in WHY. */
static int talk(struct vrrp_nl *nl, struct nlmsghdr *nlh, char *why,
		size_t whylen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	unsigned int seq = ++nl->seq;
	ssize_t n;

	nlh->nlmsg_seq = seq;
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		goto sys;
	for (;;) {
		const struct nlmsghdr *r;

		n = mnl_socket_recvfrom(nl->sock, buf, sizeof(buf));
		if (n < 0)
			goto sys;
		r = (const struct nlmsghdr *)buf;
		for (; mnl_nlmsg_ok(r, (int)n); r = mnl_nlmsg_next(r, (int *)&n)) {
			const struct nlmsgerr *e;
			const char *t;

			if (r->nlmsg_seq != seq || r->nlmsg_type != NLMSG_ERROR)
				continue;
			e = mnl_nlmsg_get_payload(r);
			if (!e->error)
				return 0;
			t = ack_text(r);
			snprintf(why, whylen, "%s", t ? t : strerror(-e->error));
			return e->error;
		}
	}
sys:
	snprintf(why, whylen, "%s", strerror(errno));
	return -errno;
}

static size_t alen(int family)
{
	return family == AF_INET6 ? 16 : 4;
}

static void describe(char *out, size_t n, int family, const union vrrp_addr *a,
		     unsigned int plen, int ifindex)
{
	char addr[INET6_ADDRSTRLEN] = "?", dev[IF_NAMESIZE] = "?";

	inet_ntop(family, a, addr, sizeof(addr));
	if (ifindex)
		if_indextoname((unsigned int)ifindex, dev);
	snprintf(out, n, "%s/%u%s%s", addr, plen, ifindex ? " on " : "",
		 ifindex ? dev : "");
}

int vrrp_vip_set(struct vrrp_nl *nl, const struct vrrp_vip *v, bool add,
		 char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[96], why[128];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;
	int r;

	nlh->nlmsg_type = add ? RTM_NEWADDR : RTM_DELADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = (uint8_t)v->family;
	ifa->ifa_prefixlen = v->plen;
	ifa->ifa_scope = v->scope;
	ifa->ifa_index = (uint32_t)v->ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, alen(v->family), &v->addr);
	if (v->family == AF_INET) {
		mnl_attr_put(nlh, IFA_ADDRESS, alen(v->family), &v->addr);
		if (v->label[0])
			mnl_attr_put_strz(nlh, IFA_LABEL, v->label);
	} else {
		/* A VIP must not wait for duplicate detection (keepalived). */
		ifa->ifa_flags = IFA_F_NODAD;
		mnl_attr_put_u32(nlh, IFA_FLAGS, IFA_F_NODAD);
	}
	r = talk(nl, nlh, why, sizeof(why));
	/* Someone else's copy, or already gone: the wanted state holds. */
	if ((add && r == -EEXIST) || (!add && r == -EADDRNOTAVAIL))
		return 0;
	if (r) {
		describe(what, sizeof(what), v->family, &v->addr, v->plen,
			 v->ifindex);
		snprintf(err, errlen, "%s %s: %s", add ? "add" : "delete",
			 what, why);
	}
	return r;
}

int vrrp_route_set(struct vrrp_nl *nl, const struct vrrp_route *rt, bool add,
		   char *err, size_t errlen)
{
	char buf[MNL_SOCKET_BUFFER_SIZE], what[96], why[128];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct rtmsg *rm;
	int r;

	nlh->nlmsg_type = add ? RTM_NEWROUTE : RTM_DELROUTE;
	nlh->nlmsg_flags = NLM_F_REQUEST | (add ? NLM_F_CREATE | NLM_F_EXCL : 0);
	rm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rm));
	rm->rtm_family = (uint8_t)rt->family;
	rm->rtm_dst_len = rt->plen;
	rm->rtm_table = RT_TABLE_UNSPEC;
	rm->rtm_protocol = RTPROT_STATIC;
	rm->rtm_scope = rt->scope;
	rm->rtm_type = RTN_UNICAST;
	if (rt->plen)
		mnl_attr_put(nlh, RTA_DST, alen(rt->family), &rt->dst);
	if (rt->has_gw)
		mnl_attr_put(nlh, RTA_GATEWAY, alen(rt->family), &rt->gw);
	if (rt->ifindex)
		mnl_attr_put_u32(nlh, RTA_OIF, (uint32_t)rt->ifindex);
	mnl_attr_put_u32(nlh, RTA_TABLE, rt->table ? rt->table : RT_TABLE_MAIN);
	if (rt->metric)
		mnl_attr_put_u32(nlh, RTA_PRIORITY, rt->metric);
	r = talk(nl, nlh, why, sizeof(why));
	if ((add && r == -EEXIST) || (!add && r == -ESRCH))
		return 0;
	if (r) {
		describe(what, sizeof(what), rt->family, &rt->dst, rt->plen,
			 rt->ifindex);
		snprintf(err, errlen, "%s route %s: %s", add ? "add" : "delete",
			 what, why);
	}
	return r;
}
