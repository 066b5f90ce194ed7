/* SPDX-License-Identifier: GPL-2.0 */
/*
 * vrrp_net.h - VRRP's I/O edge, the half of vrrp/ that touches the system:
 * the advert socket (IP protocol 112, multicast or unicast), virtual
 * addresses and routes through rtnetlink (libmnl), gratuitous ARP and
 * unsolicited neighbour advertisements.  vrrp.h decides; this carries out.
 *
 * Every call is synchronous and returns at once (sockets are non-blocking;
 * an rtnetlink request waits for its own acknowledgement, which the kernel
 * gives without sleeping on the network).  Errors return a negative errno
 * with a message in ERR naming the object ("add 10.0.0.1/32 on eth0: File
 * exists"); nothing here prints or exits.  Only the caller's network
 * namespace is touched.
 *
 * Tested by tests/host/vrrp_wire.sh in network namespaces: adverts between
 * two of our sockets and with a real keepalived, addresses added and
 * removed, ARP caches that follow a gratuitous ARP.
 */
#ifndef _VRRP_NET_H
#define _VRRP_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "vrrp.h"

#define VRRP_ERRLEN	160

/* The advert socket of one instance: one interface, one family. */
struct vrrp_sock {
	int		fd;
	int		family;
	int		ifindex;
	union vrrp_addr	group;		/* multicast group joined, or zero */
	bool		mcast;
};

/*
 * Opens the socket on IFINDEX.  GROUP is the multicast group to join and
 * send to (224.0.0.18, ff02::12 or the configured one), or NULL for unicast
 * peers only.  TTL / hop limit 255 is set on everything sent.
 */
int vrrp_sock_open(struct vrrp_sock *s, int family, int ifindex,
		   const union vrrp_addr *group, char *err, size_t errlen);
void vrrp_sock_close(struct vrrp_sock *s);
/* Sends MSG from ENDS->src to ENDS->dst out of the socket's interface. */
int vrrp_sock_send(const struct vrrp_sock *s, const struct vrrp_ends *ends,
		   const uint8_t *msg, size_t len);

struct vrrp_rx {
	struct vrrp_ends ends;		/* the packet's source and destination */
	int		ttl;		/* TTL or hop limit, -1 unknown */
	const uint8_t	*msg;		/* the VRRP message inside BUF */
	size_t		len;
};
/* Receives one packet into BUF; -EAGAIN when none is waiting. */
int vrrp_sock_recv(const struct vrrp_sock *s, uint8_t *buf, size_t size,
		   struct vrrp_rx *rx);

/* The address adverts are sent from: the interface's first IPv4 address,
 * or its IPv6 link-local one (RFC 5798 5.1.2.1). */
int vrrp_if_primary(int ifindex, int family, union vrrp_addr *out);
int vrrp_if_mac(int ifindex, uint8_t mac[6]);

/* rtnetlink through libmnl, one socket per caller. */
struct vrrp_nl;
struct vrrp_nl *vrrp_nl_open(char *err, size_t errlen);
void vrrp_nl_close(struct vrrp_nl *nl);

struct vrrp_vip {
	int		family;
	union vrrp_addr	addr;
	uint8_t		plen;
	int		ifindex;
	uint8_t		scope;		/* RT_SCOPE_UNIVERSE unless told */
	char		label[16];	/* IFA_LABEL, "" none */
};
/* Adds or deletes; adding one that exists, or deleting one that does not,
 * is not an error (another instance, or an operator, got there first). */
int vrrp_vip_set(struct vrrp_nl *nl, const struct vrrp_vip *v, bool add,
		 char *err, size_t errlen);

struct vrrp_route {
	int		family;
	union vrrp_addr	dst;
	uint8_t		plen;
	union vrrp_addr	gw;		/* zero: a device route */
	bool		has_gw;
	int		ifindex;	/* 0: the kernel picks from gw */
	uint32_t	table;		/* 0: main */
	uint32_t	metric;
	uint8_t		scope;
};
int vrrp_route_set(struct vrrp_nl *nl, const struct vrrp_route *r, bool add,
		   char *err, size_t errlen);

/* A gratuitous ARP request for VIP (sender = target = VIP, to broadcast),
 * as keepalived sends them. */
int vrrp_garp(int ifindex, const struct in_addr *vip, char *err,
	      size_t errlen);
/* An unsolicited neighbour advertisement for VIP to all nodes, with the
 * Override flag (and Router when ROUTER). */
int vrrp_una(int ifindex, const struct in6_addr *vip, bool router, char *err,
	     size_t errlen);

#endif /* _VRRP_NET_H */
