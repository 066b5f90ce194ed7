// SPDX-License-Identifier: GPL-2.0
/*
 * sock.c - the advert socket: raw IP protocol 112 on one interface, the
 * multicast group joined, TTL / hop limit 255, and the source address and
 * interface of each send given per packet (IP_PKTINFO / IPV6_PKTINFO), so
 * one socket both sends and receives.  See vrrp_net.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp_net.h"

static int fail(char *err, size_t errlen, int e, const char *what, int ifindex)
{
	char name[IF_NAMESIZE] = "?";

	if_indextoname((unsigned int)ifindex, name);
	snprintf(err, errlen, "%s on %s: %s", what, name, strerror(e));
	return -e;
}

static int setopt(int fd, int level, int opt, int val)
{
	return setsockopt(fd, level, opt, &val, sizeof(val));
}

static int join4(struct vrrp_sock *s)
{
	struct ip_mreqn m = { .imr_ifindex = s->ifindex };

	m.imr_multiaddr = s->group.v4;
	if (setsockopt(s->fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &m, sizeof(m)) ||
	    setsockopt(s->fd, IPPROTO_IP, IP_MULTICAST_IF, &m, sizeof(m)) ||
	    setopt(s->fd, IPPROTO_IP, IP_MULTICAST_TTL, VRRP_TTL) ||
	    setopt(s->fd, IPPROTO_IP, IP_MULTICAST_LOOP, 0))
		return -errno;
	return 0;
}

static int join6(struct vrrp_sock *s)
{
	struct ipv6_mreq m = { .ipv6mr_interface = (unsigned int)s->ifindex };

	m.ipv6mr_multiaddr = s->group.v6;
	if (setsockopt(s->fd, IPPROTO_IPV6, IPV6_ADD_MEMBERSHIP, &m,
		       sizeof(m)) ||
	    setopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, s->ifindex) ||
	    setopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, VRRP_TTL) ||
	    setopt(s->fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, 0))
		return -errno;
	return 0;
}

int vrrp_sock_open(struct vrrp_sock *s, int family, int ifindex,
		   const union vrrp_addr *group, char *err, size_t errlen)
{
	char name[IF_NAMESIZE];
	int r;

	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->family = family;
	s->ifindex = ifindex;
	if (!if_indextoname((unsigned int)ifindex, name))
		return fail(err, errlen, ENODEV, "VRRP socket", ifindex);
	s->fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
		       VRRP_PROTO);
	if (s->fd < 0)
		return fail(err, errlen, errno, "VRRP socket", ifindex);
	/* Only this interface's adverts: VRIDs are per link. */
	if (setsockopt(s->fd, SOL_SOCKET, SO_BINDTODEVICE, name,
		       (socklen_t)strlen(name) + 1))
		goto sys;
	if (family == AF_INET) {
		if (setopt(s->fd, IPPROTO_IP, IP_TTL, VRRP_TTL) ||
		    setopt(s->fd, IPPROTO_IP, IP_PKTINFO, 1))
			goto sys;
	} else if (setopt(s->fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, VRRP_TTL) ||
		   setopt(s->fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT, 1) ||
		   setopt(s->fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, 1)) {
		goto sys;
	}
	if (group) {
		s->group = *group;
		s->mcast = true;
		r = family == AF_INET ? join4(s) : join6(s);
		if (r) {
			errno = -r;
			goto sys;
		}
	}
	return 0;
sys:
	r = fail(err, errlen, errno, "VRRP socket", ifindex);
	close(s->fd);
	s->fd = -1;
	return r;
}

void vrrp_sock_close(struct vrrp_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

int vrrp_sock_send(const struct vrrp_sock *s, const struct vrrp_ends *ends,
		   const uint8_t *msg, size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} c;
	struct sockaddr_storage to;
	struct iovec iov = { .iov_base = (void *)msg, .iov_len = len };
	struct msghdr mh = {
		.msg_name = &to, .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = c.buf,
	};
	struct cmsghdr *cm;

	memset(&to, 0, sizeof(to));
	memset(&c, 0, sizeof(c));
	cm = (struct cmsghdr *)c.buf;
	if (s->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&to;
		struct in_pktinfo pi = { .ipi_ifindex = s->ifindex };

		sin->sin_family = AF_INET;
		sin->sin_addr = ends->dst.v4;
		mh.msg_namelen = sizeof(*sin);
		pi.ipi_spec_dst = ends->src.v4;
		cm->cmsg_level = IPPROTO_IP;
		cm->cmsg_type = IP_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&to;
		struct in6_pktinfo pi = {
			.ipi6_ifindex = (unsigned int)s->ifindex,
		};

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = ends->dst.v6;
		sin6->sin6_scope_id = (uint32_t)s->ifindex;
		mh.msg_namelen = sizeof(*sin6);
		pi.ipi6_addr = ends->src.v6;
		cm->cmsg_level = IPPROTO_IPV6;
		cm->cmsg_type = IPV6_PKTINFO;
		cm->cmsg_len = CMSG_LEN(sizeof(pi));
		memcpy(CMSG_DATA(cm), &pi, sizeof(pi));
		mh.msg_controllen = CMSG_SPACE(sizeof(pi));
	}
	if (sendmsg(s->fd, &mh, 0) < 0)
		return -errno;
	return 0;
}

/* IPv4 raw sockets hand the IP header over; take the ends and TTL there. */
static int rx4(uint8_t *buf, size_t n, struct vrrp_rx *rx)
{
	const struct iphdr *ip = (const struct iphdr *)buf;
	size_t hl, tot;

	if (n < sizeof(*ip))
		return -EINVAL;
	hl = (size_t)ip->ihl * 4;
	tot = ntohs(ip->tot_len);
	if (hl < sizeof(*ip) || tot < hl || tot > n)
		return -EINVAL;
	rx->ends.family = AF_INET;
	rx->ends.src.v4.s_addr = ip->saddr;
	rx->ends.dst.v4.s_addr = ip->daddr;
	rx->ttl = ip->ttl;
	rx->msg = buf + hl;
	rx->len = tot - hl;
	return 0;
}

int vrrp_sock_recv(const struct vrrp_sock *s, uint8_t *buf, size_t size,
		   struct vrrp_rx *rx)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) +
			 CMSG_SPACE(sizeof(int)) +
			 CMSG_SPACE(sizeof(struct in_pktinfo))];
		struct cmsghdr align;
	} c;
	struct sockaddr_in6 from;
	struct iovec iov = { .iov_base = buf, .iov_len = size };
	struct msghdr mh = {
		.msg_name = &from, .msg_namelen = sizeof(from),
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = c.buf, .msg_controllen = sizeof(c.buf),
	};
	struct cmsghdr *cm;
	ssize_t n;

	memset(rx, 0, sizeof(*rx));
	rx->ttl = -1;
	n = recvmsg(s->fd, &mh, 0);
	if (n < 0)
		return -errno;
	if (mh.msg_flags & MSG_TRUNC)
		return -EMSGSIZE;
	if (s->family == AF_INET)
		return rx4(buf, (size_t)n, rx);

	rx->ends.family = AF_INET6;
	rx->ends.src.v6 = from.sin6_addr;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		if (cm->cmsg_level != IPPROTO_IPV6)
			continue;
		if (cm->cmsg_type == IPV6_HOPLIMIT)
			memcpy(&rx->ttl, CMSG_DATA(cm), sizeof(int));
		else if (cm->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;

			memcpy(&pi, CMSG_DATA(cm), sizeof(pi));
			rx->ends.dst.v6 = pi.ipi6_addr;
		}
	}
	rx->msg = buf;
	rx->len = (size_t)n;
	return 0;
}

int vrrp_if_primary(int ifindex, int family, union vrrp_addr *out)
{
	char name[IF_NAMESIZE];
	struct ifaddrs *ifa, *i;
	int r = -EADDRNOTAVAIL;

	if (!if_indextoname((unsigned int)ifindex, name))
		return -ENODEV;
	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		if (!i->ifa_addr || i->ifa_addr->sa_family != family ||
		    strcmp(i->ifa_name, name))
			continue;
		if (family == AF_INET) {
			out->v4 = ((struct sockaddr_in *)i->ifa_addr)->sin_addr;
			r = 0;
			break;
		}
		if (IN6_IS_ADDR_LINKLOCAL(
			    &((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr)) {
			out->v6 =
			    ((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
			r = 0;
			break;
		}
	}
	freeifaddrs(ifa);
	return r;
}

int vrrp_if_mac(int ifindex, uint8_t mac[6])
{
	struct ifaddrs *ifa, *i;
	char name[IF_NAMESIZE];
	int r = -EADDRNOTAVAIL;

	if (!if_indextoname((unsigned int)ifindex, name))
		return -ENODEV;
	if (getifaddrs(&ifa))
		return -errno;
	for (i = ifa; i; i = i->ifa_next) {
		const struct sockaddr_ll *ll;

		if (!i->ifa_addr || i->ifa_addr->sa_family != AF_PACKET ||
		    strcmp(i->ifa_name, name))
			continue;
		ll = (const struct sockaddr_ll *)i->ifa_addr;
		if (ll->sll_halen == 6) {
			memcpy(mac, ll->sll_addr, 6);
			r = 0;
		}
		break;
	}
	freeifaddrs(ifa);
	return r;
}
