// SPDX-License-Identifier: GPL-2.0
/*
 * addr.c - numbers, ports and addresses as ipvsadm reads and writes them.
 *
 * Reading: numbers are decimal (leading blanks and zeros allowed, no
 * "0x"), ports are numbers or service names, hosts are IPv4 in
 * inet_aton() form, names (IPv4 only, as ipvsadm), "[v6]:port" or a bare
 * IPv6 address without a port.  Numeric input never touches the resolver,
 * so restoring 100,000 lines stays fast.
 */
#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include "vsadm.h"

int vs_number(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!s || !*s)
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || end == s || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static const char *proto_db_name(uint16_t proto)
{
	switch (proto) {
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_SCTP:
		return "sctp";
	default:
		return "tcp";
	}
}

int vs_parse_port(const char *s, uint16_t proto, uint16_t *port)
{
	struct servent *se;
	long long v;

	if (!vs_number(s, 0, 65535, &v)) {
		*port = v;
		return 0;
	}
	if (!*s || (*s >= '0' && *s <= '9') || *s == '-' || *s == '+')
		return -1;
	se = getservbyname(s, proto_db_name(proto));
	if (!se)
		return -1;
	*port = ntohs(se->s_port);
	return 0;
}

static int parse_host4(const char *s, struct in_addr *out)
{
	struct addrinfo hints = { .ai_family = AF_INET }, *res;

	if (!*s)
		return -1;
	if (inet_aton(s, out))
		return 0;
	if (getaddrinfo(s, NULL, &hints, &res))
		return -1;
	*out = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
	freeaddrinfo(res);
	return 0;
}

int vs_parse_addrport(const char *s, uint16_t proto, uint16_t *af,
		      union lvsc_addr *addr, uint16_t *port, bool *has_port)
{
	char buf[256];
	const char *colon;
	char *p;

	if (strlen(s) >= sizeof(buf))
		return -1;
	memset(addr, 0, sizeof(*addr));
	*port = 0;
	*has_port = false;
	if (s[0] == '[') {
		strcpy(buf, s + 1);
		p = strchr(buf, ']');
		if (!p || p[1] != ':')
			return -1;
		*p = '\0';
		if (inet_pton(AF_INET6, buf, &addr->in6) != 1 ||
		    vs_parse_port(p + 2, proto, port))
			return -1;
		*af = AF_INET6;
		*has_port = true;
		return 0;
	}
	colon = strchr(s, ':');
	if (colon && strchr(colon + 1, ':')) {
		/* Two colons: a bare IPv6 address, which cannot carry a port. */
		if (inet_pton(AF_INET6, s, &addr->in6) != 1)
			return -1;
		*af = AF_INET6;
		return 0;
	}
	strcpy(buf, s);
	if (colon) {
		buf[colon - s] = '\0';
		if (vs_parse_port(colon + 1, proto, port))
			return -1;
		*has_port = true;
	}
	if (parse_host4(buf, &addr->in))
		return -1;
	*af = AF_INET;
	return 0;
}

void vs_addrport_name(char *buf, size_t len, uint16_t af,
		      const union lvsc_addr *addr, uint16_t port,
		      uint16_t proto, bool numeric)
{
	const char *lb = af == AF_INET6 ? "[" : "", *rb = af == AF_INET6 ?
			 "]" : "";
	char host[NI_MAXHOST], tmp[64], full[NI_MAXHOST + 72];
	struct servent *se = NULL;
	size_t n;

	/* ipvsadm formats into 60 bytes: longer names are cut there. */
	if (len > 60)
		len = 60;
	inet_ntop(af, addr, host, sizeof(host));
	if (!numeric) {
		struct sockaddr_storage ss = { .ss_family = af };

		if (af == AF_INET6)
			((struct sockaddr_in6 *)&ss)->sin6_addr = addr->in6;
		else
			((struct sockaddr_in *)&ss)->sin_addr = addr->in;
		if (getnameinfo((struct sockaddr *)&ss, af == AF_INET6 ?
				sizeof(struct sockaddr_in6) :
				sizeof(struct sockaddr_in), host, sizeof(host),
				NULL, 0, 0))
			inet_ntop(af, addr, host, sizeof(host));
		if (port)
			se = getservbyport(htons(port), proto_db_name(proto));
	}
	if (se)
		snprintf(tmp, sizeof(tmp), "%s", se->s_name);
	else
		snprintf(tmp, sizeof(tmp), "%u", port);
	snprintf(full, sizeof(full), "%s%s%s:%s", lb, host, rb, tmp);
	/* Cut where ipvsadm's buffer ends. */
	n = strlen(full);
	if (n >= len)
		n = len - 1;
	memcpy(buf, full, n);
	buf[n] = '\0';
}

const char *vs_proto_name(uint16_t proto)
{
	switch (proto) {
	case IPPROTO_TCP:
		return "TCP";
	case IPPROTO_UDP:
		return "UDP";
	case IPPROTO_SCTP:
		return "SCTP";
	case IPPROTO_IP:
		return "IP";
	default:
		return "?";
	}
}

const char *vs_fwd_name(uint8_t fwd)
{
	switch (fwd) {
	case LVS_FWD_MASQ:
		return "Masq";
	case LVS_FWD_TUNNEL:
		return "Tunnel";
	case LVS_FWD_DROUTE:
		return "Route";
	default:
		return "Local";
	}
}

const char *vs_tun_name(uint8_t type)
{
	switch (type) {
	case LVS_TUN_IPIP:
		return "ipip";
	case LVS_TUN_GUE:
		return "gue";
	case LVS_TUN_GRE:
		return "gre";
	default:
		return "?";
	}
}
