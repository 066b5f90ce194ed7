// SPDX-License-Identifier: GPL-2.0
/*
 * garp.c - telling the link that a virtual address moved: a gratuitous ARP
 * request (sender and target both the VIP, to the broadcast address) on a
 * packet socket, and for IPv6 an unsolicited neighbour advertisement to
 * all nodes with the Override flag (RFC 4861 7.2.6).  See vrrp_net.h.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netpacket/packet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "vrrp_net.h"

#define ARP_HW_ETHER	1
#define ARP_OP_REQUEST	1

/* An ARP packet for Ethernet and IPv4 (RFC 826), as on the wire. */
struct arp_eth4 {
	uint16_t	htype, ptype;
	uint8_t		hlen, plen;
	uint16_t	op;
	uint8_t		sha[6], spa[4], tha[6], tpa[4];
} __attribute__((packed));

static int fail(char *err, size_t errlen, int e, const char *what, int ifindex)
{
	char name[IF_NAMESIZE] = "?";

	if_indextoname((unsigned int)ifindex, name);
	snprintf(err, errlen, "%s on %s: %s", what, name, strerror(e));
	return -e;
}

int vrrp_garp(int ifindex, const struct in_addr *vip, char *err,
	      size_t errlen)
{
	struct sockaddr_ll to = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(ETHERTYPE_ARP),
		.sll_ifindex = ifindex,
		.sll_halen = 6,
	};
	struct arp_eth4 a = {
		.htype = htons(ARP_HW_ETHER), .ptype = htons(ETHERTYPE_IP),
		.hlen = 6, .plen = 4, .op = htons(ARP_OP_REQUEST),
	};
	int fd, r;

	r = vrrp_if_mac(ifindex, a.sha);
	if (r)
		return fail(err, errlen, -r, "gratuitous ARP", ifindex);
	memcpy(a.spa, vip, 4);
	memcpy(a.tpa, vip, 4);
	memset(a.tha, 0xff, 6);
	memset(to.sll_addr, 0xff, 6);
	fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETHERTYPE_ARP));
	if (fd < 0)
		return fail(err, errlen, errno, "gratuitous ARP", ifindex);
	r = sendto(fd, &a, sizeof(a), 0, (struct sockaddr *)&to, sizeof(to)) < 0
		? fail(err, errlen, errno, "gratuitous ARP", ifindex) : 0;
	close(fd);
	return r;
}

int vrrp_una(int ifindex, const struct in6_addr *vip, bool router, char *err,
	     size_t errlen)
{
	struct {
		struct nd_neighbor_advert na;
		struct nd_opt_hdr opt;
		uint8_t mac[6];
	} __attribute__((packed)) m;
	struct sockaddr_in6 to = {
		.sin6_family = AF_INET6,
		.sin6_scope_id = (uint32_t)ifindex,
	};
	int fd, r, hops = 255;

	memset(&m, 0, sizeof(m));
	r = vrrp_if_mac(ifindex, m.mac);
	if (r)
		return fail(err, errlen, -r, "neighbour advertisement",
			    ifindex);
	m.na.nd_na_type = ND_NEIGHBOR_ADVERT;
	m.na.nd_na_flags_reserved = ND_NA_FLAG_OVERRIDE |
				    (router ? ND_NA_FLAG_ROUTER : 0);
	m.na.nd_na_target = *vip;
	m.opt.nd_opt_type = ND_OPT_TARGET_LINKADDR;
	m.opt.nd_opt_len = 1;			/* in units of 8 bytes */
	inet_pton(AF_INET6, "ff02::1", &to.sin6_addr);
	fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (fd < 0)
		return fail(err, errlen, errno, "neighbour advertisement",
			    ifindex);
	/* RFC 4861 7.1.2: a receiver drops an NA with a hop limit below 255.
	 * The kernel fills the ICMPv6 checksum in on raw ICMPv6 sockets. */
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops,
		       sizeof(hops)) ||
	    setsockopt(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &ifindex,
		       sizeof(ifindex)))
		r = fail(err, errlen, errno, "neighbour advertisement",
			 ifindex);
	else if (sendto(fd, &m, sizeof(m), 0, (struct sockaddr *)&to,
			sizeof(to)) < 0)
		r = fail(err, errlen, errno, "neighbour advertisement",
			 ifindex);
	close(fd);
	return r;
}
