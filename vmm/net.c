// SPDX-License-Identifier: GPL-2.0
/*
 * net.c - a pool's bridge and its nodes' taps, through rtnetlink (libmnl)
 * and /dev/net/tun; no ip(8).  What vmm makes carries an interface alias
 * naming it ("lvsd-vmm:<pool>..."): a device of that name without our
 * alias belongs to someone else and is neither used nor deleted.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/if_tun.h>
#include <linux/rtnetlink.h>

#include "vmm_int.h"

struct link_info {
	int	ifindex;
	char	kind[32];
	char	alias[128];
};

/* One request, one answer: CB sees each message of the reply. */
static int rtnl_talk(struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl = mnl_socket_open(NETLINK_ROUTE);
	unsigned int portid, seq = (unsigned int)time(NULL);
	int rc;

	if (!nl)
		return -errno;
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		rc = -errno;
		mnl_socket_close(nl);
		return rc;
	}
	portid = mnl_socket_get_portid(nl);
	nlh->nlmsg_seq = seq;
	nlh->nlmsg_flags |= NLM_F_ACK;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		rc = -errno;
		mnl_socket_close(nl);
		return rc;
	}
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));

		if (n < 0) {
			rc = -errno;
			break;
		}
		rc = mnl_cb_run(buf, (size_t)n, seq, portid, cb, data);
		if (rc <= MNL_CB_STOP) {
			rc = rc < 0 ? -errno : 0;
			break;
		}
	}
	mnl_socket_close(nl);
	return rc;
}

static int linkinfo_cb(const struct nlattr *a, void *data)
{
	struct link_info *li = data;

	if (mnl_attr_get_type(a) == IFLA_INFO_KIND)
		snprintf(li->kind, sizeof(li->kind), "%s",
			 mnl_attr_get_str(a));
	return MNL_CB_OK;
}

static int link_attr_cb(const struct nlattr *a, void *data)
{
	struct link_info *li = data;

	switch (mnl_attr_get_type(a)) {
	case IFLA_IFALIAS:
		snprintf(li->alias, sizeof(li->alias), "%s",
			 mnl_attr_get_str(a));
		break;
	case IFLA_LINKINFO:
		mnl_attr_parse_nested(a, linkinfo_cb, li);
		break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);
	struct link_info *li = data;

	li->ifindex = ifi->ifi_index;
	mnl_attr_parse(nlh, sizeof(*ifi), link_attr_cb, li);
	return MNL_CB_OK;
}

static struct nlmsghdr *link_msg(char *buf, int type, int flags, int ifindex)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = (uint16_t)type;
	nlh->nlmsg_flags = (uint16_t)(NLM_F_REQUEST | flags);
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_index = ifindex;
	return nlh;
}

/* 0 and LI filled, -ENODEV when there is no such link. */
static int link_get(const char *name, struct link_info *li)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_GETLINK, 0, 0);

	memset(li, 0, sizeof(*li));
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	return rtnl_talk(nlh, link_cb, li);
}

/* Alias, master (0: leave), and up. */
static int link_set(int ifindex, const char *alias, int master)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK, 0, ifindex);
	struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	if (alias)
		mnl_attr_put_strz(nlh, IFLA_IFALIAS, alias);
	if (master)
		mnl_attr_put_u32(nlh, IFLA_MASTER, (uint32_t)master);
	return rtnl_talk(nlh, NULL, NULL);
}

static int link_del(int ifindex)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return rtnl_talk(link_msg(buf, RTM_DELLINK, 0, ifindex), NULL, NULL);
}

/*
 * A bridge without an address of its own takes its lowest port's, so a
 * tap coming or going would change the nodes' gateway MAC under them and
 * leave their ARP caches pointing nowhere until they expire.  Give it a
 * fixed one, locally administered and unicast, from its name.
 */
static void bridge_mac(const char *name, uint8_t mac[6])
{
	uint32_t h = 2166136261u;		/* FNV-1a */

	for (; *name; name++)
		h = (h ^ (uint8_t)*name) * 16777619u;
	mac[0] = 0x02;
	mac[1] = 0x6c;
	mac[2] = (uint8_t)(h >> 24);
	mac[3] = (uint8_t)(h >> 16);
	mac[4] = (uint8_t)(h >> 8);
	mac[5] = (uint8_t)h;
}

static int bridge_add(const char *name)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = link_msg(buf, RTM_NEWLINK,
					NLM_F_CREATE | NLM_F_EXCL, 0);
	struct nlattr *info;
	uint8_t mac[6];

	bridge_mac(name, mac);
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	mnl_attr_put(nlh, IFLA_ADDRESS, sizeof(mac), mac);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "bridge");
	mnl_attr_nest_end(nlh, info);
	return rtnl_talk(nlh, NULL, NULL);
}

static int addr_add(int ifindex, const struct in_addr *a, int prefix)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifaddrmsg *ifa;

	nlh->nlmsg_type = RTM_NEWADDR;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE;
	ifa = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = (uint8_t)prefix;
	ifa->ifa_index = (uint32_t)ifindex;
	mnl_attr_put(nlh, IFA_LOCAL, sizeof(*a), a);
	mnl_attr_put(nlh, IFA_ADDRESS, sizeof(*a), a);
	return rtnl_talk(nlh, NULL, NULL);
}

int vmm_bridge_ensure(const char *name, const char *alias,
		      const struct in_addr *addr, int prefix, bool *created,
		      char *err, size_t len)
{
	struct link_info li;
	int rc = link_get(name, &li);

	*created = false;
	if (rc == 0) {
		if (strcmp(li.kind, "bridge"))
			return vmm_err(err, len, "bridge %s: a device of that "
				       "name exists and is not a bridge (%s)",
				       name, li.kind[0] ? li.kind : "no kind");
		if (strcmp(li.alias, alias))
			return vmm_err(err, len, "bridge %s: exists and is "
				       "owned by something else (alias \"%s\", "
				       "not \"%s\")", name, li.alias, alias);
	} else if (rc == -ENODEV) {
		rc = bridge_add(name);
		if (!rc)
			rc = link_get(name, &li);
		if (rc)
			return vmm_err(err, len, "bridge %s: %s", name,
				       strerror(-rc));
		*created = true;
	} else {
		return vmm_err(err, len, "bridge %s: %s", name, strerror(-rc));
	}
	rc = link_set(li.ifindex, alias, 0);
	if (!rc && addr->s_addr)
		rc = addr_add(li.ifindex, addr, prefix);
	if (rc) {
		if (*created)
			link_del(li.ifindex);
		*created = false;
		return vmm_err(err, len, "bridge %s: %s", name, strerror(-rc));
	}
	return 0;
}

int vmm_tap_create(const char *name, const char *bridge, const char *alias,
		   char *err, size_t len)
{
	struct link_info li, br;
	struct ifreq ifr = { .ifr_flags = IFF_TAP | IFF_NO_PI };
	int fd, rc;

	if (strlen(name) >= IFNAMSIZ)
		return vmm_err(err, len, "tap %s: name too long", name);
	rc = link_get(name, &li);
	if (rc == 0 && strcmp(li.alias, alias))
		return vmm_err(err, len, "tap %s: exists and is owned by "
			       "something else", name);
	if (rc == 0)
		link_del(li.ifindex);	/* ours, left by a crash */
	rc = link_get(bridge, &br);
	if (rc)
		return vmm_err(err, len, "bridge %s: %s", bridge,
			       strerror(-rc));
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return vmm_err(err, len, "/dev/net/tun: %s", strerror(errno));
	memcpy(ifr.ifr_name, name, strlen(name) + 1);
	if (ioctl(fd, TUNSETIFF, &ifr) || ioctl(fd, TUNSETPERSIST, 1)) {
		rc = errno;
		close(fd);
		return vmm_err(err, len, "tap %s: %s", name, strerror(rc));
	}
	close(fd);
	rc = link_get(name, &li);
	if (!rc)
		rc = link_set(li.ifindex, alias, br.ifindex);
	if (rc) {
		if (li.ifindex)
			link_del(li.ifindex);
		return vmm_err(err, len, "tap %s: %s", name, strerror(-rc));
	}
	return 0;
}

int vmm_link_del_ours(const char *name, const char *alias, char *err,
		      size_t len)
{
	struct link_info li;
	int rc = link_get(name, &li);

	if (rc == -ENODEV)
		return 0;
	if (rc)
		return vmm_err(err, len, "%s: %s", name, strerror(-rc));
	if (strcmp(li.alias, alias))
		return vmm_err(err, len, "%s: not ours (alias \"%s\"), left "
			       "alone", name, li.alias);
	rc = link_del(li.ifindex);
	if (rc && rc != -ENODEV)
		return vmm_err(err, len, "%s: %s", name, strerror(-rc));
	return 0;
}
